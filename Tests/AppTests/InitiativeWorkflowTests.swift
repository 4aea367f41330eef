import Fluent
import Foundation
import Testing
import ThiDuaCore
import Vapor
import VaporTesting

@testable import App

/// Initiatives (issue 7): submission with authors' shares, phases, conflicts of interest, blind review, the panel,
/// the council's decision, adoption by another unit, the public library and what the awards read.
@Suite(.serialized) struct InitiativeWorkflowTests {
    static func post(_ app: Application, _ path: String, as b: Browser, pairs: [(String, String)]) async throws -> TestingHTTPResponse {
        var headers = b.headers()
        headers.contentType = .urlEncodedForm
        let body = ([("_csrf", b.csrf)] + pairs).map { $0.0 + "=" + ($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "") }
            .joined(separator: "&")
        var result: TestingHTTPResponse?
        try await app.testing().test(.POST, path, headers: headers, body: ByteBuffer(string: body)) { result = $0 }
        return result!
    }

    static func content(unit: UUID, authors: [(code: String, name: String, share: String)]) -> [(String, String)] {
        var p: [(String, String)] = [
            ("title", "Phần mềm nhắc hạn hồ sơ một cửa"), ("type", "applied_technology"), ("area", "2"), ("unit_id", unit.uuidString),
            ("problem", "Hồ sơ trễ hạn do không theo dõi được thời hạn.\n- Cán bộ phải tra sổ."), ("solution", "Nhắn tin tự động trước hạn 2 ngày."),
            ("novelty", "Lần đầu áp dụng tại tỉnh."), ("applied_where", "Bộ phận một cửa của đơn vị"), ("applied_since", "01/03/2026"),
            ("hours_saved", "1.200"), ("cost_saved", "50.000.000"), ("dossiers", "3000"), ("replicability", "Mọi bộ phận một cửa."),
        ]
        for a in authors {
            p += [("author_code[]", a.code), ("author_name[]", a.name), ("author_share[]", a.share)]
        }
        return p
    }

