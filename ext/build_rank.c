/*
** The ranking windows of the build, in C (sql/gen_sql.py, `-- @build-rank`).
**
** A SQLite window over many small partitions is slow: it copies every value
** it reads into a buffer of its own, and resets that buffer (a b-tree, whose
** pages a SECURE_DELETE build zeroes) once per partition, so a ranking over
** 16,000 rows in 15,000 partitions costs several times the sort under it.
** Here SQLite sorts narrow rows once (rid, the partition's values, ordered by
** partition then by the window's own ORDER BY, which gen_sql.py takes from
** the view's WINDOW clause), and one walk over them finds each partition's
** rows: consecutive rows whose partition values are equal. Each row gets its
** place, the partition's size, the rids at places 1 and 2 and the rid after
** it, written into a TEMP table keyed by rid that the stage's build form
** joins (row_number, count, first_value, nth_value(x, 2) and lead).
*/
#include "build_rank.h"

#include <stdlib.h>
#include <string.h>

SQLITE_EXTENSION_INIT3

/* A partition value of the current partition, copied from its first row
** (a column's value lasts only until the next step): text and blobs into
** RankWalk.bytes, one buffer for all, so that a partition costs no
** allocation. */
typedef struct RankKey {
  int type;
  sqlite3_int64 i;
  double r;
  sqlite3_int64 offset; /* of the bytes in RankWalk.bytes */
  int n;
} RankKey;

/* A row of the rank table. */
typedef struct RankRow {
  sqlite3_int64 rid, place, size, first_rid;
  sqlite3_int64 second_rid; /* when size > 1 */
  sqlite3_int64 next_rid;   /* when place < size */
} RankRow;

typedef struct RankWalk {
  sqlite3_stmt *sorted; /* rid, then the partition's values */
  sqlite3_stmt *insert; /* into the rank table, reused for every row */
  int nKey;             /* partition values per row */
  RankKey *key;         /* the current partition's values */
  char *bytes;          /* their text and blobs */
  sqlite3_int64 nBytesAlloc;
  RankRow *row;         /* every sorted row, in rank order */
  sqlite3_int64 nRow, nRowAlloc;
  sqlite3_int64 start;  /* the current partition's first row */
} RankWalk;

/* An integer and a real are equal only when the real is that integer
** exactly (a double cannot hold every 64-bit integer, so both ways, the real
** first checked to be in the integers' range). */
static int int_is_real(sqlite3_int64 i, double r) {
  if (!(r >= -9223372036854775808.0 && r < 9223372036854775808.0)) return 0;
  return (sqlite3_int64)r == i && (double)i == r;
}

/* Whether column col of the current row is key: the same partition as
** SQLite's PARTITION BY has it. NULL equals NULL, integers and reals compare
** by numeric value, text and blobs byte by byte (the BINARY collation;
** ledger.sql's partitions use no other). */
static int same_as_key(const RankWalk *w, const RankKey *key, int col) {
  sqlite3_stmt *s = w->sorted;
  int type = sqlite3_column_type(s, col);
  if (key->type == SQLITE_INTEGER || key->type == SQLITE_FLOAT) {
    if (type == SQLITE_INTEGER)
      return key->type == SQLITE_INTEGER ? sqlite3_column_int64(s, col) == key->i
                                         : int_is_real(sqlite3_column_int64(s, col), key->r);
    if (type == SQLITE_FLOAT)
      return key->type == SQLITE_FLOAT ? sqlite3_column_double(s, col) == key->r
                                       : int_is_real(key->i, sqlite3_column_double(s, col));
    return 0;
  }
  if (type != key->type) return 0;
  if (type == SQLITE_NULL) return 1;
  const void *p = type == SQLITE_TEXT ? (const void *)sqlite3_column_text(s, col)
                                      : sqlite3_column_blob(s, col);
  int n = sqlite3_column_bytes(s, col);
  return n == key->n && (n == 0 || (p && memcmp(p, w->bytes + key->offset, (size_t)n) == 0));
}

/* 1 when the sorted query's current row is in the current partition. */
static int in_partition(const RankWalk *w) {
  for (int i = 0; i < w->nKey; i++)
    if (!same_as_key(w, &w->key[i], i + 1)) return 0;
  return 1;
}

/* The current row's partition values become the current partition's. */
static int start_partition(RankWalk *w) {
  sqlite3_int64 used = 0;
  for (int i = 0; i < w->nKey; i++) {
    RankKey *key = &w->key[i];
    key->type = sqlite3_column_type(w->sorted, i + 1);
    if (key->type == SQLITE_INTEGER) key->i = sqlite3_column_int64(w->sorted, i + 1);
    else if (key->type == SQLITE_FLOAT) key->r = sqlite3_column_double(w->sorted, i + 1);
    if (key->type != SQLITE_TEXT && key->type != SQLITE_BLOB) continue;
    const void *p = key->type == SQLITE_TEXT ? (const void *)sqlite3_column_text(w->sorted, i + 1)
                                             : sqlite3_column_blob(w->sorted, i + 1);
    key->n = sqlite3_column_bytes(w->sorted, i + 1);
    if (key->n > 0 && !p) return SQLITE_NOMEM;
    if (used + key->n > w->nBytesAlloc) {
      sqlite3_int64 size = 2 * (used + key->n) + 256;
      char *grown = sqlite3_realloc64(w->bytes, (sqlite3_uint64)size);
      if (!grown) return SQLITE_NOMEM;
      w->bytes = grown;
      w->nBytesAlloc = size;
    }
    if (key->n > 0) memcpy(w->bytes + used, p, (size_t)key->n);
    key->offset = used;
    used += key->n;
  }
  return SQLITE_OK;
}

