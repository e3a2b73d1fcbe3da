/*
** resolve_model: the whole answer of the canonicalizer, with its audit
** trail, as a table-valued function.
**
**   SELECT * FROM resolve_model('vertex_ai/claude-3-5-sonnet-v2@20241022');
**   raw|provider|provider_rule|provider_confidence|creator|model|model_rule|
**     model_confidence|family|version|variant|qualifiers
**   vertex_ai/claude-3-5-sonnet-v2@20241022|google-vertex-anthropic|prefix|95|
**     anthropic|claude-3-5-sonnet-20241022|prefix|95|claude-3-5-sonnet|20241022||
**
**   SELECT u.model, r.model, r.model_rule, r.model_confidence
**     FROM usage u, resolve_model(u.model, u.provider) r;
**
** Arguments (HIDDEN columns, in this order):
**   raw       the name to resolve; required. NULL gives one row of NULLs
**             (so a join never drops the usage row).
**   provider  who served it (optional; NULL = not given).
**   aliases   the caller's own vocabulary, a JSON object of aliases
**             {"raw": "canonical"} and models {"id": {"creator": ...,
**             "aliases": [...]}} (optional; see ext/func_canonical.c for
**             why an argument, ext/core/canonical.h for the rules).
**
**   as_of     the date the name was used on, 'YYYY-MM-DD' or a timestamp
**             starting with one (optional): a floating alias
**             (mistral-large-latest) names the snapshot of that day; see
**             canonical_model in ext/func_canonical.c.
**
** Columns: raw (the argument), provider, provider_rule, provider_confidence,
** creator, model, model_rule, model_confidence, family, version, variant,
** qualifiers. variant: the price-bearing qualifiers of the name as
** kind=value pairs joined by ';' in a fixed order ('region=eu',
** 'free_tier=free', 'speed_sku=fast'), NULL for the plain on-demand global
** offering; the model is still the base model, and the ledger keys rate
** cards on (provider, model, variant). qualifiers: every qualifier
** recognized, price-bearing or not ('deployment=maas', 'version=v1:0'),
** NULL for none. ext/vocab/qualifiers.tsv lists them. Rules are
** the stable names of ext/core/canonical.h (exact, prefix, alias, display,
** variant, undated, finetune, given, creator, family, user, unmapped);
** confidences are integers 0..100. Always exactly one row.
**
** HOW IT WORKS: xBestIndex hands the argument constraints out with
** argvIndex; xFilter resolves once (ext/core/canonical.c) and the cursor holds
** the one row, a copy of the whole TlCanon answer. Usage logs repeat a few
** hundred names over millions of rows, so calls without aliases go through
** the connection's answer cache (ext/core/canonical_cache.h), shared with
** canonical_model and its siblings, which registers this module with it
** (ext/func_canonical.c); the module holds a reference to it. A hit is
** copied into the cursor, so emptying the cache (another cursor's miss, a
** canonical_model call in the same statement) never pulls a row from under
** this one. An answer whose model is the raw name itself (model_is_raw)
** keeps no pointer to it: xColumn returns the cursor's own copy of the raw
** argument, with its type.
** Calls with aliases resolve every time. The output depends only on the
** arguments, so the module is SQLITE_VTAB_INNOCUOUS.
*/
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT3

#include <string.h>

#include "canonical.h"
#include "canonical_cache.h"
#include "func_result.h"
#include "tokenledger_modules.h"
#include "vtab_error.h"

enum {
  RESOLVE_MODEL_COLUMN_RAW,
  RESOLVE_MODEL_COLUMN_PROVIDER,
  RESOLVE_MODEL_COLUMN_PROVIDER_RULE,
  RESOLVE_MODEL_COLUMN_PROVIDER_CONF,
  RESOLVE_MODEL_COLUMN_CREATOR,
  RESOLVE_MODEL_COLUMN_MODEL,
  RESOLVE_MODEL_COLUMN_MODEL_RULE,
  RESOLVE_MODEL_COLUMN_MODEL_CONF,
  RESOLVE_MODEL_COLUMN_FAMILY,
  RESOLVE_MODEL_COLUMN_VERSION,
  RESOLVE_MODEL_COLUMN_VARIANT,
  RESOLVE_MODEL_COLUMN_QUALIFIERS,
  RESOLVE_MODEL_COLUMN_ARG_RAW, /* HIDDEN arguments from here */
  RESOLVE_MODEL_COLUMN_ARG_PROVIDER,
  RESOLVE_MODEL_COLUMN_ARG_ALIASES,
  RESOLVE_MODEL_COLUMN_ARG_AS_OF,
  RESOLVE_MODEL_NARG = RESOLVE_MODEL_COLUMN_ARG_AS_OF - RESOLVE_MODEL_COLUMN_ARG_RAW + 1
};

