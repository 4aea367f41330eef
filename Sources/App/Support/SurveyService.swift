import Fluent
import Foundation
import NIOPosix
import FluentSQLiteDriver
import SQLKit
import Synchronization
import Vapor
import ThiDuaCore

/// One checked response on its way to the database.
struct IncomingResponse: Sendable {
    let campaignID: UUID
    let pointID: UUID
    let unitID: UUID
    let field: String?
    let channel: SurveyChannel
    let answers: SurveyAnswers
    let tallies: [SIPASFactor: SatisfactionTally]
    let weightSum: Points
    let weightCount: Int
    let fingerprint: String
    let submissionKey: String
    let receiptCode: String?
    let enteredBy: UUID?
    let honeypotFilled: Bool
    let secondsToAnswer: Int?
    let rules: IntegrityRules
    let createdMs: Int64

    init(point: SurveyService.PointInfo, questionnaire: Questionnaire, answers: SurveyAnswers, field: String?, channel: SurveyChannel,
         fingerprint: String, submissionKey: String, receiptCode: String?, enteredBy: UUID?, honeypotFilled: Bool, secondsToAnswer: Int?,
         now: Date = Date()) {
        campaignID = point.campaignID
        pointID = point.pointID
        unitID = point.unitID
        self.field = field
        self.channel = channel
        self.answers = answers
        tallies = SatisfactionIndex.tally(questionnaire, answers)
        let w = SatisfactionIndex.weightedScore(questionnaire, answers)
        weightSum = w.sum
        weightCount = w.count
        self.fingerprint = fingerprint
        self.submissionKey = submissionKey
        self.receiptCode = receiptCode
        self.enteredBy = enteredBy
        self.honeypotFilled = honeypotFilled
        self.secondsToAnswer = secondsToAnswer
        rules = point.rules
        createdMs = Int64((now.timeIntervalSince1970 * 1000).rounded(.down))
    }
}

enum SubmitOutcome: Sendable, Equatable {
    /// Committed (accepted or quarantined for review).
    case stored(ResponseStatus)
    /// The same submission (same key) was stored before: the first answer stands.
    case duplicate
    /// A flood from one source: refused, not stored.
    case refused
    /// The receipt code is unknown or was used already.
    case receiptInvalid
    /// The campaign was closed (checked inside the transaction that would store the answer).
    case closed
}

/// Group commit for public responses: concurrent submissions wait together and are written in one transaction,
/// and each is answered only after that transaction has committed (SQLite in WAL mode with synchronous=FULL:
/// the commit is on disk). One fsync then carries hundreds of answers instead of one. Nothing here outlives a
/// request: what is queued is only what is still waiting for its commit, so app servers stay stateless.
///
/// On the embedded SQLite the writer has a connection of its own, with its own thread and event loop: a batch's
/// four statements then don't wait behind page rendering on the shared event loops (each statement is a hop there
/// and back), and its settings are made once instead of on every batch. SQLite allows one writer at a time
/// anyway; other writes wait for the batch (the busy handler retries).
final class SurveyWriter: Sendable {
    typealias Job = (response: IncomingResponse, done: CheckedContinuation<SubmitOutcome, any Error>)

    private struct State {
        var queue: [Job] = []
        var draining = false
    }

    private let state = Mutex(State())
    private let database: @Sendable () -> any Database
    private let sqlite: SQLiteWriterConnection?
    static let maxBatch = 400
    /// THIDUA_TRACE_SURVEY_WRITER=1 prints each batch's size and duration to standard error (tuning aid).
    static let trace = ProcessInfo.processInfo.environment["THIDUA_TRACE_SURVEY_WRITER"] == "1"

    /// `sqliteFile`: the embedded database's file, for the writer's own connection; nil on PostgreSQL.
    init(database: @escaping @Sendable () -> any Database, sqliteFile: String?) {
        self.database = database
        self.sqlite = sqliteFile.map(SQLiteWriterConnection.init(path:))
    }

