import Foundation
import PropertyBased
import Testing

@testable import ThiDuaCore

@Suite struct AccessPolicyTests {
    let root = UUID(), dept = UUID(), office = UUID(), otherDept = UUID()
    var officePath: [UUID] { [office, dept, root] }

    /// The role × action table as the province expects it (deny by default).
    @Test(arguments: [
        (Role.systemAdmin, Action.manageUsers, true), (.reformOffice, .manageUsers, false), (.reformOffice, .editUnits, true),
        (.reformOffice, .importData, true), (.unitHead, .editUnits, false), (.unitHead, .editPeople, true),
        (.unitHead, .viewPersonSensitive, true), (.unitOfficer, .viewPersonSensitive, false), (.unitOfficer, .editPeople, true),
        (.appraiser, .editPeople, false), (.appraiser, .viewUnits, true), (.councilMember, .viewPersonSensitive, true),
        (.councilMember, .exportData, false), (.leader, .editUnits, false), (.leader, .viewAudit, true), (.leader, .exportData, true),
    ])
    func roleTable(role: Role, action: Action, allowed: Bool) {
        #expect(AccessPolicy.permits(role, action) == allowed)
    }

    @Test func grantsReachTheSubtreeOnly() {
        let grants = [Grant(role: .systemAdmin, unitID: dept), Grant(role: .unitOfficer, unitID: otherDept)]
        #expect(AccessPolicy.allows(grants, .editUnits, unitPath: officePath))
        #expect(!AccessPolicy.allows(grants, .editUnits, unitPath: [otherDept, root]))
        #expect(AccessPolicy.allows(grants, .editPeople, unitPath: [otherDept, root]))
        #expect(!AccessPolicy.allows(grants, .editUnits, unitPath: [root]))
        #expect(!AccessPolicy.allowsProvinceWide(grants, .editBlocks, rootID: root))
        #expect(AccessPolicy.scopeRoots(grants, .viewUnits) == [dept, otherDept])
    }

    @Test func noGrantsNoRights() {
        for action in Action.allCases {
            #expect(!AccessPolicy.allowsAnywhere([], action))
        }
    }
}

@Suite struct AuditChainTests {
    static func chain(_ n: Int) -> [AuditLink] {
        var prev = AuditChain.genesis
        return (1...n).map { i in
            let l = AuditChain.seal(
                AuditLink(seq: Int64(i), atMillis: 1_700_000_000_000 + Int64(i), actorID: nil, actorName: "a\(i)", action: "update",
                          entityType: "unit", entityID: "u\(i)", before: "{\"n\":\(i)}", after: "{\"n\":\(i + 1)}", reason: i % 2 == 0 ? nil : "r",
                          prevHash: ""), after: prev)
            prev = l.hash
            return l
        }
    }

    static func verify(_ links: [AuditLink], head: (Int64, String)) -> AuditChain.Failure? {
        var v = AuditChain.Verifier()
        do {
            for l in links { try v.feed(l) }
            try v.finish(headSeq: head.0, headHash: head.1)
            return nil
        } catch { return error }
    }

    @Test func anIntactChainVerifies() {
        let links = Self.chain(50)
        #expect(Self.verify(links, head: (50, links.last!.hash)) == nil)
    }

    /// Whatever single field of whichever link is changed, verification fails.
    @Test func anySingleEditIsDetected() async {
        let links = Self.chain(20)
        let head = (Int64(20), links.last!.hash)
        await propertyCheck(input: Gen.int(in: 0...19), Gen.int(in: 0...8)) { index, field in
            var tampered = links
            var l = tampered[index]
            switch field {
            case 0: l.atMillis += 1
            case 1: l.actorName += "x"
            case 2: l.action = "delete"
            case 3: l.entityID += "1"
            case 4: l.before = nil
            case 5: l.after = (l.after ?? "") + " "
            case 6: l.reason = l.reason == nil ? "" : nil
            case 7: l.entityType = "person"
            default: l.actorID = "someone"
            }
            tampered[index] = l
            #expect(Self.verify(tampered, head: head) != nil)
        }
    }

    @Test func deletionsAndTruncationAreDetected() {
        let links = Self.chain(10)
        var missing = links
        missing.remove(at: 4)
        #expect(Self.verify(missing, head: (10, links.last!.hash)) == .gap(expectedSeq: 5, found: 6))
        #expect(Self.verify(Array(links.prefix(9)), head: (10, links.last!.hash)) == .headMismatch(headSeq: 10, lastSeq: 9))
        // Re-sealing a forged link does not help: the next link no longer points at it.
        var forged = links
        forged[3].after = "{\"n\":999}"
        forged[3] = AuditChain.seal(forged[3], after: forged[3].prevHash)
        #expect(Self.verify(forged, head: (10, links.last!.hash)) == .brokenLink(seq: 5))
    }

