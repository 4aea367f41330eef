import Foundation
import ThiDuaCore

/// Pages of the plans module: plans, tasks, progress, follow-up lists, reports, rules, task import.
enum PlanPages {
    static func pct(_ p: Points?, _ t: Localizer) -> String { p.map { $0.formatted(places: 2, english: t.english) + "\u{00A0}%" } ?? "—" }

    static func statusBadge(_ s: TaskStatus, _ t: Localizer) -> HTMLNode {
        H.span(.class("badge task-" + s.rawValue)) { t(s.labelKey) }
    }

    static func textArea(_ label: String, name: String, value: String?, errors: [Components.FieldError], hint: String? = nil, rows: Int = 3) -> HTMLNode {
        let id = "f-" + name
        let error = errors.first { $0.field == name }
        let describedBy = [hint != nil ? id + "-hint" : nil, error != nil ? id + "-error" : nil].compactMap { $0 }
        return H.div(.class(error == nil ? "field" : "field has-error")) {
            H.label(.for(id)) { label }
            if let hint { H.p(.class("hint"), .id(id + "-hint")) { hint } }
            if let error { H.p(.class("field-error"), .id(id + "-error")) { error.message } }
            H.textarea(.id(id), .name(name), .attr("rows", String(rows)), .aria("invalid", error == nil ? nil : "true"),
                       .aria("describedby", describedBy.isEmpty ? nil : describedBy.joined(separator: " "))) { value ?? "" }
        }
    }

    // MARK: Plans

