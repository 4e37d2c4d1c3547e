/* bench-util.c: what the benchmarks share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bench"

#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "bench-util.h"

static const char *
sandbox_path (void)
{
  const char *path = g_getenv ("VOXPARSE_SANDBOX");

  return path != NULL ? path : "voxparse-sandbox";
}

BenchSandbox *
bench_sandbox_start (const char *first_arg,
                     ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  BenchSandbox *sandbox;
  gboolean long_call = FALSE;
  va_list ap;

  g_ptr_array_add (argv, (char *) sandbox_path ());
  g_ptr_array_add (argv, (char *) "--port=0");
  g_ptr_array_add (argv, (char *) "--api-key=" BENCH_API_KEY);
  va_start (ap, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (ap, const char *))
    {
      g_ptr_array_add (argv, (char *) arg);
      long_call |= g_str_has_prefix (arg, "--long-call");
    }
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  sandbox = g_new0 (BenchSandbox, 1);
  sandbox->process = g_subprocess_newv ((const char * const *) argv->pdata,
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  if (sandbox->process == NULL)
    g_error ("Cannot start %s: %s", sandbox_path (), error->message);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (sandbox->process));
  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
      const char *p;

      if (line == NULL)
        g_error ("The sandbox stopped before listening: %s",
                 error ? error->message : "end of output");

      if ((p = strstr (line, "listening on ")) != NULL)
        {
          char *end;

          sandbox->base_url = g_strdup (p + strlen ("listening on "));
          if ((end = strchr (sandbox->base_url, ' ')) != NULL)
            *end = '\0';
          /* with --long-call, its line comes right after */
          if (!long_call)
            break;
        }
      else if ((p = strstr (line, "/v1/jobs/")) != NULL)
        {
          sandbox->long_call_id = g_strndup (p + strlen ("/v1/jobs/"),
                                             strcspn (p + strlen ("/v1/jobs/"), "/"));
          break;
        }
    }

  return sandbox;
}

void
bench_sandbox_stop (BenchSandbox *sandbox)
{
  if (sandbox == NULL)
    return;

  g_subprocess_send_signal (sandbox->process, SIGTERM);
  g_subprocess_wait (sandbox->process, NULL, NULL);
  g_clear_object (&sandbox->process);
  g_free (sandbox->base_url);
  g_free (sandbox->long_call_id);
  g_free (sandbox);
}

double
bench_sandbox_cpu (BenchSandbox *sandbox)
{
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  unsigned long utime = 0, stime = 0;
  const char *p;

  g_assert (sandbox != NULL);

  path = g_strdup_printf ("/proc/%s/stat", g_subprocess_get_identifier (sandbox->process));
  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return 0;

  /* fields 14 and 15, after the ")" that ends the command name */
  p = strrchr (contents, ')');
  if (p == NULL ||
      sscanf (p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &utime, &stime) != 2)
    return 0;

  return (double) (utime + stime) / sysconf (_SC_CLK_TCK);
}

double
bench_self_cpu (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);

  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 +
         usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
}

gsize
bench_self_rss (void)
{
  g_autofree char *contents = NULL;
  unsigned long size = 0, resident = 0;

  if (!g_file_get_contents ("/proc/self/statm", &contents, NULL, NULL) ||
      sscanf (contents, "%lu %lu", &size, &resident) != 2)
    return 0;

  return (gsize) resident * sysconf (_SC_PAGESIZE);
}

double
bench_now (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);

  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

double
bench_median (double *values,
              guint   n)
{
  if (n == 0)
    return 0;

  qsort (values, n, sizeof (double), compare_doubles);

  if (n % 2 == 1)
    return values[n / 2];

  return (values[n / 2 - 1] + values[n / 2]) / 2;
}

guint
bench_rounds (guint fallback)
{
  const char *env = g_getenv ("VOXPARSE_BENCH_ROUNDS");
  guint64 value;

  if (env != NULL && g_ascii_string_to_unsigned (env, 10, 1, 1000, &value, NULL))
    return (guint) value;

  return fallback;
}

static gboolean
wake_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

gboolean
bench_wait_for (const gboolean *flag,
                double          seconds)
{
  double deadline = bench_now () + seconds;
  guint wake = g_timeout_add (100, wake_cb, NULL);

  while (!*flag && bench_now () < deadline)
    g_main_context_iteration (NULL, TRUE);

  g_source_remove (wake);

  return *flag;
}

gboolean
bench_report (const char *what,
              double      value,
              double      baseline,
              const char *unit,
              gboolean    at_most,
              double      target_ratio)
{
  double ratio = baseline > 0 ? value / baseline : 0;
  gboolean pass = at_most ? ratio <= target_ratio : ratio >= target_ratio;

  printf ("%-34s %10.3f %-6s baseline %10.3f %-6s ratio %6.2f  target %s %.2f  %s\n",
          what, value, unit, baseline, unit, ratio,
          at_most ? "<=" : ">=", target_ratio, pass ? "PASS" : "FAIL");
  fflush (stdout);

  return pass;
}

void
bench_print_load (void)
{
  double load[3];

  if (getloadavg (load, 3) == 3)
    printf ("machine: %ld CPUs, load average %.2f %.2f %.2f%s\n",
            sysconf (_SC_NPROCESSORS_ONLN), load[0], load[1], load[2],
            load[0] > 0.5 ? "  (LOADED: figures are noisy)" : "");
  fflush (stdout);
}
