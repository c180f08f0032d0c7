/* ls_conffile: reads the LinkShare* directives of an httpd configuration
 * without httpd (for linkshare-admin): the file given and every file its
 * Include and IncludeOptional lines name (globs, paths relative to
 * ServerRoot), lines continued with a backslash, quoted arguments and
 * ${VAR} from the environment. Containers are not interpreted: a
 * directive counts wherever it is (the store, state and spool directives
 * are main-server only in the module anyway). Not the directives'
 * meaning: the caller reads the values it needs. */
#ifndef LS_CONFFILE_H
#define LS_CONFFILE_H

#include <apr_pools.h>
#include <apr_tables.h>
#include <apr_errno.h>

typedef struct {
    const char *name;         /* as written, e.g. "LinkShareDatabase" */
    apr_array_header_t *args; /* const char *, quotes removed */
    const char *file;         /* where it was read */
    int line;                 /* 1-based */
} ls_directive_t;

/* Reads path (and its includes) into *out (ls_directive_t, in order).
 * server_root resolves relative Include paths until a ServerRoot line
 * says otherwise (NULL: the directory of path). On failure *err names
 * the file and the reason: an unreadable file, an Include (not
 * IncludeOptional) that matches nothing, includes nested deeper than 16. */
apr_status_t ls_conffile_read(apr_pool_t *p, const char *path,
                              const char *server_root, apr_array_header_t **out,
                              const char **err);

/* The last occurrence of name (case-insensitive), or NULL. */
const ls_directive_t *ls_conffile_find(const apr_array_header_t *dirs,
                                       const char *name);

/* Splits one configuration line into words as httpd does: blanks
 * separate, "double" or 'single' quotes group (a backslash escapes the
 * quote inside them). */
apr_array_header_t *ls_conffile_words(apr_pool_t *p, const char *line);

#endif /* LS_CONFFILE_H */
