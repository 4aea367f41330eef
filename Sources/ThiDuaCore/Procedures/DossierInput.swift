/// Instants as one-stop systems write them. With an offset or `Z` the offset is honoured; without one the time is
/// Vietnam time (the one-stop systems of a province run on it). Stored as seconds since 1970 (UTC).
public enum InstantText {
    /// "2026-11-23T09:00:00+07:00", "2026-11-23T02:00:00Z", "2026-11-23 09:00[:00]", "23/11/2026 09:00[:00]",
    /// fractions of a second ignored; a date without a time is refused (a due day is not an instant).
    public static func parse(_ raw: String) -> Int64? {
        if let v = parseCanonical(raw) { return v }
        return parseGeneral(raw)
    }

    /// "yyyy-MM-ddTHH:mm:ss" with "Z" or "±HH:MM" or nothing after it, read byte by byte: what one-stop systems
    /// nearly always send. Anything else (or anything this refuses) goes to the general parser, which gives the
    /// same value for these forms (a property test holds them equal).
    static func parseCanonical(_ raw: String) -> Int64? {
        var result: Int64?
        raw.utf8.withContiguousStorageIfAvailable { u in
            let n = u.count
            guard n == 19 || n == 20 || n == 25, u[4] == 0x2D, u[7] == 0x2D, u[10] == 0x54 || u[10] == 0x20, u[13] == 0x3A, u[16] == 0x3A
            else { return }
            func num(_ from: Int, _ count: Int) -> Int? {
                var v = 0
                for i in from..<(from + count) {
                    let d = u[i] &- 0x30
                    guard d < 10 else { return nil }
                    v = v * 10 + Int(d)
                }
                return v
            }
            var offset = DossierClock.vietnamOffset
            if n == 20 {
                guard u[19] == 0x5A || u[19] == 0x7A else { return }
                offset = 0
            } else if n == 25 {
                guard u[19] == 0x2B || u[19] == 0x2D, u[22] == 0x3A, let hh = num(20, 2), let mm = num(23, 2), hh <= 14, mm < 60 else { return }
                offset = Int64(hh * 3_600 + mm * 60) * (u[19] == 0x2D ? -1 : 1)
            }
            guard let y = num(0, 4), let mo = num(5, 2), let d = num(8, 2), let date = CivilDate(year: y, month: mo, day: d),
                let h = num(11, 2), let mi = num(14, 2), let sec = num(17, 2), h < 24, mi < 60, sec < 60
            else { return }
            result = Int64(date.daysSinceEpoch) * 86_400 + Int64(h * 3_600 + mi * 60 + sec) - offset
        }
        return result
    }

    static func parseGeneral(_ raw: String) -> Int64? {
        var s = Substring(raw.trimmingCharacters(in: .whitespaces))
        guard s.count >= 16, s.count <= 40 else { return nil }
        var offset: Int64 = DossierClock.vietnamOffset
        if s.hasSuffix("Z") || s.hasSuffix("z") {
            offset = 0
            s = s.dropLast()
        } else if s.count > 19, let signIndex = s.lastIndex(where: { $0 == "+" || $0 == "-" }), s.distance(from: s.startIndex, to: signIndex) >= 16 {
            let tz = s[s.index(after: signIndex)...].filter { $0 != ":" }
            guard tz.count == 4, let hh = Int64(tz.prefix(2)), let mm = Int64(tz.suffix(2)), hh <= 14, mm < 60 else { return nil }
            offset = (hh * 3_600 + mm * 60) * (s[signIndex] == "-" ? -1 : 1)
            s = s[..<signIndex]
        }
        let sep = s.firstIndex { $0 == "T" || $0 == " " }
        guard let sep else { return nil }
        let datePart = s[..<sep], timePart = s[s.index(after: sep)...]
        guard let date = CivilDate(parsing: String(datePart)) else { return nil }
        var time = timePart
        if let dot = time.firstIndex(of: ".") { time = time[..<dot] }
        let hms = time.split(separator: ":", omittingEmptySubsequences: false)
        guard hms.count == 2 || hms.count == 3, hms.allSatisfy({ $0.count == 2 && $0.allSatisfy(\.isASCII) }),
            let h = Int64(hms[0]), let m = Int64(hms[1]), h < 24, m < 60
        else { return nil }
        let sec = hms.count == 3 ? Int64(hms[2]) : 0
        guard let sec, sec < 60 else { return nil }
        return Int64(date.daysSinceEpoch) * 86_400 + h * 3_600 + m * 60 + sec - offset
    }

