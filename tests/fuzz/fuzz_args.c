/*
** libFuzzer target for ext/core/args.c, the key=value arguments of the virtual
** tables.
**
**   make build/fuzz/fuzz_args
**   build/fuzz/fuzz_args -max_total_time=60 build/fuzz/corpus/fuzz_args tests/fuzz/corpus/fuzz_args
**
** INPUT. The first byte picks the spec (bit 0: with a required key) and the
** parser (bit 1: CREATE VIRTUAL TABLE arguments, split at '\n', else one
** option string). Checked: no crash or leak (ASan, UBSan); an error comes
** with a message and leaves no value, a success with neither; and a success
** is stable: its values written back as KEY='value' (doubled quotes, keys in
** upper case), then parsed again both as arguments and as an option string,
** give the same texts and numbers.
*/
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"

#define MAX_ARGS 16

static const char *const words[] = {"direct", "all", NULL};

static const TlArgSpec optional_spec[] = {
    {"file", TL_ARG_TEXT, 0, NULL},
    {"header", TL_ARG_BOOLEAN, 0, NULL},
    {"limit", TL_ARG_INTEGER, 0, NULL},
    {"mode", TL_ARG_CHOICE, 0, words},
};

#define NSPEC (sizeof optional_spec / sizeof *optional_spec)

/* The same spec, with file required or not. */
static const TlArgSpec *spec_for(int required) {
  static TlArgSpec required_spec[NSPEC];
  if (!required_spec[0].name) {
    memcpy(required_spec, optional_spec, sizeof required_spec);
    required_spec[0].required = 1;
  }
  return required ? required_spec : optional_spec;
}

/* The outcome's promises: a message exactly when it failed, and nothing
** left in the values after a failure. */
static void check_outcome(int rc, char *err, const TlArgValue *v) {
  if ((rc == TL_ARGS_ERROR) != (err != NULL)) __builtin_trap();
  if (rc == TL_ARGS_NOMEM) __builtin_trap(); /* malloc does not fail here */
  if (rc != TL_ARGS_OK) {
    for (size_t k = 0; k < NSPEC; k++)
      if (v[k].given || v[k].text || v[k].number) __builtin_trap();
  }
  free(err);
}

/* KEY='value' with each quote doubled, into a fresh string. */
static char *serialize(const char *name, const char *value) {
  size_t n = strlen(name), o = 0;
  char *out = malloc(n + 2 * strlen(value) + 4);
  if (!out) abort();
  for (size_t i = 0; i < n; i++)
    out[o++] = name[i] >= 'a' && name[i] <= 'z' ? (char)(name[i] - 'a' + 'A') : name[i];
  out[o++] = '=';
  out[o++] = '\'';
  for (const char *p = value; *p; p++) {
    out[o++] = *p;
    if (*p == '\'') out[o++] = '\'';
  }
  out[o++] = '\'';
  out[o] = 0;
  return out;
}

static void check_same(const TlArgValue *a, const TlArgValue *b) {
  for (size_t k = 0; k < NSPEC; k++) {
    if (a[k].given != b[k].given || a[k].number != b[k].number) __builtin_trap();
    if (a[k].given && strcmp(a[k].text, b[k].text) != 0) __builtin_trap();
  }
}

/* Writes the values back and parses them again, both ways. */
static void check_round_trip(const TlArgSpec *spec, const TlArgValue *v) {
  char *items[NSPEC], *joined, *err = NULL;
  const char *argv[NSPEC];
  size_t n = 0, len = 1;
  TlArgValue again[NSPEC];
  for (size_t k = 0; k < NSPEC; k++) {
    if (!v[k].given) continue;
    items[n] = serialize(spec[k].name, v[k].text);
    argv[n] = items[n];
    len += strlen(items[n]) + 2;
    n++;
  }
  memset(again, 0, sizeof again);
  if (tl_args_parse(spec, NSPEC, argv, n, again, &err) != TL_ARGS_OK) __builtin_trap();
  check_same(v, again);
  tl_args_clear(again, NSPEC);
  if (!(joined = malloc(len))) abort();
  joined[0] = 0;
  for (size_t i = 0; i < n; i++) {
    if (i) strcat(joined, ", ");
    strcat(joined, items[i]);
    free(items[i]);
  }
  if (tl_args_parse_options(spec, NSPEC, joined, again, &err) != TL_ARGS_OK) __builtin_trap();
  check_same(v, again);
  tl_args_clear(again, NSPEC);
  free(joined);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const TlArgSpec *spec;
  TlArgValue v[NSPEC];
  char *text, *err = NULL;
  int rc;
  if (size == 0) return 0;
  spec = spec_for(data[0] & 1);
  if (!(text = malloc(size))) abort();
  memcpy(text, data + 1, size - 1);
  text[size - 1] = 0;
  memset(v, 0, sizeof v);
  if (data[0] & 2) {
    const char *argv[MAX_ARGS];
    size_t argc = 0;
    for (char *p = text; argc < MAX_ARGS; p++) {
      argv[argc++] = p;
      if (!(p = strchr(p, '\n'))) break;
      *p = 0;
    }
    rc = tl_args_parse(spec, NSPEC, argv, argc, v, &err);
  } else {
    rc = tl_args_parse_options(spec, NSPEC, text, v, &err);
  }
  check_outcome(rc, err, v);
  if (rc == TL_ARGS_OK) check_round_trip(spec, v);
  tl_args_clear(v, NSPEC);
  free(text);
  return 0;
}
