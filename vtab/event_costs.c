/*
** cost_events: every usage event of the ledger's logs costed with the rate
** card in force at its timestamp; sql/ledger.sql's view event_costs is
** `SELECT * FROM cost_events`, and that view is how it is meant to be read.
**
**   .read sql/ledger.sql      -- then fill ledger_sources
**   SELECT model, count(*), total(total_cost) FROM event_costs GROUP BY model;
**
** Rows: one per line of each log named in ledger_sources (kind 'events',
** in rowid order), then the rows of temp.ledger_calls (usage_cost's
** scratch call, source_path ':call'). A constraint source_path = X reads
** only that log (or only the calls). Columns and rules: the manual above
** event_costs in sql/ledger.sql, summarized:
**   Names. resolve_model(model, provider, NULL, ts) as the ledger_events
**     view does; the variant is variant_key(its variant, the service tier).
**   Card. The event's provider's card of its variant, else its plain card,
**     else the creator's plain card (rate_provider, rate_variant), else the
**     card a price list's own name rule gives the raw name, of the rule's
**     offering (rate_match_rules, genai-prices' match: rate_model,
**     rate_match_rule, said in cost_note); a daily window card of the
**     offering (genai-prices' deepseek peak price) when the UTC time of day
**     falls in its window and the window card is not newer than the base
**     card in force. A name mapped by a guess (rule undated) is looked up
**     under its own name first (rate_model), where model_prices kept such a
**     name apart ('own name'). In force at rate_at: the ts, else
**     the newest pricing snapshot_date (rate_at_assumed 1), else
**     '9999-12-31'.
**   Tier. The highest tier in force whose rule (tier_counts,
**     tier_comparison) the event passes; its prices, else the base card's.
**   Fallbacks. Cache units at the input price, reasoning at the output
**     price, modalities at the text price of their direction, 1-hour writes
**     at the 5-minute price; flagged (cache_price_fallback,
**     modality_price_fallback) and said in cost_note.
**   Cached audio. cache_read_audio_tokens (part of cache_read_tokens) are
**     billed at cache_read_audio_cost_per_token (cache_read_audio_cost);
**     cache_read_cost bills the rest. A card without that price bills them
**     at its cache read price, else its audio input price, else its input
**     price: what @pydantic/genai-prices does, whose calc bills a unit it
**     has no price for inside its nearest priced ancestor unit
**     (cache_read_tokens, then input_audio_tokens, then input_tokens; it
**     refuses a price with cache_read_mtok and input_audio_mtok but no
**     cache_audio_read_mtok, "Missing join price key", where this takes the
**     cache read price). Flagged: cache_price_fallback 1 and cost_note
**     "cached audio billed at the cache read price: none for cached audio
**     in PATH" (or "audio input", "input").
**   Costs. Exact decimal (ext/core/units.h), rounded once per column.
** The SQL form of the same rules, line for line, is the test oracle:
** tests/reference/event_costs_reference.sql; tests/costing compares the two
** on every column.
**
** HOW IT WORKS. xFilter reads rate_timeline (the TEMP view of
** sql/ledger.sql, else the table tokenledger_build wrote) once into a TlRateBook
** (ext/core/costing.c: a hash on provider and model, a binary search on time),
** then streams each log with ext/core/usage.c and costs each record in C:
** no per-event SQL, no automatic index rebuilt per query. Canonical names
** are cached per (provider, model) for the scan. A log of AHEAD_MIN_BYTES
** or more is parsed by a helper thread a few batches ahead of the costing
** (ext/core/usage_ahead.c) when the machine has a second CPU and SQLite is in
** serialized mode (the helper allocates through SQLite); the rows are the
** same either way, in the same order. Memory: the rate book, the name
** cache (at most NAME_CACHE_MAX entries, then emptied) and one line of the
** log, or with the helper three batches of AHEAD_RECORDS records.
**
** It reads the files ledger_sources names and runs SQL text: DIRECTONLY,
** eponymous only (CREATE VIRTUAL TABLE is refused), left out of the nofs
** entry point, and its statements are prepared by tl_prepare_guarded
** (vtab/trust.c), so a main.ledger_sources that is an attacker's view calls
** only innocuous functions.
*/
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT3

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "canonical.h"
#include "costing.h"
#include "func_result.h"
#include "tl_alloc.h"
#include "tl_file.h"
#include "tokenledger_modules.h"
#include "trust.h"
#include "usage.h"
#include "usage_ahead.h"
#include "vtab_error.h"

/* The columns, event_costs' (sql/ledger.sql), in order; a new unit's
** columns come last, so that the others keep their places. */
#define COLUMNS(X)                                                                           \
  X(SOURCE_PATH, source_path) X(LINE, line) X(TS, ts) X(RATE_AT, rate_at)                    \
  X(RATE_AT_ASSUMED, rate_at_assumed) X(RAW_PROVIDER, raw_provider) X(RAW_MODEL, raw_model)  \
  X(DIALECT, dialect) X(PROVIDER, provider) X(MODEL, model)                                  \
  X(MODEL_RULE, model_mapping_rule) X(MODEL_CONF, model_mapping_confidence)                  \
  X(RATE_PROVIDER, rate_provider) X(RATE_VARIANT, rate_variant) X(RATE_MODEL, rate_model)    \
  X(RATE_MATCH_RULE, rate_match_rule)                                                        \
  X(INPUT_TOKENS, input_tokens) X(CACHE_READ_TOKENS, cache_read_tokens)                      \
  X(CACHE_WRITE_TOKENS, cache_write_tokens) X(OUTPUT_TOKENS, output_tokens)                  \
  X(REASONING_TOKENS, reasoning_tokens) X(AUDIO_INPUT_TOKENS, audio_input_tokens)            \
  X(AUDIO_OUTPUT_TOKENS, audio_output_tokens) X(IMAGE_INPUT_TOKENS, image_input_tokens)      \
  X(IMAGE_OUTPUT_TOKENS, image_output_tokens) X(VIDEO_INPUT_TOKENS, video_input_tokens)      \
  X(VIDEO_OUTPUT_TOKENS, video_output_tokens) X(CACHE_WRITE_1H_TOKENS, cache_write_1h_tokens) \
  X(WEB_SEARCH_REQUESTS, web_search_requests) X(SERVICE_TIER, service_tier)                  \
  X(PROMPT_TOKENS, prompt_tokens) X(COMPLETION_TOKENS, completion_tokens)                    \
  X(TIER_START, tier_start_tokens) X(RATE_SOURCE_PATH, rate_source_path)                     \
  X(RATE_SOURCE_FORMAT, rate_source_format) X(RATE_ENTRY, rate_entry)                        \
  X(RATE_EFFECTIVE_FROM, rate_effective_from) X(RATE_SNAPSHOT, rate_recorded_snapshot)       \
  X(TIER_SOURCE_PATH, tier_source_path) X(TIER_EFFECTIVE_FROM, tier_effective_from)          \
  X(RATE_BACKDATED, rate_backdated) X(CACHE_FALLBACK, cache_price_fallback)                  \
  X(MODALITY_FALLBACK, modality_price_fallback)                                              \
  X(P_INPUT, input_cost_per_token) X(P_CACHE_READ, cache_read_cost_per_token)                \
  X(P_CACHE_WRITE, cache_write_cost_per_token) X(P_OUTPUT, output_cost_per_token)            \
  X(P_REASONING, reasoning_cost_per_token) X(P_AUDIO_IN, input_audio_cost_per_token)         \
  X(P_AUDIO_OUT, output_audio_cost_per_token) X(P_IMAGE_IN, input_image_cost_per_token)      \
  X(P_IMAGE_OUT, output_image_cost_per_token) X(P_VIDEO_IN, input_video_cost_per_token)      \
  X(P_VIDEO_OUT, output_video_cost_per_token) X(P_CACHE_WRITE_1H, cache_write_1h_cost_per_token) \
  X(P_REQUEST, per_request_cost) X(P_WEB_SEARCH, web_search_cost_per_call)                   \
  X(C_INPUT, input_cost) X(C_CACHE_READ, cache_read_cost) X(C_CACHE_WRITE, cache_write_cost) \
  X(C_CACHE_WRITE_1H, cache_write_1h_cost) X(C_OUTPUT, output_cost)                          \
  X(C_REASONING, reasoning_cost) X(C_AUDIO_IN, audio_input_cost)                             \
  X(C_AUDIO_OUT, audio_output_cost) X(C_IMAGE_IN, image_input_cost)                          \
  X(C_IMAGE_OUT, image_output_cost) X(C_VIDEO_IN, video_input_cost)                          \
  X(C_VIDEO_OUT, video_output_cost) X(C_REQUEST, request_cost)                               \
  X(C_WEB_SEARCH, web_search_cost) X(TOTAL_COST, total_cost) X(REPORTED_COST, reported_cost) \
  X(COST_MINUS_REPORTED, cost_minus_reported) X(COST_STATUS, cost_status)                    \
  X(COST_NOTE, cost_note) X(CACHE_READ_AUDIO_TOKENS, cache_read_audio_tokens)                \
  X(P_CACHE_READ_AUDIO, cache_read_audio_cost_per_token)                                     \
  X(C_CACHE_READ_AUDIO, cache_read_audio_cost)

