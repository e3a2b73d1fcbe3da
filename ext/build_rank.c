/*
** The ranking windows of the build, in C (sql/gen_sql.py, `-- @build-rank`).
**
** A SQLite window over many small partitions is slow: it copies every value
** it reads into a buffer of its own, and resets that buffer (a b-tree, whose
** pages a SECURE_DELETE build zeroes) once per partition, so a ranking over
** 16,000 rows in 15,000 partitions costs several times the sort under it.
** SQLite's own sort is costly too: it writes each row as a record and
** decodes the records again for every comparison. So SQLite only reads the
** rows to rank (rid, the partition's values, the window's ORDER BY terms,
** which gen_sql.py takes from the view's WINDOW clause), their values are
** copied once into arrays here and sorted by partition, then by the order
** terms, each ascending or descending with its NULLs first or last as the
** order string says; one walk over the sorted rows finds each partition
** (consecutive rows whose partition values compare equal). Each row gets its
** place, the partition's size, the rids at places 1 and 2 and the rid after
** it, written into a TEMP table keyed by rid that the stage's build form
** joins (row_number, count, first_value, nth_value(x, 2) and lead).
*/
#include "build_rank.h"
#include "sql_order.h"

#include <stdlib.h>
#include <string.h>

SQLITE_EXTENSION_INIT3

/* A row of the rank table. */
typedef struct RankRow {
  sqlite3_int64 rid, place, size, first_rid;
  sqlite3_int64 second_rid; /* when size > 1 */
  sqlite3_int64 next_rid;   /* when place < size */
} RankRow;

typedef struct RankWalk {
  sqlite3_stmt *rows;   /* rid, the partition's values, the order terms */
  sqlite3_stmt *insert; /* into the rank table, RANK_BATCH rows a step */
  sqlite3_stmt *insert_one; /* the same, one row: the last ones */
  int nPartition;       /* partition values per row */
  const char *order;    /* a letter per order term (build_rank.h) */
  int nValue;           /* values per row: partition and order terms */
  TlOrderValue *value;  /* nValue per row, in the rows' read order */
  TlOrderBytes bytes;   /* their text and blobs */
  RankRow *row;         /* every row: read order, then rank order */
  sqlite3_int64 nRow, nRowAlloc;
  int *sorted;          /* row numbers in rank order */
} RankWalk;

/* Rows x and y by their first nPartition values only: 0 in one partition. */
static int compare_partition(const RankWalk *w, sqlite3_int64 x, sqlite3_int64 y) {
  const TlOrderValue *a = &w->value[x * w->nValue], *b = &w->value[y * w->nValue];
  for (int i = 0; i < w->nPartition; i++) {
    int c = tl_order_compare(w->bytes.z, &a[i], &b[i]);
    if (c) return c;
  }
  return 0;
}

/* Rows x and y in rank order: partition, then each order term as its
** letter says (a, d: NULLs where SQLite puts them, first ascending and last
** descending; l, f: NULLs last ascending, first descending). */
static int compare_rows(const void *ctx, int x, int y) {
  const RankWalk *w = ctx;
  int c = compare_partition(w, x, y);
  if (c) return c;
  const TlOrderValue *a = &w->value[x * w->nValue], *b = &w->value[y * w->nValue];
  for (int i = w->nPartition; i < w->nValue; i++) {
    char how = w->order[i - w->nPartition];
    int na = a[i].type == SQLITE_NULL, nb = b[i].type == SQLITE_NULL;
    if ((how == 'l' || how == 'f') && na != nb) return how == 'l' ? na - nb : nb - na;
    c = tl_order_compare(w->bytes.z, &a[i], &b[i]);
    if (c) return how == 'd' || how == 'f' ? -c : c;
  }
  return 0;
}

/* w->sorted: the row numbers in rank order. Stable: rows equal in every
** term stay in read order, as they would in SQLite's sort of them. */
static int sort_rows(RankWalk *w) {
  w->sorted = sqlite3_malloc64((sqlite3_uint64)(w->nRow ? w->nRow : 1) * sizeof *w->sorted);
  if (!w->sorted) return SQLITE_NOMEM;
  for (int i = 0; i < (int)w->nRow; i++) w->sorted[i] = i;
  return tl_order_sort(w->sorted, (int)w->nRow, compare_rows, w);
}

