import Foundation
import ThiDuaCore

enum EmulationPages {
    static func th(_ s: String, num: Bool = false) -> HTMLNode { SurveyAdminPages.th(s, num: num) }

    /// Where a number came from, in words.
    static func source(_ t: Localizer, _ line: EmulationLine) -> String {
        let args = line.arguments.map { a in
            MetricKey(rawValue: a).map { t($0.labelKey).lowercased() } ?? (a.contains(".") ? Points(parsing: a)?.formattedCompact(english: t.english) : nil) ?? a
        }
        return t(line.sourceKey, arguments: args)
    }

    static func scores(_ ctx: PageContext, _ m: AwardMovement, blocks: [EmulationBlock], block: EmulationBlock?, rows: [EmulationController.UnitScore],
                       manager: Bool, errors: [Components.FieldError], values: [String: String]) -> HTMLNode {
        let t = ctx.t
        let id = m.id!
        let scheme = m.scheme
        let ranks = EmulationScoring.ranks(rows.map(\.score.total))
        return Layout.page(ctx, title: t("emulation.title") + " — " + m.name) {
            H.p { H.a(.href(NominationURL.movement(id))) { m.name } }
            Components.flash(t, ctx.flashKey)
            H.h1 { t("emulation.title") }
            H.p { t("emulation.intro", scheme.total.formattedCompact()) }
            if manager { H.p { H.a(.href(EmulationURL.scheme(id))) { t("emulation.editScheme") } } }
            if blocks.isEmpty {
                H.p { t("emulation.noBlocks", String(m.year)) }
            } else {
                H.form(.method("get"), .action(EmulationURL.scores(id)), .class("filters")) {
                    Components.selectField(t("emulation.block"), name: "block", options: blocks.map { ($0.id!.uuidString, $0.name) }, selected: block?.id?.uuidString)
                    H.div(.class("actions")) { H.button(.type("submit")) { t("emulation.show") } }
                }
            }
            if let block {
                // The criteria by code (the table's columns), with their maximum and source.
                H.dl(.class("legend")) {
                    for c in scheme.criteria {
                        H.dt { c.code }
                        H.dd { c.name + " — " + t("emulation.max", c.max.formattedCompact(english: t.english)) }
                    }
                }
                // Wide: it scrolls, so it takes the keyboard focus and is named for screen readers.
                H.div(.class("table-wrap"), .attr("tabindex", "0"), .role("region"), .aria("label", t("emulation.ranking", block.name))) {
                    H.table {
                        H.caption { t("emulation.ranking", block.name) }
                        H.thead {
                            H.tr {
                                th(t("emulation.rank"), num: true); th(t("column.unit"))
                                for c in scheme.criteria { H.th(.attr("scope", "col"), .class("num"), .attr("title", c.name)) { c.code + " (" + c.max.formattedCompact(english: t.english) + ")" } }
                                th(t("emulation.deductions"), num: true); th(t("emulation.total"), num: true)
                            }
                        }
                        H.tbody {
                            for (r, row) in zip(ranks, rows) {
                                H.tr {
                                    H.td(.class("num")) { String(r) }
                                    H.th(.attr("scope", "row"), .class("nowrap")) { row.unit.name }
                                    for line in row.score.lines {
                                        H.td(.class("num")) {
                                            line.points.map { $0.formattedCompact() } ?? "—"
                                            H.br()
                                            H.small(.class("hint")) { source(t, line) }
                                        }
                                    }
                                    H.td(.class("num")) {
                                        row.score.deducted == .zero ? "0" : "−" + row.score.deducted.formattedCompact()
                                        for d in row.deductions { H.br(); H.small(.class("hint")) { d.note + " (" + (d.reference ?? "") + ")" } }
                                    }
                                    H.td(.class("num")) { H.strong { row.score.total.formattedCompact() } }
                                }
                            }
                        }
                    }
                }
                H.p(.class("hint")) { t("emulation.rounding") }
            }
            if manager && !rows.isEmpty {
                Components.errorSummary(t, errors)
                let units = rows.map { ($0.unit.id!.uuidString, $0.unit.name) }
                let manual = scheme.criteria.filter { $0.source == .manual }
                if !manual.isEmpty {
                    H.form(.method("post"), .action(EmulationURL.scores(id)), .class("card")) {
                        Layout.csrfField(ctx)
                        H.input(.type("hidden"), .name("block"), .value(block?.id?.uuidString ?? ""))
                        H.h2 { t("emulation.enter") }
                        Components.selectField(t("column.unit"), name: "unit", options: units, selected: values["unit"], errors: errors, required: true)
                        Components.selectField(t("emulation.criterion"), name: "criterion", options: manual.map { ($0.code, $0.name + " (≤ " + $0.max.formattedCompact() + ")") },
                                               selected: values["criterion"], errors: errors, required: true)
                        Components.textField(t("emulation.points"), name: "points", value: values["points"], errors: errors, required: true, hint: t("emulation.pointsHint"))
                        Components.textField(t("emulation.note"), name: "note", value: values["note"], errors: errors)
                        H.div(.class("actions")) { H.button(.type("submit")) { t("form.save") } }
                    }
                }
                H.form(.method("post"), .action(EmulationURL.deductions(id)), .class("card")) {
                    Layout.csrfField(ctx)
                    H.input(.type("hidden"), .name("block"), .value(block?.id?.uuidString ?? ""))
                    H.h2 { t("emulation.deduct") }
                    H.p(.class("hint")) { t("emulation.deductHint") }
                    Components.selectField(t("column.unit"), name: "d_unit", options: units, selected: values["d_unit"], errors: errors, required: true)
                    Components.textField(t("emulation.points"), name: "d_points", value: values["d_points"], errors: errors, required: true)
                    Components.textField(t("emulation.reason"), name: "d_note", value: values["d_note"], errors: errors, required: true)
                    Components.textField(t("emulation.reference"), name: "d_reference", value: values["d_reference"], errors: errors, required: true,
                                         hint: t("emulation.referenceHint"))
                    H.div(.class("actions")) { H.button(.type("submit")) { t("emulation.deductIt") } }
                }
            }
        }
    }

