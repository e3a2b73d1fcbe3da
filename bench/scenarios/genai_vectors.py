"""Report: genai-prices' own test vectors (tests/usages.json, 19,321 results of 1,577 response
bodies) reproduced with pricing('v2/data.json') and genai_match, in SQL.

The SQL is the @setup of tests/sql/genai_vectors.test (read from there, so the test and this
report cannot drift apart). Next to it, an independent python3 computation over data.json
itself (Python's re for regex rules, decimal arithmetic, no pricing()) classifies every result
the same way; the report prints both and says whether they agree. `make bench` shows the share
in its table (the "ms" columns are not timings here); run this file alone for the full report:

    python3 bench/scenarios/genai_vectors.py
"""
import collections
import json
import os
import re
import subprocess
import sys
from decimal import Decimal

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TEST = os.path.join(ROOT, "tests", "sql", "genai_vectors.test")
TS = "2026-08-21T12:00:00Z"  # as settings.ts in the test's setup
MODALITIES = ("audio", "image", "video")


def setup_sql(shared):
    lines, on = [], False
    with open(TEST, encoding="utf-8") as f:
        for line in f:
            if line.startswith("=== "):
                break
            if line.strip() == "@setup":
                on = True
            elif on:
                lines.append(line)
    return "".join(lines).replace("$SHARED", shared)


def sql_reasons(shared):
    script = setup_sql(shared) + "SELECT reason, count(*) FROM judged GROUP BY reason;\n"
    out = subprocess.run(["sqlite3", ":memory:", "-cmd", ".load %s" % os.path.join(ROOT, "tokenledger")],
                         input=script.encode(), stdout=subprocess.PIPE, check=True).stdout.decode()
    return {r: int(n) for r, n in (line.rsplit("|", 1) for line in out.splitlines() if line)}


# ---------------------------------------------------------------- independent python3 model

def rule_holds(rule, text):
    (op, arg), = rule.items()
    if op == "or":
        return any(rule_holds(c, text) for c in arg)
    if op == "and":
        return all(rule_holds(c, text) for c in arg)
    if op == "regex":
        return re.search(arg, text) is not None
    a, b = text.lower(), arg.lower()
    return {"equals": a == b, "starts_with": a.startswith(b), "ends_with": a.endswith(b),
            "contains": b in a}[op]


def constraint_holds(c):
    if c is None:
        return True
    if "start_date" in c:
        return TS[:10] >= c["start_date"]
    now, lo, hi = TS[11:19], c["start_time"][:8], c["end_time"][:8]
    return lo <= now < hi if lo <= hi else (now >= lo or now < hi)


def price(prices, key, input_tokens):
    v = prices.get(key)
    if v is None:
        return None
    if isinstance(v, dict):
        p = Decimal(str(v["base"]))
        for tier in v["tiers"]:
            if input_tokens > tier["start"]:
                p = Decimal(str(tier["price"]))
        return p
    return Decimal(str(v))


def cost(prices, u):
    g = lambda k: u.get(k, 0)
    it, cr, cw = g("input_tokens"), g("cache_read_tokens"), g("cache_write_tokens")
    inp = price(prices, "input_mtok", it) or Decimal(0)
    out = price(prices, "output_mtok", it) or Decimal(0)
    crp = price(prices, "cache_read_mtok", it)
    crp = inp if crp is None else crp
    cwp = price(prices, "cache_write_mtok", it)
    rp = price(prices, "output_reasoning_mtok", it)
    i = (it - cr - cw) * inp + cr * crp + cw * (inp if cwp is None else cwp)
    o = (g("output_tokens") - g("output_reasoning_tokens")) * out + \
        g("output_reasoning_tokens") * (out if rp is None else rp)
    for m in MODALITIES:
        mp = price(prices, "input_%s_mtok" % m, it)
        if mp is not None:
            i += (g("input_%s_tokens" % m) - g("cache_%s_read_tokens" % m)) * (mp - inp)
        mp = price(prices, "cache_%s_read_mtok" % m, it)
        if mp is not None:
            i += g("cache_%s_read_tokens" % m) * (mp - crp)
        mp = price(prices, "output_%s_mtok" % m, it)
        if mp is not None:
            o += g("output_%s_tokens" % m) * (mp - out)
    return i / 1000000, o / 1000000


