/* ls_select: a queued download's entries (see ls_select.h). */
#include <stdlib.h>
#include <string.h>

#include <apr_hash.h>
#include <apr_strings.h>
#include <jansson.h>
#include <openssl/evp.h>

#include "ls_entryname.h"
#include "ls_mime.h"
#include "ls_path.h"
#include "ls_resolve.h"
#include "ls_select.h"

typedef struct {
    apr_pool_t *p;
    const char *asset_real;
    const ls_select_renditions_t *rend; /* set: renditions only */
    const ls_share_t *sh;
    const ls_filter_t *filter;
    int max_files;
    apr_off_t max_bytes;
    ls_selection_t *sel;
    apr_hash_t *seen;    /* archive names already added */
    apr_hash_t *visited; /* folders walked, by "device:inode" */
    int dirs;            /* folders walked */
    const char *why;
} walk_t;

static apr_status_t too_big(walk_t *w)
{
    w->why = w->sel->files > w->max_files
                 ? apr_psprintf(w->p,
                                "The selection has more than %d files; "
                                "select fewer.",
                                w->max_files)
                 : apr_psprintf(w->p,
                                "The selection is larger than %" APR_OFF_T_FMT
                                " MB; select fewer "
                                "files.",
                                w->max_bytes / (1024 * 1024));
    return LS_SELECT_TOO_BIG;
}

static apr_status_t add_file(walk_t *w, const char *name, const char *real,
                             const char *asset_rel, const apr_finfo_t *fi)
{
    ls_zip_entry_t *e;
    const char *src = real, *root = w->asset_real;
    apr_finfo_t rfi = *fi;

    if (apr_hash_get(w->seen, name, APR_HASH_KEY_STRING)) {
        return APR_SUCCESS; /* selected twice (a folder and a file in it) */
    }
    if (w->rend) {
        const char *ext, *dot;
        root = w->rend->rendition_real;
        src = root ? ls_resolve_rendition(w->p, root, asset_rel, NULL) : NULL;
        if (src == NULL && w->rend->generated) {
            apr_status_t rv = w->rend->generated(w->rend->baton, real, fi, &src,
                                                 &root);
            if (rv == APR_ENOENT) {
                w->sel->pending++;
                return APR_SUCCESS;
            }
            src = rv == APR_SUCCESS ? src : NULL;
        }
        if (src == NULL
            || apr_stat(&rfi, src, APR_FINFO_NORM, w->p) != APR_SUCCESS) {
            w->sel->skipped++;
            return APR_SUCCESS;
        }
        /* The asset's name with the rendition's extension. */
        ext = strrchr(ls_path_basename(src), '.');
        dot = strrchr(ls_path_basename(name), '.');
        name = apr_pstrcat(w->p,
                           dot ? apr_pstrmemdup(w->p, name, dot - name) : name,
                           ext ? ext : "", NULL);
    }
    apr_hash_set(w->seen, name, APR_HASH_KEY_STRING, "");
    e = apr_array_push(w->sel->entries);
    memset(e, 0, sizeof(*e));
    e->src = src;
    e->name = name;
    e->size = rfi.size;
    e->mtime = rfi.mtime;
    e->compressed = ls_mime_lookup(name)->compressed;
    /* The worker opens exactly this file, or fails it. */
    e->root = root;
    e->of = src != real ? real : NULL;
    e->verify = LS_ZIP_VERIFY_MTIME | LS_ZIP_VERIFY_IDENT;
    e->dev = (apr_uint64_t)rfi.device;
    e->ino = (apr_uint64_t)rfi.inode;
    w->sel->files++;
    w->sel->bytes += rfi.size;
    if (w->sel->files > w->max_files || w->sel->bytes > w->max_bytes) {
        return too_big(w);
    }
    return APR_SUCCESS;
}

/* Adds the folder t (share path rel) and everything below it, depth
 * folders below the selected one. A folder already walked (the same
 * device and inode, reached again through a symlink) is left out, so a
 * symlink to "." or ".." cannot make the walk loop or repeat files. */
