/*
** usage_events: a JSONL usage log as a table, one row per line, token counts
** normalized into disjoint buckets whatever system wrote the log.
**
**   .load ./tokenledger
**   SELECT model, sum(input_tokens), sum(cache_read_tokens),
**          sum(cache_write_tokens), sum(output_tokens), sum(reasoning_tokens)
**     FROM usage_events('events.jsonl') WHERE error IS NULL GROUP BY model;
**
**   CREATE VIRTUAL TABLE temp.e USING usage_events(file='events.jsonl');
**   SELECT line, error FROM e WHERE error IS NOT NULL;
**
** Parameters: the file, either as the table-valued function's argument (the
** HIDDEN column `file`) or as file='PATH' when the table is created (any
** other argument is an error; the key in any case, the value bare or quoted
** with '..' or "..", as ext/core/args.h reads every module's). Columns:
**
**   line                1-based line number (also the rowid)
**   ts                  ISO-8601 UTC, YYYY-MM-DDTHH:MM:SS.sssZ (ext/core/timestamp.h)
**   provider, model     as the record writes them
**   dialect             openai_chat, openai_responses, openai_realtime,
**                       openrouter, litellm, anthropic, claude_code, bedrock,
**                       gemini, otel_genai, generic; NULL when the line
**                       carries no usage
**   input_tokens        uncached input
**   cache_read_tokens   input read from a prompt cache
**   cache_write_tokens  input written to a prompt cache
**   output_tokens       output, reasoning excluded when reported apart
**   reasoning_tokens    reasoning output the record reports as such
**   reported_cost       the cost the record itself carries (USD), if any
**   request_id, latency_ms, status
**   error               NULL for a sound record, else FILE:LINE:COL: why
**   raw                 the line as written
**   audio_input_tokens, audio_output_tokens, image_input_tokens,
**   image_output_tokens, video_input_tokens, video_output_tokens
**                       tokens of those modalities (uncached inputs), taken
**                       out of input_tokens / output_tokens
**   cache_write_5m_tokens, cache_write_1h_tokens
**                       cache writes by time to live, a breakdown of
**                       cache_write_tokens
**   web_search_requests server-side web searches (requests)
**   service_tier        as the record writes it (default, flex, priority,
**                       scale, standard, batch, ...)
**   cache_read_audio_tokens
**                       cache reads of audio input (Gemini cacheTokensDetails
**                       AUDIO, Realtime cached_tokens_details.audio_tokens),
**                       a breakdown of cache_read_tokens; 0 when the record
**                       lists its cached tokens by modality without audio
** Each of the last eleven is NULL when the record does not say, 0 when it
** says 0; they come after `raw`, and each new one last, so that the columns
** before keep their places.
**
** The five token buckets and the modalities never overlap: each dialect's
** arithmetic (which totals include cached, reasoning, audio, image and video
** tokens) is at the top of ext/core/usage.c. A line that is not JSON, carries no usage, is blank, is
** longer than 64 MiB or has impossible counts is still a row, with `error`
** set, so count(*) is the number of lines in the file.
**
** HOW IT WORKS. ext/core/jsonl.c reads the file in 256 KiB chunks and hands out
** one line at a time; ext/core/usage.c parses it into a tree of the members it
** reads, in an arena that is reset for every line, finds the dialect and
** fills a record. xBestIndex looks at the columns a statement uses: without
** ts, latency_ms and error, timestamps are not parsed at all.
** Memory stays at one chunk plus the longest line, however long the file.
** Every scan re-reads the file. The module reads files, so it is
** SQLITE_VTAB_DIRECTONLY: a schema written by someone else cannot use it.
*/
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT3

#include <string.h>

#include "tokenledger_modules.h"
#include "trust.h"
#include "vtab_args.h"
#include "usage.h"
#include "vtab_error.h"

