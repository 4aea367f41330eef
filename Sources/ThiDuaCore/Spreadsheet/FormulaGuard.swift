import Foundation

/// Spreadsheet formula-injection defence (OWASP "CSV injection"): a cell that starts with = + - @ TAB or CR is
/// prefixed with a single quote so spreadsheet programs show it as text.
///
/// This deliberately also catches harmless-looking data such as "-12", "-1,5" or "+84 912 345 678": a spreadsheet
/// cannot tell "-1+cmd|'/c calc'!A0" from a negative number by its first character, and OWASP recommends
/// neutralising every such cell. Exports that need real negative numbers should write them as numeric cells
/// (`XLSXCell.number`), which never pass through this guard.
public enum FormulaGuard {
    public static func isDangerous(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first else { return false }
        switch first {
        case "=", "+", "-", "@", "\t", "\r":
            return true
        // Full-width forms: East Asian input methods type these, and some spreadsheet builds fold them to
        // ASCII before deciding whether a cell is a formula.
        case "\u{FF1D}", "\u{FF0B}", "\u{FF0D}", "\u{FF20}":
            return true
        default:
            return false
        }
    }

    public static func neutralise(_ s: String) -> String {
        isDangerous(s) ? "'" + s : s
    }
}
