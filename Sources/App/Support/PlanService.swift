import Fluent
import Foundation
import SQLKit
import Synchronization
import ThiDuaCore

/// Queries and computations behind the plan pages, the follow-up lists, the progress reports and the
/// on-time metric. Rules live in ThiDuaCore (`TaskRules`, `Rollup`, `PlanCheck`, `OnTimeRate`); this file only
/// loads what they need.
enum PlanService {
    // MARK: Plans and their task trees

    struct Node: Sendable {
        let task: PlanTask
        let depth: Int
        let status: TaskStatus
        let alert: TaskRules.Alert?
        let daysLate: Int
        /// For a task with sub-tasks: how its progress was computed from them.
        let rollup: Rollup?
        let leadName: String
    }

    struct PlanView: Sendable {
        let plan: Plan
        let unitName: String
        let parentPlan: Plan?
        let nodes: [Node]
        let overall: Rollup
        let problems: [PlanCheck.Problem]
        let counts: [TaskStatus: Int]
    }

    static func planView(_ plan: Plan, today: CivilDate, on db: any Database) async throws -> PlanView {
        let planID = try plan.requireID()
        let rules = try await ProvinceSetting.followUpRules(on: db)
        let tasks = try await PlanTask.query(on: db).filter(\.$plan.$id == planID).sort(\.$sortKey).all()
        let unitIDs = Set(tasks.map { $0.$leadUnit.id } + [plan.$unit.id])
        let names = try await unitNames(unitIDs, on: db)
        let children = Dictionary(grouping: tasks, by: { $0.$parent.id })
        var nodes: [Node] = []
        var counts: [TaskStatus: Int] = [:]
        // Progress of a task: its own report for a leaf, the roll-up of its children otherwise (memoised).
        var memo: [UUID: (Points?, Rollup?)] = [:]
        func progress(_ t: PlanTask, guardDepth: Int = 0) -> (Points?, Rollup?) {
            guard let id = t.id else { return (t.progress, nil) }
            if let m = memo[id] { return m }
            let kids = children[id] ?? []
            guard !kids.isEmpty, guardDepth < 16 else {
                memo[id] = (t.progress, nil)
                return (t.progress, nil)
            }
            let r = Rollup.of(kids.map { Rollup.Child(progress: progress($0, guardDepth: guardDepth + 1).0, weight: $0.weight) })
            memo[id] = (r.progress, r)
            return (r.progress, r)
        }
        func walk(_ parent: UUID?, depth: Int) {
            for t in children[parent] ?? [] {
                let facts = t.facts
                let status = TaskRules.status(facts, today: today, rules: rules)
                counts[status, default: 0] += 1
                nodes.append(Node(
                    task: t, depth: depth, status: status, alert: plan.status == .issued ? TaskRules.alert(facts, today: today, rules: rules) : nil,
                    daysLate: TaskRules.daysLate(facts, today: today, rules: rules), rollup: progress(t).1,
                    leadName: names[t.$leadUnit.id] ?? ""))
                if depth < 16, let id = t.id { walk(id, depth: depth + 1) }
            }
        }
        walk(nil, depth: 0)
        let tops = children[nil] ?? []
        let overall = Rollup.of(tops.map { Rollup.Child(progress: progress($0).0, weight: $0.weight) })
        let parentPlan = try await plan.$parentPlan.get(on: db)
        return PlanView(plan: plan, unitName: names[plan.$unit.id] ?? "", parentPlan: parentPlan, nodes: nodes, overall: overall,
                        problems: problems(plan, tasks), counts: counts)
    }

    static func problems(_ plan: Plan, _ tasks: [PlanTask]) -> [PlanCheck.Problem] {
        let summaries = tasks.map { t in
            PlanCheck.TaskSummary(
                label: t.code + " " + String(t.title.prefix(60)), area: t.contentArea, hasTarget: t.targetE4 != nil && !(t.targetUnit ?? "").isEmpty,
                hasOutput: t.outputKind != nil && !(t.output ?? "").isEmpty, hasOwner: !(t.officer ?? "").isEmpty, due: t.due)
        }
        return PlanCheck.problems(summaries, fromYear: plan.yearFrom, toYear: plan.yearTo,
                                  required: Set(ContentArea.allCases).subtracting(plan.exempt))
    }

