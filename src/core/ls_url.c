/* ls_url: links to our pages (see ls_url.h). */
#include <apr_lib.h>
#include <apr_strings.h>

#include "ls_url.h"

const char *ls_url_share(apr_pool_t *p, const char *base, ls_url_page_t page,
                         const char *token, const char *extra)
{
    return apr_pstrcat(p, base,
                       page == LS_URL_PREVIEW ? "/linksharepreview.html?sh="
                                              : "/linkshare.html?sh=",
                       token, extra ? extra : "", NULL);
}

const char *ls_url_qenc(apr_pool_t *p, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    char *out = apr_palloc(p, strlen(s) * 3 + 1), *w = out;

    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (apr_isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
            *w++ = c;
        }
        else {
            *w++ = '%';
            *w++ = hex[c >> 4];
            *w++ = hex[c & 15];
        }
    }
    *w = '\0';
    return out;
}

const char *ls_url_item(apr_pool_t *p, const char *base, ls_url_page_t page,
                        const char *token, const char *op, const char *path)
{
    return ls_url_share(p, base, page, token,
                        apr_pstrcat(p, op ? "&op=" : "", op ? op : "",
                                    path && *path ? "&path=" : "",
                                    path && *path ? ls_url_qenc(p, path) : "",
                                    NULL));
}

const char *ls_url_logo(apr_pool_t *p, const char *base, const char *version)
{
    return apr_pstrcat(p, base, "/linkshare.html?op=logo", version ? "&v=" : "",
                       version ? ls_url_qenc(p, version) : "", NULL);
}
