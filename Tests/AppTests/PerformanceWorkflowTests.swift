import Fluent
import Foundation
import SQLKit
import Testing
import ThiDuaCore
import Vapor
import VaporTesting

@testable import App

/// Procedure performance (issue 6): catalogue import, the JSON API with tokens and scopes, idempotent
/// re-sending, tallies equal to a recount, kept-aside dossiers, the drill-down pages.
@Suite(.serialized) struct PerformanceWorkflowTests {
    static let catalogue = """
        Mã thủ tục,Tên thủ tục,Lĩnh vực,Cấp thực hiện,Thời hạn giải quyết,Thời hạn nội bộ,Mức độ DVC,Phí
        1.001234.000.00.00.H12,Cấp giấy phép xây dựng nhà ở riêng lẻ,Xây dựng,Cấp xã,3,2,Một phần,75.000
        2.000100.000.00.00.H12,Đăng ký khai sinh,Hộ tịch,Cấp xã,"0,5",,Toàn trình,0
        """

    struct Setup {
        let f: Fixture
        let office: Browser
        let token: String
    }

    static func setUp(_ app: Application) async throws -> Setup {
        let f = try await Fixture.make(on: app.db)
        let office = try await Browser.signIn(try await app.makeUser("cchc", grants: [(.reformOffice, f.root)]), on: app.db)
        let preview = try await app.upload("/import/preview", as: office, fields: ["kind": "procedures"], fileName: "tthc.csv", data: Data(catalogue.utf8))
        #expect(preview.status == .seeOther)
        let batch = try #require(preview.location)
        let shown = try await app.get(batch, as: office)
        #expect(shown.text.contains("Cấp giấy phép xây dựng nhà ở riêng lẻ"), "\(shown.text.prefix(3000))")
        #expect(try await app.post(batch + "/commit", as: office).status == .seeOther)
        #expect(try await ProcedureModel.query(on: app.db).count() == 2)
        let created = try await app.post(PerformanceURL.tokens, as: office, form: ["name": "Một cửa điện tử", "scopes[]": "dossiers:write"])
        #expect(created.status == .created)
        let token = try #require(created.text.firstMatch(of: /id="new-token">(tdk_[A-Za-z0-9_-]+)</)?.1)
        return Setup(f: f, office: office, token: String(token))
    }

    static func dossier(_ code: String, procedure: String = "1.001234.000.00.00.H12", unit: String = "XTP", channel: String = "counter",
                        received: String = "2026-03-02T09:00:00+07:00", resolved: String? = nil, result: String? = nil, extra: String = "") -> String {
        var s = "{\"code\":\"\(code)\",\"procedure_code\":\"\(procedure)\",\"unit_code\":\"\(unit)\",\"channel\":\"\(channel)\",\"received_at\":\"\(received)\""
        if let resolved { s += ",\"resolved_at\":\"\(resolved)\"" }
        if let result { s += ",\"result\":\"\(result)\"" }
        return s + extra + "}"
    }

    static func send(_ app: Application, token: String?, _ items: [String], raw: String? = nil) async throws -> TestingHTTPResponse {
        var headers = HTTPHeaders([("Content-Type", "application/json")])
        if let token { headers.add(name: .authorization, value: "Bearer " + token) }
        let body = raw ?? "{\"dossiers\":[" + items.joined(separator: ",") + "]}"
        var result: TestingHTTPResponse?
        try await app.testing().test(.POST, PerformanceURL.apiDossiers, headers: headers, body: ByteBuffer(string: body)) { result = $0 }
        return result!
    }

    /// The tallies, summed over months, against a recount from the stored dossiers' facts.
    static func tallyMatchesRecount(_ app: Application) async throws {
        let sql = try #require(app.db as? any SQLDatabase)
        struct F: Decodable { let facts: String }
        var recount = DossierTally()
        for r in try await sql.raw("SELECT facts FROM dossiers").all(decoding: F.self) {
            recount.add(try JSONDecoder().decode(DossierFacts.self, from: Data(r.facts.utf8)))
        }
        #expect(try await DossierService.storedTotal(on: sql) == recount)
        // The per-unit rollup holds the same counts.
        struct U: Decodable, TallyColumns {
            let received: Int, resolved: Int, early: Int, on_time: Int, late: Int, withdrawn: Int, online: Int, payable: Int, paid_online: Int
            let digitised: Int, rated: Int, unsatisfied: Int, complaints: Int, processing_hd: Int, statutory_hd: Int, internal_resolved: Int
            let internal_hd: Int, within_internal: Int
        }
        var counts = recount
        counts.histogram = [:]
        #expect(try await sql.raw("SELECT * FROM dossier_unit_tallies").all(decoding: U.self).reduce(DossierTally()) { $0 + $1.counts } == counts)
    }

