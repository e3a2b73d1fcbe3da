#!/usr/bin/env python3
"""event_costs (the coster tokenledger ships) against event_costs_reference, its rules in
SQL (tests/reference/event_costs_reference.sql): every column of every row, with types.

For each relation the sqlite3 CLI prints, ordered by source_path, line, one record per row
of quote(col) for all of its own columns, in its own order (quote tells 1 from 1.0 and NULL
from ''); Python matches rows on (source_path, line) and compares them field by field.
Checked per scenario: the column lists (pragma_table_info, names and order), the row
counts, rows only one side has or has twice, every field. A mismatch prints the first rows
that differ, naming the columns with both values, the line and the raw model.

Scenarios, each a fresh :memory: database with sql/ledger.sql and the reference read:
  fixtures   fixtures/ledger.sources.sql and its event logs (as tests/sql/event_costs.test)
  generated  fixtures/costing.prices.json (cards made for the rules: service tiers,
             variants, a window wrapping midnight and one that does not, tiers counted as
             input/prompt/total with > and >=, an incremental tier, cards lacking cache,
             1-hour, modality and web-search prices, per-request fees, dated changes) with
             the other fixture price files and four test tier rules, against a generated
             log (tests/costing/gen_events.py, seed fixed) over those names and every raw
             name of the files, plus nine events at and around each tier threshold;
             after ledger_refresh, again live, and again with the test's cards alone
             (no dated source)
  real       every price list of ../shared/data (as bench/scenarios/ledger.py names them),
             ledger_refresh first, a generated log of 20,000 events over the real raw
             names (with and without provider prefixes, dated and undated, -latest
             aliases, :free; names whose card has a tier or a daily window weighted up;
             nine probes at and around 60 real tier thresholds; ts over 2024-2026, some
             without ts); skipped without ../shared/data
  usage_cost usage_cost(provider, model, usage, ts) for 200 calls over the generated
             scenario's sources (half whole log lines, half bare usage objects), against
             the reference reading the same call from temp.ledger_calls, as usage_cost
             puts it there (vtab/usage_cost.c): the usage normalized by usage_events from
             the same text (a bare object written as {"usage": ...}, usage_cost's rule),
             provider, model and ts the arguments, line 1; calls whose usage is unsound
             must fail with a usage_cost: error
Per scenario one ok line also counts the rows that hit each rule (tier, window card,
variant card, creator fallback, backdated, rate_at_assumed, cache and modality price
fallbacks, per-request fee, web search cost, unpriced, error rows, and more: see COVERAGE
and EXTRA_COVERAGE); in the generated scenario each must be > 0 (and every dialect must
occur), so a generator that stops producing a case fails the test.
Self-check: MUTANTS are mutated copies of the reference (a tier rule's > made >= and >=
made >, input and total tier counts read as the prompt, no cache or modality price
fallback, 1-hour writes falling back to the input price, a window that no longer wraps
midnight or includes its end, a newer window card applying, no assumed rate_at, no
per-request fee, unpriced web searches billed, no creator fallback, no variant cards,
incremental tiers costed, a tier's missing price not taken from the base card, cached
audio at the text cache price or, without a cache price, at the input price); each is
compared with event_costs on the generated scenario and must differ.
Everything runs in a temporary directory, removed at the end; no network.

Run from the repository root: python3 tests/costing/test_event_costs_equiv.py --ext ./tokenledger
Prints `ok - NAME` / `not ok - NAME: DETAIL` / `skip - NAME: REASON` for tests/run.py."""
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SHARED_REL = os.path.join("..", "shared", "data")
SHARED = os.environ.get("TL_SHARED") or os.path.normpath(os.path.join(ROOT, SHARED_REL))
REFERENCE = os.path.join(ROOT, "tests", "reference", "event_costs_reference.sql")
sys.path.insert(0, HERE)
import gen_events  # noqa: E402

FS, RS = "\x1f", "\x1e"
SUBJECT, ORACLE = "event_costs", "event_costs_reference"

