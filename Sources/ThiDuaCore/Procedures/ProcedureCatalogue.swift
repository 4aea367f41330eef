/// Which level of government handles a procedure (after the 2025 reorganisation: province and commune; the
/// national level for procedures received locally on behalf of a ministry).
public enum ProcedureLevel: String, Sendable, Codable, CaseIterable {
    case national, province, commune

    /// "tinh", "Cấp tỉnh", "xa", "cấp xã", "trung uong", … (folded: no diacritics, any case).
    public init?(loose raw: String) {
        let f = VietnameseText.fold(raw).replacingOccurrences(of: "cap ", with: "").trimmingCharacters(in: .whitespaces)
        switch f {
        case "national", "trung uong", "bo", "tw": self = .national
        case "province", "tinh", "so", "thanh pho": self = .province
        case "commune", "xa", "phuong", "dac khu", "xa phuong": self = .commune
        default: return nil
        }
    }
}

/// How far a procedure can be done online (Decree 42/2022/NĐ-CP: "toàn trình" = full, "một phần" = partial).
public enum OnlineLevel: String, Sendable, Codable, CaseIterable {
    case full, partial, none

    public init?(loose raw: String) {
        let f = VietnameseText.fold(raw).trimmingCharacters(in: .whitespaces)
        switch f {
        case "full", "toan trinh", "dvc toan trinh", "4", "muc 4": self = .full
        case "partial", "mot phan", "dvc mot phan", "3", "muc 3": self = .partial
        case "none", "khong", "", "truc tiep", "2", "muc 2": self = .none
        default: return nil
        }
    }
}

/// One administrative procedure of the catalogue.
public struct ProcedureDraft: Sendable, Codable, Equatable {
    public var row: Int
    public var code: String
    public var name: String
    public var field: String
    public var level: ProcedureLevel
    public var statutory: TimeLimit
    /// The province's own, shorter limit (nil: none set).
    public var internalLimit: TimeLimit?
    public var online: OnlineLevel
    /// Fee and charges in đồng (0: free).
    public var fee: Int64
    public var updatesExisting: Bool

    public init(
        row: Int, code: String, name: String, field: String, level: ProcedureLevel, statutory: TimeLimit, internalLimit: TimeLimit?,
        online: OnlineLevel, fee: Int64, updatesExisting: Bool
    ) {
        self.row = row
        self.code = code
        self.name = name
        self.field = field
        self.level = level
        self.statutory = statutory
        self.internalLimit = internalLimit
        self.online = online
        self.fee = fee
        self.updatesExisting = updatesExisting
    }
}

public enum ProcedureImport {
    public static let columns: [ImportColumn] = [
        ImportColumn("code", aliases: ["ma", "ma thu tuc", "ma tthc", "procedure code"], required: true),
        ImportColumn("name", aliases: ["ten", "ten thu tuc", "ten tthc", "procedure name"], required: true),
        ImportColumn("field", aliases: ["linh vuc", "ten linh vuc"], required: true),
        ImportColumn("level", aliases: ["cap", "cap thuc hien", "cap giai quyet"], required: true),
        ImportColumn("statutory_days", aliases: ["thoi han", "thoi han giai quyet", "thoi han theo quy dinh", "so ngay", "statutory days"], required: true),
        ImportColumn("internal_days", aliases: ["thoi han noi bo", "thoi han cua tinh", "thoi han cat giam", "internal days"], required: false),
        ImportColumn("online_level", aliases: ["muc do", "dich vu cong", "muc do dvc", "dvc truc tuyen", "online level"], required: false),
        ImportColumn("fee", aliases: ["phi", "le phi", "phi le phi", "phi, le phi", "fee"], required: false),
    ]

    /// Dry run over a sheet (first row = header); `existingCodes`: procedures already in the catalogue (updated).
    public static func plan(rows: [[String]], existingCodes: Set<String>, maxRows: Int = 20_000) -> ImportPlan<ProcedureDraft> {
        let begun = ImportPlan<ProcedureDraft>.begin(rows: rows, columns: columns, maxRows: maxRows)
        var plan = begun.plan
        guard let map = begun.map else { return plan }
        var firstRowOfCode: [String: Int] = [:]
        for (offset, row) in rows.dropFirst().enumerated() where !isBlank(row) {
            let rowNo = offset + 2
            var problems = RowProblems()
            let code = problems.take("code", FieldRules.code(map.value("code", in: row)))
            let name = problems.take("name", FieldRules.name(map.value("name", in: row), max: 1_000))
            let field = problems.take("field", FieldRules.name(map.value("field", in: row)))
            let levelRaw = map.value("level", in: row)
            let level = ProcedureLevel(loose: levelRaw)
            if level == nil { problems.add("level", levelRaw.trimmingCharacters(in: .whitespaces).isEmpty ? .required : .invalidValue(levelRaw)) }
            let statutoryRaw = map.value("statutory_days", in: row).trimmingCharacters(in: .whitespaces)
            let statutory = TimeLimit(parsing: statutoryRaw)
            if statutory == nil { problems.add("statutory_days", statutoryRaw.isEmpty ? .required : .invalidValue(statutoryRaw)) }
            let internalRaw = map.value("internal_days", in: row).trimmingCharacters(in: .whitespaces)
            var internalLimit: TimeLimit?
            if !internalRaw.isEmpty {
                internalLimit = TimeLimit(parsing: internalRaw)
                if internalLimit == nil { problems.add("internal_days", .invalidValue(internalRaw)) }
                if let i = internalLimit, let s = statutory, i > s { problems.add("internal_days", .invalidValue(internalRaw)) }
            }
            let onlineRaw = map.value("online_level", in: row)
            let online = OnlineLevel(loose: onlineRaw)
            if online == nil { problems.add("online_level", .invalidValue(onlineRaw)) }
            let feeRaw = map.value("fee", in: row).trimmingCharacters(in: .whitespaces)
            let fee = parseMoney(feeRaw)
            if fee == nil { problems.add("fee", .invalidValue(feeRaw)) }
            if let code {
                if let first = firstRowOfCode[code] { problems.add("code", .duplicate(firstRow: first)) } else { firstRowOfCode[code] = rowNo }
            }
            plan.issues += problems.issues(row: rowNo)
            if problems.isEmpty, let code, let name, let field, let level, let statutory, let online, let fee {
                plan.drafts.append(
                    ProcedureDraft(
                        row: rowNo, code: code, name: name, field: field, level: level, statutory: statutory, internalLimit: internalLimit,
                        online: online, fee: fee, updatesExisting: existingCodes.contains(code)))
            }
        }
        return plan
    }

    /// "0", "", "50.000", "50,000", "50000 đồng", "Không" → đồng; nil when not a whole, non-negative amount.
    public static func parseMoney(_ raw: String) -> Int64? {
        let f = VietnameseText.fold(raw).replacingOccurrences(of: "dong", with: "").replacingOccurrences(of: "vnd", with: "")
            .trimmingCharacters(in: .whitespaces)
        if f.isEmpty || f == "khong" || f == "mien phi" { return 0 }
        let digits = f.filter { $0 != "." && $0 != "," && $0 != " " }
        guard !digits.isEmpty, digits.count <= 13, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int64(digits)
    }
}