    func submit(_ r: IncomingResponse) async throws -> SubmitOutcome {
        try await withCheckedThrowingContinuation { (c: CheckedContinuation<SubmitOutcome, any Error>) in
            let start = state.withLock { s -> Bool in
                s.queue.append((r, c))
                if s.draining { return false }
                s.draining = true
                return true
            }
            if start { Task { await self.drain() } }
        }
    }

    private func write(_ batch: [IncomingResponse]) async throws -> [SubmitOutcome] {
        if let sqlite { return try await sqlite.transaction { try await SurveyStore.write(batch, sql: $0) } }
        return try await SurveyStore.write(batch, on: database())
    }

    private func drain() async {
        while true {
            let batch = state.withLock { s -> [Job] in
                let n = min(s.queue.count, Self.maxBatch)
                if n == 0 {
                    s.draining = false
                    return []
                }
                let b = Array(s.queue.prefix(n))
                s.queue.removeFirst(n)
                return b
            }
            if batch.isEmpty { return }
            do {
                let started = ContinuousClock.now
                let outcomes = try await write(batch.map(\.response))
                if Self.trace { FileHandle.standardError.write(Data("writer batch=\(batch.count) took=\(ContinuousClock.now - started)\n".utf8)) }
                for (job, o) in zip(batch, outcomes) { job.done.resume(returning: o) }
            } catch {
                // One bad row must not fail its neighbours: retry them one by one.
                for job in batch {
                    do {
                        let o = try await write([job.response])
                        job.done.resume(returning: o[0])
                    } catch {
                        job.done.resume(throwing: error)
                    }
                }
            }
        }
    }

    /// Closes the writer's own connection (application shutdown), after the answers already queued are written
    /// (waits up to 10 s).
    func shutdown() async {
        for _ in 0..<1_000 where state.withLock({ $0.draining }) { try? await Task.sleep(for: .milliseconds(10)) }
        await sqlite?.close()
    }
}

/// One SQLite connection on its own thread and event loop, opened on first use and kept.
final class SQLiteWriterConnection: Sendable {
    private let path: String
    private let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    private let threads: NIOThreadPool
    private let connection = Mutex<SQLiteConnection?>(nil)

    init(path: String) {
        self.path = path
        threads = NIOThreadPool(numberOfThreads: 1)
        threads.start()
    }

    private func open() async throws -> SQLiteConnection {
        if let c = connection.withLock({ $0 }) { return c }
        let c = try await SQLiteConnection.open(storage: .file(path: path), threadPool: threads, on: group.next()).get()
        let sql = c.sql()
        try await sql.raw("PRAGMA journal_mode=WAL").run()
        try await sql.raw("PRAGMA synchronous=FULL").run()
        // Checkpoints run inside commits; with every index page an answer touches going to the WAL, the default
        // (every 1,000 pages, ~10 batches) stalled commits often. The same setting as every other writer's.
        try await sql.raw("PRAGMA wal_autocheckpoint = \(unsafeRaw: String(BulkSQL.checkpointPages.load(ordering: .relaxed)))").run()
        let kept = connection.withLock { current -> SQLiteConnection? in
            if let current { return current }
            current = c
            return nil
        }
        if let kept {
            try? await c.close()
            return kept
        }
        return c
    }

    /// `BEGIN IMMEDIATE` (the write lock from the start, so the transaction never has to upgrade a read), the body,
    /// `COMMIT`; rolled back when the body throws.
    /// Takes its turn with the app's other write transactions (`WriterGate`).
    func transaction<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let sql = try await open().sql()
        return try await WriterGate.sqlite.run {
            try await sql.raw("BEGIN IMMEDIATE").run()
            do {
                let result = try await body(sql)
                try await sql.raw("COMMIT").run()
                return result
            } catch {
                try? await sql.raw("ROLLBACK").run()
                throw error
            }
        }
    }

    func close() async {
        if let c = connection.withLock({ c -> SQLiteConnection? in defer { c = nil }; return c }) { try? await c.close() }
        try? await threads.shutdownGracefully()
        try? await group.shutdownGracefully()
    }
}

