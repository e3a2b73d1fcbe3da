/*
** pricing: LLM price lists as a table, one row per model entry and tier.
**
**   SELECT * FROM pricing('model_prices_and_context_window.json');
**   SELECT * FROM pricing('api.json', 'modelsdev');
**   CREATE VIRTUAL TABLE temp.p USING pricing(file='prices.json', format='auto');
**   SELECT * FROM pricing_files('prices.json');   -- how the file reconciles
**
** Formats (auto-detected; pass one to force it): litellm, openrouter,
** modelsdev, genai-prices, tokenledger. See ext/pricing_*.c, one file each.
**
** CREATE VIRTUAL TABLE (pricing or pricing_files) takes file= (required) and
** format= (default auto), read as ext/args.h says: keys in any case, values
** bare or quoted with '..' or "..", a doubled quote inside standing for one.
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
** pricing_files(file [, format]) returns one row: source_file, source_format
** (as pricing's columns: the file as given, the format read), entries
** (entries read), models (entries with rows), rows, skipped (entries that are
** not models, such as LiteLLM's sample_spec) and skipped_detail (a JSON array
** of {key, reason}). entries = models + skipped, always. file and format are
** its HIDDEN arguments.
**
** An entry whose key or strings hold U+0000 gives no row: it is skipped with
** its reason (a name cut at the NUL would pass for another model).
**
** HOW IT WORKS. A file is decoded once per connection while its identity
** (device, inode, size, modification and change times: ext/tl_file.h) stays
** the same, so a file replaced by one of equal size and mtime is read again.
** The rows go into a cache (the last 8 files, up to 64 MiB each); the first
** lookup by raw_model or raw_provider sorts an index of row numbers by that
** column, so `raw_model = ?` and `raw_provider = ?` are binary searches, not
** scans. Cached files are reference-counted: a cursor holds its file, so a
** query that makes another cursor replace or evict it (the file changed,
** extra is wanted, a ninth file) only detaches it, and the last cursor frees
** it. A larger file is streamed on every query, one entry at a time, and
** memory stays at one entry's rows. A file that changes while it is read
** (cached or streamed) fails the query, naming the file, rather than mixing
** two versions. Out of memory fails the query (SQLITE_NOMEM), never a NULL
** in place of a value. Reading files is not innocuous: the module is
** DIRECTONLY, so the schema of an untrusted database cannot use it.
*/
#include <math.h>
#include <sqlite3ext.h>
#include <stdlib.h>
#include <string.h>

#include "pricing.h"
#include "tokenledger_modules.h"
#include "trust.h"
#include "vtab_args.h"
SQLITE_EXTENSION_INIT3

#define CACHE_FILES 8
#define CACHE_MAX_BYTES (64 * 1024 * 1024)

enum {
  COL_SOURCE_FORMAT,
  COL_SOURCE_FILE,
  COL_ENTRY,
  COL_RAW_PROVIDER,
  COL_RAW_MODEL,
  COL_MODE,
  COL_TIER_START,
  COL_INPUT,
  COL_OUTPUT,
  COL_CACHE_READ,
  COL_CACHE_WRITE,
  COL_REASONING,
  COL_CONTEXT_WINDOW,
  COL_MAX_OUTPUT,
  COL_CURRENCY,
  COL_EFFECTIVE_FROM,
  COL_NOTE,
  COL_EXTRA,
  COL_INPUT_AUDIO,
  COL_OUTPUT_AUDIO,
  COL_CACHE_READ_AUDIO,
  COL_INPUT_IMAGE,
  COL_OUTPUT_IMAGE,
  COL_INPUT_VIDEO,
  COL_OUTPUT_VIDEO,
  COL_CACHE_WRITE_1H,
  COL_PER_REQUEST,
  COL_WEB_SEARCH,
  COL_SERVICE_TIER,
  COL_WINDOW_START,
  COL_WINDOW_END,
  COL_ARG_FILE,   /* HIDDEN: pricing('file', ...) */
  COL_ARG_FORMAT  /* HIDDEN: pricing(..., 'format') */
};

/* pricing_files columns */
enum {
  FILES_COL_FILE,
  FILES_COL_FORMAT,
  FILES_COL_ENTRIES,
  FILES_COL_MODELS,
  FILES_COL_ROWS,
  FILES_COL_SKIPPED,
  FILES_COL_SKIPPED_DETAIL,
  FILES_COL_ARG_FILE,
  FILES_COL_ARG_FORMAT
};

#define PRICING_FILES_SCHEMA                                                            \
  "CREATE TABLE x(source_file TEXT, source_format TEXT, entries INTEGER, models INTEGER," \
  " rows INTEGER, skipped INTEGER, skipped_detail TEXT, file HIDDEN, format HIDDEN)"

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

/* A decoded row; its strings live in the owning RowSet's arena. */
typedef struct StoredRow {
  PriceRow price;
  long long entry;
} StoredRow;

/* Rows of one file (cached), or of one entry (streaming). */
typedef struct RowSet {
  StoredRow *rows;
  int n, cap;
  JsonArena strings;
  long long entries, skipped;
  JsonBuf skipped_detail; /* JSON array text of {key, reason} */
} RowSet;

