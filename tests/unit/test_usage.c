/*
** Unit tests of the usage-event core: timestamps (ext/core/timestamp.c), the
** JSONL line reader (ext/core/jsonl.c) and the dialect normalization
** (ext/core/usage.c). Expected instants were computed with python3's datetime;
** expected token buckets by hand from the arithmetic table in ext/core/usage.c.
*/
#include <dirent.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "jsonl.h"
#include "timestamp.h"
#include "usage.h"

/* The formatted form of a timestamp text, or "ERR". */
static const char *ts(const char *text) {
  static char out[TL_TIME_ISO_SIZE];
  TlTime t;
  if (tl_time_parse(text, strlen(text), &t) != 0 || tl_time_format(t, out) != 0)
    return "ERR";
  return out;
}

static void test_timestamps(void) {
  TlTime t;
  char out[TL_TIME_ISO_SIZE];
  CHECK_STR("epoch seconds", ts("1718000000"), "2024-06-10T06:13:20.000Z");
  CHECK_STR("epoch seconds with fraction", ts("1718000000.5"), "2024-06-10T06:13:20.500Z");
  CHECK_STR("epoch seconds in exponent form", ts("1.718e9"), "2024-06-10T06:13:20.000Z");
  CHECK_STR("epoch milliseconds", ts("1718000000123"), "2024-06-10T06:13:20.123Z");
  CHECK_STR("epoch microseconds", ts("1718000000123456"), "2024-06-10T06:13:20.123Z");
  CHECK_STR("epoch nanoseconds", ts("1718000000123456789"), "2024-06-10T06:13:20.123Z");
  CHECK("nanoseconds stay exact",
        tl_time_from_epoch_text("1718000000123456789", 19, &t) == 0 &&
            t.sec == 1718000000 && t.nsec == 123456789);
  CHECK_STR("largest seconds value", ts("99999999999"), "5138-11-16T09:46:39.000Z");
  CHECK_STR("1e11 is milliseconds", ts("100000000000"), "1973-03-03T09:46:40.000Z");
  CHECK_STR("epoch zero", ts("0"), "1970-01-01T00:00:00.000Z");
  CHECK_STR("negative epoch", ts("-1.5"), "1969-12-31T23:59:58.500Z");
  CHECK_STR("small fraction", ts("0.05"), "1970-01-01T00:00:00.050Z");
  CHECK_STR("ISO Z", ts("2025-02-24T18:30:00Z"), "2025-02-24T18:30:00.000Z");
  CHECK_STR("ISO positive offset", ts("2024-02-29T23:59:59.9999+05:30"),
            "2024-02-29T18:29:59.999Z");
  CHECK_STR("ISO offset without colon", ts("2025-01-01t00:00:00-0800"),
            "2025-01-01T08:00:00.000Z");
  CHECK_STR("ISO hour-only offset, space, no seconds", ts("2025-01-01 00:00+01"),
            "2024-12-31T23:00:00.000Z");
  CHECK_STR("ISO date only", ts("2024-02-29"), "2024-02-29T00:00:00.000Z");
  CHECK_STR("ISO without offset is UTC", ts("2025-05-05T08:00:00.000000"),
            "2025-05-05T08:00:00.000Z");
  CHECK_STR("leap second rolls over", ts("2016-12-31T23:59:60Z"), "2017-01-01T00:00:00.000Z");
  CHECK_STR("year 0000", ts("0000-01-01T00:00:00Z"), "0000-01-01T00:00:00.000Z");
  CHECK("year 0000 is -62167219200",
        tl_time_parse("0000-01-01", 10, &t) == 0 && t.sec == -62167219200LL);
  CHECK_STR("no 29 February 2023", ts("2023-02-29"), "ERR");
  CHECK_STR("no month 13", ts("2025-13-01"), "ERR");
  CHECK_STR("no hour 24", ts("2025-01-01T24:00:00Z"), "ERR");
  CHECK_STR("trailing junk", ts("2025-01-01T00:00:00Zx"), "ERR");
  CHECK_STR("words", ts("yesterday"), "ERR");
  CHECK_STR("empty", ts(""), "ERR");
  CHECK_STR("lone sign", ts("-"), "ERR");
  CHECK_STR("exponent without digits", ts("1e"), "ERR");
  CHECK_STR("far too many digits", ts("123456789012345678901234567890"), "ERR");
  t.sec = 253402300800LL; /* 10000-01-01 */
  t.nsec = 0;
  CHECK("year 10000 cannot be written", tl_time_format(t, out) == -1);
  t.sec = 253402300799LL;
  CHECK("9999-12-31T23:59:59 can",
        tl_time_format(t, out) == 0 && strcmp(out, "9999-12-31T23:59:59.000Z") == 0);
}

/* tl_time_copy_utc against parse-then-format on 300,000 texts of its two
** shapes with random digits (every field now and then out of range: month
** 00 and 13, 30 and 31 February, hour 24, second 60) and now and then a
** separator changed: wherever the fast path answers, the slow one gives the
** same text; it answers for every valid instant of its shapes but a leap
** second. */
static void test_timestamp_fast_path(void) {
  static const char shape[] = "0000-00-00T00:00:00.000Z";
  unsigned seed = 7;
  int answered = 0, differ = 0, missed = 0;
  for (int i = 0; i < 300000; i++) {
    char text[32], fast[TL_TIME_ISO_SIZE], slow[TL_TIME_ISO_SIZE];
    size_t n = (i & 1) ? 24 : 20;
    memcpy(text, shape, 19);
    memcpy(text + 19, n == 24 ? shape + 19 : "Z", n - 19);
    for (size_t k = 0; k < n; k++) {
      seed = seed * 1103515245u + 12345u;
      if (text[k] == '0') text[k] = (char)('0' + (seed >> 16) % 10);
    }
    seed = seed * 1103515245u + 12345u;
    if ((seed >> 16) % 4 == 0) { /* plausible fields, so that most texts are valid */
      int y = 1990 + (int)(seed % 50), mo = 1 + (int)(seed >> 8) % 12, d = 1 + (int)(seed >> 12) % 31;
      text[0] = (char)('0' + y / 1000), text[1] = (char)('0' + y / 100 % 10);
      text[2] = (char)('0' + y / 10 % 10), text[3] = (char)('0' + y % 10);
      text[5] = (char)('0' + mo / 10), text[6] = (char)('0' + mo % 10);
      text[8] = (char)('0' + d / 10), text[9] = (char)('0' + d % 10);
      text[11] = '1', text[14] = '3', text[17] = (char)('0' + (seed >> 20) % 7);
    }
    if ((seed >> 24) % 50 == 0) text[(seed >> 4) % n] = "T-:Zz. x"[(seed >> 9) % 8];
    int f = tl_time_copy_utc(text, n, fast);
    TlTime t;
    int ok = tl_time_parse(text, n, &t) == 0 && tl_time_format(t, slow) == 0;
    if (f) {
      answered++;
      if (!ok || strcmp(fast, slow) != 0) differ++;
    } else if (ok && text[17] != '6' && text[n - 1] == 'Z' && text[10] == 'T') {
      missed++;
    }
  }
  CHECK("the fast path answers for many texts", answered > 50000);
  CHECK("the fast path agrees with parse-then-format", differ == 0);
  CHECK("the fast path answers every valid text of its shapes", missed == 0);
  char out[TL_TIME_ISO_SIZE];
  CHECK("a leap second is left to the slow path",
        tl_time_copy_utc("2016-12-31T23:59:60Z", 20, out) == 0);
  CHECK("an offset is left to the slow path",
        tl_time_copy_utc("2025-01-01T00:00:00+01:00", 25, out) == 0);
}

