import Fluent
import Foundation
import ThiDuaCore

/// The demo province's initiatives: the 2025 review period, decided (three initiatives recognised, one not, adopted by
/// other units), and the 2026 period taking submissions (blind review), so the library and every page have content.
enum DemoInitiativeLoader {
    struct Sample {
        let unit: String
        let title: String
        let type: InitiativeType
        let area: ContentArea
        let problem: String
        let solution: String
        let benefits: Benefits
        let level: RecognitionLevel?
        let adopters: [String]
    }

    static let decided: [Sample] = [
        Sample(unit: "SNV", title: "Nhắn tin tự động nhắc hạn hồ sơ tại Bộ phận một cửa", type: .appliedTechnology, area: .procedures,
               problem: "Hồ sơ trễ hạn vì cán bộ không theo dõi kịp thời hạn trả kết quả.", solution: "Hệ thống tự gửi tin nhắn cho cán bộ xử lý và lãnh đạo phòng trước hạn 2 ngày làm việc.",
               benefits: Benefits(hoursSaved: 1_200, costSaved: 45_000_000, dossiers: 3_200), level: .province, adopters: ["PMS", "PDH", "XTP"]),
        Sample(unit: "SKHCN", title: "Số hóa kết quả giải quyết thủ tục ngay khi trả", type: .technical, area: .digitalGovernment,
               problem: "Kết quả giải quyết lưu bản giấy, người dân phải nộp lại khi làm thủ tục khác.", solution: "Ký số và lưu kết quả vào kho dữ liệu điện tử của tổ chức, cá nhân ngay tại quầy trả.",
               benefits: Benefits(hoursSaved: 800, costSaved: 120_000_000, dossiers: 9_500), level: .province, adopters: ["SNV", "PBT"]),
        Sample(unit: "PMS", title: "Tổ tư vấn dịch vụ công trực tuyến tại khu dân cư", type: .operational, area: .procedures,
               problem: "Người cao tuổi chưa biết nộp hồ sơ trực tuyến.", solution: "Đoàn viên thanh niên hướng dẫn tại nhà văn hóa khu dân cư vào chiều thứ Bảy.",
               benefits: Benefits(hoursSaved: 300, costSaved: 0, dossiers: 1_100), level: .unit, adopters: []),
        Sample(unit: "XTP", title: "Sổ theo dõi hồ sơ bằng bảng tính dùng chung", type: .management, area: .procedures,
               problem: "Không nắm được tình trạng hồ sơ giữa các bộ phận.", solution: "Bảng tính dùng chung cập nhật hằng ngày.",
               benefits: Benefits(hoursSaved: 50, costSaved: 0, dossiers: 400), level: nil, adopters: []),
    ]

    static let open: [(unit: String, title: String, type: InitiativeType, area: ContentArea, submitted: Bool)] = [
        ("SNV", "Chấm điểm Chỉ số CCHC trực tuyến có tài liệu kiểm chứng số", .appliedTechnology, .direction, true),
        ("PDH", "Lịch hẹn trả kết quả theo khung giờ cho người dân", .operational, .procedures, true),
        ("SKHCN", "Bản đồ số các điểm hỗ trợ dịch vụ công", .technical, .digitalGovernment, false),
    ]

