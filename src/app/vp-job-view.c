/* vp-job-view.c: the right side of the window: one job and its result
 *
 * Shows the list's VpJob at once in the header, then loads its details
 * (get_job) and, when completed, its result (get_result), with a spinner in
 * between.  Each job gets its own GCancellable: choosing another job cancels
 * the previous one's requests, and every callback checks that it still
 * belongs to the job on screen before touching a widget.  A queued or
 * processing job is checked again with a growing delay (2 s, 4 s, 8 s … at
 * most 30 s) only while it is shown; the fresh details are copied into the
 * list's job (vp_job_update_from), so its row follows.
 *
 * The template holds only the empty state; the "job" page (header, states,
 * the four panes) is built from vp-job-view-call.ui when a call is first
 * shown (vp_job_view_ensure_call_content).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vp-job-view"

#include "config.h"

#include <glib/gi18n.h>

#include "vp-compliance-page.h"
#include "vp-error.h"
#include "vp-financial-page.h"
#include "vp-format.h"
#include "vp-job-header.h"
#include "vp-job-view-private.h"
#include "vp-overview-page.h"
#include "vp-placeholder.h"
#include "vp-result-cache.h"
#include "vp-transcript-page-private.h"

#define POLL_FIRST_DELAY 2
#define POLL_MAX_DELAY   30

/* A call that loads sooner shows no spinner: flipping through calls, a
 * spinner that appears for a tenth of a second is only flicker.  (And the
 * spinner's icon, an SVG, is drawn on the main thread the first time.) */
#define SPINNER_DELAY_MS 300

struct _VpJobView
{
  GtkWidget         parent_instance;

  VpClient         *client;
  VpResultCache    *result_cache;  /* the window's, shared with the scans */
  VpJob            *job;
  VpResult         *result;
  GCancellable     *cancellable;
  guint             poll_source;
  guint             poll_delay;
  guint             spinner_source;
  guint             n_pending;
  /* A poll was due while the view was off screen (the Audit view) */
  gboolean          poll_paused;

  /* The pane asked for (vp_job_view_show_pane) before the panes exist */
  guint             pane;

  /* The empty state waits for the first frame drawn without a job */
  GdkFrameClock    *blank_clock;
  gulong            blank_handler;

  /* From the template */
  GtkStack         *stack;

  /* The "job" page, NULL until vp_job_view_ensure_call_content(): a job
   * is only shown (and loaded) once they are there */
  VpJobHeader      *header;
  GtkStack         *body_stack;
  GtkWidget        *loading_box;
  GtkSpinner       *loading_spinner;
  VpPlaceholder    *pending_placeholder;
  VpPlaceholder    *failed_placeholder;
  VpPlaceholder    *error_placeholder;
  GtkStack         *pane_stack;
  VpOverviewPage   *overview_page;
  VpTranscriptPage *transcript_page;
  VpCompliancePage *compliance_page;
  VpFinancialPage  *financial_page;
  GtkStackSwitcher *pane_switcher;
};

G_DEFINE_FINAL_TYPE (VpJobView, vp_job_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_JOB,
  N_PROPS
};

