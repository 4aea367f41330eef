import Foundation
import Testing
import ThiDuaCore
import Vapor

@testable import App

@Suite struct IndexCommandTests {
    @Test func theStarterFrameworksAreValid() throws {
        let starters = IndexCommands.starterFrameworks()
        #expect(starters.map(\.name) == ["department-2026", "commune-2026"])
        for (_, data) in starters {
            let fw = try CompiledFramework.compile(try FrameworkJSON.decode(data)).get()
            #expect(fw.spec.total == Points(100))
            #expect(fw.leaves.count >= 30)
            let kinds = Set(fw.leaves.compactMap { fw.nodes[$0].method?.kindKey })
            #expect(kinds == ["manual", "binary", "tiers", "proportional", "deduction", "survey", "metric"])
        }
    }

    @Test func computeFromAScoreFileRanksAndBands() async throws {
        try await withApp { app in
            // setup: a score file for three units of the department framework
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("idx-\(UUID())").path
            defer { try? FileManager.default.removeItem(atPath: dir) }
            try await app.run(IndexStarterCommand(), ["thidua", dir])
            let fwPath = dir + "/department-2026.json"
            let fw = try IndexCommands.loadFramework(fwPath)
            var lines = ["Mã đơn vị,Tên đơn vị,Nhóm,Mã tiêu chí,Giá trị"]
            for (unit, quality) in [("SNV", 1.0), ("STC", 0.8), ("SYT", 0.8)] {
                for leaf in fw.leaves {
                    let n = fw.nodes[leaf]
                    let value: String
                    switch n.method! {
                    case .manual: value = n.kind == .penalty ? "0" : n.max.formatted(places: 2)  // "1,5": the Vietnamese decimal comma
                    case .binary: value = quality == 1 ? "đạt" : "không đạt"
                    case .tiers, .proportional, .metric: value = quality == 1 ? "100" : "85"
                    case .deduction: value = quality == 1 ? "0" : "1"
                    case .survey: value = quality == 1 ? "10;0;0;0" : "5;3;1;1"
                    }
                    lines.append("\(unit),Đơn vị \(unit),Khối sở,\(n.code),\"\(value)\"")
                }
            }
            let scores = dir + "/diem.csv"
            FileManager.default.createFile(atPath: scores, contents: Data(lines.joined(separator: "\r\n").utf8))
            let out = dir + "/ketqua.json"
            // act
            try await app.run(IndexComputeCommand(), ["thidua", "--framework", fwPath, "--scores", scores, "--output", out])
            // check
            let json = try JSONSerialization.jsonObject(with: try Data(contentsOf: URL(fileURLWithPath: out))) as! [String: Any]
            let results = json["results"] as! [[String: Any]]
            #expect(results.map { $0["code"] as! String } == ["SNV", "STC", "SYT"])
            #expect(results.map { $0["rank"] as! Int } == [1, 2, 2])
            // 100 points + the full bonus (3): the index is not capped at 100 % (docs/par-index.md).
            #expect(results[0]["final"] as? String == "103.00")
            #expect(results[0]["percent"] as? String == "103.00")
            #expect(results[0]["band"] as? String == "Xuất sắc")
            // A bad value is reported by row, and nothing is computed.
            FileManager.default.createFile(atPath: scores, contents: Data((lines + ["SNV,,,1.1.1,có lẽ", "SNV,,,9.9.9,1"]).joined(separator: "\n").utf8))
            await #expect(throws: CommandFailure.self) {
                try await app.run(IndexComputeCommand(), ["thidua", "--framework", fwPath, "--scores", scores])
            }
        }
    }
}
