import Fluent
import Vapor
import ThiDuaCore

/// Accounts and their unit-scoped roles. An administrator sees and grants only within the units they
/// administer: the admin of one department cannot hand out rights in another.
enum UserAdminController {
    @Sendable static func index(req: Request) async throws -> Response {
        let me = try req.require(.manageUsers)
        let scope = try await UnitQueries.scope(of: me, .manageUsers, on: req.db)
        let grants = try await RoleGrant.query(on: req.db).all()
        let visibleUserIDs: Set<UUID>? = scope.map { s in Set(grants.filter { s.contains($0.$unit.id) }.map { $0.$user.id }) }
        let q = User.query(on: req.db).sort(\.$username)
        if let ids = visibleUserIDs { q.filter(\.$id ~~ ids) }
        let users = try await q.all()
        let rows = users.compactMap { u -> AdminPages.UserRow? in
            guard let id = u.id else { return nil }
            let roles = grants.filter { $0.$user.id == id }.compactMap { Role(rawValue: $0.roleRaw) }
            return .init(id: id, username: u.username, displayName: u.displayName, active: u.isActive, roles: roles)
        }
        return AdminPages.index(req.pageContext, rows: rows).response()
    }

    struct NewUserForm: Content {
        var username: String?
        var display_name: String?
        var role: String?
        var unit_id: String?
        var email: String?
    }

    /// An optional e-mail field: empty is nil, anything else must be one valid address.
    enum EmailField {
        case value(String?)
        case problem(Components.FieldError)
    }