enum {
  LOAD_FAILED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static const char *pane_names[VP_JOB_VIEW_N_PANES] = {
  "overview", "transcript", "compliance", "financial",
};

/* The objects of vp-job-view-call.ui kept in the instance, by id */
static const VpBuilderField call_children[] = {
  { "header",              G_STRUCT_OFFSET (VpJobView, header) },
  { "body_stack",          G_STRUCT_OFFSET (VpJobView, body_stack) },
  { "loading_box",         G_STRUCT_OFFSET (VpJobView, loading_box) },
  { "loading_spinner",     G_STRUCT_OFFSET (VpJobView, loading_spinner) },
  { "pending_placeholder", G_STRUCT_OFFSET (VpJobView, pending_placeholder) },
  { "failed_placeholder",  G_STRUCT_OFFSET (VpJobView, failed_placeholder) },
  { "error_placeholder",   G_STRUCT_OFFSET (VpJobView, error_placeholder) },
  { "pane_stack",          G_STRUCT_OFFSET (VpJobView, pane_stack) },
  { "overview_page",       G_STRUCT_OFFSET (VpJobView, overview_page) },
  { "transcript_page",     G_STRUCT_OFFSET (VpJobView, transcript_page) },
  { "compliance_page",     G_STRUCT_OFFSET (VpJobView, compliance_page) },
  { "financial_page",      G_STRUCT_OFFSET (VpJobView, financial_page) },
  { "pane_switcher",       G_STRUCT_OFFSET (VpJobView, pane_switcher) },
};

/* One request on behalf of one job: it knows the cancellable it was started
 * with, so a late answer for another job is recognised and dropped. */
typedef struct {
  VpJobView    *self;
  GCancellable *cancellable;
} Load;

static Load *
load_new (VpJobView *self)
{
  Load *load;

  g_assert (VP_IS_JOB_VIEW (self));
  g_assert (G_IS_CANCELLABLE (self->cancellable));

  load = g_new0 (Load, 1);
  load->self = g_object_ref (self);
  load->cancellable = g_object_ref (self->cancellable);
  self->n_pending++;

  return load;
}

static void
load_free (Load *load)
{
  load->self->n_pending--;
  g_clear_object (&load->self);
  g_clear_object (&load->cancellable);
  g_free (load);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Load, load_free)

static gboolean
load_is_current (Load *load)
{
  g_assert (load != NULL);

  return !g_cancellable_is_cancelled (load->cancellable) &&
         load->cancellable == load->self->cancellable &&
         load->self->job != NULL;
}

static void vp_job_view_start_load          (VpJobView *self);
static void vp_job_view_ensure_call_content (VpJobView *self);

static void
vp_job_view_stop (VpJobView *self)
{
  g_assert (VP_IS_JOB_VIEW (self));

  g_clear_handle_id (&self->poll_source, g_source_remove);
  self->poll_paused = FALSE;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
}

static gboolean
on_spinner_delay_cb (gpointer user_data)
{
  VpJobView *self = user_data;

  g_assert (VP_IS_JOB_VIEW (self));

  self->spinner_source = 0;
  gtk_widget_set_visible (self->loading_box, TRUE);
  gtk_spinner_start (self->loading_spinner);

  return G_SOURCE_REMOVE;
}

static void
stop_spinner (VpJobView *self)
{
  g_assert (VP_IS_JOB_VIEW (self));

  g_clear_handle_id (&self->spinner_source, g_source_remove);
  if (self->loading_spinner != NULL)
    gtk_spinner_stop (self->loading_spinner);
}

/* The "loading" page, empty until SPINNER_DELAY_MS have passed since the
 * call began to load: its second step (the result, after the status) keeps
 * the time, and the spinner if it shows already */
static void
show_loading (VpJobView *self)
{
  g_assert (VP_IS_JOB_VIEW (self));
  g_assert (self->body_stack != NULL);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->body_stack), "loading") == 0 &&
      (self->spinner_source != 0 || gtk_spinner_get_spinning (self->loading_spinner)))
    return;

  stop_spinner (self);
  gtk_widget_set_visible (self->loading_box, FALSE);
  gtk_stack_set_visible_child_name (self->body_stack, "loading");
  self->spinner_source = g_timeout_add (SPINNER_DELAY_MS, on_spinner_delay_cb, self);
}

static void
show_error (VpJobView    *self,
            const GError *error)
{
  g_autofree char *description = NULL;

  g_assert (VP_IS_JOB_VIEW (self));
  g_assert (error != NULL);
  g_assert (self->body_stack != NULL);

  description = vp_describe_error (error);
  vp_placeholder_set_description (self->error_placeholder, description);

  if (g_error_matches (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_CANNOT_CONNECT))
    vp_placeholder_set_icon_name (self->error_placeholder, "network-offline-symbolic");
  else
    vp_placeholder_set_icon_name (self->error_placeholder, "dialog-warning-symbolic");

  stop_spinner (self);
  gtk_stack_set_visible_child_name (self->body_stack, "error");

  g_signal_emit (self, signals[LOAD_FAILED], 0, error);
}

static void
show_result (VpJobView *self,
             VpResult  *result)
{
  VpAnalysis *analysis;

  g_assert (VP_IS_JOB_VIEW (self));
  g_assert (VP_IS_RESULT (result));
  g_assert (self->body_stack != NULL);

  g_set_object (&self->result, result);
  analysis = vp_result_get_analysis (result);

  vp_overview_page_set_analysis (self->overview_page, analysis);
  vp_transcript_page_set_result (self->transcript_page, result);
  vp_compliance_page_set_analysis (self->compliance_page, analysis);
  vp_financial_page_set_analysis (self->financial_page, analysis);

  stop_spinner (self);
  gtk_stack_set_visible_child_name (self->body_stack, "result");
}