/* Every line of buf joined as "LEN:TEXT|" ("LEN:LONG|" when too long). */
static const char *lines_of(JsonlReader *r) {
  static char out[512];
  JsonlLine line;
  size_t n = 0;
  int rc;
  out[0] = 0;
  while ((rc = jsonl_next(r, &line)) == 1 && n < sizeof out - 64) {
    if (line.too_long)
      n += (size_t)snprintf(out + n, sizeof out - n, "%zu:LONG|", line.len);
    else
      n += (size_t)snprintf(out + n, sizeof out - n, "%zu:%.*s|", line.len,
                            (int)line.len, line.text);
  }
  if (rc < 0) snprintf(out + n, sizeof out - n, "ERROR");
  jsonl_close(r);
  return out;
}

static const char *lines_of_memory(const char *buf, size_t max_line) {
  return lines_of(jsonl_open_memory(buf, strlen(buf), max_line));
}

static void test_lines(void) {
  CHECK_STR("lines and a final newline", lines_of_memory("a\nbb\n", 0), "1:a|2:bb|");
  CHECK_STR("last line without newline", lines_of_memory("a\nbb", 0), "1:a|2:bb|");
  CHECK_STR("CRLF", lines_of_memory("a\r\nbb\r\n", 0), "1:a|2:bb|");
  CHECK_STR("blank lines count", lines_of_memory("\n\na\n", 0), "0:|0:|1:a|");
  CHECK_STR("empty input", lines_of_memory("", 0), "");
  CHECK_STR("too long in memory", lines_of_memory("abcdef\nab\nabcdefgh", 4),
            "6:LONG|2:ab|8:LONG|");
}

/* A file of `count` lines of `len` bytes each ('x'), then "end". */
static const char *write_lines(const char *path, int count, size_t len) {
  FILE *f = fopen(path, "wb");
  char *line = malloc(len);
  if (!f || !line) return NULL;
  memset(line, 'x', len);
  for (int i = 0; i < count; i++) {
    fwrite(line, 1, len, f);
    fputc('\n', f);
  }
  fputs("end", f);
  fclose(f);
  free(line);
  return path;
}

static void test_lines_from_file(void) {
  char path[] = "/tmp/tokenledger-test-usage-XXXXXX";
  const char *err = NULL;
  JsonlReader *r;
  JsonlLine line;
  int n = 0, all_ok = 1;
  int fd = mkstemp(path);
  if (fd < 0) {
    SKIP("lines across chunks", "cannot create a temporary file");
    return;
  }
  /* Lines longer than a chunk make the buffer grow and move. */
  write_lines(path, 5, JSONL_CHUNK_SIZE + 1000);
  jsonl_open_file(path, 0, &r, &err);
  while (r && jsonl_next(r, &line) == 1) {
    n++;
    if (n <= 5) all_ok &= !line.too_long && line.len == JSONL_CHUNK_SIZE + 1000 &&
                         line.text[0] == 'x' && line.text[line.len - 1] == 'x';
    else all_ok &= line.len == 3 && memcmp(line.text, "end", 3) == 0;
  }
  jsonl_close(r);
  CHECK("lines longer than a chunk", n == 6 && all_ok);

  /* Over the cap: skipped while reading, the next lines still come. */
  write_lines(path, 3, 3 * JSONL_CHUNK_SIZE);
  jsonl_open_file(path, 1000, &r, &err);
  n = 0;
  all_ok = 1;
  while (r && jsonl_next(r, &line) == 1) {
    n++;
    if (n <= 3) all_ok &= line.too_long && !line.text && line.len == 3 * JSONL_CHUNK_SIZE;
    else all_ok &= !line.too_long && line.len == 3;
  }
  jsonl_close(r);
  CHECK("lines over the cap are skipped, counted and measured", n == 4 && all_ok);
  close(fd);
  remove(path);

  CHECK("a missing file says why",
        jsonl_open_file("/nonexistent/x.jsonl", 0, &r, &err) == JSONL_ERROR && !r && err &&
            strstr(err, "No such file") != NULL);
}

/* Bytes the C library's allocator has handed out and not taken back; 0
** when it cannot tell (under ASan, whose allocator mallinfo2 does not see). */
static size_t heap_in_use(void) {
  struct mallinfo2 m = mallinfo2();
  return m.uordblks + m.hblkhd;
}

/* The reader's memory is bounded by the cap, not by the line: the buffer
** stops growing at max_line + one chunk (it used to double on past it, to
** twice the cap), and one call reads an over-long line to its end in
** chunks without holding it. Checked with a small cap; the default cap
** behaves the same at 64 MiB. */
static void test_line_memory(void) {
  char path[] = "/tmp/tokenledger-test-usage-XXXXXX";
  const size_t cap = 600 * 1024, line_len = 4 * 1024 * 1024;
  const char *err = NULL;
  JsonlReader *r = NULL;
  JsonlLine line;
  size_t before, held = 0;
  int n = 0, all_ok = 1;
  int fd = mkstemp(path);
  if (fd < 0) {
    SKIP("reader memory is bounded by the cap", "cannot create a temporary file");
    return;
  }
  write_lines(path, 2, line_len);
  before = heap_in_use();
  jsonl_open_file(path, cap, &r, &err);
  while (r && jsonl_next(r, &line) == 1) {
    n++;
    if (n == 1) held = heap_in_use() - before;
    if (n <= 2) all_ok &= line.too_long && line.len == line_len;
    else all_ok &= !line.too_long && line.len == 3;
  }
  jsonl_close(r);
  close(fd);
  remove(path);
  CHECK("over-long lines with a small cap: skipped and measured", n == 3 && all_ok);
  if (before == 0)
    SKIP("reader memory is bounded by the cap", "mallinfo2 sees no heap (ASan?)");
  else
    CHECK("reader memory is bounded by the cap",
          held > cap && held <= cap + JSONL_CHUNK_SIZE + 65536); /* doubling: > 1 MiB */
}

