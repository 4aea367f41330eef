import Fluent
import Synchronization
import Vapor
import ThiDuaCore

/// Published PAR Index results for everyone, without signing in: the ranking by group, each unit's per-area
/// breakdown, the method, and the SHA-256 digest of the exact published document.
enum PublicIndexController {
    @Sendable static func index(req: Request) async throws -> Response {
        // Never the payload column: it is large and not needed for a list.
        let cycleIDs = Set(try await IndexPublication.query(on: req.db).field(\.$id).field(\.$cycle.$id).all().map { $0.$cycle.id })
        let cycles = try await IndexCycle.query(on: req.db).filter(\.$id ~~ cycleIDs).sort(\.$year, .descending).all()
        let items = cycles.compactMap { c in c.id.map { ($0, c.name, c.year) } }
        return PublicPages.index(req.pageContext, items: items).response()
    }

    /// The publication asked for (latest unless `?v=`), its decoded payload and every version's number.
    /// Publications never change, so their decoded payloads are cached per process by id (a cache, not shared
    /// state: any server can rebuild it from the database).
    static func publication(_ req: Request) async throws -> (PublicationHeader, PublishedDocument, [Int]) {
        guard let cycleID = req.parameters.get("cycleID", as: UUID.self) else { throw AppError.notFound }
        // Only columns stored before the large payload: SQLite would otherwise walk the payload's overflow pages
        // on every request to reach a later column.
        let versions = try await IndexPublication.query(on: req.db).filter(\.$cycle.$id == cycleID)
            .field(\.$id).field(\.$number).field(\.$digest).field(\.$cycle.$id).sort(\.$number).all()
        let wanted = (try? req.query.get(Int.self, at: "v")) ?? versions.last?.number
        guard let head = versions.first(where: { $0.number == wanted }), let id = head.id else { throw AppError.notFound }
        let doc: PublishedDocument
        if let cached = PublicationCache.shared.get(id) {
            doc = cached
        } else {
            guard let full = try await IndexPublication.find(id, on: req.db),
                let payload = try? JSONDecoder().decode(PublicationPayload.self, from: Data(full.payload.utf8))
            else { throw AppError.notFound }
            doc = PublishedDocument(payload: payload, intact: Digest.sha256(Data(full.payload.utf8)) == full.digest, publishedMillis: full.publishedMillis)
            PublicationCache.shared.put(id, doc)
        }
        let header = PublicationHeader(cycleID: cycleID, number: head.number, digest: head.digest, publishedMillis: doc.publishedMillis)
        return (header, doc, versions.map(\.number))
    }

    struct PageQuery: Content {
        var group: String?
        var page: Int?
    }

    @Sendable static func cycle(req: Request) async throws -> Response {
        let (header, doc, versions) = try await publication(req)
        let q = (try? req.query.decode(PageQuery.self)) ?? PageQuery()
        let page = max(1, q.page ?? 1)
        // For visitors who are not signed in, a page is a pure function of the immutable publication, the
        // language and the query: rendered once per process, then served from memory.
        let key = req.currentUser == nil
            ? [header.digest, String(header.number), req.lang.rawValue, String(versions.count), q.group ?? "*", String(page)].joined(separator: "|")
            : nil
        if let key, let bytes = PublicationCache.shared.page(key) { return htmlResponse(bytes) }
        let bytes = PublicPages.cycle(req.pageContext, header: header, document: doc, versions: versions, group: q.group, page: page).renderBytes()
        if let key { PublicationCache.shared.putPage(key, bytes) }
        return htmlResponse(bytes)
    }

    static func htmlResponse(_ bytes: [UInt8]) -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .html
        return Response(status: .ok, headers: headers, body: .init(buffer: ByteBuffer(bytes: bytes)))
    }

    @Sendable static func unit(req: Request) async throws -> Response {
        let (header, doc, _) = try await publication(req)
        guard let unitID = req.parameters.get("unitID"), let row = doc.payload.results.first(where: { $0.unitID == unitID.uppercased() || $0.unitID == unitID }),
            let fw = doc.payload.frameworks.first(where: { $0.code == row.framework })
        else { throw AppError.notFound }
        return PublicPages.unit(req.pageContext, header: header, payload: doc.payload, row: row, framework: fw).response()
    }
}

