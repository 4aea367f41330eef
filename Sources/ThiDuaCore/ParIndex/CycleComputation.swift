import Foundation

/// Reads what a unit reports for a leaf, as typed in a form or a score file, according to the leaf's method.
public enum ScoreInputParser {
    static let notApplicableWords: Set<String> = ["kad", "k/ad", "n/a", "na", "khong ap dung", "not applicable"]
    static let yesWords: Set<String> = ["1", "x", "co", "dat", "yes", "true", "hoan thanh"]
    static let noWords: Set<String> = ["0", "khong", "khong dat", "no", "false", "chua hoan thanh"]

    public enum Problem: Error, Equatable, Sendable {
        case empty
        case notANumber(String)
        case invalid(InputProblem)

        public var key: String {
            switch self {
            case .empty: "score.empty"
            case .notANumber: "score.notANumber"
            case .invalid(let p): p.key
            }
        }
    }

    public static func parse(_ raw: String, leaf: Int, in fw: CompiledFramework) -> Result<LeafInput, Problem> {
        let s = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if s.isEmpty { return .failure(.empty) }
        let folded = VietnameseText.fold(s)
        if notApplicableWords.contains(folded) { return .success(.notApplicable) }
        guard let method = fw.leafMethod[leaf] else { return .failure(.invalid(.wrongKind)) }
        let input: LeafInput
        switch method {
        case .manual:
            guard let p = Points(typed: s) else { return .failure(.notANumber(s)) }
            input = .points(p)
        case .binary:
            if yesWords.contains(folded) { input = .done(true) } else if noWords.contains(folded) { input = .done(false) } else {
                return .failure(.notANumber(s))
            }
        case .tiers, .proportional, .metric:
            guard let p = Points(typed: s.replacingOccurrences(of: "%", with: "")) else { return .failure(.notANumber(s)) }
            input = .value(p)
        case .deduction:
            guard let n = Int(s), n >= 0 else { return .failure(.notANumber(s)) }
            input = .events(n)
        case .survey:
            let parts = s.split(whereSeparator: { $0 == ";" || $0 == "/" || $0 == " " })
            let counts = parts.compactMap { Int($0) }
            guard counts.count == parts.count, !counts.isEmpty else { return .failure(.notANumber(s)) }
            input = .answers(counts)
        }
        if let problem = fw.validate(input, leaf: leaf) { return .failure(.invalid(problem)) }
        return .success(input)
    }
}

/// One unit's scores for a cycle computation.
public struct UnitScores: Sendable {
    public var code: String
    public var name: String
    public var group: String
    public var inputs: [LeafInput?]
    public var metrics: [MetricKey: Points]

    public init(code: String, name: String, group: String, inputs: [LeafInput?], metrics: [MetricKey: Points] = [:]) {
        self.code = code
        self.name = name
        self.group = group
        self.inputs = inputs
        self.metrics = metrics
    }
}

public struct RankedResult: Sendable, Equatable {
    public var code: String
    public var name: String
    public var group: String
    public var result: UnitResult
    public var rank: Int
    public var band: String?
}

public enum CycleComputation {
    /// Scores every unit, ranks within each group by percentage, assigns bands. Output: by group (in order of
    /// first appearance), then by rank, then by code.
    public static func compute(_ fw: CompiledFramework, units: [UnitScores]) -> [RankedResult] {
        let results = units.map { fw.score($0.inputs, metrics: $0.metrics) }
        var groupOrder: [String] = []
        var members: [String: [Int]] = [:]
        for (i, u) in units.enumerated() {
            if members[u.group] == nil { groupOrder.append(u.group) }
            members[u.group, default: []].append(i)
        }
        var out: [RankedResult] = []
        out.reserveCapacity(units.count)
        for g in groupOrder {
            let idx = members[g]!
            let ranks = Ranking.ranks(percent: idx.map { results[$0].percent }, final: idx.map { results[$0].final }, tieBreak: fw.spec.tieBreak)
            var rows: [RankedResult] = []
            for (k, i) in idx.enumerated() {
                let band = fw.band(for: results[i].percent).map { fw.spec.bands[$0].label }
                rows.append(RankedResult(code: units[i].code, name: units[i].name, group: g, result: results[i], rank: ranks[k], band: band))
            }
            rows.sort { ($0.rank, $0.code) < ($1.rank, $1.code) }
            out += rows
        }
        return out
    }

