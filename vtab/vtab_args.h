/*
** ext/core/args.h for the virtual tables: CREATE VIRTUAL TABLE's arguments parsed
** against a module's spec, and the outcome as an SQLite code with the
** message, prefixed by the module's name, in *pzErr. See vtab_args.c.
*/
#ifndef TOKENLEDGER_VTAB_ARGS_H
#define TOKENLEDGER_VTAB_ARGS_H

#include "args.h"

/* argv[3..argc) of xCreate/xConnect into out[0..n_spec) (zeroed by the
** caller): SQLITE_OK, SQLITE_ERROR with *pzErr, or SQLITE_NOMEM. */
int tl_vtab_args(const char *module, const TlArgSpec *spec, size_t n_spec, int argc,
                 const char *const *argv, TlArgValue *out, char **pzErr);

/* The code of a tl_args_* result rc; an error's message (which this frees)
** goes to *pzErr (its old message freed) as "MODULE: message". */
int tl_vtab_args_result(const char *module, int rc, char *message, char **pzErr);

#endif
