import Fluent
import Foundation
import Vapor
import ThiDuaCore

enum DecisionURL {
    static func decision(_ id: UUID) -> String { "/awards/decisions/\(id)" }
    static func docx(_ id: UUID) -> String { "/awards/decisions/\(id)/decision.docx" }
    static func sign(_ id: UUID) -> String { "/awards/decisions/\(id)/sign" }
    static func publish(_ id: UUID) -> String { "/awards/decisions/\(id)/publish" }
    static func revoke(_ id: UUID) -> String { "/awards/decisions/\(id)/revoke" }
    static func certificate(_ id: UUID) -> String { "/awards/records/\(id)/certificate" }
}

/// Decisions: drafted per award from the council's results (the quota checked, the tie-breaks ordering the list),
/// downloaded as DOCX in the Decree 30/2020 format, signed once (number, date, signer — which writes the awards into
/// the registry), then published.
enum DecisionController {
    /// Drafts one decision per award for the nominees the council passed that are in no decision yet.
    @Sendable static func draft(req: Request) async throws -> Response {
        let user = try await SurveyAdminController.requireProvince(req, .manageAwards)
        let m = try await NominationController.loadMovement(req)
        let mid = try m.requireID()
        let catalogue = try await AwardController.catalogue(on: req.db)
        let passed = try await NominationController.passedNominees(movement: mid, on: req.db).filter { $0.decisionID == nil }
        let t = req.t
        guard !passed.isEmpty else {
            return try await NominationController.movementPage(req, user, m, error: t("decision.error.nothing"), status: .unprocessableEntity)
        }
        let byAward = Dictionary(grouping: passed, by: \.awardCode)
        var alreadyDecided: [String: Int] = [:]
        for d in try await AwardDecision.query(on: req.db).filter(\.$movement.$id == mid).all() {
            alreadyDecided[d.awardCode, default: 0] += try await AwardNominee.query(on: req.db).filter(\.$decisionID == (try d.requireID())).count()
        }
        let excess = AwardQuota.excess(quotas: m.quotaTable, existing: alreadyDecided, adding: byAward.mapValues(\.count))
        let override = (try? FieldRules.optionalText(NominationController.field(req, "quota_override"), max: 500).get()) ?? nil
        if !excess.isEmpty && override == nil {
            let msg = excess.map { t("nomination.error.quota", $0.award, String($0.quota), String($0.total)) }.joined(separator: " ")
            return try await NominationController.movementPage(req, user, m, error: msg + " " + t("decision.error.override"), status: .unprocessableEntity)
        }
        let overrideFor = Set(excess.map(\.award))
        try await req.db.writing(as: user.actor) { tx, audit in
            for (code, nominees) in byAward.sorted(by: { $0.key < $1.key }) {
                let d = AwardDecision()
                d.$movement.id = mid
                d.awardCode = code
                d.awardName = catalogue.types.first { $0.code == code }?.name ?? code
                d.state = "draft"
                d.quotaOverride = overrideFor.contains(code) ? override : nil
                d.createdMs = NominationController.now()
                try await d.create(on: tx)
                audit.created(d)
                for x in nominees {
                    guard let fresh = try await AwardNominee.find(x.id, on: tx), fresh.decisionID == nil else { throw AppError.conflict }
                    let b = fresh.auditSnapshot
                    fresh.decisionID = try d.requireID()
                    try await fresh.update(on: tx)
                    audit.updated(fresh, before: b)
                }
            }
        }
        return req.redirect(to: NominationURL.movement(mid) + "?ok=saved")
    }

    struct Loaded {
        let decision: AwardDecision
        let movement: AwardMovement
        /// In the decision's order: votes, then the province's tie-breaks.
        let nominees: [AwardNominee]
        let units: [UUID: String]
    }

    static func load(_ req: Request) async throws -> Loaded {
        guard let id = req.parameters.get("decisionID", as: UUID.self), let d = try await AwardDecision.find(id, on: req.db),
            let m = try await AwardMovement.find(d.$movement.id, on: req.db)
        else { throw AppError.notFound }
        let catalogue = try await AwardController.catalogue(on: req.db)
        let list = try await AwardNominee.query(on: req.db).filter(\.$decisionID == id).all()
        let ranked = NomineeRanking.order(
            list.compactMap { x in x.id.map { RankedNominee(id: $0, yes: x.yesVotes ?? 0, women: x.women, grassroots: x.grassroots, name: x.holderName) } },
            tieBreaks: catalogue.tieBreakOrder)
        let byID = Dictionary(list.compactMap { x in x.id.map { ($0, x) } }, uniquingKeysWith: { a, _ in a })
        var units: [UUID: String] = [:]
        let dossiers = try await AwardNomination.query(on: req.db).filter(\.$id ~~ Array(Set(list.map(\.$nomination.id)))).with(\.$unit).all()
        for n in dossiers { if let nid = n.id { units[nid] = n.unit.name } }
        return Loaded(decision: d, movement: m, nominees: ranked.compactMap { byID[$0.id] }, units: units)
    }

