"""pricing() over the newest LiteLLM file versus json_each(readfile()) + json_extract.

Each repetition reads a fresh copy of the file (so pricing()'s per-file cache
cannot help: this measures decoding), and both sides return the same fields
of every entry: model, provider, mode, five token prices, context window and
max output tokens. pricing() also builds tier rows, which the baseline does
not. `extra` (every other field as a JSON object) is serialized only when the
statement reads it, so a second scenario times that too.
"""
import os
import shutil

REPS = 9
FIELDS = ["litellm_provider", "mode", "input_cost_per_token", "output_cost_per_token",
          "cache_read_input_token_cost", "cache_creation_input_token_cost",
          "output_cost_per_reasoning_token", "max_input_tokens", "max_output_tokens"]


def run(ctx):
    if not ctx.shared:
        return [{"scenario": "pricing litellm", "note": "skipped: needs ../shared/data"}]
    src = os.path.join(ctx.shared, "litellm", "model_prices_and_context_window.2026-08-01.json")
    for rep in range(REPS):
        shutil.copy(src, os.path.join(ctx.work, "litellm-%d.json" % rep))
    path = os.path.join(ctx.work, "litellm-%REP%.json")
    ours = ("SELECT raw_model, raw_provider, mode, input_cost_per_token, output_cost_per_token, "
            "cache_read_cost_per_token, cache_write_cost_per_token, reasoning_cost_per_token, "
            "context_window, max_output_tokens FROM pricing('%s')" % path)
    baseline = ("SELECT key, %s FROM json_each(readfile('%s'))" % (
        ", ".join("json_extract(value, '$.%s')" % f for f in FIELDS), path))
    t = ctx.time_sql("", {"ours": ours, "baseline": baseline}, reps=REPS)
    rows = [{"scenario": "pricing() litellm 2026-08-01 (1.4 MB, fresh file)", "ours_s": t["ours"][0],
             "baseline_s": t["baseline"][0], "baseline": "json_each(readfile()) + json_extract",
             "note": "%d vs %d rows" % (t["ours"][1], t["baseline"][1])}]
    with_extra = ctx.time_sql("", {"ours": ours.replace(" FROM pricing", ", extra FROM pricing"),
                                   "baseline": baseline}, reps=REPS)
    rows.append({"scenario": "pricing() litellm, fresh file, also extra", "ours_s": with_extra["ours"][0],
                 "baseline_s": with_extra["baseline"][0], "baseline": "json_each(readfile()) + json_extract",
                 "note": "extra (every other field as JSON) has no counterpart in the baseline"})
    cached = ctx.time_sql("", {"ours": ours.replace("%REP%", "0"), "baseline": baseline.replace("%REP%", "0")},
                          reps=REPS)
    rows.append({"scenario": "pricing() litellm, same file again (cached)", "ours_s": cached["ours"][0],
                 "baseline_s": cached["baseline"][0], "baseline": "json_each(readfile()) + json_extract"})
    lookup = ctx.time_sql("", {
        "ours": "SELECT * FROM pricing('%s') WHERE raw_model = 'claude-sonnet-4-5'" % path.replace("%REP%", "0"),
        "baseline": "SELECT value FROM json_each(readfile('%s')) WHERE key = 'claude-sonnet-4-5'" % path.replace("%REP%", "0"),
    }, reps=REPS)
    rows.append({"scenario": "pricing() raw_model = ? (cached, indexed)", "ours_s": lookup["ours"][0],
                 "baseline_s": lookup["baseline"][0], "baseline": "json_each(readfile()) WHERE key = ?"})
    return rows
