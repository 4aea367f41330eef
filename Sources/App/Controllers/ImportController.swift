import Fluent
import Vapor
import ThiDuaCore

/// Units and people from CSV or XLSX: upload → dry run with row-level problems → commit in one transaction.
/// The parsed rows wait in the database between the two steps, and the plan is recomputed on commit against
/// the registry as it is then.
enum ImportController {
    enum Kind: String, CaseIterable, Sendable { case units, people, procedures, dossiers, awards }

    struct Payload: Codable, Sendable { let rows: [[String]] }

    @Sendable static func form(req: Request) async throws -> Response {
        _ = try req.require(.importData)
        let kind = (try? req.query.get(String.self, at: "kind")).flatMap(Kind.init(rawValue:))
        return ImportPages.form(req.pageContext, error: nil, kind: kind).response()
    }

    struct Upload: Content {
        var kind: String?
        var file: File?
    }

    @Sendable static func preview(req: Request) async throws -> Response {
        let user = try req.require(.importData)
        let t = req.t
        let upload = try? req.content.decode(Upload.self)
        guard let kind = Kind(rawValue: upload?.kind ?? "") else {
            return ImportPages.form(req.pageContext, error: t("import.chooseKind"), kind: nil).response(status: .badRequest)
        }
        guard let file = upload?.file, file.data.readableBytes > 0 else {
            return ImportPages.form(req.pageContext, error: t("import.noFile"), kind: kind).response(status: .badRequest)
        }
        let limit = req.application.config.maxUploadBytes
        guard file.data.readableBytes <= limit else {
            return ImportPages.form(req.pageContext, error: t("import.tooLarge", String(req.application.config.maxUploadMB)), kind: kind)
                .response(status: .payloadTooLarge)
        }
        let bytes = Array(file.data.readableBytesView)
        let rows: [[String]]
        let encoding: String
        do {
            (rows, encoding) = try SpreadsheetInput.rows(from: bytes, maxRows: 60_000)
        } catch {
            let message = t.lang == .vi ? error.messageVI : error.messageEN
            return ImportPages.form(req.pageContext, error: message, kind: kind).response(status: .unprocessableEntity)
        }
        let payload = String(decoding: try JSONEncoder().encode(Payload(rows: rows)), as: UTF8.self)
        let name = String(VietnameseText.normalize(file.filename).prefix(200))
        let batch = ImportBatch(userID: user.id, kind: kind.rawValue, fileName: name, encoding: encoding, payload: payload)
        try await req.db.inWriteTurn { try await batch.create(on: req.db) }
        return req.redirect(to: SiteURL.importBatch(try batch.requireID()).path)
    }

    @Sendable static func show(req: Request) async throws -> Response {
        let user = try req.require(.importData)
        let batch = try await findBatch(req, user)
        let plan = try await ImportPlanner.plan(batch, user: user, on: req.db)
        return ImportPages.preview(req.pageContext, batch: batch, plan: plan).response()
    }

    @Sendable static func commit(req: Request) async throws -> Response {
        let user = try req.require(.importData)
        let batch = try await findBatch(req, user)
        guard !batch.committed else { return req.redirect(to: SiteURL.importBatch(try batch.requireID()).path) }
        let plan = try await ImportPlanner.plan(batch, user: user, on: req.db)
        guard plan.isCommittable else {
            return ImportPages.preview(req.pageContext, batch: batch, plan: plan).response(status: .unprocessableEntity)
        }
        try await ImportPlanner.commit(plan, batch: batch, actor: user.actor, on: req.db)
        return req.redirect(to: SiteURL.importBatch(try batch.requireID()).path + "?ok=imported")
    }

    static func findBatch(_ req: Request, _ user: CurrentUser) async throws -> ImportBatch {
        guard let id = req.parameters.get("batchID", as: UUID.self),
            let batch = try await ImportBatch.find(id, on: req.db), batch.$user.id == user.id
        else { throw AppError.notFound }
        return batch
    }
}

/// Turns uploaded bytes into rows of text: XLSX by its ZIP signature, anything else as text in whatever
/// encoding it arrived in (UTF-8/16, Windows-1258, TCVN3), normalised to NFC.
enum SpreadsheetInput {
    static func rows(from bytes: [UInt8], maxRows: Int) throws(SpreadsheetError) -> ([[String]], String) {
        let data = Data(bytes)
        if XLSXReader.looksLikeZip(data) {
            let rows = try XLSXReader.read(data, maxUncompressedBytes: 200 * 1024 * 1024, maxRows: maxRows)
            return (rows.map { $0.map { VietnameseText.normalize($0) } }, "XLSX")
        }
        if bytes.prefix(1024).contains(0) && !(bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF])) {
            throw .notASpreadsheet
        }
        let decoded = LegacyText.decode(bytes)
        let rows = try CSVCodec.parse(decoded.text, maxRows: maxRows)
        return (rows.map { $0.map { VietnameseText.normalize($0) } }, decoded.encoding.label)
    }
}

