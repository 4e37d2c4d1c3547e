/* vp-transcript-page.c: the Transcript pane of a call, built for reviewing
 *
 * The cleaned transcript as a conversation: each turn starts with its
 * speaker's name in bold on a line of its own ("Agent", "Customer"), and
 * customer turns are indented, so the two sides differ by words and shape,
 * not by colour alone.  One GtkTextView per view keeps a four-hour call
 * fast and its text selectable and copyable.  A switcher at the top leads
 * to the raw transcript and to the timed segments.
 *
 * For a reviewer:
 *  - Find (Ctrl+F): every match is marked, the current one stands out and
 *    is scrolled to; Enter/Ctrl+G and Shift+Enter/Ctrl+Shift+G move, "3 of
 *    17" counts.  The search runs from an idle in slices of a few
 *    milliseconds, so typing never waits for a long call to be searched.
 *  - Numbers that look like card, account, social security or phone
 *    numbers (vp_pii_find(), spoken or written) are marked; "Mask numbers"
 *    (GSettings mask-pii) shows them masked (vp_pii_mask_full()), still
 *    marked, for reading over a shoulder.
 *  - Text size (Ctrl+plus, Ctrl+minus, Ctrl+0; GSettings text-scale).
 *  - Each timed segment starts with its time; selecting the time (click,
 *    or Enter on the line) shows that moment in the conversation.
 *
 * The texts of the three views, their style runs and their numbers are
 * prepared away from the widgets (in a worker thread for a long call) and
 * then inserted, for a long call in slices from an idle, so that opening a
 * four-hour call never freezes the window.  While a long call fills, each
 * buffer is taken off its view (which shows an empty one) and given back
 * once whole, the shown view's first: text inserted into a displayed
 * buffer is laid out again after every slice, which took far longer than
 * the inserting, and came between the slices.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vp-transcript-page"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "vp-format.h"
#include "vp-pii.h"
#include "vp-placeholder.h"
#include "vp-settings.h"
#include "vp-transcript-page-private.h"

/* Below this much text, a call is prepared and shown at once */
#define SYNC_LIMIT_BYTES (64 * 1024)
/* How long one slice of filling or searching may keep the main loop */
#define SLICE_USEC 4000
/* Filling runs after a frame's drawing (GDK_PRIORITY_REDRAW) but before a
 * text view's background layout (GTK_TEXT_VIEW_PRIORITY_VALIDATE, 125), so
 * laying out the view given back first does not hold up the others. */
#define FILL_PRIORITY (G_PRIORITY_HIGH_IDLE + 22)
/* Text inserted per step while filling */
#define INSERT_CHUNK_BYTES (16 * 1024)
/* Characters searched per call of gtk_text_iter_forward_search() */
#define SEARCH_CHUNK_CHARS 8192
/* Paragraphs of a long transcript are broken at a sentence's end past this */
#define PARAGRAPH_BYTES 1500
#define BREAK_PIECES_OVER (32 * 1024)

#define TEXT_SCALE_MIN 0.6
#define TEXT_SCALE_MAX 2.5

enum {
  VIEW_CONVERSATION,
  VIEW_RAW,
  VIEW_SEGMENTS,
  N_VIEWS
};

static const char * const view_names[N_VIEWS] = { "conversation", "raw", "segments" };

typedef enum {
  TAG_AGENT,
  TAG_CUSTOMER,
  TAG_AGENT_TEXT,
  TAG_CUSTOMER_TEXT,
  TAG_OTHER_TEXT,
  TAG_TIME,
  TAG_PII,
  TAG_SEGMENT_TARGET,
  TAG_SEARCH_MATCH,
  TAG_SEARCH_CURRENT,
  N_TAGS
} TagId;

/* Created in this order, so the later ones win where they overlap */
static const char * const tag_names[N_TAGS] = {
  "agent", "customer", "agent-text", "customer-text", "other-text", "time",
  "pii", "segment-target", "search-match", "search-current",
};

static const double zoom_steps[] = {
  0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2, 1.35, 1.5, 1.7, 2.0, 2.5,
};

/* A tagged stretch of a view's text: byte offsets while it is prepared,
 * character offsets once it is ready to insert. */
typedef struct {
  gsize start;
  gsize end;
  guint tag;
} Run;

typedef struct {
  GString *text;
  GArray  *runs;       /* style runs, sorted, not overlapping */
  GArray  *pii;        /* the numbers found, sorted */
  GArray  *segments;   /* segments view: where each segment's text is */
} ViewText;

typedef struct {
  ViewText views[N_VIEWS];
  gboolean empty;
} Prepared;

typedef struct {
  VpResult *result;
  gboolean  mask;
} PrepareData;

typedef struct {
  int start;
  int end;
} Match;

struct _VpTranscriptPage
{
  GtkWidget       parent_instance;

  GtkStack       *stack;
  GtkStack       *view_stack;
  GtkTextView    *conversation_view;
  GtkTextView    *raw_view;
  GtkTextView    *segments_view;
  GtkSearchBar   *search_bar;
  GtkSearchEntry *search_entry;
  GtkLabel       *match_label;
  GtkButton      *zoom_reset_button;

  GtkTextView    *views[N_VIEWS];
  GtkTextTag     *tags[N_VIEWS][N_TAGS];
  /* The views' own buffers, and what a view shows while its own fills */
  GtkTextBuffer  *buffers[N_VIEWS];
  GtkTextBuffer  *empty_buffer;
  /* Whether a view's buffer is whole, to be shown once the view is */
  gboolean        ready[N_VIEWS];
  guint           width_ticks[N_VIEWS];

  GSettings      *settings;
  GtkCssProvider *scale_provider;
  double          text_scale;
  gboolean        mask_pii;

  /* What is shown */
  VpResult       *result;
  GArray         *segment_texts;   /* Run (character offsets) per segment */

  /* Preparing and filling */
  GCancellable   *prepare_cancellable;
  Prepared       *filling;
  guint           fill_source;
  guint           fill_view;       /* index into fill_order */
  guint           fill_order[N_VIEWS];
  guint           fill_phase;
  gsize           fill_pos;
  int             keep_view;       /* view whose place is kept over a refill, or -1 */
  int             keep_offset;

  /* Finding */
  GtkTextView    *search_view;
  char           *needle;
  GArray         *matches;         /* Match */
  int             current;
  int             search_pos;
  int             search_origin;
  guint           search_source;
  gboolean        searching;
  char           *match_text;

  /* Segments: the time pressed on */
  int             pressed_segment;
  GtkStackSwitcher *view_switcher;
};

