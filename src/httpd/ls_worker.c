/* ls_worker: packaging worker processes (see ls_worker.h).
 *
 * Lifecycle: the parent forks the workers in the real configuration pass
 * of post_config (not the first, dry pass; not for -t), notes them on
 * pconf (so a graceful restart or stop sends SIGTERM, then SIGKILL after
 * 3 s) and registers them as "other children" so the MPM tells us when
 * one dies and we start another in its slot. A worker that is asked to
 * stop mid-job puts its job back in the queue; a worker that dies
 * without a word (kill -9) leaves its claim in its progress slot, and its
 * replacement puts that job back at once. Jobs of workers that stopped
 * heartbeating (another node, a hung process) are reclaimed after
 * LinkShareWorkerTimeout (heartbeats every LS_HEARTBEAT_SECS while a job
 * makes progress). */
#include <errno.h>
#include <signal.h>
#include <unistd.h>

#include "httpd.h"
#include "http_config.h"
#include "http_core.h"
#include "http_log.h"
#include "ap_listen.h"
#include "mpm_common.h"
#include "apr_poll.h"
#include "apr_signal.h"
#include "apr_strings.h"

#include "ls_activity_log.h"
#include "ls_config.h"
#include "ls_entryname.h"
#include "ls_mailer.h"
#include "ls_notify.h"
#include "ls_progress.h"
#include "ls_rendition.h"
#include "ls_select.h"
#include "ls_status.h"
#include "ls_store.h"
#include "ls_tag.h"
#include "ls_token.h"
#include "ls_worker.h"
#include "ls_zip.h"

APLOG_USE_MODULE(linkshare);

#ifndef APR_ECANCELED /* ls_zip's "progress asked to stop" */
#define APR_ECANCELED APR_FROM_OS_ERROR(ECANCELED)
#endif

#define LS_POLL_MSECS     1000 /* idle poll of the queue */
#define LS_HEARTBEAT_SECS 2    /* progress written to the store */
#define LS_CLEANUP_SECS   60   /* expired archives swept (worker 0) */
#define LS_MAX_ATTEMPTS   3    /* claims before a job is failed */
#define LS_MAILS_PER_PASS 10   /* mails sent before looking for jobs again */

typedef struct {
    int slot;          /* index in the progress table */
    server_rec *s;     /* main server */
    apr_pool_t *pconf; /* the generation's config pool */
    apr_proc_t proc;   /* the running process */
} ls_worker_rec;

static apr_file_t *wake_rd, *wake_wr; /* created per generation */
static volatile sig_atomic_t stop_requested;

void ls_worker_wake(void)
{
    apr_size_t n = 1;

    if (wake_wr) {
        apr_file_write(wake_wr, "j", &n); /* EAGAIN: already awake */
    }
}

void ls_worker_wake_cleanup(void)
{
    apr_size_t n = 1;

    if (wake_wr) {
        apr_file_write(wake_wr, "c", &n);
    }
}

/* ---- one job ---- */

typedef struct {
    ls_store *store;
    apr_pool_t *p;
    const ls_job_t *job;
    const char *claim;
    int slot;
    int files_base;         /* files done in earlier parts */
    apr_int64_t bytes_base; /* bytes done in earlier parts */
    apr_int64_t last_beat;
    int lost; /* the claim was lost: cancelled/reclaimed */
} ls_run_t;

static int on_progress(void *baton, int files_done, apr_off_t bytes_done)
{
    ls_run_t *run = baton;
    apr_int64_t now = apr_time_sec(apr_time_now());
    const char *err;

    ls_progress_update(run->slot, run->files_base + files_done,
                       run->bytes_base + bytes_done, now);
    if (now - run->last_beat >= LS_HEARTBEAT_SECS) {
        run->last_beat = now;
        if (ls_store_job_progress(run->store, run->p, run->job->id, run->claim,
                                  run->files_base + files_done,
                                  run->bytes_base + bytes_done, now, &err)
            == APR_NOTFOUND) {
            run->lost = 1;
        }
    }
    return stop_requested || run->lost;
}

static void remove_parts(apr_pool_t *p, apr_array_header_t *parts)
{
    int i;

    for (i = 0; i < parts->nelts; i++) {
        apr_file_remove(APR_ARRAY_IDX(parts, i, ls_part_t).path, p);
    }
}

/* Every directory a job's files may be opened beneath: each server's
 * asset and rendition roots (a share made on a virtual host has its own). */
