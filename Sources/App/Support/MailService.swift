import Fluent
import Foundation
import SQLKit
import Vapor
import ThiDuaCore

/// A message waiting in (or delivered from) the outbox. The outbox lives in the database, so a message
/// acknowledged by one app server is delivered by whichever server runs next, and survives a restart.
final class OutboxMail: Model, @unchecked Sendable {
    static let schema = "mail_outbox"

    enum Status: String, Sendable, CaseIterable {
        case pending, sent, failed
    }

    @ID(key: .id) var id: UUID?
    /// One message per key: the daily digest of a user is `digest:<user>:<date>`, so two servers (or two runs)
    /// never queue it twice.
    @Field(key: "dedupe_key") var dedupeKey: String
    @Field(key: "recipient") var recipient: String
    @Field(key: "subject") var subject: String
    @Field(key: "body") var body: String
    @Field(key: "status") var statusRaw: String
    @Field(key: "attempts") var attempts: Int
    @Field(key: "next_attempt_ms") var nextAttemptMillis: Int64
    @OptionalField(key: "claim") var claim: String?
    @OptionalField(key: "claimed_until_ms") var claimedUntilMillis: Int64?
    @OptionalField(key: "last_error") var lastError: String?
    @Field(key: "created_ms") var createdMillis: Int64
    @OptionalField(key: "sent_ms") var sentMillis: Int64?

    init() {}

    var status: Status { Status(rawValue: statusRaw) ?? .pending }
}

/// The e-mail settings of a deployment (THIDUA_SMTP_*; off when no host is set).
struct MailSettings: Sendable, Equatable {
    var host: String
    var port = 25
    var helo = "thidua.local"
    var from: EmailAddress
    var fromName = "ThiDua"
    /// The address people open ThiDua at, for links in messages (e.g. https://thidua.snv.gov.vn).
    var baseURL: String?
    /// How often each server looks at the outbox, in seconds.
    var intervalSeconds = 60
    /// The hour (Vietnam time) from which the day's reminders are queued.
    var digestHour = 7
}

enum MailService {
    static let digestSettingKey = "mail_digest_day"

    static func millis(_ d: Date) -> Int64 { Int64(d.timeIntervalSince1970 * 1000) }

    /// Queues a message unless one with the same key exists. Returns whether it was queued.
    @discardableResult
    static func enqueue(key: String, to: EmailAddress, subject: String, body: String, now: Date, on db: any Database) async throws -> Bool {
        guard let sql = db as? any SQLDatabase else { return false }
        let before = try await OutboxMail.query(on: db).filter(\.$dedupeKey == key).count()
        if before > 0 { return false }
        try await sql.insert(into: OutboxMail.schema)
            .columns("id", "dedupe_key", "recipient", "subject", "body", "status", "attempts", "next_attempt_ms", "created_ms")
            .values(SQLBind(UUID()), SQLBind(key), SQLBind(to.value), SQLBind(subject), SQLBind(body),
                    SQLBind(OutboxMail.Status.pending.rawValue), SQLBind(0), SQLBind(millis(now)), SQLBind(millis(now)))
            .ignoringConflicts(with: ["dedupe_key"])
            .run()
        return true
    }

    // MARK: Daily follow-up digests

    struct Digest: Sendable {
        let userID: UUID
        let to: EmailAddress
        let subject: String
        let body: String
    }

    /// What each active account with an e-mail address must hear about today: its part of the escalation
    /// ladder (the same rows as its /followup page), as one plain-text message; nothing for an empty list.
    static func digests(today: CivilDate, baseURL: String?, on db: any Database) async throws -> [Digest] {
        let users = try await User.query(on: db).filter(\.$isActive == true).filter(\.$email != nil).sort(\.$username).all()
        guard !users.isEmpty else { return [] }
        let ids = users.compactMap(\.id)
        let grants = try await RoleGrant.query(on: db).filter(\.$user.$id ~~ ids).all()
        let t = Localizer(lang: .vi)
        var out: [Digest] = []
        for u in users {
            guard let id = u.id, let raw = u.email, let to = try? EmailAddress(validating: raw) else { continue }
            let me = CurrentUser(id: id, username: u.username, displayName: u.displayName,
                                 grants: grants.filter { $0.$user.id == id }.compactMap(\.grant), mustChangePassword: false)
            let page = try await PlanService.notifications(for: me, today: today, limit: 30, on: db)
            guard !page.rows.isEmpty else { continue }
            out.append(compose(for: me, to: to, page: page, today: today, baseURL: baseURL, t: t))
        }
        return out
    }

