/* ls_renderer: a worker's renderer process (see ls_renderer.h). */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include "httpd.h"
#include "http_log.h"
#include "apr_portable.h"
#include "apr_strings.h"
#include "apr_thread_proc.h"

#include "ls_config.h"
#include "ls_rcache.h"
#include "ls_renderer.h"
#include "ls_tag.h"

APLOG_USE_MODULE(linkshare);

#define RENDER_MEM      (APR_INT64_C(1) << 30) /* address space, bytes */
#define RENDER_FILE_CPU 30                     /* seconds of CPU for one file */
#define RENDER_FILES    32 /* files one process serves before a new one */
/* The whole session's CPU (the hard limit; the renderer lowers its soft
 * limit to what it used plus RENDER_FILE_CPU before each file). Reaching
 * it kills the renderer; its file is then retried in a fresh one. */
#define RENDER_SESSION_CPU (RENDER_FILE_CPU * 4)
#define RENDER_IDLE        10 /* seconds without work before it stops */
#define ANSWER_MAX         1200

typedef struct {
    apr_pool_t *pool; /* the process, its pipes and its stderr file */
    apr_proc_t proc;
    apr_file_t *err; /* its stderr: why it could not start */
    int to, from;    /* its stdin (our end), its stdout (our end) */
    int files;       /* files asked of it so far */
    apr_time_t last; /* when it last answered */
    char answer[ANSWER_MAX];
    apr_size_t have; /* bytes of answer read */
} renderer_t;

static renderer_t *cur; /* this worker's, or NULL */

/* The first line of the renderer's stderr (why it exited). */
static const char *err_line(apr_pool_t *p, apr_file_t *f)
{
    char buf[256];
    apr_off_t at = 0;
    apr_size_t n = sizeof(buf) - 1;
    char *nl;

    apr_file_seek(f, APR_SET, &at);
    if (apr_file_read(f, buf, &n) != APR_SUCCESS || n == 0) {
        return "no reason given";
    }
    buf[n] = '\0';
    if ((nl = strchr(buf, '\n')) != NULL) {
        *nl = '\0';
    }
    return apr_pstrdup(p, buf);
}

/* Ends the renderer: closes its stdin (it exits at the end of it), waits
 * a little, then kills it. *code and *how: how it ended. */
static void stop(int kill_now, int *code, apr_exit_why_e *how)
{
    apr_time_t until = apr_time_now() + apr_time_from_sec(1);
    int c = 0;
    apr_exit_why_e h = APR_PROC_EXIT;

    if (cur == NULL) {
        return;
    }
    if (kill_now) {
        apr_proc_kill(&cur->proc, SIGKILL);
    }
    apr_file_close(cur->proc.in); /* its end of stdin */
    while (apr_proc_wait(&cur->proc, &c, &h, APR_NOWAIT) != APR_CHILD_DONE) {
        if (apr_time_now() >= until) {
            apr_proc_kill(&cur->proc, SIGKILL);
            apr_proc_wait(&cur->proc, &c, &h, APR_WAIT);
            break;
        }
        apr_sleep(apr_time_from_msec(10));
    }
    if (code) {
        *code = c;
        *how = h;
    }
    apr_pool_destroy(cur->pool); /* closes the pipes and the stderr file */
    cur = NULL;
}

static apr_status_t start(server_rec *s, apr_pool_t *p, const char **why)
{
    ls_server_conf *sc = ls_config_get(s);
    struct rlimit mem = {RENDER_MEM, RENDER_MEM};
    struct rlimit cpu = {RENDER_SESSION_CPU, RENDER_SESSION_CPU};
    const char *argv[7], *env[3], *tmpdir = NULL;
    apr_procattr_t *attr;
    apr_os_file_t fd;
    apr_pool_t *pool;
    renderer_t *rd;
    char *errname;
    apr_status_t rv;

    apr_pool_create(&pool, NULL);
    apr_pool_tag(pool, "linkshare_renderer");
    rd = apr_pcalloc(pool, sizeof(*rd));
    rd->pool = pool;
    apr_temp_dir_get(&tmpdir, pool);
    errname = apr_pstrcat(pool, tmpdir ? tmpdir : "/tmp", "/lsrender.XXXXXX",
                          NULL);
    argv[0] = sc->renderer;
    argv[1] = "--max-pixels";
    argv[2] = apr_psprintf(pool, "%" APR_INT64_T_FMT, sc->rendition_max_pixels);
    argv[3] = "--serve";
    argv[4] = apr_itoa(pool, RENDER_FILE_CPU);
    argv[5] = NULL;
    env[0] = "PATH=/usr/bin:/bin";
    env[1] = "VIPS_CONCURRENCY=1";
    env[2] = NULL;
    if ((rv = apr_file_mktemp(&rd->err, errname,
                              APR_FOPEN_CREATE | APR_FOPEN_READ
                                  | APR_FOPEN_WRITE | APR_FOPEN_EXCL
                                  | APR_FOPEN_DELONCLOSE,
                              pool))
        != APR_SUCCESS) {
        *why = apr_pstrdup(p, "no temporary file for the renderer's "
                              "messages");
    }
    else if ((rv = apr_procattr_create(&attr, pool)) != APR_SUCCESS
             || (rv = apr_procattr_cmdtype_set(attr, APR_PROGRAM))
                    != APR_SUCCESS
             || (rv = apr_procattr_io_set(attr, APR_FULL_BLOCK, APR_FULL_BLOCK,
                                          APR_NO_PIPE))
                    != APR_SUCCESS
             || (rv = apr_procattr_child_err_set(attr, rd->err, NULL))
                    != APR_SUCCESS
             || (rv = apr_procattr_limit_set(attr, APR_LIMIT_MEM, &mem))
                    != APR_SUCCESS
             || (rv = apr_procattr_limit_set(attr, APR_LIMIT_CPU, &cpu))
                    != APR_SUCCESS
             || (rv = apr_procattr_error_check_set(attr, 1)) != APR_SUCCESS
             || (rv = apr_proc_create(&rd->proc, sc->renderer, argv, env, attr,
                                      pool))
                    != APR_SUCCESS) {
        *why = apr_psprintf(p, "cannot run %s", sc->renderer);
    }
    if (rv != APR_SUCCESS) {
        apr_pool_destroy(pool);
        return rv;
    }
    apr_os_file_get(&fd, rd->proc.in);
    rd->to = fd;
    apr_os_file_get(&fd, rd->proc.out);
    rd->from = fd;
    rd->last = apr_time_now();
    cur = rd;
    return APR_SUCCESS;
}

