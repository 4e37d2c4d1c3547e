/* vp-secret-store.h: the API key in the Secret Service (libsecret)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The schema's name, as seen by `secret-tool` and Seahorse. */
#define VP_SECRET_SCHEMA_NAME "com.voxparse.CallBrowser.ApiKey"

/* Stores @api_key for @server (a base URL; a trailing slash does not
 * matter), replacing the one stored before. */
void      vp_secret_store_save_async    (const char           *server,
                                         const char           *api_key,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
gboolean  vp_secret_store_save_finish   (GAsyncResult         *result,
                                         GError              **error);

/* Finishes with the key stored for @server, or NULL (and no error) when
 * there is none.  Free the key with vp_secret_store_free_key(). */
void      vp_secret_store_lookup_async  (const char           *server,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
char     *vp_secret_store_lookup_finish (GAsyncResult         *result,
                                         GError              **error);

/* Forgets the key of @server.  Finishes TRUE when one was removed. */
void      vp_secret_store_clear_async   (const char           *server,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
gboolean  vp_secret_store_clear_finish  (GAsyncResult         *result,
                                         GError              **error);

/* Overwrites the key's memory, then frees it.  NULL is fine. */
void      vp_secret_store_free_key      (char                 *api_key);

G_END_DECLS
