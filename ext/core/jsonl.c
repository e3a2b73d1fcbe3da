/*
** JSONL line reader; the contract is in jsonl.h.
**
** HOW IT WORKS: buf[start..end) holds bytes read but not yet handed out.
** jsonl_next looks for '\n' from where the last search stopped (`scanned`,
** so a long line is never rescanned). A line wholly inside the buffer is
** returned as a pointer into it, without a copy. When no '\n' is found, the
** pending bytes move to the front, the buffer grows if full (doubling, but
** clamped to max_line + one chunk: a pending line is at most max_line bytes
** when more is read, so that much always suffices) and the next chunk is
** read. Once the pending line passes max_line it is dropped and the reader
** only counts bytes until the '\n' that ends it.
*/
#include "jsonl.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "tl_alloc.h"
#include "tl_file.h"

struct JsonlReader {
  int fd;                /* -1 for a memory reader */
  char *buf;             /* owned for files; the caller's bytes for memory */
  size_t cap, start, end, scanned;
  size_t max_line;
  uint64_t line;         /* number of the last line handed out */
  int eof;
  int failed;            /* JSONL_ERROR or JSONL_NOMEM once it happened, else 0 */
  const char *error;
};

static JsonlReader *reader_new(size_t max_line) {
  JsonlReader *r = tl_malloc(sizeof *r);
  if (!r) return NULL;
  memset(r, 0, sizeof *r);
  r->fd = -1;
  r->max_line = max_line ? max_line : JSONL_MAX_LINE;
  return r;
}

int jsonl_open_file(const char *path, size_t max_line, JsonlReader **out,
                    const char **err) {
  JsonlReader *r;
  int fd = tl_file_open(path, NULL, err);
  *out = NULL;
  if (fd < 0) return JSONL_ERROR;
  r = reader_new(max_line);
  if (r) {
    r->cap = JSONL_CHUNK_SIZE;
    r->buf = tl_malloc(r->cap);
  }
  if (!r || !r->buf) {
    if (r) tl_free(r);
    close(fd);
    return JSONL_NOMEM;
  }
  r->fd = fd;
  *out = r;
  return 0;
}

JsonlReader *jsonl_open_memory(const char *buf, size_t n, size_t max_line) {
  JsonlReader *r = reader_new(max_line);
  if (!r) return NULL;
  r->buf = (char *)buf; /* never written: a memory reader never reads or compacts */
  r->cap = r->end = n;
  r->eof = 1;
  return r;
}

void jsonl_close(JsonlReader *r) {
  if (!r) return;
  if (r->fd >= 0) {
    close(r->fd);
    tl_free(r->buf);
  }
  tl_free(r);
}

const char *jsonl_error(const JsonlReader *r) { return r->error; }

/* The buffer size for at least `need` bytes: doubling (so a long line is
** copied O(1) times per byte), but never past what a line can need. */
static size_t grown_capacity(const JsonlReader *r, size_t need) {
  size_t cap = r->cap * 2, most = r->max_line + JSONL_CHUNK_SIZE;
  if (cap > most) cap = most;
  return cap < need ? need : cap;
}

/* Records a failure; every later call returns it too. */
static int fail(JsonlReader *r, int rc, const char *why) {
  r->failed = rc;
  r->error = why;
  return rc;
}

/* Read more bytes after buf[end], first making room. Sets eof at the end of
** the file. Returns 0, JSONL_ERROR or JSONL_NOMEM. */
static int fill(JsonlReader *r) {
  ssize_t got;
  if (r->start > 0) {
    memmove(r->buf, r->buf + r->start, r->end - r->start);
    r->end -= r->start;
    r->scanned -= r->start;
    r->start = 0;
  }
  if (r->cap - r->end < JSONL_CHUNK_SIZE) {
    size_t cap = grown_capacity(r, r->end + JSONL_CHUNK_SIZE);
    char *grown = tl_realloc(r->buf, cap);
    if (!grown) return fail(r, JSONL_NOMEM, "out of memory");
    r->buf = grown;
    r->cap = cap;
  }
  do {
    got = read(r->fd, r->buf + r->end, r->cap - r->end);
  } while (got < 0 && errno == EINTR);
  if (got < 0) return fail(r, JSONL_ERROR, strerror(errno));
  if (got == 0) r->eof = 1;
  r->end += (size_t)got;
  return 0;
}

/* The pending line is longer than max_line: drop bytes up to its '\n' (or
** the end of the file), counting them. */
static int skip_long_line(JsonlReader *r, JsonlLine *out) {
  size_t len = r->end - r->start;
  for (;;) {
    char *nl;
    int rc;
    r->start = r->end = r->scanned = 0;
    if (r->eof) break;
    if ((rc = fill(r)) != 0) return rc;
    nl = memchr(r->buf, '\n', r->end);
    if (nl) {
      size_t n = (size_t)(nl - r->buf);
      len += n;
      r->start = r->scanned = n + 1;
      break;
    }
    len += r->end;
  }
  out->text = NULL;
  out->len = len;
  out->number = ++r->line;
  out->too_long = 1;
  return 1;
}

int jsonl_next(JsonlReader *r, JsonlLine *out) {
  if (r->failed) return r->failed;
  for (;;) {
    char *nl = r->end > r->scanned
                   ? memchr(r->buf + r->scanned, '\n', r->end - r->scanned)
                   : NULL;
    size_t n;
    if (nl) {
      n = (size_t)(nl - (r->buf + r->start));
      out->text = r->buf + r->start;
      r->start = r->scanned = n + r->start + 1;
    } else if (!r->eof) {
      if (r->end - r->start > r->max_line) return skip_long_line(r, out);
      int rc;
      r->scanned = r->end;
      if ((rc = fill(r)) != 0) return rc;
      continue;
    } else if (r->start < r->end) { /* last line, without a terminator */
      n = r->end - r->start;
      out->text = r->buf + r->start;
      r->start = r->scanned = r->end;
    } else {
      return 0;
    }
    if (n > r->max_line) {
      out->text = NULL;
      out->too_long = 1;
    } else {
      out->too_long = 0;
      if (n > 0 && out->text[n - 1] == '\r') n--;
    }
    out->len = n;
    out->number = ++r->line;
    return 1;
  }
}