/* One decoded file, shared by the cache and the cursors reading it. */
typedef struct CachedFile {
  int refs;               /* the cache's slot (while in it) + each cursor */
  char *path;
  char *format_arg;       /* as asked: NULL or "auto" for detection */
  const char *format;     /* as decoded */
  TlFileId id;            /* the version decoded */
  int has_extra; /* decoded with the extra column (else it is NULL) */
  unsigned long long last_used;
  RowSet set;
  int *by_model, *by_provider; /* row numbers sorted by raw_model, raw_provider */
} CachedFile;

typedef struct PricingTable {
  sqlite3_vtab base;
  int files_mode; /* pricing_files: one summary row per file */
  char *file;   /* CREATE VIRTUAL TABLE form; NULL for the table-valued form */
  char *format;
  CachedFile *cache[CACHE_FILES]; /* NULL: empty slot */
  unsigned long long clock;
} PricingTable;

/* idxNum bits, set by xBestIndex; argv of xFilter follows this order. */
#define IDX_FILE 1
#define IDX_FORMAT 2
#define IDX_MODEL 4
#define IDX_PROVIDER 8
#define IDX_EXTRA 16 /* the statement reads the extra column */

typedef struct PricingCursor {
  sqlite3_vtab_cursor base;
  CachedFile *cached;     /* cache mode: a reference, released by cursor_reset */
  const int *order;       /* cache mode: row numbers to visit (or NULL: all) */
  int pos, end;
  /* streaming mode */
  PricingSource *source;
  RowSet entry_rows;
  JsonArena scratch;
  char *want_model, *want_provider; /* copies of the constraint values */
  char *path;
  const char *format;
  int eof;
  int want_extra;
  /* pricing_files of a file too large to cache: counts from a stream */
  long long streamed_entries, streamed_models, streamed_rows, streamed_skipped;
  char *streamed_skipped_detail;
} PricingCursor;

/* ------------------------------------------------------------- row sets */

static void rowset_clear(RowSet *set) {
  sqlite3_free(set->rows);
  json_arena_free(&set->strings);
  json_buf_free(&set->skipped_detail);
  memset(set, 0, sizeof *set);
}

static const char *keep(RowSet *set, const char *s) {
  return s ? json_arena_strdup(&set->strings, s, strlen(s)) : NULL;
}

typedef struct Collector {
  PricingEmitter em;
  RowSet *set;
  long long entry; /* the entry being decoded */
} Collector;

static int collect_row(PricingEmitter *em, const PriceRow *row) {
  Collector *c = (Collector *)em;
  RowSet *set = c->set;
  StoredRow *r;
  if (em->oom) return -1; /* a helper failed: a NULL in row may stand for a value */
  if (set->n == set->cap) {
    int cap = set->cap ? set->cap * 2 : 64;
    StoredRow *grown = sqlite3_realloc64(set->rows, (sqlite3_uint64)cap * sizeof *grown);
    if (!grown) return -1;
    set->rows = grown;
    set->cap = cap;
  }
  r = &set->rows[set->n];
  r->price = *row;
  r->entry = c->entry;
  r->price.raw_provider = keep(set, row->raw_provider);
  r->price.raw_model = keep(set, row->raw_model);
  r->price.mode = keep(set, row->mode);
  r->price.currency = keep(set, row->currency);
  r->price.effective_from = keep(set, row->effective_from);
  r->price.note = keep(set, row->note);
  r->price.extra = keep(set, row->extra);
  r->price.service_tier = keep(set, row->service_tier);
  r->price.window_start = keep(set, row->window_start);
  r->price.window_end = keep(set, row->window_end);
  if ((row->service_tier && !r->price.service_tier) || (row->window_start && !r->price.window_start) ||
      (row->window_end && !r->price.window_end) ||
      (row->raw_provider && !r->price.raw_provider) || (row->raw_model && !r->price.raw_model) ||
      (row->mode && !r->price.mode) || (row->currency && !r->price.currency) ||
      (row->effective_from && !r->price.effective_from) || (row->note && !r->price.note) ||
      (row->extra && !r->price.extra)) {
    return -1; /* out of memory: a NULL here would be a silently wrong row */
  }
  set->n++;
  return 0;
}

static int collect_skip(PricingEmitter *em, const char *key, const char *reason) {
  Collector *c = (Collector *)em;
  JsonBuf *b = &c->set->skipped_detail;
  if (em->oom) return -1;
  json_buf_append(b, b->len ? "," : "[", 1);
  json_buf_append(b, "{\"key\":", 7);
  json_write_string(b, key ? key : "", key ? strlen(key) : 0);
  json_buf_append(b, ",\"reason\":", 10);
  json_write_string(b, reason, strlen(reason));
  json_buf_append(b, "}", 1);
  c->set->skipped++;
  return b->oom ? -1 : 0;
}

static void collector_init(Collector *c, RowSet *set, JsonArena *scratch, const char *path,
                           int want_extra) {
  memset(c, 0, sizeof *c);
  c->em.emit = collect_row;
  c->em.skip = collect_skip;
  c->em.scratch = scratch;
  c->em.file = path;
  c->em.skip_extra = !want_extra;
  c->set = set;
}

