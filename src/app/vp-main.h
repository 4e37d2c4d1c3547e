/* vp-main.h: what voxparse-browser runs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The program: the window, or one of the commands. main.c calls it from
 * libvoxparse-browser.so. */
int vp_main (int    argc,
             char **argv);

G_END_DECLS
