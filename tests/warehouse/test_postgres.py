#!/usr/bin/env python3
"""The warehouse path (docs/warehouse.md) against event_costs: a real PostgreSQL server costs a
generated log from the export (tools/export_warehouse.py) and must give every event the card,
the tier, every bucket's cost and the total event_costs gives it in SQLite.

Steps, in a temporary directory removed at the end:
  1. a log of >= 100,000 events (tests/costing/gen_events.py, seed fixed) over the generated
     scenario's price lists of tests/costing/test_event_costs_equiv.py (cards made for the
     rules: service tiers, variants, daily windows, tiers counted as input/prompt/total with >
     and >=, an incremental tier, missing cache and modality prices, per-request fees, dated
     changes, genai-prices name rules, undated own-name cards) and its tier rules, every
     dialect, broken lines, nine probes at each of up to 200 tier thresholds; with ../shared/data, its
     newest LiteLLM snapshot is a price list too and its names part of the log;
  2. a ledger database built from them (tokenledger_build), exported with --events;
  3. a throwaway PostgreSQL cluster (tests/warehouse/pgcluster.py: a temporary directory, a
     Unix socket there, no TCP), export/postgres.sql run by psql in the export directory,
     usage_events.csv loaded into tl_usage_events, tl_event_costs read back;
  4. compared per event (source_path, line): rate_provider, rate_model, rate_variant,
     tier_start_tokens, cost_status, the 15 bucket costs and total_cost. PostgreSQL's costs
     are exact NUMERIC; event_costs' are the double nearest the exact decimal (bucket_cost),
     so each NUMERIC is rounded to the nearest double (Python's float(Decimal), correctly
     rounded) and must equal event_costs' double bit for bit. The total: the sum of the
     per-event costs as doubles, summed exactly (PostgreSQL: sum of total_cost::float8::text
     ::numeric, the shortest decimal of each double; Python: Decimal(repr(x)) of event_costs'
     doubles) must be the same decimal text; the exact NUMERIC total is printed beside it.
  5. the events PostgreSQL cannot cost as SQLite does are counted by class, not hidden: raw
     names the alias map lacks come out cost_status 'unmapped' (checked with names no source
     or log has); the comparison requires 0 unmapped and 0 differing events on the log.
Skipped, with the reason, when no PostgreSQL is installed (initdb under /usr/lib/postgresql).

Run from the repository root: python3 tests/warehouse/test_postgres.py --ext ./tokenledger
"""
import csv
import decimal
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.dirname(HERE))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(ROOT, "tests", "costing"))
import tap  # noqa: E402
import pgcluster  # noqa: E402

EVENTS = int(os.environ.get("TL_WAREHOUSE_EVENTS", "100000"))
SHARED = os.path.normpath(os.path.join(ROOT, "..", "shared", "data"))
BUCKETS = ["input_cost", "cache_read_cost", "cache_write_cost", "cache_write_1h_cost",
           "output_cost", "reasoning_cost", "audio_input_cost", "audio_output_cost",
           "image_input_cost", "image_output_cost", "video_input_cost", "video_output_cost",
           "request_cost", "web_search_cost", "cache_read_audio_cost", "total_cost"]
CARD = ["rate_provider", "rate_model", "rate_variant", "tier_start_tokens", "cost_status"]
COLS = ["source_path", "line"] + CARD + BUCKETS
USAGE_COLS = ("source_path, line, ts, raw_provider, raw_model, dialect, input_tokens, "
              "cache_read_tokens, cache_write_tokens, output_tokens, reasoning_tokens, "
              "audio_input_tokens, audio_output_tokens, image_input_tokens, image_output_tokens, "
              "video_input_tokens, video_output_tokens, cache_write_1h_tokens, "
              "cache_read_audio_tokens, web_search_requests, service_tier, error")


def shared_litellm():
    d = os.path.join(SHARED, "litellm")
    if not os.path.isdir(d):
        return None
    files = sorted(f for f in os.listdir(d) if f.endswith(".json"))
    return os.path.join(d, files[-1]) if files else None


def make_ledger(ext, tmp, n, with_shared=True):
    """Generate the log and build the ledger; returns (db path, log path, detail)."""
    import test_event_costs_equiv as T
    import gen_events
    pricing = [("pricing", os.path.join(ROOT, p), f, d) for p, f, d in T.GENERATED_SOURCES]
    lite = shared_litellm() if with_shared else None
    if lite:
        pricing.append(("pricing", lite, "litellm", os.path.basename(lite).split(".")[1]))
    base = T.setup_sql(T.TIER_RULES + T.sources_sql(pricing))
    names, days, special, tiers = T.raw_names(ext, base)
    pool = list(T.CURATED) * 3 + names + special * 3 + \
        [(None, m) for p, m in names[::3]] + \
        [(p, "%s/%s" % (p, m)) for p, m in names[::5] if p and "/" not in m]
    log = os.path.join(tmp, "events.jsonl")
    probes = tiers[:200]
    lines = gen_events.events(20261215, n - 9 * len(probes), pool, days, probes=probes)
    T.write_log(log, lines)
    db = os.path.join(tmp, "ledger.db")
    script = (".load %s\nSELECT tokenledger_init();\n%s%s\nSELECT tokenledger_build();\n" % (
        ext, T.TIER_RULES, T.sources_sql(pricing + [("events", log, None, None)])))
    p = subprocess.run(["sqlite3", "-bail", db], input=script, capture_output=True, text=True)
    if p.returncode != 0 or p.stderr.strip():
        raise RuntimeError("build failed: %s" % p.stderr[-600:])
    return db, log, "%d lines, %d names in the pool, %d price lists%s" % (
        len(lines), len(pool), len(pricing), " (with %s)" % os.path.basename(lite) if lite else "")


