/* ls_config_brand: LinkShareBrand NAME [LOGO-FILE] [#ACCENT], the admin's
 * branding of the recipients' pages. Everything is checked when the
 * directive is read, so a bad logo or colour stops httpd from starting
 * with a message naming the directive: the logo is read whole (it is
 * small, at most LS_BRAND_LOGO_MAX) and its type told from its first
 * bytes; the accent becomes a stylesheet (ls_view_brand_css). Serving the
 * logo is ls_html's job. Glue unit. */
#include "httpd.h"
#include "http_config.h"
#include "apr_file_io.h"
#include "apr_strings.h"

#include <openssl/evp.h>

#include "ls_config_int.h"
#include "ls_view.h"

/* The logo's type from its first bytes, or NULL for none we serve. An
 * SVG is XML whose first element is <svg (after a prolog, comments and
 * white space). */
static const char *logo_type(const char *b, apr_size_t n)
{
    const char *s, *end = b + n;

    if (n >= 8 && memcmp(b, "\x89PNG\r\n\x1a\n", 8) == 0) {
        return "image/png";
    }
    if (n >= 3 && memcmp(b, "\xff\xd8\xff", 3) == 0) {
        return "image/jpeg";
    }
    if (n >= 12 && memcmp(b, "RIFF", 4) == 0 && memcmp(b + 8, "WEBP", 4) == 0) {
        return "image/webp";
    }
    for (s = b; s < end;) {
        if (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n') {
            s++;
        }
        else if (end - s >= 4
                 && (memcmp(s, "<?xm", 4) == 0 || memcmp(s, "<!--", 4) == 0
                     || memcmp(s, "<!DO", 4) == 0)) {
            const char *close = memchr(s, '>', end - s);
            if (close == NULL) {
                return NULL;
            }
            s = close + 1;
        }
        else {
            return end - s >= 5 && memcmp(s, "<svg", 4) == 0
                           && (s[4] == ' ' || s[4] == '>' || s[4] == '\n'
                               || s[4] == '\t' || s[4] == '\r')
                       ? "image/svg+xml"
                       : NULL;
        }
    }
    return NULL;
}

/* Reads the logo into b; an error message naming the directive, or
 * NULL. */
static const char *read_logo(cmd_parms *cmd, ls_brand_t *b, const char *path)
{
    apr_pool_t *p = cmd->pool;
    apr_finfo_t fi;
    apr_file_t *f;
    apr_size_t n;
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0, i;
    char *hex;

    if (path[0] != '/') {
        return apr_psprintf(p,
                            "%s: the logo '%s' is not an absolute path; give "
                            "the full path of a PNG, SVG, JPEG or WebP file",
                            cmd->cmd->name, path);
    }
    if (apr_stat(&fi, path, APR_FINFO_TYPE | APR_FINFO_SIZE | APR_FINFO_MTIME,
                 p)
            != APR_SUCCESS
        || fi.filetype != APR_REG
        || apr_file_open(&f, path, APR_FOPEN_READ | APR_FOPEN_BINARY, 0, p)
               != APR_SUCCESS) {
        return apr_psprintf(p, "%s: the logo '%s' is not a file httpd can read",
                            cmd->cmd->name, path);
    }
    if (fi.size < 1 || fi.size > LS_BRAND_LOGO_MAX) {
        apr_file_close(f);
        return apr_psprintf(p,
                            "%s: the logo '%s' is empty or larger than "
                            "%d KB",
                            cmd->cmd->name, path, LS_BRAND_LOGO_MAX / 1024);
    }
    b->logo = apr_palloc(p, (apr_size_t)fi.size);
    n = (apr_size_t)fi.size;
    if (apr_file_read_full(f, (void *)b->logo, n, &n) != APR_SUCCESS
        || n != (apr_size_t)fi.size) {
        apr_file_close(f);
        return apr_psprintf(p, "%s: the logo '%s' could not be read",
                            cmd->cmd->name, path);
    }
    apr_file_close(f);
    b->logo_len = n;
    b->logo_mtime = fi.mtime;
    b->logo_path = path;
    if ((b->logo_type = logo_type(b->logo, n)) == NULL) {
        return apr_psprintf(p,
                            "%s: the logo '%s' is not a PNG, SVG, JPEG or "
                            "WebP image",
                            cmd->cmd->name, path);
    }
    EVP_Digest(b->logo, n, md, &mdlen, EVP_sha256(), NULL);
    hex = apr_palloc(p, 19);
    hex[0] = '"';
    for (i = 0; i < 8; i++) {
        apr_snprintf(hex + 1 + 2 * i, 3, "%02x", md[i]);
    }
    hex[17] = '"';
    hex[18] = '\0';
    b->logo_etag = hex;
    return NULL;
}

const char *ls_config_set_brand(cmd_parms *cmd, void *d, const char *name,
                                const char *a2, const char *a3)
{
    ls_brand_t *b = apr_pcalloc(cmd->pool, sizeof(*b));
    const char *logo = NULL, *accent = NULL, *err;

    (void)d;
    if (*name == '\0') {
        return apr_psprintf(cmd->pool,
                            "%s: the name is empty; give the name to show, "
                            "e.g. \"Example Corp\"",
                            cmd->cmd->name);
    }
    if (a2 && a2[0] == '#' && a3 == NULL) {
        accent = a2; /* NAME #ACCENT */
    }
    else {
        logo = a2;
        accent = a3;
    }
    if (accent && (b->css = ls_view_brand_css(cmd->pool, accent)) == NULL) {
        return apr_psprintf(cmd->pool,
                            "%s: '%s' is not a colour; give # and 3 or 6 hex "
                            "digits, e.g. #0a58ca",
                            cmd->cmd->name, accent);
    }
    if (logo && (err = read_logo(cmd, b, logo)) != NULL) {
        return err;
    }
    b->name = name;
    b->accent = accent;
    ls_config_cmd_conf(cmd)->brand = b;
    return NULL;
}