# The fixture price files of the generated scenario (at most 8: pricing() keeps 8 files
# decoded per connection, and the live views read them all on every query).
GENERATED_SOURCES = [
    ("fixtures/costing.prices.json", "tokenledger", None),
    ("fixtures/pricing.tokenledger.units.json", "tokenledger", None),
    ("fixtures/ledger.litellm.2025-05-01.json", "litellm", "2025-05-01"),
    ("fixtures/litellm.units.json", "litellm", "2025-06-01"),
    ("fixtures/ledger.modelsdev.2025-07-01.json", "modelsdev", "2025-07-01"),
    ("fixtures/ledger.openrouter.2025-06-01.json", "openrouter", "2025-06-01"),
    ("fixtures/pricing.genai-prices.json", "genai-prices", "2025-08-01"),
    ("fixtures/pricing.genai-prices.units.json", "genai-prices", "2025-08-01"),
]
# Tier rules for costing.prices.json's tiers (matched on the tier rows' notes, which
# name the threshold): input >=, total >, incremental, prompt >=; its 200000 tiers keep
# the format's own rule (prompt >).
TIER_RULES = """INSERT INTO ledger_tier_rules VALUES
  ('tokenledger', 'tier: > 150000 %', 'input', '>=', 'cliff', 'tests/costing'),
  ('tokenledger', 'tier: > 100000 %', 'total', '>', 'cliff', 'tests/costing'),
  ('tokenledger', 'tier: > 128000 %', 'prompt', '>', 'incremental', 'tests/costing'),
  ('tokenledger', 'tier: > 272000 %', 'prompt', '>=', 'cliff', 'tests/costing');
"""
# (provider as the log writes it or None, raw model): the generated scenario's own names,
# beside every raw name of its price files
CURATED = [
    ("openai", "gpt-4.1"), ("openai", "gpt-4.1-2025-04-14"), ("azure", "gpt-4.1"),
    (None, "gpt-4.1"), ("unknown-cloud", "gpt-4.1"), ("openai", "o3"), ("openai", "o3-2025-04-16"),
    ("openai", "gpt-4o-mini"), ("openrouter", "openai/gpt-4o-mini"), ("helicone", "gpt-4o-mini"),
    ("openai", "gpt-4o-audio-preview"), ("openai", "gpt-image-1"), ("openai", "gpt-4o-2024-08-06"),
    ("openai", "o3-mini-2025-01-31"), ("openai", "gpt-audio-x"),
    ("anthropic", "claude-sonnet-4-5"), ("anthropic", "claude-sonnet-4-5-20250929"),
    ("vertex_ai", "claude-sonnet-4-5@20250929"), ("openrouter", "anthropic/claude-sonnet-4.5:extended"),
    ("openrouter", "anthropic/claude-sonnet-4.5"), ("anthropic", "claude-opus-4-1"),
    ("anthropic", "claude-3-5-haiku-20241022"), ("anthropic", "claude-3-7-sonnet-20250219"),
    ("anthropic", "claude-x"), (None, "claude-sonnet-4-5"),
    ("bedrock", "anthropic.claude-3-7-sonnet-20250219-v1:0"),
    ("bedrock", "eu.anthropic.claude-3-7-sonnet-20250219-v1:0"),
    ("bedrock", "us.anthropic.claude-3-7-sonnet-20250219-v1:0"),
    ("bedrock", "anthropic.claude-3-haiku-20240307-v1:0"),
    ("bedrock", "eu.anthropic.claude-3-haiku-20240307-v1:0"),
    ("google", "gemini-2.5-pro"), ("vertex_ai", "gemini-2.5-flash"), ("google", "gemini-2.5-flash"),
    ("gemini", "gemini-2.0-flash"), ("google", "gemini-2.0-flash-001"), (None, "gemini-2.5-pro"),
    ("deepseek", "deepseek-chat"), ("deepseek", "deepseek-chat"), ("deepseek", "deepseek-reasoner"),
    ("deepseek", "deepseek-reasoner"), ("openrouter", "deepseek/deepseek-chat"), ("deepseek", "night"),
    ("perplexity", "sonar"), (None, "sonar"),
    ("mistral", "mistral-large-latest"), (None, "mistral-large-latest"),
    ("openrouter", "meta-llama/llama-3.3-70b-instruct"),
    ("openrouter", "meta-llama/llama-3.3-70b-instruct:free"), ("groq", "llama-3.3-70b-versatile"),
    ("deepinfra", "meta-llama/Llama-3.3-70B-Instruct"), ("wandb", "meta-llama/Llama-3.3-70B-Instruct"),
    ("acme", "acme-chat-1"), ("acme", "acme-long-2"), ("acme", "acme-omni"), ("acme", "night-chat"),
    ("owl", "owl-chat"), ("owl", "owl-chat-2"), ("acme", "acme-free"),
    ("acme", "acme-unknown-9"), ("nowhere", "mystery-model-7"), (None, "totally-unknown"),
    # names no card is keyed by, which a genai-prices match rule of the fixture covers
    # (starts_with acme-long-2, starts_with owl-chat)
    ("acme", "acme-long-2-preview-0601"), ("owl", "owl-chat-beta"),
    # an undated name the genai-prices fixture prices apart from the dated snapshot it
    # would be guessed to be (its own card), by name, through the creator and by a rule
    # (contains ...-05-20); a rule of a priced variant (contains M2.5-highspeed)
    ("google", "gemini-2.5-flash-preview"), ("openrouter", "google/gemini-2.5-flash-preview"),
    ("google", "gemini-2.5-flash-preview-09-2025"), ("google", "gemini-2.5-flash-preview-05-20"),
    ("minimax", "M2.5-highspeed"), ("minimax", "proxy-M2.5-highspeed"),
    ("minimax", "MiniMax-M2.5-highspeed"), ("minimax", "minimax-m2.5"),
]

