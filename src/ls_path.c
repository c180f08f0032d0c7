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

apr_status_t ls_path_beneath(const char *root, const char *rel)
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
    how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
    fd = (int)syscall(SYS_openat2, dirfd, *rel ? rel : ".", &how, sizeof(how));
    err = errno;
    close(dirfd);
    if (fd >= 0) {
        close(fd);
        return APR_SUCCESS;
    }
    return err == ENOENT || err == ENOTDIR ? APR_ENOENT : APR_ENOTIMPL;
#else
    (void)root;
    (void)rel;
    return APR_ENOTIMPL;
#endif
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
