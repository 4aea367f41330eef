import Foundation

/// Measured benefits, as the authors (on submission) or an adopting unit (on adoption) report them. Whole numbers:
/// hours of processing time saved per year, đồng saved per year, dossiers affected per year.
public struct Benefits: Codable, Equatable, Sendable {
    public var hoursSaved: Int64
    public var costSaved: Int64
    public var dossiers: Int64

    public init(hoursSaved: Int64 = 0, costSaved: Int64 = 0, dossiers: Int64 = 0) {
        self.hoursSaved = hoursSaved
        self.costSaved = costSaved
        self.dossiers = dossiers
    }

    public static func + (a: Benefits, b: Benefits) -> Benefits {
        Benefits(hoursSaved: a.hoursSaved + b.hoursSaved, costSaved: a.costSaved + b.costSaved, dossiers: a.dossiers + b.dossiers)
    }

    /// Each figure 0…10^12 (a typing slip of a few digits too many is refused rather than summed).
    public static func parse(_ raw: String) -> Int64? {
        let digits = raw.filter { $0 != "." && $0 != "," && $0 != " " }
        if digits.isEmpty { return 0 }
        guard digits.count <= 12, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int64(digits)
    }
}

/// Where a recognised initiative spread: adopting units and the combined effect (its own, plus theirs).
public struct Spread: Equatable, Sendable {
    public let adopters: Int
    public let combined: Benefits
    public let stalled: Bool

    /// `stallAfterDays`: a recognised initiative nobody adopted within this many days of its decision is "stalled".
    public init(own: Benefits, adoptions: [Benefits], decidedOn: CivilDate?, today: CivilDate, stallAfterDays: Int = 180) {
        adopters = adoptions.count
        combined = adoptions.reduce(own, +)
        if let d = decidedOn { stalled = adoptions.isEmpty && today.daysSinceEpoch - d.daysSinceEpoch >= stallAfterDays } else { stalled = false }
    }
}

/// The public library's search: every word of the query, folded (no diacritics, lower case), found in the text.
public enum LibrarySearch {
    public static func matches(_ query: String, in fields: [String]) -> Bool {
        let words = VietnameseText.fold(query).split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
        guard !words.isEmpty else { return true }
        let text = VietnameseText.fold(fields.joined(separator: " "))
        return words.allSatisfy { text.contains($0) }
    }
}
