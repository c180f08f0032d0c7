/* ls_config: the LinkShare* directives (see ls_config.h). Create marks
 * every field unset; merge takes the child's value when set, one line per
 * field; ls_config_finish applies the defaults in one place. */
#include <limits.h>
#include <stdlib.h>

#include "httpd.h"
#include "http_config.h"
#include "http_log.h"
#include "apr_lib.h"
#include "apr_strings.h"

#include "ls_config.h"
#include "ls_config_int.h"
#include "ls_time.h"
#include "ls_zip.h"

APLOG_USE_MODULE(linkshare);

extern module AP_MODULE_DECLARE_DATA linkshare_module;

/* The defaults, each written once, one line per directive: the value as C
 * and as an admin writes it. The help texts show the second (LS_HELP),
 * apply_defaults applies the first (LS_DEF_C), and
 * scripts/check-directives.pl reads these lines: conf/linkshare.conf must
 * state the same, and the two columns must agree. A path under
 * LinkShareStateDir is written as the part after it. */
#define LS_DEF_C(d)           LS_DEF_C_ d
#define LS_DEF_C_(c, text)    c
#define LS_DEF_TEXT(d)        LS_DEF_TEXT_ d
#define LS_DEF_TEXT_(c, text) text

/* A help text ending in the default(s) in parentheses. */
#define LS_HELP(text, d)     text " (" LS_DEF_TEXT(d) ")"
#define LS_HELP2(text, d, e) text " (" LS_DEF_TEXT(d) " " LS_DEF_TEXT(e) ")"

#define LS_DEF_STATE_DIR       ("/var/lib/linkshare", "/var/lib/linkshare")
#define LS_DEF_DB_DRIVER       ("sqlite3", "sqlite3")
#define LS_DEF_DB_FILE         ("/linkshare.db", "LinkShareStateDir/linkshare.db")
#define LS_DEF_DEFAULT_EXPIRY  (86400, "1d") /* as the reference */
#define LS_DEF_MAX_EXPIRY      (30 * 86400, "30d")
#define LS_DEF_CACHE_TTL       (5, "5")
#define LS_DEF_WORKERS         (2, "2")
#define LS_DEF_SPOOL           ("/spool", "LinkShareStateDir/spool")
#define LS_DEF_PART_SIZE       (APR_INT64_C(100) << 30, "100G") /* reference */
#define LS_DEF_COMPRESSION     (LS_ZIP_AUTO, "auto")
#define LS_DEF_MAX_CONTENT     (APR_INT64_C(100) << 20, "100M") /* reference */
#define LS_DEF_MAX_FILES       (10000, "10000")
#define LS_DEF_MAX_QUEUED      (5, "5")
#define LS_DEF_ARCHIVE_TTL     (86400, "1d")
#define LS_DEF_SPOOL_PER_SHARE (APR_INT64_C(1) << 30, "1G")
#define LS_DEF_SPOOL_MAX       (0, "none") /* the disk's room (LS00326) */
#define LS_DEF_GUESS_LIMIT     (20, "20")
#define LS_DEF_GUESS_WINDOW    (60, "1m")
#define LS_DEF_SMTP_STARTTLS   (LS_STARTTLS_REQUIRED, "required")
#define LS_DEF_SMTP_TIMEOUT    (30, "30s")
#define LS_DEF_MAIL_RETRY      (60, "1m")
#define LS_DEF_MAIL_GIVEUP     (86400, "1d")