    static func email(_ raw: String?, _ t: Localizer) -> EmailField {
        let s = (raw ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if s.isEmpty { return .value(nil) }
        do { return .value(try EmailAddress(validating: s).value) } catch {
            return .problem(.init(field: "email", message: t(error == .tooLong ? "email.tooLong" : "email.invalid")))
        }
    }

    @Sendable static func new(req: Request) async throws -> Response {
        let me = try req.require(.manageUsers)
        let units = try await UnitQueries.parentChoices(on: req.db, user: me, action: .manageUsers)
        return AdminPages.newUser(req.pageContext, form: NewUserForm(), units: units, errors: []).response()
    }

    @Sendable static func create(req: Request) async throws -> Response {
        let me = try req.require(.manageUsers)
        let f = (try? req.content.decode(NewUserForm.self)) ?? NewUserForm()
        let t = req.t
        var errors: [Components.FieldError] = []
        let username = VietnameseText.normalize(f.username ?? "").lowercased()
        if !UserAccounts.isValidUsername(username) { errors.append(.init(field: "username", message: t("user.usernameRule"))) }
        else if try await User.query(on: req.db).filter(\.$username == username).count() > 0 {
            errors.append(.init(field: "username", message: t("problem.alreadyExists", username)))
        }
        var displayName = ""
        switch FieldRules.name(f.display_name ?? "", max: 128) {
        case .success(let n): displayName = n
        case .failure(let p): errors.append(.init(field: "display_name", message: t.problem(p.key, p.argument)))
        }
        var emailValue: String?
        switch email(f.email, t) {
        case .value(let e): emailValue = e
        case .problem(let e): errors.append(e)
        }
        let role = Role(rawValue: f.role ?? "")
        if role == nil { errors.append(.init(field: "role", message: t("problem.required"))) }
        let unitID = UUID(uuidString: f.unit_id ?? "")
        if let unitID, try await Unit.find(unitID, on: req.db) != nil {
            let path = try await UnitTree.path(of: unitID, on: req.db)
            if !AccessPolicy.allows(me.grants, .manageUsers, unitPath: path) { errors.append(.init(field: "unit_id", message: t("problem.forbidden"))) }
        } else {
            errors.append(.init(field: "unit_id", message: t("problem.required")))
        }
        guard errors.isEmpty, let role, let unitID else {
            let units = try await UnitQueries.parentChoices(on: req.db, user: me, action: .manageUsers)
            return AdminPages.newUser(req.pageContext, form: f, units: units, errors: errors).response(status: .badRequest)
        }
        let password = UserAccounts.generatePassword()
        let hash = try await req.password.async.hash(password)
        let user = try await UserAccounts.create(
            on: req.db, actor: me.actor, username: username, displayName: displayName, passwordHash: hash,
            grants: [(role, unitID)], mustChangePassword: true, email: emailValue)
        return AdminPages.passwordIssued(req.pageContext, userID: try user.requireID(), username: username, password: password).response()
    }

    @Sendable static func show(req: Request) async throws -> Response {
        let me = try req.require(.manageUsers)
        let user = try await visibleUser(req, me)
        return try await showPage(req, me, user, email: user.email, errors: [], status: .ok)
    }

    static func showPage(_ req: Request, _ me: CurrentUser, _ user: User, email: String?, errors: [Components.FieldError],
                         status: HTTPResponseStatus) async throws -> Response {
        let uid = try user.requireID()
        let grants = try await RoleGrant.query(on: req.db).filter(\.$user.$id == uid).with(\.$unit).all()
        let units = try await UnitQueries.parentChoices(on: req.db, user: me, action: .manageUsers)
        let rows = grants.compactMap { g -> AdminPages.GrantRow? in
            guard let id = g.id, let role = Role(rawValue: g.roleRaw) else { return nil }
            return .init(id: id, role: role, unitName: g.unit.name)
        }
        return AdminPages.show(req.pageContext, userID: uid, username: user.username, displayName: user.displayName, email: email,
                               grants: rows, units: units, errors: errors).response(status: status)
    }

    struct EmailForm: Content {
        var email: String?
    }

    @Sendable static func setEmail(req: Request) async throws -> Response {
        let me = try req.require(.manageUsers)
        let user = try await visibleUser(req, me)
        let uid = try user.requireID()
        let f = (try? req.content.decode(EmailForm.self)) ?? EmailForm()
        switch email(f.email, req.t) {
        case .problem(let e):
            return try await showPage(req, me, user, email: f.email, errors: [e], status: .badRequest)
        case .value(let value):
            try await req.db.writing(as: me.actor) { tx, audit in
                guard let u = try await User.find(uid, on: tx) else { throw AppError.notFound }
                let before = u.auditSnapshot
                u.email = value
                try await u.update(on: tx)
                audit.updated(u, before: before)
            }
            return req.redirect(to: SiteURL.user(uid).path + "?ok=saved")
        }
    }

    struct GrantForm: Content {
        var role: String?
        var unit_id: String?
    }

    @Sendable static func addGrant(req: Request) async throws -> Response {
        let me = try req.require(.manageUsers)
        let user = try await visibleUser(req, me)
        let uid = try user.requireID()
        let f = (try? req.content.decode(GrantForm.self)) ?? GrantForm()
        guard let role = Role(rawValue: f.role ?? ""), let unitID = UUID(uuidString: f.unit_id ?? ""),
            try await Unit.find(unitID, on: req.db) != nil
        else { throw AppError.badRequest(key: "problem.required") }
        _ = try await req.require(.manageUsers, on: unitID)
        try await req.db.writing(as: me.actor) { tx, audit in
            guard try await RoleGrant.query(on: tx).filter(\.$user.$id == uid).filter(\.$roleRaw == role.rawValue)
                .filter(\.$unit.$id == unitID).count() == 0
            else { return }
            let g = RoleGrant(userID: uid, role: role, unitID: unitID)
            try await g.create(on: tx)
            audit.created(g)
        }
        return req.redirect(to: SiteURL.user(uid).path + "?ok=saved")
    }

    @Sendable static func deleteGrant(req: Request) async throws -> Response {
        let me = try req.require(.manageUsers)
        let user = try await visibleUser(req, me)
        let uid = try user.requireID()
        guard let gid = req.parameters.get("grantID", as: UUID.self),
            let grant = try await RoleGrant.query(on: req.db).filter(\.$id == gid).filter(\.$user.$id == uid).first()
        else { throw AppError.notFound }
        _ = try await req.require(.manageUsers, on: grant.$unit.id)
        try await req.db.writing(as: me.actor) { tx, audit in
            try await grant.delete(on: tx)
            audit.deleted(grant)
        }
        return req.redirect(to: SiteURL.user(uid).path + "?ok=deleted")
    }

    @Sendable static func resetPassword(req: Request) async throws -> Response {
        let me = try req.require(.manageUsers)
        let user = try await visibleUser(req, me)
        let uid = try user.requireID()
        let password = UserAccounts.generatePassword()
        let hash = try await req.password.async.hash(password)
        try await UserAccounts.setPassword(on: req.db, actor: me.actor, userID: uid, hash: hash, mustChange: true)
        return AdminPages.passwordIssued(req.pageContext, userID: uid, username: user.username, password: password).response()
    }

    /// A user is visible to an admin when any of the user's grants lies in the admin's scope (or the user has
    /// none yet and the admin is province-wide).
    static func visibleUser(_ req: Request, _ me: CurrentUser) async throws -> User {
        guard let id = req.parameters.get("userID", as: UUID.self), let user = try await User.find(id, on: req.db) else {
            throw AppError.notFound
        }
        if let scope = try await UnitQueries.scope(of: me, .manageUsers, on: req.db) {
            let grants = try await RoleGrant.query(on: req.db).filter(\.$user.$id == id).all()
            guard grants.contains(where: { scope.contains($0.$unit.id) }) else { throw AppError.forbidden }
        }
        return user
    }
}

/// Account operations shared by the admin pages and the `thidua user` command.
enum UserAccounts {
    static func isValidUsername(_ s: String) -> Bool {
        (3...64).contains(s.count) && s.unicodeScalars.allSatisfy {
            ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9") || $0 == "." || $0 == "_" || $0 == "-"
        }
    }