static apr_array_header_t *package_roots(server_rec *main_s, apr_pool_t *p)
{
    apr_array_header_t *roots = apr_array_make(p, 4, sizeof(const char *));
    server_rec *s;

    for (s = main_s; s; s = s->next) {
        ls_server_conf *sc = ls_config_get(s);
        APR_ARRAY_PUSH(roots, const char *) = sc->asset_real;
        APR_ARRAY_PUSH(roots, const char *) = sc->rendition_root;
        APR_ARRAY_PUSH(roots, const char *) = sc->renderer ? sc->rendition_cache
                                                           : NULL;
    }
    return roots;
}

/* One run: the worker packages the job it claimed into its parts, with
 * progress in its slot and the store, and records how it ended. */
static void run_claimed(server_rec *s, ls_store *store, apr_pool_t *p,
                        ls_job_t *job, const char *claim, int slot)
{
    ls_server_conf *sc = ls_config_get(s);
    apr_array_header_t *entries, *plan, *parts;
    ls_run_t run;
    const char *err = NULL, *state = "done", *failure = NULL, *bad = NULL;
    apr_int64_t now = apr_time_sec(apr_time_now());
    apr_status_t rv = APR_SUCCESS;
    int i;

    memset(&run, 0, sizeof(run));
    run.store = store;
    run.p = p;
    run.job = job;
    run.claim = claim;
    run.slot = slot;
    run.last_beat = now;
    parts = apr_array_make(p, 2, sizeof(ls_part_t));
    ls_progress_start(slot, job->id, job->files_total, job->bytes_total, now);

    if (job->attempts > LS_MAX_ATTEMPTS) {
        state = "failed";
        failure = "Packaging this download failed several times; please "
                  "try again later or select fewer files.";
        rv = APR_EGENERAL;
    }
    else if (ls_select_from_json(p, job->entries, &entries) != APR_SUCCESS) {
        state = "failed";
        failure = "This download could not be prepared.";
        rv = APR_EGENERAL;
    }
    else if (ls_select_bind(entries, package_roots(s, p), &bad)
             != APR_SUCCESS) {
        /* The asset or rendition root moved since it was queued. */
        state = "failed";
        failure = apr_psprintf(p,
                               "\"%s\" is no longer where it was when the "
                               "download was queued.",
                               bad);
        rv = APR_EGENERAL;
        ap_log_error(APLOG_MARK, APLOG_WARNING, 0, s,
                     LS_TAG(00340) "job %s: an entry lies below no asset or "
                                   "rendition root; failed",
                            job->id);
    }
    if (rv == APR_SUCCESS) {
        /* Rows queued before names were mapped; a no-op for the rest. */
        ls_entryname_map(p, entries);
        plan = ls_zip_plan(p, entries, sc->part_size);
        for (i = 0; rv == APR_SUCCESS && i < plan->nelts; i++) {
            const ls_zip_part_t *zp = &APR_ARRAY_IDX(plan, i, ls_zip_part_t);
            ls_part_t *pt = apr_array_push(parts);
            char hex[65];
            apr_off_t size = 0;
            pt->n = zp->n;
            pt->path = apr_psprintf(p, "%s/%s-%d.zip", sc->spool, job->id,
                                    zp->n);
            rv = ls_zip_write(p, entries, zp, (ls_zip_mode_t)sc->compression,
                              -1, pt->path, on_progress, &run, hex, &size,
                              &err);
            if (rv != APR_SUCCESS) {
                apr_array_pop(parts);
                break;
            }
            pt->size = size;
            pt->sha256 = apr_pstrdup(p, hex);
            run.files_base += zp->count;
            run.bytes_base += zp->bytes;
        }
        if (rv == APR_ECANCELED && !run.lost) {
            state = "queued"; /* this worker is stopping: someone else */
        }
        else if (rv == APR_ECANCELED) {
            state = NULL; /* cancelled (or reclaimed): nothing to record */
        }
        else if (rv != APR_SUCCESS) {
            state = "failed";
            failure = err ? err : "Packaging failed.";
            /* APR_EMISMATCH is "a file changed since it was queued"; its
             * APR text ("passwords do not match") would only mislead. */
            ap_log_error(APLOG_MARK, APLOG_ERR,
                         rv == APR_EMISMATCH ? APR_SUCCESS : rv, s,
                         LS_TAG(00301) "job %s failed: %s", job->id, failure);
        }
    }
    if (rv != APR_SUCCESS) {
        remove_parts(p, parts);
        apr_array_clear(parts);
    }
    now = apr_time_sec(apr_time_now());
    if (state) {
        rv = ls_store_job_finish(store, p, job->id, claim, state, failure,
                                 parts, now, &err);
        if (rv == APR_NOTFOUND) {
            /* Cancelled while we finished: the parts are nobody's. */
            remove_parts(p, parts);
        }
        else if (rv != APR_SUCCESS) {
            ap_log_error(APLOG_MARK, APLOG_ERR, rv, s,
                         LS_TAG(00302) "job %s: cannot record its end: %s",
                                job->id, err ? err : "");
        }
        else {
            ap_log_error(APLOG_MARK, APLOG_INFO, 0, s,
                         LS_TAG(00303) "job %s %s (%d part(s))", job->id, state,
                                parts->nelts);
        }
    }
    ls_progress_start(slot, NULL, 0, 0, now);
}

