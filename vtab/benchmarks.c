/*
** benchmarks: quality and speed tables in long form, one row per model and
** metric.
**
**   .load ./tokenledger
**   SELECT raw_model, value FROM benchmarks('aa_models.json')
**    WHERE metric = 'intelligence_index' ORDER BY value DESC LIMIT 10;
**   SELECT * FROM benchmarks('leaderboard-text.json', 'lmarena_json');
**   SELECT * FROM benchmarks('models.csv', 'wide', 'key');    -- model_column
**   SELECT count(*) FROM benchmarks('aa.json') WHERE keep_unmeasured = 1;
**
** Arguments (HIDDEN columns, positional in this order, or by name in WHERE):
**   file             required
**   format           aa_json, aa_csv, aa_scores, lmarena_json, lmarena_csv
**                    or wide; NULL or absent: detected from the file
**   model_column     wide: the column naming the model (default "model")
**   keep_unmeasured  1: also give the cells where 0 means "not measured"
**                    (Artificial Analysis, Elo history) as rows whose value
**                    is NULL, so that counts reconcile with the file
**
** Columns: source_format (the decoder used), source_file (as given),
** raw_model and raw_creator (as the file writes them; creator NULL when the
** file has none), metric (canonical, listed in ext/core/benchmarks.h), value
** (REAL), unit, as_of (YYYY-MM-DD of the data, see ext/core/benchmarks.h),
** ci_low and ci_high (95% confidence bounds where the file gives them:
** LMArena's rating_q025 / rating_q975; else NULL).
**
** HOW IT WORKS. xFilter runs the core decoder (ext/benchmarks*.c), which
** streams the file and hands over rows one by one; the cursor keeps them
** (benchmark files are a few MB at most), then steps through them. Errors
** name FILE:LINE[:COL]; a model or creator name holding a NUL byte is one
** (it is never cut short). The module reads files: SQLITE_VTAB_DIRECTONLY.
**
** Bounded work: xFilter reads the whole file before the first row, so the
** decoder refuses files larger than BENCH_MAX_FILE (64 MiB, ext/core/benchmarks.h):
** one xFilter reads at most that much (about a second) before SQLite can
** look at sqlite3_interrupt() or the progress handler again; xNext is a step
** in memory. Running out of memory anywhere is SQLITE_NOMEM.
*/
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT3

#include <string.h>

#include "benchmarks.h"
#include "tokenledger_modules.h"
#include "vtab_error.h"

#define BENCHMARKS_COLUMN_FORMAT 0
#define BENCHMARKS_COLUMN_SOURCE_FILE 1
#define BENCHMARKS_COLUMN_MODEL 2
#define BENCHMARKS_COLUMN_CREATOR 3
#define BENCHMARKS_COLUMN_METRIC 4
#define BENCHMARKS_COLUMN_VALUE 5
#define BENCHMARKS_COLUMN_UNIT 6
#define BENCHMARKS_COLUMN_AS_OF 7
#define BENCHMARKS_COLUMN_CI_LOW 8
#define BENCHMARKS_COLUMN_CI_HIGH 9
#define BENCHMARKS_COLUMN_FILE 10 /* first hidden argument */
#define BENCHMARKS_NARG 4         /* file, format, model_column, keep_unmeasured */

/* One kept row: its strings follow it in the same allocation. */
typedef struct KeptRow {
  const char *format, *model, *creator, *metric, *unit, *as_of;
  double value, ci_low, ci_high;
  int measured, has_ci;
} KeptRow;

typedef struct BenchCursor {
  sqlite3_vtab_cursor base;
  KeptRow **rows;
  sqlite3_int64 nrow, cap, i;
  char *args[BENCHMARKS_NARG]; /* this scan's arguments, as text (or NULL) */
} BenchCursor;

/* xConnect, also xCreate (eponymous only: the table-valued form). */
static int benchmarksConnect(sqlite3 *db, void *pAux, int argc,
                             const char *const *argv, sqlite3_vtab **ppVtab,
                             char **pzErr) {
  sqlite3_vtab *vtab;
  int rc;
  (void)pAux;
  (void)argc;
  (void)argv;
  (void)pzErr;
  rc = sqlite3_declare_vtab(
      db,
      "CREATE TABLE x(source_format TEXT, source_file TEXT, raw_model TEXT, "
      "raw_creator TEXT, metric TEXT, value REAL, unit TEXT, as_of TEXT, "
      "ci_low REAL, ci_high REAL, file HIDDEN, format HIDDEN, "
      "model_column HIDDEN, keep_unmeasured HIDDEN)");
  if (rc == SQLITE_OK) rc = sqlite3_vtab_config(db, SQLITE_VTAB_DIRECTONLY);
  if (rc != SQLITE_OK) return rc;
  vtab = sqlite3_malloc(sizeof *vtab);
  if (!vtab) return SQLITE_NOMEM;
  memset(vtab, 0, sizeof *vtab);
  *ppVtab = vtab;
  return SQLITE_OK;
}

