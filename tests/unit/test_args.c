/*
** Unit tests of ext/core/args.c, the key=value arguments of every virtual table:
** one hand-written case per rule of ext/core/args.h (trimming, quotes, key case,
** booleans, integers, choices, duplicates, unknown and missing keys, option
** strings), then every allocation failing in turn.
*/
#include "args.h"
#include "check.h"
#include "tl_alloc.h"

static const char *const levels[] = {"direct", "all", NULL};

/* A spec with every type, shaped like csvfile's with two additions. */
static const TlArgSpec spec[] = {
    {"file", TL_ARG_TEXT, 1, NULL},
    {"header", TL_ARG_BOOLEAN, 0, NULL},
    {"delimiter", TL_ARG_TEXT, 0, NULL},
    {"limit", TL_ARG_INTEGER, 0, NULL},
    {"mode", TL_ARG_CHOICE, 0, levels},
};
#define NSPEC (sizeof spec / sizeof *spec)

/* Nothing required: for option strings and for the text rules. */
static const TlArgSpec loose[] = {
    {"a", TL_ARG_TEXT, 0, NULL},
    {"b", TL_ARG_TEXT, 0, NULL},
};

/* The outcome as one line: "file=<x> header=1 ..." for the given values,
** "ERROR: message", or "NOMEM". Also checks that a failure clears out. */
static const char *describe(int rc, char *err, const TlArgSpec *s, size_t n, TlArgValue *out) {
  static char buf[2048];
  size_t o = 0;
  buf[0] = 0;
  if (rc != TL_ARGS_OK) {
    for (size_t k = 0; k < n; k++)
      if (out[k].given || out[k].text || out[k].number) return "values left after a failure";
    if (rc == TL_ARGS_NOMEM) return err ? "NOMEM with a message" : "NOMEM";
    snprintf(buf, sizeof buf, "ERROR: %s", err ? err : "(no message)");
    tl_free(err);
    return buf;
  }
  if (err) return "OK with a message";
  for (size_t k = 0; k < n; k++) {
    if (!out[k].given) continue;
    o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%s=<%s>", o ? " " : "", s[k].name,
                          out[k].text);
    if (s[k].type != TL_ARG_TEXT)
      o += (size_t)snprintf(buf + o, sizeof buf - o, "%lld", out[k].number);
  }
  tl_args_clear(out, n);
  return buf;
}

/* argv: a NULL-terminated list of CREATE VIRTUAL TABLE arguments. */
static const char *parse_list(const TlArgSpec *s, size_t n, const char *const *argv) {
  TlArgValue out[8];
  char *err = NULL;
  size_t argc = 0;
  int rc;
  memset(out, 0, sizeof out);
  while (argv[argc]) argc++;
  rc = tl_args_parse(s, n, argv, argc, out, &err);
  return describe(rc, err, s, n, out);
}

#define ARGS(...) parse_list(spec, NSPEC, (const char *const[]){__VA_ARGS__, NULL})
#define LOOSE(...) parse_list(loose, 2, (const char *const[]){__VA_ARGS__, NULL})

static const char *options(const TlArgSpec *s, size_t n, const char *text) {
  TlArgValue out[8];
  char *err = NULL;
  int rc;
  memset(out, 0, sizeof out);
  rc = tl_args_parse_options(s, n, text, out, &err);
  return describe(rc, err, s, n, out);
}

static void test_text(void) {
  CHECK_STR("plain", ARGS("file=x.csv"), "file=<x.csv>");
  CHECK_STR("ASCII whitespace around key and value",
            ARGS(" \t file \n=\r x y \f\v"), "file=<x y>");
  CHECK_STR("single quotes", ARGS("file=' a b '"), "file=< a b >");
  CHECK_STR("double quotes", ARGS("file=\"a,b\""), "file=<a,b>");
  CHECK_STR("doubled single quote", ARGS("file='it''s'"), "file=<it's>");
  CHECK_STR("doubled double quote", ARGS("file=\"say \"\"hi\"\"\""), "file=<say \"hi\">");
  CHECK_STR("the other quote inside is kept", ARGS("file='a\"b'"), "file=<a\"b>");
  CHECK_STR("quotes inside an unquoted value are kept", ARGS("file=it''s"), "file=<it''s>");
  CHECK_STR("an unbalanced quote is kept", ARGS("file='abc"), "file=<'abc>");
  CHECK_STR("mismatched quotes are kept", ARGS("file='abc\""), "file=<'abc\">");
  CHECK_STR("[..] is not a quote (as csvfile never took it)", ARGS("file=[x]"), "file=<[x]>");
  CHECK_STR("`..` is not a quote", ARGS("file=`x`"), "file=<`x`>");
  CHECK_STR("empty value", ARGS("file="), "file=<>");
  CHECK_STR("empty quoted value", ARGS("file=''"), "file=<>");
  CHECK_STR("a lone quote", ARGS("file='"), "file=<'>");
  CHECK_STR("value holding '='", ARGS("file=a=b"), "file=<a=b>");
  CHECK_STR("the first '=' splits", ARGS("file==x"), "file=<=x>");
}

