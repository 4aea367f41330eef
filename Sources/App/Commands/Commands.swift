import Fluent
import Vapor

enum Commands {
    static func register(_ app: Application) {
        app.asyncCommands.use(DemoCommand(), as: "demo")
        var user = AsyncCommandGroupBox(help: "Tài khoản: create | reset-password")
        user.commands["create"] = UserCreateCommand()
        user.commands["reset-password"] = UserResetPasswordCommand()
        app.asyncCommands.use(user, as: "user")
        var audit = AsyncCommandGroupBox(help: "Nhật ký: verify")
        audit.commands["verify"] = AuditVerifyCommand()
        app.asyncCommands.use(audit, as: "audit")
        app.asyncCommands.use(IndexCommands.group(), as: "index")
        var plans = AsyncCommandGroupBox(help: "Kế hoạch CCHC: seed-benchmark")
        plans.commands["seed-benchmark"] = PlanBenchmarkSeedCommand()
        app.asyncCommands.use(plans, as: "plans")
        var surveys = AsyncCommandGroupBox(help: "Khảo sát: seed-benchmark, count")
        surveys.commands["seed-benchmark"] = SurveyBenchmarkSeedCommand()
        surveys.commands["count"] = SurveyCountCommand()
        app.asyncCommands.use(surveys, as: "surveys")
        app.asyncCommands.use(DossierCommands.group(), as: "dossiers")
        var mail = AsyncCommandGroupBox(help: "Thư điện tử nhắc việc: run")
        mail.commands["run"] = MailRunCommand()
        app.asyncCommands.use(mail, as: "mail")
        app.asyncCommands.use(BackupCommand(), as: "backup")
        app.asyncCommands.use(RestoreCommand(), as: "restore")
        // The embedded SQLite migrates itself on start, so `thidua serve` works on a fresh machine.
        app.lifecycle.use(EmbeddedMigration())
        // Follow-up e-mail from the outbox, on `thidua serve` when THIDUA_SMTP_HOST is set.
        app.lifecycle.use(MailWorker())
    }
}

struct AsyncCommandGroupBox: AsyncCommandGroup {
    var commands: [String: any AnyAsyncCommand] = [:]
    let help: String
    init(help: String) { self.help = help }
}

struct EmbeddedMigration: LifecycleHandler {
    func willBootAsync(_ app: Application) async throws {
        guard app.config.databaseURL == nil else { return }
        try await Migrations.prepareSQLite(app.db)
        try await app.autoMigrate()
    }
}
