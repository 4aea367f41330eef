import Crypto
import Foundation

/// One link of the tamper-evident audit trail. Every create, update and delete of domain data appends one.
public struct AuditLink: Sendable, Equatable, Codable {
    public var seq: Int64
    /// Milliseconds since 1970 (UTC): an integer so the hash input is identical after any database round trip.
    public var atMillis: Int64
    public var actorID: String?
    public var actorName: String
    public var action: String
    public var entityType: String
    public var entityID: String
    public var before: String?
    public var after: String?
    public var reason: String?
    public var prevHash: String
    public var hash: String

    public init(
        seq: Int64, atMillis: Int64, actorID: String?, actorName: String, action: String, entityType: String,
        entityID: String, before: String?, after: String?, reason: String?, prevHash: String, hash: String = ""
    ) {
        self.seq = seq
        self.atMillis = atMillis
        self.actorID = actorID
        self.actorName = actorName
        self.action = action
        self.entityType = entityType
        self.entityID = entityID
        self.before = before
        self.after = after
        self.reason = reason
        self.prevHash = prevHash
        self.hash = hash
    }
}

/// SHA-256 hash chain over audit links: each link's hash covers its fields and the previous link's hash, and
/// a single head row records the last sequence number and hash. An edited link breaks its own hash; a deleted
/// link breaks the sequence or the next link's `prevHash`; a removed tail no longer matches the head.
public enum AuditChain {
    public static let genesis = String(repeating: "0", count: 64)

    /// Length-prefixed fields make the encoding unambiguous ("ab"+"c" ≠ "a"+"bc"); nil differs from "".
    public static func canonicalBytes(_ l: AuditLink) -> [UInt8] {
        var out: [UInt8] = Array("thidua-audit-v1".utf8)
        func put(_ s: String?) {
            guard let s else {
                out.append(contentsOf: Array("~".utf8))
                return
            }
            let bytes = Array(s.utf8)
            out.append(contentsOf: Array("\(bytes.count):".utf8))
            out.append(contentsOf: bytes)
        }
        put(String(l.seq))
        put(String(l.atMillis))
        put(l.actorID)
        put(l.actorName)
        put(l.action)
        put(l.entityType)
        put(l.entityID)
        put(l.before)
        put(l.after)
        put(l.reason)
        put(l.prevHash)
        return out
    }

    public static func hash(_ l: AuditLink) -> String {
        SHA256.hash(data: canonicalBytes(l)).map { String(format: "%02x", $0) }.joined()
    }

    /// Sets `prevHash` and `hash` for a link that follows `previousHash`.
    public static func seal(_ link: AuditLink, after previousHash: String) -> AuditLink {
        var l = link
        l.prevHash = previousHash
        l.hash = hash(l)
        return l
    }

    public enum Failure: Error, Equatable, Sendable {
        case gap(expectedSeq: Int64, found: Int64)
        case brokenLink(seq: Int64)
        case alteredContent(seq: Int64)
        case headMismatch(headSeq: Int64, lastSeq: Int64)
    }

    /// Checks links in order, one page at a time, so a long trail is verified in constant memory.
    public struct Verifier: Sendable {
        public private(set) var lastSeq: Int64 = 0
        public private(set) var lastHash: String = AuditChain.genesis
        public private(set) var count: Int = 0

        public init() {}

        public mutating func feed(_ l: AuditLink) throws(Failure) {
            guard l.seq == lastSeq + 1 else { throw .gap(expectedSeq: lastSeq + 1, found: l.seq) }
            guard l.prevHash == lastHash else { throw .brokenLink(seq: l.seq) }
            guard AuditChain.hash(l) == l.hash else { throw .alteredContent(seq: l.seq) }
            lastSeq = l.seq
            lastHash = l.hash
            count += 1
        }

        public func finish(headSeq: Int64, headHash: String) throws(Failure) {
            guard headSeq == lastSeq, headHash == lastHash else {
                throw .headMismatch(headSeq: headSeq, lastSeq: lastSeq)
            }
        }
    }
}
