package import ProbeCore
internal import Synchronization

/// Requests for the scheduler from other threads: a new config, a shutdown with its grace period, the end
/// of that grace period. The scheduler reads them on its own thread, between polls; posting wakes the engine
/// once its ``ProbeCore/ProbeEngine/Waker`` is attached.
package final class SchedulerMailbox: Sendable {
    /// What is waiting to be read.
    package struct Requests: Sendable {
        /// A config to apply from each target's next round.
        package var config: ProbeConfig?
        /// Set once: stop starting rounds; cancel what runs at this monotonic time (microseconds).
        package var graceDeadline: Int64?
    }

    private let requests = Mutex(Requests())
    private let waker = Mutex<ProbeEngine.Waker?>(nil)

    /// Makes an empty mailbox.
    package init() {}

    /// Lets posts wake `engine`'s poll from now on (and wakes it, for anything posted before).
    package func attach(_ engine: ProbeEngine.Waker) {
        waker.withLock { $0 = engine }
        engine.wake()
    }

    /// Posts a config to apply (a later one replaces one not read yet).
    package func post(config: ProbeConfig) {
        requests.withLock { $0.config = config }
        waker.withLock { $0?.wake() }
    }

    /// Posts a shutdown: no new rounds; rounds in progress get until `deadline` (monotonic microseconds). A
    /// second call can only bring the deadline forward (a second SIGINT skips the grace period).
    package func postShutdown(deadline: Int64) {
        requests.withLock { requests in
            requests.graceDeadline = min(requests.graceDeadline ?? deadline, deadline)
        }
        waker.withLock { $0?.wake() }
    }

    /// Takes the config waiting, if any, and reads the shutdown deadline.
    package func take() -> Requests {
        requests.withLock { requests in
            defer { requests.config = nil }
            return requests
        }
    }
}
