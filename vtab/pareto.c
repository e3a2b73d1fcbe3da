/*
** pareto: Pareto frontiers and non-dominated ranks of a query's rows.
**
** As a table-valued function:
**
**   SELECT * FROM pareto('SELECT model, quality, price FROM ledger',
**                        'max, min');
**   SELECT * FROM pareto('SELECT model, quality, price, ttft FROM ledger',
**                        'quality max 5, price min', 'dominated_by=all');
**   SELECT * FROM pareto('SELECT model, quality, price FROM ledger
**                         WHERE provider = ?1', 'max, min', NULL, 'openai');
**
**   pareto(QUERY, OBJECTIVES [, OPTIONS [, P1 .. P8]])
**     QUERY       exactly one read-only statement (sqlite3_stmt_readonly;
**                 anything else is an error). Its first column is the row's
**                 key.
**     OBJECTIVES  comma-separated `[column] max|min [epsilon]`. Without
**                 column names the objectives are the columns after the key,
**                 in order, and there must be one per column ('max, min,
**                 min'); with names (all or none; "quoted" if needed) they
**                 are those columns of the query, in any order, and the
**                 other columns are ignored ('quality max, price min').
**     OPTIONS     NULL or comma-separated key=value (ext/core/args.h: keys in
**                 any case, values bare or quoted, commas inside quotes
**                 kept, empty items skipped):
**                   dominated_by=direct|all  (default direct)
**                   nulls=skip|worst         (default skip)
**     P1 .. P8    bound to ?1 .. ?8 of QUERY; every parameter of QUERY must
**                 get one, and extra ones are errors, so the function works
**                 in prepared statements (pareto(..., ?1) passes the outer
**                 ?1 through) and, with a subquery as argument, in views.
**
**   Columns: key, pareto_rank, dominated_by_count, dominates_count,
**   dominated_by, one row per row of QUERY, in the order QUERY returned
**   them. pareto_rank NULL: not ranked (a NULL objective, nulls=skip).
**
** As a virtual table, carrying every column of the query through:
**
**   CREATE VIRTUAL TABLE temp.frontier USING pareto(
**     query='SELECT model, provider, quality, price FROM ledger',
**     objectives='quality max, price min', dominated_by='all', nulls='worst');
**
**   In the temp schema only (see SECURITY); options are separate
**   arguments there, query= and objectives= required. Columns: those of QUERY, then pareto_rank,
**   dominated_by_count, dominates_count, dominated_by, then one hidden
**   column param1..paramN per
**   parameter of QUERY (so `SELECT * FROM frontier('openai')` binds ?1).
**
** SEMANTICS
**   Row a dominates row b when a is no worse on every objective and better
**   on at least one. pareto_rank 1 is the frontier (rows nobody dominates),
**   rank 2 the frontier of the rest, and so on. Equal vectors never dominate
**   each other and share a rank. dominated_by_count / dominates_count count
**   rows over the whole result. dominated_by is a JSON array of the keys of
**   the rows that dominate this one: by default only those of rank
**   pareto_rank - 1 (the direct dominators; never empty for rank > 1), with
**   dominated_by=all every one of them; keys in the order of the query.
**   An epsilon puts that objective on a grid: values in [k*eps, (k+1)*eps)
**   tie (epsilon-box dominance; a plain "within eps" would not be transitive
**   and ranks would not be well defined).
**   NULL objective: nulls=skip (default) leaves the row out of every
**   comparison, with NULL rank, counts and dominated_by; nulls=worst makes
**   NULL worse than every value on that objective (it ties with an infinite
**   worst value). Text or blob objectives are an error naming the row: CAST
**   them in the query if they are numeric.
**
** SPEED
**   2 objectives: O(n log n); 3 or more: efficient non-dominated sorting
**   (ENS-BS), or divide and conquer, O(n log^(m-1) n), when fronts are
**   large. A constraint pareto_rank = K, <= K or < K stops ranking at K
**   (pareto_rank = 1 is the frontier alone). The two count columns and the
**   dominated_by column are computed only when the statement reads them
**   (xBestIndex colUsed); counts cost about what ranks cost. dominated_by
**   lists can be quadratic in size: they may hold at most
**   PARETO_MAX_LIST_ENTRIES (10 million) keys in all, else an error.
**
** SECURITY
**   Only one read-only statement is run (sqlite3_stmt_readonly), on the
**   connection of the outer statement. It is prepared by tl_prepare_guarded
**   (vtab/trust.c): functions and tables that are not innocuous are refused
**   unless a TEMP view calls them. The module is DIRECTONLY (a database's
**   views and triggers cannot use it), the CREATE form is allowed in the
**   temp schema only, and the nofs entry point leaves pareto out.
**
** HOW IT WORKS
**   xFilter prepares QUERY on the sqlite3* kept from xConnect, binds the
**   parameters, steps it to the end copying the carried columns
**   (sqlite3_value_dup) and the objectives (oriented, see dom_orient), then
**   hands the matrix to dom_sort (ext/core/dominance.c). The cursor walks the
**   rows in query order, skipping rows a rank constraint excludes.
*/
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT3

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "dominance.h"
#include "tl_alloc.h"
#include "trust.h"
#include "tokenledger_modules.h"
#include "vtab_error.h"

#define PARETO_MAX_PARAMS 8
#define PARETO_MAX_DEPTH 8 /* pareto nested in the query of pareto */
#define PARETO_MAX_LIST_ENTRIES 10000000

/* Columns after the carried ones (the key alone in the function form). */
#define PARETO_COLUMN_RANK 0
#define PARETO_COLUMN_DOMINATED_BY_COUNT 1
#define PARETO_COLUMN_DOMINATES_COUNT 2
#define PARETO_COLUMN_DOMINATED_BY 3
#define PARETO_NSTAT 4

