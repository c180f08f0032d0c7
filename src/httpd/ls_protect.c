/* ls_protect: the password lock and the download limit of the public
 * URLs (see ls_protect.h). */
#include "httpd.h"
#include "http_config.h"
#include "http_log.h"
#include "http_protocol.h"
#include "http_request.h"
#include "apr_atomic.h"
#include "apr_strings.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "ls_cache.h"
#include "ls_config.h"
#include "ls_html.h"
#include "ls_http.h"
#include "ls_mailer.h"
#include "ls_password.h"
#include "ls_proc.h"
#include "ls_activity_log.h"
#include "ls_protect.h"
#include "ls_query.h"
#include "ls_tag.h"
#include "ls_text.h"
#include "ls_throttle.h"
#include "ls_url.h"
#include "ls_view_message.h"
#include "ls_view_unlock.h"

APLOG_USE_MODULE(linkshare);

/* Set in the parent before the children fork; read-only afterwards. */
static unsigned char unlock_key[LS_UNLOCK_KEY_LEN];
static volatile apr_uint32_t checks_running; /* this process's KDF runs */

#define COOKIE_PREFIX "lsu_" /* + the share's id: one cookie per link */
#define FORM_MAX      4096   /* an unlock form's body, bytes */
#define TAKEN_KEY     "linkshare-download-taken"

void ls_protect_post_config(server_rec *s)
{
    if (ls_mailer_derive_key("linkshare unlock cookie v1", unlock_key)
        == APR_SUCCESS) {
        return;
    }
    if (RAND_bytes(unlock_key, sizeof(unlock_key)) != 1) {
        /* Never a known key: every cookie then fails to verify. */
        memset(unlock_key, 0, sizeof(unlock_key));
    }
    ap_log_error(APLOG_MARK, APLOG_WARNING, 0, s,
                 LS_TAG(00065) "no sealing key (LinkShareStateDir/mail.key): "
                               "unlocks of password-protected links last "
                               "until httpd restarts and hold on this host "
                               "only");
}

/* ---- the lock ---- */

static int cookie_ok(request_rec *r, const ls_share_t *sh)
{
    const char *c = apr_table_get(r->headers_in, "Cookie"), *v;
    const char *name = apr_pstrcat(r->pool, COOKIE_PREFIX, sh->id, "=", NULL);
    apr_size_t n = strlen(name);
    apr_int64_t now = apr_time_sec(r->request_time);

    for (v = c; v && (v = strstr(v, name)) != NULL; v += n) {
        if (v == c || v[-1] == ' ' || v[-1] == ';') {
            const char *end = strchr(v + n, ';');
            const char *val = end ? apr_pstrmemdup(r->pool, v + n,
                                                   end - (v + n))
                                  : v + n;
            if (ls_password_cookie_ok(unlock_key, val, sh->id, sh->password_gen,
                                      now)) {
                return 1;
            }
        }
    }
    return 0;
}

static int is_https(request_rec *r)
{
    return strcmp(ap_http_scheme(r), "https") == 0
           || strncmp(ls_config_get(r->server)->public_url, "https:", 6) == 0;
}

/* The page a recipient comes back to after unlocking. */
static const char *page_url(request_rec *r, const ls_req_t *req)
{
    return ls_url_share(r->pool, ls_config_get(r->server)->public_url,
                        LS_URL_PAGE, req->token, NULL);
}

/* What the password form carries to come back after unlocking: the
 * folder of a Link Share page (no op) or the file of a preview the
 * recipient opened ("&path=...", "&view=preview"); nothing for an op
 * (a download link lands on the page). */
static const char *return_to(request_rec *r, const ls_req_t *req)
{
    const char *path = NULL, *op = NULL;

    if (ls_query_get(r->pool, r->args, "path", &path) != APR_SUCCESS
        || path == NULL || *path == '\0') {
        return "";
    }
    ls_query_get(r->pool, r->args, "op", &op);
    if (op && strcmp(op, "unlock") == 0) {
        /* A wrong password: the form again, still going back there. */
        const char *view = NULL;

        ls_query_get(r->pool, r->args, "view", &view);
        return apr_pstrcat(
            r->pool, "&path=", ls_url_qenc(r->pool, path),
            view && strcmp(view, "preview") == 0 ? "&view=preview" : "", NULL);
    }
    if (req->kind == LS_KIND_PREVIEW) {
        return apr_pstrcat(r->pool, "&path=", ls_url_qenc(r->pool, path),
                           "&view=preview", NULL);
    }
    if (op) {
        return "";
    }
    return apr_pstrcat(r->pool, "&path=", ls_url_qenc(r->pool, path), NULL);
}

/* Script requests (inbox, queue, cancel, remove, events by fetch) read
 * JSON; a browser that navigates or posts a form gets the page. */
static int wants_json(request_rec *r)
{
    const char *op = NULL, *accept = apr_table_get(r->headers_in, "Accept");

    return ls_query_get(r->pool, r->args, "op", &op) == APR_SUCCESS
           && (!strcmp(op, "inbox") || !strcmp(op, "events")
               || !strcmp(op, "queue") || !strcmp(op, "cancel")
               || !strcmp(op, "remove"))
           && !(accept && strstr(accept, "text/html"));
}

