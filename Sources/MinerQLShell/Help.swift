// `.help`: the dot commands by group, and `.help TOPIC`: a short lesson on a
// piece of the language with an example that runs on the built-in tables
// (HelpTests runs every example, so they cannot go stale).

enum Help {
    struct Command {
        /// The command's name without its dot, as typed.
        let name: String
        let usage: String
        let summary: String
    }

    static let groups: [(title: String, commands: [Command])] = [
        ("Results", [
            Command(name: "mode", usage: ".mode FORMAT", summary: "box (default), table, csv, tsv, json, jsonl, markdown, line"),
            Command(name: "headers", usage: ".headers on|off", summary: "Show column names"),
            Command(name: "nullvalue", usage: ".nullvalue TEXT", summary: "Text shown for NULL"),
            Command(name: "maxrows", usage: ".maxrows N", summary: "Show the first and last rows of longer results (default 40; 0: all)"),
            Command(name: "maxwidth", usage: ".maxwidth N", summary: "Fit results in N columns (default 0: the terminal's width)"),
            Command(name: "numbers", usage: ".numbers on|off", summary: "Thousands separators in numbers"),
            Command(name: "last", usage: ".last", summary: "Show the previous result again, every row and column"),
            Command(name: "pager", usage: ".pager on|off|auto", summary: "Page results ($MINERQL_PAGER, $PAGER, less -SRFX); auto: when taller or wider than the terminal"),
            Command(name: "chart", usage: ".chart KIND COLUMNS…", summary: "Draw the previous result: line X Y…, bar LABEL VALUE, scatter X Y, hist COLUMN [BINS]; --svg FILE"),
            Command(name: "output", usage: ".output [FILE]", summary: "Send results to FILE (written when closed); alone: back to the terminal"),
            Command(name: "once", usage: ".once FILE", summary: "Send the next result to FILE"),
            Command(name: "timer", usage: ".timer on|off", summary: "Print run times after each statement"),
        ]),
        ("Data", [
            Command(name: "tables", usage: ".tables", summary: "List the tables"),
            Command(name: "schema", usage: ".schema [TABLE]", summary: "Show CREATE statements for all tables or one"),
            Command(name: "import", usage: ".import FILE TABLE", summary: "Load a CSV file into a table (created if missing)"),
        ]),
        ("Scripts", [
            Command(name: "read", usage: ".read FILE", summary: "Run the statements of FILE"),
            Command(name: "edit", usage: ".edit", summary: "Edit the last statement in $VISUAL or $EDITOR, then run what is saved"),
            Command(name: "param", usage: ".param set NAME VALUE", summary: "Bind $NAME to VALUE (a number, date or string)"),
            Command(name: "param", usage: ".param unset NAME", summary: "Remove a binding"),
            Command(name: "param", usage: ".param list", summary: "Show the bindings"),
            Command(name: "param", usage: ".param clear", summary: "Remove every binding"),
        ]),
        ("Session", [
            Command(name: "help", usage: ".help [TOPIC]", summary: "Show this message, or explain a topic: " + topics.map(\.name).joined(separator: ", ")),
            Command(name: "quit", usage: ".quit, .exit", summary: "Exit the shell"),
        ]),
    ]

    /// Every dot command's name (`exit` is `quit`'s other name).
    static let commandNames: [String] = {
        var names = ["exit"]
        for command in groups.flatMap(\.commands) where !names.contains(command.name) { names.append(command.name) }
        return names.sorted()
    }()

    /// The listing `.help` prints.
    static var text: String {
        let width = groups.flatMap(\.commands).map(\.usage.count).max() ?? 0
        var out = ""
        for group in groups {
            out += group.title + "\n"
            for command in group.commands {
                out += "  " + command.usage.padding(width + 2) + command.summary + "\n"
            }
        }
        return out + "\n"
    }

    struct Topic {
        let name: String
        let explanation: String
        /// Statements and dot commands that run on the built-in tables.
        let example: String
    }

