/* ls_zip: plans parts and writes one (see ls_zip.h). libzip lays out the
 * container; everything it reads and writes goes through sources of ours,
 * so reading, deflating (in parallel), hashing, progress, cancel and the
 * errors a recipient sees are decided here, per byte. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* O_TMPFILE */
#endif
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <apr_strings.h>
#include <apr_thread_cond.h>
#include <apr_thread_mutex.h>
#include <apr_thread_proc.h>
#include <openssl/evp.h>
#include <zip.h>
#include <zlib.h>

#include "ls_path.h"
#include "ls_zip.h"

/* Deflated files are cut into blocks that helper threads compress at the
 * same time (pigz's scheme): each block is primed with the 32 KiB before
 * it and ends on a byte boundary (Z_SYNC_FLUSH), so the blocks join into
 * one deflate stream almost as small as a single-threaded one, and the
 * bytes depend only on the data, never on the thread count. */
#define BLOCK        (256 * 1024)
#define DICT         32768
#define BLOCK_OUT    (BLOCK + BLOCK / 8 + 1024) /* > deflateBound + flush */
#define RBUF         (256 * 1024)               /* reads of stored files */
#define WBUF         (1024 * 1024)              /* output buffer */
#define HASH_STEP    (1024 * 1024)
#define PROGRESS     (1024 * 1024)
#define MAX_THREADS  16
#define AUTO_THREADS 4

/* Planning counts what an entry adds besides its data: local header (30)
 * and central record (46), its name in both, our UT field in both (9 +
 * 9) and ZIP64 fields in both (20 + 28); and the end records (ZIP64 end
 * 56, locator 20, end 22). A file may also be deflated, and data that
 * does not compress grows: by at most 0.04 % + 18 bytes a block (zlib's
 * deflateBound plus our flush marker), which size / 2048 + 128 covers. */
#define ENTRY_OVERHEAD(namelen) (30 + 46 + 18 + 48 + 2 * (apr_off_t)(namelen))
#define DEFLATE_GROWTH(size)    ((size) / 2048 + 128)
#define ARCHIVE_OVERHEAD        98

#define UT_FIELD 0x5455 /* Info-ZIP extended timestamp: mtime in UTC */

static int threads_setting = -1;

/* What skipped zeros are hashed from. Not const: in bss it costs nothing
 * until read (and then the shared zero page), in rodata a MiB of binary. */
static unsigned char zeros[HASH_STEP]; /* never written */

void ls_zip_set_threads(int n)
{
    threads_setting = n > MAX_THREADS ? MAX_THREADS : n;
}

apr_array_header_t *ls_zip_plan(apr_pool_t *p,
                                const apr_array_header_t *entries,
                                apr_off_t part_size)
{
    apr_array_header_t *parts = apr_array_make(p, 1, sizeof(ls_zip_part_t));
    ls_zip_part_t *cur = NULL;
    apr_off_t used = 0;
    int i;

    for (i = 0; i < entries->nelts; i++) {
        const ls_zip_entry_t *e = &APR_ARRAY_IDX(entries, i, ls_zip_entry_t);
        apr_off_t size = e->src ? e->size : 0;
        apr_off_t need = size + ENTRY_OVERHEAD(strlen(e->name))
                         + (e->src ? DEFLATE_GROWTH(size) : 0);

        if (cur == NULL
            || (part_size > 0 && cur->count > 0 && used + need > part_size)) {
            cur = apr_array_push(parts);
            cur->n = parts->nelts;
            cur->first = i;
            cur->count = 0;
            cur->bytes = 0;
            used = ARCHIVE_OVERHEAD;
        }
        cur->count++;
        cur->bytes += size;
        used += need;
    }
    return parts;
}

/* ---- state of one ls_zip_write ---------------------------------------- */

/* A block of a deflated file:
 *
 *   FREE --admit (caller)--> QUEUED --(helper)--> BUSY --> DONE
 *     ^                                                      |
 *     +---------- consume: its output went to libzip --------+
 *
 * Blocks are admitted, taken and consumed in one order, a ring of nblk
 * slots indexed by sequence number, so admission can run ahead into the
 * next files while libzip is still writing the current one. */
enum { BLK_FREE, BLK_QUEUED, BLK_BUSY, BLK_DONE };

typedef struct {
    int state;
    int entry;           /* index into entries */
    int fd;              /* the file; its last block owns it */
    int last;            /* last block of the file */
    apr_off_t off;       /* where the block starts in the file */
    apr_size_t len;      /* its length */
    unsigned char *in;   /* DICT bytes before off, the block, 1 spare */
    unsigned char *out;  /* deflated */
    apr_size_t out_len;  /* bytes in out */
    apr_size_t out_pos;  /* bytes of out already given to libzip */
    unsigned long crc;   /* CRC-32 of the block's own bytes */
    apr_status_t status; /* a failed or short read */
} blk_t;

