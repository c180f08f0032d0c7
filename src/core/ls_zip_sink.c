/* ls_zip_sink: the output of one write, libzip's destination: buffered
 * writes (holes for zeros), SHA-256 behind the writing, fsync, atomic
 * publication; not what goes into the archive. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* O_TMPFILE, SEEK_DATA */
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <apr_strings.h>

#include "ls_zip_int.h"

#define WBUF      (1024 * 1024) /* output buffer */
#define HASH_STEP (1024 * 1024)

/* What skipped zeros are hashed from. Not const: in bss it costs nothing
 * until read (and then the shared zero page), in rodata a MiB of binary. */
static unsigned char zeros[HASH_STEP]; /* never written */

/* Hashes up to steps chunks of final bytes, read back from the file
 * (still in the page cache). Called with the lock held by whoever set
 * w->sink.hashing, so the chunks go into the digest one at a time, in order;
 * the lock is dropped while reading and hashing. */
void ls_zip_sink_hash_some(ls_zip_writer_t *w, int steps)
{
    while (steps-- > 0 && w->sink.hashed < w->sink.hashable
           && w->sink.hash_status == APR_SUCCESS) {
        apr_off_t from = w->sink.hashed;
        apr_size_t want = w->sink.hashable - from > HASH_STEP
                              ? HASH_STEP
                              : (apr_size_t)(w->sink.hashable - from);
        const unsigned char *bytes = w->sink.hbuf;
        apr_status_t st = APR_SUCCESS;
        ssize_t n;
        off_t data;

        ls_zip_unlock(w);
        /* Zeros we skipped (see flush) are hashed from memory: reading a
         * hole makes the kernel allocate and clear page cache for it. */
        data = lseek(w->sink.fd, from, SEEK_DATA);
        if ((data < 0 && errno == ENXIO) || data > from) {
            if (data > from && data - from < (off_t)want) {
                want = (apr_size_t)(data - from);
            }
            bytes = zeros;
            n = (ssize_t)want;
        }
        else {
            do {
                n = pread(w->sink.fd, w->sink.hbuf, want, from);
            } while (n < 0 && errno == EINTR);
            if (n < 0) {
                st = errno;
            }
            else if (n == 0) {
                /* Past the end of the file: zeros not written yet. */
                bytes = zeros;
                n = (ssize_t)want;
            }
        }
        if (n > 0) {
            EVP_DigestUpdate(w->sink.sha, bytes, (size_t)n);
        }
        ls_zip_lock(w);
        if (n < 0) {
            w->sink.hash_status = st;
        }
        else {
            w->sink.hashed += n;
        }
    }
}

/* Hashes everything final (caller's thread, at commit). A part that is
 * one huge file is all hashed here (its data is final only once libzip
 * has rewritten the header before it), so progress keeps being called:
 * the worker's heartbeat and cancel must not stall for a minute. */
static int hash_all(ls_zip_writer_t *w)
{
    ls_zip_lock(w);
    while (w->sink.hashing) {
        apr_thread_cond_wait(w->done, w->lock);
    }
    w->sink.hashing = 1;
    while (w->sink.hashed < w->sink.hashable
           && w->sink.hash_status == APR_SUCCESS) {
        ls_zip_sink_hash_some(w, 16);
        ls_zip_unlock(w);
        if (ls_zip_report(w, 1) < 0) {
            ls_zip_lock(w);
            break;
        }
        ls_zip_lock(w);
    }
    w->sink.hashing = 0;
    ls_zip_unlock(w);
    return w->status == APR_SUCCESS ? 0 : -1;
}

/* Bytes below `final` that are no longer in the buffer can be hashed. */
static void publish(ls_zip_writer_t *w)
{
    apr_off_t h = w->sink.final;

    if (w->sink.wlen > 0 && w->sink.woff < h) {
        h = w->sink.woff;
    }
    ls_zip_lock(w);
    if (h > w->sink.hashable) {
        w->sink.hashable = h;
        if (w->nthreads) {
            apr_thread_cond_signal(w->work);
        }
    }
    ls_zip_unlock(w);
}

