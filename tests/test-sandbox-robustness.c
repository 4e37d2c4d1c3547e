/* test-sandbox-robustness.c: the sandbox against hostile requests
 *
 * People run voxparse-sandbox too, so it must hold up against whatever a
 * client sends: bad limit/offset values, unknown paths and methods,
 * missing or wrong keys, huge headers, a request line that is garbage, a
 * request that never ends.  Requests go over raw sockets (libsoup's client
 * would refuse to send most of these); every answer must be a 4xx (a JSON
 * error when it comes from the sandbox's handler) or a clean close, and
 * the server must go on serving.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-sandbox-robustness"

#include "config.h"

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "vp-sandbox.h"

#define KEY "robust-key"

typedef struct {
  VpSandbox *sandbox;
  guint      port;
} Fixture;

typedef struct {
  guint    status;     /* 0: closed without an answer */
  char    *headers;
  char    *body;
} Raw;

static void
raw_free (Raw *raw)
{
  g_free (raw->headers);
  g_free (raw->body);
  g_free (raw);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Raw, raw_free)

/* How long a raw exchange waits for the server (seconds).  Where no answer
 * at all is acceptable, a short wait is enough: libsoup leaves some broken
 * requests unanswered, and the test must not wait long for nothing. */
static guint raw_timeout = 30;

static GSocketConnection *
raw_connect (Fixture *f)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GError) error = NULL;
  GSocketConnection *connection;

  g_socket_client_set_timeout (client, raw_timeout);
  connection = g_socket_client_connect_to_host (client, "127.0.0.1", f->port, NULL, &error);
  g_assert_no_error (error);

  return connection;
}

/* Sends @data and reads until the server closes (every request here asks
 * for "Connection: close", or is one the server should close on). */
static Raw *
raw_exchange (Fixture    *f,
              const char *data,
              gsize       len)
{
  g_autoptr(GSocketConnection) connection = raw_connect (f);
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  g_autoptr(GByteArray) received = g_byte_array_new ();
  Raw *raw = g_new0 (Raw, 1);
  const char *end;
  char buffer[4096];

  /* The server may close before all is sent (a refused header): fine. */
  g_output_stream_write_all (out, data, len, NULL, NULL, NULL);

  for (;;)
    {
      gssize n = g_input_stream_read (in, buffer, sizeof buffer, NULL, NULL);

      if (n <= 0)
        break;
      g_byte_array_append (received, (guint8 *) buffer, n);
    }

  g_byte_array_append (received, (guint8 *) "", 1);
  if (g_str_has_prefix ((char *) received->data, "HTTP/1."))
    raw->status = (guint) g_ascii_strtoull ((char *) received->data + 9, NULL, 10);

  end = strstr ((char *) received->data, "\r\n\r\n");
  if (end != NULL)
    {
      raw->headers = g_strndup ((char *) received->data, end - (char *) received->data);
      raw->body = g_strdup (end + 4);
    }

  return raw;
}

static Raw *
raw_get (Fixture    *f,
         const char *method,
         const char *target,
         const char *key)
{
  g_autofree char *request = NULL;

  request = g_strdup_printf ("%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\n%s%s%sConnection: close\r\n\r\n",
                             method, target,
                             key ? "X-API-Key: " : "", key ? key : "", key ? "\r\n" : "");
  return raw_exchange (f, request, strlen (request));
}

/* A JSON object with just an "error" string */
static void
assert_json_error (Raw   *raw,
                   guint  status)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *object;

  g_assert_cmpuint (raw->status, ==, status);
  g_assert_nonnull (raw->headers);
  g_assert_nonnull (strstr (raw->headers, "application/json"));
  json_parser_load_from_data (parser, raw->body, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  object = json_node_get_object (json_parser_get_root (parser));
  g_assert_nonnull (json_object_get_string_member (object, "error"));
}

/* The server still answers a good request. */
static void
assert_serving (Fixture *f)
{
  g_autoptr(Raw) raw = raw_get (f, "GET", "/v1/jobs?limit=2", KEY);

  g_assert_cmpuint (raw->status, ==, 200);
  g_assert_true (g_str_has_prefix (raw->body, "{\"jobs\":["));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->sandbox = vp_sandbox_new (3, 50, KEY);
  g_assert_true (vp_sandbox_start_thread (f->sandbox, 0, &error));
  g_assert_no_error (error);
  f->port = vp_sandbox_get_port (f->sandbox);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->sandbox);
}

