import Fluent
import Foundation
import Testing
import ThiDuaCore
import Vapor
import VaporTesting

@testable import App

/// Follow-up e-mail (issue 4, "optional e-mail via SMTP when configured"), against a local SMTP sink.
@Suite(.serialized) struct MailTests {
    static func settings(port: Int) throws -> MailSettings {
        var s = MailSettings(host: "127.0.0.1", from: try EmailAddress(validating: "thidua@snv.gov.vn"))
        s.port = port
        s.baseURL = "https://thidua.example.gov.vn/"
        return s
    }

    @Test func theLadderReachesEachPersonByMailOnceADay() async throws {
        let sink = try await SMTPSink.start()
        defer { Task { await sink.stop() } }
        let settings = try Self.settings(port: sink.port)
        // 2 March 2026: the fixture's task (due 30 January, 50 %) is 31 days late — every rung of the ladder hears.
        try await withApp(configure: { $0.fixedToday = CivilDate(year: 2026, month: 3, day: 2); $0.mail = settings }) { app in
            // setup
            let f = try await Fixture.make(on: app.db)
            _ = try await PlanFixture.make(on: app.db, fixture: f)
            let officer = try await app.makeUser("canbo.snv", grants: [(.unitOfficer, f.snv)])
            let head = try await app.makeUser("truong.snv", grants: [(.unitHead, f.snv)])
            let office = try await app.makeUser("cchc", grants: [(.reformOffice, f.root)])
            _ = try await app.makeUser("canbo.stc", grants: [(.unitOfficer, f.stc)])  // another unit: nothing to hear
            _ = try await app.makeUser("khong.thu", grants: [(.unitOfficer, f.snv)])  // no address: no mail
            for (id, address) in [(officer, "canbo.snv@snv.gov.vn"), (head, "Truong.SNV@SNV.gov.vn"), (office, "cchc@snv.gov.vn")] {
                let u = try #require(try await User.find(id, on: app.db))
                u.email = try EmailAddress(validating: address).value
                try await u.update(on: app.db)
            }
            let stc = try #require(try await User.query(on: app.db).filter(\.$username == "canbo.stc").first())
            stc.email = "canbo.stc@stc.gov.vn"
            try await stc.update(on: app.db)

            // act
            let first = try await MailService.runOnce(app, settings: settings)
            let again = try await MailService.runOnce(app, settings: settings)

            // check: three messages, one per rung, none repeated the same day
            #expect(first == MailService.DeliveryResult(sent: 3, retried: 0, failed: 0))
            #expect(again == MailService.DeliveryResult())
            let received = sink.messages
            #expect(Set(received.flatMap(\.to)) == ["<canbo.snv@snv.gov.vn>", "<Truong.SNV@snv.gov.vn>", "<cchc@snv.gov.vn>"])
            let mail = try #require(received.first { $0.to == ["<cchc@snv.gov.vn>"] })
            #expect(mail.from == "<thidua@snv.gov.vn>")
            #expect(mail.body.contains("Ban hành kế hoạch CCHC"))
            #expect(mail.body.contains("Quá hạn 31 ngày — báo Sở Nội vụ"))
            #expect(mail.body.contains("Hạn: 30/01/2026"))
            #expect(mail.body.contains("https://thidua.example.gov.vn/tasks/"))
            #expect(mail.subjectLine?.contains("=?UTF-8?B?") == true)
            let head0 = try #require(received.first { $0.to == ["<Truong.SNV@snv.gov.vn>"] })
            #expect(head0.body.contains("báo lãnh đạo đơn vị") || head0.body.contains("báo Sở Nội vụ"))
            #expect(try await OutboxMail.query(on: app.db).filter(\.$statusRaw == "sent").count() == 3)
        }
    }

    @Test func aRefusedRecipientIsRetriedOrGivenUp() async throws {
        let sink = try await SMTPSink.start()
        defer { Task { await sink.stop() } }
        let settings = try Self.settings(port: sink.port)
        try await withApp(configure: { $0.mail = settings }) { app in
            // setup
            let now = Date(timeIntervalSince1970: 1_790_000_000)
            let to = try EmailAddress(validating: "a@b.vn")
            try await MailService.enqueue(key: "k1", to: to, subject: "Thử", body: "Nội dung", now: now, on: app.db)
            #expect(try await MailService.enqueue(key: "k1", to: to, subject: "Thử", body: "Nội dung", now: now, on: app.db) == false)
            let client = SMTPClient(host: "127.0.0.1", port: sink.port, helo: "test")

            // act: a temporary refusal is retried a minute later, not before
            sink.refuseRecipients(with: "451 try again later")
            let r1 = try await MailService.deliver(settings: settings, now: now, on: app.db) { try await client.send($0) }
            let early = try await MailService.deliver(settings: settings, now: now.addingTimeInterval(30), on: app.db) { try await client.send($0) }
            sink.refuseRecipients(with: nil)
            let r2 = try await MailService.deliver(settings: settings, now: now.addingTimeInterval(61), on: app.db) { try await client.send($0) }

            // check
            #expect(r1 == MailService.DeliveryResult(sent: 0, retried: 1, failed: 0))
            #expect(early == MailService.DeliveryResult())
            #expect(r2 == MailService.DeliveryResult(sent: 1, retried: 0, failed: 0))
            let row = try #require(try await OutboxMail.query(on: app.db).first())
            #expect(row.status == .sent && row.attempts == 2 && row.lastError == nil)
            #expect(sink.messages.count == 1)

            // act: a permanent refusal is given up at once, with the relay's answer kept for the administrator
            try await MailService.enqueue(key: "k2", to: to, subject: "Thử 2", body: "x", now: now, on: app.db)
            sink.refuseRecipients(with: "550 no such user")
            let r3 = try await MailService.deliver(settings: settings, now: now.addingTimeInterval(120), on: app.db) { try await client.send($0) }
            #expect(r3 == MailService.DeliveryResult(sent: 0, retried: 0, failed: 1))
            let failed = try #require(try await OutboxMail.query(on: app.db).filter(\.$dedupeKey == "k2").first())
            #expect(failed.status == .failed)
            #expect(failed.lastError?.contains("550 no such user") == true)

            // act: a relay that is down is a temporary failure
            try await MailService.enqueue(key: "k3", to: to, subject: "Thử 3", body: "x", now: now, on: app.db)
            let down = SMTPClient(host: "127.0.0.1", port: 1, helo: "test")
            let r4 = try await MailService.deliver(settings: settings, now: now.addingTimeInterval(180), on: app.db) { try await down.send($0) }
            #expect(r4 == MailService.DeliveryResult(sent: 0, retried: 1, failed: 0))
        }
    }

