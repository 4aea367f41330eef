import Fluent
import Vapor
import ThiDuaCore

enum PersonController {
    struct ListQuery: Content {
        var q: String?
        var unit: UUID?
        var page: Int?
    }

    @Sendable static func index(req: Request) async throws -> Response {
        let user = try req.require(.viewPeople)
        let query = (try? req.query.decode(ListQuery.self)) ?? ListQuery()
        let result = try await PersonQueries.list(
            on: req.db, user: user, search: query.q ?? "", unitID: query.unit, page: max(1, query.page ?? 1), pageSize: 50)
        return PersonPages.index(req.pageContext, query: query, result: result, canCreate: user.can(.editPeople)).response()
    }

    @Sendable static func show(req: Request) async throws -> Response {
        let person = try await find(req)
        let user = try await req.require(.viewPeople, on: person.$unit.id)
        let path = try await UnitTree.path(of: person.$unit.id, on: req.db)
        let rights = PersonPages.Rights(
            edit: AccessPolicy.allows(user.grants, .editPeople, unitPath: path),
            sensitive: AccessPolicy.allows(user.grants, .viewPersonSensitive, unitPath: path),
            history: AccessPolicy.allows(user.grants, .viewAudit, unitPath: path))
        let detail = try await PersonQueries.detail(person, includeSensitive: rights.sensitive, on: req.db)
        return PersonPages.show(req.pageContext, detail: detail, rights: rights, errors: []).response()
    }

    @Sendable static func new(req: Request) async throws -> Response {
        let user = try req.require(.editPeople)
        let units = try await UnitQueries.parentChoices(on: req.db, user: user, action: .editPeople)
        var form = PersonForm()
        form.unit_id = (try? req.query.get(UUID.self, at: "unit"))?.uuidString
        return PersonPages.form(req.pageContext, person: nil, form: form, units: units, errors: []).response()
    }

    @Sendable static func create(req: Request) async throws -> Response {
        let user = try req.require(.editPeople)
        let form = (try? req.content.decode(PersonForm.self)) ?? PersonForm()
        let (values, errors) = await validate(form, req: req, user: user, existing: nil)
        guard let values, errors.isEmpty else {
            let units = try await UnitQueries.parentChoices(on: req.db, user: user, action: .editPeople)
            return PersonPages.form(req.pageContext, person: nil, form: form, units: units, errors: errors).response(status: .badRequest)
        }
        let person = Person(
            code: values.code, fullName: values.fullName, sex: values.sex, birthYear: values.birthYear,
            position: values.position, unitID: values.unitID)
        try await req.db.writing(as: user.actor) { tx, audit in
            try await person.create(on: tx)
            audit.created(person)
        }
        return req.redirect(to: SiteURL.person(try person.requireID()).path + "?ok=saved")
    }

    @Sendable static func edit(req: Request) async throws -> Response {
        let person = try await find(req)
        let user = try await req.require(.editPeople, on: person.$unit.id)
        let units = try await UnitQueries.parentChoices(on: req.db, user: user, action: .editPeople)
        return PersonPages.form(req.pageContext, person: person, form: PersonForm(person), units: units, errors: []).response()
    }

    @Sendable static func update(req: Request) async throws -> Response {
        let person = try await find(req)
        let user = try await req.require(.editPeople, on: person.$unit.id)
        let form = (try? req.content.decode(PersonForm.self)) ?? PersonForm()
        let (values, errors) = await validate(form, req: req, user: user, existing: person)
        guard let values, errors.isEmpty else {
            let units = try await UnitQueries.parentChoices(on: req.db, user: user, action: .editPeople)
            return PersonPages.form(req.pageContext, person: person, form: form, units: units, errors: errors)
                .response(status: .badRequest)
        }
        let reason = VietnameseText.normalize(form.reason ?? "")
        let expected = Int(form.version ?? "") ?? person.version
        let id = try person.requireID()
        try await req.db.writing(as: user.actor, reason: reason.isEmpty ? nil : reason) { tx, audit in
            guard let fresh = try await Person.find(id, on: tx), fresh.version == expected else { throw AppError.conflict }
            let before = fresh.auditSnapshot
            fresh.set(fullName: values.fullName, sex: values.sex, birthYear: values.birthYear, position: values.position, unitID: values.unitID)
            fresh.version += 1
            try await fresh.update(on: tx)
            audit.updated(fresh, before: before)
        }
        return req.redirect(to: SiteURL.person(try person.requireID()).path + "?ok=saved")
    }

