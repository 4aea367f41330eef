import Foundation
import Logging

/// Log output: Vapor's console lines by default, or one JSON object per line (THIDUA_LOG_FORMAT=json) for
/// log collectors.
public enum LogFormat {
    public static func handlerFactory(level: Logger.Level) -> @Sendable (String) -> any LogHandler {
        let json = ProcessInfo.processInfo.environment["THIDUA_LOG_FORMAT"] == "json"
        return { label in
            if json {
                var h = JSONLogHandler(label: label)
                h.logLevel = level
                return h
            }
            var h = StreamLogHandler.standardError(label: label)
            h.logLevel = level
            return h
        }
    }
}

struct JSONLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(level: Logger.Level, message: Logger.Message, metadata extra: Logger.Metadata?, source: String, file: String, function: String, line: UInt) {
        var object: [String: String] = [
            "ts": ISO8601DateFormatter().string(from: Date()), "level": level.rawValue, "logger": label,
            "msg": message.description,
        ]
        for (k, v) in metadata.merging(extra ?? [:], uniquingKeysWith: { $1 }) { object[k] = v.description }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        if var data = try? encoder.encode(object) {
            data.append(0x0A)
            FileHandle.standardError.write(data)
        }
    }
}
