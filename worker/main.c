/* dnp3d-worker: an outstation of a server without tls; no OpenSSL. */
#include "worker/worker.h"

int
main(int argc, char **argv)
{
	return worker_main(argc, argv, "dnp3d-worker", NULL);
}
