/// The phases of a PAR Index cycle, in order. The reform office moves a cycle forward; going back (reopening)
/// needs a reason. Each phase lets through only its own kind of work, until its deadline.
public enum CyclePhase: String, CaseIterable, Codable, Sendable {
    case setup
    case selfAssessment = "self_assessment"
    case appraisal1 = "appraisal_1"
    case explanation
    case appraisal2 = "appraisal_2"
    case council
    case published

    public var labelKey: String { "phase.\(rawValue)" }

    public var next: CyclePhase? {
        let all = Self.allCases
        let i = all.firstIndex(of: self)!
        return i + 1 < all.count ? all[i + 1] : nil
    }

    public func isBefore(_ other: CyclePhase) -> Bool {
        Self.allCases.firstIndex(of: self)! < Self.allCases.firstIndex(of: other)!
    }

    /// The work this phase is for.
    public func permits(_ action: Action) -> Bool {
        switch action {
        case .selfAssess, .submitAssessment: self == .selfAssessment
        case .appraise: self == .appraisal1 || self == .appraisal2
        case .explain: self == .explanation
        case .approveResults: self == .council
        case .publishResults: self == .council || self == .published
        default: true
        }
    }
}

/// Deadlines of a cycle, one per phase that has one. Work is refused after the end of its due day.
public struct CycleDeadlines: Codable, Equatable, Sendable {
    public var selfAssessment: CivilDate?
    public var appraisal1: CivilDate?
    public var explanation: CivilDate?
    public var appraisal2: CivilDate?
    public var council: CivilDate?
    public var publication: CivilDate?

    public init(selfAssessment: CivilDate? = nil, appraisal1: CivilDate? = nil, explanation: CivilDate? = nil,
                appraisal2: CivilDate? = nil, council: CivilDate? = nil, publication: CivilDate? = nil) {
        self.selfAssessment = selfAssessment
        self.appraisal1 = appraisal1
        self.explanation = explanation
        self.appraisal2 = appraisal2
        self.council = council
        self.publication = publication
    }

    public func due(for phase: CyclePhase) -> CivilDate? {
        switch phase {
        case .setup: nil
        case .selfAssessment: selfAssessment
        case .appraisal1: appraisal1
        case .explanation: explanation
        case .appraisal2: appraisal2
        case .council: council
        case .published: publication
        }
    }

    /// Deadlines must follow the order of the phases.
    public var isOrdered: Bool {
        let dates = [selfAssessment, appraisal1, explanation, appraisal2, council, publication].compactMap { $0 }
        return zip(dates, dates.dropFirst()).allSatisfy { $0 <= $1 }
    }

    public func isOpen(_ phase: CyclePhase, today: CivilDate) -> Bool {
        due(for: phase).map { today <= $0 } ?? true
    }
}
