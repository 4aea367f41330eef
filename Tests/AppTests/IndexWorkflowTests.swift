import Fluent
import Foundation
import Testing
import ThiDuaCore
import Vapor
import VaporTesting

@testable import App

@Suite struct IndexWorkflowTests {
    struct People {
        let cchc, truong, canbo, thamdinh, thamdinh2, hoidong, truongSTC: Browser
    }

    static func setUp(_ app: Application) async throws -> (Fixture, UUID, People) {
        let f = try await Fixture.make(on: app.db)
        let block = EmulationBlock(year: 2026, code: "KSBN", name: "Khối các sở")
        try await block.create(on: app.db)
        for u in [f.snv, f.stc] { try await BlockMember(blockID: try block.requireID(), unitID: u).create(on: app.db) }
        func user(_ name: String, _ role: Role, _ unit: UUID) async throws -> Browser {
            try await Browser.signIn(try await app.makeUser(name, grants: [(role, unit)]), on: app.db)
        }
        let people = People(
            cchc: try await user("cchc", .reformOffice, f.root), truong: try await user("truong.snv", .unitHead, f.snv),
            canbo: try await user("canbo.snv", .unitOfficer, f.snv), thamdinh: try await user("thamdinh", .appraiser, f.root),
            thamdinh2: try await user("thamdinh2", .appraiser, f.root), hoidong: try await user("hoidong", .councilMember, f.root),
            truongSTC: try await user("truong.stc", .unitHead, f.stc))
        return (f, try block.requireID(), people)
    }

    static func location(_ res: TestingHTTPResponse) -> String { res.location ?? "" }

