/* ls_text: user-visible strings (see ls_text.h). */
#include <stdarg.h>

#include <apr_strings.h>

#include "ls_text.h"

const char *ls_text(const char *msgid)
{
    return msgid;
}

const char *ls_textf(apr_pool_t *p, const char *fmt, ...)
{
    va_list ap;
    const char *s;

    va_start(ap, fmt);
    s = apr_pvsprintf(p, ls_text(fmt), ap);
    va_end(ap);
    return s;
}

const char *ls_text_n(long n, const char *one, const char *many)
{
    return ls_text(n == 1 ? one : many);
}
