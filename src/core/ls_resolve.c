/* ls_resolve: share paths onto the asset tree (see ls_resolve.h). */
#include <stdlib.h>
#include <string.h>

#include <apr_hash.h>
#include <apr_strings.h>

#include "ls_mime.h"
#include "ls_path.h"
#include "ls_resolve.h"

apr_array_header_t *ls_resolve_names(apr_pool_t *p, const ls_share_t *sh)
{
    apr_array_header_t *names = apr_array_make(p, sh->items->nelts,
                                               sizeof(const char *));
    apr_hash_t *taken = apr_hash_make(p); /* name -> non-NULL */
    apr_hash_t *next = apr_hash_make(p);  /* basename -> int next suffix */
    int i;

    /* Linear in the number of items: a share may hold many files of the
     * same name (album1/cover.jpg, album2/cover.jpg, ...). */
    for (i = 0; i < sh->items->nelts; i++) {
        const char *base = ls_path_basename(
            APR_ARRAY_IDX(sh->items, i, ls_item_t).path);
        const char *name = base;
        int *n = apr_hash_get(next, base, APR_HASH_KEY_STRING);

        if (n == NULL) {
            n = apr_pcalloc(p, sizeof(*n));
            *n = 2;
            apr_hash_set(next, base, APR_HASH_KEY_STRING, n);
        }
        while (apr_hash_get(taken, name, APR_HASH_KEY_STRING)) {
            name = apr_psprintf(p, "%s (%d)", base, (*n)++);
        }
        apr_hash_set(taken, name, APR_HASH_KEY_STRING, "");
        APR_ARRAY_PUSH(names, const char *) = name;
    }
    return names;
}

/* real (resolved, absolute) relative to the asset root ("" for the root
 * itself); NULL when it lies outside. */
static const char *rel_to(const char *asset_real, const char *real)
{
    apr_size_t n = strlen(asset_real);

    if (strncmp(real, asset_real, n) != 0) {
        return NULL;
    }
    if (real[n] == '\0') {
        return "";
    }
    if (n == 1 && real[0] == '/') {
        return real + 1;
    }
    return real[n] == '/' ? real + n + 1 : NULL;
}

static int allowed(const ls_filter_t *f, const char *asset_rel,
                   const char *real_rel, int is_dir)
{
    if (f == NULL || f->allow == NULL) {
        return 1;
    }
    if (real_rel && strcmp(real_rel, asset_rel) == 0) {
        real_rel = NULL;
    }
    return f->allow(f->baton, asset_rel, real_rel, is_dir);
}

/* Resolves an item's own path; its real path bounds everything below. */
static apr_status_t item_real(apr_pool_t *p, const char *asset_real,
                              const ls_item_t *it, const char **real)
{
    const char *abs = ls_path_join(p, asset_real, it->path);
    apr_status_t rv = ls_path_confine(p, asset_real, abs, real);
    return rv == APR_SUCCESS ? rv : APR_NOTFOUND;
}