/* One line's tree stays within the documented multiple of the line
** (usage.h): `[0,0,...]` is the worst case, about 40 bytes per byte. */
static void test_tree_memory(void) {
  const size_t len = 1024 * 1024 + 1, k = (len - 3) / 2; /* "[" k x "0," "0]" */
  char *buf = malloc(len);
  UsageStream *s;
  UsageRecord rec;
  size_t before, held;
  if (!buf) {
    SKIP("a line's tree is within 40 bytes per byte", "out of memory");
    return;
  }
  buf[0] = '[';
  for (size_t j = 0; j < k; j++) memcpy(buf + 1 + 2 * j, "0,", 2);
  memcpy(buf + 1 + 2 * k, "0]", 2);
  before = heap_in_use();
  s = usage_stream_open_memory("big.jsonl", buf, len, 0);
  CHECK("a line of a million bytes of numbers is parsed",
        s && usage_stream_next(s, &rec) == 1 &&
            strstr(rec.error, "expected a JSON object per line") != NULL);
  held = heap_in_use() - before;
  if (before == 0)
    SKIP("a line's tree is within 40 bytes per byte", "mallinfo2 sees no heap (ASan?)");
  else
    CHECK("a line's tree is within 40 bytes per byte",
          held > len * (USAGE_TREE_PER_BYTE / 2) &&
              held <= len * USAGE_TREE_PER_BYTE + 2 * 65536);
  usage_stream_close(s);

  /* The same numbers inside an object, then a JSON error at the very end:
  ** quick_parse builds the list before it gives up, and its tree must be
  ** gone before json_parse builds its own. */
  memcpy(buf, "{\"attributes\":[", 15);
  for (size_t j = 15; j + 4 < len; j += 2) memcpy(buf + j, "0,", 2);
  memcpy(buf + len - 4 - (len - 19) % 2, "0]}x", 4);
  before = heap_in_use();
  s = usage_stream_open_memory("big.jsonl", buf, len - (len - 19) % 2, 0);
  CHECK("a long object with an error at its end is an error row",
        s && usage_stream_next(s, &rec) == 1 && rec.error[0]);
  held = heap_in_use() - before;
  if (before == 0)
    SKIP("one tree at a time when the quick parser gives up", "mallinfo2 sees no heap (ASan?)");
  else
    CHECK("one tree at a time when the quick parser gives up",
          held <= len * USAGE_TREE_PER_BYTE + 2 * 65536);
  usage_stream_close(s);
  free(buf);
}

/* The record of one line (from memory, named "t.jsonl"). Its texts point
** into the stream's arena, so the stream stays open until the next call. */
static UsageStream *last_stream;

static UsageRecord rec_of(const char *line) {
  static UsageRecord rec;
  usage_stream_close(last_stream);
  last_stream = usage_stream_open_memory("t.jsonl", line, strlen(line), 0);
  memset(&rec, 0, sizeof rec);
  if (!last_stream || usage_stream_next(last_stream, &rec) != 1)
    strcpy(rec.error, "NO RECORD");
  return rec;
}

/* "dialect in cr cw out reason" with N for NULL, plus " !" when error. */
static const char *buckets(const char *line) {
  static char out[128];
  UsageRecord r = rec_of(line);
  size_t n = (size_t)snprintf(out, sizeof out, "%s",
                              r.dialect ? usage_dialect_name(r.dialect) : "none");
  for (int b = 0; b < USAGE_NBUCKET; b++) {
    if (r.known & (1u << b)) n += (size_t)snprintf(out + n, sizeof out - n, " %lld", (long long)r.tokens[b]);
    else n += (size_t)snprintf(out + n, sizeof out - n, " N");
  }
  if (r.error[0]) snprintf(out + n, sizeof out - n, " !");
  return out;
}

