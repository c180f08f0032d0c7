/* LD_PRELOAD shim for t/096: open() with O_TMPFILE fails with EOPNOTSUPP,
 * as on NFS, and each refusal is noted in $LS_NO_TMPFILE_LOG. Everything
 * else goes to the real open. Built by the test with cc. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>

static void note(void)
{
    const char *f = getenv("LS_NO_TMPFILE_LOG");
    FILE *o = f ? fopen(f, "a") : NULL;

    if (o) {
        fputs("refused O_TMPFILE\n", o);
        fclose(o);
    }
}

#define WRAP(name)                                                             \
    int name(const char *path, int flags, ...)                                 \
    {                                                                          \
        static int (*real)(const char *, int, ...);                            \
        mode_t mode = 0;                                                       \
        if (flags & (O_CREAT | __O_TMPFILE)) {                                 \
            va_list ap;                                                        \
            va_start(ap, flags);                                               \
            mode = (mode_t)va_arg(ap, int);                                    \
            va_end(ap);                                                        \
        }                                                                      \
        if ((flags & O_TMPFILE) == O_TMPFILE) {                                \
            note();                                                            \
            errno = EOPNOTSUPP;                                                \
            return -1;                                                         \
        }                                                                      \
        if (!real) {                                                           \
            real = (int (*)(const char *, int, ...))dlsym(RTLD_NEXT, #name);   \
        }                                                                      \
        return real(path, flags, mode);                                        \
    }

WRAP(open)
WRAP(open64)
