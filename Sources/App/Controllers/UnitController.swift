import Fluent
import Vapor
import ThiDuaCore

enum UnitController {
    struct ListQuery: Content {
        var q: String?
        var kind: String?
        var all: String?
        var page: Int?
    }

    static let pageSize = 50

    @Sendable static func index(req: Request) async throws -> Response {
        let user = try req.require(.viewUnits)
        let query = (try? req.query.decode(ListQuery.self)) ?? ListQuery()
        let result = try await UnitQueries.list(
            on: req.db, user: user, search: query.q ?? "", kind: query.kind.flatMap(UnitKind.init(rawValue:)),
            includeExpired: query.all == "1", page: max(1, query.page ?? 1), pageSize: pageSize)
        return UnitPages.index(req.pageContext, query: query, result: result, canCreate: user.can(.editUnits)).response()
    }

    @Sendable static func show(req: Request) async throws -> Response {
        let unit = try await find(req)
        let user = try await req.require(.viewUnits, on: unit.requireID())
        let detail = try await UnitQueries.detail(unit, on: req.db)
        let path = try await UnitTree.path(of: unit.requireID(), on: req.db)
        let rights = UnitPages.Rights(
            edit: AccessPolicy.allows(user.grants, .editUnits, unitPath: path),
            merge: AccessPolicy.allows(user.grants, .mergeUnits, unitPath: path),
            history: AccessPolicy.allows(user.grants, .viewAudit, unitPath: path))
        return UnitPages.show(req.pageContext, detail: detail, rights: rights).response()
    }

    @Sendable static func new(req: Request) async throws -> Response {
        let user = try req.require(.editUnits)
        let parents = try await UnitQueries.parentChoices(on: req.db, user: user, action: .editUnits)
        let parentID = try? req.query.get(UUID.self, at: "parent")
        var form = UnitForm()
        form.parent_id = parentID?.uuidString
        return UnitPages.form(req.pageContext, unit: nil, form: form, parents: parents, errors: []).response()
    }

    @Sendable static func create(req: Request) async throws -> Response {
        let user = try req.require(.editUnits)
        let form = (try? req.content.decode(UnitForm.self)) ?? UnitForm()
        let (values, errors) = await validate(form, req: req, user: user, existing: nil)
        guard let values, errors.isEmpty else {
            let parents = try await UnitQueries.parentChoices(on: req.db, user: user, action: .editUnits)
            return UnitPages.form(req.pageContext, unit: nil, form: form, parents: parents, errors: errors)
                .response(status: .badRequest)
        }
        let unit = Unit(
            code: values.code, name: values.name, shortName: values.shortName, kind: values.kind,
            parentID: values.parentID, validFrom: values.validFrom, validTo: values.validTo)
        try await req.db.writing(as: user.actor) { tx, audit in
            try await unit.create(on: tx)
            audit.created(unit)
        }
        return req.redirect(to: SiteURL.unit(try unit.requireID()).path + "?ok=saved")
    }

    @Sendable static func edit(req: Request) async throws -> Response {
        let unit = try await find(req)
        let user = try await req.require(.editUnits, on: unit.requireID())
        let parents = try await UnitQueries.parentChoices(on: req.db, user: user, action: .editUnits)
        return UnitPages.form(req.pageContext, unit: unit, form: UnitForm(unit), parents: parents, errors: []).response()
    }

