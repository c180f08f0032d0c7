/* ls_view_mail: what the mails say, from plain models: the share mail
 * (subject, text and HTML bodies) and the delivery receipt. Core unit;
 * ls_mail turns them into a message. */
#ifndef LS_VIEW_MAIL_H
#define LS_VIEW_MAIL_H

#include <apr_pools.h>
#include <apr_tables.h>

/* What a share mail says. */
typedef struct {
    const char *sharer;        /* who shared: their display name when httpd
                                * knows one, else the user name (UTF-8, no
                                * control characters) */
    const char *name;          /* the share's name, NULL for none */
    const char *message;       /* the sharer's message, NULL for none */
    apr_array_header_t *items; /* const char *: what is shared */
    apr_array_header_t *kinds; /* const char *, "file" or "folder", one per
                                * item; NULL when unknown */
    const char *link;          /* the share link */
    apr_int64_t expires;       /* epoch seconds */
    int allow_original;        /* originals or renditions only */
} ls_view_mail_link_t;

/* The default subject of a share mail (when the sharer gives none). */
const char *ls_view_mail_link_subject(apr_pool_t *p,
                                      const ls_view_mail_link_t *l);

/* The text and HTML bodies of a share mail (the message HTML-escaped).
 * The HTML looks like the pages in mail clients that know no CSS files:
 * tables for layout, inline styles, a button that is a styled link. */
void ls_view_mail_link_bodies(apr_pool_t *p, const ls_view_mail_link_t *l,
                              const char **text, const char **html);

/* Subject and bodies of a delivery receipt: part n of total of the
 * download named title, of the share that expires at expires, was
 * downloaded completely at when. */
void ls_view_mail_receipt(apr_pool_t *p, const char *title, int n, int total,
                          apr_int64_t when, const char **subject,
                          const char **text, const char **html);

/* "Saturday 5 December 2026, 17:00 UTC". */
const char *ls_view_mail_time(apr_pool_t *p, apr_int64_t t);

#endif /* LS_VIEW_MAIL_H */