enum ImportPlanner {
    enum Plan: Sendable {
        case units(ImportPlan<UnitDraft>)
        case people(ImportPlan<PersonDraft>)
        case procedures(ImportPlan<ProcedureDraft>)
        case dossiers(ImportPlan<DossierDraft>)
        case awards(ImportPlan<AwardRecordDraft>)

        var isCommittable: Bool {
            switch self {
            case .units(let p): p.isCommittable
            case .people(let p): p.isCommittable
            case .procedures(let p): p.isCommittable
            case .dossiers(let p): p.isCommittable
            case .awards(let p): p.isCommittable
            }
        }
    }

    static func plan(_ batch: ImportBatch, user: CurrentUser, on db: any Database) async throws -> Plan {
        let rows = (try? JSONDecoder().decode(ImportController.Payload.self, from: Data(batch.payload.utf8)).rows) ?? []
        let units = try await Unit.query(on: db).all()
        var byCode: [String: Unit] = [:]
        for u in units { byCode[u.code] = u }
        var paths: [String: [UUID]] = [:]
        func path(_ code: String) -> [UUID] {
            if let p = paths[code] { return p }
            var out: [UUID] = []
            var cursor = byCode[code]
            while let u = cursor, let id = u.id, out.count < 32, !out.contains(id) {
                out.append(id)
                cursor = u.$parent.id.flatMap { pid in units.first { $0.id == pid } }
            }
            paths[code] = out
            return out
        }
        switch ImportController.Kind(rawValue: batch.kind) {
        case .units:
            let existing = byCode.mapValues { u in
                ExistingUnitRef(code: u.code, name: u.name, parentCode: u.$parent.id.flatMap { pid in units.first { $0.id == pid }?.code })
            }
            return .units(
                UnitImport.plan(rows: rows, existing: existing) { parentCode in
                    // A parent created by the same file: the right on the file's top existing ancestor decides.
                    guard let parentCode, byCode[parentCode] != nil else { return parentCode != nil && user.can(.editUnits) }
                    return AccessPolicy.allows(user.grants, .editUnits, unitPath: path(parentCode))
                })
        case .procedures:
            let existing = Set(try await ProcedureModel.query(on: db).all(\.$code))
            var plan = ProcedureImport.plan(rows: rows, existingCodes: existing)
            // The catalogue is province-wide: it needs the right on the root unit.
            let root = units.first { $0.$parent.id == nil }?.id
            if let root, !AccessPolicy.allowsProvinceWide(user.grants, .managePerformance, rootID: root) {
                plan.issues.insert(RowIssue(row: 1, column: nil, problem: .forbidden), at: 0)
            }
            return .procedures(plan)
        case .dossiers:
            let named = DossierImport.codes(rows: rows)
            let stored = try await DossierService.storedCodes(among: named.dossiers, on: db)
            let procedures = Set(try await ProcedureModel.query(on: db).all(\.$code))
            let root = units.first { $0.$parent.id == nil }?.id
            let provinceWide = root.map { AccessPolicy.allowsProvinceWide(user.grants, .managePerformance, rootID: $0) } ?? false
            let known = DossierImport.Known(dossierCodes: stored, procedureCodes: procedures, unitCodes: Set(byCode.keys))
            return .dossiers(
                DossierImport.plan(rows: rows, known: known) { code in
                    byCode[code] == nil ? provinceWide : AccessPolicy.allows(user.grants, .managePerformance, unitPath: path(code))
                })
        case .awards:
            let catalogue = try await AwardController.catalogue(on: db)
            var stored = Set<String>()
            let people = try await Person.query(on: db).all()
            let personCode = Dictionary(people.compactMap { p in p.id.map { ($0, p.code) } }, uniquingKeysWith: { a, _ in a })
            let unitCode = Dictionary(units.compactMap { u in u.id.map { ($0, u.code) } }, uniquingKeysWith: { a, _ in a })
            for r in try await AwardRecord.query(on: db).all() {
                stored.insert(AwardRegistryImport.key(award: r.awardCode, personCode: r.personID.flatMap { personCode[$0] }, unitCode: r.unitID.flatMap { unitCode[$0] }, year: r.year))
            }
            let known = AwardRegistryImport.Known(
                awards: Dictionary(catalogue.types.map { ($0.code, $0.subject) }, uniquingKeysWith: { a, _ in a }), personCodes: Set(people.map(\.code)),
                unitCodes: Set(byCode.keys), stored: stored)
            var plan = AwardRegistryImport.plan(rows: rows, known: known, thisYear: CivilDate.today().year)
            let root = units.first { $0.$parent.id == nil }?.id
            if let root, !AccessPolicy.allowsProvinceWide(user.grants, .manageAwards, rootID: root) {
                plan.issues.insert(RowIssue(row: 1, column: nil, problem: .forbidden), at: 0)
            }
            return .awards(plan)
        case .people, .none:
            let resolver = UnitResolver(units: units.map { ($0.code, $0.name) })
            let existingCodes = Set(try await Person.query(on: db).all(\.$code))
            return .people(
                PersonImport.plan(rows: rows, units: resolver, existingCodes: existingCodes, thisYear: CivilDate.today().year) { code in
                    AccessPolicy.allows(user.grants, .editPeople, unitPath: path(code))
                })
        }
    }

