/* ls_config_int: what ls_config shares with ls_config_mail (the mail
 * directives live in their own unit; the directive table, create, merge
 * and defaults stay in ls_config). Not for the rest of the module. */
#ifndef LS_CONFIG_INT_H
#define LS_CONFIG_INT_H

#include "httpd.h"
#include "http_config.h"
#include "http_log.h"

#include "ls_config.h"

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
const char *ls_config_set_mail_from(cmd_parms *cmd, void *d, const char *arg);
const char *ls_config_set_org_domain(cmd_parms *cmd, void *d, const char *arg);
const char *ls_config_set_smtp_timeout(cmd_parms *cmd, void *d,
                                       const char *arg);
const char *ls_config_set_mail_retry(cmd_parms *cmd, void *d, const char *first,
                                     const char *giveup);

/* Mail settings only make sense together: 1 (logged) when they do not. */
int ls_config_check_mail(server_rec *s, ls_server_conf *sc);

#endif /* LS_CONFIG_INT_H */
