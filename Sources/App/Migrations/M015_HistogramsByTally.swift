import Fluent
import SQLKit

/// Processing-time histograms keyed by their tally row (issue 6, API ingest speed): `dossier_tallies` gets an
/// integer id, and a histogram row is (tally id, half-days, count) instead of repeating the unit, the procedure and
/// the month as text. A batch of dossiers rewrites one histogram row per key it changes, scattered over the table;
/// with about 90 bytes of key per row, stored twice (table and unique index), those pages were most of what a batch
/// wrote to SQLite's log (about 12 of 16 MB per 5,000 dossiers). Now a row is about 10 bytes, stored once (SQLite:
/// `WITHOUT ROWID`). The data is carried over in the migration's transaction.
struct M015_HistogramsByTally: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.transaction { tx in
            guard let sql = tx as? any SQLDatabase else { return }
            // Named here: PostgreSQL keeps constraint names per schema, and the old table's default name would clash.
            try await Self.rebuildTallies(withID: true, unique: "dossier_tallies_key", on: tx)
            // One row per tally and half-day count; on SQLite the key is the table itself (no rowid, no second index).
            let withoutRowID = sql.dialect.name == "sqlite" ? " WITHOUT ROWID" : ""
            try await sql.raw("""
                CREATE TABLE dossier_tally_histograms (tally_id BIGINT NOT NULL REFERENCES dossier_tallies (id), \
                half_days INTEGER NOT NULL, n BIGINT NOT NULL, PRIMARY KEY (tally_id, half_days))\(unsafeRaw: withoutRowID)
                """).run()
            try await sql.raw("""
                INSERT INTO dossier_tally_histograms (tally_id, half_days, n) SELECT t.id, h.half_days, h.n FROM dossier_histograms h \
                JOIN dossier_tallies t ON t.unit_id = h.unit_id AND t.procedure_id = h.procedure_id AND t.month = h.month WHERE h.n <> 0
                """).run()
            try await tx.schema("dossier_histograms").delete()
        }
    }

    /// Back to histograms keyed by unit, procedure and month, and tallies without an id (as M011 made them).
    func revert(on db: any Database) async throws {
        try await db.transaction { tx in
            guard let sql = tx as? any SQLDatabase else { return }
            try await tx.schema("dossier_histograms")
                .field("unit_id", .uuid, .required, .references("units", "id"))
                .field("procedure_id", .uuid, .required, .references("procedures", "id"))
                .field("month", .string, .required)
                .field("half_days", .int, .required)
                .field("n", .int64, .required)
                .unique(on: "unit_id", "procedure_id", "month", "half_days")
                .create()
            try await sql.raw("""
                INSERT INTO dossier_histograms (unit_id, procedure_id, month, half_days, n) \
                SELECT t.unit_id, t.procedure_id, t.month, h.half_days, h.n FROM dossier_tally_histograms h JOIN dossier_tallies t ON t.id = h.tally_id
                """).run()
            try await sql.raw("DROP TABLE dossier_tally_histograms").run()
            try await Self.rebuildTallies(withID: false, unique: "dossier_tallies_unit_procedure_month", on: tx)
        }
    }

    /// `dossier_tallies` made again (with or without an integer id) under a new unique-constraint name, its rows copied.
    private static func rebuildTallies(withID: Bool, unique: String, on tx: any Database) async throws {
        guard let sql = tx as? any SQLDatabase else { return }
        var tallies = tx.schema("dossier_tallies_new")
        if withID { tallies = tallies.field("id", .int64, .identifier(auto: true)) }
        tallies = tallies
            .field("unit_id", .uuid, .required, .references("units", "id"))
            .field("procedure_id", .uuid, .required, .references("procedures", "id"))
            .field("month", .string, .required)
        for column in DossierService.tallyColumns { tallies = tallies.field(.string(column), .int64, .required) }
        try await tallies.unique(on: "unit_id", "procedure_id", "month", name: unique).create()
        let columns = (["unit_id", "procedure_id", "month"] + DossierService.tallyColumns).joined(separator: ", ")
        try await sql.raw("""
            INSERT INTO dossier_tallies_new (\(unsafeRaw: columns)) SELECT \(unsafeRaw: columns) FROM dossier_tallies \
            ORDER BY month, unit_id, procedure_id
            """).run()
        try await tx.schema("dossier_tallies").delete()
        try await sql.raw("ALTER TABLE dossier_tallies_new RENAME TO dossier_tallies").run()
        try await sql.raw("CREATE INDEX dossier_tallies_month ON dossier_tallies (month)").run()
    }
}