# (name, old text, new text): each must change the answers on the generated scenario
MUTANTS = [
    ("no price-list name rule fallback",
     "LEFT JOIN keys kr ON kv.provider IS NULL",
     "LEFT JOIN keys kr ON 0 AND kv.provider IS NULL"),
    ("a tier rule's > read as >=",
     "ELSE ev.prompt_tokens END > t.tier_start_tokens",
     "ELSE ev.prompt_tokens END >= t.tier_start_tokens"),
    ("no cache read price fallback",
     "coalesce(t.p_cr, b.b_cr, t.p_in, b.b_in) AS price_cr",
     "coalesce(t.p_cr, b.b_cr) AS price_cr"),
    ("a window that wraps midnight read as one that does not",
     "OR substr(q.at_ts, 12, 8) < k.window_end END",
     "AND substr(q.at_ts, 12, 8) < k.window_end END"),
    ("events without ts priced at the latest card",
     "coalesce(e.ts, ns.newest, '9999-12-31')",
     "coalesce(e.ts, '9999-12-31')"),
    ("a tier rule's >= read as >",
     "ELSE ev.prompt_tokens END >= t.tier_start_tokens",
     "ELSE ev.prompt_tokens END > t.tier_start_tokens"),
    ("tiers counting input tokens count the prompt",
     "WHEN 'input' THEN ev.input_tokens", "WHEN 'input' THEN ev.prompt_tokens"),
    ("tiers counting total tokens count the prompt",
     "WHEN 'total' THEN ev.prompt_tokens + ev.completion_tokens", "WHEN 'total' THEN ev.prompt_tokens"),
    ("1-hour cache writes without their price billed at the input price",
     "coalesce(t.p_cw1h, b.b_cw1h, t.p_cw, b.b_cw, t.p_in, b.b_in) AS price_cw1h",
     "coalesce(t.p_cw1h, b.b_cw1h, t.p_in, b.b_in) AS price_cw1h"),
    ("no audio input price fallback",
     "coalesce(t.p_ain, b.b_ain, t.p_in, b.b_in) AS price_ain", "coalesce(t.p_ain, b.b_ain) AS price_ain"),
    ("no per-request fee",
     "CASE WHEN p.price_req IS NOT NULL THEN 1 ELSE 0 END AS n_req", "0 AS n_req"),
    ("web searches billed without a price",
     "CASE WHEN p.price_ws IS NOT NULL THEN p.n_ws ELSE 0 END AS n_ws_billed", "p.n_ws AS n_ws_billed"),
    ("an undated name never billed at its own name's card",
     "CASE WHEN e.model_mapping_rule = 'undated' AND EXISTS (",
     "CASE WHEN 0 AND EXISTS ("),
    ("a variant's name rule billed at the plain card",
     "           r.variant, r.rule, r.source_path, r.source_row\n",
     "           NULL AS variant, r.rule, r.source_path, r.source_row\n"),
    ("no window card for an event a name rule bills",
     "LEFT JOIN win wr\n          ON wr.provider", "LEFT JOIN win wr\n          ON 0 AND wr.provider"),
    ("no creator fallback",
     "AND kc.model = e.key_model AND kc.variant IS NULL",
     "AND kc.model = e.key_model AND kc.variant IS NULL AND 0"),
    ("no variant cards",
     "LEFT JOIN keys kv ON coalesce(e.window_variant, e.variant) IS NOT NULL",
     "LEFT JOIN keys kv ON coalesce(e.window_variant, e.variant) IS NOT NULL AND 0"),
    ("a window card newer than the card in force applies",
     "AND k.first_from <= coalesce(", "AND '' <= coalesce("),
    ("a window's end included",
     "AND substr(q.at_ts, 12, 8) < k.window_end\n", "AND substr(q.at_ts, 12, 8) <= k.window_end\n"),
    ("incremental tiers costed",
     "AND coalesce(p.tier_mode, 'cliff') = 'cliff') AS costable", ") AS costable"),
    ("cached audio billed at the text cache read price",
     "coalesce(t.p_cra, b.b_cra, t.p_cr, b.b_cr, t.p_ain, b.b_ain, t.p_in, b.b_in)",
     "coalesce(t.p_cr, b.b_cr, t.p_ain, b.b_ain, t.p_in, b.b_in)"),
    ("cached audio without a cache price billed at the input price",
     "coalesce(t.p_cra, b.b_cra, t.p_cr, b.b_cr, t.p_ain, b.b_ain, t.p_in, b.b_in)",
     "coalesce(t.p_cra, b.b_cra, t.p_cr, b.b_cr, t.p_in, b.b_in)"),
    ("a tier price missing falls back to nothing",
     "coalesce(t.p_out, b.b_out) AS price_out", "CASE WHEN t.provider IS NULL THEN b.b_out ELSE t.p_out END AS price_out"),
]


def q(v):
    return "NULL" if v is None else "'" + str(v).replace("'", "''") + "'"


def unquote(s):
    """A quote() field back to a Python value (text, int, float or None)."""
    if s == "NULL":
        return None
    if s.startswith("'"):
        return s[1:-1].replace("''", "'")
    if s.startswith("X'"):
        return bytes.fromhex(s[2:-1])
    try:
        return int(s)
    except ValueError:
        return float(s)


class SqlError(Exception):
    pass


def run_sqlite(ext, script, bail=True):
    args = ["sqlite3"] + (["-bail"] if bail else []) + [":memory:"]
    proc = subprocess.run(args, input=".load %s\n%s" % (ext, script), capture_output=True,
                          text=True, cwd=ROOT)
    if bail and (proc.returncode != 0 or proc.stderr.strip()):
        raise SqlError(proc.stderr.strip()[:600] or "exit %d" % proc.returncode)
    return proc


def setup_sql(extra=""):
    return ".read sql/ledger.sql\n.read tests/reference/event_costs_reference.sql\n" + extra


def sources_sql(rows):
    return ("INSERT INTO ledger_sources(kind, path, format, snapshot_date, priority) VALUES\n" +
            ",\n".join("(%s, %s, %s, %s, 0)" % (q(k), q(p), q(f), q(d)) for k, p, f, d in rows) +
            ";\n")


def dump_sql(rel, tmp, order="ORDER BY source_path, line"):
    """CLI commands writing rel's column list and its rows, every column quote()d in its
    own order, to files in tmp. The SELECT is written by SQL from pragma_table_info
    (.read of a generated file), so each relation is read with its own columns."""
    cols = os.path.join(tmp, rel + ".cols")
    rows = os.path.join(tmp, rel + ".rows")
    sel = os.path.join(tmp, rel + ".select.sql")
    return (".mode list\n.separator \"\\037\" \"\\036\"\n"
            ".output %s\nSELECT name FROM pragma_table_info(%s) ORDER BY cid;\n"
            ".separator \"\\037\" \"\\n\"\n.output %s\n"
            "SELECT 'SELECT ' || group_concat('quote(x.\"' || replace(name, '\"', '\"\"') || '\")', "
            "' || char(31) || ') || ' FROM %s AS x %s;' "
            "FROM (SELECT name FROM pragma_table_info(%s) ORDER BY cid);\n"
            ".separator \"\\037\" \"\\036\"\n.output %s\n.read %s\n.output stdout\n"
            % (cols, q(rel), sel, rel, order, q(rel), rows, sel))


