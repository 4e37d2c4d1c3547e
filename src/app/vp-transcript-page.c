/* vp-transcript-page.c: the Transcript pane of a call
 *
 * The cleaned transcript as a conversation: each turn starts with its
 * speaker's name in bold on a line of its own ("Agent", "Customer"), and
 * customer turns are indented, so the two sides differ by words and shape,
 * not by colour alone.  One GtkTextView per view keeps a four-hour call
 * fast and its text selectable and copyable.  A switcher at the top leads
 * to the raw transcript and to the timed segments.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vp-transcript-page"

#include "config.h"

#include <glib/gi18n.h>

#include "vp-format.h"
#include "vp-transcript-page.h"

struct _VpTranscriptPage
{
  GtkWidget    parent_instance;

  GtkStack    *stack;
  GtkStack    *view_stack;
  GtkTextView *conversation_view;
  GtkTextView *raw_view;
  GtkTextView *segments_view;

  GtkTextTag  *agent_tag;
  GtkTextTag  *customer_tag;
};

G_DEFINE_FINAL_TYPE (VpTranscriptPage, vp_transcript_page, GTK_TYPE_WIDGET)

static gboolean
prefers_dark (VpTranscriptPage *self)
{
  GtkSettings *settings = gtk_widget_get_settings (GTK_WIDGET (self));
  g_autofree char *theme = NULL;
  gboolean dark = FALSE;

  g_assert (VP_IS_TRANSCRIPT_PAGE (self));

  g_object_get (settings,
                "gtk-application-prefer-dark-theme", &dark,
                "gtk-theme-name", &theme,
                NULL);

  return dark || (theme != NULL && g_str_has_suffix (theme, "-dark"));
}

/* Text tags cannot follow CSS, so the speaker colours follow the theme by
 * hand. */
static void
update_tag_colors (VpTranscriptPage *self)
{
  gboolean dark;

  g_assert (VP_IS_TRANSCRIPT_PAGE (self));

  dark = prefers_dark (self);
  g_object_set (self->agent_tag, "foreground", dark ? "#78aeed" : "#1a5fb4", NULL);
  g_object_set (self->customer_tag, "foreground", dark ? "#dc8add" : "#813d9c", NULL);
}

static void
create_tags (VpTranscriptPage *self)
{
  GtkTextBuffer *buffer;

  g_assert (VP_IS_TRANSCRIPT_PAGE (self));

  buffer = gtk_text_view_get_buffer (self->conversation_view);

  self->agent_tag = gtk_text_buffer_create_tag (buffer, "agent",
                                                "weight", PANGO_WEIGHT_BOLD,
                                                "pixels-above-lines", 14,
                                                "pixels-below-lines", 2,
                                                NULL);
  self->customer_tag = gtk_text_buffer_create_tag (buffer, "customer",
                                                   "weight", PANGO_WEIGHT_BOLD,
                                                   "pixels-above-lines", 14,
                                                   "pixels-below-lines", 2,
                                                   "left-margin", 48,
                                                   NULL);
  gtk_text_buffer_create_tag (buffer, "agent-text", NULL);
  gtk_text_buffer_create_tag (buffer, "customer-text",
                              "left-margin", 48,
                              NULL);
  gtk_text_buffer_create_tag (buffer, "other-text",
                              "pixels-above-lines", 14,
                              NULL);

  buffer = gtk_text_view_get_buffer (self->segments_view);
  gtk_text_buffer_create_tag (buffer, "time",
                              "family", "monospace",
                              "weight", PANGO_WEIGHT_BOLD,
                              NULL);

  update_tag_colors (self);
}

static void
fill_conversation (VpTranscriptPage *self,
                   const char       *transcript)
{
  g_autoptr(GPtrArray) turns = NULL;
  GtkTextBuffer *buffer;
  GtkTextIter iter;

  g_assert (VP_IS_TRANSCRIPT_PAGE (self));

  buffer = gtk_text_view_get_buffer (self->conversation_view);
  gtk_text_buffer_set_text (buffer, "", 0);
  gtk_text_buffer_get_start_iter (buffer, &iter);

  turns = vp_split_turns (transcript);

  for (guint i = 0; i < turns->len; i++)
    {
      const VpTurn *turn = g_ptr_array_index (turns, i);
      const char *speaker_tag = NULL;
      const char *text_tag = "other-text";
      const char *speaker = NULL;

      switch (turn->speaker)
        {
        case VP_SPEAKER_AGENT:
          speaker = _("Agent");
          speaker_tag = "agent";
          text_tag = "agent-text";
          break;

        case VP_SPEAKER_CUSTOMER:
          speaker = _("Customer");
          speaker_tag = "customer";
          text_tag = "customer-text";
          break;

        case VP_SPEAKER_NONE:
        default:
          break;
        }

      if (i > 0)
        gtk_text_buffer_insert (buffer, &iter, "\n", 1);

      if (speaker != NULL)
        {
          gtk_text_buffer_insert_with_tags_by_name (buffer, &iter, speaker, -1, speaker_tag, NULL);
          gtk_text_buffer_insert_with_tags_by_name (buffer, &iter, "\n", 1, speaker_tag, NULL);
        }

      gtk_text_buffer_insert_with_tags_by_name (buffer, &iter, turn->text, -1, text_tag, NULL);
    }
}

