import Fluent
import Vapor
import ThiDuaCore

/// PAR plans and their tasks: write (draft), check, issue, close; tasks with targets, outputs and owners.
/// Province plans belong to the root unit, a unit's plans to that unit; the right to manage them is checked on
/// the owning unit, the right to report on the lead unit of each task.
enum PlanController {
    // MARK: Loading and rights

    static func loadPlan(_ req: Request) async throws -> Plan {
        _ = try req.signedIn()
        guard let id = req.parameters.get("planID", as: UUID.self), let plan = try await Plan.find(id, on: req.db) else { throw AppError.notFound }
        return plan
    }

    static func loadTask(_ req: Request) async throws -> (PlanTask, Plan) {
        _ = try req.signedIn()
        guard let id = req.parameters.get("taskID", as: UUID.self),
            let task = try await PlanTask.query(on: req.db).filter(\.$id == id).with(\.$plan).first()
        else { throw AppError.notFound }
        return (task, task.plan)
    }

    /// A province plan is seen by everyone who sees plans; a unit's plan inside the scope.
    static func requireView(_ req: Request, _ plan: Plan) async throws -> CurrentUser {
        let user = try req.require(.viewPlans)
        if try await UnitTree.rootID(on: req.db) == plan.$unit.id { return user }
        return try await req.require(.viewPlans, on: plan.$unit.id)
    }

    static func mayManage(_ req: Request, _ user: CurrentUser, unitID: UUID) async throws -> Bool {
        AccessPolicy.allows(user.grants, .managePlans, unitPath: try await UnitTree.path(of: unitID, on: req.db))
    }

    static func requireManage(_ req: Request, _ plan: Plan) async throws -> CurrentUser {
        _ = try req.require(.managePlans)
        return try await req.require(.managePlans, on: plan.$unit.id)
    }

    // MARK: Plans

    @Sendable static func index(req: Request) async throws -> Response {
        let user = try req.require(.viewPlans)
        let year = (try? req.query.get(Int.self, at: "year")) ?? req.today.year
        let rootID = try await UnitTree.rootID(on: req.db)
        let q = Plan.query(on: req.db).with(\.$unit).filter(\.$yearFrom <= year).filter(\.$yearTo >= year)
        if let scope = try await UnitQueries.scope(of: user, .viewPlans, on: req.db) {
            q.group(.or) { g in
                g.filter(\.$unit.$id ~~ scope)
                if let rootID { g.filter(\.$unit.$id == rootID) }
            }
        }
        let plans = try await q.sort(\.$kindRaw, .descending).sort(\.$yearFrom).sort(\.$title).all()
        return PlanPages.index(req.pageContext, year: year, plans: plans, canCreate: user.can(.managePlans)).response()
    }

    struct PlanForm: Content {
        var kind: String?
        var unit: String?
        var year_from: String?
        var year_to: String?
        var title: String?
        var doc_number: String?
        var doc_date: String?
        var doc_issuer: String?
        var basis: String?
        var parent_plan_id: String?
        var exempt: [String]?
        var version: String?
    }

    @Sendable static func new(req: Request) async throws -> Response {
        let user = try req.require(.managePlans)
        let y = req.today.year
        var f = PlanForm(kind: PlanKind.annual.rawValue, year_from: String(y), year_to: String(y), title: "Kế hoạch cải cách hành chính năm \(y)")
        if let root = try await UnitTree.root(on: req.db), try await mayManage(req, user, unitID: try root.requireID()) {
            f.unit = root.code
        } else if let g = user.grants.first(where: { AccessPolicy.permits($0.role, .managePlans) }), let u = try await Unit.find(g.unitID, on: req.db) {
            f.unit = u.code
        }
        return PlanPages.planForm(req.pageContext, form: f, plan: nil, periodPlans: try await periodPlans(req), errors: []).response()
    }

    static func periodPlans(_ req: Request) async throws -> [(value: String, label: String)] {
        try await Plan.query(on: req.db).filter(\.$kindRaw == PlanKind.period.rawValue).sort(\.$yearFrom).all()
            .compactMap { p in p.id.map { ($0.uuidString, p.title + " (" + p.years + ")") } }
    }

