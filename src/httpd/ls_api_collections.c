/* ls_api_collections: the sharer API's collections: POST and GET
 * .../collections, GET and DELETE .../collections/ID (see API.md). Glue
 * unit. */
#include "httpd.h"
#include "http_config.h"
#include "http_core.h"
#include "http_log.h"
#include "http_protocol.h"
#include "http_request.h"
#include "apr_strings.h"

#include "ls_api_int.h"
#include "ls_apireq.h"
#include "ls_http.h"
#include "ls_query.h"
#include "ls_time.h"
#include "ls_token.h"

APLOG_USE_MODULE(linkshare);

static json_t *collection_json(ls_api_ctx *c, const ls_collection_t *co)
{
    json_t *paths = json_array();
    int i;

    for (i = 0; i < co->paths->nelts; i++) {
        json_array_append_new(
            paths, json_string(APR_ARRAY_IDX(co->paths, i, const char *)));
    }
    return json_pack("{s:s,s:s,s:s,s:s,s:o}", "id", co->id, "name", co->name,
                     "owner", co->owner, "created",
                     ls_time_format_rfc3339(c->r->pool, co->created), "paths",
                     paths);
}

static int collection_create(ls_api_ctx *c)
{
    request_rec *r = c->r;
    ls_collection_t co;
    apr_array_header_t *paths;
    const char *body, *name, *why = NULL, *err = NULL, *kind;
    char *id = apr_palloc(r->pool, LS_ID_LEN + 1);
    apr_size_t len;
    apr_status_t rv;
    int i, status;

    if (ls_api_read_json(c, &body, &len) != OK) {
        return OK;
    }
    if (ls_apireq_collection_create(r->pool, body, len, &name, &paths, &why)) {
        return ls_api_bad_request(c, why);
    }
    for (i = 0; i < paths->nelts; i++) {
        status = ls_api_check_asset(c, "paths", i + 1,
                                    APR_ARRAY_IDX(paths, i, const char *),
                                    &kind, &why);
        if (status == HTTP_FORBIDDEN) {
            return ls_http_json_error(r, HTTP_FORBIDDEN, why);
        }
        if (status != 0) {
            return ls_api_bad_request(c, why);
        }
    }
    if (ls_id_generate(id) != APR_SUCCESS) {
        return ls_http_json_error(r, HTTP_INTERNAL_SERVER_ERROR,
                                  "The server could not create an id.");
    }
    co.id = id;
    co.owner = r->user;
    co.name = name;
    co.created = c->now;
    co.paths = paths;
    rv = ls_store_collection_insert(c->store, r->pool, &co, &err);
    if (rv != APR_SUCCESS) {
        return ls_api_store_failed(c, rv, err);
    }
    apr_table_setn(r->headers_out, "Location",
                   apr_pstrcat(r->pool, ap_escape_uri(r->pool, c->base),
                               "/collections/", co.id, NULL));
    return ls_http_json(r, HTTP_CREATED, collection_json(c, &co));
}

static int collection_list(ls_api_ctx *c)
{
    const char *all = NULL, *err = NULL;
    apr_array_header_t *list;
    json_t *arr;
    apr_status_t rv;
    int i;

    ls_query_get(c->r->pool, c->r->args, "all", &all);
    if (all && strcmp(all, "0") != 0 && !c->admin) {
        return ls_http_json_error(c->r, HTTP_FORBIDDEN,
                                  "Only administrators may list every "
                                  "collection.");
    }
    rv = ls_store_collection_list(c->store, c->r->pool,
                                  all && strcmp(all, "0") ? NULL : c->r->user,
                                  &list, &err);
    if (rv != APR_SUCCESS) {
        return ls_api_store_failed(c, rv, err);
    }
    arr = json_array();
    for (i = 0; i < list->nelts; i++) {
        json_array_append_new(
            arr, collection_json(c, APR_ARRAY_IDX(list, i, ls_collection_t *)));
    }
    return ls_http_json(c->r, HTTP_OK, json_pack("{s:o}", "collections", arr));
}

int ls_api_collection(ls_api_ctx *c, const char *id)
{
    ls_collection_t *co;
    const char *err = NULL;
    apr_status_t rv = APR_NOTFOUND;

    if (c->r->method_number != M_GET && c->r->method_number != M_DELETE) {
        return ls_api_method_not_allowed(c, "GET, DELETE");
    }
    if (ls_id_well_formed(id)) {
        rv = ls_store_collection_get(c->store, c->r->pool, id, &co, &err);
    }
    if (rv == APR_SUCCESS && !c->admin && strcmp(co->owner, c->r->user)) {
        rv = APR_NOTFOUND;
    }
    if (rv == APR_NOTFOUND) {
        return ls_http_json_error(c->r, HTTP_NOT_FOUND,
                                  "There is no such collection.");
    }
    if (rv != APR_SUCCESS) {
        return ls_api_store_failed(c, rv, err);
    }
    if (c->r->method_number == M_GET) {
        return ls_http_json(c->r, HTTP_OK, collection_json(c, co));
    }
    rv = ls_store_collection_delete(c->store, c->r->pool, co->id, &err);
    if (rv != APR_SUCCESS && rv != APR_NOTFOUND) {
        return ls_api_store_failed(c, rv, err);
    }
    c->r->status = HTTP_NO_CONTENT;
    return OK;
}


int ls_api_collections(ls_api_ctx *c)
{
    return c->r->method_number == M_POST ? collection_create(c)
           : c->r->method_number == M_GET
               ? collection_list(c)
               : ls_api_method_not_allowed(c, "GET, "
                                              "POST");
}
