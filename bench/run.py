#!/usr/bin/env python3
"""Runs the benchmark queries in minerql, DuckDB (1 and 2 threads) and sqlite3 on
the same generated data, in one run, and prints a Markdown table of medians and
ratios. Each engine loads the data once per process and runs every query RUNS
times; times are each shell's own `.timer on` line (`Run Time (s): real …`),
except sqlite3's load, which is a dot command its timer does not see and is
timed as a whole process.

Suites: the prices data in random row order (the main run) and sorted by
symbol and date (the order a per-symbol download has), and the h2o.ai
db-benchmark groupby task on 10 million rows in random order (minerql and
DuckDB only), with each answer's row count in both engines and each engine's
peak memory for the load and for each question (a process per question).

Usage: bench/run.py [--rows N] [--runs R] [--h2o-rows N] [--h2o-runs R]
                    [--suites random,sorted,h2o] [--no-memory] [--data DIR] [--minerql PATH]
"""
import argparse, datetime, os, platform, re, shutil, statistics, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

# (name, standard SQL, sqlite variant or None when it is the same, sqlite lacks it);
# {half} is half the rows (a top-k whose k is a sizeable fraction of the input).
QUERIES = [
    ("filter + aggregate",
     "SELECT count(*), sum(volume), avg(close) FROM prices WHERE close > 50", None, False),
    ("group by symbol",
     "SELECT count(*), sum(a), sum(lo), sum(hi), sum(v) FROM (SELECT symbol, avg(close) AS a, min(close) AS lo, "
     "max(close) AS hi, sum(volume) AS v FROM prices GROUP BY symbol) g", None, False),
    ("group by month",
     "SELECT count(*), sum(a) FROM (SELECT date_trunc('month', date) AS m, avg(close) AS a FROM prices GROUP BY m) g",
     "SELECT count(*), sum(a) FROM (SELECT strftime('%Y-%m', date) AS m, avg(close) AS a FROM prices GROUP BY m) g",
     False),
    ("group by symbol, month",
     "SELECT count(*), sum(a) FROM (SELECT symbol, date_trunc('month', date) AS m, avg(close) AS a FROM prices "
     "GROUP BY symbol, m) g",
     "SELECT count(*), sum(a) FROM (SELECT symbol, strftime('%Y-%m', date) AS m, avg(close) AS a FROM prices "
     "GROUP BY symbol, m) g", False),
    ("join + group by sector",
     "SELECT s.sector, count(*), avg(p.close) FROM prices p JOIN symbols s ON p.symbol = s.symbol "
     "GROUP BY s.sector ORDER BY s.sector", None, False),
    ("window: drawdown",
     "SELECT min(dd) FROM (SELECT close / max(close) OVER (PARTITION BY symbol ORDER BY date "
     "ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) - 1 AS dd FROM prices) w", None, False),
    ("top-k",
     "SELECT date, symbol, close FROM prices ORDER BY close DESC LIMIT 10", None, False),
    ("top-k, k = half",
     "SELECT sum(x) FROM (SELECT close AS x FROM prices ORDER BY close LIMIT {half}) y", None, False),
    ("count distinct",
     "SELECT count(DISTINCT symbol) FROM prices", None, False),
    ("large sort",
     "CREATE TABLE sorted AS SELECT * FROM prices ORDER BY close, symbol", None, False),
    ("asof join",
     "SELECT count(*), avg(p.close) FROM quarter_ends q ASOF JOIN prices p "
     "ON q.symbol = p.symbol AND q.quarter_end >= p.date", None, True),
]