    static func resolveUnit(_ raw: String, on db: any Database) async throws -> Result<Unit, FieldProblem> {
        let units = try await Unit.query(on: db).field(\.$id).field(\.$code).field(\.$name).all()
        switch UnitResolver(units: units.map { ($0.code, $0.name) }).resolve(raw) {
        case .failure(let p): return .failure(p)
        case .success(let code):
            guard let u = try await Unit.query(on: db).filter(\.$code == code).first() else { return .failure(.notFound(raw)) }
            return .success(u)
        }
    }

    /// Validates the plan form into the model; nil with errors when something is wrong.
    static func apply(_ f: PlanForm, to plan: Plan, user: CurrentUser, req: Request, errors: inout FormErrors) async throws {
        let kind = PlanKind(rawValue: f.kind ?? "")
        if kind == nil { errors.add("kind", "problem.required") }
        var unitID: UUID?
        if let u = errors.take("unit", try await resolveUnit(f.unit ?? "", on: req.db)) {
            unitID = u.id
            if let id = u.id, !(try await mayManage(req, user, unitID: id)) { errors.add("unit", "problem.forbidden") }
        }
        let from = Int((f.year_from ?? "").trimmingCharacters(in: .whitespaces)).flatMap { (2000...2100).contains($0) ? $0 : nil }
        let to = Int((f.year_to ?? "").trimmingCharacters(in: .whitespaces)).flatMap { (2000...2100).contains($0) ? $0 : nil }
        if from == nil { errors.add("year_from", "problem.invalidValue", f.year_from ?? "") }
        if to == nil { errors.add("year_to", "problem.invalidValue", f.year_to ?? "") }
        if let from, let to {
            if to < from { errors.add("year_to", "problem.dateOrder") }
            if kind == .annual && to != from { errors.add("year_to", "plan.annualOneYear") }
            if kind == .period && to - from > 9 { errors.add("year_to", "plan.periodTooLong") }
        }
        let title = errors.take("title", FieldRules.name(f.title ?? "", max: 500))
        let number = errors.take("doc_number", FieldRules.optionalText(f.doc_number ?? "", max: 100)) ?? nil
        let date = errors.take("doc_date", FieldRules.date(f.doc_date ?? "")) ?? nil
        let issuer = errors.take("doc_issuer", FieldRules.optionalText(f.doc_issuer ?? "", max: 255)) ?? nil
        let basis = errors.take("basis", FieldRules.optionalText(f.basis ?? "", max: 2000)) ?? nil
        var parentID: UUID?
        if let raw = f.parent_plan_id, !raw.isEmpty {
            if let id = UUID(uuidString: raw), let p = try await Plan.find(id, on: req.db), p.kind == .period {
                parentID = id
                if let from, let to, from < p.yearFrom || to > p.yearTo { errors.add("parent_plan_id", "plan.outsideParent", p.years) }
            } else {
                errors.add("parent_plan_id", "problem.invalidValue", raw)
            }
            if kind == .period { errors.add("parent_plan_id", "plan.periodHasNoParent") }
        }
        guard errors.isEmpty, let kind, let unitID, let from, let to, let title else { return }
        plan.kindRaw = kind.rawValue
        plan.$unit.id = unitID
        plan.yearFrom = from
        plan.yearTo = to
        plan.title = title
        plan.docNumber = number
        plan.docDate = date?.iso
        plan.docIssuer = issuer
        plan.basis = basis
        plan.$parentPlan.id = parentID
        plan.exempt = Set((f.exempt ?? []).compactMap { Int($0).flatMap(ContentArea.init(rawValue:)) })
    }

    @Sendable static func create(req: Request) async throws -> Response {
        let user = try req.require(.managePlans)
        let f = (try? req.content.decode(PlanForm.self)) ?? PlanForm()
        var errors = FormErrors(req.t)
        let plan = Plan(kind: .annual, unitID: UUID(), yearFrom: 2000, yearTo: 2000, title: "")
        try await apply(f, to: plan, user: user, req: req, errors: &errors)
        guard errors.isEmpty else {
            return PlanPages.planForm(req.pageContext, form: f, plan: nil, periodPlans: try await periodPlans(req), errors: errors.list).response(status: .badRequest)
        }
        try await req.db.writing(as: user.actor) { tx, audit in
            try await plan.create(on: tx)
            audit.created(plan)
        }
        return req.redirect(to: SiteURL.plan(try plan.requireID()).path + "?ok=saved")
    }

