import Foundation
import ZIPFoundation

public enum XLSXCell: Sendable, Equatable {
    /// Written as an inline string (t="inlineStr"), XML-escaped and passed through FormulaGuard.neutralise;
    /// control characters illegal in XML 1.0 are removed.
    case text(String)
    /// A decimal already formatted with '.' as decimal separator, e.g. "96.17"; written as <v>.
    /// Anything that is not a plain decimal (e.g. "96,17") is written as text instead, because a non-numeric
    /// <v> makes Excel offer to "repair" the whole workbook.
    case number(String)
    case empty
}

public struct XLSXSheet: Sendable {
    /// Sheet name; at write time it is cut to 31 characters, []:*?/\ are removed and duplicates are numbered.
    public var name: String
    /// Bold header row, frozen pane below it, autofilter over the table. Empty means no header row.
    public var header: [String]
    public var rows: [[XLSXCell]]
    /// Optional, in characters. When nil, widths are estimated from the header and the first rows.
    public var columnWidths: [Double]?

    public init(name: String, header: [String], rows: [[XLSXCell]], columnWidths: [Double]? = nil) {
        self.name = name
        self.header = header
        self.rows = rows
        self.columnWidths = columnWidths
    }
}

public enum XLSXWriter {
    /// Excel's hard limits; going past them makes Excel truncate or "repair" the file.
    static let maxRows = 1_048_576
    static let maxColumns = 16_384
    static let maxCellCharacters = 32_767

    /// A minimal valid workbook: [Content_Types].xml, _rels/.rels, docProps/core.xml and app.xml, xl/workbook.xml,
    /// xl/_rels/workbook.xml.rels, xl/styles.xml (a default font, a bold font for the header), one worksheet per sheet.
    /// Must open without a repair prompt in Excel and LibreOffice.
    ///
    /// Columns beyond Excel's 16,384 are dropped and texts longer than 32,767 characters are cut, because Excel
    /// rejects both; more rows than Excel holds throws `SpreadsheetError.tooManyRows`.
    public static func write(_ sheets: [XLSXSheet]) throws -> Data {
        try write(sheets, created: Date())
    }

    /// Fixed-date variant so tests and caches can get byte-identical output.
    static func write(_ sheets: [XLSXSheet], created: Date) throws -> Data {
        // A workbook without a sheet is invalid for Excel.
        let sheets = sheets.isEmpty ? [XLSXSheet(name: "Sheet1", header: [], rows: [])] : sheets
        for sheet in sheets {
            let headerRows = sheet.header.isEmpty ? 0 : 1
            guard sheet.rows.count + headerRows <= maxRows else {
                throw SpreadsheetError.tooManyRows(limit: maxRows - headerRows)
            }
        }
        let names = sanitizedSheetNames(sheets.map(\.name))
        let layouts = sheets.map(SheetLayout.init)

        var parts: [(path: String, content: String)] = [
            ("[Content_Types].xml", contentTypesXML(sheetCount: sheets.count)),
            ("_rels/.rels", rootRelationshipsXML),
            ("docProps/core.xml", corePropertiesXML(created: created)),
            ("docProps/app.xml", appPropertiesXML),
            ("xl/workbook.xml", workbookXML(names: names, layouts: layouts)),
            ("xl/_rels/workbook.xml.rels", workbookRelationshipsXML(sheetCount: sheets.count)),
            ("xl/styles.xml", stylesXML),
        ]
        for (index, sheet) in sheets.enumerated() {
            parts.append(("xl/worksheets/sheet\(index + 1).xml", worksheetXML(sheet, layout: layouts[index], isFirst: index == 0)))
        }

        return try OOXMLPackage.zip(parts, created: created)
    }

    /// 0 → "A", 25 → "Z", 26 → "AA" (bijective base 26). Negative input gives "".
    public static func columnName(_ index: Int) -> String {
        guard index >= 0 else { return "" }
        var n = index + 1
        var letters: [UInt8] = []
        while n > 0 {
            let remainder = (n - 1) % 26
            letters.append(UInt8(65 + remainder))
            n = (n - 1) / 26
        }
        return String(decoding: letters.reversed(), as: UTF8.self)
    }

    // MARK: - Sheet names