    @Sendable static func show(req: Request) async throws -> Response {
        _ = try req.require(.viewAwards)
        let l = try await load(req)
        guard await NominationController.isManager(req) || ["published", "revoked"].contains(l.decision.state) else { throw AppError.forbidden }
        return try await page(req, l, errors: FormErrors(req.t), values: [:], status: .ok)
    }

    static func page(_ req: Request, _ l: Loaded, errors: FormErrors, values: [String: String], status: HTTPStatus) async throws -> Response {
        let records = try await AwardRecord.query(on: req.db).filter(\.$source == "decision:" + (try l.decision.requireID()).uuidString).all()
        return DecisionPages.decision(req.pageContext, l, records: records, manager: await NominationController.isManager(req), errors: errors.list,
                                      values: values)
            .response(status: status)
    }

    @Sendable static func docx(req: Request) async throws -> Response {
        _ = try req.require(.viewAwards)
        let l = try await load(req)
        guard await NominationController.isManager(req) || l.decision.state == "published" else { throw AppError.forbidden }
        let catalogue = try await AwardController.catalogue(on: req.db)
        let doc = OfficialDocuments.decision(l, award: catalogue.types.first { $0.code == l.decision.awardCode }, province: try await OfficialDocuments.province(on: req.db),
                                             sessionDay: try await sessionDay(l, on: req.db), draftYear: req.application.today.year)
        return OfficialDocuments.download(try doc.docx(), name: "quyet-dinh-" + l.decision.awardCode.lowercased() + ".docx")
    }

    /// The day of the session that voted on the decision's nominees.
    static func sessionDay(_ l: Loaded, on db: any Database) async throws -> CivilDate? {
        guard let first = l.nominees.first?.id else { return nil }
        guard let tally = try await CouncilTally.query(on: db).filter(\.$nominee.$id == first).first(),
            let s = try await CouncilSession.find(tally.$session.id, on: db)
        else { return nil }
        return CivilDate(parsing: s.heldOn)
    }

    /// Records the signed decision (once): its number, date and signer; every nominee's award goes into the registry.
    @Sendable static func sign(req: Request) async throws -> Response {
        let user = try await SurveyAdminController.requireProvince(req, .manageAwards)
        let l = try await load(req)
        var e = FormErrors(req.t)
        var values: [String: String] = [:]
        for k in ["number", "signed_on", "signer"] { values[k] = NominationController.field(req, k, 200) }
        if l.decision.state != "draft" { e.add("number", message: req.t("decision.error.signedTwice")) }
        let number = e.take("number", FieldRules.name(values["number"]!, max: 100))
        let day = e.take("signed_on", FieldRules.date(values["signed_on"]!)) ?? nil
        if day == nil, !e.list.contains(where: { $0.field == "signed_on" }) { e.add("signed_on", "problem.required") }
        if let day, let held = try await sessionDay(l, on: req.db), day < held { e.add("signed_on", message: req.t("decision.error.beforeSession", held.vietnamese)) }
        let signer = e.take("signer", FieldRules.name(values["signer"]!, max: 200))
        guard e.isEmpty, let number, let day, let signer else { return try await page(req, l, errors: e, values: values, status: .unprocessableEntity) }
        let did = try l.decision.requireID()
        let catalogue = try await AwardController.catalogue(on: req.db)
        let merit = (catalogue.types.first { $0.code == l.decision.awardCode }?.merit ?? true) && l.movement.kind == MovementKind.regular.rawValue
        let year = l.movement.year
        let nominees = l.nominees
        let name = l.decision.awardName
        try await req.db.writing(as: user.actor) { tx, audit in
            guard let d = try await AwardDecision.find(did, on: tx), d.state == "draft" else { throw AppError.refused(key: "decision.error.signedTwice") }
            let before = d.auditSnapshot
            d.number = number
            d.signedOn = day.iso
            d.signer = signer
            d.state = "signed"
            try await d.update(on: tx)
            audit.updated(d, before: before)
            var dossiers: Set<UUID> = []
            for x in nominees {
                let r = AwardRecord()
                r.awardCode = x.awardCode
                r.awardName = name
                r.subjectRaw = x.subjectRaw
                r.personID = x.personID
                r.unitID = x.unitID
                r.year = year
                // The registry holds the number with its symbol, as imported records do.
                r.decisionNumber = number + "/QĐ-UBND"
                r.decisionDate = day.iso
                r.holderName = x.holderName
                r.nomineeID = x.id
                r.merit = merit
                r.source = "decision:" + did.uuidString
                r.createdMs = NominationController.now()
                try await r.create(on: tx)
                audit.created(r)
                dossiers.insert(x.$nomination.id)
            }
            // A dossier is decided when every nominee it passed is in a signed decision.
            let signed = Set(try await AwardDecision.query(on: tx).filter(\.$state != "draft").all().compactMap(\.id))
            try await NominationController.advance(dossiers, from: .voted, to: .decided, when: { x in
                x.result != "passed" || (x.decisionID.map { signed.contains($0) } ?? false)
            }, on: tx, audit: audit)
        }
        return req.redirect(to: DecisionURL.decision(did) + "?ok=saved")
    }

