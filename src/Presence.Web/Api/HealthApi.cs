using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Presence.Domain.Tracking;
using Presence.Web.Authentication;
using Presence.Web.Data;
using Presence.Web.History;
using Presence.Xmpp.Component;

namespace Presence.Web.Api;

/// <summary>
/// <c>GET /healthz</c>. Anyone gets <see cref="PublicHealthDto"/> (overall status, database <c>ok</c>/<c>failing</c> — failing
/// also while history commits fail (<see cref="HistoryWriter.Outage"/>), e.g. a full disk or a read-only file —, XMPP
/// link state); a caller with a valid API token (<c>Authorization: Bearer</c>) or signed in to the dashboard as an
/// administrator gets <see cref="HealthDto"/>: database error text, tracker size, feed consumers, history writer and
/// XMPP link counters (when the component runs).
/// </summary>
public static class HealthApi
{
    /// <summary>Maps <c>/healthz</c> (200 when the database answers, 503 otherwise; no token needed for the summary).</summary>
    public static IEndpointRouteBuilder MapPresenceHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", GetAsync).WithName("Health").WithTags("health").WithSummary("Service health")
            .Produces<HealthDto>().Produces<HealthDto>(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    /// <summary>True when the request carries a valid API token or the sign-in cookie of a dashboard administrator.</summary>
    private static async Task<bool> MayReadDetailsAsync(HttpContext context, TokenAuthenticator tokens)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return tokens.Authenticate(header[7..].Trim()).IsValid;
        var schemes = context.RequestServices.GetRequiredService<IAuthenticationSchemeProvider>();
        if (await schemes.GetSchemeAsync(IdentityConstants.ApplicationScheme) is null) return false;
        var result = await context.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        return result.Succeeded && result.Principal.IsInRole(DashboardRoles.Admin);
    }

    private static async Task<IResult> GetAsync(HttpContext context, IDbContextFactory<PresenceDbContext> contexts, PresenceTracker tracker,
        HistoryWriter history, TokenAuthenticator tokens, IServiceProvider services)
    {
        bool ok;
        string? error = null;
        string provider = "";
        try
        {
            await using var db = await contexts.CreateDbContextAsync(context.RequestAborted);
            provider = db.Database.ProviderName ?? "";
            ok = await db.Database.CanConnectAsync(context.RequestAborted);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            ok = false;
            error = ex.Message;
        }
        // A read-only or full database still connects: the writer's failing commits say it is unusable.
        if (history.Outage is { } outage)
        {
            ok = false;
            error ??= $"{outage.Cause} since {outage.Since:O}: {outage.Error}";
        }
        var link = services.GetService<IXmppLinkStatus>()?.Current;
        if (!await MayReadDetailsAsync(context, tokens))
        {
            var summary = new PublicHealthDto(ok ? "ok" : "degraded", ok ? "ok" : "failing", link?.State.ToString());
            return TypedResults.Json(summary, PresenceJsonContext.Default.PublicHealthDto, statusCode: ok ? 200 : 503);
        }
        var dto = new HealthDto(
            ok ? "ok" : "degraded",
            new DatabaseHealthDto(ok, provider, error),
            new TrackerHealthDto(tracker.Count, tracker.Sequence),
            [.. tracker.FeedStatistics()],
            history.Status,
            link is null ? null : new XmppHealthDto(link.State.ToString(), link.Since, link.Reconnects, link.LastError, link.NodeItems, link.Repopulating, link.PresenceMode.ToString()));
        return TypedResults.Json(dto, PresenceJsonContext.Default.HealthDto, statusCode: ok ? 200 : 503);
    }
}

/// <summary>Health summary for anonymous callers (no error text, no counters).</summary>
/// <param name="Status"><c>ok</c> or <c>degraded</c>.</param>
/// <param name="Database"><c>ok</c> or <c>failing</c>.</param>
/// <param name="Xmpp">XMPP link state name (e.g. <c>Connected</c>, <c>Backoff</c>), or <c>null</c> when the component is not registered.</param>
public sealed record PublicHealthDto(string Status, string Database, string? Xmpp);

/// <summary>Health document with details, for API token holders and dashboard administrators.</summary>
/// <param name="Status"><c>ok</c> or <c>degraded</c>.</param>
/// <param name="Database">Database check.</param>
/// <param name="Tracker">Tracker size.</param>
/// <param name="Feeds">Per-consumer change feed counters (pending, delivered, dropped, resyncs).</param>
/// <param name="History">History writer counters.</param>
/// <param name="Xmpp">XMPP link, or <c>null</c> when the component is not registered.</param>
public sealed record HealthDto(string Status, DatabaseHealthDto Database, TrackerHealthDto Tracker, List<FeedStatistics> Feeds, HistoryWriterStatus History, XmppHealthDto? Xmpp);

/// <summary>Database check.</summary>
/// <param name="Ok">Reachable.</param>
/// <param name="Provider">EF Core provider name.</param>
/// <param name="Error">Error text when not reachable.</param>
public sealed record DatabaseHealthDto(bool Ok, string Provider, string? Error);

/// <summary>Tracker size.</summary>
/// <param name="Users">Known users.</param>
/// <param name="Sequence">Last change sequence.</param>
public sealed record TrackerHealthDto(int Users, long Sequence);

/// <summary>XMPP link (XEP-0114).</summary>
/// <param name="State">Link state name.</param>
/// <param name="Since">Since when (UTC).</param>
/// <param name="Reconnects">Reconnect attempts.</param>
/// <param name="LastError">Last error.</param>
/// <param name="NodeItems">Items in the pubsub node.</param>
/// <param name="Repopulating">Repopulating the node after a (re)connect.</param>
/// <param name="PresenceMode"><c>Privileged</c> (XEP-0356 presence permission), <c>Subscription</c> (roster subscriptions) or <c>Unknown</c> (not connected yet).</param>
public sealed record XmppHealthDto(string State, DateTimeOffset Since, long Reconnects, string? LastError, int NodeItems, bool Repopulating, string PresenceMode);
