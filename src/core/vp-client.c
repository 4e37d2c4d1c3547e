/* vp-client.c: asynchronous client of the VoxParse jobs API
 *
 * One SoupSession per client.  Every call is a GTask that goes through the
 * same small state machine:
 *
 *   send ──> response ──> 3xx: decide about the redirect ourselves, send again
 *                    ├──> 5xx, 429, broken connection: wait, send again
 *                    │    (GET is idempotent; a bounded number of times)
 *                    ├──> other 4xx: a VpClientError
 *                    └──> 2xx: parse (in a worker thread when the body is
 *                         large) and return the call data
 *
 * The API key is attached per message, only when the message goes to the
 * configured origin (scheme, host and port).  libsoup would follow a
 * redirect and keep the header, so messages are sent with
 * SOUP_MESSAGE_NO_REDIRECT and a redirect to elsewhere goes out without it;
 * the same rule covers a result_url that names another origin.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vp-client"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "vp-client.h"
#include "vp-error.h"
#include "vp-json.h"
#include "vp-responses-private.h"

/* Bodies up to this size are parsed where they arrive: it takes less time
 * than handing them to a thread.  Larger ones go to a worker. */
#define INLINE_PARSE_MAX   (64 * 1024)
/* Bodies are read into one buffer: a Content-Length up to
 * BODY_PREALLOC_MAX sizes it from the start; otherwise it grows by at
 * least this much. */
#define BODY_READ_CHUNK    (64 * 1024)
#define BODY_PREALLOC_MAX  (16 * 1024 * 1024)
/* Read per main-loop turn at most, so that a large body arriving fast does
 * not hold the loop up */
#define BODY_READ_PER_TURN (1024 * 1024)
#define MAX_REDIRECTS      5
#define DEFAULT_MAX_RETRIES 2
/* A 429 asking to wait longer than this is reported, not waited out. */
#define MAX_RETRY_AFTER_WAIT 10

struct _VpClient
{
  GObject      parent_instance;

  SoupSession *session;
  GUri        *base_uri;
  char        *base_url;
  char        *api_key;
  guint        max_retries;
  guint        retry_delay_ms;
};

G_DEFINE_FINAL_TYPE (VpClient, vp_client, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_BASE_URL,
  PROP_API_KEY,
  PROP_MAX_RETRIES,
  PROP_RETRY_DELAY,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

typedef enum {
  REQUEST_LIST_JOBS,
  REQUEST_JOB,
  REQUEST_RESULT,
  REQUEST_RESULT_BYTES,
  REQUEST_PRICING,
} RequestKind;

typedef struct {
  RequestKind  kind;
  GUri        *uri;
  gboolean     authenticated;
  guint        n_redirects;
  guint        n_attempts;
  SoupMessage *message;
  GBytes      *body;
  GSource     *retry_source;
  /* The body being read */
  GInputStream *stream;
  GSource     *read_source;   /* waiting for more of it */
  guint8      *data;
  gsize        capacity;
  gsize        n_read;
} Request;

static void send_request (GTask *task);

static void
request_free (gpointer data)
{
  Request *request = data;

  g_clear_pointer (&request->uri, g_uri_unref);
  g_clear_object (&request->message);
  g_clear_pointer (&request->body, g_bytes_unref);
  g_clear_pointer (&request->data, g_free);
  if (request->read_source != NULL)
    {
      g_source_destroy (request->read_source);
      g_clear_pointer (&request->read_source, g_source_unref);
    }
  g_clear_object (&request->stream);
  if (request->retry_source != NULL)
    {
      g_source_destroy (request->retry_source);
      g_clear_pointer (&request->retry_source, g_source_unref);
    }
  g_free (request);
}

/* -------------------------------------------------------------------------
 * Origins and URLs
 */

static int
uri_port (GUri *uri)
{
  int port = g_uri_get_port (uri);

  if (port > 0)
    return port;

  if (g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0)
    return 443;

  return 80;
}

static gboolean
same_origin (GUri *a,
             GUri *b)
{
  g_assert (a != NULL);
  g_assert (b != NULL);

  return g_ascii_strcasecmp (g_uri_get_scheme (a), g_uri_get_scheme (b)) == 0 &&
         g_uri_get_host (a) != NULL && g_uri_get_host (b) != NULL &&
         g_ascii_strcasecmp (g_uri_get_host (a), g_uri_get_host (b)) == 0 &&
         uri_port (a) == uri_port (b);
}

static GUri *
parse_base_url (const char  *base_url,
                GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;

  uri = g_uri_parse (base_url, G_URI_FLAGS_ENCODED | G_URI_FLAGS_SCHEME_NORMALIZE, NULL);

  if (uri == NULL ||
      (scheme = g_uri_get_scheme (uri)) == NULL ||
      (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0) ||
      g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_INVALID_URL,
                   _("“%s” is not a server address; it should look like https://api.voxparse.com"),
                   base_url);
      return NULL;
    }

  return g_steal_pointer (&uri);
}

