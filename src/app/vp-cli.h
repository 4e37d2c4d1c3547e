/* vp-cli.h: the commands of voxparse-browser that need no display
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* TRUE when @argv names a command (e.g. "jobs") rather than the window */
gboolean vp_cli_wants_command (int    argc,
                               char **argv);
/* Runs the command and returns the process exit status. */
int      vp_cli_run           (int    argc,
                               char **argv);

G_END_DECLS
