/* vp-format.c: how the window writes times, money, statuses and errors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vp-format"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "vp-error.h"
#include "vp-format.h"

char *
vp_format_duration (double seconds)
{
  guint64 total;

  if (seconds < 0 || isnan (seconds))
    return NULL;

  total = (guint64) (seconds + 0.5);

  if (total >= 3600)
    return g_strdup_printf ("%u:%02u:%02u",
                            (guint) (total / 3600),
                            (guint) (total / 60 % 60),
                            (guint) (total % 60));

  return g_strdup_printf ("%u:%02u", (guint) (total / 60), (guint) (total % 60));
}

char *
vp_format_offset (double seconds)
{
  if (seconds < 0 || isnan (seconds))
    seconds = 0;

  /* Segment starts are truncated, not rounded: 59.9 s is still 0:59. */
  return vp_format_duration (floor (seconds));
}

char *
vp_format_money (double amount)
{
  g_autofree char *digits = NULL;

  /* The API speaks US dollars; the separators follow the user's locale. */
  digits = g_strdup_printf ("%'.2f", fabs (amount));

  if (amount < 0)
    /* Translators: a negative amount of money, e.g. "−$5.00" */
    return g_strdup_printf (_("−$%s"), digits);

  /* Translators: an amount of money, e.g. "$49.99" */
  return g_strdup_printf (_("$%s"), digits);
}

char *
vp_format_cost_cents (gint64 cents)
{
  if (cents < 0)
    return NULL;

  return vp_format_money (cents / 100.0);
}

char *
vp_format_date_short (GDateTime *utc)
{
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) now = NULL;
  int days;

  if (utc == NULL)
    return NULL;

  local = g_date_time_to_local (utc);
  now = g_date_time_new_now_local ();

  days = g_date_time_get_day_of_year (now) - g_date_time_get_day_of_year (local);

  if (g_date_time_get_year (local) == g_date_time_get_year (now))
    {
      if (days == 0)
        /* Translators: a time today, see strftime(3) */
        return g_date_time_format (local, _("Today %H:%M"));
      if (days == 1)
        /* Translators: a time yesterday, see strftime(3) */
        return g_date_time_format (local, _("Yesterday %H:%M"));
      /* Translators: a day this year and a time, see strftime(3) */
      return g_date_time_format (local, _("%b %-d %H:%M"));
    }

  /* Translators: a day of another year, see strftime(3) */
  return g_date_time_format (local, _("%b %-d, %Y"));
}

char *
vp_format_date_long (GDateTime *utc)
{
  g_autoptr(GDateTime) local = NULL;

  if (utc == NULL)
    return NULL;

  local = g_date_time_to_local (utc);

  /* Translators: a full date and time, see strftime(3) */
  return g_date_time_format (local, _("%B %-d, %Y at %H:%M"));
}

char *
vp_format_api_word (const char *word)
{
  static const struct {
    const char *word;
    const char *label;
  } words[] = {
    /* call_type */
    { "billing", N_("Billing") },
    { "complaint", N_("Complaint") },
    { "retention", N_("Retention") },
    { "sales", N_("Sales") },
    { "support", N_("Support") },
    /* call_outcome */
    { "resolved", N_("Resolved") },
    { "partial", N_("Partial") },
    { "escalated", N_("Escalated") },
    { "unresolved", N_("Unresolved") },
    /* customer_sentiment, agent_performance */
    { "positive", N_("Positive") },
    { "negative", N_("Negative") },
    { "neutral", N_("Neutral") },
    { "good", N_("Good") },
    { "poor", N_("Poor") },
    { "average", N_("Average") },
    { "excellent", N_("Excellent") },
    /* payment_method */
    { "credit card", N_("Credit card") },
    { "debit card", N_("Debit card") },
    { "bank transfer", N_("Bank transfer") },
    { "check", N_("Check") },
    { "cash", N_("Cash") },
  };

  if (word == NULL || *word == '\0')
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    if (g_ascii_strcasecmp (word, words[i].word) == 0)
      return g_strdup (_(words[i].label));

  /* A word this version does not know (or a name such as "PayPal") */
  return g_strdup_printf ("%c%s", g_ascii_toupper (word[0]), word + 1);
}