/* The base URL plus @path_and_query, keeping any path the base URL has. */
static GUri *
build_api_uri (VpClient   *self,
               const char *path_and_query)
{
  g_autofree char *joined = NULL;

  g_assert (VP_IS_CLIENT (self));
  g_assert (path_and_query != NULL && path_and_query[0] == '/');

  if (self->base_uri == NULL)
    return NULL;

  joined = g_strconcat (self->base_url, path_and_query, NULL);

  return g_uri_parse (joined, G_URI_FLAGS_ENCODED, NULL);
}

/* -------------------------------------------------------------------------
 * Parsing (the bodies themselves are read by vp-responses.c)
 */

static gpointer
parse_body (RequestKind      kind,
            GBytes          *body,
            GDestroyNotify  *destroy,
            GError         **error)
{
  *destroy = g_object_unref;

  switch (kind)
    {
    case REQUEST_LIST_JOBS:
      *destroy = (GDestroyNotify) g_ptr_array_unref;
      return _vp_responses_parse_job_page (body, error);

    case REQUEST_RESULT:
      return vp_result_new_from_bytes (body, error);

    case REQUEST_RESULT_BYTES:
      *destroy = (GDestroyNotify) g_bytes_unref;
      return g_bytes_ref (body);

    case REQUEST_JOB:
      return _vp_responses_parse_job (body, error);

    case REQUEST_PRICING:
      return _vp_responses_parse_pricing (body, error);

    default:
      g_assert_not_reached ();
    }
}

static void
parse_in_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  Request *request = task_data;
  GDestroyNotify destroy = NULL;
  GError *error = NULL;
  gpointer parsed;

  if (g_task_return_error_if_cancelled (task))
    return;

  parsed = parse_body (request->kind, request->body, &destroy, &error);

  if (parsed == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, parsed, destroy);
}

static void
complete_with_body (GTask *task)
{
  Request *request = g_task_get_task_data (task);
  GDestroyNotify destroy = NULL;
  GError *error = NULL;
  gpointer parsed;

  g_assert (G_IS_TASK (task));

  if (request->kind == REQUEST_RESULT ||
      (request->kind != REQUEST_RESULT_BYTES &&
       g_bytes_get_size (request->body) > INLINE_PARSE_MAX))
    {
      g_task_run_in_thread (task, parse_in_thread);
      return;
    }

  parsed = parse_body (request->kind, request->body, &destroy, &error);

  if (parsed == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, parsed, destroy);
}

/* -------------------------------------------------------------------------
 * Errors and retries
 */

static guint
parse_retry_after (SoupMessage *message)
{
  g_autofree char *value = NULL;
  guint64 seconds;

  value = g_strdup (soup_message_headers_get_one (soup_message_get_response_headers (message),
                                                  "Retry-After"));
  if (value == NULL)
    return 0;

  if (g_ascii_string_to_unsigned (g_strstrip (value), 10, 0, 24 * 3600, &seconds, NULL))
    return (guint) seconds;
  else
    {
      g_autoptr(GDateTime) when = soup_date_time_new_from_http_string (value);
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      GTimeSpan span;

      if (when == NULL)
        return 0;

      span = g_date_time_difference (when, now);
      if (span <= 0)
        return 0;

      return (guint) MIN (span / G_TIME_SPAN_SECOND + 1, 24 * 3600);
    }
}

static gboolean
on_retry_timeout_cb (gpointer user_data)
{
  GTask *task = user_data;
  Request *request = g_task_get_task_data (task);

  g_clear_pointer (&request->retry_source, g_source_unref);
  send_request (task);

  return G_SOURCE_REMOVE;
}

