import Foundation

/// Where an emulation criterion's points come from (the seeds: "xác định tiêu chí thi đua, số điểm cụ thể làm căn cứ
/// chấm chọn"). Data sources are scaled to the criterion's maximum; entered points are checked against it.
public enum EmulationSource: Codable, Equatable, Sendable {
    /// Points the reform office enters, in [0, max].
    case manual
    /// The unit's PAR Index (final score as a percentage of its applicable maximum) × max ÷ 100.
    case parPercent
    /// Points by the unit's PAR band (names compared without diacritics; a band not listed gives 0).
    case parBand([String: Points])
    /// A system percentage (task on-time rate, satisfaction, dossiers on time, online, digitised) × max ÷ 100.
    case metric(MetricKey)
    /// Recognised initiatives of the unit decided in the year × points each, at most max.
    case initiatives(each: Points)
}

public struct EmulationCriterion: Codable, Equatable, Sendable {
    public var code: String
    public var name: String
    public var max: Points
    public var source: EmulationSource

    public init(code: String, name: String, max: Points, source: EmulationSource) {
        self.code = code
        self.name = name
        self.max = max
        self.source = source
    }
}

/// A movement's scoring scheme: its criteria, each with a maximum and a source. Deductions (inspection findings) are
/// entered separately, each with its reference.
public struct EmulationScheme: Codable, Equatable, Sendable {
    public var criteria: [EmulationCriterion]

    public init(criteria: [EmulationCriterion]) { self.criteria = criteria }

    /// A starting scheme of 100 points the province adapts to each movement.
    public static let starting = EmulationScheme(criteria: [
        EmulationCriterion(code: "PAR", name: "Chỉ số cải cách hành chính của đơn vị", max: Points(40), source: .parPercent),
        EmulationCriterion(code: "NV", name: "Hoàn thành nhiệm vụ cải cách hành chính đúng hạn", max: Points(20), source: .metric(.taskOnTimeRate)),
        EmulationCriterion(code: "HL", name: "Mức độ hài lòng của người dân, tổ chức", max: Points(20), source: .metric(.satisfactionRate)),
        EmulationCriterion(code: "SK", name: "Sáng kiến cải cách hành chính được công nhận", max: Points(10), source: .initiatives(each: Points(5))),
        EmulationCriterion(code: "PT", name: "Tổ chức phong trào thi đua, đăng ký và thực hiện giao ước", max: Points(10), source: .manual),
    ])

    public var total: Points { criteria.reduce(Points.zero) { $0 + $1.max } }

    public enum Problem: Equatable, Sendable {
        case empty, badCode(String), duplicateCode(String), missingName(String), badMax(String), badSource(String)
    }

    public var problems: [Problem] {
        guard !criteria.isEmpty else { return [.empty] }
        var out: [Problem] = []
        var seen: Set<String> = []
        for c in criteria {
            if (try? FieldRules.code(c.code).get()) != c.code { out.append(.badCode(c.code)) }
            if !seen.insert(c.code).inserted { out.append(.duplicateCode(c.code)) }
            if c.name.trimmingCharacters(in: .whitespaces).isEmpty { out.append(.missingName(c.code)) }
            if c.max <= .zero || c.max > Points(1_000) { out.append(.badMax(c.code)) }
            switch c.source {
            case .parBand(let table): if table.isEmpty || table.values.contains(where: { $0 < .zero || $0 > c.max }) { out.append(.badSource(c.code)) }
            case .initiatives(let each): if each <= .zero || each > c.max { out.append(.badSource(c.code)) }
            default: break
            }
        }
        return out
    }
}

/// What the scheme reads of one unit for the movement's year.
public struct EmulationInput: Equatable, Sendable {
    public var entered: [String: Points] = [:]
    public var parPercent: Points?
    public var parBand: String?
    public var metrics: [MetricKey: Points] = [:]
    public var initiatives: Int = 0
    public var deductions: [Points] = []

    public init() {}
}

/// One criterion's points and where they came from.
public struct EmulationLine: Equatable, Sendable {
    public let code: String
    /// nil: no data (the criterion counts 0 and the table says why).
    public let points: Points?
    /// A catalogue key and its arguments, saying where the number came from.
    public let sourceKey: String
    public let arguments: [String]
}

public struct EmulationScore: Equatable, Sendable {
    public let lines: [EmulationLine]
    public let deducted: Points
    /// Σ lines − deductions, not below zero. Exact: every line is rounded once to hundredths (half away from zero).
    public let total: Points
}

public enum EmulationScoring {
    public static func score(_ scheme: EmulationScheme, _ input: EmulationInput) -> EmulationScore {
        let hundred = Points(100)
        var lines: [EmulationLine] = []
        for c in scheme.criteria {
            switch c.source {
            case .manual:
                if let v = input.entered[c.code] {
                    lines.append(EmulationLine(code: c.code, points: Points.min(Points.max(v, .zero), c.max), sourceKey: "emulation.src.manual", arguments: []))
                } else {
                    lines.append(EmulationLine(code: c.code, points: nil, sourceKey: "emulation.src.notEntered", arguments: []))
                }
            case .parPercent:
                if let p = input.parPercent {
                    lines.append(EmulationLine(code: c.code, points: c.max.times(Points.min(p, hundred), over: hundred, places: 2), sourceKey: "emulation.src.par",
                                               arguments: [p.plain(places: 2)]))
                } else {
                    lines.append(EmulationLine(code: c.code, points: nil, sourceKey: "emulation.src.noPar", arguments: []))
                }
            case .parBand(let table):
                if let band = input.parBand {
                    let key = VietnameseText.fold(band)
                    let pts = table.first { VietnameseText.fold($0.key) == key }?.value ?? .zero
                    lines.append(EmulationLine(code: c.code, points: pts, sourceKey: "emulation.src.band", arguments: [band]))
                } else {
                    lines.append(EmulationLine(code: c.code, points: nil, sourceKey: "emulation.src.noPar", arguments: []))
                }
            case .metric(let key):
                if let v = input.metrics[key] {
                    lines.append(EmulationLine(code: c.code, points: c.max.times(Points.min(Points.max(v, .zero), hundred), over: hundred, places: 2),
                                               sourceKey: "emulation.src.metric", arguments: [key.rawValue, v.plain(places: 2)]))
                } else {
                    lines.append(EmulationLine(code: c.code, points: nil, sourceKey: "emulation.src.noMetric", arguments: [key.rawValue]))
                }
            case .initiatives(let each):
                lines.append(EmulationLine(code: c.code, points: Points.min(each * input.initiatives, c.max), sourceKey: "emulation.src.initiatives",
                                           arguments: [String(input.initiatives)]))
            }
        }
        let sum = lines.reduce(Points.zero) { $0 + ($1.points ?? .zero) }
        let deducted = input.deductions.reduce(Points.zero, +)
        return EmulationScore(lines: lines, deducted: deducted, total: Points.max(.zero, sum - deducted))
    }

    /// Ranks by total, highest first; equal totals share a rank (1, 2, 2, 4).
    public static func ranks(_ totals: [Points]) -> [Int] {
        totals.map { t in 1 + totals.filter { $0 > t }.count }
    }
}
