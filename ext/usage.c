/*
** Usage events: normalizing the token usage that LLM clients, proxies and
** tracers log, one JSON object per line, into disjoint token buckets.
**
**   SELECT sum(input_tokens), sum(cache_read_tokens), sum(output_tokens)
**     FROM usage_events('events.jsonl') WHERE error IS NULL;
**
** THE BUCKETS. Every record becomes five counts that never overlap, so a
** bill is sum(bucket * price of bucket) with each token counted once:
**
**   input_tokens        uncached input
**   cache_read_tokens   input served from a prompt cache
**   cache_write_tokens  input written to a prompt cache
**   output_tokens       output, minus reasoning when reported apart
**   reasoning_tokens    reasoning/thinking output the record reports as such
**
** Dialects disagree on what their totals contain, so the arithmetic is per
** dialect (I = reported input total, O = reported output total):
**
**   dialect           detected by                         input        output
**   openai_chat       usage.prompt_tokens|completion_...  I - R - W    O - Z
**   openrouter        the same, with usage.cost           I - R - W    O - Z
**   litellm           top-level prompt_tokens + spend     I - R - W    O - Z
**   openai_responses  usage.input_tokens + *_details      I - R        O - Z
**   otel_genai        gen_ai.usage.input|output_tokens    I - R - W    O - Z
**   gemini            usageMetadata.promptTokenCount      I + T - R    O (Z apart)
**   anthropic         usage.input_tokens + cache_*_input  I            O
**   claude_code       message.usage (+costUSD/sessionId)  I            O
**   bedrock           usage.inputTokens (Converse)        I            O
**   generic           bare input_tokens/output_tokens     I            O
**
**   R (cache read):  prompt_tokens_details.cached_tokens (OpenAI, OpenRouter),
**                    input_tokens_details.cached_tokens (Responses),
**                    cache_read_input_tokens (Anthropic, Claude Code),
**                    gen_ai.usage.cache_read.input_tokens (OTel),
**                    cacheReadInputTokens (Bedrock),
**                    cachedContentTokenCount (Gemini)
**   W (cache write): prompt_tokens_details.cache_write_tokens (OpenRouter),
**                    cache_creation_input_tokens (Anthropic, Claude Code),
**                    gen_ai.usage.cache_creation.input_tokens (OTel),
**                    cacheWriteInputTokens (Bedrock)
**   Z (reasoning):   completion_tokens_details.reasoning_tokens (OpenAI),
**                    output_tokens_details.reasoning_tokens (Responses),
**                    gen_ai.usage.reasoning.output_tokens (OTel, if present),
**                    thoughtsTokenCount (Gemini, which counts it apart)
**
**   T (Gemini):      toolUsePromptTokenCount, tool-use prompt tokens that
**                    Gemini reports beside promptTokenCount and bills as input
**
** OpenAI, OpenRouter, LiteLLM and OpenTelemetry count cached tokens inside
** the input total and reasoning inside the output total, so they are
** subtracted; Anthropic, Claude Code and Bedrock count cache reads and
** writes apart from input_tokens, so nothing is subtracted (and Anthropic
** does not report thinking apart: it stays in output_tokens, reasoning 0).
** Example (Anthropic): {input 3, cache_creation 12304, cache_read 0,
** output 550} gives input 3, cache_write 12304, cache_read 0, output 550.
** Example (OpenAI): {prompt 2000, cached 1500, completion 800, reasoning
** 500} gives input 500, cache_read 1500, output 300, reasoning 500.
** A count that is absent (or null) is 0 when the record has usage at all.
**
** WHERE THINGS ARE FOUND. OpenTelemetry attributes are read in all three
** forms: flat dotted keys at the top level, an `attributes` object, and
** OTLP/JSON's `attributes: [{key, value: {intValue|stringValue|...}}]` (its
** 64-bit integers arrive as strings of digits, which are accepted as counts
** and epochs). The usage object is `usage`, `response.usage` (Responses
** stream events) or `response.body.usage` (batch output); proxy logs that
** wrap one with `provider` and `model` are read the same way.
**   provider     provider, gen_ai.provider.name, gen_ai.system,
**                custom_llm_provider, provider_name ("anthropic" for
**                Claude Code); as written, not canonicalized
**   model        gen_ai.response.model, gen_ai.request.model, model,
**                message.model, response.model, modelVersion (Gemini)
**   reported_cost usage.cost (OpenRouter), costUSD (Claude Code), spend
**                (LiteLLM), response_cost, cost_usd, total_cost, cost
**   request_id   request_id, requestId, gen_ai.response.id, id,
**                response.id, message.id, responseId (Gemini)
**   ts           timestamp, ts, time, @timestamp, startTime, start_time,
**                startTimeUnixNano, timeUnixNano, created_at, created,
**                response.created_at; see ext/timestamp.h for the forms
**   latency_ms   latency_ms, latencyMs, duration_ms, durationMs, else
**                end - start of (startTimeUnixNano, endTimeUnixNano),
**                (startTime, endTime), (start_time, end_time)
**   status       status, status_code, statusCode,
**                http.response.status_code; a {code} object gives its code
**
** ERRORS. A line never disappears and never stops the reading: it becomes
** a record with `error` set to "FILE:LINE:COL: what was wrong", the first
** problem found. Such lines: invalid JSON (the column is the JSON error's),
** a value that is not an object, no usage found, a blank line (only spaces,
** tabs or CR), a line longer than the cap (64 MiB). Impossible counts are
** flagged, not clamped: a negative, fractional (1.5, 1e-400) or too large
** (past 2^63 - 1, 1e300) count, read exactly from the digits as written;
** cached + cache writes > input total, reasoning > output total. The
** buckets that can still be derived keep their values; the one that cannot
** is NULL. An unreadable timestamp, a negative cost, or a cost or latency
** that a double cannot hold (1e400, or 1e-400 which would read as 0) is
** flagged too, the counts kept. Out of memory is never a record: the stream
** returns USAGE_NOMEM.
** So `count(*)` equals the file's line count, and `WHERE error IS NULL`
** selects the sound records.
*/
#include "usage.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "jsonl.h"
#include "tl_alloc.h"