static int add_row(RankWalk *w, sqlite3_int64 rid) {
  if (w->nRow == w->nRowAlloc) {
    sqlite3_int64 n = w->nRowAlloc ? 2 * w->nRowAlloc : 256;
    RankRow *grown = sqlite3_realloc64(w->row, (sqlite3_uint64)n * sizeof *grown);
    if (!grown) return SQLITE_NOMEM;
    w->row = grown;
    w->nRowAlloc = n;
  }
  w->row[w->nRow++].rid = rid;
  return SQLITE_OK;
}

/* The rows of the partition just ended get their places: only now is its
** size known. */
static void end_partition(RankWalk *w) {
  sqlite3_int64 size = w->nRow - w->start;
  for (sqlite3_int64 i = w->start; i < w->nRow; i++) {
    RankRow *r = &w->row[i];
    r->place = i - w->start + 1;
    r->size = size;
    r->first_rid = w->row[w->start].rid;
    r->second_rid = size > 1 ? w->row[w->start + 1].rid : 0;
    r->next_rid = i + 1 < w->nRow ? w->row[i + 1].rid : 0;
  }
  w->start = w->nRow;
}

static int by_rid(const void *a, const void *b) {
  sqlite3_int64 x = ((const RankRow *)a)->rid, y = ((const RankRow *)b)->rid;
  return (x > y) - (x < y);
}

/* Every row into the rank table in rid order: each insert then lands after
** the last one, where SQLite's b-tree needs no search (in rank order, 57 M
** more instructions over the real sources). */
static int write_rows(RankWalk *w) {
  /* (no row: w->row is NULL, which qsort may not be given) */
  if (w->nRow > 1) qsort(w->row, (size_t)w->nRow, sizeof *w->row, by_rid);
  for (sqlite3_int64 i = 0; i < w->nRow; i++) {
    const RankRow *r = &w->row[i];
    sqlite3_bind_int64(w->insert, 1, r->rid);
    sqlite3_bind_int64(w->insert, 2, r->place);
    sqlite3_bind_int64(w->insert, 3, r->size);
    sqlite3_bind_int64(w->insert, 4, r->first_rid);
    if (r->size > 1) sqlite3_bind_int64(w->insert, 5, r->second_rid);
    else sqlite3_bind_null(w->insert, 5);
    if (r->place < r->size) sqlite3_bind_int64(w->insert, 6, r->next_rid);
    else sqlite3_bind_null(w->insert, 6);
    sqlite3_step(w->insert);
    int rc = sqlite3_reset(w->insert);
    if (rc != SQLITE_OK) return rc;
  }
  return SQLITE_OK;
}

/* The walk: every sorted row into its partition, the places of each
** partition set when the next one starts and after the last row. */
static int walk(RankWalk *w, char **pzErr) {
  int rc, step;
  while ((step = sqlite3_step(w->sorted)) == SQLITE_ROW) {
    if (sqlite3_column_type(w->sorted, 0) != SQLITE_INTEGER) {
      *pzErr = sqlite3_mprintf("the rank query's first column (rid) is not a rowid");
      return *pzErr ? SQLITE_ERROR : SQLITE_NOMEM;
    }
    if (w->nRow == 0 || !in_partition(w)) {
      end_partition(w);
      if ((rc = start_partition(w)) != SQLITE_OK) return rc;
    }
    if ((rc = add_row(w, sqlite3_column_int64(w->sorted, 0))) != SQLITE_OK) return rc;
  }
  if (step != SQLITE_DONE) return step;
  end_partition(w);
  return write_rows(w);
}

int tl_build_rank(sqlite3 *db, const char *zTable, const char *zSorted, char **pzErr) {
  RankWalk w;
  memset(&w, 0, sizeof w);
  *pzErr = NULL;
  char *create = sqlite3_mprintf("CREATE TEMP TABLE \"%w\"(rid INTEGER PRIMARY KEY,"
                                 " place INTEGER, size INTEGER, first_rid INTEGER,"
                                 " second_rid INTEGER, next_rid INTEGER)", zTable);
  char *insert = sqlite3_mprintf("INSERT INTO temp.\"%w\" VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
                                 zTable);
  int rc = create && insert ? SQLITE_OK : SQLITE_NOMEM;
  if (rc == SQLITE_OK) rc = sqlite3_exec(db, create, NULL, NULL, NULL);
  if (rc == SQLITE_OK) rc = sqlite3_prepare_v2(db, insert, -1, &w.insert, NULL);
  if (rc == SQLITE_OK) rc = sqlite3_prepare_v2(db, zSorted, -1, &w.sorted, NULL);
  if (rc == SQLITE_OK && (w.nKey = sqlite3_column_count(w.sorted) - 1) < 1) {
    *pzErr = sqlite3_mprintf("the rank query has no partition columns after rid");
    rc = *pzErr ? SQLITE_ERROR : SQLITE_NOMEM;
  }
  if (rc == SQLITE_OK) {
    w.key = sqlite3_malloc64(sizeof *w.key * (sqlite3_uint64)w.nKey);
    if (!w.key) rc = SQLITE_NOMEM;
  }
  if (rc == SQLITE_OK) rc = walk(&w, pzErr);
  /* the connection's message, taken before finalizing can replace it */
  if (rc != SQLITE_OK && rc != SQLITE_NOMEM && !*pzErr) {
    *pzErr = sqlite3_mprintf("%s", sqlite3_errmsg(db));
    if (!*pzErr) rc = SQLITE_NOMEM;
  }
  sqlite3_finalize(w.sorted);
  sqlite3_finalize(w.insert);
  sqlite3_free(w.key);
  sqlite3_free(w.bytes);
  sqlite3_free(w.row);
  sqlite3_free(create);
  sqlite3_free(insert);
  return rc;
}
