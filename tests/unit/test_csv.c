/*
** Unit tests of ext/core/csv.c: the RFC 4180 reader (hand-worked cases, chunk
** boundaries, errors with their positions), the field typer, and the
** csv-spectrum conformance suite compared field by field with its expected
** JSON (read with our JSON reader).
*/
#include <math.h>
#include <stdint.h>

#include "check.h"
#include "csv.h"
#include "json.h"

/* All records of buf, as "f1|f2;f1|f2;" (quoted fields marked with q:). */
static const char *records(const char *buf, char delim) {
  static char out[4096];
  size_t o = 0;
  CsvReader *r = csv_reader_open_memory("mem", buf, strlen(buf), delim);
  int rc;
  out[0] = 0;
  while ((rc = csv_reader_next(r)) == 1) {
    for (size_t i = 0; i < csv_reader_nfield(r); i++) {
      o += (size_t)snprintf(out + o, sizeof out - o, "%s%s%s", i ? "|" : "",
                            csv_reader_quoted(r, i) ? "q:" : "",
                            csv_reader_field(r, i, NULL));
    }
    o += (size_t)snprintf(out + o, sizeof out - o, ";");
  }
  if (rc < 0) snprintf(out + o, sizeof out - o, "ERR %s", csv_reader_error(r));
  csv_reader_close(r);
  return out;
}

static void test_parsing(void) {
  CHECK_STR("simple", records("a,b\n1,2\n", ','), "a|b;1|2;");
  CHECK_STR("no final newline", records("a,b\n1,2", ','), "a|b;1|2;");
  CHECK_STR("crlf", records("a,b\r\n1,2\r\n", ','), "a|b;1|2;");
  CHECK_STR("lone cr", records("a,b\r1,2\r", ','), "a|b;1|2;");
  CHECK_STR("blank lines skipped", records("a\n\n\r\n\nb\n", ','), "a;b;");
  CHECK_STR("empty fields", records(",a,,\n", ','), "|a||;");
  CHECK_STR("quoted empty", records("\"\"\n", ','), "q:;");
  CHECK_STR("quoted delimiter", records("\"a,b\",c\n", ','), "q:a,b|c;");
  CHECK_STR("escaped quote", records("\"say \"\"hi\"\"\"\n", ','), "q:say \"hi\";");
  CHECK_STR("embedded newline", records("\"a\nb\",c\n", ','), "q:a\nb|c;");
  CHECK_STR("embedded crlf kept", records("\"a\r\nb\"\r\n", ','), "q:a\r\nb;");
  CHECK_STR("literal quote in unquoted field", records("5'11\",x\n", ','),
            "5'11\"|x;");
  CHECK_STR("bom skipped", records("\xEF\xBB\xBF" "a,b\n", ','), "a|b;");
  CHECK_STR("semicolon", records("a;b,c\n", ';'), "a|b,c;");
  CHECK_STR("tab", records("a\tb\n", '\t'), "a|b;");
  CHECK_STR("trailing delimiter at eof", records("a,", ','), "a|;");
  CHECK_STR("empty input", records("", ','), "");
  CHECK_STR("only newlines", records("\n\r\n", ','), "");
  CHECK_STR("text after closing quote",
            records("a\n\"x\"y,1\n", ','),
            "a;ERR mem:2:4: 'y' after a closing quote: expected the delimiter or "
            "the end of the line");
  CHECK_STR("unterminated quote",
            records("a,b\n1,\"open\nmore\n", ','),
            "a|b;ERR mem:2:3: unterminated quoted field: expected a closing '\"' "
            "before the end of the file");
}

static void test_lines(void) {
  const char *buf = "h1,h2\r\n\"x\r\ny\",1\r\n\r\nlast,2\n";
  CsvReader *r = csv_reader_open_memory("mem", buf, strlen(buf), ',');
  uint64_t lines[4] = {0, 0, 0, 0};
  int n = 0;
  while (n < 4 && csv_reader_next(r) == 1) lines[n++] = csv_reader_line(r);
  CHECK("three records", n == 3);
  CHECK("line of header", lines[0] == 1);
  CHECK("line of record with embedded crlf", lines[1] == 2);
  CHECK("line after embedded crlf and blank line", lines[2] == 5);
  csv_reader_close(r);
}

