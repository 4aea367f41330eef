import Fluent
import Vapor
import ThiDuaCore

/// Follow-up of plan tasks: the user's notification list (their rung of the escalation ladder), the overdue
/// list of everything in scope, progress reports (month / quarter / year) and the province's follow-up rules.
enum FollowUpController {
    @Sendable static func notifications(req: Request) async throws -> Response {
        let user = try req.require(.viewPlans)
        let page = try await PlanService.notifications(for: user, today: req.today, on: req.db)
        let rules = try await ProvinceSetting.followUpRules(on: req.db)
        return PlanPages.notifications(req.pageContext, page: page, rules: rules, today: req.today).response()
    }

    @Sendable static func overdue(req: Request) async throws -> Response {
        let user = try req.require(.viewPlans)
        let pageNo = max(1, (try? req.query.get(Int.self, at: "page")) ?? 1)
        let scope = try await UnitQueries.scope(of: user, .viewPlans, on: req.db)
        let rules = try await ProvinceSetting.followUpRules(on: req.db)
        let page = try await PlanService.followUp(scope: scope, minimum: .officer, today: req.today, rules: rules, page: pageNo, on: req.db)
        return PlanPages.overdue(req.pageContext, page: page, pageNo: pageNo, today: req.today).response()
    }

    // MARK: Reports

    struct ReportQuery: Content {
        var unit: String?
        var year: Int?
        var period: String?
    }

    static func buildReport(_ req: Request) async throws -> PlanService.Report {
        let user = try req.require(.viewPlans)
        let q = (try? req.query.decode(ReportQuery.self)) ?? ReportQuery()
        let year = q.year.flatMap { (2000...2100).contains($0) ? $0 : nil } ?? req.today.year
        guard let period = PlanService.Period(q.period ?? "") else { throw AppError.badRequest(key: "report.badPeriod") }
        let userScope = try await UnitQueries.scope(of: user, .viewPlans, on: req.db)
        var scope = userScope
        var name = req.t("report.province")
        if let raw = q.unit, !raw.isEmpty {
            guard let id = UUID(uuidString: raw), let unit = try await Unit.find(id, on: req.db) else { throw AppError.notFound }
            _ = try await req.require(.viewPlans, on: id)
            scope = try await UnitTree.subtreeIDs(of: [id], on: req.db)
            name = unit.name
        } else if userScope != nil {
            name = req.t("report.myUnits")
        }
        return try await PlanService.report(scope: scope, scopeName: name, year: year, period: period, today: req.today, on: req.db)
    }

    @Sendable static func report(req: Request) async throws -> Response {
        let user = try req.require(.viewPlans)
        let r = try await buildReport(req)
        let scope = try await UnitQueries.scope(of: user, .viewPlans, on: req.db)
        let q = Unit.query(on: req.db).filter(\.$kindRaw != UnitKind.office.rawValue).sort(\.$sortKey)
        if let scope { q.filter(\.$id ~~ scope) }
        let units = try await q.limit(5000).all().compactMap { u in u.id.map { ($0.uuidString, u.name) } }
        let selected = (try? req.query.get(String.self, at: "unit")) ?? ""
        return PlanPages.report(req.pageContext, r, units: units, selectedUnit: selected,
                                defaultScope: req.t(scope == nil ? "report.province" : "report.myUnits")).response()
    }

