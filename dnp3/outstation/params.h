#ifndef DNP3D_DNP3_PARAMS_H
#define DNP3D_DNP3_PARAMS_H

/*
 * What an outstation is made of: the parameters the core reads, and
 * nothing else (names, addresses, users and endpoints are the caller's).
 * The worker fills them from its configuration (config/os_params.c).
 */
#include <stdbool.h>
#include <stdint.h>

#include "dnp3/outstation/points.h"

#define OS_CONTROLS_MAX		256	/* control objects per request */
#define OS_CONTROLS_DEFAULT	32
#define OS_ANSWER_DEFAULT	2000	/* ms an application may take */

/* How SELECT/OPERATE/DIRECT_OPERATE are answered. */
enum control_mode {
	CONTROL_ECHO,		/* accept, mirror into output status points */
	CONTROL_BUS,		/* ask the application (control hook) */
	CONTROL_REJECT		/* answer NOT_SUPPORTED */
};

/* The points of one type. */
struct point_params {
	uint32_t count;			/* 0..DB_POINTS_MAX */
	uint8_t class;			/* 0 = none, 1..3 */
	uint8_t static_variation;	/* 0 = type's default */
	uint8_t event_variation;	/* 0 = type's default */
	double deadband;		/* analogs, counters */
	uint32_t event_buffer;		/* events kept for this type */
};

struct outstation_params {
	struct point_params db[PT_COUNT];
	bool unsol_enabled;
	int32_t unsol_retries;		/* -1 = forever */
	uint32_t confirm_ms;		/* application confirm timeout */
	uint32_t select_ms;		/* SELECT to OPERATE */
	uint32_t answer_ms;		/* controls = "bus": the wait for the
					   answers; 0 = default */
	uint32_t frag_rx;		/* 249..65535 */
	uint32_t frag_tx;		/* 249..65535 */
	enum control_mode controls;
	uint32_t need_time_ms;		/* IIN1.4 again this long after a time
					   sync; 0 = never again */
	uint32_t max_controls;		/* 1..OS_CONTROLS_MAX; 0 = default */
	bool demo_values;		/* a cold restart loads demo values */
};

#endif
