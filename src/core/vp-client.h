/* vp-client.h: asynchronous client of the VoxParse jobs API
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "vp-job.h"
#include "vp-pricing.h"
#include "vp-result.h"

G_BEGIN_DECLS

#define VP_CLIENT_DEFAULT_BASE_URL "https://api.voxparse.com"
#define VP_CLIENT_MAX_LIMIT 100

#define VP_TYPE_CLIENT (vp_client_get_type ())
G_DECLARE_FINAL_TYPE (VpClient, vp_client, VP, CLIENT, GObject)

/* @base_url: NULL for VP_CLIENT_DEFAULT_BASE_URL.  @api_key: may be NULL. */
VpClient   *vp_client_new                (const char           *base_url,
                                          const char           *api_key);
/* Same server, key and retry policy; connections of its own */
VpClient   *vp_client_dup                (VpClient             *self);
const char *vp_client_get_base_url       (VpClient             *self);
gboolean    vp_client_has_api_key        (VpClient             *self);
void        vp_client_set_api_key        (VpClient             *self,
                                          const char           *api_key);

/* GET /v1/jobs.  @limit is clamped to 1..100.  Finishes with a GPtrArray of
 * VpJob, newest first. */
void        vp_client_list_jobs_async    (VpClient             *self,
                                          guint                 limit,
                                          guint                 offset,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
GPtrArray  *vp_client_list_jobs_finish   (VpClient             *self,
                                          GAsyncResult         *result,
                                          GError              **error);

/* GET /v1/jobs/{job_id} */
void        vp_client_get_job_async      (VpClient             *self,
                                          const char           *job_id,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
VpJob      *vp_client_get_job_finish     (VpClient             *self,
                                          GAsyncResult         *result,
                                          GError              **error);

/* The job's result_url when it has one, else /v1/jobs/{id}/result.  The
 * body is parsed in a worker thread. */
void        vp_client_get_result_async   (VpClient             *self,
                                          VpJob                *job,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
VpResult   *vp_client_get_result_finish  (VpClient             *self,
                                          GAsyncResult         *result,
                                          GError              **error);
/* The same request, but the body is returned as it came, unparsed (the
 * caller parses it where it likes); errors as above, except that the body
 * is not checked to be JSON. */
void        vp_client_get_result_bytes_async  (VpClient             *self,
                                               VpJob                *job,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
GBytes     *vp_client_get_result_bytes_finish (VpClient             *self,
                                               GAsyncResult         *result,
                                               GError              **error);

/* GET /v1/pricing, sent without the key */
void        vp_client_get_pricing_async  (VpClient             *self,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
VpPricing  *vp_client_get_pricing_finish (VpClient             *self,
                                          GAsyncResult         *result,
                                          GError              **error);

G_END_DECLS
