#!/usr/bin/env python3
"""Every price column of pricing(), recomputed from the raw files by python3 (issue 11).

For every real price list in ../shared/data (four LiteLLM files, genai-prices v1 and v2,
data.json and data_slim.json, models.dev api.json, two OpenRouter snapshots), this script
reads the JSON itself (json + decimal: every number keeps its text) and derives, per model
entry, the rows pricing() should give: standard, context tiers, service tiers (LiteLLM's
_batches / _batch_requests / _flex / _priority suffixes, each with its own context tiers)
and daily windows (genai-prices' start_time / end_time constraints). For each row it
computes all fifteen price columns (the five token prices and the ten of issue 11) as the
double nearest the decimal value scaled to one token or one call, then compares them bit
for bit (hex(ieee754_to_blob(col))) with what pricing() returns, along with service_tier,
window_start and window_end. Rows are matched on (provider, model, effective_from,
service_tier, window_start, tier_start_tokens, n-th such row).

Run from the repository root after make:

    python3 tests/pricing_units_check.py [--ext ./tokenledger] [-v]

It prints one line per file, `FILE: N rows, M values compared, K mismatches`, and exits 1
on any mismatch or row-count difference. tests/sql/pricing_units_real.test runs it.
Without ../shared/data it prints `skipped: needs ../shared/data` and exits 0.
"""
import argparse
import collections
import json
import os
import re
import struct
import subprocess
import sys
from decimal import Decimal, InvalidOperation

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.normpath(os.path.join(ROOT, "..", "shared", "data"))

COLUMNS = ["input_cost_per_token", "output_cost_per_token", "cache_read_cost_per_token",
           "cache_write_cost_per_token", "reasoning_cost_per_token",
           "input_audio_cost_per_token", "output_audio_cost_per_token", "cache_read_audio_cost_per_token",
           "input_image_cost_per_token", "output_image_cost_per_token", "input_video_cost_per_token",
           "output_video_cost_per_token", "cache_write_1h_cost_per_token", "per_request_cost",
           "web_search_cost"]

FILES = [
    ("litellm", "litellm/model_prices_and_context_window.2025-02-07.json"),
    ("litellm", "litellm/model_prices_and_context_window.2025-07-20.json"),
    ("litellm", "litellm/model_prices_and_context_window.2026-07-24.json"),
    ("litellm", "litellm/model_prices_and_context_window.2026-08-01.json"),
    ("genai", "genai-prices/v1/data.json"),
    ("genai", "genai-prices/v1/data_slim.json"),
    ("genai", "genai-prices/v2/data.json"),
    ("genai", "genai-prices/v2/data_slim.json"),
    ("modelsdev", "models-dev/api.json"),
    ("openrouter", "openrouter/api_v1_models.2026-05-15.json"),
    ("openrouter", "openrouter/api_v1_models.2026-08-01.json"),
]

DOUBLE_MAX = Decimal("1.7976931348623157e308")


def price(v, shift=0):
    """The double nearest v * 10^shift as 16 hex digits, or '' (NULL): v is a JSON
    number (Decimal, kept as written) or a decimal string; negative or not a number: NULL."""
    if isinstance(v, bool) or v is None:
        return ""
    if isinstance(v, str):
        try:
            v = Decimal(v.strip())
        except InvalidOperation:
            return ""
    if not isinstance(v, Decimal) or not v.is_finite() or v < 0:
        return ""
    v = v.scaleb(shift)
    if v > DOUBLE_MAX:
        return ""
    f = float(v)  # correctly rounded: Decimal -> str -> strtod
    if f == 0 and v != 0:
        return ""
    return struct.pack(">d", f).hex().upper()


def row(provider, model, tier=0, service=None, window=(None, None), effective=None, **prices):
    r = {"key": (provider, model, effective, service, window[0], tier),
         "window_end": window[1]}
    for c in COLUMNS:
        r[c] = prices.get(c, "")
    return r


# ------------------------------------------------------------------ LiteLLM

