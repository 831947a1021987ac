/* SPDX-License-Identifier: Apache-2.0 */
/* The AKA commands of the tco program: tco milenage (aka_cmd.c). Same signature as the other
 * commands of tools/tco.c. */
#ifndef TCO_AKA_CMDS_H
#define TCO_AKA_CMDS_H

int cmd_milenage(int argc, char **argv, const char *uri);

#endif
