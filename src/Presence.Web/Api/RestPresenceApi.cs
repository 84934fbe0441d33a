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
/// read several users, one user, a user's history (newest first), and set a non-XMPP protocol's status.
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
