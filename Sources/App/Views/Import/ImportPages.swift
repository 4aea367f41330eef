import Foundation
import ThiDuaCore

enum ImportPages {
    static func form(_ ctx: PageContext, error: String?, kind: ImportController.Kind?) -> HTMLNode {
        let t = ctx.t
        // The token also rides in the query string so it is checked before a large upload is read.
        let action = SiteURL.importPreview.path + "?" + CSRFMiddleware.fieldName + "=" + ctx.csrf
        return Layout.page(ctx, title: t("import.title")) {
            H.h1 { t("import.title") }
            H.p { t("import.intro") }
            if let error { H.div(.class("error-summary"), .role("alert")) { H.p { error } } }
            H.form(.method("post"), .action(action), .attr("enctype", "multipart/form-data"), .class("card")) {
                Layout.csrfField(ctx)
                Components.selectField(
                    t("import.kind"), name: "kind",
                    options: ImportController.Kind.allCases.map { ($0.rawValue, t("import.kind." + $0.rawValue)) },
                    selected: kind?.rawValue, required: true)
                H.div(.class("field")) {
                    H.label(.for("f-file")) { t("import.file") }
                    H.p(.class("hint"), .id("f-file-hint")) { t("import.fileHint") }
                    H.input(.type("file"), .id("f-file"), .name("file"), .flag("required"), .attr("accept", ".csv,.xlsx,text/csv"), .aria("describedby", "f-file-hint"))
                }
                H.div(.class("actions")) { H.button(.type("submit")) { t("import.preview") } }
            }
            H.h2 { t("import.columns") }
            H.p { H.strong { t("import.kind.units") + ": " }; t("import.columns.units") }
            H.p { H.strong { t("import.kind.people") + ": " }; t("import.columns.people") }
            H.p { H.strong { t("import.kind.procedures") + ": " }; t("import.columns.procedures") }
            H.p { H.strong { t("import.kind.dossiers") + ": " }; t("import.columns.dossiers") }
            H.p { H.strong { t("import.kind.awards") + ": " }; t("import.columns.awards") }
        }
    }

