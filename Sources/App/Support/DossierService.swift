import Fluent
import Foundation
import SQLKit
import Synchronization
import Vapor
import ThiDuaCore

/// What a batch of dossiers did.
struct IngestReport: Content, Equatable {
    var inserted = 0
    var updated = 0
    /// Items whose procedure or unit is unknown: stored aside with the reason, re-processable once the catalogue
    /// or the registry knows them.
    var keptAside: [KeptAside] = []

    struct KeptAside: Content, Equatable {
        let code: String
        let reason: String
    }
}

/// A batch refused whole: nothing of it was stored.
struct IngestRefusal: Error {
    struct Item: Content, Equatable {
        let index: Int
        let code: String?
        let field: String
        let problem: String
        let value: String?
    }
    let items: [Item]
}

/// Dossiers from one-stop systems: checking, storing (idempotent by dossier code) and keeping the running tallies
/// per unit, procedure and month current in the same transaction, so indicators are always up to date without
/// recounting. The working calendar is a province setting.
enum DossierService {
    static let calendarKey = "working_calendar"
    static let maxBatch = 5_000
    /// Batches of `thidua dossiers import`: larger than the API's (fewer commits, and the tallies a batch touches
    /// are written once for more dossiers); a bad row still stops the run at its batch.
    static let importBatch = 20_000
    /// A batch of 5,000 dossiers is ~3 MB of JSON; larger bodies are refused before they are read whole.
    static let maxBatchBytes = 16 * 1024 * 1024

    // MARK: Calendar

    private static let compiled = Mutex<(json: String, calendar: CompiledCalendar)?>(nil)

    static func calendar(on db: any Database) async throws -> WorkingCalendar {
        guard let s = try await ProvinceSetting.find(calendarKey, on: db), let c = try? JSONDecoder().decode(WorkingCalendar.self, from: Data(s.json.utf8))
        else { return WorkingCalendar() }
        return c
    }

    /// The compiled calendar, rebuilt only when the setting changed (the cache is derived from the database on each
    /// call, so app servers never disagree for longer than a read).
    static func clock(on db: any Database) async throws -> DossierClock {
        let json = try await ProvinceSetting.find(calendarKey, on: db)?.json ?? ""
        if let hit = compiled.withLock({ $0 }), hit.json == json { return DossierClock(hit.calendar) }
        let calendar = (try? JSONDecoder().decode(WorkingCalendar.self, from: Data(json.utf8))) ?? WorkingCalendar()
        let c = CompiledCalendar(calendar)
        compiled.withLock { $0 = (json, c) }
        return DossierClock(c)
    }

    // MARK: Checking

    /// Checks raw items (API objects or file rows, fields by name); any problem or a code given twice refuses the
    /// whole batch.
    static func check(_ items: [(String) -> String?]) -> Result<[DossierInput], IngestRefusal> {
        var out: [DossierInput] = []
        var problems: [IngestRefusal.Item] = []
        var seen: [String: Int] = [:]
        for (i, item) in items.enumerated() {
            switch DossierInput.check(item) {
            case .success(let d):
                if let first = seen[d.code] {
                    problems.append(.init(index: i, code: d.code, field: "code", problem: FieldProblem.duplicate(firstRow: first).key, value: String(first)))
                } else {
                    seen[d.code] = i
                }
                out.append(d)
            case .failure(let list):
                let code = item("code").map { String($0.prefix(40)) }
                for p in list.list { problems.append(.init(index: i, code: code, field: p.field, problem: p.problem.key, value: p.problem.argument)) }
            }
        }
        return problems.isEmpty ? .success(out) : .failure(IngestRefusal(items: problems))
    }

    // MARK: Storing

    private struct ProcedureRow: Decodable {
        let id: UUID, code: String, statutory_half_days: Int, internal_half_days: Int?, fee: Int64
    }
    private struct UnitRow: Decodable { let id: UUID, code: String }
    /// A stored dossier sent again: what its old contribution to the tallies was.
    fileprivate struct ExistingRow: Sendable {
        let code: String, unit_id: UUID, procedure_id: UUID, received_month: String, resolved_month: String?, facts: String
    }

    struct TallyKey: Hashable { let unit: UUID, procedure: UUID, month: String }

    /// Which of `codes` are stored already.
    static func storedCodes(among codes: [String], on db: any Database) async throws -> Set<String> {
        guard let sql = db as? any SQLDatabase else { throw AppError.internalInconsistency("dossiers need SQL") }
        struct Row: Decodable { let code: String }
        var out = Set<String>()
        for chunk in codes.chunked(500) {
            for r in try await sql.raw("SELECT code FROM dossiers WHERE code IN (\(binds: chunk))").all(decoding: Row.self) { out.insert(r.code) }
        }
        return out
    }

