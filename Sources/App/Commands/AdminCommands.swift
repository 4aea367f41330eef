import Fluent
import SQLKit
import Vapor
import ThiDuaCore

struct UserCreateCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "username") var username: String?
        @Option(name: "password", help: "bỏ trống để sinh ngẫu nhiên / empty: generated") var password: String?
        @Option(name: "name") var name: String?
        @Option(name: "role", help: "system_admin | reform_office | unit_head | unit_officer | appraiser | council_member | leader") var role: String?
        @Option(name: "unit", help: "mã đơn vị / unit code") var unit: String?
        @Option(name: "email", help: "thư điện tử nhận nhắc việc / e-mail for reminders") var email: String?
    }

    var help: String { "Tạo tài khoản / create an account" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let username = (signature.username ?? "").lowercased()
        guard UserAccounts.isValidUsername(username) else { throw CommandFailure("Tên đăng nhập không hợp lệ (a-z, 0-9, . _ -, 3–64 ký tự)") }
        guard let role = Role(rawValue: signature.role ?? "") else { throw CommandFailure("Vai trò không hợp lệ: --role") }
        guard let unit = try await Unit.query(on: app.db).filter(\.$code == (signature.unit ?? "").uppercased()).first(), let unitID = unit.id else {
            throw CommandFailure("Không tìm thấy đơn vị: --unit")
        }
        guard try await User.query(on: app.db).filter(\.$username == username).count() == 0 else { throw CommandFailure("Tên đăng nhập đã tồn tại") }
        var email: String?
        if let raw = signature.email, !raw.isEmpty {
            guard let e = try? EmailAddress(validating: raw) else { throw CommandFailure("Địa chỉ thư điện tử không hợp lệ: --email") }
            email = e.value
        }
        let generated = signature.password == nil
        let password = signature.password ?? UserAccounts.generatePassword()
        if let problem = PasswordRules.problem(password, username: username) {
            throw CommandFailure("Mật khẩu chưa đạt yêu cầu: " + Localizer(lang: .vi)(problem, String(PasswordRules.minLength)))
        }
        let hash = try await app.password.async.hash(password)
        _ = try await UserAccounts.create(
            on: app.db, actor: .system("user create"), username: username, displayName: VietnameseText.normalize(signature.name ?? username),
            passwordHash: hash, grants: [(role, unitID)], mustChangePassword: generated, email: email)
        context.console.info("Đã tạo tài khoản \(username)" + (generated ? " — mật khẩu: \(password)" : ""))
    }
}

struct UserResetPasswordCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "username") var username: String
    }

    var help: String { "Đặt lại mật khẩu (in ra một lần) / reset a password (printed once)" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        guard let user = try await User.query(on: app.db).filter(\.$username == signature.username.lowercased()).first(), let id = user.id else {
            throw CommandFailure("Không tìm thấy tài khoản")
        }
        let password = UserAccounts.generatePassword()
        let hash = try await app.password.async.hash(password)
        try await UserAccounts.setPassword(on: app.db, actor: .system("user reset-password"), userID: id, hash: hash, mustChange: true)
        context.console.info("Mật khẩu mới của \(user.username): \(password) (phải đổi khi đăng nhập)")
    }
}

struct AuditVerifyCommand: AsyncCommand {
    struct Signature: CommandSignature {}
    var help: String { "Kiểm tra chuỗi băm nhật ký / verify the audit hash chain" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let report = try await AuditVerification.verify(on: context.application.db)
        if let failure = report.failure {
            context.console.error("NHẬT KÝ BỊ SỬA ĐỔI / AUDIT TRAIL BROKEN: \(failure) (đã kiểm \(report.checked) bản ghi)")
            throw CommandFailure("audit verify failed")
        }
        context.console.info("Nhật ký nguyên vẹn / audit trail intact: \(report.checked) bản ghi")
    }
}

