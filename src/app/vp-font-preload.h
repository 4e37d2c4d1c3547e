/* vp-font-preload.h: the fonts of the first frame, loaded in a worker
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* On the main thread, after gtk_init(): loads the fonts that labels with
 * the CSS classes of @styles (each a space-separated list; "" for plain
 * text) will use, with their glyphs, in a worker thread.  The plain style
 * also gets its bold and "smaller" variants.  Once started, later calls do
 * nothing. */
void vp_font_preload_start  (const char * const *styles);
/* On the main thread, before the first window is shown: lets the worker
 * finish the font it is on (fonts go most used first), then makes its font
 * map this thread's default, so that widgets find those fonts loaded.
 * Does nothing when nothing was started. */
void vp_font_preload_finish (void);

G_END_DECLS
