import Foundation
import PropertyBased
import Testing

@testable import ThiDuaCore

@Suite struct PlanRulesTests {
    static func d(_ s: String) -> CivilDate { CivilDate(parsing: s)! }
    static let noWeekendRule = FollowUpRules(weekendMovesToNextWorkingDay: false)

    struct StatusCase: Sendable, CustomStringConvertible {
        let start: String?, due: String, progress: Int?, completed: String?, today: String, expected: TaskStatus
        var description: String { "\(due) \(progress.map(String.init) ?? "-") \(completed ?? "-") @\(today) → \(expected)" }
    }

    static let statusCases: [StatusCase] = [
        .init(start: "2026-03-01", due: "2026-06-30", progress: nil, completed: nil, today: "2026-02-01", expected: .notStarted),
        .init(start: "2026-03-01", due: "2026-06-30", progress: nil, completed: nil, today: "2026-03-01", expected: .inProgress),
        .init(start: "2026-03-01", due: "2026-06-30", progress: 10, completed: nil, today: "2026-02-01", expected: .inProgress),
        .init(start: nil, due: "2026-06-30", progress: 0, completed: nil, today: "2026-02-01", expected: .notStarted),
        .init(start: nil, due: "2026-06-30", progress: 40, completed: nil, today: "2026-06-30", expected: .inProgress),
        .init(start: nil, due: "2026-06-30", progress: 40, completed: nil, today: "2026-07-01", expected: .overdue),
        .init(start: nil, due: "2026-06-30", progress: 100, completed: "2026-06-30", today: "2026-12-01", expected: .doneOnTime),
        .init(start: nil, due: "2026-06-30", progress: 100, completed: "2026-07-01", today: "2026-07-01", expected: .doneLate),
        // Leap years: 29 February exists in 2028, not in 2026.
        .init(start: nil, due: "2028-02-29", progress: 50, completed: nil, today: "2028-02-29", expected: .inProgress),
        .init(start: nil, due: "2028-02-29", progress: 50, completed: nil, today: "2028-03-01", expected: .overdue),
        .init(start: nil, due: "2028-02-28", progress: 100, completed: "2028-02-29", today: "2028-03-05", expected: .doneLate),
    ]

    @Test(arguments: statusCases) func statusIsDerivedFromDatesAndReports(_ c: StatusCase) {
        let facts = TaskFacts(start: c.start.map(Self.d), due: Self.d(c.due), progress: c.progress.map(Points.init), completedOn: c.completed.map(Self.d))
        #expect(TaskRules.status(facts, today: Self.d(c.today), rules: Self.noWeekendRule) == c.expected)
    }

    /// Targets and weights show the decimals they have, no more ("100 %", not "100,0000 %").
    @Test(arguments: [
        (Points(100), false, "100"), (Points(e4: 255_000), false, "25,5"), (Points(e4: 1_250), false, "0,125"),
        (Points(e4: 12_000_000_000), false, "1.200.000"), (Points(e4: 12_000_000_000), true, "1,200,000"), (Points(e4: -5_000), false, "-0,5"),
        (Points(e4: 1), false, "0,0001"),
    ])
    func compactNumbers(value: Points, english: Bool, text: String) {
        #expect(value.formattedCompact(english: english) == text)
    }

