/* vp-application.h: the VoxParse Call Browser application
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "vp-client.h"

G_BEGIN_DECLS

#define VP_TYPE_APPLICATION (vp_application_get_type ())
G_DECLARE_FINAL_TYPE (VpApplication, vp_application, VP, APPLICATION, GtkApplication)

VpApplication *vp_application_new             (void);
/* A client of the in-process sandbox (the sample calls), started on first
 * use on a loopback port. */
VpClient      *vp_application_dup_demo_client (VpApplication  *self,
                                               GError        **error);
/* Registers every type the app's .ui files name as an object.  GtkBuilder
 * finds a type it does not know yet with dlsym() on the program, which
 * cannot see the app's code: main.c opens it with RTLD_LOCAL.  A missing
 * Vp type fails to build; a missing GTK type makes GtkBuilder register
 * all of GTK's, a cost at start-up. */
void           vp_application_ensure_types    (void);

G_END_DECLS
