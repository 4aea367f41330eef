import Fluent
import SQLKit

/// Indexes for the lookups every page makes. Plain CREATE INDEX is the same on SQLite and PostgreSQL.
struct M005_CreateIndexes: AsyncMigration {
    static let indexes: [(name: String, table: String, columns: String)] = [
        ("idx_units_parent", "units", "parent_id"),
        ("idx_units_sort", "units", "sort_key"),
        ("idx_people_unit", "people", "unit_id"),
        ("idx_people_sort", "people", "sort_key"),
        ("idx_periods_person", "person_periods", "person_id"),
        ("idx_grants_user", "role_grants", "user_id"),
        ("idx_login_failures_key", "login_failures", "key, at_ms"),
        ("idx_audit_entity", "audit_links", "entity_type, entity_id"),
        ("idx_block_members_unit", "block_members", "unit_id"),
    ]

    func prepare(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        for i in Self.indexes {
            try await sql.raw("CREATE INDEX \(unsafeRaw: i.name) ON \(unsafeRaw: i.table) (\(unsafeRaw: i.columns))").run()
        }
    }

    func revert(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        for i in Self.indexes {
            try await sql.raw("DROP INDEX \(unsafeRaw: i.name)").run()
        }
    }
}