enum {
  PROP_0,
  PROP_TEXT_SCALE,
  PROP_MASK_PII,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (VpTranscriptPage, vp_transcript_page, GTK_TYPE_WIDGET)

static void start_search  (VpTranscriptPage *self);
static void clear_search  (VpTranscriptPage *self);
static void prepare_and_fill (VpTranscriptPage *self);

/* Preparing the texts: no widgets here, this may run in a thread */

static void
prepared_free (Prepared *prepared)
{
  for (guint i = 0; i < N_VIEWS; i++)
    {
      if (prepared->views[i].text != NULL)
        g_string_free (prepared->views[i].text, TRUE);
      g_clear_pointer (&prepared->views[i].runs, g_array_unref);
      g_clear_pointer (&prepared->views[i].pii, g_array_unref);
      g_clear_pointer (&prepared->views[i].segments, g_array_unref);
    }

  g_free (prepared);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Prepared, prepared_free)

static void
prepare_data_free (PrepareData *data)
{
  g_clear_object (&data->result);
  g_free (data);
}

static void
add_run (GArray *runs,
         gsize   start,
         gsize   end,
         guint   tag)
{
  Run run = { start, end, tag };

  g_assert (runs != NULL);

  if (end > start)
    g_array_append_val (runs, run);
}

/* A paragraph of a GtkTextView is laid out whole: a four-hour transcript
 * on one line would stall the window each time it changes.  Long pieces
 * (hours, not minutes) are broken into paragraphs after the end of a sentence, by turning that
 * space into a line break: the same number of bytes, so the offsets found
 * before (the numbers) stay right. */
static void
break_paragraphs (GString *text,
                  gsize    from)
{
  gsize paragraph_start = from;

  g_assert (text != NULL);

  /* A usual call reads exactly as the server sent it */
  if (text->len - from < BREAK_PIECES_OVER)
    return;

  for (gsize i = from + 1; i + 1 < text->len; i++)
    {
      char c = text->str[i - 1];

      if (text->str[i] == '\n')
        paragraph_start = i + 1;
      else if (text->str[i] == ' ' && (c == '.' || c == '?' || c == '!') &&
               i - paragraph_start >= PARAGRAPH_BYTES)
        {
          text->str[i] = '\n';
          paragraph_start = i + 1;
        }
    }
}

/* Appends @piece to @view, tagged @tag (or not, if -1), with its numbers
 * found and, if @mask, masked.  Returns where the piece starts, in bytes. */
static gsize
append_piece (ViewText   *view,
              const char *piece,
              int         tag,
              gboolean    find_pii,
              gboolean    mask)
{
  g_autoptr(GArray) spans = NULL;
  g_autofree char *masked = NULL;
  gsize offset;

  g_assert (view != NULL);
  g_assert (piece != NULL);

  offset = view->text->len;

  if (find_pii && mask)
    masked = vp_pii_mask_full (piece, &spans);
  else if (find_pii)
    spans = vp_pii_find (piece);

  g_string_append (view->text, masked != NULL ? masked : piece);
  break_paragraphs (view->text, offset);

  for (guint i = 0; spans != NULL && i < spans->len; i++)
    {
      const VpPiiSpan *span = &g_array_index (spans, VpPiiSpan, i);

      add_run (view->pii, offset + span->start, offset + span->end, TAG_PII);
    }

  if (tag >= 0)
    add_run (view->runs, offset, view->text->len, tag);

  return offset;
}

static void
prepare_conversation (ViewText   *view,
                      const char *transcript,
                      gboolean    mask)
{
  g_autoptr(GPtrArray) turns = NULL;

  g_assert (view != NULL);
  g_assert (transcript != NULL);

  turns = vp_split_turns (transcript);

  for (guint i = 0; i < turns->len; i++)
    {
      const VpTurn *turn = g_ptr_array_index (turns, i);
      int speaker_tag = -1;
      int text_tag = TAG_OTHER_TEXT;
      const char *speaker = NULL;

      switch (turn->speaker)
        {
        case VP_SPEAKER_AGENT:
          speaker = _("Agent");
          speaker_tag = TAG_AGENT;
          text_tag = TAG_AGENT_TEXT;
          break;

        case VP_SPEAKER_CUSTOMER:
          speaker = _("Customer");
          speaker_tag = TAG_CUSTOMER;
          text_tag = TAG_CUSTOMER_TEXT;
          break;

        case VP_SPEAKER_NONE:
        default:
          break;
        }

      if (i > 0)
        g_string_append_c (view->text, '\n');

      if (speaker != NULL)
        {
          g_autofree char *line = g_strconcat (speaker, "\n", NULL);

          append_piece (view, line, speaker_tag, FALSE, FALSE);
        }

      append_piece (view, turn->text, text_tag, TRUE, mask);
    }
}

static void
prepare_segments (ViewText *view,
                  VpResult *result,
                  gboolean  mask)
{
  const VpSegment *segments;
  guint n_segments = 0;

  g_assert (view != NULL);
  g_assert (VP_IS_RESULT (result));

  segments = vp_result_get_segments (result, &n_segments);

  if (segments == NULL || n_segments == 0)
    {
      append_piece (view, _("The server sent no timed segments for this call."), -1, FALSE, FALSE);
      return;
    }

  for (guint i = 0; i < n_segments; i++)
    {
      g_autofree char *start = vp_format_offset (segments[i].start);
      g_autofree char *text = g_strdup (segments[i].text != NULL ? segments[i].text : "");
      gsize text_start;

      /* One segment, one line: the line number is the segment's index */
      g_strdelimit (text, "\r\n", ' ');

      if (i > 0)
        g_string_append_c (view->text, '\n');
      append_piece (view, start, TAG_TIME, FALSE, FALSE);
      g_string_append (view->text, "   ");
      text_start = append_piece (view, text, -1, TRUE, mask);
      {
        /* Even an empty segment has its place */
        Run run = { text_start, view->text->len, 0 };

        g_array_append_val (view->segments, run);
      }
    }
}

/* Byte offsets to character offsets, in one walk (the runs are sorted and
 * do not overlap, so their offsets only grow). */
static void
runs_to_chars (const char *text,
               GArray     *runs)
{
  const char *p = text;
  gsize chars = 0;

  g_assert (text != NULL);
  g_assert (runs != NULL);

  for (guint i = 0; i < runs->len; i++)
    {
      Run *run = &g_array_index (runs, Run, i);
      gsize *offsets[2] = { &run->start, &run->end };

      for (guint k = 0; k < 2; k++)
        {
          const char *target = text + *offsets[k];

          g_assert (target >= p);
          while (p < target)
            {
              p = g_utf8_next_char (p);
              chars++;
            }
          *offsets[k] = chars;
        }
    }
}

static Prepared *
prepare (VpResult *result,
         gboolean  mask)
{
  g_autoptr(Prepared) prepared = g_new0 (Prepared, 1);
  VpAnalysis *analysis;
  const char *cleaned = NULL;
  const char *raw;

  g_assert (VP_IS_RESULT (result));

  for (guint i = 0; i < N_VIEWS; i++)
    {
      prepared->views[i].text = g_string_new (NULL);
      prepared->views[i].runs = g_array_new (FALSE, FALSE, sizeof (Run));
      prepared->views[i].pii = g_array_new (FALSE, FALSE, sizeof (Run));
      prepared->views[i].segments = g_array_new (FALSE, FALSE, sizeof (Run));
    }

  analysis = vp_result_get_analysis (result);
  if (analysis != NULL)
    cleaned = vp_analysis_get_transcript_cleaned (analysis);
  raw = vp_result_get_transcript (result);

  if ((cleaned == NULL || *cleaned == '\0') && (raw == NULL || *raw == '\0'))
    {
      prepared->empty = TRUE;
      return g_steal_pointer (&prepared);
    }

  /* Without a cleaned transcript, the raw one is the best conversation we
   * have; it is split the same tolerant way. */
  prepare_conversation (&prepared->views[VIEW_CONVERSATION],
                        (cleaned != NULL && *cleaned != '\0') ? cleaned : raw,
                        mask);

  if (raw != NULL && *raw != '\0')
    append_piece (&prepared->views[VIEW_RAW], raw, -1, TRUE, mask);
  else
    append_piece (&prepared->views[VIEW_RAW],
                  _("The server sent no raw transcript for this call."), -1, FALSE, FALSE);

  prepare_segments (&prepared->views[VIEW_SEGMENTS], result, mask);

  for (guint i = 0; i < N_VIEWS; i++)
    {
      runs_to_chars (prepared->views[i].text->str, prepared->views[i].runs);
      runs_to_chars (prepared->views[i].text->str, prepared->views[i].pii);
      runs_to_chars (prepared->views[i].text->str, prepared->views[i].segments);
    }

  return g_steal_pointer (&prepared);
}

static void
prepare_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  PrepareData *data = task_data;

  g_assert (G_IS_TASK (task));

  if (g_task_return_error_if_cancelled (task))
    return;

  g_task_return_pointer (task, prepare (data->result, data->mask),
                         (GDestroyNotify) prepared_free);
}

static gsize
result_size (VpResult *result)
{
  VpAnalysis *analysis = vp_result_get_analysis (result);
  const VpSegment *segments;
  guint n_segments = 0;
  gsize size = 0;

  g_assert (VP_IS_RESULT (result));

  if (vp_result_get_transcript (result) != NULL)
    size += strlen (vp_result_get_transcript (result));
  if (analysis != NULL && vp_analysis_get_transcript_cleaned (analysis) != NULL)
    size += strlen (vp_analysis_get_transcript_cleaned (analysis));
  segments = vp_result_get_segments (result, &n_segments);
  for (guint i = 0; i < n_segments; i++)
    size += segments[i].text != NULL ? strlen (segments[i].text) + 12 : 12;

  return size;
}

/* Colours: text tags cannot follow CSS, so they follow the theme by hand */

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

