import Fluent
import Foundation
import ThiDuaCore

enum CycleQueries {
    struct Row: Sendable {
        let assessmentID: UUID
        let unitName: String
        let group: String
        let status: IndexAssessment.Status
        let selfPercent: Points
        let final: Points
        let percent: Points
        let rank: Int
        let band: String?
        let places: Int
        /// Percentage points against the unit's published index of the previous year, when there is one.
        let change: Points?
    }

    struct Overview: Sendable {
        let assignments: [(block: String, framework: String)]
        let blocks: [(value: String, label: String)]
        let frameworks: [(value: String, label: String)]
        let rows: [Row]
        let bandSummary: [BandSummary]
        let publications: [(number: Int, digest: String, at: Date, errata: String?)]
    }

    static func overview(_ cycle: IndexCycle, user: CurrentUser, on db: any Database) async throws -> Overview {
        let cycleID = try cycle.requireID()
        let assignments = try await IndexAssignment.query(on: db).filter(\.$cycle.$id == cycleID).with(\.$block).with(\.$framework).all()
        let blocks = try await EmulationBlock.query(on: db).filter(\.$year == cycle.year).sort(\.$sortKey).all()
        let frameworks = try await IndexFramework.query(on: db).filter(\.$year == cycle.year).sort(\.$code).all()
        let scope = try await UnitQueries.scope(of: user, .viewIndex, on: db)
        let results = try await IndexService.results(cycle: cycle, on: db)
        let lastYear = try await previousPercentages(year: cycle.year - 1, on: db)
        var rows: [Row] = []
        var bands: [Int?] = []
        var bandList: [Band] = []
        for r in results {
            bandList = r.framework.spec.bands
            for (i, sheet) in r.sheets.enumerated() {
                guard let ranked = r.ranked.first(where: { $0.code == sheet.unitCode }) else { continue }
                bands.append(r.framework.band(for: ranked.result.percent))
                if let scope, !scope.contains(sheet.unitID) { continue }
                rows.append(Row(
                    assessmentID: sheet.assessmentID, unitName: sheet.unitName, group: sheet.group, status: sheet.status,
                    selfPercent: r.selfResults[i].percent, final: ranked.result.final, percent: ranked.result.percent,
                    rank: ranked.rank, band: ranked.band, places: r.framework.places,
                    change: lastYear[sheet.unitID.uuidString].map { ranked.result.percent - $0 }))
            }
        }
        rows.sort { ($0.group, $0.rank, $0.unitName) < ($1.group, $1.rank, $1.unitName) }
        let pubs = try await IndexPublication.query(on: db).filter(\.$cycle.$id == cycleID).sort(\.$number).all()
        return Overview(
            assignments: assignments.map { ($0.block.name, $0.framework.name) },
            blocks: blocks.compactMap { b in b.id.map { ($0.uuidString, b.name) } },
            frameworks: frameworks.compactMap { f in f.id.map { ($0.uuidString, f.name) } },
            rows: rows,
            bandSummary: results.count == 1 ? BandSummary.summarise(bands: bandList, assigned: bands) : [],
            publications: pubs.map { ($0.number, $0.digest, Date(timeIntervalSince1970: Double($0.publishedMillis) / 1000), $0.errata) })
    }

    /// Unit id → published percentage of the latest publication of that year's cycles.
    static func previousPercentages(year: Int, on db: any Database) async throws -> [String: Points] {
        let cycles = try await IndexCycle.query(on: db).filter(\.$year == year).all().compactMap(\.id)
        guard !cycles.isEmpty else { return [:] }
        var out: [String: Points] = [:]
        for cid in cycles {
            guard let pub = try await IndexPublication.query(on: db).filter(\.$cycle.$id == cid).sort(\.$number, .descending).first(),
                let payload = try? JSONDecoder().decode(PublicationPayload.self, from: Data(pub.payload.utf8))
            else { continue }
            for r in payload.results { if let p = Points(parsing: r.percent) { out[r.unitID] = p } }
        }
        return out
    }

    struct CalibrationRow: Sendable {
        let name: String
        let stats: Calibration
        let outlier: Bool
    }

