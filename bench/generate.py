#!/usr/bin/env python3
"""Deterministic benchmark data: prices.csv (date, symbol, close, volume) for
SYMBOLS symbols over DAYS days, symbols.csv (symbol, sector) and
quarter_ends.csv (symbol, quarter_end) with every calendar quarter's last day in
the range for each symbol, for the ASOF join. ORDER is `random` (the default: the
rows of prices.csv shuffled, as a file from elsewhere arrives) or `sorted` (by
symbol, then date, as a per-symbol download arrives); the rows are the same.
Usage: bench/generate.py OUT_DIR [ROWS [ORDER]]  (default 10,000,000 rows: 2,000 x 5,000)."""
import datetime, os, random, sys

out = sys.argv[1]
rows = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000_000
order = sys.argv[3] if len(sys.argv) > 3 else "random"
if order not in ("random", "sorted"):
    sys.exit(f"generate.py: ORDER must be random or sorted, not {order}")
symbols = 2000 if rows >= 2000 * 10 else max(1, rows // 10)
days = rows // symbols
os.makedirs(out, exist_ok=True)
rng = random.Random(42)
sectors = ["mining", "hosting", "hpc", "energy", "semis", "cloud", "utilities", "finance"]
with open(os.path.join(out, "symbols.csv"), "w") as f:
    f.write("symbol,sector\n")
    for s in range(symbols):
        f.write(f"S{s:04d},{sectors[s % len(sectors)]}\n")
start = datetime.date(2006, 1, 2)
dates = [(start + datetime.timedelta(days=d)).isoformat() for d in range(days)]
lines = []
for s in range(symbols):
    price = 10 + rng.random() * 90
    name = f"S{s:04d}"
    for d in range(days):
        price = max(0.01, price * (1 + rng.gauss(0, 0.02)))
        lines.append(f"{dates[d]},{name},{price:.4f},{rng.randrange(1000, 1_000_000)}\n")
if order == "random":
    random.Random(7).shuffle(lines)
with open(os.path.join(out, "prices.csv"), "w") as f:
    f.write("date,symbol,close,volume\n")
    f.writelines(lines)
quarter_ends = []
for d in range(days):
    day = start + datetime.timedelta(days=d)
    if (day + datetime.timedelta(days=1)).month != day.month and day.month in (3, 6, 9, 12):
        quarter_ends.append(day.isoformat())
with open(os.path.join(out, "quarter_ends.csv"), "w") as f:
    f.write("symbol,quarter_end\n")
    for s in range(symbols):
        f.writelines(f"S{s:04d},{q}\n" for q in quarter_ends)
