import Fluent
import Vapor
import ThiDuaCore

/// Units and people as CSV (UTF-8 with BOM, so Excel reads Vietnamese) or XLSX. Headings match what the
/// importer reads, so an export can be edited and imported back. Every text cell passes the formula guard.
enum ExportController {
    @Sendable static func export(req: Request) async throws -> Response {
        let user = try req.require(.exportData)
        let file = req.parameters.get("file") ?? ""
        let parts = file.split(separator: ".")
        guard parts.count == 2, ["csv", "xlsx"].contains(parts[1]) else { throw AppError.notFound }
        let t = req.t
        let header: [String]
        let rows: [[String]]
        switch parts[0] {
        case "units":
            let q = Unit.query(on: req.db)
            if let ids = try await UnitQueries.scope(of: user, .exportData, on: req.db) { q.filter(\.$id ~~ ids) }
            let units = try await q.sort(\.$sortKey).all()
            let codeByID = Dictionary(uniqueKeysWithValues: units.compactMap { u in u.id.map { ($0, u.code) } })
            header = ["Mã đơn vị", "Tên đơn vị", "Tên viết tắt", "Loại", "Mã đơn vị cấp trên", "Hiệu lực từ", "Hiệu lực đến"]
            rows = units.map { u in
                [u.code, u.name, u.shortName ?? "", u.kindRaw, u.$parent.id.flatMap { codeByID[$0] } ?? "",
                 u.validFromDate?.vietnamese ?? "", u.validToDate?.vietnamese ?? ""]
            }
        case "people":
            let q = Person.query(on: req.db)
            if let ids = try await UnitQueries.scope(of: user, .exportData, on: req.db) { q.filter(\.$unit.$id ~~ ids) }
            let people = try await q.sort(\.$sortKey).all()
            let units = try await Unit.query(on: req.db).all()
            let codeByID = Dictionary(uniqueKeysWithValues: units.compactMap { u in u.id.map { ($0, u.code) } })
            header = ["Mã cán bộ", "Họ và tên", "Giới tính", "Năm sinh", "Chức vụ", "Mã đơn vị"]
            rows = people.map { p in
                [p.code, p.fullName, p.sex == .female ? "Nữ" : "Nam", p.birthYear.map(String.init) ?? "", p.position ?? "",
                 codeByID[p.$unit.id] ?? ""]
            }
        default:
            throw AppError.notFound
        }
        _ = t
        let name = "thidua-\(parts[0])-\(CivilDate.today().iso)"
        var headers = HTTPHeaders()
        let body: Data
        if parts[1] == "csv" {
            body = CSVCodec.write([header] + rows)
            headers.replaceOrAdd(name: .contentType, value: "text/csv; charset=utf-8")
            headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(name).csv\"")
        } else {
            let sheet = XLSXSheet(
                name: parts[0] == "units" ? "Don vi" : "Nhan su", header: header,
                rows: rows.map { r in r.map { XLSXCell.text($0) } })
            body = try XLSXWriter.write([sheet])
            headers.replaceOrAdd(name: .contentType, value: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(name).xlsx\"")
        }
        return Response(status: .ok, headers: headers, body: .init(data: body))
    }
}