/* Hidden columns of the function form, after the stats. */
#define PARETO_HIDDEN_QUERY 0
#define PARETO_HIDDEN_OBJECTIVES 1
#define PARETO_HIDDEN_OPTIONS 2
#define PARETO_HIDDEN_PARAM1 3
#define PARETO_NHIDDEN (PARETO_HIDDEN_PARAM1 + PARETO_MAX_PARAMS)

/*
** idxNum bitmask. xFilter receives argv in this order: query, objectives,
** options, param1..param8 (those present), then the rank bound.
**   IDX_QUERY, IDX_OBJECTIVES, IDX_OPTIONS   the function's arguments
**   IDX_PARAM(k)                              param(k+1) is given
**   IDX_RANK_EQ / _LE / _LT                   pareto_rank =, <=, < the value
**   IDX_COUNTS                                a count column is read
**   IDX_LISTS                                 dominated_by is read
*/
#define IDX_QUERY 0x1
#define IDX_OBJECTIVES 0x2
#define IDX_OPTIONS 0x4
#define IDX_PARAM(k) (0x8 << (k))
#define IDX_RANK_EQ 0x800
#define IDX_RANK_LE 0x1000
#define IDX_RANK_LT 0x2000
#define IDX_COUNTS 0x4000
#define IDX_LISTS 0x8000

/* Every error of this file is a message from error_message(). When even the
** message cannot be allocated it is OUT_OF_MEMORY, a static marker that
** becomes SQLITE_NOMEM where the message is handed to SQLite: a NULL message
** means success, so a failed allocation must never produce one. */
static char OUT_OF_MEMORY[] = "out of memory";

static char *error_message(const char *format, ...) {
  va_list ap;
  char *message;
  va_start(ap, format);
  message = sqlite3_vmprintf(format, ap);
  va_end(ap);
  return message ? message : OUT_OF_MEMORY;
}

/* Hands a message to SQLite (*slot, vtab_error.h) and returns the code to
** report: rc, or SQLITE_NOMEM for OUT_OF_MEMORY. */
static int hand_over(char **slot, char *message, int rc) {
  return tl_vtab_error_take(slot, rc, message == OUT_OF_MEMORY ? NULL : message);
}

typedef struct ParetoSettings {
  int lists_all;   /* dominated_by=all */
  int nulls_worst; /* nulls=worst */
} ParetoSettings;

typedef struct ParetoTable {
  sqlite3_vtab base;
  sqlite3 *db;        /* the inner query runs here */
  int is_function;    /* the eponymous table-valued function form */
  int n_carried;      /* columns carried: 1 (key) or every query column */
  int n_params;       /* hidden parameter columns */
  int depth;          /* running inner queries, to stop runaway nesting */
  char *query;        /* CREATE VIRTUAL TABLE form only */
  char *objectives;
  ParetoSettings settings;
} ParetoTable;

/* One carried value: numbers and NULL inline, so that a row of number keys
** costs no allocation; text and blobs as copies (sqlite3_value_dup). */
typedef struct Cell {
  int copied; /* u.v holds a copy */
  int type;   /* SQLITE_INTEGER, SQLITE_FLOAT, SQLITE_NULL, SQLITE_TEXT, SQLITE_BLOB */
  union {
    sqlite3_int64 i;
    double d;
    sqlite3_value *v;
  } u;
} Cell;

static int cell_set(Cell *c, sqlite3_value *v) {
  c->type = sqlite3_value_type(v);
  c->copied = c->type == SQLITE_TEXT || c->type == SQLITE_BLOB;
  if (c->type == SQLITE_INTEGER) c->u.i = sqlite3_value_int64(v);
  else if (c->type == SQLITE_FLOAT) c->u.d = sqlite3_value_double(v);
  else if (c->copied && (c->u.v = sqlite3_value_dup(v)) == NULL) return SQLITE_NOMEM;
  return SQLITE_OK;
}

static void cell_result(sqlite3_context *ctx, const Cell *c) {
  if (c->copied) sqlite3_result_value(ctx, c->u.v);
  else if (c->type == SQLITE_INTEGER) sqlite3_result_int64(ctx, c->u.i);
  else if (c->type == SQLITE_FLOAT) sqlite3_result_double(ctx, c->u.d);
  else sqlite3_result_null(ctx);
}

typedef struct ParetoCursor {
  sqlite3_vtab_cursor base;
  sqlite3_int64 n_rows;
  sqlite3_int64 row;       /* current row */
  Cell *cells;             /* n_rows * n_carried */
  sqlite3_value *args[PARETO_NHIDDEN]; /* hidden column values of this scan */
  DomResult res;
  int have_counts, have_lists, rank_bounded;
} ParetoCursor;

/* What one open query looks like: its statement and objective columns. */
typedef struct ParetoQuery {
  sqlite3_stmt *stmt;
  int n_cols;
  DomObjective *obj;
  size_t n_obj;
  int *obj_col; /* query column of each objective */
} ParetoQuery;

static void query_close(ParetoQuery *q) {
  sqlite3_finalize(q->stmt);
  dom_free_objectives(q->obj, q->n_obj);
  sqlite3_free(q->obj_col);
  memset(q, 0, sizeof(*q));
}

/* ---------------------------------------------------------------------- */
/* Arguments and options                                                   */
/* ---------------------------------------------------------------------- */