#define USAGE_EVENTS_COLUMN_LINE 0
#define USAGE_EVENTS_COLUMN_TS 1
#define USAGE_EVENTS_COLUMN_PROVIDER 2
#define USAGE_EVENTS_COLUMN_MODEL 3
#define USAGE_EVENTS_COLUMN_DIALECT 4
#define USAGE_EVENTS_COLUMN_INPUT 5 /* the five token buckets follow in usage.h order */
#define USAGE_EVENTS_COLUMN_COST 10
#define USAGE_EVENTS_COLUMN_REQUEST_ID 11
#define USAGE_EVENTS_COLUMN_LATENCY 12
#define USAGE_EVENTS_COLUMN_STATUS 13
#define USAGE_EVENTS_COLUMN_ERROR 14
#define USAGE_EVENTS_COLUMN_RAW 15
#define USAGE_EVENTS_COLUMN_EXTRA 16 /* the USAGE_NEXTRA other units follow in usage.h order */
#define USAGE_EVENTS_COLUMN_SERVICE_TIER 25
#define USAGE_EVENTS_COLUMN_CACHE_READ_AUDIO 26 /* added after service_tier: positions stay */
#define USAGE_EVENTS_COLUMN_FILE 27

static const char usage_schema[] =
    "CREATE TABLE x(line INTEGER, ts TEXT, provider TEXT, model TEXT, "
    "dialect TEXT, input_tokens INTEGER, cache_read_tokens INTEGER, "
    "cache_write_tokens INTEGER, output_tokens INTEGER, reasoning_tokens INTEGER, "
    "reported_cost REAL, request_id TEXT, latency_ms REAL, status TEXT, "
    "error TEXT, raw TEXT, audio_input_tokens INTEGER, audio_output_tokens INTEGER, "
    "image_input_tokens INTEGER, image_output_tokens INTEGER, video_input_tokens INTEGER, "
    "video_output_tokens INTEGER, cache_write_5m_tokens INTEGER, "
    "cache_write_1h_tokens INTEGER, web_search_requests INTEGER, service_tier TEXT, "
    "cache_read_audio_tokens INTEGER, file HIDDEN)";

typedef struct UsageTable {
  sqlite3_vtab base;
  char *file; /* from CREATE VIRTUAL TABLE ... (file=...), or NULL */
} UsageTable;

typedef struct UsageCursor {
  sqlite3_vtab_cursor base;
  UsageStream *stream;
  UsageRecord rec;
  char *file; /* the file of this scan (sqlite3_malloc) */
  int eof;
} UsageCursor;

/* The one argument of CREATE VIRTUAL TABLE (ext/core/args.h). */
static const TlArgSpec usage_args[] = {{"file", TL_ARG_TEXT, 1, NULL}};

/* xConnect, also xCreate: argv[3..] are CREATE VIRTUAL TABLE's arguments;
** the eponymous table-valued function has none. */
static int usageEventsConnect(sqlite3 *db, void *pAux, int argc, const char *const *argv,
                              sqlite3_vtab **ppVtab, char **pzErr) {
  UsageTable *tab;
  char *file = NULL;
  int rc = tl_require_temp_schema("usage_events", argc, argv, pzErr);
  (void)pAux;
  if (rc != SQLITE_OK) return rc;
  if (argc > 3) {
    TlArgValue v = {0, NULL, 0};
    rc = tl_vtab_args("usage_events", usage_args, 1, argc, argv, &v, pzErr);
    if (rc != SQLITE_OK) return rc;
    file = v.text; /* tl_malloc is sqlite3_malloc64 here */
  }
  if (file) { /* fail at creation, not at the first query */
    const char *why = NULL;
    UsageStream *probe;
    rc = usage_stream_open_file(file, 0, &probe, &why);
    if (rc != 0) {
      rc = rc == USAGE_ERROR ? tl_vtab_error(pzErr, SQLITE_ERROR,
                                             "usage_events: cannot open '%s': %s", file, why)
                             : SQLITE_NOMEM;
      sqlite3_free(file);
      return rc;
    }
    usage_stream_close(probe);
  }
  rc = sqlite3_declare_vtab(db, usage_schema);
  if (rc == SQLITE_OK) rc = sqlite3_vtab_config(db, SQLITE_VTAB_DIRECTONLY);
  if (rc != SQLITE_OK) {
    sqlite3_free(file);
    return rc;
  }
  tab = sqlite3_malloc(sizeof *tab);
  if (!tab) {
    sqlite3_free(file);
    return SQLITE_NOMEM;
  }
  memset(tab, 0, sizeof *tab);
  tab->file = file;
  *ppVtab = &tab->base;
  return SQLITE_OK;
}

