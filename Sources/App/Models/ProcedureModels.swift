import Crypto
import Fluent
import Foundation
import ThiDuaCore

/// An administrative procedure of the province's catalogue.
final class ProcedureModel: Model, Auditable, @unchecked Sendable {
    static let schema = "procedures"
    static let auditType = "procedure"

    @ID(key: .id) var id: UUID?
    @Field(key: "code") var code: String
    @Field(key: "name") var name: String
    @Field(key: "field") var field: String
    @Field(key: "level") var levelRaw: String
    @Field(key: "statutory_half_days") var statutoryHalfDays: Int
    @OptionalField(key: "internal_half_days") var internalHalfDays: Int?
    @Field(key: "online_level") var onlineRaw: String
    @Field(key: "fee") var fee: Int64
    @Field(key: "updated_ms") var updatedMs: Int64

    init() {}

    init(_ d: ProcedureDraft) {
        set(d)
    }

    func set(_ d: ProcedureDraft) {
        code = d.code
        name = d.name
        field = d.field
        levelRaw = d.level.rawValue
        statutoryHalfDays = d.statutory.halfDays
        internalHalfDays = d.internalLimit?.halfDays
        onlineRaw = d.online.rawValue
        fee = d.fee
        updatedMs = Int64(Date().timeIntervalSince1970 * 1000)
    }

    var statutory: TimeLimit { TimeLimit(halfDays: statutoryHalfDays) }
    var internalLimit: TimeLimit? { internalHalfDays.map { TimeLimit(halfDays: $0) } }

    var auditSnapshot: any Encodable {
        [
            "code": code, "name": name, "field": field, "level": levelRaw, "statutory_days": statutory.description,
            "internal_days": internalLimit?.description ?? "", "online_level": onlineRaw, "fee": String(fee),
        ]
    }
}

/// A one-stop system's key to the JSON API. Only the SHA-256 of the secret is stored; the secret is shown once.
final class APIToken: Model, @unchecked Sendable {
    static let schema = "api_tokens"
    /// `dossiers:write` sends dossiers; `indicators:read` reads indicators.
    static let allScopes = ["dossiers:write", "indicators:read"]

    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "scopes") var scopesRaw: String
    @Field(key: "created_ms") var createdMs: Int64
    @OptionalField(key: "revoked_ms") var revokedMs: Int64?
    @OptionalField(key: "last_used_ms") var lastUsedMs: Int64?

    init() {}

    init(name: String, hash: String, scopes: [String]) {
        self.name = name
        tokenHash = hash
        scopesRaw = scopes.joined(separator: " ")
        createdMs = Int64(Date().timeIntervalSince1970 * 1000)
    }

    var scopes: [String] { scopesRaw.split(separator: " ").map(String.init) }

    static func newSecret() -> String {
        let bytes = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        return "tdk_" + bytes.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Creates a token (audited) and returns its secret, which is not stored and cannot be shown again.
    static func issue(name: String, scopes: [String], actor: Actor, on db: any Database) async throws -> String {
        let secret = newSecret()
        let token = APIToken(name: name, hash: hash(secret), scopes: scopes)
        try await db.writing(as: actor) { tx, audit in
            try await token.create(on: tx)
            audit.record(.create, type: "api_token", id: try token.requireID().uuidString, before: nil, after: ["name": name, "scopes": scopes.joined(separator: " ")])
        }
        return secret
    }

    static func hash(_ secret: String) -> String {
        SHA256.hash(data: Data(secret.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
