/*
** The build's ranking step (ext/build_rank.c): places in sorted partitions,
** computed in C from one sorted query instead of by a SQLite window.
*/
#ifndef TL_BUILD_RANK_H
#define TL_BUILD_RANK_H

#include <sqlite3ext.h>

/* Runs zSorted, whose rows are (rid, the partition's values...) sorted by
** partition then rank order, and writes
**   temp.zTable(rid INTEGER PRIMARY KEY, place, size, first_rid, second_rid,
**               next_rid)
** one row per sorted row: its place in its partition (from 1), the
** partition's size, the rids at places 1 and 2 (second_rid NULL in a
** partition of one) and the rid at the next place (NULL at the last). On error returns the SQLite code with *pzErr set to a
** message from sqlite3_mprintf, or SQLITE_NOMEM with *pzErr NULL. */
int tl_build_rank(sqlite3 *db, const char *zTable, const char *zSorted, char **pzErr);

#endif
