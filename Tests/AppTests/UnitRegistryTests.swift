import Fluent
import Foundation
import Testing
import ThiDuaCore
import Vapor
import VaporTesting

@testable import App

@Suite struct UnitRegistryTests {
    @Test func searchIgnoresDiacriticsAndSortsInVietnameseOrder() async throws {
        try await withApp { app in
            let f = try await Fixture.make(on: app.db)
            let id = try await app.makeUser("lanh.dao", grants: [(.leader, f.root)])
            let b = try await Browser.signIn(id, on: app.db)
            let found = try await app.get("/units?q=so%20noi%20vu", as: b)
            #expect(found.text.contains("Sở Nội vụ"))
            #expect(!found.text.contains("Sở Tài chính"))
            let all = try await app.get("/units?q=xa", as: b).text
            // "Xã Tân Hòa" before "Xã Tân Phong": H before P in the Vietnamese alphabet.
            let hoa = try #require(all.range(of: "Xã Tân Hòa"))
            let phong = try #require(all.range(of: "Xã Tân Phong"))
            #expect(hoa.lowerBound < phong.lowerBound)
        }
    }

    /// The home page's figures: the province sees every current unit and person, a department its own subtree.
    @Test func homeFiguresFollowTheScope() async throws {
        try await withApp(configure: { $0.fixedToday = CivilDate(year: 2026, month: 3, day: 2) }) { app in
            // setup
            let f = try await Fixture.make(on: app.db)
            let gone = Unit(code: "XCU", name: "Xã Cũ", shortName: nil, kind: .commune, parentID: f.root, validFrom: nil,
                            validTo: CivilDate(year: 2025, month: 6, day: 30))
            try await gone.create(on: app.db)
            for (code, unit) in [("A", f.snv), ("B", f.snvOffice), ("C", f.stc)] {
                try await Person(code: code, fullName: "Người \(code)", sex: .female, birthYear: 1990, position: "Chuyên viên", unitID: unit).create(on: app.db)
            }
            let admin = try await Browser.signIn(try await app.makeUser("quantri", grants: [(.systemAdmin, f.root)]), on: app.db)
            let head = try await Browser.signIn(try await app.makeUser("truong.snv", grants: [(.unitHead, f.snv)]), on: app.db)

            // act
            let province = try await app.get("/", as: admin).text
            let department = try await app.get("/", as: head).text

            // check: 6 current units of 7 (the old commune ended in 2025), 3 people; SNV and its office, 2 people
            #expect(province.contains("ngày giả lập 02/03/2026"))
            #expect(province.contains("<span class=\"stat\">6</span>"))
            #expect(province.contains("<span class=\"stat\">3</span>"))
            #expect(department.contains("<span class=\"stat\">2</span>"))
            #expect(!department.contains("<span class=\"stat\">3</span>"))
        }
    }

    @Test func officersSeeOnlyTheirOwnSubtree() async throws {
        try await withApp { app in
            let f = try await Fixture.make(on: app.db)
            let id = try await app.makeUser("can.bo", grants: [(.unitOfficer, f.snv)])
            let b = try await Browser.signIn(id, on: app.db)
            let list = try await app.get("/units", as: b).text
            #expect(list.contains("Phòng Cải cách hành chính"))
            #expect(!list.contains("Sở Tài chính"))
            #expect(try await app.get("/units/\(f.stc)", as: b).status == .forbidden)
        }
    }

    @Test func badInputGetsVietnameseMessagesAndNothingIsSaved() async throws {
        try await withApp { app in
            let f = try await Fixture.make(on: app.db)
            let id = try await app.makeUser("admin", grants: [(.systemAdmin, f.root)])
            let b = try await Browser.signIn(id, on: app.db)
            let cases: [([String: String], String)] = [
                (["code": "X1", "name": "=HYPERLINK(\"http://x\")", "kind": "office", "parent_id": f.snv.uuidString], "công thức"),
                (["code": "X2", "name": "<script>alert(1)</script>", "kind": "office", "parent_id": f.snv.uuidString], "&lt;"),
                (["code": "SNV", "name": "Trùng mã", "kind": "office", "parent_id": f.snv.uuidString], "Đã tồn tại"),
                (["code": "X3", "name": "Phòng", "kind": "office", "parent_id": f.snv.uuidString, "valid_from": "31/02/2025"], "Ngày không hợp lệ"),
                (["code": "X4", "name": "Phòng", "kind": "office", "parent_id": f.snv.uuidString, "valid_from": "01/07/2025", "valid_to": "30/06/2025"], "trước ngày bắt đầu"),
                (["code": "X5", "name": "Phòng", "kind": "khong-co", "parent_id": f.snv.uuidString], "bắt buộc"),
                (["code": "X6", "name": "Phòng", "kind": "office", "parent_id": "khong-phai-uuid"], "không hợp lệ"),
                (["code": "ma có dấu", "name": "Phòng", "kind": "office", "parent_id": f.snv.uuidString], "Mã chỉ gồm"),
            ]
            for (form, message) in cases {
                let res = try await app.post("/units", as: b, form: form)
                #expect(res.status == .badRequest, "\(form)")
                #expect(res.text.contains(message), "\(form) → expected \(message)")
                #expect(!res.text.contains("<script>alert"))
            }
            #expect(try await Unit.query(on: app.db).count() == 6)
        }
    }