/* xDisconnect */
static int benchmarksDisconnect(sqlite3_vtab *pVtab) {
  sqlite3_free(pVtab);
  return SQLITE_OK;
}

/* xBestIndex. idxNum bitmask: which hidden arguments arrived as equality
** constraints; each is handed to xFilter as the next argv entry in column
** order.
**   1  file    2  format    4  model_column    8  keep_unmeasured
** The file is required: without a usable one the plan is refused. */
static int benchmarksBestIndex(sqlite3_vtab *pVtab, sqlite3_index_info *info) {
  int argIdx[BENCHMARKS_NARG] = {-1, -1, -1, -1};
  int unusableFile = 0, next = 1;
  for (int i = 0; i < info->nConstraint; i++) {
    const struct sqlite3_index_constraint *c = &info->aConstraint[i];
    int arg = c->iColumn - BENCHMARKS_COLUMN_FILE;
    if (arg < 0 || arg >= BENCHMARKS_NARG || c->op != SQLITE_INDEX_CONSTRAINT_EQ) continue;
    if (!c->usable) {
      if (arg == 0) unusableFile = 1;
      continue;
    }
    argIdx[arg] = i;
  }
  if (argIdx[0] < 0) {
    if (unusableFile) return SQLITE_CONSTRAINT;
    return tl_vtab_error(&pVtab->zErrMsg, SQLITE_ERROR,
                         "benchmarks: a file is required: expected benchmarks('file' [, format [, "
                         "model_column [, keep_unmeasured]]])");
  }
  info->idxNum = 0;
  for (int arg = 0; arg < BENCHMARKS_NARG; arg++) {
    if (argIdx[arg] < 0) continue;
    info->aConstraintUsage[argIdx[arg]].argvIndex = next++;
    info->aConstraintUsage[argIdx[arg]].omit = 1;
    info->idxNum |= 1 << arg;
  }
  info->estimatedCost = 10000;
  info->estimatedRows = 10000;
  return SQLITE_OK;
}

/* xOpen */
static int benchmarksOpen(sqlite3_vtab *pVtab, sqlite3_vtab_cursor **ppCursor) {
  BenchCursor *c = sqlite3_malloc(sizeof *c);
  (void)pVtab;
  if (!c) return SQLITE_NOMEM;
  memset(c, 0, sizeof *c);
  *ppCursor = &c->base;
  return SQLITE_OK;
}

static void cursor_clear(BenchCursor *c) {
  for (sqlite3_int64 i = 0; i < c->nrow; i++) sqlite3_free(c->rows[i]);
  sqlite3_free(c->rows);
  c->rows = NULL;
  c->nrow = c->cap = c->i = 0;
  for (int a = 0; a < BENCHMARKS_NARG; a++) {
    sqlite3_free(c->args[a]);
    c->args[a] = NULL;
  }
}

/* xClose */
static int benchmarksClose(sqlite3_vtab_cursor *cur) {
  cursor_clear((BenchCursor *)cur);
  sqlite3_free(cur);
  return SQLITE_OK;
}

/* Copies s after the row; returns the copy (or NULL for NULL). */
static const char *keep_string(char **p, const char *s) {
  size_t n;
  char *out;
  if (!s) return NULL;
  n = strlen(s) + 1;
  out = *p;
  memcpy(out, s, n);
  *p += n;
  return out;
}

/* BenchEmit: keeps one row; non-zero on out-of-memory. */
static int keep_row(void *ctx, const BenchRow *r) {
  BenchCursor *c = ctx;
  const char *strs[6] = {r->format, r->model, r->creator, r->metric, r->unit, r->as_of};
  size_t extra = 0;
  KeptRow *k;
  char *p;
  for (int i = 0; i < 6; i++) extra += strs[i] ? strlen(strs[i]) + 1 : 0;
  if (c->nrow == c->cap) {
    sqlite3_int64 cap = c->cap ? c->cap * 2 : 256;
    KeptRow **rows = sqlite3_realloc64(c->rows, (sqlite3_uint64)cap * sizeof *rows);
    if (!rows) return 1;
    c->rows = rows;
    c->cap = cap;
  }
  k = sqlite3_malloc64(sizeof *k + extra);
  if (!k) return 1;
  p = (char *)(k + 1);
  k->format = keep_string(&p, r->format);
  k->model = keep_string(&p, r->model);
  k->creator = keep_string(&p, r->creator);
  k->metric = keep_string(&p, r->metric);
  k->unit = keep_string(&p, r->unit);
  k->as_of = keep_string(&p, r->as_of);
  k->value = r->value;
  k->measured = r->measured;
  k->has_ci = r->has_ci;
  k->ci_low = r->ci_low;
  k->ci_high = r->ci_high;
  c->rows[c->nrow++] = k;
  return 0;
}

