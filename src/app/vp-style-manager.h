/* vp-style-manager.h: light or dark, as the system and the user want
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define VP_TYPE_STYLE_MANAGER (vp_style_manager_get_type ())
G_DECLARE_FINAL_TYPE (VpStyleManager, vp_style_manager, VP, STYLE_MANAGER, GObject)

/* Starts following the system's preference and the color-scheme setting,
 * and applies the result to @settings (NULL: the default display's). */
VpStyleManager *vp_style_manager_new              (GtkSettings    *settings);
/* Whether the windows are dark now */
gboolean        vp_style_manager_get_dark         (VpStyleManager *self);
/* Whether the system prefers dark, as last read from the Settings portal
 * or, without one, org.gnome.desktop.interface */
gboolean        vp_style_manager_get_system_dark  (VpStyleManager *self);

G_END_DECLS
