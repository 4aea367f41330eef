import Fluent
import Foundation
import Vapor
import ThiDuaCore

/// The public side of a campaign: the response page behind a unit's link or QR code (no sign-in), the kiosk
/// mode for a counter tablet, the thank-you page, the QR code and the printable poster.
enum SurveyPublicController {
    static func point(_ req: Request) async throws -> SurveyService.PointInfo {
        try await pointAndFields(req).0
    }

    static func pointAndFields(_ req: Request) async throws -> (SurveyService.PointInfo, [(code: String, name: String)]) {
        guard let token = req.parameters.get("token"), let found = try await SurveyService.publicPoint(token: token, on: req.db) else {
            throw AppError.notFound
        }
        return found
    }

    static func baseURL(_ req: Request) -> String {
        req.application.config.publicBaseURL ?? ("http://" + (req.headers.first(name: .host) ?? "localhost"))
    }

    static func today(_ req: Request) -> CivilDate { req.application.config.fixedToday ?? CivilDate.today() }

    @Sendable static func form(req: Request) async throws -> Response {
        try await show(req, channel: .link)
    }

    @Sendable static func kioskForm(req: Request) async throws -> Response {
        try await show(req, channel: .kiosk)
    }

    static func show(_ req: Request, channel: SurveyChannel) async throws -> Response {
        let (p, fields) = try await pointAndFields(req)
        guard p.isOpen(on: today(req)), p.channels.contains(channel) else {
            return SurveyPages.closed(req.pageContext, p).response(status: p.status == .open && p.channels.contains(channel) ? .ok : .notFound)
        }
        let q = try await SurveyService.questionnaire(p.questionnaireID, on: req.db)
        return page(req, p, q, fields, channel, SurveyForm.Submitted(), [], .ok)
    }

    /// The questionnaire page of one point and channel, blank or with what was sent and why it was refused.
    static func page(_ req: Request, _ p: SurveyService.PointInfo, _ q: Questionnaire, _ fields: [(code: String, name: String)],
                     _ channel: SurveyChannel, _ submitted: SurveyForm.Submitted, _ problems: [SurveyForm.Problem],
                     _ status: HTTPResponseStatus) -> Response {
        let action = channel == .kiosk ? SurveyURL.kiosk(p.token) : SurveyURL.respond(p.token)
        return SurveyPages.respond(req.pageContext, point: p, questionnaire: q, fields: fields, channel: channel, action: action,
                                   submitted: submitted, problems: problems).response(status: status)
    }

    @Sendable static func submit(req: Request) async throws -> Response {
        try await receive(req, channel: .link)
    }

    @Sendable static func kioskSubmit(req: Request) async throws -> Response {
        try await receive(req, channel: .kiosk)
    }

    static func receive(_ req: Request, channel: SurveyChannel) async throws -> Response {
        let (p, fields) = try await pointAndFields(req)
        guard p.isOpen(on: today(req)), p.channels.contains(channel) else {
            return SurveyPages.closed(req.pageContext, p).response(status: .gone)
        }
        let q = try await SurveyService.questionnaire(p.questionnaireID, on: req.db)
        let submitted = SurveyForm.parse(req)
        var problems = SurveyForm.problems(submitted, point: p, fields: fields)
        var answers: SurveyAnswers?
        switch SurveyAnswers.check(q, submitted.answers) {
        case .success(let a): answers = a
        case .failure(let f): problems += f.problems.map { SurveyForm.Problem.answer($0) }
        }
        guard problems.isEmpty, let answers else {
            return page(req, p, q, fields, channel, submitted, problems, .badRequest)
        }
        let salt = try await SurveyService.salt(on: req.db)
        let fp = SurveyService.fingerprint(
            salt: salt, campaign: p.campaignID, address: req.remoteAddress?.ipAddress ?? "?", userAgent: req.headers.first(name: .userAgent) ?? "")
        let incoming = IncomingResponse(
            point: p, questionnaire: q, answers: answers, field: submitted.field, channel: channel, fingerprint: fp,
            submissionKey: submitted.key ?? UUID().uuidString, receiptCode: submitted.receipt, enteredBy: nil,
            honeypotFilled: submitted.honeypot, secondsToAnswer: submitted.secondsToAnswer)
        switch try await req.application.surveyWriter.submit(incoming) {
        case .stored, .duplicate:
            let thanks = SurveyURL.thanks(p.token) + (channel == .kiosk ? "?kiosk=1" : "")
            return req.redirect(to: thanks, redirectType: .normal)
        case .refused:
            return SurveyPages.refused(req.pageContext, p).response(status: .tooManyRequests)
        case .closed:
            return SurveyPages.closed(req.pageContext, p).response(status: .gone)
        case .receiptInvalid:
            return page(req, p, q, fields, channel, submitted, [.receiptUsed], .badRequest)
        }
    }