#define AS_ENUM(id, name) COST_EVENTS_COLUMN_##id,
enum { COLUMNS(AS_ENUM) N_COLUMNS };
#define AS_STRING(id, name) #name,
static const char *const azColumn[N_COLUMNS] = {COLUMNS(AS_STRING)};

/* The price column of each unit (TlCostUnit order). */
static const int price_column[TL_NUNIT] = {
    COST_EVENTS_COLUMN_P_INPUT,           COST_EVENTS_COLUMN_P_CACHE_READ,
    COST_EVENTS_COLUMN_P_CACHE_WRITE,     COST_EVENTS_COLUMN_P_CACHE_WRITE_1H,
    COST_EVENTS_COLUMN_P_OUTPUT,          COST_EVENTS_COLUMN_P_REASONING,
    COST_EVENTS_COLUMN_P_AUDIO_IN,        COST_EVENTS_COLUMN_P_AUDIO_OUT,
    COST_EVENTS_COLUMN_P_IMAGE_IN,        COST_EVENTS_COLUMN_P_IMAGE_OUT,
    COST_EVENTS_COLUMN_P_VIDEO_IN,        COST_EVENTS_COLUMN_P_VIDEO_OUT,
    COST_EVENTS_COLUMN_P_REQUEST,         COST_EVENTS_COLUMN_P_WEB_SEARCH,
    COST_EVENTS_COLUMN_P_CACHE_READ_AUDIO};

/* rate_timeline, the prices in TlCostUnit order, then what the rows show. */
#define RATES_SELECT                                                                        \
  "SELECT provider, model, variant, tier_start_tokens, effective_from, valid_from, valid_to," \
  " input_cost_per_token, cache_read_cost_per_token, cache_write_cost_per_token,"          \
  " cache_write_1h_cost_per_token, output_cost_per_token, reasoning_cost_per_token,"       \
  " input_audio_cost_per_token, output_audio_cost_per_token, input_image_cost_per_token,"  \
  " output_image_cost_per_token, input_video_cost_per_token, output_video_cost_per_token," \
  " per_request_cost, web_search_cost, cache_read_audio_cost_per_token,"                   \
  " tier_counts, tier_comparison, tier_mode,"                                               \
  " window_start, window_end, source_path, source_format, entry, recorded_snapshot"        \
  " FROM rate_timeline"
enum { R_PROVIDER, R_MODEL, R_VARIANT, R_TIER, R_EFFECTIVE_FROM, R_VALID_FROM, R_VALID_TO,
       R_PRICE0, R_TIER_COUNTS = R_PRICE0 + TL_NUNIT, R_TIER_COMPARISON, R_TIER_MODE,
       R_WINDOW_START, R_WINDOW_END, R_SOURCE_PATH, R_SOURCE_FORMAT, R_ENTRY, R_SNAPSHOT,
       R_NCOL };
/* The values each card row keeps for display: the prices as written (so a
** price column keeps its type), then these. */
enum { KEEP_SOURCE_PATH = TL_NUNIT, KEEP_SOURCE_FORMAT, KEEP_ENTRY, KEEP_EFFECTIVE_FROM,
       KEEP_SNAPSHOT, N_KEEP };

#define RULES_SELECT                                                                        \
  "SELECT provider, model, variant, own_model, rule, source_path FROM rate_match_rules" \
  " ORDER BY provider, source_path, source_row"
#define NEWEST_SELECT \
  "SELECT max(snapshot_date) FROM main.ledger_sources WHERE kind = 'pricing'"
#define LOGS_SELECT "SELECT path FROM main.ledger_sources WHERE kind = 'events' ORDER BY rowid"
#define CALLS_SELECT                                                                        \
  "SELECT line, ts, provider, model, dialect, input_tokens, cache_read_tokens,"            \
  " cache_write_tokens, output_tokens, reasoning_tokens, audio_input_tokens,"              \
  " audio_output_tokens, image_input_tokens, image_output_tokens, video_input_tokens,"     \
  " video_output_tokens, cache_write_5m_tokens, cache_write_1h_tokens,"                    \
  " web_search_requests, cache_read_audio_tokens, service_tier, reported_cost, error"      \
  " FROM temp.ledger_calls ORDER BY rowid"
/* CALLS_SELECT's columns: the buckets, then the other units in usage.h order */
enum { CALL_BUCKET0 = 5, CALL_EXTRA0 = CALL_BUCKET0 + USAGE_NBUCKET,
       CALL_TIER = CALL_EXTRA0 + USAGE_NEXTRA, CALL_REPORTED, CALL_ERROR };
#define CALL_PATH ":call"
#define NAME_CACHE_MAX 4096
/* records per batch of the helper thread: fewer hand-overs between the
** threads, against 3 x 2048 x sizeof(UsageRecord) (~4 MB) in flight */
#define AHEAD_RECORDS 2048
#define AHEAD_MIN_BYTES (4 << 20)

typedef struct CostEventsTable {
  sqlite3_vtab base;
  sqlite3 *db;
  const TlCanonIndex *ix; /* the connection's (the module's pAux holds a reference) */
} CostEventsTable;

/* resolve_model's answer for one (provider, model) spelling, without as_of. */
typedef struct NameEntry {
  char *raw_provider, *raw_model; /* the key (raw_provider NULL: not given) */
  size_t provider_len, model_len;
  char *provider, *creator, *model, *variant;
  char *own_model;  /* rule undated: the raw name's own (model_prices' own_model) */
  const char *rule;
  int conf;
  int floating; /* resolve again with the event's date */
  int blocks_found; /* card_model, own_block and creator_block are looked up */
  const char *card_model; /* whose cards: own_model where they exist, else model */
  const TlRateBlock *own_block, *creator_block;
  int rule_memo;    /* the price lists' name rule for it: -2 not sought yet */
  struct NameEntry *next;
} NameEntry;

