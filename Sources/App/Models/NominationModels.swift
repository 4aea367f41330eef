import Fluent
import Foundation
import ThiDuaCore

/// An emulation movement with its award plan (quotas per award code) and the public comment period of its candidates.
final class AwardMovement: Model, Auditable, @unchecked Sendable {
    static let schema = "award_movements"
    static let auditType = "award_movement"

    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    /// `MovementKind`.
    @Field(key: "kind") var kind: String
    @Field(key: "year") var year: Int
    @Field(key: "decision_number") var decisionNumber: String
    @Field(key: "decision_date") var decisionDate: String
    @Field(key: "starts") var starts: String
    @Field(key: "ends") var ends: String
    @Field(key: "objectives") var objectives: String
    /// "BKCT=4, CSTDT=6" (`AwardQuota.format`).
    @Field(key: "quotas") var quotas: String
    @Field(key: "comment_days") var commentDays: Int
    @OptionalField(key: "comment_from") var commentFrom: String?
    @OptionalField(key: "comment_until") var commentUntil: String?
    /// When the office published the candidates (the action, not the first day): dossiers put under review after it
    /// were not public and do not go on a ballot.
    @OptionalField(key: "comment_opened_ms") var commentOpenedMs: Int64?
    /// The emulation scoring scheme (`EmulationScheme` as JSON).
    @Field(key: "scheme") var schemeJSON: String
    @Field(key: "created_ms") var createdMs: Int64

    init() {}

    var quotaTable: [String: Int] { AwardQuota.parse(quotas) ?? [:] }
    var scheme: EmulationScheme { (try? JSONDecoder().decode(EmulationScheme.self, from: Data(schemeJSON.utf8))) ?? .starting }

    var auditSnapshot: any Encodable {
        [
            "name": name, "kind": kind, "year": String(year), "decision_number": decisionNumber, "decision_date": decisionDate, "starts": starts,
            "ends": ends, "objectives": objectives, "quotas": quotas, "comment_days": String(commentDays), "comment_from": commentFrom ?? "",
            "comment_until": commentUntil ?? "", "scheme": schemeJSON,
        ]
    }
}

public enum MovementKind: String, CaseIterable, Sendable {
    case regular, thematic, adHoc = "ad_hoc"
    var labelKey: String { "movement.kind.\(rawValue)" }
}

/// A unit's nomination dossier for a movement.
final class AwardNomination: Model, Auditable, @unchecked Sendable {
    static let schema = "award_nominations"
    static let auditType = "award_nomination"

    @ID(key: .id) var id: UUID?
    @Parent(key: "movement_id") var movement: AwardMovement
    @Parent(key: "unit_id") var unit: Unit
    @Field(key: "state") var stateRaw: String
    @OptionalField(key: "letter_number") var letterNumber: String?
    @OptionalField(key: "letter_date") var letterDate: String?
    /// The achievement report (báo cáo thành tích) of the dossier.
    @Field(key: "report") var report: String
    /// What the unit's own emulation council decided (its minutes, summarised).
    @Field(key: "council_minutes") var councilMinutes: String
    @OptionalField(key: "return_reason") var returnReason: String?
    /// Why the dossier goes over the movement's quota, when it does.
    @OptionalField(key: "quota_override") var quotaOverride: String?
    /// When the office put it under review.
    @OptionalField(key: "reviewed_ms") var reviewedMs: Int64?
    @Field(key: "created_ms") var createdMs: Int64
    @Field(key: "updated_ms") var updatedMs: Int64

    init() {}

    var state: NominationState { NominationState(rawValue: stateRaw) ?? .draft }

    var auditSnapshot: any Encodable {
        [
            "movement": $movement.id.uuidString, "unit": $unit.id.uuidString, "state": stateRaw, "letter_number": letterNumber ?? "",
            "letter_date": letterDate ?? "", "report": report, "council_minutes": councilMinutes, "return_reason": returnReason ?? "",
            "quota_override": quotaOverride ?? "",
        ]
    }
}

/// One person, unit or household proposed for one award in a dossier, with the eligibility shown when it was added.
final class AwardNominee: Model, Auditable, @unchecked Sendable {
    static let schema = "award_nominees"
    static let auditType = "award_nominee"

    @ID(key: .id) var id: UUID?
    @Parent(key: "nomination_id") var nomination: AwardNomination
    @Field(key: "award_code") var awardCode: String
    @Field(key: "subject") var subjectRaw: String
    @OptionalField(key: "person_id") var personID: UUID?
    @OptionalField(key: "unit_id") var unitID: UUID?
    @Field(key: "holder_name") var holderName: String
    @Field(key: "achievements") var achievements: String
    /// A woman, or a collective with at least 70 % women (a tie-break).
    @Field(key: "women") var women: Bool
    /// A grassroots or direct worker (a tie-break).
    @Field(key: "grassroots") var grassroots: Bool
    /// `[RuleResult]` as JSON, as checked when the nominee was added.
    @Field(key: "eligibility") var eligibility: String
    @Field(key: "overall") var overall: String
    /// The catalogue version the rules were checked against (`AwardCatalogue.versionLabel`).
    @Field(key: "rules_version") var rulesVersion: String
    @OptionalField(key: "override_reason") var overrideReason: String?
    /// "passed" / "failed" once the council's session closed.
    @OptionalField(key: "result") var result: String?
    @OptionalField(key: "yes_votes") var yesVotes: Int?
    @OptionalField(key: "decision_id") var decisionID: UUID?
    @Field(key: "created_ms") var createdMs: Int64

