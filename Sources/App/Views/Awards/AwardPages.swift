import Foundation
import ThiDuaCore

enum AwardPages {
    static func th(_ s: String) -> HTMLNode { SurveyAdminPages.th(s, num: false) }

    /// A rule as a sentence.
    static func describe(_ t: Localizer, _ rule: EligibilityRule) -> String {
        switch rule {
        case .consecutiveRatings(let atLeast, let years, let maternity):
            t("award.rule.ratings", String(years), t(atLeast.labelKey)) + (maternity ? " " + t("award.rule.maternity") : "")
        case .consecutiveTitles(let award, let years): t("award.rule.titles", award, String(years))
        case .initiatives(let atLeast, let count, let within): t("award.rule.initiatives", String(count), t(atLeast.labelKey).lowercased(), String(within))
        case .unitBand(let bands): t("award.rule.band", bands.joined(separator: ", "))
        case .noDiscipline: t("award.rule.noDiscipline")
        case .noPendingCase(let kinds): t("award.rule.noPending", kinds.map { t("case." + $0.rawValue).lowercased() }.joined(separator: "; "))
        case .manual(let text): t("award.rule.manual", text)
        }
    }

    /// The result's arguments as people read them: levels and case kinds in words, dates as 16/02/2026.
    static func readable(_ t: Localizer, _ r: RuleResult) -> [String] {
        r.arguments.enumerated().map { i, a in
            if let d = CivilDate(parsing: a), a.count == 10 { return d.vietnamese }
            if r.key == "elig.initiatives" && i == 2 { return t("initiative.level." + a).lowercased() }
            if r.key == "elig.pending" && i == 0 { return t("case." + a).lowercased() }
            return a
        }
    }

    static func badge(_ t: Localizer, _ s: RuleStatus) -> HTMLNode {
        H.span(.class(s == .met ? "badge ok" : s == .notMet ? "badge warn" : "badge")) { t("award.status." + s.rawValue) }
    }

    static func index(_ ctx: PageContext, _ c: AwardCatalogue, canManage: Bool) -> HTMLNode {
        let t = ctx.t
        return Layout.page(ctx, title: t("award.title")) {
            Components.flash(t, ctx.flashKey)
            H.h1 { t("award.title") }
            H.p { t("award.intro") }
            H.p { H.strong { t("award.version") + ": " }; c.versionLabel }
            H.div(.class("actions")) {
                H.a(.class("button"), .href(NominationURL.movements)) { t("award.movements") }
                H.a(.href(AwardURL.eligibility)) { t("award.check") }
                H.a(.href(AwardURL.registry)) { t("award.registry") }
                if canManage { H.a(.href(AwardURL.catalogue)) { t("award.edit") } }
            }
            for type in c.types {
                H.section(.class("card")) {
                    H.h2 { type.name + " (" + type.code + ")" }
                    Components.facts([
                        (t("award.subject"), t("award.subject." + type.subject.rawValue)), (t("award.authority"), type.authority),
                        (t("award.legalBasis"), type.legalBasis), (t("award.merit"), type.merit ? t("form.yes") : t("form.no")),
                    ])
                    H.h3 { t("award.rules") }
                    H.ul { for r in type.rules { H.li { describe(t, r) } } }
                }
            }
        }
    }

    static func edit(_ ctx: PageContext, json: String, errors: [String]) -> HTMLNode {
        let t = ctx.t
        return Layout.page(ctx, title: t("award.edit")) {
            H.p { H.a(.href(AwardURL.home)) { t("award.back") } }
            H.h1 { t("award.edit") }
            H.p(.class("hint")) { t("award.editHint") }
            if !errors.isEmpty {
                H.div(.class("error-summary"), .role("alert"), .attr("tabindex", "-1")) {
                    H.h2 { t("form.errorsTitle") }
                    H.ul { for e in errors { H.li { H.a(.href("#f-json")) { e } } } }
                }
            }
            H.form(.method("post"), .action(AwardURL.catalogue), .class("card")) {
                Layout.csrfField(ctx)
                H.div(.class(errors.isEmpty ? "field" : "field has-error")) {
                    H.label(.for("f-json")) { t("award.catalogueJSON") }
                    H.textarea(.id("f-json"), .name("json"), .attr("rows", "30"), .class("code"), .attr("spellcheck", "false")) { json }
                }
                H.div(.class("actions")) { H.button(.type("submit")) { t("form.save") } }
            }
        }
    }

    struct Check {
        let holder: String
        let unit: String
        let award: AwardType
        let year: Int
        let results: [(EligibilityRule, RuleResult)]
        let overall: RuleStatus
    }

    static func eligibility(_ ctx: PageContext, catalogue: AwardCatalogue, personCode: String, unitCode: String, awardCode: String, year: Int, check: Check?,
                            error: String?) -> HTMLNode {
        let t = ctx.t
        return Layout.page(ctx, title: t("award.check")) {
            H.p { H.a(.href(AwardURL.home)) { t("award.back") } }
            H.h1 { t("award.check") }
            if let error { H.div(.class("error-summary"), .role("alert")) { H.p { error } } }
            H.form(.method("get"), .action(AwardURL.eligibility), .class("filters")) {
                Components.selectField(
                    t("award.type"), name: "award", options: catalogue.types.map { ($0.code, $0.name + " — " + t("award.subject." + $0.subject.rawValue)) },
                    selected: awardCode, required: true)
                Components.textField(t("initiative.personCode"), name: "person", value: personCode, hint: t("award.personHint"))
                Components.textField(t("column.unit_code"), name: "unit", value: unitCode, hint: t("award.unitHint"))
                Components.textField(t("award.year"), name: "year", value: String(year), required: true)
                H.div(.class("actions")) { H.button(.type("submit")) { t("award.checkIt") } }
            }
            if let c = check {
                H.h2 { c.holder + " — " + c.award.name + " " + String(c.year) }
                H.p { c.unit + " · " + t("award.overall") + ": " ; badge(t, c.overall) }
                H.div(.class("table-wrap")) {
                    H.table {
                        H.caption { t("award.rules") }
                        H.thead { H.tr { th(t("award.rule")); th(t("award.result")); th(t("award.data")) } }
                        H.tbody {
                            for (rule, r) in c.results {
                                H.tr {
                                    H.th(.attr("scope", "row")) { describe(t, rule) }
                                    H.td { badge(t, r.status) }
                                    H.td { t(r.key, arguments: readable(t, r)) }
                                }
                            }
                        }
                    }
                }
                H.p(.class("hint")) { t("award.checkHint") }
            }
        }
    }
}
