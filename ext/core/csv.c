/*
** The streaming RFC 4180 reader and the field typer; see csv.h.
**
** HOW IT WORKS. csv_reader_next() is a four-state machine (start of a field,
** unquoted, quoted, just after a quote inside a quoted field) run over the
** current chunk. The two states where nearly all bytes are spent scan ahead
** with a 256-entry table of the bytes that end a run (delimiter, CR, LF for
** unquoted text; '"', CR, LF inside quotes) and copy whole runs into the
** record buffer, so the per-byte cost is one table lookup. Fields are stored
** back to back in that buffer, each followed by a NUL, with their start
** offsets in a second array; both grow to the longest record and are reused.
**
** Line ends: LF, CRLF and a lone CR each end one line. A CR that ends a
** record sets `skip_lf`, so that an LF right after it (possibly in the next
** chunk) is swallowed instead of read as a blank line. Inside quotes the
** line count skips the LF of a CRLF by looking at the byte before it in the
** record buffer, which holds it whatever the chunk boundaries.
*/
#include "csv.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "decimal.h"
#include "tl_alloc.h"
#include "tl_file.h"

#define CSV_CHUNK 65536
#define CSV_ERROR_MAX 600

enum { S_RECORD, S_FIELD, S_UNQUOTED, S_QUOTED, S_QUOTE };

struct CsvReader {
  char *name;
  FILE *file;                /* NULL when reading memory */
  const unsigned char *buf;  /* the current chunk (or the whole memory input) */
  unsigned char *chunk;      /* owned chunk buffer (files only) */
  size_t pos, len;           /* next byte and end of the current chunk */
  uint64_t base;             /* offset in the input of buf[0] */
  int exhausted;             /* no more chunks */
  int started;               /* the byte order mark has been looked for */
  int skip_lf;               /* the last record ended on a CR */
  char delimiter;
  unsigned char stop_unquoted[256], stop_quoted[256];

  uint64_t line;             /* line of the next unread byte */
  uint64_t line_start;       /* input offset where that line starts */

  char *rec;                 /* the current record's fields, NUL-separated */
  size_t rec_len, rec_cap;
  size_t *field_off;
  unsigned char *field_quoted;
  size_t nfield, field_cap;
  uint64_t rec_line;

  int failed;                /* 0, -1 or CSV_NOMEM: what every later call returns */
  char error[CSV_ERROR_MAX];
};

static CsvReader *reader_new(const char *name, char delimiter) {
  CsvReader *r = tl_malloc(sizeof *r);
  size_t n = strlen(name);
  if (!r) return NULL;
  memset(r, 0, sizeof *r);
  r->name = tl_malloc(n + 1);
  if (!r->name) {
    tl_free(r);
    return NULL;
  }
  memcpy(r->name, name, n + 1);
  r->delimiter = delimiter;
  r->line = 1;
  r->stop_unquoted[(unsigned char)delimiter] = 1;
  r->stop_unquoted['\n'] = r->stop_unquoted['\r'] = 1;
  r->stop_quoted['"'] = r->stop_quoted['\n'] = r->stop_quoted['\r'] = 1;
  return r;
}

CsvReader *csv_reader_open_file(const char *path, char delimiter,
                                const char **err) {
  CsvReader *r;
  const char *why = NULL;
  int fd = tl_file_open(path, NULL, &why);
  FILE *f;
  if (fd < 0 || !(f = fdopen(fd, "rb"))) {
    if (fd >= 0) close(fd);
    if (err) *err = why; /* NULL: fdopen could not allocate */
    return NULL;
  }
  r = reader_new(path, delimiter);
  if (r) r->chunk = tl_malloc(CSV_CHUNK);
  if (!r || !r->chunk) {
    csv_reader_close(r);
    fclose(f);
    if (err) *err = NULL;
    return NULL;
  }
  r->file = f;
  r->buf = r->chunk;
  return r;
}

CsvReader *csv_reader_open_memory(const char *name, const char *buf, size_t n,
                                  char delimiter) {
  CsvReader *r = reader_new(name, delimiter);
  if (!r) return NULL;
  r->buf = (const unsigned char *)buf;
  r->len = n;
  r->exhausted = 1;
  return r;
}

void csv_reader_close(CsvReader *r) {
  if (!r) return;
  if (r->file) fclose(r->file);
  tl_free(r->chunk);
  tl_free(r->rec);
  tl_free(r->field_off);
  tl_free(r->field_quoted);
  tl_free(r->name);
  tl_free(r);
}

const char *csv_reader_error(const CsvReader *r) {
  return r->failed ? r->error : NULL;
}
const char *csv_reader_name(const CsvReader *r) { return r->name; }
size_t csv_reader_nfield(const CsvReader *r) { return r->nfield; }
uint64_t csv_reader_line(const CsvReader *r) { return r->rec_line; }

