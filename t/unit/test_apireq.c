/* Unit tests for ls_apireq: sharer API bodies and email syntax. */
#include <string.h>

#include <apr_general.h>
#include <apr_strings.h>

#include "ls_apireq.h"
#include "tap.h"

static apr_pool_t *p;
static const char *why;

/* Each returns the parser's status; why holds its reason. */
static apr_status_t create(const char *body, ls_share_req_t **req)
{
    ls_share_req_t *dummy;
    why = NULL;
    return ls_apireq_share_create(p, body, strlen(body), req ? req : &dummy,
                                  &why);
}

static apr_status_t patch(const char *body, apr_int64_t *expires)
{
    ls_share_patch_t pt;
    apr_status_t rv;
    why = NULL;
    rv = ls_apireq_share_patch(p, body, strlen(body), &pt, &why);
    if (expires) {
        *expires = pt.has_expires ? pt.expires : -1;
    }
    return rv;
}

static apr_status_t collection(const char *body, const char **name,
                               apr_array_header_t **paths)
{
    const char *n;
    apr_array_header_t *a;
    why = NULL;
    return ls_apireq_collection_create(p, body, strlen(body), name ? name : &n,
                                       paths ? paths : &a, &why);
}

/* Non-zero when the last reason mentions s. */
static int why_has(const char *s)
{
    return why != NULL && strstr(why, s) != NULL;
}

/* A refusal whose reason mentions want; prints the reason either way. */
#define refused(rv, want, ...)                                                 \
    do {                                                                       \
        apr_status_t rv_ = (rv);                                               \
        ok(rv_ == APR_EINVAL && why_has(want), __VA_ARGS__);                   \
        printf("#   why: %s\n", why ? why : "(null)");                         \
    } while (0)

/* A JSON array of n strings made from fmt ("\"p%d\"" style). */
static const char *json_list(int n, const char *fmt)
{
    const char *s = "[";
    int i;
    for (i = 0; i < n; i++) {
        s = apr_pstrcat(p, s, i ? "," : "", apr_psprintf(p, fmt, i), NULL);
    }
    return apr_pstrcat(p, s, "]", NULL);
}

static const char *repeat(char c, int n)
{
    char *s = apr_palloc(p, n + 1);
    memset(s, c, n);
    s[n] = '\0';
    return s;
}

