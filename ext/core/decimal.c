/*
** Decimal text to the nearest double; see decimal.h.
**
** HOW IT WORKS. The text is split into its significant digits and a decimal
** exponent. When the digits fit in 2^53 and the exponent's power of ten is
** exact in a double (|e| <= 22), one IEEE multiplication or division gives
** the correctly rounded result (Clinger's fast path); this covers nearly every
** price in practice, and fast_path() takes it in a single pass over the text.
** Otherwise the digits and exponent are written out as
** "DIGITSeEXP" -- no decimal point, so no locale can change its meaning --
** and handed to strtod, which rounds correctly for any length.
*/
#include "decimal.h"

#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>


static const double exact_powers_of_ten[] = {
    1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

#define MAX_EXACT_POW10 22
#define MAX_EXPONENT_DIGITS_VALUE 100000000 /* clamp: beyond this it is 0 or inf */

typedef struct DecimalParts {
  int negative;
  const char *digits[2]; /* integer part, fraction part */
  size_t ndigits[2];
  long long exponent; /* value = 0.DIGITS... adjusted: see exponent of last digit */
} DecimalParts;

static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* Splits s into sign, integer digits, fraction digits and exponent. */
static int split_decimal(const char *s, size_t n, DecimalParts *d) {
  size_t i = 0;
  d->negative = 0;
  d->exponent = 0;
  if (i < n && (s[i] == '+' || s[i] == '-')) d->negative = s[i++] == '-';
  d->digits[0] = s + i;
  while (i < n && is_digit(s[i])) i++;
  d->ndigits[0] = (size_t)(s + i - d->digits[0]);
  d->digits[1] = s + i;
  d->ndigits[1] = 0;
  if (i < n && s[i] == '.') {
    d->digits[1] = s + ++i;
    while (i < n && is_digit(s[i])) i++;
    d->ndigits[1] = (size_t)(s + i - d->digits[1]);
  }
  if (d->ndigits[0] + d->ndigits[1] == 0) return -1;
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    int exp_negative = 0;
    long long e = 0;
    size_t start;
    i++;
    if (i < n && (s[i] == '+' || s[i] == '-')) exp_negative = s[i++] == '-';
    start = i;
    while (i < n && is_digit(s[i])) {
      if (e < MAX_EXPONENT_DIGITS_VALUE) e = e * 10 + (s[i] - '0');
      i++;
    }
    if (i == start) return -1;
    d->exponent = exp_negative ? -e : e;
  }
  return i == n ? 0 : -1;
}

/* Significant digits that decide the rounding of any decimal to a double
** (767 at most, for halfway points between subnormals): digits past them only
** matter as "some nonzero digit follows", which one sticky 1 preserves. So
** the general path needs no allocation, however long the number. */
#define SLOW_PATH_DIGITS 800

/* The general case, through strtod on a form without a decimal point (no
** locale can get in the way): -DIGITSeEXP. 0 or TL_DECIMAL_OUT_OF_RANGE
** (a nonzero value that rounds to 0, or past the largest double). */
static int slow_path(const DecimalParts *d, long long exp10, double *out) {
  char buf[SLOW_PATH_DIGITS + 48];
  char *p = buf;
  size_t kept = 0;
  int sticky = 0;
  if (d->negative) *p++ = '-';
  for (int part = 0; part < 2; part++) {
    for (size_t k = 0; k < d->ndigits[part]; k++) {
      char c = d->digits[part][k];
      if (kept == 0 && c == '0') continue; /* leading zeros */
      if (kept < SLOW_PATH_DIGITS) {
        *p++ = c;
        kept++;
      } else {
        exp10++;
        sticky |= c != '0';
      }
    }
  }
  if (sticky) {
    *p++ = '1';
    exp10--;
  }
  snprintf(p, 24, "e%lld", exp10);
  *out = strtod(buf, NULL);
  /* callers handled an all-zero mantissa: a nonzero value became 0 or inf */
  return *out == 0 || isinf(*out) ? TL_DECIMAL_OUT_OF_RANGE : 0;
}

/* The common case in one pass: [-]digits[.digits][e[+-]digits] with at
** most 18 significant digits and an exactly representable power of ten.
** Returns 0 with *out set, or -1 to take the general path. */
static int fast_path(const char *s, size_t n, int shift10, double *out) {
  size_t i = 0;
  uint64_t mantissa = 0;
  int digits = 0, negative = 0, fraction = 0, exp_negative = 0, exponent = 0;
  long long exp10;
  size_t first_digit;
  if (i < n && (s[i] == '-' || s[i] == '+')) negative = s[i++] == '-';
  first_digit = i;
  for (; i < n && is_digit(s[i]); i++) {
    if (mantissa == 0 && s[i] == '0') continue;
    if (++digits > 18) return -1;
    mantissa = mantissa * 10 + (uint64_t)(s[i] - '0');
  }
  if (i < n && s[i] == '.') {
    for (i++, first_digit++; i < n && is_digit(s[i]); i++, fraction++) {
      if (mantissa == 0 && s[i] == '0') continue;
      if (++digits > 18) return -1;
      mantissa = mantissa * 10 + (uint64_t)(s[i] - '0');
    }
  }
  if (i == first_digit) return -1; /* no digit at all: "", ".", "-" */
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    size_t start;
    i++;
    if (i < n && (s[i] == '+' || s[i] == '-')) exp_negative = s[i++] == '-';
    for (start = i; i < n && is_digit(s[i]) && i - start < 5; i++) exponent = exponent * 10 + (s[i] - '0');
    if (i == start) return -1;
  }
  if (i != n || mantissa > (UINT64_C(1) << 53)) return -1;
  exp10 = (exp_negative ? -exponent : exponent) - fraction + shift10;
  if (mantissa == 0) {
    *out = negative ? -0.0 : 0.0;
    return 0;
  }
  if (exp10 < -MAX_EXACT_POW10 || exp10 > MAX_EXACT_POW10) return -1;
  *out = exp10 < 0 ? (double)mantissa / exact_powers_of_ten[-exp10]
                   : (double)mantissa * exact_powers_of_ten[exp10];
  if (negative) *out = -*out;
  return 0;
}

int tl_decimal_to_double(const char *s, size_t n, int shift10, double *out) {
  DecimalParts d;
  uint64_t mantissa = 0;
  int significant = 0, all_fit = 1;
  long long exp10;
  if (fast_path(s, n, shift10, out) == 0) return 0;
  if (split_decimal(s, n, &d) != 0) return -1;
  /* The value is DIGITS * 10^(exponent - fraction digits + shift10). */
  exp10 = d.exponent - (long long)d.ndigits[1] + shift10;
  for (int part = 0; part < 2; part++) {
    for (size_t k = 0; k < d.ndigits[part]; k++) {
      unsigned digit = (unsigned)(d.digits[part][k] - '0');
      if (significant == 0 && digit == 0) continue; /* leading zeros */
      if (significant >= 19) {
        all_fit = 0;
        break;
      }
      mantissa = mantissa * 10 + digit;
      significant++;
    }
  }
  if (all_fit && mantissa == 0) {
    *out = d.negative ? -0.0 : 0.0;
    return 0;
  }
  if (all_fit && mantissa <= (UINT64_C(1) << 53) && exp10 >= -MAX_EXACT_POW10 &&
      exp10 <= MAX_EXACT_POW10) {
    double m = (double)mantissa;
    double v = exp10 < 0 ? m / exact_powers_of_ten[-exp10]
                         : m * exact_powers_of_ten[exp10];
    *out = d.negative ? -v : v;
    return 0;
  }
  return slow_path(&d, exp10, out);
}