    /// Excel refuses names with []:*?/\, longer than 31 UTF-16 units, starting or ending with an apostrophe,
    /// empty, equal to the reserved "History", or equal to another sheet's name ignoring case.
    static func sanitizedSheetNames(_ raw: [String]) -> [String] {
        let forbidden: Set<Unicode.Scalar> = ["[", "]", ":", "*", "?", "/", "\\"]
        var used = Set<String>()
        var result: [String] = []
        for (index, name) in raw.enumerated() {
            var scalars = Array(name.precomposedStringWithCanonicalMapping.unicodeScalars.filter { scalar in
                !forbidden.contains(scalar) && !isIllegalInXML(scalar) && scalar.value >= 0x20 && scalar.value != 0x7F
            })
            // A name like "_x0041_" would be decoded differently by the sheet tab (ST_Xstring) and by the
            // filter formula that quotes it, so the pattern is broken up instead of escaped.
            for position in scalars.indices where scalars[position] == "_" && looksLikeExcelEscape(scalars, at: position) {
                scalars[position] = "-"
            }
            var base = trimmedSheetName(truncated(String(String.UnicodeScalarView(scalars)), maxUTF16: 31))
            if base.isEmpty { base = "Sheet\(index + 1)" }
            if base.lowercased() == "history" { base += " 1" }
            var candidate = base
            var counter = 2
            while used.contains(candidate.lowercased()) {
                let suffix = " (\(counter))"
                candidate = trimmedSheetName(truncated(base, maxUTF16: 31 - suffix.utf16.count)) + suffix
                counter += 1
            }
            used.insert(candidate.lowercased())
            result.append(candidate)
        }
        return result
    }

    private static func trimmedSheetName(_ s: String) -> String {
        var t = s.trimmingCharacters(in: .whitespaces)
        while t.hasPrefix("'") { t.removeFirst() }
        while t.hasSuffix("'") { t.removeLast() }
        return t.trimmingCharacters(in: .whitespaces)
    }

    /// Cuts on Character boundaries so a Vietnamese letter with combining marks is never split.
    static func truncated(_ s: String, maxUTF16: Int) -> String {
        guard s.utf16.count > maxUTF16 else { return s }
        var out = ""
        var count = 0
        for ch in s {
            let width = ch.utf16.count
            if count + width > maxUTF16 { break }
            out.append(ch)
            count += width
        }
        return out
    }

    // MARK: - Cells

    /// Same shape as XML Schema's decimal/double lexical space, minus the forms Excel is fussy about.
    /// Returns nil for anything else so the caller can fall back to text.
    static func normalisedNumber(_ raw: String) -> String? {
        let bytes = Array(raw.trimmingCharacters(in: .whitespaces).utf8)
        var i = 0
        var negative = false
        if i < bytes.count, bytes[i] == 0x2D {
            negative = true
            i += 1
        }
        func digits() -> [UInt8] {
            var out: [UInt8] = []
            while i < bytes.count, (0x30...0x39).contains(bytes[i]) {
                out.append(bytes[i])
                i += 1
            }
            return out
        }
        let integer = digits()
        var fraction: [UInt8] = []
        if i < bytes.count, bytes[i] == 0x2E {
            i += 1
            fraction = digits()
        }
        guard !integer.isEmpty || !fraction.isEmpty else { return nil }
        var exponent: [UInt8] = []
        if i < bytes.count, bytes[i] == 0x65 || bytes[i] == 0x45 {
            i += 1
            var sign: [UInt8] = []
            if i < bytes.count, bytes[i] == 0x2B || bytes[i] == 0x2D {
                sign = [bytes[i]]
                i += 1
            }
            let expDigits = digits()
            guard !expDigits.isEmpty else { return nil }
            exponent = [0x45] + sign + expDigits
        }
        guard i == bytes.count else { return nil }
        var out: [UInt8] = negative ? [0x2D] : []
        out += integer.isEmpty ? [0x30] : integer
        if !fraction.isEmpty { out += [0x2E] + fraction }
        out += exponent
        let text = String(decoding: out, as: UTF8.self)
        guard let value = Double(text), value.isFinite else { return nil }
        return text
    }

