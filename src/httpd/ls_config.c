/* ls_config: the LinkShare* directives (see ls_config.h). Create marks
 * every field unset; merge takes the child's value when set, one line per
 * field; the handlers check each value; ls_config_finish
 * (ls_config_finish.c) applies the defaults of ls_config_int.h in one
 * place. */
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

APLOG_USE_MODULE(linkshare);

extern module AP_MODULE_DECLARE_DATA linkshare_module;


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
    sc->worker_timeout = LS_UNSET_INT;
    sc->spool_per_share = LS_UNSET_INT;
    sc->spool_max = LS_UNSET_INT;
    sc->guess_limit = LS_UNSET_INT;
    sc->guess_window = LS_UNSET_INT;
    sc->events_seconds = LS_UNSET_INT;
    sc->events_streams = LS_UNSET_INT;
    sc->smtp_starttls = LS_UNSET_INT;
    sc->smtp_timeout = LS_UNSET_INT;
    sc->mail_retry = LS_UNSET_INT;
    sc->mail_giveup = LS_UNSET_INT;
    sc->rendition_cache_size = LS_UNSET_INT;
    sc->rendition_max_pixels = LS_UNSET_INT;
    sc->rendition_timeout = LS_UNSET_INT;
    sc->unlock_ttl = LS_UNSET_INT;
    sc->allow_originals = LS_UNSET_INT;
    sc->originals_choice = LS_UNSET_INT;
    sc->require_password = LS_UNSET_INT;
    sc->activity_retention = LS_UNSET_INT;
    sc->activity_address = LS_UNSET_INT;
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
    MERGE_PTR(brand);
    MERGE_INT(workers);
    MERGE_PTR(spool);
    MERGE_INT(part_size);
    MERGE_INT(compression);
    MERGE_INT(max_content);
    MERGE_INT(max_files);
    MERGE_INT(max_queued);
    MERGE_INT(archive_ttl);
    MERGE_INT(worker_timeout);
    MERGE_INT(spool_per_share);
    MERGE_INT(spool_max);
    MERGE_INT(guess_limit);
    MERGE_INT(guess_window);
    MERGE_INT(events_seconds);
    MERGE_INT(events_streams);
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
    MERGE_PTR(display_name_var);
    MERGE_PTR(rendition_cache);
    MERGE_INT(rendition_cache_size);
    MERGE_INT(rendition_max_pixels);
    MERGE_INT(rendition_timeout);
    MERGE_PTR(renderer);
    m->renderer_set = add->renderer_set || base->renderer_set;
    MERGE_INT(unlock_ttl);
    MERGE_INT(allow_originals);
    MERGE_INT(originals_choice);
    MERGE_INT(require_password);
    MERGE_INT(activity_retention);
    MERGE_INT(activity_address);
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

/* LinkShareEventStream DURATION STREAMS: how long one progress stream
 * (op=events) lasts before the page reconnects, and how many streams one
 * process serves at once (each holds a worker thread). */
static const char *set_event_stream(cmd_parms *cmd, void *d, const char *dur,
                                    const char *n)
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
    if (*n == '\0' || *end || v < 0 || v > 10000
        || ls_time_parse_duration(dur, &w) != APR_SUCCESS || w < 1
        || w > 3600) {
        return apr_psprintf(cmd->pool,
                            "%s: '%s %s' is not a duration (1s to 1h) and a "
                            "number of streams (0 to 10000; 0 turns them "
                            "off), e.g. 1m 8",
                            cmd->cmd->name, dur, n);
    }
    sc->events_seconds = w;
    sc->events_streams = (int)v;
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

/* LinkShareRenditionMaxPixels N: images whose header claims more are not
 * decoded. */
static const char *set_max_pixels(cmd_parms *cmd, void *d, const char *arg)
{
    const char *err = ap_check_cmd_context(cmd, GLOBAL_ONLY);
    char *end;
    apr_int64_t v = apr_strtoi64(arg, &end, 10);

    (void)d;
    if (err) {
        return err;
    }
    if (*arg == '\0' || *end || v < 1000000 || v > APR_INT64_C(10000000000)) {
        return apr_psprintf(cmd->pool,
                            "%s: '%s' is not a number of pixels from 1000000 "
                            "to 10000000000",
                            cmd->cmd->name, arg);
    }
    ls_config_cmd_conf(cmd)->rendition_max_pixels = v;
    return NULL;
}

