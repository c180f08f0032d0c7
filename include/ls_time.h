/* ls_time: RFC 3339 timestamps and configuration durations. Pure unit.
 * Times are seconds since the Unix epoch (apr_int64_t), always UTC. */
#ifndef LS_TIME_H
#define LS_TIME_H

#include <apr_pools.h>
#include <apr_errno.h>

/* Parses "2026-11-28T10:00:00Z" or with a numeric offset ("+02:00") and
 * optional fractional seconds (dropped). APR_EINVAL when malformed. */
apr_status_t ls_time_parse_rfc3339(const char *s, apr_int64_t *out);

/* Formats t as "YYYY-MM-DDTHH:MM:SSZ" in p. */
const char *ls_time_format_rfc3339(apr_pool_t *p, apr_int64_t t);

/* Parses a duration: a number of seconds, or a number followed by one of
 * s, m, h, d, w ("90m", "1d"). Rejects zero, negatives, overflow and
 * anything else with APR_EINVAL. */
apr_status_t ls_time_parse_duration(const char *s, apr_int64_t *out);

#endif /* LS_TIME_H */
