/*
** usage_cost: the cost of one call, from its parts, against the loaded
** ledger (sql/ledger.sql): the row event_costs would give for it.
**
**   .read sql/ledger.sql                       -- and fill ledger_sources
**   SELECT total_cost, rate_source_path, cost_note
**     FROM usage_cost('anthropic', 'claude-sonnet-4-5',
**                     '{"input_tokens": 150000, "cache_read_input_tokens": 60000,
**                       "output_tokens": 1000}', '2025-06-02T10:00:00Z');
**
** Arguments (HIDDEN columns, in this order):
**   arg_provider  who served the call (NULL: not given)
**   arg_model     the model name as the call or log writes it; required
**   arg_usage     the usage as JSON: a usage object of any dialect
**                 usage_events reads (OpenAI, Anthropic, Gemini's
**                 usageMetadata, Bedrock, ...), or a whole response or log
**                 line holding one; required
**   arg_ts        when the call was made, ISO-8601 (NULL: as event_costs
**                 prices an event without ts, flagged rate_at_assumed)
** Columns: exactly event_costs' (the per-unit costs, total_cost, the card
** used, rate_at, cost_status, cost_note saying why a price is missing), one
** row; source_path is ':call'. Read total_cost alone for the total:
**   SELECT (SELECT total_cost FROM usage_cost(NULL, 'gpt-4o', u.usage)) ...
**
** HOW IT WORKS. The usage is normalized by ext/core/usage.c exactly as a line of
** a log (a bare usage object is read as {"usage": ...} when it is not a
** body by itself; messages name it "usage:LINE:COL"), so its buckets are
** disjoint as usage_events' are. The
** record goes into temp.ledger_calls, which cost_events (vtab/event_costs.c,
** the table under the view event_costs) reads after the log files; then
** event_costs is read for that one row (source_path ':call', which skips
** the logs) and the table emptied again. So the call is priced by the very SQL that
** prices a log: one definition of the rules. The columns are event_costs'
** own, taken when the table is first used on a connection (the ledger's
** views must be loaded by then; reload the extension's tables by reopening
** the connection after changing sql/ledger.sql).
**
** It runs SQL text and, through the ledger, reads files: DIRECTONLY, and
** its statements are prepared by tl_prepare_guarded (vtab/trust.c).
*/
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT3

#include <stdio.h>
#include <string.h>

#include "json.h"
#include "tokenledger_modules.h"
#include "trust.h"
#include "usage.h"
#include "vtab_error.h"

/* The arguments, after event_costs' columns. */
enum {
  USAGE_COST_ARG_PROVIDER,
  USAGE_COST_ARG_MODEL,
  USAGE_COST_ARG_USAGE,
  USAGE_COST_ARG_TS,
  USAGE_COST_NARG
};

/* temp.ledger_calls' columns (sql/ledger.sql), bound in this order. */
#define CALL_INSERT                                                                   \
  "INSERT INTO temp.ledger_calls(ts, provider, model, dialect, input_tokens,"        \
  " cache_read_tokens, cache_write_tokens, output_tokens, reasoning_tokens,"          \
  " audio_input_tokens, audio_output_tokens, image_input_tokens, image_output_tokens," \
  " video_input_tokens, video_output_tokens, cache_write_5m_tokens,"                  \
  " cache_write_1h_tokens, web_search_requests, cache_read_audio_tokens, service_tier,"  \
  " reported_cost)"                                                                   \
  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,"   \
  " ?17, ?18, ?19, ?20, ?21)"
#define CALL_SELECT "SELECT * FROM temp.event_costs WHERE source_path = ':call'"
#define CALL_CLEAR "DELETE FROM temp.ledger_calls"

typedef struct CostTable {
  sqlite3_vtab base;
  sqlite3 *db;
  int ncol; /* event_costs' columns */
} CostTable;

typedef struct CostCursor {
  sqlite3_vtab_cursor base;
  int eof;
  sqlite3_value **row; /* ncol values of the one row */
} CostCursor;