struct SurveyWriterKey: StorageKey { typealias Value = SurveyWriter }

/// Created at configuration, closed at shutdown.
struct SurveyWriterLifecycle: LifecycleHandler {
    func shutdownAsync(_ app: Application) async {
        await app.storage[SurveyWriterKey.self]?.shutdown()
    }
}

extension Application {
    var surveyWriter: SurveyWriter {
        guard let w = storage[SurveyWriterKey.self] else { fatalError("configure() installs the survey writer") }
        return w
    }
}

/// Writing responses: integrity judgement, receipt claims and the insert, in one transaction per batch.
enum SurveyStore {
    static let columns: [String] = [
        "id", "campaign_id", "point_id", "unit_id", "field", "channel", "status", "reason", "answers", "fingerprint",
        "submission_key", "receipt_code", "entered_by", "created_ms", "month",
        "s_access", "n_access", "s_procedure", "n_procedure", "s_official", "n_official", "s_result", "n_result",
        "s_feedback", "n_feedback", "w_sum_e4", "w_count",
    ]

    private struct IDRow: Decodable { let id: UUID }
    private struct BatchFactRow: Decodable { let kind: String, k: String, n: Int, last_ms: Int64 }

    static func month(_ ms: Int64) -> String {
        let d = CivilDate.today(now: Date(timeIntervalSince1970: Double(ms) / 1000))
        return String(d.iso.prefix(7))
    }

    /// In a transaction of the database's own (PostgreSQL, tests).
    static func write(_ batch: [IncomingResponse], on db: any Database) async throws -> [SubmitOutcome] {
        try await db.transaction { tx in
            guard let sql = tx as? any SQLDatabase else { throw AppError.internalInconsistency("surveys need SQL") }
            return try await write(batch, sql: sql)
        }
    }

