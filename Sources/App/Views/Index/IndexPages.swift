import Foundation
import ThiDuaCore

enum IndexPages {
    static func home(_ ctx: PageContext, cycles: [IndexCycle], mine: [IndexAssessment], toAppraise: [IndexAssessment], user: CurrentUser) -> HTMLNode {
        let t = ctx.t
        return Layout.page(ctx, title: t("index.title")) {
            H.h1 { t("index.title") }
            H.div(.class("actions")) {
                H.a(.class("button secondary"), .href(SiteURL.frameworks.path)) { t("fw.title") }
                if user.can(.manageCycles) { H.a(.class("button"), .href(SiteURL.cycleNew.path)) { t("cycle.new") } }
                H.a(.class("button secondary"), .href(SiteURL.publicIndex.path)) { t("public.title") }
            }
            sheetList(t, title: "index.mine", mine)
            sheetList(t, title: "index.toAppraise", toAppraise.sorted { ($0.unit.sortKey, $0.cycle.name) < ($1.unit.sortKey, $1.cycle.name) })
            H.h2 { t("cycle.list") }
            if cycles.isEmpty {
                H.p(.class("notice")) { t("cycle.none") }
            } else {
                H.table {
                    H.caption { t("cycle.list") }
                    H.thead { H.tr { H.th(.attr("scope", "col")) { t("column.name") }; H.th(.attr("scope", "col")) { t("person.year") }; H.th(.attr("scope", "col")) { t("cycle.phase") } } }
                    H.tbody {
                        for c in cycles {
                            H.tr {
                                H.td { H.a(.href(SiteURL.cycle(c.id ?? UUID()).path)) { c.name } }
                                H.td { String(c.year) }
                                H.td { t(c.phase.labelKey) }
                            }
                        }
                    }
                }
            }
        }
    }

    @HTMLBuilder
    private static func sheetList(_ t: Localizer, title: String, _ sheets: [IndexAssessment]) -> [HTMLNode] {
        if !sheets.isEmpty {
            H.h2 { t(title) }
            H.ul {
                for a in sheets {
                    H.li {
                        H.a(.href(SiteURL.assessment(a.id ?? UUID()).path)) { a.unit.name + " — " + a.cycle.name }
                        " (" + t("phase." + a.cycle.phaseRaw) + ", " + t("status." + a.statusRaw) + ")"
                    }
                }
            }
        }
    }

    static func cycleForm(_ ctx: PageContext, form f: CycleController.CycleForm, errors: [Components.FieldError]) -> HTMLNode {
        let t = ctx.t
        return Layout.page(ctx, title: t("cycle.new")) {
            H.h1 { t("cycle.new") }
            Components.errorSummary(t, errors)
            H.form(.method("post"), .action(SiteURL.cycles.path), .class("card")) {
                Layout.csrfField(ctx)
                Components.textField(t("person.year"), name: "year", value: f.year, errors: errors, required: true, type: "number")
                Components.textField(t("column.name"), name: "name", value: f.name, errors: errors, required: true, maxlength: 255)
                H.fieldset {
                    H.legend { t("cycle.deadlines") }
                    Components.textField(t("phase.self_assessment"), name: "self_due", value: f.self_due, errors: errors, hint: t("form.dateHint"))
                    Components.textField(t("phase.appraisal_1"), name: "appraisal1_due", value: f.appraisal1_due, errors: errors)
                    Components.textField(t("phase.explanation"), name: "explanation_due", value: f.explanation_due, errors: errors)
                    Components.textField(t("phase.appraisal_2"), name: "appraisal2_due", value: f.appraisal2_due, errors: errors)
                    Components.textField(t("phase.council"), name: "council_due", value: f.council_due, errors: errors)
                    Components.textField(t("phase.published"), name: "publication_due", value: f.publication_due, errors: errors)
                }
                H.div(.class("actions")) { H.button(.type("submit")) { t("form.save") }; H.a(.href(SiteURL.indexHome.path)) { t("form.cancel") } }
            }
        }
    }

