import Foundation
import Testing
@testable import ThiDuaCore

struct CSVParseCase: Sendable, CustomTestStringConvertible {
    let name: String
    let input: String
    let expected: [[String]]
    var testDescription: String { name }
}

@Suite struct SpreadsheetTests {
    // MARK: - CSV

    static let csvCases: [CSVParseCase] = [
        CSVParseCase(name: "simple", input: "a,b,c\n1,2,3\n", expected: [["a", "b", "c"], ["1", "2", "3"]]),
        CSVParseCase(name: "no final newline", input: "a,b\n1,2", expected: [["a", "b"], ["1", "2"]]),
        CSVParseCase(
            name: "quoted delimiter", input: "\"Hà Nội, Việt Nam\",2\n", expected: [["Hà Nội, Việt Nam", "2"]]
        ),
        CSVParseCase(name: "doubled quotes", input: "\"Anh \"\"Ba\"\"\",x", expected: [["Anh \"Ba\"", "x"]]),
        CSVParseCase(
            name: "embedded newline", input: "\"dòng 1\ndòng 2\",x\r\ny,z",
            expected: [["dòng 1\ndòng 2", "x"], ["y", "z"]]
        ),
        CSVParseCase(name: "embedded CRLF", input: "\"a\r\nb\",c", expected: [["a\r\nb", "c"]]),
        CSVParseCase(
            name: "semicolon (Vietnamese Excel)", input: "Họ tên;Điểm\nAn;9,5\n",
            expected: [["Họ tên", "Điểm"], ["An", "9,5"]]
        ),
        CSVParseCase(name: "tab", input: "a\tb\n1\t2", expected: [["a", "b"], ["1", "2"]]),
        CSVParseCase(name: "CRLF", input: "a,b\r\nc,d\r\n", expected: [["a", "b"], ["c", "d"]]),
        CSVParseCase(name: "lone CR", input: "a,b\rc,d", expected: [["a", "b"], ["c", "d"]]),
        CSVParseCase(name: "BOM", input: "\u{FEFF}a;b\n1;2", expected: [["a", "b"], ["1", "2"]]),
        CSVParseCase(
            name: "BOM-less UTF-8", input: "Điểm,Xếp loại\n9,Xuất sắc",
            expected: [["Điểm", "Xếp loại"], ["9", "Xuất sắc"]]
        ),
        CSVParseCase(name: "unterminated quote", input: "a,\"bc\nde", expected: [["a", "bc\nde"]]),
        CSVParseCase(name: "trailing empty rows dropped", input: "a,b\n\n,\n,,\n", expected: [["a", "b"]]),
        CSVParseCase(name: "inner empty row kept", input: "a\n\nb", expected: [["a"], [""], ["b"]]),
        CSVParseCase(name: "empty input", input: "", expected: []),
        CSVParseCase(name: "only BOM", input: "\u{FEFF}", expected: []),
        CSVParseCase(
            name: "quoted ';' does not decide the delimiter", input: "\"x;y\",z\n1,2",
            expected: [["x;y", "z"], ["1", "2"]]
        ),
        CSVParseCase(name: "empty fields", input: ",a,,\n", expected: [["", "a", "", ""]]),
    ]

    @Test(arguments: SpreadsheetTests.csvCases)
    func csvParse(_ testCase: CSVParseCase) throws {
        #expect(try CSVCodec.parse(testCase.input) == testCase.expected)
    }

    @Test func csvRowLimit() throws {
        #expect(throws: SpreadsheetError.tooManyRows(limit: 2)) { try CSVCodec.parse("a\nb\nc\n", maxRows: 2) }
        // Blank rows at the end do not count towards the limit.
        #expect(try CSVCodec.parse("a\nb\n\n\n,,\n", maxRows: 2) == [["a"], ["b"]])
    }