static void test_keys(void) {
  CHECK_STR("keys without case", ARGS("FILE=a", "Header=no"), "file=<a> header=<no>0");
  CHECK_STR("quoted key", ARGS("\"file\"=a"), "file=<a>");
  CHECK_STR("unknown key lists the keys in spec order", ARGS("file=a", "delimitr=;"),
            "ERROR: unknown argument 'delimitr': expected file, header, delimiter, limit or mode");
  CHECK_STR("empty key", ARGS("=a"),
            "ERROR: unknown argument '': expected file, header, delimiter, limit or mode");
  CHECK_STR("duplicate key", ARGS("file=a", "FILE=b"), "ERROR: more than one 'file' argument");
  CHECK_STR("the first error wins", ARGS("nope=1", "file=a", "file=b"),
            "ERROR: unknown argument 'nope': expected file, header, delimiter, limit or mode");
  CHECK_STR("a bare word", ARGS("x.csv"),
            "ERROR: bad argument 'x.csv': expected key=value with key file, header, delimiter, "
            "limit or mode");
  CHECK_STR("missing required", ARGS("header=yes"), "ERROR: missing argument 'file'");
  CHECK_STR("no arguments, one required", parse_list(spec, NSPEC, (const char *const[]){NULL}),
            "ERROR: missing argument 'file'");
  CHECK_STR("two keys listed with or", LOOSE("c=1"), "ERROR: unknown argument 'c': expected a or b");
  CHECK_STR("one key listed alone", parse_list(loose, 1, (const char *const[]){"c=1", NULL}),
            "ERROR: unknown argument 'c': expected a");
  CHECK_STR("nothing required, nothing given", parse_list(loose, 2, (const char *const[]){NULL}),
            "");
}

static void test_types(void) {
  static const char *const spellings[][2] = {
      {"1", "1"},   {"0", "0"},       {"yes", "1"}, {"no", "0"},   {"true", "1"},
      {"false", "0"}, {"on", "1"},    {"off", "0"}, {"YES", "1"},  {"No", "0"},
      {"TRUE", "1"}, {"False", "0"},  {"On", "1"},  {"OFF", "0"},  {"'yes'", "1"}};
  for (size_t i = 0; i < sizeof spellings / sizeof *spellings; i++) {
    char arg[64], want[96], name[96];
    snprintf(arg, sizeof arg, "header=%s", spellings[i][0]);
    snprintf(want, sizeof want, "file=<a> header=<%s>%s",
             spellings[i][0][0] == '\'' ? "yes" : spellings[i][0], spellings[i][1]);
    snprintf(name, sizeof name, "boolean %s", spellings[i][0]);
    CHECK_STR(name, ARGS("file=a", arg), want);
  }
  CHECK_STR("boolean 2 is not one", ARGS("file=a", "header=2"),
            "ERROR: bad value '2' for header: expected 1, 0, yes, no, true, false, on or off");
  CHECK_STR("boolean maybe", ARGS("file=a", "header=maybe"),
            "ERROR: bad value 'maybe' for header: expected 1, 0, yes, no, true, false, on or off");
  CHECK_STR("boolean empty", ARGS("file=a", "header="),
            "ERROR: bad value '' for header: expected 1, 0, yes, no, true, false, on or off");
  CHECK_STR("integer", ARGS("file=a", "limit=42"), "file=<a> limit=<42>42");
  CHECK_STR("integer signs", ARGS("file=a", "limit=-7"), "file=<a> limit=<-7>-7");
  CHECK_STR("integer plus", ARGS("file=a", "limit=+3"), "file=<a> limit=<+3>3");
  CHECK_STR("integer max", ARGS("file=a", "limit=9223372036854775807"),
            "file=<a> limit=<9223372036854775807>9223372036854775807");
  CHECK_STR("integer min", ARGS("file=a", "limit=-9223372036854775808"),
            "file=<a> limit=<-9223372036854775808>-9223372036854775808");
  CHECK_STR("integer overflow", ARGS("file=a", "limit=9223372036854775808"),
            "ERROR: bad value '9223372036854775808' for limit: expected a 64-bit integer");
  CHECK_STR("integer underflow", ARGS("file=a", "limit=-9223372036854775809"),
            "ERROR: bad value '-9223372036854775809' for limit: expected a 64-bit integer");
  CHECK_STR("integer sign alone", ARGS("file=a", "limit=-"),
            "ERROR: bad value '-' for limit: expected a 64-bit integer");
  CHECK_STR("integer with a tail", ARGS("file=a", "limit=1x"),
            "ERROR: bad value '1x' for limit: expected a 64-bit integer");
  CHECK_STR("choice without case", ARGS("file=a", "mode=ALL"), "file=<a> mode=<ALL>1");
  CHECK_STR("choice first word", ARGS("file=a", "mode=\"direct\""), "file=<a> mode=<direct>0");
  CHECK_STR("bad choice", ARGS("file=a", "mode=some"),
            "ERROR: bad value 'some' for mode: expected direct or all");
}

