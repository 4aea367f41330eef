import Fluent
import Foundation
import ThiDuaCore

/// PAR plans for the demo province: the 2026–2030 period plan, the province's 2026 annual plan (issued, with
/// tasks in every content area, some reported, some done, some overdue by the date the demo is loaded) and a
/// draft 2026 plan of the Department of Home Affairs.
enum DemoPlanLoader {
    /// (area, title, target, unit, output kind, output, lead, due month, progress reported)
    static let provinceTasks: [(Int, String, Int, String, OutputKind, String, String, Int, Int?)] = [
        (0, "Ban hành kế hoạch CCHC năm 2026 của các sở, ngành, xã", 100, "% đơn vị ban hành đúng hạn", .plan, "Kế hoạch CCHC của các đơn vị", "SNV", 1, 100),
        (0, "Kiểm tra công tác CCHC tại các cơ quan, đơn vị", 30, "% đơn vị được kiểm tra", .report, "Báo cáo kết quả kiểm tra", "SNV", 10, 60),
        (0, "Tuyên truyền CCHC trên Cổng thông tin điện tử tỉnh", 24, "tin, bài", .report, "Chuyên mục CCHC", "SVHTTDL", 12, 50),
        (1, "Rà soát, hệ thống hóa văn bản quy phạm pháp luật của tỉnh", 100, "% văn bản được rà soát", .report, "Báo cáo rà soát", "STP", 6, 100),
        (1, "Theo dõi thi hành pháp luật trong lĩnh vực trọng tâm", 2, "lĩnh vực", .report, "Báo cáo theo dõi thi hành pháp luật", "STP", 11, 40),
        (2, "Cắt giảm thời gian giải quyết thủ tục hành chính", 25, "% thời gian giải quyết", .decision, "Quyết định công bố TTHC cắt giảm", "SNV", 9, 80),
        (2, "Tiếp nhận, giải quyết hồ sơ trực tuyến toàn trình", 80, "% hồ sơ trực tuyến", .system, "Hệ thống một cửa điện tử", "SKHCN", 12, 70),
        (2, "Số hóa hồ sơ, kết quả giải quyết TTHC", 100, "% hồ sơ được số hóa", .system, "Kho dữ liệu điện tử", "SKHCN", 8, 65),
        (3, "Rà soát chức năng, nhiệm vụ các phòng chuyên môn sau sắp xếp", 100, "% cơ quan rà soát xong", .decision, "Quyết định quy định chức năng, nhiệm vụ", "SNV", 5, 100),
        (4, "Cập nhật vị trí việc làm của các cơ quan hành chính", 100, "% cơ quan phê duyệt", .decision, "Quyết định phê duyệt vị trí việc làm", "SNV", 7, 90),
        (4, "Bồi dưỡng kỹ năng số cho cán bộ, công chức cấp xã", 1200, "lượt người", .event, "Lớp bồi dưỡng", "SNV", 10, 55),
        (5, "Giao quyền tự chủ tài chính cho đơn vị sự nghiệp công lập", 30, "đơn vị", .decision, "Quyết định giao tự chủ", "STC", 9, 40),
        (5, "Công khai dự toán, quyết toán ngân sách", 100, "% cơ quan công khai đúng hạn", .report, "Báo cáo công khai ngân sách", "STC", 4, 100),
        (6, "Kết nối, chia sẻ dữ liệu với Cơ sở dữ liệu quốc gia về dân cư", 5, "cơ sở dữ liệu chuyên ngành", .system, "Kết nối dữ liệu", "SKHCN", 11, 30),
        (6, "Vận hành Trung tâm giám sát, điều hành thông minh (IOC)", 1, "trung tâm", .system, "IOC hoạt động", "SKHCN", 12, 20),
    ]