/* Returns TRUE when the request will be sent again. */
static gboolean
maybe_retry (GTask  *task,
             guint   delay_ms)
{
  VpClient *self = g_task_get_source_object (task);
  Request *request = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(GSource) source = NULL;

  if (request->n_attempts > self->max_retries)
    return FALSE;

  if (cancellable != NULL && g_cancellable_is_cancelled (cancellable))
    return FALSE;

  g_debug ("Retrying %s in %u ms (attempt %u)",
           g_uri_get_path (request->uri), delay_ms, request->n_attempts + 1);

  /* The wait is a source of the task's context; cancelling the task ends
   * the wait at once (a cancellable source wakes the timeout). */
  source = g_timeout_source_new (delay_ms);
  if (cancellable != NULL)
    {
      g_autoptr(GSource) cancel_source = g_cancellable_source_new (cancellable);

      g_source_set_dummy_callback (cancel_source);
      g_source_add_child_source (source, cancel_source);
    }
  g_source_set_callback (source, on_retry_timeout_cb, task, NULL);
  g_source_set_static_name (source, "[vp-client] retry");
  g_source_attach (source, g_task_get_context (task));
  request->retry_source = g_steal_pointer (&source);

  return TRUE;
}

static guint
backoff_delay_ms (VpClient *self,
                  guint     attempt)
{
  guint base = self->retry_delay_ms << MIN (attempt - 1, 6);

  /* A little jitter, so that many clients do not retry in step. */
  return base + g_random_int_range (0, base / 4 + 1);
}

/* -------------------------------------------------------------------------
 * Sending
 */

/* A server (or a proxy before it) may repeat the key it was sent in an
 * error message ("Invalid API key: …"); that message ends up in the
 * window, on stderr and in logs, so the key is cut out of it.  Takes
 * @message. */
static char *
redact_key (VpClient *self,
            char     *message)
{
  g_autoptr(GString) redacted = NULL;

  g_assert (VP_IS_CLIENT (self));

  if (message == NULL || self->api_key == NULL || strstr (message, self->api_key) == NULL)
    return message;

  redacted = g_string_new (message);
  g_free (message);
  g_string_replace (redacted, self->api_key, "[API key]", 0);

  return g_string_free (g_steal_pointer (&redacted), FALSE);
}

/* What came back for the request: the whole body, or @error.  Takes
 * @task, @body and @error. */
