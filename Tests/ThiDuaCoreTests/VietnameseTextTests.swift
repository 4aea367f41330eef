import Foundation
import PropertyBased
import Testing

@testable import ThiDuaCore

@Suite struct VietnameseTextTests {
    @Test(arguments: [
        ("Sở Nội vụ", "so noi vu"),
        ("ĐẶNG VĂN LÂM", "dang van lam"),
        ("  Xã   Tân\tPhong ", "xa tan phong"),
        ("Ủy ban nhân dân", "uy ban nhan dan"),
        ("e\u{0302}\u{0301}", "e"),
        ("Thành phố Hồ Chí Minh", "thanh pho ho chi minh"),
    ])
    func foldRemovesDiacriticsAndCase(input: String, folded: String) {
        #expect(VietnameseText.fold(input) == folded)
    }

    @Test func matchesIgnoresDiacritics() {
        #expect(VietnameseText.matches("Sở Nội vụ tỉnh Minh Sơn", query: "so noi vu"))
        #expect(VietnameseText.matches("Sở Nội vụ", query: "Nội"))
        #expect(!VietnameseText.matches("Sở Tài chính", query: "noi vu"))
    }

    /// The Vietnamese alphabet: a ă â b c d đ e ê … o ô ơ … u ư …; tones only break ties.
    @Test func sortsInVietnameseAlphabeticalOrder() {
        let expected = ["An", "Anh", "Ăn", "Ân", "Bình", "Cường", "Dung", "Đào", "Em", "Ên", "Hà", "Hạ", "Hải", "Hoa", "Hòa", "Ô", "Ơn", "Uyên", "Ưng", "Yến"]
        let shuffled = expected.reversed() + []
        #expect(shuffled.sorted(by: VietnameseText.precedes) == expected)
    }

    @Test func tonesOrderNgangHuyenHoiNgaSacNang() {
        let words = ["ma", "mà", "mả", "mã", "má", "mạ"]
        #expect(words.shuffled().sorted(by: VietnameseText.precedes) == words)
    }

    @Test func peopleSortByGivenName() {
        let names = ["Trần Văn Bình", "Nguyễn Thị An", "Lê Cường"]
        let sorted = names.sorted { VietnameseText.personSortKey($0) < VietnameseText.personSortKey($1) }
        #expect(sorted == ["Nguyễn Thị An", "Trần Văn Bình", "Lê Cường"])
    }

    @Test func sortKeysAreLowerCaseHexSoEveryDatabaseOrdersThemAlike() {
        let key = VietnameseText.sortKey("Đặng Văn Lâm")
        #expect(key.allSatisfy { "0123456789abcdef".contains($0) })
    }

    static let vietnameseLetters = Array("aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ AĂÂĐÊÔƠƯ")

    @Test func foldIsIdempotentAndAlwaysPlainASCII() async {
        await propertyCheck(input: Gen.int(in: 0...(Self.vietnameseLetters.count - 1)).map { Self.vietnameseLetters[$0] }.string(of: 0...30)) { s in
            let f = VietnameseText.fold(s)
            #expect(VietnameseText.fold(f) == f)
            #expect(f.allSatisfy { $0.isASCII })
        }
    }

