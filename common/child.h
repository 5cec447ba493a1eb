#ifndef DNP3D_COMMON_CHILD_H
#define DNP3D_COMMON_CHILD_H

/*
 * The start of a process that dnp3d starts (fork + exec) and that is not
 * meant to be run by hand: the hub, the classifier, the workers.
 */

/* Dies with its parent (SIGTERM) and ignores SIGPIPE; fatal on failure. */
void	child_bind_to_parent(void);

/* Takes "-d" (repeatable: more log) and nothing else, else prints the
   usage line and exits 1; starts the log as name. */
void	child_options(int argc, char **argv, const char *name);

#endif
