import Fluent
import Vapor
import ThiDuaCore

/// A unit's score sheet: self-assessment with evidence, submission, appraisal rounds, explanations.
enum AssessmentController {
    /// Everything a sheet page needs, loaded once.
    struct Context {
        let assessment: IndexAssessment
        let cycle: IndexCycle
        let unit: Unit
        let fw: CompiledFramework
        let scores: [String: IndexScore]
        let evidence: [String: [IndexEvidence]]
        let user: CurrentUser
        let path: [UUID]

        func allows(_ action: Action) -> Bool { AccessPolicy.allows(user.grants, action, unitPath: path) }

        var today: CivilDate { CivilDate.today() }
        var phaseOpen: Bool { cycle.deadlines.isOpen(cycle.phase, today: today) }
        var canSelfAssess: Bool { cycle.phase == .selfAssessment && assessment.status == .draft && phaseOpen && allows(.selfAssess) }
        var canSubmit: Bool { cycle.phase == .selfAssessment && assessment.status == .draft && phaseOpen && allows(.submitAssessment) }
        var canAppraise: Bool { cycle.phase.permits(.appraise) && assessment.status == .submitted && phaseOpen && allows(.appraise) }
        var canRequestExplanation: Bool { canAppraise && cycle.phase == .appraisal1 }
        var canExplain: Bool { cycle.phase == .explanation && phaseOpen && allows(.explain) }
        var canAddEvidence: Bool { canSelfAssess || canExplain }
    }

    static func load(_ req: Request, action: Action = .viewIndex) async throws -> Context {
        guard let id = req.parameters.get("assessmentID", as: UUID.self),
            let a = try await IndexAssessment.query(on: req.db).filter(\.$id == id).with(\.$cycle).with(\.$unit).with(\.$framework).first()
        else { throw AppError.notFound }
        let user = try await req.require(action, on: a.$unit.id)
        let scores = try await IndexScore.query(on: req.db).filter(\.$assessment.$id == id).all()
        let scoreIDs = scores.compactMap(\.id)
        let evidence = try await IndexEvidence.query(on: req.db).filter(\.$score.$id ~~ scoreIDs).all()
        let codeByScore = Dictionary(uniqueKeysWithValues: scores.compactMap { s in s.id.map { ($0, s.criterionCode) } })
        return Context(
            assessment: a, cycle: a.cycle, unit: a.unit, fw: try a.framework.compiled(),
            scores: Dictionary(uniqueKeysWithValues: scores.map { ($0.criterionCode, $0) }),
            evidence: Dictionary(grouping: evidence, by: { codeByScore[$0.$score.id] ?? "" }),
            user: user, path: try await UnitTree.path(of: a.$unit.id, on: req.db))
    }

    @Sendable static func show(req: Request) async throws -> Response {
        let ctx = try await load(req)
        return AssessmentPages.sheet(req.pageContext, ctx, metrics: try await metrics(req, ctx), submitted: [:], errors: [:], notice: nil).response()
    }

    static func metrics(_ req: Request, _ ctx: Context) async throws -> [MetricKey: Points] {
        var out: [MetricKey: Points] = [:]
        for s in req.application.metricSources {
            out.merge(try await s.values(for: [ctx.unit.id ?? UUID()], year: ctx.cycle.year, on: req.db)[ctx.unit.id ?? UUID()] ?? [:]) { $1 }
        }
        return out
    }

    static func form(_ req: Request) -> [String: String] {
        (try? req.content.decode([String: String].self)) ?? [:]
    }