/* ---- housekeeping ---- */

/* A part is written under a temporary name ("<part>.tmp.<pid>.<n>") where
 * the spool has no O_TMPFILE (NFS): a worker killed meanwhile, on any
 * node, leaves that file. One not written for this long is nobody's. */
#define LS_STALE_TEMP_SECS 600

static void remove_stale_temps(server_rec *s, const char *spool, apr_pool_t *p)
{
    apr_dir_t *d;
    apr_finfo_t fi;
    apr_time_t old = apr_time_now() - apr_time_from_sec(LS_STALE_TEMP_SECS);

    if (apr_dir_open(&d, spool, p) != APR_SUCCESS) {
        return;
    }
    while (
        apr_dir_read(&fi, APR_FINFO_NAME | APR_FINFO_TYPE | APR_FINFO_MTIME, d)
        == APR_SUCCESS) {
        const char *path;
        if (fi.filetype != APR_REG || !strstr(fi.name, ".zip.tmp.")
            || fi.mtime > old) {
            continue;
        }
        path = apr_pstrcat(p, spool, "/", fi.name, NULL);
        if (apr_file_remove(path, p) == APR_SUCCESS) {
            ap_log_error(APLOG_MARK, APLOG_NOTICE, 0, s,
                         LS_TAG(00365) "removed %s: a part left half-written "
                                       "by a worker that stopped",
                                path);
        }
    }
    apr_dir_close(d);
}

static void cleanup(server_rec *s, ls_store *store, apr_pool_t *p)
{
    ls_server_conf *sc = ls_config_get(s);
    apr_array_header_t *jobs;
    const char *err = NULL;
    apr_int64_t now = apr_time_sec(apr_time_now());
    int i;

    remove_stale_temps(s, sc->spool, p);
    if (ls_store_job_expired(store, p, now, sc->archive_ttl, &jobs, &err)
        != APR_SUCCESS) {
        return;
    }
    for (i = 0; i < jobs->nelts; i++) {
        ls_job_t *j = APR_ARRAY_IDX(jobs, i, ls_job_t *);
        remove_parts(p, j->parts);
        ls_store_job_delete(store, p, j->id, &err);
        ap_log_error(
            APLOG_MARK, APLOG_INFO, 0, s,
            LS_TAG(00304) "job %s and its %d part(s) removed (share "
                          "ended or archive older than LinkShareArchiveTTL)",
                   j->id, j->parts->nelts);
    }
    ls_activity_sweep(s, store, p);
}

/* ---- the worker process ---- */

static void on_stop_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

/* Waits for a nudge or the poll interval; non-zero when asked to clean
 * up now (a share was revoked). */
static int wait_for_work(apr_pool_t *p)
{
    apr_pollfd_t pfd;
    apr_int32_t n = 0;
    char buf[64];
    apr_size_t len = sizeof(buf);

    memset(&pfd, 0, sizeof(pfd));
    pfd.p = p;
    pfd.desc_type = APR_POLL_FILE;
    pfd.desc.f = wake_rd;
    pfd.reqevents = APR_POLLIN;
    if (apr_poll(&pfd, 1, &n, apr_time_from_msec(LS_POLL_MSECS)) == APR_SUCCESS
        && n > 0 && apr_file_read(wake_rd, buf, &len) == APR_SUCCESS) {
        return memchr(buf, 'c', len) != NULL;
    }
    return 0;
}

