/* ls_config_mail: the mail directives (LinkShareSMTPServer, ...StartTLS,
 * ...SMTPAuth, LinkShareMailFrom, LinkShareOrgDomain, LinkShareSMTPTimeout,
 * LinkShareMailRetry) and their startup check; the table of directives
 * and the merge stay in ls_config. Glue unit. */
#include <stdlib.h>

#include "httpd.h"
#include "http_config.h"
#include "http_log.h"
#include "apr_lib.h"
#include "apr_strings.h"

#include "ls_apireq.h"
#include "ls_config.h"
#include "ls_config_int.h"
#include "ls_mail.h"
#include "ls_tag.h"
#include "ls_time.h"

APLOG_USE_MODULE(linkshare);

/* "host[:port]": a DNS name, an IPv4 address or a [bracketed] IPv6
 * address; the port defaults to 25. */
const char *ls_config_set_smtp_server(cmd_parms *cmd, void *d, const char *arg)
{
    const char *err = ap_check_cmd_context(cmd, GLOBAL_ONLY), *c, *port;
    const char *host_end;
    long v = 25;

    (void)d;
    if (err) {
        return err;
    }
    if (arg[0] == '[') {
        host_end = strchr(arg, ']');
        port = host_end && host_end[1] == ':' ? host_end + 2 : NULL;
        if (host_end == NULL || (host_end[1] && !port)) {
            host_end = NULL;
        }
        else {
            host_end++;
        }
    }
    else {
        port = strrchr(arg, ':');
        host_end = port ? port++ : arg + strlen(arg);
    }
    for (c = arg[0] == '[' ? arg + 1 : arg;
         host_end && c < host_end - (arg[0] == '['); c++) {
        if (!apr_isalnum(*c) && !strchr(arg[0] == '[' ? ":." : ".-", *c)) {
            host_end = NULL;
        }
    }
    if (port) {
        char *end;
        v = strtol(port, &end, 10);
        if (*port == '\0' || *end || v < 1 || v > 65535) {
            host_end = NULL;
        }
    }
    if (host_end == NULL || host_end == arg) {
        return apr_psprintf(cmd->pool,
                            "%s: '%s' is not host[:port] "
                            "(e.g. mail.example.com:587 or 127.0.0.1)",
                            cmd->cmd->name, arg);
    }
    ls_config_cmd_conf(cmd)->smtp_server = apr_psprintf(
        cmd->pool, "%.*s:%ld", (int)(host_end - arg), arg, v);
    return NULL;
}

const char *ls_config_set_starttls(cmd_parms *cmd, void *d, const char *arg)
{
    ls_server_conf *sc = ls_config_cmd_conf(cmd);
    const char *err = ap_check_cmd_context(cmd, GLOBAL_ONLY);

    (void)d;
    if (err) {
        return err;
    }
    if (!strcasecmp(arg, "required")) {
        sc->smtp_starttls = LS_STARTTLS_REQUIRED;
    }
    else if (!strcasecmp(arg, "optional")) {
        sc->smtp_starttls = LS_STARTTLS_OPTIONAL;
    }
    else if (!strcasecmp(arg, "off")) {
        sc->smtp_starttls = LS_STARTTLS_OFF;
    }
    else {
        return apr_psprintf(cmd->pool,
                            "%s: '%s' is not one of "
                            "required, optional, off",
                            cmd->cmd->name, arg);
    }
    return NULL;
}

/* The password comes from a file (never inline, never .htaccess), read
 * now while httpd still runs as root: its first line, without the line
 * end. */
const char *ls_config_set_smtp_auth(cmd_parms *cmd, void *d, const char *user,
                                    const char *file)
{
    ls_server_conf *sc = ls_config_cmd_conf(cmd);
    const char *err = ap_check_cmd_context(cmd, GLOBAL_ONLY);
    const char *path = ap_server_root_relative(cmd->pool, file);
    apr_file_t *f;
    char buf[1024], errbuf[120];
    apr_size_t n = sizeof(buf) - 1;
    apr_status_t rv;

    (void)d;
    if (err) {
        return err;
    }
    if (!*user || strpbrk(user, "\r\n")) {
        return apr_psprintf(cmd->pool,
                            "%s: the user name is empty or has a line break",
                            cmd->cmd->name);
    }
    rv = path ? apr_file_open(&f, path, APR_FOPEN_READ, 0, cmd->temp_pool)
              : APR_EBADPATH;
    if (rv == APR_SUCCESS) {
        rv = apr_file_read(f, buf, &n);
        apr_file_close(f);
    }
    if (rv != APR_SUCCESS && rv != APR_EOF) {
        return apr_psprintf(cmd->pool,
                            "%s: cannot read the password "
                            "file '%s': %s",
                            cmd->cmd->name, file,
                            apr_strerror(rv, errbuf, sizeof(errbuf)));
    }
    buf[rv == APR_EOF ? 0 : n] = '\0';
    buf[strcspn(buf, "\r\n")] = '\0';
    if (buf[0] == '\0') {
        return apr_psprintf(cmd->pool,
                            "%s: the password file '%s' is "
                            "empty; put the password on its first line",
                            cmd->cmd->name, file);
    }
    sc->smtp_user = user;
    sc->smtp_pw_file = path;
    sc->smtp_pw = apr_pstrdup(cmd->pool, buf);
    memset(buf, 0, sizeof(buf));
    return NULL;
}

