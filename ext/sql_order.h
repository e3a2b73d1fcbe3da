/*
** SQLite's order of values, in C: copies of values, their comparison as
** SQLite's sort compares them, and a stable sort, for the build's rank
** steps (ext/build_rank.c) and the aggregates that sort their groups
** (ext/func_ordered_json.c, ext/func_count_distinct.c). Sorting copies here
** rather than in SQLite's sorter saves its per-row record: the sorter
** writes each row as a record and decodes both records again for every
** comparison.
**
** The functions are inline: a rank step compares and copies a few hundred
** thousand times, and as calls into another file (and the sort calling its
** comparison through a pointer) the seven steps cost 49 M instructions more
** over the real sources.
*/
#ifndef TL_SQL_ORDER_H
#define TL_SQL_ORDER_H

#include <sqlite3ext.h>
#include <string.h>

SQLITE_EXTENSION_INIT3

/* A copy of a value; text and blobs in a TlOrderBytes (by offset: the
** buffer moves as it grows). */
typedef struct TlOrderValue {
  int type; /* SQLITE_INTEGER .. SQLITE_NULL */
  int n;    /* bytes of text or blob */
  union {
    sqlite3_int64 i;
    double r;
    sqlite3_int64 offset;
  } u;
} TlOrderValue;

/* The bytes of the text and blobs copied: in memory of their own, or at
** first in a buffer of the caller's, fixed (NULL: none), which is copied
** from when it is outgrown and never freed. */
typedef struct TlOrderBytes {
  char *z;
  sqlite3_int64 n, nAlloc;
  char *fixed;
} TlOrderBytes;

/* Room in b for n more bytes (ext/sql_order.c). SQLITE_OK or SQLITE_NOMEM. */
int tl_order_reserve(TlOrderBytes *b, int n);

/* Frees what b allocated. */
void tl_order_bytes_free(TlOrderBytes *b);

/* The values an aggregate copies for one group. The first ones are held in
** the group's own aggregate context, so that a small group allocates
** nothing: over ledger_audit's 7,969 keys, a malloc, a realloc and a free
** per group and aggregate cost 50 M instructions. The context stays under
** 2 KB, past which glibc's memset, zeroing it, costs a cycle per byte. */
#define TL_GROUP_VALUES 16
#define TL_GROUP_BYTES 1024
typedef struct TlOrderGroup {
  int n, nAlloc;       /* values held, room for values */
  TlOrderValue *value; /* inline_value until outgrown */
  TlOrderBytes bytes;  /* inline_bytes until outgrown */
  TlOrderValue inline_value[TL_GROUP_VALUES];
  char inline_bytes[TL_GROUP_BYTES];
} TlOrderGroup;

/* Room in g (zeroed at first, as an aggregate context is) for count more
** values. SQLITE_OK, SQLITE_NOMEM or SQLITE_TOOBIG. */
int tl_order_group_reserve(TlOrderGroup *g, int count);

/* Frees what g allocated. */
void tl_order_group_free(TlOrderGroup *g);

/* Appends n bytes to b; *offset is where they start. SQLITE_OK or
** SQLITE_NOMEM. */
static inline int tl_order_append(TlOrderBytes *b, const void *p, int n,
                                  sqlite3_int64 *offset) {
  if (b->n + n > b->nAlloc && tl_order_reserve(b, n) != SQLITE_OK) return SQLITE_NOMEM;
  if (n > 0) memcpy(b->z + b->n, p, (size_t)n);
  *offset = b->n;
  b->n += n;
  return SQLITE_OK;
}

/* Copies x into *v, its text or blob appended to b: text in the database's
** encoding, which is what the BINARY collation compares, and read as bytes,
** without the copy sqlite3_value_text makes of a column's value to add a
** terminator. SQLITE_OK or SQLITE_NOMEM. */
static inline int tl_order_copy(sqlite3_value *x, TlOrderValue *v, TlOrderBytes *b) {
  v->type = sqlite3_value_type(x);
  if (v->type == SQLITE_INTEGER) v->u.i = sqlite3_value_int64(x);
  else if (v->type == SQLITE_FLOAT) v->u.r = sqlite3_value_double(x);
  if (v->type != SQLITE_TEXT && v->type != SQLITE_BLOB) return SQLITE_OK;
  /* blob first, then bytes: sqlite3_value_blob leaves text in the database's
  ** encoding and bytes then counts that; called first, sqlite3_value_bytes
  ** would convert UTF-16 text to UTF-8 (the order SQLite documents) */
  const void *p = sqlite3_value_blob(x);
  v->n = sqlite3_value_bytes(x);
  if (v->n > 0 && !p) return SQLITE_NOMEM;
  return tl_order_append(b, p, v->n, &v->u.offset);
}

