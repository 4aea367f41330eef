import Foundation

/// The criteria a review period scores with. Each criterion's maximum points are its weight; a reviewer gives
/// 0…maximum points (two decimals at most) per criterion and the total is their sum.
public struct Rubric: Codable, Equatable, Sendable {
    public struct Criterion: Codable, Equatable, Sendable {
        public var code: String
        public var name: String
        public var maxPoints: Points

        public init(code: String, name: String, maxPoints: Points) {
            self.code = code
            self.name = name
            self.maxPoints = maxPoints
        }
    }

    public var criteria: [Criterion]
    /// Reviewers' totals differing by at least this many points flag the initiative for discussion.
    public var disagreementPoints: Points

    public init(criteria: [Criterion], disagreementPoints: Points) {
        self.criteria = criteria
        self.disagreementPoints = disagreementPoints
    }

    /// Defaults (a setting per review period): novelty 30, applicability 25, effectiveness 30, replicability 15;
    /// totals 20 points apart are flagged.
    public static let standard = Rubric(
        criteria: [
            Criterion(code: "novelty", name: "Tính mới, sáng tạo", maxPoints: Points(30)),
            Criterion(code: "applicability", name: "Khả năng áp dụng", maxPoints: Points(25)),
            Criterion(code: "effectiveness", name: "Hiệu quả mang lại", maxPoints: Points(30)),
            Criterion(code: "replicability", name: "Khả năng nhân rộng", maxPoints: Points(15)),
        ], disagreementPoints: Points(20))

    public var maxTotal: Points { criteria.map(\.maxPoints).reduce(.zero, +) }

    public enum Problem: Equatable, Sendable {
        case empty
        case badCode(String)
        case duplicateCode(String)
        case missingName(String)
        case badMax(String)
        case badThreshold
    }

    public var problems: [Problem] {
        guard !criteria.isEmpty else { return [.empty] }
        var out: [Problem] = []
        var seen: Set<String> = []
        for c in criteria {
            if (try? FieldRules.code(c.code).get()) == nil { out.append(.badCode(c.code)) }
            if !seen.insert(c.code.uppercased()).inserted { out.append(.duplicateCode(c.code)) }
            if c.name.trimmingCharacters(in: .whitespaces).isEmpty { out.append(.missingName(c.code)) }
            if c.maxPoints <= .zero || c.maxPoints > Points(100) || c.maxPoints.rounded(places: 2) != c.maxPoints { out.append(.badMax(c.code)) }
        }
        if disagreementPoints <= .zero || disagreementPoints > maxTotal { out.append(.badThreshold) }
        return out
    }

    /// Lines "code | name | maximum points", as the period form shows them.
    public var text: String {
        criteria.map { "\($0.code) | \($0.name) | \($0.maxPoints.plain(places: 2))" }.joined(separator: "\n")
    }

    /// Reads the form's lines; nil with the 1-based line numbers that could not be read.
    public static func parse(_ raw: String, disagreement: Points) -> Result<Rubric, LineErrors> {
        var criteria: [Criterion] = []
        var bad: [Int] = []
        for (i, line) in raw.split(whereSeparator: \.isNewline).enumerated() {
            let parts = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.allSatisfy(\.isEmpty) { continue }
            guard parts.count == 3, let max = Points(typed: parts[2]) else {
                bad.append(i + 1)
                continue
            }
            criteria.append(Criterion(code: parts[0], name: parts[1], maxPoints: max))
        }
        return bad.isEmpty ? .success(Rubric(criteria: criteria, disagreementPoints: disagreement)) : .failure(LineErrors(lines: bad))
    }

    public struct LineErrors: Error, Equatable, Sendable { public let lines: [Int] }

    /// One reviewer's scores: every criterion scored, within 0…max, at most two decimals. The problems by criterion code.
    public func check(_ scores: [String: Points]) -> [String] {
        var out: [String] = []
        for c in criteria {
            guard let s = scores[c.code] else {
                out.append(c.code)
                continue
            }
            if s < .zero || s > c.maxPoints || s.rounded(places: 2) != s { out.append(c.code) }
        }
        for k in scores.keys where !criteria.contains(where: { $0.code == k }) { out.append(k) }
        return out
    }

    public func total(_ scores: [String: Points]) -> Points {
        criteria.compactMap { scores[$0.code] }.reduce(.zero, +)
    }
}

/// What the panel sees of the reviewers' totals: mean, median, standard deviation (of the panel itself: divided by
/// n), range and the disagreement flag. Exact integer arithmetic on hundredths of a point; each figure rounded once
/// to two places, half away from zero.
public struct PanelStatistics: Equatable, Sendable {
    public let count: Int
    public let mean: Points
    public let median: Points
    public let standardDeviation: Points
    public let range: Points
    public let disagreement: Bool

    public init?(_ values: [Points], disagreementPoints: Points) {
        guard !values.isEmpty else { return nil }
        let n = Int64(values.count)
        let e4 = values.map(\.e4).sorted()
        let sum = e4.reduce(0, +)
        count = values.count
        mean = Points(e4: Points.divideRounded(sum, by: n * 100) * 100)
        let mid = e4.count / 2
        let medianE4x2 = e4.count % 2 == 1 ? e4[mid] * 2 : e4[mid - 1] + e4[mid]
        median = Points(e4: Points.divideRounded(medianE4x2, by: 200) * 100)
        // Variance in e4² units: (n Σx² − (Σx)²) / n². Values ≤ 10^6 (100 points), so n Σx² stays far below 2^63.
        let sumSquares = e4.reduce(Int64(0)) { $0 + $1 * $1 }
        let numerator = n * sumSquares - sum * sum
        let denominator = n * n
        // σ in hundredths of a point: sqrt(numerator / denominator) / 100, rounded half away from zero.
        standardDeviation = Points(e4: Self.roundedSqrtHundredths(numerator, denominator) * 100)
        range = Points(e4: (e4.last ?? 0) - (e4.first ?? 0))
        disagreement = values.count > 1 && range >= disagreementPoints
    }

    /// round(sqrt(num / den) / 100) for num ≥ 0, i.e. the σ (given in e4 units) in hundredths: the integer h with
    /// (h − ½)² ≤ num / (den · 10^4) < (h + ½)², found exactly.
    static func roundedSqrtHundredths(_ num: Int64, _ den: Int64) -> Int64 {
        guard num > 0 else { return 0 }
        // Compare (2h+1)² · den · 10^4 with 4 · num, in 128 bits.
        func above(_ h: Int64) -> Bool {  // is h + ½ ≤ the root?
            let k = UInt64(2 * h + 1)
            let lhs = (k * k).multipliedFullWidth(by: UInt64(den) * 10_000)
            let rhs = UInt64(4).multipliedFullWidth(by: UInt64(num))
            return lhs.high < rhs.high || (lhs.high == rhs.high && lhs.low <= rhs.low)
        }
        var h = Int64((Double(num) / Double(den)).squareRoot() / 100)
        while h > 0 && !above(h - 1) { h -= 1 }
        while above(h) { h += 1 }
        return h
    }
}
