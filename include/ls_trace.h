/* ls_trace: TRACE on the public URLs. httpd answers TRACE itself in the
 * map_to_storage phase (ap_send_http_trace, when TraceEnable allows it),
 * echoing the request line and headers, token included, before any access
 * or fixup hook of ours runs. This unit refuses it earlier, whatever
 * TraceEnable says. It owns nothing else. */
#ifndef LS_TRACE_H
#define LS_TRACE_H

#include "httpd.h"

/* translate_name hook (the first phase that sees the <Location>'s
 * SetHandler, before map_to_storage): a TRACE for linkshare-page,
 * -preview or -expired answers 405 (Allow without TRACE), logged as
 * LS00161; DECLINED for everything else. */
int ls_trace_refuse(request_rec *r);

#endif /* LS_TRACE_H */
