#!/usr/bin/env python3
"""Deterministic data for the h2o.ai db-benchmark "groupby" task, shaped like its
G1_<N>_1e2_0_0 file: N rows, K = 100, no NAs, rows in random order.
  id1, id2  VARCHAR  'id001'…'id100'            (K distinct)
  id3       VARCHAR  'id0000000001'…             (N/K distinct)
  id4, id5  BIGINT   1…100                      (K distinct)
  id6       BIGINT   1…N/K                      (N/K distinct)
  v1        BIGINT   1…5
  v2        BIGINT   1…15
  v3        DOUBLE   0…100, six decimals
Every column is drawn independently and uniformly (numpy's PCG64, seed 42), as
the original R generator draws with sample() and runif(), so the file has no
order of any kind.
Usage: bench/generate_h2o.py OUT_FILE [ROWS]  (default 10,000,000)."""
import os, sys

import numpy as np

out = sys.argv[1]
rows = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000_000
K = 100
groups = max(1, rows // K)
rng = np.random.Generator(np.random.PCG64(42))
os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
small = np.array([f"id{i:03d}" for i in range(1, K + 1)])
large = np.array([f"id{i:010d}" for i in range(1, groups + 1)])
block = 1_000_000
temporary = out + ".partial"
with open(temporary, "w") as f:
    f.write("id1,id2,id3,id4,id5,id6,v1,v2,v3\n")
    for start in range(0, rows, block):
        n = min(block, rows - start)
        id1 = small[rng.integers(0, K, n)]
        id2 = small[rng.integers(0, K, n)]
        id3 = large[rng.integers(0, groups, n)]
        id4 = rng.integers(1, K + 1, n)
        id5 = rng.integers(1, K + 1, n)
        id6 = rng.integers(1, groups + 1, n)
        v1 = rng.integers(1, 6, n)
        v2 = rng.integers(1, 16, n)
        v3 = np.round(rng.random(n) * 100, 6)
        f.writelines(f"{a},{b},{c},{d},{e},{g},{h},{i},{j:.6f}\n"
                     for a, b, c, d, e, g, h, i, j in
                     zip(id1, id2, id3, id4.tolist(), id5.tolist(), id6.tolist(), v1.tolist(), v2.tolist(),
                         v3.tolist()))
os.replace(temporary, out)
