/*
** Our own CSV reader: RFC 4180, streaming, bounded memory.
**
** A pull reader over a file (read in 64 KiB chunks) or a memory buffer.
** csv_reader_next() parses one record; its fields are then available, each
** unquoted and unescaped, NUL-terminated, until the next call. Memory is one
** chunk plus the longest record, however large the file.
**
** The dialect:
**  - fields are separated by one delimiter byte (',' unless told; '\t', ';'
**    and '|' work the same way) and records by LF, CRLF or a lone CR;
**  - a field that starts with '"' is quoted: it may hold delimiters, CR, LF,
**    and '""' for one '"'; after its closing quote only a delimiter or the
**    end of the record may follow (anything else is an error);
**  - a '"' inside an unquoted field is kept as a literal character (5'11"),
**    as most writers that do not quote produce such fields;
**  - a UTF-8 byte order mark at the start of the input is skipped;
**  - an empty line (no bytes between two line ends) is not a record: blank
**    lines in a file are skipped, and a final line end does not add an
**    empty record. A line holding only "" is a record of one empty field.
**  - bytes are passed through as they are (UTF-8 is not validated: a CSV
**    file's text is what its writer put there).
**
** Every record knows the line it started on (1-based, counting LF, CRLF or
** CR), so that a caller can report "FILE:LINE: ..." for a ragged row. A
** syntax error stops the reader; csv_reader_error() then says
** "FILE:LINE:COL: expected ..." (COL counts bytes from 1).
**
** Bounded work: one csv_reader_next() call reads at most CSV_MAX_RECORD
** bytes of blank lines and one record of at most CSV_MAX_RECORD bytes
** (unescaped; its input is at most about twice that, "" being one byte) and
** CSV_MAX_FIELDS fields, then returns; past either cap it stops with an
** error. So a caller that reads one record per SQLite callback gives
** sqlite3_interrupt() and the progress handler a chance at least every
** ~200 MB of input, and memory never exceeds one record plus one chunk.
**
** Fields may hold NUL bytes (the reader passes bytes through): use the
** length that csv_reader_field() gives, not strlen().
**
** csv_type_field() types one field's text as SQLite would read the same
** literal: see its comment.
**
** This file never includes sqlite3ext.h; allocation goes through
** tl_malloc/tl_free (ext/core/tl_alloc.h).
*/
#ifndef TOKENLEDGER_CSV_H
#define TOKENLEDGER_CSV_H

#include <stddef.h>
#include <stdint.h>

/* A record longer than this is almost surely an unclosed quote: stop with an
** error rather than read the rest of a large file into memory. */
#define CSV_MAX_RECORD (64u * 1024u * 1024u)
#define CSV_MAX_FIELDS 100000u

typedef struct CsvReader CsvReader;

/* Open a reader. Returns NULL on out-of-memory or, for a file, when it cannot
** be opened; then *err (if not NULL) receives a static reason, or NULL when
** memory ran out. `name` is the file name used in error messages (copied). */
CsvReader *csv_reader_open_file(const char *path, char delimiter,
                                const char **err);
CsvReader *csv_reader_open_memory(const char *name, const char *buf, size_t n,
                                  char delimiter);
void csv_reader_close(CsvReader *r);

/* Parse the next record: 1 when there is one, 0 at the end of input, -1 on a
** syntax error or an I/O error (see csv_reader_error()), CSV_NOMEM when
** memory ran out. A failure is final: later calls return the same code. */
#define CSV_NOMEM (-2)
int csv_reader_next(CsvReader *r);

/* The current record: its number of fields (at least 1), field i's text
** (NUL-terminated; *len, when not NULL, gets its length in bytes), whether
** field i was quoted, and the line it started on. */
size_t csv_reader_nfield(const CsvReader *r);
const char *csv_reader_field(const CsvReader *r, size_t i, size_t *len);
int csv_reader_quoted(const CsvReader *r, size_t i);
uint64_t csv_reader_line(const CsvReader *r);

/* Column names for the current record: its fields (header != 0) or, for a
** file without a header, none. Each name is the field with surrounding
** spaces and tabs trimmed and control bytes (NUL included) replaced by '_';
** an empty one becomes cN (N = position from 1); a name equal, ignoring
** ASCII case as SQLite does, to an earlier one gets the first free suffix
** _2, _3, ... Returns one tl_malloc'd block holding nfield pointers and the
** names (free it with tl_free), or NULL when memory ran out.
** Time is linear in the record's size: a hash set of the names taken and,
** per name, the next suffix to try (so 20,000 copies of one name cost
** 20,000 lookups, not 20,000^2 comparisons). */
char **csv_reader_column_names(const CsvReader *r, int header);

/* The file name given at open. */
const char *csv_reader_name(const CsvReader *r);
/* The error message after a failed call, or NULL. */
const char *csv_reader_error(const CsvReader *r);

typedef enum CsvType {
  CSV_NULL,
  CSV_INTEGER,
  CSV_REAL,
  CSV_TEXT
} CsvType;

/* The SQL type of a field's text, with its value in *i or *d:
**  - empty and unquoted: CSV_NULL (a quoted "" is the empty TEXT);
**  - an integer literal (optional sign, digits, optional surrounding
**    spaces) that fits in 64 bits: CSV_INTEGER;
**  - any other decimal literal SQLite's affinity would take as a number
**    ("1.5", ".5", "5.", "-1e3", " 2.0 ", an integer too big for 64 bits):
**    CSV_REAL. Unlike NUMERIC affinity, "3.0" stays the REAL 3.0, so that a
**    column of decimals does not come back as a mix of integers and reals;
**  - anything else ("", "-", "N/A", "0x1F", "inf", "1,000", "12%"): CSV_TEXT.
** Quoting does not change the type of a non-empty field: CSV quotes escape,
** they do not declare. The caller decides which texts also mean NULL. */
CsvType csv_type_field(const char *z, size_t n, int quoted, int64_t *i,
                       double *d);

#endif
