import CurlKit
import Testing

/// URLs are parsed by libcurl itself, so what is validated is what will be fetched.
@Suite("CurlURL")
struct CurlURLTests {
    @Test("http and https URLs parse; the redacted form drops user info, query and fragment")
    func parsesAndRedacts() throws {
        let url = try CurlURL("https://user:pw@Login.Example.test:8443/a/b?token=1#frag")
        #expect(url.scheme == "https")
        #expect(url.host == "login.example.test" || url.host == "Login.Example.test")
        #expect(url.port == 8443)
        #expect(!url.redacted.contains("pw") && !url.redacted.contains("token") && !url.redacted.contains("frag"))
        #expect(url.redacted.hasSuffix(":8443/a/b"))
        #expect(try CurlURL("http://127.0.0.1/").port == 80)
        #expect(try CurlURL("https://[::1]/").host == "::1")
        #expect(try CurlURL("https://[::1]/").port == 443)
    }

    @Test(
        "Non-HTTP schemes and malformed URLs are refused with a message",
        arguments: [
            ("ftp://example.test/", "is not HTTP or HTTPS (scheme 'ftp')"),
            ("http://", "malformed URL 'http://'"),
            ("not a url", "malformed URL"),
            ("https://user:secret@bad host/?q=1", "malformed URL 'https://bad host/'"),
        ])
    func refuses(text: String, message: String) {
        #expect {
            _ = try CurlURL(text)
        } throws: { error in
            "\(error)".contains(message) && !"\(error)".contains("secret")
        }
    }
}