/* xConnect: the columns of event_costs, then the arguments. */
static int usageCostConnect(sqlite3 *db, void *pAux, int argc, const char *const *argv,
                            sqlite3_vtab **ppVtab, char **pzErr) {
  sqlite3_stmt *stmt = NULL;
  char *why = NULL;
  (void)pAux;
  (void)argc;
  (void)argv;
  int rc = tl_prepare_guarded(db, CALL_SELECT, &stmt, NULL, &why);
  if (rc != SQLITE_OK) {
    rc = why ? tl_vtab_error(pzErr, SQLITE_ERROR,
                             "usage_cost: needs the ledger's views and "
                             "temp.ledger_calls (.read sql/ledger.sql): %s",
                             why)
             : SQLITE_NOMEM;
    sqlite3_free(why);
    return rc;
  }
  sqlite3_str *schema = sqlite3_str_new(db);
  int ncol = sqlite3_column_count(stmt);
  sqlite3_str_appendall(schema, "CREATE TABLE x(");
  for (int i = 0; i < ncol; i++)
    sqlite3_str_appendf(schema, "\"%w\", ", sqlite3_column_name(stmt, i));
  sqlite3_str_appendall(schema,
                        "arg_provider HIDDEN, arg_model HIDDEN, arg_usage HIDDEN, arg_ts HIDDEN)");
  sqlite3_finalize(stmt);
  char *sql = sqlite3_str_finish(schema);
  if (!sql) return SQLITE_NOMEM;
  rc = sqlite3_declare_vtab(db, sql);
  sqlite3_free(sql);
  if (rc == SQLITE_OK) rc = sqlite3_vtab_config(db, SQLITE_VTAB_DIRECTONLY);
  if (rc != SQLITE_OK) return rc;
  CostTable *t = sqlite3_malloc(sizeof *t);
  if (!t) return SQLITE_NOMEM;
  memset(t, 0, sizeof *t);
  t->db = db;
  t->ncol = ncol;
  *ppVtab = &t->base;
  return SQLITE_OK;
}

static int usageCostDisconnect(sqlite3_vtab *pVtab) {
  sqlite3_free(pVtab);
  return SQLITE_OK;
}

/* xBestIndex: the argument constraints in order; model and usage required.
** A given argument not usable in this plan is SQLITE_CONSTRAINT (see
** vtab/resolve_model.c: a plan without it would drop the row). */
static int usageCostBestIndex(sqlite3_vtab *pVtab, sqlite3_index_info *info) {
  CostTable *t = (CostTable *)pVtab;
  int aIdx[USAGE_COST_NARG] = {-1, -1, -1, -1}, unusable = 0;
  for (int i = 0; i < info->nConstraint; i++) {
    const struct sqlite3_index_constraint *pc = &info->aConstraint[i];
    if (pc->iColumn < t->ncol || pc->op != SQLITE_INDEX_CONSTRAINT_EQ) continue;
    if (!pc->usable) unusable = 1;
    else aIdx[pc->iColumn - t->ncol] = i;
  }
  if (unusable) return SQLITE_CONSTRAINT;
  if (aIdx[USAGE_COST_ARG_MODEL] < 0 || aIdx[USAGE_COST_ARG_USAGE] < 0)
    return tl_vtab_error(&pVtab->zErrMsg, SQLITE_ERROR,
                         "usage_cost: model and usage are required: expected usage_cost(provider, "
                         "model, usage [, ts])");
  int argv_index = 1;
  for (int k = 0; k < USAGE_COST_NARG; k++) {
    if (aIdx[k] < 0) continue;
    info->aConstraintUsage[aIdx[k]].argvIndex = argv_index++;
    info->aConstraintUsage[aIdx[k]].omit = 1;
    info->idxNum |= 1 << k;
  }
  info->estimatedCost = 1000.0;
  info->estimatedRows = 1;
  return SQLITE_OK;
}

static int usageCostOpen(sqlite3_vtab *pVtab, sqlite3_vtab_cursor **ppCursor) {
  (void)pVtab;
  CostCursor *cur = sqlite3_malloc(sizeof *cur);
  if (!cur) return SQLITE_NOMEM;
  memset(cur, 0, sizeof *cur);
  cur->eof = 1;
  *ppCursor = &cur->base;
  return SQLITE_OK;
}

static void cursor_reset(CostCursor *cur, int ncol) {
  for (int i = 0; cur->row && i < ncol; i++) sqlite3_value_free(cur->row[i]);
  sqlite3_free(cur->row);
  cur->row = NULL;
}

static int usageCostClose(sqlite3_vtab_cursor *pCursor) {
  CostCursor *cur = (CostCursor *)pCursor;
  cursor_reset(cur, ((CostTable *)pCursor->pVtab)->ncol);
  sqlite3_free(cur);
  return SQLITE_OK;
}

