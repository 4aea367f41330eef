/// A time limit in working days, in half-day steps (procedures state limits such as "0,5 ngày làm việc").
public struct TimeLimit: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let halfDays: Int

    public init(halfDays: Int) { self.halfDays = max(0, halfDays) }
    public init(workingDays: Int) { self.init(halfDays: workingDays * 2) }

    /// "15", "0,5", "1.5": whole or half working days, 0 … 3,650; nil otherwise.
    public init?(parsing raw: String) {
        guard let p = Points(parsing: raw) ?? Points(typed: raw), p.e4 >= 0, p.e4 % 5_000 == 0, p.e4 <= 3_650 * Points.scale else { return nil }
        halfDays = Int(p.e4 / 5_000)
    }

    public var workingDays: Points { Points(e4: Int64(halfDays) * 5_000) }
    public var description: String { workingDays.plain(places: 1).replacingOccurrences(of: ".0", with: "") }
    public static func < (a: TimeLimit, b: TimeLimit) -> Bool { a.halfDays < b.halfDays }
}

/// How a dossier that was resolved compares with its due time.
public enum Timeliness: String, Sendable, Codable, CaseIterable {
    case early, onTime = "on_time", late
}

/// Due times and processing times of dossiers, by the rules written in docs/procedures.md:
/// - times are instants (seconds since 1970, UTC); days and hours are read in Vietnam time (UTC+7);
/// - a dossier received on a day off counts as received on the next working day;
/// - a period in days starts on the day after the day of receipt (Civil Code 2015, art. 147(2)); only working days
///   count, so a limit of n working days ends at 24:00 of the n-th working day after the day of receipt
///   (art. 148(6)); a limit with a half day ends at noon of its last day; a limit of 0 ends at 24:00 of the day of
///   receipt (same-day procedures);
/// - resolved before the due day is early, on the due day by the due time is on time, after it is late;
/// - processing time counts the working half-days from the start of the period to the resolution (a resolution in
///   the morning ends a half day, in the afternoon the whole day); a dossier resolved on its day of receipt took 0.
public struct DossierClock: Sendable {
    public static let vietnamOffset: Int64 = 7 * 3_600
    public let calendar: CompiledCalendar
    /// Minutes after midnight at which the morning session ends (a half-day limit ends then). Default 12:00.
    public let noonMinutes: Int

    public init(_ calendar: CompiledCalendar, noonMinutes: Int = 12 * 60) {
        self.calendar = calendar
        self.noonMinutes = noonMinutes
    }

    /// The Vietnamese calendar day of an instant.
    public static func localDay(_ seconds: Int64) -> CivilDate {
        let local = seconds + vietnamOffset
        let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        return CivilDate(year: 1970, month: 1, day: 1)!.adding(days: Int(days))
    }

    /// Seconds since local midnight of an instant.
    public static func localSecondOfDay(_ seconds: Int64) -> Int64 {
        let r = (seconds + vietnamOffset) % 86_400
        return r < 0 ? r + 86_400 : r
    }

    /// The instant of local midnight starting a day.
    public static func startOfDay(_ d: CivilDate) -> Int64 { Int64(d.daysSinceEpoch) * 86_400 - vietnamOffset }

    /// The working day a dossier counts as received on.
    public func receiptDay(_ received: Int64) -> CivilDate { calendar.workingDay(onOrAfter: Self.localDay(received)) }

    /// The instant a dossier received at `received` with `limit` is due (exclusive end: resolved at or before it is in time).
    public func due(received: Int64, limit: TimeLimit) -> Int64 {
        let start = receiptDay(received)
        let days = (limit.halfDays + 1) / 2
        let last = calendar.nthWorkingDay(days, after: start)
        if limit.halfDays % 2 == 1 { return Self.startOfDay(last) + Int64(noonMinutes) * 60 }
        return Self.startOfDay(last) + 86_400
    }

    public func timeliness(resolved: Int64, due: Int64) -> Timeliness {
        if resolved > due { return .late }
        // Before the due day: early. The due day of an end-of-day due is the day before the instant.
        let dueDay = Self.localDay(due - 1)
        return Self.localDay(resolved) < dueDay ? .early : .onTime
    }

    /// Working half-days from the start of the period (the day after the day of receipt) to the resolution.
    public func processingHalfDays(received: Int64, resolved: Int64) -> Int {
        let start = receiptDay(received)
        let end = Self.localDay(resolved)
        guard end > start else { return 0 }
        // Whole working days strictly between the day of receipt and the day of resolution, then the last day.
        let before = calendar.workingDays(after: start, through: end.adding(days: -1))
        guard calendar.isWorkingDay(end) else { return before * 2 }
        let morning = Self.localSecondOfDay(resolved) < Int64(noonMinutes) * 60
        return before * 2 + (morning ? 1 : 2)
    }
}

extension DossierClock {
    /// The facts of one dossier for the tallies. A dossier counts as resolved when approved or refused with a
    /// resolution time; it is then early, on time or late against the statutory limit (the legal due time), and its
    /// processing time is measured against both limits.
    public func facts(
        channel: DossierChannel, received: Int64, resolved: Int64?, result: DossierResult?, statutory: TimeLimit, internalLimit: TimeLimit?,
        payable: Bool, paidOnline: Bool, digitised: Bool, rated: Bool, unsatisfied: Bool, complaint: Bool
    ) -> DossierFacts {
        var timeliness: Timeliness?
        var processing: Int?
        let done = result == .approved || result == .refused
        if done, let r = resolved {
            timeliness = self.timeliness(resolved: r, due: due(received: received, limit: statutory))
            processing = processingHalfDays(received: received, resolved: r)
        }
        return DossierFacts(
            online: channel == .online, resolved: timeliness != nil, withdrawn: result == .withdrawn, timeliness: timeliness,
            processingHalfDays: processing, statutoryHalfDays: statutory.halfDays, internalHalfDays: internalLimit?.halfDays, payable: payable,
            paidOnline: paidOnline, digitised: digitised, rated: rated, unsatisfied: unsatisfied, complaint: complaint)
    }
}
