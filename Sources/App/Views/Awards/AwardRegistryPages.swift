import Foundation
import ThiDuaCore

extension AwardPages {
    static func registry(_ ctx: PageContext, personCode: String, unitCode: String, title: String?, lines: [AwardRegistryController.Line], error: String?)
        -> HTMLNode
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
                                                if let why = r.revokedReason { " " + why }
                                            } else { t("award.valid") }
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
