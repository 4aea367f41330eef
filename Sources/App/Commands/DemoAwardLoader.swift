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

/// This year's movement in the demo: launched in January with its award plan and the starting scoring scheme;
/// registrations of the Department of Home Affairs and two of its officers and of a few communes; every block's
/// pledge; entered points for the "organising the movement" criterion; the Department's dossier sent with one nominee
/// whose eligibility is checked as the form would.
enum DemoMovementLoader {
    static func load(on db: any Database, today: CivilDate) async throws -> Int {
        let year = today.year
        let units = Dictionary(try await Unit.query(on: db).all().compactMap { u in u.id.map { (u.code, (id: $0, name: u.name)) } }, uniquingKeysWith: { a, _ in a })
        guard let snv = units["SNV"] else { return 0 }
        let officers = try await Person.query(on: db).filter(\.$unit.$id == snv.id).sort(\.$code).limit(2).all()
        let blocks = try await EmulationBlock.query(on: db).filter(\.$year == year).sort(\.$sortKey).all()
        var members: [UUID: [UUID]] = [:]
        for b in blocks { members[b.id!] = try await BlockMember.query(on: db).filter(\.$block.$id == b.id!).all().map(\.$unit.id) }
        let blockMembers = members
        let nominee: (Person, NomineeRecord)? = try await officers.first.asyncMap { ($0, try await AwardRecords.record(of: $0, on: db)) }
        let catalogue = AwardCatalogue.starting
        let launched = CivilDate(year: year, month: 1, day: 15)!
        let scheme = String(decoding: try JSONEncoder.sorted.encode(EmulationScheme.starting), as: UTF8.self)
        return try await db.writing(as: .system("demo")) { tx, audit in
            let now = InitiativeController.now()
            let m = AwardMovement()
            m.name = "Phong trào thi đua đẩy mạnh cải cách hành chính năm \(year)"
            m.kind = MovementKind.regular.rawValue
            m.year = year
            m.decisionNumber = "15/QĐ-UBND"
            m.decisionDate = launched.iso
            m.starts = launched.iso
            m.ends = CivilDate(year: year, month: 12, day: 31)!.iso
            m.objectives = "Nâng cao Chỉ số cải cách hành chính, mức độ hài lòng của người dân; 100% thủ tục đủ điều kiện được cung cấp trực tuyến toàn trình."
            m.quotas = "BKCT=6, CSTDT=2, TTLDXS=4"
            m.commentDays = 10
            m.schemeJSON = scheme
            m.createdMs = now
            try await m.create(on: tx)
            audit.created(m)
            let mid = try m.requireID()
            var n = 1
            func register(_ unit: UUID, _ award: String, person: Person?, holderUnit: (id: UUID, name: String)?, _ targets: String) async throws {
                let r = AwardRegistration()
                r.$movement.id = mid
                r.$unit.id = unit
                r.awardCode = award
                r.subjectRaw = person == nil ? AwardSubject.collective.rawValue : AwardSubject.individual.rawValue
                r.personID = person?.id
                r.holderUnitID = holderUnit?.id
                r.holderName = person?.fullName ?? holderUnit?.name ?? ""
                r.targets = targets
                r.createdMs = now
                try await r.create(on: tx)
                audit.created(r)
                n += 1
            }
            try await register(snv.id, "TTLDXS", person: nil, holderUnit: snv, "Chỉ số CCHC đạt loại Xuất sắc; 100% nhiệm vụ đúng hạn")
            for p in officers { try await register(snv.id, "CSTDCS", person: p, holderUnit: nil, "Hoàn thành xuất sắc nhiệm vụ; 1 sáng kiến cấp cơ sở") }
            for code in ["XTP", "PDH"] {
                if let u = units[code] { try await register(u.id, "TTLDXS", person: nil, holderUnit: u, "95% hồ sơ giải quyết đúng hạn; 80% hồ sơ trực tuyến") }
            }
            for b in blocks {
                let p = AwardPledge()
                p.$movement.id = mid
                p.$block.id = b.id!
                p.signedOn = CivilDate(year: year, month: 2, day: 20)!.iso
                p.content = "Các đơn vị trong khối giao ước: hoàn thành 100% nhiệm vụ cải cách hành chính đúng hạn; không có hồ sơ trễ hạn do lỗi chủ quan."
                p.signatories = (blockMembers[b.id!] ?? []).compactMap { id in units.values.first { $0.id == id }?.name }.sorted().joined(separator: "\n")
                p.createdMs = now
                try await p.create(on: tx)
                audit.created(p)
                for (k, unit) in (blockMembers[b.id!] ?? []).enumerated() {
                    let e = EmulationEntry()
                    e.$movement.id = mid
                    e.$unit.id = unit
                    e.kind = "score"
                    e.criterion = "PT"
                    e.points = Points(6 + k % 5).plain(places: 2)
                    e.note = "Chấm theo báo cáo phong trào"
                    e.createdMs = now
                    try await e.create(on: tx)
                    audit.created(e)
                }
            }
            if let (p, record) = nominee, let award = catalogue.types.first(where: { $0.code == "BKCT" }) {
                let d = AwardNomination()
                d.$movement.id = mid
                d.$unit.id = snv.id
                d.stateRaw = NominationState.submitted.rawValue
                d.letterNumber = "120/TTr-SNV"
                d.letterDate = today.iso
                d.report = "Báo cáo thành tích: chủ trì số hóa hồ sơ, rút ngắn 30% thời gian giải quyết thủ tục của Sở."
                d.councilMinutes = "Hội đồng thi đua, khen thưởng Sở Nội vụ họp, 7/7 thành viên đồng ý đề nghị."
                d.createdMs = now
                d.updatedMs = now
                try await d.create(on: tx)
                audit.created(d)
                let checked = award.rules.map { CheckedRule(rule: $0, result: Eligibility.evaluate($0, record, year: year, referenceDay: today)) }
                let results = checked.map(\.result)
                let x = AwardNominee()
                x.$nomination.id = try d.requireID()
                x.awardCode = award.code
                x.subjectRaw = award.subject.rawValue
                x.personID = p.id
                x.holderName = p.fullName
                x.achievements = "Chủ trì số hóa 100% kết quả giải quyết thủ tục hành chính của Sở."
                x.women = p.sex == .female
                x.grassroots = false
                x.eligibility = String(decoding: try JSONEncoder.sorted.encode(checked), as: UTF8.self)
                x.overall = Eligibility.overall(results).rawValue
                x.rulesVersion = catalogue.versionLabel
                x.overrideReason = results.contains { $0.status == .notMet } ? "Sáng kiến đang chờ công nhận" : nil
                x.createdMs = now
                try await x.create(on: tx)
                audit.created(x)
            }
            return n
        }
    }
}