void *ls_config_create_server(apr_pool_t *p, server_rec *s)
{
    ls_server_conf *sc = apr_pcalloc(p, sizeof(*sc));

    (void)s;
    /* Pointers rely on pcalloc's NULL as "unset"; numbers need markers. */
    sc->default_expiry = LS_UNSET_INT;
    sc->max_expiry = LS_UNSET_INT;
    sc->cache_ttl = LS_UNSET_INT;
    sc->workers = LS_UNSET_INT;
    sc->part_size = LS_UNSET_INT;
    sc->compression = LS_UNSET_INT;
    sc->max_content = LS_UNSET_INT;
    sc->max_files = LS_UNSET_INT;
    sc->max_queued = LS_UNSET_INT;
    sc->archive_ttl = LS_UNSET_INT;
    sc->spool_per_share = LS_UNSET_INT;
    sc->spool_max = LS_UNSET_INT;
    sc->guess_limit = LS_UNSET_INT;
    sc->guess_window = LS_UNSET_INT;
    sc->smtp_starttls = LS_UNSET_INT;
    sc->smtp_timeout = LS_UNSET_INT;
    sc->mail_retry = LS_UNSET_INT;
    sc->mail_giveup = LS_UNSET_INT;
    return sc;
}

#define MERGE_PTR(f) m->f = add->f ? add->f : base->f
#define MERGE_INT(f) m->f = add->f != LS_UNSET_INT ? add->f : base->f

void *ls_config_merge_server(apr_pool_t *p, void *basev, void *addv)
{
    ls_server_conf *base = basev, *add = addv;
    ls_server_conf *m = apr_pcalloc(p, sizeof(*m));

    MERGE_PTR(db_driver);
    MERGE_PTR(db_params);
    MERGE_PTR(state_dir);
    MERGE_PTR(asset_root);
    MERGE_PTR(asset_real);
    MERGE_PTR(asset_url);
    MERGE_PTR(rendition_root);
    MERGE_PTR(public_url);
    MERGE_INT(default_expiry);
    MERGE_INT(max_expiry);
    MERGE_PTR(admins);
    MERGE_INT(cache_ttl);
    MERGE_INT(workers);
    MERGE_PTR(spool);
    MERGE_INT(part_size);
    MERGE_INT(compression);
    MERGE_INT(max_content);
    MERGE_INT(max_files);
    MERGE_INT(max_queued);
    MERGE_INT(archive_ttl);
    MERGE_INT(spool_per_share);
    MERGE_INT(spool_max);
    MERGE_INT(guess_limit);
    MERGE_INT(guess_window);
    MERGE_PTR(smtp_server);
    MERGE_INT(smtp_starttls);
    MERGE_PTR(smtp_user);
    MERGE_PTR(smtp_pw_file);
    MERGE_PTR(smtp_pw);
    MERGE_PTR(mail_from);
    MERGE_PTR(org_domains);
    MERGE_INT(smtp_timeout);
    MERGE_INT(mail_retry);
    MERGE_INT(mail_giveup);
    return m;
}

ls_server_conf *ls_config_get(const server_rec *s)
{
    return ap_get_module_config(s->module_config, &linkshare_module);
}

ls_server_conf *ls_config_cmd_conf(cmd_parms *cmd)
{
    return ls_config_get(cmd->server);
}

static const char *set_database(cmd_parms *cmd, void *d, const char *driver,
                                const char *params)
{
    ls_server_conf *sc = ls_config_cmd_conf(cmd);
    const char *err = ap_check_cmd_context(cmd, GLOBAL_ONLY);

    (void)d;
    if (err) {
        return err;
    }
    if (!*driver) {
        return apr_psprintf(cmd->pool,
                            "%s: the driver is empty; use sqlite3 or pgsql",
                            cmd->cmd->name);
    }
    sc->db_driver = driver;
    sc->db_params = params;
    return NULL;
}

static const char *set_state_dir(cmd_parms *cmd, void *d, const char *arg)
{
    const char *err = ap_check_cmd_context(cmd, GLOBAL_ONLY);

    (void)d;
    if (err) {
        return err;
    }
    ls_config_cmd_conf(cmd)->state_dir = ap_server_root_relative(cmd->pool,
                                                                 arg);
    return NULL;
}

static const char *set_dir(cmd_parms *cmd, void *d, const char *arg)
{
    ls_server_conf *sc = ls_config_cmd_conf(cmd);
    const char *path = ap_server_root_relative(cmd->pool, arg);
    int off = (int)(long)cmd->info;

    (void)d;
    if (path == NULL) {
        return apr_psprintf(cmd->pool, "%s: invalid path '%s'", cmd->cmd->name,
                            arg);
    }
    *(const char **)((char *)sc + off) = path;
    return NULL;
}

