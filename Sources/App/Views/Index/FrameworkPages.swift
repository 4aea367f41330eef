import Foundation
import ThiDuaCore

enum FrameworkPages {
    static func index(_ ctx: PageContext, frameworks: [IndexFramework], canManage: Bool, problems: [String]) -> HTMLNode {
        let t = ctx.t
        return Layout.page(ctx, title: t("fw.title")) {
            Components.flash(t, ctx.flashKey)
            H.h1 { t("fw.title") }
            if !problems.isEmpty {
                H.div(.class("error-summary"), .role("alert")) {
                    H.h2 { t("fw.problems") }
                    H.ul { for p in problems { H.li { p } } }
                }
            }
            if frameworks.isEmpty {
                H.p(.class("notice")) { t("fw.none") }
            } else {
                H.table {
                    H.caption { t("fw.title") }
                    H.thead {
                        H.tr {
                            H.th(.attr("scope", "col")) { t("column.code") }
                            H.th(.attr("scope", "col")) { t("column.name") }
                            H.th(.attr("scope", "col"), .class("num")) { t("person.year") }
                            H.th(.attr("scope", "col")) { t("fw.unitKind") }
                        }
                    }
                    H.tbody {
                        for f in frameworks {
                            H.tr {
                                H.td { f.code }
                                H.td { H.a(.href(SiteURL.framework(f.id ?? UUID()).path)) { f.name } }
                                H.td(.class("num")) { String(f.year) }
                                H.td { UnitKind(rawValue: f.unitKind).map { t($0.labelKey) } ?? f.unitKind }
                            }
                        }
                    }
                }
            }
            if canManage {
                H.h2 { t("fw.import") }
                H.form(.method("post"), .action(SiteURL.frameworks.path + "?_csrf=" + ctx.csrf), .attr("enctype", "multipart/form-data"), .class("card")) {
                    Layout.csrfField(ctx)
                    H.div(.class("field")) {
                        H.label(.for("f-fwfile")) { t("fw.file") }
                        H.p(.class("hint"), .id("f-fwfile-hint")) { t("fw.fileHint") }
                        H.input(.type("file"), .id("f-fwfile"), .name("file"), .attr("accept", ".json,.xlsx,application/json"), .flag("required"), .aria("describedby", "f-fwfile-hint"))
                    }
                    H.fieldset {
                        H.legend { t("fw.xlsxFields") }
                        Components.textField(t("column.code"), name: "code", value: nil, maxlength: 32)
                        Components.textField(t("column.name"), name: "name", value: nil, maxlength: 255)
                        Components.textField(t("person.year"), name: "year", value: nil, type: "number")
                        Components.selectField(t("fw.unitKind"), name: "unit_kind", options: UnitKind.allCases.map { ($0.rawValue, t($0.labelKey)) }, selected: nil, includeBlank: true)
                        Components.textField(t("fw.places"), name: "places", value: "2", type: "number")
                    }
                    H.div(.class("actions")) { H.button(.type("submit")) { t("fw.importSubmit") } }
                }
                H.form(.method("post"), .action(SiteURL.frameworkStarters.path)) {
                    Layout.csrfField(ctx)
                    H.div(.class("actions")) { H.button(.type("submit"), .class("secondary")) { t("fw.loadStarters") } }
                }
            }
        }
    }

    static func show(_ ctx: PageContext, model: IndexFramework, fw: CompiledFramework, canManage: Bool) -> HTMLNode {
        let t = ctx.t
        let id = model.id ?? UUID()
        return Layout.page(ctx, title: fw.spec.name) {
            Components.flash(t, ctx.flashKey)
            H.h1 { fw.spec.name }
            H.div(.class("card")) {
                Components.facts([
                    (t("column.code"), fw.spec.code), (t("person.year"), String(fw.spec.year)),
                    (t("fw.unitKind"), UnitKind(rawValue: fw.spec.unitKind).map { t($0.labelKey) } ?? fw.spec.unitKind),
                    (t("fw.totalLabel"), fw.spec.total.formatted(places: fw.places, english: t.english)),
                    (t("fw.leaves"), t.number(fw.leaves.count)), (t("fw.places"), String(fw.places)),
                    (t("fw.legalBasis"), fw.spec.legalBasis),
                    (t("fw.bands"), fw.spec.bands.map { $0.label + " ≥ " + $0.min.formatted(places: 0, english: t.english) + "%" }.joined(separator: "; ")),
                ])
            }
            H.div(.class("actions")) {
                H.a(.class("button secondary"), .href(SiteURL.frameworkExport(id, "xlsx").path)) { t("export.xlsx") }
                H.a(.class("button secondary"), .href(SiteURL.frameworkExport(id, "json").path)) { t("fw.exportJSON") }
            }
            if canManage {
                H.form(.method("post"), .action(SiteURL.frameworkCopy(id).path), .class("filters")) {
                    Layout.csrfField(ctx)
                    Components.textField(t("fw.copyYear"), name: "year", value: String(fw.spec.year + 1), required: true, type: "number")
                    Components.textField(t("fw.copyCode"), name: "code", value: fw.spec.code.replacingOccurrences(of: String(fw.spec.year), with: String(fw.spec.year + 1)), required: true, maxlength: 32)
                    H.button(.type("submit")) { t("fw.copy") }
                }
            }
            H.div(.class("table-wrap")) {
                H.table {
                    H.caption { t("fw.criteria") }
                    H.thead {
                        H.tr {
                            H.th(.attr("scope", "col")) { t("fwsheet.code") }
                            H.th(.attr("scope", "col")) { t("fwsheet.content") }
                            H.th(.attr("scope", "col"), .class("num")) { t("fwsheet.max") }
                            H.th(.attr("scope", "col")) { t("fwsheet.method") }
                            H.th(.attr("scope", "col")) { t("fwsheet.evidence") }
                        }
                    }
                    H.tbody {
                        for n in fw.nodes {
                            H.tr(.class(n.isLeaf ? nil : "group-row")) {
                                H.td { n.code }
                                H.td(.class("depth-\(min(n.depth, 3))")) {
                                    n.title
                                    if n.kind != .normal { " "; H.span(.class("badge")) { t("fw.kind." + n.kind.rawValue) } }
                                }
                                H.td(.class("num")) { n.max.formatted(places: fw.places, english: t.english) }
                                H.td { MethodText.describe(n.method, places: fw.places, t) }
                                H.td { n.evidence }
                            }
                        }
                    }
                }
            }
        }
    }
}
