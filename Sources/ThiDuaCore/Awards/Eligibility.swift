import Foundation

/// Who an award is for.
public enum AwardSubject: String, CaseIterable, Codable, Sendable {
    case individual, collective, household
}

/// What the records say about a nominee, as the eligibility rules read it. Collectives carry the achievements of the
/// units they were merged from (the caller follows units through mergers before building this).
public struct NomineeRecord: Sendable {
    public struct Title: Sendable, Equatable {
        public let award: String
        public let year: Int
        /// Ad hoc and thematic awards do not count towards merit awards.
        public let merit: Bool
        public init(award: String, year: Int, merit: Bool = true) {
            self.award = award
            self.year = year
            self.merit = merit
        }
    }

    public struct Span: Sendable, Equatable {
        public let from: CivilDate
        /// nil: still running.
        public let to: CivilDate?
        public init(from: CivilDate, to: CivilDate?) {
            self.from = from
            self.to = to
        }

        public func overlaps(year: Int) -> Bool {
            let start = CivilDate(year: year, month: 1, day: 1)!, end = CivilDate(year: year, month: 12, day: 31)!
            return from <= end && (to.map { $0 >= start } ?? true)
        }

        public func isOpen(on day: CivilDate) -> Bool { from <= day && (to.map { $0 >= day } ?? true) }
    }

    public var ratings: [Int: PerformanceRating] = [:]
    public var titles: [Title] = []
    public var initiatives: [(level: RecognitionLevel, year: Int)] = []
    public var discipline: [Span] = []
    public var pendingCases: [(kind: PendingCaseKind, span: Span)] = []
    public var maternityLeave: [Span] = []
    /// The PAR Index band (label) of the nominee's unit, by year.
    public var unitBands: [Int: String] = [:]

    public init() {}
}

/// One eligibility rule, as data (a province edits them per award type and legal basis).
public enum EligibilityRule: Codable, Equatable, Sendable {
    /// A rating at least `atLeast` in each of the `years` years up to the nomination year; a year spent on maternity
    /// leave without a rating counts when `maternityCounts` (it is then shown for confirmation).
    case consecutiveRatings(atLeast: PerformanceRating, years: Int, maternityCounts: Bool)
    /// The award `award` (a merit award) in each of the `years` years up to the nomination year.
    case consecutiveTitles(award: String, years: Int)
    /// At least `count` initiatives recognised at `atLeast` or above within the last `withinYears` years.
    case initiatives(atLeast: RecognitionLevel, count: Int, withinYears: Int)
    /// The unit's PAR Index band in the nomination year is one of `bands` (e.g. Xuất sắc, Tốt, Khá).
    case unitBand(bands: [String])
    /// No discipline whose period overlaps the nomination year (achievements count only after it ends).
    case noDiscipline
    /// No investigation, inspection or substantiated complaint open on the reference day.
    case noPendingCase(kinds: [PendingCaseKind])
    /// Checked by a person (the text says what).
    case manual(String)
}

public enum RuleStatus: String, Codable, Sendable, Equatable {
    case met, notMet = "not_met", needsConfirmation = "needs_confirmation"
}

/// A rule's outcome and the data behind it (a catalogue key and its arguments).
public struct RuleResult: Sendable, Equatable, Codable {
    public let status: RuleStatus
    public let key: String
    public let arguments: [String]
}

public enum Eligibility {
    /// Evaluates one rule for a nomination in `year` (achievements of that year), with pending cases judged on
    /// `referenceDay` (the council's session).
    public static func evaluate(_ rule: EligibilityRule, _ r: NomineeRecord, year: Int, referenceDay: CivilDate) -> RuleResult {
        switch rule {
        case .consecutiveRatings(let atLeast, let years, let maternityCounts):
            var confirm: [Int] = []
            for y in (year - years + 1)...year {
                if let rating = r.ratings[y] {
                    if !rating.isAtLeast(atLeast) { return RuleResult(status: .notMet, key: "elig.rating.below", arguments: [String(y), rating.abbreviation]) }
                } else if maternityCounts && r.maternityLeave.contains(where: { $0.overlaps(year: y) }) {
                    confirm.append(y)
                } else {
                    return RuleResult(status: .notMet, key: "elig.rating.missing", arguments: [String(y)])
                }
            }
            if !confirm.isEmpty {
                return RuleResult(status: .needsConfirmation, key: "elig.rating.maternity", arguments: [confirm.map(String.init).joined(separator: ", ")])
            }
            return RuleResult(status: .met, key: "elig.rating.met", arguments: [String(years), atLeast.abbreviation])
        case .consecutiveTitles(let award, let years):
            for y in (year - years + 1)...year where !r.titles.contains(where: { $0.award == award && $0.year == y && $0.merit }) {
                return RuleResult(status: .notMet, key: "elig.title.missing", arguments: [award, String(y)])
            }
            return RuleResult(status: .met, key: "elig.title.met", arguments: [award, String(years)])
        case .initiatives(let atLeast, let count, let withinYears):
            let found = r.initiatives.filter { $0.level >= atLeast && $0.year > year - withinYears && $0.year <= year }.count
            return RuleResult(status: found >= count ? .met : .notMet, key: "elig.initiatives", arguments: [String(found), String(count), atLeast.rawValue])
        case .unitBand(let bands):
            guard let band = r.unitBands[year] else { return RuleResult(status: .needsConfirmation, key: "elig.band.missing", arguments: [String(year)]) }
            let ok = bands.contains { VietnameseText.fold($0) == VietnameseText.fold(band) }
            return RuleResult(status: ok ? .met : .notMet, key: "elig.band", arguments: [band])
        case .noDiscipline:
            if let d = r.discipline.first(where: { $0.overlaps(year: year) }) {
                return RuleResult(status: .notMet, key: "elig.discipline", arguments: [d.from.iso, d.to?.iso ?? ""])
            }
            return RuleResult(status: .met, key: "elig.noDiscipline", arguments: [])
        case .noPendingCase(let kinds):
            if let c = r.pendingCases.first(where: { kinds.contains($0.kind) && $0.span.isOpen(on: referenceDay) }) {
                return RuleResult(status: .notMet, key: "elig.pending", arguments: [c.kind.rawValue, c.span.from.iso])
            }
            return RuleResult(status: .met, key: "elig.noPending", arguments: [])
        case .manual(let text):
            return RuleResult(status: .needsConfirmation, key: "elig.manual", arguments: [text])
        }
    }