    private struct NameRow: Decodable { let id: UUID, name: String }

    static func unitNames(_ ids: Set<UUID>, on db: any Database) async throws -> [UUID: String] {
        guard !ids.isEmpty, let sql = db as? any SQLDatabase else { return [:] }
        var out: [UUID: String] = [:]
        let all = Array(ids)
        for start in stride(from: 0, to: all.count, by: 1000) {
            let chunk: [any Encodable & Sendable] = Array(all[start..<min(all.count, start + 1000)])
            for r in try await sql.raw("SELECT id, name FROM units WHERE id IN (\(binds: chunk))").all(decoding: NameRow.self) { out[r.id] = r.name }
        }
        return out
    }

    /// Re-derives every stored effective due date after the rules changed (weekends, holidays).
    static func recomputeEffectiveDue(_ rules: FollowUpRules, on tx: any Database) async throws -> Int {
        var changed = 0
        let tasks = try await PlanTask.query(on: tx).field(\.$id).field(\.$dueOn).field(\.$effectiveDueOn).all()
        var byNew: [String: [UUID]] = [:]
        for t in tasks {
            guard let id = t.id, let due = CivilDate(parsing: t.dueOn) else { continue }
            let eff = rules.effectiveDue(due).iso
            if eff != t.effectiveDueOn { byNew[eff, default: []].append(id) }
        }
        for (eff, ids) in byNew {
            for chunk in stride(from: 0, to: ids.count, by: 500).map({ Array(ids[$0..<min($0 + 500, ids.count)]) }) {
                try await PlanTask.query(on: tx).filter(\.$id ~~ chunk).set(\.$effectiveDueOn, to: eff).update()
                changed += chunk.count
            }
        }
        return changed
    }

    // MARK: Follow-up

    struct FollowUpRow: Sendable {
        let taskID: UUID
        let code: String
        let title: String
        let planTitle: String
        let leadName: String
        let officer: String?
        let due: CivilDate
        let status: TaskStatus
        let alert: TaskRules.Alert
        let daysLate: Int
        let progress: Points?
    }

    struct FollowUpPage: Sendable {
        let rows: [FollowUpRow]
        let total: Int
    }

    private struct CountRow: Decodable { let n: Int }

    /// Tasks of issued plans, not completed, led by a unit in `scope` (nil: everywhere), whose alert is at least
    /// `minimum` today, most overdue first. Two plain SQL reads (the count and one page) on the indexes
    /// `(plan_status, completed_on, effective_due_on, sort_key)` and `(lead_unit_id, …)`: these lists are on every
    /// home page, so they skip the model layer.
    static func followUp(scope: Set<UUID>?, minimum: TaskRules.Alert, today: CivilDate, rules: FollowUpRules, page: Int = 1,
                         pageSize: Int = 100, on db: any Database) async throws -> FollowUpPage {
        if let scope, scope.isEmpty { return FollowUpPage(rows: [], total: 0) }
        guard let sql = db as? any SQLDatabase else { return FollowUpPage(rows: [], total: 0) }
        let last: CivilDate
        switch minimum {
        case .dueSoon: last = today.adding(days: rules.dueSoonDays)
        case .officer: last = today.adding(days: -1)
        case .unitHead: last = today.adding(days: -max(1, rules.headAfterDays))
        case .reformOffice: last = today.adding(days: -max(1, rules.reformOfficeAfterDays))
        }
        var filter: SQLQueryString = "t.plan_status = \(bind: PlanStatus.issued.rawValue) AND t.completed_on IS NULL AND t.effective_due_on <= \(bind: last.iso)"
        if let scope {
            let ids: [any Encodable & Sendable] = scope.sorted { $0.uuidString < $1.uuidString }
            filter += " AND t.lead_unit_id IN (\(binds: ids))"
        }
        let total = try await sql.raw("SELECT COUNT(*) AS n FROM plan_tasks t WHERE " + filter).first(decoding: CountRow.self)?.n ?? 0
        let size = max(1, pageSize), offset = (max(1, page) - 1) * size
        let select: SQLQueryString = "SELECT " + TaskLine.columns
            + ", p.title AS plan_title, u.name AS lead_name, t.effective_due_on FROM plan_tasks t JOIN plans p ON p.id = t.plan_id"
            + " LEFT JOIN units u ON u.id = t.lead_unit_id WHERE"
        let order: SQLQueryString = " ORDER BY t.effective_due_on, t.sort_key LIMIT \(literal: size) OFFSET \(literal: offset)"
        let found = try await sql.raw(select + " " + filter + order).all()
        let rows = found.compactMap { row -> FollowUpRow? in
            // Rows are read column by column: keyed-container decoding costs more than the query on a 100-row page.
            guard let t = TaskLine(row), let alert = TaskRules.alert(t.facts, today: today, rules: rules) else { return nil }
            let effective = (try? row.decode(column: "effective_due_on", as: String.self)).flatMap(CivilDate.init(parsing:))
            return FollowUpRow(
                taskID: t.id, code: t.code, title: t.title, planTitle: (try? row.decode(column: "plan_title", as: String.self)) ?? "",
                leadName: (try? row.decode(column: "lead_name", as: String?.self)).flatMap { $0 } ?? "", officer: t.officer,
                due: effective ?? t.facts.due, status: TaskRules.status(t.facts, today: today, rules: rules),
                alert: alert, daysLate: TaskRules.daysLate(t.facts, today: today, rules: rules), progress: t.facts.progress)
        }
        return FollowUpPage(rows: rows, total: total)
    }