/* One event as the coster sees it, with what the row shows beside. */
typedef struct Event {
  sqlite3_int64 line;
  const char *ts; /* NULL: none */
  UsageText raw_provider, raw_model, service_tier;
  const char *dialect;
  const char *error; /* NULL: sound */
  int has_reported;
  double reported;
  long long tokens[USAGE_NBUCKET];
  unsigned known;
  long long extra[USAGE_NEXTRA];
  unsigned extra_known;
} Event;

typedef struct CostEventsCursor {
  sqlite3_vtab_cursor base;
  int eof;
  sqlite3_int64 rowid;
  TlRateBook *book;
  sqlite3_value **kept; /* N_KEEP values per card row */
  int nrow;
  char *newest;         /* newest pricing snapshot_date, or NULL */
  char **logs;          /* the log paths still to read, as ledger_sources names them */
  char *read_path;      /* the file opened for source_path (tl_file_beside) */
  int nlog, ilog;
  int want_calls;       /* read temp.ledger_calls after the logs */
  UsageStream *stream;
  UsageAhead *ahead;    /* the stream read ahead by a helper thread, or NULL */
  int use_helper;       /* SQLite is serialized and a second CPU is online */
  sqlite3_stmt *calls;  /* while reading temp.ledger_calls */
  char *source_path;    /* of the current row */
  UsageRecord rec;      /* the stream's record, when read directly */
  const UsageRecord *recp; /* the current record (rec, or the helper's) */
  NameEntry **names;    /* the name cache, NAME_CACHE_SLOTS buckets */
  int nnames;
  /* the current row */
  Event ev;
  char ts_buf[TL_TIME_ISO_SIZE];
  char *call_text[6];   /* copies of ledger_calls' texts for the row */
  const char *at_ts;     /* rate_at: the ts, else the newest snapshot, else 9999-12-31 */
  int at_assumed;
  NameEntry *name;       /* provider, creator, model, rule, conf (cache or resolved) */
  const char *raw_model; /* the event's raw model, NUL-terminated (the cache's copy) */
  NameEntry resolved;    /* when the name was resolved as of the ts */
  char variant[TL_VARIANT_KEY_SIZE];
  TlCostEvent cev;
  TlCostResult cost;
} CostEventsCursor;

#define NAME_CACHE_SLOTS 1024

/* ------------------------------------------------------------ the table */

static int costEventsConnect(sqlite3 *db, void *pAux, int argc, const char *const *argv,
                             sqlite3_vtab **ppVtab, char **pzErr) {
  (void)pzErr;
  (void)argc;
  (void)argv;
  sqlite3_str *schema = sqlite3_str_new(db);
  sqlite3_str_appendall(schema, "CREATE TABLE x(");
  for (int i = 0; i < N_COLUMNS; i++)
    sqlite3_str_appendf(schema, "%s%s", i ? ", " : "", azColumn[i]);
  sqlite3_str_appendall(schema, ")");
  char *sql = sqlite3_str_finish(schema);
  if (!sql) return SQLITE_NOMEM;
  int rc = sqlite3_declare_vtab(db, sql);
  sqlite3_free(sql);
  if (rc == SQLITE_OK) rc = sqlite3_vtab_config(db, SQLITE_VTAB_DIRECTONLY);
  if (rc != SQLITE_OK) return rc;
  CostEventsTable *t = sqlite3_malloc(sizeof *t);
  if (!t) return SQLITE_NOMEM;
  memset(t, 0, sizeof *t);
  t->db = db;
  t->ix = ((const TlCanonShared *)pAux)->ix;
  *ppVtab = &t->base;
  return SQLITE_OK;
}

static int costEventsDisconnect(sqlite3_vtab *pVtab) {
  sqlite3_free(pVtab);
  return SQLITE_OK;
}

/* xBestIndex: source_path = X reads one log (or the calls) only. */
static int costEventsBestIndex(sqlite3_vtab *pVtab, sqlite3_index_info *info) {
  (void)pVtab;
  info->estimatedCost = 1e9;
  info->estimatedRows = 1000000;
  for (int i = 0; i < info->nConstraint; i++) {
    const struct sqlite3_index_constraint *c = &info->aConstraint[i];
    if (c->usable && c->iColumn == COST_EVENTS_COLUMN_SOURCE_PATH &&
        c->op == SQLITE_INDEX_CONSTRAINT_EQ) {
      info->aConstraintUsage[i].argvIndex = 1;
      info->aConstraintUsage[i].omit = 1;
      info->idxNum = 1;
      info->estimatedCost = 1e6;
      info->estimatedRows = 1000;
      break;
    }
  }
  return SQLITE_OK;
}

/* ------------------------------------------------------------ the cursor */

static int costEventsOpen(sqlite3_vtab *pVtab, sqlite3_vtab_cursor **ppCursor) {
  (void)pVtab;
  CostEventsCursor *cur = sqlite3_malloc(sizeof *cur);
  if (!cur) return SQLITE_NOMEM;
  memset(cur, 0, sizeof *cur);
  cur->eof = 1;
  *ppCursor = &cur->base;
  return SQLITE_OK;
}

static void name_free(NameEntry *e) {
  sqlite3_free(e->raw_provider);
  sqlite3_free(e->raw_model);
  sqlite3_free(e->provider);
  sqlite3_free(e->creator);
  sqlite3_free(e->model);
  sqlite3_free(e->variant);
  sqlite3_free(e->own_model);
  sqlite3_free(e);
}

static void names_clear(CostEventsCursor *cur) {
  for (int i = 0; cur->names && i < NAME_CACHE_SLOTS; i++) {
    for (NameEntry *e = cur->names[i], *next; e; e = next) {
      next = e->next;
      name_free(e);
    }
    cur->names[i] = NULL;
  }
  cur->nnames = 0;
}

/* The strings of cur->resolved (a floating alias resolved as of a date). */
static void resolved_clear(CostEventsCursor *cur) {
  NameEntry *r = &cur->resolved;
  sqlite3_free(r->provider);
  sqlite3_free(r->creator);
  sqlite3_free(r->model);
  sqlite3_free(r->variant);
  sqlite3_free(r->own_model);
  memset(r, 0, sizeof *r);
}

static void row_clear(CostEventsCursor *cur) {
  for (int i = 0; i < 6; i++) {
    sqlite3_free(cur->call_text[i]);
    cur->call_text[i] = NULL;
  }
}

static void cursor_reset(CostEventsCursor *cur) {
  tl_ratebook_free(cur->book);
  cur->book = NULL;
  for (int i = 0; cur->kept && i < cur->nrow * N_KEEP; i++) sqlite3_value_free(cur->kept[i]);
  sqlite3_free(cur->kept);
  cur->kept = NULL;
  cur->nrow = 0;
  sqlite3_free(cur->newest);
  cur->newest = NULL;
  for (int i = 0; i < cur->nlog; i++) sqlite3_free(cur->logs[i]);
  sqlite3_free(cur->logs);
  cur->logs = NULL;
  cur->nlog = cur->ilog = 0;
  cur->want_calls = 0;
  usage_ahead_close(cur->ahead);
  cur->ahead = NULL;
  usage_stream_close(cur->stream);
  cur->stream = NULL;
  sqlite3_finalize(cur->calls);
  cur->calls = NULL;
  sqlite3_free(cur->source_path);
  cur->source_path = NULL;
  tl_free(cur->read_path);
  cur->read_path = NULL;
  names_clear(cur);
  sqlite3_free(cur->names);
  cur->names = NULL;
  row_clear(cur);
  resolved_clear(cur);
  cur->name = NULL;
  cur->eof = 1;
}

