"""Usage-log generator for tests/costing/test_event_costs_equiv.py.

Deterministic (random.Random(seed)). An event is first a set of disjoint
buckets (what usage_events should give back), then written in one of the
dialects ext/core/usage.c reads, with the totals each dialect reports (OpenAI
counts cached, modality and reasoning tokens inside its totals; Anthropic and
Bedrock count cache reads and writes apart; Gemini lists modalities, and so
on). The point is variety, not exact round trips: the equivalence test
compares two costers on whatever usage_events makes of the lines.

What it mixes in, on purpose (see ts_for, buckets_for and error_line):
  * every dialect, service_tier values batch/flex/priority/default/auto/
    standard/absent where the dialect has one;
  * timestamps: none, before every card (2023-2024), on a card's first day,
    on and around daily window edges (00:30, 16:30, 08:00, 12:00, midnight),
    anywhere in 2024-2026; ISO with Z, with an offset, epoch s and ms;
  * prompts exactly at, one below and one above the tier thresholds, counted
    as input, prompt or total;
  * cache reads and 5-minute/1-hour cache writes, audio/image/video tokens in
    and out, web searches, reported costs;
  * broken lines (invalid JSON, negative/fractional counts, no usage, blank,
    not an object, cached > prompt, 5m + 1h not adding up, a bad timestamp).
"""
import calendar
import json
import random

DIALECTS = ["openai_chat", "openrouter", "litellm", "openai_responses", "openai_realtime",
            "anthropic", "claude_code", "bedrock", "gemini", "otel_flat", "otel_attributes",
            "otel_otlp", "generic"]
SERVICE_TIERS = ["batch", "flex", "priority", "default", "auto", "standard", None, None, None]
THRESHOLDS = [100000, 128000, 150000, 200000, 272000]
WINDOW_TIMES = ["00:30:00", "00:29:59", "00:30:01", "16:30:00", "16:29:59", "08:00:00",
                "07:59:59", "12:00:00", "11:59:59", "23:59:59", "00:00:00", "04:00:00",
                "20:15:00"]
# the units each dialect can carry (others stay 0)
UNITS = {
    "openai_chat": "I R O Z ain aout iin ws",
    "openrouter": "I R W O Z ain iin iout vin",
    "litellm": "I O",
    "openai_responses": "I R O Z ain aout iin iout",
    "openai_realtime": "I R O ain aout iin",
    "anthropic": "I R W W1h O ws",
    "claude_code": "I R W W1h O ws",
    "bedrock": "I R W W1h O",
    "gemini": "I R O Z ain aout iin iout vin vout",
    "otel_flat": "I R W O Z",
    "otel_attributes": "I R W O Z",
    "otel_otlp": "I R W O",
    "generic": "I O",
}


def iso(rnd, date, time):
    """A timestamp string for date + time, in one of a few spellings."""
    k = rnd.random()
    if k < 0.75:
        return "%sT%sZ" % (date, time)
    if k < 0.85:
        return "%sT%s.%03dZ" % (date, time, rnd.randrange(1000))
    if k < 0.92:  # the same instant with an offset
        h = int(time[:2])
        return "%sT%02d%s+00:00" % (date, h, time[2:])
    return "%sT%s" % (date, time)  # no zone: read as UTC


def epoch(date, time):
    return calendar.timegm(tuple(int(x) for x in date.split("-")) +
                           tuple(int(x) for x in time.split(":")) + (0, 0, 0))


def rand_date(rnd, y0, y1):
    y = rnd.randint(y0, y1)
    return "%04d-%02d-%02d" % (y, rnd.randint(1, 12), rnd.randint(1, 28))


def rand_time(rnd):
    return "%02d:%02d:%02d" % (rnd.randrange(24), rnd.randrange(60), rnd.randrange(60))


def ts_for(rnd, card_days):
    """(date, time) or None."""
    k = rnd.random()
    if k < 0.08:
        return None
    if k < 0.14:  # before every card
        return rand_date(rnd, 2023, 2024 if rnd.random() < 0.5 else 2023), rand_time(rnd)
    if k < 0.24 and card_days:  # a card's first day
        d = rnd.choice(card_days)
        return d, "00:00:00" if rnd.random() < 0.5 else rand_time(rnd)
    if k < 0.42:  # window edges
        return rand_date(rnd, 2025, 2026), rnd.choice(WINDOW_TIMES)
    return rand_date(rnd, 2024, 2026), rand_time(rnd)


