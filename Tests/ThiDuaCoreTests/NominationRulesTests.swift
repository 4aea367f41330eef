import Foundation
import Testing
import ZIPFoundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

@testable import ThiDuaCore

/// The year end's rules (issue 8): the dossier's states, quotas, the ballot's checks, tie-breaks, and the official
/// document's DOCX.
@Suite struct NominationRulesTests {
    /// Every (step, state) pair: only the table's moves are allowed.
    @Test func theDossierMovesOnlyAsTheTableSays() {
        let allowed: [NominationStep: [NominationState: NominationState]] = [
            .submit: [.draft: .submitted, .returned: .submitted],
            .receive: [.submitted: .received],
            .returnForCompletion: [.submitted: .returned, .received: .returned, .underReview: .returned],
            .review: [.received: .underReview],
            .vote: [.underReview: .voted],
            .decide: [.voted: .decided],
            .publish: [.decided: .published],
        ]
        for step in NominationStep.allCases {
            for state in NominationState.allCases {
                #expect(NominationFlow.next(step, from: state) == allowed[step]?[state], "\(step) from \(state)")
            }
        }
        #expect(NominationState.allCases.filter(\.editable) == [.draft, .returned])
        // Nothing leaves "published": it is the end.
        #expect(NominationStep.allCases.allSatisfy { NominationFlow.next($0, from: .published) == nil })
    }

    @Test(arguments: [
        // quotas, existing, adding, expected excess (award, quota, total)
        (["BKCT": 6], ["BKCT": 5], ["BKCT": 1], [(String, Int, Int)]()),
        (["BKCT": 6], ["BKCT": 5], ["BKCT": 2], [("BKCT", 6, 7)]),
        (["BKCT": 0], [:], ["BKCT": 1], [("BKCT", 0, 1)]),
        ([:], ["BKCT": 50], ["BKCT": 9], []),
        (["BKCT": 2, "CSTDT": 1], [:], ["BKCT": 2, "CSTDT": 2, "GK": 40], [("CSTDT", 1, 2)]),
    ] as [([String: Int], [String: Int], [String: Int], [(String, Int, Int)])])
    func quotasCountWhatIsAlreadyNominated(quotas: [String: Int], existing: [String: Int], adding: [String: Int], expected: [(String, Int, Int)]) {
        #expect(AwardQuota.excess(quotas: quotas, existing: existing, adding: adding) == expected.map { AwardQuota.Excess(award: $0.0, quota: $0.1, total: $0.2) })
    }