static void
handle_response (GTask  *task_in,
                 GBytes *body_in,
                 GError *error_in)
{
  g_autoptr(GTask) task = task_in;
  VpClient *self = g_task_get_source_object (task);
  Request *request = g_task_get_task_data (task);
  g_autoptr(GBytes) body = body_in;
  g_autoptr(GError) error = error_in;
  guint status;

  g_assert (G_IS_TASK (task));
  g_assert ((body == NULL) != (error == NULL));

  if (body == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }

      if (maybe_retry (task, backoff_delay_ms (self, request->n_attempts)))
        {
          g_steal_pointer (&task);
          return;
        }

      g_debug ("Request to %s failed: %s", g_uri_get_host (request->uri), error->message);

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT) ||
          g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED) ||
          g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE))
        g_task_return_new_error (task, VP_CLIENT_ERROR, VP_CLIENT_ERROR_CANNOT_CONNECT,
                                 _("The connection to %s broke before the whole answer arrived"),
                                 g_uri_get_host (request->uri));
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
        g_task_return_new_error (task, VP_CLIENT_ERROR, VP_CLIENT_ERROR_CANNOT_CONNECT,
                                 _("%s did not answer in time"),
                                 g_uri_get_host (request->uri));
      /* GIO's own messages of these already say "Could not connect to
       * <host>:", and would say it twice under ours */
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
        g_task_return_new_error (task, VP_CLIENT_ERROR, VP_CLIENT_ERROR_CANNOT_CONNECT,
                                 _("%s refused the connection: no server is answering there"),
                                 g_uri_get_host (request->uri));
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE) ||
               g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE))
        g_task_return_new_error (task, VP_CLIENT_ERROR, VP_CLIENT_ERROR_CANNOT_CONNECT,
                                 _("%s cannot be reached from this network"),
                                 g_uri_get_host (request->uri));
      else if (error->domain == G_RESOLVER_ERROR)
        g_task_return_new_error (task, VP_CLIENT_ERROR, VP_CLIENT_ERROR_CANNOT_CONNECT,
                                 _("The server %s was not found"),
                                 g_uri_get_host (request->uri));
      else
        g_task_return_new_error (task, VP_CLIENT_ERROR, VP_CLIENT_ERROR_CANNOT_CONNECT,
                                 _("Could not connect to %s: %s"),
                                 g_uri_get_host (request->uri), error->message);
      return;
    }

  status = soup_message_get_status (request->message);

  if (SOUP_STATUS_IS_REDIRECTION (status))
    {
      const char *location;
      g_autoptr(GUri) target = NULL;

      location = soup_message_headers_get_one (soup_message_get_response_headers (request->message),
                                               "Location");
      if (location != NULL)
        target = g_uri_parse_relative (request->uri, location, G_URI_FLAGS_ENCODED, NULL);

      if (target == NULL || ++request->n_redirects > MAX_REDIRECTS ||
          (g_strcmp0 (g_uri_get_scheme (target), "http") != 0 &&
           g_strcmp0 (g_uri_get_scheme (target), "https") != 0))
        {
          g_task_return_new_error (task, VP_CLIENT_ERROR, VP_CLIENT_ERROR_INVALID_RESPONSE,
                                   _("The server sent the request somewhere it cannot follow"));
          return;
        }

      /* The key stays with the configured origin; send_request() decides
       * per message. */
      g_debug ("Following a %u redirect to %s%s", status, g_uri_get_host (target),
               same_origin (target, self->base_uri) ? "" : " (another origin: without the key)");

      g_clear_pointer (&request->uri, g_uri_unref);
      request->uri = g_steal_pointer (&target);
      send_request (g_steal_pointer (&task));
      return;
    }

  if (status >= 400 || !SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      guint retry_after = status == 429 ? parse_retry_after (request->message) : 0;
      g_autofree char *server_message = redact_key (self, _vp_responses_error_message (body));
      gboolean retryable = status >= 500 ||
                           (status == 429 && retry_after <= MAX_RETRY_AFTER_WAIT);

      if (status < 400)
        {
          g_task_return_new_error (task, VP_CLIENT_ERROR, VP_CLIENT_ERROR_INVALID_RESPONSE,
                                   _("The server gave an unexpected answer (HTTP %u)"), status);
          return;
        }

      /* Never retried: 401, 404 and the other 4xx say the request is wrong. */
      if (retryable &&
          maybe_retry (task, retry_after > 0 ? retry_after * 1000
                                             : backoff_delay_ms (self, request->n_attempts)))
        {
          g_steal_pointer (&task);
          return;
        }

      /* A redirect or a result_url took the request elsewhere, without the
       * key: a refusal there says nothing about the key.  Say where. */
      if ((status == 401 || status == 403) && !same_origin (request->uri, self->base_uri))
        {
          g_task_return_new_error (task, VP_CLIENT_ERROR, VP_CLIENT_ERROR_BAD_REQUEST,
                                   _("The server sent the request on to %s, which refused it (HTTP %u); "
                                     "the API key is only ever sent to the configured server"),
                                   g_uri_get_host (request->uri), status);
          return;
        }

      g_task_return_error (task, vp_client_error_new_http (status, retry_after, server_message));
      return;
    }

  request->body = g_steal_pointer (&body);
  complete_with_body (task);
}

/* -------------------------------------------------------------------------
 * Reading the body
 *
 * soup_session_send_and_read_async() splices the body into memory 8 KiB at
 * a time, each piece a main-loop turn of its own.  Here the body is read
 * into one buffer the size the server announced (so it is never moved),
 * and from a pollable stream (libsoup's are) whatever has arrived is taken
 * at once: a main-loop turn only when the stream has to be waited for.
 * The export fetches thousands of bodies; this is most of the client's
 * CPU time per request.
 */

