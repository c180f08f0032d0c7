/* Unit tests for ls_zip: part plans, and archives checked three ways:
 * `unzip -t`, extracting with unzip and comparing bytes and mtimes, and
 * reading them back with libzip (methods, sizes, CRCs). Runs in ~15 s;
 * the ZIP64 cases need a filesystem with sparse files, the full-disk case
 * root (a tmpfs in a private mount namespace) and is skipped otherwise. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <apr_general.h>
#include <apr_strings.h>
#include <openssl/evp.h>
#include <zip.h>
#include <zlib.h>

#include "ls_zip.h"
#include "tap.h"

static apr_pool_t *pool;
static char root[64] = "/tmp/ls_zip_XXXXXX";
static char xroot[64] = "/dev/shm/ls_zip_XXXXXX"; /* where unzip extracts */
static const apr_time_t T0 = APR_TIME_C(1700000001) * APR_USEC_PER_SEC;

/* ---- files ------------------------------------------------------------ */

static const char *at(const char *rel)
{
    return apr_pstrcat(pool, root, "/", rel, NULL);
}

static void mkdirs(const char *abs)
{
    char *p = apr_pstrdup(pool, abs), *s;

    for (s = p + 1; *s; s++) {
        if (*s == '/') {
            *s = '\0';
            mkdir(p, 0755);
            *s = '/';
        }
    }
    mkdir(p, 0755);
}

/* Writes rel (parents made) and gives it mtime t (seconds are odd on
 * purpose: DOS times have 2-second steps, the UT field has seconds). */
static void put(const char *rel, const void *data, size_t len, apr_time_t t)
{
    const char *abs = at(rel);
    char *dir = apr_pstrdup(pool, abs);
    struct timeval tv[2];
    FILE *f;

    *strrchr(dir, '/') = '\0';
    mkdirs(dir);
    f = fopen(abs, "wb");
    if (len) {
        fwrite(data, 1, len, f);
    }
    fclose(f);
    tv[0].tv_sec = tv[1].tv_sec = apr_time_sec(t);
    tv[0].tv_usec = tv[1].tv_usec = 0;
    utimes(abs, tv);
}

static unsigned char *noise(size_t len, unsigned seed)
{
    unsigned char *b = apr_palloc(pool, len + 1);
    size_t i;

    for (i = 0; i < len; i++) {
        seed = seed * 1103515245u + 12345u;
        b[i] = (unsigned char)(seed >> 16);
    }
    return b;
}

/* Text that deflates about 3x, with repeats further apart than 32 KiB
 * too (so priming each block with the one before matters). */
static char *text(size_t len, unsigned seed)
{
    static const char *words[] = {
        "share",   "link",      "asset",  "folder", "café",  "download", "part",
        "archive", "recipient", "expiry", "inbox",  "queue", "worker"};
    char *b = apr_palloc(pool, len + 1);
    size_t i = 0;

    while (i < len) {
        const char *w;

        seed = seed * 1103515245u + 12345u;
        w = words[(seed >> 16) % (sizeof(words) / sizeof(*words))];
        while (*w && i < len) {
            b[i++] = *w++;
        }
        if (i < len) {
            b[i++] = (seed >> 8) % 11 ? ' ' : '\n';
        }
    }
    b[len] = '\0';
    return b;
}

static unsigned char *slurp(const char *abs, size_t *len)
{
    struct stat st;
    unsigned char *b;
    FILE *f = fopen(abs, "rb");

    if (f == NULL || fstat(fileno(f), &st) != 0) {
        if (f) {
            fclose(f);
        }
        return NULL;
    }
    b = apr_palloc(pool, (apr_size_t)st.st_size + 1);
    *len = fread(b, 1, (size_t)st.st_size, f);
    fclose(f);
    return b;
}

/* Entries in a directory, not counting . and .. (-1: no directory). */
static int count_dir(const char *abs)
{
    DIR *d = opendir(abs);
    struct dirent *de;
    int n = 0;

    if (d == NULL) {
        return -1;
    }
    while ((de = readdir(d)) != NULL) {
        n += strcmp(de->d_name, ".") && strcmp(de->d_name, "..");
    }
    closedir(d);
    return n;
}

