import Foundation

/// The heading of every PAR plan and index: direction and management, then the six content areas of
/// Resolution 76/NQ-CP (2021–2030). See docs/plans.md.
public enum ContentArea: Int, CaseIterable, Codable, Sendable, Comparable {
    case direction = 0
    case institutions = 1
    case procedures = 2
    case organisation = 3
    case civilService = 4
    case publicFinance = 5
    case digitalGovernment = 6

    public var labelKey: String { "area.\(rawValue)" }
    public static func < (a: ContentArea, b: ContentArea) -> Bool { a.rawValue < b.rawValue }

    /// "2", "II", "Cải cách TTHC", "cai cach thu tuc hanh chinh" … as people write it in a spreadsheet.
    public init?(loose raw: String) {
        let s = VietnameseText.fold(raw).trimmingCharacters(in: .whitespaces)
        if let n = Int(s), let a = ContentArea(rawValue: n) {
            self = a
            return
        }
        let roman = ["i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6]
        if let n = roman[s], let a = ContentArea(rawValue: n) {
            self = a
            return
        }
        let words: [(String, ContentArea)] = [
            ("chi dao", .direction), ("dieu hanh", .direction), ("the che", .institutions), ("thu tuc", .procedures),
            ("tthc", .procedures), ("bo may", .organisation), ("to chuc", .organisation), ("cong vu", .civilService),
            ("tai chinh", .publicFinance), ("chinh quyen so", .digitalGovernment), ("chinh quyen dien tu", .digitalGovernment),
            ("chuyen doi so", .digitalGovernment),
        ]
        guard let hit = words.first(where: { s.contains($0.0) }) else { return nil }
        self = hit.1
    }
}

public enum PlanKind: String, CaseIterable, Codable, Sendable {
    /// A five-year (or other multi-year) plan, e.g. 2026–2030.
    case period
    case annual

    public var labelKey: String { "planKind.\(rawValue)" }
}

public enum PlanStatus: String, CaseIterable, Codable, Sendable {
    case draft, issued, closed

    public var labelKey: String { "planStatus.\(rawValue)" }
}

/// The product a task delivers.
public enum OutputKind: String, CaseIterable, Codable, Sendable {
    case decision, plan, report, document, system, event, other

    public var labelKey: String { "output.\(rawValue)" }

    public init?(loose raw: String) {
        let s = VietnameseText.fold(raw).trimmingCharacters(in: .whitespaces)
        if let k = OutputKind(rawValue: s) {
            self = k
            return
        }
        let words: [(String, OutputKind)] = [
            ("quyet dinh", .decision), ("nghi quyet", .decision), ("ke hoach", .plan), ("bao cao", .report),
            ("van ban", .document), ("de an", .document), ("quy che", .document), ("huong dan", .document),
            ("he thong", .system), ("phan mem", .system), ("co so du lieu", .system), ("hoi nghi", .event),
            ("tap huan", .event), ("hoi thi", .event), ("khac", .other),
        ]
        guard let hit = words.first(where: { s.contains($0.0) }) else { return nil }
        self = hit.1
    }
}

/// Where a task stands, derived from its dates and its reports; never entered.
public enum TaskStatus: String, CaseIterable, Codable, Sendable {
    case notStarted = "not_started"
    case inProgress = "in_progress"
    case doneOnTime = "done_on_time"
    case doneLate = "done_late"
    case overdue

    public var labelKey: String { "taskStatus.\(rawValue)" }
    public var isDone: Bool { self == .doneOnTime || self == .doneLate }
}

/// The province's follow-up rules (data the reform office edits, see docs/plans.md).
public struct FollowUpRules: Codable, Equatable, Sendable {
    /// A task appears as "due soon" this many days before its (effective) due date.
    public var dueSoonDays: Int
    /// Days overdue after which the unit head is told (the officer is told from the first day).
    public var headAfterDays: Int
    /// Days overdue after which the reform office (Sở Nội vụ) is told.
    public var reformOfficeAfterDays: Int
    /// A due date on a Saturday or Sunday (or a listed holiday) moves to the next working day
    /// (Civil Code 2015, art. 148(5)).
    public var weekendMovesToNextWorkingDay: Bool
    public var holidays: [CivilDate]

