/* ls_api_browse: the read-only sharer API resources the Link Sharing dialog
 * reads (GET .../settings, .../assets?path=[&q=], .../recipients?q=). Routed by
 * ls_api_handler; shares and collections are ls_api_shares and
 * ls_api_collections. Glue unit. */
#include "httpd.h"
#include "http_log.h"
#include "http_protocol.h"
#include "apr_strings.h"

#include "ls_api_int.h"
#include "ls_apireq.h"
#include "ls_authz.h"
#include "ls_http.h"
#include "ls_password.h"
#include "ls_path.h"
#include "ls_query.h"
#include "ls_tag.h"
#include "ls_time.h"

APLOG_USE_MODULE(linkshare);

/* Most entries GET .../assets returns for one folder (the rest are
 * counted in "total" and flagged "truncated"). */
#define LS_API_MAX_LISTING 1000

/* Whether this server sends share mail (LinkShareSMTPServer), and the
 * domains whose addresses are not "External User" (LinkShareOrgDomain):
 * the dialog reads both from GET .../settings. */
static void mail_settings(ls_api_ctx *c, int *mail, json_t *org_domains)
{
    const apr_array_header_t *d = ls_config_get(c->r->server)->org_domains;
    int i;

    *mail = ls_config_mail_configured(c->r->server);
    for (i = 0; d && i < d->nelts; i++) {
        json_array_append_new(org_domains,
                              json_string(APR_ARRAY_IDX(d, i, const char *)));
    }
}

int ls_api_settings(ls_api_ctx *c)
{
    json_t *domains = json_array();
    int mail = 0;

    json_t *o;
    static const char *const choices[] = {"editable", "readonly", "hidden"};

    mail_settings(c, &mail, domains);
    o = json_pack("{s:s,s:b,s:b,s:o,s:I,s:I}", "user", c->r->user, "admin",
                  c->admin, "mail", mail, "org_domains", domains,
                  "default_expiry", (json_int_t)c->sc->default_expiry,
                  "max_expiry", (json_int_t)c->sc->max_expiry);
    /* Link protection: the originals policy and the password rules. */
    json_object_set_new(o, "allow_original",
                        json_boolean(c->sc->allow_originals));
    json_object_set_new(o, "originals_choice",
                        json_string(choices[c->sc->originals_choice]));
    json_object_set_new(o, "require_password",
                        json_boolean(c->sc->require_password));
    json_object_set_new(o, "password_min", json_integer(LS_PASSWORD_MIN));
    json_object_set_new(o, "password_max", json_integer(LS_PASSWORD_MAX));
    json_object_set_new(o, "max_downloads_max",
                        json_integer(LS_API_MAX_DOWNLOADS));
    return ls_http_json(c->r, HTTP_OK, o);
}

/* One folder's entries the caller may read, or NULL: the same
 * confinement as the public listing (ls_resolve_list: hidden files and
 * entries escaping the folder are left out) and, for each subfolder and
 * file, the permission httpd would apply to its URL. */
static apr_array_header_t *readable_entries(ls_api_ctx *c, apr_pool_t *p,
                                            const char *clean)
{
    apr_array_header_t *entries;
    ls_target_t t;
    const char *real;

    memset(&t, 0, sizeof(t));
    if (ls_path_confine(p, c->sc->asset_real,
                        ls_path_join(p, c->sc->asset_real, clean), &real)
            != APR_SUCCESS
        || apr_stat(&t.finfo, real, APR_FINFO_TYPE, p) != APR_SUCCESS
        || t.finfo.filetype != APR_DIR) {
        return NULL;
    }
    t.real = real; /* an item-less target: only the folder bounds it */
    t.asset_rel = clean;
    if (ls_resolve_list(p, c->sc->asset_real, NULL,
                        ls_authz_filter(c->r, c->r->user), &t, &entries)
        != APR_SUCCESS) {
        return NULL;
    }
    return entries;
}

static json_t *entry_json(request_rec *r, const char *folder,
                          const ls_entry_t *e)
{
    return json_pack("{s:s,s:s,s:s,s:I,s:s}", "name", e->name, "path",
                     ls_path_join(r->pool, folder, e->name), "kind",
                     e->is_dir ? "folder" : "file", "size",
                     (json_int_t)(e->is_dir ? 0 : e->size), "modified",
                     ls_time_format_rfc3339(r->pool, apr_time_sec(e->mtime)));
}

/* Whether name holds q, ASCII letters in either case. */
static int name_has(const char *name, const char *q, apr_size_t qlen)
{
    for (; *name; name++) {
        if (strncasecmp(name, q, qlen) == 0) {
            return 1;
        }
    }
    return 0;
}

/* The search's bounds: a query looks at most this many folders, breadth
 * first from the one asked (each entry costs a permission check), and
 * returns at most this many matches; past either it says "truncated". */
#define LS_API_SEARCH_FOLDERS 200
#define LS_API_SEARCH_MATCHES 100
#define LS_API_SEARCH_QUERY   200

/* GET .../assets?path=REL&q=TEXT: the entries under REL (that folder and
 * its subfolders, nearest first) whose name holds TEXT, among those the
 * caller may read; folders the caller may not read are not entered. */
