#ifndef CIVIC_COPENSSL_TIMESTAMP_H
#define CIVIC_COPENSSL_TIMESTAMP_H
#include <openssl/ts.h>
#include <openssl/ess.h>
#include <openssl/pkcs7.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <openssl/evp.h>
#include <openssl/err.h>

/* RFC 3161 time-stamp tokens for CivicNetwork's TimeStampAuthority (Docs/0015).
 *
 * OpenSSL 3.0's TS_RESP_create_response cannot sign with an SM2 key (PKCS7_SIGNER_INFO_set only knows EC, DSA
 * and RSA keys and fails with "signing not supported for this key type"), and for every key type it adds a
 * signingTime attribute read from the wall clock. So the token is assembled here from OpenSSL's TS, ESS and PKCS7
 * structures, the same parts ts_RESP_sign uses, with the signature made by us. */

/// Makes the signature over the DER of the signed attributes `tbs`:
/// - ECDSA with SHA-256 (DER Ecdsa-Sig-Value) for a P-256 key (`sm2` == 0);
/// - for an SM2 key, SM2 over `e = SM3(tbs)` with no Z prefix, the form OpenSSL 3.0's PKCS7_signatureVerify (and
///   so `openssl ts -verify`) checks: it hashes the attributes and hands the digest to EVP_PKEY_verify.
/// Returns 1 on success, with `*sig` allocated by OPENSSL_malloc.
static inline int civic_ts_sign_attributes(EVP_PKEY *key, int sm2, const unsigned char *tbs, size_t tbslen,
                                           unsigned char **sig, size_t *siglen) {
    int ok = 0;
    *sig = NULL;
    if (!sm2) {
        EVP_MD_CTX *context = EVP_MD_CTX_new();
        if (context == NULL) return 0;
        if (EVP_DigestSignInit(context, NULL, EVP_sha256(), NULL, key) == 1
            && EVP_DigestSign(context, NULL, siglen, tbs, tbslen) == 1
            && (*sig = OPENSSL_malloc(*siglen)) != NULL
            && EVP_DigestSign(context, *sig, siglen, tbs, tbslen) == 1) ok = 1;
        EVP_MD_CTX_free(context);
    } else {
        unsigned char digest[EVP_MAX_MD_SIZE];
        unsigned int digestlen = 0;
        EVP_PKEY_CTX *context = EVP_PKEY_CTX_new(key, NULL);
        if (context == NULL) return 0;
        if (EVP_Digest(tbs, tbslen, digest, &digestlen, EVP_sm3(), NULL) == 1
            && EVP_PKEY_sign_init(context) == 1
            && EVP_PKEY_CTX_set_signature_md(context, EVP_sm3()) == 1
            && EVP_PKEY_sign(context, NULL, siglen, digest, digestlen) == 1
            && (*sig = OPENSSL_malloc(*siglen)) != NULL
            && EVP_PKEY_sign(context, *sig, siglen, digest, digestlen) == 1) ok = 1;
        EVP_PKEY_CTX_free(context);
    }
    if (!ok) { OPENSSL_free(*sig); *sig = NULL; }
    return ok;
}

/// The TSTInfo (RFC 3161 §2.4.2): version 1, `policy` (dotted OID), messageImprint (`md`, `imprint`), serial
/// number `serial` (big-endian, unsigned), genTime `gen_time` (GeneralizedTime text such as `20240501120000.25Z`).
/// Returns NULL on failure.
static inline TS_TST_INFO *civic_ts_make_tst_info(const char *policy, const EVP_MD *md, const unsigned char *imprint,
                                                  int imprintlen, const unsigned char *serial, int seriallen,
                                                  const char *gen_time) {
    TS_TST_INFO *info = TS_TST_INFO_new();
    ASN1_OBJECT *policy_oid = OBJ_txt2obj(policy, 1);
    TS_MSG_IMPRINT *message = TS_MSG_IMPRINT_new();
    X509_ALGOR *algorithm = X509_ALGOR_new();
    BIGNUM *number = BN_bin2bn(serial, seriallen, NULL);
    ASN1_INTEGER *serial_number = number == NULL ? NULL : BN_to_ASN1_INTEGER(number, NULL);
    ASN1_GENERALIZEDTIME *time = ASN1_GENERALIZEDTIME_new();
    int ok = info != NULL && policy_oid != NULL && message != NULL && algorithm != NULL && serial_number != NULL
        && time != NULL
        && TS_TST_INFO_set_version(info, 1) == 1
        && TS_TST_INFO_set_policy_id(info, policy_oid) == 1
        && X509_ALGOR_set0(algorithm, OBJ_nid2obj(EVP_MD_get_type(md)), V_ASN1_NULL, NULL) == 1
        && TS_MSG_IMPRINT_set_algo(message, algorithm) == 1
        && TS_MSG_IMPRINT_set_msg(message, (unsigned char *)imprint, imprintlen) == 1
        && TS_TST_INFO_set_msg_imprint(info, message) == 1
        && TS_TST_INFO_set_serial(info, serial_number) == 1
        && ASN1_GENERALIZEDTIME_set_string(time, gen_time) == 1
        && ASN1_TIME_check(time) == 1
        && TS_TST_INFO_set_time(info, time) == 1;
    ASN1_OBJECT_free(policy_oid);
    TS_MSG_IMPRINT_free(message);
    X509_ALGOR_free(algorithm);
    BN_free(number);
    ASN1_INTEGER_free(serial_number);
    ASN1_GENERALIZEDTIME_free(time);
    if (!ok) { TS_TST_INFO_free(info); return NULL; }
    return info;
}