    struct RatingForm: Content {
        var year: String?
        var rating: String?
    }

    @Sendable static func addRating(req: Request) async throws -> Response {
        let person = try await find(req)
        let user = try await req.require(.editPeople, on: person.$unit.id)
        let form = (try? req.content.decode(RatingForm.self)) ?? RatingForm()
        let thisYear = CivilDate.today().year
        guard let year = Int(form.year ?? ""), (2000...thisYear).contains(year),
            let rating = PerformanceRating(rawValue: form.rating ?? "")
        else {
            return try await showWithErrors(req, person, user, [.init(field: "year", message: req.t("person.ratingInvalid", String(thisYear)))])
        }
        let pid = try person.requireID()
        try await req.db.writing(as: user.actor) { tx, audit in
            if let existing = try await PerformanceRatingRecord.query(on: tx).filter(\.$person.$id == pid).filter(\.$year == year).first() {
                let before = existing.auditSnapshot
                existing.ratingRaw = rating.rawValue
                try await existing.update(on: tx)
                audit.updated(existing, before: before)
            } else {
                let r = PerformanceRatingRecord(personID: pid, year: year, rating: rating)
                try await r.create(on: tx)
                audit.created(r)
            }
        }
        return req.redirect(to: SiteURL.person(pid).path + "?ok=saved")
    }

    struct PeriodForm: Content {
        var category: String?
        var kind: String?
        var start_on: String?
        var end_on: String?
        var reference: String?
        var note: String?
    }

    @Sendable static func addPeriod(req: Request) async throws -> Response {
        let person = try await find(req)
        let user = try await req.require(.editPeople, on: person.$unit.id)
        _ = try await req.require(.viewPersonSensitive, on: person.$unit.id)
        let pid = try person.requireID()
        let f = (try? req.content.decode(PeriodForm.self)) ?? PeriodForm()
        let t = req.t
        var errors = FormErrors(t)
        let category = PersonPeriod.Category(rawValue: f.category ?? "")
        if category == nil || !(category?.kinds.contains(f.kind ?? "") ?? false) {
            errors.add("kind", "problem.required")
        }
        let start = CivilDate(parsing: f.start_on ?? "")
        if start == nil { errors.add("start_on", "problem.invalidDate", f.start_on ?? "") }
        var end: CivilDate?
        if let raw = f.end_on, !raw.trimmingCharacters(in: .whitespaces).isEmpty {
            end = CivilDate(parsing: raw)
            if end == nil { errors.add("end_on", "problem.invalidDate", raw) }
        }
        if let start, let end, end < start { errors.add("end_on", "problem.dateOrder") }
        var reference: String?
        var note: String?
        switch FieldRules.optionalText(f.reference ?? "", max: 200) {
        case .success(let v): reference = v
        case .failure(let p): errors.add("reference", p.key, p.argument)
        }
        switch FieldRules.optionalText(f.note ?? "", max: 1000) {
        case .success(let v): note = v
        case .failure(let p): errors.add("note", p.key, p.argument)
        }
        guard errors.isEmpty, let category, let start, let kind = f.kind else {
            return try await showWithErrors(req, person, user, errors.list)
        }
        let period = PersonPeriod(personID: pid, category: category, kind: kind, period: DatePeriod(start: start, end: end), reference: reference, note: note)
        try await req.db.writing(as: user.actor) { tx, audit in
            try await period.create(on: tx)
            audit.created(period)
        }
        return req.redirect(to: SiteURL.person(pid).path + "?ok=saved")
    }

