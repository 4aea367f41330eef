import Foundation

/// The five SIPAS factors (DOMAIN.md §6): access to the service, the procedure, the official handling it, the
/// result, and the handling of feedback.
public enum SIPASFactor: String, Codable, CaseIterable, Sendable {
    case access, procedure, official, result, feedback

    public var labelKey: String { "sipas.factor.\(rawValue)" }
}

/// For each factor people report facts, satisfaction and expectations; only satisfaction questions feed the index.
public enum QuestionPart: String, Codable, CaseIterable, Sendable {
    case facts, satisfaction, expectation
}

public enum QuestionKind: String, Codable, CaseIterable, Sendable {
    case single
    case multiple
    /// A scale of whole numbers `scaleMin…scaleMax` (e.g. 1–5).
    case rating
    /// Rows (statements) × one choice of the options per row.
    case matrix
    case yesNo = "yes_no"
    case shortText = "short_text"
    case longText = "long_text"

    public var isText: Bool { self == .shortText || self == .longText }
}

/// One answer option. `weight` (0–100 %) scores PAR-Index survey forms (A–D = 100/60/20/0); `satisfied` marks
/// the options that count as "satisfied or very satisfied" in the SIPAS index.
public struct AnswerOption: Codable, Hashable, Sendable {
    public var code: String
    public var label: String
    public var weight: Points?
    public var satisfied: Bool?

    public init(code: String, label: String, weight: Points? = nil, satisfied: Bool? = nil) {
        self.code = code
        self.label = label
        self.weight = weight
        self.satisfied = satisfied
    }
}

/// A statement of a matrix question, which may carry its own factor.
public struct MatrixRow: Codable, Hashable, Sendable {
    public var code: String
    public var label: String
    public var factor: SIPASFactor?

    public init(code: String, label: String, factor: SIPASFactor? = nil) {
        self.code = code
        self.label = label
        self.factor = factor
    }
}

/// Show a question only when an earlier question's answer is one of `anyOf` (option codes; for a rating, the
/// number as text; for yes/no, "yes" or "no"). Plain comparison of codes: no expression language, no regular
/// expressions supplied by administrators.
public struct DisplayCondition: Codable, Hashable, Sendable {
    public var question: String
    public var anyOf: [String]

    public init(question: String, anyOf: [String]) {
        self.question = question
        self.anyOf = anyOf
    }
}

public struct Question: Codable, Sendable, Equatable {
    public var code: String
    public var kind: QuestionKind
    public var text: String
    public var help: String?
    public var required: Bool
    public var factor: SIPASFactor?
    public var part: QuestionPart?
    public var options: [AnswerOption]
    public var rows: [MatrixRow]
    public var scaleMin: Int?
    public var scaleMax: Int?
    /// For a rating: the lowest value that counts as satisfied (e.g. 4 on 1–5).
    public var satisfiedFrom: Int?
    public var maxLength: Int?
    public var showIf: DisplayCondition?

    public init(code: String, kind: QuestionKind, text: String, help: String? = nil, required: Bool = false, factor: SIPASFactor? = nil,
                part: QuestionPart? = nil, options: [AnswerOption] = [], rows: [MatrixRow] = [], scaleMin: Int? = nil, scaleMax: Int? = nil,
                satisfiedFrom: Int? = nil, maxLength: Int? = nil, showIf: DisplayCondition? = nil) {
        self.code = code
        self.kind = kind
        self.text = text
        self.help = help
        self.required = required
        self.factor = factor
        self.part = part
        self.options = options
        self.rows = rows
        self.scaleMin = scaleMin
        self.scaleMax = scaleMax
        self.satisfiedFrom = satisfiedFrom
        self.maxLength = maxLength
        self.showIf = showIf
    }

    /// The codes an answer to this question may take (nil for text questions).
    public var allowedCodes: Set<String>? {
        switch kind {
        case .single, .multiple, .matrix: Set(options.map(\.code))
        case .yesNo: ["yes", "no"]
        case .rating: Set(((scaleMin ?? 1)...max(scaleMin ?? 1, scaleMax ?? 5)).map(String.init))
        case .shortText, .longText: nil
        }
    }

    /// Whether `value` is one of `allowedCodes`, without building the set (checked for every answer received).
    public func allows(_ value: String) -> Bool {
        switch kind {
        case .single, .multiple, .matrix: return options.contains { $0.code == value }
        case .yesNo: return value == "yes" || value == "no"
        case .rating:
            guard let n = Int(value), String(n) == value else { return false }
            let low = scaleMin ?? 1
            return low <= n && n <= max(low, scaleMax ?? 5)
        case .shortText, .longText: return false
        }
    }

    /// The longest text accepted: the question's own limit, at most 2,000 (long) or 200 (short) characters.
    public var textLimit: Int {
        let cap = kind == .longText ? 2_000 : 200
        return min(cap, max(1, maxLength ?? cap))
    }
}

