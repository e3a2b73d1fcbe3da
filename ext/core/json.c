/*
** Our own JSON reader; the manual is json.h.
**
** HOW IT WORKS. The reader holds one chunk of input (a 64 KiB buffer for a
** file, the caller's buffer for memory) and a token scratch buffer. Tokens
** never point into the chunk: a string or number is copied (and unescaped)
** into the scratch, so a chunk can be replaced at any byte. Walking
** containers keeps a small stack of "what container am I in, and has it had
** a member yet", which is all the state that commas and closing brackets
** need. Building a tree is a recursive descent over the same token functions,
** with its depth bounded by JSON_MAX_DEPTH; skipping a value is the same
** descent with no arena.
**
** Positions: the absolute offset of the chunk's first byte plus the index in
** the chunk gives the offset; newlines are only legal in whitespace, so
** counting them while skipping whitespace gives the line, and the offset of
** the last newline gives the column.
*/
#include "json.h"

#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "decimal.h"
#include "tl_alloc.h"
#include "tl_file.h"

#define CHUNK_SIZE 65536
#define ARENA_BLOCK_SIZE 65536

/* ---------------------------------------------------------------- arena */

struct JsonArenaBlock {
  JsonArenaBlock *next;
  size_t used, size;
  /* data follows, aligned for any JsonValue or double */
};

#define BLOCK_HEADER ((sizeof(JsonArenaBlock) + 15) & ~(size_t)15)

void *json_arena_alloc(JsonArena *arena, size_t n) {
  JsonArenaBlock *b = arena->head;
  n = (n + 15) & ~(size_t)15;
  if (!b || b->size - b->used < n) {
    size_t size = n > ARENA_BLOCK_SIZE ? n : ARENA_BLOCK_SIZE;
    b = tl_malloc(BLOCK_HEADER + size);
    if (!b) return NULL;
    b->next = arena->head;
    b->used = 0;
    b->size = size;
    arena->head = b;
  }
  b->used += n;
  return (char *)b + BLOCK_HEADER + b->used - n;
}

char *json_arena_strdup(JsonArena *arena, const char *s, size_t n) {
  char *copy = json_arena_alloc(arena, n + 1);
  if (copy) {
    memcpy(copy, s, n);
    copy[n] = 0;
  }
  return copy;
}

/* Keeps the oldest block (the one allocated first, last in the list) for
** reuse, so that an arena reset per entry does not go back to the allocator
** for every entry. */
void json_arena_reset(JsonArena *arena) {
  JsonArenaBlock *b = arena->head;
  while (b && b->next) {
    JsonArenaBlock *next = b->next;
    tl_free(b);
    b = next;
  }
  if (b) b->used = 0;
  arena->head = b;
}

void json_arena_free(JsonArena *arena) {
  json_arena_reset(arena);
  tl_free(arena->head);
  arena->head = NULL;
}

/* ---------------------------------------------------------------- reader */

enum { CONTAINER_OBJECT = 1, CONTAINER_ARRAY = 2, CONTAINER_STARTED = 4 };

struct JsonReader {
  FILE *file;                /* NULL for a memory reader */
  JsonError *detail;         /* json_parse_sparse: the error as data, or NULL */
  const unsigned char *buf;  /* the current chunk */
  unsigned char *chunk;      /* owned chunk buffer (file readers) */
  size_t pos, end;
  uint64_t base;             /* absolute offset of buf[0] */
  uint64_t line_start;       /* absolute offset of the current line's start */
  uint32_t line;
  const char *name;          /* for messages: name_copy, or json_parse's */
  char *name_copy;
  char *error;               /* NULL after a failure when even it could not be allocated */
  int failed;                /* a call failed: every later call fails too */
  int nomem;                 /* ... because an allocation failed */
  char *tok;                 /* scratch: the last string or number */
  size_t tok_len, tok_cap;
  int depth;                 /* open containers being walked */
  JsonKeyFilter keep;        /* json_parse_sparse: members worth building */
  unsigned char walk[JSON_MAX_DEPTH + 1]; /* last: not cleared by reader_init */
};

/* Everything but the walk stack, which is written before it is read. */
static void reader_init(JsonReader *r, const char *name) {
  memset(r, 0, offsetof(JsonReader, walk));
  r->line = 1;
  r->name = name;
}

/* Frees what the reader owns, but not the reader itself. */
static void reader_release(JsonReader *r) {
  if (r->file) fclose(r->file);
  tl_free(r->chunk);
  tl_free(r->name_copy);
  tl_free(r->error);
  tl_free(r->tok);
}