    @Sendable static func show(req: Request) async throws -> Response {
        let plan = try await loadPlan(req)
        let user = try await requireView(req, plan)
        let view = try await PlanService.planView(plan, today: req.today, on: req.db)
        let canManage = user.can(.managePlans) ? try await mayManage(req, user, unitID: plan.$unit.id) : false
        return PlanPages.show(req.pageContext, view, canManage: canManage, notice: nil).response()
    }

    @Sendable static func edit(req: Request) async throws -> Response {
        let plan = try await loadPlan(req)
        _ = try await requireManage(req, plan)
        let unit = try await Unit.find(plan.$unit.id, on: req.db)
        let f = PlanForm(kind: plan.kindRaw, unit: unit?.code, year_from: String(plan.yearFrom), year_to: String(plan.yearTo), title: plan.title,
                         doc_number: plan.docNumber, doc_date: plan.docDate.flatMap(CivilDate.init(parsing:))?.vietnamese, doc_issuer: plan.docIssuer,
                         basis: plan.basis, parent_plan_id: plan.$parentPlan.id?.uuidString, exempt: plan.exempt.map { String($0.rawValue) },
                         version: String(plan.version))
        return PlanPages.planForm(req.pageContext, form: f, plan: plan, periodPlans: try await periodPlans(req), errors: []).response()
    }

    @Sendable static func update(req: Request) async throws -> Response {
        let plan = try await loadPlan(req)
        let user = try await requireManage(req, plan)
        let f = (try? req.content.decode(PlanForm.self)) ?? PlanForm()
        guard plan.status != .closed else { throw AppError.badRequest(key: "plan.closed") }
        guard Int(f.version ?? "") == plan.version else { throw AppError.conflict }
        var errors = FormErrors(req.t)
        try await apply(f, to: plan, user: user, req: req, errors: &errors)
        guard errors.isEmpty else {
            return PlanPages.planForm(req.pageContext, form: f, plan: plan, periodPlans: try await periodPlans(req), errors: errors.list).response(status: .badRequest)
        }
        let planID = try plan.requireID()
        let version = plan.version
        let staged = plan
        try await req.db.writing(as: user.actor) { tx, audit in
            guard let fresh = try await Plan.find(planID, on: tx), fresh.version == version else { throw AppError.conflict }
            let before = fresh.auditSnapshot
            fresh.copyEditable(from: staged)
            fresh.version += 1
            try await fresh.update(on: tx)
            audit.updated(fresh, before: before)
        }
        return req.redirect(to: SiteURL.plan(planID).path + "?ok=saved")
    }

    struct StatusForm: Content {
        var target: String?
        var reason: String?
    }

    /// draft → issued (only when the plan check finds nothing), issued → closed, and back with a reason.
    @Sendable static func setStatus(req: Request) async throws -> Response {
        let plan = try await loadPlan(req)
        let user = try await requireManage(req, plan)
        let f = (try? req.content.decode(StatusForm.self)) ?? StatusForm()
        guard let target = PlanStatus(rawValue: f.target ?? ""), target != plan.status else { throw AppError.badRequest(key: "plan.badStatus") }
        let reason = VietnameseText.normalize(f.reason ?? "")
        let backwards = (plan.status == .issued && target == .draft) || (plan.status == .closed && target != .closed)
        if backwards && reason.isEmpty { throw AppError.badRequest(key: "plan.reasonRequired") }
        if plan.status == .draft && target == .closed { throw AppError.badRequest(key: "plan.badStatus") }
        if target == .issued {
            let tasks = try await PlanTask.query(on: req.db).filter(\.$plan.$id == plan.requireID()).all()
            let problems = PlanService.problems(plan, tasks)
            if !problems.isEmpty {
                let view = try await PlanService.planView(plan, today: req.today, on: req.db)
                return PlanPages.show(req.pageContext, view, canManage: true, notice: req.t("plan.cannotIssue")).response(status: .unprocessableEntity)
            }
        }
        let planID = try plan.requireID()
        let from = plan.statusRaw
        try await req.db.writing(as: user.actor, reason: reason.isEmpty ? "plan: " + target.rawValue : reason) { tx, audit in
            guard let fresh = try await Plan.find(planID, on: tx), fresh.statusRaw == from else { throw AppError.conflict }
            let before = fresh.auditSnapshot
            fresh.statusRaw = target.rawValue
            fresh.version += 1
            try await fresh.update(on: tx)
            audit.updated(fresh, before: before)
        }
        return req.redirect(to: SiteURL.plan(planID).path + "?ok=saved")
    }

