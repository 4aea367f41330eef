import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import ZIPFoundation

public enum XLSXReader {
    /// Reads the first worksheet of an .xlsx (Office Open XML) into rows of strings.
    /// - Resolves the first sheet via xl/workbook.xml + xl/_rels/workbook.xml.rels (fallback xl/worksheets/sheet1.xml).
    ///   The workbook itself is found through _rels/.rels; hidden sheets and chart sheets are skipped when a
    ///   visible worksheet exists, because users think of the first visible tab as "the first sheet".
    /// - Shared strings (t="s", rich text runs <r><t> concatenated, phonetic runs <rPh> ignored), inline strings
    ///   (t="inlineStr"), t="str", t="b" (TRUE/FALSE as "1"/"0"), numbers as written in <v> (no float reformatting:
    ///   keep the text of <v>), t="e" errors as "". Excel's "_xHHHH_" character escapes in strings are decoded.
    /// - Cell positions from the r attribute ("AB12"): gaps are filled with "" so columns line up; rows without r
    ///   attribute are sequential. Trailing empty cells of a row are not returned; an empty row inside the data is [].
    /// - Guards: total uncompressed bytes read ≤ maxUncompressedBytes, otherwise .tooLarge; rows ≤ maxRows;
    ///   XMLParser with shouldResolveExternalEntities = false, and parts with a DTD are refused outright.
    /// - Truncated or broken zip → .corruptArchive; never crash on hostile input.
    /// Trailing empty rows dropped.
    public static func read(
        _ data: Data, maxUncompressedBytes: Int = 200 * 1024 * 1024, maxRows: Int = 1_000_000
    ) throws(SpreadsheetError) -> [[String]] {
        guard looksLikeZip(data) else { throw SpreadsheetError.notASpreadsheet }
        let zip = try XLSXZipReader(bytes: [UInt8](data))
        var budget = XLSXZipReader.Budget(limit: max(0, maxUncompressedBytes))

        func part(_ path: String) throws(SpreadsheetError) -> Data? {
            guard let entry = zip.entry(path) else { return nil }
            return try zip.contents(of: entry, budget: &budget)
        }

        var workbookPath = "xl/workbook.xml"
        if let rootRels = try part("_rels/.rels") {
            let rels = try XLSXParts.relationships(rootRels, part: "_rels/.rels")
            if let office = rels.first(where: { !$0.isExternal && $0.type.hasSuffix("/officeDocument") }) {
                workbookPath = XLSXParts.resolve(office.target, from: "")
            }
        }

        var chosenSheetPath: String?
        var sharedStringsPath: String?
        if let workbook = try part(workbookPath) {
            let sheets = try XLSXParts.sheets(workbook, part: workbookPath)
            let relsPath = XLSXParts.relationshipsPath(for: workbookPath)
            var rels: [XLSXParts.Relationship] = []
            if let relsData = try part(relsPath) {
                rels = try XLSXParts.relationships(relsData, part: relsPath)
            }
            let base = XLSXParts.directory(of: workbookPath)
            var byID: [String: XLSXParts.Relationship] = [:]
            for rel in rels where byID[rel.id] == nil { byID[rel.id] = rel }
            let worksheetPaths = sheets.compactMap { sheet -> (path: String, hidden: Bool)? in
                guard let rel = byID[sheet.relationshipID], !rel.isExternal, rel.type.hasSuffix("/worksheet") else {
                    return nil
                }
                let path = XLSXParts.resolve(rel.target, from: base)
                guard zip.entry(path) != nil else { return nil }
                return (path: path, hidden: sheet.hidden)
            }
            chosenSheetPath = (worksheetPaths.first(where: { !$0.hidden }) ?? worksheetPaths.first)?.path
            if let shared = rels.first(where: { !$0.isExternal && $0.type.hasSuffix("/sharedStrings") }) {
                sharedStringsPath = XLSXParts.resolve(shared.target, from: base)
            }
        }
        if chosenSheetPath == nil, zip.entry("xl/worksheets/sheet1.xml") != nil {
            chosenSheetPath = "xl/worksheets/sheet1.xml"
        }
        guard let sheetPath = chosenSheetPath, let sheet = try part(sheetPath) else {
            throw SpreadsheetError.missingWorksheet
        }

        var sharedStrings: [String] = []
        let stringsPath = sharedStringsPath ?? "xl/sharedStrings.xml"
        if let stringsData = try part(stringsPath) {
            sharedStrings = try XLSXParts.sharedStrings(stringsData, part: stringsPath)
        }
        // Each materialised cell costs at least a String header (16 bytes) even when it is a gap filler, so the
        // same byte limit also bounds what a sheet with a few far-apart cells can make us allocate.
        let cellBudget = max(1_000_000, max(0, maxUncompressedBytes) / 16)
        return try XLSXParts.rows(
            sheet, part: sheetPath, sharedStrings: sharedStrings, maxRows: maxRows,
            cellBudget: cellBudget, limitBytes: max(0, maxUncompressedBytes)
        )
    }