/* An integer against a real, by numeric value, exactly (a double cannot
** hold every 64-bit integer, nor an int64 every double). */
static inline int tl_order_int_real(sqlite3_int64 i, double r) {
  if (r < -9223372036854775808.0) return 1;
  if (r >= 9223372036854775808.0) return -1;
  sqlite3_int64 y = (sqlite3_int64)r;
  if (i != y) return i < y ? -1 : 1;
  double x = (double)i;
  return (x > r) - (x < r);
}

/* <0, 0, >0 as a sorts before, with or after b in SQLite's order under the
** BINARY collation: NULL, then numbers by value (integers and reals
** exactly), then text, then blobs, byte by byte. */
static inline int tl_order_compare(const char *bytes, const TlOrderValue *a,
                                   const TlOrderValue *b) {
  int ca = a->type == SQLITE_FLOAT ? SQLITE_INTEGER : a->type;
  int cb = b->type == SQLITE_FLOAT ? SQLITE_INTEGER : b->type;
  static const int rank_of[] = {0, 1, 1, 2, 3, 0}; /* by SQLITE_INTEGER .. SQLITE_NULL */
  if (ca != cb) return rank_of[ca] < rank_of[cb] ? -1 : 1;
  switch (ca) {
    case SQLITE_NULL: return 0;
    case SQLITE_INTEGER:
      if (a->type == SQLITE_INTEGER && b->type == SQLITE_INTEGER)
        return (a->u.i > b->u.i) - (a->u.i < b->u.i);
      if (a->type == SQLITE_FLOAT && b->type == SQLITE_FLOAT)
        return (a->u.r > b->u.r) - (a->u.r < b->u.r);
      return a->type == SQLITE_INTEGER ? tl_order_int_real(a->u.i, b->u.r)
                                       : -tl_order_int_real(b->u.i, a->u.r);
    default: {
      int n = a->n < b->n ? a->n : b->n;
      int c = n ? memcmp(bytes + a->u.offset, bytes + b->u.offset, (size_t)n) : 0;
      return c ? c : (a->n > b->n) - (a->n < b->n);
    }
  }
}

/* Sorts order[0, n) (items of the caller's) by compare(ctx, x, y), stable:
** items that compare equal keep their order (as in SQLite's sort, and
** unlike qsort, which would also need ctx in a global). A bottom-up merge
** sort. SQLITE_OK or SQLITE_NOMEM. */
static inline int tl_order_sort(int *order, int n, int (*compare)(const void *ctx, int x, int y),
                                const void *ctx) {
  if (n < 2) return SQLITE_OK;
  size_t count = (size_t)n;
  int *tmp = sqlite3_malloc64(count * sizeof *tmp);
  if (!tmp) return SQLITE_NOMEM;
  for (size_t width = 1; width < count; width *= 2) {
    for (size_t lo = 0; lo < count; lo += 2 * width) {
      size_t mid = lo + width < count ? lo + width : count;
      size_t hi = lo + 2 * width < count ? lo + 2 * width : count;
      size_t a = lo, b = mid, k = lo;
      while (a < mid && b < hi)
        tmp[k++] = compare(ctx, order[a], order[b]) <= 0 ? order[a++] : order[b++];
      while (a < mid) tmp[k++] = order[a++];
      while (b < hi) tmp[k++] = order[b++];
    }
    memcpy(order, tmp, count * sizeof *tmp);
  }
  sqlite3_free(tmp);
  return SQLITE_OK;
}

/* tl_order_sort for an aggregate's group, mostly of a few items: by
** insertion up to TL_GROUP_VALUES items, without allocating. (Apart from
** tl_order_sort, which the rank steps need inline.) */
static inline int tl_order_sort_group(int *order, int n,
                                      int (*compare)(const void *ctx, int x, int y),
                                      const void *ctx) {
  if (n > TL_GROUP_VALUES) return tl_order_sort(order, n, compare, ctx);
  for (int i = 1; i < n; i++) {
    int item = order[i], j = i;
    for (; j > 0 && compare(ctx, order[j - 1], item) > 0; j--) order[j] = order[j - 1];
    order[j] = item;
  }
  return SQLITE_OK;
}

#endif