    @Test func csvWriteNeutralisesFormulas() {
        let data = CSVCodec.write([["=1+1", "+84912345678", "-2", "@SUM(A1)", "ok"]])
        #expect(data.prefix(3) == CSVCodec.bom)
        #expect(String(decoding: data.dropFirst(3), as: UTF8.self) == "'=1+1,'+84912345678,'-2,'@SUM(A1),ok\r\n")
    }

    @Test func csvLineQuotesAndRoundTrips() throws {
        let row = ["a,b", "say \"hi\"", "line1\nline2", "x;y", "Nguyễn Văn An", ""]
        let line = CSVCodec.line(row)
        #expect(line == "\"a,b\",\"say \"\"hi\"\"\",\"line1\nline2\",\"x;y\",Nguyễn Văn An,\r\n")
        #expect(try CSVCodec.parse(line) == [row])
        let written = CSVCodec.write([["Họ tên", "Ghi chú"], row])
        #expect(try CSVCodec.parse(String(decoding: written, as: UTF8.self)) == [["Họ tên", "Ghi chú"], row])
    }

    // MARK: - Formula guard

    @Test func formulaGuard() {
        for dangerous in ["=1+1", "+84", "-2", "@SUM(A1)", "\tx", "\rx", "＝1+1"] {
            #expect(FormulaGuard.isDangerous(dangerous), "\(dangerous)")
            #expect(FormulaGuard.neutralise(dangerous) == "'" + dangerous)
        }
        for safe in ["", "Nguyễn", "'=already", " =1", "96.17", "<script>"] {
            #expect(!FormulaGuard.isDangerous(safe), "\(safe)")
            #expect(FormulaGuard.neutralise(safe) == safe)
        }
    }

    // MARK: - XLSX round trip

    static let sampleSheet = XLSXSheet(
        name: "Kết quả: thi đua/2025",
        header: ["Họ và tên", "Ghi chú", "Điểm"],
        rows: [
            [.text("Nguyễn Thị Ánh Tuyết"), .text("<script>alert(1)</script>"), .number("96.17")],
            [.text("Trần Văn Bình & Cộng sự"), .text("A & B < C > D \"quoted\""), .number("-2")],
            [.text("=1+1"), .empty, .text("_x0041_ giữ nguyên")],
            [.text("dòng 1\r\ndòng 2\ttab"), .text("Bell\u{7}removed"), .number("96,17")],
        ]
    )

