import Foundation
import ThiDuaCore

/// Procedure performance pages (issue 6). Every chart's numbers are also in a table.
enum PerformancePages {
    static func th(_ s: String, num: Bool = false) -> HTMLNode { SurveyAdminPages.th(s, num: num) }
    static func pct(_ t: Localizer, _ p: Points?) -> String { SurveyAdminPages.pct(t, p) }
    static func days(_ t: Localizer, _ p: Points?) -> String { p.map { $0.formatted(places: 2, english: t.lang == .en) } ?? "—" }
    static func count(_ t: Localizer, _ n: Int) -> String { VietnameseFormat.number(n, english: t.lang == .en) }

    static func nav(_ t: Localizer, canManage: Bool) -> HTMLNode {
        H.div(.class("actions")) {
            H.a(.href(PerformanceURL.procedures)) { t("perf.procedures") }
            if canManage {
                H.a(.href(PerformanceURL.calendar)) { t("perf.calendar.title") }
                H.a(.href(PerformanceURL.tokens)) { t("perf.token.title") }
                H.a(.href(PerformanceURL.rejects)) { t("perf.rejects.title") }
                H.a(.href(SiteURL.imports.path + "?kind=dossiers")) { t("perf.uploadDossiers") }
            }
        }
    }

    /// CSV and XLSX links for the table of a page whose address (with its query) is `url`.
    static func downloads(_ t: Localizer, _ url: String) -> HTMLNode {
        let sep = url.contains("?") ? "&" : "?"
        return H.div(.class("actions")) {
            H.a(.href(url + sep + "download=csv"), .attr("download", "")) { t("perf.exportCSV") }
            H.a(.href(url + sep + "download=xlsx"), .attr("download", "")) { t("perf.exportXLSX") }
        }
    }

    /// The period picker: a GET form (year, period).
    static func periodForm(_ t: Localizer, _ p: ReportPeriod, action: String) -> HTMLNode {
        H.form(.method("get"), .action(action), .class("filters")) {
            H.div(.class("field")) {
                H.label(.for("f-year")) { t("perf.year") }
                H.input(.type("number"), .id("f-year"), .name("year"), .value(String(p.year)), .attr("min", "2000"), .attr("max", "2100"))
            }
            Components.selectField(
                t("perf.period"), name: "period", options: ReportPeriod.codes.map { ($0, ReportPeriod(year: p.year, code: $0).label(t)) }, selected: p.code)
            H.button(.type("submit"), .class("secondary")) { t("perf.show") }
        }
    }

    static func indicatorHead(_ t: Localizer, first: String) -> HTMLNode {
        H.thead {
            H.tr {
                th(first)
                th(t("perf.received"), num: true); th(t("perf.resolved"), num: true); th(t("perf.onTimeRate"), num: true)
                th(t("perf.overdueRate"), num: true); th(t("perf.onlineRate"), num: true); th(t("perf.paymentRate"), num: true)
                th(t("perf.digitisationRate"), num: true); th(t("perf.satisfactionRate"), num: true); th(t("perf.averageDays"), num: true)
                th(t("perf.timeCut"), num: true)
            }
        }
    }

    static func indicatorCells(_ t: Localizer, _ tally: DossierTally) -> [HTMLNode] {
        let i = DossierIndicators(tally)
        return [
            H.td(.class("num")) { count(t, tally.received) }, H.td(.class("num")) { count(t, tally.resolved) },
            H.td(.class("num")) { pct(t, i.onTimeRate) }, H.td(.class("num")) { pct(t, i.overdueRate) },
            H.td(.class("num")) { pct(t, i.onlineRate) }, H.td(.class("num")) { pct(t, i.onlinePaymentRate) },
            H.td(.class("num")) { pct(t, i.digitisationRate) }, H.td(.class("num")) { pct(t, i.satisfactionRate) },
            H.td(.class("num")) { days(t, i.averageDays) }, H.td(.class("num")) { pct(t, i.timeCut) },
        ]
    }

