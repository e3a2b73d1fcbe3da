#!/usr/bin/env python3
"""make export: everything a warehouse needs to cost usage events with no extension, from a
ledger built by tokenledger_build() (docs/warehouse.md).

    python3 tools/export_warehouse.py --ext ./tokenledger --db ledger/ledger.db --out ledger/export
        [--events]   also write usage_events.csv: every line of the ledger's events sources,
                     as usage_events reads them (disjoint token buckets), to load as
                     tl_usage_events

Writes into --out:
  rate_timeline.csv  one row per card of the ledger's rate_timeline: provider, model, variant
                     ('' for none), tier_start_tokens, valid_from ('' = since ever), valid_to
                     (empty = open), every price per token as exact decimal text (the
                     shortest decimal that reads back as the stored double, which is the
                     decimal bucket_cost and event_costs compute with; checked here against
                     bucket_cost), tier rule, daily window, service tier, source
  alias_map.csv      (raw_provider, raw_model, service_tier, event date range) -> canonical
                     names, the name cards are looked up under, and the card chain
                     (sql/export_warehouse.sql says how)
  window_cards.csv   the daily-window cards and the instant each may apply from
  tier_rules.csv     every tier of rate_timeline with its rule (counted tokens, comparison,
                     cliff or incremental) and validity: the readable form of what the costing
                     query reads from rate_timeline
  settings.csv       newest_pricing_snapshot (the instant events without ts are priced at),
                     tokenledger version, export time, source database
  postgres.sql       DDL, \\copy of the CSVs (run psql from --out), the tl_event_costs view
  clickhouse.sql     DDL and the costing query for ClickHouse (untested here)
  README.txt         what these are, and where the documentation is
Prints one line per file with its rows. Exits 1 (with the reason) if a price's decimal text
does not give bucket_cost's product.
"""
import argparse
import csv
import datetime
import decimal
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PRICES = ["input_cost_per_token", "cache_read_cost_per_token", "cache_write_cost_per_token",
          "cache_write_1h_cost_per_token", "output_cost_per_token", "reasoning_cost_per_token",
          "input_audio_cost_per_token", "output_audio_cost_per_token",
          "cache_read_audio_cost_per_token", "input_image_cost_per_token",
          "output_image_cost_per_token", "input_video_cost_per_token",
          "output_video_cost_per_token", "per_request_cost", "web_search_cost"]
TIMELINE = (["provider", "model", "variant", "tier_start_tokens", "effective_from", "valid_from",
             "valid_to"] + PRICES +
            ["tier_counts", "tier_comparison", "tier_mode", "window_start", "window_end",
             "service_tier", "currency", "source_path", "source_format", "entry",
             "recorded_snapshot"])
ALIAS = ["raw_provider", "raw_model", "service_tier", "ts_rule", "ts_from", "ts_to", "provider",
         "creator", "model", "variant", "model_rule", "model_confidence", "own_provider",
         "key_model", "own_variant", "own_window", "rate_via", "rate_provider", "rate_model",
         "rate_variant", "rate_match_rule", "rule_window"]
ALIAS_KEY = ("raw_provider", "raw_model", "service_tier", "ts_rule", "ts_from")
WINDOW = ["provider", "model", "base_variant", "window_variant", "window_start", "window_end",
          "first_from", "active_from"]
TIERS = ["provider", "model", "variant", "tier_start_tokens", "valid_from", "valid_to",
         "tier_counts", "tier_comparison", "tier_mode", "source_path"]
# usage_events' columns, as tl_usage_events has them (the buckets are disjoint)
USAGE = ["line", "ts", "provider", "model", "dialect", "input_tokens", "cache_read_tokens",
         "cache_write_tokens", "output_tokens", "reasoning_tokens", "audio_input_tokens",
         "audio_output_tokens", "image_input_tokens", "image_output_tokens", "video_input_tokens",
         "video_output_tokens", "cache_write_1h_tokens", "cache_read_audio_tokens",
         "web_search_requests", "service_tier", "error"]


