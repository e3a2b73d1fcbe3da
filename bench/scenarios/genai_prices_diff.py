"""Differential check: event_costs against @pydantic/genai-prices' own calcPrice (npm), both fed
genai-prices' v2 data.json (../shared/data/genai-prices/v2/data.json) and nothing else (issue 11).

Two sets of events, each costed by both sides:

1. GENERATED (seeded, N = TL_BENCH_GENAI_EVENTS, default 20,000) over every model of data.json that
   has a feature (dated or time-of-day conditional prices, tiers, cache writes and 1h cache writes,
   audio/image prices, reasoning prices, per-request fees) plus up to 4 other models of every
   provider: prompts near and across tier starts, cache reads and writes, reasoning, timestamps from
   2025-01 to 2027-02 (more of them near every start_date of the file) at any time of day
   (deepseek's 00:30-16:30 UTC window and its edges included), some audio and image tokens where
   the model prices them. Each event is one JSONL line in a dialect usage_events reads today
   (Anthropic Messages for Claude on anthropic/aws/google/azure, Gemini generateContent for Gemini
   on google, the OpenAI Images API usage for gpt-image-*, OpenAI chat for everything else) and the
   same counts as a genai-prices usage object (input_tokens = all input, cache included;
   output_tokens = all output, reasoning included; cache_write_1h_tokens, input/output audio and
   image tokens where the line carries them).
2. GENAI-PRICES' OWN USAGE BODIES (tests/usages.json): every response body once per provider it is
   priced under, as a usage_events line (the body with `provider`, a fixed `timestamp` and, when
   the body names none, `model` added); genai-prices gets its own extracted usage, of the API
   flavor that fits the dialect usage_events detected (the vectors extract every body with every
   flavor of the provider, most of which do not fit it; FLAVORS), at 2026-08-21T12:00:00Z.

The generated events name each model the way genai-prices itself resolves it (its id or a spelling
of its match rule for which its first-match lookup returns that model; models without one are left
out and counted), so a disagreement is never a name genai-prices itself cannot price. The mix is
a stress mix (features weighted 3x, cache reads on some models without a cache price, as
OpenAI-compatible APIs report them), not a traffic-weighted one: read the causes, not only the
share. The share over the events usage_events can express fully (no modality, 1h cache-write or
search counts, no per-request fee) is printed beside it.

Per event the costs are compared within 1e-9 USD absolute (the criterion; the relative agreement,
|a - b| <= 1e-9 x max(|a|, |b|), is printed beside it); both unpriced counts as agreement. Every
disagreement is classified by cause (see classify()), with counts and one example each. The speed
of each side over the generated events: ours = `SELECT line, total_cost, cost_status FROM
event_costs` in one process (bench/runner: reads the JSONL, canonicalizes, costs; with the rate
timeline materialized by ledger_refresh in setup, as genai-prices loads its data before its loop,
and live), theirs = the calcPrice loop over already parsed events in node; each a median of
TL_BENCH_GENAI_REPS (7) reps, the two sides alternating over TL_BENCH_GENAI_ROUNDS (3) rounds
(the machine is shared), median of rounds.

Both sides bill audio, image and video tokens, 1-hour cache writes and per-request fees
(usage_events reads them; event_costs prices them). Service tiers are not generated: data.json v2
has none. A model with no output price of any kind (embeddings, rerankers) gets no output tokens:
such a call returns none, and output tokens there would only test what an unknown price means
(genai-prices bills it as 0; event_costs leaves it unpriced: an unknown price is not free). The
models with an empty price set keep their output, so that difference stays counted.
A name that no rate card carries under its canonical id is priced, as genai-prices prices it, by
the list's own `match` rule (event_costs' rate_match_rule; e.g. gemini-2.5-flash-lite-preview-06-17
as gemini-2.5-flash-lite), at the card of the rule's offering (minimax's M2.5-highspeed at the
speed_sku=highspeed card). An undated name the list prices apart from the snapshot the
canonicalizer would guess (openrouter's gemini-2.5-flash-preview, 0.15/0.60, beside
google/gemini-2.5-flash-preview-09-2025, 0.30/2.50) keeps a card of its own name (model_prices'
rule 'own name'), as genai-prices keeps it a model of its own.

The package (exact version pinned in bench/genai_prices/package.json and package-lock.json) is
installed with `npm ci` into build/genai_prices/ (gitignored) on first use; without node, npm, the
network or ../shared/data the scenario SKIPS and says why. Not part of `make test`.

    python3 bench/scenarios/genai_prices_diff.py      # full report; also writes the summary
    make bench                                         # one row in the table (+ the summary)

Machine-readable summary: build/bench/genai_prices_diff.json.
"""
import collections
import datetime
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PKG_SRC = os.path.join(ROOT, "bench", "genai_prices")
PKG_DIR = os.path.join(ROOT, "build", "genai_prices")
PKG_MODULE = os.path.join(PKG_DIR, "node_modules", "@pydantic", "genai-prices")
SUMMARY = os.path.join(ROOT, "build", "bench", "genai_prices_diff.json")
EVENTS = int(os.environ.get("TL_BENCH_GENAI_EVENTS", "20000"))
REPS = int(os.environ.get("TL_BENCH_GENAI_REPS", "7"))
ROUNDS = int(os.environ.get("TL_BENCH_GENAI_ROUNDS", "3"))
SEED = 11
TOL = 1e-9
USAGES_TS = "2026-08-21T12:00:00Z"  # as bench/scenarios/genai_vectors.py

# ------------------------------------------------------------------ the package


def pinned_version():
    with open(os.path.join(PKG_SRC, "package.json")) as f:
        return json.load(f)["dependencies"]["@pydantic/genai-prices"]


