/*
** Pareto dominance: the objectives-spec parser and non-dominated sorting.
** See dominance.h for the conventions and ARCHITECTURE.md (section pareto)
** for the algorithms. Core code: no SQLite.
**
** HOW IT WORKS, in short:
**   1. Rows with a missing (NaN) value are set aside. The others are sorted
**      lexicographically (stable merge sort of row numbers) and equal
**      vectors are collapsed into groups. After this, a group can only be
**      dominated by groups before it in the order, and any earlier group p
**      dominates a later group s as soon as p <= s on objectives 2..m
**      (objective 1 is <= by the order, and p != s by construction).
**   2. Ranks, in one pass over the groups in that order (efficient
**      non-dominated sorting, ENS-BS, Zhang et al. 2015): a binary search
**      over the fronts built so far finds the first front with no member
**      dominating the group; that is its rank. With 2 objectives a front is
**      a staircase whose newest member has the smallest second objective,
**      so "does front f dominate s" is one comparison: O(n log n) in all.
**      With 3 or more it scans the front's members, newest first, which is
**      fast while fronts are small; when its work passes a budget of
**      O(n log n) member tests (large fronts: anti-correlated objectives)
**      it starts over with divide and conquer (Jensen 2003; Buzdalov and
**      Shalyto 2014 for ties), O(n log^(m-1) n) for any data.
**   3. Counts (on request): with 1 or 2 objectives a Fenwick tree over the
**      second objective, one pass forward and one backward, O(n log n);
**      with 3 or more the same divide and conquer in counting mode.
**   4. Dominator lists (on request): for each group, the members of the
**      front directly above (or of every front above) that dominate it;
**      the output itself can be quadratic, hence max_list_entries.
*/
#include "dominance.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tl_alloc.h"

/* ---------------------------------------------------------------------- */
/* The objectives spec                                                     */
/* ---------------------------------------------------------------------- */

#define SPEC_MAX_WORDS 3

typedef struct SpecWord {
  char *text;
  int quoted;
} SpecWord;

static char *copy_range(const char *s, size_t n) {
  char *out = tl_malloc(n + 1);
  if (out) {
    memcpy(out, s, n);
    out[n] = 0;
  }
  return out;
}

/* Reads one word at *p: a "quoted" name ("" is a quote) or a run of
** characters other than space and comma. Returns 0, or -1 with err set. */
static int read_word(const char **p, SpecWord *w, char *err, size_t err_size) {
  const char *s = *p;
  if (*s == '"') {
    size_t n = 0;
    const char *q = s + 1;
    char *out;
    for (;; q++) {
      if (*q == 0) {
        snprintf(err, err_size, "unterminated quoted name at '%.40s'", s);
        return -1;
      }
      if (*q == '"') {
        if (q[1] != '"') break;
        q++;
      }
      n++;
    }
    out = tl_malloc(n + 1);
    if (!out) goto nomem;
    n = 0;
    for (q = s + 1; !(*q == '"' && q[1] != '"'); q++) {
      if (*q == '"') q++;
      out[n++] = *q;
    }
    out[n] = 0;
    w->text = out;
    w->quoted = 1;
    *p = q + 1;
    return 0;
  } else {
    const char *q = s;
    while (*q && *q != ',' && !isspace((unsigned char)*q)) q++;
    w->text = copy_range(s, (size_t)(q - s));
    if (!w->text) goto nomem;
    w->quoted = 0;
    *p = q;
    return 0;
  }
nomem:
  snprintf(err, err_size, "out of memory");
  return -1;
}

static int is_direction(const SpecWord *w) {
  return !w->quoted && (strcasecmp(w->text, "max") == 0 ||
                        strcasecmp(w->text, "min") == 0);
}

/* A positive, finite epsilon, or -1 when the word is not one. */
static double parse_epsilon(const SpecWord *w) {
  char *end;
  double v;
  if (w->quoted || !*w->text) return -1;
  v = strtod(w->text, &end);
  if (*end || !isfinite(v) || v <= 0) return -1;
  return v;
}

/* Turns the words of item `no` into *obj. */
static int item_to_objective(SpecWord *words, int n, int no, const char *item,
                             int item_len, DomObjective *obj, char *err,
                             size_t err_size) {
  int dir = 0; /* index of the direction word */
  if (n == 0) {
    snprintf(err, err_size, "objective %d is empty: expected [column] max|min [epsilon]", no);
    return -1;
  }
  if (!is_direction(&words[0]) || (n == 2 && parse_epsilon(&words[1]) < 0) || n == 3)
    dir = 1;
  if (dir >= n || !is_direction(&words[dir])) {
    snprintf(err, err_size,
             "objective %d ('%.*s'): '%s': expected max or min", no,
             item_len, item, words[dir < n ? dir : n - 1].text);
    return -1;
  }
  if (dir + 2 < n) {
    snprintf(err, err_size,
             "objective %d ('%.*s'): too many words: expected [column] max|min [epsilon]",
             no, item_len, item);
    return -1;
  }
  obj->maximize = strcasecmp(words[dir].text, "max") == 0;
  obj->epsilon = 0;
  if (dir + 1 < n) {
    obj->epsilon = parse_epsilon(&words[dir + 1]);
    if (obj->epsilon < 0) {
      snprintf(err, err_size,
               "objective %d ('%.*s'): epsilon '%s' is not a positive number",
               no, item_len, item, words[dir + 1].text);
      return -1;
    }
  }
  if (dir == 1) {
    obj->name = words[0].text;
    words[0].text = NULL;
  }
  return 0;
}

