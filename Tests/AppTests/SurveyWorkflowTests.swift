import Fluent
import Foundation
import SQLKit
import Testing
import ThiDuaCore
import Vapor
import VaporTesting

@testable import App

/// Issue 5: questionnaires, campaigns, public answers (link, kiosk), paper entry, receipts, integrity, results,
/// exports and the PAR-Index feeds — through HTTP, on SQLite and PostgreSQL alike.
@Suite(.serialized) struct SurveyWorkflowTests {
    static let today = CivilDate(year: 2026, month: 6, day: 15)!

    struct Setup {
        let f: Fixture
        let office: Browser
        let officer: Browser
        let campaignID: UUID
        let tokens: [UUID: String]
    }

    /// The office adds the starters, publishes the SIPAS questionnaire and opens a campaign over two communes.
    static func setUp(_ app: Application, receipts: Bool = false, rules: (Int, Int) = (5, 8)) async throws -> Setup {
        let f = try await Fixture.make(on: app.db)
        let office = try await Browser.signIn(try await app.makeUser("cchc", grants: [(.reformOffice, f.root)]), on: app.db)
        let officer = try await Browser.signIn(try await app.makeUser("canbo.xtp", grants: [(.unitOfficer, f.commune1)]), on: app.db)
        #expect(try await app.post(SurveyURL.starters, as: office).status == .seeOther)
        let q = try #require(try await SurveyQuestionnaire.query(on: app.db).filter(\.$code == "sipas-co-ban").first())
        #expect(try await app.post(SurveyURL.publish(try q.requireID()), as: office).status == .seeOther)
        var body = "title=Kh%E1%BA%A3o+s%C3%A1t+2026&questionnaire=\(try q.requireID())&starts_on=2026-01-01&ends_on=2026-12-31&units=XTP+XTH"
        body += "&channel=link&channel=kiosk&channel=paper&field=dat_dai&field=tu_phap&criterion=&window_seconds=1800"
        body += "&quarantine_after=\(rules.0)&refuse_after=\(rules.1)&kiosk_min_seconds=10" + (receipts ? "&receipts=on" : "")
        let created = try await app.postRaw(SurveyURL.campaigns, as: office, body: body)
        #expect(created.status == .seeOther, "\(created.text)")
        let c = try #require(try await SurveyCampaign.query(on: app.db).first())
        #expect(try await app.post(SurveyURL.campaignStatus(try c.requireID()), as: office, form: ["status": "open"]).status == .seeOther)
        let points = try await SurveyPoint.query(on: app.db).all()
        return Setup(f: f, office: office, officer: officer, campaignID: try c.requireID(),
                     tokens: Dictionary(uniqueKeysWithValues: points.map { ($0.$unit.id, $0.token) }))
    }

    /// A full, valid SIPAS answer: in person, satisfied with everything but the procedure.
    static func answer(_ extra: String = "", key: String = UUID().uuidString, procedure: String = "2") -> String {
        "_key=\(key)&_field=dat_dai&q.kenh=truc_tiep&q.so_lan=1&q.tiep_can=5&q.thu_tuc=\(procedure)&q.cong_chuc.thai_do=4&q.cong_chuc.huong_dan=5"
            + "&q.cong_chuc.tuan_thu=3&q.dung_hen=yes&q.ket_qua=4&q.da_gop_y=no&q.mong_doi=nhanh&q.mong_doi=truc_tuyen" + extra
    }

    static func count(_ app: Application, status: String? = nil) async throws -> Int {
        var q = SurveyResponseRow.query(on: app.db)
        if let status { q = q.filter(\.$status == status) }
        return try await q.count()
    }