/* The CREATE form's arguments (ext/core/args.h); the last two are also the
** options of the function form, as its OPTIONS string. */
enum { PARETO_ARG_QUERY, PARETO_ARG_OBJECTIVES, PARETO_ARG_DOMINATED_BY, PARETO_ARG_NULLS };
static const char *const dominated_by_words[] = {"direct", "all", NULL};
static const char *const nulls_words[] = {"skip", "worst", NULL};
static const TlArgSpec pareto_args[] = {
    {"query", TL_ARG_TEXT, 1, NULL},
    {"objectives", TL_ARG_TEXT, 1, NULL},
    {"dominated_by", TL_ARG_CHOICE, 0, dominated_by_words},
    {"nulls", TL_ARG_CHOICE, 0, nulls_words},
};
#define PARETO_NSPEC (sizeof pareto_args / sizeof *pareto_args)
#define PARETO_OPTIONS (pareto_args + PARETO_ARG_DOMINATED_BY)
#define PARETO_NOPTIONS (PARETO_NSPEC - PARETO_ARG_DOMINATED_BY)

/* A tl_args_* outcome as this file's error: NULL or a message. */
static char *args_error(int rc, char *message) {
  char *err = rc == TL_ARGS_OK      ? NULL
              : rc == TL_ARGS_ERROR ? error_message("pareto: %s", message)
                                    : OUT_OF_MEMORY;
  tl_free(message);
  return err;
}

/* The settings from the values of dominated_by and nulls, in that order;
** each number is the index of its word (direct 0, all 1; skip 0, worst 1). */
static void apply_options(ParetoSettings *set, const TlArgValue *v) {
  set->lists_all = v[0].given && v[0].number == 1;
  set->nulls_worst = v[1].given && v[1].number == 1;
}

/* The function form's OPTIONS string: "dominated_by=all, nulls=worst". */
static char *parse_options(ParetoSettings *set, const char *text) {
  TlArgValue v[PARETO_NOPTIONS];
  char *message, *err;
  int rc;
  memset(v, 0, sizeof v);
  rc = tl_args_parse_options(PARETO_OPTIONS, PARETO_NOPTIONS, text, v, &message);
  err = args_error(rc, message);
  if (!err) apply_options(set, v);
  tl_args_clear(v, PARETO_NOPTIONS);
  return err;
}

/* ---------------------------------------------------------------------- */
/* The inner query                                                         */
/* ---------------------------------------------------------------------- */

/* Prepares text as exactly one read-only statement with at least a key and
** an objective column; parses and resolves the objectives. */
static char *query_open(sqlite3 *db, const char *text, const char *objectives,
                        ParetoQuery *q) {
  const char *tail = NULL;
  sqlite3_stmt *extra = NULL;
  char err[256], *why = NULL;
  memset(q, 0, sizeof(*q));
  if (!text) return error_message("pareto: the query is NULL: expected a SELECT statement");
  if (tl_prepare_guarded(db, text, &q->stmt, &tail, &why) != SQLITE_OK) {
    char *message = why ? error_message("pareto: cannot prepare the query: %s", why)
                        : OUT_OF_MEMORY;
    sqlite3_free(why);
    return message;
  }
  if (!q->stmt) return error_message("pareto: the query is empty: expected a SELECT statement");
  if (tail && *tail) {
    int rc = sqlite3_prepare_v2(db, tail, -1, &extra, NULL);
    sqlite3_finalize(extra);
    if (rc == SQLITE_NOMEM) return OUT_OF_MEMORY;
    if (rc != SQLITE_OK || extra) {
      while (*tail == ' ' || *tail == '\t' || *tail == '\n' || *tail == '\r') tail++;
      return error_message("pareto: a second statement, '%.40s': expected one statement",
                           tail);
    }
  }
  if (!sqlite3_stmt_readonly(q->stmt))
    return error_message("pareto: the query '%.40s' writes: expected a read-only statement", text);
  q->n_cols = sqlite3_column_count(q->stmt);
  if (q->n_cols < 2)
    return error_message("pareto: the query returns %d column%s: expected a key and at least "
                         "one objective", q->n_cols, q->n_cols == 1 ? "" : "s");
  if (sqlite3_bind_parameter_count(q->stmt) > PARETO_MAX_PARAMS)
    return error_message("pareto: the query has %d parameters: expected at most %d",
                         sqlite3_bind_parameter_count(q->stmt), PARETO_MAX_PARAMS);
  if (dom_parse_objectives(objectives, &q->obj, &q->n_obj, err, sizeof err))
    return error_message("pareto: %s", err);
  q->obj_col = sqlite3_malloc((int)(q->n_obj * sizeof(int)));
  if (!q->obj_col) return OUT_OF_MEMORY;
  if (!q->obj[0].name) {
    if ((int)q->n_obj != q->n_cols - 1)
      return error_message("pareto: %d objectives for %d columns after the key: expected one "
                           "direction per column, or the objective columns named",
                           (int)q->n_obj, q->n_cols - 1);
    for (size_t k = 0; k < q->n_obj; k++) q->obj_col[k] = (int)k + 1;
    return NULL;
  }
  for (size_t k = 0; k < q->n_obj; k++) {
    q->obj_col[k] = -1;
    for (int c = 0; c < q->n_cols; c++) {
      const char *name = sqlite3_column_name(q->stmt, c);
      if (!name || sqlite3_stricmp(name, q->obj[k].name) != 0) continue;
      if (q->obj_col[k] >= 0)
        return error_message("pareto: objective column '%s' appears twice in the query",
                               q->obj[k].name);
      q->obj_col[k] = c;
    }
    if (q->obj_col[k] < 0)
      return error_message("pareto: objective column '%s' is not a column of the query",
                             q->obj[k].name);
  }
  return NULL;
}

/* The name of objective k, for messages. */
static const char *objective_name(const ParetoQuery *q, size_t k) {
  const char *name = q->obj[k].name ? q->obj[k].name
                                    : sqlite3_column_name(q->stmt, q->obj_col[k]);
  return name ? name : "?";
}