    @Test func twoServersNeverSendTheSameMessageTwice() async throws {
        let sink = try await SMTPSink.start()
        defer { Task { await sink.stop() } }
        let settings = try Self.settings(port: sink.port)
        try await withApp(configure: { $0.mail = settings }) { app in
            let now = Date()
            for i in 0..<12 {
                try await MailService.enqueue(key: "m\(i)", to: try EmailAddress(validating: "n\(i)@b.vn"), subject: "S\(i)", body: "B", now: now, on: app.db)
            }
            let client = SMTPClient(host: "127.0.0.1", port: sink.port, helo: "test")
            // Two delivery rounds at once, as two app servers would run them.
            async let a = MailService.deliver(settings: settings, now: now, limit: 8, on: app.db) { try await client.send($0) }
            async let b = MailService.deliver(settings: settings, now: now, limit: 8, on: app.db) { try await client.send($0) }
            let (ra, rb) = try await (a, b)
            let rest = try await MailService.deliver(settings: settings, now: now, on: app.db) { try await client.send($0) }
            #expect(ra.sent + rb.sent + rest.sent == 12)
            #expect(sink.messages.count == 12)
            #expect(Set(sink.messages.flatMap(\.to)).count == 12)
        }
    }

    @Test func administratorsSetAddressesAndSeeTheOutbox() async throws {
        try await withApp { app in
            // setup: mail is off in this deployment
            let f = try await Fixture.make(on: app.db)
            let admin = try await Browser.signIn(try await app.makeUser("quantri", grants: [(.systemAdmin, f.root)]), on: app.db)
            let user = try await app.makeUser("canbo", grants: [(.unitOfficer, f.snv)])

            // act + check: a bad address is refused in Vietnamese and nothing is saved
            let bad = try await app.post("/admin/users/\(user)/email", as: admin, form: ["email": "canbo@@snv"])
            #expect(bad.status == .badRequest)
            #expect(bad.text.contains("Địa chỉ thư điện tử không hợp lệ"))
            #expect(try await User.find(user, on: app.db)?.email == nil)
            let ok = try await app.post("/admin/users/\(user)/email", as: admin, form: ["email": " CanBo@SNV.gov.vn "])
            #expect(ok.status == .seeOther)
            #expect(try await User.find(user, on: app.db)?.email == "CanBo@snv.gov.vn")
            let trail = try await AuditRecord.query(on: app.db).filter(\.$entityType == "user").filter(\.$entityID == user.uuidString).all()
            #expect(trail.contains { ($0.after ?? "").contains("CanBo@snv.gov.vn") })
            // Clearing the address is allowed.
            #expect(try await app.post("/admin/users/\(user)/email", as: admin, form: ["email": ""]).status == .seeOther)
            #expect(try await User.find(user, on: app.db)?.email == nil)

            // The outbox page says mail is off; a test message cannot be queued.
            let page = try await app.get("/admin/mail", as: admin)
            #expect(page.status == .ok)
            #expect(page.text.contains("Chưa bật gửi thư"))
            let test = try await app.post("/admin/mail/test", as: admin, form: ["to": "a@b.vn"])
            #expect(test.status == .unprocessableEntity)
            #expect(try await OutboxMail.query(on: app.db).count() == 0)
        }
    }

    @Test func mailSettingsAreCheckedAtStart() throws {
        #expect(throws: AppConfig.ConfigError.self) { try AppConfig.load(["THIDUA_SMTP_HOST": "mail.snv.local"]) }
        #expect(throws: AppConfig.ConfigError.self) { try AppConfig.load(["THIDUA_SMTP_HOST": "mail.snv.local", "THIDUA_MAIL_FROM": "thidua"]) }
        #expect(throws: AppConfig.ConfigError.self) {
            try AppConfig.load(["THIDUA_SMTP_HOST": "mail.snv.local", "THIDUA_MAIL_FROM": "a@b.vn", "THIDUA_BASE_URL": "javascript:alert(1)"])
        }
        let c = try AppConfig.load(["THIDUA_SMTP_HOST": "mail.snv.local", "THIDUA_MAIL_FROM": "ThiDua@SNV.gov.vn", "THIDUA_SMTP_PORT": "2525"])
        #expect(c.mail?.host == "mail.snv.local" && c.mail?.port == 2525 && c.mail?.from.value == "ThiDua@snv.gov.vn")
        #expect(try AppConfig.load([:]).mail == nil)
    }
}