void dom_free_objectives(DomObjective *obj, size_t n) {
  if (!obj) return;
  for (size_t i = 0; i < n; i++) tl_free(obj[i].name);
  tl_free(obj);
}

static const char *skip_space(const char *p) {
  while (isspace((unsigned char)*p)) p++;
  return p;
}

int dom_parse_objectives(const char *spec, DomObjective **out, size_t *n_out,
                         char *err, size_t err_size) {
  DomObjective *obj = NULL;
  size_t n = 0;
  const char *p = spec ? skip_space(spec) : "";
  *out = NULL;
  *n_out = 0;
  if (!*p) {
    snprintf(err, err_size,
             "objectives are empty: expected e.g. 'max, min' or 'quality max, price min'");
    return -1;
  }
  obj = tl_malloc(sizeof(*obj) * DOM_MAX_OBJECTIVES);
  if (!obj) {
    snprintf(err, err_size, "out of memory");
    return -1;
  }
  for (;;) {
    SpecWord words[SPEC_MAX_WORDS + 1];
    int nw = 0, rc = 0;
    const char *item = p, *item_end;
    if (n == DOM_MAX_OBJECTIVES) {
      snprintf(err, err_size, "more than %d objectives", DOM_MAX_OBJECTIVES);
      goto fail;
    }
    while (*p && *p != ',') {
      if (nw == SPEC_MAX_WORDS + 1) {
        nw--;
        tl_free(words[nw].text);
      }
      if (read_word(&p, &words[nw], err, err_size)) {
        rc = -1;
        break;
      }
      nw++;
      p = skip_space(p);
    }
    item_end = p;
    while (item_end > item && isspace((unsigned char)item_end[-1])) item_end--;
    if (rc == 0) {
      obj[n].name = NULL;
      rc = item_to_objective(words, nw, (int)n + 1, item,
                             (int)(item_end - item > 60 ? 60 : item_end - item),
                             &obj[n], err, err_size);
    }
    for (int i = 0; i < nw; i++) tl_free(words[i].text);
    if (rc) goto fail;
    n++;
    if (!*p) break;
    p = skip_space(p + 1); /* the comma */
  }
  for (size_t i = 0; i < n; i++) {
    if ((obj[i].name == NULL) != (obj[0].name == NULL)) {
      snprintf(err, err_size,
               "objective %d: name the column of every objective or of none",
               (int)i + 1);
      goto fail;
    }
    for (size_t j = 0; j < i && obj[i].name; j++) {
      if (strcasecmp(obj[i].name, obj[j].name) == 0) {
        snprintf(err, err_size, "column '%s' is named twice", obj[i].name);
        goto fail;
      }
    }
  }
  *out = obj;
  *n_out = n;
  return 0;
fail:
  dom_free_objectives(obj, n);
  return -1;
}

double dom_orient(const DomObjective *obj, double raw) {
  double v = obj->epsilon > 0 ? floor(raw / obj->epsilon) : raw;
  return obj->maximize ? -v : v;
}

/* ---------------------------------------------------------------------- */
/* Sorting                                                                 */
/* ---------------------------------------------------------------------- */

static int lex_cmp(const double *a, const double *b, size_t m) {
  for (size_t k = 0; k < m; k++) {
    if (a[k] < b[k]) return -1;
    if (a[k] > b[k]) return 1;
  }
  return 0;
}

/* A row to sort: its first objective inline, so that most comparisons
** touch only this array; ties fall back to the other objectives. */
typedef struct SortKey {
  double first;
  uint32_t row;
} SortKey;

static int key_before(const SortKey *a, const SortKey *b, const double *v, size_t m) {
  if (a->first != b->first) return a->first < b->first;
  return lex_cmp(v + (size_t)a->row * m + 1, v + (size_t)b->row * m + 1, m - 1) < 0;
}

