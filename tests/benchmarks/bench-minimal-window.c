/* bench-minimal-window.c: the baseline of bench-startup
 *
 * The smallest GTK 4 application: a GtkApplication that presents one empty
 * window.  It prints CLOCK_MONOTONIC (ns) at the end of the first frame
 * painted after the window was mapped, and quits.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gtk/gtk.h>
#include <stdio.h>
#include <time.h>

static void
on_after_paint_cb (GdkFrameClock *clock,
                   GtkWidget     *window)
{
  struct timespec ts;

  if (!gtk_widget_get_mapped (window))
    return;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  fprintf (stderr, "VOXPARSE_BENCH_FIRST_PAGE %lld\n",
           (long long) ts.tv_sec * 1000000000LL + ts.tv_nsec);
  fflush (stderr);

  g_signal_handlers_disconnect_by_func (clock, on_after_paint_cb, window);
  g_application_quit (G_APPLICATION (gtk_window_get_application (GTK_WINDOW (window))));
}

static void
on_realize_cb (GtkWidget *window)
{
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint",
                    G_CALLBACK (on_after_paint_cb), window);
}

static void
on_activate_cb (GtkApplication *app)
{
  GtkWidget *window = gtk_application_window_new (app);

  gtk_window_set_title (GTK_WINDOW (window), "Minimal");
  gtk_window_set_default_size (GTK_WINDOW (window), 1180, 760);
  g_signal_connect (window, "realize", G_CALLBACK (on_realize_cb), NULL);
  gtk_window_present (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GtkApplication) app = gtk_application_new ("com.voxparse.BenchMinimal",
                                                       G_APPLICATION_DEFAULT_FLAGS);

  g_signal_connect (app, "activate", G_CALLBACK (on_activate_cb), NULL);

  return g_application_run (G_APPLICATION (app), argc, argv);
}
