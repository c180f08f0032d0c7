/* ls_password: a protected link's password and its unlock cookie. Pure
 * unit (APR + OpenSSL). Owns the password rules (length), the encoded KDF
 * string kept in ls_share.password_hash (scrypt through OpenSSL, a random
 * salt per share, the parameters in the string), the constant-time check,
 * and the signed unlock cookie's value. Not the cookie's header, the key's
 * file, the throttle or how many checks may run at once (ls_unlock). */
#ifndef LS_PASSWORD_H
#define LS_PASSWORD_H

#include <apr_errno.h>
#include <apr_pools.h>

#define LS_PASSWORD_MIN 8   /* characters (UTF-8), not bytes */
#define LS_PASSWORD_MAX 256 /* characters */

/* scrypt's cost: N = 2^ln, block size r, parallelism p. Memory is about
 * 128 * r * N bytes: the default (ln 15, r 8, p 1) is 32 MiB and took
 * ~140 ms on the 2-core test machine (OpenSSL 3.0, EVP_PBE_scrypt). */
typedef struct {
    int ln;
    int r;
    int p;
} ls_password_cost_t;

#define LS_PASSWORD_LN 15
#define LS_PASSWORD_R  8
#define LS_PASSWORD_P  1

/* A stored string asking for more than this is refused, not computed:
 * a row written by someone else cannot make a check eat the server. */
#define LS_PASSWORD_MAX_MEM (APR_UINT64_C(256) << 20)

/* Non-zero when pw has LS_PASSWORD_MIN to LS_PASSWORD_MAX characters
 * and no NUL (len bytes). */
int ls_password_length_ok(const char *pw, apr_size_t len);

/* Encodes pw with a new random salt: "scrypt$ln=15,r=8,p=1$SALT$HASH"
 * (salt 16 bytes, hash 32 bytes, both lowercase hex), in p. cost NULL is
 * the default. APR_EGENERAL when the RNG or the KDF fails. */
apr_status_t ls_password_hash(apr_pool_t *p, const char *pw, apr_size_t len,
                              const ls_password_cost_t *cost, const char **out);

/* Checks pw against an encoded string: APR_SUCCESS when it matches,
 * APR_EMISMATCH when not, APR_EINVAL when encoded is malformed or asks
 * for more than LS_PASSWORD_MAX_MEM, APR_EGENERAL when the KDF fails.
 * The comparison takes the same time wherever the hashes differ. */
apr_status_t ls_password_verify(const char *pw, apr_size_t len,
                                const char *encoded);

/* ---- the unlock cookie ----
 * Value "ID.GEN.EXPIRES.MAC": the share's id, its password generation,
 * the cookie's end (epoch seconds) and HMAC-SHA256 over them under a
 * server key (hex). Changing the password bumps the generation, which
 * ends every earlier cookie; one share's cookie opens no other. */
#define LS_UNLOCK_KEY_LEN 32

/* The cookie's value, in p. */
const char *ls_password_cookie(apr_pool_t *p, const unsigned char *key,
                               const char *share_id, apr_int64_t gen,
                               apr_int64_t expires);

/* Non-zero when value is a cookie made under key for share_id at
 * generation gen that has not ended at now. */
int ls_password_cookie_ok(const unsigned char *key, const char *value,
                          const char *share_id, apr_int64_t gen,
                          apr_int64_t now);

#endif /* LS_PASSWORD_H */
