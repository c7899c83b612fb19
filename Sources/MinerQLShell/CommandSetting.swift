// Programs the shell runs on the user's behalf (the pager, the editor) are
// named by environment variables tried in order: the first one set and not
// blank wins.

enum CommandSetting {
    static func first(of names: [String], in environment: [String: String]) -> String? {
        names.lazy.compactMap { environment[$0] }.first { !$0.trimmingWhitespace().isEmpty }
    }
}
