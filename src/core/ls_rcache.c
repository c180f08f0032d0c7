/* ls_rcache: the rendition cache on disk (see ls_rcache.h for the
 * layout). Owns keys, paths, temporaries, publication, failure markers
 * and eviction; not the rendering nor the queue. Plain POSIX calls where
 * the exact semantics matter (O_EXCL, link, fstatat, unlinkat): several
 * processes publish, look up and evict in the same tree at once. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <apr_file_info.h>
#include <apr_file_io.h>
#include <apr_strings.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "ls_rcache.h"

#define KEY_LEN 64
/* A lookup bumps a rendition's mtime only when it is older than this:
 * one utimes a minute at most per entry, however busy. */
#define BUMP_AFTER apr_time_from_sec(60)

static const char hexd[] = "0123456789abcdef";

static int is_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

static void to_hex(const unsigned char *b, size_t n, char *out)
{
    size_t i;

    for (i = 0; i < n; i++) {
        out[2 * i] = hexd[b[i] >> 4];
        out[2 * i + 1] = hexd[b[i] & 15];
    }
    out[2 * n] = '\0';
}

const char *ls_rcache_key(apr_pool_t *p, apr_uint64_t dev, apr_uint64_t ino,
                          apr_off_t size, apr_time_t mtime)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    char *key = apr_palloc(p, KEY_LEN + 1);
    /* A versioned text form: no padding or byte-order questions, and a
     * new form (v2) can never collide with this one. */
    const char *id = apr_psprintf(
        p,
        "ls_rcache v1 dev=%" APR_UINT64_T_FMT " ino=%" APR_UINT64_T_FMT
        " size=%" APR_OFF_T_FMT " mtime=%" APR_TIME_T_FMT,
        dev, ino, size, mtime);

    EVP_Digest(id, strlen(id), md, &mdlen, EVP_sha256(), NULL);
    to_hex(md, 32, key);
    return key;
}

int ls_rcache_key_valid(const char *key)
{
    int i;

    if (key == NULL) {
        return 0;
    }
    for (i = 0; i < KEY_LEN; i++) {
        if (!is_hex(key[i])) {
            return 0;
        }
    }
    return key[KEY_LEN] == '\0';
}

static int kind_valid(const char *kind)
{
    return kind
           && (strcmp(kind, LS_RCACHE_THUMB) == 0
               || strcmp(kind, LS_RCACHE_WEB) == 0);
}

/* DIR/ab and DIR/ab/KEY.KIND (the stem every file of the entry starts
 * with). */
static apr_status_t entry(apr_pool_t *p, const char *dir, const char *key,
                          const char *kind, const char **sub, const char **stem)
{
    if (dir == NULL || !ls_rcache_key_valid(key) || !kind_valid(kind)) {
        return APR_EINVAL;
    }
    *sub = apr_pstrcat(p, dir, "/", apr_pstrndup(p, key, 2), NULL);
    *stem = apr_pstrcat(p, *sub, "/", key, ".", kind, NULL);
    return APR_SUCCESS;
}

apr_status_t ls_rcache_path(apr_pool_t *p, const char *dir, const char *key,
                            const char *kind, const char **path)
{
    const char *sub, *stem;
    apr_status_t rv = entry(p, dir, key, kind, &sub, &stem);

    if (rv == APR_SUCCESS) {
        *path = apr_pstrcat(p, stem, ".jpg", NULL);
    }
    return rv;
}

apr_status_t ls_rcache_lookup(apr_pool_t *p, const char *dir, const char *key,
                              const char *kind, const char **path)
{
    const char *sub, *stem, *jpg, *fail;
    struct stat st;
    apr_status_t rv = entry(p, dir, key, kind, &sub, &stem);

    if (rv != APR_SUCCESS) {
        return rv;
    }
    jpg = apr_pstrcat(p, stem, ".jpg", NULL);
    if (stat(jpg, &st) == 0) {
        apr_time_t mtime = apr_time_from_sec(st.st_mtime);
        if (mtime + BUMP_AFTER < apr_time_now()) {
            /* Best effort: a read-only cache still serves. */
            (void)utimes(jpg, NULL);
        }
        *path = jpg;
        return APR_SUCCESS;
    }
    if (errno != ENOENT && errno != ENOTDIR) {
        return APR_FROM_OS_ERROR(errno);
    }
    fail = apr_pstrcat(p, stem, ".fail", NULL);
    if (stat(fail, &st) == 0) {
        *path = fail;
        return LS_RCACHE_FAILED;
    }
    if (errno != ENOENT && errno != ENOTDIR) {
        return APR_FROM_OS_ERROR(errno);
    }
    return APR_ENOENT;
}

