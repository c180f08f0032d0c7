/* ls_view: what every page we render shares, as pure functions: HTML
 * escaping, the page head (one frame for the recipients' pages and the
 * sharer pages alike) and the one Content-Security-Policy builder, with
 * the hashes of our inline style and scripts. Core unit (APR + OpenSSL):
 * it returns text; the glue sets headers and sends. */
#ifndef LS_VIEW_H
#define LS_VIEW_H

#include <apr_pools.h>
#include <apr_tables.h>

/* An HTML document being written: pieces appended in order, joined once
 * at the end (no copy per append). Markup goes in as it is: escape with
 * ls_view_esc what comes from a share, a file system or a request. */
typedef struct {
    apr_pool_t *p;
    apr_array_header_t *parts; /* const char * */
} ls_view_out_t;

/* A link: the text a person reads and where it goes (NULL: the current
 * page, shown but not linked). Both unescaped. */
typedef struct {
    const char *label;
    const char *url;
} ls_view_link_t;

/* The admin's branding of the recipients' pages (LinkShareBrand), or a
 * page without: every field may be NULL. css is the per-configuration
 * stylesheet (the accent colour as custom properties, from
 * ls_view_brand_css) that follows the page's own in a second <style>;
 * its hash is in the page's CSP. */
typedef struct {
    const char *name;     /* shown at the top of every page */
    const char *logo_url; /* the logo (op=logo), or NULL */
    const char *css;      /* ":root{--accent:...}", or NULL */
} ls_view_brand_t;

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

/* The same with several inline styles (NULL-terminated; may be NULL),
 * each allowed by its hash. */
const char *ls_view_csp_styles(apr_pool_t *p, const char *const *styles,
                               const char *const *scripts, int allow);

/* The head of every page, up to and including <body>: doctype, charset,
 * viewport, noindex, the title (escaped here) and the inline style. */
const char *ls_view_head(apr_pool_t *p, const char *title, const char *style);

/* The head of a recipients' page: ls_view_head, then brand's stylesheet
 * (when there is one) in a second <style> (brand may be NULL). */
const char *ls_view_head_brand(apr_pool_t *p, const char *title,
                               const char *style, const ls_view_brand_t *brand);

/* The first line of a recipients' page's <header>: the brand's logo and
 * name, escaped; "" without a brand name or logo. In p. */
const char *ls_view_brandbar(apr_pool_t *p, const ls_view_brand_t *brand);

/* The brand's stylesheet for an accent colour "#rgb" or "#rrggbb": the
 * accent and a text colour that reads on it (black or white, whichever
 * contrasts more), and the accent's darker or lighter tone used for text
 * on the page's own background. NULL when hex is not such a colour. In
 * p. */
const char *ls_view_brand_css(apr_pool_t *p, const char *hex);

/* A new document in p. */
ls_view_out_t *ls_view_out(apr_pool_t *p);

/* Appends markup (NULL-terminated list of strings). */
void ls_view_put(ls_view_out_t *o, ...);

/* Appends printf-formatted markup. */
void ls_view_putf(ls_view_out_t *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The document so far, as one string in o->p. */
const char *ls_view_text(const ls_view_out_t *o);

/* "12.3 MB", "1 byte": a size for people (through ls_text). In p. */
const char *ls_view_size(apr_pool_t *p, apr_int64_t bytes);

/* "2026-01-01 00:00 UTC" for t in seconds since the epoch. In p. */
const char *ls_view_time(apr_pool_t *p, apr_int64_t t);

/* "in 6 days", "in 3 hours", "in 25 minutes", "in less than a minute"
 * (secs from now; 0 or less: "now"), rounded down. In p. */
const char *ls_view_relative(apr_pool_t *p, apr_int64_t secs);

/* "2026-01-01T00:00:00Z": a <time datetime> value. In p. */
const char *ls_view_datetime(apr_pool_t *p, apr_int64_t t);

/* The breadcrumb trail: crumbs[0] is the share's root; the last one,
 * with url NULL, is the page itself. */
void ls_view_crumbs(ls_view_out_t *o, const apr_array_header_t *crumbs);

/* A type icon as a whole SVG document (what a thumbnail request answers
 * while no thumbnail exists): the colour of kind (image, video, audio,
 * pdf, text, archive; others grey) as the stylesheet draws .icon, and ext
 * (escaped, at most 5 characters shown) upper-cased on it. In p. */
const char *ls_view_icon_svg(apr_pool_t *p, const char *kind, const char *ext);

/* A type icon as inline markup for a page: a folder, or a page with
 * kind's colour (the stylesheet's .icon.KIND) and ext (escaped, at most
 * 5 characters) on it. Decorative: hidden from assistive technology. */
const char *ls_view_icon(apr_pool_t *p, const char *kind, const char *ext);

#endif /* LS_VIEW_H */