static void test_options(void) {
  const TlArgSpec *s = spec + 1; /* header, delimiter, limit, mode: none required */
  CHECK_STR("options", options(s, 4, "mode=all, header=off"), "header=<off>0 mode=<all>1");
  CHECK_STR("NULL options", options(s, 4, NULL), "");
  CHECK_STR("empty options", options(s, 4, ""), "");
  CHECK_STR("empty items skipped", options(s, 4, " , mode=all,, ,"), "mode=<all>1");
  CHECK_STR("a comma inside quotes", options(loose, 2, "a='x,y', b=\"1,2\""),
            "a=<x,y> b=<1,2>");
  CHECK_STR("a doubled quote inside quotes", options(loose, 2, "a='it''s, fine',b=2"),
            "a=<it's, fine> b=<2>");
  CHECK_STR("the other quote inside quotes", options(loose, 2, "a='say \"x, y',b=2"),
            "a=<say \"x, y> b=<2>");
  CHECK_STR("unterminated quote", options(loose, 2, " a='x, b=2 "),
            "ERROR: bad option 'a='x, b=2': expected a closing quote");
  CHECK_STR("unknown option", options(s, 4, "mode=all, order=asc"),
            "ERROR: unknown option 'order': expected header, delimiter, limit or mode");
  CHECK_STR("option twice", options(s, 4, "mode=all, MODE=direct"),
            "ERROR: more than one 'mode' option");
  CHECK_STR("bare option", options(s, 4, "all"),
            "ERROR: bad option 'all': expected key=value with key header, delimiter, limit or mode");
  CHECK_STR("required option", options(spec, NSPEC, "mode=all"),
            "ERROR: missing option 'file'");
}

/* One value through tl_args_value. */
static const char *value(const TlArgSpec *s, const char *z) {
  TlArgValue v;
  char *err = NULL;
  int rc;
  memset(&v, 0, sizeof v);
  rc = tl_args_value(s, z, &v, &err);
  return describe(rc, err, s, 1, &v);
}

static void test_value(void) {
  CHECK_STR("one value, as is", value(&spec[1], "On"), "header=<On>1");
  CHECK_STR("one value, not trimmed", value(&spec[1], " on"),
            "ERROR: bad value ' on' for header: expected 1, 0, yes, no, true, false, on or off");
  CHECK_STR("one text value, kept whole", value(&spec[0], " 'x' "), "file=< 'x' >");
}

/* Every allocation fails in turn: the outcome is the full answer or NOMEM
** with no message and nothing left over, never a partial one. */
static void test_out_of_memory(void) {
  static const char *const good[] = {"FILE='it''s'", "header=on", "limit=-3", "mode=all", NULL};
  static const char *const bad[] = {"file=a", "mode=some", NULL};
  int broken = 0, reached_full = 0;
  for (long n = 0; n < 40 && !broken; n++) {
    const char *got;
    tl_alloc_fail_from(n);
    got = parse_list(spec, NSPEC, good);
    if (strcmp(got, "NOMEM") != 0 &&
        strcmp(got, "file=<it's> header=<on>1 limit=<-3>-3 mode=<all>1") != 0)
      broken = 1;
    if (strcmp(got, "NOMEM") != 0) reached_full = 1;
    tl_alloc_fail_from(n);
    got = parse_list(spec, NSPEC, bad);
    if (strcmp(got, "NOMEM") != 0 &&
        strcmp(got, "ERROR: bad value 'some' for mode: expected direct or all") != 0)
      broken = 1;
    tl_alloc_fail_from(n);
    got = options(loose, 2, "a=1, c=2");
    if (strcmp(got, "NOMEM") != 0 && strcmp(got, "ERROR: unknown option 'c': expected a or b") != 0)
      broken = 1;
  }
  tl_alloc_fail_from(-1);
  CHECK("every allocation failing in turn: the answer or NOMEM", !broken && reached_full);
}

int main(void) {
  test_text();
  test_keys();
  test_types();
  test_options();
  test_value();
  test_out_of_memory();
  CHECK_DONE();
}
