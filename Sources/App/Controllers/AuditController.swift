import Fluent
import Vapor
import ThiDuaCore

/// The audit trail: recent changes, and the history of one record.
enum AuditController {
    @Sendable static func index(req: Request) async throws -> Response {
        _ = try req.require(.viewAudit)
        let before = (try? req.query.get(Int64.self, at: "before")) ?? Int64.max
        let records = try await AuditRecord.query(on: req.db).filter(\.$id < before).sort(\.$id, .descending).limit(100).all()
        return AuditPages.list(req.pageContext, title: req.t("audit.title"), records: records, showEntity: true,
                               older: records.count == 100 ? records.last?.id : nil).response()
    }

    /// History of one entity. Units and people check the unit scope; other kinds need the right anywhere.
    @Sendable static func history(req: Request) async throws -> Response {
        let user = try req.require(.viewAudit)
        let type = req.parameters.get("type") ?? ""
        let id = req.parameters.get("id") ?? ""
        if let uuid = UUID(uuidString: id) {
            var unitID: UUID?
            if type == Unit.auditType { unitID = uuid }
            if type == Person.auditType { unitID = try await Person.find(uuid, on: req.db)?.$unit.id }
            if let unitID, try await Unit.find(unitID, on: req.db) != nil {
                _ = try await req.require(.viewAudit, on: unitID)
            }
        }
        _ = user
        let records = try await AuditRecord.query(on: req.db).filter(\.$entityType == type).filter(\.$entityID == id)
            .sort(\.$id, .descending).limit(500).all()
        return AuditPages.list(req.pageContext, title: req.t("audit.history"), records: records, showEntity: false, older: nil).response()
    }
}

enum AuditPages {
    static func list(_ ctx: PageContext, title: String, records: [AuditRecord], showEntity: Bool, older: Int64?) -> HTMLNode {
        let t = ctx.t
        return Layout.page(ctx, title: title) {
            H.h1 { title }
            H.p(.class("hint")) { t("audit.intro") }
            if records.isEmpty {
                H.p(.class("notice")) { t("audit.none") }
            } else {
                H.div(.class("table-wrap")) {
                    H.table {
                        H.caption { title }
                        H.thead {
                            H.tr {
                                H.th(.attr("scope", "col")) { "#" }
                                H.th(.attr("scope", "col")) { t("audit.when") }
                                H.th(.attr("scope", "col")) { t("audit.who") }
                                H.th(.attr("scope", "col")) { t("audit.action") }
                                if showEntity { H.th(.attr("scope", "col")) { t("audit.entity") } }
                                H.th(.attr("scope", "col")) { t("audit.before") }
                                H.th(.attr("scope", "col")) { t("audit.after") }
                                H.th(.attr("scope", "col")) { t("audit.reason") }
                            }
                        }
                        H.tbody {
                            for r in records {
                                H.tr {
                                    H.td(.class("num")) { String(r.id ?? 0) }
                                    H.td { t.dateTime(Date(timeIntervalSince1970: Double(r.atMillis) / 1000)) }
                                    H.td { r.actorName }
                                    H.td { t("audit.verb." + r.action) }
                                    if showEntity {
                                        H.td { H.a(.href(SiteURL.history(r.entityType, r.entityID).path)) { t("entity." + r.entityType) } }
                                    }
                                    H.td { H.pre(.class("json")) { r.before ?? "" } }
                                    H.td { H.pre(.class("json")) { r.after ?? "" } }
                                    H.td { r.reason ?? "" }
                                }
                            }
                        }
                    }
                }
            }
            if let older { H.p { H.a(.href(SiteURL.audit.path + "?before=" + String(older))) { t("audit.older") } } }
        }
    }
}