static apr_status_t resolve(apr_pool_t *p, const char *asset_real,
                            const ls_share_t *sh, const ls_filter_t *filter,
                            const char *rel, int for_read, ls_target_t *out,
                            const char **why)
{
    apr_array_header_t *names;
    const char *clean, *slash, *first, *rest, *item_root, *real;
    const ls_item_t *it;
    int i;

    memset(out, 0, sizeof(*out));
    if (ls_path_clean(p, rel, 1, &clean, why) != APR_SUCCESS) {
        return APR_EINVAL;
    }
    out->share_rel = clean;
    out->item = -1;
    if (*clean == '\0') {
        return APR_SUCCESS;
    }
    slash = strchr(clean, '/');
    first = slash ? apr_pstrmemdup(p, clean, slash - clean) : clean;
    rest = slash ? slash + 1 : "";
    names = ls_resolve_names(p, sh);
    for (i = 0; i < names->nelts; i++) {
        if (strcmp(APR_ARRAY_IDX(names, i, const char *), first) == 0) {
            break;
        }
    }
    if (i == names->nelts) {
        return APR_NOTFOUND;
    }
    it = &APR_ARRAY_IDX(sh->items, i, ls_item_t);
    if (*rest && strcmp(it->kind, "folder") != 0) {
        return APR_NOTFOUND;
    }
    /* Hidden files inside a shared folder (.env, .git/, .htaccess) are
     * neither listed nor served: the listing and this must agree. */
    if (*rest == '.' || strstr(rest, "/.")) {
        return APR_NOTFOUND;
    }
    out->item = i;
    out->asset_rel = ls_path_join(p, it->path, rest);
    /* Fast path (a download): a path without any symlink lies inside its
     * item and the asset root by construction, and is its own real path:
     * one openat2() walk in the kernel and an fstat() of what it found.
     * Symlinks and folders take the realpath() way below (listings
     * compare against a folder's real path). */
    if ((for_read ? ls_path_plain_open : ls_path_plain_stat)(
            p, asset_real, out->asset_rel, &out->finfo)
            == APR_SUCCESS
        && out->finfo.filetype == APR_REG) {
        out->file = for_read ? out->finfo.filehand : NULL;
        out->real = ls_path_join(p, asset_real, out->asset_rel);
        out->real_rel = out->asset_rel;
        return allowed(filter, out->asset_rel, NULL, 0) ? APR_SUCCESS
                                                        : APR_NOTFOUND;
    }
    if (item_real(p, asset_real, it, &item_root) != APR_SUCCESS) {
        out->item = -1;
        return APR_NOTFOUND;
    }
    /* The item itself is resolved already: one realpath() when the item
     * is the target. */
    if (*rest == '\0') {
        real = item_root;
    }
    else if (ls_path_confine(p, item_root, ls_path_join(p, item_root, rest),
                             &real)
             != APR_SUCCESS) {
        return APR_NOTFOUND;
    }
    if (apr_stat(&out->finfo, real, APR_FINFO_NORM, p) != APR_SUCCESS
        || (out->finfo.filetype != APR_REG && out->finfo.filetype != APR_DIR)) {
        return APR_NOTFOUND;
    }
    out->real = real;
    out->real_rel = rel_to(asset_real, real);
    if (out->real_rel == NULL
        || !allowed(filter, out->asset_rel, out->real_rel,
                    out->finfo.filetype == APR_DIR)) {
        return APR_NOTFOUND;
    }
    return APR_SUCCESS;
}

apr_status_t ls_resolve(apr_pool_t *p, const char *asset_real,
                        const ls_share_t *sh, const ls_filter_t *filter,
                        const char *rel, ls_target_t *out, const char **why)
{
    return resolve(p, asset_real, sh, filter, rel, 0, out, why);
}

apr_status_t ls_resolve_open(apr_pool_t *p, const char *asset_real,
                             const ls_share_t *sh, const ls_filter_t *filter,
                             const char *rel, ls_target_t *out,
                             const char **why)
{
    return resolve(p, asset_real, sh, filter, rel, 1, out, why);
}

static int cmp_entry(const void *a, const void *b)
{
    const ls_entry_t *x = a, *y = b;

    if (x->is_dir != y->is_dir) {
        return y->is_dir - x->is_dir;
    }
    return strcmp(x->name, y->name);
}

static void fill_entry(apr_pool_t *p, ls_entry_t *e, const char *bound,
                       const char *abs, const char *asset_real)
{
    const char *real;
    apr_finfo_t fi;

    e->available = ls_path_confine(p, bound, abs, &real) == APR_SUCCESS
                   && apr_stat(&fi, real, APR_FINFO_NORM, p) == APR_SUCCESS
                   && (fi.filetype == APR_REG || fi.filetype == APR_DIR);
    if (e->available) {
        e->is_dir = fi.filetype == APR_DIR;
        e->size = fi.size;
        e->mtime = fi.mtime;
        e->real_rel = asset_real ? rel_to(asset_real, real) : NULL;
    }
}

/* An entry of the resolved folder dir: one lstat. A file or folder that is
 * not a symlink lies inside dir by construction; only symlinks need the
 * full confinement check (a realpath). */
