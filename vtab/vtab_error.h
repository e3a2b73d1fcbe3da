/*
** The one way a virtual table hands an error to SQLite (vtab_error.c).
**
** `slot` is where SQLite looks for the message: &pVtab->zErrMsg at run time
** (xBestIndex, xFilter, xNext, ...), or xCreate/xConnect's pzErr. The old
** message in the slot is freed first, so a slot never leaks nor holds a
** message of an earlier call. The answer is `rc`, or SQLITE_NOMEM with an
** empty slot when the message itself cannot be made: an error never becomes
** a bare SQLITE_ERROR without a word, nor a success.
**
**   return tl_vtab_error(&cur->base.pVtab->zErrMsg, SQLITE_ERROR,
**                        "csvfile: cannot open '%s': %s", path, why);
**
** Messages read "WHERE: WHAT WAS FOUND: expected WHAT" (ARCHITECTURE.md,
** "Errors"): WHERE is the module's name, then file:line:column for input.
*/
#ifndef TOKENLEDGER_VTAB_ERROR_H
#define TOKENLEDGER_VTAB_ERROR_H

/* Formats the message with sqlite3_vmprintf (so %q, %w, %lld work) into
** *slot; returns rc, or SQLITE_NOMEM when the message cannot be made. */
int tl_vtab_error(char **slot, int rc, const char *format, ...);

/* Puts a message already made into *slot, which now owns it: one from
** sqlite3_mprintf/sqlite3_malloc, or from the core's tl_malloc (which is
** sqlite3_malloc64 inside the extension, ext/core/tl_alloc.h). NULL means the
** message could not be made: SQLITE_NOMEM. Else returns rc. */
int tl_vtab_error_take(char **slot, int rc, char *message);

#endif
