import Foundation
import PropertyBased
import Testing

@testable import ThiDuaCore

/// Working days, due times, timeliness, processing time and the dossier indicators (issue 6), against the rules in
/// docs/procedures.md.
@Suite struct ProcedureTimingTests {
    static func d(_ s: String) -> CivilDate { CivilDate(parsing: s)! }

    /// An illustrative calendar (test data, not the official one): Tết Monday–Friday 16–20 Feb 2026, 30 Apr, 1 May,
    /// 2 Sep 2026 off; Saturday 10 Jan 2026 worked.
    static let calendar = WorkingCalendar(
        holidays: Set(["2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20", "2026-04-30", "2026-05-01", "2026-09-02"].map(d)),
        workdays: [d("2026-01-10")])
    static let clock = DossierClock(CompiledCalendar(calendar, fromYear: 2020, throughYear: 2030))

    /// "yyyy-mm-dd hh:mm" in Vietnam time → instant.
    static func at(_ s: String) -> Int64 {
        let parts = s.split(separator: " ")
        let hm = parts[1].split(separator: ":").map { Int64($0)! }
        return DossierClock.startOfDay(d(String(parts[0]))) + hm[0] * 3_600 + hm[1] * 60
    }

    @Test(arguments: [
        ("2026-11-30", 1), ("2026-11-28", 6), ("2026-11-29", 7), ("1970-01-01", 4), ("1969-12-31", 3), ("2000-02-29", 2),
    ])
    func weekdays(_ day: String, _ iso: Int) {
        #expect(WorkingCalendar.weekday(Self.d(day)) == iso)
    }

    @Test(arguments: [
        ("2026-02-16", false), ("2026-02-13", true), ("2026-01-10", true), ("2026-01-11", false), ("2026-11-30", true), ("2026-09-02", false),
    ])
    func workingDays(_ day: String, _ working: Bool) {
        #expect(Self.calendar.isWorkingDay(Self.d(day)) == working)
    }

    @Test(arguments: [
        // received (local), limit, due (local; "24:00" written as the next day's 00:00)
        ("2026-11-23 09:00", "3", "2026-11-27 00:00"),  // Mon + 3 working days: Thu at 24:00
        ("2026-02-13 10:00", "1", "2026-02-24 00:00"),  // Fri before Tết: the first working day after is Mon 23 Feb
        ("2026-11-28 10:00", "1", "2026-12-02 00:00"),  // received Saturday (online): counts as Monday, due Tuesday
        ("2026-11-23 15:00", "0,5", "2026-11-24 12:00"),  // half a day: noon of the next working day
        ("2026-11-23 08:00", "1.5", "2026-11-25 12:00"),
        ("2026-11-23 16:59", "0", "2026-11-24 00:00"),  // same-day procedure: end of the day of receipt
        ("2026-11-27 23:30", "1", "2026-12-01 00:00"),  // Friday night: Monday at 24:00
        ("2026-01-09 09:00", "1", "2026-01-11 00:00"),  // Friday: the worked Saturday counts
        ("2026-04-29 09:00", "2", "2026-05-06 00:00"),  // 30 Apr, 1 May and the weekend skipped: Mon 4, Tue 5 May
    ])
    func dueTimes(_ received: String, _ limit: String, _ due: String) throws {
        let l = try #require(TimeLimit(parsing: limit))
        #expect(Self.clock.due(received: Self.at(received), limit: l) == Self.at(due))
    }