static void test_dialects(void) {
  UsageRecord r;
  CHECK_STR("anthropic worked example",
            buckets("{\"usage\":{\"input_tokens\":3,\"cache_creation_input_tokens\":12304,"
                    "\"cache_read_input_tokens\":0,\"output_tokens\":550}}"),
            "anthropic 3 0 12304 550 0");
  CHECK_STR("openai chat subtracts cached and reasoning",
            buckets("{\"usage\":{\"prompt_tokens\":2000,\"completion_tokens\":800,"
                    "\"prompt_tokens_details\":{\"cached_tokens\":1500},"
                    "\"completion_tokens_details\":{\"reasoning_tokens\":500}}}"),
            "openai_chat 500 1500 0 300 500");
  CHECK_STR("openai embeddings: prompt only",
            buckets("{\"usage\":{\"prompt_tokens\":4,\"total_tokens\":4}}"),
            "openai_chat 4 0 0 0 0");
  CHECK_STR("responses API",
            buckets("{\"response\":{\"usage\":{\"input_tokens\":45,\"input_tokens_details\":"
                    "{\"cached_tokens\":5},\"output_tokens\":1719,\"output_tokens_details\":"
                    "{\"reasoning_tokens\":1408}}}}"),
            "openai_responses 40 5 0 311 1408");
  CHECK_STR("openrouter subtracts cache writes too",
            buckets("{\"usage\":{\"prompt_tokens\":1000,\"completion_tokens\":1,\"cost\":0.1,"
                    "\"prompt_tokens_details\":{\"cached_tokens\":400,\"cache_write_tokens\":100}}}"),
            "openrouter 500 400 100 1 0");
  CHECK_STR("litellm spend log",
            buckets("{\"spend\":0.1,\"prompt_tokens\":300,\"completion_tokens\":50}"),
            "litellm 300 0 0 50 0");
  CHECK_STR("claude code",
            buckets("{\"sessionId\":\"s\",\"message\":{\"usage\":{\"input_tokens\":4,"
                    "\"cache_creation_input_tokens\":2000,\"cache_read_input_tokens\":15000,"
                    "\"output_tokens\":120}}}"),
            "claude_code 4 15000 2000 120 0");
  CHECK_STR("anthropic stream event (message.usage without session)",
            buckets("{\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":9,"
                    "\"output_tokens\":1}}}"),
            "anthropic 9 0 0 1 0");
  CHECK_STR("bedrock keeps cache apart",
            buckets("{\"usage\":{\"inputTokens\":22,\"outputTokens\":13,"
                    "\"cacheWriteInputTokens\":2492}}"),
            "bedrock 22 0 2492 13 0");
  CHECK_STR("gemini: cached inside, thoughts and tool prompts apart",
            buckets("{\"usageMetadata\":{\"promptTokenCount\":1500,\"cachedContentTokenCount\":1000,"
                    "\"candidatesTokenCount\":200,\"thoughtsTokenCount\":300,"
                    "\"toolUsePromptTokenCount\":119}}"),
            "gemini 619 1000 0 200 300");
  CHECK_STR("otel flat keys",
            buckets("{\"gen_ai.usage.input_tokens\":1200,\"gen_ai.usage.output_tokens\":300,"
                    "\"gen_ai.usage.cache_read.input_tokens\":1000}"),
            "otel_genai 200 1000 0 300 0");
  CHECK_STR("otel attributes object, with cache writes and reasoning",
            buckets("{\"attributes\":{\"gen_ai.usage.input_tokens\":5000,"
                    "\"gen_ai.usage.output_tokens\":700,\"gen_ai.usage.cache_read.input_tokens\":3000,"
                    "\"gen_ai.usage.cache_creation.input_tokens\":1500,"
                    "\"gen_ai.usage.reasoning.output_tokens\":200}}"),
            "otel_genai 500 3000 1500 500 200");
  CHECK_STR("OTLP attribute list with intValue strings",
            buckets("{\"attributes\":[{\"key\":\"gen_ai.usage.input_tokens\",\"value\":"
                    "{\"intValue\":\"640\"}},{\"key\":\"gen_ai.usage.output_tokens\","
                    "\"value\":{\"intValue\":\"128\"}}]}"),
            "otel_genai 640 0 0 128 0");
  CHECK_STR("otel legacy prompt_tokens names",
            buckets("{\"gen_ai.usage.prompt_tokens\":10,\"gen_ai.usage.completion_tokens\":2}"),
            "otel_genai 10 0 0 2 0");
  CHECK_STR("generic bare counts", buckets("{\"usage\":{\"input_tokens\":90,\"output_tokens\":10}}"),
            "generic 90 0 0 10 0");
  CHECK_STR("1.0e3 is a whole number",
            buckets("{\"usage\":{\"input_tokens\":1.0e3,\"output_tokens\":2.0}}"),
            "generic 1000 0 0 2 0");

  /* Impossible counts: flagged, the underivable bucket NULL. */
  CHECK_STR("cached > prompt",
            buckets("{\"usage\":{\"prompt_tokens\":500,\"completion_tokens\":100,"
                    "\"prompt_tokens_details\":{\"cached_tokens\":700}}}"),
            "openai_chat N 700 0 100 0 !");
  CHECK_STR("cached + cache writes > prompt",
            buckets("{\"usage\":{\"prompt_tokens\":500,\"completion_tokens\":1,\"cost\":0,"
                    "\"prompt_tokens_details\":{\"cached_tokens\":400,\"cache_write_tokens\":101}}}"),
            "openrouter N 400 101 1 0 !");
  CHECK_STR("reasoning > completion",
            buckets("{\"usage\":{\"prompt_tokens\":50,\"completion_tokens\":100,"
                    "\"completion_tokens_details\":{\"reasoning_tokens\":150}}}"),
            "openai_chat 50 0 0 N 150 !");
  CHECK_STR("negative count",
            buckets("{\"usage\":{\"input_tokens\":-5,\"output_tokens\":10}}"), "generic N 0 0 10 0 !");
  CHECK_STR("negative count as a string",
            buckets("{\"attributes\":[{\"key\":\"gen_ai.usage.input_tokens\",\"value\":"
                    "{\"intValue\":\"-5\"}}]}"),
            "otel_genai N 0 0 0 0 !");
  CHECK_STR("fractional count", buckets("{\"usage\":{\"input_tokens\":12.5,\"output_tokens\":1}}"),
            "generic N 0 0 1 0 !");

  /* Counts are read from their digits, never through a double. */
  r = rec_of("{\"usage\":{\"input_tokens\":1e300,\"output_tokens\":1}}");
  CHECK_STR("1e300 is too large, not clamped", r.error,
            "t.jsonl:1:26: input_tokens 1e300 is too large for a token count");
  r = rec_of("{\"usage\":{\"input_tokens\":1e-400,\"output_tokens\":1}}");
  CHECK_STR("1e-400 is not a count, not 0", r.error,
            "t.jsonl:1:26: input_tokens 1e-400 is not a whole number of tokens");
  CHECK_STR("1e-400: input unknown", buckets("{\"usage\":{\"input_tokens\":1e-400,\"output_tokens\":1}}"),
            "generic N 0 0 1 0 !");
  CHECK_STR("-1 is flagged", buckets("{\"usage\":{\"input_tokens\":1,\"output_tokens\":-1}}"),
            "generic 1 0 0 N 0 !");
  CHECK_STR("1.5 is flagged", buckets("{\"usage\":{\"input_tokens\":1.5,\"output_tokens\":1}}"),
            "generic N 0 0 1 0 !");
  CHECK_STR("a fraction a double would round away",
            buckets("{\"usage\":{\"input_tokens\":1.00000000000000000001,\"output_tokens\":1}}"),
            "generic N 0 0 1 0 !");
  CHECK_STR("2^63 - 1 is the largest count",
            buckets("{\"usage\":{\"input_tokens\":9223372036854775807,\"output_tokens\":0}}"),
            "generic 9223372036854775807 0 0 0 0");
  CHECK_STR("2^63 is too large",
            buckets("{\"usage\":{\"input_tokens\":9223372036854775808,\"output_tokens\":0}}"),
            "generic N 0 0 0 0 !");
  CHECK_STR("9.223372036854775807e18 is 2^63 - 1",
            buckets("{\"usage\":{\"input_tokens\":9.223372036854775807e18,\"output_tokens\":0}}"),
            "generic 9223372036854775807 0 0 0 0");
  CHECK_STR("exact integers past 2^53 are kept",
            buckets("{\"usage\":{\"input_tokens\":9007199254740993,\"output_tokens\":12e1}}"),
            "generic 9007199254740993 0 0 120 0");
  CHECK_STR("zeros in every spelling",
            buckets("{\"usage\":{\"input_tokens\":-0,\"output_tokens\":0.000e-999999999999}}"),
            "generic 0 0 0 0 0");
  CHECK_STR("a huge exponent", buckets("{\"usage\":{\"input_tokens\":1e99999999999999,\"output_tokens\":0}}"),
            "generic N 0 0 0 0 !");
  r = rec_of("{\"usageMetadata\":{\"promptTokenCount\":9223372036854775807,"
             "\"toolUsePromptTokenCount\":1,\"candidatesTokenCount\":1}}");
  CHECK_STR("gemini prompt + tool prompt past 2^63 - 1 is flagged, not wrapped", r.error,
            "t.jsonl:1:84: promptTokenCount + toolUsePromptTokenCount is too large for a token count");
  r = rec_of("{\"cost\":1e400,\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}");
  CHECK("a cost past the doubles is flagged, not infinite",
        !r.has_cost && strcmp(r.error, "t.jsonl:1:9: cost 1e400 is out of the range of a double") == 0);
  r = rec_of("{\"cost\":1e-400,\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}");
  CHECK("a cost below the doubles is flagged, not 0", !r.has_cost && r.error[0]);
  r = rec_of("{\"cost\":0e-400,\"latency_ms\":1e-400,\"usage\":{\"input_tokens\":1}}");
  CHECK("a zero cost is 0; a latency below the doubles is flagged",
        r.has_cost && r.cost == 0 && !r.has_latency &&
            strcmp(r.error, "t.jsonl:1:29: latency_ms 1e-400 is out of the range of a double") == 0);
  CHECK_STR("count of the wrong type",
            buckets("{\"usage\":{\"input_tokens\":true,\"output_tokens\":1}}"), "generic N 0 0 1 0 !");
  CHECK_STR("a bad cached count makes input unknown",
            buckets("{\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":1,"
                    "\"prompt_tokens_details\":{\"cached_tokens\":\"x\"}}}"),
            "openai_chat N N 0 1 0 !");
  CHECK_STR("all counts null", buckets("{\"usage\":{\"prompt_tokens\":null}}"), "none N N N N N !");
  CHECK_STR("no usage", buckets("{\"type\":\"user\"}"), "none N N N N N !");
  CHECK_STR("not an object", buckets("[1,2]"), "none N N N N N !");
  CHECK_STR("bad JSON", buckets("{\"usage\":"), "none N N N N N !");
  CHECK_STR("blank", buckets("  \t\r"), "none N N N N N !");

  r = rec_of("{\"model\":\"x\",\"usage\":{\"prompt_tokens\":500,\"completion_tokens\":1,"
             "\"prompt_tokens_details\":{\"cached_tokens\":700}}}");
  CHECK_STR("impossible-count message names both counts and the column", r.error,
            "t.jsonl:1:106: prompt_tokens_details.cached_tokens 700 exceeds prompt_tokens 500");
  r = rec_of("{\"a\":1,}");
  CHECK_STR("JSON errors give file, line and the column in the line", r.error,
            "t.jsonl:1:8: found '}': expected a string key");
  r = rec_of("[]");
  CHECK_STR("not an object: message", r.error,
            "t.jsonl:1:1: an array: expected a JSON object per line");

  /* The other columns. */
  r = rec_of("{\"attributes\":[{\"key\":\"gen_ai.system\",\"value\":{\"stringValue\":\"openai\"}},"
             "{\"key\":\"gen_ai.response.model\",\"value\":{\"stringValue\":\"gpt-4o-x\"}},"
             "{\"key\":\"gen_ai.request.model\",\"value\":{\"stringValue\":\"gpt-4o\"}},"
             "{\"key\":\"gen_ai.usage.input_tokens\",\"value\":{\"intValue\":\"1\"}}],"
             "\"startTimeUnixNano\":\"1740823200123456789\",\"endTimeUnixNano\":\"1740823203623456789\","
             "\"status\":{\"code\":2}}");
  CHECK("otel provider", r.provider.n == 6 && memcmp(r.provider.p, "openai", 6) == 0);
  CHECK("otel model prefers the response model",
        r.model.n == 8 && memcmp(r.model.p, "gpt-4o-x", 8) == 0);
  CHECK_STR("otel ts from nanoseconds", r.has_ts ? r.ts : "", "2025-03-01T10:00:00.123Z");
  CHECK("otel latency from start and end", r.has_latency && r.latency_ms == 3500.0);
  CHECK("otel status code", r.status.n == 1 && r.status.p[0] == '2');
  r = rec_of("{\"sessionId\":\"s\",\"costUSD\":0.25,\"requestId\":\"req_1\","
             "\"message\":{\"model\":\"claude-x\",\"usage\":{\"input_tokens\":1}}}");
  CHECK("claude code cost, provider and request id",
        r.has_cost && r.cost == 0.25 && r.provider.n == 9 &&
            memcmp(r.provider.p, "anthropic", 9) == 0 && r.request_id.n == 5);
  r = rec_of("{\"startTime\":\"2025-01-01T00:00:02Z\",\"endTime\":\"2025-01-01T00:00:01Z\","
             "\"usage\":{\"input_tokens\":1}}");
  CHECK_STR("end before start is flagged", r.error,
            "t.jsonl:1:47: endTime is before startTime");
  usage_stream_close(last_stream);
  last_stream = NULL;
}