static void
drop_stream (Request *request)
{
  g_assert (request != NULL);

  g_clear_pointer (&request->data, g_free);
  request->capacity = 0;
  if (request->read_source != NULL)
    {
      g_source_destroy (request->read_source);
      g_clear_pointer (&request->read_source, g_source_unref);
    }
  if (request->stream != NULL)
    {
      /* Not at its end: closing it may have to read the rest, so it is
       * closed without blocking (libsoup then drops the connection). */
      g_input_stream_close_async (request->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
      g_clear_object (&request->stream);
    }
}

/* Room for the next read: the rest of an announced length and one more
 * byte (the read that sees the end), or more as an unannounced body grows */
static void
make_room (Request *request)
{
  g_assert (request != NULL);

  if (request->capacity > request->n_read)
    return;

  request->capacity = MAX (request->capacity * 2, request->n_read + BODY_READ_CHUNK);
  request->data = g_realloc (request->data, request->capacity);
}

/* The end of the body: libsoup has finished the message and the
 * connection is free again, so closing is immediate. */
static void
body_done (GTask *task)
{
  Request *request = g_task_get_task_data (task);
  GBytes *body;

  g_assert (G_IS_TASK (task));

  g_input_stream_close (request->stream, NULL, NULL);
  g_clear_object (&request->stream);

  /* A NUL after the end, as a string would have (the read that saw the
   * end had room) */
  g_assert (request->capacity > request->n_read);
  if (request->capacity - request->n_read > BODY_READ_CHUNK)
    request->data = g_realloc (request->data, request->n_read + 1);
  request->data[request->n_read] = '\0';
  body = g_bytes_new_take (g_steal_pointer (&request->data), request->n_read);
  request->capacity = 0;

  handle_response (task, body, NULL);
}

static void read_body (GTask *task);

static void
on_body_read_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  Request *request = g_task_get_task_data (task);
  GError *error = NULL;
  gssize n;

  n = g_input_stream_read_finish (G_INPUT_STREAM (object), result, &error);

  if (n < 0)
    {
      drop_stream (request);
      handle_response (task, NULL, error);
      return;
    }

  if (n > 0)
    {
      request->n_read += n;
      read_body (task);
      return;
    }

  body_done (task);
}

/* More of the body has arrived, or its reading was put off to this turn */
static gboolean
on_body_more_cb (gpointer user_data)
{
  GTask *task = user_data;
  Request *request = g_task_get_task_data (task);

  /* This source is done with; read_body() may wait on a new one */
  g_clear_pointer (&request->read_source, g_source_unref);
  read_body (task);

  return G_SOURCE_REMOVE;
}

static gboolean
on_body_readable_cb (GObject  *stream,
                     gpointer  user_data)
{
  return on_body_more_cb (user_data);
}

static void
read_body (GTask *task)
{
  Request *request = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  GPollableInputStream *pollable;
  gsize n_read_before = request->n_read;

  g_assert (G_IS_TASK (task));
  g_assert (request->stream != NULL);
  g_assert (request->read_source == NULL);

  if (!G_IS_POLLABLE_INPUT_STREAM (request->stream) ||
      !g_pollable_input_stream_can_poll (G_POLLABLE_INPUT_STREAM (request->stream)))
    {
      make_room (request);
      g_input_stream_read_async (request->stream,
                                 request->data + request->n_read,
                                 request->capacity - request->n_read,
                                 G_PRIORITY_DEFAULT,
                                 cancellable,
                                 on_body_read_cb,
                                 task);
      return;
    }

  pollable = G_POLLABLE_INPUT_STREAM (request->stream);
  for (;;)
    {
      GError *error = NULL;
      gssize n;

      make_room (request);
      n = g_pollable_input_stream_read_nonblocking (pollable,
                                                    request->data + request->n_read,
                                                    request->capacity - request->n_read,
                                                    cancellable, &error);
      if (n > 0)
        {
          request->n_read += n;
          if (request->n_read - n_read_before < BODY_READ_PER_TURN)
            continue;

          /* The rest in another turn.  (Not by polling the stream: the
           * rest may be only the end, which the socket does not signal.) */
          request->read_source = g_idle_source_new ();
          g_source_set_priority (request->read_source, G_PRIORITY_DEFAULT);
          g_source_set_callback (request->read_source, on_body_more_cb, task, NULL);
          g_source_set_static_name (request->read_source, "[vp-client] more body");
          g_source_attach (request->read_source, g_task_get_context (task));
          return;
        }

      if (n == 0)
        {
          body_done (task);
          return;
        }

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        {
          /* Wakes on data, and on cancelling (the read then says so) */
          g_error_free (error);
          request->read_source = g_pollable_input_stream_create_source (pollable, cancellable);
          g_source_set_callback (request->read_source, G_SOURCE_FUNC (on_body_readable_cb), task, NULL);
          g_source_set_static_name (request->read_source, "[vp-client] body");
          g_source_attach (request->read_source, g_task_get_context (task));
          return;
        }

      drop_stream (request);
      handle_response (task, NULL, error);
      return;
    }
}