static int sh(const char *fmt, ...)
{
    va_list ap;
    const char *cmd;
    int rc;

    va_start(ap, fmt);
    cmd = apr_pvsprintf(pool, fmt, ap);
    va_end(ap);
    rc = system(cmd);
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

static void sha256_file(const char *abs, char *out)
{
    static const char hex[] = "0123456789abcdef";
    unsigned char md[EVP_MAX_MD_SIZE], buf[65536];
    unsigned int n = 0, i;
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    FILE *f = fopen(abs, "rb");
    size_t k;

    EVP_DigestInit_ex(c, EVP_sha256(), NULL);
    while (f && (k = fread(buf, 1, sizeof(buf), f)) > 0) {
        EVP_DigestUpdate(c, buf, k);
    }
    if (f) {
        fclose(f);
    }
    EVP_DigestFinal_ex(c, md, &n);
    EVP_MD_CTX_free(c);
    for (i = 0; i < n; i++) {
        out[2 * i] = hex[md[i] >> 4];
        out[2 * i + 1] = hex[md[i] & 15];
    }
    out[2 * n] = '\0';
}

/* ---- entries ---------------------------------------------------------- */

static void add_file(apr_array_header_t *a, const char *rel, const char *name,
                     int compressed)
{
    ls_zip_entry_t *e = apr_array_push(a);
    struct stat st;

    stat(at(rel), &st);
    e->src = at(rel);
    e->name = name;
    e->size = st.st_size;
    e->mtime = apr_time_from_sec(st.st_mtime);
    e->compressed = compressed;
}

static void add_dir(apr_array_header_t *a, const char *name, apr_time_t t)
{
    ls_zip_entry_t *e = apr_array_push(a);

    memset(e, 0, sizeof(*e));
    e->name = name;
    e->mtime = t;
}

static ls_zip_part_t whole(const apr_array_header_t *a)
{
    ls_zip_part_t part = {1, 0, a->nelts, 0};
    int i;

    for (i = 0; i < a->nelts; i++) {
        part.bytes += APR_ARRAY_IDX(a, i, ls_zip_entry_t).size;
    }
    return part;
}

/* ---- checking an archive ---------------------------------------------- */

static int expected_method(const ls_zip_entry_t *e, ls_zip_mode_t mode)
{
    if (e->src == NULL || e->size == 0 || mode == LS_ZIP_STORE
        || (mode == LS_ZIP_AUTO && e->compressed)) {
        return ZIP_CM_STORE;
    }
    return ZIP_CM_DEFLATE;
}

/* The libzip view: names, order, methods, sizes, consistency of local and
 * central headers (ZIP_CHECKCONS). */
static int check_libzip(const char *zip, const apr_array_header_t *a,
                        const ls_zip_part_t *part, ls_zip_mode_t mode)
{
    int zerr = 0, k, good = 1;
    zip_t *za = zip_open(zip, ZIP_RDONLY | ZIP_CHECKCONS, &zerr);

    if (za == NULL) {
        printf("# libzip cannot open %s: error %d\n", zip, zerr);
        return 0;
    }
    if (zip_get_num_entries(za, 0) != part->count) {
        printf("# %lld entries, expected %d\n",
               (long long)zip_get_num_entries(za, 0), part->count);
        good = 0;
    }
    for (k = 0; good && k < part->count; k++) {
        const ls_zip_entry_t *e = &APR_ARRAY_IDX(a, part->first + k,
                                                 ls_zip_entry_t);
        zip_stat_t st;

        if (zip_stat_index(za, (zip_uint64_t)k, 0, &st) != 0
            || strcmp(st.name, e->name) != 0
            || st.comp_method != expected_method(e, mode)
            || st.size != (zip_uint64_t)(e->src ? e->size : 0)) {
            printf("# entry %d (%s) differs: name %s method %d size %llu\n", k,
                   e->name, st.name, st.comp_method,
                   (unsigned long long)st.size);
            good = 0;
        }
    }
    zip_discard(za);
    return good;
}

/* unzip -t, then extraction and a byte and mtime comparison of each
 * entry with its source. With only set, unzip looks at that one entry
 * alone (a plain name), not the whole archive. */
static int check_unzip(const char *zip, const apr_array_header_t *a,
                       const ls_zip_part_t *part, const char *only)
{
    static int run;
    /* Extracted in memory where possible: 65,537 files on disk are slow. */
    const char *dir = apr_psprintf(pool, "%s/x%d", xroot, ++run);
    const char *which = only ? apr_psprintf(pool, " '%s'", only) : "";
    int k, good = 1;

    if (sh("unzip -tqq '%s'%s", zip, which) != 0) {
        printf("# unzip -t failed on %s\n", zip);
        return 0;
    }
    if (sh("unzip -qq -o '%s'%s -d '%s'", zip, which, dir) != 0) {
        printf("# unzip failed on %s\n", zip);
        return 0;
    }
    for (k = 0; good && k < part->count; k++) {
        const ls_zip_entry_t *e = &APR_ARRAY_IDX(a, part->first + k,
                                                 ls_zip_entry_t);
        const char *out = apr_pstrcat(pool, dir, "/", e->name, NULL);
        struct stat st;

        if (stat(out, &st) != 0) {
            printf("# %s not extracted\n", e->name);
            good = 0;
        }
        else if (e->src == NULL) {
            good = S_ISDIR(st.st_mode);
        }
        else {
            size_t la = 0, lb = 0;
            unsigned char *x = slurp(out, &la), *y = slurp(e->src, &lb);

            if (!x || !y || la != lb || memcmp(x, y, la) != 0) {
                printf("# %s: extracted bytes differ\n", e->name);
                good = 0;
            }
            else if (st.st_mtime != apr_time_sec(e->mtime)) {
                printf("# %s: mtime %ld, expected %ld\n", e->name,
                       (long)st.st_mtime, (long)apr_time_sec(e->mtime));
                good = 0;
            }
        }
    }
    sh("rm -rf '%s'", dir);
    return good;
}

typedef struct {
    int calls, files, monotonic, cancel_at_files;
    apr_off_t bytes, max_gap, cancel_at_bytes;
} watch_t;

static int watch(void *baton, int files, apr_off_t bytes)
{
    watch_t *w = baton;

    if (files < w->files || bytes < w->bytes) {
        w->monotonic = 0;
    }
    if (bytes - w->bytes > w->max_gap) {
        w->max_gap = bytes - w->bytes;
    }
    w->calls++;
    w->files = files;
    w->bytes = bytes;
    return (w->cancel_at_bytes && bytes >= w->cancel_at_bytes)
           || (w->cancel_at_files && files >= w->cancel_at_files);
}

typedef struct {
    apr_status_t rv;
    const char *err;
    char sha[65];
    apr_off_t size;
} result_t;

static result_t write_part(const apr_array_header_t *a,
                           const ls_zip_part_t *part, ls_zip_mode_t mode,
                           const char *out, watch_t *w)
{
    result_t r;

    memset(&r, 0, sizeof(r));
    r.rv = ls_zip_write(pool, a, part, mode, 0, out, w ? watch : NULL, w, r.sha,
                        &r.size, &r.err);
    if (r.rv != APR_SUCCESS) {
        printf("# ls_zip_write: %d %s\n", r.rv, r.err ? r.err : "(null)");
    }
    return r;
}

/* Success, the reported digest and size are the file's, and all checks. */
static int check_all(const result_t *r, const char *zip,
                     const apr_array_header_t *a, const ls_zip_part_t *part,
                     ls_zip_mode_t mode)
{
    char sha[65];
    struct stat st;

    if (r->rv != APR_SUCCESS || stat(zip, &st) != 0) {
        return 0;
    }
    sha256_file(zip, sha);
    if (strcmp(sha, r->sha) != 0 || st.st_size != r->size) {
        printf("# digest or size reported wrong\n");
        return 0;
    }
    return check_libzip(zip, a, part, mode) && check_unzip(zip, a, part, NULL);
}

/* ---- the cases -------------------------------------------------------- */

static void test_plan(void)
{
    apr_array_header_t *a = apr_array_make(pool, 8, sizeof(ls_zip_entry_t));
    apr_array_header_t *parts;
    apr_off_t sizes[] = {100, 100, 5000, 100, 100, 0};
    const ls_zip_part_t *pp;
    int i;

    parts = ls_zip_plan(pool, a, 1000);
    ok(parts->nelts == 0, "plan: no entries, no parts");
    add_dir(a, "d/", T0);
    for (i = 0; i < 6; i++) {
        ls_zip_entry_t *e = apr_array_push(a);

        memset(e, 0, sizeof(*e));
        e->src = "/nonexistent";
        e->name = apr_psprintf(pool, "d/f%d", i);
        e->size = sizes[i];
    }
    parts = ls_zip_plan(pool, a, 0);
    pp = (const ls_zip_part_t *)parts->elts;
    ok(parts->nelts == 1 && pp[0].n == 1 && pp[0].first == 0 && pp[0].count == 7
           && pp[0].bytes == 5400,
       "plan: part size 0 is one part of everything");
    /* Each file here counts its size + 142 + 2 * 4 for its name + 128 +
     * size / 2048 for deflate's growth, folders 142 + 2 * 2, the archive
     * 98: two small files fit in 1200 with the folder, the big one goes
     * alone, the rest share one. */
    parts = ls_zip_plan(pool, a, 1200);
    pp = (const ls_zip_part_t *)parts->elts;
    ok(parts->nelts == 3, "plan: three parts (got %d)", parts->nelts);
    ok(parts->nelts == 3 && pp[0].first == 0 && pp[0].count == 3
           && pp[0].bytes == 200 && pp[1].first == 3 && pp[1].count == 1
           && pp[1].bytes == 5000 && pp[2].first == 4 && pp[2].count == 3
           && pp[2].bytes == 200 && pp[2].n == 3,
       "plan: a file bigger than the part size gets a part of its own");
    parts = ls_zip_plan(pool, a, 1);
    ok(parts->nelts == 7, "plan: a tiny part size gives one entry a part");
    parts = ls_zip_plan(pool, a, 98 + 146 + 100 + 150 + 128);
    ok(parts->nelts >= 2 && ((const ls_zip_part_t *)parts->elts)[0].count == 2,
       "plan: a part exactly full is not exceeded");
}

/* Nested folders with odd names, an empty folder, an empty file, media and
 * text; auto mode; progress watched. */
static void test_odd_names(void)
{
    apr_array_header_t *a = apr_array_make(pool, 16, sizeof(ls_zip_entry_t));
    ls_zip_part_t part;
    watch_t w = {0, 0, 1, 0, 0, 0, 0};
    const char *zip = at("out/odd.zip");
    result_t r;

    put("src/Caf\xc3\xa9 d\xc3\xa9j\xc3\xa0/na\xc3\xafve \"quoted\" 'x'/a b.txt",
        text(70000, 1), 70000, T0 + 2 * APR_USEC_PER_SEC);
    put("src/\xe6\x97\xa5\xe6\x9c\xac/\xe3\x83\x95.md", text(3 << 20, 2),
        3 << 20, T0);
    put("src/media/photo.jpg", noise(300000, 3), 300000, T0 + 4000000);
    put("src/media/empty.txt", "", 0, T0);
    add_dir(a, "Caf\xc3\xa9 d\xc3\xa9j\xc3\xa0/", T0);
    add_dir(a, "Caf\xc3\xa9 d\xc3\xa9j\xc3\xa0/na\xc3\xafve \"quoted\" 'x'/",
            T0);
    add_file(
        a,
        "src/Caf\xc3\xa9 d\xc3\xa9j\xc3\xa0/na\xc3\xafve \"quoted\" "
        "'x'/a b.txt",
        "Caf\xc3\xa9 d\xc3\xa9j\xc3\xa0/na\xc3\xafve \"quoted\" 'x'/a b.txt",
        0);
    add_dir(a, "empty folder/", T0);
    add_dir(a, "\xe6\x97\xa5\xe6\x9c\xac/", T0);
    add_file(a, "src/\xe6\x97\xa5\xe6\x9c\xac/\xe3\x83\x95.md",
             "\xe6\x97\xa5\xe6\x9c\xac/\xe3\x83\x95.md", 0);
    add_file(a, "src/media/photo.jpg", "media/photo.jpg", 1);
    add_file(a, "src/media/empty.txt", "media/empty.txt", 0);
    part = whole(a);
    r = write_part(a, &part, LS_ZIP_AUTO, zip, &w);
    ok(check_all(&r, zip, a, &part, LS_ZIP_AUTO),
       "odd names: valid, extracted bytes and mtimes equal, media stored, "
       "text deflated, empty folder kept");
    ok(r.size < part.bytes / 2, "odd names: text was compressed (%ld bytes)",
       (long)r.size);
    ok(w.monotonic && w.files == part.count && w.bytes == part.bytes,
       "progress: monotonic, ends at %d entries and %ld bytes", part.count,
       (long)part.bytes);
    ok(w.calls >= part.count && w.max_gap <= (apr_off_t)2 << 20,
       "progress: per entry and at least every 2 MiB (%d calls, largest gap "
       "%ld)",
       w.calls, (long)w.max_gap);
    ok(count_dir(at("out")) == 1, "nothing else left in the output folder");
}

static void test_parts(void)
{
    apr_array_header_t *a = apr_array_make(pool, 16, sizeof(ls_zip_entry_t));
    apr_array_header_t *parts;
    const apr_off_t limit = 12000;
    int i, good = 1, next = 0;

    add_dir(a, "p/", T0);
    for (i = 0; i < 12; i++) {
        const char *rel = apr_psprintf(pool, "src/parts/f%02d.bin", i);

        put(rel, noise(2000 + 700 * i, 10 + i), 2000 + 700 * i,
            T0 + i * APR_USEC_PER_SEC);
        add_file(a, rel, apr_psprintf(pool, "p/f%02d.bin", i), 0);
    }
    put("src/parts/huge.bin", noise(30000, 99), 30000, T0);
    add_file(a, "src/parts/huge.bin", "p/huge.bin", 0);
    add_dir(a, "p/last/", T0);
    parts = ls_zip_plan(pool, a, limit);
    ok(parts->nelts >= 5, "parts: %d parts planned", parts->nelts);
    for (i = 0; i < parts->nelts; i++) {
        const ls_zip_part_t *part = &APR_ARRAY_IDX(parts, i, ls_zip_part_t);
        apr_off_t first = APR_ARRAY_IDX(a, part->first, ls_zip_entry_t).size;
        int m;

        /* Noise grows when deflated: the plan leaves room for that too. */
        for (m = 0; m < 2; m++) {
            ls_zip_mode_t mode = m ? LS_ZIP_DEFLATE : LS_ZIP_STORE;
            const char *zip = at(apr_psprintf(pool, "out/parts-%s%d.zip",
                                              m ? "d" : "", part->n));
            result_t r = write_part(a, part, mode, zip, NULL);

            if (part->first != next || part->n != i + 1
                || !check_all(&r, zip, a, part, mode)) {
                good = 0;
            }
            /* Only a part holding one file too big for any part may be. */
            if (r.size > limit
                && !(part->count == 1 && first + first / 2048 + 400 > limit)) {
                printf("# part %d is %ld bytes\n", part->n, (long)r.size);
                good = 0;
            }
            if (m) {
                unlink(zip);
            }
        }
        if (first > limit && part->count != 1) {
            good = 0;
        }
        next = part->first + part->count;
    }
    ok(good && next == a->nelts,
       "parts: each a valid archive, in order, none over the part size "
       "stored or deflated, the big file alone");
    ok(count_dir(at("out")) == parts->nelts + 1, "parts: only the parts left");
}

static void test_determinism(const char *tag, int threads)
{
    static apr_array_header_t *a;
    static char first[65];
    ls_zip_part_t part;
    const char *zip = at(apr_psprintf(pool, "out/det-%s.zip", tag));
    result_t r;

    if (a == NULL) {
        a = apr_array_make(pool, 8, sizeof(ls_zip_entry_t));
        put("src/det/big.txt", text(1500000, 7), 1500000, T0);
        put("src/det/clip.mp4", noise(700000, 8), 700000, T0);
        put("src/det/raw.bin", noise(300000, 9), 300000, T0);
        put("src/det/small.csv", "a,b\n1,2\n", 8, T0);
        add_dir(a, "det/", T0);
        add_file(a, "src/det/big.txt", "det/big.txt", 0);
        add_file(a, "src/det/clip.mp4", "det/clip.mp4", 1);
        add_file(a, "src/det/raw.bin", "det/raw.bin", 0);
        add_file(a, "src/det/small.csv", "det/small.csv", 0);
    }
    part = whole(a);
    ls_zip_set_threads(threads);
    r = write_part(a, &part, LS_ZIP_AUTO, zip, NULL);
    ls_zip_set_threads(-1);
    if (first[0] == '\0') {
        ok(check_all(&r, zip, a, &part, LS_ZIP_AUTO),
           "determinism: the reference archive is valid");
        strcpy(first, r.sha);
        return;
    }
    ok(r.rv == APR_SUCCESS && strcmp(r.sha, first) == 0,
       "determinism: same bytes %s", tag);
    unlink(zip);
}

static void test_cancel(ls_zip_mode_t mode, const char *what)
{
    apr_array_header_t *a = apr_array_make(pool, 4, sizeof(ls_zip_entry_t));
    ls_zip_part_t part;
    watch_t w = {0, 0, 1, 0, 0, 0, 1 << 20};
    const char *dir = at(apr_psprintf(pool, "cancel-%d", mode));
    result_t r;

    put("src/cancel/a.txt", text(4 << 20, 5), 4 << 20, T0);
    put("src/cancel/b.txt", text(100000, 6), 100000, T0);
    add_file(a, "src/cancel/a.txt", "a.txt", 0);
    add_file(a, "src/cancel/b.txt", "b.txt", 0);
    part = whole(a);
    mkdirs(dir);
    r = write_part(a, &part, mode, apr_pstrcat(pool, dir, "/c.zip", NULL), &w);
    ok(r.rv == LS_ZIP_ECANCELED && r.err
           && strcmp(r.err, "Packaging was cancelled.") == 0,
       "cancel %s: LS_ZIP_ECANCELED with a sentence", what);
    ok(count_dir(dir) == 0, "cancel %s: nothing left behind", what);
    ok(w.bytes < part.bytes, "cancel %s: stopped early (%ld of %ld bytes)",
       what, (long)w.bytes, (long)part.bytes);
}

/* A source deleted, or changed in size, between planning and packaging. */
static void test_changed(ls_zip_mode_t mode, const char *what)
{
    apr_array_header_t *a = apr_array_make(pool, 4, sizeof(ls_zip_entry_t));
    ls_zip_part_t part;
    const char *dir = at(apr_psprintf(pool, "changed-%d", mode));
    const char *zip = apr_pstrcat(pool, dir, "/c.zip", NULL);
    result_t r;
    FILE *f;

    put("src/changed/keep.txt", text(600000, 11), 600000, T0);
    put("src/changed/gone.txt", text(400000, 12), 400000, T0);
    add_file(a, "src/changed/keep.txt", "keep.txt", 0);
    add_file(a, "src/changed/gone.txt", "folder/gone.txt", 0);
    part = whole(a);
    mkdirs(dir);

    unlink(at("src/changed/gone.txt"));
    r = write_part(a, &part, mode, zip, NULL);
    ok(r.rv == APR_ENOENT && r.err && strstr(r.err, "\"folder/gone.txt\"")
           && !strstr(r.err, root),
       "vanished %s: APR_ENOENT naming the entry, not the server path (%s)",
       what, r.err ? r.err : "");
    ok(count_dir(dir) == 0, "vanished %s: nothing left behind", what);

    put("src/changed/gone.txt", text(400001, 12), 400001, T0);
    r = write_part(a, &part, mode, zip, NULL);
    ok(r.rv == APR_EMISMATCH && r.err && strstr(r.err, "folder/gone.txt"),
       "grown %s: APR_EMISMATCH naming the entry", what);
    ok(count_dir(dir) == 0, "grown %s: nothing left behind", what);

    f = fopen(at("src/changed/keep.txt"), "r+");
    if (ftruncate(fileno(f), 1000) != 0) {
        printf("# cannot shrink keep.txt\n");
    }
    fclose(f);
    r = write_part(a, &part, mode, zip, NULL);
    ok(r.rv == APR_EMISMATCH && r.err && strstr(r.err, "keep.txt"),
       "shrunk %s: APR_EMISMATCH naming the entry", what);
    ok(count_dir(dir) == 0, "shrunk %s: nothing left behind", what);
}

static void test_bad_input(void)
{
    static const char *bad[] = {"../x.txt",    "/etc/x.txt",   "a//b.txt",
                                "a/./b.txt",   "a\\..\\b.txt", "a\nb.txt",
                                "bad\xff.txt", "dir/"};
    apr_array_header_t *a;
    ls_zip_part_t part = {1, 0, 0, 0};
    const char *dir = at("bad");
    result_t r;
    size_t i;
    int good = 1;

    put("src/bad/x.txt", "x", 1, T0);
    mkdirs(dir);
    for (i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
        a = apr_array_make(pool, 2, sizeof(ls_zip_entry_t));
        add_file(a, "src/bad/x.txt", "fine.txt", 0);
        add_file(a, "src/bad/x.txt", bad[i], 0);
        part = whole(a);
        r = write_part(a, &part, LS_ZIP_AUTO,
                       apr_pstrcat(pool, dir, "/b.zip", NULL), NULL);
        if (r.rv != APR_EINVAL || r.err == NULL) {
            printf("# name %zu accepted\n", i);
            good = 0;
        }
    }
    ok(good, "bad names refused with APR_EINVAL and a sentence");
    a = apr_array_make(pool, 2, sizeof(ls_zip_entry_t));
    add_file(a, "src/bad/x.txt", "same.txt", 0);
    add_file(a, "src/bad/x.txt", "same.txt", 0);
    part = whole(a);
    r = write_part(a, &part, LS_ZIP_AUTO,
                   apr_pstrcat(pool, dir, "/b.zip", NULL), NULL);
    ok(r.rv == APR_EINVAL && r.err && strstr(r.err, "twice"),
       "a duplicate name is refused");
    part.count = 0;
    r = write_part(a, &part, LS_ZIP_AUTO,
                   apr_pstrcat(pool, dir, "/b.zip", NULL), NULL);
    ok(r.rv == APR_EINVAL, "an empty part is refused");
    ok(count_dir(dir) == 0, "bad input: nothing written");
}

/* ---- the default level's tuning ----------------------------------------- */

/* Prose from a vocabulary of made-up words with Zipf-like frequencies and
 * numbers here and there: deflate's search depth shows in its size (the
 * few-word text() compresses the same at any depth). */
static char *prose(size_t len, unsigned seed)
{
    static const char *syl[] = {"ka", "to",  "ri",  "en",  "an",  "mo", "sa",
                                "li", "ve",  "dor", "mar", "tin", "ul", "pe",
                                "ro", "gen", "ste", "bu",  "cha", "qu"};
    char *b = apr_palloc(pool, len + 1);
    char vocab[2000][16];
    size_t i = 0;
    int v;

    for (v = 0; v < 2000; v++) {
        int n = 1 + v % 4, k;

        vocab[v][0] = '\0';
        for (k = 0; k < n; k++) {
            seed = seed * 1103515245u + 12345u;
            strcat(vocab[v], syl[(seed >> 16) % 20]);
        }
    }
    while (i < len) {
        const char *w;
        char num[16];
        unsigned r1, r2;

        seed = seed * 1103515245u + 12345u;
        r1 = (seed >> 16) % 2000;
        seed = seed * 1103515245u + 12345u;
        r2 = (seed >> 16) % 2000;
        w = vocab[r1 * r2 / 2000]; /* small indexes far more often */
        if ((seed >> 4) % 23 == 0) {
            snprintf(num, sizeof(num), "%u", (seed >> 8) % 100000);
            w = num;
        }
        while (*w && i < len) {
            b[i++] = *w++;
        }
        if (i < len) {
            b[i++] = (seed >> 8) % 13 ? ' ' : (seed >> 9) % 3 ? '.' : '\n';
        }
    }
    b[len] = '\0';
    return b;
}

/* src deflated by zlib in one stream (Info-ZIP's way), raw: its size. */
static size_t zlib_size(const unsigned char *src, size_t len, int level)
{
    z_stream zs;
    unsigned char *out;
    size_t n = 0;

    memset(&zs, 0, sizeof(zs));
    if (deflateInit2(&zs, level, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY)
        != Z_OK) {
        return 0;
    }
    out = apr_palloc(pool, deflateBound(&zs, len));
    zs.next_in = (unsigned char *)src;
    zs.avail_in = (uInt)len;
    zs.next_out = out;
    zs.avail_out = (uInt)deflateBound(&zs, len);
    if (deflate(&zs, Z_FINISH) == Z_STREAM_END) {
        n = zs.total_out;
    }
    deflateEnd(&zs);
    return n;
}

/* Entry 0's deflated bytes as they are in the archive, inflated by zlib
 * itself (not unzip): 1 if they give back src exactly; *comp their size. */
static int inflates_to(const char *zip, const unsigned char *src, size_t len,
                       zip_uint64_t *comp)
{
    int zerr = 0, good = 0;
    zip_t *za = zip_open(zip, ZIP_RDONLY, &zerr);
    zip_file_t *zf = NULL;
    zip_stat_t st;
    unsigned char *raw, *back;
    z_stream zs;

    *comp = 0;
    if (za == NULL || zip_stat_index(za, 0, 0, &st) != 0
        || (zf = zip_fopen_index(za, 0, ZIP_FL_COMPRESSED)) == NULL) {
        goto out;
    }
    *comp = st.comp_size;
    raw = apr_palloc(pool, (apr_size_t)st.comp_size);
    back = apr_palloc(pool, len + 1);
    if (zip_fread(zf, raw, st.comp_size) != (zip_int64_t)st.comp_size) {
        goto out;
    }
    memset(&zs, 0, sizeof(zs));
    if (inflateInit2(&zs, -MAX_WBITS) != Z_OK) {
        goto out;
    }
    zs.next_in = raw;
    zs.avail_in = (uInt)st.comp_size;
    zs.next_out = back;
    zs.avail_out = (uInt)len + 1;
    good = inflate(&zs, Z_FINISH) == Z_STREAM_END && zs.total_out == len
           && zs.avail_in == 0 && memcmp(back, src, len) == 0
           && st.crc == crc32(0L, src, (uInt)len);
    inflateEnd(&zs);
out:
    if (zf) {
        zip_fclose(zf);
    }
    if (za) {
        zip_discard(za);
    }
    return good;
}

/* Writes prose.txt (entry 0 of a) at level; its deflated size, 0 if the
 * write failed or zlib does not inflate it back to src. */
static zip_uint64_t deflated_at(const apr_array_header_t *a,
                                const unsigned char *src, size_t len, int level)
{
    ls_zip_part_t part = whole(a);
    const char *zip = at(apr_psprintf(pool, "out/level%d.zip", level));
    zip_uint64_t comp = 0;
    result_t r;

    memset(&r, 0, sizeof(r));
    r.rv = ls_zip_write(pool, a, &part, LS_ZIP_DEFLATE, level, zip, NULL, NULL,
                        r.sha, &r.size, &r.err);
    if (r.rv != APR_SUCCESS || !inflates_to(zip, src, len, &comp)) {
        comp = 0;
    }
    unlink(zip);
    return comp;
}

/* The default level (LS_ZIP_TUNE_* over LS_ZIP_DEFAULT_LEVEL) across a
 * dozen blocks: zlib inflates it back to the source as one stream; it
 * falls between plain levels 5 and 6 (so the tuning is applied to every
 * block: deflateReset undoes it); and it stays close to Info-ZIP's size
 * (zlib level 6 in one stream). This prose is harder on a short search
 * than bench/zip.sh's text (level 5: +5.6 % here, +3.9 % there), so the
 * bound here is 3 %; the benchmark's target is 2 %. */
static void test_tuned_default(void)
{
    apr_array_header_t *a = apr_array_make(pool, 1, sizeof(ls_zip_entry_t));
    const size_t len = 3000000;
    unsigned char *src = (unsigned char *)prose(len, 11);
    size_t ref6 = zlib_size(src, len, 6);
    zip_uint64_t comp, comp5, comp6;

    put("src/tuned/prose.txt", src, len, T0);
    add_file(a, "src/tuned/prose.txt", "prose.txt", 0);
    comp = deflated_at(a, src, len, 0);
    comp5 = deflated_at(a, src, len, 5);
    comp6 = deflated_at(a, src, len, 6);
    printf("# default %llu bytes, level 5 %llu, level 6 %llu, zlib level 6 "
           "in one stream %lu (default %+.2f %%)\n",
           (unsigned long long)comp, (unsigned long long)comp5,
           (unsigned long long)comp6, (unsigned long)ref6,
           ref6 ? 100.0 * ((double)comp / (double)ref6 - 1) : 0.0);
    ok(comp > 0 && comp5 > 0 && comp6 > 0,
       "default level: %lu bytes of prose inflate back with zlib at the "
       "default, 5 and 6",
       (unsigned long)len);
    ok(comp6 < comp && comp < comp5,
       "default level: between plain levels 5 and 6 (tuned on every block)");
    ok(comp > 0 && ref6 > 0 && comp <= ref6 + 3 * ref6 / 100,
       "default level: within 3 %% of zlib level 6 in one stream");
}

static void test_replace(void)
{
    apr_array_header_t *a = apr_array_make(pool, 2, sizeof(ls_zip_entry_t));
    ls_zip_part_t part;
    const char *zip = at("out/replace.zip");
    result_t r;

    put("out/replace.zip", "stale", 5, T0);
    put("src/replace/r.txt", text(5000, 3), 5000, T0);
    add_file(a, "src/replace/r.txt", "r.txt", 0);
    part = whole(a);
    r = write_part(a, &part, LS_ZIP_DEFLATE, zip, NULL);
    ok(check_all(&r, zip, a, &part, LS_ZIP_DEFLATE),
       "an existing file at out_path is replaced");
}

/* Runs fn in a child; returns its exit status (77: could not set up). */
static int in_child(int (*fn)(void))
{
    pid_t pid;
    int st;

    fflush(stdout);
    if ((pid = fork()) == 0) {
        int rc = fn();

        fflush(stdout);
        _exit(rc);
    }
    if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st)) {
        return -1;
    }
    return WEXITSTATUS(st);
}