const char *usage_dialect_name(UsageDialect d) {
  static const char *const names[] = {
      NULL,         "openai_chat", "openai_responses", "openrouter",
      "litellm",    "anthropic",   "claude_code",      "bedrock",
      "gemini",     "otel_genai",  "generic"};
  return (size_t)d < sizeof names / sizeof names[0] ? names[d] : NULL;
}

/* ------------------------------------------------------------ lookups */

typedef struct Ctx {
  const char *name;
  uint64_t line;
  const JsonValue *root;
  UsageRecord *rec;
} Ctx;

/* snprintf that may truncate, on purpose: messages are capped. */
__attribute__((format(printf, 3, 4)))
static void format_into(char *dst, size_t n, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(dst, n, fmt, ap);
  va_end(ap);
}

/* Records "NAME:LINE:COL: MESSAGE" unless an error is already there: the
** first problem found is the one reported. */
__attribute__((format(printf, 3, 4)))
static void flag(Ctx *c, const JsonValue *at, const char *fmt, ...) {
  char message[USAGE_ERROR_SIZE];
  va_list ap;
  if (c->rec->error[0]) return;
  va_start(ap, fmt);
  vsnprintf(message, sizeof message, fmt, ap);
  va_end(ap);
  format_into(c->rec->error, sizeof c->rec->error, "%s:%llu:%u: %s", c->name,
           (unsigned long long)c->line, at ? at->col : 1u, message);
}

/* The member `key` (n bytes) of obj, or NULL. Lengths are compared first:
** a record is probed for dozens of names, and most differ in length. */
static const JsonValue *member(const JsonValue *obj, const char *key, size_t n) {
  if (!obj || obj->type != JSON_OBJECT) return NULL;
  for (const JsonValue *m = obj->child; m; m = m->next) {
    if (m->key_len == n && n > 0 && m->key[0] == key[0] && memcmp(m->key, key, n) == 0)
      return m;
  }
  return NULL;
}

/* The value at a '.'-separated path of member names, or NULL when missing
** or JSON null. (OpenTelemetry's dotted names are looked up whole, by otel().) */
static const JsonValue *at(const JsonValue *v, const char *path) {
  for (;;) {
    const char *dot = strchr(path, '.');
    size_t n = dot ? (size_t)(dot - path) : strlen(path);
    v = member(v, path, n);
    if (!v || !dot) break;
    path = dot + 1;
  }
  return v && v->type != JSON_NULL ? v : NULL;
}

static const JsonValue *object_at(const JsonValue *v, const char *path) {
  v = at(v, path);
  return v && v->type == JSON_OBJECT ? v : NULL;
}

static int has(const JsonValue *obj, const char *key) {
  return member(obj, key, strlen(key)) != NULL;
}