    static func load(on db: any Database, today: CivilDate) async throws -> Int {
        let actor = Actor.system("demo")
        let units = Dictionary(try await Unit.query(on: db).all().map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        @Sendable func author(_ unit: Unit, _ db: any Database) async throws -> [AuthorShare] {
            let people = try await Person.query(on: db).filter(\.$unit.$id == (try unit.requireID())).sort(\.$code).limit(2).all()
            if people.count == 2 {
                return [AuthorShare(personID: people[0].id, name: people[0].fullName, share: Points(70)),
                        AuthorShare(personID: people[1].id, name: people[1].fullName, share: Points(30))]
            }
            return [AuthorShare(personID: people.first?.id, name: people.first?.fullName ?? "Tổ công tác " + unit.name, share: Points(100))]
        }
        return try await db.writing(as: actor) { tx, audit in
            var count = 0
            let past = InitiativePeriod(name: "Đợt xét công nhận sáng kiến năm \(today.year - 1)", year: today.year - 1, blind: false, rubric: .standard)
            past.phaseRaw = ReviewPhase.closed.rawValue
            try await past.create(on: tx)
            audit.created(past)
            let current = InitiativePeriod(name: "Đợt xét công nhận sáng kiến năm \(today.year)", year: today.year, blind: true, rubric: .standard)
            try await current.create(on: tx)
            audit.created(current)
            func make(_ period: InitiativePeriod, unit: Unit, title: String, type: InitiativeType, area: ContentArea, problem: String, solution: String,
                      benefits: Benefits, status: InitiativeStatus, since: CivilDate) async throws -> Initiative {
                let i = Initiative()
                i.$period.id = try period.requireID()
                i.$unit.id = try unit.requireID()
                i.title = title
                i.typeRaw = type.rawValue
                i.areaRaw = area.rawValue
                i.problem = problem
                i.solution = solution
                i.novelty = "Lần đầu áp dụng trong tỉnh."
                i.appliedWhere = unit.name
                i.appliedSince = since.iso
                i.hoursSaved = benefits.hoursSaved
                i.costSaved = benefits.costSaved
                i.dossiers = benefits.dossiers
                i.replicability = "Áp dụng được ở các đơn vị có Bộ phận một cửa."
                i.statusRaw = status.rawValue
                i.createdMs = InitiativeController.now()
                i.updatedMs = i.createdMs
                i.version = 1
                try await i.create(on: tx)
                try await InitiativeController.saveAuthors(try await author(unit, tx), for: try i.requireID(), on: tx)
                audit.created(i)
                count += 1
                return i
            }
            let y = today.year - 1
            for (k, s) in decided.enumerated() {
                guard let unit = units[s.unit] else { continue }
                let i = try await make(past, unit: unit, title: s.title, type: s.type, area: s.area, problem: s.problem, solution: s.solution, benefits: s.benefits,
                                       status: s.level == nil ? .notRecognised : .recognised, since: CivilDate(year: y - 1, month: 9, day: 1)!)
                i.levelRaw = s.level?.rawValue
                i.decisionNumber = "\(120 + k)/QĐ-HĐSK"
                i.decisionDate = CivilDate(year: y, month: 12, day: 15)!.iso
                i.decisionSigner = "Chủ tịch Hội đồng sáng kiến tỉnh"
                i.decisionNote = s.level == nil ? "Giải pháp chưa có tính mới so với cách làm đã phổ biến." : nil
                try await i.update(on: tx)
                for (j, code) in s.adopters.enumerated() {
                    guard let adopter = units[code] else { continue }
                    let a = InitiativeAdoption()
                    a.$initiative.id = try i.requireID()
                    a.$unit.id = try adopter.requireID()
                    a.adoptedOn = CivilDate(year: today.year, month: 2 + j, day: 10)!.iso
                    a.effect = "Giảm số hồ sơ trễ hạn, rút ngắn thời gian trả kết quả."
                    a.hoursSaved = s.benefits.hoursSaved / Int64(4 + j)
                    a.costSaved = s.benefits.costSaved / Int64(5 + j)
                    a.dossiers = s.benefits.dossiers / Int64(3 + j)
                    a.createdMs = InitiativeController.now()
                    try await a.create(on: tx)
                    audit.created(a)
                }
            }
            for o in open {
                guard let unit = units[o.unit] else { continue }
                _ = try await make(current, unit: unit, title: o.title, type: o.type, area: o.area, problem: "Cách làm hiện nay tốn thời gian của người dân và cán bộ.",
                                   solution: "Giải pháp được mô tả trong hồ sơ kèm theo.", benefits: Benefits(hoursSaved: 200, costSaved: 10_000_000, dossiers: 800),
                                   status: o.submitted ? .submitted : .draft, since: CivilDate(year: today.year, month: 3, day: 1)!)
            }
            return count
        }
    }
}
