import Fluent
import Foundation
import SQLKit
import Vapor
import ThiDuaCore

/// `thidua dossiers …`: import a big file with a progress bar, generate synthetic dossiers, load the demo catalogue.
enum DossierCommands {
    static func group() -> AsyncCommandGroupBox {
        var g = AsyncCommandGroupBox(help: "Hồ sơ TTHC: import FILE | generate | seed-catalogue | count | token")
        g.commands["import"] = DossierImportCommand()
        g.commands["generate"] = DossierGenerateCommand()
        g.commands["seed-catalogue"] = DossierSeedCatalogueCommand()
        g.commands["count"] = DossierCountCommand()
        g.commands["token"] = DossierTokenCommand()
        return g
    }

    /// Inserts the demo catalogue's procedures that are not there yet; returns how many were added.
    static func seedCatalogue(on db: any Database, actor: Actor) async throws -> Int {
        let existing = Set(try await ProcedureModel.query(on: db).all(\.$code))
        let missing = DemoProcedures.catalogue.filter { !existing.contains($0.code) }
        guard !missing.isEmpty else { return 0 }
        try await db.writing(as: actor) { tx, audit in
            for d in missing {
                let m = ProcedureModel(d)
                try await m.create(on: tx)
                audit.created(m)
            }
        }
        return missing.count
    }

    /// The generator over the catalogue and the units (communes and departments) stored.
    static func generator(on db: any Database) async throws -> DossierGenerator {
        let procedures = try await ProcedureModel.query(on: db).sort(\.$code).all()
        guard !procedures.isEmpty else { throw CommandFailure("Chưa có danh mục thủ tục: chạy `thidua dossiers seed-catalogue` hoặc nhập danh mục") }
        let units = try await Unit.query(on: db).filter(\.$kindRaw ~~ ["commune", "department"]).sort(\.$code).all(\.$code)
        guard !units.isEmpty else { throw CommandFailure("Chưa có đơn vị cấp xã hoặc sở") }
        // The busiest procedures first (they get the largest share): by the order of the demo catalogue when known.
        let order = Dictionary(uniqueKeysWithValues: DemoProcedures.catalogue.enumerated().map { ($0.element.code, $0.offset) })
        let specs = procedures.sorted { (order[$0.code] ?? 1_000, $0.code) < (order[$1.code] ?? 1_000, $1.code) }.map {
            DossierGenerator.ProcedureSpec(code: $0.code, statutory: $0.statutory, payable: $0.fee > 0, online: OnlineLevel(rawValue: $0.onlineRaw) ?? .none)
        }
        return DossierGenerator(procedures: specs, units: units, clock: try await DossierService.clock(on: db))
    }
}

/// Reads a CSV file of dossiers record by record (quoted fields may hold line breaks), without holding it whole.
struct CSVRecordReader {
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var start = 0
    private var eof = false
    private(set) var bytesRead = 0

    init(path: String) throws {
        guard let h = FileHandle(forReadingAtPath: path) else { throw CommandFailure("Không mở được tệp \(path)") }
        handle = h
    }

    /// The next record's cells, or nil at the end.
    mutating func next() throws -> [String]? {
        while true {
            // A record ends at a line break outside quotes.
            var inQuotes = false
            var i = start
            while i < buffer.count {
                let b = buffer[i]
                if b == UInt8(ascii: "\"") { inQuotes.toggle() } else if b == UInt8(ascii: "\n") && !inQuotes {
                    let line = buffer[start..<i]
                    start = i + 1
                    return try cells(line)
                }
                i += 1
            }
            if eof {
                guard start < buffer.count else { return nil }
                let line = buffer[start...]
                start = buffer.count
                return try cells(line)
            }
            if start > 0 {
                buffer.removeFirst(start)
                start = 0
            }
            let chunk = handle.readData(ofLength: 1 << 20)
            if chunk.isEmpty { eof = true } else {
                bytesRead += chunk.count
                buffer.append(contentsOf: chunk)
            }
        }
    }

