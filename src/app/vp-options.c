/* vp-options.c: where the server URL and API key come from
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vp-options"

#include "config.h"

#include <string.h>

#include "vp-client.h"
#include "vp-options.h"

static char *
dup_env_nonempty (const char *name)
{
  const char *value = g_getenv (name);

  g_assert (name != NULL);

  if (value == NULL || *value == '\0')
    return NULL;

  return g_strdup (value);
}

void
vp_connection_options_resolve (VpConnectionOptions *options)
{
  g_return_if_fail (options != NULL);

  if (options->base_url == NULL || *options->base_url == '\0')
    {
      g_free (options->base_url);
      options->base_url = dup_env_nonempty ("VOXPARSE_BASE_URL");
    }

  if (options->base_url == NULL)
    options->base_url = g_strdup (VP_CLIENT_DEFAULT_BASE_URL);

  if (options->api_key == NULL || *options->api_key == '\0')
    {
      g_free (options->api_key);
      options->api_key = dup_env_nonempty ("VOXPARSE_API_KEY");
    }
}

void
vp_connection_options_clear (VpConnectionOptions *options)
{
  g_return_if_fail (options != NULL);

  g_clear_pointer (&options->base_url, g_free);
  /* The key is a secret: do not leave it lying around in freed memory. */
  if (options->api_key != NULL)
    {
      memset (options->api_key, 0, strlen (options->api_key));
      g_clear_pointer (&options->api_key, g_free);
    }
  options->demo = FALSE;
}

/* Every long option voxparse-browser and its commands take, and GLib's and
 * GApplication's own. */
static const char * const known_options[] = {
  "api-key", "base-url", "demo",
  "format", "job", "limit", "mask-pii", "output", "status",
  "help", "help-all", "help-gapplication", "gapplication-service",
  NULL
};

char **
vp_options_redact_unknown (int    argc,
                           char **argv)
{
  char **copy = g_new0 (char *, argc + 1);

  for (int i = 0; i < argc; i++)
    {
      const char *arg = argv[i];
      const char *equals = strchr (arg, '=');

      if (g_str_has_prefix (arg, "--") && equals != NULL)
        {
          g_autofree char *name = g_strndup (arg + 2, equals - arg - 2);

          if (!g_strv_contains (known_options, name))
            {
              copy[i] = g_strdup_printf ("--%s=…", name);
              continue;
            }
        }

      copy[i] = g_strdup (arg);
    }

  return copy;
}