/* 401 with the password form (or {"error"} for a script): no name, no
 * owner, no item. No WWW-Authenticate: this is not HTTP authentication. */
static int locked(request_rec *r, ls_req_t *req, int status, const char *error)
{
    ls_view_unlock_t m;

    ls_http_public_headers(r, NULL);
    req->refused = 1;
    if (wants_json(r)) {
        ls_http_json_error(r, status,
                           ls_text("This link is protected by a password. "
                                   "Open it in a browser and enter the "
                                   "password."));
        return DONE;
    }
    memset(&m, 0, sizeof(m));
    m.action = apr_pstrcat(r->pool, page_url(r, req), "&op=unlock",
                           return_to(r, req), NULL);
    m.error = error;
    m.brand = ls_html_brand(r);
    ls_html_send(r, status, ls_view_unlock_page(r->pool, &m));
    return DONE;
}

/* 303 back to where the recipient was asked for the password (the
 * form's return_to): the folder of the Link Share page or the preview
 * they opened, else the page. Answered here (no handler runs, nothing is
 * counted). Only our own URLs: the path is a query value. */
static int see_page(request_rec *r, ls_req_t *req)
{
    const ls_server_conf *sc = ls_config_get(r->server);
    const char *path = NULL, *view = NULL, *to;

    ls_query_get(r->pool, r->args, "path", &path);
    ls_query_get(r->pool, r->args, "view", &view);
    if (path && *path && view && strcmp(view, "preview") == 0) {
        to = ls_url_share(
            r->pool, sc->public_url, LS_URL_PREVIEW, req->token,
            apr_pstrcat(r->pool, "&path=", ls_url_qenc(r->pool, path), NULL));
    }
    else if (path && *path) {
        to = ls_url_share(
            r->pool, sc->public_url, LS_URL_PAGE, req->token,
            apr_pstrcat(r->pool, "&path=", ls_url_qenc(r->pool, path), NULL));
    }
    else {
        to = page_url(r, req);
    }
    ls_http_public_headers(r, NULL);
    apr_table_setn(r->err_headers_out, "Location", to);
    req->refused = 1;
    r->status = HTTP_SEE_OTHER;
    ap_set_content_type(r, "text/plain; charset=utf-8");
    ap_rputs("See the shared files.\n", r);
    return DONE;
}

/* POST op=unlock: the password from the form. */
static int unlock(request_rec *r, ls_req_t *req)
{
    const ls_share_t *sh = req->share;
    const char *body = NULL, *pw = NULL;
    apr_size_t len = 0;
    apr_int64_t now = apr_time_sec(r->request_time), until;
    apr_status_t rv;
    int status = HTTP_BAD_REQUEST, blocked;

    /* A client past LinkShareGuessLimit costs no KDF run. */
    if ((blocked = ls_throttle_blocked(r)) != OK) {
        req->refused = 1;
        return blocked; /* 429 answered */
    }
    if (ls_http_read_body(r, FORM_MAX, &body, &len, &status) != APR_SUCCESS
        || ls_query_get(r->pool, body, "password", &pw) != APR_SUCCESS
        || *pw == '\0') {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      LS_TAG(00175) "share %s: unlock without a password "
                                    "(empty, unreadable or too large form)",
                             sh->id);
        return locked(r, req, HTTP_BAD_REQUEST,
                      ls_text("Enter the password to open the link."));
    }
    len = strlen(pw);
    if (!ls_password_length_ok(pw, len)) {
        rv = APR_EMISMATCH; /* no stored password is that long or short */
    }
    else {
        /* Each check holds 32 MiB and ~0.1 s of a CPU: a burst waits
         * for its turn in the browser, not in our memory. */
        if (apr_atomic_inc32(&checks_running) >= LS_PROTECT_CHECKS_MAX) {
            apr_atomic_dec32(&checks_running);
            ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r,
                          LS_TAG(00173) "share %s: %d password checks "
                                        "already running in this process; "
                                        "503",
                                 sh->id, LS_PROTECT_CHECKS_MAX);
            apr_table_setn(r->err_headers_out, "Retry-After", "1");
            ls_http_public_headers(r, NULL);
            req->refused = 1;
            ls_html_message(
                r, HTTP_SERVICE_UNAVAILABLE,
                ls_view_message_add(
                    ls_view_message_new(r->pool, ls_text("Please try again")),
                    ls_text("The server is busy checking passwords. Please "
                            "send the password again in a moment.")));
            return DONE;
        }
        rv = ls_password_verify(pw, len, sh->password_hash);
        apr_atomic_dec32(&checks_running);
    }
    OPENSSL_cleanse((char *)pw, len);
    if (rv == APR_EMISMATCH) {
        ls_throttle_miss(r); /* counts like a wrong token (#6) */
        ls_activity_record(r, sh->id, LS_ACTIVITY_UNLOCK_FAILED, NULL, NULL,
                           HTTP_UNAUTHORIZED, 0);
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      LS_TAG(00171) "share %s: wrong password", sh->id);
        return locked(r, req, HTTP_UNAUTHORIZED,
                      ls_text("That password is not right. Check it and try "
                              "again."));
    }
    if (rv != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, rv, r,
                      LS_TAG(00176) "share %s: the stored password cannot be "
                                    "checked (malformed or too costly)",
                             sh->id);
        ls_http_public_headers(r, NULL);
        req->refused = 1;
        ls_html_unavailable(r);
        return DONE;
    }
    until = now + ls_config_get(r->server)->unlock_ttl;
    if (until > sh->expires) {
        until = sh->expires;
    }
    apr_table_addn(r->err_headers_out, "Set-Cookie",
                   apr_psprintf(r->pool,
                                COOKIE_PREFIX
                                "%s=%s; Path=/; Max-Age=%" APR_INT64_T_FMT
                                "; HttpOnly; SameSite=Lax%s",
                                sh->id,
                                ls_password_cookie(r->pool, unlock_key, sh->id,
                                                   sh->password_gen, until),
                                until - now, is_https(r) ? "; Secure" : ""));
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                  LS_TAG(00172) "share %s unlocked until %" APR_INT64_T_FMT,
                         sh->id, until);
    return see_page(r, req);
}

