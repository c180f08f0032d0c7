/* ls_trace: TRACE refused on the public URLs (see ls_trace.h). */
#include "httpd.h"
#include "http_config.h"
#include "http_core.h"
#include "http_log.h"
#include "http_protocol.h"
#include "ap_expr.h"
#include "apr_strings.h"

#include "ls_html.h"
#include "ls_http.h"
#include "ls_trace.h"

APLOG_USE_MODULE(linkshare);

/* The handler the request's <Location> sets, read as core's fixup will
 * (core_override_type): r->handler is not set yet. NULL when none. */
static const char *location_handler(request_rec *r)
{
    core_dir_config *d = ap_get_core_module_config(r->per_dir_config);
    const char *err = NULL, *h;

    if (d == NULL || d->expr_handler == NULL) {
        return NULL;
    }
    h = ap_expr_str_exec(r, d->expr_handler, &err);
    return err ? NULL : h;
}

int ls_trace_refuse(request_rec *r)
{
    const char *h;
    int page;

    if (r->method_number != M_TRACE) {
        return DECLINED;
    }
    h = location_handler(r);
    if (h == NULL
        || (strcasecmp(h, "linkshare-page")
            && strcasecmp(h, "linkshare-preview")
            && strcasecmp(h, "linkshare-expired"))) {
        return DECLINED;
    }
    page = strcasecmp(h, "linkshare-page") == 0;
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                  "LS00161: TRACE refused on a public URL (%s)", h);
    /* Answered here rather than by status: httpd's own 405 lists TRACE in
     * Allow whenever TraceEnable is on. */
    ls_http_public_headers(r, NULL);
    apr_table_setn(r->err_headers_out, "Allow",
                   page ? "GET, HEAD, POST" : "GET, HEAD");
    ls_html_message(r, HTTP_METHOD_NOT_ALLOWED, "Method not allowed",
                    "<p>This address only answers GET and HEAD (and POST "
                    "for the page's own forms).</p>");
    return DONE;
}
