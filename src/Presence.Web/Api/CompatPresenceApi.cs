using System.Text.Json;
using Microsoft.Extensions.Options;
using Presence.Domain.Model;
using Presence.Domain.Tracking;
using Presence.Web.Authentication;
using Presence.Web.Configuration;

namespace Presence.Web.Api;

/// <summary>
/// The zarafa-presence compatible endpoint <c>/presence</c> (DESIGN §5, seed 001): one JSON envelope
/// <c>{"AuthenticationToken", "Type": "UserStatus", "UserStatus": [{"user_id", "&lt;protocol&gt;": {"status", "message"}}]}</c>
/// for GET (body in the GET request, as old clients send it), PUT (200, empty body) and POST (updates, returns the GET shape).
/// </summary>
public static class CompatPresenceApi
{
    /// <summary>Maps GET, PUT and POST <c>/presence</c>.</summary>
    public static IEndpointRouteBuilder MapCompatPresenceApi(this IEndpointRouteBuilder app)
    {
        // A handler over services resolved once (all singletons): the hot path of old clients does no
        // per-request parameter binding or service resolution.
        var sp = app.ServiceProvider;
        var services = new Services(sp.GetRequiredService<TokenAuthenticator>(), sp.GetRequiredService<ApiRateLimiter>(),
            sp.GetRequiredService<PresenceTracker>(), sp.GetRequiredService<PresenceWriter>(), sp.GetRequiredService<IOptions<ApiOptions>>().Value,
            sp.GetRequiredService<IOptions<ProtocolOptions>>().Value);
        app.MapMethods("/presence", [HttpMethods.Get, HttpMethods.Put, HttpMethods.Post],
                (Func<HttpContext, Task<IResult>>)(context => HandleAsync(context, services)))
            .WithName("CompatPresence")
            .WithTags("zarafa-presence")
            .WithSummary("zarafa-presence compatible GET/PUT/POST")
            .WithDescription("""Body: {"AuthenticationToken": "{t}:{user}:{MAC}", "Type": "UserStatus", "UserStatus": [{"user_id": "a@b", "spreed": {"status": "available", "message": ""}}]}. GET returns {"Type": "UserStatus", "UserStatus": [...]} with every protocol of each user (unknown users: just user_id); PUT answers 200 with an empty body; POST updates and returns the GET shape.""")
            .Produces<CompatEnvelopeDoc>(StatusCodes.Status200OK, "application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        return app;
    }

    private sealed record Services(TokenAuthenticator Auth, ApiRateLimiter Limiter, PresenceTracker Tracker, PresenceWriter Writer, ApiOptions Options, ProtocolOptions Protocols);

    private static async Task<IResult> HandleAsync(HttpContext context, Services s)
    {
        var (_, _, tracker, writer, o, _) = s;
        var (body, tooLarge) = await RequestBody.ReadAsync(context, o.MaxBodyBytes);
        if (tooLarge is not null) return tooLarge;
        if (body!.Length == 0)
            return ApiErrors.BadRequest("the request has no JSON body; expected {\"AuthenticationToken\": ..., \"Type\": \"UserStatus\", \"UserStatus\": [...]}");
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(body, JsonText.DocumentOptions);
        }
        catch (JsonException ex)
        {
            return ApiErrors.BadRequest($"malformed JSON: {ex.Message}");
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            // The duplicate-name check unescapes every property name: one that is not valid text throws there.
            return ApiErrors.BadRequest($"a property name {JsonText.NotText}");
        }
        using (doc)
        {
            IResult? error;
            List<UserId>? users;
            List<PresenceUpdate>? updates;
            try
            {
                error = Validate(doc.RootElement, context, s, out users, out updates);
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException)
            {
                // TryGetProperty unescapes every property name it compares: a name that is not valid text throws there.
                return ApiErrors.BadRequest($"a property name {JsonText.NotText}");
            }
            if (error is not null) return error;
            if (updates is { Count: > 0 })
            {
                var (_, committed) = await writer.ApplyAsync(updates, context.RequestAborted);
                if (!committed) return writer.NotCommitted(context);
            }
            if (HttpMethods.IsPut(context.Request.Method)) return Results.Ok();
            return new CompatStatusResult(users!, tracker);
        }
    }