static void
on_get_result_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(Load) load = user_data;
  g_autoptr(VpResult) call_result = NULL;
  g_autoptr(GError) error = NULL;

  g_assert (VP_IS_CLIENT (object));

  call_result = vp_client_get_result_finish (VP_CLIENT (object), result, &error);

  if (!load_is_current (load))
    return;

  if (call_result == NULL)
    show_error (load->self, error);
  else
    {
      /* Fetched once a session: the filters and the audit table use it too */
      if (load->self->result_cache != NULL &&
          vp_result_cache_get_client (load->self->result_cache) == VP_CLIENT (object))
        vp_result_cache_insert (load->self->result_cache,
                                vp_job_get_id (load->self->job), call_result);
      show_result (load->self, call_result);
    }
}

static void on_get_job_cb (GObject      *object,
                           GAsyncResult *result,
                           gpointer      user_data);

/* Shows the cached result of the job, if the cache has it */
static gboolean
vp_job_view_show_cached (VpJobView *self)
{
  VpResult *cached;

  g_assert (VP_IS_JOB_VIEW (self));

  if (self->result_cache == NULL || self->job == NULL ||
      vp_result_cache_get_client (self->result_cache) != self->client)
    return FALSE;

  cached = vp_result_cache_lookup (self->result_cache, vp_job_get_id (self->job));
  if (cached == NULL)
    return FALSE;

  g_debug ("The result of %s is cached", vp_job_get_id (self->job));
  show_result (self, cached);

  return TRUE;
}

static gboolean
on_poll_cb (gpointer user_data)
{
  VpJobView *self = user_data;

  g_assert (VP_IS_JOB_VIEW (self));

  self->poll_source = 0;

  if (self->job != NULL && self->client != NULL && self->cancellable != NULL)
    {
      g_debug ("Checking job %s again", vp_job_get_id (self->job));
      vp_client_get_job_async (self->client,
                               vp_job_get_id (self->job),
                               self->cancellable,
                               on_get_job_cb,
                               load_new (self));
    }

  return G_SOURCE_REMOVE;
}

static void
show_pending (VpJobView *self)
{
  g_autofree char *description = NULL;
  VpJobStatus status;

  g_assert (VP_IS_JOB_VIEW (self));
  g_assert (self->body_stack != NULL);

  status = vp_job_get_status (self->job);

  if (status == VP_JOB_STATUS_QUEUED)
    {
      vp_placeholder_set_icon_name (self->pending_placeholder, "document-open-recent-symbolic");
      vp_placeholder_set_title (self->pending_placeholder, _("Waiting in the Queue"));
    }
  else if (status == VP_JOB_STATUS_PROCESSING)
    {
      vp_placeholder_set_icon_name (self->pending_placeholder, "emblem-synchronizing-symbolic");
      vp_placeholder_set_title (self->pending_placeholder, _("Being Transcribed"));
    }
  else
    {
      vp_placeholder_set_icon_name (self->pending_placeholder, "dialog-question-symbolic");
      vp_placeholder_set_title (self->pending_placeholder, _("Not Finished"));
    }

  self->poll_delay = self->poll_delay == 0 ? POLL_FIRST_DELAY
                                           : MIN (self->poll_delay * 2, POLL_MAX_DELAY);

  description = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "The analysis appears here when the call is done. Checking again in %u second.",
                                              "The analysis appears here when the call is done. Checking again in %u seconds.",
                                              self->poll_delay),
                                 self->poll_delay);
  vp_placeholder_set_description (self->pending_placeholder, description);

  stop_spinner (self);
  gtk_stack_set_visible_child_name (self->body_stack, "pending");

  g_clear_handle_id (&self->poll_source, g_source_remove);
  self->poll_paused = FALSE;
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    self->poll_source = g_timeout_add_seconds (self->poll_delay, on_poll_cb, self);
  else
    self->poll_paused = TRUE;
}

static void
vp_job_view_stop_blank (VpJobView *self)
{
  g_assert (VP_IS_JOB_VIEW (self));

  if (self->blank_clock != NULL)
    {
      g_clear_signal_handler (&self->blank_handler, self->blank_clock);
      g_clear_object (&self->blank_clock);
    }
}