    /// A batch of several 500-row statements: each dossier stored once, the tallies equal to a recount, and the same
    /// batch again replaces every one.
    @Test func aBatchOfSeveralChunksIsStoredWhole() async throws {
        try await withApp { app in
            let s = try await Self.setUp(app)
            let items = (0..<2_345).map { i in
                Self.dossier(
                    "HS-\(i)", unit: i % 2 == 0 ? "XTP" : "XTH", received: "2026-0\(1 + i % 9)-0\(1 + i % 7)T09:00:00+07:00",
                    resolved: i % 3 == 0 ? nil : "2026-0\(1 + i % 9)-2\(i % 8)T10:00:00+07:00", result: i % 3 == 0 ? nil : "approved")
            }
            for expected in [IngestReport(inserted: 2_345, updated: 0, keptAside: []), IngestReport(inserted: 0, updated: 2_345, keptAside: [])] {
                let sent = try await Self.send(app, token: s.token, items)
                #expect(sent.status == .ok, "\(sent.text.prefix(500))")
                #expect(try JSONDecoder().decode(IngestReport.self, from: Data(sent.text.utf8)) == expected)
                #expect(try await DossierRow.query(on: app.db).count() == 2_345)
                try await Self.tallyMatchesRecount(app)
            }
        }
    }

    /// Moving the histograms to rows keyed by their tally (M015) keeps every count, and back again.
    @Test func histogramsKeepTheirCountsAcrossTheMoveToTallyIDs() async throws {
        try await withApp { app in
            let s = try await Self.setUp(app)
            let sent = try await Self.send(app, token: s.token, [
                Self.dossier("HS-1", resolved: "2026-03-03T10:00:00+07:00", result: "approved"),
                Self.dossier("HS-2", resolved: "2026-03-09T10:00:00+07:00", result: "approved"),
                Self.dossier("HS-3", received: "2026-04-01T08:00:00+07:00", resolved: "2026-04-02T15:00:00+07:00", result: "approved"),
                Self.dossier("HS-4", procedure: "2.000100.000.00.00.H12", unit: "XTH", resolved: "2026-03-04T10:00:00+07:00", result: "approved"),
            ])
            #expect(sent.status == .ok, "\(sent.text)")
            let sql = try #require(app.db as? any SQLDatabase)
            let year = ReportPeriod(year: 2026, code: "y")
            let xtp = try #require(try await PerformanceService.byUnit(year, scope: nil, on: app.db).first { $0.code == "XTP" }?.id)
            let total = try await DossierService.storedTotal(on: sql)
            let lines = try await PerformanceService.byProcedure(year, unit: xtp, on: app.db).map(\.tally)
            #expect(total.histogram.values.reduce(0, +) == 4 && lines.contains { $0.histogram.count >= 2 })

            try await M015_HistogramsByTally().revert(on: app.db)
            struct H: Decodable { let half_days: Int, n: Int }
            let old = try await sql.raw("SELECT half_days, CAST(SUM(n) AS BIGINT) AS n FROM dossier_histograms GROUP BY half_days").all(decoding: H.self)
            #expect(Dictionary(uniqueKeysWithValues: old.map { ($0.half_days, $0.n) }) == total.histogram)

            try await M015_HistogramsByTally().prepare(on: app.db)
            #expect(try await DossierService.storedTotal(on: sql) == total)
            #expect(try await PerformanceService.byProcedure(year, unit: xtp, on: app.db).map(\.tally) == lines)
            // Batches after the move add to the carried-over rows.
            let more = try await Self.send(app, token: s.token, [Self.dossier("HS-5", resolved: "2026-03-03T10:00:00+07:00", result: "approved")])
            #expect(more.status == .ok, "\(more.text)")
            try await Self.tallyMatchesRecount(app)
        }
    }

