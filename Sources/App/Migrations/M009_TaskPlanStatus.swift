import Fluent
import SQLKit

/// Each task carries its plan's status (kept in step by `PlanStatusSync`), so the follow-up lists are range scans
/// of one index with no join: the province's overdue list counts ~15,000 rows of 132,000 in a couple of
/// milliseconds on SQLite (docs/benchmarks.md).
struct M009_TaskPlanStatus: AsyncMigration {
    static let indexes: [(name: String, columns: String)] = [
        ("idx_tasks_open_due", "plan_status, completed_on, effective_due_on, sort_key"),
        ("idx_tasks_lead_due", "lead_unit_id, plan_status, completed_on, effective_due_on, sort_key"),
    ]

    func prepare(on db: any Database) async throws {
        try await db.schema("plan_tasks").field("plan_status", .string, .required, .sql(.default("draft"))).update()
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.raw("UPDATE plan_tasks SET plan_status = (SELECT status FROM plans WHERE plans.id = plan_tasks.plan_id)").run()
        for i in Self.indexes {
            try await sql.raw("DROP INDEX IF EXISTS \(unsafeRaw: i.name)").run()
            try await sql.raw("CREATE INDEX \(unsafeRaw: i.name) ON plan_tasks (\(unsafeRaw: i.columns))").run()
        }
    }

    func revert(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        for i in Self.indexes { try await sql.raw("DROP INDEX IF EXISTS \(unsafeRaw: i.name)").run() }
        try await sql.raw("CREATE INDEX idx_tasks_lead_due ON plan_tasks (lead_unit_id, completed_on, effective_due_on)").run()
        try await sql.raw("CREATE INDEX idx_tasks_open_due ON plan_tasks (completed_on, effective_due_on)").run()
        try await db.schema("plan_tasks").deleteField("plan_status").update()
    }
}

/// Keeps `plan_tasks.plan_status` equal to the plan's status, whichever code path writes: a new task takes its
/// plan's status; a plan's update is passed on to its tasks in the same transaction.
struct PlanStatusSync: AsyncModelMiddleware {
    typealias Model = Plan

    func update(model: Plan, on db: any Database, next: any AnyAsyncModelResponder) async throws {
        try await next.update(model, on: db)
        guard let id = model.id else { return }
        try await PlanTask.query(on: db).filter(\.$plan.$id == id).filter(\.$planStatus != model.statusRaw)
            .set(\.$planStatus, to: model.statusRaw).update()
    }
}

struct TaskPlanStatusSync: AsyncModelMiddleware {
    typealias Model = PlanTask

    func create(model: PlanTask, on db: any Database, next: any AnyAsyncModelResponder) async throws {
        if let plan = try await Plan.find(model.$plan.id, on: db) { model.planStatus = plan.statusRaw }
        try await next.create(model, on: db)
    }
}
