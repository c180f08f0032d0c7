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
    const char *id;         /* the job's id (data-job) */
    const char *label;      /* what it holds, in words */
    apr_int64_t created;    /* when it was asked for (epoch seconds) */
    const char *remove_url; /* op=remove for this job */
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
    const char *events_url;   /* its op=events (progress pushed) */
    apr_int64_t now;          /* for "asked 2 minutes ago" */
    int unavailable;          /* the store could not be read */
    apr_array_header_t *jobs; /* ls_view_job_t, newest first */
} ls_view_inbox_t;

/* Appends the inbox section to o. */
void ls_view_inbox(ls_view_out_t *o, const ls_view_inbox_t *m);

/* The header's Download Inbox control: a link to the inbox (the script
 * opens it as a panel) with the count of jobs. In p. */
const char *ls_view_inbox_control(apr_pool_t *p, const ls_view_inbox_t *m);

#endif /* LS_VIEW_INBOX_H */
