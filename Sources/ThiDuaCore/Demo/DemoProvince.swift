import Foundation

// A FICTIONAL province for `thidua demo`. "Minh Sơn" is not one of Vietnam's 34 provinces, and every
// commune, person, decision number and case below is invented; only the kinds of units, their titles and
// the 2025 reorganisation pattern are real, so that the demo exercises the rules the product must handle.

public struct DemoUnit: Sendable, Equatable {
    public let code: String
    public let name: String
    public let shortName: String?
    public let kind: String
    public let parentCode: String?
    public let validFrom: String
    public let validTo: String?
    public let predecessorCodes: [String]
}

public struct DemoBlock: Sendable, Equatable {
    public let code: String
    public let name: String
    public let year: Int
    public let memberCodes: [String]
}

public struct DemoPerson: Sendable, Equatable {
    public let code: String
    public let fullName: String
    public let sex: String
    public let birthYear: Int
    public let position: String
    public let unitCode: String
    public let ratings: [Int: String]
    public let discipline: [DemoPeriod]
    public let pendingCases: [DemoCase]
    public let leaves: [DemoPeriod]
}

public struct DemoPeriod: Sendable, Equatable {
    public let kind: String
    public let start: String
    public let end: String?
    public let reference: String?
}

public struct DemoCase: Sendable, Equatable {
    public let kind: String
    public let opened: String
    public let closed: String?
    public let reference: String?
}

public struct DemoProvinceData: Sendable, Equatable {
    public let provinceName: String
    public let units: [DemoUnit]
    public let blocks: [DemoBlock]
    public let people: [DemoPerson]
}

public enum DemoProvince {
    /// Deterministic for a given seed: units and blocks are fixed, the seed only changes the people.
    public static func generate(seed: UInt64 = 2026) -> DemoProvinceData {
        var rng = SplitMix64(seed: seed)
        return DemoProvinceData(
            provinceName: "Tỉnh Minh Sơn (dữ liệu mô phỏng)",
            units: makeUnits(),
            blocks: makeBlocks(),
            people: makePeople(rng: &rng)
        )
    }

    // MARK: - Units

    private typealias Department = (
        code: String, name: String, shortName: String?, head: String,
        offices: [(suffix: String, name: String)], services: [(suffix: String, name: String)]
    )

