/*
** Our own JSON reader: strict RFC 8259, streaming, bounded memory.
**
** The .so links nothing but SQLite, so JSON is read here. Two layers:
**
**  1. A pull reader over a file (read in 64 KiB chunks) or a memory buffer.
**     It walks containers without building them: json_reader_begin_object /
**     json_reader_next_member, json_reader_begin_array /
**     json_reader_next_element, json_reader_skip_value. Memory stays at one
**     chunk plus the longest single string, however large the file.
**
**  2. json_reader_read_value builds the value under the cursor as a small
**     tree in a JsonArena (bump allocator, freed or reset as a whole). Callers
**     stream over a file's entries and build one entry at a time.
**
** Every value remembers its line and column (1-based, column in bytes). An
** error stops the reader; json_reader_error() then says
** "FILE:LINE:COL: expected ..." (FILE is the name given at open).
**
** Numbers: the literal text is kept as written (exact); json_number() gives
** the nearest double to it (as strtod gives, whatever the locale), converted
** when asked, since most numbers of a price list are only ever read as text. Strings are
** unescaped UTF-8, NUL-terminated; `len` counts bytes and may include a NUL
** that came from \u0000. Invalid UTF-8 in a string is an error; a lone UTF-16
** surrogate escape becomes U+FFFD. A UTF-8 byte order mark at the start is
** skipped. Nesting deeper than JSON_MAX_DEPTH is an error, not a crash.
**
** This file never includes sqlite3ext.h; allocation goes through
** tl_malloc/tl_free (ext/core/tl_alloc.h), which are sqlite3_malloc/sqlite3_free
** inside the extension and malloc/free in unit tests and fuzz targets.
*/
#ifndef TOKENLEDGER_JSON_H
#define TOKENLEDGER_JSON_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define JSON_MAX_DEPTH 1000
/* The longest string or number, in bytes (as the JSONL line and CSV record
** caps): past it the reader fails instead of growing without bound. */
#define JSON_MAX_TOKEN (64 * 1024 * 1024)

typedef enum JsonType {
  JSON_NULL,
  JSON_FALSE,
  JSON_TRUE,
  JSON_NUMBER,
  JSON_STRING,
  JSON_ARRAY,
  JSON_OBJECT
} JsonType;

typedef struct JsonValue JsonValue;
struct JsonValue {
  JsonType type;
  uint32_t len;      /* STRING, NUMBER: bytes of text; ARRAY, OBJECT: children */
  const char *text;  /* STRING: unescaped; NUMBER: the literal as written */
  JsonValue *child;  /* ARRAY, OBJECT: first child, in document order */
  JsonValue *next;   /* next sibling */
  const char *key;   /* member of an object: its key (unescaped) */
  uint32_t key_len;
  uint32_t line, col;
  unsigned used : 1; /* set by json_take(): a consumer has read this member */
};

/* Bump allocator for trees. Reset keeps the first block for reuse. */
typedef struct JsonArenaBlock JsonArenaBlock;
typedef struct JsonArena {
  JsonArenaBlock *head;
} JsonArena;

void *json_arena_alloc(JsonArena *arena, size_t n);
char *json_arena_strdup(JsonArena *arena, const char *s, size_t n);
void json_arena_reset(JsonArena *arena);
void json_arena_free(JsonArena *arena);

typedef struct JsonReader JsonReader;

/* Open a reader. Returns NULL on out-of-memory or, for a file, when it cannot
** be opened; then *err (if not NULL) receives a static reason. `name` is the
** file name used in error messages (copied). */
JsonReader *json_reader_open_file(const char *path, const char **err);
JsonReader *json_reader_open_memory(const char *name, const char *buf, size_t n);
void json_reader_close(JsonReader *r);

/* The error message after a failed call ("FILE:LINE:COL: ..."), or NULL.
** After a failed call every later call fails too. */
const char *json_reader_error(const JsonReader *r);
/* 1 when the failure was an allocation that failed (not bad input). */
int json_reader_nomem(const JsonReader *r);
/* Position of the next unread byte (1-based). */
void json_reader_position(const JsonReader *r, uint32_t *line, uint32_t *col);
/* Bytes consumed so far (a progress measure for huge files). */
uint64_t json_reader_offset(const JsonReader *r);

/* The type of the next value without consuming it; -1 on error or at the
** end of input (json_reader_error() tells which). */
int json_reader_peek(JsonReader *r);

/* Container walking. Each returns 1 on success (for next_*: there is another
** member or element, and the cursor is on its value), 0 at the container's
** end (next_*), -1 on error. next_member gives the key in *key, valid until
** the next reader call. */
int json_reader_begin_object(JsonReader *r);
int json_reader_next_member(JsonReader *r, const char **key, size_t *key_len);
int json_reader_begin_array(JsonReader *r);
int json_reader_next_element(JsonReader *r);
int json_reader_skip_value(JsonReader *r);

/* Build the value under the cursor as a tree. Returns 0 or -1 (error). */
int json_reader_read_value(JsonReader *r, JsonArena *arena, JsonValue **out);

/* After the top-level value: 0 if only whitespace remains, else -1. */
int json_reader_finish(JsonReader *r);

