/* vp-settings.h: the application's GSettings, when its schema is installed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A new GSettings for the com.voxparse.CallBrowser schema, or NULL when the
 * schema is not installed (running from a build tree without
 * GSETTINGS_SCHEMA_DIR): then nothing is remembered, and nothing aborts. */
GSettings *vp_settings_try_new (void);

G_END_DECLS
