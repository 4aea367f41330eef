/// The rates measured from dossiers that can carry points in a group score.
public enum DossierMetric: String, CaseIterable, Codable, Sendable {
    case onTime = "on_time", online, onlinePayment = "online_payment", digitisation, satisfaction, withinInternal = "within_internal"

    public func rate(_ i: DossierIndicators) -> Points? {
        switch self {
        case .onTime: i.onTimeRate
        case .online: i.onlineRate
        case .onlinePayment: i.onlinePaymentRate
        case .digitisation: i.digitisationRate
        case .satisfaction: i.satisfactionRate
        case .withinInternal: i.withinInternalRate
        }
    }

    public var labelKey: String { "perf.metric.\(rawValue)" }
}

/// The five indicator groups of Decision 766/QĐ-TTg (docs/procedures.md).
public enum ScoreGroup: String, CaseIterable, Codable, Sendable {
    case transparency, progress, onlineService = "online_service", digitisation, satisfaction

    public var labelKey: String { "perf.group.\(rawValue)" }
}

/// How the five groups are scored: each group's points (the weights, a province setting) and which measured rates
/// make it up, with their shares of the group's points. A group with no rate assigned — transparency by default:
/// Decision 766 measures publication on the national portal, which dossier records do not show — has no score, and
/// the total says how many of the 100 points it covers.
public struct GroupScoring: Codable, Equatable, Sendable {
    public struct Share: Codable, Equatable, Sendable {
        public var metric: DossierMetric
        /// Percent of the group's points.
        public var share: Points

        public init(_ metric: DossierMetric, _ share: Points) {
            self.metric = metric
            self.share = share
        }
    }

    public struct Group: Codable, Equatable, Sendable {
        public var group: ScoreGroup
        public var points: Points
        public var shares: [Share]

        public init(_ group: ScoreGroup, points: Points, shares: [Share]) {
            self.group = group
            self.points = points
            self.shares = shares
        }
    }

    public var groups: [Group]

    public init(groups: [Group]) { self.groups = groups }

    /// Decision 766's weights (18 / 20 / 22 / 22 / 18) and this product's reading of which measured rate belongs to
    /// which group (docs/procedures.md says what is confirmed and what is not).
    public static let decision766 = GroupScoring(groups: [
        Group(.transparency, points: Points(18), shares: []),
        Group(.progress, points: Points(20), shares: [Share(.onTime, Points(100))]),
        Group(.onlineService, points: Points(22), shares: [Share(.online, Points(50)), Share(.onlinePayment, Points(50))]),
        Group(.digitisation, points: Points(22), shares: [Share(.digitisation, Points(100))]),
        Group(.satisfaction, points: Points(18), shares: [Share(.satisfaction, Points(100))]),
    ])

    public enum Problem: Equatable, Sendable {
        /// The groups' points must add up to 100 (the scale of the index); the sum found.
        case totalNot100(Points)
        /// A group's points outside 0–100.
        case groupPoints(ScoreGroup)
        /// A group's shares, when it has any, must add up to 100 %; the sum found.
        case sharesNot100(ScoreGroup, Points)
        /// A share outside (0, 100].
        case share(ScoreGroup, DossierMetric)
        /// A rate may count once only.
        case metricTwice(DossierMetric)
        case groupMissing(ScoreGroup)
    }

    public var problems: [Problem] {
        var out: [Problem] = []
        for g in ScoreGroup.allCases where !groups.contains(where: { $0.group == g }) { out.append(.groupMissing(g)) }
        var seen: Set<DossierMetric> = []
        var total = Points.zero
        for g in groups {
            if g.points < .zero || g.points > Points(100) { out.append(.groupPoints(g.group)) }
            total += g.points
            var sum = Points.zero
            for s in g.shares {
                if s.share <= .zero || s.share > Points(100) { out.append(.share(g.group, s.metric)) }
                if !seen.insert(s.metric).inserted { out.append(.metricTwice(s.metric)) }
                sum += s.share
            }
            if !g.shares.isEmpty, sum != Points(100) { out.append(.sharesNot100(g.group, sum)) }
        }
        if total != Points(100) { out.append(.totalNot100(total)) }
        return out
    }

    public struct GroupScore: Equatable, Sendable {
        public let group: ScoreGroup
        public let points: Points
        /// nil: no rate assigned, or a rate without data (e.g. nothing resolved in the period).
        public let score: Points?
    }

    public struct Scores: Equatable, Sendable {
        public let groups: [GroupScore]
        /// Sum of the scores of the groups that have one.
        public var total: Points { groups.compactMap(\.score).reduce(.zero, +) }
        /// Sum of the points of the groups that have a score: the total is "out of" this.
        public var covered: Points { groups.filter { $0.score != nil }.map(\.points).reduce(.zero, +) }
    }

    /// Each group's score = Σ points × share/100 × rate/100 over its rates, from the rates as shown (2 places),
    /// rounded once to 2 places, half away from zero. A group is scored only when every one of its rates has data.
    public func score(_ indicators: DossierIndicators) -> Scores {
        Scores(groups: groups.map { g in
            let hundred = Points(100)
            let inRange = { (p: Points) in p >= .zero && p <= hundred }
            // A setting out of range (only a hand-edited database can hold one) scores nothing rather than overflow.
            guard !g.shares.isEmpty, inRange(g.points), g.shares.allSatisfy({ inRange($0.share) }),
                g.shares.map(\.share).reduce(.zero, +) <= hundred
            else { return GroupScore(group: g.group, points: g.points, score: nil) }
            // Σ points.e4 × share.e4 × rate.e4 = Σ P·S·R × 10^12 ≤ 10^18 (P, R ≤ 100 and the shares add up to ≤ 100).
            var numerator: Int64 = 0
            for s in g.shares {
                guard let rate = s.metric.rate(indicators), inRange(rate) else { return GroupScore(group: g.group, points: g.points, score: nil) }
                numerator += g.points.e4 * s.share.e4 * rate.e4
            }
            // The score P·S/100·R/100 in hundredths is Σ P·S·R / 100, i.e. numerator / 10^14.
            let hundredths = Points.divideRounded(numerator, by: 100_000_000_000_000)
            return GroupScore(group: g.group, points: g.points, score: Points(e4: hundredths * 100))
        })
    }
}
