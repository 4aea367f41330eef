import Vapor

/// Turns every error into a friendly page in the user's language. Raw error text never reaches the page;
/// unexpected errors are logged with their detail and shown as a generic 500.
struct ErrorPageMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch let error as AppError where error.status == .unauthorized {
            let next = request.url.path + (request.url.query.map { "?" + $0 } ?? "")
            return request.redirect(to: SiteURL.login.path + "?next=" + (next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/"))
        } catch {
            let status: HTTPResponseStatus
            var key: String
            switch error {
            case let e as AppError:
                status = e.status
                switch e {
                case .badRequest(let k), .refused(let k): key = k
                default: key = "error.\(status.code)"
                }
            case let e as any AbortError:
                status = e.status
                key = e.reason == "csrf" ? "error.csrf" : "error.\(status.code)"
            case is DecodingError:
                status = .badRequest
                key = "error.400"
            default:
                status = .internalServerError
                key = "error.500"
            }
            if status.code >= 500 {
                request.logger.error("request failed", metadata: ["error": .string(String(reflecting: error)), "path": .string(request.url.path)])
            } else {
                request.logger.info("request refused", metadata: ["status": .stringConvertible(status.code), "path": .string(request.url.path)])
            }
            if Catalog.vi[key] == nil { key = status.code >= 500 ? "error.500" : "error.generic" }
            // The JSON API answers in JSON, errors included (an oversize body is refused before its handler runs).
            if request.url.path.hasPrefix("/api/") {
                if status == .notFound, let allowed = DossierAPIController.methods[request.url.path], !allowed.contains(request.method) {
                    let response = DossierAPIController.fail(.methodNotAllowed, "method_not_allowed", "Phương thức \(request.method.rawValue) không được hỗ trợ ở địa chỉ này.")
                    response.headers.replaceOrAdd(name: .allow, value: allowed.map(\.rawValue).joined(separator: ", "))
                    return response
                }
                return DossierAPIController.fail(status, "http_\(status.code)", Localizer(lang: .vi)(key))
            }
            let ctx = request.pageContext
            let t = ctx.t
            let page = Layout.page(ctx, title: t("error.title." + (Catalog.vi["error.title.\(status.code)"] != nil ? String(status.code) : "generic"))) {
                H.h1 { t("error.title." + (Catalog.vi["error.title.\(status.code)"] != nil ? String(status.code) : "generic")) }
                H.p { t(key) }
                H.p(.class("muted")) { t("error.code", String(status.code)) }
                H.div(.class("actions")) {
                    H.a(.class("button"), .href(SiteURL.home.path)) { t("error.home") }
                    if ctx.user == nil && status == .forbidden { H.a(.href(SiteURL.login.path)) { t("nav.login") } }
                }
            }
            let response = page.response(status: status)
            if status == .tooManyRequests { response.headers.replaceOrAdd(name: "Retry-After", value: "60") }
            return response
        }
    }
}
