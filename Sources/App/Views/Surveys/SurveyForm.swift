import Foundation
import Vapor
import ThiDuaCore

/// The questionnaire as an HTML form, shared by the public page, the kiosk and paper entry; and the reading of
/// what was sent back. Field names: `q.<question>` (repeated for a multiple choice), `q.<question>.<row>` for a
/// matrix row; `_field`, `_receipt`, `_key` (one submission, sent once), `_t` (when the form was shown) and the
/// honeypot `website`, which people never see.
enum SurveyForm {
    struct Submitted: Sendable {
        var answers: [String: [String]] = [:]
        var field: String?
        var receipt: String?
        var key: String?
        var honeypot = false
        var secondsToAnswer: Int?
        var paperDate: String?
    }

    enum Problem: Sendable, Equatable {
        case answer(SurveyAnswers.Problem)
        case fieldRequired
        case fieldUnknown
        case receiptRequired
        case receiptUsed
        case paperDate
    }

    static let honeypotName = "website"

    /// Reads the form body, keeping repeated names (checkboxes).
    static func pairs(_ body: String) -> [(String, String)] { FormBody.pairs(body) }

    static func parse(_ req: Request) -> Submitted {
        var s = Submitted()
        let body = req.body.string ?? ""
        for (k, v) in pairs(body) {
            switch k {
            case "_field": s.field = v.isEmpty ? nil : v
            case "_receipt":
                let code = v.trimmingCharacters(in: .whitespaces).uppercased()
                s.receipt = code.isEmpty ? nil : String(code.prefix(32))
            case "_key": s.key = v.count <= 64 && !v.isEmpty ? v : nil
            case "_t":
                if let ms = Int64(v) {
                    let now = Int64(Date().timeIntervalSince1970 * 1000)
                    s.secondsToAnswer = Int(max(-1, min(86_400_000, now - ms)) / 1000)
                }
            case "_paper_date": s.paperDate = v
            case honeypotName: s.honeypot = !v.isEmpty
            default:
                if k.hasPrefix("q.") { s.answers[String(k.dropFirst(2)), default: []].append(v) }
            }
        }
        return s
    }

    static func problems(_ s: Submitted, point: SurveyService.PointInfo, fields: [(code: String, name: String)]) -> [Problem] {
        var out: [Problem] = []
        if !fields.isEmpty {
            if let f = s.field {
                if !fields.contains(where: { $0.code == f }) { out.append(.fieldUnknown) }
            } else {
                out.append(.fieldRequired)
            }
        } else if s.field != nil {
            out.append(.fieldUnknown)
        }
        if point.receiptsRequired && s.receipt == nil { out.append(.receiptRequired) }
        return out
    }

    static func anchor(_ p: Problem) -> String {
        switch p {
        case .answer(let a): "q-" + (a.question ?? "top").replacingOccurrences(of: ".", with: "-")
        case .fieldRequired, .fieldUnknown: "f-field"
        case .receiptRequired, .receiptUsed: "f-receipt"
        case .paperDate: "f-paper-date"
        }
    }

    static func message(_ t: Localizer, _ p: Problem, _ q: Questionnaire) -> String {
        func label(_ key: String) -> String {
            let base = String(key.split(separator: ".").first ?? "")
            guard let i = q.questions.firstIndex(where: { $0.code == base }) else { return key }
            var text = t("survey.questionNo", String(i + 1))
            let question = q.questions[i]
            if question.kind == .matrix, let rowCode = key.split(separator: ".").dropFirst().first,
               let row = question.rows.first(where: { $0.code == rowCode }) {
                text += " (" + row.label + ")"
            }
            return text
        }
        switch p {
        case .answer(let a):
            switch a {
            case .unknownQuestion(let k): return t("survey.answer.unknownQuestion", k)
            case .hiddenQuestion(let k): return t("survey.answer.hiddenQuestion", label(k))
            case .required(let k): return t("survey.answer.required", label(k))
            case .notAnOption(let k, _): return t("survey.answer.notAnOption", label(k))
            case .oneAnswerOnly(let k): return t("survey.answer.oneAnswerOnly", label(k))
            case .tooLong(let k, let limit): return t("survey.answer.tooLong", label(k), t.number(limit))
            case .tooManyAnswers: return t("survey.answer.tooManyAnswers")
            }
        case .fieldRequired: return t("survey.form.fieldRequired")
        case .fieldUnknown: return t("survey.form.fieldUnknown")
        case .receiptRequired: return t("survey.form.receiptRequired")
        case .receiptUsed: return t("survey.form.receiptUsed")
        case .paperDate: return t("survey.form.paperDate")
        }
    }

