/* ls_zip_source: the reading side of one write: opening a source (still the
 * file planned?), reading stored files, each entry's libzip source; not
 * deflating (ls_zip_deflate.c) nor the output (ls_zip_sink.c). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* posix_fadvise, st_mtim */
#endif
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <apr_strings.h>

#include "ls_path.h"
#include "ls_zip_int.h"

#define RBUF (256 * 1024) /* reads of stored files */

void ls_zip_source_setup(ls_zip_writer_t *w)
{
    w->srcs = apr_pcalloc(w->pool, w->part->count * sizeof(ls_zip_src_t));
    w->rbuf = apr_palloc(w->pool, RBUF);
}

/* A recipient's sentence for a source that cannot be read. */
void ls_zip_source_fail(ls_zip_writer_t *w, int i, apr_status_t status)
{
    const char *name = ls_zip_shown(w, ls_zip_entry_at(w, i)->name);
    char buf[120];

    if (APR_STATUS_IS_ENOENT(status)) {
        ls_zip_fail(
            w, APR_ENOENT,
            apr_psprintf(w->pool,
                         "\"%s\" was removed or renamed after the download "
                         "was queued.",
                         name));
    }
    else if (status == APR_EMISMATCH) {
        ls_zip_fail(w, APR_EMISMATCH,
                    apr_psprintf(
                        w->pool,
                        "\"%s\" changed after the download was queued.", name));
    }
    else {
        ls_zip_fail(w, status,
                    apr_psprintf(w->pool, "\"%s\" could not be read (%s).",
                                 name, apr_strerror(status, buf, sizeof(buf))));
    }
    zip_error_set(&w->zerr, ZIP_ER_READ, status);
}

/* An mtime as apr_stat() reports it (microseconds), for comparing with
 * the one planned. */
static apr_time_t stat_mtime(const struct stat *st)
{
    return apr_time_from_sec(st->st_mtim.tv_sec)
           + st->st_mtim.tv_nsec / APR_TIME_C(1000);
}

/* Is the open file still the one planned? */
static int same_file(const ls_zip_entry_t *e, const struct stat *st)
{
    return S_ISREG(st->st_mode) && st->st_size == e->size
           && (!(e->verify & LS_ZIP_VERIFY_MTIME) || stat_mtime(st) == e->mtime)
           && (!(e->verify & LS_ZIP_VERIFY_IDENT)
               || ((apr_uint64_t)st->st_dev == e->dev
                   && (apr_uint64_t)st->st_ino == e->ino));
}

/* Opens a source and checks it is still the regular file planned: below
 * its root without leaving it through a symlink, and the same file
 * (device, inode, size, mtime) as when it was selected. Nothing is read
 * from a file that fails. */
