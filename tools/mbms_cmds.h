/* SPDX-License-Identifier: Apache-2.0 */
/* The key-wrap and MBMS commands of the tco program: tco wrap, tco unwrap (wrap_cmd.c) and
 * tco mbms (mbms_cmd.c). Same signature as the other commands of tools/tco.c. */
#ifndef TCO_MBMS_CMDS_H
#define TCO_MBMS_CMDS_H

int cmd_wrap(int argc, char **argv, const char *uri);
int cmd_unwrap(int argc, char **argv, const char *uri);
int cmd_mbms(int argc, char **argv, const char *uri);

#endif