    @Sendable static func update(req: Request) async throws -> Response {
        let unit = try await find(req)
        let user = try await req.require(.editUnits, on: unit.requireID())
        let form = (try? req.content.decode(UnitForm.self)) ?? UnitForm()
        let (values, errors) = await validate(form, req: req, user: user, existing: unit)
        guard let values, errors.isEmpty else {
            let parents = try await UnitQueries.parentChoices(on: req.db, user: user, action: .editUnits)
            return UnitPages.form(req.pageContext, unit: unit, form: form, parents: parents, errors: errors)
                .response(status: .badRequest)
        }
        let reason = VietnameseText.normalize(form.reason ?? "")
        let expected = Int(form.version ?? "") ?? unit.version
        let id = try unit.requireID()
        try await req.db.writing(as: user.actor, reason: reason.isEmpty ? nil : reason) { tx, audit in
            // Optimistic locking: the version the form was opened with must still be the stored one.
            guard let fresh = try await Unit.find(id, on: tx), fresh.version == expected else { throw AppError.conflict }
            let before = fresh.auditSnapshot
            fresh.$parent.id = values.parentID
            fresh.set(name: values.name, shortName: values.shortName, kind: values.kind, validFrom: values.validFrom, validTo: values.validTo)
            fresh.version += 1
            try await fresh.update(on: tx)
            audit.updated(fresh, before: before)
        }
        return req.redirect(to: SiteURL.unit(try unit.requireID()).path + "?ok=saved")
    }

    struct MergeForm: Content {
        var codes: String?
        var effective_on: String?
        var reference: String?
    }

    @Sendable static func mergeForm(req: Request) async throws -> Response {
        let unit = try await find(req)
        _ = try await req.require(.mergeUnits, on: unit.requireID())
        return UnitPages.merge(req.pageContext, unit: unit, form: MergeForm(), errors: []).response()
    }

    /// Merges the listed units into this one: they end the day before the effective date, their people and
    /// sub-units move here, and succession links keep their history reachable from this unit.
    @Sendable static func merge(req: Request) async throws -> Response {
        let target = try await find(req)
        let targetID = try target.requireID()
        let user = try await req.require(.mergeUnits, on: targetID)
        let form = (try? req.content.decode(MergeForm.self)) ?? MergeForm()
        let t = req.t
        var errors = FormErrors(t)
        let codes = (form.codes ?? "").split(whereSeparator: { $0 == "," || $0 == ";" || $0.isWhitespace })
            .map { $0.uppercased() }
        var predecessors: [Unit] = []
        if codes.isEmpty { errors.add("codes", "problem.required") }
        for code in Set(codes).sorted() {
            guard let u = try await Unit.query(on: req.db).filter(\.$code == code).first() else {
                errors.add("codes", "problem.notFound", code)
                continue
            }
            let path = try await UnitTree.path(of: u.requireID(), on: req.db)
            if u.id == targetID || path.contains(targetID) {
                errors.add("codes", "merge.self", code)
            } else if !AccessPolicy.allows(user.grants, .mergeUnits, unitPath: path) {
                errors.add("codes", "problem.forbiddenUnit", code)
            } else {
                predecessors.append(u)
            }
        }
        let effective: CivilDate? = CivilDate(parsing: form.effective_on ?? "")
        if effective == nil { errors.add("effective_on", "problem.invalidDate", form.effective_on ?? "") }
        let reference = VietnameseText.normalize(form.reference ?? "")
        if reference.isEmpty { errors.add("reference", "problem.required") }
        guard errors.isEmpty, let effective else {
            return UnitPages.merge(req.pageContext, unit: target, form: form, errors: errors.list).response(status: .badRequest)
        }
        let preds = predecessors
        try await req.db.writing(as: user.actor, reason: reference) { tx, audit in
            for p in preds {
                let pid = try p.requireID()
                let before = p.auditSnapshot
                p.validTo = effective.adding(days: -1).iso
                p.version += 1
                try await p.update(on: tx)
                audit.updated(p, before: before)
                let link = UnitSuccession(unitID: targetID, predecessorID: pid, kind: .merger, effectiveOn: effective, reference: reference)
                try await link.create(on: tx)
                audit.created(link)
                for person in try await Person.query(on: tx).filter(\.$unit.$id == pid).all() {
                    let b = person.auditSnapshot
                    person.set(fullName: person.fullName, sex: person.sex, birthYear: person.birthYear, position: person.position, unitID: targetID)
                    try await person.update(on: tx)
                    audit.updated(person, before: b)
                }
                for child in try await Unit.query(on: tx).filter(\.$parent.$id == pid).all() {
                    let b = child.auditSnapshot
                    child.$parent.id = targetID
                    try await child.update(on: tx)
                    audit.updated(child, before: b)
                }
            }
        }
        return req.redirect(to: SiteURL.unit(targetID).path + "?ok=merged")
    }

