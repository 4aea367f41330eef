import Foundation

/// A column an import understands, with the headings people actually write (compared folded, so
/// "Mã đơn vị", "MA DON VI" and "ma don vi" are the same).
public struct ImportColumn: Sendable {
    public let key: String
    public let aliases: [String]
    public let required: Bool

    public init(_ key: String, aliases: [String], required: Bool) {
        self.key = key
        self.aliases = aliases
        self.required = required
    }

    /// Catalog key of the column's label, used in messages.
    public var labelKey: String { "column.\(key)" }
}

/// One problem found in one row (row numbers as the spreadsheet shows them: the header is row 1).
public struct RowIssue: Equatable, Sendable, Codable {
    public let row: Int
    public let column: String?
    public let problemKey: String
    public let argument: String?

    public init(row: Int, column: String?, problem: FieldProblem) {
        self.row = row
        self.column = column
        self.problemKey = problem.key
        self.argument = problem.argument
    }
}

public struct HeaderMapping: Sendable, Equatable {
    public let index: [String: Int]
    public let missing: [String]
    public let unknown: [String]

    public static func resolve(_ header: [String], columns: [ImportColumn]) -> HeaderMapping {
        var index: [String: Int] = [:]
        var unknown: [String] = []
        for (i, raw) in header.enumerated() {
            let folded = VietnameseText.fold(raw).replacingOccurrences(of: "*", with: "")
                .trimmingCharacters(in: .whitespaces)
            if folded.isEmpty { continue }
            if let col = columns.first(where: { c in c.key == folded || c.aliases.contains(folded) }) {
                if index[col.key] == nil { index[col.key] = i }
            } else {
                unknown.append(raw)
            }
        }
        let missing = columns.filter { $0.required && index[$0.key] == nil }.map(\.key)
        return HeaderMapping(index: index, missing: missing, unknown: unknown)
    }

    public func value(_ key: String, in row: [String]) -> String {
        guard let i = index[key], i < row.count else { return "" }
        return row[i]
    }
}

/// The outcome of a dry run: what would be written, and every problem by row. Nothing is written unless
/// there are no problems at all, so an import is all or nothing.
public struct ImportPlan<Draft: Sendable & Codable & Equatable>: Sendable, Codable, Equatable {
    public var drafts: [Draft]
    public var issues: [RowIssue]
    public var missingColumns: [String]
    public var unknownColumns: [String]

    public init(drafts: [Draft] = [], issues: [RowIssue] = [], missingColumns: [String] = [], unknownColumns: [String] = []) {
        self.drafts = drafts
        self.issues = issues
        self.missingColumns = missingColumns
        self.unknownColumns = unknownColumns
    }

    public var isCommittable: Bool { issues.isEmpty && missingColumns.isEmpty && !drafts.isEmpty }

    /// The start every import shares: the header resolved against `columns`, missing columns and a file over
    /// `maxRows` reported. The mapping is nil when the plan is already final (nothing to read row by row).
    static func begin(rows: [[String]], columns: [ImportColumn], maxRows: Int) -> (plan: ImportPlan, map: HeaderMapping?) {
        guard let header = rows.first else { return (ImportPlan(missingColumns: columns.filter(\.required).map(\.key)), nil) }
        let map = HeaderMapping.resolve(header, columns: columns)
        var plan = ImportPlan(missingColumns: map.missing, unknownColumns: map.unknown)
        guard map.missing.isEmpty else { return (plan, nil) }
        if rows.count - 1 > maxRows {
            plan.issues.append(RowIssue(row: maxRows + 2, column: nil, problem: .tooLong(max: maxRows)))
            return (plan, nil)
        }
        return (plan, map)
    }
}

/// Rows whose cells are all blank are skipped by imports (spreadsheets keep formatted empty rows).
func isBlank(_ row: [String]) -> Bool {
    row.allSatisfy { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
}
