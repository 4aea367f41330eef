import Fluent
import SQLKit
import Foundation
import ThiDuaCore

/// A PAR plan: a period plan (e.g. 2026–2030) or an annual plan, of the province (owned by the root unit) or of
/// a unit, with its legal basis. Tasks may be added and edited while it is a draft; issuing needs a complete plan.
final class Plan: Model, @unchecked Sendable {
    static let schema = "plans"

    @ID(key: .id) var id: UUID?
    @Field(key: "version") var version: Int
    @Field(key: "kind") var kindRaw: String
    @Parent(key: "unit_id") var unit: Unit
    @Field(key: "year_from") var yearFrom: Int
    @Field(key: "year_to") var yearTo: Int
    @Field(key: "title") var title: String
    @OptionalField(key: "doc_number") var docNumber: String?
    @OptionalField(key: "doc_date") var docDate: String?
    @OptionalField(key: "doc_issuer") var docIssuer: String?
    /// The resolutions and plans it implements (số/ký hiệu, date, issuer), as written.
    @OptionalField(key: "basis") var basis: String?
    @Field(key: "status") var statusRaw: String
    @OptionalParent(key: "parent_plan_id") var parentPlan: Plan?
    /// Content areas this plan need not cover (comma-separated area numbers), e.g. a unit with no procedures.
    @Field(key: "exempt_areas") var exemptAreas: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(kind: PlanKind, unitID: UUID, yearFrom: Int, yearTo: Int, title: String) {
        version = 1
        kindRaw = kind.rawValue
        $unit.id = unitID
        self.yearFrom = yearFrom
        self.yearTo = yearTo
        self.title = title
        statusRaw = PlanStatus.draft.rawValue
        exemptAreas = ""
    }

    /// The fields the plan form edits (status and version are changed only by their own actions).
    func copyEditable(from o: Plan) {
        kindRaw = o.kindRaw
        $unit.id = o.$unit.id
        yearFrom = o.yearFrom
        yearTo = o.yearTo
        title = o.title
        docNumber = o.docNumber
        docDate = o.docDate
        docIssuer = o.docIssuer
        basis = o.basis
        $parentPlan.id = o.$parentPlan.id
        exemptAreas = o.exemptAreas
    }

    var kind: PlanKind { PlanKind(rawValue: kindRaw) ?? .annual }
    var status: PlanStatus { PlanStatus(rawValue: statusRaw) ?? .draft }
    var years: String { yearFrom == yearTo ? String(yearFrom) : "\(yearFrom)–\(yearTo)" }

    var exempt: Set<ContentArea> {
        get { Set(exemptAreas.split(separator: ",").compactMap { Int($0).flatMap(ContentArea.init(rawValue:)) }) }
        set { exemptAreas = newValue.sorted().map { String($0.rawValue) }.joined(separator: ",") }
    }
}

extension Plan: Auditable {
    static let auditType = "plan"
    struct Snapshot: Encodable {
        let kind: String, unitID: UUID, years: String, title: String, docNumber: String?, docDate: String?, docIssuer: String?
        let basis: String?, status: String, parentPlanID: UUID?, exemptAreas: String
    }
    var auditSnapshot: any Encodable {
        Snapshot(kind: kindRaw, unitID: $unit.id, years: years, title: title, docNumber: docNumber, docDate: docDate, docIssuer: docIssuer,
                 basis: basis, status: statusRaw, parentPlanID: $parentPlan.id, exemptAreas: exemptAreas)
    }
}

/// A quantified task of a plan. Progress and completion come from reports; status is derived, never stored.
final class PlanTask: Model, @unchecked Sendable {
    static let schema = "plan_tasks"

    @ID(key: .id) var id: UUID?
    @Field(key: "version") var version: Int
    @Parent(key: "plan_id") var plan: Plan
    @OptionalParent(key: "parent_id") var parent: PlanTask?
    @Field(key: "code") var code: String
    @Field(key: "sort_key") var sortKey: String
    @Field(key: "area") var area: Int
    @Field(key: "title") var title: String
    @OptionalField(key: "target_e4") var targetE4: Int64?
    @OptionalField(key: "target_unit") var targetUnit: String?
    @OptionalField(key: "output_kind") var outputKind: String?
    @OptionalField(key: "output") var output: String?
    @OptionalField(key: "start_on") var startOn: String?
    @Field(key: "due_on") var dueOn: String
    /// The due date after the follow-up rules (a weekend or holiday moves to the next working day); kept so
    /// that overdue lists are one indexed query. Recomputed when the rules change.
    @Field(key: "effective_due_on") var effectiveDueOn: String
    @Parent(key: "lead_unit_id") var leadUnit: Unit
    /// Coordinating units' ids, comma-separated.
    @Field(key: "coordinating") var coordinating: String
    @OptionalField(key: "officer") var officer: String?
    @OptionalField(key: "weight_e4") var weightE4: Int64?
    /// Latest reported progress (percent, e4), nil before the first report.
    @OptionalField(key: "progress_e4") var progressE4: Int64?
    @OptionalField(key: "completed_on") var completedOn: String?
    @OptionalField(key: "last_report_on") var lastReportOn: String?
    /// The plan's status, copied (see `PlanStatusSync`) so the follow-up lists need no join.
    @Field(key: "plan_status") var planStatus: String

    init() {}