static const char *write_error(ls_zip_writer_t *w, apr_status_t status)
{
    char buf[120];

    if (status == ENOSPC) {
        return "The server ran out of disk space while packaging.";
    }
    if (status == EDQUOT) {
        return "The server's disk quota was exceeded while packaging.";
    }
    if (status == EFBIG) {
        return "The archive grew larger than the server allows for one "
               "file.";
    }
    return apr_psprintf(w->pool,
                        "The server could not write the archive "
                        "(%s).",
                        apr_strerror(status, buf, sizeof(buf)));
}

static int out_fail(ls_zip_writer_t *w, apr_status_t status)
{
    zip_error_set(&w->zerr, ZIP_ER_WRITE, status);
    return ls_zip_fail(w, status, write_error(w, status));
}

static int pwrite_all(ls_zip_writer_t *w, const unsigned char *p,
                      apr_size_t len, apr_off_t off)
{
    while (len > 0) {
        ssize_t n = pwrite(w->sink.fd, p, len, off);

        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return out_fail(w, n < 0 ? errno : APR_EGENERAL);
        }
        p += n;
        len -= (apr_size_t)n;
        off += n;
    }
    return 0;
}

/* A full buffer of zeros past everything written becomes a hole rather
 * than a write: sparse sources (disk images) give sparse parts, and the
 * scan is of a buffer about to be copied anyway (it stops at the first
 * non-zero byte). */
static int all_zero(const unsigned char *p, apr_size_t n)
{
    return n > 0 && p[0] == 0 && memcmp(p, p + 1, n - 1) == 0;
}

static int flush(ls_zip_writer_t *w)
{
    apr_off_t to = w->sink.woff + (apr_off_t)w->sink.wlen;

    if (w->sink.wlen == 0) {
        return 0;
    }
    /* Skipped zeros are a hole once anything is written after them (the
     * end records always are); until then the hashing reads them as the
     * zeros past the end of the file. */
    if (!(w->sink.wlen == WBUF && w->sink.woff >= w->sink.phys
          && all_zero(w->sink.wbuf, w->sink.wlen))
        && pwrite_all(w, w->sink.wbuf, w->sink.wlen, w->sink.woff) < 0) {
        return -1;
    }
    if (to > w->sink.phys) {
        w->sink.phys = to;
    }
    w->sink.wlen = 0;
    publish(w);
    return 0;
}

static zip_int64_t out_write(ls_zip_writer_t *w, const void *data,
                             zip_uint64_t len)
{
    const unsigned char *p = data;
    zip_uint64_t left = len;

    if (w->sink.pos < w->sink.final) {
        ls_zip_lock(w);
        w->sink.hash_invalid = 1;
        ls_zip_unlock(w);
    }
    while (left > 0) {
        apr_size_t at, k;

        /* The window takes writes that continue or overwrite it. */
        if (w->sink.wlen == 0 || w->sink.pos < w->sink.woff
            || w->sink.pos > w->sink.woff + (apr_off_t)w->sink.wlen
            || w->sink.pos >= w->sink.woff + WBUF) {
            if (flush(w) < 0) {
                return -1;
            }
            w->sink.woff = w->sink.pos;
        }
        at = (apr_size_t)(w->sink.pos - w->sink.woff);
        k = WBUF - at < left ? WBUF - at : (apr_size_t)left;
        memcpy(w->sink.wbuf + at, p, k);
        if (at + k > w->sink.wlen) {
            w->sink.wlen = at + k;
        }
        w->sink.pos += (apr_off_t)k;
        p += k;
        left -= k;
    }
    if (w->sink.pos > w->sink.end) {
        w->sink.end = w->sink.pos;
    }
    return (zip_int64_t)len;
}