/* Stable bottom-up merge sort of rows by their vectors, lexicographically. */
#define SORT_RUN 16
static void sort_rows(SortKey *a, SortKey *tmp, size_t n, const double *v, size_t m) {
  SortKey *src = a, *dst = tmp;
  /* runs of SORT_RUN by insertion sort first: four fewer merge passes */
  for (size_t lo = 0; lo < n; lo += SORT_RUN) {
    size_t hi = lo + SORT_RUN < n ? lo + SORT_RUN : n;
    for (size_t i = lo + 1; i < hi; i++) {
      SortKey x = a[i];
      size_t j = i;
      for (; j > lo && key_before(&x, &a[j - 1], v, m); j--) a[j] = a[j - 1];
      a[j] = x;
    }
  }
  for (size_t width = SORT_RUN; width < n; width *= 2) {
    for (size_t lo = 0; lo < n; lo += 2 * width) {
      size_t mid = lo + width < n ? lo + width : n;
      size_t hi = lo + 2 * width < n ? lo + 2 * width : n;
      size_t i = lo, j = mid, k = lo;
      while (i < mid && j < hi)
        dst[k++] = key_before(&src[j], &src[i], v, m) ? src[j++] : src[i++];
      while (i < mid) dst[k++] = src[i++];
      while (j < hi) dst[k++] = src[j++];
    }
    SortKey *t = src;
    src = dst;
    dst = t;
  }
  if (src != a) memcpy(a, src, n * sizeof(*a));
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static int cmp_u32(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return (x > y) - (x < y);
}

/* ---------------------------------------------------------------------- */
/* The state of one sort                                                   */
/* ---------------------------------------------------------------------- */

typedef struct Front {
  uint32_t n, cap;
  double *tail; /* objectives 2..m of each member, newest last */
} Front;

typedef struct Sorter {
  size_t m;
  size_t n_groups;
  double *gv;          /* n_groups * m: the vector of each group, sorted */
  uint32_t *rows;      /* rows without missing values, sorted; groups are runs */
  size_t *gstart;      /* n_groups + 1: group g is rows[gstart[g]..gstart[g+1]) */
  uint32_t *grank;     /* per group; 0 = beyond max_rank */
  int64_t *gdby, *gdom; /* per group counts */
  uint32_t n_fronts;
  size_t *fstart;      /* n_fronts + 1: front f is fgroups[fstart[f]..) */
  uint32_t *fgroups;   /* groups by rank, in sorted order within a front */
} Sorter;

static void sorter_free(Sorter *s) {
  tl_free(s->gv);
  tl_free(s->rows);
  tl_free(s->gstart);
  tl_free(s->grank);
  tl_free(s->gdby);
  tl_free(s->gdom);
  tl_free(s->fstart);
  tl_free(s->fgroups);
}

/* Step 1: drops rows with a missing value, sorts, collapses equal vectors. */
static int build_groups(Sorter *s, const double *values, size_t n,
                        DomResult *res) {
  size_t m = s->m, nv = 0;
  SortKey *keys = tl_malloc((n ? n : 1) * 2 * sizeof(SortKey));
  s->rows = tl_malloc((n ? n : 1) * sizeof(uint32_t));
  if (!s->rows || !keys) {
    tl_free(keys);
    return DOM_NOMEM;
  }
  for (size_t r = 0; r < n; r++) {
    size_t k = 0;
    while (k < m && !isnan(values[r * m + k])) k++;
    res->group[r] = UINT32_MAX;
    if (k == m) keys[nv++] = (SortKey){values[r * m], (uint32_t)r};
  }
  sort_rows(keys, keys + n, nv, values, m);
  for (size_t i = 0; i < nv; i++) s->rows[i] = keys[i].row;
  tl_free(keys);
  s->gv = tl_malloc((nv ? nv : 1) * m * sizeof(double));
  s->gstart = tl_malloc((nv + 1) * sizeof(size_t));
  if (!s->gv || !s->gstart) return DOM_NOMEM;
  for (size_t i = 0; i < nv; i++) {
    const double *v = values + (size_t)s->rows[i] * m;
    if (i == 0 || lex_cmp(v, s->gv + (s->n_groups - 1) * m, m) != 0) {
      memcpy(s->gv + s->n_groups * m, v, m * sizeof(double));
      s->gstart[s->n_groups++] = i;
    }
    res->group[s->rows[i]] = (uint32_t)(s->n_groups - 1);
  }
  s->gstart[s->n_groups] = nv;
  s->grank = tl_malloc((s->n_groups + 1) * sizeof(uint32_t));
  return s->grank ? DOM_OK : DOM_NOMEM;
}

/* Does the earlier group whose objectives 2..m are `p` dominate a later
** group whose objectives 2..m are `q`? (See the top of the file.) */
static int tail_dominates(const double *p, const double *q, size_t mt) {
  for (size_t k = 0; k < mt; k++)
    if (p[k] > q[k]) return 0;
  return 1;
}

/* Adds the number of members tested to *work. */
static int front_dominates(const Front *f, const double *q, size_t mt, double *work) {
  for (uint32_t j = f->n; j-- > 0;) {
    if (tail_dominates(f->tail + (size_t)j * mt, q, mt)) {
      *work += f->n - j;
      return 1;
    }
  }
  *work += f->n;
  return 0;
}

static int front_push(Front *f, const double *q, size_t mt) {
  if (f->n == f->cap) {
    uint32_t cap = f->cap ? f->cap * 2 : 8;
    double *t = tl_realloc(f->tail, (size_t)cap * mt * sizeof(double));
    if (!t) return DOM_NOMEM;
    f->tail = t;
    f->cap = cap;
  }
  memcpy(f->tail + (size_t)f->n * mt, q, mt * sizeof(double));
  f->n++;
  return DOM_OK;
}

/* Fenwick tree over 1-based positions. */
static void fenwick_add(int64_t *t, size_t n, size_t i, int64_t v) {
  for (; i <= n; i += i & (~i + 1)) t[i] += v;
}

static int64_t fenwick_sum(const int64_t *t, size_t i) {
  int64_t sum = 0;
  for (; i > 0; i -= i & (~i + 1)) sum += t[i];
  return sum;
}

/* ---------------------------------------------------------------------- */
/* Divide and conquer for 3+ objectives (Jensen 2003, generalized to ties  */
/* by Fortin et al. 2013 and Buzdalov & Shalyto 2014): O(n log^(m-1) n).   */
/* Index lists are always in group order, i.e. lexicographic order.        */
/* ---------------------------------------------------------------------- */

/* The same recursion serves two purposes. Ranking: r[h] = max(r[h],
** r[l] + 1) over every pair where l dominates h, which needs the ranks of
** l final first (the order of the calls guarantees it). Counting: each
** dominating pair is met exactly once, so summing group sizes over the
** pairs gives dominated_by_count and dominates_count. */
typedef struct Dc {
  const double *gv; /* group vectors */
  size_t m;
  uint32_t *r;      /* ranking: 0-based rank lower bounds */
  int64_t *dby, *dom; /* counting: NULL when ranking */
  const size_t *gstart; /* counting: group sizes */
} Dc;

#define DC_BRUTE 24
#define ENS_BUDGET 20 /* below this many pairs, compare directly */

static double dc_val(const Dc *dc, uint32_t g, size_t k) { return dc->gv[(size_t)g * dc->m + k]; }

/* l is no worse than h on objectives 0..k */
static int dc_weak(const Dc *dc, uint32_t l, uint32_t h, size_t k) {
  const double *a = dc->gv + (size_t)l * dc->m, *b = dc->gv + (size_t)h * dc->m;
  for (size_t j = 0; j <= k; j++)
    if (a[j] > b[j]) return 0;
  return 1;
}

static int64_t dc_weight(const Dc *dc, uint32_t g) {
  return (int64_t)(dc->gstart[g + 1] - dc->gstart[g]);
}

/* l dominates h */
static void dc_pair(Dc *dc, uint32_t l, uint32_t h) {
  if (dc->dby) {
    dc->dby[h] += dc_weight(dc, l);
    dc->dom[l] += dc_weight(dc, h);
  } else if (dc->r[h] < dc->r[l] + 1) {
    dc->r[h] = dc->r[l] + 1;
  }
}

/* The median of objective k over a and b (Wirth's selection). */
static int dc_median(const Dc *dc, const uint32_t *a, size_t na, const uint32_t *b,
                     size_t nb, size_t k, double *out) {
  size_t n = na + nb;
  long long lo = 0, hi = (long long)n - 1, want = (long long)(n / 2);
  double *v = tl_malloc(n * sizeof(double));
  if (!v) return DOM_NOMEM;
  for (size_t i = 0; i < na; i++) v[i] = dc_val(dc, a[i], k);
  for (size_t i = 0; i < nb; i++) v[na + i] = dc_val(dc, b[i], k);
  while (lo < hi) {
    double x = v[want];
    long long i = lo, j = hi;
    do {
      while (v[i] < x) i++;
      while (x < v[j]) j--;
      if (i <= j) {
        double t = v[i];
        v[i++] = v[j];
        v[j--] = t;
      }
    } while (i <= j);
    if (j < want) lo = i;
    if (want < i) hi = j;
  }
  *out = v[want];
  tl_free(v);
  return DOM_OK;
}

/* Stable three-way split of a by objective k around x into out:
** [< x][== x][> x]; sets the two boundaries. */
static void dc_split(const Dc *dc, const uint32_t *a, size_t n, size_t k, double x,
                     uint32_t *out, size_t *n_lt, size_t *n_eq) {
  size_t p = 0;
  for (size_t i = 0; i < n; i++) if (dc_val(dc, a[i], k) < x) out[p++] = a[i];
  *n_lt = p;
  for (size_t i = 0; i < n; i++) if (dc_val(dc, a[i], k) == x) out[p++] = a[i];
  *n_eq = p - *n_lt;
  for (size_t i = 0; i < n; i++) if (dc_val(dc, a[i], k) > x) out[p++] = a[i];
}

static void dc_merge(const uint32_t *a, size_t na, const uint32_t *b, size_t nb, uint32_t *out) {
  size_t i = 0, j = 0, k = 0;
  while (i < na && j < nb) out[k++] = a[i] < b[j] ? a[i++] : b[j++];
  while (i < na) out[k++] = a[i++];
  while (j < nb) out[k++] = b[j++];
}

static int cmp_double_ptr(const void *a, const void *b) { return cmp_double(a, b); }

/* Coordinates of objective 1 over a, sorted and deduplicated, for a Fenwick
** tree of prefix maxima. */
static double *dc_coords(const Dc *dc, const uint32_t *a, size_t n, size_t *ny) {
  double *ys = tl_malloc((n ? n : 1) * sizeof(double));
  size_t u = 0;
  if (!ys) return NULL;
  for (size_t i = 0; i < n; i++) ys[i] = dc_val(dc, a[i], 1);
  qsort(ys, n, sizeof(double), cmp_double_ptr);
  for (size_t i = 0; i < n; i++) if (u == 0 || ys[u - 1] != ys[i]) ys[u++] = ys[i];
  *ny = u;
  return ys;
}

/* Number of coordinates <= y (a 1-based Fenwick position). */
static size_t dc_upper(const double *ys, size_t ny, double y) {
  size_t lo = 0, hi = ny;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (ys[mid] <= y) lo = mid + 1; else hi = mid;
  }
  return lo;
}

