import Foundation

/// Values another module supplies for a unit and year (the typed extension point for "computed from system
/// data" criteria). Values are percentages.
public enum MetricKey: String, CaseIterable, Codable, Sendable {
    case taskOnTimeRate = "task_on_time_rate"
    case satisfactionRate = "satisfaction_rate"
    case dossierOnTimeRate = "dossier_on_time_rate"
    case onlineRate = "online_rate"
    case digitisationRate = "digitisation_rate"

    public var labelKey: String { "metric.\(rawValue)" }
}

public struct Tier: Codable, Equatable, Sendable {
    /// Threshold (a percentage achieved): the tier applies when the value is at least this.
    public var min: Points
    public var points: Points

    public init(min: Points, points: Points) {
        self.min = min
        self.points = points
    }
}

/// How one leaf criterion turns what a unit reports into points.
public enum ScoringMethod: Equatable, Sendable {
    /// Points entered directly, in [0, max].
    case manual
    /// Done → max, not done → 0.
    case binary
    /// A percentage achieved → the points of the first tier whose threshold it reaches (tiers high to low).
    case tiers([Tier])
    /// max × actual ÷ target, capped at max.
    case proportional(target: Points)
    /// max − perEvent × events, never below floor.
    case deduction(perEvent: Points, floor: Points)
    /// Survey answers A, B, C, D… weighted (default 100, 60, 20, 0 %): max × Σ(count × weight) ÷ (100 × Σ count).
    case survey(weights: [Points])
    /// A value supplied by another module, turned into points by tiers or proportionally.
    case metric(MetricKey, MetricRule)

    public var kindKey: String {
        switch self {
        case .manual: "manual"
        case .binary: "binary"
        case .tiers: "tiers"
        case .proportional: "proportional"
        case .deduction: "deduction"
        case .survey: "survey"
        case .metric: "metric"
        }
    }

    public static let defaultSurveyWeights = [Points(100), Points(60), Points(20), Points(0)]
}

public enum MetricRule: Equatable, Sendable {
    case tiers([Tier])
    case proportional(target: Points)
}

/// Ordinary criteria add up to the framework's total; bonus and penalty buckets sit outside it, each capped
/// at its own max.
public enum CriterionKind: String, Codable, Sendable, CaseIterable {
    case normal
    case bonus
    case penalty
}

public struct Band: Codable, Equatable, Sendable {
    public var label: String
    /// Lowest percentage of the band (inclusive).
    public var min: Points

    public init(label: String, min: Points) {
        self.label = label
        self.min = min
    }
}

/// Where rounding to the framework's places happens (always half away from zero).
public enum RoundingRule: String, Codable, Sendable, CaseIterable {
    /// Each leaf is rounded; totals are exact sums of rounded leaves (the default; what score sheets show).
    case leaf
    /// Leaves keep 4 decimals; only the totals and the percentage are rounded.
    case total
}

public enum TieBreak: String, Codable, Sendable, CaseIterable {
    /// Equal percentages share a rank (1, 2, 2, 4).
    case none
    /// Equal percentages are separated by the higher final points (then they share).
    case points
}

/// A criterion as stored and exchanged (JSON, XLSX): a flat list with parent codes.
public struct CriterionSpec: Equatable, Sendable {
    public var code: String
    public var parent: String?
    public var title: String
    public var max: Points?
    public var kind: CriterionKind
    public var guidance: String
    public var evidence: String
    public var method: ScoringMethod?

    public init(code: String, parent: String?, title: String, max: Points?, kind: CriterionKind = .normal,
                guidance: String = "", evidence: String = "", method: ScoringMethod? = nil) {
        self.code = code
        self.parent = parent
        self.title = title
        self.max = max
        self.kind = kind
        self.guidance = guidance
        self.evidence = evidence
        self.method = method
    }
}

/// A versioned criteria framework for one year and one kind of unit.
public struct FrameworkSpec: Equatable, Sendable {
    public var code: String
    public var name: String
    public var year: Int
    public var unitKind: String
    /// Decimal places published (2 by default; some provinces publish 3).
    public var places: Int
    public var total: Points
    public var legalBasis: String
    public var bands: [Band]
    public var tieBreak: TieBreak
    public var rounding: RoundingRule
    public var criteria: [CriterionSpec]

    public init(code: String, name: String, year: Int, unitKind: String, places: Int = 2, total: Points = Points(100),
                legalBasis: String = "", bands: [Band] = FrameworkSpec.defaultBands, tieBreak: TieBreak = .none,
                rounding: RoundingRule = .leaf, criteria: [CriterionSpec]) {
        self.code = code
        self.name = name
        self.year = year
        self.unitKind = unitKind
        self.places = places
        self.total = total
        self.legalBasis = legalBasis
        self.bands = bands
        self.tieBreak = tieBreak
        self.rounding = rounding
        self.criteria = criteria
    }

    /// Defaults seen in provinces (labels and cut-offs editable per framework).
    public static let defaultBands = [
        Band(label: "Xuất sắc", min: Points(90)), Band(label: "Tốt", min: Points(80)),
        Band(label: "Khá", min: Points(70)), Band(label: "Trung bình", min: Points(0)),
    ]

    /// A copy for the next year: same tree, methods and bands; a new code.
    public func copied(toYear newYear: Int, code newCode: String) -> FrameworkSpec {
        var c = self
        c.year = newYear
        c.code = newCode
        c.name = name.replacingOccurrences(of: String(year), with: String(newYear))
        return c
    }
}
