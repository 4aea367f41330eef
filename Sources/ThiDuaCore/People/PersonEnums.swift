public enum Sex: String, CaseIterable, Codable, Sendable {
    case male
    case female

    public var labelKey: String { "sex.\(rawValue)" }

    public init?(loose raw: String) {
        switch VietnameseText.fold(raw) {
        case "nam", "male", "m": self = .male
        case "nu", "female", "f": self = .female
        default: return nil
        }
    }
}

/// Yearly quality rating of cadres, civil servants and public employees (Decree 90/2020/NĐ-CP as amended by
/// Decree 48/2023/NĐ-CP; see docs/regulations.md).
public enum PerformanceRating: String, CaseIterable, Codable, Sendable {
    /// Hoàn thành xuất sắc nhiệm vụ (HTXSNV)
    case outstanding
    /// Hoàn thành tốt nhiệm vụ (HTTNV)
    case good
    /// Hoàn thành nhiệm vụ (HTNV)
    case satisfactory
    /// Không hoàn thành nhiệm vụ (KHTNV)
    case unsatisfactory

    public var labelKey: String { "rating.\(rawValue)" }

    /// The abbreviation used on every Vietnamese form.
    public var abbreviation: String {
        switch self {
        case .outstanding: "HTXSNV"
        case .good: "HTTNV"
        case .satisfactory: "HTNV"
        case .unsatisfactory: "KHTNV"
        }
    }

    public init?(loose raw: String) {
        let f = VietnameseText.fold(raw).replacingOccurrences(of: " ", with: "")
        if let r = PerformanceRating(rawValue: f) {
            self = r
            return
        }
        switch f {
        case "htxsnv", "hoanthanhxuatsacnhiemvu": self = .outstanding
        case "httnv", "hoanthanhtotnhiemvu": self = .good
        case "htnv", "hoanthanhnhiemvu": self = .satisfactory
        case "khtnv", "khonghoanthanhnhiemvu": self = .unsatisfactory
        default: return nil
        }
    }
}

/// Disciplinary forms for civil servants (see docs/regulations.md).
public enum DisciplineKind: String, CaseIterable, Codable, Sendable {
    case reprimand
    case warning
    case salaryDowngrade = "salary_downgrade"
    case demotion
    case dismissalFromPost = "dismissal_from_post"
    case dismissal

    public var labelKey: String { "discipline.\(rawValue)" }
}

/// Matters that, while pending, stop a person from being considered for an award.
public enum PendingCaseKind: String, CaseIterable, Codable, Sendable {
    case inspection
    case investigation
    case complaint

    public var labelKey: String { "case.\(rawValue)" }
}

public enum LeaveKind: String, CaseIterable, Codable, Sendable {
    case maternity
    case sick
    case study
    case other

    public var labelKey: String { "leave.\(rawValue)" }
}
