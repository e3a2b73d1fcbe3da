/*
** tokenledger: a SQLite loadable extension that reads LLM price lists,
** benchmark tables and usage logs as tables, and computes one auditable
** ledger from them.
**
**   sqlite3 ledger.db ".load ./tokenledger"
**   SELECT tokenledger_version();
**
** A second entry point, sqlite3_tokenledger_nofs_init, leaves out every module
** that reads files or runs SQL text (pricing, pricing_files, csvfile,
** benchmarks, usage_events, usage_cost, pareto), for hosts that open untrusted databases
** (as sqlite-lines' lines_nofs0 does): what it registers is all innocuous.
**
** This file is the entry point only. Each concept registers itself through
** one tl_register_* function (declared in tokenledger_modules.h); this file
** calls them in order and says which one failed. The logic behind each
** module lives in plain C files that do not include sqlite3ext.h, so it can
** be unit-tested and fuzzed without SQLite.
*/
#include <sqlite3ext.h>
#include <stddef.h>
SQLITE_EXTENSION_INIT1

#include "func_result.h"
#include "tokenledger_modules.h"

#ifndef TOKENLEDGER_VERSION
#define TOKENLEDGER_VERSION "unknown"
#endif

static void tokenledger_version_func(sqlite3_context *ctx, int argc,
                                     sqlite3_value **argv) {
  (void)argc;
  (void)argv;
  sqlite3_result_text(ctx, TOKENLEDGER_VERSION, -1, SQLITE_STATIC);
}

static int register_version(sqlite3 *db, char **pzErr) {
  (void)pzErr;
  return sqlite3_create_function(
      db, "tokenledger_version", 0,
      TL_FUNC_PURE, 0,
      tokenledger_version_func, 0, 0);
}

static const struct {
  const char *name;
  int (*register_fn)(sqlite3 *, char **);
  int (*register_with_canonicalizer)(sqlite3 *, TlCanonShared *, char **);
  int privileged; /* reads files or runs SQL text */
} aModule[] = {
    {"tokenledger_version", register_version, NULL, 0},
    TOKENLEDGER_MODULE_LIST
};

int tl_register_error(sqlite3 *db, int rc, const char *name, char **pzErr) {
  /* out of memory may leave a stale message: then the code's own text */
  sqlite3_free(*pzErr);
  *pzErr = sqlite3_mprintf("%s: %s", name,
                           sqlite3_errcode(db) == rc ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  return rc;
}

/* The connection's canonicalizer in *pcs, built by the first module that
** needs it. SQLITE_OK, or a code with *pzErr naming the module. */
static int need_canonicalizer(TlCanonShared **pcs, const char *module, char **pzErr) {
  char err[256];
  if (*pcs) return SQLITE_OK;
  *pcs = tl_canon_shared_new(err, sizeof err);
  if (*pcs) return SQLITE_OK;
  if (tl_is_nomem_message(err)) return SQLITE_NOMEM;
  *pzErr = sqlite3_mprintf("%s: %s", module, err);
  return *pzErr ? SQLITE_ERROR : SQLITE_NOMEM;
}

static int register_modules(sqlite3 *db, char **pzErrMsg, int with_privileged) {
  TlCanonShared *cs = NULL; /* this function's reference; each module takes its own */
  int rc = SQLITE_OK;
  for (size_t i = 0; i < sizeof(aModule) / sizeof(aModule[0]) && rc == SQLITE_OK; i++) {
    if (aModule[i].privileged && !with_privileged) continue;
    char *why = NULL;
    if (aModule[i].register_fn) {
      rc = aModule[i].register_fn(db, &why);
    } else {
      rc = need_canonicalizer(&cs, aModule[i].name, &why);
      if (rc == SQLITE_OK) rc = aModule[i].register_with_canonicalizer(db, cs, &why);
    }
    if (rc != SQLITE_OK) {
      /* the module's own words name what failed; else the line names it */
      if (!why) tl_register_error(db, rc, aModule[i].name, &why);
      *pzErrMsg = why ? sqlite3_mprintf("tokenledger: cannot register %s", why) : NULL;
      sqlite3_free(why);
    }
  }
  if (cs) tl_canon_shared_unref(cs);
  return rc;
}

#ifdef _WIN32
#define TOKENLEDGER_EXPORT __declspec(dllexport)
#else
#define TOKENLEDGER_EXPORT __attribute__((visibility("default")))
#endif

TOKENLEDGER_EXPORT int sqlite3_tokenledger_init(sqlite3 *db, char **pzErrMsg,
                                                const sqlite3_api_routines *pApi);
TOKENLEDGER_EXPORT int sqlite3_tokenledger_nofs_init(sqlite3 *db, char **pzErrMsg,
                                                     const sqlite3_api_routines *pApi);

/* Everything. */
TOKENLEDGER_EXPORT int sqlite3_tokenledger_init(sqlite3 *db, char **pzErrMsg,
                                                const sqlite3_api_routines *pApi) {
  SQLITE_EXTENSION_INIT2(pApi);
  return register_modules(db, pzErrMsg, 1);
}

/* Everything but the modules that read files or run SQL text, for hosts
** that open databases they do not trust:
**   SELECT load_extension('tokenledger', 'sqlite3_tokenledger_nofs_init'); */
TOKENLEDGER_EXPORT int sqlite3_tokenledger_nofs_init(sqlite3 *db, char **pzErrMsg,
                                                     const sqlite3_api_routines *pApi) {
  SQLITE_EXTENSION_INIT2(pApi);
  return register_modules(db, pzErrMsg, 0);
}
