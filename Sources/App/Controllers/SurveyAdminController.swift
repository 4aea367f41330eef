import Fluent
import Foundation
import SQLKit
import Vapor
import ThiDuaCore

/// Questionnaires (builder, versions, starters), campaigns, paper entry, receipts, quarantine review, results,
/// exports and the province's targets. Questionnaires, campaigns and targets are province-wide (the right on the
/// root unit); paper entry and receipts are per unit.
enum SurveyAdminController {
    static func requireProvince(_ req: Request, _ action: Action) async throws -> CurrentUser {
        let user = try req.require(action)
        guard let root = try await UnitTree.rootID(on: req.db), AccessPolicy.allowsProvinceWide(user.grants, action, rootID: root) else {
            throw AppError.forbidden
        }
        return user
    }

    /// The units of the campaign the user may see results of (nil: all).
    static func scope(_ req: Request, _ user: CurrentUser, _ action: Action) async throws -> Set<UUID>? {
        if let root = try await UnitTree.rootID(on: req.db), AccessPolicy.allowsProvinceWide(user.grants, action, rootID: root) { return nil }
        return try await UnitTree.subtreeIDs(of: AccessPolicy.scopeRoots(user.grants, action), on: req.db)
    }

    /// The units the user may do `action` for, by name (none without the action).
    static func units(_ req: Request, _ user: CurrentUser, _ action: Action) async throws -> [Unit] {
        guard AccessPolicy.permits(user.grants, action) else { return [] }
        var q = Unit.query(on: req.db).sort(\.$name)
        if let scope = try await scope(req, user, action) { q = q.filter(\.$id ~~ Array(scope)) }
        return try await q.all()
    }

    // MARK: Overview

    @Sendable static func index(req: Request) async throws -> Response {
        let user = try req.require(.viewSurveys)
        let questionnaires = try await SurveyQuestionnaire.query(on: req.db).sort(\.$code).sort(\.$version, .descending).all()
        let campaigns = try await SurveyCampaign.query(on: req.db).sort(\.$year, .descending).sort(\.$startsOn, .descending).all()
        let canManage = (try? await requireProvince(req, .manageSurveys)) != nil
        return SurveyAdminPages.index(req.pageContext, questionnaires: questionnaires, campaigns: campaigns, canManage: canManage, user: user).response()
    }

    @Sendable static func starters(req: Request) async throws -> Response {
        let user = try await requireProvince(req, .manageSurveys)
        try await req.db.writing(as: user.actor) { tx, audit in
            for q in [SurveyStarters.sipas, SurveyStarters.leadersRating] {
                let latest = try await SurveyQuestionnaire.query(on: tx).filter(\.$code == q.code).sort(\.$version, .descending).first()
                let m = SurveyQuestionnaire(q, version: (latest?.version ?? 0) + 1)
                try await m.create(on: tx)
                audit.created(m)
            }
        }
        return req.redirect(to: SurveyURL.home + "?ok=saved")
    }

    struct NewQuestionnaireForm: Content {
        var code: String?
        var title: String?
    }

