import Vapor
import ThiDuaCore

/// Who may call a route. Every route declares one; the permission-matrix test fails on a route without it.
enum RouteAccess: Sendable, Equatable {
    case publicAccess
    case signedIn
    case action(Action)
    /// Every one of these actions is needed (e.g. editing a person's discipline record).
    case allOf([Action])
    /// Any one of these actions is enough (e.g. adding evidence while self-assessing or explaining).
    case anyOf([Action])

    static let key = "thidua.access"

    var label: String {
        switch self {
        case .publicAccess: "public"
        case .signedIn: "signed_in"
        case .action(let a): a.rawValue
        case .allOf(let actions): actions.map(\.rawValue).joined(separator: "+")
        case .anyOf(let actions): actions.map(\.rawValue).joined(separator: "|")
        }
    }
}

extension Route {
    @discardableResult
    func access(_ a: RouteAccess) -> Route {
        userInfo[RouteAccess.key] = a
        return self
    }

    var declaredAccess: RouteAccess? { userInfo[RouteAccess.key] as? RouteAccess }
}

/// The whole URL space, in labelled groups. Handlers check the declared access themselves (object-level
/// checks need the unit); the declaration is what the permission matrix test holds them to.
func routes(_ app: Application) throws {
    let uploadLimit = ByteCount(value: app.config.maxUploadBytes + 64 * 1024)

    // Operations
    app.get("healthz", use: OpsController.healthz).access(.publicAccess)
    app.get("metrics", use: OpsController.metrics).access(.publicAccess)
    app.get("assets", ":file", use: OpsController.asset).access(.publicAccess)

    // Sign-in, account, language
    app.get(use: HomeController.index).access(.publicAccess)
    app.get("login", use: AuthController.loginForm).access(.publicAccess)
    app.post("login", use: AuthController.login).access(.publicAccess)
    app.post("logout", use: AuthController.logout).access(.signedIn)
    app.get("account", "password", use: AuthController.passwordForm).access(.signedIn)
    app.post("account", "password", use: AuthController.changePassword).access(.signedIn)
    app.get("lang", ":lang", use: AuthController.language).access(.publicAccess)

    // Unit registry
    app.get("units", use: UnitController.index).access(.action(.viewUnits))
    app.get("units", "new", use: UnitController.new).access(.action(.editUnits))
    app.post("units", use: UnitController.create).access(.action(.editUnits))
    app.get("units", ":unitID", use: UnitController.show).access(.action(.viewUnits))
    app.get("units", ":unitID", "edit", use: UnitController.edit).access(.action(.editUnits))
    app.post("units", ":unitID", use: UnitController.update).access(.action(.editUnits))
    app.get("units", ":unitID", "merge", use: UnitController.mergeForm).access(.action(.mergeUnits))
    app.post("units", ":unitID", "merge", use: UnitController.merge).access(.action(.mergeUnits))

    // Emulation blocks
    app.get("blocks", use: BlockController.index).access(.action(.viewBlocks))
    app.get("blocks", "new", use: BlockController.new).access(.action(.editBlocks))
    app.post("blocks", use: BlockController.create).access(.action(.editBlocks))
    app.get("blocks", ":blockID", use: BlockController.show).access(.action(.viewBlocks))
    app.post("blocks", ":blockID", "members", use: BlockController.members).access(.action(.editBlocks))

    // People
    app.get("people", use: PersonController.index).access(.action(.viewPeople))
    app.get("people", "new", use: PersonController.new).access(.action(.editPeople))
    app.post("people", use: PersonController.create).access(.action(.editPeople))
    app.get("people", ":personID", use: PersonController.show).access(.action(.viewPeople))
    app.get("people", ":personID", "edit", use: PersonController.edit).access(.action(.editPeople))
    app.post("people", ":personID", use: PersonController.update).access(.action(.editPeople))
    app.post("people", ":personID", "ratings", use: PersonController.addRating).access(.action(.editPeople))
    app.post("people", ":personID", "periods", use: PersonController.addPeriod)
        .access(.allOf([.editPeople, .viewPersonSensitive]))
    app.post("people", ":personID", "periods", ":periodID", "delete", use: PersonController.deletePeriod)
        .access(.allOf([.editPeople, .viewPersonSensitive]))

    // Import and export
    app.get("import", use: ImportController.form).access(.action(.importData))
    app.on(.POST, "import", "preview", body: .collect(maxSize: uploadLimit), use: ImportController.preview)
        .access(.action(.importData))
    app.get("import", ":batchID", use: ImportController.show).access(.action(.importData))
    app.post("import", ":batchID", "commit", use: ImportController.commit).access(.action(.importData))
    app.get("export", ":file", use: ExportController.export).access(.action(.exportData))

    // Accounts and roles
    app.get("admin", "users", use: UserAdminController.index).access(.action(.manageUsers))
    app.get("admin", "users", "new", use: UserAdminController.new).access(.action(.manageUsers))
    app.post("admin", "users", use: UserAdminController.create).access(.action(.manageUsers))
    app.get("admin", "users", ":userID", use: UserAdminController.show).access(.action(.manageUsers))
    app.post("admin", "users", ":userID", "grants", use: UserAdminController.addGrant).access(.action(.manageUsers))
    app.post("admin", "users", ":userID", "grants", ":grantID", "delete", use: UserAdminController.deleteGrant)
        .access(.action(.manageUsers))
    app.post("admin", "users", ":userID", "reset-password", use: UserAdminController.resetPassword)
        .access(.action(.manageUsers))
    app.post("admin", "users", ":userID", "email", use: UserAdminController.setEmail).access(.action(.manageUsers))
    app.get("admin", "mail", use: MailAdminController.index).access(.action(.manageUsers))
    app.post("admin", "mail", "test", use: MailAdminController.test).access(.action(.manageUsers))

    // PAR Index: frameworks, cycles, score sheets
    app.get("index", use: CycleController.home).access(.action(.viewIndex))
    app.get("index", "frameworks", use: FrameworkController.index).access(.action(.viewIndex))
    app.on(.POST, "index", "frameworks", body: .collect(maxSize: uploadLimit), use: FrameworkController.upload)
        .access(.action(.manageFrameworks))
    app.post("index", "frameworks", "starters", use: FrameworkController.starters).access(.action(.manageFrameworks))
    app.get("index", "frameworks", ":frameworkID", use: FrameworkController.show).access(.action(.viewIndex))
    app.get("index", "frameworks", ":frameworkID", "export", ":format", use: FrameworkController.export).access(.action(.viewIndex))
    app.post("index", "frameworks", ":frameworkID", "copy", use: FrameworkController.copy).access(.action(.manageFrameworks))
    app.get("index", "cycles", "new", use: CycleController.new).access(.action(.manageCycles))
    app.post("index", "cycles", use: CycleController.create).access(.action(.manageCycles))
    app.get("index", "cycles", ":cycleID", use: CycleController.show).access(.action(.viewIndex))
    app.post("index", "cycles", ":cycleID", "assign", use: CycleController.assign).access(.action(.manageCycles))
    app.post("index", "cycles", ":cycleID", "phase", use: CycleController.phase).access(.action(.manageCycles))
    app.post("index", "cycles", ":cycleID", "approve", use: CycleController.approve).access(.action(.approveResults))
    app.post("index", "cycles", ":cycleID", "publish", use: CycleController.publish).access(.action(.publishResults))
    app.get("index", "cycles", ":cycleID", "ranking", ":format", use: CycleController.ranking).access(.action(.viewIndex))
    app.get("index", "cycles", ":cycleID", "calibration", use: CycleController.calibration).access(.action(.manageCycles))
    app.get("index", "assessments", ":assessmentID", use: AssessmentController.show).access(.action(.viewIndex))
    app.post("index", "assessments", ":assessmentID", "scores", use: AssessmentController.saveScores).access(.action(.selfAssess))
    app.on(.POST, "index", "assessments", ":assessmentID", "evidence", body: .collect(maxSize: uploadLimit), use: AssessmentController.addEvidence)
        .access(.anyOf([.selfAssess, .explain]))
    app.post("index", "assessments", ":assessmentID", "submit", use: AssessmentController.submit).access(.action(.submitAssessment))
    app.post("index", "assessments", ":assessmentID", "appraise", use: AssessmentController.appraise).access(.action(.appraise))
    app.post("index", "assessments", ":assessmentID", "explain", use: AssessmentController.explain).access(.action(.explain))
    app.get("index", "evidence", ":evidenceID", use: AssessmentController.downloadEvidence).access(.action(.viewIndex))

    // PAR plans and tasks, follow-up, progress reports
    app.get("plans", use: PlanController.index).access(.action(.viewPlans))
    app.get("plans", "new", use: PlanController.new).access(.action(.managePlans))
    app.post("plans", use: PlanController.create).access(.action(.managePlans))
    app.get("plans", ":planID", use: PlanController.show).access(.action(.viewPlans))
    app.get("plans", ":planID", "edit", use: PlanController.edit).access(.action(.managePlans))
    app.post("plans", ":planID", use: PlanController.update).access(.action(.managePlans))
    app.post("plans", ":planID", "status", use: PlanController.setStatus).access(.action(.managePlans))
    app.get("plans", ":planID", "tasks", "new", use: PlanController.newTask).access(.action(.managePlans))
    app.post("plans", ":planID", "tasks", use: PlanController.createTask).access(.action(.managePlans))
    app.get("plans", ":planID", "import", use: TaskImportController.form).access(.action(.managePlans))
    app.on(.POST, "plans", ":planID", "import", body: .collect(maxSize: uploadLimit), use: TaskImportController.preview)
        .access(.action(.managePlans))
    app.get("plans", ":planID", "import", ":batchID", use: TaskImportController.show).access(.action(.managePlans))
    app.post("plans", ":planID", "import", ":batchID", use: TaskImportController.commit).access(.action(.managePlans))
    app.get("tasks", ":taskID", use: PlanController.showTask).access(.action(.viewPlans))
    app.get("tasks", ":taskID", "edit", use: PlanController.editTask).access(.action(.managePlans))
    app.post("tasks", ":taskID", use: PlanController.updateTask).access(.action(.managePlans))
    app.on(.POST, "tasks", ":taskID", "reports", body: .collect(maxSize: uploadLimit), use: PlanController.report)
        .access(.action(.reportProgress))
    app.get("tasks", "evidence", ":evidenceID", use: PlanController.downloadEvidence).access(.action(.viewPlans))
    app.get("followup", use: FollowUpController.notifications).access(.action(.viewPlans))
    app.get("followup", "overdue", use: FollowUpController.overdue).access(.action(.viewPlans))
    app.get("followup", "report", use: FollowUpController.report).access(.action(.viewPlans))
    app.get("followup", "report", ":format", use: FollowUpController.reportExport).access(.action(.viewPlans))
    app.get("followup", "rules", use: FollowUpController.settings).access(.action(.viewPlans))
    app.post("followup", "rules", use: FollowUpController.saveSettings).access(.action(.managePlans))

    // Satisfaction surveys: the office's pages
    app.get("surveys", use: SurveyAdminController.index).access(.action(.viewSurveys))
    app.post("surveys", "starters", use: SurveyAdminController.starters).access(.action(.manageSurveys))
    app.get("surveys", "settings", use: SurveyAdminController.settings).access(.action(.viewSurveys))
    app.post("surveys", "settings", use: SurveyAdminController.saveSettings).access(.action(.manageSurveys))
    app.post("surveys", "questionnaires", use: SurveyAdminController.createQuestionnaire).access(.action(.manageSurveys))
    app.get("surveys", "questionnaires", ":questionnaireID", use: SurveyAdminController.showQuestionnaire).access(.action(.viewSurveys))
    app.post("surveys", "questionnaires", ":questionnaireID", "questions", use: SurveyAdminController.addQuestion).access(.action(.manageSurveys))
    app.post("surveys", "questionnaires", ":questionnaireID", "questions", ":code", "delete", use: SurveyAdminController.deleteQuestion)
        .access(.action(.manageSurveys))
    app.post("surveys", "questionnaires", ":questionnaireID", "publish", use: SurveyAdminController.publish).access(.action(.manageSurveys))
    app.post("surveys", "questionnaires", ":questionnaireID", "copy", use: SurveyAdminController.copy).access(.action(.manageSurveys))
    app.get("surveys", "campaigns", "new", use: SurveyAdminController.newCampaign).access(.action(.manageSurveys))
    app.post("surveys", "campaigns", use: SurveyAdminController.createCampaign).access(.action(.manageSurveys))
    app.get("surveys", "campaigns", ":campaignID", use: SurveyAdminController.showCampaign).access(.action(.viewSurveys))
    app.post("surveys", "campaigns", ":campaignID", "status", use: SurveyAdminController.setStatus).access(.action(.manageSurveys))
    app.get("surveys", "campaigns", ":campaignID", "results", use: SurveyAdminController.results).access(.action(.viewSurveys))
    app.get("surveys", "campaigns", ":campaignID", "export", ":file", use: SurveyAdminController.export).access(.action(.viewSurveys))
    app.get("surveys", "campaigns", ":campaignID", "quarantine", use: SurveyAdminController.quarantine).access(.action(.manageSurveys))
    app.post("surveys", "responses", ":responseID", "review", use: SurveyAdminController.review).access(.action(.manageSurveys))
    app.get("surveys", "campaigns", ":campaignID", "paper", ":pointID", use: SurveyAdminController.paperForm).access(.action(.enterSurveyResponses))
    app.post("surveys", "campaigns", ":campaignID", "paper", ":pointID", use: SurveyAdminController.paperSubmit).access(.action(.enterSurveyResponses))
    app.post("surveys", "campaigns", ":campaignID", "receipts", ":pointID", use: SurveyAdminController.receipts).access(.action(.enterSurveyResponses))

    // Satisfaction surveys: answering (no sign-in), QR code and poster
    app.get("s", ":token", use: SurveyPublicController.form).access(.publicAccess)
    app.post("s", ":token", use: SurveyPublicController.submit).access(.publicAccess)
    app.get("s", ":token", "kiosk", use: SurveyPublicController.kioskForm).access(.publicAccess)
    app.post("s", ":token", "kiosk", use: SurveyPublicController.kioskSubmit).access(.publicAccess)
    app.get("s", ":token", "thanks", use: SurveyPublicController.thanks).access(.publicAccess)
    app.get("s", ":token", "qr.svg", use: SurveyPublicController.qr).access(.publicAccess)
    app.get("s", ":token", "poster", use: SurveyPublicController.poster).access(.publicAccess)

    // Published results (no sign-in)
    app.get("public", "index", use: PublicIndexController.index).access(.publicAccess)
    app.get("public", "index", ":cycleID", use: PublicIndexController.cycle).access(.publicAccess)
    app.get("public", "index", ":cycleID", "units", ":unitID", use: PublicIndexController.unit).access(.publicAccess)
    app.get("public", "index", ":cycleID", "export", ":format", use: PublicIndexController.export).access(.publicAccess)

    // Audit trail
    app.get("audit", use: AuditController.index).access(.action(.viewAudit))
    app.get("audit", ":type", ":id", use: AuditController.history).access(.action(.viewAudit))

    // Procedure performance (issue 6)
    app.get("performance", use: PerformanceController.index).access(.action(.viewPerformance))
    app.get("performance", "export", ":format", use: PerformanceController.export).access(.action(.viewPerformance))
    app.get("performance", "units", ":unitID", use: PerformanceController.unit).access(.action(.viewPerformance))
    app.get("performance", "units", ":unitID", "procedures", ":procedureID", use: PerformanceController.lateDossiers).access(.action(.viewPerformance))
    app.get("performance", "procedures", use: PerformanceController.procedures).access(.action(.viewPerformance))
    app.get("performance", "calendar", use: PerformanceController.calendarForm).access(.action(.managePerformance))
    app.post("performance", "calendar", use: PerformanceController.saveCalendar).access(.action(.managePerformance))
    app.get("performance", "tokens", use: PerformanceController.tokens).access(.action(.managePerformance))
    app.post("performance", "tokens", use: PerformanceController.createToken).access(.action(.managePerformance))
    app.post("performance", "tokens", ":tokenID", "revoke", use: PerformanceController.revokeToken).access(.action(.managePerformance))
    app.get("performance", "rejects", use: PerformanceController.rejects).access(.action(.managePerformance))
    app.post("performance", "rejects", "reprocess", use: PerformanceController.reprocess).access(.action(.managePerformance))

    // Initiatives (issue 7)
    app.get("initiatives", use: InitiativeController.index).access(.action(.viewInitiatives))
    app.post("initiatives", use: InitiativeController.create).access(.action(.submitInitiatives))
    app.get("initiatives", "new", use: InitiativeController.newForm).access(.action(.submitInitiatives))
    app.get("initiatives", "spread", use: InitiativeController.spread).access(.action(.viewInitiatives))
    app.get("initiatives", "periods", use: InitiativeController.periods).access(.action(.manageInitiatives))
    app.post("initiatives", "periods", use: InitiativeController.createPeriod).access(.action(.manageInitiatives))
    app.post("initiatives", "periods", ":periodID", "phase", use: InitiativeController.advancePhase).access(.action(.manageInitiatives))
    app.get("initiatives", "evidence", ":evidenceID", use: InitiativeController.evidenceFile).access(.action(.viewInitiatives))
    app.get("initiatives", ":initiativeID", use: InitiativeController.show).access(.action(.viewInitiatives))
    app.post("initiatives", ":initiativeID", use: InitiativeController.update).access(.action(.submitInitiatives))
    app.get("initiatives", ":initiativeID", "edit", use: InitiativeController.editForm).access(.action(.submitInitiatives))
    app.post("initiatives", ":initiativeID", "submit", use: InitiativeController.submit).access(.action(.submitInitiatives))
    app.post("initiatives", ":initiativeID", "withdraw", use: InitiativeController.withdraw).access(.action(.submitInitiatives))
    app.on(.POST, "initiatives", ":initiativeID", "evidence", body: .collect(maxSize: uploadLimit), use: InitiativeController.addEvidence)
        .access(.action(.submitInitiatives))
    app.post("initiatives", ":initiativeID", "reviewers", use: InitiativeController.assignReviewer).access(.action(.manageInitiatives))
    app.get("initiatives", ":initiativeID", "review", use: InitiativeController.reviewForm).access(.action(.reviewInitiatives))
    app.post("initiatives", ":initiativeID", "review", use: InitiativeController.saveReview).access(.action(.reviewInitiatives))
    app.post("initiatives", ":initiativeID", "decision", use: InitiativeController.decide).access(.action(.decideInitiatives))
    app.post("initiatives", ":initiativeID", "adoptions", use: InitiativeController.adopt).access(.action(.submitInitiatives))
    app.get("library", use: InitiativeController.library).access(.publicAccess)
    app.get("library", ":initiativeID", use: InitiativeController.libraryItem).access(.publicAccess)

    // Emulation and rewards (issue 8)
    app.get("awards", use: AwardController.index).access(.action(.viewAwards))
    app.get("awards", "catalogue", use: AwardController.editCatalogue).access(.action(.manageAwards))
    app.post("awards", "catalogue", use: AwardController.saveCatalogue).access(.action(.manageAwards))
    app.get("awards", "eligibility", use: AwardController.eligibility).access(.action(.viewAwards))
    app.get("awards", "registry", use: AwardRegistryController.registry).access(.action(.viewAwards))
    app.get("awards", "records", ":recordID", "revoke", use: AwardRegistryController.revokeForm).access(.action(.manageAwards))
    app.post("awards", "records", ":recordID", "revoke", use: AwardRegistryController.revoke).access(.action(.manageAwards))
    app.get("awards", "records", ":recordID", "certificate", use: DecisionController.certificate).access(.action(.viewAwards))
    app.get("awards", "movements", use: NominationController.movements).access(.action(.viewAwards))
    app.post("awards", "movements", use: NominationController.createMovement).access(.action(.manageAwards))
    app.get("awards", "movements", ":movementID", use: NominationController.movement).access(.action(.viewAwards))
    app.post("awards", "movements", ":movementID", "comment", use: NominationController.openComment).access(.action(.manageAwards))
    app.post("awards", "movements", ":movementID", "nominations", use: NominationController.createNomination).access(.action(.nominateAwards))
    app.post("awards", "movements", ":movementID", "sessions", use: CouncilController.create).access(.action(.manageAwards))
    app.post("awards", "movements", ":movementID", "decisions", use: DecisionController.draft).access(.action(.manageAwards))
    app.get("awards", "nominations", ":nominationID", use: NominationController.nomination).access(.action(.viewAwards))
    app.post("awards", "nominations", ":nominationID", use: NominationController.saveNomination).access(.action(.nominateAwards))
    app.post("awards", "nominations", ":nominationID", "nominees", use: NominationController.addNominee).access(.action(.nominateAwards))
    app.post("awards", "nominations", ":nominationID", "submit", use: NominationController.submit).access(.action(.submitNominations))
    app.post("awards", "nominations", ":nominationID", "receive", use: NominationController.receive).access(.action(.manageAwards))
    app.post("awards", "nominations", ":nominationID", "return", use: NominationController.returnForCompletion).access(.action(.manageAwards))
    app.post("awards", "nominations", ":nominationID", "review", use: NominationController.review).access(.action(.manageAwards))
    app.post("awards", "nominees", ":nomineeID", "remove", use: NominationController.removeNominee).access(.action(.nominateAwards))
    app.on(.POST, "awards", "nominations", ":nominationID", "evidence", body: .collect(maxSize: uploadLimit), use: NominationController.addEvidence)
        .access(.action(.nominateAwards))
    app.get("awards", "evidence", ":evidenceID", use: NominationController.evidenceFile).access(.action(.viewAwards))
    app.get("awards", "sessions", ":sessionID", use: CouncilController.show).access(.action(.viewAwards))
    app.post("awards", "sessions", ":sessionID", "recuse", use: CouncilController.recuse).access(.action(.voteAwards))
    app.post("awards", "sessions", ":sessionID", "ballot", use: CouncilController.ballot).access(.action(.voteAwards))
    app.post("awards", "sessions", ":sessionID", "paper", use: CouncilController.paper).access(.action(.manageAwards))
    app.post("awards", "sessions", ":sessionID", "close", use: CouncilController.close).access(.action(.manageAwards))
    app.get("awards", "sessions", ":sessionID", "minutes.docx", use: CouncilController.minutes).access(.action(.viewAwards))
    app.get("awards", "decisions", ":decisionID", use: DecisionController.show).access(.action(.viewAwards))
    app.get("awards", "decisions", ":decisionID", "decision.docx", use: DecisionController.docx).access(.action(.viewAwards))
    app.post("awards", "decisions", ":decisionID", "sign", use: DecisionController.sign).access(.action(.manageAwards))
    app.post("awards", "decisions", ":decisionID", "publish", use: DecisionController.publish).access(.action(.manageAwards))
    app.post("awards", "decisions", ":decisionID", "revoke", use: DecisionController.revoke).access(.action(.manageAwards))
    app.get("awards", "movements", ":movementID", "scores", use: EmulationController.scoresPage).access(.action(.viewAwards))
    app.post("awards", "movements", ":movementID", "scores", use: EmulationController.enter).access(.action(.manageAwards))
    app.post("awards", "movements", ":movementID", "deductions", use: EmulationController.deduct).access(.action(.manageAwards))
    app.get("awards", "movements", ":movementID", "scheme", use: EmulationController.schemeForm).access(.action(.manageAwards))
    app.post("awards", "movements", ":movementID", "scheme", use: EmulationController.saveScheme).access(.action(.manageAwards))
    app.post("awards", "movements", ":movementID", "registrations", use: EmulationController.register).access(.action(.nominateAwards))
    app.post("awards", "movements", ":movementID", "pledges", use: EmulationController.pledge).access(.action(.manageAwards))
    app.get("awards", "movements", ":movementID", "review", use: EmulationController.review).access(.action(.viewAwards))
    app.get("honours", use: NominationController.honours).access(.publicAccess)

    // The JSON API of one-stop systems: bearer tokens with scopes (not sessions), JSON errors
    app.on(.POST, "api", "v1", "dossiers", body: .collect(maxSize: ByteCount(value: DossierService.maxBatchBytes)), use: DossierAPIController.ingest)
        .access(.publicAccess)
    app.get("api", "v1", "indicators", use: DossierAPIController.indicators).access(.publicAccess)
    app.get("api", "v1", "openapi.json", use: DossierAPIController.openAPI).access(.publicAccess)
}
