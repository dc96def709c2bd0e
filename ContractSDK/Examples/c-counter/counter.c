/* A counter in C: `increment` adds the u64 in the input (or 1 when it is empty) and returns the new
 * value; `get` returns it (u64 little-endian); an event per increment. No libc, no allocator. */
#include "civic.h"

static const char counter_key[] = "count";

CIVIC_ABI_VERSION_1

static uint64_t load_u64(const uint8_t *bytes) {
    uint64_t value = 0;
    for (int index = 7; index >= 0; index--) value = value << 8 | bytes[index];
    return value;
}

static void store_u64(uint8_t *bytes, uint64_t value) {
    for (int index = 0; index < 8; index++) bytes[index] = (uint8_t)(value >> (8 * index));
}

static uint64_t current(void) {
    uint8_t bytes[8];
    int32_t length = civic_state_get(counter_key, sizeof counter_key - 1);
    if (length < 0) return 0;
    if (length != 8) civic_fail("corrupt_state", 13, "the count is not 8 bytes", 24);
    civic_result_read(bytes);
    return load_u64(bytes);
}

CIVIC_METHOD(increment) {
    uint64_t step = 1;
    int32_t length = civic_input_length();
    if (length != 0 && length != 8) civic_fail("invalid_input", 13, "expected nothing or a u64 step", 30);
    if (length == 8) {
        uint8_t input[8];
        civic_input_read(input);
        step = load_u64(input);
    }
    uint64_t value = current() + step;
    if (value < step) civic_fail("overflow", 8, "the counter would overflow", 26);
    uint8_t bytes[8];
    store_u64(bytes, value);
    civic_state_set(counter_key, sizeof counter_key - 1, bytes, 8);
    /* attrs: u32 klen=5 "value" u32 vlen=16, the value in lower-case hex (attributes are UTF-8 text) */
    static const char digits[] = "0123456789abcdef";
    uint8_t attrs[4 + 5 + 4 + 16] = {5, 0, 0, 0, 'v', 'a', 'l', 'u', 'e', 16, 0, 0, 0};
    for (int i = 0; i < 8; i++) {
        attrs[13 + 2 * i] = (uint8_t)digits[bytes[i] >> 4];
        attrs[14 + 2 * i] = (uint8_t)digits[bytes[i] & 15];
    }
    civic_emit_event("incremented", 11, attrs, sizeof attrs);
    civic_return_data(bytes, 8);
}

CIVIC_METHOD(get) {
    uint8_t bytes[8];
    store_u64(bytes, current());
    civic_return_data(bytes, 8);
}
