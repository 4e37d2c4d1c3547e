/* test-secret-store.c: one step of tests/test-secrets.sh
 *
 * Not a test by itself: test-secrets.sh runs it several times, each run a
 * new process (as an application restart would be), against a real
 * gnome-keyring-daemon in a private D-Bus session.  It goes through
 * VpSecretStore, the code the application uses:
 *
 *   test-secret-store store SERVER    key on stdin; also saves SERVER as
 *                                     the server-url setting, as Connect does
 *   test-secret-store lookup SERVER   key on stdin; exit 0 when the stored
 *                                     key is that key, 1 when another, 2 none
 *   test-secret-store clear SERVER
 *
 * The key comes on stdin so it never shows in a process list, and this
 * program never prints it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-secret-store"

#include "config.h"

#include <gio/gio.h>
#include <stdio.h>
#include <string.h>

#include "vp-secret-store.h"
#include "vp-settings.h"

typedef struct {
  GMainLoop *loop;
  GError    *error;
  char      *key;
  gboolean   done;
} Step;

static char *
read_key (void)
{
  char buffer[512];
  size_t len;

  len = fread (buffer, 1, sizeof buffer - 1, stdin);
  buffer[len] = '\0';
  g_strchomp (buffer);

  return g_strdup (buffer);
}

static void
on_stored_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Step *step = user_data;

  vp_secret_store_save_finish (result, &step->error);
  g_main_loop_quit (step->loop);
}

static void
on_looked_up_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Step *step = user_data;

  step->key = vp_secret_store_lookup_finish (result, &step->error);
  g_main_loop_quit (step->loop);
}

static void
on_cleared_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Step *step = user_data;

  step->done = vp_secret_store_clear_finish (result, &step->error);
  g_main_loop_quit (step->loop);
}

int
main (int    argc,
      char **argv)
{
  Step step = { 0 };
  g_autofree char *key = NULL;
  const char *command;
  const char *server;
  int status = 0;

  if (argc != 3)
    {
      g_printerr ("usage: %s store|lookup|clear SERVER\n", argv[0]);
      return 64;
    }

  command = argv[1];
  server = argv[2];
  step.loop = g_main_loop_new (NULL, FALSE);

  if (g_str_equal (command, "store"))
    {
      g_autoptr(GSettings) settings = vp_settings_try_new ();

      key = read_key ();
      if (settings == NULL)
        {
          g_printerr ("no settings schema\n");
          return 3;
        }
      g_settings_set_string (settings, "server-url", server);
      g_settings_sync ();

      vp_secret_store_save_async (server, key, NULL, on_stored_cb, &step);
      g_main_loop_run (step.loop);
    }
  else if (g_str_equal (command, "lookup"))
    {
      key = read_key ();
      vp_secret_store_lookup_async (server, NULL, on_looked_up_cb, &step);
      g_main_loop_run (step.loop);

      if (step.error == NULL)
        {
          if (step.key == NULL)
            status = 2;
          else if (!g_str_equal (step.key, key))
            status = 1;
          g_print ("%s\n", status == 0 ? "same key" : status == 1 ? "another key" : "no key");
        }
    }
  else if (g_str_equal (command, "clear"))
    {
      vp_secret_store_clear_async (server, NULL, on_cleared_cb, &step);
      g_main_loop_run (step.loop);
      if (step.error == NULL)
        g_print ("%s\n", step.done ? "removed" : "nothing to remove");
    }
  else
    {
      g_printerr ("unknown command %s\n", command);
      return 64;
    }

  if (step.error != NULL)
    {
      g_printerr ("%s failed: %s\n", command, step.error->message);
      status = 3;
    }

  g_clear_error (&step.error);
  vp_secret_store_free_key (step.key);
  if (key != NULL)
    memset (key, 0, strlen (key));
  g_main_loop_unref (step.loop);

  return status;
}