    /// Inside a transaction: returns one outcome per response, in order.
    static func write(_ batch: [IncomingResponse], sql: any SQLDatabase) async throws -> [SubmitOutcome] {
        var outcomes = [SubmitOutcome?](repeating: nil, count: batch.count)
        var rows: [(index: Int, status: ResponseStatus, reason: QuarantineReason?)] = []

        for (campaignID, indices) in Dictionary(grouping: batch.indices, by: { batch[$0].campaignID }) {
            let items = indices.map { batch[$0] }
            // Pages and points are cached for a few seconds; whether the campaign still takes answers is decided
            // here, in the transaction (public answers need it open; paper forms need it no longer a draft).
            // One round trip for what the batch must know (each statement costs a hop between the event loop and
            // the database thread, and the batch holds the write lock meanwhile): the campaign's status, keys
            // already stored (a resent form keeps its first answer) and recent answers per source (flood rules).
            let rules = items[0].rules
            let since = (items.map(\.createdMs).min() ?? 0) - Int64(rules.windowSeconds) * 1000
            let keys: [any Encodable & Sendable] = Array(Set(items.map(\.submissionKey)))
            let sources: [any Encodable & Sendable] = Array(Set(items.filter { $0.enteredBy == nil }.map(\.fingerprint)))
            var query: SQLQueryString = """
                SELECT 's' AS kind, status AS k, CAST(0 AS BIGINT) AS n, CAST(0 AS BIGINT) AS last_ms FROM survey_campaigns WHERE id = \(bind: campaignID) \
                UNION ALL SELECT 'd', submission_key, CAST(0 AS BIGINT), CAST(0 AS BIGINT) FROM survey_responses \
                WHERE campaign_id = \(bind: campaignID) AND submission_key IN (\(binds: keys))
                """
            if !sources.isEmpty {
                query += """
                     UNION ALL SELECT 'f', fingerprint, CAST(COUNT(*) AS BIGINT), CAST(MAX(created_ms) AS BIGINT) FROM survey_responses \
                    WHERE campaign_id = \(bind: campaignID) AND fingerprint IN (\(binds: sources)) AND created_ms >= \(bind: since) GROUP BY fingerprint
                    """
            }
            var status: SurveyCampaign.Status?
            var seen: Set<String> = []
            var recent: [String: (n: Int, last: Int64)] = [:]
            for row in try await sql.raw(query).all(decoding: BatchFactRow.self) {
                switch row.kind {
                case "s": status = SurveyCampaign.Status(rawValue: row.k)
                case "d": seen.insert(row.k)
                default: recent[row.k] = (row.n, row.last_ms)
                }
            }
            var accepting: [Int] = []
            for i in indices {
                let ok = batch[i].enteredBy == nil ? status == .open : (status == .open || status == .closed)
                if ok { accepting.append(i) } else { outcomes[i] = .closed }
            }
            if accepting.isEmpty { continue }
            for i in accepting {
                let r = batch[i]
                if seen.contains(r.submissionKey) {
                    outcomes[i] = .duplicate
                    continue
                }
                var status = ResponseStatus.accepted
                var reason: QuarantineReason?
                if r.enteredBy == nil {
                    let prior = recent[r.fingerprint]
                    let signals = SubmissionSignals(
                        honeypotFilled: r.honeypotFilled, recentFromSource: prior?.n ?? 0,
                        secondsSincePrevious: prior.map { Int((r.createdMs - $0.last) / 1000) }, secondsToAnswer: r.secondsToAnswer,
                        kiosk: r.channel == .kiosk)
                    switch ResponseIntegrity.judge(signals, rules: r.rules) {
                    case .refuse:
                        outcomes[i] = .refused
                        continue
                    case .quarantine(let why):
                        status = .quarantined
                        reason = why
                    case .accept:
                        break
                    }
                }
                if let code = r.receiptCode {
                    let claimed = try await sql.raw("""
                        UPDATE survey_receipts SET used_ms = \(bind: r.createdMs) WHERE campaign_id = \(bind: campaignID) \
                        AND point_id = \(bind: r.pointID) AND code = \(bind: code) AND used_ms IS NULL RETURNING id
                        """).all(decoding: IDRow.self)
                    if claimed.isEmpty {
                        outcomes[i] = .receiptInvalid
                        continue
                    }
                }
                if r.enteredBy == nil { recent[r.fingerprint] = ((recent[r.fingerprint]?.n ?? 0) + 1, r.createdMs) }
                seen.insert(r.submissionKey)
                rows.append((i, status, reason))
                outcomes[i] = .stored(status)
            }
        }
        for chunk in stride(from: 0, to: rows.count, by: 500).map({ Array(rows[$0..<min(rows.count, $0 + 500)]) }) {
            var insert = sql.insert(into: "survey_responses").columns(columns)
            for row in chunk {
                let r = batch[row.index]
                func t(_ f: SIPASFactor) -> SatisfactionTally { r.tallies[f] ?? SatisfactionTally() }
                let values: [any Encodable & Sendable] = [
                    UUID.timeOrdered(ms: r.createdMs), r.campaignID, r.pointID, r.unitID, r.field, r.channel.rawValue, row.status.rawValue, row.reason?.rawValue,
                    AnswerCodec.encode(r.answers.values), r.fingerprint, r.submissionKey, r.receiptCode, r.enteredBy, r.createdMs, month(r.createdMs),
                    t(.access).satisfied, t(.access).answered, t(.procedure).satisfied, t(.procedure).answered,
                    t(.official).satisfied, t(.official).answered, t(.result).satisfied, t(.result).answered,
                    t(.feedback).satisfied, t(.feedback).answered, r.weightSum.e4, r.weightCount,
                ]
                insert = insert.values(values)
            }
            try await insert.run()
        }
        return outcomes.map { $0 ?? .refused }
    }
}

