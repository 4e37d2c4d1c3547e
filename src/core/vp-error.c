/* vp-error.c: the errors the VoxParse client reports
 *
 * The domain is an extended one (G_DEFINE_EXTENDED_ERROR): besides its code,
 * an error carries the HTTP status and, for 429, the Retry-After delay, so a
 * window can say "try again in 30 seconds" without parsing messages.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vp-error"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "vp-error.h"

typedef struct {
  guint http_status;
  guint retry_after;
} VpClientErrorPrivate;

static void
vp_client_error_private_init (VpClientErrorPrivate *priv)
{
  priv->http_status = 0;
  priv->retry_after = 0;
}

static void
vp_client_error_private_copy (const VpClientErrorPrivate *src,
                              VpClientErrorPrivate       *dest)
{
  *dest = *src;
}

static void
vp_client_error_private_clear (VpClientErrorPrivate *priv)
{
}

G_DEFINE_EXTENDED_ERROR (VpClientError, vp_client_error)

/**
 * vp_client_error_new_http:
 * @http_status: the status of the response, 400 or more
 * @retry_after_seconds: the Retry-After delay of a 429, or 0
 * @server_message: (nullable): the "error" the server gave, if any
 *
 * Returns: (transfer full): an error whose code says what the status means
 */
GError *
vp_client_error_new_http (guint       http_status,
                          guint       retry_after_seconds,
                          const char *server_message)
{
  VpClientErrorPrivate *priv;
  GError *error;
  VpClientError code;
  g_autofree char *message = NULL;

  g_return_val_if_fail (http_status >= 400, NULL);

  if (http_status == 401 || http_status == 403)
    {
      code = VP_CLIENT_ERROR_UNAUTHORIZED;
      message = g_strdup (_("The server did not accept the API key"));
    }
  else if (http_status == 404)
    {
      code = VP_CLIENT_ERROR_NOT_FOUND;
      message = g_strdup (_("The server has no such job or result"));
    }
  else if (http_status == 429)
    {
      code = VP_CLIENT_ERROR_RATE_LIMITED;
      if (retry_after_seconds > 0)
        message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                "Too many requests; the server asks to wait %u second",
                                                "Too many requests; the server asks to wait %u seconds",
                                                retry_after_seconds),
                                   retry_after_seconds);
      else
        message = g_strdup (_("Too many requests; the server asks to wait a moment"));
    }
  else if (http_status >= 500)
    {
      code = VP_CLIENT_ERROR_SERVER_ERROR;
      message = g_strdup_printf (_("The server had a problem (HTTP %u)"), http_status);
    }
  else
    {
      code = VP_CLIENT_ERROR_BAD_REQUEST;
      message = g_strdup_printf (_("The server refused the request (HTTP %u)"), http_status);
    }

  /* What the server said is kept, short, as a detail; it is the server's
   * text, never ours, and never contains the key we sent. */
  if (server_message != NULL && *server_message != '\0')
    {
      g_autofree char *detail = g_utf8_make_valid (server_message, MIN (strlen (server_message), 200));
      char *joined = g_strdup_printf ("%s: %s", message, detail);

      g_free (message);
      message = joined;
    }

  error = g_error_new_literal (VP_CLIENT_ERROR, code, message);
  priv = vp_client_error_get_private (error);
  priv->http_status = http_status;
  priv->retry_after = retry_after_seconds;

  return error;
}

/**
 * vp_client_error_get_retry_after:
 *
 * Returns: the delay in seconds the server asked for with a 429, or 0
 */
guint
vp_client_error_get_retry_after (const GError *error)
{
  VpClientErrorPrivate *priv;

  g_return_val_if_fail (error != NULL, 0);

  priv = vp_client_error_get_private (error);
  return priv != NULL ? priv->retry_after : 0;
}

/**
 * vp_client_error_get_http_status:
 *
 * Returns: the HTTP status behind the error, or 0 when there was none
 */
guint
vp_client_error_get_http_status (const GError *error)
{
  VpClientErrorPrivate *priv;

  g_return_val_if_fail (error != NULL, 0);

  priv = vp_client_error_get_private (error);
  return priv != NULL ? priv->http_status : 0;
}
