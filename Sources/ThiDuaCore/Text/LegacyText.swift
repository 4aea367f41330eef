import Foundation

/// The encoding `LegacyText.decode` settled on, kept so the import screen can tell users what it assumed
/// (and so they can spot a wrong guess before anything is saved).
public enum TextEncodingGuess: String, Sendable, Equatable, CaseIterable {
    case utf8, utf16le, utf16be, windows1258, tcvn3

    /// Label shown to users. Byte order means nothing to them, so both UTF-16 forms read the same.
    public var label: String {
        switch self {
        case .utf8: "UTF-8"
        case .utf16le, .utf16be: "UTF-16"
        case .windows1258: "Windows-1258"
        case .tcvn3: "TCVN3 (ABC)"
        }
    }
}

public struct DecodedText: Sendable, Equatable {
    /// NFC-normalised, BOM removed.
    public let text: String
    public let encoding: TextEncodingGuess
}

/// Turns the bytes of CSV/text files handed over by provincial offices into NFC strings. Many of those
/// files predate Unicode: typed with the ABC keyboard in TCVN3 fonts (.VnTime) or saved by Vietnamese
/// Windows as code page 1258, and neither says which it is.
public enum LegacyText {
    /// UTF-8 (with or without BOM) first; UTF-16 only when a BOM says so; otherwise whichever of
    /// Windows-1258 and TCVN3 reads as more plausible Vietnamese. Never throws, never traps.
    public static func decode(_ bytes: [UInt8]) -> DecodedText {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            // A BOM is a deliberate statement, so damaged bytes after it are repaired (U+FFFD), not re-guessed.
            let text = String(decoding: bytes.dropFirst(3), as: UTF8.self)
            return DecodedText(text: text.precomposedStringWithCanonicalMapping, encoding: .utf8)
        }
        if bytes.starts(with: [0xFF, 0xFE]) {
            return DecodedText(text: decodeUTF16(bytes.dropFirst(2), bigEndian: false), encoding: .utf16le)
        }
        if bytes.starts(with: [0xFE, 0xFF]) {
            return DecodedText(text: decodeUTF16(bytes.dropFirst(2), bigEndian: true), encoding: .utf16be)
        }
        // Legacy Vietnamese text essentially never forms valid multi-byte UTF-8 by accident: its high bytes
        // are letters that sit next to ASCII, not lead/continuation runs.
        if isValidUTF8(bytes) {
            let text = String(decoding: bytes, as: UTF8.self)
            return DecodedText(text: text.precomposedStringWithCanonicalMapping, encoding: .utf8)
        }

