/* ls_view: escaping, the page head and the CSP (see ls_view.h). */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <apr_base64.h>
#include <apr_lib.h>
#include <apr_strings.h>
#include <openssl/evp.h>

#include "ls_text.h"
#include "ls_time.h"
#include "ls_view.h"

const char *ls_view_esc(apr_pool_t *p, const char *s)
{
    apr_size_t n = 0;
    const char *c;
    char *out, *o;

    if (s == NULL) {
        return "";
    }
    for (c = s; *c; c++) {
        n += *c == '&'                 ? 5
             : *c == '<' || *c == '>'  ? 4
             : *c == '"' || *c == '\'' ? 6
                                       : 1;
    }
    o = out = apr_palloc(p, n + 1);
    for (c = s; *c; c++) {
        const char *ent = *c == '&'    ? "&amp;"
                          : *c == '<'  ? "&lt;"
                          : *c == '>'  ? "&gt;"
                          : *c == '"'  ? "&quot;"
                          : *c == '\'' ? "&#39;"
                                       : NULL;
        if (ent) {
            memcpy(o, ent, strlen(ent));
            o += strlen(ent);
        }
        else {
            *o++ = *c;
        }
    }
    *o = '\0';
    return out;
}

const char *ls_view_csp_hash(apr_pool_t *p, const char *text)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    char *b64;

    EVP_Digest(text, strlen(text), md, &mdlen, EVP_sha256(), NULL);
    b64 = apr_palloc(p, apr_base64_encode_len(mdlen));
    apr_base64_encode(b64, (const char *)md, mdlen);
    return apr_pstrcat(p, "'sha256-", b64, "'", NULL);
}

const char *ls_view_csp(apr_pool_t *p, const char *style,
                        const char *const *scripts, int allow)
{
    const char *csp = "default-src 'none'";
    int i;

    if (allow & LS_CSP_MEDIA) {
        csp = apr_pstrcat(p, csp, "; img-src 'self'", NULL);
    }
    if (style) {
        csp = apr_pstrcat(p, csp, "; style-src ", ls_view_csp_hash(p, style),
                          NULL);
    }
    for (i = 0; scripts && scripts[i]; i++) {
        csp = apr_pstrcat(p, csp, i ? " " : "; script-src ",
                          ls_view_csp_hash(p, scripts[i]), NULL);
    }
    if (allow & LS_CSP_CONNECT) {
        csp = apr_pstrcat(p, csp, "; connect-src 'self'", NULL);
    }
    if (allow & LS_CSP_MEDIA) {
        csp = apr_pstrcat(p, csp, "; media-src 'self'; frame-src 'self'", NULL);
    }
    return apr_pstrcat(p, csp, "; base-uri 'none'; form-action ",
                       allow & LS_CSP_FORMS ? "'self'" : "'none'",
                       "; frame-ancestors 'none'", NULL);
}

const char *ls_view_head(apr_pool_t *p, const char *title, const char *style)
{
    return apr_pstrcat(p,
                       "<!DOCTYPE html>\n<html lang=\"en\"><head><meta "
                       "charset=\"utf-8\"><meta name=\"viewport\" "
                       "content=\"width=device-width,initial-scale=1\"><meta "
                       "name=\"robots\" content=\"noindex\"><title>",
                       ls_view_esc(p, title), "</title><style>",
                       style ? style : "", "</style></head><body>\n", NULL);
}

ls_view_out_t *ls_view_out(apr_pool_t *p)
{
    ls_view_out_t *o = apr_palloc(p, sizeof(*o));

    o->p = p;
    o->parts = apr_array_make(p, 64, sizeof(const char *));
    return o;
}

void ls_view_put(ls_view_out_t *o, ...)
{
    va_list ap;
    const char *s;

    va_start(ap, o);
    while ((s = va_arg(ap, const char *)) != NULL) {
        APR_ARRAY_PUSH(o->parts, const char *) = s;
    }
    va_end(ap);
}

void ls_view_putf(ls_view_out_t *o, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    APR_ARRAY_PUSH(o->parts, const char *) = apr_pvsprintf(o->p, fmt, ap);
    va_end(ap);
}

const char *ls_view_text(const ls_view_out_t *o)
{
    return apr_array_pstrcat(o->p, o->parts, '\0');
}

const char *ls_view_size(apr_pool_t *p, apr_int64_t n)
{
    static const char *const unit[] = {"bytes", "KB", "MB", "GB", "TB"};
    double v = (double)n;
    int u = 0;

    if (n < 1024) {
        return apr_psprintf(p, "%" APR_INT64_T_FMT " %s", n,
                            ls_text_n((long)n, "byte", "bytes"));
    }
    while (v >= 1024 && u < 4) {
        v /= 1024;
        u++;
    }
    return apr_psprintf(p, "%.1f %s", v, ls_text(unit[u]));
}

