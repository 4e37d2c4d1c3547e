/* vp-preferences-dialog.h: the server, the key and how calls are shown
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define VP_TYPE_PREFERENCES_DIALOG (vp_preferences_dialog_get_type ())
G_DECLARE_FINAL_TYPE (VpPreferencesDialog, vp_preferences_dialog, VP, PREFERENCES_DIALOG, GtkWindow)

/* @parent: the VpWindow whose connection the dialog changes on Save */
VpPreferencesDialog *vp_preferences_dialog_new (GtkWindow *parent);

/* For the tests: what the connection test says, and whether it runs. */
const char *_vp_preferences_dialog_get_test_text (VpPreferencesDialog *self);
gboolean    _vp_preferences_dialog_is_testing    (VpPreferencesDialog *self);
/* Whether the initial look-up of the stored key is still on its way */
gboolean    _vp_preferences_dialog_is_loading    (VpPreferencesDialog *self);

G_END_DECLS
