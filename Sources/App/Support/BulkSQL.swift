import Foundation
import SQLKit
import SQLiteNIO
import Synchronization

/// A value of a bulk statement. Typed, so that SQLite binds it directly (no `Encodable` existential and no
/// dynamic cast per value, which was most of the time of a big import) and PostgreSQL still gets the Swift type
/// SQLKit has always bound for the column (a UUID for a uuid column, an optional integer for a null bigint).
enum BulkValue: Sendable, Equatable {
    case int(Int64?)
    case text(String?)
    case bool(Bool)
    case uuid(UUID)

    static func int(_ v: Int) -> BulkValue { .int(Int64(v)) }
    static func int(_ v: Int?) -> BulkValue { .int(v.map(Int64.init)) }

    /// As SQLiteKit's encoder stores it: UUIDs as their upper-case text, booleans as 0/1.
    var sqlite: SQLiteData {
        switch self {
        case .int(let v): v.map { .integer(Int($0)) } ?? .null
        case .text(let v): v.map { .text($0) } ?? .null
        case .bool(let b): .integer(b ? 1 : 0)
        case .uuid(let u): .text(u.upperHex)
        }
    }

    var encodable: any Encodable & Sendable {
        switch self {
        case .int(let v): v
        case .text(let v): v
        case .bool(let b): b
        case .uuid(let u): u
        }
    }
}

/// Multi-row statements (`head VALUES (…), (…) tail`) for imports: on SQLite the text is built once per shape and
/// the values bound as they are; elsewhere through SQLKit.
enum BulkSQL {
    /// `onRow` receives the rows a `RETURNING` tail gives back.
    static func insert(
        _ head: String, rows: [[BulkValue]], tail: String = "", rowsPerStatement: Int = 500, on sql: any SQLDatabase,
        onRow: (@Sendable (BulkRow) -> Void)? = nil
    ) async throws {
        guard let width = rows.first?.count, width > 0 else { return }
        let perStatement = max(1, min(rowsPerStatement, 30_000 / width))
        if let lite = sql as? any SQLiteDatabase {
            let tuple = "(" + Array(repeating: "?", count: width).joined(separator: ", ") + ")"
            var fullText: String?
            var start = 0
            while start < rows.count {
                let end = min(rows.count, start + perStatement)
                let n = end - start
                let text: String
                if n == perStatement, let t = fullText {
                    text = t
                } else {
                    text = head + " VALUES " + Array(repeating: tuple, count: n).joined(separator: ", ") + " " + tail
                    if n == perStatement { fullText = text }
                }
                var binds: [SQLiteData] = []
                binds.reserveCapacity(n * width)
                for r in rows[start..<end] {
                    precondition(r.count == width, "bulk rows of one statement have one width")
                    for v in r { binds.append(v.sqlite) }
                }
                try await lite.query(text, binds, logger: sql.logger) { row in onRow?(BulkRow(source: .sqlite(row))) }.get()
                start = end
            }
            return
        }
        for chunk in rows.chunked(perStatement) {
            var q = SQLQueryString("\(unsafeRaw: head) VALUES ")
            for (i, r) in chunk.enumerated() {
                if i > 0 { q += ", " }
                q += "(\(binds: r.map(\.encodable)))"
            }
            q += " \(unsafeRaw: tail)"
            if let onRow { try await sql.raw(q).run { onRow(BulkRow(source: .sql($0))) } } else { try await sql.raw(q).run() }
        }
    }

    /// `insert` with a `RETURNING` tail: the rows it gives back, each read by `read`.
    static func insertReturning<T: Sendable>(
        _ head: String, rows: [[BulkValue]], tail: String, rowsPerStatement: Int = 500, on sql: any SQLDatabase,
        read: @escaping @Sendable (BulkRow) throws -> T
    ) async throws -> [T] {
        let returned = Returned(read)
        try await insert(head, rows: rows, tail: tail, rowsPerStatement: rowsPerStatement, on: sql, onRow: returned.take)
        return try returned.values()
    }

    /// `head (?, ?, …) tail` with `values` bound in the parentheses (`SELECT … WHERE code IN`), each row given back
    /// read by `read` (column by column, without `Codable`: see `BulkRow`).
    static func select<T: Sendable>(
        _ head: String, in values: [BulkValue], tail: String = "", on sql: any SQLDatabase, read: @escaping @Sendable (BulkRow) throws -> T
    ) async throws -> [T] {
        guard !values.isEmpty else { return [] }
        let returned = Returned(read)
        if let lite = sql as? any SQLiteDatabase {
            let text = head + " (" + Array(repeating: "?", count: values.count).joined(separator: ", ") + ") " + tail
            try await lite.query(text, values.map(\.sqlite), logger: sql.logger) { returned.take(BulkRow(source: .sqlite($0))) }.get()
        } else {
            try await sql.raw("\(unsafeRaw: head) (\(binds: values.map(\.encodable))) \(unsafeRaw: tail)").run { returned.take(BulkRow(source: .sql($0))) }
        }
        return try returned.values()
    }

    /// Rows a statement gives back, each read as it arrives (on the driver's thread); a row that cannot be read
    /// fails the whole result, once the statement is done.
    private final class Returned<T: Sendable>: Sendable {
        private let rows = Mutex<[Result<T, any Error>]>([])
        private let read: @Sendable (BulkRow) throws -> T

        init(_ read: @escaping @Sendable (BulkRow) throws -> T) { self.read = read }

        @Sendable func take(_ row: BulkRow) {
            let decoded = Result { try read(row) }
            rows.withLock { $0.append(decoded) }
        }

