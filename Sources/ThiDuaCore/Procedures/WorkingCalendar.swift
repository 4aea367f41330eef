/// Which days are working days: the weekend, public holidays (Tết included) and the Saturdays worked in exchange
/// for a bridged day ("ngày làm bù"). All three are data the province edits each year (the Government announces the
/// holiday arrangements yearly); nothing here knows a date.
public struct WorkingCalendar: Hashable, Sendable, Codable {
    /// ISO weekdays that are off: 1 = Monday … 7 = Sunday. Default Saturday and Sunday.
    public var weekend: Set<Int>
    /// Days off that would otherwise be working days.
    public var holidays: Set<CivilDate>
    /// Days worked that would otherwise be off (a Saturday made up for a bridge day).
    public var workdays: Set<CivilDate>

    public init(weekend: Set<Int> = [6, 7], holidays: Set<CivilDate> = [], workdays: Set<CivilDate> = []) {
        self.weekend = weekend
        self.holidays = holidays
        self.workdays = workdays
    }

    /// ISO weekday of a date: 1 = Monday … 7 = Sunday (1970-01-01 was a Thursday).
    public static func weekday(_ d: CivilDate) -> Int {
        let r = (d.daysSinceEpoch + 3) % 7
        return (r < 0 ? r + 7 : r) + 1
    }

    public func isWorkingDay(_ d: CivilDate) -> Bool {
        if workdays.contains(d) { return true }
        if holidays.contains(d) { return false }
        return !weekend.contains(Self.weekday(d))
    }

    /// Problems a province must fix before the calendar is used: a week without working days, weekdays out of range,
    /// a day listed both as holiday and as workday.
    public var problems: [String] {
        var out: [String] = []
        if weekend.contains(where: { !(1...7).contains($0) }) { out.append("weekday") }
        if weekend.count >= 7 { out.append("noWorkingDay") }
        if !holidays.isDisjoint(with: workdays) { out.append("both") }
        return out
    }
}

/// A calendar turned into a running count of working days over a span of years, so that counting the working days
/// between two dates or finding the n-th working day after one costs a subtraction or a binary search (indicators
/// over millions of dossiers ask this twice per dossier). Outside the span it counts day by day.
public struct CompiledCalendar: Sendable {
    public let calendar: WorkingCalendar
    /// First day (days since 1970-01-01) covered by `cumulative`.
    private let base: Int
    /// `cumulative[i]` = working days in [base, base + i].
    private let cumulative: [Int32]

    public init(_ calendar: WorkingCalendar, fromYear: Int = 2000, throughYear: Int = 2100) {
        self.calendar = calendar
        let first = CivilDate(year: fromYear, month: 1, day: 1)!.daysSinceEpoch
        let last = CivilDate(year: throughYear, month: 12, day: 31)!.daysSinceEpoch
        base = first
        var running: Int32 = 0
        var counts: [Int32] = []
        counts.reserveCapacity(last - first + 1)
        var day = CivilDate(year: fromYear, month: 1, day: 1)!
        for _ in first...last {
            if calendar.isWorkingDay(day) { running += 1 }
            counts.append(running)
            day = day.adding(days: 1)
        }
        cumulative = counts
    }

    public func isWorkingDay(_ d: CivilDate) -> Bool { calendar.isWorkingDay(d) }

    private func covered(_ n: Int) -> Bool { n >= base && n < base + cumulative.count }

    /// Working days in (a, b]; 0 when b ≤ a.
    public func workingDays(after a: CivilDate, through b: CivilDate) -> Int {
        let x = a.daysSinceEpoch, y = b.daysSinceEpoch
        if y <= x { return 0 }
        if covered(x) && covered(y) { return Int(cumulative[y - base] - cumulative[x - base]) }
        var n = 0
        var d = a.adding(days: 1)
        while d <= b {
            if calendar.isWorkingDay(d) { n += 1 }
            d = d.adding(days: 1)
        }
        return n
    }

    /// The day itself when it is a working day, else the next working day.
    public func workingDay(onOrAfter d: CivilDate) -> CivilDate {
        calendar.isWorkingDay(d) ? d : nthWorkingDay(1, after: d)
    }

    /// The n-th working day after `d` (n ≥ 1); `d` itself when n ≤ 0.
    public func nthWorkingDay(_ n: Int, after d: CivilDate) -> CivilDate {
        if n <= 0 { return d }
        let x = d.daysSinceEpoch
        if covered(x) {
            let target = cumulative[x - base] + Int32(n)
            // The first index whose running count reaches the target is that working day.
            var lo = x - base + 1, hi = cumulative.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if cumulative[mid] >= target { hi = mid } else { lo = mid + 1 }
            }
            if lo < cumulative.count { return d.adding(days: lo - (x - base)) }
        }
        var left = n
        var day = d
        // A calendar without working days is refused when saved (`problems`); the cap keeps a bad one finite.
        for _ in 0..<(n * 7 + 400 * 366) where left > 0 {
            day = day.adding(days: 1)
            if calendar.isWorkingDay(day) { left -= 1 }
        }
        return day
    }
}
