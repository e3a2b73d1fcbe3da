"""canonical_model(x) over a million real model names against lower(x) over the same rows.

The names are every model name of the real sources a ledger joins (LiteLLM keys, OpenRouter
ids, Artificial Analysis slugs and display names, LMArena keys: about 4,000 distinct), repeated
to 1,000,000 rows in their file order, as a usage log repeats its few names. lower() is the floor
of any scalar function: one pass over the bytes and a copy. Aim (issue 3): within 3x of lower().

The note of the first row gives the cold path on those real names: every distinct name once,
each repetition in a fresh process (bench/runner keeps one connection for its repetitions, so
a repetition after the first would find every answer in the connection's cache; before
session 8 this note was such a warm figure, which is where issue 14's "1.4x-3.9x on distinct
names" came from).

The second row is the cold path (issue 14): 1,000,000 DISTINCT names, each a real name with a
gateway or region prefix, a date, version or mode suffix, or a case change drawn from a seeded
generator, so the answer cache never hits and every row is resolved. Aim: within 3x of lower().
"""
import glob
import json
import os
import random

ROWS = 1000000
SEED = 14
PREFIXES = ["", "", "", "openrouter/", "azure/", "bedrock/", "us.", "eu.", "vertex_ai/",
            "together_ai/", "groq/", "fireworks_ai/accounts/fireworks/models/", "deepinfra/",
            "litellm_proxy/", "openai/", "anthropic.", "azure_ai/", "ollama/", "ft:"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def real_names(shared):
    names = []
    for f in sorted(glob.glob(os.path.join(shared, "litellm", "*2026-08-01.json"))):
        names += [k for k in json.load(open(f)) if k not in ("sample_spec", "last_updated")]
    for f in sorted(glob.glob(os.path.join(shared, "openrouter", "*.json"))):
        names += [d["id"] for d in json.load(open(f))["data"]]
    aa = json.load(open(os.path.join(shared, "artificial-analysis", "aa_v2_llms_models.2026-03-25.json")))
    names += [m["slug"] for m in aa["models"]] + [m["name"] for m in aa["models"]]
    lm = json.load(open(os.path.join(shared, "lmarena", "arena-catalog_leaderboard-text.2025-12-11.json")))
    names += sorted({k for cat in lm.values() for k in cat})
    return names


def _suffix(rng):
    """One suffix a real name might carry: a snapshot date, a version, a mode, a size."""
    y, m, d = rng.randint(2023, 2026), rng.randint(1, 12), rng.randint(1, 28)
    return rng.choice([
        "", "-%d-%02d-%02d" % (y, m, d), "-%d%02d%02d" % (y, m, d), "@%d%02d%02d" % (y, m, d),
        "-%02d-%02d" % (m, d), "-v%d:%d" % (rng.randint(1, 3), rng.randint(0, 2)), ":free",
        "-latest", "-preview-%02d-%02d" % (m, d), "-fp8", "-instruct", "-%dk" % rng.choice([8, 32, 128]),
        " (%s '%02d)" % (MONTHS[m - 1], y % 100), "-thinking", ":%db" % rng.randint(1, 405)])


def distinct_names(names, count, seed=SEED):
    """count distinct names, each a real name dressed as a gateway or a log would spell it."""
    rng = random.Random(seed)
    base = sorted(set(names))
    out, seen = [], set()
    while len(out) < count:
        name = rng.choice(PREFIXES) + rng.choice(base) + _suffix(rng)
        if rng.random() < 0.1:
            name = name.upper() if rng.random() < 0.3 else name.lower()
        if name not in seen:
            seen.add(name)
            out.append(name)
    return out


def run_distinct(ctx, names):
    path = os.path.join(ctx.work, "canonical_distinct.json")
    with open(path, "w") as f:
        json.dump(distinct_names(names, ROWS), f)
    setup = ("CREATE TABLE d(x TEXT);"
             "INSERT INTO d(x) SELECT value FROM json_each(readfile('%s'));" % path)
    res = ctx.time_sql(setup, {
        "canonical": "SELECT canonical_model(x) FROM d",
        "lower": "SELECT lower(x) FROM d",
    }, reps=3)
    rows = res["canonical"][1]
    note = "%d distinct rows: %.0f ns/name against %.0f for lower()" % (
        rows, res["canonical"][0] / rows * 1e9, res["lower"][0] / rows * 1e9)
    return {"scenario": "canonical_model vs lower (1M distinct names)",
            "ours": "canonical_model(x)", "baseline": "lower(x)",
            "ours_s": res["canonical"][0], "baseline_s": res["lower"][0], "note": note}


def cold_pass(ctx, path):
    """(ns per name of canonical_model, of lower(), names) over the distinct real names, in a
    runner process of its own with one repetition: the connection's answer cache starts empty."""
    setup = ("CREATE TABLE names(x TEXT);"
             "INSERT INTO names(x) SELECT DISTINCT value FROM json_each(readfile('%s'));" % path)
    res = ctx.time_sql(setup, {"canonical": "SELECT canonical_model(x) FROM names",
                               "lower": "SELECT lower(x) FROM names"}, reps=1)
    rows = res["canonical"][1]
    return res["canonical"][0] / rows * 1e9, res["lower"][0] / rows * 1e9, rows


def run(ctx):
    if ctx.shared is None:
        return [{"scenario": "canonical_model vs lower", "note": "skipped: needs ../shared/data"}]
    names = real_names(ctx.shared)
    path = os.path.join(ctx.work, "canonical_names.json")
    with open(path, "w") as f:
        json.dump(names, f)
    setup = (
        "CREATE TABLE names(i INTEGER PRIMARY KEY, x TEXT);"
        "INSERT INTO names(x) SELECT value FROM json_each(readfile('%s'));"
        "CREATE TABLE t AS WITH RECURSIVE n(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM n WHERE k < %d)"
        " SELECT (SELECT x FROM names WHERE i = 1 + k %% (SELECT count(*) FROM names)) AS x FROM n;"
        % (path, ROWS - 1))
    res = ctx.time_sql(setup, {
        "canonical": "SELECT canonical_model(x) FROM t",
        "lower": "SELECT lower(x) FROM t",
    }, reps=5)
    cold = sorted(cold_pass(ctx, path) for _ in range(3))[1]
    note = "%d rows; cold (%d distinct names, each once, fresh connection): %.0f ns/name" \
        " against %.0f for lower()" % (res["canonical"][1], cold[2], cold[0], cold[1])
    return [{"scenario": "canonical_model vs lower (1M real names)",
             "ours": "canonical_model(x)", "baseline": "lower(x)",
             "ours_s": res["canonical"][0], "baseline_s": res["lower"][0], "note": note},
            run_distinct(ctx, names)]