/// Reading: the public point behind a token, questionnaires (cached: a published version never changes),
/// fingerprints, results and exports.
enum SurveyService {
    struct PointInfo: Sendable {
        let pointID: UUID
        let campaignID: UUID
        let unitID: UUID
        let unitName: String
        let unitCode: String
        let token: String
        let campaignTitle: String
        let status: SurveyCampaign.Status
        let questionnaireID: UUID
        let channels: [SurveyChannel]
        let fields: [String]
        let receiptsRequired: Bool
        let startsOn: String
        let endsOn: String
        let rules: IntegrityRules

        func isOpen(on day: CivilDate) -> Bool {
            status == .open && startsOn <= day.iso && day.iso <= endsOn
        }
    }

    private struct PointRow: Decodable {
        let point_id: UUID, campaign_id: UUID, unit_id: UUID, unit_name: String, unit_code: String, token: String, title: String, status: String
        let questionnaire_id: UUID, channels: String, fields: String, receipts_required: Bool, starts_on: String, ends_on: String
        let window_seconds: Int, quarantine_after: Int, refuse_after: Int, kiosk_min_seconds: Int
    }

    static let pointSelect = """
        SELECT p.id AS point_id, p.campaign_id, p.unit_id, u.name AS unit_name, u.code AS unit_code, p.token, c.title, c.status, c.questionnaire_id, \
        c.channels, c.fields, c.receipts_required, c.starts_on, c.ends_on, c.window_seconds, c.quarantine_after, c.refuse_after, c.kiosk_min_seconds \
        FROM survey_points p JOIN survey_campaigns c ON c.id = p.campaign_id JOIN units u ON u.id = p.unit_id
        """

    private static func info(_ r: PointRow) -> PointInfo {
        PointInfo(
            pointID: r.point_id, campaignID: r.campaign_id, unitID: r.unit_id, unitName: r.unit_name, unitCode: r.unit_code, token: r.token,
            campaignTitle: r.title, status: SurveyCampaign.Status(rawValue: r.status) ?? .draft, questionnaireID: r.questionnaire_id,
            channels: r.channels.split(separator: ",").compactMap { SurveyChannel(rawValue: String($0)) },
            fields: r.fields.split(separator: ",").map(String.init), receiptsRequired: r.receipts_required, startsOn: r.starts_on, endsOn: r.ends_on,
            rules: IntegrityRules(windowSeconds: r.window_seconds, quarantineAfter: r.quarantine_after, refuseAfter: r.refuse_after, kioskMinSeconds: r.kiosk_min_seconds))
    }

    private struct CachedPoint {
        let point: PointInfo
        let fields: [(code: String, name: String)]
        let expires: ContinuousClock.Instant
    }

    private static let pointCache = Mutex<[String: CachedPoint]>([:])
    /// How long a public page trusts what it read about a point (campaign status, fields). The writer checks the
    /// campaign's status again inside its transaction, so a closed campaign takes nothing even within this time.
    static let pointTTL: Duration = .seconds(5)

    /// The point behind a public token and the names of its campaign's service fields, read at most once per
    /// `pointTTL` per process (every answer of a busy counter would otherwise read them again).
    static func publicPoint(token: String, on lazyDB: @autoclosure () -> any Database) async throws -> (PointInfo, [(code: String, name: String)])? {
        let now = ContinuousClock.now
        if let c = pointCache.withLock({ $0[token] }), c.expires > now { return (c.point, c.fields) }
        let db = lazyDB()
        guard let p = try await point(token: token, on: db) else { return nil }
        let fields = try await fieldNames(p.fields, on: db)
        pointCache.withLock { cache in
            if cache.count > 20_000 { cache.removeAll() }
            cache[token] = CachedPoint(point: p, fields: fields, expires: now + pointTTL)
        }
        return (p, fields)
    }

    static func fieldNames(_ codes: [String], on db: any Database) async throws -> [(code: String, name: String)] {
        guard !codes.isEmpty else { return [] }
        let all = try await SurveyField.query(on: db).sort(\.$sort).all()
        return all.filter { codes.contains($0.code) }.map { ($0.code, $0.name) }
    }