/* Decodes the next entry of src into set. 1, 0 (no more), -1 (*err). */
/* On -1, *err is NULL when an emit ran out of memory (set_error says so). */
static int decode_entry(PricingSource *src, Collector *c, char **err) {
  int rc;
  c->entry = pricing_source_entries(src) + 1;
  rc = pricing_source_next(src, &c->em, err);
  if (rc == 1) c->set->entries = pricing_source_entries(src);
  return rc;
}

/* The name errors start with: the module the user called. */
static const char *module_name(const sqlite3_vtab *vtab) {
  return ((const PricingTable *)vtab)->files_mode ? "pricing_files" : "pricing";
}

/* A tl_malloc'd core message handed to zErrMsg as an sqlite3 string; NULL
** means memory ran out. Returns the code for xFilter/xNext to return. */
static int set_error(sqlite3_vtab *vtab, char *core_err, const char *path) {
  sqlite3_free(vtab->zErrMsg);
  if (core_err) {
    vtab->zErrMsg = sqlite3_mprintf("%s: %s", module_name(vtab), core_err);
    sqlite3_free(core_err);
    return SQLITE_ERROR;
  }
  vtab->zErrMsg = sqlite3_mprintf("%s: out of memory while reading '%s'", module_name(vtab), path);
  return SQLITE_NOMEM;
}

/* ---------------------------------------------------------------- cache */

static const char *row_key(const StoredRow *rows, int i, int by_model) {
  return by_model ? rows[i].price.raw_model : rows[i].price.raw_provider;
}

/* NULL keys first, then bytewise (BINARY collation). */
static int compare_keys(const char *s, const char *t) {
  if (!s || !t) return (s != NULL) - (t != NULL);
  return strcmp(s, t);
}

/* Row numbers ordered by raw_model or raw_provider: a stable merge sort
** (qsort would need its key in a global, shared across connections). */
static int *sort_rows(const RowSet *set, int by_model) {
  size_t n = (size_t)set->n;
  int *order = sqlite3_malloc64((n ? n : 1) * sizeof *order);
  int *tmp = sqlite3_malloc64((n ? n : 1) * sizeof *tmp);
  if (!order || !tmp) {
    sqlite3_free(order);
    sqlite3_free(tmp);
    return NULL;
  }
  for (size_t i = 0; i < n; i++) order[i] = (int)i;
  for (size_t width = 1; width < n; width *= 2) {
    for (size_t lo = 0; lo < n; lo += 2 * width) {
      size_t mid = lo + width < n ? lo + width : n, hi = lo + 2 * width < n ? lo + 2 * width : n;
      size_t a = lo, b = mid, k = lo;
      while (a < mid && b < hi) {
        int c = compare_keys(row_key(set->rows, order[a], by_model), row_key(set->rows, order[b], by_model));
        tmp[k++] = c <= 0 ? order[a++] : order[b++];
      }
      while (a < mid) tmp[k++] = order[a++];
      while (b < hi) tmp[k++] = order[b++];
    }
    memcpy(order, tmp, n * sizeof *order);
  }
  sqlite3_free(tmp);
  return order;
}

static void cached_release(CachedFile *f) {
  if (!f || --f->refs > 0) return;
  sqlite3_free(f->path);
  sqlite3_free(f->format_arg);
  sqlite3_free(f->by_model);
  sqlite3_free(f->by_provider);
  rowset_clear(&f->set);
  sqlite3_free(f);
}

/* Takes slot i out of the cache; cursors still reading its file keep it. */
static void cache_evict(PricingTable *tab, int i) {
  cached_release(tab->cache[i]);
  tab->cache[i] = NULL;
}

static int same_format_arg(const char *a, const char *b) {
  if (!a || strcmp(a, "auto") == 0) return !b || strcmp(b, "auto") == 0;
  return b && strcmp(a, b) == 0;
}

/* Decodes the whole file into a new CachedFile (one reference, the
** caller's). NULL with the error in vtab and *rc set. */
static CachedFile *cache_decode(PricingTable *tab, const char *path, const char *format,
                                int want_extra, int *rc) {
  char *err = NULL;
  CachedFile *f = sqlite3_malloc(sizeof *f);
  PricingSource *src;
  Collector c;
  JsonArena scratch = {0};
  int more;
  if (!f) {
    *rc = set_error(&tab->base, NULL, path);
    return NULL;
  }
  memset(f, 0, sizeof *f);
  f->refs = 1;
  if (!(src = pricing_source_open(path, format, &err))) {
    *rc = set_error(&tab->base, err, path);
    cached_release(f);
    return NULL;
  }
  f->format = pricing_source_format(src)->name;
  f->id = *pricing_source_file_id(src);
  f->has_extra = want_extra;
  collector_init(&c, &f->set, &scratch, path, want_extra);
  while ((more = decode_entry(src, &c, &err)) == 1) {
  }
  f->set.entries = pricing_source_entries(src);
  pricing_source_close(src);
  json_arena_free(&scratch);
  if (more < 0) {
    *rc = set_error(&tab->base, err, path);
    cached_release(f);
    return NULL;
  }
  if (f->set.skipped_detail.len) json_buf_append(&f->set.skipped_detail, "]", 1);
  f->path = sqlite3_mprintf("%s", path);
  f->format_arg = format ? sqlite3_mprintf("%s", format) : NULL;
  if (!f->path || (format && !f->format_arg) || f->set.skipped_detail.oom) {
    *rc = set_error(&tab->base, NULL, path);
    cached_release(f);
    return NULL;
  }
  return f;
}