/* Where a record keeps OpenTelemetry attributes: flat "gen_ai.*" keys at the
** top level, and/or an `attributes` object or list. Found once per record so
** that records without any cost nothing in the many otel() probes. */
typedef struct Otel {
  const JsonValue *root;  /* NULL when no top-level key starts with gen_ai. */
  const JsonValue *attrs; /* `attributes`, or NULL */
} Otel;

static Otel otel_of(const JsonValue *root) {
  Otel o = {NULL, at(root, "attributes")};
  for (const JsonValue *m = root->child; m; m = m->next) {
    if (m->key_len > 7 && memcmp(m->key, "gen_ai.", 7) == 0) {
      o.root = root;
      break;
    }
  }
  return o;
}

/* An OpenTelemetry attribute, in any of its three JSON forms (see top). */
static const JsonValue *otel(const Otel *o, const char *name) {
  size_t n = strlen(name);
  const JsonValue *v = member(o->root, name, n);
  if (v) return v->type != JSON_NULL ? v : NULL;
  if (!o->attrs) return NULL;
  if (o->attrs->type == JSON_OBJECT) {
    v = member(o->attrs, name, n);
    return v && v->type != JSON_NULL ? v : NULL;
  }
  if (o->attrs->type != JSON_ARRAY) return NULL;
  for (const JsonValue *e = o->attrs->child; e; e = e->next) {
    const JsonValue *key = member(e, "key", 3), *val;
    if (!key || key->type != JSON_STRING || key->len != n ||
        memcmp(key->text, name, n) != 0)
      continue;
    val = member(e, "value", 5);
    if (val && val->type == JSON_OBJECT && val->child && !val->child->next)
      val = val->child; /* {"intValue": "42"} and its kin */
    return val && val->type != JSON_NULL ? val : NULL;
  }
  return NULL;
}

/* The first string (or number, as written) among `paths` (NULL-ended). */
static UsageText text_of(const JsonValue *v) {
  UsageText t = {NULL, 0};
  if (v && (v->type == JSON_STRING || v->type == JSON_NUMBER)) {
    t.p = v->text;
    t.n = v->len;
  }
  return t;
}

static UsageText first_text(const JsonValue *root, const char *const *paths) {
  for (; *paths; paths++) {
    UsageText t = text_of(at(root, *paths));
    if (t.p) return t;
  }
  return (UsageText){NULL, 0};
}

static UsageText first_otel_text(const Otel *o, const char *const *names) {
  for (; *names; names++) {
    UsageText t = text_of(otel(o, *names));
    if (t.p) return t;
  }
  return (UsageText){NULL, 0};
}

/* ------------------------------------------------------------ counts */

/* Digits only (no sign), into *out; -1 on overflow or a non-digit. */
static int parse_digits(const char *s, size_t n, int64_t *out) {
  int64_t v = 0;
  if (n == 0) return -1;
  for (size_t i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9') return -1;
    if (v > (INT64_MAX - (s[i] - '0')) / 10) return -1;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return 0;
}

/* What a JSON number literal is as a token count. */
typedef enum CountKind {
  COUNT_OK,        /* a whole number in 0..INT64_MAX: *out */
  COUNT_NEGATIVE,  /* below zero */
  COUNT_FRACTION,  /* not whole: 1.5, 1e-400 */
  COUNT_TOO_LARGE  /* whole but past INT64_MAX: 1e300 */
} CountKind;

/* Reads a JSON number literal (already validated by the parser) exactly,
** from its digits: through a double, 1e-400 would become 0, 1e300 a clamped
** value, and 1.00000000000000000001 the count 1. */
static CountKind count_literal(const char *s, size_t n, int64_t *out) {
  const char *digits[2];
  size_t ndigits[2] = {0, 0}, i = 0, nonzero = 0, last = 0, pos = 0;
  long long exp10 = 0, scale;
  int neg = 0, exp_neg = 0;
  uint64_t v = 0;
  if (i < n && s[i] == '-') neg = 1, i++;
  for (int part = 0; part < 2; part++) {
    if (part == 1 && !(i < n && s[i] == '.')) break;
    if (part == 1) i++;
    digits[part] = s + i;
    while (i < n && s[i] >= '0' && s[i] <= '9') i++;
    ndigits[part] = (size_t)(s + i - digits[part]);
  }
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    i++;
    if (i < n && (s[i] == '+' || s[i] == '-')) exp_neg = s[i++] == '-';
    for (; i < n; i++) {
      if (exp10 < 1000000000) exp10 = exp10 * 10 + (s[i] - '0'); /* past that: 0 or huge */
    }
    if (exp_neg) exp10 = -exp10;
  }
  /* The significant digits run from the first to the last nonzero one
  ** (positions over both parts); the value is them x 10^scale. */
  for (int part = 0; part < 2; part++) {
    for (size_t k = 0; k < ndigits[part]; k++, pos++) {
      if (digits[part][k] == '0') continue;
      if (!nonzero) nonzero = pos + 1;
      last = pos;
    }
  }
  if (!nonzero) {
    *out = 0;
    return COUNT_OK; /* 0, -0, 0.0e5 */
  }
  if (neg) return COUNT_NEGATIVE;
  scale = exp10 + (long long)ndigits[0] - 1 - (long long)last;
  if (scale < 0) return COUNT_FRACTION;
  if (scale + (long long)(last - (nonzero - 1)) >= 19) return COUNT_TOO_LARGE;
  pos = 0;
  for (int part = 0; part < 2; part++) {
    for (size_t k = 0; k < ndigits[part]; k++, pos++) {
      if (pos >= nonzero - 1 && pos <= last) v = v * 10 + (uint64_t)(digits[part][k] - '0');
    }
  }
  for (long long k = 0; k < scale; k++) v *= 10; /* at most 19 digits: no wrap */
  if (v > (uint64_t)INT64_MAX) return COUNT_TOO_LARGE;
  *out = (int64_t)v;
  return COUNT_OK;
}

