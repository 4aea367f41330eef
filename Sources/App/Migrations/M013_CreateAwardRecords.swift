import Fluent
import SQLKit

/// Emulation and rewards (issue 8): the award registry — every award given to a person or a unit, for which year's
/// achievements, under which decision; revocation keeps the record with its reason.
struct M013_CreateAwardRecords: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("award_records")
            .id()
            .field("award_code", .string, .required)
            .field("award_name", .string, .required)
            .field("subject", .string, .required)
            .field("person_id", .uuid, .references("people", "id"))
            .field("unit_id", .uuid, .references("units", "id"))
            .field("year", .int, .required)
            .field("decision_number", .string, .required)
            .field("decision_date", .string, .required)
            .field("merit", .bool, .required)
            .field("source", .string, .required)
            .field("revoked_on", .string)
            .field("revoked_reason", .string)
            .field("revoked_ground", .string)
            .field("revoked_by_decision", .string)
            .field("recovery", .string)
            .field("created_ms", .int64, .required)
            .create()
        if let sql = db as? any SQLDatabase {
            try await sql.raw("CREATE INDEX award_records_person ON award_records (person_id, year)").run()
            try await sql.raw("CREATE INDEX award_records_unit ON award_records (unit_id, year)").run()
        }
    }

    func revert(on db: any Database) async throws {
        try await db.schema("award_records").delete()
    }
}
