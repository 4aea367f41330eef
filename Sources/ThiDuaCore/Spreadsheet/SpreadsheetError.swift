import Foundation

/// Why an uploaded spreadsheet could not be read. Every case carries a message a non-technical user can act on,
/// because these errors are shown as-is on the import page.
public enum SpreadsheetError: Error, Equatable, Sendable {
    /// The bytes are neither a ZIP (XLSX) nor text (CSV), e.g. an old binary .xls or a PDF.
    case notASpreadsheet
    /// A truncated or broken ZIP: most often an upload that did not finish.
    case corruptArchive
    /// The workbook holds no worksheet we can find (or it is a Word/PowerPoint file renamed to .xlsx).
    case missingWorksheet
    /// One XML part of the workbook is not well-formed or uses constructs we refuse (DTDs).
    case malformedXML(part: String)
    /// The uncompressed content exceeds the limit (zip-bomb guard).
    case tooLarge(limitBytes: Int)
    case tooManyRows(limit: Int)

    public var messageVI: String {
        switch self {
        case .notASpreadsheet:
            return "Tệp tải lên không phải là bảng tính. Hãy chọn tệp Excel (.xlsx) hoặc CSV. "
                + "Tệp .xls đời cũ cần được lưu lại thành .xlsx; tệp CSV nên lưu với mã hoá UTF-8."
        case .corruptArchive:
            return "Tệp XLSX bị hỏng hoặc không đầy đủ (có thể tải lên chưa hết). "
                + "Hãy lưu lại tệp bằng Excel hoặc LibreOffice rồi thử lại."
        case .missingWorksheet:
            return "Không tìm thấy trang tính nào trong tệp. Hãy kiểm tra đây đúng là tệp Excel (.xlsx) có dữ liệu."
        case .malformedXML(let part):
            return "Nội dung tệp XLSX không hợp lệ (phần \(part)). "
                + "Hãy mở tệp bằng Excel hoặc LibreOffice, lưu lại rồi thử lại."
        case .tooLarge(let limitBytes):
            return "Tệp quá lớn: dữ liệu sau khi giải nén vượt quá \(Self.sizeText(limitBytes, english: false)). "
                + "Hãy chia nhỏ tệp rồi thử lại."
        case .tooManyRows(let limit):
            return "Tệp có quá nhiều dòng (tối đa \(VietnameseFormat.number(limit)) dòng). "
                + "Hãy chia nhỏ tệp rồi thử lại."
        }
    }

    public var messageEN: String {
        switch self {
        case .notASpreadsheet:
            return "The uploaded file is not a spreadsheet. Please choose an Excel (.xlsx) or CSV file. "
                + "Old .xls files must be saved again as .xlsx; CSV files should be saved as UTF-8."
        case .corruptArchive:
            return "The XLSX file is damaged or incomplete (the upload may not have finished). "
                + "Save it again with Excel or LibreOffice and retry."
        case .missingWorksheet:
            return "No worksheet was found in the file. Check that it is an Excel (.xlsx) workbook with data."
        case .malformedXML(let part):
            return "The XLSX file has invalid content (part \(part)). "
                + "Open it in Excel or LibreOffice, save it again and retry."
        case .tooLarge(let limitBytes):
            return "The file is too large: its uncompressed content exceeds \(Self.sizeText(limitBytes, english: true)). "
                + "Split it into smaller files and retry."
        case .tooManyRows(let limit):
            return "The file has too many rows (at most \(VietnameseFormat.number(limit, english: true)) rows). "
                + "Split it into smaller files and retry."
        }
    }

    private static func sizeText(_ bytes: Int, english: Bool) -> String {
        let mebibyte = 1024 * 1024
        if bytes >= mebibyte {
            return "\(VietnameseFormat.number(bytes / mebibyte, english: english)) MB"
        }
        return "\(VietnameseFormat.number(max(1, bytes / 1024), english: english)) KB"
    }
}
