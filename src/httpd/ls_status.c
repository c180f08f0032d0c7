/* ls_status: the mod_status section (see ls_status.h). */
#include <sys/statvfs.h>

#include "httpd.h"
#include "http_config.h"
#include "http_log.h"
#include "http_protocol.h"
#include "mod_status.h"
#include "apr_strings.h"

#include "ls_config.h"
#include "ls_proc.h"
#include "ls_progress.h"
#include "ls_status.h"
#include "ls_store.h"
#include "ls_tag.h"
#include "ls_throttle.h"
#include "ls_time.h"

APLOG_USE_MODULE(linkshare);

static const char *const state_names[] = {"idle", "packaging", "rendering",
                                          "mailing"};

static const char *state_name(apr_uint32_t st, apr_int64_t pid)
{
    if (pid == 0) {
        return "starting";
    }
    return st < sizeof(state_names) / sizeof(state_names[0]) ? state_names[st]
                                                             : "?";
}

/* ---- measured by worker 0 ---- */

void ls_status_measure(server_rec *s, apr_pool_t *p, apr_off_t cache_bytes)
{
    ls_server_conf *sc = ls_config_get(s);
    apr_int64_t used = 0, avail = -1;
    apr_finfo_t fi;
    apr_dir_t *d;
    struct statvfs v;

    /* The spool is flat: <job>-<n>.zip and libzip's temporaries. */
    if (apr_dir_open(&d, sc->spool, p) == APR_SUCCESS) {
        while (apr_dir_read(&fi, APR_FINFO_TYPE | APR_FINFO_SIZE, d)
               == APR_SUCCESS) {
            if (fi.filetype == APR_REG) {
                used += fi.size;
            }
        }
        apr_dir_close(d);
    }
    else {
        used = -1;
    }
    if (statvfs(sc->spool, &v) == 0) {
        avail = (apr_int64_t)v.f_bavail * (apr_int64_t)v.f_frsize;
    }
    ls_progress_host_set(used, avail, cache_bytes,
                         apr_time_sec(apr_time_now()));
}

/* ---- the section ---- */

static const char *num(apr_pool_t *p, apr_int64_t v)
{
    return v < 0 ? "unknown" : apr_psprintf(p, "%" APR_INT64_T_FMT, v);
}

static void workers_auto(request_rec *r, int n)
{
    ls_progress_slot_t sl;
    int i, busy = 0;

    for (i = 0; i < n; i++) {
        if (ls_progress_snapshot(i, &sl) != APR_SUCCESS) {
            continue;
        }
        busy += sl.job_id[0] != '\0';
        ap_rprintf(r,
                   "LinkShareWorker%d: pid=%" APR_INT64_T_FMT " state=%s "
                   "job=%s files=%u/%u bytes=%" APR_UINT64_T_FMT
                   "/%" APR_UINT64_T_FMT " started=%" APR_INT64_T_FMT "\n",
                   i, sl.pid, state_name(sl.state, sl.pid),
                   sl.job_id[0] ? sl.job_id : "-", sl.files_done,
                   sl.files_total, sl.bytes_done, sl.bytes_total, sl.started);
    }
    ap_rprintf(r, "LinkShareWorkers: %d\nLinkShareWorkersBusy: %d\n", n, busy);
}

static void workers_html(request_rec *r, int n)
{
    ls_progress_slot_t sl;
    int i;

    ap_rputs("<table border=\"0\"><tr><th>Worker</th><th>PID</th>"
             "<th>State</th><th>Job</th><th>Progress</th><th>Job started</th>"
             "<th>Worker started</th></tr>\n",
             r);
    for (i = 0; i < n; i++) {
        if (ls_progress_snapshot(i, &sl) != APR_SUCCESS) {
            continue;
        }
        ap_rprintf(r, "<tr><td>%d</td><td>%" APR_INT64_T_FMT "</td><td>%s</td>",
                   i, sl.pid, state_name(sl.state, sl.pid));
        if (sl.job_id[0]) {
            ap_rprintf(r,
                       "<td>%s</td><td>%u/%u files, %" APR_UINT64_T_FMT
                       "/%" APR_UINT64_T_FMT " bytes (%d%%)</td><td>%s</td>",
                       ap_escape_html(r->pool, sl.job_id), sl.files_done,
                       sl.files_total, sl.bytes_done, sl.bytes_total,
                       sl.bytes_total
                           ? (int)(sl.bytes_done * 100 / sl.bytes_total)
                           : 0,
                       ls_time_format_rfc3339(r->pool, sl.job_started));
        }
        else {
            ap_rputs("<td>-</td><td>-</td><td>-</td>", r);
        }
        ap_rprintf(r, "<td>%s</td></tr>\n",
                   sl.started ? ls_time_format_rfc3339(r->pool, sl.started)
                              : "-");
    }
    ap_rputs("</table>\n", r);
}

int ls_status_hook(request_rec *r, int flags)
{
    ls_store *store = ls_proc_store();
    ls_store_stats_t st;
    ls_progress_host_t h;
    const char *err = NULL;
    apr_status_t rv = APR_EGENERAL;
    int n = ls_progress_slots(), blocked;
    int short_form = flags & AP_STATUS_SHORT;
    const char *fmt;

    if (store) {
        rv = ls_store_stats(store, r->pool, apr_time_sec(apr_time_now()) - 3600,
                            &st, &err);
    }
    if (rv != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, rv, r,
                      LS_TAG(00266) "server-status: store counts unavailable: "
                                    "%s",
                             err ? err : "no store in this process");
        memset(&st, 0xff, sizeof(st)); /* -1: "unknown" */
    }
    ls_progress_host_get(&h);
    blocked = ls_throttle_blocked_clients(r->server);
    if (short_form) {
        workers_auto(r, n);
        fmt = "%s: %s\n";
    }
    else {
        ap_rputs("<hr />\n<h2><a name=\"linkshare\">mod_linkshare</a></h2>\n",
                 r);
        workers_html(r, n);
        ap_rputs("<dl>\n", r);
        fmt = "<dt>%s: %s</dt>\n";
    }
    ap_rprintf(r, fmt, "LinkShareStore",
               rv == APR_SUCCESS ? "ok" : "unavailable");
    ap_rprintf(r, fmt, "LinkShareJobsQueued", num(r->pool, st.jobs_queued));
    ap_rprintf(r, fmt, "LinkShareJobsRunning", num(r->pool, st.jobs_running));
    ap_rprintf(r, fmt, "LinkShareJobsDoneLastHour",
               num(r->pool, st.jobs_done_since));
    ap_rprintf(r, fmt, "LinkShareJobsFailedLastHour",
               num(r->pool, st.jobs_failed_since));
    ap_rprintf(r, fmt, "LinkShareMailQueued", num(r->pool, st.mail_queued));
    ap_rprintf(r, fmt, "LinkShareMailFailedLastHour",
               num(r->pool, st.mail_failed_since));
    ap_rprintf(r, fmt, "LinkShareSpoolBytes", num(r->pool, h.spool_bytes));
    ap_rprintf(r, fmt, "LinkShareSpoolFreeBytes", num(r->pool, h.spool_free));
    ap_rprintf(r, fmt, "LinkShareRenditionCacheBytes",
               num(r->pool, h.cache_bytes));
    ap_rprintf(r, fmt, "LinkShareDiskMeasured",
               h.updated ? ls_time_format_rfc3339(r->pool, h.updated)
                         : "not yet");
    ap_rprintf(r, fmt, "LinkShareBlockedClients", num(r->pool, blocked));
    if (!short_form) {
        ap_rputs("</dl>\n", r);
    }
    return OK;
}
