import Foundation
import TestSupport

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A pipe whose read end is drained by a background thread while the test writes into ``writeDescriptor``, as
/// journald or a terminal drains the agent's standard error; ``finish()`` closes the write end and returns
/// everything written.
final class PipeCapture: @unchecked Sendable {
    /// The write end, for the code under test.
    let writeDescriptor: Int32
    private let readDescriptor: Int32
    private let done = DispatchSemaphore(value: 0)
    private var collected: [UInt8] = []

    /// A pipe drained `readSize` bytes at a time (small sizes keep the pipe full, so writers block mid-line).
    init(readSize: Int = 65_536) throws {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { throw TestSupportError("pipe: \(String(cString: strerror(errno)))") }
        readDescriptor = ends[0]
        writeDescriptor = ends[1]
        let thread = Thread { [self] in
            var buffer = [UInt8](repeating: 0, count: readSize)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(readDescriptor, $0.baseAddress, $0.count) }
                if count > 0 {
                    collected.append(contentsOf: buffer[0..<count])
                } else if count < 0 && errno == EINTR {
                    continue
                } else {
                    break
                }
            }
            close(readDescriptor)
            done.signal()
        }
        thread.start()
    }

    /// Closes the write end, waits for the reader to see the end of the pipe, and returns what was written.
    func finish() -> String {
        close(writeDescriptor)
        done.wait()
        return String(decoding: collected, as: UTF8.self)
    }
}