static void
on_blank_after_paint_cb (VpJobView     *self,
                         GdkFrameClock *clock)
{
  g_assert (VP_IS_JOB_VIEW (self));

  vp_job_view_stop_blank (self);

  /* Still no job after a frame: none is on its way */
  if (self->job == NULL)
    gtk_stack_set_visible_child_name (self->stack, "empty");
}

/* Polling only while on screen: paused when hidden (the Audit view),
 * checked again at once when shown.  A view first drawn without a job
 * shows its empty state after that frame. */
static void
vp_job_view_map (GtkWidget *widget)
{
  VpJobView *self = VP_JOB_VIEW (widget);

  GTK_WIDGET_CLASS (vp_job_view_parent_class)->map (widget);

  if (self->poll_paused)
    {
      self->poll_paused = FALSE;
      g_clear_handle_id (&self->poll_source, g_source_remove);
      self->poll_source = g_idle_add (on_poll_cb, self);
    }

  if (self->blank_clock == NULL &&
      g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "blank") == 0)
    {
      self->blank_clock = g_object_ref (gtk_widget_get_frame_clock (widget));
      /* After the frame's other after-paint handlers, such as the
       * window's selecting its first call */
      self->blank_handler = g_signal_connect_object (self->blank_clock, "after-paint",
                                                     G_CALLBACK (on_blank_after_paint_cb),
                                                     self, G_CONNECT_SWAPPED | G_CONNECT_AFTER);
    }
}

static void
vp_job_view_unmap (GtkWidget *widget)
{
  VpJobView *self = VP_JOB_VIEW (widget);

  if (self->poll_source != 0)
    {
      g_debug ("Not checking %s while it is not shown",
               self->job ? vp_job_get_id (self->job) : "(none)");
      g_clear_handle_id (&self->poll_source, g_source_remove);
      self->poll_paused = TRUE;
    }
  vp_job_view_stop_blank (self);

  GTK_WIDGET_CLASS (vp_job_view_parent_class)->unmap (widget);
}

static void
show_failed (VpJobView *self)
{
  const char *message;

  g_assert (VP_IS_JOB_VIEW (self));
  g_assert (self->body_stack != NULL);

  message = vp_job_get_error (self->job);
  if (message == NULL || *message == '\0')
    message = _("The server gave no reason.");

  vp_placeholder_set_description (self->failed_placeholder, message);
  stop_spinner (self);
  gtk_stack_set_visible_child_name (self->body_stack, "failed");
}

static void
on_get_job_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(Load) load = user_data;
  g_autoptr(VpJob) fresh = NULL;
  g_autoptr(GError) error = NULL;
  VpJobView *self;

  g_assert (VP_IS_CLIENT (object));

  fresh = vp_client_get_job_finish (VP_CLIENT (object), result, &error);

  if (!load_is_current (load))
    return;

  self = load->self;

  if (fresh == NULL)
    {
      /* While a queued or processing job is being watched, a failed check
       * keeps what is on screen: the window explains connection errors,
       * and the next check comes later. */
      if (self->poll_delay > 0 && self->job != NULL && !vp_job_is_finished (self->job))
        {
          g_signal_emit (self, signals[LOAD_FAILED], 0, error);
          show_pending (self);
          return;
        }

      show_error (self, error);
      return;
    }

  if (g_strcmp0 (vp_job_get_id (fresh), vp_job_get_id (self->job)) == 0)
    vp_job_update_from (self->job, fresh);

  switch (vp_job_get_status (self->job))
    {
    case VP_JOB_STATUS_COMPLETED:
      if (vp_job_view_show_cached (self))
        break;
      show_loading (self);
      vp_client_get_result_async (self->client,
                                  self->job,
                                  self->cancellable,
                                  on_get_result_cb,
                                  load_new (self));
      break;

    case VP_JOB_STATUS_FAILED:
      show_failed (self);
      break;

    case VP_JOB_STATUS_QUEUED:
    case VP_JOB_STATUS_PROCESSING:
    case VP_JOB_STATUS_UNKNOWN:
    default:
      show_pending (self);
      break;
    }
}