    // MARK: Tasks

    struct FieldErrorList: Error, Sendable { let list: [Components.FieldError] }

    struct TaskForm: Content {
        var code: String?
        var parent_code: String?
        var area: String?
        var title: String?
        var target_value: String?
        var target_unit: String?
        var output_kind: String?
        var output: String?
        var start_on: String?
        var due_on: String?
        var lead_unit: String?
        var coordinating_units: String?
        var officer: String?
        var weight: String?
        var version: String?
        var reason: String?
    }

    @Sendable static func newTask(req: Request) async throws -> Response {
        let plan = try await loadPlan(req)
        _ = try await requireManage(req, plan)
        guard plan.status != .closed else { throw AppError.badRequest(key: "plan.closed") }
        let unit = try await Unit.find(plan.$unit.id, on: req.db)
        let count = try await PlanTask.query(on: req.db).filter(\.$plan.$id == plan.requireID()).count()
        let f = TaskForm(code: String(count + 1), area: "0", lead_unit: unit?.code)
        return PlanPages.taskForm(req.pageContext, plan: plan, task: nil, form: f, errors: []).response()
    }

    /// The task form, checked by the same rules the import uses (one row of a spreadsheet).
    static func draft(_ f: TaskForm, plan: Plan, existingCodes: Set<String>, req: Request) async throws -> Result<TaskDraft, FieldErrorList> {
        let header = TaskImport.columns.map(\.key)
        let row = [f.code, f.parent_code, f.area, f.title, f.target_value, f.target_unit, f.output_kind, f.output, f.start_on, f.due_on,
                   f.lead_unit, f.coordinating_units, f.officer, f.weight].map { $0 ?? "" }
        let units = try await Unit.query(on: req.db).field(\.$id).field(\.$code).field(\.$name).all()
        let result = TaskImport.plan(rows: [header, row], units: UnitResolver(units: units.map { ($0.code, $0.name) }), existingCodes: existingCodes)
        var errors = FormErrors(req.t)
        for issue in result.issues { errors.add(issue.column ?? "code", issue.problemKey, issue.argument) }
        guard errors.isEmpty, let d = result.drafts.first else { return .failure(FieldErrorList(list: errors.list)) }
        if d.due.year < plan.yearFrom || d.due.year > plan.yearTo {
            errors.add("due_on", "plan.dueOutside", plan.years)
            return .failure(FieldErrorList(list: errors.list))
        }
        return .success(d)
    }

    /// Writes a draft onto a task inside the transaction; unit codes are resolved to ids there.
    static func write(_ d: TaskDraft, into t: PlanTask, planID: UUID, rules: FollowUpRules, on tx: any Database) async throws {
        var ids: [String: UUID] = [:]
        for u in try await Unit.query(on: tx).filter(\.$code ~~ ([d.leadUnitCode] + d.coordinatingCodes)).all() { ids[u.code] = u.id }
        guard let lead = ids[d.leadUnitCode] else { throw AppError.conflict }
        var parentID: UUID?
        if let pc = d.parentCode {
            guard let p = try await PlanTask.query(on: tx).filter(\.$plan.$id == planID).filter(\.$code == pc).first() else { throw AppError.conflict }
            parentID = p.id
        }
        t.$plan.id = planID
        t.$parent.id = parentID
        t.code = d.code
        t.sortKey = PlanTask.sortKey(d.code)
        t.area = d.area.rawValue
        t.title = d.title
        t.targetE4 = d.targetValue?.e4
        t.targetUnit = d.targetUnit
        t.outputKind = d.outputKind?.rawValue
        t.output = d.output
        t.startOn = d.start?.iso
        t.dueOn = d.due.iso
        t.effectiveDueOn = rules.effectiveDue(d.due).iso
        t.$leadUnit.id = lead
        t.coordinating = d.coordinatingCodes.compactMap { ids[$0]?.uuidString }.joined(separator: ",")
        t.officer = d.officer
        t.weightE4 = d.weight?.e4
    }

