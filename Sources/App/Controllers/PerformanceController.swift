import Crypto
import Fluent
import Foundation
import SQLKit
import Vapor
import ThiDuaCore

enum PerformanceURL {
    static let home = "/performance"
    static let procedures = "/performance/procedures"
    static let calendar = "/performance/calendar"
    static let tokens = "/performance/tokens"
    static let rejects = "/performance/rejects"
    static let reprocess = "/performance/rejects/reprocess"
    static func unit(_ id: UUID, _ p: ReportPeriod) -> String { "/performance/units/\(id)?\(p.query)" }
    static func late(_ unit: UUID, _ procedure: UUID, _ p: ReportPeriod) -> String { "/performance/units/\(unit)/procedures/\(procedure)?\(p.query)" }
    static func revoke(_ id: UUID) -> String { "/performance/tokens/\(id)/revoke" }
    static let apiDossiers = "/api/v1/dossiers"
    static let apiIndicators = "/api/v1/indicators"
    static let openAPI = "/api/v1/openapi.json"
}

/// Procedure performance pages: the province's indicators by unit, a unit's by procedure, the late dossiers behind
/// them; the catalogue, the working calendar, API tokens and dossiers kept aside (reform office).
enum PerformanceController {
    static func scope(_ req: Request, _ user: CurrentUser) async throws -> Set<UUID>? {
        try await SurveyAdminController.scope(req, user, .viewPerformance)
    }

    static func period(_ req: Request) async throws -> ReportPeriod {
        let asked = try? req.query.get(Int.self, at: "year")
        let year: Int
        if let asked { year = asked } else { year = try await PerformanceService.latestYear(on: req.db) }
        return ReportPeriod(year: year, code: (try? req.query.get(String.self, at: "period")) ?? "y")
    }

    @Sendable static func index(req: Request) async throws -> Response {
        let user = try req.require(.viewPerformance)
        let p = try await period(req)
        let lines = try await PerformanceService.byUnit(p, scope: try await scope(req, user), on: req.db)
        let canManage = (try? await SurveyAdminController.requireProvince(req, .managePerformance)) != nil
        return PerformancePages.province(req.pageContext, period: p, lines: lines, scoring: try await settings(on: req.db).scoring, canManage: canManage).response()
    }

    /// The province table (by unit, with the province's total) as CSV or XLSX.
    @Sendable static func export(req: Request) async throws -> Response {
        let user = try req.require(.viewPerformance)
        guard let format = req.parameters.get("format"), format == "csv" || format == "xlsx" else { throw AppError.notFound }
        let t = req.t
        let p = try await period(req)
        let lines = try await PerformanceService.byUnit(p, scope: try await scope(req, user), on: req.db)
        let scoring = try await settings(on: req.db).scoring
        let header = [
            t("column.code"), t("column.unit"), t("perf.period"), t("perf.received"), t("perf.resolved"), t("perf.early"), t("perf.onTime"),
            t("perf.late"), t("perf.onTimeRate"), t("perf.overdueRate"), t("perf.onlineRate"), t("perf.paymentRate"), t("perf.digitisationRate"),
            t("perf.satisfactionRate"), t("perf.averageDays"), t("perf.timeCut"),
        ] + scoring.groups.map { t($0.group.labelKey) + " (" + $0.points.plain(places: 2) + ")" } + [t("perf.group.total"), t("perf.group.covered")]
        func row(_ code: String, _ name: String, _ tally: DossierTally) -> [String] {
            let i = DossierIndicators(tally)
            let scores = scoring.score(i)
            return [code, name, p.label(t)] + [tally.received, tally.resolved, tally.early, tally.onTime, tally.late].map(String.init)
                + ([i.onTimeRate, i.overdueRate, i.onlineRate, i.onlinePaymentRate, i.digitisationRate, i.satisfactionRate, i.averageDays, i.timeCut]
                    + scores.groups.map(\.score) + (scores.covered == .zero ? [nil, nil] : [scores.total, scores.covered]))
                .map { $0?.plain(places: 2) ?? "" }
        }
        let rows = lines.map { row($0.code, $0.name, $0.tally) } + [row("", t("perf.total"), PerformanceService.total(lines))]
        return try TableDownload.response(
            name: "ket-qua-giai-quyet-tthc-\(p.year)-\(p.code)", sheet: t("perf.byUnit"), header: header, rows: rows, format: format, numbersFrom: 3)
    }

