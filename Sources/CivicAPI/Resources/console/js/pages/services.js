// The services pages.

/** Registers the services routes. */
export function register(app) {}
