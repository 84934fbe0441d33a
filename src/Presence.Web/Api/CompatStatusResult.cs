using System.Text.Json;
using Presence.Domain.Model;
using Presence.Domain.Tracking;
using Presence.Web.Authentication;

namespace Presence.Web.Api;

/// <summary>
/// Writes the compat GET shape with a <see cref="Utf8JsonWriter"/> into a buffer, then sends it in one write with a
/// Content-Length (no chunked encoding, no separate flush).
/// </summary>
internal sealed class CompatStatusResult(List<UserId> users, PresenceTracker tracker) : IResult
{
    public Task ExecuteAsync(HttpContext context)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("Type", "UserStatus");
            w.WriteStartArray("UserStatus");
            foreach (var user in users)
            {
                w.WriteStartObject();
                w.WriteString("user_id", user.Value);
                if (tracker.Get(user) is { } presence)
                {
                    foreach (var p in presence.UserProtocols) // the preferred presence and status message are REST v1 only
                    {
                        w.WriteStartObject(p.Protocol);
                        w.WriteString("status", p.State.ToWire());
                        w.WriteString("message", p.Message);
                        if (p.Annotation is { } a)
                        {
                            w.WriteStartObject("annotation");
                            w.WriteString("kind", a.KindName);
                            w.WriteString("from", a.From);
                            if (a.Description is not null) w.WriteString("description", a.Description);
                            w.WriteString("since", a.Since);
                            w.WriteEndObject();
                        }
                        w.WriteEndObject();
                    }
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        response.ContentLength = buffer.WrittenCount;
        return response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).AsTask();
    }
}