char *
vp_format_sensitive_kind (const char *kind)
{
  static const struct {
    const char *kind;
    const char *label;
  } kinds[] = {
    { "credit card", NC_("sensitive data", "credit card") },
    { "debit card", NC_("sensitive data", "debit card") },
    { "account number", NC_("sensitive data", "account number") },
    { "SSN (last 4)", NC_("sensitive data", "SSN (last 4)") },
    { "SSN", NC_("sensitive data", "SSN") },
    { "phone number", NC_("sensitive data", "phone number") },
    { "email address", NC_("sensitive data", "email address") },
    { "date of birth", NC_("sensitive data", "date of birth") },
    { "address", NC_("sensitive data", "address") },
  };

  if (kind == NULL || *kind == '\0')
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (g_ascii_strcasecmp (kind, kinds[i].kind) == 0)
      return g_strdup (g_dpgettext2 (GETTEXT_PACKAGE, "sensitive data", kinds[i].label));

  /* A kind this version does not know: as the server says it */
  return g_strdup (kind);
}

char *
vp_format_sensitive_kinds (const char * const *kinds)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (kinds != NULL, NULL);

  for (guint i = 0; kinds[i] != NULL; i++)
    g_ptr_array_add (labels, vp_format_sensitive_kind (kinds[i]));
  g_ptr_array_add (labels, NULL);

  /* Translators: between the kinds of personal data in a list */
  return g_strjoinv (_(", "), (char **) labels->pdata);
}

const char *
vp_status_get_label (VpJobStatus status)
{
  switch (status)
    {
    case VP_JOB_STATUS_QUEUED:
      return _("Queued");
    case VP_JOB_STATUS_PROCESSING:
      return _("Processing");
    case VP_JOB_STATUS_COMPLETED:
      return _("Completed");
    case VP_JOB_STATUS_FAILED:
      return _("Failed");
    case VP_JOB_STATUS_UNKNOWN:
    default:
      return _("Unknown");
    }
}

const char *
vp_status_get_icon_name (VpJobStatus status)
{
  switch (status)
    {
    case VP_JOB_STATUS_QUEUED:
      return "document-open-recent-symbolic";
    case VP_JOB_STATUS_PROCESSING:
      return "emblem-synchronizing-symbolic";
    case VP_JOB_STATUS_COMPLETED:
      return "emblem-ok-symbolic";
    case VP_JOB_STATUS_FAILED:
      return "dialog-error-symbolic";
    case VP_JOB_STATUS_UNKNOWN:
    default:
      return "dialog-question-symbolic";
    }
}

const char *
vp_status_get_css_class (VpJobStatus status)
{
  switch (status)
    {
    case VP_JOB_STATUS_QUEUED:
      return "status-queued";
    case VP_JOB_STATUS_PROCESSING:
      return "status-processing";
    case VP_JOB_STATUS_COMPLETED:
      return "status-completed";
    case VP_JOB_STATUS_FAILED:
      return "status-failed";
    case VP_JOB_STATUS_UNKNOWN:
    default:
      return "status-unknown";
    }
}