/* Room for one more row and its values. */
static int grow(RankWalk *w) {
  if (w->nRow < w->nRowAlloc) return SQLITE_OK;
  if (w->nRowAlloc >= 0x40000000) return SQLITE_TOOBIG; /* row numbers are ints */
  sqlite3_int64 n = w->nRowAlloc ? 2 * w->nRowAlloc : 256;
  RankRow *row = sqlite3_realloc64(w->row, (sqlite3_uint64)n * sizeof *row);
  if (!row) return SQLITE_NOMEM;
  w->row = row;
  TlOrderValue *value =
      sqlite3_realloc64(w->value, (sqlite3_uint64)(n * w->nValue) * sizeof *value);
  if (!value) return SQLITE_NOMEM;
  w->value = value;
  w->nRowAlloc = n;
  return SQLITE_OK;
}

/* Column col of the current row into v (a column's value lasts only until
** the next step). Read through its sqlite3_value, whose calls, unlike the
** sqlite3_column_* ones, take no mutex each: an unprotected value, safe here
** since the build's own statement holds the connection's mutex throughout. */
static int read_value(RankWalk *w, int col, TlOrderValue *v) {
  return tl_order_copy(sqlite3_column_value(w->rows, col), v, &w->bytes);
}

/* Every row of the query, its rid and values copied. */
static int read_rows(RankWalk *w, char **pzErr) {
  int rc, step;
  while ((step = sqlite3_step(w->rows)) == SQLITE_ROW) {
    if (sqlite3_column_type(w->rows, 0) != SQLITE_INTEGER) {
      *pzErr = sqlite3_mprintf("the rank query's first column (rid) is not a rowid");
      return *pzErr ? SQLITE_ERROR : SQLITE_NOMEM;
    }
    if ((rc = grow(w)) != SQLITE_OK) return rc;
    TlOrderValue *v = &w->value[w->nRow * w->nValue];
    for (int i = 0; i < w->nValue; i++)
      if ((rc = read_value(w, i + 1, &v[i])) != SQLITE_OK) return rc;
    w->row[w->nRow++].rid = sqlite3_column_int64(w->rows, 0);
  }
  return step == SQLITE_DONE ? SQLITE_OK : step;
}

/* The places of the partition at sorted[start, end), as rank-order rows
** into out (the rids still in w->row). */
static void place_partition(const RankWalk *w, sqlite3_int64 start, sqlite3_int64 end,
                            RankRow *out) {
  sqlite3_int64 size = end - start;
  for (sqlite3_int64 i = start; i < end; i++) {
    RankRow *r = &out[i];
    r->rid = w->row[w->sorted[i]].rid;
    r->place = i - start + 1;
    r->size = size;
    r->first_rid = w->row[w->sorted[start]].rid;
    r->second_rid = size > 1 ? w->row[w->sorted[start + 1]].rid : 0;
    r->next_rid = i + 1 < end ? w->row[w->sorted[i + 1]].rid : 0;
  }
}

/* The walk over the sorted rows: a partition ends where the next row's
** partition values differ. w->row then holds the rank table's rows. */
static int place_rows(RankWalk *w) {
  RankRow *out = sqlite3_malloc64((sqlite3_uint64)(w->nRow ? w->nRow : 1) * sizeof *out);
  if (!out) return SQLITE_NOMEM;
  sqlite3_int64 start = 0;
  for (sqlite3_int64 i = 1; i <= w->nRow; i++) {
    if (i < w->nRow && compare_partition(w, w->sorted[i - 1], w->sorted[i]) == 0) continue;
    place_partition(w, start, i, out);
    start = i;
  }
  sqlite3_free(w->row);
  w->row = out;
  w->nRowAlloc = w->nRow;
  return SQLITE_OK;
}

static int by_rid(const void *a, const void *b) {
  sqlite3_int64 x = ((const RankRow *)a)->rid, y = ((const RankRow *)b)->rid;
  return (x > y) - (x < y);
}

/* Rows inserted by one step of RankWalk.insert: a step's own work (its
** reset, the statement's halt) costs about as much as one row's insert. */
#define RANK_BATCH 32

/* Rows r[0, n) into the rank table by one step of insert. */
static int insert_rows(sqlite3_stmt *insert, const RankRow *r, int n) {
  for (int j = 0; j < n; j++) {
    int at = 6 * j;
    sqlite3_bind_int64(insert, at + 1, r[j].rid);
    sqlite3_bind_int64(insert, at + 2, r[j].place);
    sqlite3_bind_int64(insert, at + 3, r[j].size);
    sqlite3_bind_int64(insert, at + 4, r[j].first_rid);
    if (r[j].size > 1) sqlite3_bind_int64(insert, at + 5, r[j].second_rid);
    else sqlite3_bind_null(insert, at + 5);
    if (r[j].place < r[j].size) sqlite3_bind_int64(insert, at + 6, r[j].next_rid);
    else sqlite3_bind_null(insert, at + 6);
  }
  sqlite3_step(insert);
  return sqlite3_reset(insert);
}

