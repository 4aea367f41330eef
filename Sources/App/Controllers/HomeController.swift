import Fluent
import SQLKit
import Vapor
import ThiDuaCore

enum HomeController {
    private struct Counts: Decodable { let units: Int, people: Int, blocks: Int }

    @Sendable static func index(req: Request) async throws -> Response {
        let ctx = req.pageContext
        guard let user = req.currentUser else {
            return HomePage.publicLanding(ctx).response()
        }
        let roots = AccessPolicy.scopeRoots(user.grants, .viewUnits)
        let today = req.today
        var model = HomePage.Model(unitCount: 0, peopleCount: 0, blockCount: 0, grants: [], followUp: nil)
        if !roots.isEmpty, let sql = req.db as? any SQLDatabase {
            // One read for the three figures (the home page is the most visited signed-in page); province-wide
            // users count everything, others their units' subtrees.
            let scope = try await UnitQueries.scope(of: user, .viewUnits, on: req.db)
            let ids: [any Encodable & Sendable] = (scope ?? []).sorted { $0.uuidString < $1.uuidString }
            let inUnits: SQLQueryString = scope == nil ? "1 = 1" : "id IN (\(binds: ids))"
            let inPeople: SQLQueryString = scope == nil ? "1 = 1" : "unit_id IN (\(binds: ids))"
            let query: SQLQueryString = "SELECT (SELECT COUNT(*) FROM units WHERE " + inUnits
                + " AND (valid_to IS NULL OR valid_to >= \(bind: today.iso))) AS units, (SELECT COUNT(*) FROM people WHERE " + inPeople
                + ") AS people, (SELECT COUNT(*) FROM emulation_blocks WHERE year = \(bind: today.year)) AS blocks"
            if let c = try await sql.raw(query).first(decoding: Counts.self) {
                (model.unitCount, model.peopleCount, model.blockCount) = (c.units, c.people, c.blocks)
            }
        }
        let names = try await PlanService.unitNames(Set(user.grants.map(\.unitID)), on: req.db)
        model.grants = user.grants.map { (ctx.t($0.role.labelKey), names[$0.unitID] ?? "", $0.unitID) }
        if user.can(.viewPlans) { model.followUp = try await PlanService.notifications(for: user, today: req.today, limit: 10, on: req.db) }
        return HomePage.dashboard(ctx, user: user, model: model).response()
    }
}

enum HomePage {
    struct Model: Sendable {
        var unitCount: Int
        var peopleCount: Int
        var blockCount: Int
        var grants: [(role: String, unit: String, unitID: UUID)]
        var followUp: PlanService.FollowUpPage?
    }

    static func publicLanding(_ ctx: PageContext) -> HTMLNode {
        let t = ctx.t
        return Layout.page(ctx, title: t("home.title")) {
            H.h1 { t("home.publicTitle") }
            H.p { t("home.publicIntro") }
            H.div(.class("grid")) {
                for k in ["home.who.office", "home.who.units", "home.who.council", "home.who.public"] {
                    H.div(.class("card")) { H.p { t(k) } }
                }
            }
            H.div(.class("actions")) { H.a(.class("button"), .href(SiteURL.login.path)) { t("nav.login") } }
        }
    }

    static func dashboard(_ ctx: PageContext, user: CurrentUser, model: Model) -> HTMLNode {
        let t = ctx.t
        return Layout.page(ctx, title: t("home.title")) {
            H.h1 { t("home.welcome", user.displayName) }
            if user.mustChangePassword {
                H.div(.class("notice")) { H.a(.href(SiteURL.account.path)) { t("password.mustChange") } }
            }
            H.div(.class("grid")) {
                if user.can(.viewUnits) {
                    H.a(.class("card"), .href(SiteURL.units.path)) {
                        H.span(.class("stat")) { t.number(model.unitCount) }
                        t("home.stat.units")
                    }
                }
                if user.can(.viewPeople) {
                    H.a(.class("card"), .href(SiteURL.people.path)) {
                        H.span(.class("stat")) { t.number(model.peopleCount) }
                        t("home.stat.people")
                    }
                }
                if user.can(.viewBlocks) {
                    H.a(.class("card"), .href(SiteURL.blocks.path)) {
                        H.span(.class("stat")) { t.number(model.blockCount) }
                        t("home.stat.blocks")
                    }
                }
            }
            if let f = model.followUp { PlanPages.homePanel(ctx, page: f) }
            H.h2 { t("home.myRoles") }
            if model.grants.isEmpty {
                H.p(.class("muted")) { t("home.noRoles") }
            } else {
                H.ul {
                    for g in model.grants {
                        H.li {
                            H.strong { g.role }
                            " — "
                            H.a(.href(SiteURL.unit(g.unitID).path)) { g.unit }
                        }
                    }
                }
            }
        }
    }
}
