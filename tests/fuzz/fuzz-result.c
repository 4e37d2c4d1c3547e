/* fuzz-result.c: libFuzzer harness for a job's result body
 *
 * Everything a hostile server could send as /v1/jobs/{id}/result goes
 * through vp_result_new_from_bytes(); it must answer with a result or a
 * GError, never crash, hang or leak.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vp-result.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GBytes) body = g_bytes_new (data, size);
  g_autoptr(VpResult) result = NULL;
  g_autoptr(GError) error = NULL;

  result = vp_result_new_from_bytes (body, &error);
  g_assert ((result == NULL) != (error == NULL));

  if (result != NULL)
    {
      VpAnalysis *analysis = vp_result_get_analysis (result);
      guint n_segments = 0, n_words = 0;
      const VpSegment *segments = vp_result_get_segments (result, &n_segments);
      const VpWord *words = vp_result_get_words (result, &n_words);

      /* Touch what a window would read. */
      for (guint i = 0; i < n_segments; i++)
        g_assert (segments[i].text != NULL);
      for (guint i = 0; i < n_words; i++)
        g_assert (words[i].word != NULL);

      if (analysis != NULL)
        {
          double amount;

          (void) vp_analysis_get_transcript_cleaned (analysis);
          (void) vp_analysis_get_money (analysis, VP_MONEY_PENDING_BALANCE, &amount);
          (void) vp_analysis_get_sensitive_data_shared (analysis);
          (void) vp_analysis_is_lite (analysis);
        }
    }

  return 0;
}
