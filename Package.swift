// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "AllocBook",
    products: [
        .executable(name: "allocbook", targets: ["allocbook"]),
        .executable(name: "glibc-replay", targets: ["glibc-replay"]),
        .library(name: "AllocatorModels", targets: ["AllocatorModels"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.0.0"),
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
        // Pure Swift allocator models: no dependencies, not even Foundation.
        .target(name: "AllocatorModels"),
        // The pipeline: load course, parse, run scenarios, render pages and diagrams, write.
        .target(
            name: "SiteBuilder",
            dependencies: [
                "LessonMarkdown",
                "AllocatorModels",
                .product(name: "Yams", package: "Yams"),
            ],
            // The stylesheet and scripts, embedded into the code by the plugin below, so that
            // `allocbook` copied alone into any folder still writes a complete site.
            exclude: ["Theme/Assets"],
            plugins: ["EmbedAssets"]
        ),
        // Build-time tool and plugin that turn Theme/Assets/*.css|js into string literals.
        .executableTarget(name: "embed-assets"),
        .plugin(
            name: "EmbedAssets", capability: .buildTool(), dependencies: ["embed-assets"]),
        // Thin command line.
        .executableTarget(
            name: "allocbook",
            dependencies: [
                "SiteBuilder",
                "AllocatorModels",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Replays a trace against the machine's real glibc malloc (C, no stdio).
        .executableTarget(name: "glibc-replay"),
        .testTarget(name: "AllocatorModelsTests", dependencies: ["AllocatorModels"]),
        .testTarget(name: "LessonMarkdownTests", dependencies: ["LessonMarkdown"]),
        .testTarget(
            name: "SiteBuilderTests", dependencies: ["SiteBuilder", "AllocatorModels"],
            exclude: ["SVG/Snapshots", "Snapshots", "Fixtures"]),
        // Runs the built executables (allocbook, glibc-replay) as a user would.
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["allocbook", "glibc-replay", "AllocatorModels", "SiteBuilder"]),
    ]
)
