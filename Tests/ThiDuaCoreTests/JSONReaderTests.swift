import Foundation
import PropertyBased
import Testing

@testable import ThiDuaCore

/// The API's JSON reader accepts and refuses exactly what `JSONDecoder` does, with the same values.
@Suite struct JSONReaderTests {
    /// The reference: `JSONDecoder` into the same cases (the API's decoding before the reader).
    struct Reference: Decodable {
        let value: JSONValue
        init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if c.decodeNil() {
                value = .null
            } else if let s = try? c.decode(String.self) {
                value = .string(s)
            } else if let b = try? c.decode(Bool.self) {
                value = .bool(b)
            } else if let n = try? c.decode(Double.self) {
                value = .number(n)
            } else if let o = try? c.decode([String: Reference].self) {
                value = .object(o.mapValues(\.value))
            } else {
                value = .array(try c.decode([Reference].self).map(\.value))
            }
        }
    }

    static func reference(_ bytes: [UInt8]) -> JSONValue? { (try? JSONDecoder().decode(Reference.self, from: Data(bytes)))?.value }

    /// A JSON text built from a list of choices: nested arrays and objects (distinct keys), strings with escapes
    /// and Vietnamese letters, numbers of every form, white space between tokens.
    struct Builder {
        var picks: [Int]
        var k = 0
        mutating func next(_ n: Int) -> Int {
            defer { k += 1 }
            return picks.isEmpty ? 0 : picks[k % picks.count] % n
        }
        mutating func space() -> String { ["", " ", "\n", "\t", "\r\n  "][next(5)] }
        static let strings = [
            "", "a", "Sở Nội vụ", "tab\\there", "quote\\\"", "back\\\\slash", "\\u00e9t\\u00E9", "\\ud83d\\ude00", "slash\\/", "\\b\\f\\n\\r",
            "2026-11-23T09:00:00+07:00", "true", "null", "\\u0000x",
        ]
        static let numbers = ["0", "-0", "1", "-17", "3.25", "1e3", "1E-2", "-2.5e+10", "123456789012345678901234567890", "0.1", "1.7976931348623157e308"]
        mutating func text(depth: Int) -> String {
            let kind = depth > 3 ? next(4) : next(7)
            switch kind {
            case 0: return "\"" + Self.strings[next(Self.strings.count)] + "\""
            case 1: return Self.numbers[next(Self.numbers.count)]
            case 2: return ["true", "false", "null"][next(3)]
            case 3: return "\"k\(next(100))\""
            case 4, 5:
                let n = next(4)
                var parts: [String] = []
                for _ in 0..<n { parts.append(space() + text(depth: depth + 1) + space()) }
                return "[" + parts.joined(separator: ",") + (n == 0 ? space() : "") + "]"
            default:
                let n = next(4)
                var parts: [String] = []
                for j in 0..<n { parts.append(space() + "\"key\(j)\(Self.strings[next(3)])\"" + space() + ":" + space() + text(depth: depth + 1) + space()) }
                return "{" + parts.joined(separator: ",") + "}"
            }
        }
    }

    @Test func validDocumentsReadAsJSONDecoderReadsThem() async {
        await propertyCheck(count: 1_000, input: Gen.int(in: 0...1_000).array(of: 1...40)) { picks in
            var builder = Builder(picks: picks)
            let text = builder.space() + builder.text(depth: 0) + builder.space()
            let bytes = Array(text.utf8)
            let expected = Self.reference(bytes)
            #expect(expected != nil, "\(text)")
            #expect(JSONReader.parse(bytes) == expected, "\(text)")
        }
    }

    /// The same documents with one or two bytes changed, inserted or removed: accepted and refused alike.
    @Test func damagedDocumentsAreJudgedAsJSONDecoderJudgesThem() async {
        let alphabet: [UInt8] = Array("\"\\{}[],:0-e.uD8 \nt\u{1}x".utf8) + [0xC3, 0xFF, 0x80]
        await propertyCheck(count: 2_000, input: Gen.int(in: 0...1_000).array(of: 1...30), Gen.int(in: 0...10_000), Gen.int(in: 0...10_000)) { picks, m1, m2 in
            var builder = Builder(picks: picks)
            var bytes = Array(builder.text(depth: 0).utf8)
            for m in [m1, m2] where !bytes.isEmpty {
                let at = m % bytes.count, c = alphabet[(m / 7) % alphabet.count]
                switch (m / 3) % 3 {
                case 0: bytes[at] = c
                case 1: bytes.insert(c, at: at)
                default: bytes.remove(at: at)
                }
            }
            let expected = Self.reference(bytes)
            #expect(JSONReader.parse(bytes) == expected, "\(String(decoding: bytes, as: UTF8.self))")
        }
    }

    @Test(arguments: [
        #"{"a":1e999}"#, #"{"a":01}"#, #"{"a":1.}"#, #"{"a":.5}"#, #"{"a":"\ud800"}"#, #"{"a":"\udc00x"}"#, "{\"a\":\"\u{1}\"}", #"{"a":tru}"#,
        #"{"a":1} x"#, #"[,]"#, #"[1,,]"#, #"{,}"#, #"{"a" 1}"#, #"["\x"]"#, "", " ", #"{"a":-}"#, #"{"a":"\u12"}"#,
    ])
    func refusedLikeJSONDecoder(_ text: String) {
        let bytes = Array(text.utf8)
        #expect(Self.reference(bytes) == nil)
        #expect(JSONReader.parse(bytes) == nil)
    }

    /// JSONDecoder accepts one comma before a closing bracket; one-stop systems may have relied on it.
    @Test(arguments: [#"[1,]"#, #"{"a":1,}"#, "[1 ,\n]"])
    func aTrailingCommaIsAcceptedLikeJSONDecoder(_ text: String) {
        let bytes = Array(text.utf8)
        #expect(Self.reference(bytes) != nil)
        #expect(JSONReader.parse(bytes) == Self.reference(bytes))
    }

    @Test func deepNestingIsRefusedWithoutExhaustingTheStack() {
        let deep = Array((String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)).utf8)
        #expect(JSONReader.parse(deep) == nil)
        let fine = Array((String(repeating: "[", count: 100) + String(repeating: "]", count: 100)).utf8)
        #expect(JSONReader.parse(fine) != nil)
    }
}