static int costEventsClose(sqlite3_vtab_cursor *pCursor) {
  CostEventsCursor *cur = (CostEventsCursor *)pCursor;
  cursor_reset(cur);
  sqlite3_free(cur);
  return SQLITE_OK;
}

/* Prepares one of this file's statements; on failure the vtab's message
** says what is missing. */
static int prepare(CostEventsCursor *cur, const char *sql, sqlite3_stmt **stmt) {
  CostEventsTable *t = (CostEventsTable *)cur->base.pVtab;
  char *why = NULL;
  int rc = tl_prepare_guarded(t->db, sql, stmt, NULL, &why);
  if (rc == SQLITE_OK) return SQLITE_OK;
  if (!why) return SQLITE_NOMEM;
  rc = tl_vtab_error(&t->base.zErrMsg, SQLITE_ERROR,
                     "cost_events: reading the ledger's tables (made by "
                     ".read sql/ledger.sql): %s",
                     why);
  sqlite3_free(why);
  return rc;
}

static const char *column_text(sqlite3_stmt *s, int i) {
  return (const char *)sqlite3_column_text(s, i);
}

/* A text column that is not NULL but could not be converted: out of memory. */
static int text_failed(sqlite3_stmt *s, int i) {
  return sqlite3_column_type(s, i) != SQLITE_NULL && !sqlite3_column_text(s, i);
}

/* One rate_timeline row into the book and cur->kept. */
static int add_card(CostEventsCursor *cur, sqlite3_stmt *s) {
  static const int keep_column[N_KEEP - TL_NUNIT] = {R_SOURCE_PATH, R_SOURCE_FORMAT, R_ENTRY,
                                                     R_EFFECTIVE_FROM, R_SNAPSHOT};
  TlRateCardIn in;
  memset(&in, 0, sizeof in);
  const char **text[] = {&in.provider, &in.model, &in.variant, NULL, &in.effective_from,
                         &in.valid_from, &in.valid_to};
  for (int i = 0; i < R_PRICE0; i++) {
    if (!text[i]) continue;
    *text[i] = column_text(s, i);
    if (text_failed(s, i)) return SQLITE_NOMEM;
  }
  in.tier_start = sqlite3_column_int64(s, R_TIER);
  for (int u = 0; u < TL_NUNIT; u++) {
    if (sqlite3_column_type(s, R_PRICE0 + u) == SQLITE_NULL) continue;
    in.has_price |= 1u << u;
    in.price[u] = sqlite3_column_double(s, R_PRICE0 + u);
  }
  const char **more[] = {&in.tier_counts, &in.tier_comparison, &in.tier_mode,
                         &in.window_start, &in.window_end, &in.source_path};
  for (int i = 0; i < 6; i++) {
    *more[i] = column_text(s, R_TIER_COUNTS + i);
    if (text_failed(s, R_TIER_COUNTS + i)) return SQLITE_NOMEM;
  }
  int row = cur->nrow;
  sqlite3_value **kept = sqlite3_realloc64(cur->kept, (sqlite3_uint64)(row + 1) * N_KEEP *
                                                          sizeof *kept);
  if (!kept) return SQLITE_NOMEM;
  cur->kept = kept;
  memset(&kept[row * N_KEEP], 0, N_KEEP * sizeof *kept);
  cur->nrow++;
  for (int k = 0; k < N_KEEP; k++) {
    int col = k < TL_NUNIT ? R_PRICE0 + k : keep_column[k - TL_NUNIT];
    kept[row * N_KEEP + k] = sqlite3_value_dup(sqlite3_column_value(s, col));
    if (!kept[row * N_KEEP + k]) return SQLITE_NOMEM;
  }
  return tl_ratebook_add(cur->book, &in, row) ? SQLITE_NOMEM : SQLITE_OK;
}

/* The price lists' name rules from temp.rate_match_rules, in list order. */
static int load_rules(CostEventsCursor *cur) {
  sqlite3_stmt *s = NULL;
  int rc = prepare(cur, RULES_SELECT, &s);
  if (rc != SQLITE_OK) return rc;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    const char *v[6];
    for (int i = 0; i < 6; i++) {
      v[i] = column_text(s, i);
      if (text_failed(s, i)) rc = SQLITE_NOMEM;
    }
    if (rc == SQLITE_ROW && tl_ratebook_add_rule(cur->book, v[0], v[1], v[2], v[3], v[4], v[5]))
      rc = SQLITE_NOMEM;
    if (rc != SQLITE_ROW) break;
  }
  if (rc == SQLITE_DONE) rc = SQLITE_OK;
  if (rc != SQLITE_OK && rc != SQLITE_NOMEM) {
    CostEventsTable *t = (CostEventsTable *)cur->base.pVtab;
    rc = tl_vtab_error(&t->base.zErrMsg, SQLITE_ERROR, "cost_events: reading rate_match_rules: %s",
                       sqlite3_errmsg(t->db));
  }
  sqlite3_finalize(s);
  return rc;
}

/* The rate book from temp.rate_timeline. */
static int load_rates(CostEventsCursor *cur) {
  sqlite3_stmt *s = NULL;
  int rc = prepare(cur, RATES_SELECT, &s);
  if (rc != SQLITE_OK) return rc;
  cur->book = tl_ratebook_new();
  if (!cur->book) rc = SQLITE_NOMEM;
  while (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) rc = add_card(cur, s);
  if (rc == SQLITE_DONE) rc = SQLITE_OK;
  if (rc != SQLITE_OK && rc != SQLITE_NOMEM) {
    CostEventsTable *t = (CostEventsTable *)cur->base.pVtab;
    rc = tl_vtab_error(&t->base.zErrMsg, SQLITE_ERROR, "cost_events: reading rate_timeline: %s",
                       sqlite3_errmsg(t->db));
  }
  sqlite3_finalize(s);
  if (rc == SQLITE_OK) rc = load_rules(cur);
  if (rc == SQLITE_OK) {
    char err[400];
    int frc = tl_ratebook_finish(cur->book, err, sizeof err);
    if (frc == -1) rc = SQLITE_NOMEM;
    else if (frc == -2)
      rc = tl_vtab_error(&cur->base.pVtab->zErrMsg, SQLITE_ERROR,
                         "cost_events: rate_match_rules: %s", err);
  }
  return rc;
}

/* The newest pricing snapshot and the logs to read (path, when given). */
static int load_sources(CostEventsCursor *cur, const char *path) {
  CostEventsTable *t = (CostEventsTable *)cur->base.pVtab;
  sqlite3_stmt *s = NULL;
  int rc = prepare(cur, NEWEST_SELECT, &s);
  if (rc != SQLITE_OK) return rc;
  if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL) {
    cur->newest = sqlite3_mprintf("%s", column_text(s, 0));
    if (!cur->newest) rc = SQLITE_NOMEM;
  }
  int frc = sqlite3_finalize(s);
  if (rc == SQLITE_OK) rc = frc;
  if (rc != SQLITE_OK) return rc;
  if ((rc = prepare(cur, LOGS_SELECT, &s)) != SQLITE_OK) return rc;
  while (rc == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW) {
    const char *p = column_text(s, 0);
    if (!p) continue; /* path is NOT NULL; a failed conversion is caught below */
    if (path && strcmp(p, path) != 0) continue;
    char **logs = sqlite3_realloc64(cur->logs, (sqlite3_uint64)(cur->nlog + 1) * sizeof *logs);
    if (!logs) {
      rc = SQLITE_NOMEM;
      break;
    }
    cur->logs = logs;
    if (!(logs[cur->nlog] = sqlite3_mprintf("%s", p))) rc = SQLITE_NOMEM;
    else cur->nlog++;
  }
  frc = sqlite3_finalize(s);
  if (rc == SQLITE_OK && frc != SQLITE_OK) rc = frc;
  /* the calls of usage_cost() live in sql/ledger.sql's TEMP table: a
  ** connection reading a built ledger without the TEMP views has none */
  cur->want_calls = (!path || strcmp(path, CALL_PATH) == 0) &&
                    sqlite3_table_column_metadata(t->db, "temp", "ledger_calls", NULL, NULL, NULL,
                                                  NULL, NULL, NULL) == SQLITE_OK;
  return rc;
}

