/* ls_api_shares: the sharer API's shares: POST and GET .../shares,
 * GET, PATCH and DELETE .../shares/ID, POST .../shares/ID/resend and
 * .../shares/ID/recipients (see
 * API.md). Permission, expiry limits and the mail queued with a share are
 * checked here before anything is stored. Glue unit. */
#include "httpd.h"
#include "http_config.h"
#include "http_core.h"
#include "http_log.h"
#include "http_protocol.h"
#include "http_request.h"
#include "apr_strings.h"

#include "ls_api_int.h"
#include "ls_apireq.h"
#include "ls_cache.h"
#include "ls_http.h"
#include "ls_mailer.h"
#include "ls_password.h"
#include "ls_query.h"
#include "ls_rendition.h"
#include "ls_tag.h"
#include "ls_text.h"
#include "ls_time.h"
#include "ls_url.h"
#include "ls_worker.h"

#include <openssl/crypto.h>

APLOG_USE_MODULE(linkshare);

static const char *share_state(const ls_share_t *sh, apr_int64_t now)
{
    return sh->revoked              ? "revoked"
           : sh->expires <= now     ? "expired"
           : LS_SHARE_EXHAUSTED(sh) ? "exhausted"
                                    : "active";
}

/* The link of an active share, opened from its sealed token, for its
 * owner or an admin (share_load and share_list only hand out those):
 * NULL when it has ended or was made before tokens were kept sealed. */
static const char *share_link(ls_api_ctx *c, const ls_share_t *sh)
{
    char token[LS_TOKEN_LEN + 1];
    const char *url;

    if (sh->revoked || sh->expires <= c->now || sh->sealed_token == NULL
        || ls_mailer_unseal(sh->sealed_token, token) != APR_SUCCESS) {
        return NULL;
    }
    url = ls_url_share(c->r->pool, c->sc->public_url, LS_URL_PAGE, token, NULL);
    OPENSSL_cleanse(token, sizeof(token));
    return url;
}

/* url: the link just made (create), else NULL: share_link's. */
static json_t *share_json(ls_api_ctx *c, const ls_share_t *sh, const char *url)
{
    apr_pool_t *p = c->r->pool;
    json_t *items = json_array(), *rcpts = json_array(), *o;
    int i, is_dir;

    for (i = 0; i < sh->items->nelts; i++) {
        const ls_item_t *it = &APR_ARRAY_IDX(sh->items, i, ls_item_t);
        int avail = ls_api_asset_exists(c, it->path, &is_dir)
                    && is_dir == (strcmp(it->kind, "folder") == 0);
        json_array_append_new(items,
                              json_pack("{s:s,s:s,s:b}", "path", it->path,
                                        "kind", it->kind, "available", avail));
    }
    for (i = 0; i < sh->recipients->nelts; i++) {
        const ls_recipient_t *rc = &APR_ARRAY_IDX(sh->recipients, i,
                                                  ls_recipient_t);
        json_array_append_new(
            rcpts,
            json_pack("{s:s,s:b,s:s,s:s?,s:i}", "email", rc->email, "external",
                      rc->external, "mail_state", rc->mail_state, "mail_reply",
                      rc->mail_reply, "mail_attempts", rc->mail_attempts));
    }
    o = json_pack(
        "{s:s,s:s,s:s,s:s,s:b,s:s,s:o,s:o,s:I}", "id", sh->id, "owner",
        sh->owner, "created", ls_time_format_rfc3339(p, sh->created), "expires",
        ls_time_format_rfc3339(p, sh->expires), "allow_original",
        sh->allow_original, "state", share_state(sh, c->now), "items", items,
        "recipients", rcpts, "downloads", (json_int_t)sh->downloads);
    json_object_set_new(o, "name",
                        sh->name ? json_string(sh->name) : json_null());
    /* Whether there is a password, never anything of it. */
    json_object_set_new(o, "password_protected",
                        json_boolean(sh->password_hash != NULL));
    json_object_set_new(o, "max_downloads",
                        sh->max_downloads > 0 ? json_integer(sh->max_downloads)
                                              : json_null());
    if (url == NULL) {
        url = share_link(c, sh);
    }
    if (url) {
        json_object_set_new(o, "url", json_string(url));
    }
    if (sh->collection_id) {
        json_object_set_new(o, "collection", json_string(sh->collection_id));
    }
    if (sh->subject) {
        json_object_set_new(o, "subject", json_string(sh->subject));
    }
    if (sh->message) {
        json_object_set_new(o, "message", json_string(sh->message));
    }
    return o;
}

