import Fluent
import Foundation
import Vapor
import ThiDuaCore

enum InitiativeURL {
    static let home = "/initiatives"
    static let new = "/initiatives/new"
    static let periods = "/initiatives/periods"
    static let spread = "/initiatives/spread"
    static let library = "/library"
    static func show(_ id: UUID) -> String { "/initiatives/\(id)" }
    static func edit(_ id: UUID) -> String { "/initiatives/\(id)/edit" }
    static func submit(_ id: UUID) -> String { "/initiatives/\(id)/submit" }
    static func withdraw(_ id: UUID) -> String { "/initiatives/\(id)/withdraw" }
    static func evidence(_ id: UUID) -> String { "/initiatives/\(id)/evidence" }
    static func evidenceFile(_ id: UUID) -> String { "/initiatives/evidence/\(id)" }
    static func reviewers(_ id: UUID) -> String { "/initiatives/\(id)/reviewers" }
    static func review(_ id: UUID) -> String { "/initiatives/\(id)/review" }
    static func decision(_ id: UUID) -> String { "/initiatives/\(id)/decision" }
    static func adoptions(_ id: UUID) -> String { "/initiatives/\(id)/adoptions" }
    static func phase(_ id: UUID) -> String { "/initiatives/periods/\(id)/phase" }
    static func libraryItem(_ id: UUID) -> String { "/library/\(id)" }
}

/// Initiatives (issue 7): a unit writes and submits them in a review period's submission phase; the reform office
/// assigns reviewers (never an author, never someone of the initiative's unit); reviewers score with the period's
/// rubric, blind when the period says so; the council decides the recognition level with a decision reference; other
/// units record that they adopted it; recognised ones appear in the public library.
enum InitiativeController {
    static func now() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    static func scope(_ req: Request, _ user: CurrentUser) async throws -> Set<UUID>? {
        try await SurveyAdminController.scope(req, user, .viewInitiatives)
    }

    static func isManager(_ req: Request) async -> Bool { (try? await SurveyAdminController.requireProvince(req, .manageInitiatives)) != nil }

    static func isAssigned(_ initiative: UUID, _ user: UUID, on db: any Database) async throws -> Bool {
        try await InitiativeReviewer.query(on: db).filter(\.$initiative.$id == initiative).filter(\.$user.$id == user).count() > 0
    }

    /// The initiative of the path, if the user may see it: in their units' scope, assigned to them for review, or
    /// recognised.
    static func load(_ req: Request, _ user: CurrentUser) async throws -> (Initiative, InitiativePeriod) {
        guard let id = req.parameters.get("initiativeID", as: UUID.self), let i = try await Initiative.find(id, on: req.db),
            let period = try await InitiativePeriod.find(i.$period.id, on: req.db)
        else { throw AppError.notFound }
        // A recognised initiative is public (the library shows it): any unit may read it and record adopting it.
        if i.status != .recognised, let scope = try await scope(req, user), !scope.contains(i.$unit.id), !(try await isAssigned(id, user.id, on: req.db)) {
            throw AppError.forbidden
        }
        return (i, period)
    }

    /// Authors and unit are hidden from an assigned reviewer while a blind period is being reviewed.
    static func blind(_ req: Request, _ user: CurrentUser, _ i: Initiative, _ period: InitiativePeriod) async throws -> Bool {
        guard period.blind, !InitiativePhasePolicy.allows(.seeAllScores, phase: period.phase, status: i.status) else { return false }
        if await isManager(req) { return false }
        return try await isAssigned(try i.requireID(), user.id, on: req.db)
    }

    static func step(_ step: InitiativeStep, _ i: Initiative, _ period: InitiativePeriod) throws {
        guard InitiativePhasePolicy.allows(step, phase: period.phase, status: i.status) else { throw AppError.refused(key: "initiative.notNow") }
    }

    /// May the user act for the initiative's unit with `action`?
    static func mayActFor(_ unit: UUID, _ user: CurrentUser, _ action: Action, on db: any Database) async throws -> Bool {
        AccessPolicy.allows(user.grants, action, unitPath: try await UnitTree.path(of: unit, on: db))
    }

    // MARK: List

    @Sendable static func index(req: Request) async throws -> Response {
        let user = try req.require(.viewInitiatives)
        let periods = try await InitiativePeriod.query(on: req.db).sort(\.$year, .descending).sort(\.$createdMs, .descending).all()
        let chosen = (try? req.query.get(UUID.self, at: "period")).flatMap { id in periods.first { $0.id == id } } ?? periods.first
        var rows: [InitiativePages.Row] = []
        var assigned: [InitiativePages.Row] = []
        if let chosen {
            let scope = try await scope(req, user)
            let all = try await Initiative.query(on: req.db).filter(\.$period.$id == (try chosen.requireID())).with(\.$unit).sort(\.$createdMs, .descending).all()
            let mine = Set(try await InitiativeReviewer.query(on: req.db).filter(\.$user.$id == user.id).all().map(\.$initiative.id))
            let scored = Set(try await InitiativeScore.query(on: req.db).filter(\.$user.$id == user.id).all().map(\.$initiative.id))
            for i in all {
                let id = try i.requireID()
                let hide = chosen.blind && !InitiativePhasePolicy.allows(.seeAllScores, phase: chosen.phase, status: i.status) && mine.contains(id)
                let row = InitiativePages.Row(id: id, title: i.title, unit: hide ? nil : i.unit.name, type: i.type, status: i.status, level: i.level, scored: scored.contains(id))
                if mine.contains(id) { assigned.append(row) }
                if scope == nil || scope!.contains(i.$unit.id) { rows.append(row) }
            }
        }
        return InitiativePages.index(req.pageContext, periods: periods, period: chosen, rows: rows, assigned: assigned,
                                     canSubmit: user.can(.submitInitiatives), canManage: await isManager(req)).response()
    }

    // MARK: Writing

    struct FieldErrors: Error { let list: [Components.FieldError] }