    @Test func sortKeyOrderIsATotalOrderConsistentWithEquality() async {
        let gen = Gen.int(in: 0...(Self.vietnameseLetters.count - 1)).map { Self.vietnameseLetters[$0] }.string(of: 1...12)
        await propertyCheck(input: gen, gen) { a, b in
            let ka = VietnameseText.sortKey(a), kb = VietnameseText.sortKey(b)
            #expect((ka < kb) != (kb < ka) || ka == kb)
            if VietnameseText.normalize(a) == VietnameseText.normalize(b) { #expect(ka == kb) }
            // Letters decide before tones: two strings that differ only by tone marks sort next to each other,
            // so appending the same letter to both never reverses their order.
            if VietnameseText.fold(a) == VietnameseText.fold(b) && a.count == b.count {
                #expect((ka < kb) == (VietnameseText.sortKey(a + "z") < VietnameseText.sortKey(b + "z")))
            }
        }
    }

    @Test func normalizeComposesAndCollapsesSpace() {
        let s = VietnameseText.normalize("  Nguye\u{0302}\u{0303}n \n Thị ")
        #expect(s == "Nguyễn Thị")
        #expect(s.unicodeScalars.count == 10)
    }
}

@Suite struct FormatTests {
    @Test(arguments: [
        ("01/07/2025", "2025-07-01"), ("1/7/2025", "2025-07-01"), ("2025-07-01", "2025-07-01"), ("01.07.2025", "2025-07-01"),
        ("29/02/2024", "2024-02-29"), ("45658", "2025-01-01"),
    ])
    func datesAreParsedAsPeopleTypeThem(raw: String, iso: String) {
        #expect(CivilDate(parsing: raw)?.iso == iso)
    }

    @Test(arguments: ["29/02/2025", "31/04/2026", "00/01/2026", "2026", "a/b/c", "", "13/13/2026", "60", "2025-02-29", "2025-13-01", "2025-1a-01", "+025-01-01"])
    func impossibleDatesAreRefused(raw: String) {
        #expect(CivilDate(parsing: raw) == nil)
    }

    /// The fast paths for storage and display agree with the general ones for every day of three years.
    @Test func isoAndVietnameseFormsRoundTrip() {
        var d = CivilDate(year: 2023, month: 1, day: 1)!
        for _ in 0..<(365 * 3 + 1) {
            #expect(CivilDate(parsing: d.iso) == d)
            #expect(CivilDate(parsing: d.vietnamese) == d)
            #expect(d.iso.count == 10 && d.vietnamese.count == 10)
            d = d.adding(days: 1)
        }
        #expect(CivilDate(year: 1900, month: 3, day: 9)!.iso == "1900-03-09")
    }

    @Test func dateArithmeticAcrossMonthsAndLeapYears() {
        #expect(CivilDate(year: 2025, month: 7, day: 1)!.adding(days: -1).iso == "2025-06-30")
        #expect(CivilDate(year: 2024, month: 2, day: 28)!.adding(days: 1).iso == "2024-02-29")
        #expect(CivilDate(year: 2024, month: 12, day: 31)!.adding(days: 1).vietnamese == "01/01/2025")
    }

    @Test func todayIsVietnamTime() {
        // 2026-11-21 18:30 UTC is already 22/11 in Vietnam.
        let date = Date(timeIntervalSince1970: 1_795_285_800)
        #expect(CivilDate.today(now: date).iso == "2026-11-22")
        #expect(VietnameseFormat.dateTime(date) == "22/11/2026 01:30")
    }

    @Test(arguments: [
        ("1234.5", 2, false, "1.234,50"), ("96.175", 2, false, "96,18"), ("-0.004", 2, false, "0,00"),
        ("1234567", 0, false, "1.234.567"), ("1234.5", 2, true, "1,234.50"), ("97.685", 3, false, "97,685"),
    ])
    func numbersUseVietnameseSeparators(value: String, places: Int, english: Bool, expected: String) {
        #expect(VietnameseFormat.number(Decimal(string: value)!, places: places, english: english) == expected)
    }

    @Test(arguments: [("8,5", "8.5"), ("8.5", "8.5"), ("1.234,5", "1234.5"), ("1,234.5", "1234.5"), ("1.234", "1234"), ("-2,25", "-2.25")])
    func decimalsAreReadAsTyped(raw: String, expected: String) {
        #expect(VietnameseFormat.parseDecimal(raw) == Decimal(string: expected))
    }

    @Test(arguments: ["", "abc", "1,2,3.4.5", "8,", "--1", "=1+1"])
    func nonNumbersAreRefused(raw: String) {
        #expect(VietnameseFormat.parseDecimal(raw) == nil)
    }
}