/* A token count: 1 and *out, or 0 when absent (missing or null), or -1
** when it is not a count (flagged). `label` names it in messages. */
static int read_count(Ctx *c, const JsonValue *v, const char *label, int64_t *out) {
  if (!v || v->type == JSON_NULL) return 0;
  if (v->type == JSON_NUMBER) {
    switch (count_literal(v->text, v->len, out)) {
      case COUNT_OK: return 1;
      case COUNT_NEGATIVE: flag(c, v, "negative %s %s", label, v->text); break;
      case COUNT_FRACTION:
        flag(c, v, "%s %s is not a whole number of tokens", label, v->text);
        break;
      case COUNT_TOO_LARGE:
        flag(c, v, "%s %s is too large for a token count", label, v->text);
        break;
    }
    return -1;
  }
  if (v->type == JSON_STRING && parse_digits(v->text, v->len, out) == 0) return 1;
  if (v->type == JSON_STRING && v->len > 1 && v->text[0] == '-' &&
      parse_digits(v->text + 1, v->len - 1, out) == 0) {
    flag(c, v, "negative %s %s", label, v->text);
    return -1;
  }
  flag(c, v, "expected a token count for %s, found %s", label,
       v->type == JSON_STRING ? "a string" : v->type == JSON_OBJECT ? "an object"
       : v->type == JSON_ARRAY ? "an array" : "a boolean");
  return -1;
}

/* Where a dialect keeps its five counts, and what its totals contain. */
typedef struct Source {
  const JsonValue *v;
  const char *label;
} Source;

typedef struct Counts {
  Source in, cache_read, cache_write, out, reasoning;
  Source in_extra;      /* input reported beside the input total (Gemini tools) */
  int cache_inside;     /* cache reads and writes are inside the input total */
  int reasoning_inside; /* reasoning is inside the output total */
} Counts;

