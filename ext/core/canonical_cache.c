/*
** The answer cache and the shared canonicalizer of one connection
** (ext/core/canonical_cache.h says what they are for).
**
** HOW IT WORKS: an entry is one allocation: its key (raw, NUL, provider,
** NUL) and, after it at pointer alignment, the answer as tl_canon_copy
** leaves it in tl_canon_size bytes (the fields, then only the used part of
** buf, its strings rebased onto it). A lookup hashes the key (FNV-1a) and
** probes linearly; the table has twice the slots of the entries it may
** hold, so probes stay short, and it is emptied rather than grown.
*/
#include "canonical_cache.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "tl_alloc.h"

typedef struct CacheEntry {
  uint64_t hash;
  size_t raw_len, provider_len;
  int has_provider;
  size_t answer_at; /* offset of the packed answer in data */
  alignas(TlCanon) char data[]; /* key, then the answer at answer_at */
} CacheEntry;

struct TlCanonCache {
  CacheEntry **slots; /* open addressing, linear probing; NULL until first use */
  size_t nslot;       /* a power of two, at least 2 * max */
  size_t max, used, hits;
};

TlCanonCache *tl_canon_cache_new(size_t max_entries) {
  TlCanonCache *cache = tl_malloc(sizeof *cache);
  if (!cache) return NULL;
  memset(cache, 0, sizeof *cache);
  cache->max = max_entries ? max_entries : 1;
  cache->nslot = 2;
  while (cache->nslot < 2 * cache->max) cache->nslot *= 2;
  return cache;
}

static void cache_clear(TlCanonCache *cache) {
  for (size_t i = 0; i < cache->nslot; i++) {
    tl_free(cache->slots[i]);
    cache->slots[i] = NULL;
  }
  cache->used = 0;
}

void tl_canon_cache_free(TlCanonCache *cache) {
  if (!cache) return;
  if (cache->slots) {
    cache_clear(cache);
    tl_free(cache->slots);
  }
  tl_free(cache);
}

size_t tl_canon_cache_count(const TlCanonCache *cache) { return cache->used; }

size_t tl_canon_cache_hits(const TlCanonCache *cache) { return cache->hits; }

static uint64_t fnv1a(uint64_t h, const void *p, size_t n) {
  const unsigned char *s = p;
  for (size_t i = 0; i < n; i++) h = (h ^ s[i]) * 1099511628211ULL;
  return h;
}

/* The hash of (raw, provider); "\1" stands for no provider, so that NULL
** and "" differ. */
static uint64_t key_hash(const char *raw, size_t n, const char *prov, size_t pn) {
  return fnv1a(fnv1a(14695981039346656037ULL, raw, n), prov ? prov : "\1", prov ? pn : 1);
}

static int entry_matches(const CacheEntry *e, uint64_t hash, const char *raw, size_t n,
                         const char *prov, size_t pn) {
  return e->hash == hash && e->raw_len == n && e->has_provider == (prov != NULL) &&
         e->provider_len == pn && memcmp(e->data, raw, n) == 0 &&
         (!prov || memcmp(e->data + n + 1, prov, pn) == 0);
}

/* The slot of (raw, provider): its entry, or the empty slot where it
** belongs. NULL when the table cannot be allocated (no caching then). */
static CacheEntry **cache_slot(TlCanonCache *cache, uint64_t h, const char *raw, size_t n,
                               const char *prov, size_t pn) {
  if (!cache->slots) {
    cache->slots = tl_malloc(cache->nslot * sizeof *cache->slots);
    if (!cache->slots) return NULL;
    memset(cache->slots, 0, cache->nslot * sizeof *cache->slots);
  }
  size_t mask = cache->nslot - 1, i = h & mask;
  while (cache->slots[i] && !entry_matches(cache->slots[i], h, raw, n, prov, pn))
    i = (i + 1) & mask;
  return &cache->slots[i];
}

static const TlCanon *entry_answer(const CacheEntry *e) {
  return (const TlCanon *)(const void *)(e->data + e->answer_at);
}

/* Keep the answer c for (raw, provider) in the empty *slot. */
static void cache_put(TlCanonCache *cache, CacheEntry **slot, uint64_t h, const char *raw,
                      size_t n, const char *prov, size_t pn, const TlCanon *c) {
  if (cache->used >= cache->max) {
    /* full: start over rather than grow (memory stays bounded) */
    cache_clear(cache);
    slot = &cache->slots[h & (cache->nslot - 1)];
  }
  size_t align = alignof(TlCanon);
  size_t at = (n + 1 + pn + 1 + align - 1) / align * align;
  CacheEntry *e = tl_malloc(sizeof *e + at + tl_canon_size(c));
  if (!e) return;
  e->hash = h;
  e->raw_len = n;
  e->provider_len = pn;
  e->has_provider = prov != NULL;
  e->answer_at = at;
  memcpy(e->data, raw, n);
  e->data[n] = 0;
  if (prov) memcpy(e->data + n + 1, prov, pn);
  e->data[n + 1 + pn] = 0;
  tl_canon_copy((TlCanon *)(void *)(e->data + at), c);
  *slot = e;
  cache->used++;
}

void tl_canon_cache_resolve(TlCanonCache *cache, const TlCanonIndex *ix, const char *raw,
                            size_t n, const char *provider, size_t pn, const char *as_of,
                            TlCanon *out) {
  if (n > TL_CANON_MAX_NAME || pn > TL_CANON_MAX_NAME) {
    tl_canon_resolve(ix, raw, n, provider, pn, NULL, as_of, out);
    return;
  }
  uint64_t h = key_hash(raw, n, provider, pn);
  CacheEntry **slot = cache_slot(cache, h, raw, n, provider, pn);
  if (slot && *slot) {
    cache->hits++;
    tl_canon_copy(out, entry_answer(*slot));
    if (out->model_is_raw) out->model = raw;
  } else {
    tl_canon_resolve(ix, raw, n, provider, pn, NULL, NULL, out);
    if (slot) cache_put(cache, slot, h, raw, n, provider, pn, out);
  }
  if (as_of && out->floating) tl_canon_resolve(ix, raw, n, provider, pn, NULL, as_of, out);
}

TlCanonShared *tl_canon_shared_new(char *err, size_t errlen) {
  TlCanonShared *cs = tl_malloc(sizeof *cs);
  if (!cs) {
    snprintf(err, errlen, "canonical: out of memory");
    return NULL;
  }
  cs->refs = 1;
  cs->cache = tl_canon_cache_new(TL_CANON_CACHE_MAX);
  cs->ix = cs->cache ? tl_canon_index_new(err, errlen) : NULL;
  if (!cs->ix) {
    if (!cs->cache) snprintf(err, errlen, "canonical: out of memory");
    tl_canon_cache_free(cs->cache);
    tl_free(cs);
    return NULL;
  }
  return cs;
}

TlCanonShared *tl_canon_shared_ref(TlCanonShared *cs) {
  cs->refs++;
  return cs;
}

void tl_canon_shared_unref(void *p) {
  TlCanonShared *cs = p;
  if (--cs->refs > 0) return;
  tl_canon_index_free(cs->ix);
  tl_canon_cache_free(cs->cache);
  tl_free(cs);
}
