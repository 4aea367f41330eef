import Crypto
import Fluent
import SQLKit
import Vapor
import ThiDuaCore

/// Restores the signed-in user from the session cookie: one lookup by token hash, one for the user's grants.
struct SessionAuthMiddleware: AsyncMiddleware {
    static let cookieName = "thidua_session"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        var clearCookie = false
        if let token = request.cookie(named: Self.cookieName) {
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

    private struct SessionRow: Decodable {
        let session_id: UUID
        let user_id: UUID
        let created_ms: Int64
        let last_seen_ms: Int64
        let username: String
        let display_name: String
        let is_active: Bool
        let must_change_password: Bool
    }

    private struct GrantRow: Decodable {
        let role: String
        let unit_id: UUID
    }

    /// Two plain SQL reads on every signed-in request (session with its user, then the grants): this runs before
    /// every page, so it skips the model layer.
    static func restore(token: String, request: Request, now: Date = Date()) async throws -> CurrentUser? {
        guard token.count >= 32, token.count <= 64, let sql = request.db as? any SQLDatabase else { return nil }
        guard let row = try await sql.raw("""
            SELECT s.id AS session_id, s.user_id, s.created_ms, s.last_seen_ms, u.username, u.display_name, u.is_active,
                   u.must_change_password
            FROM user_sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = \(bind: hash(token))
            """).first(decoding: SessionRow.self)
        else { return nil }
        let config = request.application.config
        let nowMs = Int64(now.timeIntervalSince1970 * 1000)
        let idleLimit = Int64(config.sessionIdleMinutes) * 60_000
        let maxLimit = Int64(config.sessionMaxHours) * 3_600_000
        if nowMs - row.last_seen_ms > idleLimit || nowMs - row.created_ms > maxLimit || !row.is_active {
            try await request.db.inWriteTurn { try await UserSession.query(on: request.db).filter(\.$id == row.session_id).delete() }
            return nil
        }
        // Touch at most once a minute: a write per page view would be wasted work.
        if nowMs - row.last_seen_ms > 60_000 {
            try await request.db.inWriteTurn {
                try await UserSession.query(on: request.db).filter(\.$id == row.session_id).set(\.$lastSeenMillis, to: nowMs).update()
            }
        }
        let grants = try await sql.raw("SELECT role, unit_id FROM role_grants WHERE user_id = \(bind: row.user_id)").all(decoding: GrantRow.self)
            .compactMap { g in Role(rawValue: g.role).map { Grant(role: $0, unitID: g.unit_id) } }
        return CurrentUser(
            id: row.user_id, username: row.username, displayName: row.display_name, grants: grants,
            mustChangePassword: row.must_change_password)
    }

    /// Starts a new session (a fresh token: no fixation) and returns the cookie to set.
    static func start(for userID: UUID, request: Request) async throws -> HTTPCookies.Value {
        let token = CSRFMiddleware.newToken()
        try await request.db.inWriteTurn { try await UserSession(tokenHash: hash(token), userID: userID, now: Date()).create(on: request.db) }
        return HTTPCookies.Value(
            string: token, maxAge: request.application.config.sessionMaxHours * 3600, path: "/",
            isSecure: request.application.config.secureCookies, isHTTPOnly: true, sameSite: .lax)
    }

    static func end(request: Request) async throws {
        guard let token = request.cookie(named: cookieName) else { return }
        try await request.db.inWriteTurn { try await UserSession.query(on: request.db).filter(\.$tokenHash == hash(token)).delete() }
    }
}
