/* ls_http: small HTTP helpers shared by the handlers: security headers,
 * JSON responses, request bodies, Content-Disposition. Glue unit. */
#ifndef LS_HTTP_H
#define LS_HTTP_H

#include "httpd.h"

#include <jansson.h>

/* The headers of DESIGN.md for every public response (set on
 * err_headers_out so error responses carry them too). csp may be NULL
 * for the strictest policy. */
void ls_http_public_headers(request_rec *r, const char *csp);

/* Sends body (a reference it takes over) as JSON with status. OK. */
int ls_http_json(request_rec *r, int status, json_t *body);

/* Sends {"error": msg} with status. OK. */
int ls_http_json_error(request_rec *r, int status, const char *msg);

/* Reads the request body, at most max bytes. APR_SUCCESS with *buf
 * NUL-terminated, or APR_EINVAL with *status set to 413 (too large) or
 * 400 (unreadable). */
apr_status_t ls_http_read_body(request_rec *r, apr_size_t max, const char **buf,
                               apr_size_t *len, int *status);

/* "attachment; filename=\"ascii\"; filename*=UTF-8''pct" for any name. */
const char *ls_http_disposition(apr_pool_t *p, const char *type,
                                const char *name);

#endif /* LS_HTTP_H */