    // The 12 departments every province has, plus 2 optional ones, under Decree 45/2025/NĐ-CP; the
    // industrial-zones board sits outside that decree but takes part in the same emulation block.
    // No "Thanh tra Sở": the Law on Inspection 2025 abolished department inspectorates from 1 July 2025.
    private static let departments: [Department] = [
        ("VPUB", "Văn phòng Ủy ban nhân dân tỉnh", "Văn phòng UBND tỉnh", "Chánh Văn phòng",
         [("HCTC", "Phòng Hành chính - Tổ chức"), ("TH", "Phòng Tổng hợp"),
          ("KSTT", "Phòng Kiểm soát thủ tục hành chính")],
         [("TTHCC", "Trung tâm Phục vụ hành chính công tỉnh")]),
        ("SNV", "Sở Nội vụ", nil, "Giám đốc",
         [("VP", "Văn phòng Sở"), ("TCBC", "Phòng Tổ chức bộ máy và Biên chế"),
          ("CCHC", "Phòng Cải cách hành chính"), ("TDKT", "Phòng Thi đua - Khen thưởng")],
         []),
        ("STP", "Sở Tư pháp", nil, "Giám đốc",
         [("VP", "Văn phòng Sở"), ("XDPL", "Phòng Xây dựng và Theo dõi thi hành pháp luật"),
          ("HCTP", "Phòng Hành chính tư pháp")],
         [("TGPL", "Trung tâm Trợ giúp pháp lý nhà nước")]),
        ("STC", "Sở Tài chính", nil, "Giám đốc",
         [("VP", "Văn phòng Sở"), ("QLNS", "Phòng Quản lý ngân sách"),
          ("DKKD", "Phòng Đăng ký kinh doanh"), ("DT", "Phòng Quản lý đầu tư")],
         []),
        ("SCT", "Sở Công Thương", nil, "Giám đốc",
         [("VP", "Văn phòng Sở"), ("QLTM", "Phòng Quản lý thương mại"),
          ("QLNL", "Phòng Quản lý năng lượng")],
         []),
        ("SNNMT", "Sở Nông nghiệp và Môi trường", "Sở NN&MT", "Giám đốc",
         [("VP", "Văn phòng Sở"), ("QLDD", "Phòng Quản lý đất đai"),
          ("KHTC", "Phòng Kế hoạch - Tài chính"), ("CCKL", "Chi cục Kiểm lâm")],
         [("TTKN", "Trung tâm Khuyến nông")]),
        ("SXD", "Sở Xây dựng", nil, "Giám đốc",
         [("VP", "Văn phòng Sở"), ("QLXD", "Phòng Quản lý hoạt động xây dựng"),
          ("QLVT", "Phòng Quản lý vận tải, phương tiện và người lái")],
         []),
        ("SKHCN", "Sở Khoa học và Công nghệ", "Sở KH&CN", "Giám đốc",
         [("VP", "Văn phòng Sở"), ("CDS", "Phòng Chuyển đổi số"),
          ("QLKH", "Phòng Quản lý khoa học")],
         [("CNTT", "Trung tâm Công nghệ thông tin và Truyền thông")]),
        ("SGDDT", "Sở Giáo dục và Đào tạo", "Sở GD&ĐT", "Giám đốc",
         [("VP", "Văn phòng Sở"), ("GDPT", "Phòng Giáo dục phổ thông"),
          ("TCCB", "Phòng Tổ chức cán bộ")],
         [("THPTC", "Trường Trung học phổ thông chuyên Minh Sơn")]),
        ("SYT", "Sở Y tế", nil, "Giám đốc",
         [("VP", "Văn phòng Sở"), ("NVY", "Phòng Nghiệp vụ Y"),
          ("KHTC", "Phòng Kế hoạch - Tài chính")],
         [("BVDK", "Bệnh viện Đa khoa tỉnh Minh Sơn"), ("CDC", "Trung tâm Kiểm soát bệnh tật tỉnh")]),
        ("SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch", "Sở VHTTDL", "Giám đốc",
         [("VP", "Văn phòng Sở"), ("QLVH", "Phòng Quản lý văn hóa"),
          ("QLDL", "Phòng Quản lý du lịch")],
         []),
        ("SDTTG", "Sở Dân tộc và Tôn giáo", "Sở DT&TG", "Giám đốc",
         [("VP", "Văn phòng Sở"), ("CSDT", "Phòng Chính sách dân tộc"),
          ("TNTG", "Phòng Quản lý tín ngưỡng, tôn giáo")],
         []),
        ("SNGV", "Sở Ngoại vụ", nil, "Giám đốc",
         [("VP", "Văn phòng Sở"), ("HTQT", "Phòng Hợp tác quốc tế")],
         []),
        ("TTT", "Thanh tra tỉnh", nil, "Chánh Thanh tra",
         [("VP", "Văn phòng"), ("NV1", "Phòng Nghiệp vụ 1"), ("NV2", "Phòng Nghiệp vụ 2"),
          ("PCTN", "Phòng Phòng, chống tham nhũng, tiêu cực")],
         []),
        ("BQLKCN", "Ban Quản lý các khu công nghiệp tỉnh", "Ban QL các KCN", "Trưởng ban",
         [("VP", "Văn phòng Ban"), ("QLDT", "Phòng Quản lý đầu tư"),
          ("QLDN", "Phòng Quản lý doanh nghiệp và lao động")],
         []),
    ]

