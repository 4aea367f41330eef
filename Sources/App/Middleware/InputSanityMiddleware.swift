import Vapor

/// Refuses forms and query strings that carry a NUL character: no field of the product can hold one, and
/// PostgreSQL rejects it in text, which would otherwise surface as a server error deep in a query.
/// File uploads (multipart) are not inspected here: binary files legitimately contain NUL bytes.
struct InputSanityMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if Self.containsNUL(request.url.query ?? "") || Self.containsNUL(request.url.path) {
            throw Abort(.badRequest)
        }
        if request.headers.contentType == .urlEncodedForm {
            if request.body.data == nil { _ = try await request.body.collect(max: 1024 * 1024).get() }
            if let body = request.body.data, Self.containsNUL(body.getString(at: body.readerIndex, length: body.readableBytes) ?? "") {
                throw Abort(.badRequest)
            }
        }
        return try await next.respond(to: request)
    }

    static func containsNUL(_ s: String) -> Bool {
        s.utf8.contains(0) || s.range(of: "%00", options: .caseInsensitive) != nil
    }
}