    /// "PK\u{3}\u{4}": the local file header that starts every non-empty ZIP.
    public static func looksLikeZip(_ data: Data) -> Bool {
        data.count >= 4 && data.prefix(4).elementsEqual([0x50, 0x4B, 0x03, 0x04])
    }

    /// Inverse of `XLSXWriter.columnName`: "A" → 0, "Z" → 25, "AA" → 26 (letters only, either case).
    public static func columnIndex(_ name: String) -> Int? {
        var index = 0
        var count = 0
        for byte in name.utf8 {
            let value: Int
            switch byte {
            case 0x41...0x5A: value = Int(byte) - 0x41 + 1
            case 0x61...0x7A: value = Int(byte) - 0x61 + 1
            default: return nil
            }
            count += 1
            // No spreadsheet has more than three letters; the cap keeps hostile input far from overflow.
            guard count <= 12 else { return nil }
            index = index * 26 + value
        }
        return count == 0 ? nil : index - 1
    }

    /// Column of a cell reference such as "AB12" or "$AB$12"; nil beyond Excel's last column (XFD).
    static func columnIndex(ofCellReference reference: String) -> Int? {
        var index = 0
        var letters = 0
        scan: for byte in reference.utf8 {
            switch byte {
            case 0x24 where letters == 0: continue
            case 0x41...0x5A: index = index * 26 + Int(byte) - 0x41 + 1
            case 0x61...0x7A: index = index * 26 + Int(byte) - 0x61 + 1
            default: break scan
            }
            letters += 1
            guard letters <= 3 else { return nil }
        }
        guard letters > 0, index - 1 < XLSXWriter.maxColumns else { return nil }
        return index - 1
    }

    /// Converts an Excel date serial (e.g. "45658") to (year, month, day) in the 1900 date system.
    ///
    /// Excel copied Lotus 1-2-3's bug of treating 1900 as a leap year: serial 60 is the non-existent 29/02/1900,
    /// and every serial from 61 on is one day "ahead". This function mirrors what Excel displays, so "60" gives
    /// (1900, 2, 29) and "61" gives (1900, 3, 1); callers that need a real calendar date must reject day 29 of
    /// February 1900 themselves. A fractional part (the time of day) is ignored. Returns nil for anything that
    /// is not a serial Excel can show as a date (below 1 or after 31/12/9999).
    public static func dateFromSerial(_ text: String) -> (year: Int, month: Int, day: Int)? {
        guard let value = Double(text.trimmingCharacters(in: .whitespaces)), value.isFinite,
            value >= 1, value < 2_958_466
        else { return nil }
        let serial = Int(value.rounded(.down))
        if serial == 60 { return (1900, 2, 29) }
        // Day 0 of the serials is 1899-12-31 before the phantom day and effectively 1899-12-30 after it.
        let daysFrom1970 = serial < 60 ? serial - 25_568 : serial - 25_569
        return civilFromDays(daysFrom1970)
    }

    /// Proleptic Gregorian date for a count of days since 1970-01-01 (Howard Hinnant's civil_from_days).
    static func civilFromDays(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }

    /// Decodes Excel's "_xHHHH_" escapes (used for control characters such as "_x000D_"); "_x005F_" is a
    /// literal underscore, which is how a text that really contains "_x0041_" survives.
    static func decodeExcelEscapes(_ s: String) -> String {
        guard s.contains("_x") else { return s }
        let scalars = Array(s.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        while i < scalars.count {
            if scalars[i] == "_", i + 6 < scalars.count, scalars[i + 1] == "x", scalars[i + 6] == "_",
                let code = hexValue(scalars[(i + 2)...(i + 5)]), let decoded = Unicode.Scalar(code)
            {
                out.append(decoded)
                i += 7
            } else {
                out.append(scalars[i])
                i += 1
            }
        }
        return String(out)
    }

    private static func hexValue(_ digits: ArraySlice<Unicode.Scalar>) -> UInt32? {
        var value: UInt32 = 0
        for scalar in digits {
            let digit: UInt32
            switch scalar.value {
            case 0x30...0x39: digit = scalar.value - 0x30
            case 0x41...0x46: digit = scalar.value - 0x41 + 10
            case 0x61...0x66: digit = scalar.value - 0x61 + 10
            default: return nil
            }
            value = value * 16 + digit
        }
        return value
    }
}

// MARK: - ZIP container

/// A bounds-checked reader for the ZIP central directory.
///
/// ZIPFoundation's `Archive(data:accessMode: .read)` trusts the offsets in the file: an offset past the end makes
/// its in-memory file read with a negative length (a trap), and on Linux a deflate stream that never ends makes
/// `extract` loop forever once the input is exhausted. Uploads are hostile input, so the directory is parsed
/// here with every offset checked, and ZIPFoundation is only asked to inflate byte ranges we have validated.
struct XLSXZipReader {
    struct Entry {
        let name: String
        let isEncrypted: Bool
        let method: UInt16
        let crc32: UInt32
        let compressedSize: UInt64
        let uncompressedSize: UInt64
        let localHeaderOffset: UInt64
    }

    /// Remaining uncompressed bytes we are willing to produce, shared by every part read from one file.
    struct Budget {
        let limit: Int
        var remaining: Int

        init(limit: Int) {
            self.limit = limit
            self.remaining = limit
        }
    }

    private static let endOfCentralDirectorySignature: UInt32 = 0x0605_4B50
    private static let zip64LocatorSignature: UInt32 = 0x0706_4B50
    private static let zip64EndSignature: UInt32 = 0x0606_4B50
    private static let centralHeaderSignature: UInt32 = 0x0201_4B50
    private static let localHeaderSignature: UInt32 = 0x0403_4B50

    private let bytes: [UInt8]
    private var entries: [String: Entry] = [:]

    init(bytes: [UInt8]) throws(SpreadsheetError) {
        self.bytes = bytes
        let n = bytes.count
        guard n >= 22 else { throw SpreadsheetError.corruptArchive }

        // The end record sits in the last 22 + 65,535 (comment) bytes. The first candidate from the end whose
        // directory offset really points at a directory header is used; checking only that cheap fact keeps
        // a file stuffed with fake signatures from costing more than one pass.
        var found: (entryCount: UInt64, offset: Int, end: Int)?
        var position = n - 22
        let lowest = max(0, n - 22 - 0xFFFF)
        while position >= lowest, found == nil {
            if u32(position) == Self.endOfCentralDirectorySignature {
                found = directoryLocation(endRecordAt: position)
            }
            position -= 1
        }
        guard let location = found else { throw SpreadsheetError.corruptArchive }

        var p = location.offset
        var remainingEntries = location.entryCount
        while remainingEntries > 0 {
            remainingEntries -= 1
            guard p <= location.end - 46, u32(p) == Self.centralHeaderSignature,
                let flags = u16(p + 8), let method = u16(p + 10), let crc = u32(p + 16),
                let compressed32 = u32(p + 20), let uncompressed32 = u32(p + 24),
                let nameLength = u16(p + 28), let extraLength = u16(p + 30), let commentLength = u16(p + 32),
                let offset32 = u32(p + 42)
            else { throw SpreadsheetError.corruptArchive }
            let nameStart = p + 46
            let extraStart = nameStart + Int(nameLength)
            let extraEnd = extraStart + Int(extraLength)
            let next = extraEnd + Int(commentLength)
            guard next <= location.end else { throw SpreadsheetError.corruptArchive }

            var compressed = UInt64(compressed32)
            var uncompressed = UInt64(uncompressed32)
            var offset = UInt64(offset32)
            if compressed32 == .max || uncompressed32 == .max || offset32 == .max {
                // ZIP64 extra field: only the values saturated in the fixed header are present, in this order.
                var q = extraStart
                while q + 4 <= extraEnd, let id = u16(q), let size = u16(q + 2) {
                    let body = q + 4
                    let bodyEnd = body + Int(size)
                    guard bodyEnd <= extraEnd else { break }
                    if id == 0x0001 {
                        var r = body
                        if uncompressed32 == .max, r + 8 <= bodyEnd, let v = u64(r) {
                            uncompressed = v
                            r += 8
                        }
                        if compressed32 == .max, r + 8 <= bodyEnd, let v = u64(r) {
                            compressed = v
                            r += 8
                        }
                        if offset32 == .max, r + 8 <= bodyEnd, let v = u64(r) {
                            offset = v
                        }
                        break
                    }
                    q = bodyEnd
                }
            }

            // Names are ASCII in every real workbook; lossy decoding keeps odd ones from failing the whole file.
            let name = String(decoding: bytes[nameStart..<extraStart], as: UTF8.self)
            let key = Self.key(name)
            if !key.isEmpty, !key.hasSuffix("/"), entries[key] == nil {
                entries[key] = Entry(
                    name: name, isEncrypted: flags & 1 != 0, method: method, crc32: crc,
                    compressedSize: compressed, uncompressedSize: uncompressed, localHeaderOffset: offset
                )
            }
            p = next
        }
    }