    // Post-July-2025 names of the vertically managed agencies (no more "Cục Thuế", "Công an" keeps its name).
    private static let centralAgencies: [(code: String, name: String, shortName: String?, head: String)] = [
        ("CAT", "Công an tỉnh Minh Sơn", "Công an tỉnh", "Giám đốc"),
        ("THUE", "Thuế tỉnh Minh Sơn", "Thuế tỉnh", "Trưởng Thuế tỉnh"),
        ("BHXH", "Bảo hiểm xã hội tỉnh Minh Sơn", "BHXH tỉnh", "Giám đốc"),
    ]

    // Listed in cluster order: 12 per "Cụm thi đua", urban wards first, the island zone with the coast.
    private static let communeLevel: [(code: String, name: String)] = [
        ("PMS", "Phường Minh Sơn"), ("PDH", "Phường Đông Hải"), ("PBT", "Phường Bắc Thành"),
        ("PNG", "Phường Nam Giang"), ("PTA", "Phường Tân An"), ("PHP", "Phường Hưng Phú"),
        ("PCL", "Phường Cẩm Long"), ("PVL", "Phường Vĩnh Lạc"), ("PAH", "Phường An Hòa"),
        ("PTH", "Phường Thạch Hải"), ("PKS", "Phường Kim Sơn"), ("PHY", "Phường Hải Yến"),

        ("PNL", "Phường Ngọc Lâm"), ("PTX", "Phường Trường Xuân"), ("PDT", "Phường Đồng Tiến"),
        ("DKBS", "Đặc khu Bạch Sa"), ("XHN", "Xã Hải Ninh"), ("XBN", "Xã Bảo Ninh"),
        ("XXT", "Xã Xuân Trạch"), ("XQP", "Xã Quảng Phú"), ("XHM", "Xã Hòa Mỹ"),
        ("XTV", "Xã Triệu Vân"), ("XCM", "Xã Châu Minh"), ("XDP", "Xã Diên Phú"),

        ("XTP", "Xã Tân Phong"), ("XYH", "Xã Yên Hòa"), ("XTL", "Xã Thanh Lâm"),
        ("XPT", "Xã Phúc Thịnh"), ("XDS", "Xã Đông Sơn"), ("XCL", "Xã Cát Lâm"),
        ("XBM", "Xã Bình Minh"), ("XTB", "Xã Thạch Bình"), ("XVH", "Xã Vĩnh Hưng"),
        ("XLD", "Xã Lộc Điền"), ("XTN", "Xã Trung Nghĩa"), ("XPL", "Xã Phú Lợi"),

        ("XKD", "Xã Kim Đôi"), ("XHS", "Xã Hương Sơn"), ("XLT", "Xã Long Thủy"),
        ("XNT", "Xã Nghĩa Trung"), ("XAL", "Xã An Lạc"), ("XMH", "Xã Mỹ Hòa"),
        ("XDT", "Xã Đức Thắng"), ("XST", "Xã Sơn Thủy"), ("XTH", "Xã Tam Hiệp"),
        ("XHT", "Xã Hồng Thái"), ("XDQ", "Xã Định Quang"), ("XCT", "Xã Cẩm Thạch"),

        ("XHD", "Xã Hòa Định"), ("XLA", "Xã Lạc An"), ("XNS", "Xã Ngọc Sơn"),
        ("XNM", "Xã Nậm Mây"), ("XKL", "Xã Khe Lau"), ("XGP", "Xã Gia Phú"),
        ("XHA", "Xã Hiệp An"), ("XDD", "Xã Đại Đồng"), ("XTK", "Xã Tiên Kỳ"),
        ("XQL", "Xã Quế Lâm"), ("XHL", "Xã Hà Linh"), ("XKV", "Xã Kỳ Vân"),
    ]

