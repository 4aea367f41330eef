import Foundation
import Testing
@testable import ThiDuaCore

/// Names and phrases as they appear in award files.
private let fixtures = [
    "Sở Nội vụ",
    "Ủy ban nhân dân xã Tân Phong",
    "Nguyễn Thị Hồng Nhung",
    "Đặng Văn Lâm",
    "cải cách hành chính",
    "Phường Đông Hải",
]

/// Basic TCVN3 has no toned capitals, so ABC users wrote "Ủy" the old way, "Uỷ".
private let tcvn3Fixtures = fixtures.map {
    $0 == "Ủy ban nhân dân xã Tân Phong" ? "Uỷ ban nhân dân xã Tân Phong" : $0
}

/// `String ==` ignores normalisation, so NFC can only be checked on the scalars.
private func scalars(_ s: String) -> [Unicode.Scalar] {
    Array(s.unicodeScalars)
}

private func isNFC(_ s: String) -> Bool {
    scalars(s) == scalars(s.precomposedStringWithCanonicalMapping)
}

@Suite struct LegacyTextTests {
    @Test(arguments: fixtures)
    func windows1258RoundTripAndDetection(_ text: String) throws {
        let bytes = try #require(LegacyText.encodeWindows1258(text))
        #expect(scalars(LegacyText.decodeWindows1258(bytes)) == scalars(text))
        let decoded = LegacyText.decode(bytes)
        #expect(decoded.encoding == .windows1258)
        #expect(scalars(decoded.text) == scalars(text))
    }

    @Test(arguments: tcvn3Fixtures)
    func tcvn3RoundTripAndDetection(_ text: String) throws {
        let bytes = try #require(LegacyText.encodeTCVN3(text))
        #expect(scalars(LegacyText.decodeTCVN3(bytes)) == scalars(text))
        let decoded = LegacyText.decode(bytes)
        #expect(decoded.encoding == .tcvn3)
        #expect(scalars(decoded.text) == scalars(text))
    }

    @Test func tcvn3HasNoTonedCapitals() {
        #expect(LegacyText.encodeTCVN3("Ủy ban") == nil)
        #expect(LegacyText.encodeTCVN3("Uỷ ban") != nil)
        #expect(LegacyText.encodeTCVN3("ĂÂÊÔƠƯĐ") == [0xA1, 0xA2, 0xA3, 0xA4, 0xA5, 0xA6, 0xA7])
    }

    @Test func tcvn3KnownBytes() {
        let expected: [(String, UInt8)] = [
            ("Đ", 0xA7), ("đ", 0xAE), ("á", 0xB8), ("à", 0xB5), ("ư", 0xAD), ("ơ", 0xAC),
            ("ă", 0xA8), ("â", 0xA9), ("ê", 0xAA), ("ô", 0xAB), ("ệ", 0xD6),
        ]
        for (letter, byte) in expected {
            #expect(LegacyText.encodeTCVN3(letter) == [byte], "\(letter)")
            #expect(scalars(LegacyText.decodeTCVN3([byte])) == scalars(letter), "\(letter)")
        }
        // "ViÖt Nam" is how TCVN3 text looks when opened in a Western font.
        let vietNam: [UInt8] = [0x56, 0x69, 0xD6, 0x74, 0x20, 0x4E, 0x61, 0x6D]
        #expect(String(String.UnicodeScalarView(vietNam.map { Unicode.Scalar($0) })) == "ViÖt Nam")
        #expect(LegacyText.encodeTCVN3("Việt Nam") == vietNam)
        #expect(scalars(LegacyText.decodeTCVN3(vietNam)) == scalars("Việt Nam"))
    }

    /// Bytes produced by a separate Python model of the tables, so detection is not checked only against
    /// our own encoder.
    @Test func detectsHardCodedTCVN3() {
        let bytes: [UInt8] = [
            0x4E, 0x67, 0x75, 0x79, 0xD4, 0x6E, 0x20, 0x54, 0x68, 0xDE, 0x20,
            0x48, 0xE5, 0x6E, 0x67, 0x20, 0x4E, 0x68, 0x75, 0x6E, 0x67,
        ]
        let decoded = LegacyText.decode(bytes)
        #expect(decoded.encoding == .tcvn3)
        #expect(scalars(decoded.text) == scalars("Nguyễn Thị Hồng Nhung"))
    }

    @Test func detectsHardCodedWindows1258() {
        // Tones as combining bytes: U + 0xD2 (hook) is Ủ, a + 0xDE (tilde) is ã.
        let bytes: [UInt8] = [
            0x55, 0xD2, 0x79, 0x20, 0x62, 0x61, 0x6E, 0x20, 0x6E, 0x68, 0xE2, 0x6E, 0x20, 0x64, 0xE2,
            0x6E, 0x20, 0x78, 0x61, 0xDE, 0x20, 0x54, 0xE2, 0x6E, 0x20, 0x50, 0x68, 0x6F, 0x6E, 0x67,
        ]
        let decoded = LegacyText.decode(bytes)
        #expect(decoded.encoding == .windows1258)
        #expect(scalars(decoded.text) == scalars("Ủy ban nhân dân xã Tân Phong"))
        #expect(decoded.text.unicodeScalars.first == "\u{1EE6}")
    }

