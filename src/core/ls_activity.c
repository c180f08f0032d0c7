/* ls_activity: addresses, JSON and CSV of the activity log (see
 * ls_activity.h). */
#include <arpa/inet.h>
#include <string.h>

#include <apr_strings.h>

#include "ls_activity.h"
#include "ls_time.h"

const char *ls_activity_address(apr_pool_t *p, const char *ip,
                                ls_activity_addr_t mode)
{
    unsigned char a[16];
    char out[INET6_ADDRSTRLEN];
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0,    0,
                                             0, 0, 0, 0, 0xff, 0xff};

    if (ip == NULL || mode == LS_ACTIVITY_ADDR_NONE) {
        return NULL;
    }
    if (inet_pton(AF_INET, ip, a) == 1) {
        if (mode == LS_ACTIVITY_ADDR_TRUNCATED) {
            a[3] = 0;
        }
        return inet_ntop(AF_INET, a, out, sizeof(out)) ? apr_pstrdup(p, out)
                                                       : NULL;
    }
    if (inet_pton(AF_INET6, ip, a) != 1) {
        return NULL;
    }
    if (memcmp(a, mapped, sizeof(mapped)) == 0) {
        /* The IPv4 client of a dual-stack listener. */
        if (mode == LS_ACTIVITY_ADDR_TRUNCATED) {
            a[15] = 0;
        }
        return inet_ntop(AF_INET, a + 12, out, sizeof(out))
                   ? apr_pstrdup(p, out)
                   : NULL;
    }
    if (mode == LS_ACTIVITY_ADDR_TRUNCATED) {
        memset(a + 6, 0, 10); /* keep the first 48 bits */
    }
    return inet_ntop(AF_INET6, a, out, sizeof(out)) ? apr_pstrdup(p, out)
                                                    : NULL;
}

/* Non-zero when s is well-formed UTF-8 (no overlongs, no surrogates). */
static int utf8_ok(const unsigned char *s)
{
    while (*s) {
        int n = *s < 0x80                  ? 0
                : *s >= 0xc2 && *s <= 0xdf ? 1
                : (*s & 0xf0) == 0xe0      ? 2
                : *s >= 0xf0 && *s <= 0xf4 ? 3
                                           : -1;
        int i;

        if (n < 0) {
            return 0;
        }
        for (i = 1; i <= n; i++) {
            if ((s[i] & 0xc0) != 0x80) {
                return 0;
            }
        }
        if ((n == 2
             && ((s[0] == 0xe0 && s[1] < 0xa0)
                 || (s[0] == 0xed && s[1] >= 0xa0)))
            || (n == 3
                && ((s[0] == 0xf0 && s[1] < 0x90)
                    || (s[0] == 0xf4 && s[1] >= 0x90)))) {
            return 0;
        }
        s += n + 1;
    }
    return 1;
}

const char *ls_activity_text(apr_pool_t *p, const char *s)
{
    const unsigned char *c;
    char *out, *o;

    if (s == NULL || utf8_ok((const unsigned char *)s)) {
        return s;
    }
    out = o = apr_palloc(p, strlen(s) * 3 + 1);
    for (c = (const unsigned char *)s; *c; c++) {
        if (*c < 0x80) {
            *o++ = (char)*c;
        }
        else {
            o += apr_snprintf(o, 4, "%%%02X", *c);
        }
    }
    *o = '\0';
    return out;
}

static json_t *str_or_null(apr_pool_t *p, const char *s)
{
    return s ? json_string(ls_activity_text(p, s)) : json_null();
}

/* Seconds are what every other time of the API shows; the cursor keeps
 * the microseconds that order events within one. */
static const char *event_time(apr_pool_t *p, const ls_activity_t *e)
{
    return ls_time_format_rfc3339(p, e->at / APR_USEC_PER_SEC);
}

json_t *ls_activity_json(apr_pool_t *p, const apr_array_header_t *events,
                         const char *next)
{
    json_t *list = json_array();
    int i;

    for (i = 0; i < events->nelts; i++) {
        const ls_activity_t *e = &APR_ARRAY_IDX(events, i, ls_activity_t);

        json_array_append_new(
            list,
            json_pack("{s:s, s:o, s:o, s:o, s:i, s:I, s:o}", "time",
                      event_time(p, e), "kind", str_or_null(p, e->kind), "path",
                      str_or_null(p, e->path), "job", str_or_null(p, e->job),
                      "status", e->status, "bytes", (json_int_t)e->bytes,
                      "address", str_or_null(p, e->address)));
    }
    return json_pack("{s:o, s:o}", "events", list, "next",
                     str_or_null(p, next));
}

/* One CSV field of text from outside (a path, an address). */
static void csv_field(apr_pool_t *p, apr_array_header_t *out, const char *s)
{
    int formula, quote;
    const char *c;

    s = ls_activity_text(p, s);
    formula = s && strchr("=+-@\t\r", s[0]) && s[0] != '\0';
    quote = formula || (s && strpbrk(s, ",\"\r\n") != NULL);

    if (quote) {
        APR_ARRAY_PUSH(out, char) = '"';
    }
    if (formula) {
        APR_ARRAY_PUSH(out, char) = '\'';
    }
    for (c = s; c && *c; c++) {
        if (*c == '"') {
            APR_ARRAY_PUSH(out, char) = '"';
        }
        APR_ARRAY_PUSH(out, char) = *c;
    }
    if (quote) {
        APR_ARRAY_PUSH(out, char) = '"';
    }
}

static void csv_raw(apr_array_header_t *out, const char *s)
{
    for (; *s; s++) {
        APR_ARRAY_PUSH(out, char) = *s;
    }
}

const char *ls_activity_csv(apr_pool_t *p, const apr_array_header_t *events)
{
    apr_array_header_t *out = apr_array_make(p, 128 * (events->nelts + 1), 1);
    int i;

    csv_raw(out, "time,kind,path,job,status,bytes,address\r\n");
    for (i = 0; i < events->nelts; i++) {
        const ls_activity_t *e = &APR_ARRAY_IDX(events, i, ls_activity_t);

        csv_raw(out, event_time(p, e));
        csv_raw(out, ",");
        csv_field(p, out, e->kind);
        csv_raw(out, ",");
        csv_field(p, out, e->path);
        csv_raw(out, ",");
        csv_field(p, out, e->job);
        csv_raw(out, apr_psprintf(p, ",%d,%" APR_INT64_T_FMT ",", e->status,
                                  e->bytes));
        csv_field(p, out, e->address);
        csv_raw(out, "\r\n");
    }
    APR_ARRAY_PUSH(out, char) = '\0';
    return out->elts;
}
