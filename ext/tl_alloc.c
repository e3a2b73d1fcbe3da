/*
** tl_malloc / tl_realloc / tl_free: sqlite3_malloc64 and friends inside the
** extension, the C library's in unit tests and fuzz targets. See tl_alloc.h.
*/
#include "tl_alloc.h"

#ifdef TOKENLEDGER_IN_SQLITE
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT3

void *tl_malloc(size_t n) { return sqlite3_malloc64((sqlite3_uint64)n); }
void *tl_realloc(void *p, size_t n) {
  return sqlite3_realloc64(p, (sqlite3_uint64)n);
}
void tl_free(void *p) { sqlite3_free(p); }

#else
#include <stdlib.h>

void *tl_malloc(size_t n) { return malloc(n ? n : 1); }
void *tl_realloc(void *p, size_t n) { return realloc(p, n ? n : 1); }
void tl_free(void *p) { free(p); }
#endif
