/* ls_config: the LinkShare* directives. Owns the per-server config struct,
 * its create/merge, the directive table and startup validation; nothing
 * else parses configuration. Per-directory behaviour comes from httpd's
 * own SetHandler (linkshare-page, -preview, -expired, -api). */
#ifndef LS_CONFIG_H
#define LS_CONFIG_H

#include "httpd.h"
#include "http_config.h"

#define LS_UNSET_INT (-1)

/* LinkShareBrand NAME [LOGO-FILE] [#ACCENT]: checked and read when the
 * directive is (ls_config_brand.c); the pages' CSP with css's hash is
 * added at post_config (ls_html_init). */
typedef struct {
    const char *name;      /* shown at the top of every recipient page */
    const char *logo_path; /* as configured; NULL = no logo */
    const char *logo;      /* its bytes, read at startup (at most
                            * LS_BRAND_LOGO_MAX) */
    apr_size_t logo_len;
    const char *logo_type; /* image/png, image/svg+xml, image/jpeg or
                            * image/webp, from the file's first bytes */
    const char *logo_etag; /* "<first 16 hex of its SHA-256>" */
    apr_time_t logo_mtime; /* the file's modification time */
    const char *accent;    /* "#rgb" or "#rrggbb"; NULL = the default */
    const char *css;       /* the accent stylesheet (ls_view_brand_css) */
    const char *csp;       /* the pages' CSP allowing css too */
} ls_brand_t;

/* The largest logo file LinkShareBrand accepts. */
#define LS_BRAND_LOGO_MAX (1024 * 1024)

typedef struct {
    const char *db_driver;      /* LinkShareDatabase driver; NULL = unset */
    const char *db_params;      /* LinkShareDatabase parameters */
    const char *state_dir;      /* LinkShareStateDir (default SQLite home) */
    const char *asset_root;     /* LinkShareAssetRoot as configured */
    const char *asset_real;     /* asset_root resolved at startup */
    const char *asset_url;      /* LinkShareAssetURL, no trailing '/' */
    const char *rendition_root; /* LinkShareRenditionRoot; NULL = none */
    const char *public_url;     /* LinkSharePublicURL, no trailing '/' */
    apr_int64_t default_expiry; /* LinkShareDefaultExpiry, seconds */
    apr_int64_t max_expiry;     /* LinkShareMaxExpiry, seconds */
    apr_array_header_t *admins; /* LinkShareAdmin users; NULL = unset */
    int cache_ttl;              /* LinkShareCacheTTL, seconds, 0 = off */
    const ls_brand_t *brand;    /* LinkShareBrand; NULL = unset (none) */
    /* packaging (main server only: one worker pool per httpd) */
    int workers;                 /* LinkShareWorkers */
    const char *spool;           /* LinkShareSpool */
    apr_int64_t part_size;       /* LinkShareZipPartSize, bytes */
    int compression;             /* LinkShareCompression: ls_zip_mode_t */
    apr_int64_t max_content;     /* LinkShareMaxContentSize, bytes */
    int max_files;               /* LinkShareMaxFiles */
    int max_queued;              /* LinkShareMaxQueuedJobs, per share */
    apr_int64_t archive_ttl;     /* LinkShareArchiveTTL, seconds */
    apr_int64_t worker_timeout;  /* LinkShareWorkerTimeout, seconds */
    apr_int64_t spool_per_share; /* LinkShareSpoolPerShare, bytes */
    apr_int64_t spool_max;       /* LinkShareSpoolMax, bytes; 0 = none */
    /* guessing (main server only: one count per client per httpd) */
    int guess_limit;          /* LinkShareGuessLimit misses per window */
    apr_int64_t guess_window; /* LinkShareGuessLimit window, seconds */
    /* progress pushed to the page (op=events; main server only) */
    apr_int64_t events_seconds; /* LinkShareEventStream, per stream */
    int events_streams;         /* LinkShareEventStream, per process */
    /* mail (main server only: the workers send with its settings) */
    const char *smtp_server;  /* LinkShareSMTPServer "host:port"; NULL = no
                               * mail */
    int smtp_starttls;        /* LinkShareSMTPStartTLS: LS_STARTTLS_* */
    const char *smtp_user;    /* LinkShareSMTPAuth user; NULL = no AUTH */
    const char *smtp_pw_file; /* LinkShareSMTPAuth password file */
    const char *smtp_pw;      /* its first line, read at startup */
    const char *mail_from;    /* LinkShareMailFrom address */
    apr_array_header_t *org_domains; /* LinkShareOrgDomain; NULL = unset */
    int smtp_timeout;                /* LinkShareSMTPTimeout, seconds */
    apr_int64_t mail_retry;          /* LinkShareMailRetry first delay, s */
    apr_int64_t mail_giveup;         /* LinkShareMailRetry give-up age, s */
    const char *display_name_var;    /* LinkShareDisplayNameVar: the
                                      * request variable (r->subprocess_env)
                                      * naming the sharer in mail; NULL =
                                      * the user name */
    /* renditions (main server only: the workers make them) */
    const char *rendition_cache;      /* LinkShareRenditionCache */
    apr_int64_t rendition_cache_size; /* LinkShareRenditionCacheSize, bytes */
    apr_int64_t rendition_max_pixels; /* LinkShareRenditionMaxPixels */
    apr_int64_t rendition_timeout;    /* LinkShareRenditionTimeout, s */
    const char *renderer; /* LinkShareRenderer as configured ("off": none);
                           * after startup the program's absolute path, or
                           * NULL when renditions are not generated */
    int renderer_set;     /* LinkShareRenderer was given (not the default) */
    /* link protection (#10; per server) */
    apr_int64_t unlock_ttl; /* LinkShareUnlockTTL: an unlock cookie's
                             * longest life, seconds */
    int allow_originals;    /* LinkShareAllowOriginals: LS_ORIGINALS_ON|OFF,
                             * what a share gets when the sharer says
                             * nothing */
    int originals_choice;   /* LinkShareOriginalsChoice: LS_CHOICE_* */
    int require_password;   /* LinkShareRequirePassword:
                             * LS_PASSWORD_REQUIRED_ON|OFF */
    /* the activity log (#10) */
    apr_int64_t activity_retention; /* LinkShareActivityRetention, seconds;
                                     * 0 = off: nothing recorded, every
                                     * event swept (main server only) */
    int activity_address;           /* LinkShareActivityAddress:
                                     * ls_activity_addr_t */
} ls_server_conf;