char *
vp_describe_error (const GError *error)
{
  guint status;

  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain != VP_CLIENT_ERROR)
    return g_strdup (error->message);

  status = vp_client_error_get_http_status (error);

  switch ((VpClientError) error->code)
    {
    case VP_CLIENT_ERROR_CANNOT_CONNECT:
      /* The client says which: unreachable, broken off mid-answer, or too
       * slow to answer.  Its sentence has no full stop of its own. */
      /* Translators: %s says what went wrong with the connection */
      return g_strdup_printf (_("%s. Check the server address and your network connection, then try again."),
                              error->message);

    case VP_CLIENT_ERROR_UNAUTHORIZED:
      return g_strdup (_("The server rejected the API key."));

    case VP_CLIENT_ERROR_NOT_FOUND:
      return g_strdup (_("The server does not have this call, or not yet."));

    case VP_CLIENT_ERROR_RATE_LIMITED:
      {
        guint wait = vp_client_error_get_retry_after (error);

        if (wait > 0)
          return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                               "The server is busy and asks to wait %u second before trying again.",
                                               "The server is busy and asks to wait %u seconds before trying again.",
                                               wait),
                                  wait);
        return g_strdup (_("The server is busy. Wait a moment before trying again."));
      }

    case VP_CLIENT_ERROR_SERVER_ERROR:
      if (status != 0)
        return g_strdup_printf (_("The server ran into a problem (error %u). Try again in a moment."), status);
      return g_strdup (_("The server ran into a problem. Try again in a moment."));

    case VP_CLIENT_ERROR_INVALID_RESPONSE:
      /* Translators: %s says what is wrong with the answer, e.g. that it is
       * not valid JSON */
      return g_strdup_printf (_("The server sent an answer this app cannot read: %s."), error->message);

    case VP_CLIENT_ERROR_BAD_REQUEST:
      if (status != 0)
        return g_strdup_printf (_("The server refused the request (error %u)."), status);
      return g_strdup (_("The server refused the request."));

    case VP_CLIENT_ERROR_INVALID_URL:
      return g_strdup (_("The server address cannot be used. It should look like https://api.voxparse.com."));

    default:
      return g_strdup (error->message);
    }
}

void
vp_label_set_value (GtkLabel   *label,
                    const char *value)
{
  g_return_if_fail (GTK_IS_LABEL (label));

  if (value == NULL || *value == '\0')
    {
      gtk_label_set_text (label, _("Not given"));
      gtk_widget_add_css_class (GTK_WIDGET (label), "dim-label");
      gtk_widget_add_css_class (GTK_WIDGET (label), "not-given");
    }
  else
    {
      gtk_label_set_text (label, value);
      gtk_widget_remove_css_class (GTK_WIDGET (label), "dim-label");
      gtk_widget_remove_css_class (GTK_WIDGET (label), "not-given");
    }
}