/* LinkShareRenderer PATH|off: the program the workers run per file. */
static const char *set_renderer(cmd_parms *cmd, void *d, const char *arg)
{
    ls_server_conf *sc = ls_config_cmd_conf(cmd);
    const char *err = ap_check_cmd_context(cmd, GLOBAL_ONLY);

    (void)d;
    if (err) {
        return err;
    }
    if (*arg == '\0') {
        return apr_psprintf(cmd->pool, "%s: give a program or off",
                            cmd->cmd->name);
    }
    sc->renderer = strcasecmp(arg, "off") == 0 ? "off" : arg;
    sc->renderer_set = 1;
    return NULL;
}

/* LinkShareUnlockTTL: 1 minute to LinkShareMaxExpiry's own bound (a
 * year); a cookie also ends with its share. */
static const char *set_unlock_ttl(cmd_parms *cmd, void *d, const char *arg)
{
    apr_int64_t v;

    (void)d;
    if (ls_time_parse_duration(arg, &v) != APR_SUCCESS || v < 60
        || v > 366 * 86400) {
        return apr_psprintf(cmd->pool,
                            "%s: '%s' is not a duration from 1m to 366d "
                            "(seconds or a number with s, m, h, d or w, "
                            "e.g. 1d, 12h)",
                            cmd->cmd->name, arg);
    }
    ls_config_cmd_conf(cmd)->unlock_ttl = v;
    return NULL;
}

/* An on|off flag into the int field at cmd->info. */
static const char *set_on_off(cmd_parms *cmd, void *d, int on)
{
    int off = (int)(long)cmd->info;

    (void)d;
    *(int *)((char *)ls_config_cmd_conf(cmd) + off) = on ? 1 : 0;
    return NULL;
}

static const char *set_originals_choice(cmd_parms *cmd, void *d,
                                        const char *arg)
{
    ls_server_conf *sc = ls_config_cmd_conf(cmd);

    (void)d;
    if (strcasecmp(arg, "editable") == 0) {
        sc->originals_choice = LS_CHOICE_EDITABLE;
    }
    else if (strcasecmp(arg, "readonly") == 0) {
        sc->originals_choice = LS_CHOICE_READONLY;
    }
    else if (strcasecmp(arg, "hidden") == 0) {
        sc->originals_choice = LS_CHOICE_HIDDEN;
    }
    else {
        return apr_psprintf(cmd->pool,
                            "%s: '%s' is not editable, readonly or hidden",
                            cmd->cmd->name, arg);
    }
    return NULL;
}

/* LinkShareActivityRetention DURATION|off: how long recorded events are
 * kept; off (or 0) records nothing and sweeps what was. */
static const char *set_activity_retention(cmd_parms *cmd, void *d,
                                          const char *arg)
{
    ls_server_conf *sc = ls_config_cmd_conf(cmd);
    const char *err = ap_check_cmd_context(cmd, GLOBAL_ONLY);
    apr_int64_t v;

    (void)d;
    if (err) {
        return err;
    }
    if (strcasecmp(arg, "off") == 0 || strcmp(arg, "0") == 0) {
        sc->activity_retention = 0;
        return NULL;
    }
    if (ls_time_parse_duration(arg, &v) != APR_SUCCESS
        || v > APR_INT64_C(100) * 365 * 86400) {
        return apr_psprintf(cmd->pool,
                            "%s: '%s' is not a duration (e.g. 90d, 12w) up "
                            "to 100 years, or off",
                            cmd->cmd->name, arg);
    }
    sc->activity_retention = v;
    return NULL;
}

/* LinkShareActivityAddress full|truncated|none. */
static const char *set_activity_address(cmd_parms *cmd, void *d,
                                        const char *arg)
{
    ls_server_conf *sc = ls_config_cmd_conf(cmd);

    (void)d;
    if (strcasecmp(arg, "full") == 0) {
        sc->activity_address = LS_ACTIVITY_ADDR_FULL;
    }
    else if (strcasecmp(arg, "truncated") == 0) {
        sc->activity_address = LS_ACTIVITY_ADDR_TRUNCATED;
    }
    else if (strcasecmp(arg, "none") == 0) {
        sc->activity_address = LS_ACTIVITY_ADDR_NONE;
    }
    else {
        return apr_psprintf(cmd->pool,
                            "%s: '%s' is not full, truncated or none",
                            cmd->cmd->name, arg);
    }
    return NULL;
}

