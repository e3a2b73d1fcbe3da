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
** Bounds. A file reader holds at most max_line + JSONL_CHUNK_SIZE bytes of
** buffer, whatever the input. One jsonl_next reads up to the end of one line:
** at most max_line + JSONL_CHUNK_SIZE bytes for a line it returns, and for an
** over-long line every byte up to its end (bounded by the file's size, since
** only regular files are opened: see tl_file.h), in chunks, with no memory
** beyond the buffer.
**
** Plain C; no SQLite. Allocation through tl_malloc (ext/core/tl_alloc.h).
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

/* Return codes besides 0 and 1: a read error (jsonl_error() says which),
** and out of memory, which callers must tell apart from bad input. */
#define JSONL_ERROR (-1)
#define JSONL_NOMEM (-2)

/* Open a file into *out: 0, or JSONL_ERROR when it cannot be opened (*err
** then receives a static reason), or JSONL_NOMEM. max_line 0 means
** JSONL_MAX_LINE. */
int jsonl_open_file(const char *path, size_t max_line, JsonlReader **out,
                    const char **err);
/* Read lines from memory (not copied: buf must outlive the reader). NULL
** when out of memory. */
JsonlReader *jsonl_open_memory(const char *buf, size_t n, size_t max_line);
void jsonl_close(JsonlReader *r);

/* The next line into *out: 1, or 0 at the end, or JSONL_ERROR on a read
** error, or JSONL_NOMEM. After either, the reader is done. */
int jsonl_next(JsonlReader *r, JsonlLine *out);
const char *jsonl_error(const JsonlReader *r);

#endif