/* idxNum bits: which arguments xFilter receives, in this order in argv. */
#define RESOLVE_MODEL_ARG_RAW 1
#define RESOLVE_MODEL_ARG_PROVIDER 2
#define RESOLVE_MODEL_ARG_ALIASES 4
#define RESOLVE_MODEL_ARG_AS_OF 8

typedef struct ResolveVtab {
  sqlite3_vtab base;
  TlCanonShared *cs; /* the module's (pAux): the connection's index and cache */
} ResolveVtab;

typedef struct ResolveCursor {
  sqlite3_vtab_cursor base;
  int eof;
  int null_row;           /* raw was NULL */
  sqlite3_value *raw;     /* the raw argument (copied) */
  TlCanon c;              /* model_is_raw: the model is raw itself (c.model may be NULL) */
} ResolveCursor;

/* xConnect */
static int resolveModelConnect(sqlite3 *db, void *pAux, int argc, const char *const *argv,
                               sqlite3_vtab **ppVtab, char **pzErr) {
  (void)argc;
  (void)argv;
  (void)pzErr;
  int rc = sqlite3_declare_vtab(
      db,
      "CREATE TABLE x(raw, provider, provider_rule, provider_confidence, creator, model,"
      " model_rule, model_confidence, family, version, variant, qualifiers,"
      " arg_raw HIDDEN, arg_provider HIDDEN, aliases HIDDEN, as_of HIDDEN)");
  if (rc != SQLITE_OK) return rc;
  ResolveVtab *v = sqlite3_malloc(sizeof *v);
  if (!v) return SQLITE_NOMEM;
  memset(v, 0, sizeof *v);
  v->cs = pAux;
  sqlite3_vtab_config(db, SQLITE_VTAB_INNOCUOUS);
  *ppVtab = &v->base;
  return SQLITE_OK;
}

/* xDisconnect */
static int resolveModelDisconnect(sqlite3_vtab *pVtab) {
  sqlite3_free(pVtab);
  return SQLITE_OK;
}

/* xOpen */
static int resolveModelOpen(sqlite3_vtab *pVtab, sqlite3_vtab_cursor **ppCursor) {
  (void)pVtab;
  ResolveCursor *cur = sqlite3_malloc(sizeof *cur);
  if (!cur) return SQLITE_NOMEM;
  memset(cur, 0, sizeof *cur);
  cur->eof = 1;
  *ppCursor = &cur->base;
  return SQLITE_OK;
}

static void cursor_reset(ResolveCursor *cur) {
  sqlite3_value_free(cur->raw);
  cur->raw = NULL;
}

/* xClose */
static int resolveModelClose(sqlite3_vtab_cursor *pCursor) {
  ResolveCursor *cur = (ResolveCursor *)pCursor;
  cursor_reset(cur);
  sqlite3_free(cur);
  return SQLITE_OK;
}

