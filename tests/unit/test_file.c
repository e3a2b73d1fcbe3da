/*
** Unit tests of the file helpers the build uses: tl_file_beside (ext/core/tl_file.c)
** and SHA-256 (ext/core/sha256.c). The digests are FIPS 180-4's own examples
** (appendix B of the Secure Hash Standard's example document) and the
** well-known digest of the empty string; tests/sql/build.test checks the
** digests of real files against python3's hashlib.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "sha256.h"
#include "tl_alloc.h"
#include "tl_file.h"

/* The digest of text repeated, with the CPU's SHA extensions when
** extensions is 1 and the CPU has them, in plain C when 0. */
static const char *digest(const char *text, size_t repeat, int extensions) {
  static char hex[TL_SHA256_HEX_SIZE];
  TlSha256 h;
  tl_sha256_init(&h);
  h.use_sha_extensions &= extensions;
  for (size_t i = 0; i < repeat; i++) tl_sha256_update(&h, text, strlen(text));
  tl_sha256_hex(&h, hex);
  return hex;
}

static void test_sha256_vectors(int extensions) {
  char name[96];
  const char *how = extensions ? "with the SHA extensions" : "in plain C";
  snprintf(name, sizeof name, "sha256 of nothing, %s", how);
  CHECK_STR(name, digest("", 1, extensions),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  snprintf(name, sizeof name, "sha256 of abc, %s", how);
  CHECK_STR(name, digest("abc", 1, extensions),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  /* 56 bytes: the padding needs a second block */
  snprintf(name, sizeof name, "sha256 of the 448-bit message, %s", how);
  CHECK_STR(name, digest("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 1, extensions),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  /* fed in 1,000 pieces of 1,000 bytes that do not line up with blocks */
  char thousand[1001];
  memset(thousand, 'a', 1000);
  thousand[1000] = '\0';
  snprintf(name, sizeof name, "sha256 of a million a, %s", how);
  CHECK_STR(name, digest(thousand, 1000, extensions),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

/* The two ways agree on every length from 0 to 1,200 bytes of varied
** bytes, fed in uneven pieces (so partial, whole and several blocks per
** update all occur). */
static void test_sha256_paths_agree(void) {
  unsigned char bytes[1200];
  uint32_t x = 12345;
  for (size_t i = 0; i < sizeof bytes; i++) x = x * 1103515245u + 12345u, bytes[i] = (unsigned char)(x >> 16);
  int disagree = 0;
  for (size_t n = 0; n <= sizeof bytes; n++) {
    char hex[2][TL_SHA256_HEX_SIZE];
    for (int extensions = 0; extensions < 2; extensions++) {
      TlSha256 h;
      tl_sha256_init(&h);
      h.use_sha_extensions &= extensions;
      for (size_t at = 0, piece = 1; at < n; at += piece, piece = piece * 7 % 150 + 1)
        tl_sha256_update(&h, bytes + at, piece < n - at ? piece : n - at);
      tl_sha256_hex(&h, hex[extensions]);
    }
    disagree += strcmp(hex[0], hex[1]) != 0;
  }
  CHECK("the SHA extensions and plain C agree on 1,201 lengths", disagree == 0);
}

static void test_sha256(void) {
  TlSha256 probe;
  tl_sha256_init(&probe);
  test_sha256_vectors(0);
  if (probe.use_sha_extensions) {
    test_sha256_vectors(1);
    test_sha256_paths_agree();
  } else {
    SKIP("sha256 with the SHA extensions", "this CPU (or valgrind's) does not report them");
  }
}

static void test_sha256_file(void) {
  char path[] = "/tmp/tl_test_file_XXXXXX";
  char hex[TL_SHA256_HEX_SIZE];
  long long size = -1;
  const char *err = NULL;
  int fd = mkstemp(path);
  CHECK("temporary file", fd >= 0);
  if (fd < 0) return;
  CHECK("write", write(fd, "abc", 3) == 3);
  close(fd);
  CHECK("sha256 of a file", tl_sha256_file(path, hex, &size, &err) == 0 && size == 3 &&
                                strcmp(hex, digest("abc", 1, 1)) == 0);
  unlink(path);
  CHECK("a missing file is an error with the system's reason",
        tl_sha256_file(path, hex, &size, &err) == -1 && strcmp(err, "No such file or directory") == 0);
  CHECK("a directory is refused", tl_sha256_file("/tmp", hex, &size, &err) == -1 && err != NULL);
}

static void check_beside(const char *name, const char *database, const char *path,
                         const char *want) {
  char *got = tl_file_beside(database, path);
  CHECK_STR(name, got, want);
  tl_free(got);
}

static void test_beside(void) {
  check_beside("relative path beside the database", "/data/ledger.db", "prices/a.json",
               "/data/prices/a.json");
  check_beside("database at the root", "/ledger.db", "a.json", "/a.json");
  check_beside("absolute path kept", "/data/ledger.db", "/srv/a.json", "/srv/a.json");
  check_beside("in-memory database: relative to the current directory", "", "a.json", "a.json");
  check_beside("no database name", NULL, "../a.json", "../a.json");
  check_beside("database name without a directory", "ledger.db", "a.json", "a.json");
  tl_alloc_fail_from(0);
  CHECK("out of memory gives NULL", tl_file_beside("/d/x.db", "a") == NULL);
  tl_alloc_fail_from(-1);
}

int main(void) {
  test_sha256();
  test_sha256_file();
  test_beside();
  return check_failures ? 1 : 0;
}
