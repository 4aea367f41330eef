import Fluent
import Vapor
import ThiDuaCore

/// PAR Index cycles: open a year, assign frameworks to groups, set deadlines, move through the phases,
/// council approval, publication, ranking exports and the appraiser-calibration view.
enum CycleController {
    @Sendable static func home(req: Request) async throws -> Response {
        let user = try req.require(.viewIndex)
        let cycles = try await IndexCycle.query(on: req.db).sort(\.$year, .descending).all()
        let scope = try await UnitQueries.scope(of: user, .viewIndex, on: req.db)
        let q = IndexAssessment.query(on: req.db).with(\.$unit).with(\.$cycle)
        if let scope { q.filter(\.$unit.$id ~~ scope) }
        let open = (user.can(.selfAssess) || user.can(.explain) || user.can(.appraise)) ? try await q.all() : []
        // A unit's own sheets while its cycle runs; an appraiser's worklist while a cycle is in an appraisal round.
        let mine = user.can(.selfAssess) || user.can(.explain) ? open.filter { $0.cycle.phase != .published } : []
        let toAppraise = user.can(.appraise) ? open.filter { [.appraisal1, .appraisal2].contains($0.cycle.phase) } : []
        return IndexPages.home(req.pageContext, cycles: cycles, mine: mine, toAppraise: toAppraise, user: user).response()
    }

    struct CycleForm: Content {
        var year: String?
        var name: String?
        var self_due: String?
        var appraisal1_due: String?
        var explanation_due: String?
        var appraisal2_due: String?
        var council_due: String?
        var publication_due: String?
    }

    @Sendable static func new(req: Request) async throws -> Response {
        _ = try req.require(.manageCycles)
        let y = CivilDate.today().year
        return IndexPages.cycleForm(req.pageContext, form: CycleForm(year: String(y), name: "Chỉ số CCHC năm \(y)"), errors: []).response()
    }

    @Sendable static func create(req: Request) async throws -> Response {
        let user = try req.require(.manageCycles)
        let f = (try? req.content.decode(CycleForm.self)) ?? CycleForm()
        var errors = FormErrors(req.t)
        let year = Int(f.year ?? "").flatMap { (2000...2100).contains($0) ? $0 : nil }
        if year == nil { errors.add("year", "problem.invalidValue", f.year ?? "") }
        let name = errors.take("name", FieldRules.name(f.name ?? ""))
        let dates: [(String, String?)] = [("self_due", f.self_due), ("appraisal1_due", f.appraisal1_due), ("explanation_due", f.explanation_due),
                                          ("appraisal2_due", f.appraisal2_due), ("council_due", f.council_due), ("publication_due", f.publication_due)]
        var parsed: [String: CivilDate] = [:]
        for (field, raw) in dates {
            if let d = errors.take(field, FieldRules.date(raw ?? "")) ?? nil { parsed[field] = d }
        }
        let deadlines = CycleDeadlines(
            selfAssessment: parsed["self_due"], appraisal1: parsed["appraisal1_due"], explanation: parsed["explanation_due"],
            appraisal2: parsed["appraisal2_due"], council: parsed["council_due"], publication: parsed["publication_due"])
        if errors.isEmpty && !deadlines.isOrdered { errors.add("self_due", "cycle.deadlineOrder") }
        guard errors.isEmpty, let year, let name else {
            return IndexPages.cycleForm(req.pageContext, form: f, errors: errors.list).response(status: .badRequest)
        }
        let cycle = IndexCycle(year: year, name: name, deadlines: deadlines)
        try await req.db.writing(as: user.actor) { tx, audit in
            try await cycle.create(on: tx)
            audit.created(cycle)
        }
        return req.redirect(to: SiteURL.cycle(try cycle.requireID()).path + "?ok=saved")
    }

    @Sendable static func show(req: Request) async throws -> Response {
        let user = try req.require(.viewIndex)
        let cycle = try await find(req)
        let model = try await CycleQueries.overview(cycle, user: user, on: req.db)
        return IndexPages.cycle(req.pageContext, cycle: cycle, model: model, user: user, errors: []).response()
    }

    struct AssignForm: Content {
        var block_id: String?
        var framework_id: String?
    }

