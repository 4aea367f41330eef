import Foundation

/// Roles are granted on a unit and reach that unit's whole subtree. One person may hold different roles in
/// different units (admin of one department, plain officer in another).
public enum Role: String, CaseIterable, Codable, Sendable {
    case systemAdmin = "system_admin"
    case reformOffice = "reform_office"
    case unitHead = "unit_head"
    case unitOfficer = "unit_officer"
    case appraiser
    case councilMember = "council_member"
    case leader

    public var labelKey: String { "role.\(rawValue)" }
}

/// Everything a signed-in user can ask the system to do. Deny by default: an action not listed for a role
/// in `AccessPolicy.table` is refused.
public enum Action: String, CaseIterable, Codable, Sendable {
    case viewUnits = "view_units"
    case editUnits = "edit_units"
    case mergeUnits = "merge_units"
    case viewBlocks = "view_blocks"
    case editBlocks = "edit_blocks"
    case viewPeople = "view_people"
    case editPeople = "edit_people"
    /// Discipline, pending cases and leave: personal data shown only to those who decide on awards.
    case viewPersonSensitive = "view_person_sensitive"
    case importData = "import_data"
    case exportData = "export_data"
    case manageUsers = "manage_users"
    case viewAudit = "view_audit"
    // PAR Index
    /// See frameworks, cycles, score sheets and results inside the scope.
    case viewIndex = "view_index"
    case manageFrameworks = "manage_frameworks"
    /// Open cycles, assign frameworks to groups, set deadlines, move between phases.
    case manageCycles = "manage_cycles"
    /// Enter self-assessment scores, notes and evidence for a unit.
    case selfAssess = "self_assess"
    /// Submit (lock) a unit's self-assessment.
    case submitAssessment = "submit_assessment"
    case appraise
    /// Answer an explanation request for the unit.
    case explain
    case approveResults = "approve_results"
    case publishResults = "publish_results"
    // PAR plans and tasks
    /// See plans, tasks, progress, follow-up lists and progress reports inside the scope.
    case viewPlans = "view_plans"
    /// Write plans and their tasks for the units in scope (the province's plans need it on the root unit);
    /// issue and close them; edit the follow-up rules (province-wide).
    case managePlans = "manage_plans"
    /// Report progress, with evidence, on the tasks a unit in scope leads.
    case reportProgress = "report_progress"
    // Satisfaction surveys
    /// See campaigns, their results and exports inside the scope.
    case viewSurveys = "view_surveys"
    /// Write questionnaires, run campaigns, review quarantined answers, edit targets (province-wide).
    case manageSurveys = "manage_surveys"
    /// Type in paper forms and issue receipt codes for the units in scope.
    case enterSurveyResponses = "enter_survey_responses"

    // Procedure performance (issue 6)
    /// See the indicators, drill down to dossiers, for the units in scope.
    case viewPerformance = "view_performance"
    /// Keep the procedures catalogue, the working calendar, one-stop systems' API tokens; import dossiers.
    case managePerformance = "manage_performance"

    // Initiatives (issue 7)
    /// See the initiatives of the units in scope (reviewers see those assigned to them, blind when the period is).
    case viewInitiatives = "view_initiatives"
    /// Write, submit and withdraw a unit's initiatives; record that a unit adopted a recognised one.
    case submitInitiatives = "submit_initiatives"
    /// Run review periods (phases, rubric, blind review) and assign reviewers (province-wide).
    case manageInitiatives = "manage_initiatives"
    /// Score the initiatives one is assigned to.
    case reviewInitiatives = "review_initiatives"
    /// Record the council's decision: recognition level and the decision's reference.
    case decideInitiatives = "decide_initiatives"

    // Emulation and rewards (issue 8)
    /// See the award catalogue and check a nominee's eligibility (people in scope).
    case viewAwards = "view_awards"
    /// Keep the award catalogue and its eligibility rules, movements, receive and review nominations, run council
    /// sessions, draft and record decisions (province-wide).
    case manageAwards = "manage_awards"
    /// Build a unit's nomination dossier (nominees, letter, achievement report).
    case nominateAwards = "nominate_awards"
    /// Send a unit's nomination dossier to the province (the head signs the letter).
    case submitNominations = "submit_nominations"
    /// Vote in the sessions one is a member of (secret ballot) and declare a conflict.
    case voteAwards = "vote_awards"
}

