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

#include <apr_file_io.h>
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

apr_status_t ls_path_plain_stat(apr_pool_t *p, const char *root,
                                const char *rel, apr_finfo_t *fi)
{
#if defined(__linux__) && defined(SYS_openat2) && defined(RESOLVE_BENEATH)
    struct open_how how;
    int dirfd, fd, err;

    dirfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (dirfd < 0) {
        return errno == ENOENT || errno == ENOTDIR ? APR_ENOENT : APR_ENOTIMPL;
    }
    memset(&how, 0, sizeof(how));
    how.flags = O_PATH | O_CLOEXEC;
    how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_SYMLINKS;
    fd = (int)syscall(SYS_openat2, dirfd, *rel ? rel : ".", &how, sizeof(how));
    err = errno;
    close(dirfd);
    if (fd < 0) {
        return err == ENOENT || err == ENOTDIR ? APR_ENOENT : APR_ENOTIMPL;
    }
    if (fi) {
        /* The file the walk found, not a second walk by name: fstat of
         * the O_PATH descriptor. */
        apr_file_t *f = NULL;
        apr_os_file_t os = fd;
        apr_status_t rv = apr_os_file_put(&f, &os, APR_FOPEN_READ, p);

        if (rv == APR_SUCCESS) {
            rv = apr_file_info_get(fi, APR_FINFO_NORM, f);
        }
        close(fd);
        return rv == APR_SUCCESS || rv == APR_INCOMPLETE ? APR_SUCCESS
                                                         : APR_ENOTIMPL;
    }
    close(fd);
    return APR_SUCCESS;
#else
    (void)p;
    (void)root;
    (void)rel;
    (void)fi;
    return APR_ENOTIMPL;
#endif
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

#define OPEN_FLAGS (O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)

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
        int dirfd, err, tries;

        dirfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
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
        close(dirfd);
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