static int fill_and_check(const char *dir, apr_status_t want_rv,
                          const char *want_err)
{
    apr_array_header_t *a = apr_array_make(pool, 2, sizeof(ls_zip_entry_t));
    ls_zip_part_t part;
    result_t r;

    add_file(a, "src/full/big.bin", "big.bin", 0);
    part = whole(a);
    r = write_part(a, &part, LS_ZIP_STORE,
                   apr_pstrcat(pool, dir, "/f.zip", NULL), NULL);
    if (r.rv != want_rv) {
        printf("# got status %d (%s)\n", r.rv, r.err ? r.err : "");
        return 1;
    }
    if (r.err == NULL || (want_err && strcmp(r.err, want_err) != 0)) {
        printf("# got message: %s\n", r.err ? r.err : "(null)");
        return 2;
    }
    return count_dir(dir) == 0 ? 0 : 3;
}

/* A 512 KiB tmpfs mounted in a private mount namespace, gone with us. */
static int full_tmpfs(void)
{
    const char *dir = at("full-tmpfs");

    if (unshare(CLONE_NEWNS) != 0
        || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0
        || mount("tmpfs", dir, "tmpfs", 0, "size=512k") != 0) {
        return 77;
    }
    return fill_and_check(dir, APR_ENOSPC,
                          "The server ran out of disk space while packaging.");
}

