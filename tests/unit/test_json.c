/*
** The JSON reader: hand-made cases, exact number conversion against strtod,
** chunk-boundary streaming, and the whole of JSONTestSuite's test_parsing
** (every y_ file accepted, every n_ file rejected, every i_ file answered
** without a crash).
*/
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "decimal.h"
#include "json.h"
#include "tl_alloc.h"

static int parse_text(const char *text, JsonArena *arena, JsonValue **out,
                      char *err, size_t errlen) {
  return json_parse("t.json", text, strlen(text), arena, out, err, errlen);
}

static void test_values(void) {
  JsonArena arena = {0};
  JsonValue *v;
  char err[256];
  JsonBuf buf = {0};

  CHECK("object parses",
        parse_text(" {\"a\": [1, 2.5, -0.0000025], \"b\": \"x\\u00e9\\ud83d\\ude00\", \"c\": null} ",
                   &arena, &v, err, sizeof err) == 0);
  CHECK("object has 3 members", v->type == JSON_OBJECT && v->len == 3);
  CHECK("array member", json_get(v, "a")->type == JSON_ARRAY && json_get(v, "a")->len == 3);
  CHECK("number keeps its literal",
        strcmp(json_get(v, "a")->child->next->next->text, "-0.0000025") == 0);
  CHECK("number is the nearest double",
        json_number(json_get(v, "a")->child->next->next) == strtod("-0.0000025", NULL));
  CHECK_STR("escapes decode to UTF-8", json_get(v, "b")->text, "x\xc3\xa9\xf0\x9f\x98\x80");
  CHECK("line and column of a member", json_get(v, "c")->line == 1 && json_get(v, "c")->col == 63);
  json_write(&buf, v);
  CHECK_STR("write is compact and exact", buf.data,
            "{\"a\":[1,2.5,-0.0000025],\"b\":\"x\xc3\xa9\xf0\x9f\x98\x80\",\"c\":null}");
  json_take(v, "a");
  buf.len = 0;
  json_write_unused(&buf, v);
  CHECK_STR("write_unused leaves out taken members", buf.data,
            "{\"b\":\"x\xc3\xa9\xf0\x9f\x98\x80\",\"c\":null}");
  json_buf_free(&buf);

  CHECK("trailing comma rejected", parse_text("[1,]", &arena, &v, err, sizeof err) == -1);
  CHECK_STR("error names file, line, column and expectation", err,
            "t.json:1:4: found ']': expected a value");
  CHECK("error on a later line", parse_text("{\n  \"a\": 1\n  \"b\": 2}", &arena, &v, err, sizeof err) == -1);
  CHECK_STR("second error message", err, "t.json:3:3: found '\"': expected ',' or '}'");
  CHECK("leading zero rejected", parse_text("01", &arena, &v, err, sizeof err) == -1);
  CHECK("lone surrogate becomes U+FFFD", parse_text("\"\\ud800x\"", &arena, &v, err, sizeof err) == 0 &&
                                             strcmp(v->text, "\xef\xbf\xbdx") == 0);
  CHECK("\\u0000 keeps its length", parse_text("\"a\\u0000b\"", &arena, &v, err, sizeof err) == 0 &&
                                       v->len == 3 && v->text[1] == 0);
  CHECK("BOM is skipped", parse_text("\xef\xbb\xbf[]", &arena, &v, err, sizeof err) == 0);
  CHECK("empty input rejected", parse_text("", &arena, &v, err, sizeof err) == -1);
  CHECK_STR("empty input message", err, "t.json:1:1: found end of input: expected a value");
  json_arena_free(&arena);
}

