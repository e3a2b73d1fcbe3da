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
** dialect (I = reported input total, O = reported output total; the
** modalities, below, come out of I and O too):
**
**   dialect           detected by                         input        output
**   openai_chat       usage.prompt_tokens|completion_...  I - R - W    O - Z
**   openrouter        the same, with usage.cost           I - R - W    O - Z
**   litellm           top-level prompt_tokens + spend     I - R - W    O - Z
**   openai_responses  usage.input_tokens + *_details      I - R - W    O - Z
**   openai_realtime   usage.input_tokens + *_token_details I - R        O
**   otel_genai        gen_ai.usage.input|output_tokens    I - R - W    O - Z
**   gemini            usageMetadata.promptTokenCount      I + T - R    O (Z apart)
**   anthropic         usage.input_tokens + cache_*_input  I            O
**   claude_code       message.usage (+costUSD/sessionId)  I            O
**   bedrock           usage.inputTokens (Converse)        I            O
**   generic           bare input_tokens/output_tokens     I            O
**
**   R (cache read):  prompt_tokens_details.cached_tokens (OpenAI, OpenRouter),
**                    input_tokens_details.cached_tokens (Responses),
**                    input_token_details.cached_tokens (Realtime),
**                    cache_read_input_tokens (Anthropic, Claude Code),
**                    gen_ai.usage.cache_read.input_tokens (OTel),
**                    cacheReadInputTokens (Bedrock),
**                    cachedContentTokenCount (Gemini)
**   W (cache write): prompt_tokens_details.cache_write_tokens (OpenRouter),
**                    input_tokens_details.cache_write_tokens (Responses),
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
** THE OTHER UNITS. Columns after `raw`; each is NULL when the record does
** not say, 0 when it says 0. The modalities are counted inside the totals by
** every dialect that reports them, so they are taken out of input_tokens and
** output_tokens like the cache and the reasoning, and every token is still
** counted once: input + cache_read + cache_write + audio_in + image_in +
** video_in is the input total, output + reasoning + audio_out + image_out +
** video_out the output total (Gemini: plus its tool prompts, and thoughts
** apart, as above).
**
**   audio_input_tokens   prompt_tokens_details.audio_tokens (OpenAI chat,
**                        OpenRouter, LiteLLM), input_tokens_details.
**                        audio_tokens (Responses), Gemini AUDIO (below)
**                        input_token_details.audio_tokens (Realtime, less
**                        its cached_tokens_details.audio_tokens)
**   audio_output_tokens  completion_tokens_details.audio_tokens, output_
**                        tokens_details.audio_tokens, output_token_details.
**                        audio_tokens (Realtime), Gemini AUDIO
**   image_input_tokens   prompt_tokens_details.image_tokens, input_tokens_
**                        details.image_tokens (gpt-image-1), input_token_
**                        details.image_tokens (Realtime, less its cached
**                        part), Gemini IMAGE
**                        and DOCUMENT (PDF pages are images to Gemini;
**                        genai-prices bills them so)
**   image_output_tokens  completion_tokens_details.image_tokens (OpenRouter),
**                        output_tokens_details.image_tokens, Gemini IMAGE
**   video_input_tokens   prompt_tokens_details.video_tokens (OpenRouter),
**                        Gemini VIDEO
**   video_output_tokens  Gemini VIDEO (candidatesTokensDetails)
**
** Audio, image and video inputs are the uncached ones: a cached token is a
** cache read whatever its modality (cached audio is also counted apart,
** cache_read_audio_tokens below, for the price lists that bill it apart).
** OpenAI and OpenRouter do not say which modality their cached tokens
** were, so they are taken as text (OpenAI's
** Realtime API does say: its cached audio and image tokens, input_token_
** details.cached_tokens_details, are cache reads, taken out of the modality,
** as Gemini's below): input =
** prompt - cached - cache writes - audio - image - video, and more of them
** than the prompt is flagged ("X + Y exceeds prompt_tokens N").
** Gemini lists each total by modality, [{modality, tokenCount}]:
** promptTokensDetails and toolUsePromptTokensDetails (the input),
** cacheTokensDetails (the cached part), candidatesTokensDetails (the
** output). A modality's uncached input is prompt + tool - cached of it (a
** cached count above it is flagged); input = prompt + tool - cached - the
** three. When a list is there, the modalities it does not name are 0 (a
** missing tokenCount is 0, as Gemini omits zeros); without it they are NULL.
** Example (Gemini): prompt 4610 = VIDEO 3096 + TEXT 14 + AUDIO 1500, tool
** 40 TEXT, cached 1200 = VIDEO 1000 + AUDIO 200 gives video 2096, audio
** 1300, cache_read 1200, input 54.
** Anthropic, Claude Code, Bedrock and OpenTelemetry report no modalities.
**
**   cache_write_5m_tokens, cache_write_1h_tokens  the cache writes by time
**                        to live: usage.cache_creation.ephemeral_5m_input_
**                        tokens / ephemeral_1h_input_tokens (Anthropic,
**                        Claude Code); Bedrock usage.cacheDetails [{inputTokens,
**                        ttl: "5m"|"1h"}] (the list names both: a ttl not
**                        listed is 0; another ttl is flagged)
** They are a breakdown of cache_write_tokens, which stays the total written:
** 5m + 1h must equal it (one of them alone must not exceed it), else the
** record is flagged ("... do not add up to cache_creation_input_tokens N")
** and both are NULL. Without a total, cache_write_tokens is their sum.
**
**   cache_read_audio_tokens  the cache reads that were audio: Gemini
**                        cacheTokensDetails AUDIO (0 when the list names no
**                        AUDIO), Realtime input_token_details.cached_tokens_
**                        details.audio_tokens; NULL otherwise (OpenAI chat,
**                        OpenRouter and Responses do not say, Anthropic, Bedrock
**                        and OpenTelemetry report no modalities)
** A breakdown of cache_read_tokens, which stays the total read, as the split
** of the writes is of cache_write_tokens: more of it than the cache reads
** (absent: 0) is flagged ("cacheTokensDetails AUDIO N exceeds
** cachedContentTokenCount M") and it is NULL. Example (Gemini, above): cached
** 1200 = VIDEO 1000 + AUDIO 200 gives cache_read 1200, cache_read_audio 200.
**
**   web_search_requests  usage.server_tool_use.web_search_requests
**                        (Anthropic, Claude Code, and OpenAI-shaped usage
**                        that carries it), usage.num_search_queries
**                        (Perplexity); requests, not tokens. OpenAI's
**                        Responses API counts searches only as output items,
**                        which are not read.
**   service_tier         as written: the usage object's service_tier
**                        (Anthropic "standard"/"priority"/"batch", Claude
**                        Code) or serviceTier (Gemini), else the body's
**                        service_tier (OpenAI chat and Responses: "default",
**                        "flex", "priority", "scale"), else response.
**                        service_tier (Responses stream events), else the
**                        OpenTelemetry attribute openai.response.service_tier
**                        (or gen_ai.openai.response.service_tier); a value
**                        that is not a string is flagged.
** Counts of these units are checked like the buckets' (negative,
** fractional, too large, not a number: flagged, NULL).
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
**                response.created_at; see ext/core/timestamp.h for the forms
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
**
** HOW A LINE IS READ. One pass builds the line's tree, with only the members
** something reads (usage_key_wanted: a key below, or an OpenTelemetry
** attribute): message content, tool calls and metadata are checked as JSON
** and skipped. Usually that pass is quick_parse, made for a line in memory:
** numbers and plain strings point into the line, positions are offsets. It
** gives up on anything unusual (an escaped key or kept string, a byte order
** mark, a root that is not an object, deep nesting) and on every JSON error,
** which json_parse then reads and explains; a record with any problem is
** normalized again from json_parse's tree, so every message comes from one
** place. Then one pass over the top-level members files each under its
** name (root_key), the dialect is decided once from which are present, and
** one pass per level of the usage object picks its counts (pick). Times are
** parsed only when the caller wants them (USAGE_SKIP_TIME: the table knows
** the columns a statement reads).
*/
#include "usage.h"

#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "jsonl.h"
#include "tl_alloc.h"

const char *usage_dialect_name(UsageDialect d) {
  static const char *const names[] = {
      NULL,         "openai_chat", "openai_responses", "openrouter",
      "litellm",    "anthropic",   "claude_code",      "bedrock",
      "gemini",     "otel_genai",  "generic",          "openai_realtime"};
  return (size_t)d < sizeof names / sizeof names[0] ? names[d] : NULL;
}

/* ------------------------------------------------------------ lookups */

/* The top-level members read, by name (RK_*), and every key read anywhere
** (known_key, the filter of json_parse_sparse). Both are switches on the
** length, then memcmp: a member costs one or two comparisons. A new field is
** a line in each list. */
enum RootKey {
  RK_USAGE, /* usage */
  RK_MESSAGE, /* message */
  RK_RESPONSE, /* response */
  RK_USAGE_METADATA, /* usageMetadata */
  RK_ATTRIBUTES, /* attributes */
  RK_COST_USD_CC, /* costUSD */
  RK_SESSION_ID, /* sessionId */
  RK_SPEND, /* spend */
  RK_PROMPT_TOKENS, /* prompt_tokens */
  RK_COMPLETION_TOKENS, /* completion_tokens */
  RK_INPUT_TOKENS, /* input_tokens */
  RK_OUTPUT_TOKENS, /* output_tokens */
  RK_INPUT_TOKENS_B, /* inputTokens */
  RK_OUTPUT_TOKENS_B, /* outputTokens */
  RK_PROMPT_TOKEN_COUNT, /* promptTokenCount */
  RK_CANDIDATES_TOKEN_COUNT, /* candidatesTokenCount */
  RK_PROVIDER, /* provider */
  RK_CUSTOM_LLM_PROVIDER, /* custom_llm_provider */
  RK_PROVIDER_NAME, /* provider_name */
  RK_MODEL, /* model */
  RK_MODEL_VERSION, /* modelVersion */
  RK_REQUEST_ID, /* request_id */
  RK_REQUEST_ID_C, /* requestId */
  RK_ID, /* id */
  RK_RESPONSE_ID, /* responseId */
  RK_TIMESTAMP, /* timestamp */
  RK_TS, /* ts */
  RK_TIME, /* time */
  RK_AT_TIMESTAMP, /* @timestamp */
  RK_START_TIME_C, /* startTime */
  RK_START_TIME, /* start_time */
  RK_START_TIME_NANO, /* startTimeUnixNano */
  RK_TIME_NANO, /* timeUnixNano */
  RK_CREATED_AT, /* created_at */
  RK_CREATED, /* created */
  RK_END_TIME_NANO, /* endTimeUnixNano */
  RK_END_TIME_C, /* endTime */
  RK_END_TIME, /* end_time */
  RK_LATENCY_MS, /* latency_ms */
  RK_LATENCY_MS_C, /* latencyMs */
  RK_DURATION_MS, /* duration_ms */
  RK_DURATION_MS_C, /* durationMs */
  RK_RESPONSE_COST, /* response_cost */
  RK_COST_USD, /* cost_usd */
  RK_TOTAL_COST, /* total_cost */
  RK_COST, /* cost */
  RK_STATUS, /* status */
  RK_STATUS_CODE, /* status_code */
  RK_STATUS_CODE_C, /* statusCode */
  RK_SERVICE_TIER, /* service_tier */
  RK_COUNT
};
_Static_assert(RK_COUNT <= 64, "Ctx.rk_seen has a bit per top-level name");

