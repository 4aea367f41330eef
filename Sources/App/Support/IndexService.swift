import Fluent
import Foundation
import ThiDuaCore

/// Values other modules offer to the PAR Index for a unit and year (task on-time rate, satisfaction, dossier
/// indicators). Modules register a source on the application; none is registered until those modules exist,
/// and a metric criterion without a value scores zero (shown as "chưa có số liệu").
protocol MetricSource: Sendable {
    func values(for unitIDs: [UUID], year: Int, on db: any Database) async throws -> [UUID: [MetricKey: Points]]
}

/// Computes a cycle's results from what is stored: self scores, appraised scores (where an appraiser set one,
/// otherwise the self score stands) and metrics.
enum IndexService {
    struct Sheet: Sendable {
        let assessmentID: UUID
        let unitID: UUID
        let unitCode: String
        let unitName: String
        let group: String
        let status: IndexAssessment.Status
        let selfInputs: [LeafInput?]
        let finalInputs: [LeafInput?]
        let metrics: [MetricKey: Points]
    }

    struct FrameworkResults: Sendable {
        let framework: CompiledFramework
        let frameworkID: UUID
        let sheets: [Sheet]
        let selfResults: [UnitResult]
        let ranked: [RankedResult]
    }

    static func inputs(_ scores: [IndexScore], fw: CompiledFramework, appraised: Bool) -> [LeafInput?] {
        var out = [LeafInput?](repeating: nil, count: fw.leaves.count)
        for s in scores {
            guard let leaf = fw.leafIndex[s.criterionCode] else { continue }
            let raw = appraised ? (s.appraisedValue ?? s.selfValue) : s.selfValue
            guard let raw, case .success(let input) = ScoreInputParser.parse(raw, leaf: leaf, in: fw) else { continue }
            out[leaf] = input
        }
        return out
    }

    /// Survey criteria the unit left empty take the weighted answers of the campaign linked to them.
    static func fed(_ inputs: [LeafInput?], fw: CompiledFramework, unit: UUID, _ feed: [String: [UUID: LeafInput]]) -> [LeafInput?] {
        guard !feed.isEmpty else { return inputs }
        var out = inputs
        for (leaf, node) in fw.leaves.enumerated() where out[leaf] == nil {
            if case .survey? = fw.nodes[node].method, let v = feed[fw.nodes[node].code]?[unit] { out[leaf] = v }
        }
        return out
    }

    static func results(cycle: IndexCycle, on db: any Database, metricSources: [any MetricSource] = []) async throws -> [FrameworkResults] {
        let cycleID = try cycle.requireID()
        let assessments = try await IndexAssessment.query(on: db).filter(\.$cycle.$id == cycleID).with(\.$unit).all()
        let ids = assessments.compactMap(\.id)
        let scores = try await IndexScore.query(on: db).filter(\.$assessment.$id ~~ ids).all()
        let scoresByAssessment = Dictionary(grouping: scores, by: { $0.$assessment.id })
        var metrics: [UUID: [MetricKey: Points]] = [:]
        for source in metricSources {
            for (unit, values) in try await source.values(for: assessments.map { $0.$unit.id }, year: cycle.year, on: db) {
                metrics[unit, default: [:]].merge(values) { $1 }
            }
        }
        let feed = try await SurveyCriterionFeed.inputs(year: cycle.year, on: db)
        var out: [FrameworkResults] = []
        for (frameworkID, group) in Dictionary(grouping: assessments, by: { $0.$framework.id }).sorted(by: { $0.key.uuidString < $1.key.uuidString }) {
            guard let fwModel = try await IndexFramework.find(frameworkID, on: db) else { continue }
            let fw = try fwModel.compiled()
            let sheets = group.sorted { ($0.groupName, $0.unit.sortKey) < ($1.groupName, $1.unit.sortKey) }.compactMap { a -> Sheet? in
                guard let id = a.id else { return nil }
                let s = scoresByAssessment[id] ?? []
                return Sheet(
                    assessmentID: id, unitID: a.$unit.id, unitCode: a.unit.code, unitName: a.unit.name, group: a.groupName,
                    status: a.status, selfInputs: fed(inputs(s, fw: fw, appraised: false), fw: fw, unit: a.$unit.id, feed),
                    finalInputs: fed(inputs(s, fw: fw, appraised: true), fw: fw, unit: a.$unit.id, feed),
                    metrics: metrics[a.$unit.id] ?? [:])
            }
            let ranked = CycleComputation.compute(fw, units: sheets.map {
                UnitScores(code: $0.unitCode, name: $0.unitName, group: $0.group, inputs: $0.finalInputs, metrics: $0.metrics)
            })
            out.append(FrameworkResults(
                framework: fw, frameworkID: frameworkID, sheets: sheets,
                selfResults: sheets.map { fw.score($0.selfInputs, metrics: $0.metrics) }, ranked: ranked))
        }
        return out
    }
}

/// A scoring method in words, for score sheets and exported frameworks.
enum MethodText {
    static func describe(_ m: ScoringMethod?, places: Int, _ t: Localizer) -> String {
        func n(_ p: Points) -> String { p.formatted(places: Swift.min(places, 2), english: t.english) }
        func tiers(_ ts: [Tier]) -> String { ts.map { "≥ " + n($0.min) + "% → " + n($0.points) }.joined(separator: "; ") }
        switch m {
        case nil: return ""
        case .manual?: return t("method.manual")
        case .binary?: return t("method.binary")
        case .tiers(let ts)?: return t("method.tiers", tiers(ts))
        case .proportional(let target)?: return t("method.proportional", n(target))
        case .deduction(let per, let floor)?: return t("method.deduction", n(per), n(floor))
        case .survey(let w)?: return t("method.survey", zip(["A", "B", "C", "D", "E", "F"], w).map { $0 + " " + n($1) + "%" }.joined(separator: ", "))
        case .metric(let key, .tiers(let ts))?: return t("method.metric", t(key.labelKey)) + "; " + tiers(ts)
        case .metric(let key, .proportional(let target))?: return t("method.metric", t(key.labelKey)) + "; " + t("method.proportional", n(target))
        }
    }

    /// What to type for a method, shown under the input.
    static func inputHint(_ m: ScoringMethod?, _ t: Localizer) -> String {
        switch m {
        case .manual?: t("hint.manual")
        case .binary?: t("hint.binary")
        case .tiers?, .metric?: t("hint.percent")
        case .proportional?: t("hint.actual")
        case .deduction?: t("hint.events")
        case .survey?: t("hint.survey")
        case nil: ""
        }
    }
}
