/*
** libFuzzer target: the JSON reader, whole-document and streaming walk, and
** serialization of whatever it accepted (which must parse again to the same
** text). Build with `make fuzz`; run: build/fuzz/fuzz_json -max_total_time=60
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Walks the document with the container API: members of a root object and
** elements of a root array, building each as a tree. */
static void walk(const char *text, size_t size, JsonArena *arena) {
  JsonReader *r = json_reader_open_memory("fuzz", text, size);
  const char *key;
  size_t key_len;
  JsonValue *v;
  int type;
  if (!r) return;
  type = json_reader_peek(r);
  if (type == JSON_OBJECT && json_reader_begin_object(r) == 1) {
    while (json_reader_next_member(r, &key, &key_len) == 1 && json_reader_read_value(r, arena, &v) == 0) {
    }
  } else if (type == JSON_ARRAY && json_reader_begin_array(r) == 1) {
    while (json_reader_next_element(r) == 1 && json_reader_skip_value(r) == 0) {
    }
  }
  json_reader_close(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  JsonArena arena = {0};
  JsonValue *v;
  char err[256];
  const char *text = (const char *)data;
  if (json_parse("fuzz", text, size, &arena, &v, err, sizeof err) == 0) {
    JsonBuf once = {0}, twice = {0};
    JsonArena again = {0};
    JsonValue *w;
    json_write(&once, v);
    if (!once.oom) {
      if (json_parse("again", once.data, once.len, &again, &w, err, sizeof err) != 0) abort();
      json_write(&twice, w);
      if (!twice.oom && (twice.len != once.len || memcmp(once.data, twice.data, once.len) != 0)) abort();
    }
    json_buf_free(&once);
    json_buf_free(&twice);
    json_arena_free(&again);
  }
  json_arena_reset(&arena);
  walk(text, size, &arena);
  json_arena_free(&arena);
  return 0;
}