/// The SignerInfo's signed attributes: contentType id-ct-TSTInfo, messageDigest of the TSTInfo DER, and the ESS
/// signingCertificateV2 (RFC 5816) naming `cert` by its `md` hash. No signingTime: genTime is the time. Returns 1.
static inline int civic_ts_add_attributes(PKCS7_SIGNER_INFO *signer, X509 *cert, const EVP_MD *md,
                                          const unsigned char *tst, int tstlen) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int digestlen = 0;
    unsigned char *ess_der = NULL;
    ASN1_STRING *ess_value = NULL;
    ESS_SIGNING_CERT_V2 *ess = OSSL_ESS_signing_cert_v2_new_init(md, cert, NULL, 0);
    int ok = 0;
    if (ess == NULL) goto done;
    int esslen = i2d_ESS_SIGNING_CERT_V2(ess, &ess_der);
    if (esslen <= 0 || (ess_value = ASN1_STRING_new()) == NULL) goto done;
    if (ASN1_STRING_set(ess_value, ess_der, esslen) != 1) goto done;
    if (PKCS7_add_signed_attribute(signer, NID_pkcs9_contentType, V_ASN1_OBJECT,
                                   OBJ_nid2obj(NID_id_smime_ct_TSTInfo)) != 1) goto done;
    if (EVP_Digest(tst, (size_t)tstlen, digest, &digestlen, md, NULL) != 1) goto done;
    if (PKCS7_add1_attrib_digest(signer, digest, (int)digestlen) != 1) goto done;
    if (PKCS7_add_signed_attribute(signer, NID_id_smime_aa_signingCertificateV2, V_ASN1_SEQUENCE, ess_value) != 1)
        goto done;
    ess_value = NULL; /* owned by the attribute now */
    ok = 1;
done:
    ASN1_STRING_free(ess_value);
    OPENSSL_free(ess_der);
    ESS_SIGNING_CERT_V2_free(ess);
    return ok;
}

