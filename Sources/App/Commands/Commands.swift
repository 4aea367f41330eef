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
        app.asyncCommands.use(BackupCommand(), as: "backup")
        app.asyncCommands.use(RestoreCommand(), as: "restore")
        // The embedded SQLite migrates itself on start, so `thidua serve` works on a fresh machine.
        app.lifecycle.use(EmbeddedMigration())
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