static const char *trim_slash(apr_pool_t *p, const char *s)
{
    char *t = apr_pstrdup(p, s);
    apr_size_t n = strlen(t);

    while (n > 1 && t[n - 1] == '/') {
        t[--n] = '\0';
    }
    return t;
}

static const char *set_asset_url(cmd_parms *cmd, void *d, const char *arg)
{
    (void)d;
    if (arg[0] != '/' || strpbrk(arg, "?#") || ap_strchr_c(arg, ' ')) {
        return apr_psprintf(cmd->pool,
                            "%s: '%s' is not a URL path; "
                            "give the path where the asset root is served "
                            "on this site, e.g. /assets",
                            cmd->cmd->name, arg);
    }
    ls_config_cmd_conf(cmd)->asset_url = trim_slash(cmd->pool, arg);
    return NULL;
}

static const char *set_public_url(cmd_parms *cmd, void *d, const char *arg)
{
    apr_uri_t uri;

    (void)d;
    if (apr_uri_parse(cmd->pool, arg, &uri) != APR_SUCCESS || !uri.scheme
        || (strcasecmp(uri.scheme, "http") && strcasecmp(uri.scheme, "https"))
        || !uri.hostname || uri.query || uri.fragment) {
        return apr_psprintf(cmd->pool,
                            "%s: '%s' is not an absolute "
                            "http or https URL without query, e.g. "
                            "https://files.example.com",
                            cmd->cmd->name, arg);
    }
    ls_config_cmd_conf(cmd)->public_url = trim_slash(cmd->pool, arg);
    return NULL;
}

static const char *set_duration(cmd_parms *cmd, void *d, const char *arg)
{
    ls_server_conf *sc = ls_config_cmd_conf(cmd);
    int off = (int)(long)cmd->info;
    apr_int64_t v;

    (void)d;
    if (ls_time_parse_duration(arg, &v) != APR_SUCCESS) {
        return apr_psprintf(cmd->pool,
                            "%s: '%s' is not a duration; use seconds or a "
                            "number with s, m, h, d or w (e.g. 1d, 12h)",
                            cmd->cmd->name, arg);
    }
    *(apr_int64_t *)((char *)sc + off) = v;
    return NULL;
}

static const char *set_admin(cmd_parms *cmd, void *d, const char *arg)
{
    ls_server_conf *sc = ls_config_cmd_conf(cmd);

    (void)d;
    if (sc->admins == NULL) {
        sc->admins = apr_array_make(cmd->pool, 2, sizeof(const char *));
    }
    APR_ARRAY_PUSH(sc->admins, const char *) = arg;
    return NULL;
}

/* Main server only: every process caches alike (ls_proc reads the main
 * server's value at child_init). */
static const char *set_cache_ttl(cmd_parms *cmd, void *d, const char *arg)
{
    const char *err = ap_check_cmd_context(cmd, GLOBAL_ONLY);
    char *end;
    long v = strtol(arg, &end, 10);

    (void)d;
    if (err) {
        return err;
    }
    if (*arg == '\0' || *end || v < 0 || v > 3600) {
        return apr_psprintf(cmd->pool,
                            "%s: '%s' is not a number of "
                            "seconds from 0 (no cache) to 3600",
                            cmd->cmd->name, arg);
    }
    ls_config_cmd_conf(cmd)->cache_ttl = (int)v;
    return NULL;
}

/* A count in [min, max] for an int field at cmd->info. */
static const char *set_count(cmd_parms *cmd, void *d, const char *arg)
{
    char *end;
    long v = strtol(arg, &end, 10);
    int off = (int)(long)cmd->info;
    long max = off == (int)APR_OFFSETOF(ls_server_conf, workers) ? 64
                                                                 : 10000000;

    (void)d;
    if (*arg == '\0' || *end || v < 1 || v > max) {
        return apr_psprintf(cmd->pool,
                            "%s: '%s' is not a whole number from 1 to %ld",
                            cmd->cmd->name, arg, max);
    }
    *(int *)((char *)ls_config_cmd_conf(cmd) + off) = (int)v;
    return NULL;
}

