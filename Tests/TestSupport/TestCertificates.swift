import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A throw-away certificate authority and a server certificate it signed, made with the `openssl` tool.
///
/// Both keys are EC P-256 and valid for 3 days. The server certificate's subjectAltName covers every
/// requested host: `IP:` entries for addresses, `DNS:` entries for names (wildcards such as
/// `*.blob.core.windows.net` allowed), so clients can verify it for real with ``caFile`` as their only
/// trust anchor (`curl --cacert`, `CURLOPT_CAINFO`).
///
/// ```swift
/// let certificates = try TestCertificates.shared()          // localhost, 127.0.0.1, ::1
/// let server = try LoopbackServer.start(.init(tls: certificates))
/// ```
public struct TestCertificates: Sendable, Equatable {
    /// The fresh temporary folder holding every file below.
    public let directory: String
    /// The CA certificate (PEM): the trust anchor for clients.
    public let caFile: String
    /// The CA private key (PEM).
    public let caKeyFile: String
    /// The server certificate (PEM), signed by the CA.
    public let certFile: String
    /// The server private key (PEM, unencrypted).
    public let keyFile: String
    /// The host names and addresses the server certificate is valid for.
    public let hosts: [String]

    /// Wraps existing files (for example certificates made elsewhere); ``make(hosts:)`` creates new ones.
    public init(
        directory: String, caFile: String, caKeyFile: String, certFile: String, keyFile: String, hosts: [String]
    ) {
        self.directory = directory
        self.caFile = caFile
        self.caKeyFile = caKeyFile
        self.certFile = certFile
        self.keyFile = keyFile
        self.hosts = hosts
    }

    /// Creates a CA and a server certificate for `hosts` in a fresh temporary folder (takes about 60 ms).
    ///
    /// Throws when `openssl` is missing or fails; the error carries its output.
    public static func make(hosts: [String] = ["localhost", "127.0.0.1", "::1"]) throws -> TestCertificates {
        try make(hosts: hosts, folderName: "peering-probe-certs-\(UUID().uuidString)")
    }

    private static func make(hosts: [String], folderName: String) throws -> TestCertificates {
        guard !hosts.isEmpty else { throw TestSupportError("TestCertificates: no hosts given") }
        guard
            let openssl = findExecutable("openssl")
                ?? ["/usr/bin/openssl"].first(where: {
                    FileManager.default.isExecutableFile(atPath: $0)
                })
        else {
            throw TestSupportError("TestCertificates: the openssl command-line tool was not found on PATH")
        }
        let fileManager = FileManager.default
        let directory = fileManager.temporaryDirectory.appendingPathComponent(folderName, isDirectory: true)
        try? fileManager.removeItem(at: directory)
        try fileManager.createDirectory(at: directory, withIntermediateDirectories: true)
        var cleanUp = true
        defer { if cleanUp { try? fileManager.removeItem(at: directory) } }

        func file(_ name: String) -> String { directory.appendingPathComponent(name).path }
        let certificates = TestCertificates(
            directory: directory.path, caFile: file("ca.pem"), caKeyFile: file("ca.key"),
            certFile: file("server.pem"), keyFile: file("server.key"), hosts: hosts
        )
        let caConfig = file("ca.cnf")
        let serverExtensions = file("server-ext.cnf")
        try """
        [req]
        distinguished_name = dn
        x509_extensions = ca_ext
        prompt = no
        [dn]
        CN = peering-probe test CA
        [ca_ext]
        basicConstraints = critical, CA:TRUE
        keyUsage = critical, keyCertSign, cRLSign
        subjectKeyIdentifier = hash

        """.write(toFile: caConfig, atomically: false, encoding: .utf8)
        try """
        basicConstraints = critical, CA:FALSE
        keyUsage = critical, digitalSignature
        extendedKeyUsage = serverAuth
        subjectKeyIdentifier = hash
        authorityKeyIdentifier = keyid
        subjectAltName = \(hosts.map(subjectAltNameEntry).joined(separator: ", "))

        """.write(toFile: serverExtensions, atomically: false, encoding: .utf8)

        let curve = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        try run(
            openssl,
            ["req", "-x509", "-config", caConfig] + curve + [
                "-keyout", certificates.caKeyFile, "-out", certificates.caFile, "-days", "3",
            ])
        let request = file("server.csr")
        let commonName = hosts[0].replacingOccurrences(of: "/", with: "_")
        try run(
            openssl,
            ["req", "-new", "-config", caConfig] + curve + [
                "-subj", "/CN=\(commonName)", "-keyout", certificates.keyFile, "-out", request,
            ])
        let serial = "0x" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16)
        try run(
            openssl,
            [
                "x509", "-req", "-in", request, "-CA", certificates.caFile, "-CAkey", certificates.caKeyFile,
                "-set_serial", serial, "-days", "3", "-extfile", serverExtensions, "-out", certificates.certFile,
            ])
        cleanUp = false
        return certificates
    }

    /// Certificates for the default hosts (`localhost`, `127.0.0.1`, `::1`), made once per test process
    /// and shared by every test that needs no special names; their folder is removed when the process exits.
    public static func shared() throws -> TestCertificates {
        try sharedResult.get()
    }

    /// Deletes ``directory`` and everything in it.
    public func remove() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    private static let sharedResult: Result<TestCertificates, any Error> = Result {
        let certificates = try make(hosts: ["localhost", "127.0.0.1", "::1"], folderName: sharedFolderName)
        atexit {
            let fileManager = FileManager.default
            try? fileManager.removeItem(at: fileManager.temporaryDirectory.appendingPathComponent(sharedFolderName))
        }
        return certificates
    }

    /// One folder per test process, so it can be found again (and removed) at exit without captured state.
    private static var sharedFolderName: String { "peering-probe-certs-shared-\(getpid())" }

    private static func subjectAltNameEntry(_ host: String) -> String {
        var v4 = in_addr()
        var v6 = in6_addr()
        if inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1 {
            return "IP:\(host)"
        }
        return "DNS:\(host)"
    }

    private static func run(_ executable: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            let text = String(decoding: data, as: UTF8.self)
            throw TestSupportError(
                "TestCertificates: openssl \(arguments.first ?? "") failed (\(process.terminationStatus)):\n\(text)"
            )
        }
    }
}
