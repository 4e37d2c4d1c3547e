/* vp-settings.c: the application's GSettings, when its schema is installed
 *
 * g_settings_new() aborts the process when the schema is missing; a window
 * started straight from the build directory should rather forget its size
 * than crash, so everything goes through vp_settings_try_new().
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vp-settings"

#include "config.h"

#include "vp-settings.h"

GSettings *
vp_settings_try_new (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);

  if (schema == NULL)
    {
      static gsize warned;

      if (g_once_init_enter (&warned))
        {
          g_message ("The settings schema %s is not installed; settings are not kept "
                     "(set GSETTINGS_SCHEMA_DIR to the build's data directory)", APP_ID);
          g_once_init_leave (&warned, 1);
        }
      return NULL;
    }

  return g_settings_new_full (schema, NULL, NULL);
}
