/*
 * Names for what a master prints: IIN bits, flag bits by point kind,
 * command status codes and CROB operations.
 */
#include <string.h>

#include "dnp3/master/master.h"

const char *
master_iin_name(uint16_t bit)
{
	static const char *const names[16] = {
		"BROADCAST", "CLASS1_EVENTS", "CLASS2_EVENTS",
		"CLASS3_EVENTS", "NEED_TIME", "LOCAL_CONTROL",
		"DEVICE_TROUBLE", "DEVICE_RESTART", "NO_FUNC_CODE_SUPPORT",
		"OBJECT_UNKNOWN", "PARAMETER_ERROR", "EVENT_BUFFER_OVERFLOW",
		"ALREADY_EXECUTING", "CONFIG_CORRUPT", "RESERVED_2",
		"RESERVED_1",
	};

	for (int i = 0; i < 16; i++)
		if (bit == (uint16_t)(1u << i))
			return names[i];
	return NULL;
}

const char *
master_flag_name(uint8_t kind, uint8_t bit)
{
	switch (bit) {
	case DNP3_FLAG_ONLINE:
		return "ONLINE";
	case DNP3_FLAG_RESTART:
		return "RESTART";
	case DNP3_FLAG_COMM_LOST:
		return "COMM_LOST";
	case DNP3_FLAG_REMOTE_FORCED:
		return "REMOTE_FORCED";
	case DNP3_FLAG_LOCAL_FORCED:
		return "LOCAL_FORCED";
	case 0x20:
		if (kind == DNP3_K_COUNTER)
			return "ROLLOVER";
		if (kind == DNP3_K_ANALOG)
			return "OVER_RANGE";
		return "CHATTER_FILTER";
	case 0x40:
		if (kind == DNP3_K_COUNTER)
			return "DISCONTINUITY";
		if (kind == DNP3_K_ANALOG)
			return "REFERENCE_ERR";
		return NULL;
	default:
		return NULL;
	}
}

void
master_flags_str(uint8_t kind, uint8_t flags, char sep, char *buf,
    size_t cap)
{
	const char *name;
	size_t len = 0, n;

	if (cap == 0)
		return;
	buf[0] = '\0';
	for (int i = 0; i < 8; i++) {
		if ((flags & (1u << i)) == 0 ||
		    (name = master_flag_name(kind, (uint8_t)(1u << i))) == NULL)
			continue;
		n = strlen(name);
		if (n + (len > 0) >= cap - len)
			return;		/* whole names only */
		if (len > 0)
			buf[len++] = sep;
		memcpy(buf + len, name, n);
		len += n;
		buf[len] = '\0';
	}
}

const char *
master_status_name(uint8_t status)
{
	static const char *const names[] = {
		"SUCCESS", "TIMEOUT", "NO_SELECT", "FORMAT_ERROR",
		"NOT_SUPPORTED", "ALREADY_ACTIVE", "HARDWARE_ERROR", "LOCAL",
		"TOO_MANY_OBJS", "NOT_AUTHORIZED", "AUTOMATION_INHIBIT",
		"PROCESSING_LIMITED", "OUT_OF_RANGE",
	};

	if (status < sizeof(names) / sizeof(names[0]))
		return names[status];
	if (status == DNP3_CS_NON_PARTICIPATING)
		return "NON_PARTICIPATING";
	return "UNKNOWN";
}

const char *
master_crob_op_name(uint8_t code)
{
	switch (code & DNP3_CROB_OP_MASK) {
	case DNP3_CROB_OP_NUL:
		return "NUL";
	case DNP3_CROB_OP_PULSE_ON:
		if ((code & DNP3_CROB_TCC_MASK) == DNP3_CROB_TCC_CLOSE)
			return "CLOSE";
		if ((code & DNP3_CROB_TCC_MASK) == DNP3_CROB_TCC_TRIP)
			return "TRIP";
		return "PULSE_ON";
	case DNP3_CROB_OP_PULSE_OFF:
		return "PULSE_OFF";
	case DNP3_CROB_OP_LATCH_ON:
		return "LATCH_ON";
	case DNP3_CROB_OP_LATCH_OFF:
		return "LATCH_OFF";
	default:
		return "UNKNOWN";
	}
}
