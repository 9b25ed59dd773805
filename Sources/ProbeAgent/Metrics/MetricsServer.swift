internal import NIOCore
internal import NIOHTTP1
internal import NIOPosix
public import ServiceLifecycle

/// The agent's HTTP listener for Prometheus: `GET /metrics` (the text format 0.0.4 of ``AgentMetrics``) and
/// `GET /-/healthy` (200 while every target's last round is younger than three intervals, else 503), over
/// SwiftNIO's HTTP/1.1 server.
///
/// ``bind(host:port:metrics:)`` opens the socket before anything runs, so a port in use is an error at start
/// and port 0 reports the port the kernel picked (``port``); ``run()`` then serves until graceful shutdown or
/// cancellation, as a swift-service-lifecycle `Service`:
///
/// ```swift
/// let server = try await MetricsServer.bind(host: "127.0.0.1", port: 9_477, metrics: metrics)
/// logger.info("metrics on \(server.localAddress)")
/// let group = ServiceGroup(services: [server, agent], gracefulShutdownSignals: [.sigterm], logger: logger)
/// try await group.run()
/// ```
public final class MetricsServer: Service, Sendable {
    /// The address the server listens on, as bound: `127.0.0.1`, `::1`, ...
    public let host: String
    /// The port the server listens on (the one the kernel picked when 0 was asked for).
    public let port: Int
    private let channel: any Channel
    private let connections: MetricsConnections

    private init(channel: any Channel, connections: MetricsConnections, host: String, port: Int) {
        self.channel = channel
        self.connections = connections
        self.host = host
        self.port = port
    }

    /// `HOST:PORT`, with an IPv6 host in brackets (`[::1]:9477`), for log lines.
    public var localAddress: String { Self.display(host: host, port: port) }

    /// Binds `host` (an address or name; an IPv6 address may be in brackets) and `port` (0 picks a free one) and
    /// starts accepting connections that serve `metrics`. Throws a ``MetricsServerError`` naming the address and
    /// the reason when the socket cannot be bound (port in use, address not on this host, permission).
    public static func bind(host: String, port: Int, metrics: AgentMetrics) async throws(MetricsServerError)
        -> MetricsServer
    {
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        let asked = display(host: bare, port: port)
        guard (0...65_535).contains(port) else { throw MetricsServerError(address: asked, code: .badPort) }
        let connections = MetricsConnections()
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.maxMessagesPerRead, value: 1)
            .childChannelInitializer { channel in
                connections.add(channel)
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        IdleStateHandler(readTimeout: MetricsHTTPHandler.idleTimeout))
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(MetricsHTTPHandler(metrics: metrics))
                }
            }
        let channel: any Channel
        do {
            channel = try await bootstrap.bind(host: bare, port: port).get()
        } catch {
            throw MetricsServerError(address: asked, error: error)
        }
        let bound = channel.localAddress
        return MetricsServer(
            channel: channel, connections: connections, host: bound?.ipAddress ?? bare, port: bound?.port ?? port)
    }

    /// Serves until graceful shutdown or cancellation of the calling task, then closes the listening socket and
    /// every open connection. Returns at once when ``close()`` was called before.
    public func run() async throws {
        try await withTaskCancellationOrGracefulShutdownHandler {
            try await channel.closeFuture.get()
        } onCancelOrGracefulShutdown: { [channel, connections] in
            channel.close(promise: nil)
            connections.closeAll()
        }
    }

    /// Stops serving: closes the listening socket and every open connection, and waits for the socket to close.
    /// For a server that is not run by a service group (tests, a failed start).
    public func close() async {
        channel.close(promise: nil)
        connections.closeAll()
        try? await channel.closeFuture.get()
    }

    static func display(host: String, port: Int) -> String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