static void
update_tag_colors (VpTranscriptPage *self)
{
  gboolean dark;

  g_assert (VP_IS_TRANSCRIPT_PAGE (self));

  dark = prefers_dark (self);

  for (guint v = 0; v < N_VIEWS; v++)
    {
      GtkTextTag **tags = self->tags[v];

      g_object_set (tags[TAG_AGENT], "foreground", dark ? "#78aeed" : "#1a5fb4", NULL);
      g_object_set (tags[TAG_CUSTOMER], "foreground", dark ? "#dc8add" : "#813d9c", NULL);
      g_object_set (tags[TAG_TIME], "foreground", dark ? "#99c1f1" : "#1c71d8", NULL);
      /* Numbers: a rose band with a red underline, unlike any find colour */
      g_object_set (tags[TAG_PII],
                    "background", dark ? "#5e2430" : "#fbd3d9",
                    "underline", PANGO_UNDERLINE_SINGLE,
                    "underline-rgba", &(GdkRGBA) { dark ? 1.0 : 0.75, dark ? 0.48 : 0.11, dark ? 0.48 : 0.16, 1.0 },
                    NULL);
      g_object_set (tags[TAG_SEGMENT_TARGET], "paragraph-background", dark ? "#1c3a5e" : "#dbe8fb", NULL);
      g_object_set (tags[TAG_SEARCH_MATCH],
                    "background", dark ? "#6b5a00" : "#f9f06b",
                    "foreground", dark ? "#ffffff" : "#000000",
                    NULL);
      g_object_set (tags[TAG_SEARCH_CURRENT],
                    "background", dark ? "#e66100" : "#ff9f40",
                    "foreground", dark ? "#ffffff" : "#000000",
                    NULL);
    }
}

static void
create_tags (VpTranscriptPage *self)
{
  g_assert (VP_IS_TRANSCRIPT_PAGE (self));

  for (guint v = 0; v < N_VIEWS; v++)
    {
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->views[v]);
      GtkTextTag **tags = self->tags[v];

      tags[TAG_AGENT] = gtk_text_buffer_create_tag (buffer, tag_names[TAG_AGENT],
                                                    "weight", PANGO_WEIGHT_BOLD,
                                                    "pixels-above-lines", 14,
                                                    "pixels-below-lines", 2,
                                                    NULL);
      tags[TAG_CUSTOMER] = gtk_text_buffer_create_tag (buffer, tag_names[TAG_CUSTOMER],
                                                       "weight", PANGO_WEIGHT_BOLD,
                                                       "pixels-above-lines", 14,
                                                       "pixels-below-lines", 2,
                                                       "left-margin", 48,
                                                       NULL);
      tags[TAG_AGENT_TEXT] = gtk_text_buffer_create_tag (buffer, tag_names[TAG_AGENT_TEXT], NULL);
      tags[TAG_CUSTOMER_TEXT] = gtk_text_buffer_create_tag (buffer, tag_names[TAG_CUSTOMER_TEXT],
                                                            "left-margin", 48,
                                                            NULL);
      tags[TAG_OTHER_TEXT] = gtk_text_buffer_create_tag (buffer, tag_names[TAG_OTHER_TEXT],
                                                         "pixels-above-lines", 14,
                                                         NULL);
      tags[TAG_TIME] = gtk_text_buffer_create_tag (buffer, tag_names[TAG_TIME],
                                                   "family", "monospace",
                                                   "weight", PANGO_WEIGHT_BOLD,
                                                   NULL);
      for (guint t = TAG_PII; t < N_TAGS; t++)
        tags[t] = gtk_text_buffer_create_tag (buffer, tag_names[t], NULL);
    }

  update_tag_colors (self);
}

/* Text size */

static void
apply_text_scale (VpTranscriptPage *self)
{
  g_autofree char *css = NULL;
  g_autofree char *label = NULL;
  int percent;

  g_assert (VP_IS_TRANSCRIPT_PAGE (self));

  /* style.css sets transcripts at 1.05em; an integer percentage keeps the
   * CSS free of the locale's decimal separator. */
  percent = (int) (self->text_scale * 105.0 + 0.5);
  css = g_strdup_printf ("textview.transcript { font-size: %d%%; }", percent);
  gtk_css_provider_load_from_data (self->scale_provider, css, -1);

  /* Translators: the text size, e.g. "120%" */
  label = g_strdup_printf (_("%d%%"), (int) (self->text_scale * 100.0 + 0.5));
  gtk_button_set_label (self->zoom_reset_button, label);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "transcript.zoom-in",
                                 self->text_scale < TEXT_SCALE_MAX - 0.001);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "transcript.zoom-out",
                                 self->text_scale > TEXT_SCALE_MIN + 0.001);
}

static void
set_text_scale (VpTranscriptPage *self,
                double            scale)
{
  g_assert (VP_IS_TRANSCRIPT_PAGE (self));

  scale = CLAMP (scale, TEXT_SCALE_MIN, TEXT_SCALE_MAX);
  if (G_APPROX_VALUE (scale, self->text_scale, 0.0001))
    return;

  self->text_scale = scale;
  apply_text_scale (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXT_SCALE]);
}

static void
zoom_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  VpTranscriptPage *self = VP_TRANSCRIPT_PAGE (widget);
  double scale = self->text_scale;

  if (g_str_equal (action_name, "transcript.zoom-in"))
    {
      for (guint i = 0; i < G_N_ELEMENTS (zoom_steps); i++)
        if (zoom_steps[i] > self->text_scale + 0.001)
          {
            scale = zoom_steps[i];
            break;
          }
    }
  else if (g_str_equal (action_name, "transcript.zoom-out"))
    {
      for (guint i = G_N_ELEMENTS (zoom_steps); i > 0; i--)
        if (zoom_steps[i - 1] < self->text_scale - 0.001)
          {
            scale = zoom_steps[i - 1];
            break;
          }
    }
  else
    scale = 1.0;

  set_text_scale (self, scale);
}

/* Filling the views */

static int
top_offset (GtkTextView *view)
{
  GdkRectangle visible;
  GtkTextIter iter;

  g_assert (GTK_IS_TEXT_VIEW (view));

  if (!gtk_widget_get_mapped (GTK_WIDGET (view)))
    return 0;

  gtk_text_view_get_visible_rect (view, &visible);
  gtk_text_view_get_iter_at_location (view, &iter, visible.x, visible.y);

  return gtk_text_iter_get_offset (&iter);
}

static int
visible_view_index (VpTranscriptPage *self)
{
  const char *name = gtk_stack_get_visible_child_name (self->view_stack);

  g_assert (VP_IS_TRANSCRIPT_PAGE (self));

  for (guint i = 0; i < N_VIEWS; i++)
    if (g_strcmp0 (name, view_names[i]) == 0)
      return i;

  return VIEW_CONVERSATION;
}

static int
view_index (VpTranscriptPage *self,
            GtkTextView      *view)
{
  g_assert (VP_IS_TRANSCRIPT_PAGE (self));

  for (guint i = 0; i < N_VIEWS; i++)
    if (self->views[i] == view)
      return i;

  g_assert_not_reached ();
  return VIEW_CONVERSATION;
}

static gboolean show_buffer_tick_cb (GtkWidget     *widget,
                                     GdkFrameClock *clock,
                                     gpointer       user_data);

/* A view shows its buffer once the buffer is whole and the view is on
 * screen with a width, or at once when @force.  A view hidden behind the
 * switcher is not given it before: GTK would lay the whole text out for a
 * view zero pixels wide, a word a line, which for a long call held the
 * main loop for tens of milliseconds at a time. */
static void
show_buffer (VpTranscriptPage *self,
             guint             i,
             gboolean          force)
{
  GtkWidget *view;

  g_assert (VP_IS_TRANSCRIPT_PAGE (self));
  g_assert (i < N_VIEWS);

  view = GTK_WIDGET (self->views[i]);
  if (!self->ready[i] || gtk_text_view_get_buffer (self->views[i]) == self->buffers[i])
    return;

  if (force || (gtk_widget_get_mapped (view) && gtk_widget_get_width (view) > 0))
    gtk_text_view_set_buffer (self->views[i], self->buffers[i]);
  else if (gtk_widget_get_mapped (view) && self->width_ticks[i] == 0)
    /* Just shown: once it has been given its width */
    self->width_ticks[i] = gtk_widget_add_tick_callback (view, show_buffer_tick_cb, self, NULL);
}

