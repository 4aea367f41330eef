import Foundation
import ThiDuaCore

/// Pages of the survey office: questionnaires and the builder, campaigns, paper entry, receipts, quarantine,
/// results (accessible SVG charts with the same numbers in tables) and settings.
enum SurveyAdminPages {
    static func problemText(_ t: Localizer, _ p: Questionnaire.Problem) -> String {
        switch p {
        case .noQuestions, .emptyTitle: return t(p.key)
        case .badCode(let q), .duplicateQuestion(let q), .emptyText(let q), .tooFewOptions(let q), .badScale(let q), .noRows(let q): return t(p.key, q)
        case .duplicateOption(let q, let o), .weightOutOfRange(let q, let o), .duplicateRow(let q, let o): return t(p.key, q, o)
        case .conditionUnknown(let q, let r), .conditionForward(let q, let r), .conditionOnText(let q, let r): return t(p.key, q, r)
        case .conditionValue(let q, let v): return t(p.key, q, v)
        }
    }

    static func period(_ c: SurveyCampaign) -> String {
        guard let (a, b) = c.period else { return c.startsOn + " – " + c.endsOn }
        return a.vietnamese + " – " + b.vietnamese
    }

    static func th(_ s: String, num: Bool = false) -> HTMLNode { H.th(.attr("scope", "col"), .class(num ? "num" : nil)) { s } }

    static func index(_ ctx: PageContext, questionnaires: [SurveyQuestionnaire], campaigns: [SurveyCampaign], canManage: Bool, user: CurrentUser) -> HTMLNode {
        let t = ctx.t
        return Layout.page(ctx, title: t("survey.title")) {
            Components.flash(t, ctx.flashKey)
            H.h1 { t("survey.title") }
            H.div(.class("actions")) {
                if canManage { H.a(.class("button"), .href(SurveyURL.campaignNew)) { t("survey.campaign.new") } }
                H.a(.href(SurveyURL.settings)) { t("survey.settings.title") }
            }
            H.h2 { t("survey.campaigns") }
            if campaigns.isEmpty { H.p(.class("notice")) { t("survey.campaign.none") } } else {
                H.table {
                    H.caption { t("survey.campaigns") }
                    H.thead { H.tr { th(t("column.name")); th(t("survey.campaign.period")); th(t("column.status")) } }
                    H.tbody {
                        for c in campaigns {
                            H.tr {
                                H.td { H.a(.href(SurveyURL.campaign(c.id ?? UUID()))) { c.title } }
                                H.td { period(c) }
                                H.td { H.span(.class("badge")) { t("survey.campaign.status." + c.statusRaw) } }
                            }
                        }
                    }
                }
            }
            H.h2 { t("survey.questionnaires") }
            if questionnaires.isEmpty { H.p(.class("notice")) { t("survey.questionnaire.none") } } else {
                H.table {
                    H.caption { t("survey.questionnaires") }
                    H.thead { H.tr { th(t("column.code")); th(t("column.name")); th(t("survey.version"), num: true); th(t("column.status")) } }
                    H.tbody {
                        for q in questionnaires {
                            H.tr {
                                H.td { q.code }
                                H.td { H.a(.href(SurveyURL.questionnaire(q.id ?? UUID()))) { q.title } }
                                H.td(.class("num")) { String(q.version) }
                                H.td { H.span(.class("badge")) { t("survey.questionnaire.status." + q.statusRaw) } }
                            }
                        }
                    }
                }
            }
            if canManage {
                H.form(.method("post"), .action(SurveyURL.starters), .class("inline")) {
                    Layout.csrfField(ctx)
                    H.button(.type("submit"), .class("secondary")) { t("survey.starters") }
                }
                H.form(.method("post"), .action(SurveyURL.questionnaires), .class("card")) {
                    Layout.csrfField(ctx)
                    H.h2 { t("survey.questionnaire.new") }
                    Components.textField(t("column.code"), name: "code", value: nil, required: true, hint: t("survey.builder.codeHint"), maxlength: 32)
                    Components.textField(t("column.name"), name: "title", value: nil, required: true, maxlength: 255)
                    H.div(.class("actions")) { H.button(.type("submit")) { t("form.add") } }
                }
            }
        }
    }

