import Foundation
import ZIPFoundation

/// The ZIP container of Office Open XML files (XLSX, DOCX): parts written in order, deflated, with one fixed date.
enum OOXMLPackage {
    static func zip(_ parts: [(path: String, content: String)], created: Date) throws -> Data {
        // pathEncoding is spelled out so the throwing initialiser is chosen over the deprecated failable one.
        let archive = try Archive(data: Data(), accessMode: .create, pathEncoding: nil)
        for part in parts {
            let content = Data(part.content.utf8)
            try archive.addEntry(
                with: part.path,
                type: .file,
                uncompressedSize: Int64(content.count),
                modificationDate: created,
                compressionMethod: .deflate,
                provider: { position, size in
                    let start = Int(position)
                    let end = Swift.min(start + size, content.count)
                    guard start >= 0, start < end else { return Data() }
                    return content.subdata(in: start..<end)
                }
            )
        }
        guard let data = archive.data else { throw SpreadsheetError.corruptArchive }
        return data
    }
}