static void fill_child(apr_pool_t *p, ls_entry_t *e, const char *dir,
                       const char *name, const char *asset_real)
{
    const char *abs = ls_path_join(p, dir, name);
    apr_finfo_t fi;

    if (apr_stat(&fi, abs,
                 APR_FINFO_LINK | APR_FINFO_TYPE | APR_FINFO_SIZE
                     | APR_FINFO_MTIME,
                 p)
        != APR_SUCCESS) {
        return; /* gone since the directory was read */
    }
    if (fi.filetype == APR_LNK) {
        fill_entry(p, e, dir, abs, asset_real);
        return;
    }
    e->available = fi.filetype == APR_REG || fi.filetype == APR_DIR;
    if (e->available) {
        e->is_dir = fi.filetype == APR_DIR;
        e->size = fi.size;
        e->mtime = fi.mtime;
    }
}

apr_status_t ls_resolve_list(apr_pool_t *p, const char *asset_real,
                             const ls_share_t *sh, const ls_filter_t *filter,
                             const ls_target_t *t, apr_array_header_t **out)
{
    apr_dir_t *dir;
    apr_finfo_t fi;
    const char *dir_rel;
    int same_dir;
    apr_status_t rv;

    *out = apr_array_make(p, 16, sizeof(ls_entry_t));
    if (t->item < 0) {
        apr_array_header_t *names = ls_resolve_names(p, sh);
        int i;
        for (i = 0; i < sh->items->nelts; i++) {
            const ls_item_t *it = &APR_ARRAY_IDX(sh->items, i, ls_item_t);
            ls_entry_t *e = apr_array_push(*out);
            e->name = APR_ARRAY_IDX(names, i, const char *);
            e->asset_rel = it->path;
            e->is_dir = strcmp(it->kind, "folder") == 0;
            fill_entry(p, e, asset_real, ls_path_join(p, asset_real, it->path),
                       asset_real);
            /* An item its owner may no longer read is shown like one that
             * was deleted: its name was the sharer's to give. */
            if (e->available
                && (e->real_rel == NULL
                    || !allowed(filter, e->asset_rel, e->real_rel,
                                e->is_dir))) {
                e->available = 0;
            }
        }
        return APR_SUCCESS; /* the sharer's order is kept at the root */
    }
    if ((rv = apr_dir_open(&dir, t->real, p)) != APR_SUCCESS) {
        return rv;
    }
    /* Entries of a resolved folder resolve below its own real path. */
    dir_rel = asset_real ? rel_to(asset_real, t->real) : NULL;
    same_dir = dir_rel && t->asset_rel && strcmp(dir_rel, t->asset_rel) == 0;
    while (apr_dir_read(&fi, APR_FINFO_NAME, dir) == APR_SUCCESS) {
        ls_entry_t e;
        /* A name no path may hold (control characters, backslash) could
         * never be opened, downloaded or previewed: leave it out here,
         * and so out of every listing, preview and ZIP. */
        if (fi.name[0] == '.' || !ls_path_name_ok(fi.name)) {
            continue;
        }
        memset(&e, 0, sizeof(e));
        e.name = apr_pstrdup(p, fi.name);
        e.asset_rel = t->asset_rel ? ls_path_join(p, t->asset_rel, e.name)
                                   : NULL;
        fill_child(p, &e, t->real, fi.name, asset_real);
        if (!e.available) {
            continue;
        }
        if (e.real_rel == NULL && dir_rel) {
            /* Not a symlink: below the folder's own real path, which is
             * the folder's name itself when no symlink led there. */
            e.real_rel = same_dir ? e.asset_rel
                                  : ls_path_join(p, dir_rel, e.name);
        }
        if (filter && filter->allow
            && (e.asset_rel == NULL || e.real_rel == NULL
                || !allowed(filter, e.asset_rel,
                            e.real_rel == e.asset_rel ? NULL : e.real_rel,
                            e.is_dir))) {
            continue;
        }
        *(ls_entry_t *)apr_array_push(*out) = e;
    }
    apr_dir_close(dir);
    qsort((*out)->elts, (*out)->nelts, sizeof(ls_entry_t), cmp_entry);
    return APR_SUCCESS;
}

/* How rendition() picks among an asset's renditions. */
typedef enum {
    PICK_PREFIX, /* a raster image whose name starts with arg */
    PICK_TYPE,   /* the first name (byte order) whose type starts with arg */
    PICK_LARGEST /* the largest file, ties to the first name */
} pick_t;

