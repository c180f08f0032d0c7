/* ls_path: relative path syntax and confinement (see ls_path.h). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#if defined(__linux__)
#include <linux/openat2.h>
#include <sys/syscall.h>
#endif

#include <pthread.h>

#include <apr_file_io.h>
#include <apr_time.h>
#include <apr_portable.h>
#include <apr_strings.h>

#include "ls_path.h"

apr_status_t ls_path_clean(apr_pool_t *p, const char *in, int allow_empty,
                           const char **out, const char **why)
{
    apr_size_t len, i, seg;
    char *s;

    if (in == NULL) {
        in = "";
    }
    len = strlen(in);
    if (len > LS_PATH_MAX) {
        *why = "The path is too long.";
        return APR_EINVAL;
    }
    if (in[0] == '/') {
        *why = "The path must be relative (no leading '/').";
        return APR_EINVAL;
    }
    s = apr_pstrmemdup(p, in, len);
    if (len > 0 && s[len - 1] == '/') {
        s[--len] = '\0';
    }
    if (len == 0) {
        if (!allow_empty) {
            *why = "The path is empty.";
            return APR_EINVAL;
        }
        *out = s;
        return APR_SUCCESS;
    }
    for (i = 0, seg = 0; i <= len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '/' || c == '\0') {
            apr_size_t n = i - seg;
            if (n == 0) {
                *why = "The path has an empty segment ('//').";
                return APR_EINVAL;
            }
            if ((n == 1 && s[seg] == '.')
                || (n == 2 && s[seg] == '.' && s[seg + 1] == '.')) {
                *why = "The path may not contain '.' or '..' segments.";
                return APR_EINVAL;
            }
            seg = i + 1;
        }
        else if (c == '\\') {
            *why = "The path may not contain a backslash.";
            return APR_EINVAL;
        }
        else if (c < 0x20 || c == 0x7f) {
            *why = "The path may not contain control characters.";
            return APR_EINVAL;
        }
    }
    *out = s;
    return APR_SUCCESS;
}

int ls_path_name_ok(const char *name)
{
    const unsigned char *c;

    /* The characters ls_path_clean refuses inside a segment. */
    for (c = (const unsigned char *)name; *c; c++) {
        if (*c < 0x20 || *c == 0x7f || *c == '\\') {
            return 0;
        }
    }
    return 1;
}

apr_status_t ls_path_confine(apr_pool_t *p, const char *root_real,
                             const char *path, const char **real_out)
{
    char buf[PATH_MAX];
    apr_size_t rl = strlen(root_real);

    if (realpath(path, buf) == NULL) {
        return errno == ENOENT || errno == ENOTDIR ? APR_ENOENT
                                                   : APR_FROM_OS_ERROR(errno);
    }
    if (strncmp(buf, root_real, rl) != 0
        || (buf[rl] != '\0' && buf[rl] != '/' && !(rl == 1))) {
        return APR_EACCES;
    }
    *real_out = apr_pstrdup(p, buf);
    return APR_SUCCESS;
}

/* Descriptors of asset roots, kept per thread for LS_PATH_ROOT_TTL: a
 * download then opens its file with one openat2() relative to a descriptor
 * it already has, instead of walking the root's own path (every component
 * from /) and closing it again, twice. Per thread, so no lock and no
 * descriptor closed under another thread's walk; the TTL bounds how long
 * a root that was renamed or swapped (a symlink flipped to a new release)
 * keeps being read through the directory it used to name. */
#define ROOT_SLOTS 4

typedef struct {
    char *root;
    int fd;
    apr_time_t at;
} root_slot;

typedef struct {
    root_slot slot[ROOT_SLOTS];
    unsigned next;
} root_cache;

static pthread_key_t root_key;
static pthread_once_t root_once = PTHREAD_ONCE_INIT;
static int root_key_ok;
static apr_interval_time_t root_ttl = LS_PATH_ROOT_TTL;

static void root_cache_free(void *v)
{
    root_cache *c = v;
    unsigned i;

    for (i = 0; i < ROOT_SLOTS; i++) {
        if (c->slot[i].root) {
            close(c->slot[i].fd);
            free(c->slot[i].root);
        }
    }
    free(c);
}

static void root_key_init(void)
{
    root_key_ok = pthread_key_create(&root_key, root_cache_free) == 0;
}

void ls_path_root_ttl(apr_interval_time_t ttl)
{
    root_ttl = ttl;
}

/* An O_PATH descriptor of root, or -1 with errno set. *cached: owned by
 * the thread's cache, valid until this thread's next root_fd() (give it
 * back with root_fd_done all the same). */