/* A size in bytes, with an optional K, M, G or T (powers of 1024). */
static const char *set_size(cmd_parms *cmd, void *d, const char *arg)
{
    char *end;
    apr_int64_t v = apr_strtoi64(arg, &end, 10), mult = 1;
    int off = (int)(long)cmd->info;

    (void)d;
    switch (*end) {
    case 'K':
    case 'k':
        mult = APR_INT64_C(1) << 10;
        end++;
        break;
    case 'M':
    case 'm':
        mult = APR_INT64_C(1) << 20;
        end++;
        break;
    case 'G':
    case 'g':
        mult = APR_INT64_C(1) << 30;
        end++;
        break;
    case 'T':
    case 't':
        mult = APR_INT64_C(1) << 40;
        end++;
        break;
    default:
        break;
    }
    if (end == arg || *end || v < 1 || v > (APR_INT64_C(1) << 50) / mult) {
        return apr_psprintf(cmd->pool,
                            "%s: '%s' is not a size; use bytes or a number "
                            "with K, M, G or T (e.g. 100M, 100G)",
                            cmd->cmd->name, arg);
    }
    *(apr_int64_t *)((char *)ls_config_cmd_conf(cmd) + off) = v * mult;
    return NULL;
}

static const char *set_compression(cmd_parms *cmd, void *d, const char *arg)
{
    ls_server_conf *sc = ls_config_cmd_conf(cmd);
    const char *err = ap_check_cmd_context(cmd, GLOBAL_ONLY);

    (void)d;
    if (err) {
        return err; /* one worker pool packages for every virtual host */
    }
    if (!strcasecmp(arg, "auto")) {
        sc->compression = LS_ZIP_AUTO;
    }
    else if (!strcasecmp(arg, "store")) {
        sc->compression = LS_ZIP_STORE;
    }
    else if (!strcasecmp(arg, "deflate")) {
        sc->compression = LS_ZIP_DEFLATE;
    }
    else {
        return apr_psprintf(cmd->pool,
                            "%s: '%s' is not one of auto, "
                            "store, deflate",
                            cmd->cmd->name, arg);
    }
    return NULL;
}

static const char *set_global_dir(cmd_parms *cmd, void *d, const char *arg)
{
    const char *err = ap_check_cmd_context(cmd, GLOBAL_ONLY);

    return err ? err : set_dir(cmd, d, arg);
}

static const char *set_global_count(cmd_parms *cmd, void *d, const char *arg)
{
    const char *err = ap_check_cmd_context(cmd, GLOBAL_ONLY);

    return err ? err : set_count(cmd, d, arg);
}

static const char *set_global_size(cmd_parms *cmd, void *d, const char *arg)
{
    const char *err = ap_check_cmd_context(cmd, GLOBAL_ONLY);

    return err ? err : set_size(cmd, d, arg);
}

static const char *set_global_duration(cmd_parms *cmd, void *d, const char *arg)
{
    const char *err = ap_check_cmd_context(cmd, GLOBAL_ONLY);

    return err ? err : set_duration(cmd, d, arg);
}

/* LinkShareSpoolMax: a size, or "none" (no limit on the whole spool). */
static const char *set_spool_max(cmd_parms *cmd, void *d, const char *arg)
{
    const char *err = ap_check_cmd_context(cmd, GLOBAL_ONLY);

    if (err) {
        return err;
    }
    if (!strcasecmp(arg, "none")) {
        ls_config_cmd_conf(cmd)->spool_max = 0;
        return NULL;
    }
    if (set_size(cmd, d, arg)) {
        return apr_psprintf(cmd->pool,
                            "%s: '%s' is not a size or "
                            "none; use bytes or a number with K, M, G or T "
                            "(e.g. 500G)",
                            cmd->cmd->name, arg);
    }
    return NULL;
}

