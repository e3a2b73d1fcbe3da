/*
** Unit tests of ext/core/dominance.c: the objectives parser, dom_orient, and
** dom_sort against an independent brute force that follows the definitions
** literally (O(n^2) dominance tests, ranks by peeling fronts one at a time),
** on random data with many ties and missing values, for 1 to 6 objectives.
*/
#include <math.h>
#include <stdint.h>

#include "check.h"
#include "dominance.h"
#include "tl_alloc.h"

/* ---- the brute force ---------------------------------------------------- */

static int has_missing(const double *v, size_t m) {
  for (size_t k = 0; k < m; k++)
    if (isnan(v[k])) return 1;
  return 0;
}

/* a dominates b: no worse anywhere, strictly better somewhere. */
static int bf_dominates(const double *a, const double *b, size_t m) {
  int better = 0;
  if (has_missing(a, m) || has_missing(b, m)) return 0;
  for (size_t k = 0; k < m; k++) {
    if (a[k] > b[k]) return 0;
    if (a[k] < b[k]) better = 1;
  }
  return better;
}

/* Ranks by peeling: rank r is the set of remaining rows that no remaining
** row dominates. Rows with a missing value, or past max_rank, get 0. */
static void bf_ranks(const double *v, size_t n, size_t m, uint32_t max_rank,
                     uint32_t *rank) {
  size_t left = 0;
  char *front = calloc(n + 1, 1);
  for (size_t i = 0; i < n; i++) {
    rank[i] = 0;
    if (!has_missing(v + i * m, m)) left++;
  }
  for (uint32_t r = 1; left > 0; r++) {
    for (size_t i = 0; i < n; i++) {
      front[i] = 0;
      if (rank[i] || has_missing(v + i * m, m)) continue;
      front[i] = 1;
      for (size_t j = 0; j < n && front[i]; j++)
        if (!rank[j] && bf_dominates(v + j * m, v + i * m, m)) front[i] = 0;
    }
    for (size_t i = 0; i < n; i++)
      if (front[i]) {
        rank[i] = r;
        left--;
      }
  }
  if (max_rank)
    for (size_t i = 0; i < n; i++)
      if (rank[i] > max_rank) rank[i] = 0;
  free(front);
}

/* ---- random data ---------------------------------------------------------- */

static uint64_t rng_state = 88172645463325252ull;

static uint64_t rng(void) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return rng_state;
}

/* Values from a small set (many ties) or continuous; NaN with prob 1/null_1in. */
static void fill(double *v, size_t n, size_t m, int levels, int null_1in) {
  for (size_t i = 0; i < n * m; i++) {
    if (null_1in && rng() % (uint64_t)null_1in == 0)
      v[i] = NAN;
    else if (levels)
      v[i] = (double)(rng() % (uint64_t)levels) - 1;
    else
      v[i] = (double)(rng() % 1000000) / 1000.0;
  }
}

/* ---- one comparison ------------------------------------------------------- */

typedef struct Tally {
  int cases, rank_bad, count_bad, list_bad;
} Tally;

static void compare_once(const double *v, size_t n, size_t m, uint32_t max_rank,
                         DomLists lists, int algorithm, Tally *t) {
  DomOptions opt = {max_rank, 1, lists, 0, algorithm};
  DomResult res;
  uint32_t *want = malloc((n + 1) * sizeof(uint32_t));
  uint32_t *full = malloc((n + 1) * sizeof(uint32_t));
  int rc = dom_sort(v, n, m, &opt, &res);
  t->cases++;
  bf_ranks(v, n, m, max_rank, want);
  bf_ranks(v, n, m, 0, full);
  if (rc != DOM_OK) {
    t->rank_bad++;
    goto done;
  }
  for (size_t i = 0; i < n; i++) {
    int64_t dby = 0, dom = 0;
    int missing = has_missing(v + i * m, m);
    if (res.rank[i] != want[i]) t->rank_bad++;
    for (size_t j = 0; j < n; j++) {
      if (bf_dominates(v + j * m, v + i * m, m)) dby++;
      if (bf_dominates(v + i * m, v + j * m, m)) dom++;
    }
    if (missing ? (res.dominated_by_count[i] != -1 || res.dominates_count[i] != -1)
                : (res.dominated_by_count[i] != dby || res.dominates_count[i] != dom))
      t->count_bad++;
    if (lists != DOM_LISTS_NONE && want[i]) {
      const uint32_t *got;
      size_t ngot = dom_dominators(&res, i, &got), k = 0;
      int bad = 0;
      for (size_t j = 0; j < n; j++) {
        int in = bf_dominates(v + j * m, v + i * m, m) &&
                 (lists == DOM_LISTS_ALL || full[j] + 1 == full[i]);
        if (!in) continue;
        if (k >= ngot || got[k] != j) bad = 1;
        k++;
      }
      if (bad || k != ngot) t->list_bad++;
    }
  }
done:
  dom_result_free(&res);
  free(want);
  free(full);
}

