/* SQLite's order of values, in C: the growth of the bytes buffer, the
** only part not inline (sql_order.h). */
#include "sql_order.h"

int tl_order_reserve(TlOrderBytes *b, int n) {
  sqlite3_int64 size = 2 * (b->n + n) + 4096;
  char *grown = sqlite3_realloc64(b->z, (sqlite3_uint64)size);
  if (!grown) return SQLITE_NOMEM;
  b->z = grown;
  b->nAlloc = size;
  return SQLITE_OK;
}
