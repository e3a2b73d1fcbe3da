/*
** pricing: LLM price lists as a table, one row per model entry and tier.
**
**   SELECT * FROM pricing('model_prices_and_context_window.json');
**   SELECT * FROM pricing('api.json', 'modelsdev');
**   CREATE VIRTUAL TABLE temp.p USING pricing(file='prices.json', format='auto');
**
** Formats are auto-detected; pass one to force it. They are the names of
** pricing_formats[] in ext/core/pricing_source.c (one decoder file each,
** ext/pricing_<format>.c); an unknown one is refused with the list.
** pricing_files (vtab/pricing_files.c) says how a file reconciles.
**
** CREATE VIRTUAL TABLE takes file= (required) and format= (default auto),
** read as ext/core/args.h says: keys in any case, values bare or quoted with '..'
** or "..", a doubled quote inside standing for one; a format name in any
** case. The table-valued form's format is judged by the same rule.
**
** Columns: source_format, source_file, entry (1-based position of the entry
** in the file), raw_provider, raw_model, mode, tier_start_tokens (0 = base
** price, else the tier's threshold), input_cost_per_token,
** output_cost_per_token, cache_read_cost_per_token,
** cache_write_cost_per_token, reasoning_cost_per_token (USD, or `currency`,
** per one token), context_window, max_output_tokens, currency,
** effective_from, note (why a price is NULL; how a tier applies), extra (a
** JSON object of the entry's fields that no column carries), then the other
** units providers bill: input_audio_cost_per_token,
** output_audio_cost_per_token, cache_read_audio_cost_per_token,
** input_image_cost_per_token, output_image_cost_per_token,
** input_video_cost_per_token, output_video_cost_per_token,
** cache_write_1h_cost_per_token (Anthropic's 1-hour cache write;
** cache_write_cost_per_token is the 5-minute/default one), per_request_cost
** (USD per request) and web_search_cost (USD per web search call); and the
** conditions of a price: service_tier (NULL = standard, else 'batch',
** 'flex' or 'priority': a row of its own, with only the prices the source
** gives for that tier) and window_start / window_end ('HH:MM:SS' UTC, a
** daily window in which the row's prices apply; NULL = all day). A tier
** row (tier_start_tokens > 0) carries its base row's service tier and
** window.
**
** file and format are its HIDDEN arguments.
**
** An entry whose key or strings hold U+0000 gives no row: it is skipped with
** its reason (a name cut at the NUL would pass for another model).
**
** HOW IT WORKS. ext/core/pricing_rows.h holds the rows: a file of up to 64 MiB
** is decoded once per connection into the connection's cache (which
** pricing_files reads too, and every table of either module) while its identity
** stays the same, and the first lookup by raw_model or raw_provider sorts an
** index of its rows by that column, so `raw_model = ?` and `raw_provider = ?`
** are binary searches, not scans. extra is decoded only once a row's extra
** is read (the file is then decoded again, with it), so a statement that
** reads it for some rows or some files only does not pay for the others (a
** streamed file, below, decodes it for every row the statement reads). A
** cursor holds a reference to its cached file, so a query that makes another
** cursor replace or evict it (the file changed, extra is wanted, a ninth
** file) does not pull it away. A larger
** file is streamed on every query, one entry at a time, and memory stays at
** one entry's rows. A file that changes while it is read (cached or
** streamed) fails the query, naming the file, rather than mixing two
** versions. Out of memory fails the query (SQLITE_NOMEM), never a NULL in
** place of a value. Reading files is not innocuous: the module is
** DIRECTONLY, so the schema of an untrusted database cannot use it.
*/
#include <math.h>
#include <sqlite3ext.h>
#include <string.h>

#include "pricing_vtab.h"
#include "tokenledger_modules.h"
#include "trust.h"
#include "vtab_args.h"
#include "vtab_error.h"
SQLITE_EXTENSION_INIT3

