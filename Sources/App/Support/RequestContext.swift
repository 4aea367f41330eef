import Fluent
import SQLKit
import Vapor
import ThiDuaCore

/// The signed-in user with the grants loaded once per request.
struct CurrentUser: Authenticatable, Sendable {
    let id: UUID
    let username: String
    let displayName: String
    let grants: [Grant]
    let mustChangePassword: Bool

    var actor: Actor { Actor(id: id, name: username) }

    func can(_ action: Action) -> Bool { AccessPolicy.allowsAnywhere(grants, action) }
}

private struct CSRFTokenKey: StorageKey { typealias Value = String }
private struct LangKey: StorageKey { typealias Value = Lang }

extension Request {
    var lang: Lang {
        get { storage[LangKey.self] ?? .vi }
        set { storage[LangKey.self] = newValue }
    }

    var t: Localizer { Localizer(lang: lang) }

    /// The token this response's forms carry; equal to the browser's CSRF cookie (set if missing).
    var csrfToken: String {
        get { storage[CSRFTokenKey.self] ?? "" }
        set { storage[CSRFTokenKey.self] = newValue }
    }

    var currentUser: CurrentUser? { auth.get(CurrentUser.self) }

    /// The signed-in user, or a redirect to the sign-in page.
    func signedIn() throws -> CurrentUser {
        guard let u = currentUser else { throw AppError.notSignedIn }
        return u
    }

    /// The signed-in user if they may do `action` somewhere; otherwise 403 (or sign-in).
    func require(_ action: Action) throws -> CurrentUser {
        let u = try signedIn()
        guard u.can(action) else { throw AppError.forbidden }
        return u
    }

    /// The signed-in user if they may do `action` on `unitID` (granted on it or on one of its ancestors).
    func require(_ action: Action, on unitID: UUID) async throws -> CurrentUser {
        let u = try signedIn()
        let path = try await UnitTree.path(of: unitID, on: db)
        guard AccessPolicy.allows(u.grants, action, unitPath: path) else { throw AppError.forbidden }
        return u
    }

    var pageContext: PageContext {
        PageContext(t: t, user: currentUser, csrf: csrfToken, path: url.path, query: url.query, fixedToday: application.config.fixedToday)
    }
}

/// What every page needs besides its own model.
struct PageContext: Sendable {
    let t: Localizer
    let user: CurrentUser?
    let csrf: String
    let path: String
    let query: String?
    /// Set when the server runs with a fixed date (THIDUA_TODAY): every page says so.
    var fixedToday: CivilDate? = nil

    /// The success message a redirect asked for with `?ok=<key>` (e.g. after saving).
    var flashKey: String? {
        query?.split(separator: "&").first { $0.hasPrefix("ok=") }.map { String($0.dropFirst(3)) }
    }
}

enum UnitTree {
    /// The unit and its ancestors, nearest first. Bounded so a corrupted parent link cannot loop forever.
    static func path(of unitID: UUID, on db: any Database) async throws -> [UUID] {
        var path: [UUID] = [unitID]
        var cursor = try await Unit.find(unitID, on: db)?.$parent.id
        while let c = cursor, path.count < 32, !path.contains(c) {
            path.append(c)
            cursor = try await Unit.find(c, on: db)?.$parent.id
        }
        return path
    }

    /// All units below the given roots (the roots included), for filtering lists to a user's scope:
    /// the roots and every unit below them, level by level on the parent index (a commune with no offices costs
    /// one query that finds nothing; the whole province costs one query per level).
    static func subtreeIDs(of roots: Set<UUID>, on db: any Database) async throws -> Set<UUID> {
        guard !roots.isEmpty, let sql = db as? any SQLDatabase else { return [] }
        var out = roots
        var frontier = Array(roots)
        while !frontier.isEmpty {
            var next: [UUID] = []
            for start in stride(from: 0, to: frontier.count, by: 1000) {
                let chunk: [any Encodable & Sendable] = Array(frontier[start..<min(frontier.count, start + 1000)])
                for row in try await sql.raw("SELECT id FROM units WHERE parent_id IN (\(binds: chunk))").all(decoding: IDRow.self)
                where out.insert(row.id).inserted {
                    next.append(row.id)
                }
            }
            frontier = next
        }
        return out
    }

    private struct IDRow: Decodable { let id: UUID }

    /// The province (the one unit of kind province without a parent), by id only.
    static func rootID(on db: any Database) async throws -> UUID? {
        guard let sql = db as? any SQLDatabase else { return try await root(on: db)?.id }
        return try await sql.raw("SELECT id FROM units WHERE parent_id IS NULL AND kind = \(bind: UnitKind.province.rawValue) LIMIT 1")
            .first(decoding: IDRow.self)?.id
    }

    static func root(on db: any Database) async throws -> Unit? {
        try await Unit.query(on: db).filter(\.$parent.$id == nil).filter(\.$kindRaw == UnitKind.province.rawValue).first()
    }
}
