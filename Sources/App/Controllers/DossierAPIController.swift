import Fluent
import Foundation
import SQLKit
import Vapor
import ThiDuaCore

/// The JSON API of one-stop systems (described by `docs/openapi.json`, served at /api/v1/openapi.json).
/// Every answer is JSON, errors included: `{"error": code, "message": Vietnamese text, "items": [...]}`.
enum DossierAPIController {
    struct APIError: Content {
        let error: String
        let message: String
        var items: [IngestRefusal.Item]?
    }

    static func fail(_ status: HTTPResponseStatus, _ code: String, _ message: String, items: [IngestRefusal.Item]? = nil) -> Response {
        json(status, APIError(error: code, message: message, items: items))
    }

    static func json(_ status: HTTPResponseStatus, _ value: some Encodable) -> Response {
        let data = (try? JSONEncoder.sorted.encode(value)) ?? Data("{}".utf8)
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "application/json; charset=utf-8")
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return Response(status: status, headers: headers, body: .init(data: data))
    }

    enum Authorisation {
        case success(APIToken)
        case failure(Response)
    }

    /// The token behind the Authorization header, if valid, not revoked and holding `scope`; else the answer to send.
    static func authorise(_ req: Request, scope: String) async throws -> Authorisation {
        guard let header = req.headers.first(name: .authorization), header.count < 200,
            header.lowercased().hasPrefix("bearer ")
        else {
            return .failure(fail(.unauthorized, "token_missing", "Thiếu mã truy cập (Authorization: Bearer …)."))
        }
        let secret = String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)
        guard let token = try await APIToken.query(on: req.db).filter(\.$tokenHash == APIToken.hash(secret)).first() else {
            return .failure(fail(.unauthorized, "token_invalid", "Mã truy cập không hợp lệ."))
        }
        if token.revokedMs != nil { return .failure(fail(.unauthorized, "token_revoked", "Mã truy cập đã bị thu hồi.")) }
        guard token.scopes.contains(scope) else {
            return .failure(fail(.forbidden, "scope", "Mã truy cập không có quyền \(scope)."))
        }
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        if (token.lastUsedMs ?? 0) < now - 60_000 {
            token.lastUsedMs = now
            try? await req.db.inWriteTurn { try await token.update(on: req.db) }
        }
        return .success(token)
    }

    /// POST /api/v1/dossiers: `{"dossiers": [{…}, …]}`, at most 5,000 per batch. All or nothing for problems in the
    /// items; unknown procedures or units are kept aside and reported. Re-sending a code replaces that dossier.
    @Sendable static func ingest(req: Request) async throws -> Response {
        let token: APIToken
        switch try await authorise(req, scope: "dossiers:write") {
        case .success(let t): token = t
        case .failure(let r): return r
        }
        guard let body = req.body.data, body.readableBytes > 0 else {
            return fail(.badRequest, "empty", "Yêu cầu không có nội dung JSON.")
        }
        // The route refuses larger bodies before reading them; this holds whatever the route's settings become.
        guard body.readableBytes <= DossierService.maxBatchBytes else {
            return fail(.payloadTooLarge, "body_too_large", "Nội dung quá lớn: tối đa \(DossierService.maxBatchBytes / 1024 / 1024) MB mỗi lần gửi.")
        }
        let timer = PhaseTimer()
        guard case .object(let object)? = JSONReader.parse(Array(body.readableBytesView)), case .array(let list)? = object["dossiers"] else {
            return fail(.badRequest, "json", "Nội dung không phải JSON hợp lệ dạng {\"dossiers\": [...]}.")
        }
        guard list.count <= DossierService.maxBatch else {
            return fail(.unprocessableEntity, "batch_too_large", "Mỗi lần gửi tối đa \(DossierService.maxBatch) hồ sơ (đã gửi \(list.count)).")
        }
        // Types as the OpenAPI document says: flags are JSON booleans, everything else strings; null is absent.
        var items: [(String) -> String?] = []
        items.reserveCapacity(list.count)
        var shapeProblems: [IngestRefusal.Item] = []
        for (i, raw) in list.enumerated() {
            guard case .object(let o) = raw else {
                shapeProblems.append(.init(index: i, code: nil, field: "", problem: "problem.invalidValue", value: "not an object"))
                continue
            }
            for (k, v) in o {
                guard DossierInput.fields.contains(k) else {
                    shapeProblems.append(.init(index: i, code: nil, field: String(k.prefix(40)), problem: "problem.unknownField", value: nil))
                    continue
                }
                switch (v, DossierInput.flagFields.contains(k)) {
                case (.string(let s), false):
                    if let allowed = DossierInput.apiValues[k], !allowed.contains(s) {
                        shapeProblems.append(.init(index: i, code: nil, field: k, problem: "problem.invalidValue", value: String(s.prefix(40))))
                    }
                case (.bool, true), (.null, _): break
                default: shapeProblems.append(.init(index: i, code: nil, field: k, problem: "problem.invalidValue", value: DossierInput.flagFields.contains(k) ? "boolean" : "string"))
                }
            }
            // Read from the object as checked above (no copy per dossier): any shape problem stops the batch before
            // these are read; a string longer than 200 characters is cut (the field rules refuse it anyway).
            items.append { key in
                switch o[key] {
                case .string(let s)?: s.utf8.count <= 200 ? s : String(s.prefix(200))
                case .bool(let b)?: b ? "true" : "false"
                default: nil
                }
            }
        }
        timer.mark("parse")
        let t = Localizer(lang: .vi)
        if !shapeProblems.isEmpty {
            return fail(.unprocessableEntity, "invalid_items", "Có hồ sơ sai cấu trúc; không hồ sơ nào được lưu.", items: shapeProblems)
        }
        switch DossierService.check(items) {
        case .failure(let refusal):
            let detailed = refusal.items.map {
                IngestRefusal.Item(index: $0.index, code: $0.code, field: $0.field, problem: t($0.problem, $0.value ?? ""), value: $0.value)
            }
            return fail(.unprocessableEntity, "invalid_items", "Có \(Set(detailed.map(\.index)).count) hồ sơ sai; không hồ sơ nào được lưu.", items: detailed)
        case .success(let inputs):
            timer.mark("check")
            let report = try await DossierService.ingest(
                inputs, source: "api:" + token.name, actor: Actor(id: nil, name: "api:" + token.name), on: req.db, timer: timer)
            let response = json(.ok, report)
            response.headers.replaceOrAdd(name: "Server-Timing", value: timer.header)
            return response
        }
    }

    struct IndicatorLine: Content {
        let unitCode: String
        let unitName: String
        let received: Int
        let resolved: Int
        let early: Int
        let onTime: Int
        let late: Int
        let onTimeRate: String?
        let overdueRate: String?
        let onlineRate: String?
        let onlinePaymentRate: String?
        let digitisationRate: String?
        let satisfactionRate: String?
        let averageDays: String?
        let timeCut: String?
    }

    struct IndicatorsAnswer: Content {
        let year: Int
        let period: String
        let units: [IndicatorLine]
    }

    /// GET /api/v1/indicators?year=2026&period=q1: indicators per unit for the period (percentages as decimal strings).
    @Sendable static func indicators(req: Request) async throws -> Response {
        switch try await authorise(req, scope: "indicators:read") {
        case .success: break
        case .failure(let r): return r
        }
        // Each parameter at most once; a given one must be valid (a wrong one is not silently replaced by the default).
        let items = URLComponents(string: "?" + (req.url.query ?? ""))?.queryItems ?? []
        func single(_ name: String) -> String?? {
            let values = items.filter { $0.name == name }
            guard values.count <= 1 else { return .some(nil) }
            return values.first.map { $0.value ?? "" }
        }
        let rawYear = single("year"), rawPeriod = single("period")
        let year = rawYear.map { $0.flatMap { Int($0) } ?? -1 } ?? CivilDate.today().year
        let code = rawPeriod.map { $0 ?? "" } ?? "y"
        guard ReportPeriod.codes.contains(code), (2000...2100).contains(year) else {
            return fail(.badRequest, "period", "Kỳ báo cáo không hợp lệ: year 2000–2100, period m1…m12, q1…q4, h1, n9, y.")
        }
        let p = ReportPeriod(year: year, code: code)
        let lines = try await PerformanceService.byUnit(p, scope: nil, on: req.db)
        return json(.ok, IndicatorsAnswer(year: year, period: code, units: lines.map { l in
            let i = l.indicators
            return IndicatorLine(
                unitCode: l.code, unitName: l.name, received: l.tally.received, resolved: l.tally.resolved, early: l.tally.early, onTime: l.tally.onTime,
                late: l.tally.late, onTimeRate: i.onTimeRate?.plain(places: 2), overdueRate: i.overdueRate?.plain(places: 2),
                onlineRate: i.onlineRate?.plain(places: 2), onlinePaymentRate: i.onlinePaymentRate?.plain(places: 2),
                digitisationRate: i.digitisationRate?.plain(places: 2), satisfactionRate: i.satisfactionRate?.plain(places: 2),
                averageDays: i.averageDays?.plain(places: 2), timeCut: i.timeCut?.plain(places: 2))
        }))
    }

    /// The methods each API path answers (documented in the OpenAPI file); any other method is 405 with `Allow`.
    static let methods: [String: [HTTPMethod]] = [
        "/api/v1/dossiers": [.POST], "/api/v1/indicators": [.GET, .HEAD], "/api/v1/openapi.json": [.GET, .HEAD],
    ]

    /// The OpenAPI document (the same file as docs/openapi.json, compiled in).
    @Sendable static func openAPI(req: Request) async throws -> Response {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "application/json; charset=utf-8")
        return Response(status: .ok, headers: headers, body: .init(string: OpenAPIDocument.json))
    }
}