    private func cells(_ line: ArraySlice<UInt8>) throws -> [String] {
        var bytes = line
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        if bytes.last == UInt8(ascii: "\r") { bytes = bytes.dropLast() }
        if !bytes.contains(UInt8(ascii: "\"")) {
            // No quotes: cells are the bytes between commas.
            var out: [String] = []
            var from = bytes.startIndex
            for i in bytes.indices where bytes[i] == UInt8(ascii: ",") {
                out.append(String(decoding: bytes[from..<i], as: UTF8.self))
                from = i + 1
            }
            out.append(String(decoding: bytes[from...], as: UTF8.self))
            return out
        }
        return try CSVCodec.parse(String(decoding: bytes, as: UTF8.self), maxRows: 1).first ?? []
    }
}

/// `thidua dossiers import FILE`: a UTF-8 CSV with a header row of the API's field names (or their Vietnamese
/// names), in batches of 20,000, each one transaction, with a progress bar. A batch with a bad row stops the run with
/// the rows' problems; what was stored before stays (re-running the corrected file is safe: a code replaces itself).
struct DossierImportCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "file") var file: String
        @Option(name: "source") var source: String?
        @Option(name: "batch") var batch: Int?
    }

    var help: String { "Nhập hồ sơ từ tệp CSV lớn / import dossiers from a big CSV file" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let total = (try? FileManager.default.attributesOfItem(atPath: signature.file)[.size] as? Int) ?? 0
        let batchSize = signature.batch ?? DossierService.importBatch
        guard (1...100_000).contains(batchSize) else { throw CommandFailure("--batch: từ 1 đến 100.000 hồ sơ mỗi lô") }
        let file = try DossierFileBatches(path: signature.file)
        let source = "file:" + (signature.source ?? URL(fileURLWithPath: signature.file).lastPathComponent)
        let started = ContinuousClock.now
        var stored = IngestReport()
        var keptAside = 0
        // Reading and checking run on a pool thread and storing on the database's, so while one batch is stored
        // the next is read and checked (the event loops stay free for the store's continuations).
        var pending: Task<IngestReport, any Error>?
        func collect() async throws {
            guard let task = pending else { return }
            pending = nil
            let r = try await task.value
            stored.inserted += r.inserted
            stored.updated += r.updated
            keptAside += r.keptAside.count
            let elapsed = (ContinuousClock.now - started).components
            let seconds = max(0.001, Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18)
            let done = stored.inserted + stored.updated + keptAside
            let share = total > 0 ? min(1, Double(file.bytesRead) / Double(total)) : 0
            let bar = String(repeating: "█", count: Int(share * 30)) + String(repeating: "░", count: 30 - Int(share * 30))
            FileHandle.standardError.write(Data("\r\(bar) \(Int(share * 100)) %  \(done) hồ sơ  \(Int(Double(done) / seconds))/s   ".utf8))
        }
        while let batch = try await app.threadPool.runIfActive({ try file.next(limit: batchSize) }) {
            switch batch.checked {
            case .failure(let refusal):
                try await collect()
                for p in refusal.items.prefix(50) {
                    context.console.error("dòng \(batch.firstLine + p.index): \(p.field) — \(Localizer(lang: .vi)(p.problem, p.value ?? ""))")
                }
                throw CommandFailure("Lô từ dòng \(batch.firstLine) có lỗi; đã lưu \(stored.inserted + stored.updated) hồ sơ trước đó. Sửa tệp rồi chạy lại (mã hồ sơ đã có sẽ được cập nhật, không nhân đôi).")
            case .success(let inputs):
                try await collect()
                let db = app.db
                pending = Task { try await DossierService.ingest(inputs, source: source, actor: .system("dossiers import"), on: db) }
            }
        }
        try await collect()
        FileHandle.standardError.write(Data("\n".utf8))
        context.console.output("Đã nhập: \(stored.inserted) mới, \(stored.updated) cập nhật, \(keptAside) chờ xử lý lại (thủ tục hoặc đơn vị chưa có).".consoleText())
    }
}