static void worker_main(ls_worker_rec *w, const char *orphan_job,
                        const char *orphan_claim)
{
    ls_server_conf *sc = ls_config_get(w->s);
    apr_pool_t *pool, *iter;
    ls_store *store;
    const char *err = NULL;
    char claim[64];
    apr_int64_t last_cleanup = 0;
    int rendered = 0; /* the last pass made a rendition */

    apr_pool_create(&pool, NULL);
    apr_pool_tag(pool, "linkshare_worker");
    ap_close_listeners();
    apr_signal(SIGTERM, on_stop_signal);
    apr_signal(SIGINT, on_stop_signal);
    apr_signal(SIGHUP, on_stop_signal);
    apr_signal(SIGUSR1, on_stop_signal);  /* graceful restart */
    apr_signal(SIGWINCH, on_stop_signal); /* graceful stop */
    apr_signal(SIGPIPE, SIG_IGN);
    if (ap_run_drop_privileges(pool, w->s) != OK) {
        ap_log_error(APLOG_MARK, APLOG_EMERG, 0, w->s,
                     LS_TAG(00305) "worker %d cannot drop privileges; exiting",
                            w->slot);
        exit(APEXIT_CHILDFATAL);
    }
    /* Worker 0 shares its store with the activity log's writer thread. */
    if (ls_store_open(pool, sc->db_driver, sc->db_params, w->slot == 0 ? 2 : 1,
                      0, &store, &err)
        != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_ERR, 0, w->s,
                     LS_TAG(00306) "worker %d cannot open the store: %s",
                            w->slot, err ? err : "");
        exit(1);
    }
    ls_token_init();
    ls_mailer_worker_init(w->s);
    apr_snprintf(claim, sizeof(claim), "%d-%" APR_PID_T_FMT "-%" APR_TIME_T_FMT,
                 w->slot, getpid(), apr_time_now());
    if (orphan_job && *orphan_job) {
        /* Our predecessor in this slot died holding a job: free it. */
        apr_status_t rv;

        apr_pool_create(&iter, pool);
        rv = ls_store_job_finish(store, iter, orphan_job, orphan_claim,
                                 "queued", NULL, NULL,
                                 apr_time_sec(apr_time_now()), &err);
        if (rv == APR_SUCCESS) {
            ap_log_error(
                APLOG_MARK, APLOG_NOTICE, 0, w->s,
                LS_TAG(00307) "job %s put back in the queue: its worker "
                              "died",
                       orphan_job);
        }
        else {
            /* APR_NOTFOUND: no longer that worker's (finished, cancelled
             * or reclaimed); else the store failed and the stale-claim
             * sweep will put it back later. */
            ap_log_error(
                APLOG_MARK, rv == APR_NOTFOUND ? APLOG_INFO : APLOG_WARNING, rv,
                w->s,
                LS_TAG(00314) "job %s of a dead worker not put back "
                              "now: %s",
                       orphan_job, err ? err : "no longer that worker's");
        }
        apr_pool_destroy(iter);
    }
    ap_log_error(APLOG_MARK, APLOG_DEBUG, 0, w->s,
                 LS_TAG(00308) "worker %d started (pid %" APR_PID_T_FMT ")",
                        w->slot, getpid());
    ls_progress_claim(w->slot, claim);
    ls_progress_worker(w->slot, getpid(), apr_time_sec(apr_time_now()));
    if (w->slot == 0) {
        ls_notify_start(w->s, pool, &stop_requested); /* PostgreSQL */
        ls_activity_writer_start(w->s, pool, store, &stop_requested);
    }
    apr_pool_create(&iter, pool);
    while (!stop_requested) {
        ls_job_t *job = NULL;
        apr_int64_t now = apr_time_sec(apr_time_now());
        apr_status_t rv;
        int mails;

        apr_pool_clear(iter);
        if (w->slot == 0 && now - last_cleanup >= LS_CLEANUP_SECS) {
            last_cleanup = now;
            cleanup(w->s, store, iter);
            ls_status_measure(w->s, iter, ls_rendition_evict(w->s, iter));
        }
        /* Mail between jobs: a few at a time, each session bounded by
         * LinkShareSMTPTimeout, so a queued download waits little. */
        ls_progress_state(w->slot, LS_PROGRESS_MAILING);
        mails = ls_mailer_send_due(w->s, store, iter, claim, LS_MAILS_PER_PASS,
                                   &stop_requested);
        /* Renditions and packaging share the pool without starving
         * either: worker 0 alternates between them while both wait, the
         * others package first and render when nothing is queued. */
        ls_progress_state(w->slot, LS_PROGRESS_RENDERING);
        if (w->slot == 0 && !rendered
            && ls_rendition_work(w->s, store, iter, claim)) {
            rendered = 1;
            continue;
        }
        rendered = 0;
        ls_progress_state(w->slot, LS_PROGRESS_IDLE);
        rv = ls_store_job_claim(store, iter, claim, now,
                                now - sc->worker_timeout, &job, &err);
        if (rv == APR_SUCCESS) {
            run_claimed(w->s, store, iter, job, claim, w->slot);
            continue; /* maybe more queued */
        }
        if (rv != APR_NOTFOUND) {
            ap_log_error(APLOG_MARK, APLOG_WARNING, rv, w->s,
                         LS_TAG(00309) "worker %d cannot reach the store: %s",
                                w->slot, err ? err : "");
        }
        if (mails == LS_MAILS_PER_PASS) {
            continue; /* more mail may be due */
        }
        ls_progress_state(w->slot, LS_PROGRESS_RENDERING);
        if (ls_rendition_work(w->s, store, iter, claim)) {
            rendered = 1;
            continue; /* more may be queued */
        }
        ls_progress_state(w->slot, LS_PROGRESS_IDLE);
        if (wait_for_work(iter)) {
            /* Whichever worker took the nudge sweeps: deletes are safe to
             * repeat. */
            cleanup(w->s, store, iter);
        }
    }
    apr_pool_destroy(pool);
    exit(0);
}