    static let topics: [Topic] = [
        Topic(name: "pipe", explanation: """
            Pipe syntax (GoogleSQL): start from a table, or any query, and apply one
            operator after another with |>. Every prefix is itself a query, so you can
            build a question step by step and run it at each step.
              |> WHERE cond           |> SELECT exprs          |> EXTEND expr AS name
              |> SET col = expr       |> DROP col              |> RENAME a AS b
              |> AGGREGATE aggs [GROUP BY keys]                |> ORDER BY …  |> LIMIT n
              |> JOIN t ON …          |> AS alias              |> UNION ALL (query)
            """, example: """
            FROM quarters
            |> WHERE hpc_revenue_usd_m IS NOT NULL
            |> AGGREGATE sum(hpc_revenue_usd_m) AS hpc_usd_m GROUP BY ticker
            |> ORDER BY hpc_usd_m DESC;
            """),
        Topic(name: "asof", explanation: """
            ASOF JOIN matches each left row with the nearest right row on an ordered
            key (a date, say) instead of an equal one: the latest price on or before
            each quarter end, whatever day the quarter ends on. Other conditions in ON
            must be equalities; ASOF LEFT JOIN keeps left rows without a match.
              FROM left ASOF JOIN right ON left.k = right.k AND left.t >= right.t
            """, example: """
            SELECT q.ticker, q.period_end, p.date AS price_date, p.close
              FROM quarters q ASOF JOIN prices p ON q.period_end >= p.date
             WHERE q.ticker = 'MARA' ORDER BY q.period_end;
            """),
        Topic(name: "window", explanation: """
            A window function computes over rows related to the current row without
            grouping them away: fn(…) OVER (PARTITION BY … ORDER BY … [frame]).
            Ranking: row_number rank dense_rank ntile; offsets: lag lead first_value
            last_value nth_value; every aggregate over a frame such as
            ROWS BETWEEN 2 PRECEDING AND CURRENT ROW. QUALIFY filters on the result.
            """, example: """
            SELECT date, close,
                   max(close) OVER (ORDER BY date) AS peak,
                   round(100 * (close / max(close) OVER (ORDER BY date) - 1), 1) AS drawdown_pct
              FROM prices ORDER BY date DESC LIMIT 5;
            """),
        Topic(name: "formats", explanation: """
            .mode sets how results are shown: box (the default, with types), table,
            line, and the export formats csv, tsv, json, jsonl, markdown (also
            --format, --csv, --json, --markdown on the command line). To a file:
            .once FILE for one result, .output FILE until .output alone, or
            COPY (query) TO 'file.csv' (FORMAT csv|tsv|json|jsonl|markdown).
            Files you bring are tables: FROM 'file.csv', read_csv('f', delim = ';').
            """, example: """
            .mode markdown
            SELECT ticker, name FROM miners ORDER BY ticker LIMIT 3;
            .mode box
            """),
        Topic(name: "chart", explanation: """
            .chart draws the previous result in the terminal, or as SVG with
            --svg FILE [--title TEXT]:
              .chart line X Y [Y2 …]     X a number, DATE or TIMESTAMP; one line per Y
              .chart bar LABEL VALUE     one bar per row
              .chart scatter X Y
              .chart hist COLUMN [BINS]  the values' distribution (default 10 bins)
            NULLs are skipped.
            """, example: """
            SELECT date, close FROM prices WHERE date >= DATE '2025-01-01' ORDER BY date;
            .chart line date close
            """),
    ]

    static func topic(_ name: String) -> Topic? {
        topics.first { $0.name == name.lowercased() }
    }

    /// What `.help TOPIC` prints.
    static func text(of topic: Topic) -> String {
        var out = topic.explanation + "\n\nExample:\n"
        for line in topic.example.split(separator: "\n", omittingEmptySubsequences: false) { out += "  " + line + "\n" }
        return out
    }
}