    @Test func theWholeCycleFromFrameworkToPublicPage() async throws {
        try await withApp { app in
            let (f, blockID, p) = try await Self.setUp(app)
            // The reform office imports a framework and opens a cycle.
            let up = try await app.upload("/index/frameworks", as: p.cchc, fields: [:], fileName: "fw.json", data: Data(IndexFixture.frameworkJSON.utf8))
            #expect(up.status == .seeOther)
            let fw = try #require(try await IndexFramework.query(on: app.db).filter(\.$code == "TEST-2026").first())
            let created = try await app.post("/index/cycles", as: p.cchc, form: ["year": "2026", "name": "Chỉ số CCHC năm 2026", "self_due": "31/12/2099"])
            #expect(created.status == .seeOther)
            let cycle = try #require(try await IndexCycle.query(on: app.db).first())
            let cid = try cycle.requireID()
            #expect(try await app.post("/index/cycles/\(cid)/assign", as: p.cchc, form: ["block_id": blockID.uuidString, "framework_id": fw.requireID().uuidString]).status == .seeOther)
            #expect(try await app.post("/index/cycles/\(cid)/phase", as: p.cchc, form: ["target": "self_assessment"]).status == .seeOther)
            let assessments = try await IndexAssessment.query(on: app.db).all()
            #expect(assessments.count == 2)
            let snv = try #require(assessments.first { $0.$unit.id == f.snv })
            let aid = try snv.requireID()

            // The officer scores: a bad value keeps nothing, a good set is saved, running totals are shown.
            let bad = try await app.post("/index/assessments/\(aid)/scores", as: p.canbo, form: ["v_1.1": "đạt", "v_2.1": "abc"])
            #expect(bad.status == .badRequest)
            #expect(bad.text.contains("Không đọc được giá trị"))
            #expect(try await IndexScore.query(on: app.db).count() == 0)
            let tooHigh = try await app.post("/index/assessments/\(aid)/scores", as: p.canbo, form: ["v_2.1": "6,5"])
            #expect(tooHigh.text.contains("Điểm phải từ 0 đến điểm tối đa"))
            let saved = try await app.post("/index/assessments/\(aid)/scores", as: p.canbo, form: [
                "v_1.1": "đạt", "v_1.2": "95", "v_2.1": "5,5", "n_2.1": "Theo báo cáo số 12/BC-SNV", "v_2.2": "8;2;0;0",
            ])
            #expect(saved.status == .seeOther)
            let sheet = try await app.get("/index/assessments/\(aid)", as: p.canbo).text
            // 4 + 4 + 5.5 + 4 × (800 + 120) / 1000 = 3.68 → 17.18 of 20 = 85.90 %
            #expect(sheet.contains("85,90 %"))
            // Evidence: a real PDF is kept once by its hash; a disguised program is refused.
            let pdf = Data("%PDF-1.4\n% ke hoach\n".utf8)
            #expect(try await app.upload("/index/assessments/\(aid)/evidence", as: p.canbo, fields: ["criterion": "1.1"], fileName: "ke-hoach.pdf", data: pdf).status == .seeOther)
            #expect(try await app.upload("/index/assessments/\(aid)/evidence", as: p.canbo, fields: ["criterion": "1.2"], fileName: "ban-sao.pdf", data: pdf).status == .seeOther)
            #expect(try await EvidenceBlob.query(on: app.db).count() == 1)
            let exe = try await app.upload("/index/assessments/\(aid)/evidence", as: p.canbo, fields: ["criterion": "1.1"], fileName: "bao-cao.pdf", data: Data([0x4D, 0x5A, 0x90, 0, 3, 0, 0, 0]))
            #expect(exe.status == .unprocessableEntity)
            #expect(try await app.upload("/index/assessments/\(aid)/evidence", as: p.canbo, fields: ["criterion": "2.1", "doc_number": "412/KH-SNV", "doc_date": "15/01/2026", "doc_issuer": "Sở Nội vụ"], fileName: "", data: Data()).status == .seeOther)
            // Another unit's head sees nothing of this sheet.
            #expect(try await app.get("/index/assessments/\(aid)", as: p.truongSTC).status == .forbidden)

            // Only the head submits; after that the sheet is locked.
            #expect(try await app.post("/index/assessments/\(aid)/submit", as: p.canbo).status == .forbidden)
            #expect(try await app.post("/index/assessments/\(aid)/submit", as: p.truong).status == .seeOther)
            #expect(try await app.post("/index/assessments/\(aid)/scores", as: p.canbo, form: ["v_2.1": "6"]).status == .badRequest)

            // Appraisal round 1: a different value needs a reason; an explanation is requested.
            #expect(!(try await app.get("/index", as: p.thamdinh).text.contains("Phiếu cần thẩm định")))
            #expect(try await app.post("/index/cycles/\(cid)/phase", as: p.cchc, form: ["target": "appraisal_1"]).status == .seeOther)
            // The appraiser's worklist lists the sheets of the round.
            let worklist = try await app.get("/index", as: p.thamdinh).text
            #expect(worklist.contains("Phiếu cần thẩm định"))
            #expect(worklist.contains("/index/assessments/\(aid)"))
            let noReason = try await app.post("/index/assessments/\(aid)/appraise", as: p.thamdinh, form: ["a_2.1": "4", "ver_2.1": "1"])
            #expect(noReason.status == .badRequest)
            #expect(noReason.text.contains("phải nêu lý do"))
            let appraised = try await app.post("/index/assessments/\(aid)/appraise", as: p.thamdinh, form: [
                "a_2.1": "4", "r_2.1": "Thiếu tài liệu kiểm chứng", "ver_2.1": "1", "x_2.1": "1", "q_2.1": "Bổ sung báo cáo", "ver_1.1": "1",
            ])
            #expect(appraised.status == .seeOther)
            // A second appraiser who opened the page before that save is told, and nothing is overwritten.
            let stale = try await app.post("/index/assessments/\(aid)/appraise", as: p.thamdinh2, form: ["a_2.1": "3", "r_2.1": "Khác", "ver_2.1": "1"])
            #expect(stale.status == .conflict)
            #expect(stale.text.contains("Người khác vừa lưu"))
            #expect(stale.text.contains("value=\"3\""))
            #expect(try await IndexScore.query(on: app.db).filter(\.$criterionCode == "2.1").first()?.appraisedValue == "4")

            // The unit explains; round 2 restores part of the score.
            #expect(try await app.post("/index/cycles/\(cid)/phase", as: p.cchc, form: ["target": "explanation"]).status == .seeOther)
            #expect(try await app.post("/index/assessments/\(aid)/explain", as: p.canbo, form: ["e_2.1": "Đã bổ sung Báo cáo 15/BC-SNV"]).status == .seeOther)
            #expect(try await app.post("/index/cycles/\(cid)/phase", as: p.cchc, form: ["target": "appraisal_2"]).status == .seeOther)
            let ver = try #require(try await IndexScore.query(on: app.db).filter(\.$criterionCode == "2.1").first()).version
            #expect(try await app.post("/index/assessments/\(aid)/appraise", as: p.thamdinh, form: ["a_2.1": "5", "r_2.1": "Đã giải trình", "ver_2.1": String(ver)]).status == .seeOther)

            // Council approves, the reform office publishes; the public page shows the digest.
            #expect(try await app.post("/index/cycles/\(cid)/phase", as: p.cchc, form: ["target": "council"]).status == .seeOther)
            #expect(try await app.post("/index/cycles/\(cid)/publish", as: p.cchc).status == .badRequest)
            #expect(try await app.post("/index/cycles/\(cid)/approve", as: p.cchc).status == .forbidden)
            #expect(try await app.post("/index/cycles/\(cid)/approve", as: p.hoidong).status == .seeOther)
            let published = try await app.post("/index/cycles/\(cid)/publish", as: p.cchc)
            #expect(published.status == .seeOther)
            let pub = try #require(try await IndexPublication.query(on: app.db).first())
            #expect(pub.digest == Digest.sha256(Data(pub.payload.utf8)))
            let publicPage = try await app.get("/public/index/\(cid)", as: .anonymous)
            #expect(publicPage.status == .ok)
            #expect(publicPage.text.contains(pub.digest))
            #expect(publicPage.text.contains("Sở Nội vụ"))
            #expect(publicPage.text.contains("83,40"))  // 4 + 4 + 5 + 3.68 = 16.68 of 20
            let unitPage = try await app.get("/public/index/\(cid)/units/\(f.snv)", as: .anonymous)
            #expect(unitPage.text.contains("Thủ tục hành chính"))

            // A correction is a new version with an errata entry; the first stays readable.
            #expect(try await app.post("/index/cycles/\(cid)/publish", as: p.cchc).status == .badRequest)
            #expect(try await app.post("/index/cycles/\(cid)/publish", as: p.cchc, form: ["errata": "Sửa tên đơn vị"]).status == .seeOther)
            #expect(try await IndexPublication.query(on: app.db).count() == 2)
            #expect(try await app.get("/public/index/\(cid)?v=1", as: .anonymous).text.contains(pub.digest))

            // Exports and the trail.
            let xlsx = try await app.get("/index/cycles/\(cid)/ranking/xlsx", as: p.cchc)
            let rows = try XLSXReader.read(Data(xlsx.body.readableBytesView))
            #expect(rows.first?.contains("Chỉ số (%)") == true)
            #expect(rows.contains { $0.contains("SNV") && $0.contains("83.40") })
            #expect(try await AuditRecord.query(on: app.db).filter(\.$entityType == "index_score").count() >= 6)
            #expect(try await AuditVerification.verify(on: app.db).failure == nil)
        }
    }

