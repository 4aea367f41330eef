import Fluent
import Foundation
import Testing
import ThiDuaCore
import Vapor
import VaporTesting

@testable import App

/// Every route × every role (and the public): the route's declared access must be what its handler enforces.
@Suite(.serialized) struct PermissionMatrixTests {
    /// A request for each registered route, with its parameters replaced by real records.
    struct Sample {
        let method: HTTPMethod
        let path: String
        let access: RouteAccess
    }

    static func samples(_ app: Application, ids: [String: String]) -> [Sample] {
        app.routes.all.map { route in
            let path = "/" + route.path.map { component -> String in
                switch component {
                case .parameter(let name): ids[name] ?? "00000000-0000-0000-0000-000000000000"
                default: component.description
                }
            }.joined(separator: "/")
            return Sample(method: route.method, path: path, access: route.declaredAccess ?? .publicAccess)
        }
    }

    @Test func everyRouteDeclaresItsAccess() async throws {
        try await withApp { app in
            let undeclared = app.routes.all.filter { $0.declaredAccess == nil }.map { "\($0.method) \($0.path)" }
            #expect(undeclared.isEmpty, "routes without a declared access: \(undeclared)")
            #expect(app.routes.all.count >= 40)
        }
    }

    @Test func roleByRouteMatrix() async throws {
        try await withApp { app in
            // setup
            let f = try await Fixture.make(on: app.db)
            let person = Person(code: "CB1", fullName: "Nguyễn Văn An", sex: .male, birthYear: 1980, position: "Chuyên viên", unitID: f.snv)
            try await person.create(on: app.db)
            let period = PersonPeriod(personID: try person.requireID(), category: .leave, kind: "study", period: DatePeriod(start: CivilDate(year: 2025, month: 1, day: 1)!, end: nil), reference: nil, note: nil)
            try await period.create(on: app.db)
            let block = EmulationBlock(year: 2026, code: "K1", name: "Khối các sở")
            try await block.create(on: app.db)
            let victim = try await app.makeUser("nguoi.bi.sua", grants: [(.unitOfficer, f.snv)])
            let victimGrant = try await RoleGrant.query(on: app.db).filter(\.$user.$id == victim).first()!
            var users: [Role: UUID] = [:]
            for role in Role.allCases { users[role] = try await app.makeUser("u." + role.rawValue.replacingOccurrences(of: "_", with: "."), grants: [(role, f.root)]) }
            let batch = ImportBatch(userID: users[.systemAdmin]!, kind: "units", fileName: "a.csv", encoding: "UTF-8", payload: "{\"rows\":[]}")
            try await batch.create(on: app.db)
            let index = try await IndexFixture.make(on: app.db, fixture: f, blockID: try block.requireID())
            let plans = try await PlanFixture.make(on: app.db, fixture: f)
            let ids = [
                "planID": plans.plan.uuidString, "taskID": plans.task.uuidString,
                "unitID": f.snv.uuidString, "personID": try person.requireID().uuidString, "periodID": try period.requireID().uuidString,
                "blockID": try block.requireID().uuidString, "userID": victim.uuidString, "grantID": try victimGrant.requireID().uuidString,
                "batchID": try batch.requireID().uuidString, "file": "units.csv", "lang": "en", "type": "unit", "id": f.snv.uuidString,
                "frameworkID": index.framework.uuidString, "cycleID": index.cycle.uuidString, "assessmentID": index.assessment.uuidString,
                "evidenceID": index.evidence.uuidString, "format": "csv", "unitID_public": f.snv.uuidString,
            ]
            var samples = Self.samples(app, ids: ids).filter { $0.path != "/assets/units.csv" }
            // The two evidence downloads share the parameter name; the plan one gets its own record.
            samples = samples.map { s in
                s.path.hasPrefix("/tasks/evidence/") ? Sample(method: s.method, path: "/tasks/evidence/\(plans.evidence)", access: s.access) : s
            }
            var failures: [String] = []

            // act + check: the public
            for s in samples {
                let res = s.method == .GET ? try await app.get(s.path, as: .anonymous) : try await app.post(s.path, as: .anonymous)
                let code = res.status.code
                switch s.access {
                case .publicAccess:
                    if code >= 500 || code == 403 { failures.append("public \(s.method) \(s.path) → \(code)") }
                default:
                    if code != 303 || !(res.location ?? "").hasPrefix("/login") { failures.append("public \(s.method) \(s.path) → \(code)") }
                }
            }
            // act + check: every role, a fresh session for each request (logout must not end the next one)
            for role in Role.allCases {
                for s in samples {
                    let browser = try await Browser.signIn(users[role]!, on: app.db)
                    let res = s.method == .GET ? try await app.get(s.path, as: browser) : try await app.post(s.path, as: browser)
                    let code = res.status.code
                    let allowed: Bool
                    switch s.access {
                    case .publicAccess, .signedIn: allowed = true
                    case .action(let a): allowed = AccessPolicy.permits(role, a)
                    case .allOf(let actions): allowed = actions.allSatisfy { AccessPolicy.permits(role, $0) }
                    case .anyOf(let actions): allowed = actions.contains { AccessPolicy.permits(role, $0) }
                    }
                    if code >= 500 { failures.append("\(role) \(s.method) \(s.path) → \(code) (server error)") }
                    // POST /login answers 401 to the empty credentials this matrix sends: a wrong password, not a refusal.
                    if allowed && (code == 403 || (code == 401 && s.access != .publicAccess)) { failures.append("\(role) \(s.method) \(s.path) → \(code), expected allowed") }
                    if !allowed && code != 403 { failures.append("\(role) \(s.method) \(s.path) → \(code), expected 403") }
                }
            }
            #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
        }
    }