static int check_expiry(ls_api_ctx *c, apr_int64_t expires, const char **why)
{
    if (expires <= c->now) {
        *why = "Field \"expires\" is in the past; choose a later date and "
               "time.";
        return HTTP_BAD_REQUEST;
    }
    if (expires > c->now + c->sc->max_expiry) {
        *why = apr_psprintf(
            c->r->pool,
            "Field \"expires\" is too far ahead: links may "
            "last at most %" APR_INT64_T_FMT " days (until "
            "%s).",
            c->sc->max_expiry / 86400,
            ls_time_format_rfc3339(c->r->pool, c->now + c->sc->max_expiry));
        return HTTP_BAD_REQUEST;
    }
    return 0;
}

/* Where the sharer's own mail goes (Reply-To, delivery receipts): the
 * user name when it is an address (as with most OIDC and LDAP-by-mail
 * setups), else USER@ the first LinkShareOrgDomain, else nowhere. */
static const char *sharer_address(ls_api_ctx *c)
{
    const char *u = c->r->user, *a;

    if (ls_mail_address_ok(u)) {
        return u;
    }
    if (c->sc->org_domains && c->sc->org_domains->nelts > 0) {
        a = apr_pstrcat(c->r->pool, u, "@",
                        APR_ARRAY_IDX(c->sc->org_domains, 0, const char *),
                        NULL);
        return ls_mail_address_ok(a) ? a : NULL;
    }
    return NULL;
}

/* How mail names the sharer: LinkShareDisplayNameVar's variable when
 * httpd's authentication set it for this request (mod_authnz_ldap's
 * AUTHENTICATE_CN, ...), else the user name; controls removed, at most
 * LS_SHARER_NAME_MAX characters (it becomes the From name). */
#define LS_SHARER_NAME_MAX 100
static const char *sharer_name(ls_api_ctx *c)
{
    const char *var = c->sc->display_name_var, *name = NULL;

    if (var) {
        name = ls_mail_clean_name(c->r->pool,
                                  apr_table_get(c->r->subprocess_env, var),
                                  LS_SHARER_NAME_MAX);
    }
    if (name == NULL) {
        name = ls_mail_clean_name(c->r->pool, c->r->user, LS_SHARER_NAME_MAX);
    }
    return name ? name : ls_text("Someone");
}

/* LinkShareOriginalsChoice readonly|hidden: the sharer may not choose
 * otherwise than LinkShareAllowOriginals. 0, or 403 answered. */
static int check_originals(ls_api_ctx *c, int wanted)
{
    if (wanted < 0 || c->sc->originals_choice == LS_CHOICE_EDITABLE
        || wanted == c->sc->allow_originals) {
        return 0;
    }
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, c->r,
                  LS_TAG(00261) "user %s may not set allow_original to %s "
                                "(LinkShareOriginalsChoice)",
                         c->r->user, wanted ? "true" : "false");
    ls_http_json_error(c->r, HTTP_FORBIDDEN,
                       c->sc->allow_originals
                           ? "Field \"allow_original\": on this server "
                             "shared links always include original files."
                           : "Field \"allow_original\": on this server "
                             "shared links never include original files.");
    return HTTP_FORBIDDEN;
}

/* The password's stored form (ls_password_hash: ~0.1 s of CPU, 32 MiB,
 * only for the sharer who sets it). NULL after answering 500. */
static const char *password_hash(ls_api_ctx *c, const char *pw, apr_size_t len)
{
    const char *enc = NULL;

    if (ls_password_hash(c->r->pool, pw, len, NULL, &enc) != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, c->r,
                      LS_TAG(00265) "the password could not be hashed "
                                    "(scrypt failed)");
        ls_http_json_error(c->r, HTTP_INTERNAL_SERVER_ERROR,
                           "The server could not store the password.");
        return NULL;
    }
    return enc;
}

