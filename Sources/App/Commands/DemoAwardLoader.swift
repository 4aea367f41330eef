import Fluent
import Foundation
import ThiDuaCore

/// The demo province's award registry: base-level titles of a few officers of the Department of Home Affairs over
/// three years, and "Tập thể lao động xuất sắc" of old communes before the 2025 merger and of the new ones after it,
/// so the registry follows units through mergers and the eligibility check has titles to read.
enum DemoAwardLoader {
    static func load(on db: any Database, today: CivilDate) async throws -> Int {
        let catalogue = AwardCatalogue.starting
        @Sendable func name(_ code: String) -> String { catalogue.types.first { $0.code == code }?.name ?? code }
        let units = Dictionary(try await Unit.query(on: db).all().compactMap { u in u.id.map { (u.code, $0) } }, uniquingKeysWith: { a, _ in a })
        guard let snv = units["SNV"] else { return 0 }
        let officers = try await Person.query(on: db).filter(\.$unit.$id == snv).sort(\.$code).limit(3).all()
        return try await db.writing(as: .system("demo")) { tx, audit in
            var n = 0
            func add(_ code: String, person: UUID?, unit: UUID?, year: Int, number: String) async throws {
                let r = AwardRecord()
                r.awardCode = code
                r.awardName = name(code)
                r.subjectRaw = person == nil ? AwardSubject.collective.rawValue : AwardSubject.individual.rawValue
                r.personID = person
                r.unitID = unit
                r.year = year
                r.decisionNumber = number
                r.decisionDate = CivilDate(year: year + 1, month: 1, day: 15)!.iso
                r.merit = true
                r.source = "demo"
                r.createdMs = InitiativeController.now()
                try await r.create(on: tx)
                audit.created(r)
                n += 1
            }
            for (k, p) in officers.enumerated() {
                for year in (today.year - 3)...(today.year - 1) where !(k == 2 && year == today.year - 2) {
                    try await add("CSTDCS", person: p.id, unit: nil, year: year, number: "\(10 + year % 100)/QĐ-SNV")
                }
            }
            for (code, year) in [("XTL-C", 2023), ("XPT-C", 2024), ("XTP", 2025), ("TTDH-C", 2024), ("PDH", 2025)] {
                guard let u = units[code] else { continue }
                try await add("TTLDXS", person: nil, unit: u, year: year, number: "\(40 + year % 100)/QĐ-UBND")
            }
            return n
        }
    }
}