/* A value as it would be quoted in a message. */
static char *describe_value(sqlite3_value *v) {
  switch (sqlite3_value_type(v)) {
    case SQLITE_NULL: return sqlite3_mprintf("NULL");
    case SQLITE_BLOB: return sqlite3_mprintf("a %d-byte blob", sqlite3_value_bytes(v));
    case SQLITE_TEXT: return sqlite3_mprintf("'%.40q'", (const char *)sqlite3_value_text(v));
    default: return sqlite3_mprintf("%s", (const char *)sqlite3_value_text(v));
  }
}

/* ---------------------------------------------------------------------- */
/* xConnect / xDisconnect                                                  */
/* ---------------------------------------------------------------------- */

static int is_stat_name(const char *name) {
  static const char *const stats[] = {"pareto_rank", "dominated_by_count",
                                      "dominates_count", "dominated_by"};
  for (int i = 0; i < PARETO_NSTAT; i++)
    if (sqlite3_stricmp(name, stats[i]) == 0) return 1;
  if (sqlite3_strnicmp(name, "param", 5) != 0 || !name[5]) return 0;
  for (name += 5; *name; name++)
    if (*name < '0' || *name > '9') return 0;
  return 1;
}

/* The CREATE VIRTUAL TABLE arguments: query=, objectives=, options. */
static char *parse_table_args(ParetoTable *t, int argc, const char *const *argv) {
  TlArgValue v[PARETO_NSPEC];
  char *message, *err;
  int rc;
  memset(v, 0, sizeof v);
  rc = tl_args_parse(pareto_args, PARETO_NSPEC, argv + 3, (size_t)argc - 3, v, &message);
  err = args_error(rc, message);
  if (!err) {
    /* tl_malloc is sqlite3_malloc64 here: paretoDisconnect frees these */
    t->query = v[PARETO_ARG_QUERY].text;
    t->objectives = v[PARETO_ARG_OBJECTIVES].text;
    v[PARETO_ARG_QUERY].text = v[PARETO_ARG_OBJECTIVES].text = NULL;
    apply_options(&t->settings, v + PARETO_ARG_DOMINATED_BY);
  }
  tl_args_clear(v, PARETO_NSPEC);
  return err;
}

/* The declared schema of the CREATE VIRTUAL TABLE form. */
static char *table_schema(ParetoTable *t, char **pzErr) {
  ParetoQuery q;
  sqlite3_str *s;
  char *schema;
  char *err = query_open(t->db, t->query, t->objectives, &q);
  if (err) {
    query_close(&q);
    *pzErr = err;
    return NULL;
  }
  s = sqlite3_str_new(t->db);
  sqlite3_str_appendall(s, "CREATE TABLE x(");
  for (int c = 0; c < q.n_cols; c++) {
    const char *name = sqlite3_column_name(q.stmt, c);
    if (!name || is_stat_name(name)) {
      *pzErr = !name ? OUT_OF_MEMORY
                     : error_message("pareto: query column '%s' clashes with a column pareto "
                                     "adds: rename it with AS", name);
      query_close(&q);
      sqlite3_free(sqlite3_str_finish(s));
      return NULL;
    }
    sqlite3_str_appendf(s, "\"%w\", ", name);
  }
  sqlite3_str_appendall(s, "pareto_rank INTEGER, dominated_by_count INTEGER, "
                           "dominates_count INTEGER, dominated_by TEXT");
  t->n_carried = q.n_cols;
  t->n_params = sqlite3_bind_parameter_count(q.stmt);
  for (int k = 0; k < t->n_params; k++) sqlite3_str_appendf(s, ", param%d HIDDEN", k + 1);
  sqlite3_str_appendall(s, ")");
  query_close(&q);
  schema = sqlite3_str_finish(s);
  if (!schema) *pzErr = OUT_OF_MEMORY;
  return schema;
}

/* xConnect, also xCreate: without arguments the table-valued function.
** A table with a stored query may live only in the temp schema, and
** DIRECTONLY keeps both forms out of the views and triggers of a database
** file (vtab/trust.c says why). */
static int paretoConnect(sqlite3 *db, void *pAux, int argc, const char *const *argv,
                         sqlite3_vtab **ppVtab, char **pzErr) {
  ParetoTable *t;
  char *schema = NULL, *err = NULL;
  int rc;
  (void)pAux;
  rc = tl_require_temp_schema("pareto", argc, argv, pzErr);
  if (rc == SQLITE_OK) rc = sqlite3_vtab_config(db, SQLITE_VTAB_DIRECTONLY);
  if (rc != SQLITE_OK) return rc;
  if (!(t = sqlite3_malloc(sizeof(*t)))) return SQLITE_NOMEM;
  memset(t, 0, sizeof(*t));
  t->db = db;
  if (argc <= 3) {
    t->is_function = 1;
    t->n_carried = 1;
    t->n_params = PARETO_MAX_PARAMS;
    schema = sqlite3_mprintf(
        "CREATE TABLE x(key, pareto_rank INTEGER, dominated_by_count INTEGER, "
        "dominates_count INTEGER, dominated_by TEXT, query HIDDEN, objectives HIDDEN, "
        "options HIDDEN, param1 HIDDEN, param2 HIDDEN, param3 HIDDEN, param4 HIDDEN, "
        "param5 HIDDEN, param6 HIDDEN, param7 HIDDEN, param8 HIDDEN)");
    if (!schema) err = OUT_OF_MEMORY;
  } else {
    err = parse_table_args(t, argc, argv);
    if (!err) schema = table_schema(t, &err);
  }
  if (!err) {
    rc = sqlite3_declare_vtab(db, schema);
    if (rc != SQLITE_OK)
      err = rc == SQLITE_NOMEM ? OUT_OF_MEMORY
                               : error_message("pareto: cannot declare the table: %s",
                                               sqlite3_errmsg(db));
  }
  sqlite3_free(schema);
  if (err) {
    sqlite3_free(t->query);
    sqlite3_free(t->objectives);
    sqlite3_free(t);
    return hand_over(pzErr, err, SQLITE_ERROR);
  }
  *ppVtab = &t->base;
  return SQLITE_OK;
}