static void fmax_set(uint32_t *t, size_t n, size_t i, uint32_t v) {
  for (; i <= n; i += i & (~i + 1)) if (t[i] < v) t[i] = v;
}

static uint32_t fmax_get(const uint32_t *t, size_t i) {
  uint32_t best = 0;
  for (; i > 0; i -= i & (~i + 1)) if (t[i] > best) best = t[i];
  return best;
}

/* Number of coordinates < y. */
static size_t dc_lower(const double *ys, size_t ny, double y) {
  size_t lo = 0, hi = ny;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (ys[mid] < y) lo = mid + 1; else hi = mid;
  }
  return lo;
}

/* Counting with two objectives left: l (from a[0..nl) in order) dominates
** h (from b) when l0 <= h0 and l1 <= h1. Forward pass for dby[h], backward
** for dom[l]. With a == b (one set) the pairs are those in order. */
static int dc_count_sweep(Dc *dc, const uint32_t *l, size_t nl, const uint32_t *h, size_t nh,
                          int same) {
  size_t nyl, nyh, i = 0;
  double *yl = dc_coords(dc, l, nl, &nyl);
  double *yh = same ? NULL : dc_coords(dc, h, nh, &nyh);
  int64_t *t = tl_malloc((nl + nh + 1) * sizeof(int64_t)), total = 0;
  if (!yl || (!same && !yh) || !t) {
    tl_free(yl);
    tl_free(yh);
    tl_free(t);
    return DOM_NOMEM;
  }
  if (same) {
    yh = yl;
    nyh = nyl;
  }
  memset(t, 0, (nl + 1) * sizeof(int64_t));
  for (size_t j = 0; j < nh; j++) {
    if (same) {
      dc->dby[h[j]] += fenwick_sum(t, dc_upper(yl, nyl, dc_val(dc, h[j], 1)));
      fenwick_add(t, nyl, dc_upper(yl, nyl, dc_val(dc, h[j], 1)), dc_weight(dc, h[j]));
      continue;
    }
    for (; i < nl && dc_val(dc, l[i], 0) <= dc_val(dc, h[j], 0); i++)
      fenwick_add(t, nyl, dc_upper(yl, nyl, dc_val(dc, l[i], 1)), dc_weight(dc, l[i]));
    dc->dby[h[j]] += fenwick_sum(t, dc_upper(yl, nyl, dc_val(dc, h[j], 1)));
  }
  memset(t, 0, (nh + 1) * sizeof(int64_t));
  i = nh;
  for (size_t j = nl; j-- > 0;) {
    double y = dc_val(dc, l[j], 1);
    if (same) {
      dc->dom[l[j]] += total - fenwick_sum(t, dc_lower(yh, nyh, y));
      fenwick_add(t, nyh, dc_upper(yh, nyh, y), dc_weight(dc, l[j]));
      total += dc_weight(dc, l[j]);
      continue;
    }
    for (; i > 0 && dc_val(dc, h[i - 1], 0) >= dc_val(dc, l[j], 0); i--) {
      fenwick_add(t, nyh, dc_upper(yh, nyh, dc_val(dc, h[i - 1], 1)), dc_weight(dc, h[i - 1]));
      total += dc_weight(dc, h[i - 1]);
    }
    dc->dom[l[j]] += total - fenwick_sum(t, dc_lower(yh, nyh, y));
  }
  tl_free(yl);
  if (!same) tl_free(yh);
  tl_free(t);
  return DOM_OK;
}

