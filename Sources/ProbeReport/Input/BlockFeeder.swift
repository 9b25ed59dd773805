internal import CZlib
internal import Glibc
internal import Synchronization

/// Hands out the input in blocks of whole lines, to any number of scanning threads: each call fills the
/// caller's buffer with the next few megabytes of one source, cut after its last newline (the rest is kept
/// for the next block). Gzip files and plain files are read alike through zlib (which passes plain bytes
/// through), so files, `.gz` files and standard input mix freely. A line longer than ``maxLineBytes`` is handed
/// out as a block of its own holding only its first bytes, and the rest of it is read and dropped, so no line
/// makes the buffer grow.
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
        /// The block is one line longer than ``BlockFeeder/maxLineBytes``: the buffer holds only its first
        /// bytes (at most ``BlockFeeder/overlongPrefixBytes``); the rest was read and dropped.
        package var overlong = false
        /// The block is the end of a gzip source whose compressed stream stops early (a file cut short).
        package var truncatedStream = false
    }

    private struct State: ~Copyable {
        var next = 0
        var handle: gzFile?
        var source = -1
        var blockIndex = 0
        var carry: [UInt8] = []
        /// Inside a line longer than the cap: input is dropped up to its newline.
        var discarding = false
    }

    private let sources: [InputSource]
    private let state = Mutex(State())

    /// The preferred read size.
    package static let blockBytes = 4 << 20

    /// The longest line read (1 MiB, without its newline); a longer line becomes an ``Block/overlong`` block
    /// and is skipped as a bad line, read through in bounded memory. Far above any real sample (about 1 KB).
    package static let maxLineBytes = 1 << 20

    /// How many of an overlong line's first bytes its block keeps, for quoting.
    package static let overlongPrefixBytes = 120

    /// Makes a feeder over `sources`, read in order.
    package init(sources: [InputSource]) {
        self.sources = sources
    }

    /// Fills `buffer` with the next block; nil when every source is read. The buffer is ``blockBytes`` long
    /// and never grows: a line longer than ``maxLineBytes`` is handed out as an ``Block/overlong`` block.
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
                    state.discarding = false
                    state.carry.removeAll(keepingCapacity: true)
                    state.handle = try Self.open(sources[state.source])
                }
                if state.discarding {
                    if let ending = try Self.discardOverlong(&state, buffer: &buffer, sources: sources) {
                        return ending
                    }
                    if state.handle == nil { continue }
                }
                var count = state.carry.count
                if count > 0 {
                    buffer.withUnsafeMutableBufferPointer { target in
                        state.carry.withUnsafeBufferPointer {
                            target.baseAddress!.update(from: $0.baseAddress!, count: count)
                        }
                    }
                    state.carry.removeAll(keepingCapacity: true)
                }
                while true {
                    // buffer[0..<count] is the start of one line with no newline yet.
                    if count > Self.maxLineBytes {
                        state.discarding = true
                        return Self.overlongBlock(&state)
                    }
                    let room = UInt32(buffer.count - count)
                    let handle = state.handle
                    let read = buffer.withUnsafeMutableBytes { gzread(handle, $0.baseAddress! + count, room) }
                    if read < 0 { throw Self.readFailure(&state, sources: sources) }
                    if read == 0 {
                        let truncated = Self.finish(&state)
                        if count == 0 && !truncated { break }
                        var block = Block(
                            source: state.source, index: state.blockIndex, count: count,
                            endsWithoutNewline: count > 0 && buffer[count - 1] != 0x0A)
                        block.truncatedStream = truncated
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

    /// The block that stands for an overlong line whose first bytes are at the start of the buffer.
    private static func overlongBlock(_ state: inout State) -> Block {
        var block = Block(
            source: state.source, index: state.blockIndex, count: overlongPrefixBytes, endsWithoutNewline: false)
        block.overlong = true
        state.blockIndex += 1
        return block
    }

    /// Reads and drops the rest of an overlong line, a buffer at a time; what follows its newline is kept as
    /// the carry. Returns a block only when the source ends there and its gzip stream was cut short.
    private static func discardOverlong(
        _ state: inout State, buffer: inout [UInt8], sources: [InputSource]
    ) throws(ReportError) -> Block? {
        while true {
            let handle = state.handle
            let read = buffer.withUnsafeMutableBytes { gzread(handle, $0.baseAddress!, UInt32($0.count)) }
            if read < 0 { throw readFailure(&state, sources: sources) }
            if read == 0 {
                state.discarding = false
                guard finish(&state) else { return nil }
                var block = Block(source: state.source, index: state.blockIndex, count: 0, endsWithoutNewline: false)
                block.truncatedStream = true
                state.blockIndex += 1
                return block
            }
            let newline = buffer.withUnsafeBytes { bytes in
                memchr(bytes.baseAddress!, 0x0A, Int(read)).map { UnsafeRawPointer($0) - bytes.baseAddress! }
            }
            if let newline {
                state.discarding = false
                state.carry.append(contentsOf: buffer[(newline + 1)..<Int(read)])
                return nil
            }
        }
    }

    /// Closes the source at its end; true when zlib found its compressed stream cut short.
    private static func finish(_ state: inout State) -> Bool {
        var code: Int32 = 0
        _ = gzerror(state.handle, &code)
        gzclose(state.handle)
        state.handle = nil
        return code == Z_BUF_ERROR
    }

    private static func readFailure(_ state: inout State, sources: [InputSource]) -> ReportError {
        let handle = state.handle
        var code: Int32 = 0
        let message = gzerror(handle, &code).map { String(cString: $0) } ?? "read error"
        let reason = code == Z_ERRNO ? String(cString: strerror(errno)) : message
        gzclose(handle)
        state.handle = nil
        return ReportError.unreadable(path: sources[state.source].name, reason: reason)
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