    /// "2026-11-23 09:00" in Vietnam time.
    public static func local(_ seconds: Int64) -> String {
        let d = DossierClock.localDay(seconds)
        let s = DossierClock.localSecondOfDay(seconds)
        func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(d.iso) \(two(s / 3_600)):\(two(s % 3_600 / 60))"
    }

    /// ISO 8601 with the Vietnam offset, for the API.
    public static func iso(_ seconds: Int64) -> String {
        let d = DossierClock.localDay(seconds)
        let s = DossierClock.localSecondOfDay(seconds)
        func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(d.iso)T\(two(s / 3_600)):\(two(s % 3_600 / 60)):\(two(s % 60))+07:00"
    }
}

/// A citizen's rating of how a dossier was handled, as one-stop systems record it.
public enum DossierRating: String, Sendable, Codable, CaseIterable {
    case verySatisfied = "very_satisfied", satisfied, unsatisfied

    public init?(loose raw: String) {
        switch VietnameseText.fold(raw).trimmedWhitespace() {
        case "very_satisfied", "rat hai long", "3": self = .verySatisfied
        case "satisfied", "hai long", "2": self = .satisfied
        case "unsatisfied", "khong hai long", "1": self = .unsatisfied
        default: return nil
        }
    }
}

/// One dossier as received from a one-stop system (file row or API item), checked.
public struct DossierInput: Sendable, Codable, Equatable {
    public var code: String
    public var procedureCode: String
    public var unitCode: String
    public var channel: DossierChannel
    public var received: Int64
    /// The due time the one-stop system announced, if it sent one (kept for reference; timeliness is computed).
    public var due: Int64?
    public var resolved: Int64?
    public var returned: Int64?
    public var result: DossierResult?
    public var paidOnline: Bool
    public var digitised: Bool
    public var rating: DossierRating?
    public var complaint: Bool

    public init(
        code: String, procedureCode: String, unitCode: String, channel: DossierChannel, received: Int64, due: Int64? = nil, resolved: Int64? = nil,
        returned: Int64? = nil, result: DossierResult? = nil, paidOnline: Bool = false, digitised: Bool = false, rating: DossierRating? = nil,
        complaint: Bool = false
    ) {
        self.code = code
        self.procedureCode = procedureCode
        self.unitCode = unitCode
        self.channel = channel
        self.received = received
        self.due = due
        self.resolved = resolved
        self.returned = returned
        self.result = result
        self.paidOnline = paidOnline
        self.digitised = digitised
        self.rating = rating
        self.complaint = complaint
    }

    /// The field names of files and of the API (the same).
    public static let fields = [
        "code", "procedure_code", "unit_code", "channel", "received_at", "due_at", "resolved_at", "returned_at", "result", "paid_online",
        "digitised", "rating", "complaint",
    ]

    /// The fields that are yes/no (JSON booleans in the API).
    public static let flagFields: Set<String> = ["paid_online", "digitised", "complaint"]

    /// The API's exact values of its enumerated fields (files may use the Vietnamese words too).
    public static let apiValues: [String: Set<String>] = [
        "channel": Set(DossierChannel.allCases.map(\.rawValue)), "result": Set(DossierResult.allCases.map(\.rawValue)),
        "rating": Set(DossierRating.allCases.map(\.rawValue)),
    ]

    /// The problems of one item, by field.
    public struct Problems: Error, Sendable {
        public let list: [(field: String, problem: FieldProblem)]
    }

