import Fluent
import Foundation
import Vapor
import ThiDuaCore

enum EmulationURL {
    static func scores(_ id: UUID) -> String { "/awards/movements/\(id)/scores" }
    static func scheme(_ id: UUID) -> String { "/awards/movements/\(id)/scheme" }
    static func deductions(_ id: UUID) -> String { "/awards/movements/\(id)/deductions" }
    static func registrations(_ id: UUID) -> String { "/awards/movements/\(id)/registrations" }
    static func pledges(_ id: UUID) -> String { "/awards/movements/\(id)/pledges" }
    static func review(_ id: UUID) -> String { "/awards/movements/\(id)/review" }
}

/// Emulation within a movement: registrations and pledges at the start of the year, scoring by the movement's
/// criteria (entered points, data from the PAR Index, the plans, the surveys, the one-stop systems and the initiatives,
/// deductions with their reference) ranked per block with the source of every number, and the mid-term and final
/// review reports.
enum EmulationController {
    // MARK: Scores

    struct UnitScore: Sendable {
        let unit: Unit
        let score: EmulationScore
        let deductions: [EmulationEntry]
    }

    /// The latest publication of each year's PAR Index: each unit's percentage and band.
    static func parResults(year: Int, on db: any Database) async throws -> [UUID: (percent: Points, band: String?)] {
        var out: [UUID: (Points, String?)] = [:]
        for row in try await PublicationPayload.latestByYear(on: db)[year]?.results ?? [] {
            if let id = UUID(uuidString: row.unitID), let pct = Points(parsing: row.percent) { out[id] = (pct, row.band) }
        }
        return out
    }

    /// Every unit's score in the movement, for `units`.
    static func scores(_ m: AwardMovement, units: [Unit], app: Application, on db: any Database) async throws -> [UnitScore] {
        let ids = units.compactMap(\.id)
        guard !ids.isEmpty else { return [] }
        let mid = try m.requireID()
        let par = try await parResults(year: m.year, on: db)
        var metrics: [UUID: [MetricKey: Points]] = [:]
        for source in app.metricSources {
            for (unit, values) in try await source.values(for: ids, year: m.year, on: db) { metrics[unit, default: [:]].merge(values) { a, _ in a } }
        }
        var initiatives: [UUID: Int] = [:]
        for i in try await Initiative.query(on: db).filter(\.$unit.$id ~~ ids).filter(\.$statusRaw == InitiativeStatus.recognised.rawValue).all() {
            if let d = i.decisionDate.flatMap(CivilDate.init(parsing:)), d.year == m.year { initiatives[i.$unit.id, default: 0] += 1 }
        }
        let entries = try await EmulationEntry.query(on: db).filter(\.$movement.$id == mid).filter(\.$unit.$id ~~ ids).sort(\.$createdMs).all()
        let scheme = m.scheme
        return units.map { u in
            let id = u.id!
            var input = EmulationInput()
            input.parPercent = par[id]?.percent
            input.parBand = par[id]?.band ?? nil
            input.metrics = metrics[id] ?? [:]
            input.initiatives = initiatives[id] ?? 0
            let mine = entries.filter { $0.$unit.id == id }
            for e in mine where e.kind == "score" { input.entered[e.criterion] = e.value }
            let deductions = mine.filter { $0.kind == "deduction" }
            input.deductions = deductions.map(\.value)
            return UnitScore(unit: u, score: EmulationScoring.score(scheme, input), deductions: deductions)
        }.sorted { $0.score.total != $1.score.total ? $0.score.total > $1.score.total : $0.unit.name < $1.unit.name }
    }

    static func blocks(_ m: AwardMovement, on db: any Database) async throws -> [EmulationBlock] {
        try await EmulationBlock.query(on: db).filter(\.$year == m.year).sort(\.$sortKey).all()
    }

    static func members(_ block: EmulationBlock, on db: any Database) async throws -> [Unit] {
        let ids = try await BlockMember.query(on: db).filter(\.$block.$id == (try block.requireID())).all().map(\.$unit.id)
        guard !ids.isEmpty else { return [] }
        return try await Unit.query(on: db).filter(\.$id ~~ ids).all()
    }