    static func point(token: String, on db: any Database) async throws -> PointInfo? {
        guard token.count <= 32, token.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }), let sql = db as? any SQLDatabase else { return nil }
        return try await sql.raw(SQLQueryString(pointSelect) + " WHERE p.token = \(bind: token)").first(decoding: PointRow.self).map(info)
    }

    static func points(campaign: UUID, on db: any Database) async throws -> [PointInfo] {
        guard let sql = db as? any SQLDatabase else { return [] }
        return try await sql.raw(SQLQueryString(pointSelect) + " WHERE p.campaign_id = \(bind: campaign) ORDER BY u.sort_key")
            .all(decoding: PointRow.self).map(info)
    }

    private static let cache = Mutex<[UUID: Questionnaire]>([:])

    /// A published questionnaire, parsed once per process (published versions are immutable).
    static func questionnaire(_ id: UUID, on lazyDB: @autoclosure () -> any Database) async throws -> Questionnaire {
        if let q = cache.withLock({ $0[id] }) { return q }
        guard let m = try await SurveyQuestionnaire.find(id, on: lazyDB()) else { throw AppError.notFound }
        let q = try m.questionnaire()
        if m.status != .draft { cache.withLock { $0[id] = q } }
        return q
    }

    // MARK: Fingerprints

    private static let saltKey = "survey_salt"
    private static let saltCache = Mutex<String?>(nil)

    /// The installation's secret salt (shared by every app server through the database, made on first use).
    static func salt(on lazyDB: @autoclosure () -> any Database) async throws -> String {
        if let s = saltCache.withLock({ $0 }) { return s }
        let db = lazyDB()
        if let row = try await ProvinceSetting.find(saltKey, on: db) {
            saltCache.withLock { $0 = row.json }
            return row.json
        }
        let fresh = CSRFMiddleware.newToken()
        do {
            try await ProvinceSetting(key: saltKey, json: fresh).create(on: db)
        } catch {
            // Another server made it first: read theirs.
        }
        guard let row = try await ProvinceSetting.find(saltKey, on: db) else { throw AppError.internalInconsistency("survey salt") }
        saltCache.withLock { $0 = row.json }
        return row.json
    }

    /// SHA-256 of salt, campaign, address and browser: the raw address is never stored, and the same phone on
    /// another campaign gives another fingerprint.
    static func fingerprint(salt: String, campaign: UUID, address: String, userAgent: String) -> String {
        String(Digest.sha256(Data((salt + "|" + campaign.uuidString + "|" + address + "|" + userAgent).utf8)).prefix(32))
    }

    // MARK: Results

    struct Cell: Sendable {
        var responses = 0
        var factors: [SIPASFactor: SatisfactionTally] = [:]
        var weightSum = Points.zero
        var weightCount = 0

        static func + (a: Cell, b: Cell) -> Cell {
            var c = a
            c.responses += b.responses
            for (f, t) in b.factors { c.factors[f, default: SatisfactionTally()] += t }
            c.weightSum += b.weightSum
            c.weightCount += b.weightCount
            return c
        }

        var pooled: SatisfactionTally { factors.values.reduce(SatisfactionTally(), +) }

        func overall(_ method: SatisfactionIndex.Overall) -> Points? { SatisfactionIndex.overall(factors, method: method) }
    }

    struct Results: Sendable {
        var byUnit: [UUID: Cell] = [:]
        var byField: [String: Cell] = [:]
        var byMonth: [String: Cell] = [:]
        var total = Cell()
        var quarantined = 0
        var byChannel: [String: Int] = [:]
    }

    private struct AggRow: Decodable {
        let unit_id: UUID, field: String?, month: String, channel: String, status: String, n: Int
        let s_access: Int, n_access: Int, s_procedure: Int, n_procedure: Int, s_official: Int, n_official: Int
        let s_result: Int, n_result: Int, s_feedback: Int, n_feedback: Int, w_sum: Int64, w_count: Int
    }

    static func results(campaign: UUID, on db: any Database) async throws -> Results {
        guard let sql = db as? any SQLDatabase else { return Results() }
        let rows = try await sql.raw("""
            SELECT unit_id, field, month, channel, status, CAST(COUNT(*) AS BIGINT) AS n, \
            CAST(SUM(s_access) AS BIGINT) AS s_access, CAST(SUM(n_access) AS BIGINT) AS n_access, \
            CAST(SUM(s_procedure) AS BIGINT) AS s_procedure, CAST(SUM(n_procedure) AS BIGINT) AS n_procedure, \
            CAST(SUM(s_official) AS BIGINT) AS s_official, CAST(SUM(n_official) AS BIGINT) AS n_official, \
            CAST(SUM(s_result) AS BIGINT) AS s_result, CAST(SUM(n_result) AS BIGINT) AS n_result, \
            CAST(SUM(s_feedback) AS BIGINT) AS s_feedback, CAST(SUM(n_feedback) AS BIGINT) AS n_feedback, \
            CAST(SUM(w_sum_e4) AS BIGINT) AS w_sum, CAST(SUM(w_count) AS BIGINT) AS w_count \
            FROM survey_responses WHERE campaign_id = \(bind: campaign) GROUP BY unit_id, field, month, channel, status
            """).all(decoding: AggRow.self)
        var out = Results()
        for r in rows {
            guard r.status == ResponseStatus.accepted.rawValue else {
                if r.status == ResponseStatus.quarantined.rawValue { out.quarantined += r.n }
                continue
            }
            var c = Cell(responses: r.n, weightSum: Points(e4: r.w_sum), weightCount: r.w_count)
            let pairs: [(SIPASFactor, Int, Int)] = [
                (.access, r.s_access, r.n_access), (.procedure, r.s_procedure, r.n_procedure), (.official, r.s_official, r.n_official),
                (.result, r.s_result, r.n_result), (.feedback, r.s_feedback, r.n_feedback),
            ]
            for (f, s, n) in pairs where n > 0 { c.factors[f] = SatisfactionTally(satisfied: s, answered: n) }
            out.byUnit[r.unit_id, default: Cell()] = out.byUnit[r.unit_id, default: Cell()] + c
            out.byField[r.field ?? "", default: Cell()] = out.byField[r.field ?? "", default: Cell()] + c
            out.byMonth[r.month, default: Cell()] = out.byMonth[r.month, default: Cell()] + c
            out.total = out.total + c
            out.byChannel[r.channel, default: 0] += r.n
        }
        return out
    }

    static func settings(on db: any Database) async throws -> SurveySettings {
        guard let row = try await ProvinceSetting.find(SurveySettings.key, on: db),
            let s = try? JSONDecoder().decode(SurveySettings.self, from: Data(row.json.utf8))
        else { return .starter }
        return s
    }
}

