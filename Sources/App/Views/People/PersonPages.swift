import Foundation
import ThiDuaCore

enum PersonPages {
    struct Rights: Sendable { let edit: Bool, sensitive: Bool, history: Bool }

    static func index(_ ctx: PageContext, query: PersonController.ListQuery, result: PersonQueries.ListResult, canCreate: Bool) -> HTMLNode {
        let t = ctx.t
        func link(_ page: Int) -> String {
            var c = URLComponents()
            c.path = SiteURL.people.path
            c.queryItems = [URLQueryItem(name: "page", value: String(page))]
                + (query.q.map { [URLQueryItem(name: "q", value: $0)] } ?? [])
                + (query.unit.map { [URLQueryItem(name: "unit", value: $0.uuidString)] } ?? [])
            return c.string ?? SiteURL.people.path
        }
        return Layout.page(ctx, title: t("people.title")) {
            H.h1 { t("people.title") + (result.unitName.map { " — " + $0 } ?? "") }
            H.form(.method("get"), .action(SiteURL.people.path), .class("filters"), .role("search")) {
                if let u = query.unit { H.input(.type("hidden"), .name("unit"), .value(u.uuidString)) }
                Components.textField(t("people.search"), name: "q", value: query.q, type: "search", hint: t("units.searchHint"))
                H.button(.type("submit")) { t("form.filter") }
            }
            H.div(.class("actions")) {
                if canCreate { H.a(.class("button"), .href(SiteURL.personNew.path + (query.unit.map { "?unit=" + $0.uuidString } ?? ""))) { t("people.new") } }
                H.a(.class("button secondary"), .href(SiteURL.export("people", "xlsx").path)) { t("export.xlsx") }
                H.a(.class("button secondary"), .href(SiteURL.export("people", "csv").path)) { t("export.csv") }
            }
            H.p(.role("status")) { t("people.count", t.number(result.total)) }
            H.div(.class("table-wrap")) {
                H.table {
                    H.caption { t("people.title") }
                    H.thead {
                        H.tr {
                            H.th(.attr("scope", "col")) { t("column.code") }
                            H.th(.attr("scope", "col")) { t("column.full_name") }
                            H.th(.attr("scope", "col")) { t("column.position") }
                            H.th(.attr("scope", "col")) { t("column.unit") }
                        }
                    }
                    H.tbody {
                        for r in result.rows {
                            H.tr {
                                H.td { r.code }
                                H.td { H.a(.href(SiteURL.person(r.id).path)) { r.fullName } }
                                H.td { r.position ?? "" }
                                H.td { r.unitName }
                            }
                        }
                    }
                }
            }
            if result.rows.isEmpty { H.p(.class("notice")) { t("people.none") } }
            Components.pagination(t, page: result.page, pageCount: result.pageCount, link: link)
        }
    }

