import Fluent
import Vapor
import ThiDuaCore

/// Database queries behind the unit pages; handlers stay thin and views receive plain values.
enum UnitQueries {
    struct Row: Sendable {
        let id: UUID, code: String, name: String, kind: UnitKind, parentName: String?, validTo: CivilDate?, expired: Bool
    }

    struct ListResult: Sendable {
        let rows: [Row]
        let total: Int
        let page: Int
        let pageCount: Int
    }

    /// Units the user may see, filtered by a diacritic-insensitive search and kind, in Vietnamese order.
    static func list(
        on db: any Database, user: CurrentUser, search: String, kind: UnitKind?, includeExpired: Bool, page: Int,
        pageSize: Int
    ) async throws -> ListResult {
        let q = Unit.query(on: db)
        if let ids = try await scope(of: user, .viewUnits, on: db) { q.filter(\.$id ~~ ids) }
        for word in VietnameseText.fold(search).split(separator: " ").prefix(8) {
            q.filter(\.$searchText, .contains(inverse: false, .anywhere), String(word))
        }
        if let kind { q.filter(\.$kindRaw == kind.rawValue) }
        let today = CivilDate.today()
        if !includeExpired { q.group(.or) { $0.filter(\.$validTo == nil).filter(\.$validTo >= today.iso) } }
        let total = try await q.count()
        let pageCount = max(1, (total + pageSize - 1) / pageSize)
        let p = min(page, pageCount)
        let units = try await q.sort(\.$sortKey).sort(\.$code).range(((p - 1) * pageSize)..<(p * pageSize)).all()
        let parentIDs = Set(units.compactMap { $0.$parent.id })
        let parents = try await Unit.query(on: db).filter(\.$id ~~ parentIDs).all()
        let parentNames = Dictionary(uniqueKeysWithValues: parents.compactMap { u in u.id.map { ($0, u.name) } })
        let rows = units.compactMap { u -> Row? in
            guard let id = u.id else { return nil }
            return Row(
                id: id, code: u.code, name: u.name, kind: u.unitKind, parentName: u.$parent.id.flatMap { parentNames[$0] },
                validTo: u.validToDate, expired: !u.isValid(on: today))
        }
        return ListResult(rows: rows, total: total, page: p, pageCount: pageCount)
    }

    /// The units (subtrees) the user holds `action` on, or nil when the grant is province-wide (no filter).
    static func scope(of user: CurrentUser, _ action: Action, on db: any Database) async throws -> Set<UUID>? {
        let roots = AccessPolicy.scopeRoots(user.grants, action)
        if let root = try await UnitTree.rootID(on: db), roots.contains(root) { return nil }
        return try await UnitTree.subtreeIDs(of: roots, on: db)
    }

    struct Detail: Sendable {
        let unit: UnitSnapshot
        let parent: (id: UUID, name: String)?
        let children: [(id: UUID, code: String, name: String, expired: Bool)]
        let predecessors: [(id: UUID, name: String, kind: String, effective: CivilDate?, reference: String?)]
        let successors: [(id: UUID, name: String, kind: String, effective: CivilDate?, reference: String?)]
        let blocks: [(id: UUID, year: Int, name: String)]
        let peopleCount: Int
    }

    /// Plain values of a unit for views (Fluent models are not Sendable values).
    struct UnitSnapshot: Sendable {
        let id: UUID, code: String, name: String, shortName: String?, kind: UnitKind
        let validFrom: CivilDate?, validTo: CivilDate?, expired: Bool, updatedAt: Date?
    }

    static func snapshot(_ u: Unit) throws -> UnitSnapshot {
        UnitSnapshot(
            id: try u.requireID(), code: u.code, name: u.name, shortName: u.shortName, kind: u.unitKind,
            validFrom: u.validFromDate, validTo: u.validToDate, expired: !u.isValid(on: CivilDate.today()),
            updatedAt: u.updatedAt)
    }

    static func detail(_ unit: Unit, on db: any Database) async throws -> Detail {
        let id = try unit.requireID()
        let today = CivilDate.today()
        var parent: (UUID, String)?
        if let pid = unit.$parent.id, let p = try await Unit.find(pid, on: db) { parent = (pid, p.name) }
        let children = try await Unit.query(on: db).filter(\.$parent.$id == id).sort(\.$sortKey).all()
            .compactMap { c in c.id.map { ($0, c.code, c.name, !c.isValid(on: today)) } }
        let predLinks = try await UnitSuccession.query(on: db).filter(\.$unit.$id == id).with(\.$predecessor).all()
        let succLinks = try await UnitSuccession.query(on: db).filter(\.$predecessor.$id == id).with(\.$unit).all()
        let memberships = try await BlockMember.query(on: db).filter(\.$unit.$id == id).with(\.$block).all()
        return Detail(
            unit: try snapshot(unit), parent: parent, children: children,
            predecessors: predLinks.compactMap { l in
                l.predecessor.id.map { ($0, l.predecessor.name, l.kind, l.effectiveOn.flatMap(CivilDate.init(parsing:)), l.reference) }
            },
            successors: succLinks.compactMap { l in
                l.unit.id.map { ($0, l.unit.name, l.kind, l.effectiveOn.flatMap(CivilDate.init(parsing:)), l.reference) }
            },
            blocks: memberships.compactMap { m in m.block.id.map { ($0, m.block.year, m.block.name) } }
                .sorted { ($1.1, $0.2) < ($0.1, $1.2) },
            peopleCount: try await Person.query(on: db).filter(\.$unit.$id == id).count())
    }

    /// Units under which the user may create or move units, current ones only, in Vietnamese order.
    static func parentChoices(on db: any Database, user: CurrentUser, action: Action) async throws -> [(value: String, label: String)] {
        let q = Unit.query(on: db)
        if let ids = try await scope(of: user, action, on: db) { q.filter(\.$id ~~ ids) }
        let today = CivilDate.today().iso
        q.group(.or) { $0.filter(\.$validTo == nil).filter(\.$validTo >= today) }
        return try await q.sort(\.$sortKey).all().compactMap { u in u.id.map { ($0.uuidString, u.name + " (" + u.code + ")") } }
    }
}
