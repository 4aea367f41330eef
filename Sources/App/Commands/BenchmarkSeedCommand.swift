import Fluent
import Foundation
import Vapor
import ThiDuaCore

/// Fills an empty database with a synthetic published PAR Index cycle at national commune scale, for the
/// public-ranking benchmark (scripts/bench-ranking.sh). Not for production data: it refuses a database that
/// already has units.
struct BenchmarkSeedCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "units") var units: Int?
        @Option(name: "groups") var groups: Int?
    }

    var help: String { "Dữ liệu tổng hợp cho đo hiệu năng (CSDL trống) / synthetic data for benchmarks (empty database)" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let db = app.db
        guard try await Unit.query(on: db).count() == 0 else { throw CommandFailure("Cơ sở dữ liệu đã có đơn vị") }
        let unitCount = signature.units ?? 3_300
        let groupCount = signature.groups ?? 34
        guard let data = IndexCommands.starterFrameworks().first(where: { $0.name == "commune-2026" })?.data else { throw CommandFailure("thiếu bộ tiêu chí mẫu") }
        let spec = try FrameworkJSON.decode(data)
        let fw = try CompiledFramework.compile(spec).get()
        let actor = Actor.system("bench-seed")
        let root = Unit(code: "BENCH", name: "Tỉnh đo hiệu năng", shortName: nil, kind: .province, parentID: nil, validFrom: nil, validTo: nil)
        try await root.create(on: db)
        var rng = SystemRandomNumberGenerator()
        let rootID = try root.requireID()
        let created = try await db.transaction { tx -> [Unit] in
            var out: [Unit] = []
            for i in 0..<unitCount {
                let u = Unit(code: String(format: "X%05d", i), name: "Xã Thử nghiệm \(i)", shortName: nil, kind: .commune,
                             parentID: rootID, validFrom: nil, validTo: nil)
                try await u.create(on: tx)
                out.append(u)
            }
            return out
        }
        var unitsByGroup: [[Unit]] = Array(repeating: [], count: groupCount)
        for (i, u) in created.enumerated() { unitsByGroup[i % groupCount].append(u) }
        var scores: [UnitScores] = []
        for (g, members) in unitsByGroup.enumerated() {
            for u in members {
                var inputs: [LeafInput?] = []
                for leaf in fw.leaves {
                    let max = fw.nodes[leaf].max
                    switch fw.nodes[leaf].method! {
                    case .manual: inputs.append(.points(Points(e4: Int64.random(in: 0...max.e4, using: &rng))))
                    case .binary: inputs.append(.done(Bool.random(using: &rng)))
                    case .tiers, .proportional, .metric: inputs.append(.value(Points(e4: Int64.random(in: 600_000...1_000_000, using: &rng))))
                    case .deduction: inputs.append(.events(Int.random(in: 0...2, using: &rng)))
                    case .survey: inputs.append(.answers((0..<4).map { _ in Int.random(in: 0...30, using: &rng) }))
                    }
                }
                scores.append(UnitScores(code: u.code, name: u.name, group: "Cụm thi đua số \(g + 1)", inputs: inputs))
            }
        }
        let cycle = IndexCycle(year: 2026, name: "Chỉ số CCHC năm 2026 (dữ liệu đo hiệu năng)", deadlines: CycleDeadlines())
        cycle.phaseRaw = CyclePhase.published.rawValue
        let fwModel = IndexFramework(spec: spec)
        try await db.writing(as: actor) { tx, audit in
            try await fwModel.create(on: tx)
            try await cycle.create(on: tx)
            audit.created(cycle)
        }
        let ranked = CycleComputation.compute(fw, units: scores)
        let ids = Dictionary(uniqueKeysWithValues: unitsByGroup.flatMap { $0 }.compactMap { u in u.id.map { (u.code, $0) } })
        let sheets = scores.map { s in
            IndexService.Sheet(assessmentID: UUID(), unitID: ids[s.code]!, unitCode: s.code, unitName: s.name, group: s.group,
                               status: .submitted, selfInputs: s.inputs, finalInputs: s.inputs, metrics: [:])
        }
        let results = [IndexService.FrameworkResults(framework: fw, frameworkID: try fwModel.requireID(), sheets: sheets,
                                                     selfResults: [], ranked: ranked)]
        let payload = PublicationPayload.make(cycle: cycle, results: results, number: 1, errata: nil)
        let pub = IndexPublication()
        pub.$cycle.id = try cycle.requireID()
        pub.number = 1
        pub.payload = String(decoding: payload.data, as: UTF8.self)
        pub.digest = Digest.sha256(payload.data)
        pub.publishedMillis = Int64(Date().timeIntervalSince1970 * 1000)
        pub.publishedBy = "bench-seed"
        try await db.writing(as: actor) { tx, audit in
            try await pub.create(on: tx)
            audit.created(pub)
        }
        context.console.output("cycle=\(try cycle.requireID().uuidString)".consoleText())
    }
}