    public init(dueSoonDays: Int = 7, headAfterDays: Int = 7, reformOfficeAfterDays: Int = 15,
                weekendMovesToNextWorkingDay: Bool = true, holidays: [CivilDate] = []) {
        self.dueSoonDays = dueSoonDays
        self.headAfterDays = headAfterDays
        self.reformOfficeAfterDays = reformOfficeAfterDays
        self.weekendMovesToNextWorkingDay = weekendMovesToNextWorkingDay
        self.holidays = holidays
    }

    public enum Problem: Error, Equatable, Sendable {
        case outOfRange(field: String)
        case ladderOrder
    }

    public func validate() -> [Problem] {
        var out: [Problem] = []
        if !(0...90).contains(dueSoonDays) { out.append(.outOfRange(field: "due_soon_days")) }
        if !(0...365).contains(headAfterDays) { out.append(.outOfRange(field: "head_after_days")) }
        if !(0...365).contains(reformOfficeAfterDays) { out.append(.outOfRange(field: "office_after_days")) }
        if reformOfficeAfterDays < headAfterDays { out.append(.ladderOrder) }
        return out
    }

    /// The day a deadline really falls on.
    public func effectiveDue(_ due: CivilDate) -> CivilDate {
        guard weekendMovesToNextWorkingDay else { return due }
        let off = Set(holidays)
        var d = due
        var guardDays = 0
        while (d.isWeekend || off.contains(d)) && guardDays < 60 {
            d = d.adding(days: 1)
            guardDays += 1
        }
        return d
    }
}

extension CivilDate {
    /// 0 = Monday … 6 = Sunday (1970-01-01 was a Thursday).
    public var weekdayIndex: Int { ((daysSinceEpoch % 7) + 7 + 3) % 7 }
    public var isWeekend: Bool { weekdayIndex >= 5 }
}

/// What the follow-up rules need to know of a task.
public struct TaskFacts: Sendable, Equatable {
    public var start: CivilDate?
    public var due: CivilDate
    /// The latest reported progress, in percent of the target (nil: nothing reported).
    public var progress: Points?
    /// The day the report that reached 100 % was dated.
    public var completedOn: CivilDate?

    public init(start: CivilDate?, due: CivilDate, progress: Points?, completedOn: CivilDate?) {
        self.start = start
        self.due = due
        self.progress = progress
        self.completedOn = completedOn
    }
}

public enum TaskRules {
    /// Derives the status:
    /// - completed (a report reached 100 %) → done on time when on or before the effective due date, else late;
    /// - not completed and today is after the effective due date → overdue;
    /// - some progress reported, or the start date has come → in progress;
    /// - otherwise not started.
    public static func status(_ t: TaskFacts, today: CivilDate, rules: FollowUpRules) -> TaskStatus {
        let due = rules.effectiveDue(t.due)
        if let done = t.completedOn { return done <= due ? .doneOnTime : .doneLate }
        if today > due { return .overdue }
        if let p = t.progress, p > .zero { return .inProgress }
        if let s = t.start, today >= s { return .inProgress }
        return .notStarted
    }

    /// Who must hear about a task today.
    public enum Alert: Int, Comparable, Sendable, CaseIterable {
        case dueSoon = 0
        /// Overdue: the responsible officer and the unit.
        case officer = 1
        case unitHead = 2
        case reformOffice = 3

        public static func < (a: Alert, b: Alert) -> Bool { a.rawValue < b.rawValue }
        public var labelKey: String { "alert.\(rawValue)" }
    }

    public static func alert(_ t: TaskFacts, today: CivilDate, rules: FollowUpRules) -> Alert? {
        let due = rules.effectiveDue(t.due)
        switch status(t, today: today, rules: rules) {
        case .doneOnTime, .doneLate: return nil
        case .overdue:
            let late = today.daysSinceEpoch - due.daysSinceEpoch
            if late >= rules.reformOfficeAfterDays { return .reformOffice }
            if late >= rules.headAfterDays { return .unitHead }
            return .officer
        case .inProgress, .notStarted:
            return due.daysSinceEpoch - today.daysSinceEpoch <= rules.dueSoonDays ? .dueSoon : nil
        }
    }