def quoted_select(columns):
    return ", ".join("quote(%s)" % c for c in columns)


def read_records(path):
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        data = f.read()
    recs = data.split(RS)
    if recs and recs[-1] in ("", "\n"):
        recs.pop()
    return recs


def read_dump(rel, tmp):
    """(column names, rows): each row is its record as text, fields joined by FS (split
    only where needed: splitting every row of every dump costs seconds)."""
    cols = [r.strip("\n") for r in read_records(os.path.join(tmp, rel + ".cols"))]
    return cols, read_records(os.path.join(tmp, rel + ".rows"))


def columns_of(ext, rel_sql, rel):
    """The column names of rel after running rel_sql (setup)."""
    proc = run_sqlite(ext, rel_sql + ".mode list\nSELECT name FROM pragma_table_info(%s) "
                      "ORDER BY cid;\n" % q(rel))
    return proc.stdout.split("\n")[:-1]


_ORACLE_COLUMNS = []


def oracle_columns(ext):
    """event_costs_reference's columns, in order (read once: they do not depend on the
    sources)."""
    if not _ORACLE_COLUMNS:
        _ORACLE_COLUMNS.extend(n for n in columns_of(ext, setup_sql(), ORACLE) if n)
    return list(_ORACLE_COLUMNS)


def dump_relations(ext, setup, rels, tmp, order="ORDER BY source_path, line"):
    """Run setup, then dump every relation of rels: {rel: (cols, rows)}."""
    script = setup
    for rel in rels:
        script += dump_sql(rel, tmp, order)
    run_sqlite(ext, script)
    return {rel: read_dump(rel, tmp) for rel in rels}


def keyed(cols, rows, key_cols):
    """{key: row text} and the keys seen more than once."""
    idx = [cols.index(k) for k in key_cols]
    last = max(idx)
    out, dup = {}, []
    for r in rows:
        f = r.split(FS, last + 1)
        k = tuple(f[i] if i < len(f) else None for i in idx)
        if k in out:
            dup.append(k)
        out[k] = r
    return out, dup


def compare(a, b, label_a=SUBJECT, label_b=ORACLE, show=5, key_cols=("source_path", "line")):
    """(number of differences, detail) between two dumps (cols, rows). Rows are matched on
    key_cols (a row only one side has counts as one difference), fields by column name;
    the column lists must be equal in names and order."""
    cols_a, rows_a = a
    cols_b, rows_b = b
    if cols_a == cols_b and rows_a == rows_b:
        return 0, ""
    problems = []
    ncols = 0
    if cols_a != cols_b:
        ncols = 1
        only_a = [c for c in cols_a if c not in cols_b]
        only_b = [c for c in cols_b if c not in cols_a]
        problems.append("columns differ (%d in %s, %d in %s; only in %s: %s; only in %s: %s%s)" % (
            len(cols_a), label_a, len(cols_b), label_b, label_a, only_a, label_b, only_b,
            "; same names, another order" if not only_a and not only_b else ""))
    if any(k not in cols_a or k not in cols_b for k in key_cols):
        problems.append("no key columns %s in both" % (key_cols,))
        return ncols + 1, " | ".join(problems)
    ka, dup_a = keyed(cols_a, rows_a, key_cols)
    kb, dup_b = keyed(cols_b, rows_b, key_cols)
    if len(rows_a) != len(rows_b):
        problems.append("%d rows in %s, %d in %s" % (len(rows_a), label_a, len(rows_b), label_b))
    for label, dup in ((label_a, dup_a), (label_b, dup_b)):
        if dup:
            problems.append("%d keys twice in %s, e.g. %s" % (len(dup), label, dup[0]))
    only_a = [k for k in ka if k not in kb]
    only_b = [k for k in kb if k not in ka]
    for label, only in ((label_a, only_a), (label_b, only_b)):
        if only:
            problems.append("%d rows only in %s, e.g. %s" % (len(only), label,
                                                             ", ".join(map(str, only[:3]))))
    common = [c for c in cols_b if c in cols_a]
    ndiff, shown = 0, []
    for k, tb in kb.items():
        ta = ka.get(k)
        if ta is None or (ta == tb and cols_a == cols_b):
            continue
        ra, rb = dict(zip(cols_a, ta.split(FS))), dict(zip(cols_b, tb.split(FS)))
        diffs = [c for c in common if ra.get(c) != rb.get(c)]
        if not diffs:
            continue
        ndiff += 1
        if len(shown) < show:
            shown.append("%s model %s: %s" % (
                " line ".join(str(x) for x in k), rb.get("raw_model"),
                "; ".join("%s: %s vs %s" % (c, ra[c], rb[c]) for c in diffs)[:600]))
    if ndiff:
        problems.append("%d rows differ (%s vs %s)" % (ndiff, label_a, label_b))
    n = ncols + ndiff + len(only_a) + len(only_b) + len(dup_a) + len(dup_b)
    return n, " | ".join(problems + shown)


