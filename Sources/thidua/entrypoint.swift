import App
import NIOCore
import NIOPosix
import Vapor

@main
enum Entrypoint {
    static func main() async throws {
        // Swift concurrency runs on NIO's event loops instead of a second thread pool: an async handler no longer
        // hops threads twice per request (public survey answers spent most of their CPU in those hops). Code that
        // blocks runs on the thread pool (SQLite, bcrypt), never on this executor.
        _ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        var env = try Environment.detect()
        try LoggingSystem.bootstrap(from: &env) { level in
            LogFormat.handlerFactory(level: level)
        }
        let app = try await Application.make(env)
        // An error ends the process with status 1 and its message, not with a crash report.
        do {
            try await configure(app)
        } catch {
            app.logger.report(error: error)
            try? await app.asyncShutdown()
            exit(1)
        }
        do {
            try await app.execute()
        } catch {
            // A command's error (a bad option, a refused file): Vapor has reported it already.
            try? await app.asyncShutdown()
            exit(1)
        }
        try await app.asyncShutdown()
    }
}