    @Sendable static func scoresPage(req: Request) async throws -> Response {
        _ = try req.require(.viewAwards)
        let m = try await NominationController.loadMovement(req)
        return try await page(req, m, errors: FormErrors(req.t), values: [:], status: .ok)
    }

    static func page(_ req: Request, _ m: AwardMovement, errors: FormErrors, values: [String: String], status: HTTPStatus) async throws -> Response {
        let blocks = try await blocks(m, on: req.db)
        let chosen = ((try? req.query.get(UUID.self, at: "block")) ?? UUID(uuidString: values["block"] ?? "")).flatMap { id in blocks.first { $0.id == id } }
            ?? blocks.first
        let units = try await chosen.asyncMap { try await members($0, on: req.db) } ?? []
        let rows = try await scores(m, units: units, app: req.application, on: req.db)
        return EmulationPages.scores(req.pageContext, m, blocks: blocks, block: chosen, rows: rows, manager: await NominationController.isManager(req),
                                     errors: errors.list, values: values)
            .response(status: status)
    }

    /// Entered points for a manual criterion (replacing the earlier entry), or a deduction with its reference.
    @Sendable static func enter(req: Request) async throws -> Response { try await save(req, deduction: false) }
    @Sendable static func deduct(req: Request) async throws -> Response { try await save(req, deduction: true) }

    static func save(_ req: Request, deduction: Bool) async throws -> Response {
        let user = try await SurveyAdminController.requireProvince(req, .manageAwards)
        let m = try await NominationController.loadMovement(req)
        let mid = try m.requireID()
        let t = req.t
        var e = FormErrors(t)
        // The deduction form's fields carry a "d_" prefix (both forms are on one page; ids must differ).
        let prefix = deduction ? "d_" : ""
        var values: [String: String] = [:]
        for k in ["block", "unit", "criterion", "points", "note", "reference"] {
            values[k] = NominationController.field(req, k == "block" || k == "criterion" ? k : prefix + k, k == "note" ? 2_000 : 200)
        }
        let unit = UUID(uuidString: values["unit"]!)
        var unitOK = false
        if let unit { unitOK = try await Unit.find(unit, on: req.db) != nil }
        if !unitOK { e.add("unit", message: t("nomination.error.unit")) }
        let criterion = deduction ? "DEDUCTION" : values["criterion"]!
        let manual = m.scheme.criteria.first { $0.code == criterion && $0.source == .manual }
        if !deduction && manual == nil { e.add("criterion", message: t("emulation.error.criterion")) }
        let points = Points(typed: values["points"]!.trimmingCharacters(in: .whitespaces))
        let fits = points.map { p in p >= .zero && p.rounded(places: 2) == p && (deduction ? p <= Points(1_000) : p <= manual?.max ?? .zero) } ?? false
        if !fits { e.add("points", message: deduction ? t("emulation.error.deduction") : t("emulation.error.points", manual?.max.formattedCompact() ?? "")) }
        let note = e.take("note", FieldRules.text(values["note"]!, max: 2_000)) ?? ""
        var reference: String?
        if deduction {
            reference = e.take("reference", FieldRules.name(values["reference"]!, max: 200))
            if note.isEmpty { e.add("note", message: t("emulation.error.reason")) }
        }
        guard e.isEmpty, let unit, let points else {
            var shown = FormErrors(t)
            for x in e.list { shown.add(prefix + x.field, message: x.message) }
            var kept: [String: String] = [:]
            for (k, v) in values { kept[k == "block" || k == "criterion" ? k : prefix + k] = v }
            return try await page(req, m, errors: shown, values: kept, status: .unprocessableEntity)
        }
        let entry = EmulationEntry()
        entry.$movement.id = mid
        entry.$unit.id = unit
        entry.kind = deduction ? "deduction" : "score"
        entry.criterion = criterion
        entry.points = points.plain(places: 2)
        entry.note = note
        entry.reference = reference
        entry.createdMs = NominationController.now()
        try await req.db.writing(as: user.actor) { tx, audit in
            if !deduction, let old = try await EmulationEntry.query(on: tx).filter(\.$movement.$id == mid).filter(\.$unit.$id == unit)
                .filter(\.$kind == "score").filter(\.$criterion == criterion).first()
            {
                let before = old.auditSnapshot
                old.points = entry.points
                old.note = note
                try await old.update(on: tx)
                audit.updated(old, before: before)
            } else {
                try await entry.create(on: tx)
                audit.created(entry)
            }
        }
        let block = UUID(uuidString: values["block"]!).map { "?block=" + $0.uuidString + "&" } ?? "?"
        return req.redirect(to: EmulationURL.scores(mid) + block + "ok=saved")
    }

