/* Unit tests for ls_url: every link the module hands out is built here. */
#include <apr_general.h>

#include "ls_url.h"
#include "tap.h"

int main(void)
{
    apr_pool_t *p;
    const char *tok = "AbC-_0123456789abcdefghijklmnopqrstuvwxyzAB";

    apr_initialize();
    apr_pool_create(&p, NULL);

    is_str(ls_url_share(p, "https://files.example.com", LS_URL_PAGE, tok, NULL),
           "https://files.example.com/linkshare.html?"
           "sh=AbC-_0123456789abcdefghijklmnopqrstuvwxyzAB",
           "the share link");
    is_str(ls_url_share(p, "https://files.example.com", LS_URL_PREVIEW, tok,
                        "&path=a%20b.jpg"),
           "https://files.example.com/linksharepreview.html?"
           "sh=AbC-_0123456789abcdefghijklmnopqrstuvwxyzAB&path=a%20b.jpg",
           "a preview link with its path");
    is_str(ls_url_share(p, "http://127.0.0.1:8080/sub", LS_URL_PAGE, tok,
                        "&op=part&job=0123456789abcdef&n=2"),
           "http://127.0.0.1:8080/sub/linkshare.html?"
           "sh=AbC-_0123456789abcdefghijklmnopqrstuvwxyzAB"
           "&op=part&job=0123456789abcdef&n=2",
           "a base with a path, an operation");

    apr_pool_destroy(p);
    apr_terminate();
    done_testing();
}