    @Sendable static func createTask(req: Request) async throws -> Response {
        let plan = try await loadPlan(req)
        let user = try await requireManage(req, plan)
        guard plan.status != .closed else { throw AppError.badRequest(key: "plan.closed") }
        let f = (try? req.content.decode(TaskForm.self)) ?? TaskForm()
        let planID = try plan.requireID()
        let codes = Set(try await PlanTask.query(on: req.db).filter(\.$plan.$id == planID).all(\.$code))
        let reason = VietnameseText.normalize(f.reason ?? "")
        switch try await draft(f, plan: plan, existingCodes: codes, req: req) {
        case .failure(let errors):
            return PlanPages.taskForm(req.pageContext, plan: plan, task: nil, form: f, errors: errors.list).response(status: .badRequest)
        case .success(let d):
            if plan.status == .issued && reason.isEmpty {
                var e = FormErrors(req.t)
                e.add("reason", "plan.reasonRequired")
                return PlanPages.taskForm(req.pageContext, plan: plan, task: nil, form: f, errors: e.list).response(status: .badRequest)
            }
            let rules = try await ProvinceSetting.followUpRules(on: req.db)
            let task = PlanTask()
            task.version = 1
            try await req.db.writing(as: user.actor, reason: reason.isEmpty ? nil : reason) { tx, audit in
                try await write(d, into: task, planID: planID, rules: rules, on: tx)
                try await task.create(on: tx)
                audit.created(task)
                try await refreshAncestors(of: task.$parent.id, on: tx, audit: audit)
            }
            return req.redirect(to: SiteURL.plan(planID).path + "?ok=saved#t-" + (try task.requireID()).uuidString)
        }
    }

    @Sendable static func showTask(req: Request) async throws -> Response {
        let (task, plan) = try await loadTask(req)
        let user = try await requireView(req, plan)
        return try await renderTask(req, task: task, plan: plan, user: user, form: ReportForm(), errors: [], status: .ok)
    }

    static func renderTask(_ req: Request, task: PlanTask, plan: Plan, user: CurrentUser, form: ReportForm, errors: [Components.FieldError],
                           status: HTTPResponseStatus) async throws -> Response {
        let taskID = try task.requireID()
        let rules = try await ProvinceSetting.followUpRules(on: req.db)
        let reports = try await TaskReport.query(on: req.db).filter(\.$task.$id == taskID).sort(\.$reportedOn, .descending).sort(\.$atMillis, .descending).all()
        let evidence = try await TaskEvidence.query(on: req.db).filter(\.$report.$id ~~ reports.compactMap(\.id)).all()
        let children = try await PlanTask.query(on: req.db).filter(\.$parent.$id == taskID).sort(\.$sortKey).all()
        let names = try await PlanService.unitNames(Set([task.$leadUnit.id] + task.coordinatingIDs + children.map { $0.$leadUnit.id }), on: req.db)
        let parent = try await task.$parent.get(on: req.db)
        let canReport = AccessPolicy.allows(user.grants, .reportProgress, unitPath: try await UnitTree.path(of: task.$leadUnit.id, on: req.db))
        let canManage = user.can(.managePlans) ? try await mayManage(req, user, unitID: plan.$unit.id) : false
        let rollup = children.isEmpty ? nil : Rollup.of(children.map { Rollup.Child(progress: $0.progress, weight: $0.weight) })
        let model = PlanPages.TaskModel(
            task: task, plan: plan, parent: parent, children: children, names: names, reports: reports,
            evidence: Dictionary(grouping: evidence, by: { $0.$report.id }), status: TaskRules.status(task.facts, today: req.today, rules: rules),
            alert: plan.status == .issued ? TaskRules.alert(task.facts, today: req.today, rules: rules) : nil,
            daysLate: TaskRules.daysLate(task.facts, today: req.today, rules: rules), effectiveDue: rules.effectiveDue(task.due),
            rollup: rollup, canReport: canReport && plan.status == .issued && children.isEmpty, canManage: canManage && plan.status != .closed,
            today: req.today)
        return PlanPages.task(req.pageContext, model, form: form, errors: errors).response(status: status)
    }

