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
#include <openssl/x509v3.h>
#include <openssl/ts.h>
#include <string.h>

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

/* X.509 helpers for CivicNetwork's PKI (organization CAs and node transport certificates). */

/// The GM/T 0009 default SM2 signer id as an `EVP_PKEY_CTX` setting; returns 1 on success.
static inline int civic_set_sm2_default_id(EVP_PKEY_CTX *context) {
    static const char id[] = "1234567812345678";
    return EVP_PKEY_CTX_set1_id(context, id, sizeof(id) - 1);
}

/// Signs `cert` with `key`: SM2-with-SM3 and the default signer id when `sm2` is not 0, else ECDSA with SHA-256.
/// Returns 1 on success.
static inline int civic_X509_sign(X509 *cert, EVP_PKEY *key, int sm2) {
    if (!sm2) return X509_sign(cert, key, EVP_sha256()) > 0;
    int ok = 0;
    EVP_MD_CTX *digest = EVP_MD_CTX_new();
    EVP_PKEY_CTX *context = EVP_PKEY_CTX_new(key, NULL);
    if (digest == NULL || context == NULL) goto done;
    if (civic_set_sm2_default_id(context) != 1) goto done;
    EVP_MD_CTX_set_pkey_ctx(digest, context);
    if (EVP_DigestSignInit(digest, NULL, EVP_sm3(), NULL, key) != 1) goto done;
    ok = X509_sign_ctx(cert, digest) > 0;
done:
    EVP_MD_CTX_free(digest);
    EVP_PKEY_CTX_free(context);
    return ok;
}

/// Whether `key` signed `cert` (1), not (0), or an error (-1). For SM2 keys the default signer id
/// `1234567812345678` is attached to the certificate first: OpenSSL 3.0 does not assume it (its command line
/// needs `-vfyopt distid:1234567812345678` for the same reason).
static inline int civic_X509_verify(X509 *cert, EVP_PKEY *key) {
    if (EVP_PKEY_is_a(key, "SM2")) {
        static const unsigned char id[] = "1234567812345678";
        ASN1_OCTET_STRING *value = ASN1_OCTET_STRING_new();
        if (value == NULL || ASN1_OCTET_STRING_set(value, id, sizeof(id) - 1) != 1) {
            ASN1_OCTET_STRING_free(value);
            return -1;
        }
        X509_set0_distinguishing_id(cert, value);
    }
    return X509_verify(cert, key);
}

/// Adds the extension `nid` with the configuration text `value` (as in `openssl x509 -extfile`), with `issuer`
/// as the issuing certificate (for authorityKeyIdentifier). Returns 1 on success.
static inline int civic_X509_add_ext(X509 *cert, X509 *issuer, int nid, const char *value) {
    X509V3_CTX context;
    X509V3_set_ctx_nodb(&context);
    X509V3_set_ctx(&context, issuer, cert, NULL, NULL, 0);
    X509_EXTENSION *extension = X509V3_EXT_conf_nid(NULL, &context, nid, value);
    if (extension == NULL) return 0;
    int ok = X509_add_ext(cert, extension, -1);
    X509_EXTENSION_free(extension);
    return ok;
}

/// Adds one UTF-8 attribute (`field` is "O", "CN", ...) to `name`. Returns 1 on success.
static inline int civic_X509_NAME_add_utf8(X509_NAME *name, const char *field, const char *value) {
    return X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8, (const unsigned char *)value, -1, -1, 0);
}

/// Writes `name` to `bio` in RFC 2253 form (`CN=...,O=...`). Returns 1 on success.
static inline int civic_X509_NAME_print(BIO *bio, const X509_NAME *name) {
    return X509_NAME_print_ex(bio, name, 0, XN_FLAG_RFC2253) >= 0;
}

/// Copies the `index`-th URI of the certificate's subjectAltName into `out` (at most `capacity` bytes) and returns
/// its length, or -1 when there is no such URI.
static inline int civic_X509_san_uri(X509 *cert, int index, unsigned char *out, int capacity) {
    GENERAL_NAMES *names = X509_get_ext_d2i(cert, NID_subject_alt_name, NULL, NULL);
    if (names == NULL) return -1;
    int found = -1, seen = 0;
    for (int i = 0; i < sk_GENERAL_NAME_num(names); i++) {
        GENERAL_NAME *name = sk_GENERAL_NAME_value(names, i);
        if (name->type != GEN_URI) continue;
        if (seen++ != index) continue;
        int length = ASN1_STRING_length(name->d.uniformResourceIdentifier);
        if (length > capacity) length = capacity;
        memcpy(out, ASN1_STRING_get0_data(name->d.uniformResourceIdentifier), (size_t)length);
        found = length;
        break;
    }
    GENERAL_NAMES_free(names);
    return found;
}

/// Seconds from the Unix epoch to `time`, in `*seconds`. Returns 1 on success.
static inline int civic_ASN1_TIME_epoch_seconds(const ASN1_TIME *time, long long *seconds) {
    ASN1_TIME *epoch = ASN1_TIME_set(NULL, 0);
    int days = 0, rest = 0;
    int ok = epoch != NULL && ASN1_TIME_diff(&days, &rest, epoch, time) == 1;
    ASN1_TIME_free(epoch);
    if (ok) *seconds = (long long)days * 86400 + rest;
    return ok;
}

/* Identity certificates and revocation lists (CRLs) of organization CAs. */