/* xDisconnect, also xDestroy */
static int usageEventsDisconnect(sqlite3_vtab *pVtab) {
  UsageTable *tab = (UsageTable *)pVtab;
  sqlite3_free(tab->file);
  sqlite3_free(tab);
  return SQLITE_OK;
}

/* idxNum bits:
**   USAGE_IDX_FILE (1)  the file argument arrived as argv[0] (the
**                       table-valued form); without it the table's own file=
**                       is read.
**   USAGE_IDX_NO_TIME (2)  the statement reads none of ts, latency_ms and
**                       error (colUsed), so timestamps are not parsed
**                       (USAGE_SKIP_TIME): the rows it sees are the same.
** A table created with file= leaves constraints on `file` to SQLite. */
#define USAGE_IDX_FILE 1
#define USAGE_IDX_NO_TIME 2

/* colUsed bit of a column (the last bit stands for every column past 63). */
#define USAGE_EVENTS_USED_BIT(col) ((sqlite3_uint64)1 << ((col) < 63 ? (col) : 63))

/* xBestIndex */
static int usageEventsBestIndex(sqlite3_vtab *pVtab, sqlite3_index_info *info) {
  UsageTable *tab = (UsageTable *)pVtab;
  int file_arg = -1, unusable = 0;
  for (int i = 0; i < info->nConstraint; i++) {
    const struct sqlite3_index_constraint *c = &info->aConstraint[i];
    if (c->iColumn != USAGE_EVENTS_COLUMN_FILE || c->op != SQLITE_INDEX_CONSTRAINT_EQ) continue;
    if (!c->usable) unusable = 1;
    else if (file_arg < 0) file_arg = i;
  }
  info->idxNum = 0;
  if (!(info->colUsed & (USAGE_EVENTS_USED_BIT(USAGE_EVENTS_COLUMN_TS) |
                         USAGE_EVENTS_USED_BIT(USAGE_EVENTS_COLUMN_LATENCY) |
                         USAGE_EVENTS_USED_BIT(USAGE_EVENTS_COLUMN_ERROR))))
    info->idxNum |= USAGE_IDX_NO_TIME;
  info->estimatedRows = 100000; /* a log's size is unknown until read */
  info->estimatedCost = 1e6;
  if (tab->file) return SQLITE_OK;
  if (file_arg >= 0) {
    info->aConstraintUsage[file_arg].argvIndex = 1;
    info->aConstraintUsage[file_arg].omit = 1;
    info->idxNum |= USAGE_IDX_FILE;
  } else if (unusable) {
    return SQLITE_CONSTRAINT; /* try a plan that gives us the file */
  }
  return SQLITE_OK;
}

/* xOpen */
static int usageEventsOpen(sqlite3_vtab *pVtab, sqlite3_vtab_cursor **ppCursor) {
  UsageCursor *cur = sqlite3_malloc(sizeof *cur);
  (void)pVtab;
  if (!cur) return SQLITE_NOMEM;
  memset(cur, 0, sizeof *cur);
  cur->eof = 1;
  *ppCursor = &cur->base;
  return SQLITE_OK;
}

