/*
** Decoded pricing rows in memory and the cache of decoded files. See
** pricing_rows.h.
*/
#include <string.h>

#include "pricing_rows.h"
#include "tl_alloc.h"

/* ------------------------------------------------------------- row sets */

void pricing_rows_init(PricingRowSet *set) {
  memset(set, 0, sizeof *set);
  set->keep = 1;
}

void pricing_rows_clear(PricingRowSet *set) {
  pricing_source_close(set->source);
  tl_free(set->rows);
  json_arena_free(&set->strings);
  json_arena_free(&set->scratch);
  json_buf_free(&set->skipped_detail);
  memset(set, 0, sizeof *set);
}

/* A copy of s in the set's arena; *lost is set when s had a value and the
** copy failed (a NULL then would silently stand for a value). */
static const char *keep_string(PricingRowSet *set, const char *s, int *lost) {
  const char *copy;
  if (!s) return NULL;
  copy = json_arena_strdup(&set->strings, s, strlen(s));
  if (!copy) *lost = 1;
  return copy;
}

int pricing_rows_add(PricingRowSet *set, long long entry, const PriceRow *row) {
  PricingStoredRow *r;
  PriceRow *p;
  int lost = 0;
  if (set->n == set->cap) {
    int cap = set->cap ? set->cap * 2 : 64;
    PricingStoredRow *grown = tl_realloc(set->rows, (size_t)cap * sizeof *grown);
    if (!grown) return -1;
    set->rows = grown;
    set->cap = cap;
  }
  r = &set->rows[set->n];
  p = &r->price;
  *p = *row;
  r->entry = entry;
  p->raw_provider = keep_string(set, row->raw_provider, &lost);
  p->raw_model = keep_string(set, row->raw_model, &lost);
  p->mode = keep_string(set, row->mode, &lost);
  p->currency = keep_string(set, row->currency, &lost);
  p->effective_from = keep_string(set, row->effective_from, &lost);
  p->note = keep_string(set, row->note, &lost);
  p->extra = keep_string(set, row->extra, &lost);
  p->service_tier = keep_string(set, row->service_tier, &lost);
  p->window_start = keep_string(set, row->window_start, &lost);
  p->window_end = keep_string(set, row->window_end, &lost);
  if (lost) return -1;
  set->n++;
  return 0;
}

int pricing_rows_skip(PricingRowSet *set, const char *key, const char *reason) {
  JsonBuf *b = &set->skipped_detail;
  json_buf_append(b, b->len ? "," : "[", 1);
  json_buf_append(b, "{\"key\":", 7);
  json_write_string(b, key ? key : "", key ? strlen(key) : 0);
  json_buf_append(b, ",\"reason\":", 10);
  json_write_string(b, reason, strlen(reason));
  json_buf_append(b, "}", 1);
  set->skipped++;
  return b->oom ? -1 : 0;
}

/* The emitter's callbacks. The entry being decoded is the last one the
** source counted (it counts an entry before decoding it). */
static int emit_row(PricingEmitter *em, const PriceRow *row) {
  PricingRowSet *set = (PricingRowSet *)em;
  if (em->oom) return -1; /* a helper failed: a NULL in row may stand for a value */
  if (pricing_rows_add(set, pricing_source_entries(set->source), row) < 0) return -1;
  set->rows_read++;
  return 0;
}

static int emit_skip(PricingEmitter *em, const char *key, const char *reason) {
  if (em->oom) return -1;
  return pricing_rows_skip((PricingRowSet *)em, key, reason);
}

int pricing_rows_open(PricingRowSet *set, const char *path, const char *format, int want_extra,
                      int keep, char **err) {
  memset(set, 0, sizeof *set);
  set->keep = keep;
  if (!(set->source = pricing_source_open(path, format, err))) return -1;
  set->format = pricing_source_format(set->source)->name;
  set->id = *pricing_source_file_id(set->source);
  set->em.emit = emit_row;
  set->em.skip = emit_skip;
  set->em.scratch = &set->scratch;
  set->em.file = path;
  set->em.skip_extra = !want_extra;
  return 0;
}

