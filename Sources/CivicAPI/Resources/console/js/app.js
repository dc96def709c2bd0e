// The console's entry point.
