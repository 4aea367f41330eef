import Foundation
import PropertyBased
import Testing

@testable import ThiDuaCore

/// Emulation scoring by a movement's criteria (issue 8): entered points, data sources scaled to the maximum, deductions,
/// exact decimal arithmetic and ranks.
@Suite struct EmulationScoringTests {
    static func p(_ s: String) -> Points { Points(parsing: s)! }

    static let scheme = EmulationScheme(criteria: [
        EmulationCriterion(code: "PAR", name: "Chỉ số CCHC", max: Points(40), source: .parPercent),
        EmulationCriterion(code: "XL", name: "Xếp loại", max: Points(10), source: .parBand(["Xuất sắc": Points(10), "Tốt": Points(8), "Khá": Points(5)])),
        EmulationCriterion(code: "NV", name: "Nhiệm vụ đúng hạn", max: Points(20), source: .metric(.taskOnTimeRate)),
        EmulationCriterion(code: "SK", name: "Sáng kiến", max: Points(10), source: .initiatives(each: Points(4))),
        EmulationCriterion(code: "PT", name: "Tổ chức phong trào", max: Points(10), source: .manual),
    ])

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let input: EmulationInput
        let lines: [String?]
        let total: String
        var testDescription: String { name }
    }

    static func input(par: String? = nil, band: String? = nil, tasks: String? = nil, initiatives: Int = 0, entered: String? = nil, deductions: [String] = [])
        -> EmulationInput
    {
        var i = EmulationInput()
        i.parPercent = par.map(p)
        i.parBand = band
        if let tasks { i.metrics[.taskOnTimeRate] = p(tasks) }
        i.initiatives = initiatives
        if let entered { i.entered["PT"] = p(entered) }
        i.deductions = deductions.map(p)
        return i
    }

    static let cases: [Case] = [
        Case(name: "a strong department", input: input(par: "91.37", band: "Xuất sắc", tasks: "96.5", initiatives: 2, entered: "9.5"),
             // 40 × 91.37 % = 36.548 → 36.55; 20 × 96.5 % = 19.3; 2 × 4 = 8.
             lines: ["36.55", "10", "19.3", "8", "9.5"], total: "83.35"),
        Case(name: "band without diacritics, capped initiatives, a deduction", input: input(par: "80", band: "tot", tasks: "100", initiatives: 5, entered: "10", deductions: ["2.5", "1"]),
             lines: ["32", "8", "20", "10", "10"], total: "76.5"),
        Case(name: "no data yet: nothing invented", input: input(), lines: [nil, nil, nil, "0", nil], total: "0"),
        Case(name: "deductions never take the total below zero", input: input(par: "10", deductions: ["50"]), lines: ["4", nil, nil, "0", nil], total: "0"),
        Case(name: "half away from zero, once", input: input(par: "33.3375", band: "Trung bình"), lines: ["13.34", "0", nil, "0", nil], total: "13.34"),
        Case(name: "rates above 100 % are capped", input: input(par: "104", tasks: "120"), lines: ["40", nil, "20", "0", nil], total: "60"),
    ]

    @Test(arguments: cases)
    func scores(_ c: Case) {
        let s = EmulationScoring.score(Self.scheme, c.input)
        #expect(s.lines.map { $0.points.map { $0.plain(places: 2) } } == c.lines.map { $0.map { Self.p($0).plain(places: 2) } })
        #expect(s.total == Self.p(c.total))
    }

    @Test func everyNumberSaysWhereItCameFrom() {
        let s = EmulationScoring.score(Self.scheme, Self.input(par: "91.37", band: "Xuất sắc", tasks: "96.5", initiatives: 2))
        #expect(s.lines.map(\.sourceKey) == ["emulation.src.par", "emulation.src.band", "emulation.src.metric", "emulation.src.initiatives", "emulation.src.notEntered"])
        #expect(s.lines[0].arguments == ["91.37"] && s.lines[2].arguments == ["task_on_time_rate", "96.50"])
    }

    /// Property: each line stays within [0, max] and the total is the lines' sum less deductions, never negative.
    @Test func linesStayWithinTheirMaximum() async {
        await propertyCheck(input: Gen.int(in: 0...15_000).array(of: 5)) { raw in
            let (par, tasks, ini, entered, ded) = (raw[0], raw[1], raw[2] % 11, raw[3] % 1_501, raw[4] % 3_001)
            var i = EmulationInput()
            i.parPercent = Points(e4: Int64(par) * 100)
            i.metrics[.taskOnTimeRate] = Points(e4: Int64(tasks) * 100)
            i.initiatives = ini
            i.entered["PT"] = Points(e4: Int64(entered) * 100)
            i.deductions = [Points(e4: Int64(ded) * 100)]
            let s = EmulationScoring.score(Self.scheme, i)
            for (line, c) in zip(s.lines, Self.scheme.criteria) {
                if let v = line.points { #expect(v >= .zero && v <= c.max && v.rounded(places: 2) == v) }
            }
            let sum = s.lines.reduce(Points.zero) { $0 + ($1.points ?? .zero) }
            #expect(s.total == Points.max(.zero, sum - s.deducted))
        }
    }

    @Test func equalTotalsShareARank() {
        #expect(EmulationScoring.ranks([Points(90), Points(85), Points(85), Points(70)]) == [1, 2, 2, 4])
        #expect(EmulationScoring.ranks([]) == [])
    }

    @Test func theSchemeIsCheckedBeforeUse() {
        #expect(EmulationScheme.starting.problems.isEmpty && EmulationScheme.starting.total == Points(100))
        var s = EmulationScheme.starting
        s.criteria.append(s.criteria[0])
        s.criteria[1].max = .zero
        s.criteria[3].source = .initiatives(each: Points(50))
        #expect(s.problems == [.badMax("NV"), .badSource("SK"), .duplicateCode("PAR")])
        #expect(EmulationScheme(criteria: []).problems == [.empty])
    }
}
