import Fluent
import Foundation
import ThiDuaCore

/// A questionnaire version. The body is the `Questionnaire` as JSON; once published it never changes (answers
/// refer to its codes): a change is a new draft version copied from it.
final class SurveyQuestionnaire: Model, @unchecked Sendable {
    static let schema = "survey_questionnaires"

    enum Status: String, Codable, CaseIterable, Sendable { case draft, published, retired }

    @ID(key: .id) var id: UUID?
    @Field(key: "code") var code: String
    @Field(key: "version") var version: Int
    @Field(key: "title") var title: String
    @Field(key: "body") var body: String
    @Field(key: "status") var statusRaw: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @OptionalField(key: "published_at") var publishedAt: Date?

    init() {}

    init(_ q: Questionnaire, version: Int) {
        code = q.code
        self.version = version
        title = q.title
        body = Self.encode(q)
        statusRaw = Status.draft.rawValue
    }

    var status: Status { Status(rawValue: statusRaw) ?? .draft }

    static func encode(_ q: Questionnaire) -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? e.encode(q)) ?? Data(), as: UTF8.self)
    }

    func questionnaire() throws -> Questionnaire {
        try JSONDecoder().decode(Questionnaire.self, from: Data(body.utf8))
    }
}

extension SurveyQuestionnaire: Auditable {
    static let auditType = "survey_questionnaire"
    var auditSnapshot: any Encodable { ["code": code, "version": String(version), "status": statusRaw, "body": body] }
}

/// A service field (lĩnh vực) responses are grouped by.
final class SurveyField: Model, @unchecked Sendable {
    static let schema = "survey_fields"

    @ID(key: .id) var id: UUID?
    @Field(key: "code") var code: String
    @Field(key: "name") var name: String
    @Field(key: "sort") var sort: Int

    init() {}

    init(code: String, name: String, sort: Int) {
        self.code = code
        self.name = name
        self.sort = sort
    }
}

extension SurveyField: Auditable {
    static let auditType = "survey_field"
    var auditSnapshot: any Encodable { ["code": code, "name": name] }
}

/// How answers reach a campaign.
enum SurveyChannel: String, CaseIterable, Codable, Sendable {
    /// The public link or QR code at a counter, answered on the respondent's phone.
    case link
    /// A tablet at the counter that resets after each answer.
    case kiosk
    /// A paper form typed in by an officer.
    case paper

    var labelKey: String { "survey.channel.\(rawValue)" }
}

/// A questionnaire run for a period over chosen units, service fields and channels.
final class SurveyCampaign: Model, @unchecked Sendable {
    static let schema = "survey_campaigns"

    enum Status: String, Codable, CaseIterable, Sendable { case draft, open, closed }

    @ID(key: .id) var id: UUID?
    @Field(key: "title") var title: String
    @Parent(key: "questionnaire_id") var questionnaire: SurveyQuestionnaire
    @Field(key: "year") var year: Int
    @Field(key: "starts_on") var startsOn: String
    @Field(key: "ends_on") var endsOn: String
    @Field(key: "status") var statusRaw: String
    /// Comma-separated channel codes.
    @Field(key: "channels") var channelsRaw: String
    /// Comma-separated service field codes (empty: no field question).
    @Field(key: "fields") var fieldsRaw: String
    @Field(key: "receipts_required") var receiptsRequired: Bool
    /// The PAR-Index survey criterion (leaf code) this campaign's weighted answers score, if any.
    @OptionalField(key: "criterion_code") var criterionCode: String?
    @Field(key: "window_seconds") var windowSeconds: Int
    @Field(key: "quarantine_after") var quarantineAfter: Int
    @Field(key: "refuse_after") var refuseAfter: Int
    @Field(key: "kiosk_min_seconds") var kioskMinSeconds: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    var status: Status { Status(rawValue: statusRaw) ?? .draft }
    var channels: [SurveyChannel] { channelsRaw.split(separator: ",").compactMap { SurveyChannel(rawValue: String($0)) } }
    var fieldCodes: [String] { fieldsRaw.split(separator: ",").map(String.init) }
    var rules: IntegrityRules {
        get { IntegrityRules(windowSeconds: windowSeconds, quarantineAfter: quarantineAfter, refuseAfter: refuseAfter, kioskMinSeconds: kioskMinSeconds) }
        set {
            windowSeconds = newValue.windowSeconds
            quarantineAfter = newValue.quarantineAfter
            refuseAfter = newValue.refuseAfter
            kioskMinSeconds = newValue.kioskMinSeconds
        }
    }
    var period: (CivilDate, CivilDate)? {
        guard let a = CivilDate(parsing: startsOn), let b = CivilDate(parsing: endsOn) else { return nil }
        return (a, b)
    }
}