static int password_required(ls_api_ctx *c, const char *what)
{
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, c->r,
                  LS_TAG(00260) "user %s: %s refused, a password is required "
                                "(LinkShareRequirePassword)",
                         c->r->user, what);
    return ls_http_json_error(c->r, HTTP_BAD_REQUEST,
                              "Field \"password\" is required: on this "
                              "server every shared link needs a password "
                              "(8 to 256 characters).");
}

static int share_create(ls_api_ctx *c)
{
    request_rec *r = c->r;
    ls_share_req_t *req;
    ls_share_t sh;
    apr_array_header_t *paths;
    const char *body, *why = NULL, *err = NULL, *url;
    const char *sender_email;
    char token[LS_TOKEN_LEN + 1], hash[LS_HASH_HEX_LEN + 1];
    char sealed[LS_SEALED_LEN + 1];
    char *id = apr_palloc(r->pool, LS_ID_LEN + 1);
    ls_share_mail_t mail;
    apr_size_t len;
    apr_status_t rv;
    int i, status;

    if ((status = ls_api_read_json(c, &body, &len)) != OK) {
        return OK;
    }
    if (ls_apireq_share_create(r->pool, body, len, &req, &why)) {
        return ls_api_bad_request(c, why);
    }
    if (req->recipients->nelts > 0 && !ls_config_mail_configured(r->server)) {
        return ls_api_bad_request(
            c, "Field \"recipients\": email is not set up on "
               "this server, so the link cannot be sent. "
               "Share without recipients and pass the link "
               "on yourself.");
    }
    if (req->receipt && !ls_config_mail_configured(r->server)) {
        return ls_api_bad_request(c,
                                  "Field \"receipt\": email is not set up on "
                                  "this server, so no receipt can be sent.");
    }
    if (req->password == NULL && c->sc->require_password) {
        return password_required(c, "a share without a password");
    }
    if (check_originals(c, req->allow_original) != 0) {
        return OK;
    }
    sender_email = sharer_address(c);
    if (req->receipt && sender_email == NULL) {
        return ls_api_bad_request(c,
                                  "Field \"receipt\": your user name is not an "
                                  "email address, so there is nowhere to send "
                                  "the receipt.");
    }
    memset(&sh, 0, sizeof(sh));
    sh.expires = req->has_expires ? req->expires
                                  : c->now + c->sc->default_expiry;
    if ((status = check_expiry(c, sh.expires, &why)) != 0) {
        return ls_api_bad_request(c, why);
    }
    paths = req->paths;
    if (req->collection) {
        ls_collection_t *co;
        rv = ls_store_collection_get(c->store, r->pool, req->collection, &co,
                                     &err);
        if (rv == APR_NOTFOUND
            || (rv == APR_SUCCESS && !c->admin
                && strcmp(co->owner, r->user) != 0)) {
            return ls_api_bad_request(c,
                                      "Field \"collection\": there is no such "
                                      "collection.");
        }
        if (rv != APR_SUCCESS) {
            return ls_api_store_failed(c, rv, err);
        }
        paths = apr_array_append(r->pool, req->paths, co->paths);
        sh.collection_id = co->id;
    }
    sh.items = apr_array_make(r->pool, paths->nelts, sizeof(ls_item_t));
    for (i = 0; i < paths->nelts; i++) {
        ls_item_t *it;
        const char *path = APR_ARRAY_IDX(paths, i, const char *), *kind;
        int j, dup = 0;
        for (j = 0; j < sh.items->nelts; j++) {
            dup |= strcmp(APR_ARRAY_IDX(sh.items, j, ls_item_t).path, path)
                   == 0;
        }
        if (dup) {
            continue;
        }
        status = ls_api_check_asset(
            c, i < req->paths->nelts ? "paths" : "collection",
            i < req->paths->nelts ? i + 1 : i + 1 - req->paths->nelts, path,
            &kind, &why);
        if (status == HTTP_FORBIDDEN) {
            return ls_http_json_error(r, HTTP_FORBIDDEN, why);
        }
        if (status != 0) {
            return ls_api_bad_request(c, why);
        }
        it = apr_array_push(sh.items);
        it->path = path;
        it->kind = kind;
    }
    if (ls_token_generate(token) != APR_SUCCESS
        || ls_id_generate(id) != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      LS_TAG(00206) "the random number generator failed");
        return ls_http_json_error(r, HTTP_INTERNAL_SERVER_ERROR,
                                  "The server could not create a link.");
    }
    ls_token_hash(token, hash);
    sh.id = id;
    sh.owner = r->user;
    sh.created = c->now;
    /* Absent: LinkShareAllowOriginals. */
    sh.allow_original = req->allow_original < 0 ? c->sc->allow_originals
                                                : req->allow_original;
    sh.max_downloads = req->max_downloads;
    if (req->password
        && (sh.password_hash = password_hash(c, req->password,
                                             req->password_len))
               == NULL) {
        return OK;
    }
    sh.subject = req->subject;
    sh.message = req->message;
    sh.name = req->name;
    sh.recipients = apr_array_make(r->pool, req->recipients->nelts,
                                   sizeof(ls_recipient_t));
    for (i = 0; i < req->recipients->nelts; i++) {
        ls_recipient_t *rc = apr_array_push(sh.recipients);
        rc->email = APR_ARRAY_IDX(req->recipients, i, const char *);
        rc->external = ls_config_mail_external(r->server, rc->email);
        rc->mail_state = "queued";
    }
    /* Kept sealed: Shared Links shows the link again, and the workers
     * build the mail's link from it later. Without the key (logged at
     * startup, LS00520) the share simply has no link to show again. */
    if (ls_mailer_seal(token, sealed) == APR_SUCCESS) {
        sh.sealed_token = sealed;
    }
    if (req->recipients->nelts > 0 || req->receipt) {
        if (sh.sealed_token == NULL) {
            ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                          LS_TAG(00215) "the share link cannot be sealed for "
                                        "mail");
            return ls_http_json_error(r, HTTP_INTERNAL_SERVER_ERROR,
                                      "The server could not prepare the "
                                      "mail.");
        }
        memset(&mail, 0, sizeof(mail));
        mail.sealed_token = sealed;
        mail.link_base = c->sc->public_url;
        mail.sender = sharer_name(c);
        mail.sender_email = sender_email;
        mail.receipt = req->receipt;
        sh.mail = &mail;
    }
    rv = ls_store_share_insert(c->store, r->pool, &sh, hash, &err);
    if (rv != APR_SUCCESS) {
        return ls_api_store_failed(c, rv, err);
    }
    if (sh.mail) {
        ls_worker_wake(); /* the mail goes now, not at the next poll */
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      LS_TAG(00216) "share %s: %d mail(s) queued%s", sh.id,
                             sh.recipients->nelts,
                             req->receipt ? ", delivery receipts on" : "");
    }
    ap_log_rerror(
        APLOG_MARK, APLOG_INFO, 0, r,
        LS_TAG(00207) "user %s shared %d item(s) as share %s, expires "
                      "%s%s%s",
               r->user, sh.items->nelts, sh.id,
               ls_time_format_rfc3339(r->pool, sh.expires),
               sh.password_hash ? ", with a password" : "",
               sh.max_downloads > 0 ? apr_psprintf(
                   r->pool, ", at most %" APR_INT64_T_FMT " downloads",
                   sh.max_downloads)
                                    : "");
    url = ls_url_share(r->pool, c->sc->public_url, LS_URL_PAGE, token, NULL);
    /* Built from the API's own Location and our id, never request text
     * (escaped all the same: a <LocationMatch> base is matched text). */
    apr_table_setn(r->headers_out, "Location",
                   apr_pstrcat(r->pool, ap_escape_uri(r->pool, c->base),
                               "/shares/", sh.id, NULL));
    ls_rendition_queue_share(r, &sh);
    return ls_http_json(r, HTTP_CREATED, share_json(c, &sh, url));
}

