import Crypto
import Foundation

enum Digest {
    private static let hex = Array("0123456789abcdef".utf8)

    /// Lower-case hex SHA-256 (one per survey answer and per request with a session: no formatter per byte).
    static func sha256(_ data: Data) -> String {
        var out = [UInt8]()
        out.reserveCapacity(64)
        for byte in SHA256.hash(data: data) {
            out.append(hex[Int(byte >> 4)])
            out.append(hex[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
