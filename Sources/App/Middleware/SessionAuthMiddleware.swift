import Crypto
import Fluent
import Vapor
import ThiDuaCore

/// Restores the signed-in user from the session cookie: one lookup by token hash, one for the user's grants.
struct SessionAuthMiddleware: AsyncMiddleware {
    static let cookieName = "thidua_session"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        var clearCookie = false
        if let token = request.cookies[Self.cookieName]?.string {
            if let user = try await Self.restore(token: token, request: request) {
                request.auth.login(user)
            } else {
                clearCookie = true
            }
        }
        let response = try await next.respond(to: request)
        if clearCookie && response.cookies[Self.cookieName] == nil {
            response.cookies[Self.cookieName] = .expired
        }
        return response
    }

    static func hash(_ token: String) -> String {
        Digest.sha256(Data(token.utf8))
    }

    static func restore(token: String, request: Request, now: Date = Date()) async throws -> CurrentUser? {
        guard token.count >= 32, token.count <= 64 else { return nil }
        guard let session = try await UserSession.query(on: request.db).filter(\.$tokenHash == hash(token)).first()
        else { return nil }
        let config = request.application.config
        let nowMs = Int64(now.timeIntervalSince1970 * 1000)
        let idleLimit = Int64(config.sessionIdleMinutes) * 60_000
        let maxLimit = Int64(config.sessionMaxHours) * 3_600_000
        if nowMs - session.lastSeenMillis > idleLimit || nowMs - session.createdMillis > maxLimit {
            try await session.delete(on: request.db)
            return nil
        }
        guard let user = try await User.find(session.$user.id, on: request.db), user.isActive, let uid = user.id else {
            try await session.delete(on: request.db)
            return nil
        }
        // Touch at most once a minute: a write per page view would be wasted work.
        if nowMs - session.lastSeenMillis > 60_000 {
            session.lastSeenMillis = nowMs
            try await session.update(on: request.db)
        }
        let grants = try await RoleGrant.query(on: request.db).filter(\.$user.$id == uid).all().compactMap(\.grant)
        return CurrentUser(
            id: uid, username: user.username, displayName: user.displayName, grants: grants,
            mustChangePassword: user.mustChangePassword)
    }

    /// Starts a new session (a fresh token: no fixation) and returns the cookie to set.
    static func start(for userID: UUID, request: Request) async throws -> HTTPCookies.Value {
        let token = CSRFMiddleware.newToken()
        try await UserSession(tokenHash: hash(token), userID: userID, now: Date()).create(on: request.db)
        return HTTPCookies.Value(
            string: token, maxAge: request.application.config.sessionMaxHours * 3600, path: "/",
            isSecure: request.application.config.secureCookies, isHTTPOnly: true, sameSite: .lax)
    }

    static func end(request: Request) async throws {
        guard let token = request.cookies[cookieName]?.string else { return }
        try await UserSession.query(on: request.db).filter(\.$tokenHash == hash(token)).delete()
    }
}
