/* ls_query: query strings and form bodies (see ls_query.h). */
#include <string.h>

#include <apr_strings.h>

#include "ls_query.h"

static int hexval(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

apr_status_t ls_query_decode(apr_pool_t *p, const char *in, apr_size_t len,
                             const char **out)
{
    char *o = apr_palloc(p, len + 1), *w = o;
    apr_size_t i;

    for (i = 0; i < len; i++) {
        if (in[i] == '+') {
            *w++ = ' ';
        }
        else if (in[i] == '%') {
            int hi, lo;
            if (i + 2 >= len) {
                return APR_EINVAL;
            }
            hi = hexval(in[i + 1]);
            lo = hi < 0 ? -1 : hexval(in[i + 2]);
            if (lo < 0 || (hi == 0 && lo == 0)) {
                return APR_EINVAL;
            }
            *w++ = (char)(hi * 16 + lo);
            i += 2;
        }
        else if (in[i] == '\0') {
            return APR_EINVAL;
        }
        else {
            *w++ = in[i];
        }
    }
    *w = '\0';
    *out = o;
    return APR_SUCCESS;
}

/* Calls fn for each name=value pair whose name matches; stops early when
 * fn returns non-zero. */
static apr_status_t each(apr_pool_t *p, const char *args, const char *name,
                         int (*fn)(void *, const char *), void *baton)
{
    apr_size_t nlen = strlen(name);
    const char *s = args;

    while (s && *s) {
        const char *end = strchr(s, '&');
        apr_size_t plen = end ? (apr_size_t)(end - s) : strlen(s);
        if (plen > nlen && strncmp(s, name, nlen) == 0 && s[nlen] == '=') {
            const char *v;
            if (ls_query_decode(p, s + nlen + 1, plen - nlen - 1, &v)) {
                return APR_EINVAL;
            }
            if (fn(baton, v)) {
                return APR_SUCCESS;
            }
        }
        else if (plen == nlen && strncmp(s, name, nlen) == 0) {
            if (fn(baton, "")) {
                return APR_SUCCESS;
            }
        }
        s = end ? end + 1 : NULL;
    }
    return APR_SUCCESS;
}

static int take_first(void *baton, const char *v)
{
    *(const char **)baton = v;
    return 1;
}

apr_status_t ls_query_get(apr_pool_t *p, const char *args, const char *name,
                          const char **out)
{
    const char *v = NULL;
    apr_status_t rv = each(p, args, name, take_first, &v);

    if (rv != APR_SUCCESS) {
        return rv;
    }
    *out = v;
    return v ? APR_SUCCESS : APR_NOTFOUND;
}

static int take_all(void *baton, const char *v)
{
    APR_ARRAY_PUSH((apr_array_header_t *)baton, const char *) = v;
    return 0;
}

apr_status_t ls_query_all(apr_pool_t *p, const char *args, const char *name,
                          apr_array_header_t **out)
{
    *out = apr_array_make(p, 4, sizeof(const char *));
    return each(p, args, name, take_all, *out);
}

/* The next "name=" at the start of a parameter in s, or NULL: one pass
 * over the characters, no search per position. */
static const char *next_param(const char *start, const char *s,
                              const char *name, apr_size_t nlen)
{
    for (; *s; s++) {
        if (*s == name[0]
            && (s == start || s[-1] == '?' || s[-1] == '&' || s[-1] == ';')
            && strncmp(s, name, nlen) == 0 && s[nlen] == '=') {
            return s;
        }
    }
    return NULL;
}

const char *ls_query_redact(apr_pool_t *p, const char *s, const char *name,
                            const char *repl)
{
    apr_size_t nlen = strlen(name), rlen = strlen(repl);
    const char *hit, *from;
    char *out, *w;
    int hits = 0;

    if (s == NULL || nlen == 0) {
        return s;
    }
    for (hit = s; (hit = next_param(s, hit, name, nlen)) != NULL; hit += nlen) {
        hits++;
    }
    if (hits == 0) {
        return s;
    }
    out = w = apr_palloc(p, strlen(s) + hits * rlen + 1);
    for (from = s; (hit = next_param(s, from, name, nlen)) != NULL;) {
        hit += nlen + 1;
        memcpy(w, from, hit - from);
        w += hit - from;
        memcpy(w, repl, rlen);
        w += rlen;
        /* Skip the value up to the next separator or the end of the
         * request target (a space before the protocol). */
        from = hit + strcspn(hit, "&; #");
    }
    strcpy(w, from);
    return out;
}