/* Every row into the rank table in rid order: each insert then lands after
** the last one, where SQLite's b-tree needs no search (in rank order, 57 M
** more instructions over the real sources). */
static int write_rows(RankWalk *w) {
  /* (no row: w->row may be NULL, which qsort may not be given) */
  if (w->nRow > 1) qsort(w->row, (size_t)w->nRow, sizeof *w->row, by_rid);
  sqlite3_int64 i = 0;
  int rc = SQLITE_OK;
  for (; rc == SQLITE_OK && w->nRow - i >= RANK_BATCH; i += RANK_BATCH)
    rc = insert_rows(w->insert, &w->row[i], RANK_BATCH);
  for (; rc == SQLITE_OK && i < w->nRow; i++) rc = insert_rows(w->insert_one, &w->row[i], 1);
  return rc;
}

static int rank(RankWalk *w, char **pzErr) {
  int rc = read_rows(w, pzErr);
  if (rc == SQLITE_OK) rc = sort_rows(w);
  if (rc == SQLITE_OK) rc = place_rows(w);
  if (rc == SQLITE_OK) rc = write_rows(w);
  return rc;
}

int tl_build_rank(sqlite3 *db, const char *zTable, const char *zRows, int nPartition,
                  const char *zOrder, char **pzErr) {
  RankWalk w;
  memset(&w, 0, sizeof w);
  *pzErr = NULL;
  w.nPartition = nPartition;
  w.order = zOrder;
  char *create = sqlite3_mprintf("CREATE TEMP TABLE \"%w\"(rid INTEGER PRIMARY KEY,"
                                 " place INTEGER, size INTEGER, first_rid INTEGER,"
                                 " second_rid INTEGER, next_rid INTEGER)", zTable);
  sqlite3_str *values = sqlite3_str_new(db);
  for (int j = 0; j < RANK_BATCH; j++)
    sqlite3_str_appendall(values, j ? ",(?,?,?,?,?,?)" : "(?,?,?,?,?,?)");
  char *rows = sqlite3_str_finish(values); /* NULL on any append's out-of-memory */
  /* (printed as "" by %s, rows NULL would make an INSERT without VALUES:
  ** "incomplete input" where the failure was out of memory) */
  char *insert = rows ? sqlite3_mprintf("INSERT INTO temp.\"%w\" VALUES%s", zTable, rows) : NULL;
  char *insert_one = sqlite3_mprintf("INSERT INTO temp.\"%w\" VALUES(?,?,?,?,?,?)", zTable);
  sqlite3_free(rows);
  int rc = create && insert && insert_one ? SQLITE_OK : SQLITE_NOMEM;
  if (rc == SQLITE_OK) rc = sqlite3_exec(db, create, NULL, NULL, NULL);
  if (rc == SQLITE_OK) rc = sqlite3_prepare_v2(db, insert, -1, &w.insert, NULL);
  if (rc == SQLITE_OK) rc = sqlite3_prepare_v2(db, insert_one, -1, &w.insert_one, NULL);
  if (rc == SQLITE_OK) rc = sqlite3_prepare_v2(db, zRows, -1, &w.rows, NULL);
  w.nValue = nPartition + (int)strlen(zOrder);
  if (rc == SQLITE_OK && (nPartition < 1 || sqlite3_column_count(w.rows) != 1 + w.nValue)) {
    *pzErr = sqlite3_mprintf("the rank query has %d columns: expected rid, %d partition values"
                             " and %d order terms", sqlite3_column_count(w.rows), nPartition,
                             (int)strlen(zOrder));
    rc = *pzErr ? SQLITE_ERROR : SQLITE_NOMEM;
  }
  if (rc == SQLITE_OK) rc = rank(&w, pzErr);
  /* the connection's message, taken before finalizing can replace it */
  if (rc != SQLITE_OK && rc != SQLITE_NOMEM && !*pzErr) {
    *pzErr = sqlite3_mprintf("%s", sqlite3_errmsg(db));
    if (!*pzErr) rc = SQLITE_NOMEM;
  }
  sqlite3_finalize(w.rows);
  sqlite3_finalize(w.insert);
  sqlite3_finalize(w.insert_one);
  sqlite3_free(w.value);
  tl_order_bytes_free(&w.bytes);
  sqlite3_free(w.row);
  sqlite3_free(w.sorted);
  sqlite3_free(create);
  sqlite3_free(insert);
  sqlite3_free(insert_one);
  return rc;
}
