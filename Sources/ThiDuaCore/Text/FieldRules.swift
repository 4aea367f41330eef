import Foundation

/// Rules for free-text fields typed in forms or imported from spreadsheets.
public enum FieldProblem: Error, Equatable, Sendable {
    case required
    case tooLong(max: Int)
    case controlCharacters
    /// Starts with = + - @: a spreadsheet would run it as a formula.
    case formulaLike
    /// Contains < or >: names of units and people never do, and markup has no place in them.
    case markup
    case invalidCode
    case invalidValue(String)
    case invalidDate(String)
    case dateOrder
    case notFound(String)
    case ambiguous(String)
    case duplicate(firstRow: Int)
    case alreadyExists(String)
    case forbidden

    /// Catalog key for the message; parameters are filled by the view.
    public var key: String {
        switch self {
        case .required: "problem.required"
        case .tooLong: "problem.tooLong"
        case .controlCharacters: "problem.controlCharacters"
        case .formulaLike: "problem.formulaLike"
        case .markup: "problem.markup"
        case .invalidCode: "problem.invalidCode"
        case .invalidValue: "problem.invalidValue"
        case .invalidDate: "problem.invalidDate"
        case .dateOrder: "problem.dateOrder"
        case .notFound: "problem.notFound"
        case .ambiguous: "problem.ambiguous"
        case .duplicate: "problem.duplicate"
        case .alreadyExists: "problem.alreadyExists"
        case .forbidden: "problem.forbidden"
        }
    }

    /// The value to put in the message ("{0}").
    public var argument: String? {
        switch self {
        case .tooLong(let max): String(max)
        case .invalidValue(let v), .invalidDate(let v), .notFound(let v), .ambiguous(let v), .alreadyExists(let v): v
        case .duplicate(let row): String(row)
        default: nil
        }
    }
}

public enum FieldRules {
    /// A name: required, NFC, ≤ max characters, no control characters, no markup, no formula prefix.
    public static func name(_ raw: String, max: Int = 255) -> Result<String, FieldProblem> {
        let s = VietnameseText.normalize(raw)
        if s.isEmpty { return .failure(.required) }
        if s.count > max { return .failure(.tooLong(max: max)) }
        if s.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return .failure(.controlCharacters)
        }
        if s.contains("<") || s.contains(">") { return .failure(.markup) }
        if let first = s.first, "=+-@".contains(first) { return .failure(.formulaLike) }
        return .success(s)
    }

    /// Prose typed in a text area (a problem, a solution, a comment): NFC, line breaks kept (as "\n", spaces in a
    /// line collapsed), blank lines at the ends dropped, ≤ max characters, no control characters. Empty is allowed
    /// (the caller says whether it is required). "<" and a leading "-" are ordinary here: pages escape text and
    /// exports neutralise formulas.
    public static func text(_ raw: String, max: Int = 4_000) -> Result<String, FieldProblem> {
        let lines = raw.precomposedStringWithCanonicalMapping.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
            .map { VietnameseText.normalize(String($0)) }
        var kept = lines[...]
        while let f = kept.first, f.isEmpty { kept = kept.dropFirst() }
        while let l = kept.last, l.isEmpty { kept = kept.dropLast() }
        let s = kept.joined(separator: "\n")
        if s.count > max { return .failure(.tooLong(max: max)) }
        if s.unicodeScalars.contains(where: { $0 != "\n" && $0.properties.generalCategory == .control }) { return .failure(.controlCharacters) }
        return .success(s)
    }

    /// Optional text (notes, positions): empty is allowed, the rest as for names.
    public static func optionalText(_ raw: String, max: Int = 255) -> Result<String?, FieldProblem> {
        let s = VietnameseText.normalize(raw)
        if s.isEmpty { return .success(nil) }
        return name(s, max: max).map { Optional($0) }
    }

    /// Codes: 1–32 characters of A–Z, 0–9, "-", "_", ".", "/"; stored in upper case.
    public static func code(_ raw: String) -> Result<String, FieldProblem> {
        if let fast = asciiCode(raw) { return .success(fast) }
        return codeGeneral(raw)
    }

    static func codeGeneral(_ raw: String) -> Result<String, FieldProblem> {
        let n = VietnameseText.normalize(raw)
        if n.isEmpty { return .failure(.required) }
        if n.count > 32 { return .failure(.tooLong(max: 32)) }
        // Checked before upper-casing: "ß" or "ﬁ" would otherwise become letters a code may hold.
        let allowed = n.unicodeScalars.allSatisfy {
            ($0 >= "A" && $0 <= "Z") || ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9") || "-_./".unicodeScalars.contains($0)
        }
        let s = n.uppercased()
        guard allowed, let first = s.first, first.isLetter || first.isNumber else { return .failure(.invalidCode) }
        return .success(s)
    }

    /// A code already in its accepted form apart from case (letters, digits and "-_./", starting with a letter or
    /// digit, at most 32), upper-cased byte by byte; nil sends it through the general rule.
    static func asciiCode(_ raw: String) -> String? {
        let u = raw.utf8
        guard !u.isEmpty, u.count <= 32 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(u.count)
        for b in u {
            switch b {
            case 0x61...0x7A: out.append(b - 0x20)
            case 0x41...0x5A, 0x30...0x39: out.append(b)
            case 0x2D, 0x5F, 0x2E, 0x2F:
                guard !out.isEmpty else { return nil }
                out.append(b)
            default: return nil
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    public static func date(_ raw: String) -> Result<CivilDate?, FieldProblem> {
        let s = raw.trimmingCharacters(in: .whitespaces)
        if s.isEmpty { return .success(nil) }
        guard let d = CivilDate(parsing: s) else { return .failure(.invalidDate(s)) }
        return .success(d)
    }
}