    /// Writes the whole plan in one transaction; any failure leaves nothing behind.
    static func commit(_ plan: Plan, batch: ImportBatch, actor: Actor, on db: any Database) async throws {
        let batchID = try batch.requireID()
        let reason = "import: " + batch.fileName
        try await db.writing(as: actor, reason: reason) { tx, audit in
            switch plan {
            case .units(let p):
                var ids: [String: UUID] = [:]
                for u in try await Unit.query(on: tx).all() { if let id = u.id { ids[u.code] = id } }
                for d in p.drafts {
                    let parentID = d.parentCode.flatMap { ids[$0] }
                    if let existing = try await Unit.query(on: tx).filter(\.$code == d.code).first() {
                        let before = existing.auditSnapshot
                        existing.$parent.id = parentID
                        existing.set(name: d.name, shortName: d.shortName, kind: d.kind, validFrom: d.validFrom, validTo: d.validTo)
                        existing.version += 1
                        try await existing.update(on: tx)
                        audit.updated(existing, before: before)
                    } else {
                        let unit = Unit(code: d.code, name: d.name, shortName: d.shortName, kind: d.kind, parentID: parentID, validFrom: d.validFrom, validTo: d.validTo)
                        try await unit.create(on: tx)
                        ids[d.code] = try unit.requireID()
                        audit.created(unit)
                    }
                }
            case .procedures(let p):
                for d in p.drafts {
                    if let existing = try await ProcedureModel.query(on: tx).filter(\.$code == d.code).first() {
                        let before = existing.auditSnapshot
                        existing.set(d)
                        try await existing.update(on: tx)
                        audit.updated(existing, before: before)
                    } else {
                        let m = ProcedureModel(d)
                        try await m.create(on: tx)
                        audit.created(m)
                    }
                }
            case .awards(let p):
                let catalogue = try await AwardController.catalogue(on: tx)
                var people: [String: UUID] = [:]
                for person in try await Person.query(on: tx).filter(\.$code ~~ p.drafts.compactMap(\.personCode)).all() { people[person.code] = person.id }
                var unitIDs: [String: UUID] = [:]
                for u in try await Unit.query(on: tx).filter(\.$code ~~ p.drafts.compactMap(\.unitCode)).all() { unitIDs[u.code] = u.id }
                for d in p.drafts {
                    guard let type = catalogue.types.first(where: { $0.code == d.awardCode }) else { throw AppError.conflict }
                    let r = AwardRecord()
                    r.awardCode = d.awardCode
                    r.awardName = type.name
                    r.subjectRaw = type.subject.rawValue
                    r.personID = d.personCode.flatMap { people[$0] }
                    r.unitID = d.unitCode.flatMap { unitIDs[$0] }
                    guard r.personID != nil || r.unitID != nil else { throw AppError.conflict }
                    r.year = d.year
                    r.decisionNumber = d.decisionNumber
                    r.decisionDate = d.decisionDate.iso
                    r.merit = d.merit
                    r.source = "import:" + batch.fileName
                    r.createdMs = Int64(Date().timeIntervalSince1970 * 1000)
                    try await r.create(on: tx)
                    audit.created(r)
                }
            case .dossiers(let p):
                let clock = try await DossierService.clock(on: tx)
                _ = try await DossierService.store(p.drafts.map(\.input), source: "web:" + batch.fileName, clock: clock, on: tx, audit: audit)
            case .people(let p):
                var ids: [String: UUID] = [:]
                for u in try await Unit.query(on: tx).all() { if let id = u.id { ids[u.code] = id } }
                for d in p.drafts {
                    guard let unitID = ids[d.unitCode] else { throw AppError.conflict }
                    if let existing = try await Person.query(on: tx).filter(\.$code == d.code).first() {
                        let before = existing.auditSnapshot
                        existing.set(fullName: d.fullName, sex: d.sex, birthYear: d.birthYear, position: d.position, unitID: unitID)
                        existing.version += 1
                        try await existing.update(on: tx)
                        audit.updated(existing, before: before)
                    } else {
                        let person = Person(code: d.code, fullName: d.fullName, sex: d.sex, birthYear: d.birthYear, position: d.position, unitID: unitID)
                        try await person.create(on: tx)
                        audit.created(person)
                    }
                }
            }
            guard let b = try await ImportBatch.find(batchID, on: tx) else { throw AppError.notFound }
            b.committed = true
            try await b.update(on: tx)
        }
    }
}
