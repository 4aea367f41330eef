import Fluent
import Foundation
import SQLKit
import Vapor
import ThiDuaCore

/// Fills an empty database with plans at national commune scale for the follow-up benchmark
/// (scripts/bench-plans.sh): a province, `--units` communes each with an issued annual plan of `--tasks` tasks
/// spread over the year (most done, some overdue, some in progress), a unit officer of one commune and the reform
/// office, each with a session whose cookie is printed. Refuses a database that already has units.
struct PlanBenchmarkSeedCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "units") var units: Int?
        @Option(name: "tasks") var tasks: Int?
    }

    var help: String { "Kế hoạch, nhiệm vụ tổng hợp cho đo hiệu năng (CSDL trống) / synthetic plans for benchmarks (empty database)" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let db = app.db
        guard let sql = db as? any SQLDatabase else { throw CommandFailure("cần CSDL SQL") }
        guard try await Unit.query(on: db).count() == 0 else { throw CommandFailure("Cơ sở dữ liệu đã có đơn vị") }
        let unitCount = max(1, signature.units ?? 3_300)
        let perUnit = max(1, signature.tasks ?? 40)
        let today = app.today
        let rules = FollowUpRules()

        let root = Unit(code: "BENCH", name: "Tỉnh đo hiệu năng", shortName: nil, kind: .province, parentID: nil, validFrom: nil, validTo: nil)
        try await root.create(on: db)
        let rootID = try root.requireID()
        let ids = try await db.transaction { tx -> [UUID] in
            var unitIDs: [UUID] = []
            for i in 0..<unitCount {
                let u = Unit(code: String(format: "X%05d", i), name: "Xã Thử nghiệm \(i)", shortName: nil, kind: .commune,
                             parentID: rootID, validFrom: nil, validTo: nil)
                try await u.create(on: tx)
                unitIDs.append(try u.requireID())
            }
            return unitIDs
        }
        let planColumns = ["id", "version", "kind", "unit_id", "year_from", "year_to", "title", "doc_number", "status", "exempt_areas"]
        let taskColumns = ["id", "version", "plan_id", "code", "sort_key", "area", "title", "target_e4", "target_unit", "output_kind",
                           "output", "start_on", "due_on", "effective_due_on", "lead_unit_id", "coordinating", "officer", "progress_e4",
                           "completed_on", "last_report_on", "plan_status"]
        let year = today.year
        let first = CivilDate(year: year, month: 1, day: 15)!
        try await db.transaction { tx in
            guard let txSQL = tx as? any SQLDatabase else { return }
            var rng = SystemRandomNumberGenerator()
            for chunk in stride(from: 0, to: ids.count, by: 20) {
                let units = ids[chunk..<min(ids.count, chunk + 20)]
                let plans = units.map { _ in UUID() }
                let planInsert = txSQL.insert(into: Plan.schema).columns(planColumns)
                for (k, unit) in units.enumerated() {
                    planInsert.values([
                        SQLBind(plans[k]), SQLBind(1), SQLBind(PlanKind.annual.rawValue), SQLBind(unit), SQLBind(year), SQLBind(year),
                        SQLBind("Kế hoạch CCHC năm \(year)"), SQLBind("\(chunk + k)/KH-UBND"), SQLBind(PlanStatus.issued.rawValue), SQLBind(""),
                    ] as [any SQLExpression])
                }
                try await planInsert.run()
                let taskInsert = txSQL.insert(into: PlanTask.schema).columns(taskColumns)
                for (k, unit) in units.enumerated() {
                    for n in 0..<perUnit {
                        let code = String(n + 1)
                        let due = first.adding(days: n * 8)
                        let effective = rules.effectiveDue(due)
                        let past = effective < today
                        let roll = Int.random(in: 0..<100, using: &rng)
                        var progress: Int64? = nil
                        var completed: String? = nil
                        if past && roll < 85 {
                            progress = Points(100).e4
                            completed = effective.adding(days: roll < 75 ? -Int.random(in: 0...10, using: &rng) : Int.random(in: 1...20, using: &rng)).iso
                        } else if roll < 60 {
                            progress = Points(e4: Int64.random(in: 1...99, using: &rng) * 10_000).e4
                        }
                        let values: [any SQLExpression] = [
                            SQLBind(UUID()), SQLBind(1), SQLBind(plans[k]), SQLBind(code), SQLBind(PlanTask.sortKey(code)), SQLBind(n % 7),
                            SQLBind("Nhiệm vụ cải cách hành chính số \(n + 1)"), SQLBind(Points(100).e4), SQLBind("% hồ sơ"),
                            SQLBind(OutputKind.report.rawValue), SQLBind("Báo cáo kết quả"), SQLBind(due.adding(days: -60).iso), SQLBind(due.iso),
                            SQLBind(effective.iso), SQLBind(unit), SQLBind(""), SQLBind("Cán bộ phụ trách \(n % 5 + 1)"),
                            progress.map { SQLBind($0) as any SQLExpression } ?? SQLLiteral.null,
                            completed.map { SQLBind($0) as any SQLExpression } ?? SQLLiteral.null,
                            (progress == nil ? nil : (completed ?? today.adding(days: -3).iso)).map { SQLBind($0) as any SQLExpression } ?? SQLLiteral.null,
                            SQLBind(PlanStatus.issued.rawValue),
                        ]
                        taskInsert.values(values)
                    }
                }
                try await taskInsert.run()
            }
        }
        try await sql.raw("ANALYZE").run()

        // Two accounts with ready sessions: the officer of one commune and the province's reform office.
        let hash = try await app.password.async.hash(UserAccounts.generatePassword())
        let officer = try await UserAccounts.create(on: db, actor: .system("bench-seed"), username: "bench.officer", displayName: "Cán bộ xã",
                                                    passwordHash: hash, grants: [(.unitOfficer, ids[ids.count / 2])], mustChangePassword: false)
        let office = try await UserAccounts.create(on: db, actor: .system("bench-seed"), username: "bench.office", displayName: "Sở Nội vụ",
                                                   passwordHash: hash, grants: [(.reformOffice, rootID)], mustChangePassword: false)
        for (name, user) in [("officer", officer), ("office", office)] {
            let token = CSRFMiddleware.newToken()
            try await UserSession(tokenHash: SessionAuthMiddleware.hash(token), userID: try user.requireID(), now: Date()).create(on: db)
            context.console.output("\(name)_cookie=\(SessionAuthMiddleware.cookieName)=\(token)".consoleText())
        }
        let tasks = try await PlanTask.query(on: db).count()
        let open = try await PlanTask.query(on: db).filter(\.$completedOn == nil).filter(\.$effectiveDueOn < today.iso).count()
        context.console.output("tasks=\(tasks) overdue=\(open) today=\(today.vietnamese)".consoleText())
    }
}