    // Resolution 202/2025/QH15 and the commune mergers took effect on 1 July 2025; the old units keep their
    // own codes so scores and awards earned before the merger can be traced to the new unit.
    private static let mergers: [(code: String, predecessors: [(code: String, name: String)])] = [
        ("XTP", [("XTL-C", "Xã Tân Lập"), ("XPT-C", "Xã Phong Thủy"), ("XPM-C", "Xã Phong Mỹ")]),
        ("PDH", [("TTDH-C", "Thị trấn Đông Hải"), ("XHD-C", "Xã Hải Đông")]),
        ("XYH", [("XYP-C", "Xã Yên Phú"), ("XHT-C", "Xã Hòa Tân")]),
        ("XBM", [("XBT-C", "Xã Bình Thành"), ("XML-C", "Xã Minh Lập"), ("XMH-C", "Xã Minh Hòa")]),
        ("DKBS", [("TTBS-C", "Thị trấn Bạch Sa"), ("XCC-C", "Xã Cồn Cát"), ("XHM-C", "Xã Hòn Mây")]),
        ("XVH", [("XVT-C", "Xã Vĩnh Tiến"), ("XHL-C", "Xã Hưng Lộc")]),
        ("PTX", [("XTS-C", "Xã Trường Sơn"), ("XXD-C", "Xã Xuân Đài")]),
        ("XNM", [("XNC-C", "Xã Nậm Cang"), ("XCM-C", "Xã Chiềng Mây")]),
    ]

    private static let root = "UBND"
    // Departments were re-established under Decree 45/2025 from 1 March 2025; earlier history is out of scope.
    private static let departmentsFrom = "2025-03-01"
    private static let reorganisedOn = "2025-07-01"

    private static func communeKind(_ name: String) -> String {
        if name.hasPrefix("Phường ") { return "ward" }
        if name.hasPrefix("Đặc khu ") { return "special_zone" }
        return "commune"
    }

    private static func makeUnits() -> [DemoUnit] {
        func unit(_ code: String, _ name: String, _ shortName: String? = nil, kind: String,
                  parent: String?, from: String, to: String? = nil, predecessors: [String] = []) -> DemoUnit {
            DemoUnit(code: code, name: name, shortName: shortName, kind: kind, parentCode: parent,
                     validFrom: from, validTo: to, predecessorCodes: predecessors)
        }
        var units = [unit(root, "Ủy ban nhân dân tỉnh Minh Sơn", "UBND tỉnh Minh Sơn",
                          kind: "province", parent: nil, from: "2015-01-01")]
        for d in departments {
            units.append(unit(d.code, d.name, d.shortName, kind: "department", parent: root, from: departmentsFrom))
            for o in d.offices {
                units.append(unit(d.code + "-" + o.suffix, o.name, kind: "office", parent: d.code, from: departmentsFrom))
            }
            for s in d.services {
                units.append(unit(d.code + "-" + s.suffix, s.name, kind: "public_service_unit",
                                  parent: d.code, from: departmentsFrom))
            }
        }
        for c in centralAgencies {
            units.append(unit(c.code, c.name, c.shortName, kind: "central_agency", parent: root, from: reorganisedOn))
        }
        for c in communeLevel {
            let predecessors = mergers.first { $0.code == c.code }?.predecessors.map { $0.code } ?? []
            units.append(unit(c.code, c.name, kind: communeKind(c.name), parent: root, from: reorganisedOn,
                              predecessors: predecessors))
        }
        // Districts are not modelled, so old communes hang directly under the province.
        for m in mergers {
            for p in m.predecessors {
                units.append(unit(p.code, p.name, kind: "commune", parent: root, from: "2015-01-01", to: "2025-06-30"))
            }
        }
        return units
    }

    private static func makeBlocks() -> [DemoBlock] {
        var blocks = [
            DemoBlock(code: "KSBN", name: "Khối các sở, ban, ngành", year: 2026,
                      memberCodes: departments.map { $0.code }),
            DemoBlock(code: "KNGD", name: "Khối cơ quan ngành dọc", year: 2026,
                      memberCodes: centralAgencies.map { $0.code }),
        ]
        for cluster in 0..<5 {
            let members = communeLevel[(cluster * 12)..<((cluster + 1) * 12)].map { $0.code }
            blocks.append(DemoBlock(code: "CUM\(cluster + 1)", name: "Cụm thi đua xã, phường số \(cluster + 1)",
                                    year: 2026, memberCodes: members))
        }
        return blocks
    }

