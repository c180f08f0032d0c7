/* libFuzzer target for ls_view: a hostile name (file names, subjects,
 * messages, user names) through the escaping and the page head. The
 * escaped text holds no markup character, and decodes back to the input;
 * the head holds exactly one <title> and one </title>. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <apr_general.h>
#include <apr_strings.h>

#include "ls_view.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    apr_initialize();
    return 0;
}

/* The five entities ls_view_esc writes, decoded; NULL on anything else. */
static char *decode(apr_pool_t *p, const char *s)
{
    static const char *const ent[][2] = {{"&amp;", "&"},
                                         {"&lt;", "<"},
                                         {"&gt;", ">"},
                                         {"&quot;", "\""},
                                         {"&#39;", "'"}};
    char *out = apr_palloc(p, strlen(s) + 1), *o = out;
    size_t k;

    while (*s) {
        if (*s != '&') {
            *o++ = *s++;
            continue;
        }
        for (k = 0; k < sizeof(ent) / sizeof(ent[0]); k++) {
            if (strncmp(s, ent[k][0], strlen(ent[k][0])) == 0) {
                *o++ = ent[k][1][0];
                s += strlen(ent[k][0]);
                break;
            }
        }
        if (k == sizeof(ent) / sizeof(ent[0])) {
            return NULL; /* a raw '&' */
        }
    }
    *o = '\0';
    return out;
}

static size_t count(const char *s, const char *what)
{
    size_t n = 0;

    while ((s = strstr(s, what)) != NULL) {
        n++;
        s += strlen(what);
    }
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p;
    const char *in, *esc, *head;
    char *back;

    apr_pool_create(&p, NULL);
    in = apr_pstrmemdup(p, (const char *)data, size); /* up to a NUL */
    esc = ls_view_esc(p, in);
    if (strpbrk(esc, "<>\"'") != NULL) {
        abort();
    }
    back = decode(p, esc);
    if (back == NULL || strcmp(back, in) != 0) {
        abort();
    }
    head = ls_view_head(p, in, "body{}");
    if (count(head, "<title>") != 1 || count(head, "</title>") != 1) {
        abort();
    }
    apr_pool_destroy(p);
    return 0;
}