static int share_list(ls_api_ctx *c)
{
    const char *all = NULL, *err = NULL;
    apr_array_header_t *list;
    json_t *arr = json_array();
    apr_status_t rv;
    int i;

    ls_query_get(c->r->pool, c->r->args, "all", &all);
    if (all && strcmp(all, "0") != 0 && !c->admin) {
        json_decref(arr);
        return ls_http_json_error(c->r, HTTP_FORBIDDEN,
                                  "Only administrators may list every "
                                  "share.");
    }
    rv = ls_store_share_list(c->store, c->r->pool,
                             all && strcmp(all, "0") != 0 ? NULL : c->r->user,
                             &list, &err);
    if (rv != APR_SUCCESS) {
        json_decref(arr);
        return ls_api_store_failed(c, rv, err);
    }
    for (i = 0; i < list->nelts; i++) {
        json_array_append_new(
            arr, share_json(c, APR_ARRAY_IDX(list, i, ls_share_t *), NULL));
    }
    return ls_http_json(c->r, HTTP_OK, json_pack("{s:o}", "shares", arr));
}

/* Loads a share the caller may see: their own, or any for an admin.
 * Others' shares answer 404 so their ids reveal nothing. */
static int share_load(ls_api_ctx *c, const char *id, ls_share_t **sh)
{
    const char *err = NULL;
    apr_status_t rv = APR_NOTFOUND;

    if (ls_id_well_formed(id)) {
        rv = ls_store_share_get(c->store, c->r->pool, id, sh, &err);
    }
    if (rv == APR_SUCCESS && !c->admin && strcmp((*sh)->owner, c->r->user)) {
        rv = APR_NOTFOUND;
    }
    if (rv == APR_NOTFOUND) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, c->r,
                      LS_TAG(00208) "no share %s for user %s",
                             ls_id_well_formed(id) ? id : "(malformed id)",
                             c->r->user);
        ls_http_json_error(c->r, HTTP_NOT_FOUND, "There is no such share.");
        return HTTP_NOT_FOUND;
    }
    if (rv != APR_SUCCESS) {
        ls_api_store_failed(c, rv, err);
        return HTTP_SERVICE_UNAVAILABLE;
    }
    return OK;
}

