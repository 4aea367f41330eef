import Foundation
import PropertyBased
import Testing

@testable import ThiDuaCore

func p(_ s: String) -> Points { Points(parsing: s)! }

/// A small framework: two areas of 10 points each, a bonus bucket capped at 2, a penalty bucket capped at 3.
let smallSpec = FrameworkSpec(
    code: "T-2026", name: "Thử nghiệm 2026", year: 2026, unitKind: "department", places: 2, total: p("20"),
    criteria: [
        CriterionSpec(code: "1", parent: nil, title: "Chỉ đạo, điều hành", max: p("10")),
        CriterionSpec(code: "1.1", parent: "1", title: "Kế hoạch", max: p("2"), method: .binary),
        CriterionSpec(code: "1.2", parent: "1", title: "Hoàn thành nhiệm vụ", max: p("3"),
                      method: .tiers([Tier(min: p("100"), points: p("3")), Tier(min: p("90"), points: p("2")), Tier(min: p("80"), points: p("1"))])),
        CriterionSpec(code: "1.3", parent: "1", title: "Rà soát văn bản", max: p("2"), method: .proportional(target: p("12"))),
        CriterionSpec(code: "1.4", parent: "1", title: "Tự chấm", max: p("3"), method: .manual),
        CriterionSpec(code: "2", parent: nil, title: "Thủ tục hành chính", max: p("10")),
        CriterionSpec(code: "2.1", parent: "2", title: "Vi phạm", max: p("2"), method: .deduction(perEvent: p("0.5"), floor: p("0"))),
        CriterionSpec(code: "2.2", parent: "2", title: "Khảo sát", max: p("5"), method: .survey(weights: ScoringMethod.defaultSurveyWeights)),
        CriterionSpec(code: "2.3", parent: "2", title: "Hồ sơ đúng hạn", max: p("3"), method: .metric(.dossierOnTimeRate, .proportional(target: p("100")))),
        CriterionSpec(code: "T", parent: nil, title: "Điểm thưởng", max: p("2"), kind: .bonus),
        CriterionSpec(code: "T.1", parent: "T", title: "Sáng kiến", max: p("1.5"), method: .manual),
        CriterionSpec(code: "T.2", parent: "T", title: "Giải thưởng", max: p("1"), method: .binary),
        CriterionSpec(code: "TR", parent: nil, title: "Điểm trừ", max: p("3"), kind: .penalty),
        CriterionSpec(code: "TR.1", parent: "TR", title: "Chậm báo cáo", max: p("3"), method: .manual),
    ])

@Suite struct ParIndexTests {
    let fw = try! CompiledFramework.compile(smallSpec).get()
    func leaf(_ code: String) -> Int { fw.leafIndex[code]! }

    @Test(arguments: [
        ("1.1", LeafInput.done(true), "2"), ("1.1", .done(false), "0"),
        ("1.2", .value(p("100")), "3"), ("1.2", .value(p("99.99")), "2"), ("1.2", .value(p("90")), "2"), ("1.2", .value(p("80")), "1"),
        ("1.2", .value(p("79.99")), "0"), ("1.2", .value(p("120")), "3"),
        ("1.3", .value(p("6")), "1"), ("1.3", .value(p("7")), "1.17"), ("1.3", .value(p("12")), "2"), ("1.3", .value(p("30")), "2"),
        ("1.4", .points(p("2.345")), "2.35"), ("1.4", .points(p("2.344")), "2.34"), ("1.4", .points(p("3")), "3"),
        ("2.1", .events(0), "2"), ("2.1", .events(3), "0.5"), ("2.1", .events(9), "0"),
        ("2.2", .answers([10, 0, 0, 0]), "5"), ("2.2", .answers([0, 10, 0, 0]), "3"), ("2.2", .answers([5, 3, 1, 1]), "3.5"),
        ("2.2", .answers([1, 1, 1]), "0"), ("2.2", .answers([0, 0, 0, 0]), "0"),
        ("2.3", .value(p("87.5")), "2.63"),
    ])
    func everyScoringMethod(code: String, input: LeafInput, expected: String) {
        #expect(fw.leafPoints(leaf(code), input: input, metrics: [:]) == p(expected))
    }

    @Test func metricsComeFromOtherModulesWhenNotEntered() {
        #expect(fw.leafPoints(leaf("2.3"), input: nil, metrics: [.dossierOnTimeRate: p("95")]) == p("2.85"))
        #expect(fw.leafPoints(leaf("2.3"), input: nil, metrics: [:]) == .zero)
        #expect(fw.leafPoints(leaf("2.1"), input: nil, metrics: [:]) == p("2"))
    }

