/* SPDX-License-Identifier: Apache-2.0 */
/* The lawful-interception commands of the tco program (li_cmd.c): tco mikey-prf and
 * tco li pmk|tek|kdf2|audit-verify|intercept|call. Same signature as the other commands of
 * tools/tco.c. */
#ifndef TCO_LI_CMDS_H
#define TCO_LI_CMDS_H

int cmd_mikey_prf(int argc, char **argv, const char *uri);
int cmd_li(int argc, char **argv, const char *uri);

#endif