    var contentArea: ContentArea { ContentArea(rawValue: area) ?? .direction }
    var target: TaskTarget? { targetE4.map { TaskTarget(value: Points(e4: $0), unit: targetUnit ?? "") } }
    var weight: Points? { weightE4.map { Points(e4: $0) } }
    var progress: Points? { progressE4.map { Points(e4: $0) } }
    var due: CivilDate { CivilDate(parsing: dueOn) ?? CivilDate(year: 2000, month: 1, day: 1)! }
    var start: CivilDate? { startOn.flatMap(CivilDate.init(parsing:)) }
    var coordinatingIDs: [UUID] { coordinating.split(separator: ",").compactMap { UUID(uuidString: String($0)) } }

    var facts: TaskFacts {
        TaskFacts(start: start, due: due, progress: progress, completedOn: completedOn.flatMap(CivilDate.init(parsing:)))
    }

    /// "1.2.10" sorts after "1.2.9": every numeric part is zero-padded.
    static func sortKey(_ code: String) -> String {
        code.split(whereSeparator: { $0 == "." || $0 == "-" || $0 == "/" }).map { part in
            part.allSatisfy(\.isNumber) ? String(repeating: "0", count: max(0, 6 - part.count)) + part : String(part)
        }.joined(separator: ".")
    }
}

extension PlanTask: Auditable {
    static let auditType = "plan_task"
    struct Snapshot: Encodable {
        let planID: UUID, parentID: UUID?, code: String, area: Int, title: String, target: String?, targetUnit: String?
        let outputKind: String?, output: String?, start: String?, due: String, leadUnitID: UUID, coordinating: String
        let officer: String?, weight: String?, progress: String?, completedOn: String?
    }
    var auditSnapshot: any Encodable {
        Snapshot(planID: $plan.id, parentID: $parent.id, code: code, area: area, title: title, target: target?.value.plain(places: 4),
                 targetUnit: targetUnit, outputKind: outputKind, output: output, start: startOn, due: dueOn, leadUnitID: $leadUnit.id,
                 coordinating: coordinating, officer: officer, weight: weight?.plain(places: 4), progress: progress?.plain(places: 2),
                 completedOn: completedOn)
    }
}

/// A progress report on a task: percent (or the value achieved, converted) with a note, as of a date.
final class TaskReport: Model, @unchecked Sendable {
    static let schema = "task_reports"

    @ID(key: .id) var id: UUID?
    @Parent(key: "task_id") var task: PlanTask
    @Field(key: "reported_on") var reportedOn: String
    @Field(key: "percent_e4") var percentE4: Int64
    @OptionalField(key: "achieved") var achieved: String?
    @OptionalField(key: "note") var note: String?
    @Field(key: "reported_by") var reportedBy: String
    @Field(key: "at_ms") var atMillis: Int64

    init() {}
}

extension TaskReport: Auditable {
    static let auditType = "task_report"
    struct Snapshot: Encodable { let taskID: UUID, reportedOn: String, percent: String, achieved: String?, note: String? }
    var auditSnapshot: any Encodable {
        Snapshot(taskID: $task.id, reportedOn: reportedOn, percent: Points(e4: percentE4).plain(places: 2), achieved: achieved, note: note)
    }
}

/// Evidence of a report: a file in the shared evidence store, or an official-document reference.
final class TaskEvidence: Model, @unchecked Sendable {
    static let schema = "task_evidence"

    @ID(key: .id) var id: UUID?
    @Parent(key: "report_id") var report: TaskReport
    @OptionalField(key: "blob_sha256") var blobSHA256: String?
    @OptionalField(key: "file_name") var fileName: String?
    @OptionalField(key: "doc_number") var docNumber: String?
    @OptionalField(key: "doc_date") var docDate: String?
    @OptionalField(key: "doc_issuer") var docIssuer: String?

    init() {}
}

extension TaskEvidence: Auditable {
    static let auditType = "task_evidence"
    struct Snapshot: Encodable { let reportID: UUID, blobSHA256: String?, fileName: String?, docNumber: String?, docDate: String?, docIssuer: String? }
    var auditSnapshot: any Encodable {
        Snapshot(reportID: $report.id, blobSHA256: blobSHA256, fileName: fileName, docNumber: docNumber, docDate: docDate, docIssuer: docIssuer)
    }
}

/// Province-wide settings the reform office edits (a JSON document per key), audited like everything else.
final class ProvinceSetting: Model, @unchecked Sendable {
    static let schema = "province_settings"

    @ID(custom: "key", generatedBy: .user) var id: String?
    @Field(key: "version") var version: Int
    @Field(key: "json") var json: String

    init() {}

    init(key: String, json: String) {
        id = key
        version = 1
        self.json = json
    }

    static let followUpKey = "follow_up"

    /// Creates or replaces one setting inside a write transaction, with its audit entry.
    static func save(_ key: String, json: String, on tx: any Database, audit: AuditRecorder) async throws {
        if let s = try await ProvinceSetting.find(key, on: tx) {
            let before = s.auditSnapshot
            s.json = json
            s.version += 1
            try await s.update(on: tx)
            audit.updated(s, before: before)
        } else {
            let s = ProvinceSetting(key: key, json: json)
            try await s.create(on: tx)
            audit.created(s)
        }
    }

    private struct JSONRow: Decodable { let json: String }

    /// Read on every follow-up list (every home page), so with one plain SQL read.
    static func followUpRules(on db: any Database) async throws -> FollowUpRules {
        guard let sql = db as? any SQLDatabase,
            let row = try await sql.raw("SELECT json FROM province_settings WHERE key = \(bind: followUpKey)").first(decoding: JSONRow.self),
            let rules = try? JSONDecoder().decode(FollowUpRules.self, from: Data(row.json.utf8))
        else { return FollowUpRules() }
        return rules
    }
}

extension ProvinceSetting: Auditable {
    static let auditType = "province_setting"
    var auditSnapshot: any Encodable { ["key": id ?? "", "json": json] }
}
