import Fluent
import Foundation
import Vapor
import ThiDuaCore

/// The award registry: every person's and unit's awards over the years, a unit's including those of the units it
/// was formed from (followed through mergers, renames and splits).
enum AwardRegistryController {
    struct Line: Sendable {
        let record: AwardRecord
        /// The predecessor unit the award was given to, when it is not the unit itself.
        let via: String?
    }

    /// A unit and every unit it was formed from, transitively (each with its name), the unit itself first.
    static func lineage(of unit: UUID, on db: any Database) async throws -> [(UUID, String)] {
        var out: [(UUID, String)] = []
        var queue = [unit]
        var seen: Set<UUID> = []
        while let next = queue.first, out.count < 200 {
            queue.removeFirst()
            guard seen.insert(next).inserted, let u = try await Unit.find(next, on: db) else { continue }
            out.append((next, u.name))
            queue += try await UnitSuccession.query(on: db).filter(\.$unit.$id == next).all().map(\.$predecessor.id)
        }
        return out
    }

    /// `?person=CODE` or `?unit=CODE`.
    @Sendable static func registry(req: Request) async throws -> Response {
        let user = try req.require(.viewAwards)
        let scope = try await SurveyAdminController.scope(req, user, .viewAwards)
        let personCode = ((try? req.query.get(String.self, at: "person")) ?? "").trimmingCharacters(in: .whitespaces).uppercased()
        let unitCode = ((try? req.query.get(String.self, at: "unit")) ?? "").trimmingCharacters(in: .whitespaces).uppercased()
        var title: String?
        var lines: [Line] = []
        var error: String?
        if !personCode.isEmpty {
            if let p = try await Person.query(on: req.db).filter(\.$code == personCode).first() {
                if let scope, !scope.contains(p.$unit.id) { throw AppError.forbidden }
                title = p.fullName + " (" + p.code + ")"
                lines = try await AwardRecord.query(on: req.db).filter(\.$personID == (try p.requireID())).sort(\.$year, .descending).all().map { Line(record: $0, via: nil) }
            } else {
                error = req.t("award.error.person", personCode)
            }
        } else if !unitCode.isEmpty {
            if let u = try await Unit.query(on: req.db).filter(\.$code == unitCode).first() {
                let id = try u.requireID()
                if let scope, !scope.contains(id) { throw AppError.forbidden }
                title = u.name
                let family = try await lineage(of: id, on: req.db)
                let names = Dictionary(family, uniquingKeysWith: { a, _ in a })
                lines = try await AwardRecord.query(on: req.db).filter(\.$unitID ~~ family.map(\.0)).sort(\.$year, .descending).all().map { r in
                    Line(record: r, via: r.unitID == id ? nil : r.unitID.flatMap { names[$0] })
                }
            } else {
                error = req.t("award.error.unit", unitCode)
            }
        }
        let canManage = (try? await SurveyAdminController.requireProvince(req, .manageAwards)) != nil
        return AwardPages.registry(req.pageContext, personCode: personCode, unitCode: unitCode, title: title, lines: lines, error: error, canManage: canManage)
            .response(status: error == nil ? .ok : .unprocessableEntity)
    }

    /// Revokes an award: the ground, the revoking decision, the reason and what is recovered; the record stays (with
    /// its history in the audit trail). Revoking twice is refused.
    @Sendable static func revoke(req: Request) async throws -> Response {
        let user = try await SurveyAdminController.requireProvince(req, .manageAwards)
        guard let id = req.parameters.get("recordID", as: UUID.self), let r = try await AwardRecord.find(id, on: req.db) else { throw AppError.notFound }
        var (form, errors) = Revocation.read(req, givenOn: CivilDate(parsing: r.decisionDate))
        if r.revokedOn != nil { errors.insert(req.t("award.error.revokedTwice"), at: 0) }
        guard errors.isEmpty, let form else {
            return try await registryPage(req, record: r, errors: errors)
        }
        try await req.db.writing(as: user.actor) { tx, audit in
            // Re-read under the write lock: two people revoking at once must not both succeed.
            guard let fresh = try await AwardRecord.find(id, on: tx), fresh.revokedOn == nil else { throw AppError.conflict }
            try await form.apply(to: fresh, on: tx, audit: audit)
        }
        return req.redirect(to: AwardURL.registry + (try await holderQuery(r, on: req.db)) + "&ok=saved")
    }