static int search(ls_api_ctx *c, const char *clean, const char *q)
{
    request_rec *r = c->r;
    apr_array_header_t *todo = apr_array_make(r->pool, 16, sizeof(char *));
    apr_pool_t *iter;
    apr_size_t qlen = strlen(q);
    json_t *arr = json_array();
    int i, j, found = 0, more = 0;

    APR_ARRAY_PUSH(todo, const char *) = clean;
    apr_pool_create(&iter, r->pool);
    for (i = 0; i < todo->nelts && !more; i++) {
        const char *dir = APR_ARRAY_IDX(todo, i, const char *);
        apr_array_header_t *entries;
        if (i == LS_API_SEARCH_FOLDERS) {
            more = 1;
            break;
        }
        apr_pool_clear(iter);
        if ((entries = readable_entries(c, iter, dir)) == NULL) {
            if (i == 0) {
                return ls_http_json_error(r, HTTP_NOT_FOUND,
                                          "There is no such folder.");
            }
            continue; /* gone meanwhile, or unreadable: not searched */
        }
        for (j = 0; j < entries->nelts; j++) {
            const ls_entry_t *e = &APR_ARRAY_IDX(entries, j, ls_entry_t);
            if (e->is_dir) {
                APR_ARRAY_PUSH(todo, const char *) = ls_path_join(r->pool, dir,
                                                                  e->name);
            }
            if (!name_has(e->name, q, qlen)) {
                continue;
            }
            if (found == LS_API_SEARCH_MATCHES) {
                more = 1;
                break;
            }
            json_array_append_new(arr, entry_json(r, dir, e));
            found++;
        }
    }
    apr_pool_destroy(iter);
    ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r,
                  LS_TAG(00222) "asset search under \"%s\": %d match(es) in "
                                "%d folder(s)%s",
                         clean, found, i,
                         more ? ", stopped at the bounds" : "");
    return ls_http_json(r, HTTP_OK,
                        json_pack("{s:s,s:s,s:o,s:i,s:b,s:i}", "path", clean,
                                  "q", q, "entries", arr, "total", found,
                                  "truncated", more, "limit",
                                  LS_API_SEARCH_MATCHES));
}

/* GET .../assets?path=REL[&q=TEXT]: one folder of the asset tree, for
 * picking what to share, or a search under it (search). The same
 * permission as sharing (a subrequest for the folder's URL). */
int ls_api_assets(ls_api_ctx *c)
{
    request_rec *r = c->r;
    const char *rel = NULL, *q = NULL, *clean, *why = NULL;
    apr_array_header_t *entries;
    json_t *arr;
    int i, status;

    if (ls_query_get(r->pool, r->args, "path", &rel) == APR_EINVAL
        || ls_query_get(r->pool, r->args, "q", &q) == APR_EINVAL) {
        return ls_api_bad_request(c, "Parameters \"path\" and \"q\" must be "
                                     "correctly encoded.");
    }
    if (ls_path_clean(r->pool, rel ? rel : "", 1, &clean, &why)) {
        return ls_api_bad_request(
            c, apr_pstrcat(r->pool, "Parameter \"path\": ", why, NULL));
    }
    if (q && (strlen(q) > LS_API_SEARCH_QUERY || strchr(q, '/'))) {
        return ls_api_bad_request(c, "Parameter \"q\" is part of a name: at "
                                     "most 200 bytes, without \"/\".");
    }
    if ((status = ls_api_may_read(c, clean, 1)) != HTTP_OK) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      LS_TAG(00212) "user %s may not list folder \"%s\" "
                                    "(subrequest answered %d)",
                             r->user, clean, status);
        return ls_http_json_error(r, HTTP_FORBIDDEN,
                                  "You do not have access to this folder.");
    }
    if (q && *q) {
        return search(c, clean, q);
    }
    if ((entries = readable_entries(c, r->pool, clean)) == NULL) {
        return ls_http_json_error(r, HTTP_NOT_FOUND,
                                  "There is no such folder.");
    }
    arr = json_array();
    for (i = 0; i < entries->nelts && i < LS_API_MAX_LISTING; i++) {
        json_array_append_new(
            arr, entry_json(r, clean, &APR_ARRAY_IDX(entries, i, ls_entry_t)));
    }
    return ls_http_json(r, HTTP_OK,
                        json_pack("{s:s,s:o,s:i,s:b,s:i}", "path", clean,
                                  "entries", arr, "total", entries->nelts,
                                  "truncated",
                                  entries->nelts > LS_API_MAX_LISTING, "limit",
                                  LS_API_MAX_LISTING));
}

/* GET .../recipients?q=PREFIX: the caller's earlier recipients. */
int ls_api_recipients(ls_api_ctx *c)
{
    const char *q = NULL, *err = NULL;
    apr_array_header_t *list;
    json_t *arr;
    apr_status_t rv;
    int i;

    if (ls_query_get(c->r->pool, c->r->args, "q", &q) == APR_EINVAL) {
        return ls_api_bad_request(c,
                                  "Parameter \"q\" is not correctly encoded.");
    }
    if (q && strlen(q) > LS_API_MAX_EMAIL) {
        return ls_api_bad_request(c, "Parameter \"q\" is longer than an email "
                                     "address.");
    }
    rv = ls_store_recipient_suggest(c->store, c->r->pool, c->r->user,
                                    q ? q : "", &list, &err);
    if (rv != APR_SUCCESS) {
        return ls_api_store_failed(c, rv, err);
    }
    arr = json_array();
    for (i = 0; i < list->nelts; i++) {
        json_array_append_new(
            arr, json_string(APR_ARRAY_IDX(list, i, const char *)));
    }
    return ls_http_json(c->r, HTTP_OK,
                        json_pack("{s:o,s:i}", "recipients", arr, "limit",
                                  LS_STORE_SUGGEST_MAX));
}