    @Test(arguments: [
        ("2026-11-23 09:00", "3", "2026-11-25 16:00", Timeliness.early),
        ("2026-11-23 09:00", "3", "2026-11-26 08:00", .onTime),
        ("2026-11-23 09:00", "3", "2026-11-26 23:59", .onTime),
        ("2026-11-23 09:00", "3", "2026-11-27 08:00", .late),
        ("2026-11-23 15:00", "0,5", "2026-11-24 11:59", .onTime),
        ("2026-11-23 15:00", "0,5", "2026-11-24 12:01", .late),
        ("2026-11-23 15:00", "0,5", "2026-11-23 16:00", .early),
        ("2026-11-23 09:00", "0", "2026-11-23 16:00", .onTime),
        ("2026-11-23 09:00", "0", "2026-11-24 08:00", .late),
        ("2026-02-13 10:00", "1", "2026-02-21 09:00", .early),  // resolved on a Saturday during Tết week's weekend
    ])
    func timeliness(_ received: String, _ limit: String, _ resolved: String, _ expected: Timeliness) throws {
        let due = Self.clock.due(received: Self.at(received), limit: try #require(TimeLimit(parsing: limit)))
        #expect(Self.clock.timeliness(resolved: Self.at(resolved), due: due) == expected)
    }

    @Test(arguments: [
        ("2026-11-23 09:00", "2026-11-23 16:00", 0),
        ("2026-11-23 09:00", "2026-11-24 10:00", 1),
        ("2026-11-23 09:00", "2026-11-24 15:00", 2),
        ("2026-11-23 09:00", "2026-11-26 15:00", 6),
        ("2026-02-13 10:00", "2026-02-23 09:00", 1),  // Tết and weekends do not count
        ("2026-11-26 09:00", "2026-11-28 09:00", 2),  // resolved on Saturday: Friday counted whole
        ("2026-11-28 09:00", "2026-11-30 16:00", 0),  // received Saturday, resolved Monday: same receipt day
        ("2026-11-23 09:00", "2026-11-22 09:00", 0),  // before receipt (refused at import; never negative here)
    ])
    func processingTime(_ received: String, _ resolved: String, _ halfDays: Int) {
        #expect(Self.clock.processingHalfDays(received: Self.at(received), resolved: Self.at(resolved)) == halfDays)
    }

    @Test(arguments: [("15", 30), ("0,5", 1), ("0", 0), ("2.5", 5)] as [(String, Int)])
    func timeLimitsParse(_ raw: String, _ halfDays: Int) {
        #expect(TimeLimit(parsing: raw)?.halfDays == halfDays)
    }

    @Test(arguments: ["-1", "0,3", "1.25", "abc", "", "4000"])
    func badTimeLimits(_ raw: String) {
        #expect(TimeLimit(parsing: raw) == nil)
    }

    @Test func calendarProblems() {
        #expect(WorkingCalendar().problems.isEmpty)
        #expect(WorkingCalendar(weekend: [1, 2, 3, 4, 5, 6, 7]).problems == ["noWorkingDay"])
        #expect(WorkingCalendar(weekend: [0]).problems == ["weekday"])
        #expect(WorkingCalendar(holidays: [Self.d("2026-01-10")], workdays: [Self.d("2026-01-10")]).problems == ["both"])
    }

    /// The compiled running count agrees with counting day by day, inside its span and across its edges.
    @Test func compiledCountsMatchDayByDay() async {
        let compiled = CompiledCalendar(Self.calendar, fromYear: 2025, throughYear: 2027)
        let origin = Self.d("2024-12-01")
        await propertyCheck(input: Gen.int(in: 0...1_200), Gen.int(in: 0...400), Gen.int(in: 0...40)) { a, span, n in
            let from = origin.adding(days: a), to = from.adding(days: span)
            var naive = 0
            var day = from.adding(days: 1)
            while day <= to {
                if Self.calendar.isWorkingDay(day) { naive += 1 }
                day = day.adding(days: 1)
            }
            #expect(compiled.workingDays(after: from, through: to) == naive)
            let nth = compiled.nthWorkingDay(n, after: from)
            #expect(n == 0 ? nth == from : compiled.isWorkingDay(nth))
            #expect(compiled.workingDays(after: from, through: nth) == n)
        }
    }

    /// Later resolution never improves timeliness, and processing time never decreases.
    @Test func laterIsNeverBetter() async {
        let base = Self.at("2026-11-02 08:00")
        await propertyCheck(input: Gen.int(in: 0...5_000), Gen.int(in: 0...40), Gen.int(in: 0...2_000), Gen.int(in: 0...2_000)) { r, limit, x, y in
            let received = base + Int64(r) * 1_800
            let due = Self.clock.due(received: received, limit: TimeLimit(halfDays: limit))
            let first = received + Int64(min(x, y)) * 1_800, second = received + Int64(max(x, y)) * 1_800
            let rank: [Timeliness: Int] = [.early: 0, .onTime: 1, .late: 2]
            #expect(rank[Self.clock.timeliness(resolved: first, due: due)]! <= rank[Self.clock.timeliness(resolved: second, due: due)]!)
            #expect(Self.clock.processingHalfDays(received: received, resolved: first) <= Self.clock.processingHalfDays(received: received, resolved: second))
            // Within the limit's processing time means not late, and the due time itself is in time.
            #expect(Self.clock.timeliness(resolved: due, due: due) != .late)
        }
    }

    static func fact(_ t: Timeliness?, _ p: Int?, statutory: Int = 6, online: Bool = false, digitised: Bool = false, unsatisfied: Bool = false) -> DossierFacts {
        DossierFacts(
            online: online, resolved: t != nil, timeliness: t, processingHalfDays: p, statutoryHalfDays: statutory, internalHalfDays: 4,
            payable: true, paidOnline: online, digitised: digitised, rated: unsatisfied, unsatisfied: unsatisfied)
    }

    static let sample: [DossierFacts] = [
        fact(.early, 0, online: true, digitised: true), fact(.early, 2, digitised: true), fact(.onTime, 2, online: true),
        fact(.onTime, 2), fact(.onTime, 4, unsatisfied: true), fact(.late, 4), fact(.late, 10, online: true, digitised: true),
        fact(nil, nil), fact(nil, nil, online: true),
    ]

    @Test func indicatorsOfAKnownSample() {
        var t = DossierTally()
        for f in Self.sample { t.add(f) }
        let i = DossierIndicators(t)
        #expect(t.received == 9 && t.resolved == 7)
        #expect(i.onTimeRate == Points(parsing: "71.43"))  // 5 / 7
        #expect(i.overdueRate == Points(parsing: "28.57"))
        #expect(i.onlineRate == Points(parsing: "44.44"))  // 4 / 9
        #expect(i.onlinePaymentRate == Points(parsing: "44.44"))
        #expect(i.digitisationRate == Points(parsing: "33.33"))
        #expect(i.satisfactionRate == Points(parsing: "88.89"))  // (9 − 1) / 9
        #expect(i.averageDays == Points(parsing: "1.71"))  // 24 half-days / 7
        #expect(i.p90Days == Points(parsing: "5"))  // ⌈6.3⌉ = 7th of 0,2,2,2,4,4,10 half-days
        #expect(i.timeCut == Points(parsing: "42.86"))  // 1 − 24 / 42
        #expect(i.meetsTimeCut(target: Points(25)) == true)
        #expect(i.withinInternalRate == Points(parsing: "85.71"))  // 6 of 7 within 4 half-days
        #expect(DossierIndicators(DossierTally()).onTimeRate == nil)
    }

    /// Tallies are order-free sums, and taking a dossier out undoes putting it in.
    @Test func talliesAddAndSubtract() async {
        await propertyCheck(input: Gen.int(in: 0...(Self.sample.count - 1)).array(of: 0...30), Gen.int(in: 0...30)) { picks, cut in
            let facts = picks.map { Self.sample[$0] }
            var whole = DossierTally()
            for f in facts { whole.add(f) }
            var left = DossierTally(), right = DossierTally()
            for (i, f) in facts.enumerated() { if i < cut { left.add(f) } else { right.add(f) } }
            #expect(left + right == whole)
            #expect(right + left == whole)
            var undone = whole
            for f in facts.reversed() { undone.remove(f) }
            #expect(undone == DossierTally())
            // In place, and counts without the histogram (the per-unit rollup keeps none).
            var inPlace = left
            inPlace += right
            #expect(inPlace == whole)
            var counts = left
            counts.addCounts(right)
            var wholeCounts = whole
            wholeCounts.histogram = left.histogram
            #expect(counts == wholeCounts)
        }
    }
}

/// The synthetic dossiers are valid input, the same for the same seed, and plausible in their shares.
@Suite struct DossierGeneratorTests {
    static let generator = DossierGenerator(
        procedures: [
            .init(code: "1.000001.H99", statutory: TimeLimit(workingDays: 3), payable: true, online: .full),
            .init(code: "1.000002.H99", statutory: TimeLimit(halfDays: 1), payable: false, online: .partial),
            .init(code: "1.000003.H99", statutory: TimeLimit(workingDays: 20), payable: false, online: .none),
        ],
        units: ["XTP", "XTH"], clock: ProcedureTimingTests.clock)