    static func holderQuery(_ r: AwardRecord, on db: any Database) async throws -> String {
        if let p = r.personID, let person = try await Person.find(p, on: db) { return "?person=" + person.code }
        if let u = r.unitID, let unit = try await Unit.find(u, on: db) { return "?unit=" + unit.code }
        return "?"
    }

    static func holderName(_ r: AwardRecord, on db: any Database) async throws -> String {
        if let p = r.personID, let person = try await Person.find(p, on: db) { return person.fullName + " (" + person.code + ")" }
        if let u = r.unitID, let unit = try await Unit.find(u, on: db) { return unit.name }
        return r.holderName ?? ""
    }

    @Sendable static func revokeForm(req: Request) async throws -> Response {
        _ = try await SurveyAdminController.requireProvince(req, .manageAwards)
        guard let id = req.parameters.get("recordID", as: UUID.self), let r = try await AwardRecord.find(id, on: req.db) else { throw AppError.notFound }
        return try await registryPage(req, record: r, errors: [], status: .ok)
    }

    /// The revocation page of a record, with the form's problems if any.
    static func registryPage(_ req: Request, record: AwardRecord, errors: [String], status: HTTPStatus = .unprocessableEntity) async throws -> Response {
        AwardPages.revokeForm(req.pageContext, record: record, holder: try await holderName(record, on: req.db), back: AwardURL.registry + (try await holderQuery(record, on: req.db)),
                              errors: errors).response(status: status)
    }
}

/// A revocation as the form gives it: the ground, the revoking decision (number, date not before the award), the
/// reason and what is recovered. One reading for an award and for a whole decision.
struct Revocation: Sendable {
    let ground: RevocationGround
    let number: String
    let day: CivilDate
    let reason: String
    let recovery: String?

    static func read(_ req: Request, givenOn: CivilDate?) -> (Revocation?, [String]) {
        let t = req.t
        func f(_ k: String, _ max: Int = 1_000) -> String { String(((try? req.content.get(String.self, at: k)) ?? "").prefix(max)) }
        var errors: [String] = []
        let ground = RevocationGround(rawValue: f("ground", 40))
        if ground == nil { errors.append(t("award.error.ground")) }
        let number = try? FieldRules.name(f("decision_number", 100), max: 100).get()
        if number == nil { errors.append(t("award.error.revokeNumber")) }
        let day = CivilDate(parsing: f("revoked_on", 20).trimmingCharacters(in: .whitespaces))
        if day == nil { errors.append(t("award.error.revokeDate")) }
        if let d = day, let given = givenOn, d < given { errors.append(t("award.error.revokeBefore")) }
        var reason = ""
        switch FieldRules.text(f("reason", 2_000), max: 2_000) {
        case .success(let v) where !v.isEmpty: reason = v
        case .success: errors.append(t("award.error.reason"))
        case .failure(let p): errors.append(t.problem(p.key, p.argument))
        }
        let recovery = (try? FieldRules.optionalText(f("recovery", 500), max: 500).get()) ?? nil
        guard errors.isEmpty, let ground, let number, let day else { return (nil, errors) }
        return (Revocation(ground: ground, number: number, day: day, reason: reason, recovery: recovery), [])
    }

    /// Marks the record revoked (it stays, with its history in the trail).
    func apply(to r: AwardRecord, on tx: any Database, audit: AuditRecorder) async throws {
        let before = r.auditSnapshot
        r.revokedOn = day.iso
        r.revokedGround = ground.rawValue
        r.revokedByDecision = number
        r.revokedReason = reason
        r.recovery = recovery
        try await r.update(on: tx)
        audit.updated(r, before: before)
    }
}