static void
test_bad_paging (Fixture       *f,
                 gconstpointer  data)
{
  static const char * const bad[] = {
    "limit=-1", "limit=abc", "limit=", "limit=0", "limit=99999999999999999999",
    "limit=1e3", "limit=0x10", "limit=%205", "offset=-5",
    "offset=", "offset=x", "offset=4294967296", "offset=18446744073709551616",
    "limit=1.5", "limit=+5",
  };
  static const char * const good[] = {
    "limit=1000", "offset=2147483647", "limit=5&limit=7", "offset=0&offset=3",
    "limit=100&offset=49", "unknown=1", "limit", "&&&", "limit=05",
    /* decoded to "5" and a NUL: the C string is "5" */
    "limit=5%00",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *target = g_strconcat ("/v1/jobs?", bad[i], NULL);
      g_autoptr(Raw) raw = raw_get (f, "GET", target, KEY);

      g_test_message ("%s -> %u %s", bad[i], raw->status, raw->body);
      assert_json_error (raw, 400);
    }

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autofree char *target = g_strconcat ("/v1/jobs?", good[i], NULL);
      g_autoptr(Raw) raw = raw_get (f, "GET", target, KEY);

      g_test_message ("%s -> %u", good[i], raw->status);
      g_assert_cmpuint (raw->status, ==, 200);
      g_assert_true (g_str_has_prefix (raw->body, "{\"jobs\":["));
    }

  assert_serving (f);
}

static void
test_unknown_paths_and_methods (Fixture       *f,
                                gconstpointer  data)
{
  static const char * const paths[] = {
    "/", "/v1", "/v1/", "/v2/jobs", "/v1/job", "/v1/jobs/", "/v1/jobs//result",
    "/v1/jobs/x/result/more", "/v1/jobs/x/other", "/v1/jobs/%00", "/v1/jobs/..%2F..%2Fetc",
    "/v1/jobs/no-such-job", "/v1/jobs/no-such-job/result", "/favicon.ico",
  };
  static const char * const methods[] = { "POST", "PUT", "DELETE", "PATCH", "OPTIONS" };
  g_autofree char *long_path = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(Raw) raw = raw_get (f, "GET", paths[i], KEY);

      g_test_message ("GET %s -> %u", paths[i], raw->status);
      g_assert_cmpuint (raw->status, >=, 400);
      g_assert_cmpuint (raw->status, <, 500);
      if (raw->status != 400)
        assert_json_error (raw, 404);
    }

  for (guint i = 0; i < G_N_ELEMENTS (methods); i++)
    {
      g_autoptr(Raw) raw = raw_get (f, methods[i], "/v1/jobs", KEY);
      g_autoptr(Raw) pricing = raw_get (f, methods[i], "/v1/pricing", NULL);

      g_test_message ("%s /v1/jobs -> %u", methods[i], raw->status);
      assert_json_error (raw, 405);
      g_assert_nonnull (strstr (raw->headers, "Allow: GET, HEAD"));
      assert_json_error (pricing, 405);
    }

  /* A method nobody knows, and a path of 64 KB */
  {
    g_autoptr(Raw) brew = raw_get (f, "BREW", "/v1/jobs", KEY);

    g_assert_cmpuint (brew->status, >=, 400);
    g_assert_cmpuint (brew->status, <, 500);
  }

  long_path = g_strnfill (64 * 1024, 'a');
  long_path[0] = '/';
  {
    g_autoptr(Raw) raw = raw_get (f, "GET", long_path, KEY);

    g_test_message ("64 KB path -> %u", raw->status);
    g_assert_true (raw->status == 0 || (raw->status >= 400 && raw->status < 500));
  }

  assert_serving (f);
}

static void
test_keys (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *huge_key = g_strnfill (100 * 1024, 'k');
  static const char * const wrong[] = { "", "wrong", KEY "x", "ROBUST-KEY", " " KEY };

  {
    g_autoptr(Raw) raw = raw_get (f, "GET", "/v1/jobs", NULL);

    assert_json_error (raw, 401);
    /* The error names no key */
    g_assert_null (strstr (raw->body, KEY));
  }

  for (guint i = 0; i < G_N_ELEMENTS (wrong); i++)
    {
      g_autoptr(Raw) raw = raw_get (f, "GET", "/v1/jobs", wrong[i]);

      g_test_message ("key “%s” -> %u", wrong[i], raw->status);
      /* " KEY": HTTP trims leading blanks of a value, so it is the key */
      if (wrong[i][0] == ' ')
        g_assert_cmpuint (raw->status, ==, 200);
      else
        assert_json_error (raw, 401);
    }

  {
    g_autoptr(Raw) raw = raw_get (f, "GET", "/v1/jobs", huge_key);

    g_test_message ("100 KB key -> %u", raw->status);
    g_assert_true (raw->status == 0 || (raw->status >= 400 && raw->status < 500));
  }

  /* No key is needed for the pricing. */
  {
    g_autoptr(Raw) raw = raw_get (f, "GET", "/v1/pricing", NULL);

    g_assert_cmpuint (raw->status, ==, 200);
  }

  assert_serving (f);
}