    static func province(_ ctx: PageContext, period p: ReportPeriod, lines: [PerformanceService.Line], scoring: GroupScoring, canManage: Bool) -> HTMLNode {
        let t = ctx.t
        let total = PerformanceService.total(lines)
        return Layout.page(ctx, title: t("perf.title")) {
            Components.flash(t, ctx.flashKey)
            H.h1 { t("perf.title") }
            nav(t, canManage: canManage)
            periodForm(t, p, action: PerformanceURL.home)
            H.p(.class("lead")) { p.label(t) }
            if lines.isEmpty { H.p(.class("notice")) { t("perf.none") } } else {
                // Titled on the page as the survey results' charts are (the SVG's own title is for screen readers).
                H.h2 { t("perf.chart.onTime") }
                SurveyChart.bars(
                    title: t("perf.chart.onTime"), bars: lines.map { ($0.name, $0.indicators.onTimeRate, $0.tally.resolved) }, targets: [], t: t)
                H.div(.class("table-wrap")) {
                    H.table {
                        H.caption { t("perf.byUnit") }
                        indicatorHead(t, first: t("column.unit"))
                        H.tbody {
                            for l in lines {
                                H.tr {
                                    H.th(.attr("scope", "row")) { H.a(.href(PerformanceURL.unit(l.id, p))) { l.name } }
                                    indicatorCells(t, l.tally)
                                }
                            }
                        }
                        H.tfoot {
                            H.tr {
                                H.th(.attr("scope", "row")) { t("perf.total") }
                                indicatorCells(t, total)
                            }
                        }
                    }
                }
                groupScoreTable(
                    t, caption: t("perf.group.byUnit"),
                    rows: lines.map { l in (H.a(.href(PerformanceURL.unit(l.id, p))) { l.name }, scoring.score(l.indicators)) }
                        + [(HTMLNode.text(t("perf.total")), scoring.score(DossierIndicators(total)))])
                H.div(.class("actions")) {
                    H.a(.href("/performance/export/csv?" + p.query), .attr("download", "")) { t("perf.exportCSV") }
                    H.a(.href("/performance/export/xlsx?" + p.query), .attr("download", "")) { t("perf.exportXLSX") }
                }
                H.p(.class("hint")) { t("perf.definitions") }
            }
        }
    }