/// Offers each unit's satisfaction index for a year to the PAR Index (`satisfaction_rate`): accepted answers of
/// every campaign of that year, pooled or as the mean of factors (the province's setting).
struct SatisfactionMetricSource: MetricSource {
    private struct Row: Decodable {
        let unit_id: UUID
        let s_access: Int, n_access: Int, s_procedure: Int, n_procedure: Int, s_official: Int, n_official: Int
        let s_result: Int, n_result: Int, s_feedback: Int, n_feedback: Int
    }

    func values(for unitIDs: [UUID], year: Int, on db: any Database) async throws -> [UUID: [MetricKey: Points]] {
        guard !unitIDs.isEmpty, let sql = db as? any SQLDatabase else { return [:] }
        let method = try await SurveyService.settings(on: db).overall
        let wanted = Set(unitIDs)
        let rows = try await sql.raw("""
            SELECT r.unit_id, CAST(SUM(r.s_access) AS BIGINT) AS s_access, CAST(SUM(r.n_access) AS BIGINT) AS n_access, \
            CAST(SUM(r.s_procedure) AS BIGINT) AS s_procedure, CAST(SUM(r.n_procedure) AS BIGINT) AS n_procedure, \
            CAST(SUM(r.s_official) AS BIGINT) AS s_official, CAST(SUM(r.n_official) AS BIGINT) AS n_official, \
            CAST(SUM(r.s_result) AS BIGINT) AS s_result, CAST(SUM(r.n_result) AS BIGINT) AS n_result, \
            CAST(SUM(r.s_feedback) AS BIGINT) AS s_feedback, CAST(SUM(r.n_feedback) AS BIGINT) AS n_feedback \
            FROM survey_responses r JOIN survey_campaigns c ON c.id = r.campaign_id \
            WHERE c.year = \(bind: year) AND r.status = \(bind: ResponseStatus.accepted.rawValue) GROUP BY r.unit_id
            """).all(decoding: Row.self)
        var out: [UUID: [MetricKey: Points]] = [:]
        for r in rows where wanted.contains(r.unit_id) {
            var f: [SIPASFactor: SatisfactionTally] = [:]
            for (k, s, n) in [(SIPASFactor.access, r.s_access, r.n_access), (.procedure, r.s_procedure, r.n_procedure), (.official, r.s_official, r.n_official),
                              (.result, r.s_result, r.n_result), (.feedback, r.s_feedback, r.n_feedback)] where n > 0 {
                f[k] = SatisfactionTally(satisfied: s, answered: n)
            }
            if let v = SatisfactionIndex.overall(f, method: method) { out[r.unit_id] = [.satisfactionRate: v] }
        }
        return out
    }
}