    @Sendable static func reportExport(req: Request) async throws -> Response {
        let r = try await buildReport(req)
        let t = req.t
        let areaHeader = [t("column.area")] + TaskStatus.allCases.map { t($0.labelKey) } + [t("report.total")]
        var areaRows: [[String]] = []
        for a in ContentArea.allCases {
            let row = r.matrix[a] ?? [:]
            areaRows.append([t(a.labelKey)] + TaskStatus.allCases.map { String(row[$0] ?? 0) } + [String(row.values.reduce(0, +))])
        }
        let overdueHeader = [t("column.code"), t("column.task"), t("column.leadUnit"), t("column.officer"), t("column.due"), t("column.daysLate"), t("column.progress")]
        let overdueRows = r.overdue.map { o in
            [o.code, o.title, o.leadName, o.officer ?? "", o.due.iso, String(o.daysLate), o.progress?.plain(places: 2) ?? ""]
        }
        let summary: [[String]] = [
            [t("report.scope"), r.scopeName], [t("report.period"), r.from.iso + " – " + r.to.iso], [t("report.asOf"), r.asOf.iso],
            [t("report.total"), String(r.total)], [t("report.dueInPeriod"), String(r.dueInPeriod)], [t("report.doneInPeriod"), String(r.doneInPeriod)],
            [t("report.onTimeRate"), r.onTime.map { $0.rate.plain(places: 2) } ?? ""],
        ]
        var headers = HTTPHeaders()
        let name = "bao-cao-tien-do-\(r.year)-\(r.period.raw)"
        switch req.parameters.get("format") {
        case "csv":
            var rows: [[String]] = summary + [[]] + [areaHeader] + areaRows + [[]] + [overdueHeader] + overdueRows
            rows = rows.map { $0.isEmpty ? [""] : $0 }
            headers.replaceOrAdd(name: .contentType, value: "text/csv; charset=utf-8")
            headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(name).csv\"")
            return Response(status: .ok, headers: headers, body: .init(data: CSVCodec.write(rows)))
        case "xlsx":
            func cells(_ row: [String], numericFrom: Int) -> [XLSXCell] {
                row.enumerated().map { i, v in i >= numericFrom ? .number(v) : .text(v) }
            }
            let sheets = [
                XLSXSheet(name: t("report.sheetSummary"), header: [t("report.item"), t("report.value")], rows: summary.map { [.text($0[0]), .text($0[1])] }),
                XLSXSheet(name: t("report.sheetAreas"), header: areaHeader, rows: areaRows.map { cells($0, numericFrom: 1) }),
                XLSXSheet(name: t("report.sheetOverdue"), header: overdueHeader, rows: overdueRows.map { row in
                    row.enumerated().map { i, v in i >= 5 ? .number(v) : .text(v) }
                }),
            ]
            headers.replaceOrAdd(name: .contentType, value: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(name).xlsx\"")
            return Response(status: .ok, headers: headers, body: .init(data: try XLSXWriter.write(sheets)))
        default:
            throw AppError.notFound
        }
    }

    // MARK: Follow-up rules

    static func requireProvinceManager(_ req: Request) async throws -> CurrentUser {
        let user = try req.require(.managePlans)
        guard let root = try await UnitTree.rootID(on: req.db), AccessPolicy.allowsProvinceWide(user.grants, .managePlans, rootID: root) else {
            throw AppError.forbidden
        }
        return user
    }

    struct RulesForm: Content {
        var due_soon_days: String?
        var head_after_days: String?
        var office_after_days: String?
        var weekend: String?
        var holidays: String?
    }

    static func form(_ r: FollowUpRules) -> RulesForm {
        RulesForm(due_soon_days: String(r.dueSoonDays), head_after_days: String(r.headAfterDays), office_after_days: String(r.reformOfficeAfterDays),
                  weekend: r.weekendMovesToNextWorkingDay ? "1" : nil, holidays: r.holidays.map(\.vietnamese).joined(separator: "\n"))
    }

    @Sendable static func settings(req: Request) async throws -> Response {
        let user = try req.require(.viewPlans)
        let rules = try await ProvinceSetting.followUpRules(on: req.db)
        let canEdit = user.can(.managePlans) ? ((try? await requireProvinceManager(req)) != nil) : false
        return PlanPages.settings(req.pageContext, form: form(rules), canEdit: canEdit, errors: []).response()
    }

    @Sendable static func saveSettings(req: Request) async throws -> Response {
        let user = try await requireProvinceManager(req)
        let f = (try? req.content.decode(RulesForm.self)) ?? RulesForm()
        var errors = FormErrors(req.t)
        func int(_ field: String, _ raw: String?) -> Int? {
            guard let v = Int((raw ?? "").trimmingCharacters(in: .whitespaces)) else {
                errors.add(field, "problem.invalidValue", raw ?? "")
                return nil
            }
            return v
        }
        let soon = int("due_soon_days", f.due_soon_days)
        let head = int("head_after_days", f.head_after_days)
        let office = int("office_after_days", f.office_after_days)
        var holidays: [CivilDate] = []
        for part in (f.holidays ?? "").split(whereSeparator: { $0.isNewline || $0 == ";" }).prefix(400) {
            let s = part.trimmingCharacters(in: .whitespaces)
            guard !s.isEmpty else { continue }
            if let d = CivilDate(parsing: s) { holidays.append(d) } else { errors.add("holidays", "problem.invalidDate", String(s.prefix(40))) }
        }
        var rules: FollowUpRules?
        if let soon, let head, let office {
            let r = FollowUpRules(dueSoonDays: soon, headAfterDays: head, reformOfficeAfterDays: office,
                                  weekendMovesToNextWorkingDay: f.weekend == "1", holidays: Array(Set(holidays)).sorted())
            for p in r.validate() {
                switch p {
                case .outOfRange(let field): errors.add(field, "rules.outOfRange")
                case .ladderOrder: errors.add("office_after_days", "rules.ladderOrder")
                }
            }
            rules = r
        }
        guard errors.isEmpty, let rules else {
            return PlanPages.settings(req.pageContext, form: f, canEdit: true, errors: errors.list).response(status: .badRequest)
        }
        try await req.db.writing(as: user.actor, reason: "follow-up rules") { tx, audit in
            try await ProvinceSetting.save(ProvinceSetting.followUpKey, json: AuditRecorder.json(rules), on: tx, audit: audit)
            _ = try await PlanService.recomputeEffectiveDue(rules, on: tx)
        }
        return req.redirect(to: SiteURL.followUpRules.path + "?ok=saved")
    }
}

/// Tasks from CSV/XLSX into a plan: upload → preview with row-level problems → commit in one transaction.
enum TaskImportController {
    struct Payload: Codable, Sendable {
        let planID: UUID
        let rows: [[String]]
    }

    struct Upload: Content {
        var file: File?
    }