static gboolean
show_buffer_tick_cb (GtkWidget     *widget,
                     GdkFrameClock *clock,
                     gpointer       user_data)
{
  VpTranscriptPage *self = user_data;
  guint i = view_index (self, GTK_TEXT_VIEW (widget));

  if (gtk_widget_get_mapped (widget) && gtk_widget_get_width (widget) == 0)
    return G_SOURCE_CONTINUE;

  self->width_ticks[i] = 0;
  show_buffer (self, i, FALSE);

  return G_SOURCE_REMOVE;
}

static void
on_view_map_cb (GtkTextView      *view,
                VpTranscriptPage *self)
{
  g_assert (VP_IS_TRANSCRIPT_PAGE (self));

  show_buffer (self, view_index (self, view), FALSE);
}

static void
scroll_to_offset (VpTranscriptPage *self,
                  guint             i,
                  int               offset,
                  double            yalign)
{
  GtkTextView *view = self->views[i];
  GtkTextBuffer *buffer = self->buffers[i];
  GtkTextMark *mark;
  GtkTextIter iter;

  g_assert (VP_IS_TRANSCRIPT_PAGE (self));

  show_buffer (self, i, TRUE);
  if (gtk_text_view_get_buffer (view) != buffer)
    return;

  gtk_text_buffer_get_iter_at_offset (buffer, &iter, offset);
  mark = gtk_text_buffer_get_mark (buffer, "vp-scroll");
  if (mark == NULL)
    mark = gtk_text_buffer_create_mark (buffer, "vp-scroll", &iter, TRUE);
  else
    gtk_text_buffer_move_mark (buffer, mark, &iter);

  /* A mark, not an iter: it waits for the lines to be measured.  Without
   * an alignment, the view moves only as far as keeps the place out of
   * the top and bottom quarters, where the eye does not look. */
  if (yalign >= 0)
    gtk_text_view_scroll_to_mark (view, mark, 0.0, TRUE, 0.0, yalign);
  else
    gtk_text_view_scroll_to_mark (view, mark, 0.25, FALSE, 0.0, 0.0);
}

/* Gives each view its own buffer back, if it was taken off for filling:
 * now if the view is shown, else when it is. */
static void
attach_buffers (VpTranscriptPage *self)
{
  g_assert (VP_IS_TRANSCRIPT_PAGE (self));

  for (guint i = 0; i < N_VIEWS; i++)
    {
      self->ready[i] = TRUE;
      show_buffer (self, i, FALSE);
    }
}

static void
cancel_fill (VpTranscriptPage *self)
{
  g_assert (VP_IS_TRANSCRIPT_PAGE (self));

  g_cancellable_cancel (self->prepare_cancellable);
  g_clear_object (&self->prepare_cancellable);
  g_clear_handle_id (&self->fill_source, g_source_remove);
  g_clear_pointer (&self->filling, prepared_free);
  if (self->buffers[0] != NULL)
    attach_buffers (self);
}

static void
finish_fill (VpTranscriptPage *self)
{
  g_autoptr(Prepared) prepared = NULL;

  g_assert (VP_IS_TRANSCRIPT_PAGE (self));
  g_assert (self->filling != NULL);

  prepared = g_steal_pointer (&self->filling);
  attach_buffers (self);
  g_clear_pointer (&self->segment_texts, g_array_unref);
  self->segment_texts = g_array_ref (prepared->views[VIEW_SEGMENTS].segments);

  if (self->keep_view >= 0)
    {
      scroll_to_offset (self, self->keep_view, self->keep_offset, 0.0);
      self->keep_view = -1;
    }

  if (gtk_search_bar_get_search_mode (self->search_bar))
    start_search (self);
}

/* One step of filling: some text, or some tags.  Returns TRUE when all is
 * in. */
static gboolean
fill_step (VpTranscriptPage *self,
           gint64            deadline)
{
  g_assert (VP_IS_TRANSCRIPT_PAGE (self));
  g_assert (self->filling != NULL);

  while (self->fill_view < N_VIEWS)
    {
      guint v = self->fill_order[self->fill_view];
      const ViewText *view = &self->filling->views[v];
      GtkTextBuffer *buffer = self->buffers[v];
      GtkTextTag **tags = self->tags[v];
      GArray *runs = self->fill_phase == 1 ? view->runs : view->pii;
      GtkTextIter start, end;

      if (self->fill_phase == 0)
        {
          /* The text, in chunks cut between characters */
          gsize len = view->text->len;
          gsize to = MIN (len, self->fill_pos + INSERT_CHUNK_BYTES);

          while (to < len && (view->text->str[to] & 0xC0) == 0x80)
            to--;

          gtk_text_buffer_get_end_iter (buffer, &end);
          gtk_text_buffer_insert (buffer, &end, view->text->str + self->fill_pos, to - self->fill_pos);
          self->fill_pos = to;

          if (self->fill_pos >= len)
            {
              self->fill_phase = 1;
              self->fill_pos = 0;
            }
        }
      else
        {
          /* The style runs, then the numbers */
          guint stop = MIN (runs->len, self->fill_pos + 256);

          for (; self->fill_pos < stop; self->fill_pos++)
            {
              const Run *run = &g_array_index (runs, Run, self->fill_pos);

              gtk_text_buffer_get_iter_at_offset (buffer, &start, run->start);
              gtk_text_buffer_get_iter_at_offset (buffer, &end, run->end);
              gtk_text_buffer_apply_tag (buffer, tags[run->tag], &start, &end);
            }

          if (self->fill_pos >= runs->len)
            {
              self->fill_pos = 0;
              if (self->fill_phase == 1)
                self->fill_phase = 2;
              else
                {
                  /* This view is whole: shown from now on */
                  self->ready[v] = TRUE;
                  show_buffer (self, v, FALSE);
                  self->fill_phase = 0;
                  self->fill_view++;
                }
            }
        }

      if (g_get_monotonic_time () >= deadline)
        break;
    }

  return self->fill_view >= N_VIEWS;
}

static gboolean
fill_idle_cb (gpointer user_data)
{
  VpTranscriptPage *self = user_data;

  g_assert (VP_IS_TRANSCRIPT_PAGE (self));

  if (!fill_step (self, g_get_monotonic_time () + SLICE_USEC))
    return G_SOURCE_CONTINUE;

  self->fill_source = 0;
  finish_fill (self);

  return G_SOURCE_REMOVE;
}

static void
start_fill (VpTranscriptPage *self,
            Prepared         *prepared,
            gboolean          at_once)
{
  GtkWidget *shown;

  g_assert (VP_IS_TRANSCRIPT_PAGE (self));
  g_assert (prepared != NULL);

  clear_search (self);
  g_clear_pointer (&self->segment_texts, g_array_unref);

  for (guint i = 0; i < N_VIEWS; i++)
    {
      gtk_text_buffer_set_text (self->buffers[i], "", 0);
      self->ready[i] = FALSE;
      /* Hidden views get their text when shown (show_buffer()) */
      if (!gtk_widget_get_mapped (GTK_WIDGET (self->views[i])))
        gtk_text_view_set_buffer (self->views[i], self->empty_buffer);
    }

  if (prepared->empty)
    {
      prepared_free (prepared);
      gtk_stack_set_visible_child_name (self->stack, "none");
      return;
    }

  self->filling = prepared;
  for (guint i = 0; i < N_VIEWS; i++)
    self->fill_order[i] = i;
  self->fill_view = 0;
  self->fill_phase = 0;
  self->fill_pos = 0;
  gtk_stack_set_visible_child_name (self->stack, "content");

  if (at_once)
    {
      fill_step (self, G_MAXINT64);
      finish_fill (self);
      return;
    }

  /* The shown view fills first, so it is the first to be given back */
  shown = gtk_stack_get_visible_child (self->view_stack);
  for (guint i = 0; i < N_VIEWS; i++)
    if (shown != NULL && gtk_widget_is_ancestor (GTK_WIDGET (self->views[i]), shown))
      {
        self->fill_order[0] = i;
        self->fill_order[i] = 0;
        break;
      }

  for (guint i = 0; i < N_VIEWS; i++)
    gtk_text_view_set_buffer (self->views[i], self->empty_buffer);
  self->fill_source = g_idle_add_full (FILL_PRIORITY, fill_idle_cb, self, NULL);
}