/* ------------------------------------------------------------ names */

static unsigned name_hash(const UsageText *p, const UsageText *m) {
  unsigned h = 2166136261u;
  for (size_t i = 0; p->p && i < p->n; i++) h = (h ^ (unsigned char)p->p[i]) * 16777619u;
  h = (h ^ (p->p ? 1u : 2u)) * 16777619u;
  for (size_t i = 0; i < m->n; i++) h = (h ^ (unsigned char)m->p[i]) * 16777619u;
  return h % NAME_CACHE_SLOTS;
}

static char *dup_or_null(const char *s, size_t n, int *nomem) {
  if (!s) return NULL;
  char *d = sqlite3_malloc64(n + 1);
  if (!d) {
    *nomem = 1;
    return NULL;
  }
  memcpy(d, s, n);
  d[n] = 0;
  return d;
}

/* A raw name's own name, as model_prices writes it: the part after the
** last '/', ASCII lower case (SQL's lower()). */
static char *own_model_name(const UsageText *raw, int *nomem) {
  size_t from = raw->n;
  while (from > 0 && raw->p[from - 1] != '/') from--;
  char *own = dup_or_null(raw->p + from, raw->n - from, nomem);
  for (char *q = own; q && *q; q++)
    if (*q >= 'A' && *q <= 'Z') *q = (char)(*q - 'A' + 'a');
  return own;
}

/* The fields of a resolve_model answer the row uses, copied into e. */
static int fill_name(NameEntry *e, const TlCanon *c, const UsageText *raw_model) {
  int nomem = 0;
  e->provider = dup_or_null(c->provider, c->provider ? strlen(c->provider) : 0, &nomem);
  e->creator = dup_or_null(c->creator, c->creator ? strlen(c->creator) : 0, &nomem);
  if (c->model_is_raw) e->model = dup_or_null(raw_model->p, raw_model->n, &nomem);
  else e->model = dup_or_null(c->model, c->model_len, &nomem);
  e->variant = dup_or_null(c->variant, c->variant ? strlen(c->variant) : 0, &nomem);
  if (c->model_rule == TL_RULE_UNDATED) e->own_model = own_model_name(raw_model, &nomem);
  e->rule = tl_canon_rule_name(c->model_rule);
  e->conf = c->model_conf;
  e->floating = c->floating;
  e->rule_memo = -2;
  return nomem ? SQLITE_NOMEM : SQLITE_OK;
}

/* The canonical names of the current event: resolve_model(model, provider,
** NULL, ts). cur->name is NULL when the model is NULL (resolve_model's
** row of NULLs). */
static int resolve_names(CostEventsCursor *cur) {
  CostEventsTable *t = (CostEventsTable *)cur->base.pVtab;
  const Event *ev = &cur->ev;
  cur->name = NULL;
  if (!ev->raw_model.p) return SQLITE_OK;
  /* a log's ts is normalized by ext/core/usage.c; a call's is the caller's */
  if (ev->ts && cur->calls && !tl_canon_is_date(ev->ts, strlen(ev->ts)))
    return tl_vtab_error(&t->base.zErrMsg, SQLITE_ERROR,
                         "resolve_model: as_of '%.40s' is not a date: expected YYYY-MM-DD, or a "
                         "timestamp that starts with one",
                         ev->ts);
  if (!cur->names) {
    cur->names = sqlite3_malloc64(NAME_CACHE_SLOTS * sizeof *cur->names);
    if (!cur->names) return SQLITE_NOMEM;
    memset(cur->names, 0, NAME_CACHE_SLOTS * sizeof *cur->names);
  }
  const UsageText *p = &ev->raw_provider, *m = &ev->raw_model;
  unsigned h = name_hash(p, m);
  NameEntry *e = cur->names[h];
  for (; e; e = e->next)
    if (e->model_len == m->n && memcmp(e->raw_model, m->p, m->n) == 0 &&
        (e->raw_provider != NULL) == (p->p != NULL) &&
        (!p->p || (e->provider_len == p->n && memcmp(e->raw_provider, p->p, p->n) == 0)))
      break;
  if (!e) {
    TlCanon c;
    int nomem = 0;
    if (cur->nnames >= NAME_CACHE_MAX) names_clear(cur);
    tl_canon_resolve(t->ix, m->p, m->n, p->p, p->n, NULL, NULL, &c);
    e = sqlite3_malloc(sizeof *e);
    if (!e) return SQLITE_NOMEM;
    memset(e, 0, sizeof *e);
    e->raw_model = dup_or_null(m->p, m->n, &nomem);
    e->raw_provider = dup_or_null(p->p, p->n, &nomem);
    e->model_len = m->n;
    e->provider_len = p->n;
    if (nomem || fill_name(e, &c, m) != SQLITE_OK) {
      name_free(e);
      return SQLITE_NOMEM;
    }
    e->next = cur->names[h];
    cur->names[h] = e;
    cur->nnames++;
  }
  cur->name = e;
  cur->raw_model = e->raw_model;
  if (e->floating && ev->ts) { /* a floating alias names the snapshot of the day */
    TlCanon c;
    NameEntry *r = &cur->resolved;
    resolved_clear(cur);
    tl_canon_resolve(t->ix, m->p, m->n, p->p, p->n, NULL, ev->ts, &c);
    if (fill_name(r, &c, m) != SQLITE_OK) return SQLITE_NOMEM;
    cur->name = r;
  }
  return SQLITE_OK;
}

/* ------------------------------------------------------------ events */

/* Whether to read the log just opened with a helper thread: parsing is
** most of the work, and on logs of AHEAD_MIN_BYTES and more the thread's
** start is nothing beside it (1M generated events of ~150 bytes: ~0.72 s
** without it, ~0.46-0.6 s with it on a 2-CPU machine, make bench). */
static int read_ahead(const CostEventsCursor *cur) {
  struct stat st;
  return cur->use_helper && stat(cur->read_path, &st) == 0 && st.st_size >= AHEAD_MIN_BYTES;
}