    /// Saves the self-assessment: all leaves at once, or nothing if any value is wrong.
    @Sendable static func saveScores(req: Request) async throws -> Response {
        let ctx = try await load(req, action: .selfAssess)
        guard ctx.canSelfAssess else { throw AppError.badRequest(key: ctx.phaseOpen ? "sheet.locked" : "sheet.pastDeadline") }
        let f = form(req)
        var errors: [String: String] = [:]
        var changes: [(code: String, value: String?, note: String?)] = []
        for leaf in ctx.fw.leaves.indices {
            let code = ctx.fw.nodes[ctx.fw.leaves[leaf]].code
            let raw = VietnameseText.normalize(f["v_" + code] ?? "")
            let noteRaw = f["n_" + code] ?? ""
            var value: String?
            if !raw.isEmpty {
                switch ScoreInputParser.parse(raw, leaf: leaf, in: ctx.fw) {
                case .success: value = raw
                case .failure(let p):
                    errors[code] = req.t(p.key)
                    continue
                }
            }
            var note: String?
            switch FieldRules.optionalText(noteRaw, max: 2000) {
            case .success(let n): note = n
            case .failure(let p):
                errors[code] = req.t.problem(p.key, p.argument)
                continue
            }
            let existing = ctx.scores[code]
            if existing?.selfValue != value || existing?.selfNote != note { changes.append((code, value, note)) }
        }
        guard errors.isEmpty else {
            return AssessmentPages.sheet(req.pageContext, ctx, metrics: try await metrics(req, ctx), submitted: f, errors: errors, notice: nil)
                .response(status: .badRequest)
        }
        let assessmentID = try ctx.assessment.requireID()
        let pending = changes
        try await req.db.writing(as: ctx.user.actor) { tx, audit in
            guard let fresh = try await IndexAssessment.find(assessmentID, on: tx), fresh.status == .draft else { throw AppError.conflict }
            for c in pending {
                let score = try await IndexScore.query(on: tx).filter(\.$assessment.$id == assessmentID).filter(\.$criterionCode == c.code).first()
                if let score {
                    let before = score.auditSnapshot
                    score.selfValue = c.value
                    score.selfNote = c.note
                    score.version += 1
                    try await score.update(on: tx)
                    audit.updated(score, before: before)
                } else {
                    let score = IndexScore(assessmentID: assessmentID, criterionCode: c.code)
                    score.selfValue = c.value
                    score.selfNote = c.note
                    try await score.create(on: tx)
                    audit.created(score)
                }
            }
        }
        return req.redirect(to: SiteURL.assessment(assessmentID).path + "?ok=saved")
    }

    @Sendable static func submit(req: Request) async throws -> Response {
        let ctx = try await load(req, action: .submitAssessment)
        guard ctx.canSubmit else { throw AppError.badRequest(key: ctx.phaseOpen ? "sheet.locked" : "sheet.pastDeadline") }
        let id = try ctx.assessment.requireID()
        try await req.db.writing(as: ctx.user.actor, reason: "submit self-assessment") { tx, audit in
            guard let fresh = try await IndexAssessment.find(id, on: tx), fresh.status == .draft else { throw AppError.conflict }
            let before = fresh.auditSnapshot
            fresh.statusRaw = IndexAssessment.Status.submitted.rawValue
            fresh.submittedAtMillis = Int64(Date().timeIntervalSince1970 * 1000)
            fresh.submittedBy = ctx.user.username
            fresh.version += 1
            try await fresh.update(on: tx)
            audit.updated(fresh, before: before)
        }
        return req.redirect(to: SiteURL.assessment(id).path + "?ok=submitted")
    }