    @Test func aStaleFormIsRefusedNotSilentlyOverwritten() async throws {
        try await withApp { app in
            let f = try await Fixture.make(on: app.db)
            let id = try await app.makeUser("admin", grants: [(.systemAdmin, f.root)])
            let b = try await Browser.signIn(id, on: app.db)
            let base = ["kind": "department", "parent_id": f.root.uuidString, "version": "1"]
            let first = try await app.post("/units/\(f.stc)", as: b, form: base.merging(["name": "Sở Tài chính (A)"]) { $1 })
            #expect(first.status == .seeOther)
            let second = try await app.post("/units/\(f.stc)", as: b, form: base.merging(["name": "Sở Tài chính (B)"]) { $1 })
            #expect(second.status == .conflict)
            #expect(second.text.contains("Người khác vừa lưu"))
            #expect(try await Unit.find(f.stc, on: app.db)?.name == "Sở Tài chính (A)")
        }
    }

    @Test func mergingKeepsHistoryAndMovesPeople() async throws {
        try await withApp { app in
            let f = try await Fixture.make(on: app.db)
            let id = try await app.makeUser("cchc", grants: [(.reformOffice, f.root)])
            let b = try await Browser.signIn(id, on: app.db)
            let p = Person(code: "CB9", fullName: "Lê Thị Hoa", sex: .female, birthYear: 1990, position: "Công chức", unitID: f.commune2)
            try await p.create(on: app.db)
            let res = try await app.post("/units/\(f.commune1)/merge", as: b, form: ["codes": "XTH", "effective_on": "01/07/2025", "reference": "Nghị quyết 1680/NQ-UBTVQH15"])
            #expect(res.status == .seeOther)
            let old = try #require(try await Unit.find(f.commune2, on: app.db))
            #expect(old.validTo == "2025-06-30")
            #expect(try await Person.find(p.requireID(), on: app.db)?.$unit.id == f.commune1)
            let page = try await app.get("/units/\(f.commune1)", as: b).text
            #expect(page.contains("Xã Tân Hòa"))
            #expect(page.contains("Nghị quyết 1680/NQ-UBTVQH15"))
            let selfMerge = try await app.post("/units/\(f.commune1)/merge", as: b, form: ["codes": "XTP", "effective_on": "01/07/2025", "reference": "x"])
            #expect(selfMerge.status == .badRequest)
            #expect(try await AuditVerification.verify(on: app.db).failure == nil)
        }
    }

    @Test func peopleFormsAndSensitiveRecords() async throws {
        try await withApp { app in
            let f = try await Fixture.make(on: app.db)
            let head = try await app.makeUser("truong", grants: [(.unitHead, f.snv)])
            let officer = try await app.makeUser("canbo", grants: [(.unitOfficer, f.snv)])
            let bh = try await Browser.signIn(head, on: app.db)
            let created = try await app.post("/people", as: bh, form: ["code": "CB10", "full_name": "Phạm Minh Tuấn", "sex": "male", "birth_year": "1984", "position": "Chuyên viên", "unit_id": f.snvOffice.uuidString])
            #expect(created.status == .seeOther)
            let person = try #require(try await Person.query(on: app.db).filter(\.$code == "CB10").first())
            let pid = try person.requireID()
            let rating = try await app.post("/people/\(pid)/ratings", as: bh, form: ["year": "2025", "rating": "outstanding"])
            #expect(rating.status == .seeOther)
            let badYear = try await app.post("/people/\(pid)/ratings", as: bh, form: ["year": "1890", "rating": "good"])
            #expect(badYear.status == .badRequest)
            let period = try await app.post("/people/\(pid)/periods", as: bh, form: ["category": "pending_case", "kind": "inspection", "start_on": "01/03/2026", "reference": "05/QĐ-TTr"])
            #expect(period.status == .seeOther)
            let headPage = try await app.get("/people/\(pid)", as: bh).text
            #expect(headPage.contains("Hoàn thành xuất sắc nhiệm vụ"))
            #expect(headPage.contains("05/QĐ-TTr"))
            // An officer sees the person but not discipline, cases or leave.
            let officerPage = try await app.get("/people/\(pid)", as: try await Browser.signIn(officer, on: app.db)).text
            #expect(officerPage.contains("Phạm Minh Tuấn"))
            #expect(!officerPage.contains("05/QĐ-TTr"))
            let search = try await app.get("/people?q=pham%20minh", as: bh).text
            #expect(search.contains("Phạm Minh Tuấn"))
        }
    }
}