/* The disjoint buckets from a dialect's counts (the table at the top). */
static void derive(Ctx *c, const Counts *k) {
  UsageRecord *rec = c->rec;
  const Source *src[USAGE_NBUCKET] = {&k->in, &k->cache_read, &k->cache_write,
                                      &k->out, &k->reasoning};
  int64_t v[USAGE_NBUCKET] = {0};
  int ok[USAGE_NBUCKET], present = 0;

  for (int b = 0; b < USAGE_NBUCKET; b++) {
    int rc = read_count(c, src[b]->v, src[b]->label, &v[b]);
    ok[b] = rc >= 0;
    present |= rc != 0; /* an invalid count is still a count */
  }
  if (k->in_extra.v) {
    int64_t extra = 0;
    int rc = read_count(c, k->in_extra.v, k->in_extra.label, &extra);
    if (rc < 0) {
      ok[USAGE_INPUT] = 0;
    } else if (extra > INT64_MAX - v[USAGE_INPUT]) {
      flag(c, k->in_extra.v, "%s + %s is too large for a token count", k->in.label,
           k->in_extra.label);
      ok[USAGE_INPUT] = 0;
    } else {
      v[USAGE_INPUT] += extra;
    }
    present |= rc != 0; /* an invalid count is still a count */
  }
  if (!present) {
    rec->dialect = USAGE_NONE;
    flag(c, NULL, "no token usage found (all counts are null)");
    return;
  }
  if (k->cache_inside && ok[USAGE_INPUT]) {
    if (!ok[USAGE_CACHE_READ] || !ok[USAGE_CACHE_WRITE]) {
      ok[USAGE_INPUT] = 0; /* the uncached part cannot be known */
    } else if (v[USAGE_CACHE_READ] > v[USAGE_INPUT] - v[USAGE_CACHE_WRITE]) {
      if (v[USAGE_CACHE_WRITE] == 0)
        flag(c, k->cache_read.v, "%s %lld exceeds %s %lld", k->cache_read.label,
             (long long)v[USAGE_CACHE_READ], k->in.label, (long long)v[USAGE_INPUT]);
      else if (v[USAGE_CACHE_READ] == 0)
        flag(c, k->cache_write.v, "%s %lld exceeds %s %lld", k->cache_write.label,
             (long long)v[USAGE_CACHE_WRITE], k->in.label, (long long)v[USAGE_INPUT]);
      else
        flag(c, k->cache_read.v, "%s %lld + %s %lld exceeds %s %lld",
             k->cache_read.label, (long long)v[USAGE_CACHE_READ],
             k->cache_write.label, (long long)v[USAGE_CACHE_WRITE], k->in.label,
             (long long)v[USAGE_INPUT]);
      ok[USAGE_INPUT] = 0;
    } else {
      v[USAGE_INPUT] -= v[USAGE_CACHE_READ] + v[USAGE_CACHE_WRITE];
    }
  }
  if (k->reasoning_inside && ok[USAGE_OUTPUT]) {
    if (!ok[USAGE_REASONING]) {
      ok[USAGE_OUTPUT] = 0;
    } else if (v[USAGE_REASONING] > v[USAGE_OUTPUT]) {
      flag(c, k->reasoning.v, "%s %lld exceeds %s %lld", k->reasoning.label,
           (long long)v[USAGE_REASONING], k->out.label, (long long)v[USAGE_OUTPUT]);
      ok[USAGE_OUTPUT] = 0;
    } else {
      v[USAGE_OUTPUT] -= v[USAGE_REASONING];
    }
  }
  rec->known = 0;
  for (int b = 0; b < USAGE_NBUCKET; b++) {
    rec->tokens[b] = ok[b] ? v[b] : 0;
    if (ok[b]) rec->known |= 1u << b;
  }
}

static Source src(const JsonValue *obj, const char *path) {
  return (Source){at(obj, path), path};
}

/* ------------------------------------------------------------ dialects */

static int otel_counts(const Otel *o, Counts *k) {
  static const char *const in_names[] = {"gen_ai.usage.input_tokens",
                                         "gen_ai.usage.prompt_tokens", NULL};
  static const char *const out_names[] = {"gen_ai.usage.output_tokens",
                                          "gen_ai.usage.completion_tokens", NULL};
  for (int i = 0; in_names[i]; i++) {
    if (!k->in.v) k->in = (Source){otel(o, in_names[i]), in_names[i]};
    if (!k->out.v) k->out = (Source){otel(o, out_names[i]), out_names[i]};
  }
  if (!k->in.v && !k->out.v) return 0;
#define OTEL_SOURCE(name) ((Source){otel(o, name), name})
  k->cache_read = OTEL_SOURCE("gen_ai.usage.cache_read.input_tokens");
  k->cache_write = OTEL_SOURCE("gen_ai.usage.cache_creation.input_tokens");
  k->reasoning = OTEL_SOURCE("gen_ai.usage.reasoning.output_tokens");
#undef OTEL_SOURCE
  k->cache_inside = k->reasoning_inside = 1;
  return 1;
}

static void anthropic_counts(const JsonValue *u, Counts *k) {
  k->in = src(u, "input_tokens");
  k->cache_read = src(u, "cache_read_input_tokens");
  k->cache_write = src(u, "cache_creation_input_tokens");
  k->out = src(u, "output_tokens");
}

