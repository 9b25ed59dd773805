/// Where JSON text breaks the grammar and how, as thrown by ``JSONGrammar``'s routines. The caller turns the
/// position into an offset in its own input (`error.position - base`) and words the failure with ``detail``.
@usableFromInline package struct JSONGrammarError: Error, @unchecked Sendable {
    /// The offending byte (for an unterminated string, its opening quote). A position in the caller's buffer:
    /// valid only while the caller holds that buffer, which is why the error is never kept.
    @usableFromInline package var position: UnsafePointer<UInt8>
    /// What is wrong, for example `leading zero in a number`.
    @usableFromInline package var detail: StaticString

    /// Makes an error at `position`.
    @inlinable
    package init(at position: UnsafePointer<UInt8>, _ detail: StaticString) {
        self.position = position
        self.detail = detail
    }
}