static int root_fd(const char *root, int *cached)
{
    root_cache *c;
    root_slot *s = NULL;
    apr_time_t now;
    unsigned i;
    int fd;

    *cached = 0;
    pthread_once(&root_once, root_key_init);
    if (!root_key_ok || root_ttl <= 0) {
        return open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
    }
    if ((c = pthread_getspecific(root_key)) == NULL) {
        if ((c = calloc(1, sizeof(*c))) == NULL
            || pthread_setspecific(root_key, c) != 0) {
            free(c);
            return open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
        }
    }
    now = apr_time_now();
    for (i = 0; i < ROOT_SLOTS && s == NULL; i++) {
        if (c->slot[i].root && strcmp(c->slot[i].root, root) == 0) {
            s = &c->slot[i];
        }
    }
    if (s && now >= s->at && now - s->at < root_ttl) {
        *cached = 1;
        return s->fd;
    }
    if ((fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0) {
        return -1;
    }
    if (s == NULL) {
        char *copy = strdup(root);

        if (copy == NULL) {
            return fd; /* not cached: the caller closes it */
        }
        s = &c->slot[c->next++ % ROOT_SLOTS];
        if (s->root) {
            close(s->fd);
            free(s->root);
        }
        s->root = copy;
    }
    else {
        close(s->fd); /* expired: the root as it is named now */
    }
    s->fd = fd;
    s->at = now;
    *cached = 1;
    return fd;
}

static void root_fd_done(int fd, int cached)
{
    if (!cached) {
        close(fd);
    }
}

#define OPEN_FLAGS (O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)

static apr_status_t close_on_cleanup(void *fd)
{
    close((int)(apr_uintptr_t)fd);
    return APR_SUCCESS;
}

/* root/rel walked without a symlink: fi its fstat. for_read: opened for
 * reading (O_NONBLOCK and O_NOCTTY, so a FIFO or a terminal met on the
 * way neither blocks nor is taken; nginx opens files the same way), and a
 * regular file is kept open in fi->filehand, closed with p. */
static apr_status_t plain(apr_pool_t *p, const char *root, const char *rel,
                          int for_read, apr_finfo_t *fi)
{
#if defined(__linux__) && defined(SYS_openat2) && defined(RESOLVE_BENEATH)
    struct open_how how;
    int dirfd, fd, err, cached;
    apr_file_t *f = NULL;
    apr_os_file_t os;
    apr_status_t rv;

    dirfd = root_fd(root, &cached);
    if (dirfd < 0) {
        return errno == ENOENT || errno == ENOTDIR ? APR_ENOENT : APR_ENOTIMPL;
    }
    memset(&how, 0, sizeof(how));
    how.flags = for_read ? OPEN_FLAGS : O_PATH | O_CLOEXEC;
    how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_SYMLINKS;
    fd = (int)syscall(SYS_openat2, dirfd, *rel ? rel : ".", &how, sizeof(how));
    err = errno;
    root_fd_done(dirfd, cached);
    if (fd < 0) {
        return err == ENOENT || err == ENOTDIR ? APR_ENOENT : APR_ENOTIMPL;
    }
    if (fi == NULL) {
        close(fd);
        return APR_SUCCESS;
    }
    /* The file the walk found, not a second walk by name: fstat of the
     * descriptor. */
    os = fd;
    rv = apr_os_file_put(&f, &os, APR_FOPEN_READ, p);
    if (rv == APR_SUCCESS) {
        rv = apr_file_info_get(fi, APR_FINFO_NORM, f);
        rv = rv == APR_INCOMPLETE ? APR_SUCCESS : rv;
    }
    if (rv == APR_SUCCESS && for_read && fi->filetype == APR_REG) {
        apr_pool_cleanup_register(p, (void *)(apr_uintptr_t)fd,
                                  close_on_cleanup, apr_pool_cleanup_null);
        fi->filehand = f;
        return APR_SUCCESS;
    }
    close(fd);
    if (rv == APR_SUCCESS) {
        fi->filehand = NULL; /* closed: nothing to read from */
    }
    return rv == APR_SUCCESS ? APR_SUCCESS : APR_ENOTIMPL;
#else
    (void)p;
    (void)root;
    (void)rel;
    (void)for_read;
    (void)fi;
    return APR_ENOTIMPL;
#endif
}

apr_status_t ls_path_plain_stat(apr_pool_t *p, const char *root,
                                const char *rel, apr_finfo_t *fi)
{
    return plain(p, root, rel, 0, fi);
}

apr_status_t ls_path_plain_open(apr_pool_t *p, const char *root,
                                const char *rel, apr_finfo_t *fi)
{
    return plain(p, root, rel, 1, fi);
}

apr_status_t ls_path_plain(const char *root, const char *rel)
{
    return ls_path_plain_stat(NULL, root, rel, NULL);
}

static int use_openat2 = 1;

void ls_path_use_openat2(int on)
{
    use_openat2 = on;
}

static apr_status_t open_error(int err)
{
    if (err == ENOENT || err == ENOTDIR) {
        return APR_ENOENT;
    }
    /* ELOOP: O_NOFOLLOW met a symlink; EXDEV: openat2 saw the walk leave
     * root. Both mean "not the file below root that was asked for". */
    return err == ELOOP || err == EXDEV ? APR_EACCES : APR_FROM_OS_ERROR(err);
}

/* The walk where openat2 cannot answer: resolve, confine, then open each
 * resolved component with O_NOFOLLOW, so nothing swapped in between the
 * realpath() and the open is followed. */
static apr_status_t open_walk(const char *root, const char *abs,
                              int no_symlinks, int *fd_out)
{
    char root_real[PATH_MAX], real[PATH_MAX], *seg, *next;
    apr_size_t rl, given = strlen(root);
    int fd, nfd;

    if (realpath(root, root_real) == NULL) {
        return open_error(errno);
    }
    if (realpath(abs, real) == NULL) {
        return open_error(errno);
    }
    rl = strlen(root_real);
    if (strncmp(real, root_real, rl) != 0 || real[rl] != '/') {
        return APR_EACCES;
    }
    /* No symlink anywhere below root: the path resolves to itself. */
    while (given > 1 && root[given - 1] == '/') {
        given--;
    }
    if (no_symlinks && strcmp(real + rl, abs + given) != 0) {
        return APR_EACCES;
    }
    fd = open(root_real, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        return open_error(errno);
    }
    for (seg = real + rl + 1; seg; seg = next) {
        next = strchr(seg, '/');
        if (next) {
            *next++ = '\0';
        }
        nfd = openat(fd, seg,
                     next ? O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC
                          : OPEN_FLAGS | O_NOFOLLOW);
        if (nfd < 0) {
            int err = errno;
            close(fd);
            return open_error(err);
        }
        close(fd);
        fd = nfd;
    }
    *fd_out = fd;
    return APR_SUCCESS;
}

static apr_status_t open_beneath_fd(const char *root, const char *path,
                                    int no_symlinks, int *fd)
{
    apr_size_t rl = strlen(root);
    const char *rel = path, *abs = path;
    char buf[PATH_MAX];

    while (rl > 1 && root[rl - 1] == '/') {
        rl--;
    }
    if (path[0] == '/') {
        if (strncmp(path, root, rl) != 0 || path[rl] != '/') {
            return APR_EACCES;
        }
        rel = path + rl + 1;
    }
    else if (apr_snprintf(buf, sizeof(buf), "%.*s/%s", (int)rl, root, path)
             >= (int)sizeof(buf) - 1) {
        return APR_FROM_OS_ERROR(ENAMETOOLONG);
    }
    else {
        abs = buf;
    }
    if (*rel == '\0') {
        return APR_EACCES; /* root itself is no file */
    }
#if defined(__linux__) && defined(SYS_openat2) && defined(RESOLVE_BENEATH)
    if (use_openat2) {
        struct open_how how;
        int dirfd, err, tries, cached;

        dirfd = root_fd(root, &cached);
        if (dirfd < 0) {
            return open_error(errno);
        }
        memset(&how, 0, sizeof(how));
        how.flags = OPEN_FLAGS;
        how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS
                      | (no_symlinks ? RESOLVE_NO_SYMLINKS : 0);
        /* EAGAIN: a rename elsewhere raced the walk; the kernel asks us
         * to try again. */
        for (tries = 0; tries < 3; tries++) {
            *fd = (int)syscall(SYS_openat2, dirfd, rel, &how, sizeof(how));
            if (*fd >= 0 || errno != EAGAIN) {
                break;
            }
        }
        err = errno;
        root_fd_done(dirfd, cached);
        if (*fd >= 0) {
            return APR_SUCCESS;
        }
        /* EXDEV also comes for an absolute symlink that stays inside
         * root, which openat2 will not follow beneath it: the walk
         * decides those. */
        if (err != ENOSYS && (err != EXDEV || no_symlinks)) {
            return open_error(err);
        }
    }
#endif
    return open_walk(root, abs, no_symlinks, fd);
}

apr_status_t ls_path_open_beneath(const char *root, const char *path, int *fd)
{
    return open_beneath_fd(root, path, 0, fd);
}

apr_status_t ls_path_open_plain(const char *root, const char *path, int *fd)
{
    return open_beneath_fd(root, path, 1, fd);
}

const char *ls_path_basename(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

const char *ls_path_join(apr_pool_t *p, const char *a, const char *b)
{
    if (a == NULL || *a == '\0') {
        return apr_pstrdup(p, b ? b : "");
    }
    if (b == NULL || *b == '\0') {
        return apr_pstrdup(p, a);
    }
    return apr_pstrcat(p, a, a[strlen(a) - 1] == '/' ? "" : "/", b, NULL);
}
