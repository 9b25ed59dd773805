// swift-tools-version:6.0
//
// peering-probe: measures HTTP(S) latency to Microsoft endpoints per internet path, with libcurl's
// phase timing, and tags each sample with the path it took (ISP, registered prefix, Peering Service).
//
// Modules depend one way (README.md, "How the code is laid out"):
//   CCurl (libcurl + C shim) -> CurlKit (Swift over libcurl) -> ProbeCore (domain)
//     -> ProbeReport (reading batches, statistics, renderers) -> ProbeExport (shipping batches)
//     -> peering-probe (CLI)
import PackageDescription

let package = Package(
    name: "peering-probe",
    products: [
        .executable(name: "peering-probe", targets: ["peering-probe"]),
        .library(name: "ProbeCore", targets: ["ProbeCore"]),
        .library(name: "ProbeReport", targets: ["ProbeReport"]),
        .library(name: "ProbeExport", targets: ["ProbeExport"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        // The agent (`run`): logging, signals and graceful shutdown, metrics and their HTTP listener.
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        // libcurl from Debian's libcurl4-openssl-dev, plus a header-only shim for the variadic calls.
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .target(name: "CurlKit", dependencies: ["CCurl"]),
        // libyaml from Debian's libyaml-dev: the config loader composes its own node tree over the event parser.
        .systemLibrary(name: "CYAML", pkgConfig: "yaml-0.1", providers: [.apt(["libyaml-dev"])]),
        .target(
            name: "ProbeCore",
            dependencies: [
                "CurlKit",
                "CYAML",
                .product(name: "HeapModule", package: "swift-collections"),
            ]
        ),
        // The continuous agent (`peering-probe run`), built up over the round parts of ProbeCore.
        .target(
            name: "ProbeAgent",
            dependencies: [
                "ProbeCore",
                .product(name: "HeapModule", package: "swift-collections"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // zlib from Debian's zlib1g-dev: `report` reads gzip-compressed batches.
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .target(name: "ProbeReport", dependencies: ["ProbeCore", "CZlib"]),
        // Export: ships finished batches to ClickHouse, Azure Blob Storage or an HTTP collector, through CurlKit's
        // plain request mode, gzip-compressed with zlib; `report clickhouse://` reads back through ProbeReport.
        .target(name: "ProbeExport", dependencies: ["ProbeCore", "CurlKit", "CZlib", "ProbeReport"]),
        .executableTarget(
            name: "peering-probe",
            dependencies: [
                "ProbeCore",
                "ProbeReport",
                "ProbeAgent",
                "ProbeExport",
                "CurlKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.embedInCode("Resources/peering-probe.yaml")]
        ),
        // The benchmark shares the test support's synthetic samples, so tests and benchmark read the same shape.
        .executableTarget(
            name: "peering-probe-bench", dependencies: ["ProbeCore", "ProbeReport", "CurlKit", "TestSupport"]),
        .target(
            name: "TestSupport", dependencies: ["ProbeCore", "CurlKit"], path: "Tests/TestSupport",
            exclude: ["loopback_server.py"]
        ),
        // A C epoll server that injects a fixed wait at a few microseconds of CPU per request, for the test
        // that 50 transfers in flight do not distort timings (the Python server cannot keep up there).
        .executableTarget(name: "loopback-delay-server", path: "Tests/DelayServer"),
        .testTarget(name: "CurlKitTests", dependencies: ["CurlKit", "TestSupport"]),
        .testTarget(name: "ProbeCoreTests", dependencies: ["ProbeCore", "TestSupport", "loopback-delay-server"]),
        .testTarget(
            name: "ProbeReportTests", dependencies: ["ProbeReport", "ProbeCore", "TestSupport", "peering-probe"],
            exclude: ["Oracles"]
        ),
        .testTarget(
            name: "ProbeAgentTests",
            dependencies: [
                "ProbeAgent", "ProbeCore", "CurlKit", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(name: "ProbeExportTests", dependencies: ["ProbeExport", "ProbeCore", "CurlKit", "TestSupport"]),
        .testTarget(
            name: "PeeringProbeCLITests", dependencies: ["ProbeReport", "ProbeAgent", "TestSupport", "peering-probe"]),
    ]
)

// Upcoming language features, for every target (as swift-log does).
for target in package.targets where target.type != .system {
    var settings = target.swiftSettings ?? []
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))
    settings.append(.enableUpcomingFeature("InternalImportsByDefault"))
    target.swiftSettings = settings
}