static apr_status_t add_tree(walk_t *w, const ls_target_t *t, int depth)
{
    apr_array_header_t *list;
    const char *dir_name = apr_pstrcat(w->p, t->share_rel, "/", NULL);
    const char *id = apr_psprintf(
        w->p, "%" APR_UINT64_T_FMT ":%" APR_UINT64_T_FMT,
        (apr_uint64_t)t->finfo.device, (apr_uint64_t)t->finfo.inode);
    apr_status_t rv;
    int i;

    if (apr_hash_get(w->visited, id, APR_HASH_KEY_STRING)) {
        return APR_SUCCESS;
    }
    apr_hash_set(w->visited, id, APR_HASH_KEY_STRING, "");
    if (depth > LS_SELECT_MAX_DEPTH) {
        w->why = apr_psprintf(w->p,
                              "The selection has folders nested more than "
                              "%d deep; select a deeper folder instead.",
                              LS_SELECT_MAX_DEPTH);
        return LS_SELECT_TOO_MANY;
    }
    if (++w->dirs > LS_SELECT_MAX_DIRS) {
        w->why = apr_psprintf(w->p,
                              "The selection has more than %d folders; "
                              "select fewer.",
                              LS_SELECT_MAX_DIRS);
        return LS_SELECT_TOO_MANY;
    }
    if (!apr_hash_get(w->seen, dir_name, APR_HASH_KEY_STRING)) {
        ls_zip_entry_t *e = apr_array_push(w->sel->entries);
        apr_hash_set(w->seen, dir_name, APR_HASH_KEY_STRING, "");
        memset(e, 0, sizeof(*e));
        e->name = dir_name;
        e->mtime = t->finfo.mtime;
    }
    rv = ls_resolve_list(w->p, w->asset_real, w->sh, w->filter, t, &list);
    for (i = 0; rv == APR_SUCCESS && i < list->nelts; i++) {
        const ls_entry_t *en = &APR_ARRAY_IDX(list, i, ls_entry_t);
        ls_target_t child;
        const char *why;
        if (ls_resolve(w->p, w->asset_real, w->sh, w->filter,
                       ls_path_join(w->p, t->share_rel, en->name), &child, &why)
            != APR_SUCCESS) {
            continue; /* vanished meanwhile, or escapes: leave it out */
        }
        rv = child.finfo.filetype == APR_DIR
                 ? add_tree(w, &child, depth + 1)
                 : add_file(w, child.share_rel, child.real, child.asset_rel,
                            &child.finfo);
    }
    return rv;
}

static apr_status_t add_target(walk_t *w, const ls_target_t *t)
{
    return t->finfo.filetype == APR_DIR
               ? add_tree(w, t, 0)
               : add_file(w, t->share_rel, t->real, t->asset_rel, &t->finfo);
}

/* The selected share paths cleaned, each once, without those inside
 * another selected one (its folder brings them), in the order asked.
 * *all is set when one of them is the share's root. APR_EINVAL (*why)
 * for a malformed path. */
static apr_status_t clean_paths(apr_pool_t *p, const apr_array_header_t *rels,
                                apr_array_header_t **out, int *all,
                                const char **why)
{
    apr_hash_t *set = apr_hash_make(p);
    apr_array_header_t *cleaned = apr_array_make(p, rels->nelts,
                                                 sizeof(const char *));
    int i;

    *all = 0;
    for (i = 0; i < rels->nelts; i++) {
        const char *rel = APR_ARRAY_IDX(rels, i, const char *), *c;
        if (ls_path_clean(p, rel, 1, &c, why) != APR_SUCCESS) {
            return APR_EINVAL;
        }
        if (*c == '\0') {
            *all = 1;
            return APR_SUCCESS;
        }
        if (!apr_hash_get(set, c, APR_HASH_KEY_STRING)) {
            apr_hash_set(set, c, APR_HASH_KEY_STRING, "");
            APR_ARRAY_PUSH(cleaned, const char *) = c;
        }
    }
    *out = apr_array_make(p, cleaned->nelts, sizeof(const char *));
    for (i = 0; i < cleaned->nelts; i++) {
        const char *c = APR_ARRAY_IDX(cleaned, i, const char *), *s;
        int inside = 0;
        for (s = strchr(c, '/'); s && !inside; s = strchr(s + 1, '/')) {
            inside = apr_hash_get(set, c, (apr_ssize_t)(s - c)) != NULL;
        }
        if (!inside) {
            APR_ARRAY_PUSH(*out, const char *) = c;
        }
    }
    return APR_SUCCESS;
}

