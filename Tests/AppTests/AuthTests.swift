import Fluent
import Foundation
import Testing
import ThiDuaCore
import Vapor
import VaporTesting

@testable import App

@Suite struct AuthTests {
    @Test func signInSetsAHashedSessionAndSignOutEndsIt() async throws {
        try await withApp { app in
            // setup
            let f = try await Fixture.make(on: app.db)
            _ = try await app.makeUser("can.bo", password: "Dung-mat-khau-1", grants: [(.unitOfficer, f.snv)])
            // act
            let res = try await app.post("/login", as: .anonymous, form: ["username": "Can.Bo", "password": "Dung-mat-khau-1", "next": "/units"])
            // check
            #expect(res.status == .seeOther)
            #expect(res.location == "/units")
            let cookie = try #require(res.headers.setCookie?["thidua_session"])
            #expect(cookie.isHTTPOnly)
            #expect(cookie.sameSite == .lax)
            let stored = try await UserSession.query(on: app.db).all()
            #expect(stored.count == 1)
            #expect(stored[0].tokenHash != cookie.string)
            let b = Browser(sessionToken: cookie.string)
            let units = try await app.get("/units", as: b)
            #expect(units.status == .ok)
            #expect(!units.text.contains("clock-banner"))  // a real clock: no fixed-date banner
            let out = try await app.post("/logout", as: b)
            #expect(out.status == .seeOther)
            #expect(try await UserSession.query(on: app.db).count() == 0)
            #expect(try await app.get("/units", as: b).status == .seeOther)
        }
    }

    @Test func wrongPasswordIsRefusedAndRepeatedFailuresLockTheAccount() async throws {
        try await withApp { app in
            let f = try await Fixture.make(on: app.db)
            _ = try await app.makeUser("can.bo", password: "Dung-mat-khau-1", grants: [(.unitOfficer, f.snv)])
            let wrong = try await app.post("/login", as: .anonymous, form: ["username": "can.bo", "password": "sai"])
            #expect(wrong.status == .unauthorized)
            #expect(wrong.text.contains("Tên đăng nhập hoặc mật khẩu không đúng"))
            for _ in 0..<4 { _ = try await app.post("/login", as: .anonymous, form: ["username": "can.bo", "password": "sai"]) }
            // Even the right password is refused while locked; the failures live in the database.
            let locked = try await app.post("/login", as: .anonymous, form: ["username": "can.bo", "password": "Dung-mat-khau-1"])
            #expect(locked.status == .tooManyRequests)
            #expect(locked.text.contains("thử lại sau"))
            #expect(try await LoginFailure.query(on: app.db).count() == 10)
        }
    }

    @Test func formsWithoutTheRightCSRFTokenAreRefused() async throws {
        try await withApp { app in
            let f = try await Fixture.make(on: app.db)
            let id = try await app.makeUser("admin", grants: [(.systemAdmin, f.root)])
            let b = try await Browser.signIn(id, on: app.db)
            let forged = try await app.post("/units", as: b, form: ["_csrf": "forged-token", "code": "X1", "name": "Phòng X", "kind": "office", "parent_id": f.snv.uuidString])
            #expect(forged.status == .forbidden)
            #expect(forged.text.contains("CSRF"))
            var headers = HTTPHeaders()
            headers.add(name: .cookie, value: "thidua_session=\(b.sessionToken!)")
            headers.contentType = .urlEncodedForm
            try await app.testing().test(.POST, "/units", headers: headers, body: ByteBuffer(string: "code=X2&name=Y&kind=office")) { res in
                #expect(res.status == .forbidden)
            }
            #expect(try await Unit.query(on: app.db).filter(\.$code ~~ ["X1", "X2"]).count() == 0)
        }
    }

    @Test func securityHeadersAndFriendlyErrorPages() async throws {
        try await withApp { app in
            let res = try await app.get("/khong-co-trang-nay", as: .anonymous)
            #expect(res.status == .notFound)
            #expect(res.text.contains("Không tìm thấy trang"))
            #expect(res.headers.first(name: "Content-Security-Policy")?.contains("script-src 'self'") == true)
            #expect(res.headers.first(name: "X-Frame-Options") == "DENY")
            #expect(res.headers.first(name: "X-Content-Type-Options") == "nosniff")
            try await app.testing().test(.GET, "/login") { login in
                let csrf = try #require(login.headers.setCookie?["thidua_csrf"])
                #expect(csrf.isHTTPOnly && csrf.sameSite == .strict)
                #expect(login.body.string.contains("name=\"_csrf\" value=\"\(csrf.string)\""))
            }
        }
    }