static void random_suite(size_t m) {
  static const size_t sizes[] = {0, 1, 2, 3, 7, 20, 64, 150};
  Tally t = {0, 0, 0, 0};
  char name[128];
  for (int rep = 0; rep < 12; rep++) {
    for (size_t si = 0; si < sizeof(sizes) / sizeof(sizes[0]); si++) {
      size_t n = sizes[si];
      double *v = malloc((n * m + 1) * sizeof(double));
      int levels = rep % 4 == 3 ? 0 : 2 + rep % 4; /* 2, 3, 4 levels or continuous */
      fill(v, n, m, levels, rep % 3 == 0 ? 0 : 6);
      /* both ranking algorithms (they differ from 3 objectives on) */
      for (int algo = DOM_ALGO_ENS; algo <= DOM_ALGO_DIVIDE_CONQUER; algo++) {
        compare_once(v, n, m, 0, DOM_LISTS_DIRECT, algo, &t);
        compare_once(v, n, m, 0, DOM_LISTS_ALL, algo, &t);
        compare_once(v, n, m, 1, DOM_LISTS_DIRECT, algo, &t);
        compare_once(v, n, m, 3, DOM_LISTS_ALL, algo, &t);
      }
      free(v);
    }
  }
  snprintf(name, sizeof name, "random m=%zu: ranks match brute force (%d cases, ENS and D&C)",
           m, t.cases);
  CHECK(name, t.rank_bad == 0);
  snprintf(name, sizeof name, "random m=%zu: dominated_by_count / dominates_count match", m);
  CHECK(name, t.count_bad == 0);
  snprintf(name, sizeof name, "random m=%zu: dominator lists (direct and all) match", m);
  CHECK(name, t.list_bad == 0);
}

/* Sizes where a bug in the 2-objective staircase or in the deeper levels
** of divide and conquer would show; the last data set is anti-correlated
** (most rows on the first fronts) and uses the automatic choice. */
static void larger_suite(void) {
  Tally t = {0, 0, 0, 0};
  for (size_t m = 2; m <= 4; m++) {
    double *v = malloc(1500 * m * sizeof(double));
    fill(v, 1500, m, 40, 50);
    compare_once(v, 1500, m, 0, DOM_LISTS_DIRECT, DOM_ALGO_ENS, &t);
    compare_once(v, 1500, m, 0, DOM_LISTS_DIRECT, DOM_ALGO_DIVIDE_CONQUER, &t);
    fill(v, 1500, m, 0, 0);
    compare_once(v, 1500, m, 0, DOM_LISTS_NONE, DOM_ALGO_DIVIDE_CONQUER, &t);
    for (size_t i = 0; i < 1500; i++) {
      double sum = 0;
      for (size_t k = 0; k < m; k++) sum += v[i * m + k] + 1;
      for (size_t k = 0; k < m; k++) v[i * m + k] = floor((v[i * m + k] + 1) / sum * 1e4);
    }
    compare_once(v, 1500, m, 0, DOM_LISTS_NONE, DOM_ALGO_AUTO, &t);
    free(v);
  }
  CHECK("1500 rows, 2 to 4 objectives: ranks match brute force", t.rank_bad == 0);
  CHECK("1500 rows, 2 to 4 objectives: counts and lists match",
        t.count_bad == 0 && t.list_bad == 0);
}

/* ---- hand-worked cases ---------------------------------------------------- */

static void hand_cases(void) {
  /* minimize both: (1,5) (2,2) (5,1) frontier; (3,3) dominated by (2,2);
  ** (3,3) again is an equal vector; (6,6) dominated by all five. */
  static const double v[] = {1, 5, 2, 2, 5, 1, 3, 3, 3, 3, 6, 6};
  static const uint32_t want_rank[] = {1, 1, 1, 2, 2, 3};
  static const int64_t want_dby[] = {0, 0, 0, 1, 1, 5};
  static const int64_t want_dom[] = {1, 3, 1, 1, 1, 0};
  DomOptions opt = {0, 1, DOM_LISTS_DIRECT, 0, DOM_ALGO_AUTO};
  DomResult res;
  const uint32_t *first;
  size_t k;
  int ok = dom_sort(v, 6, 2, &opt, &res) == DOM_OK;
  for (int i = 0; ok && i < 6; i++)
    ok = res.rank[i] == want_rank[i] && res.dominated_by_count[i] == want_dby[i] &&
         res.dominates_count[i] == want_dom[i];
  CHECK("hand: ranks and counts of six 2-objective rows", ok);
  k = dom_dominators(&res, 5, &first);
  CHECK("hand: direct dominators of (6,6) are the two (3,3) rows",
        k == 2 && first[0] == 3 && first[1] == 4);
  k = dom_dominators(&res, 3, &first);
  CHECK("hand: direct dominators of (3,3) are (2,2) only", k == 1 && first[0] == 1);
  dom_result_free(&res);

  opt.max_list_entries = 2;
  CHECK("hand: a list budget too small is DOM_TOOBIG",
        dom_sort(v, 6, 2, &opt, &res) == DOM_TOOBIG);
  dom_result_free(&res);
}

