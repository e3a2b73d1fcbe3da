/*
** Timestamp conversion for usage logs: epoch numbers of any unit and
** ISO-8601 strings with offsets, to ISO-8601 UTC. The rules (magnitude
** thresholds, offsets, truncation) are the manual in timestamp.h.
**
** HOW IT WORKS: everything becomes a TlTime (seconds + nanoseconds since the
** Unix epoch). Calendar dates go to and from a day count with the proleptic
** Gregorian "days from civil" arithmetic (eras of 400 years, 146097 days,
** with March as the first month so that the leap day ends the year), which
** needs no tables and no time zone database. Epoch literals are read digit
** by digit so that a 19-digit nanosecond count stays exact.
*/
#include "timestamp.h"

#include <string.h>

#define NANOS 1000000000

/* Days since 1970-01-01 of the proleptic Gregorian date y-m-d. */
static int64_t days_from_civil(int64_t y, int m, int d) {
  int64_t era, yoe, doy, doe;
  y -= m <= 2;
  era = (y >= 0 ? y : y - 399) / 400;
  yoe = y - era * 400;
  doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d) {
  int64_t era, doe, yoe, doy, mp;
  z += 719468;
  era = (z >= 0 ? z : z - 146096) / 146097;
  doe = z - era * 146097;
  yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  mp = (5 * doy + 2) / 153;
  *d = (int)(doy - (153 * mp + 2) / 5 + 1);
  *m = (int)(mp < 10 ? mp + 3 : mp - 9);
  *y = yoe + era * 400 + (*m <= 2);
}

static int is_leap(int64_t y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int64_t y, int m) {
  static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* Exactly `width` digits at s[*i] into *out. */
static int take_fixed(const char *s, size_t n, size_t *i, int width, int *out) {
  int v = 0;
  for (int k = 0; k < width; k++, (*i)++) {
    if (*i >= n || !is_digit(s[*i])) return -1;
    v = v * 10 + (s[*i] - '0');
  }
  *out = v;
  return 0;
}

int tl_time_from_epoch_text(const char *s, size_t n, TlTime *out) {
  /* The mantissa's digits, the position of the decimal point among them,
  ** then the exponent moves that point. */
  char digits[64];
  size_t nd = 0, i = 0;
  long dp = 0, exp = 0, k;
  int neg = 0, any = 0, point = 0, exp_neg = 0;
  uint64_t whole = 0, frac9 = 0;
  TlTime t;

  if (i < n && (s[i] == '-' || s[i] == '+')) neg = s[i++] == '-';
  for (; i < n; i++) {
    if (is_digit(s[i])) {
      any = 1;
      if (nd == 0 && s[i] == '0') { /* leading zeros carry no value */
        if (point) dp--;
        continue;
      }
      if (nd < sizeof digits) digits[nd++] = s[i];
      else if (!point) return -1; /* integer part far out of range */
    } else if (s[i] == '.' && !point) {
      point = 1;
      dp = (long)nd;
    } else {
      break;
    }
  }
  if (!any) return -1;
  if (!point) dp = (long)nd;
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    int exp_any = 0;
    i++;
    if (i < n && (s[i] == '-' || s[i] == '+')) exp_neg = s[i++] == '-';
    for (; i < n && is_digit(s[i]); i++) {
      exp_any = 1;
      if (exp < 1000) exp = exp * 10 + (s[i] - '0');
    }
    if (!exp_any) return -1;
  }
  if (i != n) return -1;
  dp += exp_neg ? -exp : exp;

  /* digits[0..dp) is the whole part (zeros past nd), the rest the fraction. */
  if (dp > 20) return -1;
  for (k = 0; k < dp; k++) {
    int d = k < (long)nd ? digits[k] - '0' : 0;
    if (whole > (UINT64_MAX - (uint64_t)d) / 10) return -1;
    whole = whole * 10 + (uint64_t)d;
  }
  for (k = dp; k < dp + 9; k++) {
    int d = (k >= 0 && k < (long)nd) ? digits[k] - '0' : 0;
    frac9 = frac9 * 10 + (uint64_t)d;
  }

  if (whole < 100000000000ULL) { /* seconds */
    t.sec = (int64_t)whole;
    t.nsec = (int32_t)frac9;
  } else if (whole < 100000000000000ULL) { /* milliseconds */
    t.sec = (int64_t)(whole / 1000);
    t.nsec = (int32_t)((whole % 1000) * 1000000 + frac9 / 1000);
  } else if (whole < 100000000000000000ULL) { /* microseconds */
    t.sec = (int64_t)(whole / 1000000);
    t.nsec = (int32_t)((whole % 1000000) * 1000 + frac9 / 1000000);
  } else { /* nanoseconds */
    t.sec = (int64_t)(whole / NANOS);
    t.nsec = (int32_t)(whole % NANOS);
  }
  if (neg) {
    t.sec = -t.sec;
    t.nsec = -t.nsec;
    if (t.nsec < 0) {
      t.nsec += NANOS;
      t.sec -= 1;
    }
  }
  *out = t;
  return 0;
}

