/* test-widget-util.h: finding widgets in a window's tree
 *
 * For the widget tests and the window benchmarks, which drive the app
 * through its real widgets.  Kept apart from test-util.h, which every
 * test links and which stays GTK-free.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef gboolean (*TestWidgetMatch) (GtkWidget     *widget,
                                     gconstpointer  data);

/* The first widget of @root's tree, @root included, depth first, that
 * @match accepts; NULL if none */
GtkWidget *test_find_widget       (GtkWidget       *root,
                                   TestWidgetMatch  match,
                                   gconstpointer    data);
/* … of @type (or a subtype) */
GtkWidget *test_find_of_type      (GtkWidget       *root,
                                   GType            type);
/* … of @type, built from a .ui file with the id @buildable_id */
GtkWidget *test_find_by_id        (GtkWidget       *root,
                                   GType            type,
                                   const char      *buildable_id);
/* … a GtkButton labelled @label (as written, with its underline) */
GtkWidget *test_find_button       (GtkWidget       *root,
                                   const char      *label);
/* … whose CSS name is @css_name */
GtkWidget *test_find_by_css_name  (GtkWidget       *root,
                                   const char      *css_name);

/* Adds the app's style sheet to the default display, as VpApplication
 * does: windows made without the application are then sized as users see
 * them */
void       test_load_app_style    (void);
/* Logs (g_test_message) the widgets of @widget's tree at least 300 px wide
 * or tall at their smallest, indented by @depth: which widgets make a
 * window too large */
void       test_report_wide       (GtkWidget       *widget,
                                   guint            depth);

G_END_DECLS
