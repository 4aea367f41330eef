import Fluent
import Foundation
import SQLKit
import Testing
import ThiDuaCore
import Vapor
import VaporTesting
import ZIPFoundation

@testable import App

/// The year end (issue 8): a movement with its award plan, a unit's dossier with eligibility shown per nominee,
/// quotas, states, the public comment period, the council's secret ballot, results, minutes and decisions as DOCX,
/// and the registry.
@Suite struct YearEndWorkflowTests {
    struct World {
        let f: Fixture
        let office: Browser
        let head: Browser
        let members: [(UUID, Browser)]
        let admin: Browser
        let movement: UUID
        let lan: UUID
        let minh: UUID
    }

    static func today(_ app: Application) -> CivilDate { app.today }

    /// The province, a movement launched 60 days ago with "BKCT at most 1", two people of the Department of Home
    /// Affairs (one with an initiative missing, one under discipline), the reform office, a head, three councillors.
    static func world(_ app: Application) async throws -> World {
        let f = try await Fixture.make(on: app.db)
        let office = try await Browser.signIn(try await app.makeUser("cchc", grants: [(.reformOffice, f.root)]), on: app.db)
        let head = try await Browser.signIn(try await app.makeUser("giamdoc.snv", grants: [(.unitHead, f.snv)]), on: app.db)
        var members: [(UUID, Browser)] = []
        for name in ["hd.an", "hd.binh", "hd.chi"] {
            let id = try await app.makeUser(name, grants: [(.councilMember, f.root)])
            members.append((id, try await Browser.signIn(id, on: app.db)))
        }
        let admin = try await Browser.signIn(try await app.makeUser("quantri", grants: [(.systemAdmin, f.root)]), on: app.db)
        let lan = Person(code: "CB-LAN", fullName: "Nguyễn Thị Lan", sex: .female, birthYear: 1988, position: "Chuyên viên", unitID: f.snv)
        try await lan.create(on: app.db)
        let minh = Person(code: "CB-MINH", fullName: "Lê Văn Minh", sex: .male, birthYear: 1980, position: "Phó trưởng phòng", unitID: f.snvOffice)
        try await minh.create(on: app.db)
        let year = today(app).year
        for p in [lan, minh] {
            for y in [year - 1, year] { try await PerformanceRatingRecord(personID: try p.requireID(), year: y, rating: .outstanding).create(on: app.db) }
        }
        let quan = Person(code: "CB-QUAN", fullName: "Phạm Văn Quân", sex: .male, birthYear: 1975, position: nil, unitID: f.snv)
        try await quan.create(on: app.db)
        try await PersonPeriod(personID: try quan.requireID(), category: .discipline, kind: "reprimand",
                               period: DatePeriod(start: CivilDate(year: year, month: 1, day: 10)!, end: CivilDate(year: year, month: 12, day: 31)!), reference: "7/QĐ-SNV",
                               note: nil).create(on: app.db)
        let t = today(app)
        let created = try await app.post(NominationURL.movements, as: office, form: [
            "name": "Phong trào thi đua cải cách hành chính năm \(year)", "kind": "regular", "year": String(year), "decision_number": "125/QĐ-UBND",
            "decision_date": t.adding(days: -60).iso, "starts": t.adding(days: -60).iso, "ends": t.adding(days: 30).iso, "objectives": "Đẩy mạnh cải cách hành chính",
            "quotas": "BKCT=1", "comment_days": "10",
        ])
        #expect(created.status == .seeOther)
        let movement = try #require(try await AwardMovement.query(on: app.db).first()?.requireID())
        return World(f: f, office: office, head: head, members: members, admin: admin, movement: movement, lan: try lan.requireID(), minh: try minh.requireID())
    }

