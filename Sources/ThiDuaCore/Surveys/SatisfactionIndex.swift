import Foundation

/// Satisfied answers out of answered ones, for one factor, unit, field or period.
public struct SatisfactionTally: Sendable, Equatable, Codable {
    public var satisfied: Int
    public var answered: Int

    public init(satisfied: Int = 0, answered: Int = 0) {
        self.satisfied = satisfied
        self.answered = answered
    }

    public static func + (a: SatisfactionTally, b: SatisfactionTally) -> SatisfactionTally {
        SatisfactionTally(satisfied: a.satisfied + b.satisfied, answered: a.answered + b.answered)
    }

    public static func += (a: inout SatisfactionTally, b: SatisfactionTally) { a = a + b }

    /// satisfied ÷ answered × 100, rounded once, half away from zero, to hundredths; nil when nothing was answered.
    public var index: Points? {
        answered == 0 ? nil : Points.percent(Points(satisfied), of: Points(answered), places: 2)
    }
}

/// The SIPAS index (DOMAIN.md §6): the share (%) of answers "satisfied" or "very satisfied", per factor and overall.
public enum SatisfactionIndex {
    /// How the overall index is formed from the factors. `pooled`: all satisfaction answers together (each answer
    /// weighs the same); `meanOfFactors`: the plain mean of the factor indices (each factor weighs the same). Which
    /// one a province publishes is a setting (docs/surveys.md).
    public enum Overall: String, Codable, CaseIterable, Sendable {
        case pooled
        case meanOfFactors = "mean_of_factors"
    }

    /// Whether one answer value counts as satisfied, or nil when the question does not feed the index.
    static func isSatisfied(_ q: Question, _ value: String) -> Bool? {
        switch q.kind {
        case .single, .matrix:
            guard let o = q.options.first(where: { $0.code == value }), let s = o.satisfied else { return nil }
            return s
        case .rating:
            guard let v = Int(value) else { return nil }
            let hi = q.scaleMax ?? 5
            return v >= (q.satisfiedFrom ?? max(q.scaleMin ?? 1, hi - 1))
        case .yesNo:
            return value == "yes"
        case .multiple, .shortText, .longText:
            return nil
        }
    }

    /// One response's contribution, per factor: each satisfaction question (or matrix row) with a factor that
    /// was answered counts once.
    public static func tally(_ questionnaire: Questionnaire, _ answers: SurveyAnswers) -> [SIPASFactor: SatisfactionTally] {
        var out: [SIPASFactor: SatisfactionTally] = [:]
        for q in questionnaire.questions where q.part == .satisfaction {
            let items: [(key: String, factor: SIPASFactor?)] =
                q.kind == .matrix ? q.rows.map { (q.code + "." + $0.code, $0.factor ?? q.factor) } : [(q.code, q.factor)]
            for item in items {
                guard let factor = item.factor, let value = answers.values[item.key]?.first, let s = isSatisfied(q, value) else { continue }
                out[factor, default: SatisfactionTally()] += SatisfactionTally(satisfied: s ? 1 : 0, answered: 1)
            }
        }
        return out
    }

    public static func overall(_ byFactor: [SIPASFactor: SatisfactionTally], method: Overall) -> Points? {
        switch method {
        case .pooled:
            return byFactor.values.reduce(SatisfactionTally(), +).index
        case .meanOfFactors:
            let indices = SIPASFactor.allCases.compactMap { byFactor[$0]?.index }
            guard !indices.isEmpty else { return nil }
            let sum = indices.reduce(Points.zero, +)
            return Points(e4: Points.divideRounded(sum.e4, by: Int64(indices.count) * 100) * 100)
        }
    }

    /// The score of a weighted form (PAR-Index surveys: A–D = 100/60/20/0 %): for one response, the sum of the
    /// chosen options' weights over the number of weighted questions answered, in %; nil if none was.
    public static func weightedScore(_ questionnaire: Questionnaire, _ answers: SurveyAnswers) -> (sum: Points, count: Int) {
        var sum = Points.zero
        var count = 0
        for q in questionnaire.questions where q.kind == .single || q.kind == .matrix {
            let keys = q.kind == .matrix ? q.rows.map { q.code + "." + $0.code } : [q.code]
            for key in keys {
                guard let v = answers.values[key]?.first, let w = q.options.first(where: { $0.code == v })?.weight else { continue }
                sum += w
                count += 1
            }
        }
        return (sum, count)
    }

    /// Σ weights ÷ answers, rounded once to hundredths (the mean score of many responses: add their sums and counts).
    public static func meanWeight(sum: Points, count: Int) -> Points? {
        count == 0 ? nil : Points(e4: Points.divideRounded(sum.e4, by: Int64(count) * 100) * 100)
    }
}

/// A note for small samples: the worst-case 95 % margin of error of a share from `n` answers, ±0.98 ÷ √n, in
/// percentage points (a display aid, not a score, so it is computed in floating point and shown rounded).
public enum SampleNote {
    public static let smallSample = 30

    public static func marginOfError(n: Int) -> Double? {
        n <= 0 ? nil : 98.0 / Double(n).squareRoot()
    }

    public static func isSmall(_ n: Int) -> Bool { n < smallSample }
}