        let sample = bytes.count > scoringSampleLimit ? Array(bytes.prefix(scoringSampleLimit)) : bytes
        let tcvn3Sample = decodeTCVN3(sample)
        let windowsSample = decodeWindows1258(sample)
        let sampleIsWhole = sample.count == bytes.count
        // Ties (e.g. only punctuation above 0x7F) go to TCVN3: it is the commoner legacy encoding in government
        // offices, and for such input both readings are nearly identical anyway.
        if plausibility(of: windowsSample) > plausibility(of: tcvn3Sample) {
            return DecodedText(text: sampleIsWhole ? windowsSample : decodeWindows1258(bytes), encoding: .windows1258)
        }
        return DecodedText(text: sampleIsWhole ? tcvn3Sample : decodeTCVN3(bytes), encoding: .tcvn3)
    }

    /// Windows-1258 writes most toned vowels as base letter + combining tone mark; the result is NFC.
    public static func decodeWindows1258(_ bytes: [UInt8]) -> String {
        decodeSingleByte(bytes, highHalf: windows1258High)
    }

    public static func decodeTCVN3(_ bytes: [UInt8]) -> String {
        decodeSingleByte(bytes, highHalf: tcvn3High)
    }

    /// Encodes the way Windows does: a precomposed byte where code page 1258 has one (á, ê, ơ …), otherwise
    /// the base letter followed by one of its five combining tone marks. Nil when something cannot be written.
    public static func encodeWindows1258(_ s: String) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count)
        for scalar in s.precomposedStringWithCanonicalMapping.unicodeScalars {
            if let byte = windows1258Byte(scalar) {
                out.append(byte)
                continue
            }
            var foundTone: UInt8?
            var base = String.UnicodeScalarView()
            for part in String(scalar).decomposedStringWithCanonicalMapping.unicodeScalars {
                if let tone = windows1258ToneBytes[part] {
                    guard foundTone == nil else { return nil }
                    foundTone = tone
                } else {
                    base.append(part)
                }
            }
            // NFD splits ế into e + U+0302 + U+0301, but 1258 holds ê precomposed: recompose all but the tone.
            let composedBase = String(base).precomposedStringWithCanonicalMapping.unicodeScalars
            guard let toneByte = foundTone, composedBase.count == 1, let baseScalar = composedBase.first,
                let baseByte = windows1258Byte(baseScalar)
            else { return nil }
            out.append(baseByte)
            out.append(toneByte)
        }
        return out
    }

    /// Writes basic TCVN3 as the ABC keyboard produced it. Capitals with a tone (Ủ, Ấ …) have no code there
    /// (ABC users switched to an upper-case font instead), so such text gives nil rather than a silent
    /// lower-casing.
    public static func encodeTCVN3(_ s: String) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count)
        for scalar in s.precomposedStringWithCanonicalMapping.unicodeScalars {
            if scalar.isASCII {
                out.append(UInt8(scalar.value))
            } else if let byte = tcvn3Encoding[scalar] {
                out.append(byte)
            } else {
                return nil
            }
        }
        return out
    }

    // MARK: - Tables

    private static let replacement: Unicode.Scalar = "\u{FFFD}"

    /// Windows-1258 bytes 0x80–0xFF, generated from Python's `cp1258` codec. Undefined bytes → U+FFFD.
    /// 0xCC, 0xD2, 0xDE, 0xEC, 0xF2 are the combining tone marks, hence NFC after decoding.
    private static let windows1258HighCodes: [UInt16] = [
        0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, // 0x80
        0x02C6, 0x2030, 0xFFFD, 0x2039, 0x0152, 0xFFFD, 0xFFFD, 0xFFFD, // 0x88
        0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, // 0x90
        0x02DC, 0x2122, 0xFFFD, 0x203A, 0x0153, 0xFFFD, 0xFFFD, 0x0178, // 0x98
        0x00A0, 0x00A1, 0x00A2, 0x00A3, 0x00A4, 0x00A5, 0x00A6, 0x00A7, // 0xA0
        0x00A8, 0x00A9, 0x00AA, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x00AF, // 0xA8
        0x00B0, 0x00B1, 0x00B2, 0x00B3, 0x00B4, 0x00B5, 0x00B6, 0x00B7, // 0xB0
        0x00B8, 0x00B9, 0x00BA, 0x00BB, 0x00BC, 0x00BD, 0x00BE, 0x00BF, // 0xB8
        0x00C0, 0x00C1, 0x00C2, 0x0102, 0x00C4, 0x00C5, 0x00C6, 0x00C7, // 0xC0
        0x00C8, 0x00C9, 0x00CA, 0x00CB, 0x0300, 0x00CD, 0x00CE, 0x00CF, // 0xC8
        0x0110, 0x00D1, 0x0309, 0x00D3, 0x00D4, 0x01A0, 0x00D6, 0x00D7, // 0xD0
        0x00D8, 0x00D9, 0x00DA, 0x00DB, 0x00DC, 0x01AF, 0x0303, 0x00DF, // 0xD8
        0x00E0, 0x00E1, 0x00E2, 0x0103, 0x00E4, 0x00E5, 0x00E6, 0x00E7, // 0xE0
        0x00E8, 0x00E9, 0x00EA, 0x00EB, 0x0301, 0x00ED, 0x00EE, 0x00EF, // 0xE8
        0x0111, 0x00F1, 0x0323, 0x00F3, 0x00F4, 0x01A1, 0x00F6, 0x00F7, // 0xF0
        0x00F8, 0x00F9, 0x00FA, 0x00FB, 0x00FC, 0x01B0, 0x20AB, 0x00FF, // 0xF8
    ]

    /// TCVN3 = TCVN 5712:1993, table VN3 (the "ABC" fonts .VnTime, .VnArial …), bytes 0x80–0xFF.
    /// Bytes below 0x80 are ASCII.
    ///
    /// Sources, cross-checked with a script:
    ///  - GNU libiconv `lib/tcvn.h` (TCVN-5712, i.e. the full VN1 table);
    ///  - XFree86 X-TrueType `TCVN/TCVNtoUCS2.c` (also VN1);
    ///  - UniKey's VnConv `ukengine/data.cpp` (TCVN3 as the ABC keyboard writes it);
    ///  - BoGo engine `src/charset.hpp` (Unicode → TCVN3);
    ///  - B2Uconverter `include/encodings/vntime_tcvn.py` (a .VnTime font dump).
    /// All five agree on the 74 letter bytes: 0xA1–0xAE (Ă Â Ê Ô Ơ Ư Đ ă â ê ô ơ ư đ) and the lower-case toned
    /// vowels in 0xB5–0xFE. They disagree elsewhere, and we side with what ABC-era files actually contain:
    ///  - 0x80–0x9F: VN1 puts toned capitals here. UniKey maps these bytes to the Windows-1252 symbols (except
    ///    0x82, which it sends to ₡, apparently a slip), and the .VnTime dump agrees on the punctuation that
    ///    real files contain (… ‘ ’ “ ” • – —). We use Windows-1252 throughout (undefined → U+FFFD).
    ///  - 0xB0–0xB4: VN1 has the five combining tone marks; the .VnTime dump shows Latin-1 ° ± ² ³ ´. VN3
    ///    producers never emit the marks, and reading "25°C" as a stray grave accent would be worse. Latin-1.
    ///  - 0xAF, 0xBA, 0xBF, 0xC0–0xC5, 0xCD, 0xD9–0xDB, 0xE0, 0xF0, 0xFF: empty in VN3. VN1 puts toned capitals
    ///    there (Ằ Ẳ Ẵ Ắ Ầ Ẩ Ẫ Ấ Ề Ể Ễ Ế Ồ Ổ Ỗ Ố); the font dump shows Latin-1 or font-specific duplicates
    ///    (0xC0–0xC2 as ẻ ẽ ẹ). UniKey leaves them unmapped. We pass them through as Latin-1.
    ///  - 0x01–0x17: VN1 puts more toned capitals (Ú Ụ Ừ Ử Ữ Ứ Ự Ỳ Ỷ Ỹ Ý Ỵ) on control codes, and the two VN1
    ///    sources do not even agree on which; kept as ASCII so tabs and line breaks survive.
    private static let tcvn3HighCodes: [UInt16] = [
        0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, // 0x80
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD, // 0x88
        0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, // 0x90
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178, // 0x98
        0x00A0, 0x0102, 0x00C2, 0x00CA, 0x00D4, 0x01A0, 0x01AF, 0x0110, // 0xA0
        0x0103, 0x00E2, 0x00EA, 0x00F4, 0x01A1, 0x01B0, 0x0111, 0x00AF, // 0xA8
        0x00B0, 0x00B1, 0x00B2, 0x00B3, 0x00B4, 0x00E0, 0x1EA3, 0x00E3, // 0xB0
        0x00E1, 0x1EA1, 0x00BA, 0x1EB1, 0x1EB3, 0x1EB5, 0x1EAF, 0x00BF, // 0xB8
        0x00C0, 0x00C1, 0x00C2, 0x00C3, 0x00C4, 0x00C5, 0x1EB7, 0x1EA7, // 0xC0
        0x1EA9, 0x1EAB, 0x1EA5, 0x1EAD, 0x00E8, 0x00CD, 0x1EBB, 0x1EBD, // 0xC8
        0x00E9, 0x1EB9, 0x1EC1, 0x1EC3, 0x1EC5, 0x1EBF, 0x1EC7, 0x00EC, // 0xD0
        0x1EC9, 0x00D9, 0x00DA, 0x00DB, 0x0129, 0x00ED, 0x1ECB, 0x00F2, // 0xD8
        0x00E0, 0x1ECF, 0x00F5, 0x00F3, 0x1ECD, 0x1ED3, 0x1ED5, 0x1ED7, // 0xE0
        0x1ED1, 0x1ED9, 0x1EDD, 0x1EDF, 0x1EE1, 0x1EDB, 0x1EE3, 0x00F9, // 0xE8
        0x00F0, 0x1EE7, 0x0169, 0x00FA, 0x1EE5, 0x1EEB, 0x1EED, 0x1EEF, // 0xF0
        0x1EE9, 0x1EF1, 0x1EF3, 0x1EF7, 0x1EF9, 0x00FD, 0x1EF5, 0x00FF, // 0xF8
    ]

    /// The TCVN3 bytes VN3 assigns beyond punctuation; only these are written, so encoded fixtures look like
    /// ABC output rather than relying on our Latin-1 pass-through choices above.
    private static let tcvn3LetterBytes: [ClosedRange<UInt8>] = [
        0xA1...0xAE, 0xB5...0xB9, 0xBB...0xBE, 0xC6...0xCC, 0xCE...0xD8, 0xDC...0xDF, 0xE1...0xEF, 0xF1...0xFE,
    ]

    private static let windows1258High: [Unicode.Scalar] = windows1258HighCodes.map(scalar)
    private static let tcvn3High: [Unicode.Scalar] = tcvn3HighCodes.map(scalar)

    private static let windows1258Encoding: [Unicode.Scalar: UInt8] = inverse(of: windows1258High) { _ in true }

    private static let tcvn3Encoding: [Unicode.Scalar: UInt8] = inverse(of: tcvn3High) { byte in
        byte < 0xA1 || tcvn3LetterBytes.contains { $0.contains(byte) }
    }

    private static let windows1258ToneBytes: [Unicode.Scalar: UInt8] = [
        "\u{0300}": 0xCC, "\u{0301}": 0xEC, "\u{0303}": 0xDE, "\u{0309}": 0xD2, "\u{0323}": 0xF2,
    ]

    private static func scalar(_ code: UInt16) -> Unicode.Scalar {
        Unicode.Scalar(code) ?? replacement
    }

    /// First byte wins, so duplicates (TCVN3 has à at 0xB5 and, via Latin-1, at 0xE0) encode to the VN3 one.
    private static func inverse(
        of highHalf: [Unicode.Scalar], including: (UInt8) -> Bool
    ) -> [Unicode.Scalar: UInt8] {
        var map: [Unicode.Scalar: UInt8] = [:]
        for (offset, scalar) in highHalf.enumerated() where scalar != replacement {
            let byte = UInt8(0x80 + offset)
            if including(byte), map[scalar] == nil { map[scalar] = byte }
        }
        return map
    }

    private static func windows1258Byte(_ scalar: Unicode.Scalar) -> UInt8? {
        scalar.isASCII ? UInt8(scalar.value) : windows1258Encoding[scalar]
    }

    // MARK: - Decoding

    private static func decodeSingleByte(_ bytes: [UInt8], highHalf: [Unicode.Scalar]) -> String {
        var scalars = String.UnicodeScalarView()
        scalars.reserveCapacity(bytes.count)
        for byte in bytes {
            scalars.append(byte < 0x80 ? Unicode.Scalar(byte) : highHalf[Int(byte) - 0x80])
        }
        return String(scalars).precomposedStringWithCanonicalMapping
    }

    /// `String(decoding:as:)` would silently repair, and repair is exactly what hides a legacy encoding.
    private static func isValidUTF8(_ bytes: [UInt8]) -> Bool {
        var iterator = bytes.makeIterator()
        var codec = UTF8()
        while true {
            switch codec.decode(&iterator) {
            case .scalarValue: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }

    private static func decodeUTF16(_ bytes: ArraySlice<UInt8>, bigEndian: Bool) -> String {
        var units: [UInt16] = []
        units.reserveCapacity(bytes.count / 2)
        var index = bytes.startIndex
        while bytes.endIndex - index >= 2 {
            let first = UInt16(bytes[index])
            let second = UInt16(bytes[index + 1])
            units.append(bigEndian ? first << 8 | second : second << 8 | first)
            index += 2
        }
        // Lone surrogates become U+FFFD; a dangling odd byte means the file was cut short, so say so.
        var text = String(decoding: units, as: UTF16.self)
        if index != bytes.endIndex { text.unicodeScalars.append(replacement) }
        return text.precomposedStringWithCanonicalMapping
    }

    // MARK: - Choosing between Windows-1258 and TCVN3

    /// Enough rows of any CSV to be decisive without scoring a large file twice.
    private static let scoringSampleLimit = 256 * 1024

    /// Both misreadings are full of toned letters (Windows-1258 read as TCVN3 turns "Hải" into "Haềi"), so
    /// counting accented letters is not enough. Instead each word with non-ASCII letters is checked against
    /// Vietnamese syllable structure: one tone at most, on a vowel of the nucleus, with a legal onset and
    /// rhyme. Symbols and control codes, which text in the right encoding hardly contains, cost points.
    private static func plausibility(of text: String) -> Int {
        var score = 0
        var word: [Unicode.Scalar] = []
        for scalar in text.unicodeScalars {
            let category = scalar.properties.generalCategory
            if isLetter(category) || isMark(category) {
                word.append(scalar)
                continue
            }
            score += wordScore(word)
            word.removeAll(keepingCapacity: true)
            if scalar == replacement || (category == .control && !["\t", "\n", "\r"].contains(scalar)) {
                score -= 5
            } else if (0xA1...0xBF).contains(scalar.value) || scalar == "×" || scalar == "÷" {
                // TCVN3 letters read as Windows-1258 land on these: "Đặng" → "§Æng".
                score -= 3
            }
        }
        return score + wordScore(word)
    }

    private static func wordScore(_ word: [Unicode.Scalar]) -> Int {
        // Pure ASCII words read the same in both encodings, so they cannot tell them apart.
        guard word.contains(where: { !$0.isASCII }) else { return 0 }
        // A mark NFC could not attach: Windows-1258 tone bytes read after a consonant.
        if word.contains(where: { isMark($0.properties.generalCategory) }) { return -4 }
        return isVietnameseSyllable(word) ? 3 : -4
    }

    private static func isVietnameseSyllable(_ word: [Unicode.Scalar]) -> Bool {
        var base: [Unicode.Scalar] = []
        var tonePosition: Int?
        var seenLowercase = false
        for (position, scalar) in word.enumerated() {
            let properties = scalar.properties
            if properties.isLowercase {
                seenLowercase = true
            } else if properties.isUppercase && seenLowercase {
                // Real words are lower, Capitalised or UPPER; "giÊc" is a misreading.
                return false
            }
            let lowered = properties.lowercaseMapping.unicodeScalars
            guard lowered.count == 1, let letter = lowered.first else { return false }
            if let plain = toneless[letter] {
                guard tonePosition == nil else { return false }
                tonePosition = position
                base.append(plain)
            } else if plainLetters.contains(letter) {
                base.append(letter)
            } else {
                return false
            }
        }
        for onset in onsets where base.starts(with: onset) {
            var toneInRhyme: Int?
            if let tonePosition {
                guard tonePosition >= onset.count else { continue }
                toneInRhyme = tonePosition - onset.count
            }
            if isRhyme(Array(base[onset.count...]), toneAt: toneInRhyme) { return true }
        }
        return false
    }

    private static func isRhyme(_ rhyme: [Unicode.Scalar], toneAt tone: Int?) -> Bool {
        guard rhymes.contains(rhyme) else { return false }
        guard let tone else { return true }
        return tone < toneBearingCount(rhyme)
    }

    /// How many leading letters of a rhyme may carry the tone: never the final consonant or final glide
    /// ("hải", not "haỉ"), nor the a of ia/ua/ưa ("mùa"). Both old ("hoà") and new ("hòa") placement pass.
    private static func toneBearingCount(_ rhyme: [Unicode.Scalar]) -> Int {
        for coda in consonantCodas where rhyme.count > coda.count && rhyme.suffix(coda.count).elementsEqual(coda) {
            return rhyme.count - coda.count
        }
        guard rhyme.count >= 2, let last = rhyme.last else { return rhyme.count }
        if glides.contains(last) && !rhyme.starts(with: ["u", "y"]) { return rhyme.count - 1 }
        if openDiphthongs.contains(rhyme) { return rhyme.count - 1 }
        return rhyme.count
    }

    private static func isLetter(_ category: Unicode.GeneralCategory) -> Bool {
        switch category {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: true
        default: false
        }
    }

    private static func isMark(_ category: Unicode.GeneralCategory) -> Bool {
        switch category {
        case .nonspacingMark, .spacingMark, .enclosingMark: true
        default: false
        }
    }

    /// Built through NFC so the tables do not depend on how an editor saved this file.
    private static func scalars(_ s: String) -> [Unicode.Scalar] {
        Array(s.precomposedStringWithCanonicalMapping.unicodeScalars)
    }

    private static let plainLetters: Set<Unicode.Scalar> = Set(scalars("abcdefghijklmnopqrstuvwxyzăâđêôơư"))

    /// Lower-case toned vowel → the same vowel without its tone (ế → ê).
    private static let toneless: [Unicode.Scalar: Unicode.Scalar] = {
        var map: [Unicode.Scalar: Unicode.Scalar] = [:]
        for vowel in scalars("aăâeêioôơuưy") {
            for tone in ["\u{0300}", "\u{0301}", "\u{0303}", "\u{0309}", "\u{0323}"] {
                let composed = scalars(String(vowel) + tone)
                if composed.count == 1, let toned = composed.first { map[toned] = vowel }
            }
        }
        return map
    }()

    private static let onsets: [[Unicode.Scalar]] =
        ["ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "th", "tr", "qu",
         "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", ""].map(scalars)

    /// Tone-free rhymes (vần) of standard Vietnamese, plus ăk for Central Highlands names (Đắk Lắk).
    private static let rhymes: Set<[Unicode.Scalar]> = Set(
        """
        a ac ach ai am an ang anh ao ap at au ay ă ăc ăm ăn ăng ăp ăt ăk
        â âc âm ân âng âp ât âu ây e ec em en eng eo ep et ê êch êm ên ênh êp êt êu
        i ia ich im in inh ip it iu iêc iêm iên iêng iêp iêt iêu
        o oc oi om on ong op ot oong ooc ô ôc ôi ôm ôn ông ôp ôt ơ ơi ơm ơn ơp ơt
        u ua uc ui um un ung up ut uôc uôi uôm uôn uông uôt
        ư ưa ưc ưi ưm ưn ưng ưt ưu ươc ươi ươm ươn ương ươp ươt ươu
        y yêm yên yêng yêt yêu
        oa oac oach oai oam oan oang oanh oao oap oat oay oăc oăm oăn oăng oăt oe oen oeo oet oem
        uâ uân uâng uât uây uê uêch uênh uy uya uych uyên uyêt uynh uyt uyu uơ
        """.split(whereSeparator: \.isWhitespace).map { scalars(String($0)) }
    )

    private static let consonantCodas: [[Unicode.Scalar]] =
        ["ch", "nh", "ng", "c", "m", "n", "p", "t", "k"].map(scalars)
    private static let glides: Set<Unicode.Scalar> = ["i", "y", "o", "u"]
    private static let openDiphthongs: Set<[Unicode.Scalar]> = Set(["ia", "ua", "ưa", "uya"].map(scalars))
}
