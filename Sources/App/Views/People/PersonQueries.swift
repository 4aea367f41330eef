import Fluent
import Vapor
import ThiDuaCore

enum PersonQueries {
    struct Row: Sendable { let id: UUID, code: String, fullName: String, position: String?, unitName: String }

    struct ListResult: Sendable { let rows: [Row], total: Int, page: Int, pageCount: Int, unitName: String? }

    static func list(on db: any Database, user: CurrentUser, search: String, unitID: UUID?, page: Int, pageSize: Int) async throws -> ListResult {
        let q = Person.query(on: db)
        if let ids = try await UnitQueries.scope(of: user, .viewPeople, on: db) { q.filter(\.$unit.$id ~~ ids) }
        var unitName: String?
        if let unitID {
            q.filter(\.$unit.$id == unitID)
            unitName = try await Unit.find(unitID, on: db)?.name
        }
        for word in VietnameseText.fold(search).split(separator: " ").prefix(8) {
            q.filter(\.$searchText, .contains(inverse: false, .anywhere), String(word))
        }
        let total = try await q.count()
        let pageCount = max(1, (total + pageSize - 1) / pageSize)
        let p = min(page, pageCount)
        let people = try await q.sort(\.$sortKey).sort(\.$code).range(((p - 1) * pageSize)..<(p * pageSize)).all()
        let unitIDs = Set(people.map { $0.$unit.id })
        let units = try await Unit.query(on: db).filter(\.$id ~~ unitIDs).all()
        let names = Dictionary(uniqueKeysWithValues: units.compactMap { u in u.id.map { ($0, u.name) } })
        let rows = people.compactMap { person -> Row? in
            person.id.map { Row(id: $0, code: person.code, fullName: person.fullName, position: person.position, unitName: names[person.$unit.id] ?? "") }
        }
        return ListResult(rows: rows, total: total, page: p, pageCount: pageCount, unitName: unitName)
    }

    struct Period: Sendable { let id: UUID, category: PersonPeriod.Category, kind: String, period: DatePeriod?, reference: String?, note: String? }

    struct Detail: Sendable {
        let id: UUID, code: String, fullName: String, sex: Sex, birthYear: Int?, position: String?
        let unitID: UUID, unitName: String, version: Int
        let ratings: [(year: Int, rating: PerformanceRating)]
        let periods: [Period]
        let sensitiveShown: Bool
    }

    static func detail(_ p: Person, includeSensitive: Bool, on db: any Database) async throws -> Detail {
        let id = try p.requireID()
        let unit = try await Unit.find(p.$unit.id, on: db)
        let ratings = try await PerformanceRatingRecord.query(on: db).filter(\.$person.$id == id).sort(\.$year, .descending).all()
            .compactMap { r in r.rating.map { (r.year, $0) } }
        var periods: [Period] = []
        if includeSensitive {
            periods = try await PersonPeriod.query(on: db).filter(\.$person.$id == id).sort(\.$startOn, .descending).all()
                .compactMap { r in r.id.map { Period(id: $0, category: r.category, kind: r.kind, period: r.period, reference: r.reference, note: r.note) } }
        }
        return Detail(
            id: id, code: p.code, fullName: p.fullName, sex: p.sex, birthYear: p.birthYear, position: p.position,
            unitID: p.$unit.id, unitName: unit?.name ?? "", version: p.version, ratings: ratings, periods: periods,
            sensitiveShown: includeSensitive)
    }
}
