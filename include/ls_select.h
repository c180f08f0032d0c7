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

typedef struct {
    apr_array_header_t *entries; /* ls_zip_entry_t, archive order */
    int files;                   /* file entries */
    apr_off_t bytes;             /* their total size */
    int skipped;                 /* files without a rendition, left out
                                  * because originals are not allowed */
    const char *key;             /* SHA-256 hex over the entries */
} ls_selection_t;

/* Builds the selection. rels: share paths (const char *), empty for the
 * whole share. filter (may be NULL) decides what may be packaged: what
 * it refuses is treated as absent (see ls_resolve). rendition_real: NULL unless originals are not allowed, in
 * which case each file is replaced by its largest rendition.
 * APR_EINVAL (*why): a malformed path. APR_NOTFOUND (*why): a path not in
 * the share. LS_SELECT_TOO_BIG (*why): over max_files or max_bytes. */
apr_status_t ls_select(apr_pool_t *p, const char *asset_real,
                       const char *rendition_real, const ls_share_t *sh,
                       const ls_filter_t *filter,
                       const apr_array_header_t *rels, int max_files,
                       apr_off_t max_bytes, ls_selection_t **out,
                       const char **why);

/* The entries as JSON for the store, and back. */
const char *ls_select_to_json(apr_pool_t *p, const apr_array_header_t *e);
apr_status_t ls_select_from_json(apr_pool_t *p, const char *json,
                                 apr_array_header_t **entries);

#endif /* LS_SELECT_H */
