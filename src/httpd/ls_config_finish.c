/* ls_config_finish: what happens to the configuration once it is read
 * (post_config): the defaults applied in one place (the table in
 * ls_config_int.h), the main server's settings copied to virtual hosts,
 * and the checks that conflict or missing settings fail at startup, not at
 * the first request. Glue unit. */
#include <dlfcn.h>
#include <unistd.h>

#include "httpd.h"
#include "http_config.h"
#include "http_log.h"
#include "apr_strings.h"

#include "ls_config_int.h"
#include "ls_tag.h"

APLOG_USE_MODULE(linkshare);

/* What httpd does once for all its virtual hosts follows the main server:
 * the store, the caches, the worker pool, the throttle and the mail.
 * Their directives refuse <VirtualHost>; main_sc has its defaults. */
static void use_main_server(ls_server_conf *sc, const ls_server_conf *main_sc)
{
    sc->state_dir = main_sc->state_dir;
    sc->db_driver = main_sc->db_driver;
    sc->db_params = main_sc->db_params;
    sc->cache_ttl = main_sc->cache_ttl;
    sc->workers = main_sc->workers;
    sc->spool = main_sc->spool;
    sc->part_size = main_sc->part_size;
    sc->compression = main_sc->compression;
    sc->archive_ttl = main_sc->archive_ttl;
    sc->worker_timeout = main_sc->worker_timeout;
    sc->spool_per_share = main_sc->spool_per_share;
    sc->spool_max = main_sc->spool_max;
    sc->guess_limit = main_sc->guess_limit;
    sc->guess_window = main_sc->guess_window;
    sc->events_seconds = main_sc->events_seconds;
    sc->events_streams = main_sc->events_streams;
    sc->smtp_server = main_sc->smtp_server;
    sc->smtp_starttls = main_sc->smtp_starttls;
    sc->smtp_user = main_sc->smtp_user;
    sc->smtp_pw_file = main_sc->smtp_pw_file;
    sc->smtp_pw = main_sc->smtp_pw;
    sc->mail_from = main_sc->mail_from;
    sc->org_domains = main_sc->org_domains;
    sc->activity_retention = main_sc->activity_retention;
    sc->smtp_timeout = main_sc->smtp_timeout;
    sc->mail_retry = main_sc->mail_retry;
    sc->mail_giveup = main_sc->mail_giveup;
    sc->rendition_cache = main_sc->rendition_cache;
    sc->rendition_cache_size = main_sc->rendition_cache_size;
    sc->rendition_max_pixels = main_sc->rendition_max_pixels;
    sc->rendition_timeout = main_sc->rendition_timeout;
    sc->renderer = main_sc->renderer;
    sc->renderer_set = main_sc->renderer_set;
}

/* One line per field: v is only evaluated when the field is unset. */
#define DEFAULT_PTR(f, v)                                                      \
    do {                                                                       \
        if (sc->f == NULL) {                                                   \
            sc->f = (v);                                                       \
        }                                                                      \
    } while (0)
#define DEFAULT_INT(f, d)                                                      \
    do {                                                                       \
        if (sc->f == LS_UNSET_INT) {                                           \
            sc->f = LS_DEF_C(d);                                               \
        }                                                                      \
    } while (0)

