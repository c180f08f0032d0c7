/* ls_time: RFC 3339 timestamps and durations (see ls_time.h). */
#include <string.h>

#include <apr_strings.h>

#include "ls_time.h"

static int digits(const char *s, int n, int *out)
{
    int v = 0, i;
    for (i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return 0;
        }
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 1;
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar. */
static apr_int64_t days_from_civil(apr_int64_t y, int m, int d)
{
    apr_int64_t era, yoe, doy, doe;
    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int days_in_month(int y, int m)
{
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 ? 28 + leap : dm[m - 1];
}

apr_status_t ls_time_parse_rfc3339(const char *s, apr_int64_t *out)
{
    int y, mo, d, h, mi, sec, oh = 0, om = 0, sign = 0;
    const char *p;

    if (s == NULL || strlen(s) < 20 || !digits(s, 4, &y) || s[4] != '-'
        || !digits(s + 5, 2, &mo) || s[7] != '-' || !digits(s + 8, 2, &d)
        || (s[10] != 'T' && s[10] != 't' && s[10] != ' ')
        || !digits(s + 11, 2, &h) || s[13] != ':' || !digits(s + 14, 2, &mi)
        || s[16] != ':' || !digits(s + 17, 2, &sec)) {
        return APR_EINVAL;
    }
    if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo)
        || h > 23 || mi > 59 || sec > 60
        || (sec == 60 && !(h == 23 && mi == 59))) {
        return APR_EINVAL; /* a leap second only ends a UTC day */
    }
    p = s + 19;
    if (*p == '.') {
        p++;
        if (*p < '0' || *p > '9') {
            return APR_EINVAL;
        }
        while (*p >= '0' && *p <= '9') {
            p++;
        }
    }
    if ((*p == 'Z' || *p == 'z') && p[1] == '\0') {
        sign = 0;
    }
    else if ((*p == '+' || *p == '-') && strlen(p) == 6 && digits(p + 1, 2, &oh)
             && p[3] == ':' && digits(p + 4, 2, &om) && oh <= 23 && om <= 59) {
        sign = *p == '+' ? 1 : -1;
    }
    else {
        return APR_EINVAL;
    }
    if (sec == 60) {
        sec = 59; /* a leap second lands on the second before it */
    }
    *out = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec
           - sign * (oh * 3600 + om * 60);
    /* Keep to what the formatter can write back: 1970 to 9999 UTC. */
    if (*out < 0 || *out > APR_INT64_C(253402300799)) {
        return APR_EINVAL;
    }
    return APR_SUCCESS;
}

const char *ls_time_format_rfc3339(apr_pool_t *p, apr_int64_t t)
{
    apr_int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
    apr_int64_t rem = t - days * 86400;
    apr_int64_t z = days + 719468;
    apr_int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    apr_int64_t doe = z - era * 146097;
    apr_int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    apr_int64_t y = yoe + era * 400;
    apr_int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    apr_int64_t mp = (5 * doy + 2) / 153;
    int d = (int)(doy - (153 * mp + 2) / 5 + 1);
    int m = (int)(mp < 10 ? mp + 3 : mp - 9);

    y += m <= 2;
    return apr_psprintf(p, "%04d-%02d-%02dT%02d:%02d:%02dZ", (int)y, m, d,
                        (int)(rem / 3600), (int)(rem % 3600 / 60),
                        (int)(rem % 60));
}

apr_status_t ls_time_parse_duration(const char *s, apr_int64_t *out)
{
    apr_int64_t v = 0, mult = 1;
    const char *p = s;

    if (s == NULL || *s < '0' || *s > '9') {
        return APR_EINVAL;
    }
    while (*p >= '0' && *p <= '9') {
        v = v * 10 + (*p - '0');
        if (v > APR_INT64_C(1) << 40) {
            return APR_EINVAL;
        }
        p++;
    }
    switch (*p) {
    case '\0':
    case 's':
        break;
    case 'm':
        mult = 60;
        break;
    case 'h':
        mult = 3600;
        break;
    case 'd':
        mult = 86400;
        break;
    case 'w':
        mult = 7 * 86400;
        break;
    default:
        return APR_EINVAL;
    }
    if (*p != '\0' && p[1] != '\0') {
        return APR_EINVAL;
    }
    /* Nothing in this module needs more than a hundred years. */
    if (v == 0 || v * mult > APR_INT64_C(100) * 366 * 86400) {
        return APR_EINVAL;
    }
    *out = v * mult;
    return APR_SUCCESS;
}