    static func compose(for me: CurrentUser, to: EmailAddress, page: PlanService.FollowUpPage, today: CivilDate, baseURL: String?, t: Localizer) -> Digest {
        let overdue = page.rows.filter { $0.alert != .dueSoon }.count
        let soon = page.rows.count - overdue
        let subject = t("mail.digest.subject", today.vietnamese, String(overdue), String(soon))
        var lines: [String] = [t("mail.digest.greeting", me.displayName), "", t("mail.digest.intro", today.vietnamese), ""]
        let base = baseURL.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        for (i, r) in page.rows.enumerated() {
            let state = r.alert == .dueSoon ? t("alert.0") : t("alert.\(r.alert.rawValue)", String(r.daysLate))
            lines.append("\(i + 1). [\(state)] \(r.code) \(r.title)")
            var facts = [t("mail.digest.plan", r.planTitle), t("mail.digest.lead", r.leadName), t("mail.digest.due", r.due.vietnamese)]
            if let p = r.progress { facts.append(t("mail.digest.progress", p.formatted(places: 2, english: false) + " %")) }
            if let o = r.officer, !o.isEmpty { facts.append(t("mail.digest.officer", o)) }
            lines.append("   " + facts.joined(separator: "; "))
            if let base { lines.append("   " + base + SiteURL.task(r.taskID).path) }
        }
        if page.total > page.rows.count { lines += ["", t("followup.more", String(page.rows.count), String(page.total))] }
        if let base { lines += ["", t("mail.digest.all", base + SiteURL.followUp.path)] }
        lines += ["", "—", t("mail.digest.footer")]
        return Digest(userID: me.id, to: to, subject: subject, body: lines.joined(separator: "\n"))
    }

    /// Queues today's digests once a day (the day is recorded in the province settings; the outbox key makes a
    /// second server's run a no-op). Returns how many were queued.
    static func enqueueDigests(today: CivilDate, now: Date, baseURL: String?, on db: any Database) async throws -> Int {
        if let s = try await ProvinceSetting.find(digestSettingKey, on: db), s.json == "\"\(today.iso)\"" { return 0 }
        var queued = 0
        for d in try await digests(today: today, baseURL: baseURL, on: db) {
            if try await enqueue(key: "digest:\(d.userID.uuidString):\(today.iso)", to: d.to, subject: d.subject, body: d.body, now: now, on: db) {
                queued += 1
            }
        }
        if let s = try await ProvinceSetting.find(digestSettingKey, on: db) {
            s.json = "\"\(today.iso)\""
            s.version += 1
            try await s.update(on: db)
        } else {
            // Two servers may get here together; the second insert fails on the key and changes nothing.
            try? await ProvinceSetting(key: digestSettingKey, json: "\"\(today.iso)\"").create(on: db)
        }
        return queued
    }

    // MARK: Delivery

    struct DeliveryResult: Sendable, Equatable {
        var sent = 0
        var retried = 0
        var failed = 0
    }

