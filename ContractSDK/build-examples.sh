#!/usr/bin/env bash
# Builds every example contract with the toolchain's swiftc/clang/wasm-ld, without the civic CLI:
# the same recipe `civic contract build` runs (see README.md). Output: ContractSDK/.build/<name>.wasm.
# SWIFTC may name the compiler; clang and wasm-ld are taken from beside it.
set -euo pipefail
cd "$(dirname "$0")"
swiftc="${SWIFTC:-$(command -v swiftc)}"
bin="$(dirname "$(readlink -f "$swiftc")")"
out=.build
mkdir -p "$out/sdk"
features=(-mcpu=mvp -msign-ext -mmutable-globals -mmultivalue)
swift_flags=(-target wasm32-unknown-none-wasm -enable-experimental-feature Embedded
    -enable-experimental-feature Extern -wmo -Osize -parse-as-library -Xfrontend -disable-stack-protector)
for feature in "${features[@]}"; do swift_flags+=(-Xcc "$feature"); done

"$bin/clang" --target=wasm32-unknown-none-wasm -Os -ffreestanding -fno-builtin -nostdlib "${features[@]}" \
    -c Support/civic_support.c -o "$out/sdk/civic_support.o"
"$swiftc" "${swift_flags[@]}" -module-name CivicContract -emit-module \
    -emit-module-path "$out/sdk/CivicContract.swiftmodule" -c -o "$out/sdk/CivicContract.o" Sources/CivicContract/*.swift

for name in registry token; do
    "$swiftc" "${swift_flags[@]}" -I "$out/sdk" -module-name "$name" -c -o "$out/$name.o" Examples/$name/*.swift
    "$bin/wasm-ld" --no-entry --gc-sections --strip-all "$out/$name.o" "$out/sdk/CivicContract.o" \
        "$out/sdk/civic_support.o" -o "$out/$name.wasm"
done
"$bin/clang" --target=wasm32-unknown-none-wasm -Os -ffreestanding -nostdlib -I c "${features[@]}" \
    -Wl,--no-entry -Wl,--gc-sections -Wl,--strip-all -o "$out/counter.wasm" Examples/c-counter/counter.c
wc -c "$out"/*.wasm