        func values() throws -> [T] { try rows.withLock { try $0.map { try $0.get() } } }
    }

    /// `THIDUA_SQLITE_CHECKPOINT_PAGES`, set once at start-up (`configure`).
    static let checkpointPages = Atomic<Int>(8_000)

    /// Settings for a connection about to write (SQLite only; each is a no-op once set on the connection): a page
    /// cache that holds a batch's index pages, statement journals in memory, and a checkpoint every 8,000 pages of
    /// log. A multi-row statement keeps a statement journal so it can be undone alone; SQLite reads the setting when
    /// the transaction starts writing, so `writing` calls this before its first write (set later, the journals of that
    /// transaction spill to temporary files past 64 KiB). The checkpoint runs inside the commit that crosses the
    /// threshold, on whichever connection commits: at SQLite's default of 1,000 pages (4 MB) nearly every batch of
    /// dossiers paid one, copying back pages (tallies, index pages) that the next batch changes again. The threshold
    /// is a setting (`THIDUA_SQLITE_CHECKPOINT_PAGES`, default 8,000 pages, 32 MB of log).
    static func prepareWriter(on sql: any SQLDatabase) async throws {
        guard let lite = sql as? any SQLiteDatabase else { return }
        try await lite.query("PRAGMA cache_size = -65536", [], logger: sql.logger) { _ in }.get()
        try await lite.query("PRAGMA wal_autocheckpoint = \(checkpointPages.load(ordering: .relaxed))", [], logger: sql.logger) { _ in }.get()
        // Refused only when the connection holds temporary tables inside a transaction (ThiDua makes none); an
        // import then simply keeps its statement journals in files.
        try? await lite.query("PRAGMA temp_store = MEMORY", [], logger: sql.logger) { _ in }.get()
    }
}

/// A row a bulk statement gives back (`RETURNING`), read column by column without `Codable` (whose decoder, with a
/// dynamic cast per value and Foundation's UUID parsing, took longer than the statement): SQLite's values are read
/// as they are; elsewhere through SQLKit.
struct BulkRow {
    enum Source {
        case sqlite(SQLiteRow)
        case sql(any SQLRow)
    }
    let source: Source

    struct Missing: Error { let column: String }

    func int(_ column: String) throws -> Int64 {
        switch source {
        case .sqlite(let row):
            guard case .integer(let v)? = row.column(column) else { throw Missing(column: column) }
            return Int64(v)
        case .sql(let row): return try row.decode(column: column, as: Int64.self)
        }
    }

    func text(_ column: String) throws -> String {
        switch source {
        case .sqlite(let row):
            guard case .text(let v)? = row.column(column) else { throw Missing(column: column) }
            return v
        case .sql(let row): return try row.decode(column: column, as: String.self)
        }
    }

    /// Text, or nil for NULL.
    func optionalText(_ column: String) throws -> String? {
        switch source {
        case .sqlite(let row):
            switch row.column(column) {
            case .text(let v)?: return v
            case .null?: return nil
            default: throw Missing(column: column)
            }
        case .sql(let row): return try row.decode(column: column, as: String?.self)
        }
    }

    func uuid(_ column: String) throws -> UUID {
        switch source {
        case .sqlite(let row):
            guard case .text(let v)? = row.column(column), let u = UUID(hex: v) else { throw Missing(column: column) }
            return u
        case .sql(let row): return try row.decode(column: column, as: UUID.self)
        }
    }
}

extension UUID {
    /// The 36-character form (`8-4-4-4-12` hexadecimal digits, either case) read byte by byte; any other text as
    /// `UUID(uuidString:)` reads it (on Linux that goes through the C library's `sscanf`, which showed in profiles).
    init?(hex text: String) {
        var u: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        let read = text.utf8.count == 36 && withUnsafeMutableBytes(of: &u) { out -> Bool in
            var o = 0
            var high: UInt8?
            for (i, c) in text.utf8.enumerated() {
                if i == 8 || i == 13 || i == 18 || i == 23 {
                    guard c == UInt8(ascii: "-") else { return false }
                    continue
                }
                let v: UInt8
                switch c {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): v = c &- UInt8(ascii: "0")
                case UInt8(ascii: "A")...UInt8(ascii: "F"): v = c &- UInt8(ascii: "A") &+ 10
                case UInt8(ascii: "a")...UInt8(ascii: "f"): v = c &- UInt8(ascii: "a") &+ 10
                default: return false
                }
                if let h = high {
                    out[o] = h << 4 | v
                    o += 1
                    high = nil
                } else {
                    high = v
                }
            }
            return true
        }
        if read {
            self.init(uuid: u)
        } else if let parsed = UUID(uuidString: text) {
            self = parsed
        } else {
            return nil
        }
    }

    /// `uuidString` (upper-case, hyphenated) without the C library's formatted printing Foundation uses on Linux.
    var upperHex: String {
        let digits: StaticString = "0123456789ABCDEF"
        return withUnsafeBytes(of: uuid) { raw in
            String(unsafeUninitializedCapacity: 36) { out in
                var o = 0
                digits.withUTF8Buffer { hex in
                    for (i, b) in raw.enumerated() {
                        if i == 4 || i == 6 || i == 8 || i == 10 {
                            out[o] = UInt8(ascii: "-")
                            o += 1
                        }
                        out[o] = hex[Int(b >> 4)]
                        out[o + 1] = hex[Int(b & 0x0F)]
                        o += 2
                    }
                }
                return o
            }
        }
    }
}
