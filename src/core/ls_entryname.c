/* ls_entryname: safe archive entry names (see ls_entryname.h). */
#include <string.h>

#include <apr_hash.h>
#include <apr_lib.h>
#include <apr_strings.h>

#include "ls_entryname.h"
#include "ls_zip.h"

/* Length of the valid UTF-8 sequence at s (1-4), or 0 when it is not one
 * (overlong forms, surrogates and code points past U+10FFFF included). */
static int utf8_len(const unsigned char *s)
{
    int n, i;
    unsigned int cp;

    if (s[0] < 0x80) {
        return 1;
    }
    if (s[0] >= 0xc2 && s[0] <= 0xdf) {
        n = 2;
        cp = s[0] & 0x1f;
    }
    else if (s[0] >= 0xe0 && s[0] <= 0xef) {
        n = 3;
        cp = s[0] & 0x0f;
    }
    else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
        n = 4;
        cp = s[0] & 0x07;
    }
    else {
        return 0;
    }
    for (i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80) {
            return 0;
        }
        cp = (cp << 6) | (s[i] & 0x3f);
    }
    if ((n == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff)))
        || (n == 4 && (cp < 0x10000 || cp > 0x10ffff))) {
        return 0;
    }
    return n;
}

/* Is the name part of a segment (up to its first '.', trailing spaces
 * ignored, as Windows reads it) a reserved device name? */
static int reserved(const char *seg, apr_size_t len)
{
    static const char *const names[] = {"CON",    "PRN",     "AUX", "NUL",
                                        "CONIN$", "CONOUT$", NULL};
    const char *dot = memchr(seg, '.', len);
    apr_size_t n = dot ? (apr_size_t)(dot - seg) : len, i;

    while (n > 0 && seg[n - 1] == ' ') {
        n--;
    }
    for (i = 0; names[i]; i++) {
        if (n == strlen(names[i]) && strncasecmp(seg, names[i], n) == 0) {
            return 1;
        }
    }
    if ((n == 4 || n == 5)
        && (strncasecmp(seg, "COM", 3) == 0
            || strncasecmp(seg, "LPT", 3) == 0)) {
        /* COM1-9, LPT1-9, and the superscript digits Windows also
         * reserves (U+00B9, U+00B2, U+00B3). */
        if (n == 4 && seg[3] >= '1' && seg[3] <= '9') {
            return 1;
        }
        if (n == 5 && (unsigned char)seg[3] == 0xc2
            && ((unsigned char)seg[4] == 0xb9 || (unsigned char)seg[4] == 0xb2
                || (unsigned char)seg[4] == 0xb3)) {
            return 1;
        }
    }
    return 0;
}

const char *ls_entryname_segment(apr_pool_t *p, const char *seg)
{
    apr_size_t len = strlen(seg), i, name_end;
    char *out = apr_palloc(p, len + 2), *dot;
    int changed = 0;

    for (i = 0; i < len;) {
        unsigned char c = (unsigned char)seg[i];
        int n = utf8_len((const unsigned char *)seg + i);

        if (n == 0 || c < 0x20 || c == 0x7f || strchr("<>:\"|?*\\", c)) {
            out[i++] = '_';
            changed = 1;
            continue;
        }
        memcpy(out + i, seg + i, (apr_size_t)n);
        i += (apr_size_t)n;
    }
    out[len] = '\0';
    for (i = len; i > 0 && (out[i - 1] == '.' || out[i - 1] == ' '); i--) {
        out[i - 1] = '_';
        changed = 1;
    }
    if (reserved(out, len)) {
        dot = strchr(out, '.');
        name_end = dot ? (apr_size_t)(dot - out) : len;
        memmove(out + name_end + 1, out + name_end, len - name_end + 1);
        out[name_end] = '_';
        changed = 1;
    }
    return changed ? out : seg;
}

/* ---- whole names ---- */

typedef struct {
    apr_pool_t *p;
    apr_hash_t *dirs;  /* original folder path -> mapped folder path */
    apr_hash_t *taken; /* mapped folder + "/" + lower-case name -> "" */
} map_t;

static const char *lower(apr_pool_t *p, const char *s)
{
    char *l = apr_pstrdup(p, s), *c;

    for (c = l; *c; c++) {
        *c = (char)apr_tolower((unsigned char)*c);
    }
    return l;
}

/* seg, or seg with " (n)" before its extension (at the end for
 * folders), whichever is first free in the mapped folder parent. */
static const char *unique(map_t *m, const char *parent, const char *seg,
                          int folder)
{
    const char *dot = folder ? NULL : strrchr(seg, '.');
    const char *name = seg;
    int n = 2;

    if (dot == seg) {
        dot = NULL; /* ".profile" has no extension */
    }
    for (;;) {
        const char *key = apr_pstrcat(m->p, parent, "/", lower(m->p, name),
                                      NULL);
        if (!apr_hash_get(m->taken, key, APR_HASH_KEY_STRING)) {
            apr_hash_set(m->taken, key, APR_HASH_KEY_STRING, "");
            return name;
        }
        name = dot ? apr_psprintf(m->p, "%.*s (%d)%s", (int)(dot - seg), seg, n,
                                  dot)
                   : apr_psprintf(m->p, "%s (%d)", seg, n);
        n++;
    }
}

/* The mapped path of the folder whose original path is dir ("" for the
 * top), mapping its parents first. */
static const char *map_dir(map_t *m, const char *dir)
{
    const char *mapped = apr_hash_get(m->dirs, dir, APR_HASH_KEY_STRING);
    const char *slash, *parent, *seg;

    if (*dir == '\0' || mapped) {
        return *dir ? mapped : "";
    }
    slash = strrchr(dir, '/');
    parent = map_dir(m, slash ? apr_pstrmemdup(m->p, dir, slash - dir) : "");
    seg = unique(m, parent, ls_entryname_segment(m->p, slash ? slash + 1 : dir),
                 1);
    mapped = *parent ? apr_pstrcat(m->p, parent, "/", seg, NULL) : seg;
    apr_hash_set(m->dirs, dir, APR_HASH_KEY_STRING, mapped);
    return mapped;
}

void ls_entryname_map(apr_pool_t *p, apr_array_header_t *entries)
{
    map_t m;
    int i;

    m.p = p;
    m.dirs = apr_hash_make(p);
    m.taken = apr_hash_make(p);
    for (i = 0; i < entries->nelts; i++) {
        ls_zip_entry_t *e = &APR_ARRAY_IDX(entries, i, ls_zip_entry_t);
        apr_size_t len = strlen(e->name);
        const char *slash, *parent, *seg;

        if (len > 0 && e->name[len - 1] == '/') {
            e->name = apr_pstrcat(
                p, map_dir(&m, apr_pstrmemdup(p, e->name, len - 1)), "/", NULL);
            continue;
        }
        slash = strrchr(e->name, '/');
        parent = map_dir(&m, slash ? apr_pstrmemdup(p, e->name, slash - e->name)
                                   : "");
        seg = unique(&m, parent,
                     ls_entryname_segment(p, slash ? slash + 1 : e->name), 0);
        e->name = *parent ? apr_pstrcat(p, parent, "/", seg, NULL) : seg;
    }
}