    @Sendable static func schemeForm(req: Request) async throws -> Response {
        _ = try await SurveyAdminController.requireProvince(req, .manageAwards)
        let m = try await NominationController.loadMovement(req)
        let json = String(decoding: try JSONEncoder.pretty.encode(m.scheme), as: UTF8.self)
        return EmulationPages.scheme(req.pageContext, m, json: json, errors: []).response()
    }

    @Sendable static func saveScheme(req: Request) async throws -> Response {
        let user = try await SurveyAdminController.requireProvince(req, .manageAwards)
        let m = try await NominationController.loadMovement(req)
        let t = req.t
        let raw = NominationController.field(req, "json", 100_000)
        var errors: [String] = []
        let parsed = try? JSONDecoder().decode(EmulationScheme.self, from: Data(raw.utf8))
        if let parsed {
            for p in parsed.problems {
                switch p {
                case .empty: errors.append(t("emulation.error.empty"))
                case .badCode(let c): errors.append(t("award.error.code", c))
                case .duplicateCode(let c): errors.append(t("award.error.duplicate", c))
                case .missingName(let c): errors.append(t("award.error.name", c))
                case .badMax(let c): errors.append(t("emulation.error.max", c))
                case .badSource(let c): errors.append(t("emulation.error.source", c))
                }
            }
            for c in parsed.criteria {
                if case .failure(let p) = FieldRules.name(c.name, max: 300) { errors.append(c.code + ": " + t.problem(p.key, p.argument)) }
            }
        } else {
            errors.append(t("award.error.json"))
        }
        guard errors.isEmpty, let parsed else { return EmulationPages.scheme(req.pageContext, m, json: raw, errors: errors).response(status: .unprocessableEntity) }
        nonisolated(unsafe) let before = m.auditSnapshot
        m.schemeJSON = String(decoding: try JSONEncoder.sorted.encode(parsed), as: UTF8.self)
        try await req.db.writing(as: user.actor) { tx, audit in
            try await m.update(on: tx)
            audit.updated(m, before: before)
        }
        return req.redirect(to: EmulationURL.scores(try m.requireID()) + "?ok=saved")
    }

    // MARK: Registrations and pledges

    /// A unit registers itself (collective titles) or one of its people (individual titles), with its targets.
    @Sendable static func register(req: Request) async throws -> Response {
        let user = try req.require(.nominateAwards)
        let m = try await NominationController.loadMovement(req)
        let mid = try m.requireID()
        let t = req.t
        var errors: [String] = []
        guard let unitID = UUID(uuidString: NominationController.field(req, "reg_unit", 40)), try await Unit.find(unitID, on: req.db) != nil else {
            return try await NominationController.movementPage(req, user, m, error: t("nomination.error.unit"), status: .unprocessableEntity)
        }
        guard try await InitiativeController.mayActFor(unitID, user, .nominateAwards, on: req.db) else { throw AppError.forbidden }
        if let ends = CivilDate(parsing: m.ends), ends < req.application.today { errors.append(t("emulation.error.registrationClosed")) }
        let catalogue = try await AwardController.catalogue(on: req.db)
        let award = catalogue.types.first { $0.code == NominationController.field(req, "reg_award", 40) }
        if award == nil { errors.append(t("nomination.error.choose")) }
        let holderRaw = NominationController.field(req, "reg_holder", 200)
        let targets = try? FieldRules.text(NominationController.field(req, "reg_targets", 4_000), max: 4_000).get()
        if (targets ?? "").isEmpty { errors.append(t("emulation.error.targets")) }
        var holder: NominationController.Holder?
        if let award {
            let found = try await NominationController.holder(award, holderRaw, within: unitID, emptyIsUnit: true, t: t, on: req.db)
            if let message = found.error { errors.append(message) }
            holder = found.holder
        }
        let person = holder?.person, holderUnit = holder?.unit
        if errors.isEmpty, let award {
            let same = try await AwardRegistration.query(on: req.db).filter(\.$movement.$id == mid).filter(\.$awardCode == award.code).all()
                .contains { ($0.personID != nil && $0.personID == person?.id) || ($0.holderUnitID != nil && $0.holderUnitID == holderUnit?.id) }
            if same { errors.append(t("emulation.error.registeredTwice")) }
        }
        guard errors.isEmpty, let award, let targets else {
            return try await NominationController.movementPage(req, user, m, error: errors.joined(separator: " "), status: .unprocessableEntity)
        }
        let r = AwardRegistration()
        r.$movement.id = mid
        r.$unit.id = unitID
        r.awardCode = award.code
        r.subjectRaw = award.subject.rawValue
        r.personID = person?.id
        r.holderUnitID = holderUnit?.id
        r.holderName = holder?.name ?? ""
        r.targets = targets
        r.createdMs = NominationController.now()
        try await req.db.writing(as: user.actor) { tx, audit in
            // Again under the write lock: a double click registers once.
            let same = try await AwardRegistration.query(on: tx).filter(\.$movement.$id == mid).filter(\.$awardCode == r.awardCode).all()
                .contains { ($0.personID != nil && $0.personID == r.personID) || ($0.holderUnitID != nil && $0.holderUnitID == r.holderUnitID) }
            guard !same else { throw AppError.conflict }
            try await r.create(on: tx)
            audit.created(r)
        }
        return req.redirect(to: NominationURL.movement(mid) + "?ok=saved")
    }