COVERAGE = [
    ("tier", lambda r: (r["tier_start_tokens"] or 0) > 0),
    ("window", lambda r: "window=" in (r["rate_variant"] or "")),
    ("variant", lambda r: r["rate_variant"] is not None and "window=" not in r["rate_variant"]),
    ("creator_fallback", lambda r: r["rate_provider"] is not None
     and r["rate_provider"] != r["provider"]),
    ("backdated", lambda r: r["rate_backdated"] == 1),
    ("rate_at_assumed", lambda r: r["rate_at_assumed"] == 1),
    ("cache_fallback", lambda r: r["cache_price_fallback"] == 1),
    ("modality_fallback", lambda r: r["modality_price_fallback"] == 1),
    ("request_fee", lambda r: (r["request_cost"] or 0) > 0),
    ("web_search", lambda r: (r["web_search_cost"] or 0) > 0),
    ("unpriced", lambda r: r["cost_status"] == "unpriced"),
    ("error", lambda r: (r["cost_note"] or "").startswith("unsound record")),
]
# counted and printed too; required in the generated scenario as well
EXTRA_COVERAGE = [
    ("first_day", lambda r: r["ts"] is not None and r["rate_effective_from"] is not None
     and r["ts"][:10] == r["rate_effective_from"]),
    ("service_tier_card", lambda r: "service_tier=" in (r["rate_variant"] or "")),
    ("incremental", lambda r: "incremental" in (r["cost_note"] or "")),
    ("free", lambda r: r["cost_status"] == "free"),
    ("1h_fallback", lambda r: "1-hour cache writes billed" in (r["cost_note"] or "")),
    ("web_search_unbilled", lambda r: "web searches not billed" in (r["cost_note"] or "")),
    ("cached_audio", lambda r: (r["cache_read_audio_cost"] or 0) > 0),
    ("cached_audio_fallback", lambda r: "cached audio billed" in (r["cost_note"] or "")),
    ("unknown_model", lambda r: (r["cost_note"] or "").startswith("unknown model")),
    ("no_provider", lambda r: r["raw_provider"] is None and r["rate_provider"] is not None),
    ("reported_cost", lambda r: r["cost_minus_reported"] is not None),
    ("match_rule", lambda r: r["rate_match_rule"] is not None),
    ("own_name", lambda r: r["model_mapping_rule"] == "undated" and r["rate_model"] is not None
     and r["rate_model"] != r["model"]),
    ("variant_rule", lambda r: r["rate_match_rule"] is not None and r["rate_variant"] is not None
     and "window=" not in r["rate_variant"]),
    ("window_rule", lambda r: r["rate_match_rule"] is not None
     and "window=" in (r["rate_variant"] or "")),
]


def coverage(dump):
    cols, rows = dump
    counts = {name: 0 for name, _ in COVERAGE + EXTRA_COVERAGE}
    dialects = {}
    for raw in rows:
        r = {c: unquote(v) for c, v in zip(cols, raw.split(FS))}
        for name, test in COVERAGE + EXTRA_COVERAGE:
            if test(r):
                counts[name] += 1
        if r.get("dialect"):
            dialects[r["dialect"]] = dialects.get(r["dialect"], 0) + 1
    return counts, dialects


def fmt_counts(counts):
    return ", ".join("%s %d" % kv for kv in counts.items())


class Report:
    def __init__(self):
        self.failures = 0

    def ok(self, name, detail=""):
        print("ok - %s%s" % (name, (" (%s)" % detail) if detail else ""))

    def fail(self, name, detail):
        self.failures += 1
        print("not ok - %s: %s" % (name, detail.replace("\n", " ")[:3000]))

    def skip(self, name, reason):
        print("skip - %s: %s" % (name, reason))


def check_equal(rep, name, dumps):
    n, detail = compare(dumps[SUBJECT], dumps[ORACLE])
    if n:
        rep.fail(name, detail)
        return False
    rep.ok(name, "%d rows x %d columns equal" % (len(dumps[ORACLE][1]), len(dumps[ORACLE][0])))
    return True


def raw_names(ext, setup):
    """The pricing sources' (raw_provider, raw_model) pairs, the cards' first days, and the
    pairs whose card has a daily window or a tier (a log should hit those often)."""
    proc = run_sqlite(ext, setup + ".mode list\n.separator \"\\037\" \"\\036\"\n"
                      "SELECT DISTINCT 'n', raw_provider, raw_model FROM model_prices "
                      "WHERE raw_model IS NOT NULL ORDER BY 2, 3;\n"
                      "SELECT DISTINCT CASE WHEN EXISTS (SELECT 1 FROM rate_timeline w "
                      "WHERE w.provider = m.provider AND w.model = m.model "
                      "AND w.window_start IS NOT NULL) THEN 'w' ELSE 's' END, m.raw_provider, m.raw_model FROM model_prices m "
                      "WHERE m.raw_model IS NOT NULL AND EXISTS (SELECT 1 FROM rate_timeline t "
                      "WHERE t.provider = m.provider AND t.model = m.model "
                      "AND (t.window_start IS NOT NULL OR t.tier_start_tokens > 0)) ORDER BY 2, 3;\n"
                      "SELECT DISTINCT 't' || t.tier_start_tokens, m.raw_provider, m.raw_model "
                      "FROM model_prices m JOIN rate_timeline t ON t.provider = m.provider "
                      "AND t.model = m.model AND t.tier_start_tokens > 0 "
                      "WHERE m.raw_model IS NOT NULL ORDER BY 1, 2, 3;\n"
                      "SELECT 'd', '', group_concat(d, ',') FROM (SELECT DISTINCT effective_from "
                      "AS d FROM rate_timeline WHERE effective_from > '1000' ORDER BY 1);\n")
    names, days, special, tiers = [], [], [], []
    for rec in proc.stdout.split(RS):
        if not rec.strip():
            continue
        kind, p, m = rec.split(FS)
        if kind == "d":
            days = [d for d in m.split(",") if d]
        elif kind.startswith("t"):
            tiers.append((p or None, m, int(kind[1:])))
        else:
            (names if kind == "n" else special).append((p or None, m))
            if kind == "w":  # few names, and the window holds only part of the day
                special.extend([(p or None, m)] * 9)
    return names, days, special, tiers