static void
vp_job_view_start_load (VpJobView *self)
{
  gboolean finished;

  g_assert (VP_IS_JOB_VIEW (self));

  vp_job_view_stop (self);
  g_clear_object (&self->result);
  self->poll_delay = 0;

  if (self->job == NULL)
    {
      stop_spinner (self);
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  vp_job_view_ensure_call_content (self);
  gtk_stack_set_visible_child_name (self->stack, "job");
  /* Another call: its own time before a spinner */
  stop_spinner (self);
  show_loading (self);

  if (self->client == NULL)
    return;

  self->cancellable = g_cancellable_new ();

  /* A completed call does not change: its cached result is all there is
   * to show, without a request. */
  finished = vp_job_get_status (self->job) == VP_JOB_STATUS_COMPLETED;
  if (finished && vp_job_view_show_cached (self))
    return;

  vp_client_get_job_async (self->client,
                           vp_job_get_id (self->job),
                           self->cancellable,
                           on_get_job_cb,
                           load_new (self));
}

static void
on_retry_clicked_cb (VpJobView *self,
                     GtkButton *button)
{
  g_assert (VP_IS_JOB_VIEW (self));

  vp_job_view_reload (self);
}

/* Start-up: the window first shows "No Call Selected" and picks a call only
 * after its first frame is drawn, so the call's header, states and four
 * panes (about 10 ms to build, and icons loaded even while hidden) are not
 * built with the template but here, the first time a call is shown or
 * something asks for them. */
static void
vp_job_view_ensure_call_content (VpJobView *self)
{
  g_autoptr(GtkBuilder) builder = NULL;
  GtkWidget *content;

  g_assert (VP_IS_JOB_VIEW (self));

  /* Built already, or disposed */
  if (self->body_stack != NULL || self->stack == NULL)
    return;

  g_type_ensure (VP_TYPE_COMPLIANCE_PAGE);
  g_type_ensure (VP_TYPE_FINANCIAL_PAGE);
  g_type_ensure (VP_TYPE_JOB_HEADER);
  g_type_ensure (VP_TYPE_OVERVIEW_PAGE);
  g_type_ensure (VP_TYPE_TRANSCRIPT_PAGE);

  builder = vp_builder_new_for_instance (self, "/com/voxparse/CallBrowser/vp-job-view-call.ui",
                                         call_children, G_N_ELEMENTS (call_children),
                                         "on_retry_clicked_cb", G_CALLBACK (on_retry_clicked_cb),
                                         NULL);

  vp_stack_switcher_fit_labels (self->pane_switcher);
  gtk_stack_set_visible_child_name (self->pane_stack, pane_names[self->pane]);

  /* The stack owns it from now on; the builder's reference goes with it */
  content = GTK_WIDGET (gtk_builder_get_object (builder, "call_content"));
  gtk_stack_add_named (self->stack, content, "job");
}

VpClient *
vp_job_view_get_client (VpJobView *self)
{
  g_return_val_if_fail (VP_IS_JOB_VIEW (self), NULL);

  return self->client;
}

void
vp_job_view_set_client (VpJobView *self,
                        VpClient  *client)
{
  g_return_if_fail (VP_IS_JOB_VIEW (self));
  g_return_if_fail (client == NULL || VP_IS_CLIENT (client));

  if (!g_set_object (&self->client, client))
    return;

  vp_job_view_set_job (self, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}

void
_vp_job_view_set_result_cache (VpJobView     *self,
                               VpResultCache *cache)
{
  g_return_if_fail (VP_IS_JOB_VIEW (self));
  g_return_if_fail (cache == NULL || VP_IS_RESULT_CACHE (cache));

  g_set_object (&self->result_cache, cache);
}

gboolean
_vp_job_view_is_poll_paused (VpJobView *self)
{
  g_return_val_if_fail (VP_IS_JOB_VIEW (self), FALSE);

  return self->poll_paused;
}

VpJob *
vp_job_view_get_job (VpJobView *self)
{
  g_return_val_if_fail (VP_IS_JOB_VIEW (self), NULL);

  return self->job;
}

void
vp_job_view_set_job (VpJobView *self,
                     VpJob     *job)
{
  g_return_if_fail (VP_IS_JOB_VIEW (self));
  g_return_if_fail (job == NULL || VP_IS_JOB (job));

  if (self->job == job)
    return;

  if (job != NULL)
    vp_job_view_ensure_call_content (self);

  /* The same call as another object (the list was reloaded): keep what was
   * loaded for it. */
  if (self->job != NULL && job != NULL &&
      g_strcmp0 (vp_job_get_id (self->job), vp_job_get_id (job)) == 0)
    {
      g_set_object (&self->job, job);
      vp_job_header_set_job (self->header, job);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_JOB]);
      return;
    }

  g_set_object (&self->job, job);
  if (self->header != NULL)
    vp_job_header_set_job (self->header, job);
  vp_job_view_start_load (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_JOB]);
}