int tl_time_from_iso(const char *s, size_t n, TlTime *out) {
  size_t i = 0;
  int year, month, day, hour = 0, minute = 0, second = 0;
  int32_t nsec = 0;
  int64_t offset = 0;

  if (take_fixed(s, n, &i, 4, &year) || i >= n || s[i++] != '-' ||
      take_fixed(s, n, &i, 2, &month) || i >= n || s[i++] != '-' ||
      take_fixed(s, n, &i, 2, &day))
    return -1;
  if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month))
    return -1;
  if (i < n && (s[i] == 'T' || s[i] == 't' || s[i] == ' ')) {
    i++;
    if (take_fixed(s, n, &i, 2, &hour) || i >= n || s[i++] != ':' ||
        take_fixed(s, n, &i, 2, &minute))
      return -1;
    if (i < n && s[i] == ':') {
      i++;
      if (take_fixed(s, n, &i, 2, &second)) return -1;
      if (i < n && (s[i] == '.' || s[i] == ',')) {
        int32_t scale = NANOS / 10;
        i++;
        if (i >= n || !is_digit(s[i])) return -1;
        for (; i < n && is_digit(s[i]); i++, scale /= 10)
          nsec += (int32_t)(s[i] - '0') * scale;
      }
    }
    if (hour > 23 || minute > 59 || second > 60) return -1;
    if (i < n && (s[i] == 'Z' || s[i] == 'z')) {
      i++;
    } else if (i < n && (s[i] == '+' || s[i] == '-')) {
      int sign = s[i++] == '-' ? -1 : 1, oh, om = 0;
      if (take_fixed(s, n, &i, 2, &oh)) return -1;
      if (i < n && s[i] == ':') i++;
      if (i < n && take_fixed(s, n, &i, 2, &om)) return -1;
      if (oh > 23 || om > 59) return -1;
      offset = sign * (int64_t)(oh * 3600 + om * 60);
    }
  }
  if (i != n) return -1;
  out->sec = days_from_civil(year, month, day) * 86400 + hour * 3600 +
             minute * 60 + second - offset;
  out->nsec = nsec;
  return 0;
}

int tl_time_parse(const char *s, size_t n, TlTime *out) {
  size_t i = (n > 0 && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
  /* ISO dates have '-' after four digits; epoch text never does. */
  for (; i < n; i++) {
    if (!is_digit(s[i]) && s[i] != '.' && s[i] != 'e' && s[i] != 'E' &&
        s[i] != '+')
      return tl_time_from_iso(s, n, out);
  }
  return tl_time_from_epoch_text(s, n, out);
}

/* The digits of s at [at, at + width) as a number, or -1. */
static int fixed_at(const char *s, int at, int width) {
  int v = 0;
  for (int k = at; k < at + width; k++) {
    if (!is_digit(s[k])) return -1;
    v = v * 10 + (s[k] - '0');
  }
  return v;
}

int tl_time_copy_utc(const char *s, size_t n, char *out) {
  /* "YYYY-MM-DDTHH:MM:SSZ" or "YYYY-MM-DDTHH:MM:SS.sssZ", as logs write it */
  if ((n != 20 && n != 24) || s[n - 1] != 'Z' || s[4] != '-' || s[7] != '-' ||
      s[10] != 'T' || s[13] != ':' || s[16] != ':' || (n == 24 && s[19] != '.'))
    return 0;
  int year = fixed_at(s, 0, 4), month = fixed_at(s, 5, 2), day = fixed_at(s, 8, 2);
  int hour = fixed_at(s, 11, 2), minute = fixed_at(s, 14, 2), second = fixed_at(s, 17, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > days_in_month(year, month) ||
      hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59 ||
      (n == 24 && fixed_at(s, 20, 3) < 0))
    return 0; /* a leap second (60) rolls over: the slow path */
  memcpy(out, s, 19);
  memcpy(out + 19, n == 24 ? s + 19 : ".000Z", 5);
  out[24] = 0;
  return 1;
}

/* v as exactly `width` decimal digits. */
static void put_digits(char *out, int v, int width) {
  for (int i = width - 1; i >= 0; i--, v /= 10) out[i] = (char)('0' + v % 10);
}

int tl_time_format(TlTime t, char *out) {
  int64_t days = t.sec / 86400, rem = t.sec % 86400, year;
  int month, day;
  if (rem < 0) {
    rem += 86400;
    days -= 1;
  }
  civil_from_days(days, &year, &month, &day);
  if (year < 0 || year > 9999) return -1;
  /* By hand rather than snprintf: this runs once per row of a large log. */
  put_digits(out, (int)year, 4);
  out[4] = '-';
  put_digits(out + 5, month, 2);
  out[7] = '-';
  put_digits(out + 8, day, 2);
  out[10] = 'T';
  put_digits(out + 11, (int)(rem / 3600), 2);
  out[13] = ':';
  put_digits(out + 14, (int)(rem / 60 % 60), 2);
  out[16] = ':';
  put_digits(out + 17, (int)(rem % 60), 2);
  out[19] = '.';
  put_digits(out + 20, (int)(t.nsec / 1000000), 3);
  out[23] = 'Z';
  out[24] = 0;
  return 0;
}

double tl_time_diff_ms(TlTime a, TlTime b) {
  return (double)(b.sec - a.sec) * 1e3 + (double)(b.nsec - a.nsec) / 1e6;
}