    @Test func aCitizenAnswersOnThePublicPageAndTheIndexIsComputedPerFactor() async throws {
        try await withApp(configure: { $0.fixedToday = Self.today }) { app in
            let s = try await Self.setUp(app)
            let token = try #require(s.tokens[s.f.commune1])
            let page = try await app.get(SurveyURL.respond(token), as: .anonymous)
            #expect(page.status == .ok)
            #expect(page.text.contains("Xã Tân Phong"))
            #expect(page.text.contains("data-if-q=\"q.kenh\""))
            #expect(page.text.contains(Assets.surveyScriptPath))

            let sent = try await app.postRaw(SurveyURL.respond(token), as: .anonymous, body: Self.answer(), userAgent: "phone-1")
            #expect(sent.status == .seeOther)
            #expect(sent.location == SurveyURL.thanks(token))
            #expect(try await app.get(sent.location ?? "", as: .anonymous).text.contains("Cảm ơn"))
            // A second person, dissatisfied with the official's compliance too.
            #expect(try await app.postRaw(SurveyURL.respond(token), as: .anonymous, body: Self.answer(procedure: "5"), userAgent: "phone-2").status == .seeOther)

            let r = try await SurveyService.results(campaign: s.campaignID, on: app.db)
            #expect(r.total.responses == 2)
            // access: tiep_can 5,5 → 2/2; procedure: 2 and 5 → 1/2; official: rows 4,5,3 twice → 4/6; result: 4,4 → 2/2.
            #expect(r.total.factors[.access] == SatisfactionTally(satisfied: 2, answered: 2))
            #expect(r.total.factors[.procedure] == SatisfactionTally(satisfied: 1, answered: 2))
            #expect(r.total.factors[.official] == SatisfactionTally(satisfied: 4, answered: 6))
            #expect(r.total.factors[.result] == SatisfactionTally(satisfied: 2, answered: 2))
            #expect(r.total.factors[.feedback] == nil)
            // pooled: 9 of 12 = 75 %; mean of factors: (100 + 50 + 66.67 + 100) / 4 = 79.17 %
            #expect(r.total.overall(.pooled) == Points(75))
            #expect(r.total.overall(.meanOfFactors) == Points(parsing: "79.17"))
            #expect(r.byField["dat_dai"]?.responses == 2)
            #expect(r.byUnit[s.f.commune1]?.responses == 2)

            let results = try await app.get(SurveyURL.results(s.campaignID), as: s.office)
            #expect(results.status == .ok)
            #expect(results.text.contains("<svg class=\"chart\" role=\"img\""))
            #expect(results.text.contains("75,00 %"))
            #expect(results.text.contains("Mẫu nhỏ"))

            // The PAR Index reads the unit's satisfaction as a metric.
            let metric = try await SatisfactionMetricSource().values(for: [s.f.commune1, s.f.commune2], year: 2026, on: app.db)
            #expect(metric[s.f.commune1]?[.satisfactionRate] == Points(75))
            #expect(metric[s.f.commune2] == nil)
        }
    }

    @Test func badAnswersAreRefusedWithReasonsAndNothingIsStored() async throws {
        try await withApp(configure: { $0.fixedToday = Self.today }) { app in
            let s = try await Self.setUp(app)
            let token = try #require(s.tokens[s.f.commune1])
            let cases: [(String, String)] = [
                (Self.answer("&q.cong_dvc=5"), "không áp dụng"),  // hidden: applied in person
                (Self.answer().replacingOccurrences(of: "q.tiep_can=5", with: "q.tiep_can=9"), "không nằm trong các phương án"),
                (Self.answer("&q.khong_co=1"), "không có trong phiếu"),
                (Self.answer("&q.gop_y=" + String(repeating: "a", count: 1_500)), "quá dài"),
                (Self.answer().replacingOccurrences(of: "&q.ket_qua=4", with: ""), "Xin trả lời Câu 8"),
                (Self.answer().replacingOccurrences(of: "_field=dat_dai", with: "_field=xay_dung"), "không thuộc đợt"),
                (Self.answer().replacingOccurrences(of: "q.tiep_can=5", with: "q.tiep_can=5&q.tiep_can=4"), "chỉ chọn một"),
            ]
            for (body, message) in cases {
                let res = try await app.postRaw(SurveyURL.respond(token), as: .anonymous, body: body, userAgent: "phone-x")
                #expect(res.status == .badRequest, "\(message)")
                #expect(res.text.contains(message), "\(message)")
            }
            #expect(try await Self.count(app) == 0)
            // HTML in free text is stored as typed and shown escaped; the export neutralises a formula.
            let html = "<script>alert(1)</script>"
            let ok = try await app.postRaw(SurveyURL.respond(token), as: .anonymous,
                                           body: Self.answer("&q.gop_y=" + html.addingPercentEncoding(withAllowedCharacters: .alphanumerics)! + "&q.mong_doi=thai_do"),
                                           userAgent: "phone-y")
            #expect(ok.status == .seeOther)
            let csv = try await app.get(SurveyURL.export(s.campaignID, "responses", "csv"), as: s.office)
            #expect(csv.status == .ok)
            #expect(csv.text.contains(html))
            let formula = try await app.postRaw(SurveyURL.respond(token), as: .anonymous,
                                                body: Self.answer("&q.gop_y=%3DHYPERLINK(%22x%22)"), userAgent: "phone-z")
            #expect(formula.status == .seeOther)
            let csv2 = try await app.get(SurveyURL.export(s.campaignID, "responses", "csv"), as: s.office)
            #expect(csv2.text.contains("'=HYPERLINK"))
            #expect(!csv2.text.contains(",=HYPERLINK"))
        }
    }

