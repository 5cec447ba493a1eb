/* dnp3d-worker-tls: an outstation of a server with tls (worker/tls.h). */
#include "worker/tls.h"
#include "worker/worker.h"

int
main(int argc, char **argv)
{
	return worker_main(argc, argv, "dnp3d-worker-tls", &worker_tls_ops);
}
