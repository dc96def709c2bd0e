// The explorer pages.

/** Registers the explorer routes. */
export function register(app) {}