/* The usage as a log line: a body as it is; a bare usage object (an object
** with no member a body has) as if written {"usage": ...}, by wrapping its
** tree, so positions in messages are those of the text given. The record's
** texts point into arena. SQLITE_OK, SQLITE_ERROR with err set, or
** SQLITE_NOMEM. */
static int normalize_call(const char *usage, int n, JsonArena *arena, UsageRecord *rec,
                          char *err, size_t errlen) {
  static const char *const azBody[] = {"usage", "usageMetadata", "message", "response",
                                       "attributes"};
  JsonValue *root = NULL;
  int rc = json_parse("usage", usage, (size_t)n, arena, &root, err, errlen);
  if (rc == JSON_NOMEM) return SQLITE_NOMEM;
  if (rc != 0) return SQLITE_ERROR;
  int body = root->type != JSON_OBJECT;
  for (size_t i = 0; i < sizeof azBody / sizeof azBody[0] && !body; i++)
    body = json_get(root, azBody[i]) != NULL;
  for (const JsonValue *m = root->child; m && !body && root->type == JSON_OBJECT; m = m->next)
    body = m->key_len > 7 && memcmp(m->key, "gen_ai.", 7) == 0;
  JsonValue wrapper;
  if (!body) {
    memset(&wrapper, 0, sizeof wrapper);
    wrapper.type = JSON_OBJECT;
    wrapper.len = 1;
    wrapper.child = root;
    wrapper.line = root->line, wrapper.col = root->col;
    root->key = "usage", root->key_len = 5;
    root = &wrapper;
  }
  memset(rec, 0, sizeof *rec); /* usage_normalize fills a cleared record */
  usage_normalize("usage", 1, root, rec);
  if (rec->error[0]) {
    snprintf(err, errlen, "%s", rec->error);
    return SQLITE_ERROR;
  }
  return SQLITE_OK;
}

static int bind_text(sqlite3_stmt *s, int i, UsageText t) {
  return t.p ? sqlite3_bind_text(s, i, t.p, (int)t.n, SQLITE_TRANSIENT) : sqlite3_bind_null(s, i);
}

static int bind_count(sqlite3_stmt *s, int i, int known, int64_t v) {
  return known ? sqlite3_bind_int64(s, i, v) : sqlite3_bind_null(s, i);
}

/* INSERT the normalized call; provider, model and ts are the arguments. */
static int insert_call(sqlite3 *db, sqlite3_value **arg, const UsageRecord *rec, char **why) {
  sqlite3_stmt *s = NULL;
  int rc = tl_prepare_guarded(db, CALL_INSERT, &s, NULL, why);
  if (rc != SQLITE_OK) return rc;
  /* an argument not given is NULL */
  if (arg[USAGE_COST_ARG_TS]) sqlite3_bind_value(s, 1, arg[USAGE_COST_ARG_TS]);
  if (arg[USAGE_COST_ARG_PROVIDER]) sqlite3_bind_value(s, 2, arg[USAGE_COST_ARG_PROVIDER]);
  sqlite3_bind_value(s, 3, arg[USAGE_COST_ARG_MODEL]);
  sqlite3_bind_text(s, 4, usage_dialect_name(rec->dialect), -1, SQLITE_STATIC);
  for (int b = 0; b < USAGE_NBUCKET; b++)
    bind_count(s, 5 + b, (rec->known >> b) & 1, rec->tokens[b]);
  for (int e = 0; e < USAGE_NEXTRA; e++)
    bind_count(s, 5 + USAGE_NBUCKET + e, (rec->extra_known >> e) & 1, rec->extra[e]);
  bind_text(s, 5 + USAGE_NBUCKET + USAGE_NEXTRA, rec->service_tier);
  if (rec->has_cost) sqlite3_bind_double(s, 6 + USAGE_NBUCKET + USAGE_NEXTRA, rec->cost);
  sqlite3_step(s);
  return sqlite3_finalize(s);
}

/* The one event_costs row of the call, copied into cur->row. */
static int read_cost(CostTable *t, CostCursor *cur, char **why) {
  sqlite3_stmt *s = NULL;
  int rc = tl_prepare_guarded(t->db, CALL_SELECT, &s, NULL, why);
  if (rc != SQLITE_OK) return rc;
  if (sqlite3_column_count(s) != t->ncol) {
    sqlite3_finalize(s);
    *why = sqlite3_mprintf("event_costs changed its columns since this connection first used "
                           "usage_cost: open a new connection");
    return *why ? SQLITE_ERROR : SQLITE_NOMEM;
  }
  rc = sqlite3_step(s);
  if (rc == SQLITE_ROW) {
    cur->row = sqlite3_malloc64(sizeof *cur->row * (size_t)t->ncol);
    if (cur->row) memset(cur->row, 0, sizeof *cur->row * (size_t)t->ncol);
    for (int i = 0; cur->row && i < t->ncol; i++) {
      cur->row[i] = sqlite3_value_dup(sqlite3_column_value(s, i));
      if (!cur->row[i]) rc = SQLITE_NOMEM;
    }
    if (!cur->row) rc = SQLITE_NOMEM;
  }
  int frc = sqlite3_finalize(s);
  if (rc == SQLITE_ROW || rc == SQLITE_DONE) rc = frc;
  if (rc == SQLITE_OK && !cur->row) {
    *why = sqlite3_mprintf("event_costs has no row for the call");
    rc = *why ? SQLITE_ERROR : SQLITE_NOMEM;
  }
  return rc;
}

