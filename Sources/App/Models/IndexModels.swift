import Fluent
import Foundation
import ThiDuaCore

/// A PAR Index criteria framework. The JSON document (`thidua.framework/1`) is the stored truth; it is compiled
/// (validated) when read. A framework in use by a cycle that has left setup is not replaced, only copied.
final class IndexFramework: Model, @unchecked Sendable {
    static let schema = "index_frameworks"

    @ID(key: .id) var id: UUID?
    @Field(key: "version") var version: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Field(key: "code") var code: String
    @Field(key: "name") var name: String
    @Field(key: "year") var year: Int
    @Field(key: "unit_kind") var unitKind: String
    @Field(key: "spec_json") var specJSON: String

    init() {}

    init(spec: FrameworkSpec) {
        version = 1
        set(spec)
    }

    func set(_ spec: FrameworkSpec) {
        code = spec.code
        name = spec.name
        year = spec.year
        unitKind = spec.unitKind
        specJSON = String(decoding: FrameworkJSON.encode(spec), as: UTF8.self)
    }

    /// The compiled framework; stored documents were validated when saved, so failure means tampering.
    func compiled() throws -> CompiledFramework {
        let spec = try FrameworkJSON.decode(Data(specJSON.utf8))
        return try CompiledFramework.compile(spec).get()
    }
}

extension IndexFramework: Auditable {
    static let auditType = "index_framework"
    struct Snapshot: Encodable { let code: String, name: String, year: Int, unitKind: String, specSHA256: String }
    var auditSnapshot: any Encodable {
        Snapshot(code: code, name: name, year: year, unitKind: unitKind, specSHA256: Digest.sha256(Data(specJSON.utf8)))
    }
}

final class IndexCycle: Model, @unchecked Sendable {
    static let schema = "index_cycles"

    @ID(key: .id) var id: UUID?
    @Field(key: "version") var version: Int
    @Field(key: "year") var year: Int
    @Field(key: "name") var name: String
    @Field(key: "phase") var phaseRaw: String
    @Field(key: "deadlines_json") var deadlinesJSON: String
    @OptionalField(key: "approved_by") var approvedBy: String?
    @OptionalField(key: "approved_ms") var approvedMillis: Int64?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(year: Int, name: String, deadlines: CycleDeadlines) {
        version = 1
        self.year = year
        self.name = name
        phaseRaw = CyclePhase.setup.rawValue
        self.deadlines = deadlines
    }

    var phase: CyclePhase { CyclePhase(rawValue: phaseRaw) ?? .setup }

    var deadlines: CycleDeadlines {
        get { (try? JSONDecoder().decode(CycleDeadlines.self, from: Data(deadlinesJSON.utf8))) ?? CycleDeadlines() }
        set { deadlinesJSON = AuditRecorder.json(newValue) }
    }
}

extension IndexCycle: Auditable {
    static let auditType = "index_cycle"
    struct Snapshot: Encodable { let year: Int, name: String, phase: String, deadlines: String, approvedBy: String? }
    var auditSnapshot: any Encodable { Snapshot(year: year, name: name, phase: phaseRaw, deadlines: deadlinesJSON, approvedBy: approvedBy) }
}

/// Which framework scores the units of which group (emulation block) in a cycle.
final class IndexAssignment: Model, @unchecked Sendable {
    static let schema = "index_assignments"

    @ID(key: .id) var id: UUID?
    @Parent(key: "cycle_id") var cycle: IndexCycle
    @Parent(key: "block_id") var block: EmulationBlock
    @Parent(key: "framework_id") var framework: IndexFramework

    init() {}

    init(cycleID: UUID, blockID: UUID, frameworkID: UUID) {
        $cycle.id = cycleID
        $block.id = blockID
        $framework.id = frameworkID
    }
}

extension IndexAssignment: Auditable {
    static let auditType = "index_assignment"
    struct Snapshot: Encodable { let cycleID: UUID, blockID: UUID, frameworkID: UUID }
    var auditSnapshot: any Encodable { Snapshot(cycleID: $cycle.id, blockID: $block.id, frameworkID: $framework.id) }
}

/// One unit's assessment in a cycle: its score sheet against the framework of its group.
final class IndexAssessment: Model, @unchecked Sendable {
    static let schema = "index_assessments"

    enum Status: String, Codable, Sendable {
        case draft
        case submitted
    }

    @ID(key: .id) var id: UUID?
    @Field(key: "version") var version: Int
    @Parent(key: "cycle_id") var cycle: IndexCycle
    @Parent(key: "unit_id") var unit: Unit
    @Parent(key: "framework_id") var framework: IndexFramework
    @Field(key: "group_name") var groupName: String
    @Field(key: "status") var statusRaw: String
    @OptionalField(key: "submitted_at_ms") var submittedAtMillis: Int64?
    @OptionalField(key: "submitted_by") var submittedBy: String?

    init() {}

    init(cycleID: UUID, unitID: UUID, frameworkID: UUID, groupName: String) {
        version = 1
        $cycle.id = cycleID
        $unit.id = unitID
        $framework.id = frameworkID
        self.groupName = groupName
        statusRaw = Status.draft.rawValue
    }

    var status: Status { Status(rawValue: statusRaw) ?? .draft }
}