/// The SignerInfo for `cert` and `key`, signed: version 1, issuerAndSerialNumber, digestAlgorithm `md`,
/// digestEncryptionAlgorithm ecdsa-with-SHA256 (1.2.840.10045.4.3.2) or SM2-with-SM3 (1.2.156.10197.1.501), the
/// attributes of civic_ts_add_attributes, and the signature of civic_ts_sign_attributes. NULL on failure.
static inline PKCS7_SIGNER_INFO *civic_ts_make_signer(X509 *cert, EVP_PKEY *key, int sm2, const EVP_MD *md,
                                                      const unsigned char *tst, int tstlen) {
    PKCS7_SIGNER_INFO *signer = PKCS7_SIGNER_INFO_new();
    unsigned char *tbs = NULL, *sig = NULL;
    size_t siglen = 0;
    int ok = 0;
    if (signer == NULL) return NULL;
    if (ASN1_INTEGER_set(signer->version, 1) != 1) goto done;
    if (X509_NAME_set(&signer->issuer_and_serial->issuer, X509_get_issuer_name(cert)) != 1) goto done;
    ASN1_INTEGER_free(signer->issuer_and_serial->serial);
    if ((signer->issuer_and_serial->serial = ASN1_INTEGER_dup(X509_get0_serialNumber(cert))) == NULL) goto done;
    if (X509_ALGOR_set0(signer->digest_alg, OBJ_nid2obj(EVP_MD_get_type(md)), V_ASN1_NULL, NULL) != 1) goto done;
    if (X509_ALGOR_set0(signer->digest_enc_alg, OBJ_nid2obj(sm2 ? NID_SM2_with_SM3 : NID_ecdsa_with_SHA256),
                        V_ASN1_UNDEF, NULL) != 1) goto done;
    if (civic_ts_add_attributes(signer, cert, md, tst, tstlen) != 1) goto done;
    /* DER SET OF: PKCS7_ATTR_SIGN sorts the attributes and keeps that order in the SignerInfo. */
    int tbslen = ASN1_item_i2d((ASN1_VALUE *)signer->auth_attr, &tbs, ASN1_ITEM_rptr(PKCS7_ATTR_SIGN));
    if (tbslen <= 0) goto done;
    if (civic_ts_sign_attributes(key, sm2, tbs, (size_t)tbslen, &sig, &siglen) != 1) goto done;
    ASN1_STRING_set0(signer->enc_digest, sig, (int)siglen);
    sig = NULL;
    ok = 1;
done:
    OPENSSL_free(tbs);
    OPENSSL_free(sig);
    if (!ok) { PKCS7_SIGNER_INFO_free(signer); return NULL; }
    return signer;
}

/// Builds a granted TimeStampResp (RFC 3161 §2.4.2) whose token is a SignedData over the TSTInfo of
/// civic_ts_make_tst_info, with `cert` included and one SignerInfo. `md` is the message imprint's hash and also the
/// SignerInfo's digest (SHA-256 or SM3). Writes the DER response to `*response` and the DER token (ContentInfo) to
/// `*token`, both allocated by OpenSSL (free with OPENSSL_free). Returns 1 on success.
static inline int civic_ts_make_response(X509 *cert, EVP_PKEY *key, int sm2, const EVP_MD *md, const char *policy,
                                         const unsigned char *imprint, int imprintlen, const unsigned char *serial,
                                         int seriallen, const char *gen_time, unsigned char **response,
                                         int *responselen, unsigned char **token, int *tokenlen) {
    int ok = 0;
    unsigned char *tst_der = NULL;
    PKCS7 *signed_data = NULL, *content = NULL;
    ASN1_OCTET_STRING *octets = NULL;
    PKCS7_SIGNER_INFO *signer = NULL;
    TS_RESP *resp = NULL;
    TS_STATUS_INFO *status = NULL;
    *response = NULL;
    *token = NULL;
    TS_TST_INFO *info = civic_ts_make_tst_info(policy, md, imprint, imprintlen, serial, seriallen, gen_time);
    if (info == NULL) goto done;
    int tstlen = i2d_TS_TST_INFO(info, &tst_der);
    if (tstlen <= 0) goto done;

    /* ContentInfo { id-signedData, SignedData { ..., encapContentInfo { id-ct-TSTInfo, OCTET STRING } } } */
    if ((signed_data = PKCS7_new()) == NULL || PKCS7_set_type(signed_data, NID_pkcs7_signed) != 1) goto done;
    if ((content = PKCS7_new()) == NULL || (octets = ASN1_OCTET_STRING_new()) == NULL) goto done;
    content->type = OBJ_nid2obj(NID_id_smime_ct_TSTInfo);
    if ((content->d.other = ASN1_TYPE_new()) == NULL) goto done;
    if (ASN1_OCTET_STRING_set(octets, tst_der, tstlen) != 1) goto done;
    ASN1_TYPE_set(content->d.other, V_ASN1_OCTET_STRING, octets);
    octets = NULL;
    if (PKCS7_set_content(signed_data, content) != 1) goto done;
    content = NULL;
    if (PKCS7_add_certificate(signed_data, cert) != 1) goto done;
    if ((signer = civic_ts_make_signer(cert, key, sm2, md, tst_der, tstlen)) == NULL) goto done;
    if (PKCS7_add_signer(signed_data, signer) != 1) goto done;
    signer = NULL;

    if ((*tokenlen = i2d_PKCS7(signed_data, token)) <= 0) goto done;
    if ((resp = TS_RESP_new()) == NULL || (status = TS_STATUS_INFO_new()) == NULL) goto done;
    if (TS_STATUS_INFO_set_status(status, TS_STATUS_GRANTED) != 1) goto done;
    if (TS_RESP_set_status_info(resp, status) != 1) goto done;
    TS_RESP_set_tst_info(resp, signed_data, info); /* takes both */
    signed_data = NULL;
    info = NULL;
    if ((*responselen = i2d_TS_RESP(resp, response)) <= 0) goto done;
    ok = 1;
done:
    if (!ok) { OPENSSL_free(*response); OPENSSL_free(*token); *response = NULL; *token = NULL; }
    TS_STATUS_INFO_free(status);
    TS_RESP_free(resp);
    PKCS7_SIGNER_INFO_free(signer);
    ASN1_OCTET_STRING_free(octets);
    PKCS7_free(content);
    PKCS7_free(signed_data);
    OPENSSL_free(tst_der);
    TS_TST_INFO_free(info);
    return ok;
}