static void
on_message_sent_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GTask *task = user_data;
  Request *request = g_task_get_task_data (task);
  SoupMessageHeaders *headers;
  GError *error = NULL;
  goffset length = 0;

  request->stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (request->stream == NULL)
    {
      handle_response (task, NULL, error);
      return;
    }

  headers = soup_message_get_response_headers (request->message);
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH)
    length = soup_message_headers_get_content_length (headers);

  /* What the server announces is trusted only up to a bound: a larger
   * body grows the buffer as it comes. */
  request->n_read = 0;
  request->capacity = (gsize) CLAMP (length, 0, BODY_PREALLOC_MAX) + 1;
  request->data = g_malloc (request->capacity);
  read_body (task);
}

static void
send_request (GTask *task)
{
  VpClient *self = g_task_get_source_object (task);
  Request *request = g_task_get_task_data (task);
  SoupMessageHeaders *headers;

  g_assert (G_IS_TASK (task));
  g_assert (request->uri != NULL);

  g_clear_object (&request->message);
  request->message = soup_message_new_from_uri (SOUP_METHOD_GET, request->uri);
  request->n_attempts++;

  /* libsoup keeps custom headers across redirects it follows itself, so it
   * must not follow any: each hop is decided in handle_response(). */
  soup_message_add_flags (request->message, SOUP_MESSAGE_NO_REDIRECT);

  headers = soup_message_get_request_headers (request->message);
  soup_message_headers_replace (headers, "Accept", "application/json");

  if (request->authenticated && self->api_key != NULL &&
      same_origin (request->uri, self->base_uri))
    soup_message_headers_replace (headers, "X-API-Key", self->api_key);

  soup_session_send_async (self->session,
                           request->message,
                           G_PRIORITY_DEFAULT,
                           g_task_get_cancellable (task),
                           on_message_sent_cb,
                           task);
}

static void
start_request (VpClient            *self,
               RequestKind          kind,
               GUri                *uri,
               gboolean             authenticated,
               gpointer             source_tag,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Request *request;

  g_assert (VP_IS_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);

  if (uri == NULL)
    {
      /* Arguments swapped by mistake (--base-url KEY) must not print it. */
      if (self->api_key != NULL && strstr (self->base_url, self->api_key) != NULL)
        g_task_return_new_error (task, VP_CLIENT_ERROR, VP_CLIENT_ERROR_INVALID_URL,
                                 _("The server address is the API key; it should look like https://api.voxparse.com"));
      else
        g_task_return_new_error (task, VP_CLIENT_ERROR, VP_CLIENT_ERROR_INVALID_URL,
                                 _("“%s” is not a server address; it should look like https://api.voxparse.com"),
                                 self->base_url);
      return;
    }

  request = g_new0 (Request, 1);
  request->kind = kind;
  request->uri = g_uri_ref (uri);
  request->authenticated = authenticated;
  g_task_set_task_data (task, request, request_free);

  send_request (g_steal_pointer (&task));
}

static gpointer
finish_request (VpClient      *self,
                GAsyncResult  *result,
                gpointer       source_tag,
                GError       **error)
{
  g_assert (VP_IS_CLIENT (self));
  g_assert (g_task_is_valid (result, self));
  g_assert (g_task_get_source_tag (G_TASK (result)) == source_tag);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* -------------------------------------------------------------------------
 * GObject
 */

static void
vp_client_set_base_url (VpClient   *self,
                        const char *base_url)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *trimmed = NULL;

  g_assert (VP_IS_CLIENT (self));

  if (base_url == NULL || *base_url == '\0')
    base_url = VP_CLIENT_DEFAULT_BASE_URL;

  trimmed = g_strstrip (g_strdup (base_url));
  while (g_str_has_suffix (trimmed, "/"))
    trimmed[strlen (trimmed) - 1] = '\0';

  g_clear_pointer (&self->base_uri, g_uri_unref);
  g_free (self->base_url);
  self->base_url = g_steal_pointer (&trimmed);
  self->base_uri = parse_base_url (self->base_url, &error);

  /* Not the message itself: it repeats the address, which could be
   * anything the user typed. */
  if (self->base_uri == NULL)
    g_debug ("The base URL is not usable");
}

static void
vp_client_finalize (GObject *object)
{
  VpClient *self = (VpClient *)object;

  g_clear_object (&self->session);
  g_clear_pointer (&self->base_uri, g_uri_unref);
  g_clear_pointer (&self->base_url, g_free);
  vp_client_set_api_key (self, NULL);

  G_OBJECT_CLASS (vp_client_parent_class)->finalize (object);
}