/* A file larger than one chunk, with a quoted field across the boundary. */
static void test_chunks(void) {
  char path[] = "/tmp/tokenledger-test-csv-XXXXXX";
  int fd = mkstemp(path);
  FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
  CsvReader *r;
  long rows = 0, sum = 0, bad = 0;
  if (!f) {
    CHECK("temp file", 0);
    return;
  }
  fputs("\xEF\xBB\xBF" "id,text\r\n", f);
  for (int i = 1; i <= 20000; i++) fprintf(f, "%d,\"line\r\n\"\"%d\"\"\"\r\n", i, i);
  fclose(f);
  r = csv_reader_open_file(path, ',', NULL);
  CHECK("open file", r != NULL);
  if (!r) return;
  CHECK("header", csv_reader_next(r) == 1 &&
                      strcmp(csv_reader_field(r, 0, NULL), "id") == 0);
  while (csv_reader_next(r) == 1) {
    char want[64];
    rows++;
    sum += atol(csv_reader_field(r, 0, NULL));
    snprintf(want, sizeof want, "line\r\n\"%ld\"", rows);
    if (strcmp(csv_reader_field(r, 1, NULL), want) != 0) bad++;
    if (csv_reader_line(r) != (uint64_t)(2 * rows)) bad++;
  }
  CHECK("no error", csv_reader_error(r) == NULL);
  CHECK("20000 rows across chunks", rows == 20000);
  CHECK("sum of ids 1..20000", sum == 200010000L);
  CHECK("fields and lines intact across chunk boundaries", bad == 0);
  csv_reader_close(r);
  remove(path);
  CHECK("missing file", csv_reader_open_file("/nonexistent/x.csv", ',', NULL) == NULL);
}

/* The column names of the first record of buf, as "n1|n2|...". */
static const char *names_of(const char *buf, size_t n, int header) {
  static char out[4096];
  size_t o = 0;
  CsvReader *r = csv_reader_open_memory("mem", buf, n, ',');
  char **names;
  out[0] = 0;
  if (csv_reader_next(r) != 1 || !(names = csv_reader_column_names(r, header))) {
    csv_reader_close(r);
    return "(failed)";
  }
  for (size_t i = 0; i < csv_reader_nfield(r); i++) {
    o += (size_t)snprintf(out + o, sizeof out - o, "%s%s", i ? "|" : "", names[i]);
  }
  free(names);
  csv_reader_close(r);
  return out;
}

/* Expected names worked by hand with the rule of csv.h: the first free
** suffix from _2, compared without ASCII case. */
static void test_column_names(void) {
  enum { WIDE = 20000 };
  char *wide = malloc(2 * WIDE + 1);
  CsvReader *r;
  char **names;
  int unique = 1;
  CHECK_STR("names: trimmed, empty, repeated without case",
            names_of("a, A ,,b,a\n", 11, 1), "a|A_2|c3|b|a_3");
  CHECK_STR("names: a literal a_2 is skipped", names_of("a,a_2,a,a\n", 10, 1),
            "a|a_2|a_3|a_4");
  CHECK_STR("names: a suffix that came first", names_of("x_2,x,x\n", 8, 1),
            "x_2|x|x_3");
  CHECK_STR("names: cN can clash too", names_of("c2,,c2\n", 7, 1), "c2|c2_2|c2_3");
  CHECK_STR("names: control bytes and NUL become _",
            names_of("\t a\x01" "b \t,x\0y\n", 12, 1), "a_b|x_y");
  CHECK_STR("names: no header", names_of("p,q,r\n", 6, 0), "c1|c2|c3");
  /* 20,000 columns all named a: a, a_2, ..., a_20000, in linear time (this
  ** took minutes when every try was compared with every earlier name). */
  if (!wide) {
    CHECK("names: 20000 columns", 0);
    return;
  }
  for (int i = 0; i < WIDE; i++) memcpy(wide + 2 * i, i + 1 < WIDE ? "a," : "a\n", 2);
  r = csv_reader_open_memory("mem", wide, 2 * WIDE, ',');
  names = csv_reader_next(r) == 1 ? csv_reader_column_names(r, 1) : NULL;
  CHECK("names: 20000 columns", names && csv_reader_nfield(r) == WIDE);
  for (int i = 1; names && i < WIDE && unique; i++) {
    char want[16];
    snprintf(want, sizeof want, "a_%d", i + 1);
    unique = strcmp(names[i], want) == 0;
  }
  CHECK("names: 20000 columns are a, a_2 ... a_20000",
        names && strcmp(names[0], "a") == 0 && unique);
  free(names);
  csv_reader_close(r);
  free(wide);
}

