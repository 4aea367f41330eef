import Fluent
import Vapor
import ThiDuaCore

/// PAR Index criteria frameworks: list, import (JSON), the starter sets, view, export (JSON, XLSX), copy to a new year.
enum FrameworkController {
    @Sendable static func index(req: Request) async throws -> Response {
        let user = try req.require(.viewIndex)
        let frameworks = try await IndexFramework.query(on: req.db).sort(\.$year, .descending).sort(\.$code).all()
        return FrameworkPages.index(req.pageContext, frameworks: frameworks, canManage: user.can(.manageFrameworks), problems: []).response()
    }

    struct Upload: Content {
        var file: File?
        // For XLSX files, which carry only the criteria: the framework's own fields.
        var code: String?
        var name: String?
        var year: String?
        var unit_kind: String?
        var places: String?
    }

    @Sendable static func upload(req: Request) async throws -> Response {
        let user = try req.require(.manageFrameworks)
        let form = (try? req.content.decode(Upload.self)) ?? Upload()
        guard let file = form.file, file.data.readableBytes > 0 else {
            return try await rerender(req, user, [req.t("import.noFile")])
        }
        let data = Data(file.data.readableBytesView)
        if XLSXReader.looksLikeZip(data) { return try await uploadSheet(data, form: form, req: req, user: user) }
        let spec: FrameworkSpec
        do {
            spec = try FrameworkJSON.decode(data)
        } catch {
            return try await rerender(req, user, [req.t(error.key, error.arguments.first ?? "", error.arguments.dropFirst().first ?? "")])
        }
        return try await save(spec, req: req, user: user)
    }

    /// A framework from a spreadsheet in the export's layout; the form gives its code, name, year and kind.
    static func uploadSheet(_ data: Data, form: Upload, req: Request, user: CurrentUser) async throws -> Response {
        let t = req.t
        var problems: [String] = []
        let code = try? FieldRules.code(form.code ?? "").get()
        let name = try? FieldRules.name(form.name ?? "").get()
        let year = Int(form.year ?? "").flatMap { (2000...2100).contains($0) ? $0 : nil }
        let kind = UnitKind(rawValue: form.unit_kind ?? "")
        let places = Int(form.places ?? "2").flatMap { (0...4).contains($0) ? $0 : nil }
        if code == nil { problems.append(t("column.code") + ": " + t("problem.required")) }
        if name == nil { problems.append(t("column.name") + ": " + t("problem.required")) }
        if year == nil { problems.append(t("person.year") + ": " + t("problem.invalidValue", form.year ?? "")) }
        if kind == nil { problems.append(t("fw.unitKind") + ": " + t("problem.required")) }
        if places == nil { problems.append(t("fw.badPlaces")) }
        let rows: [[String]]
        do {
            rows = try XLSXReader.read(data, maxUncompressedBytes: 50 * 1024 * 1024, maxRows: 5_000)
        } catch {
            return try await rerender(req, user, problems + [t.lang == .vi ? error.messageVI : error.messageEN])
        }
        let read = FrameworkSheetReader.read(rows: rows)
        problems += read.missing.map { t("import.missingColumns") + ": " + t("fwcolumn." + $0) }
        problems += read.issues.map { t("import.rowN", String($0.row)) + " — " + ($0.column.map { t("fwcolumn." + $0) } ?? "") + ": " + t.problem($0.problemKey, $0.argument) }
        guard problems.isEmpty, let code, let name, let year, let kind, let places else { return try await rerender(req, user, problems) }
        let spec = FrameworkSpec(code: code, name: name, year: year, unitKind: kind.rawValue, places: places, criteria: read.criteria)
        return try await save(spec, req: req, user: user)
    }

    /// Loads the two starter frameworks (departments; communes) unless frameworks with their codes exist.
    @Sendable static func starters(req: Request) async throws -> Response {
        let user = try req.require(.manageFrameworks)
        for (_, data) in IndexCommands.starterFrameworks() {
            let spec = try FrameworkJSON.decode(data)
            if try await IndexFramework.query(on: req.db).filter(\.$code == spec.code).count() > 0 { continue }
            _ = try await store(spec, on: req.db, actor: user.actor)
        }
        return req.redirect(to: SiteURL.frameworks.path + "?ok=saved")
    }

    static func save(_ spec: FrameworkSpec, req: Request, user: CurrentUser) async throws -> Response {
        if case .failure(let e) = CompiledFramework.compile(spec) {
            return try await rerender(req, user, e.problems.map { problemText($0, req.t) })
        }
        if let existing = try await IndexFramework.query(on: req.db).filter(\.$code == spec.code).first() {
            guard try await !inUse(existing, on: req.db) else {
                return try await rerender(req, user, [req.t("fw.inUse", spec.code)])
            }
            try await req.db.writing(as: user.actor, reason: "framework import") { tx, audit in
                let before = existing.auditSnapshot
                existing.set(spec)
                existing.version += 1
                try await existing.update(on: tx)
                audit.updated(existing, before: before)
            }
            return req.redirect(to: SiteURL.framework(try existing.requireID()).path + "?ok=saved")
        }
        let fw = try await store(spec, on: req.db, actor: user.actor)
        return req.redirect(to: SiteURL.framework(try fw.requireID()).path + "?ok=saved")
    }