static void cursor_reset(UsageCursor *cur) {
  usage_stream_close(cur->stream);
  cur->stream = NULL;
  sqlite3_free(cur->file);
  cur->file = NULL;
  cur->eof = 1;
}

/* xClose */
static int usageEventsClose(sqlite3_vtab_cursor *pCursor) {
  UsageCursor *cur = (UsageCursor *)pCursor;
  cursor_reset(cur);
  sqlite3_free(cur);
  return SQLITE_OK;
}

/* xNext */
static int usageEventsNext(sqlite3_vtab_cursor *pCursor) {
  UsageCursor *cur = (UsageCursor *)pCursor;
  int rc = usage_stream_next(cur->stream, &cur->rec);
  if (rc < 0) cur->eof = 1;
  if (rc == USAGE_NOMEM) return tl_vtab_error_take(&pCursor->pVtab->zErrMsg, SQLITE_NOMEM, NULL);
  if (rc < 0) {
    return tl_vtab_error(&pCursor->pVtab->zErrMsg, SQLITE_ERROR,
                         "usage_events: cannot read '%s': %s", cur->file,
                         usage_stream_error(cur->stream));
  }
  cur->eof = rc == 0;
  return SQLITE_OK;
}

/* xFilter */
static int usageEventsFilter(sqlite3_vtab_cursor *pCursor, int idxNum, const char *idxStr,
                             int argc, sqlite3_value **argv) {
  UsageCursor *cur = (UsageCursor *)pCursor;
  UsageTable *tab = (UsageTable *)pCursor->pVtab;
  char **err = &pCursor->pVtab->zErrMsg;
  const char *file = tab->file, *why = NULL;
  int rc;
  (void)idxStr;
  cursor_reset(cur);
  if ((idxNum & USAGE_IDX_FILE) && argc > 0) {
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL)
      return tl_vtab_error(err, SQLITE_ERROR,
                           "usage_events: the file is NULL: expected a file name");
    file = (const char *)sqlite3_value_text(argv[0]);
    if (!file) return tl_vtab_error_take(err, SQLITE_NOMEM, NULL); /* text ran out of memory */
  }
  if (!file)
    return tl_vtab_error(err, SQLITE_ERROR,
                         "usage_events: missing file argument: expected "
                         "usage_events('events.jsonl')");
  cur->file = sqlite3_mprintf("%s", file);
  if (!cur->file) return SQLITE_NOMEM;
  rc = usage_stream_open_file(cur->file, 0, &cur->stream, &why);
  if (rc == USAGE_NOMEM) return tl_vtab_error_take(err, SQLITE_NOMEM, NULL);
  if (rc != 0)
    return tl_vtab_error(err, SQLITE_ERROR, "usage_events: cannot open '%s': %s", cur->file, why);
  usage_stream_skip(cur->stream, (idxNum & USAGE_IDX_NO_TIME) ? USAGE_SKIP_TIME : 0);
  return usageEventsNext(pCursor);
}

/* xEof */
static int usageEventsEof(sqlite3_vtab_cursor *pCursor) {
  return ((UsageCursor *)pCursor)->eof;
}

static void result_text(sqlite3_context *ctx, UsageText t) {
  if (t.p) sqlite3_result_text64(ctx, t.p, t.n, SQLITE_TRANSIENT, SQLITE_UTF8);
}

