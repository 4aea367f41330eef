import Foundation

/// One task read from a spreadsheet, checked and with its units resolved to codes.
public struct TaskDraft: Sendable, Codable, Equatable {
    public var row: Int
    public var code: String
    public var parentCode: String?
    public var area: ContentArea
    public var title: String
    public var targetValue: Points?
    public var targetUnit: String?
    public var outputKind: OutputKind?
    public var output: String?
    public var start: CivilDate?
    public var due: CivilDate
    public var leadUnitCode: String
    public var coordinatingCodes: [String]
    public var officer: String?
    public var weight: Points?
}

public enum TaskImport {
    public static let columns: [ImportColumn] = [
        ImportColumn("code", aliases: ["stt", "ma", "ma nhiem vu", "so thu tu", "task code"], required: true),
        ImportColumn("parent_code", aliases: ["thuoc nhiem vu", "ma nhiem vu cha", "nhiem vu cha", "parent", "parent code"], required: false),
        ImportColumn("area", aliases: ["linh vuc", "noi dung cchc", "linh vuc cchc", "nhom nhiem vu", "content area"], required: true),
        ImportColumn("title", aliases: ["ten nhiem vu", "nhiem vu", "noi dung", "noi dung nhiem vu", "task"], required: true),
        ImportColumn("target_value", aliases: ["chi tieu", "muc tieu", "gia tri chi tieu", "target", "target value"], required: false),
        ImportColumn("target_unit", aliases: ["don vi tinh", "dvt", "don vi chi tieu", "target unit"], required: false),
        ImportColumn("output_kind", aliases: ["loai san pham", "hinh thuc san pham", "output kind"], required: false),
        ImportColumn("output", aliases: ["san pham", "san pham dau ra", "ket qua", "output"], required: false),
        ImportColumn("start_on", aliases: ["ngay bat dau", "bat dau", "tu ngay", "start"], required: false),
        ImportColumn("due_on", aliases: ["thoi han", "han hoan thanh", "thoi gian hoan thanh", "den ngay", "due", "due date"], required: true),
        ImportColumn("lead_unit", aliases: ["don vi chu tri", "chu tri", "co quan chu tri", "lead unit"], required: true),
        ImportColumn("coordinating_units", aliases: ["don vi phoi hop", "phoi hop", "co quan phoi hop", "coordinating units"], required: false),
        ImportColumn("officer", aliases: ["nguoi phu trach", "can bo phu trach", "responsible officer", "officer"], required: false),
        ImportColumn("weight", aliases: ["trong so", "weight"], required: false),
    ]