    /// <summary>Checks the envelope, the token and every entry; returns the error to answer, or <c>null</c> with the users and updates.</summary>
    private static IResult? Validate(JsonElement root, HttpContext context, Services s, out List<UserId>? users, out List<PresenceUpdate>? updates)
    {
        var (auth, limiter, _, _, o, protocols) = s;
        users = null;
        updates = null;
        if (root.ValueKind != JsonValueKind.Object) return ApiErrors.BadRequest($"the JSON body must be an object, not {Kind(root)}");
        if (!root.TryGetProperty("Type", out var type) || type.ValueKind != JsonValueKind.String)
            return ApiErrors.BadRequest("\"Type\" is missing or not a string; expected \"UserStatus\"");
        if (!type.ValueEquals("UserStatus"))
        {
            return ApiErrors.BadRequest(JsonText.TryGetString(type, out var typeText)
                ? $"\"Type\" must be \"UserStatus\", not \"{JsonText.Quote(typeText)}\""
                : $"\"Type\" {JsonText.NotText}; expected \"UserStatus\"");
        }

        string? token = null;
        if (root.TryGetProperty("AuthenticationToken", out var t) && t.ValueKind != JsonValueKind.Null && !JsonText.TryGetString(t, out token))
            return ApiErrors.Unauthorized(t.ValueKind == JsonValueKind.String ? $"\"AuthenticationToken\" {JsonText.NotText}" : $"\"AuthenticationToken\" must be a string, not {Kind(t)}");
        var outcome = auth.Authenticate(token);
        if (!outcome.IsValid) return ApiErrors.Unauthorized(outcome.Error!);
        var caller = outcome.Caller!;
        if (!limiter.TryAcquire(caller)) return ApiErrors.TooManyRequests(caller.PartitionKey);

        if (!root.TryGetProperty("UserStatus", out var list) || list.ValueKind != JsonValueKind.Array)
            return ApiErrors.BadRequest("\"UserStatus\" is missing or not an array");
        var count = list.GetArrayLength();
        if (count > o.MaxUsersPerRequest)
            return ApiErrors.BadRequest($"\"UserStatus\" has {count} entries; at most {o.MaxUsersPerRequest} are allowed (Presence:Api:MaxUsersPerRequest)");

        var write = !HttpMethods.IsGet(context.Request.Method);
        users = new List<UserId>(count);
        updates = write ? new List<PresenceUpdate>(count) : null;
        var index = 0;
        foreach (var entry in list.EnumerateArray())
        {
            if (Parse(entry, index, write, caller, o, protocols, users, updates) is { } error) return error;
            index++;
        }
        return null;
    }