void
vp_job_view_reload (VpJobView *self)
{
  g_return_if_fail (VP_IS_JOB_VIEW (self));

  vp_job_view_start_load (self);
}

void
vp_job_view_show_pane (VpJobView *self,
                       guint      index)
{
  g_return_if_fail (VP_IS_JOB_VIEW (self));
  g_return_if_fail (index < VP_JOB_VIEW_N_PANES);

  /* Remembered for when the panes are built */
  self->pane = index;
  if (self->pane_stack != NULL)
    gtk_stack_set_visible_child_name (self->pane_stack, pane_names[index]);
}

guint
vp_job_view_get_pane (VpJobView *self)
{
  const char *name;

  g_return_val_if_fail (VP_IS_JOB_VIEW (self), 0);

  /* Once built, the stack knows (the switcher changes it too) */
  if (self->pane_stack == NULL)
    return self->pane;

  name = gtk_stack_get_visible_child_name (self->pane_stack);
  for (guint i = 0; i < VP_JOB_VIEW_N_PANES; i++)
    if (g_strcmp0 (name, pane_names[i]) == 0)
      return i;

  return 0;
}

void
vp_job_view_cycle_pane (VpJobView *self,
                        int        delta)
{
  int index;

  g_return_if_fail (VP_IS_JOB_VIEW (self));

  index = (int) vp_job_view_get_pane (self) + delta;
  index = ((index % VP_JOB_VIEW_N_PANES) + VP_JOB_VIEW_N_PANES) % VP_JOB_VIEW_N_PANES;
  vp_job_view_show_pane (self, index);
}

const char *
_vp_job_view_get_state (VpJobView *self)
{
  g_return_val_if_fail (VP_IS_JOB_VIEW (self), NULL);

  /* "blank" before the view was first drawn without a job */
  if (self->job == NULL || self->body_stack == NULL)
    return g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "blank") == 0
           ? "blank" : "empty";

  return gtk_stack_get_visible_child_name (self->body_stack);
}

gboolean
_vp_job_view_is_spinner_shown (VpJobView *self)
{
  g_return_val_if_fail (VP_IS_JOB_VIEW (self), FALSE);

  return self->loading_spinner != NULL &&
         gtk_widget_get_visible (self->loading_box) &&
         gtk_spinner_get_spinning (self->loading_spinner);
}

gboolean
_vp_job_view_is_busy (VpJobView *self)
{
  g_return_val_if_fail (VP_IS_JOB_VIEW (self), FALSE);

  return self->n_pending > 0 || self->poll_source != 0;
}

guint
_vp_job_view_get_poll_delay (VpJobView *self)
{
  g_return_val_if_fail (VP_IS_JOB_VIEW (self), 0);

  return self->poll_source != 0 ? self->poll_delay : 0;
}