/* The one place defaults are applied, from the table above. */
static void apply_defaults(apr_pool_t *p, ls_server_conf *sc)
{
    DEFAULT_PTR(state_dir, LS_DEF_C(LS_DEF_STATE_DIR));
    if (sc->db_driver == NULL) {
        sc->db_driver = LS_DEF_C(LS_DEF_DB_DRIVER);
        sc->db_params = apr_pstrcat(p, sc->state_dir, LS_DEF_C(LS_DEF_DB_FILE),
                                    NULL);
    }
    DEFAULT_INT(default_expiry, LS_DEF_DEFAULT_EXPIRY);
    DEFAULT_INT(max_expiry, LS_DEF_MAX_EXPIRY);
    DEFAULT_INT(activity_retention, LS_DEF_ACTIVITY_RETENTION);
    DEFAULT_INT(activity_address, LS_DEF_ACTIVITY_ADDRESS);
    DEFAULT_INT(cache_ttl, LS_DEF_CACHE_TTL);
    DEFAULT_PTR(admins, apr_array_make(p, 0, sizeof(const char *)));
    DEFAULT_PTR(display_name_var, LS_DEF_C(LS_DEF_DISPLAY_NAME_VAR));
    DEFAULT_INT(workers, LS_DEF_WORKERS);
    DEFAULT_PTR(spool,
                apr_pstrcat(p, sc->state_dir, LS_DEF_C(LS_DEF_SPOOL), NULL));
    DEFAULT_INT(part_size, LS_DEF_PART_SIZE);
    DEFAULT_INT(compression, LS_DEF_COMPRESSION);
    DEFAULT_INT(max_content, LS_DEF_MAX_CONTENT);
    DEFAULT_INT(max_files, LS_DEF_MAX_FILES);
    DEFAULT_INT(max_queued, LS_DEF_MAX_QUEUED);
    DEFAULT_INT(archive_ttl, LS_DEF_ARCHIVE_TTL);
    DEFAULT_INT(worker_timeout, LS_DEF_WORKER_TIMEOUT);
    DEFAULT_INT(spool_max, LS_DEF_SPOOL_MAX);
    if (sc->spool_per_share == LS_UNSET_INT) {
        /* The default, or the whole spool when that is smaller. */
        sc->spool_per_share = LS_DEF_C(LS_DEF_SPOOL_PER_SHARE);
        if (sc->spool_max > 0 && sc->spool_max < sc->spool_per_share) {
            sc->spool_per_share = sc->spool_max;
        }
    }
    if (sc->guess_limit == LS_UNSET_INT) {
        /* One directive sets both. */
        sc->guess_limit = LS_DEF_C(LS_DEF_GUESS_LIMIT);
        sc->guess_window = LS_DEF_C(LS_DEF_GUESS_WINDOW);
    }
    if (sc->events_seconds == LS_UNSET_INT) {
        /* One directive sets both. */
        sc->events_seconds = LS_DEF_C(LS_DEF_EVENTS_SECONDS);
        sc->events_streams = LS_DEF_C(LS_DEF_EVENTS_STREAMS);
    }
    DEFAULT_INT(smtp_starttls, LS_DEF_SMTP_STARTTLS);
    DEFAULT_INT(smtp_timeout, LS_DEF_SMTP_TIMEOUT);
    if (sc->mail_retry == LS_UNSET_INT) {
        /* One directive sets both. */
        sc->mail_retry = LS_DEF_C(LS_DEF_MAIL_RETRY);
        sc->mail_giveup = LS_DEF_C(LS_DEF_MAIL_GIVEUP);
    }
    DEFAULT_PTR(org_domains, apr_array_make(p, 0, sizeof(const char *)));
    DEFAULT_PTR(
        rendition_cache,
        apr_pstrcat(p, sc->state_dir, LS_DEF_C(LS_DEF_RENDITION_CACHE), NULL));
    DEFAULT_INT(rendition_cache_size, LS_DEF_RENDITION_CACHE_SIZE);
    DEFAULT_INT(rendition_max_pixels, LS_DEF_RENDITION_MAX_PIXELS);
    DEFAULT_INT(rendition_timeout, LS_DEF_RENDITION_TIMEOUT);
    DEFAULT_PTR(renderer, LS_DEF_C(LS_DEF_RENDERER));
    DEFAULT_INT(unlock_ttl, LS_DEF_UNLOCK_TTL);
    DEFAULT_INT(allow_originals, LS_DEF_ALLOW_ORIGINALS);
    DEFAULT_INT(originals_choice, LS_DEF_ORIGINALS_CHOICE);
    DEFAULT_INT(require_password, LS_DEF_REQUIRE_PASSWORD);
}

static int check_server(apr_pool_t *p, server_rec *s, ls_server_conf *sc)
{
    char real[PATH_MAX];
    apr_finfo_t fi;

    if (sc->default_expiry > sc->max_expiry) {
        LS_STARTUP_ERR(
            s,
            LS_TAG(00001) "LinkShareDefaultExpiry (%" APR_INT64_T_FMT
                       "s) is longer than LinkShareMaxExpiry (%" APR_INT64_T_FMT
                       "s); lower the first or raise the "
                       "second",
                sc->default_expiry, sc->max_expiry);
        return 1;
    }
    if (sc->asset_root == NULL) {
        return 0;
    }
    if (realpath(sc->asset_root, real) == NULL
        || apr_stat(&fi, real, APR_FINFO_TYPE, p) != APR_SUCCESS
        || fi.filetype != APR_DIR) {
        LS_STARTUP_ERR(s, LS_TAG(00002) "LinkShareAssetRoot '%s' is not an "
                                        "existing directory",
                                 sc->asset_root);
        return 1;
    }
    sc->asset_real = apr_pstrdup(p, real);
    if (sc->public_url == NULL) {
        LS_STARTUP_ERR(
            s,
            LS_TAG(00003) "LinkSharePublicURL is required when "
                          "LinkShareAssetRoot is set: it is the base of "
                          "every share link, e.g. https://files.example.com");
        return 1;
    }
    if (sc->asset_url == NULL) {
        LS_STARTUP_ERR(
            s, LS_TAG(00004) "LinkShareAssetURL is required when "
                             "LinkShareAssetRoot is set: it is where this site "
                             "serves the assets, so httpd can decide who may "
                             "share them");
        return 1;
    }
    if (sc->rendition_root
        && (realpath(sc->rendition_root, real) == NULL
            || apr_stat(&fi, real, APR_FINFO_TYPE, p) != APR_SUCCESS
            || fi.filetype != APR_DIR)) {
        LS_STARTUP_ERR(s, LS_TAG(00005) "LinkShareRenditionRoot '%s' is not an "
                                        "existing directory",
                                 sc->rendition_root);
        return 1;
    }
    if (sc->rendition_root) {
        /* Confinement compares resolved paths. */
        sc->rendition_root = apr_pstrdup(p, real);
    }
    /* Originals forced off, and no rendition to send instead: every new
     * link would offer nothing to download. */
    if (sc->allow_originals == LS_ORIGINALS_OFF
        && sc->originals_choice != LS_CHOICE_EDITABLE
        && sc->rendition_root == NULL && sc->renderer == NULL) {
        LS_STARTUP_ERR(
            s, LS_TAG(00066) "LinkShareAllowOriginals off with "
                             "LinkShareOriginalsChoice readonly or hidden "
                             "needs renditions to send instead: set "
                             "LinkShareRenditionRoot, or let LinkShareRenderer "
                             "generate them");
        return 1;
    }
    return 0;
}

