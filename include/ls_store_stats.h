/* ls_store_stats: counts over the store for monitoring (the mod_status
 * section; the admin command's stats can use them too): jobs by state,
 * those that ended recently, the mail queue (ls_store_stats.c). Cheap:
 * two grouped counts, no row is read. Not the rows themselves. */
/* The umbrella first, outside the guard: it defines the handle and
 * includes the store's headers in dependency order, so this header
 * compiles on its own whichever is included first. */
#include "ls_store.h"
#ifndef LS_STORE_STATS_H
#define LS_STORE_STATS_H

typedef struct {
    apr_int64_t jobs_queued;
    apr_int64_t jobs_running;
    apr_int64_t jobs_done_since;   /* done with updated >= since */
    apr_int64_t jobs_failed_since; /* failed with updated >= since */
    apr_int64_t mail_queued;       /* queued or being sent */
    apr_int64_t mail_failed_since; /* given up with updated >= since */
} ls_store_stats_t;

/* Fills *out; since is epoch seconds (e.g. now - 3600). */
apr_status_t ls_store_stats(ls_store *s, apr_pool_t *p, apr_int64_t since,
                            ls_store_stats_t *out, const char **err);

#endif /* LS_STORE_STATS_H */
