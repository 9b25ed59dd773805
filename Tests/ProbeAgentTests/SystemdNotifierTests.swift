import Foundation
import ProbeAgent
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// systemd's notify protocol: the exact datagrams on a socket the test binds, the watchdog settings.
@Suite("systemd notifier")
struct SystemdNotifierTests {
    @Test("each call sends its exact datagram to NOTIFY_SOCKET", arguments: [false, true])
    func datagrams(abstract: Bool) throws {
        let receiver = try DatagramReceiver(abstract: abstract)
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": receiver.address])
        #expect(notifier.isEnabled)
        try notifier.ready()
        #expect(receiver.receive() == "READY=1")
        try notifier.watchdog()
        #expect(receiver.receive() == "WATCHDOG=1")
        try notifier.status("probing 12 targets\nover 2 paths")
        #expect(receiver.receive() == "STATUS=probing 12 targets over 2 paths")
        try notifier.stopping()
        #expect(receiver.receive() == "STOPPING=1")
    }

    @Test("reloading sends RELOADING=1 with the monotonic time in microseconds", arguments: [false, true])
    func reloading(abstract: Bool) throws {
        let receiver = try DatagramReceiver(abstract: abstract)
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": receiver.address])
        let before = Self.monotonicMicroseconds()
        try notifier.reloading()
        let after = Self.monotonicMicroseconds()
        let message = try #require(receiver.receive())
        let lines = message.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 2 && lines.first == "RELOADING=1", "\(message)")
        let stamp = try #require(lines.last.flatMap { $0.wholeMatch(of: /MONOTONIC_USEC=(\d+)/) }, "\(message)")
        let micros = try #require(UInt64(stamp.1))
        #expect(micros >= before && micros <= after)
    }

    @Test("without NOTIFY_SOCKET every call does nothing")
    func disabled() throws {
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": "", "WATCHDOG_USEC": "1000000"])
        #expect(!notifier.isEnabled)
        try notifier.ready()
        try notifier.reloading()
        try notifier.watchdog()
        try notifier.status("x")
        try notifier.stopping()
        #expect(!SystemdNotifier(environment: [:]).isEnabled)
    }

    @Test("a socket nobody listens on, or an address that is no socket address, throws an error naming it")
    func failures() throws {
        let folder = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let missing = SystemdNotifier(environment: ["NOTIFY_SOCKET": folder + "/absent.sock"])
        #expect(throws: SystemdNotifyError.self) { try missing.ready() }
        do {
            try missing.ready()
        } catch {
            #expect(error.description == "cannot notify systemd at \(folder)/absent.sock: No such file or directory")
        }
        for address in ["relative.sock", "/" + String(repeating: "a", count: 200), "vsock:2:1234"] {
            let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": address])
            #expect(throws: SystemdNotifyError.self, "\(address)") { try notifier.watchdog() }
        }
    }

    @Test("the watchdog interval comes from WATCHDOG_USEC, for this process only (WATCHDOG_PID)")
    func watchdogInterval() {
        func interval(_ environment: [String: String]) -> Duration? {
            SystemdNotifier(environment: environment, processID: 4_242).watchdogInterval
        }
        #expect(interval(["WATCHDOG_USEC": "120000000"]) == .seconds(120))
        #expect(interval(["WATCHDOG_USEC": "1500"]) == .microseconds(1_500))
        #expect(interval(["WATCHDOG_USEC": "120000000", "WATCHDOG_PID": "4242"]) == .seconds(120))
        #expect(interval(["WATCHDOG_USEC": "120000000", "WATCHDOG_PID": "4243"]) == nil)
        #expect(interval(["WATCHDOG_USEC": "120000000", "WATCHDOG_PID": "x"]) == nil)
        #expect(interval(["WATCHDOG_USEC": "0"]) == nil)
        #expect(interval(["WATCHDOG_USEC": "-5"]) == nil)
        #expect(interval(["WATCHDOG_USEC": "soon"]) == nil)
        #expect(interval([:]) == nil)
        #expect(SystemdNotifier(environment: ["WATCHDOG_USEC": "5000000"]).watchdogInterval == .seconds(5))
    }

    @Test("the process-environment factory reads the same settings as the environment dictionary")
    func processEnvironment() {
        // Compared with the environment as it is: setting variables here would race with other tests' getenv.
        let environment = ProcessInfo.processInfo.environment
        let fromGetenv = SystemdNotifier.fromProcessEnvironment()
        let fromDictionary = SystemdNotifier(environment: environment)
        #expect(fromGetenv.socket == fromDictionary.socket)
        #expect(fromGetenv.watchdogInterval == fromDictionary.watchdogInterval)
    }

    private static func monotonicMicroseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1_000
    }
}