    @Test func inputsAreValidatedAgainstTheMethod() {
        #expect(fw.validate(.points(p("3.01")), leaf: leaf("1.4")) == .outOfRange(min: .zero, max: p("3")))
        #expect(fw.validate(.points(p("-1")), leaf: leaf("1.4")) == .outOfRange(min: .zero, max: p("3")))
        #expect(fw.validate(.done(true), leaf: leaf("1.4")) == .wrongKind)
        #expect(fw.validate(.events(-1), leaf: leaf("2.1")) == .negative)
        #expect(fw.validate(.answers([1, 2]), leaf: leaf("2.2")) == .negative)
        #expect(fw.validate(.notApplicable, leaf: leaf("1.4")) == nil)
    }

    @Test func totalsBucketsAndNotApplicable() {
        var inputs = [LeafInput?](repeating: nil, count: fw.leaves.count)
        inputs[leaf("1.1")] = .done(true)
        inputs[leaf("1.2")] = .value(p("95"))
        inputs[leaf("1.3")] = .notApplicable
        inputs[leaf("1.4")] = .points(p("2.5"))
        inputs[leaf("2.1")] = .events(1)
        inputs[leaf("2.2")] = .answers([5, 3, 1, 1])
        inputs[leaf("T.1")] = .points(p("1.5"))
        inputs[leaf("T.2")] = .done(true)
        inputs[leaf("TR.1")] = .points(p("0.75"))
        let r = fw.score(inputs, metrics: [.dossierOnTimeRate: p("100")])
        #expect(r.total == p("14.5"))  // 2 + 2 + 2.5 + 1.5 + 3.5 + 3
        #expect(r.applicableMax == p("18"))
        #expect(r.bonus == p("2"))  // 2.5 capped at 2
        #expect(r.penalty == p("0.75"))
        #expect(r.final == p("15.75"))
        #expect(r.percent == p("87.5"))  // 15.75 / 18
        #expect(r.survey == p("3.5"))
        #expect(r.areaMax == [p("8"), p("10"), p("2"), p("3")])
    }

    /// Published example: Thanh Hóa 2023 ranked a unit with 68.32 points of an applicable 84 at 81.33 %.
    @Test func percentOfTheApplicableMaximum() {
        #expect(Points.percent(p("68.32"), of: p("84"), places: 2) == p("81.33"))
        #expect(Points.percent(p("97.685"), of: p("100"), places: 3) == p("97.685"))
        #expect(Points.percent(p("2"), of: p("3"), places: 2) == p("66.67"))
        #expect(Points.percent(p("1"), of: .zero, places: 2) == .zero)
    }

    @Test func halfAwayFromZeroAtTheLeaf() {
        #expect(p("2.345").rounded(places: 2) == p("2.35"))
        #expect(p("2.3449").rounded(places: 2) == p("2.34"))
        #expect(p("-2.345").rounded(places: 2) == p("-2.35"))
        #expect(p("97.6855").rounded(places: 3) == p("97.686"))
        #expect(Points(parsing: "1.23456") == nil)
        #expect(Points(typed: "8,5") == p("8.5"))
        #expect(Points(typed: "97,685") == p("97.685"))
        #expect(Points(parsing: "8,5") == nil)
    }

    @Test(arguments: [
        ([90, 85, 85, 70], [1, 2, 2, 4]), ([50, 50, 50], [1, 1, 1]), ([10, 20, 30], [3, 2, 1]), ([], []),
    ])
    func equalScoresShareARank(scores: [Int], ranks: [Int]) {
        let ps = scores.map { Points($0) }
        #expect(Ranking.ranks(percent: ps, final: ps, tieBreak: .none) == ranks)
    }

    @Test func tieBreakByPoints() {
        let percent = [p("85"), p("85"), p("90")]
        let final = [p("80"), p("84"), p("90")]
        #expect(Ranking.ranks(percent: percent, final: final, tieBreak: .points) == [3, 2, 1])
        #expect(Ranking.ranks(percent: percent, final: final, tieBreak: .none) == [2, 2, 1])
    }

    @Test func bandsAndTheirSummary() {
        #expect(fw.band(for: p("90")) == 0)
        #expect(fw.band(for: p("89.99")) == 1)
        #expect(fw.band(for: p("70")) == 2)
        #expect(fw.band(for: p("0")) == 3)
        let summary = BandSummary.summarise(bands: smallSpec.bands, assigned: [0, 1, 1, 2, 3, 3])
        #expect(summary.map(\.count) == [1, 2, 1, 2])
        #expect(summary.map(\.share) == [p("16.67"), p("33.33"), p("16.67"), p("33.33")])
    }

    // Properties

    static let inputGen = Gen.int(in: 0...10_000).array(of: 9)