enum {
  PRICING_COLUMN_SOURCE_FORMAT,
  PRICING_COLUMN_SOURCE_FILE,
  PRICING_COLUMN_ENTRY,
  PRICING_COLUMN_RAW_PROVIDER,
  PRICING_COLUMN_RAW_MODEL,
  PRICING_COLUMN_MODE,
  PRICING_COLUMN_TIER_START_TOKENS,
  PRICING_COLUMN_INPUT_COST_PER_TOKEN,
  PRICING_COLUMN_OUTPUT_COST_PER_TOKEN,
  PRICING_COLUMN_CACHE_READ_COST_PER_TOKEN,
  PRICING_COLUMN_CACHE_WRITE_COST_PER_TOKEN,
  PRICING_COLUMN_REASONING_COST_PER_TOKEN,
  PRICING_COLUMN_CONTEXT_WINDOW,
  PRICING_COLUMN_MAX_OUTPUT_TOKENS,
  PRICING_COLUMN_CURRENCY,
  PRICING_COLUMN_EFFECTIVE_FROM,
  PRICING_COLUMN_NOTE,
  PRICING_COLUMN_EXTRA,
  PRICING_COLUMN_INPUT_AUDIO_COST_PER_TOKEN,
  PRICING_COLUMN_OUTPUT_AUDIO_COST_PER_TOKEN,
  PRICING_COLUMN_CACHE_READ_AUDIO_COST_PER_TOKEN,
  PRICING_COLUMN_INPUT_IMAGE_COST_PER_TOKEN,
  PRICING_COLUMN_OUTPUT_IMAGE_COST_PER_TOKEN,
  PRICING_COLUMN_INPUT_VIDEO_COST_PER_TOKEN,
  PRICING_COLUMN_OUTPUT_VIDEO_COST_PER_TOKEN,
  PRICING_COLUMN_CACHE_WRITE_1H_COST_PER_TOKEN,
  PRICING_COLUMN_PER_REQUEST_COST,
  PRICING_COLUMN_WEB_SEARCH_COST,
  PRICING_COLUMN_SERVICE_TIER,
  PRICING_COLUMN_WINDOW_START,
  PRICING_COLUMN_WINDOW_END,
  PRICING_COLUMN_FILE,  /* HIDDEN: pricing('file', ...) */
  PRICING_COLUMN_FORMAT /* HIDDEN: pricing(..., 'format') */
};

#define PRICING_SCHEMA                                                                   \
  "CREATE TABLE x(source_format TEXT, source_file TEXT, entry INTEGER, raw_provider TEXT," \
  " raw_model TEXT, mode TEXT, tier_start_tokens INTEGER, input_cost_per_token REAL,"    \
  " output_cost_per_token REAL, cache_read_cost_per_token REAL,"                         \
  " cache_write_cost_per_token REAL, reasoning_cost_per_token REAL,"                     \
  " context_window INTEGER, max_output_tokens INTEGER, currency TEXT,"                    \
  " effective_from TEXT, note TEXT, extra TEXT, input_audio_cost_per_token REAL,"         \
  " output_audio_cost_per_token REAL, cache_read_audio_cost_per_token REAL,"             \
  " input_image_cost_per_token REAL, output_image_cost_per_token REAL,"                  \
  " input_video_cost_per_token REAL, output_video_cost_per_token REAL,"                  \
  " cache_write_1h_cost_per_token REAL, per_request_cost REAL, web_search_cost REAL,"    \
  " service_tier TEXT, window_start TEXT, window_end TEXT, file HIDDEN, format HIDDEN)"

typedef struct PricingCursor {
  sqlite3_vtab_cursor base;
  PricingCachedFile *cached; /* a cached file: a reference, released by cursor_reset */
  const int *order;          /* cached: row numbers to visit (or NULL: all) */
  int pos, end;
  int streaming;             /* a file too large to cache: its rows, one entry at a time */
  PricingRowSet stream;
  char *want_model, *want_provider; /* copies of the constraint values */
  char *path;
  const char *format;
  const char *format_arg; /* as asked (a static name, or NULL): the cache's key */
  int want_extra;         /* the statement reads extra (cached_with_extra) */
  int eof;
} PricingCursor;

/* --------------------------------- shared with pricing_files (pricing_vtab.h) */

