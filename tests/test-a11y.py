#!/usr/bin/env python3
# test-a11y.py: every button has a name a screen reader can say
#
# Runs under tests/headless.sh (Xvfb and a private D-Bus session).  Starts
# voxparse-browser --demo with the accessibility bridge on, finds it in the
# AT-SPI registry, and walks its accessibility tree as Orca would: every
# push button, toggle button and menu button must have a non-empty name.
# The Preferences, the About dialog and the Keyboard Shortcuts window are
# opened through the application's own D-Bus actions (org.gtk.Actions) and
# walked too, and the Filters popover through its button's AT-SPI action,
# as a screen reader user would open it.  TAP output.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import re
import subprocess
import sys
import time

try:
    import gi
    gi.require_version("Atspi", "2.0")
    import pyatspi
    from gi.repository import Gio, GLib
except (ImportError, ValueError) as error:
    print("1..0 # SKIP python3-pyatspi is not installed: %s" % error)
    sys.exit(0)

# The plain run checks accessible names; under AddressSanitizer the
# instrumented app registers its whole accessibility tree too slowly for the
# registry wait (seen: 300 s on a loaded 2-core machine).  Memory safety of
# the same windows is covered there by the other widget tests.
if os.environ.get("VOXPARSE_SANITIZED"):
    print("1..0 # SKIP the AT-SPI walk runs in the plain suite, not under sanitizers")
    sys.exit(0)

APP_ID = "com.voxparse.CallBrowser"
APP_PATH = "/com/voxparse/CallBrowser"
# Bounded waits: polls every 0.1 s, never more than this
WAIT_SECONDS = 300  # a guard against hanging, not a time limit

BUTTON_ROLES = {
    pyatspi.ROLE_PUSH_BUTTON,
    pyatspi.ROLE_TOGGLE_BUTTON,
}
for name in ("ROLE_PUSH_BUTTON_MENU", "ROLE_MENU_BUTTON"):
    if hasattr(pyatspi, name):
        BUTTON_ROLES.add(getattr(pyatspi, name))

# The Filters popover's drop-downs, whose buttons are named after them
FILTER_NAMES = ("Status", "Call type", "Outcome", "Recording disclosure", "Sensitive data shared")

results = []

# GTK 4.8 names a widget that has no name after its type ("GtkButton").
TYPE_NAME = re.compile(r"^(Gtk|Vp)[A-Z][A-Za-z]*$")


def report(ok, description, details=()):
    # An expected failure ("# TODO") does not count against the run.
    results.append(ok or "# TODO" in description)
    print("%s %d - %s" % ("ok" if ok else "not ok", len(results), description))
    for line in details:
        print("# " + line)
    sys.stdout.flush()


# The application under test: a wait ends early if it has exited.
app_process = None


def wait_for(predicate, what):
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if app_process is not None and app_process.poll() is not None:
            raise TimeoutError("%s (the application exited with status %d)"
                               % (what, app_process.returncode))
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise TimeoutError(what)


def window_names(app):
    return ", ".join("“%s”%s" % (n, "" if showing(w) else " (hidden)") for n, w in windows(app).items())


def find_app(pid):
    desktop = pyatspi.Registry.getDesktop(0)
    for i in range(desktop.childCount):
        app = desktop.getChildAtIndex(i)
        try:
            if app is not None and app.get_process_id() == pid:
                return app
        except GLib.Error:
            continue
    return None


def showing(accessible):
    try:
        return accessible.getState().contains(pyatspi.STATE_SHOWING)
    except GLib.Error:
        return False


def visible(accessible):
    try:
        return accessible.getState().contains(pyatspi.STATE_VISIBLE)
    except GLib.Error:
        return False


def walk(accessible, path=""):
    """Yields (accessible, path) for every visible widget under @accessible.

    GTK 4.8 sets "showing" on windows only, so hidden pages of a stack are
    walked too: their buttons need names as much as the others."""
    try:
        role = accessible.getRoleName()
        count = accessible.childCount
    except GLib.Error:
        return
    name = accessible.name or ""
    here = "%s/%s" % (path, role if not name or TYPE_NAME.match(name) else "%s “%s”" % (role, name))
    yield accessible, here
    for i in range(count):
        try:
            child = accessible.getChildAtIndex(i)
        except GLib.Error:
            continue
        if child is not None and visible(child):
            yield from walk(child, here)


def unnamed_buttons(root):
    bad = []
    n = 0
    for accessible, path in walk(root):
        try:
            role = accessible.getRole()
        except GLib.Error:
            continue
        if role in BUTTON_ROLES:
            n += 1
            name = (accessible.name or "").strip()
            if not name or TYPE_NAME.match(name):
                bad.append("%s (%s)" % (path, name or "empty"))
    return n, bad


def windows(app):
    found = {}
    for i in range(app.childCount):
        window = app.getChildAtIndex(i)
        if window is not None:
            found[window.name] = window
    return found


def find_button(root, name):
    for accessible, path in walk(root):
        try:
            # GTK 4.8 names a button with a mnemonic "_Label Label"
            if accessible.getRole() in BUTTON_ROLES and name in (accessible.name or ""):
                return accessible
        except GLib.Error:
            continue
    return None


def has_button(root, name):
    return find_button(root, name) is not None


def has_drop_down_button(root, name):
    """Whether the button inside the drop-down (combo box) @name is named
    @name too."""
    for accessible, path in walk(root):
        try:
            if (accessible.getRole() in BUTTON_ROLES and accessible.name == name
                    and accessible.parent.getRole() == pyatspi.ROLE_COMBO_BOX):
                return True
        except GLib.Error:
            continue
    return False