/* xFilter */
static int benchmarksFilter(sqlite3_vtab_cursor *cur, int idxNum, const char *idxStr,
                            int argc, sqlite3_value **argv) {
  BenchCursor *c = (BenchCursor *)cur;
  BenchOptions opt;
  char err[1024];
  int a = 0, rc;
  (void)idxStr;
  cursor_clear(c);
  for (int bit = 0; bit < BENCHMARKS_NARG; bit++) {
    const unsigned char *z;
    if (!(idxNum & (1 << bit)) || a >= argc) continue;
    z = sqlite3_value_text(argv[a]);
    /* NULL text of a non-NULL value: the conversion ran out of memory. */
    if (!z && sqlite3_value_type(argv[a]) != SQLITE_NULL) return SQLITE_NOMEM;
    a++;
    if (z && !(c->args[bit] = sqlite3_mprintf("%s", z))) return SQLITE_NOMEM;
  }
  if (!c->args[0]) {
    return tl_vtab_error(&cur->pVtab->zErrMsg, SQLITE_ERROR, "benchmarks: the file is NULL");
  }
  memset(&opt, 0, sizeof opt);
  opt.format = c->args[1];
  opt.model_column = c->args[2];
  if (c->args[3]) {
    if (strcmp(c->args[3], "0") != 0 && strcmp(c->args[3], "1") != 0) {
      return tl_vtab_error(&cur->pVtab->zErrMsg, SQLITE_ERROR,
                           "benchmarks: bad keep_unmeasured '%s': expected 0 or 1", c->args[3]);
    }
    opt.keep_unmeasured = c->args[3][0] == '1';
  }
  rc = benchmarks_read(c->args[0], &opt, keep_row, c, err, sizeof err);
  /* keep_row stops the decoder only when it cannot allocate. */
  if (rc == BENCH_STOPPED || rc == BENCH_NOMEM) return SQLITE_NOMEM;
  if (rc != 0) return tl_vtab_error(&cur->pVtab->zErrMsg, SQLITE_ERROR, "benchmarks: %s", err);
  return SQLITE_OK;
}

/* xNext */
static int benchmarksNext(sqlite3_vtab_cursor *cur) {
  ((BenchCursor *)cur)->i++;
  return SQLITE_OK;
}

/* xEof */
static int benchmarksEof(sqlite3_vtab_cursor *cur) {
  BenchCursor *c = (BenchCursor *)cur;
  return c->i >= c->nrow;
}

static void result_text(sqlite3_context *ctx, const char *s) {
  if (s) sqlite3_result_text(ctx, s, -1, SQLITE_TRANSIENT);
}

/* xColumn */
static int benchmarksColumn(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col) {
  BenchCursor *c = (BenchCursor *)cur;
  const KeptRow *k = c->rows[c->i];
  switch (col) {
    case BENCHMARKS_COLUMN_FORMAT: result_text(ctx, k->format); break;
    case BENCHMARKS_COLUMN_SOURCE_FILE: result_text(ctx, c->args[0]); break;
    case BENCHMARKS_COLUMN_MODEL: result_text(ctx, k->model); break;
    case BENCHMARKS_COLUMN_CREATOR: result_text(ctx, k->creator); break;
    case BENCHMARKS_COLUMN_METRIC: result_text(ctx, k->metric); break;
    case BENCHMARKS_COLUMN_VALUE:
      if (k->measured) sqlite3_result_double(ctx, k->value);
      break;
    case BENCHMARKS_COLUMN_UNIT: result_text(ctx, k->unit); break;
    case BENCHMARKS_COLUMN_AS_OF: result_text(ctx, k->as_of); break;
    case BENCHMARKS_COLUMN_CI_LOW:
      if (k->has_ci) sqlite3_result_double(ctx, k->ci_low);
      break;
    case BENCHMARKS_COLUMN_CI_HIGH:
      if (k->has_ci) sqlite3_result_double(ctx, k->ci_high);
      break;
    default: /* the hidden arguments echo back */
      if (col - BENCHMARKS_COLUMN_FILE == 3) {
        sqlite3_result_int(ctx, c->args[3] && c->args[3][0] == '1');
      } else {
        result_text(ctx, c->args[col - BENCHMARKS_COLUMN_FILE]);
      }
  }
  return SQLITE_OK;
}

/* xRowid */
static int benchmarksRowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *pRowid) {
  *pRowid = ((BenchCursor *)cur)->i + 1;
  return SQLITE_OK;
}

static sqlite3_module benchmarksModule = {
    0,                    /* iVersion */
    0,                    /* xCreate: eponymous only */
    benchmarksConnect,    /* xConnect */
    benchmarksBestIndex,  /* xBestIndex */
    benchmarksDisconnect, /* xDisconnect */
    0,                    /* xDestroy */
    benchmarksOpen,       /* xOpen */
    benchmarksClose,      /* xClose */
    benchmarksFilter,     /* xFilter */
    benchmarksNext,       /* xNext */
    benchmarksEof,        /* xEof */
    benchmarksColumn,     /* xColumn */
    benchmarksRowid,      /* xRowid */
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

int tl_register_benchmarks(sqlite3 *db, char **pzErr) {
  (void)pzErr; /* nothing to say beyond the connection's message */
  return sqlite3_create_module(db, "benchmarks", &benchmarksModule, 0);
}
