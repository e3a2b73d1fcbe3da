"""The ledger views (sql/ledger.sql): building the ledger over the real sources, and costing a
generated usage log.

1. Build: unified_model_provider_ledger over every LiteLLM snapshot, models.dev, OpenRouter and
   genai-prices v2 price list plus the Artificial Analysis and LMArena files of ../shared/data.
   There is no baseline a user would write instead; the reference is the time of merely reading
   the same price rows with canonical names (model_prices), so the ratio is the share of the build
   that is reading.
2. Costing: event_costs over N generated events (default 1,000,000; TL_BENCH_LEDGER_EVENTS) whose
   models are priced in LiteLLM 2026-08-01, versus the plain SQL a user would write: the same
   usage_events scan joined on a rate table materialized beforehand (CREATE TABLE ... AS the
   standard-tier base rows of pricing(), one per raw provider and model, UNIQUE index) and costed
   with arithmetic. Both must give the same count and the same total (checked here through the
   sqlite3 CLI before timing; the note says so): ours canonicalizes every name, chooses the card in
   force at each timestamp, tiers, and costs in exact decimal. Ours is timed twice: after `INSERT
   INTO ledger_refresh DEFAULT VALUES` (the rate timeline materialized in setup, as the baseline's
   table is), and live (each query reads and ranks the price file again).
   Where the time goes (1M events, this machine): event_costs is the C coster (vtab/event_costs.c):
   reading the JSONL with its timestamps ~0.47 s (the baseline reads no timestamp, ~0.35 s);
   names, cards and exact costs ~0.15 s; SQLite's own row loop the rest.
"""
import json
import os
import random
import subprocess

EVENTS = int(os.environ.get("TL_BENCH_LEDGER_EVENTS", "1000000"))
MODELS = [("anthropic", "claude-sonnet-4-5"), ("anthropic", "claude-3-5-haiku-20241022"),
          ("openai", "gpt-4o-mini"), ("openai", "gpt-4o-2024-08-06"), ("openai", "o3-mini"),
          ("deepseek", "deepseek-chat")]


def sources_sql(shared):
    rows = []
    for f in sorted(os.listdir(os.path.join(shared, "litellm"))):
        rows.append(("pricing", os.path.join(shared, "litellm", f), "litellm", f.split(".")[1]))
    rows.append(("pricing", os.path.join(shared, "models-dev", "api.json"), "modelsdev", "2026-07-02"))
    for f in sorted(os.listdir(os.path.join(shared, "openrouter"))):
        rows.append(("pricing", os.path.join(shared, "openrouter", f), "openrouter", f.split(".")[1]))
    rows.append(("pricing", os.path.join(shared, "genai-prices", "v2", "data.json"), "genai-prices",
                 "2026-08-21"))
    rows.append(("benchmarks", os.path.join(shared, "artificial-analysis",
                                            "aa_v2_llms_models.2026-03-25.json"), None, None))
    values = ",\n".join("('%s', '%s', %s, %s, 0)" % (k, p, "'%s'" % f if f else "NULL",
                                                     "'%s'" % d if d else "NULL")
                        for k, p, f, d in rows)
    return "INSERT INTO ledger_sources(kind, path, format, snapshot_date, priority) VALUES\n" + values + ";"


def generate(path, n, seed=11):
    rnd = random.Random(seed)
    with open(path, "w") as f:
        for i in range(n):
            provider, model = MODELS[rnd.randrange(len(MODELS))]
            day = "2026-%02d-%02dT%02d:00:00Z" % (rnd.randint(1, 12), rnd.randint(1, 28), rnd.randint(0, 23))
            f.write(json.dumps({"ts": day, "provider": provider, "model": model, "usage": {
                "input_tokens": rnd.randint(1, 5000), "output_tokens": rnd.randint(1, 2000)}}) + "\n")


def same_totals(ctx, setup, ours, plain):
    """Runs both queries once through the sqlite3 CLI: 'same count and total (...)' or what
    differs, so a faster baseline that computes something else shows."""
    out = subprocess.run(["sqlite3", ":memory:", "-cmd", ".load %s" % os.path.join(ctx.root, "tokenledger")],
                         input=setup + "\n" + ours + ";\n" + plain + ";\n", stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, check=True, text=True).stdout.split()
    if len(out) >= 2 and out[-1] == out[-2]:
        return "same count and total (%s)" % out[-1]
    return "TOTALS DIFFER: ours %s, baseline %s" % tuple(out[-2:])


def run(ctx):
    if ctx.shared is None:
        return [{"scenario": "ledger", "ours": "skipped", "baseline": "needs ../shared/data",
                 "ours_s": None, "baseline_s": None, "note": "skipped"}]
    with open(os.path.join(ctx.root, "sql", "ledger.sql")) as f:
        views = f.read()
    setup = views + "\n" + sources_sql(ctx.shared)
    build = ctx.time_sql(setup, {"ledger": "SELECT count(*) FROM unified_model_provider_ledger",
                                 "raw": "SELECT count(*) FROM model_prices"}, 3)
    results = [{"scenario": "ledger build, all real sources", "ours": "unified_model_provider_ledger",
                "baseline": "reference: only reading the price rows (model_prices)",
                "ours_s": build["ledger"][0], "baseline_s": build["raw"][0],
                "note": "one-run medians of 3"}]

    events = os.path.join(ctx.work, "ledger_events.jsonl")
    generate(events, EVENTS)
    lite = os.path.join(ctx.shared, "litellm", "model_prices_and_context_window.2026-08-01.json")
    setup = (views + "\nINSERT INTO ledger_sources VALUES ('pricing', '%s', 'litellm', '2026-08-01', 0),"
             " ('events', '%s', NULL, NULL, 0);\n" % (lite, events) +
             "CREATE TABLE rates AS SELECT raw_provider, raw_model, input_cost_per_token AS pin,"
             " output_cost_per_token AS pout FROM pricing('%s') WHERE tier_start_tokens = 0"
             " AND service_tier IS NULL AND window_start IS NULL;\n" % lite +
             "CREATE UNIQUE INDEX rates_key ON rates(raw_provider, raw_model);")
    plain = ("SELECT count(*), total(e.input_tokens * r.pin + e.output_tokens * r.pout)"
             " FROM usage_events('%s') e LEFT JOIN rates r"
             " ON r.raw_provider = e.provider AND r.raw_model = e.model" % events)
    ours = "SELECT count(*), total(total_cost) FROM event_costs"
    same = same_totals(ctx, setup + "\nINSERT INTO ledger_refresh DEFAULT VALUES;", ours, plain)
    live = ctx.time_sql(setup, {"event_costs": ours}, 1)
    setup += "\nINSERT INTO ledger_refresh DEFAULT VALUES;"
    timed = ctx.time_sql(setup, {"event_costs": ours, "plain_join": plain}, 3)
    results.append({"scenario": "cost %d events, refreshed" % EVENTS, "ours": "event_costs after ledger_refresh",
                    "baseline": "usage_events JOIN materialized rates (indexed)",
                    "ours_s": timed["event_costs"][0], "baseline_s": timed["plain_join"][0],
                    "note": "medians of 3; " + same})
    results.append({"scenario": "cost %d events, live" % EVENTS, "ours": "event_costs, no refresh",
                    "baseline": "usage_events JOIN materialized rates (indexed)",
                    "ours_s": live["event_costs"][0], "baseline_s": timed["plain_join"][0],
                    "note": "one run; baseline median of 3"})
    return results