/* The next record of the logs or of temp.ledger_calls into cur->ev: 1, 0
** at the end, or an SQLite error code (negated). */
static int next_log_record(CostEventsCursor *cur) {
  CostEventsTable *t = (CostEventsTable *)cur->base.pVtab;
  for (;;) {
    if (!cur->stream && !cur->ahead) {
      if (cur->ilog >= cur->nlog) return 0;
      const char *why = NULL;
      sqlite3_free(cur->source_path);
      cur->source_path = cur->logs[cur->ilog++];
      cur->logs[cur->ilog - 1] = NULL;
      tl_free(cur->read_path);
      cur->read_path = tl_file_beside(sqlite3_db_filename(t->db, "main"), cur->source_path);
      if (!cur->read_path) return -SQLITE_NOMEM;
      int rc = usage_stream_open_file(cur->read_path, 0, &cur->stream, &why);
      if (rc == USAGE_NOMEM) return -SQLITE_NOMEM;
      if (rc != 0)
        return -tl_vtab_error(&t->base.zErrMsg, SQLITE_ERROR, "cost_events: cannot open '%s': %s",
                              cur->read_path, why);
      if (read_ahead(cur)) { /* no thread to be had: read it here */
        rc = usage_ahead_open(cur->stream, AHEAD_RECORDS, &cur->ahead);
        if (rc == 0 || rc == USAGE_NOMEM) cur->stream = NULL;
        if (rc == USAGE_NOMEM) return -SQLITE_NOMEM;
      }
    }
    int rc;
    if (cur->ahead) {
      rc = usage_ahead_next(cur->ahead, &cur->recp);
    } else {
      rc = usage_stream_next(cur->stream, &cur->rec);
      cur->recp = &cur->rec;
    }
    if (rc == 1) return 1;
    if (rc == USAGE_NOMEM) return -SQLITE_NOMEM;
    if (rc < 0)
      return -tl_vtab_error(
          &t->base.zErrMsg, SQLITE_ERROR, "cost_events: cannot read '%s': %s", cur->read_path,
          cur->ahead ? usage_ahead_error(cur->ahead) : usage_stream_error(cur->stream));
    usage_ahead_close(cur->ahead);
    cur->ahead = NULL;
    usage_stream_close(cur->stream);
    cur->stream = NULL;
  }
}

static UsageText usage_text(const char *s) {
  UsageText u = {s, s ? strlen(s) : 0};
  return u;
}

/* The record of the log into cur->ev. */
static void event_from_record(CostEventsCursor *cur) {
  const UsageRecord *rec = cur->recp;
  Event *ev = &cur->ev;
  memset(ev, 0, sizeof *ev);
  ev->line = (sqlite3_int64)rec->line;
  if (rec->has_ts) {
    memcpy(cur->ts_buf, rec->ts, sizeof cur->ts_buf);
    ev->ts = cur->ts_buf;
  }
  ev->raw_provider = rec->provider;
  ev->raw_model = rec->model;
  ev->service_tier = rec->service_tier;
  ev->dialect = rec->dialect != USAGE_NONE ? usage_dialect_name(rec->dialect) : NULL;
  ev->error = rec->error[0] ? rec->error : NULL;
  ev->has_reported = rec->has_cost;
  ev->reported = rec->cost;
  memcpy(ev->tokens, rec->tokens, sizeof ev->tokens);
  ev->known = rec->known;
  memcpy(ev->extra, rec->extra, sizeof ev->extra);
  ev->extra_known = rec->extra_known;
}

/* The current row of temp.ledger_calls into cur->ev. */
static int event_from_call(CostEventsCursor *cur) {
  sqlite3_stmt *s = cur->calls;
  Event *ev = &cur->ev;
  /* ts, provider, model, dialect, service tier, error */
  static const int text_col[6] = {1, 2, 3, 4, CALL_TIER, CALL_ERROR};
  row_clear(cur);
  for (int i = 0; i < 6; i++) {
    const char *v = column_text(s, text_col[i]);
    if (text_failed(s, text_col[i])) return SQLITE_NOMEM;
    if (v && !(cur->call_text[i] = sqlite3_mprintf("%s", v))) return SQLITE_NOMEM;
  }
  memset(ev, 0, sizeof *ev);
  ev->line = sqlite3_column_int64(s, 0);
  ev->ts = cur->call_text[0];
  ev->raw_provider = usage_text(cur->call_text[1]);
  ev->raw_model = usage_text(cur->call_text[2]);
  ev->dialect = cur->call_text[3];
  ev->service_tier = usage_text(cur->call_text[4]);
  ev->error = cur->call_text[5];
  for (int b = 0; b < USAGE_NBUCKET; b++)
    if (sqlite3_column_type(s, CALL_BUCKET0 + b) != SQLITE_NULL) {
      ev->tokens[b] = sqlite3_column_int64(s, CALL_BUCKET0 + b);
      ev->known |= 1u << b;
    }
  for (int e = 0; e < USAGE_NEXTRA; e++)
    if (sqlite3_column_type(s, CALL_EXTRA0 + e) != SQLITE_NULL) {
      ev->extra[e] = sqlite3_column_int64(s, CALL_EXTRA0 + e);
      ev->extra_known |= 1u << e;
    }
  ev->has_reported = sqlite3_column_type(s, CALL_REPORTED) != SQLITE_NULL;
  ev->reported = sqlite3_column_double(s, CALL_REPORTED);
  return SQLITE_OK;
}

static long long extra_or_zero(const Event *ev, int e) {
  return (ev->extra_known >> e) & 1 ? ev->extra[e] : 0;
}

/* The cards of name n: of its own name where the provider or the creator
** has any (an undated name the price lists price apart, model_prices' rule
** 'own name'), else of its model. */
static void find_blocks(const TlRateBook *book, NameEntry *n) {
  n->card_model = n->model;
  n->own_block = n->creator_block = NULL;
  if (n->own_model) {
    n->own_block = tl_ratebook_block(book, n->provider, n->own_model);
    n->creator_block = tl_ratebook_block(book, n->creator, n->own_model);
    if (n->own_block || n->creator_block) n->card_model = n->own_model;
  }
  if (n->card_model == n->model) {
    n->own_block = tl_ratebook_block(book, n->provider, n->model);
    n->creator_block = tl_ratebook_block(book, n->creator, n->model);
  }
  n->blocks_found = 1;
}

/* Names, variant, rate_at and the cost of cur->ev. */
static int cost_current(CostEventsCursor *cur) {
  CostEventsTable *t = (CostEventsTable *)cur->base.pVtab;
  const Event *ev = &cur->ev;
  int rc = resolve_names(cur);
  if (rc != SQLITE_OK) return rc;
  NameEntry *n = cur->name;
  const char *name_variant = n ? n->variant : NULL;
  char err[300];
  if (tl_variant_key(name_variant, name_variant ? strlen(name_variant) : 0,
                     ev->service_tier.p, ev->service_tier.n, NULL, 0, NULL, 0, cur->variant, err,
                     sizeof err))
    return tl_vtab_error(&t->base.zErrMsg, SQLITE_ERROR, "variant_key: %s", err);
  cur->at_assumed = ev->ts == NULL;
  cur->at_ts = ev->ts ? ev->ts : cur->newest ? cur->newest : "9999-12-31";
  if (n && !n->blocks_found) find_blocks(cur->book, n); /* once per name (or day) */
  TlCostEvent *c = &cur->cev;
  memset(c, 0, sizeof *c);
  c->provider = n ? n->provider : NULL;
  c->creator = n ? n->creator : NULL;
  c->model = n ? n->card_model : NULL;
  c->variant = cur->variant[0] ? cur->variant : NULL;
  c->at_ts = cur->at_ts;
  c->has_error = ev->error != NULL;
  memcpy(c->tokens, ev->tokens, sizeof c->tokens);
  c->known = ev->known;
  c->audio_in = extra_or_zero(ev, USAGE_AUDIO_INPUT);
  c->audio_out = extra_or_zero(ev, USAGE_AUDIO_OUTPUT);
  c->image_in = extra_or_zero(ev, USAGE_IMAGE_INPUT);
  c->image_out = extra_or_zero(ev, USAGE_IMAGE_OUTPUT);
  c->video_in = extra_or_zero(ev, USAGE_VIDEO_INPUT);
  c->video_out = extra_or_zero(ev, USAGE_VIDEO_OUTPUT);
  c->cache_write_1h = extra_or_zero(ev, USAGE_CACHE_WRITE_1H);
  c->web_searches = extra_or_zero(ev, USAGE_WEB_SEARCH);
  c->cache_read_audio = extra_or_zero(ev, USAGE_CACHE_READ_AUDIO);
  c->blocks_given = n != NULL;
  c->raw_model = n ? cur->raw_model : NULL;
  c->rule_memo = n ? &n->rule_memo : NULL;
  c->own_block = n ? n->own_block : NULL;
  c->creator_block = n ? n->creator_block : NULL;
  return tl_cost_event(cur->book, c, &cur->cost) ? SQLITE_NOMEM : SQLITE_OK;
}

