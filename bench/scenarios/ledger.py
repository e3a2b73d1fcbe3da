"""The ledger views (sql/ledger.sql): building the ledger over the real sources, and costing a
generated usage log.

1. Build: unified_model_provider_ledger over every LiteLLM snapshot, models.dev, OpenRouter and
   genai-prices v2 price list plus the Artificial Analysis and LMArena files of ../shared/data.
   There is no baseline a user would write instead; the reference is the time of merely reading
   the same price rows with canonical names (model_prices), so the ratio is the share of the build
   that is reading.
2. Costing: event_costs over N generated events (default 1,000,000; TL_BENCH_LEDGER_EVENTS) whose
   models are priced in LiteLLM 2026-08-01, versus the plain SQL a user would write: the same
   usage_events scan joined on a rate table materialized beforehand (CREATE TABLE ... AS the current
   rate cards, with an index on (provider, model)) and costed with arithmetic. Both print the same
   count; ours also canonicalizes every name, chooses the card in force at each timestamp, tiers,
   and costs in exact decimal. Ours is timed twice: after `INSERT INTO ledger_refresh DEFAULT
   VALUES` (the rate timeline materialized and indexed in setup, as the baseline's table is), and
   live (each query reads and ranks the price file again).
   Where the time went (1M events, this machine, before two fixes): reading the JSONL ~0.75 s (both
   sides); resolve_model per event ~1.0 s, now ~0.3 s with its per-connection cache; bucket_cost
   ~0.9 s, less now that a price's shortest decimal is found by scaling rather than snprintf; the
   rate lookups ~0.5 s. The baseline spends ~0.5 s beyond the scan.
"""
import json
import os
import random

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
             " output_cost_per_token AS pout FROM pricing('%s') WHERE tier_start_tokens = 0;\n" % lite +
             "CREATE INDEX rates_key ON rates(raw_provider, raw_model);")
    live = ctx.time_sql(setup, {"event_costs": "SELECT count(*), total(total_cost) FROM event_costs"}, 1)
    setup += "\nINSERT INTO ledger_refresh DEFAULT VALUES;"
    timed = ctx.time_sql(setup, {
        "event_costs": "SELECT count(*), total(total_cost) FROM event_costs",
        "plain_join": "SELECT count(*), total(e.input_tokens * r.pin + e.output_tokens * r.pout)"
                      " FROM usage_events('%s') e LEFT JOIN rates r"
                      " ON r.raw_provider = e.provider AND r.raw_model = e.model" % events}, 3)
    results.append({"scenario": "cost %d events, refreshed" % EVENTS, "ours": "event_costs after ledger_refresh",
                    "baseline": "usage_events JOIN materialized rates (indexed)",
                    "ours_s": timed["event_costs"][0], "baseline_s": timed["plain_join"][0],
                    "note": "medians of 3"})
    results.append({"scenario": "cost %d events, live" % EVENTS, "ours": "event_costs, no refresh",
                    "baseline": "usage_events JOIN materialized rates (indexed)",
                    "ours_s": live["event_costs"][0], "baseline_s": timed["plain_join"][0],
                    "note": "one run; baseline median of 3"})
    return results