def small(rnd, p, hi):
    return rnd.randint(1, hi) if rnd.random() < p else 0


def buckets_for(rnd, dialect, force=None):
    units = set(UNITS[dialect].split())
    b = dict(I=rnd.randint(0, 5000) if rnd.random() < 0.95 else 0,
             R=small(rnd, 0.35, 20000), W=small(rnd, 0.25, 8000), W1h=0,
             O=rnd.randint(0, 3000), Z=small(rnd, 0.25, 2000),
             ain=small(rnd, 0.15, 3000), aout=small(rnd, 0.12, 3000),
             iin=small(rnd, 0.15, 3000), iout=small(rnd, 0.1, 5000),
             vin=small(rnd, 0.1, 4000), vout=small(rnd, 0.05, 2000),
             ws=small(rnd, 0.2, 6))
    if b["W"] and rnd.random() < 0.5:
        b["W1h"] = b["W"] if rnd.random() < 0.4 else rnd.randint(0, b["W"])
    for k in list(b):
        if k not in units:
            b[k] = 0
    if "W" not in units:
        b["W1h"] = 0
    if force or rnd.random() < 0.22:  # at a tier threshold, counted one of three ways
        t = rnd.choice(THRESHOLDS) + rnd.choice([-1, 0, 0, 1])
        how = rnd.choice(["input", "prompt", "prompt", "total"])
        if force:
            t, how = force
        if how == "input":
            b["I"] = t
        else:
            rest = b["R"] + b["W"] + b["ain"] + b["iin"] + b["vin"]
            if how == "total":
                rest += b["O"] + b["Z"] + b["aout"] + b["iout"] + b["vout"]
            if rest > t:
                for k in ("R", "W", "W1h", "ain", "iin", "vin", "O", "Z", "aout", "iout", "vout"):
                    b[k] = 0
                rest = 0
            b["I"] = t - rest
    return b


def details(pairs):
    return [{"modality": m, "tokenCount": n} for m, n in pairs if n or m == "TEXT"]


