/* ls_token: share tokens and record ids (see ls_token.h). */
#include <pthread.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "ls_token.h"

static const char b64url[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

apr_size_t ls_base64url_encode(const unsigned char *in, apr_size_t len,
                               char *out)
{
    apr_size_t i, o = 0;

    for (i = 0; i + 2 < len; i += 3) {
        apr_uint32_t v = (in[i] << 16) | (in[i + 1] << 8) | in[i + 2];
        out[o++] = b64url[(v >> 18) & 63];
        out[o++] = b64url[(v >> 12) & 63];
        out[o++] = b64url[(v >> 6) & 63];
        out[o++] = b64url[v & 63];
    }
    if (len - i == 1) {
        apr_uint32_t v = in[i] << 16;
        out[o++] = b64url[(v >> 18) & 63];
        out[o++] = b64url[(v >> 12) & 63];
    }
    else if (len - i == 2) {
        apr_uint32_t v = (in[i] << 16) | (in[i + 1] << 8);
        out[o++] = b64url[(v >> 18) & 63];
        out[o++] = b64url[(v >> 12) & 63];
        out[o++] = b64url[(v >> 6) & 63];
    }
    out[o] = '\0';
    return o;
}

apr_status_t ls_token_generate(char *out)
{
    unsigned char raw[LS_TOKEN_RAW_LEN];

    if (RAND_bytes(raw, sizeof(raw)) != 1) {
        return APR_EGENERAL;
    }
    ls_base64url_encode(raw, sizeof(raw), out);
    OPENSSL_cleanse(raw, sizeof(raw));
    return APR_SUCCESS;
}

/* The value of a base64url character, or -1: arithmetic, not a search
 * of the alphabet (this runs for every character of every token). */
static int b64url_value(char c)
{
    if (c >= 'A' && c <= 'Z') {
        return c - 'A';
    }
    if (c >= 'a' && c <= 'z') {
        return c - 'a' + 26;
    }
    if (c >= '0' && c <= '9') {
        return c - '0' + 52;
    }
    return c == '-' ? 62 : c == '_' ? 63 : -1;
}

int ls_token_well_formed(const char *s)
{
    int i;

    if (s == NULL) {
        return 0;
    }
    for (i = 0; i < LS_TOKEN_LEN; i++) {
        if (b64url_value(s[i]) < 0) {
            return 0;
        }
    }
    /* 43 characters carry 258 bits; the last two must be zero, or two
     * spellings would name the same token. */
    return s[LS_TOKEN_LEN] == '\0' && (b64url_value(s[42]) & 3) == 0;
}

/* OpenSSL 3 looks an algorithm up (under a lock) each time EVP_sha256()
 * is used implicitly; fetching it once takes that off every request. */
static EVP_MD *sha256;

void ls_token_init(void)
{
    if (sha256 == NULL) {
        sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
    }
}

/* A digest context per thread, used again for every hash: EVP_Digest
 * would allocate and free one (and its provider state) each time. */
static pthread_key_t ctx_key;
static pthread_once_t ctx_once = PTHREAD_ONCE_INIT;
static int ctx_key_ok;

static void ctx_free(void *c)
{
    EVP_MD_CTX_free(c);
}

static void ctx_key_init(void)
{
    ctx_key_ok = pthread_key_create(&ctx_key, ctx_free) == 0;
}

static EVP_MD_CTX *thread_ctx(void)
{
    EVP_MD_CTX *c;

    pthread_once(&ctx_once, ctx_key_init);
    if (!ctx_key_ok || sha256 == NULL) {
        return NULL;
    }
    if ((c = pthread_getspecific(ctx_key)) == NULL
        && (c = EVP_MD_CTX_new()) != NULL
        && pthread_setspecific(ctx_key, c) != 0) {
        EVP_MD_CTX_free(c);
        c = NULL;
    }
    return c;
}

void ls_token_hash(const char *s, char *out)
{
    static const char hex[] = "0123456789abcdef";
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0, i;
    EVP_MD_CTX *c = thread_ctx();

    if (c == NULL || EVP_DigestInit_ex2(c, sha256, NULL) != 1
        || EVP_DigestUpdate(c, s, strlen(s)) != 1
        || EVP_DigestFinal_ex(c, md, &mdlen) != 1) {
        EVP_Digest(s, strlen(s), md, &mdlen, sha256 ? sha256 : EVP_sha256(),
                   NULL);
    }
    for (i = 0; i < mdlen && i < LS_HASH_HEX_LEN / 2; i++) {
        out[2 * i] = hex[md[i] >> 4];
        out[2 * i + 1] = hex[md[i] & 15];
    }
    out[2 * i] = '\0';
}

apr_status_t ls_id_generate(char *out)
{
    static const char hex[] = "0123456789abcdef";
    unsigned char raw[LS_ID_LEN / 2];
    int i;

    if (RAND_bytes(raw, sizeof(raw)) != 1) {
        return APR_EGENERAL;
    }
    for (i = 0; i < LS_ID_LEN / 2; i++) {
        out[2 * i] = hex[raw[i] >> 4];
        out[2 * i + 1] = hex[raw[i] & 15];
    }
    out[LS_ID_LEN] = '\0';
    return APR_SUCCESS;
}

int ls_id_well_formed(const char *s)
{
    int i;

    if (s == NULL) {
        return 0;
    }
    for (i = 0; i < LS_ID_LEN; i++) {
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'))) {
            return 0;
        }
    }
    return s[LS_ID_LEN] == '\0';
}