LITELLM_FIELDS = [  # field -> column (two fields feed per_request_cost: the first present wins)
    ("input_cost_per_token", "input_cost_per_token"),
    ("output_cost_per_token", "output_cost_per_token"),
    ("cache_read_input_token_cost", "cache_read_cost_per_token"),
    ("cache_creation_input_token_cost", "cache_write_cost_per_token"),
    ("output_cost_per_reasoning_token", "reasoning_cost_per_token"),
    ("input_cost_per_audio_token", "input_audio_cost_per_token"),
    ("output_cost_per_audio_token", "output_audio_cost_per_token"),
    ("cache_read_input_audio_token_cost", "cache_read_audio_cost_per_token"),
    ("input_cost_per_image_token", "input_image_cost_per_token"),
    ("output_cost_per_image_token", "output_image_cost_per_token"),
    ("output_cost_per_video_token", "output_video_cost_per_token"),
    ("cache_creation_input_token_cost_above_1hr", "cache_write_1h_cost_per_token"),
    ("input_cost_per_request", "per_request_cost"),
    ("input_cost_per_query", "per_request_cost"),
]
SUFFIXES = {"": None, "_batches": "batch", "_batch_requests": "batch", "_flex": "flex",
            "_priority": "priority"}
FIELD_RE = re.compile(r"^(%s)(?:_above_(\d+)k_tokens)?(%s)$" % (
    "|".join(re.escape(f) for f, _ in LITELLM_FIELDS),
    "|".join(re.escape(s) for s in SUFFIXES if s)))
FIELD_RE_PLAIN = re.compile(r"^(%s)(?:_above_(\d+)k_tokens)?$" % "|".join(
    re.escape(f) for f, _ in LITELLM_FIELDS))