static void test_share_create(void)
{
    ls_share_req_t *req = NULL;

    ok(create("{\"paths\":[\"photos/2026/cat.jpg\",\"press kit/\"],"
              "\"expires\":\"2026-12-31T17:00:00Z\",\"allow_original\":true,"
              "\"recipients\":[\"bob@example.com\"],\"subject\":\"Hi\","
              "\"message\":\"Line 1\\nLine 2\"}",
              &req)
           == APR_SUCCESS,
       "full create body accepted (%s)", why ? why : "");
    if (req) {
        ok(req->paths->nelts == 2, "two paths");
        is_str(APR_ARRAY_IDX(req->paths, 0, const char *),
               "photos/2026/cat.jpg", "first path");
        is_str(APR_ARRAY_IDX(req->paths, 1, const char *), "press kit",
               "second path normalised");
        ok(req->collection == NULL, "no collection");
        ok(req->has_expires && req->expires == APR_INT64_C(1798736400),
           "expires parsed");
        ok(req->allow_original == 1, "allow_original true");
        ok(req->recipients->nelts == 1, "one recipient");
        is_str(APR_ARRAY_IDX(req->recipients, 0, const char *),
               "bob@example.com", "recipient");
        is_str(req->subject, "Hi", "subject");
        is_str(req->message, "Line 1\nLine 2", "message with a line break");
    }
    req = NULL;
    ok(create("{\"paths\":[\"a.txt\"]}", &req) == APR_SUCCESS,
       "minimal body accepted");
    if (req) {
        ok(!req->has_expires, "no expires");
        ok(req->allow_original == -1, "allow_original absent is -1");
        ok(req->recipients->nelts == 0, "no recipients");
        ok(req->subject == NULL && req->message == NULL,
           "no subject or message");
    }
    req = NULL;
    ok(create("{\"collection\":\"0123456789abcdef\",\"allow_original\":false}",
              &req)
           == APR_SUCCESS,
       "collection alone accepted");
    if (req) {
        is_str(req->collection, "0123456789abcdef", "collection id");
        ok(req->paths->nelts == 0, "no paths");
        ok(req->allow_original == 0, "allow_original false");
    }
    ok(create("{\"paths\":[\"a\"],\"expires\":null,\"subject\":null,"
              "\"recipients\":null,\"allow_original\":null}",
              NULL)
           == APR_SUCCESS,
       "null fields count as absent");
    ok(create(apr_psprintf(p, "{\"paths\":%s}", json_list(1000, "\"p%d\"")),
              &req)
           == APR_SUCCESS,
       "1000 paths accepted");
    ok(create(apr_psprintf(p, "{\"paths\":[\"a\"],\"recipients\":%s}",
                           json_list(50, "\"r%d@example.com\"")),
              NULL)
           == APR_SUCCESS,
       "50 recipients accepted");
    ok(create(apr_psprintf(p, "{\"paths\":[\"a\"],\"subject\":\"%s\"}",
                           repeat('s', LS_API_MAX_SUBJECT)),
              NULL)
           == APR_SUCCESS,
       "subject of the maximum length accepted");

    /* The body as a whole. */
    refused(create("", NULL), "empty", "empty body");
    refused(ls_apireq_share_create(p, "{}", LS_API_MAX_BODY + 1, &req, &why),
            "too large", "body over the limit");
    refused(create("{\"paths\":", NULL), "not valid JSON", "truncated JSON");
    refused(create("{\"paths\":[\"a\"]} x", NULL), "not valid JSON",
            "trailing junk");
    refused(create("[\"a\"]", NULL), "JSON object", "array body");
    refused(create("\"a\"", NULL), "not valid JSON", "string body");
    refused(create("null", NULL), "not valid JSON", "null body");
    refused(ls_apireq_share_create(p, "{}\0", 3, &req, &why), "not valid JSON",
            "NUL byte in the body");
    refused(create("{\"paths\":[\"a\"],\"paths\":[\"b\"]}", NULL), "duplicate",
            "duplicate key");
    refused(create("{\"paths\":[\"a\"],\"path\":[\"b\"]}", NULL),
            "Unknown field \"path\"", "unknown field named");
    ok(create("{\"paths\":[\"a\"],\"password\":\"correct horse\","
              "\"max_downloads\":1000000}",
              &req)
               == APR_SUCCESS
           && req->password && strcmp(req->password, "correct horse") == 0
           && req->password_len == 13 && req->max_downloads == 1000000,
       "password and max_downloads accepted");
    ok(create("{\"paths\":[\"a\"],\"password\":null,\"max_downloads\":null}",
              &req)
               == APR_SUCCESS
           && req->password == NULL && req->max_downloads == 0,
       "null password and limit: none");
    refused(create("{\"paths\":[\"a\"],\"password\":\"1234567\"}", NULL),
            "Field \"password\" must have 8 to 256 characters",
            "7-character password");
    refused(create(apr_psprintf(p, "{\"paths\":[\"a\"],\"password\":\"%s\"}",
                                repeat('x', 257)),
                   NULL),
            "8 to 256 characters", "257-character password");
    refused(create("{\"paths\":[\"a\"],\"password\":12345678}", NULL),
            "Field \"password\" must be a string", "numeric password");
    refused(
        create("{\"paths\":[\"a\"],\"password\":\"abcd\\u0000efgh\"}", NULL),
        "not valid JSON", "password with a NUL");
    ok(strstr(why, "abcd") == NULL && strstr(why, "efgh") == NULL,
       "... and the sentence does not quote it");
    refused(create("{\"paths\":[\"a\"],\"max_downloads\":0}", NULL),
            "Field \"max_downloads\" must be a whole number from 1 to "
            "1000000",
            "limit 0");
    refused(create("{\"paths\":[\"a\"],\"max_downloads\":1000001}", NULL),
            "\"max_downloads\"", "limit over a million");
    refused(create("{\"paths\":[\"a\"],\"max_downloads\":2.5}", NULL),
            "\"max_downloads\"", "fractional limit");
    refused(create("{\"paths\":[\"a\"],\"max_downloads\":\"5\"}", NULL),
            "\"max_downloads\"", "limit as a string");
    refused(create("{}", NULL), "Nothing to share", "nothing to share");
    refused(create("{\"paths\":[]}", NULL), "Nothing to share",
            "empty paths and no collection");

    /* paths */
    refused(create("{\"paths\":\"a\"}", NULL), "\"paths\"", "paths a string");
    refused(create("{\"paths\":[\"a\",1]}", NULL), "\"paths\"",
            "paths with a number");
    refused(create("{\"paths\":[\"a\",\"../etc\"]}", NULL),
            "\"paths\", entry 2", "paths with '..' names the entry");
    refused(create("{\"paths\":[\"/etc/passwd\"]}", NULL), "\"paths\"",
            "absolute path");
    refused(create("{\"paths\":[\"\"]}", NULL), "\"paths\"", "empty path");
    refused(create("{\"paths\":[\"a\\u0000b\"]}", NULL), "not valid JSON",
            "NUL in a path refused by the JSON parser");
    refused(create("{\"paths\":[\"a\\nb\"]}", NULL), "\"paths\"",
            "line break in a path");
    refused(
        create(apr_psprintf(p, "{\"paths\":%s}", json_list(1001, "\"p%d\"")),
               NULL),
        "more than 1000", "too many paths");

    /* collection */
    refused(create("{\"collection\":5}", NULL), "\"collection\"",
            "collection a number");
    refused(create("{\"collection\":\"0123456789abcdef0\"}", NULL),
            "\"collection\"", "collection too long");
    refused(create("{\"collection\":\"0123456789ABCDEF\"}", NULL),
            "\"collection\"", "collection not an id");

    /* expires */
    refused(create("{\"paths\":[\"a\"],\"expires\":1798736400}", NULL),
            "\"expires\"", "expires a number");
    refused(create("{\"paths\":[\"a\"],\"expires\":\"tomorrow\"}", NULL),
            "\"expires\"", "expires not a date");
    refused(create("{\"paths\":[\"a\"],\"expires\":\"2026-02-30T00:00:00Z\"}",
                   NULL),
            "\"expires\"", "expires Feb 30");

    /* allow_original */
    refused(create("{\"paths\":[\"a\"],\"allow_original\":1}", NULL),
            "\"allow_original\"", "allow_original a number");
    refused(create("{\"paths\":[\"a\"],\"allow_original\":\"true\"}", NULL),
            "\"allow_original\"", "allow_original a string");

    /* recipients */
    refused(create("{\"paths\":[\"a\"],\"recipients\":\"a@b.c\"}", NULL),
            "\"recipients\"", "recipients a string");
    refused(create("{\"paths\":[\"a\"],\"recipients\":[{}]}", NULL),
            "\"recipients\"", "recipients with an object");
    refused(
        create("{\"paths\":[\"a\"],\"recipients\":[\"a@b.c\",\"nope\"]}", NULL),
        "\"recipients\", entry 2", "bad address names the entry");
    refused(create("{\"paths\":[\"a\"],\"recipients\":"
                   "[\"a@b.c\\r\\nBcc: x@y.z\"]}",
                   NULL),
            "\"recipients\"", "header injection refused");
    refused(create(apr_psprintf(p, "{\"paths\":[\"a\"],\"recipients\":%s}",
                                json_list(51, "\"r%d@example.com\"")),
                   NULL),
            "more than 50", "too many recipients");

    /* subject and message */
    refused(create("{\"paths\":[\"a\"],\"subject\":[]}", NULL), "\"subject\"",
            "subject an array");
    refused(create(apr_psprintf(p, "{\"paths\":[\"a\"],\"subject\":\"%s\"}",
                                repeat('s', LS_API_MAX_SUBJECT + 1)),
                   NULL),
            "\"subject\" is longer than 200", "subject too long");
    refused(create(apr_psprintf(p, "{\"paths\":[\"a\"],\"message\":\"%s\"}",
                                repeat('m', LS_API_MAX_MESSAGE + 1)),
                   NULL),
            "\"message\" is longer than 4000", "message too long");
    refused(create("{\"paths\":[\"a\"],\"message\":true}", NULL), "\"message\"",
            "message a boolean");

    /* what becomes a mail header or body */
    refused(create("{\"paths\":[\"a\"],\"subject\":\"Hi\\r\\nBcc: "
                   "x@y.z\"}",
                   NULL),
            "\"subject\" may not contain line breaks", "CRLF in subject");
    refused(create("{\"paths\":[\"a\"],\"subject\":\"Hi\\nthere\"}", NULL),
            "\"subject\"", "LF in subject");
    refused(create("{\"paths\":[\"a\"],\"subject\":\"Hi\\u0085\"}", NULL),
            "\"subject\"", "NEL in subject");
    refused(create("{\"paths\":[\"a\"],\"message\":\"a\\rb\"}", NULL),
            "\"message\" may contain line breaks", "lone CR in message");
    refused(create("{\"paths\":[\"a\"],\"message\":\"a\\u0007b\"}", NULL),
            "\"message\"", "BEL in message");
    {
        ls_share_req_t *r2 = NULL;
        ok(create("{\"paths\":[\"a\"],\"subject\":\"F\\u00fcr dich\","
                  "\"message\":\"l1\\r\\nl2\\n\\tl3\",\"receipt\":true,"
                  "\"recipients\":[\"a@b.c\",\"A@B.C\",\"d@e.f\"]}",
                  &r2)
               == APR_SUCCESS,
           "UTF-8 subject, message with line breaks and a tab: %s",
           why ? why : "");
        ok(r2 && r2->receipt == 1, "receipt true");
        ok(r2 && r2->recipients->nelts == 2, "the same address twice: once");
        ok(create("{\"paths\":[\"a\"]}", &r2) == APR_SUCCESS
               && r2->receipt == 0,
           "receipt off by default");
    }
    refused(create("{\"paths\":[\"a\"],\"receipt\":\"yes\"}", NULL),
            "\"receipt\" must be true or false", "receipt a string");
}

