/* ls_view_listing: the Link Share page of a folder (or of the share's
 * root): header, breadcrumbs, view and sort controls, the selection form
 * with its entries as cards or table rows, the pager and the Download
 * Inbox. Core unit: a plain model in, the whole escaped page out. Works
 * without script; the page script (assets/linkshare.js) only enhances. */
#ifndef LS_VIEW_LISTING_H
#define LS_VIEW_LISTING_H

#include <apr_pools.h>
#include <apr_tables.h>

#include "ls_view.h"
#include "ls_view_inbox.h"

typedef struct {
    const char *name;  /* as shown */
    const char *rel;   /* its share path: the value a selection posts */
    const char *label; /* "Folder", or its type's label (a msgid) */
    const char *kind;  /* icon class: folder, image, video, audio, pdf,
                            * text, archive, other */
    const char *ext;   /* written on a file's type icon */
    int is_dir;
    int available;         /* 0: listed in the share but moved or deleted */
    apr_int64_t size;      /* bytes: a file's; a folder's content, or -1
                            * when not known (see ls_tally) */
    apr_int64_t mtime;     /* seconds since the epoch */
    const char *open_url;  /* a folder's listing, a file's preview */
    const char *file_url;  /* a file's download; NULL for folders and for a
                            * file the share cannot send (no_original) */
    int no_original;       /* a share without originals has nothing to
                            * send for this file: said instead */
    const char *thumb_url; /* its thumbnail, or NULL for the type icon */
    int thumb_pending;     /* the thumbnail is being made: the page script
                            * looks again until it is there */
} ls_view_entry_t;

/* A sort control: where it leads and whether the list is sorted by it. */
typedef struct {
    const char *url;
    int active;
    int desc;
} ls_view_sort_t;

/* What "Download all" can say before anyone clicks. */
typedef enum {
    LS_ALL_UNKNOWN, /* not counted: no offer, no warning */
    LS_ALL_FITS,    /* within the limits: offered, with its size */
    LS_ALL_TOO_BIG  /* over LinkShareMaxContentSize or MaxFiles: said */
} ls_view_all_t;

typedef struct {
    const char *title;            /* the page's <h1>: the folder's name, or at
                                 * the root the share's (its only item's
                                 * name, or "N items") */
    const char *owner;            /* who shared it */
    apr_int64_t expires;          /* seconds since the epoch */
    apr_int64_t now;              /* seconds since the epoch: "expires in" */
    const ls_view_brand_t *brand; /* may be NULL */
    int renditions_only;          /* originals are not delivered */
    apr_array_header_t *crumbs;   /* ls_view_link_t */
    int cards;                    /* card view, else the list */
    const char *card_url, *list_url;
    ls_view_sort_t by_name, by_size, by_date;
    const char *queue_url; /* where the selection form posts */
    /* The whole share as one download (the root page only). */
    ls_view_all_t all;
    apr_int64_t all_bytes; /* LS_ALL_FITS: its size */
    int all_files;         /* LS_ALL_FITS: its files */
    apr_int64_t max_bytes; /* LinkShareMaxContentSize */
    int max_files;         /* LinkShareMaxFiles */
    int too_many_files;    /* LS_ALL_TOO_BIG: by the file count, else by
                            * size */
    int page, pages;       /* 1-based */
    const char *prev_url, *next_url; /* NULL on the first/last page */
    apr_array_header_t *entries;     /* ls_view_entry_t: this page's */
    const ls_view_inbox_t *inbox;
} ls_view_listing_t;

/* The whole page, in p. */
const char *ls_view_listing_page(apr_pool_t *p, const ls_view_listing_t *m);

#endif /* LS_VIEW_LISTING_H */