/* One call may skip at most CSV_MAX_RECORD bytes of blank lines, so that it
** returns to SQLite in bounded work; a NUL inside a field is kept. */
static void test_bounds(void) {
  size_t n = (size_t)CSV_MAX_RECORD + 1;
  char *blank = malloc(n + 2);
  CsvReader *r;
  size_t len = 0;
  const char *z;
  r = csv_reader_open_memory("mem", "a\0b,c\n", 6, ',');
  z = csv_reader_next(r) == 1 ? csv_reader_field(r, 0, &len) : NULL;
  CHECK("a NUL byte is kept inside its field", z && len == 3 && memcmp(z, "a\0b", 3) == 0);
  csv_reader_close(r);
  if (getenv("TL_VALGRIND")) {
    SKIP("64 MiB of blank lines", "too slow under valgrind (the ASan run covers it)");
    free(blank);
    return;
  }
  if (!blank) {
    CHECK("64 MiB of blank lines", 0);
    return;
  }
  memset(blank, '\n', n);
  memcpy(blank + n, "a\n", 2);
  r = csv_reader_open_memory("mem", blank, n + 2, ',');
  CHECK("more than 64 MiB of blank lines stop one call", csv_reader_next(r) == -1);
  CHECK_STR("blank lines: the error says where",
            csv_reader_error(r),
            "mem:67108866: more than 67108864 bytes of blank lines: expected a "
            "record");
  CHECK("the failure is final", csv_reader_next(r) == -1);
  csv_reader_close(r);
  r = csv_reader_open_memory("mem", blank + 1, n + 1, ',');
  CHECK("exactly 64 MiB of blank lines pass",
        csv_reader_next(r) == 1 && csv_reader_line(r) == (uint64_t)CSV_MAX_RECORD + 1);
  csv_reader_close(r);
  free(blank);
}

static void test_typing(void) {
  int64_t i = 0;
  double d = 0;
  CHECK("empty unquoted is NULL", csv_type_field("", 0, 0, &i, &d) == CSV_NULL);
  CHECK("empty quoted is TEXT", csv_type_field("", 0, 1, &i, &d) == CSV_TEXT);
  CHECK("integer", csv_type_field("42", 2, 0, &i, &d) == CSV_INTEGER && i == 42);
  CHECK("negative integer", csv_type_field("-7", 2, 0, &i, &d) == CSV_INTEGER && i == -7);
  CHECK("plus and spaces", csv_type_field(" +5 ", 4, 0, &i, &d) == CSV_INTEGER && i == 5);
  CHECK("int64 min", csv_type_field("-9223372036854775808", 20, 0, &i, &d) == CSV_INTEGER &&
                         i == INT64_MIN);
  CHECK("int64 overflow is REAL",
        csv_type_field("9223372036854775808", 19, 0, &i, &d) == CSV_REAL &&
            d == 9223372036854775808.0);
  CHECK("real", csv_type_field("2.5", 3, 0, &i, &d) == CSV_REAL && d == 2.5);
  CHECK("3.0 stays REAL", csv_type_field("3.0", 3, 0, &i, &d) == CSV_REAL && d == 3.0);
  CHECK("leading dot", csv_type_field(".5", 2, 0, &i, &d) == CSV_REAL && d == 0.5);
  CHECK("trailing dot", csv_type_field("5.", 2, 0, &i, &d) == CSV_REAL && d == 5.0);
  CHECK("exponent", csv_type_field("-1e3", 4, 0, &i, &d) == CSV_REAL && d == -1000.0);
  CHECK("0.1 nearest double", csv_type_field("0.1", 3, 0, &i, &d) == CSV_REAL && d == 0.1);
  CHECK("quoted number is a number", csv_type_field("7", 1, 1, &i, &d) == CSV_INTEGER);
  CHECK("dash is TEXT", csv_type_field("-", 1, 0, &i, &d) == CSV_TEXT);
  CHECK("N/A is TEXT", csv_type_field("N/A", 3, 0, &i, &d) == CSV_TEXT);
  CHECK("hex is TEXT", csv_type_field("0x1F", 4, 0, &i, &d) == CSV_TEXT);
  CHECK("inf is TEXT", csv_type_field("inf", 3, 0, &i, &d) == CSV_TEXT);
  CHECK("thousands separator is TEXT", csv_type_field("1,000", 5, 0, &i, &d) == CSV_TEXT);
  CHECK("percent is TEXT", csv_type_field("12%", 3, 0, &i, &d) == CSV_TEXT);
  CHECK("bare exponent is TEXT", csv_type_field("1e", 2, 0, &i, &d) == CSV_TEXT);
  CHECK("spaces only is TEXT", csv_type_field("  ", 2, 0, &i, &d) == CSV_TEXT);
  CHECK("date is TEXT", csv_type_field("2026-03-25", 10, 0, &i, &d) == CSV_TEXT);
}

