/* ls_view_preview: the preview page of one file (linksharepreview.html):
 * header, breadcrumbs, the previous and next files, the preview itself
 * (image, PDF frame, video, the start of a text) or why there is none,
 * and the download. Core unit: a plain model in, the escaped page out.
 * What a preview may show is the glue's decision (ls_preview). */
#ifndef LS_VIEW_PREVIEW_H
#define LS_VIEW_PREVIEW_H

#include <apr_pools.h>
#include <apr_tables.h>

#include "ls_view.h"

typedef enum {
    LS_PREVIEW_NONE,  /* this type of file is never previewed */
    LS_PREVIEW_IMAGE, /* <img> of view_url */
    LS_PREVIEW_PDF,   /* the browser's viewer in a frame of view_url */
    LS_PREVIEW_VIDEO, /* <video> of view_url, poster_url if any */
    LS_PREVIEW_TEXT   /* text, the start of the file */
} ls_preview_kind_t;

typedef struct {
    const char *name;           /* the file's name */
    const char *label;          /* its type's label (a msgid) */
    apr_int64_t size;           /* bytes */
    apr_int64_t mtime;          /* seconds since the epoch */
    apr_array_header_t *crumbs; /* ls_view_link_t */
    /* Its place among the files of its folder; pos 0: not shown. */
    int pos, files;
    ls_view_link_t prev, next; /* label NULL: none */
    ls_preview_kind_t kind;
    int available;          /* 0: a kind we preview, but nothing to show */
    const char *view_url;   /* what the preview element loads */
    const char *poster_url; /* a video's poster or a PDF's first page, or
                               NULL */
    const char *text;       /* TEXT: the start of the file, NULL when it
                             * cannot be read */
    apr_int64_t text_len;   /* TEXT: bytes of text */
    const char *download_url;
    const char *back_url; /* the folder's listing */
} ls_view_preview_t;

/* The whole page, in p. */
const char *ls_view_preview_page(apr_pool_t *p, const ls_view_preview_t *m);

#endif /* LS_VIEW_PREVIEW_H */
