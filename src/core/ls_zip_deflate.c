/* ls_zip_deflate: the parallel deflate pipeline of one write: block ring,
 * helper threads (which hash for the sink when idle), deflate settings;
 * not reading stored files (ls_zip_source.c) nor output (ls_zip_sink.c). */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "ls_zip_int.h"

/* Deflated files are cut into blocks that helper threads compress at the
 * same time (pigz's scheme): each block is primed with the 32 KiB before
 * it and ends on a byte boundary (Z_SYNC_FLUSH), so the blocks join into
 * one deflate stream almost as small as a single-threaded one, and the
 * bytes depend only on the data, never on the thread count. */
#define BLOCK        (256 * 1024)
#define DICT         32768
#define BLOCK_OUT    (BLOCK + BLOCK / 8 + 1024) /* > deflateBound + flush */
#define MAX_THREADS  16
#define AUTO_THREADS 4

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

struct ls_zip_block {
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
};

struct ls_zip_helper {
    ls_zip_writer_t *w;
    z_stream zs; /* initialised by the caller, so a helper cannot fail */
};

static int threads_setting = -1;

void ls_zip_set_threads(int n)
{
    threads_setting = n > MAX_THREADS ? MAX_THREADS : n;
}

/* Readies zs for the next block. The default level is tuned (ls_zip.h);
 * deflateReset puts the level's own search settings back, so the tuning
 * is set again each time. */
static void stream_reset(z_stream *zs, int tuned)
{
    deflateReset(zs);
    if (tuned) {
        deflateTune(zs, LS_ZIP_TUNE_GOOD, LS_ZIP_TUNE_LAZY, LS_ZIP_TUNE_NICE,
                    LS_ZIP_TUNE_CHAIN);
    }
}

/* Reads and deflates one block (any thread; touches only the block). */
static void deflate_block(z_stream *zs, int tuned, ls_zip_block_t *b)
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
    stream_reset(zs, tuned);
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

/* A helper thread: deflates queued blocks, and hashes when there are
 * none (the caller waits for blocks, nobody waits for the hash). */
static void *APR_THREAD_FUNC helper(apr_thread_t *t, void *data)
{
    ls_zip_helper_t *h = data;
    ls_zip_writer_t *w = h->w;

    (void)t;
    apr_thread_mutex_lock(w->lock);
    while (!w->pipe.stop) {
        if (w->pipe.taken < w->pipe.admitted) {
            ls_zip_block_t *b = &w->pipe.blk[w->pipe.taken++ % w->pipe.nblk];

            b->state = BLK_BUSY;
            apr_thread_mutex_unlock(w->lock);
            deflate_block(&h->zs, w->tuned, b);
            apr_thread_mutex_lock(w->lock);
            b->state = BLK_DONE;
            apr_thread_cond_broadcast(w->done);
        }
        else if (!w->sink.hashing && w->sink.hashed < w->sink.hashable
                 && w->sink.hash_status == APR_SUCCESS) {
            w->sink.hashing = 1;
            ls_zip_sink_hash_some(w, 1);
            w->sink.hashing = 0;
            apr_thread_cond_broadcast(w->done);
        }
        else {
            apr_thread_cond_wait(w->work, w->lock);
        }
    }
    apr_thread_mutex_unlock(w->lock);
    return NULL;
}

/* Queues blocks of the coming deflated files while ring slots are free
 * (caller's thread). A source that cannot be opened fails the part now,
 * a little before libzip would reach it. */
int ls_zip_deflate_admit(ls_zip_writer_t *w)
{
    int end = w->part->first + w->part->count;

    while (w->status == APR_SUCCESS
           && w->pipe.admitted - w->pipe.consumed
                  < (apr_uint64_t)w->pipe.nblk) {
        const ls_zip_entry_t *e;
        ls_zip_block_t *b;

        if (w->pipe.adm_fd < 0) {
            while (w->pipe.adm_entry < end
                   && !w->srcs[w->pipe.adm_entry - w->part->first].deflated) {
                w->pipe.adm_entry++;
            }
            if (w->pipe.adm_entry >= end) {
                return 0;
            }
            if ((w->pipe.adm_fd = ls_zip_source_open(w, w->pipe.adm_entry))
                < 0) {
                return -1;
            }
            w->pipe.adm_off = 0;
        }
        e = ls_zip_entry_at(w, w->pipe.adm_entry);
        b = &w->pipe.blk[w->pipe.admitted % w->pipe.nblk];
        b->entry = w->pipe.adm_entry;
        b->fd = w->pipe.adm_fd;
        b->off = w->pipe.adm_off;
        b->len = e->size - b->off > BLOCK ? BLOCK
                                          : (apr_size_t)(e->size - b->off);
        b->last = b->off + (apr_off_t)b->len == e->size;
        b->out_len = b->out_pos = 0;
        b->status = APR_SUCCESS;
        w->pipe.adm_off += b->len;
        if (b->last) {
            w->pipe.adm_fd = -1;
            w->pipe.adm_entry++;
        }
        ls_zip_lock(w);
        b->state = BLK_QUEUED;
        w->pipe.admitted++;
        if (w->nthreads) {
            apr_thread_cond_signal(w->work);
        }
        ls_zip_unlock(w);
    }
    return 0;
}

