#!/usr/bin/env python3
"""Runs the benchmark queries in minerql, DuckDB (1 and 2 threads) and sqlite3 on
the same generated data, in one run, and prints a Markdown table of medians and
ratios. Each engine loads the data once per process and runs every query RUNS
times; times are each shell's own `.timer on` line (`Run Time (s): real …`),
except sqlite3's load, which is a dot command its timer does not see and is
timed as a whole process.

Usage: bench/run.py [--rows N] [--runs R] [--data DIR] [--minerql PATH]
"""
import argparse, datetime, os, platform, re, shutil, statistics, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

# (name, standard SQL, sqlite variant or None when it is the same, sqlite lacks it)
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
    ("join + group by sector",
     "SELECT s.sector, count(*), avg(p.close) FROM prices p JOIN symbols s ON p.symbol = s.symbol "
     "GROUP BY s.sector ORDER BY s.sector", None, False),
    ("window: drawdown",
     "SELECT min(dd) FROM (SELECT close / max(close) OVER (PARTITION BY symbol ORDER BY date "
     "ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) - 1 AS dd FROM prices) w", None, False),
    ("top-k",
     "SELECT date, symbol, close FROM prices ORDER BY close DESC LIMIT 10", None, False),
    ("count distinct",
     "SELECT count(DISTINCT symbol) FROM prices", None, False),
    ("large sort",
     "CREATE TABLE sorted AS SELECT * FROM prices ORDER BY close, symbol", None, False),
    ("asof join",
     "SELECT count(*), avg(p.close) FROM quarter_ends q ASOF JOIN prices p "
     "ON q.symbol = p.symbol AND q.quarter_end >= p.date", None, True),
]

# DuckDB and minerql print `Run Time (s): real …`, sqlite3 `Run Time: real …`.
TIMER = re.compile(r"Run Time(?: \(s\))?: real ([0-9.]+)")


def engines(args):
    """(label, command, kind) of each engine present."""
    found = []
    found.append(("minerql", [args.minerql], "minerql"))
    duckdb = shutil.which("duckdb")
    if duckdb:
        found.append(("DuckDB 1 thread", [duckdb], "duckdb1"))
        found.append(("DuckDB 2 threads", [duckdb], "duckdb2"))
    else:
        print("bench: duckdb not found (pip install duckdb-cli); left out", file=sys.stderr)
    sqlite = shutil.which("sqlite3")
    if sqlite:
        found.append(("sqlite3", [sqlite, ":memory:"], "sqlite"))
    else:
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


def script(kind, data, runs):
    """The script an engine runs, and the label of each timer line it prints."""
    lines, labels = [], []
    if kind == "duckdb1":
        lines.append("SET threads = 1;")
    if kind == "duckdb2":
        lines.append("SET threads = 2;")
    lines.append(".timer on")
    for statement in load_sql(kind, data):
        lines.append(statement)
        if not statement.startswith("."):
            labels.append("load")
    for name, sql, sqlite_sql, not_in_sqlite in QUERIES:
        if kind == "sqlite" and not_in_sqlite:
            continue
        text = sqlite_sql if (kind == "sqlite" and sqlite_sql) else sql
        for _ in range(runs):
            lines.append(text + ";")
            labels.append(name)
            if text.startswith("CREATE TABLE sorted"):
                lines += [".timer off", "DROP TABLE sorted;", ".timer on"]
    return "\n".join(lines) + "\n", labels


def warm_cache(data):
    """Reads the data files so every engine loads them from the page cache."""
    for name in os.listdir(data):
        with open(os.path.join(data, name), "rb") as f:
            while f.read(1 << 24):
                pass


def run_engine(label, command, kind, data, runs):
    warm_cache(data)
    text, labels = script(kind, data, runs)
    started = time.perf_counter()
    result = subprocess.run(command, input=text, capture_output=True, text=True)
    wall = time.perf_counter() - started
    errors = [line for line in result.stderr.splitlines() if "Error" in line or "error" in line]
    if result.returncode != 0 or errors:
        print(f"bench: {label} failed (exit {result.returncode}):\n{result.stderr[-2000:]}", file=sys.stderr)
        sys.exit(1)
    times = [float(m) for m in TIMER.findall(result.stdout + result.stderr)]
    if len(times) != len(labels):
        print(f"bench: {label}: expected {len(labels)} timer lines, got {len(times)}", file=sys.stderr)
        sys.exit(1)
    by_query = {}
    for name, seconds in zip(labels, times):
        by_query.setdefault(name, []).append(seconds)
    medians = {name: statistics.median(v) for name, v in by_query.items() if name != "load"}
    medians["load"] = sum(by_query.get("load", [])) if kind != "sqlite" else None
    return medians, wall


def sqlite_load_time(data):
    """sqlite3's .import is not timed by .timer: time a process that only loads."""
    text = "\n".join(load_sql("sqlite", data)) + "\n"
    warm_cache(data)
    started = time.perf_counter()
    subprocess.run(["sqlite3", ":memory:"], input=text, capture_output=True, text=True, check=True)
    return time.perf_counter() - started


def peak_memory_mib(command, kind, data):
    """Peak resident memory of a process that loads the data and counts it."""
    text = "\n".join(load_sql(kind, data)) + "\nSELECT count(*) FROM prices;\n"
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


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--data", default=None)
    parser.add_argument("--minerql", default=os.path.join(ROOT, ".build", "release", "minerql"))
    args = parser.parse_args()
    data = args.data or os.path.join(HERE, "data", str(args.rows))
    if not os.path.exists(os.path.join(data, "quarter_ends.csv")):
        print(f"bench: generating {args.rows:,} rows in {data}", file=sys.stderr)
        subprocess.run([sys.executable, os.path.join(HERE, "generate.py"), data, str(args.rows)], check=True)

    results, memory = {}, {}
    for label, command, kind in engines(args):
        print(f"bench: running {label}", file=sys.stderr)
        results[label], _ = run_engine(label, command, kind, data, args.runs)
        if kind == "sqlite":
            results[label]["load"] = sqlite_load_time(data)
        if kind != "duckdb1":
            memory[label] = peak_memory_mib(command, kind, data)

    names = ["load"] + [q[0] for q in QUERIES]
    others = [label for label in results if label != "minerql"]
    print(f"Benchmark of {datetime.date.today().isoformat()} on {platform.node()} "
          f"({platform.machine()}, {os.cpu_count()} cores, {cpu_model()}); {args.rows:,} rows, "
          f"median of {args.runs} runs.")
    print(f"{version([args.minerql, '--version'])}; DuckDB {version(['duckdb', '--version'])}; "
          f"sqlite3 {version(['sqlite3', '--version']).split(' ')[0]}.")
    print()
    header = "| query | minerql | " + " | ".join(others) + " | " + " | ".join(f"minerql / {o}" for o in others) + " |"
    print(header)
    print("|" + "---|" * (header.count("|") - 1))
    for name in names:
        ours = results["minerql"].get(name)
        cells = [fmt(ours)] + [fmt(results[o].get(name)) for o in others] + [ratio(ours, results[o].get(name)) for o in others]
        print(f"| {name} | " + " | ".join(cells) + " |")
    print()
    print("Peak memory after loading the data: " + ", ".join(
        f"{label} {mib:.0f} MiB" for label, mib in memory.items() if mib is not None) + ".")
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