/* xNext: the next event of the logs, then of the calls. */
static int costEventsNext(sqlite3_vtab_cursor *pCursor) {
  CostEventsCursor *cur = (CostEventsCursor *)pCursor;
  CostEventsTable *t = (CostEventsTable *)pCursor->pVtab;
  int rc = next_log_record(cur);
  if (rc < 0) return -rc;
  if (rc == 1) {
    event_from_record(cur);
  } else {
    if (!cur->want_calls) {
      cur->eof = 1;
      return SQLITE_OK;
    }
    if (!cur->calls) {
      if ((rc = prepare(cur, CALLS_SELECT, &cur->calls)) != SQLITE_OK) return rc;
      sqlite3_free(cur->source_path);
      if (!(cur->source_path = sqlite3_mprintf("%s", CALL_PATH))) return SQLITE_NOMEM;
    }
    rc = sqlite3_step(cur->calls);
    if (rc == SQLITE_DONE) {
      cur->eof = 1;
      return SQLITE_OK;
    }
    if (rc != SQLITE_ROW)
      return rc == SQLITE_NOMEM ? rc
                                : tl_vtab_error(&t->base.zErrMsg, SQLITE_ERROR, "cost_events: %s",
                                                sqlite3_errmsg(t->db));
    if ((rc = event_from_call(cur)) != SQLITE_OK) return rc;
  }
  cur->rowid++;
  return cost_current(cur);
}

static int costEventsFilter(sqlite3_vtab_cursor *pCursor, int idxNum, const char *idxStr,
                            int argc, sqlite3_value **argv) {
  CostEventsCursor *cur = (CostEventsCursor *)pCursor;
  (void)idxStr;
  cursor_reset(cur);
  cur->eof = 0;
  cur->rowid = 0;
  const char *path = NULL;
  if (idxNum == 1 && argc == 1) {
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) { /* source_path = NULL: no row */
      cur->eof = 1;
      return SQLITE_OK;
    }
    path = (const char *)sqlite3_value_text(argv[0]);
    if (!path) return SQLITE_NOMEM;
  }
  /* A helper thread may read large logs ahead (see read_ahead) when the
  ** machine has a second CPU and SQLite is in serialized mode, so that the
  ** helper may allocate through it. */
  sqlite3 *db = ((CostEventsTable *)pCursor->pVtab)->db;
  cur->use_helper = sqlite3_threadsafe() && sqlite3_db_mutex(db) != NULL &&
                    sysconf(_SC_NPROCESSORS_ONLN) > 1;
  int rc = load_sources(cur, path);
  if (rc == SQLITE_OK && (cur->nlog > 0 || cur->want_calls)) rc = load_rates(cur);
  if (rc != SQLITE_OK) return rc;
  return costEventsNext(pCursor);
}

static int costEventsEof(sqlite3_vtab_cursor *pCursor) {
  return ((CostEventsCursor *)pCursor)->eof;
}

/* ------------------------------------------------------------ columns */

static void result_text(sqlite3_context *ctx, const char *s) {
  if (s) sqlite3_result_text(ctx, s, -1, SQLITE_TRANSIENT);
}

static void result_usage_text(sqlite3_context *ctx, UsageText u) {
  if (u.p) sqlite3_result_text64(ctx, u.p, u.n, SQLITE_TRANSIENT, SQLITE_UTF8);
}

static void result_count(sqlite3_context *ctx, int known, long long v) {
  if (known) sqlite3_result_int64(ctx, v);
}

/* A value kept from the base card's row (k: KEEP_*). */
static void result_kept(sqlite3_context *ctx, const CostEventsCursor *cur, int row, int k) {
  if (row >= 0) sqlite3_result_value(ctx, cur->kept[row * N_KEEP + k]);
}

static void result_cost(sqlite3_context *ctx, const CostEventsCursor *cur, int line, int rc,
                        double cost) {
  if (rc == 1) sqlite3_result_double(ctx, cost);
  else if (rc < 0)
    tl_result_error_msg(ctx, sqlite3_mprintf(
        "cost_events: the cost of line %d of %s is %s", line, cur->source_path,
        rc == -1 ? "past the largest double" : "of a negative token count"));
}

static const char *status_name(TlCostStatus s) {
  return s == TL_COST_PRICED ? "priced" : s == TL_COST_FREE ? "free" : "unpriced";
}