def ensure_package():
    """Returns None when the pinned package is ready under build/genai_prices, else the reason."""
    if shutil.which("node") is None:
        return "node not found"
    want = pinned_version()
    try:
        with open(os.path.join(PKG_MODULE, "package.json")) as f:
            if json.load(f)["version"] == want:
                return None
    except (OSError, ValueError, KeyError):
        pass
    if shutil.which("npm") is None:
        return "npm not found (and @pydantic/genai-prices@%s not installed in build/genai_prices)" % want
    os.makedirs(PKG_DIR, exist_ok=True)
    for name in ("package.json", "package-lock.json"):
        shutil.copyfile(os.path.join(PKG_SRC, name), os.path.join(PKG_DIR, name))
    try:
        r = subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts"], cwd=PKG_DIR,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=180)
    except subprocess.TimeoutExpired:
        return "npm ci timed out (offline?)"
    if r.returncode != 0:
        lines = [x for x in r.stdout.decode(errors="replace").splitlines() if x.strip()]
        said = [x for x in lines if "complete log" not in x and "error" in x.lower()] or lines or [""]
        return "npm ci of @pydantic/genai-prices@%s failed (offline?): %s" % (want, said[0][:120])
    return None


def run_node(data_path, events, out_dir, tag, reps):
    """calcPrice over events (list of {provider, model, usage, ts}); returns (version, results, seconds)."""
    inp, out = os.path.join(out_dir, tag + ".in.json"), os.path.join(out_dir, tag + ".out.json")
    with open(inp, "w") as f:
        json.dump(events, f)
    subprocess.run(["node", os.path.join(PKG_SRC, "calc.mjs"), PKG_MODULE, data_path, inp, out, str(reps)],
                   check=True)
    with open(out) as f:
        r = json.load(f)
    return r["version"], r["results"], r["seconds"]


# ------------------------------------------------------------------ data.json helpers


def price_sets(model):
    p = model["prices"]
    return p if isinstance(p, list) else [{"prices": p}]


def model_keys(model):
    return {k for cp in price_sets(model) for k in cp["prices"]}


def tier_starts(model):
    return sorted({t["start"] for cp in price_sets(model) for v in cp["prices"].values()
                   if isinstance(v, dict) for t in v["tiers"]})


def start_dates(data):
    return sorted({cp["constraint"]["start_date"] for p in data for m in p["models"]
                   for cp in price_sets(m) if "start_date" in (cp.get("constraint") or {})})


def rule_holds(rule, text):
    """genai-prices' match logic (its calcPrice lowercases the name; equals/starts_with/ends_with/
    contains compare lowercased, regex runs on the lowercased name)."""
    (op, arg), = rule.items()
    if op == "or":
        return any(rule_holds(c, text) for c in arg)
    if op == "and":
        return all(rule_holds(c, text) for c in arg)
    if op == "regex":
        return re.search(arg, text) is not None
    a = arg.lower()
    return {"equals": text == a, "starts_with": text.startswith(a), "ends_with": text.endswith(a),
            "contains": a in text}[op]


def rule_names(rule):
    """Spellings a match rule names: equals, starts_with and contains values."""
    (op, arg), = rule.items()
    if op in ("or", "and"):
        return [n for r in arg for n in rule_names(r)]
    return [arg] if op in ("equals", "starts_with", "contains") else []


def names_for(p, m):
    """The names genai-prices maps to model m of provider p (its first match in p's list): the id
    and the spellings of its rule, where they reach m itself; [] when none does."""
    out = []
    for name in [m["id"]] + rule_names(m["match"]):
        low = name.lower().strip()
        first = next((x for x in p["models"] if rule_holds(x["match"], low)), None)
        if first is m and name not in out:
            out.append(name)
    return out


FEATURE_KEYS = ("cache_write_1h_mtok", "input_audio_mtok", "output_audio_mtok", "input_image_mtok",
                "output_image_mtok", "output_reasoning_mtok", "requests_kcount")


def is_feature_model(m):
    keys = model_keys(m)
    return (isinstance(m["prices"], list) or bool(tier_starts(m)) or "cache_write_mtok" in keys
            or any(k in keys for k in FEATURE_KEYS))


def pick_models(data, rnd):
    """Every feature model and up to 4 others per provider, of those genai-prices can be asked
    for by name; returns ([(provider, model, names)], number of models left out for want of one)."""
    picked, unnamed = [], 0
    for p in data:
        named = []
        for m in p["models"]:
            names = names_for(p, m)
            if names:
                named.append((p, m, names))
            else:
                unnamed += 1
        features = [x for x in named if is_feature_model(x[1])]
        others = [x for x in named if not is_feature_model(x[1])]
        picked += features + rnd.sample(others, min(4, len(others)))
    return picked, unnamed


# ------------------------------------------------------------------ generated events


def shape_of(p, m):
    mid = m["id"].lower()
    if "claude" in mid and p["id"] in ("anthropic", "aws", "google", "azure"):
        return "anthropic"
    if p["id"] == "google" and "gemini" in mid:
        return "gemini"
    if p["id"] == "openai" and mid.startswith("gpt-image"):
        return "openai_images"
    return "openai_chat"