    @Test func xlsxRoundTrip() throws {
        let other = XLSXSheet(name: "Khác", header: ["x"], rows: [[.text("not read")]])
        let data = try XLSXWriter.write([Self.sampleSheet, other])
        #expect(XLSXReader.looksLikeZip(data))
        let rows = try XLSXReader.read(data)
        #expect(
            rows == [
                ["Họ và tên", "Ghi chú", "Điểm"],
                ["Nguyễn Thị Ánh Tuyết", "<script>alert(1)</script>", "96.17"],
                ["Trần Văn Bình & Cộng sự", "A & B < C > D \"quoted\"", "-2"],
                ["'=1+1", "", "_x0041_ giữ nguyên"],
                ["dòng 1\r\ndòng 2\ttab", "Bellremoved", "96,17"],
            ]
        )
    }

    @Test func xlsxWorksheetLayout() throws {
        let data = try XLSXWriter.write([Self.sampleSheet])
        let sheetXML = try Self.part("xl/worksheets/sheet1.xml", of: data)
        #expect(sheetXML.contains("<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/>"))
        #expect(sheetXML.contains("<autoFilter ref=\"A1:C5\"/>"))
        #expect(sheetXML.contains("<dimension ref=\"A1:C5\"/>"))
        #expect(sheetXML.contains("<c r=\"A1\" s=\"1\" t=\"inlineStr\">"))
        #expect(sheetXML.contains("<c r=\"C2\"><v>96.17</v></c>"))
        #expect(!sheetXML.contains("<script>"))
        let workbookXML = try Self.part("xl/workbook.xml", of: data)
        #expect(workbookXML.contains("name=\"Kết quả thi đua2025\""))
        #expect(workbookXML.contains("'Kết quả thi đua2025'!$A$1:$C$5"))
    }

    @Test func xlsxOutputIsDeterministicForAFixedDate() throws {
        let date = Date(timeIntervalSince1970: 1_735_689_600)
        #expect(try XLSXWriter.write([Self.sampleSheet], created: date) == XLSXWriter.write([Self.sampleSheet], created: date))
        #expect(XLSXWriter.w3cdtf(date) == "2025-01-01T00:00:00Z")
        #expect(XLSXWriter.w3cdtf(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00Z")
    }

    @Test func sheetNamesAreSanitised() {
        let names = XLSXWriter.sanitizedSheetNames([
            "Kết quả: 2025/Q1", "kết quả 2025Q1", "", "History", String(repeating: "Đ", count: 40), "'quoted'",
        ])
        #expect(
            names == [
                "Kết quả 2025Q1", "kết quả 2025Q1 (2)", "Sheet3", "History 1", String(repeating: "Đ", count: 31),
                "quoted",
            ]
        )
    }

    @Test func numbersAreValidatedBeforeWritingAsNumbers() {
        #expect(XLSXWriter.normalisedNumber("96.17") == "96.17")
        #expect(XLSXWriter.normalisedNumber(" 42 ") == "42")
        #expect(XLSXWriter.normalisedNumber(".5") == "0.5")
        #expect(XLSXWriter.normalisedNumber("-.5") == "-0.5")
        #expect(XLSXWriter.normalisedNumber("1e3") == "1E3")
        for bad in ["96,17", "+1", "1e999", "abc", "", "-", "1.2.3", "1e"] {
            #expect(XLSXWriter.normalisedNumber(bad) == nil, "\(bad)")
        }
    }

    // MARK: - XLSX reader features (hand-built workbook)

    @Test func readsSharedStringsTypesGapsAndFirstVisibleSheet() throws {
        let workbook = Self.storedZip([
            (
                "_rels/.rels",
                """
                <?xml version="1.0" encoding="UTF-8"?>
                <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
                <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
                </Relationships>
                """
            ),
            (
                "xl/workbook.xml",
                """
                <?xml version="1.0" encoding="UTF-8"?>
                <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
                <sheets><sheet name="Cfg" sheetId="2" state="hidden" r:id="rId3"/><sheet name="Data" sheetId="1" r:id="rId1"/></sheets>
                </workbook>
                """
            ),
            (
                "xl/_rels/workbook.xml.rels",
                """
                <?xml version="1.0" encoding="UTF-8"?>
                <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
                <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/data.xml"/>
                <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>
                <Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/cfg.xml"/>
                </Relationships>
                """
            ),
            (
                "xl/sharedStrings.xml",
                """
                <?xml version="1.0" encoding="UTF-8"?>
                <sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="3" uniqueCount="3">
                <si><t>Họ tên</t></si>
                <si><r><rPr><b/></rPr><t xml:space="preserve">Nguyễn </t></r><r><t>Văn A</t></r><rPh sb="0" eb="1"><t>ignored</t></rPh></si>
                <si><t>Tab_x0009_here &amp; there</t></si>
                </sst>
                """
            ),
            (
                "xl/worksheets/cfg.xml",
                """
                <?xml version="1.0" encoding="UTF-8"?>
                <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
                <row r="1"><c r="A1" t="inlineStr"><is><t>SECRET</t></is></c></row>
                </sheetData></worksheet>
                """
            ),
            (
                "xl/worksheets/data.xml",
                """
                <?xml version="1.0" encoding="UTF-8"?>
                <x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>
                <x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="C1" t="inlineStr"><x:is><x:t>Điểm</x:t></x:is></x:c></x:row>
                <x:row r="2"><x:c r="A2" t="s"><x:v>1</x:v></x:c><x:c r="B2" t="b"><x:v>1</x:v></x:c><x:c r="C2"><x:v>96.170000000000002</x:v></x:c><x:c r="D2" t="e"><x:v>#DIV/0!</x:v></x:c><x:c r="E2" t="str"><x:f>A1</x:f><x:v>Họ tên</x:v></x:c></x:row>
                <x:row r="4"><x:c t="s"><x:v>2</x:v></x:c><x:c><x:v>45658</x:v></x:c></x:row>
                <x:row><x:c r="B5" t="b"><x:v>0</x:v></x:c></x:row>
                <x:row r="9" s="1" customFormat="1"/><x:row r="10"><x:c r="A10" s="3"/></x:row>
                </x:sheetData></x:worksheet>
                """
            ),
        ])
        let rows = try XLSXReader.read(workbook)
        #expect(
            rows == [
                ["Họ tên", "", "Điểm"],
                ["Nguyễn Văn A", "1", "96.170000000000002", "", "Họ tên"],
                [],
                ["Tab\there & there", "45658"],
                ["", "0"],
            ]
        )
    }

    @Test func fallsBackToSheet1AndRefusesDTDs() {
        let withEntities = Self.storedZip([
            (
                "xl/worksheets/sheet1.xml",
                """
                <?xml version="1.0"?>
                <!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>
                <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
                <row r="1"><c r="A1" t="inlineStr"><is><t>&b;</t></is></c></row></sheetData></worksheet>
                """
            )
        ])
        #expect(throws: SpreadsheetError.malformedXML(part: "xl/worksheets/sheet1.xml")) {
            try XLSXReader.read(withEntities)
        }
    }

    @Test func fallbackSheetIsRead() throws {
        let minimal = Self.storedZip([
            (
                "xl/worksheets/sheet1.xml",
                """
                <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
                <row><c t="inlineStr"><is><t>a</t></is></c><c><v>1</v></c></row></sheetData></worksheet>
                """
            )
        ])
        #expect(try XLSXReader.read(minimal) == [["a", "1"]])
    }

    @Test func malformedXMLIsReported() {
        let broken = Self.storedZip([
            ("xl/worksheets/sheet1.xml", "<worksheet><sheetData><row><c><v>1</v></c>")
        ])
        #expect(throws: SpreadsheetError.malformedXML(part: "xl/worksheets/sheet1.xml")) {
            try XLSXReader.read(broken)
        }
    }

    @Test func zipWithoutWorksheet() {
        let document = Self.storedZip([("word/document.xml", "<w:document xmlns:w=\"urn:x\"/>")])
        #expect(throws: SpreadsheetError.missingWorksheet) { try XLSXReader.read(document) }
    }

    // MARK: - XLSX guards

    @Test func truncatedXLSXIsCorrupt() throws {
        let data = try XLSXWriter.write([Self.sampleSheet])
        #expect(throws: SpreadsheetError.corruptArchive) { try XLSXReader.read(Data(data.prefix(data.count / 2))) }
        for cut in stride(from: 4, to: data.count, by: max(1, data.count / 150)) {
            #expect(throws: SpreadsheetError.self) { try XLSXReader.read(Data(data.prefix(cut))) }
        }
    }

    @Test func checksumMismatchIsCorrupt() {
        var bytes = [UInt8](Self.storedZip([("xl/worksheets/sheet1.xml", "<worksheet><sheetData/></worksheet>")]))
        // Byte 30 + name length is the first content byte of the only (stored) entry.
        let firstContentByte = 30 + "xl/worksheets/sheet1.xml".utf8.count
        bytes[firstContentByte] ^= 0x01
        #expect(throws: SpreadsheetError.corruptArchive) { try XLSXReader.read(Data(bytes)) }
    }

    @Test func hostileOffsetsAreRejected() {
        // End record claiming one entry whose directory starts far past the end of the file.
        var bytes: [UInt8] = [0x50, 0x4B, 0x03, 0x04] + [UInt8](repeating: 0, count: 40)
        bytes += [0x50, 0x4B, 0x05, 0x06, 0, 0, 0, 0, 1, 0, 1, 0, 46, 0, 0, 0, 0x00, 0xFF, 0xFF, 0x7F, 0, 0]
        #expect(throws: SpreadsheetError.corruptArchive) { try XLSXReader.read(Data(bytes)) }
        // ZIP64 end record pointing nowhere.
        var zip64: [UInt8] = [0x50, 0x4B, 0x03, 0x04] + [UInt8](repeating: 0, count: 40)
        zip64 += [0x50, 0x4B, 0x06, 0x07, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 1, 0, 0, 0]
        zip64 += [0x50, 0x4B, 0x05, 0x06, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0]
        #expect(throws: SpreadsheetError.corruptArchive) { try XLSXReader.read(Data(zip64)) }
    }

    @Test func randomBytesThrowWithoutCrashing() {
        var rng = SpreadsheetTestRNG(seed: 42)
        for length in [0, 1, 3, 4, 21, 22, 100, 4096] {
            let noise = Data((0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) })
            #expect(throws: SpreadsheetError.self) { try XLSXReader.read(noise) }
            var zipLike = Data([0x50, 0x4B, 0x03, 0x04])
            zipLike.append(noise)
            #expect(throws: SpreadsheetError.self) { try XLSXReader.read(zipLike) }
        }
    }

    @Test func mutatedWorkbooksNeverCrash() throws {
        let original = [UInt8](try XLSXWriter.write([Self.sampleSheet]))
        var rng = SpreadsheetTestRNG(seed: 7)
        for _ in 0..<300 {
            var mutated = original
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                let index = Int.random(in: 0..<mutated.count, using: &rng)
                mutated[index] = UInt8.random(in: 0...255, using: &rng)
            }
            // Either outcome is fine; the point is that hostile bytes never trap or hang.
            _ = try? XLSXReader.read(Data(mutated))
        }
    }

    @Test func nonZipIsNotASpreadsheet() {
        #expect(throws: SpreadsheetError.notASpreadsheet) { try XLSXReader.read(Data("Họ tên;Điểm\n".utf8)) }
        // Old binary .xls (OLE compound file).
        let xls = Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 504))
        #expect(throws: SpreadsheetError.notASpreadsheet) { try XLSXReader.read(xls) }
        #expect(!XLSXReader.looksLikeZip(Data()))
    }

    @Test func uncompressedLimitAndRowLimit() throws {
        let rows = (0..<2000).map { [XLSXCell.text("Người số \($0)"), .number("\($0)")] }
        let data = try XLSXWriter.write([XLSXSheet(name: "Big", header: ["Tên", "Số"], rows: rows)])
        #expect(throws: SpreadsheetError.tooLarge(limitBytes: 4096)) {
            try XLSXReader.read(data, maxUncompressedBytes: 4096)
        }
        #expect(throws: SpreadsheetError.tooManyRows(limit: 100)) { try XLSXReader.read(data, maxRows: 100) }
        #expect(try XLSXReader.read(data).count == 2001)
    }

    // MARK: - Columns and dates

    @Test func columnNames() {
        let known = [(0, "A"), (25, "Z"), (26, "AA"), (51, "AZ"), (52, "BA"), (701, "ZZ"), (702, "AAA"), (16_383, "XFD")]
        for (index, name) in known {
            #expect(XLSXWriter.columnName(index) == name)
            #expect(XLSXReader.columnIndex(name) == index)
        }
        for index in 0..<1000 {
            #expect(XLSXReader.columnIndex(XLSXWriter.columnName(index)) == index)
        }
        #expect(XLSXReader.columnIndex("") == nil)
        #expect(XLSXReader.columnIndex("A1") == nil)
        #expect(XLSXReader.columnIndex(ofCellReference: "XFD1048576") == 16_383)
        #expect(XLSXReader.columnIndex(ofCellReference: "$B$7") == 1)
        #expect(XLSXReader.columnIndex(ofCellReference: "XFE1") == nil)
    }

    @Test func excelDateSerials() {
        func ymd(_ serial: String) -> [Int]? {
            XLSXReader.dateFromSerial(serial).map { [$0.year, $0.month, $0.day] }
        }
        #expect(ymd("45658") == [2025, 1, 1])
        #expect(ymd("45658.75") == [2025, 1, 1])
        #expect(ymd("1") == [1900, 1, 1])
        #expect(ymd("59") == [1900, 2, 28])
        // Serial 60 is Lotus/Excel's phantom 29/02/1900; it is returned as Excel displays it.
        #expect(ymd("60") == [1900, 2, 29])
        #expect(ymd("61") == [1900, 3, 1])
        #expect(ymd("2958465") == [9999, 12, 31])
        #expect(ymd("0") == nil)
        #expect(ymd("-3") == nil)
        #expect(ymd("abc") == nil)
        #expect(ymd("2958466") == nil)
    }

    // MARK: - Helpers

    private static func part(_ path: String, of data: Data) throws -> String {
        let zip = try XLSXZipReader(bytes: [UInt8](data))
        var budget = XLSXZipReader.Budget(limit: 1 << 24)
        let entry = try #require(zip.entry(path))
        let bytes = try zip.contents(of: entry, budget: &budget)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A ZIP with stored (uncompressed) entries, so tests can hand-craft workbook parts.
    static func storedZip(_ files: [(String, String)]) -> Data {
        var out: [UInt8] = []
        var central: [UInt8] = []
        func le16(_ value: Int, _ buffer: inout [UInt8]) {
            buffer += [UInt8(value & 0xFF), UInt8((value >> 8) & 0xFF)]
        }
        func le32(_ value: UInt32, _ buffer: inout [UInt8]) {
            for k in 0..<4 { buffer.append(UInt8((value >> (8 * UInt32(k))) & 0xFF)) }
        }
        for (name, text) in files {
            let content = Array(text.utf8)
            let nameBytes = Array(name.utf8)
            let crc = Self.crc32(content)
            let offset = UInt32(out.count)
            le32(0x0403_4B50, &out)
            le16(20, &out)  // version needed
            le16(0x0800, &out)  // UTF-8 names
            le16(0, &out)  // stored
            le16(0, &out)  // time
            le16(0x21, &out)  // date 1980-01-01
            le32(crc, &out)
            le32(UInt32(content.count), &out)
            le32(UInt32(content.count), &out)
            le16(nameBytes.count, &out)
            le16(0, &out)
            out += nameBytes
            out += content

            le32(0x0201_4B50, &central)
            le16(20, &central)  // made by
            le16(20, &central)  // needed
            le16(0x0800, &central)
            le16(0, &central)
            le16(0, &central)
            le16(0x21, &central)
            le32(crc, &central)
            le32(UInt32(content.count), &central)
            le32(UInt32(content.count), &central)
            le16(nameBytes.count, &central)
            le16(0, &central)  // extra
            le16(0, &central)  // comment
            le16(0, &central)  // disk
            le16(0, &central)  // internal attributes
            le32(0, &central)  // external attributes
            le32(offset, &central)
            central += nameBytes
        }
        let directoryOffset = UInt32(out.count)
        out += central
        le32(0x0605_4B50, &out)
        le16(0, &out)
        le16(0, &out)
        le16(files.count, &out)
        le16(files.count, &out)
        le32(UInt32(central.count), &out)
        le32(directoryOffset, &out)
        le16(0, &out)
        return Data(out)
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }
}

/// SplitMix64: a deterministic generator so fuzz-style tests reproduce exactly.
private struct SpreadsheetTestRNG: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
