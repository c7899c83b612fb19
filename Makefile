# The two quick-start commands, and a few more for development.
#   make shell   build (release) and open the shell on the built-in tables
#   make test    run every test: unit, SQL (sqllogictest), conformance, REPL
#   make conformance   pass rates on all of SQLite's corpus in ../shared
#   make bench   minerql side by side with DuckDB and sqlite3: prices in random and
#                sorted order (ROWS=10000000 RUNS=5), h2o groupby (H2O_ROWS=10000000
#                H2O_RUNS=3); BENCH_SUITES=random,sorted,h2o picks suites
#   make sanitize  the whole test suite under AddressSanitizer (SANITIZER=thread for TSan);
#                leak reports are off: libedit and Foundation threads leave
#                allocations at exit that are not leaks of a session;
#                SKIP=ConformanceTests leaves out the slowest class (as CI does)
#   make fuzz    libFuzzer on SQL text and on generated queries (FUZZ_SECONDS=300 each)
#   make fuzz-diff  every function, operator and cast on boundary values, in minerql
#                and DuckDB 2.0 side by side (FUZZ_STATEMENTS=100000 FUZZ_SEED=1);
#                fails on a crash or a hang; report in .build/fuzz-diff/report.txt
.PHONY: shell test build release conformance bench sanitize fuzz fuzz-diff clean

ROWS ?= 10000000
FUZZ_STATEMENTS ?= 100000
FUZZ_SEED ?= 1
RUNS ?= 5
H2O_ROWS ?= 10000000
H2O_RUNS ?= 3
BENCH_SUITES ?= random,sorted,h2o
SANITIZER ?= address
SKIP ?=

shell: release
	@.build/release/minerql

test:
	@scripts/ensure-deps
	swift build --build-tests
	swift test

build:
	@scripts/ensure-deps
	swift build

release:
	@scripts/ensure-deps
	swift build -c release --product minerql

clean:
	rm -rf .build

conformance:
	@scripts/ensure-deps
	@scripts/conformance

sanitize:
	@scripts/ensure-deps
	swift build --build-tests --sanitize=$(SANITIZER) --scratch-path .build/$(SANITIZER)
	ASAN_OPTIONS=detect_leaks=0 MINERQL_TEST_TIME_SCALE=5 \
	    swift test --skip-build --sanitize=$(SANITIZER) --scratch-path .build/$(SANITIZER) $(if $(SKIP),--skip $(SKIP))

fuzz:
	@scripts/ensure-deps
	@scripts/fuzz

fuzz-diff:
	@scripts/ensure-deps
	@python3 -c "import duckdb, sys; sys.exit(duckdb.__version__ != '2.0.0')" 2>/dev/null || pip install -q duckdb==2.0.0
	swift build -c release --product minerql-fuzz-worker
	scripts/fuzz-diff --statements $(FUZZ_STATEMENTS) --seed $(FUZZ_SEED)

bench: release
	@bench/ensure-anchors
	@bench/run.py --rows $(ROWS) --runs $(RUNS) --h2o-rows $(H2O_ROWS) --h2o-runs $(H2O_RUNS) --suites $(BENCH_SUITES)
