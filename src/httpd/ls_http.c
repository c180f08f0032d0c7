/* ls_http: HTTP helpers shared by the handlers (see ls_http.h). */
#include "httpd.h"
#include "http_protocol.h"
#include "util_filter.h"
#include "apr_strings.h"


#include "ls_http.h"
#include "ls_url.h"

void ls_http_public_headers(request_rec *r, const char *csp)
{
    apr_table_t *h = r->err_headers_out;

    apr_table_setn(h, "Referrer-Policy", "no-referrer");
    apr_table_setn(h, "X-Content-Type-Options", "nosniff");
    apr_table_setn(h, "X-Robots-Tag", "noindex, nofollow");
    apr_table_setn(h, "X-Frame-Options", "DENY");
    apr_table_setn(h, "Cross-Origin-Resource-Policy", "same-origin");
    apr_table_setn(h, "Content-Security-Policy",
                   csp ? csp
                       : "default-src 'none'; base-uri 'none'; "
                         "form-action 'none'; frame-ancestors 'none'; "
                         "sandbox");
    apr_table_setn(h, "Cache-Control", "no-store");
}

int ls_http_json(request_rec *r, int status, json_t *body)
{
    char *text = json_dumps(body, JSON_COMPACT | JSON_ENSURE_ASCII);

    json_decref(body);
    r->status = status;
    ap_set_content_type(r, "application/json");
    apr_table_setn(r->err_headers_out, "Cache-Control", "no-store");
    apr_table_setn(r->err_headers_out, "X-Content-Type-Options", "nosniff");
    if (text == NULL) {
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    if (status != HTTP_NO_CONTENT && !r->header_only) {
        ap_rputs(text, r);
        ap_rputs("\n", r);
    }
    free(text);
    return OK;
}

int ls_http_json_error(request_rec *r, int status, const char *msg)
{
    return ls_http_json(r, status, json_pack("{s:s}", "error", msg));
}

apr_status_t ls_http_read_body(request_rec *r, apr_size_t max, const char **buf,
                               apr_size_t *len, int *status)
{
    const char *cl = apr_table_get(r->headers_in, "Content-Length");
    apr_size_t used = 0, cap;
    char *data;
    long n;

    *status = HTTP_BAD_REQUEST;
    if (cl && apr_atoi64(cl) > (apr_int64_t)max) {
        *status = HTTP_REQUEST_ENTITY_TOO_LARGE;
        return APR_EINVAL;
    }
    if (ap_setup_client_block(r, REQUEST_CHUNKED_DECHUNK) != OK) {
        return APR_EINVAL;
    }
    cap = 8192;
    data = apr_palloc(r->pool, cap + 1);
    if (ap_should_client_block(r)) {
        while ((n = ap_get_client_block(r, data + used, cap - used)) > 0) {
            used += n;
            if (used > max) {
                *status = HTTP_REQUEST_ENTITY_TOO_LARGE;
                return APR_EINVAL;
            }
            if (used == cap) {
                char *bigger = apr_palloc(r->pool, cap * 2 + 1);
                memcpy(bigger, data, used);
                data = bigger;
                cap *= 2;
            }
        }
        if (n < 0) {
            return APR_EINVAL;
        }
    }
    data[used] = '\0';
    *buf = data;
    *len = used;
    return APR_SUCCESS;
}

const char *ls_http_disposition(apr_pool_t *p, const char *type,
                                const char *name)
{
    char *ascii = apr_palloc(p, strlen(name) + 1), *w = ascii;
    const char *c;

    /* The plain filename is for old clients: printable ASCII without the
     * characters that would end or escape the quoted string; each UTF-8
     * character becomes one '_'. */
    for (c = name; *c; c++) {
        unsigned char ch = (unsigned char)*c;
        if (ch >= 0x80 && ch < 0xc0) {
            continue; /* continuation byte */
        }
        *w++ = (ch < 0x20 || ch >= 0x7f || ch == '"' || ch == '\\' || ch == '%'
                || ch == ';')
                   ? '_'
                   : (char)ch;
    }
    *w = '\0';
    return apr_pstrcat(p, type, "; filename=\"", ascii, "\"; filename*=UTF-8''",
                       ls_url_qenc(p, name), NULL);
}
