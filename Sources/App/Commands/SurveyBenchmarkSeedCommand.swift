import Fluent
import Foundation
import SQLKit
import Vapor
import ThiDuaCore

/// Fills an empty database for the survey benchmark (scripts/bench-surveys.sh): a province of `--units`
/// communes, the SIPAS starter published, one open campaign over all of them for the current year, and
/// `--responses` synthetic accepted answers spread over the year (a province's year is about 200,000). Prints the
/// campaign, one public token and a session cookie of the reform office. Refuses a database that has units.
struct SurveyBenchmarkSeedCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "units") var units: Int?
        @Option(name: "responses") var responses: Int?
    }

    var help: String { "Đợt khảo sát tổng hợp cho đo hiệu năng (CSDL trống) / synthetic survey campaign for benchmarks (empty database)" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let db = app.db
        guard try await Unit.query(on: db).count() == 0 else { throw CommandFailure("Cơ sở dữ liệu đã có đơn vị") }
        let unitCount = max(1, signature.units ?? 100)
        let total = max(0, signature.responses ?? 200_000)
        let today = app.today
        let root = Unit(code: "BENCH", name: "Tỉnh đo hiệu năng", shortName: nil, kind: .province, parentID: nil, validFrom: nil, validTo: nil)
        try await root.create(on: db)
        let rootID = try root.requireID()
        var unitIDs: [UUID] = []
        for i in 0..<unitCount {
            let u = Unit(code: String(format: "X%05d", i), name: "Xã Thử nghiệm \(i)", shortName: nil, kind: .commune, parentID: rootID, validFrom: nil, validTo: nil)
            try await u.create(on: db)
            unitIDs.append(try u.requireID())
        }
        let q = SurveyQuestionnaire(SurveyStarters.sipas, version: 1)
        q.statusRaw = SurveyQuestionnaire.Status.published.rawValue
        try await q.create(on: db)
        let c = SurveyCampaign()
        c.title = "Đo hiệu năng \(today.year)"
        c.$questionnaire.id = try q.requireID()
        c.year = today.year
        c.startsOn = "\(today.year)-01-01"
        c.endsOn = "\(today.year)-12-31"
        c.statusRaw = SurveyCampaign.Status.open.rawValue
        c.channelsRaw = SurveyChannel.allCases.map(\.rawValue).joined(separator: ",")
        c.fieldsRaw = M010_CreateSurveys.starterFields.map(\.0).joined(separator: ",")
        c.receiptsRequired = false
        c.rules = .default
        try await c.create(on: db)
        for u in unitIDs { try await SurveyPoint(campaignID: try c.requireID(), unitID: u, token: SurveyPoint.newToken()).create(on: db) }
        let points = try await SurveyService.points(campaign: try c.requireID(), on: db)
        let questionnaire = SurveyStarters.sipas
        var rng = SplitMix64(seed: 7)
        let fields = M010_CreateSurveys.starterFields.map(\.0)
        let start = CivilDate(year: today.year, month: 1, day: 1)!.daysSinceEpoch
        let span = max(1, today.daysSinceEpoch - start)
        var done = 0
        while done < total {
            let n = min(2_000, total - done)
            var batch: [IncomingResponse] = []
            batch.reserveCapacity(n)
            for i in 0..<n {
                let p = points[Int.random(in: 0..<points.count, using: &rng)]
                guard let a = DemoSurveyLoader.answer(questionnaire, mood: 0.75, rng: &rng) else { continue }
                let when = Date(timeIntervalSince1970: Double(start + Int.random(in: 0..<span, using: &rng)) * 86_400 + Double(Int.random(in: 0..<36_000, using: &rng)))
                batch.append(IncomingResponse(
                    point: p, questionnaire: questionnaire, answers: a, field: fields[Int.random(in: 0..<fields.count, using: &rng)], channel: .link,
                    fingerprint: String(format: "%032x", done + i), submissionKey: "seed-\(done + i)", receiptCode: nil, enteredBy: nil,
                    honeypotFilled: false, secondsToAnswer: nil, now: when))
            }
            _ = try await SurveyStore.write(batch, on: db)
            done += n
        }
        if let sql = db as? any SQLDatabase { try await sql.raw("ANALYZE").run() }
        let hash = try await app.password.async.hash(UserAccounts.generatePassword())
        let office = try await UserAccounts.create(on: db, actor: .system("bench-seed"), username: "bench.office", displayName: "Sở Nội vụ",
                                                   passwordHash: hash, grants: [(.reformOffice, rootID)], mustChangePassword: false)
        let token = CSRFMiddleware.newToken()
        try await UserSession(tokenHash: SessionAuthMiddleware.hash(token), userID: try office.requireID(), now: Date()).create(on: db)
        context.console.output("office_cookie=\(SessionAuthMiddleware.cookieName)=\(token)".consoleText())
        context.console.output("campaign=\(try c.requireID())".consoleText())
        context.console.output("token=\(points[0].token)".consoleText())
        context.console.output("responses=\(try await SurveyStore.count(campaign: try c.requireID(), on: db))".consoleText())
    }
}

extension SurveyStore {
    private struct CountRow: Decodable { let n: Int }

    static func count(campaign: UUID, on db: any Database) async throws -> Int {
        guard let sql = db as? any SQLDatabase else { return 0 }
        return try await sql.raw("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM survey_responses WHERE campaign_id = \(bind: campaign)").first(decoding: CountRow.self)?.n ?? 0
    }
}

/// `thidua surveys count --campaign ID`: how many responses a campaign holds (the crash test and the benchmark
/// check their figures against it).
struct SurveyCountCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "campaign") var campaign: String?
    }

    var help: String { "Số phiếu của một đợt khảo sát / number of responses of a campaign" }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let id = signature.campaign.flatMap(UUID.init(uuidString:)) else { throw CommandFailure("--campaign ID") }
        context.console.output("\(try await SurveyStore.count(campaign: id, on: context.application.db))".consoleText())
    }
}