    @Test func quotasAreTypedAsCodeEqualsNumber() {
        #expect(AwardQuota.parse("BKCT=6, TTLDXS=4") == ["BKCT": 6, "TTLDXS": 4])
        #expect(AwardQuota.parse("bkct = 6;\r\nCSTDT=1") == ["BKCT": 6, "CSTDT": 1])
        #expect(AwardQuota.parse("") == [:])
        for bad in ["BKCT", "BKCT=", "BKCT=-1", "BKCT=six", "BKCT=1, BKCT=2", "=4", "BẰNG=1", "BKCT=99999"] { #expect(AwardQuota.parse(bad) == nil, "\(bad)") }
        #expect(AwardQuota.format(["TTLDXS": 4, "BKCT": 6]) == "BKCT=6, TTLDXS=4")
    }

    @Test func fractionsStayWithinWhatIntegersCompare() {
        #expect(Fraction(parsing: "1/999999999999999999") == nil)
        #expect(Fraction(parsing: "90,5%") == Fraction(905, 1000))
        #expect(Fraction(parsing: "2/3")!.reached(2, of: 3) && !Fraction(parsing: "2/3")!.reached(1, of: 3))
    }

    @Test func exclusionsCannotBeOverridden() {
        #expect(!EligibilityRule.noDiscipline.overridable)
        #expect(!EligibilityRule.noPendingCase(kinds: [.inspection]).overridable)
        #expect(EligibilityRule.initiatives(atLeast: .unit, count: 1, withinYears: 2).overridable)
        #expect(EligibilityRule.consecutiveRatings(atLeast: .outstanding, years: 2, maternityCounts: true).overridable)
    }

    @Test func aBallotCarriesOneChoiceForEveryNomineeTheMemberMayVoteOn() {
        let a = UUID(), b = UUID(), c = UUID(), stranger = UUID()
        #expect(Ballot.problems(choices: [a: .yes, b: .no, c: .abstain], onBallot: [a, b, c], recused: []).isEmpty)
        #expect(Ballot.problems(choices: [a: .yes, c: .abstain], onBallot: [a, b, c], recused: []) == [.missing(b)])
        // Recused from b: no choice for b, and one for b is refused.
        #expect(Ballot.problems(choices: [a: .yes, c: .no], onBallot: [a, b, c], recused: [b]).isEmpty)
        #expect(Ballot.problems(choices: [a: .yes, b: .yes, c: .no], onBallot: [a, b, c], recused: [b]) == [.notAllowed(b)])
        #expect(Ballot.problems(choices: [a: .yes, b: .yes, c: .no, stranger: .yes], onBallot: [a, b, c], recused: []) == [.notAllowed(stranger)])
        #expect(Ballot.paperCountFits(Tally(yes: 5, no: 1, abstain: 1), presentNotRecused: 7))
        #expect(!Ballot.paperCountFits(Tally(yes: 5, no: 2, abstain: 1), presentNotRecused: 7))
        #expect(!Ballot.paperCountFits(Tally(yes: -1, no: 0, abstain: 0), presentNotRecused: 7))
    }

    /// Property: however ballots arrive, the counters add up to the ballots and every choice lands in its counter.
    @Test func countersAddUpToTheBallots() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let ballots = (0..<Int.random(in: 0...40, using: &rng)).map { _ in BallotChoice.allCases.randomElement(using: &rng)! }
            var t = Tally()
            for b in ballots { t.add(b) }
            #expect(t.total == ballots.count)
            #expect(t.yes == ballots.filter { $0 == .yes }.count && t.no == ballots.filter { $0 == .no }.count)
        }
    }

    @Test func tiesAreBrokenByTheProvincesPreferencesInOrder() {
        func n(_ name: String, _ yes: Int, women: Bool = false, grassroots: Bool = false) -> RankedNominee {
            RankedNominee(id: UUID(), yes: yes, women: women, grassroots: grassroots, name: name)
        }
        let list = [n("An", 9), n("Bình", 10), n("Chi", 9, women: true), n("Dũng", 9, grassroots: true), n("Hà", 9, women: true, grassroots: true)]
        #expect(NomineeRanking.order(list, tieBreaks: [.women, .grassroots]).map(\.name) == ["Bình", "Hà", "Chi", "Dũng", "An"])
        #expect(NomineeRanking.order(list, tieBreaks: [.grassroots, .women]).map(\.name) == ["Bình", "Hà", "Dũng", "Chi", "An"])
        #expect(NomineeRanking.order(list, tieBreaks: []).map(\.name) == ["Bình", "An", "Chi", "Dũng", "Hà"])
    }

    @Test func theCataloguesThresholdsAreData() throws {
        let c = AwardCatalogue.starting
        #expect(c.types.first { $0.code == "CSTDT" }!.threshold == Fraction(9, 10))
        #expect(c.types.first { $0.code == "BKCT" }!.threshold == Fraction(7, 10))
        #expect(c.types.allSatisfy { $0.ofAllMembers })
        var edited = c
        edited.types[0].passThreshold = "bảy mươi"
        #expect(edited.problems.contains(.badThreshold(edited.types[0].code)))
        // A catalogue saved before thresholds existed still reads.
        let old = #"{"types":[{"code":"GK","name":"Giấy khen","subject":"individual","authority":"Giám đốc","legalBasis":"x","merit":true,"rules":[]}]}"#
        let decoded = try JSONDecoder().decode(AwardCatalogue.self, from: Data(old.utf8))
        #expect(decoded.types[0].threshold == Fraction(7, 10) && decoded.tieBreakOrder == [.women, .grassroots])
    }

    // MARK: The official document

    static let sample = OfficialDocument(
        parentBody: "", issuer: "Ủy ban nhân dân tỉnh Minh Sơn", number: "1234", symbol: "QĐ-UBND", place: "Minh Sơn", date: CivilDate(parsing: "2027-01-05"),
        draftYear: 2027, kind: "QUYẾT ĐỊNH", subject: "Về việc tặng Bằng khen <của> Chủ tịch & UBND tỉnh",
        body: [.heading("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH MINH SƠN", centred: true), .paragraph("Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;"),
               .table(header: ["STT", "Tập thể, cá nhân"], rows: [["1", "Nguyễn Thị Lan"]])],
        recipients: ["Như Điều 3", "Lưu: VT"], signerTitle: "Chủ tịch", signerName: "Trần Văn Bình")

    @Test func theHeaderReadsAsTheDecreeAsks() {
        let d = Self.sample
        #expect(d.numberLine == "Số: 1234/QĐ-UBND")
        #expect(d.dateLine == "Minh Sơn, ngày 05 tháng 01 năm 2027")
        var draft = d
        draft.number = nil
        draft.date = nil
        #expect(draft.numberLine == "Số:       /QĐ-UBND")
        #expect(draft.dateLine == "Minh Sơn, ngày      tháng      năm 2027")
        #expect(d.lines.contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") && d.lines.contains("Độc lập - Tự do - Hạnh phúc"))
    }

    @Test func theDocxIsAWellFormedA4PackageInTimesNewRoman() throws {
        let data = try Self.sample.docx(created: Date(timeIntervalSince1970: 0))
        let archive = try Archive(data: data, accessMode: .read, pathEncoding: nil)
        func part(_ path: String) throws -> String {
            guard let entry = archive[path] else { Issue.record("missing \(path)"); return "" }
            var out = Data()
            _ = try archive.extract(entry) { out.append($0) }
            return String(decoding: out, as: UTF8.self)
        }
        for p in ["[Content_Types].xml", "_rels/.rels", "word/_rels/document.xml.rels", "word/styles.xml"] { _ = try part(p) }
        let doc = try part("word/document.xml")
        #expect(try XMLDocument(xmlString: doc).rootElement()?.name == "w:document")
        // A4, margins 20/20/30/15 mm.
        #expect(doc.contains(#"<w:pgSz w:w="11906" w:h="16838"/>"#))
        #expect(doc.contains(#"w:top="1134" w:right="850" w:bottom="1134" w:left="1701""#))
        #expect(doc.contains("Times New Roman") && !doc.contains("Calibri"))
        #expect(doc.contains("Về việc tặng Bằng khen &lt;của&gt; Chủ tịch &amp; UBND tỉnh"))
        #expect(doc.contains("ỦY BAN NHÂN DÂN TỈNH MINH SƠN"))
        // Byte-identical for the same content and date.
        #expect(try Self.sample.docx(created: Date(timeIntervalSince1970: 0)) == data)
    }
}
