/*
** Opening input files: every reader (JSON, CSV, JSONL) opens through here, so
** they all refuse the same things with the same words.
**
** A FIFO would block open() until a writer appears and a device such as
** /dev/zero never ends, so only regular files are read: the file is opened
** with O_NONBLOCK (open() of a FIFO then returns at once), checked with
** fstat, and only then switched back to blocking reads. Errors are the
** system's own words (strerror), so ELOOP and EACCES say what they are.
**
** TlFileId is what identifies one version of a file: device and inode (a
** rename over the old file changes them), size, and modification and change
** times in nanoseconds (`cp -p` and `rsync -t` restore mtime but cannot
** restore ctime). Caches key on it; a stream compares it at the end to notice
** a file rewritten while it was read.
*/
#ifndef TOKENLEDGER_FILE_H
#define TOKENLEDGER_FILE_H

typedef struct TlFileId {
  unsigned long long device, inode;
  long long size, mtime_ns, ctime_ns;
} TlFileId;

/* Opens PATH for reading. Returns a descriptor, or -1 with *err set to a
** static English reason ("No such file or directory", "is a FIFO, not a
** regular file", ...). ID, when not NULL, receives the file's identity. */
int tl_file_open(const char *path, TlFileId *id, const char **err);

/* The identity of PATH (following symbolic links). 0, or -1 with *err. */
int tl_file_identify(const char *path, TlFileId *id, const char **err);

/* The identity of an open descriptor. 0 or -1. */
int tl_file_identify_fd(int fd, TlFileId *id);

/* 1 when A and B name the same version of a file. */
int tl_file_same(const TlFileId *a, const TlFileId *b);

/* PATH as the ledger reads it (ledger_sources.path): a relative path is
** taken from the directory of DATABASE, the main database's file, so a
** database finds its sources wherever it is opened from; an absolute path,
** and any path when the database has no file (DATABASE NULL or "": an
** in-memory or temporary database), is itself, relative to the current
** directory. A tl_malloc'd string, or NULL out of memory. */
char *tl_file_beside(const char *database, const char *path);

#endif
