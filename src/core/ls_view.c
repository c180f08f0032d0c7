/* ls_view: escaping, the page head and the CSP (see ls_view.h). */
#include <stdarg.h>
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
