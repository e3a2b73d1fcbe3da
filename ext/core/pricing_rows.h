/*
** Decoded pricing rows in memory: the row set a file decodes into, the
** per-connection cache of decoded files, and the sorted indexes that make
** `raw_model = ?` and `raw_provider = ?` binary searches. Core code (no
** SQLite); vtab/pricing.c and vtab/pricing_files.c are the SQL face.
**
** HOW IT WORKS. A PricingRowSet is fed by one PricingSource, one entry per
** pricing_rows_next(): a cached file keeps every row (keep = 1), a stream
** keeps only the last entry's rows (keep = 0), so its memory stays at one
** entry. Either way the set counts the entries read, the entries that gave
** rows (models), the rows decoded and the entries skipped, with a JSON
** array of {key, reason} for the skipped ones. Every string of a kept row
** is copied into the set's arena: a decoder's strings die with its entry.
** Out of memory while keeping a row fails the entry rather than leaving a
** NULL in place of a value.
**
** A file is decoded once per connection while its identity (device, inode,
** size, modification and change times: ext/core/tl_file.h) stays the same, so a
** file replaced by one of equal size and mtime is read again. The cache
** keeps the last PRICING_CACHE_FILES files of up to PRICING_CACHE_MAX_BYTES
** each, keyed by path, format as asked ("auto" and NULL alike) and that
** identity; a file decoded without `extra` is decoded again when a query
** wants it. A larger file is not cached: the caller streams it. The first
** lookup by raw_model or raw_provider sorts an index of row numbers by that
** column (NULL first, then bytewise, ties in row order); a plain scan never
** pays for it. Cached files are reference-counted: the cache's slot holds one
** reference and each reader another, so replacing or evicting a file that a
** reader still holds only detaches it, and the last release frees it. (Calls
** on one connection are serialized by SQLite, so the counts need no lock.)
** The slot refilled is an empty one, else the least recently used.
*/
#ifndef TOKENLEDGER_PRICING_ROWS_H
#define TOKENLEDGER_PRICING_ROWS_H

#include "json.h"
#include "pricing.h"
#include "tl_file.h"

#define PRICING_CACHE_FILES 8
#define PRICING_CACHE_MAX_BYTES (64LL * 1024 * 1024)

/* A decoded row and the 1-based position of its entry in the file. */
typedef struct PricingStoredRow {
  PriceRow price;
  long long entry;
} PricingStoredRow;

typedef struct PricingRowSet {
  PricingEmitter em; /* first: the emitter's callbacks find the set from it */
  PricingStoredRow *rows;
  int n, cap;
  JsonArena strings;   /* the kept rows' strings */
  long long entries;   /* entries read (decoded or skipped) */
  long long models;    /* entries that gave at least one row */
  long long rows_read; /* rows decoded, kept or not */
  long long skipped;   /* entries that are not models */
  JsonBuf skipped_detail; /* "[{key, reason}, ...]" once read to the end; empty: none */
  const char *format;  /* the format read (a static name) */
  TlFileId id;         /* the version of the file read */
  /* while reading */
  PricingSource *source;
  JsonArena scratch;
  int keep; /* 1: rows accumulate; 0: each entry's rows replace the last's */
} PricingRowSet;

/* Which column an index sorts by. */
typedef enum PricingKey { PRICING_BY_PROVIDER, PRICING_BY_MODEL } PricingKey;

/* A zeroed set for rows added by hand (pricing_rows_add), keeping them. */
void pricing_rows_init(PricingRowSet *set);
/* Frees everything the set holds, closing its source; the set is then zeroed. */
void pricing_rows_clear(PricingRowSet *set);
/* Keeps a copy of row (and of its strings) as a row of entry. 0, or -1 when
** memory ran out (the row is then not kept). */
int pricing_rows_add(PricingRowSet *set, long long entry, const PriceRow *row);
/* Counts an entry that is not a model and adds {key, reason} to the detail.
** 0, or -1 when memory ran out. */
int pricing_rows_skip(PricingRowSet *set, const char *key, const char *reason);

/* A zeroed set reading path (format NULL or "auto": detected); extra is
** serialized only when want_extra is set. 0, or -1 with *err as
** pricing_source_open says (tl_malloc'd; NULL when memory ran out). */
int pricing_rows_open(PricingRowSet *set, const char *path, const char *format, int want_extra,
                      int keep, char **err);
/* Reads the next entry into the set. 1 (an entry was read), 0 (no more: the
** source is closed and the skip detail complete), -1 (*err as
** pricing_source_next says; NULL when memory ran out). */
int pricing_rows_next(PricingRowSet *set, char **err);
/* Reads every remaining entry: pricing_rows_next until it returns 0 or -1,
** which this returns. */
int pricing_rows_read_all(PricingRowSet *set, char **err);

/* 1 when row's raw_model is model and its raw_provider is provider (either
** NULL: any); bytewise. */
int pricing_row_matches(const PriceRow *row, const char *model, const char *provider);
/* Row numbers 0..set->n-1 ordered by key: NULL first, then bytewise (SQL's
** BINARY collation), equal keys in row order. tl_malloc'd; NULL out of
** memory. */
int *pricing_rows_sort(const PricingRowSet *set, PricingKey key);
/* The range [*lo, *hi) of order (from pricing_rows_sort) whose key is want
** (not NULL). */
void pricing_rows_equal_range(const PricingRowSet *set, const int *order, PricingKey key,
                              const char *want, int *lo, int *hi);

/* One decoded file, shared by the cache and its readers. */
typedef struct PricingCachedFile {
  int refs; /* the cache's slot (while in it) + each reader */
  char *path;
  char *format_arg; /* as asked: NULL or "auto" for detection */
  int has_extra;    /* decoded with extra (else every extra is NULL) */
  unsigned long long last_used;
  PricingRowSet set;
  int *index[2]; /* by PricingKey: row numbers sorted, built on first use */
} PricingCachedFile;

typedef struct PricingCache {
  PricingCachedFile *slot[PRICING_CACHE_FILES]; /* NULL: empty */
  unsigned long long clock;
  long long max_bytes; /* larger files are streamed */
} PricingCache;

#define PRICING_CACHE_OK 0
#define PRICING_CACHE_STREAM 1 /* the file is too large to cache */
#define PRICING_CACHE_ERROR 2

/* An empty cache for files up to PRICING_CACHE_MAX_BYTES. */
void pricing_cache_init(PricingCache *cache);
/* The decode of path in *out with a reference for the caller (release it
** with pricing_cached_release), decoded again if the file's identity changed
** or if it was decoded without extra and want_extra asks for it.
** PRICING_CACHE_STREAM when the file is too large to cache;
** PRICING_CACHE_ERROR with *err ("cannot open 'FILE': why", or
** pricing_source's messages; tl_malloc'd, NULL when memory ran out). */
int pricing_cache_get(PricingCache *cache, const char *path, const char *format, int want_extra,
                      PricingCachedFile **out, char **err);
/* Drops one reference; the last frees the file. NULL is ignored. */
void pricing_cached_release(PricingCachedFile *f);
/* The index of f by key, sorted on the first call. NULL out of memory. */
const int *pricing_cached_index(PricingCachedFile *f, PricingKey key);
/* Empties every slot (readers still holding a file keep it). */
void pricing_cache_clear(PricingCache *cache);

#endif
