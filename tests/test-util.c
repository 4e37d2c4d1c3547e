/* test-util.c: what the tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-util"

#include "config.h"

#include "test-util.h"

gboolean
test_tick_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

void
test_store_result_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  *slot = g_object_ref (result);
}

GAsyncResult *
test_wait_for_result (GAsyncResult **slot)
{
  WAIT_UNTIL (*slot != NULL);

  return *slot;
}

GPtrArray *
test_list_jobs (VpClient *client,
                guint     limit,
                guint     offset)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *jobs;

  vp_client_list_jobs_async (client, limit, offset, NULL, test_store_result_cb, &result);
  jobs = vp_client_list_jobs_finish (client, test_wait_for_result (&result), &error);
  g_assert_no_error (error);

  return jobs;
}

VpJob *
test_get_job (VpClient   *client,
              const char *job_id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  VpJob *job;

  vp_client_get_job_async (client, job_id, NULL, test_store_result_cb, &result);
  job = vp_client_get_job_finish (client, test_wait_for_result (&result), &error);
  g_assert_no_error (error);

  return job;
}

VpResult *
test_get_result (VpClient *client,
                 VpJob    *job)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  VpResult *call;

  vp_client_get_result_async (client, job, NULL, test_store_result_cb, &result);
  call = vp_client_get_result_finish (client, test_wait_for_result (&result), &error);
  g_assert_no_error (error);

  return call;
}