    @Test func theWholeLifeOfAnInitiative() async throws {
        try await withApp { app in
            let f = try await Fixture.make(on: app.db)
            let author = Person(code: "CB-A", fullName: "Nguyễn Thị Lan", sex: .female, birthYear: 1985, position: "Chuyên viên", unitID: f.snv)
            try await author.create(on: app.db)
            let office = try await Browser.signIn(try await app.makeUser("cchc", grants: [(.reformOffice, f.root)]), on: app.db)
            let officer = try await Browser.signIn(try await app.makeUser("canbo.snv", grants: [(.unitOfficer, f.snv)]), on: app.db)
            // Reviewers: two provincial ones, one of the Department of Home Affairs (conflict), one who is the author.
            let r1 = try await app.makeUser("tdv1", grants: [(.appraiser, f.root)])
            let r2 = try await app.makeUser("tdv2", grants: [(.councilMember, f.root)])
            let rSame = try await app.makeUser("tdv.snv", grants: [(.appraiser, f.snvOffice)])
            let rAuthor = try await app.makeUser("tdv.tacgia", grants: [(.appraiser, f.root)])
            let authorUser = try #require(try await User.find(rAuthor, on: app.db))
            authorUser.$person.id = try author.requireID()
            try await authorUser.update(on: app.db)

            // A period: a rubric that does not read is refused, then a blind one is opened.
            let badPeriod = try await app.post(InitiativeURL.periods, as: office, form: ["name": "Đợt 2026", "year": "2026", "rubric": "a | b", "disagreement": "20"])
            #expect(badPeriod.status == .unprocessableEntity)
            #expect(badPeriod.text.contains("Không đọc được dòng 1"))
            let okPeriod = try await app.post(
                InitiativeURL.periods, as: office, form: ["name": "Đợt 2026", "year": "2026", "blind": "1", "rubric": Rubric.standard.text, "disagreement": "20"])
            #expect(okPeriod.status == .seeOther)
            let period = try #require(try await InitiativePeriod.query(on: app.db).first())

            // Shares not adding to 100 are refused with nothing saved; an author outside the registry is allowed, marked.
            let bad = try await Self.post(app, InitiativeURL.home, as: officer, pairs: Self.content(unit: f.snv, authors: [("CB-A", "", "60"), ("", "Trần Văn Ngoài", "30")]))
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.text.contains("phải cộng lại đúng 100 % (hiện là 90"))
            #expect(try await Initiative.query(on: app.db).count() == 0)
            let foreign = try await Self.post(app, InitiativeURL.home, as: officer, pairs: Self.content(unit: f.stc, authors: [("CB-A", "", "100")]))
            #expect(foreign.status == .forbidden)
            let created = try await Self.post(app, InitiativeURL.home, as: officer, pairs: Self.content(unit: f.snv, authors: [("CB-A", "", "60"), ("", "Trần Văn Ngoài", "40")]))
            #expect(created.status == .seeOther)
            let initiative = try #require(try await Initiative.query(on: app.db).first())
            let id = try initiative.requireID()
            let page = try await app.get(InitiativeURL.show(id), as: officer).text
            #expect(page.contains("Nguyễn Thị Lan — 60,00 %") && page.contains("Trần Văn Ngoài — 40,00 % (ngoài danh bạ)"), "\(page)")
            #expect(page.contains("Hồ sơ trễ hạn do không theo dõi được thời hạn.\n- Cán bộ phải tra sổ."))

            // Reviewers cannot be assigned to a draft; once submitted, editing is over.
            #expect(try await app.post(InitiativeURL.reviewers(id), as: office, form: ["user_id": r1.uuidString]).status == .forbidden)
            #expect(try await app.post(InitiativeURL.submit(id), as: officer).status == .seeOther)
            #expect(try await Self.post(app, InitiativeURL.show(id), as: officer, pairs: Self.content(unit: f.snv, authors: [("CB-A", "", "100")])).status == .forbidden)

            // Conflicts of interest: the author, someone of the unit.
            let asAuthor = try await app.post(InitiativeURL.reviewers(id), as: office, form: ["user_id": rAuthor.uuidString])
            #expect(asAuthor.status == .unprocessableEntity && asAuthor.text.contains("là tác giả của sáng kiến"))
            let asSame = try await app.post(InitiativeURL.reviewers(id), as: office, form: ["user_id": rSame.uuidString])
            #expect(asSame.status == .unprocessableEntity && asSame.text.contains("thuộc đơn vị có sáng kiến"))
            for r in [r1, r2] { #expect(try await app.post(InitiativeURL.reviewers(id), as: office, form: ["user_id": r.uuidString]).status == .seeOther) }
            #expect(try await InitiativeReviewer.query(on: app.db).count() == 2)

            // Scoring only in the review phase; blind: the reviewer sees neither authors nor unit.
            let b1 = try await Browser.signIn(r1, on: app.db)
            let b2 = try await Browser.signIn(r2, on: app.db)
            let scores = ["score_novelty": "25", "score_applicability": "20", "score_effectiveness": "25", "score_replicability": "10", "comment": "Tốt"]
            #expect(try await app.post(InitiativeURL.review(id), as: b1, form: scores).status == .forbidden)
            #expect(try await app.post(InitiativeURL.phase(try period.requireID()), as: office, form: ["from": "submission"]).status == .seeOther)
            // A double click on the same phase button moves nothing.
            _ = try await app.post(InitiativeURL.phase(try period.requireID()), as: office, form: ["from": "submission"])
            #expect(try await InitiativePeriod.find(try period.requireID(), on: app.db)?.phase == .review)
            let blindPage = try await app.get(InitiativeURL.show(id), as: b1).text
            #expect(!blindPage.contains("Nguyễn Thị Lan") && !blindPage.contains("Sở Nội vụ") && blindPage.contains("chấm kín"), "\(blindPage)")
            var over = scores
            over["score_novelty"] = "31"
            let refused = try await app.post(InitiativeURL.review(id), as: b1, form: over)
            #expect(refused.status == .unprocessableEntity && refused.text.contains("từ 0 đến 30"))
            #expect(try await InitiativeScore.query(on: app.db).count() == 0)
            #expect(try await app.post(InitiativeURL.review(id), as: b1, form: scores).status == .seeOther)
            var low = scores
            low["score_effectiveness"] = "5"
            #expect(try await app.post(InitiativeURL.review(id), as: b2, form: low).status == .seeOther)
            // Reviewer 1 sees their own scores only.
            let own = try await app.get(InitiativeURL.show(id), as: b1).text
            #expect(own.contains("Điểm tôi đã chấm") && !own.contains("Điểm trung bình"))
            // A third user with the review right but not assigned may not score.
            let other = try await Browser.signIn(try await app.makeUser("tdv3", grants: [(.appraiser, f.root)]), on: app.db)
            #expect(try await app.post(InitiativeURL.review(id), as: other, form: scores).status == .forbidden)

            // Decision phase: the panel (mean 70, median 70, σ 10, range 20 → flagged); a decision needs its reference.
            #expect(try await app.post(InitiativeURL.phase(try period.requireID()), as: office, form: ["from": "review"]).status == .seeOther)
            let panel = try await app.get(InitiativeURL.show(id), as: b2).text
            #expect(panel.contains("Điểm trung bình") && panel.contains("70,00") && panel.contains("10,00") && panel.contains("cần thảo luận"), "\(panel)")
            let noRef = try await app.post(InitiativeURL.decision(id), as: b2, form: ["outcome": "recognised", "level": "province", "decision_date": "15/11/2026", "decision_signer": "Chủ tịch Hội đồng"])
            #expect(noRef.status == .unprocessableEntity && noRef.text.contains("phải có số, ký hiệu"))
            #expect(try await Initiative.find(id, on: app.db)?.status == .submitted)
            let decided = try await app.post(InitiativeURL.decision(id), as: b2, form: [
                "outcome": "recognised", "level": "province", "decision_number": "125/QĐ-HĐSK", "decision_date": "15/11/2026", "decision_signer": "Chủ tịch Hội đồng",
            ])
            #expect(decided.status == .seeOther)
            #expect(try await Initiative.find(id, on: app.db)?.level == .province)
            // Deciding twice, editing or withdrawing after the decision: refused.
            #expect(try await app.post(InitiativeURL.decision(id), as: b2, form: ["outcome": "not_recognised", "decision_number": "1", "decision_date": "16/11/2026", "decision_signer": "X"]).status == .forbidden)
            #expect(try await app.post(InitiativeURL.withdraw(id), as: officer).status == .forbidden)

            // Another unit adopts it; the public library finds it without diacritics and shows the adopter.
            let commune = try await Browser.signIn(try await app.makeUser("canbo.xtp", grants: [(.unitOfficer, f.commune1)]), on: app.db)
            let adopt = ["unit_id": f.commune1.uuidString, "adopted_on": "20/11/2026", "effect": "Giảm 30 % hồ sơ trễ hạn", "hours_saved": "200", "dossiers": "500"]
            #expect(try await app.post(InitiativeURL.adoptions(id), as: commune, form: adopt).status == .seeOther)
            let twice = try await app.post(InitiativeURL.adoptions(id), as: commune, form: adopt)
            #expect(twice.status == .unprocessableEntity && twice.text.contains("đã được ghi nhận"))
            #expect(try await app.post(InitiativeURL.adoptions(id), as: commune, form: adopt.merging(["unit_id": f.commune2.uuidString]) { $1 }).status == .forbidden)
            let library = try await app.get(InitiativeURL.library + "?q=nhac+han+mot+cua", as: .anonymous)
            #expect(library.status == .ok)
            #expect(library.text.contains("Phần mềm nhắc hạn hồ sơ một cửa") && library.text.contains("Xã Tân Phong"))
            #expect(!(try await app.get(InitiativeURL.library + "?q=dat+dai", as: .anonymous).text.contains("Phần mềm nhắc hạn")))
            let item = try await app.get(InitiativeURL.libraryItem(id), as: .anonymous).text
            #expect(item.contains("1.400 giờ") && item.contains("3.500 hồ sơ"), "\(item)")

            // What the awards read: the author's recognised initiative, its level and her share.
            let rec = try await InitiativeRecords.recognitions(of: try author.requireID(), on: app.db)
            #expect(rec.map(\.level) == [.province] && rec.first?.share == Points(60) && rec.first?.decidedOn.iso == "2026-11-15")
            // Every change is in the audit trail.
            #expect(try await AuditRecord.query(on: app.db).filter(\.$entityType == "initiative_score").count() == 2)
            #expect(try await AuditRecord.query(on: app.db).filter(\.$entityType == "initiative").count() >= 3)
            let spread = try await app.get(InitiativeURL.spread, as: office).text
            #expect(spread.contains("Đang nhân rộng"))
        }
    }

