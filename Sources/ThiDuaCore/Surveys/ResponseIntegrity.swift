import Foundation

/// How a campaign tells a real respondent from a flood. Values are the campaign's data (edited on its form), not
/// constants: a kiosk shared by a whole counter needs other limits than a link sent to citizens.
public struct IntegrityRules: Codable, Sendable, Equatable {
    /// The window (seconds) in which answers from one source (hashed address + browser) are counted.
    public var windowSeconds: Int
    /// More than this many answers from one source in the window are kept but quarantined for review.
    public var quarantineAfter: Int
    /// More than this many answers from one source in the window are refused (HTTP 429) and not stored.
    public var refuseAfter: Int
    /// Kiosk answers sooner than this after the previous one from the same tablet are quarantined.
    public var kioskMinSeconds: Int

    public init(windowSeconds: Int = 1_800, quarantineAfter: Int = 3, refuseAfter: Int = 30, kioskMinSeconds: Int = 10) {
        self.windowSeconds = windowSeconds
        self.quarantineAfter = quarantineAfter
        self.refuseAfter = refuseAfter
        self.kioskMinSeconds = kioskMinSeconds
    }

    public static let `default` = IntegrityRules()

    public var isValid: Bool {
        (10...86_400).contains(windowSeconds) && quarantineAfter >= 1 && refuseAfter >= quarantineAfter
            && refuseAfter <= 1_000_000 && (0...3_600).contains(kioskMinSeconds)
    }
}

/// Why an answer was set aside for review.
public enum QuarantineReason: String, Codable, Sendable, CaseIterable {
    /// The hidden field a person never sees was filled (a robot filling every field).
    case honeypot
    /// Too many answers from one source within the window.
    case burst
    /// A kiosk answer arrived too soon after the previous one.
    case kioskTooFast = "kiosk_too_fast"
    /// Sent in less time than a person needs to read the questions.
    case tooFast = "too_fast"

    public var labelKey: String { "survey.quarantine.\(rawValue)" }
}

public enum IntegrityVerdict: Equatable, Sendable {
    case accept
    case quarantine(QuarantineReason)
    case refuse
}

/// What the server knows about one incoming answer when it judges it.
public struct SubmissionSignals: Sendable, Equatable {
    public var honeypotFilled: Bool
    /// Answers already stored from the same source in the window (this one not counted).
    public var recentFromSource: Int
    /// Seconds since the previous answer from the same source, if any.
    public var secondsSincePrevious: Int?
    /// Seconds between showing the form and sending it, when the form said so (nil: unknown).
    public var secondsToAnswer: Int?
    public var kiosk: Bool

    public init(honeypotFilled: Bool = false, recentFromSource: Int = 0, secondsSincePrevious: Int? = nil, secondsToAnswer: Int? = nil, kiosk: Bool = false) {
        self.honeypotFilled = honeypotFilled
        self.recentFromSource = recentFromSource
        self.secondsSincePrevious = secondsSincePrevious
        self.secondsToAnswer = secondsToAnswer
        self.kiosk = kiosk
    }
}

public enum ResponseIntegrity {
    /// Faster than this (seconds from page to answer) no person has read a questionnaire.
    public static let minimumSecondsToAnswer = 3

    /// Refusal only for floods; everything else suspicious is stored and quarantined, never dropped.
    public static func judge(_ s: SubmissionSignals, rules: IntegrityRules) -> IntegrityVerdict {
        if s.recentFromSource >= rules.refuseAfter { return .refuse }
        if s.honeypotFilled { return .quarantine(.honeypot) }
        if s.kiosk {
            if let gap = s.secondsSincePrevious, gap < rules.kioskMinSeconds { return .quarantine(.kioskTooFast) }
        } else if s.recentFromSource >= rules.quarantineAfter {
            return .quarantine(.burst)
        }
        if let t = s.secondsToAnswer, t >= 0, t < minimumSecondsToAnswer { return .quarantine(.tooFast) }
        return .accept
    }
}

/// Answers stored compactly, one line per key: `key<TAB>value<US>value…`, with `%`, tab, line breaks and the
/// unit separator percent-escaped. Reading 200,000 responses back for an export is a byte scan, not JSON.
public enum AnswerCodec {
    static let valueSeparator: Character = "\u{1F}"

    public static func encode(_ values: [String: [String]]) -> String {
        var out = ""
        for key in values.keys.sorted() {
            if !out.isEmpty { out.append("\n") }
            out.append(escape(key))
            out.append("\t")
            out.append((values[key] ?? []).map(escape).joined(separator: String(valueSeparator)))
        }
        return out
    }

    public static func decode(_ s: String) -> [String: [String]] {
        var out: [String: [String]] = [:]
        forEach(s) { key, value in out[key, default: []].append(value) }
        return out
    }

    /// Calls `body` with each (key, value) in stored order (keys sorted, values as given), scanning the UTF-8
    /// bytes once: an export reads millions of these.
    public static func forEach(_ s: String, _ body: (String, String) -> Void) {
        var s = s
        s.withUTF8 { bytes in
            var i = 0
            let n = bytes.count
            while i < n {
                var tab = i
                while tab < n && bytes[tab] != 0x09 && bytes[tab] != 0x0A { tab += 1 }
                guard tab < n, bytes[tab] == 0x09 else {
                    i = tab + 1
                    continue
                }
                let key = text(bytes, i, tab)
                var start = tab + 1
                var j = start
                while true {
                    if j == n || bytes[j] == 0x0A || bytes[j] == 0x1F {
                        body(key, text(bytes, start, j))
                        if j == n || bytes[j] == 0x0A { break }
                        start = j + 1
                    }
                    j += 1
                }
                i = j + 1
            }
        }
    }

    private static func text(_ bytes: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> String {
        let slice = UnsafeBufferPointer(rebasing: bytes[from..<to])
        guard slice.contains(0x25) else { return String(decoding: slice, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(slice.count)
        var k = 0
        while k < slice.count {
            if slice[k] == 0x25, k + 2 < slice.count, let h = hexValue(slice[k + 1]), let l = hexValue(slice[k + 2]) {
                out.append(h << 4 | l)
                k += 3
            } else {
                out.append(slice[k])
                k += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case 0x30...0x39: b - 0x30
        case 0x41...0x46: b - 0x41 + 10
        case 0x61...0x66: b - 0x61 + 10
        default: nil
        }
    }

    static func escape(_ s: String) -> String {
        guard s.contains(where: { $0 == "%" || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == valueSeparator || $0 == "\r\n" }) else { return s }
        var out = ""
        for u in s.unicodeScalars {
            switch u {
            case "%": out += "%25"
            case "\t": out += "%09"
            case "\n": out += "%0A"
            case "\r": out += "%0D"
            case "\u{1F}": out += "%1F"
            default: out.unicodeScalars.append(u)
            }
        }
        return out
    }

}
