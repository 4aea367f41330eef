import Fluent
import Foundation
import Testing
import ThiDuaCore
import Vapor
import VaporTesting

@testable import App

/// Emulation and rewards (issue 8), first part: the catalogue as an edited setting and a person's eligibility
/// checked rule by rule from the registry and the initiatives.
@Suite struct AwardWorkflowTests {
    @Test func eligibilityIsCheckedRuleByRuleFromTheRecords() async throws {
        try await withApp { app in
            let f = try await Fixture.make(on: app.db)
            let office = try await Browser.signIn(try await app.makeUser("cchc", grants: [(.reformOffice, f.root)]), on: app.db)
            let lan = Person(code: "CB-LAN", fullName: "Nguyễn Thị Lan", sex: .female, birthYear: 1988, position: "Chuyên viên", unitID: f.snv)
            try await lan.create(on: app.db)
            let pid = try lan.requireID()
            try await PerformanceRatingRecord(personID: pid, year: 2026, rating: .outstanding).create(on: app.db)
            // 2025: maternity leave, no rating; a reprimand whose period ended in 2025; an inspection closed in 2026.
            let leave = PersonPeriod(personID: pid, category: .leave, kind: "maternity", period: DatePeriod(start: CivilDate(parsing: "2025-03-01")!, end: CivilDate(parsing: "2025-08-31")!), reference: nil, note: nil)
            try await leave.create(on: app.db)
            let discipline = PersonPeriod(personID: pid, category: .discipline, kind: "reprimand", period: DatePeriod(start: CivilDate(parsing: "2024-11-01")!, end: CivilDate(parsing: "2025-04-30")!), reference: "12/QĐ-SNV", note: nil)
            try await discipline.create(on: app.db)

            let page = try await app.get(AwardURL.eligibility + "?person=cb-lan&award=BKCT&year=2026", as: office)
            #expect(page.status == .ok)
            let html = page.text
            #expect(html.contains("Năm 2025 nghỉ thai sản, không có đánh giá: được tính, cần xác nhận"), "\(html)")
            #expect(html.contains("Có 0 sáng kiến đạt phạm vi cấp cơ sở trở lên"))
            #expect(html.contains("Không có kỷ luật trong năm"))
            #expect(html.contains("Không đạt"))  // no initiative
            // The same check for 2025: the reprimand overlaps that year.
            let earlier = try await app.get(AwardURL.eligibility + "?person=CB-LAN&award=BKCT&year=2025", as: office).text
            #expect(earlier.contains("Bị kỷ luật từ 01/11/2024 đến 30/04/2025"))
            // An unknown person: a clear message.
            let unknown = try await app.get(AwardURL.eligibility + "?person=NOBODY&award=BKCT&year=2026", as: office)
            #expect(unknown.status == .unprocessableEntity && unknown.text.contains("Không có cán bộ mã NOBODY"))
            // Someone of another unit cannot look at her.
            let head = try await Browser.signIn(try await app.makeUser("truong.stc", grants: [(.unitHead, f.stc)]), on: app.db)
            #expect(try await app.get(AwardURL.eligibility + "?person=CB-LAN&award=BKCT&year=2026", as: head).status == .forbidden)
        }
    }

    @Test func theCatalogueIsASettingCheckedBeforeSaving() async throws {
        try await withApp { app in
            let f = try await Fixture.make(on: app.db)
            let office = try await Browser.signIn(try await app.makeUser("cchc", grants: [(.reformOffice, f.root)]), on: app.db)
            #expect(try await app.post(AwardURL.catalogue, as: office, form: ["json": "{not json"]).status == .unprocessableEntity)
            var c = AwardCatalogue.starting
            c.types[1].rules = [.consecutiveTitles(award: "KHONGCO", years: 3)]
            let bad = String(decoding: try JSONEncoder().encode(c), as: UTF8.self)
            let refused = try await app.post(AwardURL.catalogue, as: office, form: ["json": bad])
            #expect(refused.status == .unprocessableEntity && refused.text.contains("KHONGCO"))
            #expect(try await AwardController.catalogue(on: app.db) == .starting)
            c = AwardCatalogue.starting
            c.types[2].rules = [.consecutiveRatings(atLeast: .outstanding, years: 3, maternityCounts: false)]
            let ok = String(decoding: try JSONEncoder().encode(c), as: UTF8.self)
            #expect(try await app.post(AwardURL.catalogue, as: office, form: ["json": ok]).status == .seeOther)
            #expect(try await AwardController.catalogue(on: app.db).types[2].rules == [.consecutiveRatings(atLeast: .outstanding, years: 3, maternityCounts: false)])
            #expect(try await AuditRecord.query(on: app.db).filter(\.$entityType == "province_setting").count() == 1)
            let list = try await app.get(AwardURL.home, as: office).text
            #expect(list.contains("3 năm liên tục đạt từ mức “Hoàn thành xuất sắc nhiệm vụ” trở lên"))
        }
    }