/* xDisconnect, also xDestroy */
static int paretoDisconnect(sqlite3_vtab *pVtab) {
  ParetoTable *t = (ParetoTable *)pVtab;
  sqlite3_free(t->query);
  sqlite3_free(t->objectives);
  sqlite3_free(t);
  return SQLITE_OK;
}

/* ---------------------------------------------------------------------- */
/* xBestIndex                                                              */
/* ---------------------------------------------------------------------- */

static int column_used(const sqlite3_index_info *info, int col) {
  return (info->colUsed >> (col < 63 ? col : 63)) & 1;
}

/* xBestIndex */
static int paretoBestIndex(sqlite3_vtab *pVtab, sqlite3_index_info *info) {
  ParetoTable *t = (ParetoTable *)pVtab;
  int first_hidden = t->n_carried + PARETO_NSTAT;
  int n_hidden = t->is_function ? PARETO_NHIDDEN : t->n_params;
  int param_base = t->is_function ? PARETO_HIDDEN_PARAM1 : 0;
  int hidden_at[PARETO_NHIDDEN], rank_at = -1, rank_op = 0, unusable = 0, n_arg = 0;
  int stats = t->n_carried;
  for (int h = 0; h < PARETO_NHIDDEN; h++) hidden_at[h] = -1;
  for (int i = 0; i < info->nConstraint; i++) {
    const struct sqlite3_index_constraint *c = &info->aConstraint[i];
    int h = c->iColumn - first_hidden;
    if (h >= 0 && h < n_hidden && c->op == SQLITE_INDEX_CONSTRAINT_EQ) {
      if (!c->usable) unusable = 1;
      else if (hidden_at[h] < 0) hidden_at[h] = i;
    } else if (c->iColumn == stats + PARETO_COLUMN_RANK && c->usable && rank_at < 0 &&
               (c->op == SQLITE_INDEX_CONSTRAINT_EQ || c->op == SQLITE_INDEX_CONSTRAINT_LE ||
                c->op == SQLITE_INDEX_CONSTRAINT_LT)) {
      rank_at = i;
      rank_op = c->op;
    }
  }
  /* A plan that lacks a given argument is impossible, not merely slow. */
  if (unusable) return SQLITE_CONSTRAINT;
  info->idxNum = 0;
  for (int h = 0; h < n_hidden; h++) {
    if (hidden_at[h] < 0) continue;
    info->aConstraintUsage[hidden_at[h]].argvIndex = ++n_arg;
    info->aConstraintUsage[hidden_at[h]].omit = 1;
    if (!t->is_function || h >= param_base) info->idxNum |= IDX_PARAM(h - param_base);
    else info->idxNum |= h == PARETO_HIDDEN_QUERY        ? IDX_QUERY
                         : h == PARETO_HIDDEN_OBJECTIVES ? IDX_OBJECTIVES
                                                         : IDX_OPTIONS;
  }
  if (rank_at >= 0) {
    /* not omitted: SQLite checks the bound again, the scan only prunes */
    info->aConstraintUsage[rank_at].argvIndex = ++n_arg;
    info->idxNum |= rank_op == SQLITE_INDEX_CONSTRAINT_EQ   ? IDX_RANK_EQ
                    : rank_op == SQLITE_INDEX_CONSTRAINT_LE ? IDX_RANK_LE
                                                            : IDX_RANK_LT;
  }
  if (column_used(info, stats + PARETO_COLUMN_DOMINATED_BY_COUNT) ||
      column_used(info, stats + PARETO_COLUMN_DOMINATES_COUNT))
    info->idxNum |= IDX_COUNTS;
  if (column_used(info, stats + PARETO_COLUMN_DOMINATED_BY)) info->idxNum |= IDX_LISTS;
  if (t->is_function && !(info->idxNum & IDX_QUERY && info->idxNum & IDX_OBJECTIVES)) {
    /* xFilter will say what is missing; any plan with them is better */
    info->estimatedCost = 1e18;
  } else {
    info->estimatedCost = rank_at >= 0 ? 1e5 : 1e6;
  }
  info->estimatedRows = rank_at >= 0 ? 100 : 100000;
  return SQLITE_OK;
}

/* ---------------------------------------------------------------------- */
/* The cursor                                                              */
/* ---------------------------------------------------------------------- */

/* xOpen */
static int paretoOpen(sqlite3_vtab *pVtab, sqlite3_vtab_cursor **ppCursor) {
  ParetoCursor *cur = sqlite3_malloc(sizeof(*cur));
  (void)pVtab;
  if (!cur) return SQLITE_NOMEM;
  memset(cur, 0, sizeof(*cur));
  *ppCursor = &cur->base;
  return SQLITE_OK;
}

static void cursor_reset(ParetoCursor *cur, int n_carried) {
  for (sqlite3_int64 i = 0; i < cur->n_rows * n_carried; i++)
    if (cur->cells[i].copied) sqlite3_value_free(cur->cells[i].u.v);
  sqlite3_free(cur->cells);
  for (int h = 0; h < PARETO_NHIDDEN; h++) sqlite3_value_free(cur->args[h]);
  dom_result_free(&cur->res);
  {
    sqlite3_vtab_cursor base = cur->base;
    memset(cur, 0, sizeof(*cur));
    cur->base = base;
  }
}

