"""The warehouse path (docs/warehouse.md): the same events costed by PostgreSQL from the export
(tl_event_costs, plain SQL over NUMERIC) and by event_costs in SQLite.

N events (default 1,000,000; TL_BENCH_WAREHOUSE_EVENTS, a multiple of 100,000): 100,000 lines
of the generated log of tests/warehouse/test_postgres.py (every dialect, tiers, caches,
windows, name rules, broken lines; over the fixture price lists, no ../shared/data needed)
repeated to N. The ledger of the 100,000 is built (tokenledger_build) and exported with its
events (tools/export_warehouse.py --events); a throwaway PostgreSQL cluster
(tests/warehouse/pgcluster.py, Unix socket, JIT off, default parallel workers) loads the CSVs
and repeats the event rows to N (the same lines, so the same costs); SQLite reads the repeated
log itself. Timed: SQLite `SELECT count(*), total(total_cost)
FROM event_costs` over the live log after ledger_refresh (median of 3), against PostgreSQL
`SELECT count(*), sum(...) FROM tl_event_costs` over the loaded table (one run, after VACUUM
ANALYZE has read the table; loading is not timed; the query also sums the costs as doubles for
the check). The ratio is PostgreSQL's time over SQLite's (above 1:
SQLite on one core is faster). The note says whether the count and the total agree (the
per-event costs as doubles, summed exactly on both sides, as the test compares them).

How it parallelizes in a warehouse: each event is costed independently from its own row and
small tables (the rate timeline, alias map, window cards: thousands to tens of thousands of
rows), so partition the events by day (or any key), broadcast the small tables to every worker
or node, and sum per partition; no step needs another event.
"""
import decimal
import os
import sqlite3
import subprocess
import sys
import time

EVENTS = int(os.environ.get("TL_BENCH_WAREHOUSE_EVENTS", "1000000"))
BASE_LINES = 100000


def run(ctx):
    name = "warehouse: cost %d events in PostgreSQL" % EVENTS
    sys.path.insert(0, os.path.join(ctx.root, "tests"))
    sys.path.insert(0, os.path.join(ctx.root, "tests", "warehouse"))
    sys.path.insert(0, os.path.join(ctx.root, "tests", "costing"))
    import pgcluster
    import test_postgres as T
    if not pgcluster.bindir():
        return [{"scenario": name, "ours": "skipped", "baseline": pgcluster.SKIP_REASON,
                 "ours_s": None, "baseline_s": None, "note": "skipped"}]
    ext = os.path.join(ctx.root, "tokenledger")
    work = os.path.join(ctx.work, "warehouse")
    os.makedirs(work, exist_ok=True)
    os.chmod(work, 0o755)
    # the generated log and its ledger, exported with its events; then the log repeated to
    # EVENTS lines (for SQLite) and the event rows repeated likewise (in PostgreSQL): the same
    # lines, so the same costs
    db, log, _ = T.make_ledger(ext, work, BASE_LINES, with_shared=False)
    export_dir = os.path.join(work, "export")
    subprocess.run([sys.executable, os.path.join(ctx.root, "tools", "export_warehouse.py"),
                    "--ext", ext, "--db", db, "--out", export_dir, "--events"],
                   check=True, capture_output=True, text=True)
    with open(log, encoding="utf-8") as f:
        lines = f.read()
    n_lines = lines.count("\n")
    reps = max(1, EVENTS // n_lines)
    big = os.path.join(work, "events_big.jsonl")
    with open(big, "w", encoding="utf-8") as f:
        for _ in range(reps):
            f.write(lines)
    con = sqlite3.connect(db)
    sources = [(k, big if k == "events" else p, f, d) for k, p, f, d in con.execute(
        "SELECT kind, path, format, snapshot_date FROM ledger_sources ORDER BY rowid")]
    n_sq = 0
    sq_sum = decimal.Decimal(0)
    for (x,) in con.execute("SELECT total_cost FROM event_costs"):
        n_sq += 1
        if x is not None:
            sq_sum += decimal.Decimal(repr(x))
    con.close()
    n_sq, sq_sum = n_sq * reps, sq_sum * reps
    # SQLite: the live log after ledger_refresh, as bench/scenarios/ledger.py times it
    with open(os.path.join(ctx.root, "sql", "ledger.sql")) as f:
        views = f.read()
    import test_event_costs_equiv as E
    setup = views + "\n" + E.TIER_RULES + E.sources_sql(sources) + \
        "INSERT INTO ledger_refresh DEFAULT VALUES;"
    timed = ctx.time_sql(setup, {"event_costs": "SELECT count(*), total(total_cost) FROM event_costs"},
                         3)
    sqlite_s, sqlite_rows = timed["event_costs"]
    with pgcluster.Cluster() as pg:
        version = pg.version().split()[0]
        pg.psql(file="postgres.sql", cwd=export_dir)
        pg.psql("\\copy tl_usage_events(%s) FROM 'usage_events.csv' WITH (FORMAT csv, HEADER true)\n"
                "INSERT INTO tl_usage_events SELECT u.source_path, u.line + k * %d, u.ts, "
                "u.raw_provider, u.raw_model, u.dialect, u.input_tokens, u.cache_read_tokens, "
                "u.cache_write_tokens, u.output_tokens, u.reasoning_tokens, u.audio_input_tokens, "
                "u.audio_output_tokens, u.image_input_tokens, u.image_output_tokens, "
                "u.video_input_tokens, u.video_output_tokens, u.cache_write_1h_tokens, "
                "u.cache_read_audio_tokens, u.web_search_requests, u.service_tier, u.error "
                "FROM tl_usage_events u, generate_series(1, %d) k;\n"
                "VACUUM ANALYZE tl_usage_events;\n" % (T.USAGE_COLS, n_lines, reps - 1),
                cwd=export_dir)
        # one run (the table was just read by VACUUM ANALYZE, so it is cached); the sum of
        # the costs as doubles, for the check, costs little beside the costing
        t0 = time.time()
        n_pg, pg_sum, pg_exact = pg.psql(
            "SELECT count(*), sum((total_cost::float8)::text::numeric), sum(total_cost) "
            "FROM tl_event_costs", args=["-At", "-F", " "]).split()
        pg_s = time.time() - t0
        workers = pg.psql("SHOW max_parallel_workers_per_gather", args=["-At"]).strip()
    same = int(n_pg) == n_sq and decimal.Decimal(pg_sum) == sq_sum
    note = "%s count and total (%d events, %s; exact NUMERIC %s); PostgreSQL %s, %s parallel workers per " \
        "gather, %d CPUs; one run vs SQLite median of 3; parallelizes by day " \
        "partition with the rate tables broadcast (docs/warehouse.md)" % (
            "same" if same else "DIFFERENT", n_sq, pg_sum if same else "%s vs %s" % (pg_sum, sq_sum),
            pg_exact, version, workers, os.cpu_count() or 1)
    return [{"scenario": name, "ours": "event_costs (SQLite, refreshed)",
             "baseline": "PostgreSQL tl_event_costs (export, NUMERIC)",
             "ours_s": sqlite_s, "baseline_s": pg_s, "note": note}]