static void test_resend(void)
{
    const char *email = NULL;

    ok(ls_apireq_resend(p, "{\"email\":\"bob@example.com\"}", 27, &email, &why)
               == APR_SUCCESS
           && strcmp(email, "bob@example.com") == 0,
       "resend body");
    ok(ls_apireq_resend(p, "{}", 2, &email, &why) == APR_EINVAL
           && why_has("\"email\""),
       "resend needs email");
    ok(ls_apireq_resend(p, "{\"email\":\"x\\r\\n@y.z\"}", 21, &email, &why)
           == APR_EINVAL,
       "resend to an injected address refused");
    ok(ls_apireq_resend(p, "{\"email\":\"a@b.c\",\"x\":1}", 23, &email, &why)
           == APR_EINVAL,
       "resend with an unknown field refused");
}

/* The body of POST .../shares/ID/recipients. */
static apr_status_t share_mail(const char *body, ls_share_mail_req_t *m)
{
    return ls_apireq_share_mail(p, body, strlen(body), m, &why);
}

static void test_share_mail(void)
{
    ls_share_mail_req_t m;

    ok(share_mail("{\"recipients\":[\"bob@example.com\",\"BOB@example.com\","
                  "\"eve@example.com\"],\"subject\":\"Hi\",\"message\":"
                  "\"a\\nb\",\"receipt\":true}",
                  &m)
               == APR_SUCCESS
           && m.recipients->nelts == 2 && strcmp(m.subject, "Hi") == 0
           && strcmp(m.message, "a\nb") == 0 && m.receipt == 1,
       "recipients afterwards: addresses (the same one once), subject, "
       "message, receipt");
    ok(share_mail("{\"recipients\":[\"a@b.c\"]}", &m) == APR_SUCCESS
           && m.subject == NULL && m.message == NULL && m.receipt == 0,
       "recipients afterwards: the rest is optional");
    refused(share_mail("{\"recipients\":[]}", &m), "at least one email",
            "no recipient");
    refused(share_mail("{}", &m), "at least one email", "recipients absent");
    refused(share_mail("{\"recipients\":[\"a@b.c\"],\"subject\":\"x\\r\\nBcc: "
                       "e@f.g\"}",
                       &m),
            "line breaks", "CR/LF in the subject");
    refused(share_mail("{\"recipients\":[\"a@b.c\"],\"paths\":[\"x\"]}", &m),
            "paths", "a field of share creation only");
    refused(share_mail("{\"recipients\":[\"a@b.c>, x@y.z\"]}", &m),
            "not a valid email", "an injected address");
}

