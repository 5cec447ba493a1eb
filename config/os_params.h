#ifndef DNP3D_CONFIG_OS_PARAMS_H
#define DNP3D_CONFIG_OS_PARAMS_H

#include "common/config.h"
#include "dnp3/outstation/params.h"

/* The outstation's part of the configuration, for the protocol core. */
void	config_os_params(const struct outstation_config *cfg,
	    struct outstation_params *p);

#endif