/* The slot to refill: an empty one, else the least recently used. */
static int cache_victim(const PricingTable *tab) {
  int victim = 0;
  for (int i = 0; i < CACHE_FILES; i++) {
    if (!tab->cache[i]) return i;
    if (tab->cache[i]->last_used < tab->cache[victim]->last_used) victim = i;
  }
  return victim;
}

/* The cached decode of path with a reference for the caller, decoded again
** if the file's identity changed (or if it was decoded without extra and
** want_extra asks for it); NULL with *stream set when the file is too large
** to cache; NULL with the error in vtab and *rc set on error. */
static CachedFile *cache_get(PricingTable *tab, const char *path, const char *format, int want_extra,
                             int *stream, int *rc) {
  TlFileId id;
  const char *why;
  CachedFile *f;
  int victim = -1;
  *stream = 0;
  *rc = SQLITE_ERROR;
  if (tl_file_identify(path, &id, &why) != 0) {
    sqlite3_free(tab->base.zErrMsg);
    tab->base.zErrMsg = sqlite3_mprintf("%s: cannot open '%s': %s", module_name(&tab->base), path,
                                        why);
    if (!tab->base.zErrMsg) *rc = SQLITE_NOMEM;
    return NULL;
  }
  if (id.size > CACHE_MAX_BYTES) {
    *stream = 1;
    return NULL;
  }
  for (int i = 0; i < CACHE_FILES && victim < 0; i++) {
    f = tab->cache[i];
    if (!f || strcmp(f->path, path) != 0 || !same_format_arg(f->format_arg, format)) continue;
    if (tl_file_same(&f->id, &id) && (f->has_extra || !want_extra)) {
      f->last_used = ++tab->clock;
      f->refs++;
      return f;
    }
    victim = i; /* changed on disk, or extra wanted: decode again here */
  }
  if (victim < 0) victim = cache_victim(tab);
  cache_evict(tab, victim);
  if (!(f = cache_decode(tab, path, format, want_extra, rc))) return NULL;
  f->last_used = ++tab->clock;
  f->refs++; /* the cache's, beside the caller's */
  tab->cache[victim] = f;
  return f;
}

/* ------------------------------------------------------------ the table */

/* The arguments of CREATE VIRTUAL TABLE (ext/args.h). */
enum { PRICING_ARG_FILE, PRICING_ARG_FORMAT };
static const TlArgSpec pricing_args[] = {
    {"file", TL_ARG_TEXT, 1, NULL},
    {"format", TL_ARG_TEXT, 0, NULL},
};
#define PRICING_NSPEC (sizeof pricing_args / sizeof *pricing_args)

/* file= and format= of CREATE VIRTUAL TABLE, which has some, into *file and
** *format (sqlite3_free). */
static int parse_arguments(const char *module, int argc, const char *const *argv, char **file,
                           char **format, char **pzErr) {
  TlArgValue v[PRICING_NSPEC];
  const char *name;
  int rc;
  memset(v, 0, sizeof v);
  rc = tl_vtab_args(module, pricing_args, PRICING_NSPEC, argc, argv, v, pzErr);
  if (rc != SQLITE_OK) return rc;
  name = v[PRICING_ARG_FORMAT].text;
  if (name && strcmp(name, "auto") != 0 && !pricing_format_by_name(name)) {
    *pzErr = sqlite3_mprintf("%s: unknown format '%s' (expected auto, litellm, openrouter, "
                             "modelsdev, genai-prices or tokenledger)", module, name);
    rc = *pzErr ? SQLITE_ERROR : SQLITE_NOMEM;
  } else {
    /* tl_malloc is sqlite3_malloc64 here: pricing_disconnect frees these */
    *file = v[PRICING_ARG_FILE].text;
    *format = v[PRICING_ARG_FORMAT].text;
    v[PRICING_ARG_FILE].text = v[PRICING_ARG_FORMAT].text = NULL;
  }
  tl_args_clear(v, PRICING_NSPEC);
  return rc;
}

static int pricing_connect(sqlite3 *db, void *aux, int argc, const char *const *argv,
                           sqlite3_vtab **ppVtab, char **pzErr) {
  PricingTable *tab;
  char *file = NULL, *format = NULL;
  const char *module = aux ? "pricing_files" : "pricing";
  int rc = tl_require_temp_schema(module, argc, argv, pzErr);
  if (rc == SQLITE_OK && argc > 3) rc = parse_arguments(module, argc, argv, &file, &format, pzErr);
  if (rc == SQLITE_OK) rc = sqlite3_declare_vtab(db, aux ? PRICING_FILES_SCHEMA : PRICING_SCHEMA);
  if (rc == SQLITE_OK) rc = sqlite3_vtab_config(db, SQLITE_VTAB_DIRECTONLY);
  if (rc != SQLITE_OK) {
    sqlite3_free(file);
    sqlite3_free(format);
    return rc;
  }
  tab = sqlite3_malloc(sizeof *tab);
  if (!tab) {
    sqlite3_free(file);
    sqlite3_free(format);
    return SQLITE_NOMEM;
  }
  memset(tab, 0, sizeof *tab);
  tab->files_mode = aux != NULL;
  tab->file = file;
  tab->format = format;
  *ppVtab = &tab->base;
  return SQLITE_OK;
}