/* Two objectives left, within one set (all equal above objective 1). */
static int dc_sweep_a(Dc *dc, const uint32_t *a, size_t n) {
  size_t ny;
  double *ys = dc_coords(dc, a, n, &ny);
  uint32_t *t = tl_malloc((n + 1) * sizeof(uint32_t));
  if (!ys || !t) {
    tl_free(ys);
    tl_free(t);
    return DOM_NOMEM;
  }
  memset(t, 0, (n + 1) * sizeof(uint32_t));
  for (size_t i = 0; i < n; i++) {
    size_t pos = dc_upper(ys, ny, dc_val(dc, a[i], 1));
    uint32_t best = fmax_get(t, pos); /* rank + 1 of the best dominator, 0 for none */
    if (best && dc->r[a[i]] < best) dc->r[a[i]] = best;
    fmax_set(t, ny, pos, dc->r[a[i]] + 1);
  }
  tl_free(ys);
  tl_free(t);
  return DOM_OK;
}

/* Two objectives left, from the final ranks of L to the bounds of H. */
static int dc_sweep_b(Dc *dc, const uint32_t *l, size_t nl, const uint32_t *h, size_t nh) {
  size_t ny, i = 0;
  double *ys = dc_coords(dc, l, nl, &ny);
  uint32_t *t = tl_malloc((nl + 1) * sizeof(uint32_t));
  if (!ys || !t) {
    tl_free(ys);
    tl_free(t);
    return DOM_NOMEM;
  }
  memset(t, 0, (nl + 1) * sizeof(uint32_t));
  for (size_t j = 0; j < nh; j++) {
    double x = dc_val(dc, h[j], 0);
    uint32_t best;
    for (; i < nl && dc_val(dc, l[i], 0) <= x; i++)
      fmax_set(t, ny, dc_upper(ys, ny, dc_val(dc, l[i], 1)), dc->r[l[i]] + 1);
    best = fmax_get(t, dc_upper(ys, ny, dc_val(dc, h[j], 1)));
    if (best && dc->r[h[j]] < best) dc->r[h[j]] = best;
  }
  tl_free(ys);
  tl_free(t);
  return DOM_OK;
}

static void dc_range(const Dc *dc, const uint32_t *a, size_t n, size_t k, double *lo, double *hi) {
  *lo = *hi = dc_val(dc, a[0], k);
  for (size_t i = 1; i < n; i++) {
    double v = dc_val(dc, a[i], k);
    if (v < *lo) *lo = v;
    if (v > *hi) *hi = v;
  }
}