/* The end of the entries: the source and scratch go, the detail closes. */
static int finish(PricingRowSet *set) {
  pricing_source_close(set->source);
  set->source = NULL;
  json_arena_free(&set->scratch);
  if (set->skipped_detail.len) json_buf_append(&set->skipped_detail, "]", 1);
  return set->skipped_detail.oom ? -1 : 0;
}

int pricing_rows_next(PricingRowSet *set, char **err) {
  long long rows_before = set->rows_read;
  int rc;
  *err = NULL;
  if (!set->source) return 0;
  if (!set->keep) {
    set->n = 0;
    json_arena_reset(&set->strings);
  }
  rc = pricing_source_next(set->source, &set->em, err);
  if (rc == 1) {
    set->entries = pricing_source_entries(set->source);
    set->models += set->rows_read > rows_before;
  } else if (rc == 0 && finish(set) < 0) {
    rc = -1; /* *err stays NULL: out of memory */
  }
  return rc;
}

int pricing_rows_read_all(PricingRowSet *set, char **err) {
  int rc;
  while ((rc = pricing_rows_next(set, err)) == 1) {
  }
  return rc;
}

/* --------------------------------------------------- sorting and search */

int pricing_row_matches(const PriceRow *row, const char *model, const char *provider) {
  if (model && (!row->raw_model || strcmp(row->raw_model, model))) return 0;
  if (provider && (!row->raw_provider || strcmp(row->raw_provider, provider))) return 0;
  return 1;
}

static const char *row_key(const PricingRowSet *set, int i, PricingKey key) {
  return key == PRICING_BY_MODEL ? set->rows[i].price.raw_model : set->rows[i].price.raw_provider;
}

/* NULL keys first, then bytewise (BINARY collation). */
static int compare_keys(const char *s, const char *t) {
  if (!s || !t) return (s != NULL) - (t != NULL);
  return strcmp(s, t);
}

/* A stable merge sort, bottom-up (qsort would need its key in a global,
** shared across connections, and is not stable). */
int *pricing_rows_sort(const PricingRowSet *set, PricingKey key) {
  size_t n = (size_t)set->n;
  int *order = tl_malloc((n ? n : 1) * sizeof *order);
  int *tmp = tl_malloc((n ? n : 1) * sizeof *tmp);
  if (!order || !tmp) {
    tl_free(order);
    tl_free(tmp);
    return NULL;
  }
  for (size_t i = 0; i < n; i++) order[i] = (int)i;
  for (size_t width = 1; width < n; width *= 2) {
    for (size_t lo = 0; lo < n; lo += 2 * width) {
      size_t mid = lo + width < n ? lo + width : n, hi = lo + 2 * width < n ? lo + 2 * width : n;
      size_t a = lo, b = mid, k = lo;
      while (a < mid && b < hi) {
        int c = compare_keys(row_key(set, order[a], key), row_key(set, order[b], key));
        tmp[k++] = c <= 0 ? order[a++] : order[b++];
      }
      while (a < mid) tmp[k++] = order[a++];
      while (b < hi) tmp[k++] = order[b++];
    }
    memcpy(order, tmp, n * sizeof *order);
  }
  tl_free(tmp);
  return order;
}

void pricing_rows_equal_range(const PricingRowSet *set, const int *order, PricingKey key,
                              const char *want, int *lo, int *hi) {
  int a = 0, b = set->n;
  while (a < b) { /* the first key >= want */
    int mid = a + (b - a) / 2;
    if (compare_keys(row_key(set, order[mid], key), want) < 0) a = mid + 1;
    else b = mid;
  }
  *lo = a;
  b = set->n;
  while (a < b) { /* the first key > want */
    int mid = a + (b - a) / 2;
    if (compare_keys(row_key(set, order[mid], key), want) <= 0) a = mid + 1;
    else b = mid;
  }
  *hi = a;
}

/* ---------------------------------------------------------------- cache */