/* LinkShareGuessLimit N DURATION: misses one client may make per window
 * before unknown tokens answer 429 (ls_throttle). */
static const char *set_guess_limit(cmd_parms *cmd, void *d, const char *n,
                                   const char *dur)
{
    ls_server_conf *sc = ls_config_cmd_conf(cmd);
    const char *err = ap_check_cmd_context(cmd, GLOBAL_ONLY);
    char *end;
    long v = strtol(n, &end, 10);
    apr_int64_t w;

    (void)d;
    if (err) {
        return err;
    }
    if (*n == '\0' || *end || v < 1 || v > 1000000
        || ls_time_parse_duration(dur, &w) != APR_SUCCESS || w > 86400) {
        return apr_psprintf(cmd->pool,
                            "%s: '%s %s' is not a number of "
                            "attempts (1 to 1000000) and a duration (1s to "
                            "1d), e.g. 20 1m",
                            cmd->cmd->name, n, dur);
    }
    sc->guess_limit = (int)v;
    sc->guess_window = w;
    return NULL;
}

#define OFF(f) (void *)APR_OFFSETOF(ls_server_conf, f)

const command_rec ls_config_cmds[] = {
    AP_INIT_TAKE2("LinkShareDatabase", set_database, NULL, RSRC_CONF,
                  LS_HELP2("apr_dbd driver (sqlite3, pgsql) and its parameters",
                           LS_DEF_DB_DRIVER, LS_DEF_DB_FILE)),
    AP_INIT_TAKE1(
        "LinkShareStateDir", set_state_dir, NULL, RSRC_CONF,
        LS_HELP("directory for the default SQLite database", LS_DEF_STATE_DIR)),
    AP_INIT_TAKE1("LinkShareAssetRoot", set_dir, OFF(asset_root), RSRC_CONF,
                  "directory holding the assets that may be shared"),
    AP_INIT_TAKE1("LinkShareAssetURL", set_asset_url, NULL, RSRC_CONF,
                  "URL path where this site serves the asset root"),
    AP_INIT_TAKE1("LinkShareRenditionRoot", set_dir, OFF(rendition_root),
                  RSRC_CONF, "directory of renditions, one folder per asset"),
    AP_INIT_TAKE1("LinkSharePublicURL", set_public_url, NULL, RSRC_CONF,
                  "public base URL that share links are built from"),
    AP_INIT_TAKE1("LinkShareDefaultExpiry", set_duration, OFF(default_expiry),
                  RSRC_CONF,
                  LS_HELP("lifetime of a link when the sharer gives none",
                          LS_DEF_DEFAULT_EXPIRY)),
    AP_INIT_TAKE1(
        "LinkShareMaxExpiry", set_duration, OFF(max_expiry), RSRC_CONF,
        LS_HELP("longest lifetime a sharer may choose", LS_DEF_MAX_EXPIRY)),
    AP_INIT_ITERATE("LinkShareAdmin", set_admin, NULL, RSRC_CONF,
                    "users who may list and revoke every share"),
    AP_INIT_TAKE1("LinkShareWorkers", set_global_count, OFF(workers), RSRC_CONF,
                  LS_HELP("packaging worker processes", LS_DEF_WORKERS)),
    AP_INIT_TAKE1("LinkShareSpool", set_global_dir, OFF(spool), RSRC_CONF,
                  LS_HELP("directory for finished archives", LS_DEF_SPOOL)),
    AP_INIT_TAKE1("LinkShareZipPartSize", set_global_size, OFF(part_size),
                  RSRC_CONF, LS_HELP("largest ZIP part", LS_DEF_PART_SIZE)),
    AP_INIT_TAKE1(
        "LinkShareCompression", set_compression, NULL, RSRC_CONF,
        LS_HELP("auto (store media, deflate the rest), store or deflate",
                LS_DEF_COMPRESSION)),
    AP_INIT_TAKE1("LinkShareMaxContentSize", set_size, OFF(max_content),
                  RSRC_CONF,
                  LS_HELP("largest uncompressed download", LS_DEF_MAX_CONTENT)),
    AP_INIT_TAKE1("LinkShareMaxFiles", set_count, OFF(max_files), RSRC_CONF,
                  LS_HELP("most files in one download", LS_DEF_MAX_FILES)),
    AP_INIT_TAKE1(
        "LinkShareMaxQueuedJobs", set_count, OFF(max_queued), RSRC_CONF,
        LS_HELP("queued or running downloads per share", LS_DEF_MAX_QUEUED)),
    AP_INIT_TAKE1(
        "LinkShareArchiveTTL", set_global_duration, OFF(archive_ttl), RSRC_CONF,
        LS_HELP("how long finished archives are kept", LS_DEF_ARCHIVE_TTL)),
    AP_INIT_TAKE1("LinkShareSpoolPerShare", set_global_size,
                  OFF(spool_per_share), RSRC_CONF,
                  LS_HELP("archives one share may keep or have queued",
                          LS_DEF_SPOOL_PER_SHARE)),
    AP_INIT_TAKE1("LinkShareSpoolMax", set_spool_max, OFF(spool_max), RSRC_CONF,
                  LS_HELP("archives the whole spool may keep or have queued",
                          LS_DEF_SPOOL_MAX)),
    AP_INIT_TAKE2("LinkShareGuessLimit", set_guess_limit, NULL, RSRC_CONF,
                  LS_HELP2("unknown share tokens one client may try per period",
                           LS_DEF_GUESS_LIMIT, LS_DEF_GUESS_WINDOW)),
    AP_INIT_TAKE1("LinkShareCacheTTL", set_cache_ttl, NULL, RSRC_CONF,
                  LS_HELP("seconds a process may reuse a share lookup",
                          LS_DEF_CACHE_TTL)),
    AP_INIT_TAKE1("LinkShareSMTPServer", ls_config_set_smtp_server, NULL,
                  RSRC_CONF,
                  "host[:port] of the SMTP server share mail goes through"),
    AP_INIT_TAKE1("LinkShareSMTPStartTLS", ls_config_set_starttls, NULL,
                  RSRC_CONF,
                  LS_HELP("required, optional or off", LS_DEF_SMTP_STARTTLS)),
    AP_INIT_TAKE2("LinkShareSMTPAuth", ls_config_set_smtp_auth, NULL, RSRC_CONF,
                  "SMTP user and a file holding the password"),
    AP_INIT_TAKE1("LinkShareMailFrom", ls_config_set_mail_from, NULL, RSRC_CONF,
                  "sender address of share mail"),
    AP_INIT_ITERATE("LinkShareOrgDomain", ls_config_set_org_domain, NULL,
                    RSRC_CONF,
                    "mail domains of the organisation; others are "
                    "external"),
    AP_INIT_TAKE1("LinkShareSMTPTimeout", ls_config_set_smtp_timeout, NULL,
                  RSRC_CONF,
                  LS_HELP("limit for each SMTP exchange", LS_DEF_SMTP_TIMEOUT)),
    AP_INIT_TAKE2("LinkShareMailRetry", ls_config_set_mail_retry, NULL,
                  RSRC_CONF,
                  LS_HELP2("first retry delay and give-up age of a mail",
                           LS_DEF_MAIL_RETRY, LS_DEF_MAIL_GIVEUP)),
    {NULL}};

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
    sc->spool_per_share = main_sc->spool_per_share;
    sc->spool_max = main_sc->spool_max;
    sc->guess_limit = main_sc->guess_limit;
    sc->guess_window = main_sc->guess_window;
    sc->smtp_server = main_sc->smtp_server;
    sc->smtp_starttls = main_sc->smtp_starttls;
    sc->smtp_user = main_sc->smtp_user;
    sc->smtp_pw_file = main_sc->smtp_pw_file;
    sc->smtp_pw = main_sc->smtp_pw;
    sc->mail_from = main_sc->mail_from;
    sc->org_domains = main_sc->org_domains;
    sc->smtp_timeout = main_sc->smtp_timeout;
    sc->mail_retry = main_sc->mail_retry;
    sc->mail_giveup = main_sc->mail_giveup;
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
    DEFAULT_INT(cache_ttl, LS_DEF_CACHE_TTL);
    DEFAULT_PTR(admins, apr_array_make(p, 0, sizeof(const char *)));
    DEFAULT_INT(workers, LS_DEF_WORKERS);
    DEFAULT_PTR(spool,
                apr_pstrcat(p, sc->state_dir, LS_DEF_C(LS_DEF_SPOOL), NULL));
    DEFAULT_INT(part_size, LS_DEF_PART_SIZE);
    DEFAULT_INT(compression, LS_DEF_COMPRESSION);
    DEFAULT_INT(max_content, LS_DEF_MAX_CONTENT);
    DEFAULT_INT(max_files, LS_DEF_MAX_FILES);
    DEFAULT_INT(max_queued, LS_DEF_MAX_QUEUED);
    DEFAULT_INT(archive_ttl, LS_DEF_ARCHIVE_TTL);
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
    DEFAULT_INT(smtp_starttls, LS_DEF_SMTP_STARTTLS);
    DEFAULT_INT(smtp_timeout, LS_DEF_SMTP_TIMEOUT);
    if (sc->mail_retry == LS_UNSET_INT) {
        /* One directive sets both. */
        sc->mail_retry = LS_DEF_C(LS_DEF_MAIL_RETRY);
        sc->mail_giveup = LS_DEF_C(LS_DEF_MAIL_GIVEUP);
    }
    DEFAULT_PTR(org_domains, apr_array_make(p, 0, sizeof(const char *)));
}