def scenario_fixtures(rep, ext, tmp):
    setup = setup_sql(".read fixtures/ledger.sources.sql\n")
    dumps = dump_relations(ext, setup, [SUBJECT, ORACLE], tmp)
    if check_equal(rep, "equiv fixtures: event_costs = event_costs_reference", dumps):
        counts, _ = coverage(dumps[ORACLE])
        rep.ok("equiv fixtures: coverage", fmt_counts(counts))


def write_log(path, lines):
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def scenario_generated(rep, ext, tmp):
    """The generated scenario; returns its setup SQL, names and card days for usage_cost."""
    pricing = [("pricing", p, f, d) for p, f, d in GENERATED_SOURCES]
    base = setup_sql(TIER_RULES + sources_sql(pricing))
    names, days, special, tiers = raw_names(ext, base)
    # the files' names as written, and as a log would write them: without a provider,
    # with the provider as a prefix
    pool = list(CURATED) * 3 + names + special + [(None, m) for p, m in names[::3]] + \
        [(p, "%s/%s" % (p, m)) for p, m in names[::5] if p and "/" not in m]
    log = os.path.join(tmp, "generated.jsonl")
    write_log(log, gen_events.events(20261201, 4000, pool, days, probes=tiers))
    # refreshed: the mutants' dumps then read the stored timeline, not the files
    setup = base + sources_sql([("events", log, None, None)]) + \
        "INSERT INTO ledger_refresh DEFAULT VALUES;\n"
    mutant_sql = ""
    ref = open(REFERENCE, encoding="utf-8").read()
    rels = [SUBJECT, ORACLE]
    for i, (mname, old, new) in enumerate(MUTANTS):
        if old not in ref:
            rep.fail("equiv: mutant '%s'" % mname, "the reference no longer holds %r" % old)
            continue
        text = ref.replace(old, new).replace(ORACLE, "event_costs_mutant_%d" % i)
        path = os.path.join(tmp, "mutant_%d.sql" % i)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        mutant_sql += ".read %s\n" % path
        rels.append("event_costs_mutant_%d" % i)
    dumps = dump_relations(ext, setup + mutant_sql, rels, tmp)
    check_equal(rep, "equiv generated: event_costs = event_costs_reference", dumps)
    counts, dialects = coverage(dumps[ORACLE])
    missing = [k for k, _ in COVERAGE + EXTRA_COVERAGE if counts[k] == 0]
    want_dialects = ["openai_chat", "openrouter", "litellm", "openai_responses", "openai_realtime",
                     "anthropic", "claude_code", "bedrock", "gemini", "otel_genai", "generic"]
    missing += ["dialect " + d for d in want_dialects if not dialects.get(d)]
    if missing:
        rep.fail("equiv generated: coverage", "no row hits %s (%s)" % (", ".join(missing),
                                                                        fmt_counts(counts)))
    else:
        rep.ok("equiv generated: coverage", "%d rows: %s; dialects %s" % (
            len(dumps[ORACLE][1]), fmt_counts(counts),
            ", ".join("%s %d" % kv for kv in sorted(dialects.items()))))
    for i, (mname, _, _) in enumerate(MUTANTS):
        rel = "event_costs_mutant_%d" % i
        if rel not in dumps:
            continue
        n, _ = compare(dumps[SUBJECT], dumps[rel], SUBJECT, rel)
        if n:
            rep.ok("equiv: a mutated oracle is caught (%d rows differ: %s)" % (n, mname))
        else:
            rep.fail("equiv: a mutated oracle is caught",
                     "the mutant '%s' agrees with event_costs on every row" % mname)
    # the same log against the timeline read live from the files, and against the test's cards
    # alone (no source dated: an event without ts takes the latest card)
    for label, extra in (("live", base + sources_sql([("events", log, None, None)])),
                         ("undated sources only", setup_sql(TIER_RULES + sources_sql(
                             [("pricing", GENERATED_SOURCES[0][0], "tokenledger", None),
                              ("events", log, None, None)])))):
        sub = os.path.join(tmp, label.replace(" ", "_"))
        os.mkdir(sub)
        d = dump_relations(ext, extra, [SUBJECT, ORACLE], sub)
        if check_equal(rep, "equiv generated, %s: event_costs = event_costs_reference" % label, d):
            counts, _ = coverage(d[ORACLE])
            rep.ok("equiv generated, %s: coverage" % label, fmt_counts(counts))
    return base, pool, days


def real_sources(shared_rel):
    rows = []
    d = os.path.join(ROOT, shared_rel, "litellm")
    for f in sorted(os.listdir(d)):
        rows.append(("pricing", os.path.join(shared_rel, "litellm", f), "litellm", f.split(".")[1]))
    rows.append(("pricing", os.path.join(shared_rel, "models-dev", "api.json"), "modelsdev",
                 "2026-07-02"))
    for f in sorted(os.listdir(os.path.join(ROOT, shared_rel, "openrouter"))):
        rows.append(("pricing", os.path.join(shared_rel, "openrouter", f), "openrouter",
                     f.split(".")[1]))
    rows.append(("pricing", os.path.join(shared_rel, "genai-prices", "v2", "data.json"),
                 "genai-prices", "2026-08-21"))
    return rows


