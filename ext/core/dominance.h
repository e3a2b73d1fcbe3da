/*
** Pareto dominance: non-dominated sorting, dominance counts and dominator
** lists over n rows of m numeric objectives. Core code (no SQLite);
** vtab/pareto.c is the SQL face.
**
** Conventions of the core:
**   - every objective is MINIMIZED: the caller turns each raw value into an
**     "oriented" value with dom_orient(), which applies the epsilon grid and
**     negates maximized objectives;
**   - NaN means "missing": such a row is not compared with any other row and
**     gets rank 0 (NULL), counts -1 (NULL) and no dominator list;
**   - a dominates b when a <= b on every objective and a != b as vectors, so
**     equal vectors never dominate each other and always share a rank;
**   - rank 1 is the frontier, rank k+1 the frontier once ranks 1..k are
**     removed (non-dominated sorting).
** See ARCHITECTURE.md (section pareto) for the algorithms and their costs.
*/
#ifndef TOKENLEDGER_DOMINANCE_H
#define TOKENLEDGER_DOMINANCE_H

#include <stddef.h>
#include <stdint.h>

#define DOM_MAX_OBJECTIVES 64

/* One objective of an objectives spec such as "quality max 5, price min". */
typedef struct DomObjective {
  char *name;      /* the query column it names; NULL when the spec is positional */
  int maximize;    /* 1: larger is better; 0: smaller is better */
  double epsilon;  /* > 0: compare on a grid of this step; 0: exact */
} DomObjective;

/* Parses an objectives spec: comma-separated items, each
** `[column] max|min [epsilon]`; column names are bare words or "quoted".
** Either every item names a column or none does. On success returns 0 and
** sets *out (free with dom_free_objectives) and *n_out; on error returns -1
** and writes a message (no module prefix) into err. */
int dom_parse_objectives(const char *spec, DomObjective **out, size_t *n_out,
                         char *err, size_t err_size);
void dom_free_objectives(DomObjective *obj, size_t n);

/* The oriented (minimized) value of a raw value: on an epsilon grid the
** value becomes the index of its cell, floor(raw / epsilon), so values in
** [k*eps, (k+1)*eps) tie; maximized objectives are then negated. */
double dom_orient(const DomObjective *obj, double raw);

/* Which dominator lists to build. */
typedef enum DomLists {
  DOM_LISTS_NONE = 0,
  DOM_LISTS_DIRECT, /* dominators whose rank is exactly rank - 1 */
  DOM_LISTS_ALL     /* every dominator */
} DomLists;

typedef struct DomOptions {
  uint32_t max_rank; /* 0: rank every row; k: rows of rank > k get rank 0 */
  int want_counts;   /* fill dominated_by_count and dominates_count */
  DomLists lists;    /* fill the dominator lists */
  size_t max_list_entries; /* 0: unbounded; else DOM_TOOBIG past this total */
  int algorithm;     /* DOM_ALGO_AUTO; the others let tests reach both paths */
} DomOptions;

#define DOM_ALGO_AUTO 0
#define DOM_ALGO_ENS 1            /* efficient non-dominated sort, ENS-BS */
#define DOM_ALGO_DIVIDE_CONQUER 2 /* Jensen / Buzdalov, 3+ objectives */

typedef struct DomResult {
  size_t n_rows;
  uint32_t *rank;               /* per row; 0 = NULL (missing value or > max_rank) */
  int64_t *dominated_by_count;  /* per row, when want_counts; -1 = NULL */
  int64_t *dominates_count;     /* per row, when want_counts; -1 = NULL */
  /* Dominator lists, when lists != NONE: the dominators of row r are the
  ** rows list[list_start[r] .. list_start[r+1]-1], in increasing row order.
  ** Rows with equal vectors share one list, so list_start is per group:
  ** row r uses group[r] (UINT32_MAX for rows with a missing value). */
  uint32_t *group;
  size_t *list_start;           /* n_groups + 1 entries */
  uint32_t *list;
  size_t n_groups;
} DomResult;

#define DOM_OK 0
#define DOM_NOMEM 1
#define DOM_TOOBIG 2 /* more rows than uint32_t can index, or lists too large */

/* Non-dominated sorting of n rows of m oriented objectives (row-major:
** values[i*m + k]). Fills *res (free with dom_result_free, also on error). */
int dom_sort(const double *values, size_t n, size_t m, const DomOptions *opt,
             DomResult *res);
void dom_result_free(DomResult *res);

/* Dominator list of row r: sets *first and returns how many rows. */
size_t dom_dominators(const DomResult *res, size_t r, const uint32_t **first);

#endif
