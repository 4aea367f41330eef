import Foundation
import PropertyBased
import Testing

@testable import ThiDuaCore

@Suite struct MailMessageTests {
    @Test(arguments: [
        ("canbo@snv.gov.vn", "canbo@snv.gov.vn"),
        (" Nguyen.Van.An@SNV.GOV.VN ", "Nguyen.Van.An@snv.gov.vn"),
        ("a+nhac-viec@so-noi-vu.vn", "a+nhac-viec@so-noi-vu.vn"),
    ])
    func acceptedAddresses(raw: String, value: String) throws {
        #expect(try EmailAddress(validating: raw).value == value)
    }

    @Test(arguments: [
        ("", EmailAddress.Problem.empty),
        ("canbo", .invalid),
        ("canbo@", .invalid),
        ("@snv.gov.vn", .invalid),
        ("can bo@snv.gov.vn", .invalid),
        ("canbo@snv", .invalid),
        ("cán.bộ@snv.gov.vn", .invalid),
        ("a@@snv.gov.vn", .invalid),
        ("a..b@snv.gov.vn", .invalid),
        ("<a@b.vn>", .invalid),
        ("a@b.vn\r\nRCPT TO:<x@y.vn>", .invalid),
        ("a@-b.vn", .invalid),
        (String(repeating: "a", count: 250) + "@b.vn", .tooLong),
    ])
    func refusedAddresses(raw: String, problem: EmailAddress.Problem) {
        #expect(throws: problem) { try EmailAddress(validating: raw) }
    }

    static func message(subject: String, body: String) throws -> MailMessage {
        MailMessage(
            from: try EmailAddress(validating: "thidua@snv.gov.vn"), fromName: "ThiDua — Sở Nội vụ",
            to: try EmailAddress(validating: "canbo@snv.gov.vn"), subject: subject, body: body,
            date: Date(timeIntervalSince1970: 1_790_000_000), messageID: "abc")
    }

    /// Decodes the encoded words of a header value back to text.
    static func decodeWords(_ value: String) -> String {
        value.components(separatedBy: "\r\n ").map { word -> String in
            guard word.hasPrefix("=?UTF-8?B?"), word.hasSuffix("?=") else { return word }
            let b64 = String(word.dropFirst(10).dropLast(2))
            return Data(base64Encoded: b64).flatMap { String(data: $0, encoding: .utf8) } ?? "<bad>"
        }.joined()
    }

    @Test func renderedMessageHeadersAndBody() throws {
        let text = try Self.message(subject: "[ThiDua] Nhắc việc ngày 02/03/2026", body: ".dòng bắt đầu bằng dấu chấm\nHạn: 30/01/2026").rendered()
        let lines = text.components(separatedBy: "\r\n")
        #expect(text.hasSuffix("\r\n"))
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        #expect(lines.contains("To: <canbo@snv.gov.vn>"))
        #expect(lines.contains("Content-Type: text/plain; charset=UTF-8"))
        #expect(lines.contains("Date: Mon, 21 Sep 2026 21:13:20 +0700"))
        #expect(lines.allSatisfy { $0.utf8.count <= 998 && $0.unicodeScalars.allSatisfy(\.isASCII) })
        let blank = try #require(lines.firstIndex(of: ""))
        let body = Data(base64Encoded: lines[(blank + 1)...].joined()).flatMap { String(data: $0, encoding: .utf8) }
        #expect(body == ".dòng bắt đầu bằng dấu chấm\r\nHạn: 30/01/2026")
    }

    @Test func asciiSubjectsStayReadable() {
        #expect(MailMessage.encodedWord("[ThiDua] Test") == "[ThiDua] Test")
        #expect(MailMessage.encodedWord("a\r\nBcc: x@y.vn") == "aBcc: x@y.vn")
    }

    /// Any subject survives the encoding: decoding the words gives the text back (controls removed), and every
    /// word fits the 75-character limit of RFC 2047.
    @Test func encodedWordsRoundTrip() async {
        let alphabet = Array("aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậÀÁĐƯỞ 0123456789.,:-[]=?\u{1F600}")
        await propertyCheck(input: Gen.int(in: 0...(alphabet.count - 1)).array(of: 0...120)) { picks in
            let subject = String(picks.map { alphabet[$0] })
            let encoded = MailMessage.encodedWord(subject)
            #expect(Self.decodeWords(encoded) == subject)
            #expect(encoded.components(separatedBy: "\r\n ").allSatisfy { $0.count <= 75 })
        }
    }

    @Test(arguments: [
        (1, false, 60 as Int?), (2, false, 300), (3, false, 900), (4, false, 3600), (5, false, 14400), (7, false, 14400),
        (8, false, nil), (1, true, nil),
    ])
    func retrySchedule(attempts: Int, permanent: Bool, delay: Int?) {
        #expect(MailRetry.delay(afterAttempts: attempts, permanent: permanent) == delay)
    }
}