const char *csv_reader_field(const CsvReader *r, size_t i, size_t *len) {
  size_t start = r->field_off[i];
  size_t end = i + 1 < r->nfield ? r->field_off[i + 1] - 1 : r->rec_len - 1;
  if (len) *len = end - start;
  return r->rec + start;
}

int csv_reader_quoted(const CsvReader *r, size_t i) {
  return r->field_quoted[i];
}

/* ---- column names ------------------------------------------------------ */

/* One name taken, in an open-addressing table keyed by its ASCII-folded
** bytes. next_suffix is where the search for a free NAME_k starts when a
** later field clashes with it: every suffix below it is taken already, so
** the search never repeats work (which made 20,000 copies of one name cubic
** when each try was compared with every earlier name). */
typedef struct NameSlot {
  const char *name; /* NULL: empty slot */
  size_t len;
  uint32_t next_suffix;
} NameSlot;

static unsigned char fold(unsigned char c) {
  return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

static uint64_t fold_hash(const char *z, size_t n) {
  uint64_t h = 14695981039346656037ull; /* FNV-1a */
  for (size_t i = 0; i < n; i++) {
    h = (h ^ fold((unsigned char)z[i])) * 1099511628211ull;
  }
  return h;
}

/* The slot holding a name equal to z (ignoring ASCII case), else the empty
** slot where it would go. The table is never full (twice the names). */
static NameSlot *name_slot(NameSlot *tab, size_t mask, const char *z, size_t n) {
  size_t i = (size_t)fold_hash(z, n) & mask;
  for (;; i = (i + 1) & mask) {
    NameSlot *s = &tab[i];
    size_t k = 0;
    if (!s->name) return s;
    if (s->len != n) continue;
    while (k < n && fold((unsigned char)s->name[k]) == fold((unsigned char)z[k])) k++;
    if (k == n) return s;
  }
}

/* Writes field i's base name at out (trimmed, control bytes as '_', or cN
** when empty); returns its length. out has room for max(len, 21) bytes. */
static size_t base_name(const CsvReader *r, int header, size_t i, char *out) {
  size_t len = 0, n = 0;
  const char *z = header ? csv_reader_field(r, i, &len) : "";
  while (len > 0 && (*z == ' ' || *z == '\t')) {
    z++;
    len--;
  }
  while (len > 0 && (z[len - 1] == ' ' || z[len - 1] == '\t')) len--;
  if (len == 0) return (size_t)snprintf(out, 22, "c%zu", i + 1);
  for (; n < len; n++) out[n] = (unsigned char)z[n] < 0x20 ? '_' : z[n];
  return n;
}

char **csv_reader_column_names(const CsvReader *r, int header) {
  size_t n = r->nfield, bytes = n * sizeof(char *), mask = 1;
  char **names;
  char *p;
  NameSlot *tab;
  /* Room per name: the field, or "c" and 20 digits, then "_", 10 digits
  ** and the NUL of a suffix. */
  for (size_t i = 0; i < n; i++) {
    size_t len = 0;
    if (header) csv_reader_field(r, i, &len);
    bytes += (len > 21 ? len : 21) + 12;
  }
  while (mask < 2 * n) mask <<= 1;
  names = tl_malloc(bytes);
  tab = tl_malloc(mask * sizeof *tab);
  if (!names || !tab) {
    tl_free(names);
    tl_free(tab);
    return NULL;
  }
  memset(tab, 0, mask * sizeof *tab);
  mask--;
  p = (char *)(names + n);
  for (size_t i = 0; i < n; i++) {
    size_t len = base_name(r, header, i, p);
    NameSlot *slot = name_slot(tab, mask, p, len);
    if (slot->name) {
      NameSlot *owner = slot;
      uint32_t k = owner->next_suffix;
      size_t with_suffix;
      for (;; k++) {
        with_suffix = len + (size_t)snprintf(p + len, 12, "_%u", (unsigned)k);
        slot = name_slot(tab, mask, p, with_suffix);
        if (!slot->name) break;
      }
      owner->next_suffix = k + 1;
      len = with_suffix;
    }
    p[len] = 0;
    slot->name = p;
    slot->len = len;
    slot->next_suffix = 2;
    names[i] = p;
    p += len + 1;
  }
  tl_free(tab);
  return names;
}

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static int fail(CsvReader *r, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(r->error, sizeof r->error, fmt, ap);
  va_end(ap);
  r->failed = -1;
  return -1;
}

/* Out of memory: the caller's answer is SQLITE_NOMEM, not a message, but
** csv_reader_error() still says something. */
static int nomem(CsvReader *r) {
  snprintf(r->error, sizeof r->error, "out of memory");
  r->failed = CSV_NOMEM;
  return CSV_NOMEM;
}

static unsigned long long column_of(const CsvReader *r, size_t pos) {
  return (unsigned long long)(r->base + pos - r->line_start + 1);
}

/* Next chunk: 1 if there are bytes to read, 0 at the end, -1 on error. */
static int refill(CsvReader *r) {
  size_t n;
  if (r->exhausted) return 0;
  r->base += r->len;
  r->pos = r->len = 0;
  n = fread(r->chunk, 1, CSV_CHUNK, r->file);
  if (n == 0) {
    r->exhausted = 1;
    if (ferror(r->file)) return fail(r, "%s: read error", r->name);
    return 0;
  }
  r->len = n;
  return 1;
}

static void skip_bom(CsvReader *r) {
  r->started = 1;
  if (r->len - r->pos >= 3 && memcmp(r->buf + r->pos, "\xEF\xBB\xBF", 3) == 0) {
    r->pos += 3;
    r->line_start = r->base + r->pos;
  }
}

static int reserve(CsvReader *r, size_t extra) {
  size_t need = r->rec_len + extra + 1, cap;
  char *p;
  if (need <= r->rec_cap) return 0;
  if (need > CSV_MAX_RECORD) {
    return fail(r, "%s:%llu: record longer than %u bytes (an unclosed quote?)",
                r->name, (unsigned long long)r->rec_line, CSV_MAX_RECORD);
  }
  cap = r->rec_cap ? r->rec_cap : 256;
  while (cap < need) cap *= 2;
  p = tl_realloc(r->rec, cap);
  if (!p) return nomem(r);
  r->rec = p;
  r->rec_cap = cap;
  return 0;
}

static int append(CsvReader *r, const unsigned char *s, size_t n) {
  if (reserve(r, n)) return -1;
  memcpy(r->rec + r->rec_len, s, n);
  r->rec_len += n;
  return 0;
}

static int begin_field(CsvReader *r, int quoted) {
  if (r->nfield == r->field_cap) {
    size_t cap = r->field_cap ? r->field_cap * 2 : 16;
    size_t *off;
    unsigned char *q;
    if (r->nfield >= CSV_MAX_FIELDS) {
      return fail(r, "%s:%llu: more than %u fields in one record", r->name,
                  (unsigned long long)r->rec_line, CSV_MAX_FIELDS);
    }
    off = tl_realloc(r->field_off, cap * sizeof *off);
    if (!off) return nomem(r);
    r->field_off = off;
    q = tl_realloc(r->field_quoted, cap);
    if (!q) return nomem(r);
    r->field_quoted = q;
    r->field_cap = cap;
  }
  r->field_off[r->nfield] = r->rec_len;
  r->field_quoted[r->nfield] = (unsigned char)quoted;
  return 0;
}

static int end_field(CsvReader *r) {
  if (reserve(r, 0)) return -1;
  r->rec[r->rec_len++] = 0;
  r->nfield++;
  return 0;
}

/* Consume the line end at pos (CR or LF) that ends a record or a blank line. */
static void take_line_end(CsvReader *r) {
  r->skip_lf = r->buf[r->pos] == '\r';
  r->pos++;
  r->line++;
  r->line_start = r->base + r->pos;
}

/* Blank lines before a record are capped like the record itself, so that one
** call (one xNext) never scans an unbounded run of line ends. */
static int check_blank_run(CsvReader *r, uint64_t from) {
  if (r->base + r->pos - from <= CSV_MAX_RECORD) return 0;
  return fail(r, "%s:%llu: more than %u bytes of blank lines: expected a record",
              r->name, (unsigned long long)r->line, CSV_MAX_RECORD);
}

int csv_reader_next(CsvReader *r) {
  int state = S_RECORD;
  uint64_t quote_line = 0, blank_from = r->base + r->pos;
  unsigned long long quote_col = 0;
  if (r->failed) return r->failed;
  r->nfield = 0;
  r->rec_len = 0;
  for (;;) {
    const unsigned char *buf;
    size_t i;
    unsigned char c;
    if (r->pos >= r->len) {
      int rc = refill(r);
      if (rc < 0) return r->failed;
      if (rc == 0) break;
    }
    if (!r->started) skip_bom(r);
    if (r->pos >= r->len) continue;
    buf = r->buf;
    c = buf[r->pos];
    switch (state) {
      case S_RECORD: /* skipping blank lines, and the LF of a CRLF */
        if (c == '\n' && r->skip_lf) {
          r->skip_lf = 0;
          r->pos++;
          r->line_start = r->base + r->pos;
          if (check_blank_run(r, blank_from)) return r->failed;
        } else if (c == '\n' || c == '\r') {
          take_line_end(r);
          if (check_blank_run(r, blank_from)) return r->failed;
        } else {
          r->skip_lf = 0;
          r->rec_line = r->line;
          state = S_FIELD;
        }
        break;
      case S_FIELD:
        if (c == '"') {
          quote_line = r->line;
          quote_col = column_of(r, r->pos);
          r->pos++;
          state = S_QUOTED;
        } else {
          state = S_UNQUOTED;
        }
        if (begin_field(r, state == S_QUOTED)) return r->failed;
        break;
      case S_UNQUOTED:
        for (i = r->pos; i < r->len && !r->stop_unquoted[buf[i]]; i++) {
        }
        if (append(r, buf + r->pos, i - r->pos)) return r->failed;
        r->pos = i;
        if (i == r->len) break;
        if (end_field(r)) return r->failed;
        if (buf[i] == (unsigned char)r->delimiter) {
          r->pos++;
          state = S_FIELD;
          break;
        }
        take_line_end(r);
        return 1;
      case S_QUOTED:
        for (i = r->pos; i < r->len && !r->stop_quoted[buf[i]]; i++) {
        }
        if (append(r, buf + r->pos, i - r->pos)) return r->failed;
        r->pos = i;
        if (i == r->len) break;
        r->pos++;
        if (buf[i] == '"') {
          state = S_QUOTE;
          break;
        }
        /* CR or LF inside quotes: part of the field, and a new line. */
        if (!(buf[i] == '\n' && r->rec_len > 0 && r->rec[r->rec_len - 1] == '\r')) {
          r->line++;
        }
        r->line_start = r->base + r->pos;
        if (append(r, buf + i, 1)) return r->failed;
        break;
      case S_QUOTE: /* after a '"' inside quotes */
        if (c == '"') {
          if (append(r, buf + r->pos, 1)) return r->failed;
          r->pos++;
          state = S_QUOTED;
          break;
        }
        if (end_field(r)) return r->failed;
        if (c == (unsigned char)r->delimiter) {
          r->pos++;
          state = S_FIELD;
          break;
        }
        if (c == '\n' || c == '\r') {
          take_line_end(r);
          return 1;
        }
        return fail(r,
                    "%s:%llu:%llu: '%c' after a closing quote: expected the delimiter or "
                    "the end of the line",
                    r->name, (unsigned long long)r->line, column_of(r, r->pos),
                    c >= 0x20 && c < 0x7f ? c : '?');
    }
  }
  /* End of input. */
  switch (state) {
    case S_RECORD:
      return 0;
    case S_QUOTED:
      return fail(r,
                  "%s:%llu:%llu: unterminated quoted field: expected a closing "
                  "'\"' before the end of the file",
                  r->name, (unsigned long long)quote_line, quote_col);
    case S_FIELD: /* after a final delimiter: one more, empty, field */
      if (begin_field(r, 0) || end_field(r)) return r->failed;
      return 1;
    default: /* S_UNQUOTED, or S_QUOTE whose field is not ended yet */
      if (end_field(r)) return r->failed;
      return 1;
  }
}

static int is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
         c == '\v';
}

