/*
** pricing_files: how a pricing file reconciles, one row per file.
**
**   SELECT * FROM pricing_files('model_prices_and_context_window.json');
**   SELECT * FROM pricing_files('api.json', 'modelsdev');
**   CREATE VIRTUAL TABLE temp.f USING pricing_files(file='prices.json');
**
** Columns: source_file, source_format (as pricing's columns: the file as
** given, the format read), entries (entries read), models (entries with
** rows), rows, skipped (entries that are not models, such as LiteLLM's
** sample_spec, or entries holding U+0000) and skipped_detail (a JSON array
** of {key, reason}). entries = models + skipped, always. file and format are
** its HIDDEN arguments, and CREATE VIRTUAL TABLE takes file= and format= as
** pricing does (vtab/pricing.c, whose table and argument code this module
** shares through pricing_vtab.h).
**
** HOW IT WORKS. The counts are those of the row set the file decodes into
** (ext/core/pricing_rows.h): a file small enough is decoded into the
** connection's cache, which pricing shares (a file pricing has read is not
** decoded again), and a larger one is read to the end keeping one entry's
** rows at a time. DIRECTONLY, as pricing.
*/
#include <sqlite3ext.h>
#include <string.h>

#include "pricing_vtab.h"
SQLITE_EXTENSION_INIT3

enum {
  PRICING_FILES_COLUMN_SOURCE_FILE,
  PRICING_FILES_COLUMN_SOURCE_FORMAT,
  PRICING_FILES_COLUMN_ENTRIES,
  PRICING_FILES_COLUMN_MODELS,
  PRICING_FILES_COLUMN_ROWS,
  PRICING_FILES_COLUMN_SKIPPED,
  PRICING_FILES_COLUMN_SKIPPED_DETAIL,
  PRICING_FILES_COLUMN_FILE,  /* HIDDEN: pricing_files('file', ...) */
  PRICING_FILES_COLUMN_FORMAT /* HIDDEN: pricing_files(..., 'format') */
};

#define PRICING_FILES_SCHEMA                                                            \
  "CREATE TABLE x(source_file TEXT, source_format TEXT, entries INTEGER, models INTEGER," \
  " rows INTEGER, skipped INTEGER, skipped_detail TEXT, file HIDDEN, format HIDDEN)"

typedef struct PricingFilesCursor {
  sqlite3_vtab_cursor base;
  PricingCachedFile *cached; /* a cached file: a reference */
  PricingRowSet streamed;    /* else the counts of a file read to the end */
  char *path;
  int eof;
} PricingFilesCursor;

static int pricingFilesConnect(sqlite3 *db, void *aux, int argc, const char *const *argv,
                               sqlite3_vtab **ppVtab, char **pzErr) {
  return tl_pricing_connect(db, aux, "pricing_files", PRICING_FILES_SCHEMA, argc, argv, ppVtab,
                            pzErr);
}

/* Uses equality constraints on file and format. The table-valued form needs
** the file; without it the plan is refused, and SQLite reports that
** pricing_files() needs its argument. */
static int pricingFilesBestIndex(sqlite3_vtab *vtab, sqlite3_index_info *info) {
  PricingTable *tab = (PricingTable *)vtab;
  int file = -1, format = -1, argv_index = 0;
  for (int i = 0; i < info->nConstraint; i++) {
    const struct sqlite3_index_constraint *c = &info->aConstraint[i];
    if (c->op != SQLITE_INDEX_CONSTRAINT_EQ) continue;
    if (c->iColumn == PRICING_FILES_COLUMN_FILE) {
      if (!c->usable && !tab->file) return SQLITE_CONSTRAINT;
      if (c->usable) file = i;
    } else if (c->iColumn == PRICING_FILES_COLUMN_FORMAT && c->usable) {
      format = i;
    }
  }
  if (!tab->file && file < 0) return SQLITE_CONSTRAINT;
  info->idxNum = 0;
  if (file >= 0) {
    info->idxNum |= PRICING_IDX_FILE;
    info->aConstraintUsage[file].argvIndex = ++argv_index;
    info->aConstraintUsage[file].omit = 1;
  }
  if (format >= 0) {
    info->idxNum |= PRICING_IDX_FORMAT;
    info->aConstraintUsage[format].argvIndex = ++argv_index;
    info->aConstraintUsage[format].omit = 1;
  }
  info->estimatedCost = 100000.0;
  info->estimatedRows = 5000;
  return SQLITE_OK;
}

static int pricingFilesOpen(sqlite3_vtab *vtab, sqlite3_vtab_cursor **ppCursor) {
  PricingFilesCursor *cur = sqlite3_malloc(sizeof *cur);
  (void)vtab;
  if (!cur) return SQLITE_NOMEM;
  memset(cur, 0, sizeof *cur);
  *ppCursor = &cur->base;
  return SQLITE_OK;
}

