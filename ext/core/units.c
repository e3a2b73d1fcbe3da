/*
** Units and exact cost arithmetic; the manual is units.h.
*/
#include "units.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decimal.h"

__extension__ typedef unsigned __int128 uint128;

/* ------------------------------------------------------------------ units */

static int equals_any(const char *s, const char *const *words) {
  for (; *words; words++) {
    if (strcmp(s, *words) == 0) return 1;
  }
  return 0;
}

static int strip_prefix(char *s, const char *prefix) {
  size_t n = strlen(prefix);
  if (strncmp(s, prefix, n) != 0) return 0;
  memmove(s, s + n, strlen(s + n) + 1);
  return 1;
}

static int strip_suffix(char *s, const char *suffix) {
  size_t n = strlen(s), k = strlen(suffix);
  if (n < k || strcmp(s + n - k, suffix) != 0) return 0;
  s[n - k] = 0;
  return 1;
}

int tl_unit_shift(const char *unit, size_t n, int *shift10) {
  static const char *const per_token[] = {"", "1", NULL};
  static const char *const per_1k[] = {"k", "1k", "1000", "thousand", "1thousand", NULL};
  static const char *const per_1m[] = {"m", "1m", "mm", "1000000", "million", "1million", NULL};
  char word[64];
  size_t len = 0;
  /* Lowercase, dropping the separators people put in unit names. */
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)unit[i];
    if (c == ' ' || c == '_' || c == '-' || c == '/' || c == '$' || c == '.') continue;
    if (len + 1 >= sizeof word) return -1;
    word[len++] = (char)tolower(c);
  }
  word[len] = 0;
  strip_prefix(word, "usd");
  strip_prefix(word, "per");
  if (!strip_suffix(word, "tokens") && !strip_suffix(word, "token")) strip_suffix(word, "tok");
  if (equals_any(word, per_token)) *shift10 = 0;
  else if (equals_any(word, per_1k)) *shift10 = -3;
  else if (equals_any(word, per_1m)) *shift10 = -6;
  else return -1;
  return 0;
}

/* ----------------------------------------------------------------- prices */

PriceError tl_price_parse(const char *text, size_t n, int shift10, double *out) {
  size_t start = 0, end = n;
  char digits[512];
  size_t len = 0;
  while (start < end && isspace((unsigned char)text[start])) start++;
  while (end > start && isspace((unsigned char)text[end - 1])) end--;
  /* "$2.50", "-$2.50", "+$2.50": the sign may stand before the dollar. */
  if (start < end && (text[start] == '-' || text[start] == '+')) digits[len++] = text[start++];
  if (start < end && text[start] == '$') start++;
  if (end - start + len >= sizeof digits) return PRICE_NOT_A_NUMBER;
  memcpy(digits + len, text + start, end - start);
  len += end - start;
  switch (tl_decimal_to_double(digits, len, shift10, out)) {
    case 0: return *out < 0 ? PRICE_NEGATIVE : PRICE_OK;
    case TL_DECIMAL_OUT_OF_RANGE:
      return *out < 0 ? PRICE_NEGATIVE : *out == 0 ? PRICE_TOO_SMALL : PRICE_TOO_LARGE;
    default: return PRICE_NOT_A_NUMBER;
  }
}

