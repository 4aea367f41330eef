import Fluent
import Foundation
import SQLKit
import Testing
import ThiDuaCore
import Vapor
import VaporTesting

@testable import App

/// The database the suites run on: SQLite in a temporary folder, or PostgreSQL (each test in its own
/// schema) when THIDUA_TEST_DATABASE_URL is set. The test command runs the suites both ways.
enum TestDB {
    static var postgresURL: String? {
        ProcessInfo.processInfo.environment["THIDUA_TEST_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }
}

/// Builds an isolated app and database, migrates, runs `body`, and tears everything down even on failure.
func withApp(configure adjust: (inout AppConfig) -> Void = { _ in }, _ body: (Application) async throws -> Void) async throws {
    let app = try await Application.make(.testing)
    app.logger.logLevel = .warning
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("thidua-test-\(UUID().uuidString)").path
    var config = AppConfig()
    config.bcryptCost = 4
    config.dataDirectory = dir
    config.loginMaxFailures = 5
    let schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
    adjust(&config)
    if let url = TestDB.postgresURL {
        config.databaseURL = url
        config.databaseSchema = String(schema)
    }
    do {
        try await configure(app, config: config)
        if TestDB.postgresURL != nil, let sql = app.db as? any SQLDatabase {
            try await sql.raw("CREATE SCHEMA \(ident: String(schema))").run()
        }
        try await app.autoMigrate()
        try await body(app)
    } catch {
        await teardown(app, schema: String(schema), dir: dir)
        throw error
    }
    await teardown(app, schema: String(schema), dir: dir)
}

private func teardown(_ app: Application, schema: String, dir: String) async {
    if TestDB.postgresURL != nil, let sql = app.db as? any SQLDatabase {
        try? await sql.raw("DROP SCHEMA \(ident: schema) CASCADE").run()
    }
    try? await app.asyncShutdown()
    try? FileManager.default.removeItem(atPath: dir)
}

/// A small province for tests: root UBND, two departments (SNV, STC) with an office each, two communes.
struct Fixture {
    let root: UUID
    let snv: UUID
    let snvOffice: UUID
    let stc: UUID
    let commune1: UUID
    let commune2: UUID

    static func make(on db: any Database) async throws -> Fixture {
        func unit(_ code: String, _ name: String, _ kind: UnitKind, _ parent: UUID?) async throws -> UUID {
            let u = Unit(code: code, name: name, shortName: nil, kind: kind, parentID: parent, validFrom: nil, validTo: nil)
            try await db.writing(as: .system("test")) { tx, audit in
                try await u.create(on: tx)
                audit.created(u)
            }
            return try u.requireID()
        }
        let root = try await unit("UBND", "Ủy ban nhân dân tỉnh Thử nghiệm", .province, nil)
        let snv = try await unit("SNV", "Sở Nội vụ", .department, root)
        let office = try await unit("SNV-CCHC", "Phòng Cải cách hành chính", .office, snv)
        let stc = try await unit("STC", "Sở Tài chính", .department, root)
        let c1 = try await unit("XTP", "Xã Tân Phong", .commune, root)
        let c2 = try await unit("XTH", "Xã Tân Hòa", .commune, root)
        return Fixture(root: root, snv: snv, snvOffice: office, stc: stc, commune1: c1, commune2: c2)
    }
}

/// A signed-in browser for tests: a session created directly in the database and a CSRF cookie.
struct Browser {
    let sessionToken: String?
    let csrf = "csrf-test-token-0123456789abcdefghijklmnopq"  // 43 characters, like real tokens

    var cookieHeader: String {
        var parts = ["thidua_csrf=\(csrf)"]
        if let sessionToken { parts.append("thidua_session=\(sessionToken)") }
        return parts.joined(separator: "; ")
    }

    static let anonymous = Browser(sessionToken: nil)

    static func signIn(_ userID: UUID, on db: any Database) async throws -> Browser {
        let token = CSRFMiddleware.newToken()
        try await UserSession(tokenHash: SessionAuthMiddleware.hash(token), userID: userID, now: Date()).create(on: db)
        return Browser(sessionToken: token)
    }

    func headers(_ extra: [(String, String)] = []) -> HTTPHeaders {
        var h = HTTPHeaders()
        h.add(name: .cookie, value: cookieHeader)
        for (k, v) in extra { h.add(name: k, value: v) }
        return h
    }

    /// Form body with the CSRF field added.
    func form(_ fields: [String: String]) -> String {
        var all = fields
        all["_csrf"] = all["_csrf"] ?? csrf
        return all.map { k, v in
            k + "=" + (v.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
        }.sorted().joined(separator: "&")
    }
}

extension Application {
    /// Creates a user with grants; returns its id.
    func makeUser(_ username: String, password: String = "Mat-khau-2026", grants: [(Role, UUID)]) async throws -> UUID {
        let hash = try Bcrypt.hash(password, cost: 4)
        let user = try await UserAccounts.create(
            on: db, actor: .system("test"), username: username, displayName: username, passwordHash: hash,
            grants: grants, mustChangePassword: false)
        return try user.requireID()
    }

    func get(_ path: String, as browser: Browser) async throws -> TestingHTTPResponse {
        var result: TestingHTTPResponse?
        try await testing().test(.GET, path, headers: browser.headers()) { res in result = res }
        return result!
    }

    func post(_ path: String, as browser: Browser, form: [String: String] = [:]) async throws -> TestingHTTPResponse {
        var result: TestingHTTPResponse?
        var headers = browser.headers()
        headers.contentType = .urlEncodedForm
        try await testing().test(.POST, path, headers: headers, body: ByteBuffer(string: browser.form(form))) { res in
            result = res
        }
        return result!
    }

    /// Form body with repeated fields (check boxes named `x[]`), the CSRF field added.
    func post(_ path: String, as browser: Browser, pairs: [(String, String)]) async throws -> TestingHTTPResponse {
        var result: TestingHTTPResponse?
        var headers = browser.headers()
        headers.contentType = .urlEncodedForm
        let body = (pairs + [("_csrf", browser.csrf)]).map { k, v in
            (k.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "") + "=" + (v.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
        }.joined(separator: "&")
        try await testing().test(.POST, path, headers: headers, body: ByteBuffer(string: body)) { res in result = res }
        return result!
    }

    /// Multipart upload of one file with the CSRF token in the query string, as the import form sends it.
    func upload(_ path: String, as browser: Browser, fields: [String: String], fileName: String, data: Data) async throws -> TestingHTTPResponse {
        let boundary = "----thidua\(UUID().uuidString)"
        var body = Data()
        for (k, v) in fields {
            body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(k)\"\r\n\r\n\(v)\r\n".utf8))
        }
        body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(fileName)\"\r\nContent-Type: application/octet-stream\r\n\r\n".utf8))
        body.append(data)
        body.append(Data("\r\n--\(boundary)--\r\n".utf8))
        var headers = browser.headers()
        headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
        var result: TestingHTTPResponse?
        try await testing().test(.POST, path + "?_csrf=" + browser.csrf, headers: headers, body: ByteBuffer(data: body)) { res in
            result = res
        }
        return result!
    }
}

