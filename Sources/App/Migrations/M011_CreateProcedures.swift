import Fluent
import Foundation
import SQLKit

/// Procedure performance (issue 6): the procedures catalogue, dossiers from one-stop systems with the facts the
/// indicators take from each, running tallies per unit, procedure and month (so indicators never recount
/// dossiers), dossiers kept aside (unknown procedure or unit, re-processable), and API tokens of one-stop systems.
struct M011_CreateProcedures: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("procedures")
            .id()
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("field", .string, .required)
            .field("level", .string, .required)
            .field("statutory_half_days", .int, .required)
            .field("internal_half_days", .int)
            .field("online_level", .string, .required)
            .field("fee", .int64, .required)
            .field("updated_ms", .int64, .required)
            .unique(on: "code")
            .create()
        try await db.schema("dossiers")
            .id()
            .field("code", .string, .required)
            .field("procedure_id", .uuid, .required, .references("procedures", "id"))
            .field("unit_id", .uuid, .required, .references("units", "id"))
            .field("channel", .string, .required)
            .field("received_s", .int64, .required)
            .field("due_s", .int64, .required)
            .field("sent_due_s", .int64)
            .field("resolved_s", .int64)
            .field("returned_s", .int64)
            .field("result", .string)
            .field("paid_online", .bool, .required)
            .field("digitised", .bool, .required)
            .field("rating", .string)
            .field("complaint", .bool, .required)
            .field("timeliness", .string)
            .field("processing_half_days", .int)
            .field("received_month", .string, .required)
            .field("resolved_month", .string)
            .field("facts", .string, .required)
            .field("updated_ms", .int64, .required)
            .unique(on: "code")
            .create()
        // Running counts per unit × procedure × month, per unit × month (the province page reads these), and the
        // processing-time histogram (for the 90th percentile). All three only ever receive increments.
        var tallies = db.schema("dossier_tallies")
            .field("unit_id", .uuid, .required, .references("units", "id"))
            .field("procedure_id", .uuid, .required, .references("procedures", "id"))
            .field("month", .string, .required)
        var unitTallies = db.schema("dossier_unit_tallies")
            .field("unit_id", .uuid, .required, .references("units", "id"))
            .field("month", .string, .required)
        for column in DossierService.tallyColumns {
            tallies = tallies.field(.string(column), .int64, .required)
            unitTallies = unitTallies.field(.string(column), .int64, .required)
        }
        try await tallies.unique(on: "unit_id", "procedure_id", "month").create()
        try await unitTallies.unique(on: "unit_id", "month").create()
        try await db.schema("dossier_histograms")
            .field("unit_id", .uuid, .required, .references("units", "id"))
            .field("procedure_id", .uuid, .required, .references("procedures", "id"))
            .field("month", .string, .required)
            .field("half_days", .int, .required)
            .field("n", .int64, .required)
            .unique(on: "unit_id", "procedure_id", "month", "half_days")
            .create()
        try await db.schema("dossier_rejects")
            .id()
            .field("code", .string, .required)
            .field("procedure_code", .string, .required)
            .field("unit_code", .string, .required)
            .field("reason", .string, .required)
            .field("payload", .string, .required)
            .field("source", .string, .required)
            .field("created_ms", .int64, .required)
            .field("reprocessed_ms", .int64)
            .create()
        try await db.schema("api_tokens")
            .id()
            .field("name", .string, .required)
            .field("token_hash", .string, .required)
            .field("scopes", .string, .required)
            .field("created_ms", .int64, .required)
            .field("revoked_ms", .int64)
            .field("last_used_ms", .int64)
            .unique(on: "token_hash")
            .create()
        guard let sql = db as? any SQLDatabase else { return }
        // Only late dossiers are listed one by one (the drill-down): a partial index keeps the others' inserts cheap.
        try await sql.raw("CREATE INDEX dossiers_late ON dossiers (unit_id, procedure_id, resolved_month) WHERE timeliness = 'late'").run()
        try await sql.raw("CREATE INDEX dossier_tallies_month ON dossier_tallies (month)").run()
        try await sql.raw("CREATE INDEX dossier_unit_tallies_month ON dossier_unit_tallies (month)").run()
        try await sql.raw("CREATE INDEX dossier_rejects_open ON dossier_rejects (reprocessed_ms, created_ms)").run()
    }

    func revert(on db: any Database) async throws {
        for t in ["api_tokens", "dossier_rejects", "dossier_histograms", "dossier_unit_tallies", "dossier_tallies", "dossiers", "procedures"] { try await db.schema(t).delete() }
    }
}