extension IndexAssessment: Auditable {
    static let auditType = "index_assessment"
    struct Snapshot: Encodable { let cycleID: UUID, unitID: UUID, frameworkID: UUID, groupName: String, status: String }
    var auditSnapshot: any Encodable {
        Snapshot(cycleID: $cycle.id, unitID: $unit.id, frameworkID: $framework.id, groupName: groupName, status: statusRaw)
    }
}

/// One criterion of one assessment: what the unit entered, what appraisers set, explanations.
/// Values are kept as typed (e.g. "8,5", "đạt", "12;5;2;1") and parsed by the framework's method when computed.
final class IndexScore: Model, @unchecked Sendable {
    static let schema = "index_scores"

    @ID(key: .id) var id: UUID?
    @Field(key: "version") var version: Int
    @Parent(key: "assessment_id") var assessment: IndexAssessment
    @Field(key: "criterion_code") var criterionCode: String
    @OptionalField(key: "self_value") var selfValue: String?
    @OptionalField(key: "self_note") var selfNote: String?
    @OptionalField(key: "appraised_value") var appraisedValue: String?
    @OptionalField(key: "appraisal_reason") var appraisalReason: String?
    @OptionalField(key: "appraised_by") var appraisedBy: String?
    @Field(key: "explanation_requested") var explanationRequested: Bool
    @OptionalField(key: "explanation_request") var explanationRequest: String?
    @OptionalField(key: "explanation") var explanation: String?

    init() {}

    init(assessmentID: UUID, criterionCode: String) {
        version = 1
        $assessment.id = assessmentID
        self.criterionCode = criterionCode
        explanationRequested = false
    }
}

extension IndexScore: Auditable {
    static let auditType = "index_score"
    struct Snapshot: Encodable {
        let assessmentID: UUID, criterion: String, selfValue: String?, selfNote: String?, appraisedValue: String?
        let appraisalReason: String?, appraisedBy: String?, explanationRequested: Bool, explanationRequest: String?, explanation: String?
    }
    var auditSnapshot: any Encodable {
        Snapshot(assessmentID: $assessment.id, criterion: criterionCode, selfValue: selfValue, selfNote: selfNote,
                 appraisedValue: appraisedValue, appraisalReason: appraisalReason, appraisedBy: appraisedBy,
                 explanationRequested: explanationRequested, explanationRequest: explanationRequest, explanation: explanation)
    }
}

/// An uploaded evidence file, stored once by the SHA-256 of its content, in the database so every app server
/// sees it.
final class EvidenceBlob: Model, @unchecked Sendable {
    static let schema = "evidence_blobs"

    @ID(custom: "sha256", generatedBy: .user) var id: String?
    @Field(key: "media_type") var mediaType: String
    @Field(key: "size") var size: Int
    @Field(key: "data") var data: Data

    init() {}

    init(sha256: String, mediaType: String, data: Data) {
        id = sha256
        self.mediaType = mediaType
        size = data.count
        self.data = data
    }
}

/// Evidence attached to a criterion: a file, or a reference to an official document (số/ký hiệu, date, issuer).
final class IndexEvidence: Model, @unchecked Sendable {
    static let schema = "index_evidence"

    @ID(key: .id) var id: UUID?
    @Parent(key: "score_id") var score: IndexScore
    @OptionalField(key: "blob_sha256") var blobSHA256: String?
    @OptionalField(key: "file_name") var fileName: String?
    @OptionalField(key: "doc_number") var docNumber: String?
    @OptionalField(key: "doc_date") var docDate: String?
    @OptionalField(key: "doc_issuer") var docIssuer: String?
    @Field(key: "added_by") var addedBy: String
    @Field(key: "added_ms") var addedMillis: Int64

    init() {}
}

extension IndexEvidence: Auditable {
    static let auditType = "index_evidence"
    struct Snapshot: Encodable {
        let scoreID: UUID, blobSHA256: String?, fileName: String?, docNumber: String?, docDate: String?, docIssuer: String?
    }
    var auditSnapshot: any Encodable {
        Snapshot(scoreID: $score.id, blobSHA256: blobSHA256, fileName: fileName, docNumber: docNumber, docDate: docDate, docIssuer: docIssuer)
    }
}

/// A published result: an immutable snapshot whose SHA-256 appears on the public page. A correction is a new
/// version with an errata entry; older versions stay readable.
final class IndexPublication: Model, @unchecked Sendable {
    static let schema = "index_publications"

    @ID(key: .id) var id: UUID?
    @Parent(key: "cycle_id") var cycle: IndexCycle
    @Field(key: "number") var number: Int
    @Field(key: "digest") var digest: String
    @Field(key: "payload") var payload: String
    @Field(key: "published_ms") var publishedMillis: Int64
    @Field(key: "published_by") var publishedBy: String
    @OptionalField(key: "errata") var errata: String?

    init() {}
}

extension IndexPublication: Auditable {
    static let auditType = "index_publication"
    struct Snapshot: Encodable { let cycleID: UUID, number: Int, digest: String, errata: String? }
    var auditSnapshot: any Encodable { Snapshot(cycleID: $cycle.id, number: number, digest: digest, errata: errata) }
}