    /// Part names are case-insensitive in OPC; some generators also write backslashes or a leading slash.
    private static func key(_ name: String) -> String {
        var key = name.replacingOccurrences(of: "\\", with: "/")
        while key.hasPrefix("/") { key.removeFirst() }
        return key.lowercased()
    }

    func entry(_ path: String) -> Entry? {
        if let found = entries[Self.key(path)] { return found }
        if let decoded = path.removingPercentEncoding, decoded != path { return entries[Self.key(decoded)] }
        return nil
    }

    /// Reads an end-of-central-directory candidate; nil when it does not describe a plausible directory.
    private func directoryLocation(endRecordAt position: Int) -> (entryCount: UInt64, offset: Int, end: Int)? {
        guard let commentLength = u16(position + 20), position + 22 + Int(commentLength) <= bytes.count,
            let entries16 = u16(position + 10), let size32 = u32(position + 12), let offset32 = u32(position + 16)
        else { return nil }
        var entryCount = UInt64(entries16)
        var size = UInt64(size32)
        var offset = UInt64(offset32)
        var directoryLimit = position
        if entries16 == .max || size32 == .max || offset32 == .max {
            guard position >= 20, u32(position - 20) == Self.zip64LocatorSignature,
                let recordOffset64 = u64(position - 12), recordOffset64 <= UInt64(position - 20)
            else { return nil }
            let recordOffset = Int(recordOffset64)
            guard u32(recordOffset) == Self.zip64EndSignature,
                let count64 = u64(recordOffset + 32), let size64 = u64(recordOffset + 40),
                let offset64 = u64(recordOffset + 48)
            else { return nil }
            entryCount = count64
            size = size64
            offset = offset64
            directoryLimit = recordOffset
        }
        guard offset <= UInt64(directoryLimit), size <= UInt64(directoryLimit) - offset else { return nil }
        let start = Int(offset)
        let end = start + Int(size)
        // Each directory header is at least 46 bytes, which bounds the loop by the file size.
        guard entryCount <= UInt64(end - start) / 46 else { return nil }
        guard entryCount == 0 || u32(start) == Self.centralHeaderSignature else { return nil }
        return (entryCount, start, end)
    }