    static func cycle(_ ctx: PageContext, cycle c: IndexCycle, model m: CycleQueries.Overview, user: CurrentUser, errors: [Components.FieldError]) -> HTMLNode {
        let t = ctx.t
        let id = c.id ?? UUID()
        let d = c.deadlines
        return Layout.page(ctx, title: c.name) {
            Components.flash(t, ctx.flashKey)
            H.h1 { c.name }
            Components.errorSummary(t, errors)
            H.div(.class("card")) {
                Components.facts([
                    (t("cycle.phase"), t(c.phase.labelKey)),
                    (t("phase.self_assessment"), t.date(d.selfAssessment)), (t("phase.appraisal_1"), t.date(d.appraisal1)),
                    (t("phase.explanation"), t.date(d.explanation)), (t("phase.appraisal_2"), t.date(d.appraisal2)),
                    (t("phase.council"), t.date(d.council)), (t("phase.published"), t.date(d.publication)),
                    (t("cycle.approvedBy"), c.approvedBy ?? ""),
                ])
            }
            H.h2 { t("cycle.assignments") }
            if m.assignments.isEmpty { H.p(.class("muted")) { t("cycle.noAssignmentsYet") } }
            H.ul { for a in m.assignments { H.li { a.block + " → " + a.framework } } }
            if user.can(.manageCycles) && (c.phase == .setup || c.phase == .selfAssessment) {
                H.form(.method("post"), .action(SiteURL.cycleAssign(id).path), .class("filters")) {
                    Layout.csrfField(ctx)
                    Components.selectField(t("cycle.block"), name: "block_id", options: m.blocks, selected: nil, required: true)
                    Components.selectField(t("cycle.framework"), name: "framework_id", options: m.frameworks, selected: nil, required: true)
                    H.button(.type("submit")) { t("cycle.assign") }
                }
            }
            H.div(.class("actions")) {
                if user.can(.manageCycles), let next = c.phase.next, next != .published {
                    H.form(.method("post"), .action(SiteURL.cyclePhase(id).path), .class("inline")) {
                        Layout.csrfField(ctx)
                        H.input(.type("hidden"), .name("target"), .value(next.rawValue))
                        H.button(.type("submit")) { t("cycle.advance", t(next.labelKey)) }
                    }
                }
                if user.can(.approveResults) && c.phase == .council && c.approvedBy == nil {
                    H.form(.method("post"), .action(SiteURL.cycleApprove(id).path), .class("inline")) {
                        Layout.csrfField(ctx)
                        H.button(.type("submit")) { t("cycle.approve") }
                    }
                }
                if user.can(.publishResults) && c.phase == .council && c.approvedBy != nil {
                    H.form(.method("post"), .action(SiteURL.cyclePublish(id).path), .class("inline")) {
                        Layout.csrfField(ctx)
                        H.button(.type("submit")) { t("cycle.publish") }
                    }
                }
                H.a(.class("button secondary"), .href(SiteURL.cycleRanking(id, "xlsx").path)) { t("export.xlsx") }
                H.a(.class("button secondary"), .href(SiteURL.cycleRanking(id, "csv").path)) { t("export.csv") }
                if user.can(.manageCycles) { H.a(.class("button secondary"), .href(SiteURL.cycleCalibration(id).path)) { t("calibration.title") } }
            }
            if user.can(.manageCycles) && c.phase != .setup {
                H.details {
                    H.summary { t("cycle.reopen") }
                    H.form(.method("post"), .action(SiteURL.cyclePhase(id).path), .class("card")) {
                        Layout.csrfField(ctx)
                        Components.selectField(t("cycle.phase"), name: "target",
                                               options: CyclePhase.allCases.filter { $0.isBefore(c.phase) }.map { ($0.rawValue, t($0.labelKey)) },
                                               selected: nil, required: true)
                        Components.textField(t("form.reason"), name: "reason", value: nil, errors: errors, required: true, maxlength: 500)
                        H.button(.type("submit"), .class("secondary")) { t("cycle.reopenSubmit") }
                    }
                }
            }
            if c.phase == .published && user.can(.publishResults) {
                H.details {
                    H.summary { t("cycle.correct") }
                    H.form(.method("post"), .action(SiteURL.cyclePublish(id).path), .class("card")) {
                        Layout.csrfField(ctx)
                        Components.textField(t("cycle.errata"), name: "errata", value: nil, required: true, hint: t("cycle.errataHint"), maxlength: 1000)
                        H.button(.type("submit")) { t("cycle.publishCorrection") }
                    }
                }
            }
            if !m.publications.isEmpty {
                H.h2 { t("cycle.publications") }
                H.ul {
                    for p in m.publications {
                        H.li {
                            H.a(.href(SiteURL.publicCycle(id).path + "?v=" + String(p.number))) { t("public.version", String(p.number)) }
                            " — " + t.dateTime(p.at) + " — SHA-256 "
                            H.code { p.digest }
                            if let e = p.errata { " — " + t("cycle.errata") + ": " + e }
                        }
                    }
                }
            }
            H.h2 { t("cycle.results") }
            if m.rows.isEmpty {
                H.p(.class("muted")) { t("cycle.noUnits") }
            } else {
                H.div(.class("table-wrap")) {
                    H.table {
                        H.caption { t("cycle.results") }
                        H.thead {
                            H.tr {
                                for h in ["cycle.group", "column.unit", "cycle.status", "cycle.selfPercent", "cycle.final", "cycle.percent", "cycle.change", "cycle.rank", "cycle.band"] {
                                    H.th(.attr("scope", "col")) { t(h) }
                                }
                            }
                        }
                        H.tbody {
                            for r in m.rows {
                                H.tr {
                                    H.td { r.group }
                                    H.td { H.a(.href(SiteURL.assessment(r.assessmentID).path)) { r.unitName } }
                                    H.td { t("status." + r.status.rawValue) }
                                    H.td(.class("num")) { r.selfPercent.formatted(places: r.places, english: t.english) }
                                    H.td(.class("num")) { r.final.formatted(places: r.places, english: t.english) }
                                    H.td(.class("num")) { r.percent.formatted(places: r.places, english: t.english) }
                                    H.td(.class("num")) { r.change.map { ($0 > .zero ? "+" : "") + $0.formatted(places: r.places, english: t.english) } ?? "—" }
                                    H.td(.class("num")) { String(r.rank) }
                                    H.td { r.band ?? "" }
                                }
                            }
                        }
                    }
                }
            }
            if !m.bandSummary.isEmpty {
                H.h2 { t("cycle.bandSummary") }
                H.table {
                    H.thead { H.tr { H.th(.attr("scope", "col")) { t("cycle.band") }; H.th(.attr("scope", "col"), .class("num")) { t("cycle.count") }; H.th(.attr("scope", "col"), .class("num")) { t("cycle.share") } } }
                    H.tbody {
                        for b in m.bandSummary {
                            H.tr { H.td { b.label }; H.td(.class("num")) { t.number(b.count) }; H.td(.class("num")) { b.share.formatted(places: 2, english: t.english) + " %" } }
                        }
                    }
                }
                H.p(.class("hint")) { t("cycle.shareRounding") }
            }
        }
    }

