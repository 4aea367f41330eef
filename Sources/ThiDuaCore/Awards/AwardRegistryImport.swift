import Foundation

/// One award given, from the province's records (a file of past decisions) — who, what, for which year's
/// achievements, and the decision.
public struct AwardRecordDraft: Sendable, Codable, Equatable {
    public var row: Int
    public var awardCode: String
    public var year: Int
    /// Exactly one of the two: a person (individual) or a unit (collective).
    public var personCode: String?
    public var unitCode: String?
    public var decisionNumber: String
    public var decisionDate: CivilDate
    public var merit: Bool
}

public enum AwardRegistryImport {
    public static let columns: [ImportColumn] = [
        ImportColumn("award_code", aliases: ["ma danh hieu", "ma hinh thuc", "danh hieu", "award"], required: true),
        ImportColumn("year", aliases: ["nam", "nam thanh tich", "year"], required: true),
        ImportColumn("person_code", aliases: ["ma can bo", "ma ca nhan", "person code"], required: false),
        ImportColumn("unit_code", aliases: ["ma don vi", "ma tap the", "unit code"], required: false),
        ImportColumn("decision_number", aliases: ["so quyet dinh", "so, ky hieu", "so ky hieu", "decision number"], required: true),
        ImportColumn("decision_date", aliases: ["ngay quyet dinh", "ngay ky", "decision date"], required: true),
        ImportColumn("merit", aliases: ["tinh thanh tich", "khen thuong thuong xuyen", "merit"], required: false),
    ]

    /// What the registry knows when a file is checked.
    public struct Known: Sendable {
        /// Award code → its subject.
        public var awards: [String: AwardSubject]
        public var personCodes: Set<String>
        public var unitCodes: Set<String>
        /// "AWARD|P:CODE|YEAR" or "AWARD|U:CODE|YEAR" already stored: one achievement, one award.
        public var stored: Set<String>

        public init(awards: [String: AwardSubject], personCodes: Set<String>, unitCodes: Set<String>, stored: Set<String>) {
            self.awards = awards
            self.personCodes = personCodes
            self.unitCodes = unitCodes
            self.stored = stored
        }
    }

    public static func key(award: String, personCode: String?, unitCode: String?, year: Int) -> String {
        "\(award)|\(personCode.map { "P:" + $0 } ?? "U:" + (unitCode ?? ""))|\(year)"
    }

    public static func plan(rows: [[String]], known: Known, thisYear: Int, maxRows: Int = 20_000) -> ImportPlan<AwardRecordDraft> {
        let begun = ImportPlan<AwardRecordDraft>.begin(rows: rows, columns: columns, maxRows: maxRows)
        var plan = begun.plan
        guard let map = begun.map else { return plan }
        var firstRow: [String: Int] = [:]
        for (offset, row) in rows.dropFirst().enumerated() where !isBlank(row) {
            let rowNo = offset + 2
            var problems = RowProblems()
            let award = problems.take("award_code", FieldRules.code(map.value("award_code", in: row)))
            let subject = award.flatMap { known.awards[$0] }
            if award != nil && subject == nil { problems.add("award_code", .notFound(map.value("award_code", in: row))) }
            let yearRaw = map.value("year", in: row).trimmingCharacters(in: .whitespaces)
            let year = Int(yearRaw).flatMap { (1945...thisYear).contains($0) ? $0 : nil }
            if year == nil { problems.add("year", yearRaw.isEmpty ? .required : .invalidValue(yearRaw)) }
            let personRaw = map.value("person_code", in: row).trimmingCharacters(in: .whitespaces)
            let unitRaw = map.value("unit_code", in: row).trimmingCharacters(in: .whitespaces)
            var person: String?, unit: String?
            switch subject {
            case .individual?:
                person = problems.take("person_code", FieldRules.code(personRaw))
                if let p = person, !known.personCodes.contains(p) { problems.add("person_code", .notFound(p)) }
            case .collective?, .household?:
                unit = problems.take("unit_code", FieldRules.code(unitRaw))
                if let u = unit, !known.unitCodes.contains(u) { problems.add("unit_code", .notFound(u)) }
            case nil: break
            }
            let number = problems.take("decision_number", FieldRules.name(map.value("decision_number", in: row), max: 100))
            let dateRaw = map.value("decision_date", in: row)
            var date: CivilDate?
            switch FieldRules.date(dateRaw) {
            case .success(let d?): date = d
            case .success(nil): problems.add("decision_date", .required)
            case .failure(let p): problems.add("decision_date", p)
            }
            if let d = date, let y = year, d.year < y { problems.add("decision_date", .dateOrder) }
            let meritRaw = VietnameseText.fold(map.value("merit", in: row)).trimmingCharacters(in: .whitespaces)
            var merit = true
            switch meritRaw {
            case "", "1", "co", "x", "yes", "true": merit = true
            case "0", "khong", "no", "false", "dot xuat", "chuyen de": merit = false
            default: problems.add("merit", .invalidValue(meritRaw))
            }
            if let a = award, let y = year, person != nil || unit != nil {
                let k = key(award: a, personCode: person, unitCode: unit, year: y)
                if let first = firstRow[k] { problems.add("award_code", .duplicate(firstRow: first)) } else { firstRow[k] = rowNo }
                if known.stored.contains(k) { problems.add("award_code", .alreadyExists(a + " " + String(y))) }
            }
            plan.issues += problems.issues(row: rowNo)
            if problems.isEmpty, let a = award, let y = year, let number, let date {
                plan.drafts.append(AwardRecordDraft(row: rowNo, awardCode: a, year: y, personCode: person, unitCode: unit, decisionNumber: number,
                                                    decisionDate: date, merit: merit))
            }
        }
        return plan
    }
}
