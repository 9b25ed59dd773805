/// Where and why ``JSONParser`` failed: a byte offset in its input and a short description.
struct JSONSyntaxError: Error {
    /// The 0-based byte offset of the offending byte.
    let offset: Int
    /// What is wrong, for example `expected ':'`.
    let detail: String
}
