import Foundation

/// A compact, spreadsheet-friendly writing of scoring methods, used by the XLSX layout of frameworks so that a
/// framework exported to Excel can be edited and imported back:
///   manual · binary · tiers:100=3;90=2;80=1 · proportional:12 · deduction:0.5;0 · survey:100;60;20;0 ·
///   metric:task_on_time_rate:tiers:100=3;90=2 · metric:online_rate:proportional:100
/// Numbers use "." or "," as the decimal mark.
public enum MethodNotation {
    public static func format(_ m: ScoringMethod) -> String {
        func n(_ p: Points) -> String { FrameworkJSON.trimmed(p.plain(places: 4)) }
        func tiers(_ t: [Tier]) -> String { t.map { n($0.min) + "=" + n($0.points) }.joined(separator: ";") }
        switch m {
        case .manual: return "manual"
        case .binary: return "binary"
        case .tiers(let t): return "tiers:" + tiers(t)
        case .proportional(let target): return "proportional:" + n(target)
        case .deduction(let per, let floor): return "deduction:" + n(per) + ";" + n(floor)
        case .survey(let w): return "survey:" + w.map(n).joined(separator: ";")
        case .metric(let key, .tiers(let t)): return "metric:" + key.rawValue + ":tiers:" + tiers(t)
        case .metric(let key, .proportional(let target)): return "metric:" + key.rawValue + ":proportional:" + n(target)
        }
    }

    public static func parse(_ raw: String) -> ScoringMethod? {
        let s = raw.trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: " ", with: "")
        func num(_ x: Substring) -> Points? { Points(parsing: x.replacingOccurrences(of: ",", with: ".")) }
        func list(_ x: Substring) -> [Points]? {
            let parts = x.split(separator: ";")
            let values = parts.compactMap(num)
            return values.count == parts.count && !values.isEmpty ? values : nil
        }
        func tiers(_ x: Substring) -> [Tier]? {
            let parts = x.split(separator: ";")
            let t = parts.compactMap { p -> Tier? in
                let kv = p.split(separator: "=")
                guard kv.count == 2, let a = num(kv[0]), let b = num(kv[1]) else { return nil }
                return Tier(min: a, points: b)
            }
            return t.count == parts.count && !t.isEmpty ? t : nil
        }
        let parts = s.split(separator: ":", maxSplits: 1)
        guard let head = parts.first else { return nil }
        let rest = parts.count > 1 ? parts[1] : ""
        switch head {
        case "manual": return rest.isEmpty ? .manual : nil
        case "binary": return rest.isEmpty ? .binary : nil
        case "tiers": return tiers(rest).map { .tiers($0) }
        case "proportional": return num(rest).map { .proportional(target: $0) }
        case "deduction":
            guard let v = list(rest), (1...2).contains(v.count) else { return nil }
            return .deduction(perEvent: v[0], floor: v.count > 1 ? v[1] : .zero)
        case "survey": return list(rest).map { .survey(weights: $0) }
        case "metric":
            let m = rest.split(separator: ":", maxSplits: 2)
            guard m.count == 3, let key = MetricKey(rawValue: String(m[0])) else { return nil }
            switch m[1] {
            case "tiers": return tiers(m[2]).map { .metric(key, .tiers($0)) }
            case "proportional": return num(m[2]).map { .metric(key, .proportional(target: $0)) }
            default: return nil
            }
        default: return nil
        }
    }
}

/// Reads a framework laid out as a spreadsheet (the XLSX export's layout): STT, Nội dung, Điểm tối đa,
/// Mã phương pháp, Tài liệu kiểm chứng, Hướng dẫn, Loại. The parent of "1.2.3" is "1.2".
public enum FrameworkSheetReader {
    public static let columns: [ImportColumn] = [
        ImportColumn("code", aliases: ["stt", "ma", "ma tieu chi"], required: true),
        ImportColumn("title", aliases: ["noi dung", "tieu chi", "ten tieu chi"], required: true),
        ImportColumn("max", aliases: ["diem toi da", "diem chuan", "max"], required: true),
        ImportColumn("method_code", aliases: ["ma phuong phap", "method"], required: true),
        ImportColumn("evidence", aliases: ["tai lieu kiem chung"], required: false),
        ImportColumn("guidance", aliases: ["huong dan"], required: false),
        ImportColumn("kind", aliases: ["loai", "nhom"], required: false),
    ]

    public static func read(rows: [[String]]) -> (criteria: [CriterionSpec], issues: [RowIssue], missing: [String]) {
        guard let header = rows.first else { return ([], [], columns.filter(\.required).map(\.key)) }
        let map = HeaderMapping.resolve(header, columns: columns)
        guard map.missing.isEmpty else { return ([], [], map.missing) }
        var out: [CriterionSpec] = []
        var issues: [RowIssue] = []
        for (offset, row) in rows.dropFirst().enumerated() where !isBlank(row) {
            let rowNo = offset + 2
            let code = VietnameseText.normalize(map.value("code", in: row)).trimmingCharacters(in: CharacterSet(charactersIn: "."))
            let title = VietnameseText.normalize(map.value("title", in: row))
            guard !code.isEmpty else { issues.append(RowIssue(row: rowNo, column: "code", problem: .required)); continue }
            guard !title.isEmpty else { issues.append(RowIssue(row: rowNo, column: "title", problem: .required)); continue }
            let maxRaw = map.value("max", in: row)
            guard let max = Points(typed: maxRaw) ?? Points(parsing: maxRaw) else {
                issues.append(RowIssue(row: rowNo, column: "max", problem: .invalidValue(maxRaw)))
                continue
            }
            let methodRaw = map.value("method_code", in: row).trimmingCharacters(in: .whitespaces)
            var method: ScoringMethod?
            if !methodRaw.isEmpty {
                method = MethodNotation.parse(methodRaw)
                if method == nil { issues.append(RowIssue(row: rowNo, column: "method_code", problem: .invalidValue(methodRaw))); continue }
            }
            let kindRaw = VietnameseText.fold(map.value("kind", in: row))
            let kind: CriterionKind = ["bonus", "thuong", "diem thuong"].contains(kindRaw) ? .bonus
                : ["penalty", "tru", "diem tru"].contains(kindRaw) ? .penalty : .normal
            let parent = code.contains(".") ? String(code[..<code.lastIndex(of: ".")!]) : nil
            out.append(CriterionSpec(
                code: code, parent: parent, title: title, max: max, kind: kind,
                guidance: VietnameseText.normalize(map.value("guidance", in: row)),
                evidence: VietnameseText.normalize(map.value("evidence", in: row)), method: method))
        }
        return (out, issues, [])
    }
}
