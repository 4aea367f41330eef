import FluentKit
import SQLKit
import Synchronization

/// One SQLite write transaction at a time in this process; the others wait suspended, in the order they came.
///
/// SQLite lets one connection write at a time whatever happens here. But SQLiteNIO's busy handler retries at once,
/// without sleeping, so a second write transaction used to spin a core until the first committed: two batches of
/// 5,000 dossiers sent together cost 0.4 s more CPU than the same two sent one after the other, on a machine of two
/// cores (docs/benchmarks.md). Waiting here costs nothing, and the core serves the waiting batch's own parsing or
/// another request. SQLite is the single-server store, so a process-wide gate covers its writers; PostgreSQL
/// handles concurrent writers itself and never comes here. Not re-entrant: a transaction's own writes never pass
/// through it (`writing` on a database already in a transaction runs straight in it).
final class WriterGate: Sendable {
    static let sqlite = WriterGate()

    private struct State {
        var held = false
        var waiting: [CheckedContinuation<Void, Never>] = []
    }
    private let state = Mutex(State())

    /// `body`, once every writer that came before has finished.
    func run<T>(_ body: () async throws -> T) async rethrows -> T {
        await acquire()
        defer { release() }
        return try await body()
    }

    private func acquire() async {
        await withCheckedContinuation { (turn: CheckedContinuation<Void, Never>) in
            let now = state.withLock { s -> Bool in
                if s.held {
                    s.waiting.append(turn)
                    return false
                }
                s.held = true
                return true
            }
            if now { turn.resume() }
        }
    }

    private func release() {
        let next = state.withLock { s -> CheckedContinuation<Void, Never>? in
            guard !s.waiting.isEmpty else {
                s.held = false
                return nil
            }
            return s.waiting.removeFirst()
        }
        next?.resume()
    }
}

extension Database {
    /// `body` (writes) after the SQLite writers before it: `writing` goes through here, and so do the single-statement
    /// writes outside it (a session touched or started, a token's last use, a sign-in failure counted), which would
    /// otherwise spin while a batch holds the lock. Straight through on PostgreSQL and inside a transaction.
    func inWriteTurn<T>(_ body: () async throws -> T) async rethrows -> T {
        guard !inTransaction, let sql = self as? any SQLDatabase, sql.dialect.name == "sqlite" else { return try await body() }
        return try await WriterGate.sqlite.run(body)
    }
}
