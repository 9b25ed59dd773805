internal import CZlib
internal import Glibc
internal import Synchronization

/// Hands out the input in blocks of whole lines, to any number of scanning threads: each call fills the
/// caller's buffer with the next few megabytes of one source, cut after its last newline (the rest is kept
/// for the next block). Gzip files and plain files are read alike through zlib (which passes plain bytes
/// through), so files, `.gz` files and standard input mix freely.
package final class BlockFeeder: Sendable {
    /// One block: which source, its index within the source, and how many bytes of the buffer it fills.
    package struct Block: Sendable {
        /// Index of the source in the feeder's list.
        package var source: Int
        /// 0, 1, 2, ... within that source (line numbers are resolved from per-block line counts).
        package var index: Int
        /// Bytes of the buffer that belong to the block.
        package var count: Int
        /// The block is the end of its source and the source does not end with a newline: its last line may
        /// be torn.
        package var endsWithoutNewline: Bool
    }

    private struct State: ~Copyable {
        var next = 0
        var handle: gzFile?
        var source = -1
        var blockIndex = 0
        var carry: [UInt8] = []
    }

    private let sources: [InputSource]
    private let state = Mutex(State())

    /// The preferred read size.
    package static let blockBytes = 4 << 20

    /// Makes a feeder over `sources`, read in order.
    package init(sources: [InputSource]) {
        self.sources = sources
    }

    /// Fills `buffer` (grown when a line is longer than it) with the next block; nil when every source is read.
    package func next(into buffer: inout [UInt8]) throws(ReportError) -> Block? {
        if buffer.count < Self.blockBytes { buffer = Array(repeating: 0, count: Self.blockBytes) }
        let sources = self.sources
        return try state.withLock { (state: inout State) throws(ReportError) -> Block? in
            while true {
                if state.handle == nil {
                    guard state.next < sources.count else { return nil }
                    state.source = state.next
                    state.next += 1
                    state.blockIndex = 0
                    state.carry.removeAll(keepingCapacity: true)
                    state.handle = try Self.open(sources[state.source])
                }
                var count = state.carry.count
                if count > 0 {
                    if buffer.count < count * 2 { buffer += Array(repeating: 0, count: count * 2 - buffer.count) }
                    buffer.withUnsafeMutableBufferPointer { target in
                        state.carry.withUnsafeBufferPointer {
                            target.baseAddress!.update(from: $0.baseAddress!, count: count)
                        }
                    }
                    state.carry.removeAll(keepingCapacity: true)
                }
                while true {
                    if count == buffer.count { buffer += Array(repeating: 0, count: buffer.count) }
                    let room = UInt32(min(buffer.count - count, 1 << 30))
                    let handle = state.handle
                    let read = buffer.withUnsafeMutableBytes { gzread(handle, $0.baseAddress! + count, room) }
                    if read < 0 {
                        var code: Int32 = 0
                        let message = gzerror(handle, &code).map { String(cString: $0) } ?? "read error"
                        gzclose(handle)
                        state.handle = nil
                        throw ReportError.unreadable(
                            path: sources[state.source].name,
                            reason: code == Z_ERRNO ? String(cString: strerror(errno)) : message)
                    }
                    if read == 0 {
                        gzclose(state.handle)
                        state.handle = nil
                        if count == 0 { break }
                        let block = Block(
                            source: state.source, index: state.blockIndex, count: count,
                            endsWithoutNewline: buffer[count - 1] != 0x0A)
                        state.blockIndex += 1
                        return block
                    }
                    let start = count
                    count += Int(read)
                    var cut = count
                    while cut > start, buffer[cut - 1] != 0x0A { cut -= 1 }
                    if cut > start {
                        state.carry.append(contentsOf: buffer[cut..<count])
                        let block = Block(
                            source: state.source, index: state.blockIndex, count: cut, endsWithoutNewline: false)
                        state.blockIndex += 1
                        return block
                    }
                }
            }
        }
    }

    private static func open(_ source: InputSource) throws(ReportError) -> gzFile {
        let fd: Int32
        switch source {
        case .standardInput:
            fd = dup(0)
        case .file(let path):
            fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        }
        guard fd >= 0 else { throw .unreadable(path: source.name, reason: String(cString: strerror(errno))) }
        guard let handle = gzdopen(fd, "rb") else {
            close(fd)
            throw .unreadable(path: source.name, reason: "cannot start zlib")
        }
        gzbuffer(handle, 1 << 20)
        return handle
    }
}