    @Sendable static func assign(req: Request) async throws -> Response {
        let user = try req.require(.manageCycles)
        let cycle = try await find(req)
        let cycleID = try cycle.requireID()
        let f = (try? req.content.decode(AssignForm.self)) ?? AssignForm()
        guard cycle.phase == .setup || cycle.phase == .selfAssessment else { throw AppError.badRequest(key: "cycle.wrongPhase") }
        guard let blockID = UUID(uuidString: f.block_id ?? ""), let block = try await EmulationBlock.find(blockID, on: req.db),
            let fwID = UUID(uuidString: f.framework_id ?? ""), try await IndexFramework.find(fwID, on: req.db) != nil
        else { throw AppError.badRequest(key: "cycle.assignInvalid") }
        try await req.db.writing(as: user.actor) { tx, audit in
            if let existing = try await IndexAssignment.query(on: tx).filter(\.$cycle.$id == cycleID).filter(\.$block.$id == blockID).first() {
                let before = existing.auditSnapshot
                existing.$framework.id = fwID
                try await existing.update(on: tx)
                audit.updated(existing, before: before)
            } else {
                let a = IndexAssignment(cycleID: cycleID, blockID: blockID, frameworkID: fwID)
                try await a.create(on: tx)
                audit.created(a)
            }
            if cycle.phase == .selfAssessment { try await openAssessments(cycle, on: tx, audit: audit) }
        }
        _ = block
        return req.redirect(to: SiteURL.cycle(cycleID).path + "?ok=saved")
    }

    /// One assessment per current unit of every assigned group (existing ones are kept).
    static func openAssessments(_ cycle: IndexCycle, on tx: any Database, audit: AuditRecorder) async throws {
        let cycleID = try cycle.requireID()
        let today = CivilDate.today()
        for a in try await IndexAssignment.query(on: tx).filter(\.$cycle.$id == cycleID).with(\.$block).all() {
            let members = try await BlockMember.query(on: tx).filter(\.$block.$id == a.$block.id).with(\.$unit).all()
            for m in members where m.unit.isValid(on: today) {
                let unitID = try m.unit.requireID()
                guard try await IndexAssessment.query(on: tx).filter(\.$cycle.$id == cycleID).filter(\.$unit.$id == unitID).count() == 0 else { continue }
                let assessment = IndexAssessment(cycleID: cycleID, unitID: unitID, frameworkID: a.$framework.id, groupName: a.block.name)
                try await assessment.create(on: tx)
                audit.created(assessment)
            }
        }
    }

    struct PhaseForm: Content {
        var target: String?
        var reason: String?
    }

    /// Moves the cycle to the next phase, or back to an earlier one with a reason. Publication has its own action.
    @Sendable static func phase(req: Request) async throws -> Response {
        let user = try req.require(.manageCycles)
        let cycle = try await find(req)
        let cycleID = try cycle.requireID()
        let f = (try? req.content.decode(PhaseForm.self)) ?? PhaseForm()
        guard let target = CyclePhase(rawValue: f.target ?? ""), target != .published, target != cycle.phase else {
            throw AppError.badRequest(key: "cycle.wrongPhase")
        }
        let reason = VietnameseText.normalize(f.reason ?? "")
        let backwards = target.isBefore(cycle.phase)
        if backwards && reason.isEmpty {
            let model = try await CycleQueries.overview(cycle, user: user, on: req.db)
            return IndexPages.cycle(req.pageContext, cycle: cycle, model: model, user: user, errors: [.init(field: "reason", message: req.t("cycle.reopenReason"))])
                .response(status: .badRequest)
        }
        guard backwards || cycle.phase.next == target else { throw AppError.badRequest(key: "cycle.wrongPhase") }
        if target == .selfAssessment, try await IndexAssignment.query(on: req.db).filter(\.$cycle.$id == cycleID).count() == 0 {
            throw AppError.badRequest(key: "cycle.noAssignments")
        }
        try await req.db.writing(as: user.actor, reason: reason.isEmpty ? nil : reason) { tx, audit in
            guard let fresh = try await IndexCycle.find(cycleID, on: tx) else { throw AppError.notFound }
            let before = fresh.auditSnapshot
            fresh.phaseRaw = target.rawValue
            if backwards { fresh.approvedBy = nil; fresh.approvedMillis = nil }
            fresh.version += 1
            try await fresh.update(on: tx)
            audit.updated(fresh, before: before)
            if target == .selfAssessment { try await openAssessments(fresh, on: tx, audit: audit) }
        }
        return req.redirect(to: SiteURL.cycle(cycleID).path + "?ok=saved")
    }

    @Sendable static func approve(req: Request) async throws -> Response {
        let user = try req.require(.approveResults)
        let cycle = try await find(req)
        let cycleID = try cycle.requireID()
        guard cycle.phase == .council else { throw AppError.badRequest(key: "cycle.wrongPhase") }
        try await req.db.writing(as: user.actor, reason: "council approval") { tx, audit in
            guard let fresh = try await IndexCycle.find(cycleID, on: tx) else { throw AppError.notFound }
            let before = fresh.auditSnapshot
            fresh.approvedBy = user.username
            fresh.approvedMillis = Int64(Date().timeIntervalSince1970 * 1000)
            try await fresh.update(on: tx)
            audit.updated(fresh, before: before)
        }
        return req.redirect(to: SiteURL.cycle(cycleID).path + "?ok=approved")
    }

    struct PublishForm: Content { var errata: String? }