static void
test_oversized_headers (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GString) request = g_string_new ("GET /v1/jobs HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                             "X-API-Key: " KEY "\r\n");
  g_autoptr(GString) many = g_string_new ("GET /v1/jobs HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                          "X-API-Key: " KEY "\r\n");
  g_autofree char *filler = g_strnfill (1024 * 1024, 'x');

  /* One header of 1 MB */
  g_string_append_printf (request, "X-Filler: %s\r\nConnection: close\r\n\r\n", filler);
  {
    g_autoptr(Raw) raw = raw_exchange (f, request->str, request->len);

    g_test_message ("1 MB header -> %u", raw->status);
    g_assert_true (raw->status == 0 || (raw->status >= 400 && raw->status < 500));
  }

  /* 20,000 small ones */
  for (guint i = 0; i < 20000; i++)
    g_string_append_printf (many, "X-H%u: v\r\n", i);
  g_string_append (many, "Connection: close\r\n\r\n");
  {
    g_autoptr(Raw) raw = raw_exchange (f, many->str, many->len);

    g_test_message ("20,000 headers -> %u", raw->status);
    g_assert_true (raw->status == 0 || raw->status == 200 ||
                   (raw->status >= 400 && raw->status < 500));
  }

  assert_serving (f);
}

static void
test_garbage (Fixture       *f,
              gconstpointer  data)
{
  static const struct { const char *data; gsize len; } garbage[] = {
    { "\x00\x01\x02GARBAGE\r\n\r\n", 14 },
    { "GET\r\n\r\n", 7 },
    { "GET /v1/jobs\r\n\r\n", 16 },
    { "GET /v1/jobs HTTP/9.9\r\nHost: x\r\nConnection: close\r\n\r\n", 52 },
    { "GET /v1/jobs HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\nConnection: close\r\n\r\n", 71 },
    { "GET /v1/jobs HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: bogus\r\nConnection: close\r\n\r\n", 77 },
    { "GET /v1/jobs HTTP/1.1\r\nNo colon here\r\nConnection: close\r\n\r\n", 58 },
    { "\r\n\r\n\r\n", 6 },
    { "GET http://evil.example/v1/jobs HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n", 83 },
  };
  GLogLevelFlags fatal;

  /* libsoup 3.2 hands a negative Content-Length straight to a GObject
   * property, which warns (and the body is then read as absent): a
   * warning of libsoup's own, not fatal here. */
  fatal = g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);

  for (guint i = 0; i < G_N_ELEMENTS (garbage); i++)
    {
      g_autoptr(Raw) raw = NULL;

      raw_timeout = 3;
      raw = raw_exchange (f, garbage[i].data, garbage[i].len);
      raw_timeout = 30;

      g_test_message ("garbage %u -> %u", i, raw->status);
      g_assert_true (raw->status == 0 || (raw->status >= 400 && raw->status < 500));
      assert_serving (f);
    }

  /* Let the server's thread finish with the last connections while
   * warnings are still not fatal. */
  g_clear_object (&f->sandbox);
  g_log_set_always_fatal (fatal);
}

static void
test_slowloris (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GPtrArray) slow = g_ptr_array_new_with_free_func (g_object_unref);

  /* Twenty requests that never end, and then ordinary ones: the server
   * keeps serving. */
  for (guint i = 0; i < 20; i++)
    {
      GSocketConnection *connection = raw_connect (f);
      GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
      static const char start[] = "GET /v1/jobs HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ";

      g_assert_true (g_output_stream_write_all (out, start, sizeof start - 1, NULL, NULL, NULL));
      g_ptr_array_add (slow, connection);
    }

  for (guint i = 0; i < 5; i++)
    assert_serving (f);

  g_ptr_array_set_size (slow, 0);
  assert_serving (f);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/sandbox-robustness/bad-paging", test_bad_paging);
  ADD ("/sandbox-robustness/unknown-paths-and-methods", test_unknown_paths_and_methods);
  ADD ("/sandbox-robustness/keys", test_keys);
  ADD ("/sandbox-robustness/oversized-headers", test_oversized_headers);
  ADD ("/sandbox-robustness/garbage", test_garbage);
  ADD ("/sandbox-robustness/slowloris", test_slowloris);

  return g_test_run ();
}
