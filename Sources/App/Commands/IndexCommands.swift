import Fluent
import Foundation
import Vapor
import ThiDuaCore

/// `thidua index …`: work with frameworks and compute results from files, outside the web UI, so results can be
/// recomputed and checked independently (docs/par-index.md).
enum IndexCommands {
    static func group() -> AsyncCommandGroupBox {
        var g = AsyncCommandGroupBox(help: "Chỉ số CCHC: validate | compute | starter | import-framework | import-scores | results | seed-benchmark")
        g.commands["validate"] = IndexValidateCommand()
        g.commands["compute"] = IndexComputeCommand()
        g.commands["starter"] = IndexStarterCommand()
        g.commands["seed-benchmark"] = BenchmarkSeedCommand()
        g.commands["import-framework"] = IndexImportFrameworkCommand()
        g.commands["import-scores"] = IndexImportScoresCommand()
        g.commands["results"] = IndexResultsCommand()
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

/// `thidua index import-framework FILE.json`: validates and stores a framework (a draft not yet used is replaced).
struct IndexImportFrameworkCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "file") var file: String
    }

    var help: String { "Nhập bộ tiêu chí vào CSDL / store a framework in the database" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let fw = try IndexCommands.loadFramework(signature.file)
        let db = context.application.db
        if let existing = try await IndexFramework.query(on: db).filter(\.$code == fw.spec.code).first() {
            guard try await !FrameworkController.inUse(existing, on: db) else { throw CommandFailure("Bộ tiêu chí \(fw.spec.code) đang được dùng; hãy đổi mã.") }
            try await db.writing(as: .system("index import-framework")) { tx, audit in
                let before = existing.auditSnapshot
                existing.set(fw.spec)
                existing.version += 1
                try await existing.update(on: tx)
                audit.updated(existing, before: before)
            }
        } else {
            _ = try await FrameworkController.store(fw.spec, on: db, actor: .system("index import-framework"))
        }
        context.console.info("Đã lưu bộ tiêu chí \(fw.spec.code)")
    }
}

/// `thidua index import-scores --cycle ID FILE`: self-assessment values from a score file into a cycle's sheets
/// (draft sheets only), all or nothing.
struct IndexImportScoresCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "cycle") var cycle: String?
        @Argument(name: "file") var file: String
    }

    var help: String { "Nhập điểm tự chấm từ tệp / import self-assessment scores" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let db = context.application.db
        guard let id = signature.cycle.flatMap(UUID.init(uuidString:)), let cycle = try await IndexCycle.find(id, on: db) else {
            throw CommandFailure("Không tìm thấy kỳ đánh giá (--cycle)")
        }
        guard let bytes = FileManager.default.contents(atPath: signature.file) else { throw CommandFailure("Không đọc được tệp") }
        let rows: [[String]]
        do { rows = try SpreadsheetInput.rows(from: Array(bytes), maxRows: 2_000_000).0 } catch { throw CommandFailure(error.messageVI) }
        let assessments = try await IndexAssessment.query(on: db).filter(\.$cycle.$id == id).with(\.$unit).with(\.$framework).all()
        let t = Localizer(lang: .vi)
        var writes: [(UUID, String, String)] = []
        var problems: [String] = []
        for (frameworkID, group) in Dictionary(grouping: assessments, by: { $0.$framework.id }) {
            let fw = try group[0].framework.compiled()
            let codes = Set(group.map(\.unit.code))
            let read = ScoreFile.read(rows: [rows.first ?? []] + rows.dropFirst().filter { row in
                let map = HeaderMapping.resolve(rows.first ?? [], columns: ScoreFile.columns)
                return codes.contains(VietnameseText.normalize(map.value("unit_code", in: row)).uppercased())
            }, framework: fw)
            _ = frameworkID
            problems += read.issues.map { t("import.rowN", String($0.row)) + ": " + t.problem($0.problemKey, $0.argument.map { t($0) }) }
            for u in read.units {
                guard let a = group.first(where: { $0.unit.code == u.code }), let aid = a.id else { continue }
                if a.status != .draft { problems.append(u.code + ": " + t("sheet.locked")); continue }
                for (leaf, input) in u.inputs.enumerated() where input != nil {
                    writes.append((aid, fw.nodes[fw.leaves[leaf]].code, rawValue(input!)))
                }
            }
        }
        guard cycle.phase == .selfAssessment else { throw CommandFailure(t("cycle.wrongPhase")) }
        guard problems.isEmpty else { throw CommandFailure("Tệp điểm có lỗi:\n  " + problems.prefix(50).joined(separator: "\n  ")) }
        let pending = writes
        try await db.writing(as: .system("index import-scores"), reason: "import: " + signature.file) { tx, audit in
            for (aid, code, value) in pending {
                if let s = try await IndexScore.query(on: tx).filter(\.$assessment.$id == aid).filter(\.$criterionCode == code).first() {
                    let before = s.auditSnapshot
                    s.selfValue = value
                    s.version += 1
                    try await s.update(on: tx)
                    audit.updated(s, before: before)
                } else {
                    let s = IndexScore(assessmentID: aid, criterionCode: code)
                    s.selfValue = value
                    try await s.create(on: tx)
                    audit.created(s)
                }
            }
        }
        context.console.info("Đã nhập \(writes.count) điểm")
    }

    /// The stored form of a parsed input (machine form, re-parsed identically later).
    func rawValue(_ input: LeafInput) -> String {
        switch input {
        // Four decimals always: "1.5000" cannot be mistaken for a thousands separator when typed-parsed again.
        case .points(let p), .value(let p): p.plain(places: 4)
        case .done(let d): d ? "đạt" : "không đạt"
        case .events(let n): String(n)
        case .answers(let a): a.map(String.init).joined(separator: ";")
        case .notApplicable: "KAD"
        // Survey campaigns feed this at computation time; it is never entered or stored as a score.
        case .weighted: ""
        }
    }
}

/// `thidua index results --cycle ID [--format json|csv]`: the cycle's results from the database.
struct IndexResultsCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "cycle") var cycle: String?
        @Option(name: "format") var format: String?
    }

    var help: String { "Tính kết quả một kỳ từ CSDL / compute a cycle's results from the database" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let db = context.application.db
        guard let id = signature.cycle.flatMap(UUID.init(uuidString:)), let cycle = try await IndexCycle.find(id, on: db) else {
            throw CommandFailure("Không tìm thấy kỳ đánh giá (--cycle)")
        }
        for r in try await IndexService.results(cycle: cycle, on: db, metricSources: context.application.metricSources) {
            let data = signature.format == "csv" ? CycleComputation.csv(r.framework, r.ranked) : CycleComputation.json(r.framework, r.ranked)
            context.console.output(String(decoding: data, as: UTF8.self).consoleText())
        }
    }
}
