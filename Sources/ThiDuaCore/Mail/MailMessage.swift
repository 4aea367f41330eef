import Foundation

/// An e-mail address as ThiDua accepts it: one mailbox, ASCII, no display name, no spaces or angle brackets
/// (so that it can go into an SMTP command and a header without quoting), at most 254 characters.
public struct EmailAddress: Hashable, Sendable, CustomStringConvertible {
    public let value: String

    public enum Problem: Error, Equatable, Sendable {
        case empty
        case invalid
        case tooLong
    }

    public init(validating raw: String) throws(Problem) {
        let s = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if s.isEmpty { throw .empty }
        if s.utf8.count > 254 { throw .tooLong }
        let parts = s.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[0].utf8.count <= 64, !parts[1].isEmpty else { throw .invalid }
        let localAllowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-/=?^_`{|}~.")
        let domainAllowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.")
        let local = parts[0], domain = parts[1]
        guard local.allSatisfy({ localAllowed.contains($0) }), !local.hasPrefix("."), !local.hasSuffix("."),
            !local.contains("..")
        else { throw .invalid }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, domain.allSatisfy({ domainAllowed.contains($0) }),
            labels.allSatisfy({ !$0.isEmpty && $0.count <= 63 && !$0.hasPrefix("-") && !$0.hasSuffix("-") })
        else { throw .invalid }
        value = String(local) + "@" + domain.lowercased()
    }

    public var description: String { value }
}

/// A plain-text message, rendered for SMTP DATA: UTF-8 headers as RFC 2047 encoded words, the body in base64
/// (Vietnamese text is never 7-bit), CRLF line ends.
public struct MailMessage: Sendable, Equatable {
    public var from: EmailAddress
    public var fromName: String
    public var to: EmailAddress
    public var subject: String
    public var body: String
    public var date: Date
    public var messageID: String

    public init(from: EmailAddress, fromName: String, to: EmailAddress, subject: String, body: String, date: Date, messageID: String) {
        self.from = from
        self.fromName = fromName
        self.to = to
        self.subject = subject
        self.body = body
        self.date = date
        self.messageID = messageID
    }

    /// The bytes between DATA and the final ".": headers, a blank line and the body, with dot-stuffing applied
    /// (a line starting with "." gets a second one, RFC 5321 §4.5.2). Base64 lines never start with a dot, but
    /// the rule is applied to every line anyway.
    public func rendered() -> String {
        var lines: [String] = []
        lines.append("From: \(Self.encodedWord(fromName)) <\(from.value)>")
        lines.append("To: <\(to.value)>")
        lines.append("Subject: \(Self.encodedWord(subject))")
        lines.append("Date: \(Self.rfc5322Date(date))")
        lines.append("Message-ID: <\(messageID)@\(from.value.split(separator: "@").last ?? "thidua")>")
        lines.append("MIME-Version: 1.0")
        lines.append("Content-Type: text/plain; charset=UTF-8")
        lines.append("Content-Transfer-Encoding: base64")
        lines.append("Auto-Submitted: auto-generated")
        lines.append("")
        let normalized = body.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n")
        let b64 = Data(normalized.utf8).base64EncodedString()
        var i = b64.startIndex
        while i < b64.endIndex {
            let j = b64.index(i, offsetBy: 76, limitedBy: b64.endIndex) ?? b64.endIndex
            lines.append(String(b64[i..<j]))
            i = j
        }
        return lines.map { $0.hasPrefix(".") ? "." + $0 : $0 }.joined(separator: "\r\n") + "\r\n"
    }

    /// ASCII text without controls stays as it is; anything else becomes one or more `=?UTF-8?B?…?=` words,
    /// each at most 75 characters, never splitting a character.
    public static func encodedWord(_ text: String) -> String {
        let clean = String(text.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }.map(Character.init))
        if clean.unicodeScalars.allSatisfy({ $0.isASCII }) && !clean.contains("=?") { return clean }
        var words: [String] = []
        var chunk = Data()
        // 45 bytes of UTF-8 → 60 base64 characters + 12 of "=?UTF-8?B?" and "?=" = 72 ≤ 75.
        for ch in clean {
            let bytes = Data(String(ch).utf8)
            if chunk.count + bytes.count > 45 {
                words.append("=?UTF-8?B?" + chunk.base64EncodedString() + "?=")
                chunk = Data()
            }
            chunk.append(bytes)
        }
        if !chunk.isEmpty { words.append("=?UTF-8?B?" + chunk.base64EncodedString() + "?=") }
        return words.joined(separator: "\r\n ")
    }

    static func rfc5322Date(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return f.string(from: date)
    }
}

/// How a failed delivery is retried: after 1, 5, 15, 60 minutes, then every 4 hours, at most `maxAttempts`
/// attempts in all; a permanent refusal (5xx) is not retried.
public enum MailRetry {
    public static let maxAttempts = 8

    /// Seconds to wait after the `attempts`-th failed attempt, or nil when the message is given up.
    public static func delay(afterAttempts attempts: Int, permanent: Bool) -> Int? {
        if permanent || attempts >= maxAttempts { return nil }
        let schedule = [60, 300, 900, 3600]
        return attempts - 1 < schedule.count ? schedule[max(0, attempts - 1)] : 4 * 3600
    }
}