def encode(rnd, dialect, provider, model, when, b, tier):
    """One log line (a dict) of the dialect for buckets b."""
    date_time = when
    prompt = b["I"] + b["R"] + b["W"] + b["ain"] + b["iin"] + b["vin"]
    completion = b["O"] + b["Z"] + b["aout"] + b["iout"] + b["vout"]
    d = {}
    if dialect in ("openai_chat", "openrouter"):
        u = {"prompt_tokens": prompt, "completion_tokens": completion,
             "total_tokens": prompt + completion,
             "prompt_tokens_details": {"cached_tokens": b["R"], "audio_tokens": b["ain"]},
             "completion_tokens_details": {"reasoning_tokens": b["Z"], "audio_tokens": b["aout"]}}
        if b["iin"]:
            u["prompt_tokens_details"]["image_tokens"] = b["iin"]
        if dialect == "openrouter":
            u["cost"] = round(rnd.random() * 0.05, 6)
            u["prompt_tokens_details"]["cache_write_tokens"] = b["W"]
            if b["vin"]:
                u["prompt_tokens_details"]["video_tokens"] = b["vin"]
            if b["iout"]:
                u["completion_tokens_details"]["image_tokens"] = b["iout"]
        if b["ws"]:
            if rnd.random() < 0.5:
                u["server_tool_use"] = {"web_search_requests": b["ws"]}
            else:
                u["num_search_queries"] = b["ws"]
        d = {"id": "chatcmpl-%d" % rnd.randrange(10 ** 9), "object": "chat.completion",
             "model": model, "usage": u}
        if tier:
            d["service_tier"] = tier
        if provider:
            d["provider"] = provider
        if date_time:
            if rnd.random() < 0.5:
                d["created"] = epoch(*date_time)
            else:
                d["timestamp"] = iso(rnd, *date_time)
    elif dialect == "litellm":
        d = {"request_id": "ll-%d" % rnd.randrange(10 ** 9), "call_type": "acompletion",
             "spend": round(rnd.random() * 0.01, 6), "prompt_tokens": prompt,
             "completion_tokens": completion, "total_tokens": prompt + completion,
             "model": model, "status": "success"}
        if provider:
            d["custom_llm_provider"] = provider
        if date_time:
            d["startTime"] = "%sT%s.000000" % date_time
    elif dialect == "openai_responses":
        u = {"input_tokens": prompt,
             "input_tokens_details": {"cached_tokens": b["R"]},
             "output_tokens": completion,
             "output_tokens_details": {"reasoning_tokens": b["Z"]},
             "total_tokens": prompt + completion}
        for k, key, det in (("ain", "audio_tokens", "input_tokens_details"),
                            ("iin", "image_tokens", "input_tokens_details"),
                            ("aout", "audio_tokens", "output_tokens_details"),
                            ("iout", "image_tokens", "output_tokens_details")):
            if b[k]:
                u[det][key] = b[k]
        r = {"id": "resp_%d" % rnd.randrange(10 ** 9), "model": model, "status": "completed",
             "usage": u}
        if tier:
            r["service_tier"] = tier
        if date_time:
            r["created_at"] = epoch(*date_time)
        d = {"type": "response.completed", "response": r}
        if provider:
            d["provider"] = provider
    elif dialect == "openai_realtime":
        cached_audio = min(b["R"], rnd.randint(0, 50)) if b["R"] else 0
        u = {"total_tokens": prompt + completion, "input_tokens": prompt + cached_audio * 0,
             "output_tokens": completion,
             "input_token_details": {"text_tokens": b["I"] + b["R"] - cached_audio,
                                     "audio_tokens": b["ain"] + cached_audio,
                                     "image_tokens": b["iin"], "cached_tokens": b["R"],
                                     "cached_tokens_details": {"text_tokens": b["R"] - cached_audio,
                                                               "audio_tokens": cached_audio,
                                                               "image_tokens": 0}},
             "output_token_details": {"text_tokens": b["O"], "audio_tokens": b["aout"]}}
        d = {"type": "response.done", "event_id": "event_%d" % rnd.randrange(10 ** 6),
             "model": model,
             "response": {"object": "realtime.response", "id": "resp_rt", "status": "completed",
                          "usage": u}}
        if provider:
            d["provider"] = provider
        if date_time:
            d["ts"] = iso(rnd, *date_time)
    elif dialect in ("anthropic", "claude_code"):
        u = {"input_tokens": b["I"], "cache_creation_input_tokens": b["W"],
             "cache_read_input_tokens": b["R"], "output_tokens": b["O"]}
        if b["W"] and (b["W1h"] or rnd.random() < 0.5):
            u["cache_creation"] = {"ephemeral_5m_input_tokens": b["W"] - b["W1h"],
                                   "ephemeral_1h_input_tokens": b["W1h"]}
        if b["ws"]:
            u["server_tool_use"] = {"web_search_requests": b["ws"], "web_fetch_requests": 1}
        if tier:
            u["service_tier"] = tier
        if dialect == "anthropic":
            d = {"model": model, "usage": u}
            if provider:
                d["provider"] = provider
            if date_time:
                d["ts"] = iso(rnd, *date_time)
        else:
            d = {"sessionId": "s-%d" % rnd.randrange(100), "type": "assistant",
                 "message": {"id": "msg_%d" % rnd.randrange(10 ** 6), "model": model,
                             "content": [{"type": "text", "text": "ok"}], "usage": u},
                 "costUSD": round(rnd.random() * 0.1, 6)}
            if date_time:
                d["timestamp"] = iso(rnd, *date_time)
    elif dialect == "bedrock":
        u = {"inputTokens": b["I"], "outputTokens": b["O"], "totalTokens": prompt + completion,
             "cacheReadInputTokens": b["R"], "cacheWriteInputTokens": b["W"]}
        if b["W"] and rnd.random() < 0.6:
            u["cacheDetails"] = [{"inputTokens": b["W1h"], "ttl": "1h"},
                                 {"inputTokens": b["W"] - b["W1h"], "ttl": "5m"}]
        d = {"model": model, "usage": u}
        if provider:
            d["provider"] = provider
        if date_time:
            d["timestamp"] = epoch(*date_time) * 1000
    elif dialect == "gemini":
        tool = rnd.choice([0, 0, 0, 40])
        ptext = b["I"] + b["R"] - tool
        if ptext < 0:
            tool, ptext = 0, b["I"] + b["R"]
        um = {"promptTokenCount": prompt - tool, "cachedContentTokenCount": b["R"],
              "candidatesTokenCount": b["O"] + b["aout"] + b["iout"] + b["vout"],
              "totalTokenCount": prompt + completion}
        if b["Z"]:
            um["thoughtsTokenCount"] = b["Z"]
        if tool:
            um["toolUsePromptTokenCount"] = tool
            um["toolUsePromptTokensDetails"] = [{"modality": "TEXT", "tokenCount": tool}]
        if rnd.random() < 0.7:
            img = "IMAGE" if rnd.random() < 0.7 else "DOCUMENT"
            # a third of the caches hold audio: cached, so in the prompt's AUDIO too
            cached_audio = min(ptext, rnd.choice([0, 0, rnd.randint(1, b["R"])])) if b["R"] else 0
            um["promptTokensDetails"] = details([("TEXT", ptext - cached_audio),
                                                 ("AUDIO", b["ain"] + cached_audio),
                                                 (img, b["iin"]), ("VIDEO", b["vin"])])
            if b["R"]:
                um["cacheTokensDetails"] = details([("TEXT", b["R"] - cached_audio),
                                                    ("AUDIO", cached_audio)])
            um["candidatesTokensDetails"] = details([("TEXT", b["O"]), ("AUDIO", b["aout"]),
                                                     ("IMAGE", b["iout"]), ("VIDEO", b["vout"])])
        if tier:
            um["serviceTier"] = tier
        d = {"modelVersion": model, "responseId": "g-%d" % rnd.randrange(10 ** 6),
             "usageMetadata": um}
        if provider:
            d["provider"] = provider
        if date_time:
            d["timestamp"] = iso(rnd, *date_time)
    elif dialect.startswith("otel"):
        attrs = {"gen_ai.request.model": model,
                 "gen_ai.usage.input_tokens": prompt, "gen_ai.usage.output_tokens": completion}
        if provider:
            attrs["gen_ai.system" if rnd.random() < 0.5 else "gen_ai.provider.name"] = provider
        if b["R"]:
            attrs["gen_ai.usage.cache_read.input_tokens"] = b["R"]
        if b["W"]:
            attrs["gen_ai.usage.cache_creation.input_tokens"] = b["W"]
        if b["Z"]:
            attrs["gen_ai.usage.reasoning.output_tokens"] = b["Z"]
        if tier:
            attrs["openai.response.service_tier"] = tier
        if dialect == "otel_flat":
            d = dict(attrs)
            d["name"] = "chat " + model
            if date_time:
                d["start_time"] = iso(rnd, *date_time)
        else:
            d = {"traceId": "%032x" % rnd.getrandbits(128), "name": "chat " + model}
            if dialect == "otel_attributes":
                d["attributes"] = attrs
            else:
                d["attributes"] = [
                    {"key": k, "value": {"intValue": str(v)} if isinstance(v, int)
                     else {"stringValue": v}} for k, v in attrs.items()]
            if date_time:
                d["startTimeUnixNano"] = str(epoch(*date_time) * 10 ** 9 + rnd.randrange(10 ** 9))
    else:  # generic
        d = {"model": model, "input_tokens": b["I"], "output_tokens": b["O"]}
        if provider:
            d["provider"] = provider
        if date_time:
            d["time"] = iso(rnd, *date_time)
    return d


