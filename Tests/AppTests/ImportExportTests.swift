import Fluent
import Foundation
import Testing
import ThiDuaCore
import Vapor
import VaporTesting

@testable import App

@Suite struct ImportExportTests {
    static func batchID(_ res: TestingHTTPResponse) throws -> String {
        let loc = try #require(res.location)
        return String(loc.split(separator: "/").last ?? "")
    }

    @Test func aFileWithBadRowsIsPreviewedRowByRowAndNothingIsWritten() async throws {
        try await withApp { app in
            // setup
            let f = try await Fixture.make(on: app.db)
            let id = try await app.makeUser("cchc", grants: [(.reformOffice, f.root)])
            let b = try await Browser.signIn(id, on: app.db)
            let csv = """
                Mã đơn vị,Tên đơn vị,Loại,Mã đơn vị cấp trên
                P-OK,Phòng Tốt,phòng,SNV
                P-F,"=HYPERLINK(""http://x"")",phòng,SNV
                P-H,<script>alert(1)</script>,xã,KHONGCO
                P-OK,Trùng mã,phòng,SNV
                P-D,Phòng Ngày,phòng,SNV
                """
            // act
            let up = try await app.upload("/import/preview", as: b, fields: ["kind": "units"], fileName: "don-vi.csv", data: Data(csv.utf8))
            #expect(up.status == .seeOther)
            let preview = try await app.get("/import/\(try Self.batchID(up))", as: b)
            // check
            let html = preview.text
            #expect(html.contains("Dòng 3"))
            #expect(html.contains("Dòng 4"))
            #expect(html.contains("Dòng 5"))
            #expect(html.contains("Trùng mã với dòng 2"))
            #expect(html.contains("công thức"))
            #expect(!html.contains("<script>alert"))
            #expect(!html.contains("name=\"commit\""))
            let commit = try await app.post("/import/\(try Self.batchID(up))/commit", as: b)
            #expect(commit.status == .unprocessableEntity)
            #expect(try await Unit.query(on: app.db).filter(\.$code ~~ ["P-OK", "P-D"]).count() == 0)
        }
    }

    @Test func aCleanFileIsCommittedInOneGoAndAudited() async throws {
        try await withApp { app in
            let f = try await Fixture.make(on: app.db)
            let id = try await app.makeUser("cchc", grants: [(.reformOffice, f.root)])
            let b = try await Browser.signIn(id, on: app.db)
            // Parent after child in the file, Vietnamese kind labels, decomposed Unicode, ';' as Excel-VN writes.
            let csv = "Mã đơn vị;Tên đơn vị;Loại;Mã đơn vị cấp trên;Hiệu lực từ\r\nP-CON;To\u{0302}\u{0309} mo\u{0302}\u{0323}t cửa;phòng;P-CHA;01/07/2025\r\nP-CHA;Trung tâm Phục vụ hành chính công;đơn vị sự nghiệp;UBND;01/07/2025\r\nSTC;Sở Tài chính tỉnh;sở;UBND;\r\n"
            let up = try await app.upload("/import/preview", as: b, fields: ["kind": "units"], fileName: "u.csv", data: Data(csv.utf8))
            let batch = try Self.batchID(up)
            let preview = try await app.get("/import/\(batch)", as: b).text
            #expect(preview.contains("name=\"commit\""))
            #expect(preview.contains("Cập nhật"))
            let commit = try await app.post("/import/\(batch)/commit", as: b)
            #expect(commit.status == .seeOther)
            let child = try #require(try await Unit.query(on: app.db).filter(\.$code == "P-CON").first())
            #expect(child.name == "Tổ một cửa")
            #expect(child.name.unicodeScalars.count == "Tổ một cửa".precomposedStringWithCanonicalMapping.unicodeScalars.count)
            #expect(try await Unit.find(f.stc, on: app.db)?.name == "Sở Tài chính tỉnh")
            #expect(try await AuditRecord.query(on: app.db).filter(\.$reason == "import: u.csv").count() == 3)
            // Committing twice does nothing more.
            _ = try await app.post("/import/\(batch)/commit", as: b)
            #expect(try await Unit.query(on: app.db).count() == 8)
        }
    }