static int pricing_disconnect(sqlite3_vtab *vtab) {
  PricingTable *tab = (PricingTable *)vtab;
  for (int i = 0; i < CACHE_FILES; i++) cache_evict(tab, i);
  sqlite3_free(tab->file);
  sqlite3_free(tab->format);
  sqlite3_free(tab);
  return SQLITE_OK;
}

/* Uses equality constraints on file, format, raw_model and raw_provider
** (binary collation only for the last two, which the indexes are sorted
** by). The table-valued form needs the file; without it the plan is
** refused, and SQLite reports that pricing() needs its argument. */
static int pricing_best_index(sqlite3_vtab *vtab, sqlite3_index_info *info) {
  PricingTable *tab = (PricingTable *)vtab;
  int slot_of[4] = {-1, -1, -1, -1};
  static const int bit_of[4] = {IDX_FILE, IDX_FORMAT, IDX_MODEL, IDX_PROVIDER};
  int idx = 0, argv_index = 0;
  for (int i = 0; i < info->nConstraint; i++) {
    const struct sqlite3_index_constraint *c = &info->aConstraint[i];
    int which;
    if (c->op != SQLITE_INDEX_CONSTRAINT_EQ) continue;
    if (tab->files_mode) {
      if (c->iColumn == FILES_COL_ARG_FILE) which = 0;
      else if (c->iColumn == FILES_COL_ARG_FORMAT) which = 1;
      else continue;
    } else {
      switch (c->iColumn) {
        case COL_ARG_FILE: which = 0; break;
        case COL_ARG_FORMAT: which = 1; break;
        case COL_RAW_MODEL: which = 2; break;
        case COL_RAW_PROVIDER: which = 3; break;
        default: continue;
      }
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
  if (!tab->files_mode && (info->colUsed & ((sqlite3_uint64)1 << COL_EXTRA))) idx |= IDX_EXTRA;
  info->idxNum = idx;
  info->estimatedCost = (idx & (IDX_MODEL | IDX_PROVIDER)) ? 20.0 : 100000.0;
  info->estimatedRows = (idx & IDX_MODEL) ? 2 : (idx & IDX_PROVIDER) ? 100 : 5000;
  return SQLITE_OK;
}

static int pricing_open(sqlite3_vtab *vtab, sqlite3_vtab_cursor **ppCursor) {
  PricingCursor *cur = sqlite3_malloc(sizeof *cur);
  (void)vtab;
  if (!cur) return SQLITE_NOMEM;
  memset(cur, 0, sizeof *cur);
  *ppCursor = &cur->base;
  return SQLITE_OK;
}

static void cursor_reset(PricingCursor *cur) {
  pricing_source_close(cur->source);
  rowset_clear(&cur->entry_rows);
  json_arena_free(&cur->scratch);
  sqlite3_free(cur->streamed_skipped_detail);
  cur->streamed_skipped_detail = NULL;
  sqlite3_free(cur->path);
  sqlite3_free(cur->want_model);
  sqlite3_free(cur->want_provider);
  cur->want_model = cur->want_provider = NULL;
  cur->source = NULL;
  cur->path = NULL;
  cached_release(cur->cached);
  cur->cached = NULL;
  cur->order = NULL;
  cur->pos = cur->end = 0;
  cur->eof = 0;
  cur->streamed_entries = cur->streamed_models = cur->streamed_rows = cur->streamed_skipped = 0;
}

static int pricing_close(sqlite3_vtab_cursor *cursor) {
  PricingCursor *cur = (PricingCursor *)cursor;
  cursor_reset(cur);
  sqlite3_free(cur);
  return SQLITE_OK;
}

/* The [lo, hi) range of order whose key equals want (not NULL). */
static void equal_range(const StoredRow *rows, const int *order, int n, int by_model,
                        const char *want, int *lo, int *hi) {
  int a = 0, b = n;
  while (a < b) { /* the first key >= want */
    int mid = a + (b - a) / 2;
    if (compare_keys(row_key(rows, order[mid], by_model), want) < 0) a = mid + 1;
    else b = mid;
  }
  *lo = a;
  b = n;
  while (a < b) { /* the first key > want */
    int mid = a + (b - a) / 2;
    if (compare_keys(row_key(rows, order[mid], by_model), want) <= 0) a = mid + 1;
    else b = mid;
  }
  *hi = a;
}

static const StoredRow *current_row(const PricingCursor *cur) {
  if (cur->source) return &cur->entry_rows.rows[cur->pos];
  return &cur->cached->set.rows[cur->order ? cur->order[cur->pos] : cur->pos];
}

static int row_matches(const PricingCursor *cur, const StoredRow *r) {
  if (cur->want_model && (!r->price.raw_model || strcmp(r->price.raw_model, cur->want_model))) return 0;
  if (cur->want_provider && (!r->price.raw_provider || strcmp(r->price.raw_provider, cur->want_provider))) return 0;
  return 1;
}

/* Streaming: moves to the next row that matches, decoding entries as
** needed. */
static int stream_advance(PricingCursor *cur, sqlite3_vtab *vtab) {
  for (;;) {
    while (++cur->pos < cur->entry_rows.n) {
      if (row_matches(cur, &cur->entry_rows.rows[cur->pos])) return SQLITE_OK;
    }
    {
      Collector c;
      char *err = NULL;
      int rc;
      cur->entry_rows.n = 0;
      json_arena_reset(&cur->entry_rows.strings);
      cur->pos = -1;
      collector_init(&c, &cur->entry_rows, &cur->scratch, cur->path, cur->want_extra);
      rc = decode_entry(cur->source, &c, &err);
      if (rc == 0) {
        cur->eof = 1;
        return SQLITE_OK;
      }
      if (rc < 0) return set_error(vtab, err, cur->path);
    }
  }
}

/* pricing_files: one row, from the cache or from counting a stream. */
static int files_filter(PricingCursor *cur, PricingTable *tab, const char *path, const char *format) {
  PricingSource *src;
  RowSet set;
  Collector c;
  char *err = NULL;
  int rc;
  cur->pos = 0;
  cur->end = 1;
  cur->path = sqlite3_mprintf("%s", path);
  if (!cur->path) return SQLITE_NOMEM;
  if (cur->cached) {
    cur->format = cur->cached->format;
    return SQLITE_OK;
  }
  if (!(src = pricing_source_open(path, format, &err))) return set_error(&tab->base, err, path);
  cur->format = pricing_source_format(src)->name;
  memset(&set, 0, sizeof set);
  collector_init(&c, &set, &cur->scratch, path, 0);
  while ((rc = decode_entry(src, &c, &err)) == 1) {
    cur->streamed_rows += set.n;
    if (set.n) cur->streamed_models++;
    set.n = 0;
    json_arena_reset(&set.strings);
  }
  cur->streamed_skipped = set.skipped;
  cur->streamed_entries = pricing_source_entries(src);
  pricing_source_close(src);
  if (rc == 0 && set.skipped_detail.len) {
    json_buf_append(&set.skipped_detail, "]", 1);
    if (set.skipped_detail.oom ||
        !(cur->streamed_skipped_detail = sqlite3_mprintf("%s", set.skipped_detail.data))) {
      rc = -1; /* err stays NULL: out of memory */
    }
  }
  rowset_clear(&set);
  return rc < 0 ? set_error(&tab->base, err, path) : SQLITE_OK;
}

/* The text of a constraint value into *out (NULL for SQL NULL). SQLITE_NOMEM
** when converting it failed: that NULL must not read as "matches nothing". */
static int arg_text(sqlite3_value *v, const char **out, int *has_nul) {
  *out = (const char *)sqlite3_value_text(v);
  *has_nul = 0;
  if (!*out) return sqlite3_value_type(v) == SQLITE_NULL ? SQLITE_OK : SQLITE_NOMEM;
  /* sqlite3_value_text stops at U+0000; a name never holds one (such
  ** entries are skipped), and a file name cut there would be another file. */
  *has_nul = memchr(*out, 0, (size_t)sqlite3_value_bytes(v)) != NULL;
  return SQLITE_OK;
}

/* Positions a cursor over a cached file: all rows, or the equal range of a
** raw_model / raw_provider index. */
static int cached_filter(PricingCursor *cur, const char *path) {
  const RowSet *set = &cur->cached->set;
  cur->format = cur->cached->format;
  if (!(cur->path = sqlite3_mprintf("%s", path))) return SQLITE_NOMEM;
  if (cur->want_model || cur->want_provider) {
    int by_model = cur->want_model != NULL;
    int **index = by_model ? &cur->cached->by_model : &cur->cached->by_provider;
    /* Built on the first lookup: a plain scan never pays for it. */
    if (!*index && !(*index = sort_rows(set, by_model))) return SQLITE_NOMEM;
    cur->order = *index;
    equal_range(set->rows, cur->order, set->n, by_model, by_model ? cur->want_model : cur->want_provider,
                &cur->pos, &cur->end);
    while (cur->pos < cur->end && !row_matches(cur, current_row(cur))) cur->pos++;
  } else {
    cur->pos = 0;
    cur->end = set->n;
  }
  cur->eof = cur->pos >= cur->end;
  return SQLITE_OK;
}

static int pricing_filter(sqlite3_vtab_cursor *cursor, int idxNum, const char *idxStr, int argc,
                          sqlite3_value **argv) {
  PricingCursor *cur = (PricingCursor *)cursor;
  PricingTable *tab = (PricingTable *)cursor->pVtab;
  const char *path = tab->file, *format = tab->format, *text;
  int arg = 0, stream, rc, has_nul, path_nul = 0;
  char *err = NULL;
  (void)idxStr;
  (void)argc;
  cursor_reset(cur);
  if (idxNum & IDX_FILE) {
    if ((rc = arg_text(argv[arg++], &text, &has_nul)) != SQLITE_OK) return rc;
    if (!tab->file) {
      path = text;
      path_nul = has_nul;
    } else if (!text || has_nul || strcmp(text, tab->file) != 0) { /* file = 'other' on a fixed table */
      cur->eof = 1;
      return SQLITE_OK;
    }
  }
  if (idxNum & IDX_FORMAT) {
    if ((rc = arg_text(argv[arg++], &text, &has_nul)) != SQLITE_OK) return rc;
    if (!tab->file) format = text;
  }
  /* The values of argv die after xFilter: the cursor keeps copies. A NULL
  ** or a value holding U+0000 matches no row. */
  if (idxNum & IDX_MODEL) {
    if ((rc = arg_text(argv[arg++], &text, &has_nul)) != SQLITE_OK) return rc;
    if (!text || has_nul) {
      cur->eof = 1;
      return SQLITE_OK;
    }
    if (!(cur->want_model = sqlite3_mprintf("%s", text))) return SQLITE_NOMEM;
  }
  if (idxNum & IDX_PROVIDER) {
    if ((rc = arg_text(argv[arg++], &text, &has_nul)) != SQLITE_OK) return rc;
    if (!text || has_nul) {
      cur->eof = 1;
      return SQLITE_OK;
    }
    if (!(cur->want_provider = sqlite3_mprintf("%s", text))) return SQLITE_NOMEM;
  }
  if (!path || path_nul) {
    sqlite3_free(tab->base.zErrMsg);
    tab->base.zErrMsg = sqlite3_mprintf(path ? "%s: the file name contains U+0000"
                                             : "%s: the file name is NULL", module_name(&tab->base));
    return SQLITE_ERROR;
  }
  cur->want_extra = (idxNum & IDX_EXTRA) != 0;
  cur->cached = cache_get(tab, path, format, cur->want_extra, &stream, &rc);
  if (!cur->cached && !stream) return rc;
  if (tab->files_mode) return files_filter(cur, tab, path, format);
  if (cur->cached) return cached_filter(cur, path);
  if (!(cur->path = sqlite3_mprintf("%s", path))) return SQLITE_NOMEM;
  if (!(cur->source = pricing_source_open(cur->path, format, &err))) {
    return set_error(&tab->base, err, path);
  }
  cur->format = pricing_source_format(cur->source)->name;
  cur->pos = -1;
  return stream_advance(cur, &tab->base);
}

static int pricing_next(sqlite3_vtab_cursor *cursor) {
  PricingCursor *cur = (PricingCursor *)cursor;
  if (((PricingTable *)cursor->pVtab)->files_mode) {
    cur->eof = 1;
    return SQLITE_OK;
  }
  if (cur->source) return stream_advance(cur, cursor->pVtab);
  do {
    cur->pos++;
  } while (cur->pos < cur->end && !row_matches(cur, current_row(cur)));
  cur->eof = cur->pos >= cur->end;
  return SQLITE_OK;
}

static int pricing_eof(sqlite3_vtab_cursor *cursor) { return ((PricingCursor *)cursor)->eof; }

static void result_text(sqlite3_context *ctx, const char *s) {
  if (s) sqlite3_result_text(ctx, s, -1, SQLITE_TRANSIENT);
}

static void result_cost(sqlite3_context *ctx, double v) {
  if (!isnan(v)) sqlite3_result_double(ctx, v);
}

static void result_int(sqlite3_context *ctx, long long v) {
  if (v >= 0) sqlite3_result_int64(ctx, v);
}

/* Entries that gave at least one row: rows come in entry order. */
static long long count_models(const RowSet *set) {
  long long n = 0;
  for (int i = 0; i < set->n; i++) n += i == 0 || set->rows[i].entry != set->rows[i - 1].entry;
  return n;
}

static void files_column(const PricingCursor *cur, sqlite3_context *ctx, int col) {
  const RowSet *set = cur->cached ? &cur->cached->set : NULL;
  switch (col) {
    case FILES_COL_FILE:
    case FILES_COL_ARG_FILE: result_text(ctx, cur->path); break;
    case FILES_COL_FORMAT:
    case FILES_COL_ARG_FORMAT: result_text(ctx, cur->format); break;
    case FILES_COL_ENTRIES: sqlite3_result_int64(ctx, set ? set->entries : cur->streamed_entries); break;
    case FILES_COL_MODELS: sqlite3_result_int64(ctx, set ? count_models(set) : cur->streamed_models); break;
    case FILES_COL_ROWS: sqlite3_result_int64(ctx, set ? set->n : cur->streamed_rows); break;
    case FILES_COL_SKIPPED: sqlite3_result_int64(ctx, set ? set->skipped : cur->streamed_skipped); break;
    case FILES_COL_SKIPPED_DETAIL:
      result_text(ctx, set ? (set->skipped_detail.len ? set->skipped_detail.data : "[]")
                           : (cur->streamed_skipped_detail ? cur->streamed_skipped_detail : "[]"));
      break;
    default: break;
  }
}

static int pricing_column(sqlite3_vtab_cursor *cursor, sqlite3_context *ctx, int col) {
  PricingCursor *cur = (PricingCursor *)cursor;
  PricingTable *tab = (PricingTable *)cursor->pVtab;
  const StoredRow *r;
  const PriceRow *p;
  if (tab->files_mode) {
    files_column(cur, ctx, col);
    return SQLITE_OK;
  }
  r = current_row(cur);
  p = &r->price;
  switch (col) {
    case COL_SOURCE_FORMAT: result_text(ctx, cur->format); break;
    case COL_SOURCE_FILE: result_text(ctx, cur->path); break;
    case COL_ENTRY: sqlite3_result_int64(ctx, r->entry); break;
    case COL_RAW_PROVIDER: result_text(ctx, p->raw_provider); break;
    case COL_RAW_MODEL: result_text(ctx, p->raw_model); break;
    case COL_MODE: result_text(ctx, p->mode); break;
    case COL_TIER_START: result_int(ctx, p->tier_start_tokens); break;
    case COL_INPUT: result_cost(ctx, p->input_cost_per_token); break;
    case COL_OUTPUT: result_cost(ctx, p->output_cost_per_token); break;
    case COL_CACHE_READ: result_cost(ctx, p->cache_read_cost_per_token); break;
    case COL_CACHE_WRITE: result_cost(ctx, p->cache_write_cost_per_token); break;
    case COL_REASONING: result_cost(ctx, p->reasoning_cost_per_token); break;
    case COL_CONTEXT_WINDOW: result_int(ctx, p->context_window); break;
    case COL_MAX_OUTPUT: result_int(ctx, p->max_output_tokens); break;
    case COL_CURRENCY: result_text(ctx, p->currency); break;
    case COL_EFFECTIVE_FROM: result_text(ctx, p->effective_from); break;
    case COL_NOTE: result_text(ctx, p->note); break;
    case COL_EXTRA: result_text(ctx, p->extra); break;
    case COL_INPUT_AUDIO: result_cost(ctx, p->input_audio_cost_per_token); break;
    case COL_OUTPUT_AUDIO: result_cost(ctx, p->output_audio_cost_per_token); break;
    case COL_CACHE_READ_AUDIO: result_cost(ctx, p->cache_read_audio_cost_per_token); break;
    case COL_INPUT_IMAGE: result_cost(ctx, p->input_image_cost_per_token); break;
    case COL_OUTPUT_IMAGE: result_cost(ctx, p->output_image_cost_per_token); break;
    case COL_INPUT_VIDEO: result_cost(ctx, p->input_video_cost_per_token); break;
    case COL_OUTPUT_VIDEO: result_cost(ctx, p->output_video_cost_per_token); break;
    case COL_CACHE_WRITE_1H: result_cost(ctx, p->cache_write_1h_cost_per_token); break;
    case COL_PER_REQUEST: result_cost(ctx, p->per_request_cost); break;
    case COL_WEB_SEARCH: result_cost(ctx, p->web_search_cost); break;
    case COL_SERVICE_TIER: result_text(ctx, p->service_tier); break;
    case COL_WINDOW_START: result_text(ctx, p->window_start); break;
    case COL_WINDOW_END: result_text(ctx, p->window_end); break;
    case COL_ARG_FILE: result_text(ctx, cur->path); break;
    case COL_ARG_FORMAT: result_text(ctx, tab->format ? tab->format : cur->format); break;
    default: break;
  }
  return SQLITE_OK;
}

static int pricing_rowid(sqlite3_vtab_cursor *cursor, sqlite3_int64 *rowid) {
  PricingCursor *cur = (PricingCursor *)cursor;
  if (((PricingTable *)cursor->pVtab)->files_mode) {
    *rowid = 1;
    return SQLITE_OK;
  }
  *rowid = cur->source ? (sqlite3_int64)cur->entry_rows.entries * 1000 + cur->pos
                       : (sqlite3_int64)(cur->order ? cur->order[cur->pos] : cur->pos) + 1;
  return SQLITE_OK;
}

static sqlite3_module pricing_module = {
    /* iVersion    */ 0,
    /* xCreate     */ pricing_connect,
    /* xConnect    */ pricing_connect,
    /* xBestIndex  */ pricing_best_index,
    /* xDisconnect */ pricing_disconnect,
    /* xDestroy    */ pricing_disconnect,
    /* xOpen       */ pricing_open,
    /* xClose      */ pricing_close,
    /* xFilter     */ pricing_filter,
    /* xNext       */ pricing_next,
    /* xEof        */ pricing_eof,
    /* xColumn     */ pricing_column,
    /* xRowid      */ pricing_rowid,
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

/* pricing_files shares the module's code; its aux pointer selects the mode. */
static int files_mode_marker;

int tl_register_pricing(sqlite3 *db, char **pzErr) {
  (void)pzErr; /* nothing to say beyond the connection's message */
  int rc = sqlite3_create_module(db, "pricing", &pricing_module, NULL);
  if (rc == SQLITE_OK) rc = sqlite3_create_module(db, "pricing_files", &pricing_module, &files_mode_marker);
  return rc;
}