    /// Claims up to `limit` due messages (a lease of two minutes, so a server that dies mid-way leaves them to
    /// the next one), sends each, and records the outcome. Safe with several servers on one database: a row is
    /// claimed by a conditional UPDATE that only one of them can win.
    static func deliver(settings: MailSettings, now: Date, limit: Int = 20, on db: any Database,
                        send: @Sendable (MailMessage) async throws -> Void) async throws -> DeliveryResult {
        let nowMs = millis(now)
        let due = try await OutboxMail.query(on: db)
            .filter(\.$statusRaw == OutboxMail.Status.pending.rawValue)
            .filter(\.$nextAttemptMillis <= nowMs)
            .sort(\.$nextAttemptMillis).limit(limit * 2).all()
            .filter { ($0.claimedUntilMillis ?? 0) < nowMs }
            .prefix(limit).compactMap(\.id)
        guard !due.isEmpty else { return DeliveryResult() }
        let token = UUID().uuidString
        try await OutboxMail.query(on: db)
            .set(\.$claim, to: token)
            .set(\.$claimedUntilMillis, to: nowMs + 120_000)
            .filter(\.$id ~~ due)
            .filter(\.$statusRaw == OutboxMail.Status.pending.rawValue)
            .group(.or) { $0.filter(\.$claimedUntilMillis == nil).filter(\.$claimedUntilMillis < nowMs) }
            .update()
        let mine = try await OutboxMail.query(on: db).filter(\.$claim == token).sort(\.$nextAttemptMillis).all()
        var result = DeliveryResult()
        for mail in mine {
            let message = MailMessage(
                from: settings.from, fromName: settings.fromName,
                to: (try? EmailAddress(validating: mail.recipient)) ?? settings.from,
                subject: mail.subject, body: mail.body, date: now, messageID: (mail.id ?? UUID()).uuidString.lowercased())
            mail.attempts += 1
            mail.claim = nil
            mail.claimedUntilMillis = nil
            do {
                try await send(message)
                mail.statusRaw = OutboxMail.Status.sent.rawValue
                mail.sentMillis = millis(Date())
                mail.lastError = nil
                result.sent += 1
            } catch {
                let permanent = (error as? SMTPClient.Failure)?.isPermanent ?? false
                mail.lastError = String(String(describing: error).prefix(500))
                if let delay = MailRetry.delay(afterAttempts: mail.attempts, permanent: permanent) {
                    mail.nextAttemptMillis = nowMs + Int64(delay) * 1000
                    result.retried += 1
                } else {
                    mail.statusRaw = OutboxMail.Status.failed.rawValue
                    result.failed += 1
                }
            }
            try await mail.update(on: db)
        }
        return result
    }

    /// One pass of the worker: today's digests (from the configured hour) and a delivery round.
    static func runOnce(_ app: Application, settings: MailSettings, now: Date = Date()) async throws -> DeliveryResult {
        let hour = (Int(now.timeIntervalSince1970) / 3600 + 7) % 24
        if hour >= settings.digestHour || app.config.fixedToday != nil {
            _ = try await enqueueDigests(today: app.today, now: now, baseURL: settings.baseURL, on: app.db)
        }
        let client = SMTPClient(host: settings.host, port: settings.port, helo: settings.helo)
        return try await deliver(settings: settings, now: now, on: app.db) { try await client.send($0) }
    }
}

/// Runs the outbox on every `thidua serve` when SMTP is configured: each server wakes every interval; claims
/// keep them from sending the same message twice.
struct MailWorker: LifecycleHandler {
    private struct TaskKey: StorageKey { typealias Value = Task<Void, Never> }

    func didBootAsync(_ app: Application) async throws {
        guard let settings = app.config.mail, app.environment != .testing else { return }
        let command = app.environment.arguments.dropFirst().first ?? "serve"
        guard command == "serve" || command.hasPrefix("-") else { return }
        let logger = app.logger
        app.storage[TaskKey.self] = Task {
            while !Task.isCancelled {
                do {
                    let r = try await MailService.runOnce(app, settings: settings)
                    if r != MailService.DeliveryResult() {
                        logger.info("mail outbox", metadata: ["sent": "\(r.sent)", "retry": "\(r.retried)", "failed": "\(r.failed)"])
                    }
                } catch {
                    logger.error("mail outbox run failed: \(String(describing: error))")
                }
                try? await Task.sleep(for: .seconds(settings.intervalSeconds))
            }
        }
    }

    func shutdownAsync(_ app: Application) async {
        app.storage[TaskKey.self]?.cancel()
    }
}
