/* vp-welcome-page.h: the first page when no API key is known
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define VP_TYPE_WELCOME_PAGE (vp_welcome_page_get_type ())
G_DECLARE_FINAL_TYPE (VpWelcomePage, vp_welcome_page, VP, WELCOME_PAGE, GtkWidget)

void vp_welcome_page_set_base_url (VpWelcomePage *self,
                                   const char    *base_url);

G_END_DECLS