/// Writes the serial number of `cert` as upper-case hexadecimal (as `openssl x509 -serial` prints it) into `out`
/// (at most `capacity` bytes, no terminator) and returns its length, or -1 on failure.
static inline int civic_X509_serial_hex(X509 *cert, char *out, int capacity) {
    BIGNUM *number = ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), NULL);
    if (number == NULL) return -1;
    char *hex = BN_bn2hex(number);
    BN_free(number);
    if (hex == NULL) return -1;
    int length = (int)strlen(hex);
    if (length > capacity) length = -1; else memcpy(out, hex, (size_t)length);
    OPENSSL_free(hex);
    return length;
}

/// Adds the CRL extension `nid` with the configuration text `value` (`issuer` for authorityKeyIdentifier).
/// Returns 1 on success.
static inline int civic_X509_CRL_add_ext(X509_CRL *crl, X509 *issuer, int nid, const char *value) {
    X509V3_CTX context;
    X509V3_set_ctx_nodb(&context);
    X509V3_set_ctx(&context, issuer, NULL, NULL, crl, 0);
    X509_EXTENSION *extension = X509V3_EXT_conf_nid(NULL, &context, nid, value);
    if (extension == NULL) return 0;
    int ok = X509_CRL_add_ext(crl, extension, -1);
    X509_EXTENSION_free(extension);
    return ok;
}

/// Sets the CRL number extension (RFC 5280 §5.2.3) to `number`. Returns 1 on success.
static inline int civic_X509_CRL_set_number(X509_CRL *crl, long number) {
    ASN1_INTEGER *value = ASN1_INTEGER_new();
    int ok = value != NULL && ASN1_INTEGER_set(value, number) == 1
        && X509_CRL_add1_ext_i2d(crl, NID_crl_number, value, 0, 0) == 1;
    ASN1_INTEGER_free(value);
    return ok;
}

/// The CRL number, or -1 when the CRL has none.
static inline long civic_X509_CRL_number(X509_CRL *crl) {
    ASN1_INTEGER *value = X509_CRL_get_ext_d2i(crl, NID_crl_number, NULL, NULL);
    if (value == NULL) return -1;
    long number = ASN1_INTEGER_get(value);
    ASN1_INTEGER_free(value);
    return number;
}

/// Adds a revoked entry: the serial number `serial_hex` (hexadecimal) revoked at `seconds` since the epoch.
/// Returns 1 on success.
static inline int civic_X509_CRL_add_revoked(X509_CRL *crl, const char *serial_hex, long long seconds) {
    BIGNUM *number = NULL;
    ASN1_INTEGER *serial = NULL;
    ASN1_TIME *when = NULL;
    X509_REVOKED *entry = X509_REVOKED_new();
    int ok = 0;
    if (entry == NULL || BN_hex2bn(&number, serial_hex) == 0) goto done;
    serial = BN_to_ASN1_INTEGER(number, NULL);
    when = ASN1_TIME_set(NULL, (time_t)seconds);
    if (serial == NULL || when == NULL) goto done;
    if (X509_REVOKED_set_serialNumber(entry, serial) != 1 || X509_REVOKED_set_revocationDate(entry, when) != 1) goto done;
    if (X509_CRL_add0_revoked(crl, entry) != 1) goto done;
    entry = NULL;
    ok = 1;
done:
    X509_REVOKED_free(entry);
    BN_free(number);
    ASN1_INTEGER_free(serial);
    ASN1_TIME_free(when);
    return ok;
}

/// The number of revoked entries of `crl`.
static inline int civic_X509_CRL_revoked_count(X509_CRL *crl) {
    STACK_OF(X509_REVOKED) *entries = X509_CRL_get_REVOKED(crl);
    return entries == NULL ? 0 : sk_X509_REVOKED_num(entries);
}

/// Reads the `index`-th revoked entry: its serial as upper-case hexadecimal into `out` (at most `capacity` bytes),
/// its revocation time in `*seconds`. Returns the serial's length, or -1 on failure.
static inline int civic_X509_CRL_revoked_at(X509_CRL *crl, int index, char *out, int capacity, long long *seconds) {
    STACK_OF(X509_REVOKED) *entries = X509_CRL_get_REVOKED(crl);
    if (entries == NULL || index < 0 || index >= sk_X509_REVOKED_num(entries)) return -1;
    X509_REVOKED *entry = sk_X509_REVOKED_value(entries, index);
    if (civic_ASN1_TIME_epoch_seconds(X509_REVOKED_get0_revocationDate(entry), seconds) != 1) return -1;
    BIGNUM *number = ASN1_INTEGER_to_BN(X509_REVOKED_get0_serialNumber(entry), NULL);
    if (number == NULL) return -1;
    char *hex = BN_bn2hex(number);
    BN_free(number);
    if (hex == NULL) return -1;
    int length = (int)strlen(hex);
    if (length > capacity) length = -1; else memcpy(out, hex, (size_t)length);
    OPENSSL_free(hex);
    return length;
}

/// Signs `crl` with `key`: SM2-with-SM3 when `sm2` is not 0, else ECDSA with SHA-256. For SM2 no signer id is set,
/// which is what `openssl ca -gencrl` writes and the only form `openssl crl -verify` and
/// `openssl verify -crl_check` of OpenSSL 3.0 can check (they have no option to pass an id for a CRL; Docs/0011).
/// Returns 1 on success.
static inline int civic_X509_CRL_sign(X509_CRL *crl, EVP_PKEY *key, int sm2) {
    return X509_CRL_sign(crl, key, sm2 ? EVP_sm3() : EVP_sha256()) > 0;
}

/* RFC 3161 time-stamp tokens (CivicNetwork's TimeStampAuthority). */
#include "timestamp.h"

#endif