/* The arguments of CREATE VIRTUAL TABLE (ext/core/args.h), and of the
** table-valued form's format. The format's choices come from the core's one
** list (pricing_format_choices), so spec_with_formats fills them in. */
enum { PRICING_ARG_FILE, PRICING_ARG_FORMAT, PRICING_NSPEC };

static void spec_with_formats(TlArgSpec spec[PRICING_NSPEC],
                              const char *choices[PRICING_FORMAT_CHOICES]) {
  pricing_format_choices(choices);
  spec[PRICING_ARG_FILE] = (TlArgSpec){"file", TL_ARG_TEXT, 1, NULL};
  spec[PRICING_ARG_FORMAT] = (TlArgSpec){"format", TL_ARG_CHOICE, 0, choices};
}

/* file= and format= of CREATE VIRTUAL TABLE, which has some, into *file
** (sqlite3_free) and *format (a static name). */
static int parse_arguments(const char *module, int argc, const char *const *argv, char **file,
                           const char **format, char **pzErr) {
  TlArgSpec spec[PRICING_NSPEC];
  const char *choices[PRICING_FORMAT_CHOICES];
  TlArgValue v[PRICING_NSPEC];
  int rc;
  spec_with_formats(spec, choices);
  memset(v, 0, sizeof v);
  rc = tl_vtab_args(module, spec, PRICING_NSPEC, argc, argv, v, pzErr);
  if (rc != SQLITE_OK) return rc;
  /* tl_malloc is sqlite3_malloc64 here: tl_pricing_disconnect frees it */
  *file = v[PRICING_ARG_FILE].text;
  v[PRICING_ARG_FILE].text = NULL;
  if (v[PRICING_ARG_FORMAT].given) *format = choices[v[PRICING_ARG_FORMAT].number];
  tl_args_clear(v, PRICING_NSPEC);
  return SQLITE_OK;
}

int tl_pricing_connect(sqlite3 *db, PricingShared *shared, const char *module, const char *schema,
                       int argc, const char *const *argv, sqlite3_vtab **ppVtab, char **pzErr) {
  PricingTable *tab = NULL;
  char *file = NULL;
  const char *format = NULL;
  int rc = tl_require_temp_schema(module, argc, argv, pzErr);
  if (rc == SQLITE_OK && argc > 3) rc = parse_arguments(module, argc, argv, &file, &format, pzErr);
  if (rc == SQLITE_OK) rc = sqlite3_declare_vtab(db, schema);
  if (rc == SQLITE_OK) rc = sqlite3_vtab_config(db, SQLITE_VTAB_DIRECTONLY);
  if (rc == SQLITE_OK && !(tab = sqlite3_malloc(sizeof *tab))) rc = SQLITE_NOMEM;
  if (rc != SQLITE_OK) {
    sqlite3_free(file);
    return rc;
  }
  memset(tab, 0, sizeof *tab);
  tab->module = module;
  tab->file = file;
  tab->format = format;
  tab->cache = &shared->cache;
  *ppVtab = &tab->base;
  return SQLITE_OK;
}

int tl_pricing_disconnect(sqlite3_vtab *vtab) {
  PricingTable *tab = (PricingTable *)vtab;
  sqlite3_free(tab->file);
  sqlite3_free(tab);
  return SQLITE_OK;
}

int tl_pricing_error(PricingTable *tab, char *core_err, const char *path) {
  if (!core_err)
    return tl_vtab_error(&tab->base.zErrMsg, SQLITE_NOMEM, "%s: out of memory while reading '%s'",
                         tab->module, path);
  int rc = tl_vtab_error(&tab->base.zErrMsg, SQLITE_ERROR, "%s: %s", tab->module, core_err);
  sqlite3_free(core_err);
  return rc;
}

int tl_pricing_value_text(sqlite3_value *v, const char **out, int *has_nul) {
  *out = (const char *)sqlite3_value_text(v);
  *has_nul = 0;
  if (!*out) return sqlite3_value_type(v) == SQLITE_NULL ? SQLITE_OK : SQLITE_NOMEM;
  /* sqlite3_value_text stops at U+0000; a name never holds one (such
  ** entries are skipped), and a file name cut there would be another file. */
  *has_nul = memchr(*out, 0, (size_t)sqlite3_value_bytes(v)) != NULL;
  return SQLITE_OK;
}

