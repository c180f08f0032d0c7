/* Unit tests for ls_path: syntax rules and confinement. */
#include <pthread.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <apr_file_io.h>
#include <apr_general.h>
#include <apr_strings.h>

#include "ls_path.h"
#include "tap.h"

#define ROOTS_CYCLED 6

static const char *clean(apr_pool_t *p, const char *in, int allow_empty)
{
    const char *out = NULL, *why = NULL;
    return ls_path_clean(p, in, allow_empty, &out, &why) == APR_SUCCESS ? out
                                                                        : NULL;
}

static int open_fds(void)
{
    apr_dir_t *d;
    apr_finfo_t fi;
    apr_pool_t *p;
    int n = 0;

    apr_pool_create(&p, NULL);
    if (apr_dir_open(&d, "/proc/self/fd", p) == APR_SUCCESS) {
        while (apr_dir_read(&fi, APR_FINFO_NAME, d) == APR_SUCCESS) {
            n += fi.name[0] != '.';
        }
        apr_dir_close(d);
    }
    apr_pool_destroy(p);
    return n - 1; /* the directory's own descriptor */
}

static int opens(const char *root, const char *rel)
{
    int fd = -1;

    if (ls_path_open_plain(root, rel, &fd) != APR_SUCCESS) {
        return 0;
    }
    close(fd);
    return 1;
}

static void *thread_opens(void *root)
{
    return (void *)(long)opens(root, "f.txt");
}

/* The per-thread descriptors of asset roots (LS_PATH_ROOT_TTL). */
static void root_cache(apr_pool_t *p, const char *base)
{
    const char *r = apr_pstrcat(p, base, "/swap", NULL);
    const char *old = apr_pstrcat(p, base, "/swap.old", NULL);
    const char *roots[ROOTS_CYCLED];
    apr_file_t *f;
    pthread_t t;
    void *res = NULL;
    int i, j, all, before;

    mkdir(r, 0700);
    apr_file_open(&f, apr_pstrcat(p, r, "/f.txt", NULL),
                  APR_FOPEN_WRITE | APR_FOPEN_CREATE, APR_FPROT_OS_DEFAULT, p);
    apr_file_close(f);
    ls_path_root_ttl(apr_time_from_msec(300));
    ok(opens(r, "f.txt"), "root cache: a file opens");
    /* The root swapped for another directory (a release flipped): read
     * through the directory it named until the descriptor's time is up. */
    rename(r, old);
    mkdir(r, 0700);
    apr_file_open(&f, apr_pstrcat(p, r, "/g.txt", NULL),
                  APR_FOPEN_WRITE | APR_FOPEN_CREATE, APR_FPROT_OS_DEFAULT, p);
    apr_file_close(f);
    ok(opens(r, "f.txt") && !opens(r, "g.txt"),
       "root cache: within its time, the directory the root named");
    apr_sleep(apr_time_from_msec(400));
    ok(opens(r, "g.txt") && !opens(r, "f.txt"),
       "root cache: after its time, the directory the root names now");
    ls_path_root_ttl(0);
    rename(r, apr_pstrcat(p, base, "/swap.2", NULL));
    rename(old, r);
    ok(opens(r, "f.txt") && !opens(r, "g.txt"),
       "root cache off: every open walks the root's path");
    ls_path_root_ttl(LS_PATH_ROOT_TTL);
    /* More roots than slots, many opens: every answer right, and no more
     * descriptors held than slots. */
    for (i = 0; i < ROOTS_CYCLED; i++) {
        roots[i] = apr_psprintf(p, "%s/r%d", base, i);
        mkdir(roots[i], 0700);
        apr_file_open(&f, apr_pstrcat(p, roots[i], "/f.txt", NULL),
                      APR_FOPEN_WRITE | APR_FOPEN_CREATE, APR_FPROT_OS_DEFAULT,
                      p);
        apr_file_close(f);
    }
    before = open_fds();
    for (j = 0, all = 1; j < 200; j++) {
        all &= opens(roots[j % ROOTS_CYCLED], "f.txt");
        all &= !opens(roots[j % ROOTS_CYCLED], "nope");
    }
    ok(all, "root cache: %d roots in turn, every answer right", ROOTS_CYCLED);
    ok(open_fds() - before <= 4,
       "root cache: at most 4 descriptors kept "
       "(%d more than before)",
       open_fds() - before);
    /* A thread's descriptors go with it. */
    before = open_fds();
    ok(pthread_create(&t, NULL, thread_opens, (void *)r) == 0
           && pthread_join(t, &res) == 0 && res == (void *)1L,
       "root cache: a thread opens a file");
    ok(open_fds() == before, "root cache: an ended thread's descriptors "
                             "are closed");
    for (i = 0; i < ROOTS_CYCLED; i++) {
        unlink(apr_pstrcat(p, roots[i], "/f.txt", NULL));
        rmdir(roots[i]);
    }
    unlink(apr_pstrcat(p, r, "/f.txt", NULL));
    rmdir(r);
    unlink(apr_pstrcat(p, base, "/swap.2/g.txt", NULL));
    rmdir(apr_pstrcat(p, base, "/swap.2", NULL));
}