    @Test func deadlinesOnWeekendsAndHolidaysMoveToTheNextWorkingDay() {
        #expect(Self.d("2026-11-22").weekdayIndex == 6)  // a Sunday
        #expect(Self.d("2026-11-23").weekdayIndex == 0)  // Monday
        let rules = FollowUpRules(holidays: [Self.d("2026-09-02")])
        #expect(rules.effectiveDue(Self.d("2026-11-21")) == Self.d("2026-11-23"))  // Saturday → Monday
        #expect(rules.effectiveDue(Self.d("2026-11-20")) == Self.d("2026-11-20"))  // Friday stays
        #expect(rules.effectiveDue(Self.d("2026-09-02")) == Self.d("2026-09-03"))  // holiday (Wednesday) → Thursday
        // Completed on the Monday after a Saturday deadline: on time when the rule applies, late when it does not.
        let facts = TaskFacts(start: nil, due: Self.d("2026-11-21"), progress: Points(100), completedOn: Self.d("2026-11-23"))
        #expect(TaskRules.status(facts, today: Self.d("2026-11-30"), rules: rules) == .doneOnTime)
        #expect(TaskRules.status(facts, today: Self.d("2026-11-30"), rules: Self.noWeekendRule) == .doneLate)
        // A deadline on 31 December 2028 (a Sunday) moves into the next year.
        #expect(rules.effectiveDue(Self.d("2028-12-31")) == Self.d("2029-01-01"))
    }

    @Test func escalationClimbsTheLadderWithTheClock() {
        let rules = FollowUpRules(dueSoonDays: 5, headAfterDays: 7, reformOfficeAfterDays: 15, weekendMovesToNextWorkingDay: false)
        let facts = TaskFacts(start: nil, due: Self.d("2026-06-30"), progress: Points(20), completedOn: nil)
        let expectations: [(String, TaskRules.Alert?)] = [
            ("2026-06-20", nil), ("2026-06-25", .dueSoon), ("2026-06-30", .dueSoon), ("2026-07-01", .officer), ("2026-07-06", .officer),
            ("2026-07-07", .unitHead), ("2026-07-14", .unitHead), ("2026-07-15", .reformOffice), ("2027-01-01", .reformOffice),
        ]
        for (today, alert) in expectations {
            #expect(TaskRules.alert(facts, today: Self.d(today), rules: rules) == alert, "\(today)")
        }
        let done = TaskFacts(start: nil, due: Self.d("2026-06-30"), progress: Points(100), completedOn: Self.d("2026-07-20"))
        #expect(TaskRules.alert(done, today: Self.d("2026-08-01"), rules: rules) == nil)
        #expect(TaskRules.daysLate(facts, today: Self.d("2026-07-15"), rules: rules) == 15)
        #expect(FollowUpRules(headAfterDays: 10, reformOfficeAfterDays: 5).validate() == [.ladderOrder])
    }

