import Foundation
import PropertyBased
import Testing

@testable import ThiDuaCore

/// Questionnaire validation, display conditions, answer checking and the SIPAS index arithmetic (issue 5).
@Suite struct SurveyTests {
    static let fiveLevels = [
        AnswerOption(code: "1", label: "Rất không hài lòng", satisfied: false),
        AnswerOption(code: "2", label: "Không hài lòng", satisfied: false),
        AnswerOption(code: "3", label: "Bình thường", satisfied: false),
        AnswerOption(code: "4", label: "Hài lòng", satisfied: true),
        AnswerOption(code: "5", label: "Rất hài lòng", satisfied: true),
    ]

    static let sample = Questionnaire(code: "sipas", title: "Khảo sát sự hài lòng", questions: [
        Question(code: "kenh", kind: .single, text: "Ông/bà nộp hồ sơ qua kênh nào?", required: true, factor: .access, part: .facts,
                 options: [AnswerOption(code: "quay", label: "Tại quầy"), AnswerOption(code: "mang", label: "Trực tuyến")]),
        Question(code: "tiepcan", kind: .single, text: "Mức độ hài lòng về tiếp cận dịch vụ", required: true, factor: .access, part: .satisfaction,
                 options: fiveLevels),
        Question(code: "truc_tuyen", kind: .rating, text: "Cổng dịch vụ công dễ dùng?", factor: .procedure, part: .satisfaction,
                 scaleMin: 1, scaleMax: 5, satisfiedFrom: 4, showIf: DisplayCondition(question: "kenh", anyOf: ["mang"])),
        Question(code: "congchuc", kind: .matrix, text: "Về công chức tiếp nhận", part: .satisfaction, options: fiveLevels,
                 rows: [MatrixRow(code: "thaido", label: "Thái độ", factor: .official), MatrixRow(code: "huongdan", label: "Hướng dẫn", factor: .official)]),
        Question(code: "ketqua", kind: .yesNo, text: "Nhận kết quả đúng hẹn?", factor: .result, part: .satisfaction),
        Question(code: "gopy", kind: .longText, text: "Góp ý", maxLength: 500),
        Question(code: "mongdoi", kind: .multiple, text: "Mong đợi", part: .expectation,
                 options: [AnswerOption(code: "nhanh", label: "Nhanh hơn"), AnswerOption(code: "re", label: "Rẻ hơn"), AnswerOption(code: "de", label: "Dễ hơn")]),
    ])

    @Test func theSampleIsValid() {
        #expect(Self.sample.validate() == [])
    }

    @Test func questionnaireProblemsAreListed() {
        var q = Self.sample
        q.title = " "
        q.questions[1].options[4].weight = Points(120)
        q.questions[2].showIf = DisplayCondition(question: "gopy", anyOf: ["x"])
        q.questions.append(Question(code: "kenh", kind: .rating, text: "Trùng mã", scaleMin: 5, scaleMax: 5))
        q.questions.append(Question(code: "sau", kind: .yesNo, text: "Sau", showIf: DisplayCondition(question: "khongco", anyOf: ["yes"])))
        q.questions.insert(Question(code: "truoc", kind: .yesNo, text: "Trước", showIf: DisplayCondition(question: "ketqua", anyOf: ["yes"])), at: 0)
        q.questions.append(Question(code: "bad code!", kind: .single, text: "", options: [AnswerOption(code: "a", label: "A")]))
        q.questions.append(Question(code: "dk", kind: .yesNo, text: "Điều kiện sai", showIf: DisplayCondition(question: "tiepcan", anyOf: ["9"])))
        let problems = q.validate()
        #expect(problems.contains(.emptyTitle))
        #expect(problems.contains(.weightOutOfRange(question: "tiepcan", option: "5")))
        #expect(problems.contains(.conditionForward(question: "truoc", refers: "ketqua")))
        #expect(problems.contains(.duplicateQuestion("kenh")))
        #expect(problems.contains(.badScale("kenh")))
        #expect(problems.contains(.conditionUnknown(question: "sau", refers: "khongco")))
        #expect(problems.contains(.badCode("bad code!")))
        #expect(problems.contains(.emptyText("bad code!")))
        #expect(problems.contains(.tooFewOptions("bad code!")))
        #expect(problems.contains(.conditionValue(question: "dk", value: "9")))
        // A condition on a text question is refused: there is nothing to compare codes with.
        var onText = Self.sample
        onText.questions.append(Question(code: "z", kind: .yesNo, text: "Z", showIf: DisplayCondition(question: "gopy", anyOf: ["a"])))
        #expect(onText.validate() == [.conditionOnText(question: "z", refers: "gopy")])
    }

    static let complete: [String: [String]] = [
        "kenh": ["mang"], "tiepcan": ["4"], "truc_tuyen": ["2"], "congchuc.thaido": ["5"], "congchuc.huongdan": ["3"],
        "ketqua": ["yes"], "gopy": ["<b>Tốt</b> =cmd"], "mongdoi": ["nhanh", "de", "nhanh"],
    ]

