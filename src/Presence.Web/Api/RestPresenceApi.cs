using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Presence.Domain.Model;
using Presence.Domain.Tracking;
using Presence.Web.Authentication;
using Presence.Web.Configuration;
using Presence.Web.History;

namespace Presence.Web.Api;

/// <summary>
/// REST v1 under <c>/api/v1/presence</c> (docs/ARCHITECTURE.md §8), token in <c>Authorization: Bearer {t}:{user}:{MAC}</c>:
/// read several users, one user, a user's history (newest first), set a non-XMPP protocol's status, and set or clear the
/// user's preferred presence and status message.
/// </summary>
internal static class RestPresenceApi
{
    /// <summary>Maps the REST v1 presence endpoints.</summary>
    public static IEndpointRouteBuilder MapPresenceApiV1(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/presence").WithTags("presence v1")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        api.MapGet("/", GetMany).WithName("GetPresences").WithSummary("Presence of the users named by ?user=a@b&user=c@d (unknown users: overall unavailable, no protocols)");
        api.MapGet("/{user}", GetOne).WithName("GetPresence").WithSummary("Presence of one user (404 when unknown)");
        // Literal segments take precedence over /{user}/{protocol} (ASP.NET Core routing); both names are reserved protocols.
        api.MapPut("/{user}/preferred", PutPreferred).WithName("SetPreferredPresence")
            .WithSummary("Sets the presence the user prefers {status, message?, until?}; while it lasts it is the overall state (unavailable = appear offline). Without until it ends after 1 day for busy, 7 days otherwise (Microsoft Graph setUserPreferredPresence), within Presence:Preferred:MaxDuration")
            .Accepts<SetPreferredRequest>("application/json")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        api.MapDelete("/{user}/preferred", DeletePreferred).WithName("ClearPreferredPresence")
            .WithSummary("Clears the preferred presence; the overall state is computed from the protocols again")
            .ProducesProblem(StatusCodes.Status403Forbidden);
        api.MapPut("/{user}/status-message", PutStatusMessage).WithName("SetStatusMessage")
            .WithSummary("Sets the user's status message {message, until?} (separate from the protocols' messages); without until it lasts until DELETE")
            .Accepts<SetStatusMessageRequest>("application/json")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        api.MapDelete("/{user}/status-message", DeleteStatusMessage).WithName("ClearStatusMessage")
            .WithSummary("Clears the user's status message")
            .ProducesProblem(StatusCodes.Status403Forbidden);
        api.MapPut("/{user}/{protocol}", PutStatus).WithName("SetPresence").WithSummary("Sets a protocol's status {status, message}; xmpp cannot be set (it comes from the XMPP server)")
            .Accepts<SetStatusRequest>("application/json")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        api.MapGet("/{user}/history", GetHistory).WithName("GetPresenceHistory").WithSummary("History of a user, newest first; from (inclusive) and to (exclusive) as ISO 8601, limit 1..1000 (default 100)");
        return app;
    }

    private static Results<Ok<List<UserPresenceDto>>, ProblemHttpResult> GetMany(HttpContext context, string[]? user, TokenAuthenticator auth,
        ApiRateLimiter limiter, PresenceTracker tracker, IOptions<ApiOptions> options)
    {
        if (Authenticate(context, auth, limiter, out _) is { } denied) return denied;
        if (user is null || user.Length == 0) return ApiErrors.BadRequest("give at least one user, e.g. ?user=alice@example.com&user=bob@example.com");
        if (user.Length > options.Value.MaxUsersPerRequest)
            return ApiErrors.BadRequest($"{user.Length} users requested; at most {options.Value.MaxUsersPerRequest} are allowed (Presence:Api:MaxUsersPerRequest)");
        var result = new List<UserPresenceDto>(user.Length);
        foreach (var text in user)
        {
            if (!UserId.TryParse(text, out var id, out var why)) return ApiErrors.BadRequest($"user '{JsonText.Quote(text)}' is not a valid user id: {why}");
            result.Add(tracker.Get(id) is { } p ? UserPresenceDto.From(p) : UserPresenceDto.Unknown(id));
        }
        return TypedResults.Ok(result);
    }

