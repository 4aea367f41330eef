import Fluent
import Foundation
import ThiDuaCore

/// A review period (đợt xét công nhận sáng kiến): its phase governs what each role may do; its rubric scores.
final class InitiativePeriod: Model, Auditable, @unchecked Sendable {
    static let schema = "initiative_periods"
    static let auditType = "initiative_period"

    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @Field(key: "year") var year: Int
    @Field(key: "phase") var phaseRaw: String
    @Field(key: "blind") var blind: Bool
    @Field(key: "rubric") var rubricJSON: String
    @Field(key: "created_ms") var createdMs: Int64
    @Field(key: "version") var version: Int

    init() {}

    init(name: String, year: Int, blind: Bool, rubric: Rubric) {
        self.name = name
        self.year = year
        phaseRaw = ReviewPhase.submission.rawValue
        self.blind = blind
        rubricJSON = String(decoding: (try? JSONEncoder.sorted.encode(rubric)) ?? Data(), as: UTF8.self)
        createdMs = Int64(Date().timeIntervalSince1970 * 1000)
        version = 1
    }

    var phase: ReviewPhase { ReviewPhase(rawValue: phaseRaw) ?? .closed }
    var rubric: Rubric { (try? JSONDecoder().decode(Rubric.self, from: Data(rubricJSON.utf8))) ?? .standard }

    var auditSnapshot: any Encodable {
        ["name": name, "year": String(year), "phase": phaseRaw, "blind": blind ? "yes" : "no", "rubric": rubricJSON]
    }
}

/// An initiative (sáng kiến) as submitted by a unit: content, measured benefits, status and the council's decision.
final class Initiative: Model, Auditable, @unchecked Sendable {
    static let schema = "initiatives"
    static let auditType = "initiative"

    @ID(key: .id) var id: UUID?
    @Parent(key: "period_id") var period: InitiativePeriod
    @Parent(key: "unit_id") var unit: Unit
    @Field(key: "title") var title: String
    @Field(key: "type") var typeRaw: String
    @Field(key: "area") var areaRaw: Int
    @Field(key: "problem") var problem: String
    @Field(key: "solution") var solution: String
    @Field(key: "novelty") var novelty: String
    @Field(key: "applied_where") var appliedWhere: String
    @OptionalField(key: "applied_since") var appliedSince: String?
    @Field(key: "hours_saved") var hoursSaved: Int64
    @Field(key: "cost_saved") var costSaved: Int64
    @Field(key: "dossiers") var dossiers: Int64
    @Field(key: "replicability") var replicability: String
    @Field(key: "status") var statusRaw: String
    @OptionalField(key: "level") var levelRaw: String?
    @OptionalField(key: "decision_number") var decisionNumber: String?
    @OptionalField(key: "decision_date") var decisionDate: String?
    @OptionalField(key: "decision_signer") var decisionSigner: String?
    @OptionalField(key: "decision_note") var decisionNote: String?
    @OptionalField(key: "created_by") var createdBy: UUID?
    @Field(key: "created_ms") var createdMs: Int64
    @Field(key: "updated_ms") var updatedMs: Int64
    @Field(key: "version") var version: Int

    @Children(for: \.$initiative) var authors: [InitiativeAuthor]

    init() {}

    var status: InitiativeStatus { InitiativeStatus(rawValue: statusRaw) ?? .draft }
    var type: InitiativeType { InitiativeType(rawValue: typeRaw) ?? .technical }
    var area: ContentArea { ContentArea(rawValue: areaRaw) ?? .direction }
    var level: RecognitionLevel? { levelRaw.flatMap(RecognitionLevel.init(rawValue:)) }
    var benefits: Benefits { Benefits(hoursSaved: hoursSaved, costSaved: costSaved, dossiers: dossiers) }

    var auditSnapshot: any Encodable {
        [
            "title": title, "type": typeRaw, "area": String(areaRaw), "unit": $unit.id.uuidString, "problem": problem, "solution": solution,
            "novelty": novelty, "applied_where": appliedWhere, "applied_since": appliedSince ?? "", "hours_saved": String(hoursSaved),
            "cost_saved": String(costSaved), "dossiers": String(dossiers), "replicability": replicability, "status": statusRaw,
            "level": levelRaw ?? "", "decision_number": decisionNumber ?? "", "decision_date": decisionDate ?? "", "decision_signer": decisionSigner ?? "",
            "decision_note": decisionNote ?? "",
        ]
    }
}