/* Copies deflated bytes of entry ent into libzip's buffer. */
zip_int64_t ls_zip_deflate_read(ls_zip_src_t *ent, unsigned char *out,
                                zip_uint64_t len)
{
    ls_zip_writer_t *w = ent->w;
    zip_uint64_t n = 0;

    while (n < len && !ent->eof) {
        ls_zip_block_t *b;
        apr_size_t k;

        if (ls_zip_deflate_admit(w) < 0) {
            return -1;
        }
        b = &w->pipe.blk[w->pipe.consumed % w->pipe.nblk];
        if (w->pipe.consumed == w->pipe.admitted || b->entry != ent->i) {
            return ls_zip_fail(w, APR_EGENERAL, "Packaging failed (internal).");
        }
        if (w->nthreads) {
            apr_thread_mutex_lock(w->lock);
            while (b->state != BLK_DONE) {
                apr_thread_cond_wait(w->done, w->lock);
            }
            apr_thread_mutex_unlock(w->lock);
        }
        else if (b->state == BLK_QUEUED) {
            deflate_block(w->pipe.zs_main, w->tuned, b);
            b->state = BLK_DONE;
        }
        if (b->status != APR_SUCCESS) {
            ls_zip_source_fail(w, ent->i, b->status);
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
        ls_zip_lock(w);
        b->state = BLK_FREE;
        w->pipe.consumed++;
        ls_zip_unlock(w);
        if (ls_zip_report(w, ent->eof) < 0) {
            return -1;
        }
    }
    return (zip_int64_t)n;
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
    w->pipe.threads = apr_pcalloc(w->pool,
                                  w->nthreads * sizeof(*w->pipe.threads));
    for (i = 0; i < w->nthreads; i++) {
        rv = apr_thread_create(&w->pipe.threads[i], NULL, helper,
                               &w->pipe.helpers[i], w->pool);
        if (rv != APR_SUCCESS) {
            return rv;
        }
        w->pipe.started++;
    }
    return APR_SUCCESS;
}

static void stop_threads(ls_zip_writer_t *w)
{
    apr_status_t rv;
    int i;

    if (w->pipe.started == 0) {
        return;
    }
    apr_thread_mutex_lock(w->lock);
    w->pipe.stop = 1;
    apr_thread_cond_broadcast(w->work);
    apr_thread_mutex_unlock(w->lock);
    for (i = 0; i < w->pipe.started; i++) {
        apr_thread_join(&rv, w->pipe.threads[i]);
    }
}

/* Closes the files of blocks admitted but never consumed. */
static void close_pending(ls_zip_writer_t *w)
{
    for (; w->pipe.consumed < w->pipe.admitted; w->pipe.consumed++) {
        ls_zip_block_t *b = &w->pipe.blk[w->pipe.consumed % w->pipe.nblk];

        if (b->last) {
            close(b->fd);
        }
    }
    if (w->pipe.adm_fd >= 0) {
        close(w->pipe.adm_fd);
        w->pipe.adm_fd = -1;
    }
}

apr_status_t ls_zip_deflate_setup(ls_zip_writer_t *w)
{
    int threads = threads_setting < 0 ? auto_threads() : threads_setting;
    int i;

    w->nthreads = threads;
    w->pipe.nblk = threads ? 2 * threads + 2 : 1;
    w->pipe.blk = apr_pcalloc(w->pool, w->pipe.nblk * sizeof(ls_zip_block_t));
    for (i = 0; i < w->pipe.nblk; i++) {
        w->pipe.blk[i].in = apr_palloc(w->pool, DICT + BLOCK + 1);
        w->pipe.blk[i].out = apr_palloc(w->pool, BLOCK_OUT);
    }
    w->pipe.adm_entry = w->part->first;
    w->pipe.adm_fd = -1;
    /* Helper i deflates with helpers[i].zs; without helpers the caller
     * uses helpers[0].zs. */
    w->pipe.helpers = apr_pcalloc(w->pool, (threads ? threads : 1)
                                               * sizeof(ls_zip_helper_t));
    for (i = 0; i < (threads ? threads : 1); i++) {
        w->pipe.helpers[i].w = w;
        if (deflateInit2(&w->pipe.helpers[i].zs, w->level, Z_DEFLATED,
                         -MAX_WBITS, 8, Z_DEFAULT_STRATEGY)
            != Z_OK) {
            return APR_ENOMEM;
        }
        w->pipe.zs_ready = i + 1;
    }
    w->pipe.zs_main = &w->pipe.helpers[0].zs;
    return threads ? start_threads(w) : APR_SUCCESS;
}

void ls_zip_deflate_teardown(ls_zip_writer_t *w)
{
    if (w->pipe.blk == NULL) {
        return; /* setup failed before the pipeline's (adm_fd is not -1) */
    }
    stop_threads(w);
    close_pending(w);
    while (w->pipe.zs_ready > 0) {
        deflateEnd(&w->pipe.helpers[--w->pipe.zs_ready].zs);
    }
}