/* The dialect of a usage object by its keys, and its counts; `root` tells
** the wrappers apart (LiteLLM's spend). USAGE_NONE when unrecognized. */
static UsageDialect classify(const JsonValue *root, const JsonValue *u, Counts *k) {
  if (has(u, "prompt_tokens") || has(u, "completion_tokens")) {
    k->in = src(u, "prompt_tokens");
    k->cache_read = src(u, "prompt_tokens_details.cached_tokens");
    k->cache_write = src(u, "prompt_tokens_details.cache_write_tokens");
    k->out = src(u, "completion_tokens");
    k->reasoning = src(u, "completion_tokens_details.reasoning_tokens");
    k->cache_inside = k->reasoning_inside = 1;
    if (has(root, "spend")) return USAGE_LITELLM;
    return has(u, "cost") ? USAGE_OPENROUTER : USAGE_OPENAI_CHAT;
  }
  if (has(u, "input_tokens") || has(u, "output_tokens")) {
    if (has(u, "cache_creation_input_tokens") || has(u, "cache_read_input_tokens")) {
      anthropic_counts(u, k);
      return USAGE_ANTHROPIC;
    }
    k->in = src(u, "input_tokens");
    k->out = src(u, "output_tokens");
    if (has(u, "input_tokens_details") || has(u, "output_tokens_details")) {
      k->cache_read = src(u, "input_tokens_details.cached_tokens");
      k->reasoning = src(u, "output_tokens_details.reasoning_tokens");
      k->cache_inside = k->reasoning_inside = 1;
      return USAGE_OPENAI_RESPONSES;
    }
    return USAGE_GENERIC;
  }
  if (has(u, "inputTokens") || has(u, "outputTokens")) {
    k->in = src(u, "inputTokens");
    k->cache_read = src(u, "cacheReadInputTokens");
    k->cache_write = src(u, "cacheWriteInputTokens");
    k->out = src(u, "outputTokens");
    return USAGE_BEDROCK;
  }
  if (has(u, "promptTokenCount") || has(u, "candidatesTokenCount")) {
    k->in = src(u, "promptTokenCount");
    k->in_extra = src(u, "toolUsePromptTokenCount");
    k->cache_read = src(u, "cachedContentTokenCount");
    k->out = src(u, "candidatesTokenCount");
    k->reasoning = src(u, "thoughtsTokenCount");
    k->cache_inside = 1; /* thoughts are counted apart from candidates */
    return USAGE_GEMINI;
  }
  return USAGE_NONE;
}

static UsageDialect detect(const JsonValue *root, const Otel *o, Counts *k) {
  const JsonValue *msg, *u;
  if (otel_counts(o, k)) return USAGE_OTEL;
  if ((msg = object_at(root, "message")) && (u = object_at(msg, "usage"))) {
    anthropic_counts(u, k);
    return has(root, "costUSD") || has(root, "sessionId") ? USAGE_CLAUDE_CODE
                                                          : USAGE_ANTHROPIC;
  }
  if ((u = object_at(root, "usage")) || (u = object_at(root, "response.usage")) ||
      (u = object_at(root, "response.body.usage")) ||
      (u = object_at(root, "usageMetadata")))
    return classify(root, u, k);
  /* LiteLLM spend logs keep the counts at the top level. */
  return classify(root, root, k);
}

/* ------------------------------------------------------------ the rest */

/* An instant from a string (ISO or epoch digits) or a number (epoch). */
static int read_time(Ctx *c, const JsonValue *v, TlTime *t) {
  if ((v->type == JSON_STRING || v->type == JSON_NUMBER) &&
      tl_time_parse(v->text, v->len, t) == 0)
    return 0;
  if (v->type == JSON_STRING)
    flag(c, v, "unrecognized timestamp \"%.60s\" (expected ISO-8601 or epoch "
               "s/ms/us/ns)", v->text);
  else
    flag(c, v, "expected a timestamp for %.60s", v->key ? v->key : "time");
  return -1;
}

static void read_ts(Ctx *c) {
  static const char *const paths[] = {
      "timestamp", "ts", "time", "@timestamp", "startTime", "start_time",
      "startTimeUnixNano", "timeUnixNano", "created_at", "created",
      "response.created_at", NULL};
  for (const char *const *p = paths; *p; p++) {
    const JsonValue *v = at(c->root, *p);
    TlTime t;
    if (!v) continue;
    if (read_time(c, v, &t) == 0) {
      if (tl_time_format(t, c->rec->ts) == 0) c->rec->has_ts = 1;
      else flag(c, v, "timestamp %.60s is outside the years 0000-9999", v->text);
    }
    return;
  }
}

/* A JSON number as a double, or -1 when the double would misstate it:
** infinite (1e400), or 0 for a literal that is not zero (1e-400). */
static int read_real(const JsonValue *v, double *out) {
  double d = json_number(v);
  if (!isfinite(d)) return -1;
  if (d == 0) {
    for (uint32_t i = 0; i < v->len && v->text[i] != 'e' && v->text[i] != 'E'; i++) {
      if (v->text[i] >= '1' && v->text[i] <= '9') return -1;
    }
  }
  *out = d;
  return 0;
}