/* Ranks of H raised by the final ranks of L, looking at objectives 0..k;
** every l is already no worse than every h above objective k. */
static int dc_helper_b(Dc *dc, const uint32_t *l, size_t nl, const uint32_t *h, size_t nh,
                       size_t k) {
  double lmin, lmax, hmin, hmax, x;
  uint32_t *buf;
  size_t l_lt, l_eq, h_lt, h_eq;
  int rc;
  if (nl == 0 || nh == 0) return DOM_OK;
  if (nl * nh <= DC_BRUTE || nl == 1 || nh == 1) {
    for (size_t j = 0; j < nh; j++)
      for (size_t i = 0; i < nl; i++)
        if (dc_weak(dc, l[i], h[j], k)) dc_pair(dc, l[i], h[j]);
    return DOM_OK;
  }
  if (k == 1) return dc->dby ? dc_count_sweep(dc, l, nl, h, nh, 0) : dc_sweep_b(dc, l, nl, h, nh);
  dc_range(dc, l, nl, k, &lmin, &lmax);
  dc_range(dc, h, nh, k, &hmin, &hmax);
  if (lmax <= hmin) return dc_helper_b(dc, l, nl, h, nh, k - 1);
  if (lmin > hmax) return DOM_OK;
  if ((rc = dc_median(dc, l, nl, h, nh, k, &x)) != DOM_OK) return rc;
  buf = tl_malloc((2 * (nl + nh)) * sizeof(uint32_t));
  if (!buf) return DOM_NOMEM;
  {
    uint32_t *ls = buf, *hs = buf + nl, *lm = buf + nl + nh, *hm;
    dc_split(dc, l, nl, k, x, ls, &l_lt, &l_eq);
    dc_split(dc, h, nh, k, x, hs, &h_lt, &h_eq);
    rc = dc_helper_b(dc, ls, l_lt, hs, h_lt, k);
    if (rc == DOM_OK) {
      /* [<x] and [==x] of L are adjacent runs; merge them back into order */
      dc_merge(ls, l_lt, ls + l_lt, l_eq, lm);
      hm = lm + l_lt + l_eq;
      dc_merge(hs + h_lt, h_eq, hs + h_lt + h_eq, nh - h_lt - h_eq, hm);
      rc = dc_helper_b(dc, lm, l_lt + l_eq, hm, nh - h_lt, k - 1);
    }
    if (rc == DOM_OK)
      rc = dc_helper_b(dc, ls + l_lt + l_eq, nl - l_lt - l_eq, hs + h_lt + h_eq,
                       nh - h_lt - h_eq, k);
  }
  tl_free(buf);
  return rc;
}

/* Ranks within a, looking at objectives 0..k (all of a is equal above k). */
static int dc_helper_a(Dc *dc, const uint32_t *a, size_t n, size_t k) {
  double lo, hi, x;
  uint32_t *buf, *lm;
  size_t n_lt, n_eq, n_gt;
  int rc;
  if (n < 2) return DOM_OK;
  if (n == 2) {
    if (dc_weak(dc, a[0], a[1], k)) dc_pair(dc, a[0], a[1]);
    return DOM_OK;
  }
  if (k == 1) return dc->dby ? dc_count_sweep(dc, a, n, a, n, 1) : dc_sweep_a(dc, a, n);
  dc_range(dc, a, n, k, &lo, &hi);
  if (lo == hi) return dc_helper_a(dc, a, n, k - 1);
  if ((rc = dc_median(dc, a, n, NULL, 0, k, &x)) != DOM_OK) return rc;
  buf = tl_malloc(2 * n * sizeof(uint32_t));
  if (!buf) return DOM_NOMEM;
  dc_split(dc, a, n, k, x, buf, &n_lt, &n_eq);
  n_gt = n - n_lt - n_eq;
  lm = buf + n;
  rc = dc_helper_a(dc, buf, n_lt, k);
  if (rc == DOM_OK) rc = dc_helper_b(dc, buf, n_lt, buf + n_lt, n_eq, k - 1);
  if (rc == DOM_OK) rc = dc_helper_a(dc, buf + n_lt, n_eq, k - 1);
  if (rc == DOM_OK) {
    dc_merge(buf, n_lt, buf + n_lt, n_eq, lm);
    rc = dc_helper_b(dc, lm, n_lt + n_eq, buf + n_lt + n_eq, n_gt, k - 1);
  }
  if (rc == DOM_OK) rc = dc_helper_a(dc, buf + n_lt + n_eq, n_gt, k);
  tl_free(buf);
  return rc;
}

/* Step 2 with 3 or more objectives when fronts are large. */
static int rank_divide_conquer(Sorter *s, uint32_t limit) {
  size_t G = s->n_groups;
  uint32_t *all = tl_malloc((G ? G : 1) * sizeof(uint32_t));
  uint32_t top = 0;
  Dc dc;
  int rc;
  if (!all) return DOM_NOMEM;
  memset(&dc, 0, sizeof(dc));
  dc.gv = s->gv;
  dc.m = s->m;
  dc.r = s->grank;
  for (size_t g = 0; g < G; g++) {
    all[g] = (uint32_t)g;
    s->grank[g] = 0;
  }
  rc = dc_helper_a(&dc, all, G, s->m - 1);
  tl_free(all);
  if (rc) return rc;
  for (size_t g = 0; g < G; g++) {
    uint32_t r = s->grank[g] + 1;
    s->grank[g] = r <= limit ? r : 0;
    if (s->grank[g] > top) top = s->grank[g];
  }
  s->n_fronts = top;
  return DOM_OK;
}