/* Parse one whole document from memory (e.g. one JSONL line). On error
** returns -1 (bad input) or JSON_NOMEM (an allocation failed) and writes
** "NAME:LINE:COL: ..." into err (errlen bytes). */
#define JSON_NOMEM (-2)
int json_parse(const char *name, const char *buf, size_t n, JsonArena *arena,
               JsonValue **out, char *err, size_t errlen);

/* Why a parse failed, as data: the position (1-based line and column of
** the document) and the message without it. json_parse's text is
** "NAME:LINE:COL: MESSAGE" of these. */
typedef struct JsonError {
  uint32_t line, col;
  char message[256];
} JsonError;

/* The same, but a member of an object (outside any array) whose key `keep`
** rejects is validated and skipped, not built: the tree holds only what the
** caller reads. Arrays, and everything inside them, are built whole. The
** input accepted and the errors are json_parse's; the error comes as data,
** so that a caller placing the document in a larger file (a JSONL line) can
** say where without reading a message back. */
typedef int (*JsonKeyFilter)(const char *key, size_t len);
int json_parse_sparse(const char *buf, size_t n, JsonKeyFilter keep, JsonArena *arena,
                      JsonValue **out, JsonError *error);

/* The first member, anywhere in the tree v, whose key repeats a key of the
** same object (RFC 8259 leaves the meaning of such an object open), in *dup,
** or NULL. 0, or -1 out of memory. */
int json_find_duplicate_key(const JsonValue *v, const JsonValue **dup);

/* Strings are scanned eight bytes at a time, here and in ext/core/usage.c's quick
** parser (inline, so that both loops are compiled in place). */
#define JSON_BYTES(b) (UINT64_C(0x0101010101010101) * (b))

/* A word whose high bits mark the bytes of w that end a plain run of a
** string: below 0x20, at or above 0x80, '"' or '\\'. It is the has-zero-byte
** trick, (x - 0x01..) & ~x & 0x80.., applied to w ^ '"' and w ^ '\\', and its
** has-less-than form to w itself. Bits above the first marked byte can be
** false alarms, but the lowest set bit is exact, which is all that is used. */
/* A UTF-8 lead byte c (>= 0x80): how many continuation bytes follow it, with
** the range [*lo, *hi] the first of them must fall in (no overlong forms, no
** surrogates, at most U+10FFFF; the others are 0x80..0xBF), or 0 when c
** leads no valid sequence. Shared by json.c's reader and usage.c's quick
** parser, so both accept the same strings. */
static inline int json_utf8_lead(unsigned c, unsigned *lo, unsigned *hi) {
  *lo = 0x80, *hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) return 1;
  if (c >= 0xE0 && c <= 0xEF) {
    if (c == 0xE0) *lo = 0xA0;
    if (c == 0xED) *hi = 0x9F;
    return 2;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (c == 0xF0) *lo = 0x90;
    if (c == 0xF4) *hi = 0x8F;
    return 3;
  }
  return 0;
}

static inline uint64_t json_string_special_bits(uint64_t w) {
  uint64_t quote = w ^ JSON_BYTES(0x22), backslash = w ^ JSON_BYTES(0x5C);
  uint64_t below_space = (w - JSON_BYTES(0x20)) & ~w;
  uint64_t is_quote = (quote - JSON_BYTES(0x01)) & ~quote;
  uint64_t is_backslash = (backslash - JSON_BYTES(0x01)) & ~backslash;
  return (below_space | is_quote | is_backslash | w) & JSON_BYTES(0x80);
}

/* The index of the first byte at or after p (before end) that ends a plain
** run of a string, or end. Eight bytes at a time. */
static inline size_t json_plain_run_end(const unsigned char *buf, size_t p, size_t end) {
  while (p + 8 <= end) {
    uint64_t w, bits;
    memcpy(&w, buf + p, 8);
    bits = json_string_special_bits(w);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    if (bits) return p + (size_t)(__builtin_ctzll(bits) / 8);
#else
    if (bits) break;
#endif
    p += 8;
  }
  while (p < end) {
    unsigned char b = buf[p];
    if (b == '"' || b == '\\' || b < 0x20 || b >= 0x80) break;
    p++;
  }
  return p;
}

/* The nearest double to a NUMBER's text; NAN for any other value. */
double json_number(const JsonValue *v);

/* Tree helpers. json_get finds a member by key (first match) or NULL;
** json_take does the same and marks it used, so that json_write_unused can
** later carry every member no consumer read. */
const JsonValue *json_get(const JsonValue *obj, const char *key);
const JsonValue *json_take(const JsonValue *obj, const char *key);

/* Growable output buffer for serializing. */
typedef struct JsonBuf {
  char *data;
  size_t len, cap;
  int oom;
} JsonBuf;

void json_buf_append(JsonBuf *b, const char *s, size_t n);
void json_buf_free(JsonBuf *b);
/* Compact JSON of v; numbers as written in the input, strings re-escaped. */
void json_write(JsonBuf *b, const JsonValue *v);
void json_write_string(JsonBuf *b, const char *s, size_t n);
/* "{...}" of the members of obj whose `used` flag is clear ("{}" if none). */
void json_write_unused(JsonBuf *b, const JsonValue *obj);

#endif
