import Vapor
import ThiDuaCore

/// Every setting the server reads, in one place, with defaults. Documented in docs/configuration.md.
struct AppConfig: Sendable {
    var host = "127.0.0.1"
    var port = 8080
    /// `postgres://user:pass@host:5432/db`; when absent the embedded SQLite file is used.
    var databaseURL: String?
    /// PostgreSQL schema (search_path) to use; lets several deployments or test runs share one database.
    var databaseSchema: String?
    var dataDirectory = "data"
    var sqliteFile: String { dataDirectory + "/thidua.sqlite" }
    /// Set when the server sits behind HTTPS, so cookies are only sent over TLS.
    var secureCookies = false
    var sessionIdleMinutes = 60
    var sessionMaxHours = 12
    var loginMaxFailures = 5
    var loginLockMinutes = 15
    var maxUploadMB = 20
    var logJSON = false
    /// bcrypt work factor; 12 takes about a quarter of a second per sign-in on this class of machine.
    var bcryptCost = 12
    /// SQLite: pages of write-ahead log after which a commit copies the log back into the database (SQLite's own
    /// default is 1,000; see `BulkSQL.prepareWriter` and docs/benchmarks.md).
    var sqliteCheckpointPages = 8_000
    /// The date the server takes as today. Only for tests, training and demonstrations ("what happens when this
    /// task goes overdue"); never set in production.
    var fixedToday: CivilDate?
    /// Follow-up e-mail through the province's SMTP relay; nil (no THIDUA_SMTP_HOST) turns e-mail off.
    var mail: MailSettings?
    /// The address people reach the server at (THIDUA_BASE_URL), printed in survey links and QR codes; without it
    /// the request's Host header is used.
    var publicBaseURL: String?

    var maxUploadBytes: Int { maxUploadMB * 1024 * 1024 }

    static let variables: [(name: String, help: String)] = [
        ("THIDUA_HOST", "địa chỉ lắng nghe / listen address (127.0.0.1)"),
        ("THIDUA_PORT", "cổng / port (8080)"),
        ("DATABASE_URL", "postgres://… để dùng PostgreSQL / to use PostgreSQL (SQLite when unset)"),
        ("THIDUA_DB_SCHEMA", "schema PostgreSQL / PostgreSQL schema (public)"),
        ("THIDUA_DATA_DIR", "thư mục dữ liệu SQLite / SQLite data folder (data)"),
        ("THIDUA_SECURE_COOKIES", "1 khi chạy sau HTTPS / 1 behind HTTPS (0)"),
        ("THIDUA_SESSION_IDLE_MINUTES", "phiên hết hạn khi không dùng / idle timeout (60)"),
        ("THIDUA_SESSION_MAX_HOURS", "thời hạn tối đa của phiên / absolute session lifetime (12)"),
        ("THIDUA_LOGIN_MAX_FAILURES", "số lần đăng nhập sai trước khi tạm khóa / failures before lock-out (5)"),
        ("THIDUA_LOGIN_LOCK_MINUTES", "thời gian tạm khóa / lock-out minutes (15)"),
        ("THIDUA_MAX_UPLOAD_MB", "dung lượng tệp tải lên tối đa / upload limit in MB (20)"),
        ("THIDUA_LOG_FORMAT", "text | json (text)"),
        ("THIDUA_BCRYPT_COST", "độ khó bcrypt / bcrypt cost 4–15 (12)"),
        ("THIDUA_SQLITE_CHECKPOINT_PAGES", "SQLite: số trang nhật ký WAL trước mỗi lần ghi về tệp / WAL pages between checkpoints 100–100000 (8000)"),
        ("THIDUA_SMTP_HOST", "máy chủ SMTP nội bộ; để trống thì không gửi thư / internal SMTP relay; unset: no e-mail"),
        ("THIDUA_SMTP_PORT", "cổng SMTP / SMTP port (25)"),
        ("THIDUA_SMTP_HELO", "tên máy khi chào SMTP / EHLO name (thidua.local)"),
        ("THIDUA_MAIL_FROM", "địa chỉ gửi, bắt buộc khi có SMTP / sender address, required with SMTP"),
        ("THIDUA_MAIL_FROM_NAME", "tên người gửi / sender name (ThiDua)"),
        ("THIDUA_BASE_URL", "địa chỉ truy cập ThiDua, cho liên kết trong thư / public address for links in mail"),
        ("THIDUA_MAIL_INTERVAL_SECONDS", "chu kỳ gửi thư / outbox interval in seconds (60)"),
        ("THIDUA_MAIL_DIGEST_HOUR", "giờ bắt đầu gửi thư nhắc việc hằng ngày / hour of the daily reminders (7)"),
        ("THIDUA_TODAY", "ngày hệ thống dùng làm \"hôm nay\", chỉ để kiểm thử/tập huấn / fixed date for tests and training (unset)"),
    ]

