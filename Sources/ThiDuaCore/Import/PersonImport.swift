import Foundation

public struct PersonDraft: Sendable, Codable, Equatable {
    public var row: Int
    public var code: String
    public var fullName: String
    public var sex: Sex
    public var birthYear: Int?
    public var position: String?
    public var unitCode: String
    public var updatesExisting: Bool
}

/// Resolves what people write in a "unit" column: a code, or a name compared without diacritics.
public struct UnitResolver: Sendable {
    let byCode: [String: String]
    let byFoldedName: [String: [String]]

    public init(units: [(code: String, name: String)]) {
        var byCode: [String: String] = [:]
        var byName: [String: [String]] = [:]
        for u in units {
            byCode[u.code.uppercased()] = u.code
            byName[VietnameseText.fold(u.name), default: []].append(u.code)
        }
        self.byCode = byCode
        self.byFoldedName = byName
    }

    public func resolve(_ raw: String) -> Result<String, FieldProblem> {
        let s = VietnameseText.normalize(raw)
        if s.isEmpty { return .failure(.required) }
        if let code = byCode[s.uppercased()] { return .success(code) }
        let matches = byFoldedName[VietnameseText.fold(s)] ?? []
        switch matches.count {
        case 1: return .success(matches[0])
        case 0: return .failure(.notFound(s))
        default: return .failure(.ambiguous(s))
        }
    }
}

public enum PersonImport {
    public static let columns: [ImportColumn] = [
        ImportColumn("code", aliases: ["ma", "ma can bo", "ma cb", "ma nhan su", "person code"], required: true),
        ImportColumn("full_name", aliases: ["ho va ten", "ho ten", "ten", "full name", "name"], required: true),
        ImportColumn("sex", aliases: ["gioi tinh", "gender"], required: true),
        ImportColumn("birth_year", aliases: ["nam sinh", "year of birth", "birth year"], required: false),
        ImportColumn("position", aliases: ["chuc vu", "chuc danh", "position", "title"], required: false),
        ImportColumn("unit", aliases: ["don vi", "ma don vi", "co quan", "unit", "unit code"], required: true),
    ]

    public static func plan(
        rows: [[String]], units: UnitResolver, existingCodes: Set<String>, thisYear: Int, maxRows: Int = 50_000,
        mayEditIn: (String) -> Bool
    ) -> ImportPlan<PersonDraft> {
        let begun = ImportPlan<PersonDraft>.begin(rows: rows, columns: columns, maxRows: maxRows)
        var plan = begun.plan
        guard let map = begun.map else { return plan }
        var firstRowOfCode: [String: Int] = [:]
        for (offset, row) in rows.dropFirst().enumerated() where !isBlank(row) {
            let rowNo = offset + 2
            var problems = RowProblems()
            let code = problems.take("code", FieldRules.code(map.value("code", in: row)))
            let name = problems.take("full_name", FieldRules.name(map.value("full_name", in: row), max: 128))
            let sexRaw = map.value("sex", in: row)
            let sex = Sex(loose: sexRaw)
            if sex == nil { problems.add("sex", sexRaw.isEmpty ? .required : .invalidValue(sexRaw)) }
            let yearRaw = map.value("birth_year", in: row).trimmingCharacters(in: .whitespaces)
            var birthYear: Int?
            if !yearRaw.isEmpty {
                if let y = Int(yearRaw), (thisYear - 80...thisYear - 15).contains(y) {
                    birthYear = y
                } else {
                    problems.add("birth_year", .invalidValue(yearRaw))
                }
            }
            let position = problems.take("position", FieldRules.optionalText(map.value("position", in: row), max: 128)) ?? nil
            let unitCode = problems.take("unit", units.resolve(map.value("unit", in: row)))
            if let code {
                if let first = firstRowOfCode[code] {
                    problems.add("code", .duplicate(firstRow: first))
                } else {
                    firstRowOfCode[code] = rowNo
                }
            }
            if problems.isEmpty, let unitCode, !mayEditIn(unitCode) { problems.add("unit", .forbidden) }
            plan.issues += problems.issues(row: rowNo)
            if problems.isEmpty, let code, let name, let sex, let unitCode {
                plan.drafts.append(
                    PersonDraft(
                        row: rowNo, code: code, fullName: name, sex: sex, birthYear: birthYear, position: position,
                        unitCode: unitCode, updatesExisting: existingCodes.contains(code)))
            }
        }
        return plan
    }
}
