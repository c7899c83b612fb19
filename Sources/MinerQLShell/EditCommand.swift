// `.edit`: the last statement opens in $VISUAL, else $EDITOR, else vi (as in
// psql's \e); what is saved runs as if typed, and enters the history. An
// editor that exits with a failure runs nothing.
import Foundation
import MinerQL

extension Shell {
    /// The editor command the environment asks for.
    var editorCommand: String {
        CommandSetting.first(of: ["VISUAL", "EDITOR"], in: environment) ?? "vi"
    }

    func runEditCommand(fail: (String) -> Bool) -> Bool {
        // The editor is any program: as much a way out as writing a file.
        do {
            try database.settings.fileAccess.checkWrite("a temporary file for .edit")
        } catch {
            return fail("\(error)")
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("minerql-edit-\(UUID().uuidString).sql").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let original = (lastStatement ?? "") + "\n"
        guard FileManager.default.createFile(atPath: path, contents: Data(original.utf8)) else {
            return fail("Error: cannot write \"\(path)\"")
        }
        let editor = Process()
        editor.executableURL = URL(fileURLWithPath: "/bin/sh")
        // The command may carry its own arguments (`code --wait`); the file is "$1".
        editor.arguments = ["-c", editorCommand + " \"$1\"", "sh", path]
        editor.environment = environment
        do {
            try editor.run()
        } catch {
            return fail("Error: cannot run the editor \"\(editorCommand)\": \(error.localizedDescription)")
        }
        editor.waitUntilExit()
        guard editor.terminationReason == .exit, editor.terminationStatus == 0 else {
            return fail("Error: the editor \"\(editorCommand)\" failed (status \(editor.terminationStatus)); nothing was run")
        }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            return fail("Error: cannot read what the editor saved")
        }
        let edited = text.trimmingWhitespace()
        guard !edited.isEmpty else { return true }
        activeReader?.addHistory(edited)
        terminal(edited + "\n")
        return run(reader: TextLineReader(edited), source: .command)
    }
}