    init() {}

    /// Each rule with its result, as checked when the nominee was added (labelled from the rule kept, not from a
    /// catalogue edited since).
    var checked: [CheckedRule] { (try? JSONDecoder().decode([CheckedRule].self, from: Data(eligibility.utf8))) ?? [] }
    var results: [RuleResult] { checked.map(\.result) }

    var auditSnapshot: any Encodable {
        [
            "nomination": $nomination.id.uuidString, "award": awardCode, "subject": subjectRaw, "person": personID?.uuidString ?? "",
            "unit": unitID?.uuidString ?? "", "holder": holderName, "achievements": achievements, "women": women ? "yes" : "no",
            "grassroots": grassroots ? "yes" : "no", "overall": overall, "rules_version": rulesVersion, "override_reason": overrideReason ?? "", "result": result ?? "",
            "yes_votes": yesVotes.map(String.init) ?? "", "decision": decisionID?.uuidString ?? "",
        ]
    }
}

/// A session of the emulation and commendation council for a movement.
final class CouncilSession: Model, Auditable, @unchecked Sendable {
    static let schema = "council_sessions"
    static let auditType = "council_session"

    @ID(key: .id) var id: UUID?
    @Parent(key: "movement_id") var movement: AwardMovement
    @Field(key: "title") var title: String
    @Field(key: "held_on") var heldOn: String
    /// "online" (members vote here) or "paper" (the secretary enters the counts).
    @Field(key: "mode") var mode: String
    @Field(key: "quorum") var quorum: String
    /// "open" / "closed".
    @Field(key: "state") var state: String
    @Field(key: "place") var place: String
    @Field(key: "chair") var chair: String
    @Field(key: "secretary") var secretary: String
    @Field(key: "created_ms") var createdMs: Int64

    init() {}

    var isOpen: Bool { state == "open" }
    var isPaper: Bool { mode == "paper" }

    var auditSnapshot: any Encodable {
        [
            "movement": $movement.id.uuidString, "title": title, "held_on": heldOn, "mode": mode, "quorum": quorum, "state": state, "place": place,
            "chair": chair, "secretary": secretary,
        ]
    }
}

/// A member of a session: present or not, and whether they voted — never how.
final class CouncilMember: Model, Auditable, @unchecked Sendable {
    static let schema = "council_members"
    static let auditType = "council_member"

    @ID(key: .id) var id: UUID?
    @Parent(key: "session_id") var session: CouncilSession
    @Parent(key: "user_id") var user: User
    @Field(key: "name") var name: String
    @Field(key: "present") var present: Bool
    @Field(key: "voted") var voted: Bool

    init() {}

    var auditSnapshot: any Encodable {
        ["session": $session.id.uuidString, "user": $user.id.uuidString, "name": name, "present": present ? "yes" : "no", "voted": voted ? "yes" : "no"]
    }
}

/// A member's declared conflict with one nominee: they neither vote on it nor count in its base. Public by nature.
final class CouncilRecusal: Model, Auditable, @unchecked Sendable {
    static let schema = "council_recusals"
    static let auditType = "council_recusal"

    @ID(key: .id) var id: UUID?
    @Parent(key: "session_id") var session: CouncilSession
    @Parent(key: "user_id") var user: User
    @Parent(key: "nominee_id") var nominee: AwardNominee
    @Field(key: "reason") var reason: String

    init() {}

    var auditSnapshot: any Encodable {
        ["session": $session.id.uuidString, "user": $user.id.uuidString, "nominee": $nominee.id.uuidString, "reason": reason]
    }
}

/// The counters of one nominee in one session. Not audited vote by vote (that would link a ballot to its member
/// through the trail's order); the session's closing records the final counts.
final class CouncilTally: Model, @unchecked Sendable {
    static let schema = "council_tallies"

    @ID(key: .id) var id: UUID?
    @Parent(key: "session_id") var session: CouncilSession
    @Parent(key: "nominee_id") var nominee: AwardNominee
    @Field(key: "yes") var yes: Int
    @Field(key: "no") var no: Int
    @Field(key: "abstain") var abstain: Int
    /// Set when the session closes: "passed", "failed" or "no_quorum", and the yes votes that were needed.
    @OptionalField(key: "outcome") var outcome: String?
    @OptionalField(key: "needed") var needed: Int?

    init() {}

    var tally: Tally {
        get { Tally(yes: yes, no: no, abstain: abstain) }
        set {
            yes = newValue.yes
            no = newValue.no
            abstain = newValue.abstain
        }
    }
}