int main(void)
{
    apr_pool_t *p;
    char tmpl[] = "/tmp/ls_path_XXXXXX", root[4096];
    const char *real = NULL, *why = NULL, *out;

    apr_initialize();
    apr_pool_create(&p, NULL);

    is_str(clean(p, "a/b.jpg", 0), "a/b.jpg", "plain path kept");
    is_str(clean(p, "press kit/", 0), "press kit", "trailing slash dropped");
    is_str(clean(p, "caf\xc3\xa9/\"quoted\" name's.txt", 0),
           "caf\xc3\xa9/\"quoted\" name's.txt", "non-ASCII and quotes kept");
    ok(clean(p, "", 0) == NULL, "empty refused without allow_empty");
    is_str(clean(p, "", 1), "", "empty allowed as the root");
    ok(clean(p, "..", 1) == NULL, "'..' refused");
    ok(clean(p, "a/../b", 1) == NULL, "'..' inside refused");
    ok(clean(p, "a/..", 1) == NULL, "trailing '..' refused");
    ok(clean(p, "./a", 1) == NULL, "'.' refused");
    ok(clean(p, "/etc/passwd", 1) == NULL, "absolute refused");
    ok(clean(p, "a\\..\\b", 1) == NULL, "backslash refused");
    ok(clean(p, "a//b", 1) == NULL, "empty segment refused");
    ok(clean(p, "a\nb", 1) == NULL, "newline refused");
    ok(clean(p, "a\x7f", 1) == NULL, "DEL refused");
    ok(clean(p, "...", 1) != NULL, "'...' is an ordinary name");
    ok(clean(p, "..a", 1) != NULL, "'..a' is an ordinary name");
    ok(ls_path_clean(p, "a/../b", 0, &out, &why) == APR_EINVAL && why,
       "a reason is given");
    {
        char *longp = apr_palloc(p, LS_PATH_MAX + 2);
        memset(longp, 'a', LS_PATH_MAX + 1);
        longp[LS_PATH_MAX + 1] = '\0';
        ok(clean(p, longp, 1) == NULL, "overlong path refused");
    }

    is_str(ls_path_basename("a/b/c.jpg"), "c.jpg", "basename");
    is_str(ls_path_basename("c.jpg"), "c.jpg", "basename without slash");
    is_str(ls_path_join(p, "a", "b"), "a/b", "join");
    is_str(ls_path_join(p, "", "b"), "b", "join with empty head");
    is_str(ls_path_join(p, "a", ""), "a", "join with empty tail");

    /* Confinement on a real tree with a symlink escaping it. */
    ok(mkdtemp(tmpl) != NULL, "temp dir");
    ok(realpath(tmpl, root) != NULL, "temp dir resolved");
    {
        const char *in = apr_pstrcat(p, root, "/in", NULL);
        const char *f = apr_pstrcat(p, in, "/f.txt", NULL);
        FILE *fp;
        ok(mkdir(in, 0755) == 0, "made in/");
        fp = fopen(f, "w");
        ok(fp != NULL, "made in/f.txt");
        fclose(fp);
        ok(symlink("/etc", apr_pstrcat(p, in, "/escape", NULL)) == 0,
           "symlink to /etc");
        ok(symlink("f.txt", apr_pstrcat(p, in, "/alias", NULL)) == 0,
           "symlink inside");
        ok(ls_path_confine(p, in, f, &real) == APR_SUCCESS, "file inside");
        is_str(real, f, "resolved path");
        ok(ls_path_confine(p, in, apr_pstrcat(p, in, "/escape/passwd", NULL),
                           &real)
               == APR_EACCES,
           "symlink leaving the root refused");
        ok(ls_path_confine(p, in, apr_pstrcat(p, in, "/alias", NULL), &real)
               == APR_SUCCESS,
           "symlink staying inside accepted");
        ok(ls_path_confine(p, in, apr_pstrcat(p, in, "/nope", NULL), &real)
               == APR_ENOENT,
           "missing file is ENOENT");
        ok(ls_path_confine(p, in, apr_pstrcat(p, root, "/in2", NULL), &real)
               != APR_SUCCESS,
           "sibling with the root as prefix refused");
        mkdir(apr_pstrcat(p, root, "/in2", NULL), 0755);
        ok(ls_path_confine(p, in, apr_pstrcat(p, root, "/in2", NULL), &real)
               == APR_EACCES,
           "existing sibling with the root as prefix refused");
        /* The kernel's view (openat2 RESOLVE_BENEATH|RESOLVE_NO_SYMLINKS):
         * where it cannot answer it says ENOTIMPL and realpath() decides. */
        ok(ls_path_plain(in, "f.txt") == APR_SUCCESS
               || ls_path_plain(in, "f.txt") == APR_ENOTIMPL,
           "plain: a file without symlinks");
        ok(ls_path_plain(in, "alias") == APR_ENOTIMPL,
           "plain: a symlink on the way is never SUCCESS");
        {
            /* With the file's description: the one the walk found. */
            apr_finfo_t by_fd, by_name;
            apr_status_t rv = ls_path_plain_stat(p, in, "f.txt", &by_fd);

            ok(rv == APR_ENOTIMPL
                   || (rv == APR_SUCCESS
                       && apr_stat(&by_name, apr_pstrcat(p, in, "/f.txt", NULL),
                                   APR_FINFO_NORM, p)
                              == APR_SUCCESS
                       && by_fd.filetype == APR_REG
                       && by_fd.size == by_name.size
                       && by_fd.inode == by_name.inode
                       && by_fd.mtime == by_name.mtime),
               "plain with stat: type, size, inode and mtime of the file");
            ok(ls_path_plain_stat(p, in, "alias", &by_fd) == APR_ENOTIMPL,
               "plain with stat: a symlink on the way is never SUCCESS");
        }
        ok(ls_path_plain(in, "nope") == APR_ENOENT
               || ls_path_plain(in, "nope") == APR_ENOTIMPL,
           "plain: missing");
        ok(ls_path_plain(in, "escape/passwd") == APR_ENOTIMPL,
           "plain: a symlink leaving the root is never SUCCESS");
        ok(ls_path_plain(apr_pstrcat(p, root, "/nope", NULL), "f.txt")
               == APR_ENOENT,
           "plain: missing root");
        /* Opening beneath the root, with openat2 and with the walk used
         * where it is missing: the same answers. */
        ok(symlink(f, apr_pstrcat(p, in, "/absalias", NULL)) == 0,
           "absolute symlink staying inside");
        ok(symlink("../in2", apr_pstrcat(p, in, "/up", NULL)) == 0,
           "relative symlink leaving the root");
        {
            int mode;
            for (mode = 1; mode >= 0; mode--) {
                const char *how = mode ? "openat2" : "walk";
                struct stat st, want;
                int fd = -1;
                ls_path_use_openat2(mode);
                stat(f, &want);
                ok(ls_path_open_beneath(in, f, &fd) == APR_SUCCESS
                       && fstat(fd, &st) == 0 && st.st_ino == want.st_ino,
                   "open beneath (%s): absolute path of a file inside", how);
                if (fd >= 0) {
                    close(fd);
                }
                fd = -1;
                ok(ls_path_open_beneath(in, "f.txt", &fd) == APR_SUCCESS,
                   "open beneath (%s): relative path", how);
                if (fd >= 0) {
                    close(fd);
                }
                fd = -1;
                ok(ls_path_open_beneath(in, "alias", &fd) == APR_SUCCESS
                       && fstat(fd, &st) == 0 && st.st_ino == want.st_ino,
                   "open beneath (%s): a symlink staying inside", how);
                if (fd >= 0) {
                    close(fd);
                }
                fd = -1;
                ok(ls_path_open_beneath(in, "absalias", &fd) == APR_SUCCESS,
                   "open beneath (%s): an absolute symlink staying inside",
                   how);
                if (fd >= 0) {
                    close(fd);
                }
                ok(ls_path_open_beneath(in, "escape/passwd", &fd) == APR_EACCES,
                   "open beneath (%s): a symlink to /etc refused", how);
                ok(ls_path_open_beneath(in, "up", &fd) != APR_SUCCESS,
                   "open beneath (%s): a relative symlink out refused", how);
                ok(ls_path_open_beneath(in, "/etc/passwd", &fd) == APR_EACCES,
                   "open beneath (%s): an absolute path elsewhere refused",
                   how);
                ok(ls_path_open_beneath(
                       in, apr_pstrcat(p, root, "/in2/x", NULL), &fd)
                       == APR_EACCES,
                   "open beneath (%s): a sibling with the root as prefix", how);
                ok(ls_path_open_beneath(in, "nope", &fd) == APR_ENOENT,
                   "open beneath (%s): missing is ENOENT", how);
                /* A resolved path opened again: a symlink met now was
                 * swapped in since, wherever it leads. */
                fd = -1;
                ok(ls_path_open_plain(in, f, &fd) == APR_SUCCESS
                       && fstat(fd, &st) == 0 && st.st_ino == want.st_ino,
                   "open plain (%s): the resolved file", how);
                if (fd >= 0) {
                    close(fd);
                }
                ok(ls_path_open_plain(apr_pstrcat(p, in, "/", NULL), "f.txt",
                                      &fd)
                       == APR_SUCCESS,
                   "open plain (%s): a root given with a slash", how);
                close(fd);
                ok(ls_path_open_plain(in, "alias", &fd) == APR_EACCES,
                   "open plain (%s): a symlink inside the root refused", how);
                ok(ls_path_open_plain(in, "absalias", &fd) == APR_EACCES,
                   "open plain (%s): an absolute symlink inside refused", how);
                ok(ls_path_open_plain(in, "escape/passwd", &fd) == APR_EACCES,
                   "open plain (%s): a symlink out refused", how);
                ok(ls_path_open_plain(in, "nope", &fd) == APR_ENOENT,
                   "open plain (%s): missing is ENOENT", how);
            }
            ls_path_use_openat2(1);
        }
        root_cache(p, root);
        unlink(apr_pstrcat(p, in, "/absalias", NULL));
        unlink(apr_pstrcat(p, in, "/up", NULL));
        unlink(apr_pstrcat(p, in, "/escape", NULL));
        unlink(apr_pstrcat(p, in, "/alias", NULL));
        unlink(f);
        rmdir(in);
        rmdir(apr_pstrcat(p, root, "/in2", NULL));
        rmdir(root);
    }
    ok(ls_path_name_ok("caf\xc3\xa9 menu (2).txt"),
       "a name with spaces, UTF-8");
    ok(!ls_path_name_ok("bell\a.txt") && !ls_path_name_ok("a\tb")
           && !ls_path_name_ok("a\nb") && !ls_path_name_ok("del\x7f"),
       "control characters: no name for a path");
    ok(!ls_path_name_ok("back\\slash"), "a backslash: no name for a path");
    apr_pool_destroy(p);
    apr_terminate();
    done_testing();
}
