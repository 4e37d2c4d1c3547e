/* vp-style-manager.c: light or dark, as the system and the user want
 *
 * Plain GTK 4.8 does not follow the desktop's dark preference by itself.
 * The system's preference is read from the Settings portal
 * (org.freedesktop.portal.Settings, "org.freedesktop.appearance"
 * "color-scheme": 0 no preference, 1 dark, 2 light), asynchronously, and
 * followed through its SettingChanged signal.  Without a portal the GNOME
 * key org.gnome.desktop.interface color-scheme is used when its schema
 * exists.  The application's own color-scheme key ("default", "light",
 * "dark") overrides the system, and VOXPARSE_DARK=1 (or GTK_THEME=…:dark)
 * overrides everything, for screenshots.  The result goes to
 * GtkSettings:gtk-application-prefer-dark-theme.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vp-style-manager"

#include "config.h"

#include "vp-settings.h"
#include "vp-style-manager.h"

#define PORTAL_BUS_NAME "org.freedesktop.portal.Desktop"
#define PORTAL_OBJECT_PATH "/org/freedesktop/portal/desktop"
#define PORTAL_SETTINGS_INTERFACE "org.freedesktop.portal.Settings"
#define APPEARANCE_NAMESPACE "org.freedesktop.appearance"
#define COLOR_SCHEME_KEY "color-scheme"

struct _VpStyleManager
{
  GObject          parent_instance;

  GtkSettings     *gtk_settings;
  GSettings       *settings;           /* ours, NULL without the schema */
  GSettings       *desktop_settings;   /* org.gnome.desktop.interface, if any */
  GDBusConnection *bus;
  GCancellable    *cancellable;
  guint            portal_signal_id;

  guint            portal_answered : 1;
  guint            system_dark : 1;
  guint            dark : 1;
};

enum {
  PROP_0,
  PROP_DARK,
  PROP_SYSTEM_DARK,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (VpStyleManager, vp_style_manager, G_TYPE_OBJECT)

static gboolean
env_forces_dark (void)
{
  const char *dark = g_getenv ("VOXPARSE_DARK");
  const char *theme = g_getenv ("GTK_THEME");

  return (dark != NULL && *dark != '\0' && g_strcmp0 (dark, "0") != 0) ||
         (theme != NULL && g_str_has_suffix (theme, ":dark"));
}

static void
vp_style_manager_update (VpStyleManager *self)
{
  g_autofree char *scheme = NULL;
  gboolean was_dark = FALSE;
  gboolean dark;

  g_assert (VP_IS_STYLE_MANAGER (self));

  if (self->settings != NULL)
    scheme = g_settings_get_string (self->settings, "color-scheme");

  if (env_forces_dark ())
    dark = TRUE;
  else if (g_strcmp0 (scheme, "dark") == 0)
    dark = TRUE;
  else if (g_strcmp0 (scheme, "light") == 0)
    dark = FALSE;
  else
    dark = self->system_dark;

  /* GtkSettings reloads the whole theme on every set, even to the value
   * it has: set it only when it changes. */
  g_object_get (self->gtk_settings, "gtk-application-prefer-dark-theme", &was_dark, NULL);
  if (!was_dark != !dark)
    g_object_set (self->gtk_settings, "gtk-application-prefer-dark-theme", dark, NULL);

  if (dark != self->dark)
    {
      self->dark = dark;
      g_debug ("Now %s", dark ? "dark" : "light");
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DARK]);
    }
}

static void
vp_style_manager_set_system_dark (VpStyleManager *self,
                                  gboolean        system_dark)
{
  g_assert (VP_IS_STYLE_MANAGER (self));

  system_dark = !!system_dark;
  if (system_dark != self->system_dark)
    {
      self->system_dark = system_dark;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYSTEM_DARK]);
    }

  vp_style_manager_update (self);
}

/* The portal's value may come wrapped in one variant too many (older
 * xdg-desktop-portal versions). */
static gboolean
portal_value_is_dark (GVariant *value)
{
  g_autoptr(GVariant) inner = g_variant_ref (value);

  while (g_variant_is_of_type (inner, G_VARIANT_TYPE_VARIANT))
    {
      GVariant *next = g_variant_get_variant (inner);

      g_variant_unref (inner);
      inner = next;
    }

  return g_variant_is_of_type (inner, G_VARIANT_TYPE_UINT32) &&
         g_variant_get_uint32 (inner) == 1;
}

static void
on_desktop_color_scheme_changed_cb (VpStyleManager *self)
{
  g_autofree char *scheme = NULL;

  g_assert (VP_IS_STYLE_MANAGER (self));

  if (self->portal_answered || self->desktop_settings == NULL)
    return;

  scheme = g_settings_get_string (self->desktop_settings, "color-scheme");
  vp_style_manager_set_system_dark (self, g_strcmp0 (scheme, "prefer-dark") == 0);
}

static void
use_desktop_settings (VpStyleManager *self)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  g_assert (VP_IS_STYLE_MANAGER (self));

  if (self->desktop_settings != NULL || source == NULL)
    return;

  schema = g_settings_schema_source_lookup (source, "org.gnome.desktop.interface", TRUE);
  if (schema == NULL || !g_settings_schema_has_key (schema, "color-scheme"))
    {
      g_debug ("No Settings portal and no org.gnome.desktop.interface color-scheme");
      return;
    }

  self->desktop_settings = g_settings_new_full (schema, NULL, NULL);
  g_signal_connect_object (self->desktop_settings, "changed::color-scheme",
                           G_CALLBACK (on_desktop_color_scheme_changed_cb),
                           self, G_CONNECT_SWAPPED);
  on_desktop_color_scheme_changed_cb (self);
}

