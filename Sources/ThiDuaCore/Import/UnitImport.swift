import Foundation

public struct UnitDraft: Sendable, Codable, Equatable {
    public var row: Int
    public var code: String
    public var name: String
    public var shortName: String?
    public var kind: UnitKind
    public var parentCode: String?
    public var validFrom: CivilDate?
    public var validTo: CivilDate?
    /// True when the code already exists: the import updates that unit instead of creating one.
    public var updatesExisting: Bool
}

/// What the importer needs to know of a unit already in the registry.
public struct ExistingUnitRef: Sendable, Equatable {
    public let code: String
    public let name: String
    public let parentCode: String?

    public init(code: String, name: String, parentCode: String?) {
        self.code = code
        self.name = name
        self.parentCode = parentCode
    }
}

public enum UnitImport {
    public static let columns: [ImportColumn] = [
        ImportColumn("code", aliases: ["ma", "ma don vi", "ma dv", "unit code"], required: true),
        ImportColumn("name", aliases: ["ten", "ten don vi", "ten co quan", "unit name"], required: true),
        ImportColumn("short_name", aliases: ["ten viet tat", "ten ngan", "short name"], required: false),
        ImportColumn("kind", aliases: ["loai", "loai don vi", "unit kind"], required: true),
        ImportColumn(
            "parent_code", aliases: ["ma cap tren", "ma don vi cap tren", "don vi cap tren", "parent", "parent code"],
            required: false),
        ImportColumn("valid_from", aliases: ["hieu luc tu", "tu ngay", "ngay thanh lap", "valid from"], required: false),
        ImportColumn("valid_to", aliases: ["hieu luc den", "den ngay", "ngay giai the", "valid to"], required: false),
    ]

    /// Dry run over the rows of a sheet (first row = header). `existing` maps codes to units already stored;
    /// `mayEditUnder` says whether the importing user may create or change a unit under a parent code.
    public static func plan(
        rows: [[String]], existing: [String: ExistingUnitRef], maxRows: Int = 20_000,
        mayEditUnder: (String?) -> Bool
    ) -> ImportPlan<UnitDraft> {
        let begun = ImportPlan<UnitDraft>.begin(rows: rows, columns: columns, maxRows: maxRows)
        var plan = begun.plan
        guard let map = begun.map else { return plan }
        var firstRowOfCode: [String: Int] = [:]
        for (offset, row) in rows.dropFirst().enumerated() where !isBlank(row) {
            let rowNo = offset + 2
            var problems = RowProblems()
            let code = problems.take("code", FieldRules.code(map.value("code", in: row)))
            let name = problems.take("name", FieldRules.name(map.value("name", in: row)))
            let shortName = problems.take("short_name", FieldRules.optionalText(map.value("short_name", in: row), max: 64)) ?? nil
            let kindRaw = map.value("kind", in: row)
            let kind = UnitKind(loose: kindRaw)
            if kind == nil {
                problems.add("kind", kindRaw.trimmingCharacters(in: .whitespaces).isEmpty ? .required : .invalidValue(kindRaw))
            }
            let parentRaw = map.value("parent_code", in: row)
            var parentCode: String?
            if !parentRaw.trimmingCharacters(in: .whitespaces).isEmpty {
                parentCode = problems.take("parent_code", FieldRules.code(parentRaw))
            }
            let from = problems.take("valid_from", FieldRules.date(map.value("valid_from", in: row))) ?? nil
            let to = problems.take("valid_to", FieldRules.date(map.value("valid_to", in: row))) ?? nil
            if let from, let to, to < from { problems.add("valid_to", .dateOrder) }
            if let code {
                if let first = firstRowOfCode[code] {
                    problems.add("code", .duplicate(firstRow: first))
                } else {
                    firstRowOfCode[code] = rowNo
                }
                if parentCode == code { problems.add("parent_code", .invalidValue(parentRaw)) }
            }
            if kind != .province && parentCode == nil && !problems.hasProblem(in: "parent_code") {
                problems.add("parent_code", .required)
            }
            if problems.isEmpty, !mayEditUnder(parentCode) {
                problems.add("parent_code", .forbidden)
            }
            plan.issues += problems.issues(row: rowNo)
            if problems.isEmpty, let code, let name, let kind {
                plan.drafts.append(
                    UnitDraft(
                        row: rowNo, code: code, name: name, shortName: shortName, kind: kind, parentCode: parentCode,
                        validFrom: from, validTo: to, updatesExisting: existing[code] != nil))
            }
        }
        checkParents(&plan, existing: existing)
        return plan
    }

    /// Parents must exist (in the registry or earlier/later in the file) and the resulting tree must have no
    /// cycle. Drafts are re-ordered so that parents are written before children.
    static func checkParents(_ plan: inout ImportPlan<UnitDraft>, existing: [String: ExistingUnitRef]) {
        var parentOf: [String: String?] = existing.mapValues(\.parentCode)
        for d in plan.drafts { parentOf[d.code] = d.parentCode }
        var bad: [Int: FieldProblem] = [:]
        for d in plan.drafts {
            guard let p = d.parentCode else { continue }
            if parentOf[p] == nil {
                bad[d.row] = .notFound(p)
                continue
            }
            var seen: Set<String> = [d.code]
            var cursor: String? = p
            while let c = cursor {
                if seen.contains(c) {
                    bad[d.row] = .invalidValue(p)
                    break
                }
                seen.insert(c)
                cursor = parentOf[c] ?? nil
            }
        }
        for (row, p) in bad.sorted(by: { $0.key < $1.key }) {
            plan.issues.append(RowIssue(row: row, column: "parent_code", problem: p))
        }
        plan.drafts.removeAll { bad[$0.row] != nil }
        plan.issues.sort { ($0.row, $0.column ?? "") < ($1.row, $1.column ?? "") }
        // Parents first: depth within the combined tree.
        func depth(_ code: String) -> Int {
            var n = 0
            var cursor = parentOf[code] ?? nil
            while let c = cursor, n < 64 {
                n += 1
                cursor = parentOf[c] ?? nil
            }
            return n
        }
        plan.drafts = plan.drafts.map { ($0, depth($0.code)) }.sorted { ($0.1, $0.0.row) < ($1.1, $1.0.row) }.map(\.0)
    }
}