    @Test func aCompleteResponseIsKept() throws {
        let a = try SurveyAnswers.check(Self.sample, Self.complete).get()
        #expect(a.values["mongdoi"] == ["de", "nhanh"])
        #expect(a.values["gopy"] == ["<b>Tốt</b> =cmd"])  // stored as typed; escaped and neutralised where shown
    }

    struct BadCase: Sendable, CustomTestStringConvertible {
        let name: String
        let change: @Sendable (inout [String: [String]]) -> Void
        let problem: SurveyAnswers.Problem
        var testDescription: String { name }
    }

    static let badCases: [BadCase] = [
        BadCase(name: "unknown question", change: { $0["khong_co"] = ["1"] }, problem: .unknownQuestion("khong_co")),
        BadCase(name: "unknown matrix row", change: { $0["congchuc.khac"] = ["1"] }, problem: .unknownQuestion("congchuc.khac")),
        BadCase(name: "hidden by its condition", change: { $0["kenh"] = ["quay"] }, problem: .hiddenQuestion("truc_tuyen")),
        BadCase(name: "required missing", change: { $0["tiepcan"] = [" "] }, problem: .required("tiepcan")),
        BadCase(name: "rating out of range", change: { $0["truc_tuyen"] = ["6"] }, problem: .notAnOption(question: "truc_tuyen", value: "6")),
        BadCase(name: "option that does not exist", change: { $0["tiepcan"] = ["9"] }, problem: .notAnOption(question: "tiepcan", value: "9")),
        BadCase(name: "two answers to a single choice", change: { $0["tiepcan"] = ["4", "5"] }, problem: .oneAnswerOnly("tiepcan")),
        BadCase(name: "yes/no with another value", change: { $0["ketqua"] = ["maybe"] }, problem: .notAnOption(question: "ketqua", value: "maybe")),
        BadCase(name: "text over the limit", change: { $0["gopy"] = [String(repeating: "a", count: 501)] }, problem: .tooLong(question: "gopy", limit: 500)),
        BadCase(name: "a flood of fields", change: { for i in 0..<600 { $0["f\(i)"] = ["1"] } }, problem: .tooManyAnswers),
    ]

    @Test(arguments: badCases) func badAnswersAreRefused(_ c: BadCase) {
        var raw = Self.complete
        c.change(&raw)
        switch SurveyAnswers.check(Self.sample, raw) {
        case .success: Issue.record("accepted: \(c.name)")
        case .failure(let f): #expect(f.problems.contains(c.problem), "\(f.problems)")
        }
    }

    /// Conditions chain: a question whose condition looks at a hidden question is hidden too.
    @Test func hiddenQuestionsHideTheirDependants() {
        var q = Self.sample
        q.questions.insert(Question(code: "sau_tt", kind: .yesNo, text: "Có dùng thanh toán trực tuyến?",
                                    showIf: DisplayCondition(question: "truc_tuyen", anyOf: ["4", "5"])), at: 3)
        #expect(q.validate() == [])
        let shown = SurveyAnswers.visibility(q, ["kenh": ["quay"], "truc_tuyen": ["5"]])
        #expect(shown["truc_tuyen"] == false)
        #expect(shown["sau_tt"] == false)
        #expect(SurveyAnswers.visibility(q, ["kenh": ["mang"], "truc_tuyen": ["5"]])["sau_tt"] == true)
    }

    @Test func factorTalliesOfOneResponse() throws {
        let a = try SurveyAnswers.check(Self.sample, Self.complete).get()
        let t = SatisfactionIndex.tally(Self.sample, a)
        #expect(t[.access] == SatisfactionTally(satisfied: 1, answered: 1))  // the facts question does not count
        #expect(t[.procedure] == SatisfactionTally(satisfied: 0, answered: 1))  // 2 on 1–5, satisfied from 4
        #expect(t[.official] == SatisfactionTally(satisfied: 1, answered: 2))  // matrix rows count one each
        #expect(t[.result] == SatisfactionTally(satisfied: 1, answered: 1))
        #expect(t[.feedback] == nil)
        #expect(SatisfactionIndex.overall(t, method: .pooled) == Points(60))  // 3 of 5
        // (100 + 0 + 50 + 100) ÷ 4 = 62.5
        #expect(SatisfactionIndex.overall(t, method: .meanOfFactors) == Points(e4: 625_000))
    }

    @Test(arguments: [
        (SatisfactionTally(satisfied: 0, answered: 0), nil as Points?),
        (SatisfactionTally(satisfied: 2, answered: 3), Points(e4: 666_700)),  // 66.666… → 66.67
        (SatisfactionTally(satisfied: 1, answered: 3), Points(e4: 333_300)),
        (SatisfactionTally(satisfied: 1, answered: 8), Points(e4: 125_000)),
        (SatisfactionTally(satisfied: 7, answered: 7), Points(100)),
        (SatisfactionTally(satisfied: 1, answered: 200_000), Points(e4: 0)),  // 0.0005 % → 0.00 (half away from zero at 0.005)
        (SatisfactionTally(satisfied: 1, answered: 200), Points(e4: 5_000)),  // 0.5 %
    ])
    func indexRounding(_ t: SatisfactionTally, _ expected: Points?) {
        #expect(t.index == expected)
    }

