/* vp-cli.c: the commands of voxparse-browser that need no display
 *
 *   voxparse-browser [--base-url URL] [--api-key KEY] [--demo] jobs [--limit N]
 *   voxparse-browser [...] export --format csv|json [--status S] [--limit N]
 *                                 [--job ID ...] [--mask-pii] --output FILE
 *
 * Each error code of the client has its own exit status and a one-line
 * message on stderr, so a script (or cron) can tell what went wrong.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vp-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "vp-cli.h"
#include "vp-client.h"
#include "vp-error.h"
#include "vp-export.h"
#include "vp-format.h"
#include "vp-options.h"
#include "vp-sandbox.h"
#include "vp-url.h"

/* Exit statuses, documented in --help and README.md */
enum {
  EXIT_OK = 0,
  EXIT_FAILURE_OTHER = 1,
  EXIT_USAGE = 2,
  EXIT_CANNOT_CONNECT = 3,
  EXIT_UNAUTHORIZED = 4,
  EXIT_NOT_FOUND = 5,
  EXIT_RATE_LIMITED = 6,
  EXIT_SERVER_ERROR = 7,
  EXIT_INVALID_RESPONSE = 8,
  EXIT_PARTIAL = 9,          /* export: the file was written without some jobs */
  EXIT_CANNOT_WRITE = 10,    /* export: the output file could not be written */
  EXIT_CANCELLED = 130,
};

#define DEFAULT_JOBS_LIMIT 20
#define DEFAULT_EXPORT_LIMIT 100

static const char * const commands[] = { "jobs", "export", NULL };

/* Options that take a value as the next argument */
static gboolean
option_takes_value (const char *arg)
{
  static const char * const with_value[] = {
    "--base-url", "--api-key", "--limit", "-n", "--format", "--status",
    "--job", "--output", "-o", NULL
  };

  return g_strv_contains (with_value, arg);
}

static int
find_command (int    argc,
              char **argv)
{
  for (int i = 1; i < argc; i++)
    {
      if (g_strcmp0 (argv[i], "--") == 0)
        return -1;

      if (argv[i][0] == '-')
        {
          if (option_takes_value (argv[i]))
            i++;
          continue;
        }

      return g_strv_contains (commands, argv[i]) ? i : -1;
    }

  return -1;
}

gboolean
vp_cli_wants_command (int    argc,
                      char **argv)
{
  return find_command (argc, argv) > 0;
}

static int
exit_status_for_error (const GError *error)
{
  g_assert (error != NULL);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return EXIT_CANCELLED;

  /* Only the export's output file reports I/O errors */
  if (error->domain == G_IO_ERROR)
    return EXIT_CANNOT_WRITE;

  if (error->domain != VP_CLIENT_ERROR)
    return EXIT_FAILURE_OTHER;

  switch ((VpClientError) error->code)
    {
    case VP_CLIENT_ERROR_CANNOT_CONNECT:
    case VP_CLIENT_ERROR_INVALID_URL:
      return EXIT_CANNOT_CONNECT;
    case VP_CLIENT_ERROR_UNAUTHORIZED:
      return EXIT_UNAUTHORIZED;
    case VP_CLIENT_ERROR_NOT_FOUND:
      return EXIT_NOT_FOUND;
    case VP_CLIENT_ERROR_RATE_LIMITED:
      return EXIT_RATE_LIMITED;
    case VP_CLIENT_ERROR_SERVER_ERROR:
      return EXIT_SERVER_ERROR;
    case VP_CLIENT_ERROR_INVALID_RESPONSE:
      return EXIT_INVALID_RESPONSE;
    case VP_CLIENT_ERROR_BAD_REQUEST:
    default:
      return EXIT_FAILURE_OTHER;
    }
}

static int
report_error (const GError *error)
{
  g_assert (error != NULL);

  if (g_error_matches (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_UNAUTHORIZED))
    g_printerr ("voxparse-browser: %s. %s\n", error->message,
                _("Check the key given with --api-key or VOXPARSE_API_KEY."));
  else
    g_printerr ("voxparse-browser: %s\n", error->message);

  return exit_status_for_error (error);
}

