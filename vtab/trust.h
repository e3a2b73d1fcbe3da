/*
** What the extension does for a database it does not trust: where a virtual
** table with stored arguments may live, and how SQL text it runs for a user
** is prepared. See the top of trust.c.
*/
#ifndef TOKENLEDGER_TRUST_H
#define TOKENLEDGER_TRUST_H

#include <sqlite3ext.h>

/* For xCreate/xConnect of a module whose stored arguments name files or SQL:
** SQLITE_OK when the table is in the temp schema (or is the eponymous
** table-valued function, argc <= 3), else SQLITE_ERROR with *pzErr saying
** why (or SQLITE_NOMEM). */
int tl_require_temp_schema(const char *module, int argc, const char *const *argv,
                           char **pzErr);

/* Prepares the first statement of SQL like sqlite3_prepare_v2, refusing any
** function or virtual table that is not innocuous outside the connection's
** own TEMP views. Returns SQLITE_OK, or an error code with *pzErr set to a
** message from sqlite3_mprintf ("not innocuous" refusals name the function
** or table; NULL out of memory). *ppStmt and *pzTail as for
** sqlite3_prepare_v2. */
int tl_prepare_guarded(sqlite3 *db, const char *sql, sqlite3_stmt **ppStmt,
                       const char **pzTail, char **pzErr);

#endif
