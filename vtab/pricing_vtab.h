/*
** What the two pricing modules share (vtab/pricing.c defines it, and
** vtab/pricing_files.c uses it): the table, its arguments and its errors.
** The rows, the cache and the decoding are core: ext/core/pricing_rows.h.
*/
#ifndef TOKENLEDGER_PRICING_VTAB_H
#define TOKENLEDGER_PRICING_VTAB_H

#include <sqlite3ext.h>

#include "pricing_rows.h"

/* The connection's cache of decoded files, the modules' pAux: both modules
** read it, so the counts pricing_files gives of a file that pricing has
** decoded cost no second decode (tokenledger_build reads the rows, then the
** counts of every price list). A reference per module registered; the last
** release clears it. */
typedef struct PricingShared {
  int refs;
  PricingCache cache;
} PricingShared;

/* A pricing or pricing_files table. */
typedef struct PricingTable {
  sqlite3_vtab base;
  const char *module;   /* "pricing" or "pricing_files": errors start with it */
  char *file;           /* CREATE VIRTUAL TABLE form; NULL for the table-valued form */
  const char *format;   /* CREATE VIRTUAL TABLE form: a static name of pricing_format_choices */
  PricingCache *cache;  /* the connection's (PricingShared), shared by every table */
} PricingTable;

/* idxNum bits, set by xBestIndex; argv of xFilter follows this order. */
#define PRICING_IDX_FILE 1
#define PRICING_IDX_FORMAT 2
#define PRICING_IDX_MODEL 4    /* pricing only */
#define PRICING_IDX_PROVIDER 8 /* pricing only */
#define PRICING_IDX_EXTRA 16   /* pricing only: the statement reads the extra column */

/* What one query reads: xFilter's file and format over the table's own. */
typedef struct PricingRequest {
  const char *path;   /* NULL: the file argument is NULL */
  const char *format; /* NULL: auto */
  int path_nul;       /* the file name holds U+0000 */
  int no_rows;        /* a table with its own file was asked for another */
} PricingRequest;

/* xConnect of both modules: the temp-only check, file= and format=, the
** schema, DIRECTONLY (reading files is not innocuous); shared is the
** module's pAux. */
int tl_pricing_connect(sqlite3 *db, PricingShared *shared, const char *module, const char *schema,
                       int argc, const char *const *argv, sqlite3_vtab **ppVtab, char **pzErr);
/* xDisconnect and xDestroy of both (the cache stays with the connection). */
int tl_pricing_disconnect(sqlite3_vtab *vtab);

/* The text of an xFilter value into *out (NULL for SQL NULL), *has_nul set
** when it holds U+0000. SQLITE_NOMEM when converting it failed: that NULL
** must not read as "matches nothing". */
int tl_pricing_value_text(sqlite3_value *v, const char **out, int *has_nul);
/* The file and format constraints of idxNum, read from argv[*arg] on
** (advancing *arg), into req. SQLITE_OK or SQLITE_NOMEM. */
int tl_pricing_request(const PricingTable *tab, int idxNum, sqlite3_value **argv, int *arg,
                       PricingRequest *req);
/* SQLITE_OK when req names a file and a format that can be read; else the
** error (a NULL or U+0000 file name, an unknown format) in tab. */
int tl_pricing_check(PricingTable *tab, PricingRequest *req);
/* A core message (tl_malloc'd) into zErrMsg as "MODULE: message"; NULL means
** memory ran out while reading path. Returns the code for xFilter/xNext. */
int tl_pricing_error(PricingTable *tab, char *core_err, const char *path);

/* pricing_files' module (vtab/pricing_files.c), registered by
** tl_register_pricing with shared as its pAux and release as its destructor
** (which SQLite calls, on failure too). */
int tl_register_pricing_files(sqlite3 *db, PricingShared *shared, void (*release)(void *));

#endif