    static func questionnaire(_ ctx: PageContext, _ m: SurveyQuestionnaire, _ q: Questionnaire, canManage: Bool,
                              form f: SurveyAdminController.QuestionForm, errors: [Components.FieldError]) -> HTMLNode {
        let t = ctx.t
        let id = m.id ?? UUID()
        let editable = canManage && m.status == .draft
        return Layout.page(ctx, title: q.title) {
            Components.flash(t, ctx.flashKey)
            H.h1 { q.title }
            H.p { H.span(.class("badge")) { t("survey.questionnaire.status." + m.statusRaw) }; " " + q.code + " · v" + String(m.version) }
            Components.errorSummary(t, errors)
            if m.status != .draft { H.p(.class("notice")) { t("survey.builder.frozen") } }
            H.table {
                H.caption { t("survey.builder.questions") }
                H.thead { H.tr { th("#"); th(t("column.code")); th(t("survey.builder.text")); th(t("survey.builder.kind")); th(t("survey.builder.factor")); th(t("survey.builder.condition")); if editable { th(t("form.actions")) } } }
                H.tbody {
                    for (i, question) in q.questions.enumerated() {
                        H.tr {
                            H.td { String(i + 1) }
                            H.td { question.code }
                            H.td {
                                question.text
                                if !question.options.isEmpty {
                                    H.small(.class("muted")) { H.br(); question.options.map { o in o.label + (o.weight.map { " (" + $0.formattedCompact() + "%)" } ?? "") + (o.satisfied == true ? " ✓" : "") }.joined(separator: " · ") }
                                }
                            }
                            H.td { t("survey.kind." + question.kind.rawValue) }
                            H.td { (question.factor.map { t($0.labelKey) } ?? "—") + (question.part.map { " · " + t("survey.part." + $0.rawValue) } ?? "") }
                            H.td { question.showIf.map { $0.question + " ∈ {" + $0.anyOf.joined(separator: ", ") + "}" } ?? "—" }
                            if editable {
                                H.td {
                                    H.form(.method("post"), .action(SurveyURL.questionDelete(id, question.code)), .class("inline")) {
                                        Layout.csrfField(ctx)
                                        H.button(.type("submit"), .class("secondary"), .aria("label", t("survey.builder.delete", question.code))) { t("form.remove") }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            if canManage {
                H.div(.class("actions")) {
                    if editable {
                        H.form(.method("post"), .action(SurveyURL.publish(id)), .class("inline")) {
                            Layout.csrfField(ctx)
                            H.button(.type("submit")) { t("survey.builder.publish") }
                        }
                    }
                    H.form(.method("post"), .action(SurveyURL.copy(id)), .class("inline")) {
                        Layout.csrfField(ctx)
                        H.button(.type("submit"), .class("secondary")) { t("survey.builder.copy") }
                    }
                }
            }
            if editable {
                H.form(.method("post"), .action(SurveyURL.questions(id)), .class("card")) {
                    Layout.csrfField(ctx)
                    H.h2 { t("survey.builder.add") }
                    Components.textField(t("column.code"), name: "code", value: f.code, errors: errors, required: true, hint: t("survey.builder.codeHint"), maxlength: 32)
                    Components.selectField(t("survey.builder.kind"), name: "kind", options: QuestionKind.allCases.map { ($0.rawValue, t("survey.kind." + $0.rawValue)) }, selected: f.kind, errors: errors, required: true)
                    Components.textField(t("survey.builder.text"), name: "text", value: f.text, errors: errors, required: true, maxlength: 500)
                    Components.textField(t("survey.builder.help"), name: "help", value: f.help, errors: errors, maxlength: 500)
                    H.div(.class("field")) {
                        H.label(.for("f-required")) { H.input(.type("checkbox"), .id("f-required"), .name("required"), .flag("checked", f.required == "on")); " " + t("survey.builder.required") }
                    }
                    Components.selectField(t("survey.builder.factor"), name: "factor", options: SIPASFactor.allCases.map { ($0.rawValue, t($0.labelKey)) }, selected: f.factor, includeBlank: true)
                    Components.selectField(t("survey.builder.part"), name: "part", options: QuestionPart.allCases.map { ($0.rawValue, t("survey.part." + $0.rawValue)) }, selected: f.part, includeBlank: true)
                    textArea(t("survey.builder.options"), name: "options", value: f.options, hint: t("survey.builder.optionsHint"), errors: errors)
                    textArea(t("survey.builder.rows"), name: "rows", value: f.rows, hint: t("survey.builder.rowsHint"), errors: errors)
                    H.div(.class("filters")) {
                        Components.textField(t("survey.builder.scaleMin"), name: "scale_min", value: f.scale_min, type: "number")
                        Components.textField(t("survey.builder.scaleMax"), name: "scale_max", value: f.scale_max, type: "number")
                        Components.textField(t("survey.builder.satisfiedFrom"), name: "satisfied_from", value: f.satisfied_from, type: "number")
                        Components.textField(t("survey.builder.maxLength"), name: "max_length", value: f.max_length, type: "number")
                    }
                    H.div(.class("filters")) {
                        Components.selectField(t("survey.builder.ifQuestion"), name: "if_question", options: q.questions.map { ($0.code, $0.code) }, selected: f.if_question, includeBlank: true)
                        Components.textField(t("survey.builder.ifValues"), name: "if_values", value: f.if_values, hint: t("survey.builder.ifValuesHint"))
                    }
                    H.div(.class("actions")) { H.button(.type("submit")) { t("form.add") } }
                }
            }
            H.p { H.a(.href(SurveyURL.home)) { t("survey.back") } }
        }
    }

    static func textArea(_ label: String, name: String, value: String?, hint: String?, errors: [Components.FieldError]) -> HTMLNode {
        let id = "f-" + name
        let error = errors.first { $0.field == name }
        return H.div(.class(error == nil ? "field" : "field has-error")) {
            H.label(.for(id)) { label }
            if let hint { H.p(.class("hint"), .id(id + "-hint")) { hint } }
            if let error { H.p(.class("field-error"), .id(id + "-error")) { error.message } }
            H.textarea(.id(id), .name(name), .attr("rows", "5"), .aria("describedby", hint != nil ? id + "-hint" : nil)) { value ?? "" }
        }
    }

    struct CampaignFormData: Sendable {
        let questionnaires: [(UUID, String)]
        let fields: [(String, String)]
    }

    static func campaignForm(_ ctx: PageContext, data: CampaignFormData, values v: [String: [String]], errors: [Components.FieldError]) -> HTMLNode {
        let t = ctx.t
        func one(_ k: String) -> String? { v[k]?.first }
        let channels = Set(v["channel"] ?? ["link", "kiosk", "paper"])
        let fields = Set(v["field"] ?? [])
        return Layout.page(ctx, title: t("survey.campaign.new")) {
            H.h1 { t("survey.campaign.new") }
            Components.errorSummary(t, errors)
            if data.questionnaires.isEmpty { H.p(.class("notice")) { t("survey.campaign.needPublished") } }
            H.form(.method("post"), .action(SurveyURL.campaigns), .class("card")) {
                Layout.csrfField(ctx)
                Components.textField(t("column.name"), name: "title", value: one("title"), errors: errors, required: true, maxlength: 255)
                Components.selectField(t("survey.questionnaire"), name: "questionnaire", options: data.questionnaires.map { ($0.0.uuidString, $0.1) }, selected: one("questionnaire"), errors: errors, required: true)
                H.div(.class("filters")) {
                    Components.textField(t("survey.campaign.from"), name: "starts_on", value: one("starts_on"), errors: errors, required: true, type: "date")
                    Components.textField(t("survey.campaign.to"), name: "ends_on", value: one("ends_on"), errors: errors, required: true, type: "date")
                }
                textArea(t("survey.campaign.units"), name: "units", value: one("units"), hint: t("merge.codesHint"), errors: errors)
                H.fieldset(.id("f-channel")) {
                    H.legend { t("survey.campaign.channels") }
                    for c in SurveyChannel.allCases {
                        H.label(.class("choice"), .for("f-channel-" + c.rawValue)) {
                            H.input(.type("checkbox"), .id("f-channel-" + c.rawValue), .name("channel"), .value(c.rawValue), .flag("checked", channels.contains(c.rawValue)))
                            H.span { t(c.labelKey) }
                        }
                    }
                }
                H.fieldset(.id("f-field")) {
                    H.legend { t("survey.campaign.fields") }
                    for f in data.fields {
                        H.label(.class("choice"), .for("f-field-" + f.0)) {
                            H.input(.type("checkbox"), .id("f-field-" + f.0), .name("field"), .value(f.0), .flag("checked", fields.contains(f.0)))
                            H.span { f.1 }
                        }
                    }
                }
                H.div(.class("field")) {
                    H.label(.for("f-receipts")) { H.input(.type("checkbox"), .id("f-receipts"), .name("receipts"), .flag("checked", one("receipts") == "on")); " " + t("survey.campaign.receipts") }
                }
                Components.textField(t("survey.campaign.criterion"), name: "criterion", value: one("criterion"), errors: errors, hint: t("survey.campaign.criterionHint"), maxlength: 32)
                H.details {
                    H.summary { t("survey.campaign.rules") }
                    let d = IntegrityRules.default
                    Components.textField(t("survey.rules.window"), name: "window_seconds", value: one("window_seconds") ?? String(d.windowSeconds), errors: errors, type: "number")
                    Components.textField(t("survey.rules.quarantineAfter"), name: "quarantine_after", value: one("quarantine_after") ?? String(d.quarantineAfter), type: "number")
                    Components.textField(t("survey.rules.refuseAfter"), name: "refuse_after", value: one("refuse_after") ?? String(d.refuseAfter), type: "number")
                    Components.textField(t("survey.rules.kioskMin"), name: "kiosk_min_seconds", value: one("kiosk_min_seconds") ?? String(d.kioskMinSeconds), type: "number")
                }
                H.div(.class("actions")) { H.button(.type("submit")) { t("form.save") }; H.a(.href(SurveyURL.home)) { t("form.cancel") } }
            }
        }
    }

    static func campaign(_ ctx: PageContext, _ c: SurveyCampaign, questionnaire: SurveyQuestionnaire?, points: [SurveyService.PointInfo],
                         canManage: Bool, canEnter: (UUID) -> Bool, base: String) -> HTMLNode {
        let t = ctx.t
        let id = c.id ?? UUID()
        return Layout.page(ctx, title: c.title) {
            Components.flash(t, ctx.flashKey)
            H.h1 { c.title }
            Components.facts([
                (t("column.status"), t("survey.campaign.status." + c.statusRaw)),
                (t("survey.campaign.period"), period(c)),
                (t("survey.questionnaire"), questionnaire.map { $0.title + " (v" + String($0.version) + ")" } ?? ""),
                (t("survey.campaign.channels"), c.channels.map { t($0.labelKey) }.joined(separator: ", ")),
                (t("survey.campaign.receipts"), c.receiptsRequired ? t("form.yes") : t("form.no")),
                (t("survey.campaign.criterion"), c.criterionCode ?? ""),
            ])
            H.div(.class("actions")) {
                H.a(.class("button"), .href(SurveyURL.results(id))) { t("survey.results.title") }
                if canManage {
                    H.a(.href(SurveyURL.quarantine(id))) { t("survey.quarantine.title") }
                    H.form(.method("post"), .action(SurveyURL.campaignStatus(id)), .class("inline")) {
                        Layout.csrfField(ctx)
                        if c.status == .open {
                            H.input(.type("hidden"), .name("status"), .value("closed"))
                            H.button(.type("submit"), .class("secondary")) { t("survey.campaign.close") }
                        } else {
                            H.input(.type("hidden"), .name("status"), .value("open"))
                            H.button(.type("submit")) { t("survey.campaign.open") }
                        }
                    }
                }
            }
            H.table {
                H.caption { t("survey.campaign.points") }
                H.thead { H.tr { th(t("column.code")); th(t("column.name")); th(t("survey.campaign.link")); th(t("form.actions")) } }
                H.tbody {
                    for p in points {
                        H.tr {
                            H.td { p.unitCode }
                            H.td { p.unitName }
                            H.td { H.code { base + SurveyURL.respond(p.token) } }
                            H.td {
                                H.a(.href(SurveyURL.poster(p.token)), .aria("label", t("survey.poster.for", p.unitName))) { t("survey.poster.link") }
                                if c.channels.contains(.kiosk) { " · "; H.a(.href(SurveyURL.kiosk(p.token)), .aria("label", t("survey.kiosk.for", p.unitName))) { t("survey.kiosk.link") } }
                                if canEnter(p.unitID) && c.channels.contains(.paper) {
                                    " · "
                                    H.a(.href(SurveyURL.paper(id, p.pointID)), .aria("label", t("survey.paper.for", p.unitName))) { t("survey.paper.link") }
                                }
                                if canEnter(p.unitID) && c.receiptsRequired {
                                    H.form(.method("post"), .action(SurveyURL.receipts(id, p.pointID)), .class("inline receipts-form")) {
                                        Layout.csrfField(ctx)
                                        H.label(.for("count-" + p.token), .class("visually-hidden")) { t("survey.receipts.count", p.unitName) }
                                        H.input(.type("number"), .id("count-" + p.token), .name("count"), .value("20"), .attr("min", "1"), .attr("max", "500"))
                                        H.button(.type("submit"), .class("secondary")) { t("survey.receipts.make") }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    static func paper(_ ctx: PageContext, _ c: SurveyCampaign, _ p: SurveyService.PointInfo, _ q: Questionnaire, fields: [(code: String, name: String)],
                      submitted s: SurveyForm.Submitted, problems: [SurveyForm.Problem]) -> HTMLNode {
        let t = ctx.t
        return Layout.page(ctx, title: t("survey.paper.title")) {
            Components.flash(t, ctx.flashKey)
            H.h1 { t("survey.paper.title") }
            H.p { c.title + " · " + p.unitName }
            H.p(.class("notice")) { t("survey.paper.note") }
            SurveyPages.summary(t, problems, q)
            H.form(.method("post"), .action(SurveyURL.paper(c.id ?? UUID(), p.pointID)), .class("survey card")) {
                SurveyPages.hiddenFields(ctx, SurveyForm.Submitted())
                Components.textField(t("survey.paper.date"), name: "paper-date", value: s.paperDate, required: true, type: "date").renamed(from: "paper-date", to: "_paper_date")
                if !fields.isEmpty {
                    Components.selectField(t("survey.form.field"), name: "field", options: fields.map { ($0.code, $0.name) }, selected: s.field, required: true, includeBlank: true)
                        .renamed(from: "field", to: "_field")
                }
                if p.receiptsRequired {
                    Components.textField(t("survey.form.receipt"), name: "receipt", value: s.receipt, hint: t("survey.paper.receiptHint"), maxlength: 32)
                        .renamed(from: "receipt", to: "_receipt")
                }
                SurveyForm.questions(t, q, submitted: s, problems: problems)
                H.div(.class("actions")) { H.button(.type("submit")) { t("survey.paper.save") }; H.a(.href(SurveyURL.campaign(c.id ?? UUID()))) { t("form.cancel") } }
            }
            H.el("script", [.attr("src", Assets.surveyScriptPath), .attr("defer", "")]) { [] }
        }
    }

    static func receipts(_ ctx: PageContext, _ c: SurveyCampaign, _ p: SurveyService.PointInfo, codes: [String], base: String) -> HTMLNode {
        let t = ctx.t
        return Layout.page(ctx, title: t("survey.receipts.title")) {
            H.h1 { t("survey.receipts.title") }
            H.p { c.title + " · " + p.unitName }
            H.p { t("survey.receipts.note", base + SurveyURL.respond(p.token)) }
            H.ul(.class("receipt-codes")) { for code in codes { H.li { H.code { code } } } }
            H.p { H.a(.href(SurveyURL.campaign(c.id ?? UUID()))) { t("survey.back") } }
        }
    }

    struct QuarantineItem: Sendable {
        let id: UUID, unit: String, channel: String, reason: QuarantineReason?, at: Date, answers: [String: [String]]
    }

    static func quarantine(_ ctx: PageContext, _ c: SurveyCampaign, _ q: Questionnaire, rows: [QuarantineItem]) -> HTMLNode {
        let t = ctx.t
        return Layout.page(ctx, title: t("survey.quarantine.title")) {
            Components.flash(t, ctx.flashKey)
            H.h1 { t("survey.quarantine.title") }
            H.p { t("survey.quarantine.intro") }
            if rows.isEmpty { H.p(.class("notice")) { t("survey.quarantine.none") } } else {
                H.table {
                    H.caption { t("survey.quarantine.title") + " — " + c.title }
                    H.thead { H.tr { th(t("survey.export.time")); th(t("column.unit")); th(t("survey.export.channel")); th(t("survey.quarantine.reason")); th(t("survey.quarantine.answers")); th(t("form.actions")) } }
                    H.tbody {
                        for r in rows {
                            H.tr {
                                H.td { SurveyExports.localTime(Int64(r.at.timeIntervalSince1970 * 1000)) }
                                H.td { r.unit }
                                H.td { t("survey.channel." + r.channel) }
                                H.td { r.reason.map { t($0.labelKey) } ?? "" }
                                H.td { H.small { r.answers.keys.sorted().map { $0 + "=" + (r.answers[$0] ?? []).joined(separator: ",") }.joined(separator: "; ") } }
                                H.td {
                                    for (decision, label) in [("accepted", t("survey.quarantine.accept")), ("rejected", t("survey.quarantine.reject"))] {
                                        H.form(.method("post"), .action(SurveyURL.review(r.id)), .class("inline")) {
                                            Layout.csrfField(ctx)
                                            H.input(.type("hidden"), .name("decision"), .value(decision))
                                            H.button(.type("submit"), .class(decision == "accepted" ? nil : "secondary")) { label }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            H.p { H.a(.href(SurveyURL.campaign(c.id ?? UUID()))) { t("survey.back") } }
        }
    }

    static func pct(_ t: Localizer, _ p: Points?) -> String { p.map { $0.formatted(places: 2, english: t.lang == .en) + " %" } ?? "—" }

    static func results(_ ctx: PageContext, _ d: SurveyAdminController.ResultsData) -> HTMLNode {
        let t = ctx.t
        let method = d.settings.overall
        let id = d.campaign.id ?? UUID()
        let total = d.results.total
        let overall = total.overall(method)
        return Layout.page(ctx, title: t("survey.results.title")) {
            H.h1 { t("survey.results.title") + " — " + d.campaign.title }
            H.div(.class("actions")) {
                H.a(.class("button"), .href(SurveyURL.export(id, "aggregates", "xlsx"))) { t("survey.export.aggregatesXlsx") }
                H.a(.href(SurveyURL.export(id, "aggregates", "csv"))) { t("survey.export.aggregatesCsv") }
                H.a(.href(SurveyURL.export(id, "responses", "csv"))) { t("survey.export.responsesCsv") }
                H.a(.href(SurveyURL.export(id, "responses", "xlsx"))) { t("survey.export.responsesXlsx") }
            }
            Components.facts([
                (t("survey.results.overall"), pct(t, overall)),
                (t("survey.results.responses"), t.number(total.responses)),
                (t("survey.results.quarantined"), t.number(d.results.quarantined)),
                (t("survey.results.method"), t("survey.overall." + method.rawValue)),
            ])
            sampleNote(t, total.pooled.answered > 0 ? total.responses : 0)
            H.h2 { t("survey.results.targets") }
            H.ul {
                for target in d.settings.targets {
                    H.li {
                        let met = overall.map { $0 >= target.percent }
                        t("survey.results.target", String(target.year), target.percent.formattedCompact(english: t.lang == .en) + " %") + ": "
                        H.strong { met == nil ? "—" : (met! ? t("survey.results.met") : t("survey.results.notMet")) }
                    }
                }
            }
            H.h2 { t("survey.results.byFactor") }
            let factorBars = SIPASFactor.allCases.map { (t($0.labelKey), total.factors[$0]?.index, total.factors[$0]?.answered ?? 0) }
            SurveyChart.bars(title: t("survey.results.byFactor"), bars: factorBars, targets: d.settings.targets.map { ($0.year, $0.percent) }, t: t)
            table(t, caption: t("survey.results.byFactor"), head: t("survey.builder.factor"), rows: factorBars.map { ($0.0, $0.1, $0.2) }, countLabel: t("survey.results.answers"))
            H.h2 { t("survey.results.byUnit") }
            let unitRows = d.results.byUnit.sorted { (d.unitNames[$0.key]?.code ?? "") < (d.unitNames[$1.key]?.code ?? "") }
                .map { (d.unitNames[$0.key]?.name ?? "", $0.value.overall(method), $0.value.responses) }
            SurveyChart.bars(title: t("survey.results.byUnit"), bars: unitRows, targets: d.settings.targets.map { ($0.year, $0.percent) }, t: t)
            table(t, caption: t("survey.results.byUnit"), head: t("column.unit"), rows: unitRows, countLabel: t("survey.results.responses"))
            H.h2 { t("survey.results.byField") }
            table(t, caption: t("survey.results.byField"), head: t("survey.export.field"),
                  rows: d.results.byField.sorted { $0.key < $1.key }.map { (d.fieldNames[$0.key] ?? t("survey.results.noField"), $0.value.overall(method), $0.value.responses) },
                  countLabel: t("survey.results.responses"))
            H.h2 { t("survey.results.byMonth") }
            table(t, caption: t("survey.results.byMonth"), head: t("survey.results.month"),
                  rows: d.results.byMonth.sorted { $0.key < $1.key }.map { ($0.key, $0.value.overall(method), $0.value.responses) }, countLabel: t("survey.results.responses"))
            if d.trend.count > 1 {
                H.h2 { t("survey.results.trend") }
                SurveyChart.bars(title: t("survey.results.trend"), bars: d.trend.map { (t("survey.results.year", String($0.year)), $0.index, $0.n) }, targets: d.settings.targets.map { ($0.year, $0.percent) }, t: t)
                table(t, caption: t("survey.results.trend"), head: t("survey.campaigns"), rows: d.trend.map { ($0.title, $0.index, $0.n) }, countLabel: t("survey.results.responses"))
            }
            H.p { H.a(.href(SurveyURL.campaign(id))) { t("survey.back") } }
        }
    }

    static func sampleNote(_ t: Localizer, _ n: Int) -> HTMLNode {
        guard SampleNote.isSmall(n) else { return .empty }
        let moe = SampleNote.marginOfError(n: n).map { String(format: "%.0f", $0) } ?? "—"
        return H.p(.class("notice")) { t("survey.results.smallSample", t.number(n), moe) }
    }

    static func table(_ t: Localizer, caption: String, head: String, rows: [(String, Points?, Int)], countLabel: String) -> HTMLNode {
        H.table {
            H.caption { caption }
            H.thead { H.tr { th(head); th(t("survey.results.index"), num: true); th(countLabel, num: true); th(t("survey.results.note")) } }
            H.tbody {
                for r in rows {
                    H.tr {
                        H.td { r.0 }
                        H.td(.class("num")) { pct(t, r.1) }
                        H.td(.class("num")) { t.number(r.2) }
                        H.td {
                            if SampleNote.isSmall(r.2) && r.2 > 0 {
                                t("survey.results.smallShort", SampleNote.marginOfError(n: r.2).map { String(format: "%.0f", $0) } ?? "—")
                            }
                        }
                    }
                }
            }
        }
    }

    static func settings(_ ctx: PageContext, _ s: SurveySettings, fields: [SurveyField], canManage: Bool, errors: [Components.FieldError]) -> HTMLNode {
        let t = ctx.t
        return Layout.page(ctx, title: t("survey.settings.title")) {
            Components.flash(t, ctx.flashKey)
            H.h1 { t("survey.settings.title") }
            Components.errorSummary(t, errors)
            H.p { t("survey.settings.intro") }
            H.form(.method("post"), .action(SurveyURL.settings), .class("card")) {
                Layout.csrfField(ctx)
                H.fieldset(.id("f-target_year")) {
                    H.legend { t("survey.results.targets") }
                    for (i, target) in (s.targets.map { Optional($0) } + [nil, nil]).enumerated() {
                        H.div(.class("filters")) {
                            Components.textField(t("survey.settings.year"), name: "target_year", value: target.map { String($0.year) }, type: "number").renamedID("f-target_year", to: "f-ty-\(i)")
                            Components.textField(t("survey.settings.percent"), name: "target_percent", value: target.map { $0.percent.formattedCompact() }).renamedID("f-target_percent", to: "f-tp-\(i)")
                        }
                    }
                }
                Components.selectField(t("survey.results.method"), name: "overall", options: SatisfactionIndex.Overall.allCases.map { ($0.rawValue, t("survey.overall." + $0.rawValue)) }, selected: s.overall.rawValue)
                H.h2 { t("survey.settings.fields") }
                H.ul { for f in fields { H.li { f.name + " (" + f.code + ")" } } }
                if canManage {
                    H.div(.class("filters")) {
                        Components.textField(t("survey.settings.fieldCode"), name: "field_code", value: nil, errors: errors, maxlength: 32)
                        Components.textField(t("survey.settings.fieldName"), name: "field_name", value: nil, errors: errors, maxlength: 255)
                    }
                    H.div(.class("actions")) { H.button(.type("submit")) { t("form.save") } }
                }
            }
            H.p { H.a(.href(SurveyURL.home)) { t("survey.back") } }
        }
    }
}

extension HTMLNode {
    /// The same markup with one id (and the label pointing at it) changed, for fields repeated on a page.
    func renamedID(_ old: String, to new: String) -> HTMLNode {
        func fix(_ attrs: [Attr]) -> [Attr] {
            attrs.map { a in (a.name == "id" || a.name == "for") && a.value == old ? Attr.attr(a.name, new) : a }
        }
        switch kind {
        case .element(let n, let attrs, let children): return HTMLNode(kind: .element(n, fix(attrs), children.map { $0.renamedID(old, to: new) }))
        case .void(let n, let attrs): return HTMLNode(kind: .void(n, fix(attrs)))
        default: return self
        }
    }
}

/// Horizontal bar charts as SVG: each bar has its value written beside it, the chart has a title and a
/// description, and the page repeats the numbers in a table, so nothing depends on seeing the picture.
enum SurveyChart {
    static func bars(title: String, bars: [(String, Points?, Int)], targets: [(Int, Points)], t: Localizer) -> HTMLNode {
        guard !bars.isEmpty else { return .empty }
        let rowH = 28, labelW = 260, barW = 360, width = labelW + barW + 90
        let height = bars.count * rowH + 30
        func esc(_ s: String) -> String {
            s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
        }
        let uid = "c" + String(abs(title.hashValue) % 100_000)
        var svg = "<svg class=\"chart\" role=\"img\" aria-labelledby=\"\(uid)-t \(uid)-d\" viewBox=\"0 0 \(width) \(height)\" width=\"100%\" preserveAspectRatio=\"xMinYMin meet\">"
        svg += "<title id=\"\(uid)-t\">\(esc(title))</title><desc id=\"\(uid)-d\">\(esc(bars.map { $0.0 + ": " + SurveyAdminPages.pct(t, $0.1) }.joined(separator: "; ")))</desc>"
        for (i, b) in bars.enumerated() {
            let y = i * rowH + 4
            let value = Double(b.1?.e4 ?? 0) / 10_000
            let w = Int((value / 100 * Double(barW)).rounded())
            let label = b.0.count > 32 ? String(b.0.prefix(31)) + "…" : b.0
            svg += "<text x=\"\(labelW - 8)\" y=\"\(y + 17)\" text-anchor=\"end\" font-size=\"13\" fill=\"#1f2a37\">\(esc(label))</text>"
            svg += "<rect x=\"\(labelW)\" y=\"\(y + 4)\" width=\"\(barW)\" height=\"18\" fill=\"#e4e8ee\"/>"
            svg += "<rect x=\"\(labelW)\" y=\"\(y + 4)\" width=\"\(max(0, w))\" height=\"18\" fill=\"#1d4f91\"/>"
            svg += "<text x=\"\(labelW + barW + 6)\" y=\"\(y + 17)\" font-size=\"13\" fill=\"#1f2a37\">\(esc(SurveyAdminPages.pct(t, b.1)))</text>"
        }
        for (i, (year, p)) in targets.enumerated() {
            let x = labelW + Int((Double(p.e4) / 10_000 / 100 * Double(barW)).rounded())
            svg += "<line x1=\"\(x)\" y1=\"0\" x2=\"\(x)\" y2=\"\(height - 22)\" stroke=\"#b3261e\" stroke-width=\"2\" stroke-dasharray=\"4 3\"/>"
            // Neighbouring targets (90 and 95 %) sit close: the first label reads leftwards, the others rightwards.
            svg += "<text x=\"\(i == 0 ? x - 3 : x + 3)\" y=\"\(height - 6)\" text-anchor=\"\(i == 0 ? "end" : "start")\" font-size=\"12\" fill=\"#b3261e\">"
                + "\(year): \(esc(p.formattedCompact(english: t.lang == .en)))%</text>"
        }
        svg += "</svg>"
        return H.div(.class("chart-wrap")) { HTMLNode.raw(svg) }
    }
}