    static func unitInScope(_ req: Request, _ user: CurrentUser) async throws -> Unit {
        guard let id = req.parameters.get("unitID", as: UUID.self), let unit = try await Unit.find(id, on: req.db) else { throw AppError.notFound }
        if let scope = try await scope(req, user), !scope.contains(id) { throw AppError.forbidden }
        return unit
    }

    @Sendable static func unit(req: Request) async throws -> Response {
        let user = try req.require(.viewPerformance)
        let unit = try await unitInScope(req, user)
        let p = try await period(req)
        let lines = try await PerformanceService.byProcedure(p, unit: try unit.requireID(), on: req.db)
        let settings = try await settings(on: req.db)
        if let format = download(req) {
            let t = req.t
            let header = [
                t("perf.procedure"), t("column.name"), t("perf.period"), t("perf.received"), t("perf.resolved"), t("perf.onTimeRate"), t("perf.late"),
                t("perf.averageDays"), t("perf.p90Days"), t("perf.statutoryDays"), t("perf.timeCut"), t("perf.targetMet"), t("perf.onlineRate"),
                t("perf.digitisationRate"),
            ]
            let rows = lines.map { l -> [String] in
                let i = l.indicators
                let met = i.meetsTimeCut(target: settings.timeCutTarget).map { t($0 ? "perf.met" : "perf.notMet") } ?? ""
                return [l.code, l.name, p.label(t), String(l.tally.received), String(l.tally.resolved), i.onTimeRate?.plain(places: 2) ?? "", String(l.tally.late),
                        i.averageDays?.plain(places: 2) ?? "", i.p90Days?.plain(places: 2) ?? "", i.averageStatutoryDays?.plain(places: 2) ?? "",
                        i.timeCut?.plain(places: 2) ?? "", met, i.onlineRate?.plain(places: 2) ?? "", i.digitisationRate?.plain(places: 2) ?? ""]
            }
            return try TableDownload.response(
                name: "tthc-\(unit.code.lowercased())-\(p.year)-\(p.code)", sheet: t("perf.byProcedure"), header: header, rows: rows, format: format, numbersFrom: 3)
        }
        return PerformancePages.unit(req.pageContext, unit: unit, period: p, lines: lines, target: settings.timeCutTarget, scoring: settings.scoring).response()
    }

    /// `?download=csv|xlsx` on a table page asks for the table as a file (anything else: the page).
    static func download(_ req: Request) -> String? {
        let f = try? req.query.get(String.self, at: "download")
        return f == "csv" || f == "xlsx" ? f : nil
    }

    @Sendable static func lateDossiers(req: Request) async throws -> Response {
        let user = try req.require(.viewPerformance)
        let unit = try await unitInScope(req, user)
        guard let pid = req.parameters.get("procedureID", as: UUID.self), let procedure = try await ProcedureModel.find(pid, on: req.db) else {
            throw AppError.notFound
        }
        let p = try await period(req)
        if let format = download(req) {
            let t = req.t
            let all = try await PerformanceService.late(p, unit: try unit.requireID(), procedure: pid, limit: 200_000, on: req.db)
            let header = [
                t("perf.dossierCode"), t("perf.procedure"), t("column.unit"), t("perf.channel"), t("perf.receivedAt"), t("perf.dueAt"), t("perf.resolvedAt"),
                t("perf.processingDays"),
            ]
            let rows = all.map { d in
                [d.code, procedure.code, unit.code, t("perf.channel." + d.channel), InstantText.local(d.received_s), InstantText.local(d.due_s),
                 d.resolved_s.map(InstantText.local) ?? "", d.processing_half_days.map { TimeLimit(halfDays: $0).workingDays.plain(places: 1) } ?? ""]
            }
            return try TableDownload.response(
                name: "ho-so-tre-han-\(unit.code.lowercased())-\(p.year)-\(p.code)", sheet: t("perf.lateTitle"), header: header, rows: rows, format: format,
                numbersFrom: 7)
        }
        let late = try await PerformanceService.late(p, unit: try unit.requireID(), procedure: pid, on: req.db)
        return PerformancePages.late(req.pageContext, unit: unit, procedure: procedure, period: p, dossiers: late).response()
    }

    // MARK: Catalogue

    @Sendable static func procedures(req: Request) async throws -> Response {
        _ = try req.require(.viewPerformance)
        let list = try await ProcedureModel.query(on: req.db).sort(\.$code).all()
        let canManage = (try? await SurveyAdminController.requireProvince(req, .managePerformance)) != nil
        return PerformancePages.procedures(req.pageContext, list, canManage: canManage).response()
    }

