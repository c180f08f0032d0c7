/* ls_preview: the preview page (linksharepreview.html) and op=view, the
 * bytes it embeds: images, PDF (sandboxed), video, text. Glue unit. */
#ifndef LS_PREVIEW_H
#define LS_PREVIEW_H

#include "httpd.h"

#include "ls_access.h"
#include "ls_resolve.h"

/* The preview page of the file t. */
int ls_preview_page(request_rec *r, const ls_req_t *req, const ls_target_t *t);

/* op=view: the file the preview page embeds for t, inline (sent by
 * ls_deliver_inline), or a 404 page when there is none. */
int ls_preview_view(request_rec *r, ls_req_t *req, const ls_target_t *t);

#endif /* LS_PREVIEW_H */