    static func isIllegalInXML(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D: return false
        case 0x00..<0x20: return true
        case 0xFFFE, 0xFFFF: return true
        default: return false
        }
    }

    /// Escapes text content. CR is written as a character reference because XML parsers turn a literal CR into LF.
    /// "_xHHHH_" is escaped as "_x005F_xHHHH_" because Excel decodes that pattern in strings (ECMA-376 ST_Xstring).
    static func escapeText(_ s: String, excelEscapes: Bool = true) -> String {
        let scalars = Array(s.unicodeScalars)
        var out = ""
        out.reserveCapacity(s.utf8.count)
        var i = 0
        while i < scalars.count {
            let scalar = scalars[i]
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\r": out += "&#13;"
            case "_" where excelEscapes && looksLikeExcelEscape(scalars, at: i): out += "_x005F_"
            default:
                if !isIllegalInXML(scalar) { out.unicodeScalars.append(scalar) }
            }
            i += 1
        }
        return out
    }

    private static func looksLikeExcelEscape(_ scalars: [Unicode.Scalar], at i: Int) -> Bool {
        guard i + 6 < scalars.count, scalars[i + 1] == "x" || scalars[i + 1] == "X", scalars[i + 6] == "_" else {
            return false
        }
        return scalars[(i + 2)...(i + 5)].allSatisfy { $0.properties.isASCIIHexDigit }
    }

    /// Used for sheet names (whose "_xHHHH_" patterns were already broken up) and formulas, neither of which
    /// gets Excel's string escape. Attribute values also need whitespace as references to survive normalisation.
    static func escapeAttribute(_ s: String) -> String {
        escapeText(s, excelEscapes: false)
            .replacingOccurrences(of: "\t", with: "&#9;")
            .replacingOccurrences(of: "\n", with: "&#10;")
    }

    // MARK: - Parts

    private static let xmlDeclaration = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    private static let mainNS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    private static let relNS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

    private static func contentTypesXML(sheetCount: Int) -> String {
        var xml = xmlDeclaration
        xml += "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
        xml += "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
        xml += "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
        xml += "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
        for index in 1...max(1, sheetCount) {
            xml += "<Override PartName=\"/xl/worksheets/sheet\(index).xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
        }
        xml += "<Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>"
        xml += "<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>"
        xml += "<Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>"
        xml += "</Types>"
        return xml
    }

    private static let rootRelationshipsXML = [
        xmlDeclaration,
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">",
        "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/>",
        "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>",
        "<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties\" Target=\"docProps/app.xml\"/>",
        "</Relationships>",
    ].joined()

    private static func corePropertiesXML(created: Date) -> String {
        let stamp = w3cdtf(created)
        var xml = xmlDeclaration
        xml += "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\""
        xml += " xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\""
        xml += " xmlns:dcmitype=\"http://purl.org/dc/dcmitype/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">"
        xml += "<dc:creator>ThiDua</dc:creator>"
        xml += "<dcterms:created xsi:type=\"dcterms:W3CDTF\">\(stamp)</dcterms:created>"
        xml += "<dcterms:modified xsi:type=\"dcterms:W3CDTF\">\(stamp)</dcterms:modified>"
        xml += "</cp:coreProperties>"
        return xml
    }

    private static let appPropertiesXML = [
        xmlDeclaration,
        "<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\"",
        " xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes\">",
        "<Application>ThiDua</Application>",
        "</Properties>",
    ].joined()

    /// "2025-01-31T08:05:09Z", computed by hand so the output does not depend on locale or calendar settings.
    static func w3cdtf(_ date: Date) -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        var days = seconds / 86_400
        var rest = seconds % 86_400
        if rest < 0 {
            rest += 86_400
            days -= 1
        }
        let civil = XLSXReader.civilFromDays(days)
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let year = String(repeating: "0", count: max(0, 4 - String(civil.year).count)) + String(civil.year)
        return "\(year)-\(two(civil.month))-\(two(civil.day))T\(two(rest / 3600)):\(two(rest % 3600 / 60)):\(two(rest % 60))Z"
    }

    private static func workbookXML(names: [String], layouts: [SheetLayout]) -> String {
        var xml = xmlDeclaration
        xml += "<workbook xmlns=\"\(mainNS)\" xmlns:r=\"\(relNS)\">"
        xml += "<bookViews><workbookView activeTab=\"0\"/></bookViews>"
        xml += "<sheets>"
        for (index, name) in names.enumerated() {
            xml += "<sheet name=\"\(escapeAttribute(name))\" sheetId=\"\(index + 1)\" r:id=\"rId\(index + 1)\"/>"
        }
        xml += "</sheets>"
        // Excel records every autofilter range under this hidden name; without it Excel still opens the file
        // but drops the filter buttons on some versions.
        let filters = zip(names, layouts).enumerated().compactMap { index, pair -> String? in
            guard let range = pair.1.filterRange else { return nil }
            let quotedName = "'" + pair.0.replacingOccurrences(of: "'", with: "''") + "'"
            return "<definedName name=\"_xlnm._FilterDatabase\" localSheetId=\"\(index)\" hidden=\"1\">"
                + escapeText("\(quotedName)!\(range.absolute)", excelEscapes: false) + "</definedName>"
        }
        if !filters.isEmpty {
            xml += "<definedNames>" + filters.joined() + "</definedNames>"
        }
        xml += "</workbook>"
        return xml
    }

    private static func workbookRelationshipsXML(sheetCount: Int) -> String {
        var xml = xmlDeclaration
        xml += "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        for index in 1...max(1, sheetCount) {
            xml += "<Relationship Id=\"rId\(index)\" Type=\"\(relNS)/worksheet\" Target=\"worksheets/sheet\(index).xml\"/>"
        }
        xml += "<Relationship Id=\"rId\(max(1, sheetCount) + 1)\" Type=\"\(relNS)/styles\" Target=\"styles.xml\"/>"
        xml += "</Relationships>"
        return xml
    }

    /// Style 0 is the default; style 1 is the bold header.
    private static let stylesXML = [
        xmlDeclaration,
        "<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">",
        "<fonts count=\"2\">",
        "<font><sz val=\"11\"/><name val=\"Calibri\"/><family val=\"2\"/></font>",
        "<font><b/><sz val=\"11\"/><name val=\"Calibri\"/><family val=\"2\"/></font>",
        "</fonts>",
        "<fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill></fills>",
        "<borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders>",
        "<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>",
        "<cellXfs count=\"2\">",
        "<xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>",
        "<xf numFmtId=\"0\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\"/>",
        "</cellXfs>",
        "<cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles>",
        "</styleSheet>",
    ].joined()

    /// Table geometry shared by the workbook (filter name) and the worksheet (dimension, autofilter).
    struct SheetLayout {
        let columnCount: Int
        let rowCount: Int
        let hasHeader: Bool

        init(_ sheet: XLSXSheet) {
            let widest = sheet.rows.reduce(sheet.header.count) { Swift.max($0, $1.count) }
            columnCount = Swift.min(widest, XLSXWriter.maxColumns)
            hasHeader = !sheet.header.isEmpty
            rowCount = sheet.rows.count + (hasHeader ? 1 : 0)
        }

        var lastColumn: String { XLSXWriter.columnName(Swift.max(columnCount, 1) - 1) }

        var dimension: String {
            guard columnCount > 0, rowCount > 0 else { return "A1" }
            return "A1:\(lastColumn)\(rowCount)"
        }

        var filterRange: (relative: String, absolute: String)? {
            guard hasHeader, columnCount > 0 else { return nil }
            return ("A1:\(lastColumn)\(rowCount)", "$A$1:$\(lastColumn)$\(rowCount)")
        }
    }

    private static func worksheetXML(_ sheet: XLSXSheet, layout: SheetLayout, isFirst: Bool) -> String {
        var xml = xmlDeclaration
        xml += "<worksheet xmlns=\"\(mainNS)\" xmlns:r=\"\(relNS)\">"
        xml += "<dimension ref=\"\(layout.dimension)\"/>"
        xml += "<sheetViews><sheetView workbookViewId=\"0\"\(isFirst ? " tabSelected=\"1\"" : "")>"
        if layout.hasHeader {
            xml += "<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/>"
            xml += "<selection pane=\"bottomLeft\" activeCell=\"A2\" sqref=\"A2\"/>"
        }
        xml += "</sheetView></sheetViews>"
        xml += "<sheetFormatPr defaultRowHeight=\"15\"/>"
        let widths = columnWidths(sheet, columnCount: layout.columnCount)
        if !widths.isEmpty {
            xml += "<cols>"
            for (column, width) in widths {
                xml += "<col min=\"\(column + 1)\" max=\"\(column + 1)\" width=\"\(formatWidth(width))\" customWidth=\"1\"/>"
            }
            xml += "</cols>"
        }
        xml += "<sheetData>"
        var rowNumber = 0
        if layout.hasHeader {
            rowNumber += 1
            appendRow(sheet.header.map { XLSXCell.text($0) }, number: rowNumber, style: 1, to: &xml)
        }
        for row in sheet.rows {
            rowNumber += 1
            appendRow(row, number: rowNumber, style: nil, to: &xml)
        }
        xml += "</sheetData>"
        if let range = layout.filterRange {
            xml += "<autoFilter ref=\"\(range.relative)\"/>"
        }
        xml += "<pageMargins left=\"0.7\" right=\"0.7\" top=\"0.75\" bottom=\"0.75\" header=\"0.3\" footer=\"0.3\"/>"
        xml += "</worksheet>"
        return xml
    }

    private static func appendRow(_ cells: [XLSXCell], number: Int, style: Int?, to xml: inout String) {
        var body = ""
        let styleAttribute = style.map { " s=\"\($0)\"" } ?? ""
        for (column, cell) in cells.prefix(maxColumns).enumerated() {
            let reference = "\(columnName(column))\(number)"
            switch cell {
            case .empty:
                continue
            case .number(let raw):
                if let value = normalisedNumber(raw) {
                    body += "<c r=\"\(reference)\"\(styleAttribute)><v>\(value)</v></c>"
                } else {
                    appendText(raw, reference: reference, styleAttribute: styleAttribute, to: &body)
                }
            case .text(let raw):
                appendText(raw, reference: reference, styleAttribute: styleAttribute, to: &body)
            }
        }
        // Rows without cells are omitted: Excel treats a missing row as empty.
        guard !body.isEmpty else { return }
        xml += "<row r=\"\(number)\">" + body + "</row>"
    }

    private static func appendText(_ raw: String, reference: String, styleAttribute: String, to body: inout String) {
        let text = truncated(FormulaGuard.neutralise(raw), maxUTF16: maxCellCharacters)
        let escaped = escapeText(text)
        guard !escaped.isEmpty else { return }
        body += "<c r=\"\(reference)\"\(styleAttribute) t=\"inlineStr\"><is><t xml:space=\"preserve\">\(escaped)</t></is></c>"
    }

    private static func columnWidths(_ sheet: XLSXSheet, columnCount: Int) -> [(Int, Double)] {
        if let given = sheet.columnWidths {
            return given.prefix(maxColumns).enumerated().compactMap { column, width in
                guard width.isFinite, width > 0 else { return nil }
                return (column, Swift.min(width, 255))
            }
        }
        guard columnCount > 0 else { return [] }
        // Estimate from the header (plus room for the filter button) and a sample of rows; scanning every row
        // of a large export would cost more than the cosmetic gain.
        var widest = [Int](repeating: 0, count: Swift.min(columnCount, 200))
        for (column, title) in sheet.header.prefix(widest.count).enumerated() {
            widest[column] = Swift.max(widest[column], displayLength(title) + 3)
        }
        for row in sheet.rows.prefix(1000) {
            for (column, cell) in row.prefix(widest.count).enumerated() {
                switch cell {
                case .text(let s), .number(let s): widest[column] = Swift.max(widest[column], displayLength(s))
                case .empty: break
                }
            }
        }
        return widest.enumerated().map { column, length in
            (column, Double(Swift.min(Swift.max(length + 2, 8), 60)))
        }
    }

    private static func displayLength(_ s: String) -> Int {
        var longest = 0
        var current = 0
        for ch in s.prefix(200) {
            if ch.isNewline {
                longest = Swift.max(longest, current)
                current = 0
            } else {
                current += 1
            }
        }
        return Swift.max(longest, current)
    }

    private static func formatWidth(_ width: Double) -> String {
        let rounded = (width * 100).rounded() / 100
        if rounded == rounded.rounded() { return String(Int(rounded)) }
        return String(rounded)
    }
}
