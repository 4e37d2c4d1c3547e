/* vp-url.c: whether a server address may be given the API key
 *
 * The API key travels in a request header, so a server reached over plain
 * http:// would see it go over the network unencrypted.  That is only
 * acceptable when the server is this very machine (a sandbox, a tunnel):
 * everything else must use https://.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vp-url"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "vp-error.h"
#include "vp-url.h"

gboolean
vp_url_is_loopback_host (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;
  g_autofree char *unbracketed = NULL;
  gsize len;

  g_return_val_if_fail (host != NULL, FALSE);

  if (g_ascii_strcasecmp (host, "localhost") == 0 ||
      g_ascii_strcasecmp (host, "localhost.") == 0)
    return TRUE;

  len = strlen (host);
  if (len > strlen (".localhost") &&
      g_ascii_strcasecmp (host + len - strlen (".localhost"), ".localhost") == 0)
    return TRUE;

  /* GUri gives IPv6 literals without brackets, people write them with. */
  if (len >= 2 && host[0] == '[' && host[len - 1] == ']')
    unbracketed = g_strndup (host + 1, len - 2);

  address = g_inet_address_new_from_string (unbracketed ? unbracketed : host);

  return address != NULL && g_inet_address_get_is_loopback (address);
}

gboolean
vp_url_check_server (const char  *url,
                     GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *host;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (url == NULL || *url == '\0')
    {
      g_set_error_literal (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_INVALID_URL,
                           _("Enter the address of the server, for example https://api.voxparse.com"));
      return FALSE;
    }

  uri = g_uri_parse (url, G_URI_FLAGS_ENCODED | G_URI_FLAGS_SCHEME_NORMALIZE, NULL);
  scheme = uri ? g_uri_get_scheme (uri) : NULL;
  host = uri ? g_uri_get_host (uri) : NULL;

  if (scheme == NULL || host == NULL || *host == '\0' ||
      (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0))
    {
      /* The address is not repeated: a key pasted in the wrong place
       * must not end up on the screen or in a log. */
      g_set_error_literal (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_INVALID_URL,
                           _("This is not a server address; it should look like https://api.voxparse.com"));
      return FALSE;
    }

  if (g_ascii_strcasecmp (scheme, "http") == 0 && !vp_url_is_loopback_host (host))
    {
      g_set_error_literal (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_INVALID_URL,
                           _("Use https:// — the API key would travel unencrypted"));
      return FALSE;
    }

  return TRUE;
}