void pricing_cache_init(PricingCache *cache) {
  memset(cache, 0, sizeof *cache);
  cache->max_bytes = PRICING_CACHE_MAX_BYTES;
}

void pricing_cached_release(PricingCachedFile *f) {
  if (!f || --f->refs > 0) return;
  tl_free(f->path);
  tl_free(f->format_arg);
  tl_free(f->index[PRICING_BY_PROVIDER]);
  tl_free(f->index[PRICING_BY_MODEL]);
  pricing_rows_clear(&f->set);
  tl_free(f);
}

const int *pricing_cached_index(PricingCachedFile *f, PricingKey key) {
  if (!f->index[key]) f->index[key] = pricing_rows_sort(&f->set, key);
  return f->index[key];
}

/* Takes slot i out of the cache; readers still holding its file keep it. */
static void cache_evict(PricingCache *cache, int i) {
  pricing_cached_release(cache->slot[i]);
  cache->slot[i] = NULL;
}

void pricing_cache_clear(PricingCache *cache) {
  for (int i = 0; i < PRICING_CACHE_FILES; i++) cache_evict(cache, i);
}

static int same_format_arg(const char *a, const char *b) {
  if (!a || strcmp(a, "auto") == 0) return !b || strcmp(b, "auto") == 0;
  return b && strcmp(a, b) == 0;
}

/* Decodes the whole file into a new PricingCachedFile (one reference, the
** caller's). NULL with *err on failure. */
static PricingCachedFile *cache_decode(const char *path, const char *format, int want_extra,
                                       char **err) {
  PricingCachedFile *f = tl_malloc(sizeof *f);
  *err = NULL;
  if (!f) return NULL;
  memset(f, 0, sizeof *f);
  f->refs = 1;
  f->has_extra = want_extra;
  if (pricing_rows_open(&f->set, path, format, want_extra, 1, err) < 0 ||
      pricing_rows_read_all(&f->set, err) < 0 || !(f->path = pricing_message("%s", path)) ||
      (format && !(f->format_arg = pricing_message("%s", format)))) {
    pricing_cached_release(f);
    return NULL;
  }
  return f;
}

/* The slot to refill: an empty one, else the least recently used. */
static int cache_victim(const PricingCache *cache) {
  int victim = 0;
  for (int i = 0; i < PRICING_CACHE_FILES; i++) {
    if (!cache->slot[i]) return i;
    if (cache->slot[i]->last_used < cache->slot[victim]->last_used) victim = i;
  }
  return victim;
}

int pricing_cache_get(PricingCache *cache, const char *path, const char *format, int want_extra,
                      PricingCachedFile **out, char **err) {
  TlFileId id;
  const char *why;
  PricingCachedFile *f;
  int victim = -1;
  *out = NULL;
  *err = NULL;
  if (tl_file_identify(path, &id, &why) != 0) {
    *err = pricing_message("cannot open '%s': %s", path, why);
    return PRICING_CACHE_ERROR;
  }
  if (id.size > cache->max_bytes) return PRICING_CACHE_STREAM;
  for (int i = 0; i < PRICING_CACHE_FILES && victim < 0; i++) {
    f = cache->slot[i];
    if (!f || strcmp(f->path, path) != 0 || !same_format_arg(f->format_arg, format)) continue;
    if (tl_file_same(&f->set.id, &id) && (f->has_extra || !want_extra)) {
      f->last_used = ++cache->clock;
      f->refs++;
      *out = f;
      return PRICING_CACHE_OK;
    }
    victim = i; /* changed on disk, or extra wanted: decode again here */
  }
  if (victim < 0) victim = cache_victim(cache);
  cache_evict(cache, victim);
  if (!(f = cache_decode(path, format, want_extra, err))) return PRICING_CACHE_ERROR;
  f->last_used = ++cache->clock;
  f->refs++; /* the cache's, beside the caller's */
  cache->slot[victim] = f;
  *out = f;
  return PRICING_CACHE_OK;
}