const char *ls_view_time(apr_pool_t *p, apr_int64_t t)
{
    char *s = apr_pstrdup(p, ls_time_format_rfc3339(p, t));

    s[10] = ' ';
    s[16] = '\0'; /* minutes are enough on a page */
    return apr_pstrcat(p, s, " UTC", NULL);
}

void ls_view_crumbs(ls_view_out_t *o, const apr_array_header_t *crumbs)
{
    int i;

    ls_view_put(o, "<nav class=\"crumbs\" aria-label=\"", ls_text("Folders"),
                "\">", NULL);
    for (i = 0; i < crumbs->nelts; i++) {
        const ls_view_link_t *c = &APR_ARRAY_IDX(crumbs, i, ls_view_link_t);
        const char *label = ls_view_esc(o->p, c->label);
        if (i) {
            ls_view_put(o, " / ", NULL);
        }
        if (c->url) {
            ls_view_put(o, "<a href=\"", ls_view_esc(o->p, c->url), "\">",
                        label, "</a>", NULL);
        }
        else {
            ls_view_put(o, "<span aria-current=\"page\">", label, "</span>",
                        NULL);
        }
    }
    ls_view_put(o, "</nav>\n", NULL);
}

const char *ls_view_icon_svg(apr_pool_t *p, const char *kind, const char *ext)
{
    static const char *const colour[][2] = {
        {"image", "#2d6a3a"}, {"video", "#6a3d9a"}, {"audio", "#8a3b12"},
        {"pdf", "#b3261e"},   {"text", "#35577f"},  {"archive", "#5b4a1e"}};
    const char *fill = "#4d5156";
    char *label = apr_pstrndup(p, ext ? ext : "", 5), *c;
    apr_size_t i;

    for (i = 0; kind && i < sizeof(colour) / sizeof(colour[0]); i++) {
        if (strcmp(kind, colour[i][0]) == 0) {
            fill = colour[i][1];
        }
    }
    for (c = label; *c; c++) {
        *c = (char)apr_toupper(*c);
    }
    return apr_pstrcat(
        p,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"160\" "
        "height=\"200\" viewBox=\"0 0 160 200\"><rect width=\"160\" "
        "height=\"200\" rx=\"14\" fill=\"",
        fill,
        "\"/><text x=\"80\" y=\"112\" font-family=\"sans-serif\" "
        "font-size=\"34\" font-weight=\"700\" fill=\"#fff\" "
        "text-anchor=\"middle\">",
        ls_view_esc(p, label), "</text></svg>\n", NULL);
}

const char *ls_view_csp_styles(apr_pool_t *p, const char *const *styles,
                               const char *const *scripts, int allow)
{
    const char *first = styles ? styles[0] : NULL;
    const char *csp = ls_view_csp(p, first, scripts, allow);
    const char *more = "";
    int i;

    if (first == NULL) {
        return csp;
    }
    for (i = 1; styles[i]; i++) {
        more = apr_pstrcat(p, more, " ", ls_view_csp_hash(p, styles[i]), NULL);
    }
    if (*more) {
        /* After the first style's hash, which ls_view_csp wrote. */
        const char *h = ls_view_csp_hash(p, first);
        const char *at = strstr(csp, h);
        csp = apr_pstrcat(p, apr_pstrmemdup(p, csp, at - csp + strlen(h)), more,
                          at + strlen(h), NULL);
    }
    return csp;
}

const char *ls_view_head_brand(apr_pool_t *p, const char *title,
                               const char *style, const ls_view_brand_t *brand)
{
    const char *head = ls_view_head(p, title, style);

    if (brand == NULL || brand->css == NULL) {
        return head;
    }
    /* The brand's style goes right after the page's own. */
    return apr_pstrcat(p,
                       apr_pstrmemdup(p, head, strstr(head, "</head>") - head),
                       "<style>", brand->css, "</style></head><body>\n", NULL);
}

const char *ls_view_brandbar(apr_pool_t *p, const ls_view_brand_t *brand)
{
    if (brand == NULL || (brand->name == NULL && brand->logo_url == NULL)) {
        return "";
    }
    return apr_pstrcat(
        p, "<div class=\"brand\">",
        brand->logo_url ? apr_pstrcat(
            p, "<img class=\"logo\" src=\"", ls_view_esc(p, brand->logo_url),
            "\" alt=\"", brand->name ? "" : ls_text("Logo"), "\">", NULL)
                        : "",
        brand->name ? apr_pstrcat(p, "<span class=\"brand-name\">",
                                  ls_view_esc(p, brand->name), "</span>", NULL)
                    : "",
        "</div>", NULL);
}

/* One channel of "#rgb" or "#rrggbb" (0-255), -1 when not hex. */
static int channel(const char *hex, apr_size_t len, int i)
{
    char d[3] = {0, 0, 0};

    if (len == 3) {
        d[0] = d[1] = hex[i];
    }
    else {
        d[0] = hex[2 * i];
        d[1] = hex[2 * i + 1];
    }
    if (!apr_isxdigit(d[0]) || !apr_isxdigit(d[1])) {
        return -1;
    }
    return (int)strtol(d, NULL, 16);
}

