import Foundation
import PropertyBased
import Testing

@testable import ThiDuaCore

/// Duplicate and burst detection, the answer storage format and the QR encoder (issue 5).
struct SurveyIntegrityTests {
    static let rules = IntegrityRules(windowSeconds: 1_800, quarantineAfter: 3, refuseAfter: 10, kioskMinSeconds: 10)

    @Test(arguments: [
        (SubmissionSignals(), IntegrityVerdict.accept),
        (SubmissionSignals(recentFromSource: 2), .accept),
        (SubmissionSignals(recentFromSource: 3), .quarantine(.burst)),
        (SubmissionSignals(recentFromSource: 9), .quarantine(.burst)),
        (SubmissionSignals(recentFromSource: 10), .refuse),
        (SubmissionSignals(honeypotFilled: true), .quarantine(.honeypot)),
        (SubmissionSignals(honeypotFilled: true, recentFromSource: 10), .refuse),
        (SubmissionSignals(secondsToAnswer: 1), .quarantine(.tooFast)),
        (SubmissionSignals(secondsToAnswer: 3), .accept),
        // A counter tablet sends many answers from one source: counted by spacing, not by number.
        (SubmissionSignals(recentFromSource: 8, secondsSincePrevious: 40, kiosk: true), .accept),
        (SubmissionSignals(recentFromSource: 8, secondsSincePrevious: 4, kiosk: true), .quarantine(.kioskTooFast)),
        (SubmissionSignals(recentFromSource: 10, secondsSincePrevious: 40, kiosk: true), .refuse),
    ])
    func verdicts(_ signals: SubmissionSignals, _ expected: IntegrityVerdict) {
        #expect(ResponseIntegrity.judge(signals, rules: Self.rules) == expected)
    }

    @Test func rulesAreValidated() {
        #expect(IntegrityRules.default.isValid)
        #expect(!IntegrityRules(windowSeconds: 5).isValid)
        #expect(!IntegrityRules(quarantineAfter: 5, refuseAfter: 4).isValid)
        #expect(!IntegrityRules(quarantineAfter: 0).isValid)
    }

    @Test func answerCodecRoundTripsAnyText() async {
        let alphabet = Array("aăâbđeêoôơuưyAĐ%\t\n\r\u{1F}=,;\"' <>&ệ漢😀")
        let text = Gen.int(in: 0...(alphabet.count - 1)).map { alphabet[$0] }.string(of: 0...40)
        await propertyCheck(input: text, text, text) { a, b, c in
            let values = ["q1": [a], "q2.row": [b, c], "k%\t": [a]]
            #expect(AnswerCodec.decode(AnswerCodec.encode(values)) == values)
        }
    }

    @Test func answerCodecIsPlainForPlainCodes() {
        #expect(AnswerCodec.encode(["b": ["2"], "a": ["x", "y"]]) == "a\tx\u{1F}y\nb\t2")
    }

    @Test func qrVersionsGrowWithTheText() throws {
        let short = try QRCode.encode("https://thidua.example/s/abc", level: .medium).get()
        // Byte mode, level M holds 26 bytes in version 2 and 42 in version 3; 287 in version 12 and 331 in 13.
        #expect(short.version == 3)
        #expect(short.size == 29)
        let long = try QRCode.encode(String(repeating: "x", count: 300), level: .medium).get()
        #expect(long.version == 13)
        #expect(long.size == 69)
        #expect(QRCode.encode(String(repeating: "x", count: 3_000), level: .high) == .failure(.tooLong))
    }

    @Test func qrFinderPatternsAndTimingAreInPlace() throws {
        let code = try QRCode.encode("ThiDua", level: .medium, mask: 3).get()
        #expect(code.mask == 3)
        // Finder corners: dark 7×7 ring with a light ring inside and a dark 3×3 centre.
        for (x, y) in [(0, 0), (code.size - 7, 0), (0, code.size - 7)] {
            #expect(code.isDark(x: x, y: y) && code.isDark(x: x + 6, y: y + 6))
            #expect(!code.isDark(x: x + 1, y: y + 1))
            #expect(code.isDark(x: x + 3, y: y + 3))
        }
        for i in 8..<(code.size - 8) { #expect(code.isDark(x: i, y: 6) == (i % 2 == 0)) }
        #expect(code.isDark(x: 8, y: code.size - 8))  // the dark module
        let svg = code.svg(title: "Mã <QR>")
        #expect(svg.contains("Mã &lt;QR&gt;"))
        #expect(svg.hasPrefix("<svg"))
    }

    @Test func reedSolomonMatchesTheStandardExample() {
        // ISO/IEC 18004 annex I: "01234567" in version 1-M gives these 10 error-correction codewords.
        let data: [UInt8] = [16, 32, 12, 86, 97, 128, 236, 17, 236, 17, 236, 17, 236, 17, 236, 17]
        #expect(ReedSolomon.remainder(data, ReedSolomon.divisor(degree: 10)) == [165, 36, 212, 193, 237, 54, 199, 135, 44, 85])
    }
}
