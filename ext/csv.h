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
** csv_type_field() types one field's text as SQLite would read the same
** literal: see its comment.
**
** This file never includes sqlite3ext.h; allocation goes through
** tl_malloc/tl_free (ext/tl_alloc.h).
*/
#ifndef TOKENLEDGER_CSV_H
#define TOKENLEDGER_CSV_H

#include <stddef.h>
#include <stdint.h>

typedef struct CsvReader CsvReader;

/* Open a reader. Returns NULL on out-of-memory or, for a file, when it cannot
** be opened; then *err (if not NULL) receives a static reason. `name` is the
** file name used in error messages (copied). */
CsvReader *csv_reader_open_file(const char *path, char delimiter,
                                const char **err);
CsvReader *csv_reader_open_memory(const char *name, const char *buf, size_t n,
                                  char delimiter);
void csv_reader_close(CsvReader *r);

/* Parse the next record: 1 when there is one, 0 at the end of input, -1 on a
** syntax error, an I/O error or out-of-memory (see csv_reader_error()). */
int csv_reader_next(CsvReader *r);

/* The current record: its number of fields (at least 1), field i's text
** (NUL-terminated; *len, when not NULL, gets its length in bytes), whether
** field i was quoted, and the line it started on. */
size_t csv_reader_nfield(const CsvReader *r);
const char *csv_reader_field(const CsvReader *r, size_t i, size_t *len);
int csv_reader_quoted(const CsvReader *r, size_t i);
uint64_t csv_reader_line(const CsvReader *r);

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