    /// PostgreSQL refuses NUL in text; the app refuses it first, on both databases alike.
    @Test func nulCharactersAreRefusedAtTheEdge() async throws {
        try await withApp { app in
            let nul = String(Character(Unicode.Scalar(0)))
            let login = try await app.post("/login", as: .anonymous, form: ["username": "a" + nul + "b", "password": "x"])
            #expect(login.status == .badRequest)
            #expect(try await app.get("/units?q=%00", as: .anonymous).status == .badRequest)
            #expect(try await LoginFailure.query(on: app.db).count() == 0)
        }
    }

    /// A form large enough to arrive in several chunks through a real socket: the middlewares that read the
    /// body must leave it to the handler (consuming the stream twice would hang the request).
    @Test func largeFormsThroughARealServerAreReadOnce() async throws {
        try await withApp { app in
            let f = try await Fixture.make(on: app.db)
            let id = try await app.makeUser("admin", grants: [(.systemAdmin, f.root)])
            let b = try await Browser.signIn(id, on: app.db)
            var headers = b.headers()
            headers.contentType = .urlEncodedForm
            let body = b.form(["code": "BIG", "name": "Phòng lớn", "kind": "office", "parent_id": f.snv.uuidString,
                               "reason": String(repeating: "x", count: 300_000)])
            try await app.testing(method: .running(port: 0)).test(.POST, "/units", headers: headers, body: ByteBuffer(string: body)) { res in
                // The client follows the redirect to the new unit's page.
                #expect(res.status == .ok)
                #expect(res.body.string.contains("Phòng lớn"))
            }
            #expect(try await Unit.query(on: app.db).filter(\.$code == "BIG").count() == 1)
        }
    }

    @Test func redirectsStayOnThisSite() {
        #expect(AuthController.safeNext("//evil.example/x") == "/")
        #expect(AuthController.safeNext("https://evil.example") == "/")
        #expect(AuthController.safeNext("/\\evil") == "/")
        #expect(AuthController.safeNext("/units?q=a") == "/units?q=a")
    }

    @Test func passwordChangeChecksTheRulesAndSignsOutOtherSessions() async throws {
        try await withApp { app in
            let f = try await Fixture.make(on: app.db)
            let id = try await app.makeUser("can.bo", password: "Mat-khau-cu-1", grants: [(.unitOfficer, f.snv)])
            let b = try await Browser.signIn(id, on: app.db)
            let other = try await Browser.signIn(id, on: app.db)
            let weak = try await app.post("/account/password", as: b, form: ["current": "Mat-khau-cu-1", "new": "ngan", "confirm": "ngan"])
            #expect(weak.status == .badRequest)
            #expect(weak.text.contains("quá ngắn"))
            let ok = try await app.post("/account/password", as: b, form: ["current": "Mat-khau-cu-1", "new": "Mat-khau-moi-2026", "confirm": "Mat-khau-moi-2026"])
            #expect(ok.status == .ok)
            #expect(try await app.get("/units", as: b).status == .ok)
            #expect(try await app.get("/units", as: other).status == .seeOther)
            let user = try #require(try await User.find(id, on: app.db))
            #expect(try Bcrypt.verify("Mat-khau-moi-2026", created: user.passwordHash))
        }
    }

    @Test func languageSwitchKeepsThePage() async throws {
        try await withApp { app in
            let res = try await app.get("/lang/en?next=%2Flogin", as: .anonymous)
            #expect(res.status == .seeOther)
            #expect(res.location == "/login")
            var headers = HTTPHeaders()
            headers.add(name: .cookie, value: "thidua_lang=en")
            try await app.testing().test(.GET, "/login", headers: headers) { res in
                #expect(res.body.string.contains("Sign in"))
                #expect(res.body.string.contains("lang=\"en\""))
            }
        }
    }

    @Test func healthAndMetrics() async throws {
        try await withApp { app in
            #expect(try await app.get("/healthz", as: .anonymous).text == "{\"status\":\"ok\"}")
            _ = try await app.get("/login", as: .anonymous)
            let metrics = try await app.get("/metrics", as: .anonymous)
            #expect(metrics.status == .ok)
            #expect(metrics.text.contains("http_requests_total"))
            #expect(metrics.text.contains("http_request_duration_seconds"))
        }
    }
}