/* An integer literal: 1 and its value, 0 if not one, 2 if one too large. */
static int parse_integer(const char *z, size_t n, int64_t *out) {
  size_t i = 0;
  int negative = 0;
  uint64_t v = 0, limit;
  if (i < n && (z[i] == '+' || z[i] == '-')) negative = z[i++] == '-';
  if (i == n) return 0;
  limit = negative ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
  for (; i < n; i++) {
    unsigned d;
    if (z[i] < '0' || z[i] > '9') return 0;
    d = (unsigned)(z[i] - '0');
    if (v > (limit - d) / 10) {
      while (++i < n) {
        if (z[i] < '0' || z[i] > '9') return 0;
      }
      return 2;
    }
    v = v * 10 + d;
  }
  if (negative) {
    *out = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
  } else {
    *out = (int64_t)v;
  }
  return 1;
}

CsvType csv_type_field(const char *z, size_t n, int quoted, int64_t *i,
                       double *d) {
  size_t start = 0, end = n;
  if (n == 0) return quoted ? CSV_TEXT : CSV_NULL;
  while (start < end && is_space(z[start])) start++;
  while (end > start && is_space(z[end - 1])) end--;
  if (start == end) return CSV_TEXT;
  switch (parse_integer(z + start, end - start, i)) {
    case 1:
      return CSV_INTEGER;
    case 2:
      break; /* too large: a REAL, as in SQLite */
    default:
      if (z[start] != '.' && z[start] != '+' && z[start] != '-' &&
          (z[start] < '0' || z[start] > '9')) {
        return CSV_TEXT; /* cheap rejection of ordinary words */
      }
  }
  return tl_decimal_to_double(z + start, end - start, 0, d) == 0 ? CSV_REAL
                                                                 : CSV_TEXT;
}