    @Test func rowsPassTheInputCheckAndRepeat() {
        for i in 0..<2_000 {
            let d = Self.generator.dossier(i, year: 2026, seed: 9)
            #expect(d == Self.generator.dossier(i, year: 2026, seed: 9))
            let row = DossierGenerator.row(d)
            let parsed = DossierInput.check { key in DossierInput.fields.firstIndex(of: key).map { row[$0] } }
            #expect((try? parsed.get()) == d, "\(row)")
        }
    }

    @Test func sharesArePlausible() {
        var t = DossierTally()
        for i in 0..<5_000 {
            let d = Self.generator.dossier(i, year: 2026, seed: 3)
            let p = Self.generator.procedures.first { $0.code == d.procedureCode }!
            t.add(ProcedureTimingTests.clock.facts(
                channel: d.channel, received: d.received, resolved: d.resolved, result: d.result, statutory: p.statutory, internalLimit: nil,
                payable: p.payable, paidOnline: d.paidOnline, digitised: d.digitised, rated: d.rating != nil, unsatisfied: d.rating == .unsatisfied,
                complaint: d.complaint))
        }
        let i = DossierIndicators(t)
        #expect((Points(85)...Points(99)).contains(i.onTimeRate!), "\(i.onTimeRate!)")
        #expect((Points(20)...Points(70)).contains(i.onlineRate!))
        #expect((Points(70)...Points(86)).contains(i.digitisationRate!))
    }
}

/// A dossier file checked row by row before anything is stored (web upload).
@Suite struct DossierImportTests {
    static let header = ["Mã hồ sơ", "Mã thủ tục", "Mã đơn vị", "Kênh tiếp nhận", "Ngày tiếp nhận", "Ngày giải quyết", "Kết quả"]
    static let known = DossierImport.Known(dossierCodes: ["OLD-1"], procedureCodes: ["P1"], unitCodes: ["XA", "XB"])

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let row: [String]
        let issue: (column: String, key: String)?
        let keptAside: Bool
        let updates: Bool
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "clean, new", row: ["N-1", "P1", "XA", "trực tiếp", "02/03/2026 09:00", "05/03/2026 16:00", "giải quyết"], issue: nil, keptAside: false, updates: false),
        Case(name: "known code replaces", row: ["OLD-1", "P1", "XA", "online", "2026-03-02T09:00:00+07:00", "", ""], issue: nil, keptAside: false, updates: true),
        Case(name: "unknown procedure kept aside", row: ["N-2", "P9", "XA", "bưu chính", "2026-03-02 09:00", "", ""], issue: nil, keptAside: true, updates: false),
        Case(name: "unknown unit kept aside (province-wide right)", row: ["N-3", "P1", "XZ", "counter", "2026-03-02 09:00", "", ""], issue: nil, keptAside: true, updates: false),
        Case(name: "unit outside the uploader's units", row: ["N-4", "P1", "XB", "counter", "2026-03-02 09:00", "", ""], issue: ("unit_code", "problem.forbidden"), keptAside: false, updates: false),
        Case(name: "resolved before received", row: ["N-5", "P1", "XA", "counter", "2026-03-02 09:00", "2026-03-01 09:00", "approved"], issue: ("resolved_at", "problem.dateOrder"), keptAside: false, updates: false),
        Case(name: "unknown channel", row: ["N-6", "P1", "XA", "fax", "2026-03-02 09:00", "", ""], issue: ("channel", "problem.invalidValue"), keptAside: false, updates: false),
        Case(name: "a day is not an instant", row: ["N-7", "P1", "XA", "counter", "2026-03-02", "", ""], issue: ("received_at", "problem.invalidDate"), keptAside: false, updates: false),
        Case(name: "formula in the code", row: ["=cmd()", "P1", "XA", "counter", "2026-03-02 09:00", "", ""], issue: ("code", "problem.invalidCode"), keptAside: false, updates: false),
    ]

    @Test(arguments: cases) func eachRowIsJudgedAlone(c: Case) {
        let plan = DossierImport.plan(rows: [Self.header, c.row], known: Self.known) { $0 != "XB" }
        if let issue = c.issue {
            #expect(plan.drafts.isEmpty)
            #expect(plan.issues.contains { $0.row == 2 && $0.column == issue.column && $0.problemKey == issue.key }, "\(plan.issues)")
        } else {
            #expect(plan.issues.isEmpty, "\(plan.issues)")
            #expect(plan.drafts.first?.keptAside == c.keptAside)
            #expect(plan.drafts.first?.updatesExisting == c.updates)
        }
    }

    @Test func aCodeTwiceInTheFileIsRefusedAndTheFileIsNotCommittable() {
        let row = ["D-1", "P1", "XA", "counter", "2026-03-02 09:00", "", ""]
        let plan = DossierImport.plan(rows: [Self.header, row, ["", "", "", "", "", "", ""], row], known: Self.known) { _ in true }
        #expect(plan.issues == [RowIssue(row: 4, column: "code", problem: .duplicate(firstRow: 2))])
        #expect(!plan.isCommittable)
    }

    @Test func missingColumnsAndTooManyRowsStopTheRun() {
        #expect(DossierImport.plan(rows: [["Mã hồ sơ", "Mã thủ tục"]], known: Self.known) { _ in true }.missingColumns == ["unit_code", "channel", "received_at"])
        let row = ["D-1", "P1", "XA", "counter", "2026-03-02 09:00", "", ""]
        let plan = DossierImport.plan(rows: [Self.header] + Array(repeating: row, count: 4), known: Self.known, maxRows: 3) { _ in true }
        #expect(plan.issues.map(\.problemKey) == ["problem.tooLong"])
    }

    @Test func theCodesAFileNamesAreReadFirst() {
        let rows = [Self.header, ["A", "P1", "XA", "", "", "", ""], ["B", "P2", "XA", "", "", "", ""], [" a ", "P1", "XB", "", "", "", ""], ["<b>", "P1", "XB", "", "", "", ""]]
        let codes = DossierImport.codes(rows: rows)
        #expect(Set(codes.dossiers) == ["A", "B"])
        #expect(Set(codes.procedures) == ["P1", "P2"])
        #expect(Set(codes.units) == ["XA", "XB"])
    }
}

