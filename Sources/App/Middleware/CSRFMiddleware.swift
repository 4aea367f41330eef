import Crypto
import Vapor

/// Double-submit protection: the browser holds a random token in a SameSite=Strict, HttpOnly cookie and every
/// form posts the same value in `_csrf`. A page on another site can make the browser send the cookie but can
/// neither read it nor put it in the form. Stateless, so it works before sign-in and across app servers.
struct CSRFMiddleware: AsyncMiddleware {
    static let cookieName = "thidua_csrf"
    static let fieldName = "_csrf"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let existing = request.cookie(named: Self.cookieName).flatMap { $0.count == 43 ? $0 : nil }
        let token = existing ?? Self.newToken()
        request.csrfToken = token

        // The JSON API authenticates by bearer token, never by cookie: a forged cross-site request has no token.
        if ![.GET, .HEAD, .OPTIONS].contains(request.method) && !request.url.path.hasPrefix("/api/") {
            guard let existing, let sent = try await Self.submittedToken(request), Self.constantTimeEqual(sent, existing)
            else {
                throw Abort(.forbidden, reason: "csrf")
            }
        }
        let response = try await next.respond(to: request)
        if existing == nil {
            response.cookies[Self.cookieName] = HTTPCookies.Value(
                string: token, maxAge: nil, path: "/", isSecure: request.application.config.secureCookies,
                isHTTPOnly: true, sameSite: .strict)
        }
        return response
    }

    /// Multipart uploads carry the token in the query string too, so it can be checked before a large body is
    /// read; regular forms carry it in the body.
    static func submittedToken(_ req: Request) async throws -> String? {
        if let query = req.url.query, let q = FormBody.value(fieldName, in: query) { return q }
        if req.body.data == nil {
            // The future-based collect stores the body on the request (the AsyncSequence one would consume it).
            _ = try await req.body.collect(max: req.application.config.maxUploadBytes + 64 * 1024).get()
        }
        if req.isURLEncodedForm, let body = req.body.string {
            return FormBody.value(fieldName, in: body)
        }
        return try? req.content.get(String.self, at: fieldName)
    }

    static func newToken() -> String {
        let bytes = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        return bytes.base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var diff: UInt8 = 0
        for i in 0..<x.count { diff |= x[i] ^ y[i] }
        return diff == 0
    }
}
