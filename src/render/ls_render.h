/* The render tier's shared words: the exit statuses linkshare-render
 * promises its caller (the module's workers) and the one-line error
 * report. Owns no state; the program and its units include it. */
#ifndef LS_RENDER_H
#define LS_RENDER_H

/* Exit statuses: the contract with the worker that runs us. A signal or
 * a crash is the caller's to interpret (rlimit, timeout). */
typedef enum {
    LS_RENDER_OK = 0,          /* OUT written, "WxH\n" on stdout */
    LS_RENDER_ERROR = 1,       /* usage, or OUT could not be written */
    LS_RENDER_UNSUPPORTED = 2, /* not a format we render */
    LS_RENDER_CORRUPT = 3,     /* ours, but corrupt or undecodable */
    LS_RENDER_TOO_BIG = 4      /* header claims more than --max-pixels */
} ls_render_status_t;

/* Writes "linkshare-render: <message>" as one line on stderr (newlines in
 * the formatted text, e.g. from a library's error buffer, become "; ")
 * and returns status, so a failure reads: return ls_render_fail(...). */
ls_render_status_t ls_render_fail(ls_render_status_t status, const char *fmt,
                                  ...) __attribute__((format(printf, 2, 3)));

#endif /* LS_RENDER_H */