static void
prepare_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(VpTranscriptPage) self = user_data;
  g_autoptr(GError) error = NULL;
  Prepared *prepared;

  g_assert (VP_IS_TRANSCRIPT_PAGE (self));

  prepared = g_task_propagate_pointer (G_TASK (result), &error);
  if (prepared == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not prepare the transcript: %s", error->message);
      return;
    }

  /* A newer call (or masking) came in meanwhile */
  if (g_task_get_cancellable (G_TASK (result)) != self->prepare_cancellable)
    {
      prepared_free (prepared);
      return;
    }

  g_clear_object (&self->prepare_cancellable);
  start_fill (self, prepared, FALSE);
}

static void
prepare_and_fill (VpTranscriptPage *self)
{
  g_assert (VP_IS_TRANSCRIPT_PAGE (self));
  g_assert (VP_IS_RESULT (self->result));

  cancel_fill (self);

  if (result_size (self->result) < SYNC_LIMIT_BYTES)
    start_fill (self, prepare (self->result, self->mask_pii), TRUE);
  else
    {
      g_autoptr(GTask) task = NULL;
      PrepareData *data = g_new0 (PrepareData, 1);

      data->result = g_object_ref (self->result);
      data->mask = self->mask_pii;

      self->prepare_cancellable = g_cancellable_new ();
      task = g_task_new (NULL, self->prepare_cancellable, prepare_cb, g_object_ref (self));
      g_task_set_source_tag (task, prepare_and_fill);
      g_task_set_task_data (task, data, (GDestroyNotify) prepare_data_free);
      g_task_run_in_thread (task, prepare_thread);
    }
}

void
vp_transcript_page_set_result (VpTranscriptPage *self,
                               VpResult         *result)
{
  g_return_if_fail (VP_IS_TRANSCRIPT_PAGE (self));
  g_return_if_fail (result == NULL || VP_IS_RESULT (result));

  cancel_fill (self);
  self->keep_view = -1;

  if (result == NULL)
    {
      g_clear_object (&self->result);
      clear_search (self);
      g_clear_pointer (&self->segment_texts, g_array_unref);
      for (guint i = 0; i < N_VIEWS; i++)
        gtk_text_buffer_set_text (self->buffers[i], "", 0);
      gtk_stack_set_visible_child_name (self->stack, "none");
      return;
    }

  g_set_object (&self->result, result);
  prepare_and_fill (self);
}

static void
set_mask_pii (VpTranscriptPage *self,
              gboolean          mask)
{
  g_assert (VP_IS_TRANSCRIPT_PAGE (self));

  mask = !!mask;
  if (mask == self->mask_pii)
    return;

  self->mask_pii = mask;

  if (self->result != NULL)
    {
      int view = visible_view_index (self);

      /* Masking changes the text a little, not where one is reading */
      self->keep_offset = top_offset (self->views[view]);
      self->keep_view = view;
      prepare_and_fill (self);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MASK_PII]);
}

/* Finding */

static void
update_match_label (VpTranscriptPage *self)
{
  g_autofree char *text = NULL;
  guint n;

  g_assert (VP_IS_TRANSCRIPT_PAGE (self));

  n = self->matches->len;

  if (self->needle == NULL)
    text = g_strdup ("");
  else if (n == 0 && self->searching)
    text = g_strdup (_("Searching…"));
  else if (n == 0)
    text = g_strdup (_("No matches"));
  else if (self->searching)
    /* Translators: the current match and the matches found so far, while searching */
    text = g_strdup_printf (_("%d of %u…"), self->current + 1, n);
  else
    /* Translators: the current match and how many there are, e.g. "3 of 17" */
    text = g_strdup_printf (_("%d of %u"), self->current + 1, n);

  gtk_label_set_text (self->match_label, text);
  g_free (self->match_text);
  self->match_text = g_steal_pointer (&text);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "transcript.find-next", n > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "transcript.find-previous", n > 0);
}

static void
clear_search (VpTranscriptPage *self)
{
  g_assert (VP_IS_TRANSCRIPT_PAGE (self));

  g_clear_handle_id (&self->search_source, g_source_remove);
  self->searching = FALSE;

  if (self->search_view != NULL)
    {
      GtkTextBuffer *buffer = self->buffers[view_index (self, self->search_view)];
      GtkTextIter start, end;

      gtk_text_buffer_get_bounds (buffer, &start, &end);
      gtk_text_buffer_remove_tag_by_name (buffer, tag_names[TAG_SEARCH_MATCH], &start, &end);
      gtk_text_buffer_remove_tag_by_name (buffer, tag_names[TAG_SEARCH_CURRENT], &start, &end);
      self->search_view = NULL;
    }

  g_array_set_size (self->matches, 0);
  self->current = -1;
  g_clear_pointer (&self->needle, g_free);
  update_match_label (self);
}

static void
set_current_match (VpTranscriptPage *self,
                   int               index)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;
  const Match *match;

  g_assert (VP_IS_TRANSCRIPT_PAGE (self));
  g_assert (self->search_view != NULL);
  g_assert (index >= 0 && (guint) index < self->matches->len);

  buffer = self->buffers[view_index (self, self->search_view)];

  if (self->current >= 0)
    {
      match = &g_array_index (self->matches, Match, self->current);
      gtk_text_buffer_get_iter_at_offset (buffer, &start, match->start);
      gtk_text_buffer_get_iter_at_offset (buffer, &end, match->end);
      gtk_text_buffer_remove_tag_by_name (buffer, tag_names[TAG_SEARCH_CURRENT], &start, &end);
    }

  self->current = index;
  match = &g_array_index (self->matches, Match, index);
  gtk_text_buffer_get_iter_at_offset (buffer, &start, match->start);
  gtk_text_buffer_get_iter_at_offset (buffer, &end, match->end);
  gtk_text_buffer_apply_tag_by_name (buffer, tag_names[TAG_SEARCH_CURRENT], &start, &end);
  gtk_text_buffer_place_cursor (buffer, &start);
  scroll_to_offset (self, view_index (self, self->search_view), match->start, -1);

  update_match_label (self);
}

static gboolean
search_idle_cb (gpointer user_data)
{
  VpTranscriptPage *self = user_data;
  gint64 deadline = g_get_monotonic_time () + SLICE_USEC;
  GtkTextBuffer *buffer;
  int n_chars;
  int slack;

  g_assert (VP_IS_TRANSCRIPT_PAGE (self));
  g_assert (self->search_view != NULL);
  g_assert (self->needle != NULL);

  buffer = self->buffers[view_index (self, self->search_view)];
  n_chars = gtk_text_buffer_get_char_count (buffer);
  /* A match may start before a chunk's end and end after it */
  slack = 2 * g_utf8_strlen (self->needle, -1) + 8;

  while (self->search_pos < n_chars)
    {
      int chunk_end = MIN (n_chars, self->search_pos + SEARCH_CHUNK_CHARS);
      int next_pos = chunk_end;
      GtkTextIter iter, limit, match_start, match_end;

      gtk_text_buffer_get_iter_at_offset (buffer, &iter, self->search_pos);
      gtk_text_buffer_get_iter_at_offset (buffer, &limit, MIN (n_chars, chunk_end + slack));

      while (gtk_text_iter_forward_search (&iter, self->needle,
                                           GTK_TEXT_SEARCH_CASE_INSENSITIVE | GTK_TEXT_SEARCH_TEXT_ONLY,
                                           &match_start, &match_end, &limit))
        {
          Match match = {
            gtk_text_iter_get_offset (&match_start),
            gtk_text_iter_get_offset (&match_end),
          };

          if (match.start >= chunk_end)
            break;

          g_array_append_val (self->matches, match);
          gtk_text_buffer_apply_tag_by_name (buffer, tag_names[TAG_SEARCH_MATCH], &match_start, &match_end);
          next_pos = MAX (next_pos, match.end);

          if (self->current < 0 && match.start >= self->search_origin)
            set_current_match (self, self->matches->len - 1);

          iter = match_end;
        }

      self->search_pos = next_pos;

      if (g_get_monotonic_time () >= deadline)
        break;
    }

  if (self->search_pos < n_chars)
    {
      update_match_label (self);
      return G_SOURCE_CONTINUE;
    }

  self->search_source = 0;
  self->searching = FALSE;

  /* Nothing after where one was reading: the first match, then */
  if (self->current < 0 && self->matches->len > 0)
    set_current_match (self, 0);
  else
    update_match_label (self);

  return G_SOURCE_REMOVE;
}

