import Fluent
import Foundation
import ThiDuaCore

/// Surveys for the demo province: the two starter questionnaires published, a closed 2025 campaign and an open
/// 2026 campaign over some communes and departments, with synthetic answers (a few held for review) so that the
/// results, trend and exports have something to show. The answers are fictional, generated from a fixed seed.
enum DemoSurveyLoader {
    typealias Seeded = SplitMix64

    /// A plausible answer: each unit has its own level of service (`mood`, 0–1) that tilts the ratings.
    static func answer(_ q: Questionnaire, mood: Double, rng: inout Seeded) -> SurveyAnswers? {
        var raw: [String: [String]] = [:]
        func rating() -> String {
            let x = Double.random(in: 0...1, using: &rng) * 0.5 + mood * 0.62
            return x > 0.95 ? "5" : x > 0.62 ? "4" : x > 0.45 ? "3" : x > 0.3 ? "2" : "1"
        }
        let channel = ["truc_tiep", "truc_tiep", "truc_tuyen", "buu_chinh"][Int.random(in: 0..<4, using: &rng)]
        raw["kenh"] = [channel]
        if channel == "truc_tiep" { raw["so_lan"] = [["1", "1", "2", "3"][Int.random(in: 0..<4, using: &rng)]] }
        if channel == "truc_tuyen" { raw["cong_dvc"] = [rating()] }
        for k in ["tiep_can", "thu_tuc", "ket_qua"] { raw[k] = [rating()] }
        for r in ["thai_do", "huong_dan", "tuan_thu"] { raw["cong_chuc." + r] = [rating()] }
        raw["dung_hen"] = [Double.random(in: 0...1, using: &rng) < 0.85 + mood * 0.1 ? "yes" : "no"]
        let complained = Double.random(in: 0...1, using: &rng) < 0.15
        raw["da_gop_y"] = [complained ? "yes" : "no"]
        if complained { raw["xu_ly_gop_y"] = [rating()] }
        raw["mong_doi"] = [["nhanh", "truc_tuyen", "rut_gon", "thai_do", "co_so"][Int.random(in: 0..<5, using: &rng)]]
        if Int.random(in: 0..<12, using: &rng) == 0 { raw["gop_y"] = ["Cán bộ hướng dẫn tận tình, nhưng phải chờ lâu."] }
        guard case .success(let a) = SurveyAnswers.check(q, raw) else { return nil }
        return a
    }

    static func load(on db: any Database, today: CivilDate) async throws {
        let actor = Actor.system("demo")
        var units: [String: UUID] = [:]
        for u in try await Unit.query(on: db).all() { units[u.code] = u.id }
        let sipas = SurveyQuestionnaire(SurveyStarters.sipas, version: 1)
        let leaders = SurveyQuestionnaire(SurveyStarters.leadersRating, version: 1)
        let fields = M010_CreateSurveys.starterFields.map(\.0)
        let wards = units.keys.filter { $0.hasPrefix("P") && $0.count == 3 }.sorted().prefix(5)
        let communes = units.keys.filter { $0.hasPrefix("X") && $0.count == 3 }.sorted().prefix(6)
        let chosen = Array(wards) + Array(communes) + ["SNV", "STP", "SXD", "STC"].filter { units[$0] != nil }
        let unitIDs = units
        let campaigns = try await db.writing(as: actor, reason: "demo data") { tx, audit -> [(SurveyCampaign, Int, ClosedRange<Int>)] in
            var campaigns: [(SurveyCampaign, Int, ClosedRange<Int>)] = []
            for q in [sipas, leaders] {
                q.statusRaw = SurveyQuestionnaire.Status.published.rawValue
                q.publishedAt = Date()
                try await q.create(on: tx)
                audit.created(q)
            }
            for (year, count, months) in [(2025, 420, 1...12), (today.year, 900, 1...max(1, today.month))] {
                let c = SurveyCampaign()
                c.title = "Khảo sát sự hài lòng của người dân, tổ chức năm \(year)"
                c.$questionnaire.id = try sipas.requireID()
                c.year = year
                c.startsOn = "\(year)-01-01"
                c.endsOn = "\(year)-12-31"
                // Open while the answers go in (the writer takes public answers only for open campaigns), closed
                // afterwards if it belongs to a past year.
                c.statusRaw = SurveyCampaign.Status.open.rawValue
                c.channelsRaw = SurveyChannel.allCases.map(\.rawValue).joined(separator: ",")
                c.fieldsRaw = fields.joined(separator: ",")
                c.receiptsRequired = false
                c.rules = .default
                try await c.create(on: tx)
                audit.created(c)
                for code in chosen {
                    guard let unit = unitIDs[code] else { continue }
                    let p = SurveyPoint(campaignID: try c.requireID(), unitID: unit, token: SurveyPoint.newToken())
                    try await p.create(on: tx)
                    audit.created(p)
                }
                campaigns.append((c, count, months))
            }
            return campaigns
        }
        let q = SurveyStarters.sipas
        var rng = Seeded(seed: 2026)
        for (c, count, months) in campaigns {
            let points = try await SurveyService.points(campaign: try c.requireID(), on: db)
            guard !points.isEmpty else { continue }
            let moods = Dictionary(uniqueKeysWithValues: points.map { ($0.unitID, Double.random(in: 0.55...0.95, using: &rng)) })
            var batch: [IncomingResponse] = []
            for i in 0..<count {
                let p = points[Int.random(in: 0..<points.count, using: &rng)]
                guard let a = answer(q, mood: moods[p.unitID] ?? 0.6, rng: &rng) else { continue }
                let month = months.lowerBound + Int.random(in: 0..<months.count, using: &rng)
                let day = min(Int.random(in: 1...28, using: &rng), month == today.month && c.year == today.year ? max(1, today.day) : 28)
                let at = CivilDate(year: c.year, month: month, day: day)!
                var when = Date(timeIntervalSince1970: Double(at.daysSinceEpoch) * 86_400 + Double(Int.random(in: 1...9, using: &rng)) * 3_600)
                // Every 60th answer comes in a burst from one phone within minutes: the integrity rules hold it for review.
                let burst = i % 60 == 0
                if burst { when = Date(timeIntervalSince1970: Double(CivilDate(year: c.year, month: months.lowerBound, day: 10)!.daysSinceEpoch) * 86_400 + Double(i)) }
                let source = burst ? "demo-burst" : "demo-\(i)"
                let channel: SurveyChannel = burst ? .link : i % 7 == 0 ? .paper : i % 5 == 0 ? .kiosk : .link
                batch.append(IncomingResponse(
                    point: p, questionnaire: q, answers: a, field: fields[Int.random(in: 0..<fields.count, using: &rng)], channel: channel,
                    fingerprint: String(Digest.sha256(Data(source.utf8)).prefix(32)), submissionKey: "demo-\(c.year)-\(i)", receiptCode: nil,
                    enteredBy: nil, honeypotFilled: false, secondsToAnswer: nil, now: when))
            }
            for chunk in stride(from: 0, to: batch.count, by: 300) {
                _ = try await SurveyStore.write(Array(batch[chunk..<min(batch.count, chunk + 300)]), on: db)
            }
            if c.year < today.year {
                let id = try c.requireID()
                try await db.writing(as: actor, reason: "demo data") { tx, audit in
                    guard let fresh = try await SurveyCampaign.find(id, on: tx) else { return }
                    let before = fresh.auditSnapshot
                    fresh.statusRaw = SurveyCampaign.Status.closed.rawValue
                    try await fresh.update(on: tx)
                    audit.updated(fresh, before: before)
                }
            }
        }
    }
}