static JsonReader *reader_new(const char *name) {
  JsonReader *r = tl_malloc(sizeof *r);
  size_t n = strlen(name);
  if (!r) return NULL;
  reader_init(r, NULL);
  r->name_copy = tl_malloc(n + 1);
  if (!r->name_copy) {
    tl_free(r);
    return NULL;
  }
  memcpy(r->name_copy, name, n + 1);
  r->name = r->name_copy;
  return r;
}

static void skip_bom(JsonReader *r);

JsonReader *json_reader_open_file(const char *path, const char **err) {
  JsonReader *r;
  const char *why = NULL;
  int fd = tl_file_open(path, NULL, &why);
  FILE *f;
  if (fd < 0 || !(f = fdopen(fd, "rb"))) {
    if (fd >= 0) close(fd);
    if (err) *err = why ? why : "out of memory";
    return NULL;
  }
  r = reader_new(path);
  if (r) r->chunk = tl_malloc(CHUNK_SIZE);
  if (!r || !r->chunk) {
    if (r) json_reader_close(r);
    fclose(f);
    if (err) *err = "out of memory";
    return NULL;
  }
  r->file = f;
  r->buf = r->chunk;
  skip_bom(r);
  return r;
}

JsonReader *json_reader_open_memory(const char *name, const char *buf,
                                    size_t n) {
  JsonReader *r = reader_new(name);
  if (!r) return NULL;
  r->buf = (const unsigned char *)buf;
  r->end = n;
  skip_bom(r);
  return r;
}

void json_reader_close(JsonReader *r) {
  if (!r) return;
  reader_release(r);
  tl_free(r);
}

const char *json_reader_error(const JsonReader *r) {
  return r->error ? r->error : r->failed ? "out of memory" : NULL;
}

int json_reader_nomem(const JsonReader *r) { return r->nomem; }

uint64_t json_reader_offset(const JsonReader *r) { return r->base + r->pos; }

void json_reader_position(const JsonReader *r, uint32_t *line, uint32_t *col) {
  *line = r->line;
  *col = (uint32_t)(r->base + r->pos - r->line_start + 1);
}

/* Loads the next chunk. Returns 0 at end of input (or on a read error, which
** it records). */
static int refill(JsonReader *r) {
  size_t n;
  if (!r->file || r->failed) return 0;
  r->base += r->end;
  r->pos = r->end = 0;
  n = fread(r->chunk, 1, CHUNK_SIZE, r->file);
  if (n == 0 && ferror(r->file)) {
    r->failed = 1;
    r->error = tl_malloc(strlen(r->name) + 64);
    if (r->error) sprintf(r->error, "%s: read error", r->name);
    else r->nomem = 1;
  }
  r->end = n;
  return n > 0;
}

static inline int peek_byte(JsonReader *r) {
  if (r->pos == r->end && !refill(r)) return -1;
  return r->buf[r->pos];
}

static inline int next_byte(JsonReader *r) {
  if (r->pos == r->end && !refill(r)) return -1;
  return r->buf[r->pos++];
}

static void skip_bom(JsonReader *r) {
  if (peek_byte(r) == 0xEF && r->pos + 3 <= r->end &&
      r->buf[r->pos + 1] == 0xBB && r->buf[r->pos + 2] == 0xBF) {
    r->pos += 3;
    r->line_start = 3;
  }
}

/* Describes the byte c for an error message ("'x'", "end of input"). */
static const char *describe(int c, char *out, size_t n) {
  if (c < 0) return "end of input";
  if (c >= 0x21 && c < 0x7f) snprintf(out, n, "'%c'", c);
  else snprintf(out, n, "byte 0x%02X", (unsigned)c);
  return out;
}