int tl_pricing_request(const PricingTable *tab, int idxNum, sqlite3_value **argv, int *arg,
                       PricingRequest *req) {
  const char *text;
  int rc, has_nul;
  memset(req, 0, sizeof *req);
  req->path = tab->file;
  req->format = tab->format;
  if (idxNum & PRICING_IDX_FILE) {
    if ((rc = tl_pricing_value_text(argv[(*arg)++], &text, &has_nul)) != SQLITE_OK) return rc;
    if (!tab->file) {
      req->path = text;
      req->path_nul = has_nul;
    } else if (!text || has_nul || strcmp(text, tab->file) != 0) { /* file = 'other' on a fixed table */
      req->no_rows = 1;
    }
  }
  if (idxNum & PRICING_IDX_FORMAT) {
    if ((rc = tl_pricing_value_text(argv[(*arg)++], &text, &has_nul)) != SQLITE_OK) return rc;
    if (!tab->file) req->format = text;
  }
  return SQLITE_OK;
}

int tl_pricing_check(PricingTable *tab, PricingRequest *req) {
  TlArgSpec spec[PRICING_NSPEC];
  const char *choices[PRICING_FORMAT_CHOICES];
  TlArgValue v;
  char *err = NULL;
  int rc;
  if (!req->path || req->path_nul)
    return tl_vtab_error(&tab->base.zErrMsg, SQLITE_ERROR,
                         req->path ? "%s: the file name contains U+0000: expected a file name"
                                   : "%s: the file name is NULL: expected a file name",
                         tab->module);
  if (tab->file || !req->format) return SQLITE_OK; /* checked by xConnect, or auto */
  /* The table-valued form's format, judged and worded as format= is. */
  spec_with_formats(spec, choices);
  memset(&v, 0, sizeof v);
  rc = tl_args_value(&spec[PRICING_ARG_FORMAT], req->format, &v, &err);
  if (rc == TL_ARGS_OK) req->format = choices[v.number];
  tl_args_clear(&v, 1);
  return tl_vtab_args_result(tab->module, rc, err, &tab->base.zErrMsg);
}

/* -------------------------------------------------------------- pricing */

static int pricingConnect(sqlite3 *db, void *aux, int argc, const char *const *argv,
                          sqlite3_vtab **ppVtab, char **pzErr) {
  return tl_pricing_connect(db, aux, "pricing", PRICING_SCHEMA, argc, argv, ppVtab, pzErr);
}

/* Uses equality constraints on file, format, raw_model and raw_provider
** (binary collation only for the last two, which the indexes are sorted
** by). The table-valued form needs the file; without it the plan is
** refused, and SQLite reports that pricing() needs its argument. */
static int pricingBestIndex(sqlite3_vtab *vtab, sqlite3_index_info *info) {
  PricingTable *tab = (PricingTable *)vtab;
  int slot_of[4] = {-1, -1, -1, -1};
  static const int bit_of[4] = {PRICING_IDX_FILE, PRICING_IDX_FORMAT, PRICING_IDX_MODEL,
                                PRICING_IDX_PROVIDER};
  int idx = 0, argv_index = 0;
  for (int i = 0; i < info->nConstraint; i++) {
    const struct sqlite3_index_constraint *c = &info->aConstraint[i];
    int which;
    if (c->op != SQLITE_INDEX_CONSTRAINT_EQ) continue;
    switch (c->iColumn) {
      case PRICING_COLUMN_FILE: which = 0; break;
      case PRICING_COLUMN_FORMAT: which = 1; break;
      case PRICING_COLUMN_RAW_MODEL: which = 2; break;
      case PRICING_COLUMN_RAW_PROVIDER: which = 3; break;
      default: continue;
    }
    if (!c->usable) {
      if (which == 0 && !tab->file) return SQLITE_CONSTRAINT;
      continue;
    }
    if (which >= 2 && sqlite3_stricmp(sqlite3_vtab_collation(info, i), "BINARY") != 0) continue;
    slot_of[which] = i;
  }
  if (!tab->file && slot_of[0] < 0) return SQLITE_CONSTRAINT;
  for (int k = 0; k < 4; k++) {
    if (slot_of[k] < 0) continue;
    idx |= bit_of[k];
    info->aConstraintUsage[slot_of[k]].argvIndex = ++argv_index;
    info->aConstraintUsage[slot_of[k]].omit = 1;
  }
  /* Serializing extra is most of the decoding work: skip it when unread. */
  if (info->colUsed & ((sqlite3_uint64)1 << PRICING_COLUMN_EXTRA)) idx |= PRICING_IDX_EXTRA;
  info->idxNum = idx;
  info->estimatedCost = (idx & (PRICING_IDX_MODEL | PRICING_IDX_PROVIDER)) ? 20.0 : 100000.0;
  info->estimatedRows = (idx & PRICING_IDX_MODEL) ? 2 : (idx & PRICING_IDX_PROVIDER) ? 100 : 5000;
  return SQLITE_OK;
}