/* Applies a checked change: the name (a revoked share may still be
 * renamed, to tell it apart in the list), then the expiry. */
static int share_patch(ls_api_ctx *c, ls_share_t *sh,
                       const ls_share_patch_t *pt)
{
    request_rec *r = c->r;
    const char *err = NULL;
    apr_status_t rv;

    if (pt->has_name) {
        rv = ls_store_share_set_name(c->store, r->pool, sh->id, pt->name, &err);
        if (rv != APR_SUCCESS) {
            return ls_api_store_failed(c, rv, err);
        }
        sh->name = pt->name;
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      LS_TAG(00521) "user %s %s share %s", r->user,
                             pt->name ? "renamed" : "removed the name of",
                             sh->id);
    }
    if (pt->has_password) {
        const char *enc = NULL;
        if (pt->password
            && (enc = password_hash(c, pt->password, pt->password_len))
                   == NULL) {
            return OK;
        }
        rv = ls_store_share_set_password(c->store, r->pool, sh->id, enc, &err);
        if (rv != APR_SUCCESS) {
            return ls_api_store_failed(c, rv, err);
        }
        sh->password_hash = enc;
        sh->password_gen++;
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      LS_TAG(00262) "user %s %s share %s (earlier unlocks "
                                    "end)",
                             r->user,
                             enc ? "set a new password on"
                                 : "removed the password of",
                             sh->id);
    }
    if (pt->has_max_downloads) {
        rv = ls_store_share_set_max_downloads(c->store, r->pool, sh->id,
                                              pt->max_downloads, &err);
        if (rv != APR_SUCCESS) {
            return ls_api_store_failed(c, rv, err);
        }
        sh->max_downloads = pt->max_downloads;
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      LS_TAG(00263) "user %s set the download limit of share "
                                    "%s to %s",
                             r->user, sh->id,
                             pt->max_downloads > 0
                                 ? apr_psprintf(r->pool, "%" APR_INT64_T_FMT,
                                                pt->max_downloads)
                                 : "none");
    }
    if (pt->has_expires) {
        rv = ls_store_share_set_expiry(c->store, r->pool, sh->id, pt->expires,
                                       &err);
        if (rv != APR_SUCCESS) {
            return ls_api_store_failed(c, rv, err);
        }
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      LS_TAG(00210) "user %s set share %s to expire %s",
                             r->user, sh->id,
                             ls_time_format_rfc3339(r->pool, pt->expires));
        sh->expires = pt->expires;
    }
    ls_cache_invalidate();
    return ls_http_json(r, HTTP_OK, share_json(c, sh, NULL));
}

