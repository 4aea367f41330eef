import Fluent
import Foundation
import SQLKit
import Testing
import ThiDuaCore
import Vapor
import VaporTesting

@testable import App

@Suite struct OperationsTests {
    /// Every table's rows as text, in a stable order: what "identical data" means for the round trip.
    static func dump(_ db: any Database) async throws -> [String: [String]] {
        let sql = db as! any SQLDatabase
        var out: [String: [String]] = [:]
        let tables = ["units", "unit_successions", "emulation_blocks", "block_members", "people", "performance_ratings",
                      "person_periods", "users", "role_grants", "audit_links", "audit_head"]
        for t in tables {
            let rows = try await sql.raw("SELECT * FROM \(ident: t)").all()
            var lines: [String] = []
            for row in rows {
                var cells: [String] = []
                for c in row.allColumns.sorted() { cells.append(c + "=" + Self.cell(row, c)) }
                lines.append(cells.joined(separator: "|"))
            }
            out[t] = lines.sorted()
        }
        return out
    }

    static func cell(_ row: any SQLRow, _ column: String) -> String {
        if (try? row.decodeNil(column: column)) == true { return "∅" }
        if let u = try? row.decode(column: column, as: UUID.self) { return u.uuidString }
        if let s = try? row.decode(column: column, as: String.self) { return s }
        if let i = try? row.decode(column: column, as: Int64.self) { return String(i) }
        if let d = try? row.decode(column: column, as: Double.self) { return String(d) }
        if let b = try? row.decode(column: column, as: Bool.self) { return String(b) }
        return "?"
    }

    @Test(.enabled(if: TestDB.postgresURL == nil, "SQLite backup; PostgreSQL deployments use pg_dump"))
    func backupThenRestoreGivesIdenticalData() async throws {
        try await withApp { app in
            // setup
            try await DemoLoader.load(DemoProvince.generate(seed: 7), on: app.db)
            let before = try await Self.dump(app.db)
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("thidua-backup-\(UUID()).sqlite").path
            defer { try? FileManager.default.removeItem(atPath: file) }
            // act
            try await app.run(BackupCommand(), ["thidua", file])
            let snv = try #require(try await Unit.query(on: app.db).filter(\.$code == "SNV").first())
            try await app.db.writing(as: .system("test")) { tx, audit in
                let b = snv.auditSnapshot
                snv.set(name: "Đã sửa sau sao lưu", shortName: nil, kind: .department, validFrom: nil, validTo: nil)
                try await snv.update(on: tx)
                audit.updated(snv, before: b)
            }
            #expect(try await Self.dump(app.db) != before)
            try await app.run(RestoreCommand(), ["thidua", file])
            // check
            let after = try await Self.dump(app.db)
            #expect(after == before)
            #expect(try await AuditVerification.verify(on: app.db).failure == nil)
            await #expect(throws: CommandFailure.self) { try await app.run(RestoreCommand(), ["thidua", "/etc/hostname"]) }
        }
    }

    @Test func demoProvinceLoadsWithAnIntactTrail() async throws {
        try await withApp { app in
            try await app.run(DemoCommand(), ["thidua", "--no-passwords"])
            #expect(try await Unit.query(on: app.db).count() >= 140)
            #expect(try await Person.query(on: app.db).count() == 300)
            #expect(try await EmulationBlock.query(on: app.db).filter(\.$year == 2026).count() == 7)
            // The PAR Index demo: a published 2025 cycle and a 2026 cycle open for self-assessment.
            #expect(try await IndexPublication.query(on: app.db).count() == 1)
            // Surveys: a closed past campaign and an open current one, both with answers (some held for review).
            let campaigns = try await SurveyCampaign.query(on: app.db).sort(\.$year).all()
            #expect(campaigns.map(\.status) == [.closed, .open])
            for c in campaigns { #expect(try await SurveyStore.count(campaign: try c.requireID(), on: app.db) > 300) }
            #expect(try await IndexCycle.query(on: app.db).filter(\.$year == 2026).first()?.phase == .selfAssessment)
            #expect(try await IndexAssessment.query(on: app.db).count() > 100)
            #expect(try await UnitSuccession.query(on: app.db).count() > 10)
            #expect(try await AuditVerification.verify(on: app.db).failure == nil)
            // Loading twice does not duplicate.
            try await app.run(DemoCommand(), ["thidua", "--no-passwords"])
            #expect(try await Person.query(on: app.db).count() == 300)
        }
    }

    @Test func userCommandsCreateAndReset() async throws {
        try await withApp { app in
            _ = try await Fixture.make(on: app.db)
            try await app.run(UserCreateCommand(), ["thidua", "--username", "quan.tri", "--password", "Quan-tri-2026", "--role", "system_admin", "--unit", "UBND", "--name", "Quản trị"])
            let user = try #require(try await User.query(on: app.db).filter(\.$username == "quan.tri").first())
            #expect(try Bcrypt.verify("Quan-tri-2026", created: user.passwordHash))
            await #expect(throws: CommandFailure.self) {
                try await app.run(UserCreateCommand(), ["thidua", "--username", "x.y", "--password", "ngan", "--role", "leader", "--unit", "UBND"])
            }
            try await app.run(UserResetPasswordCommand(), ["thidua", "quan.tri"])
            let reset = try #require(try await User.query(on: app.db).filter(\.$username == "quan.tri").first())
            #expect(reset.mustChangePassword)
            #expect(!(try Bcrypt.verify("Quan-tri-2026", created: reset.passwordHash)))
        }
    }

