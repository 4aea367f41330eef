import Foundation

/// The exchange format of frameworks ("thidua.framework/1"): numbers as strings so they stay exact.
public enum FrameworkJSON {
    public static let format = "thidua.framework/1"

    public enum DecodeProblem: Error, Equatable, Sendable {
        case notJSON(String)
        case wrongFormat(String)
        case badNumber(field: String, value: String)
        case badMethod(code: String)

        public var key: String {
            switch self {
            case .notJSON: "fwjson.notJSON"
            case .wrongFormat: "fwjson.wrongFormat"
            case .badNumber: "fwjson.badNumber"
            case .badMethod: "fwjson.badMethod"
            }
        }

        public var arguments: [String] {
            switch self {
            case .notJSON(let s), .wrongFormat(let s), .badMethod(let s): [s]
            case .badNumber(let f, let v): [f, v]
            }
        }
    }

    struct Doc: Codable {
        var format: String
        var code: String
        var name: String
        var year: Int
        var unitKind: String
        var places: Int?
        var total: String?
        var legalBasis: String?
        var bands: [BandDoc]?
        var tieBreak: String?
        var rounding: String?
        var criteria: [CriterionDoc]
    }

    struct BandDoc: Codable { var label: String; var min: String }
    struct TierDoc: Codable { var min: String; var points: String }

    struct MethodDoc: Codable {
        var type: String
        var tiers: [TierDoc]?
        var target: String?
        var perEvent: String?
        var floor: String?
        var weights: [String]?
        var metric: String?
    }

    struct CriterionDoc: Codable {
        var code: String
        var parent: String?
        var title: String
        var max: String?
        var kind: String?
        var guidance: String?
        var evidence: String?
        var method: MethodDoc?
    }

    public static func decode(_ data: Data) throws(DecodeProblem) -> FrameworkSpec {
        let doc: Doc
        do {
            doc = try JSONDecoder().decode(Doc.self, from: data)
        } catch {
            throw .notJSON(String(describing: error).prefix(200).description)
        }
        guard doc.format == format else { throw .wrongFormat(doc.format) }
        func num(_ field: String, _ s: String) throws(DecodeProblem) -> Points {
            guard let p = Points(parsing: s) else { throw .badNumber(field: field, value: s) }
            return p
        }
        func tiers(_ t: [TierDoc]?, code: String) throws(DecodeProblem) -> [Tier] {
            guard let t else { throw .badMethod(code: code) }
            var out: [Tier] = []
            for x in t { out.append(Tier(min: try num(code, x.min), points: try num(code, x.points))) }
            return out
        }
        var criteria: [CriterionSpec] = []
        for c in doc.criteria {
            var method: ScoringMethod?
            if let m = c.method {
                switch m.type {
                case "manual": method = .manual
                case "binary": method = .binary
                case "tiers": method = .tiers(try tiers(m.tiers, code: c.code))
                case "proportional":
                    guard let t = m.target else { throw .badMethod(code: c.code) }
                    method = .proportional(target: try num(c.code, t))
                case "deduction":
                    guard let per = m.perEvent else { throw .badMethod(code: c.code) }
                    method = .deduction(perEvent: try num(c.code, per), floor: try num(c.code, m.floor ?? "0"))
                case "survey":
                    var w: [Points] = []
                    for s in m.weights ?? ["100", "60", "20", "0"] { w.append(try num(c.code, s)) }
                    method = .survey(weights: w)
                case "metric":
                    guard let key = m.metric.flatMap(MetricKey.init(rawValue:)) else { throw .badMethod(code: c.code) }
                    if m.tiers != nil {
                        method = .metric(key, .tiers(try tiers(m.tiers, code: c.code)))
                    } else if let t = m.target {
                        method = .metric(key, .proportional(target: try num(c.code, t)))
                    } else {
                        throw .badMethod(code: c.code)
                    }
                default: throw .badMethod(code: c.code)
                }
            }
            guard let kind = CriterionKind(rawValue: c.kind ?? "normal") else { throw .badMethod(code: c.code) }
            criteria.append(CriterionSpec(
                code: VietnameseText.normalize(c.code), parent: c.parent.map(VietnameseText.normalize),
                title: VietnameseText.normalize(c.title), max: try c.max.map { s throws(DecodeProblem) in try num(c.code, s) },
                kind: kind, guidance: VietnameseText.normalize(c.guidance ?? ""), evidence: VietnameseText.normalize(c.evidence ?? ""),
                method: method))
        }
        var bands: [Band] = []
        for b in doc.bands ?? [] { bands.append(Band(label: VietnameseText.normalize(b.label), min: try num("bands", b.min))) }
        return FrameworkSpec(
            code: doc.code, name: VietnameseText.normalize(doc.name), year: doc.year, unitKind: doc.unitKind,
            places: doc.places ?? 2, total: try num("total", doc.total ?? "100"), legalBasis: doc.legalBasis ?? "",
            bands: bands.isEmpty ? FrameworkSpec.defaultBands : bands, tieBreak: TieBreak(rawValue: doc.tieBreak ?? "none") ?? .none,
            rounding: try rounding(doc.rounding), criteria: criteria)
    }

    static func rounding(_ raw: String?) throws(DecodeProblem) -> RoundingRule {
        guard let raw else { return .leaf }
        guard let r = RoundingRule(rawValue: raw) else { throw .badNumber(field: "rounding", value: raw) }
        return r
    }

    public static func encode(_ spec: FrameworkSpec) -> Data {
        func s(_ p: Points) -> String { trimmed(p.plain(places: 4)) }
        func tiersDoc(_ t: [Tier]) -> [TierDoc] { t.map { TierDoc(min: s($0.min), points: s($0.points)) } }
        let criteria = spec.criteria.map { c -> CriterionDoc in
            var m: MethodDoc?
            switch c.method {
            case nil: m = nil
            case .manual?: m = MethodDoc(type: "manual")
            case .binary?: m = MethodDoc(type: "binary")
            case .tiers(let t)?: m = MethodDoc(type: "tiers", tiers: tiersDoc(t))
            case .proportional(let target)?: m = MethodDoc(type: "proportional", target: s(target))
            case .deduction(let per, let floor)?: m = MethodDoc(type: "deduction", perEvent: s(per), floor: s(floor))
            case .survey(let w)?: m = MethodDoc(type: "survey", weights: w.map(s))
            case .metric(let key, .tiers(let t))?: m = MethodDoc(type: "metric", tiers: tiersDoc(t), metric: key.rawValue)
            case .metric(let key, .proportional(let target))?: m = MethodDoc(type: "metric", target: s(target), metric: key.rawValue)
            }
            return CriterionDoc(
                code: c.code, parent: c.parent, title: c.title, max: c.max.map(s), kind: c.kind.rawValue,
                guidance: c.guidance, evidence: c.evidence, method: m)
        }
        let doc = Doc(
            format: format, code: spec.code, name: spec.name, year: spec.year, unitKind: spec.unitKind, places: spec.places,
            total: s(spec.total), legalBasis: spec.legalBasis, bands: spec.bands.map { BandDoc(label: $0.label, min: s($0.min)) },
            tieBreak: spec.tieBreak.rawValue, rounding: spec.rounding.rawValue, criteria: criteria)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(doc)) ?? Data()
    }

    /// "8.5000" → "8.5", "100.0000" → "100".
    static func trimmed(_ s: String) -> String {
        guard s.contains(".") else { return s }
        var t = s
        while t.hasSuffix("0") { t.removeLast() }
        if t.hasSuffix(".") { t.removeLast() }
        return t
    }
}

