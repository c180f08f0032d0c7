/* libFuzzer target for ls_time: the input is both an RFC 3339 timestamp
 * (API "expires") and a duration (configuration). A parsed time within
 * the years 1970-9999 must survive a round trip through the formatter. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <apr_general.h>

#include "ls_time.h"

/* 9999-12-31T23:59:59Z */
#define LAST_SECOND APR_INT64_C(253402300799)

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    apr_initialize();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p;
    apr_int64_t t, back, d;
    char *s = malloc(size + 1); /* exact size: ASan sees over-reads */

    memcpy(s, data, size);
    s[size] = '\0';
    apr_pool_create(&p, NULL);
    if (ls_time_parse_rfc3339(s, &t) == APR_SUCCESS) {
        /* An offset of up to 23:59 can move a date one day either way. */
        if (t < -86400 || t > LAST_SECOND + 86400) {
            abort();
        }
        if (t >= 0 && t <= LAST_SECOND) {
            const char *f = ls_time_format_rfc3339(p, t);
            if (strlen(f) != 20 || ls_time_parse_rfc3339(f, &back)
                || back != t) {
                abort();
            }
        }
    }
    if (ls_time_parse_duration(s, &d) == APR_SUCCESS) {
        if (d <= 0 || d > (APR_INT64_C(1) << 40) * 7 * 86400) {
            abort();
        }
    }
    apr_pool_destroy(p);
    free(s);
    return 0;
}
