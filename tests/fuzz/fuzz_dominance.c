/*
** libFuzzer target for ext/core/dominance.c (make fuzz; build/fuzz/fuzz_dominance).
**
** Byte 0 picks the surface:
**   even: the rest is an objectives spec for dom_parse_objectives;
**   odd:  byte 1 gives the number of objectives (1..6) and the options
**         (rank limit, lists, algorithm), the rest is a matrix of values
**         (byte 255 is a missing value, others fall in 8 levels so ties
**         are common). dom_sort must agree with the definitions, checked
**         pair by pair: a dominator always has a smaller rank, every row
**         of rank r > 1 has a dominator of rank r - 1 and none of rank
**         >= r, the counts are the pairwise counts, and the direct lists
**         are exactly the dominators of rank r - 1.
*/
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dominance.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_ROWS 160

static int dominates(const double *a, const double *b, size_t m) {
  int better = 0;
  for (size_t k = 0; k < m; k++) {
    if (isnan(a[k]) || isnan(b[k]) || a[k] > b[k]) return 0;
    if (a[k] < b[k]) better = 1;
  }
  return better;
}

static void fuzz_spec(const uint8_t *data, size_t size) {
  char *spec = malloc(size + 1), err[256];
  DomObjective *obj;
  size_t n;
  memcpy(spec, data, size);
  spec[size] = 0;
  if (dom_parse_objectives(spec, &obj, &n, err, sizeof err) == 0) {
    if (n == 0 || n > DOM_MAX_OBJECTIVES) abort();
    for (size_t k = 0; k < n; k++)
      if (obj[k].epsilon < 0 || (obj[0].name == NULL) != (obj[k].name == NULL)) abort();
    dom_free_objectives(obj, n);
  } else if (!err[0]) {
    abort(); /* an error always says why */
  }
  free(spec);
}

static void fuzz_sort(const uint8_t *data, size_t size) {
  size_t m, n;
  double *v;
  DomOptions opt;
  DomResult res;
  if (size < 1) return;
  m = 1 + data[0] % 6;
  opt.max_rank = (data[0] >> 3) & 3;
  opt.want_counts = 1;
  opt.lists = (data[0] >> 5) & 1 ? DOM_LISTS_ALL : DOM_LISTS_DIRECT;
  opt.max_list_entries = 0;
  opt.algorithm = (data[0] >> 6) % 3;
  data++;
  size--;
  n = size / m;
  if (n > MAX_ROWS) n = MAX_ROWS;
  v = malloc((n * m + 1) * sizeof(double));
  for (size_t i = 0; i < n * m; i++) v[i] = data[i] == 255 ? NAN : (double)(data[i] % 8);
  if (dom_sort(v, n, m, &opt, &res) != DOM_OK) abort();
  for (size_t b = 0; b < n; b++) {
    uint32_t rb = res.rank[b];
    int64_t dby = 0, dom = 0;
    int has_parent = 0;
    const uint32_t *list;
    size_t nlist = dom_dominators(&res, b, &list), seen = 0;
    for (size_t a = 0; a < n; a++) {
      uint32_t ra = res.rank[a];
      if (dominates(v + a * m, v + b * m, m)) {
        dby++;
        if (rb && !ra) abort();                  /* a dominator was left unranked */
        if (rb && ra >= rb) abort();             /* a dominator ranked no better */
        if (rb > 1 && ra == rb - 1) {
          has_parent = 1;
          if (opt.lists == DOM_LISTS_DIRECT && (seen >= nlist || list[seen++] != a)) abort();
        }
        if (rb > 1 && opt.lists == DOM_LISTS_ALL && (seen >= nlist || list[seen++] != a))
          abort();
      }
      if (dominates(v + b * m, v + a * m, m)) dom++;
    }
    if (rb > 1 && !has_parent) abort();
    if (!rb && !opt.max_rank) /* only a missing value leaves a row unranked */
      for (size_t k = 0; k < m && !isnan(v[b * m + k]); k++)
        if (k == m - 1) abort();
    if (rb && seen != nlist) abort();
    if (rb && (res.dominated_by_count[b] != dby || res.dominates_count[b] != dom)) abort();
  }
  dom_result_free(&res);
  free(v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  if (data[0] & 1)
    fuzz_sort(data + 1, size - 1);
  else
    fuzz_spec(data + 1, size - 1);
  return 0;
}