    /// Appraised values with reasons; explanation requests in round 1. A criterion someone else changed since the
    /// page was opened is refused with the appraiser's input kept on the page (nothing lost).
    @Sendable static func appraise(req: Request) async throws -> Response {
        let ctx = try await load(req, action: .appraise)
        guard ctx.canAppraise else { throw AppError.badRequest(key: ctx.phaseOpen ? "sheet.locked" : "sheet.pastDeadline") }
        let f = form(req)
        var errors: [String: String] = [:]
        struct Change: Sendable { let code: String, value: String?, reason: String?, request: Bool, question: String?, version: Int }
        var changes: [Change] = []
        for leaf in ctx.fw.leaves.indices {
            let code = ctx.fw.nodes[ctx.fw.leaves[leaf]].code
            let existing = ctx.scores[code]
            let raw = VietnameseText.normalize(f["a_" + code] ?? "")
            let reason = VietnameseText.normalize(f["r_" + code] ?? "")
            let request = ctx.canRequestExplanation && f["x_" + code] == "1"
            let question = VietnameseText.normalize(f["q_" + code] ?? "")
            var value: String? = raw.isEmpty ? nil : raw
            if let v = value {
                guard case .success(let input) = ScoreInputParser.parse(v, leaf: leaf, in: ctx.fw) else {
                    errors[code] = req.t("score.notANumber")
                    continue
                }
                let selfInput = existing?.selfValue.flatMap { try? ScoreInputParser.parse($0, leaf: leaf, in: ctx.fw).get() }
                let differs = ctx.fw.leafPoints(leaf, input: input, metrics: [:]) != ctx.fw.leafPoints(leaf, input: selfInput, metrics: [:])
                if differs && reason.isEmpty {
                    errors[code] = req.t("sheet.reasonRequired")
                    continue
                }
                if !differs && reason.isEmpty { value = v }
            }
            if reason.count > 2000 || question.count > 2000 {
                errors[code] = req.t("problem.tooLong", "2000")
                continue
            }
            let changed = existing?.appraisedValue != value || (existing?.appraisalReason ?? "") != reason
                || (request && !(existing?.explanationRequested ?? false)) || (request && (existing?.explanationRequest ?? "") != question)
            if changed {
                let sentVersion = Int(f["ver_" + code] ?? "") ?? (existing?.version ?? 0)
                changes.append(Change(code: code, value: value, reason: reason.isEmpty ? nil : reason, request: request,
                                      question: question.isEmpty ? nil : question, version: sentVersion))
            }
        }
        guard errors.isEmpty else {
            return AssessmentPages.sheet(req.pageContext, ctx, metrics: try await metrics(req, ctx), submitted: f, errors: errors, notice: nil)
                .response(status: .badRequest)
        }
        let assessmentID = try ctx.assessment.requireID()
        let pending = changes
        let appraiser = ctx.user.username
        do {
            try await req.db.writing(as: ctx.user.actor, reason: "appraisal") { tx, audit in
                var stale: [String] = []
                for c in pending {
                    let score = try await IndexScore.query(on: tx).filter(\.$assessment.$id == assessmentID).filter(\.$criterionCode == c.code).first()
                    if (score?.version ?? 0) != c.version { stale.append(c.code); continue }
                    let s = score ?? IndexScore(assessmentID: assessmentID, criterionCode: c.code)
                    let before = s.auditSnapshot
                    s.appraisedValue = c.value
                    s.appraisalReason = c.reason
                    s.appraisedBy = c.value == nil && c.reason == nil ? nil : appraiser
                    if c.request {
                        s.explanationRequested = true
                        s.explanationRequest = c.question
                    }
                    s.version += score == nil ? 0 : 1
                    if score == nil {
                        try await s.create(on: tx)
                        audit.created(s)
                    } else {
                        try await s.update(on: tx)
                        audit.updated(s, before: before)
                    }
                }
                if !stale.isEmpty { throw StaleScores(codes: stale) }
            }
        } catch let e as StaleScores {
            let fresh = try await load(req, action: .appraise)
            return AssessmentPages.sheet(req.pageContext, fresh, metrics: try await metrics(req, fresh), submitted: f, errors: [:],
                                         notice: req.t("sheet.stale", e.codes.joined(separator: ", ")))
                .response(status: .conflict)
        }
        return req.redirect(to: SiteURL.assessment(assessmentID).path + "?ok=saved")
    }

    struct StaleScores: Error { let codes: [String] }

    @Sendable static func explain(req: Request) async throws -> Response {
        let ctx = try await load(req, action: .explain)
        guard ctx.canExplain else { throw AppError.badRequest(key: ctx.phaseOpen ? "sheet.locked" : "sheet.pastDeadline") }
        let f = form(req)
        var errors: [String: String] = [:]
        var answers: [(String, String)] = []
        for (code, score) in ctx.scores where score.explanationRequested {
            let text = VietnameseText.normalize(f["e_" + code] ?? "")
            if text.isEmpty { continue }
            if text.count > 4000 { errors[code] = req.t("problem.tooLong", "4000"); continue }
            if text != score.explanation { answers.append((code, text)) }
        }
        guard errors.isEmpty else {
            return AssessmentPages.sheet(req.pageContext, ctx, metrics: try await metrics(req, ctx), submitted: f, errors: errors, notice: nil)
                .response(status: .badRequest)
        }
        let assessmentID = try ctx.assessment.requireID()
        let pending = answers
        try await req.db.writing(as: ctx.user.actor, reason: "explanation") { tx, audit in
            for (code, text) in pending {
                guard let s = try await IndexScore.query(on: tx).filter(\.$assessment.$id == assessmentID).filter(\.$criterionCode == code).first() else { continue }
                let before = s.auditSnapshot
                s.explanation = text
                s.version += 1
                try await s.update(on: tx)
                audit.updated(s, before: before)
            }
        }
        return req.redirect(to: SiteURL.assessment(assessmentID).path + "?ok=saved")
    }

