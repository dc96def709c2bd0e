#ifndef CIVIC_CSQLITE_SHIM_H
#define CIVIC_CSQLITE_SHIM_H
#include <sqlite3.h>
#endif
