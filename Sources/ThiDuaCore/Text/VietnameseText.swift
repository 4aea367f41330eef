import Foundation

/// Vietnamese text rules users expect: NFC storage, search that ignores diacritics ("so noi vu" finds
/// "Sở Nội vụ") and sorting in Vietnamese alphabetical order (a ă â b c d đ e ê …), where tone marks only
/// break ties between otherwise equal words.
public enum VietnameseText {
    /// Canonical form for storage and comparison: NFC, trimmed, inner runs of white space collapsed.
    public static func normalize(_ s: String) -> String {
        if isCanonicalASCII(s) { return s }
        return normalizeGeneral(s)
    }

    /// Printable ASCII with single inner spaces is its own canonical form (codes, numbers, most file cells).
    static func isCanonicalASCII(_ s: String) -> Bool {
        var previous: UInt8 = 0x20
        for b in s.utf8 {
            if b == 0x20 {
                if previous == 0x20 { return false }
            } else if b < 0x21 || b > 0x7E {
                return false
            }
            previous = b
        }
        return previous != 0x20 || s.isEmpty
    }

    static func normalizeGeneral(_ s: String) -> String {
        let nfc = s.precomposedStringWithCanonicalMapping
        var out = ""
        out.reserveCapacity(nfc.utf8.count)
        var pendingSpace = false
        for ch in nfc where ch != "\u{0000}" {
            if ch.isWhitespace || ch.isNewline {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(" ") }
                pendingSpace = false
                out.append(ch)
            }
        }
        return out
    }

    /// Search key: lower case, all diacritics removed, đ → d, white space collapsed.
    /// Stored beside names so a database `LIKE` on it is diacritic-insensitive on SQLite and PostgreSQL alike.
    public static func fold(_ s: String) -> String {
        if s.utf8.allSatisfy({ $0 < 0x80 }) { return foldASCII(s) }
        return foldGeneral(s)
    }

    /// `fold` for ASCII text, byte by byte (the general path decomposes through Foundation).
    static func foldASCII(_ s: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count)
        var lastWasSpace = true
        for b in s.utf8 {
            if b == 0x20 || (b >= 0x09 && b <= 0x0D) {
                if !lastWasSpace { out.append(0x20) }
                lastWasSpace = true
                continue
            }
            lastWasSpace = false
            out.append(b >= 0x41 && b <= 0x5A ? b + 0x20 : b)
        }
        if out.last == 0x20 { out.removeLast() }
        return String(decoding: out, as: UTF8.self)
    }

    static func foldGeneral(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        var lastWasSpace = true
        for scalar in s.decomposedStringWithCanonicalMapping.unicodeScalars {
            if scalar.properties.generalCategory == .nonspacingMark { continue }
            if scalar.properties.isWhitespace {
                if !lastWasSpace { out.append(" ") }
                lastWasSpace = true
                continue
            }
            lastWasSpace = false
            switch scalar {
            case "đ", "Đ": out.append("d")
            default:
                for lower in scalar.properties.lowercaseMapping.unicodeScalars { out.append(lower) }
            }
        }
        var result = String(out)
        if result.hasSuffix(" ") { result.removeLast() }
        return result
    }

    /// The Vietnamese alphabet with the letters that carry vowel marks placed after their base letter.
    private static let alphabet: [Character] = [
        "a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "ô", "ơ",
        "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z",
    ]
    private static let letterRank: [Character: Int] = Dictionary(
        uniqueKeysWithValues: alphabet.enumerated().map { ($1, $0) })

    /// Tone order used by Vietnamese dictionaries: ngang, huyền, hỏi, ngã, sắc, nặng.
    private static let toneRank: [Unicode.Scalar: Int] = [
        "\u{0300}": 1, "\u{0309}": 2, "\u{0303}": 3, "\u{0301}": 4, "\u{0323}": 5,
    ]

    /// A key that sorts in Vietnamese order: first by letters of the Vietnamese alphabet, then by tones, then
    /// by case. It is written in lower-case hexadecimal so that any database collation (SQLite's binary one,
    /// PostgreSQL's locale ones) orders it exactly as its bytes: `ORDER BY sort_key` agrees on both databases.
    public static func sortKey(_ s: String) -> String {
        var primary: [UInt8] = []
        var tones: [UInt8] = []
        var cases: [UInt8] = []
        for ch in normalize(s) {
            let lowerChar = Character(String(ch).lowercased())
            let decomposed = String(lowerChar).decomposedStringWithCanonicalMapping.unicodeScalars
            var base = ""
            var tone = 0
            for scalar in decomposed {
                if let t = toneRank[scalar] {
                    tone = t
                } else {
                    base.unicodeScalars.append(scalar)
                }
            }
            let baseChar = Character(base.precomposedStringWithCanonicalMapping)
            if let rank = letterRank[baseChar] {
                primary.append(UInt8(0x40 + rank))  // letters after digits and punctuation
            } else if let ascii = baseChar.asciiValue {
                primary.append(ascii == 0x20 ? 0x21 : min(ascii, 0x3F))  // space sorts before everything
            } else {
                // Other scripts: keep a stable order after the Vietnamese letters.
                primary.append(0x7E)
            }
            tones.append(UInt8(0x30 + tone))
            cases.append(ch.isUppercase ? 0x31 : 0x30)
        }
        // A level separator lower than any letter keeps "an" before "anh" whatever the tones.
        let bytes = primary + [0x20] + tones + [0x20] + cases
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(hex[Int(b >> 4)])
            out.append(hex[Int(b & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Sorting people by given name (tên), then the rest of the name, as Vietnamese lists do.
    public static func personSortKey(_ fullName: String) -> String {
        let parts = normalize(fullName).split(separator: " ")
        guard let given = parts.last else { return sortKey(fullName) }
        return sortKey(String(given) + " " + parts.dropLast().joined(separator: " "))
    }

    /// Compare two strings in Vietnamese alphabetical order.
    public static func precedes(_ a: String, _ b: String) -> Bool {
        sortKey(a) < sortKey(b)
    }

    /// True when every word of `query` (folded) appears in `text` (folded).
    public static func matches(_ text: String, query: String) -> Bool {
        let haystack = fold(text)
        return fold(query).split(separator: " ").allSatisfy { haystack.contains($0) }
    }
}

extension String {
    /// `trimmingCharacters(in: .whitespaces)` without Foundation when the ends are ASCII (nearly always): only a
    /// space or a tab can be trimmed there.
    public func trimmedWhitespace() -> String {
        guard let first = utf8.first, let last = utf8.last else { return self }
        if first < 0x80, last < 0x80, first != 0x20, first != 0x09, last != 0x20, last != 0x09 { return self }
        return trimmingCharacters(in: .whitespaces)
    }
}