static int out_seek(ls_zip_writer_t *w, void *data, zip_uint64_t len)
{
    zip_source_args_seek_t *a;
    apr_off_t to;

    a = ZIP_SOURCE_GET_ARGS(zip_source_args_seek_t, data, len, &w->zerr);
    if (a == NULL) {
        return -1;
    }
    to = a->offset
         + (a->whence == SEEK_CUR   ? w->sink.pos
            : a->whence == SEEK_END ? w->sink.end
                                    : 0);
    if (to < 0) {
        zip_error_set(&w->zerr, ZIP_ER_INVAL, 0);
        return -1;
    }
    /* See the hashing note in ls_zip_sink_t. */
    if (to != w->sink.pos && to > w->sink.final) {
        w->sink.final = to;
        publish(w);
    }
    w->sink.pos = to;
    return 0;
}

/* The next "<out_path>.tmp.<pid>.<n>" that does not exist yet, made by
 * make(): a named temporary, or the link to an O_TMPFILE file. */
static int temp_name(ls_zip_writer_t *w,
                     int (*make)(ls_zip_writer_t *, const char *))
{
    static unsigned int counter;
    int tries;

    for (tries = 0; tries < 100; tries++) {
        const char *name = apr_psprintf(w->pool, "%s.tmp.%ld.%u", w->out_path,
                                        (long)getpid(), counter++);

        if (make(w, name) == 0) {
            w->sink.tmp = name;
            return 0;
        }
        if (errno != EEXIST) {
            return -1;
        }
    }
    return -1;
}

