import Foundation
import ThiDuaCore

enum UnitPages {
    struct Rights: Sendable { let edit: Bool, merge: Bool, history: Bool }

    static func kindOptions(_ t: Localizer) -> [(value: String, label: String)] {
        UnitKind.allCases.map { ($0.rawValue, t($0.labelKey)) }
    }

    static func index(_ ctx: PageContext, query: UnitController.ListQuery, result: UnitQueries.ListResult, canCreate: Bool) -> HTMLNode {
        let t = ctx.t
        func link(_ page: Int) -> String {
            var items = [URLQueryItem(name: "page", value: String(page))]
            if let q = query.q, !q.isEmpty { items.append(.init(name: "q", value: q)) }
            if let k = query.kind, !k.isEmpty { items.append(.init(name: "kind", value: k)) }
            if query.all == "1" { items.append(.init(name: "all", value: "1")) }
            var c = URLComponents()
            c.path = SiteURL.units.path
            c.queryItems = items
            return c.string ?? SiteURL.units.path
        }
        return Layout.page(ctx, title: t("units.title")) {
            H.h1 { t("units.title") }
            H.form(.method("get"), .action(SiteURL.units.path), .class("filters"), .role("search")) {
                Components.textField(t("units.search"), name: "q", value: query.q, type: "search", hint: t("units.searchHint"))
                Components.selectField(t("units.kind"), name: "kind", options: kindOptions(t), selected: query.kind, includeBlank: true)
                H.div(.class("field")) {
                    H.label {
                        H.input(.type("checkbox"), .name("all"), .value("1"), .flag("checked", query.all == "1"))
                        " " + t("units.includeExpired")
                    }
                }
                H.button(.type("submit")) { t("form.filter") }
            }
            H.div(.class("actions")) {
                if canCreate { H.a(.class("button"), .href(SiteURL.unitNew.path)) { t("units.new") } }
                H.a(.class("button secondary"), .href(SiteURL.export("units", "xlsx").path)) { t("export.xlsx") }
                H.a(.class("button secondary"), .href(SiteURL.export("units", "csv").path)) { t("export.csv") }
            }
            H.p(.role("status")) { t("units.count", t.number(result.total)) }
            H.div(.class("table-wrap")) {
                H.table {
                    H.caption { t("units.title") }
                    H.thead {
                        H.tr {
                            H.th(.attr("scope", "col")) { t("column.code") }
                            H.th(.attr("scope", "col")) { t("column.name") }
                            H.th(.attr("scope", "col")) { t("column.kind") }
                            H.th(.attr("scope", "col")) { t("column.parent_code") }
                        }
                    }
                    H.tbody {
                        for r in result.rows {
                            H.tr {
                                H.td { r.code }
                                H.td {
                                    H.a(.href(SiteURL.unit(r.id).path)) { r.name }
                                    if r.expired { " "; H.span(.class("badge expired")) { t("units.expired", t.date(r.validTo)) } }
                                }
                                H.td { t(r.kind.labelKey) }
                                H.td { r.parentName ?? "—" }
                            }
                        }
                    }
                }
            }
            if result.rows.isEmpty { H.p(.class("notice")) { t("units.none") } }
            Components.pagination(t, page: result.page, pageCount: result.pageCount, link: link)
        }
    }

    static func show(_ ctx: PageContext, detail d: UnitQueries.Detail, rights: Rights) -> HTMLNode {
        let t = ctx.t
        let u = d.unit
        return Layout.page(ctx, title: u.name) {
            Components.flash(t, ctx.flashKey)
            H.h1 {
                u.name
                if u.expired { " "; H.span(.class("badge expired")) { t("units.expired", t.date(u.validTo)) } }
            }
            H.div(.class("card")) {
                Components.facts([
                    (t("column.code"), u.code),
                    (t("column.short_name"), u.shortName ?? ""),
                    (t("column.kind"), t(u.kind.labelKey)),
                    (t("column.valid_from"), t.date(u.validFrom)),
                    (t("column.valid_to"), t.date(u.validTo)),
                    (t("units.people"), t.number(d.peopleCount)),
                ])
                if let p = d.parent {
                    H.p { t("units.parent") + ": "; H.a(.href(SiteURL.unit(p.id).path)) { p.name } }
                }
            }
            H.div(.class("actions")) {
                if rights.edit { H.a(.class("button"), .href(SiteURL.unitEdit(u.id).path)) { t("form.edit") } }
                if rights.edit { H.a(.class("button secondary"), .href(SiteURL.unitNew.path + "?parent=" + u.id.uuidString)) { t("units.newChild") } }
                if rights.merge { H.a(.class("button secondary"), .href(SiteURL.unitMerge(u.id).path)) { t("units.merge") } }
                H.a(.class("button secondary"), .href(SiteURL.people.path + "?unit=" + u.id.uuidString)) { t("units.viewPeople") }
                if rights.history { H.a(.class("button secondary"), .href(SiteURL.history(Unit.auditType, u.id.uuidString).path)) { t("audit.history") } }
            }
            if !d.predecessors.isEmpty || !d.successors.isEmpty {
                H.h2 { t("units.succession") }
                H.ul {
                    for p in d.predecessors {
                        H.li {
                            t("units.predecessor") + ": "
                            H.a(.href(SiteURL.unit(p.id).path)) { p.name }
                            " — " + t("succession." + p.kind) + (p.effective.map { ", " + t("units.from") + " " + $0.vietnamese } ?? "")
                                + (p.reference.map { " (" + $0 + ")" } ?? "")
                        }
                    }
                    for s in d.successors {
                        H.li {
                            t("units.successor") + ": "
                            H.a(.href(SiteURL.unit(s.id).path)) { s.name }
                            " — " + t("succession." + s.kind) + (s.effective.map { ", " + t("units.from") + " " + $0.vietnamese } ?? "")
                                + (s.reference.map { " (" + $0 + ")" } ?? "")
                        }
                    }
                }
            }
            H.h2 { t("units.children") }
            if d.children.isEmpty {
                H.p(.class("muted")) { t("units.noChildren") }
            } else {
                H.ul(.class("tree")) {
                    for c in d.children {
                        H.li {
                            H.a(.href(SiteURL.unit(c.id).path)) { c.name }
                            " (" + c.code + ")"
                            if c.expired { " "; H.span(.class("badge expired")) { t("units.ended") } }
                        }
                    }
                }
            }
            if !d.blocks.isEmpty {
                H.h2 { t("units.blocks") }
                H.ul {
                    for b in d.blocks { H.li { H.a(.href(SiteURL.block(b.id).path)) { b.name + " (" + String(b.year) + ")" } } }
                }
            }
        }
    }