public struct Grant: Hashable, Sendable, Codable {
    public let role: Role
    public let unitID: UUID

    public init(role: Role, unitID: UUID) {
        self.role = role
        self.unitID = unitID
    }
}

public enum AccessPolicy {
    /// The role × action table. Changing a right is a one-line, reviewed change here; the permission matrix
    /// test reads the same table for its expectations only through the routes it exercises.
    public static let table: [Role: Set<Action>] = [
        // The system administrator runs the installation; scoring, appraising and approving are left to the
        // people whose job it is, so an admin cannot quietly change a unit's index.
        .systemAdmin: Set(Action.allCases).subtracting([
            .selfAssess, .submitAssessment, .appraise, .explain, .approveResults, .publishResults, .reportProgress, .reviewInitiatives,
            .decideInitiatives, .voteAwards,
        ]),
        .reformOffice: [
            .viewUnits, .editUnits, .mergeUnits, .viewBlocks, .editBlocks, .viewPeople, .editPeople,
            .viewPersonSensitive, .importData, .exportData, .viewAudit,
            .viewIndex, .manageFrameworks, .manageCycles, .appraise, .publishResults,
            .viewPlans, .managePlans,
            .viewSurveys, .manageSurveys, .enterSurveyResponses,
            .viewPerformance, .managePerformance,
            .viewInitiatives, .submitInitiatives, .manageInitiatives, .viewAwards, .manageAwards, .nominateAwards, .submitNominations,
        ],
        .unitHead: [
            .viewUnits, .viewBlocks, .viewPeople, .editPeople, .viewPersonSensitive, .exportData, .viewAudit,
            .viewIndex, .selfAssess, .submitAssessment, .explain,
            .viewPlans, .managePlans, .reportProgress,
            .viewSurveys, .enterSurveyResponses, .viewPerformance,
            .viewInitiatives, .submitInitiatives, .viewAwards, .nominateAwards, .submitNominations,
        ],
        .unitOfficer: [.viewUnits, .viewBlocks, .viewPeople, .editPeople, .exportData, .viewIndex, .selfAssess, .explain,
                       .viewPlans, .reportProgress, .viewSurveys, .enterSurveyResponses, .viewPerformance, .viewInitiatives, .submitInitiatives,
                       .viewAwards, .nominateAwards],
        .appraiser: [.viewUnits, .viewBlocks, .viewPeople, .viewIndex, .appraise, .viewPlans, .viewInitiatives, .reviewInitiatives],
        .councilMember: [.viewUnits, .viewBlocks, .viewPeople, .viewPersonSensitive, .viewIndex, .approveResults, .viewPlans, .viewSurveys, .viewPerformance,
                         .viewInitiatives, .reviewInitiatives, .decideInitiatives, .viewAwards, .voteAwards],
        .leader: [.viewUnits, .viewBlocks, .viewPeople, .viewPersonSensitive, .exportData, .viewAudit, .viewIndex, .viewPlans, .viewSurveys, .viewPerformance,
                  .viewInitiatives, .viewAwards],
    ]

    public static func permits(_ role: Role, _ action: Action) -> Bool {
        table[role]?.contains(action) ?? false
    }

    /// May the user do `action` on a unit whose ancestor chain (itself first, root last) is `unitPath`?
    public static func allows(_ grants: [Grant], _ action: Action, unitPath: [UUID]) -> Bool {
        let path = Set(unitPath)
        return grants.contains { permits($0.role, action) && path.contains($0.unitID) }
    }

    /// May the user do `action` somewhere (used to show a menu entry or open a list page)?
    public static func allowsAnywhere(_ grants: [Grant], _ action: Action) -> Bool {
        grants.contains { permits($0.role, action) }
    }

    /// The units whose subtrees the user may act on; lists are filtered to these.
    public static func scopeRoots(_ grants: [Grant], _ action: Action) -> Set<UUID> {
        Set(grants.filter { permits($0.role, action) }.map(\.unitID))
    }

    /// Province-wide actions (the emulation blocks span many units) need the right on the root unit.
    public static func allowsProvinceWide(_ grants: [Grant], _ action: Action, rootID: UUID) -> Bool {
        allows(grants, action, unitPath: [rootID])
    }
}
