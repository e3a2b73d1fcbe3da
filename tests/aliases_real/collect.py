#!/usr/bin/env python3
"""Collect every raw model name of every real source in ../shared/data.

Prints (or writes with -o FILE) a TSV: raw, provider, source — one row per distinct
(raw, provider, source), sorted. provider is the provider the source itself gives
(litellm_provider, the models.dev / genai-prices provider id, the OpenRouter gateway),
'' when it gives none. source names the file (and field) the name came from.
Deterministic: the same data gives byte-identical output.

  python3 tests/aliases_real/collect.py [--data ../shared/data] [-o FILE]
"""
import csv
import glob
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.normpath(os.path.join(ROOT, "..", "shared", "data"))


def collect(data):
    rows = set()

    def add(raw, provider, source):
        if raw is None:
            return
        raw = str(raw).strip()
        if raw:
            rows.add((raw, provider or "", source))

    # LiteLLM: every key, with its litellm_provider
    for f in sorted(glob.glob(os.path.join(data, "litellm", "*.json"))):
        src = "litellm/" + os.path.basename(f).replace("model_prices_and_context_window.", "").replace(".json", "")
        d = json.load(open(f, encoding="utf-8"))
        for k, v in d.items():
            if k in ("sample_spec", "last_updated") or not isinstance(v, dict):
                continue
            add(k, v.get("litellm_provider", ""), src)

    # OpenRouter: id, canonical_slug, name
    for f in sorted(glob.glob(os.path.join(data, "openrouter", "*.json"))):
        src = "openrouter/" + os.path.basename(f).replace("api_v1_models.", "").replace(".json", "")
        d = json.load(open(f, encoding="utf-8"))
        for m in d["data"] if isinstance(d, dict) else d:
            add(m.get("id"), "openrouter", src + ":id")
            add(m.get("canonical_slug"), "openrouter", src + ":slug")
            add(m.get("name"), "openrouter", src + ":name")

    # models.dev: provider/model ids and names; models.json keys and names
    f = os.path.join(data, "models-dev", "api.json")
    if os.path.exists(f):
        d = json.load(open(f, encoding="utf-8"))
        for pid, p in d.items():
            for mid, m in (p.get("models") or {}).items():
                add(mid, pid, "models-dev/api:id")
                add(m.get("id"), pid, "models-dev/api:id")
                add(m.get("name"), pid, "models-dev/api:name")
    f = os.path.join(data, "models-dev", "models.json")
    if os.path.exists(f):
        d = json.load(open(f, encoding="utf-8"))
        for k, m in d.items():
            add(k, "", "models-dev/models:key")
            add(m.get("id"), "", "models-dev/models:id")
            add(m.get("name"), "", "models-dev/models:name")

    # genai-prices v2: model ids and names, per provider
    f = os.path.join(data, "genai-prices", "v2", "data.json")
    if os.path.exists(f):
        for p in json.load(open(f, encoding="utf-8")):
            for m in p.get("models", []):
                add(m.get("id"), p["id"], "genai-prices/v2:id")
                add(m.get("name"), p["id"], "genai-prices/v2:name")

    # Artificial Analysis
    f = os.path.join(data, "artificial-analysis", "aa_v2_llms_models.2026-03-25.json")
    if os.path.exists(f):
        for m in json.load(open(f, encoding="utf-8"))["models"]:
            add(m.get("name"), "", "aa/v2:name")
            add(m.get("slug"), "", "aa/v2:slug")
    f = os.path.join(data, "artificial-analysis", "aa_v2_llms_models.2026-03-25.csv")
    if os.path.exists(f):
        for r in csv.DictReader(open(f, encoding="utf-8", newline="")):
            add(r.get("name"), "", "aa/v2-csv:name")
            add(r.get("slug"), "", "aa/v2-csv:slug")
    f = os.path.join(data, "artificial-analysis", "token-tariff_aa_models_reduced.2026-07-05.json")
    if os.path.exists(f):
        for k in json.load(open(f, encoding="utf-8")):
            add(k, "", "aa/token-tariff:slug")
    f = os.path.join(data, "artificial-analysis", "token-tariff_benchmark_scores_by_openrouter_id.2026-08-01.json")
    if os.path.exists(f):
        for k in json.load(open(f, encoding="utf-8")):
            add(k, "openrouter", "aa/token-tariff:openrouter-id")

    # LMArena
    f = os.path.join(data, "lmarena", "arena-catalog_leaderboard-text.2025-12-11.json")
    if os.path.exists(f):
        for cat, ms in json.load(open(f, encoding="utf-8")).items():
            for k in ms:
                add(k, "", "lmarena/leaderboard-text:key")
    f = os.path.join(data, "lmarena", "arena-catalog_leaderboard_with_pricing.2024-10-16.csv")
    if os.path.exists(f):
        for r in csv.DictReader(open(f, encoding="utf-8", newline="")):
            add(r.get("key"), "", "lmarena/with-pricing:key")
            add(r.get("Model"), "", "lmarena/with-pricing:name")
    f = os.path.join(data, "lmarena", "arena-catalog_overall_raw_ranking.2024-12-20.csv")
    if os.path.exists(f):
        for r in csv.DictReader(open(f, encoding="utf-8", newline="")):
            add(r.get("Model"), "", "lmarena/raw-ranking:key")
    f = os.path.join(data, "lmarena", "arena-catalog_scatterplot-data.2025-12-17.json")
    if os.path.exists(f):
        for m in json.load(open(f, encoding="utf-8")):
            add(m.get("name"), "", "lmarena/scatterplot:name")
            add(m.get("model_api_name"), "", "lmarena/scatterplot:key")
    f = os.path.join(data, "lmarena", "lmarena-history_overall_elo_wide.2025-03-02.csv")
    if os.path.exists(f):
        with open(f, encoding="utf-8", newline="") as fh:
            for k in next(csv.reader(fh))[1:]:
                add(k, "", "lmarena/history:key")

    # Other benchmark CSVs: their model columns
    cols = {"hf_openevals_models": ("model_id", "model_name"),
            "infer-explore_merged_models": ("id", "model_id", "name"),
            "token-tariff_timeline": ("model",),
            "vantage_models": ("key", "name")}
    for f in sorted(glob.glob(os.path.join(data, "benchmarks", "*.csv"))):
        stem = os.path.basename(f).split(".")[0]
        for r in csv.DictReader(open(f, encoding="utf-8", newline="")):
            for c in cols.get(stem, ()):
                add(r.get(c), "", "benchmarks/%s:%s" % (stem, c))
    return sorted(rows)


def main():
    data, out = DATA, None
    args = sys.argv[1:]
    while args:
        a = args.pop(0)
        if a == "--data":
            data = args.pop(0)
        elif a == "-o":
            out = args.pop(0)
    rows = collect(data)
    fh = open(out, "w", encoding="utf-8") if out else sys.stdout
    fh.write("raw\tprovider\tsource\n")
    for r in rows:
        fh.write("\t".join(x.replace("\t", " ").replace("\n", " ") for x in r) + "\n")


if __name__ == "__main__":
    main()
