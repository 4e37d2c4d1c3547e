/* vp-preferences-dialog.c: the server, the key and how calls are shown
 *
 * The server address, the page size, the results cache and the style are
 * GSettings keys; the API key goes to the Secret Service (VpSecretStore)
 * and nowhere else.  Nothing changes until Save: then the settings are
 * written, the key is stored, and when the account changed (another server
 * or another key) the window gets a new VpClient and reloads its list.
 *
 * "Test Connection" lists one job with a temporary client, so it says
 * whether the server answers and accepts the key without touching the
 * window's connection.  A plain http:// address to another machine is
 * refused before any key is sent (vp_url_check_server()).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vp-preferences-dialog"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "vp-client.h"
#include "vp-error.h"
#include "vp-format.h"
#include "vp-preferences-dialog.h"
#include "vp-secret-store.h"
#include "vp-settings.h"
#include "vp-url.h"
#include "vp-window.h"

struct _VpPreferencesDialog
{
  GtkWindow         parent_instance;

  GSettings        *settings;
  GCancellable     *cancellable;        /* the key look-up and storing */
  GCancellable     *test_cancellable;   /* NULL when no test runs */
  VpClient         *test_client;
  char             *loaded_url;         /* the server address shown at first */
  char             *loaded_key;         /* the key found in the keyring for it */
  guint             loading : 1;
  guint             key_edited : 1;
  guint             saving : 1;

  GtkEntry         *url_entry;
  GtkLabel         *url_error_label;
  GtkPasswordEntry *key_entry;
  GtkButton        *test_button;
  GtkSpinner       *test_spinner;
  GtkImage         *test_image;
  GtkLabel         *test_label;
  GtkSpinButton    *page_size_spin;
  GtkCheckButton   *cache_check;
  GtkCheckButton   *style_checks[3];   /* default, light, dark */
  GtkButton        *save_button;
  GtkLabel         *save_error_label;
};

G_DEFINE_FINAL_TYPE (VpPreferencesDialog, vp_preferences_dialog, GTK_TYPE_WINDOW)

static const char * const color_schemes[] = { "default", "light", "dark" };

static char *
dup_url (VpPreferencesDialog *self)
{
  g_autofree char *url = NULL;

  g_assert (VP_IS_PREFERENCES_DIALOG (self));

  url = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->url_entry))));
  if (*url == '\0')
    return g_strdup (VP_CLIENT_DEFAULT_BASE_URL);

  return g_steal_pointer (&url);
}

static const char *
get_key (VpPreferencesDialog *self)
{
  g_assert (VP_IS_PREFERENCES_DIALOG (self));

  return gtk_editable_get_text (GTK_EDITABLE (self->key_entry));
}

static void
set_test_result (VpPreferencesDialog *self,
                 const char          *icon_name,
                 const char          *text)
{
  g_assert (VP_IS_PREFERENCES_DIALOG (self));

  gtk_image_set_from_icon_name (self->test_image, icon_name);
  gtk_widget_set_visible (GTK_WIDGET (self->test_image), icon_name != NULL);
  gtk_label_set_text (self->test_label, text ? text : "");
}

static void
set_testing (VpPreferencesDialog *self,
             gboolean             testing)
{
  g_assert (VP_IS_PREFERENCES_DIALOG (self));

  gtk_widget_set_visible (GTK_WIDGET (self->test_spinner), testing);
  gtk_spinner_set_spinning (self->test_spinner, testing);
  gtk_button_set_label (self->test_button,
                        testing ? _("_Cancel Test") : _("_Test Connection"));
}

/* Checks the address as it is typed: Test and Save only for usable ones. */
static gboolean
validate_url (VpPreferencesDialog *self)
{
  g_autofree char *url = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  g_assert (VP_IS_PREFERENCES_DIALOG (self));

  url = dup_url (self);
  ok = vp_url_check_server (url, &error);

  gtk_widget_set_visible (GTK_WIDGET (self->url_error_label), !ok);
  if (!ok)
    {
      gtk_label_set_text (self->url_error_label, error->message);
      gtk_widget_add_css_class (GTK_WIDGET (self->url_entry), "error");
    }
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->url_entry), "error");

  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), ok && !self->saving);
  if (self->test_cancellable == NULL)
    gtk_widget_set_sensitive (GTK_WIDGET (self->test_button), ok);

  return ok;
}

