import Foundation

/// One respondent's answers, checked against a questionnaire version. Keys are question codes, or
/// `question.row` for a matrix row; values are option codes (several for a multiple choice), a rating as text,
/// "yes"/"no", or the text typed.
public struct SurveyAnswers: Sendable, Equatable {
    public private(set) var values: [String: [String]]

    public enum Problem: Equatable, Sendable {
        /// An answer to a question (or matrix row) the questionnaire does not have.
        case unknownQuestion(String)
        /// An answer to a question its condition hides.
        case hiddenQuestion(String)
        case required(String)
        case notAnOption(question: String, value: String)
        case oneAnswerOnly(String)
        case tooLong(question: String, limit: Int)
        case tooManyAnswers

        public var key: String {
            switch self {
            case .unknownQuestion: "survey.answer.unknownQuestion"
            case .hiddenQuestion: "survey.answer.hiddenQuestion"
            case .required: "survey.answer.required"
            case .notAnOption: "survey.answer.notAnOption"
            case .oneAnswerOnly: "survey.answer.oneAnswerOnly"
            case .tooLong: "survey.answer.tooLong"
            case .tooManyAnswers: "survey.answer.tooManyAnswers"
            }
        }

        public var question: String? {
            switch self {
            case .unknownQuestion(let q), .hiddenQuestion(let q), .required(let q), .oneAnswerOnly(let q): q
            case .notAnOption(let q, _), .tooLong(let q, _): q
            case .tooManyAnswers: nil
            }
        }
    }

    /// Whether `q` is shown, given the answers so far (a question whose condition looks at a hidden question is
    /// hidden too: conditions only look backwards, so one pass in order decides every question).
    public static func visibility(_ questionnaire: Questionnaire, _ raw: [String: [String]]) -> [String: Bool] {
        var shown: [String: Bool] = [:]
        for q in questionnaire.questions {
            guard let c = q.showIf else {
                shown[q.code] = true
                continue
            }
            let base = shown[c.question] ?? false
            let answer = raw[c.question] ?? []
            shown[q.code] = base && answer.contains { c.anyOf.contains($0) }
        }
        return shown
    }

    /// Trims white space at both ends; most answers are option codes with none, and skip Foundation entirely.
    static func trimmed(_ s: String) -> String {
        guard let first = s.first, let last = s.last else { return s }
        if !first.isWhitespace && !last.isWhitespace { return s }
        return s.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Checks every answer; on success keeps only trimmed, non-empty answers to visible questions.
    public static func check(_ questionnaire: Questionnaire, _ raw: [String: [String]]) -> Result<SurveyAnswers, SurveyAnswersFailure> {
        var problems: [Problem] = []
        if raw.count > 500 || raw.values.contains(where: { $0.count > 100 }) { return .failure(SurveyAnswersFailure(problems: [.tooManyAnswers])) }
        var cleaned: [String: [String]] = [:]
        for (k, vs) in raw {
            let kept = vs.map(trimmed).filter { !$0.isEmpty }
            if !kept.isEmpty { cleaned[k] = kept }
        }
        let shown = visibility(questionnaire, cleaned)
        func known(_ key: String) -> Bool {
            questionnaire.questions.contains { q in
                guard q.kind == .matrix else { return q.code == key }
                let u = key.utf8, c = q.code.utf8
                guard u.count > c.count + 1, u.starts(with: c), u[u.index(u.startIndex, offsetBy: c.count)] == UInt8(ascii: ".") else { return false }
                let row = key.utf8.dropFirst(c.count + 1)
                return q.rows.contains { $0.code.utf8.elementsEqual(row) }
            }
        }
        for key in cleaned.keys.sorted() where !known(key) { problems.append(.unknownQuestion(key)) }
        var out: [String: [String]] = [:]
        for q in questionnaire.questions {
            let keys = q.kind == .matrix ? q.rows.map { q.code + "." + $0.code } : [q.code]
            let visible = shown[q.code] ?? false
            for key in keys {
                let vs = cleaned[key] ?? []
                if !visible {
                    if !vs.isEmpty { problems.append(.hiddenQuestion(key)) }
                    continue
                }
                if vs.isEmpty {
                    if q.required { problems.append(.required(key)) }
                    continue
                }
                if q.kind.isText {
                    if vs.count > 1 { problems.append(.oneAnswerOnly(key)) }
                    if vs.contains(where: { $0.count > q.textLimit }) { problems.append(.tooLong(question: key, limit: q.textLimit)) }
                } else {
                    if q.kind != .multiple && vs.contains(where: { $0 != vs[0] }) { problems.append(.oneAnswerOnly(key)) }
                    for v in vs where !q.allows(v) { problems.append(.notAnOption(question: key, value: v)) }
                }
                out[key] = q.kind == .multiple ? Array(Set(vs)).sorted() : [vs[0]]
            }
        }
        return problems.isEmpty ? .success(SurveyAnswers(values: out)) : .failure(SurveyAnswersFailure(problems: problems))
    }
}

public struct SurveyAnswersFailure: Error, Equatable, Sendable {
    public let problems: [SurveyAnswers.Problem]
}