    // MARK: Settings: calendar and the time-cut target

    static let settingsKey = "performance_settings"

    struct Settings: Codable, Equatable {
        var timeCutTarget: Points = Points(25)
        /// nil: Decision 766's defaults (settings saved before the group scores existed have none).
        var groupScoring: GroupScoring?

        var scoring: GroupScoring { groupScoring ?? .decision766 }
    }

    static func settings(on db: any Database) async throws -> Settings {
        guard let s = try await ProvinceSetting.find(settingsKey, on: db), let v = try? JSONDecoder().decode(Settings.self, from: Data(s.json.utf8)) else {
            return Settings()
        }
        return v
    }

    static func timeCutTarget(on db: any Database) async throws -> Points { try await settings(on: db).timeCutTarget }

    @Sendable static func calendarForm(req: Request) async throws -> Response {
        _ = try await SurveyAdminController.requireProvince(req, .managePerformance)
        let c = try await DossierService.calendar(on: req.db)
        let settings = try await settings(on: req.db)
        return PerformancePages.calendar(
            req.pageContext, weekend: c.weekend, holidays: c.holidays.sorted().map(\.iso).joined(separator: "\n"),
            workdays: c.workdays.sorted().map(\.iso).joined(separator: "\n"), target: settings.timeCutTarget.plain(places: 2),
            scoring: ScoringFields(settings.scoring), errors: []
        ).response()
    }

    struct CalendarForm: Content {
        var weekend: [String]?
        var holidays: String?
        var workdays: String?
        var target: String?
    }

    @Sendable static func saveCalendar(req: Request) async throws -> Response {
        let user = try await SurveyAdminController.requireProvince(req, .managePerformance)
        let t = req.t
        let f = (try? req.content.decode(CalendarForm.self)) ?? CalendarForm()
        var errors: [Components.FieldError] = []
        func dates(_ raw: String?, field: String) -> Set<CivilDate> {
            var out: Set<CivilDate> = []
            for line in (raw ?? "").split(whereSeparator: { $0.isNewline || $0 == "," || $0 == ";" }).prefix(2_000) {
                let s = line.trimmingCharacters(in: .whitespacesAndNewlines)
                if s.isEmpty { continue }
                if let d = CivilDate(parsing: s) { out.insert(d) } else if !errors.contains(where: { $0.field == field }) {
                    errors.append(.init(field: field, message: t("perf.calendar.badDate", String(s.prefix(40)))))
                }
            }
            return out
        }
        let weekend = Set((f.weekend ?? []).compactMap(Int.init).filter { (1...7).contains($0) })
        let calendar = WorkingCalendar(weekend: weekend, holidays: dates(f.holidays, field: "holidays"), workdays: dates(f.workdays, field: "workdays"))
        for p in calendar.problems { errors.append(.init(field: p == "both" ? "workdays" : "weekend", message: t("perf.calendar.problem." + p))) }
        let target = Points(typed: f.target ?? "")
        if target == nil || target! < .zero || target! > Points(100) { errors.append(.init(field: "target", message: t("perf.settings.badTarget"))) }
        // A form without the group fields (an older page, a script) leaves the group scoring as it is.
        let fields = ScoringFields(req)
        let scoring = fields.isEmpty ? try await settings(on: req.db).scoring : fields.scoring(t, &errors)
        guard errors.isEmpty, let target, let scoring else {
            return PerformancePages.calendar(
                req.pageContext, weekend: weekend, holidays: f.holidays ?? "", workdays: f.workdays ?? "", target: f.target ?? "", scoring: fields,
                errors: errors
            ).response(status: .unprocessableEntity)
        }
        let calendarJSON = String(decoding: try JSONEncoder.sorted.encode(calendar), as: UTF8.self)
        let settingsJSON = String(decoding: try JSONEncoder.sorted.encode(Settings(timeCutTarget: target, groupScoring: scoring)), as: UTF8.self)
        try await req.db.writing(as: user.actor) { tx, audit in
            try await ProvinceSetting.save(DossierService.calendarKey, json: calendarJSON, on: tx, audit: audit)
            try await ProvinceSetting.save(settingsKey, json: settingsJSON, on: tx, audit: audit)
        }
        return req.redirect(to: PerformanceURL.calendar + "?ok=saved")
    }

    // MARK: API tokens