    /// Checks one item whose fields are read through `value` (nil or blank = absent). Every problem is listed.
    public static func check(_ value: (String) -> String?) -> Result<DossierInput, Problems> {
        var problems: [(field: String, problem: FieldProblem)] = []
        func text(_ k: String) -> String { (value(k) ?? "").trimmedWhitespace() }
        func take<T>(_ k: String, _ r: Result<T, FieldProblem>) -> T? {
            switch r {
            case .success(let v): return v
            case .failure(let p):
                problems.append((k, p))
                return nil
            }
        }
        func instant(_ k: String, required: Bool) -> Int64? {
            let raw = text(k)
            if raw.isEmpty {
                if required { problems.append((k, .required)) }
                return nil
            }
            guard let v = InstantText.parse(raw) else {
                problems.append((k, .invalidDate(String(raw.prefix(40)))))
                return nil
            }
            return v
        }
        func flag(_ k: String) -> Bool {
            let raw = VietnameseText.fold(text(k))
            switch raw {
            case "", "0", "false", "no", "khong", "k": return false
            case "1", "true", "yes", "co", "x": return true
            default:
                problems.append((k, .invalidValue(String(raw.prefix(40)))))
                return false
            }
        }
        let code = take("code", FieldRules.code(text("code")))
        let procedure = take("procedure_code", FieldRules.code(text("procedure_code")))
        let unit = take("unit_code", FieldRules.code(text("unit_code")))
        let channelRaw = VietnameseText.fold(text("channel"))
        let channel: DossierChannel? =
            switch channelRaw {
            case "counter", "truc tiep", "tai quay", "mot cua": .counter
            case "online", "truc tuyen", "dvc", "dich vu cong": .online
            case "postal", "buu chinh", "buu dien", "bccci": .postal
            default: nil
            }
        if channel == nil { problems.append(("channel", channelRaw.isEmpty ? .required : .invalidValue(String(channelRaw.prefix(40))))) }
        let received = instant("received_at", required: true)
        let due = instant("due_at", required: false)
        let resolved = instant("resolved_at", required: false)
        let returned = instant("returned_at", required: false)
        let resultRaw = VietnameseText.fold(text("result"))
        var result: DossierResult?
        if !resultRaw.isEmpty {
            result =
                switch resultRaw {
                case "approved", "giai quyet", "da giai quyet", "chap thuan", "dat": .approved
                case "refused", "tu choi", "khong giai quyet": .refused
                case "withdrawn", "rut", "rut ho so", "huy": .withdrawn
                default: nil
                }
            if result == nil { problems.append(("result", .invalidValue(String(resultRaw.prefix(40))))) }
        }
        let paidOnline = flag("paid_online")
        let digitised = flag("digitised")
        let complaint = flag("complaint")
        let ratingRaw = text("rating")
        var rating: DossierRating?
        if !ratingRaw.isEmpty {
            rating = DossierRating(loose: ratingRaw)
            if rating == nil { problems.append(("rating", .invalidValue(String(ratingRaw.prefix(40))))) }
        }
        if let received {
            if let resolved, resolved < received { problems.append(("resolved_at", .dateOrder)) }
            if let returned, returned < received { problems.append(("returned_at", .dateOrder)) }
            if let due, due < received { problems.append(("due_at", .dateOrder)) }
        }
        if (result == .approved || result == .refused), resolved == nil { problems.append(("resolved_at", .required)) }
        if resolved != nil, result == nil { problems.append(("result", .required)) }
        guard problems.isEmpty, let code, let procedure, let unit, let channel, let received else { return .failure(Problems(list: problems)) }
        return .success(
            DossierInput(
                code: code, procedureCode: procedure, unitCode: unit, channel: channel, received: received, due: due, resolved: resolved,
                returned: returned, result: result, paidOnline: paidOnline, digitised: digitised, rating: rating, complaint: complaint))
    }
}

/// The columns of a dossier file: the API's field names, or the Vietnamese names one-stop exports use.
public enum DossierImportColumns {
    public static let columns: [ImportColumn] = [
        ImportColumn("code", aliases: ["ma ho so", "so ho so", "ma hs"], required: true),
        ImportColumn("procedure_code", aliases: ["ma thu tuc", "ma tthc"], required: true),
        ImportColumn("unit_code", aliases: ["ma don vi", "ma co quan", "don vi tiep nhan"], required: true),
        ImportColumn("channel", aliases: ["kenh", "kenh tiep nhan", "hinh thuc nop"], required: true),
        ImportColumn("received_at", aliases: ["ngay tiep nhan", "thoi diem tiep nhan", "ngay nhan"], required: true),
        ImportColumn("due_at", aliases: ["ngay hen tra", "han giai quyet"], required: false),
        ImportColumn("resolved_at", aliases: ["ngay giai quyet", "ngay co ket qua", "ngay hoan thanh"], required: false),
        ImportColumn("returned_at", aliases: ["ngay tra ket qua", "ngay tra"], required: false),
        ImportColumn("result", aliases: ["ket qua"], required: false),
        ImportColumn("paid_online", aliases: ["thanh toan truc tuyen"], required: false),
        ImportColumn("digitised", aliases: ["so hoa", "da so hoa"], required: false),
        ImportColumn("rating", aliases: ["danh gia", "muc do hai long"], required: false),
        ImportColumn("complaint", aliases: ["phan anh", "phan anh kien nghi"], required: false),
    ]
}

