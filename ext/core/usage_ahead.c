/*
** A usage stream read ahead by a helper thread (the manual is usage_ahead.h).
**
** HOW IT WORKS. A ring of AHEAD_BATCHES batches. The helper fills the slot
** after the last ready one with up to `batch` records (usage_stream_next,
** each record's texts copied at once into the batch's own chunks, since the
** stream reuses its arena per line), then marks it ready. The caller reads
** the ready batch at the head and hands it back when done. One mutex and
** one condition variable guard head, filled and the end state; the records
** themselves need no lock, as a slot belongs either to the helper (not yet
** ready) or to the caller (ready), never to both. `stop` is an atomic the
** helper polls between records, so closing mid-file does not wait for the
** rest of the file.
*/
#include "usage_ahead.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "tl_alloc.h"

#define AHEAD_BATCHES 3
#define AHEAD_TEXT_MAX (1u << 20) /* a batch ends early past this much text */
#define AHEAD_CHUNK 65536

typedef struct TextChunk {
  struct TextChunk *next;
  size_t used, size;
  char data[];
} TextChunk;

/* CACHE_LINE bytes of padding keep apart what the two threads write: the
** helper writes its batch per record, the caller its read position, and a
** cache line both wrote would bounce between the CPUs at every record
** (padding, not _Alignas: tl_malloc promises 8-byte alignment only). */
#define CACHE_LINE 64

typedef struct Batch {
  UsageRecord *rec; /* cap records */
  int n;
  TextChunk *text;  /* the records' texts, newest chunk first */
  size_t text_bytes;
  char pad[CACHE_LINE];
} Batch;

struct UsageAhead {
  UsageStream *stream;
  int cap;
  pthread_t thread;
  pthread_mutex_t mu;
  pthread_cond_t cv;
  Batch batch[AHEAD_BATCHES];
  int head, filled;  /* the ready batches: head .. head + filled - 1 */
  int finished;      /* the helper has made its last batch ready */
  int status;        /* then: 0 the end, USAGE_ERROR, USAGE_NOMEM */
  char why[USAGE_ERROR_SIZE];
  char pad1[CACHE_LINE];
  atomic_int stop;
  char pad2[CACHE_LINE];
  /* the caller's alone: it reads batch[head] (recs), record pos of avail */
  int holding, pos, avail;
  const UsageRecord *recs;
};

/* Keeps the chunk list's first chunk for reuse and frees the rest. */
static void batch_reset(Batch *b) {
  TextChunk *c = b->text;
  while (c && c->next) {
    TextChunk *next = c->next;
    c->next = next->next;
    tl_free(next);
  }
  if (c) c->used = 0;
  b->n = 0;
  b->text_bytes = 0;
}

static void batch_free(Batch *b) {
  for (TextChunk *c = b->text, *next; c; c = next) {
    next = c->next;
    tl_free(c);
  }
  tl_free(b->rec);
  memset(b, 0, sizeof *b);
}

/* t's bytes copied into the batch; t repointed. -1 out of memory. */
static int keep_text(Batch *b, UsageText *t) {
  if (!t->p) return 0;
  TextChunk *c = b->text;
  if (!c || c->size - c->used < t->n) {
    size_t size = t->n > AHEAD_CHUNK ? t->n : AHEAD_CHUNK;
    TextChunk *fresh = tl_malloc(sizeof *fresh + size);
    if (!fresh) return -1;
    fresh->used = 0;
    fresh->size = size;
    fresh->next = c;
    b->text = c = fresh;
  }
  char *p = c->data + c->used;
  if (t->n) memcpy(p, t->p, t->n);
  c->used += t->n;
  b->text_bytes += t->n;
  t->p = p;
  return 0;
}

static int keep_texts(Batch *b, UsageRecord *r) {
  r->raw.p = NULL; /* not kept: the one text a caller rarely needs, and the longest */
  r->raw.n = 0;
  return keep_text(b, &r->provider) || keep_text(b, &r->model) ||
         keep_text(b, &r->request_id) || keep_text(b, &r->status) ||
         keep_text(b, &r->service_tier);
}

