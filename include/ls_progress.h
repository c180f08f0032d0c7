/* ls_progress: the live view of running packaging jobs, in anonymous
 * shared memory created by the httpd parent before it forks. APR-only.
 * One slot per worker process; the worker writes its slot, request
 * handlers read them all. The store keeps the durable state; this is what
 * makes the Download Inbox move between store writes.
 *
 *   slot 0            slot 1                 slot N-1
 *   +----------------+----------------+-----+----------------+
 *   | job_id[17]     |                |     |                |
 *   | state          |  (one per      | ... |                |
 *   | files_done/tot |   worker)      |     |                |
 *   | bytes_done/tot |                |     |                |
 *   | updated (sec)  |                |     |                |
 *   +----------------+----------------+-----+----------------+
 *
 * A sequence counter, odd while the worker writes, lets readers retry
 * instead of mixing two jobs' figures. The claim lets the parent tell a
 * dead worker's replacement which job it left behind. */
#ifndef LS_PROGRESS_H
#define LS_PROGRESS_H

#include <apr_pools.h>
#include <apr_errno.h>

typedef struct {
    char job_id[20];           /* empty when idle */
    char claim[64];            /* the worker's store claim */
    volatile apr_uint32_t seq; /* odd while the worker writes */
    apr_uint32_t files_done;
    apr_uint32_t files_total;
    apr_uint64_t bytes_done;
    apr_uint64_t bytes_total;
    apr_int64_t updated; /* epoch seconds */
    /* for the mod_status section (ls_status) */
    apr_int64_t pid;             /* the worker process; 0 before it starts */
    apr_int64_t started;         /* when it started, epoch seconds */
    apr_int64_t job_started;     /* when it took job_id, epoch seconds */
    volatile apr_uint32_t state; /* LS_PROGRESS_* (set outside seq) */
} ls_progress_slot_t;

/* What a worker is doing (ls_progress_slot_t.state). */
#define LS_PROGRESS_IDLE      0
#define LS_PROGRESS_PACKAGING 1 /* a job: job_id, the figures */
#define LS_PROGRESS_RENDERING 2
#define LS_PROGRESS_MAILING   3

/* Figures of the whole host that are too slow to gather per request,
 * measured by worker 0 with its housekeeping (every minute) and kept
 * after the slots in the same segment. -1: not measured (yet). */
typedef struct {
    volatile apr_uint32_t seq; /* odd while written */
    apr_int64_t spool_bytes;   /* bytes of files in the spool */
    apr_int64_t spool_free;    /* bytes free on the spool's filesystem */
    apr_int64_t cache_bytes;   /* bytes of the rendition cache */
    apr_int64_t updated;       /* when measured, epoch seconds */
} ls_progress_host_t;

/* Parent: creates the table for nslots workers (lives as long as p). */
apr_status_t ls_progress_create(apr_pool_t *p, int nslots);

/* Worker: claims slot i for job_id (or clears it with job_id NULL). */
void ls_progress_start(int i, const char *job_id, apr_uint32_t files_total,
                       apr_uint64_t bytes_total, apr_int64_t now);
void ls_progress_update(int i, apr_uint32_t files_done, apr_uint64_t bytes_done,
                        apr_int64_t now);

/* Worker: slot i is run by process pid since now (its state idle). */
void ls_progress_worker(int i, apr_int64_t pid, apr_int64_t now);

/* Worker: what slot i does now (LS_PROGRESS_*); ls_progress_start sets
 * packaging or idle itself. */
void ls_progress_state(int i, apr_uint32_t state);

/* Reader: the number of slots, and a consistent copy of slot i
 * (APR_NOTFOUND past the end or without a table). */
int ls_progress_slots(void);
apr_status_t ls_progress_snapshot(int i, ls_progress_slot_t *out);

/* Worker 0: publishes the host's figures; readers get a consistent copy
 * (all -1 when never measured). */
void ls_progress_host_set(apr_int64_t spool_bytes, apr_int64_t spool_free,
                          apr_int64_t cache_bytes, apr_int64_t now);
void ls_progress_host_get(ls_progress_host_t *out);

/* Worker: records its store claim in slot i. */
void ls_progress_claim(int i, const char *claim);

/* Parent: the job and claim slot i holds ("" when idle). */
void ls_progress_peek(int i, char *job_id, apr_size_t jlen, char *claim,
                      apr_size_t clen);

/* Reader: a consistent copy of the slot running job_id. APR_NOTFOUND when
 * no worker on this host runs it. */
apr_status_t ls_progress_find(const char *job_id, ls_progress_slot_t *out);

/* Reader: a number that changes whenever any worker writes its slot
 * (starts, moves on or ends a job: the sum of the slots' sequence
 * counters, each of which only grows). An event stream compares it every
 * few milliseconds and reads the store only when it moved. */
apr_uint32_t ls_progress_generation(void);

#endif /* LS_PROGRESS_H */