static int usageCostFilter(sqlite3_vtab_cursor *pCursor, int idxNum, const char *idxStr, int argc,
                           sqlite3_value **argv) {
  CostCursor *cur = (CostCursor *)pCursor;
  CostTable *t = (CostTable *)pCursor->pVtab;
  sqlite3_value *arg[USAGE_COST_NARG] = {0};
  (void)idxStr;
  (void)argc;
  for (int k = 0, i = 0; k < USAGE_COST_NARG; k++)
    if (idxNum & (1 << k)) arg[k] = argv[i++];
  cursor_reset(cur, t->ncol);
  cur->eof = 1;
  /* xBestIndex required both */
  const char *usage = (const char *)sqlite3_value_text(arg[USAGE_COST_ARG_USAGE]);
  if (!usage || sqlite3_value_type(arg[USAGE_COST_ARG_MODEL]) == SQLITE_NULL) {
    if (sqlite3_value_type(arg[USAGE_COST_ARG_USAGE]) != SQLITE_NULL &&
        sqlite3_value_type(arg[USAGE_COST_ARG_MODEL]) != SQLITE_NULL)
      return SQLITE_NOMEM;
    return tl_vtab_error(&pCursor->pVtab->zErrMsg, SQLITE_ERROR,
                         "usage_cost: model and usage must not be NULL");
  }
  JsonArena arena = {0};
  UsageRecord rec;
  char err[USAGE_ERROR_SIZE], *why = NULL;
  int rc = normalize_call(usage, sqlite3_value_bytes(arg[USAGE_COST_ARG_USAGE]), &arena, &rec, err,
                          sizeof err);
  if (rc == SQLITE_ERROR) why = sqlite3_mprintf("%s", err), rc = why ? SQLITE_ERROR : SQLITE_NOMEM;
  if (rc == SQLITE_OK) rc = sqlite3_exec(t->db, CALL_CLEAR, 0, 0, &why);
  if (rc == SQLITE_OK) rc = insert_call(t->db, arg, &rec, &why);
  json_arena_free(&arena);
  if (rc == SQLITE_OK) rc = read_cost(t, cur, &why);
  /* the table is scratch: empty whatever happened */
  int crc = sqlite3_exec(t->db, CALL_CLEAR, 0, 0, NULL);
  if (rc == SQLITE_OK) rc = crc;
  if (rc == SQLITE_OK) {
    cur->eof = 0;
    return SQLITE_OK;
  }
  cursor_reset(cur, t->ncol);
  if (rc == SQLITE_NOMEM || (!why && rc != SQLITE_ERROR)) {
    sqlite3_free(why);
    return rc;
  }
  if (why && strncmp(why, "usage_cost", 10) != 0) {
    char *msg = sqlite3_mprintf("usage_cost: %s", why);
    sqlite3_free(why);
    why = msg;
  }
  return tl_vtab_error_take(&pCursor->pVtab->zErrMsg, SQLITE_ERROR, why);
}

static int usageCostNext(sqlite3_vtab_cursor *pCursor) {
  ((CostCursor *)pCursor)->eof = 1;
  return SQLITE_OK;
}

static int usageCostEof(sqlite3_vtab_cursor *pCursor) { return ((CostCursor *)pCursor)->eof; }

static int usageCostColumn(sqlite3_vtab_cursor *pCursor, sqlite3_context *ctx, int col) {
  CostCursor *cur = (CostCursor *)pCursor;
  if (col < ((CostTable *)pCursor->pVtab)->ncol && cur->row) sqlite3_result_value(ctx, cur->row[col]);
  else sqlite3_result_null(ctx); /* the arguments */
  return SQLITE_OK;
}

static int usageCostRowid(sqlite3_vtab_cursor *pCursor, sqlite_int64 *pRowid) {
  (void)pCursor;
  *pRowid = 1;
  return SQLITE_OK;
}

static sqlite3_module usageCostModule = {
    0,                   /* iVersion */
    0,                   /* xCreate: eponymous only */
    usageCostConnect,    /* xConnect */
    usageCostBestIndex,  /* xBestIndex */
    usageCostDisconnect, /* xDisconnect */
    0,                   /* xDestroy */
    usageCostOpen,       /* xOpen */
    usageCostClose,      /* xClose */
    usageCostFilter,     /* xFilter */
    usageCostNext,       /* xNext */
    usageCostEof,        /* xEof */
    usageCostColumn,     /* xColumn */
    usageCostRowid,      /* xRowid */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};

int tl_register_usage_cost(sqlite3 *db, char **pzErr) {
  (void)pzErr; /* nothing to say beyond the connection's message */
  return sqlite3_create_module(db, "usage_cost", &usageCostModule, 0);
}