/* A variable name as httpd's modules set them (AUTHENTICATE_CN,
 * OIDC_CLAIM_name): letters, digits, '_' and '-', not starting with a
 * digit. */
const char *ls_config_set_display_name_var(cmd_parms *cmd, void *d,
                                           const char *arg)
{
    const char *c;

    (void)d;
    for (c = arg; *c; c++) {
        if (!apr_isalnum(*c) && *c != '_' && *c != '-') {
            break;
        }
    }
    if (*arg == '\0' || *c != '\0' || apr_isdigit(*arg)) {
        return apr_psprintf(cmd->pool,
                            "%s: '%s' is not a variable name; give the "
                            "name of the variable your authentication "
                            "module sets, e.g. AUTHENTICATE_CN",
                            cmd->cmd->name, arg);
    }
    ls_config_cmd_conf(cmd)->display_name_var = arg;
    return NULL;
}

const char *ls_config_set_mail_from(cmd_parms *cmd, void *d, const char *arg)
{
    const char *err = ap_check_cmd_context(cmd, GLOBAL_ONLY);

    (void)d;
    if (err) {
        return err;
    }
    if (!ls_mail_address_ok(arg)) {
        return apr_psprintf(cmd->pool,
                            "%s: '%s' is not an email address "
                            "(e.g. linkshare@example.com)",
                            cmd->cmd->name, arg);
    }
    ls_config_cmd_conf(cmd)->mail_from = arg;
    return NULL;
}

const char *ls_config_set_org_domain(cmd_parms *cmd, void *d, const char *arg)
{
    ls_server_conf *sc = ls_config_cmd_conf(cmd);
    const char *err = ap_check_cmd_context(cmd, GLOBAL_ONLY), *c;

    (void)d;
    if (err) {
        return err;
    }
    for (c = arg; *c && (apr_isalnum(*c) || *c == '.' || *c == '-'); c++)
        ;
    if (*c || !*arg || arg[0] == '.' || arg[strlen(arg) - 1] == '.'
        || strstr(arg, "..")) {
        return apr_psprintf(cmd->pool,
                            "%s: '%s' is not a domain name "
                            "(e.g. example.com)",
                            cmd->cmd->name, arg);
    }
    if (sc->org_domains == NULL) {
        sc->org_domains = apr_array_make(cmd->pool, 2, sizeof(const char *));
    }
    APR_ARRAY_PUSH(sc->org_domains, const char *) = arg;
    return NULL;
}

const char *ls_config_set_smtp_timeout(cmd_parms *cmd, void *d, const char *arg)
{
    const char *err = ap_check_cmd_context(cmd, GLOBAL_ONLY);
    apr_int64_t v;

    (void)d;
    if (err) {
        return err;
    }
    if (ls_time_parse_duration(arg, &v) != APR_SUCCESS || v > 600) {
        return apr_psprintf(cmd->pool,
                            "%s: '%s' is not a duration "
                            "from 1s to 10m",
                            cmd->cmd->name, arg);
    }
    ls_config_cmd_conf(cmd)->smtp_timeout = (int)v;
    return NULL;
}

const char *ls_config_set_mail_retry(cmd_parms *cmd, void *d, const char *first,
                                     const char *giveup)
{
    ls_server_conf *sc = ls_config_cmd_conf(cmd);
    const char *err = ap_check_cmd_context(cmd, GLOBAL_ONLY);
    apr_int64_t a, b;

    (void)d;
    if (err) {
        return err;
    }
    if (ls_time_parse_duration(first, &a) != APR_SUCCESS
        || ls_time_parse_duration(giveup, &b) != APR_SUCCESS || a > b
        || b > 30 * 86400) {
        return apr_psprintf(cmd->pool,
                            "%s: '%s %s' is not two "
                            "durations, the first retry delay and the age at "
                            "which to give up (at most 30d), e.g. 1m 1d",
                            cmd->cmd->name, first, giveup);
    }
    sc->mail_retry = a;
    sc->mail_giveup = b;
    return NULL;
}

int ls_config_mail_configured(const server_rec *s)
{
    return ls_config_get(s)->smtp_server != NULL;
}

int ls_config_mail_external(const server_rec *s, const char *email)
{
    return ls_mail_is_external(ls_config_get(s)->org_domains, email);
}

/* Mail settings only make sense together; the main server's apply to
 * every virtual host (one worker pool sends all mail). */
int ls_config_check_mail(server_rec *s, ls_server_conf *sc)
{
    if (sc->smtp_server == NULL) {
        if (sc->smtp_user || sc->mail_from) {
            LS_STARTUP_ERR(
                s, LS_TAG(00020) "%s is set but LinkShareSMTPServer is "
                                 "not: give the SMTP server that share mail "
                                 "goes through, or remove it",
                          sc->smtp_user ? "LinkShareSMTPAuth"
                                        : "LinkShareMailFrom");
            return 1;
        }
        return 0;
    }
    if (sc->mail_from == NULL) {
        LS_STARTUP_ERR(
            s, LS_TAG(00021) "LinkShareMailFrom is required with "
                             "LinkShareSMTPServer: it is the sender address of "
                             "share mail, e.g. linkshare@example.com");
        return 1;
    }
    return 0;
}