static int full_fsize(void)
{
    struct rlimit rl = {512 * 1024, 512 * 1024};

    signal(SIGXFSZ, SIG_IGN);
    if (setrlimit(RLIMIT_FSIZE, &rl) != 0) {
        return 77;
    }
    return fill_and_check(at("full-fsize"), EFBIG, NULL);
}

/* fsync, interposed for this program: fails with fsync_errno when set, so
 * a part whose bytes cannot be made durable is seen to fail. */
static int fsync_errno;

int fsync(int fd)
{
    if (fsync_errno) {
        errno = fsync_errno;
        return -1;
    }
    return fdatasync(fd);
}

static void test_fsync_fails(void)
{
    const char *dir = at("fsync-fails");
    apr_array_header_t *a = apr_array_make(pool, 2, sizeof(ls_zip_entry_t));
    ls_zip_part_t part;
    result_t r;

    mkdirs(dir);
    add_file(a, "src/full/big.bin", "big.bin", 0);
    part = whole(a);
    fsync_errno = EIO;
    r = write_part(a, &part, LS_ZIP_STORE,
                   apr_pstrcat(pool, dir, "/f.zip", NULL), NULL);
    fsync_errno = 0;
    ok(r.rv == EIO && r.err && strstr(r.err, "could not write the archive"),
       "fsync fails (EIO): the part fails with a sentence (%d: %s)", r.rv,
       r.err ? r.err : "(null)");
    ok(count_dir(dir) == 0, "... and nothing is left under its name");
}