    /// The uncompressed bytes of an entry, checked against its CRC-32 and declared size.
    func contents(of entry: Entry, budget: inout Budget) throws(SpreadsheetError) -> Data {
        guard !entry.isEncrypted else { throw SpreadsheetError.corruptArchive }
        let n = bytes.count
        guard entry.localHeaderOffset <= UInt64(n) else { throw SpreadsheetError.corruptArchive }
        let header = Int(entry.localHeaderOffset)
        guard header <= n - 30, u32(header) == Self.localHeaderSignature,
            let nameLength = u16(header + 26), let extraLength = u16(header + 28)
        else { throw SpreadsheetError.corruptArchive }
        let start = header + 30 + Int(nameLength) + Int(extraLength)
        guard start <= n, entry.compressedSize <= UInt64(n - start) else { throw SpreadsheetError.corruptArchive }
        guard entry.uncompressedSize <= UInt64(max(0, budget.remaining)) else {
            throw SpreadsheetError.tooLarge(limitBytes: budget.limit)
        }
        let compressedCount = Int(entry.compressedSize)
        let expected = Int(entry.uncompressedSize)

        let output: Data
        switch entry.method {
        case 0:
            guard compressedCount == expected else { throw SpreadsheetError.corruptArchive }
            output = Data(bytes[start..<(start + compressedCount)])
        case 8:
            if expected == 0 {
                output = Data()
            } else {
                output = try inflate(from: start, count: compressedCount, expected: expected)
            }
        default:
            // Deflate64, bzip2, LZMA…: never produced by spreadsheet programs.
            throw SpreadsheetError.corruptArchive
        }
        guard output.count == expected, output.crc32(checksum: 0) == entry.crc32 else {
            throw SpreadsheetError.corruptArchive
        }
        budget.remaining -= expected
        return output
    }

    private enum InflateStop: Error {
        case inputExhausted
        case outputOverrun
    }

    private func inflate(from start: Int, count: Int, expected: Int) throws(SpreadsheetError) -> Data {
        let chunkSize = 64 * 1024
        let end = start + count
        var cursor = start
        var output = Data()
        output.reserveCapacity(min(expected, 16 * 1024 * 1024))
        do {
            _ = try Data.decompress(
                size: Int64(count), bufferSize: chunkSize, skipCRC32: true,
                provider: { _, _ in
                    // Throwing once the entry's bytes are used up is what ends a stream that never reaches its
                    // end marker. Chunks are padded to the full buffer size because ZIPFoundation's Linux
                    // inflater declares `bufferSize` bytes of input whatever the chunk holds.
                    guard cursor < end else { throw InflateStop.inputExhausted }
                    let take = Swift.min(chunkSize, end - cursor)
                    var chunk = Data(bytes[cursor..<(cursor + take)])
                    cursor += take
                    if take < chunkSize { chunk.append(Data(count: chunkSize - take)) }
                    return chunk
                },
                consumer: { chunk in
                    // The declared size was checked against the budget, so capping output at it is the
                    // zip-bomb guard.
                    guard chunk.count <= expected - output.count else { throw InflateStop.outputOverrun }
                    output.append(chunk)
                }
            )
        } catch {
            throw SpreadsheetError.corruptArchive
        }
        return output
    }

    // Little-endian reads that return nil instead of trapping when out of bounds.
    private func u16(_ offset: Int) -> UInt16? {
        guard offset >= 0, offset <= bytes.count - 2 else { return nil }
        return UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
    }

    private func u32(_ offset: Int) -> UInt32? {
        guard offset >= 0, offset <= bytes.count - 4 else { return nil }
        var value: UInt32 = 0
        for k in 0..<4 { value |= UInt32(bytes[offset + k]) << (8 * UInt32(k)) }
        return value
    }

    private func u64(_ offset: Int) -> UInt64? {
        guard offset >= 0, offset <= bytes.count - 8 else { return nil }
        var value: UInt64 = 0
        for k in 0..<8 { value |= UInt64(bytes[offset + k]) << (8 * UInt64(k)) }
        return value
    }
}

// MARK: - XML parts

enum XLSXParts {
    struct Relationship {
        let id: String
        let type: String
        let target: String
        let isExternal: Bool
    }

    struct SheetReference {
        let relationshipID: String
        let hidden: Bool
    }

    static func relationships(_ data: Data, part: String) throws(SpreadsheetError) -> [Relationship] {
        let handler = RelationshipsHandler()
        try run(data, part: part, handler: handler)
        return handler.relationships
    }

    static func sheets(_ data: Data, part: String) throws(SpreadsheetError) -> [SheetReference] {
        let handler = WorkbookHandler()
        try run(data, part: part, handler: handler)
        return handler.sheets
    }