    @Test(arguments: [
        ("Quá hạn {0} ngày — báo {1}", ["12", "Sở Nội vụ"], "Quá hạn 12 ngày — báo Sở Nội vụ"),
        ("{1} trước {0}", ["a", "b"], "b trước a"),
        ("{0}{0}", ["x"], "xx"),
        ("{0} và {2}", ["x"], "x và {2}"),  // a placeholder without an argument stays
        ("{0}", ["{1}"], "{1}"),  // an argument is never read as a template
        ("{ {x} {", ["y"], "{ {x} {"),
        ("Không có", [], "Không có"),
    ])
    func placeholdersAreFilledOnce(template: String, args: [String], expected: String) {
        #expect(Localizer.fill(template, args) == expected)
    }

    @Test func everyCatalogKeyExistsInBothLanguagesAndEveryUsedKeyExists() throws {
        // check: the same keys
        let vi = Set(Catalog.vi.keys), en = Set(Catalog.en.keys)
        #expect(vi.subtracting(en).isEmpty, "missing in English: \(vi.subtracting(en).sorted())")
        #expect(en.subtracting(vi).isEmpty, "missing in Vietnamese: \(en.subtracting(vi).sorted())")
        #expect(Catalog.vi.values.allSatisfy { !$0.isEmpty } && Catalog.en.values.allSatisfy { !$0.isEmpty })
        // check: every literal key the code asks for
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/App")
        let files = FileManager.default.enumerator(atPath: sources.path)?.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") } ?? []
        let pattern = try NSRegularExpression(pattern: #"\bt\("([a-z][A-Za-z0-9_]*\.[A-Za-z0-9_.]+)""#)
        var missing: Set<String> = []
        for f in files {
            let text = try String(contentsOfFile: sources.appendingPathComponent(f).path, encoding: .utf8)
            for m in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                let key = String(text[Range(m.range(at: 1), in: text)!])
                if !key.hasSuffix(".") && Catalog.vi[key] == nil { missing.insert(key) }
            }
        }
        #expect(missing.isEmpty, "keys used but not in the catalog: \(missing.sorted())")
        // check: every label key of the domain enums
        let labelKeys = UnitKind.allCases.map(\.labelKey) + Role.allCases.map(\.labelKey) + Sex.allCases.map(\.labelKey)
            + PerformanceRating.allCases.map(\.labelKey) + DisciplineKind.allCases.map(\.labelKey)
            + PendingCaseKind.allCases.map(\.labelKey) + LeaveKind.allCases.map(\.labelKey)
            + SuccessionKind.allCases.map(\.labelKey) + ImportColumnsKeys.all
        #expect(labelKeys.filter { Catalog.vi[$0] == nil }.isEmpty, "\(labelKeys.filter { Catalog.vi[$0] == nil })")
    }
}

/// Two real `thidua serve` processes on one PostgreSQL: a session started on one continues on the other.
@Suite struct MultiServerTests {
    static var binary: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".build/debug/thidua").path
    }

    @discardableResult
    static func curl(_ args: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["curl", "-s", "--max-time", "10"] + args
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    @Test(.enabled(if: TestDB.postgresURL != nil && FileManager.default.fileExists(atPath: MultiServerTests.binary)))
    func signInOnOneServerContinueOnAnother() async throws {
        try await withApp { app in
            // setup
            let f = try await Fixture.make(on: app.db)
            _ = try await app.makeUser("hai.may", password: "Hai-may-chu-2026", grants: [(.leader, f.root)])
            var env = ProcessInfo.processInfo.environment
            env["DATABASE_URL"] = TestDB.postgresURL
            env["THIDUA_DB_SCHEMA"] = app.config.databaseSchema
            env["THIDUA_BCRYPT_COST"] = "4"
            var servers: [Process] = []
            defer { for s in servers { s.terminate(); s.waitUntilExit() } }
            let ports = [18301 + Int.random(in: 0..<500), 18901 + Int.random(in: 0..<500)]
            for port in ports {
                let p = Process()
                p.executableURL = URL(fileURLWithPath: Self.binary)
                p.arguments = ["serve", "--hostname", "127.0.0.1", "--port", String(port)]
                p.environment = env
                p.standardOutput = FileHandle.nullDevice
                p.standardError = FileHandle.nullDevice
                try p.run()
                servers.append(p)
            }
            for port in ports {
                var up = false
                for _ in 0..<100 where !up {
                    up = (try? Self.curl(["http://127.0.0.1:\(port)/healthz"]))?.contains("ok") == true
                    if !up { try await Task.sleep(for: .milliseconds(200)) }
                }
                #expect(up, "server on \(port) did not start")
            }
            let jar = FileManager.default.temporaryDirectory.appendingPathComponent("jar-\(UUID())").path
            defer { try? FileManager.default.removeItem(atPath: jar) }
            // act: sign in on the first server
            let loginPage = try Self.curl(["-c", jar, "-b", jar, "http://127.0.0.1:\(ports[0])/login"])
            let token = try #require(loginPage.range(of: #"name="_csrf" value="([^"]+)""#, options: .regularExpression).map {
                String(loginPage[$0]).replacingOccurrences(of: "name=\"_csrf\" value=\"", with: "").dropLast()
            })
            let status = try Self.curl(["-c", jar, "-b", jar, "-o", "/dev/null", "-w", "%{http_code}",
                                        "--data-urlencode", "_csrf=\(token)", "--data-urlencode", "username=hai.may",
                                        "--data-urlencode", "password=Hai-may-chu-2026", "http://127.0.0.1:\(ports[0])/login"])
            #expect(status == "303")
            // check: continue on the second
            let page = try Self.curl(["-c", jar, "-b", jar, "http://127.0.0.1:\(ports[1])/units"])
            #expect(page.contains("Sở Nội vụ"))
            #expect(page.contains("hai.may"))
        }
    }
}

enum ImportColumnsKeys {
    static var all: [String] { (UnitImport.columns + PersonImport.columns).map(\.labelKey) }
}