static void make_key(ls_selection_t *sel, apr_pool_t *p)
{
    static const char hex[] = "0123456789abcdef";
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0, i;
    char *out;
    int k;

    EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
    for (k = 0; k < sel->entries->nelts; k++) {
        const ls_zip_entry_t *e = &APR_ARRAY_IDX(sel->entries, k,
                                                 ls_zip_entry_t);
        const char *line = apr_psprintf(
            p,
            "%s\n%s\n%" APR_OFF_T_FMT "\n%" APR_TIME_T_FMT
            "\n%" APR_UINT64_T_FMT ":%" APR_UINT64_T_FMT "\n",
            e->name, e->src ? e->src : "", e->size, e->mtime, e->dev, e->ino);
        EVP_DigestUpdate(ctx, line, strlen(line));
    }
    EVP_DigestFinal_ex(ctx, md, &len);
    EVP_MD_CTX_free(ctx);
    out = apr_palloc(p, len * 2 + 1);
    for (i = 0; i < len; i++) {
        out[2 * i] = hex[md[i] >> 4];
        out[2 * i + 1] = hex[md[i] & 15];
    }
    out[2 * len] = '\0';
    sel->key = out;
}

apr_status_t ls_select(apr_pool_t *p, const char *asset_real,
                       const ls_select_renditions_t *renditions,
                       const ls_share_t *sh, const ls_filter_t *filter,
                       const apr_array_header_t *rels, int max_files,
                       apr_off_t max_bytes, ls_selection_t **out,
                       const char **why)
{
    walk_t w;
    ls_target_t t;
    apr_array_header_t *paths = NULL;
    apr_status_t rv = APR_SUCCESS;
    int i;

    if (rels && rels->nelts > LS_SELECT_MAX_PATHS) {
        *why = apr_psprintf(p,
                            "The selection names more than %d items; "
                            "select their folder, or download in several "
                            "steps.",
                            LS_SELECT_MAX_PATHS);
        return LS_SELECT_TOO_MANY;
    }
    if (rels && rels->nelts > 0) {
        int all;
        if (clean_paths(p, rels, &paths, &all, why) != APR_SUCCESS) {
            return APR_EINVAL;
        }
        rels = all ? NULL : paths; /* the root selects everything */
    }
    memset(&w, 0, sizeof(w));
    w.p = p;
    w.asset_real = asset_real;
    w.rend = renditions;
    w.sh = sh;
    w.filter = filter;
    w.max_files = max_files;
    w.max_bytes = max_bytes;
    w.seen = apr_hash_make(p);
    w.visited = apr_hash_make(p);
    w.sel = apr_pcalloc(p, sizeof(*w.sel));
    w.sel->entries = apr_array_make(p, 16, sizeof(ls_zip_entry_t));

    if (rels == NULL || rels->nelts == 0) {
        apr_array_header_t *names = ls_resolve_names(p, sh);
        for (i = 0; rv == APR_SUCCESS && i < names->nelts; i++) {
            if (ls_resolve(p, asset_real, sh, filter,
                           APR_ARRAY_IDX(names, i, const char *), &t, why)
                == APR_SUCCESS) {
                rv = add_target(&w, &t); /* gone items are left out */
            }
        }
    }
    for (i = 0; rv == APR_SUCCESS && rels && i < rels->nelts; i++) {
        const char *rel = APR_ARRAY_IDX(rels, i, const char *);
        rv = ls_resolve(p, asset_real, sh, filter, rel, &t, why);
        if (rv == APR_SUCCESS && t.item < 0) {
            rv = ls_select(p, asset_real, renditions, sh, filter, NULL,
                           max_files, max_bytes, out, why);
            return rv; /* the root selects everything */
        }
        if (rv == APR_NOTFOUND) {
            *why = apr_psprintf(p,
                                "\"%s\" is not part of this share, or it "
                                "was moved or deleted.",
                                rel);
        }
        if (rv == APR_SUCCESS) {
            rv = add_target(&w, &t);
        }
    }
    if (rv == LS_SELECT_TOO_BIG || rv == LS_SELECT_TOO_MANY) {
        *why = w.why;
    }
    if (rv != APR_SUCCESS) {
        return rv;
    }
    /* Names that extract anywhere, before the key: the archive's names
     * are part of what it is. */
    ls_entryname_map(p, w.sel->entries);
    make_key(w.sel, p);
    *out = w.sel;
    return APR_SUCCESS;
}

