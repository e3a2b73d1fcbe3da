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
  int privileged; /* reads files or runs SQL text */
} aModule[] = {
    {"tokenledger_version", register_version, 0},
    TOKENLEDGER_MODULE_LIST
};

int tl_register_error(sqlite3 *db, int rc, const char *name, char **pzErr) {
  /* out of memory may leave a stale message: then the code's own text */
  sqlite3_free(*pzErr);
  *pzErr = sqlite3_mprintf("%s: %s", name,
                           sqlite3_errcode(db) == rc ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  return rc;
}

static int register_modules(sqlite3 *db, char **pzErrMsg, int with_privileged) {
  for (size_t i = 0; i < sizeof(aModule) / sizeof(aModule[0]); i++) {
    if (aModule[i].privileged && !with_privileged) continue;
    char *why = NULL;
    int rc = aModule[i].register_fn(db, &why);
    if (rc != SQLITE_OK) {
      /* the module's own words name what failed; else the line names it */
      if (!why) tl_register_error(db, rc, aModule[i].name, &why);
      *pzErrMsg = why ? sqlite3_mprintf("tokenledger: cannot register %s", why) : NULL;
      sqlite3_free(why);
      return rc;
    }
  }
  return SQLITE_OK;
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