def error_line(rnd, provider, model, when):
    """A line usage_events turns into an error row."""
    ts = "%sT%sZ" % when if when else "2025-06-01T00:00:00Z"
    k = rnd.randrange(10)
    base = {"ts": ts, "provider": provider or "openai", "model": model}
    if k == 0:
        return '{"model": "%s", "usage": {"prompt_tokens": 10,}}' % model
    if k == 1:
        return json.dumps(dict(base, usage={"input_tokens": -5, "output_tokens": 10}))
    if k == 2:
        return json.dumps({"type": "user", "message": {"role": "user", "content": "hi"},
                           "timestamp": ts})
    if k == 3:
        return "   "
    if k == 4:
        return "[1, 2, 3]"
    if k == 5:
        return json.dumps(dict(base, usage={"prompt_tokens": 500, "completion_tokens": 10,
                                            "prompt_tokens_details": {"cached_tokens": 700}}))
    if k == 6:
        return json.dumps(dict(base, usage={
            "input_tokens": 10, "cache_creation_input_tokens": 100, "output_tokens": 5,
            "cache_creation": {"ephemeral_5m_input_tokens": 30, "ephemeral_1h_input_tokens": 30}}))
    if k == 7:
        return json.dumps(dict(base, usage={"input_tokens": 1.5, "output_tokens": 10}))
    if k == 8:
        return json.dumps(dict(base, ts="not a time", usage={"input_tokens": 10,
                                                              "output_tokens": 10}))
    return json.dumps(dict(base, usage={"prompt_tokens": 50, "completion_tokens": 100,
                                        "completion_tokens_details": {"reasoning_tokens": 150}}))