static void read_latency(Ctx *c) {
  static const char *const direct[] = {"latency_ms", "latencyMs", "duration_ms",
                                       "durationMs", NULL};
  static const char *const pairs[][2] = {{"startTimeUnixNano", "endTimeUnixNano"},
                                         {"startTime", "endTime"},
                                         {"start_time", "end_time"}};
  for (const char *const *p = direct; *p; p++) {
    const JsonValue *v = at(c->root, *p);
    if (!v) continue;
    if (v->type == JSON_NUMBER) {
      if (read_real(v, &c->rec->latency_ms) == 0) c->rec->has_latency = 1;
      else flag(c, v, "%s %s is out of the range of a double", *p, v->text);
    } else {
      flag(c, v, "expected a number of milliseconds for %s", *p);
    }
    return;
  }
  for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
    const JsonValue *a = at(c->root, pairs[i][0]), *b = at(c->root, pairs[i][1]);
    TlTime ta, tb;
    if (!a || !b) continue;
    if (read_time(c, a, &ta) == 0 && read_time(c, b, &tb) == 0) {
      c->rec->latency_ms = tl_time_diff_ms(ta, tb);
      c->rec->has_latency = 1;
      if (c->rec->latency_ms < 0)
        flag(c, b, "%s is before %s", pairs[i][1], pairs[i][0]);
    }
    return;
  }
}

static void read_cost(Ctx *c, const JsonValue *usage_obj) {
  static const char *const paths[] = {"costUSD", "spend", "response_cost",
                                      "cost_usd", "total_cost", "cost", NULL};
  const JsonValue *v = usage_obj ? at(usage_obj, "cost") : NULL;
  for (const char *const *p = paths; !v && *p; p++) v = at(c->root, *p);
  if (!v) return;
  if (v->type != JSON_NUMBER) {
    flag(c, v, "expected a number for the cost %.60s", v->key ? v->key : "");
    return;
  }
  if (read_real(v, &c->rec->cost) != 0) {
    flag(c, v, "cost %s is out of the range of a double", v->text);
    return;
  }
  c->rec->has_cost = 1;
  if (c->rec->cost < 0) flag(c, v, "negative cost %s", v->text);
}

static void read_status(Ctx *c, const Otel *o) {
  static const char *const paths[] = {"status", "status_code", "statusCode", NULL};
  const JsonValue *v = NULL;
  for (const char *const *p = paths; !v && *p; p++) v = at(c->root, *p);
  if (!v) v = otel(o, "http.response.status_code");
  if (v && v->type == JSON_OBJECT) {
    const JsonValue *code = at(v, "code");
    v = code ? code : at(v, "status_code");
  }
  c->rec->status = text_of(v);
}

void usage_normalize(const char *name, uint64_t line, const JsonValue *root,
                     UsageRecord *rec) {
  static const char *const provider_otel[] = {"gen_ai.provider.name",
                                              "gen_ai.system", NULL};
  static const char *const provider_paths[] = {"provider", "custom_llm_provider",
                                               "provider_name", NULL};
  static const char *const model_otel[] = {"gen_ai.response.model",
                                           "gen_ai.request.model", NULL};
  static const char *const model_paths[] = {"model", "message.model",
                                            "response.model", "modelVersion", NULL};
  static const char *const id_paths[] = {"request_id", "requestId", NULL};
  static const char *const id_otel[] = {"gen_ai.response.id", NULL};
  static const char *const id_more[] = {"id", "response.id", "message.id",
                                        "responseId", NULL};
  Ctx c = {name, line, root, rec};
  Counts k;
  Otel o;
  const JsonValue *usage_obj;

  rec->dialect = USAGE_NONE;
  rec->known = 0;
  if (root->type != JSON_OBJECT) {
    flag(&c, root, "expected a JSON object per line, found %s",
         root->type == JSON_ARRAY ? "an array" : "a scalar");
    return;
  }
  memset(&k, 0, sizeof k);
  o = otel_of(root);
  rec->dialect = detect(root, &o, &k);
  if (rec->dialect == USAGE_NONE) {
    flag(&c, NULL, "no token usage found (expected usage, message.usage, "
                   "usageMetadata or gen_ai.usage.* attributes)");
  } else {
    derive(&c, &k);
  }

  rec->provider = first_otel_text(&o, provider_otel);
  if (!rec->provider.p) rec->provider = first_text(root, provider_paths);
  if (!rec->provider.p && rec->dialect == USAGE_CLAUDE_CODE)
    rec->provider = (UsageText){"anthropic", 9};
  rec->model = first_otel_text(&o, model_otel);
  if (!rec->model.p) rec->model = first_text(root, model_paths);
  rec->request_id = first_text(root, id_paths);
  if (!rec->request_id.p) rec->request_id = first_otel_text(&o, id_otel);
  if (!rec->request_id.p) rec->request_id = first_text(root, id_more);

  usage_obj = object_at(root, "usage");
  read_cost(&c, usage_obj);
  read_ts(&c);
  read_latency(&c);
  read_status(&c, &o);
}