def find_pressable(root, name):
    """The button named exactly @name that can be pressed: a GtkMenuButton
    is a button (no action) around its own toggle button (one action)."""
    for accessible, path in walk(root):
        try:
            if (accessible.getRole() in BUTTON_ROLES and accessible.name == name
                    and accessible.queryAction().nActions > 0):
                return accessible
        except (GLib.Error, NotImplementedError):
            continue
    return None


def check_window(app, title, description, expect=None):
    # GTK 4.8 does not always update "showing" of a new dialog: by name.
    window = wait_for(lambda: next((w for n, w in windows(app).items()
                                    if title in (n or "")), None),
                      "window “%s”" % title)
    # Its content arrives a moment after the window itself; some of it
    # (a call's panes) only once it is first shown: wait for @expect.
    wait_for(lambda: unnamed_buttons(window)[0] > 0, "buttons in “%s”" % title)
    if expect:
        wait_for(lambda: has_button(window, expect), "button “%s” in “%s”" % (expect, title))
    n, bad = unnamed_buttons(window)
    report(not bad, "%s: all %d buttons have an accessible name" % (description, n),
           ["no name: " + path for path in bad])
    return window


def activate(bus, path, action, parameter=None):
    params = [parameter] if parameter is not None else []
    bus.call_sync(APP_ID, path, "org.gtk.Actions", "Activate",
                  GLib.Variant("(sava{sv})", (action, params, {})),
                  None, Gio.DBusCallFlags.NONE, -1, None)


def report_timeout(error, app):
    report(False, "timed out waiting for %s" % error,
           ["windows: " + window_names(app)] if app else [])


def stop(process):
    process.terminate()
    try:
        process.wait(timeout=WAIT_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()


def main():
    global app_process
    browser = os.environ.get("VOXPARSE_BROWSER")
    if not browser:
        print("1..0 # SKIP VOXPARSE_BROWSER is not set (run under meson test)")
        return 0

    env = dict(os.environ)
    # headless.sh turns accessibility off for the other tests.
    env["NO_AT_BRIDGE"] = "0"
    env["GTK_A11Y"] = "atspi"
    env.setdefault("GSETTINGS_BACKEND", "memory")

    print("1..8")
    app_process = subprocess.Popen([browser, "--demo"], env=env)
    app = None
    try:
        app = wait_for(lambda: find_app(app_process.pid), "the application in the AT-SPI registry")
        bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)

        # Hidden pages of stacks are in the tree too (see walk()): the four
        # panes of a call (built when the first call opens).
        window = check_window(app, "VoxParse Call Browser", "main window, all pages",
                              expect="Copy Call ID")

        # The header's tooltips reach screen readers as descriptions,
        # though they are handed to GTK only on demand (vp-tooltip.c).
        refresh = find_button(window, "Refresh")
        description = refresh.description if refresh is not None else None
        report(description == "Refresh (F5)",
               "the Refresh button's tooltip is its accessible description",
               ["description: %r" % (description,)])

        # The audit table is built when it is first shown (win.show-view,
        # Ctrl+2): its buttons join the window's.
        n_before = unnamed_buttons(window)[0]
        activate(bus, APP_PATH + "/window/1", "show-view", GLib.Variant("s", "audit"))
        wait_for(lambda: unnamed_buttons(window)[0] > n_before, "the audit table's buttons")
        n, bad = unnamed_buttons(window)
        report(not bad, "main window with the audit table: all %d buttons have an accessible name" % n,
               ["no name: " + path for path in bad])

        # The Filters popover is built when it first opens: pressed as a
        # screen reader user would, through the button's AT-SPI action.
        # It adds six buttons: its five drop-downs' and "Clear Filters".
        n_before = n
        filters = wait_for(lambda: find_pressable(window, "Filters"), "the Filters button")
        filters.queryAction().doAction(0)
        wait_for(lambda: unnamed_buttons(window)[0] >= n_before + 6, "the Filters popover's buttons")
        n, bad = unnamed_buttons(window)
        missing = [name for name in FILTER_NAMES if not has_drop_down_button(window, name)]
        report(not bad and not missing,
               "main window with the Filters popover: all %d buttons have an accessible name" % n,
               ["no name: " + path for path in bad] + ["no button named " + name for name in missing])
        filters.queryAction().doAction(0)

        activate(bus, APP_PATH, "preferences")
        check_window(app, "Preferences", "Preferences")

        activate(bus, APP_PATH, "about")
        check_window(app, "About", "About dialog")

        activate(bus, APP_PATH + "/window/1", "show-help-overlay")
        window = wait_for(lambda: next((w for n, w in windows(app).items()
                                        if "Shortcuts" in (n or "")), None),
                          "the shortcuts window")
        # Its buttons are GTK's own (search, section menu): a finding
        # there is GTK 4.8's, reported but not counted against the app.
        n, bad = unnamed_buttons(window)
        # In TAP, a finding marked TODO is "not ok … # TODO": an expected
        # failure, which does not fail the run but stays visible.
        report(not bad, "Keyboard Shortcuts: all %d buttons have an accessible name%s"
               % (n, " # TODO GTK 4.8's own buttons of GtkShortcutsWindow are unnamed" if bad else ""),
               ["no name: " + path for path in bad])
    except TimeoutError as error:
        report_timeout(error, app)
    finally:
        stop(app_process)

    # Without a key the window opens on the welcome page, which is built
    # only then: a second start, with no key stored.
    app_process = subprocess.Popen([browser], env=env)
    app = None
    try:
        app = wait_for(lambda: find_app(app_process.pid), "the application in the AT-SPI registry")
        check_window(app, "VoxParse Call Browser", "welcome page", expect="Explore Sample Calls")
    except TimeoutError as error:
        report_timeout(error, app)
    finally:
        stop(app_process)

    while len(results) < 7:
        report(False, "not reached")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
