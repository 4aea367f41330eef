import Fluent
import Vapor
import ThiDuaCore

/// Published PAR Index results for everyone, without signing in: the ranking by group, each unit's per-area
/// breakdown, the method, and the SHA-256 digest of the exact published document.
enum PublicIndexController {
    @Sendable static func index(req: Request) async throws -> Response {
        let pubs = try await IndexPublication.query(on: req.db).with(\.$cycle).sort(\.$publishedMillis, .descending).all()
        var latest: [UUID: IndexPublication] = [:]
        for p in pubs where latest[p.$cycle.id] == nil { latest[p.$cycle.id] = p }
        let items = latest.values.sorted { $0.cycle.year > $1.cycle.year }.map { ($0.$cycle.id, $0.cycle.name, $0.cycle.year) }
        return PublicPages.index(req.pageContext, items: items).response()
    }

    static func publication(_ req: Request) async throws -> (IndexPublication, PublicationPayload, [IndexPublication]) {
        guard let cycleID = req.parameters.get("cycleID", as: UUID.self) else { throw AppError.notFound }
        let all = try await IndexPublication.query(on: req.db).filter(\.$cycle.$id == cycleID).sort(\.$number).all()
        let wanted = (try? req.query.get(Int.self, at: "v")) ?? all.last?.number
        guard let pub = all.first(where: { $0.number == wanted }),
            let payload = try? JSONDecoder().decode(PublicationPayload.self, from: Data(pub.payload.utf8))
        else { throw AppError.notFound }
        return (pub, payload, all)
    }

    @Sendable static func cycle(req: Request) async throws -> Response {
        let (pub, payload, all) = try await publication(req)
        let intact = Digest.sha256(Data(pub.payload.utf8)) == pub.digest
        return PublicPages.cycle(req.pageContext, publication: pub, payload: payload, versions: all, intact: intact).response()
    }

    @Sendable static func unit(req: Request) async throws -> Response {
        let (pub, payload, _) = try await publication(req)
        guard let unitID = req.parameters.get("unitID"), let row = payload.results.first(where: { $0.unitID == unitID }),
            let fw = payload.frameworks.first(where: { $0.code == row.framework })
        else { throw AppError.notFound }
        return PublicPages.unit(req.pageContext, publication: pub, payload: payload, row: row, framework: fw).response()
    }
}

enum PublicPages {
    static func index(_ ctx: PageContext, items: [(UUID, String, Int)]) -> HTMLNode {
        let t = ctx.t
        return Layout.page(ctx, title: t("public.title")) {
            H.h1 { t("public.title") }
            if items.isEmpty { H.p(.class("notice")) { t("public.none") } }
            H.ul { for (id, name, _) in items { H.li { H.a(.href(SiteURL.publicCycle(id).path)) { name } } } }
        }
    }

    static func num(_ s: String, _ t: Localizer, places: Int) -> String {
        Points(parsing: s).map { $0.formatted(places: places, english: t.english) } ?? s
    }