static int root_key(const char *k, size_t n) {
  switch (n) {
    case 2:
      if (memcmp(k, "id", 2) == 0) return RK_ID;
      if (memcmp(k, "ts", 2) == 0) return RK_TS;
      break;
    case 4:
      if (memcmp(k, "time", 4) == 0) return RK_TIME;
      if (memcmp(k, "cost", 4) == 0) return RK_COST;
      break;
    case 5:
      if (memcmp(k, "usage", 5) == 0) return RK_USAGE;
      if (memcmp(k, "spend", 5) == 0) return RK_SPEND;
      if (memcmp(k, "model", 5) == 0) return RK_MODEL;
      break;
    case 6:
      if (memcmp(k, "status", 6) == 0) return RK_STATUS;
      break;
    case 7:
      if (memcmp(k, "message", 7) == 0) return RK_MESSAGE;
      if (memcmp(k, "costUSD", 7) == 0) return RK_COST_USD_CC;
      if (memcmp(k, "created", 7) == 0) return RK_CREATED;
      if (memcmp(k, "endTime", 7) == 0) return RK_END_TIME_C;
      break;
    case 8:
      if (memcmp(k, "response", 8) == 0) return RK_RESPONSE;
      if (memcmp(k, "provider", 8) == 0) return RK_PROVIDER;
      if (memcmp(k, "end_time", 8) == 0) return RK_END_TIME;
      if (memcmp(k, "cost_usd", 8) == 0) return RK_COST_USD;
      break;
    case 9:
      if (memcmp(k, "sessionId", 9) == 0) return RK_SESSION_ID;
      if (memcmp(k, "requestId", 9) == 0) return RK_REQUEST_ID_C;
      if (memcmp(k, "timestamp", 9) == 0) return RK_TIMESTAMP;
      if (memcmp(k, "startTime", 9) == 0) return RK_START_TIME_C;
      if (memcmp(k, "latencyMs", 9) == 0) return RK_LATENCY_MS_C;
      break;
    case 10:
      if (memcmp(k, "attributes", 10) == 0) return RK_ATTRIBUTES;
      if (memcmp(k, "request_id", 10) == 0) return RK_REQUEST_ID;
      if (memcmp(k, "responseId", 10) == 0) return RK_RESPONSE_ID;
      if (memcmp(k, "@timestamp", 10) == 0) return RK_AT_TIMESTAMP;
      if (memcmp(k, "start_time", 10) == 0) return RK_START_TIME;
      if (memcmp(k, "created_at", 10) == 0) return RK_CREATED_AT;
      if (memcmp(k, "latency_ms", 10) == 0) return RK_LATENCY_MS;
      if (memcmp(k, "durationMs", 10) == 0) return RK_DURATION_MS_C;
      if (memcmp(k, "total_cost", 10) == 0) return RK_TOTAL_COST;
      if (memcmp(k, "statusCode", 10) == 0) return RK_STATUS_CODE_C;
      break;
    case 11:
      if (memcmp(k, "inputTokens", 11) == 0) return RK_INPUT_TOKENS_B;
      if (memcmp(k, "duration_ms", 11) == 0) return RK_DURATION_MS;
      if (memcmp(k, "status_code", 11) == 0) return RK_STATUS_CODE;
      break;
    case 12:
      if (memcmp(k, "input_tokens", 12) == 0) return RK_INPUT_TOKENS;
      if (memcmp(k, "outputTokens", 12) == 0) return RK_OUTPUT_TOKENS_B;
      if (memcmp(k, "modelVersion", 12) == 0) return RK_MODEL_VERSION;
      if (memcmp(k, "timeUnixNano", 12) == 0) return RK_TIME_NANO;
      if (memcmp(k, "service_tier", 12) == 0) return RK_SERVICE_TIER;
      break;
    case 13:
      if (memcmp(k, "usageMetadata", 13) == 0) return RK_USAGE_METADATA;
      if (memcmp(k, "prompt_tokens", 13) == 0) return RK_PROMPT_TOKENS;
      if (memcmp(k, "output_tokens", 13) == 0) return RK_OUTPUT_TOKENS;
      if (memcmp(k, "provider_name", 13) == 0) return RK_PROVIDER_NAME;
      if (memcmp(k, "response_cost", 13) == 0) return RK_RESPONSE_COST;
      break;
    case 15:
      if (memcmp(k, "endTimeUnixNano", 15) == 0) return RK_END_TIME_NANO;
      break;
    case 16:
      if (memcmp(k, "promptTokenCount", 16) == 0) return RK_PROMPT_TOKEN_COUNT;
      break;
    case 17:
      if (memcmp(k, "completion_tokens", 17) == 0) return RK_COMPLETION_TOKENS;
      if (memcmp(k, "startTimeUnixNano", 17) == 0) return RK_START_TIME_NANO;
      break;
    case 19:
      if (memcmp(k, "custom_llm_provider", 19) == 0) return RK_CUSTOM_LLM_PROVIDER;
      break;
    case 20:
      if (memcmp(k, "candidatesTokenCount", 20) == 0) return RK_CANDIDATES_TOKEN_COUNT;
      break;
    default:
      break;
  }
  return -1;
}

static int known_key(const char *k, size_t n) {
  switch (n) {
    case 2:
      if (memcmp(k, "id", 2) == 0) return 1;
      if (memcmp(k, "ts", 2) == 0) return 1;
      break;
    case 3:
      if (memcmp(k, "key", 3) == 0) return 1;
      break;
    case 4:
      if (memcmp(k, "body", 4) == 0) return 1;
      if (memcmp(k, "code", 4) == 0) return 1;
      if (memcmp(k, "cost", 4) == 0) return 1;
      if (memcmp(k, "time", 4) == 0) return 1;
      break;
    case 5:
      if (memcmp(k, "model", 5) == 0) return 1;
      if (memcmp(k, "spend", 5) == 0) return 1;
      if (memcmp(k, "usage", 5) == 0) return 1;
      if (memcmp(k, "value", 5) == 0) return 1;
      break;
    case 6:
      if (memcmp(k, "status", 6) == 0) return 1;
      break;
    case 7:
      if (memcmp(k, "costUSD", 7) == 0) return 1;
      if (memcmp(k, "created", 7) == 0) return 1;
      if (memcmp(k, "endTime", 7) == 0) return 1;
      if (memcmp(k, "message", 7) == 0) return 1;
      break;
    case 8:
      if (memcmp(k, "cost_usd", 8) == 0) return 1;
      if (memcmp(k, "end_time", 8) == 0) return 1;
      if (memcmp(k, "provider", 8) == 0) return 1;
      if (memcmp(k, "response", 8) == 0) return 1;
      break;
    case 9:
      if (memcmp(k, "latencyMs", 9) == 0) return 1;
      if (memcmp(k, "requestId", 9) == 0) return 1;
      if (memcmp(k, "sessionId", 9) == 0) return 1;
      if (memcmp(k, "startTime", 9) == 0) return 1;
      if (memcmp(k, "timestamp", 9) == 0) return 1;
      break;
    case 10:
      if (memcmp(k, "@timestamp", 10) == 0) return 1;
      if (memcmp(k, "attributes", 10) == 0) return 1;
      if (memcmp(k, "created_at", 10) == 0) return 1;
      if (memcmp(k, "durationMs", 10) == 0) return 1;
      if (memcmp(k, "latency_ms", 10) == 0) return 1;
      if (memcmp(k, "request_id", 10) == 0) return 1;
      if (memcmp(k, "responseId", 10) == 0) return 1;
      if (memcmp(k, "start_time", 10) == 0) return 1;
      if (memcmp(k, "statusCode", 10) == 0) return 1;
      if (memcmp(k, "total_cost", 10) == 0) return 1;
      break;
    case 11:
      if (memcmp(k, "duration_ms", 11) == 0) return 1;
      if (memcmp(k, "inputTokens", 11) == 0) return 1;
      if (memcmp(k, "serviceTier", 11) == 0) return 1;
      if (memcmp(k, "status_code", 11) == 0) return 1;
      break;
    case 12:
      if (memcmp(k, "audio_tokens", 12) == 0) return 1;
      if (memcmp(k, "cacheDetails", 12) == 0) return 1;
      if (memcmp(k, "image_tokens", 12) == 0) return 1;
      if (memcmp(k, "input_tokens", 12) == 0) return 1;
      if (memcmp(k, "modelVersion", 12) == 0) return 1;
      if (memcmp(k, "outputTokens", 12) == 0) return 1;
      if (memcmp(k, "service_tier", 12) == 0) return 1;
      if (memcmp(k, "timeUnixNano", 12) == 0) return 1;
      if (memcmp(k, "video_tokens", 12) == 0) return 1;
      break;
    case 13:
      if (memcmp(k, "cached_tokens", 13) == 0) return 1;
      if (memcmp(k, "output_tokens", 13) == 0) return 1;
      if (memcmp(k, "prompt_tokens", 13) == 0) return 1;
      if (memcmp(k, "provider_name", 13) == 0) return 1;
      if (memcmp(k, "response_cost", 13) == 0) return 1;
      if (memcmp(k, "usageMetadata", 13) == 0) return 1;
      break;
    case 14:
      if (memcmp(k, "cache_creation", 14) == 0) return 1;
      break;
    case 15:
      if (memcmp(k, "endTimeUnixNano", 15) == 0) return 1;
      if (memcmp(k, "server_tool_use", 15) == 0) return 1;
      break;
    case 16:
      if (memcmp(k, "promptTokenCount", 16) == 0) return 1;
      if (memcmp(k, "reasoning_tokens", 16) == 0) return 1;
      break;
    case 17:
      if (memcmp(k, "completion_tokens", 17) == 0) return 1;
      if (memcmp(k, "startTimeUnixNano", 17) == 0) return 1;
      break;
    case 18:
      if (memcmp(k, "cacheTokensDetails", 18) == 0) return 1;
      if (memcmp(k, "cache_write_tokens", 18) == 0) return 1;
      if (memcmp(k, "num_search_queries", 18) == 0) return 1;
      if (memcmp(k, "thoughtsTokenCount", 18) == 0) return 1;
      break;
    case 19:
      if (memcmp(k, "input_token_details", 19) == 0) return 1;
      if (memcmp(k, "custom_llm_provider", 19) == 0) return 1;
      if (memcmp(k, "promptTokensDetails", 19) == 0) return 1;
      if (memcmp(k, "web_search_requests", 19) == 0) return 1;
      break;
    case 20:
      if (memcmp(k, "output_token_details", 20) == 0) return 1;
      if (memcmp(k, "cacheReadInputTokens", 20) == 0) return 1;
      if (memcmp(k, "candidatesTokenCount", 20) == 0) return 1;
      if (memcmp(k, "input_tokens_details", 20) == 0) return 1;
      break;
    case 21:
      if (memcmp(k, "cached_tokens_details", 21) == 0) return 1;
      if (memcmp(k, "cacheWriteInputTokens", 21) == 0) return 1;
      if (memcmp(k, "output_tokens_details", 21) == 0) return 1;
      if (memcmp(k, "prompt_tokens_details", 21) == 0) return 1;
      break;
    case 23:
      if (memcmp(k, "cache_read_input_tokens", 23) == 0) return 1;
      if (memcmp(k, "cachedContentTokenCount", 23) == 0) return 1;
      if (memcmp(k, "candidatesTokensDetails", 23) == 0) return 1;
      if (memcmp(k, "toolUsePromptTokenCount", 23) == 0) return 1;
      break;
    case 25:
      if (memcmp(k, "completion_tokens_details", 25) == 0) return 1;
      if (memcmp(k, "ephemeral_1h_input_tokens", 25) == 0) return 1;
      if (memcmp(k, "ephemeral_5m_input_tokens", 25) == 0) return 1;
      if (memcmp(k, "http.response.status_code", 25) == 0) return 1;
      break;
    case 26:
      if (memcmp(k, "toolUsePromptTokensDetails", 26) == 0) return 1;
      break;
    case 27:
      if (memcmp(k, "cache_creation_input_tokens", 27) == 0) return 1;
      break;
    case 28:
      if (memcmp(k, "openai.response.service_tier", 28) == 0) return 1;
      break;
    default:
      break;
  }
  return -1;
}