# The h2o.ai db-benchmark groupby questions, as its DuckDB solution writes them:
# each answer is stored (CREATE TABLE ans AS ...), so building the result counts.
H2O_QUESTIONS = [
    ("q1", "SELECT id1, sum(v1) AS v1 FROM x GROUP BY id1"),
    ("q2", "SELECT id1, id2, sum(v1) AS v1 FROM x GROUP BY id1, id2"),
    ("q3", "SELECT id3, sum(v1) AS v1, avg(v3) AS v3 FROM x GROUP BY id3"),
    ("q4", "SELECT id4, avg(v1) AS v1, avg(v2) AS v2, avg(v3) AS v3 FROM x GROUP BY id4"),
    ("q5", "SELECT id6, sum(v1) AS v1, sum(v2) AS v2, sum(v3) AS v3 FROM x GROUP BY id6"),
    ("q6", "SELECT id4, id5, median(v3) AS median_v3, stddev(v3) AS sd_v3 FROM x GROUP BY id4, id5"),
    ("q7", "SELECT id3, max(v1) - min(v2) AS range_v1_v2 FROM x GROUP BY id3"),
    ("q8", "SELECT id6, v3 AS largest2_v3 FROM (SELECT id6, v3, row_number() OVER (PARTITION BY id6 "
           "ORDER BY v3 DESC) AS order_v3 FROM x WHERE v3 IS NOT NULL) sub_query WHERE order_v3 <= 2"),
    ("q9", "SELECT id2, id4, pow(corr(v1, v2), 2) AS r2 FROM x GROUP BY id2, id4"),
    ("q10", "SELECT id1, id2, id3, id4, id5, id6, sum(v3) AS v3, count(*) AS count FROM x "
            "GROUP BY id1, id2, id3, id4, id5, id6"),
    # Beyond the db-benchmark's groupby task, on the same table: a window over
    # 100,000 partitions of about 100 rows, and a join whose sides both have
    # 10 million rows, on a key of a string, an integer and a double.
    ("w1", "SELECT id6, v3, sum(v3) OVER (PARTITION BY id6 ORDER BY v3) AS running_v3 FROM x"),
    ("j1", "SELECT a.id6, a.v3, b.v1 FROM x a JOIN x b ON a.id3 = b.id3 AND a.id6 = b.id6 AND a.v3 = b.v3"),
]

# DuckDB and minerql print `Run Time (s): real …`, sqlite3 `Run Time: real …`.
TIMER = re.compile(r"Run Time(?: \(s\))?: real ([0-9.]+)")


def engines(args, with_sqlite=True):
    """(label, command, kind) of each engine present."""
    found = [("minerql", [args.minerql], "minerql")]
    duckdb = shutil.which("duckdb")
    if duckdb:
        found.append(("DuckDB 1 thread", [duckdb], "duckdb1"))
        found.append(("DuckDB 2 threads", [duckdb], "duckdb2"))
    else:
        print("bench: duckdb not found (pip install duckdb-cli); left out", file=sys.stderr)
    sqlite = shutil.which("sqlite3")
    if sqlite and with_sqlite:
        found.append(("sqlite3", [sqlite, ":memory:"], "sqlite"))
    elif with_sqlite:
        print("bench: sqlite3 not found (apt-get install sqlite3); left out", file=sys.stderr)
    return found


def load_sql(kind, data):
    prices = os.path.join(data, "prices.csv")
    symbols = os.path.join(data, "symbols.csv")
    quarters = os.path.join(data, "quarter_ends.csv")
    if kind == "sqlite":
        return [
            "CREATE TABLE prices(date TEXT, symbol TEXT, close REAL, volume INTEGER);",
            "CREATE TABLE symbols(symbol TEXT, sector TEXT);",
            f".import --csv --skip 1 {prices} prices",
            f".import --csv --skip 1 {symbols} symbols",
        ]
    return [
        f"CREATE OR REPLACE TABLE prices AS SELECT * FROM read_csv('{prices}');",
        f"CREATE OR REPLACE TABLE symbols AS SELECT * FROM read_csv('{symbols}');",
        f"CREATE OR REPLACE TABLE quarter_ends AS SELECT * FROM read_csv('{quarters}');",
    ]