    @Test(arguments: [("windows1258", "Windows-1258"), ("tcvn3", "TCVN3")])
    func legacyEncodingsAreRead(encoding: String, label: String) async throws {
        try await withApp { app in
            let f = try await Fixture.make(on: app.db)
            let id = try await app.makeUser("cchc", grants: [(.reformOffice, f.root)])
            let b = try await Browser.signIn(id, on: app.db)
            let text = "Ma can bo,Ho va ten,Gioi tinh,Don vi\r\nCB1,Nguyễn Thị Hồng Nhung,nữ,SNV\r\nCB2,Đặng Văn Lâm,nam,Sở Tài chính\r\n"
            let bytes = encoding == "tcvn3" ? LegacyText.encodeTCVN3(text) : LegacyText.encodeWindows1258(text)
            let up = try await app.upload("/import/preview", as: b, fields: ["kind": "people"], fileName: "nguoi.csv", data: Data(try #require(bytes)))
            let batch = try Self.batchID(up)
            let preview = try await app.get("/import/\(batch)", as: b).text
            #expect(preview.contains(label))
            #expect(preview.contains("Nguyễn Thị Hồng Nhung"))
            #expect(try await app.post("/import/\(batch)/commit", as: b).status == .seeOther)
            let p = try #require(try await Person.query(on: app.db).filter(\.$code == "CB2").first())
            #expect(p.fullName == "Đặng Văn Lâm")
            #expect(p.$unit.id == f.stc)
        }
    }

    @Test func brokenAndHugeFilesGetClearMessages() async throws {
        try await withApp(configure: { $0.maxUploadMB = 1 }) { app in
            let f = try await Fixture.make(on: app.db)
            let id = try await app.makeUser("cchc", grants: [(.reformOffice, f.root)])
            let b = try await Browser.signIn(id, on: app.db)
            let xlsx = try XLSXWriter.write([XLSXSheet(name: "A", header: ["Mã đơn vị", "Tên đơn vị"], rows: [[.text("X"), .text("Y")]])])
            let truncated = try await app.upload("/import/preview", as: b, fields: ["kind": "units"], fileName: "a.xlsx", data: xlsx.prefix(xlsx.count / 2))
            #expect(truncated.status == .unprocessableEntity)
            #expect(truncated.text.contains("XLSX"))
            let binary = try await app.upload("/import/preview", as: b, fields: ["kind": "units"], fileName: "a.bin", data: Data([0, 1, 2, 3, 0, 0, 7, 8]))
            #expect(binary.status == .unprocessableEntity)
            let huge = Data(repeating: 0x41, count: 2 * 1024 * 1024)
            let tooBig = try await app.upload("/import/preview", as: b, fields: ["kind": "units"], fileName: "big.csv", data: huge)
            #expect(tooBig.status == .payloadTooLarge)
            #expect(tooBig.text.contains("quá"))
            let missingColumns = try await app.upload("/import/preview", as: b, fields: ["kind": "units"], fileName: "c.csv", data: Data("Tên\nA\n".utf8))
            let page = try await app.get("/import/\(try Self.batchID(missingColumns))", as: b).text
            #expect(page.contains("Thiếu cột bắt buộc"))
            #expect(try await ImportBatch.query(on: app.db).filter(\.$committed == true).count() == 0)
        }
    }

    @Test func exportsOpenAsSpreadsheetsAndNeutraliseFormulas() async throws {
        try await withApp { app in
            let f = try await Fixture.make(on: app.db)
            let id = try await app.makeUser("lanh.dao", grants: [(.leader, f.root)])
            let b = try await Browser.signIn(id, on: app.db)
            // A position typed long ago, before validation existed, that looks like a formula.
            let p = Person(code: "CB1", fullName: "Võ Thị Sáu", sex: .female, birthYear: 1990, position: "placeholder", unitID: f.snv)
            p.position = "=cmd|' /C calc'!A0"
            try await p.create(on: app.db)
            let csv = try await app.get("/export/people.csv", as: b)
            #expect(csv.headers.contentType?.description.contains("text/csv") == true)
            let bytes = Array(csv.body.readableBytesView)
            #expect(bytes.starts(with: [0xEF, 0xBB, 0xBF]))
            #expect(csv.text.contains("'=cmd"))
            let xlsx = try await app.get("/export/units.xlsx", as: b)
            let rows = try XLSXReader.read(Data(xlsx.body.readableBytesView))
            #expect(rows.first?.first == "Mã đơn vị")
            #expect(rows.count == 7)
            #expect(rows.contains { $0.contains("Sở Nội vụ") })
            // Round trip: the export is accepted back by the importer's header mapping.
            #expect(HeaderMapping.resolve(rows[0], columns: UnitImport.columns).missing.isEmpty)
        }
    }
}