    // MARK: - People

    private enum Role { case leader, deputy, manager, officer }

    private struct Slot {
        let unitCode: String
        let position: String
        let role: Role
    }

    private struct Draft {
        let code: String
        let fullName: String
        let female: Bool
        let birthYear: Int
        let slot: Slot
        var ratings: [Int: String]
        var discipline: [DemoPeriod] = []
        var cases: [DemoCase] = []
        var leaves: [DemoPeriod] = []
    }

    private static let peopleCount = 300

    /// Every department, agency and commune gets a head and a deputy, every office its head and every
    /// commune one officer; the remaining seats go to officers spread over the offices and service units.
    private static func makeSlots(rng: inout SplitMix64) -> [Slot] {
        var slots: [Slot] = []
        var seats: [(unit: String, title: String)] = []
        for d in departments {
            slots.append(Slot(unitCode: d.code, position: d.head, role: .leader))
            slots.append(Slot(unitCode: d.code, position: "Phó " + d.head, role: .deputy))
            for o in d.offices {
                let code = d.code + "-" + o.suffix
                let head = o.name.hasPrefix("Văn phòng") ? "Chánh Văn phòng"
                    : o.name.hasPrefix("Chi cục") ? "Chi cục trưởng" : "Trưởng phòng"
                slots.append(Slot(unitCode: code, position: head, role: .manager))
                seats.append((unit: code, title: "Chuyên viên"))
            }
            for s in d.services {
                let code = d.code + "-" + s.suffix
                slots.append(Slot(unitCode: code, position: s.name.hasPrefix("Trường") ? "Hiệu trưởng" : "Giám đốc",
                                  role: .manager))
                seats.append((unit: code, title: "Viên chức"))
            }
        }
        for c in centralAgencies {
            slots.append(Slot(unitCode: c.code, position: c.head, role: .leader))
            slots.append(Slot(unitCode: c.code, position: "Phó " + c.head, role: .deputy))
            slots.append(Slot(unitCode: c.code, position: "Chuyên viên", role: .officer))
        }
        for c in communeLevel {
            let level = ["ward": "phường", "special_zone": "đặc khu"][communeKind(c.name)] ?? "xã"
            slots.append(Slot(unitCode: c.code, position: "Chủ tịch UBND " + level, role: .leader))
            slots.append(Slot(unitCode: c.code, position: "Phó Chủ tịch UBND " + level, role: .deputy))
            slots.append(Slot(unitCode: c.code, position: "Chuyên viên", role: .officer))
        }
        while slots.count < peopleCount {
            let seat = rng.pick(seats)
            slots.append(Slot(unitCode: seat.unit, position: seat.title, role: .officer))
        }
        // Keep each unit's staff together in the roster, leader first, so person codes read like a directory.
        let unitOrder = Dictionary(uniqueKeysWithValues: makeUnits().enumerated().map { ($0.element.code, $0.offset) })
        func rank(_ role: Role) -> Int {
            switch role {
            case .leader: 0
            case .deputy: 1
            case .manager: 2
            case .officer: 3
            }
        }
        return slots.enumerated().sorted { a, b in
            let ka = (unitOrder[a.element.unitCode] ?? 0, rank(a.element.role), a.offset)
            let kb = (unitOrder[b.element.unitCode] ?? 0, rank(b.element.role), b.offset)
            return ka < kb
        }.map { $0.element }
    }

    // Leadership is still mostly male; junior staff are mostly female, which lands the total near one half.
    private static func femalePerMille(_ role: Role) -> Int {
        switch role {
        case .leader: 250
        case .deputy: 400
        case .manager: 550
        case .officer: 700
        }
    }