/* A member worth building into the line's tree: a key read somewhere, or an
** OpenTelemetry attribute (any "gen_ai." name). Everything else (message
** content, tool calls, metadata) is validated and skipped. */
int usage_key_wanted(const char *key, size_t n) {
  return known_key(key, n) >= 0 || (n > 7 && memcmp(key, "gen_ai.", 7) == 0);
}

typedef struct Ctx {
  const char *name;
  uint64_t line;
  const JsonValue *root;
  UsageRecord *rec;
  /* The first top-level member of each name read (possibly JSON null),
  ** found in one pass over the members. */
  const JsonValue *rk[RK_COUNT];
  uint64_t rk_seen; /* bit k: rk[k] is set (the others are not cleared) */
  int has_gen_ai; /* a top-level key starts with "gen_ai." */
  /* The tree is quick_parse's, whose texts are not NUL-terminated: flag()
  ** only marks the record, which is then normalized again (see there). */
  int quick;
} Ctx;

static void scan_root(Ctx *c) {
  c->rk_seen = 0;
  c->has_gen_ai = 0;
  for (const JsonValue *m = c->root->child; m; m = m->next) {
    int k = root_key(m->key, m->key_len);
    if (k >= 0) {
      if (!(c->rk_seen & ((uint64_t)1 << k))) {
        c->rk_seen |= (uint64_t)1 << k;
        c->rk[k] = m;
      }
    } else if (m->key_len > 7 && memcmp(m->key, "gen_ai.", 7) == 0) {
      c->has_gen_ai = 1;
    }
  }
}

/* A top-level member by RK_* name, NULL when missing or JSON null. */
static int root_has(const Ctx *c, int k) {
  return (c->rk_seen >> k) & 1;
}

static const JsonValue *root_at(const Ctx *c, int k) {
  const JsonValue *v = root_has(c, k) ? c->rk[k] : NULL;
  return v && v->type != JSON_NULL ? v : NULL;
}

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
  if (c->quick) {
    c->rec->error[0] = '!';
    return;
  }
  va_start(ap, fmt);
  vsnprintf(message, sizeof message, fmt, ap);
  va_end(ap);
  format_into(c->rec->error, sizeof c->rec->error, "%s:%llu:%u: %s", c->name,
           (unsigned long long)c->line, at ? at->col : 1u, message);
}

/* The member `key` (n bytes) of obj, or NULL. Lengths are compared first. */
static const JsonValue *member(const JsonValue *obj, const char *key, size_t n) {
  if (!obj || obj->type != JSON_OBJECT) return NULL;
  for (const JsonValue *m = obj->child; m; m = m->next) {
    if (m->key_len == n && n > 0 && m->key[0] == key[0] && memcmp(m->key, key, n) == 0)
      return m;
  }
  return NULL;
}

/* The member `key` (a string literal) of obj, NULL when missing or null. */
#define GET(obj, key) get((obj), key, sizeof key - 1)
static const JsonValue *get(const JsonValue *obj, const char *key, size_t n) {
  const JsonValue *v = member(obj, key, n);
  return v && v->type != JSON_NULL ? v : NULL;
}

static const JsonValue *as_object(const JsonValue *v) {
  return v && v->type == JSON_OBJECT ? v : NULL;
}

/* Where a record keeps OpenTelemetry attributes: flat "gen_ai.*" keys at the
** top level, and/or an `attributes` object or list. Found once per record so
** that records without any cost nothing in the many otel() probes. */
typedef struct Otel {
  const JsonValue *root;  /* NULL when no top-level key starts with gen_ai. */
  const JsonValue *attrs; /* `attributes`, or NULL */
} Otel;