def python_reasons(shared):
    data = json.load(open(os.path.join(shared, "genai-prices", "v2", "data.json")))
    providers = {p["id"]: p for p in data}
    vectors = json.load(open(os.path.join(shared, "genai-prices", "tests", "usages.json")))
    tol = Decimal("1e-9")

    def find(pid, model_id):
        p = providers[pid]
        for target in [pid] + p.get("fallback_model_providers", []):
            for m in providers[target]["models"]:
                if rule_holds(m["match"], model_id):
                    return m
        return None

    reasons = collections.Counter()
    for v in vectors:
        model_id = v.get("model")
        for e in v["extracted"]:
            for x in e["extractors"]:
                exp = ("input_price" in x or "output_price" in x)
                m = find(x["provider_id"], model_id) if model_id else None
                if not exp:
                    reasons["unpriced by both: no model id in the response" if model_id is None else
                            "unpriced by both: no model of the provider or its fallbacks matches"
                            if m is None else "priced by us only"] += 1
                    continue
                if m is None:
                    reasons["unpriced by us: no model matches"] += 1
                    continue
                cps = m["prices"] if isinstance(m["prices"], list) else [{"prices": m["prices"]}]
                used = [cp for cp in cps if constraint_holds(cp.get("constraint"))][-1]
                ei, eo = Decimal(x.get("input_price", "0")), Decimal(x.get("output_price", "0"))
                ok = lambda cp: all(abs(a - b) <= tol for a, b in zip(cost(cp["prices"], e["usage"]), (ei, eo)))
                if ok(used):
                    reasons["match"] += 1
                elif any(ok(cp) for cp in cps if cp is not used):
                    reasons["mismatch: another conditional price of the model reproduces it "
                            "(vectors recorded under it)"] += 1
                else:
                    reasons["mismatch: unexplained"] += 1
    return dict(reasons)


def shares(reasons):
    priced = sum(n for r, n in reasons.items() if r == "match" or r.startswith(("mismatch", "unpriced by us")))
    return reasons.get("match", 0), priced


def run(ctx):
    if ctx.shared is None:
        return [{"scenario": "genai-prices vectors", "note": "skipped: needs ../shared/data"}]
    ours, theirs = sql_reasons(ctx.shared), python_reasons(ctx.shared)
    hit, priced = shares(ours)
    rows = [{"scenario": "genai-prices vectors reproduced (SQL)",
             "note": "%d of %d priced results within 1e-9 USD (%.2f%%); independent python3 %s; "
                     "details: python3 bench/scenarios/genai_vectors.py"
                     % (hit, priced, 100.0 * hit / priced, "agrees" if ours == theirs else "DISAGREES")}]
    for reason, n in sorted(ours.items(), key=lambda kv: -kv[1]):
        rows.append({"scenario": "  genai vectors: %s" % reason[:60], "note": "%d results" % n})
    return rows


def main():
    shared = os.path.normpath(os.path.join(ROOT, "..", "shared", "data"))
    ours, theirs = sql_reasons(shared), python_reasons(shared)
    hit, priced = shares(ours)
    print("genai-prices tests/usages.json with v2/data.json as the rate card, at %s" % TS)
    print("share reproduced within 1e-9 USD: %d of %d priced results (%.2f%%), %d results in all"
          % (hit, priced, 100.0 * hit / priced, sum(ours.values())))
    print("\n%8s %8s  reason" % ("SQL", "python3"))
    for reason in sorted(set(ours) | set(theirs), key=lambda r: -ours.get(r, 0)):
        print("%8d %8d  %s" % (ours.get(reason, 0), theirs.get(reason, 0), reason))
    print("\nSQL and the independent python3 computation %s." % ("agree" if ours == theirs else "DISAGREE"))
    return 0 if ours == theirs else 1


if __name__ == "__main__":
    sys.exit(main())
