// The memory shim Embedded Swift needs on wasm32-unknown-none-wasm, with no libc: an allocator
// (power-of-two size classes with free lists, growing memory up to the ABI's 256 pages), the
// mem* functions, and deterministic stand-ins for output and randomness (Docs/0012: contracts get
// no clock and no randomness, so `arc4random_buf` yields zeros and every run hashes alike).
//
// Compiled with: clang --target=wasm32-unknown-none-wasm -Os -ffreestanding -fno-builtin -nostdlib
//   -mcpu=mvp -msign-ext -mmutable-globals -mmultivalue -c civic_support.c

typedef __SIZE_TYPE__ size_t;
typedef __UINTPTR_TYPE__ uintptr_t;

#define CIVIC_PAGE_BYTES 65536u
#define CIVIC_PAGES_MAX 256u        // Docs/0012: memory <= 16 MiB
#define CIVIC_CLASS_MIN 4u          // 16-byte blocks (header included)
#define CIVIC_CLASS_MAX 24u         // 16 MiB blocks
#define CIVIC_HEADER_BYTES 16u      // keeps payloads 16-byte aligned

extern unsigned char __heap_base;
// Set at link time, so that the allocator does not test for a first call on every allocation.
static uintptr_t civic_heap_top = (uintptr_t)&__heap_base;
static void *civic_free_lists[CIVIC_CLASS_MAX + 1];

/// The smallest class whose blocks hold `bytes` (ceil(log2), by counting leading zeros rather than
/// looping: every Swift allocation comes through here, and each Wasm operator costs gas).
/// - Precondition: `bytes` <= 2^CIVIC_CLASS_MAX.
static unsigned civic_class_for(size_t bytes) {
    if (bytes <= ((size_t)1 << CIVIC_CLASS_MIN)) return CIVIC_CLASS_MIN;
    return 32u - (unsigned)__builtin_clz((unsigned)(bytes - 1));
}

/// Takes `bytes` from the top of the heap at `alignment` (a power of two, at least 16), growing
/// memory as needed; 0 when the ABI's limit is reached.
static void *civic_bump(size_t bytes, size_t alignment) {
    uintptr_t start = (civic_heap_top + CIVIC_HEADER_BYTES + alignment - 1) & ~(uintptr_t)(alignment - 1);
    uintptr_t end = start + bytes;
    if (end < start) return 0;
    size_t pages = __builtin_wasm_memory_size(0);
    if (end > pages * CIVIC_PAGE_BYTES) {
        size_t needed = (end - pages * CIVIC_PAGE_BYTES + CIVIC_PAGE_BYTES - 1) / CIVIC_PAGE_BYTES;
        if (pages + needed > CIVIC_PAGES_MAX) return 0;
        if (__builtin_wasm_memory_grow(0, needed) == (size_t)-1) return 0;
    }
    civic_heap_top = end;
    return (void *)start;
}

int posix_memalign(void **out, size_t alignment, size_t size) {
    if (size > ((size_t)1 << CIVIC_CLASS_MAX) - CIVIC_HEADER_BYTES) return 12; // ENOMEM
    unsigned sizeClass = civic_class_for(size + CIVIC_HEADER_BYTES);
    void *block = 0;
    if (alignment <= CIVIC_HEADER_BYTES) {
        alignment = CIVIC_HEADER_BYTES;
        block = civic_free_lists[sizeClass];
        if (block) civic_free_lists[sizeClass] = *(void **)block;
    }
    if (block == 0) {
        block = civic_bump(((size_t)1 << sizeClass) - CIVIC_HEADER_BYTES, alignment);
        if (block == 0) return 12;
    }
    ((unsigned *)block)[-1] = sizeClass;
    ((unsigned *)block)[-2] = (unsigned)alignment;
    *out = block;
    return 0;
}

void *malloc(size_t size) {
    void *block = 0;
    return posix_memalign(&block, CIVIC_HEADER_BYTES, size) == 0 ? block : 0;
}

void free(void *block) {
    if (block == 0) return;
    unsigned sizeClass = ((unsigned *)block)[-1];
    // Over-aligned blocks are not reused (their start is not where a class block starts).
    if (((unsigned *)block)[-2] != CIVIC_HEADER_BYTES || sizeClass < CIVIC_CLASS_MIN || sizeClass > CIVIC_CLASS_MAX)
        return;
    *(void **)block = civic_free_lists[sizeClass];
    civic_free_lists[sizeClass] = block;
}

// Docs/0012 refuses `memory.copy` and `memory.fill`: their fuel does not grow with their length. These copy
// eight bytes per step (WebAssembly loads and stores need no alignment), about one operator per byte.
typedef unsigned long long civic_word __attribute__((aligned(1), may_alias));

void *memcpy(void *destination, const void *source, size_t count) {
    unsigned char *d = destination;
    const unsigned char *s = source;
    for (; count >= 8; count -= 8, d += 8, s += 8) *(civic_word *)d = *(const civic_word *)s;
    for (; count; count--) *d++ = *s++;
    return destination;
}

void *memmove(void *destination, const void *source, size_t count) {
    unsigned char *d = destination;
    const unsigned char *s = source;
    if (d <= s || d >= s + count) return memcpy(destination, source, count);
    d += count;
    s += count;
    for (; count >= 8; count -= 8) {
        d -= 8;
        s -= 8;
        *(civic_word *)d = *(const civic_word *)s;
    }
    while (count--) *--d = *--s;
    return destination;
}

void *memset(void *destination, int value, size_t count) {
    unsigned char *d = destination;
    civic_word word = 0x0101010101010101ULL * (unsigned char)value;
    for (; count >= 8; count -= 8, d += 8) *(civic_word *)d = word;
    for (; count; count--) *d++ = (unsigned char)value;
    return destination;
}

int memcmp(const void *left, const void *right, size_t count) {
    const unsigned char *l = left, *r = right;
    for (; count; count--, l++, r++) if (*l != *r) return *l - *r;
    return 0;
}

size_t strlen(const char *text) {
    size_t length = 0;
    while (text[length]) length++;
    return length;
}

/// Embedded Swift prints fatal errors through `putchar`; a contract has no output, so it is dropped.
int putchar(int character) { return character; }

/// Contracts get no randomness (Docs/0012): hash seeds are zero, so every validator runs alike.
void arc4random_buf(void *buffer, size_t count) { memset(buffer, 0, count); }
