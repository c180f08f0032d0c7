/* ls_view: what every page we render shares, as pure functions: HTML
 * escaping, the page head (one frame for the recipients' pages and the
 * sharer pages alike) and the one Content-Security-Policy builder, with
 * the hashes of our inline style and scripts. Core unit (APR + OpenSSL):
 * it returns text; the glue sets headers and sends. */
#ifndef LS_VIEW_H
#define LS_VIEW_H

#include <apr_pools.h>

/* s with & < > " ' as entities (UTF-8 left alone); "" for NULL. In p. */
const char *ls_view_esc(apr_pool_t *p, const char *s);

/* "'sha256-BASE64'" of text, for a CSP source list. In p. */
const char *ls_view_csp_hash(apr_pool_t *p, const char *text);

/* What a page may do beyond running its own inline style and scripts. */
#define LS_CSP_CONNECT 0x01 /* fetch() to this origin */
#define LS_CSP_MEDIA   0x02 /* images, media and frames from this origin */
#define LS_CSP_FORMS   0x04 /* forms post to this origin (else nowhere) */

/* The policy of a page whose inline <style> is style and whose inline
 * <script>s are scripts (NULL-terminated; may be NULL): nothing else
 * loads or runs; no base, no framing. In p. */
const char *ls_view_csp(apr_pool_t *p, const char *style,
                        const char *const *scripts, int allow);

/* The head of every page, up to and including <body>: doctype, charset,
 * viewport, noindex, the title (escaped here) and the inline style. */
const char *ls_view_head(apr_pool_t *p, const char *title, const char *style);

#endif /* LS_VIEW_H */