    static func calibration(_ ctx: PageContext, cycle c: IndexCycle, model: (byAppraiser: [CycleQueries.CalibrationRow], byCriterion: [CycleQueries.CalibrationRow])) -> HTMLNode {
        let t = ctx.t
        func table(_ caption: String, _ rows: [CycleQueries.CalibrationRow]) -> HTMLNode {
            H.table {
                H.caption { caption }
                H.thead {
                    H.tr {
                        H.th(.attr("scope", "col")) { caption }
                        for h in ["calibration.count", "calibration.mean", "calibration.median", "calibration.sd", "calibration.flag"] { H.th(.attr("scope", "col")) { t(h) } }
                    }
                }
                H.tbody {
                    for r in rows {
                        H.tr {
                            H.td { r.name }
                            H.td(.class("num")) { String(r.stats.count) }
                            H.td(.class("num")) { VietnameseFormat.number(Decimal(r.stats.mean), places: 2, english: t.english) }
                            H.td(.class("num")) { VietnameseFormat.number(Decimal(r.stats.median), places: 2, english: t.english) }
                            H.td(.class("num")) { VietnameseFormat.number(Decimal(r.stats.standardDeviation), places: 2, english: t.english) }
                            H.td { r.outlier ? t("calibration.outlier") : "" }
                        }
                    }
                }
            }
        }
        return Layout.page(ctx, title: t("calibration.title")) {
            H.h1 { t("calibration.title") + " — " + c.name }
            H.p(.class("hint")) { t("calibration.intro") }
            table(t("calibration.byAppraiser"), model.byAppraiser)
            table(t("calibration.byCriterion"), model.byCriterion)
        }
    }
}
