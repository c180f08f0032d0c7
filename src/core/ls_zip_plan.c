/* ls_zip_plan: how a selection splits into parts (ls_zip_plan, see
 * ls_zip.h): the size bound each part's archive must stay under. It
 * writes nothing; ls_zip.c and the units it drives write one part. */
#include <string.h>

#include "ls_zip.h"

/* Planning counts what an entry adds besides its data: local header (30)
 * and central record (46), its name in both, our UT field in both (9 +
 * 9) and ZIP64 fields in both (20 + 28); and the end records (ZIP64 end
 * 56, locator 20, end 22). A file may also be deflated, and data that
 * does not compress grows: by at most 0.04 % + 18 bytes a block (zlib's
 * deflateBound plus our flush marker), which size / 2048 + 128 covers. */
#define ENTRY_OVERHEAD(namelen) (30 + 46 + 18 + 48 + 2 * (apr_off_t)(namelen))
#define DEFLATE_GROWTH(size)    ((size) / 2048 + 128)
#define ARCHIVE_OVERHEAD        98

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
