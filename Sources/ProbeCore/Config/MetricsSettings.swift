/// The `metrics` section: where the continuous agent (`peering-probe run`) serves its Prometheus metrics.
public struct MetricsSettings: Sendable, Hashable {
    /// The address `/metrics` is served on (`metrics.listen`); nil (the default) serves no metrics.
    public var listen: ListenAddress?

    /// Makes metrics settings; without arguments, metrics are off.
    public init(listen: ListenAddress? = nil) {
        self.listen = listen
    }
}
