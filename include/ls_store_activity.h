/* ls_store_activity: the activity log's rows in the store (table
 * ls_activity, schema v7): inserting a batch, one share's events a page at
 * a time newest first, and the sweep by age (ls_store_activity.c). Not
 * what is recorded nor when (the write-behind queue, ls_activity_queue.h;
 * the request side, src/httpd/ls_activity.c) nor how events are shown
 * (ls_activity.h: JSON, CSV, addresses). The admin command and the API
 * both page through this header.
 *
 * Times (at) are microseconds since the Unix epoch (an apr_time_t), not
 * seconds as in the other tables: events of one second (a page and the
 * download it leads to) keep their order, and the cursor is exact. */
/* The umbrella first, outside the guard: it defines the handle and
 * includes the store's headers in dependency order (this one too), so
 * this header compiles on its own whichever is included first. */
#include "ls_store.h"
#ifndef LS_STORE_ACTIVITY_H
#define LS_STORE_ACTIVITY_H

/* Kinds of events (ls_activity.kind, at most 16 characters). */
#define LS_ACTIVITY_PAGE          "page"          /* the Link Share page */
#define LS_ACTIVITY_PREVIEW       "preview"       /* the preview page */
#define LS_ACTIVITY_DOWNLOAD      "download"      /* op=file */
#define LS_ACTIVITY_QUEUE         "queue"         /* op=queue */
#define LS_ACTIVITY_PART          "part"          /* op=part */
#define LS_ACTIVITY_EXPIRED       "expired"       /* 410: expired link */
#define LS_ACTIVITY_REVOKED       "revoked"       /* 410: revoked link */
#define LS_ACTIVITY_LIMIT         "limit"         /* 410: download limit */
#define LS_ACTIVITY_UNLOCK_FAILED "unlock_failed" /* op=unlock, wrong */

/* An event's id, made on insert: 14 hex digits of its time
 * (microseconds), 10 of a random number drawn once per process, 8 of a
 * per-process counter. Time first, so a batch's rows land at the right
 * edge of the primary key's B-tree instead of on a random page each (with
 * random ids a batch of 256 events dirtied ~256 pages and wrote them all
 * to the WAL); the random part keeps processes and nodes apart and the
 * counter keeps one process's events of one microsecond apart. */
#define LS_ACTIVITY_ID_LEN 32

/* Page sizes of ls_store_activity_page. */
#define LS_ACTIVITY_PAGE_DEFAULT 50
#define LS_ACTIVITY_PAGE_MAX     500

/* One recorded event: plain strings and numbers, the same for JSON, CSV
 * and the admin command's table. */
typedef struct {
    const char *id;       /* LS_ACTIVITY_ID_LEN hex (16 for events
                           * recorded before 2026-12); NULL on insert:
                           * one is made */
    const char *share_id; /* the share the event belongs to */
    apr_int64_t at;       /* microseconds since the epoch */
    const char *kind;     /* LS_ACTIVITY_* */
    const char *path;     /* the share path asked for (page, preview,
                           * download), the part number ("2") of a part;
                           * NULL for none */
    const char *job;      /* the job (queue, part); NULL for none */
    int status;           /* the HTTP status answered */
    apr_int64_t bytes;    /* body bytes actually sent */
    const char *address;  /* the client address as recorded (full,
                           * truncated) or NULL (LinkShareActivityAddress
                           * none) */
} ls_activity_t;

/* Inserts n events in one transaction; an event of a share deleted
 * meanwhile, or over a column's bound (kind 16, job 32, address 64
 * characters), is skipped, not an error; path must be UTF-8
 * (ls_activity_text). *written (if given) gets the rows
 * inserted. */
apr_status_t ls_store_activity_insert(ls_store *s, apr_pool_t *p,
                                      const ls_activity_t *ev, int n,
                                      int *written, const char **err);

/* One page of share_id's events, newest first (by at, then id): at most
 * limit (1 to LS_ACTIVITY_PAGE_MAX) events older than the cursor before
 * (NULL: from the newest). *events gets an array of ls_activity_t; *next
 * the cursor of the page after this one, NULL when there is none.
 * APR_EINVAL (with *err a sentence) for a malformed cursor or limit. */
apr_status_t ls_store_activity_page(ls_store *s, apr_pool_t *p,
                                    const char *share_id, const char *before,
                                    int limit, apr_array_header_t **events,
                                    const char **next, const char **err);

/* Deletes every event older than before (microseconds), a bounded batch
 * per statement so no transaction holds the table for long. *deleted (if
 * given) gets how many. */
apr_status_t ls_store_activity_sweep(ls_store *s, apr_pool_t *p,
                                     apr_int64_t before, int *deleted,
                                     const char **err);

/* A cursor is opaque to clients: "AT-ID" (decimal microseconds, the
 * event's id). ls_store_activity_cursor makes one of an event;
 * ls_store_activity_cursor_parse reads one (APR_EINVAL when malformed;
 * id needs LS_ACTIVITY_ID_LEN + 1 bytes). */
const char *ls_store_activity_cursor(apr_pool_t *p, const ls_activity_t *ev);
apr_status_t ls_store_activity_cursor_parse(const char *cursor, apr_int64_t *at,
                                            char *id);

#endif /* LS_STORE_ACTIVITY_H */