    /// Makes a signed decision public (the public honours page lists it); dossiers all of whose decisions are public
    /// become "published".
    @Sendable static func publish(req: Request) async throws -> Response {
        let user = try await SurveyAdminController.requireProvince(req, .manageAwards)
        let l = try await load(req)
        let did = try l.decision.requireID()
        guard l.decision.state == "signed" else { throw AppError.refused(key: "decision.error.notSigned") }
        let dossiers = Set(l.nominees.map(\.$nomination.id))
        try await req.db.writing(as: user.actor) { tx, audit in
            guard let d = try await AwardDecision.find(did, on: tx), d.state == "signed" else { throw AppError.refused(key: "decision.error.notSigned") }
            let before = d.auditSnapshot
            d.state = "published"
            try await d.update(on: tx)
            audit.updated(d, before: before)
            let published = Set(try await AwardDecision.query(on: tx).filter(\.$state == "published").all().compactMap(\.id))
            try await NominationController.advance(dossiers, from: .decided, to: .published, when: { x in
                x.result != "passed" || (x.decisionID.map { published.contains($0) } ?? false)
            }, on: tx, audit: audit)
        }
        return req.redirect(to: DecisionURL.decision(did) + "?ok=published")
    }

    /// Revokes a signed decision as a whole (a false dossier, an unlawful approval, criteria later found unmet): every
    /// award it gave is marked revoked with the ground, the revoking decision, the reason and what is recovered; the
    /// records stay, with their history in the trail. Twice is refused.
    @Sendable static func revoke(req: Request) async throws -> Response {
        let user = try await SurveyAdminController.requireProvince(req, .manageAwards)
        let l = try await load(req)
        let did = try l.decision.requireID()
        var (form, errors) = Revocation.read(req, givenOn: l.decision.signedOn.flatMap(CivilDate.init(parsing:)))
        if l.decision.state == "draft" { errors.insert(req.t("decision.error.notSigned"), at: 0) }
        if l.decision.state == "revoked" { errors.insert(req.t("award.error.revokedTwice"), at: 0) }
        guard errors.isEmpty, let form else {
            var e = FormErrors(req.t)
            for x in errors { e.add("ground", message: x) }
            return try await page(req, l, errors: e, values: [:], status: .unprocessableEntity)
        }
        try await req.db.writing(as: user.actor) { tx, audit in
            guard let d = try await AwardDecision.find(did, on: tx), d.state == "signed" || d.state == "published" else { throw AppError.conflict }
            let before = d.auditSnapshot
            d.state = "revoked"
            try await d.update(on: tx)
            audit.updated(d, before: before)
            for r in try await AwardRecord.query(on: tx).filter(\.$source == "decision:" + did.uuidString).filter(\.$revokedOn == nil).all() {
                try await form.apply(to: r, on: tx, audit: audit)
            }
        }
        return req.redirect(to: DecisionURL.decision(did) + "?ok=saved")
    }

    /// A certificate to print (A4 landscape) for an award of the registry.
    @Sendable static func certificate(req: Request) async throws -> Response {
        let user = try req.require(.viewAwards)
        guard let id = req.parameters.get("recordID", as: UUID.self), let r = try await AwardRecord.find(id, on: req.db) else { throw AppError.notFound }
        // The same scope as the registry: the holder's unit (a household's award: the province-wide view only).
        if let scope = try await SurveyAdminController.scope(req, user, .viewAwards) {
            var unit = r.unitID
            if let p = r.personID { unit = try await Person.find(p, on: req.db)?.$unit.id }
            guard let unit, scope.contains(unit) else { throw AppError.forbidden }
        }
        var holder = try await AwardRegistryController.holderName(r, on: req.db)
        var unitName = ""
        if let p = r.personID, let person = try await Person.find(p, on: req.db) {
            holder = person.fullName
            unitName = try await Unit.find(person.$unit.id, on: req.db)?.name ?? ""
        }
        return DecisionPages.certificate(req.pageContext, r, holder: holder, unit: unitName, province: try await OfficialDocuments.province(on: req.db)).response()
    }
}

