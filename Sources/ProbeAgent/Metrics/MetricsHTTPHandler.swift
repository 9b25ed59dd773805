import CurlKit
internal import NIOCore
internal import NIOHTTP1

/// Answers the metrics server's requests on one connection: `GET /metrics` with ``AgentMetrics/exposition()``,
/// `GET /-/healthy` with 200 `OK` or 503 and the targets that are behind, 404 for any other path, 405 for
/// methods other than GET and HEAD. HEAD gets the GET answer's headers without its body. Keep-alive is
/// honoured, as Prometheus keeps its scrape connections open; a connection idle for ``idleTimeout`` (an
/// `IdleStateHandler` before this one reports it) or failing is closed.
final class MetricsHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    /// The `Content-Type` of `/metrics`: the text exposition format 0.0.4.
    static let expositionContentType = "text/plain; version=0.0.4; charset=utf-8"

    /// How long a connection may stay without a request before it is closed.
    static let idleTimeout = TimeAmount.minutes(5)

    private let metrics: AgentMetrics
    private var request: HTTPRequestHead?

    init(metrics: AgentMetrics) {
        self.metrics = metrics
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch Self.unwrapInboundIn(data) {
        case .head(let head): request = head
        case .body: break
        case .end:
            guard let head = request else { return }
            request = nil
            respond(to: head, context: context)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    private func respond(to head: HTTPRequestHead, context: ChannelHandlerContext) {
        let path = head.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        let answer = Self.answer(method: head.method, path: String(path), metrics: metrics)
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: answer.contentType)
        headers.add(name: "Content-Length", value: String(answer.body.count))
        if answer.status == .methodNotAllowed { headers.add(name: "Allow", value: "GET, HEAD") }
        if !head.isKeepAlive { headers.add(name: "Connection", value: "close") }
        let response = HTTPResponseHead(version: head.version, status: answer.status, headers: headers)
        context.write(Self.wrapOutboundOut(.head(response)), promise: nil)
        if head.method != .HEAD {
            let buffer = context.channel.allocator.buffer(bytes: answer.body)
            context.write(Self.wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        }
        guard !head.isKeepAlive else {
            context.writeAndFlush(Self.wrapOutboundOut(.end(nil)), promise: nil)
            return
        }
        let written = context.eventLoop.makePromise(of: Void.self)
        let loopBound = context.loopBound
        written.futureResult.whenComplete { _ in loopBound.value.close(promise: nil) }
        context.writeAndFlush(Self.wrapOutboundOut(.end(nil)), promise: written)
    }

    /// The status, content type and body for a request (the body also decides HEAD's `Content-Length`).
    static func answer(method: HTTPMethod, path: String, metrics: AgentMetrics)
        -> (status: HTTPResponseStatus, contentType: String, body: [UInt8])
    {
        let text = "text/plain; charset=utf-8"
        guard path == "/metrics" || path == "/-/healthy" else {
            return (.notFound, text, Array("not found: try /metrics or /-/healthy\n".utf8))
        }
        guard method == .GET || method == .HEAD else {
            return (.methodNotAllowed, text, Array("method not allowed: use GET or HEAD\n".utf8))
        }
        if path == "/metrics" { return (.ok, expositionContentType, metrics.exposition()) }
        let stale = metrics.staleTargets(at: MultiHandle.monotonicMicroseconds())
        if stale.isEmpty { return (.ok, text, Array("OK\n".utf8)) }
        let names = stale.joined(separator: ", ")
        return (.serviceUnavailable, text, Array("no round for three intervals: \(names)\n".utf8))
    }
}
