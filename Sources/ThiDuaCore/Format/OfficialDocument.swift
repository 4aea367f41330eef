import Foundation

/// An administrative document in the format of Decree 30/2020/NĐ-CP (Appendix I): the issuing body and the national
/// motto side by side, "Số: …/…", place and date, the kind of document and what it is about, the body, the recipients
/// ("Nơi nhận") and the signature block; Times New Roman on A4 with the decree's margins. Written as DOCX.
public struct OfficialDocument: Sendable, Equatable {
    public enum Block: Sendable, Equatable {
        /// A paragraph of the body, indented on its first line as the decree's samples are.
        case paragraph(String)
        /// A bold line, e.g. "Điều 1." or "QUYẾT ĐỊNH:" (centred when `centred`).
        case heading(String, centred: Bool)
        case table(header: [String], rows: [[String]])
    }

    /// The body above the issuer, e.g. "ỦY BAN NHÂN DÂN TỈNH X" for a decision of its Chairman; may be empty.
    public var parentBody: String
    /// The issuer, e.g. "ỦY BAN NHÂN DÂN TỈNH X" or "HỘI ĐỒNG THI ĐUA, KHEN THƯỞNG TỈNH".
    public var issuer: String
    /// "123" once numbered; nil on a draft (the number is left blank for the clerk, as on paper).
    public var number: String?
    /// The symbol after the number, e.g. "QĐ-UBND".
    public var symbol: String
    public var place: String
    /// nil on a draft: "ngày … tháng … năm …" is left to fill in.
    public var date: CivilDate?
    public var draftYear: Int
    /// "QUYẾT ĐỊNH", "BIÊN BẢN".
    public var kind: String
    /// "Về việc khen thưởng …".
    public var subject: String
    public var body: [Block]
    public var recipients: [String]
    /// "CHỦ TỊCH", "TM. HỘI ĐỒNG" …
    public var signerTitle: String
    public var signerName: String

    public init(parentBody: String, issuer: String, number: String?, symbol: String, place: String, date: CivilDate?, draftYear: Int, kind: String,
                subject: String, body: [Block], recipients: [String], signerTitle: String, signerName: String) {
        self.parentBody = parentBody
        self.issuer = issuer
        self.number = number
        self.symbol = symbol
        self.place = place
        self.date = date
        self.draftYear = draftYear
        self.kind = kind
        self.subject = subject
        self.body = body
        self.recipients = recipients
        self.signerTitle = signerTitle
        self.signerName = signerName
    }

    /// "Số: 123/QĐ-UBND", or "Số:      /QĐ-UBND" on a draft.
    public var numberLine: String { "Số: " + (number ?? "      ") + "/" + symbol }

    /// "Hà Tĩnh, ngày 05 tháng 01 năm 2027" (day and month below 10 with a leading zero, as the decree asks), or the
    /// blanks of a draft.
    public var dateLine: String {
        guard let d = date else { return place + ", ngày      tháng      năm " + String(draftYear) }
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return place + ", ngày " + two(d.day) + " tháng " + two(d.month) + " năm " + String(d.year)
    }