extension TestingHTTPResponse {
    var text: String { body.string }
    var location: String? { headers.first(name: .location) }
}

extension Application {
    /// Runs a command the way `thidua <name> …` does, with this application in its context.
    func run(_ command: any AnyAsyncCommand, _ arguments: [String]) async throws {
        var context = CommandContext(console: console, input: CommandInput(arguments: arguments))
        context.application = self
        try await command.run(using: &context)
    }
}

/// A PAR Index set-up for tests: the small framework, a cycle in self-assessment for one block (SNV, STC),
/// one assessment with a score and a piece of evidence.
struct IndexFixture {
    let framework: UUID
    let cycle: UUID
    let assessment: UUID
    let evidence: UUID

    static let frameworkJSON = """
        {"format":"thidua.framework/1","code":"TEST-2026","name":"Bộ tiêu chí thử 2026","year":2026,"unitKind":"department","places":2,"total":"20",
         "criteria":[
          {"code":"1","parent":null,"title":"Chỉ đạo, điều hành","max":"10"},
          {"code":"1.1","parent":"1","title":"Kế hoạch CCHC","max":"4","method":{"type":"binary"}},
          {"code":"1.2","parent":"1","title":"Hoàn thành nhiệm vụ","max":"6","method":{"type":"tiers","tiers":[{"min":"100","points":"6"},{"min":"90","points":"4"}]}},
          {"code":"2","parent":null,"title":"Thủ tục hành chính","max":"10"},
          {"code":"2.1","parent":"2","title":"Tự chấm","max":"6","method":{"type":"manual"}},
          {"code":"2.2","parent":"2","title":"Khảo sát","max":"4","method":{"type":"survey","weights":["100","60","20","0"]}}
         ]}
        """