    static func form(
        _ ctx: PageContext, unit: Unit?, form f: UnitController.UnitForm, parents: [(value: String, label: String)],
        errors: [Components.FieldError]
    ) -> HTMLNode {
        let t = ctx.t
        let title = unit == nil ? t("units.new") : t("units.editTitle", unit?.name ?? "")
        let action = unit?.id.map { SiteURL.unit($0).path } ?? SiteURL.units.path
        return Layout.page(ctx, title: title) {
            H.h1 { title }
            Components.errorSummary(t, errors)
            H.form(.method("post"), .action(action), .class("card")) {
                Layout.csrfField(ctx)
                if let v = f.version { H.input(.type("hidden"), .name("version"), .value(v)) }
                if unit == nil {
                    Components.textField(t("column.code"), name: "code", value: f.code, errors: errors, required: true, hint: t("units.codeHint"), maxlength: 32)
                } else {
                    Components.facts([(t("column.code"), f.code ?? "")])
                }
                Components.textField(t("column.name"), name: "name", value: f.name, errors: errors, required: true, maxlength: 255)
                Components.textField(t("column.short_name"), name: "short_name", value: f.short_name, errors: errors, maxlength: 64)
                Components.selectField(t("column.kind"), name: "kind", options: kindOptions(t), selected: f.kind, errors: errors, required: true, includeBlank: true)
                Components.selectField(t("units.parent"), name: "parent_id", options: parents, selected: f.parent_id, errors: errors, includeBlank: true)
                Components.textField(t("column.valid_from"), name: "valid_from", value: f.valid_from, errors: errors, hint: t("form.dateHint"))
                Components.textField(t("column.valid_to"), name: "valid_to", value: f.valid_to, errors: errors, hint: t("form.dateHint"))
                if unit != nil {
                    Components.textField(t("form.reason"), name: "reason", value: f.reason, errors: errors, hint: t("form.reasonHint"), maxlength: 500)
                }
                H.div(.class("actions")) {
                    H.button(.type("submit")) { t("form.save") }
                    H.a(.href(unit?.id.map { SiteURL.unit($0).path } ?? SiteURL.units.path)) { t("form.cancel") }
                }
            }
        }
    }

    static func merge(_ ctx: PageContext, unit: Unit, form f: UnitController.MergeForm, errors: [Components.FieldError]) -> HTMLNode {
        let t = ctx.t
        let id = unit.id ?? UUID()
        return Layout.page(ctx, title: t("merge.title", unit.name)) {
            H.h1 { t("merge.title", unit.name) }
            H.p { t("merge.intro") }
            Components.errorSummary(t, errors)
            H.form(.method("post"), .action(SiteURL.unitMerge(id).path), .class("card")) {
                Layout.csrfField(ctx)
                Components.textField(t("merge.codes"), name: "codes", value: f.codes, errors: errors, required: true, hint: t("merge.codesHint"))
                Components.textField(t("merge.effective"), name: "effective_on", value: f.effective_on, errors: errors, required: true, hint: t("form.dateHint"))
                Components.textField(t("merge.reference"), name: "reference", value: f.reference, errors: errors, required: true, hint: t("merge.referenceHint"), maxlength: 200)
                H.div(.class("actions")) {
                    H.button(.type("submit")) { t("merge.submit") }
                    H.a(.href(SiteURL.unit(id).path)) { t("form.cancel") }
                }
            }
        }
    }
}
