/* ls_proc: process lifecycle glue (see ls_proc.h). */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "httpd.h"
#include "http_config.h"
#include "http_log.h"
#include "ap_mpm.h"
#include "unixd.h"
#include "apr_strings.h"

#include "ls_activity_log.h"
#include "ls_cache.h"
#include "ls_config.h"
#include "ls_mailer.h"
#include "ls_protect.h"
#include "ls_proc.h"
#include "ls_tag.h"
#include "ls_worker.h"

APLOG_USE_MODULE(linkshare);

static ls_store *proc_store; /* per process; NULL when inactive */
static int proc_active;      /* some server sets LinkShareAssetRoot */

ls_store *ls_proc_store(void)
{
    return proc_store;
}

/* Children run as the User directive's user: when the parent (root)
 * creates the SQLite files, hand them and their directory over, or the
 * first write in a child fails with "readonly database". */
static void sqlite_hand_over(apr_pool_t *p, server_rec *s, const char *db)
{
    static const char *const sfx[] = {"", "-wal", "-shm"};
    const char *dir = ap_make_dirstr_parent(p, db);
    int i;

    if (geteuid() != 0) {
        return;
    }
    if (chown(dir, ap_unixd_config.user_id, ap_unixd_config.group_id)) {
        ap_log_error(APLOG_MARK, APLOG_WARNING, errno, s,
                     LS_TAG(00011) "cannot hand the store directory %s to the "
                                   "httpd user",
                            dir);
    }
    for (i = 0; i < 3; i++) {
        const char *f = apr_pstrcat(p, db, sfx[i], NULL);
        if (access(f, F_OK) == 0
            && chown(f, ap_unixd_config.user_id, ap_unixd_config.group_id)) {
            ap_log_error(APLOG_MARK, APLOG_WARNING, errno, s,
                         LS_TAG(00012) "cannot hand %s to the httpd user", f);
        }
    }
}

/* A directory the workers and children write (the spool, the rendition
 * cache): created (rwxr-x---), handed to the httpd user, resolved into
 * real. directive names it in the log. */
