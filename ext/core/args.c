/*
** key=value arguments of the virtual tables: the rules are at the top of
** ext/core/args.h. Plain C, no SQLite: the unit test (tests/unit/test_args.c) and
** the fuzz target (tests/fuzz/fuzz_args.c) link it alone.
*/
#include "args.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tl_alloc.h"

/* SQLite's PRAGMA booleans (https://sqlite.org/pragma.html): its parser also
** reads any digit string as a number, but "2" or "01x" here is more likely
** a mistake than a wish, so only these. The message lists them in pairs. */
static const char *const true_words[] = {"1", "yes", "true", "on"};
static const char *const false_words[] = {"0", "no", "false", "off"};
#define BOOLEAN_WORDS "1, 0, yes, no, true, false, on or off"

static int is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static char lower(char c) { return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c; }

/* a and b equal but for ASCII case (keys, booleans, choices). */
static int same_word(const char *a, const char *b) {
  while (*a && lower(*a) == lower(*b)) a++, b++;
  return lower(*a) == lower(*b);
}

static void trim(const char **s, size_t *n) {
  while (*n > 0 && is_blank(**s)) ++*s, --*n;
  while (*n > 0 && is_blank((*s)[*n - 1])) --*n;
}

/* A copy of s[0..n) trimmed and, when quoted with ' or ", without the
** quotes and with each doubled quote made single. */
static char *unquote(const char *s, size_t n) {
  size_t j = 0;
  char *out;
  trim(&s, &n);
  out = tl_malloc(n + 1);
  if (!out) return NULL;
  if (n >= 2 && (s[0] == '\'' || s[0] == '"') && s[n - 1] == s[0]) {
    for (size_t i = 1; i + 1 < n; i++) {
      out[j++] = s[i];
      if (s[i] == s[0] && s[i + 1] == s[0]) i++;
    }
  } else {
    memcpy(out, s, n);
    j = n;
  }
  out[j] = 0;
  return out;
}

/* Sets *err to the formatted message: TL_ARGS_ERROR, or TL_ARGS_NOMEM when
** the message itself cannot be had. */
__attribute__((format(printf, 2, 3))) static int fail(char **err, const char *format, ...) {
  va_list ap;
  int n;
  va_start(ap, format);
  n = vsnprintf(NULL, 0, format, ap);
  va_end(ap);
  if (n < 0 || !(*err = tl_malloc((size_t)n + 1))) return TL_ARGS_NOMEM;
  va_start(ap, format);
  vsnprintf(*err, (size_t)n + 1, format, ap);
  va_end(ap);
  return TL_ARGS_ERROR;
}

/* "a, b or c": word(i) for i < n, as the messages list what is expected.
** word is either a spec's names or a choice list, hence the two getters. */
typedef const char *(*WordAt)(const void *list, size_t i);

static const char *spec_name(const void *list, size_t i) {
  return ((const TlArgSpec *)list)[i].name;
}

static const char *choice_word(const void *list, size_t i) {
  return ((const char *const *)list)[i];
}

static char *join_words(WordAt word, const void *list, size_t n) {
  size_t len = 1;
  char *out, *p;
  for (size_t i = 0; i < n; i++) len += strlen(word(list, i)) + 4;
  if (!(p = out = tl_malloc(len))) return NULL;
  *p = 0;
  for (size_t i = 0; i < n; i++) {
    const char *sep = i == 0 ? "" : i + 1 == n ? " or " : ", ";
    p += strlen(strcpy(p, sep));
    p += strlen(strcpy(p, word(list, i)));
  }
  return out;
}

static size_t count_choices(const char *const *choices) {
  size_t n = 0;
  while (choices[n]) n++;
  return n;
}

static int read_boolean(const TlArgSpec *spec, const char *value, TlArgValue *out, char **err) {
  for (size_t i = 0; i < sizeof true_words / sizeof *true_words; i++) {
    if (same_word(value, true_words[i])) return out->number = 1, TL_ARGS_OK;
    if (same_word(value, false_words[i])) return out->number = 0, TL_ARGS_OK;
  }
  return fail(err, "bad value '%s' for %s: expected " BOOLEAN_WORDS, value, spec->name);
}

/* An optional sign and decimal digits, within 64 bits. */
static int read_integer(const TlArgSpec *spec, const char *value, TlArgValue *out, char **err) {
  int negative = *value == '-';
  const char *digits = value + (negative || *value == '+'), *p = digits;
  unsigned long long magnitude = 0, limit = 0x7fffffffffffffffULL + (unsigned)negative;
  for (; *p >= '0' && *p <= '9'; p++) {
    unsigned digit = (unsigned)(*p - '0');
    if (magnitude > (limit - digit) / 10) break;
    magnitude = magnitude * 10 + digit;
  }
  if (*p || p == digits)
    return fail(err, "bad value '%s' for %s: expected a 64-bit integer", value, spec->name);
  out->number = negative && magnitude ? -(long long)(magnitude - 1) - 1 : (long long)magnitude;
  return TL_ARGS_OK;
}

static int read_choice(const TlArgSpec *spec, const char *value, TlArgValue *out, char **err) {
  size_t n = count_choices(spec->choices);
  char *list;
  int rc;
  for (size_t i = 0; i < n; i++)
    if (same_word(value, spec->choices[i])) return out->number = (long long)i, TL_ARGS_OK;
  if (!(list = join_words(choice_word, spec->choices, n))) return TL_ARGS_NOMEM;
  rc = fail(err, "bad value '%s' for %s: expected %s", value, spec->name, list);
  tl_free(list);
  return rc;
}

