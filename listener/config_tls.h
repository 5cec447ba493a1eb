#ifndef DNP3D_LISTENER_CONFIG_TLS_H
#define DNP3D_LISTENER_CONFIG_TLS_H

/*
 * The TLS files, checked by `dnp3d -t` only (the running listener never
 * opens them; the workers do). Each returns 0, or -1 with one phrase in
 * err that names the file: it cannot be opened, holds no PEM
 * certificate or key, a certificate is expired or not yet valid, the
 * key does not match the certificate.
 */
#include <stdbool.h>
#include <stddef.h>

/* On with -t: the loader checks each TLS file as it reads its key. */
void	config_tls_check_files(bool on);

/* A chain (the first certificate is the leaf) or a CA file. */
int	tlsfile_check_certs(const char *path, bool ca, char *err,
	    size_t errlen);
/* A private key, and that it belongs to the first certificate of cert. */
int	tlsfile_check_key(const char *path, const char *cert, char *err,
	    size_t errlen);

#endif
