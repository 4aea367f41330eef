import Foundation

/// `application/x-www-form-urlencoded` read byte by byte: repeated names are kept (check boxes), `+` is a space,
/// `%XX` a byte; a malformed escape is kept as typed and bytes that are not UTF-8 become U+FFFD. Public survey
/// answers arrive thousands a second, and Foundation's percent decoding was most of their cost.
enum FormBody {
    static func pairs(_ body: String, limit: Int = 2_000) -> [(String, String)] {
        var out: [(String, String)] = []
        var body = body
        body.withUTF8 { bytes in
            var start = 0
            let n = bytes.count
            while start <= n && out.count < limit {
                var end = start
                while end < n && bytes[end] != 0x26 { end += 1 }
                if end > start {
                    var eq = start
                    while eq < end && bytes[eq] != 0x3D { eq += 1 }
                    let name = decode(bytes, start, eq)
                    let value = eq < end ? decode(bytes, eq + 1, end) : ""
                    out.append((name, value))
                }
                start = end + 1
            }
        }
        return out
    }

    /// The first value of `name`, or nil.
    static func value(_ name: String, in body: String) -> String? {
        pairs(body).first { $0.0 == name }?.1
    }

    private static func decode(_ bytes: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> String {
        var plain = true
        for k in from..<to where bytes[k] == 0x25 || bytes[k] == 0x2B {
            plain = false
            break
        }
        if plain { return String(decoding: UnsafeBufferPointer(rebasing: bytes[from..<to]), as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(to - from)
        var k = from
        while k < to {
            let b = bytes[k]
            if b == 0x2B {
                out.append(0x20)
                k += 1
            } else if b == 0x25, k + 2 < to, let h = hex(bytes[k + 1]), let l = hex(bytes[k + 2]) {
                out.append(h << 4 | l)
                k += 3
            } else {
                out.append(b)
                k += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func hex(_ b: UInt8) -> UInt8? {
        switch b {
        case 0x30...0x39: b - 0x30
        case 0x41...0x46: b - 0x41 + 10
        case 0x61...0x66: b - 0x61 + 10
        default: nil
        }
    }
}