/// A dossier file read and checked batch by batch. Used by one caller at a time, in sequence (each `next` awaited
/// before the next one starts, wherever it runs), which is why it may cross threads.
final class DossierFileBatches: @unchecked Sendable {
    private var reader: CSVRecordReader
    private let map: HeaderMapping
    private var line = 1

    struct Batch: Sendable {
        let firstLine: Int
        let checked: Result<[DossierInput], IngestRefusal>
    }

    init(path: String) throws {
        reader = try CSVRecordReader(path: path)
        guard let header = try reader.next() else { throw CommandFailure("Tệp trống") }
        map = HeaderMapping.resolve(header, columns: DossierImportColumns.columns)
        guard map.missing.isEmpty else { throw CommandFailure("Thiếu cột: " + map.missing.joined(separator: ", ")) }
    }

    var bytesRead: Int { reader.bytesRead }

    /// The next `limit` non-blank records, checked; nil at the end of the file.
    func next(limit: Int) throws -> Batch? {
        var rows: [[String]] = []
        var firstLine = line + 1
        while rows.count < limit, let row = try reader.next() {
            line += 1
            if row.allSatisfy({ $0.isEmpty }) { continue }
            if rows.isEmpty { firstLine = line }
            rows.append(row)
        }
        guard !rows.isEmpty else { return nil }
        let map = self.map
        return Batch(firstLine: firstLine, checked: DossierService.check(rows.map { row in { key in map.value(key, in: row) } }))
    }
}

/// `thidua dossiers generate --count N --year Y [--seed S] [--start I] [--out FILE]`: synthetic dossiers over the stored
/// catalogue and units, as CSV (standard output without --out). For the demo and the benchmarks only.
struct DossierGenerateCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "count") var count: Int?
        @Option(name: "year") var year: Int?
        @Option(name: "seed") var seed: Int?
        @Option(name: "out") var out: String?
        @Option(name: "start") var start: Int?
    }

    var help: String { "Sinh hồ sơ mô phỏng (CSV) / synthetic dossiers as CSV" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let generator = try await DossierCommands.generator(on: context.application.db)
        let count = max(0, signature.count ?? 10_000)
        let year = signature.year ?? context.application.today.year
        let seed = UInt64(signature.seed ?? 766)
        let path = signature.out ?? "/dev/stdout"
        FileManager.default.createFile(atPath: path, contents: nil)
        guard let out = FileHandle(forWritingAtPath: path) else { throw CommandFailure("Không ghi được \(path)") }
        defer { try? out.close() }
        var text = DossierInput.fields.joined(separator: ",") + "\n"
        let first = max(0, signature.start ?? 0)
        for i in first..<(first + count) {
            text += DossierGenerator.row(generator.dossier(i, year: year, seed: seed)).map(CSVCodec.cell).joined(separator: ",") + "\n"
            if text.utf8.count > 1 << 20 {
                out.write(Data(text.utf8))
                text = ""
            }
        }
        out.write(Data(text.utf8))
    }
}

/// `thidua dossiers seed-catalogue`: adds the demo province's procedures (demo and benchmarks).
struct DossierSeedCatalogueCommand: AsyncCommand {
    struct Signature: CommandSignature {}
    var help: String { "Nạp danh mục thủ tục mô phỏng / load the demo procedures catalogue" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let n = try await DossierCommands.seedCatalogue(on: context.application.db, actor: .system("dossiers seed-catalogue"))
        context.console.output("Đã thêm \(n) thủ tục.".consoleText())
    }
}