    /// Where each of the user's grants sits on the escalation ladder (officer → unit head → reform office):
    /// the least alert that grant must hear about, and the units it covers.
    static func ladder(for user: CurrentUser, on db: any Database) async throws -> [(minimum: TaskRules.Alert, scope: Set<UUID>?)] {
        let root = try await UnitTree.rootID(on: db)
        var out: [(TaskRules.Alert, Set<UUID>?)] = []
        for g in user.grants {
            let minimum: TaskRules.Alert
            switch g.role {
            case .unitOfficer: minimum = .dueSoon
            case .unitHead: minimum = .unitHead
            case .reformOffice: minimum = .reformOffice
            default: continue
            }
            let scope: Set<UUID>? = g.unitID == root ? nil : try await UnitTree.subtreeIDs(of: [g.unitID], on: db)
            out.append((minimum, scope))
        }
        return out
    }

    /// The user's notification list: every grant's part of the ladder, most overdue first, each task once.
    static func notifications(for user: CurrentUser, today: CivilDate, limit: Int = 100, on db: any Database) async throws -> FollowUpPage {
        let rules = try await ProvinceSetting.followUpRules(on: db)
        var seen: Set<UUID> = []
        var rows: [FollowUpRow] = []
        var total = 0
        for step in try await ladder(for: user, on: db) {
            let page = try await followUp(scope: step.scope, minimum: step.minimum, today: today, rules: rules, pageSize: limit, on: db)
            total += page.total
            for r in page.rows where !seen.contains(r.taskID) {
                seen.insert(r.taskID)
                rows.append(r)
            }
        }
        rows.sort { ($0.due, $0.code) < ($1.due, $1.code) }
        return FollowUpPage(rows: Array(rows.prefix(limit)), total: max(total, rows.count))
    }

    // MARK: Progress reports

    enum Period: Sendable, Equatable {
        case year
        case quarter(Int)
        case month(Int)

        init?(_ raw: String) {
            if raw == "year" || raw.isEmpty {
                self = .year
            } else if raw.hasPrefix("q"), let n = Int(raw.dropFirst()), (1...4).contains(n) {
                self = .quarter(n)
            } else if raw.hasPrefix("m"), let n = Int(raw.dropFirst()), (1...12).contains(n) {
                self = .month(n)
            } else {
                return nil
            }
        }

        var raw: String {
            switch self {
            case .year: "year"
            case .quarter(let n): "q\(n)"
            case .month(let n): "m\(n)"
            }
        }

