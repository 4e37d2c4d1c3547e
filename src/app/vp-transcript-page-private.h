/* vp-transcript-page-private.h: what tests may ask the Transcript pane
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vp-transcript-page.h"

G_BEGIN_DECLS

/* TRUE while the texts are being prepared or inserted, or a search runs */
gboolean     _vp_transcript_page_is_busy            (VpTranscriptPage *self);
/* @name: "conversation", "raw" or "segments" */
GtkTextView *_vp_transcript_page_get_view           (VpTranscriptPage *self,
                                                     const char       *name);
/* The text of @view (one of the above), which a view hidden behind the
 * switcher is given only once it is shown */
GtkTextBuffer *_vp_transcript_page_get_buffer       (VpTranscriptPage *self,
                                                     GtkTextView      *view);
void         _vp_transcript_page_show_view          (VpTranscriptPage *self,
                                                     const char       *name);
const char  *_vp_transcript_page_get_visible_view   (VpTranscriptPage *self);
/* Opens the find bar and searches for @text at once (without the entry's
 * typing delay) */
void         _vp_transcript_page_find               (VpTranscriptPage *self,
                                                     const char       *text);
/* The number of matches so far, and the current one (-1 if none) with its
 * character offsets in the searched view's buffer */
guint        _vp_transcript_page_get_n_matches      (VpTranscriptPage *self);
int          _vp_transcript_page_get_current_match  (VpTranscriptPage *self,
                                                     int              *start,
                                                     int              *end);
/* "3 of 17" */
const char  *_vp_transcript_page_get_match_label    (VpTranscriptPage *self);
/* What selecting the time of segment @index does */
gboolean     _vp_transcript_page_jump_to_segment    (VpTranscriptPage *self,
                                                     guint             index);

G_END_DECLS