static int make_named(ls_zip_writer_t *w, const char *name)
{
    w->sink.fd = open(name, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    return w->sink.fd < 0 ? -1 : 0;
}

static int make_link(ls_zip_writer_t *w, const char *name)
{
    char proc[64];

    snprintf(proc, sizeof(proc), "/proc/self/fd/%d", w->sink.fd);
    return linkat(AT_FDCWD, proc, AT_FDCWD, name, AT_SYMLINK_FOLLOW);
}

/* The directory the part is written into. */
static const char *out_dir(ls_zip_writer_t *w)
{
    char *dir = apr_pstrdup(w->pool, w->out_path);
    char *slash = strrchr(dir, '/');

    if (slash == dir) {
        slash[1] = '\0';
    }
    else if (slash) {
        *slash = '\0';
    }
    else {
        return ".";
    }
    return dir;
}

static int out_begin(ls_zip_writer_t *w)
{
    w->sink.fd = -1;
#ifdef O_TMPFILE
    /* An unnamed file leaves nothing behind even if the worker is killed;
     * it needs /proc to be given a name at the end. */
    if (access("/proc/self/fd", X_OK) == 0) {
        w->sink.fd = open(out_dir(w), O_TMPFILE | O_RDWR | O_CLOEXEC, 0666);
        w->sink.anonymous = w->sink.fd >= 0;
    }
#endif
    if (w->sink.fd < 0 && temp_name(w, make_named) < 0) {
        return out_fail(w, errno);
    }
    w->sink.pos = w->sink.end = w->sink.woff = w->sink.phys = 0;
    w->sink.wlen = 0;
    return 0;
}

static void out_discard(ls_zip_writer_t *w)
{
    if (w->sink.fd >= 0) {
        close(w->sink.fd);
        w->sink.fd = -1;
    }
    if (w->sink.tmp) {
        unlink(w->sink.tmp);
        w->sink.tmp = NULL;
    }
}

/* Makes the new name durable too (best effort: the part is complete and
 * named either way; a failure here only weakens crash safety). */
static void sync_dir(ls_zip_writer_t *w)
{
    int fd = open(out_dir(w), O_RDONLY | O_DIRECTORY | O_CLOEXEC);

    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
}

static int out_commit(ls_zip_writer_t *w)
{
    if (flush(w) < 0) {
        return -1;
    }
    w->sink.final = w->sink.end;
    publish(w);
    if (hash_all(w) < 0) {
        return -1;
    }
    if (w->sink.hash_invalid) {
        EVP_DigestInit_ex(w->sink.sha, EVP_sha256(), NULL);
        w->sink.hashed = 0;
        w->sink.hash_invalid = 0;
        if (hash_all(w) < 0) {
            return -1;
        }
    }
    if (w->sink.hash_status != APR_SUCCESS) {
        return out_fail(w, w->sink.hash_status);
    }
    /* The part is "done" in the store once it has its name: its bytes
     * must be on disk by then, not only in the page cache (a crash would
     * otherwise leave a named part shorter than its recorded size). */
    if (fsync(w->sink.fd) != 0) {
        return out_fail(w, errno);
    }
    if (w->sink.anonymous && temp_name(w, make_link) < 0) {
        return out_fail(w, errno);
    }
    if (rename(w->sink.tmp, w->out_path) != 0) {
        return out_fail(w, errno);
    }
    w->sink.tmp = NULL;
    close(w->sink.fd);
    w->sink.fd = -1;
    sync_dir(w);
    return 0;
}

zip_int64_t ls_zip_sink_cb(void *ud, void *data, zip_uint64_t len,
                           zip_source_cmd_t cmd)
{
    ls_zip_writer_t *w = ud;

    switch (cmd) {
    case ZIP_SOURCE_STAT:
        /* "Does not exist": libzip starts a new archive without reading. */
        zip_error_set(&w->zerr, ZIP_ER_READ, ENOENT);
        return -1;
    case ZIP_SOURCE_BEGIN_WRITE:
        return out_begin(w);
    case ZIP_SOURCE_WRITE:
        return out_write(w, data, len);
    case ZIP_SOURCE_SEEK_WRITE:
        return out_seek(w, data, len);
    case ZIP_SOURCE_TELL_WRITE:
        return w->sink.pos;
    case ZIP_SOURCE_COMMIT_WRITE:
        return out_commit(w);
    case ZIP_SOURCE_ROLLBACK_WRITE:
        out_discard(w);
        return 0;
    case ZIP_SOURCE_REMOVE:
        /* Only asked for an archive without entries, which we refuse
         * earlier; never delete anything on libzip's behalf. */
        return 0;
    case ZIP_SOURCE_ERROR:
        return zip_error_to_data(&w->zerr, data, len);
    case ZIP_SOURCE_FREE:
        return 0;
    case ZIP_SOURCE_SUPPORTS:
        /* zip_open_from_source insists on the read commands too. */
        return zip_source_make_command_bitmap(
            ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE, ZIP_SOURCE_SEEK,
            ZIP_SOURCE_TELL, ZIP_SOURCE_STAT, ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE,
            ZIP_SOURCE_BEGIN_WRITE, ZIP_SOURCE_COMMIT_WRITE,
            ZIP_SOURCE_ROLLBACK_WRITE, ZIP_SOURCE_WRITE, ZIP_SOURCE_SEEK_WRITE,
            ZIP_SOURCE_TELL_WRITE, ZIP_SOURCE_REMOVE, -1);
    default:
        zip_error_set(&w->zerr, ZIP_ER_OPNOTSUPP, 0);
        return -1;
    }
}

apr_status_t ls_zip_sink_setup(ls_zip_writer_t *w)
{
    w->sink.fd = -1;
    w->sink.wbuf = apr_palloc(w->pool, WBUF);
    w->sink.hbuf = apr_palloc(w->pool, HASH_STEP);
    if ((w->sink.sha = EVP_MD_CTX_new()) == NULL
        || !EVP_DigestInit_ex(w->sink.sha, EVP_sha256(), NULL)) {
        return APR_ENOMEM;
    }
    return APR_SUCCESS;
}

void ls_zip_sink_teardown(ls_zip_writer_t *w)
{
    out_discard(w);
    if (w->sink.sha) {
        EVP_MD_CTX_free(w->sink.sha);
        w->sink.sha = NULL;
    }
}

static void hex(const unsigned char *md, unsigned int len, char *out)
{
    static const char digits[] = "0123456789abcdef";
    unsigned int i;

    for (i = 0; i < len; i++) {
        out[2 * i] = digits[md[i] >> 4];
        out[2 * i + 1] = digits[md[i] & 15];
    }
    out[2 * len] = '\0';
}

void ls_zip_sink_digest(ls_zip_writer_t *w, char *sha256_hex)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;

    EVP_DigestFinal_ex(w->sink.sha, md, &mdlen);
    hex(md, mdlen, sha256_hex);
}