int ls_zip_source_open(ls_zip_writer_t *w, int i)
{
    const ls_zip_entry_t *e = ls_zip_entry_at(w, i);
    struct stat st;
    apr_status_t rv;
    int fd = -1;

    if (e->root) {
        rv = ls_path_open_beneath(e->root, e->src, &fd);
        if (rv != APR_SUCCESS) {
            /* A symlink out of the root is not the file selected. */
            ls_zip_source_fail(w, i, rv == APR_EACCES ? APR_EMISMATCH : rv);
            return -1;
        }
    }
    else if ((fd = open(e->src, O_RDONLY | O_CLOEXEC | O_NOCTTY)) < 0) {
        ls_zip_source_fail(w, i, errno);
        return -1;
    }
    if (fstat(fd, &st) != 0 || !same_file(e, &st)) {
        close(fd);
        ls_zip_source_fail(w, i, APR_EMISMATCH);
        return -1;
    }
    (void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    return fd;
}

/* Copies a stored file (or nothing, for a folder) into libzip's buffer;
 * libzip computes the CRC of stored data itself. */
static zip_int64_t read_stored(ls_zip_src_t *ent, unsigned char *out,
                               zip_uint64_t len)
{
    ls_zip_writer_t *w = ent->w;
    zip_uint64_t n = 0;

    /* Keep the helpers deflating the next files meanwhile. */
    if (ls_zip_deflate_admit(w) < 0) {
        return -1;
    }
    while (n < len && !ent->eof) {
        apr_size_t k;

        if (w->rpos == w->rlen && !(ent->left == 0 && ent->short_read)) {
            /* Near the end ask for one byte more than is left: a file that
             * grew since planning says so, one that did not returns short,
             * which is its end. */
            apr_size_t want = ent->left < RBUF ? (apr_size_t)ent->left + 1
                                               : RBUF;
            ssize_t r;

            do {
                r = read(ent->fd, w->rbuf, want);
            } while (r < 0 && errno == EINTR);
            if (r < 0 || (apr_off_t)r > ent->left
                || (r == 0 && ent->left > 0)) {
                ls_zip_source_fail(w, ent->i, r < 0 ? errno : APR_EMISMATCH);
                return -1;
            }
            ent->short_read = (apr_size_t)r < want;
            w->rpos = 0;
            w->rlen = (apr_size_t)r;
        }
        k = w->rlen - w->rpos;
        if (k > len - n) {
            k = (apr_size_t)(len - n);
        }
        memcpy(out + n, w->rbuf + w->rpos, k);
        w->rpos += k;
        ent->left -= (apr_off_t)k;
        w->bytes_done += (apr_off_t)k;
        n += k;
        if (ent->left == 0 && ent->short_read) {
            ent->eof = 1;
            w->files_done++;
        }
        if (ls_zip_report(w, ent->eof) < 0) {
            return -1;
        }
    }
    return (zip_int64_t)n;
}

/* The source libzip reads an entry from. Deflated entries report their
 * method as deflate, so libzip copies our bytes as they are (its own
 * deflate would run on one core) and takes the CRC from the last stat. */
zip_int64_t ls_zip_source_cb(void *ud, void *data, zip_uint64_t len,
                             zip_source_cmd_t cmd)
{
    ls_zip_src_t *ent = ud;
    ls_zip_writer_t *w = ent->w;
    const ls_zip_entry_t *e = ls_zip_entry_at(w, ent->i);

    switch (cmd) {
    case ZIP_SOURCE_OPEN:
        ent->eof = 0;
        ent->crc = crc32(0L, Z_NULL, 0);
        if (w->status != APR_SUCCESS) {
            return -1;
        }
        if (!ent->deflated && e->src) {
            if ((ent->fd = ls_zip_source_open(w, ent->i)) < 0) {
                return -1;
            }
            ent->left = e->size;
            ent->short_read = 0;
            w->rpos = w->rlen = 0;
        }
        return 0;
    case ZIP_SOURCE_READ:
        if (w->status != APR_SUCCESS) {
            return -1;
        }
        if (ent->deflated) {
            return ls_zip_deflate_read(ent, data, len);
        }
        if (ent->fd < 0 && !ent->eof) {
            /* A folder: nothing to read. */
            ent->eof = 1;
            w->files_done++;
            if (ls_zip_report(w, 1) < 0) {
                return -1;
            }
        }
        return read_stored(ent, data, len);
    case ZIP_SOURCE_CLOSE:
        if (ent->fd >= 0) {
            close(ent->fd);
            ent->fd = -1;
        }
        return 0;
    case ZIP_SOURCE_STAT: {
        zip_stat_t *st = ZIP_SOURCE_GET_ARGS(zip_stat_t, data, len, &w->zerr);

        if (st == NULL) {
            return -1;
        }
        zip_stat_init(st);
        st->size = e->src ? (zip_uint64_t)e->size : 0;
        st->mtime = (time_t)apr_time_sec(e->mtime);
        st->valid = ZIP_STAT_SIZE | ZIP_STAT_MTIME;
        if (ent->deflated) {
            st->comp_method = ZIP_CM_DEFLATE;
            st->valid |= ZIP_STAT_COMP_METHOD;
            if (ent->eof) {
                st->crc = (zip_uint32_t)ent->crc;
                st->valid |= ZIP_STAT_CRC;
            }
        }
        return sizeof(*st);
    }
    case ZIP_SOURCE_ERROR:
        return zip_error_to_data(&w->zerr, data, len);
    case ZIP_SOURCE_FREE:
        return 0;
    case ZIP_SOURCE_SUPPORTS:
        return zip_source_make_command_bitmap(
            ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE, ZIP_SOURCE_STAT,
            ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE, -1);
    default:
        zip_error_set(&w->zerr, ZIP_ER_OPNOTSUPP, 0);
        return -1;
    }
}
