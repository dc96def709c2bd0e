/// Test doubles shipped as a product: simulated network, clock and disk for deterministic tests.
public enum CivicTesting {}
