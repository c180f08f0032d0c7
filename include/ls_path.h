/* ls_path: relative path syntax and confinement. Pure unit (APR + libc).
 * Owns the rules for what a path from a client may look like and the
 * check that a resolved file stays inside a root; it does not know about
 * shares (ls_share.c maps share paths onto the asset tree). */
#ifndef LS_PATH_H
#define LS_PATH_H

#include <apr_errno.h>
#include <apr_file_info.h>
#include <apr_pools.h>

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

/* Does rel (a normal relative path) exist below root with no symlink in
 * any component? Then it is below root by construction and its resolved
 * path is root/rel: one openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS).
 * APR_SUCCESS, APR_ENOENT (it does not exist) or APR_ENOTIMPL (a symlink
 * on the way, or no openat2): the caller resolves it the slow way. */
apr_status_t ls_path_plain(const char *root, const char *rel);

/* The same, and on APR_SUCCESS *fi describes the file found (APR_FINFO_NORM
 * of the descriptor the walk opened: no second walk by name; fi->fname
 * is not set). */
apr_status_t ls_path_plain_stat(apr_pool_t *p, const char *root,
                                const char *rel, apr_finfo_t *fi);

/* The same, the file opened for reading (O_NONBLOCK | O_NOCTTY): when it
 * is a regular file, fi->filehand is its descriptor, closed with p, so
 * the caller reads the very file found. Anything else is closed again
 * (fi->filehand NULL). */
apr_status_t ls_path_plain_open(apr_pool_t *p, const char *root,
                                const char *rel, apr_finfo_t *fi);

/* Opens a file below root for reading without following a symlink out
 * of it: openat2(RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS) from a
 * descriptor of root. Where openat2 is missing (ENOSYS, not Linux) or
 * refuses a symlink it cannot check beneath root (an absolute one), the
 * equivalent walk: realpath() confined to root, then each resolved
 * component opened with O_NOFOLLOW from the one before, so a component
 * turned into a symlink meanwhile fails. path is absolute (below root) or
 * relative to root; root is absolute. The file is opened O_RDONLY |
 * O_CLOEXEC | O_NOCTTY | O_NONBLOCK (a FIFO put in its place cannot
 * block); callers fstat *fd to see what they got.
 * APR_SUCCESS (*fd set; the caller closes it); APR_ENOENT when it does
 * not exist; APR_EACCES when it lies outside root or a symlink on the way
 * leads out; other errno statuses as they come. */
apr_status_t ls_path_open_beneath(const char *root, const char *path, int *fd);

/* As ls_path_open_beneath, for a path already resolved (no symlink in it
 * when it was checked): any symlink below root now means the file was
 * swapped since, and the answer is APR_EACCES (RESOLVE_NO_SYMLINKS; the
 * walk compares the resolved path with path). */
apr_status_t ls_path_open_plain(const char *root, const char *path, int *fd);

/* How long a thread keeps an asset root's directory descriptor for the
 * openat2() walks above: a root renamed or swapped for another directory
 * (a symlink flipped to a new release) is read through the directory it
 * named for at most this long. */
#define LS_PATH_ROOT_TTL apr_time_from_sec(1)

/* Tests only: how long root descriptors are kept (0: not at all). */
void ls_path_root_ttl(apr_interval_time_t ttl);

/* Tests only: 0 makes ls_path_open_beneath take the walk it uses where
 * openat2 is missing; 1 (the default) uses openat2 when there is one. */
void ls_path_use_openat2(int on);

/* The last segment of a normal relative path ("a/b.jpg" -> "b.jpg"). */
const char *ls_path_basename(const char *path);

/* a + "/" + b, where either may be empty. */
const char *ls_path_join(apr_pool_t *p, const char *a, const char *b);

#endif /* LS_PATH_H */