static int costEventsColumn(sqlite3_vtab_cursor *pCursor, sqlite3_context *ctx, int col) {
  CostEventsCursor *cur = (CostEventsCursor *)pCursor;
  const Event *ev = &cur->ev;
  const TlCostResult *r = &cur->cost;
  const NameEntry *n = cur->name;
  int base = r->base_row >= 0;
  if (col >= COST_EVENTS_COLUMN_INPUT_TOKENS && col <= COST_EVENTS_COLUMN_REASONING_TOKENS) {
    int b = col - COST_EVENTS_COLUMN_INPUT_TOKENS;
    result_count(ctx, (ev->known >> b) & 1, ev->tokens[b]);
    return SQLITE_OK;
  }
  if (col >= COST_EVENTS_COLUMN_AUDIO_INPUT_TOKENS &&
      col <= COST_EVENTS_COLUMN_VIDEO_OUTPUT_TOKENS) {
    int e = USAGE_AUDIO_INPUT + (col - COST_EVENTS_COLUMN_AUDIO_INPUT_TOKENS);
    result_count(ctx, (ev->extra_known >> e) & 1, ev->extra[e]);
    return SQLITE_OK;
  }
  if ((col >= COST_EVENTS_COLUMN_P_INPUT && col <= COST_EVENTS_COLUMN_P_WEB_SEARCH) ||
      col == COST_EVENTS_COLUMN_P_CACHE_READ_AUDIO) {
    for (int u = 0; u < TL_NUNIT; u++)
      if (price_column[u] == col && (r->has_price >> u) & 1)
        sqlite3_result_value(ctx, cur->kept[r->price_row[u] * N_KEEP + r->price_unit[u]]);
    return SQLITE_OK;
  }
  if ((col >= COST_EVENTS_COLUMN_C_INPUT && col <= COST_EVENTS_COLUMN_C_WEB_SEARCH) ||
      col == COST_EVENTS_COLUMN_C_CACHE_READ_AUDIO) {
    double cost = 0;
    int rc = tl_cost_unit(r,
                          col == COST_EVENTS_COLUMN_C_CACHE_READ_AUDIO
                              ? TL_UNIT_CACHE_READ_AUDIO
                              : (TlCostUnit)(col - COST_EVENTS_COLUMN_C_INPUT),
                          &cost);
    result_cost(ctx, cur, (int)ev->line, rc, cost);
    return SQLITE_OK;
  }
  switch (col) {
    case COST_EVENTS_COLUMN_SOURCE_PATH: result_text(ctx, cur->source_path); break;
    case COST_EVENTS_COLUMN_LINE: sqlite3_result_int64(ctx, ev->line); break;
    case COST_EVENTS_COLUMN_TS: result_text(ctx, ev->ts); break;
    case COST_EVENTS_COLUMN_RATE_AT: result_text(ctx, cur->at_ts); break;
    case COST_EVENTS_COLUMN_RATE_AT_ASSUMED: sqlite3_result_int(ctx, cur->at_assumed); break;
    case COST_EVENTS_COLUMN_RAW_PROVIDER: result_usage_text(ctx, ev->raw_provider); break;
    case COST_EVENTS_COLUMN_RAW_MODEL: result_usage_text(ctx, ev->raw_model); break;
    case COST_EVENTS_COLUMN_DIALECT: result_text(ctx, ev->dialect); break;
    case COST_EVENTS_COLUMN_PROVIDER: result_text(ctx, n ? n->provider : NULL); break;
    case COST_EVENTS_COLUMN_MODEL: result_text(ctx, n ? n->model : NULL); break;
    case COST_EVENTS_COLUMN_MODEL_RULE: result_text(ctx, n ? n->rule : NULL); break;
    case COST_EVENTS_COLUMN_MODEL_CONF:
      if (n) sqlite3_result_int(ctx, n->conf);
      break;
    case COST_EVENTS_COLUMN_RATE_PROVIDER: result_text(ctx, r->rate_provider); break;
    case COST_EVENTS_COLUMN_RATE_VARIANT: result_text(ctx, r->rate_variant); break;
    case COST_EVENTS_COLUMN_RATE_MODEL: result_text(ctx, r->rate_model); break;
    case COST_EVENTS_COLUMN_RATE_MATCH_RULE: result_text(ctx, r->match_rule); break;
    case COST_EVENTS_COLUMN_CACHE_WRITE_1H_TOKENS:
      result_count(ctx, (ev->extra_known >> USAGE_CACHE_WRITE_1H) & 1,
                   ev->extra[USAGE_CACHE_WRITE_1H]);
      break;
    case COST_EVENTS_COLUMN_WEB_SEARCH_REQUESTS:
      result_count(ctx, (ev->extra_known >> USAGE_WEB_SEARCH) & 1, ev->extra[USAGE_WEB_SEARCH]);
      break;
    case COST_EVENTS_COLUMN_CACHE_READ_AUDIO_TOKENS:
      result_count(ctx, (ev->extra_known >> USAGE_CACHE_READ_AUDIO) & 1,
                   ev->extra[USAGE_CACHE_READ_AUDIO]);
      break;
    case COST_EVENTS_COLUMN_SERVICE_TIER: result_usage_text(ctx, ev->service_tier); break;
    case COST_EVENTS_COLUMN_PROMPT_TOKENS:
      result_count(ctx, r->has_prompt, r->prompt_tokens);
      break;
    case COST_EVENTS_COLUMN_COMPLETION_TOKENS:
      result_count(ctx, r->has_completion, r->completion_tokens);
      break;
    case COST_EVENTS_COLUMN_TIER_START:
      if (base) sqlite3_result_int64(ctx, r->tier_row >= 0 ? r->tier : 0);
      break;
    case COST_EVENTS_COLUMN_RATE_SOURCE_PATH:
      result_kept(ctx, cur, r->base_row, KEEP_SOURCE_PATH);
      break;
    case COST_EVENTS_COLUMN_RATE_SOURCE_FORMAT:
      result_kept(ctx, cur, r->base_row, KEEP_SOURCE_FORMAT);
      break;
    case COST_EVENTS_COLUMN_RATE_ENTRY: result_kept(ctx, cur, r->base_row, KEEP_ENTRY); break;
    case COST_EVENTS_COLUMN_RATE_EFFECTIVE_FROM:
      result_kept(ctx, cur, r->base_row, KEEP_EFFECTIVE_FROM);
      break;
    case COST_EVENTS_COLUMN_RATE_SNAPSHOT: result_kept(ctx, cur, r->base_row, KEEP_SNAPSHOT); break;
    case COST_EVENTS_COLUMN_TIER_SOURCE_PATH:
      result_kept(ctx, cur, r->tier_row, KEEP_SOURCE_PATH);
      break;
    case COST_EVENTS_COLUMN_TIER_EFFECTIVE_FROM:
      result_kept(ctx, cur, r->tier_row, KEEP_EFFECTIVE_FROM);
      break;
    case COST_EVENTS_COLUMN_RATE_BACKDATED:
      if (base) {
        const unsigned char *from =
            sqlite3_value_text(cur->kept[r->base_row * N_KEEP + KEEP_EFFECTIVE_FROM]);
        sqlite3_result_int(ctx, from && strcmp(cur->at_ts, (const char *)from) < 0);
      }
      break;
    case COST_EVENTS_COLUMN_CACHE_FALLBACK:
      if (base)
        sqlite3_result_int(ctx, r->cache_read_fallback || r->cache_write_fallback ||
                                    r->cache_read_audio_fallback);
      break;
    case COST_EVENTS_COLUMN_MODALITY_FALLBACK:
      if (base) sqlite3_result_int(ctx, r->modality_fallback);
      break;
    case COST_EVENTS_COLUMN_TOTAL_COST:
      if (r->has_total) sqlite3_result_double(ctx, r->total);
      else if (r->total_error) result_cost(ctx, cur, (int)ev->line, -r->total_error, 0);
      break;
    case COST_EVENTS_COLUMN_REPORTED_COST:
      if (ev->has_reported) sqlite3_result_double(ctx, ev->reported);
      break;
    case COST_EVENTS_COLUMN_COST_MINUS_REPORTED:
      if (r->has_total && ev->has_reported) sqlite3_result_double(ctx, r->total - ev->reported);
      break;
    case COST_EVENTS_COLUMN_COST_STATUS:
      sqlite3_result_text(ctx, status_name(r->status), -1, SQLITE_STATIC);
      break;
    case COST_EVENTS_COLUMN_COST_NOTE: {
      char *note = NULL;
      if (tl_cost_note(&cur->cev, ev->error, r, &note)) return SQLITE_NOMEM;
      if (note) sqlite3_result_text(ctx, note, -1, SQLITE_TRANSIENT);
      tl_free(note);
      break;
    }
    default: break;
  }
  return SQLITE_OK;
}

static int costEventsRowid(sqlite3_vtab_cursor *pCursor, sqlite3_int64 *pRowid) {
  *pRowid = ((CostEventsCursor *)pCursor)->rowid;
  return SQLITE_OK;
}

static sqlite3_module costEventsModule = {
    0,                    /* iVersion */
    0,                    /* xCreate: none, so eponymous only */
    costEventsConnect,    /* xConnect */
    costEventsBestIndex,  /* xBestIndex */
    costEventsDisconnect, /* xDisconnect */
    0,                    /* xDestroy */
    costEventsOpen,       /* xOpen */
    costEventsClose,      /* xClose */
    costEventsFilter,     /* xFilter */
    costEventsNext,       /* xNext */
    costEventsEof,        /* xEof */
    costEventsColumn,     /* xColumn */
    costEventsRowid,      /* xRowid */
    0,                    /* xUpdate */
    0,                    /* xBegin */
    0,                    /* xSync */
    0,                    /* xCommit */
    0,                    /* xRollback */
    0,                    /* xFindFunction */
    0,                    /* xRename */
    0,                    /* xSavepoint */
    0,                    /* xRelease */
    0,                    /* xRollbackTo */
    0,                    /* xShadowName */
};

int tl_register_cost_events(sqlite3 *db, TlCanonShared *cs, char **pzErr) {
  (void)pzErr;
  return sqlite3_create_module_v2(db, "cost_events", &costEventsModule, tl_canon_shared_ref(cs),
                                  tl_canon_shared_unref);
}