static void
start_search (VpTranscriptPage *self)
{
  const char *text;

  g_assert (VP_IS_TRANSCRIPT_PAGE (self));

  clear_search (self);

  text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  if (!gtk_search_bar_get_search_mode (self->search_bar) || text == NULL || *text == '\0')
    return;

  /* The texts are not all in yet: searched once they are */
  if (self->filling != NULL || self->prepare_cancellable != NULL)
    {
      self->needle = g_strdup (text);
      self->searching = TRUE;
      update_match_label (self);
      return;
    }

  self->needle = g_strdup (text);
  self->search_view = self->views[visible_view_index (self)];
  self->search_origin = top_offset (self->search_view);
  self->search_pos = 0;
  self->searching = TRUE;
  update_match_label (self);

  self->search_source = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, search_idle_cb, self, NULL);
}

static void
move_match (VpTranscriptPage *self,
            int               delta)
{
  int n;

  g_assert (VP_IS_TRANSCRIPT_PAGE (self));

  if (!gtk_search_bar_get_search_mode (self->search_bar))
    {
      /* Ctrl+G after the bar was closed: find the same again */
      if (*gtk_editable_get_text (GTK_EDITABLE (self->search_entry)) != '\0')
        gtk_search_bar_set_search_mode (self->search_bar, TRUE);
      return;
    }

  n = self->matches->len;
  if (n == 0 || self->search_view == NULL)
    return;

  if (self->current < 0)
    set_current_match (self, delta > 0 ? 0 : n - 1);
  else
    set_current_match (self, (self->current + delta + n) % n);
}

static void
find_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  VpTranscriptPage *self = VP_TRANSCRIPT_PAGE (widget);

  if (g_str_equal (action_name, "transcript.find-next"))
    move_match (self, 1);
  else if (g_str_equal (action_name, "transcript.find-previous"))
    move_match (self, -1);
  else if (g_str_equal (action_name, "transcript.find-close"))
    gtk_search_bar_set_search_mode (self->search_bar, FALSE);
  else
    {
      gtk_search_bar_set_search_mode (self->search_bar, TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
      gtk_editable_select_region (GTK_EDITABLE (self->search_entry), 0, -1);
    }
}

static void
on_next_match_cb (VpTranscriptPage *self)
{
  g_assert (VP_IS_TRANSCRIPT_PAGE (self));

  move_match (self, 1);
}

static void
on_previous_match_cb (VpTranscriptPage *self)
{
  g_assert (VP_IS_TRANSCRIPT_PAGE (self));

  move_match (self, -1);
}

static void
on_search_changed_cb (VpTranscriptPage *self)
{
  const char *text;

  g_assert (VP_IS_TRANSCRIPT_PAGE (self));

  /* The same words on the same view: already found (or being found) */
  text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  if (self->needle != NULL && g_strcmp0 (text, self->needle) == 0 &&
      self->search_view == self->views[visible_view_index (self)])
    return;

  start_search (self);
}

static void
on_search_mode_cb (VpTranscriptPage *self)
{
  g_assert (VP_IS_TRANSCRIPT_PAGE (self));

  if (gtk_search_bar_get_search_mode (self->search_bar))
    start_search (self);
  else
    {
      clear_search (self);
      if (gtk_widget_get_mapped (GTK_WIDGET (self)))
        gtk_widget_grab_focus (GTK_WIDGET (self->views[visible_view_index (self)]));
    }
}

static gboolean
on_entry_key_pressed_cb (VpTranscriptPage *self,
                         guint             keyval,
                         guint             keycode,
                         GdkModifierType   state)
{
  g_assert (VP_IS_TRANSCRIPT_PAGE (self));

  if ((keyval == GDK_KEY_Return || keyval == GDK_KEY_KP_Enter || keyval == GDK_KEY_ISO_Enter) &&
      (state & GDK_SHIFT_MASK) != 0)
    {
      move_match (self, -1);
      return GDK_EVENT_STOP;
    }

  return GDK_EVENT_PROPAGATE;
}

static void
on_view_changed_cb (VpTranscriptPage *self)
{
  g_assert (VP_IS_TRANSCRIPT_PAGE (self));

  if (gtk_search_bar_get_search_mode (self->search_bar))
    start_search (self);
}

/* Segments */

/* The stretch of the conversation that reads @needle nearest @guess */
static gboolean
find_near (GtkTextBuffer *buffer,
           const char    *needle,
           int            guess,
           GtkTextIter   *out_start,
           GtkTextIter   *out_end)
{
  GtkTextSearchFlags flags = GTK_TEXT_SEARCH_CASE_INSENSITIVE | GTK_TEXT_SEARCH_TEXT_ONLY;
  GtkTextIter iter, fs, fe, bs, be;
  gboolean forward, backward;

  g_assert (GTK_IS_TEXT_BUFFER (buffer));
  g_assert (needle != NULL);

  gtk_text_buffer_get_iter_at_offset (buffer, &iter, guess);
  forward = gtk_text_iter_forward_search (&iter, needle, flags, &fs, &fe, NULL);
  /* Backwards, a match must end before the iter: one that starts just
   * before @guess counts too */
  gtk_text_buffer_get_iter_at_offset (buffer, &iter, guess + g_utf8_strlen (needle, -1));
  backward = gtk_text_iter_backward_search (&iter, needle, flags, &bs, &be, NULL);

  if (!forward && !backward)
    return FALSE;

  if (forward && (!backward ||
                  gtk_text_iter_get_offset (&fs) - guess <= guess - gtk_text_iter_get_offset (&bs)))
    {
      *out_start = fs;
      *out_end = fe;
    }
  else
    {
      *out_start = bs;
      *out_end = be;
    }

  return TRUE;
}

/* The first @n_words words of @text */
static char *
first_words (const char *text,
             guint       n_words)
{
  const char *p = text;

  g_assert (text != NULL);

  while (*p == ' ')
    p++;
  for (guint i = 0; *p != '\0' && i < n_words; i++)
    {
      while (*p != '\0' && *p != ' ')
        p++;
      if (i + 1 < n_words)
        while (*p == ' ')
          p++;
    }

  return g_strndup (text, p - text);
}

static gboolean
jump_to_segment (VpTranscriptPage *self,
                 guint             index)
{
  GtkTextBuffer *segments;
  GtkTextBuffer *conversation;
  g_autofree char *text = NULL;
  GtkTextIter start, end;
  const Run *run;
  gboolean found = FALSE;
  int n_chars;
  int guess;

  g_assert (VP_IS_TRANSCRIPT_PAGE (self));

  if (self->segment_texts == NULL || index >= self->segment_texts->len)
    return FALSE;

  segments = self->buffers[VIEW_SEGMENTS];
  conversation = self->buffers[VIEW_CONVERSATION];
  run = &g_array_index (self->segment_texts, Run, index);

  /* Where in the conversation, going by how far into the segments */
  n_chars = gtk_text_buffer_get_char_count (conversation);
  guess = (int) ((double) run->start / MAX (1, gtk_text_buffer_get_char_count (segments)) * n_chars);

  gtk_text_buffer_get_iter_at_offset (segments, &start, run->start);
  gtk_text_buffer_get_iter_at_offset (segments, &end, run->end);
  text = g_strstrip (gtk_text_buffer_get_text (segments, &start, &end, FALSE));

  if (*text != '\0')
    {
      /* The whole segment, else its first words (a cleaned transcript
       * may read a little differently) */
      static const guint tries[] = { 40, 8, 4 };

      for (guint i = 0; i < G_N_ELEMENTS (tries) && !found; i++)
        {
          g_autofree char *needle = first_words (text, tries[i]);

          found = find_near (conversation, needle, guess, &start, &end);
        }
    }

  if (!found)
    {
      gtk_text_buffer_get_iter_at_offset (conversation, &start, guess);
      gtk_text_iter_set_line_offset (&start, 0);
      end = start;
      gtk_text_iter_forward_to_line_end (&end);
    }

  {
    GtkTextIter all_start, all_end;

    gtk_text_buffer_get_bounds (conversation, &all_start, &all_end);
    gtk_text_buffer_remove_tag_by_name (conversation, tag_names[TAG_SEGMENT_TARGET], &all_start, &all_end);
  }
  gtk_text_buffer_apply_tag_by_name (conversation, tag_names[TAG_SEGMENT_TARGET], &start, &end);
  gtk_text_buffer_place_cursor (conversation, &start);

  gtk_stack_set_visible_child_name (self->view_stack, view_names[VIEW_CONVERSATION]);
  scroll_to_offset (self, VIEW_CONVERSATION, gtk_text_iter_get_offset (&start), 0.25);
  gtk_widget_grab_focus (GTK_WIDGET (self->conversation_view));

  return TRUE;
}