static int pricingOpen(sqlite3_vtab *vtab, sqlite3_vtab_cursor **ppCursor) {
  PricingCursor *cur = sqlite3_malloc(sizeof *cur);
  (void)vtab;
  if (!cur) return SQLITE_NOMEM;
  memset(cur, 0, sizeof *cur);
  *ppCursor = &cur->base;
  return SQLITE_OK;
}

/* Frees what the last query held; the cursor is then as xOpen made it. */
static void cursor_reset(PricingCursor *cur) {
  sqlite3_vtab_cursor base = cur->base;
  pricing_rows_clear(&cur->stream);
  pricing_cached_release(cur->cached);
  sqlite3_free(cur->path);
  sqlite3_free(cur->want_model);
  sqlite3_free(cur->want_provider);
  memset(cur, 0, sizeof *cur);
  cur->base = base;
}

static int pricingClose(sqlite3_vtab_cursor *cursor) {
  PricingCursor *cur = (PricingCursor *)cursor;
  cursor_reset(cur);
  sqlite3_free(cur);
  return SQLITE_OK;
}

static const PricingStoredRow *current_row(const PricingCursor *cur) {
  if (cur->streaming) return &cur->stream.rows[cur->pos];
  return &cur->cached->set.rows[cur->order ? cur->order[cur->pos] : cur->pos];
}

/* A scan without a raw_model or raw_provider constraint wants every row. */
static int row_wanted(const PricingCursor *cur) {
  return (!cur->want_model && !cur->want_provider) ||
         pricing_row_matches(&current_row(cur)->price, cur->want_model, cur->want_provider);
}

/* Streaming: moves to the next row that matches, reading entries as
** needed. */
static int stream_advance(PricingCursor *cur, PricingTable *tab) {
  for (;;) {
    char *err;
    int rc;
    while (++cur->pos < cur->stream.n) {
      if (row_wanted(cur)) return SQLITE_OK;
    }
    cur->pos = -1;
    rc = pricing_rows_next(&cur->stream, &err);
    if (rc == 0) {
      cur->eof = 1;
      return SQLITE_OK;
    }
    if (rc < 0) return tl_pricing_error(tab, err, cur->path);
  }
}

/* Positions a cursor over a cached file: all rows, or the equal range of a
** raw_model / raw_provider index. */
static int cached_filter(PricingCursor *cur) {
  const PricingRowSet *set = &cur->cached->set;
  cur->format = set->format;
  if (cur->want_model || cur->want_provider) {
    PricingKey key = cur->want_model ? PRICING_BY_MODEL : PRICING_BY_PROVIDER;
    if (!(cur->order = pricing_cached_index(cur->cached, key))) return SQLITE_NOMEM;
    pricing_rows_equal_range(set, cur->order, key, cur->want_model ? cur->want_model : cur->want_provider,
                             &cur->pos, &cur->end);
    while (cur->pos < cur->end && !row_wanted(cur)) cur->pos++;
  } else {
    cur->pos = 0;
    cur->end = set->n;
  }
  cur->eof = cur->pos >= cur->end;
  return SQLITE_OK;
}

