import Vapor

/// Cheap reads of the two headers every form post consults. Vapor's `cookies` and `contentType` run a general
/// header-directive parser on each call; the middlewares asked five times per request, which was a tenth of the
/// server's time when public survey answers arrive by the thousand each second.
extension HTTPHeaders {
    /// One cookie's value, straight from the Cookie header(s) (`a=b; c=d`), surrounding quotes removed.
    func cookie(named name: String) -> String? {
        for header in self[.cookie] {
            for part in header.utf8.split(separator: UInt8(ascii: ";")) {
                var pair = part
                while pair.first == UInt8(ascii: " ") || pair.first == UInt8(ascii: "\t") { pair = pair.dropFirst() }
                guard let eq = pair.firstIndex(of: UInt8(ascii: "=")), pair[..<eq].elementsEqual(name.utf8) else { continue }
                var value = pair[pair.index(after: eq)...]
                while value.last == UInt8(ascii: " ") || value.last == UInt8(ascii: "\t") { value = value.dropLast() }
                if value.count >= 2, value.first == UInt8(ascii: "\""), value.last == UInt8(ascii: "\"") { value = value.dropFirst().dropLast() }
                return String(decoding: value, as: UTF8.self)
            }
        }
        return nil
    }

    /// Whether the body is an HTML form (`application/x-www-form-urlencoded`, any parameters, any letter case).
    var isURLEncodedForm: Bool {
        guard let header = first(name: .contentType) else { return false }
        var media = header.utf8.prefix { $0 != UInt8(ascii: ";") }[...]
        while media.first == UInt8(ascii: " ") { media = media.dropFirst() }
        while media.last == UInt8(ascii: " ") { media = media.dropLast() }
        let expected = "application/x-www-form-urlencoded".utf8
        return media.count == expected.count && zip(media, expected).allSatisfy { a, b in a | 0x20 == b | 0x20 }
    }
}

extension Request {
    func cookie(named name: String) -> String? { headers.cookie(named: name) }
    var isURLEncodedForm: Bool { headers.isURLEncodedForm }
}
