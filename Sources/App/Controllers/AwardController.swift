import Fluent
import Foundation
import Vapor
import ThiDuaCore

enum AwardURL {
    static let home = "/awards"
    static let catalogue = "/awards/catalogue"
    static let eligibility = "/awards/eligibility"
    static let registry = "/awards/registry"
}

/// Emulation and rewards (issue 8), first part: the award catalogue with its eligibility rules as data (a province
/// setting the reform office edits), and each rule checked against a person's records — met, not met or to confirm,
/// with the data behind it.
enum AwardController {
    static let catalogueKey = "award_catalogue"

    static func catalogue(on db: any Database) async throws -> AwardCatalogue {
        guard let s = try await ProvinceSetting.find(catalogueKey, on: db), let c = try? JSONDecoder().decode(AwardCatalogue.self, from: Data(s.json.utf8))
        else { return .starting }
        return c
    }

    @Sendable static func index(req: Request) async throws -> Response {
        _ = try req.require(.viewAwards)
        let canManage = (try? await SurveyAdminController.requireProvince(req, .manageAwards)) != nil
        return AwardPages.index(req.pageContext, try await catalogue(on: req.db), canManage: canManage).response()
    }

    @Sendable static func editCatalogue(req: Request) async throws -> Response {
        _ = try await SurveyAdminController.requireProvince(req, .manageAwards)
        let json = String(decoding: try JSONEncoder.pretty.encode(try await catalogue(on: req.db)), as: UTF8.self)
        return AwardPages.edit(req.pageContext, json: json, errors: []).response()
    }

    @Sendable static func saveCatalogue(req: Request) async throws -> Response {
        let user = try await SurveyAdminController.requireProvince(req, .manageAwards)
        let t = req.t
        let raw = String(((try? req.content.get(String.self, at: "json")) ?? "").prefix(200_000))
        var errors: [String] = []
        let parsed = try? JSONDecoder().decode(AwardCatalogue.self, from: Data(raw.utf8))
        if let parsed {
            for p in parsed.problems {
                switch p {
                case .empty: errors.append(t("award.error.empty"))
                case .badCode(let c): errors.append(t("award.error.code", c))
                case .duplicateCode(let c): errors.append(t("award.error.duplicate", c))
                case .missingName(let c): errors.append(t("award.error.name", c))
                case .badYears(let c): errors.append(t("award.error.years", c))
                case .badThreshold(let c): errors.append(t("award.error.threshold", c))
                case .unknownTitle(let c, let a): errors.append(t("award.error.unknownTitle", c, a))
                }
            }
            for type in parsed.types {
                for text in [type.name, type.authority, type.legalBasis] {
                    if case .failure(let p) = FieldRules.name(text, max: 500) { errors.append(type.code + ": " + t.problem(p.key, p.argument)) }
                }
            }
        } else {
            errors.append(t("award.error.json"))
        }
        guard errors.isEmpty, let parsed else {
            return AwardPages.edit(req.pageContext, json: raw, errors: errors).response(status: .unprocessableEntity)
        }
        let json = String(decoding: try JSONEncoder.sorted.encode(parsed), as: UTF8.self)
        try await req.db.writing(as: user.actor) { tx, audit in try await ProvinceSetting.save(catalogueKey, json: json, on: tx, audit: audit) }
        return req.redirect(to: AwardURL.home + "?ok=saved")
    }

