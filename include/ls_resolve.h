/* ls_resolve: maps a path inside a share onto the asset tree. Pure unit
 * (APR + libc). A share's root lists its items by display name (the
 * item's basename, made unique with " (2)", " (3)", ...); a share path is
 * DISPLAYNAME[/SUB/PATH]. Every resolved file is confined to its item and
 * to the asset root, symlinks included. */
#ifndef LS_RESOLVE_H
#define LS_RESOLVE_H

#include <apr_file_info.h>
#include <apr_file_io.h>
#include <apr_pools.h>
#include <apr_tables.h>

#include "ls_store.h"

/* Who may see what, decided by the caller (the glue asks httpd as the
 * share's owner, see ls_authz.h); a callback keeps this unit pure.
 * allow() answers non-zero when the asset may be listed, served or
 * packaged. asset_rel is its path as named under the asset root,
 * real_rel the path it resolves to there (NULL when the same). A NULL
 * filter allows everything. */
typedef struct {
    int (*allow)(void *baton, const char *asset_rel, const char *real_rel,
                 int is_dir);
    void *baton;
} ls_filter_t;

typedef struct {
    int item;              /* index into share->items; -1 for the root */
    const char *share_rel; /* normal share path ("" for the root) */
    const char *asset_rel; /* path relative to the asset root */
    const char *real;      /* absolute path checked to stay inside the
                            * item; fully resolved for folders (listings
                            * compare against it); NULL for the root */
    const char *real_rel;  /* real below the asset root (NULL for the
                            * root) */
    apr_finfo_t finfo;     /* stat of real (type, size, mtime, inode) */
    apr_file_t *file;      /* real opened for reading (ls_resolve_open
                            * only; NULL when it could not be) */
} ls_target_t;

typedef struct {
    const char *name;      /* file name (a display name at the root) */
    const char *asset_rel; /* its path under the asset root; NULL when the
                            * folder was listed without one */
    const char *real_rel;  /* where it resolves under the asset root (may
                            * be asset_rel itself); NULL when unknown */
    int is_dir;
    int available; /* exists and stays inside its item */
    apr_off_t size;
    apr_time_t mtime;
} ls_entry_t;

/* Display names of share->items, aligned with them (const char *). */
apr_array_header_t *ls_resolve_names(apr_pool_t *p, const ls_share_t *sh);

/* Resolves share path rel (client input, already URL-decoded).
 * APR_EINVAL (*why set) for bad syntax; APR_NOTFOUND when it names
 * nothing in the share, a file that is gone or escapes, or one filter
 * refuses (exactly as if it did not exist). */
apr_status_t ls_resolve(apr_pool_t *p, const char *asset_real,
                        const ls_share_t *sh, const ls_filter_t *filter,
                        const char *rel, ls_target_t *out, const char **why);

/* As ls_resolve, for a file about to be sent: a regular file found on the
 * way without any symlink is opened for reading (ls_path_plain_open) as
 * out->file, closed with p; NULL otherwise (a folder, a path through a
 * symlink), as after ls_resolve. */
apr_status_t ls_resolve_open(apr_pool_t *p, const char *asset_real,
                             const ls_share_t *sh, const ls_filter_t *filter,
                             const char *rel, ls_target_t *out,
                             const char **why);

/* The entries of a resolved folder (or of the share root when
 * t->item < 0), sorted folders first then by name; hidden files (".*"),
 * names no path may hold (ls_path_name_ok: control characters, backslash),
 * entries escaping the item and entries filter refuses are left out
 * (at the share root such an item is listed as unavailable, like a
 * deleted one). sh is only read at the share root: a target with
 * item >= 0 and real set lists any folder, bounded by real (the sharer
 * API lists the asset tree that way; t->asset_rel names it for the
 * filter). */
apr_status_t ls_resolve_list(apr_pool_t *p, const char *asset_real,
                             const ls_share_t *sh, const ls_filter_t *filter,
                             const ls_target_t *t, apr_array_header_t **out);

/* Sorts entries in place by key "name", "size" or "date" (ascending, or
 * descending with desc), folders first, ties by name. APR_EINVAL for an
 * unknown key. */
apr_status_t ls_resolve_sort(apr_array_header_t *entries, const char *key,
                             int desc);

/* A rendition of the asset at asset_rel under rendition_real (resolved):
 * with prefer_prefix, the first raster image whose name starts with it
 * ("thumbnail"); without, the largest file (what a share without
 * originals hands out instead of the original). NULL when there is none
 * or it escapes the rendition root. */
const char *ls_resolve_rendition(apr_pool_t *p, const char *rendition_real,
                                 const char *asset_rel,
                                 const char *prefer_prefix);

/* The rendition of the asset at asset_rel whose media type starts with
 * type_prefix ("video/", "application/pdf"), the first by name; never SVG.
 * NULL when there is none or it escapes the rendition root. */
const char *ls_resolve_rendition_type(apr_pool_t *p, const char *rendition_real,
                                      const char *asset_rel,
                                      const char *type_prefix);

#endif /* LS_RESOLVE_H */
