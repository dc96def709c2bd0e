/* The CivicLedger contract host interface, version 1 (Docs/0012-contract-abi.md), for C contracts.
 *
 * Build: clang --target=wasm32-unknown-none-wasm -Os -nostdlib -ffreestanding -I ContractSDK/c
 *          -mcpu=mvp -msign-ext -mmutable-globals -mmultivalue
 *          -Wl,--no-entry -Wl,--gc-sections -Wl,--strip-all -o contract.wasm contract.c
 * Export methods with CIVIC_METHOD(name) (type `void name(void)`), and define civic_abi_version with
 * CIVIC_ABI_VERSION_1. Pointers and lengths are i32 offsets into this module's memory. */
#ifndef CIVIC_H
#define CIVIC_H

#include <stdint.h>

#define CIVIC_IMPORT(name) __attribute__((import_module("civic"), import_name(#name)))
#define CIVIC_EXPORT(name) __attribute__((export_name(#name), visibility("default")))
/** Declares an exported method `void name(void)`. */
#define CIVIC_METHOD(name) CIVIC_EXPORT(name) void name(void)
/** Defines the required `civic_abi_version` export returning 1. */
#define CIVIC_ABI_VERSION_1 CIVIC_EXPORT(civic_abi_version) int32_t civic_abi_version(void) { return 1; }

/** Signer roles (`civic_caller_role`). */
enum civic_role { CIVIC_ADMIN = 0, CIVIC_MEMBER = 1, CIVIC_CLIENT = 2, CIVIC_AUDITOR = 3, CIVIC_VALIDATOR = 4,
                  CIVIC_OBSERVER = 5 };

/** Length of the call's arguments. */
CIVIC_IMPORT(input_length) int32_t civic_input_length(void);
/** Copies the arguments to `dst`. */
CIVIC_IMPORT(input_read) void civic_input_read(void *dst);
/** Copies the result buffer (filled by the last variable-length host call) to `dst`. */
CIVIC_IMPORT(result_read) void civic_result_read(void *dst);
/** Sets the call's return data (last call wins). */
CIVIC_IMPORT(return_data) void civic_return_data(const void *ptr, int32_t len);
/** Ends the call with the failure `<contract>.<code>`; does not return. */
CIVIC_IMPORT(fail) __attribute__((noreturn)) void civic_fail(const char *code, int32_t code_len, const char *msg,
                                                             int32_t msg_len);
/** Value of `key` into the result buffer: its length, or -1 when absent. */
CIVIC_IMPORT(state_get) int32_t civic_state_get(const void *key, int32_t key_len);
/** Writes `key` (1–256 bytes) = `val` (at most 64 KiB). */
CIVIC_IMPORT(state_set) void civic_state_set(const void *key, int32_t key_len, const void *val, int32_t val_len);
/** Deletes `key`. */
CIVIC_IMPORT(state_delete) void civic_state_delete(const void *key, int32_t key_len);
/** The next key after `key` in byte order (len 0 = from the start) into the result buffer, or -1 at the end. */
CIVIC_IMPORT(state_next) int32_t civic_state_next(const void *key, int32_t key_len);
/** The signer's raw public key into the result buffer; its length. */
CIVIC_IMPORT(caller_key) int32_t civic_caller_key(void);
/** The signer's 20-byte address to `dst`. */
CIVIC_IMPORT(caller_address) void civic_caller_address(void *dst);
/** The signer's role (enum civic_role). */
CIVIC_IMPORT(caller_role) int32_t civic_caller_role(void);
/** The signer's organization name into the result buffer; its length. */
CIVIC_IMPORT(caller_organization) int32_t civic_caller_organization(void);
/** The calling contract's name into the result buffer, or -1 when a transaction called. */
CIVIC_IMPORT(calling_contract) int32_t civic_calling_contract(void);
/** Height of the block being executed. */
CIVIC_IMPORT(block_height) int64_t civic_block_height(void);
/** Its time, milliseconds since the Unix epoch, agreed by consensus. */
CIVIC_IMPORT(block_time) int64_t civic_block_time(void);
/** An event; `attrs` = repeated `u32 klen, key, u32 vlen, value` (little-endian). */
CIVIC_IMPORT(emit_event) void civic_emit_event(const char *name, int32_t name_len, const void *attrs,
                                               int32_t attrs_len);
/** The chain suite's 32-byte hash of `ptr[0..len)` to `dst`. */
CIVIC_IMPORT(hash) void civic_hash(const void *ptr, int32_t len, void *dst);
/** 1 if `sig` (64-byte r‖s) is the chain suite's signature of `msg` by the raw public key `key`, else 0. */
CIVIC_IMPORT(verify_signature) int32_t civic_verify_signature(const void *key, int32_t key_len, const void *msg,
                                                              int32_t msg_len, const void *sig, int32_t sig_len);
/** Calls `method` of contract `name`: 0 with its return data in the result buffer, or 1 with `code\nmessage`. */
CIVIC_IMPORT(call) int32_t civic_call(const char *name, int32_t name_len, const char *method, int32_t method_len,
                                      const void *args, int32_t args_len);

#endif
