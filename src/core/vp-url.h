/* vp-url.h: whether a server address may be given the API key
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* TRUE for a host name or address of this machine: "localhost" (and
 * "*.localhost"), 127.0.0.0/8 and ::1. */
gboolean vp_url_is_loopback_host (const char  *host);

/* Checks a server's base URL before any key is sent to it: it must be an
 * absolute http:// or https:// URL with a host, and plain http:// is only
 * accepted to a loopback address, since the key would otherwise travel
 * unencrypted.  Fails with VP_CLIENT_ERROR_INVALID_URL and a message for
 * people. */
gboolean vp_url_check_server      (const char  *url,
                                   GError     **error);

G_END_DECLS