/* xClose */
static int paretoClose(sqlite3_vtab_cursor *pCur) {
  ParetoCursor *cur = (ParetoCursor *)pCur;
  cursor_reset(cur, ((ParetoTable *)pCur->pVtab)->n_carried);
  sqlite3_free(cur);
  return SQLITE_OK;
}

/* Binds the given parameters; every parameter of the query must get one. */
static char *bind_params(ParetoCursor *cur, int idxNum, sqlite3_stmt *stmt) {
  int n = sqlite3_bind_parameter_count(stmt);
  for (int k = 0; k < PARETO_MAX_PARAMS; k++) {
    if (!(idxNum & IDX_PARAM(k))) {
      if (k < n) {
        const char *name = sqlite3_bind_parameter_name(stmt, k + 1);
        return error_message("pareto: parameter %s of the query has no value: expected it "
                             "after the options, or as param%d", name ? name : "?", k + 1);
      }
      continue;
    }
    if (k >= n)
      return error_message("pareto: param%d is given but the query has %d parameter%s", k + 1,
                             n, n == 1 ? "" : "s");
    if (sqlite3_bind_value(stmt, k + 1, cur->args[PARETO_HIDDEN_PARAM1 + k]) != SQLITE_OK)
      return error_message("pareto: cannot bind param%d", k + 1);
  }
  return NULL;
}

/* The oriented value of one objective cell, or an error naming the row. */
static char *read_objective(const ParetoQuery *q, size_t k, sqlite3_int64 row,
                            const ParetoSettings *set, double *out) {
  sqlite3_value *v = sqlite3_column_value(q->stmt, q->obj_col[k]);
  char *key, *val, *err;
  switch (sqlite3_value_type(v)) {
    case SQLITE_INTEGER:
    case SQLITE_FLOAT:
      *out = dom_orient(&q->obj[k], sqlite3_value_double(v));
      return NULL;
    case SQLITE_NULL:
      *out = set->nulls_worst ? INFINITY : NAN;
      return NULL;
    default:
      key = describe_value(sqlite3_column_value(q->stmt, 0));
      val = describe_value(v);
      err = key && val ? error_message("pareto: row %lld (key %s): objective '%s' is %s: "
                                       "expected a number (CAST it in the query if it is "
                                       "numeric text)", row + 1, key, objective_name(q, k), val)
                       : OUT_OF_MEMORY;
      sqlite3_free(key);
      sqlite3_free(val);
      return err;
  }
}

/* Steps the query to its end: carried cells into the cursor, objectives
** into *values (n_rows * n_obj, oriented). SQLITE_ERROR comes with *err. */
static int read_rows(ParetoCursor *cur, ParetoQuery *q, int n_carried,
                     const ParetoSettings *set, double **values, char **err) {
  sqlite3_int64 cap = 0;
  size_t m = q->n_obj;
  int rc;
  *values = NULL;
  while ((rc = sqlite3_step(q->stmt)) == SQLITE_ROW) {
    sqlite3_int64 r = cur->n_rows;
    if (r == cap) {
      sqlite3_int64 grown = cap ? cap * 2 : 256;
      void *cells = sqlite3_realloc64(cur->cells, (sqlite3_uint64)grown * (sqlite3_uint64)n_carried *
                                                      sizeof(Cell));
      void *vals;
      if (!cells) return SQLITE_NOMEM;
      cur->cells = cells;
      vals = sqlite3_realloc64(*values, (sqlite3_uint64)grown * m * sizeof(double));
      if (!vals) return SQLITE_NOMEM;
      *values = vals;
      cap = grown;
    }
    for (size_t k = 0; k < m; k++) {
      *err = read_objective(q, k, r, set, *values + (size_t)r * m + k);
      if (*err) return SQLITE_ERROR;
    }
    for (int c = 0; c < n_carried; c++) {
      if (cell_set(&cur->cells[r * n_carried + c], sqlite3_column_value(q->stmt, c))) {
        /* keep the cells consistent for cursor_reset */
        for (int d = 0; d < c; d++)
          if (cur->cells[r * n_carried + d].copied) sqlite3_value_free(cur->cells[r * n_carried + d].u.v);
        return SQLITE_NOMEM;
      }
    }
    cur->n_rows++;
  }
  if (rc != SQLITE_DONE) {
    const char *msg = sqlite3_errmsg(sqlite3_db_handle(q->stmt));
    /* a nested pareto already said who it is */
    *err = strncmp(msg, "pareto: ", 8) == 0 ? error_message("%s", msg)
                                             : error_message("pareto: the query failed: %s", msg);
    /* out of memory and interruption keep their codes; the rest is an error */
    return rc == SQLITE_NOMEM || rc == SQLITE_INTERRUPT ? rc : SQLITE_ERROR;
  }
  if (!*values) *values = sqlite3_malloc(sizeof(double)); /* no rows */
  return *values ? SQLITE_OK : SQLITE_NOMEM;
}

/* The rank bound of a pareto_rank constraint; 0 for none, -1 for "no row". */
static sqlite3_int64 rank_bound(int idxNum, sqlite3_value *v) {
  double d;
  int type = sqlite3_value_type(v);
  if (type != SQLITE_INTEGER && type != SQLITE_FLOAT) return 0; /* SQLite filters */
  d = sqlite3_value_double(v);
  d = idxNum & IDX_RANK_LT ? ceil(d) - 1 : floor(d);
  if (d < 1) return -1;
  return d >= (double)UINT32_MAX ? 0 : (sqlite3_int64)d;
}