def events(seed, n, names, card_days, error_rate=0.03, dialects=DIALECTS, probes=()):
    """n log lines (strings) over names [(provider or None, raw model)], then for each
    probe (provider, raw model, threshold) nine lines: prompts one below, at and one
    above the threshold, counted as input, prompt and total, at 2025-2026 times."""
    rnd = random.Random(seed)
    out = []
    for provider, model, t in probes:
        for delta in (-1, 0, 1):
            for how in ("input", "prompt", "total"):
                dialect = rnd.choice(["anthropic", "claude_code", "bedrock", "openrouter",
                                      "otel_flat", "openai_chat", "gemini"])
                b = buckets_for(rnd, dialect, (t + delta, how))
                when = (rand_date(rnd, 2025, 2026), rand_time(rnd))
                out.append(json.dumps(encode(rnd, dialect, provider, model, when, b, None)))
    for _ in range(n):
        provider, model = names[rnd.randrange(len(names))]
        when = ts_for(rnd, card_days)
        if rnd.random() < error_rate:
            out.append(error_line(rnd, provider, model, when))
            continue
        dialect = rnd.choice(dialects)
        tier = rnd.choice(SERVICE_TIERS)
        b = buckets_for(rnd, dialect)
        out.append(json.dumps(encode(rnd, dialect, provider, model, when, b, tier)))
    return out


def is_body(v):
    """usage_cost's rule (vtab/usage_cost.c normalize_call): a value it reads as
    a whole log line; anything else it reads as {"usage": value}."""
    if not isinstance(v, dict):
        return True
    if any(k in v for k in ("usage", "usageMetadata", "message", "response", "attributes")):
        return True
    return any(len(k) > 7 and k.startswith("gen_ai.") for k in v)


def calls(seed, n, names, card_days):
    """n usage_cost calls: (provider, model, usage JSON text, ts or None). Half
    are whole log lines, half bare usage objects (what usage_cost wraps)."""
    rnd = random.Random(seed)
    out = []
    for _ in range(n):
        provider, model = names[rnd.randrange(len(names))]
        when = ts_for(rnd, card_days)
        dialect = rnd.choice(DIALECTS)
        b = buckets_for(rnd, dialect)
        d = encode(rnd, dialect, None, model, None, b, rnd.choice(SERVICE_TIERS))
        if rnd.random() < 0.5 and isinstance(d.get("usage"), dict):
            d = d["usage"]
        ts = None
        if when:
            ts = "%sT%sZ" % when if rnd.random() < 0.8 else "%s %s" % when
        out.append((provider, model, json.dumps(d), ts))
    # a few unsound usages, which usage_cost must refuse
    for u in ({"input_tokens": -5, "output_tokens": 10},
              {"prompt_tokens": 500, "completion_tokens": 10,
               "prompt_tokens_details": {"cached_tokens": 700}},
              {"usage": {"input_tokens": 1.5, "output_tokens": 2}},
              {"input_tokens": 10, "cache_creation_input_tokens": 100, "output_tokens": 5,
               "cache_creation": {"ephemeral_5m_input_tokens": 30,
                                  "ephemeral_1h_input_tokens": 30}}):
        out.insert(rnd.randrange(len(out) + 1), ("openai", "gpt-4.1", json.dumps(u),
                                                 "2025-06-01T00:00:00Z"))
    return out
