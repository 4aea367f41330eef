import Foundation

/// A calendar date without a time zone (validity dates, leave periods, decisions). Stored as "yyyy-MM-dd",
/// which sorts correctly as text on both databases; shown to users as dd/MM/yyyy.
public struct CivilDate: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    public init?(year: Int, month: Int, day: Int) {
        guard (1900...2200).contains(year), (1...12).contains(month),
            (1...CivilDate.daysIn(month: month, year: year)).contains(day)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// ISO form used for storage: "2025-07-01".
    public var iso: String {
        Self.pad(year, 4) + "-" + Self.pad(month, 2) + "-" + Self.pad(day, 2)
    }

    /// Vietnamese display form: "01/07/2025".
    public var vietnamese: String {
        Self.pad(day, 2) + "/" + Self.pad(month, 2) + "/" + Self.pad(year, 4)
    }

    /// Zero-padded decimal (dates are shown on every list row; `String(format:)` is slow on Linux).
    static func pad(_ n: Int, _ width: Int) -> String {
        let digits = String(n)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    /// The storage form "yyyy-MM-dd" without the general parser's work (it is read on every list row).
    static func parseISO(_ s: String) -> CivilDate? {
        let u = Array(s.utf8)
        guard u.count == 10, u[4] == 0x2D, u[7] == 0x2D else { return nil }
        func num(_ r: Range<Int>) -> Int? {
            var v = 0
            for i in r {
                guard u[i] >= 0x30, u[i] <= 0x39 else { return nil }
                v = v * 10 + Int(u[i] - 0x30)
            }
            return v
        }
        guard let y = num(0..<4), let m = num(5..<7), let d = num(8..<10) else { return nil }
        return CivilDate(year: y, month: m, day: d)
    }

    public var description: String { iso }

    public static func < (a: CivilDate, b: CivilDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    /// Accepts what people type or spreadsheets hold: dd/MM/yyyy, d/M/yyyy, dd-MM-yyyy, dd.MM.yyyy,
    /// yyyy-MM-dd, and an Excel date serial number.
    public init?(parsing raw: String) {
        if let d = Self.parseISO(raw) {
            self = d
            return
        }
        let s = raw.trimmingCharacters(in: .whitespaces)
        guard !s.isEmpty else { return nil }
        // Spreadsheet date serials for 1927–2119; a bare "2026" is a year someone typed, not a date.
        if s.allSatisfy(\.isNumber), let serial = Int(s), (10_000...80_000).contains(serial) {
            guard let d = CivilDate(excelSerial: serial) else { return nil }
            self = d
            return
        }
        let parts = s.split(whereSeparator: { $0 == "/" || $0 == "-" || $0 == "." }).map(String.init)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
            let a = Int(parts[0]), let b = Int(parts[1]), let c = Int(parts[2])
        else { return nil }
        let date: CivilDate?
        if parts[0].count == 4 {
            date = CivilDate(year: a, month: b, day: c)
        } else if parts[2].count == 4 {
            date = CivilDate(year: c, month: b, day: a)
        } else {
            date = nil
        }
        guard let date else { return nil }
        self = date
    }

    /// Excel's 1900 date system, including its phantom 29/02/1900 (serial 60), which Lotus introduced.
    public init?(excelSerial serial: Int) {
        guard serial >= 1 else { return nil }
        let adjusted = serial > 60 ? serial - 1 : serial
        if serial == 60 { return nil }
        self.init(daysSince1899_12_31: adjusted)
    }

    init?(daysSince1899_12_31 n: Int) {
        // Walk from 1900-01-01 using days-from-civil arithmetic (Howard Hinnant's algorithm).
        let z = n + CivilDate.daysFromCivil(1899, 12, 31) + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.init(year: m <= 2 ? y + 1 : y, month: m, day: d)
    }

    /// Days since 1970-01-01 for the proleptic Gregorian date (negative before).
    static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    public var daysSinceEpoch: Int { CivilDate.daysFromCivil(year, month, day) }

    public func adding(days: Int) -> CivilDate {
        CivilDate(daysSince1899_12_31: daysSinceEpoch + days - CivilDate.daysFromCivil(1899, 12, 31))!
    }

    /// Today's date in Vietnam (UTC+7, no daylight saving), whatever the server's time zone.
    public static func today(now: Date = Date()) -> CivilDate {
        let seconds = now.timeIntervalSince1970 + 7 * 3600
        let d = Int((seconds / 86_400).rounded(.down))
        return CivilDate(daysSince1899_12_31: d - CivilDate.daysFromCivil(1899, 12, 31))!
    }

    // Codable as the ISO string so JSON snapshots (audit trail, backups) stay readable.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let s = try c.decode(String.self)
        guard let d = CivilDate(parsing: s) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "not a date: \(s)")
        }
        self = d
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(iso)
    }
}

/// A period of days, open-ended when `end` is nil (e.g. a case still pending, a unit still valid).
public struct DatePeriod: Hashable, Sendable, Codable {
    public var start: CivilDate
    public var end: CivilDate?

    public init(start: CivilDate, end: CivilDate?) {
        self.start = start
        self.end = end
    }

    public var isWellOrdered: Bool { end.map { $0 >= start } ?? true }

    public func contains(_ d: CivilDate) -> Bool {
        d >= start && (end.map { d <= $0 } ?? true)
    }
}