    /// Dry run. `existingCodes` are task codes already in the plan (a code must be new); `mayReportFor` is not
    /// needed here: the plan's owner decides who leads, any unit may be named.
    public static func plan(rows: [[String]], units: UnitResolver, existingCodes: Set<String>, maxRows: Int = 20_000) -> ImportPlan<TaskDraft> {
        let begun = ImportPlan<TaskDraft>.begin(rows: rows, columns: columns, maxRows: maxRows)
        var plan = begun.plan
        guard let map = begun.map else { return plan }
        var firstRow: [String: Int] = [:]
        for (offset, row) in rows.dropFirst().enumerated() where !row.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
            let rowNo = offset + 2
            var p = RowProblems()
            let code = p.take("code", FieldRules.code(map.value("code", in: row)))
            if let code {
                if let first = firstRow[code] { p.add("code", .duplicate(firstRow: first)) } else { firstRow[code] = rowNo }
                if existingCodes.contains(code) { p.add("code", .alreadyExists(code)) }
            }
            let parentRaw = map.value("parent_code", in: row)
            let parent = parentRaw.trimmingCharacters(in: .whitespaces).isEmpty ? nil : p.take("parent_code", FieldRules.code(parentRaw))
            let areaRaw = map.value("area", in: row)
            let area = ContentArea(loose: areaRaw)
            if area == nil { p.add("area", areaRaw.trimmingCharacters(in: .whitespaces).isEmpty ? .required : .invalidValue(areaRaw)) }
            let title = p.take("title", FieldRules.name(map.value("title", in: row), max: 1000))
            var target: TaskTarget?
            switch TaskTarget.parse(value: map.value("target_value", in: row), unit: map.value("target_unit", in: row)) {
            case .success(let t): target = t
            case .failure(.valueWithoutUnit): p.add("target_unit", .required)
            case .failure(.unitWithoutValue): p.add("target_value", .required)
            case .failure(.badValue(let v)): p.add("target_value", .invalidValue(v))
            case .failure(.negative): p.add("target_value", .invalidValue(map.value("target_value", in: row)))
            }
            if let u = target?.unit, case .failure(let prob) = FieldRules.name(u, max: 100) { p.add("target_unit", prob) }
            let kindRaw = map.value("output_kind", in: row)
            let kind = OutputKind(loose: kindRaw)
            if kind == nil && !kindRaw.trimmingCharacters(in: .whitespaces).isEmpty { p.add("output_kind", .invalidValue(kindRaw)) }
            let output = p.take("output", FieldRules.optionalText(map.value("output", in: row), max: 1000)) ?? nil
            let start = p.take("start_on", FieldRules.date(map.value("start_on", in: row))) ?? nil
            let dueResult = FieldRules.date(map.value("due_on", in: row))
            var due = p.take("due_on", dueResult) ?? nil
            if due == nil, case .success = dueResult { p.add("due_on", .required) }
            if let s = start, let d = due, d < s {
                p.add("due_on", .dateOrder)
                due = nil
            }
            let lead = p.take("lead_unit", units.resolve(map.value("lead_unit", in: row)))
            var coordinating: [String] = []
            for part in map.value("coordinating_units", in: row).split(whereSeparator: { $0 == ";" || $0 == "\n" }) {
                let s = part.trimmingCharacters(in: .whitespaces)
                guard !s.isEmpty else { continue }
                if let c = p.take("coordinating_units", units.resolve(s)), c != lead, !coordinating.contains(c) { coordinating.append(c) }
            }
            let officer = p.take("officer", FieldRules.optionalText(map.value("officer", in: row), max: 255)) ?? nil
            let weightRaw = map.value("weight", in: row).trimmingCharacters(in: .whitespaces)
            var weight: Points?
            if !weightRaw.isEmpty {
                if let w = Points(typed: weightRaw), w > .zero { weight = w } else { p.add("weight", .invalidValue(weightRaw)) }
            }
            plan.issues += p.issues(row: rowNo)
            if p.isEmpty, let code, let area, let title, let due, let lead {
                plan.drafts.append(TaskDraft(
                    row: rowNo, code: code, parentCode: parent, area: area, title: title, targetValue: target?.value,
                    targetUnit: target?.unit, outputKind: kind, output: output, start: start, due: due, leadUnitCode: lead,
                    coordinatingCodes: coordinating, officer: officer, weight: weight))
            }
        }
        // Parents must be in the plan already or in the file, and the file must not make a loop.
        let fileCodes = Set(plan.drafts.map(\.code))
        var parentOf: [String: String] = [:]
        for d in plan.drafts { if let p = d.parentCode { parentOf[d.code] = p } }
        var bad: [Int: FieldProblem] = [:]
        var depth: [String: Int] = [:]
        for d in plan.drafts {
            guard let parent = d.parentCode else { continue }
            if parent == d.code || !(fileCodes.contains(parent) || existingCodes.contains(parent)) {
                bad[d.row] = .notFound(parent)
                continue
            }
            var n = 0
            var cursor: String? = parent
            var seen: Set<String> = [d.code]
            while let c = cursor {
                if seen.contains(c) {
                    bad[d.row] = .invalidValue(parent)
                    break
                }
                seen.insert(c)
                n += 1
                cursor = parentOf[c]
            }
            depth[d.code] = n
        }
        for (row, prob) in bad.sorted(by: { $0.key < $1.key }) { plan.issues.append(RowIssue(row: row, column: "parent_code", problem: prob)) }
        plan.drafts.removeAll { bad[$0.row] != nil }
        // Parents first, so that commit can link children to the ids it has just created.
        plan.drafts.sort { (depth[$0.code] ?? 0, $0.row) < (depth[$1.code] ?? 0, $1.row) }
        return plan
    }
}
