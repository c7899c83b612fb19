// Where the test suite finds its files: the repository's Tests/sql and
// datasets, and the shared folder that sits beside the repository.
import Foundation

enum TestPaths {
    /// The repository root, found from this file's path.
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static let sqlTests = repository.appendingPathComponent("Tests/sql")
    static let datasets = repository.appendingPathComponent("datasets")
    /// `../shared` beside the repository, as laid out for developers and CI.
    static let shared = repository.deletingLastPathComponent().appendingPathComponent("shared")
}