/* The segment whose time is at (@x, @y) of the segments view, or -1 */
static int
segment_time_at (VpTranscriptPage *self,
                 double            x,
                 double            y)
{
  GtkTextIter iter;
  int bx, by;

  g_assert (VP_IS_TRANSCRIPT_PAGE (self));

  if (self->segment_texts == NULL || self->segment_texts->len == 0)
    return -1;

  gtk_text_view_window_to_buffer_coords (self->segments_view, GTK_TEXT_WINDOW_WIDGET,
                                         (int) x, (int) y, &bx, &by);
  if (!gtk_text_view_get_iter_at_location (self->segments_view, &iter, bx, by))
    return -1;
  if (!gtk_text_iter_has_tag (&iter, self->tags[VIEW_SEGMENTS][TAG_TIME]))
    return -1;

  return gtk_text_iter_get_line (&iter);
}

static void
on_segment_pressed_cb (VpTranscriptPage *self,
                       int               n_press,
                       double            x,
                       double            y,
                       GtkGesture       *gesture)
{
  g_assert (VP_IS_TRANSCRIPT_PAGE (self));

  self->pressed_segment = segment_time_at (self, x, y);

  /* A time is a link: the press is ours, not the start of a selection */
  if (self->pressed_segment >= 0)
    gtk_gesture_set_state (gesture, GTK_EVENT_SEQUENCE_CLAIMED);
}

static void
on_segment_released_cb (VpTranscriptPage *self,
                        int               n_press,
                        double            x,
                        double            y)
{
  int segment;

  g_assert (VP_IS_TRANSCRIPT_PAGE (self));

  segment = segment_time_at (self, x, y);
  if (segment >= 0 && segment == self->pressed_segment)
    jump_to_segment (self, segment);

  self->pressed_segment = -1;
}

static void
on_segment_motion_cb (VpTranscriptPage *self,
                      double            x,
                      double            y)
{
  g_assert (VP_IS_TRANSCRIPT_PAGE (self));

  gtk_widget_set_cursor_from_name (GTK_WIDGET (self->segments_view),
                                   segment_time_at (self, x, y) >= 0 ? "pointer" : "text");
}

static gboolean
on_segment_key_pressed_cb (VpTranscriptPage *self,
                           guint             keyval,
                           guint             keycode,
                           GdkModifierType   state)
{
  GtkTextBuffer *buffer;
  GtkTextIter iter;

  g_assert (VP_IS_TRANSCRIPT_PAGE (self));

  if (keyval != GDK_KEY_Return && keyval != GDK_KEY_KP_Enter && keyval != GDK_KEY_ISO_Enter)
    return GDK_EVENT_PROPAGATE;

  buffer = self->buffers[VIEW_SEGMENTS];
  gtk_text_buffer_get_iter_at_mark (buffer, &iter, gtk_text_buffer_get_insert (buffer));

  return jump_to_segment (self, gtk_text_iter_get_line (&iter)) ? GDK_EVENT_STOP : GDK_EVENT_PROPAGATE;
}

/* Private API, for tests */

gboolean
_vp_transcript_page_is_busy (VpTranscriptPage *self)
{
  g_return_val_if_fail (VP_IS_TRANSCRIPT_PAGE (self), FALSE);

  return self->filling != NULL || self->prepare_cancellable != NULL || self->searching;
}

GtkTextView *
_vp_transcript_page_get_view (VpTranscriptPage *self,
                              const char       *name)
{
  g_return_val_if_fail (VP_IS_TRANSCRIPT_PAGE (self), NULL);

  for (guint i = 0; i < N_VIEWS; i++)
    if (g_strcmp0 (name, view_names[i]) == 0)
      return self->views[i];

  g_return_val_if_reached (NULL);
}

GtkTextBuffer *
_vp_transcript_page_get_buffer (VpTranscriptPage *self,
                                GtkTextView      *view)
{
  g_return_val_if_fail (VP_IS_TRANSCRIPT_PAGE (self), NULL);
  g_return_val_if_fail (GTK_IS_TEXT_VIEW (view), NULL);

  return self->buffers[view_index (self, view)];
}

void
_vp_transcript_page_show_view (VpTranscriptPage *self,
                               const char       *name)
{
  g_return_if_fail (VP_IS_TRANSCRIPT_PAGE (self));

  gtk_stack_set_visible_child_name (self->view_stack, name);
}

const char *
_vp_transcript_page_get_visible_view (VpTranscriptPage *self)
{
  g_return_val_if_fail (VP_IS_TRANSCRIPT_PAGE (self), NULL);

  return gtk_stack_get_visible_child_name (self->view_stack);
}

void
_vp_transcript_page_find (VpTranscriptPage *self,
                          const char       *text)
{
  g_return_if_fail (VP_IS_TRANSCRIPT_PAGE (self));
  g_return_if_fail (text != NULL);

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text);
  /* Without waiting for the entry's typing delay */
  start_search (self);
}

guint
_vp_transcript_page_get_n_matches (VpTranscriptPage *self)
{
  g_return_val_if_fail (VP_IS_TRANSCRIPT_PAGE (self), 0);

  return self->matches->len;
}

int
_vp_transcript_page_get_current_match (VpTranscriptPage *self,
                                       int              *start,
                                       int              *end)
{
  g_return_val_if_fail (VP_IS_TRANSCRIPT_PAGE (self), -1);

  if (self->current >= 0)
    {
      const Match *match = &g_array_index (self->matches, Match, self->current);

      if (start != NULL)
        *start = match->start;
      if (end != NULL)
        *end = match->end;
    }

  return self->current;
}

const char *
_vp_transcript_page_get_match_label (VpTranscriptPage *self)
{
  g_return_val_if_fail (VP_IS_TRANSCRIPT_PAGE (self), NULL);

  return gtk_label_get_text (self->match_label);
}

gboolean
_vp_transcript_page_jump_to_segment (VpTranscriptPage *self,
                                     guint             index)
{
  g_return_val_if_fail (VP_IS_TRANSCRIPT_PAGE (self), FALSE);

  return jump_to_segment (self, index);
}

/* The object */

static void
on_settings_changed_cb (VpTranscriptPage *self)
{
  g_assert (VP_IS_TRANSCRIPT_PAGE (self));

  update_tag_colors (self);
}

/* Escape anywhere in the pane closes the find bar, if it is open */
static gboolean
close_find_cb (GtkWidget *widget,
               GVariant  *args,
               gpointer   user_data)
{
  VpTranscriptPage *self = VP_TRANSCRIPT_PAGE (widget);

  if (!gtk_search_bar_get_search_mode (self->search_bar))
    return FALSE;

  gtk_search_bar_set_search_mode (self->search_bar, FALSE);
  return TRUE;
}

static void
add_shortcut (GtkShortcutController *controller,
              const char            *trigger,
              const char            *action)
{
  g_assert (GTK_IS_SHORTCUT_CONTROLLER (controller));

  gtk_shortcut_controller_add_shortcut (controller,
                                        gtk_shortcut_new (gtk_shortcut_trigger_parse_string (trigger),
                                                          gtk_named_action_new (action)));
}

