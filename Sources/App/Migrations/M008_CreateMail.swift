import Fluent
import SQLKit

/// E-mail addresses on accounts and the outbox that every app server delivers from (issue 4: follow-up mail).
struct M008_CreateMail: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("users").field("email", .string).update()
        try await db.schema("mail_outbox")
            .id()
            .field("dedupe_key", .string, .required)
            .field("recipient", .string, .required)
            .field("subject", .string, .required)
            .field("body", .string, .required)
            .field("status", .string, .required)
            .field("attempts", .int, .required)
            .field("next_attempt_ms", .int64, .required)
            .field("claim", .string)
            .field("claimed_until_ms", .int64)
            .field("last_error", .string)
            .field("created_ms", .int64, .required)
            .field("sent_ms", .int64)
            .unique(on: "dedupe_key")
            .create()
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.raw("CREATE INDEX idx_mail_outbox_due ON mail_outbox (status, next_attempt_ms)").run()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("mail_outbox").delete()
        try await db.schema("users").deleteField("email").update()
    }
}