/* ---- the parent side ---- */

static apr_status_t start_worker(ls_worker_rec *w);

static void worker_maint(int reason, void *data, apr_wait_t status)
{
    ls_worker_rec *w = data;

    (void)status;
    switch (reason) {
    case APR_OC_REASON_DEATH:
        apr_proc_other_child_unregister(data);
        if (ap_state_query(AP_SQ_MAIN_STATE) == AP_SQ_MS_RUN_MPM) {
            ap_log_error(APLOG_MARK, APLOG_WARNING, 0, w->s,
                         LS_TAG(00310) "worker %d (pid %" APR_PID_T_FMT
                                       ") died; "
                                       "starting another",
                                w->slot, w->proc.pid);
            start_worker(w);
        }
        break;
    case APR_OC_REASON_LOST:
        apr_proc_other_child_unregister(data);
        if (ap_state_query(AP_SQ_MAIN_STATE) == AP_SQ_MS_RUN_MPM) {
            start_worker(w);
        }
        break;
    case APR_OC_REASON_RESTART:
    case APR_OC_REASON_UNREGISTER:
    default:
        break;
    }
}

static apr_status_t start_worker(ls_worker_rec *w)
{
    ls_progress_slot_t slot;
    char orphan_job[sizeof(slot.job_id)] = "", orphan_claim[64] = "";
    apr_status_t rv;

    /* What the last process in this slot was doing, if it died. */
    ls_progress_peek(w->slot, orphan_job, sizeof(orphan_job), orphan_claim,
                     sizeof(orphan_claim));
    rv = apr_proc_fork(&w->proc, w->pconf);
    if (rv == APR_INCHILD) {
        worker_main(w, orphan_job, orphan_claim);
        exit(0); /* not reached */
    }
    if (rv != APR_INPARENT) {
        ap_log_error(APLOG_MARK, APLOG_ERR, rv, w->s,
                     LS_TAG(00311) "cannot start worker %d", w->slot);
        return rv;
    }
    apr_pool_note_subprocess(w->pconf, &w->proc, APR_KILL_AFTER_TIMEOUT);
    apr_proc_other_child_register(&w->proc, worker_maint, w, NULL, w->pconf);
    return APR_SUCCESS;
}

int ls_worker_post_config(apr_pool_t *pconf, apr_pool_t *ptemp, server_rec *s)
{
    ls_server_conf *sc = ls_config_get(s);
    apr_status_t rv;
    int i;

    (void)ptemp;
    rv = ls_progress_create(pconf, sc->workers);
    if (rv != APR_SUCCESS) {
        ap_log_error(
            APLOG_MARK, APLOG_WARNING, rv, s,
            LS_TAG(00312) "no shared memory for download progress; the "
                          "inbox shows progress as the store records it");
    }
    rv = apr_file_pipe_create_ex(&wake_rd, &wake_wr, APR_FULL_NONBLOCK, pconf);
    if (rv != APR_SUCCESS) {
        wake_rd = wake_wr = NULL;
        ap_log_error(APLOG_MARK, APLOG_EMERG, rv, s,
                     LS_TAG(00313) "cannot create the workers' wake-up pipe");
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    /* Fork only once the configuration is real: not in the first pass of
     * a start (a process that exits), not for a config test. */
    if (ap_state_query(AP_SQ_MAIN_STATE) != AP_SQ_MS_CREATE_CONFIG
        || ap_state_query(AP_SQ_RUN_MODE) != AP_SQ_RM_NORMAL) {
        return OK;
    }
    for (i = 0; i < sc->workers; i++) {
        ls_worker_rec *w = apr_pcalloc(pconf, sizeof(*w));
        w->slot = i;
        w->s = s;
        w->pconf = pconf;
        if (start_worker(w) != APR_SUCCESS) {
            return HTTP_INTERNAL_SERVER_ERROR;
        }
    }
    return OK;
}