/* Step 2. `limit` is the number of fronts that may exist. ENS-BS first;
** with 3 or more objectives, when the fronts it scans grow so large that
** its work passes ENS_BUDGET * G * log2(G) member tests (anti-correlated
** data, where most rows are on the first fronts, makes it quadratic), it
** starts over with divide and conquer, whose bound holds for any shape. */
static int rank_groups(Sorter *s, uint32_t limit, int algorithm) {
  size_t m = s->m, mt = m - 1, G = s->n_groups;
  uint32_t nf = 0;
  if (m == 1) {
    for (size_t g = 0; g < G; g++) s->grank[g] = g < limit ? (uint32_t)g + 1 : 0;
    s->n_fronts = (uint32_t)(G < limit ? G : limit);
    return DOM_OK;
  }
  if (m == 2) {
    /* front_y[f]: second objective of front f's newest member, its smallest. */
    double *front_y = tl_malloc((G ? G : 1) * sizeof(double));
    if (!front_y) return DOM_NOMEM;
    for (size_t g = 0; g < G; g++) {
      double y = s->gv[g * 2 + 1];
      uint32_t lo = 0, hi = nf < limit ? nf : limit;
      while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (front_y[mid] <= y) lo = mid + 1; else hi = mid;
      }
      if (lo == limit) {
        s->grank[g] = 0;
        continue;
      }
      if (lo == nf) nf++;
      front_y[lo] = y;
      s->grank[g] = lo + 1;
    }
    tl_free(front_y);
  } else {
    Front *fronts;
    int rc = DOM_OK;
    double budget = ENS_BUDGET * (double)G * log2((double)G + 2), work = 0;
    if (algorithm == DOM_ALGO_DIVIDE_CONQUER) return rank_divide_conquer(s, limit);
    if (algorithm == DOM_ALGO_ENS) budget = INFINITY;
    fronts = tl_malloc((G ? G : 1) * sizeof(Front));
    if (!fronts) return DOM_NOMEM;
    for (size_t g = 0; g < G && rc == DOM_OK; g++) {
      const double *q = s->gv + g * m + 1;
      uint32_t lo = 0, hi = nf < limit ? nf : limit;
      while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (front_dominates(&fronts[mid], q, mt, &work)) lo = mid + 1; else hi = mid;
      }
      if (work > budget) {
        rc = DOM_TOOBIG; /* not an error: switch algorithms below */
        break;
      }
      if (lo == limit) {
        s->grank[g] = 0;
        continue;
      }
      if (lo == nf) fronts[nf++] = (Front){0, 0, NULL};
      rc = front_push(&fronts[lo], q, mt);
      s->grank[g] = lo + 1;
    }
    for (uint32_t f = 0; f < nf; f++) tl_free(fronts[f].tail);
    tl_free(fronts);
    if (rc == DOM_TOOBIG) return rank_divide_conquer(s, limit);
    if (rc) return rc;
  }
  s->n_fronts = nf;
  return DOM_OK;
}

/* Groups bucketed by rank (counting sort), for the dominator lists. */
static int bucket_fronts(Sorter *s) {
  size_t G = s->n_groups;
  s->fstart = tl_malloc(((size_t)s->n_fronts + 2) * sizeof(size_t));
  s->fgroups = tl_malloc((G ? G : 1) * sizeof(uint32_t));
  if (!s->fstart || !s->fgroups) return DOM_NOMEM;
  memset(s->fstart, 0, ((size_t)s->n_fronts + 2) * sizeof(size_t));
  for (size_t g = 0; g < G; g++)
    if (s->grank[g]) s->fstart[s->grank[g] + 1]++;
  for (uint32_t f = 1; f <= s->n_fronts; f++) s->fstart[f + 1] += s->fstart[f];
  /* fstart[r] now is where rank r (1-based) starts; shift to 0-based fronts */
  for (size_t g = 0; g < G; g++)
    if (s->grank[g]) s->fgroups[s->fstart[s->grank[g]]++] = (uint32_t)g;
  /* each fstart[r] advanced to the end of rank r = start of front r */
  s->fstart[0] = 0;
  return DOM_OK;
}

static size_t group_size(const Sorter *s, size_t g) {
  return s->gstart[g + 1] - s->gstart[g];
}

/* Step 3 with 1 or 2 objectives: counts in O(n log n). */
static int count_fenwick(Sorter *s) {
  size_t G = s->n_groups, ny = 0;
  double *ys = tl_malloc((G ? G : 1) * sizeof(double));
  size_t *ypos = tl_malloc((G ? G : 1) * sizeof(size_t));
  int64_t *tree = tl_malloc((G + 1) * sizeof(int64_t));
  int64_t total = 0;
  if (!ys || !ypos || !tree) {
    tl_free(ys);
    tl_free(ypos);
    tl_free(tree);
    return DOM_NOMEM;
  }
  for (size_t g = 0; g < G; g++) ys[g] = s->m == 2 ? s->gv[g * 2 + 1] : 0;
  qsort(ys, G, sizeof(double), cmp_double);
  for (size_t g = 0; g < G; g++)
    if (ny == 0 || ys[ny - 1] != ys[g]) ys[ny++] = ys[g];
  for (size_t g = 0; g < G; g++) {
    double y = s->m == 2 ? s->gv[g * 2 + 1] : 0;
    size_t lo = 0, hi = ny;
    while (lo < hi) {
      size_t mid = lo + (hi - lo) / 2;
      if (ys[mid] < y) lo = mid + 1; else hi = mid;
    }
    ypos[g] = lo + 1;
  }
  memset(tree, 0, (G + 1) * sizeof(int64_t));
  for (size_t g = 0; g < G; g++) {
    s->gdby[g] = fenwick_sum(tree, ypos[g]);
    fenwick_add(tree, ny, ypos[g], (int64_t)group_size(s, g));
  }
  memset(tree, 0, (G + 1) * sizeof(int64_t));
  for (size_t g = G; g-- > 0;) {
    s->gdom[g] = total - fenwick_sum(tree, ypos[g] - 1);
    fenwick_add(tree, ny, ypos[g], (int64_t)group_size(s, g));
    total += (int64_t)group_size(s, g);
  }
  tl_free(ys);
  tl_free(ypos);
  tl_free(tree);
  return DOM_OK;
}