/* Records "NAME:LINE:COL: MESSAGE" at the current position, or the same as
** data into r->detail (the first error wins). Always returns -1. */
static int fail(JsonReader *r, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static int fail(JsonReader *r, const char *fmt, ...) {
  char message[256];
  uint32_t line, col;
  size_t n;
  va_list ap;
  if (r->failed) return -1;
  r->failed = 1;
  va_start(ap, fmt);
  vsnprintf(message, sizeof message, fmt, ap);
  va_end(ap);
  json_reader_position(r, &line, &col);
  if (r->detail) { /* the caller takes the error as data: no text to allocate */
    r->detail->line = line;
    r->detail->col = col;
    snprintf(r->detail->message, sizeof r->detail->message, "%s", message);
    return -1;
  }
  n = strlen(r->name) + strlen(message) + 48;
  r->error = tl_malloc(n);
  if (r->error) snprintf(r->error, n, "%s:%u:%u: %s", r->name, line, col, message);
  else r->nomem = 1;
  return -1;
}

/* An allocation failed: the caller must be able to tell this from bad input,
** so that out of memory fails a query instead of becoming a row's error. */
static int fail_nomem(JsonReader *r) {
  if (!r->failed) r->nomem = 1;
  return fail(r, "out of memory");
}

/* Fails with "found X: expected WHAT" about the byte under the cursor. */
static int fail_expected(JsonReader *r, const char *what) {
  char found[32];
  return fail(r, "found %s: expected %s", describe(peek_byte(r), found, sizeof found), what);
}

static void skip_whitespace_slow(JsonReader *r) {
  for (;;) {
    const unsigned char *p = r->buf + r->pos, *end = r->buf + r->end;
    while (p < end) {
      if (*p == ' ' || *p == '\t' || *p == '\r') {
        p++;
      } else if (*p == '\n') {
        r->line++;
        r->line_start = r->base + (uint64_t)(p - r->buf) + 1;
        p++;
      } else {
        r->pos = (size_t)(p - r->buf);
        return;
      }
    }
    r->pos = r->end;
    if (!refill(r)) return;
  }
}

/* Most calls find no whitespace at all: answer those without a call. */
static inline void skip_whitespace(JsonReader *r) {
  if (r->pos < r->end && r->buf[r->pos] > ' ') return;
  skip_whitespace_slow(r);
}

/* One string or number may not pass JSON_MAX_TOKEN bytes: the scratch grows
** by doubling, so without a cap one huge string in a hostile file would take
** several times its size. */
static int tok_grow(JsonReader *r, size_t extra) {
  size_t cap = r->tok_cap ? r->tok_cap : 256;
  char *grown;
  if (r->tok_len + extra + 1 > JSON_MAX_TOKEN)
    return fail(r, "a string or number longer than %d MiB (the limit of one token)",
                JSON_MAX_TOKEN >> 20);
  while (cap < r->tok_len + extra + 1) cap *= 2;
  if (cap > JSON_MAX_TOKEN) cap = JSON_MAX_TOKEN;
  grown = tl_realloc(r->tok, cap);
  if (!grown) return fail_nomem(r);
  r->tok = grown;
  r->tok_cap = cap;
  return 0;
}

static inline int tok_reserve(JsonReader *r, size_t extra) {
  return r->tok_len + extra + 1 > r->tok_cap ? tok_grow(r, extra) : 0;
}

static inline int tok_push(JsonReader *r, const void *bytes, size_t n) {
  if (tok_reserve(r, n)) return -1;
  memcpy(r->tok + r->tok_len, bytes, n);
  r->tok_len += n;
  r->tok[r->tok_len] = 0;
  return 0;
}

static int tok_push_codepoint(JsonReader *r, uint32_t cp) {
  unsigned char u[4];
  size_t n;
  if (cp < 0x80) {
    u[0] = (unsigned char)cp;
    n = 1;
  } else if (cp < 0x800) {
    u[0] = (unsigned char)(0xC0 | (cp >> 6));
    u[1] = (unsigned char)(0x80 | (cp & 0x3F));
    n = 2;
  } else if (cp < 0x10000) {
    u[0] = (unsigned char)(0xE0 | (cp >> 12));
    u[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    u[2] = (unsigned char)(0x80 | (cp & 0x3F));
    n = 3;
  } else {
    u[0] = (unsigned char)(0xF0 | (cp >> 18));
    u[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    u[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    u[3] = (unsigned char)(0x80 | (cp & 0x3F));
    n = 4;
  }
  return tok_push(r, u, n);
}

/* Four hex digits of a \u escape, or -1. */
static long read_hex4(JsonReader *r) {
  long v = 0;
  for (int i = 0; i < 4; i++) {
    int c = peek_byte(r);
    int digit = c >= '0' && c <= '9'   ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                       : -1;
    if (digit < 0) return fail_expected(r, "a hex digit in \\u escape");
    r->pos++;
    v = v * 16 + digit;
  }
  return v;
}

/* After the backslash: one escape sequence, unescaped into the scratch. */
static int read_escape(JsonReader *r) {
  int c = next_byte(r);
  long cp, low;
  char simple;
  switch (c) {
    case '"': simple = '"'; break;
    case '\\': simple = '\\'; break;
    case '/': simple = '/'; break;
    case 'b': simple = '\b'; break;
    case 'f': simple = '\f'; break;
    case 'n': simple = '\n'; break;
    case 'r': simple = '\r'; break;
    case 't': simple = '\t'; break;
    case 'u':
      if ((cp = read_hex4(r)) < 0) return -1;
      if (cp >= 0xD800 && cp <= 0xDBFF && peek_byte(r) == '\\') {
        r->pos++;
        if (peek_byte(r) != 'u') {
          /* A lone high surrogate, then an ordinary escape. */
          if (tok_push_codepoint(r, 0xFFFD)) return -1;
          return read_escape(r);
        }
        r->pos++;
        if ((low = read_hex4(r)) < 0) return -1;
        if (low >= 0xDC00 && low <= 0xDFFF) {
          return tok_push_codepoint(
              r, (uint32_t)(0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00)));
        }
        /* A high surrogate followed by another \u escape: both stand alone. */
        if (tok_push_codepoint(r, 0xFFFD)) return -1;
        cp = low;
      }
      if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xFFFD; /* lone surrogate */
      return tok_push_codepoint(r, (uint32_t)cp);
    default:
      if (c >= 0) r->pos--;
      return fail_expected(r, "an escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u)");
  }
  return tok_push(r, &simple, 1);
}

/* One multi-byte UTF-8 sequence starting with lead byte c (already taken),
** validated (no overlong forms, no surrogates, at most U+10FFFF). */
static int read_utf8_sequence(JsonReader *r, int c) {
  unsigned char seq[4];
  unsigned lo, hi;
  int need = json_utf8_lead((unsigned)c, &lo, &hi);
  seq[0] = (unsigned char)c;
  if (need == 0) {
    r->pos--;
    return fail(r, "invalid UTF-8 byte 0x%02X in string", (unsigned)c);
  }
  for (int i = 1; i <= need; i++) {
    int b = peek_byte(r);
    int min = i == 1 ? (int)lo : 0x80, max = i == 1 ? (int)hi : 0xBF;
    if (b < min || b > max) return fail(r, "invalid UTF-8 sequence in string");
    seq[i] = (unsigned char)b;
    r->pos++;
  }
  return tok_push(r, seq, (size_t)need + 1);
}

#define BYTES(b) (UINT64_C(0x0101010101010101) * (b))

/* A string token (cursor on the opening quote), unescaped into the scratch. */
static int read_string(JsonReader *r) {
  r->tok_len = 0;
  if (tok_reserve(r, 0)) return -1;
  r->tok[0] = 0;
  r->pos++; /* the opening quote */
  for (;;) {
    size_t start = r->pos;
    int c;
    r->pos = json_plain_run_end(r->buf, r->pos, r->end);
    if (r->pos > start && tok_push(r, r->buf + start, r->pos - start)) return -1;
    c = peek_byte(r); /* refills when the run reached the chunk's end */
    if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') continue;
    if (c >= 0) r->pos++;
    if (c == '"') return 0;
    if (c == '\\') {
      if (read_escape(r)) return -1;
    } else if (c >= 0x80) {
      if (read_utf8_sequence(r, c)) return -1;
    } else if (c < 0) {
      return fail(r, "unterminated string: found end of input: expected '\"'");
    } else if (c < 0x20) {
      r->pos--;
      return fail(r, "control character 0x%02X in string: expected it escaped",
                  (unsigned)c);
    }
  }
}

/* A string token (cursor on the opening quote) as a span: straight from the
** chunk when it lies whole in it and has nothing to unescape or validate
** (most keys and values), else unescaped into the scratch by read_string.
** The span is not NUL-terminated and lives until the next reader call. */
static int read_string_span(JsonReader *r, const char **text, size_t *len) {
  size_t start = r->pos + 1, p = json_plain_run_end(r->buf, start, r->end);
  if (p < r->end && r->buf[p] == '"') {
    if (p - start >= JSON_MAX_TOKEN) {
      r->pos = start + JSON_MAX_TOKEN;
      return fail(r, "a string or number longer than %d MiB (the limit of one token)",
                  JSON_MAX_TOKEN >> 20);
    }
    *text = (const char *)r->buf + start;
    *len = p - start;
    r->pos = p + 1;
    return 0;
  }
  if (read_string(r)) return -1;
  *text = r->tok;
  *len = r->tok_len;
  return 0;
}

/* A run of digits into the scratch; returns how many, or -1. */
static int take_digits(JsonReader *r) {
  int n = 0;
  for (;;) {
    size_t start = r->pos;
    while (r->pos < r->end && r->buf[r->pos] >= '0' && r->buf[r->pos] <= '9') r->pos++;
    if (r->pos > start && tok_push(r, r->buf + start, r->pos - start)) return -1;
    n += (int)(r->pos - start);
    if (r->pos < r->end || !refill(r)) return n;
  }
}

static int take_byte(JsonReader *r) {
  char c = (char)r->buf[r->pos++];
  return tok_push(r, &c, 1);
}

/* A number token, checked against RFC 8259's grammar, its text in the
** scratch: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static int read_number(JsonReader *r) {
  int c, n;
  r->tok_len = 0;
  if (peek_byte(r) == '-' && take_byte(r)) return -1;
  c = peek_byte(r);
  if (c == '0') {
    if (take_byte(r)) return -1;
  } else if (c >= '1' && c <= '9') {
    if (take_digits(r) < 0) return -1;
  } else {
    return fail_expected(r, "a digit");
  }
  if (peek_byte(r) == '.') {
    if (take_byte(r) || (n = take_digits(r)) < 0) return -1;
    if (n == 0) return fail_expected(r, "a digit after '.'");
  }
  c = peek_byte(r);
  if (c == 'e' || c == 'E') {
    if (take_byte(r)) return -1;
    c = peek_byte(r);
    if ((c == '+' || c == '-') && take_byte(r)) return -1;
    if ((n = take_digits(r)) < 0) return -1;
    if (n == 0) return fail_expected(r, "a digit in the exponent");
  }
  c = peek_byte(r);
  if ((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' ||
      (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
    return fail_expected(r, "the end of the number");
  }
  return 0;
}

static int read_literal(JsonReader *r, const char *word) {
  for (const char *p = word; *p; p++) {
    if (peek_byte(r) != (unsigned char)*p) {
      char what[32];
      snprintf(what, sizeof what, "'%s'", word);
      return fail_expected(r, what);
    }
    r->pos++;
  }
  return 0;
}

int json_reader_peek(JsonReader *r) {
  int c;
  if (r->failed) return -1;
  skip_whitespace(r);
  c = peek_byte(r);
  switch (c) {
    case '{': return JSON_OBJECT;
    case '[': return JSON_ARRAY;
    case '"': return JSON_STRING;
    case 't': return JSON_TRUE;
    case 'f': return JSON_FALSE;
    case 'n': return JSON_NULL;
    default:
      if (c == '-' || (c >= '0' && c <= '9')) return JSON_NUMBER;
      if (c < 0) {
        if (!r->failed) fail(r, "found end of input: expected a value");
        return -1;
      }
      fail_expected(r, "a value");
      return -1;
  }
}

/* --------------------------------------------------------- tree building */

/* The value under the cursor: built into arena, or skipped when arena is
** NULL. depth counts every open container, walked or built. */
static int parse_value(JsonReader *r, JsonArena *arena, int depth,
                       JsonValue **out);

static JsonValue *new_value(JsonReader *r, JsonArena *arena, JsonType type) {
  JsonValue *v;
  uint32_t line, col;
  if (!arena) return NULL;
  v = json_arena_alloc(arena, sizeof *v);
  if (!v) {
    fail_nomem(r);
    return NULL;
  }
  memset(v, 0, sizeof *v);
  v->type = type;
  json_reader_position(r, &line, &col);
  v->line = line;
  v->col = col;
  return v;
}

/* Builds (or skips) the members or elements of a container whose opening
** bracket is under the cursor. */
static int parse_container(JsonReader *r, JsonArena *arena, int depth,
                           JsonValue *container) {
  int is_object = r->buf[r->pos] == '{';
  char close = is_object ? '}' : ']';
  JsonValue **link = container ? &container->child : NULL;
  if (depth >= JSON_MAX_DEPTH) {
    return fail(r, "nesting deeper than %d levels", JSON_MAX_DEPTH);
  }
  r->pos++;
  skip_whitespace(r);
  if (peek_byte(r) == close) {
    r->pos++;
    return 0;
  }
  for (;;) {
    JsonValue *child = NULL;
    const char *key = NULL;
    uint32_t key_len = 0;
    skip_whitespace(r);
    if (is_object) {
      const char *text;
      size_t len;
      if (peek_byte(r) != '"') return fail_expected(r, "a string key");
      if (read_string_span(r, &text, &len)) return -1;
      if (arena) {
        key = json_arena_strdup(arena, text, len);
        if (!key) return fail_nomem(r);
        key_len = (uint32_t)len;
      }
      skip_whitespace(r);
      if (peek_byte(r) != ':') return fail_expected(r, "':' after the key");
      r->pos++;
      if (arena && r->keep && !r->keep(text, len)) {
        /* Not wanted: validated, never built (the key is not copied either). */
        if (parse_value(r, NULL, depth + 1, NULL)) return -1;
        goto separator;
      }
    }
    if (!is_object && r->keep && arena) {
      /* Arrays are built whole: filtering ends at the first array. */
      JsonKeyFilter keep = r->keep;
      int rc;
      r->keep = NULL;
      rc = parse_value(r, arena, depth + 1, &child);
      r->keep = keep;
      if (rc) return -1;
    } else if (parse_value(r, arena, depth + 1, arena ? &child : NULL)) {
      return -1;
    }
    if (child) {
      child->key = key;
      child->key_len = key_len;
      *link = child;
      link = &child->next;
      container->len++;
    }
  separator:
    skip_whitespace(r);
    if (peek_byte(r) == ',') {
      r->pos++;
      continue;
    }
    if (peek_byte(r) == close) {
      r->pos++;
      return 0;
    }
    return fail_expected(r, is_object ? "',' or '}'" : "',' or ']'");
  }
}

static int parse_value(JsonReader *r, JsonArena *arena, int depth,
                       JsonValue **out) {
  int type = json_reader_peek(r);
  JsonValue *v;
  if (type < 0) return -1;
  v = new_value(r, arena, (JsonType)type);
  if (arena && !v) return -1;
  switch (type) {
    case JSON_OBJECT:
    case JSON_ARRAY:
      if (parse_container(r, arena, depth, v)) return -1;
      break;
    case JSON_STRING: {
      const char *text;
      size_t len;
      if (read_string_span(r, &text, &len)) return -1;
      if (v) {
        v->text = json_arena_strdup(arena, text, len);
        v->len = (uint32_t)len;
      }
      break;
    }
    case JSON_NUMBER:
      if (read_number(r)) return -1;
      if (v) {
        v->text = json_arena_strdup(arena, r->tok, r->tok_len);
        v->len = (uint32_t)r->tok_len;
      }
      break;
    case JSON_TRUE:
      if (read_literal(r, "true")) return -1;
      break;
    case JSON_FALSE:
      if (read_literal(r, "false")) return -1;
      break;
    default:
      if (read_literal(r, "null")) return -1;
      break;
  }
  if (v && (type == JSON_STRING || type == JSON_NUMBER) && !v->text) return fail_nomem(r);
  if (out) *out = v;
  return 0;
}

int json_reader_read_value(JsonReader *r, JsonArena *arena, JsonValue **out) {
  *out = NULL;
  return parse_value(r, arena, r->depth, out);
}

int json_reader_skip_value(JsonReader *r) {
  return parse_value(r, NULL, r->depth, NULL);
}

/* ------------------------------------------------------ container walking */

static int begin_container(JsonReader *r, int kind) {
  int type = json_reader_peek(r);
  int want = kind == CONTAINER_OBJECT ? JSON_OBJECT : JSON_ARRAY;
  if (type < 0) return -1;
  if (type != want) {
    return fail_expected(r, kind == CONTAINER_OBJECT ? "an object" : "an array");
  }
  if (r->depth >= JSON_MAX_DEPTH) {
    return fail(r, "nesting deeper than %d levels", JSON_MAX_DEPTH);
  }
  r->pos++;
  r->walk[++r->depth] = (unsigned char)kind;
  return 1;
}

int json_reader_begin_object(JsonReader *r) {
  return begin_container(r, CONTAINER_OBJECT);
}

int json_reader_begin_array(JsonReader *r) {
  return begin_container(r, CONTAINER_ARRAY);
}

/* Moves past the separator before the next item of the innermost walked
** container. Returns 1 if an item follows, 0 if the container closed. */
static int next_item(JsonReader *r, int kind) {
  unsigned char *state;
  char close = kind == CONTAINER_OBJECT ? '}' : ']';
  if (r->failed) return -1;
  if (r->depth == 0 || !(r->walk[r->depth] & kind)) {
    return fail(r, "internal: not walking %s", kind == CONTAINER_OBJECT ? "an object" : "an array");
  }
  state = &r->walk[r->depth];
  skip_whitespace(r);
  if (peek_byte(r) == close) {
    r->pos++;
    r->depth--;
    return 0;
  }
  if (*state & CONTAINER_STARTED) {
    if (peek_byte(r) != ',') {
      return fail_expected(r, kind == CONTAINER_OBJECT ? "',' or '}'" : "',' or ']'");
    }
    r->pos++;
    skip_whitespace(r);
  }
  *state |= CONTAINER_STARTED;
  return 1;
}

int json_reader_next_member(JsonReader *r, const char **key, size_t *key_len) {
  int more = next_item(r, CONTAINER_OBJECT);
  if (more <= 0) return more;
  if (peek_byte(r) != '"') return fail_expected(r, "a string key");
  if (read_string(r)) return -1;
  skip_whitespace(r);
  if (peek_byte(r) != ':') return fail_expected(r, "':' after the key");
  r->pos++;
  *key = r->tok;
  *key_len = r->tok_len;
  return 1;
}

int json_reader_next_element(JsonReader *r) {
  return next_item(r, CONTAINER_ARRAY);
}

int json_reader_finish(JsonReader *r) {
  if (r->failed) return -1;
  skip_whitespace(r);
  if (peek_byte(r) >= 0) return fail_expected(r, "end of input after the value");
  return r->failed ? -1 : 0;
}

/* One document per call, often one short line of a log: the reader lives on
** the stack, and nothing is allocated unless a string needs unescaping. */
/* One document from memory; its error as data in *error (nothing is
** allocated for the message text). */
static int parse_memory(const char *buf, size_t n, JsonKeyFilter keep, JsonArena *arena,
                        JsonValue **out, JsonError *error) {
  JsonReader r;
  int rc;
  reader_init(&r, "");
  r.keep = keep;
  r.detail = error;
  r.buf = (const unsigned char *)buf;
  r.end = n;
  skip_bom(&r);
  rc = json_reader_read_value(&r, arena, out);
  if (rc == 0) rc = json_reader_finish(&r);
  if (rc != 0 && r.nomem) rc = JSON_NOMEM;
  reader_release(&r);
  return rc;
}

int json_parse(const char *name, const char *buf, size_t n, JsonArena *arena,
               JsonValue **out, char *err, size_t errlen) {
  JsonError e;
  int rc = parse_memory(buf, n, NULL, arena, out, &e);
  if (rc != 0) snprintf(err, errlen, "%s:%u:%u: %s", name, e.line, e.col, e.message);
  return rc;
}

int json_parse_sparse(const char *buf, size_t n, JsonKeyFilter keep, JsonArena *arena,
                      JsonValue **out, JsonError *error) {
  return parse_memory(buf, n, keep, arena, out, error);
}

/* ----------------------------------------------------------- tree helpers */

static const JsonValue *find_member(const JsonValue *obj, const char *key) {
  size_t n = strlen(key);
  if (!obj || obj->type != JSON_OBJECT) return NULL;
  for (const JsonValue *m = obj->child; m; m = m->next) {
    if (m->key_len == n && memcmp(m->key, key, n) == 0) return m;
  }
  return NULL;
}

/* Orders members by key, then by position, for json_find_duplicate_key. */
static int compare_members(const void *pa, const void *pb) {
  const JsonValue *a = *(const JsonValue *const *)pa, *b = *(const JsonValue *const *)pb;
  size_t n = a->key_len < b->key_len ? a->key_len : b->key_len;
  int c = memcmp(a->key, b->key, n);
  if (c) return c;
  if (a->key_len != b->key_len) return a->key_len < b->key_len ? -1 : 1;
  if (a->line != b->line) return a->line < b->line ? -1 : 1;
  return a->col < b->col ? -1 : a->col > b->col;
}

/* The repeated member of one object with the earliest second occurrence
** (by position), or NULL. Small objects compare pairs; large ones sort, so
** a hostile object of a million members costs n log n, not n^2. */
static int object_duplicate(const JsonValue *obj, const JsonValue **dup) {
  const JsonValue **members;
  size_t i = 0;
  *dup = NULL;
  if (obj->len <= 16) {
    for (const JsonValue *a = obj->child; a && !*dup; a = a->next)
      for (const JsonValue *b = obj->child; b != a; b = b->next)
        if (b->key_len == a->key_len && memcmp(a->key, b->key, a->key_len) == 0) {
          *dup = a;
          break;
        }
    return 0;
  }
  members = tl_malloc(obj->len * sizeof *members);
  if (!members) return -1;
  for (const JsonValue *m = obj->child; m; m = m->next) members[i++] = m;
  qsort(members, i, sizeof *members, compare_members);
  for (size_t k = 1; k < i; k++) {
    const JsonValue *a = members[k - 1], *b = members[k];
    if (a->key_len != b->key_len || memcmp(a->key, b->key, a->key_len) != 0) continue;
    if (!*dup || b->line < (*dup)->line || (b->line == (*dup)->line && b->col < (*dup)->col))
      *dup = b;
  }
  tl_free(members);
  return 0;
}

int json_find_duplicate_key(const JsonValue *v, const JsonValue **dup) {
  *dup = NULL;
  if (v->type == JSON_OBJECT && object_duplicate(v, dup) < 0) return -1;
  for (const JsonValue *c = v->child; c && !*dup; c = c->next)
    if (json_find_duplicate_key(c, dup) < 0) return -1;
  return 0;
}

double json_number(const JsonValue *v) {
  double d;
  if (!v || v->type != JSON_NUMBER || tl_decimal_to_double(v->text, v->len, 0, &d) != 0) return NAN;
  return d;
}

const JsonValue *json_get(const JsonValue *obj, const char *key) {
  return find_member(obj, key);
}

const JsonValue *json_take(const JsonValue *obj, const char *key) {
  JsonValue *m = (JsonValue *)find_member(obj, key);
  if (m) m->used = 1;
  return m;
}

/* ----------------------------------------------------------- serializing */

static int buf_grow(JsonBuf *b, size_t n) {
  size_t cap = b->cap ? b->cap : 256;
  char *grown;
  if (b->oom) return -1;
  while (cap < b->len + n + 1) cap *= 2;
  grown = tl_realloc(b->data, cap);
  if (!grown) {
    b->oom = 1;
    return -1;
  }
  b->data = grown;
  b->cap = cap;
  return 0;
}

/* Serializing appends many short pieces: the common case is inline. */
static inline void buf_append(JsonBuf *b, const char *s, size_t n) {
  if (b->len + n + 1 > b->cap && buf_grow(b, n)) return;
  memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = 0;
}

void json_buf_append(JsonBuf *b, const char *s, size_t n) { buf_append(b, s, n); }

void json_buf_free(JsonBuf *b) {
  tl_free(b->data);
  memset(b, 0, sizeof *b);
}

void json_write_string(JsonBuf *b, const char *s, size_t n) {
  size_t run = 0;
  buf_append(b, "\"", 1);
  for (size_t i = 0; i < n; i++) {
    unsigned char c;
    char esc[8];
    while (i + 8 <= n) { /* eight bytes that need no escape at a time */
      uint64_t w, quote, backslash;
      memcpy(&w, s + i, 8);
      quote = w ^ BYTES(0x22);
      backslash = w ^ BYTES(0x5C);
      if ((((w - BYTES(0x20)) & ~w) | ((quote - BYTES(0x01)) & ~quote) |
           ((backslash - BYTES(0x01)) & ~backslash)) & BYTES(0x80)) {
        break;
      }
      i += 8;
    }
    if (i >= n) break;
    c = (unsigned char)s[i];
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    buf_append(b, s + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': buf_append(b, "\\\"", 2); break;
      case '\\': buf_append(b, "\\\\", 2); break;
      case '\n': buf_append(b, "\\n", 2); break;
      case '\r': buf_append(b, "\\r", 2); break;
      case '\t': buf_append(b, "\\t", 2); break;
      default:
        snprintf(esc, sizeof esc, "\\u%04x", c);
        buf_append(b, esc, 6);
    }
  }
  buf_append(b, s + run, n - run);
  buf_append(b, "\"", 1);
}

static void write_members(JsonBuf *b, const JsonValue *obj, int only_unused) {
  int first = 1;
  buf_append(b, "{", 1);
  for (const JsonValue *m = obj->child; m; m = m->next) {
    if (only_unused && m->used) continue;
    if (!first) buf_append(b, ",", 1);
    first = 0;
    json_write_string(b, m->key, m->key_len);
    buf_append(b, ":", 1);
    json_write(b, m);
  }
  buf_append(b, "}", 1);
}

void json_write(JsonBuf *b, const JsonValue *v) {
  switch (v->type) {
    case JSON_NULL: buf_append(b, "null", 4); break;
    case JSON_TRUE: buf_append(b, "true", 4); break;
    case JSON_FALSE: buf_append(b, "false", 5); break;
    case JSON_NUMBER: buf_append(b, v->text, v->len); break;
    case JSON_STRING: json_write_string(b, v->text, v->len); break;
    case JSON_ARRAY:
      buf_append(b, "[", 1);
      for (const JsonValue *e = v->child; e; e = e->next) {
        if (e != v->child) buf_append(b, ",", 1);
        json_write(b, e);
      }
      buf_append(b, "]", 1);
      break;
    case JSON_OBJECT: write_members(b, v, 0); break;
  }
}

void json_write_unused(JsonBuf *b, const JsonValue *obj) {
  if (!obj || obj->type != JSON_OBJECT) {
    buf_append(b, "{}", 2);
    return;
  }
  write_members(b, obj, 1);
}