        func bounds(year: Int) -> (CivilDate, CivilDate) {
            switch self {
            case .year: return (CivilDate(year: year, month: 1, day: 1)!, CivilDate(year: year, month: 12, day: 31)!)
            case .quarter(let q):
                let m = (q - 1) * 3 + 1
                return (CivilDate(year: year, month: m, day: 1)!, CivilDate(year: year, month: m + 2, day: CivilDate.daysIn(month: m + 2, year: year))!)
            case .month(let m):
                return (CivilDate(year: year, month: m, day: 1)!, CivilDate(year: year, month: m, day: CivilDate.daysIn(month: m, year: year))!)
            }
        }
    }

    struct Report: Sendable {
        let scopeName: String
        let year: Int
        let period: Period
        let from: CivilDate
        let to: CivilDate
        let asOf: CivilDate
        /// area → status → count
        let matrix: [ContentArea: [TaskStatus: Int]]
        let dueInPeriod: Int
        let doneInPeriod: Int
        let overdue: [FollowUpRow]
        let onTime: (rate: Points, onTime: Int, counted: Int)?
        let total: Int
    }

    /// The columns the report and the on-time metric need, read column by column from a plain SQL row.
    struct TaskLine: Sendable {
        let id: UUID
        let code: String
        let title: String
        let area: Int
        let leadUnit: UUID
        let officer: String?
        let facts: TaskFacts

        static let columns: SQLQueryString = "t.id, t.code, t.title, t.area, t.lead_unit_id, t.officer, t.start_on, t.due_on, t.progress_e4, t.completed_on"

        init?(_ row: any SQLRow) {
            guard let id = try? row.decode(column: "id", as: UUID.self), let lead = try? row.decode(column: "lead_unit_id", as: UUID.self),
                let due = (try? row.decode(column: "due_on", as: String.self)).flatMap(CivilDate.init(parsing:))
            else { return nil }
            self.id = id
            leadUnit = lead
            code = (try? row.decode(column: "code", as: String.self)) ?? ""
            title = (try? row.decode(column: "title", as: String.self)) ?? ""
            area = (try? row.decode(column: "area", as: Int.self)) ?? 0
            officer = try? row.decode(column: "officer", as: String?.self)
            let start = (try? row.decode(column: "start_on", as: String?.self))?.flatMap(CivilDate.init(parsing:))
            let progress = (try? row.decode(column: "progress_e4", as: Int64?.self))?.map { Points(e4: $0) }
            let completed = (try? row.decode(column: "completed_on", as: String?.self))?.flatMap(CivilDate.init(parsing:))
            facts = TaskFacts(start: start, due: due, progress: progress, completedOn: completed)
        }
    }

