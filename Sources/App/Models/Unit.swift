import Fluent
import Foundation
import ThiDuaCore

/// A unit of the province: the root People's Committee, departments, central agencies, communes, wards,
/// public-service units and their offices. Fluent models are reference types mutated only by the request that
/// loaded them, which is why `@unchecked Sendable` is sound here.
final class Unit: Model, @unchecked Sendable {
    static let schema = "units"

    @ID(key: .id) var id: UUID?
    @Field(key: "version") var version: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    @Field(key: "code") var code: String
    @Field(key: "name") var name: String
    @OptionalField(key: "short_name") var shortName: String?
    @Field(key: "kind") var kindRaw: String
    @OptionalField(key: "valid_from") var validFrom: String?
    @OptionalField(key: "valid_to") var validTo: String?
    /// Folded name and code for diacritic-insensitive search with LIKE.
    @Field(key: "search_text") var searchText: String
    /// Vietnamese-order key (see `VietnameseText.sortKey`).
    @Field(key: "sort_key") var sortKey: String

    @OptionalParent(key: "parent_id") var parent: Unit?

    init() {}

    init(id: UUID? = nil, code: String, name: String, shortName: String?, kind: UnitKind, parentID: UUID?,
         validFrom: CivilDate?, validTo: CivilDate?) {
        self.id = id
        self.version = 1
        self.code = code
        self.$parent.id = parentID
        set(name: name, shortName: shortName, kind: kind, validFrom: validFrom, validTo: validTo)
    }

    func set(name: String, shortName: String?, kind: UnitKind, validFrom: CivilDate?, validTo: CivilDate?) {
        self.name = name
        self.shortName = shortName
        self.kindRaw = kind.rawValue
        self.validFrom = validFrom?.iso
        self.validTo = validTo?.iso
        self.searchText = VietnameseText.fold([code, name, shortName ?? ""].joined(separator: " "))
        self.sortKey = VietnameseText.sortKey(name)
    }

    var unitKind: UnitKind { UnitKind(rawValue: kindRaw) ?? .office }
    var validFromDate: CivilDate? { validFrom.flatMap(CivilDate.init(parsing:)) }
    var validToDate: CivilDate? { validTo.flatMap(CivilDate.init(parsing:)) }

    func isValid(on day: CivilDate) -> Bool {
        (validFromDate.map { $0 <= day } ?? true) && (validToDate.map { day <= $0 } ?? true)
    }
}

extension Unit: Auditable {
    static let auditType = "unit"
    struct Snapshot: Encodable {
        let code: String, name: String, shortName: String?, kind: String, parentID: UUID?
        let validFrom: String?, validTo: String?
    }
    var auditSnapshot: any Encodable {
        Snapshot(code: code, name: name, shortName: shortName, kind: kindRaw, parentID: $parent.id,
                 validFrom: validFrom, validTo: validTo)
    }
}

/// A unit formed from another: a merger, a rename or a split. Scores, tasks and awards follow these links.
final class UnitSuccession: Model, @unchecked Sendable {
    static let schema = "unit_successions"

    @ID(key: .id) var id: UUID?
    @Parent(key: "unit_id") var unit: Unit
    @Parent(key: "predecessor_id") var predecessor: Unit
    @Field(key: "kind") var kind: String
    @OptionalField(key: "effective_on") var effectiveOn: String?
    @OptionalField(key: "reference") var reference: String?

    init() {}

    init(unitID: UUID, predecessorID: UUID, kind: SuccessionKind, effectiveOn: CivilDate?, reference: String?) {
        self.$unit.id = unitID
        self.$predecessor.id = predecessorID
        self.kind = kind.rawValue
        self.effectiveOn = effectiveOn?.iso
        self.reference = reference
    }
}

extension UnitSuccession: Auditable {
    static let auditType = "unit_succession"
    struct Snapshot: Encodable { let unitID: UUID, predecessorID: UUID, kind: String, effectiveOn: String?, reference: String? }
    var auditSnapshot: any Encodable {
        Snapshot(unitID: $unit.id, predecessorID: $predecessor.id, kind: kind, effectiveOn: effectiveOn, reference: reference)
    }
}

/// An emulation block or cluster (khối / cụm thi đua) for one year.
final class EmulationBlock: Model, @unchecked Sendable {
    static let schema = "emulation_blocks"

    @ID(key: .id) var id: UUID?
    @Field(key: "year") var year: Int
    @Field(key: "code") var code: String
    @Field(key: "name") var name: String
    @Field(key: "sort_key") var sortKey: String

    init() {}

    init(year: Int, code: String, name: String) {
        self.year = year
        self.code = code
        self.name = name
        self.sortKey = VietnameseText.sortKey(name)
    }
}

extension EmulationBlock: Auditable {
    static let auditType = "emulation_block"
    struct Snapshot: Encodable { let year: Int, code: String, name: String }
    var auditSnapshot: any Encodable { Snapshot(year: year, code: code, name: name) }
}

final class BlockMember: Model, @unchecked Sendable {
    static let schema = "block_members"

    @ID(key: .id) var id: UUID?
    @Parent(key: "block_id") var block: EmulationBlock
    @Parent(key: "unit_id") var unit: Unit

    init() {}

    init(blockID: UUID, unitID: UUID) {
        self.$block.id = blockID
        self.$unit.id = unitID
    }
}

extension BlockMember: Auditable {
    static let auditType = "block_member"
    struct Snapshot: Encodable { let blockID: UUID, unitID: UUID }
    var auditSnapshot: any Encodable { Snapshot(blockID: $block.id, unitID: $unit.id) }
}
