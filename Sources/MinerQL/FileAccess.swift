// Which files statements may read and write. `--safe` runs a script someone
// else wrote: it may read only the files and directories named on the command
// line and write none, so read_csv, COPY and the shell's file commands cannot
// reach anything else. Paths are compared after resolving `..` and symbolic
// links, so neither leads out of an allowed directory.
import Glibc

public enum FileAccess: Sendable, Equatable {
    case unrestricted
    /// Reading only these files and the files under these directories; no writing.
    case readOnly(files: [String], directories: [String])

    /// Read-only access to `files` and `directories` (as given on a command line).
    public static func safe(files: [String], directories: [String]) -> FileAccess {
        .readOnly(files: files.map(resolved), directories: directories.map(resolved))
    }

    /// Throws unless `path` may be read.
    public func checkRead(_ path: String, at position: SourcePosition? = nil) throws {
        guard case .readOnly(let files, let directories) = self else { return }
        let real = FileAccess.resolved(path)
        if files.contains(real) || directories.contains(where: { real.hasPrefix($0 == "/" ? "/" : $0 + "/") }) { return }
        throw MinerQLError(.permission, "reading \"\(path)\" is not allowed in --safe mode (only the files given on the command line)",
                           at: position)
    }

    /// Throws unless files may be written.
    public func checkWrite(_ path: String, at position: SourcePosition? = nil) throws {
        guard case .readOnly = self else { return }
        throw MinerQLError(.permission, "writing \"\(path)\" is not allowed in --safe mode", at: position)
    }

    /// The absolute path with `.`, `..` and symbolic links resolved; for a
    /// path that does not exist, its directory resolved and its name kept.
    static func resolved(_ path: String) -> String {
        if let real = realpath(path, nil) {
            defer { free(real) }
            return String(cString: real)
        }
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { path[..<$0].isEmpty ? "/" : String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        guard let real = realpath(directory, nil) else { return path }
        defer { free(real) }
        let base = String(cString: real)
        return (base == "/" ? "" : base) + "/" + name
    }
}