static int row_visible(const ParetoCursor *cur) {
  return !cur->rank_bounded || cur->res.rank[cur->row] != 0;
}

/* Checks that every key can be written into a JSON array. */
static char *check_keys(const ParetoCursor *cur, int n_carried) {
  for (sqlite3_int64 r = 0; r < cur->n_rows; r++)
    if (cur->cells[r * n_carried].type == SQLITE_BLOB)
      return error_message("pareto: row %lld: the key is a blob: expected text, a number or "
                           "NULL for dominated_by", r + 1);
  return NULL;
}

/* xFilter */
static int paretoFilter(sqlite3_vtab_cursor *pCur, int idxNum, const char *idxStr, int argc,
                        sqlite3_value **argv) {
  ParetoCursor *cur = (ParetoCursor *)pCur;
  ParetoTable *t = (ParetoTable *)pCur->pVtab;
  ParetoSettings set = t->settings;
  ParetoQuery q;
  DomOptions opt = {0, 0, DOM_LISTS_NONE, PARETO_MAX_LIST_ENTRIES, DOM_ALGO_AUTO};
  const char *query = t->query, *objectives = t->objectives;
  double *values = NULL;
  char *err = NULL;
  int a = 0, rc = SQLITE_OK;
  sqlite3_int64 bound = 0;
  (void)idxStr;
  (void)argc;
  cursor_reset(cur, t->n_carried);
  memset(&q, 0, sizeof(q));
  /* argv holds the hidden columns present, in column order, then the bound */
  for (int h = 0; h < PARETO_NHIDDEN && rc == SQLITE_OK; h++) {
    int bit = h < PARETO_HIDDEN_PARAM1 ? 1 << h : IDX_PARAM(h - PARETO_HIDDEN_PARAM1);
    if (!(idxNum & bit)) continue;
    cur->args[h] = sqlite3_value_dup(argv[a++]);
    if (!cur->args[h]) rc = SQLITE_NOMEM;
  }
  if (rc) goto done;
  if (idxNum & (IDX_RANK_EQ | IDX_RANK_LE | IDX_RANK_LT)) bound = rank_bound(idxNum, argv[a++]);
  if (t->is_function) {
    if (!(idxNum & IDX_QUERY) || !(idxNum & IDX_OBJECTIVES)) {
      err = error_message("pareto: query and objectives are required: expected pareto(query, "
                          "objectives [, options [, param1, ...]])");
      goto done;
    }
    query = (const char *)sqlite3_value_text(cur->args[PARETO_HIDDEN_QUERY]);
    objectives = (const char *)sqlite3_value_text(cur->args[PARETO_HIDDEN_OBJECTIVES]);
    if (idxNum & IDX_OPTIONS)
      err = parse_options(&set, (const char *)sqlite3_value_text(cur->args[PARETO_HIDDEN_OPTIONS]));
  }
  if (!err && t->depth >= PARETO_MAX_DEPTH)
    err = error_message("pareto: nested more than %d deep (does the query call itself?)",
                          PARETO_MAX_DEPTH);
  if (!err) err = query_open(t->db, query, objectives, &q);
  if (!err && !t->is_function && q.n_cols != t->n_carried)
    err = error_message("pareto: the query now returns %d columns: expected %d, as when the "
                        "table was declared", q.n_cols, t->n_carried);
  if (!err) err = bind_params(cur, idxNum, q.stmt);
  if (err) goto done;
  t->depth++;
  rc = read_rows(cur, &q, t->n_carried, &set, &values, &err);
  t->depth--;
  if (rc) goto done;
  cur->have_counts = (idxNum & IDX_COUNTS) != 0;
  cur->have_lists = (idxNum & IDX_LISTS) != 0;
  if (cur->have_lists && (err = check_keys(cur, t->n_carried)) != NULL) goto done;
  opt.max_rank = bound > 0 ? (uint32_t)bound : 0;
  opt.want_counts = cur->have_counts;
  opt.lists = !cur->have_lists ? DOM_LISTS_NONE : set.lists_all ? DOM_LISTS_ALL : DOM_LISTS_DIRECT;
  cur->rank_bounded = bound != 0;
  switch (dom_sort(values, (size_t)cur->n_rows, q.n_obj, &opt, &cur->res)) {
    case DOM_OK: break;
    case DOM_TOOBIG:
      err = cur->n_rows >= UINT32_MAX
                ? error_message("pareto: the query returns %lld rows: expected at most %u",
                                cur->n_rows, UINT32_MAX - 1)
                : error_message("pareto: dominated_by lists would hold more than %d keys in "
                                "all: use dominated_by=direct, a pareto_rank bound, or fewer "
                                "rows", PARETO_MAX_LIST_ENTRIES);
      goto done;
    default: rc = SQLITE_NOMEM; goto done;
  }
  if (bound < 0) cur->row = cur->n_rows; /* the bound excludes every rank */
  while (cur->row < cur->n_rows && !row_visible(cur)) cur->row++;
done:
  sqlite3_free(values);
  query_close(&q);
  if (err || rc) {
    cursor_reset(cur, t->n_carried);
    /* rc says more than SQLITE_ERROR when the query ran out of memory or was interrupted */
    return err ? hand_over(&t->base.zErrMsg, err, rc == SQLITE_OK ? SQLITE_ERROR : rc) : rc;
  }
  return SQLITE_OK;
}

/* xNext */
static int paretoNext(sqlite3_vtab_cursor *pCur) {
  ParetoCursor *cur = (ParetoCursor *)pCur;
  do cur->row++;
  while (cur->row < cur->n_rows && !row_visible(cur));
  return SQLITE_OK;
}