    @Test func aDraftIsOnlyForItsUnitAndAnOpenPeriod() async throws {
        try await withApp { app in
            let f = try await Fixture.make(on: app.db)
            let officer = try await Browser.signIn(try await app.makeUser("canbo.snv", grants: [(.unitOfficer, f.snv)]), on: app.db)
            // No period open: a clear message, not a form.
            let none = try await app.get(InitiativeURL.new, as: officer)
            #expect(none.status == .conflict && none.text.contains("không có đợt xét nào đang nhận hồ sơ"))
            let office = try await Browser.signIn(try await app.makeUser("cchc", grants: [(.reformOffice, f.root)]), on: app.db)
            #expect(try await app.post(InitiativeURL.periods, as: office, form: ["name": "Đợt 1", "year": "2026", "rubric": Rubric.standard.text, "disagreement": "20"]).status == .seeOther)
            #expect(try await app.get(InitiativeURL.new, as: officer).status == .ok)
            // An officer of another unit cannot see or edit it.
            let made = try await Self.post(app, InitiativeURL.home, as: officer, pairs: Self.content(unit: f.snv, authors: [("", "Lê Văn B", "100")]))
            #expect(made.status == .seeOther, "\(made.text.firstMatch(of: /error-summary.{0,800}/).map { String($0.0) } ?? "")")
            let id = try #require(try await Initiative.query(on: app.db).first()?.requireID())
            let stc = try await Browser.signIn(try await app.makeUser("canbo.stc", grants: [(.unitOfficer, f.stc)]), on: app.db)
            #expect(try await app.get(InitiativeURL.show(id), as: stc).status == .forbidden)
            #expect(try await app.post(InitiativeURL.submit(id), as: stc).status == .forbidden)
            // A withdrawn initiative stays withdrawn.
            #expect(try await app.post(InitiativeURL.submit(id), as: officer).status == .seeOther)
            #expect(try await app.post(InitiativeURL.withdraw(id), as: officer).status == .seeOther)
            #expect(try await Initiative.find(id, on: app.db)?.status == .withdrawn)
            #expect(try await app.post(InitiativeURL.submit(id), as: officer).status == .forbidden)
        }
    }
}