    /// A CSV of results (UTF-8 with BOM): one row per unit with totals, rank, band and each area's points.
    public static func csv(_ fw: CompiledFramework, _ rows: [RankedResult]) -> Data {
        let places = fw.places
        var header = ["Nhóm", "Mã đơn vị", "Tên đơn vị", "Điểm tiêu chí", "Điểm tối đa áp dụng", "Điểm thưởng", "Điểm trừ",
                      "Tổng điểm", "Chỉ số (%)", "Xếp hạng", "Xếp loại", "Điểm khảo sát"]
        header += fw.areas.map { fw.nodes[$0].code + ". " + fw.nodes[$0].title }
        var table = [header]
        for r in rows {
            var line = [r.group, r.code, r.name, r.result.total.plain(places: places), r.result.applicableMax.plain(places: places),
                        r.result.bonus.plain(places: places), r.result.penalty.plain(places: places), r.result.final.plain(places: places),
                        r.result.percent.plain(places: places), String(r.rank), r.band ?? "", r.result.survey.plain(places: places)]
            line += r.result.areaPoints.map { $0.plain(places: places) }
            table.append(line)
        }
        return CSVCodec.write(table)
    }

    /// The same as JSON, numbers as exact strings.
    public static func json(_ fw: CompiledFramework, _ rows: [RankedResult]) -> Data {
        struct Row: Encodable {
            let group, code, name, total, applicableMax, bonus, penalty, final, percent, survey: String
            let rank: Int
            let band: String?
            let areas: [String: String]
        }
        struct Doc: Encodable {
            let framework: String
            let year: Int
            let places: Int
            let rounding: String
            let results: [Row]
        }
        let pl = fw.places
        let doc = Doc(
            framework: fw.spec.code, year: fw.spec.year, places: pl,
            rounding: "Each leaf rounded half away from zero to \(pl) places; sums exact; percentage = final ÷ applicable maximum × 100, rounded once half away from zero.",
            results: rows.map { r in
                Row(group: r.group, code: r.code, name: r.name, total: r.result.total.plain(places: pl),
                    applicableMax: r.result.applicableMax.plain(places: pl), bonus: r.result.bonus.plain(places: pl),
                    penalty: r.result.penalty.plain(places: pl), final: r.result.final.plain(places: pl),
                    percent: r.result.percent.plain(places: pl), survey: r.result.survey.plain(places: pl), rank: r.rank, band: r.band,
                    areas: Dictionary(uniqueKeysWithValues: zip(fw.areas.map { fw.nodes[$0].code }, r.result.areaPoints.map { $0.plain(places: pl) })))
            })
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? e.encode(doc)) ?? Data()
    }
}

/// Reads a long-format score file: one row per unit and criterion.
/// Columns: Mã đơn vị, Tên đơn vị, Nhóm, Mã tiêu chí, Giá trị (headings matched without diacritics).
public enum ScoreFile {
    public static let columns: [ImportColumn] = [
        ImportColumn("unit_code", aliases: ["ma don vi", "ma dv", "unit", "unit code"], required: true),
        ImportColumn("unit_name", aliases: ["ten don vi", "unit name"], required: false),
        ImportColumn("group", aliases: ["nhom", "khoi", "cum", "group"], required: false),
        ImportColumn("criterion", aliases: ["ma tieu chi", "tieu chi", "criterion"], required: true),
        ImportColumn("value", aliases: ["gia tri", "diem", "ket qua", "value"], required: true),
    ]

    public static func read(rows: [[String]], framework fw: CompiledFramework) -> (units: [UnitScores], issues: [RowIssue], missing: [String]) {
        guard let header = rows.first else { return ([], [], columns.filter(\.required).map(\.key)) }
        let map = HeaderMapping.resolve(header, columns: columns)
        guard map.missing.isEmpty else { return ([], [], map.missing) }
        var order: [String] = []
        var units: [String: UnitScores] = [:]
        var issues: [RowIssue] = []
        for (offset, row) in rows.dropFirst().enumerated() where !isBlank(row) {
            let rowNo = offset + 2
            let code = VietnameseText.normalize(map.value("unit_code", in: row)).uppercased()
            guard !code.isEmpty else {
                issues.append(RowIssue(row: rowNo, column: "unit_code", problem: .required))
                continue
            }
            let criterion = VietnameseText.normalize(map.value("criterion", in: row))
            guard let leaf = fw.leafIndex[criterion] else {
                issues.append(RowIssue(row: rowNo, column: "criterion", problem: .notFound(criterion)))
                continue
            }
            if units[code] == nil {
                order.append(code)
                units[code] = UnitScores(
                    code: code, name: VietnameseText.normalize(map.value("unit_name", in: row)),
                    group: VietnameseText.normalize(map.value("group", in: row)),
                    inputs: [LeafInput?](repeating: nil, count: fw.leaves.count))
            }
            switch ScoreInputParser.parse(map.value("value", in: row), leaf: leaf, in: fw) {
            case .success(let input): units[code]!.inputs[leaf] = input
            case .failure(let p): issues.append(RowIssue(row: rowNo, column: "value", problem: .invalidValue(p.key)))
            }
        }
        return (order.map { units[$0]! }, issues, [])
    }
}
