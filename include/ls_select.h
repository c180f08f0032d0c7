/* ls_select: what a queued download contains. Pure unit (APR + jansson +
 * OpenSSL). Turns a recipient's selection (share paths, or the whole
 * share) into the ordered list of archive entries, enforcing the limits
 * while it walks, so an oversized request is refused before any work;
 * and keys the result so the same files give the same archive. */
#ifndef LS_SELECT_H
#define LS_SELECT_H

#include <apr_pools.h>
#include <apr_tables.h>

#include "ls_resolve.h"
#include "ls_store.h"
#include "ls_zip.h"

/* Over LinkShareMaxFiles or LinkShareMaxContentSize. */
#define LS_SELECT_TOO_BIG (APR_OS_START_USERERR + 1)
/* Over what one selection may cost to walk: more than LS_SELECT_MAX_PATHS
 * paths in the request, folders nested deeper than LS_SELECT_MAX_DEPTH,
 * or more than LS_SELECT_MAX_DIRS folders. */
#define LS_SELECT_TOO_MANY (APR_OS_START_USERERR + 2)

/* Paths one request may name (the sharer API's limit too). */
#define LS_SELECT_MAX_PATHS 1000
/* Folder levels below a selected folder that are walked. */
#define LS_SELECT_MAX_DEPTH 64
/* Folders one selection may walk: at most LinkShareMaxFiles' maximum
 * worth of readdir()s, so even a tree of empty folders is bounded. */
#define LS_SELECT_MAX_DIRS 10000

typedef struct {
    apr_array_header_t *entries; /* ls_zip_entry_t, archive order */
    int files;                   /* file entries */
    apr_off_t bytes;             /* their total size */
    int skipped;                 /* files without a rendition, left out
                                  * because originals are not allowed */
    int pending;                 /* files whose rendition is being made
                                  * (ls_select_renditions_t.generated):
                                  * left out for now */
    const char *key;             /* SHA-256 hex over the entries */
} ls_selection_t;

/* A share without originals: where each file's rendition comes from.
 * First the admin's tree (the largest rendition there), then, when
 * generated is set, one the glue makes: APR_SUCCESS with *path, a file
 * below *root; APR_ENOENT when it is being made (counted in
 * ls_selection_t.pending); another status when the file has none. */
typedef struct {
    const char *rendition_real; /* the admin's renditions; may be NULL */
    apr_status_t (*generated)(void *baton, const char *real,
                              const apr_finfo_t *fi, const char **path,
                              const char **root);
    void *baton;
} ls_select_renditions_t;

/* Builds the selection. rels: share paths (const char *), empty for the
 * whole share; they are cleaned and each walked once (a path inside
 * another selected folder adds nothing), and each folder is walked once
 * (by device and inode: symlinks to "." cost nothing). renditions:
 * NULL unless originals are not allowed, in which case each file is
 * replaced by its rendition (see ls_select_renditions_t). filter (may be NULL) decides what
 * may be packaged: what it refuses is treated as absent (see ls_resolve).
 * APR_EINVAL (*why): a malformed path. APR_NOTFOUND (*why): a path not in
 * the share. LS_SELECT_TOO_BIG (*why): over max_files or max_bytes.
 * LS_SELECT_TOO_MANY (*why): over the LS_SELECT_MAX_* bounds. */
apr_status_t ls_select(apr_pool_t *p, const char *asset_real,
                       const ls_select_renditions_t *renditions,
                       const ls_share_t *sh, const ls_filter_t *filter,
                       const apr_array_header_t *rels, int max_files,
                       apr_off_t max_bytes, ls_selection_t **out,
                       const char **why);

/* The entries as JSON for the store, and back: each entry keeps its
 * source, name, size, mtime, compression and the device and inode it had
 * when selected. Entries read back verify mtime, and device and inode
 * where recorded (rows from before they were kept still load); their
 * root is unset until ls_select_bind. APR_EINVAL for malformed JSON. */
const char *ls_select_to_json(apr_pool_t *p, const apr_array_header_t *e);
apr_status_t ls_select_from_json(apr_pool_t *p, const char *json,
                                 apr_array_header_t **entries);

/* Sets each file entry's root to the one of roots (resolved directory
 * paths, const char *; NULLs skipped) its source lies below, the longest
 * when several match, so the worker opens it beneath that root.
 * APR_EACCES with *bad = the entry's archive name when a source lies
 * below none of them. */
apr_status_t ls_select_bind(apr_array_header_t *entries,
                            const apr_array_header_t *roots, const char **bad);

#endif /* LS_SELECT_H */