    @Sendable static func editTask(req: Request) async throws -> Response {
        let (task, plan) = try await loadTask(req)
        _ = try await requireManage(req, plan)
        guard plan.status != .closed else { throw AppError.badRequest(key: "plan.closed") }
        let units = try await PlanService.unitNames(Set([task.$leadUnit.id] + task.coordinatingIDs), on: req.db)
        let codes = try await Unit.query(on: req.db).filter(\.$id ~~ Set([task.$leadUnit.id] + task.coordinatingIDs)).all()
        let codeOf = Dictionary(uniqueKeysWithValues: codes.compactMap { u in u.id.map { ($0, u.code) } })
        _ = units
        let parentCode = try await task.$parent.get(on: req.db)?.code
        let f = TaskForm(
            code: task.code, parent_code: parentCode, area: String(task.area), title: task.title, target_value: task.target?.value.formatted(places: 4),
            target_unit: task.targetUnit, output_kind: task.outputKind, output: task.output, start_on: task.start?.vietnamese, due_on: task.due.vietnamese,
            lead_unit: codeOf[task.$leadUnit.id], coordinating_units: task.coordinatingIDs.compactMap { codeOf[$0] }.joined(separator: "; "),
            officer: task.officer, weight: task.weight?.formatted(places: 4), version: String(task.version))
        return PlanPages.taskForm(req.pageContext, plan: plan, task: task, form: f, errors: []).response()
    }

    @Sendable static func updateTask(req: Request) async throws -> Response {
        let (task, plan) = try await loadTask(req)
        let user = try await requireManage(req, plan)
        guard plan.status != .closed else { throw AppError.badRequest(key: "plan.closed") }
        let f = (try? req.content.decode(TaskForm.self)) ?? TaskForm()
        guard Int(f.version ?? "") == task.version else { throw AppError.conflict }
        let planID = try plan.requireID()
        let taskID = try task.requireID()
        let codes = Set(try await PlanTask.query(on: req.db).filter(\.$plan.$id == planID).filter(\.$id != taskID).all(\.$code))
        let reason = VietnameseText.normalize(f.reason ?? "")
        switch try await draft(f, plan: plan, existingCodes: codes, req: req) {
        case .failure(let errors):
            return PlanPages.taskForm(req.pageContext, plan: plan, task: task, form: f, errors: errors.list).response(status: .badRequest)
        case .success(let d):
            var e = FormErrors(req.t)
            if plan.status == .issued && reason.isEmpty { e.add("reason", "plan.reasonRequired") }
            // A task cannot be put under itself or one of its own sub-tasks.
            if let pc = d.parentCode, try await isDescendant(code: pc, of: taskID, planID: planID, on: req.db) { e.add("parent_code", "problem.invalidValue", pc) }
            guard e.isEmpty else { return PlanPages.taskForm(req.pageContext, plan: plan, task: task, form: f, errors: e.list).response(status: .badRequest) }
            let rules = try await ProvinceSetting.followUpRules(on: req.db)
            let version = task.version
            try await req.db.writing(as: user.actor, reason: reason.isEmpty ? nil : reason) { tx, audit in
                guard let fresh = try await PlanTask.find(taskID, on: tx), fresh.version == version else { throw AppError.conflict }
                let before = fresh.auditSnapshot
                let oldParent = fresh.$parent.id
                try await write(d, into: fresh, planID: planID, rules: rules, on: tx)
                fresh.version += 1
                try await fresh.update(on: tx)
                audit.updated(fresh, before: before)
                try await refreshAncestors(of: oldParent, on: tx, audit: audit)
                try await refreshAncestors(of: fresh.$parent.id, on: tx, audit: audit)
            }
            return req.redirect(to: SiteURL.task(taskID).path + "?ok=saved")
        }
    }

