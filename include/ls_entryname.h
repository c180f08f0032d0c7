/* ls_entryname: archive entry names that extract on Windows, macOS and
 * Linux. Pure unit (APR only). Owns the mapping of a selection's names
 * (share paths) to safe ones; it does not choose entries (ls_select) or
 * write them (ls_zip, which still refuses what is not safe). */
#ifndef LS_ENTRYNAME_H
#define LS_ENTRYNAME_H

#include <apr_pools.h>
#include <apr_tables.h>

/* One name segment made safe, in p (the segment itself when it is):
 *   < > : " | ? * \ and control characters (and bytes that are not UTF-8)
 *                        become '_'
 *   trailing dots and spaces           each become '_'
 *   reserved Windows device names (CON, PRN, AUX, NUL, COM1-9, LPT1-9,
 *   CONIN$, CONOUT$; with any extension, any case) get '_' after the
 *                        name: "con.txt" -> "con_.txt"
 * seg is one segment: no '/'. */
const char *ls_entryname_segment(apr_pool_t *p, const char *seg);

/* Rewrites the names of entries (ls_zip_entry_t, archive order, folders
 * ending in '/') segment by segment with ls_entryname_segment, the same
 * folder always to the same name; a name that then equals another in its
 * folder, ignoring ASCII case, gets " (2)", " (3)", ... before its
 * extension ("a_b (2).txt"; folders at the end). Safe names that do not
 * collide are kept as they are, so mapping twice changes nothing. */
void ls_entryname_map(apr_pool_t *p, apr_array_header_t *entries);

#endif /* LS_ENTRYNAME_H */
