/* vp-result.h: the result of a completed job (/v1/jobs/{id}/result)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "vp-analysis.h"

G_BEGIN_DECLS

typedef struct {
  double  start;
  double  end;
  char   *text;
} VpSegment;

typedef struct {
  double  start;
  double  end;
  char   *word;
} VpWord;

#define VP_TYPE_RESULT (vp_result_get_type ())
G_DECLARE_FINAL_TYPE (VpResult, vp_result, VP, RESULT, GObject)

/* Parses a whole response body.  Blocking and CPU-bound for large bodies:
 * call it from a worker thread (VpClient does).  Fails with
 * VP_CLIENT_ERROR_INVALID_RESPONSE when the body is not a JSON object. */
VpResult           *vp_result_new_from_bytes         (GBytes       *body,
                                                      GError      **error);

const char         *vp_result_get_transcript         (VpResult     *self);
double              vp_result_get_duration_seconds   (VpResult     *self); /* -1 if not given */
const char         *vp_result_get_language           (VpResult     *self);
const VpSegment    *vp_result_get_segments           (VpResult     *self,
                                                      guint        *n_segments);
const VpWord       *vp_result_get_words              (VpResult     *self,
                                                      guint        *n_words);
/* NULL when the result had no "ai_analysis" object */
VpAnalysis         *vp_result_get_analysis           (VpResult     *self);
gboolean            vp_result_is_lite                (VpResult     *self);
const char * const *vp_result_get_warnings           (VpResult     *self);
const char * const *vp_result_get_problems           (VpResult     *self);
/* The body exactly as the server sent it */
GBytes             *vp_result_get_bytes              (VpResult     *self);

G_END_DECLS