    /// The whole list: not met if any rule is not met, else to confirm if any needs confirmation, else met.
    public static func overall(_ results: [RuleResult]) -> RuleStatus {
        if results.contains(where: { $0.status == .notMet }) { return .notMet }
        if results.contains(where: { $0.status == .needsConfirmation }) { return .needsConfirmation }
        return .met
    }
}

extension PerformanceRating {
    /// Outstanding ≥ good ≥ satisfactory ≥ unsatisfactory.
    public func isAtLeast(_ other: PerformanceRating) -> Bool {
        let order: [PerformanceRating] = [.unsatisfactory, .satisfactory, .good, .outstanding]
        return (order.firstIndex(of: self) ?? 0) >= (order.firstIndex(of: other) ?? 0)
    }
}

/// The council's arithmetic: quorum and pass thresholds as fractions of all members (or of those present), compared
/// exactly in integers.
public struct Fraction: Codable, Equatable, Sendable {
    public let numerator: Int
    public let denominator: Int

    /// At most a millionth (what "90,5 %" needs); a larger denominator could overflow the integer comparisons.
    public init?(_ numerator: Int, _ denominator: Int) {
        guard denominator > 0, denominator <= 1_000_000, numerator >= 0, numerator <= denominator else { return nil }
        self.numerator = numerator
        self.denominator = denominator
    }

    /// "2/3", "70%", "70 %", "90,5%" (as typed in a setting).
    public init?(parsing raw: String) {
        let s = raw.replacingOccurrences(of: " ", with: "")
        if s.hasSuffix("%"), let p = Points(typed: String(s.dropLast())), p >= .zero, p <= Points(100) {
            self.init(Int(p.e4), 1_000_000)
            return
        }
        let parts = s.split(separator: "/")
        guard parts.count == 2, let n = Int(parts[0]), let d = Int(parts[1]) else { return nil }
        self.init(n, d)
    }

    /// Equal as numbers: 90 % is 9/10.
    public static func == (a: Fraction, b: Fraction) -> Bool { a.numerator * b.denominator == b.numerator * a.denominator }

    /// count ≥ fraction × base.
    public func reached(_ count: Int, of base: Int) -> Bool { count * denominator >= numerator * base }

    /// The smallest count that reaches the fraction of `base`.
    public func minimum(of base: Int) -> Int { (numerator * base + denominator - 1) / denominator }
}

public struct VoteOutcome: Sendable, Equatable {
    public let quorum: Bool
    public let passed: Bool
    /// Yes votes needed.
    public let needed: Int

    public init(quorum: Bool, passed: Bool, needed: Int) {
        self.quorum = quorum
        self.passed = passed
        self.needed = needed
    }
}

public enum CouncilArithmetic {
    /// `members`: the council's members; `recused`: members who withdrew for a conflict (they neither count as present
    /// nor vote, and the base of the threshold is the members who may vote); `present`: who attended.
    public static func outcome(members: Int, recused: Int, present: Int, yes: Int, quorum: Fraction, threshold: Fraction, ofAllMembers: Bool) -> VoteOutcome {
        let eligible = max(0, members - recused)
        let quorumMet = quorum.reached(present, of: eligible)
        let base = ofAllMembers ? eligible : present
        let needed = threshold.minimum(of: base)
        return VoteOutcome(quorum: quorumMet, passed: quorumMet && base > 0 && threshold.reached(yes, of: base), needed: needed)
    }
}