/* WCAG relative luminance of an sRGB colour. */
static double luminance(const int c[3])
{
    double l[3];
    int i;

    for (i = 0; i < 3; i++) {
        double v = c[i] / 255.0;
        l[i] = v <= 0.03928 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4);
    }
    return 0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2];
}

/* c mixed towards black (to < 0) or white (to > 0) until its contrast
 * with a background of luminance bg is at least 4.5:1. */
static void readable(int c[3], double bg, int to)
{
    int step;

    for (step = 0; step < 40; step++) {
        double l = luminance(c), hi = l > bg ? l : bg, lo = l > bg ? bg : l;
        int i;
        if ((hi + 0.05) / (lo + 0.05) >= 4.5) {
            return;
        }
        for (i = 0; i < 3; i++) {
            c[i] = to < 0 ? c[i] * 9 / 10 : c[i] + (255 - c[i] + 9) / 10;
        }
    }
}

const char *ls_view_brand_css(apr_pool_t *p, const char *hex)
{
    int c[3], ink[3], dark[3], i;
    apr_size_t len = hex ? strlen(hex) : 0;
    double l;

    if (len != 4 && len != 7) {
        return NULL;
    }
    if (hex[0] != '#') {
        return NULL;
    }
    for (i = 0; i < 3; i++) {
        if ((c[i] = channel(hex + 1, len - 1, i)) < 0) {
            return NULL;
        }
        ink[i] = dark[i] = c[i];
    }
    l = luminance(c);
    /* Text in the accent on the pages' lightest and darkest surfaces it
     * may sit on (recipient.css: --surface-2 is #eef0f3 in light mode,
     * #272a30 in dark mode), with a margin. */
    readable(ink, 0.86, -1);
    readable(dark, 0.025, 1);
    return apr_psprintf(
        p,
        ":root{--accent:#%02x%02x%02x;--on-accent:%s;--accent-ink:#%02x%02x"
        "%02x}@media (prefers-color-scheme:dark){:root{--accent-ink:#%02x"
        "%02x%02x}}",
        c[0], c[1], c[2],
        (1.05 / (l + 0.05)) >= ((l + 0.05) / 0.05) ? "#fff" : "#111", ink[0],
        ink[1], ink[2], dark[0], dark[1], dark[2]);
}

const char *ls_view_relative(apr_pool_t *p, apr_int64_t s)
{
    apr_int64_t n;

    if (s <= 0) {
        return ls_text("now");
    }
    if (s < 60) {
        return ls_text("in less than a minute");
    }
    if (s < 3600) {
        n = s / 60;
        return ls_textf(p, "in %d %s", (int)n,
                        ls_text_n((long)n, "minute", "minutes"));
    }
    if (s < 2 * 86400) {
        n = s / 3600;
        return ls_textf(p, "in %d %s", (int)n,
                        ls_text_n((long)n, "hour", "hours"));
    }
    n = s / 86400;
    return ls_textf(p, "in %d %s", (int)n, ls_text_n((long)n, "day", "days"));
}

const char *ls_view_datetime(apr_pool_t *p, apr_int64_t t)
{
    return ls_time_format_rfc3339(p, t);
}

const char *ls_view_icon(apr_pool_t *p, const char *kind, const char *ext)
{
    char *label = apr_pstrndup(p, ext ? ext : "", 5);

    if (kind && strcmp(kind, "folder") == 0) {
        return "<span class=\"icon folder\"><svg viewBox=\"0 0 48 40\" "
               "aria-hidden=\"true\" focusable=\"false\"><path class=\"back\" "
               "d=\"M2 6a4 4 0 0 1 4-4h11.5l4.5 5h20a4 4 0 0 1 4 4v23a4 4 0 0 "
               "1-4 4H6a4 4 0 0 1-4-4z\"/><path class=\"front\" d=\"M2 "
               "13a3 3 0 0 1 3-3h38a3 3 0 0 1 3 3v21a4 4 0 0 1-4 4H6a4 4 0 "
               "0 1-4-4z\"/></svg></span>";
    }
    return apr_pstrcat(
        p, "<span class=\"icon ", ls_view_esc(p, kind ? kind : "other"),
        "\"><svg viewBox=\"0 0 40 48\" aria-hidden=\"true\" "
        "focusable=\"false\"><path class=\"page\" d=\"M6 1h20l13 13v29a4 4 0 "
        "0 1-4 4H6a4 4 0 0 1-4-4V5a4 4 0 0 1 4-4z\"/><path class=\"fold\" "
        "d=\"M26 1v9a4 4 0 0 0 4 4h9z\"/><rect class=\"band\" x=\"2\" "
        "y=\"26\" width=\"30\" height=\"13\" rx=\"2\"/></svg><span "
        "class=\"ext\">",
        ls_view_esc(p, label), "</span></span>", NULL);
}
