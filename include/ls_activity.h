/* ls_activity: how recorded events look to the people who read them:
 * the client address as LinkShareActivityAddress keeps it, and a page of
 * events as the API's JSON or as CSV. Pure (APR, jansson, libc); no
 * store, no httpd. Not the rows (ls_store_activity.h) nor the queue that
 * writes them (ls_activity_queue.h). */
#ifndef LS_ACTIVITY_H
#define LS_ACTIVITY_H

#include <apr_pools.h>
#include <apr_tables.h>
#include <jansson.h>

#include "ls_store_activity.h"

/* LinkShareActivityAddress. */
typedef enum {
    LS_ACTIVITY_ADDR_FULL = 0,  /* as the client connected */
    LS_ACTIVITY_ADDR_TRUNCATED, /* IPv4 /24 (a.b.c.0), IPv6 /48 (a:b:c::) */
    LS_ACTIVITY_ADDR_NONE       /* not recorded */
} ls_activity_addr_t;

/* The address to record for ip (an IPv4 or IPv6 literal) under mode, in
 * p; NULL for none (mode none, or ip is not an address literal). An
 * IPv4-mapped IPv6 address (::ffff:a.b.c.d) is kept as the IPv4 address
 * it is, truncated as IPv4. */
const char *ls_activity_address(apr_pool_t *p, const char *ip,
                                ls_activity_addr_t mode);

/* s as UTF-8 text: s itself when it is well-formed UTF-8, else a copy in
 * p with every byte from 0x80 up percent-encoded (%FF). A recorded path
 * is what a recipient sent (path=%FF is recorded with its 404): this is
 * applied when it is recorded (PostgreSQL's TEXT refuses such bytes, and
 * one refused row would fail the whole batch) and again when it is
 * shown (JSON cannot carry them). NULL stays NULL. */
const char *ls_activity_text(apr_pool_t *p, const char *s);

/* {"events":[{"time","kind","path","job","status","bytes","address"}],
 *  "next": CURSOR|null}; events is an array of ls_activity_t. The caller
 * owns (json_decref) the result. */
json_t *ls_activity_json(apr_pool_t *p, const apr_array_header_t *events,
                         const char *next);

/* The same events as CSV (RFC 4180: CRLF, a header row, fields quoted
 * when they hold a comma, a quote, CR or LF). A field a spreadsheet would
 * read as a formula (first character = + - @, tab or CR) gets an
 * apostrophe in front and is quoted, so it shows as the text it is. */
const char *ls_activity_csv(apr_pool_t *p, const apr_array_header_t *events);

#endif /* LS_ACTIVITY_H */