    // Validates one UserStatus entry; collects its user and (for writes) its updates. Returns an error result or null.
    private static IResult? Parse(JsonElement entry, int index, bool write, ApiCaller caller, ApiOptions o, ProtocolOptions protocols, List<UserId> users, List<PresenceUpdate>? updates)
    {
        var at = $"UserStatus[{index}]";
        if (entry.ValueKind != JsonValueKind.Object) return ApiErrors.BadRequest($"{at} must be an object, not {Kind(entry)}");
        if (!entry.TryGetProperty("user_id", out var uid) || uid.ValueKind != JsonValueKind.String)
            return ApiErrors.BadRequest($"{at}.user_id is missing or not a string");
        if (!JsonText.TryGetString(uid, out var text)) return ApiErrors.BadRequest($"{at}.user_id {JsonText.NotText}");
        if (!UserId.TryParse(text, out var user, out var why)) return ApiErrors.BadRequest($"{at}.user_id '{JsonText.Quote(text)}' is not a valid user id: {why}");
        users.Add(user);
        if (!write) return null;
        var pending = new List<PresenceUpdate>();
        foreach (var p in entry.EnumerateObject())
        {
            if (!JsonText.TryGetName(p, out var protocol)) return ApiErrors.BadRequest($"{at}: a property name (protocol) {JsonText.NotText}");
            if (protocol == "user_id") continue;
            var where = $"{at}.{JsonText.Quote(protocol)}";
            if (protocols.ApiWriteRefusal(protocol) is { } refused) return ApiErrors.BadRequest($"{where}: {refused}");
            if (p.Value.ValueKind != JsonValueKind.Object) return ApiErrors.BadRequest($"{where} must be an object {{\"status\", \"message\"}}, not {Kind(p.Value)}");
            if (ParseStatus(p.Value, where, o) is not { } parsed) return StatusError(p.Value, where, o);
            pending.Add(new ProtocolStatusUpdate(user, protocol, parsed.State, parsed.Message));
        }
        if (pending.Count > 0 && !caller.MayWrite(user)) return ApiErrors.Forbidden($"{at}: {caller.WriteRefusal(user)}");
        updates!.AddRange(pending);
        return null;
    }

    /// <summary>Parses <c>{"status", "message"}</c>; <c>null</c> when invalid (see <see cref="StatusError"/>).</summary>
    internal static (PresenceState State, string Message)? ParseStatus(JsonElement value, string where, ApiOptions o)
    {
        if (!value.TryGetProperty("status", out var s) || !JsonText.TryGetString(s, out var statusText)) return null;
        if (!PresenceStates.TryParse(statusText, out var state)) return null;
        var message = "";
        if (value.TryGetProperty("message", out var m))
        {
            if (m.ValueKind == JsonValueKind.String) { if (!JsonText.TryGetString(m, out message)) return null; }
            else if (m.ValueKind != JsonValueKind.Null) return null;
        }
        if (message.Length > o.MaxMessageLength) return null;
        return (state, message);
    }

    private static IResult StatusError(JsonElement value, string where, ApiOptions o)
    {
        if (!value.TryGetProperty("status", out var s) || s.ValueKind != JsonValueKind.String)
            return ApiErrors.BadRequest($"{where}.status is missing or not a string; expected one of {PresenceStates.Names}");
        if (!JsonText.TryGetString(s, out var statusText)) return ApiErrors.BadRequest($"{where}.status {JsonText.NotText}");
        if (!PresenceStates.TryParse(statusText, out _))
            return ApiErrors.BadRequest($"{where}.status '{JsonText.Quote(statusText)}' is not a known status; expected one of {PresenceStates.Names}");
        if (value.TryGetProperty("message", out var m) && m.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
            return ApiErrors.BadRequest($"{where}.message must be a string, not {Kind(m)}");
        if (m.ValueKind == JsonValueKind.String && !JsonText.TryGetString(m, out _)) return ApiErrors.BadRequest($"{where}.message {JsonText.NotText}");
        return ApiErrors.BadRequest($"{where}.message is longer than {o.MaxMessageLength} characters (Presence:Api:MaxMessageLength)");
    }

    private static string Kind(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "an object",
    };
}

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

/// <summary>OpenAPI description of the compat envelope (documentation only; the endpoint parses the body itself).</summary>
/// <param name="AuthenticationToken">Token <c>{t}:{user}:{MAC}</c> (requests only).</param>
/// <param name="Type">Always <c>UserStatus</c>.</param>
/// <param name="UserStatus">Entries <c>{"user_id": "a@b", "spreed": {"status", "message", "annotation"?}, "xmpp": {...}}</c>.</param>
public sealed record CompatEnvelopeDoc(string? AuthenticationToken, string Type, List<Dictionary<string, JsonElement>> UserStatus);