def real_pool(names, seed):
    """Names for the real log: as the files spell them, plus variants a log writes."""
    rnd = random.Random(seed)
    pool = []
    for p, m in names:
        pool.append((p, m))
        k = rnd.random()
        if k < 0.25:
            pool.append((None, m))
        elif k < 0.35 and p and "/" not in m:
            pool.append((p, "%s/%s" % (p, m)))
        elif k < 0.45:
            # undated: drop a trailing date; or the -latest alias of the family
            s = re.sub(r"[-@]?(20\d\d-?\d\d-?\d\d|\d{4})$", "", m)
            if s != m:
                pool.append((p, s))
                pool.append((p, s + "-latest"))
        elif k < 0.5 and ":" not in m:
            pool.append((p, m + ":free"))
    return pool


def scenario_real(rep, ext, tmp):
    name = "equiv real"
    if not os.path.isdir(SHARED):
        rep.skip(name, "needs ../shared/data")
        return
    shared_rel = os.path.relpath(SHARED, ROOT)
    base = setup_sql(sources_sql(real_sources(shared_rel)))
    names, days, special, tiers = raw_names(ext, base + "INSERT INTO ledger_refresh DEFAULT VALUES;\n")
    pool = real_pool(names, 7) + special * 8
    rnd_days = [d for d in days if "2024-01-01" <= d <= "2026-12-31"]
    log = os.path.join(tmp, "real.jsonl")
    probes = random.Random(5).sample(tiers, min(len(tiers), 60))
    lines = gen_events.events(20261202, 20000 - 9 * len(probes), pool, rnd_days, error_rate=0.01,
                              probes=probes)
    write_log(log, lines)
    setup = base + sources_sql([("events", log, None, None)]) + \
        "INSERT INTO ledger_refresh DEFAULT VALUES;\n"
    dumps = dump_relations(ext, setup, [SUBJECT, ORACLE], tmp)
    if check_equal(rep, "%s: event_costs = event_costs_reference (%d names, %d raw)" % (
            name, len(pool), len(names)), dumps):
        counts, _ = coverage(dumps[ORACLE])
        rep.ok("%s: coverage" % name, "%d rows: %s" % (len(dumps[ORACLE][1]), fmt_counts(counts)))


USAGE_COLUMNS = ["dialect", "input_tokens", "cache_read_tokens", "cache_write_tokens",
                 "output_tokens", "reasoning_tokens", "audio_input_tokens", "audio_output_tokens",
                 "image_input_tokens", "image_output_tokens", "video_input_tokens",
                 "video_output_tokens", "cache_write_5m_tokens", "cache_write_1h_tokens",
                 "web_search_requests", "service_tier", "reported_cost",
                 "cache_read_audio_tokens"]


def scenario_usage_cost(rep, ext, tmp, base, pool, days):
    name = "equiv usage_cost"
    calls = gen_events.calls(20261203, 200, pool, days)
    log = os.path.join(tmp, "calls.jsonl")
    lines = []
    for p, m, u, ts in calls:
        v = json.loads(u)
        lines.append(u if gen_events.is_body(v) else json.dumps({"usage": v}))
    write_log(log, lines)
    # which calls are sound (usage_events says, from the same text)
    proc = run_sqlite(ext, ".mode list\nSELECT line FROM usage_events(%s) WHERE error IS NOT NULL "
                      "ORDER BY line;\n" % q(log))
    unsound = {int(x) for x in proc.stdout.split()}
    values = ",\n".join("(%d, %s, %s, %s, %s)" % (i + 1, q(p), q(m), q(u), q(ts))
                        for i, (p, m, u, ts) in enumerate(calls))
    setup = base + "INSERT INTO ledger_refresh DEFAULT VALUES;\n" \
        "CREATE TEMP TABLE calls(i INTEGER PRIMARY KEY, p, m, u, ts);\n" \
        "INSERT INTO calls VALUES %s;\n" % values
    names = oracle_columns(ext)
    cols_uc = [c for c in columns_of(ext, setup, "usage_cost") if c and not c.startswith("arg_")]
    sound = "c.i NOT IN (%s)" % ",".join(str(i) for i in sorted(unsound) or [0])
    uc_rows, ref_rows = os.path.join(tmp, "uc.rows"), os.path.join(tmp, "ucref.rows")
    script = setup + ".mode list\n.separator \"\\037\" \"\\036\"\n" \
        ".output %s\nSELECT c.i, %s FROM calls c, usage_cost(c.p, c.m, c.u, c.ts) u " \
        "WHERE %s ORDER BY c.i;\n" % (uc_rows, quoted_select('u."%s"' % n for n in cols_uc), sound)
    script += "INSERT INTO temp.ledger_calls(line, ts, provider, model, %s)\n" \
        "SELECT c.i, c.ts, c.p, c.m, %s FROM calls c JOIN usage_events(%s) e ON e.line = c.i " \
        "WHERE %s;\n" % (", ".join(USAGE_COLUMNS), ", ".join("e." + c for c in USAGE_COLUMNS),
                         q(log), sound)
    script += ".output %s\nSELECT line, %s FROM %s x WHERE source_path = ':call' ORDER BY line;\n" \
        ".output stdout\nDELETE FROM temp.ledger_calls;\n" % (
            ref_rows, quoted_select('x."%s"' % n for n in names), ORACLE)
    run_sqlite(ext, script)
    got = read_records(uc_rows)
    want = []
    line_at = names.index("line")
    for r in read_records(ref_rows):
        f = r.split(FS)  # the reference's row of call i is line i; usage_cost's is always 1
        f[1 + line_at] = "1"
        want.append(FS.join(f))
    n, detail = compare((["call"] + cols_uc, got), (["call"] + names, want), "usage_cost", ORACLE,
                        key_cols=("call",))
    if n:
        rep.fail(name + ": usage_cost = event_costs_reference", detail)
    else:
        counts, _ = coverage((names, [r.split(FS, 1)[1] for r in want]))
        rep.ok(name + ": usage_cost = event_costs_reference",
               "%d calls x %d columns equal; %s" % (len(want), len(names), fmt_counts(counts)))
    # the unsound ones fail, each in its own statement
    if unsound:
        script = setup + "".join(
            "SELECT 'answered %d', total_cost FROM calls c, usage_cost(c.p, c.m, c.u, c.ts) "
            "WHERE c.i = %d;\n" % (i, i) for i in sorted(unsound))
        proc = run_sqlite(ext, script, bail=False)
        answered = proc.stdout.count("answered")
        errors = len(re.findall(r"usage_cost: ", proc.stderr))
        if answered or errors != len(unsound):
            rep.fail(name + ": unsound usage fails",
                     "%d of %d unsound calls answered, %d errors: %s" % (
                         answered, len(unsound), errors, proc.stderr[:300]))
        else:
            rep.ok(name + ": unsound usage fails", "%d calls" % len(unsound))