static int raster(const ls_mime_t *m)
{
    return strncmp(m->type, "image/", 6) == 0 && strcmp(m->ext, "svg") != 0;
}

static const char *rendition(apr_pool_t *p, const char *rendition_real,
                             const char *asset_rel, pick_t how, const char *arg)
{
    const char *dir, *best = NULL, *real;
    apr_off_t best_size = -1;
    apr_dir_t *d;
    apr_finfo_t fi;

    if (rendition_real == NULL) {
        return NULL;
    }
    dir = ls_path_join(p, rendition_real, asset_rel);
    if (apr_dir_open(&d, dir, p) != APR_SUCCESS) {
        return NULL;
    }
    while (
        apr_dir_read(&fi, APR_FINFO_NAME | APR_FINFO_TYPE | APR_FINFO_SIZE, d)
        == APR_SUCCESS) {
        const ls_mime_t *m;

        if (fi.name[0] == '.' || fi.filetype != APR_REG) {
            continue;
        }
        m = ls_mime_lookup(fi.name);
        if (how == PICK_PREFIX) {
            if (strncmp(fi.name, arg, strlen(arg)) == 0 && raster(m)) {
                best = apr_pstrdup(p, fi.name);
                break;
            }
        }
        else if (how == PICK_TYPE) {
            /* The first in byte order, whatever order the directory
             * happens to list; never markup. */
            if (strncmp(m->type, arg, strlen(arg)) == 0
                && strcmp(m->ext, "svg") != 0
                && (best == NULL || strcmp(fi.name, best) < 0)) {
                best = apr_pstrdup(p, fi.name);
            }
        }
        /* Ties go to the first name in byte order, so the choice does not
         * depend on the order the directory happens to list. */
        else if (fi.size > best_size
                 || (fi.size == best_size && strcmp(fi.name, best) < 0)) {
            best_size = fi.size;
            best = apr_pstrdup(p, fi.name);
        }
    }
    apr_dir_close(d);
    if (best == NULL
        || ls_path_confine(p, rendition_real, ls_path_join(p, dir, best), &real)
               != APR_SUCCESS) {
        return NULL;
    }
    return real;
}

const char *ls_resolve_rendition(apr_pool_t *p, const char *rendition_real,
                                 const char *asset_rel,
                                 const char *prefer_prefix)
{
    return rendition(p, rendition_real, asset_rel,
                     prefer_prefix ? PICK_PREFIX : PICK_LARGEST, prefer_prefix);
}

const char *ls_resolve_rendition_type(apr_pool_t *p, const char *rendition_real,
                                      const char *asset_rel,
                                      const char *type_prefix)
{
    return rendition(p, rendition_real, asset_rel, PICK_TYPE, type_prefix);
}

/* The key and order of one sort, passed to qsort_r's comparator. */
typedef struct {
    int key;  /* 0 name, 1 size, 2 date */
    int desc; /* descending */
} sort_spec;

static int cmp_spec(const void *a, const void *b, void *baton)
{
    const ls_entry_t *x = a, *y = b;
    const sort_spec *sp = baton;
    int c = 0;

    if (x->is_dir != y->is_dir) {
        return y->is_dir - x->is_dir; /* folders first, whatever the order */
    }
    if (sp->key == 1) {
        c = x->size < y->size ? -1 : x->size > y->size;
    }
    else if (sp->key == 2) {
        c = x->mtime < y->mtime ? -1 : x->mtime > y->mtime;
    }
    if (c == 0) {
        c = strcmp(x->name, y->name); /* names are unique: a total order */
    }
    return sp->desc ? -c : c;
}

apr_status_t ls_resolve_sort(apr_array_header_t *entries, const char *key,
                             int desc)
{
    sort_spec sp = {0, desc != 0};

    if (key == NULL || strcmp(key, "name") == 0) {
        sp.key = 0;
    }
    else if (strcmp(key, "size") == 0) {
        sp.key = 1;
    }
    else if (strcmp(key, "date") == 0) {
        sp.key = 2;
    }
    else {
        return APR_EINVAL;
    }
    qsort_r(entries->elts, entries->nelts, sizeof(ls_entry_t), cmp_spec, &sp);
    return APR_SUCCESS;
}