    static func month(_ seconds: Int64) -> String { String(DossierClock.localDay(seconds).iso.prefix(7)) }

    /// Stores checked dossiers in one transaction: new codes are inserted, known codes replaced (their old
    /// contribution to the tallies is taken out first), unknown procedures or units kept aside.
    static func ingest(
        _ items: [DossierInput], source: String, actor: Actor, on db: any Database, timer: PhaseTimer? = nil
    ) async throws -> IngestReport {
        guard !items.isEmpty else { return IngestReport() }
        let clock = try await clock(on: db)
        let report = try await db.writing(as: actor, reason: source) { tx, audit in
            timer?.mark("wait")
            return try await store(items, source: source, clock: clock, on: tx, audit: audit, timer: timer)
        }
        timer?.mark("commit")
        return report
    }

    /// The body of `ingest`, inside a write transaction the caller holds (a web import also marks its batch done in it).
    static func store(
        _ items: [DossierInput], source: String, clock: DossierClock, on tx: any Database, audit: AuditRecorder, timer: PhaseTimer? = nil
    ) async throws -> IngestReport {
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        guard let sql = tx as? any SQLDatabase else { throw AppError.internalInconsistency("dossiers need SQL") }
        var report = IngestReport()
        var procedures: [String: ProcedureRow] = [:]
        for chunk in items.map(\.procedureCode).uniqued().chunked(500) {
            for r in try await sql.raw("SELECT id, code, statutory_half_days, internal_half_days, fee FROM procedures WHERE code IN (\(binds: chunk))")
                .all(decoding: ProcedureRow.self)
            { procedures[r.code] = r }
        }
        var units: [String: UUID] = [:]
        for chunk in items.map(\.unitCode).uniqued().chunked(500) {
            for r in try await sql.raw("SELECT id, code FROM units WHERE code IN (\(binds: chunk))").all(decoding: UnitRow.self) { units[r.code] = r.id }
        }
        var existing: [String: ExistingRow] = [:]
        for chunk in items.map(\.code).chunked(500) {
            for r in try await BulkSQL.select(
                "SELECT code, unit_id, procedure_id, received_month, resolved_month, facts FROM dossiers WHERE code IN", in: chunk.map { .text($0) },
                on: sql, read: ExistingRow.init)
            { existing[r.code] = r }
        }
        timer?.mark("lookup")
        var deltas: [TallyKey: DossierTally] = [:]
        var rows: [[BulkValue]] = []
        rows.reserveCapacity(items.count)
        var rejects: [[BulkValue]] = []
        for d in items {
            guard let p = procedures[d.procedureCode], let unitID = units[d.unitCode] else {
                let reason = procedures[d.procedureCode] == nil ? "unknownProcedure" : "unknownUnit"
                let payload = String(decoding: try JSONEncoder().encode(d), as: UTF8.self)
                rejects.append([
                    .uuid(UUID.timeOrdered(ms: now)), .text(d.code), .text(d.procedureCode), .text(d.unitCode), .text(reason), .text(payload),
                    .text(String(source.prefix(200))), .int(now),
                ])
                report.keptAside.append(.init(code: d.code, reason: reason))
                continue
            }
            let facts = clock.facts(
                channel: d.channel, received: d.received, resolved: d.resolved, result: d.result,
                statutory: TimeLimit(halfDays: p.statutory_half_days), internalLimit: p.internal_half_days.map { TimeLimit(halfDays: $0) },
                payable: p.fee > 0, paidOnline: d.paidOnline, digitised: d.digitised, rated: d.rating != nil, unsatisfied: d.rating == .unsatisfied,
                complaint: d.complaint)
            if let old = existing[d.code] {
                // Written by this service; unreadable facts would leave the old contribution in the tallies for good.
                guard let oldFacts = DossierFacts(json: old.facts) else {
                    throw AppError.internalInconsistency("the stored facts of dossier \(d.code) cannot be read")
                }
                deltas[TallyKey(unit: old.unit_id, procedure: old.procedure_id, month: old.received_month), default: DossierTally()]
                    .remove(oldFacts, parts: .receipt)
                if let m = old.resolved_month {
                    deltas[TallyKey(unit: old.unit_id, procedure: old.procedure_id, month: m), default: DossierTally()].remove(oldFacts, parts: .resolution)
                }
                report.updated += 1
            } else {
                report.inserted += 1
            }
            let receivedMonth = month(d.received)
            let resolvedMonth = facts.resolved ? d.resolved.map(month) : nil
            deltas[TallyKey(unit: unitID, procedure: p.id, month: receivedMonth), default: DossierTally()].add(facts, parts: .receipt)
            if let m = resolvedMonth { deltas[TallyKey(unit: unitID, procedure: p.id, month: m), default: DossierTally()].add(facts, parts: .resolution) }
            let due = clock.due(received: d.received, limit: TimeLimit(halfDays: p.statutory_half_days))
            let factsJSON = facts.json
            rows.append([
                .uuid(UUID.timeOrdered(ms: now)), .text(d.code), .uuid(p.id), .uuid(unitID), .text(d.channel.rawValue), .int(d.received), .int(due),
                .int(d.due), .int(d.resolved), .int(d.returned), .text(d.result?.rawValue), .bool(d.paidOnline), .bool(d.digitised),
                .text(d.rating?.rawValue), .bool(d.complaint), .text(facts.timeliness?.rawValue), .int(facts.processingHalfDays),
                .text(receivedMonth), .text(resolvedMonth), .text(factsJSON), .int(now),
            ])
            existing[d.code] = ExistingRow(
                code: d.code, unit_id: unitID, procedure_id: p.id, received_month: receivedMonth, resolved_month: resolvedMonth, facts: factsJSON)
        }
        timer?.mark("rows")
        try await BulkSQL.insert("INSERT INTO dossier_rejects (id, code, procedure_code, unit_code, reason, payload, source, created_ms)", rows: rejects, on: sql)
        try await upsertDossiers(rows, on: sql)
        timer?.mark("dossiers")
        try await apply(deltas, on: sql)
        timer?.mark("tallies")
        audit.record(.create, type: "dossier_batch", id: source, before: nil, after: [
            "inserted": String(report.inserted), "updated": String(report.updated), "kept_aside": String(report.keptAside.count),
        ])
        return report
    }

