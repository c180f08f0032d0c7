/* ls_trace: TRACE refused on the public URLs (see ls_trace.h). */
#include "httpd.h"
#include "http_config.h"
#include "http_core.h"
#include "http_log.h"
#include "http_protocol.h"
#include "apr_strings.h"

#include "ls_access.h"
#include "ls_html.h"
#include "ls_tag.h"
#include "ls_text.h"
#include "ls_http.h"
#include "ls_trace.h"

APLOG_USE_MODULE(linkshare);

int ls_trace_refuse(request_rec *r)
{
    ls_kind_t kind;

    if (r->method_number != M_TRACE) {
        return DECLINED;
    }
    kind = ls_access_configured_kind(r);
    if (kind != LS_KIND_PAGE && kind != LS_KIND_PREVIEW
        && kind != LS_KIND_EXPIRED) {
        return DECLINED;
    }
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                  LS_TAG(00161) "TRACE refused on a public URL (%s)", r->uri);
    /* Answered here rather than by status: httpd's own 405 lists TRACE in
     * Allow whenever TraceEnable is on. */
    ls_http_public_headers(r, NULL);
    apr_table_setn(r->err_headers_out, "Allow",
                   kind == LS_KIND_PAGE ? "GET, HEAD, POST" : "GET, HEAD");
    ls_html_message(
        r, HTTP_METHOD_NOT_ALLOWED,
        ls_view_message_add(
            ls_view_message_new(r->pool, ls_text("Method not allowed")),
            ls_text("This address only answers GET and HEAD (and POST for "
                    "the page's own forms).")));
    return DONE;
}