/* The other units: "ai ao ii io vi vo w5 w1 ws ca tier" (ca: cached audio) with N for NULL, plus
** " !" when error. */
static const char *units(const char *line) {
  static char out[256];
  UsageRecord r = rec_of(line);
  size_t n = 0;
  out[0] = 0;
  for (int e = 0; e < USAGE_NEXTRA; e++) {
    if (r.extra_known & (1u << e))
      n += (size_t)snprintf(out + n, sizeof out - n, "%s%lld", e ? " " : "", (long long)r.extra[e]);
    else
      n += (size_t)snprintf(out + n, sizeof out - n, "%sN", e ? " " : "");
  }
  n += (size_t)snprintf(out + n, sizeof out - n, " %.*s", r.service_tier.p ? (int)r.service_tier.n : 1,
                        r.service_tier.p ? r.service_tier.p : "N");
  if (r.error[0]) snprintf(out + n, sizeof out - n, " !");
  return out;
}

/* Expected values worked out by hand from each line (ext/core/usage.c's manual);
** message columns counted with python3 (index of the value + 1). */
static void test_units(void) {
  UsageRecord r;
  /* OpenAI chat: audio inside both totals. 81 = 12 text + 69 audio. */
  CHECK_STR("openai chat audio: buckets",
            buckets("{\"usage\":{\"prompt_tokens\":81,\"completion_tokens\":172,"
                    "\"prompt_tokens_details\":{\"audio_tokens\":69,\"cached_tokens\":0},"
                    "\"completion_tokens_details\":{\"audio_tokens\":100}}}"),
            "openai_chat 12 0 0 72 0");
  CHECK_STR("openai chat audio: units",
            units("{\"service_tier\":\"priority\",\"usage\":{\"prompt_tokens\":81,"
                  "\"completion_tokens\":172,\"prompt_tokens_details\":{\"audio_tokens\":69},"
                  "\"completion_tokens_details\":{\"audio_tokens\":100}}}"),
            "69 100 N N N N N N N N priority");
  CHECK_STR("openai chat without details: every other unit unknown",
            units("{\"usage\":{\"prompt_tokens\":8,\"completion_tokens\":1}}"),
            "N N N N N N N N N N N");
  /* OpenRouter: 1290 - 100 cached - 258 video = 932; 1400 - 50 - 1290 image = 60 */
  CHECK_STR("openrouter video in, image out: buckets",
            buckets("{\"usage\":{\"prompt_tokens\":1290,\"completion_tokens\":1400,\"cost\":0.04,"
                    "\"prompt_tokens_details\":{\"cached_tokens\":100,\"video_tokens\":258},"
                    "\"completion_tokens_details\":{\"reasoning_tokens\":50,\"image_tokens\":1290}}}"),
            "openrouter 932 100 0 60 50");
  CHECK_STR("responses image model: 50 - 40 image = 10 text; output all image",
            buckets("{\"usage\":{\"input_tokens\":50,\"input_tokens_details\":{\"image_tokens\":40,"
                    "\"text_tokens\":10},\"output_tokens\":4160,\"output_tokens_details\":"
                    "{\"image_tokens\":4160}}}"),
            "openai_responses 10 0 0 0 0");
  CHECK_STR("responses cache writes (input_tokens_details.cache_write_tokens) are inside input",
            buckets("{\"usage\":{\"input_tokens\":100,\"input_tokens_details\":{\"cached_tokens\":20,"
                    "\"cache_write_tokens\":30},\"output_tokens\":5}}"),
            "openai_responses 50 20 30 5 0");
  CHECK_STR("responses stream event: response.service_tier",
            units("{\"response\":{\"service_tier\":\"flex\",\"usage\":{\"input_tokens\":5,"
                  "\"output_tokens\":1,\"output_tokens_details\":{\"reasoning_tokens\":0}}}}"),
            "N N N N N N N N N N flex");
  /* Anthropic: the split is a breakdown of cache_creation_input_tokens. */
  CHECK_STR("anthropic 5m/1h split, web searches, tier",
            units("{\"usage\":{\"input_tokens\":20,\"cache_creation_input_tokens\":3000,"
                  "\"cache_read_input_tokens\":500,\"cache_creation\":{\"ephemeral_5m_input_tokens\":1000,"
                  "\"ephemeral_1h_input_tokens\":2000},\"output_tokens\":400,\"server_tool_use\":"
                  "{\"web_search_requests\":3},\"service_tier\":\"batch\"}}"),
            "N N N N N N 1000 2000 3 N batch");
  CHECK_STR("anthropic split without the total: the total is their sum",
            buckets("{\"usage\":{\"input_tokens\":2,\"cache_read_input_tokens\":0,\"cache_creation\":"
                    "{\"ephemeral_5m_input_tokens\":7,\"ephemeral_1h_input_tokens\":5},\"output_tokens\":1}}"),
            "anthropic 2 0 12 1 0");
  CHECK_STR("anthropic split with one part: known part, other unknown",
            units("{\"usage\":{\"input_tokens\":2,\"cache_creation_input_tokens\":9,\"cache_creation\":"
                  "{\"ephemeral_1h_input_tokens\":9},\"output_tokens\":1}}"),
            "N N N N N N N 9 N N N");
  r = rec_of("{\"usage\":{\"input_tokens\":2,\"cache_creation_input_tokens\":9,\"cache_creation\":"
             "{\"ephemeral_5m_input_tokens\":5,\"ephemeral_1h_input_tokens\":5},\"output_tokens\":1}}");
  CHECK_STR("a split that does not add up names both parts and the total", r.error,
            "t.jsonl:1:106: cache_creation.ephemeral_5m_input_tokens 5 + "
            "cache_creation.ephemeral_1h_input_tokens 5 do not add up to cache_creation_input_tokens 9");
  CHECK("a split that does not add up: split unknown, total kept",
        !(r.extra_known & (3u << USAGE_CACHE_WRITE_5M)) && (r.known & (1u << USAGE_CACHE_WRITE)) &&
            r.tokens[USAGE_CACHE_WRITE] == 9);
  CHECK_STR("claude code: message.usage split and tier",
            units("{\"sessionId\":\"s\",\"message\":{\"usage\":{\"input_tokens\":1,"
                  "\"cache_creation_input_tokens\":4,\"cache_read_input_tokens\":0,\"cache_creation\":"
                  "{\"ephemeral_5m_input_tokens\":4,\"ephemeral_1h_input_tokens\":0},\"output_tokens\":1,"
                  "\"service_tier\":\"standard\"}}}"),
            "N N N N N N 4 0 N N standard");
  /* Gemini: prompt 100 + tool 10 = 110 = cached 30 (20 audio, 10 text) + audio 40-20
  ** + image 25 + document 5 + text: 110 - 30 - 20 - 30 = 30. */
  {
    const char *g =
        "{\"usageMetadata\":{\"promptTokenCount\":100,\"toolUsePromptTokenCount\":10,"
        "\"cachedContentTokenCount\":30,\"candidatesTokenCount\":50,\"thoughtsTokenCount\":7,"
        "\"promptTokensDetails\":[{\"modality\":\"AUDIO\",\"tokenCount\":40},{\"modality\":\"IMAGE\","
        "\"tokenCount\":25},{\"modality\":\"DOCUMENT\",\"tokenCount\":5},{\"modality\":\"TEXT\","
        "\"tokenCount\":20}],\"toolUsePromptTokensDetails\":[{\"modality\":\"TEXT\",\"tokenCount\":10}],"
        "\"cacheTokensDetails\":[{\"modality\":\"AUDIO\",\"tokenCount\":20},{\"modality\":\"TEXT\","
        "\"tokenCount\":10}],\"candidatesTokensDetails\":[{\"modality\":\"AUDIO\",\"tokenCount\":30},"
        "{\"modality\":\"TEXT\"}],\"serviceTier\":\"standard\"}}";
    CHECK_STR("gemini modalities: buckets", buckets(g), "gemini 30 30 0 20 7");
    CHECK_STR("gemini modalities: units (a missing tokenCount is 0)", units(g),
              "20 30 30 0 0 0 N N N 20 standard");
  }
  /* cached audio is part of the cache reads: 30 of AUDIO cached, 20 cached in all */
  r = rec_of("{\"usageMetadata\":{\"promptTokenCount\":100,\"cachedContentTokenCount\":20,"
             "\"candidatesTokenCount\":1,\"promptTokensDetails\":[{\"modality\":\"AUDIO\","
             "\"tokenCount\":60}],\"cacheTokensDetails\":[{\"modality\":\"AUDIO\",\"tokenCount\":30}]}}");
  CHECK("gemini: more cached audio than cached tokens is flagged, the cached audio unknown",
        strstr(r.error, "cacheTokensDetails AUDIO 30 exceeds cachedContentTokenCount 20") != NULL &&
            !(r.extra_known & (1u << USAGE_CACHE_READ_AUDIO)) && r.extra[USAGE_AUDIO_INPUT] == 30);
  CHECK_STR("gemini: a cache listed without audio has no cached audio",
            units("{\"usageMetadata\":{\"promptTokenCount\":10,\"cachedContentTokenCount\":4,"
                  "\"candidatesTokenCount\":1,\"cacheTokensDetails\":[{\"modality\":\"TEXT\","
                  "\"tokenCount\":4}]}}"),
            "N N N N N N N N N 0 N");
  CHECK_STR("gemini without lists: modalities unknown",
            units("{\"usageMetadata\":{\"promptTokenCount\":3,\"candidatesTokenCount\":1}}"),
            "N N N N N N N N N N N");
  r = rec_of("{\"usageMetadata\":{\"promptTokenCount\":3,\"candidatesTokenCount\":1,"
             "\"promptTokensDetails\":{\"modality\":\"AUDIO\"}}}");
  CHECK_STR("gemini: a details value that is not a list", r.error,
            "t.jsonl:1:87: expected a list of {modality, tokenCount} for promptTokensDetails");
  /* Bedrock: cacheDetails by ttl */
  CHECK_STR("bedrock cacheDetails by ttl",
            units("{\"usage\":{\"inputTokens\":3,\"outputTokens\":1,\"cacheWriteInputTokens\":300,"
                  "\"cacheDetails\":[{\"inputTokens\":100,\"ttl\":\"5m\"},{\"inputTokens\":200,\"ttl\":\"1h\"}]}}"),
            "N N N N N N 100 200 N N N");
  r = rec_of("{\"usage\":{\"inputTokens\":3,\"outputTokens\":1,\"cacheWriteInputTokens\":300,"
             "\"cacheDetails\":[{\"inputTokens\":300,\"ttl\":\"1d\"}]}}");
  CHECK_STR("bedrock cacheDetails: an unknown ttl", r.error,
            "t.jsonl:1:113: cacheDetails: expected a ttl of \"5m\" or \"1h\"");
  CHECK_STR("perplexity num_search_queries",
            units("{\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":2,\"num_search_queries\":4}}"),
            "N N N N N N N N 4 N N");
  CHECK_STR("otel: gen_ai.openai.response.service_tier in an OTLP list",
            units("{\"attributes\":[{\"key\":\"gen_ai.usage.input_tokens\",\"value\":{\"intValue\":\"3\"}},"
                  "{\"key\":\"gen_ai.openai.response.service_tier\",\"value\":{\"stringValue\":\"default\"}}]}"),
            "N N N N N N N N N N default");
  /* Realtime: 100 = 60 text + 40 audio; cached 30 = 20 text + 10 audio. */
  {
    const char *rt =
        "{\"response\":{\"usage\":{\"input_tokens\":100,\"output_tokens\":50,"
        "\"input_token_details\":{\"cached_tokens\":30,\"audio_tokens\":40,\"text_tokens\":60,"
        "\"cached_tokens_details\":{\"audio_tokens\":10,\"text_tokens\":20}},"
        "\"output_token_details\":{\"audio_tokens\":45,\"text_tokens\":5}}}}";
    CHECK_STR("openai realtime: buckets", buckets(rt), "openai_realtime 40 30 0 5 0");
    CHECK_STR("openai realtime: units", units(rt), "30 45 N N N N N N N 10 N");
  }
  r = rec_of("{\"response\":{\"usage\":{\"input_tokens\":100,\"output_tokens\":5,"
             "\"input_token_details\":{\"cached_tokens\":30,\"audio_tokens\":4,"
             "\"cached_tokens_details\":{\"audio_tokens\":10}}}}}");
  CHECK("openai realtime: more cached audio than audio is flagged",
        strstr(r.error, "input_token_details.cached_tokens_details.audio_tokens 10 exceeds "
                        "input_token_details.audio_tokens 4") != NULL &&
            !(r.known & (1u << USAGE_INPUT)));
  /* errors */
  r = rec_of("{\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":1,\"prompt_tokens_details\":"
             "{\"audio_tokens\":-1}}}");
  CHECK_STR("negative audio count", r.error,
            "t.jsonl:1:92: negative prompt_tokens_details.audio_tokens -1");
  CHECK_STR("negative audio count: input unknown",
            buckets("{\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":1,\"prompt_tokens_details\":"
                    "{\"audio_tokens\":-1}}}"),
            "openai_chat N 0 0 1 0 !");
  r = rec_of("{\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":1,\"completion_tokens_details\":"
             "{\"image_tokens\":0.5}}}");
  CHECK_STR("fractional image count", r.error,
            "t.jsonl:1:96: completion_tokens_details.image_tokens 0.5 is not a whole number of tokens");
  r = rec_of("{\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":1,\"prompt_tokens_details\":"
             "{\"cached_tokens\":4,\"image_tokens\":4,\"video_tokens\":4}}}");
  CHECK_STR("cached + image + video > prompt", r.error,
            "t.jsonl:1:93: prompt_tokens_details.cached_tokens 4 + prompt_tokens_details.image_tokens 4 + "
            "prompt_tokens_details.video_tokens 4 exceeds prompt_tokens 10");
  r = rec_of("{\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":1,\"prompt_tokens_details\":"
             "{\"audio_tokens\":\"many\"}}}");
  CHECK_STR("an audio count that is a string", r.error,
            "t.jsonl:1:92: prompt_tokens_details.audio_tokens is a string: expected a token count");
  r = rec_of("{\"usage\":{\"input_tokens\":1,\"output_tokens\":1,\"cache_read_input_tokens\":0,"
             "\"service_tier\":[\"x\"]}}");
  CHECK_STR("a tier that is not a string", r.error,
            "t.jsonl:1:89: expected a string for the service tier service_tier");
  usage_stream_close(last_stream);
  last_stream = NULL;
}

