import Fluent
import Foundation
import Vapor
import ThiDuaCore

enum NominationURL {
    static let movements = "/awards/movements"
    static let honours = "/honours"
    static func movement(_ id: UUID) -> String { "/awards/movements/\(id)" }
    static func comment(_ id: UUID) -> String { "/awards/movements/\(id)/comment" }
    static func nominations(_ id: UUID) -> String { "/awards/movements/\(id)/nominations" }
    static func sessions(_ id: UUID) -> String { "/awards/movements/\(id)/sessions" }
    static func decisions(_ id: UUID) -> String { "/awards/movements/\(id)/decisions" }
    static func nomination(_ id: UUID) -> String { "/awards/nominations/\(id)" }
    static func nominees(_ id: UUID) -> String { "/awards/nominations/\(id)/nominees" }
    static func step(_ id: UUID, _ step: NominationStep) -> String { "/awards/nominations/\(id)/\(step.rawValue)" }
    static func removeNominee(_ id: UUID) -> String { "/awards/nominees/\(id)/remove" }
    static func evidence(_ id: UUID) -> String { "/awards/nominations/\(id)/evidence" }
    static func evidenceFile(_ id: UUID) -> String { "/awards/evidence/\(id)" }
}

/// The year end, first half: movements with their award plan, and the units' nomination dossiers — nominees with
/// their eligibility rule by rule, quotas, the states from draft to published with every move audited, and the public
/// comment period before the council votes.
enum NominationController {
    static func now() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }
    static func isManager(_ req: Request) async -> Bool { (try? await SurveyAdminController.requireProvince(req, .manageAwards)) != nil }

    /// A form field, cut to `max` characters.
    static func field(_ req: Request, _ key: String, _ max: Int = 500) -> String {
        String(((try? req.content.get(String.self, at: key)) ?? "").prefix(max))
    }

    // MARK: Movements

    @Sendable static func movements(req: Request) async throws -> Response {
        _ = try req.require(.viewAwards)
        return try await movementsPage(req, errors: FormErrors(req.t), values: [:], status: .ok)
    }

    static func movementsPage(_ req: Request, errors: FormErrors, values: [String: String], status: HTTPStatus) async throws -> Response {
        let list = try await AwardMovement.query(on: req.db).sort(\.$year, .descending).sort(\.$createdMs, .descending).all()
        return NominationPages.movements(req.pageContext, list, canManage: await isManager(req), errors: errors.list, values: values,
                                         year: req.application.today.year)
            .response(status: status)
    }

    @Sendable static func createMovement(req: Request) async throws -> Response {
        let user = try await SurveyAdminController.requireProvince(req, .manageAwards)
        var e = FormErrors(req.t)
        let keys = ["name", "kind", "year", "decision_number", "decision_date", "starts", "ends", "objectives", "quotas", "comment_days"]
        var values: [String: String] = [:]
        for k in keys { values[k] = field(req, k, k == "objectives" ? 4_000 : 500) }
        let name = e.take("name", FieldRules.name(values["name"]!, max: 300))
        let kind = MovementKind(rawValue: values["kind"]!)
        if kind == nil { e.add("kind", message: req.t("nomination.error.choose")) }
        let year = Int(values["year"]!.trimmingCharacters(in: .whitespaces)).flatMap { (2000...2100).contains($0) ? $0 : nil }
        if year == nil { e.add("year", message: req.t("nomination.error.year")) }
        let number = e.take("decision_number", FieldRules.name(values["decision_number"]!, max: 100))
        let decided = e.take("decision_date", FieldRules.date(values["decision_date"]!)).flatMap { $0 }
        if decided == nil, e.list.allSatisfy({ $0.field != "decision_date" }) { e.add("decision_date", "problem.required") }
        let starts = e.take("starts", FieldRules.date(values["starts"]!)).flatMap { $0 }
        if starts == nil, e.list.allSatisfy({ $0.field != "starts" }) { e.add("starts", "problem.required") }
        let ends = e.take("ends", FieldRules.date(values["ends"]!)).flatMap { $0 }
        if ends == nil, e.list.allSatisfy({ $0.field != "ends" }) { e.add("ends", "problem.required") }
        if let s = starts, let en = ends, en < s { e.add("ends", "problem.dateOrder") }
        let objectives = e.take("objectives", FieldRules.text(values["objectives"]!, max: 4_000)) ?? ""
        let catalogue = try await AwardController.catalogue(on: req.db)
        let quotas = AwardQuota.parse(values["quotas"]!)
        if quotas == nil {
            e.add("quotas", message: req.t("nomination.error.quotas"))
        } else if let unknown = quotas!.keys.sorted().first(where: { c in !catalogue.types.contains { $0.code == c } }) {
            e.add("quotas", message: req.t("nomination.error.unknownAward", unknown))
        }
        let days = Int(values["comment_days"]!.trimmingCharacters(in: .whitespaces)).flatMap { (1...90).contains($0) ? $0 : nil }
        if days == nil { e.add("comment_days", message: req.t("nomination.error.commentDays")) }
        guard e.isEmpty, let name, let kind, let year, let number, let decided, let starts, let ends, let quotas, let days else {
            return try await movementsPage(req, errors: e, values: values, status: .unprocessableEntity)
        }
        let m = AwardMovement()
        m.name = name
        m.kind = kind.rawValue
        m.year = year
        m.decisionNumber = number
        m.decisionDate = decided.iso
        m.starts = starts.iso
        m.ends = ends.iso
        m.objectives = objectives
        m.quotas = AwardQuota.format(quotas)
        m.commentDays = days
        m.schemeJSON = String(decoding: try JSONEncoder.sorted.encode(EmulationScheme.starting), as: UTF8.self)
        m.createdMs = now()
        try await req.db.writing(as: user.actor) { tx, audit in
            try await m.create(on: tx)
            audit.created(m)
        }
        return req.redirect(to: NominationURL.movement(try m.requireID()) + "?ok=saved")
    }

    static func loadMovement(_ req: Request) async throws -> AwardMovement {
        guard let id = req.parameters.get("movementID", as: UUID.self), let m = try await AwardMovement.find(id, on: req.db) else { throw AppError.notFound }
        return m
    }

    @Sendable static func movement(req: Request) async throws -> Response {
        let user = try req.require(.viewAwards)
        let m = try await loadMovement(req)
        return try await movementPage(req, user, m, error: nil, status: .ok)
    }

    static func movementPage(_ req: Request, _ user: CurrentUser, _ m: AwardMovement, error: String?, status: HTTPStatus) async throws -> Response {
        let id = try m.requireID()
        let scope = try await SurveyAdminController.scope(req, user, .viewAwards)
        var q = AwardNomination.query(on: req.db).filter(\.$movement.$id == id).with(\.$unit)
        if let scope { q = q.filter(\.$unit.$id ~~ Array(scope)) }
        let nominations = try await q.all().sorted { $0.unit.name < $1.unit.name }
        let counts = try await nomineeCounts(nominations.compactMap(\.id), on: req.db)
        let manager = await isManager(req)
        let writable = try await SurveyAdminController.units(req, user, .nominateAwards)
        let sessions = try await CouncilSession.query(on: req.db).filter(\.$movement.$id == id).sort(\.$createdMs).all()
        let decisions = try await AwardDecision.query(on: req.db).filter(\.$movement.$id == id).sort(\.$createdMs).all()
        let councillors = manager ? try await CouncilController.councillors(on: req.db) : []
        let ballotReady = manager ? try await CouncilController.ballotNominees(movement: id, on: req.db).count : 0
        let passedWithoutDecision = manager
            ? try await passedNominees(movement: id, on: req.db).filter { $0.decisionID == nil }.count : 0
        var regQuery = AwardRegistration.query(on: req.db).filter(\.$movement.$id == id).with(\.$unit)
        if let scope { regQuery = regQuery.filter(\.$unit.$id ~~ Array(scope)) }
        let registrations = try await regQuery.sort(\.$createdMs).all()
        let pledges = try await AwardPledge.query(on: req.db).filter(\.$movement.$id == id).with(\.$block).all()
        let blocks = manager ? try await EmulationController.blocks(m, on: req.db) : []
        return NominationPages.movement(
            req.pageContext, m, nominations: nominations, nomineeCounts: counts, writable: writable, manager: manager, sessions: sessions,
            registrations: registrations, pledges: pledges, blocks: blocks,
            decisions: decisions, councillors: councillors, ballotReady: ballotReady, passedWithoutDecision: passedWithoutDecision,
            catalogue: try await AwardController.catalogue(on: req.db), today: req.application.today, error: error
        ).response(status: status)
    }

    static func nomineeCounts(_ ids: [UUID], on db: any Database) async throws -> [UUID: Int] {
        guard !ids.isEmpty else { return [:] }
        var out: [UUID: Int] = [:]
        for n in try await AwardNominee.query(on: db).filter(\.$nomination.$id ~~ ids).all() { out[n.$nomination.id, default: 0] += 1 }
        return out
    }

    /// The nominees of a movement the council passed.
    static func passedNominees(movement: UUID, on db: any Database) async throws -> [AwardNominee] {
        let ids = try await AwardNomination.query(on: db).filter(\.$movement.$id == movement).all()
            .filter { [.voted, .decided, .published].contains($0.state) }.compactMap(\.id)
        guard !ids.isEmpty else { return [] }
        return try await AwardNominee.query(on: db).filter(\.$nomination.$id ~~ ids).filter(\.$result == "passed").all()
    }

    /// Opens the public comment period on the candidates under review (today and the movement's number of days).
    @Sendable static func openComment(req: Request) async throws -> Response {
        let user = try await SurveyAdminController.requireProvince(req, .manageAwards)
        let m = try await loadMovement(req)
        let id = try m.requireID()
        let under = try await AwardNomination.query(on: req.db).filter(\.$movement.$id == id).filter(\.$stateRaw == NominationState.underReview.rawValue).count()
        guard under > 0 else { return try await movementPage(req, user, m, error: req.t("nomination.error.noneUnderReview"), status: .unprocessableEntity) }
        // The first day: today, or the day the list was posted earlier (on the portal or the notice board), not
        // before the movement's decision and not in the future.
        let today = req.application.today
        let raw = field(req, "comment_from", 20).trimmingCharacters(in: .whitespaces)
        let from = raw.isEmpty ? today : CivilDate(parsing: raw)
        guard let from, from <= today, let launched = CivilDate(parsing: m.decisionDate), !(from < launched) else {
            return try await movementPage(req, user, m, error: req.t("nomination.error.commentFrom"), status: .unprocessableEntity)
        }
        nonisolated(unsafe) let before = m.auditSnapshot
        m.commentFrom = from.iso
        m.commentUntil = from.adding(days: m.commentDays - 1).iso
        m.commentOpenedMs = now()
        try await req.db.writing(as: user.actor) { tx, audit in
            try await m.update(on: tx)
            audit.updated(m, before: before)
        }
        return req.redirect(to: NominationURL.movement(id) + "?ok=saved")
    }

    // MARK: Nominations

    @Sendable static func createNomination(req: Request) async throws -> Response {
        let user = try req.require(.nominateAwards)
        let m = try await loadMovement(req)
        let mid = try m.requireID()
        guard let unitID = UUID(uuidString: field(req, "unit", 40)), try await Unit.find(unitID, on: req.db) != nil else {
            return try await movementPage(req, user, m, error: req.t("nomination.error.unit"), status: .unprocessableEntity)
        }
        guard try await InitiativeController.mayActFor(unitID, user, .nominateAwards, on: req.db) else { throw AppError.forbidden }
        let id: UUID = try await req.db.writing(as: user.actor) { tx, audit in
            // One dossier per unit and movement: a second click opens the first.
            if let existing = try await AwardNomination.query(on: tx).filter(\.$movement.$id == mid).filter(\.$unit.$id == unitID).first() {
                return try existing.requireID()
            }
            let n = AwardNomination()
            n.$movement.id = mid
            n.$unit.id = unitID
            n.stateRaw = NominationState.draft.rawValue
            n.report = ""
            n.councilMinutes = ""
            n.createdMs = now()
            n.updatedMs = n.createdMs
            try await n.create(on: tx)
            audit.created(n)
            return try n.requireID()
        }
        return req.redirect(to: NominationURL.nomination(id))
    }

    static func loadNomination(_ req: Request, _ user: CurrentUser) async throws -> (AwardNomination, AwardMovement) {
        guard let id = req.parameters.get("nominationID", as: UUID.self), let n = try await AwardNomination.find(id, on: req.db),
            let m = try await AwardMovement.find(n.$movement.id, on: req.db)
        else { throw AppError.notFound }
        if let scope = try await SurveyAdminController.scope(req, user, .viewAwards), !scope.contains(n.$unit.id) { throw AppError.forbidden }
        return (n, m)
    }

    /// Inside a write: the dossier as committed, still editable by its unit (a double click or a submission racing a
    /// change cannot slip an edit into a sent dossier).
    static func requireEditable(_ id: UUID, on tx: any Database) async throws -> AwardNomination {
        guard let fresh = try await AwardNomination.find(id, on: tx), fresh.state.editable else { throw AppError.refused(key: "nomination.notEditable") }
        return fresh
    }

    @Sendable static func nomination(req: Request) async throws -> Response {
        let user = try req.require(.viewAwards)
        let (n, m) = try await loadNomination(req, user)
        return try await nominationPage(req, user, n, m, errors: FormErrors(req.t), values: [:], status: .ok)
    }

    static func nominationPage(_ req: Request, _ user: CurrentUser, _ n: AwardNomination, _ m: AwardMovement, errors: FormErrors, values: [String: String],
                               status: HTTPStatus) async throws -> Response {
        let nominees = try await AwardNominee.query(on: req.db).filter(\.$nomination.$id == (try n.requireID())).sort(\.$createdMs).all()
        let unit = try await Unit.find(n.$unit.id, on: req.db)
        let mayEdit = try await InitiativeController.mayActFor(n.$unit.id, user, .nominateAwards, on: req.db)
        let maySubmit = try await InitiativeController.mayActFor(n.$unit.id, user, .submitNominations, on: req.db)
        let canEdit = n.state.editable && mayEdit
        let canSubmit = n.state.editable && maySubmit
        let registrations = try await AwardRegistration.query(on: req.db).filter(\.$movement.$id == (try m.requireID())).all()
        let evidence = try await AwardEvidence.query(on: req.db).filter(\.$nomination.$id == (try n.requireID())).sort(\.$createdMs).all()
        return NominationPages.nomination(
            req.pageContext, n, movement: m, unitName: unit?.name ?? "", nominees: nominees, registrations: registrations, evidence: evidence,
            catalogue: try await AwardController.catalogue(on: req.db),
            canEdit: canEdit, canSubmit: canSubmit, manager: await isManager(req), errors: errors.list, values: values
        ).response(status: status)
    }

    /// The letter (số, ngày), the achievement report and the unit council's minutes.
    @Sendable static func saveNomination(req: Request) async throws -> Response {
        let user = try req.require(.nominateAwards)
        let (n, m) = try await loadNomination(req, user)
        guard try await InitiativeController.mayActFor(n.$unit.id, user, .nominateAwards, on: req.db) else { throw AppError.forbidden }
        guard n.state.editable else { throw AppError.refused(key: "nomination.notEditable") }
        var e = FormErrors(req.t)
        var values: [String: String] = [:]
        for k in ["letter_number", "letter_date", "report", "council_minutes"] { values[k] = field(req, k, k.count > 13 ? 20_000 : 200) }
        let number = e.take("letter_number", FieldRules.optionalText(values["letter_number"]!, max: 100))
        let date = e.take("letter_date", FieldRules.date(values["letter_date"]!))
        let report = e.take("report", FieldRules.text(values["report"]!, max: 20_000))
        let minutes = e.take("council_minutes", FieldRules.text(values["council_minutes"]!, max: 20_000))
        guard e.isEmpty, let number, let date, let report, let minutes else {
            return try await nominationPage(req, user, n, m, errors: e, values: values, status: .unprocessableEntity)
        }
        let nid = try n.requireID()
        try await req.db.writing(as: user.actor) { tx, audit in
            let fresh = try await requireEditable(nid, on: tx)
            let before = fresh.auditSnapshot
            fresh.letterNumber = number
            fresh.letterDate = date?.iso
            fresh.report = report
            fresh.councilMinutes = minutes
            fresh.updatedMs = now()
            try await fresh.update(on: tx)
            audit.updated(fresh, before: before)
        }
        return req.redirect(to: NominationURL.nomination(try n.requireID()) + "?ok=saved")
    }

    /// Adds a nominee: the award, the holder (a person of the unit, the unit or one of its units, or a household by
    /// name), the achievements; every rule of the award is checked and kept with the nominee. A rule not met blocks
    /// it, unless the rule may be overridden and a reason is given.
    @Sendable static func addNominee(req: Request) async throws -> Response {
        let user = try req.require(.nominateAwards)
        let (n, m) = try await loadNomination(req, user)
        guard try await InitiativeController.mayActFor(n.$unit.id, user, .nominateAwards, on: req.db) else { throw AppError.forbidden }
        guard n.state.editable else { throw AppError.refused(key: "nomination.notEditable") }
        let t = req.t
        var e = FormErrors(t)
        var values: [String: String] = [:]
        for k in ["award", "holder", "achievements", "override_reason", "women", "grassroots"] { values[k] = field(req, k, k == "achievements" ? 8_000 : 500) }
        let catalogue = try await AwardController.catalogue(on: req.db)
        let award = catalogue.types.first { $0.code == values["award"]! }
        if award == nil { e.add("award", message: t("nomination.error.choose")) }
        if let award, !award.decidedByProvince { e.add("award", message: t("nomination.error.notProvincial", award.name, award.authority)) }
        let achievements = e.take("achievements", FieldRules.text(values["achievements"]!, max: 8_000))
        if achievements == "" { e.add("achievements", "problem.required") }
        let overrideReason = e.take("override_reason", FieldRules.optionalText(values["override_reason"]!, max: 500)) ?? nil
        var holder: Holder?
        if let award, e.isEmpty {
            let found = try await Self.holder(award, values["holder"]!, within: n.$unit.id, emptyIsUnit: false, t: t, on: req.db)
            if let message = found.error { e.add("holder", message: message) }
            holder = found.holder
        }
        let person = holder?.person, unit = holder?.unit, holderName = holder?.name ?? ""
        var record = NomineeRecord()
        if let person { record = try await AwardRecords.record(of: person, on: req.db) }
        if let uid = unit?.id { record = try await AwardRecords.record(ofUnit: uid, on: req.db) }
        var results: [RuleResult] = []
        var checkedRules: [CheckedRule] = []
        if let award, e.isEmpty {
            let day = req.application.today
            let checked = award.rules.map { ($0, Eligibility.evaluate($0, record, year: m.year, referenceDay: day)) }
            results = checked.map(\.1)
            checkedRules = checked.map { CheckedRule(rule: $0.0, result: $0.1) }
            let failing = checked.filter { $0.1.status == .notMet }
            if let blocking = failing.first(where: { !$0.0.overridable }) {
                e.add("holder", message: t("nomination.error.excluded", t(blocking.1.key, arguments: AwardPages.readable(t, blocking.1))))
            } else if !failing.isEmpty && overrideReason == nil {
                e.add("override_reason", message: t("nomination.error.overrideNeeded", failing.map { AwardPages.describe(t, $0.0) }.joined(separator: "; ")))
            }
            // One achievement, one award: not twice in this movement, not if the registry already holds it for the year.
            if let holderID = person?.id ?? unit?.id, e.isEmpty, try await alreadyProposed(holderID, award.code, movement: m, on: req.db) {
                e.add("holder", message: t("nomination.error.oneAward", award.name, String(m.year)))
            }
        }
        guard e.isEmpty, let award, let achievements else {
            return try await nominationPage(req, user, n, m, errors: e, values: values, status: .unprocessableEntity)
        }
        let x = AwardNominee()
        x.$nomination.id = try n.requireID()
        x.awardCode = award.code
        x.subjectRaw = award.subject.rawValue
        x.personID = person?.id
        x.unitID = unit?.id
        x.holderName = holderName
        x.achievements = achievements
        x.women = values["women"] == "on" || (person?.sex == .female && values["women"] != "off")
        x.grassroots = values["grassroots"] == "on"
        x.eligibility = String(decoding: try JSONEncoder.sorted.encode(checkedRules), as: UTF8.self)
        x.overall = Eligibility.overall(results).rawValue
        x.rulesVersion = catalogue.versionLabel
        x.overrideReason = results.contains { $0.status == .notMet } ? overrideReason : nil
        x.createdMs = now()
        let holderID = person?.id ?? unit?.id
        try await req.db.writing(as: user.actor) { tx, audit in
            // Again under the write lock: still editable, still not proposed (a double click adds one).
            _ = try await requireEditable(x.$nomination.id, on: tx)
            if let holderID, try await alreadyProposed(holderID, x.awardCode, movement: m, on: tx) { throw AppError.conflict }
            try await x.create(on: tx)
            audit.created(x)
        }
        return req.redirect(to: NominationURL.nomination(try n.requireID()) + "?ok=saved")
    }

    /// Who an award goes to: a person, a unit, or a household (by name).
    struct Holder: Sendable {
        var person: Person?
        var unit: Unit?
        var name: String
    }

    /// The holder the award's subject asks for, within `unit` and its sub-units: a person by code, a unit by code (an
    /// empty code is `unit` itself when `emptyIsUnit`), a household by name — or why not, in words.
    static func holder(_ award: AwardType, _ raw: String, within unit: UUID, emptyIsUnit: Bool, t: Localizer, on db: any Database) async throws
        -> (holder: Holder?, error: String?)
    {
        let code = raw.trimmingCharacters(in: .whitespaces)
        let subtree = try await UnitTree.subtreeIDs(of: [unit], on: db)
        switch award.subject {
        case .individual:
            guard let p = try await Person.query(on: db).filter(\.$code == code.uppercased()).first(), subtree.contains(p.$unit.id) else {
                return (nil, t("nomination.error.person", code))
            }
            return (Holder(person: p, unit: nil, name: p.fullName), nil)
        case .collective:
            let u = code.isEmpty && emptyIsUnit ? try await Unit.find(unit, on: db) : try await Unit.query(on: db).filter(\.$code == code.uppercased()).first()
            guard let u, let uid = u.id, subtree.contains(uid) else { return (nil, t("nomination.error.unitHolder", code)) }
            return (Holder(person: nil, unit: u, name: u.name), nil)
        case .household:
            switch FieldRules.name(code, max: 200) {
            case .success(let name): return (Holder(person: nil, unit: nil, name: name), nil)
            case .failure(let p): return (nil, t.problem(p.key, p.argument))
            }
        }
    }

    /// One achievement, one award: the holder is already proposed for the award in this movement, or the registry holds
    /// it for the movement's year.
    static func alreadyProposed(_ holder: UUID, _ award: String, movement m: AwardMovement, on db: any Database) async throws -> Bool {
        let ids = try await AwardNomination.query(on: db).filter(\.$movement.$id == (try m.requireID())).all().compactMap(\.id)
        let dup = try await AwardNominee.query(on: db).filter(\.$nomination.$id ~~ ids).filter(\.$awardCode == award).all()
            .contains { $0.personID == holder || $0.unitID == holder }
        let given = try await AwardRecord.query(on: db).filter(\.$awardCode == award).filter(\.$year == m.year).filter(\.$revokedOn == nil).all()
            .contains { $0.personID == holder || $0.unitID == holder }
        return dup || given
    }

    /// Adds evidence to a dossier the unit may still change.
    @Sendable static func addEvidence(req: Request) async throws -> Response {
        let user = try req.require(.nominateAwards)
        let (n, m) = try await loadNomination(req, user)
        guard try await InitiativeController.mayActFor(n.$unit.id, user, .nominateAwards, on: req.db) else { throw AppError.forbidden }
        guard n.state.editable else { throw AppError.refused(key: "nomination.notEditable") }
        let nid = try n.requireID()
        switch EvidenceFiles.read(req) {
        case (_, let message?):
            var e = FormErrors(req.t)
            e.add("file", message: message)
            return try await nominationPage(req, user, n, m, errors: e, values: [:], status: .unprocessableEntity)
        case (let accepted, nil):
            guard let accepted else { return req.redirect(to: NominationURL.nomination(nid)) }
            let e = AwardEvidence()
            e.$nomination.id = nid
            e.sha256 = accepted.blob?.id
            e.fileName = accepted.fileName
            e.docNumber = accepted.docNumber
            e.docDate = accepted.docDate?.iso
            e.docIssuer = accepted.docIssuer
            e.createdMs = now()
            try await req.db.writing(as: user.actor) { tx, audit in
                _ = try await requireEditable(nid, on: tx)
                try await EvidenceFiles.store(accepted.blob, on: tx)
                try await e.create(on: tx)
                audit.record(.create, type: "award_evidence", id: try e.requireID().uuidString, before: nil,
                             after: ["nomination": nid.uuidString, "file": e.fileName ?? "", "sha256": e.sha256 ?? "", "doc_number": e.docNumber ?? ""])
            }
            return req.redirect(to: NominationURL.nomination(nid) + "?ok=evidence")
        }
    }

    @Sendable static func evidenceFile(req: Request) async throws -> Response {
        let user = try req.require(.viewAwards)
        guard let id = req.parameters.get("evidenceID", as: UUID.self), let e = try await AwardEvidence.find(id, on: req.db), let sha = e.sha256,
            let n = try await AwardNomination.find(e.$nomination.id, on: req.db)
        else { throw AppError.notFound }
        if let scope = try await SurveyAdminController.scope(req, user, .viewAwards), !scope.contains(n.$unit.id) { throw AppError.forbidden }
        return try await EvidenceFiles.download(sha256: sha, fileName: e.fileName, on: req.db)
    }

    @Sendable static func removeNominee(req: Request) async throws -> Response {
        let user = try req.require(.nominateAwards)
        guard let id = req.parameters.get("nomineeID", as: UUID.self), let x = try await AwardNominee.find(id, on: req.db),
            let n = try await AwardNomination.find(x.$nomination.id, on: req.db)
        else { throw AppError.notFound }
        guard try await InitiativeController.mayActFor(n.$unit.id, user, .nominateAwards, on: req.db) else { throw AppError.forbidden }
        guard n.state.editable else { throw AppError.refused(key: "nomination.notEditable") }
        try await req.db.writing(as: user.actor) { tx, audit in
            _ = try await requireEditable(x.$nomination.id, on: tx)
            try await x.delete(on: tx)
            audit.deleted(x)
        }
        return req.redirect(to: NominationURL.nomination(try n.requireID()) + "?ok=saved")
    }

    /// Moves the dossier one step; the step's own checks first (a complete dossier to submit, the quota, a reason to
    /// return).
    static func move(_ req: Request, _ step: NominationStep) async throws -> Response {
        let action: Action = step == .submit ? .submitNominations : .manageAwards
        let user = try req.require(action)
        let (n, m) = try await loadNomination(req, user)
        if step == .submit {
            guard try await InitiativeController.mayActFor(n.$unit.id, user, .submitNominations, on: req.db) else { throw AppError.forbidden }
        } else {
            _ = try await SurveyAdminController.requireProvince(req, .manageAwards)
        }
        guard let next = NominationFlow.next(step, from: n.state) else { throw AppError.refused(key: "nomination.notNow") }
        let t = req.t
        var errors: [String] = []
        var quotaOverride: String?
        var returnReason: String?
        let nid = try n.requireID()
        switch step {
        case .submit:
            let nominees = try await AwardNominee.query(on: req.db).filter(\.$nomination.$id == nid).all()
            if nominees.isEmpty { errors.append(t("nomination.error.noNominees")) }
            if (n.letterNumber ?? "").isEmpty || n.letterDate == nil { errors.append(t("nomination.error.letter")) }
            if n.report.isEmpty { errors.append(t("nomination.error.report")) }
            if n.councilMinutes.isEmpty { errors.append(t("nomination.error.minutes")) }
            let excess = try await quotaExcess(m, dossier: nid, on: req.db)
            if !excess.isEmpty {
                quotaOverride = (try? FieldRules.optionalText(field(req, "quota_override"), max: 500).get()) ?? nil
                if quotaOverride == nil {
                    errors += excess.map { t("nomination.error.quota", $0.award, String($0.quota), String($0.total)) }
                }
            }
        case .returnForCompletion:
            if try await onOpenBallot(nid, on: req.db) { errors.append(t("nomination.error.onBallot")) }
            switch FieldRules.text(field(req, "reason", 2_000), max: 2_000) {
            case .success(let v) where !v.isEmpty: returnReason = v
            case .success: errors.append(t("nomination.error.returnReason"))
            case .failure(let p): errors.append(t.problem(p.key, p.argument))
            }
        default: break
        }
        guard errors.isEmpty else {
            var e = FormErrors(t)
            for x in errors { e.add("state", message: x) }
            return try await nominationPage(req, user, n, m, errors: e, values: ["quota_override": field(req, "quota_override")], status: .unprocessableEntity)
        }
        let from = n.state
        let override = quotaOverride, reason = returnReason
        try await req.db.writing(as: user.actor) { tx, audit in
            // Re-read under the write lock: a double click or two people at once move it once.
            guard let fresh = try await AwardNomination.find(nid, on: tx), fresh.state == from else { throw AppError.conflict }
            // The checks that depend on other dossiers and sessions, again under the lock.
            if step == .submit, override == nil, try await !quotaExcess(m, dossier: nid, on: tx).isEmpty { throw AppError.refused(key: "nomination.error.quotaRace") }
            if step == .returnForCompletion, try await onOpenBallot(nid, on: tx) { throw AppError.refused(key: "nomination.error.onBallot") }
            let before = fresh.auditSnapshot
            fresh.stateRaw = next.rawValue
            if step == .review { fresh.reviewedMs = now() }
            if step == .submit { fresh.quotaOverride = override; fresh.returnReason = nil }
            if let reason { fresh.returnReason = reason }
            fresh.updatedMs = now()
            try await fresh.update(on: tx)
            audit.updated(fresh, before: before)
        }
        return req.redirect(to: NominationURL.nomination(nid) + "?ok=" + next.rawValue)
    }

    /// Awards of the plan this dossier's nominees would exceed, counting every dossier of the movement already sent
    /// (and not sent back).
    static func quotaExcess(_ m: AwardMovement, dossier nid: UUID, on db: any Database) async throws -> [AwardQuota.Excess] {
        let sent = try await AwardNomination.query(on: db).filter(\.$movement.$id == (try m.requireID())).all()
            .filter { $0.id != nid && ![.draft, .returned].contains($0.state) }.compactMap(\.id)
        var existing: [String: Int] = [:]
        if !sent.isEmpty { for x in try await AwardNominee.query(on: db).filter(\.$nomination.$id ~~ sent).all() { existing[x.awardCode, default: 0] += 1 } }
        var adding: [String: Int] = [:]
        for x in try await AwardNominee.query(on: db).filter(\.$nomination.$id == nid).all() { adding[x.awardCode, default: 0] += 1 }
        return AwardQuota.excess(quotas: m.quotaTable, existing: existing, adding: adding)
    }

    /// Is one of the dossier's nominees on the ballot of a session still open?
    static func onOpenBallot(_ nid: UUID, on db: any Database) async throws -> Bool {
        let nominees = try await AwardNominee.query(on: db).filter(\.$nomination.$id == nid).all().compactMap(\.id)
        guard !nominees.isEmpty else { return false }
        let sessions = Set(try await CouncilTally.query(on: db).filter(\.$nominee.$id ~~ nominees).all().map(\.$session.id))
        guard !sessions.isEmpty else { return false }
        return try await CouncilSession.query(on: db).filter(\.$id ~~ Array(sessions)).filter(\.$state == "open").count() > 0
    }

    @Sendable static func submit(req: Request) async throws -> Response { try await move(req, .submit) }
    @Sendable static func receive(req: Request) async throws -> Response { try await move(req, .receive) }
    @Sendable static func returnForCompletion(req: Request) async throws -> Response { try await move(req, .returnForCompletion) }
    @Sendable static func review(req: Request) async throws -> Response { try await move(req, .review) }

    /// Moves every dossier of `ids` that is in `from` and whose nominees all satisfy `done` to `to` (inside a write).
    static func advance(_ ids: Set<UUID>, from: NominationState, to: NominationState, when done: @escaping @Sendable (AwardNominee) -> Bool, on tx: any Database,
                        audit: AuditRecorder) async throws {
        for id in ids {
            guard let n = try await AwardNomination.find(id, on: tx), n.state == from else { continue }
            let nominees = try await AwardNominee.query(on: tx).filter(\.$nomination.$id == id).all()
            guard nominees.allSatisfy(done) else { continue }
            let before = n.auditSnapshot
            n.stateRaw = to.rawValue
            n.updatedMs = now()
            try await n.update(on: tx)
            audit.updated(n, before: before)
        }
    }

    // MARK: Public

    /// Public: the candidates under public comment, and the published decisions with their lists.
    @Sendable static func honours(req: Request) async throws -> Response {
        let today = req.application.today.iso
        let open = try await AwardMovement.query(on: req.db).filter(\.$commentFrom <= today).filter(\.$commentUntil >= today).all()
        var candidates: [(AwardMovement, [(AwardNominee, String)])] = []
        for m in open {
            let ns = try await AwardNomination.query(on: req.db).filter(\.$movement.$id == (try m.requireID()))
                .filter(\.$stateRaw == NominationState.underReview.rawValue).with(\.$unit).all()
            let byID = Dictionary(ns.compactMap { n in n.id.map { ($0, n.unit.name) } }, uniquingKeysWith: { a, _ in a })
            let nominees = byID.isEmpty ? [] : try await AwardNominee.query(on: req.db).filter(\.$nomination.$id ~~ Array(byID.keys)).all()
            candidates.append((m, nominees.map { ($0, byID[$0.$nomination.id] ?? "") }.sorted { $0.0.holderName < $1.0.holderName }))
        }
        // Published decisions, and revoked ones marked as such (a revocation is public too).
        let published = try await AwardDecision.query(on: req.db).filter(\.$state ~~ ["published", "revoked"]).sort(\.$signedOn, .descending).limit(50).all()
        var decisions: [(AwardDecision, [AwardNominee])] = []
        for d in published {
            decisions.append((d, try await AwardNominee.query(on: req.db).filter(\.$decisionID == (try d.requireID())).all().sorted { $0.holderName < $1.holderName }))
        }
        return NominationPages.honours(req.pageContext, candidates: candidates, decisions: decisions, catalogue: try await AwardController.catalogue(on: req.db))
            .response()
    }
}
