/// Native system contracts (Swift, deterministic) and, later, the WebAssembly runtime.
public enum CivicContracts {}