    @Test func dossiersArriveByAPIAndTheIndicatorsFollow() async throws {
        try await withApp { app in
            let s = try await Self.setUp(app)
            let first = try await Self.send(app, token: s.token, [
                Self.dossier("HS-1", channel: "online", resolved: "2026-03-03T10:00:00+07:00", result: "approved", extra: ",\"digitised\":true,\"paid_online\":true"),
                Self.dossier("HS-2", resolved: "2026-03-09T10:00:00+07:00", result: "approved", extra: ",\"rating\":\"unsatisfied\""),
                Self.dossier("HS-3", procedure: "2.000100.000.00.00.H12", unit: "XTH", channel: "online"),
                Self.dossier("HS-4", procedure: "9.999999.H12"),
            ])
            #expect(first.status == .ok, "\(first.text)")
            // Where the batch's time went, phase by phase (W3C Server-Timing), for the sender and the benchmark.
            let timing = try #require(first.headers.first(name: "Server-Timing")).split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            #expect(timing.map { $0.prefix { $0 != ";" } } == ["parse", "check", "wait", "lookup", "rows", "dossiers", "tallies", "commit"])
            for phase in timing {
                let duration = phase.drop { $0 != ";" }
                #expect(duration.hasPrefix(";dur=") && Double(duration.dropFirst(5)) != nil && duration.split(separator: ".").last?.count == 1, "\(phase)")
            }
            let report = try JSONDecoder().decode(IngestReport.self, from: Data(first.text.utf8))
            #expect(report.inserted == 3 && report.updated == 0)
            #expect(report.keptAside == [.init(code: "HS-4", reason: "unknownProcedure")])
            try await Self.tallyMatchesRecount(app)

            var lines = try await PerformanceService.byUnit(ReportPeriod(year: 2026, code: "q1"), scope: nil, on: app.db)
            let xtp = try #require(lines.first { $0.code == "XTP" })
            #expect(xtp.tally.received == 2 && xtp.tally.resolved == 2 && xtp.tally.early == 1 && xtp.tally.late == 1)
            #expect(xtp.indicators.onTimeRate == Points(50))
            #expect(xtp.indicators.onlineRate == Points(50))
            #expect(xtp.indicators.digitisationRate == Points(50))
            #expect(xtp.indicators.satisfactionRate == Points(50))
            #expect(xtp.indicators.onlinePaymentRate == Points(50))

            // Sent again (HS-2 now resolved in time): replaced, never duplicated.
            let again = try await Self.send(app, token: s.token, [
                Self.dossier("HS-1", channel: "online", resolved: "2026-03-03T10:00:00+07:00", result: "approved", extra: ",\"digitised\":true,\"paid_online\":true"),
                Self.dossier("HS-2", resolved: "2026-03-05T10:00:00+07:00", result: "approved"),
            ])
            #expect(again.status == .ok)
            #expect(try JSONDecoder().decode(IngestReport.self, from: Data(again.text.utf8)) == IngestReport(inserted: 0, updated: 2, keptAside: []))
            #expect(try await DossierRow.query(on: app.db).count() == 3)
            try await Self.tallyMatchesRecount(app)
            lines = try await PerformanceService.byUnit(ReportPeriod(year: 2026, code: "m3"), scope: nil, on: app.db)
            #expect(lines.first { $0.code == "XTP" }?.indicators.onTimeRate == Points(100))

            // The unknown procedure joins the catalogue; the kept-aside dossier is processed again.
            let more = "Mã thủ tục,Tên thủ tục,Lĩnh vực,Cấp thực hiện,Thời hạn giải quyết\n9.999999.H12,Chứng thực bản sao,Chứng thực,Cấp xã,1\n"
            let p = try await app.upload("/import/preview", as: s.office, fields: ["kind": "procedures"], fileName: "them.csv", data: Data(more.utf8))
            #expect(try await app.post(try #require(p.location) + "/commit", as: s.office).status == .seeOther)
            #expect(try await app.get(PerformanceURL.rejects, as: s.office).text.contains("HS-4"))
            #expect(try await app.post(PerformanceURL.reprocess, as: s.office).status == .seeOther)
            #expect(try await DossierRow.query(on: app.db).count() == 4)
            #expect(!(try await app.get(PerformanceURL.rejects, as: s.office).text.contains("HS-4")))
            try await Self.tallyMatchesRecount(app)

            // The PAR Index sees the rates as system metrics.
            let metrics = try await ProcedureMetricSource().values(for: [s.f.commune1], year: 2026, on: app.db)
            #expect(metrics[s.f.commune1]?[.dossierOnTimeRate] == Points(100))
        }
    }

