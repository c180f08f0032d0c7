/* ls_store_admin: what linkshare-admin asks of the store beyond what the
 * module asks (ls_store_admin.c): counts by state, jobs by state, the
 * schema version found, every part's file (orphan check) and purging
 * ended shares. The same SQL on SQLite and PostgreSQL. */
#include "ls_store.h"
#ifndef LS_STORE_ADMIN_H
#define LS_STORE_ADMIN_H

/* One "state: count" line of a summary. */
typedef struct {
    const char *state;
    apr_int64_t count;
} ls_state_count_t;

/* Shares by state at now: active, expired, revoked, exhausted (a limit
 * on downloads reached; revoked wins over expired wins over exhausted,
 * as the share JSON says). */
apr_status_t ls_store_admin_share_states(ls_store *s, apr_pool_t *p,
                                         apr_int64_t now,
                                         apr_array_header_t **out,
                                         const char **err);
/* Rows of table (ls_job or ls_mail) by their state column. */
apr_status_t ls_store_admin_states(ls_store *s, apr_pool_t *p,
                                   const char *table, apr_array_header_t **out,
                                   const char **err);
/* The shares whose download limit is reached (ids, as a set). */
apr_status_t ls_store_admin_exhausted(ls_store *s, apr_pool_t *p,
                                      apr_hash_t **out, const char **err);
/* Jobs, newest first, of one state (NULL: all), at most limit; without
 * parts or entries. */
apr_status_t ls_store_admin_jobs(ls_store *s, apr_pool_t *p, const char *state,
                                 int limit, apr_array_header_t **out,
                                 const char **err);
/* The schema version the store holds (0: none yet). */
apr_status_t ls_store_admin_version(ls_store *s, apr_pool_t *p, int *version,
                                    const char **err);
/* Every part file the store knows (absolute paths, as a set). */
apr_status_t ls_store_admin_part_paths(ls_store *s, apr_pool_t *p,
                                       apr_hash_t **out, const char **err);

/* purge: in one transaction, every share that ended before `before`
 * (revoked then, or expired then) is deleted with its items, recipients,
 * mail, jobs, parts and activity; *parts gets the part files of those
 * jobs (for the caller to remove) and *shares the count. */
apr_status_t ls_store_admin_purge(ls_store *s, apr_pool_t *p,
                                  apr_int64_t before, int *shares,
                                  apr_array_header_t **parts, const char **err);

#endif /* LS_STORE_ADMIN_H */