    /// Days past the effective due date (0 when not overdue).
    public static func daysLate(_ t: TaskFacts, today: CivilDate, rules: FollowUpRules) -> Int {
        max(0, today.daysSinceEpoch - rules.effectiveDue(t.due).daysSinceEpoch)
    }
}

/// How a parent's progress is obtained from its children, stated on every page that shows it.
public struct Rollup: Equatable, Sendable {
    public enum Method: String, Sendable, Codable {
        /// Reported directly on the task.
        case entered
        /// Σ(weight × progress) ÷ Σ weight, every child having a weight.
        case weighted
        /// Plain average, because some child has no weight (or none has).
        case plain
        /// Nothing to compute from.
        case none
    }

    public let progress: Points
    public let method: Method
    public let childCount: Int
    /// Children without any report (counted as 0 %).
    public let unreported: Int

    public struct Child: Sendable {
        public let progress: Points?
        public let weight: Points?
        public init(progress: Points?, weight: Points?) {
            self.progress = progress
            self.weight = weight
        }
    }

    /// Progress is capped at 100 % per child; a child with no report counts as 0 %. The result is rounded
    /// once, half away from zero, to two decimal places.
    public static func of(_ children: [Child]) -> Rollup {
        guard !children.isEmpty else { return Rollup(progress: .zero, method: .none, childCount: 0, unreported: 0) }
        let capped = children.map { Points.min(Points(100), Points.max(.zero, $0.progress ?? .zero)) }
        let unreported = children.filter { $0.progress == nil }.count
        let weights = children.compactMap(\.weight)
        if weights.count == children.count, weights.allSatisfy({ $0 > .zero }) {
            var num: Int64 = 0
            var den: Int64 = 0
            for (p, w) in zip(capped, weights) {
                num += p.e4 * w.e4
                den += w.e4
            }
            // One rounding step to hundredths: Σ(p·w) ÷ Σw in units of 0.01.
            let v = Points(e4: Points.divideRounded(num, by: den * 100) * 100)
            return Rollup(progress: v, method: .weighted, childCount: children.count, unreported: unreported)
        }
        let sum = capped.reduce(Int64(0)) { $0 + $1.e4 }
        let v = Points(e4: Points.divideRounded(sum, by: Int64(children.count) * 100) * 100)
        return Rollup(progress: v, method: .plain, childCount: children.count, unreported: unreported)
    }
}

/// What keeps a plan from being issued (DOMAIN.md §4: every task concrete and quantified).
public enum PlanCheck {
    public enum Problem: Equatable, Sendable, Hashable {
        case noTasks
        case areaWithoutTask(ContentArea)
        case missingTarget(task: String)
        case missingOutput(task: String)
        case missingOwner(task: String)
        case dueOutsidePlan(task: String)

        public var key: String {
            switch self {
            case .noTasks: "check.noTasks"
            case .areaWithoutTask: "check.areaWithoutTask"
            case .missingTarget: "check.missingTarget"
            case .missingOutput: "check.missingOutput"
            case .missingOwner: "check.missingOwner"
            case .dueOutsidePlan: "check.dueOutsidePlan"
            }
        }
    }

    public struct TaskSummary: Sendable {
        public let label: String
        public let area: ContentArea
        public let hasTarget: Bool
        public let hasOutput: Bool
        public let hasOwner: Bool
        public let due: CivilDate?
        public init(label: String, area: ContentArea, hasTarget: Bool, hasOutput: Bool, hasOwner: Bool, due: CivilDate?) {
            self.label = label
            self.area = area
            self.hasTarget = hasTarget
            self.hasOutput = hasOutput
            self.hasOwner = hasOwner
            self.due = due
        }
    }