typedef struct ls_zip_writer ls_zip_writer_t;

typedef struct {
    ls_zip_writer_t *w;
    z_stream zs; /* initialised by the caller, so a helper cannot fail */
} helper_t;

/* What libzip holds for each entry: a pointer back to the writer. */
typedef struct {
    ls_zip_writer_t *w;
    int i;          /* index into entries */
    int deflated;   /* we hand libzip raw deflate data */
    int eof;        /* all data given; crc is final */
    int fd;         /* stored file being read */
    apr_off_t left; /* bytes of a stored file still to come */
    int short_read; /* the last read returned less than asked: at its end */
    unsigned long crc;
} ent_t;

struct ls_zip_writer {
    apr_pool_t *pool;
    const apr_array_header_t *entries;
    const ls_zip_part_t *part;
    const char *out_path;
    int level;
    ls_zip_progress_fn progress;
    void *baton;

    /* The first failure, in words for the recipient. */
    apr_status_t status;
    const char *err;
    zip_error_t zerr; /* what our sources tell libzip */

    /* Progress, caller's thread only. */
    int files_done;
    apr_off_t bytes_done, bytes_reported;

    /* Stored files share one read buffer (one is open at a time). */
    unsigned char *rbuf;
    apr_size_t rpos, rlen;

    /* Deflate pipeline; the lock guards states and the hashing fields. */
    ent_t *ents;
    blk_t *blk;
    int nblk;
    apr_uint64_t admitted, taken, consumed; /* sequence numbers */
    int adm_entry;                          /* next entry to admit */
    int adm_fd;                             /* its file, once opened */
    apr_off_t adm_off;                      /* next offset to admit */
    z_stream *zs_main;                      /* when there are no helpers */
    int zs_ready;                           /* deflateInit2 done on them */

    apr_thread_mutex_t *lock;
    apr_thread_cond_t *work; /* helpers wait here */
    apr_thread_cond_t *done; /* the caller waits here */
    apr_thread_t **threads;
    helper_t *helpers;
    int nthreads, started, stop;

    /* Output: a buffered window [woff, woff + wlen) over the file. */
    int fd;
    int anonymous;   /* O_TMPFILE: no name until commit */
    const char *tmp; /* the named temporary, while it exists */
    unsigned char *wbuf;
    apr_size_t wlen;
    apr_off_t woff, pos, end;
    apr_off_t phys; /* end of what was flushed (written, or skipped zeros) */

    /* Hashing runs behind the writing: libzip only ever goes back to
     * finish the local header of the entry it has just written, so once
     * it seeks back to X everything below X is final, and once it seeks
     * forward again everything below that is. Bytes below `hashable` are
     * final and on disk; any write below `final` proves that reasoning
     * wrong and the file is hashed again from the start at commit. */
    apr_off_t final, hashable, hashed;
    int hashing, hash_invalid;
    apr_status_t hash_status;
    unsigned char *hbuf;
    EVP_MD_CTX *sha;
};

static int fail(ls_zip_writer_t *w, apr_status_t status, const char *msg)
{
    if (w->status == APR_SUCCESS) {
        w->status = status;
        w->err = msg;
    }
    return -1;
}

static const ls_zip_entry_t *entry_at(ls_zip_writer_t *w, int i)
{
    return &APR_ARRAY_IDX(w->entries, i, ls_zip_entry_t);
}

/* An entry's name as our sentences quote it: control characters (only
 * in names we refuse) become '?', so a message cannot break a log line. */
static const char *shown(ls_zip_writer_t *w, const char *name)
{
    char *s = apr_pstrdup(w->pool, name), *c;

    for (c = s; *c; c++) {
        if ((unsigned char)*c < 0x20 || *c == 0x7f) {
            *c = '?';
        }
    }
    return s;
}

