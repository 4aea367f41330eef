import Foundation

/// A unit's nomination dossier (hồ sơ đề nghị khen thưởng) moves through these states; every move is audited.
public enum NominationState: String, CaseIterable, Codable, Sendable {
    case draft, submitted, received, underReview = "under_review", returned, voted, decided, published
    public var labelKey: String { "nomination.state.\(rawValue)" }
    /// The unit may change its dossier (nominees, letter, report) only in these.
    public var editable: Bool { self == .draft || self == .returned }
}

public enum NominationStep: String, CaseIterable, Sendable {
    /// The unit sends the dossier (or sends it again after completing it).
    case submit
    /// The reform office acknowledges it.
    case receive
    /// The reform office sends it back for completion, with reasons.
    case returnForCompletion = "return"
    /// The reform office puts it under review (its nominees may then go before the council).
    case review
    /// The council's session closed with results for its nominees.
    case vote
    /// The decision was signed (number and date recorded).
    case decide
    /// The decision was made public.
    case publish
}

/// The state machine, as one table.
public enum NominationFlow {
    public static let table: [NominationStep: (from: Set<NominationState>, to: NominationState)] = [
        .submit: ([.draft, .returned], .submitted),
        .receive: ([.submitted], .received),
        .returnForCompletion: ([.submitted, .received, .underReview], .returned),
        .review: ([.received], .underReview),
        .vote: ([.underReview], .voted),
        .decide: ([.voted], .decided),
        .publish: ([.decided], .published),
    ]

    /// The state after `step`, or nil when the step is not allowed from `state`.
    public static func next(_ step: NominationStep, from state: NominationState) -> NominationState? {
        guard let rule = table[step], rule.from.contains(state) else { return nil }
        return rule.to
    }
}

/// A movement's award plan: at most so many of each award (e.g. Bằng khen of the Chairman for 4 collectives and 6
/// individuals — two award codes, one per subject).
public enum AwardQuota {
    public struct Excess: Equatable, Sendable {
        public let award: String
        public let quota: Int
        public let total: Int
    }

    /// Awards whose quota `adding` would exceed, given what is already nominated (`existing`). An award without a
    /// quota in the plan is not limited.
    public static func excess(quotas: [String: Int], existing: [String: Int], adding: [String: Int]) -> [Excess] {
        adding.keys.sorted().compactMap { award in
            guard let q = quotas[award], let n = adding[award], n > 0 else { return nil }
            let total = (existing[award] ?? 0) + n
            return total > q ? Excess(award: award, quota: q, total: total) : nil
        }
    }

    /// "BKCT=4, CSTDT=6" (as typed) → ["BKCT": 4, "CSTDT": 6]; nil when a part is not "CODE=number".
    public static func parse(_ raw: String) -> [String: Int]? {
        var out: [String: Int] = [:]
        for part in raw.split(whereSeparator: { $0 == "," || $0 == ";" || $0.isNewline }) {
            let p = part.trimmingCharacters(in: .whitespaces)
            if p.isEmpty { continue }
            let kv = p.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard kv.count == 2, let n = Int(kv[1]), n >= 0, n <= 10_000, (try? FieldRules.code(kv[0]).get()) == kv[0].uppercased(), out[kv[0].uppercased()] == nil
            else { return nil }
            out[kv[0].uppercased()] = n
        }
        return out
    }

    public static func format(_ q: [String: Int]) -> String { q.keys.sorted().map { $0 + "=" + String(q[$0]!) }.joined(separator: ", ") }
}

extension EligibilityRule {
    /// May the reform office let a nominee through although this rule is not met (with a recorded reason)? The
    /// exclusions — discipline, a pending case — never; the achievement rules may (e.g. an achievement the registry
    /// does not hold yet).
    public var overridable: Bool {
        switch self {
        case .noDiscipline, .noPendingCase: false
        default: true
        }
    }
}

/// The council's secret ballot. A member's ballot is checked whole, then only counters move: no ballot is stored.
public enum BallotChoice: String, CaseIterable, Codable, Sendable {
    case yes, no, abstain
    public var labelKey: String { "ballot.\(rawValue)" }
}

public struct Tally: Equatable, Sendable, Codable {
    public var yes: Int
    public var no: Int
    public var abstain: Int
    public init(yes: Int = 0, no: Int = 0, abstain: Int = 0) {
        self.yes = yes
        self.no = no
        self.abstain = abstain
    }
    public var total: Int { yes + no + abstain }
    public mutating func add(_ c: BallotChoice) {
        switch c {
        case .yes: yes += 1
        case .no: no += 1
        case .abstain: abstain += 1
        }
    }
}

public enum Ballot {
    public enum Problem: Equatable, Sendable {
        /// A nominee on the ballot without a choice.
        case missing(UUID)
        /// A choice for a nominee the member recused from, or who is not on the ballot.
        case notAllowed(UUID)
    }

    /// A ballot must carry one choice for every nominee the member may vote on, and none for the others.
    public static func problems(choices: [UUID: BallotChoice], onBallot: [UUID], recused: Set<UUID>) -> [Problem] {
        let allowed = Set(onBallot).subtracting(recused)
        return onBallot.filter { allowed.contains($0) && choices[$0] == nil }.map(Problem.missing)
            + choices.keys.filter { !allowed.contains($0) }.sorted { $0.uuidString < $1.uuidString }.map(Problem.notAllowed)
    }

    /// A paper count is possible when it does not exceed the members present who may vote on the nominee.
    public static func paperCountFits(_ t: Tally, presentNotRecused: Int) -> Bool {
        t.yes >= 0 && t.no >= 0 && t.abstain >= 0 && t.total <= presentNotRecused
    }
}

/// Preferences when nominees tie on votes (DOMAIN.md §8): women, or collectives with ≥ 70 % women; grassroots and
/// direct workers — in the order the province sets.
public enum AwardTieBreak: String, CaseIterable, Codable, Sendable {
    case women, grassroots
    public var labelKey: String { "tiebreak.\(rawValue)" }
}

public struct RankedNominee: Equatable, Sendable {
    public let id: UUID
    public let yes: Int
    public let women: Bool
    public let grassroots: Bool
    public let name: String

    public init(id: UUID, yes: Int, women: Bool, grassroots: Bool, name: String) {
        self.id = id
        self.yes = yes
        self.women = women
        self.grassroots = grassroots
        self.name = name
    }
}

public enum NomineeRanking {
    /// More yes votes first; on a tie, the preferences in the order given; then by name (Vietnamese collation is not
    /// needed: the order is only to be stable and visible).
    public static func order(_ list: [RankedNominee], tieBreaks: [AwardTieBreak]) -> [RankedNominee] {
        list.sorted { a, b in
            if a.yes != b.yes { return a.yes > b.yes }
            for t in tieBreaks {
                let (x, y) = t == .women ? (a.women, b.women) : (a.grassroots, b.grassroots)
                if x != y { return x }
            }
            return a.name < b.name
        }
    }
}