    @Sendable static func form(req: Request) async throws -> Response {
        let plan = try await PlanController.loadPlan(req)
        _ = try await PlanController.requireManage(req, plan)
        return PlanPages.importForm(req.pageContext, plan: plan, error: nil).response()
    }

    @Sendable static func preview(req: Request) async throws -> Response {
        let plan = try await PlanController.loadPlan(req)
        let user = try await PlanController.requireManage(req, plan)
        guard plan.status != .closed else { throw AppError.badRequest(key: "plan.closed") }
        let t = req.t
        guard let file = (try? req.content.decode(Upload.self))?.file, file.data.readableBytes > 0 else {
            return PlanPages.importForm(req.pageContext, plan: plan, error: t("import.noFile")).response(status: .badRequest)
        }
        guard file.data.readableBytes <= req.application.config.maxUploadBytes else {
            return PlanPages.importForm(req.pageContext, plan: plan, error: t("import.tooLarge", String(req.application.config.maxUploadMB)))
                .response(status: .payloadTooLarge)
        }
        let rows: [[String]]
        let encoding: String
        do {
            (rows, encoding) = try SpreadsheetInput.rows(from: Array(file.data.readableBytesView), maxRows: 20_001)
        } catch {
            return PlanPages.importForm(req.pageContext, plan: plan, error: t.lang == .vi ? error.messageVI : error.messageEN).response(status: .unprocessableEntity)
        }
        let payload = String(decoding: try JSONEncoder().encode(Payload(planID: try plan.requireID(), rows: rows)), as: UTF8.self)
        let batch = ImportBatch(userID: user.id, kind: "tasks", fileName: String(VietnameseText.normalize(file.filename).prefix(200)), encoding: encoding, payload: payload)
        try await req.db.inWriteTurn { try await batch.create(on: req.db) }
        return req.redirect(to: SiteURL.planImportBatch(try plan.requireID(), try batch.requireID()).path)
    }

    static func load(_ req: Request) async throws -> (Plan, ImportBatch, CurrentUser, [[String]]) {
        let plan = try await PlanController.loadPlan(req)
        let user = try await PlanController.requireManage(req, plan)
        guard let id = req.parameters.get("batchID", as: UUID.self), let batch = try await ImportBatch.find(id, on: req.db),
            batch.$user.id == user.id, batch.kind == "tasks",
            let payload = try? JSONDecoder().decode(Payload.self, from: Data(batch.payload.utf8)), payload.planID == plan.id
        else { throw AppError.notFound }
        return (plan, batch, user, payload.rows)
    }

    static func plan(_ rows: [[String]], plan: Plan, on db: any Database) async throws -> ImportPlan<TaskDraft> {
        let units = try await Unit.query(on: db).field(\.$id).field(\.$code).field(\.$name).all()
        let existing = Set(try await PlanTask.query(on: db).filter(\.$plan.$id == plan.requireID()).all(\.$code))
        var p = TaskImport.plan(rows: rows, units: UnitResolver(units: units.map { ($0.code, $0.name) }), existingCodes: existing)
        // Due dates must fall inside the plan's years.
        var outside: Set<Int> = []
        for d in p.drafts where d.due.year < plan.yearFrom || d.due.year > plan.yearTo {
            p.issues.append(RowIssue(row: d.row, column: "due_on", problem: .invalidValue(d.due.vietnamese)))
            outside.insert(d.row)
        }
        p.drafts.removeAll { outside.contains($0.row) }
        return p
    }

    @Sendable static func show(req: Request) async throws -> Response {
        let (p, batch, _, rows) = try await load(req)
        return PlanPages.importPreview(req.pageContext, plan: p, batch: batch, preview: try await plan(rows, plan: p, on: req.db)).response()
    }

    @Sendable static func commit(req: Request) async throws -> Response {
        let (p, batch, user, rows) = try await load(req)
        let planID = try p.requireID()
        guard !batch.committed else { return req.redirect(to: SiteURL.plan(planID).path) }
        guard p.status != .closed else { throw AppError.badRequest(key: "plan.closed") }
        let preview = try await plan(rows, plan: p, on: req.db)
        guard preview.isCommittable else {
            return PlanPages.importPreview(req.pageContext, plan: p, batch: batch, preview: preview).response(status: .unprocessableEntity)
        }
        let rules = try await ProvinceSetting.followUpRules(on: req.db)
        let batchID = try batch.requireID()
        try await req.db.writing(as: user.actor, reason: "import: " + batch.fileName) { tx, audit in
            var parents: Set<UUID> = []
            for d in preview.drafts {
                let task = PlanTask()
                task.version = 1
                try await PlanController.write(d, into: task, planID: planID, rules: rules, on: tx)
                try await task.create(on: tx)
                audit.created(task)
                if let pid = task.$parent.id { parents.insert(pid) }
            }
            for pid in parents { try await PlanController.refreshAncestors(of: pid, on: tx, audit: audit) }
            guard let b = try await ImportBatch.find(batchID, on: tx) else { throw AppError.notFound }
            b.committed = true
            try await b.update(on: tx)
        }
        return req.redirect(to: SiteURL.plan(planID).path + "?ok=imported")
    }
}