/* Writes all of buf to the renderer; non-zero if it is gone. */
static int send_all(const char *buf, apr_size_t len)
{
    while (len > 0) {
        ssize_t n = write(cur->to, buf, len);

        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return -1;
        }
        buf += n;
        len -= (apr_size_t)n;
    }
    return 0;
}

/* Reads the answer line until until: 1 with the line in cur->answer,
 * 0 at the end of its output (it died), -1 past until. */
static int read_answer(apr_time_t until)
{
    cur->have = 0;
    for (;;) {
        struct pollfd pfd = {cur->from, POLLIN, 0};
        apr_interval_time_t left = until - apr_time_now();
        char *nl;
        ssize_t n;
        int got;

        if (left <= 0) {
            return -1;
        }
        got = poll(&pfd, 1, (int)(left / 1000) + 1);
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got == 0) {
            continue; /* the loop's head decides */
        }
        n = read(cur->from, cur->answer + cur->have,
                 sizeof(cur->answer) - 1 - cur->have);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return 0;
        }
        cur->have += (apr_size_t)n;
        cur->answer[cur->have] = '\0';
        if ((nl = memchr(cur->answer, '\n', cur->have)) != NULL) {
            *nl = '\0';
            return 1;
        }
        if (cur->have == sizeof(cur->answer) - 1) {
            return 0; /* not our protocol: treat as a dead renderer */
        }
    }
}

/* One request to a running renderer. *died: it is gone (crashed or
 * killed) and was stopped here. */
static apr_status_t ask(server_rec *s, apr_pool_t *p, const char *kind,
                        const char *src, const char *out, const char **why,
                        int *died)
{
    ls_server_conf *sc = ls_config_get(s);
    apr_time_t until = apr_time_now()
                       + apr_time_from_sec(sc->rendition_timeout);
    apr_size_t kl = strlen(kind) + 1, sl = strlen(src) + 1,
               ol = strlen(out) + 1;
    char *buf = apr_palloc(p, kl + sl + ol), *rest;
    apr_exit_why_e how;
    int got, code, status;

    memcpy(buf, kind, kl);
    memcpy(buf + kl, src, sl);
    memcpy(buf + kl + sl, out, ol);
    cur->files++;
    got = send_all(buf, kl + sl + ol) == 0 ? read_answer(until) : 0;
    if (got == 1) {
        cur->last = apr_time_now();
        status = (int)strtol(cur->answer, &rest, 10);
        if (rest == cur->answer || (*rest != ' ' && *rest != '\0')) {
            got = 0; /* garbled: as if it had died */
        }
        else {
            *why = apr_pstrdup(p, *rest ? rest + 1 : "no reason given");
            return status == 0                  ? APR_SUCCESS
                   : status >= 2 && status <= 4 ? LS_RCACHE_FAILED
                                                : APR_EGENERAL;
        }
    }
    *died = 1;
    if (got < 0) {
        stop(1, NULL, NULL);
        *why = apr_psprintf(p,
                            "no answer within %" APR_INT64_T_FMT " s: killed",
                            sc->rendition_timeout);
        return LS_RCACHE_FAILED;
    }
    *why = err_line(p, cur->err);
    stop(0, &code, &how);
    if (APR_PROC_CHECK_SIGNALED(how)) {
        *why = apr_psprintf(p, "the renderer died (signal %d)", code);
        return LS_RCACHE_FAILED;
    }
    *why = apr_psprintf(p, "the renderer exited (status %d): %s", code, *why);
    return APR_EGENERAL;
}

apr_status_t ls_renderer_run(server_rec *s, apr_pool_t *p, const char *kind,
                             const char *src, const char *out, const char **why)
{
    apr_status_t rv = APR_EGENERAL;
    int attempt, fresh, died;

    for (attempt = 0; attempt < 2; attempt++) {
        if (cur == NULL && (rv = start(s, p, why)) != APR_SUCCESS) {
            return rv;
        }
        fresh = cur->files == 0;
        died = 0;
        rv = ask(s, p, kind, src, out, why, &died);
        /* A crash after other files may be theirs: once more, fresh. A
         * timeout is not retried (it would cost another full wait). */
        if (!(died && !fresh && rv == LS_RCACHE_FAILED
              && strncmp(*why, "no answer", 9) != 0)) {
            break;
        }
        ap_log_error(APLOG_MARK, APLOG_DEBUG, 0, s,
                     LS_TAG(00359) "%s; trying %s again in a new renderer",
                            *why, src);
    }
    if (cur && cur->files >= RENDER_FILES) {
        stop(0, NULL, NULL);
    }
    return rv;
}

void ls_renderer_idle(server_rec *s)
{
    (void)s;
    if (cur && apr_time_now() - cur->last > apr_time_from_sec(RENDER_IDLE)) {
        stop(0, NULL, NULL);
    }
}