/// The documents the year end produces, in the Decree 30/2020 format.
enum OfficialDocuments {
    struct Province {
        /// "Minh Sơn" (the root unit's name without "Tỉnh" and remarks in brackets).
        let name: String
        var people: String { "ỦY BAN NHÂN DÂN TỈNH " + name.uppercased() }
    }

    static func province(on db: any Database) async throws -> Province {
        var name = try await UnitTree.root(on: db)?.name ?? ""
        if let i = name.firstIndex(of: "(") { name = String(name[..<i]) }
        name = name.trimmingCharacters(in: .whitespaces)
        for prefix in ["ủy ban nhân dân tỉnh ", "ubnd tỉnh ", "tỉnh "] where name.lowercased().hasPrefix(prefix) {
            name = String(name.dropFirst(prefix.count))
            break
        }
        return Province(name: name)
    }

    static func download(_ data: Data, name: String) -> Response {
        let r = Response(status: .ok, body: .init(data: data))
        r.headers.contentType = HTTPMediaType(type: "application", subType: "vnd.openxmlformats-officedocument.wordprocessingml.document")
        r.headers.add(name: .contentDisposition, value: "attachment; filename=\"\(name)\"")
        return r
    }

    /// "phong trào thi đua … năm 2026" as it reads inside a sentence: the name's first letter in lower case when it
    /// starts with "Phong trào", the year added when the name does not say it.
    static func movementPhrase(_ m: AwardMovement) -> String {
        var name = m.name
        if name.hasPrefix("Phong trào") { name = "p" + name.dropFirst() }
        return name.contains(String(m.year)) ? name : name + " năm " + String(m.year)
    }

    static func subjectWord(_ n: [AwardNominee]) -> String {
        let kinds = Set(n.map(\.subjectRaw))
        if kinds == [AwardSubject.individual.rawValue] { return "cá nhân" }
        if kinds == [AwardSubject.collective.rawValue] { return "tập thể" }
        if kinds == [AwardSubject.household.rawValue] { return "hộ gia đình" }
        return "tập thể, cá nhân, hộ gia đình"
    }

    static func decision(_ l: DecisionController.Loaded, award: AwardType?, province: Province, sessionDay: CivilDate?, draftYear: Int) -> OfficialDocument {
        let d = l.decision, m = l.movement
        let movementDay = CivilDate(parsing: m.decisionDate)
        var body: [OfficialDocument.Block] = [
            .heading("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH " + province.name.uppercased(), centred: true),
            .paragraph("Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;"),
        ]
        // The award's own basis (a decree and article), unless it only repeats the Law; the catalogue's "to verify"
        // marks are the office's notes, not the decision's text.
        if let basis = award?.legalBasis.replacingOccurrences(of: " — cần đối chiếu", with: "").trimmingCharacters(in: .whitespaces), !basis.isEmpty,
            !basis.lowercased().hasPrefix("luật thi đua, khen thưởng")
        {
            body.append(.paragraph("Căn cứ " + basis + ";"))
        }
        body.append(.paragraph("Căn cứ Quyết định số " + m.decisionNumber + (movementDay.map { " ngày " + $0.vietnamese } ?? "") + " về việc phát động " + movementPhrase(m) + ";"))
        if let s = sessionDay { body.append(.paragraph("Căn cứ kết quả bỏ phiếu của Hội đồng Thi đua - Khen thưởng tỉnh tại phiên họp ngày " + s.vietnamese + ";")) }
        body.append(.paragraph("Theo đề nghị của Giám đốc Sở Nội vụ."))
        body.append(.heading("QUYẾT ĐỊNH:", centred: true))
        body.append(.paragraph("Điều 1. Tặng " + d.awardName + " cho " + String(l.nominees.count) + " " + subjectWord(l.nominees)
                               + " đã có thành tích xuất sắc trong " + movementPhrase(m) + " (có danh sách kèm theo)."))
        body.append(.table(header: ["STT", "Tập thể, cá nhân", "Đơn vị", "Thành tích"], rows: l.nominees.enumerated().map { i, x in
            [String(i + 1), x.holderName, l.units[x.$nomination.id] ?? "", String(x.achievements.prefix(300))]
        }))
        body.append(.paragraph("Điều 2. Quyết định này có hiệu lực kể từ ngày ký."))
        body.append(.paragraph("Điều 3. Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc Sở Nội vụ, thủ trưởng các cơ quan, đơn vị có liên quan và các tập thể, cá nhân có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này."))
        return OfficialDocument(
            parentBody: "", issuer: province.people, number: d.number, symbol: "QĐ-UBND", place: province.name, date: d.signedOn.flatMap(CivilDate.init(parsing:)),
            draftYear: draftYear, kind: "QUYẾT ĐỊNH", subject: "Về việc tặng " + d.awardName, body: body,
            recipients: ["Như Điều 3", "Ban Thi đua - Khen thưởng Trung ương (để b/c)", "Lưu: VT, SNV"], signerTitle: "CHỦ TỊCH", signerName: d.signer ?? "")
    }