    static let dossierColumns = [
        "id", "code", "procedure_id", "unit_id", "channel", "received_s", "due_s", "sent_due_s", "resolved_s", "returned_s", "result",
        "paid_online", "digitised", "rating", "complaint", "timeliness", "processing_half_days", "received_month", "resolved_month", "facts",
        "updated_ms",
    ]

    private static func upsertDossiers(_ rows: [[BulkValue]], on sql: any SQLDatabase) async throws {
        let updates = dossierColumns.filter { $0 != "id" && $0 != "code" }.map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
        try await BulkSQL.insert(
            "INSERT INTO dossiers (\(dossierColumns.joined(separator: ", ")))", rows: rows, tail: "ON CONFLICT (code) DO UPDATE SET \(updates)", on: sql)
    }

    static let tallyColumns = [
        "received", "resolved", "early", "on_time", "late", "withdrawn", "online", "payable", "paid_online", "digitised", "rated", "unsatisfied",
        "complaints", "processing_hd", "statutory_hd", "internal_resolved", "internal_hd", "within_internal",
    ]

    struct TallyRow: Decodable, TallyColumns {
        let unit_id: UUID, procedure_id: UUID, month: String
        let received: Int, resolved: Int, early: Int, on_time: Int, late: Int, withdrawn: Int, online: Int, payable: Int, paid_online: Int
        let digitised: Int, rated: Int, unsatisfied: Int, complaints: Int, processing_hd: Int, statutory_hd: Int, internal_resolved: Int
        let internal_hd: Int, within_internal: Int

        var tally: DossierTally { counts }
    }

    static func values(_ t: DossierTally) -> [BulkValue] {
        [
            t.received, t.resolved, t.early, t.onTime, t.late, t.withdrawn, t.online, t.payable, t.paidOnline, t.digitised, t.rated, t.unsatisfied,
            t.complaints, t.processingHalfDays, t.statutoryHalfDays, t.internalResolved, t.internalHalfDays, t.processingWithinInternal,
        ].map { BulkValue.int($0) }
    }

    struct UnitMonth: Hashable { let unit: UUID, month: String }

    /// Adds the deltas to the stored tallies, the per-unit rollup and the histograms: increments only, nothing is
    /// read back but the changed tally rows' ids (so a batch costs the same however many dossiers are stored).
    private static func apply(_ deltas: [TallyKey: DossierTally], on sql: any SQLDatabase) async throws {
        let changed = deltas.filter { $0.value != DossierTally() }
        guard !changed.isEmpty else { return }
        // The tally rows give back their ids: the histogram rows are keyed by them.
        var tallyIDs: [TallyKey: Int64] = [:]
        let tallies = increment("dossier_tallies", keys: ["unit_id", "procedure_id", "month"])
        for r in try await BulkSQL.insertReturning(
            tallies.head, rows: changed.map { [.uuid($0.key.unit), .uuid($0.key.procedure), .text($0.key.month)] + values($0.value) },
            tail: tallies.tail + " RETURNING id, unit_id, procedure_id, month", rowsPerStatement: 300, on: sql,
            read: { r in (TallyKey(unit: try r.uuid("unit_id"), procedure: try r.uuid("procedure_id"), month: try r.text("month")), try r.int("id")) })
        {
            tallyIDs[r.0] = r.1
        }
        var units: [UnitMonth: DossierTally] = [:]
        var histograms: [[BulkValue]] = []
        for (key, delta) in changed {
            units[UnitMonth(unit: key.unit, month: key.month), default: DossierTally()].addCounts(delta)  // no histogram per unit
            guard let id = tallyIDs[key] else { throw AppError.internalInconsistency("a tally row came back without its id") }
            for (hd, n) in delta.histogram where n != 0 { histograms.append([.int(id), .int(hd), .int(n)]) }
        }
        let unitTallies = increment("dossier_unit_tallies", keys: ["unit_id", "month"])
        try await BulkSQL.insert(
            unitTallies.head, rows: units.map { [.uuid($0.key.unit), .text($0.key.month)] + values($0.value) }, tail: unitTallies.tail,
            rowsPerStatement: 300, on: sql)
        try await BulkSQL.insert(
            "INSERT INTO dossier_tally_histograms (tally_id, half_days, n)", rows: histograms,
            tail: "ON CONFLICT (tally_id, half_days) DO UPDATE SET n = dossier_tally_histograms.n + excluded.n", on: sql)
    }