/// The weighted answers of campaigns linked to a PAR-Index survey criterion (leaders rating units, A–D), per
/// criterion code and unit, for the cycle's year: the criterion's points come from these when the unit has
/// entered nothing for it.
enum SurveyCriterionFeed {
    private struct Row: Decodable { let criterion_code: String, unit_id: UUID, w_sum: Int64, w_count: Int }

    static func inputs(year: Int, on db: any Database) async throws -> [String: [UUID: LeafInput]] {
        guard let sql = db as? any SQLDatabase else { return [:] }
        let rows = try await sql.raw("""
            SELECT c.criterion_code, r.unit_id, CAST(SUM(r.w_sum_e4) AS BIGINT) AS w_sum, CAST(SUM(r.w_count) AS BIGINT) AS w_count \
            FROM survey_responses r JOIN survey_campaigns c ON c.id = r.campaign_id \
            WHERE c.year = \(bind: year) AND c.criterion_code IS NOT NULL AND r.status = \(bind: ResponseStatus.accepted.rawValue) \
            GROUP BY c.criterion_code, r.unit_id
            """).all(decoding: Row.self)
        var out: [String: [UUID: LeafInput]] = [:]
        for r in rows where r.w_count > 0 {
            out[r.criterion_code, default: [:]][r.unit_id] = .weighted(sum: Points(e4: r.w_sum), count: r.w_count)
        }
        return out
    }
}

extension UUID {
    /// A version-7 UUID (RFC 9562): 48 bits of Unix milliseconds, then random bits. Stored as 16 bytes, such ids
    /// sort by time, so a table's primary-key index grows at its end instead of being written all over (each
    /// page a commit touches is written to the WAL and synced: random keys multiplied the bytes per commit).
    static func timeOrdered(ms: Int64) -> UUID {
        var b = [UInt8](repeating: 0, count: 16)
        let t = UInt64(max(0, ms))
        for i in 0..<6 { b[i] = UInt8((t >> UInt64(8 * (5 - i))) & 0xFF) }
        var rng = SystemRandomNumberGenerator()
        let r1 = rng.next() as UInt64, r2 = rng.next() as UInt64
        for i in 6..<16 { b[i] = UInt8(((i < 14 ? r1 : r2) >> UInt64(8 * (i % 8))) & 0xFF) }
        b[6] = 0x70 | (b[6] & 0x0F)
        b[8] = 0x80 | (b[8] & 0x3F)
        return UUID(uuid: (b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]))
    }
}