/* A new empty temporary STEM.RAND16.tmp, O_EXCL; *fd open on it when fd
 * is given (else closed). */
static apr_status_t make_temp(apr_pool_t *p, const char *sub, const char *stem,
                              const char **tmp, int *fd)
{
    apr_status_t rv;
    int tries;

    /* 0755 (APR's permission bits are not octal's). */
    rv = apr_dir_make_recursive(sub,
                                APR_FPROT_UREAD | APR_FPROT_UWRITE
                                    | APR_FPROT_UEXECUTE | APR_FPROT_GREAD
                                    | APR_FPROT_GEXECUTE | APR_FPROT_WREAD
                                    | APR_FPROT_WEXECUTE,
                                p);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    for (tries = 0; tries < 8; tries++) {
        unsigned char rnd[8];
        char hex[17];
        const char *name;
        int f;

        if (RAND_bytes(rnd, sizeof(rnd)) != 1) {
            return APR_EGENERAL;
        }
        to_hex(rnd, sizeof(rnd), hex);
        name = apr_pstrcat(p, stem, ".", hex, ".tmp", NULL);
        f = open(name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        if (f >= 0) {
            *tmp = name;
            if (fd) {
                *fd = f;
            }
            else {
                close(f);
            }
            return APR_SUCCESS;
        }
        if (errno != EEXIST) {
            return APR_FROM_OS_ERROR(errno);
        }
    }
    return APR_EEXIST;
}

apr_status_t ls_rcache_temp(apr_pool_t *p, const char *dir, const char *key,
                            const char *kind, const char **tmp_path)
{
    const char *sub, *stem;
    apr_status_t rv = entry(p, dir, key, kind, &sub, &stem);

    if (rv == APR_SUCCESS) {
        rv = make_temp(p, sub, stem, tmp_path, NULL);
    }
    return rv;
}

/* Is tmp one of make_temp's names for stem? Publication renames it into
 * the cache, so anything else (another entry's, a path elsewhere) is
 * refused. */
static int temp_of(const char *stem, const char *tmp)
{
    size_t n = strlen(stem), i;

    if (tmp == NULL || strncmp(tmp, stem, n) != 0 || tmp[n] != '.'
        || strlen(tmp) != n + 1 + 16 + 4 || strcmp(tmp + n + 17, ".tmp") != 0) {
        return 0;
    }
    for (i = n + 1; i < n + 17; i++) {
        if (!is_hex(tmp[i])) {
            return 0;
        }
    }
    return 1;
}

static apr_status_t sync_path(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    apr_status_t rv = APR_SUCCESS;

    if (fd < 0) {
        return APR_FROM_OS_ERROR(errno);
    }
    if (fsync(fd) != 0) {
        rv = APR_FROM_OS_ERROR(errno);
    }
    close(fd);
    return rv;
}

apr_status_t ls_rcache_publish(apr_pool_t *p, const char *dir, const char *key,
                               const char *kind, const char *tmp_path)
{
    const char *sub, *stem, *jpg;
    apr_status_t rv = entry(p, dir, key, kind, &sub, &stem);

    if (rv != APR_SUCCESS) {
        return rv;
    }
    if (!temp_of(stem, tmp_path)) {
        return APR_EINVAL;
    }
    jpg = apr_pstrcat(p, stem, ".jpg", NULL);
    /* The bytes reach the disk before the name does: a crash leaves no
     * empty rendition behind. (The directory is not synced: losing the
     * name in a crash only costs a render.) */
    rv = sync_path(tmp_path);
    if (rv != APR_SUCCESS) {
        unlink(tmp_path);
        return rv;
    }
    /* link() fails with EEXIST instead of replacing: the first writer's
     * rendition stays, the later one's temporary goes. */
    if (link(tmp_path, jpg) == 0 || errno == EEXIST) {
        unlink(tmp_path);
        return APR_SUCCESS;
    }
    if (errno == EPERM || errno == ENOTSUP || errno == EOPNOTSUPP
        || errno == ENOSYS || errno == EMLINK) {
        /* A filesystem without hard links: rename, which may replace a
         * rendition published meanwhile by an equal one. */
        if (rename(tmp_path, jpg) == 0) {
            return APR_SUCCESS;
        }
    }
    rv = APR_FROM_OS_ERROR(errno);
    unlink(tmp_path);
    return rv;
}

apr_status_t ls_rcache_fail(apr_pool_t *p, const char *dir, const char *key,
                            const char *kind, const char *why)
{
    const char *sub, *stem, *tmp = NULL;
    char *line;
    size_t n, off = 0;
    int fd = -1;
    apr_status_t rv = entry(p, dir, key, kind, &sub, &stem);

    if (rv != APR_SUCCESS) {
        return rv;
    }
    /* One line, whatever why holds. */
    line = apr_pstrcat(p, why ? why : "", "\n", NULL);
    n = strlen(line);
    for (off = 0; off + 1 < n; off++) {
        if (line[off] == '\r' || line[off] == '\n') {
            line[off] = ' ';
        }
    }
    line[n - 1] = '\n';
    rv = make_temp(p, sub, stem, &tmp, &fd);
    for (off = 0; rv == APR_SUCCESS && off < n;) {
        ssize_t w = write(fd, line + off, n - off);
        if (w < 0 && errno != EINTR) {
            rv = APR_FROM_OS_ERROR(errno);
        }
        else if (w > 0) {
            off += (size_t)w;
        }
    }
    if (rv == APR_SUCCESS && fsync(fd) != 0) {
        rv = APR_FROM_OS_ERROR(errno);
    }
    if (fd >= 0 && close(fd) != 0 && rv == APR_SUCCESS) {
        rv = APR_FROM_OS_ERROR(errno);
    }
    if (rv == APR_SUCCESS
        && rename(tmp, apr_pstrcat(p, stem, ".fail", NULL)) != 0) {
        rv = APR_FROM_OS_ERROR(errno);
    }
    if (rv != APR_SUCCESS && tmp) {
        unlink(tmp);
    }
    return rv;
}

/* ---- eviction ---- */

/* One rendition seen by the walk: enough to sort and to rebuild its name
 * (the key in binary, the kind as an index). */
typedef struct {
    apr_time_t mtime;
    apr_off_t size;
    unsigned char key[32];
    unsigned char kind; /* 0 thumb, 1 web */
} rc_entry_t;

typedef struct {
    rc_entry_t *v;
    size_t n, cap;
    apr_off_t total; /* renditions and markers */
    int removed;
    apr_time_t tmp_before;
} rc_walk_t;

static const char *const kinds[] = {LS_RCACHE_THUMB, LS_RCACHE_WEB};

static int hexval(char c)
{
    return c >= 'a' ? c - 'a' + 10 : c - '0';
}

/* KEY.KIND.SUFFIX with a valid key and kind under subdir ab: the kind's
 * index and a pointer to SUFFIX; else -1. */
static int parse_name(const char *name, const char *ab, const char **suffix)
{
    int k;
    char key[KEY_LEN + 1];

    if (strlen(name) < KEY_LEN + 2 || name[KEY_LEN] != '.' || name[0] != ab[0]
        || name[1] != ab[1]) {
        return -1;
    }
    memcpy(key, name, KEY_LEN);
    key[KEY_LEN] = '\0';
    if (!ls_rcache_key_valid(key)) {
        return -1;
    }
    for (k = 0; k < 2; k++) {
        size_t kl = strlen(kinds[k]);
        if (strncmp(name + KEY_LEN + 1, kinds[k], kl) == 0
            && name[KEY_LEN + 1 + kl] == '.') {
            *suffix = name + KEY_LEN + 1 + kl;
            return k;
        }
    }
    return -1;
}

static apr_time_t st_mtime_of(const struct stat *st)
{
    return apr_time_from_sec(st->st_mtim.tv_sec) + st->st_mtim.tv_nsec / 1000;
}

static apr_status_t walk_push(rc_walk_t *w, const char *name, int kind,
                              const struct stat *st)
{
    rc_entry_t *e;
    int i;

    if (w->n == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 1024;
        rc_entry_t *v = realloc(w->v, cap * sizeof(*v));
        if (v == NULL) {
            return APR_ENOMEM;
        }
        w->v = v;
        w->cap = cap;
    }
    e = &w->v[w->n++];
    e->mtime = st_mtime_of(st);
    e->size = st->st_size;
    e->kind = (unsigned char)kind;
    for (i = 0; i < 32; i++) {
        e->key[i] = (unsigned char)(hexval(name[2 * i]) << 4
                                    | hexval(name[2 * i + 1]));
    }
    return APR_SUCCESS;
}

/* One subdirectory: renditions recorded, markers counted, stale
 * temporaries removed. A file that vanishes between readdir and fstatat
 * is skipped. */
static apr_status_t walk_sub(rc_walk_t *w, const char *path, const char *ab)
{
    DIR *d = opendir(path);
    struct dirent *de;
    apr_status_t rv = APR_SUCCESS;

    if (d == NULL) {
        return errno == ENOENT || errno == ENOTDIR ? APR_SUCCESS
                                                   : APR_FROM_OS_ERROR(errno);
    }
    while (rv == APR_SUCCESS && (de = readdir(d)) != NULL) {
        const char *suffix = NULL;
        struct stat st;
        int k = parse_name(de->d_name, ab, &suffix);

        if (k < 0
            || fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0
            || !S_ISREG(st.st_mode)) {
            continue;
        }
        if (strcmp(suffix, ".jpg") == 0) {
            w->total += st.st_size;
            rv = walk_push(w, de->d_name, k, &st);
        }
        else if (strcmp(suffix, ".fail") == 0) {
            w->total += st.st_size;
        }
        else if (strlen(suffix) == 1 + 16 + 4
                 && strcmp(suffix + 17, ".tmp") == 0
                 && st_mtime_of(&st) < w->tmp_before
                 && unlinkat(dirfd(d), de->d_name, 0) == 0) {
            w->removed++;
        }
    }
    closedir(d);
    return rv;
}

static int by_mtime(const void *a, const void *b)
{
    const rc_entry_t *x = a, *y = b;

    return x->mtime < y->mtime ? -1 : x->mtime > y->mtime ? 1 : 0;
}

/* Removes the oldest renditions until w->total <= bound, names in p
 * (cleared each pass). One used since the walk (its mtime moved on) is
 * kept: it is not the least recent any more. */
static void evict_oldest(rc_walk_t *w, apr_pool_t *p, const char *dir,
                         apr_off_t bound)
{
    size_t i;

    qsort(w->v, w->n, sizeof(*w->v), by_mtime);
    for (i = 0; i < w->n && w->total > bound; i++) {
        const rc_entry_t *e = &w->v[i];
        char key[KEY_LEN + 1];
        const char *sub, *stem, *jpg;
        struct stat st;

        apr_pool_clear(p);
        to_hex(e->key, 32, key);
        if (entry(p, dir, key, kinds[e->kind], &sub, &stem) != APR_SUCCESS) {
            continue;
        }
        jpg = apr_pstrcat(p, stem, ".jpg", NULL);
        if (stat(jpg, &st) != 0) {
            w->total -= e->size; /* gone already (another evictor) */
            continue;
        }
        if (st_mtime_of(&st) != e->mtime) {
            continue;
        }
        if (unlink(jpg) == 0) {
            w->total -= e->size;
            w->removed++;
        }
        else if (errno == ENOENT) {
            w->total -= e->size;
        }
    }
}

apr_status_t ls_rcache_evict(apr_pool_t *p, const char *dir,
                             apr_off_t max_bytes, apr_off_t *kept, int *removed)
{
    rc_walk_t w;
    apr_pool_t *sp = NULL;
    apr_status_t rv = APR_SUCCESS;
    DIR *top;
    struct dirent *de;

    memset(&w, 0, sizeof(w));
    w.tmp_before = apr_time_now() - LS_RCACHE_TMP_MAX_AGE;
    if (dir == NULL || max_bytes < 0) {
        return APR_EINVAL;
    }
    top = opendir(dir);
    if (top == NULL) {
        rv = errno == ENOENT ? APR_SUCCESS : APR_FROM_OS_ERROR(errno);
        goto out;
    }
    /* Per-subdirectory names in a subpool cleared each pass: a big cache
     * walks 256 of them. */
    apr_pool_create(&sp, p);
    while (rv == APR_SUCCESS && (de = readdir(top)) != NULL) {
        const char *n = de->d_name;
        if (strlen(n) != 2 || !is_hex(n[0]) || !is_hex(n[1])) {
            continue;
        }
        rv = walk_sub(&w, apr_pstrcat(sp, dir, "/", n, NULL), n);
        apr_pool_clear(sp);
    }
    closedir(top);
    if (rv == APR_SUCCESS && w.total > max_bytes) {
        evict_oldest(&w, sp, dir, max_bytes / 10 * 9 + max_bytes % 10 * 9 / 10);
    }
out:
    if (sp) {
        apr_pool_destroy(sp);
    }
    free(w.v);
    if (kept) {
        *kept = w.total;
    }
    if (removed) {
        *removed = w.removed;
    }
    return rv;
}
