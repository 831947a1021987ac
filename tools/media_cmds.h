/* SPDX-License-Identifier: Apache-2.0 */
/* The media commands of the tco program: tco srtp (srtp_cmd.c) and tco csgw (csgw_cmd.c).
 * Same signature as the other commands of tools/tco.c. */
#ifndef TCO_MEDIA_CMDS_H
#define TCO_MEDIA_CMDS_H

int cmd_srtp(int argc, char **argv, const char *uri);
int cmd_csgw(int argc, char **argv, const char *uri);

#endif
