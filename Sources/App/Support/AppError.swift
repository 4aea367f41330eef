import Vapor

/// Domain failures, translated to HTTP only at the edge (ErrorPageMiddleware). Messages are catalog keys so
/// they reach the user in their language; raw error text never reaches a page.
enum AppError: Error, Sendable {
    case notFound
    case forbidden
    /// Refused, with the reason in words (e.g. "your unit does not lead this task").
    case refused(key: String)
    case notSignedIn
    case badRequest(key: String)
    /// A form with field-level problems; the handler re-renders the form instead of throwing this.
    case invalid(key: String, argument: String? = nil)
    /// Someone else saved the record since it was opened (optimistic locking).
    case conflict
    case tooManyAttempts(minutes: Int)
    case internalInconsistency(String)
}

extension AppError: AbortError {
    var status: HTTPResponseStatus {
        switch self {
        case .notFound: .notFound
        case .forbidden, .refused: .forbidden
        case .notSignedIn: .unauthorized
        case .badRequest, .invalid: .badRequest
        case .conflict: .conflict
        case .tooManyAttempts: .tooManyRequests
        case .internalInconsistency: .internalServerError
        }
    }

    var reason: String {
        switch self {
        case .internalInconsistency(let s): s
        default: String(describing: self)
        }
    }
}