    @Test func windows1258UsesPrecomposedBytesWhereTheyExist() {
        #expect(LegacyText.encodeWindows1258("á") == [0xE1])
        #expect(LegacyText.encodeWindows1258("ê") == [0xEA])
        #expect(LegacyText.encodeWindows1258("ế") == [0xEA, 0xEC])
        #expect(LegacyText.encodeWindows1258("ậ") == [0xE2, 0xF2])
        #expect(LegacyText.encodeWindows1258("Ủ") == [0x55, 0xD2])
        #expect(LegacyText.encodeWindows1258("e\u{0302}\u{0301}") == [0xEA, 0xEC])
        #expect(LegacyText.encodeWindows1258("₫") == [0xFE])
        #expect(LegacyText.encodeWindows1258("中") == nil)
        #expect(scalars(LegacyText.decodeWindows1258([0x81])) == ["\u{FFFD}"])
    }

    @Test func csvStructureSurvivesTCVN3() throws {
        let csv = "Họ và tên,Đơn vị\r\nNguyễn Văn An,Phòng Nội vụ\r\n"
        let bytes = try #require(LegacyText.encodeTCVN3(csv))
        let decoded = LegacyText.decode(bytes)
        #expect(decoded.encoding == .tcvn3)
        #expect(scalars(decoded.text) == scalars(csv))
    }

    @Test func utf8WithBOM() {
        let decoded = LegacyText.decode([0xEF, 0xBB, 0xBF] + Array("Sở Nội vụ".utf8))
        #expect(decoded.encoding == .utf8)
        #expect(scalars(decoded.text) == scalars("Sở Nội vụ"))
    }

    @Test func utf8WithoutBOM() {
        let decoded = LegacyText.decode(Array("Phường Đông Hải".utf8))
        #expect(decoded.encoding == .utf8)
        #expect(scalars(decoded.text) == scalars("Phường Đông Hải"))
    }

    @Test func decomposedUTF8BecomesNFC() {
        let decoded = LegacyText.decode(Array("e\u{0302}\u{0301}".utf8))
        #expect(decoded.encoding == .utf8)
        #expect(scalars(decoded.text) == ["\u{1EBF}"])
    }

    @Test func utf16OnlyWithBOM() {
        let text = "Đặng Văn Lâm"
        var littleEndian: [UInt8] = [0xFF, 0xFE]
        var bigEndian: [UInt8] = [0xFE, 0xFF]
        for unit in text.utf16 {
            littleEndian += [UInt8(truncatingIfNeeded: unit), UInt8(truncatingIfNeeded: unit >> 8)]
            bigEndian += [UInt8(truncatingIfNeeded: unit >> 8), UInt8(truncatingIfNeeded: unit)]
        }
        #expect(LegacyText.decode(littleEndian) == DecodedText(text: text, encoding: .utf16le))
        #expect(LegacyText.decode(bigEndian) == DecodedText(text: text, encoding: .utf16be))
        #expect(scalars(LegacyText.decode(littleEndian).text) == scalars(text))
        // Without a BOM the same bytes are not taken for UTF-16.
        #expect(LegacyText.decode(Array(littleEndian.dropFirst(2))).encoding != .utf16le)
    }

    @Test func emptyInputIsUTF8() {
        #expect(LegacyText.decode([]) == DecodedText(text: "", encoding: .utf8))
    }

    @Test func labels() {
        #expect(TextEncodingGuess.allCases.map(\.label) == ["UTF-8", "UTF-16", "UTF-16", "Windows-1258", "TCVN3 (ABC)"])
    }

    @Test func garbageNeverCrashes() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func nextByte() -> UInt8 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
        // Every path: BOM-led UTF-8 and UTF-16 (odd lengths included) as well as the guessing path.
        let prefixes: [[UInt8]] = [[], [0xEF, 0xBB, 0xBF], [0xFF, 0xFE], [0xFE, 0xFF]]
        for round in 0..<400 {
            var bytes = prefixes[round % prefixes.count]
            for _ in 0..<(Int(nextByte()) % 97) { bytes.append(nextByte()) }
            let decoded = LegacyText.decode(bytes)
            #expect(isNFC(decoded.text))
            #expect(isNFC(LegacyText.decodeWindows1258(bytes)))
            #expect(isNFC(LegacyText.decodeTCVN3(bytes)))
        }
    }
}
