/*
 * Application fragment headers, function codes and error names.
 */
#include "dnp3/app/app.h"
#include "dnp3/app/bytes.h"

const char *
dnp3_app_strerror(int err)
{
	switch (err) {
	case DNP3_E_HDR_SHORT:
		return "fragment shorter than its application header";
	case DNP3_E_OBJHDR_SHORT:
		return "object header truncated";
	case DNP3_E_QUALIFIER:
		return "unknown qualifier code";
	case DNP3_E_QUAL_OBJECT:
		return "qualifier not allowed for this object";
	case DNP3_E_RANGE:
		return "range stop before start";
	case DNP3_E_OVERRUN:
		return "objects extend past the end of the fragment";
	case DNP3_E_OBJECT:
		return "unknown object group/variation";
	case DNP3_E_NOSPACE:
		return "does not fit in the fragment";
	case DNP3_E_INDEX:
		return "index not valid for the qualifier";
	case DNP3_E_VALUE:
		return "value cannot be encoded";
	case DNP3_E_PARAM:
		return "invalid argument";
	default:
		return err >= 0 ? "success" : "unknown error";
	}
}

static const char *const func_names[] = {
	"CONFIRM", "READ", "WRITE", "SELECT", "OPERATE", "DIRECT_OPERATE",
	"DIRECT_OPERATE_NR", "IMMED_FREEZE", "IMMED_FREEZE_NR",
	"FREEZE_CLEAR", "FREEZE_CLEAR_NR", "FREEZE_AT_TIME",
	"FREEZE_AT_TIME_NR", "COLD_RESTART", "WARM_RESTART",
	"INITIALIZE_DATA", "INITIALIZE_APPL", "START_APPL", "STOP_APPL",
	"SAVE_CONFIG", "ENABLE_UNSOLICITED", "DISABLE_UNSOLICITED",
	"ASSIGN_CLASS", "DELAY_MEASURE", "RECORD_CURRENT_TIME", "OPEN_FILE",
	"CLOSE_FILE", "DELETE_FILE", "GET_FILE_INFO", "AUTHENTICATE_FILE",
	"ABORT_FILE", "ACTIVATE_CONFIG", "AUTH_REQUEST", "AUTH_REQUEST_NR",
};

const char *
dnp3_func_name(uint8_t func)
{
	if (func <= DNP3_FC_AUTH_REQUEST_NR)
		return func_names[func];
	switch (func) {
	case DNP3_FC_RESPONSE:
		return "RESPONSE";
	case DNP3_FC_UNSOLICITED_RESPONSE:
		return "UNSOLICITED_RESPONSE";
	case DNP3_FC_AUTH_RESPONSE:
		return "AUTH_RESPONSE";
	default:
		return "UNKNOWN";
	}
}

bool
dnp3_func_has_object_data(uint8_t func)
{
	switch (func) {
	case DNP3_FC_WRITE:
	case DNP3_FC_SELECT:
	case DNP3_FC_OPERATE:
	case DNP3_FC_DIRECT_OPERATE:
	case DNP3_FC_DIRECT_OPERATE_NR:
	case DNP3_FC_FREEZE_AT_TIME:
	case DNP3_FC_FREEZE_AT_TIME_NR:
	case DNP3_FC_RESPONSE:
	case DNP3_FC_UNSOLICITED_RESPONSE:
	case DNP3_FC_AUTH_RESPONSE:
	case DNP3_FC_AUTH_REQUEST:
	case DNP3_FC_AUTH_REQUEST_NR:
		return true;
	default:
		return false;
	}
}

static bool
func_is_response(uint8_t func)
{
	return func >= DNP3_FC_RESPONSE && func <= DNP3_FC_AUTH_RESPONSE;
}

int
dnp3_app_header_parse(const uint8_t *frag, size_t len,
    struct dnp3_app_header *h)
{
	if (frag == NULL || len < DNP3_REQ_HDR_SIZE)
		return DNP3_E_HDR_SHORT;
	h->control = frag[0];
	h->func = frag[1];
	h->iin = 0;
	if (!func_is_response(h->func))
		return DNP3_REQ_HDR_SIZE;
	if (len < DNP3_RSP_HDR_SIZE)
		return DNP3_E_HDR_SHORT;
	h->iin = get_le16(frag + 2);
	return DNP3_RSP_HDR_SIZE;
}

int
dnp3_app_header_write(uint8_t *buf, size_t cap,
    const struct dnp3_app_header *h)
{
	size_t n = func_is_response(h->func) ? DNP3_RSP_HDR_SIZE :
	    DNP3_REQ_HDR_SIZE;

	if (buf == NULL || cap < n)
		return DNP3_E_NOSPACE;
	buf[0] = h->control;
	buf[1] = h->func;
	if (n == DNP3_RSP_HDR_SIZE)
		put_le16(buf + 2, h->iin);
	return (int)n;
}
