/*
** SHA-256 (FIPS 180-4), for the build record: ledger_build_files names each
** source by the digest of its bytes, so a ledger can be traced to the exact
** files it was built from. Plain C; no SQLite.
**
**   TlSha256 h;
**   tl_sha256_init(&h);
**   tl_sha256_update(&h, bytes, n);      -- any number of times
**   tl_sha256_hex(&h, hex);              -- 64 lower-case digits and a NUL
*/
#ifndef TOKENLEDGER_SHA256_H
#define TOKENLEDGER_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct TlSha256 {
  uint32_t state[8];
  uint64_t length;       /* bytes hashed so far */
  unsigned char block[64];
  size_t used;           /* bytes of block filled */
  int use_sha_extensions; /* set by init when the CPU has them (x86-64); 0
                          ** selects the plain C, which gives the same digest */
} TlSha256;

#define TL_SHA256_HEX_SIZE 65

void tl_sha256_init(TlSha256 *h);
void tl_sha256_update(TlSha256 *h, const void *data, size_t n);
/* Finishes h (it must be initialized again before reuse). */
void tl_sha256_hex(TlSha256 *h, char hex[TL_SHA256_HEX_SIZE]);

/* The digest of a whole file, read in blocks (memory stays flat), and its
** size. 0, or -1 with *err a static reason (tl_file_open's, or a read error). */
int tl_sha256_file(const char *path, char hex[TL_SHA256_HEX_SIZE], long long *size,
                   const char **err);

#endif