    static func show(_ ctx: PageContext, detail d: PersonQueries.Detail, rights: Rights, errors: [Components.FieldError]) -> HTMLNode {
        let t = ctx.t
        let thisYear = CivilDate.today().year
        return Layout.page(ctx, title: d.fullName) {
            Components.flash(t, ctx.flashKey)
            H.h1 { d.fullName }
            Components.errorSummary(t, errors)
            H.div(.class("card")) {
                Components.facts([
                    (t("column.code"), d.code),
                    (t("column.sex"), t(d.sex.labelKey)),
                    (t("column.birth_year"), d.birthYear.map(String.init) ?? ""),
                    (t("column.position"), d.position ?? ""),
                ])
                H.p { t("column.unit") + ": "; H.a(.href(SiteURL.unit(d.unitID).path)) { d.unitName } }
            }
            H.div(.class("actions")) {
                if rights.edit { H.a(.class("button"), .href(SiteURL.personEdit(d.id).path)) { t("form.edit") } }
                if rights.history { H.a(.class("button secondary"), .href(SiteURL.history(Person.auditType, d.id.uuidString).path)) { t("audit.history") } }
            }
            H.h2(.id("ratings")) { t("person.ratings") }
            if d.ratings.isEmpty {
                H.p(.class("muted")) { t("person.noRatings") }
            } else {
                H.table {
                    H.thead { H.tr { H.th(.attr("scope", "col")) { t("person.year") }; H.th(.attr("scope", "col")) { t("person.rating") } } }
                    H.tbody {
                        for r in d.ratings {
                            H.tr { H.td { String(r.year) }; H.td { t(r.rating.labelKey) + " (" + r.rating.abbreviation + ")" } }
                        }
                    }
                }
            }
            if rights.edit {
                H.form(.method("post"), .action(SiteURL.personRatings(d.id).path), .class("filters")) {
                    Layout.csrfField(ctx)
                    Components.textField(t("person.year"), name: "year", value: String(thisYear - 1), errors: errors, required: true, type: "number")
                    Components.selectField(t("person.rating"), name: "rating", options: PerformanceRating.allCases.map { ($0.rawValue, t($0.labelKey)) }, selected: nil, required: true)
                    H.button(.type("submit")) { t("person.saveRating") }
                }
            }
            if d.sensitiveShown {
                H.h2(.id("periods")) { t("person.periods") }
                H.p(.class("hint")) { t("person.periodsHint") }
                if d.periods.isEmpty {
                    H.p(.class("muted")) { t("person.noPeriods") }
                } else {
                    H.table {
                        H.thead {
                            H.tr {
                                H.th(.attr("scope", "col")) { t("person.category") }
                                H.th(.attr("scope", "col")) { t("person.kind") }
                                H.th(.attr("scope", "col")) { t("person.from") }
                                H.th(.attr("scope", "col")) { t("person.to") }
                                H.th(.attr("scope", "col")) { t("person.reference") }
                                if rights.edit { H.th(.attr("scope", "col")) { t("form.actions") } }
                            }
                        }
                        H.tbody {
                            for p in d.periods {
                                H.tr {
                                    H.td { t("period." + p.category.rawValue) }
                                    H.td { t(p.category.labelKey(kind: p.kind)) }
                                    H.td { t.date(p.period?.start) }
                                    H.td { p.period?.end.map { $0.vietnamese } ?? t("person.ongoing") }
                                    H.td { p.reference ?? "" }
                                    if rights.edit {
                                        H.td {
                                            H.form(.method("post"), .action(SiteURL.personPeriodDelete(d.id, p.id).path), .class("inline")) {
                                                Layout.csrfField(ctx)
                                                H.button(.type("submit"), .class("secondary")) { t("form.delete") }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                if rights.edit {
                    H.form(.method("post"), .action(SiteURL.personPeriods(d.id).path), .class("card")) {
                        Layout.csrfField(ctx)
                        H.h3 { t("person.addPeriod") }
                        H.div(.class("field")) {
                            H.label(.for("f-kind")) { t("person.kind") }
                            H.select(.id("f-kind"), .name("kind"), .flag("required")) {
                                for c in PersonPeriod.Category.allCases {
                                    H.el("optgroup", [.attr("label", t("period." + c.rawValue))]) {
                                        for k in c.kinds { H.option(.value(k), .attr("data-category", c.rawValue)) { t(c.labelKey(kind: k)) } }
                                    }
                                }
                            }
                        }
                        Components.selectField(t("person.category"), name: "category", options: PersonPeriod.Category.allCases.map { ($0.rawValue, t("period." + $0.rawValue)) }, selected: nil, required: true)
                        Components.textField(t("person.from"), name: "start_on", value: nil, errors: errors, required: true, hint: t("form.dateHint"))
                        Components.textField(t("person.to"), name: "end_on", value: nil, errors: errors, hint: t("person.toHint"))
                        Components.textField(t("person.reference"), name: "reference", value: nil, errors: errors, maxlength: 200)
                        Components.textField(t("person.note"), name: "note", value: nil, errors: errors, maxlength: 1000)
                        H.div(.class("actions")) { H.button(.type("submit")) { t("form.add") } }
                    }
                }
            }
        }
    }

    static func form(_ ctx: PageContext, person: Person?, form f: PersonController.PersonForm, units: [(value: String, label: String)], errors: [Components.FieldError]) -> HTMLNode {
        let t = ctx.t
        let title = person == nil ? t("people.new") : t("people.editTitle", person?.fullName ?? "")
        let action = person?.id.map { SiteURL.person($0).path } ?? SiteURL.people.path
        return Layout.page(ctx, title: title) {
            H.h1 { title }
            Components.errorSummary(t, errors)
            H.form(.method("post"), .action(action), .class("card")) {
                Layout.csrfField(ctx)
                if let v = f.version { H.input(.type("hidden"), .name("version"), .value(v)) }
                if person == nil {
                    Components.textField(t("column.code"), name: "code", value: f.code, errors: errors, required: true, maxlength: 32)
                } else {
                    Components.facts([(t("column.code"), f.code ?? "")])
                }
                Components.textField(t("column.full_name"), name: "full_name", value: f.full_name, errors: errors, required: true, autocomplete: "off", maxlength: 128)
                Components.selectField(t("column.sex"), name: "sex", options: Sex.allCases.map { ($0.rawValue, t($0.labelKey)) }, selected: f.sex, errors: errors, required: true, includeBlank: true)
                Components.textField(t("column.birth_year"), name: "birth_year", value: f.birth_year, errors: errors, type: "number")
                Components.textField(t("column.position"), name: "position", value: f.position, errors: errors, maxlength: 128)
                Components.selectField(t("column.unit"), name: "unit_id", options: units, selected: f.unit_id, errors: errors, required: true, includeBlank: true)
                if person != nil {
                    Components.textField(t("form.reason"), name: "reason", value: f.reason, errors: errors, hint: t("form.reasonHint"), maxlength: 500)
                }
                H.div(.class("actions")) {
                    H.button(.type("submit")) { t("form.save") }
                    H.a(.href(person?.id.map { SiteURL.person($0).path } ?? SiteURL.people.path)) { t("form.cancel") }
                }
            }
        }
    }
}
