/* vp-font-preload.c: the fonts of the first frame, loaded in a worker
 *
 * The first time text of a given font is measured and drawn, Pango and
 * FreeType choose the font (fontconfig), load the face, and hint and
 * rasterise each glyph.  For the list of calls that was 4–7 ms of the
 * main thread's start-up, spent after the first page had arrived.
 *
 * vp_font_preload_start() reads, on the main thread, what GTK would give a
 * label of each style: its font, the font options and the resolution.  A
 * worker then lays out and draws sample text in each font, in a
 * PangoCairoFontMap of its own, while the main thread builds the window
 * and waits for the first page.  vp_font_preload_finish() takes that font
 * map over as the main thread's default (Pango's default font map is per
 * thread), so the widgets measured afterwards find the fonts loaded and
 * the glyphs in cairo's caches.  It does not wait for the worker to load
 * every font: the worker stops after the font it is on, and the main
 * thread loads what is left as it needs it.
 *
 * The font map is used by one thread at a time: by the worker until it
 * ends, then, after g_thread_join(), by the main thread only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vp-font-preload"

#include "config.h"

#include <pango/pangocairo.h>

#include "vp-font-preload.h"

/* The glyphs of the interface, in English and German */
#define SAMPLE_TEXT \
  "0123456789 ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdefghijklmnopqrstuvwxyz" \
  " .,:;!?'\"()-/$%&+\xc2\xb7\xe2\x80\xa6\xe2\x80\x93\xe2\x82\xac" \
  "\xc3\xa4\xc3\xb6\xc3\xbc\xc3\x84\xc3\x96\xc3\x9c\xc3\x9f"

/* CSS's "smaller" */
#define SMALLER_SCALE (1 / 1.2)

typedef struct {
  GPtrArray            *fonts;   /* of PangoFontDescription */
  cairo_font_options_t *options; /* NULL: cairo's defaults */
  double                resolution;
  PangoLanguage        *language;
  gboolean              round_glyph_positions;
} Preload;

static gboolean started;
static GThread *worker;     /* until finished */
static gint stop_requested; /* atomic: the font map is wanted now */

static void
preload_free (Preload *preload)
{
  g_ptr_array_unref (preload->fonts);
  g_clear_pointer (&preload->options, cairo_font_options_destroy);
  g_free (preload);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Preload, preload_free)

static gpointer
preload_worker (gpointer data)
{
  g_autoptr(Preload) preload = data;
  PangoFontMap *font_map = pango_cairo_font_map_new ();
  PangoContext *context = pango_font_map_create_context (font_map);
  PangoLayout *layout;
  cairo_surface_t *surface;
  cairo_t *cr;

  if (preload->options != NULL)
    pango_cairo_context_set_font_options (context, preload->options);
  pango_cairo_context_set_resolution (context, preload->resolution);
  pango_context_set_language (context, preload->language);
  pango_context_set_round_glyph_positions (context, preload->round_glyph_positions);

  layout = pango_layout_new (context);
  pango_layout_set_text (layout, SAMPLE_TEXT, -1);

  /* Drawn as well as measured: rendering needs the glyphs' images */
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 64, 64);
  cr = cairo_create (surface);

  /* Most used first: whatever is left when the window is shown, the main
   * thread loads itself as it needs it */
  for (guint i = 0; i < preload->fonts->len && !g_atomic_int_get (&stop_requested); i++)
    {
      int width, height;

      pango_layout_set_font_description (layout, g_ptr_array_index (preload->fonts, i));
      pango_layout_get_pixel_size (layout, &width, &height);
      cairo_move_to (cr, 0, 0);
      pango_cairo_show_layout (cr, layout);
    }

  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  g_object_unref (layout);
  g_object_unref (context);

  return font_map;
}

static void
add_font (Preload                    *preload,
          const PangoFontDescription *font,
          PangoWeight                 weight,
          double                      scale)
{
  PangoFontDescription *copy = pango_font_description_copy (font);
  int size = pango_font_description_get_size (copy);

  if (weight != 0)
    pango_font_description_set_weight (copy, weight);

  if (scale != 1.0)
    {
      if (pango_font_description_get_size_is_absolute (copy))
        pango_font_description_set_absolute_size (copy, size * scale);
      else
        pango_font_description_set_size (copy, (int) (size * scale));
    }

  g_ptr_array_add (preload->fonts, copy);
}

void
vp_font_preload_start (const char * const *styles)
{
  g_autoptr(Preload) preload = NULL;

  g_return_if_fail (styles != NULL && styles[0] != NULL);

  if (started)
    return;
  started = TRUE;

  preload = g_new0 (Preload, 1);
  preload->fonts = g_ptr_array_new_with_free_func ((GDestroyNotify) pango_font_description_free);

  for (guint i = 0; styles[i] != NULL; i++)
    {
      g_autoptr(GtkWidget) label = g_object_ref_sink (gtk_label_new (NULL));
      g_auto(GStrv) classes = g_strsplit (styles[i], " ", -1);
      const PangoFontDescription *font;
      PangoContext *context;

      gtk_widget_set_css_classes (label, (const char **) classes);
      context = gtk_widget_get_pango_context (label);
      font = pango_context_get_font_description (context);

      if (i > 0)
        add_font (preload, font, 0, 1.0);
      else
        {
          const cairo_font_options_t *options = pango_cairo_context_get_font_options (context);

          preload->options = options ? cairo_font_options_copy (options) : NULL;
          preload->resolution = pango_cairo_context_get_resolution (context);
          preload->language = pango_context_get_language (context);
          preload->round_glyph_positions = pango_context_get_round_glyph_positions (context);

          add_font (preload, font, 0, 1.0);
          add_font (preload, font, PANGO_WEIGHT_BOLD, 1.0);
          add_font (preload, font, 0, SMALLER_SCALE);
          add_font (preload, font, PANGO_WEIGHT_BOLD, SMALLER_SCALE);
        }
    }

  worker = g_thread_new ("vp-font-preload", preload_worker, g_steal_pointer (&preload));
}

void
vp_font_preload_finish (void)
{
  PangoFontMap *font_map;

  if (worker == NULL)
    return;

  g_atomic_int_set (&stop_requested, TRUE);
  font_map = g_thread_join (g_steal_pointer (&worker));
  pango_cairo_font_map_set_default (PANGO_CAIRO_FONT_MAP (font_map));
  g_object_unref (font_map);
}
