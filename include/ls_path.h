/* ls_path: relative path syntax and confinement. Pure unit (APR + libc).
 * Owns the rules for what a path from a client may look like and the
 * check that a resolved file stays inside a root; it does not know about
 * shares (ls_share.c maps share paths onto the asset tree). */
#ifndef LS_PATH_H
#define LS_PATH_H

#include <apr_pools.h>
#include <apr_errno.h>

#define LS_PATH_MAX 4096

/* Checks and normalises a client-supplied relative path: '/'-separated,
 * no leading '/', no backslash, no control character, no "." or ".."
 * segment, no empty segment (a trailing '/' is dropped). The empty path
 * names the root and is allowed when allow_empty is set.
 * On success *out is the normal form in p. On failure returns
 * APR_EINVAL and *why is a sentence for the client (static). */
apr_status_t ls_path_clean(apr_pool_t *p, const char *in, int allow_empty,
                           const char **out, const char **why);

/* Non-zero when name (one file name) may appear in a path that
 * ls_path_clean accepts: no control character, no backslash. A name that
 * fails can never be asked for, so listings leave it out. */
int ls_path_name_ok(const char *name);

/* Resolves path (absolute) with realpath() and checks that the result is
 * root_real or lies below it; root_real must itself be resolved.
 * *real_out receives the resolved path in p.
 * Returns APR_SUCCESS, APR_ENOENT when path does not exist, or
 * APR_EACCES when it resolves outside root_real (a symlink escaping). */
apr_status_t ls_path_confine(apr_pool_t *p, const char *root_real,
                             const char *path, const char **real_out);

/* The fast confinement check of the download path: does rel (a normal
 * relative path) exist below root without leaving it, symlinks included?
 * On Linux one openat2(RESOLVE_BENEATH) walks the path in the kernel,
 * where realpath() costs a readlink() per component.
 * APR_SUCCESS: it exists and stays below root. APR_ENOENT: it does not
 * exist. APR_ENOTIMPL: no answer (no openat2, or a symlink the kernel
 * will not follow beneath a root, e.g. an absolute one): the caller must
 * fall back to ls_path_confine(). */
apr_status_t ls_path_beneath(const char *root, const char *rel);

/* The last segment of a normal relative path ("a/b.jpg" -> "b.jpg"). */
const char *ls_path_basename(const char *path);

/* a + "/" + b, where either may be empty. */
const char *ls_path_join(apr_pool_t *p, const char *a, const char *b);

#endif /* LS_PATH_H */