def sqlite_rows(db):
    con = sqlite3.connect(db)
    out = {}
    for r in con.execute("SELECT %s FROM event_costs" % ", ".join(COLS)):
        out[(r[0], r[1])] = r[2:]
    con.close()
    return out


COVERAGE = [
    ("dialects", "count(DISTINCT dialect)", 11),
    ("tier", "sum(tier_start_tokens > 0)", 1),
    ("window_card", "sum(rate_variant LIKE '%window=%')", 1),
    ("service_tier_card", "sum(rate_variant LIKE '%service_tier=%')", 1),
    ("creator_card", "sum(rate_provider IS NOT provider)", 1),
    ("name_rule", "sum(rate_match_rule IS NOT NULL)", 1),
    ("own_name", "sum(model_mapping_rule = 'undated' AND rate_model IS NOT model)", 1),
    ("cache_read", "sum(cache_read_cost > 0)", 1),
    ("cache_write", "sum(cache_write_cost > 0)", 1),
    ("cache_write_1h", "sum(cache_write_1h_cost > 0)", 1),
    ("cached_audio", "sum(cache_read_audio_cost > 0)", 1),
    ("cache_fallback", "sum(cache_price_fallback = 1)", 1),
    ("modality", "sum(audio_input_cost + image_input_cost + video_output_cost > 0)", 1),
    ("no_ts", "sum(rate_at_assumed = 1 AND total_cost IS NOT NULL)", 1),
    ("backdated", "sum(rate_backdated = 1)", 1),
    ("incremental", "sum(cost_note LIKE '%incremental%')", 1),
    ("unsound", "sum(cost_note LIKE 'unsound record%')", 1),
]


def coverage(db):
    """(detail, what no event hit): how many events hit each rule (COVERAGE)."""
    con = sqlite3.connect(db)
    got = con.execute("SELECT %s FROM event_costs" % ", ".join(e for _, e, _ in COVERAGE)).fetchone()
    con.close()
    missing = [n for (n, _, least), v in zip(COVERAGE, got) if (v or 0) < least]
    return ", ".join("%s %d" % (n, v or 0) for (n, _, _), v in zip(COVERAGE, got)), missing


def load_and_cost(pg, export_dir, tmp):
    """Run postgres.sql, load the usage, write tl_event_costs to a CSV; returns (rows,
    seconds of the costing query)."""
    pg.psql(file="postgres.sql", cwd=export_dir)
    pg.psql("\\copy tl_usage_events(%s) FROM 'usage_events.csv' WITH (FORMAT csv, HEADER true)\n"
            "ANALYZE tl_usage_events;\n" % USAGE_COLS, cwd=export_dir)
    out = os.path.join(tmp, "pg_costs.csv")
    t0 = time.time()
    pg.psql("\\copy (SELECT %s FROM tl_event_costs) TO '%s' WITH (FORMAT csv)\n" % (
        ", ".join(COLS), out))
    seconds = time.time() - t0
    rows = {}
    with open(out, newline="", encoding="utf-8") as f:
        for r in csv.reader(f):
            rows[(r[0], int(r[1]))] = r[2:]
    return rows, seconds


def same(pg_value, sq_value, kind):
    if kind == "text":
        return (pg_value or None) == sq_value
    if kind == "int":
        return (int(pg_value) if pg_value != "" else None) == sq_value
    if pg_value == "" or sq_value is None:
        return pg_value == "" and sq_value is None
    return float(decimal.Decimal(pg_value)) == sq_value


def compare(pg_rows, sq_rows):
    kinds = ["text", "text", "text", "int", "text"] + ["money"] * len(BUCKETS)
    names = CARD + BUCKETS
    diff, shown, classes = 0, [], {}
    for key, sq in sq_rows.items():
        pr = pg_rows.get(key)
        if pr is None:
            classes["missing in PostgreSQL"] = classes.get("missing in PostgreSQL", 0) + 1
            continue
        if pr[4] == "unmapped":
            classes["unmapped"] = classes.get("unmapped", 0) + 1
            continue
        bad = [n for n, k, a, b in zip(names, kinds, pr, sq) if not same(a, b, k)]
        if bad:
            diff += 1
            cls = "card" if any(b in CARD for b in bad) else "cost"
            classes[cls] = classes.get(cls, 0) + 1
            if len(shown) < 4:
                shown.append("%s:%d %s" % (os.path.basename(key[0]), key[1], "; ".join(
                    "%s pg %s sqlite %r" % (n, pr[names.index(n)], sq[names.index(n)])
                    for n in bad[:4])))
    extra = len([k for k in pg_rows if k not in sq_rows])
    return diff, shown, classes, extra