/// A questionnaire version. Once published, a version never changes (answers refer to its codes); a change is a
/// new version.
public struct Questionnaire: Codable, Sendable, Equatable {
    public var code: String
    public var title: String
    public var intro: String?
    public var questions: [Question]

    public init(code: String, title: String, intro: String? = nil, questions: [Question]) {
        self.code = code
        self.title = title
        self.intro = intro
        self.questions = questions
    }

    public enum Problem: Equatable, Sendable, CustomStringConvertible {
        case noQuestions
        case emptyTitle
        case badCode(String)
        case duplicateQuestion(String)
        case emptyText(String)
        case tooFewOptions(String)
        case duplicateOption(question: String, option: String)
        case weightOutOfRange(question: String, option: String)
        case badScale(String)
        case noRows(String)
        case duplicateRow(question: String, row: String)
        case conditionUnknown(question: String, refers: String)
        /// A condition may only look at a question asked before it (which also rules out cycles).
        case conditionForward(question: String, refers: String)
        case conditionOnText(question: String, refers: String)
        case conditionValue(question: String, value: String)

        public var key: String {
            switch self {
            case .noQuestions: "survey.problem.noQuestions"
            case .emptyTitle: "survey.problem.emptyTitle"
            case .badCode: "survey.problem.badCode"
            case .duplicateQuestion: "survey.problem.duplicateQuestion"
            case .emptyText: "survey.problem.emptyText"
            case .tooFewOptions: "survey.problem.tooFewOptions"
            case .duplicateOption: "survey.problem.duplicateOption"
            case .weightOutOfRange: "survey.problem.weightOutOfRange"
            case .badScale: "survey.problem.badScale"
            case .noRows: "survey.problem.noRows"
            case .duplicateRow: "survey.problem.duplicateRow"
            case .conditionUnknown: "survey.problem.conditionUnknown"
            case .conditionForward: "survey.problem.conditionForward"
            case .conditionOnText: "survey.problem.conditionOnText"
            case .conditionValue: "survey.problem.conditionValue"
            }
        }

        public var description: String { key }
    }

    public static func isValidCode(_ s: String) -> Bool {
        (1...32).contains(s.count) && s.unicodeScalars.allSatisfy { ($0 >= "a" && $0 <= "z") || ($0 >= "A" && $0 <= "Z") || ($0 >= "0" && $0 <= "9") || $0 == "_" || $0 == "-" || $0 == "." }
    }

    /// Every problem, in question order (empty: the questionnaire can be published).
    public func validate() -> [Problem] {
        var problems: [Problem] = []
        if title.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { problems.append(.emptyTitle) }
        if questions.isEmpty { problems.append(.noQuestions) }
        var seen: [String: Question] = [:]
        for q in questions {
            if !Self.isValidCode(q.code) { problems.append(.badCode(q.code)) }
            if seen[q.code] != nil { problems.append(.duplicateQuestion(q.code)) }
            if q.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { problems.append(.emptyText(q.code)) }
            switch q.kind {
            case .single, .multiple, .matrix:
                if q.options.count < 2 { problems.append(.tooFewOptions(q.code)) }
                var codes: Set<String> = []
                for o in q.options {
                    if !Self.isValidCode(o.code) || !codes.insert(o.code).inserted { problems.append(.duplicateOption(question: q.code, option: o.code)) }
                    if let w = o.weight, w < .zero || w > Points(100) { problems.append(.weightOutOfRange(question: q.code, option: o.code)) }
                }
                if q.kind == .matrix {
                    if q.rows.isEmpty { problems.append(.noRows(q.code)) }
                    var rowCodes: Set<String> = []
                    for r in q.rows where !Self.isValidCode(r.code) || !rowCodes.insert(r.code).inserted {
                        problems.append(.duplicateRow(question: q.code, row: r.code))
                    }
                }
            case .rating:
                let lo = q.scaleMin ?? 1, hi = q.scaleMax ?? 5
                if lo < 0 || hi > 10 || hi - lo < 1 || (q.satisfiedFrom.map { $0 < lo || $0 > hi } ?? false) { problems.append(.badScale(q.code)) }
            case .yesNo, .shortText, .longText:
                break
            }
            if let c = q.showIf {
                if let earlier = seen[c.question] {
                    if let allowed = earlier.allowedCodes {
                        for v in c.anyOf where !allowed.contains(v) { problems.append(.conditionValue(question: q.code, value: v)) }
                        if c.anyOf.isEmpty { problems.append(.conditionValue(question: q.code, value: "")) }
                    } else {
                        problems.append(.conditionOnText(question: q.code, refers: c.question))
                    }
                } else if questions.contains(where: { $0.code == c.question }) {
                    problems.append(.conditionForward(question: q.code, refers: c.question))
                } else {
                    problems.append(.conditionUnknown(question: q.code, refers: c.question))
                }
            }
            if seen[q.code] == nil { seen[q.code] = q }
        }
        return problems
    }

    public func question(_ code: String) -> Question? { questions.first { $0.code == code } }
}