/* A recipient's sentence for a source that cannot be read. */
static void fail_source(ls_zip_writer_t *w, int i, apr_status_t status)
{
    const char *name = shown(w, entry_at(w, i)->name);
    char buf[120];

    if (APR_STATUS_IS_ENOENT(status)) {
        fail(w, APR_ENOENT,
             apr_psprintf(w->pool,
                          "\"%s\" was removed or renamed after the download "
                          "was queued.",
                          name));
    }
    else if (status == APR_EMISMATCH) {
        fail(w, APR_EMISMATCH,
             apr_psprintf(w->pool,
                          "\"%s\" changed after the download was queued.",
                          name));
    }
    else {
        fail(w, status,
             apr_psprintf(w->pool, "\"%s\" could not be read (%s).", name,
                          apr_strerror(status, buf, sizeof(buf))));
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
static int open_source(ls_zip_writer_t *w, int i)
{
    const ls_zip_entry_t *e = entry_at(w, i);
    struct stat st;
    apr_status_t rv;
    int fd = -1;

    if (e->root) {
        rv = ls_path_open_beneath(e->root, e->src, &fd);
        if (rv != APR_SUCCESS) {
            /* A symlink out of the root is not the file selected. */
            fail_source(w, i, rv == APR_EACCES ? APR_EMISMATCH : rv);
            return -1;
        }
    }
    else if ((fd = open(e->src, O_RDONLY | O_CLOEXEC | O_NOCTTY)) < 0) {
        fail_source(w, i, errno);
        return -1;
    }
    if (fstat(fd, &st) != 0 || !same_file(e, &st)) {
        close(fd);
        fail_source(w, i, APR_EMISMATCH);
        return -1;
    }
    (void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    return fd;
}

static int report(ls_zip_writer_t *w, int force)
{
    if (w->progress
        && (force || w->bytes_done - w->bytes_reported >= PROGRESS)) {
        w->bytes_reported = w->bytes_done;
        if (w->progress(w->baton, w->files_done, w->bytes_done)) {
            zip_error_set(&w->zerr, ZIP_ER_CANCELLED, 0);
            return fail(w, LS_ZIP_ECANCELED, "Packaging was cancelled.");
        }
    }
    return 0;
}

/* ---- the deflate pipeline --------------------------------------------- */

/* Reads and deflates one block (any thread; touches only the block). */
static void deflate_block(z_stream *zs, blk_t *b)
{
    apr_size_t dict = b->off < DICT ? (apr_size_t)b->off : DICT;
    apr_size_t want = dict + b->len + (b->last ? 1 : 0), got = 0;
    ssize_t n = 0;

    /* One extra byte at the end tells a file that grew since planning. */
    while (got < want) {
        n = pread(b->fd, b->in + got, want - got, b->off - dict + got);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            break;
        }
        got += (apr_size_t)n;
    }
    if (n < 0) {
        b->status = errno;
        return;
    }
    if (got != dict + b->len) {
        b->status = APR_EMISMATCH;
        return;
    }
    b->crc = crc32(0L, b->in + dict, (uInt)b->len);
    deflateReset(zs);
    if (dict) {
        deflateSetDictionary(zs, b->in, (uInt)dict);
    }
    zs->next_in = b->in + dict;
    zs->avail_in = (uInt)b->len;
    zs->next_out = b->out;
    zs->avail_out = BLOCK_OUT;
    if (deflate(zs, b->last ? Z_FINISH : Z_SYNC_FLUSH) == Z_STREAM_ERROR
        || zs->avail_in != 0 || zs->avail_out == 0) {
        b->status = APR_EGENERAL;
        return;
    }
    b->out_len = BLOCK_OUT - zs->avail_out;
}

static void hash_some(ls_zip_writer_t *w, int steps);

/* A helper thread: deflates queued blocks, and hashes when there are
 * none (the caller waits for blocks, nobody waits for the hash). */
static void *APR_THREAD_FUNC helper(apr_thread_t *t, void *data)
{
    helper_t *h = data;
    ls_zip_writer_t *w = h->w;

    (void)t;
    apr_thread_mutex_lock(w->lock);
    while (!w->stop) {
        if (w->taken < w->admitted) {
            blk_t *b = &w->blk[w->taken++ % w->nblk];

            b->state = BLK_BUSY;
            apr_thread_mutex_unlock(w->lock);
            deflate_block(&h->zs, b);
            apr_thread_mutex_lock(w->lock);
            b->state = BLK_DONE;
            apr_thread_cond_broadcast(w->done);
        }
        else if (!w->hashing && w->hashed < w->hashable
                 && w->hash_status == APR_SUCCESS) {
            w->hashing = 1;
            hash_some(w, 1);
            w->hashing = 0;
            apr_thread_cond_broadcast(w->done);
        }
        else {
            apr_thread_cond_wait(w->work, w->lock);
        }
    }
    apr_thread_mutex_unlock(w->lock);
    return NULL;
}

static void lock(ls_zip_writer_t *w)
{
    if (w->nthreads) {
        apr_thread_mutex_lock(w->lock);
    }
}

static void unlock(ls_zip_writer_t *w)
{
    if (w->nthreads) {
        apr_thread_mutex_unlock(w->lock);
    }
}

/* Queues blocks of the coming deflated files while ring slots are free
 * (caller's thread). A source that cannot be opened fails the part now,
 * a little before libzip would reach it. */
static int admit(ls_zip_writer_t *w)
{
    int end = w->part->first + w->part->count;

    while (w->status == APR_SUCCESS
           && w->admitted - w->consumed < (apr_uint64_t)w->nblk) {
        const ls_zip_entry_t *e;
        blk_t *b;

        if (w->adm_fd < 0) {
            while (w->adm_entry < end
                   && !w->ents[w->adm_entry - w->part->first].deflated) {
                w->adm_entry++;
            }
            if (w->adm_entry >= end) {
                return 0;
            }
            if ((w->adm_fd = open_source(w, w->adm_entry)) < 0) {
                return -1;
            }
            w->adm_off = 0;
        }
        e = entry_at(w, w->adm_entry);
        b = &w->blk[w->admitted % w->nblk];
        b->entry = w->adm_entry;
        b->fd = w->adm_fd;
        b->off = w->adm_off;
        b->len = e->size - b->off > BLOCK ? BLOCK
                                          : (apr_size_t)(e->size - b->off);
        b->last = b->off + (apr_off_t)b->len == e->size;
        b->out_len = b->out_pos = 0;
        b->status = APR_SUCCESS;
        w->adm_off += b->len;
        if (b->last) {
            w->adm_fd = -1;
            w->adm_entry++;
        }
        lock(w);
        b->state = BLK_QUEUED;
        w->admitted++;
        if (w->nthreads) {
            apr_thread_cond_signal(w->work);
        }
        unlock(w);
    }
    return 0;
}

/* Copies deflated bytes of entry ent into libzip's buffer. */
static zip_int64_t read_deflated(ent_t *ent, unsigned char *out,
                                 zip_uint64_t len)
{
    ls_zip_writer_t *w = ent->w;
    zip_uint64_t n = 0;

    while (n < len && !ent->eof) {
        blk_t *b;
        apr_size_t k;

        if (admit(w) < 0) {
            return -1;
        }
        b = &w->blk[w->consumed % w->nblk];
        if (w->consumed == w->admitted || b->entry != ent->i) {
            return fail(w, APR_EGENERAL, "Packaging failed (internal).");
        }
        if (w->nthreads) {
            apr_thread_mutex_lock(w->lock);
            while (b->state != BLK_DONE) {
                apr_thread_cond_wait(w->done, w->lock);
            }
            apr_thread_mutex_unlock(w->lock);
        }
        else if (b->state == BLK_QUEUED) {
            deflate_block(w->zs_main, b);
            b->state = BLK_DONE;
        }
        if (b->status != APR_SUCCESS) {
            fail_source(w, ent->i, b->status);
            return -1;
        }
        k = b->out_len - b->out_pos;
        if (k > len - n) {
            k = (apr_size_t)(len - n);
        }
        memcpy(out + n, b->out + b->out_pos, k);
        b->out_pos += k;
        n += k;
        if (b->out_pos < b->out_len) {
            continue;
        }
        ent->crc = crc32_combine(ent->crc, b->crc, (z_off_t)b->len);
        w->bytes_done += b->len;
        if (b->last) {
            close(b->fd);
            ent->eof = 1;
            w->files_done++;
        }
        lock(w);
        b->state = BLK_FREE;
        w->consumed++;
        unlock(w);
        if (report(w, ent->eof) < 0) {
            return -1;
        }
    }
    return (zip_int64_t)n;
}

/* Copies a stored file (or nothing, for a folder) into libzip's buffer;
 * libzip computes the CRC of stored data itself. */
static zip_int64_t read_stored(ent_t *ent, unsigned char *out, zip_uint64_t len)
{
    ls_zip_writer_t *w = ent->w;
    zip_uint64_t n = 0;

    /* Keep the helpers deflating the next files meanwhile. */
    if (admit(w) < 0) {
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
                fail_source(w, ent->i, r < 0 ? errno : APR_EMISMATCH);
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
        if (report(w, ent->eof) < 0) {
            return -1;
        }
    }
    return (zip_int64_t)n;
}

/* The source libzip reads an entry from. Deflated entries report their
 * method as deflate, so libzip copies our bytes as they are (its own
 * deflate would run on one core) and takes the CRC from the last stat. */
static zip_int64_t entry_cb(void *ud, void *data, zip_uint64_t len,
                            zip_source_cmd_t cmd)
{
    ent_t *ent = ud;
    ls_zip_writer_t *w = ent->w;
    const ls_zip_entry_t *e = entry_at(w, ent->i);

    switch (cmd) {
    case ZIP_SOURCE_OPEN:
        ent->eof = 0;
        ent->crc = crc32(0L, Z_NULL, 0);
        if (w->status != APR_SUCCESS) {
            return -1;
        }
        if (!ent->deflated && e->src) {
            if ((ent->fd = open_source(w, ent->i)) < 0) {
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
            return read_deflated(ent, data, len);
        }
        if (ent->fd < 0 && !ent->eof) {
            /* A folder: nothing to read. */
            ent->eof = 1;
            w->files_done++;
            if (report(w, 1) < 0) {
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

/* ---- output: buffered writes, hashing behind, atomic publish ---------- */

/* Hashes up to steps chunks of final bytes, read back from the file
 * (still in the page cache). Called with the lock held by whoever set
 * w->hashing, so the chunks go into the digest one at a time, in order;
 * the lock is dropped while reading and hashing. */
static void hash_some(ls_zip_writer_t *w, int steps)
{
    while (steps-- > 0 && w->hashed < w->hashable
           && w->hash_status == APR_SUCCESS) {
        apr_off_t from = w->hashed;
        apr_size_t want = w->hashable - from > HASH_STEP
                              ? HASH_STEP
                              : (apr_size_t)(w->hashable - from);
        const unsigned char *bytes = w->hbuf;
        apr_status_t st = APR_SUCCESS;
        ssize_t n;
        off_t data;

        unlock(w);
        /* Zeros we skipped (see flush) are hashed from memory: reading a
         * hole makes the kernel allocate and clear page cache for it. */
        data = lseek(w->fd, from, SEEK_DATA);
        if ((data < 0 && errno == ENXIO) || data > from) {
            if (data > from && data - from < (off_t)want) {
                want = (apr_size_t)(data - from);
            }
            bytes = zeros;
            n = (ssize_t)want;
        }
        else {
            do {
                n = pread(w->fd, w->hbuf, want, from);
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
            EVP_DigestUpdate(w->sha, bytes, (size_t)n);
        }
        lock(w);
        if (n < 0) {
            w->hash_status = st;
        }
        else {
            w->hashed += n;
        }
    }
}

/* Hashes everything final (caller's thread, at commit). A part that is
 * one huge file is all hashed here (its data is final only once libzip
 * has rewritten the header before it), so progress keeps being called:
 * the worker's heartbeat and cancel must not stall for a minute. */
static int hash_all(ls_zip_writer_t *w)
{
    lock(w);
    while (w->hashing) {
        apr_thread_cond_wait(w->done, w->lock);
    }
    w->hashing = 1;
    while (w->hashed < w->hashable && w->hash_status == APR_SUCCESS) {
        hash_some(w, 16);
        unlock(w);
        if (report(w, 1) < 0) {
            lock(w);
            break;
        }
        lock(w);
    }
    w->hashing = 0;
    unlock(w);
    return w->status == APR_SUCCESS ? 0 : -1;
}

/* Bytes below `final` that are no longer in the buffer can be hashed. */
static void publish(ls_zip_writer_t *w)
{
    apr_off_t h = w->final;

    if (w->wlen > 0 && w->woff < h) {
        h = w->woff;
    }
    lock(w);
    if (h > w->hashable) {
        w->hashable = h;
        if (w->nthreads) {
            apr_thread_cond_signal(w->work);
        }
    }
    unlock(w);
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
    return fail(w, status, write_error(w, status));
}

static int pwrite_all(ls_zip_writer_t *w, const unsigned char *p,
                      apr_size_t len, apr_off_t off)
{
    while (len > 0) {
        ssize_t n = pwrite(w->fd, p, len, off);

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
    apr_off_t to = w->woff + (apr_off_t)w->wlen;

    if (w->wlen == 0) {
        return 0;
    }
    /* Skipped zeros are a hole once anything is written after them (the
     * end records always are); until then the hashing reads them as the
     * zeros past the end of the file. */
    if (!(w->wlen == WBUF && w->woff >= w->phys && all_zero(w->wbuf, w->wlen))
        && pwrite_all(w, w->wbuf, w->wlen, w->woff) < 0) {
        return -1;
    }
    if (to > w->phys) {
        w->phys = to;
    }
    w->wlen = 0;
    publish(w);
    return 0;
}

static zip_int64_t out_write(ls_zip_writer_t *w, const void *data,
                             zip_uint64_t len)
{
    const unsigned char *p = data;
    zip_uint64_t left = len;

    if (w->pos < w->final) {
        lock(w);
        w->hash_invalid = 1;
        unlock(w);
    }
    while (left > 0) {
        apr_size_t at, k;

        /* The window takes writes that continue or overwrite it. */
        if (w->wlen == 0 || w->pos < w->woff
            || w->pos > w->woff + (apr_off_t)w->wlen
            || w->pos >= w->woff + WBUF) {
            if (flush(w) < 0) {
                return -1;
            }
            w->woff = w->pos;
        }
        at = (apr_size_t)(w->pos - w->woff);
        k = WBUF - at < left ? WBUF - at : (apr_size_t)left;
        memcpy(w->wbuf + at, p, k);
        if (at + k > w->wlen) {
            w->wlen = at + k;
        }
        w->pos += (apr_off_t)k;
        p += k;
        left -= k;
    }
    if (w->pos > w->end) {
        w->end = w->pos;
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
         + (a->whence == SEEK_CUR   ? w->pos
            : a->whence == SEEK_END ? w->end
                                    : 0);
    if (to < 0) {
        zip_error_set(&w->zerr, ZIP_ER_INVAL, 0);
        return -1;
    }
    /* See the hashing note in ls_zip_writer_t. */
    if (to != w->pos && to > w->final) {
        w->final = to;
        publish(w);
    }
    w->pos = to;
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
            w->tmp = name;
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
    w->fd = open(name, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    return w->fd < 0 ? -1 : 0;
}

static int make_link(ls_zip_writer_t *w, const char *name)
{
    char proc[64];

    snprintf(proc, sizeof(proc), "/proc/self/fd/%d", w->fd);
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
    w->fd = -1;
#ifdef O_TMPFILE
    /* An unnamed file leaves nothing behind even if the worker is killed;
     * it needs /proc to be given a name at the end. */
    if (access("/proc/self/fd", X_OK) == 0) {
        w->fd = open(out_dir(w), O_TMPFILE | O_RDWR | O_CLOEXEC, 0666);
        w->anonymous = w->fd >= 0;
    }
#endif
    if (w->fd < 0 && temp_name(w, make_named) < 0) {
        return out_fail(w, errno);
    }
    w->pos = w->end = w->woff = w->phys = 0;
    w->wlen = 0;
    return 0;
}

static void out_discard(ls_zip_writer_t *w)
{
    if (w->fd >= 0) {
        close(w->fd);
        w->fd = -1;
    }
    if (w->tmp) {
        unlink(w->tmp);
        w->tmp = NULL;
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
    w->final = w->end;
    publish(w);
    if (hash_all(w) < 0) {
        return -1;
    }
    if (w->hash_invalid) {
        EVP_DigestInit_ex(w->sha, EVP_sha256(), NULL);
        w->hashed = 0;
        w->hash_invalid = 0;
        if (hash_all(w) < 0) {
            return -1;
        }
    }
    if (w->hash_status != APR_SUCCESS) {
        return out_fail(w, w->hash_status);
    }
    /* The part is "done" in the store once it has its name: its bytes
     * must be on disk by then, not only in the page cache (a crash would
     * otherwise leave a named part shorter than its recorded size). */
    if (fsync(w->fd) != 0) {
        return out_fail(w, errno);
    }
    if (w->anonymous && temp_name(w, make_link) < 0) {
        return out_fail(w, errno);
    }
    if (rename(w->tmp, w->out_path) != 0) {
        return out_fail(w, errno);
    }
    w->tmp = NULL;
    close(w->fd);
    w->fd = -1;
    sync_dir(w);
    return 0;
}

static zip_int64_t out_cb(void *ud, void *data, zip_uint64_t len,
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
        return w->pos;
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

/* ---- ls_zip_write ----------------------------------------------------- */

/* Names must extract below the folder a recipient picks, on any system. */
static int name_ok(const char *name, int folder)
{
    size_t len = strlen(name);
    const char *seg = name, *s;

    if (len == 0 || len > 65535 || name[0] == '/'
        || (name[len - 1] == '/') != folder) {
        return 0;
    }
    for (s = name;; s++) {
        if (*s == '/' || *s == '\0') {
            size_t n = (size_t)(s - seg);

            if ((n == 0 && *s == '/') || (n == 1 && seg[0] == '.')
                || (n == 2 && seg[0] == '.' && seg[1] == '.')) {
                return 0;
            }
            if (*s == '\0') {
                return 1;
            }
            seg = s + 1;
        }
        else if ((unsigned char)*s < 0x20 || *s == 0x7f || *s == '\\') {
            return 0;
        }
    }
}

/* The UT field (flags: mtime present; mtime as 32-bit UTC seconds): what
 * unzip and most extractors restore exactly, whatever their time zone. */
static int add_ut(zip_t *za, zip_uint64_t idx, apr_time_t mtime)
{
    apr_int64_t t = apr_time_sec(mtime);
    zip_uint8_t ut[5];

    if (t < 0 || t > 0x7fffffff) {
        return 0;
    }
    ut[0] = 1;
    ut[1] = (zip_uint8_t)(t & 0xff);
    ut[2] = (zip_uint8_t)((t >> 8) & 0xff);
    ut[3] = (zip_uint8_t)((t >> 16) & 0xff);
    ut[4] = (zip_uint8_t)((t >> 24) & 0xff);
    return zip_file_extra_field_set(za, idx, UT_FIELD, ZIP_EXTRA_FIELD_NEW, ut,
                                    sizeof(ut), ZIP_FL_LOCAL | ZIP_FL_CENTRAL);
}

/* Adds every entry of the part to za, each read through entry_cb. */
static apr_status_t add_entries(ls_zip_writer_t *w, zip_t *za,
                                ls_zip_mode_t mode)
{
    int k;

    for (k = 0; k < w->part->count; k++) {
        ent_t *ent = &w->ents[k];
        const ls_zip_entry_t *e;
        zip_source_t *src;
        zip_int64_t idx;
        int folder;

        ent->w = w;
        ent->i = w->part->first + k;
        ent->fd = -1;
        e = entry_at(w, ent->i);
        folder = e->src == NULL;
        ent->deflated = !folder && e->size > 0
                        && (mode == LS_ZIP_DEFLATE
                            || (mode == LS_ZIP_AUTO && !e->compressed));
        if (!name_ok(e->name, folder)) {
            fail(w, APR_EINVAL,
                 apr_psprintf(w->pool,
                              "\"%s\" is not a name that can go into an "
                              "archive.",
                              shown(w, e->name)));
            return w->status;
        }
        if ((src = zip_source_function_create(entry_cb, ent, NULL)) == NULL) {
            fail(w, APR_ENOMEM, "Packaging failed (out of memory).");
            return w->status;
        }
        idx = zip_file_add(za, e->name, src, ZIP_FL_ENC_UTF_8);
        if (idx < 0) {
            int ze = zip_error_code_zip(zip_get_error(za));

            zip_source_free(src);
            fail(w, APR_EINVAL,
                 apr_psprintf(w->pool,
                              ze == ZIP_ER_EXISTS
                                  ? "\"%s\" appears twice in the selection."
                                  : "\"%s\" is not a name that can go into "
                                    "an archive.",
                              shown(w, e->name)));
            return w->status;
        }
        if (zip_set_file_compression(za, (zip_uint64_t)idx,
                                     ent->deflated ? ZIP_CM_DEFLATE
                                                   : ZIP_CM_STORE,
                                     ent->deflated ? (zip_uint32_t)w->level : 0)
                < 0
            || zip_file_set_mtime(za, (zip_uint64_t)idx,
                                  (time_t)apr_time_sec(e->mtime), 0)
                   < 0
            || zip_file_set_external_attributes(
                   za, (zip_uint64_t)idx, 0, ZIP_OPSYS_UNIX,
                   (folder ? 040755u : 0100644u) << 16)
                   < 0
            || add_ut(za, (zip_uint64_t)idx, e->mtime) < 0) {
            fail(w, APR_EGENERAL,
                 apr_psprintf(w->pool, "Packaging failed (%s).",
                              zip_strerror(za)));
            return w->status;
        }
    }
    return APR_SUCCESS;
}

static int auto_threads(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);

    if (n <= 1) {
        return 0;
    }
    return n > AUTO_THREADS ? AUTO_THREADS : (int)n;
}

static apr_status_t start_threads(ls_zip_writer_t *w)
{
    apr_status_t rv;
    int i;

    if ((rv = apr_thread_mutex_create(&w->lock, APR_THREAD_MUTEX_DEFAULT,
                                      w->pool))
            != APR_SUCCESS
        || (rv = apr_thread_cond_create(&w->work, w->pool)) != APR_SUCCESS
        || (rv = apr_thread_cond_create(&w->done, w->pool)) != APR_SUCCESS) {
        return rv;
    }
    w->threads = apr_pcalloc(w->pool, w->nthreads * sizeof(*w->threads));
    for (i = 0; i < w->nthreads; i++) {
        rv = apr_thread_create(&w->threads[i], NULL, helper, &w->helpers[i],
                               w->pool);
        if (rv != APR_SUCCESS) {
            return rv;
        }
        w->started++;
    }
    return APR_SUCCESS;
}

static void stop_threads(ls_zip_writer_t *w)
{
    apr_status_t rv;
    int i;

    if (w->started == 0) {
        return;
    }
    apr_thread_mutex_lock(w->lock);
    w->stop = 1;
    apr_thread_cond_broadcast(w->work);
    apr_thread_mutex_unlock(w->lock);
    for (i = 0; i < w->started; i++) {
        apr_thread_join(&rv, w->threads[i]);
    }
}

/* Closes the files of blocks admitted but never consumed. */
static void close_pending(ls_zip_writer_t *w)
{
    for (; w->consumed < w->admitted; w->consumed++) {
        blk_t *b = &w->blk[w->consumed % w->nblk];

        if (b->last) {
            close(b->fd);
        }
    }
    if (w->adm_fd >= 0) {
        close(w->adm_fd);
        w->adm_fd = -1;
    }
}

static apr_status_t setup(ls_zip_writer_t *w)
{
    int threads = threads_setting < 0 ? auto_threads() : threads_setting;
    int i;

    w->nthreads = threads;
    w->nblk = threads ? 2 * threads + 2 : 1;
    w->blk = apr_pcalloc(w->pool, w->nblk * sizeof(blk_t));
    for (i = 0; i < w->nblk; i++) {
        w->blk[i].in = apr_palloc(w->pool, DICT + BLOCK + 1);
        w->blk[i].out = apr_palloc(w->pool, BLOCK_OUT);
    }
    w->ents = apr_pcalloc(w->pool, w->part->count * sizeof(ent_t));
    w->rbuf = apr_palloc(w->pool, RBUF);
    w->wbuf = apr_palloc(w->pool, WBUF);
    w->hbuf = apr_palloc(w->pool, HASH_STEP);
    w->adm_entry = w->part->first;
    w->adm_fd = -1;
    w->fd = -1;
    if ((w->sha = EVP_MD_CTX_new()) == NULL
        || !EVP_DigestInit_ex(w->sha, EVP_sha256(), NULL)) {
        return APR_ENOMEM;
    }
    /* Helper i deflates with helpers[i].zs; without helpers the caller
     * uses helpers[0].zs. */
    w->helpers = apr_pcalloc(w->pool,
                             (threads ? threads : 1) * sizeof(helper_t));
    for (i = 0; i < (threads ? threads : 1); i++) {
        w->helpers[i].w = w;
        if (deflateInit2(&w->helpers[i].zs, w->level, Z_DEFLATED, -MAX_WBITS, 8,
                         Z_DEFAULT_STRATEGY)
            != Z_OK) {
            return APR_ENOMEM;
        }
        w->zs_ready = i + 1;
    }
    w->zs_main = &w->helpers[0].zs;
    return threads ? start_threads(w) : APR_SUCCESS;
}

static void teardown(ls_zip_writer_t *w)
{
    stop_threads(w);
    close_pending(w);
    out_discard(w);
    while (w->zs_ready > 0) {
        deflateEnd(&w->helpers[--w->zs_ready].zs);
    }
    if (w->sha) {
        EVP_MD_CTX_free(w->sha);
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

apr_status_t ls_zip_write(apr_pool_t *p, const apr_array_header_t *entries,
                          const ls_zip_part_t *part, ls_zip_mode_t mode,
                          int deflate_level, const char *out_path,
                          ls_zip_progress_fn progress, void *baton,
                          char *sha256_hex, apr_off_t *size_out,
                          const char **err)
{
    apr_pool_t *sub;
    ls_zip_writer_t *w;
    zip_t *za = NULL;
    zip_source_t *out;
    apr_status_t rv;
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;

    *err = NULL;
    if (part == NULL || part->count <= 0 || part->first < 0
        || part->first + part->count > entries->nelts) {
        *err = "There is nothing to package.";
        return APR_EINVAL;
    }
    if ((rv = apr_pool_create(&sub, p)) != APR_SUCCESS) {
        *err = "Packaging failed (out of memory).";
        return rv;
    }
    apr_pool_tag(sub, "ls_zip_write");
    w = apr_pcalloc(sub, sizeof(*w));
    w->pool = sub;
    w->entries = entries;
    w->part = part;
    w->out_path = out_path;
    w->level = deflate_level <= 0  ? LS_ZIP_DEFAULT_LEVEL
               : deflate_level > 9 ? 9
                                   : deflate_level;
    w->progress = progress;
    w->baton = baton;
    zip_error_init(&w->zerr);

    if ((rv = setup(w)) != APR_SUCCESS) {
        fail(w, rv, "Packaging could not start (out of resources).");
        goto done;
    }
    if ((out = zip_source_function_create(out_cb, w, NULL)) == NULL) {
        fail(w, APR_ENOMEM, "Packaging failed (out of memory).");
        goto done;
    }
    if ((za = zip_open_from_source(out, ZIP_CREATE | ZIP_TRUNCATE, NULL))
        == NULL) {
        zip_source_free(out);
        fail(w, APR_EGENERAL, "Packaging failed (libzip would not start).");
        goto done;
    }
    if (add_entries(w, za, mode) != APR_SUCCESS) {
        goto done;
    }
    if (zip_close(za) == 0) {
        za = NULL; /* zip_close freed it */
    }
    else {
        fail(w, APR_EGENERAL,
             apr_psprintf(sub, "Packaging failed (%s).", zip_strerror(za)));
    }

done:
    if (za) {
        zip_discard(za); /* rolls the output back if it was begun */
    }
    if (w->status == APR_SUCCESS) {
        EVP_DigestFinal_ex(w->sha, md, &mdlen);
        hex(md, mdlen, sha256_hex);
        *size_out = w->end;
    }
    teardown(w);
    zip_error_fini(&w->zerr);
    rv = w->status;
    *err = rv == APR_SUCCESS ? NULL : apr_pstrdup(p, w->err);
    apr_pool_destroy(sub);
    return rv;
}