    static func make(on db: any Database, fixture f: Fixture, blockID: UUID, phase: CyclePhase = .setup) async throws -> IndexFixture {
        let spec = try FrameworkJSON.decode(Data(frameworkJSON.utf8))
        let fw = try await FrameworkController.store(spec, on: db, actor: .system("test"))
        let cycle = IndexCycle(year: 2026, name: "Chỉ số CCHC 2026", deadlines: CycleDeadlines(selfAssessment: CivilDate(year: 2099, month: 12, day: 31)))
        cycle.phaseRaw = phase.rawValue
        try await cycle.create(on: db)
        if try await BlockMember.query(on: db).filter(\.$block.$id == blockID).filter(\.$unit.$id == f.snv).count() == 0 {
            try await BlockMember(blockID: blockID, unitID: f.snv).create(on: db)
        }
        let assignment = IndexAssignment(cycleID: try cycle.requireID(), blockID: blockID, frameworkID: try fw.requireID())
        try await assignment.create(on: db)
        let a = IndexAssessment(cycleID: try cycle.requireID(), unitID: f.snv, frameworkID: try fw.requireID(), groupName: "Khối các sở")
        try await a.create(on: db)
        let score = IndexScore(assessmentID: try a.requireID(), criterionCode: "1.1")
        score.selfValue = "đạt"
        try await score.create(on: db)
        let blob = EvidenceBlob(sha256: Digest.sha256(Data("%PDF-1.4 test".utf8)), mediaType: "application/pdf", data: Data("%PDF-1.4 test".utf8))
        try await blob.create(on: db)
        let e = IndexEvidence()
        e.$score.id = try score.requireID()
        e.blobSHA256 = blob.id
        e.fileName = "ke-hoach.pdf"
        e.addedBy = "test"
        e.addedMillis = 0
        try await e.create(on: db)
        return IndexFixture(framework: try fw.requireID(), cycle: try cycle.requireID(), assessment: try a.requireID(), evidence: try e.requireID())
    }
}

/// A PAR plan set-up for tests: an issued province plan for 2026 with one task led by SNV (officer named,
/// target, output) and one progress report carrying a file.
struct PlanFixture {
    let plan: UUID
    let task: UUID
    let report: UUID
    let evidence: UUID

    static func make(on db: any Database, fixture f: Fixture) async throws -> PlanFixture {
        let plan = Plan(kind: .annual, unitID: f.root, yearFrom: 2026, yearTo: 2026, title: "Kế hoạch CCHC năm 2026")
        plan.statusRaw = PlanStatus.issued.rawValue
        try await plan.create(on: db)
        let task = PlanTask()
        task.version = 1
        task.$plan.id = try plan.requireID()
        task.code = "1"
        task.sortKey = PlanTask.sortKey("1")
        task.area = 0
        task.title = "Ban hành kế hoạch CCHC"
        task.targetE4 = Points(1).e4
        task.targetUnit = "kế hoạch"
        task.outputKind = OutputKind.plan.rawValue
        task.output = "Kế hoạch của Sở"
        task.dueOn = "2026-01-30"
        task.effectiveDueOn = "2026-01-30"
        task.$leadUnit.id = f.snv
        task.coordinating = ""
        task.officer = "Nguyễn Văn An"
        try await task.create(on: db)
        let r = TaskReport()
        r.$task.id = try task.requireID()
        r.reportedOn = "2026-01-20"
        r.percentE4 = Points(50).e4
        r.reportedBy = "test"
        r.atMillis = 0
        try await r.create(on: db)
        let data = Data("%PDF-1.4 plan".utf8)
        let blob = EvidenceBlob(sha256: Digest.sha256(data), mediaType: "application/pdf", data: data)
        try await blob.create(on: db)
        let e = TaskEvidence()
        e.$report.id = try r.requireID()
        e.blobSHA256 = blob.id
        e.fileName = "ke-hoach.pdf"
        try await e.create(on: db)
        return PlanFixture(plan: try plan.requireID(), task: try task.requireID(), report: try r.requireID(), evidence: try e.requireID())
    }
}