static void test_full_disk(void)
{
    int rc;

    put("src/full/big.bin", noise(2 << 20, 21), 2 << 20, T0);
    mkdirs(at("full-tmpfs"));
    mkdirs(at("full-fsize"));
    rc = in_child(full_tmpfs);
    if (rc == 77) {
        ok(1, "full disk (tmpfs) # skip needs root to mount a tmpfs");
    }
    else {
        ok(rc == 0,
           "full disk (tmpfs): APR_ENOSPC, a sentence, nothing "
           "left (%d)",
           rc);
    }
    rc = in_child(full_fsize);
    ok(rc == 0, "file size limit: EFBIG, a sentence, nothing left (%d)", rc);
}

static int die_midway(void *baton, int files, apr_off_t bytes)
{
    (void)baton;
    (void)files;
    if (bytes >= (1 << 20)) {
        raise(SIGKILL);
    }
    return 0;
}

/* A worker killed mid-part (kill -9): the unnamed file goes with it. */
static int killed(void)
{
    apr_array_header_t *a = apr_array_make(pool, 2, sizeof(ls_zip_entry_t));
    ls_zip_part_t part;
    const char *err;
    char sha[65];
    apr_off_t size;

    add_file(a, "src/full/big.bin", "big.bin", 0);
    part = whole(a);
    ls_zip_write(pool, a, &part, LS_ZIP_AUTO, 0, at("killed/k.zip"), die_midway,
                 NULL, sha, &size, &err);
    return 1; /* not reached */
}