    /// 16 characters from an alphabet without look-alikes (no 0/O, 1/l/I), with letters and digits.
    static func generatePassword() -> String {
        let alphabet = Array("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var rng = SystemRandomNumberGenerator()
        var s = String((0..<14).map { _ in alphabet[Int(rng.next(upperBound: UInt64(alphabet.count)))] })
        s += String(Int(rng.next(upperBound: UInt64(8))) + 2) + "x"
        return s
    }

    static func create(
        on db: any Database, actor: Actor, username: String, displayName: String, passwordHash: String,
        grants: [(Role, UUID)], mustChangePassword: Bool, email: String? = nil
    ) async throws -> User {
        let user = User(username: username, passwordHash: passwordHash, displayName: displayName, mustChangePassword: mustChangePassword)
        user.email = email
        let grantList = grants.map { (role: $0.0, unit: $0.1) }
        try await db.writing(as: actor) { tx, audit in
            try await user.create(on: tx)
            audit.created(user)
            for g in grantList {
                let grant = RoleGrant(userID: try user.requireID(), role: g.role, unitID: g.unit)
                try await grant.create(on: tx)
                audit.created(grant)
            }
        }
        return user
    }

    static func setPassword(on db: any Database, actor: Actor, userID: UUID, hash: String, mustChange: Bool) async throws {
        try await db.writing(as: actor, reason: "password reset") { tx, audit in
            guard let user = try await User.find(userID, on: tx) else { throw AppError.notFound }
            user.passwordHash = hash
            user.mustChangePassword = mustChange
            try await user.update(on: tx)
            try await UserSession.query(on: tx).filter(\.$user.$id == userID).delete()
            try await LoginFailure.query(on: tx).filter(\.$key == "u:" + user.username).delete()
            audit.record(.update, type: User.auditType, id: userID.uuidString, before: nil, after: ["event": "password_reset"])
        }
    }
}
