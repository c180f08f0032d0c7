/* Unit tests for ls_password: length rules, the encoded KDF string, its
 * check, and the unlock cookie. */
#include <apr_general.h>
#include <apr_pools.h>
#include <apr_strings.h>
#include <apr_time.h>

#include "ls_password.h"
#include "tap.h"

int main(void)
{
    apr_pool_t *p;
    /* Cheap parameters for the tests of the format; the default's cost is
     * measured once below. */
    ls_password_cost_t cheap = {10, 8, 1};
    const char *enc = NULL, *enc2 = NULL, *c;
    unsigned char key[LS_UNLOCK_KEY_LEN], key2[LS_UNLOCK_KEY_LEN];
    char buf[512];
    apr_time_t t0;

    apr_initialize();
    apr_pool_create(&p, NULL);

    ok(!ls_password_length_ok("1234567", 7), "7 characters is too short");
    ok(ls_password_length_ok("12345678", 8), "8 characters is enough");
    ok(ls_password_length_ok("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3"
                             "\xa9\xc3\xa9\xc3\xa9",
                             16),
       "8 two-byte characters count as 8");
    ok(!ls_password_length_ok("\xc3\xa9\xc3\xa9\xc3\xa9", 6),
       "3 characters in 6 bytes is too short");
    memset(buf, 'a', 257);
    ok(ls_password_length_ok(buf, 256), "256 characters is allowed");
    ok(!ls_password_length_ok(buf, 257), "257 characters is too long");
    ok(!ls_password_length_ok("abcd\0efgh", 9), "a NUL is refused");

    ok(ls_password_hash(p, "correct horse", 13, &cheap, &enc) == APR_SUCCESS,
       "hashed");
    ok(strncmp(enc, "scrypt$ln=10,r=8,p=1$", 21) == 0,
       "parameters are in the string");
    ok(strlen(enc) == 21 + 32 + 1 + 64, "hex salt and hash");
    ok(strstr(enc, "correct") == NULL, "the password is not in it");
    ok(ls_password_hash(p, "correct horse", 13, &cheap, &enc2) == APR_SUCCESS
           && strcmp(enc, enc2) != 0,
       "a new salt each time");
    ok(ls_password_verify("correct horse", 13, enc) == APR_SUCCESS,
       "the right password matches");
    ok(ls_password_verify("correct horsE", 13, enc) == APR_EMISMATCH,
       "a wrong password does not");
    ok(ls_password_verify("correct hors", 12, enc) == APR_EMISMATCH,
       "a prefix does not");
    ok(ls_password_verify("x", 1, NULL) == APR_EINVAL, "no string: EINVAL");
    ok(ls_password_verify("x", 1, "argon2id$v=19$...") == APR_EINVAL,
       "another algorithm: EINVAL");
    strcpy(buf, enc);
    buf[strlen(buf) - 1] = 'g';
    ok(ls_password_verify("correct horse", 13, buf) == APR_EINVAL,
       "a non-hex hash: EINVAL");
    strcpy(buf, enc);
    buf[strlen(buf) - 1] = '\0';
    ok(ls_password_verify("correct horse", 13, buf) == APR_EINVAL,
       "a short hash: EINVAL");
    strcpy(buf, enc);
    memcpy(buf + 7, "ln=24", 5);
    ok(ls_password_verify("correct horse", 13, buf) == APR_EINVAL,
       "a cost over the memory bound is refused, not computed");
    {
        ls_password_cost_t huge = {22, 64, 1};
        const char *x = NULL;
        ok(ls_password_hash(p, "abcdefgh", 8, &huge, &x) == APR_EGENERAL,
           "hashing with a cost over the bound fails");
    }

    t0 = apr_time_now();
    ok(ls_password_hash(p, "correct horse", 13, NULL, &enc) == APR_SUCCESS
           && strncmp(enc, "scrypt$ln=15,r=8,p=1$", 21) == 0,
       "the default cost: N=2^15, r=8, p=1 (32 MiB)");
    ok(ls_password_verify("correct horse", 13, enc) == APR_SUCCESS,
       "default-cost string verifies");
    printf("# default cost: hash + verify took %d ms",
           (int)((apr_time_now() - t0) / 1000));
    printf("\n");

    memset(key, 1, sizeof(key));
    memset(key2, 2, sizeof(key2));
    c = ls_password_cookie(p, key, "0123456789abcdef", 3, 2000);
    ok(ls_password_cookie_ok(key, c, "0123456789abcdef", 3, 1999),
       "a fresh cookie opens its share");
    ok(!ls_password_cookie_ok(key, c, "0123456789abcdef", 3, 2000),
       "not once it ended");
    ok(!ls_password_cookie_ok(key, c, "0123456789abcdef", 4, 1000),
       "not after the password changed (generation)");
    ok(!ls_password_cookie_ok(key, c, "fedcba9876543210", 3, 1000),
       "not for another share");
    ok(!ls_password_cookie_ok(key2, c, "0123456789abcdef", 3, 1000),
       "not under another key");
    c = apr_pstrdup(p, c);
    ((char *)c)[20] = c[20] == '3' ? '4' : '3';
    ok(!ls_password_cookie_ok(key, c, "0123456789abcdef", 3, 1000),
       "an altered field fails the MAC");
    c = ls_password_cookie(p, key, "0123456789abcdef", 3, 2000);
    c = apr_pstrcat(p, apr_pstrndup(p, c, strlen(c) - 1),
                    c[strlen(c) - 1] == '0' ? "1" : "0", NULL);
    ok(!ls_password_cookie_ok(key, c, "0123456789abcdef", 3, 1000),
       "an altered MAC fails");
    ok(!ls_password_cookie_ok(key, "", "0123456789abcdef", 3, 1000),
       "empty value fails");
    ok(!ls_password_cookie_ok(key, NULL, "0123456789abcdef", 3, 1000),
       "no value fails");

    apr_pool_destroy(p);
    apr_terminate();
    done_testing();
}
