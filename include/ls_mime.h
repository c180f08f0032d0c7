/* ls_mime: what a file is, from its name. Pure unit. One table gives the
 * media type sent with a download, the word shown to recipients, and
 * whether the format is already compressed (for the packaging issue). */
#ifndef LS_MIME_H
#define LS_MIME_H

typedef struct {
    const char *ext;   /* lower-case extension without the dot */
    const char *type;  /* media type */
    const char *label; /* Image, PDF, Text, Video, ... */
    int compressed;    /* already compressed: store, do not deflate */
} ls_mime_t;

/* The entry for name's extension (case-insensitive), or a generic
 * application/octet-stream "File" entry. Never NULL. */
const ls_mime_t *ls_mime_lookup(const char *name);

#endif /* LS_MIME_H */
