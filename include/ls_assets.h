/* ls_assets: the page assets of assets/, embedded at build time by
 * scripts/embed-assets.pl (build/ls_assets.c). */
#ifndef LS_ASSETS_H
#define LS_ASSETS_H

/* assets/linkshare.js: selection and the live Download Inbox. */
extern const char ls_asset_linkshare_js[];

/* assets/preview.js: the preview overlay on the Link Share page, arrow
 * keys and unplayable videos on the preview page. */
extern const char ls_asset_preview_js[];

/* assets/sharer.js: the Link Sharing dialog (ls_sharer). */
extern const char ls_asset_sharer_js[];

/* assets/sharerlib.js: helpers both sharer pages load first (ls_sharer). */
extern const char ls_asset_sharerlib_js[];

/* assets/links.js: the Shared Links list (ls_sharer). */
extern const char ls_asset_links_js[];

/* assets/recipient.css: the recipients' pages (ls_html). */
extern const char ls_asset_recipient_css[];

/* assets/sharer.css: the sharer pages (ls_sharer). */
extern const char ls_asset_sharer_css[];

#endif /* LS_ASSETS_H */
