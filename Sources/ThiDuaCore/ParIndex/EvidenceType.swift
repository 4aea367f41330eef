/// Evidence files accepted, recognised by their content, never by the name a user gave them: a program
/// renamed "bao-cao.pdf" is refused.
public enum EvidenceType: String, CaseIterable, Sendable {
    case pdf, png, jpeg, docx, xlsx

    public var mediaType: String {
        switch self {
        case .pdf: "application/pdf"
        case .png: "image/png"
        case .jpeg: "image/jpeg"
        case .docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        case .xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        }
    }

    public var fileExtension: String { rawValue }

    public static func sniff(_ bytes: [UInt8]) -> EvidenceType? {
        if bytes.starts(with: Array("%PDF-".utf8)) { return .pdf }
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            // Office files are ZIP archives whose part names tell the kind; they appear in the local headers.
            let head = Array(bytes.prefix(64 * 1024))
            if contains(head, "word/") { return .docx }
            if contains(head, "xl/") { return .xlsx }
        }
        return nil
    }

    static func contains(_ haystack: [UInt8], _ needle: String) -> Bool {
        let n = Array(needle.utf8)
        guard haystack.count >= n.count else { return false }
        for i in 0...(haystack.count - n.count) where haystack[i] == n[0] {
            if Array(haystack[i..<(i + n.count)]) == n { return true }
        }
        return false
    }
}
