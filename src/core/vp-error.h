/* vp-error.h: the errors the VoxParse client reports
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define VP_CLIENT_ERROR (vp_client_error_quark ())

/**
 * VpClientError:
 * @VP_CLIENT_ERROR_CANNOT_CONNECT: the server could not be reached, or the
 *   connection broke before a whole response arrived
 * @VP_CLIENT_ERROR_UNAUTHORIZED: the server answered 401: no key or a wrong key
 * @VP_CLIENT_ERROR_NOT_FOUND: the server answered 404
 * @VP_CLIENT_ERROR_RATE_LIMITED: the server answered 429; see
 *   vp_client_error_get_retry_after()
 * @VP_CLIENT_ERROR_SERVER_ERROR: the server answered 5xx
 * @VP_CLIENT_ERROR_INVALID_RESPONSE: the body is not JSON, or not of the
 *   shape the API documents
 * @VP_CLIENT_ERROR_BAD_REQUEST: any other 4xx answer
 * @VP_CLIENT_ERROR_INVALID_URL: the configured base URL cannot be used
 *
 * Distinct codes a user interface can act on.
 */
typedef enum {
  VP_CLIENT_ERROR_CANNOT_CONNECT,
  VP_CLIENT_ERROR_UNAUTHORIZED,
  VP_CLIENT_ERROR_NOT_FOUND,
  VP_CLIENT_ERROR_RATE_LIMITED,
  VP_CLIENT_ERROR_SERVER_ERROR,
  VP_CLIENT_ERROR_INVALID_RESPONSE,
  VP_CLIENT_ERROR_BAD_REQUEST,
  VP_CLIENT_ERROR_INVALID_URL,
} VpClientError;

GQuark   vp_client_error_quark           (void);

GError  *vp_client_error_new_http        (guint         http_status,
                                          guint         retry_after_seconds,
                                          const char   *server_message);
guint    vp_client_error_get_retry_after (const GError *error);
guint    vp_client_error_get_http_status (const GError *error);

G_END_DECLS
