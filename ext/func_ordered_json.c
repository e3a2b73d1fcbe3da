/*
** ordered_json_group_array(value, key, ...): json_group_array with an order,
** which SQLite 3.40's aggregates cannot be given (json_group_array(value
** ORDER BY key) came in 3.44).
**
**   SELECT provider, ordered_json_group_array(json_object('model', model), model)
**   FROM offers GROUP BY provider;
**
** value  JSON (a value of a json function: json_object(), json(),
**        json_quote()), or NULL for null; other values are an error, where
**        json_group_array would have quoted them as strings.
** key    one or more sort keys: the items are ordered by the first key, ties
**        by the second, and so on, as `ORDER BY key, ...` orders them
**        (ascending, NULLs first, the BINARY collation); items equal in
**        every key keep the order they came in.
** Returns the JSON array text, with the JSON subtype as json_group_array's;
** '[]' over no row.
**
** ledger_audit's names are this aggregate in its GROUP BY's own pass: as a
** correlated subquery per key, with its ORDER BY, SQLite opened a sorter
** for each of the 7,969 keys of the real sources.
*/
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT3

#include <string.h>

#include "sql_order.h"
#include "tokenledger_modules.h"

#define JSON_SUBTYPE 'J' /* what SQLite's json functions mark their results with */

/* The function's flags: pure, and it reads and sets the JSON subtype. */
#ifdef SQLITE_RESULT_SUBTYPE
#define ORDERED_JSON_FLAGS (TL_FUNC_PURE | SQLITE_SUBTYPE | SQLITE_RESULT_SUBTYPE)
#else
#define ORDERED_JSON_FLAGS (TL_FUNC_PURE | SQLITE_SUBTYPE)
#endif

/* One group's items so far, 1 + nKey values each: the item's JSON text
** (SQLITE_NULL for null), then its keys. */
typedef struct OrderedItems {
  int nKey;
  TlOrderGroup group;
} OrderedItems;

/* The item's JSON text into v: the value as it is when a json function made
** it, "null" for NULL. */
static int copy_item(sqlite3_context *ctx, sqlite3_value *x, TlOrderValue *v,
                     TlOrderBytes *bytes) {
  if (sqlite3_value_type(x) == SQLITE_NULL) {
    v->type = SQLITE_NULL;
    return SQLITE_OK;
  }
  if (sqlite3_value_subtype(x) != JSON_SUBTYPE) {
    sqlite3_result_error(ctx,
                         "ordered_json_group_array: the value is not JSON (give json_object(),"
                         " json() or json_quote() of it)", -1);
    return SQLITE_ERROR;
  }
  /* UTF-8 whatever the database's encoding, as the array is returned:
  ** sqlite3_value_bytes converts the text to UTF-8 if it is not, then its
  ** bytes are read as they are, without the copy sqlite3_value_text makes
  ** of a function's result to add a terminator (9 M in ledger_audit) */
  v->type = SQLITE_TEXT;
  v->n = sqlite3_value_bytes(x);
  const void *text = sqlite3_value_blob(x);
  if (!text && v->n > 0) return SQLITE_NOMEM;
  return tl_order_append(bytes, text, v->n, &v->u.offset);
}

static void ordered_step(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  if (argc < 2) {
    sqlite3_result_error(ctx, "ordered_json_group_array: expected a value and one or more"
                              " sort keys", -1);
    return;
  }
  OrderedItems *items = sqlite3_aggregate_context(ctx, sizeof *items);
  if (!items) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  items->nKey = argc - 1;
  int rc = tl_order_group_reserve(&items->group, argc);
  TlOrderValue *v = rc == SQLITE_OK ? &items->group.value[items->group.n] : NULL;
  if (rc == SQLITE_OK) rc = copy_item(ctx, argv[0], v, &items->group.bytes);
  for (int i = 1; rc == SQLITE_OK && i < argc; i++)
    rc = tl_order_copy(argv[i], &v[i], &items->group.bytes);
  if (rc == SQLITE_OK) items->group.n += argc;
  else if (rc == SQLITE_NOMEM) sqlite3_result_error_nomem(ctx);
  else if (rc == SQLITE_TOOBIG) sqlite3_result_error_toobig(ctx);
}

/* Items x and y by their keys. */
static int compare_items(const void *ctx, int x, int y) {
  const OrderedItems *items = ctx;
  int width = 1 + items->nKey;
  const TlOrderValue *a = &items->group.value[x * width], *b = &items->group.value[y * width];
  for (int i = 1; i < width; i++) {
    int c = tl_order_compare(items->group.bytes.z, &a[i], &b[i]);
    if (c) return c;
  }
  return 0;
}

/* The array of the n items in the order of order[0, n). */
static void result_array(sqlite3_context *ctx, const OrderedItems *items, const int *order,
                         int n) {
  int width = 1 + items->nKey;
  sqlite3_uint64 size = 3; /* the brackets and the terminator */
  for (int i = 0; i < n; i++) {
    const TlOrderValue *v = &items->group.value[order[i] * width];
    size += (v->type == SQLITE_NULL ? 4 : (sqlite3_uint64)v->n) + 1;
  }
  char *out = sqlite3_malloc64(size), *p = out;
  if (!out) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  *p++ = '[';
  for (int i = 0; i < n; i++) {
    const TlOrderValue *v = &items->group.value[order[i] * width];
    if (i) *p++ = ',';
    if (v->type == SQLITE_NULL) {
      memcpy(p, "null", 4);
      p += 4;
    } else {
      memcpy(p, items->group.bytes.z + v->u.offset, (size_t)v->n);
      p += v->n;
    }
  }
  *p++ = ']';
  *p = 0;
  sqlite3_result_text64(ctx, out, (sqlite3_uint64)(p - out), sqlite3_free, SQLITE_UTF8);
  sqlite3_result_subtype(ctx, JSON_SUBTYPE);
}

/* The items sorted into the array; a group's few items sorted on the stack. */
static void result_sorted(sqlite3_context *ctx, const OrderedItems *items) {
  int n = items->group.n / (1 + items->nKey), local[TL_GROUP_VALUES];
  int *order = n <= TL_GROUP_VALUES ? local : sqlite3_malloc64((sqlite3_uint64)n * sizeof *order);
  if (!order) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  for (int i = 0; i < n; i++) order[i] = i;
  if (tl_order_sort_group(order, n, compare_items, items) == SQLITE_OK)
    result_array(ctx, items, order, n);
  else sqlite3_result_error_nomem(ctx);
  if (order != local) sqlite3_free(order);
}

static void ordered_final(sqlite3_context *ctx) {
  OrderedItems *items = sqlite3_aggregate_context(ctx, 0);
  if (!items || items->group.n == 0) {
    sqlite3_result_text(ctx, "[]", 2, SQLITE_STATIC);
    sqlite3_result_subtype(ctx, JSON_SUBTYPE);
  } else {
    result_sorted(ctx, items);
  }
  if (items) tl_order_group_free(&items->group);
}

int tl_register_ordered_json(sqlite3 *db, char **pzErr) {
  (void)pzErr; /* nothing to say beyond the connection's message */
  return sqlite3_create_function(db, "ordered_json_group_array", -1, ORDERED_JSON_FLAGS, NULL,
                                 NULL, ordered_step, ordered_final);
}
