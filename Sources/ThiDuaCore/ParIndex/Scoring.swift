import Foundation

/// What a unit reports for one leaf. Which case fits depends on the leaf's method.
public enum LeafInput: Equatable, Sendable {
    /// manual: the points themselves.
    case points(Points)
    /// binary.
    case done(Bool)
    /// tiers: the percentage achieved; proportional: the actual value.
    case value(Points)
    /// deduction: how many events were counted.
    case events(Int)
    /// survey: how many respondents chose A, B, C, D…
    case answers([Int])
    /// survey, fed by a survey campaign: the sum of the chosen options' weights (%) over `count` answers.
    case weighted(sum: Points, count: Int)
    /// Không áp dụng: the criterion does not apply to this unit; its max leaves the unit's maximum.
    case notApplicable
}

public enum InputProblem: Equatable, Sendable {
    case wrongKind
    case outOfRange(min: Points, max: Points)
    case negative

    public var key: String {
        switch self {
        case .wrongKind: "score.wrongKind"
        case .outOfRange: "score.outOfRange"
        case .negative: "score.negative"
        }
    }
}

public struct UnitResult: Equatable, Sendable, Codable {
    /// Points of the ordinary criteria.
    public var total: Points
    /// The framework total less the max of criteria that do not apply to this unit.
    public var applicableMax: Points
    public var bonus: Points
    public var penalty: Points
    /// total + bonus − penalty, never below zero.
    public var final: Points
    /// final ÷ applicableMax × 100, rounded to the framework's places.
    public var percent: Points
    /// The part of `total` that came from survey leaves.
    public var survey: Points
    /// Points and applicable max of each top-level node, in `CompiledFramework.areas` order.
    public var areaPoints: [Points]
    public var areaMax: [Points]
}

extension CompiledFramework {
    /// Checks an input before it is stored: the right kind for the method and within range.
    public func validate(_ input: LeafInput, leaf: Int) -> InputProblem? {
        let node = nodes[leaves[leaf]]
        guard let method = node.method else { return .wrongKind }
        switch (method, input) {
        case (_, .notApplicable): return nil
        case (.manual, .points(let p)):
            return p < .zero || p > node.max ? .outOfRange(min: .zero, max: node.max) : nil
        case (.binary, .done): return nil
        case (.tiers, .value(let v)), (.proportional, .value(let v)), (.metric, .value(let v)):
            return v < .zero ? .negative : nil
        case (.deduction, .events(let n)): return n < 0 ? .negative : nil
        case (.survey(let w), .answers(let counts)):
            return counts.count != w.count || counts.contains { $0 < 0 } ? .negative : nil
        case (.survey, .weighted(let sum, let count)):
            return count < 0 || sum < .zero ? .negative : nil
        default: return .wrongKind
        }
    }

    /// Points of one leaf, rounded to the framework's places (half away from zero); nil when not applicable.
    /// A missing or mismatched input scores zero.
    public func leafPoints(_ leaf: Int, input: LeafInput?, metrics: [MetricKey: Points]) -> Points? {
        let max = leafMax[leaf]
        let places = spec.rounding == .leaf ? self.places : 4
        if case .notApplicable? = input { return nil }
        let raw: Points
        switch (leafMethod[leaf], input) {
        case (.manual?, .points(let p)?): raw = Points.min(Points.max(p, .zero), max)
        case (.binary?, .done(let d)?): raw = d ? max : .zero
        case (.tiers(let tiers)?, .value(let v)?): raw = Self.tierPoints(tiers, v)
        case (.proportional(let target)?, .value(let v)?): raw = Points.min(max, max.times(v, over: target, places: places))
        case (.deduction(let per, let floor)?, .events(let n)?): raw = Points.max(floor, max - per * Swift.max(0, n))
        case (.deduction?, nil): raw = max  // nothing reported: no deduction
        case (.survey(let weights)?, .answers(let counts)?):
            let n = counts.reduce(0, +)
            guard n > 0, counts.count == weights.count else { return .zero }
            var weighted = Points.zero
            for (c, w) in zip(counts, weights) { weighted += w * c }
            raw = max.times(weighted, over: Points(100) * n, places: places)
        case (.survey?, .weighted(let sum, let n)?):
            guard n > 0 else { return .zero }
            raw = Points.min(max, max.times(sum, over: Points(100) * n, places: places))
        case (.metric(let key, let rule)?, let given):
            let value: Points?
            if case .value(let v)? = given { value = v } else { value = metrics[key] }
            guard let value else { return .zero }
            switch rule {
            case .tiers(let tiers): raw = Self.tierPoints(tiers, value)
            case .proportional(let target): raw = Points.min(max, max.times(value, over: target, places: places))
            }
        default: raw = .zero
        }
        return raw.rounded(places: places)
    }

    static func tierPoints(_ tiers: [Tier], _ value: Points) -> Points {
        for t in tiers where value >= t.min { return t.points }
        return .zero
    }

