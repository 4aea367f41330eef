import Foundation

/// Exact points and percentages: an integer count of ten-thousandths. Sums are exact integer additions, so the
/// same inputs give the same totals on every machine and database; rounding happens only where documented
/// (`rounded(places:)`: half away from zero, at each leaf and on each published percentage).
public struct Points: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public static let scale: Int64 = 10_000
    public var e4: Int64

    public init(e4: Int64) { self.e4 = e4 }
    public init(_ whole: Int) { e4 = Int64(whole) * Self.scale }

    public static let zero = Points(e4: 0)

    /// Machine form ("97.685", "-0.5"): JSON, batch files, database. At most 4 decimals (more is refused,
    /// not silently rounded). Parsed with integer arithmetic: it runs for every number of every page.
    public init?(parsing raw: String) {
        var utf8 = Substring(raw).utf8.drop(while: { $0 == 0x20 })
        while utf8.last == 0x20 { utf8 = utf8.dropLast() }
        var negative = false
        if utf8.first == 0x2D {
            negative = true
            utf8 = utf8.dropFirst()
        }
        var whole: Int64 = 0
        var frac: Int64 = 0
        var fracDigits = 0
        var seenDot = false
        var digits = 0
        for b in utf8 {
            if b == 0x2E {
                if seenDot { return nil }
                seenDot = true
                continue
            }
            guard b >= 0x30 && b <= 0x39 else { return nil }
            let d = Int64(b - 0x30)
            if seenDot {
                fracDigits += 1
                if fracDigits > 4 { return nil }
                frac = frac * 10 + d
            } else {
                digits += 1
                if digits > 14 { return nil }
                whole = whole * 10 + d
            }
        }
        guard digits > 0, !(seenDot && fracDigits == 0) else { return nil }
        for _ in fracDigits..<4 { frac *= 10 }
        e4 = (whole * Self.scale + frac) * (negative ? -1 : 1)
    }

    /// What people type: "8,5" (Vietnamese decimal comma), "8.5", "1.234,5"; see `VietnameseFormat.parseDecimal`.
    public init?(typed raw: String) {
        guard let d = VietnameseFormat.parseDecimal(raw) else { return nil }
        self.init(exactly: d)
    }

    public init?(exactly d: Decimal) {
        var scaled = d * Decimal(Self.scale)
        var rounded = Decimal()
        NSDecimalRound(&rounded, &scaled, 0, .plain)
        guard rounded == scaled, abs(rounded) < Decimal(Int64(1) << 53) else { return nil }
        e4 = NSDecimalNumber(decimal: rounded).int64Value
    }

    public static func < (a: Points, b: Points) -> Bool { a.e4 < b.e4 }
    public static func + (a: Points, b: Points) -> Points { Points(e4: a.e4 + b.e4) }
    public static func - (a: Points, b: Points) -> Points { Points(e4: a.e4 - b.e4) }
    public static func += (a: inout Points, b: Points) { a.e4 += b.e4 }
    public static func * (a: Points, n: Int) -> Points { Points(e4: a.e4 * Int64(n)) }

    /// Rounds to `places` decimals, half away from zero (the rule Vietnamese score sheets use).
    public func rounded(places: Int) -> Points {
        let step = Self.step(places)
        return Points(e4: Self.divideRounded(e4, by: step) * step)
    }

    static func step(_ places: Int) -> Int64 {
        var s: Int64 = 1
        for _ in 0..<Swift.max(0, 4 - Swift.min(places, 4)) { s *= 10 }
        return s
    }

    /// Integer division rounding half away from zero.
    public static func divideRounded(_ a: Int64, by b: Int64) -> Int64 {
        precondition(b != 0)
        let (q, r) = a.quotientAndRemainder(dividingBy: b)
        if r == 0 { return q }
        let twice = r.magnitude * 2
        if twice >= b.magnitude { return q + ((a < 0) != (b < 0) ? -1 : 1) }
        return q
    }

    /// round(a × b ÷ c), half away from zero, with a 128-bit intermediate product.
    public static func mulDivRounded(_ a: Int64, _ b: Int64, _ c: Int64) -> Int64 {
        precondition(c != 0)
        let negative = ((a < 0) != (b < 0)) != (c < 0)
        let product = a.magnitude.multipliedFullWidth(by: b.magnitude)
        let divisor = c.magnitude
        guard product.high < divisor else { return negative ? Int64.min : Int64.max }  // saturate: never for score sheets
        let (q, r) = divisor.dividingFullWidth((product.high, product.low))
        var m = q
        if r >= divisor - r { m += 1 }  // r ≥ divisor / 2: half away from zero
        let v = Int64(clamping: m)
        return negative ? -v : v
    }

    /// 10^places for places in 0...4.
    static func power(_ places: Int) -> Int64 {
        var p: Int64 = 1
        for _ in 0..<Swift.max(0, Swift.min(places, 4)) { p *= 10 }
        return p
    }

    /// round(self × numerator ÷ denominator) to `places` decimals, in one rounding step.
    public func times(_ numerator: Points, over denominator: Points, places: Int) -> Points {
        guard denominator.e4 != 0 else { return .zero }
        let pow = Self.power(places)
        // result in units of 10^-places = self.e4 × num.e4 × pow ÷ (den.e4 × scale)
        let q = Self.mulDivRounded(e4 * pow, numerator.e4, denominator.e4 * Self.scale)
        return Points(e4: q * (Self.scale / pow))
    }

    public var decimal: Decimal { Decimal(e4) / Decimal(Self.scale) }

    /// "97.69" (POSIX form, for JSON and CSV).
    public func plain(places: Int) -> String {
        let r = rounded(places: places)
        let negative = r.e4 < 0
        let m = r.e4.magnitude
        let whole = m / UInt64(Self.scale)
        var frac = String(m % UInt64(Self.scale))
        frac = String(repeating: "0", count: 4 - frac.count) + frac
        let p = Swift.max(0, Swift.min(places, 4))
        return (negative ? "-" : "") + String(whole) + (p > 0 ? "." + frac.prefix(p) : "")
    }

    /// "1.234,69" for Vietnamese pages, "1,234.69" for English ones; integer arithmetic only.
    public func formatted(places: Int, english: Bool = false) -> String {
        let plain = self.plain(places: places)  // "-1234.69"
        var body = Substring(plain)
        let negative = body.hasPrefix("-")
        if negative { body = body.dropFirst() }
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        let intPart = parts[0]
        var grouped = ""
        grouped.reserveCapacity(intPart.count + intPart.count / 3 + places + 2)
        for (i, ch) in intPart.enumerated() {
            if i > 0 && (intPart.count - i) % 3 == 0 { grouped.append(english ? "," : ".") }
            grouped.append(ch)
        }
        if parts.count > 1 { grouped += (english ? "." : ",") + parts[1] }
        let isZero = !plain.contains(where: { $0 >= "1" && $0 <= "9" })
        return negative && !isZero ? "-" + grouped : grouped
    }

    public var description: String { plain(places: 4) }

    /// As many decimals as the value has (none to four): "100", "25,5", "0,125" — for targets and weights that
    /// people typed, where "100,0000" would only add noise.
    public func formattedCompact(english: Bool = false) -> String {
        let m = e4.magnitude
        let places = m % 10_000 == 0 ? 0 : m % 1_000 == 0 ? 1 : m % 100 == 0 ? 2 : m % 10 == 0 ? 3 : 4
        return formatted(places: places, english: english)
    }

    public static func min(_ a: Points, _ b: Points) -> Points { a < b ? a : b }
    public static func max(_ a: Points, _ b: Points) -> Points { a < b ? b : a }

    /// `part / whole × 100`, rounded once to `places` (half away from zero); zero when `whole` is zero.
    public static func percent(_ part: Points, of whole: Points, places: Int) -> Points {
        Points(100).times(part, over: whole, places: places)
    }
}