    static func scheme(_ ctx: PageContext, _ m: AwardMovement, json: String, errors: [String]) -> HTMLNode {
        let t = ctx.t
        return Layout.page(ctx, title: t("emulation.editScheme")) {
            H.p { H.a(.href(EmulationURL.scores(m.id!))) { t("emulation.title") } }
            H.h1 { t("emulation.editScheme") }
            H.p(.class("hint")) { t("emulation.schemeHint") }
            if !errors.isEmpty {
                H.div(.class("error-summary"), .role("alert"), .attr("tabindex", "-1")) {
                    H.h2 { t("form.errorsTitle") }
                    H.ul { for e in errors { H.li { H.a(.href("#f-json")) { e } } } }
                }
            }
            H.form(.method("post"), .action(EmulationURL.scheme(m.id!)), .class("card")) {
                Layout.csrfField(ctx)
                H.div(.class(errors.isEmpty ? "field" : "field has-error")) {
                    H.label(.for("f-json")) { t("emulation.schemeJSON") }
                    H.textarea(.id("f-json"), .name("json"), .attr("rows", "24"), .class("code"), .attr("spellcheck", "false")) { json }
                }
                H.div(.class("actions")) { H.button(.type("submit")) { t("form.save") } }
            }
        }
    }

    /// The review report as a page that prints on A4 (the same blocks as the DOCX).
    static func review(_ ctx: PageContext, _ m: AwardMovement, title: String, final: Bool, blocks: [OfficialDocument.Block]) -> HTMLNode {
        let t = ctx.t
        let id = m.id!
        return Layout.page(ctx, title: title) {
            H.p(.class("actions")) {
                H.a(.href(NominationURL.movement(id))) { m.name }
                H.a(.href(EmulationURL.review(id) + "?kind=" + (final ? "midterm" : "final"))) { final ? t("review.midterm") : t("review.final") }
                H.a(.class("button"), .href(EmulationURL.review(id) + "?kind=" + (final ? "final" : "midterm") + "&format=docx")) { t("review.docx") }
            }
            H.section(.class("report")) {
                H.h1 { "BÁO CÁO" }
                H.p(.class("report-subject")) { title }
                for b in blocks {
                    switch b {
                    case .heading(let s, _): H.h2 { s }
                    case .paragraph(let s): H.p { s }
                    case .table(let header, let rows):
                        H.div(.class("table-wrap")) {
                            H.table {
                                H.caption { header.joined(separator: ", ") }
                                H.thead { H.tr { for h in header { th(h) } } }
                                H.tbody { for r in rows { H.tr { for c in r { H.td { c } } } } }
                            }
                        }
                    }
                }
            }
        }
    }
}
