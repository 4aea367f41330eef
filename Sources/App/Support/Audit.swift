import Fluent
import Foundation
import SQLKit
import Synchronization
import ThiDuaCore

/// A domain record whose every change goes to the audit trail.
protocol Auditable: Model where IDValue: CustomStringConvertible {
    static var auditType: String { get }
    var auditSnapshot: any Encodable { get }
}

/// Who did it: a signed-in user, or a command run by an operator.
struct Actor: Sendable {
    let id: UUID?
    let name: String

    static func system(_ command: String) -> Actor { Actor(id: nil, name: "system:\(command)") }
}

/// Collects the audit entries of one write transaction and appends them to the chain at its end, inside the
/// same transaction: the change and its trail are committed together or not at all.
final class AuditRecorder: Sendable {
    enum Verb: String { case create, update, delete }

    private struct Pending: Sendable {
        let action: String, entityType: String, entityID: String, before: String?, after: String?
    }

    let actor: Actor
    let reason: String?
    private let pending = Mutex<[Pending]>([])

    init(actor: Actor, reason: String?) {
        self.actor = actor
        self.reason = reason
    }

    static func json(_ value: any Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    func record(_ verb: Verb, type: String, id: String, before: (any Encodable)?, after: (any Encodable)?) {
        let p = Pending(
            action: verb.rawValue, entityType: type, entityID: id, before: before.map(Self.json),
            after: after.map(Self.json))
        pending.withLock { $0.append(p) }
    }

    func created<M: Auditable>(_ m: M) {
        record(.create, type: M.auditType, id: m.id.map { "\($0)" } ?? "", before: nil, after: m.auditSnapshot)
    }

    /// `before` is the snapshot taken before the change was applied.
    func updated<M: Auditable>(_ m: M, before: any Encodable) {
        let b = Self.json(before)
        let a = Self.json(m.auditSnapshot)
        guard a != b else { return }  // nothing changed: no entry
        record(.update, type: M.auditType, id: m.id.map { "\($0)" } ?? "", before: before, after: m.auditSnapshot)
    }

    func deleted<M: Auditable>(_ m: M) {
        record(.delete, type: M.auditType, id: m.id.map { "\($0)" } ?? "", before: m.auditSnapshot, after: nil)
    }

    var isEmpty: Bool { pending.withLock { $0.isEmpty } }

    /// Locks the chain head (the UPDATE takes a row lock on PostgreSQL and the write lock on SQLite, so
    /// concurrent writers on any app server queue here), then appends and re-pins the head.
    func flush(on db: any Database, now: Date = Date()) async throws {
        let entries = pending.withLock { p -> [Pending] in
            defer { p.removeAll() }
            return p
        }
        guard !entries.isEmpty else { return }
        try await Self.lockHead(on: db)
        guard let head = try await AuditHead.find(1, on: db) else { throw AppError.internalInconsistency("audit head missing") }
        var seq = head.seq
        var prev = head.hash
        let ms = Int64((now.timeIntervalSince1970 * 1000).rounded(.down))
        for e in entries {
            seq += 1
            let link = AuditChain.seal(
                AuditLink(
                    seq: seq, atMillis: ms, actorID: actor.id?.uuidString, actorName: actor.name, action: e.action,
                    entityType: e.entityType, entityID: e.entityID, before: e.before, after: e.after, reason: reason,
                    prevHash: ""), after: prev)
            try await AuditRecord(link).create(on: db)
            prev = link.hash
        }
        head.seq = seq
        head.hash = prev
        try await head.update(on: db)
    }

    static func lockHead(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.raw("UPDATE audit_head SET seq = seq WHERE id = 1").run()
    }
}

extension Database {
    /// Runs `body` in one transaction whose audit entries are appended before it commits.
    func writing<T: Sendable>(
        as actor: Actor, reason: String? = nil, _ body: @escaping @Sendable (any Database, AuditRecorder) async throws -> T
    ) async throws -> T {
        // On SQLite, write transactions of this process take turns (see `WriterGate`); one already open goes on.
        try await inWriteTurn { try await transacting(as: actor, reason: reason, body) }
    }

    private func transacting<T: Sendable>(
        as actor: Actor, reason: String?, _ body: @escaping @Sendable (any Database, AuditRecorder) async throws -> T
    ) async throws -> T {
        try await self.transaction { tx in
            // Before the first write: SQLite decides where this transaction's statement journals go when it starts
            // writing (the next statement), and files cost a write call per page a multi-row statement touches.
            if let sql = tx as? any SQLDatabase { try await BulkSQL.prepareWriter(on: sql) }
            // Taking the chain head first serialises write transactions: a record re-read inside `body` is
            // the latest committed one, which is what optimistic version checks rely on.
            try await AuditRecorder.lockHead(on: tx)
            let recorder = AuditRecorder(actor: actor, reason: reason)
            let value = try await body(tx, recorder)
            try await recorder.flush(on: tx)
            return value
        }
    }
}

/// Walks the whole trail in pages and checks every link and the head.
enum AuditVerification {
    struct Report: Sendable {
        let checked: Int
        let failure: AuditChain.Failure?
    }

    static func verify(on db: any Database, pageSize: Int = 2000) async throws -> Report {
        var verifier = AuditChain.Verifier()
        var after: Int64 = 0
        while true {
            let page = try await AuditRecord.query(on: db).filter(\.$id > after).sort(\.$id).limit(pageSize).all()
            if page.isEmpty { break }
            for r in page {
                do {
                    try verifier.feed(r.link)
                } catch {
                    return Report(checked: verifier.count, failure: error)
                }
            }
            after = page.last?.id ?? after
        }
        guard let head = try await AuditHead.find(1, on: db) else {
            return Report(checked: verifier.count, failure: .headMismatch(headSeq: -1, lastSeq: verifier.lastSeq))
        }
        do {
            try verifier.finish(headSeq: head.seq, headHash: head.hash)
        } catch {
            return Report(checked: verifier.count, failure: error)
        }
        return Report(checked: verifier.count, failure: nil)
    }
}