def scenario_read_ahead(rep, ext, tmp):
    """A log over 4 MiB is parsed by a helper thread (vtab/event_costs.c, read_ahead), smaller
    ones directly: the generated log repeated past 4.5 MiB, costed as one file and as files of
    2,000 lines each, must give the same rows (every column but source_path and line) in the
    same order."""
    with open(os.path.join(tmp, "generated.jsonl"), encoding="utf-8") as f:
        lines = f.readlines()
    big, size = [], 0
    while size < 9 << 19:
        big += lines
        size += sum(len(x.encode("utf-8")) for x in lines)
    write_log(os.path.join(tmp, "ahead_big.jsonl"), [x.rstrip("\n") for x in big])
    small = []
    for i in range(0, len(big), 2000):
        path = os.path.join(tmp, "ahead_small_%03d.jsonl" % (i // 2000))
        write_log(path, [x.rstrip("\n") for x in big[i:i + 2000]])
        small.append(("events", path, None, None))
    pricing = [("pricing", p, f, d) for p, f, d in GENERATED_SOURCES]
    cols = [c for c in columns_of(ext, setup_sql(), SUBJECT) if c not in ("source_path", "line")]
    select = "SELECT %s FROM event_costs ORDER BY source_path, line;\n" % \
        " || '|' || ".join("quote(%s)" % c for c in cols)
    outs = []
    for events in ([("events", os.path.join(tmp, "ahead_big.jsonl"), None, None)], small):
        script = setup_sql(TIER_RULES + sources_sql(pricing + events)) + \
            "INSERT INTO ledger_refresh DEFAULT VALUES;\n" + select
        outs.append(run_sqlite(ext, script).stdout.splitlines())
    # an unsound record's note names its file and line, which differ by construction
    unsound = re.compile(r"'unsound record: [^:']*:\d+:")
    differ = sum(1 for a, b in zip(*outs) if unsound.sub("", a) != unsound.sub("", b))
    detail = "%d rows, %.1f MiB in one file vs %d files; %d CPUs" % (
        len(outs[0]), size / 1048576.0, len(small), os.cpu_count() or 1)
    if len(outs[0]) != len(big) or len(outs[1]) != len(big) or differ:
        rep.fail("equiv read-ahead: one big log = the same lines in small logs",
                 "%s; rows %d and %d, %d differ" % (detail, len(outs[0]), len(outs[1]), differ))
    else:
        rep.ok("equiv read-ahead: one big log = the same lines in small logs", detail)


def main():
    ext = "./tokenledger"
    if "--ext" in sys.argv:
        ext = sys.argv[sys.argv.index("--ext") + 1]
    rep = Report()
    tmp = tempfile.mkdtemp(prefix="tokenledger-costing-")
    t0 = time.time()
    timings, generated = [], None
    try:
        for label, fn in (("fixtures", lambda: scenario_fixtures(rep, ext, tmp)),
                          ("generated", lambda: scenario_generated(rep, ext, tmp))):
            t1 = time.time()
            try:
                out = fn()
            except SqlError as e:
                rep.fail("equiv %s" % label, "sqlite3 failed: %s" % e)
                out = None
            if label == "generated":
                generated = out
            timings.append("%s %.1f s" % (label, time.time() - t1))
        t1 = time.time()
        if generated:
            try:
                scenario_read_ahead(rep, ext, tmp)
            except SqlError as e:
                rep.fail("equiv read-ahead", "sqlite3 failed: %s" % e)
        timings.append("read-ahead %.1f s" % (time.time() - t1))
        t1 = time.time()
        try:
            scenario_real(rep, ext, tmp)
        except SqlError as e:
            rep.fail("equiv real", "sqlite3 failed: %s" % e)
        timings.append("real %.1f s" % (time.time() - t1))
        t1 = time.time()
        if generated:
            try:
                scenario_usage_cost(rep, ext, tmp, *generated)
            except SqlError as e:
                rep.fail("equiv usage_cost", "sqlite3 failed: %s" % e)
        timings.append("usage_cost %.1f s" % (time.time() - t1))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if rep.failures == 0:
        rep.ok("equiv: ran in %.1f s" % (time.time() - t0), "; ".join(timings))
    return 1 if rep.failures else 0


if __name__ == "__main__":
    sys.exit(main())