#define OFF(f) (void *)APR_OFFSETOF(ls_server_conf, f)

const command_rec ls_config_cmds[] = {
    AP_INIT_TAKE1("LinkShareUnlockTTL", set_unlock_ttl, NULL, RSRC_CONF,
                  LS_HELP("how long a password-protected link stays "
                          "unlocked in a browser",
                          LS_DEF_UNLOCK_TTL)),
    AP_INIT_FLAG("LinkShareAllowOriginals", set_on_off, OFF(allow_originals),
                 RSRC_CONF,
                 LS_HELP("whether a share includes originals when the "
                         "sharer does not say",
                         LS_DEF_ALLOW_ORIGINALS)),
    AP_INIT_TAKE1("LinkShareOriginalsChoice", set_originals_choice, NULL,
                  RSRC_CONF,
                  LS_HELP("whether sharers may change that: editable, "
                          "readonly or hidden",
                          LS_DEF_ORIGINALS_CHOICE)),
    AP_INIT_FLAG("LinkShareRequirePassword", set_on_off, OFF(require_password),
                 RSRC_CONF,
                 LS_HELP("whether every new share needs a password",
                         LS_DEF_REQUIRE_PASSWORD)),
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
    AP_INIT_TAKE1("LinkShareWorkerTimeout", set_global_duration,
                  OFF(worker_timeout), RSRC_CONF,
                  LS_HELP("silence after which a worker's job is taken over",
                          LS_DEF_WORKER_TIMEOUT)),
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
    AP_INIT_TAKE2("LinkShareEventStream", set_event_stream, NULL, RSRC_CONF,
                  LS_HELP2("how long one progress stream lasts and how many "
                           "one process serves at once",
                           LS_DEF_EVENTS_SECONDS, LS_DEF_EVENTS_STREAMS)),
    AP_INIT_TAKE123("LinkShareBrand", ls_config_set_brand, NULL, RSRC_CONF,
                    "name shown on the recipients' pages, then optionally a "
                    "PNG, SVG, JPEG or WebP logo file and an accent colour "
                    "#rgb or #rrggbb"),
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
    AP_INIT_TAKE1("LinkShareDisplayNameVar", ls_config_set_display_name_var,
                  NULL, RSRC_CONF,
                  LS_HELP("request variable with the sharer's display name "
                          "for mail, e.g. AUTHENTICATE_CN",
                          LS_DEF_DISPLAY_NAME_VAR)),
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
    AP_INIT_TAKE1(
        "LinkShareRenditionCache", set_global_dir, OFF(rendition_cache),
        RSRC_CONF,
        LS_HELP("directory of generated renditions", LS_DEF_RENDITION_CACHE)),
    AP_INIT_TAKE1("LinkShareRenditionCacheSize", set_global_size,
                  OFF(rendition_cache_size), RSRC_CONF,
                  LS_HELP("most the generated renditions may take",
                          LS_DEF_RENDITION_CACHE_SIZE)),
    AP_INIT_TAKE1("LinkShareRenditionMaxPixels", set_max_pixels, NULL,
                  RSRC_CONF,
                  LS_HELP("largest image (pixels) a rendition is made of",
                          LS_DEF_RENDITION_MAX_PIXELS)),
    AP_INIT_TAKE1("LinkShareRenditionTimeout", set_global_duration,
                  OFF(rendition_timeout), RSRC_CONF,
                  LS_HELP("time one file may take to render before it is "
                          "given up",
                          LS_DEF_RENDITION_TIMEOUT)),
    AP_INIT_TAKE1(
        "LinkShareRenderer", set_renderer, NULL, RSRC_CONF,
        LS_HELP("the program that makes renditions, or off", LS_DEF_RENDERER)),
    AP_INIT_TAKE1("LinkShareActivityRetention", set_activity_retention, NULL,
                  RSRC_CONF,
                  LS_HELP("how long the activity log keeps an event, or off "
                          "to record none",
                          LS_DEF_ACTIVITY_RETENTION)),
    AP_INIT_TAKE1("LinkShareActivityAddress", set_activity_address, NULL,
                  RSRC_CONF,
                  LS_HELP("client addresses in the activity log: full, "
                          "truncated (IPv4 /24, IPv6 /48) or none",
                          LS_DEF_ACTIVITY_ADDRESS)),
    {NULL}};

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
