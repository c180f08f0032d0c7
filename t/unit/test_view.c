/* Unit tests for ls_view: escaping hostile names, the page head, the CSP. */
#include <string.h>

#include <apr_general.h>

#include "ls_view.h"
#include "tap.h"

int main(void)
{
    apr_pool_t *p;
    const char *csp, *head;
    static const char *const two[] = {"a()", "b()", NULL};

    apr_initialize();
    apr_pool_create(&p, NULL);

    is_str(ls_view_esc(p, "<script>alert(\"x\")</script>"),
           "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;",
           "markup in a name is text");
    is_str(ls_view_esc(p, "it's & \"that\""), "it&#39;s &amp; &quot;that&quot;",
           "quotes and ampersands");
    is_str(ls_view_esc(p, "\xe6\x97\xa5\xe6\x9c\xac caf\xc3\xa9.txt"),
           "\xe6\x97\xa5\xe6\x9c\xac caf\xc3\xa9.txt", "UTF-8 left alone");
    is_str(ls_view_esc(p, NULL), "", "NULL is empty");
    is_str(ls_view_esc(p, "&amp;"), "&amp;amp;",
           "escaped once more, not skipped");

    is_str(
        ls_view_csp_hash(p, "body{}"),
        "'sha256-fJgEClQWV1hGkK4qHMO0KotTsVnMYMXTq7/suurGyUo='",
        "the hash of an inline text (openssl dgst -sha256 -binary | base64)");
    csp = ls_view_csp(p, "body{}", two, LS_CSP_CONNECT);
    ok(strncmp(csp, "default-src 'none';", 19) == 0, "nothing by default");
    ok(strstr(csp, "style-src 'sha256-") != NULL, "the style by its hash");
    ok(strstr(csp, "script-src 'sha256-") != NULL
           && strstr(csp, "' 'sha256-") != NULL,
       "both scripts by their hashes");
    ok(strstr(csp, "unsafe-inline") == NULL && strstr(csp, "*") == NULL,
       "no unsafe-inline, no wildcard");
    ok(strstr(csp, "connect-src 'self'") != NULL, "connect to this origin");
    ok(strstr(csp, "img-src") == NULL && strstr(csp, "media-src") == NULL,
       "no media unless asked");
    ok(strstr(csp, "form-action 'none'") != NULL, "no forms unless asked");
    ok(strstr(csp, "frame-ancestors 'none'") != NULL
           && strstr(csp, "base-uri 'none'") != NULL,
       "never framed, no base");
    csp = ls_view_csp(p, NULL, NULL, LS_CSP_MEDIA | LS_CSP_FORMS);
    ok(strstr(csp, "img-src 'self'") && strstr(csp, "media-src 'self'")
           && strstr(csp, "frame-src 'self'")
           && strstr(csp, "form-action 'self'") && !strstr(csp, "script-src"),
       "media and forms when asked; no script without one");

    head = ls_view_head(p, "a <b> \"c\"", "body{}");
    ok(strstr(head, "<title>a &lt;b&gt; &quot;c&quot;</title>") != NULL,
       "the title is escaped");
    ok(strstr(head, "<meta charset=\"utf-8\">") != NULL
           && strstr(head, "noindex") != NULL,
       "UTF-8 and noindex");
    ok(strstr(head, "<style>body{}</style>") != NULL, "the style inline");

    apr_pool_destroy(p);
    apr_terminate();
    done_testing();
}