    /// The text as it reads, line by line (the page preview and tests read this).
    public var lines: [String] {
        var out = [parentBody, issuer, numberLine, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", dateLine, kind, subject]
        for b in body {
            switch b {
            case .paragraph(let s), .heading(let s, _): out.append(s)
            case .table(let header, let rows): out.append(header.joined(separator: " | ")); out += rows.map { $0.joined(separator: " | ") }
            }
        }
        out.append("Nơi nhận:")
        out += recipients.map { "- " + $0 + ";" }
        out += [signerTitle, signerName]
        return out.filter { !$0.isEmpty }
    }

    // MARK: DOCX

    /// A4 (210 × 297 mm) in twentieths of a point.
    static let pageWidth = 11906, pageHeight = 16838
    /// Decree 30/2020 Appendix I: top and bottom 20–25 mm, left 30–35 mm, right 15–20 mm. Written as 20, 20, 30, 15.
    static let margins = (top: mm(20), bottom: mm(20), left: mm(30), right: mm(15))
    static func mm(_ v: Int) -> Int { (v * 1440 * 10 + 127) / 254 }

    public func docx() throws -> Data { try docx(created: Date()) }

    func docx(created: Date) throws -> Data {
        try OOXMLPackage.zip([
            ("[Content_Types].xml", Self.contentTypes),
            ("_rels/.rels", Self.rootRels),
            ("word/_rels/document.xml.rels", Self.documentRels),
            ("word/styles.xml", Self.styles),
            ("word/document.xml", documentXML),
        ], created: created)
    }

    static func esc(_ s: String) -> String { XLSXWriter.escapeText(s, excelEscapes: false) }

    /// A run of text in Times New Roman; `size` in points.
    static func run(_ text: String, size: Int = 14, bold: Bool = false, italic: Bool = false) -> String {
        var props = "<w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" w:cs=\"Times New Roman\" w:eastAsia=\"Times New Roman\"/>"
        if bold { props += "<w:b/>" }
        if italic { props += "<w:i/>" }
        props += "<w:sz w:val=\"\(size * 2)\"/><w:szCs w:val=\"\(size * 2)\"/>"
        return "<w:r><w:rPr>\(props)</w:rPr><w:t xml:space=\"preserve\">\(esc(text))</w:t></w:r>"
    }

    static func para(_ runs: String, align: String = "both", indent: Bool = false, before: Int = 0, after: Int = 120) -> String {
        let ind = indent ? "<w:ind w:firstLine=\"720\"/>" : ""
        return "<w:p><w:pPr><w:spacing w:before=\"\(before)\" w:after=\"\(after)\"/>\(ind)<w:jc w:val=\"\(align)\"/></w:pPr>\(runs)</w:p>"
    }

    static func cell(_ width: Int, _ content: String, borders: Bool) -> String {
        let b = borders ? "" : "<w:tcBorders><w:top w:val=\"nil\"/><w:left w:val=\"nil\"/><w:bottom w:val=\"nil\"/><w:right w:val=\"nil\"/></w:tcBorders>"
        return "<w:tc><w:tcPr><w:tcW w:w=\"\(width)\" w:type=\"dxa\"/>\(b)</w:tcPr>\(content)</w:tc>"
    }

    static func table(widths: [Int], rows: [[String]], borders: Bool) -> String {
        let grid = widths.map { "<w:gridCol w:w=\"\($0)\"/>" }.joined()
        let border = borders
            ? "<w:tblBorders><w:top w:val=\"single\" w:sz=\"4\"/><w:left w:val=\"single\" w:sz=\"4\"/><w:bottom w:val=\"single\" w:sz=\"4\"/><w:right w:val=\"single\" w:sz=\"4\"/><w:insideH w:val=\"single\" w:sz=\"4\"/><w:insideV w:val=\"single\" w:sz=\"4\"/></w:tblBorders>"
            : ""
        let body = rows.map { r in "<w:tr>" + zip(widths, r).map { cell($0, $1, borders: borders) }.joined() + "</w:tr>" }.joined()
        return "<w:tbl><w:tblPr><w:tblW w:w=\"\(widths.reduce(0, +))\" w:type=\"dxa\"/>\(border)<w:tblLayout w:type=\"fixed\"/></w:tblPr><w:tblGrid>\(grid)</w:tblGrid>\(body)</w:tbl>"
    }

    var documentXML: String {
        let textWidth = Self.pageWidth - Self.margins.left - Self.margins.right
        let left = textWidth * 40 / 100, right = textWidth - left
        // The header block (Appendix I, 1–5): issuer on the left (parent body not bold, issuer bold), number below;
        // the motto on the right (bold), the place and date below it in italics.
        let issuerCell = (parentBody.isEmpty ? "" : Self.para(Self.run(parentBody.uppercased(), size: 13), align: "center", after: 0))
            + Self.para(Self.run(issuer.uppercased(), size: 13, bold: true), align: "center", after: 0)
            + Self.para(Self.run("———", size: 13), align: "center", after: 60)
            + Self.para(Self.run(numberLine, size: 13), align: "center", after: 0)
        let mottoCell = Self.para(Self.run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size: 12, bold: true), align: "center", after: 0)
            + Self.para(Self.run("Độc lập - Tự do - Hạnh phúc", size: 13, bold: true), align: "center", after: 0)
            + Self.para(Self.run("———————", size: 13), align: "center", after: 60)
            + Self.para(Self.run(dateLine, size: 13, italic: true), align: "center", after: 0)
        var x = Self.table(widths: [left, right], rows: [[issuerCell, mottoCell]], borders: false)
        x += Self.para(Self.run(kind.uppercased(), size: 14, bold: true), align: "center", before: 360, after: 0)
        x += Self.para(Self.run(subject, size: 14, bold: true), align: "center", after: 240)
        for b in body {
            switch b {
            case .paragraph(let s): x += Self.para(Self.run(s), indent: true)
            case .heading(let s, let centred): x += Self.para(Self.run(s, bold: true), align: centred ? "center" : "both", indent: !centred, before: 120)
            case .table(let header, let rows):
                let n = max(1, header.count)
                // A narrow first column (the row number, "STT": at least 15 mm), the others sharing the rest.
                let first = max(Self.mm(15), textWidth / (n * 3))
                let widths = (0..<n).map { i in i == 0 ? first : (textWidth - first) / max(1, n - 1) }
                let cells = [header.map { Self.para(Self.run($0, size: 13, bold: true), align: "center", after: 0) }]
                    + rows.map { r in r.map { Self.para(Self.run($0, size: 13), align: "left", after: 0) } }
                x += Self.table(widths: n == 1 ? [textWidth] : widths, rows: cells, borders: true)
                x += Self.para("", after: 120)
            }
        }
        // Recipients (size 12 bold-italic heading, size 11 lines) on the left; the signer on the right.
        let recipientsCell = Self.para(Self.run("Nơi nhận:", size: 12, bold: true, italic: true), align: "left", after: 0)
            + recipients.map { Self.para(Self.run("- " + $0 + ";", size: 11), align: "left", after: 0) }.joined()
        let signerCell = Self.para(Self.run(signerTitle.uppercased(), size: 14, bold: true), align: "center", after: 1200)
            + Self.para(Self.run(signerName, size: 14, bold: true), align: "center", after: 0)
        x += Self.para("", after: 120)
        x += Self.table(widths: [textWidth / 2, textWidth - textWidth / 2], rows: [[recipientsCell, signerCell]], borders: false)
        let m = Self.margins
        let section = "<w:sectPr><w:pgSz w:w=\"\(Self.pageWidth)\" w:h=\"\(Self.pageHeight)\"/><w:pgMar w:top=\"\(m.top)\" w:right=\"\(m.right)\" w:bottom=\"\(m.bottom)\" w:left=\"\(m.left)\" w:header=\"720\" w:footer=\"720\" w:gutter=\"0\"/></w:sectPr>"
        return "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>\(x)\(section)</w:body></w:document>"
    }

    static let contentTypes = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/></Types>
        """
    static let rootRels = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>
        """
    static let documentRels = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>
        """
    static let styles = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:cs="Times New Roman" w:eastAsia="Times New Roman"/><w:sz w:val="28"/><w:szCs w:val="28"/><w:lang w:val="vi-VN"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="276" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style></w:styles>
        """
}
