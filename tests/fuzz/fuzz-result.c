/* fuzz-result.c: libFuzzer harness for a job's result body
 *
 * Everything a hostile server could send as /v1/jobs/{id}/result goes
 * through vp_result_new_from_bytes(); it must answer with a result or a
 * GError, never crash, hang or leak.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "vp-result-private.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GBytes) body = g_bytes_new (data, size);
  g_autoptr(VpResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_autoptr(VpResult) slow = NULL;
  g_autoptr(GError) slow_error = NULL;

  result = vp_result_new_from_bytes (body, &error);
  g_assert ((result == NULL) != (error == NULL));

  /* Differential: the fast path for words and segments must read exactly
   * what json-glib reads, and refuse exactly what it refuses. */
  slow = _vp_result_new_from_bytes_slow (body, &slow_error);
  g_assert ((slow == NULL) == (result == NULL));
  if (result != NULL)
    {
      guint n_fast = 0, n_slow = 0;
      const VpWord *fast_words = vp_result_get_words (result, &n_fast);
      const VpWord *slow_words = vp_result_get_words (slow, &n_slow);
      const VpSegment *fast_segments;
      const VpSegment *slow_segments;

      g_assert (n_fast == n_slow);
      for (guint i = 0; i < n_fast; i++)
        {
          g_assert (strcmp (fast_words[i].word, slow_words[i].word) == 0);
          g_assert (fast_words[i].start == slow_words[i].start);
          g_assert (fast_words[i].end == slow_words[i].end);
        }

      fast_segments = vp_result_get_segments (result, &n_fast);
      slow_segments = vp_result_get_segments (slow, &n_slow);
      g_assert (n_fast == n_slow);
      for (guint i = 0; i < n_fast; i++)
        {
          g_assert (strcmp (fast_segments[i].text, slow_segments[i].text) == 0);
          g_assert (fast_segments[i].start == slow_segments[i].start);
          g_assert (fast_segments[i].end == slow_segments[i].end);
        }

      g_assert (g_strcmp0 (vp_result_get_transcript (result), vp_result_get_transcript (slow)) == 0);
      g_assert (vp_result_is_lite (result) == vp_result_is_lite (slow));
    }

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