    static func sharedStrings(_ data: Data, part: String) throws(SpreadsheetError) -> [String] {
        let handler = SharedStringsHandler()
        try run(data, part: part, handler: handler)
        return handler.strings
    }

    static func rows(
        _ data: Data, part: String, sharedStrings: [String], maxRows: Int, cellBudget: Int, limitBytes: Int
    ) throws(SpreadsheetError) -> [[String]] {
        let handler = WorksheetHandler(
            sharedStrings: sharedStrings, maxRows: maxRows, cellBudget: cellBudget, limitBytes: limitBytes
        )
        try run(data, part: part, handler: handler)
        return handler.rows
    }

    /// "xl/workbook.xml" → "xl/_rels/workbook.xml.rels"; the package root "" → "_rels/.rels".
    static func relationshipsPath(for partPath: String) -> String {
        let folder = directory(of: partPath)
        let file = partPath.split(separator: "/").last.map(String.init) ?? ""
        return folder + "_rels/" + file + ".rels"
    }

    static func directory(of partPath: String) -> String {
        guard let slash = partPath.lastIndex(of: "/") else { return "" }
        return String(partPath[...slash])
    }

    /// Resolves a relationship target against the directory of its source part ("/" starts from the root).
    static func resolve(_ target: String, from baseDirectory: String) -> String {
        let cleaned = target.replacingOccurrences(of: "\\", with: "/")
        let joined = cleaned.hasPrefix("/") ? cleaned : baseDirectory + cleaned
        var segments: [Substring] = []
        for segment in joined.split(separator: "/") {
            if segment == "." { continue }
            if segment == ".." {
                if !segments.isEmpty { segments.removeLast() }
                continue
            }
            segments.append(segment)
        }
        return segments.joined(separator: "/")
    }

    /// Strips a namespace prefix: some generators write "x:row" instead of "row".
    fileprivate static func localName(_ qualifiedName: String) -> Substring {
        guard let colon = qualifiedName.lastIndex(of: ":") else { return qualifiedName[...] }
        return qualifiedName[qualifiedName.index(after: colon)...]
    }

    private static func run<Handler: XMLParserDelegate & XLSXFailureReporting>(
        _ data: Data, part: String, handler: Handler
    ) throws(SpreadsheetError) {
        // No OOXML part is this short, and Foundation's Linux XMLParser force-unwraps an empty buffer when
        // handed exactly four bytes.
        guard data.count >= 8, !declaresDTD(data) else { throw SpreadsheetError.malformedXML(part: part) }
        let parser = XMLParser(data: data)
        parser.shouldResolveExternalEntities = false
        parser.shouldProcessNamespaces = false
        parser.shouldReportNamespacePrefixes = false
        parser.delegate = handler
        let succeeded = parser.parse()
        parser.delegate = nil
        if let failure = handler.failure { throw failure }
        guard succeeded else { throw SpreadsheetError.malformedXML(part: part) }
        // Foundation's Linux parser recovers from a truncated document without reporting it, so element
        // balance is checked separately: a part cut off mid-way is malformed, not an empty sheet.
        let balance = ElementBalance()
        let checker = XMLParser(data: data)
        checker.shouldResolveExternalEntities = false
        checker.delegate = balance
        _ = checker.parse()
        checker.delegate = nil
        guard balance.depth == 0, balance.elements > 0 else { throw SpreadsheetError.malformedXML(part: part) }
    }

    /// OOXML parts never carry a DTD. Refusing "<!DOCTYPE"/"<!ENTITY" before parsing rules out entity expansion
    /// attacks whatever the platform parser's defaults are (Foundation on Linux substitutes entities).
    /// "<!" followed by a letter is checked in UTF-8 and in UTF-16 (either byte order contains "<\0!\0X").
    private static func declaresDTD(_ data: Data) -> Bool {
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Bool in
            let n = raw.count
            func isLetter(_ b: UInt8) -> Bool { (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b) }
            var i = 0
            while i + 2 < n {
                if raw[i] == 0x3C {
                    if raw[i + 1] == 0x21, isLetter(raw[i + 2]) { return true }
                    if i + 4 < n, raw[i + 1] == 0, raw[i + 2] == 0x21, raw[i + 3] == 0, isLetter(raw[i + 4]) {
                        return true
                    }
                }
                i += 1
            }
            return false
        }
    }
}