static void
on_url_changed_cb (VpPreferencesDialog *self)
{
  g_assert (VP_IS_PREFERENCES_DIALOG (self));

  validate_url (self);
  gtk_widget_set_visible (GTK_WIDGET (self->save_error_label), FALSE);
}

static void
on_key_changed_cb (VpPreferencesDialog *self)
{
  g_assert (VP_IS_PREFERENCES_DIALOG (self));

  if (!self->loading)
    self->key_edited = TRUE;
  gtk_widget_set_visible (GTK_WIDGET (self->save_error_label), FALSE);
}

static void
on_lookup_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(VpPreferencesDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  char *key;

  key = vp_secret_store_lookup_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->loading = FALSE;

  if (error != NULL)
    {
      g_debug ("No key from the keyring: %s", error->message);
      return;
    }

  vp_secret_store_free_key (self->loaded_key);
  self->loaded_key = key;

  /* Unless the user typed a key in the meantime */
  if (key != NULL && !self->key_edited && *get_key (self) == '\0')
    {
      self->loading = TRUE;
      gtk_editable_set_text (GTK_EDITABLE (self->key_entry), key);
      self->loading = FALSE;
    }
}

static void
on_test_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(VpPreferencesDialog) self = user_data;
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GError) error = NULL;

  jobs = vp_client_list_jobs_finish (VP_CLIENT (object), result, &error);

  /* A newer test replaced this one, or the dialog went away. */
  if (self->test_client != VP_CLIENT (object))
    return;

  g_clear_object (&self->test_cancellable);
  g_clear_object (&self->test_client);
  set_testing (self, FALSE);
  validate_url (self);

  if (jobs != NULL)
    set_test_result (self, "emblem-ok-symbolic",
                     _("The server answers and accepts the key."));
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    set_test_result (self, NULL, _("Test cancelled."));
  else if (g_error_matches (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_UNAUTHORIZED))
    set_test_result (self, "dialog-password-symbolic",
                     *get_key (self) == '\0'
                     ? _("The server answers, but it needs an API key.")
                     : _("The server answers, but it does not accept this key."));
  else if (g_error_matches (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_CANNOT_CONNECT))
    set_test_result (self, "network-offline-symbolic",
                     _("The server does not answer. Check the address and your network connection."));
  else
    {
      g_autofree char *text = vp_describe_error (error);

      set_test_result (self, "dialog-warning-symbolic", text);
    }
}

static void
on_test_clicked_cb (VpPreferencesDialog *self)
{
  g_autofree char *url = NULL;
  const char *key;

  g_assert (VP_IS_PREFERENCES_DIALOG (self));

  if (self->test_cancellable != NULL)
    {
      g_cancellable_cancel (self->test_cancellable);
      return;
    }

  if (!validate_url (self))
    return;

  url = dup_url (self);
  key = get_key (self);

  self->test_client = vp_client_new (url, *key != '\0' ? key : NULL);
  self->test_cancellable = g_cancellable_new ();

  set_test_result (self, NULL, _("Connecting…"));
  set_testing (self, TRUE);

  vp_client_list_jobs_async (self->test_client, 1, 0, self->test_cancellable,
                             on_test_done_cb, g_object_ref (self));
}

/* The window's list starts over on the new account. */
static void
apply_connection (VpPreferencesDialog *self,
                  const char          *url,
                  const char          *key)
{
  GtkWindow *parent;
  g_autoptr(VpClient) client = NULL;

  g_assert (VP_IS_PREFERENCES_DIALOG (self));

  parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  if (!VP_IS_WINDOW (parent))
    return;

  client = vp_client_new (url, key);
  vp_window_set_client (VP_WINDOW (parent), client, NULL);
}

