/* vp-secret-store.c: the API key in the Secret Service (libsecret)
 *
 * One secret per server, found by the schema com.voxparse.CallBrowser.ApiKey
 * and its "server" attribute (the base URL without a trailing slash).  The
 * Secret Service (GNOME Keyring, KWallet, or the Secret portal inside a
 * Flatpak) keeps it encrypted; this file never writes the key anywhere
 * else, and never prints or logs it: debug messages name the server only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vp-secret-store"

#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>
#include <string.h>

#include "vp-secret-store.h"

static const SecretSchema *
get_schema (void)
{
  static const SecretSchema schema = {
    VP_SECRET_SCHEMA_NAME, SECRET_SCHEMA_NONE,
    {
      { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

/* "https://api.voxparse.com/" and "https://api.voxparse.com" are one server. */
static char *
normalize_server (const char *server)
{
  g_autofree char *copy = NULL;
  gsize len;

  g_assert (server != NULL);

  copy = g_strstrip (g_strdup (server));
  len = strlen (copy);
  while (len > 0 && copy[len - 1] == '/')
    copy[--len] = '\0';

  return g_steal_pointer (&copy);
}

void
vp_secret_store_free_key (char *api_key)
{
  if (api_key == NULL)
    return;

  memset (api_key, 0, strlen (api_key));
  g_free (api_key);
}

static void
on_store_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!secret_password_store_finish (result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
vp_secret_store_save_async (const char          *server,
                            const char          *api_key,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *normalized = NULL;
  g_autofree char *label = NULL;

  g_return_if_fail (server != NULL);
  g_return_if_fail (api_key != NULL && *api_key != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, vp_secret_store_save_async);

  normalized = normalize_server (server);
  /* TRANSLATORS: the name of the key in the keyring (Seahorse shows it);
   * %s is the server address */
  label = g_strdup_printf (_("VoxParse API key for %s"), normalized);

  g_debug ("Storing the API key for %s", normalized);
  secret_password_store (get_schema (), SECRET_COLLECTION_DEFAULT,
                         label, api_key, cancellable,
                         on_store_cb, g_steal_pointer (&task),
                         "server", normalized,
                         NULL);
}

gboolean
vp_secret_store_save_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_lookup_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char *secret;

  secret = secret_password_lookup_finish (result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  g_debug ("%s API key found for %s",
           secret ? "An" : "No", (const char *) g_task_get_task_data (task));

  /* Ours to free with g_free(); libsecret's copy is wiped here. */
  g_task_return_pointer (task, g_strdup (secret), (GDestroyNotify) vp_secret_store_free_key);
  secret_password_free (secret);
}

void
vp_secret_store_lookup_async (const char          *server,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  char *normalized;

  g_return_if_fail (server != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, vp_secret_store_lookup_async);

  normalized = normalize_server (server);
  g_task_set_task_data (task, normalized, g_free);

  secret_password_lookup (get_schema (), cancellable,
                          on_lookup_cb, g_steal_pointer (&task),
                          "server", normalized,
                          NULL);
}

char *
vp_secret_store_lookup_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
on_clear_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  gboolean removed;

  removed = secret_password_clear_finish (result, &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, removed);
}

void
vp_secret_store_clear_async (const char          *server,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *normalized = NULL;

  g_return_if_fail (server != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, vp_secret_store_clear_async);

  normalized = normalize_server (server);
  secret_password_clear (get_schema (), cancellable,
                         on_clear_cb, g_steal_pointer (&task),
                         "server", normalized,
                         NULL);
}

gboolean
vp_secret_store_clear_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
