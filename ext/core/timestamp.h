/*
** Timestamps as usage logs write them, converted to one form: ISO-8601 UTC
** with milliseconds, "YYYY-MM-DDTHH:MM:SS.sssZ".
**
** Accepted input:
**
**   - Epoch numbers (a JSON number, or a string of digits as OTLP/JSON writes
**     its 64-bit integers). The unit is decided by magnitude, because logs do
**     not say it and the ranges do not overlap for any date between
**     1973-03-03 and 5138-11-16:
**         |v| <  1e11   seconds        (e.g. OpenAI "created": 1718000000)
**         |v| <  1e14   milliseconds   (e.g. JavaScript Date.now())
**         |v| <  1e17   microseconds
**         otherwise     nanoseconds    (e.g. OTLP startTimeUnixNano)
**     A fractional part is kept (1718000000.5 is half a second later).
**     Integer literals are converted exactly, without going through a double,
**     so nanosecond values keep their precision.
**
**   - ISO-8601 / RFC 3339 strings: YYYY-MM-DD, optionally followed by 'T',
**     't' or ' ' and HH:MM[:SS[.fraction]], optionally followed by 'Z', 'z',
**     +HH:MM, -HH:MM, +HHMM or +HH. An offset is subtracted to give UTC; a
**     time without offset is taken as UTC already (documented, since such a
**     log cannot say otherwise). A leap second (:60) is accepted and lands on
**     the next minute's first second.
**
** Output truncates below the millisecond (toward the past). Years outside
** 0000..9999 cannot be written in this form and are rejected.
**
** Plain C; no SQLite, no allocation, no locale, no time zone database.
*/
#ifndef TOKENLEDGER_TIMESTAMP_H
#define TOKENLEDGER_TIMESTAMP_H

#include <stddef.h>
#include <stdint.h>

/* An instant: seconds since 1970-01-01T00:00:00Z plus nanoseconds (0..1e9-1). */
typedef struct TlTime {
  int64_t sec;
  int32_t nsec;
} TlTime;

/* Length of the formatted form including its NUL. */
#define TL_TIME_ISO_SIZE 25

/* Parse an epoch number written as a JSON number literal or digit string.
** Returns 0, or -1 when the text is not a number or is out of range. */
int tl_time_from_epoch_text(const char *s, size_t n, TlTime *out);

/* Parse an ISO-8601 string. Returns 0 or -1. */
int tl_time_from_iso(const char *s, size_t n, TlTime *out);

/* Either of the above: a string that is all digits (with an optional sign
** and fraction) is an epoch number, anything else must be ISO-8601. */
int tl_time_parse(const char *s, size_t n, TlTime *out);

/* Write "YYYY-MM-DDTHH:MM:SS.sssZ" into out (TL_TIME_ISO_SIZE bytes).
** Returns 0, or -1 when the year is outside 0000..9999. */
int tl_time_format(TlTime t, char *out);

/* The fast path of parse-then-format for the shape logs write most: when s
** (n bytes) is "YYYY-MM-DDTHH:MM:SSZ" or "YYYY-MM-DDTHH:MM:SS.sssZ", a valid
** instant with a second below 60, writes into out (TL_TIME_ISO_SIZE bytes)
** what tl_time_parse + tl_time_format would, and returns 1; else 0, out
** untouched. */
int tl_time_copy_utc(const char *s, size_t n, char *out);

/* b - a in milliseconds. */
double tl_time_diff_ms(TlTime a, TlTime b);

#endif
