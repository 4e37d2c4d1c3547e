/* vp-placeholder.h: an icon, a title and a sentence in place of content
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define VP_TYPE_PLACEHOLDER (vp_placeholder_get_type ())
G_DECLARE_FINAL_TYPE (VpPlaceholder, vp_placeholder, VP, PLACEHOLDER, GtkWidget)

const char *vp_placeholder_get_title       (VpPlaceholder *self);
void        vp_placeholder_set_title       (VpPlaceholder *self,
                                            const char    *title);
const char *vp_placeholder_get_description (VpPlaceholder *self);
void        vp_placeholder_set_description (VpPlaceholder *self,
                                            const char    *description);
void        vp_placeholder_set_icon_name   (VpPlaceholder *self,
                                            const char    *icon_name);

G_END_DECLS