    @Sendable static func tokens(req: Request) async throws -> Response {
        _ = try await SurveyAdminController.requireProvince(req, .managePerformance)
        let list = try await APIToken.query(on: req.db).sort(\.$createdMs, .descending).all()
        return PerformancePages.tokens(req.pageContext, list, created: nil, errors: []).response()
    }

    struct TokenForm: Content {
        var name: String?
        var scopes: [String]?
    }

    @Sendable static func createToken(req: Request) async throws -> Response {
        let user = try await SurveyAdminController.requireProvince(req, .managePerformance)
        let t = req.t
        let f = (try? req.content.decode(TokenForm.self)) ?? TokenForm()
        var errors: [Components.FieldError] = []
        let name = try? FieldRules.name(f.name ?? "").get()
        if name == nil { errors.append(.init(field: "name", message: t("perf.token.badName"))) }
        let scopes = (f.scopes ?? []).filter { APIToken.allScopes.contains($0) }
        if scopes.isEmpty { errors.append(.init(field: "scopes", message: t("perf.token.noScope"))) }
        guard errors.isEmpty, let name else {
            let list = try await APIToken.query(on: req.db).sort(\.$createdMs, .descending).all()
            return PerformancePages.tokens(req.pageContext, list, created: nil, errors: errors).response(status: .unprocessableEntity)
        }
        let secret = try await APIToken.issue(name: name, scopes: scopes, actor: user.actor, on: req.db)
        let list = try await APIToken.query(on: req.db).sort(\.$createdMs, .descending).all()
        return PerformancePages.tokens(req.pageContext, list, created: (name, secret), errors: []).response(status: .created)
    }

    @Sendable static func revokeToken(req: Request) async throws -> Response {
        let user = try await SurveyAdminController.requireProvince(req, .managePerformance)
        guard let id = req.parameters.get("tokenID", as: UUID.self), let token = try await APIToken.find(id, on: req.db) else { throw AppError.notFound }
        if token.revokedMs == nil {
            try await req.db.writing(as: user.actor) { tx, audit in
                token.revokedMs = Int64(Date().timeIntervalSince1970 * 1000)
                try await token.update(on: tx)
                audit.record(.update, type: "api_token", id: id.uuidString, before: ["revoked": "no"], after: ["revoked": "yes"])
            }
        }
        return req.redirect(to: PerformanceURL.tokens + "?ok=saved")
    }

    // MARK: Kept aside

    struct RejectRow: Decodable, Sendable {
        let id: UUID, code: String, procedure_code: String, unit_code: String, reason: String, source: String, created_ms: Int64
    }

    @Sendable static func rejects(req: Request) async throws -> Response {
        _ = try await SurveyAdminController.requireProvince(req, .managePerformance)
        guard let sql = req.db as? any SQLDatabase else { throw AppError.internalInconsistency("SQL") }
        let rows = try await sql.raw("""
            SELECT id, code, procedure_code, unit_code, reason, source, created_ms FROM dossier_rejects WHERE reprocessed_ms IS NULL \
            ORDER BY created_ms DESC LIMIT 500
            """).all(decoding: RejectRow.self)
        return PerformancePages.rejects(req.pageContext, rows).response()
    }

    /// Tries every dossier kept aside again: those whose procedure and unit are now known are stored (and marked
    /// reprocessed); the others stay.
    @Sendable static func reprocess(req: Request) async throws -> Response {
        let user = try await SurveyAdminController.requireProvince(req, .managePerformance)
        guard let sql = req.db as? any SQLDatabase else { throw AppError.internalInconsistency("SQL") }
        struct R: Decodable { let id: UUID, payload: String }
        let rows = try await sql.raw("SELECT id, payload FROM dossier_rejects WHERE reprocessed_ms IS NULL ORDER BY created_ms LIMIT 5000")
            .all(decoding: R.self)
        let inputs = rows.compactMap { r in (try? JSONDecoder().decode(DossierInput.self, from: Data(r.payload.utf8))).map { (r.id, $0) } }
        // Only those now resolvable: the rest would be kept aside a second time.
        struct C: Decodable { let code: String }
        let procCodes = Set(try await sql.raw("SELECT code FROM procedures").all(decoding: C.self).map(\.code))
        let unitCodes = Set(try await sql.raw("SELECT code FROM units").all(decoding: C.self).map(\.code))
        let ready = inputs.filter { procCodes.contains($0.1.procedureCode) && unitCodes.contains($0.1.unitCode) }
        if !ready.isEmpty {
            // The latest of each code wins, as if they had been sent in order.
            var latest: [String: DossierInput] = [:]
            for (_, d) in ready { latest[d.code] = d }
            _ = try await DossierService.ingest(Array(latest.values), source: "reprocess", actor: user.actor, on: req.db)
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            for chunk in ready.map(\.0).chunked(500) {
                try await sql.raw("UPDATE dossier_rejects SET reprocessed_ms = \(bind: now) WHERE id IN (\(binds: chunk))").run()
            }
        }
        return req.redirect(to: PerformanceURL.rejects + "?ok=reprocessed&n=\(ready.count)")
    }
}