    /// Statistics of (appraised − self) points, per appraiser and per criterion, where an appraiser set a value.
    static func calibration(_ cycle: IndexCycle, on db: any Database) async throws -> (byAppraiser: [CalibrationRow], byCriterion: [CalibrationRow]) {
        let cycleID = try cycle.requireID()
        let assessments = try await IndexAssessment.query(on: db).filter(\.$cycle.$id == cycleID).all()
        var byAppraiser: [String: [Points]] = [:]
        var byCriterion: [String: [Points]] = [:]
        var frameworks: [UUID: CompiledFramework] = [:]
        for a in assessments {
            guard let aid = a.id else { continue }
            if frameworks[a.$framework.id] == nil, let f = try await IndexFramework.find(a.$framework.id, on: db) {
                frameworks[a.$framework.id] = try f.compiled()
            }
            guard let fw = frameworks[a.$framework.id] else { continue }
            for s in try await IndexScore.query(on: db).filter(\.$assessment.$id == aid).filter(\.$appraisedValue != nil).all() {
                guard let leaf = fw.leafIndex[s.criterionCode] else { continue }
                let selfIn = s.selfValue.flatMap { try? ScoreInputParser.parse($0, leaf: leaf, in: fw).get() }
                let apprIn = s.appraisedValue.flatMap { try? ScoreInputParser.parse($0, leaf: leaf, in: fw).get() }
                let sp = fw.leafPoints(leaf, input: selfIn, metrics: [:]) ?? .zero
                let ap = fw.leafPoints(leaf, input: apprIn, metrics: [:]) ?? .zero
                byAppraiser[s.appraisedBy ?? "?", default: []].append(ap - sp)
                byCriterion[s.criterionCode, default: []].append(ap - sp)
            }
        }
        func rows(_ d: [String: [Points]]) -> [CalibrationRow] {
            let stats = d.mapValues(Calibration.of)
            let outliers = Calibration.outliers(stats)
            return stats.sorted { $0.key < $1.key }.map { CalibrationRow(name: $0.key, stats: $0.value, outlier: outliers.contains($0.key)) }
        }
        return (rows(byAppraiser), rows(byCriterion))
    }
}

/// What is published: a deterministic JSON document (sorted keys, exact decimal strings) whose SHA-256 is shown
/// on the public page, so anyone can check a downloaded copy.
struct PublicationPayload: Codable, Sendable {
    /// Each year's latest publication (by the time it was published; an erratum replaces the earlier text).
    static func latestByYear(on db: any Database) async throws -> [Int: PublicationPayload] {
        var out: [Int: PublicationPayload] = [:]
        for p in try await IndexPublication.query(on: db).sort(\.$publishedMillis).sort(\.$number).all() {
            if let payload = try? JSONDecoder().decode(PublicationPayload.self, from: Data(p.payload.utf8)) { out[payload.year] = payload }
        }
        return out
    }

    struct Area: Codable, Sendable { let code: String, title: String, max: String }
    struct FrameworkInfo: Codable, Sendable {
        let code: String, name: String, places: Int, total: String, areas: [Area], bands: [String]
    }
    struct UnitRow: Codable, Sendable {
        let unitID: String, code: String, name: String, group: String, framework: String
        let total: String, applicableMax: String, bonus: String, penalty: String, final: String, percent: String
        let rank: Int, band: String?, areaPoints: [String], areaMax: [String]
    }

    let cycleID: String
    let year: Int
    let name: String
    let number: Int
    let errata: String?
    let rounding: String
    let frameworks: [FrameworkInfo]
    let results: [UnitRow]

    static let roundingRule = "Mỗi tiêu chí làm tròn nửa lên (xa số 0) đến số chữ số thập phân của bộ tiêu chí; tổng cộng chính xác; chỉ số (%) = tổng điểm ÷ điểm tối đa áp dụng × 100, làm tròn một lần."

    static func make(cycle: IndexCycle, results: [IndexService.FrameworkResults], number: Int, errata: String?) -> (number: Int, data: Data) {
        let pl = results.first?.framework.places ?? 2
        _ = pl
        let payload = PublicationPayload(
            cycleID: cycle.id?.uuidString ?? "", year: cycle.year, name: cycle.name, number: number, errata: errata,
            rounding: roundingRule,
            frameworks: results.map { r in
                let fw = r.framework
                return FrameworkInfo(
                    code: fw.spec.code, name: fw.spec.name, places: fw.places, total: fw.spec.total.plain(places: fw.places),
                    areas: fw.areas.map { Area(code: fw.nodes[$0].code, title: fw.nodes[$0].title, max: fw.nodes[$0].max.plain(places: fw.places)) },
                    bands: fw.spec.bands.map { $0.label + " ≥ " + $0.min.plain(places: 2) })
            },
            results: results.flatMap { r in
                r.ranked.map { row in
                    let p = r.framework.places
                    let unitID = r.sheets.first { $0.unitCode == row.code }?.unitID.uuidString ?? ""
                    return UnitRow(
                        unitID: unitID, code: row.code, name: row.name, group: row.group, framework: r.framework.spec.code,
                        total: row.result.total.plain(places: p), applicableMax: row.result.applicableMax.plain(places: p),
                        bonus: row.result.bonus.plain(places: p), penalty: row.result.penalty.plain(places: p),
                        final: row.result.final.plain(places: p), percent: row.result.percent.plain(places: p), rank: row.rank,
                        band: row.band, areaPoints: row.result.areaPoints.map { $0.plain(places: p) },
                        areaMax: row.result.areaMax.map { $0.plain(places: p) })
                }
            })
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (number, (try? e.encode(payload)) ?? Data())
    }
}