static void test_share_patch(void)
{
    apr_int64_t expires = 0;

    ok(patch("{\"expires\":\"2026-12-31T17:00:00Z\"}", &expires) == APR_SUCCESS
           && expires == APR_INT64_C(1798736400),
       "patch accepted");
    ok(patch("{\"expires\":\"2026-12-31T19:00:00+02:00\"}", &expires)
               == APR_SUCCESS
           && expires == APR_INT64_C(1798736400),
       "patch with an offset");
    {
        ls_share_patch_t pt;
        ok(ls_apireq_share_patch(p, "{\"password\":null}", 17, &pt, &why)
                   == APR_SUCCESS
               && pt.has_password && pt.password == NULL,
           "patch: password null removes it");
        ok(ls_apireq_share_patch(p, "{\"password\":\"s3cret-pw\"}", 24, &pt,
                                 &why)
                   == APR_SUCCESS
               && pt.has_password && strcmp(pt.password, "s3cret-pw") == 0
               && pt.password_len == 9,
           "patch: a new password");
        ok(ls_apireq_share_patch(p, "{\"max_downloads\":5}", 19, &pt, &why)
                   == APR_SUCCESS
               && pt.has_max_downloads && pt.max_downloads == 5,
           "patch: a limit");
        ok(ls_apireq_share_patch(p, "{\"max_downloads\":null}", 22, &pt, &why)
                   == APR_SUCCESS
               && pt.has_max_downloads && pt.max_downloads == 0,
           "patch: null removes the limit");
        ok(ls_apireq_share_patch(p, "{\"password\":\"short\"}", 20, &pt, &why)
                   == APR_EINVAL
               && strstr(why, "8 to 256 characters")
               && strstr(why, "short") == NULL,
           "patch: a short password refused without quoting it");
    }
    refused(patch("{}", NULL), "Nothing to change", "nothing to change");
    refused(patch("{\"expires\":null}", NULL), "Nothing to change",
            "expires null");
    refused(patch("{\"expires\":\"soon\"}", NULL), "\"expires\"",
            "expires malformed");
    refused(patch("{\"expires\":\"2026-12-31T17:00:00Z\",\"paths\":[]}", NULL),
            "Unknown field \"paths\"", "unknown field");
    refused(patch("{\"expires\":\"2026-12-31T17:00:00Z\","
                  "\"expires\":\"2027-12-31T17:00:00Z\"}",
                  NULL),
            "duplicate", "duplicate key");
    refused(patch("[]", NULL), "JSON object", "array body");
    refused(patch("", NULL), "empty", "empty body");
    refused(patch("{", NULL), "not valid JSON", "broken JSON");
}

