/// Kinds of units after the 2025 reorganisation (districts abolished; commune level = xã, phường, đặc khu).
public enum UnitKind: String, CaseIterable, Codable, Sendable {
    case province
    case department
    case centralAgency = "central_agency"
    case commune
    case ward
    case specialZone = "special_zone"
    case publicServiceUnit = "public_service_unit"
    case office

    /// Catalog key of the label shown to users.
    public var labelKey: String { "unitKind.\(rawValue)" }

    public var isCommuneLevel: Bool { self == .commune || self == .ward || self == .specialZone }

    /// Words people write in spreadsheets for each kind (folded: no diacritics, lower case).
    static let aliases: [String: UnitKind] = [
        "tinh": .province, "ubnd tinh": .province, "province": .province,
        "so": .department, "so, ban, nganh": .department, "so ban nganh": .department, "ban": .department,
        "department": .department,
        "co quan nganh doc": .centralAgency, "nganh doc": .centralAgency, "central agency": .centralAgency,
        "xa": .commune, "commune": .commune,
        "phuong": .ward, "ward": .ward,
        "dac khu": .specialZone, "special zone": .specialZone,
        "don vi su nghiep": .publicServiceUnit, "don vi su nghiep cong lap": .publicServiceUnit,
        "public service unit": .publicServiceUnit,
        "phong": .office, "phong ban": .office, "phong, ban": .office, "office": .office,
    ]

    /// Reads a kind from a raw value or a Vietnamese/English label, ignoring case and diacritics.
    public init?(loose raw: String) {
        let folded = VietnameseText.fold(raw)
        if let k = UnitKind(rawValue: folded.replacingOccurrences(of: " ", with: "_")) {
            self = k
        } else if let k = UnitKind.aliases[folded] {
            self = k
        } else {
            return nil
        }
    }
}

/// How a unit came from its predecessors.
public enum SuccessionKind: String, CaseIterable, Codable, Sendable {
    case merger
    case rename
    case split

    public var labelKey: String { "succession.\(rawValue)" }
}
