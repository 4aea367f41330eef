import Foundation
import ThiDuaCore

enum Lang: String, CaseIterable, Sendable {
    case vi
    case en

    var catalog: [String: String] {
        switch self {
        case .vi: Catalog.vi
        case .en: Catalog.en
        }
    }
}

/// Looks strings up in the language's catalog. "{0}" in a string is replaced by the argument. A missing
/// key shows the key itself (a test keeps both catalogs complete, so users never see one).
struct Localizer: Sendable {
    let lang: Lang

    func callAsFunction(_ key: String, _ args: String...) -> String { callAsFunction(key, arguments: args) }

    func callAsFunction(_ key: String, arguments args: [String]) -> String {
        let s = lang.catalog[key] ?? Catalog.vi[key] ?? key
        return args.isEmpty ? s : Self.fill(s, args)
    }

    /// Replaces "{0}", "{1}" … with the arguments in one pass (no Foundation string search: this runs for many
    /// cells of every list page). A placeholder without an argument stays as it is.
    static func fill(_ template: String, _ args: [String]) -> String {
        var out = ""
        out.reserveCapacity(template.utf8.count + args.reduce(0) { $0 + $1.utf8.count })
        var i = template.startIndex
        while i < template.endIndex {
            let c = template[i]
            if c == "{", let close = template[i...].firstIndex(of: "}"), let n = Int(template[template.index(after: i)..<close]), args.indices.contains(n) {
                out += args[n]
                i = template.index(after: close)
            } else {
                out.append(c)
                i = template.index(after: i)
            }
        }
        return out
    }

    var english: Bool { lang == .en }

    func number(_ n: Int) -> String { VietnameseFormat.number(n, english: english) }
    func date(_ d: CivilDate?) -> String { d?.vietnamese ?? "" }
    func dateTime(_ d: Date?) -> String { d.map(VietnameseFormat.dateTime) ?? "" }

    /// A row problem from an import or a form, in words.
    func problem(_ key: String, _ argument: String?) -> String {
        self(key, argument ?? "")
    }
}