/* A share's name: 200 characters (not bytes), no control characters,
 * null or "" for none, in a new share and in a change. */
static void test_share_name(void)
{
    ls_share_req_t *req = NULL;
    ls_share_patch_t pt;
    char body[2048], name[1024];
    int i;

    for (i = 0; i < 200; i++) {
        memcpy(name + 2 * i, "\xc3\xa9", 2); /* 200 x e-acute: 400 bytes */
    }
    name[400] = '\0';
    apr_snprintf(body, sizeof(body), "{\"paths\":[\"a\"],\"name\":\"%s\"}",
                 name);
    ok(create(body, &req) == APR_SUCCESS && req->name
           && strlen(req->name) == 400,
       "a name of 200 characters (400 bytes) is accepted");
    apr_snprintf(body, sizeof(body), "{\"paths\":[\"a\"],\"name\":\"x%s\"}",
                 name);
    refused(create(body, NULL), "\"name\" is longer than 200 characters",
            "201 characters refused");
    refused(create("{\"paths\":[\"a\"],\"name\":\"a\\nb\"}", NULL),
            "Field \"name\" may not contain line breaks", "LF refused");
    refused(create("{\"paths\":[\"a\"],\"name\":\"a\\tb\"}", NULL),
            "Field \"name\"", "TAB refused");
    refused(create("{\"paths\":[\"a\"],\"name\":\"a\\u0000b\"}", NULL),
            "\\u0000", "NUL refused (by the JSON parser)");
    refused(create("{\"paths\":[\"a\"],\"name\":\"a\\u0085b\"}", NULL),
            "Field \"name\"", "C1 control refused");
    refused(create("{\"paths\":[\"a\"],\"name\":5}", NULL),
            "\"name\" must be a string", "a number refused");
    ok(create("{\"paths\":[\"a\"],\"name\":\"\"}", &req) == APR_SUCCESS
           && req->name == NULL,
       "an empty name is no name");
    ok(create("{\"paths\":[\"a\"]}", &req) == APR_SUCCESS && req->name == NULL,
       "no name by default");
    why = NULL;
    ok(ls_apireq_share_patch(p, "{\"name\":\"Q3 <b>\"}", 17, &pt, &why)
               == APR_SUCCESS
           && pt.has_name && !pt.has_expires && strcmp(pt.name, "Q3 <b>") == 0,
       "a change of name alone");
    ok(ls_apireq_share_patch(p, "{\"name\":null}", 13, &pt, &why) == APR_SUCCESS
           && pt.has_name && pt.name == NULL,
       "null removes the name");
    ok(ls_apireq_share_patch(p, "{\"name\":\"\\r\"}", 13, &pt, &why)
               == APR_EINVAL
           && why_has("\"name\""),
       "a change to a name with CR is refused naming the field");
}

