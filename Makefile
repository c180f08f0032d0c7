# mod_linkshare: build with apxs, test with C unit tests and Apache::Test.
#   make            build .libs/mod_linkshare.so
#   make test       install what is missing, build, run every suite
#   make demo       start a private demo httpd on 127.0.0.1 (make demo-stop)

APXS      ?= apxs
PKGS      := jansson openssl libzip zlib libesmtp-1.0 libpq
WARN      := -Wall -Wextra -Wshadow -Wmissing-prototypes -Wformat-security -Wvla
ifeq ($(CI),true)
WERROR    := -Werror
endif
APR_CFLAGS := $(shell apr-1-config --cflags --cppflags --includes 2>/dev/null) \
              $(shell apu-1-config --includes 2>/dev/null)
APR_LIBS   := $(shell apu-1-config --link-ld 2>/dev/null) \
              $(shell apr-1-config --link-ld 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)

# The tiers (docs/INTERNALS.md): src/core/ needs APR and the libraries
# only and is built once into build/libls_core.a, which the module, the
# unit tests and tools/ link; src/httpd/ is the glue apxs compiles with the
# entry file. The core is compiled without httpd's include path, so a core
# unit that includes an httpd header does not build (make check-layering
# says so in words).
ASSETS     := $(wildcard assets/*.js assets/*.css)
CORE_SRCS  := $(wildcard src/core/*.c)
# The page assets, embedded as C strings, are core data: views use them.
CORE_GEN   := build/ls_assets.c
CORE_OBJS  := $(CORE_SRCS:src/core/%.c=build/core/%.o) build/core/ls_assets.o
CORE_LIB   := build/libls_core.a
CORE_FLAGS := -g -O2 -fPIC -fstack-protector-strong -D_FORTIFY_SOURCE=2
SRCS       := mod_linkshare.c $(wildcard src/httpd/*.c)
HDRS       := $(wildcard include/*.h)
UNIT_SRCS := $(wildcard t/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:t/unit/%.c=build/unit/%)
# linkshare-render, the third tier: a standalone program the workers run
# per file to make thumbnails and web renditions (libvips, FFmpeg); it
# includes no httpd header and links nothing of the module.
RENDER_SRCS := $(wildcard src/render/*.c)
RENDER_HDRS := $(wildcard src/render/*.h)
RENDER_PKGS := vips libavformat libavcodec libavutil libswscale

.PHONY: all deps test unit integration format format-check demo demo-stop \
        bench bench-queue bench-browser bench-listing bench-renditions clean check-layering check-log-tags \
        check-directives render-test

all: .libs/mod_linkshare.so build/linkshare-render .libs/linkshare-render \
     build/linkshare-admin

# The admin command (tools/linkshare_admin.c) on the core library.
build/linkshare-admin: tools/linkshare_admin.c $(CORE_LIB) $(HDRS) Makefile
	@mkdir -p build
	$(CC) -g -O2 -fstack-protector-strong -D_FORTIFY_SOURCE=2 $(WARN) \
	  $(WERROR) -I include $(APR_CFLAGS) $(PKG_CFLAGS) -o $@ \
	  tools/linkshare_admin.c $(CORE_LIB) $(APR_LIBS) $(PKG_LIBS)

# make install: the module with apxs (and its LoadModule line left to the
# admin), linkshare-render beside the modules, linkshare-admin in sbin and
# its man page. DESTDIR and PREFIX as usual.
PREFIX ?= /usr/local
.PHONY: install
install: all
	install -d "$(DESTDIR)$$($(APXS) -q LIBEXECDIR)"
	$(APXS) -i -n linkshare $(if $(DESTDIR),-S LIBEXECDIR=$(DESTDIR)$$($(APXS) -q LIBEXECDIR)) .libs/mod_linkshare.so
	install -D -m 755 .libs/linkshare-render "$(DESTDIR)$$($(APXS) -q LIBEXECDIR)/linkshare-render"
	install -D -m 755 build/linkshare-admin "$(DESTDIR)$(PREFIX)/sbin/linkshare-admin"
	install -D -m 644 docs/linkshare-admin.8 "$(DESTDIR)$(PREFIX)/share/man/man8/linkshare-admin.8"

# Next to the module, where LinkShareRenderer's default looks for it.
.libs/linkshare-render: build/linkshare-render .libs/mod_linkshare.so
	cp $< $@

build/core/%.o: src/core/%.c $(HDRS) Makefile
	@mkdir -p build/core
	$(CC) $(CORE_FLAGS) $(WARN) $(WERROR) -I include $(APR_CFLAGS) \
	  $(PKG_CFLAGS) -c -o $@ $<

build/core/ls_assets.o: $(CORE_GEN) include/ls_assets.h Makefile
	@mkdir -p build/core
	$(CC) $(CORE_FLAGS) $(WARN) $(WERROR) -I include -c -o $@ $<

$(CORE_LIB): $(CORE_OBJS)
	@rm -f $@
	ar rcs $@ $(CORE_OBJS)

.libs/mod_linkshare.so: $(SRCS) $(CORE_LIB) $(HDRS) exports.map Makefile
	$(APXS) -c -I include $(filter -I%,$(PKG_CFLAGS)) $(foreach f,$(WARN) $(WERROR),-Wc,$(f)) \
	  -Wl,-Wl,--version-script=$(CURDIR)/exports.map \
	  -o mod_linkshare.la $(SRCS) $(CORE_LIB) $(PKG_LIBS)
	@# Only the module record may be visible to httpd.
	@nm -D --defined-only .libs/mod_linkshare.so | awk '$$2 ~ /[TDB]/ {print $$3}' \
	  | grep -v '^linkshare_module$$' && { echo "unexpected exported symbols"; exit 1; } || true

# The page script, embedded as C strings (scripts/embed-assets.pl).
build/ls_assets.c: $(ASSETS) scripts/embed-assets.pl
	@mkdir -p build
	perl scripts/embed-assets.pl $@ $(ASSETS)

build/unit/%: t/unit/%.c $(CORE_LIB) $(HDRS) t/unit/tap.h
	@mkdir -p build/unit
	$(CC) -g -O1 $(WARN) $(WERROR) -Wno-missing-prototypes -I include \
	  $(APR_CFLAGS) -o $@ $< $(CORE_LIB) $(APR_LIBS) $(PKG_LIBS)

build/linkshare-render: $(RENDER_SRCS) $(RENDER_HDRS) Makefile
	@mkdir -p build
	$(CC) -g -O2 -fstack-protector-strong -D_FORTIFY_SOURCE=2 $(WARN) \
	  $(WERROR) -o $@ $(RENDER_SRCS) \
	  $$(pkg-config --cflags --libs $(RENDER_PKGS)) -lm

# linkshare-render against fixtures generated on the spot (t/render/).
render-test: build/linkshare-render
	bash t/render/test_render.sh build/linkshare-render

# conf/linkshare.conf documents every directive with the default the
# module's help text states.
check-directives:
	@perl scripts/check-directives.pl

# Every log tag names one message and is listed in docs/log-tags.md
# (perl scripts/log-tags.pl --write rewrites it from the code).
check-log-tags:
	@perl scripts/log-tags.pl --check

# A core unit includes no httpd header and never logs: the glue decides
# the status and the log line. (Compiling build/core/ without httpd's
# include path enforces the first; this names the file.)
check-layering: $(CORE_LIB)
	@bad=$$(grep -lE '#include *[<"](httpd|http_[a-z_]+|ap_[a-z_]+|util_[a-z_]+|mod_[a-z_]+|mpm_common)\.h[>"]' \
	    $(CORE_SRCS) $$(sed -n 's/^#include "\(ls_[a-z_]*\.h\)"/include\/\1/p' $(CORE_SRCS) | sort -u)); \
	  [ -z "$$bad" ] || { echo "check-layering: httpd headers in the core tier: $$bad"; exit 1; }; \
	  bad=$$(grep -lE '\bap_log_[a-z]*error\b|\bap_rprintf\b|request_rec' $(CORE_SRCS)); \
	  [ -z "$$bad" ] || { echo "check-layering: httpd calls in the core tier: $$bad"; exit 1; }; \
	  echo "check-layering: ok ($(words $(CORE_SRCS)) core units, $(words $(wildcard src/httpd/*.c)) glue units)"

deps:
	@bash scripts/install-deps.sh

unit: $(UNIT_BINS)
	bash scripts/unit-tests.sh $(UNIT_BINS)

integration: all
	bash scripts/integration-tests.sh

# Headless Chromium (Debian's) against the test server: t/browser/*.test.mjs;
# screenshots in build/browser/. Needs `make deps` once (chromium, npm ci).
.PHONY: browser
browser: all
	bash scripts/browser-tests.sh

test: deps
	$(MAKE) all
	$(MAKE) format-check
	$(MAKE) check-layering
	$(MAKE) check-log-tags
	$(MAKE) check-directives
	$(MAKE) unit
	$(MAKE) render-test
	$(MAKE) fuzz-replay
	$(MAKE) integration
	$(MAKE) browser

format:
	clang-format -i mod_linkshare.c src/core/*.c src/httpd/*.c include/*.h t/unit/*.c t/unit/*.h \
	  fuzz/*.c tools/*.c src/render/*.c src/render/*.h

format-check:
	@clang-format --dry-run --Werror mod_linkshare.c src/core/*.c \
	  src/httpd/*.c include/*.h \
	  t/unit/*.c t/unit/*.h fuzz/*.c tools/*.c \
	  src/render/*.c src/render/*.h && echo "format-check: ok"

demo: deps
	$(MAKE) all
	bash scripts/demo.sh start

demo-stop:
	bash scripts/demo.sh stop

bench: deps
	$(MAKE) all
	bash bench/run.sh

bench-queue: deps
	$(MAKE) all
	bash bench/queue.sh

# Queue Download (2 small files) to the browser's download starting, in
# headless Chromium: progress pushed (op=events) against 1 s polling.
bench-browser: deps
	$(MAKE) all
	bash bench/browser.sh

# A folder of 5,000 files: the Link Share page against mod_autoindex.
bench-listing: deps
	$(MAKE) all
	bash bench/listing.sh

# 1,000,000 shares in a throw-away PostgreSQL, no share cache: 2,000
# random links against the static file (bench/RESULTS-scale.md).
.PHONY: bench-scale
bench-scale: deps
	$(MAKE) all
	bash bench/scale.sh
# Wake-ups across nodes: downloads and mails queued on a node whose
# workers are held, claimed by another node's idle worker (t/095 with
# timed samples; bench/RESULTS-nodes.md). LINKSHARE_NODES_BASELINE=a
# module whose listener does not wake the workers adds the poll-only rows.
.PHONY: bench-nodes
bench-nodes: deps
	$(MAKE) all
	bash bench/nodes.sh
# Thumbnails of 200 camera JPEGs and 20 PDFs by the workers, against
# vipsthumbnail and ImageMagick on the same files (~5 minutes).
bench-renditions: deps
	$(MAKE) all
	bash bench/renditions.sh

clean:
	rm -rf .libs *.la *.lo *.slo *.o src/*/*.lo src/*/*.slo src/*/*.o \
	  src/*/.libs build t/logs t/conf/*.conf t/conf/apache_test_config.pm \
	  t/htdocs/index.html

# ---------------------------------------------------------------------------
# Fuzzing and sanitizers. Every parser of untrusted input in the pure units
# has a libFuzzer target in fuzz/ with a small committed seed corpus in
# fuzz/corpus/<name>/ (and optionally a dictionary fuzz/<name>.dict).
#   make fuzz          build the fuzzers, run each for FUZZ_TIME seconds;
#                      new inputs go to build/fuzz/corpus/<name>/, crashes
#                      to fuzz/crashes/<name>-crash-* (never to the corpus)
#   make fuzz-replay   build them and run each committed input once (fast;
#                      part of make test)
#   make asan-unit     the unit tests built with gcc -fsanitize=address,undefined
# Pools are created and destroyed per input, so LeakSanitizer stays on and
# reports real leaks (a json_t never released, say).

FUZZ_CC    ?= clang
FUZZ_TIME  ?= 30
FUZZ_FLAGS := -g -O1 -fsanitize=fuzzer,address,undefined \
              -fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_SRCS  := $(wildcard fuzz/fuzz_*.c)
FUZZ_BINS  := $(FUZZ_SRCS:fuzz/%.c=build/fuzz/%)
FUZZ_ENV   := ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1
SAN_CC     ?= gcc
SAN_FLAGS  := -g -O1 -fsanitize=address,undefined \
              -fno-sanitize-recover=undefined -fno-omit-frame-pointer
ASAN_BINS  := $(UNIT_SRCS:t/unit/%.c=build/asan/%)

.PHONY: fuzz fuzz-replay asan-unit

# Instrumented builds compile the core's sources themselves (coverage and
# sanitizers must see them), not build/libls_core.a.
build/fuzz/%: fuzz/%.c $(CORE_SRCS) $(CORE_GEN) $(HDRS) Makefile
	@mkdir -p build/fuzz
	$(FUZZ_CC) $(FUZZ_FLAGS) $(WARN) $(WERROR) -I include $(APR_CFLAGS) \
	  -o $@ $< $(CORE_SRCS) $(CORE_GEN) $(APR_LIBS) $(PKG_LIBS)

fuzz: $(FUZZ_BINS)
	@mkdir -p fuzz/crashes
	@for f in $(FUZZ_BINS); do \
	  n=$${f#build/fuzz/fuzz_}; mkdir -p build/fuzz/corpus/$$n; \
	  dict=; [ -f fuzz/$$n.dict ] && dict=-dict=fuzz/$$n.dict; \
	  echo "fuzz: $$n for $(FUZZ_TIME) s"; \
	  $(FUZZ_ENV) ./$$f -max_total_time=$(FUZZ_TIME) -timeout=10 \
	    -print_final_stats=1 -artifact_prefix=fuzz/crashes/$$n- $$dict \
	    build/fuzz/corpus/$$n fuzz/corpus/$$n || exit 1; \
	done

fuzz-replay: $(FUZZ_BINS)
	@for f in $(FUZZ_BINS); do \
	  n=$${f#build/fuzz/fuzz_}; \
	  $(FUZZ_ENV) ./$$f -runs=0 -timeout=10 fuzz/corpus/$$n 2>build/fuzz/$$n.log \
	    || { cat build/fuzz/$$n.log; echo "fuzz-replay: $$n FAILED"; exit 1; }; \
	  echo "fuzz-replay: $$n ok ($$(ls fuzz/corpus/$$n | wc -l) inputs)"; \
	done

build/asan/%: t/unit/%.c $(CORE_SRCS) $(CORE_GEN) $(HDRS) t/unit/tap.h
	@mkdir -p build/asan
	$(SAN_CC) $(SAN_FLAGS) $(WARN) $(WERROR) -Wno-missing-prototypes \
	  -I include $(APR_CFLAGS) -o $@ $< $(CORE_SRCS) $(CORE_GEN) $(APR_LIBS) $(PKG_LIBS)

asan-unit: $(ASAN_BINS)
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  bash scripts/unit-tests.sh $(ASAN_BINS)

# ---------------------------------------------------------------------------
# The Apache::Test suite against an ASan+UBSan build of the module.
#   make asan-integration   build build/asan/mod_linkshare.so from the sources
#                           of .libs/mod_linkshare.so with gcc
#                           -fsanitize=address,undefined, run every store
#                           (scripts/asan-integration.sh) with httpd under the
#                           ASan runtime; fails on any report, and prints it
# UBSan recovers here, so one run collects every report. Leak checking is
# off: httpd's children exit without destroying their pools.
# -static-libubsan: with a shared libubsan, the preloaded libasan takes over
# its exported __sanitizer_set_report_path, so UBSan reports went to stderr
# and ASan's to ubsan.<pid>; linked in (and hidden by exports.map) each
# runtime keeps its own log_path.

ASAN_MOD       := build/asan/mod_linkshare.so
ASAN_MOD_FLAGS := -g -O1 -fPIC -fsanitize=address,undefined \
                  -fno-omit-frame-pointer -static-libubsan
HTTPD_INCLUDES := -I$(shell $(APXS) -q INCLUDEDIR 2>/dev/null)

.PHONY: asan-integration

# The file name stays mod_linkshare.so: Apache::Test names modules by file.
$(ASAN_MOD): $(SRCS) $(CORE_SRCS) $(CORE_GEN) $(HDRS) exports.map Makefile
	@mkdir -p build/asan
	$(SAN_CC) $(ASAN_MOD_FLAGS) $(WARN) $(WERROR) -I include \
	  $(HTTPD_INCLUDES) $(APR_CFLAGS) -shared \
	  -Wl,--version-script=$(CURDIR)/exports.map -o $@ $(SRCS) \
	  $(CORE_SRCS) $(CORE_GEN) $(PKG_LIBS)

asan-integration: $(ASAN_MOD)
	SAN_CC=$(SAN_CC) APXS=$(APXS) bash scripts/asan-integration.sh $(ASAN_MOD)

# ---------------------------------------------------------------------------
# Packaging tools (ls_zip).
#   build/ls-zip    packages a directory with ls_zip_plan + ls_zip_write, as
#                   a worker does (tools/ls_zip_cli.c; ls-zip -h for flags)
#   make bench-zip  bench/zip.sh: ls-zip against Info-ZIP zip on the same
#                   generated files (media, text), peak RSS on a multi-GB
#                   selection; writes bench/RESULTS-zip.md

.PHONY: bench-zip

build/ls-zip: tools/ls_zip_cli.c $(CORE_LIB) $(HDRS)
	@mkdir -p build
	$(CC) -O2 $(WARN) $(WERROR) -I include $(APR_CFLAGS) -o $@ \
	  tools/ls_zip_cli.c $(CORE_LIB) $(APR_LIBS) $(PKG_LIBS)

bench-zip: build/ls-zip
	bash bench/zip.sh
