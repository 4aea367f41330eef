import Foundation
import Testing

@testable import ThiDuaCore

/// Eligibility rules as data and the council's arithmetic (issue 8), against realistic people and units.
@Suite struct EligibilityTests {
    static func d(_ s: String) -> CivilDate { CivilDate(parsing: s)! }
    static let day = d("2026-12-10")

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let rule: EligibilityRule
        let record: @Sendable () -> NomineeRecord
        let year: Int
        let status: RuleStatus
        let key: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "two years outstanding", rule: .consecutiveRatings(atLeast: .outstanding, years: 2, maternityCounts: true),
             record: { var r = NomineeRecord(); r.ratings = [2025: .outstanding, 2026: .outstanding]; return r }, year: 2026, status: .met, key: "elig.rating.met"),
        Case(name: "one year only good", rule: .consecutiveRatings(atLeast: .outstanding, years: 2, maternityCounts: true),
             record: { var r = NomineeRecord(); r.ratings = [2025: .good, 2026: .outstanding]; return r }, year: 2026, status: .notMet, key: "elig.rating.below"),
        Case(name: "a year on maternity leave counts, to confirm", rule: .consecutiveRatings(atLeast: .outstanding, years: 2, maternityCounts: true),
             record: { var r = NomineeRecord(); r.ratings = [2026: .outstanding]; r.maternityLeave = [.init(from: d("2025-02-01"), to: d("2025-07-31"))]; return r },
             year: 2026, status: .needsConfirmation, key: "elig.rating.maternity"),
        Case(name: "maternity leave not counted when the rule says so", rule: .consecutiveRatings(atLeast: .outstanding, years: 2, maternityCounts: false),
             record: { var r = NomineeRecord(); r.ratings = [2026: .outstanding]; r.maternityLeave = [.init(from: d("2025-02-01"), to: d("2025-07-31"))]; return r },
             year: 2026, status: .notMet, key: "elig.rating.missing"),
        Case(name: "three consecutive base-level titles", rule: .consecutiveTitles(award: "CSTDCS", years: 3),
             record: { var r = NomineeRecord(); r.titles = [.init(award: "CSTDCS", year: 2024), .init(award: "CSTDCS", year: 2025), .init(award: "CSTDCS", year: 2026)]; return r },
             year: 2026, status: .met, key: "elig.title.met"),
        Case(name: "a thematic award does not count", rule: .consecutiveTitles(award: "CSTDCS", years: 2),
             record: { var r = NomineeRecord(); r.titles = [.init(award: "CSTDCS", year: 2025, merit: false), .init(award: "CSTDCS", year: 2026)]; return r },
             year: 2026, status: .notMet, key: "elig.title.missing"),
        Case(name: "a merged unit carries its predecessor's titles", rule: .consecutiveTitles(award: "TTLDXS", years: 2),
             // The commune formed on 01/07/2025 from two old ones: the caller adds the predecessor's 2025 title.
             record: { var r = NomineeRecord(); r.titles = [.init(award: "TTLDXS", year: 2025), .init(award: "TTLDXS", year: 2026)]; return r },
             year: 2026, status: .met, key: "elig.title.met"),
        Case(name: "a province-level initiative within three years", rule: .initiatives(atLeast: .province, count: 1, withinYears: 3),
             record: { var r = NomineeRecord(); r.initiatives = [(.province, 2024), (.unit, 2026)]; return r }, year: 2026, status: .met, key: "elig.initiatives"),
        Case(name: "unit-level initiatives only", rule: .initiatives(atLeast: .province, count: 1, withinYears: 3),
             record: { var r = NomineeRecord(); r.initiatives = [(.unit, 2025), (.unit, 2026)]; return r }, year: 2026, status: .notMet, key: "elig.initiatives"),
        Case(name: "an old initiative is outside the window", rule: .initiatives(atLeast: .province, count: 1, withinYears: 3),
             record: { var r = NomineeRecord(); r.initiatives = [(.national, 2022)]; return r }, year: 2026, status: .notMet, key: "elig.initiatives"),
        Case(name: "a disciplinary period ending mid-year blocks that year", rule: .noDiscipline,
             record: { var r = NomineeRecord(); r.discipline = [.init(from: d("2026-01-15"), to: d("2026-07-14"))]; return r }, year: 2026, status: .notMet, key: "elig.discipline"),
        Case(name: "and not the next year", rule: .noDiscipline,
             record: { var r = NomineeRecord(); r.discipline = [.init(from: d("2026-01-15"), to: d("2026-07-14"))]; return r }, year: 2027, status: .met, key: "elig.noDiscipline"),
        Case(name: "an open inspection on the session day", rule: .noPendingCase(kinds: [.inspection, .investigation, .complaint]),
             record: { var r = NomineeRecord(); r.pendingCases = [(.inspection, .init(from: d("2026-10-01"), to: nil))]; return r }, year: 2026, status: .notMet, key: "elig.pending"),
        Case(name: "a complaint closed before the session", rule: .noPendingCase(kinds: [.complaint]),
             record: { var r = NomineeRecord(); r.pendingCases = [(.complaint, .init(from: d("2026-03-01"), to: d("2026-06-30")))]; return r }, year: 2026, status: .met, key: "elig.noPending"),
        Case(name: "unit band Khá is enough (typed without diacritics)", rule: .unitBand(bands: ["Xuất sắc", "Tốt", "kha"]),
             record: { var r = NomineeRecord(); r.unitBands = [2026: "Khá"]; return r }, year: 2026, status: .met, key: "elig.band"),
        Case(name: "unit band Trung bình is not", rule: .unitBand(bands: ["Xuất sắc", "Tốt", "Khá"]),
             record: { var r = NomineeRecord(); r.unitBands = [2026: "Trung bình"]; return r }, year: 2026, status: .notMet, key: "elig.band"),
        Case(name: "no index published yet: to confirm", rule: .unitBand(bands: ["Khá"]), record: { NomineeRecord() }, year: 2026, status: .needsConfirmation,
             key: "elig.band.missing"),
        Case(name: "a manual check", rule: .manual("Có tờ trình của đơn vị"), record: { NomineeRecord() }, year: 2026, status: .needsConfirmation, key: "elig.manual"),
    ]

    @Test(arguments: cases) func eachRule(c: Case) {
        let r = Eligibility.evaluate(c.rule, c.record(), year: c.year, referenceDay: Self.day)
        #expect(r.status == c.status)
        #expect(r.key == c.key)
    }

    @Test func rulesAreDataThatRoundTrip() throws {
        let rules: [EligibilityRule] = [
            .consecutiveRatings(atLeast: .outstanding, years: 2, maternityCounts: true), .initiatives(atLeast: .province, count: 1, withinYears: 3),
            .unitBand(bands: ["Khá"]), .noDiscipline, .noPendingCase(kinds: [.complaint]), .manual("x"), .consecutiveTitles(award: "CSTDCS", years: 3),
        ]
        let json = try JSONEncoder().encode(rules)
        #expect(try JSONDecoder().decode([EligibilityRule].self, from: json) == rules)
    }

    @Test func theOverallVerdict() {
        let met = RuleResult(status: .met, key: "", arguments: []), confirm = RuleResult(status: .needsConfirmation, key: "", arguments: [])
        let not = RuleResult(status: .notMet, key: "", arguments: [])
        #expect(Eligibility.overall([met, met]) == .met)
        #expect(Eligibility.overall([met, confirm]) == .needsConfirmation)
        #expect(Eligibility.overall([confirm, not]) == .notMet)
    }

    @Test(arguments: [
        // members, recused, present, yes, quorum, threshold, of all members → quorum, passed, needed
        (9, 0, 6, 7, "2/3", "70%", true, true, true, 7),
        (9, 0, 6, 6, "2/3", "70%", true, true, false, 7),
        (9, 0, 5, 5, "2/3", "70%", true, false, false, 7),
        (9, 1, 6, 6, "2/3", "70%", true, true, true, 6),  // 8 may vote: 70 % of 8 = 5.6 → 6
        (9, 1, 8, 7, "2/3", "90%", true, true, false, 8),  // 90 % of 8 = 7.2 → 8
        (9, 0, 6, 5, "2/3", "70%", false, true, true, 5),  // of those present: 70 % of 6 = 4.2 → 5
        (10, 0, 7, 7, "2/3", "70%", true, true, true, 7),
        (3, 3, 0, 0, "2/3", "70%", true, true, false, 0),  // everyone recused: nothing can pass
    ] as [(Int, Int, Int, Int, String, String, Bool, Bool, Bool, Int)])
    func councilArithmetic(members: Int, recused: Int, present: Int, yes: Int, quorum: String, threshold: String, all: Bool, quorumMet: Bool, passed: Bool, needed: Int) throws {
        let o = CouncilArithmetic.outcome(
            members: members, recused: recused, present: present, yes: yes, quorum: try #require(Fraction(parsing: quorum)),
            threshold: try #require(Fraction(parsing: threshold)), ofAllMembers: all)
        #expect(o == VoteOutcome(quorum: quorumMet, passed: passed, needed: needed))
    }

    @Test func fractionsAreReadAsTyped() {
        #expect(Fraction(parsing: "2/3") == Fraction(2, 3))
        #expect(Fraction(parsing: "70 %") == Fraction(700_000, 1_000_000))
        #expect(Fraction(parsing: "90,5%") == Fraction(905_000, 1_000_000))
        #expect(Fraction(parsing: "4/3") == nil && Fraction(parsing: "abc") == nil && Fraction(parsing: "1/0") == nil && Fraction(parsing: "120%") == nil)
    }
}

