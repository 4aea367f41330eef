import Fluent
import Foundation
import NIOCore
import SQLKit
import Vapor
import ThiDuaCore

/// Raw responses (one row per answer, streamed page by page: a province's year never sits in memory) and
/// aggregates, to CSV and XLSX. Every text cell goes through the formula guard.
enum SurveyExports {
    /// XLSX is written whole in memory; beyond this many answer rows the CSV (streamed) is the export to use.
    static let xlsxRowLimit = 100_000

    /// Ids come as upper-case text (the same on both databases): turning 400,000 of them into UUIDs was a tenth of
    /// an export's time.
    private struct Row: Decodable {
        let id: String, created_ms: Int64, unit_id: String, field: String?, channel: String, status: String, answers: String
        var cursor: (Int64, UUID)? { UUID(uuidString: id).map { (created_ms, $0) } }
    }

    static let epoch = CivilDate(year: 1970, month: 1, day: 1)!

    /// "yyyy-mm-dd hh:mm:ss" in Vietnam time (UTC+7), without a date formatter per row.
    static func localTime(_ ms: Int64) -> String {
        let s = ms / 1000 + 7 * 3600
        let day = epoch.adding(days: Int(s / 86_400))
        let sec = Int(s % 86_400)
        func two(_ n: Int) -> String { n < 10 ? "0" + String(n) : String(n) }
        return day.iso + " " + two(sec / 3600) + ":" + two(sec / 60 % 60) + ":" + two(sec % 60)
    }

    static func header(_ t: Localizer) -> [String] {
        [t("survey.export.response"), t("survey.export.time"), t("column.code"), t("survey.export.field"), t("survey.export.channel"),
         t("survey.export.status"), t("survey.export.question"), t("survey.export.value"), t("survey.export.label")]
    }

    /// Labels of every option, by "question code" → option code, and by matrix key.
    static func labels(_ q: Questionnaire) -> [String: [String: String]] {
        var out: [String: [String: String]] = [:]
        for question in q.questions {
            let map = Dictionary(question.options.map { ($0.code, $0.label) }, uniquingKeysWith: { a, _ in a })
            if question.kind == .matrix {
                for r in question.rows { out[question.code + "." + r.code] = map }
            } else {
                out[question.code] = map
            }
        }
        return out
    }