def random_ts(rnd, dates, windowed):
    if rnd.random() < 0.3 and dates:
        d = datetime.date.fromisoformat(rnd.choice(dates)) + datetime.timedelta(days=rnd.randint(-3, 3))
    else:
        d = datetime.date(2025, 1, 1) + datetime.timedelta(days=rnd.randint(0, 789))  # to 2027-02-28
    if windowed and rnd.random() < 0.3:
        secs = rnd.choice([30 * 60 - 1, 30 * 60, 30 * 60 + 1, 16 * 3600 + 30 * 60 - 1, 16 * 3600 + 30 * 60,
                           0, 86399])
    else:
        secs = rnd.randrange(86400)
    return "%sT%02d:%02d:%02dZ" % (d.isoformat(), secs // 3600, secs // 60 % 60, secs % 60)


def gen_event(rnd, p, m, names, dates):
    """One event: (usage_events line as a dict, genai-prices input, the counts)."""
    keys, shape = model_keys(m), shape_of(p, m)
    windowed = any("start_time" in (cp.get("constraint") or {}) for cp in price_sets(m))
    starts = tier_starts(m)
    if starts and rnd.random() < 0.5:
        s = rnd.choice(starts)
        prompt = max(1, s + rnd.choice([-1, 0, 1, rnd.randint(2, 60000), -rnd.randint(2, 60000)]))
    else:
        prompt = int(10 ** rnd.uniform(1, 5.6))
    r = int(prompt * rnd.uniform(0, 0.9)) if rnd.random() < (0.5 if "cache_read_mtok" in keys else 0.15) else 0
    w = 0
    if shape not in ("gemini", "openai_images") and rnd.random() < (0.4 if "cache_write_mtok" in keys else 0.1):
        w = int((prompt - r) * rnd.uniform(0, 0.6))
    u = prompt - r - w
    w1h = int(w * rnd.uniform(0, 1)) if shape == "anthropic" and w and rnd.random() < 0.4 else 0
    # a model with no output price of any kind produces no output (embeddings, rerankers): an
    # event with output tokens there is not usage but a test of what an unknown price means
    # (genai-prices bills it as 0, we leave it unpriced); the empty price sets still test that
    o = int(10 ** rnd.uniform(0, 4.3)) if any(k.startswith("output_") for k in keys) or not keys else 0
    z = int(o * rnd.uniform(0, 0.9)) if shape in ("openai_chat", "gemini") and rnd.random() < 0.4 else 0
    a_in = i_in = a_out = i_out = 0
    if shape != "anthropic":
        if "input_audio_mtok" in keys and rnd.random() < 0.5:
            a_in = int(u * rnd.uniform(0, 1))
        if "input_image_mtok" in keys and rnd.random() < 0.5:
            i_in = int((u - a_in) * rnd.uniform(0, 1))
        if "output_audio_mtok" in keys and shape == "openai_chat" and rnd.random() < 0.5:
            a_out = int((o - z) * rnd.uniform(0, 1))
        if "output_image_mtok" in keys and shape in ("gemini", "openai_images") and rnd.random() < 0.5:
            i_out = int((o - z) * rnd.uniform(0, 1))
    # cached audio: Gemini lists its cache by modality (a part of r, and of the prompt's AUDIO)
    ca = int(r * rnd.uniform(0, 1)) if shape == "gemini" and r and "input_audio_mtok" in keys \
        and rnd.random() < 0.5 else 0
    ts = random_ts(rnd, dates, windowed)
    model = names[0] if len(names) == 1 or rnd.random() < 0.7 else rnd.choice(names[1:])
    provider = None if p.get("model_match") and rnd.random() < 0.05 else p["id"]

    if shape == "anthropic":
        usage = {"input_tokens": u, "cache_creation_input_tokens": w, "cache_read_input_tokens": r,
                 "output_tokens": o}
        if w:
            usage["cache_creation"] = {"ephemeral_5m_input_tokens": w - w1h, "ephemeral_1h_input_tokens": w1h}
        line = {"type": "message", "model": model, "usage": usage}
    elif shape == "gemini":
        details = [{"modality": "TEXT", "tokenCount": u + r - a_in - i_in - ca}]
        if a_in + ca:
            details.append({"modality": "AUDIO", "tokenCount": a_in + ca})
        if i_in:
            details.append({"modality": "IMAGE", "tokenCount": i_in})
        meta = {"promptTokenCount": u + r, "candidatesTokenCount": o - z,
                "totalTokenCount": u + r + o, "promptTokensDetails": details}
        if r:
            meta["cachedContentTokenCount"] = r
        if ca:
            meta["cacheTokensDetails"] = [{"modality": "TEXT", "tokenCount": r - ca},
                                          {"modality": "AUDIO", "tokenCount": ca}]
        if z:
            meta["thoughtsTokenCount"] = z
        if i_out:
            meta["candidatesTokensDetails"] = [{"modality": "TEXT", "tokenCount": o - z - i_out},
                                               {"modality": "IMAGE", "tokenCount": i_out}]
        line = {"modelVersion": model, "usageMetadata": meta}
    elif shape == "openai_images":
        usage = {"input_tokens": u + r, "output_tokens": o, "total_tokens": u + r + o,
                 "input_tokens_details": {"text_tokens": u + r - i_in, "image_tokens": i_in,
                                          "cached_tokens": r}}
        if i_out:  # the event says what genai-prices is told: image output tokens
            usage["output_tokens_details"] = {"text_tokens": o - i_out, "image_tokens": i_out}
        line = {"usage": usage, "model": model}
    else:
        ptd = {"cached_tokens": r}
        if w:
            ptd["cache_write_tokens"] = w
        if a_in:
            ptd["audio_tokens"] = a_in
        if i_in:  # as genai-prices is told (it was given them, the event was not)
            ptd["image_tokens"] = i_in
        ctd = {"reasoning_tokens": z}
        if a_out:
            ctd["audio_tokens"] = a_out
        line = {"object": "chat.completion", "model": model,
                "usage": {"prompt_tokens": prompt, "completion_tokens": o, "total_tokens": prompt + o,
                          "prompt_tokens_details": ptd, "completion_tokens_details": ctd}}
    line = dict({"timestamp": ts, "provider": provider} if provider else {"timestamp": ts}, **line)

    gusage = {"input_tokens": prompt, "output_tokens": o}
    # genai-prices' input_audio_tokens is all audio input, its cached part (cache_audio_read_tokens)
    # included
    for k, v in (("cache_read_tokens", r), ("cache_write_tokens", w), ("cache_write_1h_tokens", w1h),
                 ("output_reasoning_tokens", z), ("input_audio_tokens", a_in + ca),
                 ("cache_audio_read_tokens", ca), ("input_image_tokens", i_in),
                 ("output_audio_tokens", a_out), ("output_image_tokens", i_out)):
        if v:
            gusage[k] = v
    # the other cached tokens are text: say so for each modality present, or genai-prices refuses a
    # model that prices cache_<modality>_read (its join of cache_read and input_<modality>)
    if a_in and not ca:
        gusage["cache_audio_read_tokens"] = 0
    if i_in:
        gusage["cache_image_read_tokens"] = 0
    counts = {"shape": shape, "u": u, "r": r, "w": w, "w1h": w1h, "o": o, "z": z, "a_in": a_in,
              "ca": ca, "i_in": i_in, "a_out": a_out, "i_out": i_out}
    return line, {"provider": provider, "model": model, "usage": gusage, "ts": ts}, counts


def generate(data, n, path, seed=SEED):
    rnd = random.Random(seed)
    picked, unnamed = pick_models(data, rnd)
    dates = start_dates(data)
    # feature models get three times the weight of the others
    weights = [3 if is_feature_model(m) else 1 for _, m, _ in picked]
    lines, gin, meta = [], [], []
    for _ in range(n):
        p, m, names = rnd.choices(picked, weights)[0]
        line, g, counts = gen_event(rnd, p, m, names, dates)
        lines.append(line)
        gin.append(g)
        meta.append(dict(counts, gp=p["id"], gm=m["id"]))
    with open(path, "w") as f:
        for line in lines:
            f.write(json.dumps(line, separators=(",", ":")) + "\n")
    return gin, meta, picked, unnamed


# ------------------------------------------------------------------ genai-prices' usage bodies


def usage_bodies(shared, path):
    """One usage_events line per (body, provider it is priced under); returns the per-line
    alternatives [(api_flavors, genai-prices' extracted usage, expected price)] and the number of
    results skipped for want of a model id."""
    vectors = json.load(open(os.path.join(shared, "genai-prices", "tests", "usages.json")))
    meta, skipped = [], 0
    with open(path, "w") as f:
        for vi, v in enumerate(vectors):
            if not v.get("model"):
                skipped += sum(len(e["extractors"]) for e in v["extracted"])
                continue
            by_provider = collections.OrderedDict()
            for e in v["extracted"]:
                for x in e["extractors"]:
                    alts = by_provider.setdefault(x["provider_id"], [])
                    alt = next((a for a in alts if a["usage"] is e["usage"]), None)
                    if alt is None:
                        alt = {"flavors": [], "usage": e["usage"], "expected": None}
                        alts.append(alt)
                    alt["flavors"].append(x["api_flavor"])
                    if alt["expected"] is None and ("input_price" in x or "output_price" in x):
                        alt["expected"] = float(x.get("input_price", 0)) + float(x.get("output_price", 0))
            for pid, alts in by_provider.items():
                body = dict(v["body"])
                body.pop("file", None)
                line = {"timestamp": USAGES_TS, "provider": pid}
                if "model" not in body and "modelVersion" not in body:
                    line["model"] = v["model"]
                line.update(body)
                f.write(json.dumps(line, separators=(",", ":")) + "\n")
                meta.append({"vector": vi, "provider": pid, "model": v["model"], "alternatives": alts})
    return meta, skipped


# the API flavor a body of each usage_events dialect was returned by, in order of preference
FLAVORS = {"openai_chat": ("chat", "default", "embeddings"), "openrouter": ("chat", "default"),
           "litellm": ("chat", "default"), "openai_responses": ("responses", "images", "default"),
           "anthropic": ("anthropic", "default"), "claude_code": ("anthropic", "default"),
           "gemini": ("default",), "bedrock": ("default", "anthropic"), "otel_genai": ("default",),
           "generic": ("default", "tokens", "embeddings")}


def choose_alternative(meta, dialect):
    """genai-prices extracts a body once per API flavor of the provider; the flavor that fits the
    body is the one of the dialect usage_events detected. Returns (alternative, how chosen)."""
    alts = meta["alternatives"]
    if len(alts) == 1:
        return alts[0], "only one"
    for flavor in FLAVORS.get(dialect, ()):
        for a in alts:
            if flavor in a["flavors"]:
                return a, "by dialect"
    return alts[0], "first (no flavor fits the dialect)"


# ------------------------------------------------------------------ our side

COLUMNS = ("line", "raw_provider", "raw_model", "dialect", "provider", "model", "rate_provider",
           "input_tokens", "cache_read_tokens", "cache_write_tokens", "output_tokens", "reasoning_tokens",
           "tier_start_tokens", "rate_effective_from", "rate_entry", "input_cost_per_token",
           "cache_read_cost_per_token", "cache_write_cost_per_token", "output_cost_per_token",
           "reasoning_cost_per_token", "total_cost", "cost_status", "cost_note")
REALS = {"input_cost_per_token", "cache_read_cost_per_token", "cache_write_cost_per_token",
         "output_cost_per_token", "reasoning_cost_per_token", "total_cost"}


def sources(data_path, events_path):
    return ("DELETE FROM ledger_sources;\nINSERT INTO ledger_sources(kind, path, format, snapshot_date, priority)"
            " VALUES ('pricing', '%s', 'genai-prices', NULL, 0), ('events', '%s', NULL, NULL, 0);\n"
            % (data_path, events_path))


def sqlite_json(script):
    out = subprocess.run(["sqlite3", ":memory:", "-cmd", ".load %s" % os.path.join(ROOT, "tokenledger")],
                         input=script.encode(), stdout=subprocess.PIPE, check=True).stdout.decode()
    rows, dec, at = [], json.JSONDecoder(), 0
    while True:
        while at < len(out) and out[at].isspace():
            at += 1
        if at == len(out):
            break
        value, at = dec.raw_decode(out, at)
        rows.append(value)
    return rows


def our_costs(data_path, events_path):
    # printf('%!.17g') keeps every digit of a double (JSON mode would print 15); NULL stays NULL
    cols = ", ".join("CASE WHEN %s IS NOT NULL THEN printf('%%!.17g', %s) END AS %s" % (c, c, c)
                     if c in REALS else c for c in COLUMNS)
    views = open(os.path.join(ROOT, "sql", "ledger.sql")).read()
    script = (views + sources(data_path, events_path) + ".mode json\n"
              "SELECT %s FROM event_costs ORDER BY line;\n" % cols +
              "SELECT provider, model, variant, effective_from, entry, raw_provider, raw_model"
              " FROM rate_timeline WHERE tier_start_tokens = 0;\n"
              "SELECT line, r.variant FROM usage_events('%s') u, resolve_model(u.model, u.provider) r;\n"
              "SELECT DISTINCT raw_provider, raw_model, provider, model, variant FROM model_prices;\n"
              % events_path)
    ev, cards, variants, canon = sqlite_json(script)
    canonical = {(c["raw_provider"], c["raw_model"]): (c["provider"], c["model"], c["variant"]) for c in canon}
    by_key = collections.defaultdict(list)
    for c in cards:
        by_key[(c["provider"], c["model"], c["effective_from"], c["entry"])].append(c)
    var = {v["line"]: v["variant"] for v in variants}
    for e in ev:
        for c in REALS:
            e[c] = None if e[c] in (None, "") else float(e[c])
        cands = by_key.get((e["rate_provider"], e["model"], e["rate_effective_from"], e["rate_entry"]), [])
        own = [c for c in cands if c["variant"] == var.get(e["line"])] or \
              [c for c in cands if c["variant"] is None] or cands
        e["card"] = sorted({(c["raw_provider"], c["raw_model"]) for c in own})
        e["variant"] = var.get(e["line"])
        e["canonical_of"] = canonical
    return ev


def time_ours(ctx, data_path, events_path, reps):
    views = open(os.path.join(ROOT, "sql", "ledger.sql")).read()
    q = "SELECT line, total_cost, cost_status FROM event_costs"
    live = ctx.time_sql(views + sources(data_path, events_path), {"live": q}, reps)["live"]
    snap = ctx.time_sql(views + sources(data_path, events_path) + "INSERT INTO ledger_refresh DEFAULT VALUES;",
                        {"snapshot": q}, reps)["snapshot"]
    return snap[0], live[0]


def median(xs):
    xs = sorted(xs)
    return xs[len(xs) // 2] if len(xs) % 2 else (xs[len(xs) // 2 - 1] + xs[len(xs) // 2]) / 2


def time_both(ctx, data_path, events_path, gin, work, reps, rounds=ROUNDS):
    """Both sides in alternating rounds (the machine is shared: load changes over a minute), each
    round a median of reps; returns the medians over rounds and every round's figures."""
    snaps, lives, theirs = [], [], []
    for _ in range(rounds):
        _, _, secs = run_node(data_path, gin, work, "timing", reps)
        theirs.append(median(secs))
        snap, live = time_ours(ctx, data_path, events_path, reps)
        snaps.append(snap)
        lives.append(live)
    return median(snaps), median(lives), median(theirs), {"ours_snapshot": snaps, "ours_live": lives,
                                                           "genai": theirs}


# ------------------------------------------------------------------ classification


def agree(a, b):
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= TOL


def rel_agree(a, b):
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= TOL * max(abs(a), abs(b)) or a == b


def used_set(model, gres):
    sets = price_sets(model)
    i = gres.get("price_index")
    i = i if i is not None and i >= 0 else 0
    return sets[i], i


def tier_of(prices, input_total):
    """genai-prices' tier: the largest start below the input total (cache included), else 0."""
    best = 0
    for v in prices.values():
        if isinstance(v, dict):
            for t in v["tiers"]:
                if input_total > t["start"]:
                    best = max(best, t["start"])
    return best


def price_at(v, start):
    """A price field of a set at tier `start` (as our rows hold it), per 1M."""
    if not isinstance(v, dict):
        return v
    p = v["base"]
    for t in sorted(v["tiers"], key=lambda t: t["start"]):
        if t["start"] <= start:
            p = t["price"]
    return p


def close(a, b):
    return a is not None and b is not None and abs(a - b) <= 1e-12 * max(abs(a), abs(b), 1e-300)


def our_set_indexes(model, ours):
    """The conditional prices of the model whose input and output prices at our tier are our card's."""
    t = ours["tier_start_tokens"] or 0
    found = []
    for i, cp in enumerate(price_sets(model)):
        pi, po = cp["prices"].get("input_mtok"), cp["prices"].get("output_mtok")
        if pi is None or po is None:
            continue
        if close(price_at(pi, t) / 1e6, ours["input_cost_per_token"]) and \
                close(price_at(po, t) / 1e6, ours["output_cost_per_token"]):
            found.append(i)
    return found


def describe(cp):
    c = cp.get("constraint") or {}
    if "start_date" in c:
        return "from %s" % c["start_date"]
    if "start_time" in c:
        return "window %s-%s" % (c["start_time"], c["end_time"])
    return "the unconstrained first price"


def classify(ours, g, gin, counts, models):
    """The causes of one disagreement, most specific first; a list of strings."""
    if g.get("error"):
        return ["genai-prices raised an error: " + g["error"][:70]]
    if g["total"] is None:
        if gin["provider"] is None:
            return ["priced by us only: genai-prices finds no provider for the model name (no providerId)"]
        if gin["provider"] not in models["providers"]:
            return ["priced by us only: genai-prices has no provider %s" % gin["provider"]]
        if ours["rate_provider"] != ours["provider"]:
            return ["priced by us only: the creator's card (genai-prices matches no model of the provider "
                    "or its fallbacks)"]
        return ["priced by us only: genai-prices matches no model of the provider or its fallbacks"]
    if ours["total_cost"] is None:
        note = ours["cost_note"] or ""
        if note.startswith("unknown model"):
            return ["unpriced by us: no rate card for the canonical provider/model"]
        if note.startswith("no cache_write price"):
            return ["unpriced by us: no cache_write price (genai-prices bills cache writes at the input price)"]
        if note.startswith("no cache_read price"):
            return ["unpriced by us: no cache_read price (genai-prices bills cache reads at the input price)"]
        if note.startswith("unsound record"):
            return ["unpriced by us: usage line rejected by usage_events"]
        if note.startswith("no input price") or note.startswith("no output price"):
            return ["unpriced by us: the model's price set is empty or lacks input/output (genai-prices "
                    "bills what it lacks as 0)"]
        return ["unpriced by us: " + note[:60]]
    gm = models["by_id"].get((g["provider_id"], g["model_id"]))
    if (g["provider_id"], g["model_id"]) not in ours["card"]:
        theirs = ours["canonical_of"].get((g["provider_id"], g["model_id"]))
        detail = "(ours %s, theirs %s/%s -> %s)" % (
            "|".join("/".join(c) for c in ours["card"][:2]) or "?", g["provider_id"], g["model_id"],
            "/".join(str(x) for x in theirs) if theirs else "?")
        mine = {ours["canonical_of"].get(c) for c in ours["card"]}
        if theirs and theirs in mine:
            return ["two genai-prices models collapse into one canonical key, the other one's card won " + detail]
        if theirs and theirs[:2] == (ours["rate_provider"], ours["model"]):
            return ["another card of the same canonical model: variant (region, prefix) chosen differently " + detail]
        if theirs and theirs[1] == ours["model"]:
            return ["the same canonical model under another provider's card " + detail]
        return ["name mapped to another canonical model than genai-prices' match " + detail]
    if gm is None:
        return ["unexplained: genai-prices model not in data.json"]
    causes = []
    sets = price_sets(gm)
    cp, gi = used_set(gm, g)
    oi = our_set_indexes(gm, ours)
    ours_t = ours["tier_start_tokens"] or 0
    gtier = tier_of(cp["prices"], gin["usage"]["input_tokens"])
    tier_cause = None
    if gtier != ours_t:
        with_ours = [i for i, s in enumerate(sets) if ours_t in tier_starts({"prices": [s]})]
        if ours_t and not gtier and with_ours and all(i > gi for i in with_ours):
            tier_cause = ("tier of a later price applied before its start_date (tier row backdated; "
                          "genai-prices uses %s, which has no tier)" % describe(cp))
        elif ours_t and not gtier and with_ours and all(i < gi for i in with_ours):
            tier_cause = ("tier of an earlier price kept after the price change (tier not expired; "
                          "genai-prices uses %s, which has no tier)" % describe(cp))
        elif gtier and not ours_t:
            tier_cause = "tier not applied by us (genai-prices tier %d)" % gtier
        else:
            tier_cause = "tier differs (genai-prices tier %d, ours %d)" % (gtier, ours_t)
    # our card mixes the base of the price in force with the tier row of another: the tier cause says it
    mixed = tier_cause is not None and tier_cause.startswith("tier of ")
    if len(sets) > 1 and gi not in oi and not mixed:
        windows = [s for s in sets if "start_time" in (s.get("constraint") or {})]
        if windows:
            causes.append("time-of-day price window ignored (genai-prices: %s, ours: %s)" % (
                describe(cp), " or ".join(describe(sets[i]) for i in oi) or "?"))
        else:
            causes.append("another dated price in force (genai-prices: %s, ours: %s)" % (
                describe(cp), " or ".join(describe(sets[i]) for i in oi) or "?"))
    if tier_cause:
        causes.append(tier_cause)
    keys = set(cp["prices"])
    u = gin["usage"]
    for k, pk in (("input_audio_tokens", "input_audio_mtok"), ("input_image_tokens", "input_image_mtok"),
                  ("output_audio_tokens", "output_audio_mtok"), ("output_image_tokens", "output_image_mtok"),
                  ("input_video_tokens", "input_video_mtok"), ("cache_image_read_tokens", "cache_image_read_mtok"),
                  ("cache_video_read_tokens", "cache_video_read_mtok")):
        if u.get(k) and pk in keys:
            causes.append("modality tokens priced as text (%s)" % k)
    if u.get("cache_write_1h_tokens") and "cache_write_1h_mtok" in keys:
        causes.append("1h cache writes priced at the 5m cache_write price")
    if "requests_kcount" in keys:
        causes.append("per-request fee (requests_kcount) not charged by us")
    if u.get("web_searches") and "web_searches_kcount" in keys:
        causes.append("web searches (web_searches_kcount) not charged by us")
    if u.get("output_reasoning_tokens") and "output_reasoning_mtok" in keys:
        if ours["reasoning_tokens"] != u["output_reasoning_tokens"]:
            causes.append("reasoning tokens at the output price: usage_events does not split them here")
    return causes or ["unexplained"]


def usage_read_differently(ours, gusage):
    """For genai-prices' bodies: usage_events' buckets against genai-prices' extracted usage."""
    if ours["input_tokens"] is None:
        return "usage line rejected by usage_events"
    gi, go = gusage.get("input_tokens", 0), gusage.get("output_tokens", 0)
    ti = ours["input_tokens"] + ours["cache_read_tokens"] + ours["cache_write_tokens"]
    to = ours["output_tokens"] + ours["reasoning_tokens"]
    diffs = []
    if ti != gi:
        diffs.append("input %d vs %d" % (ti, gi))
    if to != go:
        diffs.append("output %d vs %d" % (to, go))
    if ours["cache_read_tokens"] != gusage.get("cache_read_tokens", 0):
        diffs.append("cache_read %d vs %d" % (ours["cache_read_tokens"], gusage.get("cache_read_tokens", 0)))
    if ours["cache_write_tokens"] != gusage.get("cache_write_tokens", 0):
        diffs.append("cache_write %d vs %d" % (ours["cache_write_tokens"], gusage.get("cache_write_tokens", 0)))
    return ("usage read differently by usage_events (%s)" % ", ".join(diffs)) if diffs else None


def general(cause):
    """The cause without its per-event details (the parenthesis), for grouping; modality and
    time-window causes keep theirs, which name the kind."""
    if "(" in cause and not cause.startswith(("modality", "time-of-day", "priced by us only", "unpriced by us",
                                               "tier of ")):
        return cause.split(" (")[0] + " (...)"
    return cause


TEXT_KEYS = {"input_tokens", "output_tokens", "cache_read_tokens", "cache_write_tokens", "output_reasoning_tokens"}


def expressible(gin, g, models):
    """Whether usage_events' five buckets can carry the event as genai-prices bills it: no modality,
    1h-cache-write or search counts, and no per-request fee on the model."""
    if any(v for k, v in gin["usage"].items() if k not in TEXT_KEYS):
        return False
    m = models["by_id"].get((g.get("provider_id"), g.get("model_id")))
    return m is None or "requests_kcount" not in model_keys(m)


def compare(ours_rows, gres, gin, meta, models, raw_lines, usages=False):
    n = len(gin)
    assert len(ours_rows) == n == len(gres), (len(ours_rows), n, len(gres))
    stats = collections.Counter()
    groups = collections.OrderedDict()
    for i in range(n):
        o, g = ours_rows[i], gres[i]
        a, b = o["total_cost"], g.get("total")
        stats["events"] += 1
        stats["priced_by_genai"] += b is not None
        stats["priced_by_us"] += a is not None
        if rel_agree(a, b):
            stats["agree_rel"] += 1
        if expressible(gin[i], g, models):
            stats["expressible"] += 1
            stats["expressible_agree"] += agree(a, b)
        if agree(a, b):
            stats["agree"] += 1
            stats["both_unpriced" if a is None else "agree_priced"] += 1
            if a is not None:  # what the agreeing events exercised
                u = gin[i]["usage"]
                stats["agree_with_tier"] += bool(o["tier_start_tokens"])
                stats["agree_with_cache_read"] += bool(u.get("cache_read_tokens"))
                stats["agree_with_cache_write"] += bool(u.get("cache_write_tokens"))
                stats["agree_with_reasoning"] += bool(u.get("output_reasoning_tokens"))
                stats["agree_with_later_conditional_price"] += bool(g.get("price_index"))
            continue
        causes = []
        if usages and b is not None:
            d = usage_read_differently(o, meta[i]["gusage"])
            if d:
                causes.append(d)
        if not causes:
            causes = classify(o, g, gin[i], meta[i], models)
        key = " + ".join(general(c) for c in causes)
        grp = groups.setdefault(key, {"count": 0, "abs_diff_max": 0.0, "example": None, "more": [],
                                      "names": collections.Counter()})
        grp["count"] += 1
        grp["names"]["%s/%s" % (gin[i]["provider"], gin[i]["model"])] += 1
        if grp["example"] is not None and len(grp["more"]) < 8:
            grp["more"].append("line %d %s/%s: ours %s, theirs %s; %s" % (
                o["line"], gin[i]["provider"], gin[i]["model"], a, b, "; ".join(causes)))
        if a is not None and b is not None:
            grp["abs_diff_max"] = max(grp["abs_diff_max"], abs(a - b))
        if grp["example"] is None:
            grp["example"] = {"line": o["line"], "raw_event": raw_lines[i], "genai_input": gin[i],
                              "ours_total_cost": a, "genai_total_price": b, "causes": causes,
                              "ours": {k: o[k] for k in COLUMNS if k in o}, "ours_card": o["card"],
                              "ours_variant": o["variant"],
                              "genai": g}
    for grp in groups.values():
        grp["distinct_names"] = len(grp["names"])
        grp["names"] = dict(grp["names"].most_common(15))
    return stats, dict(sorted(groups.items(), key=lambda kv: -kv[1]["count"]))


# ------------------------------------------------------------------ driver


def models_index(data):
    return {"providers": {p["id"] for p in data},
            "by_id": {(p["id"], m["id"]): m for p in data for m in p["models"]}}


def diff(ctx, report=False):
    shared = ctx.shared
    data_path = os.path.join(shared, "genai-prices", "v2", "data.json")
    data = json.load(open(data_path))
    models = models_index(data)
    work = ctx.work
    summary = {"package": "@pydantic/genai-prices", "data": data_path, "tolerance_usd_abs": TOL,
               "seed": SEED}

    gen_path = os.path.join(work, "genai_diff_events.jsonl")
    gin, meta, picked, unnamed = generate(data, EVENTS, gen_path)
    raw = open(gen_path).read().splitlines()
    version, gres, _ = run_node(data_path, gin, work, "gen", 1)
    ours = our_costs(data_path, gen_path)
    snap, live, gmed, rounds = time_both(ctx, data_path, gen_path, gin, work, REPS)
    stats, groups = compare(ours, gres, gin, meta, models, raw)
    speed = {"events": EVENTS, "reps": REPS, "rounds": rounds, "ours_s_snapshot": snap, "ours_s_live": live,
             "genai_s": gmed, "ours_events_per_s_snapshot": EVENTS / snap, "ours_events_per_s_live": EVENTS / live,
             "genai_events_per_s": EVENTS / gmed, "ratio_snapshot": gmed / snap, "ratio_live": gmed / live}
    used = {(g["provider_id"], g["model_id"]) for g in gres if g.get("total") is not None}
    summary["version"] = version
    summary["generated"] = {"events": EVENTS, "models_picked": len(picked),
                            "providers_picked": len({p["id"] for p, _, _ in picked}),
                            "models_without_a_name_genai_prices_maps_to_them": unnamed,
                            "models_priced_by_genai": len(used), "stats": dict(stats),
                            "agreement_pct": 100.0 * stats["agree"] / stats["events"],
                            "agreement_rel_pct": 100.0 * stats["agree_rel"] / stats["events"],
                            "agreement_over_genai_priced_pct":
                                100.0 * stats.get("agree_priced", 0) / max(1, stats["priced_by_genai"]),
                            "speed": speed, "disagreements": groups}

    us_path = os.path.join(work, "genai_diff_usages.jsonl")
    umeta, skipped = usage_bodies(shared, us_path)
    uraw = open(us_path).read().splitlines()
    uours = our_costs(data_path, us_path)
    uin, chosen = [], collections.Counter()
    for m, o in zip(umeta, uours):
        alt, how = choose_alternative(m, o["dialect"])
        chosen[how] += 1
        m["gusage"], m["expected"], m["flavors"] = alt["usage"], alt["expected"], alt["flavors"]
        uin.append({"provider": m["provider"], "model": m["model"], "usage": alt["usage"], "ts": USAGES_TS})
    _, ures, _ = run_node(data_path, uin, work, "usages", 1)
    ustats, ugroups = compare(uours, ures, uin, umeta, models, uraw, usages=True)
    # sanity: node against the vectors' own expected prices
    exp_ok = sum(1 for r, m in zip(ures, umeta)
                 if m["expected"] is not None and r.get("total") is not None and abs(r["total"] - m["expected"]) <= TOL)
    exp_n = sum(1 for m in umeta if m["expected"] is not None)
    summary["usages"] = {"events": len(uin), "results_without_model_skipped": skipped, "stats": dict(ustats),
                         "flavor_chosen": dict(chosen),
                         "agreement_pct": 100.0 * ustats["agree"] / max(1, ustats["events"]),
                         "agreement_rel_pct": 100.0 * ustats["agree_rel"] / max(1, ustats["events"]),
                         "agreement_over_genai_priced_pct":
                             100.0 * ustats.get("agree_priced", 0) / max(1, ustats["priced_by_genai"]),
                         "genai_matches_vectors_expected": [exp_ok, exp_n], "disagreements": ugroups}
    os.makedirs(os.path.dirname(SUMMARY), exist_ok=True)
    with open(SUMMARY, "w") as f:
        json.dump(summary, f, indent=1)
    return summary


def print_report(s):
    g, u, sp = s["generated"], s["usages"], s["generated"]["speed"]
    print("@pydantic/genai-prices %s vs event_costs, both over %s; agreement = |ours - theirs| <= %g USD"
          " (both unpriced counts as agreement)" % (s["version"], s["data"], s["tolerance_usd_abs"]))
    for title, part in (("GENERATED EVENTS", g), ("GENAI-PRICES' OWN USAGE BODIES (tests/usages.json)", u)):
        st = part["stats"]
        print("\n== %s" % title)
        print("events %d; agree %d (%.2f%%; relative 1e-9: %.2f%%): priced alike %d, both unpriced %d;"
              " priced by genai-prices %d, by us %d; of the events genai-prices prices, %.2f%% agree" % (
                  st["events"], st["agree"], part["agreement_pct"], part["agreement_rel_pct"],
                  st.get("agree_priced", 0), st.get("both_unpriced", 0), st["priced_by_genai"], st["priced_by_us"],
                  part["agreement_over_genai_priced_pct"]))
        print("the events priced alike include: %d at a tier, %d with cache reads, %d with cache writes,"
              " %d with reasoning, %d at a dated or windowed (not the first) conditional price" % tuple(
                  st.get("agree_with_" + k, 0) for k in ("tier", "cache_read", "cache_write", "reasoning",
                                                         "later_conditional_price")))
        print("events usage_events can express fully (no audio/image/video, 1h cache-write or search counts,"
              " no per-request fee): %d, of which %d agree (%.2f%%)" % (
                  st.get("expressible", 0), st.get("expressible_agree", 0),
                  100.0 * st.get("expressible_agree", 0) / max(1, st.get("expressible", 0))))
        if part is g:
            print("models picked %d over %d providers (%d models of data.json left out: no name genai-prices"
                  " resolves to them); distinct models priced by genai-prices %d" % (
                      g["models_picked"], g["providers_picked"],
                      g["models_without_a_name_genai_prices_maps_to_them"], g["models_priced_by_genai"]))
            print("speed over %d events (medians of %d alternating rounds of %d reps): ours %.0f events/s"
                  " (rate timeline materialized in setup), %.0f live; genai-prices calcPrice %.0f events/s;"
                  " ours / theirs = %.1fx (%.1fx live)" % (
                      sp["events"], len(sp["rounds"]["genai"]), sp["reps"], sp["ours_events_per_s_snapshot"],
                      sp["ours_events_per_s_live"], sp["genai_events_per_s"], sp["ratio_snapshot"],
                      sp["ratio_live"]))
            print("  per round (s): ours %s, live %s, genai-prices %s" % tuple(
                " ".join("%.4f" % x for x in sp["rounds"][k]) for k in ("ours_snapshot", "ours_live", "genai")))
        else:
            ok, n = part["genai_matches_vectors_expected"]
            print("one event per (body, provider); genai-prices' extraction of the API flavor that fits the"
                  " dialect usage_events detected (%s); node reproduces the vectors' expected prices for %d of"
                  " %d; %d results without a model id skipped" % (
                      ", ".join("%s %d" % kv for kv in sorted(part["flavor_chosen"].items())), ok, n,
                      part["results_without_model_skipped"]))
        print("disagreements by cause:")
        for cause, grp in part["disagreements"].items():
            ex = grp["example"]
            print("  %6d  %s  (max |diff| %.3g USD; %d names, most: %s)" % (
                grp["count"], cause, grp["abs_diff_max"], grp["distinct_names"],
                ", ".join("%s %d" % kv for kv in list(grp["names"].items())[:4])))
            print("          e.g. line %d: ours %s, genai-prices %s; %s" % (
                ex["line"], ex["ours_total_cost"], ex["genai_total_price"], "; ".join(ex["causes"])))
            print("          %s" % ex["raw_event"][:300])
            for more in grp["more"][:3]:
                print("          also %s" % more[:200])
    print("\nsummary: %s" % SUMMARY)


class _Ctx:
    """bench/run.py's Context, for running this file alone."""

    def __init__(self, work):
        sys.dont_write_bytecode = True
        sys.path.insert(0, os.path.join(ROOT, "bench"))
        import run as bench_run  # noqa: E402
        self._c = bench_run.Context(work)
        self.shared, self.work, self.root = self._c.shared, work, ROOT

    def time_sql(self, setup, statements, reps=7):
        return self._c.time_sql(setup, statements, reps)


def skip_reason(ctx):
    if ctx.shared is None:
        return "needs ../shared/data"
    if shutil.which("sqlite3") is None:
        return "needs the sqlite3 CLI"
    return ensure_package()


def run(ctx):
    why = skip_reason(ctx)
    if why:
        return [{"scenario": "genai-prices differential", "note": "SKIPPED: " + why}]
    s = diff(ctx)
    g, u, sp = s["generated"], s["usages"], s["generated"]["speed"]
    rows = [{"scenario": "genai-prices diff: event_costs vs calcPrice", "ours": "event_costs",
             "baseline": "@pydantic/genai-prices %s calcPrice (node)" % s["version"],
             "ours_s": sp["ours_s_snapshot"], "baseline_s": sp["genai_s"],
             "note": "%d events, %d models; agree within 1e-9 USD %.2f%% (usage bodies: %.2f%% of those "
                     "genai-prices prices); live %.1fx; details: python3 bench/scenarios/genai_prices_diff.py" % (
                         g["stats"]["events"], g["models_picked"], g["agreement_pct"],
                         u["agreement_over_genai_priced_pct"], sp["ratio_live"])}]
    return rows


def main():
    with tempfile.TemporaryDirectory(prefix="tokenledger-genai-diff-") as work:
        ctx = _Ctx(work)
        why = skip_reason(ctx)
        if why:
            print("SKIPPED: " + why)
            return 0
        print_report(diff(ctx))
    return 0


if __name__ == "__main__":
    sys.exit(main())