/// The award registry's import: one achievement, one award; the holder as the award's subject says.
@Suite struct AwardRegistryImportTests {
    static let header = ["Mã danh hiệu", "Năm", "Mã cán bộ", "Mã đơn vị", "Số quyết định", "Ngày quyết định", "Tính thành tích"]
    static let known = AwardRegistryImport.Known(
        awards: ["CSTDCS": .individual, "TTLDXS": .collective], personCodes: ["CB1", "CB2"], unitCodes: ["SNV", "XTP"],
        stored: [AwardRegistryImport.key(award: "CSTDCS", personCode: "CB2", unitCode: nil, year: 2024)])

    @Test(arguments: [
        (["CSTDCS", "2025", "cb1", "", "12/QĐ-SNV", "20/12/2025", ""], nil),
        (["TTLDXS", "2025", "", "XTP", "45/QĐ-UBND", "15/01/2026", "1"], nil),
        (["CSTDCS", "2025", "", "SNV", "12/QĐ-SNV", "20/12/2025", ""], "person_code"),
        (["KHONGCO", "2025", "CB1", "", "12/QĐ-SNV", "20/12/2025", ""], "award_code"),
        (["CSTDCS", "2031", "CB1", "", "12/QĐ-SNV", "20/12/2031", ""], "year"),
        (["CSTDCS", "2025", "CB9", "", "12/QĐ-SNV", "20/12/2025", ""], "person_code"),
        (["CSTDCS", "2025", "CB1", "", "", "20/12/2025", ""], "decision_number"),
        (["CSTDCS", "2025", "CB1", "", "12/QĐ-SNV", "20/12/2024", ""], "decision_date"),
        (["CSTDCS", "2024", "CB2", "", "12/QĐ-SNV", "20/12/2024", ""], "award_code"),
        (["CSTDCS", "2025", "CB1", "", "=1+1", "20/12/2025", ""], "decision_number"),
        (["CSTDCS", "2025", "CB1", "", "12/QĐ-SNV", "20/12/2025", "có lẽ"], "merit"),
    ] as [([String], String?)])
    func eachRow(row: [String], problem: String?) {
        let plan = AwardRegistryImport.plan(rows: [Self.header, row], known: Self.known, thisYear: 2026)
        if let problem {
            #expect(plan.drafts.isEmpty)
            #expect(plan.issues.contains { $0.column == problem }, "\(plan.issues)")
        } else {
            #expect(plan.issues.isEmpty, "\(plan.issues)")
            #expect(plan.drafts.count == 1)
        }
    }

    @Test func oneAchievementOneAward() {
        let row = ["CSTDCS", "2025", "CB1", "", "12/QĐ-SNV", "20/12/2025", ""]
        let plan = AwardRegistryImport.plan(rows: [Self.header, row, row], known: Self.known, thisYear: 2026)
        #expect(plan.issues == [RowIssue(row: 3, column: "award_code", problem: .duplicate(firstRow: 2))])
        let thematic = AwardRegistryImport.plan(rows: [Self.header, ["CSTDCS", "2025", "CB1", "", "1/QĐ", "01/01/2026", "chuyên đề"]], known: Self.known, thisYear: 2026)
        #expect(thematic.drafts.first?.merit == false)
    }
}