    static func unit(_ ctx: PageContext, unit: Unit, period p: ReportPeriod, lines: [PerformanceService.Line], target: Points, scoring: GroupScoring) -> HTMLNode {
        let t = ctx.t
        let uid = unit.id ?? UUID()
        return Layout.page(ctx, title: unit.name + " — " + t("perf.title")) {
            H.p { H.a(.href(PerformanceURL.home + "?" + p.query)) { t("perf.back") } }
            H.h1 { unit.name }
            periodForm(t, p, action: "/performance/units/\(uid)")
            H.p(.class("lead")) { p.label(t) + " · " + t("perf.target", target.formatted(places: 2, english: t.lang == .en)) }
            if lines.isEmpty { H.p(.class("notice")) { t("perf.none") } } else {
                groupScoreTable(t, caption: t("perf.group.title"), rows: [(HTMLNode.text(unit.name), scoring.score(DossierIndicators(PerformanceService.total(lines))))])
                downloads(t, PerformanceURL.unit(uid, p))
                H.div(.class("table-wrap")) {
                    H.table {
                        H.caption { t("perf.byProcedure") }
                        H.thead {
                            H.tr {
                                th(t("perf.procedure")); th(t("perf.resolved"), num: true); th(t("perf.onTimeRate"), num: true)
                                th(t("perf.late"), num: true); th(t("perf.averageDays"), num: true); th(t("perf.p90Days"), num: true)
                                th(t("perf.statutoryDays"), num: true); th(t("perf.timeCut"), num: true); th(t("perf.targetMet"))
                                th(t("perf.onlineRate"), num: true); th(t("perf.digitisationRate"), num: true)
                            }
                        }
                        H.tbody {
                            for l in lines {
                                let i = l.indicators
                                H.tr {
                                    H.th(.attr("scope", "row")) {
                                        H.span(.class("code")) { l.code }
                                        " "
                                        l.name
                                    }
                                    H.td(.class("num")) { count(t, l.tally.resolved) }
                                    H.td(.class("num")) { pct(t, i.onTimeRate) }
                                    H.td(.class("num")) {
                                        if l.tally.late > 0 { H.a(.href(PerformanceURL.late(uid, l.id, p))) { count(t, l.tally.late) } } else { "0" }
                                    }
                                    H.td(.class("num")) { days(t, i.averageDays) }
                                    H.td(.class("num")) { days(t, i.p90Days) }
                                    H.td(.class("num")) { days(t, i.averageStatutoryDays) }
                                    H.td(.class("num")) { pct(t, i.timeCut) }
                                    H.td {
                                        switch i.meetsTimeCut(target: target) {
                                        case .some(true): H.span(.class("badge ok")) { t("perf.met") }
                                        case .some(false): H.span(.class("badge warn")) { t("perf.notMet") }
                                        case .none: "—"
                                        }
                                    }
                                    H.td(.class("num")) { pct(t, i.onlineRate) }
                                    H.td(.class("num")) { pct(t, i.digitisationRate) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    static func late(_ ctx: PageContext, unit: Unit, procedure: ProcedureModel, period p: ReportPeriod, dossiers: [PerformanceService.LateDossier]) -> HTMLNode {
        let t = ctx.t
        return Layout.page(ctx, title: t("perf.lateTitle")) {
            H.p { H.a(.href(PerformanceURL.unit(unit.id ?? UUID(), p))) { "← " + unit.name } }
            H.h1 { t("perf.lateTitle") }
            Components.facts([
                (t("column.unit"), unit.name), (t("perf.procedure"), procedure.code + " — " + procedure.name),
                (t("perf.statutoryDays"), procedure.statutory.description), (t("perf.period"), p.label(t)),
            ])
            if dossiers.isEmpty { H.p(.class("notice")) { t("perf.noLate") } } else {
                downloads(t, PerformanceURL.late(unit.id ?? UUID(), procedure.id ?? UUID(), p))
                H.table {
                    H.caption { t("perf.lateTitle") + " (" + count(t, dossiers.count) + ")" }
                    H.thead {
                        H.tr {
                            th(t("perf.dossierCode")); th(t("perf.channel")); th(t("perf.receivedAt")); th(t("perf.dueAt")); th(t("perf.resolvedAt"))
                            th(t("perf.processingDays"), num: true)
                        }
                    }
                    H.tbody {
                        for d in dossiers {
                            H.tr {
                                H.td { d.code }
                                H.td { t("perf.channel." + d.channel) }
                                H.td { InstantText.local(d.received_s) }
                                H.td { InstantText.local(d.due_s) }
                                H.td { d.resolved_s.map(InstantText.local) ?? "—" }
                                H.td(.class("num")) { days(t, d.processing_half_days.map { TimeLimit(halfDays: $0).workingDays }) }
                            }
                        }
                    }
                }
            }
        }
    }

    static func procedures(_ ctx: PageContext, _ list: [ProcedureModel], canManage: Bool) -> HTMLNode {
        let t = ctx.t
        return Layout.page(ctx, title: t("perf.procedures")) {
            H.p { H.a(.href(PerformanceURL.home)) { t("perf.back") } }
            H.h1 { t("perf.procedures") }
            if canManage { H.p { H.a(.class("button"), .href("/import")) { t("perf.importProcedures") } } }
            if list.isEmpty { H.p(.class("notice")) { t("perf.noProcedures") } } else {
                H.table {
                    H.caption { t("perf.procedures") + " (" + count(t, list.count) + ")" }
                    H.thead {
                        H.tr {
                            th(t("column.code")); th(t("column.name")); th(t("perf.field")); th(t("perf.level"))
                            th(t("perf.statutoryDays"), num: true); th(t("perf.internalDays"), num: true); th(t("perf.online")); th(t("perf.fee"), num: true)
                        }
                    }
                    H.tbody {
                        for p in list {
                            H.tr {
                                H.td { p.code }
                                H.td { p.name }
                                H.td { p.field }
                                H.td { t("perf.level." + p.levelRaw) }
                                H.td(.class("num")) { p.statutory.description }
                                H.td(.class("num")) { p.internalLimit?.description ?? "—" }
                                H.td { t("perf.online." + p.onlineRaw) }
                                H.td(.class("num")) { VietnameseFormat.number(Int(p.fee), english: t.lang == .en) }
                            }
                        }
                    }
                }
            }
        }
    }

    static func calendar(
        _ ctx: PageContext, weekend: Set<Int>, holidays: String, workdays: String, target: String, scoring: ScoringFields,
        errors: [Components.FieldError]
    ) -> HTMLNode {
        let t = ctx.t
        return Layout.page(ctx, title: t("perf.calendar.title")) {
            Components.flash(t, ctx.flashKey)
            H.p { H.a(.href(PerformanceURL.home)) { t("perf.back") } }
            H.h1 { t("perf.calendar.title") }
            Components.errorSummary(t, errors)
            H.form(.method("post"), .action(PerformanceURL.calendar), .class("card")) {
                Layout.csrfField(ctx)
                H.fieldset(.id("f-weekend")) {
                    H.legend { t("perf.calendar.weekend") }
                    for d in 1...7 {
                        H.label(.class("check")) {
                            H.input(.type("checkbox"), .name("weekend[]"), .value(String(d)), .flag("checked", weekend.contains(d)))
                            " " + t("weekday.\(d)")
                        }
                    }
                }
                Components.textArea("holidays", t("perf.calendar.holidays"), value: holidays, errors: errors, required: false, rows: 8, hint: t("perf.calendar.datesHint"))
                Components.textArea("workdays", t("perf.calendar.workdays"), value: workdays, errors: errors, required: false, rows: 8, hint: t("perf.calendar.datesHint"))
                Components.textField(t("perf.settings.target"), name: "target", value: target, errors: errors, required: true, hint: t("perf.settings.targetHint"))
                groupScoringFields(t, scoring, errors: errors)
                H.div(.class("actions")) { H.button(.type("submit")) { t("form.save") } }
            }
            H.p(.class("hint")) { t("perf.calendar.rules") }
        }
    }

    /// The group-score settings: each group's points, then which group each measured rate counts in, with its share.
    static func groupScoringFields(_ t: Localizer, _ f: ScoringFields, errors: [Components.FieldError]) -> HTMLNode {
        func input(_ name: String, _ value: String, label: String) -> HTMLNode {
            let invalid = errors.contains { $0.field == name }
            return H.input(
                .type("text"), .id("f-" + name), .name(name), .value(value), .attr("inputmode", "decimal"), .attr("size", "6"), .aria("label", label),
                .aria("invalid", invalid ? "true" : nil), .class(invalid ? "has-error" : nil))
        }
        return H.fieldset {
            H.legend { t("perf.group.title") }
            H.p(.class("hint")) { t("perf.group.hint") }
            H.table {
                H.caption { t("perf.group.weights") }
                H.thead { H.tr { th(t("perf.group.group")); th(t("perf.group.points"), num: true) } }
                H.tbody {
                    for g in ScoreGroup.allCases {
                        H.tr {
                            H.th(.attr("scope", "row")) { t(g.labelKey) }
                            H.td(.class("num")) { input("points_" + g.rawValue, f.points[g] ?? "", label: t("perf.group.points") + " — " + t(g.labelKey)) }
                        }
                    }
                }
            }
            H.table {
                H.caption { t("perf.group.rates") }
                H.thead { H.tr { th(t("perf.group.rate")); th(t("perf.group.group")); th(t("perf.group.share"), num: true) } }
                H.tbody {
                    for m in DossierMetric.allCases {
                        let chosen = f.group[m] ?? ""
                        H.tr {
                            H.th(.attr("scope", "row")) { t(m.labelKey) }
                            H.td {
                                H.select(.id("f-group_" + m.rawValue), .name("group_" + m.rawValue), .aria("label", t("perf.group.group") + " — " + t(m.labelKey))) {
                                    H.option(.value(""), .flag("selected", chosen.isEmpty)) { t("perf.group.none") }
                                    for g in ScoreGroup.allCases { H.option(.value(g.rawValue), .flag("selected", chosen == g.rawValue)) { t(g.labelKey) } }
                                }
                            }
                            H.td(.class("num")) { input("share_" + m.rawValue, f.share[m] ?? "", label: t("perf.group.share") + " — " + t(m.labelKey)) }
                        }
                    }
                }
            }
        }
    }

    /// The five groups' scores by unit (and the province's), each "out of" the points its data covers.
    static func groupScoreTable(_ t: Localizer, caption: String, rows: [(label: HTMLNode, scores: GroupScoring.Scores)]) -> HTMLNode {
        func number(_ p: Points?) -> String { p.map { $0.formatted(places: 2, english: t.lang == .en) } ?? "—" }
        let groups = rows.first?.scores.groups.map { ($0.group, $0.points) } ?? []
        return H.div(.class("table-wrap")) {
            H.table {
                H.caption { caption }
                H.thead {
                    H.tr {
                        th(t("column.unit"))
                        for (g, points) in groups { th(t(g.labelKey) + " (" + number(points) + ")", num: true) }
                        th(t("perf.group.total"), num: true)
                    }
                }
                H.tbody {
                    for r in rows {
                        H.tr {
                            H.th(.attr("scope", "row")) { r.label }
                            for g in r.scores.groups { H.td(.class("num")) { number(g.score) } }
                            H.td(.class("num")) { r.scores.covered == .zero ? "—" : t("perf.group.outOf", number(r.scores.total), number(r.scores.covered)) }
                        }
                    }
                }
            }
        }
    }

    static func tokens(_ ctx: PageContext, _ list: [APIToken], created: (name: String, secret: String)?, errors: [Components.FieldError]) -> HTMLNode {
        let t = ctx.t
        return Layout.page(ctx, title: t("perf.token.title")) {
            Components.flash(t, ctx.flashKey)
            H.p { H.a(.href(PerformanceURL.home)) { t("perf.back") } }
            H.h1 { t("perf.token.title") }
            if let created {
                H.div(.class("flash"), .role("status")) {
                    H.p { t("perf.token.created", created.name) }
                    H.p { H.code(.id("new-token")) { created.secret } }
                }
            }
            Components.errorSummary(t, errors)
            if !list.isEmpty {
                H.table {
                    H.caption { t("perf.token.title") }
                    H.thead { H.tr { th(t("column.name")); th(t("perf.token.scopes")); th(t("column.status")); th(t("perf.token.actions")) } }
                    H.tbody {
                        for k in list {
                            H.tr {
                                H.td { k.name }
                                H.td { k.scopesRaw }
                                H.td { k.revokedMs == nil ? t("perf.token.active") : t("perf.token.revoked") }
                                H.td {
                                    if k.revokedMs == nil, let id = k.id {
                                        H.form(.method("post"), .action(PerformanceURL.revoke(id)), .class("inline")) {
                                            Layout.csrfField(ctx)
                                            H.button(.type("submit"), .class("secondary"), .aria("label", t("perf.token.revoke") + " " + k.name)) { t("perf.token.revoke") }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            H.form(.method("post"), .action(PerformanceURL.tokens), .class("card")) {
                Layout.csrfField(ctx)
                H.h2 { t("perf.token.new") }
                Components.textField(t("column.name"), name: "name", value: nil, errors: errors, required: true, hint: t("perf.token.nameHint"), maxlength: 255)
                H.fieldset(.id("f-scopes")) {
                    H.legend { t("perf.token.scopes") }
                    for s in APIToken.allScopes {
                        H.label(.class("check")) {
                            H.input(.type("checkbox"), .name("scopes[]"), .value(s), .flag("checked", s == "dossiers:write"))
                            " " + t("perf.scope." + s)
                        }
                    }
                }
                H.div(.class("actions")) { H.button(.type("submit")) { t("perf.token.create") } }
            }
            H.p(.class("hint")) { t("perf.token.apiHint") }
        }
    }

    static func rejects(_ ctx: PageContext, _ rows: [PerformanceController.RejectRow]) -> HTMLNode {
        let t = ctx.t
        return Layout.page(ctx, title: t("perf.rejects.title")) {
            Components.flash(t, ctx.flashKey)
            H.p { H.a(.href(PerformanceURL.home)) { t("perf.back") } }
            H.h1 { t("perf.rejects.title") }
            H.p { t("perf.rejects.intro") }
            if rows.isEmpty { H.p(.class("notice")) { t("perf.rejects.none") } } else {
                H.form(.method("post"), .action(PerformanceURL.reprocess), .class("inline")) {
                    Layout.csrfField(ctx)
                    H.button(.type("submit")) { t("perf.rejects.reprocess") }
                }
                H.table {
                    H.caption { t("perf.rejects.title") + " (" + count(t, rows.count) + ")" }
                    H.thead { H.tr { th(t("perf.dossierCode")); th(t("perf.procedure")); th(t("column.unit")); th(t("perf.rejects.reason")); th(t("perf.rejects.source")) } }
                    H.tbody {
                        for r in rows {
                            H.tr {
                                H.td { r.code }
                                H.td { r.procedure_code }
                                H.td { r.unit_code }
                                H.td { t("perf.rejects." + r.reason) }
                                H.td { r.source }
                            }
                        }
                    }
                }
            }
        }
    }
}