static void
vp_transcript_page_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  VpTranscriptPage *self = VP_TRANSCRIPT_PAGE (object);

  switch (prop_id)
    {
    case PROP_TEXT_SCALE:
      g_value_set_double (value, self->text_scale);
      break;

    case PROP_MASK_PII:
      g_value_set_boolean (value, self->mask_pii);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vp_transcript_page_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  VpTranscriptPage *self = VP_TRANSCRIPT_PAGE (object);

  switch (prop_id)
    {
    case PROP_TEXT_SCALE:
      set_text_scale (self, g_value_get_double (value));
      break;

    case PROP_MASK_PII:
      set_mask_pii (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vp_transcript_page_dispose (GObject *object)
{
  VpTranscriptPage *self = (VpTranscriptPage *)object;

  cancel_fill (self);
  g_clear_handle_id (&self->search_source, g_source_remove);
  for (guint i = 0; i < N_VIEWS; i++)
    if (self->width_ticks[i] != 0)
      {
        gtk_widget_remove_tick_callback (GTK_WIDGET (self->views[i]), self->width_ticks[i]);
        self->width_ticks[i] = 0;
      }

  if (self->settings != NULL)
    {
      g_settings_unbind (self, "text-scale");
      g_settings_unbind (self, "mask-pii");
      g_clear_object (&self->settings);
    }

  gtk_widget_dispose_template (GTK_WIDGET (object), VP_TYPE_TRANSCRIPT_PAGE);
  vp_widget_unparent_children (GTK_WIDGET (object));

  g_clear_object (&self->result);
  g_clear_object (&self->scale_provider);
  g_clear_pointer (&self->segment_texts, g_array_unref);
  for (guint i = 0; i < N_VIEWS; i++)
    g_clear_object (&self->buffers[i]);
  g_clear_object (&self->empty_buffer);

  G_OBJECT_CLASS (vp_transcript_page_parent_class)->dispose (object);
}

static void
vp_transcript_page_finalize (GObject *object)
{
  VpTranscriptPage *self = (VpTranscriptPage *)object;

  g_clear_pointer (&self->matches, g_array_unref);
  g_clear_pointer (&self->needle, g_free);
  g_clear_pointer (&self->match_text, g_free);

  G_OBJECT_CLASS (vp_transcript_page_parent_class)->finalize (object);
}

static void
vp_transcript_page_class_init (VpTranscriptPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vp_transcript_page_dispose;
  object_class->finalize = vp_transcript_page_finalize;
  object_class->get_property = vp_transcript_page_get_property;
  object_class->set_property = vp_transcript_page_set_property;

  /**
   * VpTranscriptPage:text-scale:
   *
   * The size of the transcript's text, as a factor of the normal size.
   */
  properties[PROP_TEXT_SCALE] =
    g_param_spec_double ("text-scale", NULL, NULL,
                         TEXT_SCALE_MIN, TEXT_SCALE_MAX, 1.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * VpTranscriptPage:mask-pii:
   *
   * Whether card, account, social security and phone numbers are shown
   * masked.
   */
  properties[PROP_MASK_PII] =
    g_param_spec_boolean ("mask-pii", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "transcript.find", NULL, find_action);
  gtk_widget_class_install_action (widget_class, "transcript.find-next", NULL, find_action);
  gtk_widget_class_install_action (widget_class, "transcript.find-previous", NULL, find_action);
  gtk_widget_class_install_action (widget_class, "transcript.find-close", NULL, find_action);
  gtk_widget_class_install_action (widget_class, "transcript.zoom-in", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "transcript.zoom-out", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "transcript.zoom-reset", NULL, zoom_action);
  gtk_widget_class_install_property_action (widget_class, "transcript.mask-pii", "mask-pii");

  g_type_ensure (VP_TYPE_PLACEHOLDER);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/com/voxparse/CallBrowser/vp-transcript-page.ui");
  gtk_widget_class_bind_template_child (widget_class, VpTranscriptPage, view_switcher);
  gtk_widget_class_bind_template_child (widget_class, VpTranscriptPage, stack);
  gtk_widget_class_bind_template_child (widget_class, VpTranscriptPage, view_stack);
  gtk_widget_class_bind_template_child (widget_class, VpTranscriptPage, conversation_view);
  gtk_widget_class_bind_template_child (widget_class, VpTranscriptPage, raw_view);
  gtk_widget_class_bind_template_child (widget_class, VpTranscriptPage, segments_view);
  gtk_widget_class_bind_template_child (widget_class, VpTranscriptPage, search_bar);
  gtk_widget_class_bind_template_child (widget_class, VpTranscriptPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, VpTranscriptPage, match_label);
  gtk_widget_class_bind_template_child (widget_class, VpTranscriptPage, zoom_reset_button);
}

static void
vp_transcript_page_init (VpTranscriptPage *self)
{
  GtkEventController *controller;
  GtkGesture *click;
  GtkSettings *settings;

  self->matches = g_array_new (FALSE, FALSE, sizeof (Match));
  self->current = -1;
  self->keep_view = -1;
  self->pressed_segment = -1;
  self->text_scale = 1.0;

  gtk_widget_init_template (GTK_WIDGET (self));
  vp_stack_switcher_fit_labels (self->view_switcher);

  self->views[VIEW_CONVERSATION] = self->conversation_view;
  self->views[VIEW_RAW] = self->raw_view;
  self->views[VIEW_SEGMENTS] = self->segments_view;
  for (guint i = 0; i < N_VIEWS; i++)
    {
      self->buffers[i] = g_object_ref (gtk_text_view_get_buffer (self->views[i]));
      self->ready[i] = TRUE;
      g_signal_connect_object (self->views[i], "map", G_CALLBACK (on_view_map_cb), self, 0);
    }
  self->empty_buffer = gtk_text_buffer_new (NULL);

  create_tags (self);

  /* Text size: one style provider shared by the three views */
  self->scale_provider = gtk_css_provider_new ();
  for (guint i = 0; i < N_VIEWS; i++)
    gtk_style_context_add_provider (gtk_widget_get_style_context (GTK_WIDGET (self->views[i])),
                                    GTK_STYLE_PROVIDER (self->scale_provider),
                                    GTK_STYLE_PROVIDER_PRIORITY_APPLICATION + 1);
  apply_text_scale (self);

  /* Find */
  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
  g_signal_connect_object (self->search_entry, "search-changed",
                           G_CALLBACK (on_search_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->search_entry, "activate",
                           G_CALLBACK (on_next_match_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->search_entry, "next-match",
                           G_CALLBACK (on_next_match_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->search_entry, "previous-match",
                           G_CALLBACK (on_previous_match_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->search_bar, "notify::search-mode-enabled",
                           G_CALLBACK (on_search_mode_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->view_stack, "notify::visible-child",
                           G_CALLBACK (on_view_changed_cb), self, G_CONNECT_SWAPPED);

  controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_object (controller, "key-pressed",
                           G_CALLBACK (on_entry_key_pressed_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->search_entry), controller);

  /* Segments: a time is a link to that moment in the conversation */
  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (click), GTK_PHASE_CAPTURE);
  g_signal_connect_object (click, "pressed",
                           G_CALLBACK (on_segment_pressed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (click, "released",
                           G_CALLBACK (on_segment_released_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->segments_view), GTK_EVENT_CONTROLLER (click));

  controller = gtk_event_controller_motion_new ();
  g_signal_connect_object (controller, "motion",
                           G_CALLBACK (on_segment_motion_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->segments_view), controller);

  controller = gtk_event_controller_key_new ();
  g_signal_connect_object (controller, "key-pressed",
                           G_CALLBACK (on_segment_key_pressed_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->segments_view), controller);

  /* Shortcuts that work wherever the focus is, while the pane is shown */
  controller = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (controller), GTK_SHORTCUT_SCOPE_MANAGED);
  add_shortcut (GTK_SHORTCUT_CONTROLLER (controller), "<Control>f", "transcript.find");
  add_shortcut (GTK_SHORTCUT_CONTROLLER (controller), "<Control>g|F3", "transcript.find-next");
  add_shortcut (GTK_SHORTCUT_CONTROLLER (controller), "<Control><Shift>g|<Shift>F3", "transcript.find-previous");
  add_shortcut (GTK_SHORTCUT_CONTROLLER (controller), "<Control>plus|<Control>equal|<Control>KP_Add", "transcript.zoom-in");
  add_shortcut (GTK_SHORTCUT_CONTROLLER (controller), "<Control>minus|<Control>KP_Subtract", "transcript.zoom-out");
  add_shortcut (GTK_SHORTCUT_CONTROLLER (controller), "<Control>0|<Control>KP_0", "transcript.zoom-reset");
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                                                          gtk_callback_action_new (close_find_cb, NULL, NULL)));
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  update_match_label (self);

  /* Remembered: the text size and the masking */
  self->settings = vp_settings_try_new ();
  if (self->settings != NULL)
    {
      g_settings_bind (self->settings, "text-scale", self, "text-scale", G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (self->settings, "mask-pii", self, "mask-pii", G_SETTINGS_BIND_DEFAULT);
    }

  settings = gtk_widget_get_settings (GTK_WIDGET (self));
  g_signal_connect_object (settings, "notify::gtk-application-prefer-dark-theme",
                           G_CALLBACK (on_settings_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (settings, "notify::gtk-theme-name",
                           G_CALLBACK (on_settings_changed_cb), self, G_CONNECT_SWAPPED);
}
