/* Unit tests for ls_query: decoding, lookup and redaction. */
#include <apr_general.h>
#include <apr_strings.h>

#include "ls_query.h"
#include "tap.h"

/* The decoded form of s, or NULL when it is refused. */
static const char *decode(apr_pool_t *p, const char *s)
{
    const char *out = NULL;
    return ls_query_decode(p, s, strlen(s), &out) == APR_SUCCESS ? out : NULL;
}

/* ls_query_get's status, with its value in *v ("(unset)" when none). */
static apr_status_t get(apr_pool_t *p, const char *args, const char *name,
                        const char **v)
{
    *v = "(unset)";
    return ls_query_get(p, args, name, v);
}

#define LINE "GET /linkshare.html?a=1&sh=TOKEN&path=x HTTP/1.1"

int main(void)
{
    apr_pool_t *p;
    const char *v, *out;
    apr_array_header_t *all;

    apr_initialize();
    apr_pool_create(&p, NULL);

    /* Decoding. */
    is_str(decode(p, "a+b"), "a b", "'+' is a space");
    is_str(decode(p, "%41"), "A", "%%41 is A");
    is_str(decode(p, "%4a%4A"), "JJ", "hex digits in either case");
    is_str(decode(p, "caf%C3%A9"), "caf\xc3\xa9", "UTF-8 bytes");
    is_str(decode(p, "%2B"), "+", "%%2B stays a plus");
    is_str(decode(p, "%25"), "%", "%%25 is a percent sign");
    is_str(decode(p, "%2525"), "%25", "decoded once only");
    is_str(decode(p, "a%2Fb"), "a/b", "%%2F decoded");
    is_str(decode(p, ""), "", "empty stays empty");
    is_str(decode(p, "%0A"), "\n", "%%0A decodes (callers check controls)");
    ok(decode(p, "%00") == NULL, "%%00 refused");
    ok(decode(p, "a%00b") == NULL, "%%00 inside refused");
    ok(decode(p, "%zz") == NULL, "%%zz refused");
    ok(decode(p, "%4g") == NULL, "%%4g refused");
    ok(decode(p, "%g4") == NULL, "%%g4 refused");
    ok(decode(p, "%4") == NULL, "truncated %%4 refused");
    ok(decode(p, "%") == NULL, "lone %% refused");
    ok(decode(p, "abc%") == NULL, "trailing %% refused");
    ok(ls_query_decode(p, "a\0b", 3, &out) == APR_EINVAL, "raw NUL refused");
    ok(ls_query_decode(p, "%41%42", 3, &out) == APR_SUCCESS
           && strcmp(out, "A") == 0,
       "len bounds the input");
    ok(ls_query_decode(p, "%41%42", 4, &out) == APR_EINVAL,
       "escape cut by len refused");

    /* Lookup. */
    ok(get(p, "sh=abc&path=x", "sh", &v) == APR_SUCCESS, "first param found");
    is_str(v, "abc", "its value");
    ok(get(p, "a=1&sh=abc", "sh", &v) == APR_SUCCESS, "last param found");
    is_str(v, "abc", "its value");
    ok(get(p, "sh=one&sh=two", "sh", &v) == APR_SUCCESS, "repeated param");
    is_str(v, "one", "first value wins");
    ok(get(p, "path=a+b%2Fc", "path", &v) == APR_SUCCESS, "encoded value");
    is_str(v, "a b/c", "value decoded");
    ok(get(p, "a=1&b=2", "sh", &v) == APR_NOTFOUND, "absent is NOTFOUND");
    ok(get(p, "", "sh", &v) == APR_NOTFOUND, "empty args is NOTFOUND");
    ok(get(p, NULL, "sh", &v) == APR_NOTFOUND, "NULL args is NOTFOUND");
    ok(get(p, "shx=1", "sh", &v) == APR_NOTFOUND,
       "a longer name is not a match");
    ok(get(p, "xsh=1", "sh", &v) == APR_NOTFOUND, "a suffix is not a match");
    ok(get(p, "s=1", "sh", &v) == APR_NOTFOUND, "a prefix is not a match");
    ok(get(p, "shx=1&sh=2", "sh", &v) == APR_SUCCESS && strcmp(v, "2") == 0,
       "'sh' found after 'shx'");
    ok(get(p, "sh=&a=1", "sh", &v) == APR_SUCCESS && strcmp(v, "") == 0,
       "'sh=' is an empty value");
    ok(get(p, "a=1&sh", "sh", &v) == APR_SUCCESS && strcmp(v, "") == 0,
       "bare 'sh' is an empty value");
    ok(get(p, "&&sh=1&&", "sh", &v) == APR_SUCCESS && strcmp(v, "1") == 0,
       "empty pairs skipped");
    ok(get(p, "sh=a=b", "sh", &v) == APR_SUCCESS && strcmp(v, "a=b") == 0,
       "'=' inside a value kept");
    ok(get(p, "sh=%zz", "sh", &v) == APR_EINVAL, "bad escape is EINVAL");
    ok(get(p, "sh=%00", "sh", &v) == APR_EINVAL, "%%00 is EINVAL");
    ok(get(p, "a=%zz&sh=1", "sh", &v) == APR_SUCCESS,
       "a bad escape in another param does not matter");
    ok(get(p, "s%68=1", "sh", &v) == APR_NOTFOUND, "names are not decoded");

    ok(ls_query_all(p, "path=a&x=1&path=b+c&path=&path", "path", &all)
           == APR_SUCCESS,
       "all values");
    ok(all->nelts == 4, "four values");
    if (all->nelts == 4) {
        is_str(APR_ARRAY_IDX(all, 0, const char *), "a", "first");
        is_str(APR_ARRAY_IDX(all, 1, const char *), "b c", "second, decoded");
        is_str(APR_ARRAY_IDX(all, 2, const char *), "", "third, empty");
        is_str(APR_ARRAY_IDX(all, 3, const char *), "", "fourth, bare");
    }
    ok(ls_query_all(p, "a=1", "path", &all) == APR_SUCCESS && all->nelts == 0,
       "none is an empty array");
    ok(ls_query_all(p, "path=a&path=%zz", "path", &all) == APR_EINVAL,
       "a bad later value is EINVAL");

    /* Redaction. */
    is_str(ls_query_redact(p, LINE, "sh", "R"),
           "GET /linkshare.html?a=1&sh=R&path=x HTTP/1.1",
           "token in the middle of a request line");
    is_str(ls_query_redact(p, "GET /l?sh=TOKEN&path=x HTTP/1.1", "sh", "R"),
           "GET /l?sh=R&path=x HTTP/1.1", "token first");
    is_str(ls_query_redact(p, "GET /l?a=1&sh=TOKEN HTTP/1.1", "sh", "R"),
           "GET /l?a=1&sh=R HTTP/1.1", "token last, before the protocol");
    is_str(ls_query_redact(p, "/l?a=1&sh=TOKEN", "sh", "R"), "/l?a=1&sh=R",
           "token at the end of a URI");
    is_str(ls_query_redact(p, "sh=TOKEN&a=1", "sh", "R"), "sh=R&a=1",
           "token at the start of args");
    is_str(ls_query_redact(p, "sh=TOKEN", "sh", "REDACTED:0123456789abcdef"),
           "sh=REDACTED:0123456789abcdef", "longer replacement");
    is_str(ls_query_redact(p, "/l?sh=A&sh=B&sh=C", "sh", "R"),
           "/l?sh=R&sh=R&sh=R", "every repetition");
    is_str(ls_query_redact(p, "/l?sh=&a=1", "sh", "R"), "/l?sh=R&a=1",
           "empty value replaced");
    is_str(ls_query_redact(p, "/l?xsh=TOKEN&sh=T2", "sh", "R"),
           "/l?xsh=TOKEN&sh=R", "'xsh' left alone");
    is_str(ls_query_redact(p, "/l?shx=TOKEN", "sh", "R"), "/l?shx=TOKEN",
           "'shx' left alone");
    is_str(ls_query_redact(p, "/sh=TOKEN/x", "sh", "R"), "/sh=TOKEN/x",
           "'sh=' in the path left alone");
    is_str(ls_query_redact(p, "/l?a=sh=TOKEN", "sh", "R"), "/l?a=sh=TOKEN",
           "'sh=' inside another value left alone");
    is_str(ls_query_redact(p, "/l?a=1;sh=TOKEN", "sh", "R"), "/l?a=1;sh=R",
           "';' counts as a separator");
    is_str(ls_query_redact(p, "/l?sh=%41%42&a=1", "sh", "R"), "/l?sh=R&a=1",
           "encoded token replaced whole");
    is_str(ls_query_redact(p, "/l?sh=TOKEN#frag", "sh", "R"), "/l?sh=R#frag",
           "fragment kept");
    {
        const char *s = "GET /linkshare.html?a=1&path=x HTTP/1.1";
        is_str(ls_query_redact(p, s, "sh", "R"), s, "no param: same text");
        s = "GET /page.html?a=1&path=x HTTP/1.1";
        is_str(ls_query_redact(p, s, "sh", "R"), s,
               "no 'sh' anywhere: same text");
        s = "GET /linkshare.html?a=1&shx=2 HTTP/1.1";
        is_str(ls_query_redact(p, s, "sh", "R"), s,
               "only a longer name: same text");
    }
    ok(ls_query_redact(p, NULL, "sh", "R") == NULL, "NULL stays NULL");
    is_str(ls_query_redact(p, "", "sh", "R"), "", "empty stays empty");

    apr_pool_destroy(p);
    apr_terminate();
    done_testing();
}