/* -------------------------------------------------------------------------
 * jobs
 */

typedef struct {
  VpClient     *client;
  GMainLoop    *loop;
  GCancellable *cancellable;
  guint         wanted;
  guint         printed;
  GError       *error;
} JobsCommand;

static void fetch_jobs (JobsCommand *command);

static char *
format_local_time (GDateTime *time)
{
  g_autoptr(GDateTime) local = NULL;

  if (time == NULL)
    return NULL;

  local = g_date_time_to_local (time);
  return g_date_time_format (local, "%Y-%m-%d %H:%M");
}

static void
print_job (VpJob *job)
{
  g_autofree char *created = format_local_time (vp_job_get_created_at (job));
  g_autofree char *duration = vp_format_duration (vp_job_get_duration_seconds (job));
  g_autofree char *cost = vp_format_cost_cents (vp_job_get_cost_cents (job));
  const char *model = vp_job_get_model (job);

  g_print ("%s  %-10s  %-16s  %8s  %-10s  %8s\n",
           vp_job_get_id (job),
           vp_job_status_to_string (vp_job_get_status (job)),
           created ? created : "-",
           duration ? duration : "-",
           model ? model : "-",
           cost ? cost : "-");
}

static void
on_jobs_page_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  JobsCommand *command = user_data;
  g_autoptr(GPtrArray) page = NULL;
  guint requested;

  requested = MIN (command->wanted - command->printed, VP_CLIENT_MAX_LIMIT);
  page = vp_client_list_jobs_finish (VP_CLIENT (object), result, &command->error);

  if (page == NULL)
    {
      g_main_loop_quit (command->loop);
      return;
    }

  for (guint i = 0; i < page->len && command->printed < command->wanted; i++, command->printed++)
    print_job (g_ptr_array_index (page, i));

  /* A short page is the end of the list. */
  if (page->len < requested || command->printed >= command->wanted)
    g_main_loop_quit (command->loop);
  else
    fetch_jobs (command);
}

static void
fetch_jobs (JobsCommand *command)
{
  vp_client_list_jobs_async (command->client,
                             MIN (command->wanted - command->printed, VP_CLIENT_MAX_LIMIT),
                             command->printed,
                             command->cancellable,
                             on_jobs_page_cb,
                             command);
}

static gboolean
on_interrupt_cb (gpointer user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
  return G_SOURCE_CONTINUE;
}

static int
run_jobs (VpClient *client,
          guint     limit)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  JobsCommand command = {
    .client = client,
    .loop = loop,
    .cancellable = cancellable,
    .wanted = limit,
  };
  guint sigint_id;
  int status = EXIT_OK;

  if (limit == 0)
    return EXIT_OK;

  sigint_id = g_unix_signal_add (SIGINT, on_interrupt_cb, cancellable);
  fetch_jobs (&command);
  g_main_loop_run (loop);
  g_source_remove (sigint_id);

  if (command.error != NULL)
    {
      status = report_error (command.error);
      g_clear_error (&command.error);
    }

  return status;
}

/* -------------------------------------------------------------------------
 * export
 */

typedef struct {
  VpClient     *client;
  GMainLoop    *loop;
  GCancellable *cancellable;
  VpExport     *export;
  guint         wanted;
  guint         offset;
  gboolean      filter;
  VpJobStatus   status;
  gboolean      progress;
  GError       *error;
} ExportCommand;

static void list_for_export (ExportCommand *command);

static void
print_progress (ExportCommand *command)
{
  if (!command->progress)
    return;

  g_printerr ("\r%s", "");
  g_printerr (_("Fetched %u/%u, written %u"),
              vp_export_get_n_fetched (command->export),
              vp_export_get_n_total (command->export),
              vp_export_get_n_written (command->export));
  fflush (stderr);
}