    /// The questions, each in its own fieldset with large touch targets; a question with a condition carries
    /// it in data attributes so the page script can hide it (and the server checks it anyway).
    static func questions(_ t: Localizer, _ q: Questionnaire, submitted s: Submitted, problems: [Problem]) -> HTMLNode {
        let errorKeys = Set(problems.map(anchor))
        return .fragment(q.questions.enumerated().map { index, question in
            let id = "q-" + question.code
            let hasError = errorKeys.contains(where: { $0 == id || $0.hasPrefix(id + "-") })
            let number = t("survey.questionNo", String(index + 1))
            let condition = question.showIf
            let conditionText: String? = condition.flatMap { c in
                guard let i = q.questions.firstIndex(where: { $0.code == c.question }) else { return nil }
                let ref = q.questions[i]
                let labels = c.anyOf.map { v in ref.options.first { $0.code == v }?.label ?? (v == "yes" ? t("form.yes") : v == "no" ? t("form.no") : v) }
                return t("survey.form.onlyIf", t("survey.questionNo", String(i + 1)), labels.joined(separator: " / "))
            }
            let name = "q." + question.code
            let chosen = Set(s.answers[question.code] ?? [])
            return H.fieldset(
                .id(id), .class(hasError ? "question has-error" : "question"), .attr("data-if-q", condition.map { "q." + $0.question }),
                .attr("data-if-v", condition.map { $0.anyOf.joined(separator: " ") })
            ) {
                H.legend {
                    H.span(.class("qno")) { number + ". " }
                    question.text
                    if question.required { H.span(.class("req"), .aria("hidden", "true")) { " *" } }
                }
                if let conditionText { H.p(.class("hint")) { conditionText } }
                if let help = question.help { H.p(.class("hint")) { help } }
                switch question.kind {
                case .single, .yesNo, .rating:
                    let options: [(String, String)] =
                        question.kind == .yesNo ? [("yes", t("form.yes")), ("no", t("form.no"))]
                        : question.kind == .rating ? ((question.scaleMin ?? 1)...max(question.scaleMin ?? 1, question.scaleMax ?? 5)).map { (String($0), String($0)) }
                        : question.options.map { ($0.code, $0.label) }
                    H.div(.class(question.kind == .rating ? "choices scale" : "choices")) {
                        for (i, o) in options.enumerated() {
                            H.label(.class("choice"), .for(id + "-" + String(i))) {
                                H.input(.type("radio"), .id(id + "-" + String(i)), .name(name), .value(o.0), .flag("checked", chosen.contains(o.0)))
                                H.span { o.1 }
                            }
                        }
                    }
                case .multiple:
                    H.div(.class("choices")) {
                        for (i, o) in question.options.enumerated() {
                            H.label(.class("choice"), .for(id + "-" + String(i))) {
                                H.input(.type("checkbox"), .id(id + "-" + String(i)), .name(name), .value(o.code), .flag("checked", chosen.contains(o.code)))
                                H.span { o.label }
                            }
                        }
                    }
                case .matrix:
                    for (r, row) in question.rows.enumerated() {
                        let rowName = name + "." + row.code
                        let rowChosen = Set(s.answers[question.code + "." + row.code] ?? [])
                        H.fieldset(.id(id + "-" + row.code), .class("matrix-row")) {
                            H.legend { row.label }
                            H.div(.class("choices")) {
                                for (i, o) in question.options.enumerated() {
                                    let oid = id + "-" + String(r) + "-" + String(i)
                                    H.label(.class("choice"), .for(oid)) {
                                        H.input(.type("radio"), .id(oid), .name(rowName), .value(o.code), .flag("checked", rowChosen.contains(o.code)))
                                        H.span { o.label }
                                    }
                                }
                            }
                        }
                    }
                case .shortText:
                    H.label(.class("visually-hidden"), .for(id + "-text")) { number }
                    H.input(.type("text"), .id(id + "-text"), .name(name), .value(s.answers[question.code]?.first), .attr("maxlength", String(question.textLimit)))
                case .longText:
                    H.label(.class("visually-hidden"), .for(id + "-text")) { number }
                    H.textarea(.id(id + "-text"), .name(name), .attr("rows", "4"), .attr("maxlength", String(question.textLimit))) { s.answers[question.code]?.first ?? "" }
                }
            }
        })
    }
}