    private static Results<Ok<UserPresenceDto>, ProblemHttpResult> GetOne(HttpContext context, string user, TokenAuthenticator auth,
        ApiRateLimiter limiter, PresenceTracker tracker)
    {
        if (Authenticate(context, auth, limiter, out _) is { } denied) return denied;
        if (!UserId.TryParse(user, out var id, out var why)) return ApiErrors.BadRequest($"user '{JsonText.Quote(user)}' is not a valid user id: {why}");
        return tracker.Get(id) is { } p ? TypedResults.Ok(UserPresenceDto.From(p)) : ApiErrors.NotFound($"no presence is known for '{id}'");
    }

    private static async Task<Results<Ok<UserPresenceDto>, ProblemHttpResult>> PutStatus(HttpContext context, string user, string protocol,
        TokenAuthenticator auth, ApiRateLimiter limiter, PresenceTracker tracker, PresenceWriter writer, IOptions<ApiOptions> options, IOptions<ProtocolOptions> protocols)
    {
        var o = options.Value;
        if (Authenticate(context, auth, limiter, out var caller) is { } denied) return denied;
        if (!UserId.TryParse(user, out var id, out var why)) return ApiErrors.BadRequest($"user '{JsonText.Quote(user)}' is not a valid user id: {why}");
        if (protocols.Value.ApiWriteRefusal(protocol) is { } refused) return ApiErrors.BadRequest(refused);
        var (body, tooLarge) = await RequestBody.ReadAsync(context, o.MaxBodyBytes);
        if (tooLarge is not null) return (ProblemHttpResult)tooLarge;
        SetStatusRequest? request;
        try
        {
            request = body!.Length == 0 ? null : JsonSerializer.Deserialize(body, JsonText.SetStatusRequest);
        }
        catch (JsonException ex)
        {
            return ApiErrors.BadRequest($"malformed JSON: {ex.Message}");
        }
        catch (InvalidOperationException)
        {
            return ApiErrors.BadRequest($"a string in the body {JsonText.NotText}");
        }
        if (request is null) return ApiErrors.BadRequest("the body must be a JSON object {\"status\": \"available\", \"message\": \"...\"}");
        if (request.Status is null) return ApiErrors.BadRequest($"\"status\" is missing; expected one of {PresenceStates.Names}");
        if (!PresenceStates.TryParse(request.Status, out var state))
            return ApiErrors.BadRequest($"status '{JsonText.Quote(request.Status)}' is not a known status; expected one of {PresenceStates.Names}");
        var message = request.Message ?? "";
        if (message.Length > o.MaxMessageLength) return ApiErrors.BadRequest($"\"message\" is longer than {o.MaxMessageLength} characters (Presence:Api:MaxMessageLength)");
        if (!caller!.MayWrite(id)) return ApiErrors.Forbidden(caller.WriteRefusal(id));
        var (_, committed) = await writer.ApplyAsync([new ProtocolStatusUpdate(id, protocol, state, message)], context.RequestAborted);
        if (!committed) return writer.NotCommitted(context);
        return TypedResults.Ok(UserPresenceDto.From(tracker.Get(id)!));
    }

    private static async Task<Results<Ok<UserPresenceDto>, ProblemHttpResult>> PutPreferred(HttpContext context, string user,
        TokenAuthenticator auth, ApiRateLimiter limiter, PresenceTracker tracker, PresenceWriter writer, IOptions<ApiOptions> options, IOptions<PreferredOptions> preferred)
    {
        var o = options.Value;
        if (Authenticate(context, auth, limiter, out var caller) is { } denied) return denied;
        if (!UserId.TryParse(user, out var id, out var why)) return ApiErrors.BadRequest($"user '{JsonText.Quote(user)}' is not a valid user id: {why}");
        var (request, error) = await ReadBodyAsync(context, o.MaxBodyBytes, JsonText.SetPreferredRequest,
            "{\"status\": \"busy\", \"message\": \"...\", \"until\": \"2026-12-08T14:00:00Z\"}");
        if (error is not null) return error;
        if (request!.Status is null) return ApiErrors.BadRequest($"\"status\" is missing; expected one of {PresenceStates.Names}");
        if (!PresenceStates.TryParse(request.Status, out var state))
            return ApiErrors.BadRequest($"\"status\" '{JsonText.Quote(request.Status)}' is not a known status; expected one of {PresenceStates.Names}");
        var message = request.Message ?? "";
        if (message.Length > o.MaxMessageLength) return ApiErrors.BadRequest($"\"message\" is longer than {o.MaxMessageLength} characters (Presence:Api:MaxMessageLength)");
        var now = tracker.Time.GetUtcNow();
        var max = preferred.Value.MaxDuration;
        if (!TryUntil(request.Until, now, out var until, out var bad)) return ApiErrors.BadRequest(bad!);
        if (until > now + max)
            return ApiErrors.BadRequest($"\"until\" {until:O} is more than {max} from now (Presence:Preferred:MaxDuration)");
        until ??= preferred.Value.DefaultUntil(state, now);
        if (!caller!.MayWrite(id)) return ApiErrors.Forbidden(caller.WriteRefusal(id));
        return await WriteAsync(context, id, new PersonalStatusUpdate(id, Protocols.Preferred, state, message, until), tracker, writer);
    }

