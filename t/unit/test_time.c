/* Unit tests for ls_time: RFC 3339 parsing and formatting, durations. */
#include <apr_general.h>

#include "ls_time.h"
#include "tap.h"

/* The parsed value of s, or -1 when it is refused. */
static apr_int64_t parse(const char *s)
{
    apr_int64_t t = -1;
    return ls_time_parse_rfc3339(s, &t) == APR_SUCCESS ? t : -1;
}

static apr_int64_t duration(const char *s)
{
    apr_int64_t v = -1;
    return ls_time_parse_duration(s, &v) == APR_SUCCESS ? v : -1;
}

int main(void)
{
    apr_pool_t *p;
    apr_int64_t t = 12345;
    /* Expected values from `date -u -d STAMP +%s`. */
    static const struct {
        const char *stamp;
        apr_int64_t epoch;
    } known[] = {
        {"1970-01-01T00:00:00Z", 0},
        {"2000-02-29T00:00:00Z", 951782400},
        {"2024-02-29T23:59:59Z", 1709251199},
        {"2026-11-28T10:00:00Z", 1795860000},
        {"2038-01-19T03:14:08Z", APR_INT64_C(2147483648)},
        {"2100-01-01T00:00:00Z", APR_INT64_C(4102444800)},
        {"2100-02-28T12:34:56Z", APR_INT64_C(4107501296)},
        {"2100-03-01T00:00:00Z", APR_INT64_C(4107542400)},
        {"2100-12-31T23:59:59Z", APR_INT64_C(4133980799)},
        {"9999-12-31T23:59:59Z", APR_INT64_C(253402300799)},
    };
    int i;

    apr_initialize();
    apr_pool_create(&p, NULL);

    /* Known instants, and the round trip through the formatter. */
    for (i = 0; i < (int)(sizeof(known) / sizeof(known[0])); i++) {
        ok(parse(known[i].stamp) == known[i].epoch, "parse %s", known[i].stamp);
        is_str(ls_time_format_rfc3339(p, known[i].epoch), known[i].stamp,
               "format %s", known[i].stamp);
        ok(parse(ls_time_format_rfc3339(p, known[i].epoch)) == known[i].epoch,
           "round trip %s", known[i].stamp);
    }

    /* Separators, offsets and fractions. */
    ok(parse("2026-11-28t10:00:00z") == 1795860000, "lower-case t and z");
    ok(parse("2026-11-28 10:00:00Z") == 1795860000, "space separator");
    ok(parse("2026-11-28T12:00:00+02:00") == 1795860000, "offset +02:00");
    ok(parse("2026-11-28T04:30:00-05:30") == 1795860000, "offset -05:30");
    ok(parse("2026-11-28T10:00:00+00:00") == 1795860000, "offset +00:00");
    ok(parse("2026-11-28T10:00:00-00:00") == 1795860000, "offset -00:00");
    ok(parse("2026-11-29T00:30:00+14:30") == 1795860000,
       "offset crossing midnight");
    ok(parse("2026-11-28T10:00:00.5Z") == 1795860000, "fraction dropped");
    ok(parse("2026-11-28T10:00:00.123456789Z") == 1795860000,
       "nine fractional digits dropped");
    ok(parse("2026-11-28T12:00:00.999+02:00") == 1795860000,
       "fraction with an offset");
    ok(parse("2016-12-31T23:59:60Z") == parse("2016-12-31T23:59:59Z"),
       "leap second lands on the second before it");

    /* Calendar rules. */
    ok(parse("2024-02-29T00:00:00Z") != -1, "Feb 29 in a leap year");
    ok(parse("2000-02-29T00:00:00Z") != -1,
       "Feb 29 in 2000 (divisible by 400)");
    ok(parse("2023-02-29T00:00:00Z") == -1, "Feb 29 in 2023 refused");
    ok(parse("2100-02-29T00:00:00Z") == -1,
       "Feb 29 in 2100 refused (divisible by 100)");
    ok(parse("2024-02-30T00:00:00Z") == -1, "Feb 30 refused");
    ok(parse("2026-04-31T00:00:00Z") == -1, "Apr 31 refused");
    ok(parse("2026-12-31T00:00:00Z") != -1, "Dec 31 accepted");
    ok(parse("2026-13-01T00:00:00Z") == -1, "month 13 refused");
    ok(parse("2026-00-01T00:00:00Z") == -1, "month 0 refused");
    ok(parse("2026-01-00T00:00:00Z") == -1, "day 0 refused");
    ok(parse("2026-01-32T00:00:00Z") == -1, "day 32 refused");
    ok(parse("2026-01-01T24:00:00Z") == -1, "hour 24 refused");
    ok(parse("2026-01-01T00:60:00Z") == -1, "minute 60 refused");
    ok(parse("2026-01-01T00:00:61Z") == -1, "second 61 refused");
    ok(parse("1969-12-31T23:59:59Z") == -1, "before 1970 refused");

    /* Malformed input. */
    ok(ls_time_parse_rfc3339(NULL, &t) == APR_EINVAL, "NULL refused");
    ok(parse("") == -1, "empty refused");
    ok(parse("garbage") == -1, "garbage refused");
    ok(parse("2026-11-28") == -1, "date only refused");
    ok(parse("2026-11-28T10:00:00") == -1, "no zone refused");
    ok(parse("2026-11-28T10:00Z") == -1, "no seconds refused");
    ok(parse("2026-11-28T10:00:0Z") == -1, "one-digit seconds refused");
    ok(parse("26-11-28T10:00:00Z") == -1, "two-digit year refused");
    ok(parse("2026/11/28T10:00:00Z") == -1, "slashes refused");
    ok(parse("2026-11-28X10:00:00Z") == -1, "bad separator refused");
    ok(parse("2026-1a-28T10:00:00Z") == -1, "letter in month refused");
    ok(parse("+026-11-28T10:00:00Z") == -1, "sign in year refused");
    ok(parse("2026-11-28T10:00:00ZZ") == -1, "trailing Z refused");
    ok(parse("2026-11-28T10:00:00Z ") == -1, "trailing space refused");
    ok(parse("2026-11-28T10:00:00Zjunk") == -1, "trailing junk refused");
    ok(parse("2026-11-28T10:00:00+02:00x") == -1, "junk after offset refused");
    ok(parse("2026-11-28T10:00:00.Z") == -1, "empty fraction refused");
    ok(parse("2026-11-28T10:00:00,5Z") == -1, "comma fraction refused");
    ok(parse("2026-11-28T10:00:00+0200") == -1, "offset without colon refused");
    ok(parse("2026-11-28T10:00:00+02") == -1, "short offset refused");
    ok(parse("2026-11-28T10:00:00+24:00") == -1, "offset +24:00 refused");
    ok(parse("2026-11-28T10:00:00+02:60") == -1, "offset minute 60 refused");
    ok(parse("2026-11-28T10:00:00+0a:00") == -1, "letter in offset refused");
    t = 12345;
    ok(ls_time_parse_rfc3339("nope", &t) == APR_EINVAL && t == 12345,
       "output untouched on failure");

    /* Durations. */
    ok(duration("3600") == 3600, "plain seconds");
    ok(duration("45s") == 45, "45s");
    ok(duration("90m") == 5400, "90m");
    ok(duration("12h") == 43200, "12h");
    ok(duration("1d") == 86400, "1d");
    ok(duration("2w") == 1209600, "2w");
    ok(duration("007") == 7, "leading zeros allowed");
    ok(duration("5200w") == APR_INT64_C(5200) * 604800,
       "a hundred years in weeks accepted");
    ok(duration("36600d") == APR_INT64_C(36600) * 86400,
       "100 * 366 days is the longest duration");
    ok(duration("36601d") == -1, "longer than a hundred years refused");
    ok(duration("1099511627776w") == -1, "2^40 weeks refused");
    ok(duration("1099511627777") == -1, "above 2^40 refused");
    ok(parse("2026-11-28T12:34:60Z") == -1,
       "a leap second only at the end of a UTC day");
    ok(parse("1970-01-01T00:00:00+01:00") == -1, "before 1970 UTC refused");
    ok(parse("9999-12-31T23:59:59-01:00") == -1, "after 9999 UTC refused");
    ok(duration("99999999999999999999999999") == -1, "overflow refused");
    ok(duration("0") == -1, "0 refused");
    ok(duration("0d") == -1, "0d refused");
    ok(duration("000") == -1, "000 refused");
    ok(duration("") == -1, "empty refused");
    ok(duration(NULL) == -1, "NULL refused");
    ok(duration("-1") == -1, "-1 refused");
    ok(duration("+1") == -1, "+1 refused");
    ok(duration(" 1") == -1, "leading space refused");
    ok(duration("1 ") == -1, "trailing space refused");
    ok(duration("1x") == -1, "unknown unit refused");
    ok(duration("1D") == -1, "upper-case unit refused");
    ok(duration("1dd") == -1, "doubled unit refused");
    ok(duration("1d1") == -1, "digit after unit refused");
    ok(duration("d") == -1, "unit alone refused");
    ok(duration("1.5h") == -1, "fraction refused");
    t = 12345;
    ok(ls_time_parse_duration("1x", &t) == APR_EINVAL && t == 12345,
       "output untouched on failure");

    apr_pool_destroy(p);
    apr_terminate();
    done_testing();
}