static void
fill_segments (VpTranscriptPage *self,
               VpResult         *result)
{
  g_autoptr(GString) line = g_string_new (NULL);
  const VpSegment *segments;
  GtkTextBuffer *buffer;
  GtkTextIter iter;
  guint n_segments = 0;

  g_assert (VP_IS_TRANSCRIPT_PAGE (self));
  g_assert (VP_IS_RESULT (result));

  buffer = gtk_text_view_get_buffer (self->segments_view);
  gtk_text_buffer_set_text (buffer, "", 0);
  gtk_text_buffer_get_start_iter (buffer, &iter);

  segments = vp_result_get_segments (result, &n_segments);

  if (segments == NULL || n_segments == 0)
    {
      gtk_text_buffer_insert (buffer, &iter, _("The server sent no timed segments for this call."), -1);
      return;
    }

  for (guint i = 0; i < n_segments; i++)
    {
      g_autofree char *start = vp_format_offset (segments[i].start);

      if (i > 0)
        gtk_text_buffer_insert (buffer, &iter, "\n", 1);
      gtk_text_buffer_insert_with_tags_by_name (buffer, &iter, start, -1, "time", NULL);
      gtk_text_buffer_insert (buffer, &iter, "   ", 3);
      if (segments[i].text != NULL)
        gtk_text_buffer_insert (buffer, &iter, segments[i].text, -1);
    }
}

void
vp_transcript_page_set_result (VpTranscriptPage *self,
                               VpResult         *result)
{
  VpAnalysis *analysis;
  const char *cleaned = NULL;
  const char *raw;

  g_return_if_fail (VP_IS_TRANSCRIPT_PAGE (self));
  g_return_if_fail (result == NULL || VP_IS_RESULT (result));

  if (result == NULL)
    {
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->conversation_view), "", 0);
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->raw_view), "", 0);
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->segments_view), "", 0);
      gtk_stack_set_visible_child_name (self->stack, "none");
      return;
    }

  analysis = vp_result_get_analysis (result);
  if (analysis != NULL)
    cleaned = vp_analysis_get_transcript_cleaned (analysis);
  raw = vp_result_get_transcript (result);

  if ((cleaned == NULL || *cleaned == '\0') && (raw == NULL || *raw == '\0'))
    {
      gtk_stack_set_visible_child_name (self->stack, "none");
      return;
    }

  /* Without a cleaned transcript, the raw one is the best conversation we
   * have; it is split the same tolerant way. */
  fill_conversation (self, (cleaned != NULL && *cleaned != '\0') ? cleaned : raw);

  if (raw != NULL && *raw != '\0')
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->raw_view), raw, -1);
  else
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->raw_view),
                              _("The server sent no raw transcript for this call."), -1);

  fill_segments (self, result);

  gtk_stack_set_visible_child_name (self->stack, "content");
}

static void
on_settings_changed_cb (VpTranscriptPage *self)
{
  g_assert (VP_IS_TRANSCRIPT_PAGE (self));

  update_tag_colors (self);
}

static void
vp_transcript_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), VP_TYPE_TRANSCRIPT_PAGE);
  vp_widget_unparent_children (GTK_WIDGET (object));

  G_OBJECT_CLASS (vp_transcript_page_parent_class)->dispose (object);
}

static void
vp_transcript_page_class_init (VpTranscriptPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vp_transcript_page_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/com/voxparse/CallBrowser/vp-transcript-page.ui");
  gtk_widget_class_bind_template_child (widget_class, VpTranscriptPage, stack);
  gtk_widget_class_bind_template_child (widget_class, VpTranscriptPage, view_stack);
  gtk_widget_class_bind_template_child (widget_class, VpTranscriptPage, conversation_view);
  gtk_widget_class_bind_template_child (widget_class, VpTranscriptPage, raw_view);
  gtk_widget_class_bind_template_child (widget_class, VpTranscriptPage, segments_view);
}

static void
vp_transcript_page_init (VpTranscriptPage *self)
{
  GtkSettings *settings;

  gtk_widget_init_template (GTK_WIDGET (self));

  create_tags (self);

  settings = gtk_widget_get_settings (GTK_WIDGET (self));
  g_signal_connect_object (settings, "notify::gtk-application-prefer-dark-theme",
                           G_CALLBACK (on_settings_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (settings, "notify::gtk-theme-name",
                           G_CALLBACK (on_settings_changed_cb), self, G_CONNECT_SWAPPED);
}
