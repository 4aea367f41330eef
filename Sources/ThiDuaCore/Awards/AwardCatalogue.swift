import Foundation

/// A title or form of commendation the province gives or proposes, with its eligibility rules as data.
public struct AwardType: Codable, Equatable, Sendable {
    public var code: String
    public var name: String
    public var subject: AwardSubject
    /// Who decides (e.g. "Chủ tịch UBND tỉnh").
    public var authority: String
    /// Document and article the rules come from, as the province verified them.
    public var legalBasis: String
    /// Merit awards count towards later titles; ad hoc and thematic ones do not.
    public var merit: Bool
    public var rules: [EligibilityRule]
    /// The council's pass threshold for this award ("70%", "2/3"); absent: 70 %.
    public var passThreshold: String?
    /// The threshold counts the members present instead of all members who may vote (absent: all members).
    public var thresholdOfPresent: Bool?

    public var threshold: Fraction { passThreshold.flatMap(Fraction.init(parsing:)) ?? Fraction(7, 10)! }

    /// Does the province decide it (its People's Committee or Chairman)? Awards a unit's head gives (Giấy khen,
    /// Chiến sĩ thi đua cơ sở) are decided in the unit, not proposed to the province's council.
    public var decidedByProvince: Bool {
        let a = VietnameseText.fold(authority)
        return a.contains("ubnd tinh") || a.contains("uy ban nhan dan tinh")
    }
    public var ofAllMembers: Bool { !(thresholdOfPresent ?? false) }

    public init(code: String, name: String, subject: AwardSubject, authority: String, legalBasis: String, merit: Bool, rules: [EligibilityRule],
                passThreshold: String? = nil, thresholdOfPresent: Bool? = nil) {
        self.passThreshold = passThreshold
        self.thresholdOfPresent = thresholdOfPresent
        self.code = code
        self.name = name
        self.subject = subject
        self.authority = authority
        self.legalBasis = legalBasis
        self.merit = merit
        self.rules = rules
    }
}

/// The province's award catalogue: a setting the reform office edits (rules are data, versioned by legal basis).
public struct AwardCatalogue: Codable, Equatable, Sendable {
    public var types: [AwardType]
    /// Preferences on tied votes, in order (absent: women, then grassroots).
    public var tieBreaks: [AwardTieBreak]?
    /// Which rules these are: the legal basis and the day they apply from, as the province names this version (kept
    /// with every nominee checked against it).
    public var version: String?

    public init(types: [AwardType], tieBreaks: [AwardTieBreak]? = nil, version: String? = nil) {
        self.types = types
        self.tieBreaks = tieBreaks
        self.version = version
    }

    public var versionLabel: String { version ?? Self.startingVersion }
    public static let startingVersion = "Danh mục khởi tạo theo Luật Thi đua, khen thưởng 2022 (cần đối chiếu nghị định hướng dẫn)"

    public var tieBreakOrder: [AwardTieBreak] { tieBreaks ?? [.women, .grassroots] }

    static let exclusions: [EligibilityRule] = [.noDiscipline, .noPendingCase(kinds: [.inspection, .investigation, .complaint])]