static void
on_export_progress_cb (ExportCommand *command)
{
  print_progress (command);
}

static void
on_export_done_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  ExportCommand *command = user_data;

  vp_export_run_finish (VP_EXPORT (object), result, &command->error);
  g_main_loop_quit (command->loop);
}

static void
start_export (ExportCommand *command)
{
  g_signal_connect_swapped (command->export, "notify::n-fetched",
                            G_CALLBACK (on_export_progress_cb), command);
  g_signal_connect_swapped (command->export, "notify::n-written",
                            G_CALLBACK (on_export_progress_cb), command);
  print_progress (command);
  vp_export_run_async (command->export, command->cancellable, on_export_done_cb, command);
}

static void
on_export_page_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  ExportCommand *command = user_data;
  g_autoptr(GPtrArray) page = NULL;

  page = vp_client_list_jobs_finish (VP_CLIENT (object), result, &command->error);

  if (page == NULL)
    {
      g_main_loop_quit (command->loop);
      return;
    }

  command->offset += page->len;
  for (guint i = 0; i < page->len && vp_export_get_n_total (command->export) < command->wanted; i++)
    {
      VpJob *job = g_ptr_array_index (page, i);

      if (!command->filter || vp_job_get_status (job) == command->status)
        vp_export_add_job (command->export, job);
    }

  /* A short page is the end of the list. */
  if (page->len < VP_CLIENT_MAX_LIMIT || vp_export_get_n_total (command->export) >= command->wanted)
    start_export (command);
  else
    list_for_export (command);
}

static void
list_for_export (ExportCommand *command)
{
  if (command->progress)
    {
      g_printerr ("\r%s", "");
      g_printerr (_("Listing jobs… %u"), command->offset);
    }

  vp_client_list_jobs_async (command->client, VP_CLIENT_MAX_LIMIT, command->offset,
                             command->cancellable, on_export_page_cb, command);
}

static int
run_export (VpClient           *client,
            VpExportFormat      format,
            GFile              *output,
            const char * const *job_ids,
            const char         *status,
            guint               limit,
            gboolean            mask_pii)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(VpExport) export = vp_export_new (client, format, output);
  g_autofree char *display = g_file_get_parse_name (output);
  ExportCommand command = {
    .client = client,
    .loop = loop,
    .cancellable = cancellable,
    .export = export,
    .wanted = limit,
    .filter = status != NULL,
    .status = vp_job_status_from_string (status),
    .progress = isatty (2),
  };
  const VpExportSkipped *skipped;
  guint n_skipped = 0;
  guint sigint_id;
  int exit_status = EXIT_OK;

  vp_export_set_mask_pii (export, mask_pii);

  sigint_id = g_unix_signal_add (SIGINT, on_interrupt_cb, cancellable);

  if (job_ids != NULL && job_ids[0] != NULL)
    {
      for (guint i = 0; job_ids[i] != NULL; i++)
        vp_export_add_job_id (export, job_ids[i]);
      start_export (&command);
    }
  else if (limit == 0)
    start_export (&command);
  else
    list_for_export (&command);

  g_main_loop_run (loop);
  g_source_remove (sigint_id);

  if (command.progress)
    g_printerr ("\n");

  if (command.error != NULL)
    {
      exit_status = report_error (command.error);
      g_clear_error (&command.error);
      return exit_status;
    }

  skipped = vp_export_get_skipped (export, &n_skipped);
  for (guint i = 0; i < n_skipped; i++)
    g_printerr ("voxparse-browser: %s %s: %s\n", _("skipped"), skipped[i].job_id, skipped[i].reason);

  if (command.progress)
    g_printerr (_("Exported %u of %u jobs to %s\n"),
                vp_export_get_n_exported (export), vp_export_get_n_total (export), display);

  return n_skipped > 0 ? EXIT_PARTIAL : EXIT_OK;
}

