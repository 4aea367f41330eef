import Foundation

public enum CSVCodec {
    public static let bom = Data([0xEF, 0xBB, 0xBF])

    private static let quote: UInt8 = 0x22
    private static let comma: UInt8 = 0x2C
    private static let semicolon: UInt8 = 0x3B
    private static let tab: UInt8 = 0x09
    private static let cr: UInt8 = 0x0D
    private static let lf: UInt8 = 0x0A

    /// RFC 4180 parsing: quoted fields with embedded delimiters, doubled quotes and CR/LF/CRLF newlines.
    /// The delimiter is detected from the first line: ',' or ';' (Excel in Vietnamese locale writes ';') or '\t'.
    /// Trailing completely empty rows are dropped. An unterminated quote is treated as running to end of input (never crash).
    ///
    /// Leniencies beyond RFC 4180, because the files come from people rather than programs: a quote inside an
    /// unquoted field is kept literally, text after a closing quote is appended to the field, and a leading
    /// UTF-8 BOM is ignored.
    public static func parse(_ text: String, maxRows: Int = 1_000_000) throws(SpreadsheetError) -> [[String]] {
        // Working on UTF-8 bytes is safe because every byte we act on is ASCII, which never occurs inside a
        // multi-byte sequence; it also sidesteps "\r\n" being a single Character in Swift.
        let bytes = Array(text.utf8)
        var i = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { i = 3 }
        let delimiter = detectDelimiter(bytes, from: i)

        var rows: [[String]] = []
        // Blank rows are held back until a row with content follows, so trailing blank rows (Excel exports
        // ";;;" for formatted but empty rows) disappear and never count towards maxRows.
        var pendingBlank: [[String]] = []
        var record: [String] = []
        var field: [UInt8] = []
        var fieldWasQuoted = false
        var inQuotes = false
        var recordHasInput = false

        func endRecord() throws(SpreadsheetError) {
            record.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            fieldWasQuoted = false
            recordHasInput = false
            if record.allSatisfy({ $0.isEmpty }) {
                pendingBlank.append(record)
            } else {
                guard rows.count + pendingBlank.count < maxRows else {
                    throw SpreadsheetError.tooManyRows(limit: maxRows)
                }
                rows.append(contentsOf: pendingBlank)
                pendingBlank.removeAll()
                rows.append(record)
            }
            record = []
        }

        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if inQuotes {
                if b == quote {
                    if i + 1 < n, bytes[i + 1] == quote {
                        field.append(quote)
                        i += 2
                    } else {
                        inQuotes = false
                        i += 1
                    }
                } else {
                    field.append(b)
                    i += 1
                }
                continue
            }
            switch b {
            case quote where field.isEmpty && !fieldWasQuoted:
                inQuotes = true
                fieldWasQuoted = true
                recordHasInput = true
                i += 1
            case delimiter:
                record.append(String(decoding: field, as: UTF8.self))
                field.removeAll(keepingCapacity: true)
                fieldWasQuoted = false
                recordHasInput = true
                i += 1
            case cr:
                try endRecord()
                i += (i + 1 < n && bytes[i + 1] == lf) ? 2 : 1
            case lf:
                try endRecord()
                i += 1
            default:
                field.append(b)
                recordHasInput = true
                i += 1
            }
        }
        if recordHasInput || inQuotes {
            try endRecord()
        }
        return rows
    }

    /// Writes CRLF-terminated rows, quoting when needed, with every cell passed through FormulaGuard.neutralise.
    /// Prefixes a UTF-8 BOM so Excel opens Vietnamese correctly.
    public static func write(_ rows: [[String]]) -> Data {
        var data = bom
        for row in rows {
            data.append(contentsOf: line(row).utf8)
        }
        return data
    }

    /// One CSV line (no BOM), for streaming exports, CRLF-terminated.
    public static func line(_ row: [String]) -> String {
        var out = ""
        for (index, cell) in row.enumerated() {
            if index > 0 { out.append(",") }
            out.append(quotedIfNeeded(FormulaGuard.neutralise(cell)))
        }
        out.append("\r\n")
        return out
    }

    /// One cell as it appears in a line (formula guard, then quoting), for exports that assemble lines themselves.
    public static func cell(_ value: String) -> String {
        quotedIfNeeded(FormulaGuard.neutralise(value))
    }

    private static func quotedIfNeeded(_ cell: String) -> String {
        // ';' is quoted too: Excel set to a Vietnamese locale splits on ';', and a quoted field survives that.
        let needsQuotes = cell.utf8.contains { $0 == comma || $0 == quote || $0 == cr || $0 == lf || $0 == semicolon }
        guard needsQuotes else { return cell }
        return "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Counts candidate delimiters outside quotes on the first record; ties go to ',' (the RFC default),
    /// then ';'.
    private static func detectDelimiter(_ bytes: [UInt8], from start: Int) -> UInt8 {
        var commas = 0
        var semicolons = 0
        var tabs = 0
        var inQuotes = false
        var i = start
        scan: while i < bytes.count {
            switch bytes[i] {
            case quote: inQuotes.toggle()
            case cr, lf: if !inQuotes { break scan }
            case comma: if !inQuotes { commas += 1 }
            case semicolon: if !inQuotes { semicolons += 1 }
            case tab: if !inQuotes { tabs += 1 }
            default: break
            }
            i += 1
        }
        if tabs > commas && tabs > semicolons { return tab }
        if semicolons > commas { return semicolon }
        return comma
    }
}
