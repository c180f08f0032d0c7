/* Unit tests for ls_token: generation, syntax, hashing, ids. */
#include <apr_general.h>

#include "ls_token.h"
#include "tap.h"

int main(void)
{
    char t1[LS_TOKEN_LEN + 1], t2[LS_TOKEN_LEN + 1], h[LS_HASH_HEX_LEN + 1];
    char id[LS_ID_LEN + 1], buf[64];

    apr_initialize();
    ok(ls_token_generate(t1) == APR_SUCCESS, "token generated");
    ok(ls_token_generate(t2) == APR_SUCCESS, "second token generated");
    ok(strlen(t1) == LS_TOKEN_LEN, "token is 43 characters");
    ok(strcmp(t1, t2) != 0, "two tokens differ");
    ok(ls_token_well_formed(t1), "generated token is well formed");
    ok(!ls_token_well_formed(NULL), "NULL is not a token");
    ok(!ls_token_well_formed(""), "empty is not a token");
    memcpy(buf, t1, LS_TOKEN_LEN);
    buf[LS_TOKEN_LEN - 1] = '\0';
    ok(!ls_token_well_formed(buf), "42 characters is too short");
    memcpy(buf, t1, LS_TOKEN_LEN);
    buf[LS_TOKEN_LEN] = 'A';
    buf[LS_TOKEN_LEN + 1] = '\0';
    ok(!ls_token_well_formed(buf), "44 characters is too long");
    memcpy(buf, t1, LS_TOKEN_LEN + 1);
    buf[5] = '+';
    ok(!ls_token_well_formed(buf), "'+' is not base64url");
    buf[5] = '=';
    ok(!ls_token_well_formed(buf), "padding is refused");
    memcpy(buf, t1, LS_TOKEN_LEN + 1);
    buf[42] = 'B'; /* value 1: a stray low bit */
    ok(!ls_token_well_formed(buf), "non-canonical last character refused");
    buf[42] = 'E'; /* value 4 */
    ok(ls_token_well_formed(buf), "canonical last character accepted");
    {
        /* Every byte value in the first place: exactly the 64 of the
         * base64url alphabet pass. */
        static const char alpha[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                    "abcdefghijklmnopqrstuvwxyz0123456789-_";
        int c, right = 1, passed = 0;

        memcpy(buf, t1, LS_TOKEN_LEN + 1);
        for (c = 1; c < 256; c++) {
            int in = strchr(alpha, c) != NULL;
            buf[0] = (char)c;
            passed += ls_token_well_formed(buf);
            right &= ls_token_well_formed(buf) == in;
        }
        ok(right && passed == 64,
           "the 64 base64url characters, no other "
           "byte (%d passed)",
           passed);
    }

    ls_token_hash("abc", h);
    is_str(h,
           "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
           "SHA-256 of 'abc'");
    /* With the digest fetched once (as every httpd child does): the
     * thread's context, used again and again. */
    ls_token_init();
    ls_token_hash("abc", h);
    is_str(h,
           "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
           "SHA-256 of 'abc', the thread's context");
    ls_token_hash("", h);
    is_str(h,
           "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
           "SHA-256 of '', the same context again");
    ls_token_hash("abc", h);
    is_str(h,
           "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
           "and 'abc' once more");
    {
        unsigned char raw[] = {0xfb, 0xff, 0xfe};
        ls_base64url_encode(raw, 3, buf);
        is_str(buf, "-__-", "base64url uses - and _");
        ls_base64url_encode(raw, 1, buf);
        is_str(buf, "-w", "one byte, no padding");
        ls_base64url_encode(raw, 2, buf);
        is_str(buf, "-_8", "two bytes, no padding");
    }
    ok(ls_id_generate(id) == APR_SUCCESS && ls_id_well_formed(id),
       "id generated and well formed");
    ok(!ls_id_well_formed("0123456789abcdeF"), "upper-case hex is not an id");
    ok(!ls_id_well_formed("0123456789abcde"), "short id refused");
    ok(!ls_id_well_formed("../../etc/passwd"), "path is not an id");
    {
        unsigned char key[LS_SEAL_KEY_LEN], key2[LS_SEAL_KEY_LEN];
        char sealed[LS_SEALED_LEN + 1], sealed2[LS_SEALED_LEN + 1];
        char back[LS_TOKEN_LEN + 1];
        memset(key, 7, sizeof(key));
        memset(key2, 8, sizeof(key2));
        ok(ls_token_seal(key, t1, sealed) == APR_SUCCESS
               && strlen(sealed) == LS_SEALED_LEN,
           "token sealed");
        ok(strstr(sealed, t1) == NULL, "the sealed form does not hold it");
        ok(ls_token_seal(key, t1, sealed2) == APR_SUCCESS
               && strcmp(sealed, sealed2) != 0,
           "sealing twice differs (fresh nonce)");
        ok(ls_token_unseal(key, sealed, back) == APR_SUCCESS, "unsealed");
        is_str(back, t1, "... to the same token");
        ok(ls_token_unseal(key2, sealed, back) == APR_EINVAL && back[0] == '\0',
           "another key cannot open it");
        sealed[40] = sealed[40] == 'a' ? 'b' : 'a';
        ok(ls_token_unseal(key, sealed, back) == APR_EINVAL,
           "an altered seal is refused");
        ok(ls_token_unseal(key, "abc", back) == APR_EINVAL, "short refused");
        ok(ls_token_seal(key, "not a token", sealed) != APR_SUCCESS,
           "only tokens are sealed");
    }
    apr_terminate();
    done_testing();
}