/* The fixture, streamed through the core: the same sums as the SQL test. */
static void test_fixture(void) {
  const char *dir = getenv("TL_FIXTURES"), *err = NULL;
  char path[4096];
  UsageStream *s;
  UsageRecord r;
  long long sum[USAGE_NBUCKET] = {0};
  int rows = 0, errors = 0;
  snprintf(path, sizeof path, "%s/events.jsonl", dir ? dir : "fixtures");
  if (usage_stream_open_file(path, 0, &s, &err) != 0) {
    SKIP("fixture sums", "cannot open fixtures/events.jsonl");
    return;
  }
  while (usage_stream_next(s, &r) == 1) {
    rows++;
    if (r.error[0]) {
      errors++;
      continue;
    }
    for (int b = 0; b < USAGE_NBUCKET; b++) sum[b] += r.tokens[b];
  }
  usage_stream_close(s);
  CHECK("fixture: 18 rows, 6 errors", rows == 18 && errors == 6);
  CHECK("fixture: hand-computed sums", sum[USAGE_INPUT] == 3459 &&
                                           sum[USAGE_CACHE_READ] == 22028 &&
                                           sum[USAGE_CACHE_WRITE] == 18396 &&
                                           sum[USAGE_OUTPUT] == 2623 &&
                                           sum[USAGE_REASONING] == 800);
}