    @Test func badBatchesAreRefusedWholeWithJSONErrors() async throws {
        try await withApp { app in
            let s = try await Self.setUp(app)
            let ok = Self.dossier("HS-1")
            #expect(try await Self.send(app, token: nil, [ok]).status == .unauthorized)
            #expect(try await Self.send(app, token: "tdk_wrong", [ok]).status == .unauthorized)
            let broken = try await Self.send(app, token: s.token, [], raw: "{\"dossiers\": [")
            #expect(broken.status == .badRequest)
            #expect(broken.text.contains("\"error\":\"json\""))
            let dup = try await Self.send(app, token: s.token, [ok, ok])
            #expect(dup.status == .unprocessableEntity)
            let order = try await Self.send(app, token: s.token, [
                ok, Self.dossier("HS-9", received: "2026-03-05T09:00:00+07:00", resolved: "2026-03-04T09:00:00+07:00", result: "approved"),
            ])
            #expect(order.status == .unprocessableEntity)
            #expect(order.text.contains("resolved_at"))
            let zone = try await Self.send(app, token: s.token, [Self.dossier("HS-8", received: "2026-03-05 09:00:00+25:00")])
            #expect(zone.status == .unprocessableEntity)
            let unknownField = try await Self.send(app, token: s.token, [], raw: "{\"dossiers\":[{\"code\":\"A\",\"evil\":1}]}")
            #expect(unknownField.status == .unprocessableEntity)
            let many = try await Self.send(app, token: s.token, (0...DossierService.maxBatch).map { Self.dossier("HS-\($0)") })
            #expect(many.status == .unprocessableEntity)
            #expect(many.text.contains("batch_too_large"))
            // Types and values exactly as the document says (files may use Vietnamese words; the API may not).
            let fine = ["code": "\"T-1\"", "procedure_code": "\"P\"", "unit_code": "\"XTP\"", "channel": "\"online\"", "received_at": "\"2026-03-02 09:00\""]
            for (field, value) in [("paid_online", "1"), ("paid_online", "\"yes\""), ("channel", "\"trực tuyến\""), ("code", "7")] {
                var fields = fine
                fields[field] = value
                let item = "{" + fields.map { "\"\($0.key)\":\($0.value)" }.joined(separator: ",") + "}"
                let bad = field + "=" + value
                let r = try await Self.send(app, token: s.token, [], raw: "{\"dossiers\":[" + item + "]}")
                #expect(r.status == .unprocessableEntity, "\(bad)")
            }
            // A parameter given twice or invalid is refused, not replaced by the default; other methods are 405.
            let reader0 = try await app.post(PerformanceURL.tokens, as: s.office, form: ["name": "Đọc chỉ số", "scopes[]": "indicators:read"])
            let read0 = String(try #require(reader0.text.firstMatch(of: /id="new-token">(tdk_[A-Za-z0-9_-]+)</)?.1))
            for q in ["year=null", "year=2026&year=2025", "period=q9", "period="] {
                var status: HTTPStatus?
                try await app.testing().test(.GET, "/api/v1/indicators?" + q, headers: ["Authorization": "Bearer " + read0]) { status = $0.status }
                #expect(status == .badRequest, "\(q)")
            }
            var trace: TestingHTTPResponse?
            try await app.testing().test(.TRACE, "/api/v1/dossiers") { trace = $0 }
            #expect(trace?.status == .methodNotAllowed)
            #expect(trace?.headers.first(name: .allow) == "POST")
            let huge = try await Self.send(app, token: s.token, [], raw: "{\"dossiers\":[" + String(repeating: " ", count: DossierService.maxBatchBytes + 1) + "]}")
            #expect(huge.status == .payloadTooLarge)
            #expect(huge.headers.contentType?.subType == "json")
            #expect(try await DossierRow.query(on: app.db).count() == 0)

            // A token used outside its scope, then a revoked token.
            let reader = try await app.post(PerformanceURL.tokens, as: s.office, form: ["name": "Chỉ đọc", "scopes[]": "indicators:read"])
            let readToken = String(try #require(reader.text.firstMatch(of: /id="new-token">(tdk_[A-Za-z0-9_-]+)</)?.1))
            #expect(try await Self.send(app, token: readToken, [ok]).status == .forbidden)
            let token = try #require(try await APIToken.query(on: app.db).filter(\.$name == "Một cửa điện tử").first())
            #expect(try await app.post(PerformanceURL.revoke(try token.requireID()), as: s.office).status == .seeOther)
            let revoked = try await Self.send(app, token: s.token, [ok])
            #expect(revoked.status == .unauthorized)
            #expect(revoked.text.contains("token_revoked"))
        }
    }

    @Test func theOfficeDrillsDownFromTheProvinceToALateDossier() async throws {
        try await withApp { app in
            let s = try await Self.setUp(app)
            _ = try await Self.send(app, token: s.token, [
                Self.dossier("HS-TRE-01", resolved: "2026-03-09T10:00:00+07:00", result: "approved"),
                Self.dossier("HS-SOM-02", resolved: "2026-03-03T10:00:00+07:00", result: "approved"),
            ])
            let province = try await app.get(PerformanceURL.home + "?year=2026&period=q1", as: s.office)
            #expect(province.status == .ok)
            #expect(province.text.contains("Xã Tân Phong"))
            let unitPage = try await app.get(PerformanceURL.unit(s.f.commune1, ReportPeriod(year: 2026, code: "q1")), as: s.office)
            #expect(unitPage.text.contains("Cấp giấy phép xây dựng nhà ở riêng lẻ"))
            let procedure = try #require(try await ProcedureModel.query(on: app.db).filter(\.$code == "1.001234.000.00.00.H12").first())
            let late = try await app.get(PerformanceURL.late(s.f.commune1, try procedure.requireID(), ReportPeriod(year: 2026, code: "q1")), as: s.office)
            #expect(late.text.contains("HS-TRE-01"))
            #expect(!late.text.contains("HS-SOM-02"))
            // The unit's table and the late dossiers download too.
            let unitCSV = try await app.get(PerformanceURL.unit(s.f.commune1, ReportPeriod(year: 2026, code: "q1")) + "&download=csv", as: s.office)
            #expect(unitCSV.headers.contentType?.subType == "csv")
            #expect(unitCSV.text.contains("1.001234.000.00.00.H12,Cấp giấy phép xây dựng nhà ở riêng lẻ,Quý 1/2026,2,2,50.00,1"), "\(unitCSV.text)")
            let lateCSV = try await app.get(
                PerformanceURL.late(s.f.commune1, try procedure.requireID(), ReportPeriod(year: 2026, code: "q1")) + "&download=xlsx", as: s.office)
            #expect(lateCSV.body.readableBytesView.starts(with: [0x50, 0x4B]))
            let lateText = try await app.get(
                PerformanceURL.late(s.f.commune1, try procedure.requireID(), ReportPeriod(year: 2026, code: "q1")) + "&download=csv", as: s.office).text
            #expect(lateText.contains("HS-TRE-01,1.001234.000.00.00.H12,XTP,"), "\(lateText)")
            #expect(!lateText.contains("HS-SOM-02"))
            // The province table downloads: one row per unit and the province's total, formulas neutralised.
            let csv = try await app.get("/performance/export/csv?year=2026&period=q1", as: s.office)
            #expect(csv.status == .ok)
            #expect(csv.text.contains("XTP,Xã Tân Phong,Quý 1/2026,2,2,1,0,1,50.00,50.00"), "\(csv.text)")
            #expect(csv.text.contains("Toàn tỉnh"))
            let xlsx = try await app.get("/performance/export/xlsx?year=2026&period=q1", as: s.office)
            #expect(xlsx.status == .ok)
            #expect(xlsx.body.readableBytesView.starts(with: [0x50, 0x4B]))
            #expect(try await app.get("/performance/export/pdf?year=2026&period=q1", as: s.office).status == .notFound)
            // A commune officer sees the commune, not the other one.
            let officer = try await Browser.signIn(try await app.makeUser("canbo.xth", grants: [(.unitOfficer, s.f.commune2)]), on: app.db)
            #expect(try await app.get(PerformanceURL.unit(s.f.commune1, ReportPeriod(year: 2026, code: "q1")), as: officer).status == .forbidden)
            #expect(!(try await app.get(PerformanceURL.home + "?year=2026&period=q1", as: officer).text.contains("Xã Tân Phong")))
        }
    }

    /// A dossier file uploaded through the web: a dry run first (row problems, what replaces, what is kept aside),
    /// then stored whole; a file with any bad row stores nothing.
    @Test func aDossierFileIsCheckedThenStoredWhole() async throws {
        try await withApp { app in
            let s = try await Self.setUp(app)
            func upload(_ csv: String, as b: Browser? = nil) async throws -> (batch: String, html: String) {
                let up = try await app.upload("/import/preview", as: b ?? s.office, fields: ["kind": "dossiers"], fileName: "hoso.csv", data: Data(csv.utf8))
                #expect(up.status == .seeOther)
                let batch = try #require(up.location)
                return (batch, try await app.get(batch, as: b ?? s.office).text)
            }
            let header = "Mã hồ sơ,Mã thủ tục,Mã đơn vị,Kênh tiếp nhận,Ngày tiếp nhận,Ngày giải quyết,Kết quả\n"
            // A bad file: every problem listed by row, nothing stored even after a forced commit.
            let bad = try await upload(header + """
                W-1,1.001234.000.00.00.H12,XTP,trực tiếp,2026-03-02 09:00,2026-03-01 09:00,giải quyết
                W-2,1.001234.000.00.00.H12,XTP,fax,2026-03-02 09:00,,
                W-1,1.001234.000.00.00.H12,XTP,trực tiếp,2026-03-02 09:00,,
                """)
            #expect(bad.html.contains("Dòng 2") && bad.html.contains("Dòng 3") && bad.html.contains("Trùng mã với dòng 2"), "\(bad.html.prefix(4000))")
            #expect(!bad.html.contains("name=\"commit\""))
            #expect(try await app.post(bad.batch + "/commit", as: s.office).status == .unprocessableEntity)
            #expect(try await DossierRow.query(on: app.db).count() == 0)
            // A clean file: one dossier kept aside (unknown procedure), times without an offset read as Vietnam time.
            let good = try await upload(header + """
                F-1,1.001234.000.00.00.H12,XTP,trực tiếp,02/03/2026 09:00,05/03/2026 16:00,giải quyết
                F-2,9.999999.000.00.00.H12,XTP,trực tuyến,2026-03-02 10:00,,
                F-3,2.000100.000.00.00.H12,XTH,bưu chính,2026-03-02T03:00:00Z,2026-03-02T08:00:00Z,approved
                """)
            #expect(good.html.contains("Giữ lại chờ xử lý"))
            #expect(good.html.contains("2026-03-02 10:00"))
            #expect(try await app.post(good.batch + "/commit", as: s.office).status == .seeOther)
            #expect(try await DossierRow.query(on: app.db).count() == 2)
            struct N: Decodable { let n: Int }
            #expect(try await (app.db as? any SQLDatabase)?.raw("SELECT COUNT(*) AS n FROM dossier_rejects").first(decoding: N.self)?.n == 1)
            try await Self.tallyMatchesRecount(app)
            #expect(try await AuditRecord.query(on: app.db).filter(\.$reason == "import: hoso.csv").count() == 1)
            // Committing twice stores nothing more; a corrected row replaces its dossier.
            _ = try await app.post(good.batch + "/commit", as: s.office)
            #expect(try await DossierRow.query(on: app.db).count() == 2)
            let again = try await upload(header + "F-1,1.001234.000.00.00.H12,XTP,trực tiếp,02/03/2026 09:00,10/03/2026 16:00,giải quyết\n")
            #expect(again.html.contains("Cập nhật"))
            #expect(try await app.post(again.batch + "/commit", as: s.office).status == .seeOther)
            #expect(try await DossierRow.query(on: app.db).count() == 2)
            try await Self.tallyMatchesRecount(app)
            #expect(try await DossierService.storedTotal(on: try #require(app.db as? any SQLDatabase)).late == 1)
            // Someone whose right covers the Department of Home Affairs only may not load a commune's dossiers.
            let dept = try await Browser.signIn(try await app.makeUser("cchc.snv", grants: [(.reformOffice, s.f.snv)]), on: app.db)
            let foreign = try await upload(header + "G-1,1.001234.000.00.00.H12,XTP,trực tiếp,2026-03-02 09:00,,\n", as: dept)
            #expect(foreign.html.contains("Bạn không có quyền"), "\(foreign.html.prefix(4000))")
            #expect(try await app.post(foreign.batch + "/commit", as: dept).status == .unprocessableEntity)
        }
    }

    /// The five group scores: weights and rates are a setting, refused when they do not add up, shown by unit and
    /// in the downloads.
    @Test func groupScoresFollowTheSetting() async throws {
        try await withApp { app in
            let s = try await Self.setUp(app)
            _ = try await Self.send(app, token: s.token, [
                Self.dossier("HS-1", resolved: "2026-03-03T10:00:00+07:00", result: "approved"),
                Self.dossier("HS-2", channel: "online", resolved: "2026-03-20T10:00:00+07:00", result: "approved"),
            ])
            // Defaults: progress 20 × 50 % = 10; transparency not scored; online services need a payable dossier (none
            // paid online of one payable → 0 %): 22 × (0.5 × 50 + 0.5 × 0) = 5.5; digitisation 0; satisfaction 18.
            let page = try await app.get(PerformanceURL.home + "?year=2026&period=q1", as: s.office).text
            #expect(page.contains("Điểm 5 nhóm chỉ số theo đơn vị"))
            #expect(page.contains("33,50 / 82,00"), "\(page)")
            var form = ["holidays": "", "workdays": "", "target": "25", "weekend[]": "6"]
            for (g, p) in [("transparency", "10"), ("progress", "30"), ("online_service", "20"), ("digitisation", "20"), ("satisfaction", "20")] { form["points_" + g] = p }
            for (m, g, share) in [("on_time", "progress", "100"), ("online", "online_service", "60"), ("online_payment", "online_service", "50"),
                                  ("digitisation", "digitisation", "100"), ("satisfaction", "satisfaction", "100"), ("within_internal", "", "")] {
                form["group_" + m] = g
                form["share_" + m] = share
            }
            let bad = try await app.post(PerformanceURL.calendar, as: s.office, form: form)
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.text.contains("phải cộng lại bằng 100 % (hiện là 110"), "\(bad.text)")
            #expect(bad.text.contains("value=\"60\""))  // the form comes back as typed
            form["share_online"] = "50"
            form["group_within_internal"] = "transparency"
            form["share_within_internal"] = "100"
            #expect(try await app.post(PerformanceURL.calendar, as: s.office, form: form).status == .seeOther)
            let scoring = try await PerformanceController.settings(on: app.db).scoring
            #expect(scoring.problems.isEmpty)
            #expect(scoring.groups.first { $0.group == .transparency }?.shares == [.init(.withinInternal, Points(100))])
            // Within the internal limit (2 days): HS-1 yes, HS-2 no → 50 % → 5; progress 30 × 50 % = 15; online 20 × 25 % = 5;
            // digitisation 0; satisfaction 20 → 45 out of 100.
            let after = try await app.get(PerformanceURL.home + "?year=2026&period=q1", as: s.office).text
            #expect(after.contains("45,00 / 100,00"), "\(after)")
            let csv = try await app.get("/performance/export/csv?year=2026&period=q1", as: s.office).text
            #expect(csv.contains(",45.00,100.00"), "\(csv)")
        }
    }

    @Test func theCalendarIsASettingAndRefusesNonsense() async throws {
        try await withApp { app in
            let s = try await Self.setUp(app)
            let bad = try await app.post(PerformanceURL.calendar, as: s.office, form: ["holidays": "2026-02-30", "target": "abc"])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.text.contains("2026-02-30"))
            let ok = try await app.post(PerformanceURL.calendar, as: s.office, form: ["weekend[]": "7", "holidays": "2026-03-03\r\n04/03/2026", "target": "30"])
            #expect(ok.status == .seeOther)
            let c = try await DossierService.calendar(on: app.db)
            #expect(c.weekend == [7] && c.holidays.count == 2)
            #expect(try await PerformanceController.timeCutTarget(on: app.db) == Points(30))
        }
    }
}