/* xFilter: argv holds the arguments named by the idxNum bits. */
static int resolveModelFilter(sqlite3_vtab_cursor *pCursor, int idxNum, const char *idxStr,
                              int argc, sqlite3_value **argv) {
  (void)idxStr;
  (void)argc;
  ResolveCursor *cur = (ResolveCursor *)pCursor;
  ResolveVtab *vt = (ResolveVtab *)pCursor->pVtab;
  int i = 0;
  sqlite3_value *raw = (idxNum & RESOLVE_MODEL_ARG_RAW) ? argv[i++] : NULL;
  sqlite3_value *prov = (idxNum & RESOLVE_MODEL_ARG_PROVIDER) ? argv[i++] : NULL;
  sqlite3_value *aliases = (idxNum & RESOLVE_MODEL_ARG_ALIASES) ? argv[i++] : NULL;
  sqlite3_value *as_of_arg = (idxNum & RESOLVE_MODEL_ARG_AS_OF) ? argv[i++] : NULL;
  cursor_reset(cur);
  cur->eof = 0;
  cur->null_row = !raw || sqlite3_value_type(raw) == SQLITE_NULL;
  if (cur->null_row) return SQLITE_OK;
  cur->raw = sqlite3_value_dup(raw);
  if (!cur->raw) return SQLITE_NOMEM;

  const char *p = NULL;
  size_t pn = 0;
  if (prov && sqlite3_value_type(prov) != SQLITE_NULL) {
    p = (const char *)sqlite3_value_text(prov);
    pn = (size_t)sqlite3_value_bytes(prov);
    if (!p) return SQLITE_NOMEM;
  }
  const char *as_of = NULL;
  if (as_of_arg && sqlite3_value_type(as_of_arg) != SQLITE_NULL) {
    as_of = (const char *)sqlite3_value_text(as_of_arg);
    if (!as_of) return SQLITE_NOMEM;
    if (!tl_canon_is_date(as_of, (size_t)sqlite3_value_bytes(as_of_arg))) {
      return tl_vtab_error(&pCursor->pVtab->zErrMsg, SQLITE_ERROR,
                           "resolve_model: as_of '%.40s' is not a date: expected YYYY-MM-DD, or "
                           "a timestamp that starts with one",
                           as_of);
    }
  }
  TlCanonUser *user = NULL;
  if (aliases && sqlite3_value_type(aliases) != SQLITE_NULL) {
    const char *json = (const char *)sqlite3_value_text(aliases);
    char err[256];
    if (!json) return SQLITE_NOMEM; /* not NULL (checked above): the conversion failed */
    user = tl_canon_user_parse(json, (size_t)sqlite3_value_bytes(aliases), err, sizeof err);
    if (!user) {
      return tl_is_nomem_message(err)
                 ? tl_vtab_error_take(&pCursor->pVtab->zErrMsg, SQLITE_NOMEM, NULL)
                 : tl_vtab_error(&pCursor->pVtab->zErrMsg, SQLITE_ERROR, "resolve_model: %s", err);
    }
  }
  const char *r = (const char *)sqlite3_value_text(cur->raw);
  size_t n = (size_t)sqlite3_value_bytes(cur->raw);
  if (!r) {
    tl_canon_user_free(user);
    return SQLITE_NOMEM;
  }
  if (user) tl_canon_resolve(vt->cs->ix, r, n, p, pn, user, as_of, &cur->c);
  else tl_canon_cache_resolve(vt->cs->cache, vt->cs->ix, r, n, p, pn, as_of, &cur->c);
  tl_canon_user_free(user);
  return SQLITE_OK;
}

/* xNext: one row only. */
static int resolveModelNext(sqlite3_vtab_cursor *pCursor) {
  ((ResolveCursor *)pCursor)->eof = 1;
  return SQLITE_OK;
}

/* xEof */
static int resolveModelEof(sqlite3_vtab_cursor *pCursor) {
  return ((ResolveCursor *)pCursor)->eof;
}

static void text_or_null(sqlite3_context *ctx, const char *s) {
  if (s) sqlite3_result_text(ctx, s, -1, SQLITE_TRANSIENT);
  else sqlite3_result_null(ctx);
}

/* xColumn */
static int resolveModelColumn(sqlite3_vtab_cursor *pCursor, sqlite3_context *ctx, int col) {
  ResolveCursor *cur = (ResolveCursor *)pCursor;
  const TlCanon *c = &cur->c;
  if (cur->null_row) {
    sqlite3_result_null(ctx);
    return SQLITE_OK;
  }
  switch (col) {
    case RESOLVE_MODEL_COLUMN_RAW:
    case RESOLVE_MODEL_COLUMN_ARG_RAW: sqlite3_result_value(ctx, cur->raw); break;
    case RESOLVE_MODEL_COLUMN_PROVIDER: text_or_null(ctx, c->provider); break;
    case RESOLVE_MODEL_COLUMN_PROVIDER_RULE:
      text_or_null(ctx, tl_canon_rule_name(c->provider_rule));
      break;
    case RESOLVE_MODEL_COLUMN_PROVIDER_CONF: sqlite3_result_int(ctx, c->provider_conf); break;
    case RESOLVE_MODEL_COLUMN_CREATOR: text_or_null(ctx, c->creator); break;
    case RESOLVE_MODEL_COLUMN_MODEL:
      if (c->model_is_raw) sqlite3_result_value(ctx, cur->raw);
      else sqlite3_result_text(ctx, c->model, (int)c->model_len, SQLITE_TRANSIENT);
      break;
    case RESOLVE_MODEL_COLUMN_MODEL_RULE:
      text_or_null(ctx, tl_canon_rule_name(c->model_rule));
      break;
    case RESOLVE_MODEL_COLUMN_MODEL_CONF: sqlite3_result_int(ctx, c->model_conf); break;
    case RESOLVE_MODEL_COLUMN_FAMILY: text_or_null(ctx, c->family); break;
    case RESOLVE_MODEL_COLUMN_VERSION: text_or_null(ctx, c->version); break;
    case RESOLVE_MODEL_COLUMN_VARIANT: text_or_null(ctx, c->variant); break;
    case RESOLVE_MODEL_COLUMN_QUALIFIERS: text_or_null(ctx, c->qualifiers); break;
    default: sqlite3_result_null(ctx); break; /* arg_provider, aliases, as_of */
  }
  return SQLITE_OK;
}