    struct EvidenceUpload: Content {
        var criterion: String?
        var file: File?
        var doc_number: String?
        var doc_date: String?
        var doc_issuer: String?
    }

    /// A file (type recognised from its content, stored once by SHA-256) or a reference to an official document.
    @Sendable static func addEvidence(req: Request) async throws -> Response {
        let ctx = try await load(req, action: .viewIndex)
        guard ctx.allows(.selfAssess) || ctx.allows(.explain) else { throw AppError.forbidden }
        guard ctx.canAddEvidence else { throw AppError.badRequest(key: ctx.phaseOpen ? "sheet.locked" : "sheet.pastDeadline") }
        let u = (try? req.content.decode(EvidenceUpload.self)) ?? EvidenceUpload()
        let code = VietnameseText.normalize(u.criterion ?? "")
        let assessmentID = try ctx.assessment.requireID()
        func fail(_ key: String, _ arg: String? = nil) async throws -> Response {
            AssessmentPages.sheet(req.pageContext, ctx, metrics: try await metrics(req, ctx), submitted: [:], errors: [code: req.t(key, arg ?? "")], notice: req.t(key, arg ?? ""))
                .response(status: .unprocessableEntity)
        }
        guard ctx.fw.leafIndex[code] != nil else { return try await fail("evidence.chooseCriterion") }
        let accepted: EvidenceFiles.Accepted
        switch EvidenceFiles.accept(file: u.file, docNumber: u.doc_number, docDate: u.doc_date, docIssuer: u.doc_issuer,
                                    limitBytes: req.application.config.maxUploadBytes, limitMB: req.application.config.maxUploadMB) {
        case .failure(let r): return try await fail(r.key, r.argument)
        case .success(nil): return try await fail("evidence.fileOrReference")
        case .success(let a?): accepted = a
        }
        let actor = ctx.user
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        try await req.db.writing(as: actor.actor, reason: "evidence") { tx, audit in
            var score = try await IndexScore.query(on: tx).filter(\.$assessment.$id == assessmentID).filter(\.$criterionCode == code).first()
            if score == nil {
                let s = IndexScore(assessmentID: assessmentID, criterionCode: code)
                try await s.create(on: tx)
                audit.created(s)
                score = s
            }
            try await EvidenceFiles.store(accepted.blob, on: tx)
            let e = IndexEvidence()
            e.$score.id = try score!.requireID()
            e.blobSHA256 = accepted.blob?.id
            e.fileName = accepted.fileName
            e.docNumber = accepted.docNumber
            e.docDate = accepted.docDate?.iso
            e.docIssuer = accepted.docIssuer
            e.addedBy = actor.username
            e.addedMillis = now
            try await e.create(on: tx)
            audit.created(e)
        }
        return req.redirect(to: SiteURL.assessment(assessmentID).path + "?ok=evidence#c-" + code)
    }

    @Sendable static func downloadEvidence(req: Request) async throws -> Response {
        guard let id = req.parameters.get("evidenceID", as: UUID.self),
            let e = try await IndexEvidence.query(on: req.db).filter(\.$id == id).with(\.$score).first(),
            let sha = e.blobSHA256
        else { throw AppError.notFound }
        guard let a = try await IndexAssessment.find(e.score.$assessment.id, on: req.db) else { throw AppError.notFound }
        _ = try await req.require(.viewIndex, on: a.$unit.id)
        return try await EvidenceFiles.download(sha256: sha, fileName: e.fileName, on: req.db)
    }
}
