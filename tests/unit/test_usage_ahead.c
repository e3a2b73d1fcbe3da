/*
** The read-ahead stream (ext/core/usage_ahead.c) against the direct one: the same
** records in the same order, field for field, whatever the batch size; the
** same error at the same place; closing early, at any point, neither hangs
** nor leaks (the ASan build checks the leaks).
*/
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "tl_alloc.h"
#include "usage.h"
#include "usage_ahead.h"

static int text_equal(UsageText a, UsageText b) {
  return (a.p == NULL) == (b.p == NULL) && a.n == b.n && (!a.p || memcmp(a.p, b.p, a.n) == 0);
}

/* Whether two records agree on every field the read-ahead keeps. */
static int same_record(const UsageRecord *a, const UsageRecord *b) {
  return a->line == b->line && a->dialect == b->dialect && a->known == b->known &&
         memcmp(a->tokens, b->tokens, sizeof a->tokens) == 0 &&
         a->extra_known == b->extra_known && memcmp(a->extra, b->extra, sizeof a->extra) == 0 &&
         a->has_ts == b->has_ts && (!a->has_ts || strcmp(a->ts, b->ts) == 0) &&
         text_equal(a->provider, b->provider) && text_equal(a->model, b->model) &&
         text_equal(a->request_id, b->request_id) && text_equal(a->status, b->status) &&
         text_equal(a->service_tier, b->service_tier) && a->has_cost == b->has_cost &&
         (!a->has_cost || a->cost == b->cost) && strcmp(a->error, b->error) == 0 &&
         b->raw.p == NULL;
}

/* A log of every shape: n lines, a malformed one every 7th, long model names
** now and then (batches that end on their text budget). */
static char *make_log(int n, size_t *len) {
  size_t cap = (size_t)n * 300 + 1, o = 0;
  char *buf = tl_malloc(cap);
  for (int i = 0; i < n && buf; i++) {
    if (i % 7 == 3) {
      o += (size_t)snprintf(buf + o, cap - o, "{\"usage\": {\"input_tokens\": \n");
    } else if (i % 5 == 1) {
      o += (size_t)snprintf(buf + o, cap - o,
                            "{\"timestamp\":\"2025-0%d-1%dT10:00:00Z\",\"model\":\"gpt-4o-%d\","
                            "\"usage\":{\"prompt_tokens\":%d,\"completion_tokens\":%d,"
                            "\"prompt_tokens_details\":{\"cached_tokens\":%d}},"
                            "\"service_tier\":\"flex\"}\n",
                            1 + i % 9, i % 10, i, 100 + i, i % 50, i % 90);
    } else {
      o += (size_t)snprintf(buf + o, cap - o,
                            "{\"ts\":%d,\"provider\":\"anthropic\",\"model\":\"claude-%0*d\","
                            "\"usage\":{\"input_tokens\":%d,\"output_tokens\":%d,"
                            "\"cache_creation_input_tokens\":%d}}\n",
                            1700000000 + i, i % 11 == 0 ? 200 : 1, i, i, i % 13, i % 3);
    }
  }
  *len = o;
  return buf;
}

/* Reads buf both ways with batches of `batch`: the number of records that
** differ, or -1 when the counts or end codes differ. */
static int compare(const char *buf, size_t len, int batch) {
  UsageStream *direct = usage_stream_open_memory("log.jsonl", buf, len, 0);
  UsageStream *ahead_stream = usage_stream_open_memory("log.jsonl", buf, len, 0);
  UsageAhead *ahead = NULL;
  if (!direct || !ahead_stream || usage_ahead_open(ahead_stream, batch, &ahead) != 0) return -1;
  UsageRecord rec;
  const UsageRecord *got;
  int differ = 0, rc1, rc2;
  do {
    rc1 = usage_stream_next(direct, &rec);
    rc2 = usage_ahead_next(ahead, &got);
    if (rc1 != rc2) {
      differ = -1;
      break;
    }
    if (rc1 == 1 && !same_record(&rec, got)) differ++;
  } while (rc1 == 1);
  usage_stream_close(direct);
  usage_ahead_close(ahead);
  return differ;
}

int main(void) {
  size_t len;
  char *log = make_log(3000, &len);
  CHECK("one record per batch", compare(log, len, 1) == 0);
  CHECK("batches of 2", compare(log, len, 2) == 0);
  CHECK("batches of 7", compare(log, len, 7) == 0);
  CHECK("batches of 256", compare(log, len, 256) == 0);
  CHECK("a batch larger than the file", compare(log, len, 5000) == 0);
  CHECK("an empty log", compare("", 0, 4) == 0);
  CHECK("a last line without its newline", compare(log, len - 1, 3) == 0);

  /* closing at any point: after 0, 1, 100, 2999 records */
  int ok = 1;
  const int stops[] = {0, 1, 100, 2999};
  for (size_t k = 0; k < sizeof stops / sizeof stops[0]; k++) {
    UsageStream *s = usage_stream_open_memory("log.jsonl", log, len, 0);
    UsageAhead *a = NULL;
    const UsageRecord *r;
    if (!s || usage_ahead_open(s, 16, &a) != 0) ok = 0;
    for (int i = 0; a && i < stops[k]; i++)
      if (usage_ahead_next(a, &r) != 1) ok = 0;
    usage_ahead_close(a);
  }
  CHECK("closing early, at any point, returns", ok);

  /* a line over the cap is an error record in both, at the same line */
  UsageStream *capped = usage_stream_open_memory("log.jsonl", log, len, 120);
  UsageAhead *a = NULL;
  const UsageRecord *r;
  int errors = 0, n = 0;
  if (capped && usage_ahead_open(capped, 8, &a) == 0) {
    while (usage_ahead_next(a, &r) == 1) {
      n++;
      if (r->error[0]) errors++;
    }
    usage_ahead_close(a);
  }
  /* expected: the malformed lines (i % 7 == 3) and every other line over 120
  ** bytes with its newline, counted on the buffer itself */
  int expect = 0, line_no = 0;
  for (size_t start = 0, i = 0; i < len; i++) {
    if (log[i] != '\n') continue;
    if (line_no % 7 == 3 || i - start + 1 > 120) expect++;
    line_no++;
    start = i + 1;
  }
  CHECK("over-long lines are error records, the rest still read",
        n == 3000 && errors == expect && expect > 428);

  /* out of memory at each of the first allocations: an error, never a crash */
  int clean = 1;
  for (long fail = 0; fail < 12; fail++) {
    UsageStream *s = usage_stream_open_memory("log.jsonl", log, len, 0);
    tl_alloc_fail_from(fail);
    UsageAhead *b = NULL;
    int rc = s ? usage_ahead_open(s, 64, &b) : USAGE_NOMEM;
    if (rc == 0) {
      while ((rc = usage_ahead_next(b, &r)) == 1) {
      }
      if (rc != 0 && rc != USAGE_NOMEM) clean = 0;
      usage_ahead_close(b);
    } else if (rc != USAGE_NOMEM) {
      clean = 0;
    }
    tl_alloc_fail_from(-1);
  }
  CHECK("out of memory in either thread ends the read cleanly", clean);
  tl_free(log);
  return check_failures ? 1 : 0;
}
