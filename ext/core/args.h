/*
** key=value arguments, one dialect for every virtual table: the arguments of
** CREATE VIRTUAL TABLE (tl_args_parse) and option strings such as pareto's
** 'dominated_by=all, nulls=worst' (tl_args_parse_options).
**
** A module describes its arguments in a table of TlArgSpec (name, type,
** required) and gets one TlArgValue per entry, in the same order. Rules:
**
**  - ASCII whitespace around keys and values is dropped; keys are matched
**    without ASCII case (FILE= is file=).
**  - A key or value written '...' or "..." loses the quotes, and a doubled
**    quote inside stands for one ('it''s' is it's). Only those two quotes:
**    [..] and `..` are kept as written, as csvfile always did. A value that
**    starts with a quote but does not end with the same one is taken as
**    written.
**  - Booleans are the spellings of SQLite's PRAGMA booleans, in any case:
**    1, yes, true, on and 0, no, false, off.
**  - A bare word (no '='), an unknown key (the message lists the valid keys
**    in spec order), a key given twice, a value of the wrong type and a
**    missing required key are errors.
**  - In an option string, items are separated by commas outside quotes
**    (nulls='a,b' is one item), an unterminated quote is an error, and
**    empty items are skipped, so 'nulls=worst,' is fine. CREATE VIRTUAL
**    TABLE's arguments come already split by SQLite's tokenizer.
**
** Errors are data: TL_ARGS_ERROR with *err a message (tl_malloc) naming the
** argument and what was expected, without the module name, which the caller
** puts in front: "unknown argument 'delimitr': expected file, header,
** delimiter or null". TL_ARGS_NOMEM when out of memory (then *err is NULL).
** On any failure the values are cleared.
*/
#ifndef TOKENLEDGER_ARGS_H
#define TOKENLEDGER_ARGS_H

#include <stddef.h>

typedef enum TlArgType {
  TL_ARG_TEXT,    /* any text */
  TL_ARG_BOOLEAN, /* number: 1 or 0 */
  TL_ARG_INTEGER, /* number: a decimal integer that fits 64 bits */
  TL_ARG_CHOICE   /* number: the index in choices, matched without case */
} TlArgType;

typedef struct TlArgSpec {
  const char *name; /* lowercase */
  TlArgType type;
  int required;
  const char *const *choices; /* TL_ARG_CHOICE: the words, NULL-terminated */
} TlArgSpec;

typedef struct TlArgValue {
  int given;
  char *text;       /* the value as given, trimmed and dequoted (tl_malloc) */
  long long number; /* see TlArgType */
} TlArgValue;

#define TL_ARGS_OK 0
#define TL_ARGS_ERROR 1
#define TL_ARGS_NOMEM 2

/* The n_args strings of args (CREATE VIRTUAL TABLE's argv + 3) into
** out[0..n_spec), which the caller zeroes or clears first. */
int tl_args_parse(const TlArgSpec *spec, size_t n_spec, const char *const *args, size_t n_args,
                  TlArgValue *out, char **err);

/* The comma-separated items of text (NULL: none) into out[0..n_spec). */
int tl_args_parse_options(const TlArgSpec *spec, size_t n_spec, const char *text,
                          TlArgValue *out, char **err);

/* One value for one spec entry, taken as it is (no trimming, no quotes):
** for arguments that arrive as SQL values, such as a table-valued
** function's, so they are judged and worded like the key=value ones. */
int tl_args_value(const TlArgSpec *spec, const char *value, TlArgValue *out, char **err);

/* Frees the texts of out[0..n_spec) and zeroes it. */
void tl_args_clear(TlArgValue *out, size_t n_spec);

#endif
