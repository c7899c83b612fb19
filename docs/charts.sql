-- Draws the charts under docs/: run from the repository's top level with
--   minerql docs/charts.sql

-- BTC's monthly close (prices holds month-end closes).
SELECT date, close AS btc_close_usd FROM prices ORDER BY date;
.chart line date btc_close_usd --svg docs/btc-monthly-close.svg --title "Bitcoin: monthly close (USD)"

-- AI/HPC revenue reported by each miner, summed over its quarters.
SELECT m.name AS miner, sum(q.hpc_revenue_usd_m) AS hpc_revenue_usd_m
  FROM quarters q JOIN miners m USING (ticker)
 WHERE q.hpc_revenue_usd_m IS NOT NULL
 GROUP BY m.name ORDER BY hpc_revenue_usd_m DESC;
.chart bar miner hpc_revenue_usd_m --svg docs/hpc-revenue-by-miner.svg --title "AI/HPC revenue by miner, quarters on file (USD m)"