int ls_api_share(ls_api_ctx *c, const char *id)
{
    request_rec *r = c->r;
    ls_share_t *sh;
    const char *body, *why = NULL, *err = NULL;
    apr_size_t len;
    ls_share_patch_t pt;
    apr_status_t rv;

    if (r->method_number != M_GET && r->method_number != M_DELETE
        && strcmp(r->method, "PATCH") != 0) {
        return ls_api_method_not_allowed(c, "GET, PATCH, DELETE");
    }
    if (share_load(c, id, &sh) != OK) {
        return OK;
    }
    if (r->method_number == M_GET) {
        return ls_http_json(r, HTTP_OK, share_json(c, sh, NULL));
    }
    if (r->method_number == M_DELETE) {
        if (!sh->revoked) {
            rv = ls_store_share_revoke(c->store, r->pool, sh->id, c->now, &err);
            if (rv != APR_SUCCESS && rv != APR_NOTFOUND) {
                return ls_api_store_failed(c, rv, err);
            }
            ls_cache_invalidate();
            ls_worker_wake_cleanup(); /* its archives go now */
            ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                          LS_TAG(00209) "user %s revoked share %s", r->user,
                                 sh->id);
        }
        r->status = HTTP_NO_CONTENT;
        return OK;
    }
    if (ls_api_read_json(c, &body, &len) != OK) {
        return OK;
    }
    if (ls_apireq_share_patch(r->pool, body, len, &pt, &why)
        || (pt.has_expires && check_expiry(c, pt.expires, &why))) {
        return ls_api_bad_request(c, why);
    }
    if (pt.has_password && pt.password == NULL && c->sc->require_password) {
        return password_required(c, "removing a share's password");
    }
    if (sh->revoked && pt.has_expires) {
        return ls_http_json_error(r, HTTP_CONFLICT,
                                  "This share was revoked; create a new one "
                                  "instead.");
    }
    return share_patch(c, sh, &pt);
}

/* POST .../shares/ID/resend {"email": ...}: that recipient's mail is
 * queued again, now. */
int ls_api_share_resend(ls_api_ctx *c, const char *id)
{
    request_rec *r = c->r;
    ls_share_t *sh;
    const char *body, *email = NULL, *why = NULL, *err = NULL;
    apr_size_t len;
    apr_status_t rv;

    if (r->method_number != M_POST) {
        return ls_api_method_not_allowed(c, "POST");
    }
    if (share_load(c, id, &sh) != OK) {
        return OK;
    }
    if (ls_api_read_json(c, &body, &len) != OK) {
        return OK;
    }
    if (ls_apireq_resend(r->pool, body, len, &email, &why)) {
        return ls_api_bad_request(c, why);
    }
    if (!ls_config_mail_configured(r->server)) {
        return ls_api_bad_request(c,
                                  "Email is not set up on this server, so the "
                                  "link cannot be sent.");
    }
    if (sh->revoked || sh->expires <= c->now) {
        return ls_http_json_error(r, HTTP_CONFLICT,
                                  "This share has ended; create a new one "
                                  "instead.");
    }
    rv = ls_store_mail_resend(c->store, r->pool, sh->id, email, c->now, &err);
    if (rv == APR_NOTFOUND) {
        return ls_http_json_error(r, HTTP_NOT_FOUND,
                                  "This share was not sent to that "
                                  "address.");
    }
    if (rv != APR_SUCCESS) {
        return ls_api_store_failed(c, rv, err);
    }
    ls_worker_wake();
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                  LS_TAG(00217) "user %s queued share %s's mail to %s again",
                         r->user, sh->id, email);
    if (share_load(c, id, &sh) != OK) {
        return OK;
    }
    return ls_http_json(r, HTTP_ACCEPTED, share_json(c, sh, NULL));
}

/* How many of addrs the share was not sent to yet. */
static int new_addresses(const ls_share_t *sh, const apr_array_header_t *addrs)
{
    int i, j, n = 0;

    for (i = 0; i < addrs->nelts; i++) {
        const char *a = APR_ARRAY_IDX(addrs, i, const char *);
        for (j = 0; j < sh->recipients->nelts; j++) {
            if (strcasecmp(
                    APR_ARRAY_IDX(sh->recipients, j, ls_recipient_t).email, a)
                == 0) {
                break;
            }
        }
        n += j == sh->recipients->nelts;
    }
    return n;
}