/* Reads value (taken as is) as spec's type into out, which keeps a copy. */
static int take_value(const TlArgSpec *spec, const char *value, TlArgValue *out, char **err) {
  size_t n = strlen(value);
  if (!(out->text = tl_malloc(n + 1))) return TL_ARGS_NOMEM;
  memcpy(out->text, value, n + 1);
  out->given = 1;
  switch (spec->type) {
    case TL_ARG_BOOLEAN: return read_boolean(spec, value, out, err);
    case TL_ARG_INTEGER: return read_integer(spec, value, out, err);
    case TL_ARG_CHOICE: return read_choice(spec, value, out, err);
    default: return TL_ARGS_OK; /* TL_ARG_TEXT */
  }
}

/* One KEY=VALUE item, s[0..n), into out; noun is "argument" or "option". */
static int parse_item(const TlArgSpec *spec, size_t n_spec, const char *s, size_t n,
                      const char *noun, TlArgValue *out, char **err) {
  const char *eq = memchr(s, '=', n);
  char *key, *value, *list;
  size_t k;
  int rc;
  if (!eq) {
    if (!(list = join_words(spec_name, spec, n_spec))) return TL_ARGS_NOMEM;
    trim(&s, &n);
    rc = fail(err, "bad %s '%.*s': expected key=value with key %s", noun, (int)n, s, list);
    tl_free(list);
    return rc;
  }
  if (!(key = unquote(s, (size_t)(eq - s)))) return TL_ARGS_NOMEM;
  for (k = 0; k < n_spec && !same_word(key, spec[k].name); k++) {
  }
  if (k == n_spec) {
    rc = (list = join_words(spec_name, spec, n_spec)) != NULL
             ? fail(err, "unknown %s '%s': expected %s", noun, key, list)
             : TL_ARGS_NOMEM;
    tl_free(list);
  } else if (out[k].given) {
    rc = fail(err, "more than one '%s' %s", spec[k].name, noun);
  } else if (!(value = unquote(eq + 1, n - (size_t)(eq + 1 - s)))) {
    rc = TL_ARGS_NOMEM;
  } else {
    rc = take_value(&spec[k], value, &out[k], err);
    tl_free(value);
  }
  tl_free(key);
  return rc;
}

static int check_required(const TlArgSpec *spec, size_t n_spec, const char *noun,
                          const TlArgValue *out, char **err) {
  for (size_t k = 0; k < n_spec; k++)
    if (spec[k].required && !out[k].given) return fail(err, "missing %s '%s'", noun, spec[k].name);
  return TL_ARGS_OK;
}

int tl_args_parse(const TlArgSpec *spec, size_t n_spec, const char *const *args, size_t n_args,
                  TlArgValue *out, char **err) {
  int rc = TL_ARGS_OK;
  *err = NULL;
  for (size_t i = 0; i < n_args && rc == TL_ARGS_OK; i++)
    rc = parse_item(spec, n_spec, args[i], strlen(args[i]), "argument", out, err);
  if (rc == TL_ARGS_OK) rc = check_required(spec, n_spec, "argument", out, err);
  if (rc != TL_ARGS_OK) tl_args_clear(out, n_spec);
  return rc;
}

/* Where the item starting at s ends: its comma or the final NUL, skipping
** over quoted runs (a doubled quote closes and reopens one); NULL when a
** quote is never closed. */
static const char *item_end(const char *s) {
  char quote = 0;
  for (; *s; s++) {
    if (quote) {
      if (*s == quote) quote = 0;
    } else if (*s == '\'' || *s == '"') {
      quote = *s;
    } else if (*s == ',') {
      return s;
    }
  }
  return quote ? NULL : s;
}

int tl_args_parse_options(const TlArgSpec *spec, size_t n_spec, const char *text,
                          TlArgValue *out, char **err) {
  int rc = TL_ARGS_OK;
  *err = NULL;
  while (text && *text && rc == TL_ARGS_OK) {
    const char *end = item_end(text), *item = text;
    size_t n;
    if (!end) {
      n = strlen(text);
      trim(&item, &n);
      rc = fail(err, "bad option '%.*s': expected a closing quote", (int)n, item);
      break;
    }
    n = (size_t)(end - text);
    trim(&item, &n);
    if (n > 0) rc = parse_item(spec, n_spec, item, n, "option", out, err);
    text = *end ? end + 1 : end;
  }
  if (rc == TL_ARGS_OK) rc = check_required(spec, n_spec, "option", out, err);
  if (rc != TL_ARGS_OK) tl_args_clear(out, n_spec);
  return rc;
}

int tl_args_value(const TlArgSpec *spec, const char *value, TlArgValue *out, char **err) {
  int rc;
  *err = NULL;
  rc = take_value(spec, value, out, err);
  if (rc != TL_ARGS_OK) tl_args_clear(out, 1);
  return rc;
}

void tl_args_clear(TlArgValue *out, size_t n_spec) {
  for (size_t k = 0; k < n_spec; k++) tl_free(out[k].text);
  memset(out, 0, n_spec * sizeof *out);
}