extern module AP_MODULE_DECLARE_DATA linkshare_module;

/* LinkShareRenderer: "off", an absolute path, or a name looked for next
 * to mod_linkshare.so (the default, where the build and an install put
 * it). A program given that is not there stops startup (LS00060); the
 * default missing only means no generated renditions (LS00061, once). */
static int resolve_renderer(apr_pool_t *p, server_rec *s, ls_server_conf *sc)
{
    const char *path = sc->renderer;
    Dl_info info;

    if (strcmp(path, "off") == 0) {
        sc->renderer = NULL;
        return 0;
    }
    if (path[0] != '/' && dladdr(&linkshare_module, &info) && info.dli_fname
        && strchr(info.dli_fname, '/')) {
        const char *so = info.dli_fname;
        path = apr_pstrcat(p, apr_pstrmemdup(p, so, strrchr(so, '/') - so), "/",
                           path, NULL);
    }
    if (path[0] == '/' && access(path, X_OK) == 0) {
        sc->renderer = path;
        return 0;
    }
    sc->renderer = NULL;
    if (sc->renderer_set) {
        LS_STARTUP_ERR(s, LS_TAG(00060) "LinkShareRenderer: %s is not an "
                                        "executable program; build and install "
                                        "linkshare-render, or say off",
                                 path);
        return 1;
    }
    ap_log_error(APLOG_MARK, APLOG_WARNING, 0, s,
                 LS_TAG(00061) "renditions are not generated: the renderer %s "
                               "is not installed (LinkShareRenderer); "
                               "listings show type icons",
                        path);
    return 0;
}

int ls_config_finish(apr_pool_t *p, apr_pool_t *ptemp, server_rec *main_s,
                     int *active)
{
    ls_server_conf *main_sc = ls_config_get(main_s);
    server_rec *s;

    (void)ptemp;
    *active = 0;
    if (main_sc->spool_per_share != LS_UNSET_INT && main_sc->spool_max > 0
        && main_sc->spool_per_share > main_sc->spool_max) {
        LS_STARTUP_ERR(
            main_s,
            LS_TAG(00040) "LinkShareSpoolPerShare (%" APR_INT64_T_FMT
                       " bytes) is larger than LinkShareSpoolMax (%" APR_INT64_T_FMT
                       " bytes); lower the first or raise the second",
                main_sc->spool_per_share, main_sc->spool_max);
        return 1;
    }
    apply_defaults(p, main_sc);
    if (ls_config_check_mail(main_s, main_sc)
        || resolve_renderer(p, main_s, main_sc)) {
        return 1;
    }
    for (s = main_s; s; s = s->next) {
        ls_server_conf *sc = ls_config_get(s);
        if (s != main_s) {
            use_main_server(sc, main_sc);
            apply_defaults(p, sc);
        }
        if (check_server(p, s, sc)) {
            return 1;
        }
        *active |= sc->asset_root != NULL;
    }
    return 0;
}

void ls_config_spool_resolved(apr_pool_t *p, server_rec *main_s,
                              const char *real)
{
    const char *spool = apr_pstrdup(p, real);
    server_rec *s;

    for (s = main_s; s; s = s->next) {
        ls_config_get(s)->spool = spool;
    }
}

void ls_config_cache_unavailable(server_rec *main_s)
{
    server_rec *s;

    for (s = main_s; s; s = s->next) {
        ls_config_get(s)->cache_ttl = 0;
    }
}