extension SurveyCampaign: Auditable {
    static let auditType = "survey_campaign"
    var auditSnapshot: any Encodable {
        [
            "title": title, "questionnaire": $questionnaire.id.uuidString, "year": String(year), "period": startsOn + "…" + endsOn,
            "status": statusRaw, "channels": channelsRaw, "fields": fieldsRaw, "receipts": String(receiptsRequired),
            "criterion": criterionCode ?? "", "rules": "\(windowSeconds)/\(quarantineAfter)/\(refuseAfter)/\(kioskMinSeconds)",
        ]
    }
}

/// One unit's place in a campaign: its public link and QR code carry `token`.
final class SurveyPoint: Model, @unchecked Sendable {
    static let schema = "survey_points"

    @ID(key: .id) var id: UUID?
    @Parent(key: "campaign_id") var campaign: SurveyCampaign
    @Parent(key: "unit_id") var unit: Unit
    @Field(key: "token") var token: String

    init() {}

    init(campaignID: UUID, unitID: UUID, token: String) {
        $campaign.id = campaignID
        $unit.id = unitID
        self.token = token
    }

    /// 12 characters from an alphabet without look-alikes (no 0/O, 1/I/L): short enough for a QR code and a
    /// printed link, far too many to guess.
    static func newToken(length: Int = 12) -> String {
        let alphabet = Array("23456789abcdefghjkmnpqrstuvwxyz")
        return String((0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count)] })
    }
}

extension SurveyPoint: Auditable {
    static let auditType = "survey_point"
    var auditSnapshot: any Encodable { ["campaign": $campaign.id.uuidString, "unit": $unit.id.uuidString, "token": token] }
}

/// A one-time code printed on a dossier receipt: one dossier, one answer.
final class SurveyReceipt: Model, @unchecked Sendable {
    static let schema = "survey_receipts"

    @ID(key: .id) var id: UUID?
    @Parent(key: "campaign_id") var campaign: SurveyCampaign
    @Parent(key: "point_id") var point: SurveyPoint
    @Field(key: "code") var code: String
    @Field(key: "created_ms") var createdMs: Int64
    @OptionalField(key: "used_ms") var usedMs: Int64?

    init() {}

    init(campaignID: UUID, pointID: UUID, code: String, createdMs: Int64) {
        $campaign.id = campaignID
        $point.id = pointID
        self.code = code
        self.createdMs = createdMs
    }

    static func newCode() -> String {
        let alphabet = Array("23456789ABCDEFGHJKMNPQRSTUVWXYZ")
        return String((0..<8).map { _ in alphabet[Int.random(in: 0..<alphabet.count)] })
    }
}

/// Status of a stored response: only accepted ones count in results.
enum ResponseStatus: String, Codable, CaseIterable, Sendable {
    case accepted, quarantined, rejected

    var labelKey: String { "survey.status.\(rawValue)" }
}

/// Province settings for surveys (targets, how the overall index is formed), one JSON document.
struct SurveySettings: Codable, Sendable, Equatable {
    struct Target: Codable, Sendable, Equatable {
        var year: Int
        var percent: Points
    }

    var targets: [Target]
    var overall: SatisfactionIndex.Overall

    /// DOMAIN.md §6: at least 90 % satisfied by 2025 and 95 % by 2030 (values the province edits).
    static let starter = SurveySettings(targets: [Target(year: 2025, percent: Points(90)), Target(year: 2030, percent: Points(95))], overall: .pooled)

    static let key = "surveys"
}