static void
finish_save (VpPreferencesDialog *self,
             const GError        *error)
{
  g_assert (VP_IS_PREFERENCES_DIALOG (self));

  self->saving = FALSE;
  validate_url (self);

  if (error != NULL)
    {
      g_autofree char *text = NULL;

      /* TRANSLATORS: %s says why, from the keyring */
      text = g_strdup_printf (_("The key could not be stored in the keyring: %s. "
                                "It is used until the application quits."),
                              error->message);
      gtk_label_set_text (self->save_error_label, text);
      gtk_widget_set_visible (GTK_WIDGET (self->save_error_label), TRUE);
      return;
    }

  gtk_window_close (GTK_WINDOW (self));
}

static void
on_key_stored_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(VpPreferencesDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!vp_secret_store_save_finish (result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  finish_save (self, error);
}

static void
on_key_cleared_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(VpPreferencesDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  vp_secret_store_clear_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (error != NULL)
    g_debug ("The stored key could not be removed: %s", error->message);

  finish_save (self, NULL);
}

static void
on_save_clicked_cb (VpPreferencesDialog *self)
{
  g_autofree char *url = NULL;
  g_autoptr(GError) error = NULL;
  GtkWindow *parent;
  VpClient *current = NULL;
  const char *key;
  gboolean url_changed;
  gboolean key_changed;
  guint style;

  g_assert (VP_IS_PREFERENCES_DIALOG (self));

  if (self->saving)
    return;

  url = dup_url (self);
  if (!vp_url_check_server (url, &error))
    {
      validate_url (self);
      gtk_widget_grab_focus (GTK_WIDGET (self->url_entry));
      return;
    }

  key = get_key (self);
  url_changed = g_strcmp0 (url, self->loaded_url) != 0;
  key_changed = g_strcmp0 (*key != '\0' ? key : NULL, self->loaded_key) != 0;

  parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  if (VP_IS_WINDOW (parent))
    current = vp_window_get_client (VP_WINDOW (parent));

  /* Another server needs a key of its own. */
  if (*key == '\0' && (url_changed || current == NULL))
    {
      gtk_label_set_text (self->save_error_label, _("Enter the API key for this server."));
      gtk_widget_set_visible (GTK_WIDGET (self->save_error_label), TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (self->key_entry));
      return;
    }

  if (self->settings != NULL)
    {
      g_settings_delay (self->settings);
      g_settings_set_string (self->settings, "server-url",
                             g_str_equal (url, VP_CLIENT_DEFAULT_BASE_URL) ? "" : url);
      g_settings_set_uint (self->settings, "page-size",
                           (guint) gtk_spin_button_get_value_as_int (self->page_size_spin));
      g_settings_set_boolean (self->settings, "keep-results-cache",
                              gtk_check_button_get_active (self->cache_check));
      for (style = 0; style < G_N_ELEMENTS (color_schemes); style++)
        if (gtk_check_button_get_active (self->style_checks[style]))
          g_settings_set_string (self->settings, "color-scheme", color_schemes[style]);
      g_settings_apply (self->settings);
    }

  if (*key != '\0' && (url_changed || key_changed || current == NULL))
    apply_connection (self, url, key);

  self->saving = TRUE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), FALSE);

  if (*key != '\0' && (url_changed || key_changed))
    vp_secret_store_save_async (url, key, self->cancellable,
                                on_key_stored_cb, g_object_ref (self));
  else if (*key == '\0' && self->loaded_key != NULL)
    /* The key was erased: forget it. */
    vp_secret_store_clear_async (url, self->cancellable,
                                 on_key_cleared_cb, g_object_ref (self));
  else
    finish_save (self, NULL);
}

VpPreferencesDialog *
vp_preferences_dialog_new (GtkWindow *parent)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);

  return g_object_new (VP_TYPE_PREFERENCES_DIALOG,
                       "transient-for", parent,
                       "application", parent ? gtk_window_get_application (parent) : NULL,
                       NULL);
}

const char *
_vp_preferences_dialog_get_test_text (VpPreferencesDialog *self)
{
  g_return_val_if_fail (VP_IS_PREFERENCES_DIALOG (self), NULL);

  return gtk_label_get_text (self->test_label);
}

gboolean
_vp_preferences_dialog_is_testing (VpPreferencesDialog *self)
{
  g_return_val_if_fail (VP_IS_PREFERENCES_DIALOG (self), FALSE);

  return self->test_cancellable != NULL;
}

