/*
** Results of the scalar functions (ext/func_*.c): the two ways they report
** a problem, shared so that each reports out of memory the same way.
*/
#ifndef TOKENLEDGER_FUNC_RESULT_H
#define TOKENLEDGER_FUNC_RESULT_H

#include <sqlite3ext.h>

/* Reports msg (from sqlite3_mprintf, freed here) as the error, or out of
** memory when there is none: a failed allocation is never reported as
** another error. */
void tl_result_error_msg(sqlite3_context *ctx, char *msg);

/* The text of a non-NULL argument, to quote it; NULL after reporting out of
** memory when the conversion to text fails. */
const char *tl_arg_text(sqlite3_context *ctx, sqlite3_value *v);

/* 1 when a core message reports a failed allocation. The canonicalizer and
** genai_match cores (and json_parse inside them) say so only in their
** message, which then ends with "out of memory" ("aliases:1:1: out of
** memory"); their other messages end with a fixed phrase or a quoted value.
** Such a failure must be SQLITE_NOMEM, never an error blaming the argument. */
int tl_is_nomem_message(const char *message);

#endif
