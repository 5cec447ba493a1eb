#ifndef DNP3D_TOOLS_OUTPUT_H
#define DNP3D_TOOLS_OUTPUT_H

/* stdout to FILE.tmp; then flushed, synced and renamed to FILE. 0 or -1
   (logged; FILE is left as it was). */
int	output_begin(const char *file);
int	output_end(const char *file);

#endif
