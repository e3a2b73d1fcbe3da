/* SQLite's order of values, in C: the parts not inline (sql_order.h), the
** growth of the buffers. */
#include "sql_order.h"

int tl_order_reserve(TlOrderBytes *b, int n) {
  sqlite3_int64 size = 2 * (b->n + n) + 4096;
  char *grown = b->z == b->fixed ? sqlite3_malloc64((sqlite3_uint64)size)
                                 : sqlite3_realloc64(b->z, (sqlite3_uint64)size);
  if (!grown) return SQLITE_NOMEM;
  if (b->z == b->fixed && b->n > 0) memcpy(grown, b->z, (size_t)b->n);
  b->z = grown;
  b->nAlloc = size;
  return SQLITE_OK;
}

void tl_order_bytes_free(TlOrderBytes *b) {
  if (b->z != b->fixed) sqlite3_free(b->z);
}

int tl_order_group_reserve(TlOrderGroup *g, int count) {
  if (!g->value) {
    g->value = g->inline_value;
    g->nAlloc = TL_GROUP_VALUES;
    g->bytes.z = g->bytes.fixed = g->inline_bytes;
    g->bytes.nAlloc = TL_GROUP_BYTES;
  }
  if (count <= g->nAlloc - g->n) return SQLITE_OK;
  if (g->nAlloc > 0x10000000 || count > 0x10000000) return SQLITE_TOOBIG; /* ints count them */
  int n = 2 * g->nAlloc > g->n + count ? 2 * g->nAlloc : g->n + count;
  TlOrderValue *value =
      g->value == g->inline_value
          ? sqlite3_malloc64((sqlite3_uint64)n * sizeof *value)
          : sqlite3_realloc64(g->value, (sqlite3_uint64)n * sizeof *value);
  if (!value) return SQLITE_NOMEM;
  if (g->value == g->inline_value) memcpy(value, g->value, (size_t)g->n * sizeof *value);
  g->value = value;
  g->nAlloc = n;
  return SQLITE_OK;
}

void tl_order_group_free(TlOrderGroup *g) {
  if (g->value != g->inline_value) sqlite3_free(g->value);
  tl_order_bytes_free(&g->bytes);
}