    static func index(_ ctx: PageContext, year: Int, plans: [Plan], canCreate: Bool) -> HTMLNode {
        let t = ctx.t
        return Layout.page(ctx, title: t("plans.title")) {
            Components.flash(t, ctx.flashKey)
            H.h1 { t("plans.title") }
            H.div(.class("actions")) {
                if canCreate { H.a(.class("button"), .href(SiteURL.planNew.path)) { t("plans.new") } }
                H.a(.class("button secondary"), .href(SiteURL.followUp.path)) { t("followup.title") }
                H.a(.class("button secondary"), .href(SiteURL.overdue.path)) { t("overdue.title") }
                H.a(.class("button secondary"), .href(SiteURL.planReport.path)) { t("report.title") }
                H.a(.class("button secondary"), .href(SiteURL.followUpRules.path)) { t("rules.title") }
            }
            H.form(.method("get"), .action(SiteURL.plans.path), .class("filters")) {
                Components.textField(t("plans.year"), name: "year", value: String(year), type: "number")
                H.button(.type("submit"), .class("secondary")) { t("form.filter") }
            }
            if plans.isEmpty {
                H.p(.class("notice")) { t("plans.none", String(year)) }
            } else {
                H.div(.class("table-wrap")) {
                    H.table {
                        H.caption { t("plans.listFor", String(year)) }
                        H.thead { H.tr {
                            H.th(.attr("scope", "col")) { t("plan.titleField") }
                            H.th(.attr("scope", "col")) { t("plan.kind") }
                            H.th(.attr("scope", "col")) { t("plan.unit") }
                            H.th(.attr("scope", "col")) { t("plan.years") }
                            H.th(.attr("scope", "col")) { t("plan.doc") }
                            H.th(.attr("scope", "col")) { t("plan.status") }
                        } }
                        H.tbody {
                            for p in plans {
                                H.tr {
                                    H.td { H.a(.href(SiteURL.plan(p.id ?? UUID()).path)) { p.title } }
                                    H.td { t(p.kind.labelKey) }
                                    H.td { p.unit.name }
                                    H.td { p.years }
                                    H.td { docLine(p) }
                                    H.td { t(p.status.labelKey) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    static func docLine(_ p: Plan) -> String {
        [p.docNumber, p.docDate.flatMap(CivilDate.init(parsing:))?.vietnamese, p.docIssuer].compactMap { $0 }.joined(separator: ", ")
    }

    static func planForm(_ ctx: PageContext, form f: PlanController.PlanForm, plan: Plan?, periodPlans: [(value: String, label: String)],
                         errors: [Components.FieldError]) -> HTMLNode {
        let t = ctx.t
        let title = plan == nil ? t("plans.new") : t("plan.edit")
        let exempt = Set(f.exempt ?? [])
        return Layout.page(ctx, title: title) {
            H.h1 { title }
            Components.errorSummary(t, errors)
            H.form(.method("post"), .action(plan.map { SiteURL.plan($0.id ?? UUID()).path } ?? SiteURL.plans.path)) {
                Layout.csrfField(ctx)
                if let v = f.version { H.input(.type("hidden"), .name("version"), .value(v)) }
                Components.selectField(t("plan.kind"), name: "kind", options: PlanKind.allCases.map { ($0.rawValue, t($0.labelKey)) },
                                       selected: f.kind, errors: errors, required: true)
                Components.textField(t("plan.titleField"), name: "title", value: f.title, errors: errors, required: true, maxlength: 500)
                Components.textField(t("plan.unit"), name: "unit", value: f.unit, errors: errors, required: true, hint: t("plan.unitHint"))
                Components.textField(t("plan.yearFrom"), name: "year_from", value: f.year_from, errors: errors, required: true, type: "number")
                Components.textField(t("plan.yearTo"), name: "year_to", value: f.year_to, errors: errors, required: true, type: "number")
                Components.selectField(t("plan.parent"), name: "parent_plan_id", options: periodPlans, selected: f.parent_plan_id,
                                       errors: errors, includeBlank: true)
                H.fieldset {
                    H.legend { t("plan.legalBasis") }
                    Components.textField(t("plan.docNumber"), name: "doc_number", value: f.doc_number, errors: errors, hint: t("plan.docNumberHint"), maxlength: 100)
                    Components.textField(t("plan.docDate"), name: "doc_date", value: f.doc_date, errors: errors, hint: t("form.dateHint"))
                    Components.textField(t("plan.docIssuer"), name: "doc_issuer", value: f.doc_issuer, errors: errors, maxlength: 255)
                    textArea(t("plan.basis"), name: "basis", value: f.basis, errors: errors, hint: t("plan.basisHint"))
                }
                H.fieldset {
                    H.legend { t("plan.exempt") }
                    H.p(.class("hint")) { t("plan.exemptHint") }
                    for a in ContentArea.allCases {
                        H.div(.class("check")) {
                            H.input(.type("checkbox"), .id("f-exempt-\(a.rawValue)"), .name("exempt[]"), .value(String(a.rawValue)),
                                    .flag("checked", exempt.contains(String(a.rawValue))))
                            H.label(.for("f-exempt-\(a.rawValue)")) { t(a.labelKey) }
                        }
                    }
                }
                H.div(.class("actions")) {
                    H.button(.type("submit")) { t("form.save") }
                    H.a(.href(plan.map { SiteURL.plan($0.id ?? UUID()).path } ?? SiteURL.plans.path)) { t("form.cancel") }
                }
            }
        }
    }

    static func problemText(_ p: PlanCheck.Problem, _ t: Localizer) -> String {
        switch p {
        case .noTasks: t(p.key)
        case .areaWithoutTask(let a): t(p.key, t(a.labelKey))
        case .missingTarget(let x), .missingOutput(let x), .missingOwner(let x), .dueOutsidePlan(let x): t(p.key, x)
        }
    }

    static func rollupText(_ r: Rollup, _ t: Localizer) -> String {
        var s = t("rollup." + r.method.rawValue, String(r.childCount))
        if r.unreported > 0 { s += " " + t("rollup.unreported", String(r.unreported)) }
        return s
    }

    static func show(_ ctx: PageContext, _ v: PlanService.PlanView, canManage: Bool, notice: String?) -> HTMLNode {
        let t = ctx.t
        let plan = v.plan
        let id = plan.id ?? UUID()
        return Layout.page(ctx, title: plan.title) {
            Components.flash(t, ctx.flashKey)
            H.h1 { plan.title }
            if let notice { H.div(.class("warning"), .role("alert")) { notice } }
            Components.facts([
                (t("plan.kind"), t(plan.kind.labelKey)), (t("plan.unit"), v.unitName), (t("plan.years"), plan.years),
                (t("plan.status"), t(plan.status.labelKey)), (t("plan.doc"), docLine(plan)), (t("plan.basis"), plan.basis ?? ""),
                (t("plan.parent"), v.parentPlan.map { $0.title + " (" + $0.years + ")" } ?? ""),
                (t("plan.exempt"), plan.exempt.sorted().map { t($0.labelKey) }.joined(separator: "; ")),
            ])
            H.div(.class("grid"), .role("status")) {
                H.div(.class("card")) {
                    H.span(.class("stat")) { pct(v.overall.progress, t) }
                    t("plan.overall") + " — " + rollupText(v.overall, t)
                }
                for s in TaskStatus.allCases {
                    H.div(.class("card")) {
                        H.span(.class("stat")) { t.number(v.counts[s] ?? 0) }
                        t(s.labelKey)
                    }
                }
            }
            if !v.problems.isEmpty {
                H.section(.class("warning"), .aria("labelledby", "check-title")) {
                    H.h2(.id("check-title")) { t("check.title") }
                    H.ul { for p in v.problems { H.li { problemText(p, t) } } }
                }
            } else if plan.status == .draft {
                H.p(.class("notice")) { t("check.ok") }
            }
            if canManage {
                H.div(.class("actions")) {
                    if plan.status != .closed {
                        H.a(.class("button"), .href(SiteURL.planTaskNew(id).path)) { t("task.new") }
                        H.a(.class("button secondary"), .href(SiteURL.planImport(id).path)) { t("task.import") }
                        H.a(.class("button secondary"), .href(SiteURL.planEdit(id).path)) { t("plan.edit") }
                    }
                }
                statusForm(ctx, plan)
            }
            H.h2 { t("plan.tasks") }
            if v.nodes.isEmpty {
                H.p(.class("notice")) { t("plan.noTasks") }
            } else {
                for area in ContentArea.allCases {
                    let nodes = v.nodes.filter { $0.task.contentArea == area }
                    if !nodes.isEmpty {
                        H.h3 { t(area.labelKey) }
                        taskTable(ctx, nodes, caption: t(area.labelKey))
                    }
                }
            }
            if ctx.user?.can(.viewAudit) == true { H.p { H.a(.href(SiteURL.history("plan", id.uuidString).path)) { t("audit.historyLink") } } }
        }
    }

    static func statusForm(_ ctx: PageContext, _ plan: Plan) -> HTMLNode {
        let t = ctx.t
        let targets: [PlanStatus] = switch plan.status {
        case .draft: [.issued]
        case .issued: [.closed, .draft]
        case .closed: [.issued]
        }
        return H.form(.method("post"), .action(SiteURL.planStatus(plan.id ?? UUID()).path), .class("card")) {
            Layout.csrfField(ctx)
            H.h2 { t("plan.changeStatus") }
            Components.textField(t("plan.statusReason"), name: "reason", value: nil, hint: t("plan.statusReasonHint"), maxlength: 500)
            H.div(.class("actions")) {
                for s in targets {
                    H.button(.type("submit"), .name("target"), .value(s.rawValue), .class(s == .issued ? "" : "secondary")) { t("plan.to." + s.rawValue) }
                }
            }
        }
    }

    static func taskTable(_ ctx: PageContext, _ nodes: [PlanService.Node], caption: String) -> HTMLNode {
        let t = ctx.t
        return H.div(.class("table-wrap")) {
            H.table {
                H.caption(.class("visually-hidden")) { caption }
                H.thead { H.tr {
                    H.th(.attr("scope", "col")) { t("column.code") }
                    H.th(.attr("scope", "col")) { t("column.task") }
                    H.th(.attr("scope", "col")) { t("column.target") }
                    H.th(.attr("scope", "col")) { t("column.output") }
                    H.th(.attr("scope", "col")) { t("column.leadUnit") }
                    H.th(.attr("scope", "col")) { t("column.due") }
                    H.th(.attr("scope", "col"), .class("num")) { t("column.progress") }
                    H.th(.attr("scope", "col")) { t("column.status") }
                } }
                H.tbody {
                    for n in nodes {
                        H.tr(.id("t-" + (n.task.id?.uuidString ?? "")), .class(n.depth > 0 ? "depth-1" : "")) {
                            H.td { n.task.code }
                            H.td { H.a(.href(SiteURL.task(n.task.id ?? UUID()).path)) { String(repeating: "— ", count: n.depth) + n.task.title } }
                            H.td { targetText(n.task, t) }
                            H.td { outputText(n.task, t) }
                            H.td { n.leadName + (n.task.officer.map { " (" + $0 + ")" } ?? "") }
                            H.td { n.task.due.vietnamese }
                            H.td(.class("num")) {
                                pct(n.task.progress, t)
                                if let r = n.rollup { H.br(); H.small(.class("muted")) { rollupText(r, t) } }
                            }
                            H.td {
                                statusBadge(n.status, t)
                                if let a = n.alert, a != .dueSoon { " "; H.small { t(a.labelKey, String(n.daysLate)) } }
                            }
                        }
                    }
                }
            }
        }
    }

    static func targetText(_ task: PlanTask, _ t: Localizer) -> String {
        task.target.map { $0.value.formattedCompact(english: t.english) + " " + $0.unit } ?? "—"
    }

    static func outputText(_ task: PlanTask, _ t: Localizer) -> String {
        [task.outputKind.flatMap(OutputKind.init(rawValue:)).map { t($0.labelKey) }, task.output].compactMap { $0 }.joined(separator: ": ")
    }

    // MARK: Tasks

    static func taskForm(_ ctx: PageContext, plan: Plan, task: PlanTask?, form f: PlanController.TaskForm, errors: [Components.FieldError]) -> HTMLNode {
        let t = ctx.t
        let title = task == nil ? t("task.new") : t("task.edit")
        let action = task.map { SiteURL.task($0.id ?? UUID()).path } ?? SiteURL.planTasks(plan.id ?? UUID()).path
        return Layout.page(ctx, title: title) {
            H.h1 { title }
            H.p { plan.title + " (" + plan.years + ")" }
            Components.errorSummary(t, errors)
            H.form(.method("post"), .action(action)) {
                Layout.csrfField(ctx)
                if let v = f.version { H.input(.type("hidden"), .name("version"), .value(v)) }
                Components.textField(t("column.code"), name: "code", value: f.code, errors: errors, required: true, hint: t("task.codeHint"), maxlength: 32)
                Components.textField(t("task.parentCode"), name: "parent_code", value: f.parent_code, errors: errors, hint: t("task.parentHint"), maxlength: 32)
                Components.selectField(t("column.area"), name: "area", options: ContentArea.allCases.map { (String($0.rawValue), t($0.labelKey)) },
                                       selected: f.area, errors: errors, required: true)
                textArea(t("column.task"), name: "title", value: f.title, errors: errors, rows: 2)
                H.fieldset {
                    H.legend { t("task.targetLegend") }
                    H.p(.class("hint")) { t("task.targetHint") }
                    Components.textField(t("task.targetValue"), name: "target_value", value: f.target_value, errors: errors, maxlength: 30)
                    Components.textField(t("task.targetUnit"), name: "target_unit", value: f.target_unit, errors: errors, maxlength: 100)
                }
                H.fieldset {
                    H.legend { t("column.output") }
                    Components.selectField(t("task.outputKind"), name: "output_kind", options: OutputKind.allCases.map { ($0.rawValue, t($0.labelKey)) },
                                           selected: f.output_kind, errors: errors, includeBlank: true)
                    Components.textField(t("task.output"), name: "output", value: f.output, errors: errors, maxlength: 1000)
                }
                Components.textField(t("task.start"), name: "start_on", value: f.start_on, errors: errors, hint: t("form.dateHint"))
                Components.textField(t("column.due"), name: "due_on", value: f.due_on, errors: errors, required: true, hint: t("form.dateHint"))
                Components.textField(t("column.leadUnit"), name: "lead_unit", value: f.lead_unit, errors: errors, required: true, hint: t("plan.unitHint"))
                Components.textField(t("task.coordinating"), name: "coordinating_units", value: f.coordinating_units, errors: errors, hint: t("task.coordinatingHint"))
                Components.textField(t("column.officer"), name: "officer", value: f.officer, errors: errors, maxlength: 255)
                Components.textField(t("task.weight"), name: "weight", value: f.weight, errors: errors, hint: t("task.weightHint"), maxlength: 20)
                if plan.status == .issued {
                    Components.textField(t("plan.statusReason"), name: "reason", value: f.reason, errors: errors, required: true, hint: t("task.changeReasonHint"), maxlength: 500)
                }
                H.div(.class("actions")) {
                    H.button(.type("submit")) { t("form.save") }
                    H.a(.href(task.map { SiteURL.task($0.id ?? UUID()).path } ?? SiteURL.plan(plan.id ?? UUID()).path)) { t("form.cancel") }
                }
            }
        }
    }

    struct TaskModel: Sendable {
        let task: PlanTask
        let plan: Plan
        let parent: PlanTask?
        let children: [PlanTask]
        let names: [UUID: String]
        let reports: [TaskReport]
        let evidence: [UUID: [TaskEvidence]]
        let status: TaskStatus
        let alert: TaskRules.Alert?
        let daysLate: Int
        let effectiveDue: CivilDate
        let rollup: Rollup?
        let canReport: Bool
        let canManage: Bool
        let today: CivilDate
    }

    static func task(_ ctx: PageContext, _ m: TaskModel, form f: PlanController.ReportForm, errors: [Components.FieldError]) -> HTMLNode {
        let t = ctx.t
        let task = m.task
        let id = task.id ?? UUID()
        let title = task.code + ". " + task.title
        return Layout.page(ctx, title: title) {
            Components.flash(t, ctx.flashKey)
            H.p { H.a(.href(SiteURL.plan(m.plan.id ?? UUID()).path)) { "← " + m.plan.title } }
            H.h1 { title }
            H.p {
                statusBadge(m.status, t)
                if let a = m.alert { " "; H.strong { t(a.labelKey, String(m.daysLate)) } }
            }
            Components.facts([
                (t("column.area"), t(task.contentArea.labelKey)), (t("column.target"), targetText(task, t)), (t("column.output"), outputText(task, t)),
                (t("task.start"), task.start?.vietnamese ?? ""),
                (t("column.due"), task.due.vietnamese + (m.effectiveDue != task.due ? " " + t("task.effectiveDue", m.effectiveDue.vietnamese) : "")),
                (t("column.leadUnit"), m.names[task.$leadUnit.id] ?? ""), (t("task.coordinating"), task.coordinatingIDs.compactMap { m.names[$0] }.joined(separator: "; ")),
                (t("column.officer"), task.officer ?? ""), (t("task.weight"), task.weight?.formattedCompact(english: t.english) ?? ""),
                (t("column.progress"), pct(task.progress, t) + (m.rollup.map { " — " + rollupText($0, t) } ?? (task.progress == nil ? "" : " — " + t("rollup.entered")))),
                (t("task.completedOn"), task.completedOn.flatMap(CivilDate.init(parsing:))?.vietnamese ?? ""),
                (t("task.parentCode"), m.parent.map { $0.code + ". " + $0.title } ?? ""),
            ])
            if m.canManage { H.div(.class("actions")) { H.a(.class("button secondary"), .href(SiteURL.taskEdit(id).path)) { t("task.edit") } } }
            if !m.children.isEmpty {
                H.h2 { t("task.children") }
                H.ul {
                    for c in m.children {
                        H.li {
                            H.a(.href(SiteURL.task(c.id ?? UUID()).path)) { c.code + ". " + c.title }
                            " — " + pct(c.progress, t) + (c.weight.map { ", " + t("task.weight") + " " + $0.formattedCompact(english: t.english) } ?? "")
                        }
                    }
                }
            }
            if m.canReport {
                H.form(.method("post"), .action(SiteURL.taskReports(id).path + "?_csrf=" + ctx.csrf), .attr("enctype", "multipart/form-data"), .class("card")) {
                    H.h2 { t("report.new") }
                    Components.errorSummary(t, errors)
                    Components.textField(t("report.on"), name: "reported_on", value: f.reported_on ?? m.today.vietnamese, errors: errors, hint: t("form.dateHint"))
                    Components.textField(t("report.percent"), name: "percent", value: f.percent, errors: errors, hint: t("report.percentHint"), maxlength: 10)
                    if let target = task.target {
                        Components.textField(t("report.achieved", target.unit), name: "achieved", value: f.achieved, errors: errors,
                                             hint: t("report.achievedHint", target.value.formattedCompact(english: t.english) + " " + target.unit), maxlength: 30)
                    }
                    textArea(t("report.note"), name: "note", value: f.note, errors: errors)
                    H.fieldset {
                        H.legend { t("report.evidence") }
                        H.div(.class(errors.contains { $0.field == "file" } ? "field has-error" : "field")) {
                            H.label(.for("f-file")) { t("evidence.file") }
                            if let e = errors.first(where: { $0.field == "file" }) { H.p(.class("field-error"), .id("f-file-error")) { e.message } }
                            H.input(.type("file"), .id("f-file"), .name("file"), .attr("accept", ".pdf,.docx,.xlsx,.png,.jpg,.jpeg"))
                        }
                        Components.textField(t("plan.docNumber"), name: "doc_number", value: f.doc_number, errors: errors, maxlength: 100)
                        Components.textField(t("plan.docDate"), name: "doc_date", value: f.doc_date, errors: errors, hint: t("form.dateHint"))
                        Components.textField(t("plan.docIssuer"), name: "doc_issuer", value: f.doc_issuer, errors: errors, maxlength: 255)
                    }
                    H.div(.class("actions")) { H.button(.type("submit")) { t("report.submit") } }
                }
            } else if !errors.isEmpty {
                Components.errorSummary(t, errors)
            }
            H.h2 { t("report.history") }
            if m.reports.isEmpty {
                H.p(.class("notice")) { t("report.none") }
            } else {
                H.div(.class("table-wrap")) {
                    H.table {
                        H.caption(.class("visually-hidden")) { t("report.history") }
                        H.thead { H.tr {
                            H.th(.attr("scope", "col")) { t("report.on") }
                            H.th(.attr("scope", "col"), .class("num")) { t("column.progress") }
                            H.th(.attr("scope", "col")) { t("report.note") }
                            H.th(.attr("scope", "col")) { t("report.evidence") }
                            H.th(.attr("scope", "col")) { t("report.by") }
                        } }
                        H.tbody {
                            for r in m.reports {
                                H.tr {
                                    H.td { CivilDate(parsing: r.reportedOn)?.vietnamese ?? r.reportedOn }
                                    H.td(.class("num")) { pct(Points(e4: r.percentE4), t) + (r.achieved.map { " (" + $0 + ")" } ?? "") }
                                    H.td { r.note ?? "" }
                                    H.td {
                                        for e in m.evidence[r.id ?? UUID()] ?? [] {
                                            if e.blobSHA256 != nil {
                                                H.a(.href(SiteURL.taskEvidence(e.id ?? UUID()).path)) { e.fileName ?? "tai-lieu" }
                                            }
                                            if let n = e.docNumber { " " + n + (e.docDate.flatMap(CivilDate.init(parsing:)).map { " " + $0.vietnamese } ?? "") + (e.docIssuer.map { ", " + $0 } ?? "") }
                                        }
                                    }
                                    H.td { r.reportedBy }
                                }
                            }
                        }
                    }
                }
            }
            if ctx.user?.can(.viewAudit) == true { H.p { H.a(.href(SiteURL.history("plan_task", id.uuidString).path)) { t("audit.historyLink") } } }
        }
    }

    // MARK: Follow-up

    static func followTable(_ ctx: PageContext, _ rows: [PlanService.FollowUpRow], caption: String) -> HTMLNode {
        let t = ctx.t
        return H.div(.class("table-wrap")) {
            H.table {
                H.caption { caption }
                H.thead { H.tr {
                    H.th(.attr("scope", "col")) { t("column.task") }
                    H.th(.attr("scope", "col")) { t("column.leadUnit") }
                    H.th(.attr("scope", "col")) { t("column.due") }
                    H.th(.attr("scope", "col"), .class("num")) { t("column.progress") }
                    H.th(.attr("scope", "col")) { t("column.status") }
                } }
                H.tbody {
                    for r in rows {
                        H.tr {
                            H.td {
                                H.a(.href(SiteURL.task(r.taskID).path)) { r.code + ". " + r.title }
                                if !r.planTitle.isEmpty { H.br(); H.small(.class("muted")) { r.planTitle } }
                            }
                            H.td { r.leadName + (r.officer.map { " (" + $0 + ")" } ?? "") }
                            H.td { r.due.vietnamese }
                            H.td(.class("num")) { pct(r.progress, t) }
                            H.td {
                                statusBadge(r.status, t)
                                " "
                                H.small { t(r.alert.labelKey, String(r.daysLate)) }
                            }
                        }
                    }
                }
            }
        }
    }

    static func notifications(_ ctx: PageContext, page: PlanService.FollowUpPage, rules: FollowUpRules, today: CivilDate) -> HTMLNode {
        let t = ctx.t
        return Layout.page(ctx, title: t("followup.title")) {
            H.h1 { t("followup.title") }
            H.p(.class("hint")) { t("followup.intro", String(rules.dueSoonDays), String(rules.headAfterDays), String(rules.reformOfficeAfterDays)) }
            H.p { t("followup.asOf", today.vietnamese) }
            if page.rows.isEmpty {
                H.p(.class("notice")) { t("followup.none") }
            } else {
                if page.total > page.rows.count { H.p { t("followup.more", String(page.rows.count), String(page.total)) } }
                followTable(ctx, page.rows, caption: t("followup.title"))
            }
            H.div(.class("actions")) {
                H.a(.class("button secondary"), .href(SiteURL.overdue.path)) { t("overdue.title") }
                H.a(.class("button secondary"), .href(SiteURL.plans.path)) { t("plans.title") }
            }
        }
    }

    static func overdue(_ ctx: PageContext, page: PlanService.FollowUpPage, pageNo: Int, today: CivilDate) -> HTMLNode {
        let t = ctx.t
        let pages = max(1, (page.total + 99) / 100)
        return Layout.page(ctx, title: t("overdue.title")) {
            H.h1 { t("overdue.title") }
            H.p { t("overdue.count", t.number(page.total), today.vietnamese) }
            if page.rows.isEmpty {
                H.p(.class("notice")) { t("overdue.none") }
            } else {
                followTable(ctx, page.rows, caption: t("overdue.title"))
                Components.pagination(t, page: min(pageNo, pages), pageCount: pages) { SiteURL.overdue.path + "?page=\($0)" }
            }
        }
    }

    /// A compact block for the signed-in home page.
    static func homePanel(_ ctx: PageContext, page: PlanService.FollowUpPage) -> HTMLNode {
        let t = ctx.t
        return H.section(.aria("labelledby", "followup-title")) {
            H.h2(.id("followup-title")) { t("followup.title") }
            if page.rows.isEmpty {
                H.p(.class("notice")) { t("followup.none") }
            } else {
                followTable(ctx, Array(page.rows.prefix(10)), caption: t("followup.homeCaption", t.number(page.total)))
                H.p { H.a(.href(SiteURL.followUp.path)) { t("followup.all") } }
            }
        }
    }

    // MARK: Reports

    static func report(_ ctx: PageContext, _ r: PlanService.Report, units: [(value: String, label: String)], selectedUnit: String,
                       defaultScope: String) -> HTMLNode {
        let t = ctx.t
        var periods: [(value: String, label: String)] = [("year", t("period.year"))]
        periods += (1...4).map { ("q\($0)", t("period.quarter", String($0))) }
        periods += (1...12).map { ("m\($0)", t("period.month", String($0))) }
        let query = "?unit=\(selectedUnit)&year=\(r.year)&period=\(r.period.raw)"
        let title = t("report.title")
        return Layout.page(ctx, title: title) {
            H.h1 { title }
            H.form(.method("get"), .action(SiteURL.planReport.path), .class("filters no-print")) {
                Components.selectField(t("report.scope"), name: "unit", options: units, selected: selectedUnit, includeBlank: true, blankLabel: defaultScope)
                Components.textField(t("plans.year"), name: "year", value: String(r.year), type: "number")
                Components.selectField(t("report.period"), name: "period", options: periods, selected: r.period.raw)
                H.button(.type("submit"), .class("secondary")) { t("report.show") }
            }
            H.h2 { r.scopeName + " — " + t("report.periodLine", r.from.vietnamese, r.to.vietnamese) }
            H.p { t("report.asOfLine", r.asOf.vietnamese) }
            H.div(.class("grid")) {
                H.div(.class("card")) { H.span(.class("stat")) { t.number(r.total) }; t("report.total") }
                H.div(.class("card")) { H.span(.class("stat")) { t.number(r.dueInPeriod) }; t("report.dueInPeriod") }
                H.div(.class("card")) { H.span(.class("stat")) { t.number(r.doneInPeriod) }; t("report.doneInPeriod") }
                H.div(.class("card")) {
                    H.span(.class("stat")) { r.onTime.map { pct($0.rate, t) } ?? "—" }
                    t("report.onTimeRate")
                    if let o = r.onTime { H.br(); H.small { t("report.onTimeDetail", String(o.onTime), String(o.counted)) } }
                }
            }
            H.div(.class("table-wrap")) {
                H.table {
                    H.caption { t("report.byArea") }
                    H.thead { H.tr {
                        H.th(.attr("scope", "col")) { t("column.area") }
                        for s in TaskStatus.allCases { H.th(.attr("scope", "col"), .class("num")) { t(s.labelKey) } }
                        H.th(.attr("scope", "col"), .class("num")) { t("report.total") }
                    } }
                    H.tbody {
                        for a in ContentArea.allCases {
                            let row = r.matrix[a] ?? [:]
                            H.tr {
                                H.th(.attr("scope", "row")) { t(a.labelKey) }
                                for s in TaskStatus.allCases { H.td(.class("num")) { t.number(row[s] ?? 0) } }
                                H.td(.class("num")) { t.number(row.values.reduce(0, +)) }
                            }
                        }
                    }
                }
            }
            H.h2 { t("report.overdueList") }
            if r.overdue.isEmpty { H.p(.class("notice")) { t("overdue.none") } } else { followTable(ctx, r.overdue, caption: t("report.overdueList")) }
            H.div(.class("actions no-print")) {
                H.a(.class("button secondary"), .href(SiteURL.planReportExport("xlsx").path + query)) { t("report.xlsx") }
                H.a(.class("button secondary"), .href(SiteURL.planReportExport("csv").path + query)) { t("report.csv") }
            }
            H.p(.class("hint no-print")) { t("report.printHint") }
        }
    }

    // MARK: Rules

    static func settings(_ ctx: PageContext, form f: FollowUpController.RulesForm, canEdit: Bool, errors: [Components.FieldError]) -> HTMLNode {
        let t = ctx.t
        return Layout.page(ctx, title: t("rules.title")) {
            Components.flash(t, ctx.flashKey)
            H.h1 { t("rules.title") }
            H.p(.class("hint")) { t("rules.intro") }
            Components.errorSummary(t, errors)
            if canEdit {
                H.form(.method("post"), .action(SiteURL.followUpRules.path)) {
                    Layout.csrfField(ctx)
                    Components.textField(t("rules.dueSoon"), name: "due_soon_days", value: f.due_soon_days, errors: errors, required: true, type: "number")
                    Components.textField(t("rules.head"), name: "head_after_days", value: f.head_after_days, errors: errors, required: true, type: "number")
                    Components.textField(t("rules.office"), name: "office_after_days", value: f.office_after_days, errors: errors, required: true, type: "number")
                    H.div(.class("check")) {
                        H.input(.type("checkbox"), .id("f-weekend"), .name("weekend"), .value("1"), .flag("checked", f.weekend == "1"))
                        H.label(.for("f-weekend")) { t("rules.weekend") }
                    }
                    textArea(t("rules.holidays"), name: "holidays", value: f.holidays, errors: errors, hint: t("rules.holidaysHint"), rows: 5)
                    H.div(.class("actions")) { H.button(.type("submit")) { t("form.save") } }
                }
            } else {
                Components.facts([
                    (t("rules.dueSoon"), f.due_soon_days ?? ""), (t("rules.head"), f.head_after_days ?? ""), (t("rules.office"), f.office_after_days ?? ""),
                    (t("rules.weekend"), f.weekend == "1" ? t("form.yes") : t("form.no")), (t("rules.holidays"), f.holidays ?? ""),
                ])
            }
            if ctx.user?.can(.viewAudit) == true { H.p { H.a(.href(SiteURL.history("province_setting", ProvinceSetting.followUpKey).path)) { t("audit.historyLink") } } }
        }
    }

    // MARK: Import

    static func importForm(_ ctx: PageContext, plan: Plan, error: String?) -> HTMLNode {
        let t = ctx.t
        return Layout.page(ctx, title: t("task.import")) {
            H.h1 { t("task.import") }
            H.p { plan.title + " (" + plan.years + ")" }
            if let error { H.div(.class("error-summary"), .role("alert")) { H.p { error } } }
            H.p(.class("hint")) { t("taskImport.intro") }
            H.p(.class("hint")) { TaskImport.columns.map { t("column." + $0.key) + ($0.required ? " *" : "") }.joined(separator: " · ") }
            H.form(.method("post"), .action(SiteURL.planImport(plan.id ?? UUID()).path + "?_csrf=" + ctx.csrf), .attr("enctype", "multipart/form-data"), .class("card")) {
                H.div(.class("field")) {
                    H.label(.for("f-file")) { t("import.file") }
                    H.input(.type("file"), .id("f-file"), .name("file"), .attr("accept", ".csv,.xlsx,.txt"), .flag("required", true))
                }
                H.div(.class("actions")) { H.button(.type("submit")) { t("import.preview") } }
            }
        }
    }

    static func importPreview(_ ctx: PageContext, plan: Plan, batch: ImportBatch, preview p: ImportPlan<TaskDraft>) -> HTMLNode {
        let t = ctx.t
        let planID = plan.id ?? UUID()
        return Layout.page(ctx, title: t("task.import")) {
            H.h1 { t("task.import") }
            H.p { t("taskImport.fileLine", batch.fileName, batch.encoding) }
            if !p.missingColumns.isEmpty {
                H.div(.class("error-summary"), .role("alert")) { H.p { t("taskImport.missingColumns", p.missingColumns.map { t("column." + $0) }.joined(separator: ", ")) } }
            }
            if !p.issues.isEmpty {
                H.div(.class("error-summary"), .role("alert")) {
                    H.h2 { t("taskImport.problems", String(p.issues.count)) }
                    H.ul {
                        for i in p.issues.prefix(500) {
                            H.li { t("taskImport.rowProblem", String(i.row), i.column.map { t("column." + $0) } ?? "", t.problem(i.problemKey, i.argument)) }
                        }
                    }
                }
            }
            H.p { t("taskImport.ready", String(p.drafts.count)) }
            if !p.drafts.isEmpty {
                H.div(.class("table-wrap")) {
                    H.table {
                        H.caption { t("taskImport.previewCaption") }
                        H.thead { H.tr {
                            for k in ["code", "area", "title", "target", "due_on", "lead_unit"] { H.th(.attr("scope", "col")) { t("column." + k) } }
                        } }
                        H.tbody {
                            for d in p.drafts.prefix(200) {
                                H.tr {
                                    H.td { d.code }
                                    H.td { t(d.area.labelKey) }
                                    H.td { d.title }
                                    H.td { d.targetValue.map { $0.formattedCompact(english: t.english) + " " + (d.targetUnit ?? "") } ?? "—" }
                                    H.td { d.due.vietnamese }
                                    H.td { d.leadUnitCode }
                                }
                            }
                        }
                    }
                }
            }
            if p.isCommittable && !batch.committed {
                H.form(.method("post"), .action(SiteURL.planImportBatch(planID, batch.id ?? UUID()).path)) {
                    Layout.csrfField(ctx)
                    H.div(.class("actions")) { H.button(.type("submit")) { t("import.commit", String(p.drafts.count)) } }
                }
            }
            H.p { H.a(.href(SiteURL.planImport(planID).path)) { t("import.again") } }
        }
    }
}