static int is_unlock(request_rec *r)
{
    const char *op = NULL;

    return ls_query_get(r->pool, r->args, "op", &op) == APR_SUCCESS
           && strcmp(op, "unlock") == 0;
}

/* 410 for a link whose downloads are used up; the sharer's name only
 * to someone who may see the link. */
static int exhausted(request_rec *r, ls_req_t *req, int show_owner)
{
    ls_view_message_t *m;
    ls_view_para_t *who;

    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                  LS_TAG(00174) "share %s reached its download limit "
                                "(%" APR_INT64_T_FMT ")",
                         req->share->id, req->share->max_downloads);
    m = ls_view_message_new(r->pool, ls_text("This link has been used up"));
    m->kind = LS_MSG_EXPIRED;
    ls_view_message_add(m, ls_text("The download limit of this link was "
                                   "reached, so its files can no longer be "
                                   "downloaded here."));
    if (show_owner) {
        who = apr_array_push(m->paras);
        who->text = ls_text("It was shared by ");
        who->strong = req->share->owner;
        who->after = ls_text(". If you still need the files, ask them to "
                             "share them again.");
    }
    else {
        ls_view_message_add(m, ls_text("If you still need the files, ask the "
                                       "person who sent you the link to "
                                       "share them again."));
    }
    ls_http_public_headers(r, NULL);
    req->refused = 1;
    ls_html_message(r, HTTP_GONE, m);
    return DONE;
}

int ls_protect_check(request_rec *r, ls_req_t *req)
{
    const ls_share_t *sh = req->share;
    int unlocked = sh->password_hash == NULL || cookie_ok(r, sh);

    if (LS_SHARE_EXHAUSTED(sh)) {
        return exhausted(r, req, unlocked);
    }
    if (is_unlock(r)) {
        if (r->method_number == M_POST && sh->password_hash) {
            return unlock(r, req);
        }
        /* Nothing to unlock, or a GET of the form's URL: the page. */
        return see_page(r, req);
    }
    if (unlocked) {
        return DECLINED;
    }
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                  LS_TAG(00170) "share %s is protected by a password; "
                                "asking for it",
                         sh->id);
    return locked(r, req, HTTP_UNAUTHORIZED, NULL);
}

/* ---- the download limit ---- */

int ls_protect_take_download(request_rec *r)
{
    ls_req_t *req = ls_access_req(r);
    ls_store *st = ls_proc_store();
    const char *err = NULL;
    apr_status_t rv;

    if (req == NULL || req->share == NULL || req->share->max_downloads <= 0
        || r->header_only) {
        return OK;
    }
    rv = st ? ls_store_share_take_download(st, r->pool, req->share->id, &err)
            : APR_EGENERAL;
    if (rv == APR_NOTFOUND) {
        req->share->downloads = req->share->max_downloads;
        ls_cache_invalidate();
        return exhausted(r, req, 1);
    }
    if (rv != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, rv, r,
                      LS_TAG(00177) "share %s: cannot count a download "
                                    "against its limit: %s",
                             req->share->id, err ? err : "no store");
        ls_html_unavailable(r);
        return DONE;
    }
    apr_table_setn(r->notes, TAKEN_KEY, "1");
    /* Every process reads the new count at its next request: the last
     * download makes the link answer 410 everywhere at once. */
    ls_cache_invalidate();
    return OK;
}

int ls_protect_log(request_rec *r, int complete)
{
    ls_req_t *req = ls_access_req(r);
    ls_store *st = ls_proc_store();
    const char *err = NULL;

    if (apr_table_get(r->notes, TAKEN_KEY) == NULL || req == NULL
        || req->share == NULL) {
        return 0;
    }
    if (!complete && st) {
        /* A 206, a 304, a HEAD, an aborted transfer: not a download. */
        ls_store_share_add_downloads(st, r->pool, req->share->id, -1, &err);
        ls_cache_invalidate();
    }
    return 1;
}
