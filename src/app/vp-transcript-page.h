/* vp-transcript-page.h: the Transcript pane of a call
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "vp-result.h"

G_BEGIN_DECLS

#define VP_TYPE_TRANSCRIPT_PAGE (vp_transcript_page_get_type ())
G_DECLARE_FINAL_TYPE (VpTranscriptPage, vp_transcript_page, VP, TRANSCRIPT_PAGE, GtkWidget)

void vp_transcript_page_set_result (VpTranscriptPage *self,
                                    VpResult         *result);

G_END_DECLS
