/*
** count_distinct(x): count(DISTINCT x), the number of distinct non-NULL
** values, as equal as SQLite's DISTINCT has them (numbers by value, text
** and blobs byte by byte: the BINARY collation).
**
**   SELECT provider, count_distinct(source_path) FROM offers GROUP BY provider;
**
** SQLite's count(DISTINCT x) keeps the values in an ephemeral table that it
** empties for every group, and emptying a b-tree zeroes its page in a
** SECURE_DELETE build (Debian's): over many small groups that is most of
** its cost (ledger_audit's two, over 7,969 keys: 77 M instructions of
** ~190 M). Here a group's values are copied, sorted when the group ends and
** counted where they change.
*/
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT3

#include "sql_order.h"
#include "tokenledger_modules.h"

static void distinct_step(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return;
  TlOrderGroup *d = sqlite3_aggregate_context(ctx, sizeof *d);
  int rc = d ? tl_order_group_reserve(d, 1) : SQLITE_NOMEM;
  if (rc == SQLITE_OK) rc = tl_order_copy(argv[0], &d->value[d->n], &d->bytes);
  if (rc == SQLITE_OK) d->n++;
  else if (rc == SQLITE_NOMEM) sqlite3_result_error_nomem(ctx);
  else sqlite3_result_error_toobig(ctx);
}

static int compare_values(const void *ctx, int x, int y) {
  const TlOrderGroup *d = ctx;
  return tl_order_compare(d->bytes.z, &d->value[x], &d->value[y]);
}

/* The number of distinct values of d, or -1 when out of memory; a group's
** few values sorted on the stack. */
static sqlite3_int64 count_values(const TlOrderGroup *d) {
  int local[TL_GROUP_VALUES];
  int *order = d->n <= TL_GROUP_VALUES ? local
                                       : sqlite3_malloc64((sqlite3_uint64)d->n * sizeof *order);
  if (!order) return -1;
  for (int i = 0; i < d->n; i++) order[i] = i;
  sqlite3_int64 count = -1;
  if (tl_order_sort_group(order, d->n, compare_values, d) == SQLITE_OK) {
    count = d->n > 0;
    for (int i = 1; i < d->n; i++) count += compare_values(d, order[i - 1], order[i]) != 0;
  }
  if (order != local) sqlite3_free(order);
  return count;
}

static void distinct_final(sqlite3_context *ctx) {
  TlOrderGroup *d = sqlite3_aggregate_context(ctx, 0);
  sqlite3_int64 count = d ? count_values(d) : 0;
  if (count < 0) sqlite3_result_error_nomem(ctx);
  else sqlite3_result_int64(ctx, count);
  if (d) tl_order_group_free(d);
}

int tl_register_count_distinct(sqlite3 *db, char **pzErr) {
  (void)pzErr; /* nothing to say beyond the connection's message */
  return sqlite3_create_function(db, "count_distinct", 1, TL_FUNC_PURE, NULL, NULL,
                                 distinct_step, distinct_final);
}