/* An OpenTelemetry attribute, in any of its three JSON forms (see top). */
static const JsonValue *otel(const Otel *o, const char *name) {
  size_t n;
  const JsonValue *v;
  if (!o->root && !o->attrs) return NULL;
  n = strlen(name);
  v = member(o->root, name, n);
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

/* A string (or number, as written), else absent. */
static UsageText text_of(const JsonValue *v) {
  UsageText t = {NULL, 0};
  if (v && (v->type == JSON_STRING || v->type == JSON_NUMBER)) {
    t.p = v->text;
    t.n = v->len;
  }
  return t;
}

/* The first text among top-level members `keys` (ended by -1). */
static UsageText first_root_text(const Ctx *c, const int *keys) {
  for (; *keys >= 0; keys++) {
    UsageText t = text_of(root_at(c, *keys));
    if (t.p) return t;
  }
  return (UsageText){NULL, 0};
}

static UsageText first_otel_text(const Otel *o, const char *const *names) {
  if (!o->root && !o->attrs) return (UsageText){NULL, 0};
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
  if (v->type == JSON_NUMBER && v->len <= 18 && v->text[0] != '-' &&
      parse_digits(v->text, v->len, out) == 0)
    return 1; /* plain digits, the usual count: no exponent, no fraction */
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
  flag(c, v, "%s is %s: expected a token count", label,
       v->type == JSON_STRING ? "a string" : v->type == JSON_OBJECT ? "an object"
       : v->type == JSON_ARRAY ? "an array" : "a boolean");
  return -1;
}

/* Where a dialect keeps its counts, and what its totals contain. */
typedef struct Source {
  const JsonValue *v;
  const char *label;
} Source;

typedef struct Counts {
  Source in, cache_read, cache_write, out, reasoning;
  Source in_extra;       /* input reported beside the input total (Gemini tools) */
  Source modal[6];       /* USAGE_AUDIO_INPUT .. USAGE_VIDEO_OUTPUT, inside the totals */
  Source modal_cached[6]; /* the cached part of a modal input (Realtime), a cache read */
  Source write_5m, write_1h, web_search;
  const JsonValue *gemini;        /* usageMetadata: modality lists */
  const JsonValue *bedrock_cache; /* usage.cacheDetails: [{inputTokens, ttl}] */
  const JsonValue *usage;         /* the usage object read */
  const JsonValue *tier;          /* its service_tier or serviceTier member */
  int cache_inside;      /* cache reads and writes are inside the input total */
  int reasoning_inside;  /* reasoning is inside the output total */
} Counts;

/* One count as read: rc 1 (v), 0 absent (v 0), -1 not a count (flagged). */
typedef struct Part {
  int rc;
  int64_t v;
  const JsonValue *at;
  const char *label;
} Part;

static Part part_of(Ctx *c, Source s) {
  Part p = {0, 0, s.v, s.label};
  p.rc = read_count(c, s.v, s.label, &p.v);
  if (p.rc <= 0) p.v = 0;
  return p;
}

/* total - the parts counted inside it, into *out: 1, or 0 when a part is
** not a count (already flagged) or the parts exceed the total (flagged here,
** naming the nonzero parts, at the first of them). */
static int subtract(Ctx *c, const Part *total, const Part *parts, int n, int64_t *out) {
  char what[USAGE_ERROR_SIZE];
  size_t len = 0;
  int64_t rest = total->v;
  int over = 0;
  const JsonValue *where = NULL;
  for (int i = 0; i < n; i++) {
    if (parts[i].rc < 0) return 0;
  }
  for (int i = 0; i < n; i++) {
    if (parts[i].v > rest) over = 1;
    else rest -= parts[i].v;
  }
  if (!over) {
    *out = rest;
    return 1;
  }
  what[0] = 0;
  for (int i = 0; i < n; i++) {
    if (!parts[i].v || len >= sizeof what) continue;
    len += (size_t)snprintf(what + len, sizeof what - len, "%s%s %lld", len ? " + " : "",
                            parts[i].label, (long long)parts[i].v);
    if (!where) where = parts[i].at;
  }
  flag(c, where, "%s exceeds %s %lld", what, total->label, (long long)total->v);
  return 0;
}

/* Gemini's modality lists, [{modality, tokenCount}], each a breakdown of one
** total: promptTokensDetails (+ toolUsePromptTokensDetails) of the input,
** cacheTokensDetails of the cached part, candidatesTokensDetails of the
** output. DOCUMENT is billed as image (PDF pages are images to Gemini, and
** genai-prices reads it so). TEXT and other modalities stay in input/output. */
enum { GEM_PROMPT, GEM_TOOL, GEM_CACHE, GEM_CANDIDATES, GEM_NLIST };

static int modality_of(const JsonValue *entry) {
  const JsonValue *m = GET(entry, "modality");
  if (!m || m->type != JSON_STRING) return -1;
  if (m->len == 5 && memcmp(m->text, "AUDIO", 5) == 0) return 0;
  if (m->len == 5 && memcmp(m->text, "IMAGE", 5) == 0) return 1;
  if (m->len == 8 && memcmp(m->text, "DOCUMENT", 8) == 0) return 1;
  if (m->len == 5 && memcmp(m->text, "VIDEO", 5) == 0) return 2;
  return -1;
}

static void gemini_modalities(Ctx *c, const JsonValue *u, Part modal[6], Part *cached_audio) {
  static const char *const lists[GEM_NLIST] = {
      "promptTokensDetails", "toolUsePromptTokensDetails", "cacheTokensDetails",
      "candidatesTokensDetails"};
  static const char *const labels[GEM_NLIST][3] = {
      {"promptTokensDetails AUDIO", "promptTokensDetails IMAGE", "promptTokensDetails VIDEO"},
      {"toolUsePromptTokensDetails AUDIO", "toolUsePromptTokensDetails IMAGE",
       "toolUsePromptTokensDetails VIDEO"},
      {"cacheTokensDetails AUDIO", "cacheTokensDetails IMAGE", "cacheTokensDetails VIDEO"},
      {"candidatesTokensDetails AUDIO", "candidatesTokensDetails IMAGE",
       "candidatesTokensDetails VIDEO"}};
  Part sum[GEM_NLIST][3];
  int listed[GEM_NLIST] = {0};
  for (int l = 0; l < GEM_NLIST; l++) {
    const JsonValue *list = get(u, lists[l], strlen(lists[l]));
    for (int m = 0; m < 3; m++) sum[l][m] = (Part){1, 0, NULL, labels[l][m]};
    if (!list) continue;
    if (list->type != JSON_ARRAY) {
      flag(c, list, "expected a list of {modality, tokenCount} for %s", lists[l]);
      for (int m = 0; m < 3; m++) sum[l][m].rc = -1;
      continue;
    }
    listed[l] = 1;
    for (const JsonValue *e = list->child; e; e = e->next) {
      int m = modality_of(e);
      const JsonValue *count = GET(e, "tokenCount");
      int64_t v = 0;
      if (m < 0 || sum[l][m].rc < 0) continue;
      if (read_count(c, count, labels[l][m], &v) < 0) {
        sum[l][m].rc = -1;
      } else if (v > INT64_MAX - sum[l][m].v) {
        flag(c, count, "%s is too large for a token count", labels[l][m]);
        sum[l][m].rc = -1;
      } else {
        sum[l][m].v += v;
        if (!sum[l][m].at) sum[l][m].at = count;
      }
    }
  }
  /* the cached audio is known where the cache is listed by modality */
  if (listed[GEM_CACHE]) *cached_audio = sum[GEM_CACHE][0];
  for (int m = 0; m < 3; m++) {
    Part *in = &modal[2 * m], *out = &modal[2 * m + 1];
    *in = (Part){0, 0, NULL, labels[GEM_PROMPT][m]};
    *out = listed[GEM_CANDIDATES] ? sum[GEM_CANDIDATES][m]
                                  : (Part){0, 0, NULL, labels[GEM_CANDIDATES][m]};
    if (!listed[GEM_PROMPT] && !listed[GEM_TOOL]) continue;
    /* uncached = prompt + tool - cached, of this modality */
    if (sum[GEM_PROMPT][m].rc < 0 || sum[GEM_TOOL][m].rc < 0 || sum[GEM_CACHE][m].rc < 0) {
      in->rc = -1;
      continue;
    }
    if (sum[GEM_TOOL][m].v > INT64_MAX - sum[GEM_PROMPT][m].v) {
      flag(c, sum[GEM_TOOL][m].at, "%s + %s is too large for a token count",
           labels[GEM_PROMPT][m], labels[GEM_TOOL][m]);
      in->rc = -1;
      continue;
    }
    in->v = sum[GEM_PROMPT][m].v + sum[GEM_TOOL][m].v;
    in->at = sum[GEM_PROMPT][m].at ? sum[GEM_PROMPT][m].at : sum[GEM_TOOL][m].at;
    if (sum[GEM_CACHE][m].v > in->v) {
      flag(c, sum[GEM_CACHE][m].at, "%s %lld exceeds %s %lld", labels[GEM_CACHE][m],
           (long long)sum[GEM_CACHE][m].v, labels[GEM_PROMPT][m], (long long)in->v);
      in->rc = -1;
      continue;
    }
    in->v -= sum[GEM_CACHE][m].v;
    in->rc = 1;
  }
}

/* Bedrock's cacheDetails, [{inputTokens, ttl: "5m"|"1h"}]: the cache writes
** by time to live. When the list is there, both parts are known (0 when no
** entry has that ttl). */
static void bedrock_cache_ttl(Ctx *c, const JsonValue *list, Part *w5, Part *w1) {
  *w5 = (Part){1, 0, NULL, "cacheDetails 5m"};
  *w1 = (Part){1, 0, NULL, "cacheDetails 1h"};
  if (list->type != JSON_ARRAY) {
    flag(c, list, "expected a list of {inputTokens, ttl} for cacheDetails");
    w5->rc = w1->rc = -1;
    return;
  }
  for (const JsonValue *e = list->child; e; e = e->next) {
    const JsonValue *ttl = GET(e, "ttl"), *count = GET(e, "inputTokens");
    Part *p;
    int64_t v = 0;
    if (ttl && ttl->type == JSON_STRING && ttl->len == 2 && memcmp(ttl->text, "5m", 2) == 0) {
      p = w5;
    } else if (ttl && ttl->type == JSON_STRING && ttl->len == 2 &&
               memcmp(ttl->text, "1h", 2) == 0) {
      p = w1;
    } else {
      flag(c, ttl ? ttl : e, "cacheDetails: expected a ttl of \"5m\" or \"1h\"");
      w5->rc = w1->rc = -1;
      return;
    }
    if (p->rc < 0) continue;
    if (read_count(c, count, p->label, &v) < 0) {
      p->rc = -1;
    } else if (v > INT64_MAX - p->v) {
      flag(c, count, "%s is too large for a token count", p->label);
      p->rc = -1;
    } else {
      p->v += v;
      if (!p->at) p->at = count;
    }
  }
}

/* The cache writes by time to live are a breakdown of cache_write_tokens:
** they must add up to it (or, one of them alone, not exceed it). When the
** total is not reported, it is their sum. On disagreement the record is
** flagged and the split is unknown; the total stays as reported. */
static void cache_write_split(Ctx *c, Part *total, const Part *w5, const Part *w1) {
  UsageRecord *rec = c->rec;
  const Part *first = w5->rc ? w5 : w1;
  int64_t sum;
  if (w5->rc < 0 || w1->rc < 0) return;
  if (w5->v > INT64_MAX - w1->v) {
    flag(c, first->at, "%s + %s is too large for a token count", w5->label, w1->label);
    return;
  }
  sum = w5->v + w1->v;
  if (total->rc == 0) {
    *total = (Part){1, sum, first->at, total->label};
  } else if (total->rc > 0) {
    if (w5->rc && w1->rc && sum != total->v) {
      flag(c, first->at, "%s %lld + %s %lld do not add up to %s %lld", w5->label,
           (long long)w5->v, w1->label, (long long)w1->v, total->label, (long long)total->v);
      return;
    }
    if (sum > total->v) {
      flag(c, first->at, "%s %lld exceeds %s %lld", first->label, (long long)first->v,
           total->label, (long long)total->v);
      return;
    }
  } else {
    return; /* the total is not a count: the split cannot be checked */
  }
  if (w5->rc) {
    rec->extra[USAGE_CACHE_WRITE_5M] = w5->v;
    rec->extra_known |= 1u << USAGE_CACHE_WRITE_5M;
  }
  if (w1->rc) {
    rec->extra[USAGE_CACHE_WRITE_1H] = w1->v;
    rec->extra_known |= 1u << USAGE_CACHE_WRITE_1H;
  }
}

/* The cached audio is a breakdown of cache_read_tokens: more of it than
** the cache reads reported (0 when not reported) is flagged, and then it is
** unknown, as a cache-write split that does not add up. */
static void cache_read_audio(Ctx *c, const Part *total, const Part *audio) {
  UsageRecord *rec = c->rec;
  if (audio->rc <= 0 || total->rc < 0) return;
  if (audio->v > total->v) {
    flag(c, audio->at, "%s %lld exceeds %s %lld", audio->label, (long long)audio->v,
         total->label, (long long)total->v);
    return;
  }
  rec->extra[USAGE_CACHE_READ_AUDIO] = audio->v;
  rec->extra_known |= 1u << USAGE_CACHE_READ_AUDIO;
}

/* The disjoint buckets from a dialect's counts (the table at the top). */
static void derive(Ctx *c, const Counts *k) {
  UsageRecord *rec = c->rec;
  const Source *src[USAGE_NBUCKET] = {&k->in, &k->cache_read, &k->cache_write,
                                      &k->out, &k->reasoning};
  Part p[USAGE_NBUCKET], modal[6], parts[8], w5, w1, cached_audio = {0, 0, NULL, NULL};
  int64_t v[USAGE_NBUCKET] = {0};
  int ok[USAGE_NBUCKET], present = 0, n;

  for (int b = 0; b < USAGE_NBUCKET; b++) {
    p[b] = part_of(c, *src[b]);
    v[b] = p[b].v;
    ok[b] = p[b].rc >= 0;
    present |= p[b].rc != 0; /* an invalid count is still a count */
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
  p[USAGE_INPUT].v = v[USAGE_INPUT];

  /* The other units: modalities (inside the totals), the cache-write split,
  ** the cached audio, web searches. */
  if (k->gemini) {
    gemini_modalities(c, k->gemini, modal, &cached_audio);
  } else {
    for (int m = 0; m < 6; m++) {
      modal[m] = part_of(c, k->modal[m]);
      if (k->modal_cached[m].v) { /* uncached = the modality's count - its cached part */
        Part cached = part_of(c, k->modal_cached[m]);
        if (m == USAGE_AUDIO_INPUT) cached_audio = cached;
        if (cached.rc < 0 || modal[m].rc < 0) {
          modal[m].rc = -1;
        } else if (cached.v > modal[m].v) {
          flag(c, cached.at, "%s %lld exceeds %s %lld", cached.label, (long long)cached.v,
               modal[m].label, (long long)modal[m].v);
          modal[m].rc = -1;
        } else {
          modal[m].v -= cached.v;
        }
      }
    }
  }
  if (k->bedrock_cache) {
    bedrock_cache_ttl(c, k->bedrock_cache, &w5, &w1);
  } else {
    w5 = part_of(c, k->write_5m);
    w1 = part_of(c, k->write_1h);
  }
  if (w5.rc || w1.rc) {
    cache_write_split(c, &p[USAGE_CACHE_WRITE], &w5, &w1);
    v[USAGE_CACHE_WRITE] = p[USAGE_CACHE_WRITE].v;
  }
  cache_read_audio(c, &p[USAGE_CACHE_READ], &cached_audio);
  if (k->web_search.v) {
    Part s = part_of(c, k->web_search);
    if (s.rc > 0) {
      rec->extra[USAGE_WEB_SEARCH] = s.v;
      rec->extra_known |= 1u << USAGE_WEB_SEARCH;
    }
  }
  for (int m = 0; m < 6; m++) {
    if (modal[m].rc > 0) {
      rec->extra[m] = modal[m].v;
      rec->extra_known |= 1u << m;
    }
  }

  /* input = total - what the dialect counts inside it, apart */
  n = 0;
  if (k->cache_inside) {
    parts[n++] = p[USAGE_CACHE_READ];
    parts[n++] = p[USAGE_CACHE_WRITE];
  }
  for (int m = 0; m < 6; m += 2) parts[n++] = modal[m];
  if (ok[USAGE_INPUT] && !subtract(c, &p[USAGE_INPUT], parts, n, &v[USAGE_INPUT]))
    ok[USAGE_INPUT] = 0;
  n = 0;
  if (k->reasoning_inside) parts[n++] = p[USAGE_REASONING];
  for (int m = 1; m < 6; m += 2) parts[n++] = modal[m];
  if (ok[USAGE_OUTPUT] && !subtract(c, &p[USAGE_OUTPUT], parts, n, &v[USAGE_OUTPUT]))
    ok[USAGE_OUTPUT] = 0;

  rec->known = 0;
  for (int b = 0; b < USAGE_NBUCKET; b++) {
    rec->tokens[b] = ok[b] ? v[b] : 0;
    if (ok[b]) rec->known |= 1u << b;
  }
}

/* ------------------------------------------------------------ dialects */

static int otel_counts(const Otel *o, Counts *k) {
  static const char *const in_names[] = {"gen_ai.usage.input_tokens",
                                         "gen_ai.usage.prompt_tokens", NULL};
  static const char *const out_names[] = {"gen_ai.usage.output_tokens",
                                          "gen_ai.usage.completion_tokens", NULL};
  if (!o->root && !o->attrs) return 0;
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


/* One pass over an object's members: out[i] is the first member named
** keys[i] (NULL when none; JSON null kept, so that presence can be told).
** An object's usage is read with one pick per level instead of one search
** per path. */
typedef struct Pick {
  const char *key;
  size_t len;
} Pick;
#define PICK(k) {k, sizeof k - 1}

static void pick(const JsonValue *obj, const Pick *keys, int n, const JsonValue **out) {
  int left = n;
  for (int i = 0; i < n; i++) out[i] = NULL;
  if (!obj || obj->type != JSON_OBJECT) return;
  for (const JsonValue *m = obj->child; m && left; m = m->next) {
    for (int i = 0; i < n; i++) {
      if (!out[i] && m->key_len == keys[i].len && memcmp(m->key, keys[i].key, keys[i].len) == 0) {
        out[i] = m;
        left--;
        break;
      }
    }
  }
}

/* A picked member as a count's source: JSON null is absent. */
static Source picked(const JsonValue *v, const char *label) {
  return (Source){v && v->type != JSON_NULL ? v : NULL, label};
}

/* The usage object's members every dialect looks for (generated like root_key). */
enum UsageKey {
  U_PROMPT, /* prompt_tokens */
  U_COMPLETION, /* completion_tokens */
  U_PROMPT_DETAILS, /* prompt_tokens_details */
  U_COMPLETION_DETAILS, /* completion_tokens_details */
  U_INPUT, /* input_tokens */
  U_OUTPUT, /* output_tokens */
  U_CACHE_CREATION_INPUT, /* cache_creation_input_tokens */
  U_CACHE_READ_INPUT, /* cache_read_input_tokens */
  U_INPUT_DETAILS, /* input_tokens_details */
  U_OUTPUT_DETAILS, /* output_tokens_details */
  U_INPUT_B, /* inputTokens */
  U_OUTPUT_B, /* outputTokens */
  U_PROMPT_COUNT, /* promptTokenCount */
  U_CANDIDATES_COUNT, /* candidatesTokenCount */
  U_COST, /* cost */
  U_SERVER_TOOL_USE, /* server_tool_use */
  U_NUM_SEARCH, /* num_search_queries */
  U_CACHE_CREATION, /* cache_creation */
  U_CACHE_READ_B, /* cacheReadInputTokens */
  U_CACHE_WRITE_B, /* cacheWriteInputTokens */
  U_CACHE_DETAILS_B, /* cacheDetails */
  U_TOOL_PROMPT_COUNT, /* toolUsePromptTokenCount */
  U_CACHED_CONTENT_COUNT, /* cachedContentTokenCount */
  U_THOUGHTS_COUNT, /* thoughtsTokenCount */
  U_SERVICE_TIER, /* service_tier */
  U_SERVICE_TIER_G, /* serviceTier */
  U_INPUT_TOKEN_DETAILS, /* input_token_details (Realtime) */
  U_OUTPUT_TOKEN_DETAILS, /* output_token_details (Realtime) */
  U_COUNT
};

static int usage_key(const char *k, size_t n) {
  switch (n) {
    case 4:
      if (memcmp(k, "cost", 4) == 0) return U_COST;
      break;
    case 11:
      if (memcmp(k, "inputTokens", 11) == 0) return U_INPUT_B;
      if (memcmp(k, "serviceTier", 11) == 0) return U_SERVICE_TIER_G;
      break;
    case 12:
      if (memcmp(k, "input_tokens", 12) == 0) return U_INPUT;
      if (memcmp(k, "outputTokens", 12) == 0) return U_OUTPUT_B;
      if (memcmp(k, "cacheDetails", 12) == 0) return U_CACHE_DETAILS_B;
      if (memcmp(k, "service_tier", 12) == 0) return U_SERVICE_TIER;
      break;
    case 13:
      if (memcmp(k, "prompt_tokens", 13) == 0) return U_PROMPT;
      if (memcmp(k, "output_tokens", 13) == 0) return U_OUTPUT;
      break;
    case 14:
      if (memcmp(k, "cache_creation", 14) == 0) return U_CACHE_CREATION;
      break;
    case 15:
      if (memcmp(k, "server_tool_use", 15) == 0) return U_SERVER_TOOL_USE;
      break;
    case 16:
      if (memcmp(k, "promptTokenCount", 16) == 0) return U_PROMPT_COUNT;
      break;
    case 17:
      if (memcmp(k, "completion_tokens", 17) == 0) return U_COMPLETION;
      break;
    case 18:
      if (memcmp(k, "num_search_queries", 18) == 0) return U_NUM_SEARCH;
      if (memcmp(k, "thoughtsTokenCount", 18) == 0) return U_THOUGHTS_COUNT;
      break;
    case 20:
      if (memcmp(k, "output_token_details", 20) == 0) return U_OUTPUT_TOKEN_DETAILS;
      if (memcmp(k, "input_tokens_details", 20) == 0) return U_INPUT_DETAILS;
      if (memcmp(k, "candidatesTokenCount", 20) == 0) return U_CANDIDATES_COUNT;
      if (memcmp(k, "cacheReadInputTokens", 20) == 0) return U_CACHE_READ_B;
      break;
    case 21:
      if (memcmp(k, "prompt_tokens_details", 21) == 0) return U_PROMPT_DETAILS;
      if (memcmp(k, "output_tokens_details", 21) == 0) return U_OUTPUT_DETAILS;
      if (memcmp(k, "cacheWriteInputTokens", 21) == 0) return U_CACHE_WRITE_B;
      break;
    case 23:
      if (memcmp(k, "cache_read_input_tokens", 23) == 0) return U_CACHE_READ_INPUT;
      if (memcmp(k, "toolUsePromptTokenCount", 23) == 0) return U_TOOL_PROMPT_COUNT;
      if (memcmp(k, "cachedContentTokenCount", 23) == 0) return U_CACHED_CONTENT_COUNT;
      break;
    case 25:
      if (memcmp(k, "completion_tokens_details", 25) == 0) return U_COMPLETION_DETAILS;
      break;
    case 27:
      if (memcmp(k, "cache_creation_input_tokens", 27) == 0) return U_CACHE_CREATION_INPUT;
      break;
    case 19:
      if (memcmp(k, "input_token_details", 19) == 0) return U_INPUT_TOKEN_DETAILS;
      break;
    default:
      break;
  }
  return -1;
}

/* The usage object's members, in one pass: m[U_*] is the first member of
** that name (NULL when none; JSON null kept, so that presence can be told). */
static void pick_usage(const JsonValue *u, const JsonValue **m) {
  uint32_t seen = 0;
  for (const JsonValue *c = u->child; c; c = c->next) {
    int k = usage_key(c->key, c->key_len);
    if (k >= 0 && !(seen & (1u << k))) {
      seen |= 1u << k;
      m[k] = c;
    }
  }
  for (int k = 0; k < U_COUNT; k++)
    if (!(seen & (1u << k))) m[k] = NULL;
}
_Static_assert(U_COUNT <= 32, "pick_usage has a bit per usage member name");

/* The members of a details object: cached, cache writes, reasoning, audio,
** image, video. */
enum { D_CACHED, D_CACHE_WRITE, D_REASONING, D_AUDIO, D_IMAGE, D_VIDEO, D_COUNT };
static const Pick detail_keys[D_COUNT] = {
    PICK("cached_tokens"), PICK("cache_write_tokens"), PICK("reasoning_tokens"),
    PICK("audio_tokens"), PICK("image_tokens"), PICK("video_tokens")};

static const JsonValue *web_searches(const JsonValue *server_tool_use) {
  return GET(server_tool_use, "web_search_requests");
}

static void anthropic_counts(const JsonValue *u, const JsonValue **m, Counts *k) {
  const JsonValue *split[2];
  static const Pick split_keys[2] = {PICK("ephemeral_5m_input_tokens"),
                                     PICK("ephemeral_1h_input_tokens")};
  k->in = picked(m[U_INPUT], "input_tokens");
  k->cache_read = picked(m[U_CACHE_READ_INPUT], "cache_read_input_tokens");
  k->cache_write = picked(m[U_CACHE_CREATION_INPUT], "cache_creation_input_tokens");
  k->out = picked(m[U_OUTPUT], "output_tokens");
  pick(m[U_CACHE_CREATION], split_keys, 2, split);
  k->write_5m = picked(split[0], "cache_creation.ephemeral_5m_input_tokens");
  k->write_1h = picked(split[1], "cache_creation.ephemeral_1h_input_tokens");
  k->web_search = (Source){web_searches(m[U_SERVER_TOOL_USE]),
                           "server_tool_use.web_search_requests"};
  k->usage = u;
  k->tier = picked(m[U_SERVICE_TIER], "").v;
  if (!k->tier) k->tier = picked(m[U_SERVICE_TIER_G], "").v;
}

/* The dialect of a usage object by its keys, and its counts; `has_spend`
** tells LiteLLM's wrapper apart. USAGE_NONE when unrecognized. */
static UsageDialect classify(const JsonValue *u, int has_spend, Counts *k) {
  const JsonValue *m[U_COUNT], *in[D_COUNT], *out[D_COUNT];
  pick_usage(u, m);
  k->usage = u;
  k->tier = picked(m[U_SERVICE_TIER], "").v;
  if (!k->tier) k->tier = picked(m[U_SERVICE_TIER_G], "").v;
  if (m[U_PROMPT] || m[U_COMPLETION]) {
    pick(m[U_PROMPT_DETAILS], detail_keys, D_COUNT, in);
    pick(m[U_COMPLETION_DETAILS], detail_keys, D_COUNT, out);
    k->in = picked(m[U_PROMPT], "prompt_tokens");
    k->cache_read = picked(in[D_CACHED], "prompt_tokens_details.cached_tokens");
    k->cache_write = picked(in[D_CACHE_WRITE], "prompt_tokens_details.cache_write_tokens");
    k->out = picked(m[U_COMPLETION], "completion_tokens");
    k->reasoning = picked(out[D_REASONING], "completion_tokens_details.reasoning_tokens");
    k->modal[USAGE_AUDIO_INPUT] = picked(in[D_AUDIO], "prompt_tokens_details.audio_tokens");
    k->modal[USAGE_IMAGE_INPUT] = picked(in[D_IMAGE], "prompt_tokens_details.image_tokens");
    k->modal[USAGE_VIDEO_INPUT] = picked(in[D_VIDEO], "prompt_tokens_details.video_tokens");
    k->modal[USAGE_AUDIO_OUTPUT] =
        picked(out[D_AUDIO], "completion_tokens_details.audio_tokens");
    k->modal[USAGE_IMAGE_OUTPUT] =
        picked(out[D_IMAGE], "completion_tokens_details.image_tokens");
    k->web_search = (Source){web_searches(m[U_SERVER_TOOL_USE]),
                             "server_tool_use.web_search_requests"};
    if (!k->web_search.v) k->web_search = picked(m[U_NUM_SEARCH], "num_search_queries");
    k->cache_inside = k->reasoning_inside = 1;
    if (has_spend) return USAGE_LITELLM;
    return m[U_COST] ? USAGE_OPENROUTER : USAGE_OPENAI_CHAT;
  }
  if (m[U_INPUT] || m[U_OUTPUT]) {
    if (m[U_CACHE_CREATION_INPUT] || m[U_CACHE_READ_INPUT]) {
      anthropic_counts(u, m, k);
      return USAGE_ANTHROPIC;
    }
    k->in = picked(m[U_INPUT], "input_tokens");
    k->out = picked(m[U_OUTPUT], "output_tokens");
    if (m[U_INPUT_DETAILS] || m[U_OUTPUT_DETAILS]) {
      pick(m[U_INPUT_DETAILS], detail_keys, D_COUNT, in);
      pick(m[U_OUTPUT_DETAILS], detail_keys, D_COUNT, out);
      k->cache_read = picked(in[D_CACHED], "input_tokens_details.cached_tokens");
      k->cache_write = picked(in[D_CACHE_WRITE], "input_tokens_details.cache_write_tokens");
      k->reasoning = picked(out[D_REASONING], "output_tokens_details.reasoning_tokens");
      k->modal[USAGE_AUDIO_INPUT] = picked(in[D_AUDIO], "input_tokens_details.audio_tokens");
      k->modal[USAGE_IMAGE_INPUT] = picked(in[D_IMAGE], "input_tokens_details.image_tokens");
      k->modal[USAGE_AUDIO_OUTPUT] =
          picked(out[D_AUDIO], "output_tokens_details.audio_tokens");
      k->modal[USAGE_IMAGE_OUTPUT] =
          picked(out[D_IMAGE], "output_tokens_details.image_tokens");
      k->cache_inside = k->reasoning_inside = 1;
      return USAGE_OPENAI_RESPONSES;
    }
    if (m[U_INPUT_TOKEN_DETAILS] || m[U_OUTPUT_TOKEN_DETAILS]) {
      const JsonValue *cached[D_COUNT];
      static const Pick cached_key[1] = {PICK("cached_tokens_details")};
      const JsonValue *cd[1];
      pick(m[U_INPUT_TOKEN_DETAILS], detail_keys, D_COUNT, in);
      pick(m[U_OUTPUT_TOKEN_DETAILS], detail_keys, D_COUNT, out);
      pick(m[U_INPUT_TOKEN_DETAILS], cached_key, 1, cd);
      pick(cd[0], detail_keys, D_COUNT, cached);
      k->cache_read = picked(in[D_CACHED], "input_token_details.cached_tokens");
      k->modal[USAGE_AUDIO_INPUT] = picked(in[D_AUDIO], "input_token_details.audio_tokens");
      k->modal[USAGE_IMAGE_INPUT] = picked(in[D_IMAGE], "input_token_details.image_tokens");
      k->modal_cached[USAGE_AUDIO_INPUT] =
          picked(cached[D_AUDIO], "input_token_details.cached_tokens_details.audio_tokens");
      k->modal_cached[USAGE_IMAGE_INPUT] =
          picked(cached[D_IMAGE], "input_token_details.cached_tokens_details.image_tokens");
      k->modal[USAGE_AUDIO_OUTPUT] = picked(out[D_AUDIO], "output_token_details.audio_tokens");
      k->cache_inside = 1;
      return USAGE_OPENAI_REALTIME;
    }
    return USAGE_GENERIC;
  }
  if (m[U_INPUT_B] || m[U_OUTPUT_B]) {
    k->in = picked(m[U_INPUT_B], "inputTokens");
    k->cache_read = picked(m[U_CACHE_READ_B], "cacheReadInputTokens");
    k->cache_write = picked(m[U_CACHE_WRITE_B], "cacheWriteInputTokens");
    k->out = picked(m[U_OUTPUT_B], "outputTokens");
    k->bedrock_cache = picked(m[U_CACHE_DETAILS_B], "").v;
    return USAGE_BEDROCK;
  }
  if (m[U_PROMPT_COUNT] || m[U_CANDIDATES_COUNT]) {
    k->in = picked(m[U_PROMPT_COUNT], "promptTokenCount");
    k->in_extra = picked(m[U_TOOL_PROMPT_COUNT], "toolUsePromptTokenCount");
    k->cache_read = picked(m[U_CACHED_CONTENT_COUNT], "cachedContentTokenCount");
    k->out = picked(m[U_CANDIDATES_COUNT], "candidatesTokenCount");
    k->reasoning = picked(m[U_THOUGHTS_COUNT], "thoughtsTokenCount");
    k->gemini = u;
    k->cache_inside = 1; /* thoughts are counted apart from candidates */
    return USAGE_GEMINI;
  }
  k->usage = k->tier = NULL;
  return USAGE_NONE;
}

static UsageDialect detect(Ctx *c, const Otel *o, Counts *k) {
  const JsonValue *msg, *u, *response = root_at(c, RK_RESPONSE);
  int has_spend = root_has(c, RK_SPEND);
  if (otel_counts(o, k)) return USAGE_OTEL;
  if ((msg = as_object(root_at(c, RK_MESSAGE))) && (u = as_object(GET(msg, "usage")))) {
    const JsonValue *m[U_COUNT];
    pick_usage(u, m);
    anthropic_counts(u, m, k);
    return root_has(c, RK_COST_USD_CC) || root_has(c, RK_SESSION_ID) ? USAGE_CLAUDE_CODE
                                                         : USAGE_ANTHROPIC;
  }
  if ((u = as_object(root_at(c, RK_USAGE))) || (u = as_object(GET(response, "usage"))) ||
      (u = as_object(GET(GET(response, "body"), "usage"))) ||
      (u = as_object(root_at(c, RK_USAGE_METADATA))))
    return classify(u, has_spend, k);
  /* LiteLLM spend logs keep the counts at the top level. */
  if (!root_has(c, RK_PROMPT_TOKENS) && !root_has(c, RK_COMPLETION_TOKENS) && !root_has(c, RK_INPUT_TOKENS) &&
      !root_has(c, RK_OUTPUT_TOKENS) && !root_has(c, RK_INPUT_TOKENS_B) && !root_has(c, RK_OUTPUT_TOKENS_B) &&
      !root_has(c, RK_PROMPT_TOKEN_COUNT) && !root_has(c, RK_CANDIDATES_TOKEN_COUNT))
    return USAGE_NONE;
  return classify(c->root, has_spend, k);
}

/* ------------------------------------------------------------ the rest */

/* An instant from a string (ISO or epoch digits) or a number (epoch). */
static int read_time(Ctx *c, const JsonValue *v, TlTime *t) {
  if ((v->type == JSON_STRING || v->type == JSON_NUMBER) &&
      tl_time_parse(v->text, v->len, t) == 0)
    return 0;
  if (v->type == JSON_STRING)
    flag(c, v, "unrecognized timestamp \"%.60s\": expected ISO-8601 or epoch "
               "s/ms/us/ns", v->text);
  else
    flag(c, v, "expected a timestamp for %.60s", v->key ? v->key : "time");
  return -1;
}

static void read_ts(Ctx *c) {
  static const int keys[] = {RK_TIMESTAMP, RK_TS, RK_TIME, RK_AT_TIMESTAMP,
                             RK_START_TIME_C, RK_START_TIME, RK_START_TIME_NANO,
                             RK_TIME_NANO, RK_CREATED_AT, RK_CREATED, -1};
  const JsonValue *v = NULL;
  TlTime t;
  for (const int *k = keys; !v && *k >= 0; k++) v = root_at(c, *k);
  if (!v) v = GET(root_at(c, RK_RESPONSE), "created_at");
  if (!v) return;
  if (v->type == JSON_STRING && tl_time_copy_utc(v->text, v->len, c->rec->ts)) {
    c->rec->has_ts = 1;
  } else if (read_time(c, v, &t) == 0) {
    if (tl_time_format(t, c->rec->ts) == 0) c->rec->has_ts = 1;
    else flag(c, v, "timestamp %.60s is outside the years 0000-9999", v->text);
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
  static const int direct[] = {RK_LATENCY_MS, RK_LATENCY_MS_C, RK_DURATION_MS,
                               RK_DURATION_MS_C, -1};
  static const int pairs[][2] = {{RK_START_TIME_NANO, RK_END_TIME_NANO},
                                 {RK_START_TIME_C, RK_END_TIME_C},
                                 {RK_START_TIME, RK_END_TIME}};
  for (const int *k = direct; *k >= 0; k++) {
    const JsonValue *v = root_at(c, *k);
    if (!v) continue;
    if (v->type == JSON_NUMBER) {
      if (read_real(v, &c->rec->latency_ms) == 0) c->rec->has_latency = 1;
      else flag(c, v, "%s %s is out of the range of a double", v->key, v->text);
    } else {
      flag(c, v, "expected a number of milliseconds for %s", v->key);
    }
    return;
  }
  for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
    const JsonValue *a = root_at(c, pairs[i][0]), *b = root_at(c, pairs[i][1]);
    TlTime ta, tb;
    if (!a || !b) continue;
    if (read_time(c, a, &ta) == 0 && read_time(c, b, &tb) == 0) {
      c->rec->latency_ms = tl_time_diff_ms(ta, tb);
      c->rec->has_latency = 1;
      if (c->rec->latency_ms < 0) flag(c, b, "%s is before %s", b->key, a->key);
    }
    return;
  }
}

static void read_cost(Ctx *c) {
  static const int keys[] = {RK_COST_USD_CC, RK_SPEND, RK_RESPONSE_COST,
                             RK_COST_USD, RK_TOTAL_COST, RK_COST, -1};
  const JsonValue *v = GET(as_object(root_at(c, RK_USAGE)), "cost");
  for (const int *k = keys; !v && *k >= 0; k++) v = root_at(c, *k);
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
  static const int keys[] = {RK_STATUS, RK_STATUS_CODE, RK_STATUS_CODE_C, -1};
  const JsonValue *v = NULL;
  for (const int *k = keys; !v && *k >= 0; k++) v = root_at(c, *k);
  if (!v) v = otel(o, "http.response.status_code");
  if (v && v->type == JSON_OBJECT) {
    const JsonValue *code = GET(v, "code");
    v = code ? code : GET(v, "status_code");
  }
  c->rec->status = text_of(v);
}

/* The service tier, as written: the usage object's service_tier (Anthropic,
** Claude Code) or serviceTier (Gemini), else the body's service_tier
** (OpenAI chat and Responses), else response.service_tier (Responses stream
** events), else OpenTelemetry's openai.response.service_tier. */
static void read_service_tier(Ctx *c, const Otel *o, const JsonValue *tier) {
  const JsonValue *v = tier;
  if (!v) v = root_at(c, RK_SERVICE_TIER);
  if (!v) v = GET(root_at(c, RK_RESPONSE), "service_tier");
  if (!v) v = otel(o, "openai.response.service_tier");
  if (!v) v = otel(o, "gen_ai.openai.response.service_tier");
  if (!v) return;
  if (v->type != JSON_STRING) {
    flag(c, v, "expected a string for the service tier %.60s", v->key ? v->key : "");
    return;
  }
  c->rec->service_tier = (UsageText){v->text, v->len};
}

static void normalize(const char *name, uint64_t line, const JsonValue *root,
                      unsigned skip, int quick, UsageRecord *rec) {
  static const int provider_keys[] = {RK_PROVIDER, RK_CUSTOM_LLM_PROVIDER,
                                      RK_PROVIDER_NAME, -1};
  static const char *const provider_otel[] = {"gen_ai.provider.name",
                                              "gen_ai.system", NULL};
  static const char *const model_otel[] = {"gen_ai.response.model",
                                           "gen_ai.request.model", NULL};
  static const int id_keys[] = {RK_REQUEST_ID, RK_REQUEST_ID_C, -1};
  static const char *const id_otel[] = {"gen_ai.response.id", NULL};
  Ctx c;
  Counts k;
  Otel o;
  const JsonValue *message, *response;

  c.name = name;
  c.line = line;
  c.root = root;
  c.rec = rec;
  c.quick = quick;
  rec->dialect = USAGE_NONE;
  rec->known = 0;
  rec->extra_known = 0;
  if (root->type != JSON_OBJECT) {
    flag(&c, root, "%s: expected a JSON object per line",
         root->type == JSON_ARRAY ? "an array" : "a scalar");
    return;
  }
  scan_root(&c);
  memset(&k, 0, sizeof k);
  o.root = c.has_gen_ai ? root : NULL;
  o.attrs = root_at(&c, RK_ATTRIBUTES);
  rec->dialect = detect(&c, &o, &k);
  if (rec->dialect == USAGE_NONE) {
    flag(&c, NULL, "no token usage found: expected usage, message.usage, "
                   "usageMetadata or gen_ai.usage.* attributes");
  } else {
    derive(&c, &k);
  }

  message = root_at(&c, RK_MESSAGE);
  response = root_at(&c, RK_RESPONSE);
  rec->provider = first_otel_text(&o, provider_otel);
  if (!rec->provider.p) rec->provider = first_root_text(&c, provider_keys);
  if (!rec->provider.p && rec->dialect == USAGE_CLAUDE_CODE)
    rec->provider = (UsageText){"anthropic", 9};
  rec->model = first_otel_text(&o, model_otel);
  if (!rec->model.p) rec->model = text_of(root_at(&c, RK_MODEL));
  if (!rec->model.p) rec->model = text_of(GET(message, "model"));
  if (!rec->model.p) rec->model = text_of(GET(response, "model"));
  if (!rec->model.p) rec->model = text_of(root_at(&c, RK_MODEL_VERSION));
  rec->request_id = first_root_text(&c, id_keys);
  if (!rec->request_id.p) rec->request_id = first_otel_text(&o, id_otel);
  if (!rec->request_id.p) rec->request_id = text_of(root_at(&c, RK_ID));
  if (!rec->request_id.p) rec->request_id = text_of(GET(response, "id"));
  if (!rec->request_id.p) rec->request_id = text_of(GET(message, "id"));
  if (!rec->request_id.p) rec->request_id = text_of(root_at(&c, RK_RESPONSE_ID));

  read_cost(&c);
  if (!(skip & USAGE_SKIP_TIME)) {
    read_ts(&c);
    read_latency(&c);
  }
  read_status(&c, &o);
  read_service_tier(&c, &o, k.tier);
}

void usage_normalize_fields(const char *name, uint64_t line, const JsonValue *root,
                            unsigned skip, UsageRecord *rec) {
  normalize(name, line, root, skip, 0, rec);
}

void usage_normalize(const char *name, uint64_t line, const JsonValue *root,
                     UsageRecord *rec) {
  normalize(name, line, root, 0, 0, rec);
}

/* ------------------------------------------------------------ quick parse */

/* The common line is read by a parser made for it: the line is in memory
** and has no newline, so positions are offsets; numbers and strings without
** escapes point into the line instead of being copied; members no one reads
** are validated and skipped (the filter of json_parse_sparse). It accepts
** exactly what json_parse accepts, or gives up: anything unusual (an escape
** in a built string or key, a byte order mark, a root that is not an
** object, deep nesting) and every error go to json_parse, whose tree and
** messages are the reference. Its tree is json_parse_sparse's, except that
** texts are not NUL-terminated; so a record normalized from it with any
** problem is normalized again from json_parse_sparse's tree, which gives
** the message (flag() only notes that there is one, see Ctx.quick).
** tests/unit/test_usage.c checks that both give the same records. */

#define QUICK_GIVE_UP 1
#define QUICK_NOMEM (-2)
#define QUICK_MAX_DEPTH 64

typedef struct Quick {
  const unsigned char *line, *p, *end;
  JsonArena *arena;
} Quick;

static inline void quick_space(Quick *q) {
  /* Most tokens follow one another without space: one comparison then. */
  while (q->p < q->end && *q->p <= ' ' &&
         (*q->p == ' ' || *q->p == '\t' || *q->p == '\r' || *q->p == '\n'))
    q->p++;
}

/* A string (cursor on its opening quote): its raw text, and whether it has
** escapes. Validates as json.c's read_string does. */
static int quick_string(Quick *q, const char **text, size_t *len, int *escaped) {
  const unsigned char *p = q->p + 1, *start = p, *end = q->end;
  *escaped = 0;
  for (;;) {
    unsigned c;
    p = q->line + json_plain_run_end(q->line, (size_t)(p - q->line), (size_t)(end - q->line));
    if (p >= end) return QUICK_GIVE_UP;
    c = *p;
    if (c == '"') break;
    if (c == '\\') {
      *escaped = 1;
      if (end - p < 2) return QUICK_GIVE_UP;
      switch (p[1]) {
        case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
          p += 2;
          break;
        case 'u':
          if (end - p < 6) return QUICK_GIVE_UP;
          for (int i = 2; i < 6; i++) {
            unsigned h = p[i];
            if (!((h >= '0' && h <= '9') || (h >= 'a' && h <= 'f') || (h >= 'A' && h <= 'F')))
              return QUICK_GIVE_UP;
          }
          p += 6;
          break;
        default:
          return QUICK_GIVE_UP;
      }
    } else if (c < 0x20) {
      return QUICK_GIVE_UP;
    } else { /* UTF-8: no overlong forms, no surrogates, at most U+10FFFF */
      unsigned lo, hi;
      int need = json_utf8_lead(c, &lo, &hi);
      if (need == 0 || end - p <= need) return QUICK_GIVE_UP;
      for (int i = 1; i <= need; i++) {
        unsigned min = i == 1 ? lo : 0x80, max = i == 1 ? hi : 0xBF;
        if (p[i] < min || p[i] > max) return QUICK_GIVE_UP;
      }
      p += need + 1;
    }
  }
  *text = (const char *)start;
  *len = (size_t)(p - start);
  q->p = p + 1;
  return 0;
}

static inline int is_digit(const unsigned char *p, const unsigned char *end) {
  return p < end && (unsigned)(*p - '0') < 10;
}

/* A number, as json.c's read_number accepts it. */
static int quick_number(Quick *q) {
  const unsigned char *p = q->p, *end = q->end;
  if (p < end && *p == '-') p++;
  if (p < end && *p == '0') p++;
  else if (is_digit(p, end)) while (is_digit(p, end)) p++;
  else return QUICK_GIVE_UP;
  if (p < end && *p == '.') {
    p++;
    if (!is_digit(p, end)) return QUICK_GIVE_UP;
    while (is_digit(p, end)) p++;
  }
  if (p < end && (*p == 'e' || *p == 'E')) {
    p++;
    if (p < end && (*p == '+' || *p == '-')) p++;
    if (!is_digit(p, end)) return QUICK_GIVE_UP;
    while (is_digit(p, end)) p++;
  }
  if (p < end && (is_digit(p, end) || *p == '.' || ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z')))
    return QUICK_GIVE_UP;
  q->p = p;
  return 0;
}

static int quick_literal(Quick *q, const char *word, size_t n) {
  if ((size_t)(q->end - q->p) < n || memcmp(q->p, word, n) != 0) return QUICK_GIVE_UP;
  q->p += n;
  return 0;
}

static JsonValue *quick_node(Quick *q, JsonType type, const unsigned char *at) {
  JsonValue *v = json_arena_alloc(q->arena, sizeof *v);
  if (v) {
    *v = (JsonValue){.type = type, .line = 1, .col = (uint32_t)(at - q->line) + 1};
  }
  return v;
}

/* The value under the cursor, built into *out when out is not NULL;
** `filter`: members of objects are built only when usage_key_wanted. */
static int quick_value(Quick *q, int depth, int filter, JsonValue **out) {
  const unsigned char *at;
  JsonValue *v = NULL;
  int rc;
  quick_space(q);
  if (q->p >= q->end) return QUICK_GIVE_UP;
  at = q->p;
  switch (*at) {
    case '{':
    case '[': {
      int is_object = *at == '{';
      unsigned char close = is_object ? '}' : ']';
      JsonValue **link = NULL;
      if (depth >= QUICK_MAX_DEPTH) return QUICK_GIVE_UP;
      if (out) {
        if (!(v = quick_node(q, is_object ? JSON_OBJECT : JSON_ARRAY, at))) return QUICK_NOMEM;
        link = &v->child;
      }
      q->p++;
      quick_space(q);
      if (q->p < q->end && *q->p == close) {
        q->p++;
        break;
      }
      for (;;) {
        JsonValue *child = NULL;
        const char *key = NULL;
        size_t key_len = 0;
        int build = out != NULL;
        if (is_object) {
          int escaped;
          quick_space(q);
          if (q->p >= q->end || *q->p != '"') return QUICK_GIVE_UP;
          if (quick_string(q, &key, &key_len, &escaped)) return QUICK_GIVE_UP;
          if (build && escaped) return QUICK_GIVE_UP;
          quick_space(q);
          if (q->p >= q->end || *q->p != ':') return QUICK_GIVE_UP;
          q->p++;
          if (build && filter && !usage_key_wanted(key, key_len)) build = 0;
        }
        rc = quick_value(q, depth + 1, filter && is_object, build ? &child : NULL);
        if (rc) return rc;
        if (child) {
          child->key = key;
          child->key_len = (uint32_t)key_len;
          *link = child;
          link = &child->next;
          v->len++;
        }
        quick_space(q);
        if (q->p < q->end && *q->p == ',') {
          q->p++;
          continue;
        }
        if (q->p < q->end && *q->p == close) {
          q->p++;
          break;
        }
        return QUICK_GIVE_UP;
      }
      break;
    }
    case '"': {
      const char *text;
      size_t len;
      int escaped;
      if (quick_string(q, &text, &len, &escaped)) return QUICK_GIVE_UP;
      if (out) {
        if (escaped) return QUICK_GIVE_UP;
        if (!(v = quick_node(q, JSON_STRING, at))) return QUICK_NOMEM;
        v->text = text;
        v->len = (uint32_t)len;
      }
      break;
    }
    case 't':
      if (quick_literal(q, "true", 4)) return QUICK_GIVE_UP;
      if (out && !(v = quick_node(q, JSON_TRUE, at))) return QUICK_NOMEM;
      break;
    case 'f':
      if (quick_literal(q, "false", 5)) return QUICK_GIVE_UP;
      if (out && !(v = quick_node(q, JSON_FALSE, at))) return QUICK_NOMEM;
      break;
    case 'n':
      if (quick_literal(q, "null", 4)) return QUICK_GIVE_UP;
      if (out && !(v = quick_node(q, JSON_NULL, at))) return QUICK_NOMEM;
      break;
    default:
      if (*at != '-' && !is_digit(at, q->end)) return QUICK_GIVE_UP;
      if (quick_number(q)) return QUICK_GIVE_UP;
      if (out) {
        if (!(v = quick_node(q, JSON_NUMBER, at))) return QUICK_NOMEM;
        v->text = (const char *)at;
        v->len = (uint32_t)(q->p - at);
      }
      break;
  }
  if (out) *out = v;
  return 0;
}

/* The line's sparse tree: 0, or QUICK_GIVE_UP, or QUICK_NOMEM. */
static int quick_parse(const char *line, size_t n, JsonArena *arena, JsonValue **out) {
  Quick q = {(const unsigned char *)line, (const unsigned char *)line,
             (const unsigned char *)line + n, arena};
  int rc;
  quick_space(&q);
  if (q.p >= q.end || *q.p != '{') return QUICK_GIVE_UP; /* also a byte order mark */
  rc = quick_value(&q, 0, 1, out);
  if (rc) return rc;
  quick_space(&q);
  return q.p == q.end ? 0 : QUICK_GIVE_UP;
}

/* ------------------------------------------------------------ the stream */

struct UsageStream {
  JsonlReader *lines;
  size_t max_line;
  JsonArena arena;
  char *name;
  unsigned skip;
  int whole_tree;
  JsonError json_error;
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

void usage_stream_skip(UsageStream *s, unsigned skip) { s->skip = skip; }

void usage_stream_sparse(UsageStream *s, int sparse) { s->whole_tree = !sparse; }

const char *usage_stream_error(const UsageStream *s) {
  return jsonl_error(s->lines);
}

static int is_blank(const char *p, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r') return 0;
  }
  return 1;
}

/* A JSON error for the line: json_parse_sparse gives its column within the
** line; the file and line number are ours. */
static void json_error(UsageStream *s, UsageRecord *rec) {
  format_into(rec->error, sizeof rec->error, "%s:%llu:%u: %s", s->name,
              (unsigned long long)rec->line, s->json_error.col, s->json_error.message);
}

/* The line through json_parse_sparse (the whole tree when whole_tree):
** the reference, and the only path that writes messages. */
static int normalize_slowly(UsageStream *s, const JsonlLine *line, UsageRecord *rec) {
  JsonValue *root;
  int rc;
  json_arena_reset(&s->arena); /* whatever quick_parse built: one tree at a time */
  rc = json_parse_sparse(line->text, line->len, s->whole_tree ? NULL : usage_key_wanted,
                         &s->arena, &root, &s->json_error);
  if (rc == JSON_NOMEM) return USAGE_NOMEM; /* never a row: it is not the line's fault */
  if (rc != 0) json_error(s, rec);
  else normalize(s->name, rec->line, root, s->skip, 0, rec);
  return 1;
}

int usage_stream_next(UsageStream *s, UsageRecord *rec) {
  JsonlLine line;
  JsonValue *root;
  int rc = jsonl_next(s->lines, &line);
  if (rc == JSONL_NOMEM) return USAGE_NOMEM;
  if (rc < 0) return USAGE_ERROR;
  if (rc == 0) return 0;

  memset(rec, 0, offsetof(UsageRecord, error)); /* the message needs only its first byte */
  rec->error[0] = 0;
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
  } else if (!s->whole_tree &&
             (rc = quick_parse(line.text, line.len, &s->arena, &root)) != QUICK_GIVE_UP) {
    if (rc == QUICK_NOMEM) return USAGE_NOMEM;
    normalize(s->name, rec->line, root, s->skip, 1, rec);
    if (rec->error[0]) { /* a problem: the message comes from the whole parser's tree */
      memset(rec, 0, offsetof(UsageRecord, error));
      rec->error[0] = 0;
      rec->line = line.number;
      rec->raw = (UsageText){line.text, line.len};
      return normalize_slowly(s, &line, rec);
    }
  } else {
    return normalize_slowly(s, &line, rec);
  }
  return 1;
}
