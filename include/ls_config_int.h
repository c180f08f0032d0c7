/* ls_config_int: what the config units share: ls_config (records,
 * handlers, the directive table), ls_config_mail (the mail directives)
 * and ls_config_finish (defaults and startup checks). Not for the rest
 * of the module. */
#ifndef LS_CONFIG_INT_H
#define LS_CONFIG_INT_H

#include "httpd.h"
#include "http_config.h"
#include "http_log.h"

#include "ls_activity.h"
#include "ls_config.h"
#include "ls_zip.h"

/* The defaults, each written once, one line per directive: the value as C
 * and as an admin writes it. The help texts show the second (LS_HELP),
 * apply_defaults (ls_config_finish.c) applies the first (LS_DEF_C), and
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

#define LS_DEF_STATE_DIR            ("/var/lib/linkshare", "/var/lib/linkshare")
#define LS_DEF_DB_DRIVER            ("sqlite3", "sqlite3")
#define LS_DEF_DB_FILE              ("/linkshare.db", "LinkShareStateDir/linkshare.db")
#define LS_DEF_DEFAULT_EXPIRY       (86400, "1d") /* as the reference */
#define LS_DEF_MAX_EXPIRY           (30 * 86400, "30d")
#define LS_DEF_CACHE_TTL            (5, "5")
#define LS_DEF_WORKERS              (2, "2")
#define LS_DEF_SPOOL                ("/spool", "LinkShareStateDir/spool")
#define LS_DEF_PART_SIZE            (APR_INT64_C(100) << 30, "100G") /* reference */
#define LS_DEF_COMPRESSION          (LS_ZIP_AUTO, "auto")
#define LS_DEF_MAX_CONTENT          (APR_INT64_C(100) << 20, "100M") /* reference */
#define LS_DEF_MAX_FILES            (10000, "10000")
#define LS_DEF_MAX_QUEUED           (5, "5")
#define LS_DEF_ARCHIVE_TTL          (86400, "1d")
#define LS_DEF_WORKER_TIMEOUT       (10, "10s")
#define LS_DEF_SPOOL_PER_SHARE      (APR_INT64_C(1) << 30, "1G")
#define LS_DEF_SPOOL_MAX            (0, "none") /* the disk's room (LS00326) */
#define LS_DEF_GUESS_LIMIT          (20, "20")
#define LS_DEF_GUESS_WINDOW         (60, "1m")
#define LS_DEF_EVENTS_SECONDS       (60, "1m")
#define LS_DEF_EVENTS_STREAMS       (8, "8")
#define LS_DEF_SMTP_STARTTLS        (LS_STARTTLS_REQUIRED, "required")
#define LS_DEF_SMTP_TIMEOUT         (30, "30s")
#define LS_DEF_MAIL_RETRY           (60, "1m")
#define LS_DEF_RENDITION_CACHE      ("/renditions", "LinkShareStateDir/renditions")
#define LS_DEF_RENDITION_CACHE_SIZE (APR_INT64_C(10) << 30, "10G")
#define LS_DEF_RENDITION_MAX_PIXELS (100000000, "100000000")
#define LS_DEF_RENDITION_TIMEOUT    (60, "1m")
/* A relative program name is looked for next to mod_linkshare.so. */
#define LS_DEF_RENDERER    ("linkshare-render", "linkshare-render")
#define LS_DEF_MAIL_GIVEUP (86400, "1d")
/* No variable: mail names the sharer by their user name. */
#define LS_DEF_DISPLAY_NAME_VAR   (NULL, "none")
#define LS_DEF_ACTIVITY_RETENTION (90 * 86400, "90d")
#define LS_DEF_ACTIVITY_ADDRESS   (LS_ACTIVITY_ADDR_TRUNCATED, "truncated")

/* Link protection: the unlock cookie's life, the originals policy. */
#define LS_DEF_UNLOCK_TTL       (86400, "1d")
#define LS_DEF_ALLOW_ORIGINALS  (LS_ORIGINALS_ON, "on")
#define LS_DEF_ORIGINALS_CHOICE (LS_CHOICE_EDITABLE, "editable")
#define LS_DEF_REQUIRE_PASSWORD (LS_PASSWORD_REQUIRED_OFF, "off")

/* A startup error: logged at EMERG, httpd does not start. */
#define LS_STARTUP_ERR(s, ...)                                                 \
    ap_log_error(APLOG_MARK, APLOG_EMERG, 0, s, __VA_ARGS__)

/* The server config a directive is being read into. */
ls_server_conf *ls_config_cmd_conf(cmd_parms *cmd);

/* The mail directives' handlers (ls_config_mail.c). */
const char *ls_config_set_smtp_server(cmd_parms *cmd, void *d, const char *arg);
const char *ls_config_set_starttls(cmd_parms *cmd, void *d, const char *arg);
const char *ls_config_set_smtp_auth(cmd_parms *cmd, void *d, const char *user,
                                    const char *file);
const char *ls_config_set_display_name_var(cmd_parms *cmd, void *d,
                                           const char *arg);
const char *ls_config_set_mail_from(cmd_parms *cmd, void *d, const char *arg);
const char *ls_config_set_org_domain(cmd_parms *cmd, void *d, const char *arg);
const char *ls_config_set_smtp_timeout(cmd_parms *cmd, void *d,
                                       const char *arg);
const char *ls_config_set_mail_retry(cmd_parms *cmd, void *d, const char *first,
                                     const char *giveup);

/* LinkShareBrand (ls_config_brand.c). */
const char *ls_config_set_brand(cmd_parms *cmd, void *d, const char *name,
                                const char *a2, const char *a3);

/* Mail settings only make sense together: 1 (logged) when they do not. */
int ls_config_check_mail(server_rec *s, ls_server_conf *sc);

#endif /* LS_CONFIG_INT_H */
