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

    func callAsFunction(_ key: String, _ args: String...) -> String {
        var s = lang.catalog[key] ?? Catalog.vi[key] ?? key
        for (i, a) in args.enumerated() {
            s = s.replacingOccurrences(of: "{\(i)}", with: a)
        }
        return s
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