    /// A block's pledge: the day it was signed and its content; the block's units sign it.
    @Sendable static func pledge(req: Request) async throws -> Response {
        let user = try await SurveyAdminController.requireProvince(req, .manageAwards)
        let m = try await NominationController.loadMovement(req)
        let mid = try m.requireID()
        let t = req.t
        var errors: [String] = []
        let block = try await UUID(uuidString: NominationController.field(req, "block", 40)).asyncMap { try await EmulationBlock.find($0, on: req.db) } ?? nil
        if block == nil || block?.year != m.year { errors.append(t("emulation.error.block")) }
        let day = CivilDate(parsing: NominationController.field(req, "signed_on", 20).trimmingCharacters(in: .whitespaces))
        if day == nil { errors.append(t("emulation.error.signedOn")) }
        let content = try? FieldRules.text(NominationController.field(req, "content", 8_000), max: 8_000).get()
        if (content ?? "").isEmpty { errors.append(t("emulation.error.content")) }
        if let block, try await AwardPledge.query(on: req.db).filter(\.$movement.$id == mid).filter(\.$block.$id == (try block.requireID())).count() > 0 {
            errors.append(t("emulation.error.pledgedTwice"))
        }
        guard errors.isEmpty, let block, let day, let content else {
            return try await NominationController.movementPage(req, user, m, error: errors.joined(separator: " "), status: .unprocessableEntity)
        }
        let p = AwardPledge()
        p.$movement.id = mid
        p.$block.id = try block.requireID()
        p.signedOn = day.iso
        p.content = content
        p.signatories = try await members(block, on: req.db).map(\.name).sorted().joined(separator: "\n")
        p.createdMs = NominationController.now()
        try await req.db.writing(as: user.actor) { tx, audit in
            guard try await AwardPledge.query(on: tx).filter(\.$movement.$id == mid).filter(\.$block.$id == p.$block.id).count() == 0 else { throw AppError.conflict }
            try await p.create(on: tx)
            audit.created(p)
        }
        return req.redirect(to: NominationURL.movement(mid) + "?ok=saved")
    }

    // MARK: Reviews