    static func preview(_ ctx: PageContext, batch: ImportBatch, plan: ImportPlanner.Plan) -> HTMLNode {
        let t = ctx.t
        let id = batch.id ?? UUID()
        let imported = ctx.query?.contains("ok=imported") == true
        let issues: [RowIssue]
        let missing: [String]
        let unknown: [String]
        let total: Int
        let updates: Int
        var draftRows: [[String]] = []
        let header: [String]
        var keptAside = 0
        switch plan {
        case .units(let p):
            (issues, missing, unknown, total, updates) = (p.issues, p.missingColumns, p.unknownColumns, p.drafts.count, p.drafts.filter(\.updatesExisting).count)
            header = [t("import.row"), t("column.code"), t("column.name"), t("column.kind"), t("column.parent_code"), t("import.action")]
            draftRows = p.drafts.prefix(200).map { [String($0.row), $0.code, $0.name, t($0.kind.labelKey), $0.parentCode ?? "", t($0.updatesExisting ? "import.update" : "import.create")] }
        case .procedures(let p):
            (issues, missing, unknown, total, updates) = (p.issues, p.missingColumns, p.unknownColumns, p.drafts.count, p.drafts.filter(\.updatesExisting).count)
            header = [t("import.row"), t("column.code"), t("column.name"), t("column.field"), t("column.statutory_days"), t("import.action")]
            draftRows = p.drafts.prefix(200).map { [String($0.row), $0.code, $0.name, $0.field, $0.statutory.description, t($0.updatesExisting ? "import.update" : "import.create")] }
        case .dossiers(let p):
            (issues, missing, unknown, total, updates) = (p.issues, p.missingColumns, p.unknownColumns, p.drafts.count, p.drafts.filter(\.updatesExisting).count)
            keptAside = p.drafts.filter(\.keptAside).count
            header = [t("import.row"), t("column.code"), t("column.procedure_code"), t("column.unit_code"), t("column.received_at"), t("column.resolved_at"), t("import.action")]
            draftRows = p.drafts.prefix(200).map {
                let action = $0.keptAside ? "import.keepAside" : $0.updatesExisting ? "import.update" : "import.create"
                return [String($0.row), $0.input.code, $0.input.procedureCode, $0.input.unitCode, InstantText.local($0.input.received), $0.input.resolved.map(InstantText.local) ?? "", t(action)]
            }
        case .awards(let p):
            (issues, missing, unknown, total, updates) = (p.issues, p.missingColumns, p.unknownColumns, p.drafts.count, 0)
            header = [t("import.row"), t("column.award_code"), t("column.year"), t("column.person_code"), t("column.unit_code"), t("column.decision_number"), t("import.action")]
            draftRows = p.drafts.prefix(200).map { [String($0.row), $0.awardCode, String($0.year), $0.personCode ?? "", $0.unitCode ?? "", $0.decisionNumber, t("import.create")] }
        case .people(let p):
            (issues, missing, unknown, total, updates) = (p.issues, p.missingColumns, p.unknownColumns, p.drafts.count, p.drafts.filter(\.updatesExisting).count)
            header = [t("import.row"), t("column.code"), t("column.full_name"), t("column.sex"), t("column.unit"), t("import.action")]
            draftRows = p.drafts.prefix(200).map { [String($0.row), $0.code, $0.fullName, t($0.sex.labelKey), $0.unitCode, t($0.updatesExisting ? "import.update" : "import.create")] }
        }
        return Layout.page(ctx, title: t("import.previewTitle")) {
            H.h1 { t("import.previewTitle") }
            if imported || batch.committed { H.div(.class("flash"), .role("status")) { t("flash.imported") } }
            H.div(.class("card")) {
                Components.facts([
                    (t("import.file"), batch.fileName),
                    (t("import.kind"), t("import.kind." + batch.kind)),
                    (t("import.encoding"), batch.encoding),
                    (t("import.validRows"), t.number(total)),
                    (t("import.updates"), t.number(updates)),
                    (t("import.problems"), t.number(issues.count + missing.count)),
                ])
            }
            if keptAside > 0 {
                H.div(.class("notice")) {
                    H.p { t("import.keptAsideNotice", t.number(keptAside)) }
                    if batch.committed { H.p { H.a(.href(PerformanceURL.rejects)) { t("perf.rejects.title") } } }
                }
            }
            if !missing.isEmpty {
                H.div(.class("error-summary"), .role("alert")) {
                    H.h2 { t("import.missingColumns") }
                    H.ul { for m in missing { H.li { t("column." + m) } } }
                }
            }
            if !unknown.isEmpty { H.div(.class("notice")) { t("import.unknownColumns", unknown.joined(separator: ", ")) } }
            if !issues.isEmpty {
                H.div(.class("error-summary"), .role("alert")) {
                    H.h2 { t("import.rowErrors", t.number(issues.count)) }
                    H.p { t("import.nothingSaved") }
                }
                H.div(.class("table-wrap")) {
                    H.table {
                        H.caption { t("import.rowErrorsCaption") }
                        H.thead { H.tr { H.th(.attr("scope", "col")) { t("import.row") }; H.th(.attr("scope", "col")) { t("import.column") }; H.th(.attr("scope", "col")) { t("import.problem") } } }
                        H.tbody {
                            for i in issues.prefix(1000) {
                                H.tr {
                                    H.td { t("import.rowN", String(i.row)) }
                                    H.td { i.column.map { t("column." + $0) } ?? "" }
                                    H.td { t.problem(i.problemKey, i.argument) }
                                }
                            }
                        }
                    }
                }
            }
            if !draftRows.isEmpty {
                H.h2 { t("import.validPreview") }
                H.div(.class("table-wrap")) {
                    H.table {
                        H.thead { H.tr { for h in header { H.th(.attr("scope", "col")) { h } } } }
                        H.tbody { for r in draftRows { H.tr { for c in r { H.td { c } } } } }
                    }
                }
            }
            H.div(.class("actions")) {
                if plan.isCommittable && !batch.committed {
                    H.form(.method("post"), .action(SiteURL.importCommit(id).path), .class("inline")) {
                        Layout.csrfField(ctx)
                        H.button(.type("submit"), .name("commit"), .value("1")) { t("import.commit", t.number(total)) }
                    }
                }
                H.a(.class("button secondary"), .href(SiteURL.imports.path)) { t("import.again") }
            }
        }
    }
}