static int prepare_dir(apr_pool_t *ptemp, server_rec *s, const char *directive,
                       const char *path, char *real)
{
    apr_status_t rv;

    rv = apr_dir_make_recursive(path,
                                APR_FPROT_UREAD | APR_FPROT_UWRITE
                                    | APR_FPROT_UEXECUTE | APR_FPROT_GREAD
                                    | APR_FPROT_GEXECUTE,
                                ptemp);
    if (rv != APR_SUCCESS || realpath(path, real) == NULL) {
        ap_log_error(APLOG_MARK, APLOG_EMERG, rv, s,
                     LS_TAG(00018) "%s: cannot create the directory %s",
                            directive, path);
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    if (geteuid() == 0
        && chown(real, ap_unixd_config.user_id, ap_unixd_config.group_id)) {
        ap_log_error(APLOG_MARK, APLOG_WARNING, errno, s,
                     LS_TAG(00019) "%s: cannot hand %s to the httpd user",
                            directive, real);
    }
    return OK;
}

/* The state directory as root made it (root:root, rwxr-x---) holds the
 * default spool and rendition cache, which the children and workers must
 * reach: its group becomes httpd's Group. SQLite's store has already
 * handed it to the User (sqlite_hand_over); with PostgreSQL nothing else
 * would, and every download failed with "Permission denied". Root keeps
 * it, and mail.key in it stays root's alone. A directory the admin made
 * with another owner or group is left as it is. */
static void state_dir_reachable(server_rec *s, const char *dir)
{
    struct stat st;

    if (geteuid() != 0 || stat(dir, &st) != 0 || st.st_uid != 0
        || st.st_gid != 0 || ap_unixd_config.group_id == 0) {
        return;
    }
    if (chown(dir, (uid_t)-1, ap_unixd_config.group_id)) {
        ap_log_error(APLOG_MARK, APLOG_WARNING, errno, s,
                     LS_TAG(00410) "LinkShareStateDir: cannot give %s to "
                                   "httpd's Group; the spool and the "
                                   "rendition cache inside it may be out of "
                                   "the workers' reach",
                            dir);
    }
}

/* The spool, the same resolved path for every server (part paths are
 * confined to it); the activity log's batches when it records; the
 * rendition cache when renditions are made. */
static int prepare_dirs(apr_pool_t *pconf, apr_pool_t *ptemp, server_rec *s)
{
    ls_server_conf *sc = ls_config_get(s);
    char real[PATH_MAX];

    state_dir_reachable(s, sc->state_dir);
    if (prepare_dir(ptemp, s, "LinkShareSpool", sc->spool, real) != OK) {
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    ls_config_spool_resolved(pconf, s, real);
    if (sc->activity_retention != 0
        && prepare_dir(ptemp, s, "LinkShareActivityRetention",
                       ls_activity_dir(ptemp, s), real)
               != OK) {
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    if (sc->renderer
        && prepare_dir(ptemp, s, "LinkShareRenditionCache", sc->rendition_cache,
                       real)
               != OK) {
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    return OK;
}

int ls_proc_post_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                        server_rec *s)
{
    ls_server_conf *sc;
    ls_store *st;
    apr_pool_t *mp;
    const char *err = NULL;
    apr_status_t rv;
    int from = 0;

    (void)plog;
    if (ls_config_finish(pconf, ptemp, s, &proc_active)) {
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    if (!proc_active) {
        return OK;
    }
    sc = ls_config_get(s);
    if (strcmp(sc->db_driver, "sqlite3") == 0) {
        const char *dir = ap_make_dirstr_parent(ptemp, sc->db_params);
        /* APR permission bits are not octal: spell out rwxr-x---. */
        rv = apr_dir_make_recursive(dir,
                                    APR_FPROT_UREAD | APR_FPROT_UWRITE
                                        | APR_FPROT_UEXECUTE | APR_FPROT_GREAD
                                        | APR_FPROT_GEXECUTE,
                                    ptemp);
        if (rv != APR_SUCCESS) {
            ap_log_error(
                APLOG_MARK, APLOG_EMERG, rv, s,
                LS_TAG(00013) "LinkShareDatabase/LinkShareStateDir: "
                              "cannot create the directory %s for the SQLite "
                              "store",
                       dir);
            return HTTP_INTERNAL_SERVER_ERROR;
        }
    }
    /* The parent only migrates, on a connection it closes before any
     * fork: a process must never inherit an open SQLite connection (its
     * locks are per process; the child's own connection would then see a
     * stale database). Children and workers open their own. */
    apr_pool_create(&mp, ptemp);
    rv = ls_store_open(mp, sc->db_driver, sc->db_params, 1, 1, &st, &err);
    if (rv == APR_SUCCESS) {
        rv = ls_store_migrate(st, mp, &from, &err);
    }
    if (err) {
        err = apr_pstrdup(ptemp, err);
    }
    apr_pool_destroy(mp);
    if (rv != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_EMERG, rv, s,
                     LS_TAG(00014) "LinkShareDatabase %s: the store cannot be "
                                   "opened: %s",
                            sc->db_driver, err ? err : "");
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    if (strcmp(sc->db_driver, "sqlite3") == 0) {
        sqlite_hand_over(ptemp, s, sc->db_params);
    }
    if (prepare_dirs(pconf, ptemp, s) != OK) {
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    rv = ls_cache_create_shm(pconf);
    if (rv != APR_SUCCESS) {
        ap_log_error(
            APLOG_MARK, APLOG_WARNING, rv, s,
            LS_TAG(00015) "no shared memory for the share cache; "
                          "LinkShareCacheTTL is ignored and every request asks "
                          "the store");
        ls_config_cache_unavailable(s);
    }
    /* The sealing key before the fork: workers and children inherit it. */
    if (ls_mailer_post_config(pconf, ptemp, s) != OK) {
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    ls_protect_post_config(s); /* the unlock key, from the sealing key */
    if (ls_worker_post_config(pconf, ptemp, s) != OK) {
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    ap_log_error(
        APLOG_MARK, APLOG_INFO, 0, s,
        LS_TAG(00010) "mod_linkshare/" LS_VERSION " store %s, schema "
                   "v%d (found v%d), cache TTL %ds, default expiry %" APR_INT64_T_FMT
                   "s, max %" APR_INT64_T_FMT "s",
            sc->db_driver, LS_STORE_SCHEMA_VERSION, from, sc->cache_ttl,
            sc->default_expiry, sc->max_expiry);
    return OK;
}

void ls_proc_child_init(apr_pool_t *pchild, server_rec *s)
{
    ls_server_conf *sc = ls_config_get(s);
    const char *err = NULL;
    int threads = 1;
    apr_status_t rv;

    if (!proc_active) {
        return;
    }
    ap_mpm_query(AP_MPMQ_MAX_THREADS, &threads);
    /* No probe: a database that is down now gives 503s until it is back,
     * rather than a child that can never serve. */
    rv = ls_store_open(pchild, sc->db_driver, sc->db_params,
                       threads > 0 ? threads : 1, 0, &proc_store, &err);
    if (rv != APR_SUCCESS) {
        ap_log_error(
            APLOG_MARK, APLOG_ERR, rv, s,
            LS_TAG(00016) "the store cannot be set up in this process: "
                          "%s",
                   err ? err : "");
        proc_store = NULL;
    }
    rv = ls_cache_child_init(pchild, sc->cache_ttl);
    if (rv != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_ERR, rv, s,
                     LS_TAG(00017) "the share cache cannot be set up");
    }
}
