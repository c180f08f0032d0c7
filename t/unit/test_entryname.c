/* Unit tests for ls_entryname: archive names that extract on Windows,
 * macOS and Linux. */
#include <stdlib.h>
#include <string.h>

#include <apr_general.h>
#include <apr_strings.h>

#include "ls_entryname.h"
#include "ls_zip.h"
#include "tap.h"

static apr_pool_t *p;

static apr_array_header_t *entries(const char *const *names)
{
    apr_array_header_t *a = apr_array_make(p, 8, sizeof(ls_zip_entry_t));

    for (; *names; names++) {
        ls_zip_entry_t *e = apr_array_push(a);
        memset(e, 0, sizeof(*e));
        e->name = *names;
    }
    return a;
}

static const char *name_at(apr_array_header_t *a, int i)
{
    return APR_ARRAY_IDX(a, i, ls_zip_entry_t).name;
}

int main(void)
{
    apr_array_header_t *a;

    apr_initialize();
    apr_pool_create(&p, NULL);

    /* One segment. */
    is_str(ls_entryname_segment(p, "plain name.txt"), "plain name.txt",
           "a safe name is kept");
    is_str(ls_entryname_segment(p, "caf\xc3\xa9 \xe2\x82\xac.txt"),
           "caf\xc3\xa9 \xe2\x82\xac.txt", "UTF-8 is kept");
    is_str(ls_entryname_segment(p, "a<b>c:d\"e|f?g*h\\i"), "a_b_c_d_e_f_g_h_i",
           "< > : \" | ? * \\ become _");
    is_str(ls_entryname_segment(p, "tab\there\x01\x7f"), "tab_here__",
           "control characters become _");
    is_str(ls_entryname_segment(p, "bad\xff\xc3(utf8"), "bad__(utf8",
           "bytes that are not UTF-8 become _");
    is_str(ls_entryname_segment(p, "\xed\xa0\x80"), "___",
           "a surrogate is not UTF-8");
    is_str(ls_entryname_segment(p, "name."), "name_", "a trailing dot");
    is_str(ls_entryname_segment(p, "name. . "), "name____",
           "trailing dots and spaces");
    is_str(ls_entryname_segment(p, "..."), "___", "only dots");
    is_str(ls_entryname_segment(p, "CON"), "CON_", "CON");
    is_str(ls_entryname_segment(p, "con.txt"), "con_.txt",
           "con.txt (any case, any extension)");
    is_str(ls_entryname_segment(p, "Nul.tar.gz"), "Nul_.tar.gz",
           "NUL with two extensions");
    is_str(ls_entryname_segment(p, "aux .txt"), "aux _.txt",
           "a reserved name followed by spaces");
    is_str(ls_entryname_segment(p, "PRN"), "PRN_", "PRN");
    is_str(ls_entryname_segment(p, "com1"), "com1_", "COM1");
    is_str(ls_entryname_segment(p, "LPT9.log"), "LPT9_.log", "LPT9");
    is_str(ls_entryname_segment(p, "COM\xc2\xb9"), "COM\xc2\xb9_",
           "COM with a superscript one");
    is_str(ls_entryname_segment(p, "COM0"), "COM0", "COM0 is not reserved");
    is_str(ls_entryname_segment(p, "COM10"), "COM10", "COM10 is not reserved");
    is_str(ls_entryname_segment(p, "CONSOLE.txt"), "CONSOLE.txt",
           "CONSOLE is not reserved");
    is_str(ls_entryname_segment(p, "icon.txt"), "icon.txt",
           "a name ending in con is not reserved");
    is_str(ls_entryname_segment(p, "con:"), "con_",
           "mapped characters first, then the reserved check");

    /* Whole selections. */
    {
        static const char *const in[] = {"a:b.txt", "a_b.txt", "A_B.TXT",
                                         "readme",  "README",  NULL};
        a = entries(in);
        ls_entryname_map(p, a);
        is_str(name_at(a, 0), "a_b.txt", "mapped");
        is_str(name_at(a, 1), "a_b (2).txt", "a collision gets (2)");
        is_str(name_at(a, 2), "A_B (3).TXT", "... case-insensitively, (3)");
        is_str(name_at(a, 3), "readme", "no extension");
        is_str(name_at(a, 4), "README (2)", "... the suffix at the end");
    }
    {
        static const char *const in[] = {
            "x?/",        "x?/con.txt", "x?/sub./", "x?/sub./f*.txt",
            "y/z:/q.txt", "x_",         NULL};
        a = entries(in);
        ls_entryname_map(p, a);
        is_str(name_at(a, 0), "x_/", "a folder mapped");
        is_str(name_at(a, 1), "x_/con_.txt", "its file under the mapped name");
        is_str(name_at(a, 2), "x_/sub_/", "a sub-folder");
        is_str(name_at(a, 3), "x_/sub_/f_.txt", "... and its file");
        is_str(name_at(a, 4), "y/z_/q.txt",
               "folders without entries of their own mapped too");
        is_str(name_at(a, 5), "x_ (2)", "a file named like a mapped folder");
    }
    {
        static const char *const in[] = {"d/", "d/a.txt", "e/a.txt", "d/A.txt",
                                         NULL};
        a = entries(in);
        ls_entryname_map(p, a);
        is_str(name_at(a, 2), "e/a.txt", "collisions are per folder");
        is_str(name_at(a, 3), "d/A (2).txt", "... within one folder");
        ls_entryname_map(p, a);
        is_str(name_at(a, 3), "d/A (2).txt", "mapping twice changes nothing");
        is_str(name_at(a, 1), "d/a.txt", "... for any entry");
    }
    {
        static const char *const in[] = {"CON/", "CON/x", "con", NULL};
        a = entries(in);
        ls_entryname_map(p, a);
        is_str(name_at(a, 0), "CON_/", "a reserved folder name");
        is_str(name_at(a, 1), "CON_/x", "... its file");
        is_str(name_at(a, 2), "con_ (2)", "a file that maps onto it");
    }

    apr_pool_destroy(p);
    apr_terminate();
    done_testing();
}