/* Step 3 with 3 or more objectives: the divide and conquer in counting
** mode, O(n log^(m-1) n). */
static int count_divide_conquer(Sorter *s) {
  size_t G = s->n_groups;
  uint32_t *all = tl_malloc((G ? G : 1) * sizeof(uint32_t));
  Dc dc;
  int rc;
  if (!all) return DOM_NOMEM;
  memset(&dc, 0, sizeof(dc));
  dc.gv = s->gv;
  dc.m = s->m;
  dc.dby = s->gdby;
  dc.dom = s->gdom;
  dc.gstart = s->gstart;
  memset(s->gdby, 0, G * sizeof(int64_t));
  memset(s->gdom, 0, G * sizeof(int64_t));
  for (size_t g = 0; g < G; g++) all[g] = (uint32_t)g;
  rc = dc_helper_a(&dc, all, G, s->m - 1);
  tl_free(all);
  return rc;
}

/* Step 4: the dominator lists, per group, as sorted row numbers. */
static int build_lists(Sorter *s, const DomOptions *opt, DomResult *res) {
  size_t m = s->m, G = s->n_groups, used = 0, cap = 1024;
  res->list_start = tl_malloc((G + 1) * sizeof(size_t));
  res->list = tl_malloc(cap * sizeof(uint32_t));
  if (!res->list_start || !res->list) return DOM_NOMEM;
  for (size_t q = 0; q < G; q++) {
    uint32_t r = s->grank[q];
    res->list_start[q] = used;
    if (r <= 1) continue;
    size_t from = opt->lists == DOM_LISTS_ALL ? 0 : s->fstart[r - 2];
    size_t to = s->fstart[r - 1];
    for (size_t i = from; i < to; i++) {
      uint32_t p = s->fgroups[i];
      size_t k = group_size(s, p);
      if (p >= q || !tail_dominates(s->gv + (size_t)p * m + 1, s->gv + q * m + 1, m - 1))
        continue;
      if (opt->max_list_entries && used + k > opt->max_list_entries) return DOM_TOOBIG;
      if (used + k > cap) {
        uint32_t *grown;
        while (used + k > cap) cap *= 2;
        grown = tl_realloc(res->list, cap * sizeof(uint32_t));
        if (!grown) return DOM_NOMEM;
        res->list = grown;
      }
      memcpy(res->list + used, s->rows + s->gstart[p], k * sizeof(uint32_t));
      used += k;
    }
    qsort(res->list + res->list_start[q], used - res->list_start[q],
          sizeof(uint32_t), cmp_u32);
  }
  res->list_start[G] = used;
  return DOM_OK;
}

int dom_sort(const double *values, size_t n, size_t m, const DomOptions *opt,
             DomResult *res) {
  Sorter s;
  int rc;
  uint32_t limit = opt->max_rank ? opt->max_rank : UINT32_MAX;
  memset(res, 0, sizeof(*res));
  memset(&s, 0, sizeof(s));
  s.m = m;
  res->n_rows = n;
  if (n >= UINT32_MAX || m == 0 || m > DOM_MAX_OBJECTIVES) return DOM_TOOBIG;
  res->rank = tl_malloc((n ? n : 1) * sizeof(uint32_t));
  res->group = tl_malloc((n ? n : 1) * sizeof(uint32_t));
  if (!res->rank || !res->group) return DOM_NOMEM;
  rc = build_groups(&s, values, n, res);
  if (rc == DOM_OK) rc = rank_groups(&s, limit, opt->algorithm);
  if (rc == DOM_OK && opt->want_counts) {
    s.gdby = tl_malloc((s.n_groups + 1) * sizeof(int64_t));
    s.gdom = tl_malloc((s.n_groups + 1) * sizeof(int64_t));
    res->dominated_by_count = tl_malloc((n ? n : 1) * sizeof(int64_t));
    res->dominates_count = tl_malloc((n ? n : 1) * sizeof(int64_t));
    if (!s.gdby || !s.gdom || !res->dominated_by_count || !res->dominates_count)
      rc = DOM_NOMEM;
    else if (m <= 2)
      rc = count_fenwick(&s);
    else
      rc = count_divide_conquer(&s);
  }
  if (rc == DOM_OK && opt->lists != DOM_LISTS_NONE) {
    rc = bucket_fronts(&s);
    if (rc == DOM_OK) rc = build_lists(&s, opt, res);
    res->n_groups = s.n_groups;
  }
  if (rc == DOM_OK) {
    for (size_t r = 0; r < n; r++) {
      uint32_t g = res->group[r];
      res->rank[r] = g == UINT32_MAX ? 0 : s.grank[g];
      if (opt->want_counts) {
        res->dominated_by_count[r] = g == UINT32_MAX ? -1 : s.gdby[g];
        res->dominates_count[r] = g == UINT32_MAX ? -1 : s.gdom[g];
      }
    }
  }
  sorter_free(&s);
  return rc;
}

size_t dom_dominators(const DomResult *res, size_t r, const uint32_t **first) {
  uint32_t g = res->group[r];
  *first = NULL;
  if (!res->list_start || g == UINT32_MAX) return 0;
  *first = res->list + res->list_start[g];
  return res->list_start[g + 1] - res->list_start[g];
}

void dom_result_free(DomResult *res) {
  tl_free(res->rank);
  tl_free(res->dominated_by_count);
  tl_free(res->dominates_count);
  tl_free(res->group);
  tl_free(res->list_start);
  tl_free(res->list);
  memset(res, 0, sizeof(*res));
}