/* ---- the objectives spec -------------------------------------------------- */

static void parser_cases(void) {
  DomObjective *o;
  size_t n;
  char err[256];
  int rc;

  rc = dom_parse_objectives("max, min,MIN", &o, &n, err, sizeof err);
  CHECK("spec: positional", rc == 0 && n == 3 && o[0].maximize && !o[1].maximize &&
                                !o[2].maximize && !o[0].name && o[0].epsilon == 0);
  dom_free_objectives(o, n);

  rc = dom_parse_objectives(" quality max 5 , price min 0.01, \"t t\"\"x\" min",
                            &o, &n, err, sizeof err);
  CHECK("spec: named with epsilons and a quoted name",
        rc == 0 && n == 3 && strcmp(o[0].name, "quality") == 0 && o[0].epsilon == 5 &&
            o[1].epsilon == 0.01 && strcmp(o[2].name, "t t\"x") == 0);
  dom_free_objectives(o, n);

  rc = dom_parse_objectives("max min", &o, &n, err, sizeof err);
  CHECK("spec: a column named max", rc == 0 && n == 1 && strcmp(o[0].name, "max") == 0 &&
                                        !o[0].maximize);
  dom_free_objectives(o, n);

  rc = dom_parse_objectives("max 2", &o, &n, err, sizeof err);
  CHECK("spec: positional with epsilon", rc == 0 && n == 1 && !o[0].name && o[0].epsilon == 2);
  dom_free_objectives(o, n);

  rc = dom_parse_objectives("price cheap", &o, &n, err, sizeof err);
  CHECK_STR("spec: bad direction", rc ? err : "",
            "objective 1 ('price cheap'): 'cheap': expected max or min");
  rc = dom_parse_objectives("a max, min", &o, &n, err, sizeof err);
  CHECK_STR("spec: mixed naming", rc ? err : "",
            "objective 2: name the column of every objective or of none");
  rc = dom_parse_objectives("a max -1", &o, &n, err, sizeof err);
  CHECK_STR("spec: bad epsilon", rc ? err : "",
            "objective 1 ('a max -1'): epsilon '-1' is not a positive number");
  rc = dom_parse_objectives("max,,min", &o, &n, err, sizeof err);
  CHECK_STR("spec: empty item", rc ? err : "",
            "objective 2 is empty: expected [column] max|min [epsilon]");
  rc = dom_parse_objectives("  ", &o, &n, err, sizeof err);
  CHECK("spec: empty spec", rc == -1 && strstr(err, "objectives are empty"));
  rc = dom_parse_objectives("a max, A min", &o, &n, err, sizeof err);
  CHECK_STR("spec: a column twice", rc ? err : "", "column 'A' is named twice");
  rc = dom_parse_objectives("\"a max", &o, &n, err, sizeof err);
  CHECK("spec: unterminated quote", rc == -1 && strstr(err, "unterminated"));
  rc = dom_parse_objectives("a max 1 2", &o, &n, err, sizeof err);
  CHECK("spec: too many words", rc == -1 && strstr(err, "too many words"));
}

static void orient_cases(void) {
  DomObjective q = {NULL, 1, 5}, p = {NULL, 0, 0}, e = {NULL, 0, 0.5};
  /* quality cells of 5: [85,90) is cell 17, negated because maximized */
  CHECK("orient: max with epsilon 5", dom_orient(&q, 85) == -17 &&
                                          dom_orient(&q, 89.9) == -17 &&
                                          dom_orient(&q, 90) == -18);
  CHECK("orient: min exact", dom_orient(&p, 2.5) == 2.5);
  CHECK("orient: min epsilon 0.5 of -0.2 is cell -1", dom_orient(&e, -0.2) == -1);
}

int main(void) {
  parser_cases();
  orient_cases();
  hand_cases();
  for (size_t m = 1; m <= 6; m++) random_suite(m);
  larger_suite();
  CHECK_DONE();
}
