/* ls_conffile: the LinkShare* directives of an httpd configuration, read
 * without httpd (see ls_conffile.h). */
#include <glob.h>
#include <stdlib.h>
#include <string.h>

#include <apr_file_io.h>
#include <apr_lib.h>
#include <apr_strings.h>

#include "ls_conffile.h"

#define LS_CONF_MAX_DEPTH 16
#define LS_CONF_MAX_LINE  (64 * 1024)

typedef struct {
    apr_pool_t *p;
    const char *server_root;
    apr_array_header_t *out;
    const char *err;
} conf_read;

apr_array_header_t *ls_conffile_words(apr_pool_t *p, const char *line)
{
    apr_array_header_t *w = apr_array_make(p, 4, sizeof(const char *));
    const char *s = line;

    for (;;) {
        char *word, *o;
        while (*s == ' ' || *s == '\t') {
            s++;
        }
        if (*s == '\0') {
            break;
        }
        word = o = apr_palloc(p, strlen(s) + 1);
        if (*s == '"' || *s == '\'') {
            char q = *s++;
            while (*s && *s != q) {
                if (*s == '\\' && s[1] == q) {
                    s++;
                }
                *o++ = *s++;
            }
            if (*s == q) {
                s++;
            }
        }
        else {
            while (*s && *s != ' ' && *s != '\t') {
                *o++ = *s++;
            }
        }
        *o = '\0';
        APR_ARRAY_PUSH(w, const char *) = word;
    }
    return w;
}

/* ${VAR} from the environment, as httpd's Define/envvars would give it;
 * an undefined one is left as written. */
static const char *expand(apr_pool_t *p, const char *s)
{
    const char *open, *close;
    char *name, *val;

    while ((open = strstr(s, "${")) && (close = strchr(open, '}'))) {
        name = apr_pstrmemdup(p, open + 2, close - open - 2);
        if ((val = getenv(name)) == NULL) {
            break;
        }
        s = apr_pstrcat(p, apr_pstrmemdup(p, s, open - s), val, close + 1,
                        NULL);
    }
    return s;
}

static apr_status_t read_file(conf_read *c, const char *path, int depth);

/* Include PATTERN: every file it matches, in sorted order (glob's);
 * a directory stands for the files in it. */
static apr_status_t include(conf_read *c, const char *pattern, int optional,
                            int depth)
{
    glob_t g;
    const char *pat = pattern;
    apr_finfo_t fi;
    apr_status_t rv = APR_SUCCESS;
    size_t i;
    int r;

    if (pat[0] != '/') {
        pat = apr_pstrcat(c->p, c->server_root, "/", pat, NULL);
    }
    if (apr_stat(&fi, pat, APR_FINFO_TYPE, c->p) == APR_SUCCESS
        && fi.filetype == APR_DIR) {
        pat = apr_pstrcat(c->p, pat, "/*", NULL);
    }
    r = glob(pat, 0, NULL, &g);
    if (r == GLOB_NOMATCH || (r == 0 && g.gl_pathc == 0)) {
        if (r == 0) {
            globfree(&g);
        }
        if (!optional && !glob_pattern_p(pat, 0)) {
            c->err = apr_psprintf(c->p, "Include %s: no such file", pat);
            return APR_ENOENT;
        }
        return APR_SUCCESS;
    }
    if (r != 0) {
        c->err = apr_psprintf(c->p, "Include %s: cannot be read", pat);
        return APR_EGENERAL;
    }
    for (i = 0; rv == APR_SUCCESS && i < g.gl_pathc; i++) {
        if (apr_stat(&fi, g.gl_pathv[i], APR_FINFO_TYPE, c->p) == APR_SUCCESS
            && fi.filetype == APR_REG) {
            rv = read_file(c, apr_pstrdup(c->p, g.gl_pathv[i]), depth + 1);
        }
    }
    globfree(&g);
    return rv;
}

/* One logical line (continuations joined, comment and blank lines
 * skipped by the caller). */