    /// Mid-term (sơ kết) or final (tổng kết) review of a movement: on screen (prints on A4) and as DOCX.
    @Sendable static func review(req: Request) async throws -> Response {
        _ = try req.require(.viewAwards)
        let m = try await NominationController.loadMovement(req)
        let final = (try? req.query.get(String.self, at: "kind")) != "midterm"
        let blocks = try await MovementReview.build(m, final: final, app: req.application, on: req.db)
        let province = try await OfficialDocuments.province(on: req.db)
        let title = (final ? "Tổng kết " : "Sơ kết ") + OfficialDocuments.movementPhrase(m)
        if (try? req.query.get(String.self, at: "format")) == "docx" {
            let doc = OfficialDocument(
                parentBody: province.people, issuer: "SỞ NỘI VỤ", number: nil, symbol: "BC-SNV", place: province.name, date: nil,
                draftYear: req.application.today.year, kind: "BÁO CÁO", subject: title, body: blocks, recipients: ["Ủy ban nhân dân tỉnh (để b/c)", "Các cơ quan, đơn vị", "Lưu: VT, CCHC"],
                signerTitle: "GIÁM ĐỐC", signerName: "")
            return OfficialDocuments.download(try doc.docx(), name: (final ? "tong-ket-" : "so-ket-") + String(m.year) + ".docx")
        }
        return EmulationPages.review(req.pageContext, m, title: title, final: final, blocks: blocks).response()
    }
}