    @Sendable static func createQuestionnaire(req: Request) async throws -> Response {
        let user = try await requireProvince(req, .manageSurveys)
        let f = (try? req.content.decode(NewQuestionnaireForm.self)) ?? NewQuestionnaireForm()
        let code = (f.code ?? "").trimmingCharacters(in: .whitespaces)
        let title = (f.title ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard Questionnaire.isValidCode(code) else { throw AppError.badRequest(key: "survey.problem.badCode") }
        guard case .success(let name) = FieldRules.name(title) else { throw AppError.badRequest(key: "survey.problem.emptyTitle") }
        let latest = try await SurveyQuestionnaire.query(on: req.db).filter(\.$code == code).sort(\.$version, .descending).first()
        let m = SurveyQuestionnaire(Questionnaire(code: code, title: name, questions: []), version: (latest?.version ?? 0) + 1)
        try await req.db.writing(as: user.actor) { tx, audit in
            try await m.create(on: tx)
            audit.created(m)
        }
        return req.redirect(to: SurveyURL.questionnaire(try m.requireID()) + "?ok=saved")
    }

    static func findQuestionnaire(_ req: Request) async throws -> SurveyQuestionnaire {
        guard let id = req.parameters.get("questionnaireID", as: UUID.self), let m = try await SurveyQuestionnaire.find(id, on: req.db) else {
            throw AppError.notFound
        }
        return m
    }

    @Sendable static func showQuestionnaire(req: Request) async throws -> Response {
        _ = try req.require(.viewSurveys)
        let m = try await findQuestionnaire(req)
        let canManage = (try? await requireProvince(req, .manageSurveys)) != nil
        return SurveyAdminPages.questionnaire(req.pageContext, m, try m.questionnaire(), canManage: canManage, form: QuestionForm(), errors: []).response()
    }

    struct QuestionForm: Content {
        var code: String?
        var kind: String?
        var text: String?
        var help: String?
        var required: String?
        var factor: String?
        var part: String?
        var options: String?
        var rows: String?
        var scale_min: String?
        var scale_max: String?
        var satisfied_from: String?
        var max_length: String?
        var if_question: String?
        var if_values: String?
    }

    /// Builds a question from the builder form. Options are one per line: `code | label | weight % | x` (x: counts
    /// as satisfied); rows likewise `code | label | factor`.
    static func question(from f: QuestionForm, t: Localizer) -> Result<Question, Components.FieldError> {
        func trim(_ s: String?) -> String { (s ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
        guard let kind = QuestionKind(rawValue: trim(f.kind)) else { return .failure(.init(field: "kind", message: t("problem.invalidValue", trim(f.kind)))) }
        let text = trim(f.text)
        if text.isEmpty || text.count > 500 { return .failure(.init(field: "text", message: t("problem.required"))) }
        if case .failure(let p) = FieldRules.name(String(text.prefix(255))) { return .failure(.init(field: "text", message: t.problem(p.key, p.argument))) }
        var options: [AnswerOption] = []
        for line in trim(f.options).split(whereSeparator: \.isNewline) {
            let parts = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count >= 2, !parts[1].isEmpty else { return .failure(.init(field: "options", message: t("survey.builder.badOption", String(line)))) }
            var weight: Points?
            if parts.count >= 3, !parts[2].isEmpty {
                guard let w = Points(typed: parts[2].replacingOccurrences(of: "%", with: "")) else {
                    return .failure(.init(field: "options", message: t("survey.builder.badOption", String(line))))
                }
                weight = w
            }
            let satisfied: Bool? = parts.count >= 4 ? (parts[3].lowercased() == "x" ? true : false) : nil
            options.append(AnswerOption(code: parts[0], label: parts[1], weight: weight, satisfied: satisfied))
        }
        var rows: [MatrixRow] = []
        for line in trim(f.rows).split(whereSeparator: \.isNewline) {
            let parts = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count >= 2 else { return .failure(.init(field: "rows", message: t("survey.builder.badOption", String(line)))) }
            rows.append(MatrixRow(code: parts[0], label: parts[1], factor: parts.count >= 3 ? SIPASFactor(rawValue: parts[2]) : nil))
        }
        let ifQ = trim(f.if_question)
        let cond = ifQ.isEmpty ? nil : DisplayCondition(question: ifQ, anyOf: trim(f.if_values).split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init))
        let help = trim(f.help)
        return .success(Question(
            code: trim(f.code), kind: kind, text: text, help: help.isEmpty ? nil : String(help.prefix(500)), required: f.required == "on",
            factor: SIPASFactor(rawValue: trim(f.factor)), part: QuestionPart(rawValue: trim(f.part)), options: options, rows: rows,
            scaleMin: Int(trim(f.scale_min)), scaleMax: Int(trim(f.scale_max)), satisfiedFrom: Int(trim(f.satisfied_from)),
            maxLength: Int(trim(f.max_length)), showIf: cond))
    }

    @Sendable static func addQuestion(req: Request) async throws -> Response {
        let user = try await requireProvince(req, .manageSurveys)
        let m = try await findQuestionnaire(req)
        guard m.status == .draft else { throw AppError.refused(key: "survey.builder.published") }
        var q = try m.questionnaire()
        let f = (try? req.content.decode(QuestionForm.self)) ?? QuestionForm()
        let t = req.t
        var errors: [Components.FieldError] = []
        switch question(from: f, t: t) {
        case .failure(let e): errors.append(e)
        case .success(let question):
            var next = q
            next.questions.append(question)
            // Only the problems of the new question are the builder's to report; an unfinished draft may have others.
            let before = q.validate()
            let problems = next.validate().filter { !before.contains($0) && $0 != .noQuestions }
            if problems.isEmpty {
                q = next
            } else {
                errors += problems.map { .init(field: "code", message: SurveyAdminPages.problemText(t, $0)) }
            }
        }
        guard errors.isEmpty else {
            return SurveyAdminPages.questionnaire(req.pageContext, m, q, canManage: true, form: f, errors: errors).response(status: .badRequest)
        }
        try await saveBody(m, SurveyQuestionnaire.encode(q), user: user, on: req.db)
        return req.redirect(to: SurveyURL.questionnaire(try m.requireID()) + "?ok=saved")
    }

    /// Saves a draft's new body, refusing if someone changed or published it since it was read.
    static func saveBody(_ m: SurveyQuestionnaire, _ body: String, user: CurrentUser, on db: any Database) async throws {
        let id = try m.requireID(), old = m.body
        try await db.writing(as: user.actor) { tx, audit in
            guard let fresh = try await SurveyQuestionnaire.find(id, on: tx), fresh.status == .draft, fresh.body == old else { throw AppError.conflict }
            let before = fresh.auditSnapshot
            fresh.body = body
            try await fresh.update(on: tx)
            audit.updated(fresh, before: before)
        }
    }

    @Sendable static func deleteQuestion(req: Request) async throws -> Response {
        let user = try await requireProvince(req, .manageSurveys)
        let m = try await findQuestionnaire(req)
        guard m.status == .draft else { throw AppError.refused(key: "survey.builder.published") }
        var q = try m.questionnaire()
        let code = req.parameters.get("code") ?? ""
        guard q.questions.contains(where: { $0.code == code }) else { throw AppError.notFound }
        if q.questions.contains(where: { $0.showIf?.question == code }) { throw AppError.refused(key: "survey.builder.referenced") }
        q.questions.removeAll { $0.code == code }
        try await saveBody(m, SurveyQuestionnaire.encode(q), user: user, on: req.db)
        return req.redirect(to: SurveyURL.questionnaire(try m.requireID()) + "?ok=saved")
    }

    @Sendable static func publish(req: Request) async throws -> Response {
        let user = try await requireProvince(req, .manageSurveys)
        let m = try await findQuestionnaire(req)
        guard m.status == .draft else { throw AppError.refused(key: "survey.builder.published") }
        let q = try m.questionnaire()
        let problems = q.validate()
        guard problems.isEmpty else {
            let errors = problems.map { Components.FieldError(field: "code", message: SurveyAdminPages.problemText(req.t, $0)) }
            return SurveyAdminPages.questionnaire(req.pageContext, m, q, canManage: true, form: QuestionForm(), errors: errors).response(status: .badRequest)
        }
        let id = try m.requireID(), body = m.body
        try await req.db.writing(as: user.actor) { tx, audit in
            guard let fresh = try await SurveyQuestionnaire.find(id, on: tx), fresh.status == .draft, fresh.body == body else { throw AppError.conflict }
            let before = fresh.auditSnapshot
            fresh.statusRaw = SurveyQuestionnaire.Status.published.rawValue
            fresh.publishedAt = Date()
            try await fresh.update(on: tx)
            audit.updated(fresh, before: before)
        }
        return req.redirect(to: SurveyURL.questionnaire(try m.requireID()) + "?ok=saved")
    }

    @Sendable static func copy(req: Request) async throws -> Response {
        let user = try await requireProvince(req, .manageSurveys)
        let m = try await findQuestionnaire(req)
        let latest = try await SurveyQuestionnaire.query(on: req.db).filter(\.$code == m.code).sort(\.$version, .descending).first()
        let copy = SurveyQuestionnaire(try m.questionnaire(), version: (latest?.version ?? m.version) + 1)
        try await req.db.writing(as: user.actor) { tx, audit in
            try await copy.create(on: tx)
            audit.created(copy)
        }
        return req.redirect(to: SurveyURL.questionnaire(try copy.requireID()) + "?ok=saved")
    }

    // MARK: Campaigns

    struct CampaignForm: Content {
        var title: String?
        var questionnaire: String?
        var starts_on: String?
        var ends_on: String?
        var units: String?
        var criterion: String?
        var window_seconds: String?
        var quarantine_after: String?
        var refuse_after: String?
        var kiosk_min_seconds: String?
    }

    static func formValues(_ req: Request) -> [String: [String]] {
        var out: [String: [String]] = [:]
        for (k, v) in SurveyForm.pairs(req.body.string ?? "") { out[k, default: []].append(v) }
        return out
    }

    @Sendable static func newCampaign(req: Request) async throws -> Response {
        _ = try await requireProvince(req, .manageSurveys)
        return try await SurveyAdminPages.campaignForm(req.pageContext, data: campaignFormData(req), values: [:], errors: []).response()
    }

    static func campaignFormData(_ req: Request) async throws -> SurveyAdminPages.CampaignFormData {
        let qs = try await SurveyQuestionnaire.query(on: req.db).filter(\.$statusRaw == SurveyQuestionnaire.Status.published.rawValue).sort(\.$code).all()
        let fields = try await SurveyField.query(on: req.db).sort(\.$sort).all()
        return .init(questionnaires: qs.compactMap { q in q.id.map { ($0, q.title + " (v" + String(q.version) + ")") } }, fields: fields.map { ($0.code, $0.name) })
    }

    @Sendable static func createCampaign(req: Request) async throws -> Response {
        let user = try await requireProvince(req, .manageSurveys)
        let v = formValues(req)
        let t = req.t
        func one(_ k: String) -> String { (v[k]?.first ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
        var errors: [Components.FieldError] = []
        let title: String? = { if case .success(let n) = FieldRules.name(one("title")) { return n }; return nil }()
        if title == nil { errors.append(.init(field: "title", message: t("problem.required"))) }
        var questionnaire: SurveyQuestionnaire?
        if let id = UUID(uuidString: one("questionnaire")), let q = try await SurveyQuestionnaire.find(id, on: req.db), q.status == .published {
            questionnaire = q
        } else {
            errors.append(.init(field: "questionnaire", message: t("survey.campaign.needPublished")))
        }
        let from = CivilDate(parsing: one("starts_on")), to = CivilDate(parsing: one("ends_on"))
        if from == nil { errors.append(.init(field: "starts_on", message: t("problem.invalidDate", one("starts_on")))) }
        if to == nil { errors.append(.init(field: "ends_on", message: t("problem.invalidDate", one("ends_on")))) }
        if let from, let to, to < from { errors.append(.init(field: "ends_on", message: t("survey.campaign.endBeforeStart"))) }
        let channels = (v["channel"] ?? []).compactMap(SurveyChannel.init(rawValue:))
        if channels.isEmpty { errors.append(.init(field: "channel", message: t("survey.campaign.needChannel"))) }
        let knownFields = Set(try await SurveyField.query(on: req.db).all().map(\.code))
        let fields = (v["field"] ?? []).filter { knownFields.contains($0) }
        var units: [Unit] = []
        let codes = one("units").split(whereSeparator: { $0 == "," || $0 == ";" || $0.isWhitespace }).map { $0.uppercased() }
        if codes.isEmpty { errors.append(.init(field: "units", message: t("problem.required"))) }
        for code in Set(codes).sorted().prefix(5_000) {
            if let u = try await Unit.query(on: req.db).filter(\.$code == code).first() { units.append(u) } else {
                errors.append(.init(field: "units", message: t("problem.notFound", code)))
            }
        }
        func int(_ k: String, _ d: Int) -> Int? { one(k).isEmpty ? d : Int(one(k)) }
        let defaults = IntegrityRules.default
        let rules = IntegrityRules(
            windowSeconds: int("window_seconds", defaults.windowSeconds) ?? -1, quarantineAfter: int("quarantine_after", defaults.quarantineAfter) ?? -1,
            refuseAfter: int("refuse_after", defaults.refuseAfter) ?? -1, kioskMinSeconds: int("kiosk_min_seconds", defaults.kioskMinSeconds) ?? -1)
        if !rules.isValid { errors.append(.init(field: "window_seconds", message: t("survey.campaign.badRules"))) }
        let criterion = one("criterion")
        if !criterion.isEmpty && !Questionnaire.isValidCode(criterion) { errors.append(.init(field: "criterion", message: t("problem.invalidValue", criterion))) }
        guard errors.isEmpty, let title, let questionnaire, let from, let to else {
            return try await SurveyAdminPages.campaignForm(req.pageContext, data: campaignFormData(req), values: v, errors: errors).response(status: .badRequest)
        }
        let c = SurveyCampaign()
        c.title = title
        c.$questionnaire.id = try questionnaire.requireID()
        c.year = from.year
        c.startsOn = from.iso
        c.endsOn = to.iso
        c.statusRaw = SurveyCampaign.Status.draft.rawValue
        c.channelsRaw = channels.map(\.rawValue).joined(separator: ",")
        c.fieldsRaw = fields.joined(separator: ",")
        c.receiptsRequired = v["receipts"]?.first == "on"
        c.criterionCode = criterion.isEmpty ? nil : criterion
        c.rules = rules
        let chosen = units
        try await req.db.writing(as: user.actor) { tx, audit in
            try await c.create(on: tx)
            audit.created(c)
            let cid = try c.requireID()
            for u in chosen {
                let p = SurveyPoint(campaignID: cid, unitID: try u.requireID(), token: SurveyPoint.newToken())
                try await p.create(on: tx)
                audit.created(p)
            }
        }
        return req.redirect(to: SurveyURL.campaign(try c.requireID()) + "?ok=saved")
    }

    static func findCampaign(_ req: Request) async throws -> SurveyCampaign {
        guard let id = req.parameters.get("campaignID", as: UUID.self), let c = try await SurveyCampaign.find(id, on: req.db) else { throw AppError.notFound }
        return c
    }

    @Sendable static func showCampaign(req: Request) async throws -> Response {
        let user = try req.require(.viewSurveys)
        let c = try await findCampaign(req)
        let scope = try await scope(req, user, .viewSurveys)
        let points = try await SurveyService.points(campaign: try c.requireID(), on: req.db).filter { scope?.contains($0.unitID) ?? true }
        let q = try await SurveyQuestionnaire.find(c.$questionnaire.id, on: req.db)
        let canManage = (try? await requireProvince(req, .manageSurveys)) != nil
        let enterScope = try await self.scope(req, user, .enterSurveyResponses)
        let canEnter: (UUID) -> Bool = { unit in user.can(.enterSurveyResponses) && (enterScope?.contains(unit) ?? true) }
        return SurveyAdminPages.campaign(req.pageContext, c, questionnaire: q, points: points, canManage: canManage, canEnter: canEnter,
                                         base: SurveyPublicController.baseURL(req)).response()
    }

    @Sendable static func setStatus(req: Request) async throws -> Response {
        let user = try await requireProvince(req, .manageSurveys)
        let c = try await findCampaign(req)
        let raw = formValues(req)["status"]?.first ?? ""
        guard let status = SurveyCampaign.Status(rawValue: raw), status != .draft else { throw AppError.badRequest(key: "problem.invalidValue") }
        let cid = try c.requireID()
        try await req.db.writing(as: user.actor) { tx, audit in
            guard let fresh = try await SurveyCampaign.find(cid, on: tx) else { throw AppError.notFound }
            let before = fresh.auditSnapshot
            fresh.statusRaw = status.rawValue
            try await fresh.update(on: tx)
            audit.updated(fresh, before: before)
        }
        return req.redirect(to: SurveyURL.campaign(try c.requireID()) + "?ok=saved")
    }

    // MARK: Paper entry and receipts

    static func pointForEntry(_ req: Request) async throws -> (SurveyCampaign, SurveyService.PointInfo, CurrentUser) {
        _ = try req.require(.enterSurveyResponses)
        let c = try await findCampaign(req)
        guard let pid = req.parameters.get("pointID", as: UUID.self),
            let p = try await SurveyService.points(campaign: try c.requireID(), on: req.db).first(where: { $0.pointID == pid })
        else { throw AppError.notFound }
        let user = try await req.require(.enterSurveyResponses, on: p.unitID)
        return (c, p, user)
    }

    @Sendable static func paperForm(req: Request) async throws -> Response {
        let (c, p, _) = try await pointForEntry(req)
        let q = try await SurveyService.questionnaire(c.$questionnaire.id, on: req.db)
        let fields = try await SurveyService.fieldNames(p.fields, on: req.db)
        return SurveyAdminPages.paper(req.pageContext, c, p, q, fields: fields, submitted: SurveyForm.Submitted(), problems: []).response()
    }

    @Sendable static func paperSubmit(req: Request) async throws -> Response {
        let (c, p, user) = try await pointForEntry(req)
        guard c.status != .draft else { throw AppError.refused(key: "survey.paper.notOpen") }
        let q = try await SurveyService.questionnaire(c.$questionnaire.id, on: req.db)
        let fields = try await SurveyService.fieldNames(p.fields, on: req.db)
        var submitted = SurveyForm.parse(req)
        submitted.honeypot = false
        var problems = SurveyForm.problems(submitted, point: p, fields: fields).filter { $0 != .receiptRequired }
        let day = CivilDate(parsing: submitted.paperDate ?? "")
        if day == nil || day.map({ $0.iso < c.startsOn || $0.iso > c.endsOn }) == true { problems.append(.paperDate) }
        var answers: SurveyAnswers?
        switch SurveyAnswers.check(q, submitted.answers) {
        case .success(let a): answers = a
        case .failure(let f): problems += f.problems.map { SurveyForm.Problem.answer($0) }
        }
        guard problems.isEmpty, let answers, let day else {
            return SurveyAdminPages.paper(req.pageContext, c, p, q, fields: fields, submitted: submitted, problems: problems).response(status: .badRequest)
        }
        // A paper form is dated by the day it was filled in (noon, Vietnam time), and marked as typed by this officer.
        let noon = Date(timeIntervalSince1970: Double(day.daysSinceEpoch) * 86_400 + 5 * 3_600)
        let incoming = IncomingResponse(
            point: p, questionnaire: q, answers: answers, field: submitted.field, channel: .paper, fingerprint: "paper:" + user.id.uuidString,
            submissionKey: submitted.key ?? UUID().uuidString, receiptCode: submitted.receipt, enteredBy: user.id, honeypotFilled: false,
            secondsToAnswer: nil, now: noon)
        let outcome = try await req.db.writing(as: user.actor) { tx, audit in
            guard let sql = tx as? any SQLDatabase else { throw AppError.internalInconsistency("surveys need SQL") }
            let o = try await SurveyStore.write([incoming], sql: sql)[0]
            if case .stored = o {
                audit.record(.create, type: "survey_response", id: incoming.submissionKey, before: nil, after: [
                    "campaign": p.campaignID.uuidString, "unit": p.unitCode, "channel": "paper", "date": day.iso,
                    "answers": AnswerCodec.encode(answers.values),
                ])
            }
            return o
        }
        if outcome == .closed { throw AppError.refused(key: "survey.paper.notOpen") }
        if outcome == .receiptInvalid {
            return SurveyAdminPages.paper(req.pageContext, c, p, q, fields: fields, submitted: submitted, problems: [.receiptUsed]).response(status: .badRequest)
        }
        return req.redirect(to: SurveyURL.paper(try c.requireID(), p.pointID) + "?ok=paperSaved")
    }

    @Sendable static func receipts(req: Request) async throws -> Response {
        let (c, p, user) = try await pointForEntry(req)
        let n = Int(formValues(req)["count"]?.first ?? "") ?? 0
        guard (1...500).contains(n) else { throw AppError.badRequest(key: "survey.receipts.countBad") }
        let ms = Int64(Date().timeIntervalSince1970 * 1000)
        let cid = try c.requireID()
        let codes = try await req.db.writing(as: user.actor) { tx, audit -> [String] in
            var made: [String] = []
            while made.count < n {
                let code = SurveyReceipt.newCode()
                if try await SurveyReceipt.query(on: tx).filter(\.$campaign.$id == cid).filter(\.$code == code).count() > 0 { continue }
                try await SurveyReceipt(campaignID: cid, pointID: p.pointID, code: code, createdMs: ms).create(on: tx)
                made.append(code)
            }
            audit.record(.create, type: "survey_receipts", id: p.pointID.uuidString, before: nil, after: ["count": String(n)])
            return made
        }
        return SurveyAdminPages.receipts(req.pageContext, c, p, codes: codes, base: SurveyPublicController.baseURL(req)).response()
    }

    // MARK: Quarantine

    private struct QuarantineRow: Decodable { let id: UUID, unit_id: UUID, channel: String, reason: String?, created_ms: Int64, answers: String }

    @Sendable static func quarantine(req: Request) async throws -> Response {
        _ = try await requireProvince(req, .manageSurveys)
        let c = try await findCampaign(req)
        guard let sql = req.db as? any SQLDatabase else { throw AppError.notFound }
        let rows = try await sql.raw("""
            SELECT id, unit_id, channel, reason, created_ms, answers FROM survey_responses WHERE campaign_id = \(bind: try c.requireID()) \
            AND status = \(bind: ResponseStatus.quarantined.rawValue) ORDER BY created_ms LIMIT 200
            """).all(decoding: QuarantineRow.self)
        let names = try await PlanService.unitNames(Set(rows.map(\.unit_id)), on: req.db)
        let q = try await SurveyService.questionnaire(c.$questionnaire.id, on: req.db)
        return SurveyAdminPages.quarantine(req.pageContext, c, q, rows: rows.map {
            .init(id: $0.id, unit: names[$0.unit_id] ?? "", channel: $0.channel, reason: $0.reason.flatMap(QuarantineReason.init(rawValue:)),
                  at: Date(timeIntervalSince1970: Double($0.created_ms) / 1000), answers: AnswerCodec.decode($0.answers))
        }).response()
    }

    private struct StatusRow: Decodable { let campaign_id: UUID, status: String }

    @Sendable static func review(req: Request) async throws -> Response {
        let user = try await requireProvince(req, .manageSurveys)
        guard let id = req.parameters.get("responseID", as: UUID.self), let sql = req.db as? any SQLDatabase else { throw AppError.notFound }
        let decision = formValues(req)["decision"]?.first ?? ""
        guard let target = ResponseStatus(rawValue: decision), target != .quarantined else { throw AppError.badRequest(key: "problem.invalidValue") }
        guard let row = try await sql.raw("SELECT campaign_id, status FROM survey_responses WHERE id = \(bind: id)").first(decoding: StatusRow.self) else {
            throw AppError.notFound
        }
        guard row.status == ResponseStatus.quarantined.rawValue else { throw AppError.conflict }
        let ms = Int64(Date().timeIntervalSince1970 * 1000)
        try await req.db.writing(as: user.actor) { tx, audit in
            guard let tsql = tx as? any SQLDatabase else { return }
            try await tsql.raw("""
                UPDATE survey_responses SET status = \(bind: target.rawValue), reviewed_by = \(bind: user.id), reviewed_ms = \(bind: ms) \
                WHERE id = \(bind: id) AND status = \(bind: ResponseStatus.quarantined.rawValue)
                """).run()
            audit.record(.update, type: "survey_response", id: id.uuidString, before: ["status": row.status], after: ["status": target.rawValue])
        }
        return req.redirect(to: SurveyURL.quarantine(row.campaign_id) + "?ok=saved")
    }

    // MARK: Results and exports

    struct ResultsData: Sendable {
        let campaign: SurveyCampaign
        let results: SurveyService.Results
        let settings: SurveySettings
        let unitNames: [UUID: (code: String, name: String)]
        let fieldNames: [String: String]
        /// Overall index of earlier campaigns of the same questionnaire (code), oldest first: the trend.
        let trend: [(title: String, year: Int, index: Points?, n: Int)]
    }

    static func resultsData(_ req: Request) async throws -> ResultsData {
        let user = try req.require(.viewSurveys)
        let c = try await findCampaign(req)
        let cid = try c.requireID()
        var results = try await SurveyService.results(campaign: cid, on: req.db)
        if let scope = try await scope(req, user, .viewSurveys) {
            results.byUnit = results.byUnit.filter { scope.contains($0.key) }
            guard !scope.isEmpty else { throw AppError.forbidden }
            // Units see their own rows; field, month and overall figures stay the campaign's (they are published).
        }
        let settings = try await SurveyService.settings(on: req.db)
        let points = try await SurveyService.points(campaign: cid, on: req.db)
        var names: [UUID: (String, String)] = [:]
        for p in points { names[p.unitID] = (p.unitCode, p.unitName) }
        let fields = Dictionary(uniqueKeysWithValues: try await SurveyField.query(on: req.db).all().map { ($0.code, $0.name) })
        var trend: [(String, Int, Points?, Int)] = []
        if let q = try await SurveyQuestionnaire.find(c.$questionnaire.id, on: req.db) {
            let sameCode = try await SurveyQuestionnaire.query(on: req.db).filter(\.$code == q.code).all().compactMap(\.id)
            let campaigns = try await SurveyCampaign.query(on: req.db).filter(\.$questionnaire.$id ~~ sameCode).sort(\.$startsOn).all()
            for other in campaigns {
                let r = other.id == cid ? results : try await SurveyService.results(campaign: try other.requireID(), on: req.db)
                trend.append((other.title, other.year, r.total.overall(settings.overall), r.total.responses))
            }
        }
        return ResultsData(campaign: c, results: results, settings: settings, unitNames: names, fieldNames: fields, trend: trend)
    }

    @Sendable static func results(req: Request) async throws -> Response {
        let data = try await resultsData(req)
        return SurveyAdminPages.results(req.pageContext, data).response()
    }

    @Sendable static func export(req: Request) async throws -> Response {
        _ = try req.require(.viewSurveys)
        let file = req.parameters.get("file") ?? ""
        let parts = file.split(separator: ".")
        guard parts.count == 2, ["csv", "xlsx"].contains(parts[1]) else { throw AppError.notFound }
        let format = String(parts[1])
        switch parts[0] {
        case "aggregates": return try await SurveyExports.aggregates(req, data: resultsData(req), format: format)
        case "responses":
            let user = try req.require(.viewSurveys)
            let c = try await findCampaign(req)
            return try await SurveyExports.responses(req, campaign: c, scope: scope(req, user, .viewSurveys), format: format)
        default: throw AppError.notFound
        }
    }

    // MARK: Settings

    @Sendable static func settings(req: Request) async throws -> Response {
        _ = try req.require(.viewSurveys)
        let s = try await SurveyService.settings(on: req.db)
        let canManage = (try? await requireProvince(req, .manageSurveys)) != nil
        let fields = try await SurveyField.query(on: req.db).sort(\.$sort).all()
        return SurveyAdminPages.settings(req.pageContext, s, fields: fields, canManage: canManage, errors: []).response()
    }

    @Sendable static func saveSettings(req: Request) async throws -> Response {
        let user = try await requireProvince(req, .manageSurveys)
        let v = formValues(req)
        let t = req.t
        var errors: [Components.FieldError] = []
        var targets: [SurveySettings.Target] = []
        let years = v["target_year"] ?? [], percents = v["target_percent"] ?? []
        for (i, y) in years.enumerated() {
            let p = i < percents.count ? percents[i].trimmingCharacters(in: .whitespaces) : ""
            if y.trimmingCharacters(in: .whitespaces).isEmpty && p.isEmpty { continue }
            guard let year = Int(y.trimmingCharacters(in: .whitespaces)), (2000...2100).contains(year),
                  let pct = Points(typed: p), pct >= .zero, pct <= Points(100) else {
                errors.append(.init(field: "target_year", message: t("survey.settings.badTarget", y, p)))
                continue
            }
            targets.append(.init(year: year, percent: pct))
        }
        if Set(targets.map(\.year)).count != targets.count { errors.append(.init(field: "target_year", message: t("survey.settings.duplicateYear"))) }
        let overall = SatisfactionIndex.Overall(rawValue: v["overall"]?.first ?? "") ?? .pooled
        var newField: SurveyField?
        let fcode = (v["field_code"]?.first ?? "").trimmingCharacters(in: .whitespaces), fname = (v["field_name"]?.first ?? "").trimmingCharacters(in: .whitespaces)
        if !fcode.isEmpty || !fname.isEmpty {
            if !Questionnaire.isValidCode(fcode) { errors.append(.init(field: "field_code", message: t("survey.problem.badCode", fcode))) }
            if case .failure = FieldRules.name(fname) { errors.append(.init(field: "field_name", message: t("problem.required"))) }
            if try await SurveyField.query(on: req.db).filter(\.$code == fcode).count() > 0 { errors.append(.init(field: "field_code", message: t("problem.alreadyExists", fcode))) }
            let count = try await SurveyField.query(on: req.db).count()
            newField = SurveyField(code: fcode, name: fname, sort: count + 1)
        }
        guard errors.isEmpty else {
            let fields = try await SurveyField.query(on: req.db).sort(\.$sort).all()
            return SurveyAdminPages.settings(req.pageContext, SurveySettings(targets: targets, overall: overall), fields: fields, canManage: true, errors: errors)
                .response(status: .badRequest)
        }
        let settings = SurveySettings(targets: targets.sorted { $0.year < $1.year }, overall: overall)
        let json = String(decoding: try JSONEncoder().encode(settings), as: UTF8.self)
        let field = newField
        try await req.db.writing(as: user.actor) { tx, audit in
            try await ProvinceSetting.save(SurveySettings.key, json: json, on: tx, audit: audit)
            if let field {
                try await field.create(on: tx)
                audit.created(field)
            }
        }
        return req.redirect(to: SurveyURL.settings + "?ok=saved")
    }
}

extension Components.FieldError: Error {}
