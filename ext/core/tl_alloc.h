/*
** Allocation for core code. Inside the extension every allocation goes
** through sqlite3_malloc64 / sqlite3_free (so SQLite's memory accounting and
** limits see it); unit tests and fuzz targets, which do not link SQLite, use
** malloc / free. ext/core/tl_alloc.c picks one at compile time: the .so build
** defines TOKENLEDGER_IN_SQLITE.
*/
#ifndef TOKENLEDGER_ALLOC_H
#define TOKENLEDGER_ALLOC_H

#include <stddef.h>

void *tl_malloc(size_t n);
void *tl_realloc(void *p, size_t n);
void tl_free(void *p);

#ifndef TOKENLEDGER_IN_SQLITE
/* Unit tests only: after n more successful allocations, every tl_malloc and
** tl_realloc fails until called again with -1 (the default: never fail).
** Core out-of-memory paths are swept this way without SQLite. */
void tl_alloc_fail_from(long n);
#endif

#endif
