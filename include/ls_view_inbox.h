/* ls_view_inbox: the Download Inbox section of the Link Share page, as
 * the page renders it without script (the script then refreshes it from
 * op=inbox's JSON). Core unit: a plain model in, escaped HTML out. */
#ifndef LS_VIEW_INBOX_H
#define LS_VIEW_INBOX_H

#include <apr_pools.h>
#include <apr_tables.h>

#include "ls_view.h"

typedef struct {
    int n;              /* 1-based */
    const char *name;   /* the file name it downloads as */
    const char *url;    /* its op=part link */
    const char *sha256; /* hex */
    apr_int64_t size;   /* bytes */
} ls_view_part_t;

typedef struct {
    const char *state;      /* queued, running, done, failed, cancelled */
    const char *error;      /* why it failed, or NULL */
    const char *cancel_url; /* op=cancel for this job */
    int files_total, files_done;
    apr_int64_t bytes_total, bytes_done;
    apr_array_header_t *parts; /* ls_view_part_t */
} ls_view_job_t;

typedef struct {
    const char *page_url;     /* the Link Share page */
    const char *inbox_url;    /* its op=inbox (the script's source) */
    int unavailable;          /* the store could not be read */
    apr_array_header_t *jobs; /* ls_view_job_t, newest first */
} ls_view_inbox_t;

/* Appends the inbox section to o. */
void ls_view_inbox(ls_view_out_t *o, const ls_view_inbox_t *m);

#endif /* LS_VIEW_INBOX_H */
