/*
** A usage stream read ahead by a helper thread: while the caller works on
** one batch of records (costing them, handing them to SQLite), the helper
** parses the next. The records are usage_stream_next's (ext/core/usage.h), in
** file order, with the same errors at the same place; only `raw` is not
** kept (raw.p is NULL).
**
**   UsageAhead *a;
**   if (usage_ahead_open(stream, 512, &a) == 0) {
**     while ((rc = usage_ahead_next(a, &rec)) == 1) ...;   -- const UsageRecord *rec
**     usage_ahead_close(a);          -- also stops the helper early
**   }
**
** The helper allocates (the stream's arena, the batches) through tl_malloc,
** so the caller must make sure allocation is thread-safe (inside SQLite:
** the serialized threading mode; vtab/event_costs.c checks it). Memory: at
** most three batches of `batch` records, each batch's texts at most about
** 1 MiB past its last record, plus the stream's own line.
**
** Plain C and POSIX threads; no SQLite.
*/
#ifndef TOKENLEDGER_USAGE_AHEAD_H
#define TOKENLEDGER_USAGE_AHEAD_H

#include "usage.h"

typedef struct UsageAhead UsageAhead;

/* Takes the stream (closed by usage_ahead_close) and starts the helper.
** batch: records per batch (>= 1). 0, or USAGE_NOMEM (the stream is then
** closed too), or USAGE_ERROR when no thread can be started (the stream is
** left to the caller, who may read it directly). */
int usage_ahead_open(UsageStream *stream, int batch, UsageAhead **out);

/* As usage_stream_next: 1 with *rec pointing at the record (valid until the next
** call), 0 at the end, USAGE_ERROR (usage_ahead_error says why) or
** USAGE_NOMEM. */
int usage_ahead_next(UsageAhead *a, const UsageRecord **rec);
const char *usage_ahead_error(const UsageAhead *a);

/* Stops the helper (at once, whatever it was reading), joins it and frees
** everything, the stream included. NULL is a no-op. */
void usage_ahead_close(UsageAhead *a);

#endif