    @Test func floodsAreQuarantinedThenRefusedAndResentFormsCountOnce() async throws {
        try await withApp(configure: { $0.fixedToday = Self.today }) { app in
            let s = try await Self.setUp(app, rules: (2, 4))
            let token = try #require(s.tokens[s.f.commune1])
            var statuses: [HTTPStatus] = []
            for _ in 0..<5 {
                statuses.append(try await app.postRaw(SurveyURL.respond(token), as: .anonymous, body: Self.answer(), userAgent: "same-phone").status)
            }
            #expect(statuses == [.seeOther, .seeOther, .seeOther, .seeOther, .tooManyRequests])
            #expect(try await Self.count(app, status: "accepted") == 2)
            #expect(try await Self.count(app, status: "quarantined") == 2)
            // The honeypot sends the answer to review, not to the bin.
            #expect(try await app.postRaw(SurveyURL.respond(token), as: .anonymous, body: Self.answer("&website=http%3A%2F%2Fspam"), userAgent: "bot").status == .seeOther)
            let held = try await SurveyResponseRow.query(on: app.db).filter(\.$status == "quarantined").all()
            #expect(Set(held.compactMap(\.reason)) == ["burst", "honeypot"])
            // The same form sent twice (a double tap, a retried connection) is stored once.
            let key = UUID().uuidString
            for _ in 0..<2 { #expect(try await app.postRaw(SurveyURL.respond(token), as: .anonymous, body: Self.answer(key: key), userAgent: "phone-k").status == .seeOther) }
            #expect(try await SurveyResponseRow.query(on: app.db).filter(\.$submissionKey == key).count() == 1)
            // No raw address is stored: the fingerprint is a 32-character digest.
            #expect(try await SurveyResponseRow.query(on: app.db).all().allSatisfy { $0.fingerprint.count == 32 && !$0.fingerprint.contains(".") })

            // Review: accepting one moves it into the results, in the audit trail.
            let quarantine = try await app.get(SurveyURL.quarantine(s.campaignID), as: s.office)
            #expect(quarantine.text.contains("Gửi dồn dập"))
            let one = try #require(held.first)
            #expect(try await app.post(SurveyURL.review(try one.requireID()), as: s.office, form: ["decision": "accepted"]).status == .seeOther)
            #expect(try await Self.count(app, status: "accepted") == 4)
            #expect(try await AuditRecord.query(on: app.db).filter(\.$entityType == "survey_response").count() == 1)
            // A unit officer may not review.
            #expect(try await app.post(SurveyURL.review(try held[1].requireID()), as: s.officer, form: ["decision": "accepted"]).status == .forbidden)
        }
    }

    @Test func kioskPaperAndReceipts() async throws {
        try await withApp(configure: { $0.fixedToday = Self.today }) { app in
            let s = try await Self.setUp(app, receipts: true)
            let token = try #require(s.tokens[s.f.commune1])
            let pointID = try #require(try await SurveyPoint.query(on: app.db).filter(\.$token == token).first()?.requireID())
            // Receipt codes, made by the unit's officer.
            let made = try await app.post(SurveyURL.receipts(s.campaignID, pointID), as: s.officer, form: ["count": "3"])
            #expect(made.status == .ok)
            let codes = try await SurveyReceipt.query(on: app.db).all().map(\.code)
            #expect(codes.count == 3)
            // Without a code: refused; with one: accepted; the same code again: refused.
            #expect(try await app.postRaw(SurveyURL.respond(token), as: .anonymous, body: Self.answer(), userAgent: "p1").text.contains("Xin nhập mã phiếu"))
            #expect(try await app.postRaw(SurveyURL.respond(token), as: .anonymous, body: Self.answer("&_receipt=" + codes[0]), userAgent: "p1").status == .seeOther)
            let replay = try await app.postRaw(SurveyURL.respond(token), as: .anonymous, body: Self.answer("&_receipt=" + codes[0]), userAgent: "p2")
            #expect(replay.status == .badRequest)
            #expect(replay.text.contains("đã được dùng"))
            // Kiosk: thanks page returns to a fresh form.
            let kiosk = try await app.postRaw(SurveyURL.kiosk(token), as: .anonymous, body: Self.answer("&_receipt=" + codes[1]), userAgent: "tablet")
            #expect(kiosk.location == SurveyURL.thanks(token) + "?kiosk=1")
            #expect(try await app.get(kiosk.location ?? "", as: .anonymous).text.contains("data-kiosk-reset=\"\(SurveyURL.kiosk(token))\""))
            // Paper: typed by the officer, dated, marked and audited; another unit's officer may not.
            let paperForm = try await app.get(SurveyURL.paper(s.campaignID, pointID), as: s.officer)
            #expect(paperForm.text.contains("name=\"_field\"") && paperForm.text.contains("name=\"_paper_date\""))
            let paper = try await app.postRaw(SurveyURL.paper(s.campaignID, pointID), as: s.officer, body: Self.answer("&_paper_date=2026-05-02"))
            #expect(paper.status == .seeOther, "\(paper.text)")
            let stored = try #require(try await SurveyResponseRow.query(on: app.db).filter(\.$channel == "paper").first())
            #expect(stored.enteredBy != nil)
            #expect(stored.month == "2026-05")
            #expect(try await AuditRecord.query(on: app.db).filter(\.$entityType == "survey_response").count() == 1)
            let otherPoint = try #require(try await SurveyPoint.query(on: app.db).filter(\.$token == (s.tokens[s.f.commune2] ?? "")).first())
            #expect(try await app.postRaw(SurveyURL.paper(s.campaignID, try otherPoint.requireID()), as: s.officer, body: Self.answer("&_paper_date=2026-05-02")).status == .forbidden)
            // A paper date outside the campaign is refused.
            #expect(try await app.postRaw(SurveyURL.paper(s.campaignID, pointID), as: s.officer, body: Self.answer("&_paper_date=2025-05-02")).status == .badRequest)
            // Poster and QR code.
            let qr = try await app.get(SurveyURL.qr(token), as: .anonymous)
            #expect(qr.headers.contentType?.description.contains("image/svg+xml") == true)
            #expect(qr.text.contains("<path fill=\"#000\""))
            #expect(try await app.get(SurveyURL.poster(token), as: .anonymous).text.contains("Quét mã QR"))
        }
    }

    @Test func publishedQuestionnairesDoNotChangeAndClosedCampaignsTakeNothing() async throws {
        try await withApp(configure: { $0.fixedToday = Self.today }) { app in
            let s = try await Self.setUp(app)
            let q = try #require(try await SurveyQuestionnaire.query(on: app.db).filter(\.$code == "sipas-co-ban").first())
            let add = try await app.post(SurveyURL.questions(try q.requireID()), as: s.office, form: ["code": "moi", "kind": "yes_no", "text": "Câu mới"])
            #expect(add.status == .forbidden)
            // A new version is a draft that can change; a forward condition is refused with a reason.
            #expect(try await app.post(SurveyURL.copy(try q.requireID()), as: s.office).status == .seeOther)
            let draft = try #require(try await SurveyQuestionnaire.query(on: app.db).filter(\.$code == "sipas-co-ban").filter(\.$version == 2).first())
            let bad = try await app.post(SurveyURL.questions(try draft.requireID()), as: s.office,
                                         form: ["code": "moi", "kind": "yes_no", "text": "Câu mới", "if_question": "khong_co", "if_values": "yes"])
            #expect(bad.status == .badRequest)
            #expect(bad.text.contains("không có trong phiếu"))
            let good = try await app.post(SurveyURL.questions(try draft.requireID()), as: s.office,
                                          form: ["code": "moi", "kind": "rating", "text": "Chấm điểm chung", "scale_min": "1", "scale_max": "5"])
            #expect(good.status == .seeOther)
            #expect(try await SurveyQuestionnaire.find(try draft.requireID(), on: app.db)?.questionnaire().question("moi") != nil)
            #expect(try await SurveyQuestionnaire.find(try q.requireID(), on: app.db)?.questionnaire().question("moi") == nil)
            // Closed: the public page says so and takes nothing.
            #expect(try await app.post(SurveyURL.campaignStatus(s.campaignID), as: s.office, form: ["status": "closed"]).status == .seeOther)
            let token = try #require(s.tokens[s.f.commune1])
            #expect(try await app.postRaw(SurveyURL.respond(token), as: .anonymous, body: Self.answer(), userAgent: "late").status == .gone)
            #expect(try await Self.count(app) == 0)
        }
    }

    @Test func targetsAreProvinceDataAndTheAggregateExportOpens() async throws {
        try await withApp(configure: { $0.fixedToday = Self.today }) { app in
            let s = try await Self.setUp(app)
            let token = try #require(s.tokens[s.f.commune1])
            _ = try await app.postRaw(SurveyURL.respond(token), as: .anonymous, body: Self.answer(), userAgent: "a")
            let saved = try await app.postRaw(SurveyURL.settings, as: s.office, body: "target_year=2025&target_percent=90&target_year=2030&target_percent=97,5&overall=mean_of_factors")
            #expect(saved.status == .seeOther)
            let settings = try await SurveyService.settings(on: app.db)
            #expect(settings.targets.map(\.percent) == [Points(90), Points(parsing: "97.5")!])
            #expect(settings.overall == .meanOfFactors)
            #expect(try await app.postRaw(SurveyURL.settings, as: s.office, body: "target_year=2025&target_percent=120").status == .badRequest)
            #expect(try await app.postRaw(SurveyURL.settings, as: s.officer, body: "target_year=2025&target_percent=90").status == .forbidden)
            let xlsx = try await app.get(SurveyURL.export(s.campaignID, "aggregates", "xlsx"), as: s.office)
            #expect(xlsx.status == .ok)
            let rows = try XLSXReader.read(Data(buffer: xlsx.body))
            #expect(rows.count >= 3)
            #expect(rows.first?.contains("Tỷ lệ hài lòng") == false)
            #expect(rows.first?.first == "Nhóm")
        }
    }

    @Test func aLinkedCampaignScoresThePARIndexSurveyCriterion() async throws {
        try await withApp(configure: { $0.fixedToday = Self.today }) { app in
            let f = try await Fixture.make(on: app.db)
            let block = EmulationBlock(year: 2026, code: "KSBN", name: "Khối các sở")
            try await block.create(on: app.db)
            let ix = try await IndexFixture.make(on: app.db, fixture: f, blockID: try block.requireID())
            let office = try await Browser.signIn(try await app.makeUser("cchc", grants: [(.reformOffice, f.root)]), on: app.db)
            #expect(try await app.post(SurveyURL.starters, as: office).status == .seeOther)
            let q = try #require(try await SurveyQuestionnaire.query(on: app.db).filter(\.$code == "chi-so-cchc-lanh-dao").first())
            #expect(try await app.post(SurveyURL.publish(try q.requireID()), as: office).status == .seeOther)
            let body = "title=L%C3%A3nh+%C4%91%E1%BA%A1o+%C4%91%C3%A1nh+gi%C3%A1&questionnaire=\(try q.requireID())&starts_on=2026-01-01&ends_on=2026-12-31"
                + "&units=SNV&channel=paper&criterion=2.2"
            #expect(try await app.postRaw(SurveyURL.campaigns, as: office, body: body).status == .seeOther)
            let c = try #require(try await SurveyCampaign.query(on: app.db).first())
            #expect(try await app.post(SurveyURL.campaignStatus(try c.requireID()), as: office, form: ["status": "open"]).status == .seeOther)
            let point = try #require(try await SurveyPoint.query(on: app.db).first())
            let codes = ["chi_dao", "the_che", "tthc", "bo_may", "cong_vu", "tai_chinh", "so_hoa"]
            for grade in ["A", "C"] {
                let form = codes.map { "q.\($0)=\(grade)" }.joined(separator: "&") + "&_paper_date=2026-03-01&_key=\(UUID())"
                #expect(try await app.postRaw(SurveyURL.paper(try c.requireID(), try point.requireID()), as: office, body: form).status == .seeOther)
            }
            // 7 × A (100 %) and 7 × C (20 %): mean 60 % of the criterion's 4 points = 2.40; the unit entered nothing for 2.2.
            let cycle = try #require(try await IndexCycle.find(ix.cycle, on: app.db))
            let results = try await IndexService.results(cycle: cycle, on: app.db, metricSources: app.metricSources)
            let sheet = try #require(results.first)
            #expect(sheet.ranked.first?.result.survey == Points(parsing: "2.40"))
        }
    }

    @Test func surveyCriteriaTakeTheirPointsFromTheLinkedCampaign() async throws {
        // Scoring of a survey leaf from weighted answers (A–D = 100/60/20/0): 2 × A and 1 × C over 3 answers
        // = 73.33 % of the leaf's maximum.
        let spec = FrameworkSpec(code: "T", name: "T", year: 2026, unitKind: "commune", criteria: [
            CriterionSpec(code: "1", parent: nil, title: "Khảo sát", max: Points(100)),
            CriterionSpec(code: "1.1", parent: "1", title: "Lãnh đạo đánh giá", max: Points(100), method: .survey(weights: ScoringMethod.defaultSurveyWeights)),
        ])
        let fw = try CompiledFramework.compile(spec).get()
        let points = fw.leafPoints(0, input: .weighted(sum: Points(220), count: 3), metrics: [:])
        #expect(points == Points(parsing: "73.33"))
        #expect(fw.leafPoints(0, input: .weighted(sum: .zero, count: 0), metrics: [:]) == .zero)
    }
}

/// The stored response row, for the tests' checks.
final class SurveyResponseRow: Model, @unchecked Sendable {
    static let schema = "survey_responses"
    @ID(key: .id) var id: UUID?
    @Field(key: "status") var status: String
    @OptionalField(key: "reason") var reason: String?
    @Field(key: "channel") var channel: String
    @Field(key: "submission_key") var submissionKey: String
    @Field(key: "fingerprint") var fingerprint: String
    @OptionalField(key: "entered_by") var enteredBy: UUID?
    @Field(key: "month") var month: String
    init() {}
}

extension Application {
    /// Posts a raw urlencoded body (repeated names allowed), with the CSRF field and a chosen User-Agent.
    func postRaw(_ path: String, as browser: Browser, body: String, userAgent: String = "test") async throws -> TestingHTTPResponse {
        var headers = browser.headers([("User-Agent", userAgent)])
        headers.contentType = .urlEncodedForm
        var result: TestingHTTPResponse?
        try await testing().test(.POST, path, headers: headers, body: ByteBuffer(string: body + "&_csrf=" + browser.csrf)) { res in result = res }
        return result!
    }
}