/* xRowid */
static int resolveModelRowid(sqlite3_vtab_cursor *pCursor, sqlite_int64 *pRowid) {
  (void)pCursor;
  *pRowid = 1;
  return SQLITE_OK;
}

/* xBestIndex: equality constraints on the HIDDEN argument columns become
** argv entries in the order raw, provider, aliases, as_of; idxNum has one
** RESOLVE_MODEL_ARG_* bit per argument received. An argument given but not usable in this plan
** (its value comes from a table not yet scanned) is SQLITE_CONSTRAINT, try
** another plan: a plan without it would answer as if it were not given,
** and SQLite would then test the HIDDEN column (NULL) against it and drop
** the row. raw is required: without it and without any other term it is an
** error, else SQLITE_CONSTRAINT (the plan of one branch of an OR). */
static int resolveModelBestIndex(sqlite3_vtab *pVtab, sqlite3_index_info *info) {
  int aIdx[RESOLVE_MODEL_NARG] = {-1, -1, -1, -1};
  int unusable = 0;
  for (int i = 0; i < info->nConstraint; i++) {
    const struct sqlite3_index_constraint *pc = &info->aConstraint[i];
    if (pc->iColumn < RESOLVE_MODEL_COLUMN_ARG_RAW || pc->op != SQLITE_INDEX_CONSTRAINT_EQ)
      continue;
    if (!pc->usable) {
      unusable = 1;
      continue;
    }
    aIdx[pc->iColumn - RESOLVE_MODEL_COLUMN_ARG_RAW] = i;
  }
  if (unusable) return SQLITE_CONSTRAINT;
  if (aIdx[0] < 0 && info->nConstraint == 0) { /* resolve_model() itself, no argument */
    return tl_vtab_error(&pVtab->zErrMsg, SQLITE_ERROR,
                         "resolve_model: no argument: expected a first argument, the raw model "
                         "name");
  }
  /* A plan without raw but with other constraints: SQLite also weighs plans
  ** with only some of a query's terms (one branch of an OR over a view of
  ** resolve_model); that plan cannot run, but the query can. */
  if (aIdx[0] < 0) return SQLITE_CONSTRAINT;
  int argv_index = 1, idx_num = 0;
  for (int k = 0; k < RESOLVE_MODEL_NARG; k++) {
    if (aIdx[k] < 0) continue;
    info->aConstraintUsage[aIdx[k]].argvIndex = argv_index++;
    info->aConstraintUsage[aIdx[k]].omit = 1;
    idx_num |= 1 << k;
  }
  info->idxNum = idx_num;
  info->estimatedCost = 1.0;
  info->estimatedRows = 1;
  info->idxFlags = SQLITE_INDEX_SCAN_UNIQUE;
  return SQLITE_OK;
}

static sqlite3_module resolveModelModule = {
    0,                      /* iVersion */
    0,                      /* xCreate: eponymous only */
    resolveModelConnect,    /* xConnect */
    resolveModelBestIndex,  /* xBestIndex */
    resolveModelDisconnect, /* xDisconnect */
    0,                      /* xDestroy */
    resolveModelOpen,       /* xOpen */
    resolveModelClose,      /* xClose */
    resolveModelFilter,     /* xFilter */
    resolveModelNext,       /* xNext */
    resolveModelEof,        /* xEof */
    resolveModelColumn,     /* xColumn */
    resolveModelRowid,      /* xRowid */
    0,                      /* xUpdate */
    0,                      /* xBegin */
    0,                      /* xSync */
    0,                      /* xCommit */
    0,                      /* xRollback */
    0,                      /* xFindFunction */
    0,                      /* xRename */
    0,                      /* xSavepoint */
    0,                      /* xRelease */
    0,                      /* xRollbackTo */
    0,                      /* xShadowName */
};

int tl_register_resolve_model(sqlite3 *db, TlCanonShared *cs, char **pzErr) {
  /* on failure create_module_v2 drops the reference itself */
  int rc = sqlite3_create_module_v2(db, "resolve_model", &resolveModelModule,
                                    tl_canon_shared_ref(cs), tl_canon_shared_unref);
  return rc == SQLITE_OK ? rc : tl_register_error(db, rc, "resolve_model", pzErr);
}
