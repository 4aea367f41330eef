import Fluent
import Foundation
import SQLKit
import Vapor
import ThiDuaCore

/// A reporting period of Decision 766: a month, a quarter, the first 6 or 9 months, or the year.
struct ReportPeriod: Hashable, Sendable {
    let year: Int
    /// "m1"…"m12", "q1"…"q4", "h1" (6 months), "n9" (9 months), "y".
    let code: String

    static let codes = (1...12).map { "m\($0)" } + (1...4).map { "q\($0)" } + ["h1", "n9", "y"]

    init(year: Int, code: String) {
        self.year = min(max(year, 2000), 2100)
        self.code = Self.codes.contains(code) ? code : "y"
    }

    var months: [String] {
        let range: ClosedRange<Int> =
            switch code {
            case "y": 1...12
            case "h1": 1...6
            case "n9": 1...9
            default:
                if code.hasPrefix("q"), let q = Int(code.dropFirst()) { (q - 1) * 3 + 1...q * 3 } else if let m = Int(code.dropFirst()) { m...m } else { 1...12 }
            }
        return range.map { String(format: "%04d-%02d", year, $0) }
    }

    func label(_ t: Localizer) -> String {
        if code.hasPrefix("m") { return t("perf.period.month", String(code.dropFirst()), String(year)) }
        if code.hasPrefix("q") { return t("perf.period.quarter", String(code.dropFirst()), String(year)) }
        return t("perf.period." + code, String(year))
    }

    var query: String { "year=\(year)&period=\(code)" }
}

/// Reading the tallies: indicators by unit, by procedure, the late dossiers behind them.
enum PerformanceService {
    struct Line: Sendable {
        let id: UUID
        let code: String
        let name: String
        let extra: String
        let tally: DossierTally
        var indicators: DossierIndicators { DossierIndicators(tally) }
    }

    private static let sums = DossierService.tallyColumns.map { "CAST(SUM(t.\($0)) AS BIGINT) AS \($0)" }.joined(separator: ", ")

    private struct SumRow: Decodable, TallyColumns {
        let id: UUID, code: String, name: String, extra: String?
        let received: Int, resolved: Int, early: Int, on_time: Int, late: Int, withdrawn: Int, online: Int, payable: Int, paid_online: Int
        let digitised: Int, rated: Int, unsatisfied: Int, complaints: Int, processing_hd: Int, statutory_hd: Int, internal_resolved: Int
        let internal_hd: Int, within_internal: Int
        var tally: DossierTally { counts }
    }

    /// One line per unit with dossiers in the period (within `scope`, nil = all), ordered by code.
    static func byUnit(_ period: ReportPeriod, scope: Set<UUID>?, on db: any Database) async throws -> [Line] {
        guard let sql = db as? any SQLDatabase else { return [] }
        // From the per-unit rollup: units × months rows, however many dossiers and procedures there are.
        let outer = DossierService.tallyColumns.map { "s.\($0)" }.joined(separator: ", ")
        let rows = try await sql.raw("""
            SELECT u.id, u.code, u.name, NULL AS extra, \(unsafeRaw: outer) FROM (SELECT t.unit_id, \(unsafeRaw: sums) FROM dossier_unit_tallies t \
            WHERE t.month IN (\(binds: period.months)) GROUP BY t.unit_id) s JOIN units u ON u.id = s.unit_id ORDER BY u.code
            """).all(decoding: SumRow.self)
        return rows.filter { scope?.contains($0.id) ?? true }.map { Line(id: $0.id, code: $0.code, name: $0.name, extra: "", tally: $0.tally) }
    }

    /// One line per procedure of a unit in the period, with processing-time histograms (for the 90th percentile).
    static func byProcedure(_ period: ReportPeriod, unit: UUID, on db: any Database) async throws -> [Line] {
        guard let sql = db as? any SQLDatabase else { return [] }
        let rows = try await sql.raw("""
            SELECT p.id, p.code, p.name, p.field AS extra, \(unsafeRaw: sums) FROM dossier_tallies t JOIN procedures p ON p.id = t.procedure_id \
            WHERE t.unit_id = \(bind: unit) AND t.month IN (\(binds: period.months)) GROUP BY p.id, p.code, p.name, p.field ORDER BY p.code
            """).all(decoding: SumRow.self)
        struct H: Decodable { let procedure_id: UUID, half_days: Int, n: Int }
        var histograms: [UUID: [Int: Int]] = [:]
        for h in try await sql.raw("""
            SELECT t.procedure_id, h.half_days, CAST(SUM(h.n) AS BIGINT) AS n FROM dossier_tally_histograms h \
            JOIN dossier_tallies t ON t.id = h.tally_id \
            WHERE t.unit_id = \(bind: unit) AND t.month IN (\(binds: period.months)) GROUP BY t.procedure_id, h.half_days
            """).all(decoding: H.self) where h.n != 0
        {
            histograms[h.procedure_id, default: [:]][h.half_days] = h.n
        }
        return rows.map {
            var t = $0.tally
            t.histogram = histograms[$0.id] ?? [:]
            return Line(id: $0.id, code: $0.code, name: $0.name, extra: $0.extra ?? "", tally: t)
        }
    }

    static func total(_ lines: [Line]) -> DossierTally { lines.reduce(into: DossierTally()) { $0 += $1.tally } }

    struct LateDossier: Decodable, Sendable {
        let code: String, channel: String, received_s: Int64, due_s: Int64, resolved_s: Int64?, processing_half_days: Int?
    }

    /// The dossiers of a unit's procedure resolved late in the period, the latest first (at most `limit`).
    static func late(_ period: ReportPeriod, unit: UUID, procedure: UUID, limit: Int = 500, on db: any Database) async throws -> [LateDossier] {
        guard let sql = db as? any SQLDatabase else { return [] }
        return try await sql.raw("""
            SELECT code, channel, received_s, due_s, resolved_s, processing_half_days FROM dossiers \
            WHERE unit_id = \(bind: unit) AND procedure_id = \(bind: procedure) AND timeliness = 'late' AND resolved_month IN (\(binds: period.months)) \
            ORDER BY resolved_s DESC LIMIT \(unsafeRaw: String(limit))
            """).all(decoding: LateDossier.self)
    }

    /// The latest year with dossiers (the default period), or this year.
    static func latestYear(on db: any Database) async throws -> Int {
        guard let sql = db as? any SQLDatabase else { return CivilDate.today().year }
        struct R: Decodable { let m: String? }
        let m = try await sql.raw("SELECT MAX(month) AS m FROM dossier_tallies").first(decoding: R.self)?.m
        return m.flatMap { Int($0.prefix(4)) } ?? CivilDate.today().year
    }
}

/// Offers the dossier indicators to the PAR Index as system metrics, per unit and year.
struct ProcedureMetricSource: MetricSource {
    func values(for unitIDs: [UUID], year: Int, on db: any Database) async throws -> [UUID: [MetricKey: Points]] {
        guard !unitIDs.isEmpty else { return [:] }
        let lines = try await PerformanceService.byUnit(ReportPeriod(year: year, code: "y"), scope: Set(unitIDs), on: db)
        var out: [UUID: [MetricKey: Points]] = [:]
        for l in lines {
            let i = l.indicators
            var m: [MetricKey: Points] = [:]
            if let v = i.onTimeRate { m[.dossierOnTimeRate] = v }
            if let v = i.onlineRate { m[.onlineRate] = v }
            if let v = i.digitisationRate { m[.digitisationRate] = v }
            if !m.isEmpty { out[l.id] = m }
        }
        return out
    }
}
