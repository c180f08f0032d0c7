/* ls_token: share tokens and record ids. Pure unit (APR + OpenSSL only).
 * Owns generation, syntax checks and hashing of tokens; never stores or
 * logs them (that is the caller's duty to avoid). */
#ifndef LS_TOKEN_H
#define LS_TOKEN_H

#include <apr.h>
#include <apr_errno.h>

#define LS_TOKEN_RAW_LEN 32 /* random bytes in a token */
#define LS_TOKEN_LEN     43 /* base64url characters, no padding */
#define LS_HASH_HEX_LEN  64 /* SHA-256 in lowercase hex */
#define LS_ID_LEN        16 /* record ids: 8 random bytes in hex */

/* Fills out (LS_TOKEN_LEN + 1 bytes) with a new token from OpenSSL's RNG.
 * Returns APR_EGENERAL if the RNG fails. */
apr_status_t ls_token_generate(char *out);

/* Non-zero when s is exactly a canonical token: 43 base64url characters
 * whose last one carries no stray bits. Runs over the whole input. */
int ls_token_well_formed(const char *s);

/* Fetches the digest once per process (call before threads start);
 * ls_token_hash works without it, only slower. */
void ls_token_init(void);

/* Lowercase hex of n bytes into out (2n + 1 bytes, NUL-terminated). */
void ls_hex_encode(const unsigned char *in, apr_size_t n, char *out);
/* n bytes from the first 2n characters of in, lowercase hex digits; 0 on
 * any other character (what follows them is the caller's to check). */
int ls_hex_decode(const char *in, apr_size_t n, unsigned char *out);

/* Writes the lowercase hex SHA-256 of s (LS_HASH_HEX_LEN + 1 bytes). */
void ls_token_hash(const char *s, char *out);

/* Fills out (LS_ID_LEN + 1 bytes) with a random hex id for a record. */
apr_status_t ls_id_generate(char *out);

/* Non-zero when s looks like an id made by ls_id_generate. */
int ls_id_well_formed(const char *s);

/* Base64url (no padding) of len bytes into out, which must hold
 * ((len * 4 + 2) / 3) + 1 bytes. Returns the characters written. */
apr_size_t ls_base64url_encode(const unsigned char *in, apr_size_t len,
                               char *out);

/* Sealing: the share mail needs the token after the request that made it
 * (the workers send, a sharer may resend), but the store must never hold
 * a usable token. It holds the token sealed with AES-256-GCM under a key
 * kept on the server's disk (LinkShareStateDir/mail.key), not in the
 * database. */
#define LS_SEAL_KEY_LEN 32
#define LS_SEALED_LEN   ((12 + LS_TOKEN_LEN + 16) * 2) /* nonce ct tag, hex */

/* Writes the sealed token (LS_SEALED_LEN + 1 bytes of hex) to out. */
apr_status_t ls_token_seal(const unsigned char *key, const char *token,
                           char *out);

/* Opens a sealed token into token (LS_TOKEN_LEN + 1 bytes). APR_EINVAL
 * when sealed is malformed, was sealed under another key or altered. */
apr_status_t ls_token_unseal(const unsigned char *key, const char *sealed,
                             char *token);

#endif /* LS_TOKEN_H */
