using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Presence.Domain.Model;
using Presence.Domain.Tracking;
using Presence.Web.Authentication;

namespace Presence.Web.Api;

/// <summary>
/// <c>GET /api/v1/presence/{user}/badge.svg</c>: a user's overall state as an SVG badge for intranet pages
/// (<see cref="PresenceBadge"/>). Token-guarded like the rest of the API (<c>Authorization: Bearer</c>, or
/// <c>?token=</c> for an <c>&lt;img&gt;</c> that cannot send headers) unless <c>Presence:Badge:AllowAnonymous</c>;
/// answers <c>ETag</c> and <c>Cache-Control: max-age</c> (<c>Presence:Badge:MaxAge</c>), and 304 to a matching
/// <c>If-None-Match</c>. Errors are problem details (400 invalid user id, 401 token, 429 rate limit).
/// </summary>
internal static class PresenceBadgeApi
{
    /// <summary>Binds and validates <see cref="BadgeOptions"/> (<c>Presence:Badge</c>) at start.</summary>
    public static IServiceCollection AddPresenceBadge(this IServiceCollection services)
    {
        services.AddOptions<BadgeOptions>().BindConfiguration(BadgeOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        return services;
    }

    /// <summary>Maps the badge endpoint.</summary>
    public static IEndpointRouteBuilder MapPresenceBadge(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/presence/{user}/badge.svg", GetBadge).WithTags("presence v1").WithName("GetPresenceBadge")
            .WithSummary("A user's overall state as an SVG badge (state colour and words, accessible title); ETag, short cache")
            .Produces(StatusCodes.Status200OK, contentType: "image/svg+xml")
            .Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        return app;
    }

    private static IResult GetBadge(HttpContext context, string user, string? token, TokenAuthenticator auth, ApiRateLimiter limiter,
        PresenceTracker tracker, IOptions<BadgeOptions> options)
    {
        var o = options.Value;
        if (!o.AllowAnonymous && Authenticate(context, token, auth, limiter) is { } denied) return denied;
        if (!UserId.TryParse(user, out var id, out var why)) return ApiErrors.BadRequest($"user '{user}' is not a valid user id: {why}");
        var presence = tracker.Get(id);
        var svg = PresenceBadge.Render(id.Value, presence?.Overall, presence?.IsAnnotated == true);
        var etag = PresenceBadge.ETag(svg);
        var headers = context.Response.GetTypedHeaders();
        headers.CacheControl = new CacheControlHeaderValue
        {
            Public = o.AllowAnonymous,
            Private = !o.AllowAnonymous,
            MaxAge = o.MaxAge,
        };
        headers.ETag = new EntityTagHeaderValue(etag);
        if (!o.AllowAnonymous) context.Response.Headers.Vary = "Authorization";
        var ifNoneMatch = context.Request.GetTypedHeaders().IfNoneMatch;
        if (ifNoneMatch.Any(t => t.Tag == etag || t.Equals(EntityTagHeaderValue.Any))) return Results.StatusCode(StatusCodes.Status304NotModified);
        return Results.Text(svg, "image/svg+xml", Encoding.UTF8);
    }

    /// <summary>
    /// A <c>?token=</c> value pasted into an address without encoding has each <c>+</c> of its base64 MAC decoded as a
    /// space (HTML form encoding of a query, which ASP.NET Core applies). A token never contains a space, so a space in
    /// the MAC (after the last <c>:</c>) can only have been a <c>+</c>: it is restored. Whitespace around the token is
    /// removed first, as everywhere else.
    /// </summary>
    internal static string RestorePlus(string token)
    {
        token = token.Trim();
        var mac = token.LastIndexOf(':') + 1;
        return mac > 0 && token.IndexOf(' ', mac) >= 0 ? string.Concat(token.AsSpan(0, mac), token[mac..].Replace(' ', '+')) : token;
    }

    private static ProblemHttpResult? Authenticate(HttpContext context, string? token, TokenAuthenticator auth, ApiRateLimiter limiter)
    {
        if (string.IsNullOrEmpty(token) || context.Request.Headers.Authorization.Count > 0)
            return RestPresenceApi.Authenticate(context, auth, limiter, out _);
        var outcome = auth.Authenticate(RestorePlus(token));
        if (!outcome.IsValid) return ApiErrors.Unauthorized(outcome.Error!);
        return limiter.TryAcquire(outcome.Caller!) ? null : ApiErrors.TooManyRequests(outcome.Caller!.PartitionKey);
    }
}
