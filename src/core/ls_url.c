/* ls_url: links to our pages (see ls_url.h). */
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