    /// `required` are the areas the plan must cover (all seven by default; a unit's plan may leave out an
    /// area the unit has no part in, which the reform office records on the plan).
    public static func problems(_ tasks: [TaskSummary], fromYear: Int, toYear: Int, required: Set<ContentArea> = Set(ContentArea.allCases)) -> [Problem] {
        guard !tasks.isEmpty else { return [.noTasks] }
        var out: [Problem] = []
        let covered = Set(tasks.map(\.area))
        for a in ContentArea.allCases where required.contains(a) && !covered.contains(a) { out.append(.areaWithoutTask(a)) }
        for t in tasks {
            if !t.hasTarget { out.append(.missingTarget(task: t.label)) }
            if !t.hasOutput { out.append(.missingOutput(task: t.label)) }
            if !t.hasOwner { out.append(.missingOwner(task: t.label)) }
            if let d = t.due, d.year < fromYear || d.year > toYear { out.append(.dueOutsidePlan(task: t.label)) }
        }
        return out
    }
}

/// A unit's on-time completion rate for a year, offered to the PAR Index as `task_on_time_rate`.
public enum OnTimeRate {
    /// Counts the tasks led by the unit that fall due in `year` (effective due date) and whose due date has
    /// passed by `asOf` (or that were completed already): on time ÷ counted × 100, two decimals. Nil when
    /// nothing is counted (the criterion then shows "no data" rather than 0 %).
    public static func of(_ tasks: [TaskFacts], year: Int, asOf: CivilDate, rules: FollowUpRules) -> (rate: Points, onTime: Int, counted: Int)? {
        var counted = 0
        var onTime = 0
        for t in tasks {
            let due = rules.effectiveDue(t.due)
            guard due.year == year else { continue }
            let s = TaskRules.status(t, today: asOf, rules: rules)
            guard due < asOf || s.isDone else { continue }
            counted += 1
            if s == .doneOnTime { onTime += 1 }
        }
        guard counted > 0 else { return nil }
        return (Points.percent(Points(onTime), of: Points(counted), places: 2), onTime, counted)
    }
}

/// A target as written: a number and a unit ("≥ 25 %", "100 % hồ sơ", "12 văn bản").
public struct TaskTarget: Equatable, Sendable {
    public let value: Points
    public let unit: String

    public init(value: Points, unit: String) {
        self.value = value
        self.unit = unit
    }

    public enum Problem: Error, Equatable, Sendable {
        case valueWithoutUnit
        case unitWithoutValue
        case badValue(String)
        case negative
    }

    /// Both empty → nil (no target yet: flagged by the plan check). One without the other is an error.
    public static func parse(value rawValue: String, unit rawUnit: String) -> Result<TaskTarget?, Problem> {
        let v = rawValue.trimmingCharacters(in: .whitespaces)
        let u = VietnameseText.normalize(rawUnit)
        if v.isEmpty && u.isEmpty { return .success(nil) }
        if v.isEmpty { return .failure(.unitWithoutValue) }
        guard let p = Points(typed: v) else { return .failure(.badValue(v)) }
        if p < .zero { return .failure(.negative) }
        if u.isEmpty { return .failure(.valueWithoutUnit) }
        return .success(TaskTarget(value: p, unit: u))
    }
}

/// Progress as reported: a percentage, or a value achieved against the target (converted to a percentage).
public enum ProgressInput {
    public enum Problem: Error, Equatable, Sendable {
        case empty
        case badNumber(String)
        case negative
        case overHundred
        case noTarget
    }

    public static func percent(percent rawPercent: String, achieved rawValue: String, target: TaskTarget?) -> Result<Points, Problem> {
        let p = rawPercent.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "%", with: "").trimmingCharacters(in: .whitespaces)
        let v = rawValue.trimmingCharacters(in: .whitespaces)
        if !p.isEmpty {
            guard let x = Points(typed: p) else { return .failure(.badNumber(p)) }
            if x < .zero { return .failure(.negative) }
            if x > Points(100) { return .failure(.overHundred) }
            return .success(x)
        }
        guard !v.isEmpty else { return .failure(.empty) }
        guard let x = Points(typed: v) else { return .failure(.badNumber(v)) }
        if x < .zero { return .failure(.negative) }
        guard let target, target.value > .zero else { return .failure(.noTarget) }
        // More than the target is allowed as a value (a unit may exceed it) but progress stops at 100 %.
        return .success(Points.min(Points(100), Points.percent(x, of: target.value, places: 2)))
    }
}
