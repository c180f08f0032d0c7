/* ls_deliver: sends one confined file to a recipient as httpd's default
 * handler would (sendfile, Range, ETag, conditionals), opened beneath its
 * root through no symlink; and tells the log hooks whether a download was
 * sent completely. Glue unit. */
#ifndef LS_DELIVER_H
#define LS_DELIVER_H

#include "httpd.h"

#include "ls_store.h"

/* What a download sent (op=file, op=part). */
typedef struct {
    apr_off_t size;      /* bytes of the file */
    const ls_job_t *job; /* op=part: the job whose part it is; else NULL */
    int part_n;          /* op=part: which part (1-based) */
} ls_sent_t;

/* Sends path (a file already confined below the asset root, the
 * rendition root or the spool) named name, inline (a preview, a
 * thumbnail). finfo may be a stat of path taken already: the file opened
 * must be that file; file, when not NULL, is that file opened already
 * (ls_resolve_open's target->file) and is sent as it is. OK, or the 404
 * page sent (gone, swapped, reached through a symlink: LS00150), or
 * AP_FILTER_ERROR. */
int ls_deliver_inline(request_rec *r, const char *path,
                      const apr_finfo_t *finfo, apr_file_t *file,
                      const char *name);

/* The same as an attachment that counts as a download when complete;
 * job and part_n for a ZIP part (NULL, 0 for a file). */
int ls_deliver_download(request_rec *r, const char *path,
                        const apr_finfo_t *finfo, apr_file_t *file,
                        const char *name, const ls_job_t *job, int part_n);

/* For the log hooks: what a download sent, when it was sent completely
 * (a 200 to a GET, every byte, the connection not aborted); else NULL. */
const ls_sent_t *ls_deliver_complete(const request_rec *r);

#endif /* LS_DELIVER_H */
