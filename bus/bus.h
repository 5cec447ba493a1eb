#ifndef DNP3D_BUS_H
#define DNP3D_BUS_H
/* Everything of the bus in one include. */
#include "bus/event.h"
#include "bus/update.h"
#include "bus/access.h"
#include "bus/client.h"
#endif