/* ---- sealing ---- */

void ls_hex_encode(const unsigned char *in, apr_size_t n, char *out)
{
    static const char hex[] = "0123456789abcdef";
    apr_size_t i;

    for (i = 0; i < n; i++) {
        out[2 * i] = hex[in[i] >> 4];
        out[2 * i + 1] = hex[in[i] & 15];
    }
    out[2 * n] = '\0';
}

int ls_hex_decode(const char *in, apr_size_t n, unsigned char *out)
{
    apr_size_t i;

    for (i = 0; i < 2 * n; i++) {
        char c = in[i];
        int v = c >= '0' && c <= '9'   ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                       : -1;
        if (v < 0) {
            return 0;
        }
        out[i / 2] = (unsigned char)(i % 2 ? (out[i / 2] << 4) | v : v);
    }
    return 1;
}

apr_status_t ls_token_seal(const unsigned char *key, const char *token,
                           char *out)
{
    unsigned char buf[12 + LS_TOKEN_LEN + 16];
    EVP_CIPHER_CTX *ctx;
    int n = 0, ok;

    if (!ls_token_well_formed(token) || RAND_bytes(buf, 12) != 1
        || (ctx = EVP_CIPHER_CTX_new()) == NULL) {
        return APR_EGENERAL;
    }
    ok = EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, key, buf) == 1
         && EVP_EncryptUpdate(ctx, buf + 12, &n, (const unsigned char *)token,
                              LS_TOKEN_LEN)
                == 1
         && n == LS_TOKEN_LEN && EVP_EncryptFinal_ex(ctx, buf + 12 + n, &n) == 1
         && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16,
                                buf + 12 + LS_TOKEN_LEN)
                == 1;
    EVP_CIPHER_CTX_free(ctx);
    if (ok) {
        ls_hex_encode(buf, sizeof(buf), out);
    }
    return ok ? APR_SUCCESS : APR_EGENERAL;
}

apr_status_t ls_token_unseal(const unsigned char *key, const char *sealed,
                             char *token)
{
    unsigned char buf[12 + LS_TOKEN_LEN + 16];
    EVP_CIPHER_CTX *ctx;
    int n = 0, ok;

    if (sealed == NULL || strlen(sealed) != LS_SEALED_LEN
        || !ls_hex_decode(sealed, sizeof(buf), buf)
        || sealed[2 * sizeof(buf)] != '\0'
        || (ctx = EVP_CIPHER_CTX_new()) == NULL) {
        return APR_EINVAL;
    }
    ok = EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, key, buf) == 1
         && EVP_DecryptUpdate(ctx, (unsigned char *)token, &n, buf + 12,
                              LS_TOKEN_LEN)
                == 1
         && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, 16,
                                buf + 12 + LS_TOKEN_LEN)
                == 1
         && EVP_DecryptFinal_ex(ctx, (unsigned char *)token + n, &n) == 1;
    EVP_CIPHER_CTX_free(ctx);
    token[LS_TOKEN_LEN] = '\0';
    if (!ok || !ls_token_well_formed(token)) {
        OPENSSL_cleanse(token, LS_TOKEN_LEN);
        token[0] = '\0';
        return APR_EINVAL;
    }
    return APR_SUCCESS;
}
