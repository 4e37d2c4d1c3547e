/* fuzz-job-page.c: libFuzzer harness for the list-page and job bodies
 *
 * The same bytes are read as a /v1/jobs page, as a /v1/jobs/{id} job, as
 * /v1/pricing, and as an error body: each must give data or a GError.
 * A page the fast path (vp-page-scanner.c) accepts must give the very
 * jobs json-glib's way gives.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vp-job-private.h"
#include "vp-page-scanner-private.h"
#include "vp-responses-private.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GBytes) body = g_bytes_new (data, size);
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(VpJob) job = NULL;
  g_autoptr(VpPricing) pricing = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  page = _vp_responses_parse_job_page (body, &error);
  g_assert ((page == NULL) != (error == NULL));
  g_clear_error (&error);

  {
    g_autoptr(GPtrArray) fast = _vp_page_scanner_read_jobs (body);
    g_autoptr(GPtrArray) slow = _vp_responses_parse_job_page_slow (body, NULL);

    if (fast != NULL)
      {
        g_assert (slow != NULL);
        g_assert (fast->len == slow->len);
        for (guint i = 0; i < fast->len; i++)
          g_assert (_vp_job_equal (g_ptr_array_index (fast, i), g_ptr_array_index (slow, i)));
      }
  }

  if (page != NULL)
    for (guint i = 0; i < page->len; i++)
      {
        VpJob *listed = g_ptr_array_index (page, i);

        g_assert (vp_job_get_id (listed) != NULL);
        (void) vp_job_status_to_string (vp_job_get_status (listed));
        (void) vp_job_get_created_at (listed);
        if (i > 0)
          vp_job_update_from (listed, listed);
      }

  job = _vp_responses_parse_job (body, &error);
  g_assert ((job == NULL) != (error == NULL));
  g_clear_error (&error);

  pricing = _vp_responses_parse_pricing (body, &error);
  g_assert ((pricing == NULL) != (error == NULL));
  g_clear_error (&error);

  message = _vp_responses_error_message (body);

  return 0;
}