void
vp_label_set_list (GtkLabel           *label,
                   const char * const *items)
{
  g_autoptr(GString) text = NULL;

  g_return_if_fail (GTK_IS_LABEL (label));

  if (items == NULL)
    {
      vp_label_set_value (label, NULL);
      return;
    }

  if (items[0] == NULL)
    {
      gtk_label_set_text (label, _("None"));
      gtk_widget_add_css_class (GTK_WIDGET (label), "dim-label");
      return;
    }

  text = g_string_new (NULL);
  for (guint i = 0; items[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append_c (text, '\n');
      g_string_append_printf (text, "•  %s", items[i]);
    }

  gtk_label_set_text (label, text->str);
  gtk_widget_remove_css_class (GTK_WIDGET (label), "dim-label");
  gtk_widget_remove_css_class (GTK_WIDGET (label), "not-given");
}

void
vp_widget_unparent_children (GtkWidget *widget)
{
  GtkWidget *child;

  g_return_if_fail (GTK_IS_WIDGET (widget));

  while ((child = gtk_widget_get_first_child (widget)) != NULL)
    gtk_widget_unparent (child);
}

GtkBuilder *
vp_builder_new_for_instance (gpointer              instance,
                             const char           *resource_path,
                             const VpBuilderField *fields,
                             guint                 n_fields,
                             const char           *first_callback_name,
                             ...)
{
  g_autoptr(GtkBuilderScope) scope = gtk_builder_cscope_new ();
  g_autoptr(GtkBuilder) builder = gtk_builder_new ();
  g_autoptr(GError) error = NULL;
  va_list args;

  g_return_val_if_fail (G_IS_OBJECT (instance), NULL);
  g_return_val_if_fail (resource_path != NULL, NULL);

  va_start (args, first_callback_name);
  for (const char *name = first_callback_name; name != NULL; name = va_arg (args, const char *))
    gtk_builder_cscope_add_callback_symbol (GTK_BUILDER_CSCOPE (scope), name, va_arg (args, GCallback));
  va_end (args);

  gtk_builder_set_translation_domain (builder, GETTEXT_PACKAGE);
  gtk_builder_set_scope (builder, scope);
  gtk_builder_set_current_object (builder, G_OBJECT (instance));

  /* The file is in the program's own resources: failing is a bug */
  if (!gtk_builder_add_from_resource (builder, resource_path, &error))
    g_error ("Cannot build %s: %s", resource_path, error->message);

  for (guint i = 0; i < n_fields; i++)
    {
      GObject *object = gtk_builder_get_object (builder, fields[i].id);

      g_assert (object != NULL);
      G_STRUCT_MEMBER (gpointer, instance, fields[i].offset) = object;
    }

  return g_steal_pointer (&builder);
}

static void
vp_turn_free (gpointer data)
{
  VpTurn *turn = data;

  g_free (turn->text);
  g_free (turn);
}

static gboolean
speaker_at (const char *text,
            const char *start,
            const char *p,
            VpSpeaker  *speaker,
            gsize      *label_len)
{
  static const struct {
    const char *label;
    VpSpeaker   speaker;
  } labels[] = {
    { "Agent:", VP_SPEAKER_AGENT },
    { "Customer:", VP_SPEAKER_CUSTOMER },
  };

  g_assert (p >= start);

  /* A label starts the text or follows white space. */
  if (p != start && !g_ascii_isspace (p[-1]))
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    {
      gsize len = strlen (labels[i].label);

      if (g_ascii_strncasecmp (p, labels[i].label, len) == 0)
        {
          *speaker = labels[i].speaker;
          *label_len = len;
          return TRUE;
        }
    }

  return FALSE;
}

static void
add_turn (GPtrArray  *turns,
          VpSpeaker   speaker,
          const char *begin,
          const char *end)
{
  g_autofree char *text = NULL;
  VpTurn *turn;

  g_assert (turns != NULL);
  g_assert (end >= begin);

  text = g_strstrip (g_strndup (begin, end - begin));

  if (*text == '\0' && speaker == VP_SPEAKER_NONE)
    return;

  turn = g_new0 (VpTurn, 1);
  turn->speaker = speaker;
  turn->text = g_steal_pointer (&text);
  g_ptr_array_add (turns, turn);
}

GPtrArray *
vp_split_turns (const char *transcript)
{
  g_autoptr(GPtrArray) turns = g_ptr_array_new_with_free_func (vp_turn_free);
  VpSpeaker current = VP_SPEAKER_NONE;
  const char *turn_start;

  if (transcript == NULL)
    return g_steal_pointer (&turns);

  turn_start = transcript;

  for (const char *p = transcript; *p != '\0'; p++)
    {
      VpSpeaker speaker;
      gsize label_len;

      if (*p != 'A' && *p != 'C' && *p != 'a' && *p != 'c')
        continue;

      if (!speaker_at (transcript, transcript, p, &speaker, &label_len))
        continue;

      add_turn (turns, current, turn_start, p);
      current = speaker;
      p += label_len - 1;
      turn_start = p + 1;
    }

  add_turn (turns, current, turn_start, turn_start + strlen (turn_start));

  return g_steal_pointer (&turns);
}

void
vp_stack_switcher_fit_labels (GtkStackSwitcher *switcher)
{
  GtkLayoutManager *layout;

  g_return_if_fail (GTK_IS_STACK_SWITCHER (switcher));

  layout = gtk_widget_get_layout_manager (GTK_WIDGET (switcher));
  if (GTK_IS_BOX_LAYOUT (layout))
    gtk_box_layout_set_homogeneous (GTK_BOX_LAYOUT (layout), FALSE);
}

void
vp_drop_down_name_button (GtkDropDown *drop_down)
{
  g_autoptr(GList) labels = NULL;
  GtkWidget *button;

  g_return_if_fail (GTK_IS_DROP_DOWN (drop_down));

  /* GTK 4.8's GtkDropDown: its first child is the button */
  button = gtk_widget_get_first_child (GTK_WIDGET (drop_down));
  labels = gtk_widget_list_mnemonic_labels (GTK_WIDGET (drop_down));

  if (GTK_IS_TOGGLE_BUTTON (button) && labels != NULL)
    gtk_accessible_update_relation (GTK_ACCESSIBLE (button),
                                    GTK_ACCESSIBLE_RELATION_LABELLED_BY, labels->data, NULL,
                                    -1);
  else
    g_debug ("A drop-down without a toggle button or a mnemonic label: its button stays unnamed");
}
