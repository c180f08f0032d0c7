/* ls_api: the sharer's JSON API (API.md): shares and collections, the
 * owner taken from r->user, permission decided by httpd itself through a
 * subrequest for the asset's URL. Glue unit. */
#ifndef LS_API_H
#define LS_API_H

#include "httpd.h"

/* handler hook for linkshare-api. */
int ls_api_handler(request_rec *r);

#endif /* LS_API_H */