/// A consistent copy while the server runs. SQLite: `VACUUM INTO` reads one snapshot and writes a compact
/// file. PostgreSQL: pg_dump, which also works from a single snapshot.
struct BackupCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "file") var file: String
    }

    var help: String { "Sao lưu trực tuyến / online backup to FILE" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let path = URL(fileURLWithPath: signature.file).path
        guard !FileManager.default.fileExists(atPath: path) else { throw CommandFailure("Tệp đã tồn tại: \(path)") }
        if let url = app.config.databaseURL {
            try runTool("pg_dump", ["--format=custom", "--no-owner", "--file=\(path)", "--dbname=\(url)"])
        } else {
            guard let sql = app.db as? any SQLDatabase else { throw CommandFailure("no SQL database") }
            try await sql.raw("VACUUM INTO \(bind: path)").run()
        }
        context.console.info("Đã sao lưu vào \(path)")
    }
}

/// Replaces the database with a backup. Run with the server stopped.
struct RestoreCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "file") var file: String
    }

    var help: String { "Khôi phục từ bản sao lưu (dừng máy chủ trước) / restore FILE (server stopped)" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let path = URL(fileURLWithPath: signature.file).path
        guard FileManager.default.fileExists(atPath: path) else { throw CommandFailure("Không thấy tệp: \(path)") }
        if let url = app.config.databaseURL {
            try runTool("pg_restore", ["--clean", "--if-exists", "--no-owner", "--dbname=\(url)", path])
        } else {
            let header = (try? FileHandle(forReadingFrom: URL(fileURLWithPath: path)).readData(ofLength: 16)) ?? Data()
            guard header == Data("SQLite format 3\0".utf8) else { throw CommandFailure("Không phải bản sao lưu SQLite hợp lệ") }
            try await Self.restoreSQLite(from: path, into: app)
        }
        context.console.info("Đã khôi phục từ \(path). Hãy chạy `thidua audit verify`.")
    }

    /// Copies the backup's rows into the live file inside one transaction (ATTACH), so a failure leaves the
    /// current data untouched and no other process holds a stale file handle.
    static func restoreSQLite(from path: String, into app: Application) async throws {
        guard let sql = app.db as? any SQLDatabase else { return }
        try await app.db.withConnection { conn in
            guard let c = conn as? any SQLDatabase else { return }
            try await c.raw("ATTACH DATABASE \(bind: path) AS backup").run()
            do {
                // Every table of the backup (the schema is the same migrations), not a list to keep in step.
                let tables = try await c.raw("SELECT name FROM backup.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
                    .all().map { try $0.decode(column: "name", as: String.self) }
                try await c.raw("PRAGMA foreign_keys = OFF").run()
                try await c.raw("BEGIN IMMEDIATE").run()
                for t in tables { try await c.raw("DELETE FROM main.\(ident: t)").run() }
                for t in tables.reversed() { try await c.raw("INSERT INTO main.\(ident: t) SELECT * FROM backup.\(ident: t)").run() }
                try await c.raw("COMMIT").run()
            } catch {
                try? await c.raw("ROLLBACK").run()
                try? await c.raw("DETACH DATABASE backup").run()
                throw error
            }
            try await c.raw("DETACH DATABASE backup").run()
            try await c.raw("PRAGMA foreign_keys = ON").run()
        }
        _ = sql
    }
}

struct CommandFailure: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

func runTool(_ name: String, _ args: [String]) throws {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = [name] + args
    try p.run()
    p.waitUntilExit()
    guard p.terminationStatus == 0 else { throw CommandFailure("\(name) thất bại (mã \(p.terminationStatus))") }
}

/// `thidua mail run`: one pass of the outbox (today's reminders, then delivery) — for a cron job on servers that
/// do not run `serve`, and to check the relay by hand.
struct MailRunCommand: AsyncCommand {
    struct Signature: CommandSignature {}

    var help: String { "Lập thư nhắc việc hôm nay và gửi hàng đợi một lần / queue today's reminders and deliver once" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        guard let settings = app.config.mail else { throw CommandFailure("Chưa cấu hình THIDUA_SMTP_HOST và THIDUA_MAIL_FROM") }
        let r = try await MailService.runOnce(app, settings: settings)
        context.console.info("Đã gửi \(r.sent), sẽ gửi lại \(r.retried), không gửi được \(r.failed)")
    }
}
