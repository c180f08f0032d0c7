/* ls_mime: what a file is, from its name, and what a request body is,
 * from its Content-Type. Pure unit. One table gives the
 * media type sent with a download, the word shown to recipients, and
 * whether the format is already compressed (for the packaging issue). */
#ifndef LS_MIME_H
#define LS_MIME_H

typedef struct {
    const char *ext;   /* lower-case extension without the dot */
    const char *type;  /* media type */
    const char *label; /* Image, PDF, Text, Video, ...: shown (ls_text) */
    const char *kind;  /* image, pdf, text, html, video, audio, archive,
                        * document, spreadsheet, presentation, other: the
                        * key code compares, never shown */
    int compressed;    /* already compressed: store, do not deflate */
} ls_mime_t;

/* The entry for name's extension (case-insensitive), or a generic
 * application/octet-stream "File" entry. Never NULL. */
const ls_mime_t *ls_mime_lookup(const char *name);

/* Non-zero when ct, a Content-Type header value, names exactly the media
 * type want (e.g. "application/json"): type and subtype compared without
 * regard to case, then only parameters (";" name "=" token or quoted
 * string), with optional spaces or tabs around each part (RFC 9110 8.3.1).
 * 0 for NULL, for another type that merely starts the same
 * ("application/jsonp", "application/json-seq") and for anything
 * malformed. Every check of a request's Content-Type goes through this. */
int ls_mime_type_is(const char *ct, const char *want);

#endif /* LS_MIME_H */
