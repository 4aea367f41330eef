import Foundation
import Testing
@testable import ThiDuaCore

@Suite struct DemoProvinceTests {
    let data = DemoProvince.generate()

    private var current: [DemoUnit] { data.units.filter { $0.validTo == nil } }
    private static let communeKinds: Set<String> = ["commune", "ward", "special_zone"]

    @Test func sameSeedGivesSameProvince() {
        #expect(DemoProvince.generate(seed: 42) == DemoProvince.generate(seed: 42))
        #expect(DemoProvince.generate() == DemoProvince.generate(seed: 2026))
        #expect(DemoProvince.generate(seed: 1).people != DemoProvince.generate(seed: 2).people)
    }

    @Test func isMarkedAsFictional() {
        #expect(data.provinceName.contains("mô phỏng"))
        let roots = data.units.filter { $0.parentCode == nil }
        #expect(roots.map(\.code) == ["UBND"])
        #expect(roots.first?.kind == "province")
    }

    @Test func counts() {
        #expect(current.filter { $0.kind == "department" }.count >= 15)
        #expect(current.filter { $0.kind == "central_agency" }.count == 3)
        let communeLevel = current.filter { Self.communeKinds.contains($0.kind) }
        #expect(communeLevel.count == 60)
        #expect(communeLevel.filter { $0.kind == "special_zone" }.count == 1)
        #expect(communeLevel.allSatisfy { $0.validFrom == "2025-07-01" })
        #expect(data.people.count == 300)
    }

    @Test func everyDepartmentHasTwoToFourOffices() {
        for department in current where department.kind == "department" {
            let offices = data.units.filter { $0.parentCode == department.code && $0.kind == "office" }
            #expect((2...4).contains(offices.count), "\(department.code)")
        }
    }

    @Test func codesAreUniqueAndAscii() {
        let unitCodes = data.units.map(\.code)
        #expect(Set(unitCodes).count == unitCodes.count)
        let personCodes = data.people.map(\.code)
        #expect(Set(personCodes).count == personCodes.count)
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-")
        for code in unitCodes + personCodes {
            #expect(!code.isEmpty && code.allSatisfy { allowed.contains($0) }, "\(code)")
        }
    }

    @Test func referencesResolve() {
        let codes = Set(data.units.map(\.code))
        for unit in data.units {
            if let parent = unit.parentCode { #expect(codes.contains(parent), "\(unit.code) → \(parent)") }
            for predecessor in unit.predecessorCodes { #expect(codes.contains(predecessor), "\(predecessor)") }
        }
        for person in data.people { #expect(codes.contains(person.unitCode), "\(person.code)") }
        for block in data.blocks {
            for member in block.memberCodes { #expect(codes.contains(member), "\(block.code) → \(member)") }
        }
    }

    @Test func mergersLinkOldCommunesToNewOnes() {
        let byCode = Dictionary(uniqueKeysWithValues: data.units.map { ($0.code, $0) })
        let merged = current.filter { !$0.predecessorCodes.isEmpty }
        #expect((6...10).contains(merged.count))
        for unit in merged {
            #expect((2...3).contains(unit.predecessorCodes.count))
            for code in unit.predecessorCodes {
                let old = byCode[code]
                #expect(old?.kind == "commune")
                #expect(old?.validFrom == "2015-01-01")
                #expect(old?.validTo == "2025-06-30")
            }
        }
    }

    @Test func clustersCoverEveryCommuneLevelUnitOnce() {
        let clusters = data.blocks.filter { $0.code.hasPrefix("CUM") }
        #expect(clusters.count == 5)
        #expect(clusters.allSatisfy { $0.memberCodes.count == 12 && $0.year == 2026 })
        let members = clusters.flatMap(\.memberCodes)
        let communeLevel = current.filter { Self.communeKinds.contains($0.kind) }.map(\.code)
        #expect(members.sorted() == communeLevel.sorted())
        let departments = data.blocks.first { $0.name == "Khối các sở, ban, ngành" }
        #expect(departments?.memberCodes.count == current.filter { $0.kind == "department" }.count)
        #expect(data.blocks.first { $0.name == "Khối cơ quan ngành dọc" }?.memberCodes.count == 3)
    }

    @Test func everyDepartmentAndCommuneHasAHead() {
        for unit in current where unit.kind == "department" || Self.communeKinds.contains(unit.kind) {
            let staff = data.people.filter { $0.unitCode == unit.code }
            let heads = staff.filter { !$0.position.hasPrefix("Phó") }
            #expect(heads.count >= 1, "\(unit.code)")
            #expect(staff.contains { $0.position.hasPrefix("Phó") }, "\(unit.code)")
            if unit.kind != "department" {
                #expect(heads.contains { $0.position.hasPrefix("Chủ tịch UBND") }, "\(unit.code)")
            }
        }
    }

    @Test func peopleLookRealistic() {
        let women = data.people.filter { $0.sex == "female" }.count
        #expect((114...186).contains(women))
        #expect(data.people.allSatisfy { (1966...2000).contains($0.birthYear) })
        #expect(data.people.allSatisfy { Set($0.ratings.keys) == [2023, 2024, 2025] })
        let ratings = data.people.flatMap { $0.ratings.values }
        func share(_ value: String) -> Double {
            Double(ratings.filter { $0 == value }.count) / Double(ratings.count)
        }
        #expect(share("good") > 0.6)
        #expect((0.10...0.25).contains(share("outstanding")))
        #expect(share("unsatisfactory") < 0.03)
        let nguyen = Double(data.people.filter { $0.fullName.hasPrefix("Nguyễn ") }.count) / 300
        #expect((0.28...0.48).contains(nguyen))
    }

    @Test func eventsForTheAwardRules() {
        let disciplined = data.people.filter { !$0.discipline.isEmpty }
        #expect((4...6).contains(disciplined.count))
        let periods = disciplined.flatMap(\.discipline)
        #expect(periods.contains { ($0.end ?? "").hasPrefix("2025-07") || ($0.end ?? "").hasPrefix("2025-06") })
        let cases = data.people.flatMap(\.pendingCases)
        #expect(cases.count == 3)
        #expect(cases.filter { $0.closed != nil }.count == 1)
        let maternity = data.people.filter { $0.leaves.contains { $0.kind == "maternity" } }
        #expect(maternity.count >= 5)
        #expect(maternity.allSatisfy { $0.sex == "female" })
        let allPeriods = data.people.flatMap { $0.discipline + $0.leaves }
        for period in allPeriods { #expect(period.end.map { $0 >= period.start } ?? true) }
    }

    @Test func textIsNFC() {
        func isNFC(_ text: String) -> Bool {
            text.unicodeScalars.elementsEqual(text.precomposedStringWithCanonicalMapping.unicodeScalars)
        }
        #expect(isNFC(data.provinceName))
        for unit in data.units {
            #expect(isNFC(unit.name), "\(unit.code)")
            if let short = unit.shortName { #expect(isNFC(short), "\(unit.code)") }
        }
        for block in data.blocks { #expect(isNFC(block.name)) }
        for person in data.people {
            #expect(isNFC(person.fullName) && isNFC(person.position), "\(person.code)")
        }
    }
}