/* A raw_model or raw_provider constraint's value into *want (a copy: the
** values of argv die after xFilter). A NULL or a value holding U+0000
** matches no row: *no_rows. */
static int want_value(sqlite3_value *v, char **want, int *no_rows) {
  const char *text;
  int has_nul, rc = tl_pricing_value_text(v, &text, &has_nul);
  if (rc != SQLITE_OK) return rc;
  if (!text || has_nul) {
    *no_rows = 1;
    return SQLITE_OK;
  }
  return (*want = sqlite3_mprintf("%s", text)) ? SQLITE_OK : SQLITE_NOMEM;
}

static int pricingFilter(sqlite3_vtab_cursor *cursor, int idxNum, const char *idxStr, int argc,
                         sqlite3_value **argv) {
  PricingCursor *cur = (PricingCursor *)cursor;
  PricingTable *tab = (PricingTable *)cursor->pVtab;
  PricingRequest req;
  char *err = NULL;
  int arg = 0, rc;
  (void)idxStr;
  (void)argc;
  cursor_reset(cur);
  if ((rc = tl_pricing_request(tab, idxNum, argv, &arg, &req)) != SQLITE_OK) return rc;
  if (!req.no_rows && (idxNum & PRICING_IDX_MODEL)) {
    rc = want_value(argv[arg++], &cur->want_model, &req.no_rows);
  }
  if (rc == SQLITE_OK && !req.no_rows && (idxNum & PRICING_IDX_PROVIDER)) {
    rc = want_value(argv[arg++], &cur->want_provider, &req.no_rows);
  }
  if (rc != SQLITE_OK) return rc;
  if (req.no_rows) {
    cur->eof = 1;
    return SQLITE_OK;
  }
  if ((rc = tl_pricing_check(tab, &req)) != SQLITE_OK) return rc;
  if (!(cur->path = sqlite3_mprintf("%s", req.path))) return SQLITE_NOMEM;
  cur->format_arg = req.format;
  cur->want_extra = (idxNum & PRICING_IDX_EXTRA) != 0;
  rc = pricing_cache_get(tab->cache, cur->path, req.format, 0, &cur->cached, &err);
  if (rc == PRICING_CACHE_OK) return cached_filter(cur);
  if (rc == PRICING_CACHE_ERROR ||
      pricing_rows_open(&cur->stream, cur->path, req.format, (idxNum & PRICING_IDX_EXTRA) != 0, 0,
                        &err) < 0) {
    return tl_pricing_error(tab, err, cur->path);
  }
  cur->streaming = 1;
  cur->format = cur->stream.format;
  cur->pos = -1;
  return stream_advance(cur, tab);
}

static int pricingNext(sqlite3_vtab_cursor *cursor) {
  PricingCursor *cur = (PricingCursor *)cursor;
  if (cur->streaming) return stream_advance(cur, (PricingTable *)cursor->pVtab);
  do {
    cur->pos++;
  } while (cur->pos < cur->end && !row_wanted(cur));
  cur->eof = cur->pos >= cur->end;
  return SQLITE_OK;
}

static int pricingEof(sqlite3_vtab_cursor *cursor) { return ((PricingCursor *)cursor)->eof; }

static void result_text(sqlite3_context *ctx, const char *s) {
  if (s) sqlite3_result_text(ctx, s, -1, SQLITE_TRANSIENT);
}

static void result_cost(sqlite3_context *ctx, double v) {
  if (!isnan(v)) sqlite3_result_double(ctx, v);
}

static void result_int(sqlite3_context *ctx, long long v) {
  if (v >= 0) sqlite3_result_int64(ctx, v);
}

