/* vp-format.h: how the window writes times, money, statuses and errors
 *
 * Small helpers shared by the widgets of the window; no widget state.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "vp-job.h"

G_BEGIN_DECLS

/* "12:34", "1:02:03"; NULL when @seconds < 0 */
char       *vp_format_duration         (double        seconds);
/* "0:07" / "12:34" / "1:02:03" for segment start times */
char       *vp_format_offset           (double        seconds);
/* "$0.30"; NULL when @cents < 0 */
char       *vp_format_cost_cents       (gint64        cents);
/* "$1,049.99" with the locale's separators */
char       *vp_format_money            (double        amount);
/* "Today 14:05", "Yesterday 09:12", "Nov 27 09:12", "Nov 27, 2024";
 * NULL for NULL */
char       *vp_format_date_short       (GDateTime    *utc);
/* "November 27, 2025 at 14:05" in local time; NULL for NULL */
char       *vp_format_date_long        (GDateTime    *utc);

/* The API's lower-case words ("retention", "resolved", "positive",
 * "credit card") as the window shows them, translated; an unknown word is
 * shown capitalized.  NULL for NULL or "". */
char       *vp_format_api_word         (const char   *word);

/* A kind of personal data of sensitive_data_shared ("credit card", "SSN
 * (last 4)") as the window shows it, translated; an unknown kind as it
 * is.  NULL for NULL or "". */
char       *vp_format_sensitive_kind   (const char   *kind);
/* "credit card, phone number" */
char       *vp_format_sensitive_kinds  (const char * const *kinds);

const char *vp_status_get_label        (VpJobStatus   status);
const char *vp_status_get_icon_name    (VpJobStatus   status);
/* A CSS class such as "status-completed" */
const char *vp_status_get_css_class    (VpJobStatus   status);

/* A sentence a reviewer understands, for any error of the client */
char       *vp_describe_error          (const GError *error);

/* Shows @value, or a dim "Not given" when @value is NULL or empty. */
void        vp_label_set_value         (GtkLabel     *label,
                                        const char   *value);
/* Same with a vector: one "• item" line each; "None" (dim) when empty. */
void        vp_label_set_list          (GtkLabel     *label,
                                        const char * const *items);

/* For dispose: removes what a template put in a GtkWidget subclass. */
void        vp_widget_unparent_children (GtkWidget   *widget);

/* One object of a GtkBuilder file that an instance keeps in a field: its
 * id, and the field's G_STRUCT_OFFSET(). */
typedef struct {
  const char *id;
  gsize       offset;
} VpBuilderField;

/* For the parts of a widget built on first use rather than in its template:
 * builds @resource_path with @instance as the current object (the one
 * swapped handlers get), the app's translation domain and the callbacks
 * given as name/GCallback pairs ending with NULL, and stores the objects
 * of @fields into @instance.  The caller takes what it needs, then drops
 * the builder. */
GtkBuilder *vp_builder_new_for_instance (gpointer              instance,
                                         const char           *resource_path,
                                         const VpBuilderField *fields,
                                         guint                 n_fields,
                                         const char           *first_callback_name,
                                         ...) G_GNUC_NULL_TERMINATED;

typedef enum {
  VP_SPEAKER_NONE,
  VP_SPEAKER_AGENT,
  VP_SPEAKER_CUSTOMER,
} VpSpeaker;

typedef struct {
  VpSpeaker  speaker;
  char      *text;
} VpTurn;

/* Splits "Agent: … Customer: …" into turns, whether the turns are on lines
 * of their own or run together.  Text before the first label (or all of it
 * when there is no label) is a turn of VP_SPEAKER_NONE.  Returns a GPtrArray
 * of VpTurn, freed with g_ptr_array_unref(). */
GPtrArray  *vp_split_turns             (const char   *transcript);

/* Lets a GtkStackSwitcher's buttons take the width of their own labels
 * instead of all the widest one's, so the window fits narrow screens. */
void        vp_stack_switcher_fit_labels (GtkStackSwitcher *switcher);

/* Gives the toggle button inside a GtkDropDown, which takes the focus, the
 * drop-down's own name: its (first) mnemonic label.  In GTK 4.8 that
 * button has none, and a screen reader says only "toggle button". */
void        vp_drop_down_name_button   (GtkDropDown  *drop_down);

G_END_DECLS
