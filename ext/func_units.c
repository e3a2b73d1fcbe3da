/*
** Scalar functions over prices and costs (the logic is ext/units.c).
**
**   per_token(value [, unit])
**     The cost per token of a price quoted in `unit`: 'token' (default), '1k'
**     or '1m', in any usual spelling ('per_1m', '/1M', 'mtok', 'per 1K
**     tokens', 'million', ...). value is REAL, INTEGER or TEXT ('2.50',
**     '$2.50', '0.0000025'). The result is the double nearest the decimal
**     value / 10^k: per_token('0.15', '1m') is exactly 1.5e-07. NULL in, NULL
**     out. An unknown unit, text that is not a price, or a negative price is
**     an error that quotes the value.
**
**   token_cost(input_tokens, output_tokens, input_cost_per_token,
**              output_cost_per_token)
**     USD (or whatever currency the prices are in) for one call:
**     input_tokens x input price + output_tokens x output price, computed in
**     exact decimal and rounded once (see units.h). NULL in, NULL out;
**     negative token counts and negative prices are errors.
**
** Both are deterministic and innocuous: usable in views, indexes and
** generated columns.
*/
#include <math.h>
#include <sqlite3ext.h>
#include <string.h>

#include "tokenledger_modules.h"
#include "units.h"
SQLITE_EXTENSION_INIT3

#define UNIT_HELP "expected token, 1k or 1m, such as 'per_1m', '/1K' or 'mtok'"

static void per_token_func(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  int shift10 = 0;
  double out = 0;
  PriceError err = PRICE_OK;
  const char *text;

  if (sqlite3_value_type(argv[0]) == SQLITE_NULL ||
      (argc == 2 && sqlite3_value_type(argv[1]) == SQLITE_NULL)) {
    return;
  }
  if (argc == 2) {
    const char *unit = (const char *)sqlite3_value_text(argv[1]);
    int n = sqlite3_value_bytes(argv[1]);
    if (!unit) {
      sqlite3_result_error_nomem(ctx);
      return;
    }
    if (tl_unit_shift(unit, (size_t)n, &shift10) != 0) {
      char *msg = sqlite3_mprintf("per_token: unknown unit '%s' (" UNIT_HELP ")", unit);
      sqlite3_result_error(ctx, msg ? msg : "per_token: unknown unit", -1);
      sqlite3_free(msg);
      return;
    }
  }
  switch (sqlite3_value_type(argv[0])) {
    case SQLITE_FLOAT:
      err = tl_price_scale(sqlite3_value_double(argv[0]), shift10, &out);
      break;
    case SQLITE_INTEGER:
    case SQLITE_TEXT:
      /* Integers go through their decimal text: exact at any size. */
      text = (const char *)sqlite3_value_text(argv[0]);
      if (!text) {
        sqlite3_result_error_nomem(ctx);
        return;
      }
      err = tl_price_parse(text, (size_t)sqlite3_value_bytes(argv[0]), shift10, &out);
      break;
    default:
      sqlite3_result_error(ctx, "per_token: a BLOB is not a price", -1);
      return;
  }
  if (err != PRICE_OK) {
    const char *what = err == PRICE_NEGATIVE     ? "a negative price"
                       : err == PRICE_NOT_FINITE ? "not a finite price"
                                                 : "not a price";
    char *msg = sqlite3_mprintf(
        "per_token: '%s' is %s (expected a number of dollars such as 2.50 or '$2.50')",
        (const char *)sqlite3_value_text(argv[0]), what);
    sqlite3_result_error(ctx, msg ? msg : "per_token: not a price", -1);
    sqlite3_free(msg);
    return;
  }
  sqlite3_result_double(ctx, out);
}

/* A token count argument: a non-negative integer (an integral REAL is fine). */
static int token_count_arg(sqlite3_context *ctx, sqlite3_value *v, const char *name,
                           long long *out) {
  int type = sqlite3_value_numeric_type(v);
  double d = sqlite3_value_double(v);
  if (type == SQLITE_INTEGER) {
    *out = sqlite3_value_int64(v);
  } else if (type == SQLITE_FLOAT && d == floor(d) && fabs(d) < 9e18) {
    *out = (long long)d;
  } else {
    char *msg = sqlite3_mprintf("token_cost: %s must be a whole number of tokens, not '%s'",
                                name, (const char *)sqlite3_value_text(v));
    sqlite3_result_error(ctx, msg ? msg : "token_cost: bad token count", -1);
    sqlite3_free(msg);
    return -1;
  }
  if (*out < 0) {
    char *msg = sqlite3_mprintf("token_cost: %s is negative (%lld)", name, *out);
    sqlite3_result_error(ctx, msg ? msg : "token_cost: negative token count", -1);
    sqlite3_free(msg);
    return -1;
  }
  return 0;
}

static int price_arg(sqlite3_context *ctx, sqlite3_value *v, const char *name, double *out) {
  int type = sqlite3_value_numeric_type(v);
  *out = sqlite3_value_double(v);
  if ((type != SQLITE_INTEGER && type != SQLITE_FLOAT) || !isfinite(*out) || *out < 0) {
    char *msg = sqlite3_mprintf("token_cost: %s must be a non-negative number, not '%s'",
                                name, (const char *)sqlite3_value_text(v));
    sqlite3_result_error(ctx, msg ? msg : "token_cost: bad price", -1);
    sqlite3_free(msg);
    return -1;
  }
  return 0;
}

static void token_cost_func(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  long long tokens[2];
  double price[2];
  for (int i = 0; i < argc; i++) {
    if (sqlite3_value_type(argv[i]) == SQLITE_NULL) return;
  }
  if (token_count_arg(ctx, argv[0], "input_tokens", &tokens[0]) ||
      token_count_arg(ctx, argv[1], "output_tokens", &tokens[1]) ||
      price_arg(ctx, argv[2], "input_cost_per_token", &price[0]) ||
      price_arg(ctx, argv[3], "output_cost_per_token", &price[1])) {
    return;
  }
  sqlite3_result_double(ctx, tl_exact_cost(tokens, price, 2));
}

int tl_register_units(sqlite3 *db) {
  static const struct {
    const char *name;
    int nargs;
    void (*fn)(sqlite3_context *, int, sqlite3_value **);
  } aFunc[] = {
      {"per_token", 1, per_token_func},
      {"per_token", 2, per_token_func},
      {"token_cost", 4, token_cost_func},
  };
  for (size_t i = 0; i < sizeof aFunc / sizeof aFunc[0]; i++) {
    int rc = sqlite3_create_function(
        db, aFunc[i].name, aFunc[i].nargs,
        SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL, aFunc[i].fn, NULL, NULL);
    if (rc != SQLITE_OK) return rc;
  }
  return SQLITE_OK;
}
