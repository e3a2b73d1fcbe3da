/*
** The answer cache of the canonicalizer (ext/core/canonical_cache.c): a hit
** gives what tl_canon_resolve gives, field for field, and owes nothing to
** the cache's memory; a full cache empties itself; NULL and "" providers
** are two keys; long names bypass it; out of memory only means no caching;
** the shared canonicalizer lives until its last reference goes.
*/
#include <stdio.h>
#include <string.h>

#include "canonical_cache.h"
#include "check.h"
#include "tl_alloc.h"

static TlCanonIndex *ix;

static int same_text(const char *a, const char *b) {
  return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* Whether two answers say the same, field for field (a raw model compared
** by its length only: it is the caller's name). */
static int same_answer(const TlCanon *a, const TlCanon *b) {
  return a->model_is_raw == b->model_is_raw && a->model_len == b->model_len &&
         (a->model_is_raw || memcmp(a->model, b->model, a->model_len) == 0) &&
         a->model_rule == b->model_rule && a->model_conf == b->model_conf &&
         same_text(a->provider, b->provider) && a->provider_rule == b->provider_rule &&
         a->provider_conf == b->provider_conf && same_text(a->creator, b->creator) &&
         same_text(a->family, b->family) && same_text(a->version, b->version) &&
         same_text(a->variant, b->variant) && same_text(a->qualifiers, b->qualifiers) &&
         a->floating == b->floating;
}

/* raw and provider through the cache and directly: the same answer. */
static int cached_as_direct(TlCanonCache *cache, const char *raw, const char *prov,
                            const char *as_of) {
  TlCanon got, want;
  size_t pn = prov ? strlen(prov) : 0;
  tl_canon_cache_resolve(cache, ix, raw, strlen(raw), prov, pn, as_of, &got);
  tl_canon_resolve(ix, raw, strlen(raw), prov, pn, NULL, as_of, &want);
  return same_answer(&got, &want);
}

static const char *const azName[][2] = {
    {"us.anthropic.claude-3-5-sonnet-20241022-v2:0", NULL},
    {"vertex_ai/claude-3-5-sonnet-v2@20241022", "My-Cloud"}, /* provider from buf */
    {"Claude 3.5 Sonnet (Oct '24)", NULL},
    {"gpt-4o", "azure"},
    {"openrouter/meta-llama/llama-3.3-70b-instruct:free", NULL},
    {"Some Random Model\xc3\xa9", "openrouter"}, /* model is the raw name */
    {"mistral-large-latest", NULL},
    {"", NULL},
};
#define N_NAMES (sizeof azName / sizeof azName[0])

static void test_hit_and_miss(void) {
  TlCanonCache *cache = tl_canon_cache_new(64);
  CHECK("cache new", cache != NULL);
  if (!cache) return;
  int same = 1;
  for (size_t i = 0; i < N_NAMES; i++) same &= cached_as_direct(cache, azName[i][0], azName[i][1], NULL);
  CHECK("misses answer as tl_canon_resolve", same);
  CHECK("one entry per name", tl_canon_cache_count(cache) == N_NAMES);
  CHECK("no hit yet", tl_canon_cache_hits(cache) == 0);
  for (size_t i = 0; i < N_NAMES; i++) same &= cached_as_direct(cache, azName[i][0], azName[i][1], NULL);
  CHECK("hits answer as tl_canon_resolve", same);
  CHECK("every second lookup a hit", tl_canon_cache_hits(cache) == N_NAMES);
  CHECK("no new entry on a hit", tl_canon_cache_count(cache) == N_NAMES);

  /* the raw model of a hit is the caller's name, not the first caller's */
  char raw[] = "Some Random Model\xc3\xa9";
  TlCanon c;
  tl_canon_cache_resolve(cache, ix, raw, strlen(raw), "openrouter", 10, NULL, &c);
  CHECK("hit: raw model is the caller's", c.model_is_raw && c.model == raw);

  /* a floating alias: the cache keeps the undated answer, as_of is its own */
  size_t hits = tl_canon_cache_hits(cache);
  CHECK("as_of on a cached floating alias", cached_as_direct(cache, "mistral-large-latest", NULL,
                                                             "2024-03-01"));
  CHECK("as_of: looked up as a hit", tl_canon_cache_hits(cache) == hits + 1);
  CHECK("undated answer kept", cached_as_direct(cache, "mistral-large-latest", NULL, NULL));
  tl_canon_cache_free(cache);
}

/* The answer of a hit is copied: it outlives the cache. */
static void test_hit_is_a_copy(void) {
  TlCanonCache *cache = tl_canon_cache_new(8);
  TlCanon c;
  const char raw[] = "vertex_ai/claude-3-5-sonnet-v2@20241022";
  tl_canon_cache_resolve(cache, ix, raw, strlen(raw), "My-Cloud", 8, NULL, &c);
  tl_canon_cache_resolve(cache, ix, raw, strlen(raw), "My-Cloud", 8, NULL, &c);
  tl_canon_cache_free(cache);
  CHECK_STR("copy: provider", c.provider, "my-cloud");
  CHECK_STR("copy: family", c.family, "claude-3-5-sonnet");
  CHECK("copy: model in the caller's buf", c.model >= c.buf && c.model < c.buf + sizeof c.buf);
}

static void test_provider_null_and_empty(void) {
  TlCanonCache *cache = tl_canon_cache_new(8);
  CHECK("provider NULL", cached_as_direct(cache, "gpt-4o", NULL, NULL));
  CHECK("provider ''", cached_as_direct(cache, "gpt-4o", "", NULL));
  CHECK("NULL and '' are two entries", tl_canon_cache_count(cache) == 2);
  CHECK("provider NULL again", cached_as_direct(cache, "gpt-4o", NULL, NULL));
  CHECK("provider '' again", cached_as_direct(cache, "gpt-4o", "", NULL));
  CHECK("both hit", tl_canon_cache_hits(cache) == 2);
  tl_canon_cache_free(cache);
}

static void test_eviction(void) {
  TlCanonCache *cache = tl_canon_cache_new(4);
  for (size_t i = 0; i < 4; i++) cached_as_direct(cache, azName[i][0], azName[i][1], NULL);
  CHECK("full at max", tl_canon_cache_count(cache) == 4);
  CHECK("fifth name when full", cached_as_direct(cache, azName[4][0], azName[4][1], NULL));
  CHECK("emptied, then the fifth kept", tl_canon_cache_count(cache) == 1);
  CHECK("first name after emptying", cached_as_direct(cache, azName[0][0], azName[0][1], NULL));
  CHECK("first name was a miss", tl_canon_cache_hits(cache) == 0 && tl_canon_cache_count(cache) == 2);
  CHECK("fifth name still a hit", cached_as_direct(cache, azName[4][0], azName[4][1], NULL) &&
                                      tl_canon_cache_hits(cache) == 1);
  tl_canon_cache_free(cache);
}

static void test_long_keys_bypass(void) {
  TlCanonCache *cache = tl_canon_cache_new(8);
  char name[TL_CANON_MAX_NAME + 2];
  memset(name, 'a', sizeof name - 1);
  name[sizeof name - 1] = 0;
  CHECK("long name answered", cached_as_direct(cache, name, NULL, NULL));
  CHECK("long provider answered", cached_as_direct(cache, "gpt-4o", name, NULL));
  CHECK("long keys not kept", tl_canon_cache_count(cache) == 0);
  name[TL_CANON_MAX_NAME] = 0;
  CHECK("name of the longest length", cached_as_direct(cache, name, NULL, NULL) &&
                                          tl_canon_cache_count(cache) == 1);
  tl_canon_cache_free(cache);
}

static void test_out_of_memory(void) {
  tl_alloc_fail_from(0);
  CHECK("cache new: out of memory", tl_canon_cache_new(8) == NULL);
  tl_alloc_fail_from(-1);

  TlCanonCache *cache = tl_canon_cache_new(8);
  tl_alloc_fail_from(0); /* no table */
  CHECK("no table: answered", cached_as_direct(cache, "gpt-4o", NULL, NULL));
  tl_alloc_fail_from(-1);
  CHECK("no table: nothing kept", tl_canon_cache_count(cache) == 0);
  CHECK("table later", cached_as_direct(cache, "gpt-4o", NULL, NULL) &&
                           tl_canon_cache_count(cache) == 1);
  tl_alloc_fail_from(0); /* a table, no entry */
  CHECK("no entry: answered", cached_as_direct(cache, "Claude 3.5 Sonnet (Oct '24)", NULL, NULL));
  CHECK("no entry: hit still answered", cached_as_direct(cache, "gpt-4o", NULL, NULL));
  tl_alloc_fail_from(-1);
  CHECK("no entry: nothing kept", tl_canon_cache_count(cache) == 1);
  tl_canon_cache_free(cache);

  /* the shared canonicalizer fails whole, at every allocation, without a leak */
  char err[256];
  TlCanonShared *cs = NULL;
  int all_nomem = 1;
  long k;
  for (k = 0; k < 100000 && !cs; k++) {
    tl_alloc_fail_from(k);
    err[0] = 0;
    cs = tl_canon_shared_new(err, sizeof err);
    if (!cs) all_nomem &= strstr(err, "out of memory") != NULL;
  }
  tl_alloc_fail_from(-1);
  CHECK("shared new: out of memory said so", all_nomem && k > 2);
  CHECK("shared new: built once memory allows", cs != NULL);
  if (cs) tl_canon_shared_unref(cs);
}

static void test_shared(void) {
  char err[256];
  TlCanonShared *cs = tl_canon_shared_new(err, sizeof err);
  CHECK("shared new", cs && cs->ix && cs->cache && cs->refs == 1);
  if (!cs) return;
  CHECK("shared ref", tl_canon_shared_ref(cs) == cs && cs->refs == 2);
  TlCanon c;
  tl_canon_cache_resolve(cs->cache, cs->ix, "gpt-4o", 6, NULL, 0, NULL, &c);
  tl_canon_shared_unref(cs);
  CHECK("shared unref: one left", cs->refs == 1 && tl_canon_cache_count(cs->cache) == 1);
  tl_canon_shared_unref(cs); /* freed: the ASan build sees a leak otherwise */
}

int main(void) {
  char err[256];
  ix = tl_canon_index_new(err, sizeof err);
  if (!ix) {
    printf("not ok - index builds: %s\n", err);
    return 1;
  }
  test_hit_and_miss();
  test_hit_is_a_copy();
  test_provider_null_and_empty();
  test_eviction();
  test_long_keys_bypass();
  test_out_of_memory();
  test_shared();
  tl_canon_index_free(ix);
  CHECK_DONE();
}
