import Foundation

/// Number and time formats Vietnamese users expect: 1.234,56 and dd/MM/yyyy HH:mm in Asia/Ho_Chi_Minh.
/// English pages use 1,234.56 with the same day-first dates (the audience is the same province).
public enum VietnameseFormat {
    /// Groups thousands with "." and uses "," for decimals: 1234.5 with 2 places → "1.234,50".
    /// Rounds half away from zero (the rounding Vietnamese publications use) on the decimal value itself.
    public static func number(_ value: Decimal, places: Int = 0, english: Bool = false) -> String {
        var v = value
        var rounded = Decimal()
        NSDecimalRound(&rounded, &v, places, .plain)
        let negative = rounded < 0
        let magnitude = negative ? -rounded : rounded
        let plain = NSDecimalNumber(decimal: magnitude).stringValue  // "1234.5" (POSIX form)
        let pieces = plain.split(separator: ".", omittingEmptySubsequences: false)
        let intPart = String(pieces[0])
        var frac = pieces.count > 1 ? String(pieces[1]) : ""
        if frac.count < places { frac += String(repeating: "0", count: places - frac.count) }
        let groupSep: Character = english ? "," : "."
        let decimalSep = english ? "." : ","
        var grouped = ""
        for (i, ch) in intPart.reversed().enumerated() {
            if i > 0 && i % 3 == 0 { grouped.append(groupSep) }
            grouped.append(ch)
        }
        let body = String(grouped.reversed()) + (places > 0 ? decimalSep + frac : "")
        return negative && rounded != 0 ? "-" + body : body
    }

    public static func number(_ value: Int, english: Bool = false) -> String {
        number(Decimal(value), places: 0, english: english)
    }

    /// Parses numbers as typed in Vietnam ("8,5", "1.234,5") or in English ("8.5", "1,234.5").
    /// A single separator followed by exactly three digits is a thousands group only when another group
    /// or the other separator confirms it; "1.234" alone is read as 1234 (Vietnamese habit), "8,5" as 8.5.
    public static func parseDecimal(_ raw: String) -> Decimal? {
        let s = raw.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: " ", with: "")
        guard !s.isEmpty, s.count <= 40 else { return nil }
        var body = Substring(s)
        var sign = ""
        if body.first == "-" || body.first == "+" {
            sign = body.first == "-" ? "-" : ""
            body = body.dropFirst()
        }
        guard !body.isEmpty, body.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "." || $0 == ",") }),
            body.first?.isNumber == true
        else { return nil }
        let dots = body.filter { $0 == "." }.count
        let commas = body.filter { $0 == "," }.count
        var normalized: String
        if dots > 0 && commas > 0 {
            // The separator that comes last is the decimal one.
            let lastDot = body.lastIndex(of: ".")!
            let lastComma = body.lastIndex(of: ",")!
            if lastComma > lastDot {
                normalized = body.replacingOccurrences(of: ".", with: "").replacingOccurrences(of: ",", with: ".")
            } else {
                normalized = body.replacingOccurrences(of: ",", with: "")
            }
        } else if commas > 1 {
            normalized = body.replacingOccurrences(of: ",", with: "")
        } else if dots > 1 {
            normalized = body.replacingOccurrences(of: ".", with: "")
        } else if commas == 1 {
            normalized = body.replacingOccurrences(of: ",", with: ".")
        } else if dots == 1 {
            let after = body.split(separator: ".", omittingEmptySubsequences: false)[1]
            normalized = after.count == 3 ? body.replacingOccurrences(of: ".", with: "") : String(body)
        } else {
            normalized = String(body)
        }
        guard !normalized.hasSuffix("."), normalized.split(separator: ".", omittingEmptySubsequences: false).count <= 2,
            let d = Decimal(string: sign + normalized, locale: Locale(identifier: "en_US_POSIX"))
        else { return nil }
        return d
    }

    /// Vietnam has used UTC+7 without daylight saving since 1975; a fixed offset keeps output identical on
    /// machines without time-zone data.
    public static let vietnamOffsetSeconds = 7 * 3600

    /// "22/11/2026 08:15" in Vietnam time.
    public static func dateTime(_ date: Date) -> String {
        let seconds = Int((date.timeIntervalSince1970).rounded(.down)) + vietnamOffsetSeconds
        let days = Int((Double(seconds) / 86_400).rounded(.down))
        let secOfDay = seconds - days * 86_400
        let day = CivilDate(daysSince1899_12_31: days - CivilDate.daysFromCivil(1899, 12, 31))!
        return day.vietnamese + String(format: " %02d:%02d", secOfDay / 3600, (secOfDay % 3600) / 60)
    }
}