/* The first read of extra from a file cached without it: the file decoded
** again with extra, whose reference replaces the cursor's (the same rows in
** the same order, so its position and index range hold). Writing extra is
** most of a decoder's work on files whose rows carry many fields no column
** takes, so a file pays for it only once a row's extra is read: a statement
** may read extra for some rows only (the ledger reads genai-prices' alone). */
static int cached_with_extra(PricingCursor *cur, PricingTable *tab) {
  PricingCachedFile *f;
  char *err = NULL;
  int rc = pricing_cache_get(tab->cache, cur->path, cur->format_arg, 1, &f, &err);
  if (rc == PRICING_CACHE_ERROR) return tl_pricing_error(tab, err, cur->path);
  if (rc == PRICING_CACHE_STREAM || !tl_file_same(&f->set.id, &cur->cached->set.id) ||
      f->set.n != cur->cached->set.n) {
    pricing_cached_release(f); /* (NULL when the file grew past the cache's size) */
    return tl_pricing_error(tab, pricing_message("'%s' changed while it was read (rewritten or"
                                                 " replaced): read it again", cur->path),
                            cur->path);
  }
  if (cur->order) {
    PricingKey key = cur->want_model ? PRICING_BY_MODEL : PRICING_BY_PROVIDER;
    if (!(cur->order = pricing_cached_index(f, key))) {
      pricing_cached_release(f);
      return SQLITE_NOMEM;
    }
  }
  pricing_cached_release(cur->cached);
  cur->cached = f;
  return SQLITE_OK;
}

static int pricingColumn(sqlite3_vtab_cursor *cursor, sqlite3_context *ctx, int col) {
  PricingCursor *cur = (PricingCursor *)cursor;
  PricingTable *tab = (PricingTable *)cursor->pVtab;
  if (col == PRICING_COLUMN_EXTRA && cur->want_extra && !cur->streaming &&
      !cur->cached->has_extra) {
    int rc = cached_with_extra(cur, tab);
    if (rc != SQLITE_OK) return rc;
  }
  const PricingStoredRow *r = current_row(cur);
  const PriceRow *p = &r->price;
  switch (col) {
    case PRICING_COLUMN_SOURCE_FORMAT: result_text(ctx, cur->format); break;
    case PRICING_COLUMN_SOURCE_FILE: result_text(ctx, cur->path); break;
    case PRICING_COLUMN_ENTRY: sqlite3_result_int64(ctx, r->entry); break;
    case PRICING_COLUMN_RAW_PROVIDER: result_text(ctx, p->raw_provider); break;
    case PRICING_COLUMN_RAW_MODEL: result_text(ctx, p->raw_model); break;
    case PRICING_COLUMN_MODE: result_text(ctx, p->mode); break;
    case PRICING_COLUMN_TIER_START_TOKENS: result_int(ctx, p->tier_start_tokens); break;
    case PRICING_COLUMN_INPUT_COST_PER_TOKEN: result_cost(ctx, p->input_cost_per_token); break;
    case PRICING_COLUMN_OUTPUT_COST_PER_TOKEN: result_cost(ctx, p->output_cost_per_token); break;
    case PRICING_COLUMN_CACHE_READ_COST_PER_TOKEN: result_cost(ctx, p->cache_read_cost_per_token); break;
    case PRICING_COLUMN_CACHE_WRITE_COST_PER_TOKEN: result_cost(ctx, p->cache_write_cost_per_token); break;
    case PRICING_COLUMN_REASONING_COST_PER_TOKEN: result_cost(ctx, p->reasoning_cost_per_token); break;
    case PRICING_COLUMN_CONTEXT_WINDOW: result_int(ctx, p->context_window); break;
    case PRICING_COLUMN_MAX_OUTPUT_TOKENS: result_int(ctx, p->max_output_tokens); break;
    case PRICING_COLUMN_CURRENCY: result_text(ctx, p->currency); break;
    case PRICING_COLUMN_EFFECTIVE_FROM: result_text(ctx, p->effective_from); break;
    case PRICING_COLUMN_NOTE: result_text(ctx, p->note); break;
    case PRICING_COLUMN_EXTRA: result_text(ctx, p->extra); break;
    case PRICING_COLUMN_INPUT_AUDIO_COST_PER_TOKEN: result_cost(ctx, p->input_audio_cost_per_token); break;
    case PRICING_COLUMN_OUTPUT_AUDIO_COST_PER_TOKEN: result_cost(ctx, p->output_audio_cost_per_token); break;
    case PRICING_COLUMN_CACHE_READ_AUDIO_COST_PER_TOKEN:
      result_cost(ctx, p->cache_read_audio_cost_per_token);
      break;
    case PRICING_COLUMN_INPUT_IMAGE_COST_PER_TOKEN: result_cost(ctx, p->input_image_cost_per_token); break;
    case PRICING_COLUMN_OUTPUT_IMAGE_COST_PER_TOKEN: result_cost(ctx, p->output_image_cost_per_token); break;
    case PRICING_COLUMN_INPUT_VIDEO_COST_PER_TOKEN: result_cost(ctx, p->input_video_cost_per_token); break;
    case PRICING_COLUMN_OUTPUT_VIDEO_COST_PER_TOKEN: result_cost(ctx, p->output_video_cost_per_token); break;
    case PRICING_COLUMN_CACHE_WRITE_1H_COST_PER_TOKEN:
      result_cost(ctx, p->cache_write_1h_cost_per_token);
      break;
    case PRICING_COLUMN_PER_REQUEST_COST: result_cost(ctx, p->per_request_cost); break;
    case PRICING_COLUMN_WEB_SEARCH_COST: result_cost(ctx, p->web_search_cost); break;
    case PRICING_COLUMN_SERVICE_TIER: result_text(ctx, p->service_tier); break;
    case PRICING_COLUMN_WINDOW_START: result_text(ctx, p->window_start); break;
    case PRICING_COLUMN_WINDOW_END: result_text(ctx, p->window_end); break;
    case PRICING_COLUMN_FILE: result_text(ctx, cur->path); break;
    case PRICING_COLUMN_FORMAT: result_text(ctx, tab->format ? tab->format : cur->format); break;
    default: break;
  }
  return SQLITE_OK;
}