def main():
    ext = "./tokenledger"
    if "--ext" in sys.argv:
        ext = sys.argv[sys.argv.index("--ext") + 1]
    if not pgcluster.bindir():
        tap.skip("warehouse: PostgreSQL costs the export as event_costs does", pgcluster.SKIP_REASON)
        return 0
    tmp = tempfile.mkdtemp(prefix="tokenledger-warehouse-")
    os.chmod(tmp, 0o755)
    t0 = time.time()
    try:
        db, log, detail = make_ledger(ext, tmp, EVENTS)
        tap.check("warehouse: generated log and ledger (%s)" % detail, True)
        export_dir = os.path.join(tmp, "export")
        p = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "export_warehouse.py"),
                            "--ext", ext, "--db", db, "--out", export_dir, "--events"],
                           capture_output=True, text=True)
        tap.check("warehouse: export (%s)" % "; ".join(
            l.replace(export_dir + "/", "") for l in p.stdout.splitlines()),
            p.returncode == 0, p.stderr)
        if p.returncode != 0:
            return tap.exit_code()
        sq = sqlite_rows(db)
        detail, missing = coverage(db)
        tap.check("warehouse: the log covers dialects, tiers, caches and the card rules (%s)"
                  % detail, not missing, "no event hits %s" % missing)
        with pgcluster.Cluster() as pg:
            version = pg.version()
            pg_rows, seconds = load_and_cost(pg, export_dir, tmp)
            diff, shown, classes, extra = compare(pg_rows, sq)
            n_status = {}
            for r in sq.values():
                n_status[r[4]] = n_status.get(r[4], 0) + 1
            tap.check("warehouse: PostgreSQL %s costs %d events as event_costs does: card, tier, "
                      "status, 15 buckets and total per event, rounded to the double (%s; "
                      "query %.1f s)" % (version, len(sq), ", ".join(
                          "%s %d" % kv for kv in sorted(n_status.items())), seconds),
                      diff == 0 and not classes and extra == 0 and len(sq) >= 100000,
                      "%d events differ, classes %s, %d rows only in PostgreSQL, %d events: %s" % (
                          diff, classes, extra, len(sq), " | ".join(shown)))
            # the total, to the last decimal: the per-event doubles summed exactly
            pg_sum, pg_exact = pg.psql(
                "SELECT sum((total_cost::float8)::text::numeric), sum(total_cost) "
                "FROM tl_event_costs", args=["-At", "-F", " "]).split()
            sq_sum = sum((decimal.Decimal(repr(r[-1])) for r in sq.values()
                          if r[-1] is not None), decimal.Decimal(0))
            tap.check("warehouse: the same total to the last decimal: %s (per-event doubles "
                      "summed exactly; PostgreSQL's exact NUMERIC total %s)" % (pg_sum, pg_exact),
                      decimal.Decimal(pg_sum) == sq_sum, "PostgreSQL %s, SQLite %s" % (pg_sum, sq_sum))
            # names the map lacks are counted as unmapped, never costed by a guess
            pg.psql("INSERT INTO tl_usage_events(source_path, line, ts, raw_provider, raw_model, "
                    "input_tokens, cache_read_tokens, cache_write_tokens, output_tokens, "
                    "reasoning_tokens) VALUES ('probe', 1, '2025-09-01T00:00:00Z', 'openai', "
                    "'gpt-nobody-has-9', 10, 0, 0, 10, 0), ('probe', 2, NULL, NULL, "
                    "'claude-sonnet-4-5-not-in-the-map', 10, 0, 0, 10, 0)")
            got = pg.psql("SELECT line, cost_status, coalesce(total_cost::text, 'NULL') FROM "
                          "tl_event_costs WHERE source_path = 'probe' ORDER BY line",
                          args=["-At", "-F", " "]).split("\n")
            tap.check("warehouse: raw names the alias map lacks are counted as unmapped, not "
                      "costed", got[:2] == ["1 unmapped NULL", "2 unmapped NULL"], got)
        tap.check("warehouse: ran in %.1f s" % (time.time() - t0), True)
    except (pgcluster.Unavailable, RuntimeError) as e:
        tap.check("warehouse: PostgreSQL run", False, str(e))
    finally:
        if os.environ.get("TL_WAREHOUSE_KEEP"):  # debugging: keep the log, ledger and export
            print("# kept %s" % tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return tap.exit_code()


if __name__ == "__main__":
    sys.exit(main())