    struct Draft: Sendable {
        var title = "", type = "", area = "", unitID = "", problem = "", solution = "", novelty = "", appliedWhere = "", appliedSince = ""
        var hours = "", cost = "", dossiers = "", replicability = ""
        var authorCodes: [String] = [], authorNames: [String] = [], authorShares: [String] = []

        init() {}

        init(_ i: Initiative, authors: [InitiativeAuthor], codes: [UUID: String]) {
            title = i.title
            type = i.typeRaw
            area = String(i.areaRaw)
            unitID = i.$unit.id.uuidString
            problem = i.problem
            solution = i.solution
            novelty = i.novelty
            appliedWhere = i.appliedWhere
            appliedSince = i.appliedSince ?? ""
            hours = String(i.hoursSaved)
            cost = String(i.costSaved)
            dossiers = String(i.dossiers)
            replicability = i.replicability
            for a in authors.sorted(by: { $0.position < $1.position }) {
                authorCodes.append(a.personID.flatMap { codes[$0] } ?? "")
                authorNames.append(a.name)
                authorShares.append(Points(e4: a.shareE4).plain(places: 2))
            }
        }

        init(_ req: Request) {
            func f(_ k: String, _ max: Int = 4_000) -> String { String(((try? req.content.get(String.self, at: k)) ?? "").prefix(max)) }
            func list(_ k: String) -> [String] { ((try? req.content.get([String].self, at: k)) ?? []).prefix(20).map { String($0.prefix(300)) } }
            title = f("title", 500)
            type = f("type", 40)
            area = f("area", 4)
            unitID = f("unit_id", 40)
            problem = f("problem")
            solution = f("solution")
            novelty = f("novelty")
            appliedWhere = f("applied_where", 1_000)
            appliedSince = f("applied_since", 20)
            hours = f("hours_saved", 20)
            cost = f("cost_saved", 20)
            dossiers = f("dossiers", 20)
            replicability = f("replicability")
            authorCodes = list("author_code")
            authorNames = list("author_name")
            authorShares = list("author_share")
        }

        struct Checked: Sendable {
            var title: String, type: InitiativeType, area: ContentArea, unitID: UUID, problem: String, solution: String, novelty: String
            var appliedWhere: String, appliedSince: CivilDate?, benefits: Benefits, replicability: String, authors: [AuthorShare]
        }

        /// Every problem by field, or the checked content. Authors typed with a registry code are linked to the
        /// person; without one they are kept as free text (marked "outside the registry").
        func check(_ t: Localizer, people: [String: Person]) -> Result<Checked, FieldErrors> {
            var errors: [Components.FieldError] = []
            func text(_ raw: String, _ field: String, max: Int = 4_000) -> String? {
                switch FieldRules.text(raw, max: max) {
                case .success(let v) where !v.isEmpty: return v
                case .success: errors.append(.init(field: field, message: t("problem.required")))
                case .failure(let p): errors.append(.init(field: field, message: t.problem(p.key, p.argument)))
                }
                return nil
            }
            let title = text(title, "title", max: 500)
            let type = InitiativeType(rawValue: type)
            if type == nil { errors.append(.init(field: "type", message: t("initiative.error.type"))) }
            let area = Int(area).flatMap(ContentArea.init(rawValue:))
            if area == nil { errors.append(.init(field: "area", message: t("initiative.error.area"))) }
            let unit = UUID(uuidString: unitID)
            if unit == nil { errors.append(.init(field: "unit_id", message: t("initiative.error.unit"))) }
            let problem = text(problem, "problem"), solution = text(solution, "solution"), novelty = text(novelty, "novelty")
            let appliedWhere = text(appliedWhere, "applied_where", max: 1_000)
            let replicability = text(replicability, "replicability")
            var since: CivilDate?
            if !appliedSince.trimmingCharacters(in: .whitespaces).isEmpty {
                since = CivilDate(parsing: appliedSince.trimmingCharacters(in: .whitespaces))
                if since == nil { errors.append(.init(field: "applied_since", message: t("problem.invalidDate", appliedSince))) }
            }
            let h = Benefits.parse(hours), c = Benefits.parse(cost), d = Benefits.parse(dossiers)
            if h == nil { errors.append(.init(field: "hours_saved", message: t("initiative.error.number"))) }
            if c == nil { errors.append(.init(field: "cost_saved", message: t("initiative.error.number"))) }
            if d == nil { errors.append(.init(field: "dossiers", message: t("initiative.error.number"))) }
            var authors: [AuthorShare] = []
            let n = max(authorCodes.count, authorNames.count, authorShares.count)
            for k in 0..<n {
                let code = (k < authorCodes.count ? authorCodes[k] : "").trimmingCharacters(in: .whitespaces)
                let name = VietnameseText.normalize(k < authorNames.count ? authorNames[k] : "")
                let shareRaw = (k < authorShares.count ? authorShares[k] : "").trimmingCharacters(in: .whitespaces)
                if code.isEmpty && name.isEmpty && shareRaw.isEmpty { continue }
                var person: Person?
                if !code.isEmpty {
                    person = people[code.uppercased()]
                    if person == nil { errors.append(.init(field: "authors", message: t("initiative.error.personCode", code))) }
                }
                if case .failure(let p) = FieldRules.name(name.isEmpty ? (person?.fullName ?? "") : name) {
                    errors.append(.init(field: "authors", message: t("initiative.error.authorName", String(k + 1)) + " " + t.problem(p.key, p.argument)))
                }
                guard let share = Points(typed: shareRaw) else {
                    errors.append(.init(field: "authors", message: t("initiative.error.share", String(k + 1))))
                    continue
                }
                authors.append(AuthorShare(personID: person?.id, name: name.isEmpty ? (person?.fullName ?? "") : name, share: share))
            }
            for p in AuthorShares.problems(authors) {
                let message: String =
                    switch p {
                    case .none: t("initiative.error.noAuthor")
                    case .sharesNot100(let sum): t("initiative.error.sharesNot100", sum.formatted(places: 2, english: t.lang == .en))
                    case .badShare(let row): t("initiative.error.share", String(row))
                    case .missingName(let row): t("initiative.error.authorName", String(row))
                    case .samePersonTwice(let row): t("initiative.error.samePerson", String(row))
                    }
                errors.append(.init(field: "authors", message: message))
            }
            guard errors.isEmpty, let title, let type, let area, let unit, let problem, let solution, let novelty, let appliedWhere, let replicability,
                let h, let c, let d
            else { return .failure(FieldErrors(list: errors)) }
            return .success(Checked(
                title: title, type: type, area: area, unitID: unit, problem: problem, solution: solution, novelty: novelty, appliedWhere: appliedWhere,
                appliedSince: since, benefits: Benefits(hoursSaved: h, costSaved: c, dossiers: d), replicability: replicability, authors: authors))
        }
    }

