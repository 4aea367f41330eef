import Fluent
import SQLKit

struct M007_CreatePlans: AsyncMigration {
    static let indexes: [(name: String, table: String, columns: String)] = [
        ("idx_plans_unit", "plans", "unit_id"),
        ("idx_tasks_plan", "plan_tasks", "plan_id, sort_key"),
        ("idx_tasks_parent", "plan_tasks", "parent_id"),
        // A unit's follow-up list and the province's overdue list are range scans on these two.
        ("idx_tasks_lead_due", "plan_tasks", "lead_unit_id, completed_on, effective_due_on"),
        ("idx_tasks_open_due", "plan_tasks", "completed_on, effective_due_on"),
        ("idx_task_reports_task", "task_reports", "task_id"),
        ("idx_task_evidence_report", "task_evidence", "report_id"),
    ]

    func prepare(on db: any Database) async throws {
        try await db.schema("plans")
            .id()
            .field("version", .int, .required)
            .field("kind", .string, .required)
            .field("unit_id", .uuid, .required, .references("units", "id"))
            .field("year_from", .int, .required)
            .field("year_to", .int, .required)
            .field("title", .string, .required)
            .field("doc_number", .string)
            .field("doc_date", .string)
            .field("doc_issuer", .string)
            .field("basis", .string)
            .field("status", .string, .required)
            .field("parent_plan_id", .uuid, .references("plans", "id"))
            .field("exempt_areas", .string, .required)
            .field("created_at", .datetime)
            .create()
        try await db.schema("plan_tasks")
            .id()
            .field("version", .int, .required)
            .field("plan_id", .uuid, .required, .references("plans", "id"))
            .field("parent_id", .uuid, .references("plan_tasks", "id"))
            .field("code", .string, .required)
            .field("sort_key", .string, .required)
            .field("area", .int, .required)
            .field("title", .string, .required)
            .field("target_e4", .int64)
            .field("target_unit", .string)
            .field("output_kind", .string)
            .field("output", .string)
            .field("start_on", .string)
            .field("due_on", .string, .required)
            .field("effective_due_on", .string, .required)
            .field("lead_unit_id", .uuid, .required, .references("units", "id"))
            .field("coordinating", .string, .required)
            .field("officer", .string)
            .field("weight_e4", .int64)
            .field("progress_e4", .int64)
            .field("completed_on", .string)
            .field("last_report_on", .string)
            .unique(on: "plan_id", "code")
            .create()
        try await db.schema("task_reports")
            .id()
            .field("task_id", .uuid, .required, .references("plan_tasks", "id"))
            .field("reported_on", .string, .required)
            .field("percent_e4", .int64, .required)
            .field("achieved", .string)
            .field("note", .string)
            .field("reported_by", .string, .required)
            .field("at_ms", .int64, .required)
            .create()
        try await db.schema("task_evidence")
            .id()
            .field("report_id", .uuid, .required, .references("task_reports", "id"))
            .field("blob_sha256", .string, .references("evidence_blobs", "sha256"))
            .field("file_name", .string)
            .field("doc_number", .string)
            .field("doc_date", .string)
            .field("doc_issuer", .string)
            .create()
        try await db.schema("province_settings")
            .field("key", .string, .identifier(auto: false))
            .field("version", .int, .required)
            .field("json", .string, .required)
            .create()
        guard let sql = db as? any SQLDatabase else { return }
        for i in Self.indexes {
            try await sql.raw("CREATE INDEX \(unsafeRaw: i.name) ON \(unsafeRaw: i.table) (\(unsafeRaw: i.columns))").run()
        }
    }

    func revert(on db: any Database) async throws {
        for table in ["province_settings", "task_evidence", "task_reports", "plan_tasks", "plans"] {
            try await db.schema(table).delete()
        }
    }
}