    @Test func rollupSaysHowItWasComputed() {
        let weighted = Rollup.of([.init(progress: Points(60), weight: Points(3)), .init(progress: Points(20), weight: Points(1))])
        #expect(weighted.method == .weighted)
        #expect(weighted.progress == Points(50))
        // One child without a weight: plain average, and a child without a report counts as 0.
        let plain = Rollup.of([.init(progress: Points(60), weight: Points(3)), .init(progress: nil, weight: nil), .init(progress: Points(100), weight: nil)])
        #expect(plain.method == .plain)
        #expect(plain.unreported == 1)
        #expect(plain.progress == Points(e4: 533_300))  // 160 / 3 = 53.333… → 53.33
        // Two thirds rounds half away from zero once, to hundredths.
        #expect(Rollup.of([.init(progress: Points(100), weight: nil), .init(progress: Points(100), weight: nil), .init(progress: .zero, weight: nil)]).progress
            == Points(e4: 666_700))
        #expect(Rollup.of([]).method == .none)
    }

    @Test func rollupStaysBetweenItsChildren() async {
        await propertyCheck(input: Gen.int(in: 0...100).array(of: 1...12), Gen.int(in: 1...50).array(of: 12)) { values, weights in
            let plain = Rollup.of(values.map { .init(progress: Points($0), weight: nil) })
            #expect(plain.progress >= Points(values.min()!) && plain.progress <= Points(values.max()!))
            let weighted = Rollup.of(values.enumerated().map { .init(progress: Points($0.element), weight: Points(weights[$0.offset])) })
            #expect(weighted.method == .weighted)
            #expect(weighted.progress >= Points(values.min()!) && weighted.progress <= Points(values.max()!))
        }
    }

    @Test func planCheckFlagsEmptyAreasAndIncompleteTasks() {
        func task(_ label: String, _ area: ContentArea, target: Bool = true, output: Bool = true, owner: Bool = true, due: String = "2026-06-30") -> PlanCheck.TaskSummary {
            .init(label: label, area: area, hasTarget: target, hasOutput: output, hasOwner: owner, due: Self.d(due))
        }
        #expect(PlanCheck.problems([], fromYear: 2026, toYear: 2026) == [.noTasks])
        var tasks = ContentArea.allCases.map { task("T\($0.rawValue)", $0) }
        #expect(PlanCheck.problems(tasks, fromYear: 2026, toYear: 2026).isEmpty)
        tasks.removeAll { $0.area == .publicFinance }
        tasks[0] = task("T0", .direction, target: false)
        tasks[1] = task("T1", .institutions, output: false, owner: false, due: "2027-01-05")
        #expect(PlanCheck.problems(tasks, fromYear: 2026, toYear: 2026) == [
            .areaWithoutTask(.publicFinance), .missingTarget(task: "T0"), .missingOutput(task: "T1"), .missingOwner(task: "T1"), .dueOutsidePlan(task: "T1"),
        ])
        // An area the plan is exempt from need not be covered.
        #expect(!PlanCheck.problems(tasks, fromYear: 2026, toYear: 2026, required: Set(ContentArea.allCases).subtracting([.publicFinance]))
            .contains(.areaWithoutTask(.publicFinance)))
    }

    @Test func onTimeRateCountsWhatHasFallenDue() {
        let rules = Self.noWeekendRule
        let tasks = [
            TaskFacts(start: nil, due: Self.d("2026-03-31"), progress: Points(100), completedOn: Self.d("2026-03-30")),  // on time
            TaskFacts(start: nil, due: Self.d("2026-03-31"), progress: Points(100), completedOn: Self.d("2026-04-02")),  // late
            TaskFacts(start: nil, due: Self.d("2026-05-31"), progress: Points(50), completedOn: nil),  // overdue
            TaskFacts(start: nil, due: Self.d("2026-12-31"), progress: Points(100), completedOn: Self.d("2026-05-01")),  // done early
            TaskFacts(start: nil, due: Self.d("2026-12-31"), progress: Points(10), completedOn: nil),  // not yet due
            TaskFacts(start: nil, due: Self.d("2025-12-31"), progress: Points(100), completedOn: Self.d("2025-12-30")),  // another year
        ]
        let r = OnTimeRate.of(tasks, year: 2026, asOf: Self.d("2026-06-15"), rules: rules)
        #expect(r?.counted == 4)
        #expect(r?.onTime == 2)
        #expect(r?.rate == Points(50))
        #expect(OnTimeRate.of([], year: 2026, asOf: Self.d("2026-06-15"), rules: rules) == nil)
    }

    @Test func targetsAndProgressInput() {
        #expect(TaskTarget.parse(value: "", unit: "") == .success(nil))
        #expect(TaskTarget.parse(value: "25", unit: "") == .failure(.valueWithoutUnit))
        #expect(TaskTarget.parse(value: "", unit: "%") == .failure(.unitWithoutValue))
        #expect(TaskTarget.parse(value: "-1", unit: "%") == .failure(.negative))
        #expect(TaskTarget.parse(value: "1.234,5", unit: "hồ sơ") == .success(TaskTarget(value: Points(e4: 12_345_000), unit: "hồ sơ")))
        let target = TaskTarget(value: Points(40), unit: "thủ tục")
        #expect(ProgressInput.percent(percent: "", achieved: "10", target: target) == .success(Points(25)))
        #expect(ProgressInput.percent(percent: "", achieved: "50", target: target) == .success(Points(100)))
        #expect(ProgressInput.percent(percent: "100,5", achieved: "", target: target) == .failure(.overHundred))
        #expect(ProgressInput.percent(percent: "-1", achieved: "", target: target) == .failure(.negative))
        #expect(ProgressInput.percent(percent: "", achieved: "3", target: nil) == .failure(.noTarget))
        #expect(ProgressInput.percent(percent: " 45 % ", achieved: "", target: nil) == .success(Points(45)))
        #expect(ProgressInput.percent(percent: "", achieved: "", target: target) == .failure(.empty))
    }

    @Test func contentAreasAndOutputsAsPeopleWriteThem() {
        #expect(ContentArea(loose: "Cải cách thủ tục hành chính") == .procedures)
        #expect(ContentArea(loose: "IV") == .civilService)
        #expect(ContentArea(loose: "6") == .digitalGovernment)
        #expect(ContentArea(loose: "chinh quyen so") == .digitalGovernment)
        #expect(ContentArea(loose: "Công tác chỉ đạo, điều hành") == .direction)
        #expect(ContentArea(loose: "xyz") == nil)
        #expect(OutputKind(loose: "Quyết định của UBND tỉnh") == .decision)
        #expect(OutputKind(loose: "Phần mềm một cửa") == .system)
    }

    @Test func taskImportReportsEveryRowProblem() {
        let units = UnitResolver(units: [("SNV", "Sở Nội vụ"), ("STC", "Sở Tài chính"), ("X1", "Xã Tân Phong"), ("X2", "Xã Tân Phong")])
        let rows = [
            ["STT", "Thuộc nhiệm vụ", "Lĩnh vực", "Tên nhiệm vụ", "Chỉ tiêu", "Đơn vị tính", "Thời hạn", "Ngày bắt đầu", "Đơn vị chủ trì", "Đơn vị phối hợp"],
            ["1", "", "Cải cách thể chế", "Rà soát văn bản", "100", "%", "30/06/2026", "", "so noi vu", "STC; Sở Y tế"],
            ["2", "", "2", "Công khai TTHC", "100", "", "01/01/2026", "01/02/2026", "Xã Tân Phong", ""],
            ["3", "9", "2", "Con mồ côi", "", "", "30/06/2026", "", "SNV", ""],
            ["4", "5", "2", "Vòng A", "", "", "30/06/2026", "", "SNV", ""],
            ["5", "4", "2", "Vòng B", "", "", "30/06/2026", "", "SNV", ""],
            ["1.1", "1", "1", "Con hợp lệ", "", "", "30/06/2026", "", "STC", ""],
            ["1", "", "1", "Trùng mã", "", "", "30/06/2026", "", "SNV", ""],
        ]
        let plan = TaskImport.plan(rows: rows, units: units, existingCodes: [])
        let byRow = Dictionary(grouping: plan.issues, by: \.row)
        #expect(byRow[2]?.map(\.problemKey) == ["problem.notFound"])  // Sở Y tế
        #expect(Set(byRow[3]?.map(\.problemKey) ?? []) == ["problem.required", "problem.dateOrder", "problem.ambiguous"])
        #expect(byRow[4]?.map(\.problemKey) == ["problem.notFound"])  // parent 9
        #expect(byRow[5]?.map(\.problemKey) == ["problem.invalidValue"])  // loop 4 ↔ 5
        #expect(byRow[6]?.map(\.problemKey) == ["problem.invalidValue"])
        #expect(byRow[8]?.map(\.problemKey) == ["problem.duplicate"])
        // A child whose parent row is wrong cannot be linked either.
        #expect(byRow[7]?.map(\.problemKey) == ["problem.notFound"])
        #expect(plan.drafts.isEmpty)
        #expect(!plan.isCommittable)
        // Parents are written before their children.
        let ok = TaskImport.plan(rows: [rows[0], ["2.1", "2", "2", "Con", "1", "văn bản", "30/06/2026", "", "SNV", ""], ["2", "", "2", "Cha", "1", "văn bản", "30/06/2026", "", "SNV", ""]],
                                 units: units, existingCodes: [])
        #expect(ok.isCommittable)
        #expect(ok.drafts.map(\.code) == ["2", "2.1"])
    }
}