    static func responses(_ req: Request, campaign c: SurveyCampaign, scope: Set<UUID>?, format: String) async throws -> Response {
        let cid = try c.requireID()
        let q = try await SurveyService.questionnaire(c.$questionnaire.id, on: req.db)
        let points = try await SurveyService.points(campaign: cid, on: req.db)
        let codes = Dictionary(points.map { ($0.unitID.uuidString, $0.unitCode) }, uniquingKeysWith: { a, _ in a })
        let scope = scope.map { Set($0.map(\.uuidString)) }
        let labels = labels(q)
        let t = req.t
        let name = "khao-sat-phieu-\(c.year)"
        let db = req.db

        /// Pages in (created_ms, id) order, keyset-paginated.
        @Sendable func page(after: (Int64, UUID)?, limit: Int) async throws -> [Row] {
            var query: SQLQueryString = """
                SELECT UPPER(CAST(id AS TEXT)) AS id, created_ms, UPPER(CAST(unit_id AS TEXT)) AS unit_id, field, channel, status, answers \
                FROM survey_responses WHERE campaign_id = \(bind: cid)
                """
            if let (ms, id) = after { query += " AND (created_ms > \(bind: ms) OR (created_ms = \(bind: ms) AND id > \(bind: id)))" }
            query += " ORDER BY created_ms, id LIMIT \(unsafeRaw: String(limit))"
            guard let s = db as? any SQLDatabase else { return [] }
            return try await s.raw(query).all(decoding: Row.self)
        }
        @Sendable func lines(_ r: Row, _ emit: ([String]) -> Void) {
            guard scope?.contains(r.unit_id) ?? true else { return }
            let prefix = [String(r.id.prefix(8)), localTime(r.created_ms), codes[r.unit_id] ?? "", r.field ?? "", r.channel, r.status]
            let answers = AnswerCodec.decode(r.answers)
            for key in answers.keys.sorted() {
                for v in answers[key] ?? [] { emit(prefix + [key, v, labels[key]?[v] ?? ""]) }
            }
        }
        /// The CSV fast path: the six cells a response's lines share are escaped once, option values and labels
        /// once per questionnaire; only free text is escaped per line.
        let escapedOptions: [String: [String: String]] = labels.mapValues { m in
            Dictionary(uniqueKeysWithValues: m.map { ($0.key, CSVCodec.cell($0.key) + "," + CSVCodec.cell($0.value)) })
        }
        @Sendable func csvLines(_ r: Row, into buffer: inout ByteBuffer) {
            guard scope?.contains(r.unit_id) ?? true else { return }
            let prefix = [String(r.id.prefix(8)), localTime(r.created_ms), codes[r.unit_id] ?? "", r.field ?? "", r.channel, r.status]
                .map(CSVCodec.cell).joined(separator: ",") + ","
            var lastKey = "", escapedKey = ""
            AnswerCodec.forEach(r.answers) { key, v in
                if key != lastKey {
                    lastKey = key
                    escapedKey = CSVCodec.cell(key) + ","
                }
                buffer.writeString(prefix)
                buffer.writeString(escapedKey)
                buffer.writeString(escapedOptions[key]?[v] ?? (CSVCodec.cell(v) + ","))
                buffer.writeString("\r\n")
            }
        }
        var headers = HTTPHeaders()
        if format == "csv" {
            headers.replaceOrAdd(name: .contentType, value: "text/csv; charset=utf-8")
            headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(name).csv\"")
            let head = header(t)
            return Response(status: .ok, headers: headers, body: .init(asyncStream: { writer in
                do {
                    var buffer = ByteBufferAllocator().buffer(capacity: 256 * 1024)
                    buffer.writeBytes([0xEF, 0xBB, 0xBF])  // BOM: Excel opens UTF-8 correctly
                    buffer.writeString(CSVCodec.line(head))
                    // The next page is read while this one is written out: the database works on its own thread.
                    var next: Task<[Row], any Error>? = Task { try await page(after: nil, limit: 2_000) }
                    while let pending = next {
                        let rows = try await pending.value
                        next = nil
                        if rows.count == 2_000, let cursor = rows.last?.cursor {
                            next = Task { try await page(after: cursor, limit: 2_000) }
                        }
                        for r in rows { csvLines(r, into: &buffer) }
                        if buffer.readableBytes > 128 * 1024 || next == nil {
                            try await writer.write(.buffer(buffer))
                            buffer = ByteBufferAllocator().buffer(capacity: 256 * 1024)
                        }
                    }
                    if buffer.readableBytes > 0 { try await writer.write(.buffer(buffer)) }
                    try await writer.write(.end)
                } catch {
                    try? await writer.write(.error(error))
                }
            }))
        }
        var rows: [[XLSXCell]] = []
        var after: (Int64, UUID)?
        var tooMany = false
        while !tooMany {
            let page = try await page(after: after, limit: 2_000)
            for r in page {
                lines(r) { rows.append($0.map { .text($0) }) }
                if rows.count > xlsxRowLimit { tooMany = true }
            }
            guard page.count == 2_000, let cursor = page.last?.cursor else { break }
            after = cursor
        }
        if tooMany { throw AppError.refused(key: "survey.export.tooBig") }
        headers.replaceOrAdd(name: .contentType, value: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(name).xlsx\"")
        let data = try XLSXWriter.write([XLSXSheet(name: t("survey.export.sheetResponses"), header: header(t), rows: rows)])
        return Response(status: .ok, headers: headers, body: .init(data: data))
    }

    /// Index per unit, per field, per month and overall, with factor indices and respondent counts.
    static func aggregateRows(_ t: Localizer, _ d: SurveyAdminController.ResultsData) -> (header: [String], rows: [[String]]) {
        let method = d.settings.overall
        let header = [t("survey.results.group"), t("column.code"), t("column.name"), t("survey.results.responses"), t("survey.results.overall")]
            + SIPASFactor.allCases.map { t($0.labelKey) } + [t("survey.results.weighted")]
        func row(_ group: String, _ code: String, _ name: String, _ c: SurveyService.Cell) -> [String] {
            [group, code, name, String(c.responses), c.overall(method)?.plain(places: 2) ?? ""]
                + SIPASFactor.allCases.map { c.factors[$0]?.index?.plain(places: 2) ?? "" }
                + [SatisfactionIndex.meanWeight(sum: c.weightSum, count: c.weightCount)?.plain(places: 2) ?? ""]
        }
        var rows: [[String]] = [row(t("survey.results.total"), "", d.campaign.title, d.results.total)]
        for (id, c) in d.results.byUnit.sorted(by: { (d.unitNames[$0.key]?.code ?? "") < (d.unitNames[$1.key]?.code ?? "") }) {
            rows.append(row(t("survey.results.byUnit"), d.unitNames[id]?.code ?? "", d.unitNames[id]?.name ?? "", c))
        }
        for (f, c) in d.results.byField.sorted(by: { $0.key < $1.key }) {
            rows.append(row(t("survey.results.byField"), f, d.fieldNames[f] ?? t("survey.results.noField"), c))
        }
        for (m, c) in d.results.byMonth.sorted(by: { $0.key < $1.key }) { rows.append(row(t("survey.results.byMonth"), m, m, c)) }
        return (header, rows)
    }

    static func aggregates(_ req: Request, data d: SurveyAdminController.ResultsData, format: String) async throws -> Response {
        let t = req.t
        let (header, rows) = aggregateRows(t, d)
        return try TableDownload.response(
            name: "khao-sat-tong-hop-\(d.campaign.year)", sheet: t("survey.export.sheetAggregates"), header: header, rows: rows, format: format,
            numbersFrom: 3)
    }

}

/// A table as a CSV or XLSX download (every cell through the formula guard of the writers); in the XLSX, the
/// columns from `numbersFrom` on are numbers where not blank.
enum TableDownload {
    static func response(name: String, sheet: String, header: [String], rows: [[String]], format: String, numbersFrom: Int) throws -> Response {
        var headers = HTTPHeaders()
        if format == "csv" {
            headers.replaceOrAdd(name: .contentType, value: "text/csv; charset=utf-8")
            headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(name).csv\"")
            return Response(status: .ok, headers: headers, body: .init(data: CSVCodec.write([header] + rows)))
        }
        headers.replaceOrAdd(name: .contentType, value: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(name).xlsx\"")
        let table = XLSXSheet(name: sheet, header: header, rows: rows.map { r in
            r.enumerated().map { i, v in i >= numbersFrom && !v.isEmpty ? .number(v) : .text(v) }
        })
        return Response(status: .ok, headers: headers, body: .init(data: try XLSXWriter.write([table])))
    }
}