private final class ElementBalance: NSObject, XMLParserDelegate {
    var depth = 0
    var elements = 0

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName qName: String?,
        attributes attributeDict: [String: String] = [:]
    ) {
        depth += 1
        elements += 1
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        depth -= 1
    }
}

/// Lets a handler stop the parse with a precise error (row limit, cell budget) instead of a generic one.
protocol XLSXFailureReporting: AnyObject {
    var failure: SpreadsheetError? { get }
}

private final class RelationshipsHandler: NSObject, XMLParserDelegate, XLSXFailureReporting {
    var relationships: [XLSXParts.Relationship] = []
    var failure: SpreadsheetError? { nil }

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
        qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]
    ) {
        guard XLSXParts.localName(elementName) == "Relationship",
            let id = attributeDict["Id"], let target = attributeDict["Target"]
        else { return }
        relationships.append(
            XLSXParts.Relationship(
                id: id, type: attributeDict["Type"] ?? "", target: target,
                isExternal: attributeDict["TargetMode"] == "External"
            )
        )
    }
}

private final class WorkbookHandler: NSObject, XMLParserDelegate, XLSXFailureReporting {
    var sheets: [XLSXParts.SheetReference] = []
    var failure: SpreadsheetError? { nil }

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
        qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]
    ) {
        guard XLSXParts.localName(elementName) == "sheet" else { return }
        // The relationships namespace is usually bound to "r", but any prefix is legal.
        guard let id = attributeDict["r:id"] ?? attributeDict.first(where: { $0.key.hasSuffix(":id") })?.value else {
            return
        }
        let state = attributeDict["state"] ?? "visible"
        sheets.append(XLSXParts.SheetReference(relationshipID: id, hidden: state != "visible"))
    }
}

private final class SharedStringsHandler: NSObject, XMLParserDelegate, XLSXFailureReporting {
    var strings: [String] = []
    var failure: SpreadsheetError? { nil }
    private var current = ""
    private var inItem = false
    private var inText = false
    private var phoneticDepth = 0

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
        qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]
    ) {
        switch XLSXParts.localName(elementName) {
        case "si":
            inItem = true
            current = ""
            phoneticDepth = 0
        case "rPh":
            phoneticDepth += 1
        case "t":
            // Phonetic guides (furigana) are not part of the cell's text.
            inText = inItem && phoneticDepth == 0
        default:
            break
        }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        switch XLSXParts.localName(elementName) {
        case "si":
            strings.append(XLSXReader.decodeExcelEscapes(current))
            inItem = false
            inText = false
        case "rPh":
            phoneticDepth = max(0, phoneticDepth - 1)
        case "t":
            inText = false
        default:
            break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inText { current += string }
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        if inText { current += String(decoding: CDATABlock, as: UTF8.self) }
    }
}

private final class WorksheetHandler: NSObject, XMLParserDelegate, XLSXFailureReporting {
    private(set) var rows: [[String]] = []
    private(set) var failure: SpreadsheetError?

    private let sharedStrings: [String]
    private let maxRows: Int
    private let limitBytes: Int
    private var cellBudget: Int

    private var inSheetData = false
    private var inRow = false
    private var rowIndex = -1
    private var cells: [String] = []
    private var nextColumn = 0

    private var inCell = false
    private var cellColumn = 0
    private var cellType = "n"
    private var value = ""
    private var inlineText = ""
    private var hasInlineString = false
    private var inInlineString = false
    private var phoneticDepth = 0

    private enum Capture {
        case none, value, inlineText
    }
    private var capture = Capture.none