struct PublicationHeader: Sendable {
    let cycleID: UUID
    let number: Int
    let digest: String
    let publishedMillis: Int64
}

/// A decoded publication with its rows grouped once, ready for paging.
struct PublishedDocument: Sendable {
    let payload: PublicationPayload
    let intact: Bool
    let publishedMillis: Int64
    let groups: [String]
    let rowsByGroup: [String: [PublicationPayload.UnitRow]]

    init(payload: PublicationPayload, intact: Bool, publishedMillis: Int64) {
        self.payload = payload
        self.intact = intact
        self.publishedMillis = publishedMillis
        var order: [String] = []
        var by: [String: [PublicationPayload.UnitRow]] = [:]
        for r in payload.results {
            if by[r.group] == nil { order.append(r.group) }
            by[r.group, default: []].append(r)
        }
        groups = order
        rowsByGroup = by
    }
}

final class PublicationCache: Sendable {
    static let shared = PublicationCache()
    private let entries = Mutex<[UUID: PublishedDocument]>([:])
    private let pages = Mutex<[String: [UInt8]]>([:])

    func page(_ key: String) -> [UInt8]? { pages.withLock { $0[key] } }

    func putPage(_ key: String, _ bytes: [UInt8]) {
        pages.withLock { p in
            if p.count > 1_000 { p.removeAll() }
            p[key] = bytes
        }
    }

    func get(_ id: UUID) -> PublishedDocument? { entries.withLock { $0[id] } }

    func put(_ id: UUID, _ doc: PublishedDocument) {
        entries.withLock { e in
            if e.count > 64 { e.removeAll() }  // a handful of cycles a year: a crude bound is enough
            e[id] = doc
        }
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

    static let pageSize = 100

    static func cycle(_ ctx: PageContext, header pub: PublicationHeader, document doc: PublishedDocument, versions: [Int], group: String?, page: Int) -> HTMLNode {
        let t = ctx.t
        let payload = doc.payload
        let places = payload.frameworks.first?.places ?? 2
        let cycleID = pub.cycleID
        let shown = group.flatMap { g in doc.groups.contains(g) ? [g] : nil } ?? doc.groups
        func link(group g: String?, page p: Int) -> String {
            var c = URLComponents()
            c.path = SiteURL.publicCycle(cycleID).path
            c.queryItems = [URLQueryItem(name: "v", value: String(pub.number))] + (g.map { [URLQueryItem(name: "group", value: $0)] } ?? [])
                + (p > 1 ? [URLQueryItem(name: "page", value: String(p))] : [])
            return c.string ?? c.path
        }
        return Layout.page(ctx, title: payload.name) {
            H.h1 { payload.name }
            H.div(.class("card")) {
                Components.facts([
                    (t("public.version", String(pub.number)), t.dateTime(Date(timeIntervalSince1970: Double(pub.publishedMillis) / 1000))),
                    (t("public.units"), t.number(payload.results.count)),
                ])
                H.p { t("public.digest") + " "; H.code(.class("digest")) { pub.digest } }
                H.p(.class(doc.intact ? "hint" : "warning")) { t(doc.intact ? "public.intact" : "public.tampered") }
                if let e = payload.errata { H.div(.class("notice")) { t("cycle.errata") + ": " + e } }
                if versions.count > 1 {
                    H.p {
                        t("public.otherVersions") + " "
                        for v in versions where v != pub.number {
                            H.a(.href(SiteURL.publicCycle(cycleID).path + "?v=" + String(v))) { t("public.version", String(v)) }
                            " "
                        }
                    }
                }
            }
            if doc.groups.count > 1 {
                H.nav(.aria("label", t("public.groups")), .class("filters")) {
                    H.a(.href(link(group: nil, page: 1)), .aria("current", group == nil ? "page" : nil)) { t("public.allGroups") }
                    for g in doc.groups { H.a(.href(link(group: g, page: 1)), .aria("current", group == g ? "page" : nil)) { g } }
                }
            }
            for g in shown {
                let rows = doc.rowsByGroup[g] ?? []
                let pageCount = max(1, (rows.count + pageSize - 1) / pageSize)
                let p = group == nil ? 1 : min(page, pageCount)
                let slice = rows[min(rows.count, (p - 1) * pageSize)..<min(rows.count, p * pageSize)]
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
                            for r in slice {
                                H.tr {
                                    H.td(.class("num")) { String(r.rank) }
                                    H.td { H.a(.href(SiteURL.publicCycle(cycleID).path + "/units/" + r.unitID + "?v=" + String(pub.number))) { r.name } }
                                    H.td(.class("num")) { num(r.final, t, places: places) }
                                    H.td(.class("num")) { num(r.applicableMax, t, places: places) }
                                    H.td(.class("num")) { num(r.percent, t, places: places) }
                                    H.td { r.band ?? "" }
                                }
                            }
                        }
                    }
                }
                if group != nil {
                    Components.pagination(t, page: p, pageCount: pageCount) { link(group: g, page: $0) }
                } else if rows.count > pageSize {
                    H.p { H.a(.href(link(group: g, page: 2))) { t("public.moreRows", t.number(rows.count - pageSize)) } }
                }
            }
            H.div(.class("actions")) {
                H.a(.class("button secondary"), .href(SiteURL.publicCycle(cycleID).path + "/export/xlsx?v=" + String(pub.number))) { t("export.xlsx") }
                H.a(.class("button secondary"), .href(SiteURL.publicCycle(cycleID).path + "/export/csv?v=" + String(pub.number))) { t("export.csv") }
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

    static func unit(_ ctx: PageContext, header pub: PublicationHeader, payload: PublicationPayload, row: PublicationPayload.UnitRow, framework fw: PublicationPayload.FrameworkInfo) -> HTMLNode {
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
            H.p { H.a(.href(SiteURL.publicCycle(pub.cycleID).path + "?v=" + String(pub.number))) { t("public.back") } }
            H.p(.class("hint")) { t("public.digest") + " "; H.code(.class("digest")) { pub.digest } }
        }
    }
}

