/* ls_inbox_int: what the Download Inbox units share (ls_inbox,
 * ls_inbox_queue): the browser cookie, links, the job JSON of API.md and
 * the refusals. Glue, internal. */
#ifndef LS_INBOX_INT_H
#define LS_INBOX_INT_H

#include "httpd.h"

#include <jansson.h>

#include "ls_access.h"
#include "ls_store.h"

/* This browser's id from its cookie "lsb" (HttpOnly, SameSite=Strict),
 * or with create a new one (and the cookie); NULL without. */
const char *ls_inbox_browser(request_rec *r, int create);

/* This share's Link Share page: the base of every link the inbox has. */
const char *ls_inbox_page_url(request_rec *r, const ls_req_t *req);

/* "TITLE-JOBID8-partN-of-M.zip": what part n of the job downloads as
 * (named after the selection, unique per job: the first 8 characters of
 * its random id). */
const char *ls_inbox_part_name(request_rec *r, const ls_job_t *j, int n,
                               int total);

/* What a job holds, in words ("3 files from Photos", "report.pdf",
 * "5 files: a.jpg, b.jpg and 3 more"), from its planned entries
 * (ls_zip_entry_t) and its count of files. */
const char *ls_inbox_job_label(apr_pool_t *p, const apr_array_header_t *entries,
                               int files);

/* The job as API.md shows it, with its live figures (shared memory while
 * a worker here runs it): updates j's progress fields. */
json_t *ls_inbox_job_json(request_rec *r, const ls_req_t *req, ls_job_t *j);

/* A refusal: {"error": why} for the script and API clients, the same
 * sentence on a page with the way back for a form post. OK. */
int ls_inbox_error(request_rec *r, int status, const char *why);

/* The same, logged at info with tag first. */
int ls_inbox_refuse(request_rec *r, int status, const char *tag,
                    const char *why);

/* The store failed (LS00300): 503 with Retry-After. */
int ls_inbox_store_down(request_rec *r, apr_status_t rv, const char *err);

/* A form post from the page without script wants the page again: sets
 * the 303 to the inbox and returns 1; 0 for a script or API client. */
int ls_inbox_back_to_page(request_rec *r, const ls_req_t *req);

#endif /* LS_INBOX_INT_H */
