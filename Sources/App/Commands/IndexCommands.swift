import Foundation
import Vapor
import ThiDuaCore

/// `thidua index …`: work with frameworks and compute results from files, outside the web UI, so results can be
/// recomputed and checked independently (docs/par-index.md).
enum IndexCommands {
    static func group() -> AsyncCommandGroupBox {
        var g = AsyncCommandGroupBox(help: "Chỉ số CCHC: validate | compute | starter")
        g.commands["validate"] = IndexValidateCommand()
        g.commands["compute"] = IndexComputeCommand()
        g.commands["starter"] = IndexStarterCommand()
        g.commands["seed-benchmark"] = BenchmarkSeedCommand()
        return g
    }

    static func loadFramework(_ path: String) throws -> CompiledFramework {
        guard let data = FileManager.default.contents(atPath: path) else { throw CommandFailure("Không đọc được tệp: \(path)") }
        let spec: FrameworkSpec
        do {
            spec = try FrameworkJSON.decode(data)
        } catch {
            throw CommandFailure("Tệp bộ tiêu chí không hợp lệ: " + Localizer(lang: .vi)(error.key, error.arguments.first ?? "", error.arguments.dropFirst().first ?? ""))
        }
        switch CompiledFramework.compile(spec) {
        case .success(let fw): return fw
        case .failure(let e):
            let t = Localizer(lang: .vi)
            let lines = e.problems.map { p in t(p.key, p.arguments.first ?? "", p.arguments.dropFirst().first ?? "", p.arguments.dropFirst(2).first ?? "") }
            throw CommandFailure("Bộ tiêu chí có lỗi:\n  - " + lines.joined(separator: "\n  - "))
        }
    }

    static func starterFrameworks() -> [(name: String, data: Data)] {
        let names = ["department-2026", "commune-2026"]
        return names.compactMap { n in
            Bundle.module.url(forResource: n, withExtension: "json", subdirectory: "Frameworks")
                .flatMap { try? Data(contentsOf: $0) }.map { (n, $0) }
        }
    }
}

struct IndexValidateCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "file", help: "bộ tiêu chí (JSON) / framework JSON") var file: String
    }

    var help: String { "Kiểm tra một bộ tiêu chí / validate a framework" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let fw = try IndexCommands.loadFramework(signature.file)
        context.console.info("Hợp lệ: \(fw.spec.name) — \(fw.areas.count) lĩnh vực, \(fw.leaves.count) tiêu chí chấm điểm, tổng \(fw.spec.total.formatted(places: fw.places)) điểm")
    }
}

struct IndexComputeCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "framework", help: "bộ tiêu chí (JSON)") var framework: String?
        @Option(name: "scores", help: "tệp điểm CSV/XLSX: Mã đơn vị, Tên đơn vị, Nhóm, Mã tiêu chí, Giá trị") var scores: String?
        @Option(name: "format", help: "json | csv (json)") var format: String?
        @Option(name: "output", help: "tệp kết quả (mặc định: in ra màn hình)") var output: String?
    }

    var help: String { "Tính kết quả, xếp hạng, xếp loại từ tệp điểm / compute results from a score file" }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let fwPath = signature.framework, let scoresPath = signature.scores else {
            throw CommandFailure("Cần --framework và --scores")
        }
        let fw = try IndexCommands.loadFramework(fwPath)
        guard let bytes = FileManager.default.contents(atPath: scoresPath) else { throw CommandFailure("Không đọc được tệp: \(scoresPath)") }
        let rows: [[String]]
        do {
            rows = try SpreadsheetInput.rows(from: Array(bytes), maxRows: 2_000_000).0
        } catch {
            throw CommandFailure(error.messageVI)
        }
        let read = ScoreFile.read(rows: rows, framework: fw)
        let t = Localizer(lang: .vi)
        if !read.missing.isEmpty {
            throw CommandFailure("Thiếu cột: " + read.missing.map { t("column." + $0) }.joined(separator: ", "))
        }
        if !read.issues.isEmpty {
            let lines = read.issues.prefix(50).map { i in
                t("import.rowN", String(i.row)) + " — " + (i.column.map { t("column." + $0) } ?? "") + ": "
                    + t.problem(i.problemKey, i.argument.map { t($0) })
            }
            throw CommandFailure("Tệp điểm có \(read.issues.count) lỗi:\n  " + lines.joined(separator: "\n  "))
        }
        let results = CycleComputation.compute(fw, units: read.units)
        let data = signature.format == "csv" ? CycleComputation.csv(fw, results) : CycleComputation.json(fw, results)
        if let out = signature.output {
            guard FileManager.default.createFile(atPath: out, contents: data) else { throw CommandFailure("Không ghi được: \(out)") }
            context.console.info("Đã tính \(results.count) đơn vị → \(out)")
        } else {
            context.console.output(String(decoding: data, as: UTF8.self).consoleText())
        }
    }
}

struct IndexStarterCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "folder") var folder: String
    }

    var help: String { "Ghi các bộ tiêu chí mẫu (sở; xã) ra thư mục / write the starter frameworks" }

    func run(using context: CommandContext, signature: Signature) async throws {
        try FileManager.default.createDirectory(atPath: signature.folder, withIntermediateDirectories: true)
        for (name, data) in IndexCommands.starterFrameworks() {
            let path = signature.folder + "/" + name + ".json"
            FileManager.default.createFile(atPath: path, contents: data)
            context.console.info(path)
        }
    }
}