    static func find(_ req: Request) async throws -> Unit {
        guard let id = req.parameters.get("unitID", as: UUID.self), let unit = try await Unit.find(id, on: req.db) else {
            throw AppError.notFound
        }
        return unit
    }

    struct UnitForm: Content {
        var code: String?
        var name: String?
        var short_name: String?
        var kind: String?
        var parent_id: String?
        var valid_from: String?
        var valid_to: String?
        var version: String?
        var reason: String?

        init() {}
        init(_ u: Unit) {
            code = u.code
            name = u.name
            short_name = u.shortName
            kind = u.kindRaw
            parent_id = u.$parent.id?.uuidString
            valid_from = u.validFromDate?.vietnamese
            valid_to = u.validToDate?.vietnamese
            version = String(u.version)
        }
    }

    struct UnitValues: Sendable {
        let code: String, name: String, shortName: String?, kind: UnitKind, parentID: UUID?
        let validFrom: CivilDate?, validTo: CivilDate?
    }

    static func validate(_ f: UnitForm, req: Request, user: CurrentUser, existing: Unit?) async -> (UnitValues?, [Components.FieldError]) {
        let t = req.t
        var errors = FormErrors(t)
        let code = existing?.code ?? errors.take("code", FieldRules.code(f.code ?? ""))
        let name = errors.take("name", FieldRules.name(f.name ?? ""))
        let shortName = errors.take("short_name", FieldRules.optionalText(f.short_name ?? "", max: 64)) ?? nil
        let kind = UnitKind(rawValue: f.kind ?? "")
        if kind == nil { errors.add("kind", "problem.required") }
        let from = errors.take("valid_from", FieldRules.date(f.valid_from ?? "")) ?? nil
        let to = errors.take("valid_to", FieldRules.date(f.valid_to ?? "")) ?? nil
        if let from, let to, to < from { errors.add("valid_to", "problem.dateOrder") }
        var parentID: UUID?
        if let raw = f.parent_id, !raw.isEmpty {
            parentID = UUID(uuidString: raw)
            if parentID == nil { errors.add("parent_id", "problem.invalidValue", raw) }
        }
        do {
            if let code, existing == nil, try await Unit.query(on: req.db).filter(\.$code == code).count() > 0 {
                errors.add("code", "problem.alreadyExists", code)
            }
            if let parentID {
                let path = try await UnitTree.path(of: parentID, on: req.db)
                if try await Unit.find(parentID, on: req.db) == nil {
                    errors.add("parent_id", "problem.notFound", parentID.uuidString)
                } else if let existingID = existing?.id, path.contains(existingID) {
                    errors.add("parent_id", "unit.parentCycle")
                } else if !AccessPolicy.allows(user.grants, .editUnits, unitPath: path) {
                    errors.add("parent_id", "problem.forbidden")
                }
            } else if kind != .province {
                errors.add("parent_id", "problem.required")
            } else if existing == nil || existing?.$parent.id != nil {
                // Only one root: the province itself.
                if try await UnitTree.root(on: req.db) != nil {
                    errors.add("parent_id", "problem.required")
                }
            }
        } catch {
            errors.add("name", "error.unexpected")
        }
        guard errors.isEmpty, let code, let name, let kind else { return (nil, errors.list) }
        return (UnitValues(code: code, name: name, shortName: shortName, kind: kind, parentID: parentID, validFrom: from, validTo: to), [])
    }
}