/* Frees what the last query held; the cursor is then as xOpen made it. */
static void cursor_reset(PricingFilesCursor *cur) {
  sqlite3_vtab_cursor base = cur->base;
  pricing_cached_release(cur->cached);
  pricing_rows_clear(&cur->streamed);
  sqlite3_free(cur->path);
  memset(cur, 0, sizeof *cur);
  cur->base = base;
}

static int pricingFilesClose(sqlite3_vtab_cursor *cursor) {
  PricingFilesCursor *cur = (PricingFilesCursor *)cursor;
  cursor_reset(cur);
  sqlite3_free(cur);
  return SQLITE_OK;
}

/* One row: the counts of the cached decode, or of reading a file too large
** to cache to its end. */
static int pricingFilesFilter(sqlite3_vtab_cursor *cursor, int idxNum, const char *idxStr, int argc,
                              sqlite3_value **argv) {
  PricingFilesCursor *cur = (PricingFilesCursor *)cursor;
  PricingTable *tab = (PricingTable *)cursor->pVtab;
  PricingRequest req;
  char *err = NULL;
  int arg = 0, rc;
  (void)idxStr;
  (void)argc;
  cursor_reset(cur);
  if ((rc = tl_pricing_request(tab, idxNum, argv, &arg, &req)) != SQLITE_OK) return rc;
  if (req.no_rows) {
    cur->eof = 1;
    return SQLITE_OK;
  }
  if ((rc = tl_pricing_check(tab, &req)) != SQLITE_OK) return rc;
  if (!(cur->path = sqlite3_mprintf("%s", req.path))) return SQLITE_NOMEM;
  rc = pricing_cache_get(tab->cache, cur->path, req.format, 0, &cur->cached, &err);
  if (rc == PRICING_CACHE_OK) return SQLITE_OK;
  if (rc == PRICING_CACHE_ERROR ||
      pricing_rows_open(&cur->streamed, cur->path, req.format, 0, 0, &err) < 0 ||
      pricing_rows_read_all(&cur->streamed, &err) < 0) {
    return tl_pricing_error(tab, err, cur->path);
  }
  return SQLITE_OK;
}

static int pricingFilesNext(sqlite3_vtab_cursor *cursor) {
  ((PricingFilesCursor *)cursor)->eof = 1;
  return SQLITE_OK;
}

static int pricingFilesEof(sqlite3_vtab_cursor *cursor) {
  return ((PricingFilesCursor *)cursor)->eof;
}

static int pricingFilesColumn(sqlite3_vtab_cursor *cursor, sqlite3_context *ctx, int col) {
  PricingFilesCursor *cur = (PricingFilesCursor *)cursor;
  const PricingRowSet *set = cur->cached ? &cur->cached->set : &cur->streamed;
  switch (col) {
    case PRICING_FILES_COLUMN_SOURCE_FILE:
    case PRICING_FILES_COLUMN_FILE: sqlite3_result_text(ctx, cur->path, -1, SQLITE_TRANSIENT); break;
    case PRICING_FILES_COLUMN_SOURCE_FORMAT:
    case PRICING_FILES_COLUMN_FORMAT: sqlite3_result_text(ctx, set->format, -1, SQLITE_STATIC); break;
    case PRICING_FILES_COLUMN_ENTRIES: sqlite3_result_int64(ctx, set->entries); break;
    case PRICING_FILES_COLUMN_MODELS: sqlite3_result_int64(ctx, set->models); break;
    case PRICING_FILES_COLUMN_ROWS: sqlite3_result_int64(ctx, set->rows_read); break;
    case PRICING_FILES_COLUMN_SKIPPED: sqlite3_result_int64(ctx, set->skipped); break;
    case PRICING_FILES_COLUMN_SKIPPED_DETAIL:
      sqlite3_result_text(ctx, set->skipped_detail.len ? set->skipped_detail.data : "[]", -1,
                          SQLITE_TRANSIENT);
      break;
    default: break;
  }
  return SQLITE_OK;
}

static int pricingFilesRowid(sqlite3_vtab_cursor *cursor, sqlite3_int64 *rowid) {
  (void)cursor;
  *rowid = 1;
  return SQLITE_OK;
}

static sqlite3_module pricing_files_module = {
    /* iVersion    */ 0,
    /* xCreate     */ pricingFilesConnect,
    /* xConnect    */ pricingFilesConnect,
    /* xBestIndex  */ pricingFilesBestIndex,
    /* xDisconnect */ tl_pricing_disconnect,
    /* xDestroy    */ tl_pricing_disconnect,
    /* xOpen       */ pricingFilesOpen,
    /* xClose      */ pricingFilesClose,
    /* xFilter     */ pricingFilesFilter,
    /* xNext       */ pricingFilesNext,
    /* xEof        */ pricingFilesEof,
    /* xColumn     */ pricingFilesColumn,
    /* xRowid      */ pricingFilesRowid,
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

int tl_register_pricing_files(sqlite3 *db, PricingShared *shared, void (*release)(void *)) {
  return sqlite3_create_module_v2(db, "pricing_files", &pricing_files_module, shared, release);
}
