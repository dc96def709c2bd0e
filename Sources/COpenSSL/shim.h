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

/// EVP_PKEY_PUBLIC_KEY selection for EVP_PKEY_fromdata.
static inline int civic_EVP_PKEY_PUBLIC_KEY(void) { return EVP_PKEY_PUBLIC_KEY; }

/// EVP_PKEY_KEYPAIR selection for EVP_PKEY_fromdata.
static inline int civic_EVP_PKEY_KEYPAIR(void) { return EVP_PKEY_KEYPAIR; }

#endif