/// The five Decision 766 group scores: weights and rates as data, exact arithmetic, one rounding.
@Suite struct GroupScoreTests {
    static func tally(received: Int, resolved: Int, inTime: Int, online: Int, payable: Int, paid: Int, digitised: Int, unsatisfied: Int, complaints: Int) -> DossierIndicators {
        var t = DossierTally()
        t.received = received
        t.resolved = resolved
        t.early = inTime
        t.late = resolved - inTime
        t.online = online
        t.payable = payable
        t.paidOnline = paid
        t.digitised = digitised
        t.unsatisfied = unsatisfied
        t.complaints = complaints
        return DossierIndicators(t)
    }

    @Test func theDefaultWeightsScoreEachGroupFromTheShownRates() {
        // on time 95.00 %, online 55.00 %, online payment 37.50 %, digitised 75.00 %, satisfaction 97.00 %.
        let i = Self.tally(received: 200, resolved: 100, inTime: 95, online: 110, payable: 80, paid: 30, digitised: 150, unsatisfied: 4, complaints: 2)
        let s = GroupScoring.decision766.score(i)
        let byGroup = Dictionary(uniqueKeysWithValues: s.groups.map { ($0.group, $0.score) })
        #expect(byGroup[.transparency] == .some(nil))
        #expect(byGroup[.progress] == Points(parsing: "19"))
        #expect(byGroup[.onlineService] == Points(parsing: "10.18"))  // 22 × (27.5 + 18.75) / 100 = 10.175 → half away from zero
        #expect(byGroup[.digitisation] == Points(parsing: "16.5"))
        #expect(byGroup[.satisfaction] == Points(parsing: "17.46"))
        #expect(s.total == Points(parsing: "63.14"))
        #expect(s.covered == Points(82))
    }

