import Fluent
import Foundation
import ThiDuaCore

/// One award given (the award registry). The award's name is kept as it was when given.
final class AwardRecord: Model, Auditable, @unchecked Sendable {
    static let schema = "award_records"
    static let auditType = "award_record"

    @ID(key: .id) var id: UUID?
    @Field(key: "award_code") var awardCode: String
    @Field(key: "award_name") var awardName: String
    @Field(key: "subject") var subjectRaw: String
    @OptionalField(key: "person_id") var personID: UUID?
    @OptionalField(key: "unit_id") var unitID: UUID?
    @Field(key: "year") var year: Int
    @Field(key: "decision_number") var decisionNumber: String
    @Field(key: "decision_date") var decisionDate: String
    @Field(key: "merit") var merit: Bool
    /// "import:<file>" or "decision".
    @Field(key: "source") var source: String
    @OptionalField(key: "revoked_on") var revokedOn: String?
    @OptionalField(key: "revoked_reason") var revokedReason: String?
    /// Why, as the law lists it (`RevocationGround`).
    @OptionalField(key: "revoked_ground") var revokedGround: String?
    @OptionalField(key: "revoked_by_decision") var revokedByDecision: String?
    /// What is recovered: the certificate, the object, the money (as the decision says).
    @OptionalField(key: "recovery") var recovery: String?
    /// The holder's name as given (set by decisions: a household has no registry entry).
    @OptionalField(key: "holder_name") var holderName: String?
    /// The nominee a decision gave it to.
    @OptionalField(key: "nominee_id") var nomineeID: UUID?
    @Field(key: "created_ms") var createdMs: Int64

    init() {}

    var auditSnapshot: any Encodable {
        [
            "award": awardCode, "name": awardName, "subject": subjectRaw, "person": personID?.uuidString ?? "", "unit": unitID?.uuidString ?? "",
            "year": String(year), "decision_number": decisionNumber, "decision_date": decisionDate, "merit": merit ? "yes" : "no",
            "revoked_on": revokedOn ?? "", "revoked_reason": revokedReason ?? "", "revoked_ground": revokedGround ?? "",
            "revoked_by_decision": revokedByDecision ?? "", "recovery": recovery ?? "",
        ]
    }
}