/* ---------------------------------------------------------- quick = whole */

/* Appends to a growing buffer (aborts the test run when out of memory). */
typedef struct Text {
  char *p;
  size_t n, cap;
} Text;

static void text_add(Text *t, const char *s, size_t n) {
  if (t->n + n + 1 > t->cap) {
    size_t cap = (t->n + n + 1) * 2;
    char *p = realloc(t->p, cap);
    if (!p) abort();
    t->p = p;
    t->cap = cap;
  }
  memcpy(t->p + t->n, s, n);
  t->n += n;
  t->p[t->n] = 0;
}

static int same_text(UsageText a, UsageText b) {
  return (!a.p) == (!b.p) && a.n == b.n && (!a.p || !a.n || memcmp(a.p, b.p, a.n) == 0);
}

/* Where two records differ ("" when they do not). */
static const char *record_difference(const UsageRecord *a, const UsageRecord *b) {
  if (a->line != b->line) return "line";
  if (a->dialect != b->dialect) return "dialect";
  if (a->known != b->known || a->extra_known != b->extra_known) return "which counts are known";
  for (int i = 0; i < USAGE_NBUCKET; i++)
    if ((a->known & (1u << i)) && a->tokens[i] != b->tokens[i]) return "a bucket";
  for (int i = 0; i < USAGE_NEXTRA; i++)
    if ((a->extra_known & (1u << i)) && a->extra[i] != b->extra[i]) return "another unit";
  if (a->has_ts != b->has_ts || (a->has_ts && strcmp(a->ts, b->ts) != 0)) return "ts";
  if (!same_text(a->provider, b->provider) || !same_text(a->model, b->model) ||
      !same_text(a->request_id, b->request_id) || !same_text(a->status, b->status) ||
      !same_text(a->service_tier, b->service_tier) || !same_text(a->raw, b->raw))
    return "a text";
  if (a->has_cost != b->has_cost || (a->has_cost && a->cost != b->cost)) return "cost";
  if (a->has_latency != b->has_latency || (a->has_latency && a->latency_ms != b->latency_ms))
    return "latency";
  if (strcmp(a->error, b->error) != 0) return "error";
  return "";
}

