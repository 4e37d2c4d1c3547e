/* main.c: voxparse-browser, which opens libvoxparse-browser.so and runs it
 *
 * The program (vp-main.c, the window, the core and the libraries they
 * use: GTK, libsoup, json-glib, libsecret) is a library this opens with
 * RTLD_LOCAL, rather than the executable itself.  Why: whatever a program
 * links is in its global scope, and every symbol the graphics driver looks
 * up when GTK loads it goes through that scope first.  Mesa's llvmpipe and
 * LLVM look a great many symbols up, each lookup longer by every library
 * linked; linking the ~80 libraries all this needs made the start-up some
 * 15 ms slower (README's Performance section; a minimal GTK window pays
 * its share of them too).  A launcher that links only the C library keeps
 * the global scope at three objects.
 *
 * What it costs: dlsym() on the program cannot see the app's code, so
 * GtkBuilder must not look types up that way (vp_application_ensure_types)
 * and every callback a .ui file names is bound by name (they already
 * were).  The widget tests link the app's static library directly;
 * test-cli.sh, test-a11y.py and test-install.sh run the launcher.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

int
main (int    argc,
      char **argv)
{
  int (*vp_main) (int, char **);
  void *library;

  /* Found through the executable's RUNPATH: the build tree's directory,
   * or the installed one (meson.build). */
  library = dlopen ("libvoxparse-browser.so", RTLD_LAZY | RTLD_LOCAL);
  if (library == NULL)
    {
      fprintf (stderr, "voxparse-browser: the installation is broken: %s\n", dlerror ());
      return EXIT_FAILURE;
    }

  *(void **) &vp_main = dlsym (library, "vp_main");
  if (vp_main == NULL)
    {
      fprintf (stderr, "voxparse-browser: the installation is broken: %s\n", dlerror ());
      return EXIT_FAILURE;
    }

  return vp_main (argc, argv);
}