    private static func birthYears(_ role: Role) -> ClosedRange<Int> {
        switch role {
        case .leader: 1966...1980
        case .deputy: 1968...1985
        case .manager: 1970...1988
        case .officer: 1980...2000
        }
    }

    // A fifth of the staff are strong performers rated HTXSNV most years; the others rarely are. This keeps
    // the overall share near 17 % while still producing the consecutive-year streaks that awards require.
    private static let usualRatings: [(String, Int)] = [
        ("outstanding", 80), ("good", 840), ("satisfactory", 68), ("unsatisfactory", 12),
    ]
    private static let strongRatings: [(String, Int)] = [("outstanding", 550), ("good", 450)]

    private static func makePeople(rng: inout SplitMix64) -> [DemoPerson] {
        var taken = Set<String>()
        var drafts: [Draft] = []
        for (index, slot) in makeSlots(rng: &rng).enumerated() {
            let female = rng.chance(perMille: femalePerMille(slot.role))
            let birthYear = rng.int(in: birthYears(slot.role))
            let name = uniqueName(female: female, taken: &taken, rng: &rng)
            let table = rng.chance(perMille: 200) ? strongRatings : usualRatings
            var ratings: [Int: String] = [:]
            for year in 2023...2025 { ratings[year] = rng.weighted(table) }
            drafts.append(Draft(code: String(format: "CB%04d", index + 1), fullName: name, female: female,
                                birthYear: birthYear, slot: slot, ratings: ratings))
        }
        addEvents(to: &drafts, rng: &rng)
        return drafts.map { d in
            DemoPerson(code: d.code, fullName: d.fullName, sex: d.female ? "female" : "male",
                       birthYear: d.birthYear, position: d.slot.position, unitCode: d.slot.unitCode,
                       ratings: d.ratings, discipline: d.discipline, pendingCases: d.cases, leaves: d.leaves)
        }
    }

    // MARK: - Events that block or qualify awards

    // Terms of 6, 12 and 18 months (unconfirmed). Demotion was dropped for civil servants by Decree
    // 172/2025 from 1 July 2025, so the demotion is dated before that. One reprimand ends mid-2025 and one
    // is still running at the 2025 review, so the award rules meet both sides of the boundary.
    private static let disciplineEvents: [(kind: String, start: String, end: String, reference: String)] = [
        ("reprimand", "2025-01-10", "2025-07-09", "Quyết định số 52/QĐ-UBND ngày 10/01/2025"),
        ("warning", "2024-03-20", "2025-03-19", "Quyết định số 318/QĐ-UBND ngày 20/03/2024"),
        ("demotion", "2024-11-05", "2026-05-04", "Quyết định số 1975/QĐ-UBND ngày 05/11/2024"),
        ("reprimand", "2025-10-01", "2026-03-31", "Quyết định số 2410/QĐ-UBND ngày 01/10/2025"),
        ("dismissal_from_post", "2023-06-12", "2024-12-11", "Quyết định số 886/QĐ-UBND ngày 12/06/2023"),
    ]

    // The closed inspection must no longer block an award; the two open cases must.
    private static let caseEvents: [(kind: String, opened: String, closed: String?, reference: String)] = [
        ("inspection", "2024-10-07", "2025-02-28", "Kết luận thanh tra số 08/KL-TTr ngày 28/02/2025"),
        ("complaint", "2025-11-03", nil, "Thông báo thụ lý tố cáo số 45/TB-UBND ngày 12/11/2025"),
        ("investigation", "2025-08-18", nil, "Quyết định khởi tố vụ án số 27/QĐ-CSĐT ngày 18/08/2025"),
    ]

    // Six-month maternity leaves; the law counts them as time worked, which the award rules must honour.
    private static let maternityLeaves: [(start: String, end: String)] = [
        ("2024-01-15", "2024-07-14"), ("2024-04-02", "2024-10-01"), ("2024-09-09", "2025-03-08"),
        ("2025-02-17", "2025-08-16"), ("2025-06-30", "2025-12-29"), ("2025-11-10", "2026-05-09"),
    ]

