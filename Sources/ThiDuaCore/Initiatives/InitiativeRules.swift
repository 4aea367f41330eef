import Foundation

/// Kinds of initiative the Law on Emulation and Commendation 2022 names (DOMAIN.md §7; docs/initiatives.md).
public enum InitiativeType: String, CaseIterable, Codable, Sendable {
    case technical, management, operational, appliedTechnology = "applied_technology"
    public var labelKey: String { "initiative.type.\(rawValue)" }
}

/// The scope at which an initiative is recognised.
public enum RecognitionLevel: String, CaseIterable, Codable, Sendable, Comparable {
    case unit, province, national
    public var labelKey: String { "initiative.level.\(rawValue)" }
    private var rank: Int { Self.allCases.firstIndex(of: self) ?? 0 }
    public static func < (a: Self, b: Self) -> Bool { a.rank < b.rank }
}

public enum InitiativeStatus: String, CaseIterable, Codable, Sendable {
    case draft, submitted, withdrawn, recognised, notRecognised = "not_recognised"
    public var labelKey: String { "initiative.status.\(rawValue)" }
    /// The council has decided: the content is frozen.
    public var isDecided: Bool { self == .recognised || self == .notRecognised }
}

/// The phases of a review period: they govern what each role may do (see `InitiativePhasePolicy`).
public enum ReviewPhase: String, CaseIterable, Codable, Sendable {
    case submission, review, decision, closed
    public var labelKey: String { "initiative.phase.\(rawValue)" }
    public var next: ReviewPhase? {
        switch self {
        case .submission: .review
        case .review: .decision
        case .decision: .closed
        case .closed: nil
        }
    }
}

/// What can be done to an initiative, by phase and status. Who may do it (role, unit, assignment) is checked
/// separately; this says only when.
public enum InitiativeStep: String, CaseIterable, Sendable {
    case edit, submit, withdraw, assignReviewer, score, seeAllScores, decide, adopt
}

public enum InitiativePhasePolicy {
    public static func allows(_ step: InitiativeStep, phase: ReviewPhase, status: InitiativeStatus) -> Bool {
        switch step {
        case .edit, .submit: phase == .submission && status == .draft
        case .withdraw: (phase == .submission || phase == .review) && status == .submitted
        case .assignReviewer: (phase == .submission || phase == .review) && status == .submitted
        case .score: phase == .review && status == .submitted
        case .seeAllScores: phase == .decision || phase == .closed || status.isDecided
        case .decide: phase == .decision && status == .submitted
        case .adopt: status == .recognised
        }
    }
}

// MARK: Authors

/// One author: a person of the registry, or someone outside it typed as free text (allowed, and marked).
public struct AuthorShare: Codable, Equatable, Sendable {
    public var personID: UUID?
    public var name: String
    /// Percent of the contribution.
    public var share: Points

    public init(personID: UUID?, name: String, share: Points) {
        self.personID = personID
        self.name = name
        self.share = share
    }

    public var isExternal: Bool { personID == nil }
}

public enum AuthorProblem: Equatable, Sendable {
    case none
    case sharesNot100(Points)
    case badShare(row: Int)
    case missingName(row: Int)
    case samePersonTwice(row: Int)
}

public enum AuthorShares {
    /// Every problem of an author list: at least one author, each share above 0 and at most 100 with at most two
    /// decimals, shares adding up to exactly 100, a person at most once.
    public static func problems(_ authors: [AuthorShare]) -> [AuthorProblem] {
        guard !authors.isEmpty else { return [.none] }
        var out: [AuthorProblem] = []
        var seen: Set<UUID> = []
        var sum = Points.zero
        for (i, a) in authors.enumerated() {
            if a.share <= .zero || a.share > Points(100) || a.share.rounded(places: 2) != a.share { out.append(.badShare(row: i + 1)) }
            if a.name.trimmingCharacters(in: .whitespaces).isEmpty { out.append(.missingName(row: i + 1)) }
            if let p = a.personID, !seen.insert(p).inserted { out.append(.samePersonTwice(row: i + 1)) }
            sum += a.share
        }
        if sum != Points(100) { out.append(.sharesNot100(sum)) }
        return out
    }
}

// MARK: Conflict of interest

public enum ReviewConflict: String, Equatable, Sendable {
    /// The reviewer is one of the authors.
    case author
    /// The reviewer works in the unit the initiative comes from.
    case sameUnit = "same_unit"
}

public enum ConflictOfInterest {
    /// Why `reviewer` may not review an initiative, or nil. `reviewerUnits`: the units the reviewer belongs to (their
    /// person record's unit and the units of their grants); `initiativeUnitPath`: the initiative's unit and its
    /// ancestors — only the unit itself and its sub-units conflict (a provincial reviewer reviews communes).
    public static func check(
        reviewerPersonID: UUID?, reviewerUnits: Set<UUID>, authors: [AuthorShare], initiativeUnit: UUID, initiativeSubUnits: Set<UUID> = []
    ) -> ReviewConflict? {
        if let p = reviewerPersonID, authors.contains(where: { $0.personID == p }) { return .author }
        if reviewerUnits.contains(initiativeUnit) || !reviewerUnits.isDisjoint(with: initiativeSubUnits) { return .sameUnit }
        return nil
    }
}