static void test_collection_create(void)
{
    const char *name = NULL;
    apr_array_header_t *paths = NULL;

    ok(collection("{\"name\":\"Press kit\",\"paths\":[\"press kit/logo.png\","
                  "\"readme.txt\"]}",
                  &name, &paths)
           == APR_SUCCESS,
       "collection accepted (%s)", why ? why : "");
    is_str(name, "Press kit", "name");
    ok(paths && paths->nelts == 2, "two paths");
    ok(collection(apr_psprintf(p, "{\"name\":\"%s\",\"paths\":[\"a\"]}",
                               repeat('n', LS_API_MAX_NAME)),
                  NULL, NULL)
           == APR_SUCCESS,
       "name of the maximum length accepted");
    refused(collection("{\"paths\":[\"a\"]}", NULL, NULL),
            "\"name\" is required", "name missing");
    refused(collection("{\"name\":\"\",\"paths\":[\"a\"]}", NULL, NULL),
            "\"name\" is required", "name empty");
    refused(collection("{\"name\":null,\"paths\":[\"a\"]}", NULL, NULL),
            "\"name\" is required", "name null");
    refused(collection("{\"name\":7,\"paths\":[\"a\"]}", NULL, NULL),
            "\"name\"", "name a number");
    refused(collection("{\"name\":\"a\\r\\nb\",\"paths\":[\"a\"]}", NULL, NULL),
            "\"name\" may not contain line breaks", "name with CR LF");
    refused(collection("{\"name\":\"a\\nb\",\"paths\":[\"a\"]}", NULL, NULL),
            "\"name\" may not contain line breaks", "name with LF");
    refused(collection(apr_psprintf(p, "{\"name\":\"%s\",\"paths\":[\"a\"]}",
                                    repeat('n', LS_API_MAX_NAME + 1)),
                       NULL, NULL),
            "\"name\" is longer than 200", "name too long");
    refused(collection("{\"name\":\"x\"}", NULL, NULL), "\"paths\" is required",
            "paths missing");
    refused(collection("{\"name\":\"x\",\"paths\":[]}", NULL, NULL),
            "\"paths\" needs at least one path", "paths empty");
    refused(collection("{\"name\":\"x\",\"paths\":[\"a/./b\"]}", NULL, NULL),
            "\"paths\", entry 1", "bad path");
    refused(collection(apr_psprintf(p, "{\"name\":\"x\",\"paths\":%s}",
                                    json_list(1001, "\"p%d\"")),
                       NULL, NULL),
            "more than 1000", "too many paths");
    refused(collection("{\"name\":\"x\",\"paths\":[\"a\"],\"owner\":\"eve\"}",
                       NULL, NULL),
            "Unknown field \"owner\"", "unknown field");
    refused(collection("{\"name\":\"x\",\"name\":\"y\",\"paths\":[\"a\"]}",
                       NULL, NULL),
            "duplicate", "duplicate key");
    refused(collection("42", NULL, NULL), "not valid JSON", "number body");
}