/// The dossiers table, for counting in tests.
final class DossierRow: Model, @unchecked Sendable {
    static let schema = "dossiers"
    @ID(key: .id) var id: UUID?
    init() {}
}

@Suite struct OpenAPIDocumentTests {
    /// The document served is the one kept in the repository, and it is valid JSON naming every API route.
    @Test func servedDocumentIsTheRepositoryFile() async throws {
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let file = try String(contentsOf: repo.appendingPathComponent("docs/openapi.json"), encoding: .utf8)
        #expect(file.trimmingCharacters(in: .newlines) == OpenAPIDocument.json.trimmingCharacters(in: .newlines))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(file.utf8)) as? [String: Any])
        let paths = try #require(object["paths"] as? [String: Any])
        #expect(Set(paths.keys) == [PerformanceURL.apiDossiers, PerformanceURL.apiIndicators, PerformanceURL.openAPI])
        try await withApp { app in
            let served = try await app.get(PerformanceURL.openAPI, as: .anonymous)
            #expect(served.status == .ok)
            #expect(served.text == OpenAPIDocument.json)
        }
    }

    /// The document's example batch is one the server accepts (schemathesis sends it too, against the demo province,
    /// where its procedures and units exist; here they do not, so both are kept aside, and sending it again updates).
    @Test func theDocumentedExampleIsAcceptedAsItStands() async throws {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json.utf8)) as? [String: Any])
        let post = try #require(((object["paths"] as? [String: Any])?[PerformanceURL.apiDossiers] as? [String: Any])?["post"] as? [String: Any])
        let media = try #require(((post["requestBody"] as? [String: Any])?["content"] as? [String: Any])?["application/json"] as? [String: Any])
        let example = try JSONSerialization.data(withJSONObject: try #require(media["example"]))
        try await withApp { app in
            let s = try await PerformanceWorkflowTests.setUp(app)
            let answer = try await PerformanceWorkflowTests.send(app, token: s.token, [], raw: String(decoding: example, as: UTF8.self))
            #expect(answer.status == .ok, "\(answer.text)")
            let report = try JSONDecoder().decode(IngestReport.self, from: Data(answer.text.utf8))
            #expect(report.inserted == 0 && report.updated == 0 && report.keptAside.map(\.code) == ["VD-BHXH-2611230001", "VD-BQLKCN-2611230002"])
        }
    }
}

