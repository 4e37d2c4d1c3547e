/* vp-tooltip.c: a widget's tooltip, handed to GTK when it is asked for
 *
 * gtk_widget_set_tooltip_text() (and the tooltip-text property of a .ui
 * file) on a visible widget re-queries the tooltip as if the pointer had
 * moved: GTK 4.8 on X11 asks the server for the client pointer, for where
 * it is, and syncs, three round trips each time.  Set on the window's
 * controls while it was built, that made 27 of the 180 round trips before
 * its first frame: about 6 ms of start-up (bench-startup, README).
 *
 * A widget given its text here only gets has-tooltip, which costs
 * nothing; GTK receives the text in ::query-tooltip, when the pointer
 * rests on the widget.  Screen readers get it as the widget's accessible
 * description, as gtk_widget_set_tooltip_text() gives it.  The one thing lost: a tooltip already on screen
 * keeps its old text until the pointer moves, so this is for text that
 * does not change while it is read.  VpJobRow does the same for its own
 * tooltip, which it writes from the job.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vp-tooltip"

#include "config.h"

#include "vp-tooltip.h"

static GQuark
tooltip_text_quark (void)
{
  static GQuark quark;

  if (G_UNLIKELY (quark == 0))
    quark = g_quark_from_static_string ("vp-tooltip-text");

  return quark;
}

static gboolean
on_query_tooltip_cb (GtkWidget  *widget,
                     int         x,
                     int         y,
                     gboolean    keyboard_tooltip,
                     GtkTooltip *tooltip,
                     gpointer    user_data)
{
  const char *text = vp_tooltip_get_text (widget);

  if (text == NULL)
    return FALSE;

  gtk_tooltip_set_text (tooltip, text);

  return TRUE;
}

/**
 * vp_tooltip_set_text:
 * @widget: a widget
 * @text: (nullable): its tooltip, or %NULL for none
 *
 * Gives @widget a tooltip the way gtk_widget_set_tooltip_text() does,
 * without asking the display server anything: see above.
 */
void
vp_tooltip_set_text (GtkWidget  *widget,
                     const char *text)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  if (text != NULL && *text == '\0')
    text = NULL;

  if (text != NULL &&
      g_signal_handler_find (widget, G_SIGNAL_MATCH_FUNC, 0, 0, NULL,
                             on_query_tooltip_cb, NULL) == 0)
    g_signal_connect (widget, "query-tooltip", G_CALLBACK (on_query_tooltip_cb), NULL);

  g_object_set_qdata_full (G_OBJECT (widget), tooltip_text_quark (),
                           g_strdup (text), g_free);
  gtk_widget_set_has_tooltip (widget, text != NULL);

  if (text != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text,
                                    -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (widget),
                                   GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
}

/**
 * vp_tooltip_get_text:
 * @widget: a widget
 *
 * Returns: (nullable): the text vp_tooltip_set_text() gave @widget
 */
const char *
vp_tooltip_get_text (GtkWidget *widget)
{
  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);

  return g_object_get_qdata (G_OBJECT (widget), tooltip_text_quark ());
}
