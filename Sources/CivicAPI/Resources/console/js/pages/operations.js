// The operations pages.

/** Registers the operations routes. */
export function register(app) {}
