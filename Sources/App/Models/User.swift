import Fluent
import Foundation
import ThiDuaCore

/// A login account. Roles are separate grants, each on a unit.
final class User: Model, @unchecked Sendable {
    static let schema = "users"

    @ID(key: .id) var id: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Field(key: "username") var username: String
    @Field(key: "password_hash") var passwordHash: String
    @Field(key: "display_name") var displayName: String
    @Field(key: "is_active") var isActive: Bool
    @Field(key: "must_change_password") var mustChangePassword: Bool
    @OptionalParent(key: "person_id") var person: Person?
    /// Where follow-up reminders go (optional; validated by `EmailAddress`).
    @OptionalField(key: "email") var email: String?

    init() {}

    init(username: String, passwordHash: String, displayName: String, mustChangePassword: Bool) {
        self.username = username
        self.passwordHash = passwordHash
        self.displayName = displayName
        self.isActive = true
        self.mustChangePassword = mustChangePassword
    }
}

extension User: Auditable {
    static let auditType = "user"
    /// Never the password hash: the trail is readable by auditors.
    struct Snapshot: Encodable { let username: String, displayName: String, isActive: Bool, personID: UUID?, email: String? }
    var auditSnapshot: any Encodable {
        Snapshot(username: username, displayName: displayName, isActive: isActive, personID: $person.id, email: email)
    }
}

final class RoleGrant: Model, @unchecked Sendable {
    static let schema = "role_grants"

    @ID(key: .id) var id: UUID?
    @Parent(key: "user_id") var user: User
    @Field(key: "role") var roleRaw: String
    @Parent(key: "unit_id") var unit: Unit

    init() {}

    init(userID: UUID, role: Role, unitID: UUID) {
        self.$user.id = userID
        self.roleRaw = role.rawValue
        self.$unit.id = unitID
    }

    var grant: Grant? { Role(rawValue: roleRaw).map { Grant(role: $0, unitID: $unit.id) } }
}

extension RoleGrant: Auditable {
    static let auditType = "role_grant"
    struct Snapshot: Encodable { let userID: UUID, role: String, unitID: UUID }
    var auditSnapshot: any Encodable { Snapshot(userID: $user.id, role: roleRaw, unitID: $unit.id) }
}

/// Failed sign-ins, kept in the database so that every app server sharing it sees the same count.
final class LoginFailure: Model, @unchecked Sendable {
    static let schema = "login_failures"

    @ID(key: .id) var id: UUID?
    @Field(key: "key") var key: String
    @Field(key: "at_ms") var atMillis: Int64

    init() {}

    init(key: String, at: Date) {
        self.key = key
        self.atMillis = Int64(at.timeIntervalSince1970 * 1000)
    }
}

/// A parsed upload waiting for the user to confirm the dry run. Kept in the database (not in memory) so the
/// confirmation may reach any app server.
final class ImportBatch: Model, @unchecked Sendable {
    static let schema = "import_batches"

    @ID(key: .id) var id: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Parent(key: "user_id") var user: User
    @Field(key: "kind") var kind: String
    @Field(key: "file_name") var fileName: String
    @Field(key: "encoding") var encoding: String
    @Field(key: "payload") var payload: String
    @Field(key: "committed") var committed: Bool

    init() {}

    init(userID: UUID, kind: String, fileName: String, encoding: String, payload: String) {
        self.$user.id = userID
        self.kind = kind
        self.fileName = fileName
        self.encoding = encoding
        self.payload = payload
        self.committed = false
    }
}

final class AuditRecord: Model, @unchecked Sendable {
    static let schema = "audit_links"

    @ID(custom: "seq", generatedBy: .user) var id: Int64?
    @Field(key: "at_ms") var atMillis: Int64
    @OptionalField(key: "actor_id") var actorID: String?
    @Field(key: "actor_name") var actorName: String
    @Field(key: "action") var action: String
    @Field(key: "entity_type") var entityType: String
    @Field(key: "entity_id") var entityID: String
    @OptionalField(key: "before_json") var before: String?
    @OptionalField(key: "after_json") var after: String?
    @OptionalField(key: "reason") var reason: String?
    @Field(key: "prev_hash") var prevHash: String
    @Field(key: "hash") var hash: String

    init() {}

    init(_ l: AuditLink) {
        id = l.seq
        atMillis = l.atMillis
        actorID = l.actorID
        actorName = l.actorName
        action = l.action
        entityType = l.entityType
        entityID = l.entityID
        before = l.before
        after = l.after
        reason = l.reason
        prevHash = l.prevHash
        hash = l.hash
    }

    var link: AuditLink {
        AuditLink(
            seq: id ?? 0, atMillis: atMillis, actorID: actorID, actorName: actorName, action: action,
            entityType: entityType, entityID: entityID, before: before, after: after, reason: reason,
            prevHash: prevHash, hash: hash)
    }
}

/// The single row that pins the end of the audit chain; every write transaction locks it first, which
/// serialises appends across connections and app servers on both databases.
final class AuditHead: Model, @unchecked Sendable {
    static let schema = "audit_head"

    @ID(custom: "id", generatedBy: .user) var id: Int?
    @Field(key: "seq") var seq: Int64
    @Field(key: "hash") var hash: String

    init() {}

    init(seq: Int64, hash: String) {
        self.id = 1
        self.seq = seq
        self.hash = hash
    }
}

/// A signed-in browser. The cookie holds a random token; only its SHA-256 is stored, so a leaked database
/// copy does not let anyone sign in. Kept in the database so that any app server can continue the session.
final class UserSession: Model, @unchecked Sendable {
    static let schema = "user_sessions"

    @ID(key: .id) var id: UUID?
    @Field(key: "token_hash") var tokenHash: String
    @Parent(key: "user_id") var user: User
    @Field(key: "created_ms") var createdMillis: Int64
    @Field(key: "last_seen_ms") var lastSeenMillis: Int64

    init() {}

    init(tokenHash: String, userID: UUID, now: Date) {
        self.tokenHash = tokenHash
        self.$user.id = userID
        let ms = Int64(now.timeIntervalSince1970 * 1000)
        self.createdMillis = ms
        self.lastSeenMillis = ms
    }
}
