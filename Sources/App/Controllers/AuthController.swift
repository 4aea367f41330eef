import Fluent
import Vapor
import ThiDuaCore

enum AuthController {
    struct LoginForm: Content {
        var username: String?
        var password: String?
        var next: String?
    }

    @Sendable static func loginForm(req: Request) async throws -> Response {
        if req.currentUser != nil { return req.redirect(to: SiteURL.home.path) }
        let next = try? req.query.get(String.self, at: "next")
        return LoginPage.render(req.pageContext, username: "", next: safeNext(next), error: nil).response()
    }

    @Sendable static func login(req: Request) async throws -> Response {
        let form = (try? req.content.decode(LoginForm.self)) ?? LoginForm()
        let username = VietnameseText.normalize(form.username ?? "").lowercased()
        let password = form.password ?? ""
        let next = safeNext(form.next)
        let config = req.application.config
        let now = Date()
        let keys = ["u:" + username, "ip:" + SessionAuthMiddleware.hash(req.remoteAddress?.ipAddress ?? "?")]
        let windowStart = Int64(now.addingTimeInterval(-Double(config.loginLockMinutes * 60)).timeIntervalSince1970 * 1000)
        let userFailures = try await LoginFailure.query(on: req.db).filter(\.$key == keys[0])
            .filter(\.$atMillis >= windowStart).count()
        let ipFailures = try await LoginFailure.query(on: req.db).filter(\.$key == keys[1])
            .filter(\.$atMillis >= windowStart).count()
        if userFailures >= config.loginMaxFailures || ipFailures >= config.loginMaxFailures * 4 {
            req.logger.warning("login throttled", metadata: ["username": .string(username)])
            return LoginPage.render(
                req.pageContext, username: username, next: next,
                error: req.t("login.throttled", String(config.loginLockMinutes))
            ).response(status: .tooManyRequests)
        }
        let user = username.isEmpty ? nil : try await User.query(on: req.db).filter(\.$username == username).first()
        // Verify against a fixed hash when the user is unknown, so timing does not reveal which names exist.
        let hash = user?.passwordHash ?? dummyHash
        let verified = (try? await req.password.async.verify(password, created: hash)) ?? false
        guard let user, verified, user.isActive, let uid = user.id else {
            try await req.db.inWriteTurn { for k in keys { try await LoginFailure(key: k, at: now).create(on: req.db) } }
            req.logger.info("login failed", metadata: ["username": .string(username)])
            return LoginPage.render(req.pageContext, username: username, next: next, error: req.t("login.failed"))
                .response(status: .unauthorized)
        }
        try await req.db.inWriteTurn { try await LoginFailure.query(on: req.db).filter(\.$key == keys[0]).delete() }
        try await SessionAuthMiddleware.end(request: req)
        let cookie = try await SessionAuthMiddleware.start(for: uid, request: req)
        let target = user.mustChangePassword ? SiteURL.account.path : next
        let response = req.redirect(to: target)
        response.cookies[SessionAuthMiddleware.cookieName] = cookie
        req.logger.info("login", metadata: ["username": .string(username)])
        return response
    }

    @Sendable static func logout(req: Request) async throws -> Response {
        try await SessionAuthMiddleware.end(request: req)
        let response = req.redirect(to: SiteURL.login.path + "?bye=1")
        response.cookies[SessionAuthMiddleware.cookieName] = .expired
        return response
    }

    struct PasswordForm: Content {
        var current: String?
        var new: String?
        var confirm: String?
    }

    @Sendable static func passwordForm(req: Request) async throws -> Response {
        let user = try req.signedIn()
        return PasswordPage.render(req.pageContext, user: user, errors: [], done: false).response()
    }

    @Sendable static func changePassword(req: Request) async throws -> Response {
        let me = try req.signedIn()
        let form = (try? req.content.decode(PasswordForm.self)) ?? PasswordForm()
        let t = req.t
        guard let user = try await User.find(me.id, on: req.db) else { throw AppError.notSignedIn }
        var errors: [Components.FieldError] = []
        let currentOK = (try? await req.password.async.verify(form.current ?? "", created: user.passwordHash)) ?? false
        if !currentOK { errors.append(.init(field: "current", message: t("password.currentWrong"))) }
        let new = form.new ?? ""
        if let problem = PasswordRules.problem(new, username: user.username) {
            errors.append(.init(field: "new", message: t(problem)))
        } else if new == form.current {
            errors.append(.init(field: "new", message: t("password.same")))
        }
        if new != form.confirm { errors.append(.init(field: "confirm", message: t("password.mismatch"))) }
        guard errors.isEmpty else {
            return PasswordPage.render(req.pageContext, user: me, errors: errors, done: false).response(status: .badRequest)
        }
        let hash = try await req.password.async.hash(new)
        try await req.db.writing(as: me.actor, reason: "password change") { tx, audit in
            user.passwordHash = hash
            user.mustChangePassword = false
            try await user.update(on: tx)
            audit.record(.update, type: User.auditType, id: me.id.uuidString, before: nil, after: ["event": "password_changed"])
            // Other browsers signed in with the old password are signed out.
            let keep = req.cookies[SessionAuthMiddleware.cookieName].map { SessionAuthMiddleware.hash($0.string) } ?? ""
            try await UserSession.query(on: tx).filter(\.$user.$id == me.id).filter(\.$tokenHash != keep).delete()
        }
        return PasswordPage.render(req.pageContext, user: me, errors: [], done: true).response()
    }

    @Sendable static func language(req: Request) async throws -> Response {
        let lang = Lang(rawValue: req.parameters.get("lang") ?? "") ?? .vi
        let next = safeNext(try? req.query.get(String.self, at: "next"))
        let response = req.redirect(to: next)
        response.cookies["thidua_lang"] = HTTPCookies.Value(
            string: lang.rawValue, maxAge: 365 * 24 * 3600, path: "/",
            isSecure: req.application.config.secureCookies, isHTTPOnly: true, sameSite: .lax)
        return response
    }

    static let dummyHash: String = (try? Bcrypt.hash("not-a-real-password-0", cost: 12)) ?? ""

    /// Only paths on this site: "//evil.example" and "https://…" would make an open redirect.
    static func safeNext(_ raw: String?) -> String {
        guard let raw, raw.hasPrefix("/"), !raw.hasPrefix("//"), !raw.hasPrefix("/\\"), raw.count < 512,
            !raw.contains("\r"), !raw.contains("\n")
        else { return SiteURL.home.path }
        return raw
    }
}

enum PasswordRules {
    static let minLength = 10

    /// A catalog key describing what is wrong, or nil.
    static func problem(_ password: String, username: String) -> String? {
        if password.count < minLength { return "password.tooShort" }
        if password.count > 128 { return "password.tooLong" }
        if password.lowercased().contains(username.lowercased()) && !username.isEmpty { return "password.containsUsername" }
        let hasLetter = password.contains { $0.isLetter }
        let hasDigit = password.contains { $0.isNumber }
        if !hasLetter || !hasDigit { return "password.weak" }
        return nil
    }
}
