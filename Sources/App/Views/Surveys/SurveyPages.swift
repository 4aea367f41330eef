import Foundation
import ThiDuaCore

/// The public survey pages: answering (phone or kiosk), closed, refused, thank you, and the printable poster.
enum SurveyPages {
    static func respond(
        _ ctx: PageContext, point p: SurveyService.PointInfo, questionnaire q: Questionnaire, fields: [(code: String, name: String)],
        channel: SurveyChannel, action: String, submitted s: SurveyForm.Submitted, problems: [SurveyForm.Problem]
    ) -> HTMLNode {
        let t = ctx.t
        return Layout.page(ctx, title: q.title, bare: channel == .kiosk) {
            H.p(.class("muted")) { p.unitName }
            H.h1 { q.title }
            if let intro = q.intro { H.p { intro } }
            if channel == .kiosk { H.p(.class("notice")) { t("survey.kiosk.note") } }
            summary(t, problems, q)
            H.form(.method("post"), .action(action), .class("survey card"), .attr("novalidate", "")) {
                hiddenFields(ctx, s)
                if !fields.isEmpty {
                    H.fieldset(.id("f-field"), .class(problems.contains(.fieldRequired) || problems.contains(.fieldUnknown) ? "question has-error" : "question")) {
                        H.legend { t("survey.form.field"); H.span(.class("req"), .aria("hidden", "true")) { " *" } }
                        H.div(.class("choices")) {
                            for (i, f) in fields.enumerated() {
                                H.label(.class("choice"), .for("f-field-\(i)")) {
                                    H.input(.type("radio"), .id("f-field-\(i)"), .name("_field"), .value(f.code), .flag("checked", s.field == f.code))
                                    H.span { f.name }
                                }
                            }
                        }
                    }
                }
                if p.receiptsRequired {
                    Components.textField(t("survey.form.receipt"), name: "receipt", value: s.receipt, required: true, hint: t("survey.form.receiptHint"), maxlength: 32)
                        .renamed(from: "receipt", to: "_receipt")
                }
                SurveyForm.questions(t, q, submitted: s, problems: problems)
                H.div(.class("hp"), .aria("hidden", "true")) {
                    H.label(.for("f-website")) { t("survey.form.honeypot") }
                    H.input(.type("text"), .id("f-website"), .name(SurveyForm.honeypotName), .attr("tabindex", "-1"), .autocomplete("off"))
                }
                H.div(.class("actions")) { H.button(.type("submit"), .class("big")) { t("survey.form.send") } }
            }
            H.el("script", [.attr("src", Assets.surveyScriptPath), .attr("defer", "")]) { [] }
        }
    }

    static func hiddenFields(_ ctx: PageContext, _ s: SurveyForm.Submitted) -> HTMLNode {
        .fragment([
            Layout.csrfField(ctx),
            H.input(.type("hidden"), .name("_key"), .value(s.key ?? UUID.timeOrdered(ms: Int64(Date().timeIntervalSince1970 * 1000)).uuidString)),
            H.input(.type("hidden"), .name("_t"), .value(String(Int64(Date().timeIntervalSince1970 * 1000)))),
        ])
    }

    static func summary(_ t: Localizer, _ problems: [SurveyForm.Problem], _ q: Questionnaire) -> HTMLNode {
        guard !problems.isEmpty else { return .empty }
        return H.div(.class("error-summary"), .role("alert"), .attr("tabindex", "-1")) {
            H.h2 { t("form.errorsTitle") }
            H.ul {
                for p in problems { H.li { H.a(.href("#" + SurveyForm.anchor(p))) { SurveyForm.message(t, p, q) } } }
            }
        }
    }

    static func closed(_ ctx: PageContext, _ p: SurveyService.PointInfo) -> HTMLNode {
        let t = ctx.t
        return Layout.page(ctx, title: t("survey.closed.title")) {
            H.h1 { t("survey.closed.title") }
            H.p { t("survey.closed.body", p.campaignTitle, CivilDate(parsing: p.startsOn)?.vietnamese ?? p.startsOn, CivilDate(parsing: p.endsOn)?.vietnamese ?? p.endsOn) }
        }
    }

    static func refused(_ ctx: PageContext, _ p: SurveyService.PointInfo) -> HTMLNode {
        let t = ctx.t
        return Layout.page(ctx, title: t("survey.refused.title")) {
            H.h1 { t("survey.refused.title") }
            H.p { t("survey.refused.body") }
            H.p { H.a(.href(SurveyURL.respond(p.token))) { t("survey.refused.back") } }
        }
    }

    static func thanks(_ ctx: PageContext, _ p: SurveyService.PointInfo, kiosk: Bool) -> HTMLNode {
        let t = ctx.t
        // The kiosk returns to a blank form by itself after a few seconds; the person at the tablet can stop
        // that (WCAG 2.2.1), and without the script the button does the same.
        return Layout.page(ctx, title: t("survey.thanks.title"), bare: kiosk) {
            H.h1 { t("survey.thanks.title") }
            H.p(.role("status")) { t("survey.thanks.body", p.unitName) }
            if kiosk {
                H.p(.id("kiosk-reset"), .attr("data-kiosk-reset", SurveyURL.kiosk(p.token)), .attr("data-seconds", "10")) { t("survey.kiosk.reset") }
                H.div(.class("actions")) {
                    H.a(.class("button big"), .href(SurveyURL.kiosk(p.token))) { t("survey.kiosk.next") }
                    H.button(.type("button"), .class("secondary"), .id("kiosk-hold"), .attr("hidden", "")) { t("survey.kiosk.hold") }
                }
                H.el("script", [.attr("src", Assets.surveyScriptPath), .attr("defer", "")]) { [] }
            }
        }
    }

    static func poster(_ ctx: PageContext, _ p: SurveyService.PointInfo, url: String, svg: String) -> HTMLNode {
        let t = ctx.t
        return Layout.page(ctx, title: t("survey.poster.title", p.unitName), bare: true) {
            H.div(.class("poster")) {
                H.h1 { t("survey.poster.heading") }
                H.p(.class("poster-unit")) { p.unitName }
                H.div(.class("qr")) { HTMLNode.raw(svg) }
                H.p { t("survey.poster.scan") }
                H.p(.class("poster-url")) { H.code { url } }
                H.p(.class("muted")) { t("survey.poster.anonymous") }
            }
        }
    }
}

extension HTMLNode {
    /// The same field under another form name (the shared text field names its input after its id).
    func renamed(from old: String, to new: String) -> HTMLNode {
        func fix(_ attrs: [Attr]) -> [Attr] { attrs.map { $0.name == "name" && $0.value == old ? Attr.name(new) : $0 } }
        switch kind {
        case .element(let n, let attrs, let children):
            return HTMLNode(kind: .element(n, fix(attrs), children.map { $0.renamed(from: old, to: new) }))
        case .void(let n, let attrs):
            return HTMLNode(kind: .void(n, fix(attrs)))
        default:
            return self
        }
    }
}
