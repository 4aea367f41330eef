import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import SQLKit
import Vapor
import ThiDuaCore

/// Builds the application: configuration, database, migrations, middleware, routes and commands.
public func configure(_ app: Application) async throws {
    try await configure(app, config: AppConfig.load())
}

func configure(_ app: Application, config: AppConfig) async throws {
    app.config = config
    _ = Metrics.registry

    app.http.server.configuration.hostname = config.host
    app.http.server.configuration.port = config.port
    app.routes.defaultMaxBodySize = "1mb"
    app.passwords.use(.bcrypt(cost: config.bcryptCost))

    if let url = config.databaseURL {
        var pg = try SQLPostgresConfiguration(url: url)
        if let schema = config.databaseSchema { pg.searchPath = [schema] }
        app.databases.use(.postgres(configuration: pg), as: .psql)
    } else {
        try FileManager.default.createDirectory(atPath: config.dataDirectory, withIntermediateDirectories: true)
        app.databases.use(.sqlite(.file(config.sqliteFile)), as: .sqlite)
        BulkSQL.checkpointPages.store(config.sqliteCheckpointPages, ordering: .relaxed)
    }
    Migrations.register(app)
    app.databases.middleware.use(PlanStatusSync())
    app.databases.middleware.use(TaskPlanStatusSync())

    app.middleware = .init()
    app.middleware.use(RouteLoggingMiddleware(logLevel: .info))
    app.middleware.use(SecurityHeadersMiddleware())
    app.middleware.use(LanguageMiddleware())
    app.middleware.use(ErrorPageMiddleware())
    app.middleware.use(InputSanityMiddleware())
    app.middleware.use(CSRFMiddleware())
    app.middleware.use(SessionAuthMiddleware())

    // Operators may serve a folder of static files (manuals, the benchmark's baseline page); off by default.
    if let dir = ProcessInfo.processInfo.environment["THIDUA_STATIC_DIR"], !dir.isEmpty {
        app.middleware.use(FileMiddleware(publicDirectory: dir.hasSuffix("/") ? dir : dir + "/"))
    }
    try routes(app)
    let fixedToday = config.fixedToday
    if let d = fixedToday { app.logger.warning("THIDUA_TODAY is set: the server takes \(d.iso) as today (tests and training only)") }
    app.metricSources = [TaskOnTimeMetricSource(today: { fixedToday ?? CivilDate.today() }), SatisfactionMetricSource(), ProcedureMetricSource()]
    app.storage[SurveyWriterKey.self] = SurveyWriter(database: { app.db }, sqliteFile: config.databaseURL == nil ? config.sqliteFile : nil)
    app.lifecycle.use(SurveyWriterLifecycle())
    Commands.register(app)
}

enum Migrations {
    static func register(_ app: Application) {
        app.migrations.add(M001_CreateUnits())
        app.migrations.add(M002_CreatePeople())
        app.migrations.add(M003_CreateAccounts())
        app.migrations.add(M004_CreateAudit())
        app.migrations.add(M005_CreateIndexes())
        app.migrations.add(M006_CreateParIndex())
        app.migrations.add(M007_CreatePlans())
        app.migrations.add(M008_CreateMail())
        app.migrations.add(M009_TaskPlanStatus())
        app.migrations.add(M010_CreateSurveys())
        app.migrations.add(M011_CreateProcedures())
        app.migrations.add(M012_CreateInitiatives())
        app.migrations.add(M013_CreateAwardRecords())
        app.migrations.add(M014_CreateNominations())
        app.migrations.add(M015_HistogramsByTally())
    }

    /// SQLite settings that make writes durable and let readers work while one writes.
    static func prepareSQLite(_ db: any Database) async throws {
        guard let sql = db as? any SQLDatabase, sql.dialect.name == "sqlite" else { return }
        try await sql.raw("PRAGMA journal_mode=WAL").run()
        try await sql.raw("PRAGMA synchronous=FULL").run()
    }
}
