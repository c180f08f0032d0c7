/* ls_query: query strings and form bodies (application/x-www-form-
 * urlencoded). Pure unit. Decoding refuses %00 and malformed escapes so a
 * NUL can never shorten a path behind a check. */
#ifndef LS_QUERY_H
#define LS_QUERY_H

#include <apr_pools.h>
#include <apr_tables.h>
#include <apr_errno.h>

/* Decodes one form-encoded value ('+' is a space). APR_EINVAL for a
 * malformed escape or an encoded NUL. */
apr_status_t ls_query_decode(apr_pool_t *p, const char *in, apr_size_t len,
                             const char **out);

/* The first value of name in args (may be NULL). APR_NOTFOUND when
 * absent, APR_EINVAL when its encoding is bad. */
apr_status_t ls_query_get(apr_pool_t *p, const char *args, const char *name,
                          const char **out);

/* Every value of name in args, in order (const char *). APR_EINVAL when
 * any encoding is bad. */
apr_status_t ls_query_all(apr_pool_t *p, const char *args, const char *name,
                          apr_array_header_t **out);

/* A copy of s in which the value of every "name=" parameter is replaced
 * by repl. Used to keep share tokens out of logs. */
const char *ls_query_redact(apr_pool_t *p, const char *s, const char *name,
                            const char *repl);

#endif /* LS_QUERY_H */