/// One checked row of a dossier file uploaded through the web (dry run first, then stored whole).
public struct DossierDraft: Sendable, Codable, Equatable {
    public var row: Int
    public var input: DossierInput
    /// The code is stored already: the row replaces it.
    public var updatesExisting: Bool
    /// The procedure or the unit is not known yet: the row will be kept aside, re-processable.
    public var keptAside: Bool

    public init(row: Int, input: DossierInput, updatesExisting: Bool, keptAside: Bool) {
        self.row = row
        self.input = input
        self.updatesExisting = updatesExisting
        self.keptAside = keptAside
    }
}

public enum DossierImport {
    /// What the registry knows when a file is checked.
    public struct Known: Sendable {
        public var dossierCodes: Set<String>
        public var procedureCodes: Set<String>
        public var unitCodes: Set<String>

        public init(dossierCodes: Set<String>, procedureCodes: Set<String>, unitCodes: Set<String>) {
            self.dossierCodes = dossierCodes
            self.procedureCodes = procedureCodes
            self.unitCodes = unitCodes
        }
    }

    /// The (valid, normalised) codes a file names, read before the registry is asked (so the question is as small as the file).
    public static func codes(rows: [[String]]) -> (dossiers: [String], procedures: [String], units: [String]) {
        guard let header = rows.first else { return ([], [], []) }
        let map = HeaderMapping.resolve(header, columns: DossierImportColumns.columns)
        func column(_ key: String) -> [String] {
            Array(Set(rows.dropFirst().compactMap { try? FieldRules.code(map.value(key, in: $0).trimmingCharacters(in: .whitespaces)).get() }))
        }
        return (column("code"), column("procedure_code"), column("unit_code"))
    }

    /// Dry run over a sheet (first row = header). `mayImport(unitCode)` answers whether the person uploading may
    /// record dossiers for that unit (an unknown unit is asked too: only someone with the province-wide right may
    /// leave a dossier aside for a unit not yet in the registry).
    public static func plan(rows: [[String]], known: Known, maxRows: Int = 50_000, mayImport: (String) -> Bool) -> ImportPlan<DossierDraft> {
        let begun = ImportPlan<DossierDraft>.begin(rows: rows, columns: DossierImportColumns.columns, maxRows: maxRows)
        var plan = begun.plan
        guard let map = begun.map else { return plan }
        var firstRowOfCode: [String: Int] = [:]
        var allowed: [String: Bool] = [:]
        for (offset, row) in rows.dropFirst().enumerated() where !isBlank(row) {
            let rowNo = offset + 2
            // A code named twice is a problem even when one of the rows has others.
            var duplicate: RowIssue?
            if let code = try? FieldRules.code(map.value("code", in: row)).get() {
                if let first = firstRowOfCode[code] { duplicate = RowIssue(row: rowNo, column: "code", problem: .duplicate(firstRow: first)) } else { firstRowOfCode[code] = rowNo }
            }
            switch DossierInput.check({ key in map.value(key, in: row) }) {
            case .failure(let problems):
                for p in problems.list { plan.issues.append(RowIssue(row: rowNo, column: p.field, problem: p.problem)) }
                if let duplicate { plan.issues.append(duplicate) }
            case .success(let d):
                var problems = RowProblems()
                if let duplicate { plan.issues.append(duplicate) }
                let may = allowed[d.unitCode] ?? mayImport(d.unitCode)
                allowed[d.unitCode] = may
                if !may { problems.add("unit_code", .forbidden) }
                plan.issues += problems.issues(row: rowNo)
                if problems.isEmpty, duplicate == nil {
                    let aside = !known.procedureCodes.contains(d.procedureCode) || !known.unitCodes.contains(d.unitCode)
                    plan.drafts.append(DossierDraft(row: rowNo, input: d, updatesExisting: known.dossierCodes.contains(d.code), keptAside: aside))
                }
            }
        }
        return plan
    }
}