    static func isDescendant(code: String, of taskID: UUID, planID: UUID, on db: any Database) async throws -> Bool {
        guard var cursor = try await PlanTask.query(on: db).filter(\.$plan.$id == planID).filter(\.$code == code).first() else { return false }
        for _ in 0..<32 {
            if cursor.id == taskID { return true }
            guard let p = cursor.$parent.id, let next = try await PlanTask.find(p, on: db) else { return false }
            cursor = next
        }
        return true
    }

    /// Keeps a parent's stored progress and completion equal to the roll-up of its sub-tasks, up to the top, so
    /// that lists and the overdue query read one row per task.
    static func refreshAncestors(of parentID: UUID?, on tx: any Database, audit: AuditRecorder) async throws {
        var cursor = parentID
        var hops = 0
        while let pid = cursor, hops < 32, let parent = try await PlanTask.find(pid, on: tx) {
            let kids = try await PlanTask.query(on: tx).filter(\.$parent.$id == pid).all()
            let before = parent.auditSnapshot
            if kids.isEmpty {
                // The last sub-task moved away: the parent goes back to its own reports.
                let last = try await TaskReport.query(on: tx).filter(\.$task.$id == pid).sort(\.$reportedOn, .descending).sort(\.$atMillis, .descending).first()
                parent.progressE4 = last?.percentE4
                parent.completedOn = last?.percentE4 == Points(100).e4 ? last?.reportedOn : nil
            } else {
                let r = Rollup.of(kids.map { Rollup.Child(progress: $0.progress, weight: $0.weight) })
                parent.progressE4 = r.unreported == r.childCount ? nil : r.progress.e4
                parent.completedOn = kids.allSatisfy({ $0.completedOn != nil }) ? kids.compactMap(\.completedOn).max() : nil
            }
            if parent.hasChanges {
                try await parent.update(on: tx)
                audit.updated(parent, before: before)
            }
            cursor = parent.$parent.id
            hops += 1
        }
    }

    // MARK: Progress reports

    struct ReportForm: Content {
        var reported_on: String?
        var percent: String?
        var achieved: String?
        var note: String?
        var file: File?
        var doc_number: String?
        var doc_date: String?
        var doc_issuer: String?
    }

