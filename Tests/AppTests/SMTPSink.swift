import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// A local SMTP server for tests: speaks enough of RFC 5321 to take messages, records them, and can be told to
/// refuse a recipient with a given reply (451 to test a retry, 550 to test a permanent refusal).
final class SMTPSink: Sendable {
    struct Received: Sendable {
        let from: String
        let to: [String]
        /// The DATA section as received (headers, blank line, base64 body), dot-stuffing removed.
        let data: String

        var subjectLine: String? { data.components(separatedBy: "\r\n").first { $0.hasPrefix("Subject: ") } }

        /// The plain-text body, decoded from base64.
        var body: String {
            guard let blank = data.range(of: "\r\n\r\n") else { return "" }
            let b64 = data[blank.upperBound...].replacingOccurrences(of: "\r\n", with: "")
            return Data(base64Encoded: b64).flatMap { String(data: $0, encoding: .utf8) } ?? ""
        }
    }

    private let server: NIOAsyncChannel<NIOAsyncChannel<ByteBuffer, ByteBuffer>, Never>
    private let state = NIOLockedValueBox<(messages: [Received], rcptReply: String?)>((messages: [], rcptReply: nil))
    private let task = NIOLockedValueBox<Task<Void, Never>?>(nil)
    let port: Int

    var messages: [Received] { state.withLockedValue { $0.messages } }

    /// The reply to every RCPT TO from now on (nil: "250 OK").
    func refuseRecipients(with reply: String?) { state.withLockedValue { $0.rcptReply = reply } }

    private init(server: NIOAsyncChannel<NIOAsyncChannel<ByteBuffer, ByteBuffer>, Never>) {
        self.server = server
        self.port = server.channel.localAddress?.port ?? 0
    }

    static func start() async throws -> SMTPSink {
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "127.0.0.1", port: 0) { ch in
                ch.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: ch) }
            }
        let sink = SMTPSink(server: server)
        sink.task.withLockedValue {
            $0 = Task {
                try? await server.executeThenClose { inbound in
                    try await withThrowingDiscardingTaskGroup { group in
                        for try await connection in inbound {
                            group.addTask { try? await sink.serve(connection) }
                        }
                    }
                }
            }
        }
        return sink
    }

    func stop() async {
        try? await server.channel.close()
        task.withLockedValue { $0?.cancel() }
    }

    private func serve(_ connection: NIOAsyncChannel<ByteBuffer, ByteBuffer>) async throws {
        try await connection.executeThenClose { inbound, outbound in
            func say(_ s: String) async throws { try await outbound.write(ByteBuffer(string: s + "\r\n")) }
            try await say("220 sink.test ESMTP")
            var pending: [UInt8] = []
            var from = "", to: [String] = [], inData = false, data: [String] = []
            for try await var chunk in inbound {
                pending += chunk.readBytes(length: chunk.readableBytes) ?? []
                while let nl = pending.firstIndex(of: 0x0A) {
                    var bytes = Array(pending[..<nl])
                    pending.removeFirst(nl + 1)
                    if bytes.last == 0x0D { bytes.removeLast() }
                    let line = String(decoding: bytes, as: UTF8.self)
                    if inData {
                        if line == "." {
                            inData = false
                            let message = Received(from: from, to: to, data: data.joined(separator: "\r\n"))
                            state.withLockedValue { $0.messages.append(message) }
                            data = []
                            try await say("250 queued")
                        } else {
                            data.append(line.hasPrefix("..") ? String(line.dropFirst()) : line)
                        }
                        continue
                    }
                    let upper = line.uppercased()
                    if upper.hasPrefix("EHLO") { try await say("250-sink.test\r\n250 8BITMIME") }
                    else if upper.hasPrefix("HELO") { try await say("250 sink.test") }
                    else if upper.hasPrefix("MAIL FROM:") { from = String(line.dropFirst(10)); to = []; try await say("250 OK") }
                    else if upper.hasPrefix("RCPT TO:") {
                        if let refusal = state.withLockedValue({ $0.rcptReply }) { try await say(refusal) } else {
                            to.append(String(line.dropFirst(8)))
                            try await say("250 OK")
                        }
                    }
                    else if upper == "DATA" { inData = true; try await say("354 go ahead") }
                    else if upper == "QUIT" { try await say("221 bye"); return }
                    else { try await say("502 not implemented") }
                }
            }
        }
    }
}
