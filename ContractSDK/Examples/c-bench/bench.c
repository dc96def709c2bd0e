/* The `civic bench contracts` workload in C (the same as Examples/bench in Swift): `put` takes
 * u32 key length, key (1-128 bytes), value; writes it under caller address "/" key and emits
 * `written` with the owner and key in hex. It separates the runtime's cost from the Swift SDK's. */
#include "civic.h"

CIVIC_ABI_VERSION_1

static uint8_t input[1024];
static uint8_t key[20 + 1 + 128];
static uint8_t attrs[4 + 5 + 4 + 40 + 4 + 3 + 4 + 256];
static const char digits[] = "0123456789abcdef";

static uint8_t *put_u32(uint8_t *out, uint32_t value) {
    for (int i = 0; i < 4; i++) out[i] = (uint8_t)(value >> (8 * i));
    return out + 4;
}

static uint8_t *put_hex(uint8_t *out, const uint8_t *bytes, int count) {
    for (int i = 0; i < count; i++) {
        *out++ = (uint8_t)digits[bytes[i] >> 4];
        *out++ = (uint8_t)digits[bytes[i] & 15];
    }
    return out;
}

CIVIC_METHOD(put) {
    int32_t length = civic_input_length();
    if (length < 5 || length > (int32_t)sizeof input) civic_fail("invalid_input", 13, "bad input", 9);
    civic_input_read(input);
    uint32_t klen = (uint32_t)input[0] | (uint32_t)input[1] << 8 | (uint32_t)input[2] << 16 | (uint32_t)input[3] << 24;
    if (klen == 0 || klen > 128 || 4 + klen > (uint32_t)length) civic_fail("invalid_input", 13, "bad key", 7);
    civic_caller_address(key);
    key[20] = '/';
    for (uint32_t i = 0; i < klen; i++) key[21 + i] = input[4 + i];
    civic_state_set(key, (int32_t)(21 + klen), input + 4 + klen, length - 4 - (int32_t)klen);
    uint8_t *out = put_u32(attrs, 5);
    for (int i = 0; i < 5; i++) *out++ = (uint8_t)"owner"[i];
    out = put_u32(out, 40);
    out = put_hex(out, key, 20);
    out = put_u32(out, 3);
    *out++ = 'k'; *out++ = 'e'; *out++ = 'y';
    out = put_u32(out, 2 * klen);
    out = put_hex(out, input + 4, (int)klen);
    civic_emit_event("written", 7, attrs, (int32_t)(out - attrs));
}
