/*
** Usage events: one normalized record per line of a JSONL usage log, whatever
** system wrote it. The dialects, the arithmetic that makes their token
** buckets disjoint, and the error rules are the manual at the top of
** ext/core/usage.c; vtab/usage_events.c puts the records in a table.
**
** Plain C; no SQLite. Allocation through tl_malloc (ext/core/tl_alloc.h).
*/
#ifndef TOKENLEDGER_USAGE_H
#define TOKENLEDGER_USAGE_H

#include <stddef.h>
#include <stdint.h>

#include "json.h"
#include "timestamp.h"

typedef enum UsageDialect {
  USAGE_NONE = 0,         /* no usage found: the record's error says why */
  USAGE_OPENAI_CHAT,      /* usage.prompt_tokens / completion_tokens */
  USAGE_OPENAI_RESPONSES, /* usage.input_tokens + input_tokens_details */
  USAGE_OPENROUTER,       /* OpenAI chat shape with usage.cost */
  USAGE_LITELLM,          /* LiteLLM spend log: top-level tokens + spend */
  USAGE_ANTHROPIC,        /* usage.input_tokens + cache_*_input_tokens */
  USAGE_CLAUDE_CODE,      /* Claude Code session log: message.usage */
  USAGE_BEDROCK,          /* Bedrock Converse: usage.inputTokens ... */
  USAGE_GEMINI,           /* usageMetadata.promptTokenCount ... */
  USAGE_OTEL,             /* OpenTelemetry GenAI span attributes */
  USAGE_GENERIC,          /* bare input_tokens / output_tokens */
  USAGE_OPENAI_REALTIME   /* response.usage + input_token_details (Realtime API) */
} UsageDialect;

/* The disjoint token buckets, in column order. */
enum {
  USAGE_INPUT,       /* uncached input */
  USAGE_CACHE_READ,  /* input served from a cache */
  USAGE_CACHE_WRITE, /* input written to a cache */
  USAGE_OUTPUT,      /* output, reasoning excluded when reported apart */
  USAGE_REASONING,   /* reasoning / thinking output reported as such */
  USAGE_NBUCKET
};

/* The other units a provider bills, in column order (after `raw`). Each is
** known only when the record reports it (extra_known). The modalities are
** disjoint from the five buckets above and from each other (the arithmetic
** is at the top of ext/core/usage.c); the cache-write split is a breakdown of
** USAGE_CACHE_WRITE and cached audio one of USAGE_CACHE_READ; web searches
** are requests, not tokens. */
enum {
  USAGE_AUDIO_INPUT,    /* uncached audio input */
  USAGE_AUDIO_OUTPUT,
  USAGE_IMAGE_INPUT,    /* uncached image input (Gemini: and documents) */
  USAGE_IMAGE_OUTPUT,
  USAGE_VIDEO_INPUT,    /* uncached video input */
  USAGE_VIDEO_OUTPUT,
  USAGE_CACHE_WRITE_5M, /* cache writes kept 5 minutes (part of cache_write) */
  USAGE_CACHE_WRITE_1H, /* cache writes kept 1 hour (part of cache_write) */
  USAGE_WEB_SEARCH,     /* web search requests */
  USAGE_CACHE_READ_AUDIO, /* cache reads of audio input (part of cache_read) */
  USAGE_NEXTRA
};

typedef struct UsageText {
  const char *p; /* NULL when absent; not NUL-terminated */
  size_t n;
} UsageText;

#define USAGE_ERROR_SIZE 400

typedef struct UsageRecord {
  uint64_t line;         /* 1-based line number in the file */
  UsageText raw;         /* the line as written (p NULL for an over-long line) */
  UsageDialect dialect;
  int64_t tokens[USAGE_NBUCKET];
  unsigned known;        /* bit b set: tokens[b] is a value (else NULL) */
  int64_t extra[USAGE_NEXTRA];
  unsigned extra_known;  /* bit e set: extra[e] is a value (else NULL) */
  UsageText service_tier;
  int has_ts;
  char ts[TL_TIME_ISO_SIZE];
  UsageText provider, model, request_id, status;
  int has_cost;
  double cost;           /* reported_cost: what the record says it cost */
  int has_latency;
  double latency_ms;
  char error[USAGE_ERROR_SIZE]; /* "" when the line is a sound record */
} UsageRecord;

const char *usage_dialect_name(UsageDialect d);

/* Normalize one parsed line. `name` and `line` prefix error messages
** ("NAME:LINE:COL: ..."). Text fields point into root's arena. */
void usage_normalize(const char *name, uint64_t line, const JsonValue *root,
                     UsageRecord *rec);

/* Fields a caller may do without (usage_normalize_fields, usage_stream_skip).
** USAGE_SKIP_TIME: no ts and no latency_ms, and so none of their errors; a
** caller that reads neither them nor `error` gets the same rows faster. */
#define USAGE_SKIP_TIME 1u
void usage_normalize_fields(const char *name, uint64_t line, const JsonValue *root,
                            unsigned skip, UsageRecord *rec);

/* The JSON tree usage_normalize needs: a line parsed with this filter
** (json_parse_sparse) normalizes exactly as the whole tree does. */
int usage_key_wanted(const char *key, size_t n);

/* A stream of records over a JSONL file: one line in memory at a time. */
typedef struct UsageStream UsageStream;

/* Return codes besides 0 and 1. Out of memory is never a record: a caller
** that turned it into a row would make `WHERE error IS NULL` drop data. */
#define USAGE_ERROR (-1) /* the file cannot be opened or read on */
#define USAGE_NOMEM (-2) /* out of memory */

/* Opens a stream into *out: 0, or USAGE_ERROR with a static reason in *err,
** or USAGE_NOMEM. max_line 0: the default cap (JSONL_MAX_LINE, 64 MiB). */
int usage_stream_open_file(const char *path, size_t max_line, UsageStream **out,
                           const char **err);
/* `name` is used in error messages (copied); buf is not copied. NULL when
** out of memory. */
UsageStream *usage_stream_open_memory(const char *name, const char *buf,
                                      size_t n, size_t max_line);
void usage_stream_close(UsageStream *s);
/* USAGE_SKIP_* flags for the records that follow (0 by default). */
void usage_stream_skip(UsageStream *s, unsigned skip);
/* 1 (the default): parse each line into the sparse tree usage_normalize
** reads; 0: the whole tree. The records are the same (tests compare them). */
void usage_stream_sparse(UsageStream *s, int sparse);

/* The next line's record: 1, or 0 at the end, or USAGE_ERROR when the file
** cannot be read on (usage_stream_error() says why), or USAGE_NOMEM. Every
** line gives a record, bad ones with rec->error set. Record texts are valid
** until the next call.
**
** Memory: one line's JSON tree, at most USAGE_TREE_PER_BYTE bytes per byte
** of the line plus one 64 KiB arena block (a line of `0,0,0,...` is the
** worst case: each value is a 64-byte node and a 16-byte text for 2 bytes of
** input), on top of the line reader's buffer (jsonl.h); while the line is
** parsed, also a scratch of up to twice its longest escaped string. */
#define USAGE_TREE_PER_BYTE 40
int usage_stream_next(UsageStream *s, UsageRecord *rec);
const char *usage_stream_error(const UsageStream *s);

#endif
