/* vp-window.h: the main window of VoxParse Call Browser
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "vp-client.h"

G_BEGIN_DECLS

#define VP_TYPE_WINDOW (vp_window_get_type ())
G_DECLARE_FINAL_TYPE (VpWindow, vp_window, VP, WINDOW, GtkApplicationWindow)

/* @application: may be NULL (tests) */
VpWindow *vp_window_new          (GtkApplication *application);
VpClient *vp_window_get_client   (VpWindow       *self);
/* Shows the calls of @client's account.  @subtitle: what to call the
 * account in the header bar, NULL for the server's host name. */
void      vp_window_set_client   (VpWindow       *self,
                                  VpClient       *client,
                                  const char     *subtitle);
/* The two ways on when no key is known.  @base_url prefills the form. */
void      vp_window_show_welcome (VpWindow       *self,
                                  const char     *base_url);
/* Presents the window once its first page of calls is in (or could not
 * be had), or after @timeout_ms at the latest: the list appears drawn with
 * its calls, rather than empty and then again a moment later. */
void      vp_window_present_when_listed (VpWindow *self,
                                         guint     timeout_ms);
/* New jobs at the top, statuses updated; keeps the selection. */
void      vp_window_refresh      (VpWindow       *self);

G_END_DECLS
