// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "AllocBook",
    products: [
        .executable(name: "allocbook", targets: ["allocbook"]),
        .executable(name: "glibc-replay", targets: ["glibc-replay"]),
        .library(name: "AllocatorModels", targets: ["AllocatorModels"]),
        .library(name: "Scenarios", targets: ["Scenarios"]),
        .library(name: "Figures", targets: ["Figures"]),
        .library(name: "Replay", targets: ["Replay"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.0.0"),
        // `allocbook serve` only: small, pure-Swift HTTP server (no NIO).
        .package(url: "https://github.com/swhitty/FlyingFox.git", from: "0.27.1"),
    ],
    targets: [
        // Debian's libcmark-gfm, wrapped as a system library (see Sources/CCmarkGFM).
        .systemLibrary(
            name: "CCmarkGFM",
            pkgConfig: "libcmark-gfm",
            providers: [
                .apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"]),
                .brew(["cmark-gfm"]),
            ]
        ),
        // The only module that touches cmark.
        .target(name: "LessonMarkdown", dependencies: ["CCmarkGFM"]),
        // The allocator models: glibc malloc and the kernel machine (buddy, SLUB, vmalloc).
        // Pure Swift, no dependencies, not even Foundation (compiles for Embedded Swift wasm32).
        .target(name: "AllocatorModels"),
        // The scenario language, its runners and the figure frames they produce. Pure Swift.
        .target(name: "Scenarios", dependencies: ["AllocatorModels"]),
        // The SVG figures of scenario frames. Pure Swift.
        .target(name: "Figures", dependencies: ["Scenarios", "AllocatorModels"]),
        // Starts processes: trace formats and runners, the real-glibc replay and verifier.
        .target(name: "Replay", dependencies: ["Scenarios", "AllocatorModels"]),
        // The pipeline: course, pages, assets, output folder; check and build.
        .target(
            name: "SiteBuilder",
            dependencies: [
                "LessonMarkdown",
                "AllocatorModels",
                "Scenarios",
                "Figures",
                "Replay",
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        // `allocbook serve`: the live preview's HTTP server, file watcher and reload script.
        .target(
            name: "Preview",
            dependencies: [
                "SiteBuilder",
                .product(name: "FlyingFox", package: "FlyingFox"),
            ]
        ),
        // Thin command line.
        .executableTarget(
            name: "allocbook",
            dependencies: [
                "SiteBuilder",
                "Preview",
                "Replay",
                "Scenarios",
                "AllocatorModels",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // libFuzzer targets for every input format (built by .ci/fuzz/run with -sanitize=fuzzer).
        .executableTarget(
            name: "allocbook-fuzz", dependencies: ["SiteBuilder", "Replay", "AllocatorModels"]),
        // Replays a trace against the machine's real glibc malloc (C, no stdio).
        .executableTarget(name: "glibc-replay"),
        .testTarget(name: "AllocatorModelsTests", dependencies: ["AllocatorModels"]),
        .testTarget(name: "ScenariosTests", dependencies: ["Scenarios", "AllocatorModels"]),
        .testTarget(
            name: "FiguresTests",
            dependencies: ["Figures", "Scenarios", "AllocatorModels", "SiteBuilder"],
            exclude: ["Snapshots"]),
        .testTarget(name: "ReplayTests", dependencies: ["Replay", "AllocatorModels"]),
        .testTarget(name: "LessonMarkdownTests", dependencies: ["LessonMarkdown"]),
        .testTarget(
            name: "SiteBuilderTests",
            dependencies: ["SiteBuilder", "Replay", "Figures", "Scenarios", "AllocatorModels"],
            exclude: ["Snapshots", "Fixtures"]),
        // Runs the built executables (allocbook, glibc-replay) as a user would.
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "allocbook", "glibc-replay", "AllocatorModels", "Scenarios", "Replay",
                "SiteBuilder", "Preview",
            ]),
    ]
)
