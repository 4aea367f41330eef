import NIOCore
import NIOPosix
import ThiDuaCore

/// A minimal SMTP client for the province's internal relay (RFC 5321: EHLO, MAIL, RCPT, DATA, QUIT) on
/// SwiftNIO. Provincial networks are closed: the relay is on the LAN and accepts mail from the app servers
/// without authentication; TLS and AUTH are not spoken (see docs/plans.md, "E-mail").
struct SMTPClient: Sendable {
    let host: String
    let port: Int
    let helo: String
    var timeoutSeconds: Int64 = 30

    enum Failure: Error, CustomStringConvertible, Sendable {
        /// The server answered a command with a code other than the expected one.
        case reply(command: String, code: Int, text: String)
        case closed
        case malformed
        case timeout
        case connect(String)

        /// A 5xx answer means the server will never take this message; anything else may pass later.
        var isPermanent: Bool {
            if case .reply(_, let code, _) = self { return code >= 500 }
            return false
        }

        var description: String {
            switch self {
            case .reply(let command, let code, let text): "\(command) → \(code) \(text)"
            case .closed: "connection closed by the server"
            case .malformed: "malformed reply"
            case .timeout: "timed out"
            case .connect(let why): "cannot connect: \(why)"
            }
        }
    }

    func send(_ message: MailMessage) async throws {
        let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
        do {
            channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.seconds(10))
                .connect(host: host, port: port) { ch in
                    ch.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: ch) }
                }
        } catch {
            throw Failure.connect(String(describing: error))
        }
        let timeout = timeoutSeconds
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await channel.executeThenClose { inbound, outbound in
                    var reader = ReplyReader(iterator: inbound.makeAsyncIterator())
                    func command(_ line: String?, expect: Set<Int>, name: String) async throws {
                        if let line { try await outbound.write(ByteBuffer(string: line + "\r\n")) }
                        let (code, text) = try await reader.reply()
                        guard expect.contains(code) else { throw Failure.reply(command: name, code: code, text: text) }
                    }
                    try await command(nil, expect: [220], name: "greeting")
                    do {
                        try await command("EHLO \(helo)", expect: [250], name: "EHLO")
                    } catch Failure.reply(_, let code, _) where code >= 500 {
                        try await command("HELO \(helo)", expect: [250], name: "HELO")
                    }
                    try await command("MAIL FROM:<\(message.from.value)>", expect: [250], name: "MAIL FROM")
                    try await command("RCPT TO:<\(message.to.value)>", expect: [250, 251], name: "RCPT TO")
                    try await command("DATA", expect: [354], name: "DATA")
                    try await outbound.write(ByteBuffer(string: message.rendered() + ".\r\n"))
                    try await command(nil, expect: [250], name: "end of data")
                    // The message is accepted; a relay that drops the line before answering QUIT is not an error.
                    try? await command("QUIT", expect: [221], name: "QUIT")
                }
            }
            group.addTask {
                try await Task.sleep(for: .seconds(timeout))
                channel.channel.close(promise: nil)
                throw Failure.timeout
            }
            defer { group.cancelAll() }
            try await group.next()
        }
    }

    /// Reads SMTP replies: lines "250-…" continue, "250 …" ends; at most 64 KiB buffered.
    struct ReplyReader {
        var iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
        var buffer: [UInt8] = []

        mutating func line() async throws -> String {
            while true {
                if let nl = buffer.firstIndex(of: 0x0A) {
                    var bytes = buffer[..<nl]
                    if bytes.last == 0x0D { bytes = bytes.dropLast() }
                    let s = String(decoding: bytes, as: UTF8.self)
                    buffer.removeFirst(nl + 1)
                    return s
                }
                guard var chunk = try await iterator.next() else { throw Failure.closed }
                buffer += chunk.readBytes(length: chunk.readableBytes) ?? []
                if buffer.count > 65536 { throw Failure.malformed }
            }
        }

        mutating func reply() async throws -> (Int, String) {
            var texts: [String] = []
            while true {
                let l = try await line()
                let chars = Array(l)
                guard chars.count >= 3, let code = Int(String(chars[0..<3])) else { throw Failure.malformed }
                texts.append(chars.count > 4 ? String(chars[4...]) : "")
                if chars.count == 3 || chars[3] == " " { return (code, texts.joined(separator: " ")) }
                guard chars[3] == "-" else { throw Failure.malformed }
            }
        }
    }
}