def litellm_prices(entry, tier, suffixes):
    out = {}
    for field, col in LITELLM_FIELDS:
        if col in out:
            continue
        for sfx in suffixes:
            name = field + ("_above_%dk_tokens" % (tier // 1000) if tier else "") + sfx
            if name in entry:
                p = price(entry[name])
                if p:
                    out[col] = p
                break
    return out


def litellm_rows(data):
    rows = []
    for key, e in data.items():
        if key == "sample_spec" or not isinstance(e, dict):
            continue
        prov = e.get("litellm_provider") if isinstance(e.get("litellm_provider"), str) else None
        tiers = collections.defaultdict(set)  # service -> thresholds
        services = set()
        for name in e:
            m = FIELD_RE.match(name) or FIELD_RE_PLAIN.match(name)
            if not m:
                continue
            sfx = m.group(3) if m.re is FIELD_RE else ""
            service = SUFFIXES[sfx]
            if service:
                services.add(service)
            if m.group(2):
                n = int(m.group(2))
                if 0 < n <= 10 ** 9:
                    tiers[service].add(n * 1000)
        base = litellm_prices(e, 0, [""])
        sc = e.get("search_context_cost_per_query")
        if isinstance(sc, dict) and "search_context_size_medium" in sc:
            p = price(sc["search_context_size_medium"])
            if p:
                base["web_search_cost"] = p
        tp = e.get("tiered_pricing")
        tp_ok = isinstance(tp, list) and all(
            isinstance(t, dict) and isinstance(t.get("range"), list) and t["range"]
            and isinstance(t["range"][0], Decimal) and t["range"][0] >= 0
            and t["range"][0] == int(t["range"][0]) for t in tp)
        if tp_ok:
            for t in tp:
                if t["range"][0] == 0:
                    for field, col in LITELLM_FIELDS[:5]:
                        if col not in base and field in t and price(t[field]):
                            base[col] = price(t[field])
        rows.append(row(prov, key, **base))
        for t in sorted(tiers[None])[:8]:
            rows.append(row(prov, key, tier=t, **litellm_prices(e, t, [""])))
        if tp_ok:
            for t in tp:
                lo = int(t["range"][0])
                if lo:
                    rows.append(row(prov, key, tier=lo, **{
                        col: price(t[f]) for f, col in LITELLM_FIELDS[:5] if f in t}))
        for service in ("batch", "flex", "priority"):
            if service not in services:
                continue
            sfx = [s for s, v in SUFFIXES.items() if v == service]
            rows.append(row(prov, key, service=service, **litellm_prices(e, 0, sfx)))
            for t in sorted(tiers[service])[:8]:
                rows.append(row(prov, key, tier=t, service=service, **litellm_prices(e, t, sfx)))
    return rows


# ------------------------------------------------------------- genai-prices

GENAI_FIELDS = [("input_mtok", "input_cost_per_token", -6), ("output_mtok", "output_cost_per_token", -6),
                ("cache_read_mtok", "cache_read_cost_per_token", -6),
                ("cache_write_mtok", "cache_write_cost_per_token", -6),
                ("output_reasoning_mtok", "reasoning_cost_per_token", -6),
                ("input_audio_mtok", "input_audio_cost_per_token", -6),
                ("output_audio_mtok", "output_audio_cost_per_token", -6),
                ("cache_audio_read_mtok", "cache_read_audio_cost_per_token", -6),
                ("input_image_mtok", "input_image_cost_per_token", -6),
                ("output_image_mtok", "output_image_cost_per_token", -6),
                ("input_video_mtok", "input_video_cost_per_token", -6),
                ("output_video_mtok", "output_video_cost_per_token", -6),
                ("cache_write_1h_mtok", "cache_write_1h_cost_per_token", -6),
                ("requests_kcount", "per_request_cost", -3),       # per 1000 requests
                ("web_searches_kcount", "web_search_cost", -3)]    # per 1000 searches
TIME_RE = re.compile(r"^([0-9]{2}:[0-5][0-9]:[0-5][0-9])(Z|\+00:00)?$")


def genai_price_set(prov, model, prices, window, effective):
    flat, tiered = {}, {}
    for field, col, shift in GENAI_FIELDS:
        v = prices.get(field)
        if isinstance(v, dict):
            ts = v.get("tiers")
            if (len(v) == 2 and price(v.get("base"), shift) and isinstance(ts, list) and all(
                    isinstance(t, dict) and len(t) == 2 and isinstance(t.get("start"), Decimal)
                    and t["start"] >= 1 and t["start"] == int(t["start"]) and price(t.get("price"), shift)
                    for t in ts)):
                tiered[col] = (price(v["base"], shift), [(int(t["start"]), price(t["price"], shift)) for t in ts])
        elif v is not None and price(v, shift):
            flat[col] = price(v, shift)
    base = dict(flat)
    base.update({c: b for c, (b, _) in tiered.items()})
    out = [row(prov, model, window=window, effective=effective, **base)]
    for s in sorted({s for _, ts in tiered.values() for s, _ in ts}):
        at = dict(flat)
        for c, (b, ts) in tiered.items():
            best = max([t for t in ts if t[0] <= s], default=None, key=lambda t: t[0])
            at[c] = best[1] if best else b
        out.append(row(prov, model, tier=s, window=window, effective=effective, **at))
    return out


def genai_rows(data):
    rows = []
    for p in data:
        for m in p.get("models", []):
            prices = m.get("prices")
            if isinstance(prices, list) and prices:
                for c in prices:
                    k = c.get("constraint") or {}
                    eff = k.get("start_date") if isinstance(k.get("start_date"), str) else None
                    window = (None, None)
                    a, b = TIME_RE.match(str(k.get("start_time", ""))), TIME_RE.match(str(k.get("end_time", "")))
                    if a and b and int(a.group(1)[:2]) <= 24 and int(b.group(1)[:2]) <= 24:
                        window = (a.group(1), b.group(1))
                    ps = c.get("prices")
                    if isinstance(ps, dict):
                        rows += genai_price_set(p["id"], m.get("id"), ps, window, eff)
                    else:
                        rows.append(row(p["id"], m.get("id"), window=window, effective=eff))
            elif isinstance(prices, dict):
                rows += genai_price_set(p["id"], m.get("id"), prices, (None, None), None)
            else:
                rows.append(row(p["id"], m.get("id")))
    return rows


# ---------------------------------------------------------------- models.dev

MD_FIELDS = [("input", "input_cost_per_token"), ("output", "output_cost_per_token"),
             ("cache_read", "cache_read_cost_per_token"), ("cache_write", "cache_write_cost_per_token"),
             ("reasoning", "reasoning_cost_per_token"), ("input_audio", "input_audio_cost_per_token"),
             ("output_audio", "output_audio_cost_per_token")]


def md_prices(obj):
    return {col: price(obj[f], -6) for f, col in MD_FIELDS if f in obj and price(obj[f], -6)}


def modelsdev_rows(data):
    rows = []
    for pid, p in data.items():
        for mid, m in p.get("models", {}).items():
            cost = m.get("cost")
            if not isinstance(cost, dict):
                rows.append(row(pid, mid))
                continue
            rows.append(row(pid, mid, **md_prices(cost)))
            tiers = cost.get("tiers")
            if isinstance(tiers, list):
                for t in tiers:
                    if not isinstance(t, dict):
                        rows.append(row(pid, mid))
                        continue
                    ti = t.get("tier") or {}
                    size = ti.get("size")
                    ok = ti.get("type") == "context" and isinstance(size, Decimal) and size == int(size) and size > 0
                    rows.append(row(pid, mid, tier=int(size) if ok else None, **md_prices(t)))
            elif tiers is None and isinstance(cost.get("context_over_200k"), dict):
                rows.append(row(pid, mid, tier=200000, **md_prices(cost["context_over_200k"])))
    return rows


# ---------------------------------------------------------------- OpenRouter

OR_FIELDS = [("prompt", "input_cost_per_token"), ("completion", "output_cost_per_token"),
             ("input_cache_read", "cache_read_cost_per_token"),
             ("input_cache_write", "cache_write_cost_per_token"),
             ("internal_reasoning", "reasoning_cost_per_token"), ("audio", "input_audio_cost_per_token"),
             ("audio_output", "output_audio_cost_per_token"),
             ("input_audio_cache", "cache_read_audio_cost_per_token"),
             ("image", "input_image_cost_per_token"), ("image_output", "output_image_cost_per_token"),
             ("input_cache_write_1h", "cache_write_1h_cost_per_token"), ("request", "per_request_cost"),
             ("web_search", "web_search_cost")]


def or_prices(obj):
    return {col: price(obj[f]) for f, col in OR_FIELDS if f in obj and obj[f] != "-1" and price(obj[f])}


def openrouter_rows(data):
    rows = []
    for m in data["data"]:
        pr = m.get("pricing") if isinstance(m.get("pricing"), dict) else {}
        rows.append(row("openrouter", m.get("id"), **or_prices(pr)))
        for o in pr.get("overrides") or []:
            rows.append(row("openrouter", m.get("id"), tier=int(o["min_prompt_tokens"]), **or_prices(o)))
    return rows


DERIVE = {"litellm": litellm_rows, "genai": genai_rows, "modelsdev": modelsdev_rows,
          "openrouter": openrouter_rows}


# ------------------------------------------------------------------ compare

def pricing_rows(ext, path, env):
    cols = ", ".join("hex(ieee754_to_blob(%s))" % c for c in COLUMNS)
    sql = (".load %s\n.mode tabs\n.nullvalue @NULL@\n"
           "SELECT raw_provider, raw_model, effective_from, service_tier, window_start, tier_start_tokens,"
           " window_end, %s FROM pricing('%s');\n" % (ext, cols, path.replace("'", "''")))
    out = subprocess.run(["sqlite3", "-batch", ":memory:"], input=sql, capture_output=True, text=True,
                         cwd=ROOT, env=env, check=True).stdout
    rows = []
    for line in out.splitlines():
        f = [None if x == "@NULL@" else x for x in line.split("\t")]
        r = {"key": (f[0], f[1], f[2], f[3], f[4], int(f[5]) if f[5] is not None else None),
             "window_end": f[6]}
        for i, c in enumerate(COLUMNS):
            r[c] = f[7 + i] or ""
        rows.append(r)
    return rows


def numbered(rows):
    seen, out = collections.Counter(), {}
    for r in rows:
        k = r["key"]
        seen[k] += 1
        out[k + (seen[k],)] = r
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ext", default="./tokenledger")
    ap.add_argument("-v", action="store_true", help="list every mismatch")
    args = ap.parse_args()
    if not os.path.isdir(SHARED):
        print("skipped: needs ../shared/data")
        return 0
    env = dict(os.environ)
    # tests/run.py under ASan hands the sanitizer runtimes over in TL_PRELOAD (python
    # itself must not run with them).
    if os.environ.get("TL_PRELOAD"):
        env["LD_PRELOAD"] = os.environ["TL_PRELOAD"]
    bad = 0
    for kind, rel in FILES:
        path = os.path.join(SHARED, rel)
        with open(path, encoding="utf-8") as f:
            data = json.load(f, parse_float=Decimal, parse_int=Decimal)
        want = numbered(DERIVE[kind](data))
        got = numbered(pricing_rows(args.ext, path, env))
        compared = mismatches = nonnull = 0
        for k in sorted(set(want) | set(got), key=repr):
            w, g = want.get(k), got.get(k)
            if not w or not g:
                mismatches += 1
                if args.v:
                    print("  %s row %r" % ("extra" if g else "missing", k))
                continue
            for c in COLUMNS + ["window_end"]:
                compared += 1
                nonnull += c in COLUMNS[5:] and g[c] != ""
                if w[c] != g[c]:
                    mismatches += 1
                    if args.v:
                        print("  %r %s: want %s got %s" % (k, c, w[c], g[c]))
        service = sum(k[3] is not None for k in got)
        window = sum(k[4] is not None for k in got)
        print("%s: %d rows (python3 %d; service tier %d, daily window %d), %d values compared "
              "(%d non-NULL in the ten new price columns), %d mismatches" % (
                  rel, len(got), len(want), service, window, compared, nonnull, mismatches))
        bad += mismatches
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
