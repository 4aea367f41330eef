import Foundation
import PropertyBased
import Testing

@testable import ThiDuaCore

/// Initiatives (issue 7): authors' shares, conflicts of interest, what each phase allows, the rubric and the
/// panel's statistics.
@Suite struct InitiativeRulesTests {
    static let p1 = UUID(), p2 = UUID(), unit = UUID(), office = UUID(), other = UUID()

    @Test(arguments: [
        ([("60", true), ("40", false)], [AuthorProblem]()),
        ([("60", true), ("30", false)], [.sharesNot100(Points(90))]),
        ([("100.5", true)], [.badShare(row: 1), .sharesNot100(Points(parsing: "100.5")!)]),
        ([("0", true), ("100", false)], [.badShare(row: 1)]),
        ([("33,335", true), ("66,665", false)], [.badShare(row: 1), .badShare(row: 2)]),
        ([("33.33", true), ("33.33", false), ("33.34", false)], []),
    ] as [([(String, Bool)], [AuthorProblem])])
    func sharesAddUpToExactly100(rows: [(String, Bool)], expected: [AuthorProblem]) {
        let authors = rows.enumerated().map { i, r in
            AuthorShare(personID: r.1 ? UUID() : nil, name: "Tác giả \(i)", share: Points(typed: r.0)!)
        }
        #expect(AuthorShares.problems(authors) == expected)
    }

    @Test func theSamePersonTwiceAndNoAuthorAreRefused() {
        let a = AuthorShare(personID: Self.p1, name: "Nguyễn Văn A", share: Points(50))
        #expect(AuthorShares.problems([a, a]) == [.samePersonTwice(row: 2)])
        #expect(AuthorShares.problems([]) == [AuthorProblem.none])
        #expect(AuthorShares.problems([AuthorShare(personID: nil, name: " ", share: Points(100))]) == [.missingName(row: 1)])
    }