    /// Scores one unit. `inputs` is indexed by leaf (see `leafIndex`); sums are exact.
    public func score(_ inputs: [LeafInput?], metrics: [MetricKey: Points] = [:]) -> UnitResult {
        var areaPoints = [Points](repeating: .zero, count: areas.count)
        var areaMax = areas.map { nodes[$0].max }
        var total = Points.zero, survey = Points.zero
        var notApplicable = Points.zero
        for leaf in 0..<leaves.count {
            let kind = leafKind[leaf]
            let area = leafArea[leaf]
            let input = leaf < inputs.count ? inputs[leaf] : nil
            guard let p = leafPoints(leaf, input: input, metrics: metrics) else {
                if kind == .normal {
                    notApplicable += leafMax[leaf]
                    areaMax[area] = areaMax[area] - leafMax[leaf]
                }
                continue
            }
            areaPoints[area] += p
            if kind == .normal {
                total += p
                if case .survey? = leafMethod[leaf] { survey += p }
            }
        }
        // Buckets are capped at their own max.
        var bonus = Points.zero, penalty = Points.zero
        for i in 0..<areas.count {
            switch areaKind[i] {
            case .normal: continue
            case .bonus:
                areaPoints[i] = Points.min(areaPoints[i], areaMax[i])
                bonus += areaPoints[i]
            case .penalty:
                areaPoints[i] = Points.min(areaPoints[i], areaMax[i])
                penalty += areaPoints[i]
            }
        }
        let applicableMax = spec.total - notApplicable
        if spec.rounding == .total {
            total = total.rounded(places: places)
            bonus = bonus.rounded(places: places)
            penalty = penalty.rounded(places: places)
            survey = survey.rounded(places: places)
        }
        let final = Points.max(.zero, total + bonus - penalty)
        return UnitResult(
            total: total, applicableMax: applicableMax, bonus: bonus, penalty: penalty, final: final,
            percent: Points.percent(final, of: applicableMax, places: places), survey: survey,
            areaPoints: areaPoints, areaMax: areaMax)
    }

    /// Points of every node (groups are sums of their children), for the per-criterion score sheet.
    public func nodePoints(_ inputs: [LeafInput?], metrics: [MetricKey: Points] = [:]) -> [Points?] {
        var out = [Points?](repeating: nil, count: nodes.count)
        for leaf in 0..<leaves.count {
            let p = leafPoints(leaf, input: leaf < inputs.count ? inputs[leaf] : nil, metrics: metrics)
            out[leaves[leaf]] = p
            guard let p else { continue }
            var cursor = nodes[leaves[leaf]].parent
            while let c = cursor {
                out[c] = (out[c] ?? .zero) + p
                cursor = nodes[c].parent
            }
        }
        return out
    }

    /// The band of a percentage: the first (highest) band whose minimum it reaches.
    public func band(for percent: Points) -> Int? {
        spec.bands.firstIndex { percent >= $0.min }
    }
}

public enum Ranking {
    /// Competition ranking ("1, 2, 2, 4") by percentage, high first; with `.points` equal percentages are
    /// separated by final points before sharing a rank.
    public static func ranks(percent: [Points], final: [Points], tieBreak: TieBreak) -> [Int] {
        let order = percent.indices.sorted { a, b in
            if percent[a] != percent[b] { return percent[a] > percent[b] }
            if tieBreak == .points && final[a] != final[b] { return final[a] > final[b] }
            return a < b
        }
        var ranks = [Int](repeating: 0, count: percent.count)
        for (position, i) in order.enumerated() {
            if position > 0 {
                let prev = order[position - 1]
                let tied = percent[prev] == percent[i] && (tieBreak == .none || final[prev] == final[i])
                ranks[i] = tied ? ranks[prev] : position + 1
            } else {
                ranks[i] = 1
            }
        }
        return ranks
    }
}

public struct BandSummary: Equatable, Sendable {
    public let label: String
    public let count: Int
    /// Share of units, % rounded to 2 places half away from zero (so shares may not add to exactly 100).
    public let share: Points

    public static func summarise(bands: [Band], assigned: [Int?]) -> [BandSummary] {
        let total = assigned.count
        return bands.enumerated().map { i, b in
            let n = assigned.filter { $0 == i }.count
            return BandSummary(label: b.label, count: n, share: Points.percent(Points(n), of: Points(total), places: 2))
        }
    }
}

/// How far appraisers move scores: statistics of (appraised − self) per appraiser or per criterion.
public struct Calibration: Equatable, Sendable {
    public let count: Int
    public let mean: Double
    public let median: Double
    public let standardDeviation: Double

    /// Descriptive statistics in binary floating point: they describe, they are never published as scores.
    public static func of(_ differences: [Points]) -> Calibration {
        let xs = differences.map { Double($0.e4) / Double(Points.scale) }.sorted()
        guard !xs.isEmpty else { return Calibration(count: 0, mean: 0, median: 0, standardDeviation: 0) }
        let mean = xs.reduce(0, +) / Double(xs.count)
        let median = xs.count % 2 == 1 ? xs[xs.count / 2] : (xs[xs.count / 2 - 1] + xs[xs.count / 2]) / 2
        let variance = xs.count > 1 ? xs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(xs.count - 1) : 0
        return Calibration(count: xs.count, mean: mean, median: median, standardDeviation: variance.squareRoot())
    }

    /// Groups whose mean lies more than `z` standard deviations from the mean of all group means.
    public static func outliers(_ groups: [String: Calibration], z: Double = 2) -> Set<String> {
        let means = groups.values.map(\.mean)
        guard means.count > 2 else { return [] }
        let m = means.reduce(0, +) / Double(means.count)
        let sd = (means.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(means.count - 1)).squareRoot()
        guard sd > 0 else { return [] }
        return Set(groups.filter { abs($0.value.mean - m) > z * sd }.keys)
    }
}
