# tokenledger build. Targets are the project's vocabulary:
#   make deps       install what is missing on Debian (sqlite3, headers, gcc, python3, clang, valgrind,
#                   sqlite-utils, chromium and postgresql for the host, report and warehouse tests)
#   make            ./tokenledger.so (warnings are errors; links nothing but libc/libm)
#   make demo       build, then print the ledger of the bundled fixtures and its frontier
#   make ledger     write ledger/ (CSV, schema, seed, summary.json) from SOURCES
#   make fetch      download today's price lists into DATA/YYYY-MM-DD/ and write
#                   DATA/ledger_sources.sql (tools/fetch.py, docs/fetch.md)
#   make report     build SOURCES into ledger/ledger.db, draw ledger/frontier.svg and
#                   ledger/report.html (tools/report.py; docs/report.md)
#   make export     build SOURCES into ledger/ledger.db and write ledger/export/: rate cards, alias map,
#                   tier rules, PostgreSQL and ClickHouse DDL + costing query (docs/warehouse.md)
#   make test       the whole suite: C unit tests and SQL tests through the sqlite3 CLI
#   make test-asan  the same suite with the extension built under ASan + UBSan
#   make test-valgrind  the SQL suite with sqlite3 running under valgrind
#   make test-oom   every function and module run out of memory (tests/oom/oom_host.c, ASan);
#                   `make test` runs the same host without ASan
#   make fuzz       build the libFuzzer targets (clang) into build/fuzz/
#   make fuzz-run   run each target for FUZZ_SECONDS (default 20), seeded from fixtures/
#   make bench      speed ratios against what a user would use instead
#   make install    into LIBDIR, a directory the dynamic loader searches
#
# Source layout, by folder: ext/tokenledger.c and ext/func_*.c bind scalar
# and aggregate functions, vtab/*.c bind virtual tables, ext/build_rank.c is
# the build's ranking in C and ext/sql_order.c SQLite's order of values, which
# it and the sorting aggregates share (the glue: only they include
# sqlite3ext.h); ext/core/*.c is the core logic, which never includes it and
# is linked alone into unit tests and fuzz targets (ext/core/tl_alloc.c is
# the one seam: sqlite3_malloc inside the extension, malloc outside).
# The canonicalizer's vocabulary is data, ext/vocab/*.tsv, compiled into
# build/gen/canonical_vocab.c (which ext/core/canonical.c includes) by python3.

SHELL    := /bin/bash
CC       ?= cc
# `.load tokenledger` (no path) asks the dynamic loader for "tokenledger.so",
# which it finds only in its default directories (/usr/lib and the multiarch
# one): ld.so.cache lists lib*.so files only, so /usr/local/lib does not work
# for this name. Hence LIBDIR defaults to the multiarch directory; set
# LIBDIR=$(PREFIX)/lib to install elsewhere and load it by its full path.
PREFIX   ?= /usr/local
MULTIARCH := $(shell $(CC) -print-multiarch 2>/dev/null)
LIBDIR   ?= $(if $(MULTIARCH),/usr/lib/$(MULTIARCH),/usr/lib)
VERSION  := $(shell cat VERSION)
WARN     := -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
            -Wmissing-prototypes -Wformat=2 -Wvla -Wnull-dereference -Werror
CFLAGS   ?= -O2 -g
ALL_CFLAGS := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -fPIC -pthread \
              -fvisibility=hidden $(WARN) $(CFLAGS) -Iext -Iext/core -Ibuild/gen \
              -DTOKENLEDGER_VERSION='"$(VERSION)"'
LDLIBS   := -lm -lpthread
# A failed load (out of memory halfway through registering) leaves what was
# registered in place, and SQLite then dlclose()s the library: with nodelete
# it stays mapped, so those functions and their destructors remain valid code.
SO_LDFLAGS := -Wl,-z,nodelete