    @Test func nilAndEmptyAreDifferentInputs() {
        var a = Self.chain(1)[0]
        a.reason = nil
        var b = a
        b.reason = ""
        #expect(AuditChain.hash(a) != AuditChain.hash(b))
    }
}

@Suite struct ImportPlanTests {
    static let existing = [
        "UBND": ExistingUnitRef(code: "UBND", name: "UBND tỉnh", parentCode: nil),
        "SNV": ExistingUnitRef(code: "SNV", name: "Sở Nội vụ", parentCode: "UBND"),
    ]

    @Test func rowsAreCheckedOneByOne() {
        let rows = [
            ["Mã đơn vị", "Tên đơn vị", "Loại", "Mã đơn vị cấp trên", "Cột lạ"],
            ["P1", "Phòng Một", "phòng", "SNV", ""],
            ["", "Không mã", "phòng", "SNV", ""],
            ["P3", "@SUM(A1)", "phòng", "SNV", ""],
            ["P4", "Phòng Bốn", "không rõ", "SNV", ""],
            ["P1", "Trùng", "phòng", "SNV", ""],
            ["", "", "", "", ""],
            ["P6", "Phòng Sáu", "xã", "KHONGCO", ""],
        ]
        let plan = UnitImport.plan(rows: rows, existing: Self.existing) { _ in true }
        #expect(plan.drafts.map(\.code) == ["P1"])
        #expect(plan.unknownColumns == ["Cột lạ"])
        let byRow = Dictionary(grouping: plan.issues, by: \.row).mapValues { $0.map(\.problemKey) }
        #expect(byRow[3] == ["problem.required"])
        #expect(byRow[4] == ["problem.formulaLike"])
        #expect(byRow[5] == ["problem.invalidValue"])
        #expect(byRow[6] == ["problem.duplicate"])
        #expect(byRow[7] == nil)
        #expect(byRow[8] == ["problem.notFound"])
        #expect(!plan.isCommittable)
    }

    @Test func parentsInTheSameFileAreOrderedFirstAndCyclesRefused() {
        let rows = [["ma", "ten", "loai", "ma cap tren"], ["C", "Con", "phong", "B"], ["B", "Cha", "so", "UBND"], ["X", "X", "phong", "Y"], ["Y", "Y", "phong", "X"]]
        let plan = UnitImport.plan(rows: rows, existing: Self.existing) { _ in true }
        #expect(plan.drafts.map(\.code) == ["B", "C"])
        #expect(Set(plan.issues.map(\.row)) == [4, 5])
    }

    @Test func missingColumnsStopTheImport() {
        let plan = UnitImport.plan(rows: [["Tên"], ["A"]], existing: [:]) { _ in true }
        #expect(Set(plan.missingColumns) == ["code", "kind"])
        #expect(!plan.isCommittable)
    }

    @Test func peopleMatchUnitsByCodeOrByNameWithoutDiacritics() {
        let resolver = UnitResolver(units: [("SNV", "Sở Nội vụ"), ("XA1", "Xã Tân Phong"), ("XA2", "Xã Tân Phong")])
        #expect(resolver.resolve("snv") == .success("SNV"))
        #expect(resolver.resolve("so noi vu") == .success("SNV"))
        #expect(resolver.resolve("Xã Tân Phong") == .failure(.ambiguous("Xã Tân Phong")))
        #expect(resolver.resolve("Sở Y tế") == .failure(.notFound("Sở Y tế")))
        let rows = [["Mã cán bộ", "Họ và tên", "Giới tính", "Đơn vị", "Năm sinh"],
                    ["CB1", "Nguyễn Văn A", "Nam", "so noi vu", "1980"],
                    ["CB2", "Trần Thị B", "nữ", "SNV", "1890"],
                    ["CB3", "Lê C", "khác", "SNV", ""]]
        let plan = PersonImport.plan(rows: rows, units: resolver, existingCodes: ["CB1"], thisYear: 2026) { _ in true }
        #expect(plan.drafts.map(\.code) == ["CB1"])
        #expect(plan.drafts.first?.updatesExisting == true)
        #expect(plan.issues.map(\.row) == [3, 4])
    }

    @Test func rightsAreCheckedPerRow() {
        let rows = [["ma", "ten", "loai", "ma cap tren"], ["P1", "Phòng", "phong", "SNV"], ["P2", "Phòng", "phong", "UBND"]]
        let plan = UnitImport.plan(rows: rows, existing: Self.existing) { $0 == "SNV" }
        #expect(plan.issues.map(\.problemKey) == ["problem.forbidden"])
        #expect(plan.issues.first?.row == 3)
    }
}