/* xEof */
static int paretoEof(sqlite3_vtab_cursor *pCur) {
  ParetoCursor *cur = (ParetoCursor *)pCur;
  return cur->row >= cur->n_rows;
}

/* Appends a key to a JSON array under construction. */
static void append_json_key(sqlite3_str *s, const Cell *c) {
  switch (c->type) {
    case SQLITE_INTEGER:
      sqlite3_str_appendf(s, "%lld", c->u.i);
      break;
    case SQLITE_FLOAT: {
      /* the shortest of %.15g / %.17g that reads back as the same double */
      double d = c->u.d;
      char buf[40];
      if (!isfinite(d)) {
        sqlite3_str_appendall(s, d > 0 ? "9e999" : "-9e999");
        break;
      }
      sqlite3_snprintf(sizeof buf, buf, "%!.15g", d);
      if (strtod(buf, NULL) != d) sqlite3_snprintf(sizeof buf, buf, "%!.17g", d);
      sqlite3_str_appendall(s, buf);
      break;
    }
    case SQLITE_TEXT: {
      const unsigned char *p = sqlite3_value_text(c->u.v);
      sqlite3_str_appendchar(s, 1, '"');
      for (; p && *p; p++) {
        if (*p == '"' || *p == '\\') sqlite3_str_appendf(s, "\\%c", *p);
        else if (*p < 0x20) sqlite3_str_appendf(s, "\\u%04x", *p);
        else sqlite3_str_appendchar(s, 1, (char)*p);
      }
      sqlite3_str_appendchar(s, 1, '"');
      break;
    }
    default:
      sqlite3_str_appendall(s, "null");
  }
}

/* dominated_by of the current row. */
static void result_dominated_by(sqlite3_context *ctx, ParetoCursor *cur, int n_carried) {
  const uint32_t *dom;
  size_t n = dom_dominators(&cur->res, (size_t)cur->row, &dom);
  sqlite3_str *s = sqlite3_str_new(sqlite3_context_db_handle(ctx));
  int rc;
  sqlite3_str_appendchar(s, 1, '[');
  for (size_t i = 0; i < n; i++) {
    if (i) sqlite3_str_appendchar(s, 1, ',');
    append_json_key(s, &cur->cells[(sqlite3_int64)dom[i] * n_carried]);
  }
  sqlite3_str_appendchar(s, 1, ']');
  rc = sqlite3_str_errcode(s);
  if (rc == SQLITE_OK) {
    int len = sqlite3_str_length(s);
    sqlite3_result_text(ctx, sqlite3_str_finish(s), len, sqlite3_free);
  } else {
    sqlite3_free(sqlite3_str_finish(s));
    if (rc == SQLITE_TOOBIG) sqlite3_result_error_toobig(ctx);
    else sqlite3_result_error_nomem(ctx);
  }
}

/* xColumn */
static int paretoColumn(sqlite3_vtab_cursor *pCur, sqlite3_context *ctx, int col) {
  ParetoCursor *cur = (ParetoCursor *)pCur;
  ParetoTable *t = (ParetoTable *)pCur->pVtab;
  int nc = t->n_carried;
  uint32_t rank = cur->res.rank[cur->row];
  if (col < nc) {
    cell_result(ctx, &cur->cells[cur->row * nc + col]);
    return SQLITE_OK;
  }
  switch (col - nc) {
    case PARETO_COLUMN_RANK:
      if (rank) sqlite3_result_int64(ctx, rank);
      break;
    case PARETO_COLUMN_DOMINATED_BY_COUNT:
      if (rank && cur->have_counts) sqlite3_result_int64(ctx, cur->res.dominated_by_count[cur->row]);
      break;
    case PARETO_COLUMN_DOMINATES_COUNT:
      if (rank && cur->have_counts) sqlite3_result_int64(ctx, cur->res.dominates_count[cur->row]);
      break;
    case PARETO_COLUMN_DOMINATED_BY:
      if (rank && cur->have_lists) result_dominated_by(ctx, cur, nc);
      break;
    default: {
      int h = col - nc - PARETO_NSTAT + (t->is_function ? 0 : PARETO_HIDDEN_PARAM1);
      if (h >= 0 && h < PARETO_NHIDDEN && cur->args[h]) sqlite3_result_value(ctx, cur->args[h]);
    }
  }
  return SQLITE_OK;
}

/* xRowid */
static int paretoRowid(sqlite3_vtab_cursor *pCur, sqlite3_int64 *pRowid) {
  *pRowid = ((ParetoCursor *)pCur)->row + 1;
  return SQLITE_OK;
}

static sqlite3_module paretoModule = {
    0,                /* iVersion */
    paretoConnect,    /* xCreate */
    paretoConnect,    /* xConnect */
    paretoBestIndex,  /* xBestIndex */
    paretoDisconnect, /* xDisconnect */
    paretoDisconnect, /* xDestroy */
    paretoOpen,       /* xOpen */
    paretoClose,      /* xClose */
    paretoFilter,     /* xFilter */
    paretoNext,       /* xNext */
    paretoEof,        /* xEof */
    paretoColumn,     /* xColumn */
    paretoRowid,      /* xRowid */
    0,                /* xUpdate */
    0,                /* xBegin */
    0,                /* xSync */
    0,                /* xCommit */
    0,                /* xRollback */
    0,                /* xFindFunction */
    0,                /* xRename */
    0,                /* xSavepoint */
    0,                /* xRelease */
    0,                /* xRollbackTo */
    0                 /* xShadowName */
};

int tl_register_pareto(sqlite3 *db, char **pzErr) {
  (void)pzErr; /* nothing to say beyond the connection's message */
  return sqlite3_create_module(db, "pareto", &paretoModule, 0);
}