/// The bulk path an import takes stores exactly what SQLKit's binding stores, on both databases.
@Suite struct BulkSQLTests {
    /// The byte-by-byte reading of a UUID's text gives what Foundation gives, on the canonical form in either case
    /// and on random near-misses (wrong length, hyphens moved, non-hex letters, spaces, signs).
    @Test func hexReadingIsUUIDStringReading() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let u = UUID()
            #expect(UUID(hex: u.uuidString) == u && UUID(hex: u.uuidString.lowercased()) == u)
        }
        let alphabet = Array("0123456789abcdefABCDEF-gG +x{}")
        for _ in 0..<5_000 {
            var chars = Array(UUID().uuidString)
            for _ in 0..<Int.random(in: 1...3, using: &rng) {
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: chars[Int.random(in: 0..<chars.count, using: &rng)] = alphabet.randomElement(using: &rng)!
                case 1: chars.insert(alphabet.randomElement(using: &rng)!, at: Int.random(in: 0...chars.count, using: &rng))
                default: if !chars.isEmpty { chars.remove(at: Int.random(in: 0..<chars.count, using: &rng)) }
                }
            }
            let text = String(chars)
            #expect(UUID(hex: text) == UUID(uuidString: text), "\(text)")
        }
    }

    @Test func upperHexIsTheUUIDString() {
        var ids = [UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)), UUID(uuid: (255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255))]
        for i in 0..<500 { ids += [UUID(), UUID.timeOrdered(ms: Int64(i) * 1_000_003)] }
        for id in ids { #expect(id.upperHex == id.uuidString) }
    }

    @Test func jsonValuesKeepTheirKinds() {
        let v = JSONReader.parse(Array(#"{"s":"true","b":true,"n":1,"z":null,"a":[1,"x",false],"o":{"k":"v"}}"#.utf8))
        guard case .object(let o) = v else {
            Issue.record("not an object")
            return
        }
        if case .string("true")? = o["s"] {} else { Issue.record("a string read as \(String(describing: o["s"]))") }
        if case .bool(true)? = o["b"] {} else { Issue.record("a boolean read as \(String(describing: o["b"]))") }
        if case .number(1)? = o["n"] {} else { Issue.record("a number read as \(String(describing: o["n"]))") }
        if case .null? = o["z"] {} else { Issue.record("null read as \(String(describing: o["z"]))") }
        if case .array(let a)? = o["a"], a.count == 3, case .bool(false) = a[2] {} else { Issue.record("an array read as \(String(describing: o["a"]))") }
        if case .object(let inner)? = o["o"], case .string("v")? = inner["k"] {} else { Issue.record("an object read as \(String(describing: o["o"]))") }
        #expect(JSONReader.parse(Array(#"{"a":1e999}"#.utf8)) == nil)
    }

    struct Probe: Decodable, Equatable {
        let u: UUID
        let i: Int64?
        let t: String?
        let b: Bool
    }

    @Test func rowsStoredInChunksReadBackAsBound() async throws {
        try await withApp { app in
            try await app.db.schema("bulk_probe").field("u", .uuid, .required).field("i", .int64).field("t", .string).field("b", .bool, .required)
                .unique(on: "u").create()
            let sql = try #require(app.db as? any SQLDatabase)
            var probes: [Probe] = []
            for n in 0..<1_203 {
                let i: Int64? = n % 3 == 0 ? nil : Int64(n) * 1_000_000_007
                let t: String? = n % 5 == 0 ? nil : "dòng \(n) 'x'"
                probes.append(Probe(u: UUID(), i: i, t: t, b: n % 2 == 0))
            }
            let rows: [[BulkValue]] = probes.map { p in [BulkValue.uuid(p.u), BulkValue.int(p.i), BulkValue.text(p.t), BulkValue.bool(p.b)] }
            try await BulkSQL.insert(
                "INSERT INTO bulk_probe (u, i, t, b)", rows: rows,
                tail: "ON CONFLICT (u) DO NOTHING", rowsPerStatement: 500, on: sql)
            let back = try await sql.raw("SELECT u, i, t, b FROM bulk_probe").all(decoding: Probe.self)
            #expect(Dictionary(uniqueKeysWithValues: back.map { ($0.u, $0) }) == Dictionary(uniqueKeysWithValues: probes.map { ($0.u, $0) }))
            // The same UUID found by SQLKit's own binding: the text form is the one SQLKit writes.
            let first = try #require(probes.first)
            #expect(try await sql.raw("SELECT u, i, t, b FROM bulk_probe WHERE u = \(bind: first.u)").first(decoding: Probe.self) == first)
            // Rows given back by RETURNING are read column by column as they were stored (both databases).
            let more = (0..<700).map { n in Probe(u: UUID(), i: Int64(n) * 3, t: "trả về \(n)", b: n % 2 == 1) }
            let returned = try await BulkSQL.insertReturning(
                "INSERT INTO bulk_probe (u, i, t, b)", rows: more.map { [.uuid($0.u), .int($0.i), .text($0.t), .bool($0.b)] },
                tail: "RETURNING u, i, t", rowsPerStatement: 300, on: sql,
                read: { r in Probe(u: try r.uuid("u"), i: try r.int("i"), t: try r.text("t"), b: false) })
            #expect(Set(returned.map(\.u)) == Set(more.map(\.u)))
            #expect(Dictionary(uniqueKeysWithValues: returned.map { ($0.u, "\($0.i!) \($0.t!)") }) == Dictionary(uniqueKeysWithValues: more.map { ($0.u, "\($0.i!) \($0.t!)") }))
            await #expect(throws: (any Error).self) {
                _ = try await BulkSQL.insertReturning(
                    "INSERT INTO bulk_probe (u, i, t, b)", rows: [[.uuid(UUID()), .int(nil), .text(nil), .bool(true)]], tail: "RETURNING u, i", on: sql,
                    read: { r in try r.text("t") })
            }
        }
    }
}