    /// Past awards come in from a file (dry run first); the registry shows a person's and a unit's awards over the
    /// years, a merged unit's including its predecessors'; the eligibility rules read the titles.
    @Test func theRegistryFollowsPeopleAndUnitsThroughMergers() async throws {
        try await withApp { app in
            let f = try await Fixture.make(on: app.db)
            let office = try await Browser.signIn(try await app.makeUser("cchc", grants: [(.reformOffice, f.root)]), on: app.db)
            let lan = Person(code: "CB-LAN", fullName: "Nguyễn Thị Lan", sex: .female, birthYear: 1988, position: nil, unitID: f.snv)
            try await lan.create(on: app.db)
            // XTH was merged into XTP.
            try await UnitSuccession(unitID: f.commune1, predecessorID: f.commune2, kind: .merger, effectiveOn: CivilDate(parsing: "2025-07-01"), reference: "NQ 1/2025")
                .create(on: app.db)
            let csv = """
                Mã danh hiệu,Năm,Mã cán bộ,Mã đơn vị,Số quyết định,Ngày quyết định
                CSTDCS,2023,CB-LAN,,10/QĐ-SNV,20/12/2023
                CSTDCS,2024,CB-LAN,,11/QĐ-SNV,20/12/2024
                CSTDCS,2025,CB-LAN,,12/QĐ-SNV,20/12/2025
                TTLDXS,2024,,XTH,45/QĐ-UBND,15/01/2025
                TTLDXS,2025,,XTP,46/QĐ-UBND,15/01/2026
                """
            let bad = try await app.upload("/import/preview", as: office, fields: ["kind": "awards"], fileName: "khen.csv", data: Data((csv + "\nCSTDCS,2025,CB-LAN,,13/QĐ-SNV,21/12/2025\n").utf8))
            let badBatch = try #require(bad.location)
            #expect(try await app.get(badBatch, as: office).text.contains("Trùng mã với dòng 4"))
            #expect(try await app.post(badBatch + "/commit", as: office).status == .unprocessableEntity)
            #expect(try await AwardRecord.query(on: app.db).count() == 0)
            let up = try await app.upload("/import/preview", as: office, fields: ["kind": "awards"], fileName: "khen.csv", data: Data(csv.utf8))
            let batch = try #require(up.location)
            #expect(try await app.post(batch + "/commit", as: office).status == .seeOther)
            #expect(try await AwardRecord.query(on: app.db).count() == 5)
            let person = try await app.get(AwardURL.registry + "?person=CB-LAN", as: office).text
            #expect(person.contains("12/QĐ-SNV") && person.contains("10/QĐ-SNV"))
            let unit = try await app.get(AwardURL.registry + "?unit=XTP", as: office).text
            #expect(unit.contains("46/QĐ-UBND") && unit.contains("45/QĐ-UBND") && unit.contains("Xã Tân Hòa"), "\(unit)")
            // A collective across its merger: XTP's 2025 title and XTH's 2024 one (merged into XTP) are two consecutive years.
            var catalogue = AwardCatalogue.starting
            catalogue.types.append(AwardType(code: "BKTT", name: "Bằng khen tập thể", subject: .collective, authority: "Chủ tịch UBND tỉnh", legalBasis: "thử nghiệm",
                                             merit: true, rules: [.consecutiveTitles(award: "TTLDXS", years: 2)]))
            let json = String(decoding: try JSONEncoder().encode(catalogue), as: UTF8.self)
            #expect(try await app.post(AwardURL.catalogue, as: office, form: ["json": json]).status == .seeOther)
            let merged = try await app.get(AwardURL.eligibility + "?unit=XTP&award=BKTT&year=2025", as: office).text
            #expect(merged.contains("Có danh hiệu TTLDXS đủ 2 năm liên tục"), "\(merged)")
            let alone = try await app.get(AwardURL.eligibility + "?unit=XTH&award=BKTT&year=2025", as: office).text
            #expect(alone.contains("Năm 2025 không có danh hiệu TTLDXS"))
            // Three consecutive base-level titles: the provincial title's rule is met.
            let check = try await app.get(AwardURL.eligibility + "?person=CB-LAN&award=CSTDT&year=2025", as: office).text
            #expect(check.contains("Có danh hiệu CSTDCS đủ 3 năm liên tục"), "\(check)")
            // Revoking the 2024 title: a reason and a decision are required, twice is refused, the record stays, and
            // the rule no longer counts that year.
            let record = try #require(try await AwardRecord.query(on: app.db).filter(\.$year == 2024).filter(\.$awardCode == "CSTDCS").first())
            let path = "/awards/records/\(try record.requireID())/revoke"
            #expect(try await app.get(path, as: office).status == .ok)
            let noReason = try await app.post(path, as: office, form: ["ground": "false_dossier", "decision_number": "5/QĐ-UBND", "revoked_on": "10/11/2026"])
            #expect(noReason.status == .unprocessableEntity && noReason.text.contains("Hãy ghi lý do thu hồi"))
            let before = try await app.post(path, as: office, form: ["ground": "false_dossier", "decision_number": "5/QĐ-UBND", "revoked_on": "10/11/2024", "reason": "x"])
            #expect(before.status == .unprocessableEntity && before.text.contains("trước ngày quyết định khen thưởng"))
            let form = ["ground": "false_dossier", "decision_number": "5/QĐ-UBND", "revoked_on": "10/11/2026", "reason": "Kê khai sáng kiến không có thật", "recovery": "Thu hồi giấy chứng nhận và 1.000.000 đồng"]
            #expect(try await app.post(path, as: office, form: form).status == .seeOther)
            let twice = try await app.post(path, as: office, form: form)
            #expect(twice.status == .unprocessableEntity && twice.text.contains("đã bị thu hồi"))
            #expect(try await AwardRecord.query(on: app.db).count() == 5)
            #expect(try await AuditRecord.query(on: app.db).filter(\.$entityType == "award_record").filter(\.$action == "update").count() == 1)
            let after = try await app.get(AwardURL.registry + "?person=CB-LAN", as: office).text
            #expect(after.contains("Đã thu hồi ngày 10/11/2026") && after.contains("Thu hồi giấy chứng nhận và 1.000.000 đồng"))
            let recheck = try await app.get(AwardURL.eligibility + "?person=CB-LAN&award=CSTDT&year=2025", as: office).text
            #expect(recheck.contains("Năm 2024 không có danh hiệu CSTDCS"), "\(recheck)")
        }
    }
}