static void test_decimal(void) {
  {
    /* 1 + 2^-53 is exactly halfway between 1 and the next double: ties go to
    ** even (1.0). A nonzero digit 1500 places later breaks the tie upward,
    ** past the 800 digits the general path keeps: its sticky digit must. */
    static const char half[] = "1.00000000000000011102230246251565404236316680908203125";
    char text[2000];
    double x;
    size_t n = sizeof half - 1;
    memcpy(text, half, n);
    memset(text + n, '0', 1500);
    text[n + 1500] = '1';
    CHECK("halfway decimal rounds to even",
          tl_decimal_to_double(half, n, 0, &x) == 0 && x == 1.0);
    CHECK("a far nonzero digit breaks the tie",
          tl_decimal_to_double(text, n + 1501, 0, &x) == 0 && x == 1.0000000000000002);
    CHECK("1e-400 is out of range, not 0",
          tl_decimal_to_double("1e-400", 6, 0, &x) == TL_DECIMAL_OUT_OF_RANGE && x == 0);
    CHECK("1e400 is out of range",
          tl_decimal_to_double("1e400", 5, 0, &x) == TL_DECIMAL_OUT_OF_RANGE && isinf(x));
    CHECK("0e-400 is zero", tl_decimal_to_double("0e-400", 6, 0, &x) == 0 && x == 0);
  }
  static const char *cases[] = {"0.0000025", "2.9999900000000002e-06", "1.5000020000000002e-05",
                                "0.15",      "3e-06",                   "123456789012345678901234567890",
                                "1e-320",    "4.9406564584124654e-324", "1.7976931348623157e308",
                                "0.1",       "7.000000000000001e-07",   "2.5e-07"};
  int all = 1;
  double x;
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    if (tl_decimal_to_double(cases[i], strlen(cases[i]), 0, &x) || x != strtod(cases[i], NULL)) {
      printf("# decimal mismatch on %s\n", cases[i]);
      all = 0;
    }
  }
  CHECK("decimal conversion equals strtod on hard cases", all);
  /* shift10 converts once: 0.15 per 1M is the double nearest 1.5e-7. */
  CHECK("shift10 rounds once", tl_decimal_to_double("0.15", 4, -6, &x) == 0 && x == strtod("1.5e-7", NULL));
  CHECK("$-less text only", tl_decimal_to_double("$1", 2, 0, &x) == -1);
  CHECK("'.5' accepted", tl_decimal_to_double(".5", 2, 0, &x) == 0 && x == 0.5);
  CHECK("'1e' rejected", tl_decimal_to_double("1e", 2, 0, &x) == -1);
  CHECK("'' rejected", tl_decimal_to_double("", 0, 0, &x) == -1);
  /* Random literals against strtod: mantissas up to 17 digits, wide exponents. */
  srand(7);
  all = 1;
  for (int i = 0; i < 200000; i++) {
    char text[64];
    unsigned long long m = ((unsigned long long)rand() << 31 | (unsigned)rand()) % 100000000000000000ULL;
    int e = rand() % 60 - 40;
    snprintf(text, sizeof text, "%llue%d", m, e);
    if (tl_decimal_to_double(text, strlen(text), 0, &x) || x != strtod(text, NULL)) {
      printf("# decimal mismatch on %s\n", text);
      all = 0;
      break;
    }
  }
  CHECK("200000 random decimals equal strtod", all);
}

/* Streams a document through a file reader whose 64 KiB chunks split
** strings, escapes and numbers at every offset near the boundary. */
static void test_streaming(void) {
  char path[] = "/tmp/tokenledger-stream-XXXXXX";
  int fd = mkstemp(path);
  FILE *f = fd < 0 ? NULL : fdopen(fd, "wb");
  long members = 0, total = 0;
  JsonReader *r;
  const char *key;
  size_t key_len;
  JsonArena arena = {0};
  if (!f) {
    CHECK("can write scratch file", 0);
    return;
  }
  fputs("{", f);
  for (int i = 0; i < 20000; i++) {
    fprintf(f, "%s\"k%d\\u00e9\": {\"n\": %d.25e-2, \"s\": \"a\\\"b\\ud83d\\ude00\"}", i ? ",\n" : "", i, i);
  }
  fputs("}", f);
  fclose(f);
  r = json_reader_open_file(path, NULL);
  if (!r || json_reader_begin_object(r) != 1) {
    CHECK("stream opens", 0);
    return;
  }
  while (json_reader_next_member(r, &key, &key_len) == 1) {
    JsonValue *v;
    char want[32];
    snprintf(want, sizeof want, "k%ld\xc3\xa9", members);
    if (strcmp(key, want) != 0 || json_reader_read_value(r, &arena, &v) != 0) break;
    if (!json_get(v, "s") || strcmp(json_get(v, "s")->text, "a\"b\xf0\x9f\x98\x80") != 0) {
      printf("# member %ld: unexpected value at line %u\n", members, v->line);
      break;
    }
    total += (long)(json_number(json_get(v, "n")) * 4 + 0.5); /* (i + 0.25)/100*4 */
    members++;
    json_arena_reset(&arena);
  }
  CHECK("all 20000 members streamed", members == 20000 && json_reader_error(r) == NULL);
  /* sum over i of round((i+0.25)*0.04) computed independently below */
  {
    long want = 0;
    for (long i = 0; i < 20000; i++) want += (long)(((double)i + 0.25) / 100 * 4 + 0.5);
    CHECK("numbers intact across chunk boundaries", total == want);
  }
  CHECK("finish after the root", json_reader_finish(r) == 0);
  json_reader_close(r);
  json_arena_free(&arena);
  remove(path);
}