static void
on_portal_setting_changed_cb (GDBusConnection *connection,
                              const char      *sender_name,
                              const char      *object_path,
                              const char      *interface_name,
                              const char      *signal_name,
                              GVariant        *parameters,
                              gpointer         user_data)
{
  VpStyleManager *self = user_data;
  const char *namespace;
  const char *key;
  g_autoptr(GVariant) value = NULL;

  g_assert (VP_IS_STYLE_MANAGER (self));

  if (!g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(ssv)")))
    return;

  g_variant_get (parameters, "(&s&sv)", &namespace, &key, &value);
  if (g_strcmp0 (namespace, APPEARANCE_NAMESPACE) != 0 ||
      g_strcmp0 (key, COLOR_SCHEME_KEY) != 0)
    return;

  self->portal_answered = TRUE;
  vp_style_manager_set_system_dark (self, portal_value_is_dark (value));
}

static void
on_portal_read_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(VpStyleManager) self = user_data;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) value = NULL;
  g_autoptr(GError) error = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (reply == NULL)
    {
      g_debug ("The Settings portal did not answer: %s", error->message);
      use_desktop_settings (self);
      return;
    }

  g_variant_get (reply, "(v)", &value);
  self->portal_answered = TRUE;
  g_clear_object (&self->desktop_settings);
  vp_style_manager_set_system_dark (self, portal_value_is_dark (value));
}

static void
vp_style_manager_watch_portal (VpStyleManager *self)
{
  g_autoptr(GError) error = NULL;

  g_assert (VP_IS_STYLE_MANAGER (self));

  self->bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  if (self->bus == NULL)
    {
      g_debug ("No session bus: %s", error->message);
      use_desktop_settings (self);
      return;
    }

  self->portal_signal_id =
    g_dbus_connection_signal_subscribe (self->bus,
                                        PORTAL_BUS_NAME,
                                        PORTAL_SETTINGS_INTERFACE,
                                        "SettingChanged",
                                        PORTAL_OBJECT_PATH,
                                        APPEARANCE_NAMESPACE,
                                        G_DBUS_SIGNAL_FLAGS_NONE,
                                        on_portal_setting_changed_cb,
                                        self, NULL);

  g_dbus_connection_call (self->bus,
                          PORTAL_BUS_NAME,
                          PORTAL_OBJECT_PATH,
                          PORTAL_SETTINGS_INTERFACE,
                          "Read",
                          g_variant_new ("(ss)", APPEARANCE_NAMESPACE, COLOR_SCHEME_KEY),
                          G_VARIANT_TYPE ("(v)"),
                          G_DBUS_CALL_FLAGS_NONE,
                          5000,
                          self->cancellable,
                          on_portal_read_cb,
                          g_object_ref (self));
}

static void
vp_style_manager_dispose (GObject *object)
{
  VpStyleManager *self = (VpStyleManager *)object;

  g_cancellable_cancel (self->cancellable);
  if (self->portal_signal_id != 0)
    {
      g_dbus_connection_signal_unsubscribe (self->bus, self->portal_signal_id);
      self->portal_signal_id = 0;
    }
  g_clear_object (&self->bus);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);
  g_clear_object (&self->desktop_settings);
  g_clear_object (&self->gtk_settings);

  G_OBJECT_CLASS (vp_style_manager_parent_class)->dispose (object);
}

static void
vp_style_manager_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  VpStyleManager *self = VP_STYLE_MANAGER (object);

  switch (prop_id)
    {
    case PROP_DARK:
      g_value_set_boolean (value, self->dark);
      break;

    case PROP_SYSTEM_DARK:
      g_value_set_boolean (value, self->system_dark);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vp_style_manager_class_init (VpStyleManagerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = vp_style_manager_dispose;
  object_class->get_property = vp_style_manager_get_property;

  properties[PROP_DARK] =
    g_param_spec_boolean ("dark", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SYSTEM_DARK] =
    g_param_spec_boolean ("system-dark", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vp_style_manager_init (VpStyleManager *self)
{
  self->cancellable = g_cancellable_new ();
}

VpStyleManager *
vp_style_manager_new (GtkSettings *settings)
{
  VpStyleManager *self;

  g_return_val_if_fail (settings == NULL || GTK_IS_SETTINGS (settings), NULL);

  if (settings == NULL)
    settings = gtk_settings_get_default ();
  g_return_val_if_fail (settings != NULL, NULL);

  self = g_object_new (VP_TYPE_STYLE_MANAGER, NULL);
  self->gtk_settings = g_object_ref (settings);

  self->settings = vp_settings_try_new ();
  if (self->settings != NULL)
    g_signal_connect_object (self->settings, "changed::color-scheme",
                             G_CALLBACK (vp_style_manager_update),
                             self, G_CONNECT_SWAPPED);

  /* Right away from what is known, then again when the portal answers. */
  vp_style_manager_update (self);
  vp_style_manager_watch_portal (self);

  return self;
}

gboolean
vp_style_manager_get_dark (VpStyleManager *self)
{
  g_return_val_if_fail (VP_IS_STYLE_MANAGER (self), FALSE);

  return self->dark;
}

gboolean
vp_style_manager_get_system_dark (VpStyleManager *self)
{
  g_return_val_if_fail (VP_IS_STYLE_MANAGER (self), FALSE);

  return self->system_dark;
}