/* Without /proc (an empty tmpfs over it, in a private mount namespace)
 * there is no O_TMPFILE; the named temporary must not stay either. */
static int named_temp(void)
{
    apr_array_header_t *a = apr_array_make(pool, 2, sizeof(ls_zip_entry_t));
    ls_zip_part_t part;
    watch_t w = {0, 0, 1, 0, 0, 0, 1 << 20};
    const char *dir = at("named"), *zip = at("named/n.zip");
    result_t r;

    if (unshare(CLONE_NEWNS) != 0
        || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0
        || mount("tmpfs", "/proc", "tmpfs", 0, "size=64k") != 0) {
        return 77;
    }
    add_file(a, "src/full/big.bin", "big.bin", 0);
    part = whole(a);
    r = write_part(a, &part, LS_ZIP_AUTO, zip, &w);
    if (r.rv != LS_ZIP_ECANCELED || count_dir(dir) != 0) {
        return 1;
    }
    r = write_part(a, &part, LS_ZIP_AUTO, zip, NULL);
    if (r.rv != APR_SUCCESS || count_dir(dir) != 1
        || !check_libzip(zip, a, &part, LS_ZIP_AUTO)) {
        return 2;
    }
    return 0;
}

static void test_leftovers(void)
{
    int rc;

    mkdirs(at("killed"));
    mkdirs(at("named"));
    rc = in_child(killed);
    ok(rc == -1 && count_dir(at("killed")) == 0,
       "a writer killed with SIGKILL leaves nothing behind");
    rc = in_child(named_temp);
    if (rc == 77) {
        ok(1, "named temporary # skip needs root to hide /proc");
    }
    else {
        ok(rc == 0,
           "without O_TMPFILE: cancel leaves nothing, success leaves "
           "only the part (%d)",
           rc);
    }
}

