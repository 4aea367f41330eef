import Fluent
import Foundation
import ThiDuaCore
import Vapor

/// The evidence store shared by the PAR Index and the plans: a file is recognised from its content (never its
/// name), stored once by SHA-256 in the database (every app server sees it), or replaced by a reference to an
/// official document (số/ký hiệu, date, issuer).
enum EvidenceFiles {
    struct Accepted: Sendable {
        let blob: EvidenceBlob?
        let fileName: String?
        let docNumber: String?
        let docDate: CivilDate?
        let docIssuer: String?
    }

    /// A refusal as a catalogue key and its argument.
    struct Refusal: Error, Sendable {
        let key: String
        let argument: String?
    }

    /// Checks what was sent. `requireSomething`: a file or a document number must be given.
    static func accept(file: File?, docNumber: String?, docDate: String?, docIssuer: String?, limitBytes: Int, limitMB: Int,
                       requireSomething: Bool = true) -> Result<Accepted?, Refusal> {
        var blob: EvidenceBlob?
        var fileName: String?
        if let file, file.data.readableBytes > 0 {
            guard file.data.readableBytes <= limitBytes else { return .failure(Refusal(key: "import.tooLarge", argument: String(limitMB))) }
            let bytes = Array(file.data.readableBytesView)
            guard let type = EvidenceType.sniff(bytes) else { return .failure(Refusal(key: "evidence.badType", argument: nil)) }
            let data = Data(bytes)
            blob = EvidenceBlob(sha256: Digest.sha256(data), mediaType: type.mediaType, data: data)
            var name = VietnameseText.normalize(file.filename).replacingOccurrences(of: "/", with: "_")
            if name.isEmpty || name.count > 200 { name = "tai-lieu." + type.fileExtension }
            fileName = name
        }
        let number = VietnameseText.normalize(docNumber ?? "")
        let issuer = VietnameseText.normalize(docIssuer ?? "")
        let rawDate = (docDate ?? "").trimmingCharacters(in: .whitespaces)
        let date = CivilDate(parsing: rawDate)
        if !rawDate.isEmpty && date == nil { return .failure(Refusal(key: "problem.invalidDate", argument: rawDate)) }
        if number.count > 100 || issuer.count > 255 { return .failure(Refusal(key: "problem.tooLong", argument: "255")) }
        if blob == nil && number.isEmpty {
            return requireSomething ? .failure(Refusal(key: "evidence.fileOrReference", argument: nil)) : .success(nil)
        }
        return .success(Accepted(blob: blob, fileName: fileName, docNumber: number.isEmpty ? nil : number,
                                 docDate: blob == nil || !number.isEmpty ? date : nil, docIssuer: issuer.isEmpty ? nil : issuer))
    }

    /// The evidence form's fields (a file and/or an official document's number, date and issuer).
    struct Form: Content {
        var file: File?
        var doc_number: String?
        var doc_date: String?
        var doc_issuer: String?
    }

    /// Reads and checks the evidence form of `req` with the installation's upload limit: nil when nothing was sent,
    /// the refusal in the user's words otherwise.
    static func read(_ req: Request) -> (accepted: Accepted?, error: String?) {
        let f = (try? req.content.decode(Form.self)) ?? Form()
        let config = req.application.config
        switch accept(file: f.file, docNumber: f.doc_number, docDate: f.doc_date, docIssuer: f.doc_issuer, limitBytes: config.maxUploadBytes,
                      limitMB: config.maxUploadMB) {
        case .success(let a): return (a, nil)
        case .failure(let r): return (nil, req.t(r.key, r.argument ?? ""))
        }
    }

    /// Stores the blob unless the same content is there already (inside the caller's transaction).
    static func store(_ blob: EvidenceBlob?, on tx: any Database) async throws {
        if let b = blob, try await EvidenceBlob.find(b.id, on: tx) == nil { try await b.create(on: tx) }
    }

    /// The file as a download, never rendered inline.
    static func download(sha256: String, fileName: String?, on db: any Database) async throws -> Response {
        guard let blob = try await EvidenceBlob.find(sha256, on: db) else { throw AppError.notFound }
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: blob.mediaType)
        let name = (fileName ?? "tai-lieu").addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "tai-lieu"
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename*=UTF-8''\(name)")
        headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        return Response(status: .ok, headers: headers, body: .init(data: blob.data))
    }
}