    /// Starting values, to be checked by the reform office against the Law on Emulation and Commendation 2022 and its
    /// decree before use (docs/awards.md says which article each one reads and how sure that is).
    public static let starting = AwardCatalogue(types: [
        AwardType(code: "CSTDCS", name: "Chiến sĩ thi đua cơ sở", subject: .individual, authority: "Thủ trưởng cơ quan, đơn vị",
                  legalBasis: "Luật Thi đua, khen thưởng 2022 (điều về Chiến sĩ thi đua cơ sở) — cần đối chiếu", merit: true,
                  rules: [.consecutiveRatings(atLeast: .outstanding, years: 1, maternityCounts: true),
                          .manual("Có sáng kiến được cơ sở công nhận, hoặc đề tài khoa học được nghiệm thu, hoặc thành tích tương đương")] + exclusions),
        AwardType(code: "CSTDT", name: "Chiến sĩ thi đua cấp tỉnh", subject: .individual, authority: "Chủ tịch UBND tỉnh",
                  legalBasis: "Luật Thi đua, khen thưởng 2022 (điều về Chiến sĩ thi đua cấp bộ, ban, ngành, tỉnh) — cần đối chiếu", merit: true,
                  rules: [.consecutiveTitles(award: "CSTDCS", years: 3), .initiatives(atLeast: .province, count: 1, withinYears: 3)] + exclusions,
                  passThreshold: "90%"),
        AwardType(code: "BKCT", name: "Bằng khen của Chủ tịch UBND tỉnh", subject: .individual, authority: "Chủ tịch UBND tỉnh",
                  legalBasis: "Luật Thi đua, khen thưởng 2022 và nghị định hướng dẫn — cần đối chiếu", merit: true,
                  rules: [.consecutiveRatings(atLeast: .outstanding, years: 2, maternityCounts: true), .initiatives(atLeast: .unit, count: 1, withinYears: 2)]
                      + exclusions),
        AwardType(code: "GK", name: "Giấy khen", subject: .individual, authority: "Thủ trưởng cơ quan, đơn vị", legalBasis: "Luật Thi đua, khen thưởng 2022 — cần đối chiếu",
                  merit: true, rules: [.consecutiveRatings(atLeast: .good, years: 1, maternityCounts: true)] + exclusions),
        AwardType(code: "TTLDXS", name: "Tập thể lao động xuất sắc", subject: .collective, authority: "Chủ tịch UBND tỉnh",
                  legalBasis: "Luật Thi đua, khen thưởng 2022 — cần đối chiếu", merit: true,
                  rules: [.unitBand(bands: ["Xuất sắc", "Tốt"]), .manual("Hoàn thành xuất sắc nhiệm vụ trong năm; có cá nhân đạt Chiến sĩ thi đua cơ sở")]),
        AwardType(code: "CTD", name: "Cờ thi đua của UBND tỉnh", subject: .collective, authority: "Chủ tịch UBND tỉnh",
                  legalBasis: "Luật Thi đua, khen thưởng 2022 — cần đối chiếu", merit: true,
                  rules: [.unitBand(bands: ["Xuất sắc", "Tốt"]), .manual("Dẫn đầu khối, cụm thi đua do tỉnh tổ chức")]),
    ])

    public enum Problem: Equatable, Sendable {
        case empty, badCode(String), duplicateCode(String), missingName(String), badYears(String), unknownTitle(String, String), badThreshold(String)
    }

    public var problems: [Problem] {
        guard !types.isEmpty else { return [.empty] }
        var out: [Problem] = []
        var seen: Set<String> = []
        for t in types {
            if (try? FieldRules.code(t.code).get()) != t.code { out.append(.badCode(t.code)) }
            if !seen.insert(t.code).inserted { out.append(.duplicateCode(t.code)) }
            if t.name.trimmingCharacters(in: .whitespaces).isEmpty { out.append(.missingName(t.code)) }
            if let raw = t.passThreshold, Fraction(parsing: raw) == nil || Fraction(parsing: raw)?.numerator == 0 { out.append(.badThreshold(t.code)) }
            for r in t.rules {
                switch r {
                case .consecutiveRatings(_, let y, _), .consecutiveTitles(_, let y), .initiatives(_, _, let y):
                    if y < 1 || y > 20 { out.append(.badYears(t.code)) }
                default: break
                }
                if case .consecutiveTitles(let award, _) = r, !types.contains(where: { $0.code == award }) { out.append(.unknownTitle(t.code, award)) }
                if case .initiatives(_, let count, _) = r, count < 1 || count > 50 { out.append(.badYears(t.code)) }
            }
        }
        return out
    }
}

/// Why an award is revoked (DOMAIN.md §8): a false dossier, an unlawful approval, or criteria later found unmet.
public enum RevocationGround: String, CaseIterable, Codable, Sendable {
    case falseDossier = "false_dossier", unlawfulApproval = "unlawful_approval", criteriaUnmet = "criteria_unmet"
    public var labelKey: String { "award.ground.\(rawValue)" }
}
