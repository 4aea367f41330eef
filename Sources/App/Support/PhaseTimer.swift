import Synchronization

/// Wall time of the phases of one request, in order, for its `Server-Timing` header (RFC: W3C Server Timing): a
/// one-stop system, an operator or the benchmark sees where a batch's time went without access to the server.
final class PhaseTimer: Sendable {
    private let state: Mutex<(last: ContinuousClock.Instant, phases: [(name: String, duration: Duration)])>

    init() { state = Mutex((ContinuousClock.now, [])) }

    /// Ends the phase running since the previous mark (or since the timer was made) under `name`.
    func mark(_ name: String) {
        let now = ContinuousClock.now
        state.withLock { s in
            s.phases.append((name, now - s.last))
            s.last = now
        }
    }

    /// `parse;dur=12.3, check;dur=40.1, …` (milliseconds, one decimal).
    var header: String {
        state.withLock { s in
            s.phases.map { p in
                let (seconds, attoseconds) = p.duration.components
                let tenths = seconds * 10_000 + attoseconds / 100_000_000_000_000  // tenths of a millisecond
                return "\(p.name);dur=\(tenths / 10).\(tenths % 10)"
            }.joined(separator: ", ")
        }
    }
}
