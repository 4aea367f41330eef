import Fluent
import Metrics
import Prometheus
import SQLKit
import Vapor

enum OpsController {
    /// Liveness and database reachability, for load balancers and monitoring.
    @Sendable static func healthz(req: Request) async throws -> Response {
        var ok = true
        if let sql = req.db as? any SQLDatabase {
            do { try await sql.raw("SELECT 1").run() } catch { ok = false }
        }
        let body = ok ? "{\"status\":\"ok\"}" : "{\"status\":\"database_unavailable\"}"
        var headers = HTTPHeaders()
        headers.contentType = .json
        return Response(status: ok ? .ok : .serviceUnavailable, headers: headers, body: .init(string: body))
    }

    /// Prometheus text exposition of request counts and latency histograms (recorded by Vapor through
    /// swift-metrics) and the app's own gauges.
    @Sendable static func metrics(req: Request) async throws -> Response {
        var buffer: [UInt8] = []
        Metrics.registry.emit(into: &buffer)
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "text/plain; version=0.0.4; charset=utf-8")
        return Response(status: .ok, headers: headers, body: .init(data: Data(buffer)))
    }

    @Sendable static func asset(req: Request) async throws -> Response {
        var headers = HTTPHeaders()
        if req.parameters.get("file") == Assets.surveyScriptFileName {
            headers.replaceOrAdd(name: .contentType, value: "text/javascript; charset=utf-8")
            headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=31536000, immutable")
            return Response(status: .ok, headers: headers, body: .init(string: Assets.surveyScript))
        }
        guard req.parameters.get("file") == Assets.cssFileName else { throw AppError.notFound }
        headers.replaceOrAdd(name: .contentType, value: "text/css; charset=utf-8")
        // The file name carries the content hash, so it can be cached for ever.
        headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=31536000, immutable")
        return Response(status: .ok, headers: headers, body: .init(string: Assets.css))
    }
}

/// The process-wide metrics registry. swift-metrics may be bootstrapped only once per process; tests build
/// many applications, so the bootstrap happens on first use.
enum Metrics {
    static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
            .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2), .seconds(5),
        ]
        MetricsSystem.bootstrap(factory)
        return registry
    }()
}