const char *ls_select_to_json(apr_pool_t *p, const apr_array_header_t *e)
{
    json_t *arr = json_array();
    char *text, *copy;
    int i;

    /* [src, name, size, mtime, compressed, dev, ino, of]; dev and ino as
     * the signed 64-bit integers JSON carries (they round-trip), and only
     * when they were recorded; of only for a rendition. */
    for (i = 0; i < e->nelts; i++) {
        const ls_zip_entry_t *z = &APR_ARRAY_IDX(e, i, ls_zip_entry_t);
        json_t *v = json_pack("[s?,s,I,I,b]", z->src, z->name,
                              (json_int_t)z->size, (json_int_t)z->mtime,
                              z->compressed);
        if (z->verify & LS_ZIP_VERIFY_IDENT) {
            json_array_append_new(v, json_integer((json_int_t)z->dev));
            json_array_append_new(v, json_integer((json_int_t)z->ino));
            if (z->of) {
                json_array_append_new(v, json_string(z->of));
            }
        }
        json_array_append_new(arr, v);
    }
    text = json_dumps(arr, JSON_COMPACT);
    json_decref(arr);
    copy = apr_pstrdup(p, text ? text : "[]");
    free(text);
    return copy;
}

apr_status_t ls_select_from_json(apr_pool_t *p, const char *json,
                                 apr_array_header_t **entries)
{
    json_error_t err;
    json_t *arr = json_loads(json ? json : "", 0, &err), *v;
    size_t i;

    if (!json_is_array(arr)) {
        json_decref(arr);
        return APR_EINVAL;
    }
    *entries = apr_array_make(p, (int)json_array_size(arr) + 1,
                              sizeof(ls_zip_entry_t));
    json_array_foreach(arr, i, v)
    {
        ls_zip_entry_t *z = apr_array_push(*entries);
        json_t *src = json_array_get(v, 0), *name = json_array_get(v, 1);
        json_t *size = json_array_get(v, 2), *mtime = json_array_get(v, 3);
        json_t *comp = json_array_get(v, 4), *dev = json_array_get(v, 5);
        json_t *ino = json_array_get(v, 6), *of = json_array_get(v, 7);
        size_t n = json_array_size(v);
        /* By hand: json_unpack has no "string or null" for the source.
         * Rows queued before device and inode were kept have 5 fields;
         * a rendition has 8 (what it stands for). */
        if ((n != 5 && n != 7 && n != 8)
            || !(json_is_string(src) || json_is_null(src))
            || !json_is_string(name) || !json_is_integer(size)
            || json_integer_value(size) < 0 || !json_is_integer(mtime)
            || !json_is_boolean(comp)
            || (n >= 7 && (!json_is_integer(dev) || !json_is_integer(ino)))
            || (n == 8 && !json_is_string(of))) {
            json_decref(arr);
            return APR_EINVAL;
        }
        memset(z, 0, sizeof(*z));
        z->src = json_is_string(src) ? apr_pstrdup(p, json_string_value(src))
                                     : NULL;
        z->name = apr_pstrdup(p, json_string_value(name));
        z->size = (apr_off_t)json_integer_value(size);
        z->mtime = (apr_time_t)json_integer_value(mtime);
        z->compressed = json_is_true(comp);
        z->verify = LS_ZIP_VERIFY_MTIME;
        if (n >= 7) {
            z->verify |= LS_ZIP_VERIFY_IDENT;
            z->dev = (apr_uint64_t)json_integer_value(dev);
            z->ino = (apr_uint64_t)json_integer_value(ino);
        }
        if (n == 8) {
            z->of = apr_pstrdup(p, json_string_value(of));
        }
    }
    json_decref(arr);
    return APR_SUCCESS;
}

apr_status_t ls_select_bind(apr_array_header_t *entries,
                            const apr_array_header_t *roots, const char **bad)
{
    int i, k;

    for (i = 0; i < entries->nelts; i++) {
        ls_zip_entry_t *e = &APR_ARRAY_IDX(entries, i, ls_zip_entry_t);
        apr_size_t best = 0;

        if (e->src == NULL) {
            continue;
        }
        e->root = NULL;
        for (k = 0; k < roots->nelts; k++) {
            const char *r = APR_ARRAY_IDX(roots, k, const char *);
            apr_size_t n = r ? strlen(r) : 0;
            if (n > best && strncmp(e->src, r, n) == 0 && e->src[n] == '/') {
                e->root = r;
                best = n;
            }
        }
        if (e->root == NULL) {
            *bad = e->name;
            return APR_EACCES;
        }
    }
    return APR_SUCCESS;
}
