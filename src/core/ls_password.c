/* ls_password: passwords of protected links and their unlock cookies
 * (see ls_password.h). */
#include <stdio.h>
#include <string.h>

#include <apr_strings.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "ls_password.h"
#include "ls_token.h"

#define SALT_LEN 16
#define HASH_LEN 32

int ls_password_length_ok(const char *pw, apr_size_t len)
{
    apr_size_t i, chars = 0;

    if (pw == NULL || memchr(pw, '\0', len) != NULL) {
        return 0;
    }
    for (i = 0; i < len; i++) {
        chars += ((unsigned char)pw[i] & 0xc0) != 0x80; /* lead bytes */
    }
    return chars >= LS_PASSWORD_MIN && chars <= LS_PASSWORD_MAX;
}

/* One hex field of the stored string: n bytes, then '$' or its end. */
static int from_hex(const char *in, apr_size_t n, unsigned char *out)
{
    return ls_hex_decode(in, n, out) && (in[2 * n] == '\0' || in[2 * n] == '$');
}

/* The memory scrypt needs for these parameters (B and V). */
static apr_uint64_t cost_mem(const ls_password_cost_t *c)
{
    return (apr_uint64_t)128 * c->r * ((APR_UINT64_C(1) << c->ln) + 2)
           + (apr_uint64_t)128 * c->r * c->p;
}

static int cost_ok(const ls_password_cost_t *c)
{
    return c->ln >= 1 && c->ln <= 24 && c->r >= 1 && c->r <= 64 && c->p >= 1
           && c->p <= 16 && cost_mem(c) <= LS_PASSWORD_MAX_MEM;
}

static int derive(const char *pw, apr_size_t len, const unsigned char *salt,
                  const ls_password_cost_t *c, unsigned char *out)
{
    return EVP_PBE_scrypt(pw, len, salt, SALT_LEN, APR_UINT64_C(1) << c->ln,
                          (apr_uint64_t)c->r, (apr_uint64_t)c->p,
                          cost_mem(c) + (APR_UINT64_C(1) << 20), out, HASH_LEN)
           == 1;
}

apr_status_t ls_password_hash(apr_pool_t *p, const char *pw, apr_size_t len,
                              const ls_password_cost_t *cost, const char **out)
{
    static const ls_password_cost_t def = {LS_PASSWORD_LN, LS_PASSWORD_R,
                                           LS_PASSWORD_P};
    unsigned char salt[SALT_LEN], hash[HASH_LEN];
    char salt_hex[SALT_LEN * 2 + 1], hash_hex[HASH_LEN * 2 + 1];

    if (cost == NULL) {
        cost = &def;
    }
    if (!cost_ok(cost) || RAND_bytes(salt, sizeof(salt)) != 1
        || !derive(pw, len, salt, cost, hash)) {
        return APR_EGENERAL;
    }
    ls_hex_encode(salt, SALT_LEN, salt_hex);
    ls_hex_encode(hash, HASH_LEN, hash_hex);
    OPENSSL_cleanse(hash, sizeof(hash));
    *out = apr_psprintf(p, "scrypt$ln=%d,r=%d,p=%d$%s$%s", cost->ln, cost->r,
                        cost->p, salt_hex, hash_hex);
    return APR_SUCCESS;
}

apr_status_t ls_password_verify(const char *pw, apr_size_t len,
                                const char *encoded)
{
    ls_password_cost_t c;
    unsigned char salt[SALT_LEN], want[HASH_LEN], got[HASH_LEN];
    int used = 0;
    const char *s;
    apr_status_t rv;

    if (encoded == NULL
        || sscanf(encoded, "scrypt$ln=%2d,r=%2d,p=%2d$%n", &c.ln, &c.r, &c.p,
                  &used)
               != 3
        || used == 0 || !cost_ok(&c)) {
        return APR_EINVAL;
    }
    s = encoded + used;
    if (strlen(s) != SALT_LEN * 2 + 1 + HASH_LEN * 2 || s[SALT_LEN * 2] != '$'
        || !from_hex(s, SALT_LEN, salt)
        || !from_hex(s + SALT_LEN * 2 + 1, HASH_LEN, want)) {
        return APR_EINVAL;
    }
    if (!derive(pw, len, salt, &c, got)) {
        return APR_EGENERAL;
    }
    /* Constant time: how much of a guess matched must not show in how
     * long the answer takes. */
    rv = CRYPTO_memcmp(got, want, HASH_LEN) == 0 ? APR_SUCCESS : APR_EMISMATCH;
    OPENSSL_cleanse(got, sizeof(got));
    return rv;
}

/* ---- the unlock cookie ---- */

static void cookie_mac(const unsigned char *key, const char *msg, char *out_hex)
{
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int n = 0;

    HMAC(EVP_sha256(), key, LS_UNLOCK_KEY_LEN, (const unsigned char *)msg,
         strlen(msg), mac, &n);
    ls_hex_encode(mac, n, out_hex);
}

/* What the MAC covers: a label (so no other MAC under a key derived the
 * same way can pass for a cookie) and the three fields. */
static const char *cookie_msg(apr_pool_t *p, const char *share_id,
                              apr_int64_t gen, apr_int64_t expires)
{
    return apr_psprintf(p, "%s.%" APR_INT64_T_FMT ".%" APR_INT64_T_FMT,
                        share_id, gen, expires);
}

const char *ls_password_cookie(apr_pool_t *p, const unsigned char *key,
                               const char *share_id, apr_int64_t gen,
                               apr_int64_t expires)
{
    const char *msg = cookie_msg(p, share_id, gen, expires);
    char mac[EVP_MAX_MD_SIZE * 2 + 1];

    cookie_mac(key, apr_pstrcat(p, "lsu1.", msg, NULL), mac);
    return apr_pstrcat(p, msg, ".", mac, NULL);
}

int ls_password_cookie_ok(const unsigned char *key, const char *value,
                          const char *share_id, apr_int64_t gen,
                          apr_int64_t now)
{
    char id[LS_ID_LEN + 1], mac[EVP_MAX_MD_SIZE * 2 + 1], buf[128];
    long long g, exp;
    int used = 0;
    const char *given;

    if (value == NULL || strlen(value) > 200
        || sscanf(value, "%16[0-9a-f].%lld.%lld.%n", id, &g, &exp, &used) != 3
        || used == 0 || strcmp(id, share_id) != 0 || g != gen || exp <= now) {
        return 0;
    }
    given = value + used;
    snprintf(buf, sizeof(buf), "lsu1.%s.%lld.%lld", id, g, exp);
    cookie_mac(key, buf, mac);
    return strlen(given) == strlen(mac)
           && CRYPTO_memcmp(given, mac, strlen(mac)) == 0;
}
