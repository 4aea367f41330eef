import Foundation
import ThiDuaCore

extension AwardPages {
    static func registry(_ ctx: PageContext, personCode: String, unitCode: String, title: String?, lines: [AwardRegistryController.Line], error: String?,
                         canManage: Bool = false) -> HTMLNode
    {
        let t = ctx.t
        return Layout.page(ctx, title: t("award.registry")) {
            H.p { H.a(.href(AwardURL.home)) { t("award.back") } }
            H.h1 { t("award.registry") }
            H.p { t("award.registryIntro") }
            if let error { H.div(.class("error-summary"), .role("alert")) { H.p { error } } }
            H.form(.method("get"), .action(AwardURL.registry), .class("filters")) {
                Components.textField(t("initiative.personCode"), name: "person", value: personCode)
                Components.textField(t("column.unit_code"), name: "unit", value: unitCode)
                H.div(.class("actions")) { H.button(.type("submit")) { t("award.show") } }
            }
            if let title {
                H.h2 { title }
                if lines.isEmpty { H.p(.class("notice")) { t("award.noRecords") } } else {
                    H.div(.class("table-wrap")) {
                        H.table {
                            H.caption { t("award.registry") + " — " + title }
                            H.thead {
                                H.tr {
                                    th(t("award.year")); th(t("award.type")); th(t("initiative.decisionNumber")); th(t("initiative.decisionDate"))
                                    th(t("award.merit")); th(t("column.status"))
                                }
                            }
                            H.tbody {
                                for l in lines {
                                    let r = l.record
                                    H.tr {
                                        H.th(.attr("scope", "row")) { String(r.year) }
                                        H.td {
                                            r.awardName + " (" + r.awardCode + ")"
                                            if let via = l.via { H.span(.class("muted")) { " — " + t("award.via", via) } }
                                        }
                                        H.td { r.decisionNumber }
                                        H.td { CivilDate(parsing: r.decisionDate)?.vietnamese ?? r.decisionDate }
                                        H.td { r.merit ? t("form.yes") : t("form.no") }
                                        H.td {
                                            if let on = r.revokedOn {
                                                H.span(.class("badge warn")) { t("award.revoked", CivilDate(parsing: on)?.vietnamese ?? on) }
                                                " " + [r.revokedGround.map { t("award.ground." + $0) }, r.revokedByDecision, r.revokedReason,
                                                       r.recovery.map { t("award.recovery") + ": " + $0 }].compactMap { $0 }.joined(separator: " · ")
                                            } else {
                                                t("award.valid")
                                                if canManage, let id = r.id {
                                                    " · "
                                                    H.a(.href("/awards/records/\(id)/revoke")) { t("award.revoke") }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    static func revokeForm(_ ctx: PageContext, record r: AwardRecord, holder: String, back: String, errors: [String]) -> HTMLNode {
        let t = ctx.t
        return Layout.page(ctx, title: t("award.revoke")) {
            H.p { H.a(.href(back)) { t("award.back") } }
            H.h1 { t("award.revoke") }
            Components.facts([
                (t("award.type"), r.awardName + " (" + r.awardCode + ")"), (t("award.holder"), holder), (t("award.year"), String(r.year)),
                (t("initiative.decisionNumber"), r.decisionNumber), (t("initiative.decisionDate"), CivilDate(parsing: r.decisionDate)?.vietnamese ?? r.decisionDate),
            ])
            if !errors.isEmpty {
                H.div(.class("error-summary"), .role("alert"), .attr("tabindex", "-1")) {
                    H.h2 { t("form.errorsTitle") }
                    H.ul { for e in errors { H.li { e } } }
                }
            }
            if r.revokedOn == nil, let id = r.id {
                H.form(.method("post"), .action("/awards/records/\(id)/revoke"), .class("card")) {
                    Layout.csrfField(ctx)
                    revocationFields(t)
                    H.div(.class("actions")) { H.button(.type("submit")) { t("award.revoke") } }
                }
            }
        }
    }

    /// The revocation's fields (`Revocation.read` reads them): for one award or a whole decision.
    static func revocationFields(_ t: Localizer) -> HTMLNode {
        .fragment([
            Components.selectField(
                t("award.ground"), name: "ground", options: RevocationGround.allCases.map { ($0.rawValue, t($0.labelKey)) }, selected: nil, required: true,
                includeBlank: true),
            Components.textField(t("award.revokeNumber"), name: "decision_number", value: nil, required: true),
            Components.textField(t("award.revokeDate"), name: "revoked_on", value: nil, required: true, hint: t("initiative.dateHint")),
            Components.textField(t("award.reason"), name: "reason", value: nil, required: true),
            Components.textField(t("award.recovery"), name: "recovery", value: nil),
        ])
    }
}
