// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "minerql",
    products: [
        .executable(name: "minerql", targets: ["minerql"]),
        .library(name: "MinerQL", targets: ["MinerQL"]),
        .library(name: "QueryGenerator", targets: ["QueryGenerator"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        // The engine: SQL text in, typed results or typed errors out. No terminal I/O.
        .target(name: "MinerQL", dependencies: ["CRE2"]),
        // RE2 (Debian's libre2-dev) behind a C face: DuckDB's regex engine, linear-time.
        .target(name: "CRE2", linkerSettings: [.linkedLibrary("re2")]),
        // The built-in tables, embedded from datasets/*.csv at build time.
        .executableTarget(name: "EmbedDatasets", path: "Sources/EmbedDatasets"),
        .plugin(name: "EmbedDatasetsPlugin", capability: .buildTool(), dependencies: ["EmbedDatasets"]),
        .target(name: "MinerQLDatasets", plugins: ["EmbedDatasetsPlugin"]),
        // libedit's native API, reached through a shim header of inline wrappers.
        .systemLibrary(name: "CLibEdit", pkgConfig: "libedit", providers: [.apt(["libedit-dev"])]),
        // The interactive shell: line editing, dot commands, renderers.
        .target(name: "MinerQLShell", dependencies: ["MinerQL", "MinerQLDatasets", "CLibEdit"]),
        .executableTarget(name: "minerql", dependencies: [
            "MinerQLShell",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // The sqllogictest runner the SQL test suite and the conformance corpus run on.
        .target(name: "SQLLogicTest", dependencies: ["MinerQL", .product(name: "Crypto", package: "swift-crypto")]),
        .executableTarget(name: "minerql-slt", dependencies: [
            "SQLLogicTest", "MinerQLDatasets",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // The minerql side of the differential fuzzer against DuckDB (scripts/fuzz-diff).
        .executableTarget(name: "minerql-fuzz-worker", dependencies: ["MinerQL", "MinerQLDatasets"]),
        // Random SQL from the grammar, for fuzzing (Tests and Fuzz/).
        .target(name: "QueryGenerator", dependencies: ["MinerQL"]),
        .testTarget(name: "MinerQLTests", dependencies: ["MinerQL", "MinerQLDatasets", "SQLLogicTest", "QueryGenerator"]),
        .testTarget(name: "MinerQLShellTests", dependencies: ["MinerQLShell", "MinerQL"], exclude: ["Golden"]),
    ],
    cxxLanguageStandard: .cxx17
)

// `make fuzz` (scripts/fuzz) sets MINERQL_FUZZ: the engine and the fuzz targets
// are then built with libFuzzer's coverage and AddressSanitizer. libFuzzer
// supplies main(), so the fuzz targets cannot link in a normal build and exist
// only then.
if Context.environment["MINERQL_FUZZ"] != nil {
    let sanitizers = ["-sanitize=fuzzer,address"]
    for target in package.targets where ["MinerQL", "QueryGenerator"].contains(target.name) {
        target.swiftSettings = (target.swiftSettings ?? []) + [.unsafeFlags(sanitizers)]
    }
    package.products += [
        .executable(name: "fuzz-sql", targets: ["FuzzSQL"]),
        .executable(name: "fuzz-grammar", targets: ["FuzzGrammar"]),
    ]
    package.targets += [
        .target(name: "FuzzSupport", dependencies: ["MinerQL", "QueryGenerator"], swiftSettings: [.unsafeFlags(sanitizers)]),
    ] + ["FuzzSQL", "FuzzGrammar"].map { name in
        .executableTarget(name: name, dependencies: ["FuzzSupport", "QueryGenerator"],
                          swiftSettings: [.unsafeFlags(sanitizers)],
                          linkerSettings: [.unsafeFlags(sanitizers + ["-use-ld=lld"])])
    }
}
