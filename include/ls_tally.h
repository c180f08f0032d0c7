/* ls_tally: how big the whole share is as one download, and each folder's
 * content, for the Link Share page to say before anyone clicks ("Download
 * all: 12 files, 42 MB", or that it is over LinkShareMaxContentSize).
 * Glue unit. Counted by the walk a queued download makes (ls_select, with
 * the same limits and the owner's access rules), so it stops as soon as
 * the share is over a limit and never walks more than LS_SELECT_MAX_DIRS
 * folders; and kept per process for LS_TALLY_TTL seconds in at most
 * LS_TALLY_SLOTS shares, so a page view costs at most one bounded walk a
 * minute per share per process. A tally may be that old: op=queue still
 * checks the limits itself when asked. */
#ifndef LS_TALLY_H
#define LS_TALLY_H

#include "httpd.h"

#include "ls_access.h"

#define LS_TALLY_TTL   60 /* seconds a tally is reused */
#define LS_TALLY_SLOTS 32 /* shares tallied per process */
/* Folders whose sizes are kept per share (the total is kept anyway). */
#define LS_TALLY_FOLDERS 2000

typedef enum {
    LS_TALLY_UNKNOWN, /* not counted (the store of entries refused it) */
    LS_TALLY_FITS,    /* within LinkShareMaxContentSize and MaxFiles */
    LS_TALLY_TOO_BIG  /* over one of them */
} ls_tally_state_t;

typedef struct {
    ls_tally_state_t state;
    int too_many_files; /* TOO_BIG by LinkShareMaxFiles, else by size */
    apr_off_t bytes;    /* FITS: the files' total */
    int files;          /* FITS: how many */
} ls_tally_t;

/* The tally of req's share (a copy in r->pool). */
ls_tally_t ls_tally_share(request_rec *r, const ls_req_t *req);

/* The bytes below the folder at real (its resolved path), from the same
 * tally; -1 when not known (the share is over a limit, has too many
 * folders, or the folder is not in the tally). */
apr_off_t ls_tally_folder(request_rec *r, const ls_req_t *req,
                          const char *real);

#endif /* LS_TALLY_H */
