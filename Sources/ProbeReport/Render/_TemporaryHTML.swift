// TEMPORARY stand-in until the HTML branch is merged; deleted then.
struct HTMLRenderer {
    func render(_ report: Report) -> String { "<!DOCTYPE html>\n<html><body>pending</body></html>\n" }
}