    static func load(on db: any Database, today: CivilDate) async throws {
        let actor = Actor.system("demo")
        var byCode: [String: UUID] = [:]
        for u in try await Unit.query(on: db).all() { byCode[u.code] = u.id }
        let units = byCode
        guard let root = try await UnitTree.rootID(on: db), let snv = units["SNV"] else { return }
        let rules = FollowUpRules()
        try await db.writing(as: actor, reason: "demo data") { tx, audit in
            let period = Plan(kind: .period, unitID: root, yearFrom: 2026, yearTo: 2030, title: "Kế hoạch cải cách hành chính giai đoạn 2026–2030")
            period.statusRaw = PlanStatus.issued.rawValue
            period.docNumber = "210/KH-UBND"
            period.docDate = "2025-12-20"
            period.docIssuer = "UBND tỉnh Minh Sơn"
            period.basis = "Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ ban hành Chương trình tổng thể CCHC nhà nước giai đoạn 2021–2030"
            try await period.create(on: tx)
            audit.created(period)
            let annual = Plan(kind: .annual, unitID: root, yearFrom: 2026, yearTo: 2026, title: "Kế hoạch cải cách hành chính năm 2026")
            annual.statusRaw = PlanStatus.issued.rawValue
            annual.docNumber = "15/KH-UBND"
            annual.docDate = "2026-01-10"
            annual.docIssuer = "UBND tỉnh Minh Sơn"
            annual.basis = "Kế hoạch số 210/KH-UBND ngày 20/12/2025 của UBND tỉnh (giai đoạn 2026–2030)"
            annual.$parentPlan.id = try period.requireID()
            try await annual.create(on: tx)
            audit.created(annual)
            let annualID = try annual.requireID()
            for (i, t) in provinceTasks.enumerated() {
                guard let lead = units[t.6] else { continue }
                let task = PlanTask()
                task.version = 1
                task.$plan.id = annualID
                task.code = String(i + 1)
                task.sortKey = PlanTask.sortKey(task.code)
                task.area = t.0
                task.title = t.1
                task.targetE4 = Points(t.2).e4
                task.targetUnit = t.3
                task.outputKind = t.4.rawValue
                task.output = t.5
                task.startOn = "2026-01-15"
                let due = CivilDate(year: 2026, month: t.7, day: CivilDate.daysIn(month: t.7, year: 2026))!
                task.dueOn = due.iso
                task.effectiveDueOn = rules.effectiveDue(due).iso
                task.$leadUnit.id = lead
                task.coordinating = lead == snv ? (units["STC"]?.uuidString ?? "") : snv.uuidString
                task.officer = ["Nguyễn Thị Hà", "Trần Văn Minh", "Lê Thu Trang", "Phạm Quốc Huy"][i % 4]
                // Reports dated before the demo's today only: the history stays plausible whenever it is loaded.
                if let p = t.8 {
                    let reportOn = min(today, due.adding(days: p == 100 ? (i % 3 == 0 ? 3 : -5) : -20))
                    task.progressE4 = Points(p).e4
                    task.lastReportOn = reportOn.iso
                    if p == 100 { task.completedOn = reportOn.iso }
                }
                try await task.create(on: tx)
                audit.created(task)
                if let p = t.8, let on = task.lastReportOn {
                    let r = TaskReport()
                    r.$task.id = try task.requireID()
                    r.reportedOn = on
                    r.percentE4 = Points(p).e4
                    r.note = p == 100 ? "Đã hoàn thành, có văn bản kèm theo." : "Đang triển khai theo kế hoạch."
                    r.reportedBy = "demo"
                    r.atMillis = 0
                    try await r.create(on: tx)
                    audit.created(r)
                }
            }
            let unitPlan = Plan(kind: .annual, unitID: snv, yearFrom: 2026, yearTo: 2026, title: "Kế hoạch CCHC năm 2026 của Sở Nội vụ")
            unitPlan.basis = "Kế hoạch số 15/KH-UBND ngày 10/01/2026 của UBND tỉnh"
            unitPlan.$parentPlan.id = try period.requireID()
            try await unitPlan.create(on: tx)
            audit.created(unitPlan)
        }
    }
}