static int check_server(apr_pool_t *p, server_rec *s, ls_server_conf *sc)
{
    char real[PATH_MAX];
    apr_finfo_t fi;

    if (sc->default_expiry > sc->max_expiry) {
        LS_STARTUP_ERR(s,
                       "LS00001: LinkShareDefaultExpiry (%" APR_INT64_T_FMT
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
        LS_STARTUP_ERR(s,
                       "LS00002: LinkShareAssetRoot '%s' is not an "
                       "existing directory",
                       sc->asset_root);
        return 1;
    }
    sc->asset_real = apr_pstrdup(p, real);
    if (sc->public_url == NULL) {
        LS_STARTUP_ERR(s, "LS00003: LinkSharePublicURL is required when "
                          "LinkShareAssetRoot is set: it is the base of "
                          "every share link, e.g. https://files.example.com");
        return 1;
    }
    if (sc->asset_url == NULL) {
        LS_STARTUP_ERR(s, "LS00004: LinkShareAssetURL is required when "
                          "LinkShareAssetRoot is set: it is where this site "
                          "serves the assets, so httpd can decide who may "
                          "share them");
        return 1;
    }
    if (sc->rendition_root
        && (realpath(sc->rendition_root, real) == NULL
            || apr_stat(&fi, real, APR_FINFO_TYPE, p) != APR_SUCCESS
            || fi.filetype != APR_DIR)) {
        LS_STARTUP_ERR(s,
                       "LS00005: LinkShareRenditionRoot '%s' is not an "
                       "existing directory",
                       sc->rendition_root);
        return 1;
    }
    if (sc->rendition_root) {
        /* Confinement compares resolved paths. */
        sc->rendition_root = apr_pstrdup(p, real);
    }
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
            "LS00040: LinkShareSpoolPerShare (%" APR_INT64_T_FMT
            " bytes) is larger than LinkShareSpoolMax (%" APR_INT64_T_FMT
            " bytes); lower the first or raise the second",
            main_sc->spool_per_share, main_sc->spool_max);
        return 1;
    }
    apply_defaults(p, main_sc);
    if (ls_config_check_mail(main_s, main_sc)) {
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

int ls_config_is_admin(const ls_server_conf *sc, const char *user)
{
    int i;

    for (i = 0; user && i < sc->admins->nelts; i++) {
        if (strcmp(APR_ARRAY_IDX(sc->admins, i, const char *), user) == 0) {
            return 1;
        }
    }
    return 0;
}