static char *read_whole(const char *path, size_t *n) {
  FILE *f = fopen(path, "rb");
  char *buf;
  long size;
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  size = ftell(f);
  rewind(f);
  buf = malloc((size_t)size + 1);
  if (buf && fread(buf, 1, (size_t)size, f) != (size_t)size) {
    free(buf);
    buf = NULL;
  }
  fclose(f);
  *n = (size_t)size;
  return buf;
}

static void test_suite(void) {
  const char *shared = check_shared_dir();
  char dir[4096];
  DIR *d;
  struct dirent *e;
  int y_ok = 0, y_total = 0, n_ok = 0, n_total = 0, i_total = 0;
  JsonArena arena = {0};
  if (!shared) {
    SKIP("JSONTestSuite y_ accepted", "needs ../shared/data");
    SKIP("JSONTestSuite n_ rejected", "needs ../shared/data");
    return;
  }
  snprintf(dir, sizeof dir, "%s/conformance/json-test-suite/test_parsing", shared);
  d = opendir(dir);
  if (!d) {
    CHECK("JSONTestSuite directory opens", 0);
    return;
  }
  while ((e = readdir(d)) != NULL) {
    char path[8192], err[512];
    size_t n;
    char *text;
    JsonValue *v;
    int rc;
    if (e->d_name[0] == '.' || e->d_name[1] != '_') continue;
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    if (!(text = read_whole(path, &n))) continue;
    rc = json_parse(e->d_name, text, n, &arena, &v, err, sizeof err);
    /* Files are also streamed from disk, to exercise the chunked path. */
    {
      JsonReader *r = json_reader_open_file(path, NULL);
      int rc2 = r ? json_reader_read_value(r, &arena, &v) : -1;
      if (rc2 == 0) rc2 = json_reader_finish(r);
      json_reader_close(r);
      if (rc != rc2) printf("# memory and file readers disagree on %s\n", e->d_name);
      if (rc != rc2) rc = 99;
    }
    if (e->d_name[0] == 'y') {
      y_total++;
      if (rc == 0) y_ok++;
      else printf("# rejected %s: %s\n", e->d_name, err);
    } else if (e->d_name[0] == 'n') {
      n_total++;
      if (rc == -1) n_ok++;
      else printf("# accepted %s\n", e->d_name);
    } else {
      i_total++;
    }
    json_arena_reset(&arena);
    free(text);
  }
  closedir(d);
  printf("# JSONTestSuite: %d/%d y_ accepted, %d/%d n_ rejected, %d i_ answered\n", y_ok, y_total,
         n_ok, n_total, i_total);
  CHECK("JSONTestSuite: all 95 y_ files accepted", y_total == 95 && y_ok == 95);
  CHECK("JSONTestSuite: all 188 n_ files rejected", n_total == 188 && n_ok == 188);
  CHECK("JSONTestSuite: all 35 i_ files answered", i_total == 35);
  json_arena_free(&arena);
}

