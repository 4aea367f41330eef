import Fluent
import Foundation
import Testing
import ThiDuaCore
import Vapor
import VaporTesting

@testable import App

@Suite struct PlanWorkflowTests {
    static func completeTaskForm(_ code: String, area: Int, lead: String = "SNV", due: String = "30/06/2026") -> [String: String] {
        ["code": code, "area": String(area), "title": "Nhiệm vụ \(code)", "target_value": "100", "target_unit": "% hồ sơ trực tuyến",
         "output_kind": "report", "output": "Báo cáo kết quả", "start_on": "01/01/2026", "due_on": due, "lead_unit": lead,
         "officer": "Trần Văn Bình"]
    }

    @Test func aPlanFromDraftToOverdueEscalationAndReport() async throws {
        try await withApp(configure: { $0.fixedToday = CivilDate(year: 2026, month: 3, day: 2) }) { app in
            let f = try await Fixture.make(on: app.db)
            let cchc = try await Browser.signIn(try await app.makeUser("cchc", grants: [(.reformOffice, f.root)]), on: app.db)
            let officer = try await Browser.signIn(try await app.makeUser("canbo.snv", grants: [(.unitOfficer, f.snv)]), on: app.db)
            let head = try await Browser.signIn(try await app.makeUser("truong.snv", grants: [(.unitHead, f.snv)]), on: app.db)
            let stcOfficer = try await Browser.signIn(try await app.makeUser("canbo.stc", grants: [(.unitOfficer, f.stc)]), on: app.db)

            // The reform office writes the province's annual plan; bad forms keep nothing.
            let bad = try await app.post("/plans", as: cchc, form: ["kind": "annual", "unit": "UBND", "year_from": "2026", "year_to": "2027", "title": "KH"])
            #expect(bad.status == .badRequest)
            #expect(bad.text.contains("Kế hoạch năm chỉ gồm một năm"))
            #expect(try await Plan.query(on: app.db).count() == 0)
            let created = try await app.post("/plans", as: cchc, form: [
                "kind": "annual", "unit": "uy ban nhan dan tinh thu nghiem", "year_from": "2026", "year_to": "2026", "title": "Kế hoạch CCHC năm 2026",
                "doc_number": "125/KH-UBND", "doc_date": "15/12/2025", "doc_issuer": "UBND tỉnh", "basis": "Nghị quyết 76/NQ-CP ngày 15/7/2021",
            ])
            #expect(created.status == .seeOther)
            // Every page says that the server runs on a fixed date.
            #expect(try await app.get("/plans", as: cchc).text.contains("ngày giả lập 02/03/2026"))
            let plan = try #require(try await Plan.query(on: app.db).first())
            let pid = try plan.requireID()

            // Tasks: the due date before the start, a target without its unit, an unknown unit are refused in Vietnamese.
            var wrong = Self.completeTaskForm("1", area: 0)
            wrong["due_on"] = "01/12/2025"
            wrong["start_on"] = "01/02/2026"
            let order = try await app.post("/plans/\(pid)/tasks", as: cchc, form: wrong)
            #expect(order.status == .badRequest)
            #expect(order.text.contains("Ngày kết thúc không được trước ngày bắt đầu") || order.text.contains("trước ngày bắt đầu"))
            wrong = Self.completeTaskForm("1", area: 0)
            wrong["target_unit"] = ""
            #expect(try await app.post("/plans/\(pid)/tasks", as: cchc, form: wrong).status == .badRequest)
            wrong = Self.completeTaskForm("1", area: 0, lead: "Sở Không Có")
            let unknown = try await app.post("/plans/\(pid)/tasks", as: cchc, form: wrong)
            #expect(unknown.text.contains("Sở Không Có"))
            #expect(try await PlanTask.query(on: app.db).count() == 0)

            // A plan that leaves areas empty cannot be issued.
            #expect(try await app.post("/plans/\(pid)/tasks", as: cchc, form: Self.completeTaskForm("1", area: 0)).status == .seeOther)
            let refused = try await app.post("/plans/\(pid)/status", as: cchc, form: ["target": "issued"])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.text.contains("chưa có nhiệm vụ"))
            for area in 1...6 {
                var form = Self.completeTaskForm(String(area + 1), area: area, lead: area == 5 ? "STC" : "SNV")
                if area == 2 { form["officer"] = "" }
                #expect(try await app.post("/plans/\(pid)/tasks", as: cchc, form: form).status == .seeOther)
            }
            let noOwner = try await app.post("/plans/\(pid)/status", as: cchc, form: ["target": "issued"])
            #expect(noOwner.text.contains("chưa có cán bộ phụ trách"))
            let t3 = try #require(try await PlanTask.query(on: app.db).filter(\.$code == "3").first())
            var edit = Self.completeTaskForm("3", area: 2)
            edit["version"] = String(t3.version)
            #expect(try await app.post("/tasks/\(t3.requireID())", as: cchc, form: edit).status == .seeOther)
            // Two sub-tasks with weights under task 1.
            var sub1 = Self.completeTaskForm("1.1", area: 0)
            sub1["parent_code"] = "1"
            sub1["weight"] = "3"
            var sub2 = Self.completeTaskForm("1.2", area: 0)
            sub2["parent_code"] = "1"
            sub2["weight"] = "1"
            #expect(try await app.post("/plans/\(pid)/tasks", as: cchc, form: sub1).status == .seeOther)
            #expect(try await app.post("/plans/\(pid)/tasks", as: cchc, form: sub2).status == .seeOther)
            #expect(try await app.post("/plans/\(pid)/status", as: cchc, form: ["target": "issued"]).status == .seeOther)
            #expect(try await Plan.find(pid, on: app.db)?.status == .issued)

            // Progress: the lead unit reports with a file; another unit is refused; bad values keep nothing.
            let s11 = try #require(try await PlanTask.query(on: app.db).filter(\.$code == "1.1").first())
            let s12 = try #require(try await PlanTask.query(on: app.db).filter(\.$code == "1.2").first())
            let parent = try #require(try await PlanTask.query(on: app.db).filter(\.$code == "1").first())
            let pdf = Data("%PDF-1.4\n% bao cao\n".utf8)
            let up = try await app.upload("/tasks/\(s11.requireID())/reports", as: officer, fields: ["percent": "60", "note": "Đã dự thảo"], fileName: "du-thao.pdf", data: pdf)
            #expect(up.status == .seeOther)
            #expect(try await TaskEvidence.query(on: app.db).count() == 1)
            let other = try await app.upload("/tasks/\(s11.requireID())/reports", as: stcOfficer, fields: ["percent": "70"], fileName: "", data: Data())
            #expect(other.status == .forbidden)
            #expect(other.text.contains("không chủ trì nhiệm vụ này"))
            for (value, message) in [("120", "không được vượt 100"), ("-5", "không được âm"), ("abc", "abc")] {
                let r = try await app.upload("/tasks/\(s11.requireID())/reports", as: officer, fields: ["percent": value], fileName: "", data: Data())
                #expect(r.status == .badRequest)
                #expect(r.text.contains(message))
            }
            let onParent = try await app.upload("/tasks/\(parent.requireID())/reports", as: officer, fields: ["percent": "10"], fileName: "", data: Data())
            #expect(onParent.text.contains("tiến độ được tính từ các nhiệm vụ con"))
            #expect(try await TaskReport.query(on: app.db).count() == 1)
            // The value achieved against a target of 100 % is converted; the parent rolls up, weighted 3:1.
            #expect(try await app.upload("/tasks/\(s12.requireID())/reports", as: officer, fields: ["achieved": "20"], fileName: "", data: Data()).status == .seeOther)
            let rolled = try #require(try await PlanTask.find(parent.requireID(), on: app.db))
            #expect(rolled.progress == Points(50))  // (60 × 3 + 20 × 1) ÷ 4
            let planPage = try await app.get("/plans/\(pid)", as: officer).text
            #expect(planPage.contains("bình quân gia quyền"))

            // The clock moves past the deadline: the officer sees it first, the head after 7 days, the office after 15.
            app.config.fixedToday = CivilDate(year: 2026, month: 7, day: 3)
            #expect(try await app.get("/followup", as: officer).text.contains("Nhiệm vụ 1.1"))
            #expect(!(try await app.get("/followup", as: head).text.contains("Nhiệm vụ 1.1")))
            app.config.fixedToday = CivilDate(year: 2026, month: 7, day: 8)
            #expect(try await app.get("/followup", as: head).text.contains("Nhiệm vụ 1.1"))
            #expect(!(try await app.get("/followup", as: cchc).text.contains("Nhiệm vụ 1.1")))
            app.config.fixedToday = CivilDate(year: 2026, month: 7, day: 16)
            let office = try await app.get("/followup", as: cchc).text
            #expect(office.contains("Nhiệm vụ 1.1"))
            #expect(office.contains("báo Sở Nội vụ"))
            #expect(try await app.get("/", as: officer).text.contains("Nhiệm vụ 1.1"))
            let overdue = try await app.get("/followup/overdue", as: cchc).text
            #expect(overdue.contains("Nhiệm vụ 1.2"))

            // Completing late, and the year's report exports to a spreadsheet.
            #expect(try await app.upload("/tasks/\(s11.requireID())/reports", as: officer, fields: ["percent": "100", "reported_on": "10/07/2026"], fileName: "", data: Data()).status == .seeOther)
            let done = try #require(try await PlanTask.find(s11.requireID(), on: app.db))
            #expect(done.completedOn == "2026-07-10")
            let xlsx = try await app.get("/followup/report/xlsx?year=2026&period=year", as: cchc)
            #expect(xlsx.status == .ok)
            let rows = try XLSXReader.read(Data(xlsx.body.readableBytesView))
            #expect(rows.contains { $0.contains("Tỷ lệ hoàn thành đúng hạn") })
            let csv = try await app.get("/followup/report/csv?unit=\(f.snv)&year=2026&period=q3", as: head)
            #expect(csv.status == .ok)
            #expect(try await app.get("/followup/report/csv?unit=\(f.stc)&year=2026&period=year", as: head).status == .forbidden)
            #expect(try await app.get("/followup/report?period=q9", as: head).status == .badRequest)

            // The on-time rate reaches the PAR Index as a system metric.
            let metrics = try await TaskOnTimeMetricSource(today: { CivilDate(year: 2026, month: 7, day: 16)! })
                .values(for: [f.snv, f.stc], year: 2026, on: app.db)
            // SNV: tasks 1, 2, 3, 4, 5, 7, 1.1, 1.2 are due by 30/06; none was done on time.
            #expect(metrics[f.snv]?[.taskOnTimeRate] == .zero)

            // Closing the plan stops reports.
            #expect(try await app.post("/plans/\(pid)/status", as: cchc, form: ["target": "closed"]).status == .seeOther)
            let closed = try await app.upload("/tasks/\(s12.requireID())/reports", as: officer, fields: ["percent": "100"], fileName: "", data: Data())
            #expect(closed.status == .badRequest)
            #expect(closed.text.contains("Kế hoạch đã kết thúc"))
            #expect(try await app.post("/plans/\(pid)/status", as: cchc, form: ["target": "issued"]).status == .badRequest)  // reopening needs a reason
            // A closed plan's tasks leave the follow-up lists (each task carries its plan's status); reopening brings them back.
            #expect(try await PlanTask.query(on: app.db).filter(\.$plan.$id == pid).filter(\.$planStatus != "closed").count() == 0)
            #expect(!(try await app.get("/followup/overdue", as: cchc).text.contains("Nhiệm vụ 1.2")))
            #expect(try await app.post("/plans/\(pid)/status", as: cchc, form: ["target": "issued", "reason": "Bổ sung báo cáo"]).status == .seeOther)
            #expect(try await app.get("/followup/overdue", as: cchc).text.contains("Nhiệm vụ 1.2"))
            #expect(try await AuditRecord.query(on: app.db).filter(\.$entityType == "task_report").count() == 3)
            #expect(try await AuditVerification.verify(on: app.db).failure == nil)
        }
    }

    @Test func followUpRulesAreDataTheReformOfficeEdits() async throws {
        try await withApp(configure: { $0.fixedToday = CivilDate(year: 2026, month: 3, day: 2) }) { app in
            let f = try await Fixture.make(on: app.db)
            let fx = try await PlanFixture.make(on: app.db, fixture: f)
            let cchc = try await Browser.signIn(try await app.makeUser("cchc", grants: [(.reformOffice, f.root)]), on: app.db)
            let head = try await Browser.signIn(try await app.makeUser("truong.snv", grants: [(.unitHead, f.snv)]), on: app.db)
            #expect(try await app.post("/followup/rules", as: head, form: ["due_soon_days": "3"]).status == .forbidden)
            let bad = try await app.post("/followup/rules", as: cchc, form: ["due_soon_days": "7", "head_after_days": "20", "office_after_days": "10", "holidays": "31/02/2026"])
            #expect(bad.status == .badRequest)
            #expect(bad.text.contains("không nhỏ hơn"))
            // 30/01/2026 is a Friday; declared a holiday, the deadline moves to Monday 02/02.
            let ok = try await app.post("/followup/rules", as: cchc, form: ["due_soon_days": "7", "head_after_days": "5", "office_after_days": "10", "weekend": "1", "holidays": "30/01/2026\r\n01/05/2026"])
            #expect(ok.status == .seeOther)
            #expect(try await PlanTask.find(fx.task, on: app.db)?.effectiveDueOn == "2026-02-02")
            #expect(try await AuditRecord.query(on: app.db).filter(\.$entityType == "province_setting").count() == 1)
        }
    }

    @Test func tasksImportWithPreviewAndRowErrors() async throws {
        try await withApp { app in
            let f = try await Fixture.make(on: app.db)
            let cchc = try await Browser.signIn(try await app.makeUser("cchc", grants: [(.reformOffice, f.root)]), on: app.db)
            let plan = Plan(kind: .annual, unitID: f.root, yearFrom: 2026, yearTo: 2026, title: "KH 2026")
            try await plan.create(on: app.db)
            let pid = try plan.requireID()
            let header = "STT,Lĩnh vực,Tên nhiệm vụ,Chỉ tiêu,Đơn vị tính,Sản phẩm,Thời hạn,Đơn vị chủ trì,Đơn vị phối hợp,Người phụ trách\n"
            let badCSV = header + "1,Cải cách TTHC,Số hóa hồ sơ,100,%,Báo cáo,31/12/2026,Sở Không Tồn Tại,,A\n2,xyz,=HYPERLINK(\"x\"),abc,,,31/12/2025,SNV,,B\n"
            let preview = try await app.upload("/plans/\(pid)/import", as: cchc, fields: [:], fileName: "nv.csv", data: Data(badCSV.utf8))
            #expect(preview.status == .seeOther)
            let page = try await app.get(preview.location ?? "", as: cchc).text
            #expect(page.contains("Dòng 2"))
            #expect(page.contains("Sở Không Tồn Tại"))
            #expect(page.contains("Dòng 3"))
            #expect(!page.contains("Ghi 0"))
            let commitBad = try await app.post(preview.location ?? "", as: cchc)
            #expect(commitBad.status == .unprocessableEntity)
            #expect(try await PlanTask.query(on: app.db).count() == 0)
            let goodCSV = header + "1,Cải cách TTHC,Số hóa hồ sơ,100,% hồ sơ,Báo cáo,31/12/2026,so noi vu,Sở Tài chính; XTP,Nguyễn An\n1.1,2,Rà soát,50,thủ tục,Báo cáo rà soát,30/06/2026,STC,,Lê Bình\n"
            let p2 = try await app.upload("/plans/\(pid)/import", as: cchc, fields: [:], fileName: "nv.csv", data: Data(goodCSV.utf8))
            let committed = try await app.post(p2.location ?? "", as: cchc)
            #expect(committed.status == .seeOther)
            let tasks = try await PlanTask.query(on: app.db).sort(\.$sortKey).all()
            #expect(tasks.map(\.code) == ["1", "1.1"])
            #expect(tasks[0].coordinatingIDs.count == 2)
            #expect(tasks[0].$leadUnit.id == f.snv)
            // "1.1" has no parent column here; imported as a top-level task of area 2.
            #expect(tasks[1].contentArea == .procedures)
        }
    }
}