    @Test func conflictsOfInterest() {
        let authors = [AuthorShare(personID: Self.p1, name: "A", share: Points(100))]
        #expect(ConflictOfInterest.check(reviewerPersonID: Self.p1, reviewerUnits: [Self.other], authors: authors, initiativeUnit: Self.unit) == .author)
        #expect(ConflictOfInterest.check(reviewerPersonID: Self.p2, reviewerUnits: [Self.unit], authors: authors, initiativeUnit: Self.unit) == .sameUnit)
        // A reviewer in an office inside the initiative's unit has the same conflict.
        #expect(ConflictOfInterest.check(reviewerPersonID: Self.p2, reviewerUnits: [Self.office], authors: authors, initiativeUnit: Self.unit,
                                         initiativeSubUnits: [Self.office]) == .sameUnit)
        #expect(ConflictOfInterest.check(reviewerPersonID: Self.p2, reviewerUnits: [Self.other], authors: authors, initiativeUnit: Self.unit) == nil)
        #expect(ConflictOfInterest.check(reviewerPersonID: nil, reviewerUnits: [], authors: authors, initiativeUnit: Self.unit) == nil)
    }

    /// The phase × status matrix, whole: every cell that allows a step, and nothing else.
    @Test func phasesGovernEachStep() {
        let allowed: Set<String> = [
            "edit/submission/draft", "submit/submission/draft",
            "withdraw/submission/submitted", "withdraw/review/submitted",
            "assignReviewer/submission/submitted", "assignReviewer/review/submitted",
            "score/review/submitted",
            "decide/decision/submitted",
        ]
        for step in InitiativeStep.allCases {
            for phase in ReviewPhase.allCases {
                for status in InitiativeStatus.allCases {
                    let key = "\(step.rawValue)/\(phase.rawValue)/\(status.rawValue)"
                    let got = InitiativePhasePolicy.allows(step, phase: phase, status: status)
                    switch step {
                    case .seeAllScores: #expect(got == (phase == .decision || phase == .closed || status.isDecided), "\(key)")
                    case .adopt: #expect(got == (status == .recognised), "\(key)")
                    default: #expect(got == allowed.contains(key), "\(key)")
                    }
                }
            }
        }
    }

    @Test func rubricChecksEveryScore() {
        let r = Rubric.standard
        #expect(r.problems.isEmpty)
        #expect(r.maxTotal == Points(100))
        let full = ["novelty": Points(30), "applicability": Points(20), "effectiveness": Points(parsing: "27.5")!, "replicability": Points(10)]
        #expect(r.check(full).isEmpty)
        #expect(r.total(full) == Points(parsing: "87.5"))
        var over = full
        over["novelty"] = Points(31)
        #expect(r.check(over) == ["novelty"])
        var missing = full
        missing["replicability"] = nil
        #expect(r.check(missing) == ["replicability"])
        var extra = full
        extra["beauty"] = Points(1)
        #expect(r.check(extra) == ["beauty"])
        var fine = full
        fine["applicability"] = Points(parsing: "20.125")
        #expect(r.check(fine) == ["applicability"])
    }

    @Test func rubricLinesAreReadAndChecked() throws {
        let r = try Rubric.parse("novelty | Tính mới | 40\n\nimpact | Hiệu quả | 60\r\n", disagreement: Points(15)).get()
        #expect(r.criteria.map(\.code) == ["novelty", "impact"])
        #expect(r.maxTotal == Points(100) && r.problems.isEmpty)
        #expect(Rubric.parse("a | b\nc | d | x", disagreement: Points(10)) == .failure(.init(lines: [1, 2])))
        let bad = try Rubric.parse("x | Một | 50\nx | Hai | 0", disagreement: Points(90)).get()
        #expect(bad.problems == [.duplicateCode("x"), .badMax("x"), .badThreshold])
    }

    @Test(arguments: [
        (["80"], "80", "80", "0", "0", false),
        (["60", "80"], "70", "70", "10", "20", true),
        (["70", "75", "90"], "78.33", "75", "8.5", "20", true),
        (["70", "71", "72", "90"], "75.75", "71.5", "8.26", "20", true),
        (["88.5", "90", "91.25"], "89.92", "90", "1.12", "2.75", false),
    ] as [([String], String, String, String, String, Bool)])
    func panelStatistics(values: [String], mean: String, median: String, sd: String, range: String, flag: Bool) throws {
        let s = try #require(PanelStatistics(values.map { Points(typed: $0)! }, disagreementPoints: Points(20)))
        #expect(s.mean == Points(typed: mean))
        #expect(s.median == Points(typed: median))
        #expect(s.standardDeviation == Points(typed: sd), "\(s.standardDeviation)")
        #expect(s.range == Points(typed: range))
        #expect(s.disagreement == flag)
    }

    /// σ agrees with a floating-point computation to the hundredth (away from rounding ties) and lies within the range.
    @Test func standardDeviationMatchesFloatingPoint() async {
        await propertyCheck(input: Gen.int(in: 0...10_000).array(of: 1...12)) { raw in
            let values = raw.map { Points(e4: Int64($0) * 100) }
            guard let s = PanelStatistics(values, disagreementPoints: Points(20)) else { return }
            let xs = raw.map { Double($0) / 100 }
            let m = xs.reduce(0, +) / Double(xs.count)
            let sd = (xs.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(xs.count)).squareRoot()
            let got = Double(s.standardDeviation.e4) / 10_000
            #expect(abs(got - sd) <= 0.005 + 1e-9, "\(raw): \(got) vs \(sd)")
            #expect(s.standardDeviation <= s.range)
            #expect(s.mean >= values.min()! && s.mean <= values.max()!)
        }
    }

    @Test func spreadAndStalling() {
        let own = Benefits(hoursSaved: 100, costSaved: 1_000_000, dossiers: 500)
        let d = CivilDate(parsing: "2026-01-10")!
        let s = Spread(own: own, adoptions: [Benefits(hoursSaved: 20, costSaved: 0, dossiers: 100)], decidedOn: d, today: CivilDate(parsing: "2026-11-30")!)
        #expect(s.adopters == 1 && s.combined == Benefits(hoursSaved: 120, costSaved: 1_000_000, dossiers: 600) && !s.stalled)
        #expect(Spread(own: own, adoptions: [], decidedOn: d, today: CivilDate(parsing: "2026-11-30")!).stalled)
        #expect(!Spread(own: own, adoptions: [], decidedOn: d, today: CivilDate(parsing: "2026-03-01")!).stalled)
        #expect(Benefits.parse("1.200.000") == 1_200_000)
        #expect(Benefits.parse("-5") == nil && Benefits.parse("9999999999999") == nil && Benefits.parse("") == 0)
    }

    @Test func librarySearchIgnoresDiacriticsAndCase() {
        let fields = ["Phần mềm Một cửa điện tử liên thông", "Giảm thời gian trả kết quả"]
        #expect(LibrarySearch.matches("mot cua", in: fields))
        #expect(LibrarySearch.matches("MỘT CỬA  thời gian", in: fields))
        #expect(!LibrarySearch.matches("một cửa đất đai", in: fields))
        #expect(LibrarySearch.matches("", in: fields))
    }
}