final class InitiativeAuthor: Model, @unchecked Sendable {
    static let schema = "initiative_authors"

    @ID(key: .id) var id: UUID?
    @Parent(key: "initiative_id") var initiative: Initiative
    @OptionalField(key: "person_id") var personID: UUID?
    @Field(key: "name") var name: String
    @Field(key: "share_e4") var shareE4: Int64
    @Field(key: "position") var position: Int

    init() {}

    init(initiativeID: UUID, _ a: AuthorShare, position: Int) {
        $initiative.id = initiativeID
        personID = a.personID
        name = a.name
        shareE4 = a.share.e4
        self.position = position
    }

    var share: AuthorShare { AuthorShare(personID: personID, name: name, share: Points(e4: shareE4)) }
}

final class InitiativeReviewer: Model, @unchecked Sendable {
    static let schema = "initiative_reviewers"

    @ID(key: .id) var id: UUID?
    @Parent(key: "initiative_id") var initiative: Initiative
    @Parent(key: "user_id") var user: User
    @Field(key: "created_ms") var createdMs: Int64

    init() {}

    init(initiativeID: UUID, userID: UUID) {
        $initiative.id = initiativeID
        $user.id = userID
        createdMs = Int64(Date().timeIntervalSince1970 * 1000)
    }
}

/// One reviewer's scores of one initiative (points by criterion code, in e4), submitted once.
final class InitiativeScore: Model, @unchecked Sendable {
    static let schema = "initiative_scores"

    @ID(key: .id) var id: UUID?
    @Parent(key: "initiative_id") var initiative: Initiative
    @Parent(key: "user_id") var user: User
    @Field(key: "scores") var scoresJSON: String
    @Field(key: "total_e4") var totalE4: Int64
    @Field(key: "comment") var comment: String
    @Field(key: "submitted_ms") var submittedMs: Int64

    init() {}

    init(initiativeID: UUID, userID: UUID, scores: [String: Points], total: Points, comment: String) {
        $initiative.id = initiativeID
        $user.id = userID
        scoresJSON = String(decoding: (try? JSONEncoder.sorted.encode(scores.mapValues(\.e4))) ?? Data(), as: UTF8.self)
        totalE4 = total.e4
        self.comment = comment
        submittedMs = Int64(Date().timeIntervalSince1970 * 1000)
    }

    var scores: [String: Points] {
        ((try? JSONDecoder().decode([String: Int64].self, from: Data(scoresJSON.utf8))) ?? [:]).mapValues { Points(e4: $0) }
    }
    var total: Points { Points(e4: totalE4) }
}

/// A unit that adopted a recognised initiative, with the effect it measured.
final class InitiativeAdoption: Model, Auditable, @unchecked Sendable {
    static let schema = "initiative_adoptions"
    static let auditType = "initiative_adoption"

    @ID(key: .id) var id: UUID?
    @Parent(key: "initiative_id") var initiative: Initiative
    @Parent(key: "unit_id") var unit: Unit
    @Field(key: "adopted_on") var adoptedOn: String
    @Field(key: "effect") var effect: String
    @Field(key: "hours_saved") var hoursSaved: Int64
    @Field(key: "cost_saved") var costSaved: Int64
    @Field(key: "dossiers") var dossiers: Int64
    @OptionalField(key: "created_by") var createdBy: UUID?
    @Field(key: "created_ms") var createdMs: Int64

    init() {}

    var benefits: Benefits { Benefits(hoursSaved: hoursSaved, costSaved: costSaved, dossiers: dossiers) }

    var auditSnapshot: any Encodable {
        [
            "initiative": $initiative.id.uuidString, "unit": $unit.id.uuidString, "adopted_on": adoptedOn, "effect": effect,
            "hours_saved": String(hoursSaved), "cost_saved": String(costSaved), "dossiers": String(dossiers),
        ]
    }
}

final class InitiativeEvidence: Model, @unchecked Sendable {
    static let schema = "initiative_evidence"

    @ID(key: .id) var id: UUID?
    @Parent(key: "initiative_id") var initiative: Initiative
    @OptionalField(key: "sha256") var sha256: String?
    @OptionalField(key: "file_name") var fileName: String?
    @OptionalField(key: "doc_number") var docNumber: String?
    @OptionalField(key: "doc_date") var docDate: String?
    @OptionalField(key: "doc_issuer") var docIssuer: String?
    @Field(key: "created_ms") var createdMs: Int64

    init() {}
}
