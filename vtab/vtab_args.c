/*
** vtab_args: the SQLite side of ext/core/args.c, shared by every virtual table
** that takes key=value arguments (csvfile, pricing, usage_events, pareto),
** so that they accept the same spellings and say the same things.
*/
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT3

#include "tl_alloc.h"
#include "vtab_args.h"
#include "vtab_error.h"

int tl_vtab_args_result(const char *module, int rc, char *message, char **pzErr) {
  if (rc == TL_ARGS_OK) return SQLITE_OK;
  rc = rc == TL_ARGS_ERROR ? tl_vtab_error(pzErr, SQLITE_ERROR, "%s: %s", module, message)
                           : tl_vtab_error_take(pzErr, SQLITE_NOMEM, NULL);
  tl_free(message);
  return rc;
}

int tl_vtab_args(const char *module, const TlArgSpec *spec, size_t n_spec, int argc,
                 const char *const *argv, TlArgValue *out, char **pzErr) {
  char *message = NULL;
  int rc = tl_args_parse(spec, n_spec, argv + 3, argc > 3 ? (size_t)argc - 3 : 0, out, &message);
  return tl_vtab_args_result(module, rc, message, pzErr);
}