    /// Reads the environment; a malformed value is reported by name (never by value: it may be a secret).
    static func load(_ env: [String: String] = ProcessInfo.processInfo.environment) throws -> AppConfig {
        var c = AppConfig()
        var bad: [String] = []
        func int(_ key: String, _ range: ClosedRange<Int>) -> Int? {
            guard let raw = env[key], !raw.isEmpty else { return nil }
            guard let v = Int(raw), range.contains(v) else {
                bad.append(key)
                return nil
            }
            return v
        }
        if let h = env["THIDUA_HOST"], !h.isEmpty { c.host = h }
        if let u = env["THIDUA_BASE_URL"], !u.isEmpty {
            if (u.hasPrefix("http://") || u.hasPrefix("https://")) && !u.contains(where: \.isWhitespace) {
                c.publicBaseURL = u.hasSuffix("/") ? String(u.dropLast()) : u
            } else { bad.append("THIDUA_BASE_URL") }
        }
        if let p = int("THIDUA_PORT", 1...65535) { c.port = p }
        if let u = env["DATABASE_URL"], !u.isEmpty {
            if u.hasPrefix("postgres://") || u.hasPrefix("postgresql://") { c.databaseURL = u } else { bad.append("DATABASE_URL") }
        }
        if let s = env["THIDUA_DB_SCHEMA"], !s.isEmpty {
            if s.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) { c.databaseSchema = s } else { bad.append("THIDUA_DB_SCHEMA") }
        }
        if let d = env["THIDUA_DATA_DIR"], !d.isEmpty { c.dataDirectory = d }
        if let s = env["THIDUA_SECURE_COOKIES"] { c.secureCookies = s == "1" || s.lowercased() == "true" }
        if let v = int("THIDUA_SESSION_IDLE_MINUTES", 1...1440) { c.sessionIdleMinutes = v }
        if let v = int("THIDUA_SESSION_MAX_HOURS", 1...168) { c.sessionMaxHours = v }
        if let v = int("THIDUA_LOGIN_MAX_FAILURES", 1...100) { c.loginMaxFailures = v }
        if let v = int("THIDUA_LOGIN_LOCK_MINUTES", 1...1440) { c.loginLockMinutes = v }
        if let v = int("THIDUA_MAX_UPLOAD_MB", 1...1024) { c.maxUploadMB = v }
        if let f = env["THIDUA_LOG_FORMAT"] { c.logJSON = f == "json" }
        if let v = int("THIDUA_BCRYPT_COST", 4...15) { c.bcryptCost = v }
        if let v = int("THIDUA_SQLITE_CHECKPOINT_PAGES", 100...100_000) { c.sqliteCheckpointPages = v }
        if let d = env["THIDUA_TODAY"], !d.isEmpty {
            if let date = CivilDate(parsing: d) { c.fixedToday = date } else { bad.append("THIDUA_TODAY") }
        }
        if let host = env["THIDUA_SMTP_HOST"], !host.isEmpty {
            let from = try? EmailAddress(validating: env["THIDUA_MAIL_FROM"] ?? "")
            if from == nil { bad.append("THIDUA_MAIL_FROM") }
            if host.contains(where: { $0.isWhitespace || $0 == "/" }) { bad.append("THIDUA_SMTP_HOST") }
            if let from {
                var m = MailSettings(host: host, from: from)
                if let v = int("THIDUA_SMTP_PORT", 1...65535) { m.port = v }
                if let h = env["THIDUA_SMTP_HELO"], !h.isEmpty {
                    if h.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") }) { m.helo = h } else { bad.append("THIDUA_SMTP_HELO") }
                }
                if let n = env["THIDUA_MAIL_FROM_NAME"], !n.isEmpty { m.fromName = n }
                if let u = env["THIDUA_BASE_URL"], !u.isEmpty {
                    if (u.hasPrefix("http://") || u.hasPrefix("https://")) && !u.contains(where: \.isWhitespace) { m.baseURL = u } else { bad.append("THIDUA_BASE_URL") }
                }
                if let v = int("THIDUA_MAIL_INTERVAL_SECONDS", 5...86400) { m.intervalSeconds = v }
                if let v = int("THIDUA_MAIL_DIGEST_HOUR", 0...23) { m.digestHour = v }
                c.mail = m
            }
        }
        if !bad.isEmpty {
            throw ConfigError(names: bad)
        }
        return c
    }

    struct ConfigError: Error, CustomStringConvertible {
        let names: [String]
        var description: String { "Invalid configuration values for: " + names.joined(separator: ", ") }
    }
}

struct AppConfigKey: StorageKey { typealias Value = AppConfig }

extension Application {
    var config: AppConfig {
        get { storage[AppConfigKey.self] ?? AppConfig() }
        set { storage[AppConfigKey.self] = newValue }
    }
}

extension Application {
    /// Today as the server sees it: the calendar date in Vietnam, unless a test or training run fixed it.
    var today: CivilDate { config.fixedToday ?? CivilDate.today() }
}

extension Request {
    var today: CivilDate { application.today }
}