    /// The PAR-Index survey forms: A–D weighted 100/60/20/0 %.
    @Test func weightedFormScore() throws {
        let abcd = [AnswerOption(code: "A", label: "A", weight: Points(100)), AnswerOption(code: "B", label: "B", weight: Points(60)),
                    AnswerOption(code: "C", label: "C", weight: Points(20)), AnswerOption(code: "D", label: "D", weight: Points(0))]
        let form = Questionnaire(code: "par", title: "Phiếu lãnh đạo đánh giá", questions: [
            Question(code: "q1", kind: .single, text: "Câu 1", options: abcd),
            Question(code: "q2", kind: .single, text: "Câu 2", options: abcd),
            Question(code: "q3", kind: .matrix, text: "Câu 3", options: abcd, rows: [MatrixRow(code: "a", label: "a"), MatrixRow(code: "b", label: "b")]),
        ])
        #expect(form.validate() == [])
        let a = try SurveyAnswers.check(form, ["q1": ["A"], "q2": ["B"], "q3.a": ["C"], "q3.b": ["D"]]).get()
        let s = SatisfactionIndex.weightedScore(form, a)
        #expect(s.sum == Points(180) && s.count == 4)
        #expect(SatisfactionIndex.meanWeight(sum: s.sum, count: s.count) == Points(45))
        #expect(SatisfactionIndex.meanWeight(sum: Points(200), count: 3) == Points(e4: 666_700))
        #expect(SatisfactionIndex.meanWeight(sum: .zero, count: 0) == nil)
    }

    /// Adding tallies in any grouping gives the same index (per unit, then per field, then overall).
    @Test func talliesAddUpInAnyOrder() async {
        await propertyCheck(input: Gen.int(in: 0...50).array(of: 1...20), Gen.int(in: 0...50).array(of: 20)) { sats, extra in
            let tallies = sats.enumerated().map { i, s in SatisfactionTally(satisfied: s, answered: s + extra[i]) }
            let forward = tallies.reduce(SatisfactionTally(), +)
            let backward = tallies.reversed().reduce(SatisfactionTally(), +)
            #expect(forward == backward)
            if let idx = forward.index { #expect(idx >= .zero && idx <= Points(100)) }
        }
    }

    @Test func smallSampleNote() {
        #expect(SampleNote.isSmall(29))
        #expect(!SampleNote.isSmall(30))
        #expect(SampleNote.marginOfError(n: 0) == nil)
        #expect(abs((SampleNote.marginOfError(n: 100) ?? 0) - 9.8) < 1e-9)
    }

    @Test func startersAreValidAndCoverEveryFactor() throws {
        #expect(SurveyStarters.sipas.validate() == [])
        #expect(SurveyStarters.leadersRating.validate() == [])
        let factors = Set(SurveyStarters.sipas.questions.filter { $0.part == .satisfaction }.compactMap(\.factor))
        #expect(factors == Set(SIPASFactor.allCases))
        let visitor: [String: [String]] = [
            "kenh": ["truc_tiep"], "so_lan": ["1"], "tiep_can": ["5"], "thu_tuc": ["4"], "cong_chuc.thai_do": ["5"],
            "cong_chuc.huong_dan": ["3"], "cong_chuc.tuan_thu": ["4"], "dung_hen": ["yes"], "ket_qua": ["4"], "da_gop_y": ["no"],
        ]
        let a = try SurveyAnswers.check(SurveyStarters.sipas, visitor).get()
        let t = SatisfactionIndex.tally(SurveyStarters.sipas, a)
        #expect(t[.official] == SatisfactionTally(satisfied: 2, answered: 3))
        #expect(t[.feedback] == nil)  // not asked: no complaint was made
        // Online applicants are asked about the portal, not about trips to the counter.
        var online = visitor
        online["kenh"] = ["truc_tuyen"]
        switch SurveyAnswers.check(SurveyStarters.sipas, online) {
        case .success: Issue.record("a hidden question was accepted")
        case .failure(let f): #expect(f.problems.contains(.hiddenQuestion("so_lan")) && f.problems.contains(.required("cong_dvc")))
        }
    }

    /// `allows` (used for every answer received) says exactly what `allowedCodes` says, for every question of both
    /// starters and for near misses (leading zeros, out of range, case, blanks).
    @Test func allowsAgreesWithAllowedCodes() {
        let rating = Question(code: "r", kind: .rating, text: "R", scaleMin: 2, scaleMax: 4)
        for q in SurveyStarters.sipas.questions + SurveyStarters.leadersRating.questions + [rating] {
            let codes = q.allowedCodes ?? []
            let probes = Array(codes) + codes.map { "0" + $0 } + codes.map { $0.uppercased() } + codes.map { $0 + " " }
                + ["", "0", "1", "5", "6", "-1", "+3", "yes", "no", "Yes", "x", "a.b", "99999999999999999999"]
            for v in probes {
                #expect(q.allows(v) == codes.contains(v), "\(q.code) \(v)")
            }
        }
    }
}