    private static let studyLeaves: [(start: String, end: String, reference: String)] = [
        ("2024-09-03", "2026-08-31", "Quyết định cử đi học thạc sĩ số 611/QĐ-SNV ngày 20/08/2024"),
        ("2025-03-03", "2025-11-28", "Quyết định cử đi học Cao cấp lý luận chính trị số 140/QĐ-SNV ngày 24/02/2025"),
    ]

    private static func addEvents(to drafts: inout [Draft], rng: inout SplitMix64) {
        // Central agencies keep their own staff records, so the demo's events stay with provincial staff.
        let central = Set(centralAgencies.map { $0.code })
        var used = Set<Int>()
        func choose(_ eligible: (Draft) -> Bool) -> Int? {
            let pool = drafts.indices.filter {
                !used.contains($0) && !central.contains(drafts[$0].slot.unitCode) && eligible(drafts[$0])
            }
            guard !pool.isEmpty else { return nil }
            let chosen = rng.pick(pool)
            used.insert(chosen)
            return chosen
        }
        for e in disciplineEvents {
            // Demotion and dismissal take away a post, so the person now sits one step lower.
            let role: Role = switch e.kind {
            case "demotion": .deputy
            case "dismissal_from_post": .officer
            default: .manager
            }
            guard let i = choose({ $0.slot.role == role }) else { continue }
            drafts[i].discipline.append(DemoPeriod(kind: e.kind, start: e.start, end: e.end, reference: e.reference))
            // A year with a sanction cannot be rated HTTNV or better (unconfirmed rule of thumb).
            let year = Int(e.start.prefix(4)) ?? 2025
            drafts[i].ratings[year] = e.kind == "reprimand" ? "satisfactory" : "unsatisfactory"
        }
        for (e, role) in zip(caseEvents, [Role.leader, .deputy, .officer]) {
            guard let i = choose({ $0.slot.role == role }) else { continue }
            drafts[i].cases.append(DemoCase(kind: e.kind, opened: e.opened, closed: e.closed, reference: e.reference))
        }
        for leave in maternityLeaves {
            guard let i = choose({ $0.female && $0.birthYear >= 1986 && $0.slot.role != .leader }) else { continue }
            drafts[i].leaves.append(DemoPeriod(kind: "maternity", start: leave.start, end: leave.end, reference: nil))
        }
        for leave in studyLeaves {
            guard let i = choose({ $0.slot.role == .officer || $0.slot.role == .manager }) else { continue }
            drafts[i].leaves.append(DemoPeriod(kind: "study", start: leave.start, end: leave.end,
                                               reference: leave.reference))
        }
    }

    // MARK: - Names

    // Weights in tenths of a percent, after published surveys of Vietnamese family names.
    private static let familyNames: [(String, Int)] = [
        ("Nguyễn", 380), ("Trần", 110), ("Lê", 95), ("Phạm", 70), ("Hoàng", 30), ("Huỳnh", 20),
        ("Phan", 45), ("Vũ", 22), ("Võ", 18), ("Đặng", 20), ("Bùi", 20), ("Đỗ", 14), ("Hồ", 13),
        ("Ngô", 13), ("Dương", 10), ("Lý", 5), ("Đinh", 10), ("Đoàn", 8), ("Đào", 8), ("Trịnh", 8),
        ("Hà", 7), ("Mai", 6), ("Lương", 6), ("Cao", 5), ("Phùng", 5), ("Nông", 5), ("Lâm", 4),
        ("Tô", 4), ("Lại", 4), ("Tạ", 3), ("Chu", 3), ("Triệu", 3), ("Vương", 3), ("Hứa", 3),
        ("Giang", 3), ("Lò", 2), ("Kiều", 2), ("Quách", 2), ("Mạc", 2), ("Âu", 2), ("La", 1),
    ]

