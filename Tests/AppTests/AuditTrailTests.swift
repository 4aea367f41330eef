import Fluent
import Foundation
import SQLKit
import Synchronization
import Testing
import ThiDuaCore
import Vapor
import VaporTesting

@testable import App

@Suite struct AuditTrailTests {
    @Test func everyChangeIsRecordedWithBeforeAfterAndReason() async throws {
        try await withApp { app in
            // setup
            let f = try await Fixture.make(on: app.db)
            let admin = try await app.makeUser("admin", grants: [(.systemAdmin, f.root)])
            let b = try await Browser.signIn(admin, on: app.db)
            // act
            let res = try await app.post("/units/\(f.stc)", as: b, form: [
                "name": "Sở Tài chính tỉnh", "kind": "department", "parent_id": f.root.uuidString, "version": "1",
                "reason": "Đổi tên theo Quyết định 12/QĐ-UBND",
            ])
            // check
            #expect(res.status == .seeOther)
            let rec = try #require(try await AuditRecord.query(on: app.db).filter(\.$entityID == f.stc.uuidString).filter(\.$action == "update").first())
            #expect(rec.actorName == "admin")
            #expect(rec.before?.contains("\"name\":\"Sở Tài chính\"") == true)
            #expect(rec.after?.contains("\"name\":\"Sở Tài chính tỉnh\"") == true)
            #expect(rec.reason == "Đổi tên theo Quyết định 12/QĐ-UBND")
            let history = try await app.get("/audit/unit/\(f.stc)", as: b)
            #expect(history.text.contains("Đổi tên theo Quyết định 12/QĐ-UBND"))
            #expect(try await AuditVerification.verify(on: app.db).failure == nil)
        }
    }

    /// SQLite's writers of one process take turns at the gate (suspended, not spinning in SQLite's busy handler).
    @Test func theWriterGateLetsOneThroughAtATime() async {
        let gate = WriterGate()
        let log = GateLog()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<40 {
                group.addTask {
                    await gate.run {
                        log.state.withLock { $0.inside += 1; $0.most = max($0.most, $0.inside) }
                        try? await Task.sleep(for: .milliseconds(1))
                        log.state.withLock { $0.inside -= 1; $0.done += 1 }
                    }
                }
            }
        }
        let seen = log.state.withLock { $0 }
        #expect(seen.most == 1)
        #expect(seen.done == 40)
        #expect(seen.inside == 0)
    }

    /// A write transaction's SQLite connection checkpoints its log at the configured size, not SQLite's 1,000 pages.
    @Test func writersCheckpointAtTheConfiguredLogSize() async throws {
        #expect(throws: AppConfig.ConfigError.self) { try AppConfig.load(["THIDUA_SQLITE_CHECKPOINT_PAGES": "10"]) }
        #expect(throws: AppConfig.ConfigError.self) { try AppConfig.load(["THIDUA_SQLITE_CHECKPOINT_PAGES": "8k"]) }
        #expect(try AppConfig.load(["THIDUA_SQLITE_CHECKPOINT_PAGES": "2000"]).sqliteCheckpointPages == 2_000)
        #expect(try AppConfig.load([:]).sqliteCheckpointPages == 8_000)
        try await withApp { app in
            guard let sql = app.db as? any SQLDatabase, sql.dialect.name == "sqlite" else { return }
            struct Pages: Decodable { let wal_autocheckpoint: Int }
            let pages = try await app.db.writing(as: .system("test")) { tx, _ in
                try await (tx as! any SQLDatabase).raw("PRAGMA wal_autocheckpoint").first(decoding: Pages.self)?.wal_autocheckpoint
            }
            #expect(pages == app.config.sqliteCheckpointPages)
        }
    }

    @Test func editingARowBehindTheAppsBackIsDetected() async throws {
        try await withApp { app in
            _ = try await Fixture.make(on: app.db)
            #expect(try await AuditVerification.verify(on: app.db).failure == nil)
            let sql = app.db as! any SQLDatabase
            try await sql.raw("UPDATE audit_links SET after_json = '{\"name\":\"Giả mạo\"}' WHERE seq = 3").run()
            let report = try await AuditVerification.verify(on: app.db)
            #expect(report.failure == .alteredContent(seq: 3))
        }
    }

    @Test func deletingARowOrTheTailIsDetected() async throws {
        try await withApp { app in
            _ = try await Fixture.make(on: app.db)
            let sql = app.db as! any SQLDatabase
            try await sql.raw("DELETE FROM audit_links WHERE seq = 2").run()
            #expect(try await AuditVerification.verify(on: app.db).failure == .gap(expectedSeq: 2, found: 3))
        }
        try await withApp { app in
            _ = try await Fixture.make(on: app.db)
            let sql = app.db as! any SQLDatabase
            try await sql.raw("DELETE FROM audit_links WHERE seq = 6").run()
            #expect(try await AuditVerification.verify(on: app.db).failure == .headMismatch(headSeq: 6, lastSeq: 5))
        }
    }

    @Test func concurrentWritersKeepOneUnbrokenChain() async throws {
        try await withApp { app in
            let f = try await Fixture.make(on: app.db)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for i in 0..<20 {
                    group.addTask {
                        let u = Unit(code: "P\(i)", name: "Phòng \(i)", shortName: nil, kind: .office, parentID: f.snv, validFrom: nil, validTo: nil)
                        try await app.db.writing(as: .system("test")) { tx, audit in
                            try await u.create(on: tx)
                            audit.created(u)
                        }
                    }
                }
                try await group.waitForAll()
            }
            let report = try await AuditVerification.verify(on: app.db)
            #expect(report.failure == nil)
            #expect(report.checked == 26)
        }
    }

    @Test func theVerifyCommandFailsOnATamperedTrail() async throws {
        try await withApp { app in
            _ = try await Fixture.make(on: app.db)
            try await app.run(AuditVerifyCommand(), ["thidua"])
            let sql = app.db as! any SQLDatabase
            try await sql.raw("UPDATE audit_links SET actor_name = 'ai-do' WHERE seq = 1").run()
            await #expect(throws: CommandFailure.self) {
                try await app.run(AuditVerifyCommand(), ["thidua"])
            }
        }
    }
}

private final class GateLog: Sendable {
    let state = Mutex<(inside: Int, most: Int, done: Int)>((0, 0, 0))
}
