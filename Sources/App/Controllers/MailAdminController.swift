import Fluent
import Vapor
import ThiDuaCore

/// The e-mail outbox for the province's system administrator: whether mail is on, what was sent or is stuck
/// (with the relay's answer), and a test message.
enum MailAdminController {
    static func requireProvinceAdmin(_ req: Request) async throws -> CurrentUser {
        let user = try req.require(.manageUsers)
        guard let root = try await UnitTree.rootID(on: req.db), AccessPolicy.allowsProvinceWide(user.grants, .manageUsers, rootID: root) else {
            throw AppError.forbidden
        }
        return user
    }

    static func page(_ req: Request, to: String?, errors: [Components.FieldError], status: HTTPResponseStatus) async throws -> Response {
        var counts: [OutboxMail.Status: Int] = [:]
        for s in OutboxMail.Status.allCases {
            counts[s] = try await OutboxMail.query(on: req.db).filter(\.$statusRaw == s.rawValue).count()
        }
        let recent = try await OutboxMail.query(on: req.db).sort(\.$createdMillis, .descending).limit(100).all()
        return AdminPages.mail(req.pageContext, settings: req.application.config.mail, counts: counts, recent: recent, to: to, errors: errors)
            .response(status: status)
    }

    @Sendable static func index(req: Request) async throws -> Response {
        _ = try await requireProvinceAdmin(req)
        return try await page(req, to: nil, errors: [], status: .ok)
    }

    struct TestForm: Content {
        var to: String?
    }

    @Sendable static func test(req: Request) async throws -> Response {
        let me = try await requireProvinceAdmin(req)
        let f = (try? req.content.decode(TestForm.self)) ?? TestForm()
        let t = req.t
        let address: EmailAddress
        do { address = try EmailAddress(validating: f.to ?? "") } catch {
            let key = error == .empty ? "problem.required" : (error == .tooLong ? "email.tooLong" : "email.invalid")
            return try await page(req, to: f.to, errors: [.init(field: "to", message: t(key))], status: .badRequest)
        }
        guard req.application.config.mail != nil else {
            return try await page(req, to: f.to, errors: [.init(field: "to", message: t("mail.off"))], status: .unprocessableEntity)
        }
        try await MailService.enqueue(
            key: "test:" + UUID().uuidString, to: address, subject: t("mail.test.subject"),
            body: t("mail.test.body", me.displayName, VietnameseFormat.dateTime(Date())), now: Date(), on: req.db)
        return req.redirect(to: SiteURL.mailOutbox.path + "?ok=queued")
    }
}
