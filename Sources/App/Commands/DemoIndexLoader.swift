import Fluent
import Foundation
import ThiDuaCore

/// PAR Index data for the demo province: the starter frameworks, a published 2025 cycle with appraised scores for
/// every unit (so the public results page has content), and a 2026 cycle open for self-assessment.
enum DemoIndexLoader {
    /// Deterministic pseudo-random numbers, so the demo looks the same every time.
    typealias Dice = SplitMix64

    static func load(on db: any Database) async throws {
        let actor = Actor.system("demo")
        var frameworks: [String: IndexFramework] = [:]
        for (_, data) in IndexCommands.starterFrameworks() {
            let spec = try FrameworkJSON.decode(data)
            frameworks[spec.code] = try await FrameworkController.store(spec, on: db, actor: actor)
            let last = spec.copied(toYear: spec.year - 1, code: spec.code.replacingOccurrences(of: String(spec.year), with: String(spec.year - 1)))
            frameworks[last.code] = try await FrameworkController.store(last, on: db, actor: actor)
        }
        let blocks2026 = try await EmulationBlock.query(on: db).filter(\.$year == 2026).all()
        let frameworksByCode = frameworks
        // Last year's blocks had the same members.
        let blocks2025 = try await db.writing(as: actor, reason: "demo data") { tx, audit -> [EmulationBlock] in
            var out: [EmulationBlock] = []
            for b in blocks2026 {
                let copy = EmulationBlock(year: 2025, code: b.code, name: b.name)
                try await copy.create(on: tx)
                audit.created(copy)
                for m in try await BlockMember.query(on: tx).filter(\.$block.$id == b.requireID()).all() {
                    let member = BlockMember(blockID: try copy.requireID(), unitID: m.$unit.id)
                    try await member.create(on: tx)
                    audit.created(member)
                }
                out.append(copy)
            }
            return out
        }
        // 2025: published.
        let d = { (y: Int, m: Int, day: Int) in CivilDate(year: y, month: m, day: day) }
        let c2025 = IndexCycle(year: 2025, name: "Chỉ số CCHC năm 2025", deadlines: CycleDeadlines(
            selfAssessment: d(2026, 1, 15), appraisal1: d(2026, 2, 10), explanation: d(2026, 2, 20), appraisal2: d(2026, 3, 5),
            council: d(2026, 3, 15), publication: d(2026, 3, 31)))
        let c2026 = IndexCycle(year: 2026, name: "Chỉ số CCHC năm 2026", deadlines: CycleDeadlines(
            selfAssessment: d(2027, 1, 15), appraisal1: d(2027, 2, 10), explanation: d(2027, 2, 20), appraisal2: d(2027, 3, 5),
            council: d(2027, 3, 15), publication: d(2027, 3, 31)))
        try await db.writing(as: actor, reason: "demo data") { tx, audit in
            for (cycle, blocks) in [(c2025, blocks2025), (c2026, blocks2026)] {
                try await cycle.create(on: tx)
                audit.created(cycle)
                for b in blocks {
                    guard let fw = framework(for: b, year: cycle.year, in: frameworksByCode) else { continue }
                    let a = IndexAssignment(cycleID: try cycle.requireID(), blockID: try b.requireID(), frameworkID: try fw.requireID())
                    try await a.create(on: tx)
                    audit.created(a)
                }
                cycle.phaseRaw = CyclePhase.selfAssessment.rawValue
                try await cycle.update(on: tx)
                try await CycleController.openAssessments(cycle, on: tx, audit: audit)
            }
        }
        // Scores for 2025: each unit has a "quality" that shapes its answers; appraisers trim a few.
        let assessments = try await IndexAssessment.query(on: db).filter(\.$cycle.$id == c2025.requireID()).all()
        try await db.writing(as: Actor.system("demo"), reason: "demo data") { tx, audit in
            var dice = Dice(seed: 2025)
            for a in assessments {
                guard let fwModel = frameworksByCode.values.first(where: { $0.id == a.$framework.id }) else { continue }
                let fw = try fwModel.compiled()
                let quality = dice.int(62...100)
                for leaf in fw.leaves {
                    let node = fw.nodes[leaf]
                    let score = IndexScore(assessmentID: try a.requireID(), criterionCode: node.code)
                    score.selfValue = value(for: node, quality: min(100, quality + dice.int(0...8)), dice: &dice)
                    if dice.int(1...12) == 1 {
                        score.appraisedValue = value(for: node, quality: quality - 10, dice: &dice)
                        score.appraisalReason = "Tài liệu kiểm chứng chưa đầy đủ"
                        score.appraisedBy = "thamdinh"
                    }
                    try await score.create(on: tx)
                    audit.created(score)
                }
                a.statusRaw = IndexAssessment.Status.submitted.rawValue
                a.submittedBy = "demo"
                try await a.update(on: tx)
            }
            c2025.phaseRaw = CyclePhase.council.rawValue
            c2025.approvedBy = "hoidong"
            c2025.approvedMillis = Int64(Date().timeIntervalSince1970 * 1000)
            try await c2025.update(on: tx)
        }
        let results = try await IndexService.results(cycle: c2025, on: db)
        let payload = PublicationPayload.make(cycle: c2025, results: results, number: 1, errata: nil)
        let pub = IndexPublication()
        pub.$cycle.id = try c2025.requireID()
        pub.number = 1
        pub.payload = String(decoding: payload.data, as: UTF8.self)
        pub.digest = Digest.sha256(payload.data)
        pub.publishedMillis = Int64(Date().timeIntervalSince1970 * 1000)
        pub.publishedBy = "cchc"
        try await db.writing(as: actor, reason: "demo data") { tx, audit in
            try await pub.create(on: tx)
            audit.created(pub)
            c2025.phaseRaw = CyclePhase.published.rawValue
            try await c2025.update(on: tx)
        }
    }

    /// Departments and central agencies use the departments' framework; commune clusters the communes' one.
    static func framework(for block: EmulationBlock, year: Int, in frameworks: [String: IndexFramework]) -> IndexFramework? {
        frameworks[(block.code.hasPrefix("CUM") ? "XA-" : "SO-") + String(year)]
    }

    /// A value as a unit would type it for this criterion, good in proportion to `quality` (0–100).
    static func value(for node: CompiledFramework.Node, quality: Int, dice: inout Dice) -> String {
        let q = max(0, min(100, quality))
        switch node.method {
        case .manual?:
            let e4 = node.kind == .penalty ? (q > 85 ? 0 : node.max.e4 / 4) : node.max.e4 * Int64(q) / 100
            return Points(e4: e4).rounded(places: 2).formatted(places: 2)
        case .binary?: return dice.int(0...100) < q ? "đạt" : "không đạt"
        case .tiers?, .metric?: return String(max(50, min(100, q + dice.int(-5...5))))
        case .proportional(let target)?: return Points(e4: target.e4 * Int64(q) / 100).rounded(places: 0).formatted(places: 0)
        case .deduction?: return String(q > 90 ? 0 : dice.int(0...3))
        case .survey?:
            let a = q / 4, b = (100 - q) / 8 + dice.int(0...3), c = dice.int(0...3), dd = q < 75 ? dice.int(0...2) : 0
            return "\(a);\(b);\(c);\(dd)"
        case nil: return ""
        }
    }
}
