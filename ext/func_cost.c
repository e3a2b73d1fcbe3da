/*
** bucket_cost: the exact cost of a call whose tokens fall into several
** buckets, each with its own price (the logic is tl_exact_cost, ext/units.c).
**
**   SELECT bucket_cost(3, 3e-6, 12304, 3.75e-6, 0, 3e-7, 550, 1.5e-5);
**   -- 0.054399: input, cache write, cache read, output of the issue's
**   -- worked example, summed in decimal and rounded once
**
**   bucket_cost(tokens1, price1 [, tokens2, price2 ... up to 8 pairs])
**     USD (or the prices' currency): sum of tokens_i x price_i, computed in
**     exact decimal from each price's shortest form and rounded once, so
**     the total is the double nearest the true decimal sum. Summing several
**     token_cost() calls instead rounds once per call and can land one ulp
**     away (0.054399000000000004).
**
**   NULLs. A bucket with 0 tokens costs 0 whatever its price, NULL included:
**   a model without a cache-write price still costs a call that wrote no
**   cache. A bucket with tokens but a NULL price makes the result NULL (an
**   unknown price is not free). NULL tokens make the result NULL.
**   Errors: an odd number of arguments (at registration: only 2, 4, ... 16
**   are accepted), a negative or fractional token count, a negative or
**   non-numeric price; each message names the argument and quotes it.
**
** Deterministic and innocuous: usable in views, indexes and generated
** columns.
*/
#include <math.h>
#include <sqlite3ext.h>

#include "tokenledger_modules.h"
#include "units.h"
SQLITE_EXTENSION_INIT3

#define COST_MAX_PAIRS 8

/* Argument i (0-based) as a token count; -1 after setting an error. */
static int tokens_arg(sqlite3_context *ctx, sqlite3_value *v, int i, long long *out) {
  int type = sqlite3_value_numeric_type(v);
  double d = sqlite3_value_double(v);
  char *msg = NULL;
  if (type == SQLITE_INTEGER) {
    *out = sqlite3_value_int64(v);
  } else if (type == SQLITE_FLOAT && d == floor(d) && fabs(d) < 9e18) {
    *out = (long long)d;
  } else {
    msg = sqlite3_mprintf("bucket_cost: argument %d must be a whole number of tokens, not '%s'",
                          i + 1, (const char *)sqlite3_value_text(v));
  }
  if (!msg && *out < 0) {
    msg = sqlite3_mprintf("bucket_cost: argument %d is a negative token count (%lld)", i + 1,
                          *out);
  }
  if (!msg) return 0;
  sqlite3_result_error(ctx, msg, -1);
  sqlite3_free(msg);
  return -1;
}

/* Argument i (0-based) as a price per token; -1 after setting an error. */
static int price_arg(sqlite3_context *ctx, sqlite3_value *v, int i, double *out) {
  int type = sqlite3_value_numeric_type(v);
  char *msg;
  *out = sqlite3_value_double(v);
  if ((type == SQLITE_INTEGER || type == SQLITE_FLOAT) && isfinite(*out) && *out >= 0) {
    return 0;
  }
  msg = sqlite3_mprintf("bucket_cost: argument %d must be a non-negative price, not '%s'", i + 1,
                        (const char *)sqlite3_value_text(v));
  sqlite3_result_error(ctx, msg ? msg : "bucket_cost: bad price", -1);
  sqlite3_free(msg);
  return -1;
}

static void bucket_cost_func(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  long long tokens[COST_MAX_PAIRS];
  double price[COST_MAX_PAIRS];
  int n = 0, unknown = 0;
  for (int i = 0; i + 1 < argc; i += 2) {
    long long t;
    if (sqlite3_value_type(argv[i]) == SQLITE_NULL) return;
    if (tokens_arg(ctx, argv[i], i, &t)) return;
    if (t == 0) continue; /* no tokens: no cost, whatever the price */
    if (sqlite3_value_type(argv[i + 1]) == SQLITE_NULL) {
      unknown = 1; /* keep checking the other arguments for errors */
      continue;
    }
    if (price_arg(ctx, argv[i + 1], i + 1, &price[n])) return;
    tokens[n++] = t;
  }
  if (unknown) return;
  sqlite3_result_double(ctx, n ? tl_exact_cost(tokens, price, n) : 0.0);
}

int tl_register_cost(sqlite3 *db) {
  for (int pairs = 1; pairs <= COST_MAX_PAIRS; pairs++) {
    int rc = sqlite3_create_function(db, "bucket_cost", 2 * pairs,
                                     SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
                                     bucket_cost_func, NULL, NULL);
    if (rc != SQLITE_OK) return rc;
  }
  return SQLITE_OK;
}