/* Out of memory: json_parse with the Nth allocation and every later one
** failing, for every N until one run needs no failure. Each run either
** succeeds with the same tree (serialized) or says JSON_NOMEM: never a parse
** error (-1), which a JSONL reader would report as bad input in a row. */
static void test_out_of_memory(void) {
  const char *doc = "{\"model\": \"gpt-4o\", \"usage\": {\"prompt_tokens\": 1200, "
                    "\"completion_tokens\": 80, \"details\": [1, 2.5, \"x\\u00e9\"]}, "
                    "\"a_long_key_that_is_copied_to_the_scratch\\n\": null}";
  JsonArena arena = {0};
  JsonValue *v;
  JsonBuf reference = {0};
  char err[256];
  int wrong = 0, nomem = 0, ok_runs = 0;
  CHECK("oom: reference parses", parse_text(doc, &arena, &v, err, sizeof err) == 0);
  json_write(&reference, v);
  json_arena_free(&arena);
  for (long n = 0; n < 10000; n++) {
    JsonBuf again = {0};
    int rc;
    tl_alloc_fail_from(n);
    rc = parse_text(doc, &arena, &v, err, sizeof err);
    tl_alloc_fail_from(-1);
    if (rc == JSON_NOMEM) {
      nomem++;
    } else if (rc != 0) {
      wrong++;
    } else {
      json_write(&again, v);
      if (again.len != reference.len || memcmp(again.data, reference.data, again.len) != 0)
        wrong++;
      ok_runs++;
      json_buf_free(&again);
    }
    json_arena_free(&arena);
    if (rc == 0) break;
  }
  CHECK("oom: every failed allocation is JSON_NOMEM, every success the same tree",
        wrong == 0 && nomem > 0 && ok_runs == 1);
  json_buf_free(&reference);
}

/* One string may not pass JSON_MAX_TOKEN bytes: an error, not gigabytes. The
** quote is column 1, 2^26 bytes fill columns 2..2^26+1, so the first byte
** past the cap is column 2^26 + 2 = 67108866. */
static void test_token_cap(void) {
  size_t n = JSON_MAX_TOKEN + 16;
  char *doc = malloc(n + 3), err[256];
  JsonArena arena = {0};
  JsonValue *v;
  memset(doc + 1, 'a', n);
  doc[0] = '"';
  doc[n + 1] = '"';
  doc[n + 2] = 0;
  CHECK("a string over the token cap is an error",
        json_parse("big.json", doc, n + 2, &arena, &v, err, sizeof err) == -1 &&
            strstr(err, "big.json:1:67108866: a string or number longer than 64 MiB") == err);
  json_arena_free(&arena);
  free(doc);
}

/* Duplicate keys: found in a small object (pairs) and in a large one
** (sorted), nested, and the earliest second occurrence is the one named. */
static void test_duplicate_keys(void) {
  JsonArena arena = {0};
  JsonValue *v;
  const JsonValue *dup;
  char err[256], big[4096];
  size_t n = 0;
  CHECK("no duplicate", parse_text("{\"a\": 1, \"b\": {\"a\": 2}}", &arena, &v, err, sizeof err) == 0 &&
                            json_find_duplicate_key(v, &dup) == 0 && dup == NULL);
  CHECK("nested duplicate, second occurrence named",
        parse_text("{\"a\": 1, \"b\": {\"x\": 2, \"x\": 3}}", &arena, &v, err, sizeof err) == 0 &&
            json_find_duplicate_key(v, &dup) == 0 && dup && dup->col == 29 && dup->len == 1 &&
            dup->text[0] == '3');
  /* 40 members k0..k39, then k7 again and k3 again: the k7 repeat comes first */
  n += (size_t)snprintf(big + n, sizeof big - n, "{");
  for (int i = 0; i < 40; i++) n += (size_t)snprintf(big + n, sizeof big - n, "\"k%d\": %d, ", i, i);
  n += (size_t)snprintf(big + n, sizeof big - n, "\"k7\": 70, \"k3\": 30}");
  CHECK("large object: the earliest repeat",
        parse_text(big, &arena, &v, err, sizeof err) == 0 &&
            json_find_duplicate_key(v, &dup) == 0 && dup && strcmp(dup->text, "70") == 0);
  json_arena_free(&arena);
}

int main(void) {
  test_duplicate_keys();
  test_out_of_memory();
  test_token_cap();
  test_values();
  test_decimal();
  test_streaming();
  test_suite();
  CHECK_DONE();
}