static void
vp_client_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  VpClient *self = VP_CLIENT (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      g_value_set_string (value, self->base_url);
      break;

    case PROP_MAX_RETRIES:
      g_value_set_uint (value, self->max_retries);
      break;

    case PROP_RETRY_DELAY:
      g_value_set_uint (value, self->retry_delay_ms);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vp_client_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  VpClient *self = VP_CLIENT (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      vp_client_set_base_url (self, g_value_get_string (value));
      break;

    case PROP_API_KEY:
      vp_client_set_api_key (self, g_value_get_string (value));
      break;

    case PROP_MAX_RETRIES:
      if (self->max_retries != g_value_get_uint (value))
        {
          self->max_retries = g_value_get_uint (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    case PROP_RETRY_DELAY:
      if (self->retry_delay_ms != g_value_get_uint (value))
        {
          self->retry_delay_ms = g_value_get_uint (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vp_client_class_init (VpClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = vp_client_finalize;
  object_class->get_property = vp_client_get_property;
  object_class->set_property = vp_client_set_property;

  properties [PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL,
                         VP_CLIENT_DEFAULT_BASE_URL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /* Write-only: the key is never handed out again, so it cannot end up in
   * a debugger's property dump or a log by accident. */
  properties [PROP_API_KEY] =
    g_param_spec_string ("api-key", NULL, NULL,
                         NULL,
                         (G_PARAM_WRITABLE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_MAX_RETRIES] =
    g_param_spec_uint ("max-retries", NULL, NULL,
                       0, 10, DEFAULT_MAX_RETRIES,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_RETRY_DELAY] =
    g_param_spec_uint ("retry-delay", NULL, NULL,
                       1, 60000, 500,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vp_client_init (VpClient *self)
{
  self->max_retries = DEFAULT_MAX_RETRIES;
  self->retry_delay_ms = 500;
  self->session = soup_session_new_with_options ("user-agent", "VoxParseCallBrowser/" PACKAGE_VERSION,
                                                 "max-conns", 32,
                                                 "max-conns-per-host", 8,
                                                 "timeout", 60,
                                                 "idle-timeout", 60,
                                                 NULL);
}

/* -------------------------------------------------------------------------
 * Public API
 */

/**
 * vp_client_new:
 * @base_url: (nullable): the server, e.g. "https://api.voxparse.com"
 * @api_key: (nullable): the key sent as X-API-Key to that server only
 */
VpClient *
vp_client_new (const char *base_url,
               const char *api_key)
{
  return g_object_new (VP_TYPE_CLIENT,
                       "base-url", base_url,
                       "api-key", api_key,
                       NULL);
}

/**
 * vp_client_dup:
 *
 * A client of the same server, with the same key and retry policy, and
 * connections of its own.  Its session may send from another thread (one
 * with a thread-default main context, as libsoup 3.2 allows), but is to be
 * released on the thread that made it.
 */
VpClient *
vp_client_dup (VpClient *self)
{
  g_return_val_if_fail (VP_IS_CLIENT (self), NULL);

  return g_object_new (VP_TYPE_CLIENT,
                       "base-url", self->base_url,
                       "api-key", self->api_key,
                       "max-retries", self->max_retries,
                       "retry-delay", self->retry_delay_ms,
                       NULL);
}

const char *
vp_client_get_base_url (VpClient *self)
{
  g_return_val_if_fail (VP_IS_CLIENT (self), NULL);

  return self->base_url;
}

gboolean
vp_client_has_api_key (VpClient *self)
{
  g_return_val_if_fail (VP_IS_CLIENT (self), FALSE);

  return self->api_key != NULL;
}

void
vp_client_set_api_key (VpClient   *self,
                       const char *api_key)
{
  g_return_if_fail (VP_IS_CLIENT (self));

  if (self->api_key != NULL)
    {
      /* Wipe the old key rather than leave it in freed memory. */
      memset (self->api_key, 0, strlen (self->api_key));
      g_clear_pointer (&self->api_key, g_free);
    }

  if (api_key != NULL && *api_key != '\0')
    self->api_key = g_strdup (api_key);
}

void
vp_client_list_jobs_async (VpClient            *self,
                           guint                limit,
                           guint                offset,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autofree char *path = NULL;
  g_autoptr(GUri) uri = NULL;

  g_return_if_fail (VP_IS_CLIENT (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  limit = CLAMP (limit, 1, VP_CLIENT_MAX_LIMIT);
  path = g_strdup_printf ("/v1/jobs?limit=%u&offset=%u", limit, offset);
  uri = build_api_uri (self, path);

  start_request (self, REQUEST_LIST_JOBS, uri, TRUE, vp_client_list_jobs_async,
                 cancellable, callback, user_data);
}

/**
 * vp_client_list_jobs_finish:
 *
 * Returns: (transfer container) (element-type VpJob): the page, newest first
 */
GPtrArray *
vp_client_list_jobs_finish (VpClient      *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (VP_IS_CLIENT (self), NULL);

  return finish_request (self, result, vp_client_list_jobs_async, error);
}

void
vp_client_get_job_async (VpClient            *self,
                         const char          *job_id,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GUri) uri = NULL;

  g_return_if_fail (VP_IS_CLIENT (self));
  g_return_if_fail (job_id != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  escaped = g_uri_escape_string (job_id, NULL, FALSE);
  path = g_strconcat ("/v1/jobs/", escaped, NULL);
  uri = build_api_uri (self, path);

  start_request (self, REQUEST_JOB, uri, TRUE, vp_client_get_job_async,
                 cancellable, callback, user_data);
}

VpJob *
vp_client_get_job_finish (VpClient      *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (VP_IS_CLIENT (self), NULL);

  return finish_request (self, result, vp_client_get_job_async, error);
}

static GUri *
result_uri_for_job (VpClient *self,
                    VpJob    *job)
{
  const char *result_url = vp_job_get_result_url (job);
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;

  g_assert (VP_IS_CLIENT (self));
  g_assert (VP_IS_JOB (job));

  if (result_url != NULL && *result_url != '\0' && self->base_uri != NULL)
    {
      /* "/v1/…" is relative to the API root (which may have a path of its
       * own); anything else is a URL resolved against the base, and may
       * well name another origin: send_request() leaves the key out then. */
      if (g_str_has_prefix (result_url, "/v1/"))
        return build_api_uri (self, result_url);
      else
        {
          GUri *uri = g_uri_parse_relative (self->base_uri, result_url, G_URI_FLAGS_ENCODED, NULL);

          if (uri != NULL &&
              (g_strcmp0 (g_uri_get_scheme (uri), "http") == 0 ||
               g_strcmp0 (g_uri_get_scheme (uri), "https") == 0))
            return uri;

          g_clear_pointer (&uri, g_uri_unref);
          g_debug ("Ignoring a result_url that is not an HTTP URL");
        }
    }

  escaped = g_uri_escape_string (vp_job_get_id (job), NULL, FALSE);
  path = g_strconcat ("/v1/jobs/", escaped, "/result", NULL);

  return build_api_uri (self, path);
}

void
vp_client_get_result_async (VpClient            *self,
                            VpJob               *job,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GUri) uri = NULL;

  g_return_if_fail (VP_IS_CLIENT (self));
  g_return_if_fail (VP_IS_JOB (job));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  uri = result_uri_for_job (self, job);

  start_request (self, REQUEST_RESULT, uri, TRUE, vp_client_get_result_async,
                 cancellable, callback, user_data);
}

VpResult *
vp_client_get_result_finish (VpClient      *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (VP_IS_CLIENT (self), NULL);

  return finish_request (self, result, vp_client_get_result_async, error);
}

void
vp_client_get_result_bytes_async (VpClient            *self,
                                  VpJob               *job,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GUri) uri = NULL;

  g_return_if_fail (VP_IS_CLIENT (self));
  g_return_if_fail (VP_IS_JOB (job));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  uri = result_uri_for_job (self, job);

  start_request (self, REQUEST_RESULT_BYTES, uri, TRUE, vp_client_get_result_bytes_async,
                 cancellable, callback, user_data);
}

GBytes *
vp_client_get_result_bytes_finish (VpClient      *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (VP_IS_CLIENT (self), NULL);

  return finish_request (self, result, vp_client_get_result_bytes_async, error);
}

void
vp_client_get_pricing_async (VpClient            *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GUri) uri = NULL;

  g_return_if_fail (VP_IS_CLIENT (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  uri = build_api_uri (self, "/v1/pricing");

  /* "No authentication required": the key stays home. */
  start_request (self, REQUEST_PRICING, uri, FALSE, vp_client_get_pricing_async,
                 cancellable, callback, user_data);
}

VpPricing *
vp_client_get_pricing_finish (VpClient      *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (VP_IS_CLIENT (self), NULL);

  return finish_request (self, result, vp_client_get_pricing_async, error);
}