    static func store(_ spec: FrameworkSpec, on db: any Database, actor: Actor) async throws -> IndexFramework {
        let fw = IndexFramework(spec: spec)
        try await db.writing(as: actor, reason: "framework import") { tx, audit in
            try await fw.create(on: tx)
            audit.created(fw)
        }
        return fw
    }

    /// A framework scored by any cycle past setup is frozen: changes go into a copy.
    static func inUse(_ fw: IndexFramework, on db: any Database) async throws -> Bool {
        let id = try fw.requireID()
        let cycles = try await IndexAssessment.query(on: db).filter(\.$framework.$id == id).with(\.$cycle).all()
        return cycles.contains { $0.cycle.phase != .setup }
    }

    static func problemText(_ p: FrameworkProblem, _ t: Localizer) -> String {
        let a = p.arguments
        return t(p.key, a.first ?? "", a.dropFirst().first ?? "", a.dropFirst(2).first ?? "")
    }

    static func rerender(_ req: Request, _ user: CurrentUser, _ problems: [String]) async throws -> Response {
        let frameworks = try await IndexFramework.query(on: req.db).sort(\.$year, .descending).sort(\.$code).all()
        return FrameworkPages.index(req.pageContext, frameworks: frameworks, canManage: user.can(.manageFrameworks), problems: problems)
            .response(status: .unprocessableEntity)
    }

    @Sendable static func show(req: Request) async throws -> Response {
        let user = try req.require(.viewIndex)
        let model = try await find(req)
        let fw = try model.compiled()
        return FrameworkPages.show(req.pageContext, model: model, fw: fw, canManage: user.can(.manageFrameworks)).response()
    }

    @Sendable static func export(req: Request) async throws -> Response {
        _ = try req.require(.viewIndex)
        let model = try await find(req)
        let fw = try model.compiled()
        var headers = HTTPHeaders()
        switch req.parameters.get("format") {
        case "json":
            headers.replaceOrAdd(name: .contentType, value: "application/json; charset=utf-8")
            headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(model.code).json\"")
            return Response(status: .ok, headers: headers, body: .init(data: FrameworkJSON.encode(fw.spec)))
        case "xlsx":
            headers.replaceOrAdd(name: .contentType, value: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(model.code).xlsx\"")
            return Response(status: .ok, headers: headers, body: .init(data: try FrameworkSheet.xlsx(fw, Localizer(lang: .vi))))
        default:
            throw AppError.notFound
        }
    }

    struct CopyForm: Content {
        var year: String?
        var code: String?
    }

    @Sendable static func copy(req: Request) async throws -> Response {
        let user = try req.require(.manageFrameworks)
        let model = try await find(req)
        let f = (try? req.content.decode(CopyForm.self)) ?? CopyForm()
        guard let year = Int(f.year ?? ""), (2000...2100).contains(year), case .success(let code) = FieldRules.code(f.code ?? "") else {
            let frameworks = try await IndexFramework.query(on: req.db).all()
            return FrameworkPages.index(req.pageContext, frameworks: frameworks, canManage: true, problems: [req.t("fw.copyInvalid")])
                .response(status: .badRequest)
        }
        let spec = try model.compiled().spec.copied(toYear: year, code: code)
        if try await IndexFramework.query(on: req.db).filter(\.$code == code).count() > 0 {
            return try await rerender(req, user, [req.t("problem.alreadyExists", code)])
        }
        let copy = try await store(spec, on: req.db, actor: user.actor)
        return req.redirect(to: SiteURL.framework(try copy.requireID()).path + "?ok=saved")
    }

    static func find(_ req: Request) async throws -> IndexFramework {
        guard let id = req.parameters.get("frameworkID", as: UUID.self), let f = try await IndexFramework.find(id, on: req.db) else {
            throw AppError.notFound
        }
        return f
    }
}

/// A framework laid out the way provinces publish them: STT, nội dung, điểm tối đa, phương pháp chấm, tài liệu kiểm chứng.
enum FrameworkSheet {
    static func xlsx(_ fw: CompiledFramework, _ t: Localizer) throws -> Data {
        let header = [t("fwsheet.code"), t("fwsheet.content"), t("fwsheet.max"), t("fwsheet.method"), t("fwsheet.evidence"),
                      t("fwsheet.guidance"), t("fwsheet.methodCode"), t("fwsheet.kind")]
        // Titles are not indented with spaces: the code's dots carry the tree, and the file imports back as is.
        let rows: [[XLSXCell]] = fw.nodes.map { n in
            [.text(n.code), .text(n.title), .number(n.max.plain(places: fw.places)),
             .text(MethodText.describe(n.method, places: fw.places, t)), .text(n.evidence), .text(n.guidance),
             .text(n.method.map(MethodNotation.format) ?? ""), .text(n.depth == 0 && n.kind != .normal ? n.kind.rawValue : "")]
        }
        return try XLSXWriter.write([XLSXSheet(name: fw.spec.code, header: header, rows: rows, columnWidths: [10, 70, 12, 50, 45, 45, 30, 10])])
    }
}
