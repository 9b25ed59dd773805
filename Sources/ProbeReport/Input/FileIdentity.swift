internal import Glibc

/// A file's device and inode: the same file, whatever name (a link, another path) reaches it. Used to read
/// each input once and to refuse a report output that is one of its inputs.
package struct FileIdentity: Hashable, Sendable {
    /// The device.
    package var device: UInt64
    /// The inode.
    package var inode: UInt64

    /// The identity of the file `info` describes.
    init(_ info: stat) {
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
    }

    /// The identity of the file at `path`, following symbolic links; nil when there is none.
    package init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        self.init(info)
    }

    /// The identity of the open file `descriptor`; nil when it is not open.
    package init?(descriptor: Int32) {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return nil }
        self.init(info)
    }
}