/* xColumn */
static int usageEventsColumn(sqlite3_vtab_cursor *pCursor, sqlite3_context *ctx, int col) {
  UsageCursor *cur = (UsageCursor *)pCursor;
  const UsageRecord *rec = &cur->rec;
  switch (col) {
    case USAGE_EVENTS_COLUMN_LINE:
      sqlite3_result_int64(ctx, (sqlite3_int64)rec->line);
      break;
    case USAGE_EVENTS_COLUMN_TS:
      if (rec->has_ts) sqlite3_result_text(ctx, rec->ts, -1, SQLITE_TRANSIENT);
      break;
    case USAGE_EVENTS_COLUMN_PROVIDER:
      result_text(ctx, rec->provider);
      break;
    case USAGE_EVENTS_COLUMN_MODEL:
      result_text(ctx, rec->model);
      break;
    case USAGE_EVENTS_COLUMN_DIALECT:
      if (rec->dialect != USAGE_NONE)
        sqlite3_result_text(ctx, usage_dialect_name(rec->dialect), -1, SQLITE_STATIC);
      break;
    case USAGE_EVENTS_COLUMN_COST:
      if (rec->has_cost) sqlite3_result_double(ctx, rec->cost);
      break;
    case USAGE_EVENTS_COLUMN_REQUEST_ID:
      result_text(ctx, rec->request_id);
      break;
    case USAGE_EVENTS_COLUMN_LATENCY:
      if (rec->has_latency) sqlite3_result_double(ctx, rec->latency_ms);
      break;
    case USAGE_EVENTS_COLUMN_STATUS:
      result_text(ctx, rec->status);
      break;
    case USAGE_EVENTS_COLUMN_ERROR:
      if (rec->error[0]) sqlite3_result_text(ctx, rec->error, -1, SQLITE_TRANSIENT);
      break;
    case USAGE_EVENTS_COLUMN_RAW:
      result_text(ctx, rec->raw);
      break;
    case USAGE_EVENTS_COLUMN_SERVICE_TIER:
      result_text(ctx, rec->service_tier);
      break;
    case USAGE_EVENTS_COLUMN_FILE:
      sqlite3_result_text(ctx, cur->file, -1, SQLITE_TRANSIENT);
      break;
    default: { /* the token buckets and the other units */
      int b = col - USAGE_EVENTS_COLUMN_INPUT;
      int e = col == USAGE_EVENTS_COLUMN_CACHE_READ_AUDIO ? USAGE_CACHE_READ_AUDIO
                                                          : col - USAGE_EVENTS_COLUMN_EXTRA;
      if (b >= 0 && b < USAGE_NBUCKET && (rec->known & (1u << b)))
        sqlite3_result_int64(ctx, rec->tokens[b]);
      else if (e >= 0 && e < USAGE_NEXTRA && (rec->extra_known & (1u << e)))
        sqlite3_result_int64(ctx, rec->extra[e]);
      break;
    }
  }
  return SQLITE_OK;
}

/* xRowid */
static int usageEventsRowid(sqlite3_vtab_cursor *pCursor, sqlite3_int64 *pRowid) {
  *pRowid = (sqlite3_int64)((UsageCursor *)pCursor)->rec.line;
  return SQLITE_OK;
}

static sqlite3_module usageEventsModule = {
    0,                     /* iVersion */
    usageEventsConnect,    /* xCreate: same as xConnect, so the table is also eponymous */
    usageEventsConnect,    /* xConnect */
    usageEventsBestIndex,  /* xBestIndex */
    usageEventsDisconnect, /* xDisconnect */
    usageEventsDisconnect, /* xDestroy */
    usageEventsOpen,       /* xOpen */
    usageEventsClose,      /* xClose */
    usageEventsFilter,     /* xFilter */
    usageEventsNext,       /* xNext */
    usageEventsEof,        /* xEof */
    usageEventsColumn,     /* xColumn */
    usageEventsRowid,      /* xRowid */
    0,                     /* xUpdate */
    0,                     /* xBegin */
    0,                     /* xSync */
    0,                     /* xCommit */
    0,                     /* xRollback */
    0,                     /* xFindFunction */
    0,                     /* xRename */
    0,                     /* xSavepoint */
    0,                     /* xRelease */
    0,                     /* xRollbackTo */
    0,                     /* xShadowName */
};

int tl_register_usage_events(sqlite3 *db, char **pzErr) {
  (void)pzErr; /* nothing to say beyond the connection's message */
  return sqlite3_create_module(db, "usage_events", &usageEventsModule, 0);
}
