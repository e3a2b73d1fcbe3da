/*
** SHA-256 as FIPS 180-4 specifies it (section 6.2). See sha256.h.
*/
#include "sha256.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "tl_file.h"

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
    0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
    0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
    0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
    0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
    0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
    0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
    0xc67178f2};

static uint32_t rotr(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

static uint32_t load_be32(const unsigned char *p) {
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

/* The compression function over nblocks whole 64-byte blocks, in plain C.
** The eight working variables shift by one each round (a compiler renames
** them rather than moving them). */
static void compress_portable(uint32_t state[8], const unsigned char *p, size_t nblocks) {
  for (; nblocks > 0; nblocks--, p += 64) {
    uint32_t w[64];
    for (int t = 0; t < 16; t++) w[t] = load_be32(p + 4 * t);
    for (int t = 16; t < 64; t++) {
      uint32_t s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3);
      uint32_t s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10);
      w[t] = w[t - 16] + s0 + w[t - 7] + s1;
    }
    uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
    uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
    for (int t = 0; t < 64; t++) {
      uint32_t t1 = h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[t] + w[t];
      uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
      h = g, g = f, f = e, e = d + t1, d = c, c = b, b = a, a = t1 + t2;
    }
    state[0] += a, state[1] += b, state[2] += c, state[3] += d;
    state[4] += e, state[5] += f, state[6] += g, state[7] += h;
  }
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <cpuid.h>
#include <immintrin.h>

/* Whether the CPU has the SHA extensions (and the SSSE3 and SSE4.1 shuffles
** and blends the state needs): CPUID leaf 7 EBX bit 29, leaf 1 ECX bits 9
** and 19. Valgrind's CPU does not report them, so it runs the plain C. */
static int cpu_has_sha(void) {
  unsigned a, b, c, d;
  if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & (1u << 9)) || !(c & (1u << 19))) return 0;
  return __get_cpuid_count(7, 0, &a, &b, &c, &d) && (b & (1u << 29));
}

/* The same compression with the SHA extensions, about ten times the speed
** of the plain C: the build hashes every source file it reads. The
** instructions keep the state as (a, b, e, f) and (c, d, g, h), each
** register's lanes high to low; sha256rnds2 does two rounds with the two
** low words of its message operand (K already added); sha256msg1 and
** sha256msg2 compute four words of the schedule from the sixteen before. */
__attribute__((target("sha,ssse3,sse4.1"))) static void compress_sha(uint32_t state[8],
                                                                      const unsigned char *p,
                                                                      size_t nblocks) {
  const __m128i byte_swap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
  __m128i dcba = _mm_loadu_si128((const __m128i *)(const void *)&state[0]);
  __m128i hgfe = _mm_loadu_si128((const __m128i *)(const void *)&state[4]);
  __m128i cdab = _mm_shuffle_epi32(dcba, 0xB1);
  __m128i efgh = _mm_shuffle_epi32(hgfe, 0x1B);
  __m128i abef = _mm_alignr_epi8(cdab, efgh, 8);
  __m128i cdgh = _mm_blend_epi16(efgh, cdab, 0xF0);
  for (; nblocks > 0; nblocks--, p += 64) {
    __m128i abef_before = abef, cdgh_before = cdgh, w[4];
    for (int j = 0; j < 16; j++) {
      /* w[j % 4]: the schedule's words 4j..4j+3 */
      if (j < 4) {
        w[j] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p + 16 * j)),
                                byte_swap);
      } else {
        __m128i x = _mm_sha256msg1_epu32(w[j % 4], w[(j + 1) % 4]);
        x = _mm_add_epi32(x, _mm_alignr_epi8(w[(j + 3) % 4], w[(j + 2) % 4], 4));
        w[j % 4] = _mm_sha256msg2_epu32(x, w[(j + 3) % 4]);
      }
      __m128i msg = _mm_add_epi32(w[j % 4], _mm_loadu_si128((const __m128i *)(const void *)&K[4 * j]));
      cdgh = _mm_sha256rnds2_epu32(cdgh, abef, msg);
      abef = _mm_sha256rnds2_epu32(abef, cdgh, _mm_shuffle_epi32(msg, 0x0E));
    }
    abef = _mm_add_epi32(abef, abef_before);
    cdgh = _mm_add_epi32(cdgh, cdgh_before);
  }
  __m128i feba = _mm_shuffle_epi32(abef, 0x1B);
  __m128i dchg = _mm_shuffle_epi32(cdgh, 0xB1);
  _mm_storeu_si128((__m128i *)(void *)&state[0], _mm_blend_epi16(feba, dchg, 0xF0));
  _mm_storeu_si128((__m128i *)(void *)&state[4], _mm_alignr_epi8(dchg, feba, 8));
}
#else
/* elsewhere use_sha_extensions stays 0: the name only keeps compress() one shape */
static int cpu_has_sha(void) { return 0; }
#define compress_sha compress_portable
#endif

static void compress(TlSha256 *h, const unsigned char *p, size_t nblocks) {
  if (h->use_sha_extensions) compress_sha(h->state, p, nblocks);
  else compress_portable(h->state, p, nblocks);
}

void tl_sha256_init(TlSha256 *h) {
  static const uint32_t initial[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                      0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  memcpy(h->state, initial, sizeof initial);
  h->length = 0;
  h->used = 0;
  h->use_sha_extensions = cpu_has_sha();
}

void tl_sha256_update(TlSha256 *h, const void *data, size_t n) {
  const unsigned char *p = data;
  h->length += n;
  if (h->used > 0) { /* fill the block begun by an earlier update */
    size_t take = 64 - h->used < n ? 64 - h->used : n;
    memcpy(h->block + h->used, p, take);
    h->used += take;
    p += take;
    n -= take;
    if (h->used < 64) return;
    compress(h, h->block, 1);
    h->used = 0;
  }
  if (n >= 64) { /* whole blocks straight from the caller's bytes */
    compress(h, p, n / 64);
    p += n / 64 * 64;
    n %= 64;
  }
  memcpy(h->block, p, n);
  h->used = n;
}

void tl_sha256_hex(TlSha256 *h, char hex[TL_SHA256_HEX_SIZE]) {
  static const char digits[] = "0123456789abcdef";
  uint64_t bits = h->length * 8;
  unsigned char tail[72] = {0x80};
  /* pad to 56 bytes past a block boundary, then the length in bits, big-endian */
  size_t pad = (h->used < 56 ? 56 : 120) - h->used;
  for (int i = 0; i < 8; i++) tail[pad + i] = (unsigned char)(bits >> (56 - 8 * i));
  tl_sha256_update(h, tail, pad + 8);
  for (int i = 0; i < 32; i++) {
    unsigned byte = h->state[i / 4] >> (24 - 8 * (i % 4)) & 0xff;
    hex[2 * i] = digits[byte >> 4];
    hex[2 * i + 1] = digits[byte & 15];
  }
  hex[64] = '\0';
}

int tl_sha256_file(const char *path, char hex[TL_SHA256_HEX_SIZE], long long *size,
                   const char **err) {
  unsigned char buf[1 << 16];
  TlSha256 h;
  int fd = tl_file_open(path, NULL, err);
  if (fd < 0) return -1;
  tl_sha256_init(&h);
  for (;;) {
    ssize_t got = read(fd, buf, sizeof buf);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      *err = strerror(errno);
      close(fd);
      return -1;
    }
    if (got == 0) break;
    tl_sha256_update(&h, buf, (size_t)got);
  }
  close(fd);
  *size = (long long)h.length;
  tl_sha256_hex(&h, hex);
  return 0;
}