/* A file with holes: the archive keeps them, and its digest is right. */
static void test_sparse(void)
{
    apr_array_header_t *a = apr_array_make(pool, 2, sizeof(ls_zip_entry_t));
    ls_zip_part_t part;
    const char *zip = at("out/sparse.zip");
    struct stat st;
    result_t r;
    int fd;

    put("src/sparse/s.bin", "head", 4, T0);
    fd = open(at("src/sparse/s.bin"), O_WRONLY);
    if (pwrite(fd, "tail", 4, (off_t)6 << 20) != 4) {
        printf("# cannot extend s.bin\n");
    }
    close(fd);
    add_file(a, "src/sparse/s.bin", "s.bin", 0);
    part = whole(a);
    r = write_part(a, &part, LS_ZIP_STORE, zip, NULL);
    ok(check_all(&r, zip, a, &part, LS_ZIP_STORE),
       "sparse source: valid archive, digest of the whole file");
    ok(stat(zip, &st) == 0 && st.st_blocks * 512 < (4 << 20),
       "sparse source: the archive has holes too (%ld bytes allocated)",
       (long)st.st_blocks * 512);
    unlink(zip);
}

/* ZIP64 for a size: a sparse file over 4 GiB, stored, with a small file
 * after it (ZIP64 offsets). Checks that do not read 4 GiB: unzip -l and
 * unzip -t of the small file, libzip's consistency check, size and CRC
 * of the big entry, its local header, its last bytes. */
