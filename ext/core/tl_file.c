/* Opening input files; the contract is in tl_file.h. */
#include "tl_file.h"
#include "tl_alloc.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void identity_from_stat(const struct stat *st, TlFileId *id) {
  id->device = (unsigned long long)st->st_dev;
  id->inode = (unsigned long long)st->st_ino;
  id->size = (long long)st->st_size;
  id->mtime_ns = (long long)st->st_mtim.tv_sec * 1000000000LL + st->st_mtim.tv_nsec;
  id->ctime_ns = (long long)st->st_ctim.tv_sec * 1000000000LL + st->st_ctim.tv_nsec;
}

/* NULL for a regular file, else why it is refused. */
static const char *irregular_reason(mode_t mode) {
  if (S_ISREG(mode)) return NULL;
  if (S_ISDIR(mode)) return "is a directory, not a regular file";
  if (S_ISFIFO(mode)) return "is a FIFO, not a regular file";
  if (S_ISCHR(mode) || S_ISBLK(mode)) return "is a device, not a regular file";
  if (S_ISSOCK(mode)) return "is a socket, not a regular file";
  return "is not a regular file";
}

int tl_file_identify(const char *path, TlFileId *id, const char **err) {
  struct stat st;
  if (stat(path, &st) != 0) {
    *err = strerror(errno);
    return -1;
  }
  if ((*err = irregular_reason(st.st_mode)) != NULL) return -1;
  identity_from_stat(&st, id);
  return 0;
}

int tl_file_identify_fd(int fd, TlFileId *id) {
  struct stat st;
  if (fstat(fd, &st) != 0) return -1;
  identity_from_stat(&st, id);
  return 0;
}

int tl_file_open(const char *path, TlFileId *id, const char **err) {
  struct stat st;
  int flags;
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    *err = strerror(errno);
    return -1;
  }
  if (fstat(fd, &st) != 0) {
    *err = strerror(errno);
    close(fd);
    return -1;
  }
  if ((*err = irregular_reason(st.st_mode)) != NULL) {
    close(fd);
    return -1;
  }
  /* A regular file never blocks, but clear the flag so reads behave the
  ** ordinary way on every system. */
  flags = fcntl(fd, F_GETFL);
  if (flags >= 0) (void)fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
  if (id) identity_from_stat(&st, id);
  return fd;
}

int tl_file_same(const TlFileId *a, const TlFileId *b) {
  return a->device == b->device && a->inode == b->inode && a->size == b->size &&
         a->mtime_ns == b->mtime_ns && a->ctime_ns == b->ctime_ns;
}

char *tl_file_beside(const char *database, const char *path) {
  const char *slash = database ? strrchr(database, '/') : NULL;
  size_t dir = path[0] == '/' || !slash ? 0 : (size_t)(slash - database) + 1;
  size_t n = strlen(path);
  char *out = tl_malloc(dir + n + 1);
  if (!out) return NULL;
  memcpy(out, database ? database : "", dir);
  memcpy(out + dir, path, n + 1);
  return out;
}