    @Sendable static func deletePeriod(req: Request) async throws -> Response {
        let person = try await find(req)
        let user = try await req.require(.editPeople, on: person.$unit.id)
        _ = try await req.require(.viewPersonSensitive, on: person.$unit.id)
        let pid = try person.requireID()
        guard let periodID = req.parameters.get("periodID", as: UUID.self),
            let period = try await PersonPeriod.query(on: req.db).filter(\.$id == periodID).filter(\.$person.$id == pid).first()
        else { throw AppError.notFound }
        try await req.db.writing(as: user.actor) { tx, audit in
            try await period.delete(on: tx)
            audit.deleted(period)
        }
        return req.redirect(to: SiteURL.person(pid).path + "?ok=deleted")
    }

    static func showWithErrors(_ req: Request, _ person: Person, _ user: CurrentUser, _ errors: [Components.FieldError]) async throws -> Response {
        let path = try await UnitTree.path(of: person.$unit.id, on: req.db)
        let rights = PersonPages.Rights(
            edit: AccessPolicy.allows(user.grants, .editPeople, unitPath: path),
            sensitive: AccessPolicy.allows(user.grants, .viewPersonSensitive, unitPath: path),
            history: AccessPolicy.allows(user.grants, .viewAudit, unitPath: path))
        let detail = try await PersonQueries.detail(person, includeSensitive: rights.sensitive, on: req.db)
        return PersonPages.show(req.pageContext, detail: detail, rights: rights, errors: errors).response(status: .badRequest)
    }

    static func find(_ req: Request) async throws -> Person {
        guard let id = req.parameters.get("personID", as: UUID.self), let p = try await Person.find(id, on: req.db) else {
            throw AppError.notFound
        }
        return p
    }

    struct PersonForm: Content {
        var code: String?
        var full_name: String?
        var sex: String?
        var birth_year: String?
        var position: String?
        var unit_id: String?
        var version: String?
        var reason: String?

        init() {}
        init(_ p: Person) {
            code = p.code
            full_name = p.fullName
            sex = p.sexRaw
            birth_year = p.birthYear.map(String.init)
            position = p.position
            unit_id = p.$unit.id.uuidString
            version = String(p.version)
        }
    }

    struct PersonValues: Sendable {
        let code: String, fullName: String, sex: Sex, birthYear: Int?, position: String?, unitID: UUID
    }

    static func validate(_ f: PersonForm, req: Request, user: CurrentUser, existing: Person?) async -> (PersonValues?, [Components.FieldError]) {
        let t = req.t
        var errors = FormErrors(t)
        let code = existing?.code ?? errors.take("code", FieldRules.code(f.code ?? ""))
        let name = errors.take("full_name", FieldRules.name(f.full_name ?? "", max: 128))
        let sex = Sex(rawValue: f.sex ?? "")
        if sex == nil { errors.add("sex", "problem.required") }
        var birthYear: Int?
        if let raw = f.birth_year?.trimmingCharacters(in: .whitespaces), !raw.isEmpty {
            let thisYear = CivilDate.today().year
            if let y = Int(raw), (thisYear - 80...thisYear - 15).contains(y) { birthYear = y } else {
                errors.add("birth_year", "problem.invalidValue", raw)
            }
        }
        let position = errors.take("position", FieldRules.optionalText(f.position ?? "", max: 128)) ?? nil
        let unitID = UUID(uuidString: f.unit_id ?? "")
        if unitID == nil { errors.add("unit_id", "problem.required") }
        do {
            if let code, existing == nil, try await Person.query(on: req.db).filter(\.$code == code).count() > 0 {
                errors.add("code", "problem.alreadyExists", code)
            }
            if let unitID {
                if try await Unit.find(unitID, on: req.db) == nil {
                    errors.add("unit_id", "problem.notFound", unitID.uuidString)
                } else {
                    let path = try await UnitTree.path(of: unitID, on: req.db)
                    if !AccessPolicy.allows(user.grants, .editPeople, unitPath: path) {
                        errors.add("unit_id", "problem.forbidden")
                    }
                }
            }
        } catch {
            errors.add("full_name", "error.unexpected")
        }
        guard errors.isEmpty, let code, let name, let sex, let unitID else { return (nil, errors.list) }
        return (PersonValues(code: code, fullName: name, sex: sex, birthYear: birthYear, position: position, unitID: unitID), [])
    }
}