    @Test func aGroupWithoutDataHasNoScoreNotZero() {
        let i = Self.tally(received: 10, resolved: 0, inTime: 0, online: 10, payable: 0, paid: 0, digitised: 10, unsatisfied: 0, complaints: 0)
        let s = GroupScoring.decision766.score(i)
        let byGroup = Dictionary(uniqueKeysWithValues: s.groups.map { ($0.group, $0.score) })
        #expect(byGroup[.progress] == .some(nil))  // nothing resolved
        #expect(byGroup[.onlineService] == .some(nil))  // nothing payable: one of its rates has no data
        #expect(byGroup[.digitisation] == Points(22))
        #expect(s.covered == Points(40))
    }

    struct SettingCase: Sendable, CustomTestStringConvertible {
        let name: String
        let change: @Sendable (inout GroupScoring) -> Void
        let problem: GroupScoring.Problem?
        var testDescription: String { name }
    }

    static let settingCases: [SettingCase] = [
        SettingCase(name: "the defaults", change: { _ in }, problem: nil),
        SettingCase(name: "weights not adding to 100", change: { $0.groups[0].points = Points(17) }, problem: .totalNot100(Points(99))),
        SettingCase(name: "shares not adding to 100", change: { $0.groups[2].shares[0].share = Points(60) }, problem: .sharesNot100(.onlineService, Points(110))),
        SettingCase(name: "a rate counted twice", change: { $0.groups[0].shares = [.init(.onTime, Points(100))] }, problem: .metricTwice(.onTime)),
        SettingCase(name: "a group left out", change: { $0.groups.removeFirst(); $0.groups[0].points = Points(38) }, problem: .groupMissing(.transparency)),
        SettingCase(name: "a negative weight", change: { $0.groups[0].points = Points(-2); $0.groups[1].points = Points(40) }, problem: .groupPoints(.transparency)),
    ]