static void test_email(void)
{
    const char *local64 = repeat('l', 64);
    /* 64 + 1 + 189 = 254 characters (63 + 1 + 63 + 1 + 57 + 4). */
    const char *dom189 = apr_pstrcat(p, repeat('d', 63), ".", repeat('d', 63),
                                     ".", repeat('d', 57), ".com", NULL);

    ok(ls_mail_address_ok("alice@example.com"), "plain address");
    ok(ls_mail_address_ok("a.b+tag@sub.example.co.uk"),
       "dots, plus, subdomain");
    ok(ls_mail_address_ok("o'brien@example.com"), "apostrophe");
    ok(ls_mail_address_ok("x@y.z"), "short address");
    ok(ls_mail_address_ok(apr_pstrcat(p, local64, "@", dom189, NULL)),
       "254 characters accepted");
    ok(!ls_mail_address_ok(apr_pstrcat(p, local64, "@d", dom189, NULL)),
       "255 characters refused");
    ok(!ls_mail_address_ok(apr_pstrcat(p, local64, "l@example.com", NULL)),
       "local part of 65 refused");
    ok(!ls_mail_address_ok(
           apr_pstrcat(p, repeat('a', 300), "@example.com", NULL)),
       "very long refused");
    ok(!ls_mail_address_ok(NULL), "NULL");
    ok(!ls_mail_address_ok(""), "empty");
    ok(!ls_mail_address_ok("a@"), "too short");
    ok(!ls_mail_address_ok("alice"), "no @");
    ok(!ls_mail_address_ok("@example.com"), "no local part");
    ok(!ls_mail_address_ok("alice@"), "no domain");
    ok(!ls_mail_address_ok("alice@example"), "no dot in the domain");
    ok(!ls_mail_address_ok("a@b"), "a@b");
    ok(!ls_mail_address_ok("alice@@example.com"), "two @ together");
    ok(!ls_mail_address_ok("alice@ex@ample.com"), "two @ apart");
    ok(!ls_mail_address_ok("alice@.example.com"), "domain with a leading dot");
    ok(!ls_mail_address_ok("alice@example.com."), "domain with a trailing dot");
    ok(!ls_mail_address_ok("alice@example..com"), "double dot in the domain");
    ok(!ls_mail_address_ok("alice@example.com\r\nBcc: eve@evil.com"),
       "CR LF refused");
    ok(!ls_mail_address_ok("alice@example.com\n"), "trailing LF refused");
    ok(!ls_mail_address_ok("alice\r@example.com"), "CR refused");
    ok(!ls_mail_address_ok("alice smith@example.com"), "space refused");
    ok(!ls_mail_address_ok(" alice@example.com"), "leading space refused");
    ok(!ls_mail_address_ok("alice@example.com "), "trailing space refused");
    ok(!ls_mail_address_ok("alice\t@example.com"), "tab refused");
    ok(!ls_mail_address_ok("\"alice\"@example.com"), "double quotes refused");
    ok(!ls_mail_address_ok("<alice@example.com>"), "angle brackets refused");
    ok(!ls_mail_address_ok("Alice <alice@example.com>"),
       "display name refused");
    ok(!ls_mail_address_ok("alice@example.com,bob@example.com"),
       "comma refused");
    ok(!ls_mail_address_ok("alice;bob@example.com"), "semicolon refused");
    ok(!ls_mail_address_ok("alice@[127.0.0.1]"), "address literal refused");
    ok(!ls_mail_address_ok("caf\xc3\xa9@example.com"), "non-ASCII refused");
    ok(!ls_mail_address_ok("alice\x7f@example.com"), "DEL refused");
    /* RFC 5321 dot-string: no leading, trailing or doubled dot. */
    ok(!ls_mail_address_ok(".alice@example.com"),
       "local part with a leading dot");
    ok(!ls_mail_address_ok("alice.@example.com"),
       "local part with a trailing dot");
    ok(!ls_mail_address_ok("al..ice@example.com"),
       "double dot in the local part");
    ok(ls_mail_address_ok("al.ice@ex..ample.com") == 0,
       "double dot in the domain");
    ok(ls_mail_address_ok("al.ice@example.com"), "one dot in the local part");
}

int main(void)
{
    apr_initialize();
    apr_pool_create(&p, NULL);
    test_share_create();
    test_share_patch();
    test_share_name();
    test_resend();
    test_share_mail();
    test_collection_create();
    test_email();
    apr_pool_destroy(p);
    apr_terminate();
    done_testing();
}
