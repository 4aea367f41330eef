import Fluent

struct M002_CreatePeople: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("people")
            .id()
            .field("version", .int, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .field("code", .string, .required)
            .field("full_name", .string, .required)
            .field("sex", .string, .required)
            .field("birth_year", .int)
            .field("position", .string)
            .field("search_text", .string, .required)
            .field("sort_key", .string, .required)
            .field("unit_id", .uuid, .required, .references("units", "id"))
            .unique(on: "code")
            .create()
        try await db.schema("performance_ratings")
            .id()
            .field("person_id", .uuid, .required, .references("people", "id"))
            .field("year", .int, .required)
            .field("rating", .string, .required)
            .unique(on: "person_id", "year")
            .create()
        try await db.schema("person_periods")
            .id()
            .field("person_id", .uuid, .required, .references("people", "id"))
            .field("category", .string, .required)
            .field("kind", .string, .required)
            .field("start_on", .string, .required)
            .field("end_on", .string)
            .field("reference", .string)
            .field("note", .string)
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("person_periods").delete()
        try await db.schema("performance_ratings").delete()
        try await db.schema("people").delete()
    }
}
