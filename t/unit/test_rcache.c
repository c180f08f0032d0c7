/* Unit tests for ls_rcache: keys, lookup, publication (one entry when two
 * writers race), failure markers, eviction by last use, bad keys. */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <apr_general.h>
#include <apr_strings.h>

#include "ls_rcache.h"
#include "tap.h"

static void put(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");

    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

static char *get(apr_pool_t *p, const char *path)
{
    char buf[4096];
    FILE *f = fopen(path, "r");
    size_t n;

    if (f == NULL) {
        return NULL;
    }
    n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = '\0';
    return apr_pstrdup(p, buf);
}

static int exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

static void set_mtime(const char *path, time_t t)
{
    struct timeval tv[2] = {{t, 0}, {t, 0}};
    utimes(path, tv);
}

/* Files in dir whose name ends with suffix. */
static int count(apr_pool_t *p, const char *dir, const char *suffix)
{
    apr_dir_t *d;
    apr_finfo_t fi;
    int n = 0;
    size_t sl = strlen(suffix);

    if (apr_dir_open(&d, dir, p) != APR_SUCCESS) {
        return -1;
    }
    while (apr_dir_read(&fi, APR_FINFO_NAME, d) == APR_SUCCESS) {
        size_t l = strlen(fi.name);
        if (l >= sl && strcmp(fi.name + l - sl, suffix) == 0) {
            n++;
        }
    }
    apr_dir_close(d);
    return n;
}

static const char *publish(apr_pool_t *p, const char *dir, const char *key,
                           const char *kind, const char *bytes)
{
    const char *tmp = NULL;

    if (ls_rcache_temp(p, dir, key, kind, &tmp) != APR_SUCCESS) {
        return NULL;
    }
    put(tmp, bytes);
    return ls_rcache_publish(p, dir, key, kind, tmp) == APR_SUCCESS ? tmp
                                                                    : NULL;
}

static void test_key(apr_pool_t *p)
{
    apr_time_t m = apr_time_from_sec(1700000000) + 123456;
    const char *k = ls_rcache_key(p, 2049, 12345, 1000, m);

    ok(ls_rcache_key_valid(k), "key is 64 lowercase hex (%s)", k);
    is_str(ls_rcache_key(p, 2049, 12345, 1000, m), k, "key is stable");
    ok(strcmp(ls_rcache_key(p, 2050, 12345, 1000, m), k) != 0,
       "key changes with the device");
    ok(strcmp(ls_rcache_key(p, 2049, 12346, 1000, m), k) != 0,
       "key changes with the inode");
    ok(strcmp(ls_rcache_key(p, 2049, 12345, 1001, m), k) != 0,
       "key changes with the size");
    ok(strcmp(ls_rcache_key(p, 2049, 12345, 1000, m + 1), k) != 0,
       "key changes with the mtime's microseconds");
    ok(strcmp(ls_rcache_key(p, 12345, 2049, 1000, m), k) != 0,
       "device and inode are not interchangeable");
}

static void test_entry(apr_pool_t *p, const char *dir, const char *key)
{
    const char *path = NULL, *jpg = NULL, *tmp = NULL, *tmp2 = NULL;
    const char *sub = apr_pstrcat(p, dir, "/", apr_pstrndup(p, key, 2), NULL);
    struct stat st;

    ok(ls_rcache_path(p, dir, key, "thumb", &jpg) == APR_SUCCESS
           && strcmp(jpg, apr_pstrcat(p, sub, "/", key, ".thumb.jpg", NULL))
                  == 0,
       "path is DIR/ab/KEY.KIND.jpg");
    ok(ls_rcache_lookup(p, dir, key, "thumb", &path) == APR_ENOENT,
       "lookup before rendering: ENOENT (no directory yet)");
    ok(ls_rcache_temp(p, dir, key, "thumb", &tmp) == APR_SUCCESS && tmp
           && strncmp(tmp, sub, strlen(sub)) == 0 && stat(tmp, &st) == 0
           && st.st_size == 0 && S_ISREG(st.st_mode),
       "temp: an empty file beside the final one (%s)", tmp);
    ok(stat(sub, &st) == 0 && (st.st_mode & 0777) == 0755,
       "temp: directory made 0755");
    ok(ls_rcache_lookup(p, dir, key, "thumb", &path) == APR_ENOENT,
       "a temporary is not a rendition");
    put(tmp, "JPEG-1");
    ok(ls_rcache_publish(p, dir, key, "thumb", tmp) == APR_SUCCESS
           && !exists(tmp),
       "published; the temporary is gone");
    ok(ls_rcache_lookup(p, dir, key, "thumb", &path) == APR_SUCCESS
           && strcmp(path, jpg) == 0,
       "lookup finds it");
    is_str(get(p, path), "JPEG-1", "with the bytes written");
    ok(ls_rcache_lookup(p, dir, key, "web", &path) == APR_ENOENT,
       "the other kind is its own entry");

    /* Two writers of the same entry: the first published stays. */
    ok(ls_rcache_temp(p, dir, key, "web", &tmp) == APR_SUCCESS
           && ls_rcache_temp(p, dir, key, "web", &tmp2) == APR_SUCCESS
           && strcmp(tmp, tmp2) != 0,
       "two temporaries for one entry have distinct names");
    put(tmp, "FIRST");
    put(tmp2, "SECOND");
    ok(ls_rcache_publish(p, dir, key, "web", tmp) == APR_SUCCESS
           && ls_rcache_publish(p, dir, key, "web", tmp2) == APR_SUCCESS,
       "both publish without error");
    ok(ls_rcache_lookup(p, dir, key, "web", &path) == APR_SUCCESS
           && strcmp(get(p, path), "FIRST") == 0,
       "the first writer's rendition stays");
    ok(count(p, sub, ".tmp") == 0 && count(p, sub, ".web.jpg") == 1,
       "one entry, no temporary left");

    /* Refusals. */
    ok(ls_rcache_publish(p, dir, key, "web", "/etc/passwd") == APR_EINVAL,
       "publish refuses a path that is not one of its temporaries");
    ok(ls_rcache_publish(p, dir, key, "web",
                         apr_pstrcat(p, jpg, ".0123456789abcdef.tmp", NULL))
           == APR_EINVAL,
       "publish refuses another entry's temporary");
}

static void test_fail(apr_pool_t *p, const char *dir, const char *key)
{
    const char *path = NULL;

    ok(ls_rcache_fail(p, dir, key, "thumb", "not an image\r\nsecond line")
           == APR_SUCCESS,
       "failure marker written");
    ok(ls_rcache_lookup(p, dir, key, "thumb", &path) == LS_RCACHE_FAILED,
       "lookup says it failed before");
    is_str(get(p, path), "not an image  second line\n",
           "the marker holds one line, why");
    ok(ls_rcache_fail(p, dir, key, "thumb", "again") == APR_SUCCESS
           && strcmp(get(p, path), "again\n") == 0,
       "a later marker replaces the earlier one");
    ok(count(p, apr_pstrcat(p, dir, "/", apr_pstrndup(p, key, 2), NULL), ".tmp")
           == 0,
       "no temporary left by the marker");
    ok(ls_rcache_lookup(p, dir, key, "web", &path) == APR_ENOENT,
       "the other kind did not fail");
}

static void test_bad_keys(apr_pool_t *p, const char *dir, const char *key)
{
    static const char *const bad[] = {
        "",
        "../../../../etc/passwd",
        "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde",
        "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0",
        "0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef",
        "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abc/ef",
        NULL};
    const char *out = NULL;
    int i, all = 1;

    for (i = 0; bad[i]; i++) {
        const char *k = bad[i];
        all = all && ls_rcache_path(p, dir, k, "thumb", &out) == APR_EINVAL
              && ls_rcache_lookup(p, dir, k, "thumb", &out) == APR_EINVAL
              && ls_rcache_temp(p, dir, k, "thumb", &out) == APR_EINVAL
              && ls_rcache_publish(p, dir, k, "thumb", "x") == APR_EINVAL
              && ls_rcache_fail(p, dir, k, "thumb", "x") == APR_EINVAL;
        ok(!ls_rcache_key_valid(k), "not a key: '%s'", k);
    }
    ok(all, "every function refuses those keys with APR_EINVAL");
    ok(ls_rcache_path(p, dir, NULL, "thumb", &out) == APR_EINVAL,
       "a NULL key is refused");
    ok(ls_rcache_path(p, dir, key, "../x", &out) == APR_EINVAL
           && ls_rcache_temp(p, dir, key, "big", &out) == APR_EINVAL
           && ls_rcache_lookup(p, dir, key, NULL, &out) == APR_EINVAL,
       "kinds other than thumb and web are refused");
}

static void test_bump(apr_pool_t *p, const char *dir)
{
    const char *k = ls_rcache_key(p, 1, 2, 3, 4), *path = NULL;
    struct stat st;

    publish(p, dir, k, "thumb", "x");
    ls_rcache_path(p, dir, k, "thumb", &path);
    set_mtime(path, time(NULL) - 3600);
    ok(ls_rcache_lookup(p, dir, k, "thumb", &path) == APR_SUCCESS
           && stat(path, &st) == 0 && st.st_mtime >= time(NULL) - 5,
       "lookup bumps an hour-old rendition's mtime to now");
    set_mtime(path, time(NULL) - 30);
    ok(ls_rcache_lookup(p, dir, k, "thumb", &path) == APR_SUCCESS
           && stat(path, &st) == 0 && st.st_mtime <= time(NULL) - 29,
       "but not one used within the last minute");
}

static void test_evict(apr_pool_t *p, const char *dir)
{
    const char *paths[10], *tmp_old = NULL, *tmp_new = NULL, *path;
    const char *fkey = ls_rcache_key(p, 9, 9, 9, 9);
    char body[1001];
    apr_off_t kept = -1;
    int removed = -1, i, left = 0, newest_kept = 1;
    time_t now = time(NULL);

    memset(body, 'j', 1000);
    body[1000] = '\0';
    /* Ten renditions of 1000 bytes; the lower i, the longer unused. */
    for (i = 0; i < 10; i++) {
        const char *k = ls_rcache_key(p, 100, (apr_uint64_t)i, 1000, 0);
        publish(p, dir, k, i % 2 ? "web" : "thumb", body);
        ls_rcache_path(p, dir, k, i % 2 ? "web" : "thumb", &paths[i]);
        set_mtime(paths[i], now - 10000 + i * 100);
    }
    ls_rcache_fail(p, dir, fkey, "web", "x"); /* 2 bytes, stays */
    ls_rcache_temp(p, dir, fkey, "thumb", &tmp_old);
    set_mtime(tmp_old, now - 7200);
    ls_rcache_temp(p, dir, fkey, "thumb", &tmp_new);

    ok(ls_rcache_evict(p, dir, 100000, &kept, &removed) == APR_SUCCESS
           && removed == 1 && kept == 10 * 1000 + 2,
       "under the bound: only the stale temporary goes (kept %" APR_OFF_T_FMT
       ", removed %d)",
       kept, removed);
    ok(!exists(tmp_old) && exists(tmp_new),
       "an hour-old temporary removed, a fresh one kept");

    /* 10,002 bytes over a bound of 6,000: down to 5,400 at most. */
    ok(ls_rcache_evict(p, dir, 6000, &kept, &removed) == APR_SUCCESS
           && kept <= 5400 && kept == 5 * 1000 + 2 && removed == 5,
       "over the bound: down to 90 %% of it (kept %" APR_OFF_T_FMT
       ", removed %d)",
       kept, removed);
    for (i = 0; i < 10; i++) {
        left += exists(paths[i]);
        if (i >= 5 && !exists(paths[i])) {
            newest_kept = 0;
        }
    }
    ok(left == 5 && newest_kept, "the five most recently used stay");
    ok(ls_rcache_lookup(p, dir, fkey, "web", &path) == LS_RCACHE_FAILED,
       "the failure marker stays");
    ok(ls_rcache_evict(p, dir, 0, &kept, &removed) == APR_SUCCESS && kept == 2
           && removed == 5,
       "a bound of 0 removes every rendition, not markers");
    ok(ls_rcache_evict(p, apr_pstrcat(p, dir, "/nonexistent", NULL), 10, &kept,
                       &removed)
               == APR_SUCCESS
           && kept == 0 && removed == 0,
       "a missing directory is an empty cache");
    unlink(tmp_new);
}

int main(void)
{
    apr_pool_t *p;
    char dir[] = "/tmp/ls_rcache_XXXXXX";
    const char *key;

    apr_initialize();
    apr_pool_create(&p, NULL);
    umask(022);
    ok(mkdtemp(dir) != NULL, "temp dir");
    key = ls_rcache_key(p, 1, 2, 3, apr_time_from_sec(4));
    test_key(p);
    test_entry(p, apr_pstrcat(p, dir, "/a", NULL), key);
    test_fail(p, apr_pstrcat(p, dir, "/a", NULL), ls_rcache_key(p, 5, 6, 7, 8));
    test_bad_keys(p, apr_pstrcat(p, dir, "/a", NULL), key);
    test_bump(p, apr_pstrcat(p, dir, "/b", NULL));
    test_evict(p, apr_pstrcat(p, dir, "/c", NULL));
    ok(system(apr_pstrcat(p, "rm -rf ", dir, NULL)) == 0, "cleaned up");
    apr_pool_destroy(p);
    apr_terminate();
    done_testing();
}