static const double powers_of_ten[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                       1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                       1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* Prices are short decimals: find the fewest fractional digits k for which
** m = round(value x 10^k) < 2^53 gives m / 10^k == value (exact operands,
** one rounding: so m x 10^-k round-trips, and no shorter decimal does).
** Returns 0, or -1 when no k <= 22 does (long or huge values: the general
** path then). */
static int short_decimal(double value, long long *mantissa, int *exp10) {
  double magnitude = fabs(value);
  if (!(magnitude > 0) || magnitude >= 9007199254740992.0) return -1;
  for (int k = 0; k <= 22; k++) {
    double m = nearbyint(magnitude * powers_of_ten[k]);
    if (m >= 9007199254740992.0) return -1;
    if (m / powers_of_ten[k] == magnitude) {
      *mantissa = value < 0 ? -(long long)m : (long long)m;
      *exp10 = -k;
      return 0;
    }
  }
  return -1;
}

void tl_shortest_decimal(double value, long long *mantissa, int *exp10) {
  char text[64];
  long long m = 0;
  int e = 0;
  if (short_decimal(value, &m, &e) == 0) {
    while (m != 0 && m % 10 == 0) {
      m /= 10;
      e++;
    }
    *mantissa = m;
    *exp10 = e;
    return;
  }
  /* 15 significant digits round-trip every decimal of up to 15 digits, so
  ** for prices written with few digits this recovers those digits; 16 and 17
  ** cover the rest. Digits are read back without strtod, so a host's
  ** LC_NUMERIC (decimal comma) cannot change the answer. */
  for (int precision = 14; precision <= 16; precision++) {
    const char *p;
    int negative = value < 0;
    double back;
    m = 0;
    snprintf(text, sizeof text, "%.*e", precision, fabs(value));
    for (p = text; *p && *p != 'e'; p++) {
      if (*p >= '0' && *p <= '9') m = m * 10 + (*p - '0');
    }
    e = (*p == 'e' ? (int)strtol(p + 1, NULL, 10) : 0) - precision;
    if (negative) m = -m;
    {
      char digits[40];
      int k = snprintf(digits, sizeof digits, "%lld", m);
      tl_decimal_to_double(digits, (size_t)k, e, &back);
    }
    if (back == value) break;
  }
  while (m != 0 && m % 10 == 0) {
    m /= 10;
    e++;
  }
  if (m == 0) e = 0;
  *mantissa = m;
  *exp10 = e;
}

PriceError tl_price_scale(double value, int shift10, double *out) {
  long long m;
  int e;
  char digits[40];
  int k;
  if (isnan(value)) return PRICE_NOT_A_NUMBER;
  if (value < 0) return PRICE_NEGATIVE;
  if (isinf(value)) return PRICE_TOO_LARGE;
  if (value == 0) {
    *out = 0;
    return PRICE_OK;
  }
  tl_shortest_decimal(value, &m, &e);
  k = snprintf(digits, sizeof digits, "%lld", m);
  if (tl_decimal_to_double(digits, (size_t)k, e + shift10, out) == 0) return PRICE_OK;
  return *out == 0 ? PRICE_TOO_SMALL : PRICE_TOO_LARGE;
}

/* ------------------------------------------------------------------ costs */

static double neumaier_cost(const long long *tokens, const double *price, int n) {
  double sum = 0, compensation = 0;
  for (int i = 0; i < n; i++) {
    double term = (double)tokens[i] * price[i];
    double t = sum + term;
    compensation += fabs(sum) >= fabs(term) ? (sum - t) + term : (term - t) + sum;
    sum = t;
  }
  return sum + compensation;
}

/* value x 10^k, or 0 with *overflow set. */
static uint128 scale_up(uint128 value, int k, int *overflow) {
  static const uint128 limit = ~(uint128)0 / 10;
  while (k-- > 0) {
    if (value > limit) {
      *overflow = 1;
      return 0;
    }
    value *= 10;
  }
  return value;
}

void tl_decimal_price(double price, TlDecimalPrice *out) {
  out->value = price;
  out->exact = price >= 0 && isfinite(price);
  out->mantissa = 0;
  out->exp10 = 0;
  if (out->exact) tl_shortest_decimal(price, &out->mantissa, &out->exp10);
}

double tl_exact_cost(const long long *tokens, const double *price, int n) {
  TlDecimalPrice dec[16];
  if (n > 16) return neumaier_cost(tokens, price, n);
  for (int i = 0; i < n; i++) tl_decimal_price(price[i], &dec[i]);
  return tl_exact_cost_decimal(tokens, dec, n);
}

double tl_exact_cost_decimal(const long long *tokens, const TlDecimalPrice *dec, int n) {
  double price[16];
  int min_exp = 0, overflow = 0;
  uint128 sum = 0;
  char digits[48];
  int len = 0;
  double out;
  if (n > 16) return NAN; /* the callers hold at most 16 buckets */
  for (int i = 0; i < n; i++) price[i] = dec[i].value;
  for (int i = 0; i < n; i++) {
    if (tokens[i] < 0 || !dec[i].exact) return neumaier_cost(tokens, price, n);
    if (i == 0 || dec[i].exp10 < min_exp) min_exp = dec[i].exp10;
  }
  for (int i = 0; i < n && !overflow; i++) {
    uint128 term = (uint128)(unsigned long long)tokens[i] * (unsigned long long)dec[i].mantissa;
    term = scale_up(term, dec[i].exp10 - min_exp, &overflow);
    if (sum + term < sum) overflow = 1;
    sum += term;
  }
  if (overflow) return neumaier_cost(tokens, price, n);
  if (sum == 0) return 0.0;
  /* Most sums fit 53 bits with a scale of at most 10^22: both operands
  ** exact, one correctly rounded division gives the double nearest the
  ** decimal (Clinger's fast path), what the digits below would give. */
  if (sum <= ((uint128)1 << 53) && min_exp >= -22 && min_exp <= 22) {
    static const double pow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                   1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                   1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    double m = (double)(unsigned long long)sum;
    return min_exp < 0 ? m / pow10[-min_exp] : m * pow10[min_exp];
  }
  /* Digits of sum, most significant first. */
  for (uint128 v = sum; v; v /= 10) digits[len++] = (char)('0' + (int)(v % 10));
  for (int i = 0; i < len / 2; i++) {
    char t = digits[i];
    digits[i] = digits[len - 1 - i];
    digits[len - 1 - i] = t;
  }
  tl_decimal_to_double(digits, (size_t)len, min_exp, &out);
  return out;
}