    private static async Task<Results<Ok<UserPresenceDto>, ProblemHttpResult>> PutStatusMessage(HttpContext context, string user,
        TokenAuthenticator auth, ApiRateLimiter limiter, PresenceTracker tracker, PresenceWriter writer, IOptions<ApiOptions> options)
    {
        var o = options.Value;
        if (Authenticate(context, auth, limiter, out var caller) is { } denied) return denied;
        if (!UserId.TryParse(user, out var id, out var why)) return ApiErrors.BadRequest($"user '{JsonText.Quote(user)}' is not a valid user id: {why}");
        var (request, error) = await ReadBodyAsync(context, o.MaxBodyBytes, JsonText.SetStatusMessageRequest,
            "{\"message\": \"...\", \"until\": \"2026-12-08T14:00:00Z\"}");
        if (error is not null) return error;
        if (string.IsNullOrEmpty(request!.Message))
            return ApiErrors.BadRequest("\"message\" is missing or empty; DELETE /api/v1/presence/{user}/status-message clears the status message");
        if (request.Message.Length > o.MaxMessageLength) return ApiErrors.BadRequest($"\"message\" is longer than {o.MaxMessageLength} characters (Presence:Api:MaxMessageLength)");
        if (!TryUntil(request.Until, tracker.Time.GetUtcNow(), out var until, out var bad)) return ApiErrors.BadRequest(bad!);
        if (!caller!.MayWrite(id)) return ApiErrors.Forbidden(caller.WriteRefusal(id));
        return await WriteAsync(context, id, new PersonalStatusUpdate(id, Protocols.StatusMessage, PresenceState.Unavailable, request.Message, until), tracker, writer);
    }

    private static Task<Results<Ok<UserPresenceDto>, ProblemHttpResult>> DeletePreferred(HttpContext context, string user,
        TokenAuthenticator auth, ApiRateLimiter limiter, PresenceTracker tracker, PresenceWriter writer) =>
        ClearAsync(context, user, Protocols.Preferred, auth, limiter, tracker, writer);

    private static Task<Results<Ok<UserPresenceDto>, ProblemHttpResult>> DeleteStatusMessage(HttpContext context, string user,
        TokenAuthenticator auth, ApiRateLimiter limiter, PresenceTracker tracker, PresenceWriter writer) =>
        ClearAsync(context, user, Protocols.StatusMessage, auth, limiter, tracker, writer);

    // DELETE is idempotent: clearing what is not set answers 200 with the presence as it is.
    private static async Task<Results<Ok<UserPresenceDto>, ProblemHttpResult>> ClearAsync(HttpContext context, string user, string protocol,
        TokenAuthenticator auth, ApiRateLimiter limiter, PresenceTracker tracker, PresenceWriter writer)
    {
        if (Authenticate(context, auth, limiter, out var caller) is { } denied) return denied;
        if (!UserId.TryParse(user, out var id, out var why)) return ApiErrors.BadRequest($"user '{JsonText.Quote(user)}' is not a valid user id: {why}");
        if (!caller!.MayWrite(id)) return ApiErrors.Forbidden(caller.WriteRefusal(id));
        return await WriteAsync(context, id, new ClearStatusUpdate(id, protocol), tracker, writer);
    }

    private static async Task<Results<Ok<UserPresenceDto>, ProblemHttpResult>> WriteAsync(HttpContext context, UserId id, PresenceUpdate update,
        PresenceTracker tracker, PresenceWriter writer)
    {
        var (_, committed) = await writer.ApplyAsync([update], context.RequestAborted);
        if (!committed) return writer.NotCommitted(context);
        return TypedResults.Ok(tracker.Get(id) is { } p ? UserPresenceDto.From(p) : UserPresenceDto.Unknown(id));
    }