    @Test func aTotalIsTheSumOfItsLeaves() async {
        let fw = self.fw
        await propertyCheck(input: Self.inputGen) { raw in
            let inputs: [LeafInput?] = [
                .done(raw[0] % 2 == 0), .value(Points(e4: Int64(raw[1]) * 150)), .value(Points(e4: Int64(raw[2]) * 20)),
                .points(Points(e4: Int64(raw[3] % 30_001))), .events(raw[4] % 7), .answers([raw[5] % 9, raw[6] % 9, raw[7] % 9, raw[8] % 9]),
                raw[0] % 3 == 0 ? .notApplicable : .value(Points(e4: Int64(raw[1]) * 100)), nil, nil, nil,
            ]
            let r = fw.score(inputs)
            let nodes = fw.nodePoints(inputs)
            let normalLeaves = fw.leaves.filter { fw.nodes[$0].kind == .normal }.compactMap { nodes[$0] }
            #expect(r.total == normalLeaves.reduce(.zero, +))
            #expect(r.total == zip(fw.areas, r.areaPoints).filter { fw.nodes[$0.0].kind == .normal }.map(\.1).reduce(.zero, +))
            #expect(r.final <= r.applicableMax + fw.nodes[fw.areas[2]].max)
            for (i, a) in fw.areas.enumerated() where fw.nodes[a].kind == .normal { #expect(nodes[a] ?? .zero == r.areaPoints[i]) }
        }
    }

    @Test func ranksAgreeWithTheOrderOfScores() async {
        await propertyCheck(input: Gen.int(in: 0...10_000).array(of: 1...60)) { raw in
            let ps = raw.map { Points(e4: Int64($0 % 200) * 5_000) }
            let ranks = Ranking.ranks(percent: ps, final: ps, tieBreak: .none)
            for i in ps.indices {
                for j in ps.indices {
                    if ps[i] > ps[j] { #expect(ranks[i] < ranks[j]) }
                    if ps[i] == ps[j] { #expect(ranks[i] == ranks[j]) }
                }
                #expect(ranks[i] == 1 + ps.filter { $0 > ps[i] }.count)
            }
        }
    }

    @Test func bandsAreMonotone() async {
        let fw = self.fw
        await propertyCheck(input: Gen.int(in: 0...1_000_000), Gen.int(in: 0...1_000_000)) { a, b in
            let pa = Points(e4: Int64(a)), pb = Points(e4: Int64(b))
            if pa <= pb { #expect(fw.band(for: pa)! >= fw.band(for: pb)!) }
        }
    }

    @Test func percentIsExactOnTheDecimalValue() async {
        await propertyCheck(input: Gen.int(in: 0...1_000_000), Gen.int(in: 1...1_000_000)) { part, whole in
            let pct = Points.percent(Points(e4: Int64(part)), of: Points(e4: Int64(whole)), places: 2)
            var exact = Decimal(part) * 100 / Decimal(whole)
            var rounded = Decimal()
            NSDecimalRound(&rounded, &exact, 2, .plain)
            #expect(pct.decimal == rounded)
        }
    }
}

@Suite struct FrameworkValidationTests {
    @Test func theStarterFrameworkShapeIsValid() throws {
        _ = try CompiledFramework.compile(smallSpec).get()
    }

    static func problems(_ mutate: (inout FrameworkSpec) -> Void) -> [FrameworkProblem] {
        var s = smallSpec
        mutate(&s)
        if case .failure(let e) = CompiledFramework.compile(s) { return e.problems }
        return []
    }

    @Test func everyProblemIsReported() {
        #expect(Self.problems { $0.criteria[1].max = p("3") }.contains(.childrenSum(parent: "1", expected: p("10"), actual: p("11"))))
        #expect(Self.problems { $0.criteria.append(CriterionSpec(code: "1.1", parent: "1", title: "x", max: p("1"), method: .manual)) }.contains(.duplicateCode("1.1")))
        #expect(Self.problems { $0.criteria.append(CriterionSpec(code: "9.1", parent: "9", title: "x", max: p("1"), method: .manual)) }.contains(.missingParent(code: "9.1", parent: "9")))
        #expect(Self.problems { $0.criteria[0].parent = "1.1" }.contains(.cycle("1")))
        #expect(Self.problems { $0.criteria[2].max = nil }.contains(.missingMax("1.2")))
        #expect(Self.problems { $0.criteria[4].method = nil }.contains(.leafWithoutMethod("1.4")))
        #expect(Self.problems { $0.criteria[0].method = .manual }.contains(.methodOnGroup("1")))
        #expect(Self.problems { $0.total = p("100") }.contains(.total(expected: p("100"), actual: p("20"))))
        #expect(Self.problems { $0.criteria[2].method = .tiers([Tier(min: p("80"), points: p("1")), Tier(min: p("90"), points: p("2"))]) }.contains(.badTiers("1.2")))
        #expect(Self.problems { $0.criteria[3].method = .proportional(target: .zero) }.contains(.badTarget("1.3")))
        #expect(Self.problems { $0.bands = [Band(label: "A", min: p("70")), Band(label: "B", min: p("80"))] }.contains(.badBands))
        #expect(Self.problems { $0.places = 7 }.contains(.badPlaces))
        #expect(Self.problems { $0.criteria[13].method = .deduction(perEvent: p("1"), floor: .zero) }.contains(.deductionInBucket("TR.1")))
        #expect(Self.problems { $0.criteria = [] } == [.empty])
    }

    @Test func jsonRoundTripAndHostileJSON() throws {
        let data = FrameworkJSON.encode(smallSpec)
        #expect(try FrameworkJSON.decode(data) == smallSpec)
        #expect(throws: FrameworkJSON.DecodeProblem.self) { try FrameworkJSON.decode(Data("{".utf8)) }
        #expect(throws: FrameworkJSON.DecodeProblem.wrongFormat("x")) {
            try FrameworkJSON.decode(Data(#"{"format":"x","code":"a","name":"b","year":1,"unitKind":"d","criteria":[]}"#.utf8))
        }
        let badNumber = String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\"max\" : \"10\"", with: "\"max\" : \"mười\"")
        #expect(throws: FrameworkJSON.DecodeProblem.self) { try FrameworkJSON.decode(Data(badNumber.utf8)) }
    }

    @Test func copyingToNextYearKeepsTheTree() throws {
        let next = smallSpec.copied(toYear: 2027, code: "T-2027")
        #expect(next.year == 2027 && next.name == "Thử nghiệm 2027")
        #expect(next.criteria == smallSpec.criteria)
        _ = try CompiledFramework.compile(next).get()
    }
}

@Suite struct MethodNotationTests {
    @Test(arguments: [
        "manual", "binary", "tiers:100=3;90=2;80=1", "proportional:12", "deduction:0.5;0", "survey:100;60;20;0",
        "metric:task_on_time_rate:tiers:100=3;90=2", "metric:online_rate:proportional:100",
    ])
    func roundTrips(_ text: String) throws {
        let m = try #require(MethodNotation.parse(text))
        #expect(MethodNotation.format(m) == text)
    }

    @Test(arguments: ["", "manualx", "tiers:", "tiers:100", "proportional:abc", "metric:unknown:tiers:1=1", "survey:1;x", "deduction:1;2;3"])
    func refusesNonsense(_ text: String) {
        #expect(MethodNotation.parse(text) == nil)
    }

    @Test func roundingAtTheTotalInsteadOfTheLeaf() throws {
        var spec = smallSpec
        spec.rounding = .total
        let fw = try CompiledFramework.compile(spec).get()
        var inputs = [LeafInput?](repeating: nil, count: fw.leaves.count)
        inputs[fw.leafIndex["1.4"]!] = .points(p("1.004"))
        inputs[fw.leafIndex["T.1"]!] = .points(p("1.004"))
        inputs[fw.leafIndex["2.1"]!] = .notApplicable
        // The leaf keeps 1.004; the total is rounded to 1.00.
        #expect(fw.score(inputs).total == p("1"))
        inputs[fw.leafIndex["1.4"]!] = .points(p("1.005"))
        let leafSpec = try CompiledFramework.compile(smallSpec).get()
        #expect(fw.leafPoints(fw.leafIndex["1.4"]!, input: .points(p("1.005")), metrics: [:]) == p("1.005"))
        #expect(leafSpec.leafPoints(leafSpec.leafIndex["1.4"]!, input: .points(p("1.005")), metrics: [:]) == p("1.01"))
    }
}

@Suite struct PointsTextTests {
    /// The fast integer formatting and parsing agree with the Decimal-based reference everywhere.
    @Test func integerFormattingMatchesTheDecimalReference() async {
        await propertyCheck(input: Gen.int(in: -2_000_000_000...2_000_000_000), Gen.int(in: 0...4)) { raw, places in
            let p = Points(e4: Int64(raw))
            #expect(p.formatted(places: places) == VietnameseFormat.number(p.decimal, places: places))
            #expect(p.formatted(places: places, english: true) == VietnameseFormat.number(p.decimal, places: places, english: true))
            #expect(Points(parsing: p.plain(places: 4)) == p)
        }
    }

    @Test(arguments: ["", "-", ".", "1.", ".5", "1.23456", "1..2", "1,5", "--1", "1e3", "123456789012345"])
    func machineFormRefusesNonsense(_ s: String) {
        #expect(Points(parsing: s) == nil)
    }
}