static char *read_all(const char *path, size_t *n) {
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

/* One csv-spectrum file against its expected JSON: an array of objects
** keyed by the header, every value a string. */
static void conformance_case(const char *dir, const char *name) {
  char csv_path[4096], json_path[4096], label[128];
  char err[256];
  size_t n = 0;
  char *text;
  JsonArena arena = {0};
  JsonValue *doc = NULL;
  const JsonValue *obj;
  CsvReader *r;
  size_t nhead;
  char **head = NULL;
  int ok = 1;
  snprintf(csv_path, sizeof csv_path, "%s/conformance/csv-spectrum/csvs/%s.csv", dir, name);
  snprintf(json_path, sizeof json_path, "%s/conformance/csv-spectrum/json/%s.json", dir, name);
  snprintf(label, sizeof label, "csv-spectrum %s", name);
  text = read_all(json_path, &n);
  if (!text || json_parse(json_path, text, n, &arena, &doc, err, sizeof err) != 0 ||
      doc->type != JSON_ARRAY) {
    CHECK(label, 0);
    free(text);
    json_arena_free(&arena);
    return;
  }
  r = csv_reader_open_file(csv_path, ',', NULL);
  if (!r || csv_reader_next(r) != 1) {
    CHECK(label, 0);
    csv_reader_close(r);
    free(text);
    json_arena_free(&arena);
    return;
  }
  nhead = csv_reader_nfield(r);
  head = calloc(nhead, sizeof *head);
  for (size_t i = 0; head && i < nhead; i++) head[i] = strdup(csv_reader_field(r, i, NULL));
  for (obj = doc->child; obj && ok; obj = obj->next) {
    const JsonValue *m;
    size_t k = 0;
    if (csv_reader_next(r) != 1 || csv_reader_nfield(r) != nhead) ok = 0;
    for (m = obj->child; m && ok; m = m->next, k++) {
      size_t len;
      const char *field = csv_reader_field(r, k, &len);
      ok = k < nhead && strcmp(m->key, head[k]) == 0 && m->type == JSON_STRING &&
           m->len == len && memcmp(m->text, field, len) == 0;
    }
    ok = ok && k == nhead;
  }
  ok = ok && csv_reader_next(r) == 0;
  CHECK(label, ok);
  for (size_t i = 0; head && i < nhead; i++) free(head[i]);
  free(head);
  csv_reader_close(r);
  free(text);
  json_arena_free(&arena);
}

static void test_conformance(void) {
  static const char *const names[] = {
      "comma_in_quotes", "empty",          "empty_crlf",          "escaped_quotes",
      "json",            "newlines",       "newlines_crlf",       "quotes_and_newlines",
      "simple",          "simple_crlf",    "utf8"};
  const char *dir = check_shared_dir();
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    if (!dir) {
      char label[128];
      snprintf(label, sizeof label, "csv-spectrum %s", names[i]);
      SKIP(label, "needs ../shared/data");
      continue;
    }
    conformance_case(dir, names[i]);
  }
}

int main(void) {
  test_parsing();
  test_lines();
  test_chunks();
  test_typing();
  test_column_names();
  test_bounds();
  test_conformance();
  CHECK_DONE();
}