    // Reads a JSON object body strictly (JsonText); the error names what was wrong: size, syntax, a field's type.
    private static async Task<(T? Request, ProblemHttpResult? Error)> ReadBodyAsync<T>(HttpContext context, int maxBytes,
        System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, string example) where T : class
    {
        var (body, tooLarge) = await RequestBody.ReadAsync(context, maxBytes);
        if (tooLarge is not null) return (null, (ProblemHttpResult)tooLarge);
        T? request;
        try
        {
            request = body!.Length == 0 ? null : JsonSerializer.Deserialize(body, type);
        }
        catch (JsonException ex)
        {
            return (null, ApiErrors.BadRequest($"malformed JSON: {ex.Message}"));
        }
        catch (InvalidOperationException)
        {
            return (null, ApiErrors.BadRequest($"a string in the body {JsonText.NotText}"));
        }
        return request is null ? (null, ApiErrors.BadRequest($"the body must be a JSON object {example}")) : (request, null);
    }

    // An optional "until": ISO 8601 (an offset is recommended; none means UTC), strictly after now; converted to UTC.
    private static bool TryUntil(string? text, DateTimeOffset now, out DateTimeOffset? until, out string? error)
    {
        until = null;
        error = null;
        if (text is null) return true;
        if (!DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var v))
        {
            error = $"\"until\" '{JsonText.Quote(text)}' is not an ISO 8601 time (e.g. 2026-12-08T14:00:00Z)";
            return false;
        }
        v = v.ToUniversalTime();
        if (v <= now)
        {
            error = $"\"until\" {v:O} is not in the future (now {now:O})";
            return false;
        }
        until = v;
        return true;
    }

    private static async Task<Results<Ok<List<HistoryEntryDto>>, ProblemHttpResult>> GetHistory(HttpContext context, string user,
        string? from, string? to, string? limit, TokenAuthenticator auth, ApiRateLimiter limiter, HistoryQueries history)
    {
        if (Authenticate(context, auth, limiter, out _) is { } denied) return denied;
        if (!UserId.TryParse(user, out var id, out var why)) return ApiErrors.BadRequest($"user '{JsonText.Quote(user)}' is not a valid user id: {why}");
        if (!TryTime(from, "from", out var f, out var err) || !TryTime(to, "to", out var t, out err)) return ApiErrors.BadRequest(err!);
        var n = 100;
        if (limit is not null && (!int.TryParse(limit, out n) || n < 1 || n > HistoryQueries.MaxLimit))
            return ApiErrors.BadRequest($"limit '{limit}' must be a whole number from 1 to {HistoryQueries.MaxLimit}");
        var rows = await history.GetAsync(id, f, t, n, context.RequestAborted);
        return TypedResults.Ok(rows.Select(HistoryEntryDto.From).ToList());
    }

    private static bool TryTime(string? text, string name, out DateTimeOffset? value, out string? error)
    {
        value = null;
        error = null;
        if (string.IsNullOrEmpty(text)) return true;
        if (DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var v))
        {
            value = v;
            return true;
        }
        error = $"{name} '{text}' is not an ISO 8601 time (e.g. 2026-11-21T10:00:00Z)";
        return false;
    }

    /// <summary>Checks the bearer token and the rate limit; returns the error to answer, or <c>null</c> with the caller.</summary>
    internal static ProblemHttpResult? Authenticate(HttpContext context, TokenAuthenticator auth, ApiRateLimiter limiter, out ApiCaller? caller)
    {
        caller = null;
        string header = context.Request.Headers.Authorization.ToString();
        if (header.Length == 0) return ApiErrors.Unauthorized("no token was given; send 'Authorization: Bearer {unix-seconds}:{user}:{MAC}'");
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return ApiErrors.Unauthorized("the Authorization header must use the Bearer scheme: 'Authorization: Bearer {unix-seconds}:{user}:{MAC}'");
        var outcome = auth.Authenticate(header[7..].Trim());
        if (!outcome.IsValid) return ApiErrors.Unauthorized(outcome.Error!);
        caller = outcome.Caller!;
        return limiter.TryAcquire(caller) ? null : ApiErrors.TooManyRequests(caller.PartitionKey);
    }
}