def h2o_load_sql(kind, data):
    return [f"CREATE OR REPLACE TABLE x AS SELECT * FROM read_csv('{data}');"]


def preamble(kind):
    if kind == "duckdb1":
        return ["SET threads = 1;"]
    if kind == "duckdb2":
        return ["SET threads = 2;"]
    return []


def prices_script(kind, data, runs, rows):
    """The script an engine runs, and the label of each timer line it prints."""
    lines, labels = preamble(kind) + [".timer on"], []
    for statement in load_sql(kind, data):
        lines.append(statement)
        if not statement.startswith("."):
            labels.append("load")
    for name, sql, sqlite_sql, not_in_sqlite in QUERIES:
        if kind == "sqlite" and not_in_sqlite:
            continue
        text = (sqlite_sql if (kind == "sqlite" and sqlite_sql) else sql).replace("{half}", str(rows // 2))
        for _ in range(runs):
            lines.append(text + ";")
            labels.append(name)
            if text.startswith("CREATE TABLE sorted"):
                lines += [".timer off", "DROP TABLE sorted;", ".timer on"]
    return "\n".join(lines) + "\n", labels


def h2o_script(kind, data, runs):
    """Loads the h2o table, then runs each question RUNS times; after the last run
    the answer's row count is printed as `rows,<question>,<count>`."""
    lines, labels = preamble(kind) + [".mode csv", ".timer on"], []
    for statement in h2o_load_sql(kind, data):
        lines.append(statement)
        labels.append("load")
    for name, sql in H2O_QUESTIONS:
        for run in range(runs):
            lines.append(f"CREATE OR REPLACE TABLE ans AS {sql};")
            labels.append(name)
        lines += [".timer off", f"SELECT 'rows', '{name}', count(*) FROM ans;", "DROP TABLE ans;", ".timer on"]
    return "\n".join(lines) + "\n", labels


def warm_cache(path):
    """Reads the data files so every engine loads them from the page cache."""
    names = [os.path.join(path, n) for n in os.listdir(path)] if os.path.isdir(path) else [path]
    for name in names:
        with open(name, "rb") as f:
            while f.read(1 << 24):
                pass


def run_script(label, command, text, labels, data):
    """Runs a script in one process: the median of each label's timer lines,
    and the process's standard output."""
    warm_cache(data)
    result = subprocess.run(command, input=text, capture_output=True, text=True)
    errors = [line for line in result.stderr.splitlines() if "Error" in line or "error" in line]
    if result.returncode != 0 or errors:
        print(f"bench: {label} failed (exit {result.returncode}):\n{result.stderr[-2000:]}", file=sys.stderr)
        sys.exit(1)
    times = [float(m) for m in TIMER.findall(result.stdout + result.stderr)]
    if len(times) != len(labels):
        print(f"bench: {label}: expected {len(labels)} timer lines, got {len(times)}", file=sys.stderr)
        sys.exit(1)
    by_label = {}
    for name, seconds in zip(labels, times):
        by_label.setdefault(name, []).append(seconds)
    medians = {name: statistics.median(v) for name, v in by_label.items() if name != "load"}
    medians["load"] = sum(by_label.get("load", []))
    return medians, result.stdout


def sqlite_load_time(data):
    """sqlite3's .import is not timed by .timer: time a process that only loads."""
    text = "\n".join(load_sql("sqlite", data)) + "\n"
    warm_cache(data)
    started = time.perf_counter()
    subprocess.run(["sqlite3", ":memory:"], input=text, capture_output=True, text=True, check=True)
    return time.perf_counter() - started


def peak_memory_mib(command, statements, data):
    """Peak resident memory of a process that runs the statements."""
    text = "\n".join(statements) + "\n"
    warm_cache(data)
    result = subprocess.run(["/usr/bin/time", "-v"] + command, input=text, capture_output=True, text=True)
    match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", result.stderr)
    return int(match.group(1)) / 1024 if match else None


def startup_ms(command_line, runs=30):
    """Median wall time of a one-shot command, in milliseconds."""
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command_line, capture_output=True, check=True)
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def version(command):
    try:
        out = subprocess.run(command, capture_output=True, text=True).stdout.strip()
        return out.splitlines()[0] if out else "?"
    except OSError:
        return "?"


def fmt(seconds):
    if seconds is None:
        return "–"
    return f"{seconds * 1000:.0f} ms" if seconds < 10 else f"{seconds:.1f} s"


def ratio(ours, other):
    if ours is None or other is None or other == 0:
        return "–"
    return f"{ours / other:.2f}×"


def print_table(results, names, extra=None):
    """A Markdown table of each engine's medians and minerql's ratios; `extra`
    maps a column title to a per-name cell function."""
    others = [label for label in results if label != "minerql"]
    extra = extra or {}
    header = ("| query | minerql | " + " | ".join(others) + " | "
              + " | ".join(f"minerql / {o}" for o in others) + " |"
              + "".join(f" {title} |" for title in extra))
    print(header)
    print("|" + "---|" * (header.count("|") - 1))
    for name in names:
        ours = results["minerql"].get(name)
        cells = ([fmt(ours)] + [fmt(results[o].get(name)) for o in others]
                 + [ratio(ours, results[o].get(name)) for o in others]
                 + [cell(name) for cell in extra.values()])
        print(f"| {name} | " + " | ".join(cells) + " |")
    print()


def ensure_prices(args, order):
    data = os.path.join(args.data or os.path.join(HERE, "data"), f"{args.rows}-{order}")
    if not os.path.exists(os.path.join(data, "quarter_ends.csv")):
        print(f"bench: generating {args.rows:,} rows ({order} order) in {data}", file=sys.stderr)
        subprocess.run([sys.executable, os.path.join(HERE, "generate.py"), data, str(args.rows), order], check=True)
    return data


def prices_suite(args, order):
    data = ensure_prices(args, order)
    results, memory = {}, {}
    # sqlite3, the far anchor, runs in the main (random-order) suite only.
    for label, command, kind in engines(args, with_sqlite=order == "random"):
        print(f"bench: prices ({order}): running {label}", file=sys.stderr)
        text, labels = prices_script(kind, data, args.runs, args.rows)
        results[label], _ = run_script(label, command, text, labels, data)
        if kind == "sqlite":
            results[label]["load"] = sqlite_load_time(data)
        if kind != "duckdb1":
            memory[label] = peak_memory_mib(command, load_sql(kind, data) + ["SELECT count(*) FROM prices;"], data)
    print(f"### Prices, {args.rows:,} rows in {order} order, median of {args.runs} runs")
    print()
    print_table(results, ["load"] + [q[0] for q in QUERIES])
    print("Peak memory after loading the data: " + ", ".join(
        f"{label} {mib:.0f} MiB" for label, mib in memory.items() if mib is not None) + ".")
    print()


def h2o_name(rows):
    """The db-benchmark's name of a table: G1_1e7_1e2_0_0 for 10 million rows."""
    digits = len(str(rows)) - 1
    size = f"1e{digits}" if rows == 10 ** digits else str(rows)
    return f"G1_{size}_1e2_0_0"


def h2o_suite(args):
    data = os.path.join(args.data or os.path.join(HERE, "data"), f"h2o-{h2o_name(args.h2o_rows)}.csv")
    if not os.path.exists(data):
        print(f"bench: generating the h2o table, {args.h2o_rows:,} rows, in {data}", file=sys.stderr)
        subprocess.run([sys.executable, os.path.join(HERE, "generate_h2o.py"), data, str(args.h2o_rows)], check=True)
    results, counts, memory = {}, {}, {}
    names = [q[0] for q in H2O_QUESTIONS]
    for label, command, kind in engines(args, with_sqlite=False):
        print(f"bench: h2o groupby: running {label}", file=sys.stderr)
        text, labels = h2o_script(kind, data, args.h2o_runs)
        results[label], stdout = run_script(label, command, text, labels, data)
        counts[label] = dict(re.findall(r"^rows,(\w+),(\d+)$", stdout, re.MULTILINE))
        if kind == "duckdb1" or not args.memory:
            continue
        load = preamble(kind) + h2o_load_sql(kind, data)
        memory[(label, "load")] = peak_memory_mib(command, load + ["SELECT count(*) FROM x;"], data)
        for name, sql in H2O_QUESTIONS:
            print(f"bench: h2o groupby: peak memory of {label}, {name}", file=sys.stderr)
            memory[(label, name)] = peak_memory_mib(command, load + [f"CREATE TABLE ans AS {sql};"], data)
    print(f"### h2o.ai groupby, {h2o_name(args.h2o_rows)} ({args.h2o_rows:,} rows, random order), "
          f"median of {args.h2o_runs} runs")
    print()
    extra = {"rows (minerql / DuckDB)": lambda n: (
        f"{counts['minerql'].get(n, '?')} / {counts.get('DuckDB 2 threads', {}).get(n, '?')}" if n != "load" else "–")}
    if memory:
        for label in ("minerql", "DuckDB 2 threads"):
            extra[f"peak MiB, {label}"] = (lambda lab: lambda n: (
                f"{memory[(lab, n)]:.0f}" if memory.get((lab, n)) is not None else "–"))(label)
    print_table(results, ["load"] + names, extra)
    mismatched = [n for n in names if "DuckDB 2 threads" in counts
                  and counts["minerql"].get(n) != counts["DuckDB 2 threads"].get(n)]
    if mismatched:
        print(f"Row counts differ from DuckDB's: {', '.join(mismatched)}.")
        print()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000_000, help="rows of the prices table")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--h2o-rows", type=int, default=10_000_000)
    parser.add_argument("--h2o-runs", type=int, default=3)
    parser.add_argument("--suites", default="random,sorted,h2o",
                        help="comma-separated: random, sorted (the prices data in each order), h2o")
    parser.add_argument("--no-memory", dest="memory", action="store_false",
                        help="skip the per-question peak memory of the h2o suite")
    parser.add_argument("--data", default=None, help="where generated data is kept (default bench/data)")
    parser.add_argument("--minerql", default=os.path.join(ROOT, ".build", "release", "minerql"))
    args = parser.parse_args()
    suites = args.suites.split(",")
    for suite in suites:
        if suite not in ("random", "sorted", "h2o"):
            parser.error(f"unknown suite {suite}")

    print(f"Benchmark of {datetime.date.today().isoformat()} on {platform.node()} "
          f"({platform.machine()}, {os.cpu_count()} cores, {cpu_model()}).")
    print(f"{version([args.minerql, '--version'])}; DuckDB {version(['duckdb', '--version'])}; "
          f"sqlite3 {version(['sqlite3', '--version']).split(' ')[0]}.")
    print()
    for suite in suites:
        if suite == "h2o":
            h2o_suite(args)
        else:
            prices_suite(args, suite)
    sys.stdout.flush()
    start = [("minerql", [args.minerql, "-c", "SELECT count(*) FROM quarters"])]
    quarters = os.path.join(ROOT, "datasets", "quarters.csv")
    if shutil.which("duckdb"):
        start.append(("DuckDB", ["duckdb", "-c", f"SELECT count(*) FROM '{quarters}'"]))
    if shutil.which("sqlite3"):
        start.append(("sqlite3", ["sqlite3", ":memory:", "-cmd", f".import --csv {quarters} quarters",
                                  "SELECT count(*) FROM quarters"]))
    print("One-shot start-up (median of 30): " + ", ".join(f"{label} {startup_ms(cmd):.1f} ms" for label, cmd in start) + ".")


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


if __name__ == "__main__":
    main()
