import Fluent
import Vapor
import ThiDuaCore

/// Loads the fictional demo province (clearly marked as such) and one account per role.
struct DemoCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Flag(name: "no-passwords", help: "Không tạo tài khoản mẫu / create no demo accounts")
        var noPasswords: Bool
    }

    var help: String { "Nạp dữ liệu tỉnh mô phỏng / load the demo province" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let db = app.db
        if try await Unit.query(on: db).count() > 0 {
            context.console.warning("Cơ sở dữ liệu đã có đơn vị; bỏ qua nạp dữ liệu mẫu. / Units exist; demo not loaded.")
            return
        }
        let data = DemoProvince.generate()
        try await DemoLoader.load(data, on: db)
        context.console.info("Đã nạp \(data.units.count) đơn vị, \(data.blocks.count) khối/cụm, \(data.people.count) người: \(data.provinceName)")
        try await DemoIndexLoader.load(on: db)
        context.console.info("Đã nạp Chỉ số CCHC: năm 2025 đã công bố, năm 2026 đang tự đánh giá")
        try await DemoPlanLoader.load(on: db, today: app.today)
        context.console.info("Đã nạp kế hoạch CCHC giai đoạn 2026–2030 và năm 2026 với \(DemoPlanLoader.provinceTasks.count) nhiệm vụ")
        try await DemoSurveyLoader.load(on: db, today: app.today)
        context.console.info("Đã nạp khảo sát sự hài lòng: đợt năm 2025 (đã đóng) và đợt năm \(app.today.year) (đang mở)")
        let dossiers = try await DemoDossierLoader.load(on: db, today: app.today)
        context.console.info("Đã nạp danh mục \(DemoProcedures.catalogue.count) thủ tục và \(dossiers) hồ sơ mô phỏng năm \(app.today.year - 1)–\(app.today.year)")
        let initiatives = try await DemoInitiativeLoader.load(on: db, today: app.today)
        context.console.info("Đã nạp \(initiatives) sáng kiến: đợt năm \(app.today.year - 1) đã quyết định (có đơn vị nhân rộng), đợt năm \(app.today.year) đang nhận hồ sơ")
        let awards = try await DemoAwardLoader.load(on: db, today: app.today)
        context.console.info("Đã nạp \(awards) khen thưởng những năm trước vào sổ theo dõi khen thưởng")
        try await DemoMovementLoader.load(on: db, today: app.today)
        context.console.info("Đã nạp phong trào thi đua năm \(app.today.year): đăng ký, giao ước, điểm thi đua, một hồ sơ đề nghị khen thưởng đã gửi")
        guard !signature.noPasswords else { return }
        let accounts: [(String, String, Role, String)] = [
            ("admin", "Quản trị hệ thống", .systemAdmin, "UBND"),
            ("cchc", "Phòng CCHC - Sở Nội vụ", .reformOffice, "UBND"),
            ("truong.snv", "Lãnh đạo Sở Nội vụ", .unitHead, "SNV"),
            ("canbo.snv", "Cán bộ Sở Nội vụ", .unitOfficer, "SNV"),
            ("thamdinh", "Tổ thẩm định", .appraiser, "UBND"),
            ("hoidong", "Thành viên Hội đồng TĐKT", .councilMember, "UBND"),
            ("lanhdao", "Lãnh đạo UBND tỉnh", .leader, "UBND"),
        ]
        context.console.info("Tài khoản mẫu (mật khẩu chỉ hiện một lần) / demo accounts (passwords shown once):")
        for (username, name, role, unitCode) in accounts {
            guard let unit = try await Unit.query(on: db).filter(\.$code == unitCode).first(), let unitID = unit.id else { continue }
            let password = UserAccounts.generatePassword()
            let hash = try await app.password.async.hash(password)
            _ = try await UserAccounts.create(
                on: db, actor: .system("demo"), username: username, displayName: name, passwordHash: hash,
                grants: [(role, unitID)], mustChangePassword: false)
            context.console.output("  \(username.padding(toLength: 12, withPad: " ", startingAt: 0)) \(password)   (\(role.rawValue) @ \(unitCode))")
        }
    }
}

enum DemoLoader {
    static func load(_ data: DemoProvinceData, on db: any Database) async throws {
        try await db.writing(as: .system("demo"), reason: "demo data") { tx, audit in
            var ids: [String: UUID] = [:]
            // Parents first: the generator lists the root, then departments, then their children.
            var pending = data.units
            while !pending.isEmpty {
                let before = pending.count
                var rest: [DemoUnit] = []
                for u in pending {
                    if let p = u.parentCode, ids[p] == nil { rest.append(u); continue }
                    let unit = Unit(
                        code: u.code, name: u.name, shortName: u.shortName, kind: UnitKind(rawValue: u.kind) ?? .office,
                        parentID: u.parentCode.flatMap { ids[$0] }, validFrom: CivilDate(parsing: u.validFrom),
                        validTo: u.validTo.flatMap(CivilDate.init(parsing:)))
                    try await unit.create(on: tx)
                    audit.created(unit)
                    ids[u.code] = try unit.requireID()
                }
                pending = rest
                if pending.count == before { throw AppError.internalInconsistency("demo units with unknown parents") }
            }
            for u in data.units {
                for pred in u.predecessorCodes {
                    guard let a = ids[u.code], let b = ids[pred] else { continue }
                    let link = UnitSuccession(unitID: a, predecessorID: b, kind: .merger, effectiveOn: CivilDate(parsing: u.validFrom), reference: "Nghị quyết sắp xếp ĐVHC cấp xã (mô phỏng)")
                    try await link.create(on: tx)
                    audit.created(link)
                }
            }
            for b in data.blocks {
                let block = EmulationBlock(year: b.year, code: b.code, name: b.name)
                try await block.create(on: tx)
                audit.created(block)
                for code in b.memberCodes {
                    guard let uid = ids[code] else { continue }
                    let m = BlockMember(blockID: try block.requireID(), unitID: uid)
                    try await m.create(on: tx)
                    audit.created(m)
                }
            }
            for p in data.people {
                guard let unitID = ids[p.unitCode] else { continue }
                let person = Person(code: p.code, fullName: p.fullName, sex: Sex(rawValue: p.sex) ?? .male, birthYear: p.birthYear, position: p.position, unitID: unitID)
                try await person.create(on: tx)
                audit.created(person)
                let pid = try person.requireID()
                for (year, raw) in p.ratings.sorted(by: { $0.key < $1.key }) {
                    guard let rating = PerformanceRating(rawValue: raw) else { continue }
                    let r = PerformanceRatingRecord(personID: pid, year: year, rating: rating)
                    try await r.create(on: tx)
                    audit.created(r)
                }
                let periods: [(PersonPeriod.Category, String, String, String?, String?)] =
                    p.discipline.map { (.discipline, $0.kind, $0.start, $0.end, $0.reference) }
                    + p.pendingCases.map { (.pendingCase, $0.kind, $0.opened, $0.closed, $0.reference) }
                    + p.leaves.map { (.leave, $0.kind, $0.start, $0.end, $0.reference) }
                for (cat, kind, start, end, ref) in periods {
                    guard let s = CivilDate(parsing: start) else { continue }
                    let period = PersonPeriod(personID: pid, category: cat, kind: kind, period: DatePeriod(start: s, end: end.flatMap(CivilDate.init(parsing:))), reference: ref, note: nil)
                    try await period.create(on: tx)
                    audit.created(period)
                }
            }
        }
    }
}
