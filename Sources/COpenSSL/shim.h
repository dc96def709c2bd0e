#ifndef CIVIC_COPENSSL_SHIM_H
#define CIVIC_COPENSSL_SHIM_H
#include <openssl/evp.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/params.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <openssl/obj_mac.h>
#include <openssl/hmac.h>
#include <openssl/param_build.h>

/* Helpers for OpenSSL macros that Swift cannot import. */

/// BIO_get_mem_data: points *data at the memory BIO's bytes and returns their count.
static inline long civic_BIO_get_mem_data(BIO *bio, char **data) {
    return BIO_get_mem_data(bio, data);
}

/// OPENSSL_free.
static inline void civic_OPENSSL_free(void *pointer) {
    OPENSSL_free(pointer);
}

/// The NID of SM2's curve (sm2p256v1, OID 1.2.156.10197.1.301).
static inline int civic_NID_sm2(void) { return NID_sm2; }

/// The NID of P-256 (prime256v1, OID 1.2.840.10045.3.1.7).
static inline int civic_NID_X9_62_prime256v1(void) { return NID_X9_62_prime256v1; }

/// The EVP_PKEY type for SM2 keys.
static inline int civic_EVP_PKEY_SM2(void) { return EVP_PKEY_SM2; }

/// Builds an EC-family EVP_PKEY (key type "SM2" or "EC") on the named group from an uncompressed point and, when
/// `priv` is not NULL, a 32-byte big-endian private scalar. Written in C because OSSL_PARAM_BLD keeps its keys
/// by reference, so they must be string literals that outlive the builder. Returns NULL on failure.
static inline EVP_PKEY *civic_make_ec_key(const char *keytype, const char *group, const unsigned char *pub,
                                          size_t publen, const unsigned char *priv, size_t privlen) {
    EVP_PKEY *key = NULL;
    BIGNUM *scalar = NULL;
    OSSL_PARAM *params = NULL;
    EVP_PKEY_CTX *context = NULL;
    OSSL_PARAM_BLD *builder = OSSL_PARAM_BLD_new();
    if (builder == NULL) goto done;
    if (!OSSL_PARAM_BLD_push_utf8_string(builder, OSSL_PKEY_PARAM_GROUP_NAME, group, 0)) goto done;
    if (!OSSL_PARAM_BLD_push_octet_string(builder, OSSL_PKEY_PARAM_PUB_KEY, pub, publen)) goto done;
    if (priv != NULL) {
        scalar = BN_secure_new();
        if (scalar == NULL || BN_bin2bn(priv, (int)privlen, scalar) == NULL) goto done;
        if (!OSSL_PARAM_BLD_push_BN(builder, OSSL_PKEY_PARAM_PRIV_KEY, scalar)) goto done;
    }
    params = OSSL_PARAM_BLD_to_param(builder);
    if (params == NULL) goto done;
    context = EVP_PKEY_CTX_new_from_name(NULL, keytype, NULL);
    if (context == NULL || EVP_PKEY_fromdata_init(context) != 1) goto done;
    if (EVP_PKEY_fromdata(context, &key, priv != NULL ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY, params) != 1) {
        key = NULL;
    }
done:
    EVP_PKEY_CTX_free(context);
    OSSL_PARAM_free(params);
    BN_clear_free(scalar);
    OSSL_PARAM_BLD_free(builder);
    return key;
}

#endif