static int pricingRowid(sqlite3_vtab_cursor *cursor, sqlite3_int64 *rowid) {
  PricingCursor *cur = (PricingCursor *)cursor;
  *rowid = cur->streaming ? (sqlite3_int64)cur->stream.entries * 1000 + cur->pos
                          : (sqlite3_int64)(cur->order ? cur->order[cur->pos] : cur->pos) + 1;
  return SQLITE_OK;
}

static sqlite3_module pricing_module = {
    /* iVersion    */ 0,
    /* xCreate     */ pricingConnect,
    /* xConnect    */ pricingConnect,
    /* xBestIndex  */ pricingBestIndex,
    /* xDisconnect */ tl_pricing_disconnect,
    /* xDestroy    */ tl_pricing_disconnect,
    /* xOpen       */ pricingOpen,
    /* xClose      */ pricingClose,
    /* xFilter     */ pricingFilter,
    /* xNext       */ pricingNext,
    /* xEof        */ pricingEof,
    /* xColumn     */ pricingColumn,
    /* xRowid      */ pricingRowid,
    /* xUpdate     */ 0,
    /* xBegin      */ 0,
    /* xSync       */ 0,
    /* xCommit     */ 0,
    /* xRollback   */ 0,
    /* xFindMethod */ 0,
    /* xRename     */ 0,
    /* xSavepoint  */ 0,
    /* xRelease    */ 0,
    /* xRollbackTo */ 0,
    /* xShadowName */ 0,
};

/* A module's reference to the connection's cache, dropped when SQLite
** destroys the module (the connection closes, or registering it failed). */
static void pricing_shared_release(void *p) {
  PricingShared *shared = p;
  if (--shared->refs > 0) return;
  pricing_cache_clear(&shared->cache);
  sqlite3_free(shared);
}

int tl_register_pricing(sqlite3 *db, char **pzErr) {
  (void)pzErr; /* nothing to say beyond the connection's message */
  PricingShared *shared = sqlite3_malloc(sizeof *shared);
  if (!shared) return SQLITE_NOMEM;
  shared->refs = 2; /* this function's, and the pricing module's */
  pricing_cache_init(&shared->cache);
  int rc = sqlite3_create_module_v2(db, "pricing", &pricing_module, shared,
                                    pricing_shared_release);
  if (rc == SQLITE_OK) {
    shared->refs++;
    rc = tl_register_pricing_files(db, shared, pricing_shared_release);
  }
  pricing_shared_release(shared);
  return rc;
}
