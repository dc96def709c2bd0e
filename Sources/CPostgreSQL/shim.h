#ifndef CIVIC_CPOSTGRESQL_SHIM_H
#define CIVIC_CPOSTGRESQL_SHIM_H
#include <libpq-fe.h>
#endif
