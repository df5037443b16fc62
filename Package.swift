// swift-tools-version: 6.1
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
        .library(name: "Playground", targets: ["Playground"]),
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
        // The one HTML/XML escaper (shared by the pages, the figures and the JUnit report) and the
        // one JSON/YAML string quoter (the site's scripts and index, the playground's results).
        // Pure Swift, no dependencies, not even Foundation (compiles for Embedded Swift wasm32).
        .target(name: "Markup"),
        // The only module that touches cmark.
        .target(name: "LessonMarkdown", dependencies: ["CCmarkGFM", "Markup"]),
        // The allocator models: glibc malloc and the kernel machine (buddy, SLUB, vmalloc).
        // Pure Swift, no dependencies, not even Foundation (compiles for Embedded Swift wasm32).
        .target(name: "AllocatorModels"),
        // The scenario language, its runners and the figure frames they produce. Pure Swift.
        .target(name: "Scenarios", dependencies: ["AllocatorModels"]),
        // The SVG figures of scenario frames. Pure Swift.
        .target(name: "Figures", dependencies: ["Scenarios", "AllocatorModels", "Markup"]),
        // A reader's run of statements: the one code path behind the browser's
        // window.AllocBook.run (compiled to WebAssembly by .ci/build-wasm) and `allocbook run`.
        // Pure Swift. Web/ holds the JavaScript and CSS that allocbook build copies into the site.
        .target(
            name: "Playground",
            dependencies: ["Markup", "Figures", "Scenarios", "AllocatorModels"],
            exclude: ["Web"]),
        // Starts processes: trace formats and runners, the real-glibc and real-kernel replays and
        // verifiers. The kernel replayer's files (KernelReplay/) are embedded by the plugin.
        .target(
            name: "Replay", dependencies: ["Markup", "Scenarios", "AllocatorModels"],
            plugins: ["EmbedAssets"]),
        // The pipeline: course, pages, assets, output folder; check and build.
        .target(
            name: "SiteBuilder",
            dependencies: [
                "LessonMarkdown",
                "Markup",
                "AllocatorModels",
                "Scenarios",
                "Figures",
                "Replay",
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
        // `allocbook serve`: the live preview's HTTP server, file watcher and reload script.
        .target(
            name: "Preview",
            dependencies: [
                "SiteBuilder",
                "Markup",
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
                "Playground",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Runs the replayer allocbook carries (its C source is in Replay) for scripts.
        .executableTarget(name: "glibc-replay", dependencies: ["Replay"]),
        // libFuzzer targets for every input format (built by .ci/fuzz/run with -sanitize=fuzzer).
        .executableTarget(
            name: "allocbook-fuzz", dependencies: ["SiteBuilder", "Replay", "AllocatorModels"]),
        // What the test targets share: the seeded generator, the process runner, golden files,
        // the glibc trace generator.
        .target(name: "TestSupport", dependencies: ["Figures"], path: "Tests/TestSupport"),
        // Each test target depends on the module it tests, the modules below it and TestSupport;
        // EndToEndTests, which runs the built binaries, joins what no one module holds.
        .testTarget(
            name: "AllocatorModelsTests", dependencies: ["AllocatorModels", "TestSupport"]),
        .testTarget(name: "ScenariosTests", dependencies: ["Scenarios", "AllocatorModels"]),
        .testTarget(
            name: "FiguresTests",
            dependencies: [
                "Figures", "Scenarios", "AllocatorModels", "Markup", "TestSupport",
            ],
            exclude: ["Snapshots"]),
        .testTarget(
            name: "PlaygroundTests", dependencies: ["Playground", "Figures", "Scenarios"]),
        .testTarget(name: "ReplayTests", dependencies: ["Replay", "AllocatorModels"]),
        .testTarget(
            name: "LessonMarkdownTests",
            dependencies: ["LessonMarkdown", "CCmarkGFM", "Markup", "TestSupport"]),
        .testTarget(name: "MarkupTests", dependencies: ["Markup"]),
        .testTarget(
            name: "SiteBuilderTests",
            dependencies: [
                "SiteBuilder", "LessonMarkdown", "Replay", "Figures", "Scenarios",
                "AllocatorModels", "TestSupport",
            ],
            exclude: ["Snapshots", "Fixtures"]),
        // Runs the built executables (allocbook, glibc-replay) as a user would.
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "allocbook", "glibc-replay", "AllocatorModels", "Scenarios", "Figures", "Replay",
                "SiteBuilder", "Preview", "Playground", "TestSupport",
            ],
            // The real kernel's output, recorded by .ci/test's live-kernel stage (LiveKernel).
            exclude: ["Fixtures"]),
    ]
)