    private static let maleMiddleNames: [(String, Int)] = [
        ("Văn", 300), ("Đức", 90), ("Minh", 90), ("Quang", 70), ("Hữu", 60), ("Công", 60),
        ("Thanh", 50), ("Xuân", 50), ("Ngọc", 40), ("Duy", 40), ("Đình", 40), ("Trung", 30),
        ("Tiến", 30), ("Anh", 30), ("Mạnh", 20),
    ]

    private static let femaleMiddleNames: [(String, Int)] = [
        ("Thị", 450), ("Ngọc", 70), ("Thu", 60), ("Hồng", 60), ("Thanh", 60), ("Kim", 40),
        ("Minh", 40), ("Phương", 40), ("Thùy", 40), ("Bích", 30), ("Mai", 30), ("Diệu", 20),
        ("Khánh", 20), ("Hải", 20),
    ]

    // Names like "Nguyễn Thị Hồng Nhung" carry a second middle name after "Thị".
    private static let femaleSecondMiddleNames = [
        "Hồng", "Thu", "Thanh", "Ngọc", "Kim", "Minh", "Phương", "Thùy", "Bích", "Mai", "Lan", "Quỳnh",
        "Ánh", "Thúy", "Hải",
    ]

    private static let maleGivenNames = [
        "Anh", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hiếu", "Hòa", "Hùng", "Huy", "Khánh", "Khoa",
        "Kiên", "Long", "Lâm", "Mạnh", "Nam", "Nghĩa", "Phong", "Phúc", "Quân", "Sơn", "Tài", "Thắng",
        "Thành", "Thịnh", "Toàn", "Trung", "Tuấn", "Tùng", "Việt", "Vinh", "Hưng", "Đông", "Lộc", "Thái",
        "Trí", "Tâm", "Hậu", "Quý",
    ]

    private static let femaleGivenNames = [
        "Anh", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hiền", "Hoa", "Hương", "Huyền", "Lan",
        "Liên", "Linh", "Loan", "Mai", "My", "Nga", "Ngân", "Nhung", "Oanh", "Phương", "Quyên", "Thảo",
        "Trang", "Tuyết", "Uyên", "Vân", "Yến", "Thủy", "Thơ", "Duyên", "Nhàn", "Trâm", "Ly",
    ]

    private static func personName(female: Bool, rng: inout SplitMix64) -> String {
        var parts = [rng.weighted(familyNames), rng.weighted(female ? femaleMiddleNames : maleMiddleNames)]
        if female && parts[1] == "Thị" && rng.chance(perMille: 300) {
            parts.append(rng.pick(femaleSecondMiddleNames))
        }
        parts.append(rng.pick(female ? femaleGivenNames : maleGivenNames))
        return parts.joined(separator: " ")
    }

    // Real rosters do repeat names, but in a demo two identical names make people hard to tell apart;
    // a repeated word ("Lê Thanh Thanh") is also rejected as implausible.
    private static func uniqueName(female: Bool, taken: inout Set<String>, rng: inout SplitMix64) -> String {
        var name = personName(female: female, rng: &rng)
        for _ in 0..<50 {
            let words = name.split(separator: " ")
            if !taken.contains(name) && Set(words).count == words.count { break }
            name = personName(female: female, rng: &rng)
        }
        taken.insert(name)
        return name
    }
}

/// The demo's own range mappings on the shared generator.
extension SplitMix64 {
    mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + below(range.count)
    }

    mutating func chance(perMille p: Int) -> Bool {
        below(1000) < p
    }

    mutating func pick<T>(_ items: [T]) -> T {
        items[below(items.count)]
    }

    mutating func weighted<T>(_ items: [(T, Int)]) -> T {
        var r = below(items.reduce(0) { $0 + $1.1 })
        for (item, weight) in items {
            if r < weight { return item }
            r -= weight
        }
        return items[items.count - 1].0
    }
}