    /// A user who administers one department and is a plain officer in another.
    @Test func adminInOneUnitOfficerInAnother() async throws {
        try await withApp { app in
            // setup
            let f = try await Fixture.make(on: app.db)
            let mixed = try await app.makeUser("hai.vai", grants: [(.systemAdmin, f.snv), (.unitOfficer, f.stc)])
            let stcPerson = Person(code: "CB2", fullName: "Trần Thị Bình", sex: .female, birthYear: 1985, position: nil, unitID: f.stc)
            try await stcPerson.create(on: app.db)
            let stcUser = try await app.makeUser("can.bo.stc", grants: [(.unitOfficer, f.stc)])
            let snvUser = try await app.makeUser("can.bo.snv", grants: [(.unitOfficer, f.snv)])
            let b = try await Browser.signIn(mixed, on: app.db)

            // act + check
            #expect(try await app.get("/units/\(f.snv)/edit", as: b).status == .ok)
            #expect(try await app.get("/units/\(f.snvOffice)/edit", as: b).status == .ok)
            #expect(try await app.get("/units/\(f.stc)/edit", as: b).status == .forbidden)
            #expect(try await app.get("/units/\(f.stc)", as: b).status == .ok)
            #expect(try await app.get("/people/\(stcPerson.requireID())/edit", as: b).status == .ok)
            let stcPeriod = try await app.post("/people/\(stcPerson.requireID())/periods", as: b, form: ["category": "leave", "kind": "study", "start_on": "01/01/2026"])
            #expect(stcPeriod.status == .forbidden)
            #expect(try await app.get("/admin/users/\(snvUser)", as: b).status == .ok)
            #expect(try await app.get("/admin/users/\(stcUser)", as: b).status == .forbidden)
            let grantSTC = try await app.post("/admin/users/\(snvUser)/grants", as: b, form: ["role": "unit_head", "unit_id": f.stc.uuidString])
            #expect(grantSTC.status == .forbidden)
            let list = try await app.get("/admin/users", as: b)
            #expect(list.text.contains("can.bo.snv"))
            #expect(!list.text.contains("can.bo.stc"))
            let newUnderSTC = try await app.post("/units", as: b, form: ["code": "STC-X", "name": "Phòng X", "kind": "office", "parent_id": f.stc.uuidString])
            #expect(newUnderSTC.status == .badRequest)
            #expect(try await Unit.query(on: app.db).filter(\.$code == "STC-X").count() == 0)
        }
    }
}

/// Hostile values in every form field of every POST route never produce a server error.
@Suite struct HostileInputTests {
    static let nasty = [
        "", " ", String(repeating: "x", count: 70_000), "<script>alert(1)</script>", "=1+1", "'; DROP TABLE units; --",
        "\u{0000}\u{0007}", "e\u{0302}\u{0301}\u{0301}\u{0301}", "../../etc/passwd", "-1", "99999999999999999999", "NaN",
        "00000000-0000-0000-0000-000000000000", "31/02/2026", "🙂", "\u{202E}evil",
    ]
    static let fields = ["code", "name", "short_name", "kind", "parent_id", "valid_from", "valid_to", "version", "reason",
                         "full_name", "sex", "birth_year", "position", "unit_id", "year", "rating", "category", "start_on",
                         "end_on", "reference", "note", "codes", "effective_on", "add", "remove", "username", "display_name",
                         "role", "current", "new", "confirm", "password", "next",
                         "title", "unit", "year_from", "year_to", "doc_number", "doc_date", "doc_issuer", "basis", "parent_plan_id",
                         "target", "area", "target_value", "target_unit", "output_kind", "output", "due_on", "lead_unit",
                         "coordinating_units", "officer", "weight", "percent", "achieved", "reported_on", "due_soon_days",
                         "head_after_days", "office_after_days", "holidays", "weekend", "parent_code"]

    @Test func garbageNeverCausesAServerError() async throws {
        try await withApp { app in
            let f = try await Fixture.make(on: app.db)
            let admin = try await app.makeUser("admin", grants: [(.systemAdmin, f.root)])
            let person = Person(code: "CB1", fullName: "Nguyễn Văn An", sex: .male, birthYear: 1980, position: nil, unitID: f.snv)
            try await person.create(on: app.db)
            let block = EmulationBlock(year: 2026, code: "K1", name: "Khối")
            try await block.create(on: app.db)
            let plans = try await PlanFixture.make(on: app.db, fixture: f)
            let ids = ["planID": plans.plan.uuidString, "taskID": plans.task.uuidString,
                       "unitID": f.snv.uuidString, "personID": try person.requireID().uuidString, "blockID": try block.requireID().uuidString,
                       "userID": admin.uuidString, "periodID": UUID().uuidString, "grantID": UUID().uuidString, "batchID": UUID().uuidString]
            let posts = PermissionMatrixTests.samples(app, ids: ids).filter { $0.method == .POST && $0.path != "/logout" }
            var failures: [String] = []
            for (i, value) in Self.nasty.enumerated() {
                for s in posts {
                    let b = try await Browser.signIn(admin, on: app.db)
                    var form: [String: String] = [:]
                    for (j, field) in Self.fields.enumerated() { form[field] = Self.nasty[(i + j) % Self.nasty.count] }
                    form["code"] = value
                    let res = try await app.post(s.path, as: b, form: form)
                    if res.status.code >= 500 { failures.append("\(s.path) ← \(value.prefix(20)) → \(res.status.code)") }
                    if res.text.contains("<script>alert") { failures.append("\(s.path) echoed script unescaped") }
                }
            }
            #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
            #expect(try await AuditVerification.verify(on: app.db).failure == nil)
        }
    }
}
