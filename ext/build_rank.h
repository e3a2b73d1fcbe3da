/*
** The build's ranking step (ext/build_rank.c): places in sorted partitions,
** computed in C from the rows of one query instead of by a SQLite window.
*/
#ifndef TL_BUILD_RANK_H
#define TL_BUILD_RANK_H

#include <sqlite3ext.h>

/* Runs zRows, whose rows are (rid, nPartition partition values, then the
** window's order terms), sorts them by partition then by the order terms,
** zOrder giving a letter per term (a: ascending, d: descending, l: ascending
** with NULLs last, f: descending with NULLs first), and writes
**   temp.zTable(rid INTEGER PRIMARY KEY, place, size, first_rid, second_rid,
**               next_rid)
** one row per row ranked: its place in its partition (from 1), the
** partition's size, the rids at places 1 and 2 (second_rid NULL in a
** partition of one) and the rid at the next place (NULL at the last). On
** error returns the SQLite code with *pzErr set to a message from
** sqlite3_mprintf, or SQLITE_NOMEM with *pzErr NULL. */
int tl_build_rank(sqlite3 *db, const char *zTable, const char *zRows, int nPartition,
                  const char *zOrder, char **pzErr);

#endif