    /// Tasks of issued or closed plans whose effective due date falls in `year`, led by a unit in `scope`, in due
    /// order, passed one by one to `each` as the database returns them (the province's year is ~132,000 rows: they
    /// are never all held as models).
    static func eachTask(scope: Set<UUID>?, year: Int, on db: any Database, _ each: @escaping @Sendable (TaskLine) -> Void) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        if let scope, scope.isEmpty { return }
        let filter: SQLQueryString = "t.plan_status IN (\(bind: PlanStatus.issued.rawValue), \(bind: PlanStatus.closed.rawValue)) AND t.effective_due_on >= \(bind: "\(year)-01-01") AND t.effective_due_on <= \(bind: "\(year)-12-31")"
        let ids: [UUID] = scope.map { Array($0) } ?? []
        // A scope of many units goes in chunks (bind limits); each chunk is in due order, and callers that need a
        // global order sort what they keep.
        let chunks: [[UUID]?] = scope == nil ? [nil] : stride(from: 0, to: ids.count, by: 1000).map { Array(ids[$0..<min(ids.count, $0 + 1000)]) }
        for chunk in chunks {
            var f = filter
            if let chunk {
                let binds: [any Encodable & Sendable] = chunk
                f += " AND t.lead_unit_id IN (\(binds: binds))"
            }
            try await sql.raw("SELECT " + TaskLine.columns + " FROM plan_tasks t WHERE " + f + " ORDER BY t.effective_due_on, t.sort_key").run { row in
                if let line = TaskLine(row) { each(line) }
            }
        }
    }

    private struct ReportState {
        var matrix: [ContentArea: [TaskStatus: Int]] = [:]
        var facts: [TaskFacts] = []
        var dueIn = 0
        var doneIn = 0
        var total = 0
        var overdue: [(TaskLine, TaskFacts)] = []
    }

    /// Tasks of issued or closed plans falling due in `year`, led by a unit in `scope`, as they stood at the end
    /// of the period (or today, if the period has not ended): statuses by content area, what fell due and what
    /// was completed in the period, the overdue list (first 1,000) and the on-time rate.
    static func report(scope: Set<UUID>?, scopeName: String, year: Int, period: Period, today: CivilDate, on db: any Database) async throws -> Report {
        let rules = try await ProvinceSetting.followUpRules(on: db)
        let (from, to) = period.bounds(year: year)
        let asOf = min(today, to)
        let state = Mutex(ReportState())
        try await eachTask(scope: scope, year: year, on: db) { t in
            var f = t.facts
            // As it stood at `asOf`: a completion after that date had not happened yet.
            if let c = f.completedOn, c > asOf {
                f.completedOn = nil
                f.progress = nil
            }
            let s = TaskRules.status(f, today: asOf, rules: rules)
            let eff = rules.effectiveDue(f.due)
            state.withLock { st in
                st.total += 1
                st.matrix[ContentArea(rawValue: t.area) ?? .direction, default: [:]][s, default: 0] += 1
                st.facts.append(f)
                if eff >= from && eff <= to { st.dueIn += 1 }
                if let c = f.completedOn, c >= from && c <= to { st.doneIn += 1 }
                if s == .overdue { st.overdue.append((t, f)) }
            }
        }
        let st = state.withLock { $0 }
        let overdueSorted = st.overdue
            .map { (line: $0.0, facts: $0.1, due: rules.effectiveDue($0.1.due), key: PlanTask.sortKey($0.0.code)) }
            .sorted { ($0.due, $0.key) < ($1.due, $1.key) }
            .prefix(1000).map { ($0.line, $0.facts) }
        let names = try await unitNames(Set(overdueSorted.map { $0.0.leadUnit }), on: db)
        let overdue = overdueSorted.map { t, f in
            FollowUpRow(
                taskID: t.id, code: t.code, title: t.title, planTitle: "", leadName: names[t.leadUnit] ?? "", officer: t.officer,
                due: rules.effectiveDue(f.due), status: .overdue, alert: TaskRules.alert(f, today: asOf, rules: rules) ?? .officer,
                daysLate: TaskRules.daysLate(f, today: asOf, rules: rules), progress: f.progress)
        }
        // The on-time rate counts what had fallen due by the day after `asOf` (a task due that day counts).
        let rate = OnTimeRate.of(st.facts, year: year, asOf: asOf.adding(days: 1), rules: rules)
        return Report(scopeName: scopeName, year: year, period: period, from: from, to: to, asOf: asOf, matrix: st.matrix,
                      dueInPeriod: st.dueIn, doneInPeriod: st.doneIn, overdue: overdue, onTime: rate, total: st.total)
    }
}

/// Offers each unit's on-time completion rate for a year to the PAR Index (`task_on_time_rate`): tasks of issued
/// or closed plans the unit leads, due in that year; during the year, what has fallen due so far.
struct TaskOnTimeMetricSource: MetricSource {
    let today: @Sendable () -> CivilDate

    func values(for unitIDs: [UUID], year: Int, on db: any Database) async throws -> [UUID: [MetricKey: Points]] {
        guard !unitIDs.isEmpty else { return [:] }
        let rules = try await ProvinceSetting.followUpRules(on: db)
        let asOf = min(today(), CivilDate(year: year, month: 12, day: 31)!).adding(days: 1)
        let wanted = Set(unitIDs)
        let collected = Mutex<[UUID: [TaskFacts]]>([:])
        try await PlanService.eachTask(scope: wanted, year: year, on: db) { t in
            collected.withLock { $0[t.leadUnit, default: []].append(t.facts) }
        }
        let facts = collected.withLock { $0 }
        var out: [UUID: [MetricKey: Points]] = [:]
        for (unit, list) in facts {
            if let r = OnTimeRate.of(list, year: year, asOf: asOf, rules: rules) { out[unit] = [.taskOnTimeRate: r.rate] }
        }
        return out
    }
}