    @Test func deadlinesAndPhasesAreEnforced() async throws {
        try await withApp { app in
            let (f, blockID, p) = try await Self.setUp(app)
            let index = try await IndexFixture.make(on: app.db, fixture: f, blockID: blockID, phase: .selfAssessment)
            // Past the self-assessment deadline nothing can be changed.
            let cycle = try #require(try await IndexCycle.find(index.cycle, on: app.db))
            cycle.deadlines = CycleDeadlines(selfAssessment: CivilDate(year: 2020, month: 1, day: 1))
            try await cycle.update(on: app.db)
            let late = try await app.post("/index/assessments/\(index.assessment)/scores", as: p.canbo, form: ["v_2.1": "3"])
            #expect(late.status == .badRequest)
            #expect(late.text.contains("quá hạn"))
            // Appraisers cannot appraise during self-assessment; reopening needs a reason.
            #expect(try await app.post("/index/assessments/\(index.assessment)/appraise", as: p.thamdinh, form: ["a_2.1": "3"]).status == .badRequest)
            let noReason = try await app.post("/index/cycles/\(index.cycle)/phase", as: p.cchc, form: ["target": "setup"])
            #expect(noReason.status == .badRequest)
            #expect(try await app.post("/index/cycles/\(index.cycle)/phase", as: p.cchc, form: ["target": "setup", "reason": "Sai bộ tiêu chí"]).status == .seeOther)
            #expect(try await AuditRecord.query(on: app.db).filter(\.$reason == "Sai bộ tiêu chí").count() == 1)
            // Phases cannot be skipped.
            #expect(try await app.post("/index/cycles/\(index.cycle)/phase", as: p.cchc, form: ["target": "council"]).status == .badRequest)
        }
    }