    @Test func movementsRefuseABadAwardPlan() async throws {
        try await withApp { app in
            let f = try await Fixture.make(on: app.db)
            let office = try await Browser.signIn(try await app.makeUser("cchc", grants: [(.reformOffice, f.root)]), on: app.db)
            let bad = try await app.post(NominationURL.movements, as: office, form: [
                "name": "Phong trào", "kind": "regular", "year": "2026", "decision_number": "1/QĐ-UBND", "decision_date": "2026-01-05", "starts": "2026-01-05",
                "ends": "2025-12-31", "quotas": "BKCT=6, KHONGCO=1", "comment_days": "0",
            ])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.text.contains("Không có hình thức khen thưởng mã KHONGCO"))
            #expect(bad.text.contains("Số ngày lấy ý kiến phải từ 1 đến 90"))
            #expect(try await AwardMovement.query(on: app.db).count() == 0)
            // A unit head may not launch one.
            let head = try await Browser.signIn(try await app.makeUser("truong", grants: [(.unitHead, f.snv)]), on: app.db)
            #expect(try await app.post(NominationURL.movements, as: head, form: ["name": "X"]).status == .forbidden)
        }
    }

    @Test func theWholeYearEnd() async throws {
        try await withApp { app in
            let w = try await Self.world(app)
            let t = Self.today(app)
            // The head opens the unit's dossier (twice: one dossier).
            let opened = try await app.post(NominationURL.nominations(w.movement), as: w.head, form: ["unit": w.f.snv.uuidString])
            #expect(opened.status == .seeOther)
            _ = try await app.post(NominationURL.nominations(w.movement), as: w.head, form: ["unit": w.f.snv.uuidString])
            #expect(try await AwardNomination.query(on: app.db).count() == 1)
            let nomination = try #require(try await AwardNomination.query(on: app.db).first())
            let nid = try nomination.requireID()
            // Another unit's head may not open a dossier for this unit.
            let other = try await Browser.signIn(try await app.makeUser("truong.stc", grants: [(.unitHead, w.f.stc)]), on: app.db)
            #expect(try await app.post(NominationURL.nominations(w.movement), as: other, form: ["unit": w.f.snv.uuidString]).status == .forbidden)
            #expect(try await app.get(NominationURL.nomination(nid), as: other).status == .forbidden)

            // Under discipline this year: blocked, with the reason, no override possible.
            let excluded = try await app.post(NominationURL.nominees(nid), as: w.head, form: [
                "award": "BKCT", "holder": "CB-QUAN", "achievements": "Hoàn thành xuất sắc", "override_reason": "Đơn vị đề nghị",
            ])
            #expect(excluded.status == .unprocessableEntity)
            #expect(excluded.text.contains("Không thể đề nghị: Bị kỷ luật"), "\(excluded.text)")
            // No initiative: not met, so a reason is needed…
            let needsReason = try await app.post(NominationURL.nominees(nid), as: w.head, form: ["award": "BKCT", "holder": "cb-lan", "achievements": "Số hóa 100% hồ sơ"])
            #expect(needsReason.status == .unprocessableEntity && needsReason.text.contains("Nếu vẫn đề nghị, hãy ghi lý do"))
            // …and with one it is added, the rules shown with their data.
            let added = try await app.post(NominationURL.nominees(nid), as: w.head, form: [
                "award": "BKCT", "holder": "cb-lan", "achievements": "Số hóa 100% hồ sơ", "override_reason": "Sáng kiến đang chờ công nhận",
            ])
            #expect(added.status == .seeOther)
            let page = try await app.get(NominationURL.nomination(nid), as: w.head).text
            #expect(page.contains("Nguyễn Thị Lan") && page.contains("Sáng kiến đang chờ công nhận") && page.contains("Không đạt"))
            // One achievement, one award.
            let twice = try await app.post(NominationURL.nominees(nid), as: w.head, form: [
                "award": "BKCT", "holder": "CB-LAN", "achievements": "Lần nữa", "override_reason": "x",
            ])
            #expect(twice.status == .unprocessableEntity && twice.text.contains("Mỗi thành tích chỉ được khen một lần"))
            // A person of another unit cannot be nominated by this one.
            let foreign = Person(code: "CB-STC", fullName: "Người Sở Tài chính", sex: .male, birthYear: 1990, position: nil, unitID: w.f.stc)
            try await foreign.create(on: app.db)
            #expect(try await app.post(NominationURL.nominees(nid), as: w.head, form: ["award": "GK", "holder": "CB-STC", "achievements": "x"]).status == .unprocessableEntity)
            // A person of a sub-unit can; a collective: the unit itself.
            #expect(try await app.post(NominationURL.nominees(nid), as: w.head, form: [
                "award": "BKCT", "holder": "CB-MINH", "achievements": "Rút ngắn 40% thời gian", "override_reason": "Sáng kiến cấp tỉnh đang xét", "grassroots": "on",
            ]).status == .seeOther)

            // Submitting: the letter, report and minutes first; then the quota (BKCT at most 1, 2 nominated).
            let incomplete = try await app.post(NominationURL.step(nid, .submit), as: w.head)
            #expect(incomplete.status == .unprocessableEntity && incomplete.text.contains("Hồ sơ cần số và ngày tờ trình"))
            #expect(try await app.post(NominationURL.nomination(nid), as: w.head, form: [
                "letter_number": "45/TTr-SNV", "letter_date": t.iso, "report": "Báo cáo thành tích năm", "council_minutes": "Hội đồng Sở thống nhất 7/7",
            ]).status == .seeOther)
            let overQuota = try await app.post(NominationURL.step(nid, .submit), as: w.head)
            #expect(overQuota.status == .unprocessableEntity && overQuota.text.contains("Vượt kế hoạch khen thưởng"), "\(overQuota.text)")
            #expect(try await AwardNomination.find(nid, on: app.db)?.state == .draft)
            #expect(try await app.post(NominationURL.step(nid, .submit), as: w.head, form: ["quota_override": "Hai thành tích đặc biệt xuất sắc"]).status == .seeOther)
            #expect(try await AwardNomination.find(nid, on: app.db)?.state == .submitted)
            // Sent: no more edits; submitting twice is refused.
            #expect(try await app.post(NominationURL.nominees(nid), as: w.head, form: ["award": "GK", "holder": "CB-LAN", "achievements": "x"]).status == .forbidden)
            #expect(try await app.post(NominationURL.step(nid, .submit), as: w.head).status == .forbidden)
            // The head cannot receive it; the office can, returns it (a reason needed), the unit resubmits.
            #expect(try await app.post(NominationURL.step(nid, .receive), as: w.head).status == .forbidden)
            #expect(try await app.post(NominationURL.step(nid, .receive), as: w.office).status == .seeOther)
            #expect(try await app.post(NominationURL.step(nid, .returnForCompletion), as: w.office, form: ["reason": ""]).status == .unprocessableEntity)
            #expect(try await app.post(NominationURL.step(nid, .returnForCompletion), as: w.office, form: ["reason": "Bổ sung minh chứng số hóa"]).status == .seeOther)
            #expect(try await app.get(NominationURL.nomination(nid), as: w.head).text.contains("Bổ sung minh chứng số hóa"))
            #expect(try await app.post(NominationURL.step(nid, .submit), as: w.head, form: ["quota_override": "Hai thành tích đặc biệt xuất sắc"]).status == .seeOther)
            #expect(try await app.post(NominationURL.step(nid, .receive), as: w.office).status == .seeOther)
            #expect(try await app.post(NominationURL.step(nid, .review), as: w.office).status == .seeOther)
            let moves = try await AuditRecord.query(on: app.db).filter(\.$entityType == "award_nomination").filter(\.$action == "update").count()
            #expect(moves >= 6)

            // The council may not meet before the candidates were public for comment.
            func session(present: [UUID], held: CivilDate = t) async throws -> TestingHTTPResponse {
                var pairs: [(String, String)] = [("title", "Phiên họp xét khen thưởng"), ("held_on", held.iso), ("chair", "Chủ tịch Hội đồng"),
                                                 ("secretary", "Thư ký"), ("mode", "online"), ("quorum", "2/3")]
                for (id, _) in w.members { pairs.append(("members[]", id.uuidString)) }
                for id in present { pairs.append(("present[]", id.uuidString)) }
                return try await app.post(NominationURL.sessions(w.movement), as: w.office, pairs: pairs)
            }
            let all = w.members.map(\.0)
            let early = try await session(present: all)
            #expect(early.status == .unprocessableEntity && early.text.contains("chưa được công khai lấy ý kiến"))
            #expect(try await app.post(NominationURL.comment(w.movement), as: w.office, form: ["comment_from": t.adding(days: 1).iso]).status == .unprocessableEntity)
            #expect(try await app.post(NominationURL.comment(w.movement), as: w.office, form: ["comment_from": t.iso]).status == .seeOther)
            // The public sees the candidates while the comment runs; the council cannot meet yet.
            let honours = try await app.get(NominationURL.honours, as: .anonymous)
            #expect(honours.status == .ok && honours.text.contains("Nguyễn Thị Lan") && honours.text.contains("Sở Nội vụ"))
            #expect(try await session(present: all).text.contains("đang lấy ý kiến công khai đến hết ngày"))
            // Recorded as posted 15 days ago (10 days of comment): ended.
            #expect(try await app.post(NominationURL.comment(w.movement), as: w.office, form: ["comment_from": t.adding(days: -15).iso]).status == .seeOther)
            // A quorum of 2/3 of 3 needs 2 present.
            let thin = try await session(present: [all[0]])
            #expect(thin.status == .unprocessableEntity && thin.text.contains("Không đủ túc số: 1/3 thành viên có mặt, cần ít nhất 2"))
            #expect(try await session(present: all).status == .seeOther)
            let s = try #require(try await CouncilSession.query(on: app.db).first())
            let sid = try s.requireID()
            let nominees = try await AwardNominee.query(on: app.db).all()
            let lanN = try #require(nominees.first { $0.personID == w.lan }).requireID()
            let minhN = try #require(nominees.first { $0.personID == w.minh }).requireID()

            // While the ballot is open the dossier cannot be sent back.
            let returned = try await app.post(NominationURL.step(nid, .returnForCompletion), as: w.office, form: ["reason": "Bổ sung"])
            #expect(returned.status == .unprocessableEntity && returned.text.contains("phiên bỏ phiếu chưa kết thúc"))
            // Member 0 declares a conflict with Minh; an incomplete ballot is refused; a choice for Minh too.
            let (_, a) = w.members[0], (_, b) = w.members[1], (_, c) = w.members[2]
            #expect(try await app.post(CouncilURL.recuse(sid), as: a, form: ["nominee": minhN.uuidString, "reason": "Cùng phòng, quan hệ gia đình"]).status == .seeOther)
            #expect(try await app.post(CouncilURL.ballot(sid), as: a, form: [:]).status == .unprocessableEntity)
            #expect(try await app.post(CouncilURL.ballot(sid), as: a, form: ["n-" + lanN.uuidString: "yes", "n-" + minhN.uuidString: "yes"]).status == .unprocessableEntity)
            let trailBefore = try await AuditRecord.query(on: app.db).count()
            #expect(try await app.post(CouncilURL.ballot(sid), as: a, form: ["n-" + lanN.uuidString: "yes"]).status == .seeOther)
            // Twice: refused, counters unchanged.
            #expect(try await app.post(CouncilURL.ballot(sid), as: a, form: ["n-" + lanN.uuidString: "no"]).status == .conflict)
            #expect(try await app.post(CouncilURL.ballot(sid), as: b, form: ["n-" + lanN.uuidString: "yes", "n-" + minhN.uuidString: "yes"]).status == .seeOther)
            #expect(try await app.post(CouncilURL.ballot(sid), as: c, form: ["n-" + lanN.uuidString: "yes", "n-" + minhN.uuidString: "abstain"]).status == .seeOther)
            // Neither the reform office, the administrator nor a head can vote.
            for x in [w.office, w.admin, w.head] {
                #expect(try await app.post(CouncilURL.ballot(sid), as: x, form: ["n-" + lanN.uuidString: "yes"]).status == .forbidden)
            }

            // Secrecy: no ballot rows; the counters are the only place choices went; the tables have no link.
            let tallies = try await CouncilTally.query(on: app.db).filter(\.$session.$id == sid).all()
            #expect(tallies.count == 2)
            #expect(tallies.first { $0.$nominee.id == lanN }?.tally == Tally(yes: 3))
            #expect(tallies.first { $0.$nominee.id == minhN }?.tally == Tally(yes: 1, abstain: 1))
            let sql = try #require(app.db as? any SQLDatabase)
            let tallyColumns = try await Self.columns("council_tallies", on: sql)
            #expect(Set(tallyColumns) == ["id", "session_id", "nominee_id", "yes", "no", "abstain", "outcome", "needed"])
            let memberColumns = try await Self.columns("council_members", on: sql)
            #expect(Set(memberColumns) == ["id", "session_id", "user_id", "name", "present", "voted"])
            // The trail records that each member voted — never a choice, never a counter.
            let entries = try await AuditRecord.query(on: app.db).sort(\.$id).all().dropFirst(trailBefore)
            #expect(entries.allSatisfy { $0.entityType == "council_member" }, "\(entries.map(\.entityType))")
            #expect(entries.allSatisfy { !($0.after ?? "").contains("yes\":") && !($0.after ?? "").contains(lanN.uuidString) })

            // Closing: Lan 3/3 ≥ 70 % of 3 (needs 3) passes; Minh 1 yes, base 2 members (one recused), needs 2: fails.
            #expect(try await app.post(CouncilURL.close(sid), as: w.office).status == .seeOther)
            #expect(try await AwardNominee.find(lanN, on: app.db)?.result == "passed")
            #expect(try await AwardNominee.find(minhN, on: app.db)?.result == "failed")
            #expect(try await AwardNomination.find(nid, on: app.db)?.state == .voted)
            // After the close: no votes, no second close.
            #expect(try await app.post(CouncilURL.ballot(sid), as: b, form: ["n-" + lanN.uuidString: "yes"]).status == .forbidden)
            #expect(try await app.post(CouncilURL.close(sid), as: w.office).status == .forbidden)
            let results = try await app.get(CouncilURL.session(sid), as: w.office).text
            #expect(results.contains("Kết quả bỏ phiếu") && results.contains("Cùng phòng, quan hệ gia đình"))
            // The minutes as DOCX.
            let minutes = try await app.get(CouncilURL.minutes(sid), as: w.office)
            #expect(minutes.status == .ok)
            let minutesXML = try Self.documentXML(Data(buffer: minutes.body))
            #expect(minutesXML.contains("BIÊN BẢN") && minutesXML.contains("Nguyễn Thị Lan") && minutesXML.contains("3/0/0"))

            // The decision: drafted, downloaded, recorded once, published; the registry shows the award.
            #expect(try await app.post(NominationURL.decisions(w.movement), as: w.office).status == .seeOther)
            let d = try #require(try await AwardDecision.query(on: app.db).first())
            let did = try d.requireID()
            let draftXML = try Self.documentXML(Data(buffer: try await app.get(DecisionURL.docx(did), as: w.office).body))
            #expect(draftXML.contains("QUYẾT ĐỊNH") && draftXML.contains("Số:       /QĐ-UBND") && draftXML.contains("Nguyễn Thị Lan"))
            #expect(draftXML.contains("ỦY BAN NHÂN DÂN TỈNH ỦY BAN NHÂN DÂN") == false)
            let noNumber = try await app.post(DecisionURL.sign(did), as: w.office, form: ["number": "", "signed_on": t.iso, "signer": "Trần Văn Bình"])
            #expect(noNumber.status == .unprocessableEntity)
            #expect(try await AwardRecord.query(on: app.db).count() == 0)
            #expect(try await app.post(DecisionURL.sign(did), as: w.office, form: ["number": "1234", "signed_on": t.iso, "signer": "Trần Văn Bình"]).status == .seeOther)
            let twiceSigned = try await app.post(DecisionURL.sign(did), as: w.office, form: ["number": "1235", "signed_on": t.iso, "signer": "Trần Văn Bình"])
            #expect(twiceSigned.status == .unprocessableEntity && twiceSigned.text.contains("không ghi lại được"))
            let records = try await AwardRecord.query(on: app.db).all()
            #expect(records.count == 1 && records[0].personID == w.lan && records[0].decisionNumber == "1234/QĐ-UBND" && records[0].merit)
            #expect(try await AwardNomination.find(nid, on: app.db)?.state == .decided)
            let signedXML = try Self.documentXML(Data(buffer: try await app.get(DecisionURL.docx(did), as: w.office).body))
            #expect(signedXML.contains("Số: 1234/QĐ-UBND") && signedXML.contains("Trần Văn Bình"))
            #expect(try await app.post(DecisionURL.publish(did), as: w.office).status == .seeOther)
            #expect(try await AwardNomination.find(nid, on: app.db)?.state == .published)
            #expect(try await app.get(NominationURL.honours, as: .anonymous).text.contains("Quyết định số 1234/QĐ-UBND"))
            let registry = try await app.get(AwardURL.registry + "?person=CB-LAN", as: w.office).text
            #expect(registry.contains("Bằng khen của Chủ tịch UBND tỉnh") && registry.contains("1234"))
            let certificate = try await app.get(DecisionURL.certificate(try records[0].requireID()), as: w.office)
            #expect(certificate.status == .ok && certificate.text.contains("Nguyễn Thị Lan"))
            // The decision is revoked as a whole (criteria later found unmet): a reason and the revoking decision are
            // needed, not before the award; the record stays, marked; twice is refused.
            let unreasoned = try await app.post(DecisionURL.revoke(did), as: w.office, form: ["ground": "criteria_unmet", "decision_number": "", "revoked_on": t.iso, "reason": ""])
            #expect(unreasoned.status == .unprocessableEntity && unreasoned.text.contains("Hãy ghi lý do thu hồi"))
            let beforeAward = try await app.post(DecisionURL.revoke(did), as: w.office, form: [
                "ground": "criteria_unmet", "decision_number": "77/QĐ-UBND", "revoked_on": t.adding(days: -1).iso, "reason": "Sáng kiến không được công nhận",
            ])
            #expect(beforeAward.status == .unprocessableEntity)
            let revokeForm = ["ground": "criteria_unmet", "decision_number": "77/QĐ-UBND", "revoked_on": t.iso, "reason": "Sáng kiến không được công nhận",
                              "recovery": "Thu hồi bằng khen và 1.490.000 đồng"]
            #expect(try await app.post(DecisionURL.revoke(did), as: w.office, form: revokeForm).status == .seeOther)
            let revoked = try #require(try await AwardRecord.find(try records[0].requireID(), on: app.db))
            #expect(revoked.revokedOn == t.iso && revoked.revokedByDecision == "77/QĐ-UBND" && revoked.recovery == "Thu hồi bằng khen và 1.490.000 đồng")
            let again = try await app.post(DecisionURL.revoke(did), as: w.office, form: revokeForm)
            #expect(again.status == .unprocessableEntity && again.text.contains("đã bị thu hồi"))
            #expect(try await app.get(DecisionURL.decision(did), as: w.office).text.contains("Quyết định đã bị thu hồi"))
            let publicPage = try await app.get(NominationURL.honours, as: .anonymous).text
            #expect(publicPage.contains("Quyết định số 1234/QĐ-UBND") && publicPage.contains("Đã thu hồi"))
            // Every change to votes' results and decisions is in the trail.
            #expect(try await AuditRecord.query(on: app.db).filter(\.$entityType == "award_decision").count() == 4)
            #expect(try await AuditRecord.query(on: app.db).filter(\.$entityType == "council_result").count() == 1)
        }
    }

    /// Paper ballots: the secretary enters counts, never more than the members present who may vote.
    @Test func paperCountsAreBoundedByThoseWhoMayVote() async throws {
        try await withApp { app in
            let w = try await Self.world(app)
            let t = Self.today(app)
            _ = try await app.post(NominationURL.nominations(w.movement), as: w.head, form: ["unit": w.f.snv.uuidString])
            let nid = try #require(try await AwardNomination.query(on: app.db).first()?.requireID())
            // A unit-level title is decided in the unit, not proposed to the province.
            let unitLevel = try await app.post(NominationURL.nominees(nid), as: w.head, form: ["award": "CSTDCS", "holder": "CB-LAN", "achievements": "Sáng kiến số hóa"])
            #expect(unitLevel.status == .unprocessableEntity && unitLevel.text.contains("không đề nghị lên tỉnh"))
            #expect(try await app.post(NominationURL.nominees(nid), as: w.head, form: ["award": "TTLDXS", "holder": "SNV", "achievements": "Dẫn đầu khối"]).status == .seeOther)
            _ = try await app.post(NominationURL.nomination(nid), as: w.head, form: ["letter_number": "1/TTr", "letter_date": t.iso, "report": "r", "council_minutes": "m"])
            #expect(try await app.post(NominationURL.step(nid, .submit), as: w.head).status == .seeOther)
            _ = try await app.post(NominationURL.step(nid, .receive), as: w.office)
            _ = try await app.post(NominationURL.step(nid, .review), as: w.office)
            _ = try await app.post(NominationURL.comment(w.movement), as: w.office, form: ["comment_from": t.adding(days: -20).iso])
            var pairs: [(String, String)] = [("title", "Phiên giấy"), ("held_on", t.iso), ("chair", "Chủ tịch"), ("secretary", "Thư ký"), ("mode", "paper"), ("quorum", "50%")]
            for (id, _) in w.members { pairs.append(("members[]", id.uuidString)) }
            for (id, _) in w.members.prefix(2) { pairs.append(("present[]", id.uuidString)) }
            #expect(try await app.post(NominationURL.sessions(w.movement), as: w.office, pairs: pairs).status == .seeOther)
            let sid = try #require(try await CouncilSession.query(on: app.db).first()?.requireID())
            let n = try #require(try await AwardNominee.query(on: app.db).first()?.requireID())
            // A member cannot vote online in a paper session.
            #expect(try await app.post(CouncilURL.ballot(sid), as: w.members[0].1, form: ["n-" + n.uuidString: "yes"]).status == .forbidden)
            let tooMany = try await app.post(CouncilURL.paper(sid), as: w.office, form: ["y-" + n.uuidString: "2", "no-" + n.uuidString: "1", "a-" + n.uuidString: "0"])
            #expect(tooMany.status == .unprocessableEntity && tooMany.text.contains("vượt số thành viên có mặt"))
            #expect(try await app.post(CouncilURL.paper(sid), as: w.office, form: ["y-" + n.uuidString: "-1"]).status == .unprocessableEntity)
            // No counts yet: the session cannot close.
            #expect(try await app.post(CouncilURL.close(sid), as: w.office).status == .forbidden)
            #expect(try await app.post(CouncilURL.paper(sid), as: w.office, form: ["y-" + n.uuidString: "2"]).status == .seeOther)
            #expect(try await app.post(CouncilURL.close(sid), as: w.office).status == .seeOther)
            // 2 yes of 3 members: 70 % of all 3 needs 3 — not passed, although everyone present said yes.
            #expect(try await AwardNominee.find(n, on: app.db)?.result == "failed")
            #expect(try await AuditRecord.query(on: app.db).filter(\.$entityType == "council_paper_count").count() == 1)
        }
    }

    /// Registrations and pledges at the start of the year; scoring by the movement's criteria ranked per block with the
    /// source of every number; deductions need a reference; the review reports on screen and as DOCX.
    @Test func registrationsScoringAndReviews() async throws {
        try await withApp { app in
            let w = try await Self.world(app)
            let t = Self.today(app)
            let year = t.year
            let block = EmulationBlock(year: year, code: "KSO", name: "Khối các sở")
            try await block.create(on: app.db)
            let bid = try block.requireID()
            for u in [w.f.snv, w.f.stc] { try await BlockMember(blockID: bid, unitID: u).create(on: app.db) }

            // The head registers Lan and the department; twice is refused; a person of another unit too.
            let reg = try await app.post(EmulationURL.registrations(w.movement), as: w.head, form: [
                "reg_unit": w.f.snv.uuidString, "reg_award": "BKCT", "reg_holder": "cb-lan", "reg_targets": "1 sáng kiến cấp cơ sở; 100% hồ sơ đúng hạn",
            ])
            #expect(reg.status == .seeOther)
            #expect(try await app.post(EmulationURL.registrations(w.movement), as: w.head, form: [
                "reg_unit": w.f.snv.uuidString, "reg_award": "BKCT", "reg_holder": "CB-LAN", "reg_targets": "lần nữa",
            ]).status == .unprocessableEntity)
            #expect(try await app.post(EmulationURL.registrations(w.movement), as: w.head, form: [
                "reg_unit": w.f.snv.uuidString, "reg_award": "TTLDXS", "reg_holder": "", "reg_targets": "Tập thể lao động xuất sắc",
            ]).status == .seeOther)
            #expect(try await app.post(EmulationURL.registrations(w.movement), as: w.head, form: ["reg_unit": w.f.stc.uuidString, "reg_award": "GK", "reg_holder": "", "reg_targets": "x"])
                .status == .forbidden)
            // The block's pledge (the office records it), once.
            #expect(try await app.post(EmulationURL.pledges(w.movement), as: w.office, form: ["block": bid.uuidString, "signed_on": t.iso, "content": "Giao ước 100% TTHC trực tuyến"])
                .status == .seeOther)
            #expect(try await app.post(EmulationURL.pledges(w.movement), as: w.office, form: ["block": bid.uuidString, "signed_on": t.iso, "content": "Lần nữa"])
                .status == .unprocessableEntity)
            let movementPage = try await app.get(NominationURL.movement(w.movement), as: w.head).text
            #expect(movementPage.contains("1 sáng kiến cấp cơ sở") && movementPage.contains("Giao ước 100% TTHC trực tuyến") && movementPage.contains("Sở Tài chính"))
            // The registration is shown with the nominee at review time.
            _ = try await app.post(NominationURL.nominations(w.movement), as: w.head, form: ["unit": w.f.snv.uuidString])
            let nid = try #require(try await AwardNomination.query(on: app.db).first()?.requireID())
            _ = try await app.post(NominationURL.nominees(nid), as: w.head, form: ["award": "BKCT", "holder": "CB-LAN", "achievements": "Sáng kiến số hóa", "override_reason": "x"])
            let dossierPage = try await app.get(NominationURL.nomination(nid), as: w.head).text
            #expect(dossierPage.contains("Đã đăng ký thi đua: 1 sáng kiến cấp cơ sở") && dossierPage.contains("Xét theo: Danh mục khởi tạo"))
            // Evidence: a file recognised by its content (a text file named .pdf is refused), or a document's reference.
            let fake = try await app.upload(NominationURL.evidence(nid), as: w.head, fields: [:], fileName: "bao-cao.pdf", data: Data("xin chào".utf8))
            #expect(fake.status == .unprocessableEntity)
            let pdf = Data("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".utf8)
            #expect(try await app.upload(NominationURL.evidence(nid), as: w.head, fields: ["doc_number": "12/QĐ-SNV"], fileName: "quyet-dinh.pdf", data: pdf).status == .seeOther)
            let evidence = try #require(try await AwardEvidence.query(on: app.db).first())
            #expect(evidence.docNumber == "12/QĐ-SNV" && evidence.fileName == "quyet-dinh.pdf")
            #expect(try await app.get(NominationURL.evidenceFile(try evidence.requireID()), as: w.head).status == .ok)
            let stranger = try await Browser.signIn(try await app.makeUser("truong.stc2", grants: [(.unitHead, w.f.stc)]), on: app.db)
            #expect(try await app.get(NominationURL.evidenceFile(try evidence.requireID()), as: stranger).status == .forbidden)

            // Scoring: entered points for the manual criterion (bounded), a deduction (reference required).
            #expect(try await app.post(EmulationURL.scores(w.movement), as: w.office, form: ["unit": w.f.snv.uuidString, "criterion": "PT", "points": "11"])
                .status == .unprocessableEntity)
            #expect(try await app.post(EmulationURL.scores(w.movement), as: w.office, form: ["unit": w.f.snv.uuidString, "criterion": "PAR", "points": "5"])
                .status == .unprocessableEntity)  // a data criterion cannot be typed in
            #expect(try await app.post(EmulationURL.scores(w.movement), as: w.office, form: ["unit": w.f.snv.uuidString, "criterion": "PT", "points": "8,5"])
                .status == .seeOther)
            #expect(try await app.post(EmulationURL.scores(w.movement), as: w.office, form: ["unit": w.f.snv.uuidString, "criterion": "PT", "points": "9"])
                .status == .seeOther)  // replaces
            #expect(try await app.post(EmulationURL.scores(w.movement), as: w.office, form: ["unit": w.f.stc.uuidString, "criterion": "PT", "points": "7"]).status == .seeOther)
            let noRef = try await app.post(EmulationURL.deductions(w.movement), as: w.office, form: ["d_unit": w.f.snv.uuidString, "d_points": "2", "d_note": "Chậm báo cáo"])
            #expect(noRef.status == .unprocessableEntity)
            #expect(try await app.post(EmulationURL.deductions(w.movement), as: w.office, form: [
                "d_unit": w.f.snv.uuidString, "d_points": "2,5", "d_note": "Chậm báo cáo", "d_reference": "KL 12/KL-TTr",
            ]).status == .seeOther)
            #expect(try await app.post(EmulationURL.scores(w.movement), as: w.head, form: ["unit": w.f.snv.uuidString, "criterion": "PT", "points": "10"]).status == .forbidden)
            let m = try #require(try await AwardMovement.find(w.movement, on: app.db))
            let units = try await Unit.query(on: app.db).filter(\.$id ~~ [w.f.snv, w.f.stc]).all()
            let rows = try await EmulationController.scores(m, units: units, app: app, on: app.db)
            let snv = try #require(rows.first { $0.unit.id == w.f.snv })
            #expect(snv.score.lines.first { $0.code == "PT" }?.points == Points(9))
            #expect(snv.score.deducted == Points(e4: 25_000) && snv.score.total == Points(e4: 65_000))
            #expect(rows.first?.unit.id == w.f.stc)  // 7 > 6.5
            let page = try await app.get(EmulationURL.scores(w.movement) + "?block=" + bid.uuidString, as: w.head).text
            #expect(page.contains("Sở Nội vụ chấm") && page.contains("chưa công bố Chỉ số CCHC") && page.contains("KL 12/KL-TTr") && page.contains("6,5"))
            #expect(try await AuditRecord.query(on: app.db).filter(\.$entityType == "emulation_entry").count() == 4)

            // The scheme is data the office edits (checked).
            #expect(try await app.post(EmulationURL.scheme(w.movement), as: w.office, form: ["json": "{\"criteria\": []}"]).status == .unprocessableEntity)
            var scheme = EmulationScheme.starting
            scheme.criteria[4].max = Points(20)
            let json = String(decoding: try JSONEncoder().encode(scheme), as: UTF8.self)
            #expect(try await app.post(EmulationURL.scheme(w.movement), as: w.office, form: ["json": json]).status == .seeOther)
            #expect(try await AwardMovement.find(w.movement, on: app.db)?.scheme.total == Points(110))

            // The reviews: on screen and as DOCX, with participation, results by block, awards, the PAR trend and initiatives.
            let review = try await app.get(EmulationURL.review(w.movement) + "?kind=final", as: w.head)
            #expect(review.status == .ok)
            #expect(review.text.contains("Tổng kết phong trào thi đua") && review.text.contains("1 đơn vị đăng ký thi đua với 2 đăng ký danh hiệu"))
            #expect(review.text.contains("1/1 khối, cụm ký kết giao ước thi đua") && review.text.contains("Khối các sở: 2 đơn vị; dẫn đầu: Sở Tài chính"))
            let docx = try await app.get(EmulationURL.review(w.movement) + "?kind=midterm&format=docx", as: w.head)
            let xml = try Self.documentXML(Data(buffer: docx.body))
            #expect(xml.contains("BÁO CÁO") && xml.contains("Sơ kết phong trào thi đua") && xml.contains("KẾT QUẢ CHẤM ĐIỂM THI ĐUA THEO KHỐI, CỤM"))
        }
    }

    static func columns(_ table: String, on sql: any SQLDatabase) async throws -> [String] {
        struct Row: Decodable { let name: String }
        if sql.dialect.name == "sqlite" {
            return try await sql.raw("SELECT name FROM pragma_table_info(\(bind: table))").all(decoding: Row.self).map(\.name)
        }
        return try await sql.raw("SELECT column_name AS name FROM information_schema.columns WHERE table_name = \(bind: table) AND table_schema = current_schema()")
            .all(decoding: Row.self).map(\.name)
    }

    static func documentXML(_ data: Data) throws -> String {
        let archive = try Archive(data: data, accessMode: .read, pathEncoding: nil)
        guard let entry = archive["word/document.xml"] else { return "" }
        var out = Data()
        _ = try archive.extract(entry) { out.append($0) }
        return String(decoding: out, as: UTF8.self)
    }
}