GLUE_SRC := ext/tokenledger.c ext/build_rank.c ext/sql_order.c $(wildcard ext/func_*.c) $(wildcard vtab/*.c)
CORE_SRC := $(wildcard ext/core/*.c)
HDRS     := $(wildcard ext/*.h ext/core/*.h vtab/*.h)
UNIT_SRC := $(wildcard tests/unit/test_*.c)
FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)

# ext/vocab/gen_vocab.py checks the vocabulary (FILE:LINE: messages), sorts
# its lookup tables and writes them as C. Then check_vocab, linked with the
# core, builds the index once, as registration does: the checks that need the
# signature rules (two models sharing a signature) fail the build rather than
# the first .load. Everything that compiles ext/core/canonical.c depends on
# VOCAB_OK, which implies the generated file.
VOCAB     := $(wildcard ext/vocab/*.tsv)
VOCAB_GEN := build/gen/canonical_vocab.c
VOCAB_OK  := build/gen/vocab.ok

ASAN_FLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
              -fno-sanitize-recover=undefined

.PHONY: all demo ledger fetch report export test test-asan test-valgrind test-oom fuzz fuzz-run bench install \
        uninstall clean

all: tokenledger.so

# sql/gen_sql.py compiles sql/ledger.sql into build/gen/ledger_sql.c, which
# ext/func_build.c includes: tokenledger_build() and tokenledger_views() need
# no file at run time.
LEDGER_SQL_GEN := build/gen/ledger_sql.c

$(LEDGER_SQL_GEN): sql/gen_sql.py sql/ledger.sql
	@mkdir -p $(dir $@)
	python3 sql/gen_sql.py sql/ledger.sql $@

$(VOCAB_GEN): ext/vocab/gen_vocab.py $(VOCAB)
	@mkdir -p $(dir $@)
	python3 ext/vocab/gen_vocab.py ext/vocab $@

# -O0: it runs once, and compiles in a fraction of the time.
build/gen/check_vocab: ext/vocab/check_vocab.c $(CORE_SRC) $(HDRS) $(VOCAB_GEN)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -O0 -o $@ $< $(CORE_SRC) $(LDLIBS)

$(VOCAB_OK): build/gen/check_vocab
	build/gen/check_vocab
	@touch $@

tokenledger.so: $(GLUE_SRC) $(CORE_SRC) $(HDRS) $(VOCAB_OK) $(LEDGER_SQL_GEN) VERSION Makefile
	$(CC) $(ALL_CFLAGS) -DTOKENLEDGER_IN_SQLITE -shared $(SO_LDFLAGS) -o $@ $(GLUE_SRC) $(CORE_SRC) $(LDLIBS)

build/asan/tokenledger.so: $(GLUE_SRC) $(CORE_SRC) $(HDRS) $(VOCAB_OK) $(LEDGER_SQL_GEN) VERSION Makefile
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(ASAN_FLAGS) -DTOKENLEDGER_IN_SQLITE -shared $(SO_LDFLAGS) -o $@ $(GLUE_SRC) $(CORE_SRC) $(LDLIBS)

# The unit tests link the core compiled once per flavour (plain, ASan), not
# once per test binary; `make test` builds them in parallel (NPROC jobs).
CORE_OBJ      := $(patsubst ext/core/%.c,build/obj/%.o,$(CORE_SRC))
CORE_ASAN_OBJ := $(patsubst ext/core/%.c,build/obj-asan/%.o,$(CORE_SRC))
NPROC         := $(shell nproc 2>/dev/null || echo 2)

build/obj/%.o: ext/core/%.c $(HDRS) $(VOCAB_OK)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

build/obj-asan/%.o: ext/core/%.c $(HDRS) $(VOCAB_OK)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(ASAN_FLAGS) -c -o $@ $<

build/unit/%: tests/unit/%.c $(CORE_OBJ) $(wildcard tests/unit/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests/unit -o $@ $< $(CORE_OBJ) $(LDLIBS)

build/unit-asan/%: tests/unit/%.c $(CORE_ASAN_OBJ) $(wildcard tests/unit/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(ASAN_FLAGS) -Itests/unit -o $@ $< $(CORE_ASAN_OBJ) $(LDLIBS)

UNIT_BIN      := $(patsubst tests/unit/%.c,build/unit/%,$(UNIT_SRC)) \
                 build/unit/test_pricing_host build/unit/test_costing_host \
                 build/unit/test_register_host
UNIT_ASAN_BIN := $(patsubst tests/unit/%.c,build/unit-asan/%,$(UNIT_SRC)) \
                 build/unit-asan/test_pricing_host build/unit-asan/test_costing_host \
                 build/unit-asan/test_register_host

deps:
	bash .ci/deps

demo: tokenledger.so
	sqlite3 :memory: -cmd ".load ./tokenledger" ".read fixtures/demo.sql"

# SOURCES: a SQL file filling ledger_sources (see the top of sql/ledger.sql).
SOURCES ?= fixtures/ledger.sources.sql

ledger: tokenledger.so
	@mkdir -p ledger
	sqlite3 :memory: -cmd ".load ./tokenledger" ".read sql/ledger.sql" ".read $(SOURCES)" \
	  ".read sql/export_ledger.sql"
	@sqlite3 :memory: "SELECT 'read ' || json_array_length(readfile('ledger/summary.json'), \
	  '$$.sources') || ' sources:'" "SELECT printf('  %-10s %6d rows  %s', json_extract(value, '$$.kind'), \
	  json_extract(value, '$$.rows'), json_extract(value, '$$.path')) \
	  FROM json_each(readfile('ledger/summary.json'), '$$.sources')" "SELECT printf('wrote ledger/: %s (%d rows), .schema.sql, .seed.sql, summary.json', \
	  'unified_model_provider_ledger.csv', json_extract(readfile('ledger/summary.json'), '$$.ledger_rows'))"

# DATA (default data), FETCH_DATE (default today, UTC) and FETCH_BASE_URL (a
# mirror in place of the real addresses) go to tools/fetch.py.
DATA ?= data

fetch: tokenledger.so
	python3 tools/fetch.py --ext ./tokenledger --data $(DATA) $(if $(FETCH_DATE),--date $(FETCH_DATE)) \
	  $(if $(FETCH_BASE_URL),--base-url $(FETCH_BASE_URL))

# The build reads a relative ledger_sources path beside the database file, and
# SOURCES' paths are relative to this directory while the database is in
# ledger/: they are made absolute first. A fresh database each time, so the
# report shows SOURCES and nothing left from an earlier run.
define build_ledger_db
	@mkdir -p ledger
	rm -f ledger/ledger.db
	sqlite3 ledger/ledger.db ".load ./tokenledger" "SELECT 'input tables made: ' || tokenledger_init();" \
	  ".read $(SOURCES)" \
	  "UPDATE ledger_sources SET path = '$(CURDIR)/' || path WHERE path NOT LIKE '/%';" \
	  "SELECT tokenledger_build();"
endef

report: tokenledger.so
	$(build_ledger_db)
	python3 tools/report.py ledger/ledger.db ledger

# The same database as make report, then the warehouse export beside it
# (tools/export_warehouse.py; EXPORT_EVENTS=1 adds usage_events.csv).
export: tokenledger.so
	$(build_ledger_db)
	python3 tools/export_warehouse.py --ext ./tokenledger --db ledger/ledger.db --out ledger/export \
	  $(if $(EXPORT_EVENTS),--events)

# The out-of-memory host runs here too; its sweeps listed in known_failures[]
# (tests/oom/oom_host.c, issue 9) are skipped until their fixes land.
test:
	@$(MAKE) --no-print-directory -j$(NPROC) tokenledger.so $(UNIT_BIN) build/oom/oom_host
	python3 tests/run.py --ext ./tokenledger --unit build/unit --host build/oom/oom_host

test-asan:
	@$(MAKE) --no-print-directory -j$(NPROC) build/asan/tokenledger.so $(UNIT_ASAN_BIN)
	python3 tests/run.py --ext build/asan/tokenledger --unit build/unit-asan \
	  --preload "$$($(CC) -print-file-name=libasan.so) $$($(CC) -print-file-name=libubsan.so)"

test-valgrind: tokenledger.so $(UNIT_BIN)
	python3 tests/run.py --ext ./tokenledger --unit build/unit --valgrind

# The out-of-memory host links the system SQLite (it must own the allocator,
# which a loaded extension cannot) and loads the extension like any host.
build/oom/oom_host: tests/oom/oom_host.c Makefile
	@mkdir -p $(dir $@)
	$(CC) -std=c11 $(WARN) $(CFLAGS) -o $@ $< -lsqlite3

build/asan/oom_host: tests/oom/oom_host.c Makefile
	@mkdir -p $(dir $@)
	$(CC) -std=c11 $(WARN) $(ASAN_FLAGS) -o $@ $< -lsqlite3

test-oom: build/asan/tokenledger.so build/asan/oom_host
	python3 tests/run.py --ext build/asan/tokenledger --host build/asan/oom_host --hosts-only

build/fuzz/%: tests/fuzz/%.c $(CORE_SRC) $(HDRS) $(VOCAB_OK)
	@mkdir -p $(dir $@)
	clang $(ALL_CFLAGS) -O1 -g -fsanitize=address,undefined,fuzzer -fno-sanitize-recover=undefined \
	  -o $@ $< $(CORE_SRC) $(LDLIBS)

# fuzz_sql_*: the extension driven through SQLite (see the top of each file):
# glue and core compiled in with SQLITE_CORE, linked against the system
# libsqlite3, which is not instrumented (so its own code is neither checked
# nor a source of false reports).
build/fuzz/fuzz_sql_%: tests/fuzz/fuzz_sql_%.c tests/fuzz/fuzz_sql_db.h $(GLUE_SRC) $(CORE_SRC) $(HDRS) $(VOCAB_OK) \
                       $(LEDGER_SQL_GEN)
	@mkdir -p $(dir $@)
	clang $(ALL_CFLAGS) -O1 -g -fsanitize=address,undefined,fuzzer -fno-sanitize-recover=undefined \
	  -DSQLITE_CORE -DTOKENLEDGER_IN_SQLITE -DFUZZ_FIXTURES='"$(CURDIR)/fixtures"' \
	  -o $@ $< $(GLUE_SRC) $(CORE_SRC) $(LDLIBS) -lsqlite3 $(FUZZ_SQL_LDFLAGS)

# fuzz_sql_args confines every file the extension opens to its sandbox.
build/fuzz/fuzz_sql_args: FUZZ_SQL_LDFLAGS := -Wl,--wrap=tl_file_open

# Seeds for fuzz_sql_files: each fixture behind the mode bytes (the first
# byte of an input, an index into aMode[]) of the modules that read its kind.
build/fuzz/seeds/fuzz_sql_files: $(wildcard fixtures/*) Makefile
	@rm -rf $@ && mkdir -p $@
	@for f in fixtures/*; do \
	  case $$f in \
	    *.jsonl) modes="30 31 32 34" ;; \
	    *.json)  modes="0 1 7 22 25 33" ;; \
	    *.csv)   modes="14 15 16 19 20 22 24 27 28" ;; \
	    *) modes="" ;; \
	  esac; \
	  for m in $$modes; do \
	    { printf "\\$$(printf %03o $$m)"; cat $$f; } > $@/$$m-$$(basename $$f); \
	  done; \
	done

FUZZ_BIN     := $(patsubst tests/fuzz/%.c,build/fuzz/%,$(FUZZ_SRC))
FUZZ_SECONDS ?= 20

fuzz: $(FUZZ_BIN)

# A target may add seeds (tests/fuzz/corpus/NAME or build/fuzz/seeds/NAME)
# and the fuzz_sql_* targets a dictionary; new inputs go to the first corpus.
fuzz-run: $(FUZZ_BIN) build/fuzz/seeds/fuzz_sql_files
	@for f in $(FUZZ_BIN); do \
	  n=$$(basename $$f); \
	  mkdir -p build/fuzz/corpus/$$n; \
	  echo "$$f: $(FUZZ_SECONDS) s"; \
	  $$f -max_total_time=$(FUZZ_SECONDS) -seed=1 -rss_limit_mb=2048 -print_final_stats=1 \
	    $$(case $$n in fuzz_sql_*) echo -dict=tests/fuzz/fuzz_sql.dict -timeout=10;; esac) \
	    build/fuzz/corpus/$$n $$(ls -d tests/fuzz/corpus/$$n build/fuzz/seeds/$$n 2>/dev/null) \
	    fixtures 2>&1 | grep -E "^stat::number_of_executed_units|ERROR|SUMMARY" ; \
	  test $${PIPESTATUS[0]} -eq 0 || exit 1; \
	done

build/bench/runner: bench/runner.c Makefile
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -D_POSIX_C_SOURCE=200809L -O2 $(WARN) -o $@ $< -lsqlite3 -lm

bench: tokenledger.so build/bench/runner
	python3 bench/run.py

install: tokenledger.so
	install -d $(DESTDIR)$(LIBDIR)
	install -m 0755 tokenledger.so $(DESTDIR)$(LIBDIR)/tokenledger.so

uninstall:
	rm -f $(DESTDIR)$(LIBDIR)/tokenledger.so

clean:
	rm -rf build tokenledger.so

# tests/host/: C programs that load the built extension into libsqlite3 (threads on one
# connection, a failing allocator); placed beside the unit tests, which run.py runs.
build/unit/test_pricing_host: tests/host/test_pricing_host.c tests/host/report.h Makefile
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -DTL_EXTENSION='"./tokenledger"' -o $@ $< -lsqlite3 -lpthread

build/unit-asan/test_pricing_host: tests/host/test_pricing_host.c tests/host/report.h Makefile
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(ASAN_FLAGS) -DTL_EXTENSION='"build/asan/tokenledger"' -o $@ $< -lsqlite3 -lpthread

build/unit/test_costing_host: tests/host/test_costing_host.c tests/host/report.h Makefile
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -DTL_EXTENSION='"./tokenledger"' -o $@ $< -lsqlite3 -lpthread

build/unit-asan/test_costing_host: tests/host/test_costing_host.c tests/host/report.h Makefile
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(ASAN_FLAGS) -DTL_EXTENSION='"build/asan/tokenledger"' -o $@ $< -lsqlite3 -lpthread

build/unit/test_register_host: tests/host/test_register_host.c tests/host/report.h Makefile
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -DTL_EXTENSION='"./tokenledger"' -o $@ $< -lsqlite3

build/unit-asan/test_register_host: tests/host/test_register_host.c tests/host/report.h Makefile
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(ASAN_FLAGS) -DTL_EXTENSION='"build/asan/tokenledger"' -o $@ $< -lsqlite3
