import Fluent
import Vapor
import ThiDuaCore

/// Emulation blocks and clusters (khối / cụm thi đua) per year. They span many units, so editing them is a
/// province-wide right.
enum BlockController {
    @Sendable static func index(req: Request) async throws -> Response {
        let user = try req.require(.viewBlocks)
        let year = (try? req.query.get(Int.self, at: "year")) ?? CivilDate.today().year
        let blocks = try await EmulationBlock.query(on: req.db).filter(\.$year == year).sort(\.$sortKey).all()
        var rows: [BlockPages.Row] = []
        for b in blocks {
            guard let id = b.id else { continue }
            rows.append(.init(id: id, code: b.code, name: b.name, members: try await BlockMember.query(on: req.db).filter(\.$block.$id == id).count()))
        }
        let years = Set(try await EmulationBlock.query(on: req.db).all(\.$year)).union([year]).sorted(by: >)
        let canEdit = try await canEditBlocks(req, user)
        return BlockPages.index(req.pageContext, year: year, years: years, rows: rows, canEdit: canEdit).response()
    }

    static func canEditBlocks(_ req: Request, _ user: CurrentUser) async throws -> Bool {
        guard let root = try await UnitTree.rootID(on: req.db) else { return false }
        return AccessPolicy.allowsProvinceWide(user.grants, .editBlocks, rootID: root)
    }

    static func requireEdit(_ req: Request) async throws -> CurrentUser {
        let user = try req.require(.editBlocks)
        guard try await canEditBlocks(req, user) else { throw AppError.forbidden }
        return user
    }

    struct BlockForm: Content {
        var year: String?
        var code: String?
        var name: String?
    }

    @Sendable static func new(req: Request) async throws -> Response {
        _ = try await requireEdit(req)
        return BlockPages.form(req.pageContext, form: BlockForm(year: String(CivilDate.today().year)), errors: []).response()
    }

    @Sendable static func create(req: Request) async throws -> Response {
        let user = try await requireEdit(req)
        let f = (try? req.content.decode(BlockForm.self)) ?? BlockForm()
        let t = req.t
        var errors: [Components.FieldError] = []
        let year = Int(f.year ?? "").flatMap { (2000...2100).contains($0) ? $0 : nil }
        if year == nil { errors.append(.init(field: "year", message: t("problem.invalidValue", f.year ?? ""))) }
        var code: String?
        switch FieldRules.code(f.code ?? "") {
        case .success(let c): code = c
        case .failure(let p): errors.append(.init(field: "code", message: t.problem(p.key, p.argument)))
        }
        var name: String?
        switch FieldRules.name(f.name ?? "") {
        case .success(let n): name = n
        case .failure(let p): errors.append(.init(field: "name", message: t.problem(p.key, p.argument)))
        }
        if let year, let code, try await EmulationBlock.query(on: req.db).filter(\.$year == year).filter(\.$code == code).count() > 0 {
            errors.append(.init(field: "code", message: t("problem.alreadyExists", code)))
        }
        guard errors.isEmpty, let year, let code, let name else {
            return BlockPages.form(req.pageContext, form: f, errors: errors).response(status: .badRequest)
        }
        let block = EmulationBlock(year: year, code: code, name: name)
        try await req.db.writing(as: user.actor) { tx, audit in
            try await block.create(on: tx)
            audit.created(block)
        }
        return req.redirect(to: SiteURL.block(try block.requireID()).path + "?ok=saved")
    }

    @Sendable static func show(req: Request) async throws -> Response {
        let user = try req.require(.viewBlocks)
        let block = try await find(req)
        let id = try block.requireID()
        let members = try await BlockMember.query(on: req.db).filter(\.$block.$id == id).with(\.$unit).all()
            .compactMap { m in m.unit.id.map { (id: $0, code: m.unit.code, name: m.unit.name, sortKey: m.unit.sortKey) } }
            .sorted { $0.sortKey < $1.sortKey }
        let canEdit = try await canEditBlocks(req, user)
        return BlockPages.show(
            req.pageContext, block: (id, block.year, block.code, block.name),
            members: members.map { ($0.id, $0.code, $0.name) }, canEdit: canEdit, errors: []
        ).response()
    }

    struct MembersForm: Content {
        var add: String?
        var remove: String?
    }

    /// Adds units by code (several at once, separated by commas or spaces) or removes one.
    @Sendable static func members(req: Request) async throws -> Response {
        let user = try await requireEdit(req)
        let block = try await find(req)
        let blockID = try block.requireID()
        let f = (try? req.content.decode(MembersForm.self)) ?? MembersForm()
        let t = req.t
        if let removeID = f.remove.flatMap(UUID.init(uuidString:)) {
            try await req.db.writing(as: user.actor) { tx, audit in
                for m in try await BlockMember.query(on: tx).filter(\.$block.$id == blockID).filter(\.$unit.$id == removeID).all() {
                    try await m.delete(on: tx)
                    audit.deleted(m)
                }
            }
            return req.redirect(to: SiteURL.block(blockID).path + "?ok=saved")
        }
        let codes = (f.add ?? "").split(whereSeparator: { $0 == "," || $0 == ";" || $0.isWhitespace }).map { $0.uppercased() }
        var units: [Unit] = []
        var errors: [Components.FieldError] = []
        if codes.isEmpty { errors.append(.init(field: "add", message: t("problem.required"))) }
        for code in Set(codes).sorted() {
            if let u = try await Unit.query(on: req.db).filter(\.$code == code).first() { units.append(u) } else {
                errors.append(.init(field: "add", message: t("problem.notFound", code)))
            }
        }
        guard errors.isEmpty else {
            let members = try await BlockMember.query(on: req.db).filter(\.$block.$id == blockID).with(\.$unit).all()
                .compactMap { m in m.unit.id.map { ($0, m.unit.code, m.unit.name) } }
            return BlockPages.show(req.pageContext, block: (blockID, block.year, block.code, block.name), members: members, canEdit: true, errors: errors)
                .response(status: .badRequest)
        }
        let toAdd = units
        try await req.db.writing(as: user.actor) { tx, audit in
            for u in toAdd {
                let uid = try u.requireID()
                if try await BlockMember.query(on: tx).filter(\.$block.$id == blockID).filter(\.$unit.$id == uid).count() > 0 { continue }
                let m = BlockMember(blockID: blockID, unitID: uid)
                try await m.create(on: tx)
                audit.created(m)
            }
        }
        return req.redirect(to: SiteURL.block(blockID).path + "?ok=saved")
    }