/* POST .../shares/ID/recipients {"recipients": [...], "subject"?,
 * "message"?, "receipt"?}: the link of a share made earlier mailed to
 * more people (the dialog's "Send by email" after Share). The link comes
 * from the share's sealed token, so the token is never sent again by the
 * browser; an address already sent to gets its mail again. */
int ls_api_share_mail(ls_api_ctx *c, const char *id)
{
    request_rec *r = c->r;
    ls_share_t *sh, add;
    ls_share_mail_req_t req;
    ls_share_mail_t mail;
    const char *body, *why = NULL, *err = NULL;
    apr_size_t len;
    apr_status_t rv;
    int i;

    if (r->method_number != M_POST) {
        return ls_api_method_not_allowed(c, "POST");
    }
    if (share_load(c, id, &sh) != OK
        || ls_api_read_json(c, &body, &len) != OK) {
        return OK;
    }
    if (ls_apireq_share_mail(r->pool, body, len, &req, &why)) {
        return ls_api_bad_request(c, why);
    }
    if (!ls_config_mail_configured(r->server)) {
        return ls_api_bad_request(c,
                                  "Email is not set up on this server, so the "
                                  "link cannot be sent. Copy the link and "
                                  "pass it on yourself.");
    }
    if (sh->revoked || sh->expires <= c->now) {
        return ls_http_json_error(r, HTTP_CONFLICT,
                                  "This share has ended; create a new one "
                                  "instead.");
    }
    if (sh->recipients->nelts + new_addresses(sh, req.recipients)
        > LS_API_MAX_RECIPIENTS) {
        return ls_api_bad_request(
            c, apr_psprintf(r->pool,
                            "Field \"recipients\": a link can be sent to at "
                            "most %d addresses, and this one has %d already.",
                            LS_API_MAX_RECIPIENTS, sh->recipients->nelts));
    }
    memset(&mail, 0, sizeof(mail));
    mail.sender_email = sharer_address(c);
    if (req.receipt && mail.sender_email == NULL) {
        return ls_api_bad_request(c,
                                  "Field \"receipt\": your user name is not an "
                                  "email address, so there is nowhere to send "
                                  "the receipt.");
    }
    if (sh->sealed_token == NULL) {
        /* Made before links were kept (schema v5), or without the key. */
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r,
                      LS_TAG(00219) "share %s has no sealed link to mail",
                             sh->id);
        return ls_http_json_error(r, HTTP_CONFLICT,
                                  "This link was made before links could be "
                                  "sent later; create a new share to send "
                                  "it.");
    }
    mail.sealed_token = sh->sealed_token;
    mail.link_base = c->sc->public_url;
    mail.sender = sharer_name(c);
    mail.receipt = req.receipt;
    memset(&add, 0, sizeof(add));
    add.id = sh->id;
    add.subject = req.subject;
    add.message = req.message;
    add.mail = &mail;
    add.recipients = apr_array_make(r->pool, req.recipients->nelts,
                                    sizeof(ls_recipient_t));
    for (i = 0; i < req.recipients->nelts; i++) {
        ls_recipient_t *rc = apr_array_push(add.recipients);
        rc->email = APR_ARRAY_IDX(req.recipients, i, const char *);
        rc->external = ls_config_mail_external(r->server, rc->email);
    }
    rv = ls_store_mail_add(c->store, r->pool, &add, c->now, &err);
    if (rv != APR_SUCCESS) {
        return ls_api_store_failed(c, rv, err);
    }
    ls_worker_wake();
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                  LS_TAG(00218) "user %s queued share %s's mail to %d more "
                                "recipient(s)%s",
                         r->user, sh->id, add.recipients->nelts,
                         req.receipt ? ", delivery receipts on" : "");
    if (share_load(c, id, &sh) != OK) {
        return OK;
    }
    return ls_http_json(r, HTTP_ACCEPTED, share_json(c, sh, NULL));
}

int ls_api_shares(ls_api_ctx *c)
{
    return c->r->method_number == M_POST ? share_create(c)
           : c->r->method_number == M_GET
               ? share_list(c)
               : ls_api_method_not_allowed(c, "GET, "
                                              "POST");
}

int ls_api_share_visible(ls_api_ctx *c, const char *id, ls_share_t **sh)
{
    return share_load(c, id, sh);
}