extension JSONEncoder {
    static var sorted: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return e
    }

    /// Sorted and indented, without escaped slashes: for settings people read and edit.
    static var pretty: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return e
    }
}

/// The group-score settings as the form shows them: each group's points, and for each measured rate the group it
/// counts in (or none) with its share of that group's points. Kept as typed text so a refused form comes back as typed.
struct ScoringFields: Sendable {
    var points: [ScoreGroup: String] = [:]
    var group: [DossierMetric: String] = [:]
    var share: [DossierMetric: String] = [:]

    init(_ s: GroupScoring) {
        for g in s.groups {
            points[g.group] = g.points.plain(places: 2)
            for m in g.shares {
                group[m.metric] = g.group.rawValue
                share[m.metric] = m.share.plain(places: 2)
            }
        }
    }

    var isEmpty: Bool { (Array(points.values) + Array(group.values) + Array(share.values)).allSatisfy(\.isEmpty) }

    init(_ req: Request) {
        func field(_ name: String) -> String { String(((try? req.content.get(String.self, at: name)) ?? "").prefix(20)) }
        for g in ScoreGroup.allCases { points[g] = field("points_" + g.rawValue) }
        for m in DossierMetric.allCases {
            group[m] = field("group_" + m.rawValue)
            share[m] = field("share_" + m.rawValue)
        }
    }

    /// The setting, or nil with the problems added to `errors` (by field).
    func scoring(_ t: Localizer, _ errors: inout [Components.FieldError]) -> GroupScoring? {
        let before = errors.count
        var groups: [GroupScoring.Group] = []
        for g in ScoreGroup.allCases {
            let raw = points[g] ?? ""
            guard let p = Points(typed: raw) else {
                errors.append(.init(field: "points_" + g.rawValue, message: t("perf.group.badPoints", t(g.labelKey))))
                continue
            }
            groups.append(GroupScoring.Group(g, points: p, shares: []))
        }
        for m in DossierMetric.allCases {
            let chosen = group[m] ?? ""
            if chosen.isEmpty { continue }
            guard let g = ScoreGroup(rawValue: chosen) else {
                errors.append(.init(field: "group_" + m.rawValue, message: t("perf.group.badGroup", t(m.labelKey))))
                continue
            }
            guard let s = Points(typed: share[m] ?? "") else {
                errors.append(.init(field: "share_" + m.rawValue, message: t("perf.group.badShare", t(m.labelKey))))
                continue
            }
            if let i = groups.firstIndex(where: { $0.group == g }) { groups[i].shares.append(.init(m, s)) }
        }
        guard errors.count == before else { return nil }
        let scoring = GroupScoring(groups: groups)
        for p in scoring.problems {
            switch p {
            case .totalNot100(let sum):
                errors.append(.init(field: "points_transparency", message: t("perf.group.totalNot100", sum.formatted(places: 2, english: t.lang == .en))))
            case .groupPoints(let g): errors.append(.init(field: "points_" + g.rawValue, message: t("perf.group.badPoints", t(g.labelKey))))
            case .sharesNot100(let g, let sum):
                let first = scoring.groups.first { $0.group == g }?.shares.first?.metric.rawValue ?? ""
                errors.append(.init(field: "share_" + first, message: t("perf.group.sharesNot100", t(g.labelKey), sum.formatted(places: 2, english: t.lang == .en))))
            case .share(_, let m): errors.append(.init(field: "share_" + m.rawValue, message: t("perf.group.badShare", t(m.labelKey))))
            case .metricTwice(let m): errors.append(.init(field: "group_" + m.rawValue, message: t("perf.group.badGroup", t(m.labelKey))))
            case .groupMissing(let g): errors.append(.init(field: "points_" + g.rawValue, message: t("perf.group.badPoints", t(g.labelKey))))
            }
        }
        return errors.count == before ? scoring : nil
    }
}