/* Fills b until it is full, the file ends or fails, or stop is set: 1 more
** to come, else the end status. */
static int fill(UsageAhead *a, Batch *b) {
  int n = 0, rc = 1; /* b->n is written once, at the end */
  batch_reset(b);
  while (n < a->cap && b->text_bytes < AHEAD_TEXT_MAX) {
    if (atomic_load_explicit(&a->stop, memory_order_relaxed)) break;
    rc = usage_stream_next(a->stream, &b->rec[n]);
    if (rc != 1) break;
    if (keep_texts(b, &b->rec[n])) {
      rc = USAGE_NOMEM;
      break;
    }
    n++;
  }
  b->n = n;
  return rc;
}

static void *helper(void *arg) {
  UsageAhead *a = arg;
  for (;;) {
    pthread_mutex_lock(&a->mu);
    while (!atomic_load(&a->stop) && a->filled == AHEAD_BATCHES) pthread_cond_wait(&a->cv, &a->mu);
    int slot = (a->head + a->filled) % AHEAD_BATCHES;
    pthread_mutex_unlock(&a->mu);
    if (atomic_load(&a->stop)) return NULL;
    int rc = fill(a, &a->batch[slot]);
    pthread_mutex_lock(&a->mu);
    a->filled++;
    if (rc != 1) {
      a->finished = 1;
      a->status = rc;
      if (rc == USAGE_ERROR)
        snprintf(a->why, sizeof a->why, "%s", usage_stream_error(a->stream));
    }
    pthread_cond_broadcast(&a->cv);
    pthread_mutex_unlock(&a->mu);
    if (rc != 1) return NULL;
  }
}

int usage_ahead_open(UsageStream *stream, int batch, UsageAhead **out) {
  UsageAhead *a = tl_malloc(sizeof *a);
  *out = NULL;
  if (!a) {
    usage_stream_close(stream);
    return USAGE_NOMEM;
  }
  memset(a, 0, sizeof *a);
  a->stream = stream;
  a->cap = batch > 0 ? batch : 1;
  atomic_init(&a->stop, 0);
  for (int i = 0; i < AHEAD_BATCHES; i++) {
    a->batch[i].rec = tl_malloc((size_t)a->cap * sizeof *a->batch[i].rec);
    if (!a->batch[i].rec) {
      for (int j = 0; j < AHEAD_BATCHES; j++) batch_free(&a->batch[j]);
      tl_free(a);
      usage_stream_close(stream);
      return USAGE_NOMEM;
    }
  }
  if (pthread_mutex_init(&a->mu, NULL) == 0) {
    if (pthread_cond_init(&a->cv, NULL) == 0) {
      if (pthread_create(&a->thread, NULL, helper, a) == 0) {
        *out = a;
        return 0;
      }
      pthread_cond_destroy(&a->cv);
    }
    pthread_mutex_destroy(&a->mu);
  }
  for (int j = 0; j < AHEAD_BATCHES; j++) batch_free(&a->batch[j]);
  tl_free(a);
  return USAGE_ERROR; /* no thread: the stream stays the caller's */
}

int usage_ahead_next(UsageAhead *a, const UsageRecord **rec) {
  for (;;) {
    if (a->holding) {
      if (a->pos < a->avail) {
        *rec = &a->recs[a->pos++];
        return 1;
      }
      pthread_mutex_lock(&a->mu); /* done with it: hand it back */
      a->holding = 0;
      a->head = (a->head + 1) % AHEAD_BATCHES;
      a->filled--;
      pthread_cond_broadcast(&a->cv);
      pthread_mutex_unlock(&a->mu);
    }
    pthread_mutex_lock(&a->mu);
    while (a->filled == 0 && !a->finished) pthread_cond_wait(&a->cv, &a->mu);
    int ready = a->filled > 0, status = a->status;
    pthread_mutex_unlock(&a->mu);
    if (!ready) return status;
    a->holding = 1;
    a->pos = 0;
    a->avail = a->batch[a->head].n;
    a->recs = a->batch[a->head].rec;
  }
}

const char *usage_ahead_error(const UsageAhead *a) { return a->why; }

void usage_ahead_close(UsageAhead *a) {
  if (!a) return;
  pthread_mutex_lock(&a->mu);
  atomic_store(&a->stop, 1);
  pthread_cond_broadcast(&a->cv);
  pthread_mutex_unlock(&a->mu);
  pthread_join(a->thread, NULL);
  pthread_cond_destroy(&a->cv);
  pthread_mutex_destroy(&a->mu);
  for (int i = 0; i < AHEAD_BATCHES; i++) batch_free(&a->batch[i]);
  usage_stream_close(a->stream);
  tl_free(a);
}