static void test_zip64_size(void)
{
    const apr_off_t huge = ((apr_off_t)4 << 30) + (1 << 20);
    apr_array_header_t *a = apr_array_make(pool, 4, sizeof(ls_zip_entry_t));
    ls_zip_part_t part, tail = {1, 2, 1, 0};
    const char *zip = at("out/zip64.zip"), *src = at("src/zip64/huge.bin");
    unsigned char hdr[30], buf[65536], zero[65536];
    unsigned long crc = crc32(0L, Z_NULL, 0), crc1m;
    struct statvfs vfs;
    struct stat st;
    zip_stat_t zst;
    zip_file_t *zf;
    zip_t *za;
    result_t r;
    int fd, good, i;

    put("src/zip64/after.txt", text(5000, 4), 5000, T0);
    fd = open(src, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || ftruncate(fd, huge) != 0 || fstat(fd, &st) != 0
        || st.st_blocks * 512 > (1 << 20) || statvfs(root, &vfs) != 0
        || (apr_off_t)vfs.f_bavail * (apr_off_t)vfs.f_frsize < (256 << 20)) {
        if (fd >= 0) {
            close(fd);
        }
        unlink(src);
        ok(1, "ZIP64 size # skip no sparse files or no space here");
        return;
    }
    close(fd);
    add_dir(a, "big/", T0);
    add_file(a, "src/zip64/huge.bin", "big/huge.bin", 1);
    add_file(a, "src/zip64/after.txt", "big/after.txt", 0);
    part = whole(a);
    r = write_part(a, &part, LS_ZIP_AUTO, zip, NULL);
    ok(r.rv == APR_SUCCESS && r.size > huge, "ZIP64 size: written (%ld)",
       (long)r.size);
    ok(sh("unzip -l '%s' | grep -q '4296015872 .*big/huge.bin'", zip) == 0,
       "ZIP64 size: unzip lists the 4 GiB + 1 MiB entry");
    ok(check_unzip(zip, a, &tail, "big/after.txt"),
       "ZIP64 size: the file after it (offset over 4 GiB) tests and "
       "extracts");
    ok(check_libzip(zip, a, &part, LS_ZIP_AUTO),
       "ZIP64 size: libzip reads it consistently");

    /* The CRC of the zeros, without reading them. */
    memset(zero, 0, sizeof(zero));
    crc1m = crc32(0L, Z_NULL, 0);
    for (i = 0; i < 16; i++) {
        crc1m = crc32(crc1m, zero, sizeof(zero));
    }
    for (i = 0; i < 4097; i++) {
        crc = crc32_combine(crc, crc1m, 1 << 20);
    }
    za = zip_open(zip, ZIP_RDONLY, NULL);
    good = za && zip_stat_index(za, 1, 0, &zst) == 0
           && zst.size == (zip_uint64_t)huge
           && zst.comp_size == (zip_uint64_t)huge && zst.crc == crc;
    ok(good, "ZIP64 size: size and CRC recorded right");
    zf = za ? zip_fopen_index(za, 1, 0) : NULL;
    ok(zf && zip_fseek(zf, huge - (apr_off_t)sizeof(buf), SEEK_SET) == 0
           && zip_fread(zf, buf, sizeof(buf)) == (zip_int64_t)sizeof(buf)
           && memcmp(buf, zero, sizeof(buf)) == 0,
       "ZIP64 size: its last bytes read back");
    if (zf) {
        zip_fclose(zf);
    }
    if (za) {
        zip_discard(za);
    }
    /* Local header of the big entry, right after the folder's (30 + 4 +
     * 9): sizes 0xFFFFFFFF, a ZIP64 field among the extras. */
    fd = open(zip, O_RDONLY);
    ok(fd >= 0 && pread(fd, hdr, sizeof(hdr), 43) == (ssize_t)sizeof(hdr)
           && memcmp(hdr, "PK\3\4", 4) == 0
           && memcmp(hdr + 18, "\xff\xff\xff\xff\xff\xff\xff\xff", 8) == 0
           && hdr[28] >= 20,
       "ZIP64 size: the local header has ZIP64 sizes");
    if (fd >= 0) {
        close(fd);
    }
    unlink(zip);
    unlink(src);
}

/* ZIP64 for the count: 65,537 entries (all read from one small file, so
 * nothing big is made), and 65,535 exactly, where libzip 1.7.3 writes the
 * count 0xFFFF without ZIP64 records; readers accept that. */
static void test_zip64_count(void)
{
    apr_array_header_t *a;
    ls_zip_part_t part;
    const char *zip = at("out/many.zip");
    watch_t w = {0, 0, 1, 0, 0, 0, 0};
    result_t r;
    int i;

    put("src/many/one.txt", "one small file\n", 15, T0);
    a = apr_array_make(pool, 65537, sizeof(ls_zip_entry_t));
    for (i = 0; i < 65537; i++) {
        if (i % 256 == 0) {
            add_dir(a, apr_psprintf(pool, "d%03d/", i / 256), T0);
        }
        else {
            add_file(a, "src/many/one.txt",
                     apr_psprintf(pool, "d%03d/f%05d.txt", i / 256, i), 0);
        }
    }
    part = whole(a);
    r = write_part(a, &part, LS_ZIP_AUTO, zip, &w);
    ok(check_all(&r, zip, a, &part, LS_ZIP_AUTO),
       "65,537 entries: valid, every file extracted and equal");
    ok(sh("unzip -Z '%s' | grep -q '^Zip file size: .*number of entries: "
          "65537$'",
          zip)
           == 0,
       "65,537 entries: unzip counts them all (ZIP64 end record)");
    ok(w.calls >= 65537 && w.files == 65537,
       "65,537 entries: progress per entry");
    unlink(zip);

    a->nelts = 65535;
    part = whole(a);
    r = write_part(a, &part, LS_ZIP_STORE, zip, NULL);
    ok(r.rv == APR_SUCCESS && sh("unzip -tqq '%s'", zip) == 0
           && check_libzip(zip, a, &part, LS_ZIP_STORE),
       "65,535 entries: unzip and libzip read it");
    unlink(zip);
}

int main(void)
{
    /* Line by line: children are forked mid-run. */
    setvbuf(stdout, NULL, _IOLBF, 0);
    apr_initialize();
    apr_pool_create(&pool, NULL);
    /* DOS times are local time; unzip needs a UTF-8 locale for names. */
    setenv("TZ", "UTC", 1);
    setenv("LC_ALL", "C.UTF-8", 1);
    if (mkdtemp(root) == NULL) {
        printf("Bail out! cannot make a temporary folder\n");
        return 1;
    }
    mkdirs(at("out"));
    if (mkdtemp(xroot) == NULL) {
        strcpy(xroot, at("x"));
        mkdirs(xroot);
    }

    test_plan();
    test_odd_names();
    test_parts();
    test_determinism("ref", -1);
    test_determinism("no-helpers", 0);
    test_determinism("3-helpers", 3);
    test_tuned_default();
    test_cancel(LS_ZIP_STORE, "stored");
    test_cancel(LS_ZIP_DEFLATE, "deflated");
    test_changed(LS_ZIP_STORE, "stored");
    test_changed(LS_ZIP_DEFLATE, "deflated");
    test_bad_input();
    test_replace();
    test_full_disk();
    test_fsync_fails();
    test_leftovers();
    test_sparse();
    test_zip64_size();
    test_zip64_count();
    /* Seconds after the first: nothing in the bytes depends on the clock. */
    test_determinism("later", -1);

    sh("rm -rf '%s' '%s'", root, xroot);
    apr_pool_destroy(pool);
    apr_terminate();
    done_testing();
}
