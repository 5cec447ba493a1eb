#ifndef DNP3D_WIRE_GEN_H
#define DNP3D_WIRE_GEN_H

/*
 * Helpers for the tests/wire/gen_<area>.c programs. A generator calls
 * wire_gen_begin(argc, argv), then wire_gen_send() for every write a
 * master or outstation would make, then returns wire_gen_end(). The bytes
 * of each send are parsed with the link parser, so the frame count that
 * tshark_check.sh compares against is what was really written, and a
 * generator that writes a malformed frame fails by itself.
 *
 * Usage of every generator: gen_<area> OUT.pcap
 * Output on stdout: "frames N" (N link frames written).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

void	wire_gen_begin(int argc, char **argv);
void	wire_gen_send(bool from_master, const uint8_t *buf, size_t len);
int	wire_gen_end(void);

#endif