#define LS_ORIGINALS_OFF 0
#define LS_ORIGINALS_ON  1

/* LinkShareOriginalsChoice: may the sharer change allow_original, and
 * does the dialog show the checkbox. */
#define LS_CHOICE_EDITABLE 0 /* shown, any value accepted */
#define LS_CHOICE_READONLY 1 /* shown disabled; another value is 403 */
#define LS_CHOICE_HIDDEN   2 /* not shown; another value is 403 */

#define LS_PASSWORD_REQUIRED_OFF 0
#define LS_PASSWORD_REQUIRED_ON  1

#define LS_STARTTLS_OFF      0
#define LS_STARTTLS_OPTIONAL 1
#define LS_STARTTLS_REQUIRED 2

extern const command_rec ls_config_cmds[];

void *ls_config_create_server(apr_pool_t *p, server_rec *s);
void *ls_config_merge_server(apr_pool_t *p, void *base, void *add);

/* The server's config, with defaults applied at startup. */
ls_server_conf *ls_config_get(const server_rec *s);

/* Applies defaults and checks every server's settings; logs a message
 * naming the directive and returns non-zero when the config is unusable.
 * *active is set when any server configures LinkShareAssetRoot. */
int ls_config_finish(apr_pool_t *p, apr_pool_t *ptemp, server_rec *main_s,
                     int *active);

/* Called by post_config once the spool exists: every server uses it by
 * this resolved path (a copy in p), against which part paths are
 * confined. */
void ls_config_spool_resolved(apr_pool_t *p, server_rec *main_s,
                              const char *real);

/* Called by post_config when the share cache's shared generation word
 * could not be created: without it a revoke in one process would not
 * reach the others' caches, so no process may cache and
 * LinkShareCacheTTL counts as 0 for every server from then on (the
 * per-folder authz answers, which read the same setting, too). */
void ls_config_cache_unavailable(server_rec *main_s);

/* Non-zero when user is listed in LinkShareAdmin. */
int ls_config_is_admin(const ls_server_conf *sc, const char *user);

/* Non-zero when share mail can be sent for s: LinkShareSMTPServer (and
 * so LinkShareMailFrom) is configured. Valid after startup. */
int ls_config_mail_configured(const server_rec *s);

/* Non-zero when email is outside every LinkShareOrgDomain of s (an
 * "External User"); 0 when no LinkShareOrgDomain is configured. */
int ls_config_mail_external(const server_rec *s, const char *email);

#endif /* LS_CONFIG_H */