gboolean
_vp_preferences_dialog_is_loading (VpPreferencesDialog *self)
{
  g_return_val_if_fail (VP_IS_PREFERENCES_DIALOG (self), FALSE);

  return self->loading;
}

static void
vp_preferences_dialog_load (VpPreferencesDialog *self)
{
  g_autofree char *url = NULL;
  g_autofree char *scheme = NULL;

  g_assert (VP_IS_PREFERENCES_DIALOG (self));

  if (self->settings != NULL)
    {
      url = g_settings_get_string (self->settings, "server-url");
      gtk_spin_button_set_value (self->page_size_spin,
                                 g_settings_get_uint (self->settings, "page-size"));
      gtk_check_button_set_active (self->cache_check,
                                   g_settings_get_boolean (self->settings, "keep-results-cache"));
      scheme = g_settings_get_string (self->settings, "color-scheme");
      for (guint i = 0; i < G_N_ELEMENTS (color_schemes); i++)
        if (g_strcmp0 (scheme, color_schemes[i]) == 0)
          gtk_check_button_set_active (self->style_checks[i], TRUE);
    }

  if (url == NULL || *url == '\0')
    {
      g_free (url);
      url = g_strdup (VP_CLIENT_DEFAULT_BASE_URL);
    }

  gtk_editable_set_text (GTK_EDITABLE (self->url_entry), url);
  self->loaded_url = g_steal_pointer (&url);
  validate_url (self);

  self->loading = TRUE;
  vp_secret_store_lookup_async (self->loaded_url, self->cancellable,
                                on_lookup_cb, g_object_ref (self));
}

static void
vp_preferences_dialog_dispose (GObject *object)
{
  VpPreferencesDialog *self = (VpPreferencesDialog *)object;

  g_cancellable_cancel (self->cancellable);
  if (self->test_cancellable != NULL)
    g_cancellable_cancel (self->test_cancellable);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->test_cancellable);
  g_clear_object (&self->test_client);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->loaded_url, g_free);
  g_clear_pointer (&self->loaded_key, vp_secret_store_free_key);

  G_OBJECT_CLASS (vp_preferences_dialog_parent_class)->dispose (object);
}

static void
vp_preferences_dialog_class_init (VpPreferencesDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vp_preferences_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/com/voxparse/CallBrowser/vp-preferences-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, VpPreferencesDialog, url_entry);
  gtk_widget_class_bind_template_child (widget_class, VpPreferencesDialog, url_error_label);
  gtk_widget_class_bind_template_child (widget_class, VpPreferencesDialog, key_entry);
  gtk_widget_class_bind_template_child (widget_class, VpPreferencesDialog, test_button);
  gtk_widget_class_bind_template_child (widget_class, VpPreferencesDialog, test_spinner);
  gtk_widget_class_bind_template_child (widget_class, VpPreferencesDialog, test_image);
  gtk_widget_class_bind_template_child (widget_class, VpPreferencesDialog, test_label);
  gtk_widget_class_bind_template_child (widget_class, VpPreferencesDialog, page_size_spin);
  gtk_widget_class_bind_template_child (widget_class, VpPreferencesDialog, cache_check);
  gtk_widget_class_bind_template_child_full (widget_class, "style_default_check", FALSE,
                                             G_STRUCT_OFFSET (VpPreferencesDialog, style_checks[0]));
  gtk_widget_class_bind_template_child_full (widget_class, "style_light_check", FALSE,
                                             G_STRUCT_OFFSET (VpPreferencesDialog, style_checks[1]));
  gtk_widget_class_bind_template_child_full (widget_class, "style_dark_check", FALSE,
                                             G_STRUCT_OFFSET (VpPreferencesDialog, style_checks[2]));
  gtk_widget_class_bind_template_child (widget_class, VpPreferencesDialog, save_button);
  gtk_widget_class_bind_template_child (widget_class, VpPreferencesDialog, save_error_label);
  gtk_widget_class_bind_template_callback (widget_class, on_url_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_key_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_test_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_save_clicked_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
vp_preferences_dialog_init (VpPreferencesDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->settings = vp_settings_try_new ();

  vp_preferences_dialog_load (self);
}