    init(sharedStrings: [String], maxRows: Int, cellBudget: Int, limitBytes: Int) {
        self.sharedStrings = sharedStrings
        self.maxRows = maxRows
        self.cellBudget = cellBudget
        self.limitBytes = limitBytes
    }

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
        qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]
    ) {
        guard failure == nil else { return }
        let name = XLSXParts.localName(elementName)
        guard inSheetData else {
            if name == "sheetData" { inSheetData = true }
            return
        }
        switch name {
        case "row":
            inRow = true
            if let r = attributeDict["r"], let number = Int(r), number >= 1 {
                rowIndex = number - 1
            } else {
                rowIndex += 1
            }
            cells.removeAll(keepingCapacity: true)
            nextColumn = 0
        case "c":
            guard inRow else { return }
            inCell = true
            cellColumn = attributeDict["r"].flatMap { XLSXReader.columnIndex(ofCellReference: $0) } ?? nextColumn
            cellType = attributeDict["t"] ?? "n"
            value = ""
            inlineText = ""
            hasInlineString = false
            inInlineString = false
            phoneticDepth = 0
            capture = .none
        case "v":
            if inCell { capture = .value }
        case "is":
            if inCell {
                inInlineString = true
                hasInlineString = true
            }
        case "rPh":
            if inInlineString { phoneticDepth += 1 }
        case "t":
            if inInlineString && phoneticDepth == 0 { capture = .inlineText }
        default:
            break
        }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        guard failure == nil, inSheetData else { return }
        switch XLSXParts.localName(elementName) {
        case "sheetData":
            inSheetData = false
        case "v", "t":
            capture = .none
        case "rPh":
            phoneticDepth = max(0, phoneticDepth - 1)
        case "is":
            inInlineString = false
        case "c":
            if inCell { finishCell(parser) }
            inCell = false
            capture = .none
        case "row":
            if inRow { finishRow(parser) }
            inRow = false
        default:
            break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        switch capture {
        case .value: value += string
        case .inlineText: inlineText += string
        case .none: break
        }
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        self.parser(parser, foundCharacters: String(decoding: CDATABlock, as: UTF8.self))
    }

    private func finishCell(_ parser: XMLParser) {
        let text: String
        switch cellType {
        case "s":
            if let index = Int(trimmed(value)), index >= 0, index < sharedStrings.count {
                text = sharedStrings[index]
            } else {
                text = ""
            }
        case "inlineStr":
            text = XLSXReader.decodeExcelEscapes(hasInlineString ? inlineText : value)
        case "str":
            text = XLSXReader.decodeExcelEscapes(value)
        case "b":
            let raw = trimmed(value)
            text = raw.isEmpty ? "" : (raw == "1" || raw.lowercased() == "true" ? "1" : "0")
        case "e":
            text = ""
        default:
            text = hasInlineString ? XLSXReader.decodeExcelEscapes(inlineText) : trimmed(value)
        }
        defer { nextColumn = cellColumn + 1 }
        // Empty cells are never stored, so styled-but-empty cells cannot inflate rows or the row count.
        guard !text.isEmpty else { return }
        if cellColumn < cells.count {
            cells[cellColumn] = text
            return
        }
        guard spend(cellColumn + 1 - cells.count, parser) else { return }
        cells.append(contentsOf: repeatElement("", count: cellColumn - cells.count))
        cells.append(text)
    }

    private func finishRow(_ parser: XMLParser) {
        guard !cells.isEmpty else { return }
        guard rowIndex < maxRows else {
            fail(.tooManyRows(limit: maxRows), parser)
            return
        }
        if rowIndex >= rows.count {
            guard spend(rowIndex - rows.count, parser) else { return }
            rows.append(contentsOf: repeatElement([String](), count: rowIndex - rows.count))
            rows.append(cells)
            return
        }
        // A repeated or out-of-order row number: merge rather than lose either row's cells.
        var merged = rows[rowIndex]
        for (column, text) in cells.enumerated() where !text.isEmpty {
            if column < merged.count {
                merged[column] = text
            } else {
                merged.append(contentsOf: repeatElement("", count: column - merged.count))
                merged.append(text)
            }
        }
        rows[rowIndex] = merged
    }

    private func spend(_ cellCount: Int, _ parser: XMLParser) -> Bool {
        cellBudget -= cellCount
        if cellBudget < 0 {
            fail(.tooLarge(limitBytes: limitBytes), parser)
            return false
        }
        return true
    }

    private func fail(_ error: SpreadsheetError, _ parser: XMLParser) {
        failure = error
        parser.abortParsing()
    }

    private func trimmed(_ s: String) -> String {
        s.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
