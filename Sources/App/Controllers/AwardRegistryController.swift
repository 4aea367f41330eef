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
        return AwardPages.registry(req.pageContext, personCode: personCode, unitCode: unitCode, title: title, lines: lines, error: error)
            .response(status: error == nil ? .ok : .unprocessableEntity)
    }
}
