/* Unit tests for ls_select: what a selection costs (paths cleaned and
 * walked once, folders by device and inode, bounds), what each entry
 * records for the worker (root, device, inode), and its JSON. */
#define _XOPEN_SOURCE 700 /* nftw */
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <apr_general.h>
#include <apr_strings.h>
#include <apr_time.h>

#include "ls_select.h"
#include "tap.h"

static apr_pool_t *p;
static char top[4096];
static const char *assets, *rends;

static void make_file(const char *base, const char *rel, const char *content)
{
    FILE *fp = fopen(apr_pstrcat(p, base, "/", rel, NULL), "w");
    if (fp == NULL) {
        printf("# cannot create %s\n", rel);
        return;
    }
    fputs(content, fp);
    fclose(fp);
}

static void make_dir(const char *base, const char *rel)
{
    mkdir(apr_pstrcat(p, base, "/", rel, NULL), 0755);
}

static int remove_one(const char *path, const struct stat *st, int flag,
                      struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static ls_share_t *share_of(const char *const *paths, int n)
{
    ls_share_t *sh = apr_pcalloc(p, sizeof(*sh));
    int i;

    sh->id = "0123456789abcdef";
    sh->items = apr_array_make(p, n, sizeof(ls_item_t));
    sh->recipients = apr_array_make(p, 0, sizeof(ls_recipient_t));
    for (i = 0; i < n; i++) {
        ls_item_t *it = apr_array_push(sh->items);
        it->path = paths[i];
        it->kind = "folder";
    }
    return sh;
}

static apr_array_header_t *paths_of(int n, const char *path)
{
    apr_array_header_t *a = apr_array_make(p, n, sizeof(const char *));
    int i;

    for (i = 0; i < n; i++) {
        APR_ARRAY_PUSH(a, const char *) = path;
    }
    return a;
}

static int count_name(const ls_selection_t *sel, const char *name)
{
    int i, n = 0;

    for (i = 0; i < sel->entries->nelts; i++) {
        n += !strcmp(APR_ARRAY_IDX(sel->entries, i, ls_zip_entry_t).name, name);
    }
    return n;
}

static double secs_since(apr_time_t t0)
{
    return (double)(apr_time_now() - t0) / APR_USEC_PER_SEC;
}

static void tree(void)
{
    char *d;
    int i;

    make_dir(assets, "many");
    make_file(assets, "many/f1.txt", "one");
    make_file(assets, "many/f2.txt", "two");
    make_file(assets, "many/f3.txt", "three");
    make_dir(assets, "many/sub");
    make_file(assets, "many/sub/g.txt", "g");
    /* A folder of symlinks to itself: without care, 8^depth walks. */
    make_dir(assets, "loop");
    make_file(assets, "loop/a.txt", "a");
    make_file(assets, "loop/b.txt", "b");
    for (i = 0; i < 8; i++) {
        symlink(".", apr_psprintf(p, "%s/loop/self%d", assets, i));
    }
    make_dir(assets, "loop/inner");
    symlink("..", apr_psprintf(p, "%s/loop/inner/up", assets));
    /* 70 folders deep. */
    d = apr_pstrdup(p, "deep");
    make_dir(assets, d);
    for (i = 0; i < 70; i++) {
        d = apr_pstrcat(p, d, "/d", NULL);
        make_dir(assets, d);
    }
    make_file(assets, apr_pstrcat(p, d, "/bottom.txt", NULL), "x");
    /* Renditions: one asset has one. */
    make_dir(rends, "many");
    make_dir(rends, "many/f1.txt");
    make_file(rends, "many/f1.txt/web.jpg", "jpeg bytes");
}

static void test_cost(void)
{
    static const char *const items[] = {"many", "loop", "deep"};
    ls_share_t *sh = share_of(items, 3);
    ls_selection_t *sel = NULL;
    const char *why = NULL;
    apr_array_header_t *a;
    apr_status_t rv;
    apr_time_t t0;

    t0 = apr_time_now();
    rv = ls_select(p, assets, NULL, sh, NULL, paths_of(20000, "many"), 10000,
                   APR_INT64_C(1) << 40, &sel, &why);
    ok(rv == LS_SELECT_TOO_MANY, "20000 paths: LS_SELECT_TOO_MANY");
    ok(why && strstr(why, "more than 1000 items"), "... says the limit: %s",
       why ? why : "(null)");
    ok(secs_since(t0) < 0.5, "... at once (%.3f s)", secs_since(t0));

    t0 = apr_time_now();
    a = paths_of(999, "many/");
    APR_ARRAY_PUSH(a, const char *) = "many/f1.txt";
    rv = ls_select(p, assets, NULL, sh, NULL, a, 10000, APR_INT64_C(1) << 40,
                   &sel, &why);
    ok(rv == APR_SUCCESS, "1000 paths naming one folder: selected");
    ok(sel && sel->files == 4, "... its four files, each once (%d)",
       sel ? sel->files : -1);
    ok(sel && count_name(sel, "many/f1.txt") == 1,
       "... a file inside it adds nothing");
    ok(secs_since(t0) < 0.5, "... in well under a second (%.3f s)",
       secs_since(t0));

    a = paths_of(1, "many/f1.txt");
    APR_ARRAY_PUSH(a, const char *) = "many";
    rv = ls_select(p, assets, NULL, sh, NULL, a, 10000, APR_INT64_C(1) << 40,
                   &sel, &why);
    ok(rv == APR_SUCCESS && sel->files == 4,
       "a file, then its folder: each file once");

    rv = ls_select(p, assets, NULL, sh, NULL, paths_of(1, "many/../loop"),
                   10000, APR_INT64_C(1) << 40, &sel, &why);
    ok(rv == APR_EINVAL, "'..' refused before anything is resolved");

    t0 = apr_time_now();
    rv = ls_select(p, assets, NULL, sh, NULL, paths_of(1, "loop"), 10000,
                   APR_INT64_C(1) << 40, &sel, &why);
    ok(rv == APR_SUCCESS, "a folder of symlinks to itself: selected");
    ok(sel && sel->files == 2, "... each file once (%d files)",
       sel ? sel->files : -1);
    ok(sel && count_name(sel, "loop/a.txt") == 1
           && count_name(sel, "loop/self0/a.txt") == 0,
       "... under its own name only");
    ok(secs_since(t0) < 0.5, "... in well under a second (%.3f s)",
       secs_since(t0));

    rv = ls_select(p, assets, NULL, sh, NULL, paths_of(1, "deep"), 10000,
                   APR_INT64_C(1) << 40, &sel, &why);
    ok(rv == LS_SELECT_TOO_MANY, "70 folders deep: LS_SELECT_TOO_MANY");
    ok(why && strstr(why, "nested more than 64"), "... says why: %s",
       why ? why : "(null)");
    rv = ls_select(p, assets, NULL, sh, NULL,
                   paths_of(1, "deep/d/d/d/d/d/d/d/d"), 10000,
                   APR_INT64_C(1) << 40, &sel, &why);
    ok(rv == APR_SUCCESS && sel->files == 1,
       "a folder 8 levels down in it: selected");
}

/* A stand-in for the glue's generated renditions: f2.txt has one (the
 * admin's f1 rendition file, as if made), f3.txt is being made, the
 * others have none. */
static apr_status_t generated(void *baton, const char *real,
                              const apr_finfo_t *fi, const char **path,
                              const char **root)
{
    apr_size_t n = strlen(real);

    (void)baton;
    (void)fi;
    if (n > 6 && strcmp(real + n - 6, "f2.txt") == 0) {
        *path = apr_pstrcat(p, rends, "/many/f1.txt/web.jpg", NULL);
        *root = rends;
        return APR_SUCCESS;
    }
    return n > 6 && strcmp(real + n - 6, "f3.txt") == 0 ? APR_ENOENT
                                                        : APR_EGENERAL;
}

static void test_entries(void)
{
    ls_select_renditions_t admin_only = {rends, NULL, NULL};
    ls_select_renditions_t made = {rends, generated, NULL};
    static const char *const items[] = {"many"};
    ls_share_t *sh = share_of(items, 1);
    ls_selection_t *sel = NULL, *sel2 = NULL, *sel3 = NULL;
    const char *why = NULL, *json, *bad = NULL;
    apr_array_header_t *back, *roots;
    const ls_zip_entry_t *e = NULL;
    struct stat st;
    int i, found;

    ok(ls_select(p, assets, NULL, sh, NULL, paths_of(1, "many/f2.txt"), 10,
                 1000, &sel, &why)
           == APR_SUCCESS,
       "one file selected");
    e = &APR_ARRAY_IDX(sel->entries, 0, ls_zip_entry_t);
    stat(apr_pstrcat(p, assets, "/many/f2.txt", NULL), &st);
    ok(e->root && !strcmp(e->root, assets),
       "entry: its root is the asset root");
    ok(e->verify == (LS_ZIP_VERIFY_MTIME | LS_ZIP_VERIFY_IDENT),
       "entry: mtime, device and inode verified");
    ok(e->dev == (apr_uint64_t)st.st_dev && e->ino == (apr_uint64_t)st.st_ino,
       "entry: device and inode of the file");

    json = ls_select_to_json(p, sel->entries);
    ok(ls_select_from_json(p, json, &back) == APR_SUCCESS && back->nelts == 1,
       "JSON round trip");
    e = &APR_ARRAY_IDX(back, 0, ls_zip_entry_t);
    ok(e->dev == (apr_uint64_t)st.st_dev && e->ino == (apr_uint64_t)st.st_ino
           && e->verify == (LS_ZIP_VERIFY_MTIME | LS_ZIP_VERIFY_IDENT)
           && e->root == NULL,
       "... keeps device and inode; the root is left to ls_select_bind");
    ok(ls_select_from_json(p,
                           "[[\"/x/a\",\"a\",1,2,false,"
                           "-1,18446744073709551615]]",
                           &back)
           != APR_SUCCESS,
       "an inode beyond JSON's integers is refused");
    ok(ls_select_from_json(p, "[[\"/x/a\",\"a\",1,2,false,-1,-2]]", &back)
               == APR_SUCCESS
           && APR_ARRAY_IDX(back, 0, ls_zip_entry_t).ino == (apr_uint64_t)-2,
       "64-bit device and inode round-trip through signed JSON");
    ok(ls_select_from_json(p,
                           "[[\"/x/a\",\"a\",1,2,false],[null,\"d/\",0,2,"
                           "false]]",
                           &back)
               == APR_SUCCESS
           && back->nelts == 2,
       "an old row (five fields) still loads");
    e = &APR_ARRAY_IDX(back, 0, ls_zip_entry_t);
    ok(e->verify == LS_ZIP_VERIFY_MTIME, "... and verifies size and mtime");
    ok(ls_select_from_json(p, "[[\"/x/a\",\"a\",1,2,false,3]]", &back)
           == APR_EINVAL,
       "six fields refused");
    ok(ls_select_from_json(p, "[[\"/x/a\",\"a\",-1,2,false]]", &back)
           == APR_EINVAL,
       "a negative size refused");
    ok(ls_select_from_json(p, "{}", &back) == APR_EINVAL, "not an array");

    /* Binding to roots: the longest that matches; none is an error. */
    ok(ls_select(p, assets, &admin_only, sh, NULL, paths_of(1, "many"), 10,
                 1000, &sel2, &why)
           == APR_SUCCESS,
       "renditions only: selected");
    ok(sel2->files == 1 && sel2->skipped == 3,
       "... the file with a rendition, three left out");
    ok(ls_select(p, assets, &made, sh, NULL, paths_of(1, "many"), 10, 1000,
                 &sel3, &why)
           == APR_SUCCESS,
       "renditions only, some generated: selected");
    ok(sel3->files == 2 && sel3->pending == 1 && sel3->skipped == 1,
       "... the admin's and a generated one, one being made, one without "
       "(%d files, %d pending, %d skipped)",
       sel3->files, sel3->pending, sel3->skipped);
    for (i = 0, found = 0; i < sel3->entries->nelts; i++) {
        e = &APR_ARRAY_IDX(sel3->entries, i, ls_zip_entry_t);
        found |= e->src && !strcmp(e->name, "many/f2.jpg")
                 && !strcmp(e->root, rends);
    }
    ok(found, "... named after the asset with the rendition's extension, "
              "below the root the glue gave");
    ls_select_from_json(p, ls_select_to_json(p, sel3->entries), &back);
    for (i = 0, found = 0; i < back->nelts; i++) {
        e = &APR_ARRAY_IDX(back, i, ls_zip_entry_t);
        found |= e->src && e->of && strlen(e->of) > 11
                 && !strcmp(e->of + strlen(e->of) - 11, "many/f2.txt");
    }
    ok(found, "a rendition keeps what it stands for through the store");
    ok(ls_select_from_json(p, "[[\"/x/a\",\"a\",1,2,false,3,4,5]]", &back)
           == APR_EINVAL,
       "an eighth field that is not a path refused");
    json = ls_select_to_json(p, sel2->entries);
    ls_select_from_json(p, json, &back);
    roots = apr_array_make(p, 3, sizeof(const char *));
    APR_ARRAY_PUSH(roots, const char *) = assets;
    APR_ARRAY_PUSH(roots, const char *) = NULL;
    APR_ARRAY_PUSH(roots, const char *) = rends;
    ok(ls_select_bind(back, roots, &bad) == APR_SUCCESS, "bound");
    for (i = 0; i < back->nelts; i++) {
        e = &APR_ARRAY_IDX(back, i, ls_zip_entry_t);
        if (e->src) {
            ok(e->root && !strcmp(e->root, rends),
               "the rendition is bound to the rendition root");
        }
    }
    apr_array_pop(roots);
    ok(ls_select_bind(back, roots, &bad) == APR_EACCES && bad
           && !strcmp(bad, "many/f1.jpg"),
       "a source below no root: APR_EACCES naming it (%s)",
       bad ? bad : "(null)");
}

int main(void)
{
    char tmpl[] = "/tmp/ls-select-XXXXXX";

    apr_initialize();
    apr_pool_create(&p, NULL);
    ok(mkdtemp(tmpl) != NULL && realpath(tmpl, top) != NULL, "temp dir");
    assets = apr_pstrcat(p, top, "/assets", NULL);
    rends = apr_pstrcat(p, top, "/renditions", NULL);
    mkdir(assets, 0755);
    mkdir(rends, 0755);
    tree();
    test_cost();
    test_entries();
    nftw(top, remove_one, 16, FTW_DEPTH | FTW_PHYS);
    apr_pool_destroy(p);
    apr_terminate();
    done_testing();
}
