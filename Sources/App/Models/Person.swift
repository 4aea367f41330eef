import Fluent
import Foundation
import ThiDuaCore

/// A cadre, civil servant, public employee or worker. Later issues read ratings, discipline, pending cases and
/// leave for award eligibility.
final class Person: Model, @unchecked Sendable {
    static let schema = "people"

    @ID(key: .id) var id: UUID?
    @Field(key: "version") var version: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    @Field(key: "code") var code: String
    @Field(key: "full_name") var fullName: String
    @Field(key: "sex") var sexRaw: String
    @OptionalField(key: "birth_year") var birthYear: Int?
    @OptionalField(key: "position") var position: String?
    @Field(key: "search_text") var searchText: String
    @Field(key: "sort_key") var sortKey: String

    @Parent(key: "unit_id") var unit: Unit

    init() {}

    init(id: UUID? = nil, code: String, fullName: String, sex: Sex, birthYear: Int?, position: String?, unitID: UUID) {
        self.id = id
        self.version = 1
        self.code = code
        set(fullName: fullName, sex: sex, birthYear: birthYear, position: position, unitID: unitID)
    }

    func set(fullName: String, sex: Sex, birthYear: Int?, position: String?, unitID: UUID) {
        self.fullName = fullName
        self.sexRaw = sex.rawValue
        self.birthYear = birthYear
        self.position = position
        self.$unit.id = unitID
        self.searchText = VietnameseText.fold(code + " " + fullName + " " + (position ?? ""))
        self.sortKey = VietnameseText.personSortKey(fullName)
    }

    var sex: Sex { Sex(rawValue: sexRaw) ?? .male }
}

extension Person: Auditable {
    static let auditType = "person"
    struct Snapshot: Encodable {
        let code: String, fullName: String, sex: String, birthYear: Int?, position: String?, unitID: UUID
    }
    var auditSnapshot: any Encodable {
        Snapshot(code: code, fullName: fullName, sex: sexRaw, birthYear: birthYear, position: position, unitID: $unit.id)
    }
}

final class PerformanceRatingRecord: Model, @unchecked Sendable {
    static let schema = "performance_ratings"

    @ID(key: .id) var id: UUID?
    @Parent(key: "person_id") var person: Person
    @Field(key: "year") var year: Int
    @Field(key: "rating") var ratingRaw: String

    init() {}

    init(personID: UUID, year: Int, rating: PerformanceRating) {
        self.$person.id = personID
        self.year = year
        self.ratingRaw = rating.rawValue
    }

    var rating: PerformanceRating? { PerformanceRating(rawValue: ratingRaw) }
}

extension PerformanceRatingRecord: Auditable {
    static let auditType = "performance_rating"
    struct Snapshot: Encodable { let personID: UUID, year: Int, rating: String }
    var auditSnapshot: any Encodable { Snapshot(personID: $person.id, year: year, rating: ratingRaw) }
}

/// Discipline periods, pending cases and leave share one shape: a kind, a date range, a reference and a note.
/// One table keeps one set of forms, validation and audit code for all three.
final class PersonPeriod: Model, @unchecked Sendable {
    static let schema = "person_periods"

    enum Category: String, Codable, CaseIterable, Sendable {
        case discipline
        case pendingCase = "pending_case"
        case leave

        var kinds: [String] {
            switch self {
            case .discipline: DisciplineKind.allCases.map(\.rawValue)
            case .pendingCase: PendingCaseKind.allCases.map(\.rawValue)
            case .leave: LeaveKind.allCases.map(\.rawValue)
            }
        }

        func labelKey(kind: String) -> String {
            switch self {
            case .discipline: "discipline.\(kind)"
            case .pendingCase: "case.\(kind)"
            case .leave: "leave.\(kind)"
            }
        }
    }

    @ID(key: .id) var id: UUID?
    @Parent(key: "person_id") var person: Person
    @Field(key: "category") var categoryRaw: String
    @Field(key: "kind") var kind: String
    @Field(key: "start_on") var startOn: String
    @OptionalField(key: "end_on") var endOn: String?
    @OptionalField(key: "reference") var reference: String?
    @OptionalField(key: "note") var note: String?

    init() {}

    init(personID: UUID, category: Category, kind: String, period: DatePeriod, reference: String?, note: String?) {
        self.$person.id = personID
        self.categoryRaw = category.rawValue
        self.kind = kind
        self.startOn = period.start.iso
        self.endOn = period.end?.iso
        self.reference = reference
        self.note = note
    }

    var category: Category { Category(rawValue: categoryRaw) ?? .leave }
    var period: DatePeriod? {
        guard let s = CivilDate(parsing: startOn) else { return nil }
        return DatePeriod(start: s, end: endOn.flatMap(CivilDate.init(parsing:)))
    }
}

extension PersonPeriod: Auditable {
    static let auditType = "person_period"
    struct Snapshot: Encodable {
        let personID: UUID, category: String, kind: String, startOn: String, endOn: String?, reference: String?, note: String?
    }
    var auditSnapshot: any Encodable {
        Snapshot(personID: $person.id, category: categoryRaw, kind: kind, startOn: startOn, endOn: endOn,
                 reference: reference, note: note)
    }
}
