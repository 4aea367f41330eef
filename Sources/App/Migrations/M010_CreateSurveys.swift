import Fluent
import Foundation
import SQLKit

/// Satisfaction surveys (issue 5): questionnaire versions, service fields, campaigns with one public point
/// (link + QR code) per unit, receipts, and responses with their per-factor tallies precomputed at submission.
struct M010_CreateSurveys: AsyncMigration {
    /// Service fields every province starts with; they are rows the reform office edits, not code.
    static let starterFields: [(String, String)] = [
        ("dau_tu", "Đầu tư"), ("dat_dai", "Đất đai"), ("dang_ky_kinh_doanh", "Đăng ký kinh doanh"),
        ("xay_dung", "Cấp phép xây dựng"), ("giao_duc", "Giáo dục và đào tạo"), ("y_te", "Y tế"),
        ("tu_phap", "Tư pháp, hộ tịch"), ("lao_dong", "Lao động, người có công và xã hội"), ("khac", "Lĩnh vực khác"),
    ]

    func prepare(on db: any Database) async throws {
        try await db.schema("survey_questionnaires")
            .id()
            .field("code", .string, .required)
            .field("version", .int, .required)
            .field("title", .string, .required)
            .field("body", .string, .required)
            .field("status", .string, .required)
            .field("created_at", .datetime)
            .field("published_at", .datetime)
            .unique(on: "code", "version")
            .create()
        try await db.schema("survey_fields")
            .id()
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("sort", .int, .required)
            .unique(on: "code")
            .create()
        try await db.schema("survey_campaigns")
            .id()
            .field("title", .string, .required)
            .field("questionnaire_id", .uuid, .required, .references("survey_questionnaires", "id"))
            .field("year", .int, .required)
            .field("starts_on", .string, .required)
            .field("ends_on", .string, .required)
            .field("status", .string, .required)
            .field("channels", .string, .required)
            .field("fields", .string, .required)
            .field("receipts_required", .bool, .required)
            .field("criterion_code", .string)
            .field("window_seconds", .int, .required)
            .field("quarantine_after", .int, .required)
            .field("refuse_after", .int, .required)
            .field("kiosk_min_seconds", .int, .required)
            .field("created_at", .datetime)
            .create()
        try await db.schema("survey_points")
            .id()
            .field("campaign_id", .uuid, .required, .references("survey_campaigns", "id"))
            .field("unit_id", .uuid, .required, .references("units", "id"))
            .field("token", .string, .required)
            .unique(on: "token")
            .unique(on: "campaign_id", "unit_id")
            .create()
        try await db.schema("survey_receipts")
            .id()
            .field("campaign_id", .uuid, .required, .references("survey_campaigns", "id"))
            .field("point_id", .uuid, .required, .references("survey_points", "id"))
            .field("code", .string, .required)
            .field("created_ms", .int64, .required)
            .field("used_ms", .int64)
            .unique(on: "campaign_id", "code")
            .create()
        try await db.schema("survey_responses")
            .id()
            .field("campaign_id", .uuid, .required, .references("survey_campaigns", "id"))
            .field("point_id", .uuid, .required, .references("survey_points", "id"))
            .field("unit_id", .uuid, .required)
            .field("field", .string)
            .field("channel", .string, .required)
            .field("status", .string, .required)
            .field("reason", .string)
            .field("answers", .string, .required)
            .field("fingerprint", .string, .required)
            .field("submission_key", .string, .required)
            .field("receipt_code", .string)
            .field("entered_by", .uuid)
            .field("created_ms", .int64, .required)
            .field("month", .string, .required)
            .field("s_access", .int, .required).field("n_access", .int, .required)
            .field("s_procedure", .int, .required).field("n_procedure", .int, .required)
            .field("s_official", .int, .required).field("n_official", .int, .required)
            .field("s_result", .int, .required).field("n_result", .int, .required)
            .field("s_feedback", .int, .required).field("n_feedback", .int, .required)
            .field("w_sum_e4", .int64, .required)
            .field("w_count", .int, .required)
            .field("reviewed_by", .uuid)
            .field("reviewed_ms", .int64)
            .unique(on: "campaign_id", "submission_key")
            .create()
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.raw("CREATE INDEX idx_survey_responses_source ON survey_responses (campaign_id, fingerprint, created_ms)").run()
        try await sql.raw("CREATE INDEX idx_survey_points_campaign ON survey_points (campaign_id)").run()
        // The export reads a campaign in (created_ms, id) pages; results and counts use its campaign prefix. (Every
        // index a response enters costs pages written per commit: there is no other.)
        try await sql.raw("CREATE INDEX idx_survey_responses_order ON survey_responses (campaign_id, created_ms, id)").run()
        for (i, f) in Self.starterFields.enumerated() {
            try await sql.raw("INSERT INTO survey_fields (id, code, name, sort) VALUES (\(bind: UUID()), \(bind: f.0), \(bind: f.1), \(bind: i + 1))").run()
        }
    }

    func revert(on db: any Database) async throws {
        for t in ["survey_responses", "survey_receipts", "survey_points", "survey_campaigns", "survey_fields", "survey_questionnaires"] {
            try await db.schema(t).delete()
        }
    }
}