/// Verifies a DER TimeStampToken (ContentInfo) as `openssl ts -verify -digest <hex> -token_in -CAfile <ca>
/// -attime <genTime>` does: the version, the SignerInfo's signature and its ESS signing certificate, the signer's
/// chain to `ca` for the timeStamping purpose (critical extendedKeyUsage with timeStamping only) at genTime, and
/// that the imprint is `digest`. The imprint's hash must also be `md` (which `openssl ts` does not check).
/// Returns 1 when valid (and `*info` gets the TSTInfo, free with TS_TST_INFO_free), 0 when refused (the reason is on
/// OpenSSL's error queue), -1 when the bytes are not one token, -2 when the imprint's hash is not `md`.
static inline int civic_ts_verify_token(const unsigned char *der, long derlen, const EVP_MD *md,
                                        const unsigned char *digest, long digestlen, X509 *ca, TS_TST_INFO **info) {
    *info = NULL;
    const unsigned char *cursor = der;
    PKCS7 *token = d2i_PKCS7(NULL, &cursor, derlen);
    TS_TST_INFO *tst = token == NULL ? NULL : PKCS7_to_TS_TST_INFO(token);
    if (tst == NULL || cursor != der + derlen) { TS_TST_INFO_free(tst); PKCS7_free(token); return -1; }
    const ASN1_OBJECT *algorithm = NULL;
    X509_ALGOR_get0(&algorithm, NULL, NULL, TS_MSG_IMPRINT_get_algo(TS_TST_INFO_get_msg_imprint(tst)));
    if (algorithm == NULL || OBJ_obj2nid(algorithm) != EVP_MD_get_type(md)) {
        TS_TST_INFO_free(tst);
        PKCS7_free(token);
        return -2;
    }
    int result = -1;
    long long seconds = 0;
    ASN1_TIME *epoch = ASN1_TIME_set(NULL, 0);
    int days = 0, rest = 0;
    int timed = epoch != NULL && ASN1_TIME_diff(&days, &rest, epoch, TS_TST_INFO_get_time(tst)) == 1;
    ASN1_TIME_free(epoch);
    seconds = (long long)days * 86400 + rest;
    TS_VERIFY_CTX *context = TS_VERIFY_CTX_new();
    X509_STORE *store = X509_STORE_new();
    unsigned char *copy = OPENSSL_memdup(digest, (size_t)digestlen);
    if (!timed || context == NULL || store == NULL || copy == NULL || X509_STORE_add_cert(store, ca) != 1) {
        X509_STORE_free(store);
        OPENSSL_free(copy);
        goto done;
    }
    X509_VERIFY_PARAM_set_time(X509_STORE_get0_param(store), (time_t)seconds);
    TS_VERIFY_CTX_set_flags(context, TS_VFY_VERSION | TS_VFY_SIGNATURE | TS_VFY_IMPRINT);
    TS_VERIFY_CTX_set_store(context, store);       /* the context owns the store and the digest now */
    TS_VERIFY_CTX_set_imprint(context, copy, digestlen);
    result = TS_RESP_verify_token(context, token) == 1 ? 1 : 0;
    if (result == 1) { *info = tst; tst = NULL; }
done:
    TS_VERIFY_CTX_free(context);
    TS_TST_INFO_free(tst);
    PKCS7_free(token);
    return result;
}

/// Writes the dotted form of `object` (no names) into `out` (`capacity` bytes) and returns its length, or -1.
static inline int civic_OBJ_text(const ASN1_OBJECT *object, char *out, int capacity) {
    int length = OBJ_obj2txt(out, capacity, object, 1);
    return length > 0 && length < capacity ? length : -1;
}

#endif