    @Sendable static func report(req: Request) async throws -> Response {
        let (task, plan) = try await loadTask(req)
        let user = try req.require(.reportProgress)
        // Only a unit that leads the task reports on it.
        let path = try await UnitTree.path(of: task.$leadUnit.id, on: req.db)
        guard AccessPolicy.allows(user.grants, .reportProgress, unitPath: path) else {
            throw AppError.refused(key: "task.notYourTask")
        }
        var f = (try? req.content.decode(ReportForm.self)) ?? ReportForm()
        let taskID = try task.requireID()
        var errors = FormErrors(req.t)
        switch plan.status {
        case .draft: errors.add("percent", "task.planNotIssued")
        case .closed: errors.add("percent", "task.planClosed")
        case .issued: break
        }
        if try await PlanTask.query(on: req.db).filter(\.$parent.$id == taskID).count() > 0 { errors.add("percent", "task.hasChildren") }
        let today = req.today
        var reportDate = today
        if let raw = f.reported_on, !raw.trimmingCharacters(in: .whitespaces).isEmpty {
            if let d = CivilDate(parsing: raw) {
                if d > today { errors.add("reported_on", "task.futureDate") } else if d.year < plan.yearFrom { errors.add("reported_on", "task.beforePlan") } else { reportDate = d }
            } else {
                errors.add("reported_on", "problem.invalidDate", raw)
            }
        }
        let on = reportDate
        var percent: Points?
        switch ProgressInput.percent(percent: f.percent ?? "", achieved: f.achieved ?? "", target: task.target) {
        case .success(let p): percent = p
        case .failure(.empty): errors.add("percent", "task.progressRequired")
        case .failure(.badNumber(let s)): errors.add("percent", "problem.invalidValue", s)
        case .failure(.negative): errors.add("percent", "task.progressNegative")
        case .failure(.overHundred): errors.add("percent", "task.progressOver100")
        case .failure(.noTarget): errors.add("achieved", "task.noTarget")
        }
        let note = errors.take("note", FieldRules.optionalText(f.note ?? "", max: 2000)) ?? nil
        let achieved = errors.take("achieved", FieldRules.optionalText(f.achieved ?? "", max: 50)) ?? nil
        var accepted: EvidenceFiles.Accepted?
        switch EvidenceFiles.accept(file: f.file, docNumber: f.doc_number, docDate: f.doc_date, docIssuer: f.doc_issuer,
                                    limitBytes: req.application.config.maxUploadBytes, limitMB: req.application.config.maxUploadMB, requireSomething: false) {
        case .success(let a): accepted = a
        case .failure(let r): errors.add("file", r.key, r.argument)
        }
        guard errors.isEmpty, let percent else {
            f.file = nil
            return try await renderTask(req, task: task, plan: plan, user: user, form: f, errors: errors.list, status: .badRequest)
        }
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let evidence = accepted
        try await req.db.writing(as: user.actor, reason: "progress") { tx, audit in
            guard let fresh = try await PlanTask.find(taskID, on: tx) else { throw AppError.notFound }
            guard let p = try await Plan.find(fresh.$plan.id, on: tx), p.status == .issued else { throw AppError.badRequest(key: "task.planClosed") }
            let r = TaskReport()
            r.$task.id = taskID
            r.reportedOn = on.iso
            r.percentE4 = percent.e4
            r.achieved = achieved
            r.note = note
            r.reportedBy = user.username
            r.atMillis = now
            try await r.create(on: tx)
            audit.created(r)
            if let a = evidence {
                try await EvidenceFiles.store(a.blob, on: tx)
                let e = TaskEvidence()
                e.$report.id = try r.requireID()
                e.blobSHA256 = a.blob?.id
                e.fileName = a.fileName
                e.docNumber = a.docNumber
                e.docDate = a.docDate?.iso
                e.docIssuer = a.docIssuer
                try await e.create(on: tx)
                audit.created(e)
            }
            try await applyReports(to: fresh, on: tx, audit: audit)
            try await refreshAncestors(of: fresh.$parent.id, on: tx, audit: audit)
        }
        return req.redirect(to: SiteURL.task(taskID).path + "?ok=reported")
    }

    /// Progress is the latest report (by its date, then by when it was entered); the task is complete from the
    /// first report of the last unbroken run of 100 % reports.
    static func applyReports(to task: PlanTask, on tx: any Database, audit: AuditRecorder) async throws {
        let reports = try await TaskReport.query(on: tx).filter(\.$task.$id == task.requireID()).sort(\.$reportedOn).sort(\.$atMillis).all()
        let before = task.auditSnapshot
        task.progressE4 = reports.last?.percentE4
        task.lastReportOn = reports.last?.reportedOn
        var completed: String?
        for r in reports.reversed() {
            guard r.percentE4 == Points(100).e4 else { break }
            completed = r.reportedOn
        }
        task.completedOn = completed
        if task.hasChanges {
            try await task.update(on: tx)
            audit.updated(task, before: before)
        }
    }

    @Sendable static func downloadEvidence(req: Request) async throws -> Response {
        _ = try req.require(.viewPlans)
        guard let id = req.parameters.get("evidenceID", as: UUID.self),
            let e = try await TaskEvidence.query(on: req.db).filter(\.$id == id).with(\.$report).first(),
            let sha = e.blobSHA256,
            let task = try await PlanTask.query(on: req.db).filter(\.$id == e.report.$task.id).with(\.$plan).first()
        else { throw AppError.notFound }
        _ = try await requireView(req, task.plan)
        return try await EvidenceFiles.download(sha256: sha, fileName: e.fileName, on: req.db)
    }
}