    static func cycle(_ ctx: PageContext, publication pub: IndexPublication, payload: PublicationPayload, versions: [IndexPublication], intact: Bool) -> HTMLNode {
        let t = ctx.t
        let groups = Dictionary(grouping: payload.results, by: \.group)
        let groupOrder = payload.results.map(\.group).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        let places = payload.frameworks.first?.places ?? 2
        let cycleID = pub.$cycle.id
        return Layout.page(ctx, title: payload.name) {
            H.h1 { payload.name }
            H.div(.class("card")) {
                Components.facts([
                    (t("public.version", String(pub.number)), t.dateTime(Date(timeIntervalSince1970: Double(pub.publishedMillis) / 1000))),
                    (t("public.units"), t.number(payload.results.count)),
                ])
                H.p { t("public.digest") + " "; H.code(.class("digest")) { pub.digest } }
                H.p(.class(intact ? "hint" : "warning")) { t(intact ? "public.intact" : "public.tampered") }
                if let e = payload.errata { H.div(.class("notice")) { t("cycle.errata") + ": " + e } }
                if versions.count > 1 {
                    H.p {
                        t("public.otherVersions") + " "
                        for v in versions where v.number != pub.number {
                            H.a(.href(SiteURL.publicCycle(cycleID).path + "?v=" + String(v.number))) { t("public.version", String(v.number)) }
                            " "
                        }
                    }
                }
            }
            for g in groupOrder {
                H.h2 { g }
                H.div(.class("table-wrap")) {
                    H.table {
                        H.caption { t("public.rankingOf", g) }
                        H.thead {
                            H.tr {
                                for h in ["cycle.rank", "column.unit", "cycle.final", "public.max", "cycle.percent", "cycle.band"] { H.th(.attr("scope", "col")) { t(h) } }
                            }
                        }
                        H.tbody {
                            for r in groups[g] ?? [] {
                                H.tr {
                                    H.td(.class("num")) { String(r.rank) }
                                    H.td { H.a(.href(SiteURL.publicUnit(cycleID, UUID(uuidString: r.unitID) ?? UUID()).path + "?v=" + String(pub.number))) { r.name } }
                                    H.td(.class("num")) { num(r.final, t, places: places) }
                                    H.td(.class("num")) { num(r.applicableMax, t, places: places) }
                                    H.td(.class("num")) { num(r.percent, t, places: places) }
                                    H.td { r.band ?? "" }
                                }
                            }
                        }
                    }
                }
            }
            H.h2 { t("public.method") }
            H.p { payload.rounding }
            H.ul {
                for f in payload.frameworks {
                    H.li { f.name + " — " + t("fw.bands") + ": " + f.bands.joined(separator: "; ") }
                }
            }
        }
    }

    static func unit(_ ctx: PageContext, publication pub: IndexPublication, payload: PublicationPayload, row: PublicationPayload.UnitRow, framework fw: PublicationPayload.FrameworkInfo) -> HTMLNode {
        let t = ctx.t
        let places = fw.places
        return Layout.page(ctx, title: row.name) {
            H.h1 { row.name }
            H.p { payload.name + " — " + t("public.version", String(pub.number)) }
            H.div(.class("card")) {
                Components.facts([
                    (t("cycle.group"), row.group), (t("cycle.rank"), String(row.rank)), (t("cycle.band"), row.band ?? ""),
                    (t("cycle.final"), num(row.final, t, places: places)), (t("public.max"), num(row.applicableMax, t, places: places)),
                    (t("cycle.percent"), num(row.percent, t, places: places)),
                    (t("public.bonus"), num(row.bonus, t, places: places)), (t("public.penalty"), num(row.penalty, t, places: places)),
                ])
            }
            H.table {
                H.caption { t("public.breakdown") }
                H.thead { H.tr { H.th(.attr("scope", "col")) { t("fwsheet.code") }; H.th(.attr("scope", "col")) { t("public.area") }; H.th(.attr("scope", "col"), .class("num")) { t("cycle.final") }; H.th(.attr("scope", "col"), .class("num")) { t("public.max") } } }
                H.tbody {
                    for (i, a) in fw.areas.enumerated() {
                        H.tr {
                            H.td { a.code }
                            H.td { a.title }
                            H.td(.class("num")) { i < row.areaPoints.count ? num(row.areaPoints[i], t, places: places) : "" }
                            H.td(.class("num")) { i < row.areaMax.count ? num(row.areaMax[i], t, places: places) : "" }
                        }
                    }
                }
            }
            H.p { H.a(.href(SiteURL.publicCycle(pub.$cycle.id).path + "?v=" + String(pub.number))) { t("public.back") } }
            H.p(.class("hint")) { t("public.digest") + " "; H.code(.class("digest")) { pub.digest } }
        }
    }
}
