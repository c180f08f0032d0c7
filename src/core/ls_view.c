/* ls_view: escaping, the page head and the CSP (see ls_view.h). */
#include <string.h>

#include <apr_base64.h>
#include <apr_strings.h>
#include <openssl/evp.h>

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