def price_text(x):
    """The shortest decimal that reads back as x (Python's repr, as ext/core/units.c's
    tl_shortest_decimal), written without an exponent."""
    if x is None:
        return None
    d = decimal.Decimal(repr(float(x)))
    s = format(d, "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s


def field(v):
    """CSV as PostgreSQL's COPY reads it: NULL unquoted and empty, text always quoted (so ''
    stays an empty string)."""
    if v is None:
        return ""
    if isinstance(v, str):
        return '"' + v.replace('"', '""') + '"'
    return str(v)


def write_csv(path, header, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(",".join(header) + "\n")
        for r in rows:
            f.write(",".join(field(v) for v in r) + "\n")
    return len(rows)


def sqlite_cli(ext, db, script, readonly=False):
    args = ["sqlite3", "-bail"] + (["-readonly"] if readonly else []) + [db]
    proc = subprocess.run(args, input=".load %s\n%s" % (ext, script), capture_output=True,
                          text=True)
    if proc.returncode != 0 or proc.stderr.strip():
        sys.exit("export_warehouse: sqlite3 failed: %s" % (proc.stderr.strip()[:800] or
                                                           "exit %d" % proc.returncode))
    return proc.stdout


def breakpoints():
    """The dates a name's answer is probed on (sql/export_warehouse.sql): the first of every
    month from 2015 to 2031, and one before them all."""
    return ["0001-01-01"] + ["%04d-%02d-01" % (y, m) for y in range(2015, 2031)
                             for m in range(1, 13)] + ["2031-01-01"]


def q(s):
    return "'" + s.replace("'", "''") + "'"


def check_prices(ext, prices):
    """Each price's decimal text x 10^k (k its fractional digits) must equal bucket_cost(10^k,
    price): the extension's exact decimal of the double is that same text. Returns (checked,
    problems)."""
    todo = []
    for x in sorted(prices):
        t = price_text(x)
        k = len(t.split(".")[1]) if "." in t else 0
        if k > 18 or x == 0:
            continue
        todo.append((x, t, k))
    if not todo:
        return 0, []
    with tempfile.TemporaryDirectory(prefix="tl-export-") as tmp:
        sql = os.path.join(tmp, "p.sql")
        with open(sql, "w") as f:
            f.write("CREATE TEMP TABLE p(i, x REAL, k);\nINSERT INTO p VALUES\n" + ",\n".join(
                "(%d, %r, %d)" % (i, x, k) for i, (x, _, k) in enumerate(todo)) + ";\n")
        out = sqlite_cli(ext, ":memory:", ".read %s\n.mode list\n"
                         "SELECT i, printf('%%!.17g', bucket_cost(CAST(power(10, k) AS INTEGER), x)) "
                         "FROM p ORDER BY i;\n" % sql)
    problems = []
    for line in out.split():
        i, got = line.split("|")
        x, t, k = todo[int(i)]
        want = float(decimal.Decimal(t).scaleb(k))
        if float(got) != want:
            problems.append("%r: text %s, bucket_cost(10^%d) %s" % (x, t, k, got))
    return len(todo), problems


def export(ext, db, out, events):
    os.makedirs(out, exist_ok=True)
    db = os.path.abspath(db)
    counts = {}
    con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
    con.row_factory = None
    # the cards
    rows = con.execute(
        "SELECT %s FROM rate_timeline ORDER BY provider, model, coalesce(variant, ''), "
        "tier_start_tokens, valid_from" % ", ".join(
            "coalesce(variant, '')" if c == "variant" else c for c in TIMELINE)).fetchall()
    pi = [TIMELINE.index(c) for c in PRICES]
    prices = set()
    timeline = []
    for r in rows:
        r = list(r)
        for i in pi:
            if r[i] is not None:
                prices.add(float(r[i]))
                r[i] = price_text(r[i])
        timeline.append(r)
    checked, problems = check_prices(ext, prices)
    if problems:
        sys.exit("export_warehouse: %d prices whose decimal text is not bucket_cost's, e.g. %s"
                 % (len(problems), "; ".join(problems[:3])))
    counts["rate_timeline.csv"] = write_csv(os.path.join(out, "rate_timeline.csv"), TIMELINE,
                                            timeline)
    tiers = [[r[TIMELINE.index(c)] for c in TIERS] for r in timeline if r[3] > 0]
    counts["tier_rules.csv"] = write_csv(os.path.join(out, "tier_rules.csv"), TIERS, tiers)
    newest = con.execute("SELECT max(snapshot_date) FROM ledger_sources "
                         "WHERE kind = 'pricing'").fetchone()[0]
    version = con.execute("SELECT tokenledger_version FROM ledger_build").fetchone()
    con.close()
    # the names and windows: the extension computes them into a scratch database
    with tempfile.TemporaryDirectory(prefix="tl-export-") as tmp:
        scratch = os.path.join(tmp, "scratch.db")
        script = ("ATTACH %s AS ledger;\nCREATE TEMP TABLE wh_breaks(d TEXT);\n"
                  "INSERT INTO wh_breaks VALUES %s;\n.read %s\n" % (
                      q("file:%s?mode=ro" % db), ",".join("(%s)" % q(d) for d in breakpoints()),
                      os.path.join(ROOT, "sql", "export_warehouse.sql")))
        sqlite_cli(ext, scratch, script)
        s = sqlite3.connect(scratch)
        alias, seen, dropped = [], set(), 0
        for r in s.execute("SELECT %s FROM wh_alias_map ORDER BY raw_provider, raw_model, "
                           "service_tier, ts_rule, ts_from" % ", ".join(ALIAS)):
            key = tuple(r[ALIAS.index(c)] for c in ALIAS_KEY)
            if key in seen:  # a NULL and an empty raw name share the key '': the first wins
                dropped += 1
                continue
            seen.add(key)
            alias.append(r)
        counts["alias_map.csv"] = write_csv(os.path.join(out, "alias_map.csv"), ALIAS, alias)
        windows = s.execute("SELECT %s FROM wh_window_cards ORDER BY 1, 2, 3, 4" %
                            ", ".join(WINDOW)).fetchall()
        counts["window_cards.csv"] = write_csv(os.path.join(out, "window_cards.csv"), WINDOW,
                                               windows)
        s.close()
    settings = [("newest_pricing_snapshot", newest),
                ("tokenledger_version", version[0] if version else None),
                ("exported_at", datetime.datetime.now(datetime.timezone.utc)
                 .strftime("%Y-%m-%dT%H:%M:%SZ")),
                ("ledger_database", db),
                ("prices_checked_against_bucket_cost", str(checked))]
    counts["settings.csv"] = write_csv(os.path.join(out, "settings.csv"), ["key", "value"],
                                       settings)
    for name in ("postgres.sql", "clickhouse.sql"):
        shutil.copyfile(os.path.join(ROOT, "sql", "warehouse", name), os.path.join(out, name))
    with open(os.path.join(out, "README.txt"), "w") as f:
        f.write("tokenledger warehouse export of %s (%s).\n"
                "Load with: cd THIS_DIRECTORY && psql -v ON_ERROR_STOP=1 -f postgres.sql\n"
                "then load your events into tl_usage_events and read tl_event_costs.\n"
                "Documentation: docs/warehouse.md of tokenledger.\n" % (db, settings[2][1]))
    if events:
        counts["usage_events.csv"] = export_events(ext, db, os.path.join(out, "usage_events.csv"))
    for name, n in counts.items():
        print("wrote %s: %d rows" % (os.path.join(out, name), n))
    print("prices checked against bucket_cost: %d; alias keys dropped as duplicates: %d"
          % (checked, dropped))


def export_events(ext, db, path):
    """Every line of the ledger's events sources, as usage_events reads them."""
    cols = ", ".join("u.%s" % c for c in USAGE)
    sqlite_cli(ext, db, ".mode csv\n.headers on\n.output %s\n"
               "SELECT s.path AS source_path, %s FROM ledger_sources s, "
               "usage_events(tokenledger_path(s.path)) u WHERE s.kind = 'events' "
               "ORDER BY s.path, u.line;\n" % (path, cols), readonly=True)
    with open(path, encoding="utf-8") as f:
        return sum(1 for _ in f) - 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--ext", default=os.path.join(ROOT, "tokenledger"))
    ap.add_argument("--db", required=True, help="a ledger built by tokenledger_build()")
    ap.add_argument("--out", required=True)
    ap.add_argument("--events", action="store_true")
    a = ap.parse_args()
    export(a.ext, a.db, a.out, a.events)


if __name__ == "__main__":
    main()