/// A decision on one award of a movement: drafted from the council's results, then signed (number and date,
/// once) and published. Signing writes the awards into the registry.
final class AwardDecision: Model, Auditable, @unchecked Sendable {
    static let schema = "award_decisions"
    static let auditType = "award_decision"

    @ID(key: .id) var id: UUID?
    @Parent(key: "movement_id") var movement: AwardMovement
    @Field(key: "award_code") var awardCode: String
    @Field(key: "award_name") var awardName: String
    @OptionalField(key: "number") var number: String?
    @OptionalField(key: "signed_on") var signedOn: String?
    @OptionalField(key: "signer") var signer: String?
    /// "draft" / "signed" / "published".
    @Field(key: "state") var state: String
    @OptionalField(key: "quota_override") var quotaOverride: String?
    @Field(key: "created_ms") var createdMs: Int64

    init() {}

    var auditSnapshot: any Encodable {
        [
            "movement": $movement.id.uuidString, "award": awardCode, "number": number ?? "", "signed_on": signedOn ?? "", "signer": signer ?? "",
            "state": state, "quota_override": quotaOverride ?? "",
        ]
    }
}

/// A unit's registration (đăng ký thi đua) of itself or one of its people for a title, with the targets pledged.
final class AwardRegistration: Model, Auditable, @unchecked Sendable {
    static let schema = "award_registrations"
    static let auditType = "award_registration"

    @ID(key: .id) var id: UUID?
    @Parent(key: "movement_id") var movement: AwardMovement
    @Parent(key: "unit_id") var unit: Unit
    @Field(key: "award_code") var awardCode: String
    @Field(key: "subject") var subjectRaw: String
    @OptionalField(key: "person_id") var personID: UUID?
    @OptionalField(key: "holder_unit_id") var holderUnitID: UUID?
    @Field(key: "holder_name") var holderName: String
    @Field(key: "targets") var targets: String
    @Field(key: "created_ms") var createdMs: Int64

    init() {}

    var auditSnapshot: any Encodable {
        [
            "movement": $movement.id.uuidString, "unit": $unit.id.uuidString, "award": awardCode, "subject": subjectRaw,
            "person": personID?.uuidString ?? "", "holder_unit": holderUnitID?.uuidString ?? "", "holder": holderName, "targets": targets,
        ]
    }
}

/// A block's pledge (giao ước thi đua) for a movement: signed on a day by the block's units.
final class AwardPledge: Model, Auditable, @unchecked Sendable {
    static let schema = "award_pledges"
    static let auditType = "award_pledge"

    @ID(key: .id) var id: UUID?
    @Parent(key: "movement_id") var movement: AwardMovement
    @Parent(key: "block_id") var block: EmulationBlock
    @Field(key: "signed_on") var signedOn: String
    @Field(key: "content") var content: String
    /// The names of the units that signed, as they were then (one per line).
    @Field(key: "signatories") var signatories: String
    @Field(key: "created_ms") var createdMs: Int64

    init() {}

    var auditSnapshot: any Encodable {
        ["movement": $movement.id.uuidString, "block": $block.id.uuidString, "signed_on": signedOn, "content": content, "signatories": signatories]
    }
}

/// Entered emulation points of a unit for a criterion ("score", one per criterion) or a deduction with its reference.
final class EmulationEntry: Model, Auditable, @unchecked Sendable {
    static let schema = "emulation_entries"
    static let auditType = "emulation_entry"

    @ID(key: .id) var id: UUID?
    @Parent(key: "movement_id") var movement: AwardMovement
    @Parent(key: "unit_id") var unit: Unit
    /// "score" or "deduction".
    @Field(key: "kind") var kind: String
    @Field(key: "criterion") var criterion: String
    /// Exact decimal, as `Points.plain(places: 2)`.
    @Field(key: "points") var points: String
    @Field(key: "note") var note: String
    @OptionalField(key: "reference") var reference: String?
    @Field(key: "created_ms") var createdMs: Int64

    init() {}

    var value: Points { Points(parsing: points) ?? .zero }

    var auditSnapshot: any Encodable {
        ["movement": $movement.id.uuidString, "unit": $unit.id.uuidString, "kind": kind, "criterion": criterion, "points": points, "note": note,
         "reference": reference ?? ""]
    }
}

/// A dossier's evidence: a file of the shared evidence store and/or an official document's reference.
final class AwardEvidence: Model, @unchecked Sendable {
    static let schema = "award_evidence"

    @ID(key: .id) var id: UUID?
    @Parent(key: "nomination_id") var nomination: AwardNomination
    @OptionalField(key: "sha256") var sha256: String?
    @OptionalField(key: "file_name") var fileName: String?
    @OptionalField(key: "doc_number") var docNumber: String?
    @OptionalField(key: "doc_date") var docDate: String?
    @OptionalField(key: "doc_issuer") var docIssuer: String?
    @Field(key: "created_ms") var createdMs: Int64

    init() {}
}

/// A rule and its result, stored together with the nominee.
struct CheckedRule: Codable, Sendable {
    let rule: EligibilityRule
    let result: RuleResult
}
