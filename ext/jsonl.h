/*
** A line reader for JSONL files: hands out one line at a time, reading the
** file in JSONL_CHUNK_SIZE chunks, so memory is one chunk plus the longest
** line (capped), however large the file.
**
** Lines end at '\n'; a '\r' just before it is removed (CRLF files). The last
** line needs no terminator. So a file has as many lines as `wc -l` counts,
** plus one when its last byte is not '\n'; an empty file has none. Lines are
** numbered from 1.
**
** A line longer than max_line bytes is not stored: the reader skips to its
** end and returns it with too_long set and text NULL, so a runaway line costs
** no memory and does not stop the reading of the lines after it.
**
** Plain C; no SQLite. Allocation through tl_malloc (ext/tl_alloc.h).
*/
#ifndef TOKENLEDGER_JSONL_H
#define TOKENLEDGER_JSONL_H

#include <stddef.h>
#include <stdint.h>

#define JSONL_CHUNK_SIZE (256 * 1024)
#define JSONL_MAX_LINE ((size_t)64 * 1024 * 1024)

typedef struct JsonlLine {
  const char *text; /* the line without its terminator; valid until the next call */
  size_t len;       /* its length in bytes (the full length when too_long) */
  uint64_t number;  /* 1-based line number */
  int too_long;     /* len > max_line: text is NULL */
} JsonlLine;

typedef struct JsonlReader JsonlReader;

/* Open a file. Returns NULL when it cannot be opened or on out-of-memory;
** *err then receives a static reason. max_line 0 means JSONL_MAX_LINE. */
JsonlReader *jsonl_open_file(const char *path, size_t max_line, const char **err);
/* Read lines from memory (not copied: buf must outlive the reader). */
JsonlReader *jsonl_open_memory(const char *buf, size_t n, size_t max_line);
void jsonl_close(JsonlReader *r);

/* The next line into *out: 1, or 0 at the end, or -1 on a read error or
** out-of-memory (jsonl_error() says which). */
int jsonl_next(JsonlReader *r, JsonlLine *out);
const char *jsonl_error(const JsonlReader *r);

#endif