extension PublicIndexController {
    /// The published ranking as CSV or XLSX, for anyone, straight from the immutable snapshot.
    @Sendable static func export(req: Request) async throws -> Response {
        let (header, doc, _) = try await publication(req)
        let format = req.parameters.get("format")
        let head = ["Nhóm", "Xếp hạng", "Mã đơn vị", "Tên đơn vị", "Tổng điểm", "Điểm tối đa áp dụng", "Chỉ số (%)", "Xếp loại", "Điểm thưởng", "Điểm trừ"]
        let rows = doc.payload.results.map { r in [r.group, String(r.rank), r.code, r.name, r.final, r.applicableMax, r.percent, r.band ?? "", r.bonus, r.penalty] }
        var headers = HTTPHeaders()
        let name = "chi-so-cchc-\(doc.payload.year)-ban-\(header.number)"
        switch format {
        case "csv":
            headers.replaceOrAdd(name: .contentType, value: "text/csv; charset=utf-8")
            headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(name).csv\"")
            // Streamed in chunks: a province's full ranking never sits in memory twice.
            let lines = [head] + rows
            return Response(status: .ok, headers: headers, body: .init(asyncStream: { writer in
                var buffer = ByteBuffer(data: CSVCodec.bom)
                for line in lines {
                    buffer.writeString(CSVCodec.line(line))
                    if buffer.readableBytes > 64 * 1024 {
                        try await writer.write(.buffer(buffer))
                        buffer = ByteBuffer()
                    }
                }
                try await writer.write(.buffer(buffer))
                try await writer.write(.end)
            }))
        case "xlsx":
            let numeric: Set<Int> = [1, 4, 5, 6, 8, 9]
            let sheet = XLSXSheet(name: "Xep hang", header: head, rows: rows.map { r in r.enumerated().map { numeric.contains($0.offset) ? .number($0.element) : .text($0.element) } })
            headers.replaceOrAdd(name: .contentType, value: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(name).xlsx\"")
            return Response(status: .ok, headers: headers, body: .init(data: try XLSXWriter.write([sheet])))
        default:
            throw AppError.notFound
        }
    }
}