    /// Publishes an immutable snapshot with its SHA-256; later publications of the same cycle are corrections
    /// and need an errata entry (what, why — the who is the signed-in user).
    @Sendable static func publish(req: Request) async throws -> Response {
        let user = try req.require(.publishResults)
        let cycle = try await find(req)
        let cycleID = try cycle.requireID()
        guard cycle.phase == .council || cycle.phase == .published else { throw AppError.badRequest(key: "cycle.wrongPhase") }
        guard cycle.approvedBy != nil else { throw AppError.badRequest(key: "cycle.notApproved") }
        let last = try await IndexPublication.query(on: req.db).filter(\.$cycle.$id == cycleID).sort(\.$number, .descending).first()
        let errata = VietnameseText.normalize((try? req.content.decode(PublishForm.self))?.errata ?? "")
        if last != nil && errata.isEmpty { throw AppError.badRequest(key: "cycle.errataRequired") }
        let results = try await IndexService.results(cycle: cycle, on: req.db, metricSources: req.application.metricSources)
        let payload = PublicationPayload.make(cycle: cycle, results: results, number: (last?.number ?? 0) + 1, errata: errata.isEmpty ? nil : errata)
        let publication = IndexPublication()
        publication.$cycle.id = cycleID
        publication.number = payload.number
        publication.payload = String(decoding: payload.data, as: UTF8.self)
        publication.digest = Digest.sha256(payload.data)
        publication.publishedMillis = Int64(Date().timeIntervalSince1970 * 1000)
        publication.publishedBy = user.username
        publication.errata = errata.isEmpty ? nil : errata
        try await req.db.writing(as: user.actor, reason: errata.isEmpty ? "publication" : errata) { tx, audit in
            try await publication.create(on: tx)
            audit.created(publication)
            guard let fresh = try await IndexCycle.find(cycleID, on: tx) else { throw AppError.notFound }
            let before = fresh.auditSnapshot
            fresh.phaseRaw = CyclePhase.published.rawValue
            try await fresh.update(on: tx)
            audit.updated(fresh, before: before)
        }
        return req.redirect(to: SiteURL.publicCycle(cycleID).path)
    }

    @Sendable static func ranking(req: Request) async throws -> Response {
        let user = try req.require(.viewIndex)
        let cycle = try await find(req)
        let results = try await IndexService.results(cycle: cycle, on: req.db, metricSources: req.application.metricSources)
        let scope = try await UnitQueries.scope(of: user, .viewIndex, on: req.db)
        var headers = HTTPHeaders()
        let name = "chi-so-cchc-\(cycle.year)"
        switch req.parameters.get("format") {
        case "csv":
            var data = Data()
            for r in results {
                let rows = r.ranked.filter { row in scope == nil || r.sheets.contains { $0.unitCode == row.code && scope!.contains($0.unitID) } }
                data.append(CycleComputation.csv(r.framework, rows).dropFirst(data.isEmpty ? 0 : 3))
            }
            headers.replaceOrAdd(name: .contentType, value: "text/csv; charset=utf-8")
            headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(name).csv\"")
            return Response(status: .ok, headers: headers, body: .init(data: data))
        case "xlsx":
            let sheets = try results.map { r -> XLSXSheet in
                let table = try CSVCodec.parse(String(decoding: CycleComputation.csv(r.framework, r.ranked.filter { row in
                    scope == nil || r.sheets.contains { $0.unitCode == row.code && scope!.contains($0.unitID) }
                }).dropFirst(3), as: UTF8.self))
                let numeric: Set<Int> = [3, 4, 5, 6, 7, 8, 9, 11]
                return XLSXSheet(
                    name: r.framework.spec.code, header: table.first ?? [],
                    rows: table.dropFirst().map { row in row.enumerated().map { i, v in numeric.contains(i) || i >= 12 ? .number(v) : .text(v) } })
            }
            headers.replaceOrAdd(name: .contentType, value: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(name).xlsx\"")
            return Response(status: .ok, headers: headers, body: .init(data: try XLSXWriter.write(sheets.isEmpty ? [XLSXSheet(name: "Trong", header: [], rows: [])] : sheets)))
        default:
            throw AppError.notFound
        }
    }

    @Sendable static func calibration(req: Request) async throws -> Response {
        _ = try req.require(.manageCycles)
        let cycle = try await find(req)
        let model = try await CycleQueries.calibration(cycle, on: req.db)
        return IndexPages.calibration(req.pageContext, cycle: cycle, model: model).response()
    }

    static func find(_ req: Request) async throws -> IndexCycle {
        guard let id = req.parameters.get("cycleID", as: UUID.self), let c = try await IndexCycle.find(id, on: req.db) else {
            throw AppError.notFound
        }
        return c
    }
}

struct MetricSourcesKey: StorageKey { typealias Value = [any MetricSource] }

extension Application {
    /// Registered by the modules that compute metrics (tasks, surveys, dossiers).
    var metricSources: [any MetricSource] {
        get { storage[MetricSourcesKey.self] ?? [] }
        set { storage[MetricSourcesKey.self] = newValue }
    }
}