/// The review report's content, once, for the screen and the DOCX.
enum MovementReview {
    static func build(_ m: AwardMovement, final: Bool, app: Application, on db: any Database) async throws -> [OfficialDocument.Block] {
        let mid = try m.requireID()
        var out: [OfficialDocument.Block] = []
        let catalogue = try await AwardController.catalogue(on: db)
        func name(_ code: String) -> String { catalogue.types.first { $0.code == code }?.name ?? code }

        // I. Participation.
        let blocks = try await EmulationController.blocks(m, on: db)
        var blockUnits: [(EmulationBlock, [Unit])] = []
        for b in blocks { blockUnits.append((b, try await EmulationController.members(b, on: db))) }
        let participants = Set(blockUnits.flatMap { $0.1.compactMap(\.id) })
        let registrations = try await AwardRegistration.query(on: db).filter(\.$movement.$id == mid).all()
        let registered = Set(registrations.map(\.$unit.id))
        let pledges = try await AwardPledge.query(on: db).filter(\.$movement.$id == mid).count()
        out.append(.heading("I. KẾT QUẢ TỔ CHỨC PHONG TRÀO", centred: false))
        out.append(.paragraph("Phong trào được phát động theo Quyết định số " + m.decisionNumber + " ngày " + (CivilDate(parsing: m.decisionDate)?.vietnamese ?? m.decisionDate)
                              + ", thời gian từ " + (CivilDate(parsing: m.starts)?.vietnamese ?? "") + " đến " + (CivilDate(parsing: m.ends)?.vietnamese ?? "") + "."))
        out.append(.paragraph("Có " + String(participants.count) + " cơ quan, đơn vị thuộc " + String(blocks.count) + " khối, cụm thi đua năm " + String(m.year)
                              + "; " + String(registered.count) + " đơn vị đăng ký thi đua với " + String(registrations.count) + " đăng ký danh hiệu; "
                              + String(pledges) + "/" + String(blocks.count) + " khối, cụm ký kết giao ước thi đua."))
        let byAward = Dictionary(grouping: registrations, by: \.awardCode)
        if !byAward.isEmpty {
            out.append(.table(header: ["STT", "Danh hiệu đăng ký", "Số đăng ký"], rows: byAward.keys.sorted().enumerated().map { i, k in
                [String(i + 1), name(k), String(byAward[k]!.count)]
            }))
        }

        // II. Results by block.
        out.append(.heading("II. KẾT QUẢ CHẤM ĐIỂM THI ĐUA THEO KHỐI, CỤM", centred: false))
        if blockUnits.isEmpty { out.append(.paragraph("Chưa có khối, cụm thi đua của năm " + String(m.year) + ".")) }
        for (b, units) in blockUnits {
            let scores = try await EmulationController.scores(m, units: units, app: app, on: db)
            let ranks = EmulationScoring.ranks(scores.map(\.score.total))
            out.append(.paragraph(b.name + ": " + String(units.count) + " đơn vị" + (scores.first.map { "; dẫn đầu: " + $0.unit.name + " (" + $0.score.total.formatted(places: 2) + " điểm)" } ?? "") + "."))
            out.append(.table(header: ["Hạng", "Đơn vị", "Tổng điểm"], rows: zip(ranks, scores).prefix(final ? scores.count : 5).map { r, s in
                [String(r), s.unit.name, s.score.total.formatted(places: 2)]
            }))
        }

        // III. Nominations and awards.
        out.append(.heading("III. CÔNG TÁC KHEN THƯỞNG", centred: false))
        let nominations = try await AwardNomination.query(on: db).filter(\.$movement.$id == mid).all()
        let states = Dictionary(grouping: nominations, by: \.stateRaw)
        out.append(.paragraph("Đã nhận " + String(nominations.filter { $0.state != .draft }.count) + " hồ sơ đề nghị khen thưởng"
                              + (states.isEmpty ? "" : " (" + NominationState.allCases.compactMap { s in states[s.rawValue].map { vietnameseState(s) + ": " + String($0.count) } }.joined(separator: "; ") + ")") + "."))
        // Decisions in force (signed or published; a revoked one no longer counts).
        let decisions = try await AwardDecision.query(on: db).filter(\.$movement.$id == mid).filter(\.$state ~~ ["signed", "published"]).all()
        var rows: [[String]] = []
        for (i, d) in decisions.enumerated() {
            let count = try await AwardNominee.query(on: db).filter(\.$decisionID == (try d.requireID())).count()
            rows.append([String(i + 1), d.awardName, (d.number ?? "") + "/QĐ-UBND, " + (CivilDate(parsing: d.signedOn ?? "")?.vietnamese ?? ""), String(count)])
        }
        if rows.isEmpty {
            out.append(.paragraph("Chưa có quyết định khen thưởng."))
        } else {
            out.append(.table(header: ["STT", "Hình thức", "Quyết định", "Số tập thể, cá nhân"], rows: rows))
        }

        // IV. PAR Index trend.
        out.append(.heading("IV. CHỈ SỐ CẢI CÁCH HÀNH CHÍNH QUA CÁC NĂM", centred: false))
        var trend: [Int: (Points, Int)] = [:]
        for (year, payload) in try await PublicationPayload.latestByYear(on: db) {
            let values = payload.results.compactMap { Points(parsing: $0.percent) }
            if !values.isEmpty { trend[year] = (values.reduce(Points.zero, +), values.count) }
        }
        if trend.isEmpty {
            out.append(.paragraph("Chưa có kết quả Chỉ số cải cách hành chính được công bố."))
        } else {
            out.append(.table(header: ["Năm", "Số đơn vị", "Chỉ số bình quân (%)"], rows: trend.keys.sorted().map { y in
                let (sum, n) = trend[y]!
                return [String(y), String(n), Points(e4: Points.divideRounded(sum.e4, by: Int64(n))).rounded(places: 2).formatted(places: 2)]
            }))
        }

        // V. Initiatives replicated.
        out.append(.heading("V. SÁNG KIẾN VÀ NHÂN RỘNG", centred: false))
        let recognised = try await Initiative.query(on: db).filter(\.$statusRaw == InitiativeStatus.recognised.rawValue).all()
            .filter { $0.decisionDate.flatMap(CivilDate.init(parsing:))?.year == m.year }
        let adoptions = try await InitiativeAdoption.query(on: db).all().filter { CivilDate(parsing: $0.adoptedOn)?.year == m.year }
        out.append(.paragraph("Năm " + String(m.year) + " có " + String(recognised.count) + " sáng kiến được công nhận; " + String(adoptions.count)
                              + " lượt đơn vị áp dụng, nhân rộng sáng kiến."))
        out.append(.heading(final ? "VI. PHƯƠNG HƯỚNG NĂM SAU" : "VI. NHIỆM VỤ CÁC THÁNG CUỐI NĂM", centred: false))
        out.append(.paragraph("(Sở Nội vụ bổ sung nội dung trước khi trình ký.)"))
        return out
    }

    static func vietnameseState(_ s: NominationState) -> String {
        switch s {
        case .draft: "đang soạn"
        case .submitted: "đã gửi"
        case .received: "đã tiếp nhận"
        case .underReview: "đang thẩm định"
        case .returned: "trả lại bổ sung"
        case .voted: "đã bỏ phiếu"
        case .decided: "đã có quyết định"
        case .published: "đã công khai"
        }
    }
}

extension Optional {
    func asyncMap<T>(_ f: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let v = self else { return nil }
        return try await f(v)
    }
}
