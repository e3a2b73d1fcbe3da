/*
** The canonicalizer of one connection: the built-in index and a cache of
** answers, shared by every SQL function and virtual table that resolves
** names (canonical_model, model_creator, resolve_model). Plain C, no SQLite.
**
**   TlCanonShared *cs = tl_canon_shared_new(err, sizeof err);
**   TlCanon c;
**   tl_canon_cache_resolve(cs->cache, cs->ix, "openai/gpt-4o", 13, NULL, 0, NULL, &c);
**   ...
**   tl_canon_shared_unref(cs);   (by its last holder)
**
** Names repeat heavily in usage logs, so answers are cached: an
** open-addressing hash table keyed by (raw, provider or NULL) of at most
** max_entries answers (half its slots). When full it is emptied and
** refilled, so memory stays bounded (about 4.5 MB for 16,384 names).
** Each answer is kept packed (tl_canon_size bytes, not the 1.4 kB of a
** TlCanon), and a hit is copied into the caller's TlCanon: no pointer into
** the cache ever escapes, so emptying it cannot pull an answer from under
** a cursor that holds one. Not thread-safe: SQLite serializes the calls on
** one connection, and each connection has its own.
*/
#ifndef TOKENLEDGER_CANONICAL_CACHE_H
#define TOKENLEDGER_CANONICAL_CACHE_H

#include <stddef.h>

#include "canonical.h"

/* The answers a connection keeps: a working set of this many names. The real
** price lists of ../shared/data hold 9,498 distinct (name, provider) pairs:
** at 8,192 the cache was emptied during every build, and a warm query of
** model_prices' rows resolved 6x slower (68 ms against 11 ms). */
#define TL_CANON_CACHE_MAX 16384

typedef struct TlCanonCache TlCanonCache;

/* A cache of at most max_entries answers (at least 1). Its table is
** allocated on first use. NULL on out-of-memory. */
TlCanonCache *tl_canon_cache_new(size_t max_entries);
void tl_canon_cache_free(TlCanonCache *cache);

/* tl_canon_resolve(ix, raw, n, provider, pn, NULL, as_of, out) through the
** cache, which holds answers without a date: a floating alias's answer is
** resolved again on as_of. Names or providers longer than TL_CANON_MAX_NAME
** bypass it; out of memory only means no caching. When out->model_is_raw,
** out->model is raw. */
void tl_canon_cache_resolve(TlCanonCache *cache, const TlCanonIndex *ix, const char *raw,
                            size_t n, const char *provider, size_t pn, const char *as_of,
                            TlCanon *out);

/* The answers held, and the lookups answered from the cache so far (for
** tests). */
size_t tl_canon_cache_count(const TlCanonCache *cache);
size_t tl_canon_cache_hits(const TlCanonCache *cache);

/* What a connection shares: built once, by the first register function,
** then one reference per SQL function or module registered with it. */
typedef struct TlCanonShared {
  TlCanonIndex *ix;
  TlCanonCache *cache;
  int refs;
} TlCanonShared;

/* A shared canonicalizer with one reference. NULL with err filled when the
** index cannot be built (out of memory, or a vocabulary that contradicts
** itself) or on out-of-memory ("out of memory"). */
TlCanonShared *tl_canon_shared_new(char *err, size_t errlen);
/* One more reference to cs; returns cs. */
TlCanonShared *tl_canon_shared_ref(TlCanonShared *cs);
/* Drop one reference (a TlCanonShared *; void * so that it can be SQLite's
** destructor); the last frees everything. */
void tl_canon_shared_unref(void *cs);

#endif