    /// `INSERT … ON CONFLICT (keys) DO UPDATE SET c = table.c + excluded.c` for every tally column.
    private static func increment(_ table: String, keys: [String]) -> (head: String, tail: String) {
        let columns = keys + tallyColumns
        let updates = tallyColumns.map { "\($0) = \(table).\($0) + excluded.\($0)" }.joined(separator: ", ")
        return ("INSERT INTO \(table) (\(columns.joined(separator: ", ")))", "ON CONFLICT (\(keys.joined(separator: ", "))) DO UPDATE SET \(updates)")
    }

    /// Everything stored, summed: counts from the tallies, the histogram from its table (tests compare this with a
    /// recount of the dossiers' facts).
    static func storedTotal(on sql: any SQLDatabase) async throws -> DossierTally {
        // Columns named, never `*`: SQLiteNIO reads a result's column names before the first step, and a connection
        // whose cached schema predates a table rebuild (M015 run on another connection) would name the old columns.
        let columns = (["unit_id", "procedure_id", "month"] + tallyColumns).joined(separator: ", ")
        var total = try await sql.raw("SELECT \(unsafeRaw: columns) FROM dossier_tallies").all(decoding: TallyRow.self)
            .reduce(into: DossierTally()) { $0 += $1.tally }
        struct H: Decodable { let half_days: Int, n: Int }
        for h in try await sql.raw("SELECT half_days, CAST(SUM(n) AS BIGINT) AS n FROM dossier_tally_histograms GROUP BY half_days").all(decoding: H.self)
        where h.n != 0 { total.histogram[h.half_days] = h.n }
        return total
    }
}

extension DossierService.ExistingRow {
    init(_ r: BulkRow) throws {
        try self.init(
            code: r.text("code"), unit_id: r.uuid("unit_id"), procedure_id: r.uuid("procedure_id"), received_month: r.text("received_month"),
            resolved_month: r.optionalText("resolved_month"), facts: r.text("facts"))
    }
}

/// A row holding the tally columns (stored, or summed over months): one place turns them into a tally.
protocol TallyColumns {
    var received: Int { get }
    var resolved: Int { get }
    var early: Int { get }
    var on_time: Int { get }
    var late: Int { get }
    var withdrawn: Int { get }
    var online: Int { get }
    var payable: Int { get }
    var paid_online: Int { get }
    var digitised: Int { get }
    var rated: Int { get }
    var unsatisfied: Int { get }
    var complaints: Int { get }
    var processing_hd: Int { get }
    var statutory_hd: Int { get }
    var internal_resolved: Int { get }
    var internal_hd: Int { get }
    var within_internal: Int { get }
}

extension TallyColumns {
    /// The counts (no histogram).
    var counts: DossierTally {
        var t = DossierTally()
        t.received = received
        t.resolved = resolved
        t.early = early
        t.onTime = on_time
        t.late = late
        t.withdrawn = withdrawn
        t.online = online
        t.payable = payable
        t.paidOnline = paid_online
        t.digitised = digitised
        t.rated = rated
        t.unsatisfied = unsatisfied
        t.complaints = complaints
        t.processingHalfDays = processing_hd
        t.statutoryHalfDays = statutory_hd
        t.internalResolved = internal_resolved
        t.internalHalfDays = internal_hd
        t.processingWithinInternal = within_internal
        return t
    }
}

extension Array {
    func chunked(_ size: Int) -> [[Element]] {
        stride(from: 0, to: count, by: size).map { Array(self[$0..<Swift.min(count, $0 + size)]) }
    }
}

extension Array where Element: Hashable {
    func uniqued() -> [Element] {
        var seen: Set<Element> = []
        return filter { seen.insert($0).inserted }
    }
}