static void
collect_label_texts (GtkWidget *widget,
                     GString   *out)
{
  g_assert (GTK_IS_WIDGET (widget));

  if (GTK_IS_LABEL (widget))
    {
      if (out->len > 0)
        g_string_append_c (out, '\n');
      g_string_append (out, gtk_label_get_text (GTK_LABEL (widget)));
      return;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_label_texts (child, out);
}

char *
_vp_job_view_dup_field_text (VpJobView  *self,
                             const char *pane,
                             const char *field)
{
  GtkWidget *container = NULL;
  GObject *child = NULL;

  g_return_val_if_fail (VP_IS_JOB_VIEW (self), NULL);
  g_return_val_if_fail (pane != NULL, NULL);
  g_return_val_if_fail (field != NULL, NULL);

  /* The fields are there to be read, shown or not */
  vp_job_view_ensure_call_content (self);

  if (g_str_equal (pane, "header"))
    container = GTK_WIDGET (self->header);
  else if (g_str_equal (pane, "overview"))
    container = GTK_WIDGET (self->overview_page);
  else if (g_str_equal (pane, "transcript"))
    container = GTK_WIDGET (self->transcript_page);
  else if (g_str_equal (pane, "compliance"))
    container = GTK_WIDGET (self->compliance_page);
  else if (g_str_equal (pane, "financial"))
    container = GTK_WIDGET (self->financial_page);
  else if (g_str_equal (pane, "view"))
    container = GTK_WIDGET (self);
  else
    g_return_val_if_reached (NULL);

  /* The view's own children come from the template or vp-job-view-call.ui */
  if (container == GTK_WIDGET (self))
    for (guint i = 0; child == NULL && i < G_N_ELEMENTS (call_children); i++)
      if (g_str_equal (field, call_children[i].id))
        child = G_STRUCT_MEMBER (GObject *, self, call_children[i].offset);
  if (child == NULL)
    child = gtk_widget_get_template_child (container, G_OBJECT_TYPE (container), field);
  g_return_val_if_fail (child != NULL, NULL);

  if (GTK_IS_LABEL (child))
    return g_strdup (gtk_label_get_text (GTK_LABEL (child)));

  if (GTK_IS_TEXT_VIEW (child))
    {
      GtkTextBuffer *buffer;
      GtkTextIter begin, end;

      if (VP_IS_TRANSCRIPT_PAGE (container))
        buffer = _vp_transcript_page_get_buffer (VP_TRANSCRIPT_PAGE (container), GTK_TEXT_VIEW (child));
      else
        buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (child));

      gtk_text_buffer_get_bounds (buffer, &begin, &end);
      return gtk_text_buffer_get_text (buffer, &begin, &end, FALSE);
    }

  if (GTK_IS_STACK (child))
    return g_strdup (gtk_stack_get_visible_child_name (GTK_STACK (child)));

  if (VP_IS_PLACEHOLDER (child))
    return g_strdup (vp_placeholder_get_description (VP_PLACEHOLDER (child)));

  if (GTK_IS_WIDGET (child))
    {
      GString *out = g_string_new (NULL);

      collect_label_texts (GTK_WIDGET (child), out);
      return g_string_free (out, FALSE);
    }

  g_return_val_if_reached (NULL);
}

static void
vp_job_view_dispose (GObject *object)
{
  VpJobView *self = (VpJobView *)object;

  vp_job_view_stop (self);
  stop_spinner (self);
  vp_job_view_stop_blank (self);
  g_clear_object (&self->result);
  g_clear_object (&self->job);
  g_clear_object (&self->client);
  g_clear_object (&self->result_cache);

  gtk_widget_dispose_template (GTK_WIDGET (self), VP_TYPE_JOB_VIEW);
  vp_widget_unparent_children (GTK_WIDGET (self));
  /* Gone with the stack */
  for (guint i = 0; i < G_N_ELEMENTS (call_children); i++)
    G_STRUCT_MEMBER (gpointer, self, call_children[i].offset) = NULL;

  G_OBJECT_CLASS (vp_job_view_parent_class)->dispose (object);
}

static void
vp_job_view_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  VpJobView *self = VP_JOB_VIEW (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;

    case PROP_JOB:
      g_value_set_object (value, self->job);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vp_job_view_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  VpJobView *self = VP_JOB_VIEW (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      vp_job_view_set_client (self, g_value_get_object (value));
      break;

    case PROP_JOB:
      vp_job_view_set_job (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vp_job_view_class_init (VpJobViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vp_job_view_dispose;
  object_class->get_property = vp_job_view_get_property;
  object_class->set_property = vp_job_view_set_property;

  widget_class->map = vp_job_view_map;
  widget_class->unmap = vp_job_view_unmap;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL,
                         VP_TYPE_CLIENT,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_JOB] =
    g_param_spec_object ("job", NULL, NULL,
                         VP_TYPE_JOB,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * VpJobView::load-failed:
   * @error: a #GError
   *
   * Loading the shown job failed; the window explains errors that concern
   * the whole connection (a rejected key, an unreachable server).
   */
  signals[LOAD_FAILED] =
    g_signal_new ("load-failed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);

  /* The rest when the call's content is built */
  g_type_ensure (VP_TYPE_PLACEHOLDER);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "vpjobview");
  gtk_widget_class_set_template_from_resource (widget_class, "/com/voxparse/CallBrowser/vp-job-view.ui");
  gtk_widget_class_bind_template_child (widget_class, VpJobView, stack);
}

static void
vp_job_view_init (VpJobView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