/// `thidua dossiers token --name NAME [--scopes "dossiers:write indicators:read"]`: an API token for a one-stop system,
/// printed once (for installations that configure their systems by script; the web page does the same).
struct DossierTokenCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "name") var name: String?
        @Option(name: "scopes") var scopes: String?
    }

    var help: String { "Tạo khóa API cho hệ thống một cửa / create an API token" }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let name = try? FieldRules.name(signature.name ?? "").get() else { throw CommandFailure("Cần --name: tên hệ thống dùng khóa") }
        let scopes = (signature.scopes ?? APIToken.allScopes.joined(separator: " ")).split(separator: " ").map(String.init)
        let unknown = scopes.filter { !APIToken.allScopes.contains($0) }
        guard unknown.isEmpty, !scopes.isEmpty else {
            throw CommandFailure("Phạm vi không hợp lệ: \(unknown.joined(separator: ", ")); dùng: \(APIToken.allScopes.joined(separator: " "))")
        }
        let secret = try await APIToken.issue(name: name, scopes: scopes, actor: .system("dossiers token"), on: context.application.db)
        context.console.output(secret.consoleText())
    }
}

/// `thidua dossiers count`: dossiers stored.
struct DossierCountCommand: AsyncCommand {
    struct Signature: CommandSignature {}
    var help: String { "Số hồ sơ đã lưu / dossiers stored" }

    func run(using context: CommandContext, signature: Signature) async throws {
        struct R: Decodable { let n: Int }
        guard let sql = context.application.db as? any SQLDatabase else { return }
        let n = try await sql.raw("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM dossiers").first(decoding: R.self)?.n ?? 0
        context.console.output("\(n)".consoleText())
    }
}

/// The demo province's procedure performance: the demo catalogue, a working calendar, and synthetic dossiers for
/// last year and this year up to today (recent ones still open), through the same ingest as the API.
enum DemoDossierLoader {
    /// Demo holidays (the 2025 and 2026 arrangements as announced; a province enters its own each year and should
    /// check them against that year's official notice).
    static let holidays = [
        "2025-01-01", "2025-01-27", "2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31", "2025-04-07", "2025-04-30", "2025-05-01",
        "2025-05-02", "2025-09-01", "2025-09-02",
        "2026-01-01", "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20", "2026-04-27", "2026-04-30", "2026-05-01",
        "2026-09-01", "2026-09-02",
    ]
    static let workdays = ["2025-04-26"]

    static func load(on db: any Database, today: CivilDate, perYear: Int = 12_000) async throws -> Int {
        let actor = Actor.system("demo")
        _ = try await DossierCommands.seedCatalogue(on: db, actor: actor)
        let calendar = WorkingCalendar(holidays: Set(holidays.compactMap { CivilDate(parsing: $0) }), workdays: Set(workdays.compactMap { CivilDate(parsing: $0) }))
        let json = String(decoding: try JSONEncoder.sorted.encode(calendar), as: UTF8.self)
        try await db.writing(as: actor) { tx, audit in try await ProvinceSetting.save(DossierService.calendarKey, json: json, on: tx, audit: audit) }
        var generator = try await DossierCommands.generator(on: db)
        let now = DossierClock.startOfDay(today) + 10 * 3_600
        generator.openAfter = now - 10 * 86_400
        var stored = 0
        for year in [today.year - 1, today.year] {
            var batch: [DossierInput] = []
            for i in 0..<perYear {
                var d = generator.dossier(i, year: year, seed: 2_026)
                if d.received > now { continue }
                if let r = d.resolved, r > now {
                    d.resolved = nil
                    d.returned = nil
                    d.result = nil
                    d.rating = nil
                }
                if let r = d.returned, r > now { d.returned = nil }
                batch.append(d)
                if batch.count == DossierService.maxBatch {
                    stored += try await DossierService.ingest(batch, source: "demo", actor: actor, on: db).inserted
                    batch.removeAll()
                }
            }
            stored += try await DossierService.ingest(batch, source: "demo", actor: actor, on: db).inserted
        }
        return stored
    }
}