    @Test(arguments: settingCases) func settingsAreChecked(c: SettingCase) {
        var g = GroupScoring.decision766
        c.change(&g)
        if let p = c.problem { #expect(g.problems.contains(p), "\(g.problems)") } else { #expect(g.problems.isEmpty) }
    }

    @Test func scoresStayWithinTheirPoints() async {
        await propertyCheck(input: Gen.int(in: 0...500), Gen.int(in: 0...500), Gen.int(in: 0...500), Gen.int(in: 0...500)) { a, b, c, d in
            let received = max(a, b, c, d)
            let i = Self.tally(received: received, resolved: b, inTime: min(b, c), online: a, payable: c, paid: min(c, d), digitised: d, unsatisfied: min(a, 3), complaints: 0)
            let s = GroupScoring.decision766.score(i)
            for g in s.groups { if let v = g.score { #expect(v >= .zero && v <= g.points) } }
            #expect(s.total <= s.covered)
        }
    }
}

/// The byte-level fast paths an import goes through give exactly what the general rules give (issue 6: the
/// import's speed must not change a single accepted value or a refusal).
@Suite struct FastPathTests {
    /// Pieces strings are built from: ASCII of every kind, white space, and Vietnamese letters (composed and not).
    static let pieces: [String] = [
        "a", "Z", "m", "0", "7", "9", "-", "_", ".", "/", ":", "+", "T", "t", "Z", "z", " ", "  ", "\t", "\n", "\r\n", "\u{0B}", "\u{00}",
        "\u{7F}", ",", "\"", "=", "đ", "Đ", "ễ", "e\u{0302}\u{0303}", "\u{00A0}", "ß", "ﬁ", "Ư", "\u{3000}",
    ]

    static func text(_ picks: [Int]) -> String { picks.map { pieces[$0] }.joined() }

    @Test func foldAndNormalizeAgreeWithTheGeneralRules() async {
        await propertyCheck(input: Gen.int(in: 0...(Self.pieces.count - 1)).array(of: 0...24)) { picks in
            let s = Self.text(picks)
            #expect(VietnameseText.fold(s) == VietnameseText.foldGeneral(s))
            #expect(VietnameseText.normalize(s) == VietnameseText.normalizeGeneral(s))
            #expect(s.trimmedWhitespace() == s.trimmingCharacters(in: .whitespaces))
        }
    }

    @Test func codesAgreeWithTheGeneralRule() async {
        await propertyCheck(input: Gen.int(in: 0...(Self.pieces.count - 1)).array(of: 0...40)) { picks in
            let s = Self.text(picks)
            #expect(FieldRules.code(s) == FieldRules.codeGeneral(s))
        }
    }

    @Test(arguments: ["xhl-c-260000000", "2.000528.000.00.00.H99", "-abc", "a", String(repeating: "A", count: 33), "a b", "_x"])
    func codeExamples(_ s: String) {
        #expect(FieldRules.code(s) == FieldRules.codeGeneral(s))
    }

    /// Instants: a valid one-stop timestamp with one or two characters replaced, cut or lengthened.
    @Test func instantsAgreeWithTheGeneralParser() async {
        let bases = [
            "2026-11-23T09:15:54+07:00", "2026-02-28 23:59:59", "2024-02-29T00:00:00Z", "2026-12-31T23:59:59-05:30", "1900-01-01T00:00:00+14:00",
        ]
        let alphabet = Array("0123456789+-:TZz .x/")
        await propertyCheck(input: Gen.int(in: 0...(bases.count - 1)), Gen.int(in: 0...30), Gen.int(in: 0...(alphabet.count - 1)), Gen.int(in: 0...(31 * alphabet.count - 1))) { b, i, c, je in
            let (j, e) = je.quotientAndRemainder(dividingBy: alphabet.count)
            var chars = Array(bases[b])
            if i < chars.count { chars[i] = alphabet[c] } else if i < 28 { chars.removeLast(min(chars.count, 30 - i)) } else { chars.append(alphabet[c]) }
            if j < chars.count, j % 3 == 0 { chars[j] = alphabet[e] }
            let s = String(chars)
            #expect(InstantText.parse(s) == InstantText.parseGeneral(s), "\(s)")
            if let fast = InstantText.parseCanonical(s) { #expect(fast == InstantText.parseGeneral(s), "\(s)") }
        }
    }

    @Test(arguments: [
        ("2026-11-23T09:15:54+07:00", true), ("2026-11-23T02:15:54Z", true), ("2026-11-23 09:15:54", true), ("2026-02-30T09:15:54", false),
        ("2026-11-23T24:00:00", false), ("2026-11-23T09:15:54+15:00", false), ("2026-11-23T09:15:54-03:30", true),
    ])
    func instantExamples(_ s: String, _ fastPath: Bool) {
        #expect((InstantText.parseCanonical(s) != nil) == fastPath)
        #expect(InstantText.parse(s) == InstantText.parseGeneral(s))
    }

    @Test func factsWrittenDirectlyReadBackWithJSONDecoder() async throws {
        await propertyCheck(input: Gen.int(in: 0...(1 << 12 - 1)), Gen.int(in: -1...400), Gen.int(in: -1...40)) { bits, hd, internalLimit in
            func bit(_ i: Int) -> Bool { bits & (1 << i) != 0 }
            let f = DossierFacts(
                online: bit(0), resolved: bit(1), withdrawn: bit(2), timeliness: [nil, .early, .onTime, .late][bits >> 10 & 3],
                processingHalfDays: hd < 0 ? nil : hd, statutoryHalfDays: hd + 7, internalHalfDays: internalLimit < 0 ? nil : internalLimit,
                payable: bit(3), paidOnline: bit(4), digitised: bit(5), rated: bit(6), unsatisfied: bit(7), complaint: bit(8))
            let decoded = try? JSONDecoder().decode(DossierFacts.self, from: Data(f.json.utf8))
            #expect(decoded == f)
            #expect(DossierFacts(json: f.json) == f)
        }
    }

    static let storedFacts = [
        #"{"online":true,"resolved":true,"withdrawn":false,"timeliness":"late","processingHalfDays":9,"statutoryHalfDays":6,"internalHalfDays":4,"payable":true,"paidOnline":false,"digitised":true,"rated":false,"unsatisfied":false,"complaint":false}"#,
        #"{"online":false,"resolved":false,"withdrawn":false,"statutoryHalfDays":6,"payable":false,"paidOnline":false,"digitised":false,"rated":false,"unsatisfied":false,"complaint":true}"#,
        #"{"complaint":false,"online":false,"resolved":false,"withdrawn":true,"timeliness":null,"statutoryHalfDays":0,"payable":false,"paidOnline":false,"digitised":false,"rated":false,"unsatisfied":false,"extra":[1]}"#,
        #"{"online":false,"resolved":false,"withdrawn":false,"payable":false,"paidOnline":false,"digitised":false,"rated":false,"unsatisfied":false,"complaint":false}"#,
        #"{"online":1,"resolved":false,"withdrawn":false,"statutoryHalfDays":6,"payable":false,"paidOnline":false,"digitised":false,"rated":false,"unsatisfied":false,"complaint":false}"#,
        #"{"online":false,"resolved":false,"withdrawn":false,"timeliness":"soon","statutoryHalfDays":6,"payable":false,"paidOnline":false,"digitised":false,"rated":false,"unsatisfied":false,"complaint":false}"#,
        #"{"online":false,"resolved":false,"withdrawn":false,"statutoryHalfDays":6.5,"payable":false,"paidOnline":false,"digitised":false,"rated":false,"unsatisfied":false,"complaint":false}"#,
        #"{"online":false,"resolved":false,"withdrawn":false,"processingHalfDays":"3","statutoryHalfDays":6,"payable":false,"paidOnline":false,"digitised":false,"rated":false,"unsatisfied":false,"complaint":false}"#,
        "[]", "", "{", "null",
    ]

    /// The reader of stored facts agrees with `JSONDecoder` on what it reads and on what it refuses.
    @Test(arguments: storedFacts) func storedFactsReadAsJSONDecoderReadsThem(_ json: String) {
        #expect(DossierFacts(json: json) == (try? JSONDecoder().decode(DossierFacts.self, from: Data(json.utf8))))
    }
}