/* ------------------------------------------------------------ the stream */

struct UsageStream {
  JsonlReader *lines;
  size_t max_line;
  JsonArena arena;
  char *name;
  char json_error[USAGE_ERROR_SIZE];
};

static UsageStream *stream_new(const char *name, JsonlReader *lines,
                               size_t max_line) {
  size_t n = strlen(name);
  UsageStream *s = tl_malloc(sizeof *s);
  if (s) {
    memset(s, 0, sizeof *s);
    s->name = tl_malloc(n + 1);
  }
  if (!s || !s->name) {
    if (s) tl_free(s);
    jsonl_close(lines);
    return NULL;
  }
  memcpy(s->name, name, n + 1);
  s->lines = lines;
  s->max_line = max_line ? max_line : JSONL_MAX_LINE;
  return s;
}

int usage_stream_open_file(const char *path, size_t max_line, UsageStream **out,
                           const char **err) {
  JsonlReader *lines;
  int rc = jsonl_open_file(path, max_line, &lines, err);
  *out = NULL;
  if (rc != 0) return rc == JSONL_NOMEM ? USAGE_NOMEM : USAGE_ERROR;
  *out = stream_new(path, lines, max_line);
  return *out ? 0 : USAGE_NOMEM;
}

UsageStream *usage_stream_open_memory(const char *name, const char *buf,
                                      size_t n, size_t max_line) {
  JsonlReader *lines = jsonl_open_memory(buf, n, max_line);
  return lines ? stream_new(name, lines, max_line) : NULL;
}

void usage_stream_close(UsageStream *s) {
  if (!s) return;
  jsonl_close(s->lines);
  json_arena_free(&s->arena);
  tl_free(s->name);
  tl_free(s);
}

const char *usage_stream_error(const UsageStream *s) {
  return jsonl_error(s->lines);
}

static int is_blank(const char *p, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r') return 0;
  }
  return 1;
}

/* A JSON error for the line: json_parse reports "NAME:1:COL: message" about
** the line alone (we pass an empty NAME); put the file and line in front. */
static void json_error(UsageStream *s, UsageRecord *rec) {
  unsigned jline = 0, col = 0;
  int used = 0;
  if (sscanf(s->json_error, ":%u:%u: %n", &jline, &col, &used) >= 2 && used > 0) {
    format_into(rec->error, sizeof rec->error, "%s:%llu:%u: %s", s->name,
             (unsigned long long)rec->line, col, s->json_error + used);
  } else {
    format_into(rec->error, sizeof rec->error, "%s:%llu: %s", s->name,
             (unsigned long long)rec->line, s->json_error);
  }
}

int usage_stream_next(UsageStream *s, UsageRecord *rec) {
  JsonlLine line;
  JsonValue *root;
  int rc = jsonl_next(s->lines, &line);
  if (rc == JSONL_NOMEM) return USAGE_NOMEM;
  if (rc < 0) return USAGE_ERROR;
  if (rc == 0) return 0;

  memset(rec, 0, sizeof *rec);
  rec->line = line.number;
  rec->raw = (UsageText){line.text, line.len};
  json_arena_reset(&s->arena);
  if (line.too_long) {
    format_into(rec->error, sizeof rec->error,
             "%s:%llu: line of %zu bytes is longer than the %zu-byte limit",
             s->name, (unsigned long long)rec->line, line.len, s->max_line);
  } else if (is_blank(line.text, line.len)) {
    format_into(rec->error, sizeof rec->error, "%s:%llu: blank line", s->name,
             (unsigned long long)rec->line);
  } else if ((rc = json_parse("", line.text, line.len, &s->arena, &root, s->json_error,
                               sizeof s->json_error)) != 0) {
    if (rc == JSON_NOMEM) return USAGE_NOMEM; /* never a row: it is not the line's fault */
    json_error(s, rec);
  } else {
    usage_normalize(s->name, rec->line, root, rec);
  }
  return 1;
}
