// The governance pages.

/** Registers the governance routes. */
export function register(app) {}