    static func minutes(_ l: CouncilController.Loaded, catalogue: AwardCatalogue, outcomes: [UUID: VoteOutcome], province: Province) -> OfficialDocument {
        let s = l.session
        let day = CivilDate(parsing: s.heldOn)
        let present = l.members.filter(\.present)
        var body: [OfficialDocument.Block] = [
            .paragraph("Hôm nay, ngày " + (day?.vietnamese ?? s.heldOn) + (s.place.isEmpty ? "" : ", tại " + s.place) + ", Hội đồng Thi đua - Khen thưởng tỉnh họp xét khen thưởng " + movementPhrase(l.movement) + "."),
            .heading("I. THÀNH PHẦN", centred: false),
            .paragraph("Chủ trì: " + s.chair + ". Thư ký: " + s.secretary + "."),
            .paragraph("Tổng số thành viên Hội đồng: " + String(l.members.count) + "; có mặt: " + String(present.count) + " (" + present.map(\.name).joined(separator: ", ") + "); vắng mặt: " + String(l.members.count - present.count) + "."),
            .paragraph("Túc số theo quy định: " + s.quorum + " tổng số thành viên. Hình thức biểu quyết: " + (s.isPaper ? "bỏ phiếu kín trên giấy, Ban kiểm phiếu tổng hợp" : "bỏ phiếu kín trực tuyến") + "."),
            .heading("II. KẾT QUẢ BỎ PHIẾU", centred: false),
        ]
        var rows: [[String]] = []
        let talliesByNominee = Dictionary(l.tallies.map { ($0.$nominee.id, $0) }, uniquingKeysWith: { a, _ in a })
        let ordered = l.nominees.values.sorted { ($0.awardCode, $0.holderName) < ($1.awardCode, $1.holderName) }
        for (i, x) in ordered.enumerated() {
            guard let id = x.id, let tally = talliesByNominee[id], let o = outcomes[id] else { continue }
            let name = catalogue.types.first { $0.code == x.awardCode }?.name ?? x.awardCode
            let recused = l.recusals.filter { $0.$nominee.id == id }.count
            rows.append([String(i + 1), x.holderName, name, "\(tally.yes)/\(tally.no)/\(tally.abstain)" + (recused > 0 ? " (" + String(recused) + " rút)" : ""),
                         o.passed ? "Đạt (cần " + String(o.needed) + ")" : "Không đạt (cần " + String(o.needed) + ")"])
        }
        body.append(.table(header: ["STT", "Tập thể, cá nhân", "Hình thức", "Đồng ý/Không/Phiếu trắng", "Kết quả"], rows: rows))
        let recusals = l.recusals.compactMap { r -> String? in
            guard let m = l.members.first(where: { $0.$user.id == r.$user.id }), let x = l.nominees[r.$nominee.id] else { return nil }
            return m.name + " không tham gia biểu quyết đối với " + x.holderName + " (" + r.reason + ")"
        }
        if !recusals.isEmpty { body.append(.paragraph("Thành viên rút khỏi biểu quyết vì xung đột lợi ích: " + recusals.joined(separator: "; ") + ".")) }
        body.append(.paragraph("Biên bản được lập từ kết quả kiểm phiếu; các thành viên dự họp thống nhất thông qua."))
        return OfficialDocument(
            parentBody: province.people, issuer: "HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG", number: nil, symbol: "BB-HĐTĐKT", place: province.name, date: day,
            draftYear: l.movement.year, kind: "BIÊN BẢN", subject: "Họp xét khen thưởng " + movementPhrase(l.movement), body: body, recipients: ["Thành viên Hội đồng", "Lưu: VT, SNV"],
            signerTitle: "CHỦ TỊCH HỘI ĐỒNG", signerName: s.chair)
    }
}
