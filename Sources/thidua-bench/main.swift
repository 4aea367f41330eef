import Foundation
import ThiDuaCore

// Computes a PAR Index cycle at national commune scale: 3,300 units × 120 leaves, then ranks every group and
// assigns bands. Prints the median of several runs. Figures go to docs/benchmarks.md.


func pts(_ s: String) -> Points { Points(parsing: s)! }

/// 8 areas × 15 leaves = 120 leaves, methods in rotation, 12.5 points per area.
func syntheticFramework() -> CompiledFramework {
    var criteria: [CriterionSpec] = []
    for a in 1...8 {
        criteria.append(CriterionSpec(code: "\(a)", parent: nil, title: "Lĩnh vực \(a)", max: pts("12.5")))
        for l in 1...15 {
            let max = l <= 10 ? pts("0.8") : pts("0.9")
            let method: ScoringMethod
            switch l % 7 {
            case 0: method = .manual
            case 1: method = .binary
            case 2: method = .tiers([Tier(min: pts("100"), points: max), Tier(min: pts("90"), points: pts("0.5")), Tier(min: pts("80"), points: pts("0.25"))])
            case 3: method = .proportional(target: pts("12"))
            case 4: method = .deduction(perEvent: pts("0.25"), floor: .zero)
            case 5: method = .survey(weights: ScoringMethod.defaultSurveyWeights)
            default: method = .metric(.taskOnTimeRate, .proportional(target: pts("100")))
            }
            criteria.append(CriterionSpec(code: "\(a).\(l)", parent: "\(a)", title: "Tiêu chí \(a).\(l)", max: max, method: method))
        }
    }
    let spec = FrameworkSpec(code: "BENCH", name: "Bench", year: 2026, unitKind: "commune", criteria: criteria)
    return try! CompiledFramework.compile(spec).get()
}

let fw = syntheticFramework()
precondition(fw.leaves.count == 120)
let unitCount = 3_300
let groups = 34
var rng = SplitMix64(seed: 2026)
var inputs: [[LeafInput?]] = []
var metrics: [[MetricKey: Points]] = []
for _ in 0..<unitCount {
    var row: [LeafInput?] = []
    for leaf in 0..<fw.leaves.count {
        let max = fw.nodes[fw.leaves[leaf]].max
        switch fw.nodes[fw.leaves[leaf]].method! {
        case .manual: row.append(.points(Points(e4: Int64.random(in: 0...max.e4, using: &rng))))
        case .binary: row.append(.done(Bool.random(using: &rng)))
        case .tiers, .proportional, .metric: row.append(Int.random(in: 0..<20, using: &rng) == 0 ? .notApplicable : .value(Points(e4: Int64.random(in: 0...1_200_000, using: &rng))))
        case .deduction: row.append(.events(Int.random(in: 0...3, using: &rng)))
        case .survey: row.append(.answers((0..<4).map { _ in Int.random(in: 0...40, using: &rng) }))
        }
    }
    inputs.append(row)
    metrics.append([.taskOnTimeRate: Points(e4: Int64.random(in: 500_000...1_000_000, using: &rng))])
}

@MainActor func runOnce() -> (Double, Int) {
    let start = DispatchTime.now().uptimeNanoseconds
    var results: [UnitResult] = []
    results.reserveCapacity(unitCount)
    for u in 0..<unitCount { results.append(fw.score(inputs[u], metrics: metrics[u])) }
    var checksum = 0
    for g in 0..<groups {
        let members = stride(from: g, to: unitCount, by: groups).map { results[$0] }
        let ranks = Ranking.ranks(percent: members.map(\.percent), final: members.map(\.final), tieBreak: .none)
        let bands = members.map { fw.band(for: $0.percent) }
        checksum &+= ranks.reduce(0, +) &+ bands.compactMap { $0 }.reduce(0, +)
    }
    let ms = Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000
    return (ms, checksum &+ Int(results.reduce(Int64(0)) { $0 &+ $1.final.e4 } % 1_000_000))
}

_ = runOnce()  // warm-up
var times: [Double] = []
var check = 0
for _ in 0..<15 {
    let (ms, c) = runOnce()
    times.append(ms)
    check = c
}
times.sort()
print("PAR Index cycle: \(unitCount) units × \(fw.leaves.count) leaves, \(groups) groups ranked and banded")
print(String(format: "median %.1f ms, min %.1f ms, max %.1f ms over %d runs (checksum %d)", times[times.count / 2], times.first!, times.last!, times.count, check))
