/* Unit tests for ls_resolve: display names, share paths onto a real
 * asset tree (symlinks included) and folder listings. */
#define _XOPEN_SOURCE 700 /* nftw */
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fcntl.h>

#include <apr_file_io.h>
#include <apr_general.h>
#include <apr_portable.h>
#include <apr_strings.h>
#include <apr_time.h>

#include "ls_path.h"
#include "ls_resolve.h"
#include "tap.h"

static apr_pool_t *p;
static char root[4096];

static void make_file(const char *rel, const char *content)
{
    FILE *fp = fopen(apr_pstrcat(p, root, "/", rel, NULL), "w");
    if (fp == NULL) {
        printf("# cannot create %s\n", rel);
        return;
    }
    fputs(content, fp);
    fclose(fp);
}

static void make_dir(const char *rel)
{
    mkdir(apr_pstrcat(p, root, "/", rel, NULL), 0755);
}

static void make_link(const char *target, const char *rel)
{
    if (symlink(target, apr_pstrcat(p, root, "/", rel, NULL)) != 0) {
        printf("# cannot link %s\n", rel);
    }
}

static int remove_one(const char *path, const struct stat *st, int flag,
                      struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static ls_share_t *share_of(const char *const *paths, const char *const *kinds,
                            int n)
{
    ls_share_t *sh = apr_pcalloc(p, sizeof(*sh));
    int i;

    sh->id = "0123456789abcdef";
    sh->items = apr_array_make(p, n, sizeof(ls_item_t));
    sh->recipients = apr_array_make(p, 0, sizeof(ls_recipient_t));
    for (i = 0; i < n; i++) {
        ls_item_t *it = apr_array_push(sh->items);
        it->path = paths[i];
        it->kind = kinds[i];
    }
    return sh;
}

static const char *name_at(apr_array_header_t *a, int i)
{
    return i < a->nelts ? APR_ARRAY_IDX(a, i, const char *) : "(none)";
}

static int all_unique(apr_array_header_t *a)
{
    int i, j;
    for (i = 0; i < a->nelts; i++) {
        for (j = 0; j < i; j++) {
            if (strcmp(name_at(a, i), name_at(a, j)) == 0) {
                return 0;
            }
        }
    }
    return 1;
}

static void test_names(void)
{
    static const char *const k4[] = {"file", "file", "file", "file"};
    static const char *const p1[] = {"x/a", "y/a", "a (2)", "z/a (2)"};
    static const char *const p2[] = {"a (2)", "x/a", "y/a"};
    static const char *const p3[] = {"photos/cat.jpg", "press kit", "b.txt"};
    apr_array_header_t *n;

    n = ls_resolve_names(p, share_of(p1, k4, 4));
    ok(n->nelts == 4, "one name per item");
    is_str(name_at(n, 0), "a", "first keeps its basename");
    is_str(name_at(n, 1), "a (2)", "second gets (2)");
    is_str(name_at(n, 2), "a (2) (2)", "a real 'a (2)' is renamed");
    is_str(name_at(n, 3), "a (2) (3)", "and its twin gets (3)");
    ok(all_unique(n), "names unique");

    n = ls_resolve_names(p, share_of(p2, k4, 3));
    is_str(name_at(n, 0), "a (2)", "'a (2)' first keeps its name");
    is_str(name_at(n, 1), "a", "then 'a'");
    is_str(name_at(n, 2), "a (3)", "the next 'a' skips the taken (2)");
    ok(all_unique(n), "names unique");

    n = ls_resolve_names(p, share_of(p3, k4, 3));
    is_str(name_at(n, 0), "cat.jpg", "basename of a nested file");
    is_str(name_at(n, 1), "press kit", "folder name");
    is_str(name_at(n, 2), "b.txt", "top-level file");

    n = ls_resolve_names(p, share_of(p3, k4, 0));
    ok(n->nelts == 0, "no items, no names");

    /* A share may hold LS_API_MAX_PATHS items with one basename (cover.jpg
     * in every album); names are computed on every public request. */
    {
        ls_share_t *sh = share_of(p3, k4, 0);
        apr_time_t t0;
        double secs;
        int i;
        for (i = 0; i < 1000; i++) {
            ls_item_t *it = apr_array_push(sh->items);
            it->path = apr_psprintf(p, "album%d/cover.jpg", i);
            it->kind = "file";
        }
        t0 = apr_time_now();
        n = ls_resolve_names(p, sh);
        secs = (double)(apr_time_now() - t0) / APR_USEC_PER_SEC;
        is_str(name_at(n, 999), "cover.jpg (1000)", "1000 twins numbered");
        printf("# 1000 equal basenames named in %.3f s\n", secs);
    }
}

/* Resolves rel in sh: the status, with the target in *t. */
static apr_status_t resolve(const ls_share_t *sh, const char *rel,
                            ls_target_t *t)
{
    const char *why = NULL;
    apr_status_t rv = ls_resolve(p, root, sh, NULL, rel, t, &why);
    if (rv == APR_EINVAL && why == NULL) {
        printf("# EINVAL without a reason for '%s'\n", rel);
        return APR_EGENERAL;
    }
    return rv;
}

static const ls_entry_t *entry_at(apr_array_header_t *a, int i)
{
    static const ls_entry_t none = {.name = "(none)"};
    return i < a->nelts ? &APR_ARRAY_IDX(a, i, ls_entry_t) : &none;
}

static void test_resolve(const ls_share_t *sh)
{
    ls_target_t t;
    apr_array_header_t *list = NULL;
    const ls_entry_t *e;
    int i;

    ok(resolve(sh, "", &t) == APR_SUCCESS, "root resolves");
    ok(t.item == -1 && t.real == NULL && strcmp(t.share_rel, "") == 0,
       "root target: no item, no file");
    ok(resolve(sh, "a.txt", &t) == APR_SUCCESS, "file item");
    ok(t.item == 0, "item 0");
    is_str(t.asset_rel, "a.txt", "asset path");
    is_str(t.real, apr_pstrcat(p, root, "/a.txt", NULL), "real path");
    ok(t.finfo.filetype == APR_REG && t.finfo.size == 3, "stat of the file");
    ok(resolve(sh, "a.txt (2)", &t) == APR_SUCCESS && t.item == 1,
       "second file with the same basename");
    is_str(t.asset_rel, "docs/a.txt", "its asset path");
    ok(t.finfo.size == 5, "and its own content");
    ok(resolve(sh, "folder", &t) == APR_SUCCESS && t.item == 2
           && t.finfo.filetype == APR_DIR,
       "folder item");
    ok(resolve(sh, "folder/", &t) == APR_SUCCESS && t.item == 2,
       "folder item with a trailing slash");
    is_str(t.share_rel, "folder", "share path normalised");
    ok(resolve(sh, "folder/sub/c.txt", &t) == APR_SUCCESS && t.item == 2,
       "file inside a folder");
    is_str(t.asset_rel, "folder/sub/c.txt", "its asset path");
    is_str(t.real, apr_pstrcat(p, root, "/folder/sub/c.txt", NULL),
           "its real path");
    ok(resolve(sh, "folder/sub", &t) == APR_SUCCESS
           && t.finfo.filetype == APR_DIR,
       "folder inside a folder");
    ok(resolve(sh, "folder/inner-link", &t) == APR_SUCCESS,
       "symlink staying inside the item");
    {
        /* Files may keep the link in their path (the kernel checked it);
         * what matters is that it is the target's file. */
        apr_finfo_t fb;
        ok(apr_stat(&fb, apr_pstrcat(p, root, "/folder/b.txt", NULL),
                    APR_FINFO_INODE, p)
                   == APR_SUCCESS
               && fb.inode == t.finfo.inode,
           "resolved to its target");
    }

    ok(resolve(sh, "../a.txt", &t) == APR_EINVAL, "'..' is EINVAL");
    ok(resolve(sh, "folder/../a.txt", &t) == APR_EINVAL,
       "'..' inside is EINVAL");
    ok(resolve(sh, "/a.txt", &t) == APR_EINVAL, "absolute is EINVAL");
    ok(resolve(sh, "folder//b.txt", &t) == APR_EINVAL,
       "empty segment is EINVAL");
    ok(resolve(sh, "folder/./b.txt", &t) == APR_EINVAL, "'.' is EINVAL");
    ok(resolve(sh, "folder\\b.txt", &t) == APR_EINVAL, "backslash is EINVAL");
    ok(resolve(sh, "nope", &t) == APR_NOTFOUND, "unknown name");
    ok(resolve(sh, "a.txt (3)", &t) == APR_NOTFOUND, "unused suffix");
    ok(resolve(sh, "docs", &t) == APR_NOTFOUND,
       "an unshared folder on disk is unknown");
    ok(resolve(sh, "a.txt/x", &t) == APR_NOTFOUND,
       "sub-path under a file item");
    ok(resolve(sh, "folder/nope", &t) == APR_NOTFOUND,
       "missing file in a folder");
    ok(resolve(sh, "folder/escape", &t) == APR_NOTFOUND,
       "symlink leaving the asset root");
    ok(resolve(sh, "folder/escape/passwd", &t) == APR_NOTFOUND,
       "path through an escaping symlink");
    ok(resolve(sh, "folder/up", &t) == APR_NOTFOUND,
       "symlink leaving the item (inside the asset root)");
    ok(resolve(sh, "folder/dangling", &t) == APR_NOTFOUND, "dangling symlink");
    ok(resolve(sh, "folder/fifo", &t) == APR_NOTFOUND, "a FIFO is not served");
    /* The listing hides ".*" entries, and a recipient who guesses the
     * name does not get them either (.git/config, .env, .htaccess, ...). */
    ok(resolve(sh, "folder/.hidden", &t) == APR_NOTFOUND,
       "hidden file in a folder is not served");
    ok(resolve(sh, "folder/.git/config", &t) == APR_NOTFOUND,
       "file in a hidden folder is not served");
    ok(resolve(sh, "outlink", &t) == APR_NOTFOUND,
       "item that is an escaping symlink");
    ok(resolve(sh, "gone.txt", &t) == APR_NOTFOUND, "missing item");
    ok(resolve(sh, "gone", &t) == APR_NOTFOUND, "missing folder item");
    ok(resolve(sh, "gone/x", &t) == APR_NOTFOUND, "path in a missing folder");

    /* The root lists every item in the sharer's order. */
    resolve(sh, "", &t);
    ok(ls_resolve_list(p, root, sh, NULL, &t, &list) == APR_SUCCESS,
       "root listed");
    ok(list->nelts == 6, "one entry per item (%d)", list->nelts);
    e = entry_at(list, 0);
    ok(strcmp(e->name, "a.txt") == 0 && e->available && !e->is_dir
           && e->size == 3,
       "a.txt available, size 3");
    e = entry_at(list, 1);
    ok(strcmp(e->name, "a.txt (2)") == 0 && e->available && e->size == 5,
       "a.txt (2) available, size 5");
    ok(e->asset_rel && strcmp(e->asset_rel, "docs/a.txt") == 0,
       "a root entry carries its item's asset path (%s)",
       e->asset_rel ? e->asset_rel : "NULL");
    e = entry_at(list, 2);
    ok(strcmp(e->name, "folder") == 0 && e->available && e->is_dir,
       "folder available");
    e = entry_at(list, 3);
    ok(strcmp(e->name, "outlink") == 0 && !e->available,
       "escaping item unavailable");
    e = entry_at(list, 4);
    ok(strcmp(e->name, "gone.txt") == 0 && !e->available && !e->is_dir,
       "missing file item reported unavailable");
    e = entry_at(list, 5);
    ok(strcmp(e->name, "gone") == 0 && !e->available && e->is_dir,
       "missing folder item reported unavailable, still a folder");

    /* A folder lists folders first, then files, by name; hidden entries,
     * names with control characters or a backslash, escaping links,
     * dangling links and FIFOs are left out. */
    resolve(sh, "folder", &t);
    ok(ls_resolve_list(p, root, sh, NULL, &t, &list) == APR_SUCCESS,
       "folder listed");
    {
        static const char *const want[] = {"Zed", "alpha", "sub", "b.txt",
                                           "inner-link"};
        static const int dirs[] = {1, 1, 1, 0, 0};
        int good = list->nelts == 5;
        for (i = 0; i < list->nelts; i++) {
            e = entry_at(list, i);
            printf("#   entry %d: %s%s\n", i, e->name, e->is_dir ? "/" : "");
            if (i < 5
                && (strcmp(e->name, want[i]) != 0 || e->is_dir != dirs[i]
                    || !e->available)) {
                good = 0;
            }
        }
        ok(good, "folders first, then files, sorted, leaks left out");
    }
    e = entry_at(list, 4);
    ok(e->size == 4, "symlink inside reports its target's size");
    resolve(sh, "folder/sub", &t);
    ok(ls_resolve_list(p, root, sh, NULL, &t, &list) == APR_SUCCESS
           && list->nelts == 1 && strcmp(entry_at(list, 0)->name, "c.txt") == 0,
       "nested folder listed");
    ok(entry_at(list, 0)->asset_rel
           && strcmp(entry_at(list, 0)->asset_rel, "folder/sub/c.txt") == 0,
       "a folder entry carries its asset path");
    resolve(sh, "folder/alpha", &t);
    ok(ls_resolve_list(p, root, sh, NULL, &t, &list) == APR_SUCCESS
           && list->nelts == 0,
       "empty folder lists nothing");
}

/* Renditions live in RENDITIONS/<asset path>/<name>. */
static void test_renditions(void)
{
    const char *rr = apr_pstrcat(p, root, "/rend", NULL), *got;

    make_dir("rend");
    make_dir("rend/v.mp4");
    make_file("rend/v.mp4/poster.jpg", "jpeg bytes, the largest file here");
    make_file("rend/v.mp4/web.webm", "webm");
    make_file("rend/v.mp4/b-web.mp4", "mp4");
    make_file("rend/v.mp4/thumbnail.svg", "<svg/>");
    make_file("rend/v.mp4/thumbnail2.png", "png");
    make_file("rend/v.mp4/.hidden.mp4", "x");
    make_link("/etc/passwd", "rend/v.mp4/a-escape.mp4");

    got = ls_resolve_rendition_type(p, rr, "v.mp4", "video/");
    ok(got && strcmp(ls_path_basename(got), "b-web.mp4") == 0,
       "video rendition: the first video by name, escaping links skipped "
       "(%s)",
       got ? got : "NULL");
    ok(ls_resolve_rendition_type(p, rr, "v.mp4", "application/pdf") == NULL,
       "no PDF rendition: NULL");
    ok(ls_resolve_rendition_type(p, rr, "v.mp4", "image/svg") == NULL,
       "an SVG is never picked as a rendition");
    got = ls_resolve_rendition(p, rr, "v.mp4", "thumbnail");
    ok(got && strcmp(ls_path_basename(got), "thumbnail2.png") == 0,
       "thumbnail: a raster image with the prefix, not the SVG");
    got = ls_resolve_rendition(p, rr, "v.mp4", NULL);
    ok(got && strcmp(ls_path_basename(got), "poster.jpg") == 0,
       "no prefix: the largest rendition");
    ok(ls_resolve_rendition_type(p, rr, "nothing.mp4", "video/") == NULL,
       "an asset without renditions: NULL");
    ok(ls_resolve_rendition_type(p, NULL, "v.mp4", "video/") == NULL,
       "no rendition root: NULL");
}

/* ls_resolve_open: the file to send opened as it is resolved. */
static void test_open(const ls_share_t *sh)
{
    ls_target_t t;
    const char *why = NULL;
    apr_pool_t *sub;
    apr_os_file_t fd = -1;
    char buf[8] = "";
    apr_size_t n = sizeof(buf) - 1;

    apr_pool_create(&sub, p);
    ok(ls_resolve_open(sub, root, sh, NULL, "folder/sub/c.txt", &t, &why)
               == APR_SUCCESS
           && t.file != NULL && t.finfo.filetype == APR_REG,
       "open: a file in a folder resolves opened");
    ok(t.file && apr_file_read(t.file, buf, &n) == APR_SUCCESS && n == 1
           && buf[0] == 'c',
       "open: reads the file's bytes");
    if (t.file) {
        apr_os_file_get(&fd, t.file);
    }
    apr_pool_destroy(sub);
    ok(fd >= 0 && fcntl(fd, F_GETFD) == -1,
       "open: the descriptor is closed with the pool");
    ok(ls_resolve(p, root, sh, NULL, "folder/sub/c.txt", &t, &why)
               == APR_SUCCESS
           && t.file == NULL,
       "ls_resolve opens nothing");
    ok(ls_resolve_open(p, root, sh, NULL, "folder", &t, &why) == APR_SUCCESS
           && t.file == NULL && t.finfo.filetype == APR_DIR,
       "open: a folder is not kept open");
    ok(ls_resolve_open(p, root, sh, NULL, "folder/inner-link", &t, &why)
               == APR_SUCCESS
           && t.file == NULL && t.finfo.filetype == APR_REG,
       "open: a symlink inside resolves the slow way, not opened");
    ok(ls_resolve_open(p, root, sh, NULL, "folder/fifo", &t, &why)
           == APR_NOTFOUND,
       "open: a FIFO is no file (and opening it did not block)");
    ok(ls_resolve_open(p, root, sh, NULL, "outlink", &t, &why) == APR_NOTFOUND,
       "open: a symlink out of the root is not found");
    ok(ls_resolve_open(p, root, sh, NULL, "folder/../a.txt", &t, &why)
           == APR_EINVAL,
       "open: '..' refused before anything is opened");
}

int main(void)
{
    char tmpl[] = "/tmp/ls_resolve_XXXXXX";
    static const char *const paths[] = {"a.txt",   "docs/a.txt", "folder",
                                        "outlink", "gone.txt",   "gone"};
    static const char *const kinds[] = {"file", "file", "folder",
                                        "file", "file", "folder"};

    apr_initialize();
    apr_pool_create(&p, NULL);

    test_names();

    ok(mkdtemp(tmpl) != NULL && realpath(tmpl, root) != NULL, "temp tree");
    make_file("a.txt", "abc");
    make_dir("docs");
    make_file("docs/a.txt", "12345");
    make_dir("folder");
    make_file("folder/b.txt", "bbbb");
    make_file("folder/.hidden", "h");
    /* Names no path may hold: listed, they could never be downloaded. */
    make_file("folder/bell\a.txt", "x");
    make_file("folder/tab\tname.txt", "x");
    make_file("folder/new\nline.txt", "x");
    make_file("folder/back\\slash.txt", "x");
    make_dir("folder/.git");
    make_file("folder/.git/config", "[core]");
    make_dir("folder/Zed");
    make_dir("folder/alpha");
    make_dir("folder/sub");
    make_file("folder/sub/c.txt", "c");
    make_link("b.txt", "folder/inner-link");
    make_link("/etc", "folder/escape");
    make_link("../a.txt", "folder/up");
    make_link("nope", "folder/dangling");
    ok(mkfifo(apr_pstrcat(p, root, "/folder/fifo", NULL), 0644) == 0, "fifo");
    make_link("/etc/passwd", "outlink");

    test_resolve(share_of(paths, kinds, 6));
    test_open(share_of(paths, kinds, 6));
    test_renditions();

    ok(nftw(root, remove_one, 16, FTW_DEPTH | FTW_PHYS) == 0,
       "temp tree removed");
    apr_pool_destroy(p);
    apr_terminate();
    done_testing();
}