    @Test func frameworkImportReportsEveryProblemInVietnamese() async throws {
        try await withApp { app in
            let (_, _, p) = try await Self.setUp(app)
            let broken = IndexFixture.frameworkJSON.replacingOccurrences(of: "\"max\":\"4\",\"method\":{\"type\":\"binary\"}", with: "\"max\":\"5\",\"method\":{\"type\":\"binary\"}")
                .replacingOccurrences(of: "\"code\":\"2.2\"", with: "\"code\":\"2.1\"")
            let res = try await app.upload("/index/frameworks", as: p.cchc, fields: [:], fileName: "x.json", data: Data(broken.utf8))
            #expect(res.status == .unprocessableEntity)
            #expect(res.text.contains("Trùng mã tiêu chí: 2.1"))
            #expect(res.text.contains("phải bằng 10"))
            let notJSON = try await app.upload("/index/frameworks", as: p.cchc, fields: [:], fileName: "x.json", data: Data("<html>".utf8))
            #expect(notJSON.text.contains("không phải JSON"))
            #expect(try await IndexFramework.query(on: app.db).count() == 0)
            // Starters load, view and export.
            #expect(try await app.post("/index/frameworks/starters", as: p.cchc).status == .seeOther)
            let fw = try #require(try await IndexFramework.query(on: app.db).filter(\.$code == "SO-2026").first())
            let page = try await app.get("/index/frameworks/\(fw.requireID())", as: p.canbo)
            #expect(page.text.contains("Cải cách thủ tục hành chính"))
            let xlsx = try await app.get("/index/frameworks/\(fw.requireID())/export/xlsx", as: p.canbo)
            let rows = try XLSXReader.read(Data(xlsx.body.readableBytesView))
            #expect(rows.first == ["STT", "Nội dung", "Điểm tối đa", "Phương pháp chấm", "Tài liệu kiểm chứng", "Hướng dẫn", "Mã phương pháp", "Loại"])
            // The XLSX export imports back as a new framework with the same criteria.
            let back = try await app.upload("/index/frameworks", as: p.cchc, fields: ["code": "SO-XLSX", "name": "Bộ nhập từ Excel", "year": "2026", "unit_kind": "department", "places": "2"],
                                            fileName: "so.xlsx", data: Data(xlsx.body.readableBytesView))
            #expect(back.status == .seeOther)
            let imported = try #require(try await IndexFramework.query(on: app.db).filter(\.$code == "SO-XLSX").first())
            func shape(_ f: CompiledFramework) -> [String] {
                f.nodes.map { [$0.code, $0.title, $0.max.description, $0.kind.rawValue, $0.method.map(MethodNotation.format) ?? "", $0.evidence, $0.guidance].joined(separator: "|") }
            }
            #expect(shape(try imported.compiled()) == shape(try fw.compiled()))
            let noMeta = try await app.upload("/index/frameworks", as: p.cchc, fields: [:], fileName: "so.xlsx", data: Data(xlsx.body.readableBytesView))
            #expect(noMeta.status == .unprocessableEntity)
            let json = try await app.get("/index/frameworks/\(fw.requireID())/export/json", as: p.canbo)
            #expect(try FrameworkJSON.decode(Data(json.body.readableBytesView)) == (try fw.compiled().spec))
            #expect(try await app.post("/index/frameworks/\(fw.requireID())/copy", as: p.cchc, form: ["year": "2027", "code": "SO-2027"]).status == .seeOther)
            #expect(try await IndexFramework.query(on: app.db).filter(\.$code == "SO-2027").first()?.year == 2027)
        }
    }
}
