/* main.c: voxparse-sandbox, a local VoxParse-compatible server
 *
 * Serves generated calls on 127.0.0.1 so the browser, curl or a benchmark
 * can talk to something that behaves like the real API.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "vp-sandbox"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <glib-unix.h>

#include "vp-generator.h"
#include "vp-sandbox.h"

static gboolean
on_clear_faults_cb (gpointer user_data)
{
  VpSandbox *sandbox = user_data;

  vp_sandbox_clear_faults (sandbox);
  g_print ("Faults cleared\n");

  return G_SOURCE_CONTINUE;
}

static gboolean
on_signal_cb (gpointer user_data)
{
  GMainLoop *loop = user_data;

  g_main_loop_quit (loop);

  return G_SOURCE_CONTINUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(VpSandbox) sandbox = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *api_key = NULL;
  g_autofree char *long_call_id = NULL;
  g_auto(GStrv) faults = NULL;
  int port = 8080;
  int n_jobs = VP_SANDBOX_DEFAULT_JOBS;
  gint64 seed = VP_SANDBOX_DEFAULT_SEED;
  int advance_every = 0;
  int long_call_words = 0;
  guint sigint_id, sigterm_id, sigusr1_id;
  const GOptionEntry entries[] = {
    { "port", 'p', 0, G_OPTION_ARG_INT, &port,
      "Port to listen on, on 127.0.0.1 only (default 8080; 0 picks a free port)", "PORT" },
    { "api-key", 'k', 0, G_OPTION_ARG_STRING, &api_key,
      "The API key clients must send in X-API-Key (default \"" VP_SANDBOX_DEFAULT_API_KEY "\")", "KEY" },
    { "jobs", 'n', 0, G_OPTION_ARG_INT, &n_jobs,
      "Number of generated jobs (default 300)", "N" },
    { "seed", 's', 0, G_OPTION_ARG_INT64, &seed,
      "Seed of the generator: the same seed gives the same jobs (default 1)", "S" },
    { "advance-every", 'a', 0, G_OPTION_ARG_INT, &advance_every,
      "Every SECONDS, move queued jobs to processing and processing jobs to completed (default 0 = never)", "SECONDS" },
    { "long-call", 0, 0, G_OPTION_ARG_INT, &long_call_words,
      "Make the newest completed job a long call of about WORDS words (40000 ~ four hours)", "WORDS" },
    { "fault", 'f', 0, G_OPTION_ARG_STRING_ARRAY, &faults,
      "Answer badly on purpose (repeatable): NAME[=PARAM][,rate=R][,only=list|job|result|pricing]. "
      "NAME is latency=MS, server-error=500|502|503, rate-limit=SECONDS, drop, truncate, not-json, "
      "wrong-types, huge-transcript=MB, deep-nesting=DEPTH, invalid-utf8, trickle=MS, redirect, "
      "foreign-result-url or echo-key.  SIGUSR1 clears them all", "FAULT" },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
    "Runs a local server that speaks the VoxParse Jobs API with generated\n"
    "call-center calls: GET /v1/jobs, /v1/jobs/{id}, /v1/jobs/{id}/result\n"
    "and /v1/pricing.  Stop it with Ctrl+C.");
  g_option_context_set_description (context,
    "Example:\n"
    "  curl 'http://127.0.0.1:8080/v1/jobs?limit=10&offset=0' -H 'X-API-Key: sandbox-key'\n");
  g_option_context_add_main_entries (context, entries, NULL);

  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }

  if (port < 0 || port > 65535)
    {
      g_printerr ("Invalid port %d: must be between 0 and 65535\n", port);
      return EXIT_FAILURE;
    }
  if (n_jobs < 0 || n_jobs > 10000000)
    {
      g_printerr ("Invalid number of jobs %d: must be between 0 and 10000000\n", n_jobs);
      return EXIT_FAILURE;
    }
  if (advance_every < 0)
    {
      g_printerr ("Invalid --advance-every %d: must be 0 or more seconds\n", advance_every);
      return EXIT_FAILURE;
    }
  if (long_call_words < 0)
    {
      g_printerr ("Invalid --long-call %d: must be a positive number of words\n", long_call_words);
      return EXIT_FAILURE;
    }
  if (api_key != NULL && *api_key == '\0')
    {
      g_printerr ("The API key must not be empty\n");
      return EXIT_FAILURE;
    }

  sandbox = vp_sandbox_new ((guint64) seed, (guint) n_jobs, api_key);

  if (long_call_words > 0 && n_jobs > 0)
    {
      /* the third newest job (the two newest are still in progress),
       * made completed if it was not */
      long_call_id = vp_sandbox_dup_job_id (sandbox, MIN (2, n_jobs - 1));
      vp_sandbox_set_job_status (sandbox, long_call_id, "completed");
      vp_sandbox_set_long_call (sandbox, long_call_id, (guint) long_call_words);
    }

  for (guint i = 0; faults != NULL && faults[i] != NULL; i++)
    if (!vp_sandbox_add_fault_spec (sandbox, faults[i], &error))
      {
        g_printerr ("%s\n", error->message);
        return EXIT_FAILURE;
      }

  if (!vp_sandbox_listen (sandbox, (guint) port, &error))
    {
      g_printerr ("Could not listen on 127.0.0.1:%d: %s\n", port, error->message);
      return EXIT_FAILURE;
    }

  vp_sandbox_set_advance_interval (sandbox, (guint) advance_every);

  g_print ("VoxParse sandbox listening on %s (API key: %s)\n",
           vp_sandbox_get_base_url (sandbox), vp_sandbox_get_api_key (sandbox));
  if (long_call_id != NULL)
    g_print ("Long call of about %d words: %s/v1/jobs/%s/result\n",
             long_call_words, vp_sandbox_get_base_url (sandbox), long_call_id);
  if (faults != NULL && faults[0] != NULL)
    g_print ("Faults on (kill -USR1 %d clears them); the foreign origin is %s\n",
             (int) getpid (), vp_sandbox_get_foreign_base_url (sandbox));
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  sigint_id = g_unix_signal_add (SIGINT, on_signal_cb, loop);
  sigterm_id = g_unix_signal_add (SIGTERM, on_signal_cb, loop);
  sigusr1_id = g_unix_signal_add (SIGUSR1, on_clear_faults_cb, sandbox);

  g_main_loop_run (loop);

  g_clear_handle_id (&sigint_id, g_source_remove);
  g_clear_handle_id (&sigterm_id, g_source_remove);
  g_clear_handle_id (&sigusr1_id, g_source_remove);

  g_debug ("Stopping after %u requests", vp_sandbox_get_request_count (sandbox));

  return EXIT_SUCCESS;
}