static gboolean
parse_format (const char     *name,
              GFile          *output,
              VpExportFormat *format)
{
  g_autofree char *basename = NULL;

  if (name == NULL && output != NULL)
    {
      /* Not given: the file name may say */
      basename = g_file_get_basename (output);
      if (basename != NULL && g_str_has_suffix (basename, ".csv"))
        name = "csv";
      else if (basename != NULL && g_str_has_suffix (basename, ".json"))
        name = "json";
    }

  if (g_ascii_strcasecmp (name ? name : "", "csv") == 0)
    *format = VP_EXPORT_FORMAT_CSV;
  else if (g_ascii_strcasecmp (name ? name : "", "json") == 0)
    *format = VP_EXPORT_FORMAT_JSON;
  else
    return FALSE;

  return TRUE;
}

/* -------------------------------------------------------------------------
 * Entry point
 */

int
vp_cli_run (int    argc,
            char **argv)
{
  g_auto(VpConnectionOptions) options = { 0 };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(VpSandbox) sandbox = NULL;
  g_autoptr(VpClient) client = NULL;
  g_autoptr(GFile) output = NULL;
  g_auto(GStrv) args = NULL;
  g_auto(GStrv) job_ids = NULL;
  g_autofree char *format_name = NULL;
  g_autofree char *status = NULL;
  g_autofree char *output_name = NULL;
  VpExportFormat format = VP_EXPORT_FORMAT_CSV;
  gboolean mask_pii = FALSE;
  gboolean is_export;
  gint64 limit = -1;
  int command_index;
  const GOptionEntry entries[] = {
    { "base-url", 0, 0, G_OPTION_ARG_STRING, &options.base_url,
      N_("The VoxParse server (default: $VOXPARSE_BASE_URL, else https://api.voxparse.com)"), N_("URL") },
    { "api-key", 0, 0, G_OPTION_ARG_STRING, &options.api_key,
      N_("The API key (default: $VOXPARSE_API_KEY)"), N_("KEY") },
    { "demo", 0, 0, G_OPTION_ARG_NONE, &options.demo,
      N_("Use the built-in sample calls instead of an account"), NULL },
    { NULL }
  };
  const GOptionEntry jobs_entries[] = {
    { "limit", 'n', 0, G_OPTION_ARG_INT64, &limit,
      N_("How many jobs to list (default 20)"), N_("N") },
    { NULL }
  };
  const GOptionEntry export_entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_name,
      N_("csv or json (default: from the file name)"), N_("FORMAT") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output_name,
      N_("The file to write (replaced only once complete)"), N_("FILE") },
    { "job", 0, 0, G_OPTION_ARG_STRING_ARRAY, &job_ids,
      N_("Export this job (repeatable); otherwise the newest jobs"), N_("ID") },
    { "status", 0, 0, G_OPTION_ARG_STRING, &status,
      N_("Only jobs with this status (queued, processing, completed, failed)"), N_("STATUS") },
    { "limit", 'n', 0, G_OPTION_ARG_INT64, &limit,
      N_("Export at most N jobs, newest first (default 100)"), N_("N") },
    { "mask-pii", 0, 0, G_OPTION_ARG_NONE, &mask_pii,
      N_("Mask card, account, social security and phone numbers, keeping the last four digits"), NULL },
    { NULL }
  };

  command_index = find_command (argc, argv);
  g_return_val_if_fail (command_index > 0, EXIT_USAGE);
  is_export = g_str_equal (argv[command_index], "export");

  if (is_export)
    {
      context = g_option_context_new (_("export — write jobs and their results to a CSV or JSON file"));
      g_option_context_set_description (context,
        _("CSV: one row per job, UTF-8 with a byte order mark, lists joined with \" | \".\n"
          "JSON: each job as the API sent it with its full result, and the skipped jobs.\n"
          "Only completed jobs have results; others are skipped with a message on stderr.\n"
          "\n"
          "Exit status: 0 every job exported, 9 file written but some jobs skipped,\n"
          "10 cannot write the file, 2 wrong usage, 3 cannot connect, 4 key rejected\n"
          "or missing, 5 not found, 6 rate limited, 7 server error, 8 invalid response,\n"
          "130 interrupted (the file is then left as it was)."));
    }
  else
    {
      context = g_option_context_new (_("jobs — list the account’s jobs, newest first"));
      g_option_context_set_description (context,
        _("Exit status: 0 done, 2 wrong usage, 3 cannot connect, 4 key rejected or missing,\n"
          "5 not found, 6 rate limited, 7 server error, 8 invalid response, 130 interrupted."));
    }
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, is_export ? export_entries : jobs_entries,
                                     GETTEXT_PACKAGE);

  /* GOptionContext wants the command out of the way. */
  args = g_new0 (char *, argc + 1);
  for (int i = 0, j = 0; i < argc; i++)
    if (i != command_index)
      args[j++] = g_strdup (argv[i]);

  if (!g_option_context_parse_strv (context, &args, &error))
    {
      g_printerr ("voxparse-browser: %s\n", error->message);
      return EXIT_USAGE;
    }

  if (g_strv_length (args) > 1)
    {
      /* Not repeated: it may be a key given without its option. */
      g_printerr ("voxparse-browser: %s\n", _("Unexpected argument; see --help"));
      return EXIT_USAGE;
    }

  if (limit == -1)
    limit = is_export ? DEFAULT_EXPORT_LIMIT : DEFAULT_JOBS_LIMIT;

  if (limit < 0 || limit > G_MAXUINT)
    {
      g_printerr ("voxparse-browser: %s\n", _("--limit must be a positive number"));
      return EXIT_USAGE;
    }

  if (is_export)
    {
      if (output_name == NULL || *output_name == '\0')
        {
          g_printerr ("voxparse-browser: %s\n", _("export needs --output FILE"));
          return EXIT_USAGE;
        }
      output = g_file_new_for_commandline_arg (output_name);

      if (!parse_format (format_name, output, &format))
        {
          g_printerr ("voxparse-browser: %s\n", _("--format must be csv or json"));
          return EXIT_USAGE;
        }

      if (status != NULL && vp_job_status_from_string (status) == VP_JOB_STATUS_UNKNOWN)
        {
          g_printerr ("voxparse-browser: %s\n",
                      _("--status must be queued, processing, completed or failed"));
          return EXIT_USAGE;
        }

      if (job_ids != NULL && (status != NULL || limit != DEFAULT_EXPORT_LIMIT))
        {
          g_printerr ("voxparse-browser: %s\n", _("--job cannot be combined with --status or --limit"));
          return EXIT_USAGE;
        }
    }

  if (options.demo)
    {
      sandbox = vp_sandbox_new (VP_SANDBOX_DEFAULT_SEED, VP_DEMO_N_JOBS,
                                VP_SANDBOX_DEFAULT_API_KEY);
      if (!vp_sandbox_start_thread (sandbox, 0, &error))
        {
          g_printerr ("voxparse-browser: %s\n", error->message);
          return EXIT_FAILURE_OTHER;
        }
      client = vp_client_new (vp_sandbox_get_base_url (sandbox), vp_sandbox_get_api_key (sandbox));
    }
  else
    {
      vp_connection_options_resolve (&options);

      if (options.api_key == NULL)
        {
          g_printerr ("voxparse-browser: %s\n",
                      _("No API key: give --api-key KEY or set VOXPARSE_API_KEY (or try --demo)"));
          return EXIT_UNAUTHORIZED;
        }

      if (!vp_url_check_server (options.base_url, &error))
        {
          g_printerr ("voxparse-browser: %s\n", error->message);
          return EXIT_CANNOT_CONNECT;
        }

      client = vp_client_new (options.base_url, options.api_key);
    }

  if (is_export)
    return run_export (client, format, output, (const char * const *) job_ids,
                       status, (guint) limit, mask_pii);

  return run_jobs (client, (guint) limit);
}