    /// `?person=CODE&award=CODE&year=YYYY` (an individual award) or `?unit=CODE&…` (a collective one): every rule of
    /// the award checked against the holder's records.
    @Sendable static func eligibility(req: Request) async throws -> Response {
        let user = try req.require(.viewAwards)
        let catalogue = try await catalogue(on: req.db)
        func param(_ k: String) -> String { ((try? req.query.get(String.self, at: k)) ?? "").trimmingCharacters(in: .whitespaces).uppercased() }
        let code = param("person"), unitCode = param("unit")
        let awardCode = (try? req.query.get(String.self, at: "award")) ?? ""
        let year = (try? req.query.get(Int.self, at: "year")).flatMap { (2000...2100).contains($0) ? $0 : nil } ?? req.application.today.year
        let award = catalogue.types.first { $0.code == awardCode }
        let scope = try await SurveyAdminController.scope(req, user, .viewAwards)
        var check: AwardPages.Check?
        var error: String?
        func run(_ holder: String, _ unit: String, _ record: NomineeRecord, _ award: AwardType) {
            let day = req.application.today
            let results = award.rules.map { ($0, Eligibility.evaluate($0, record, year: year, referenceDay: day)) }
            check = AwardPages.Check(holder: holder, unit: unit, award: award, year: year, results: results, overall: Eligibility.overall(results.map(\.1)))
        }
        if !code.isEmpty || !unitCode.isEmpty {
            if let award, award.subject == .individual, !code.isEmpty {
                if let person = try await Person.query(on: req.db).filter(\.$code == code).first() {
                    if let scope, !scope.contains(person.$unit.id) { throw AppError.forbidden }
                    run(person.fullName, try await Unit.find(person.$unit.id, on: req.db)?.name ?? "", try await AwardRecords.record(of: person, on: req.db), award)
                } else {
                    error = req.t("award.error.person", code)
                }
            } else if let award, award.subject != .individual, !unitCode.isEmpty {
                if let unit = try await Unit.query(on: req.db).filter(\.$code == unitCode).first() {
                    let id = try unit.requireID()
                    if let scope, !scope.contains(id) { throw AppError.forbidden }
                    run(unit.name, unit.code, try await AwardRecords.record(ofUnit: id, on: req.db), award)
                } else {
                    error = req.t("award.error.unit", unitCode)
                }
            } else {
                error = req.t("award.error.chooseAward")
            }
        }
        return AwardPages.eligibility(req.pageContext, catalogue: catalogue, personCode: code, unitCode: unitCode, awardCode: awardCode, year: year, check: check,
                                      error: error)
            .response(status: error == nil ? .ok : .unprocessableEntity)
    }
}

/// What the rules read of a person: ratings, discipline, pending cases and leave (the registry), recognised
/// initiatives, the unit's PAR Index band from the published results, and the titles of the award registry (revoked
/// awards do not count).
enum AwardRecords {
    static func record(of person: Person, on db: any Database) async throws -> NomineeRecord {
        let pid = try person.requireID()
        var r = NomineeRecord()
        for rating in try await PerformanceRatingRecord.query(on: db).filter(\.$person.$id == pid).all() {
            if let v = rating.rating { r.ratings[rating.year] = v }
        }
        for p in try await PersonPeriod.query(on: db).filter(\.$person.$id == pid).all() {
            guard let period = p.period else { continue }
            let span = NomineeRecord.Span(from: period.start, to: period.end)
            switch p.category {
            case .discipline: r.discipline.append(span)
            case .pendingCase: if let k = PendingCaseKind(rawValue: p.kind) { r.pendingCases.append((k, span)) }
            case .leave: if p.kind == LeaveKind.maternity.rawValue { r.maternityLeave.append(span) }
            }
        }
        r.initiatives = try await InitiativeRecords.recognitions(of: pid, on: db).map { ($0.level, $0.decidedOn.year) }
        r.titles = try await AwardRecord.query(on: db).filter(\.$personID == pid).filter(\.$revokedOn == nil).all()
            .map { NomineeRecord.Title(award: $0.awardCode, year: $0.year, merit: $0.merit) }
        r.unitBands = try await unitBands(person.$unit.id, on: db)
        return r
    }

    /// What the rules read of a unit: its titles and those of the units it was formed from (through mergers), and its
    /// PAR Index band.
    static func record(ofUnit unit: UUID, on db: any Database) async throws -> NomineeRecord {
        var r = NomineeRecord()
        let family = try await AwardRegistryController.lineage(of: unit, on: db).map(\.0)
        r.titles = try await AwardRecord.query(on: db).filter(\.$unitID ~~ family).filter(\.$revokedOn == nil).all()
            .map { NomineeRecord.Title(award: $0.awardCode, year: $0.year, merit: $0.merit) }
        r.unitBands = try await unitBands(unit, on: db)
        return r
    }

    /// The unit's band in each year's latest published PAR Index.
    static func unitBands(_ unit: UUID, on db: any Database) async throws -> [Int: String] {
        try await PublicationPayload.latestByYear(on: db).compactMapValues { payload in
            payload.results.first { $0.unitID.uppercased() == unit.uuidString.uppercased() }?.band
        }
    }
}
