/* vp-welcome-page.c: the first page when no API key is known
 *
 * Two ways on: explore the sample calls (the in-process sandbox), or enter
 * a server address and an API key.  The page only collects; the window acts
 * on its "explore-samples" and "connect" signals.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vp-welcome-page"

#include "config.h"

#include "vp-format.h"
#include <glib/gi18n.h>

#include "vp-client.h"
#include "vp-secret-store.h"
#include "vp-settings.h"
#include "vp-url.h"
#include "vp-welcome-page.h"

struct _VpWelcomePage
{
  GtkWidget         parent_instance;

  GtkEntry         *url_entry;
  GtkLabel         *url_error_label;
  GtkPasswordEntry *key_entry;
  GtkCheckButton   *remember_check;
  GtkButton        *connect_button;
};

G_DEFINE_FINAL_TYPE (VpWelcomePage, vp_welcome_page, GTK_TYPE_WIDGET)

enum {
  EXPLORE_SAMPLES,
  CONNECT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
update_connect_sensitivity (VpWelcomePage *self)
{
  const char *url;
  const char *key;

  g_assert (VP_IS_WELCOME_PAGE (self));

  url = gtk_editable_get_text (GTK_EDITABLE (self->url_entry));
  key = gtk_editable_get_text (GTK_EDITABLE (self->key_entry));

  gtk_widget_set_sensitive (GTK_WIDGET (self->connect_button),
                            url != NULL && *url != '\0' && key != NULL && *key != '\0');
}

static void
on_entry_changed_cb (VpWelcomePage *self)
{
  g_assert (VP_IS_WELCOME_PAGE (self));

  gtk_widget_set_visible (GTK_WIDGET (self->url_error_label), FALSE);
  gtk_widget_remove_css_class (GTK_WIDGET (self->url_entry), "error");
  update_connect_sensitivity (self);
}

static void
on_key_stored_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!vp_secret_store_save_finish (result, &error))
    g_message ("The API key could not be stored in the keyring: %s", error->message);
}

/* The server goes to the settings, the key to the keyring: the next start
 * opens on the list. */
static void
remember (const char *base_url,
          const char *api_key)
{
  g_autoptr(GSettings) settings = vp_settings_try_new ();

  g_assert (base_url != NULL);
  g_assert (api_key != NULL);

  if (settings != NULL)
    g_settings_set_string (settings, "server-url",
                           g_str_equal (base_url, VP_CLIENT_DEFAULT_BASE_URL) ? "" : base_url);

  vp_secret_store_save_async (base_url, api_key, NULL, on_key_stored_cb, NULL);
}

static void
on_explore_clicked_cb (VpWelcomePage *self,
                       GtkButton     *button)
{
  g_assert (VP_IS_WELCOME_PAGE (self));

  g_signal_emit (self, signals[EXPLORE_SAMPLES], 0);
}

static void
on_connect_cb (VpWelcomePage *self)
{
  g_autofree char *url = NULL;
  g_autoptr(GError) error = NULL;
  const char *key;

  g_assert (VP_IS_WELCOME_PAGE (self));

  if (!gtk_widget_get_sensitive (GTK_WIDGET (self->connect_button)))
    return;

  url = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->url_entry))));
  key = gtk_editable_get_text (GTK_EDITABLE (self->key_entry));

  /* No key goes to a server that would receive it unencrypted. */
  if (!vp_url_check_server (url, &error))
    {
      gtk_label_set_text (self->url_error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->url_error_label), TRUE);
      gtk_widget_add_css_class (GTK_WIDGET (self->url_entry), "error");
      gtk_widget_grab_focus (GTK_WIDGET (self->url_entry));
      return;
    }

  if (gtk_check_button_get_active (self->remember_check))
    remember (url, key);

  g_signal_emit (self, signals[CONNECT], 0, url, key);

  /* The key now lives in the client; do not keep it on screen. */
  gtk_editable_set_text (GTK_EDITABLE (self->key_entry), "");
}

void
vp_welcome_page_set_base_url (VpWelcomePage *self,
                              const char    *base_url)
{
  g_return_if_fail (VP_IS_WELCOME_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->url_entry), base_url ? base_url : "");
}

static void
vp_welcome_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), VP_TYPE_WELCOME_PAGE);
  vp_widget_unparent_children (GTK_WIDGET (object));

  G_OBJECT_CLASS (vp_welcome_page_parent_class)->dispose (object);
}

static void
vp_welcome_page_class_init (VpWelcomePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vp_welcome_page_dispose;

  /**
   * VpWelcomePage::explore-samples:
   *
   * The user wants to look at the sample calls.
   */
  signals[EXPLORE_SAMPLES] =
    g_signal_new ("explore-samples",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  /**
   * VpWelcomePage::connect:
   * @base_url: the server address
   * @api_key: the key
   */
  signals[CONNECT] =
    g_signal_new ("connect",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "vpwelcomepage");
  gtk_widget_class_set_template_from_resource (widget_class, "/com/voxparse/CallBrowser/vp-welcome-page.ui");
  gtk_widget_class_bind_template_child (widget_class, VpWelcomePage, url_entry);
  gtk_widget_class_bind_template_child (widget_class, VpWelcomePage, url_error_label);
  gtk_widget_class_bind_template_child (widget_class, VpWelcomePage, key_entry);
  gtk_widget_class_bind_template_child (widget_class, VpWelcomePage, remember_check);
  gtk_widget_class_bind_template_child (widget_class, VpWelcomePage, connect_button);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_explore_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_connect_cb);
}

static void
vp_welcome_page_init (VpWelcomePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  update_connect_sensitivity (self);
}