    @Sendable static func thanks(req: Request) async throws -> Response {
        let p = try await point(req)
        let kiosk = (try? req.query.get(String.self, at: "kiosk")) == "1"
        return SurveyPages.thanks(req.pageContext, p, kiosk: kiosk).response()
    }

    @Sendable static func qr(req: Request) async throws -> Response {
        let p = try await point(req)
        let url = baseURL(req) + SurveyURL.respond(p.token)
        guard case .success(let code) = QRCode.encode(url, level: .medium) else { throw AppError.notFound }
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "image/svg+xml; charset=utf-8")
        headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=3600")
        return Response(status: .ok, headers: headers, body: .init(string: code.svg(title: req.t("survey.qrTitle", p.unitName))))
    }

    @Sendable static func poster(req: Request) async throws -> Response {
        let p = try await point(req)
        let url = baseURL(req) + SurveyURL.respond(p.token)
        let code = try QRCode.encode(url, level: .medium).get()
        return SurveyPages.poster(req.pageContext, p, url: url, svg: code.svg(title: req.t("survey.qrTitle", p.unitName))).response()
    }
}

/// The survey URLs, in one place.
enum SurveyURL {
    static func respond(_ token: String) -> String { "/s/\(token)" }
    static func kiosk(_ token: String) -> String { "/s/\(token)/kiosk" }
    static func thanks(_ token: String) -> String { "/s/\(token)/thanks" }
    static func qr(_ token: String) -> String { "/s/\(token)/qr.svg" }
    static func poster(_ token: String) -> String { "/s/\(token)/poster" }
    static let home = "/surveys"
    static let starters = "/surveys/starters"
    static let settings = "/surveys/settings"
    static let questionnaires = "/surveys/questionnaires"
    static func questionnaire(_ id: UUID) -> String { "/surveys/questionnaires/\(id)" }
    static func questions(_ id: UUID) -> String { "/surveys/questionnaires/\(id)/questions" }
    static func questionDelete(_ id: UUID, _ code: String) -> String { "/surveys/questionnaires/\(id)/questions/\(code)/delete" }
    static func publish(_ id: UUID) -> String { "/surveys/questionnaires/\(id)/publish" }
    static func copy(_ id: UUID) -> String { "/surveys/questionnaires/\(id)/copy" }
    static let campaignNew = "/surveys/campaigns/new"
    static let campaigns = "/surveys/campaigns"
    static func campaign(_ id: UUID) -> String { "/surveys/campaigns/\(id)" }
    static func campaignStatus(_ id: UUID) -> String { "/surveys/campaigns/\(id)/status" }
    static func results(_ id: UUID) -> String { "/surveys/campaigns/\(id)/results" }
    static func export(_ id: UUID, _ kind: String, _ format: String) -> String { "/surveys/campaigns/\(id)/export/\(kind).\(format)" }
    static func quarantine(_ id: UUID) -> String { "/surveys/campaigns/\(id)/quarantine" }
    static func review(_ id: UUID) -> String { "/surveys/responses/\(id)/review" }
    static func paper(_ campaign: UUID, _ point: UUID) -> String { "/surveys/campaigns/\(campaign)/paper/\(point)" }
    static func receipts(_ campaign: UUID, _ point: UUID) -> String { "/surveys/campaigns/\(campaign)/receipts/\(point)" }
}