static apr_status_t one_line(conf_read *c, const char *path, int lineno,
                             const char *text, int depth)
{
    apr_array_header_t *w = ls_conffile_words(c->p, expand(c->p, text));
    const char *name;
    int i;

    if (w->nelts == 0) {
        return APR_SUCCESS;
    }
    name = APR_ARRAY_IDX(w, 0, const char *);
    if (strcasecmp(name, "ServerRoot") == 0 && w->nelts > 1) {
        c->server_root = APR_ARRAY_IDX(w, 1, const char *);
    }
    else if ((strcasecmp(name, "Include") == 0
              || strcasecmp(name, "IncludeOptional") == 0)
             && w->nelts > 1) {
        return include(c, APR_ARRAY_IDX(w, 1, const char *),
                       strcasecmp(name, "IncludeOptional") == 0, depth);
    }
    else if (strncasecmp(name, "LinkShare", 9) == 0) {
        ls_directive_t *d = apr_array_push(c->out);
        d->name = name;
        d->args = apr_array_make(c->p, w->nelts - 1, sizeof(const char *));
        d->file = path;
        d->line = lineno;
        for (i = 1; i < w->nelts; i++) {
            APR_ARRAY_PUSH(d->args, const char *) = APR_ARRAY_IDX(w, i,
                                                                  const char *);
        }
    }
    return APR_SUCCESS;
}

static apr_status_t read_file(conf_read *c, const char *path, int depth)
{
    apr_file_t *f;
    char buf[4096];
    char *logical = NULL;
    int lineno = 0, start = 0;
    apr_status_t rv;

    if (depth > LS_CONF_MAX_DEPTH) {
        c->err = apr_psprintf(c->p, "%s: includes nested deeper than %d", path,
                              LS_CONF_MAX_DEPTH);
        return APR_EINVAL;
    }
    rv = apr_file_open(&f, path, APR_FOPEN_READ | APR_FOPEN_BUFFERED, 0, c->p);
    if (rv != APR_SUCCESS) {
        char e[120];
        c->err = apr_psprintf(c->p, "%s: %s", path,
                              apr_strerror(rv, e, sizeof(e)));
        return rv;
    }
    while (rv == APR_SUCCESS
           && (rv = apr_file_gets(buf, sizeof(buf), f)) == APR_SUCCESS) {
        apr_size_t n = strlen(buf);
        int cont;
        lineno++;
        while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r')) {
            buf[--n] = '\0';
        }
        cont = n > 0 && buf[n - 1] == '\\';
        if (cont) {
            buf[--n] = '\0';
        }
        if (logical == NULL) {
            const char *s = buf;
            while (apr_isspace(*s)) {
                s++;
            }
            if (*s == '#' && !cont) {
                continue;
            }
            logical = apr_pstrdup(c->p, buf);
            start = lineno;
        }
        else {
            logical = apr_pstrcat(c->p, logical, buf, NULL);
        }
        if (strlen(logical) > LS_CONF_MAX_LINE) {
            c->err = apr_psprintf(c->p, "%s:%d: line too long", path, start);
            rv = APR_EINVAL;
            break;
        }
        if (!cont) {
            const char *s = logical;
            while (apr_isspace(*s)) {
                s++;
            }
            if (*s != '#') {
                rv = one_line(c, path, start, s, depth);
            }
            logical = NULL;
        }
    }
    apr_file_close(f);
    if (rv == APR_EOF) {
        rv = logical ? one_line(c, path, start, logical, depth) : APR_SUCCESS;
    }
    return rv;
}

apr_status_t ls_conffile_read(apr_pool_t *p, const char *path,
                              const char *server_root, apr_array_header_t **out,
                              const char **err)
{
    conf_read c;
    apr_status_t rv;

    memset(&c, 0, sizeof(c));
    c.p = p;
    c.out = apr_array_make(p, 16, sizeof(ls_directive_t));
    if (server_root == NULL) {
        const char *slash = strrchr(path, '/');
        server_root = slash ? apr_pstrmemdup(p, path, slash - path) : ".";
        if (*server_root == '\0') {
            server_root = "/";
        }
    }
    c.server_root = server_root;
    rv = read_file(&c, path, 0);
    *out = c.out;
    *err = c.err;
    return rv;
}

const ls_directive_t *ls_conffile_find(const apr_array_header_t *dirs,
                                       const char *name)
{
    int i;

    for (i = dirs->nelts - 1; i >= 0; i--) {
        const ls_directive_t *d = &APR_ARRAY_IDX(dirs, i, ls_directive_t);
        if (strcasecmp(d->name, name) == 0) {
            return d;
        }
    }
    return NULL;
}
