/* libFuzzer target for ls_query: decoding, lookup and the redaction that
 * keeps share tokens out of logs. The input's raw bytes are decoded as one
 * value; as a string (to the first NUL) they are a query string and part
 * of a request line. A first line of 1-16 bytes without '=' or '&' names
 * a parameter to look up besides "sh" ("path\nsh=a&path=b"). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <apr_general.h>
#include <apr_strings.h>

#include "ls_query.h"

#define REPL "REDACTED:0123456789abcdef"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    apr_initialize();
    return 0;
}

/* A malloc'd copy, so ASan sees reads past the end (pool memory would
 * hide them). */
static char *cstr(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

static size_t count(const char *s, const char *needle)
{
    size_t n = 0, l = strlen(needle);
    for (; (s = strstr(s, needle)) != NULL; s += l) {
        n++;
    }
    return n;
}

/* get and all must agree on the first value and on bad encodings. */
static void check_lookup(apr_pool_t *p, const char *args, const char *name)
{
    const char *v = NULL;
    apr_array_header_t *all = NULL;
    apr_status_t g = ls_query_get(p, args, name, &v);
    apr_status_t a = ls_query_all(p, args, name, &all);

    if (g == APR_SUCCESS && v == NULL) {
        abort();
    }
    if (a == APR_SUCCESS) {
        if (all->nelts == 0
                ? g != APR_NOTFOUND
                : g != APR_SUCCESS
                      || strcmp(v, APR_ARRAY_IDX(all, 0, const char *)) != 0) {
            abort();
        }
    }
    else if (g == APR_NOTFOUND) {
        abort(); /* all found a bad value, so get saw at least one */
    }
}

/* No value of name may survive redaction: each one left must start with
 * the replacement (or be the empty value of a bare "name"). The output
 * must also fit the buffer ls_query_redact sized for it. */
static void check_redact(apr_pool_t *p, const char *s, const char *name,
                         int as_args)
{
    const char *out = ls_query_redact(p, s, name, REPL);
    size_t bound = strlen(s)
                   + count(s, apr_pstrcat(p, name, "=", NULL)) * strlen(REPL);
    apr_array_header_t *all;
    int i;

    if (out == NULL || strlen(out) > bound) {
        abort();
    }
    if (!as_args || ls_query_all(p, out, name, &all) != APR_SUCCESS) {
        return;
    }
    for (i = 0; i < all->nelts; i++) {
        const char *v = APR_ARRAY_IDX(all, i, const char *);
        if (*v && strncmp(v, REPL, strlen(REPL)) != 0) {
            abort();
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p;
    const char *out, *name = NULL, *nl;
    char *args = cstr(data, size);

    apr_pool_create(&p, NULL);
    /* The raw bytes, NULs included, straight from libFuzzer's buffer. */
    if (ls_query_decode(p, (const char *)data, size, &out) == APR_SUCCESS) {
        if (memchr(data, '\0', size) != NULL || strlen(out) > size) {
            abort();
        }
    }
    nl = strchr(args, '\n');
    if (nl && nl > args && nl - args <= 16
        && strcspn(args, "=&") >= (size_t)(nl - args)) {
        name = apr_pstrmemdup(p, args, nl - args);
    }
    check_lookup(p, args, "sh");
    check_redact(p, args, "sh", 1);
    check_redact(
        p, apr_pstrcat(p, "GET /linkshare.html?", args, " HTTP/1.1", NULL),
        "sh", 0);
    if (name) {
        check_lookup(p, nl + 1, name);
        check_redact(p, nl + 1, name, 1);
    }
    apr_pool_destroy(p);
    free(args);
    return 0;
}
