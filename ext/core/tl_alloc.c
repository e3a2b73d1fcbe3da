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
#include <stdatomic.h>
#include <stdlib.h>

/* Fault injection for unit tests (tl_alloc_fail_from). Atomic: the
** read-ahead stream (ext/core/usage_ahead.c) allocates from a helper thread. */
static atomic_long allocations_until_failure = -1;

static int injected_failure(void) {
  long left = atomic_load(&allocations_until_failure);
  while (left > 0 && !atomic_compare_exchange_weak(&allocations_until_failure, &left, left - 1)) {
  }
  return left == 0;
}

void tl_alloc_fail_from(long n) { atomic_store(&allocations_until_failure, n); }

void *tl_malloc(size_t n) { return injected_failure() ? NULL : malloc(n ? n : 1); }
void *tl_realloc(void *p, size_t n) {
  return injected_failure() ? NULL : realloc(p, n ? n : 1);
}
void tl_free(void *p) { free(p); }
#endif
