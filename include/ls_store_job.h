/* ls_store_job: the job rows (one queued download each), the browsers
 * that asked for them and their parts (ls_store_job.c). Not the
 * packaging (ls_zip.h) nor the worker's run (ls_worker.h). */
/* The umbrella first, outside the guard: it defines the handle and
 * includes the store's headers in dependency order (this one too), so
 * this header compiles on its own whichever is included first. */
#include "ls_store.h"
#ifndef LS_STORE_JOB_H
#define LS_STORE_JOB_H

typedef struct {
    int n;              /* 1-based */
    apr_int64_t size;   /* bytes */
    const char *sha256; /* hex */
    const char *path;   /* absolute, in the spool */
} ls_part_t;

typedef struct {
    const char *id;
    const char *share_id;
    const char *selection_key; /* SHA-256 of the planned entries */
    const char *title;         /* base of the parts' file names */
    const char *label;         /* what it holds, in words; NULL: older */
    const char *state;         /* queued|running|done|failed|cancelled */
    const char *entries;       /* the planned entries, JSON (ls_plan) */
    int files_total;
    apr_int64_t bytes_total;
    int files_done;
    apr_int64_t bytes_done;
    int parts_total;
    const char *error; /* for failed: a sentence for the recipient */
    apr_int64_t created;
    apr_int64_t updated;
    const char *claim;         /* the worker's claim while running */
    apr_int64_t heartbeat;     /* last progress write of that worker */
    int attempts;              /* claims so far */
    apr_array_header_t *parts; /* ls_part_t, done jobs only */
} ls_job_t;

/* A job on this share with this selection that is queued, running or
 * done (and not past max_age seconds when done): the one to reuse. */
apr_status_t ls_store_job_reusable(ls_store *s, apr_pool_t *p,
                                   const char *share_id, const char *key,
                                   ls_job_t **out, const char **err);
/* Inserts a queued job and links it to browser. */
apr_status_t ls_store_job_insert(ls_store *s, apr_pool_t *p,
                                 const ls_job_t *job, const char *browser,
                                 const char **err);
/* Shows an existing job to one more browser (idempotent). */
apr_status_t ls_store_job_link(ls_store *s, apr_pool_t *p, const char *job_id,
                               const char *browser, const char **err);
/* Jobs of share_id linked to browser, newest first, with parts. */
apr_status_t ls_store_job_list(ls_store *s, apr_pool_t *p, const char *share_id,
                               const char *browser, apr_array_header_t **out,
                               const char **err);
apr_status_t ls_store_job_get(ls_store *s, apr_pool_t *p, const char *id,
                              ls_job_t **out, const char **err);
/* Queued or running jobs of a share (the 429 limit). */
apr_status_t ls_store_job_active(ls_store *s, apr_pool_t *p,
                                 const char *share_id, int *count,
                                 const char **err);
/* Bytes the spool holds or is about to hold for share_id (NULL: for every
 * share): the parts of done jobs, plus bytes_total of queued and running
 * ones (what LinkShareSpoolPerShare and LinkShareSpoolMax count). */
apr_status_t ls_store_job_spool_usage(ls_store *s, apr_pool_t *p,
                                      const char *share_id, apr_int64_t *bytes,
                                      const char **err);
/* Claims the oldest queued job, or a running one whose heartbeat is older
 * than stale_before. APR_NOTFOUND when there is none. Atomic: two workers
 * (or two nodes) never get the same job. */
apr_status_t ls_store_job_claim(ls_store *s, apr_pool_t *p, const char *claim,
                                apr_int64_t now, apr_int64_t stale_before,
                                ls_job_t **out, const char **err);
/* Progress and heartbeat of a claimed job. APR_NOTFOUND when the claim is
 * lost (cancelled, or reclaimed): the worker must stop. */
apr_status_t ls_store_job_progress(ls_store *s, apr_pool_t *p, const char *id,
                                   const char *claim, int files_done,
                                   apr_int64_t bytes_done, apr_int64_t now,
                                   const char **err);
/* Ends a claimed job: done with parts, or failed with error, or back to
 * queued (abandoned by a stopping worker). APR_NOTFOUND when the claim
 * was lost meanwhile (e.g. cancelled). */
apr_status_t ls_store_job_finish(ls_store *s, apr_pool_t *p, const char *id,
                                 const char *claim, const char *state,
                                 const char *error,
                                 const apr_array_header_t *parts,
                                 apr_int64_t now, const char **err);
/* browser gives up the queued or running job id of share_id: only its
 * own entry goes while another browser still waits for the job; the last
 * one's cancel stops the job (*stopped set). One transaction.
 * APR_NOTFOUND: no queued or running job id on share_id; APR_EACCES:
 * browser is not waiting for it (another recipient's). Nothing changes
 * then. */
/* Takes an ended job (done, failed, cancelled) of share_id out of
 * browser's inbox: its link goes, the job and its parts stay for other
 * browsers until cleanup. APR_NOTFOUND: browser has no such ended job. */
apr_status_t ls_store_job_forget(ls_store *s, apr_pool_t *p, const char *id,
                                 const char *share_id, const char *browser,
                                 const char **err);
apr_status_t ls_store_job_cancel(ls_store *s, apr_pool_t *p, const char *id,
                                 const char *share_id, const char *browser,
                                 apr_int64_t now, int *stopped,
                                 const char **err);
/* Jobs whose files may go: their share expired or was revoked, they ended
 * (done, failed, cancelled) more than ttl seconds ago. With parts. */
apr_status_t ls_store_job_expired(ls_store *s, apr_pool_t *p, apr_int64_t now,
                                  apr_int64_t ttl, apr_array_header_t **out,
                                  const char **err);
apr_status_t ls_store_job_delete(ls_store *s, apr_pool_t *p, const char *id,
                                 const char **err);

#endif /* LS_STORE_JOB_H */