    static func find(_ req: Request) async throws -> EmulationBlock {
        guard let id = req.parameters.get("blockID", as: UUID.self), let b = try await EmulationBlock.find(id, on: req.db) else {
            throw AppError.notFound
        }
        return b
    }
}

enum BlockPages {
    struct Row: Sendable { let id: UUID, code: String, name: String, members: Int }

    static func index(_ ctx: PageContext, year: Int, years: [Int], rows: [Row], canEdit: Bool) -> HTMLNode {
        let t = ctx.t
        return Layout.page(ctx, title: t("blocks.title")) {
            H.h1 { t("blocks.title") + " " + String(year) }
            H.form(.method("get"), .action(SiteURL.blocks.path), .class("filters")) {
                Components.selectField(t("person.year"), name: "year", options: years.map { (String($0), String($0)) }, selected: String(year))
                H.button(.type("submit")) { t("form.filter") }
            }
            if canEdit { H.div(.class("actions")) { H.a(.class("button"), .href(SiteURL.blockNew.path)) { t("blocks.new") } } }
            if rows.isEmpty {
                H.p(.class("notice")) { t("blocks.none") }
            } else {
                H.table {
                    H.caption { t("blocks.title") + " " + String(year) }
                    H.thead { H.tr { H.th(.attr("scope", "col")) { t("column.code") }; H.th(.attr("scope", "col")) { t("column.name") }; H.th(.attr("scope", "col"), .class("num")) { t("blocks.members") } } }
                    H.tbody {
                        for r in rows {
                            H.tr { H.td { r.code }; H.td { H.a(.href(SiteURL.block(r.id).path)) { r.name } }; H.td(.class("num")) { t.number(r.members) } }
                        }
                    }
                }
            }
        }
    }

    static func form(_ ctx: PageContext, form f: BlockController.BlockForm, errors: [Components.FieldError]) -> HTMLNode {
        let t = ctx.t
        return Layout.page(ctx, title: t("blocks.new")) {
            H.h1 { t("blocks.new") }
            Components.errorSummary(t, errors)
            H.form(.method("post"), .action(SiteURL.blocks.path), .class("card")) {
                Layout.csrfField(ctx)
                Components.textField(t("person.year"), name: "year", value: f.year, errors: errors, required: true, type: "number")
                Components.textField(t("column.code"), name: "code", value: f.code, errors: errors, required: true, maxlength: 32)
                Components.textField(t("column.name"), name: "name", value: f.name, errors: errors, required: true, maxlength: 255)
                H.div(.class("actions")) { H.button(.type("submit")) { t("form.save") }; H.a(.href(SiteURL.blocks.path)) { t("form.cancel") } }
            }
        }
    }

    static func show(_ ctx: PageContext, block: (id: UUID, year: Int, code: String, name: String), members: [(id: UUID, code: String, name: String)], canEdit: Bool, errors: [Components.FieldError]) -> HTMLNode {
        let t = ctx.t
        return Layout.page(ctx, title: block.name) {
            Components.flash(t, ctx.flashKey)
            H.h1 { block.name + " (" + String(block.year) + ")" }
            Components.errorSummary(t, errors)
            H.p { t("blocks.memberCount", t.number(members.count)) }
            H.table {
                H.caption { t("blocks.members") }
                H.thead { H.tr { H.th(.attr("scope", "col")) { t("column.code") }; H.th(.attr("scope", "col")) { t("column.name") }; if canEdit { H.th(.attr("scope", "col")) { t("form.actions") } } } }
                H.tbody {
                    for m in members {
                        H.tr {
                            H.td { m.code }
                            H.td { H.a(.href(SiteURL.unit(m.id).path)) { m.name } }
                            if canEdit {
                                H.td {
                                    H.form(.method("post"), .action(SiteURL.blockMembers(block.id).path), .class("inline")) {
                                        Layout.csrfField(ctx)
                                        H.input(.type("hidden"), .name("remove"), .value(m.id.uuidString))
                                        H.button(.type("submit"), .class("secondary"), .aria("label", t("blocks.removeUnit", m.name))) { t("form.remove") }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            if canEdit {
                H.form(.method("post"), .action(SiteURL.blockMembers(block.id).path), .class("card")) {
                    Layout.csrfField(ctx)
                    Components.textField(t("blocks.addCodes"), name: "add", value: nil, errors: errors, required: true, hint: t("merge.codesHint"))
                    H.div(.class("actions")) { H.button(.type("submit")) { t("form.add") } }
                }
            }
        }
    }
}