/* Every line of buf through the quick parser (the default) and through the
** whole tree of json_parse: the same records. *first_bad gets the first line
** that differs, and why. Returns the number of lines, -1 on a difference. */
static long quick_matches_whole(const char *buf, size_t n, char *why, size_t why_size) {
  UsageStream *quick = usage_stream_open_memory("q.jsonl", buf, n, 0);
  UsageStream *whole = usage_stream_open_memory("q.jsonl", buf, n, 0);
  UsageRecord a, b;
  long lines = 0;
  int ra = 0, rb;
  if (!quick || !whole) abort();
  usage_stream_sparse(whole, 0);
  for (;;) {
    const char *d;
    ra = usage_stream_next(quick, &a);
    rb = usage_stream_next(whole, &b);
    if (ra != rb) {
      snprintf(why, why_size, "line %ld: return codes %d and %d", lines + 1, ra, rb);
      lines = -1;
      break;
    }
    if (ra != 1) break;
    lines++;
    d = record_difference(&a, &b);
    if (*d) {
      snprintf(why, why_size, "line %ld differs in %s: %.*s | %.150s | %.150s", lines, d,
               (int)(b.raw.n < 200 ? b.raw.n : 200), b.raw.p ? b.raw.p : "", a.error, b.error);
      lines = -1;
      break;
    }
  }
  usage_stream_close(quick);
  usage_stream_close(whole);
  return lines;
}

static void read_file_into(const char *path, Text *t) {
  char chunk[65536];
  size_t got;
  FILE *f = fopen(path, "rb");
  if (!f) return;
  while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) text_add(t, chunk, got);
  fclose(f);
}

/* The quick parser must give exactly the records of json_parse's tree, for
** good lines and bad: the fixtures, every prefix of each of their lines,
** each line with one byte replaced by each of a set of troublemakers at each
** position, and genai-prices' real bodies. */
static void test_quick_parser(void) {
  static const char swaps[] = {'"', '\\', '{', '}', '[', ']', ',', ':', '0', '-', 'e', '.',
                               'x', ' ', '\t', '\r', 'n', 't', (char)0x80, (char)0xC3,
                               (char)0xED, (char)0xF4, 0x01, 'u'};
  const char *dir = getenv("TL_FIXTURES"), *shared = check_shared_dir();
  const char *names[] = {"events.jsonl", "events_units.jsonl"};
  char path[4096], why[1200] = "";
  Text fixtures = {0}, all = {0};
  long lines;
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    snprintf(path, sizeof path, "%s/%s", dir ? dir : "fixtures", names[i]);
    read_file_into(path, &fixtures);
    if (fixtures.n && fixtures.p[fixtures.n - 1] != '\n') text_add(&fixtures, "\n", 1);
  }
  if (!fixtures.n) {
    SKIP("quick parser = whole tree on the fixtures", "cannot read the fixtures");
    return;
  }
  lines = quick_matches_whole(fixtures.p, fixtures.n, why, sizeof why);
  if (lines < 0) printf("# %s\n", why);
  CHECK("quick parser = whole tree on the fixtures", lines == 41);

  /* Prefixes and one-byte replacements of every fixture line. */
  for (char *line = fixtures.p, *end; line < fixtures.p + fixtures.n; line = end + 1) {
    size_t len;
    end = memchr(line, '\n', (size_t)(fixtures.p + fixtures.n - line));
    len = (size_t)(end - line);
    for (size_t cut = 0; cut < len; cut++) {
      text_add(&all, line, cut);
      text_add(&all, "\n", 1);
    }
    for (size_t at = 0; at < len; at++) {
      for (size_t k = 0; k < sizeof swaps; k++) {
        size_t start = all.n;
        text_add(&all, line, len);
        all.p[start + at] = swaps[k];
        text_add(&all, "\n", 1);
      }
    }
  }
  lines = quick_matches_whole(all.p, all.n, why, sizeof why);
  if (lines < 0) printf("# %s\n", why);
  CHECK("quick parser = whole tree on every prefix and one-byte change of the fixtures",
        lines > 100000);

  /* genai-prices' bodies, one per line, serialized from its test file. */
  if (!shared) {
    SKIP("quick parser = whole tree on genai-prices' bodies", "no ../shared/data");
  } else {
    Text file = {0}, bodies = {0};
    JsonArena arena = {0};
    JsonValue *root;
    char err[256];
    snprintf(path, sizeof path, "%s/genai-prices/tests/usages.json", shared);
    read_file_into(path, &file);
    if (file.n && json_parse(path, file.p, file.n, &arena, &root, err, sizeof err) == 0 &&
        root->type == JSON_ARRAY) {
      for (const JsonValue *e = root->child; e; e = e->next) {
        JsonBuf out = {0};
        const JsonValue *body = json_get(e, "body");
        if (!body) continue;
        json_write(&out, body);
        if (out.oom) abort();
        text_add(&bodies, out.data, out.len);
        text_add(&bodies, "\n", 1);
        json_buf_free(&out);
      }
    }
    lines = quick_matches_whole(bodies.p ? bodies.p : "", bodies.n, why, sizeof why);
    if (lines < 0) printf("# %s\n", why);
    CHECK("quick parser = whole tree on genai-prices' 1577 bodies", lines == 1577);
    json_arena_free(&arena);
    free(file.p);
    free(bodies.p);
  }
  /* JSONTestSuite's documents, accepted and rejected ones, as they are and
  ** as the value of a member that is skipped, one that is built, and inside
  ** an array (built whole). */
  if (!shared) {
    SKIP("quick parser = whole tree on JSONTestSuite", "no ../shared/data");
  } else {
    static const char *const wraps[][2] = {
        {"", ""},
        {"{\"usage\":{\"input_tokens\":1,\"output_tokens\":2},\"x\":", "}"},
        {"{\"usage\":{\"input_tokens\":1,\"output_tokens\":2},\"model\":", "}"},
        {"{\"usage\":", "}"},
        {"{\"attributes\":[", "],\"gen_ai.usage.input_tokens\":3}"}};
    Text docs = {0};
    DIR *d;
    struct dirent *e;
    int files = 0;
    snprintf(path, sizeof path, "%s/conformance/json-test-suite/test_parsing", shared);
    d = opendir(path);
    while (d && (e = readdir(d)) != NULL) {
      Text doc = {0};
      char file[4096 + 256];
      if (e->d_name[0] == '.') continue;
      snprintf(file, sizeof file, "%s/%s", path, e->d_name);
      read_file_into(file, &doc);
      files++;
      for (size_t w = 0; w < sizeof wraps / sizeof wraps[0]; w++) {
        text_add(&docs, wraps[w][0], strlen(wraps[w][0]));
        if (doc.n) text_add(&docs, doc.p, doc.n);
        text_add(&docs, wraps[w][1], strlen(wraps[w][1]));
        text_add(&docs, "\n", 1);
      }
      free(doc.p);
    }
    if (d) closedir(d);
    lines = quick_matches_whole(docs.p ? docs.p : "", docs.n, why, sizeof why);
    if (lines < 0) printf("# %s\n", why);
    CHECK("quick parser = whole tree on JSONTestSuite's documents, bare and wrapped",
          files >= 318 && lines >= 5 * files);
    free(docs.p);
  }
  free(fixtures.p);
  free(all.p);
}

int main(void) {
  test_timestamps();
  test_timestamp_fast_path();
  test_lines();
  test_lines_from_file();
  test_line_memory();
  test_tree_memory();
  test_dialects();
  test_units();
  test_fixture();
  test_quick_parser();
  CHECK_DONE();
}