    /// The units the user may write initiatives for.
    static func writableUnits(_ req: Request, _ user: CurrentUser) async throws -> [Unit] {
        try await SurveyAdminController.units(req, user, .submitInitiatives)
    }

    static func openPeriod(on db: any Database) async throws -> InitiativePeriod? {
        try await InitiativePeriod.query(on: db).filter(\.$phaseRaw == ReviewPhase.submission.rawValue).sort(\.$createdMs, .descending).first()
    }

    @Sendable static func newForm(req: Request) async throws -> Response {
        let user = try req.require(.submitInitiatives)
        let units = try await writableUnits(req, user)
        guard let period = try await openPeriod(on: req.db) else {
            return InitiativePages.noOpenPeriod(req.pageContext).response(status: .conflict)
        }
        var d = Draft()
        if units.count == 1 { d.unitID = units[0].id?.uuidString ?? "" }
        return InitiativePages.form(req.pageContext, period: period, draft: d, units: units, id: nil, errors: []).response()
    }

    static func people(for d: Draft, on db: any Database) async throws -> [String: Person] {
        let codes = d.authorCodes.map { $0.trimmingCharacters(in: .whitespaces).uppercased() }.filter { !$0.isEmpty }
        guard !codes.isEmpty else { return [:] }
        return Dictionary(try await Person.query(on: db).filter(\.$code ~~ codes).all().map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
    }

    @Sendable static func create(req: Request) async throws -> Response {
        let user = try req.require(.submitInitiatives)
        let units = try await writableUnits(req, user)
        guard let period = try await openPeriod(on: req.db) else { return InitiativePages.noOpenPeriod(req.pageContext).response(status: .conflict) }
        let d = Draft(req)
        switch d.check(req.t, people: try await people(for: d, on: req.db)) {
        case .failure(let errors):
            return InitiativePages.form(req.pageContext, period: period, draft: d, units: units, id: nil, errors: errors.list).response(status: .unprocessableEntity)
        case .success(let c):
            guard units.contains(where: { $0.id == c.unitID }) else { throw AppError.forbidden }
            let i = Initiative()
            i.$period.id = try period.requireID()
            i.statusRaw = InitiativeStatus.draft.rawValue
            i.createdBy = user.id
            i.createdMs = now()
            i.version = 0
            apply(c, to: i)
            try await req.db.writing(as: user.actor) { tx, audit in
                try await i.create(on: tx)
                try await saveAuthors(c.authors, for: try i.requireID(), on: tx)
                audit.created(i)
                audit.record(.create, type: "initiative_authors", id: try i.requireID().uuidString, before: nil, after: authorsSnapshot(c.authors))
            }
            return req.redirect(to: InitiativeURL.show(try i.requireID()) + "?ok=saved")
        }
    }

    static func apply(_ c: Draft.Checked, to i: Initiative) {
        i.title = c.title
        i.typeRaw = c.type.rawValue
        i.areaRaw = c.area.rawValue
        i.$unit.id = c.unitID
        i.problem = c.problem
        i.solution = c.solution
        i.novelty = c.novelty
        i.appliedWhere = c.appliedWhere
        i.appliedSince = c.appliedSince?.iso
        i.hoursSaved = c.benefits.hoursSaved
        i.costSaved = c.benefits.costSaved
        i.dossiers = c.benefits.dossiers
        i.replicability = c.replicability
        i.updatedMs = now()
        i.version += 1
    }

    static func authorsSnapshot(_ a: [AuthorShare]) -> [String: String] {
        Dictionary(uniqueKeysWithValues: a.enumerated().map { ("\($0.offset + 1)", "\($0.element.name) (\($0.element.personID?.uuidString ?? "ngoài danh bạ")) \($0.element.share.plain(places: 2)) %") })
    }

    static func saveAuthors(_ authors: [AuthorShare], for id: UUID, on tx: any Database) async throws {
        try await InitiativeAuthor.query(on: tx).filter(\.$initiative.$id == id).delete()
        for (k, a) in authors.enumerated() { try await InitiativeAuthor(initiativeID: id, a, position: k).create(on: tx) }
    }

    @Sendable static func editForm(req: Request) async throws -> Response {
        let user = try req.require(.submitInitiatives)
        let (i, period) = try await load(req, user)
        guard try await mayActFor(i.$unit.id, user, .submitInitiatives, on: req.db) else { throw AppError.forbidden }
        try step(.edit, i, period)
        let authors = try await i.$authors.get(on: req.db)
        let codes = try await personCodes(authors, on: req.db)
        return InitiativePages.form(req.pageContext, period: period, draft: Draft(i, authors: authors, codes: codes), units: try await writableUnits(req, user),
                                    id: try i.requireID(), errors: []).response()
    }

    static func personCodes(_ authors: [InitiativeAuthor], on db: any Database) async throws -> [UUID: String] {
        let ids = authors.compactMap(\.personID)
        guard !ids.isEmpty else { return [:] }
        return Dictionary(try await Person.query(on: db).filter(\.$id ~~ ids).all().compactMap { p in p.id.map { ($0, p.code) } }, uniquingKeysWith: { a, _ in a })
    }

    @Sendable static func update(req: Request) async throws -> Response {
        let user = try req.require(.submitInitiatives)
        let (i, period) = try await load(req, user)
        guard try await mayActFor(i.$unit.id, user, .submitInitiatives, on: req.db) else { throw AppError.forbidden }
        try step(.edit, i, period)
        let units = try await writableUnits(req, user)
        let d = Draft(req)
        switch d.check(req.t, people: try await people(for: d, on: req.db)) {
        case .failure(let errors):
            return InitiativePages.form(req.pageContext, period: period, draft: d, units: units, id: try i.requireID(), errors: errors.list)
                .response(status: .unprocessableEntity)
        case .success(let c):
            guard units.contains(where: { $0.id == c.unitID }) else { throw AppError.forbidden }
            nonisolated(unsafe) let before = i.auditSnapshot
            let beforeAuthors = authorsSnapshot(try await i.$authors.get(on: req.db).sorted { $0.position < $1.position }.map(\.share))
            apply(c, to: i)
            try await req.db.writing(as: user.actor) { tx, audit in
                try await i.update(on: tx)
                try await saveAuthors(c.authors, for: try i.requireID(), on: tx)
                audit.updated(i, before: before)
                audit.record(.update, type: "initiative_authors", id: try i.requireID().uuidString, before: beforeAuthors, after: authorsSnapshot(c.authors))
            }
            return req.redirect(to: InitiativeURL.show(try i.requireID()) + "?ok=saved")
        }
    }

    /// Submit or withdraw: a status change allowed by the phase, for someone of the initiative's unit.
    static func move(_ req: Request, _ stepName: InitiativeStep, to status: InitiativeStatus) async throws -> Response {
        let user = try req.require(.submitInitiatives)
        let (i, period) = try await load(req, user)
        guard try await mayActFor(i.$unit.id, user, .submitInitiatives, on: req.db) else { throw AppError.forbidden }
        try step(stepName, i, period)
        nonisolated(unsafe) let before = i.auditSnapshot
        i.statusRaw = status.rawValue
        i.updatedMs = now()
        i.version += 1
        try await req.db.writing(as: user.actor) { tx, audit in
            try await i.update(on: tx)
            audit.updated(i, before: before)
        }
        return req.redirect(to: InitiativeURL.show(try i.requireID()) + "?ok=" + status.rawValue)
    }

    @Sendable static func submit(req: Request) async throws -> Response { try await move(req, .submit, to: .submitted) }
    @Sendable static func withdraw(req: Request) async throws -> Response { try await move(req, .withdraw, to: .withdrawn) }

    @Sendable static func addEvidence(req: Request) async throws -> Response {
        let user = try req.require(.submitInitiatives)
        let (i, period) = try await load(req, user)
        guard try await mayActFor(i.$unit.id, user, .submitInitiatives, on: req.db) else { throw AppError.forbidden }
        try step(.edit, i, period)
        switch EvidenceFiles.read(req) {
        case (_, let message?):
            return try await showPage(req, user, i, period, error: message, status: .unprocessableEntity)
        case (let accepted, nil):
            guard let accepted else { return req.redirect(to: InitiativeURL.show(try i.requireID())) }
            let e = InitiativeEvidence()
            e.$initiative.id = try i.requireID()
            e.sha256 = accepted.blob?.id
            e.fileName = accepted.fileName
            e.docNumber = accepted.docNumber
            e.docDate = accepted.docDate?.iso
            e.docIssuer = accepted.docIssuer
            e.createdMs = now()
            try await req.db.writing(as: user.actor) { tx, audit in
                try await EvidenceFiles.store(accepted.blob, on: tx)
                try await e.create(on: tx)
                audit.record(.create, type: "initiative_evidence", id: try e.requireID().uuidString, before: nil,
                             after: ["initiative": try i.requireID().uuidString, "file": e.fileName ?? "", "sha256": e.sha256 ?? "", "doc_number": e.docNumber ?? ""])
            }
            return req.redirect(to: InitiativeURL.show(try i.requireID()) + "?ok=saved")
        }
    }

    @Sendable static func evidenceFile(req: Request) async throws -> Response {
        let user = try req.require(.viewInitiatives)
        guard let id = req.parameters.get("evidenceID", as: UUID.self), let e = try await InitiativeEvidence.find(id, on: req.db),
            let sha = e.sha256, let i = try await Initiative.find(e.$initiative.id, on: req.db)
        else { throw AppError.notFound }
        if let scope = try await scope(req, user), !scope.contains(i.$unit.id), !(try await isAssigned(try i.requireID(), user.id, on: req.db)) {
            throw AppError.forbidden
        }
        return try await EvidenceFiles.download(sha256: sha, fileName: e.fileName, on: req.db)
    }

    // MARK: Reading

    @Sendable static func show(req: Request) async throws -> Response {
        let user = try req.require(.viewInitiatives)
        let (i, period) = try await load(req, user)
        return try await showPage(req, user, i, period, error: nil, status: .ok)
    }

    static func showPage(_ req: Request, _ user: CurrentUser, _ i: Initiative, _ period: InitiativePeriod, error: String?, status: HTTPStatus,
                         errors: [Components.FieldError] = []) async throws -> Response {
        let id = try i.requireID()
        let hide = try await blind(req, user, i, period)
        let unit = try await Unit.find(i.$unit.id, on: req.db)
        let authors = hide ? [] : try await i.$authors.get(on: req.db).sorted { $0.position < $1.position }
        let evidence = try await InitiativeEvidence.query(on: req.db).filter(\.$initiative.$id == id).sort(\.$createdMs).all()
        let reviewers = try await InitiativeReviewer.query(on: req.db).filter(\.$initiative.$id == id).with(\.$user).all()
        let scores = try await InitiativeScore.query(on: req.db).filter(\.$initiative.$id == id).with(\.$user).all()
        let manager = await isManager(req)
        let seeAll = InitiativePhasePolicy.allows(.seeAllScores, phase: period.phase, status: i.status) && (manager || user.can(.decideInitiatives))
        let adoptions = try await InitiativeAdoption.query(on: req.db).filter(\.$initiative.$id == id).with(\.$unit).sort(\.$adoptedOn).all()
        let ownUnit = try await mayActFor(i.$unit.id, user, .submitInitiatives, on: req.db)
        let assigned = reviewers.contains { $0.$user.id == user.id }
        // Reviewers who could be assigned: people holding the review right, without a conflict of interest.
        var candidates: [(User, ReviewConflict?)] = []
        if manager && InitiativePhasePolicy.allows(.assignReviewer, phase: period.phase, status: i.status) {
            candidates = try await reviewCandidates(for: i, authors: try await i.$authors.get(on: req.db).map(\.share), on: req.db)
        }
        let adoptUnits = InitiativePhasePolicy.allows(.adopt, phase: period.phase, status: i.status) && user.can(.submitInitiatives)
            ? try await writableUnits(req, user).filter { $0.id != i.$unit.id } : []
        let view = InitiativePages.Detail(
            initiative: i, period: period, unitName: hide ? nil : unit?.name, authors: authors, evidence: evidence, reviewers: reviewers.map(\.user),
            scores: seeAll ? scores : scores.filter { $0.$user.id == user.id }, seeAll: seeAll, adoptions: adoptions, blind: hide,
            canEdit: ownUnit && user.can(.submitInitiatives) && InitiativePhasePolicy.allows(.edit, phase: period.phase, status: i.status),
            canWithdraw: ownUnit && user.can(.submitInitiatives) && InitiativePhasePolicy.allows(.withdraw, phase: period.phase, status: i.status),
            canReview: assigned && user.can(.reviewInitiatives) && InitiativePhasePolicy.allows(.score, phase: period.phase, status: i.status),
            canDecide: user.can(.decideInitiatives) && InitiativePhasePolicy.allows(.decide, phase: period.phase, status: i.status),
            candidates: candidates, adoptUnits: adoptUnits, error: error, errors: errors)
        return InitiativePages.detail(req.pageContext, view).response(status: status)
    }

    /// Users holding the review right (anywhere), with their conflict with this initiative if any.
    static func reviewCandidates(for i: Initiative, authors: [AuthorShare], on db: any Database) async throws -> [(User, ReviewConflict?)] {
        let grants = try await RoleGrant.query(on: db).filter(\.$roleRaw ~~ Role.allCases.filter { AccessPolicy.permits($0, .reviewInitiatives) }.map(\.rawValue)).all()
        let userIDs = Array(Set(grants.map(\.$user.id)))
        guard !userIDs.isEmpty else { return [] }
        let users = try await User.query(on: db).filter(\.$id ~~ userIDs).filter(\.$isActive == true).sort(\.$displayName).all()
        let sub = try await UnitTree.subtreeIDs(of: [i.$unit.id], on: db)
        let root = try await UnitTree.rootID(on: db)
        var out: [(User, ReviewConflict?)] = []
        for u in users {
            guard let uid = u.id else { continue }
            var units = Set(grants.filter { $0.$user.id == uid }.map(\.$unit.id))
            var personID: UUID?
            if let pid = u.$person.id, let p = try await Person.find(pid, on: db) {
                personID = pid
                units.insert(p.$unit.id)
            }
            // A grant on the root (provincial reviewers) is not a unit of their own for conflict purposes.
            if let root { units.remove(root) }
            out.append((u, ConflictOfInterest.check(reviewerPersonID: personID, reviewerUnits: units, authors: authors, initiativeUnit: i.$unit.id,
                                                     initiativeSubUnits: sub)))
        }
        return out
    }

    // MARK: Review

    @Sendable static func assignReviewer(req: Request) async throws -> Response {
        let user = try await SurveyAdminController.requireProvince(req, .manageInitiatives)
        let (i, period) = try await load(req, user)
        try step(.assignReviewer, i, period)
        let t = req.t
        let reviewerID = (try? req.content.get(UUID.self, at: "user_id"))
        let candidates = try await reviewCandidates(for: i, authors: try await i.$authors.get(on: req.db).map(\.share), on: req.db)
        guard let reviewerID, let hit = candidates.first(where: { $0.0.id == reviewerID }) else {
            return try await showPage(req, user, i, period, error: t("initiative.error.reviewer"), status: .unprocessableEntity)
        }
        if let conflict = hit.1 {
            return try await showPage(req, user, i, period, error: t("initiative.conflict." + conflict.rawValue, hit.0.displayName), status: .unprocessableEntity)
        }
        let id = try i.requireID()
        if try await isAssigned(id, reviewerID, on: req.db) { return req.redirect(to: InitiativeURL.show(id)) }
        try await req.db.writing(as: user.actor) { tx, audit in
            let r = InitiativeReviewer(initiativeID: id, userID: reviewerID)
            try await r.create(on: tx)
            audit.record(.create, type: "initiative_reviewer", id: try r.requireID().uuidString, before: nil,
                         after: ["initiative": id.uuidString, "reviewer": reviewerID.uuidString])
        }
        return req.redirect(to: InitiativeURL.show(id) + "?ok=saved")
    }

    @Sendable static func reviewForm(req: Request) async throws -> Response {
        let user = try req.require(.reviewInitiatives)
        let (i, period) = try await load(req, user)
        guard try await isAssigned(try i.requireID(), user.id, on: req.db) else { throw AppError.forbidden }
        try step(.score, i, period)
        let existing = try await InitiativeScore.query(on: req.db).filter(\.$initiative.$id == (try i.requireID())).filter(\.$user.$id == user.id).first()
        let values = (existing?.scores ?? [:]).mapValues { $0.plain(places: 2) }
        return InitiativePages.review(req.pageContext, initiative: i, period: period, blind: try await blind(req, user, i, period), values: values,
                                      comment: existing?.comment ?? "", errors: []).response()
    }

    @Sendable static func saveReview(req: Request) async throws -> Response {
        let user = try req.require(.reviewInitiatives)
        let (i, period) = try await load(req, user)
        let id = try i.requireID()
        guard try await isAssigned(id, user.id, on: req.db) else { throw AppError.forbidden }
        try step(.score, i, period)
        let t = req.t
        let rubric = period.rubric
        var typed: [String: String] = [:]
        var scores: [String: Points] = [:]
        var errors: [Components.FieldError] = []
        for c in rubric.criteria {
            let raw = String(((try? req.content.get(String.self, at: "score_" + c.code)) ?? "").prefix(20))
            typed[c.code] = raw
            if let p = Points(typed: raw) { scores[c.code] = p }
        }
        for code in rubric.check(scores) {
            let max = rubric.criteria.first { $0.code == code }?.maxPoints.formatted(places: 2, english: t.lang == .en) ?? ""
            errors.append(.init(field: "score_" + code, message: t("initiative.error.score", rubric.criteria.first { $0.code == code }?.name ?? code, max)))
        }
        let comment = String(((try? req.content.get(String.self, at: "comment")) ?? "").prefix(4_000))
        let commentText: String
        switch FieldRules.text(comment, max: 4_000) {
        case .success(let v): commentText = v
        case .failure(let p):
            commentText = ""
            errors.append(.init(field: "comment", message: t.problem(p.key, p.argument)))
        }
        guard errors.isEmpty else {
            return InitiativePages.review(req.pageContext, initiative: i, period: period, blind: try await blind(req, user, i, period), values: typed,
                                          comment: comment, errors: errors).response(status: .unprocessableEntity)
        }
        let total = rubric.total(scores)
        let finalScores = scores
        try await req.db.writing(as: user.actor) { tx, audit in
            let existing = try await InitiativeScore.query(on: tx).filter(\.$initiative.$id == id).filter(\.$user.$id == user.id).first()
            let before = existing.map { ["scores": $0.scoresJSON, "total": $0.total.plain(places: 2), "comment": $0.comment] }
            let row = existing ?? InitiativeScore(initiativeID: id, userID: user.id, scores: finalScores, total: total, comment: commentText)
            if let existing {
                existing.scoresJSON = InitiativeScore(initiativeID: id, userID: user.id, scores: finalScores, total: total, comment: commentText).scoresJSON
                existing.totalE4 = total.e4
                existing.comment = commentText
                existing.submittedMs = now()
                try await existing.update(on: tx)
            } else {
                try await row.create(on: tx)
            }
            audit.record(existing == nil ? .create : .update, type: "initiative_score", id: try row.requireID().uuidString, before: before,
                         after: ["initiative": id.uuidString, "scores": row.scoresJSON, "total": total.plain(places: 2), "comment": commentText])
        }
        return req.redirect(to: InitiativeURL.show(id) + "?ok=saved")
    }

    // MARK: Decision

    @Sendable static func decide(req: Request) async throws -> Response {
        let user = try req.require(.decideInitiatives)
        let (i, period) = try await load(req, user)
        try step(.decide, i, period)
        let t = req.t
        func f(_ k: String, _ max: Int = 300) -> String { String(((try? req.content.get(String.self, at: k)) ?? "").prefix(max)).trimmingCharacters(in: .whitespaces) }
        var errors: [Components.FieldError] = []
        let outcome = f("outcome")
        let level = RecognitionLevel(rawValue: f("level"))
        if outcome != "recognised" && outcome != "not_recognised" { errors.append(.init(field: "outcome", message: t("initiative.error.outcome"))) }
        if outcome == "recognised" && level == nil { errors.append(.init(field: "level", message: t("initiative.error.level"))) }
        let number = VietnameseText.normalize(f("decision_number", 100))
        if number.isEmpty { errors.append(.init(field: "decision_number", message: t("initiative.error.decisionNumber"))) }
        let date = CivilDate(parsing: f("decision_date", 20))
        if date == nil { errors.append(.init(field: "decision_date", message: t("initiative.error.decisionDate"))) }
        let signer = VietnameseText.normalize(f("decision_signer", 200))
        if signer.isEmpty { errors.append(.init(field: "decision_signer", message: t("initiative.error.signer"))) }
        let note = VietnameseText.normalize(f("decision_note", 2_000))
        for (field, value) in [("decision_number", number), ("decision_signer", signer), ("decision_note", note)] {
            if case .failure(let p) = FieldRules.text(value, max: 2_000) { errors.append(.init(field: field, message: t.problem(p.key, p.argument))) }
        }
        guard errors.isEmpty, let date else {
            return try await showPage(req, user, i, period, error: nil, status: .unprocessableEntity, errors: errors)
        }
        nonisolated(unsafe) let before = i.auditSnapshot
        i.statusRaw = outcome == "recognised" ? InitiativeStatus.recognised.rawValue : InitiativeStatus.notRecognised.rawValue
        i.levelRaw = outcome == "recognised" ? level?.rawValue : nil
        i.decisionNumber = number
        i.decisionDate = date.iso
        i.decisionSigner = signer
        i.decisionNote = note.isEmpty ? nil : note
        i.updatedMs = now()
        i.version += 1
        try await req.db.writing(as: user.actor) { tx, audit in
            // Re-read under the write lock: two council members deciding at once must not both succeed.
            guard let fresh = try await Initiative.find(try i.requireID(), on: tx), fresh.status == .submitted else { throw AppError.conflict }
            try await i.update(on: tx)
            audit.updated(i, before: before)
        }
        return req.redirect(to: InitiativeURL.show(try i.requireID()) + "?ok=decided")
    }

    // MARK: Replication

    @Sendable static func adopt(req: Request) async throws -> Response {
        let user = try req.require(.submitInitiatives)
        let (i, period) = try await load(req, user)
        try step(.adopt, i, period)
        let t = req.t
        func f(_ k: String, _ max: Int = 4_000) -> String { String(((try? req.content.get(String.self, at: k)) ?? "").prefix(max)) }
        var errors: [Components.FieldError] = []
        let unitID = UUID(uuidString: f("unit_id", 40))
        if unitID == nil || unitID == i.$unit.id { errors.append(.init(field: "unit_id", message: t("initiative.error.adoptUnit"))) }
        if let unitID, !(try await mayActFor(unitID, user, .submitInitiatives, on: req.db)) { throw AppError.forbidden }
        let date = CivilDate(parsing: f("adopted_on", 20).trimmingCharacters(in: .whitespaces))
        if date == nil { errors.append(.init(field: "adopted_on", message: t("problem.invalidDate", f("adopted_on", 20)))) }
        if let date, let decided = i.decisionDate.flatMap(CivilDate.init(parsing:)), let since = i.appliedSince.flatMap(CivilDate.init(parsing:)).map({ min($0, decided) }),
            date < since
        {
            errors.append(.init(field: "adopted_on", message: t("initiative.error.adoptedBefore")))
        }
        var effect = ""
        switch FieldRules.text(f("effect"), max: 4_000) {
        case .success(let v) where !v.isEmpty: effect = v
        case .success: errors.append(.init(field: "effect", message: t("problem.required")))
        case .failure(let p): errors.append(.init(field: "effect", message: t.problem(p.key, p.argument)))
        }
        let h = Benefits.parse(f("hours_saved", 20)), c = Benefits.parse(f("cost_saved", 20)), d = Benefits.parse(f("dossiers", 20))
        if h == nil || c == nil || d == nil { errors.append(.init(field: "hours_saved", message: t("initiative.error.number"))) }
        let id = try i.requireID()
        if let unitID, try await InitiativeAdoption.query(on: req.db).filter(\.$initiative.$id == id).filter(\.$unit.$id == unitID).count() > 0 {
            errors.append(.init(field: "unit_id", message: t("initiative.error.adoptedTwice")))
        }
        guard errors.isEmpty, let unitID, let date, let h, let c, let d else {
            return try await showPage(req, user, i, period, error: nil, status: .unprocessableEntity, errors: errors)
        }
        let a = InitiativeAdoption()
        a.$initiative.id = id
        a.$unit.id = unitID
        a.adoptedOn = date.iso
        a.effect = effect
        a.hoursSaved = h
        a.costSaved = c
        a.dossiers = d
        a.createdBy = user.id
        a.createdMs = now()
        try await req.db.writing(as: user.actor) { tx, audit in
            try await a.create(on: tx)
            audit.created(a)
        }
        return req.redirect(to: InitiativeURL.show(id) + "?ok=adopted")
    }

    /// Which recognised initiatives spread and which stalled (reform office, leaders: everyone who sees them).
    @Sendable static func spread(req: Request) async throws -> Response {
        let user = try req.require(.viewInitiatives)
        let scope = try await scope(req, user)
        let recognised = try await Initiative.query(on: req.db).filter(\.$statusRaw == InitiativeStatus.recognised.rawValue).with(\.$unit).all()
            .filter { scope == nil || scope!.contains($0.$unit.id) }
        let adoptions = try await InitiativeAdoption.query(on: req.db).all()
        let today = req.application.today
        let rows = recognised.map { i in
            let mine = adoptions.filter { $0.$initiative.id == i.id }
            return InitiativePages.SpreadRow(
                id: i.id ?? UUID(), title: i.title, unit: i.unit.name, level: i.level, decidedOn: i.decisionDate ?? "",
                spread: Spread(own: i.benefits, adoptions: mine.map(\.benefits), decidedOn: i.decisionDate.flatMap(CivilDate.init(parsing:)), today: today))
        }.sorted { ($0.spread.adopters, $0.title) > ($1.spread.adopters, $1.title) }
        return InitiativePages.spread(req.pageContext, rows).response()
    }

    // MARK: Periods

    @Sendable static func periods(req: Request) async throws -> Response {
        _ = try await SurveyAdminController.requireProvince(req, .manageInitiatives)
        let list = try await InitiativePeriod.query(on: req.db).sort(\.$year, .descending).sort(\.$createdMs, .descending).all()
        return InitiativePages.periods(req.pageContext, list, form: PeriodForm(year: String(req.application.today.year)), errors: []).response()
    }

    struct PeriodForm: Sendable {
        var name = "", year = "", blind = false, rubric = Rubric.standard.text, disagreement = Rubric.standard.disagreementPoints.plain(places: 2)
    }

    @Sendable static func createPeriod(req: Request) async throws -> Response {
        let user = try await SurveyAdminController.requireProvince(req, .manageInitiatives)
        let t = req.t
        func f(_ k: String, _ max: Int = 4_000) -> String { String(((try? req.content.get(String.self, at: k)) ?? "").prefix(max)) }
        let form = PeriodForm(name: f("name", 300), year: f("year", 6), blind: f("blind", 5) == "1", rubric: f("rubric"), disagreement: f("disagreement", 20))
        var errors: [Components.FieldError] = []
        let name = try? FieldRules.name(form.name, max: 300).get()
        if name == nil { errors.append(.init(field: "name", message: t("initiative.error.periodName"))) }
        let year = Int(form.year.trimmingCharacters(in: .whitespaces)).flatMap { (2000...2100).contains($0) ? $0 : nil }
        if year == nil { errors.append(.init(field: "year", message: t("initiative.error.year"))) }
        var rubric: Rubric?
        if let d = Points(typed: form.disagreement) {
            switch Rubric.parse(form.rubric, disagreement: d) {
            case .failure(let e): errors.append(.init(field: "rubric", message: t("initiative.error.rubricLines", e.lines.map(String.init).joined(separator: ", "))))
            case .success(let r):
                for p in r.problems {
                    let message: String =
                        switch p {
                        case .empty: t("initiative.error.rubricEmpty")
                        case .badCode(let c), .duplicateCode(let c), .missingName(let c): t("initiative.error.rubricCode", c)
                        case .badMax(let c): t("initiative.error.rubricMax", c)
                        case .badThreshold: t("initiative.error.threshold")
                        }
                    errors.append(.init(field: p == .badThreshold ? "disagreement" : "rubric", message: message))
                }
                if r.problems.isEmpty { rubric = r }
            }
        } else {
            errors.append(.init(field: "disagreement", message: t("initiative.error.threshold")))
        }
        guard errors.isEmpty, let name, let year, let rubric else {
            let list = try await InitiativePeriod.query(on: req.db).sort(\.$year, .descending).all()
            return InitiativePages.periods(req.pageContext, list, form: form, errors: errors).response(status: .unprocessableEntity)
        }
        let p = InitiativePeriod(name: name, year: year, blind: form.blind, rubric: rubric)
        try await req.db.writing(as: user.actor) { tx, audit in
            try await p.create(on: tx)
            audit.created(p)
        }
        return req.redirect(to: InitiativeURL.periods + "?ok=saved")
    }

    /// Moves a period to its next phase; the form says which phase it saw, so a double click cannot skip one.
    @Sendable static func advancePhase(req: Request) async throws -> Response {
        let user = try await SurveyAdminController.requireProvince(req, .manageInitiatives)
        guard let id = req.parameters.get("periodID", as: UUID.self), let p = try await InitiativePeriod.find(id, on: req.db) else { throw AppError.notFound }
        let seen = (try? req.content.get(String.self, at: "from")) ?? ""
        guard seen == p.phaseRaw, let next = p.phase.next else { return req.redirect(to: InitiativeURL.periods) }
        nonisolated(unsafe) let before = p.auditSnapshot
        p.phaseRaw = next.rawValue
        p.version += 1
        try await req.db.writing(as: user.actor) { tx, audit in
            guard let fresh = try await InitiativePeriod.find(id, on: tx), fresh.phaseRaw == seen else { throw AppError.conflict }
            try await p.update(on: tx)
            audit.updated(p, before: before)
        }
        return req.redirect(to: InitiativeURL.periods + "?ok=saved")
    }

    // MARK: Public library

    @Sendable static func library(req: Request) async throws -> Response {
        let q = String(((try? req.query.get(String.self, at: "q")) ?? "").prefix(200))
        let area = (try? req.query.get(Int.self, at: "area")).flatMap(ContentArea.init(rawValue:))
        let type = (try? req.query.get(String.self, at: "type")).flatMap(InitiativeType.init(rawValue:))
        let unit = try? req.query.get(UUID.self, at: "unit")
        let year = try? req.query.get(Int.self, at: "year")
        let all = try await Initiative.query(on: req.db).filter(\.$statusRaw == InitiativeStatus.recognised.rawValue).with(\.$unit).with(\.$period)
            .sort(\.$decisionDate, .descending).all()
        let adoptions = try await InitiativeAdoption.query(on: req.db).with(\.$unit).all()
        var seenUnits = Set<UUID>()
        let units = all.map(\.unit).filter { u in u.id.map { seenUnits.insert($0).inserted } ?? false }.sorted { $0.name < $1.name }
        let years = Array(Set(all.compactMap { $0.decisionDate.map { Int($0.prefix(4)) ?? 0 } })).sorted(by: >)
        let hits = all.filter { i in
            (area == nil || i.area == area) && (type == nil || i.type == type) && (unit == nil || i.$unit.id == unit)
                && (year == nil || i.decisionDate?.hasPrefix(String(year!)) == true)
                && LibrarySearch.matches(q, in: [i.title, i.problem, i.solution, i.novelty, i.unit.name])
        }
        let rows = hits.map { i in
            InitiativePages.LibraryRow(initiative: i, adopters: adoptions.filter { $0.$initiative.id == i.id }.map { $0.unit.name })
        }
        return InitiativePages.library(req.pageContext, rows: rows, q: q, area: area, type: type, unit: unit, year: year, units: units, years: years)
            .response()
    }

    @Sendable static func libraryItem(req: Request) async throws -> Response {
        guard let id = req.parameters.get("initiativeID", as: UUID.self), let i = try await Initiative.find(id, on: req.db), i.status == .recognised
        else { throw AppError.notFound }
        let unit = try await Unit.find(i.$unit.id, on: req.db)
        let authors = try await i.$authors.get(on: req.db).sorted { $0.position < $1.position }
        let adoptions = try await InitiativeAdoption.query(on: req.db).filter(\.$initiative.$id == id).with(\.$unit).sort(\.$adoptedOn).all()
        return InitiativePages.libraryItem(req.pageContext, i, unit: unit?.name ?? "", authors: authors, adoptions: adoptions).response()
    }
}

/// What other modules read of initiatives (the awards' eligibility rules, issue 8).
enum InitiativeRecords {
    struct Recognition: Sendable, Equatable {
        let initiativeID: UUID
        let title: String
        let level: RecognitionLevel
        let decidedOn: CivilDate
        let share: Points
    }

    /// A person's recognised initiatives (as a registered author), with the level, decision date and their share.
    static func recognitions(of personID: UUID, on db: any Database) async throws -> [Recognition] {
        let authored = try await InitiativeAuthor.query(on: db).filter(\.$personID == personID).all()
        guard !authored.isEmpty else { return [] }
        let initiatives = try await Initiative.query(on: db).filter(\.$id ~~ authored.map(\.$initiative.id))
            .filter(\.$statusRaw == InitiativeStatus.recognised.rawValue).all()
        return initiatives.compactMap { i in
            guard let id = i.id, let level = i.level, let date = i.decisionDate.flatMap(CivilDate.init(parsing:)),
                let a = authored.first(where: { $0.$initiative.id == id })
            else { return nil }
            return Recognition(initiativeID: id, title: i.title, level: level, decidedOn: date, share: Points(e4: a.shareE4))
        }.sorted { $0.decidedOn < $1.decidedOn }
    }
}
