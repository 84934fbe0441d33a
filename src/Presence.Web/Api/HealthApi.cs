using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Presence.Domain.Tracking;
using Presence.Web.Authentication;
using Presence.Web.Data;
using Presence.Web.History;
using Presence.Xmpp.Component;
using Presence.Xmpp.Hosting;

namespace Presence.Web.Api;

/// <summary>
/// Health endpoints over the framework's health checks (<see cref="PresenceHealthChecks"/>):
/// <c>GET /healthz/live</c> (the process answers: always 200 <c>Healthy</c>), <c>GET /healthz/ready</c> (every check
/// tagged <c>ready</c>; 503 <c>Unhealthy</c> while the database is unreachable) and <c>GET /healthz</c>. Anyone gets
/// <see cref="PublicHealthDto"/> from <c>/healthz</c> (overall status, database <c>ok</c>/<c>failing</c>, XMPP link
/// state); a caller with a valid API token (<c>Authorization: Bearer</c>) or signed in to the dashboard as an
/// administrator gets <see cref="HealthDto"/>: each check, database error text, tracker size, feed consumers, history
/// writer and XMPP link counters (when the component runs).
/// </summary>
internal static class HealthApi
{
    /// <summary>
    /// Maps <c>/healthz</c> (200 while no check is unhealthy, 503 otherwise; no token needed for the summary),
    /// <c>/healthz/live</c> and <c>/healthz/ready</c> (plain-text status, for orchestrators).
    /// </summary>
    public static IEndpointRouteBuilder MapPresenceHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", GetAsync).WithName("Health").WithTags("health").WithSummary("Service health")
            .Produces<HealthDto>().Produces<HealthDto>(StatusCodes.Status503ServiceUnavailable);
        app.MapHealthChecks("/healthz/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/healthz/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(PresenceHealthChecks.ReadyTag) });
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

    private static async Task<IResult> GetAsync(HttpContext context, HealthCheckService checks, IDbContextFactory<PresenceDbContext> contexts,
        PresenceTracker tracker, HistoryWriter history, TokenAuthenticator tokens, IServiceProvider services)
    {
        var report = await checks.CheckHealthAsync(context.RequestAborted);
        var database = report.Entries["database"];
        var commits = report.Entries["history"];
        var ok = database.Status == HealthStatus.Healthy && commits.Status == HealthStatus.Healthy; // a database refusing writes is failing too
        var status = report.Status == HealthStatus.Healthy ? "ok" : "degraded";
        var code = report.Status == HealthStatus.Unhealthy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;
        var link = services.GetService<IXmppLinkStatus>()?.Current;
        if (!await MayReadDetailsAsync(context, tokens))
        {
            var summary = new PublicHealthDto(status, ok ? "ok" : "failing", link?.State.ToString());
            return TypedResults.Json(summary, PresenceJsonContext.Default.PublicHealthDto, statusCode: code);
        }
        await using var db = await contexts.CreateDbContextAsync(context.RequestAborted);
        var dto = new HealthDto(
            status,
            new DatabaseHealthDto(ok, db.Database.ProviderName ?? "", ok ? null : database.Exception?.Message ?? (database.Status == HealthStatus.Healthy ? commits.Description : database.Description)),
            new TrackerHealthDto(tracker.Count, tracker.Sequence),
            [.. tracker.FeedStatistics()],
            history.Status,
            link is null ? null : new XmppHealthDto(link.State.ToString(), link.Since, link.Reconnects, link.LastError, link.NodeItems, link.Repopulating, link.PresenceMode.ToString(),
                services.GetService<IComponentLeadership>()?.NodeName, Cluster.ClusterRegistration.Role(link.State)),
            [.. report.Entries.Select(e => new HealthCheckDto(e.Key, e.Value.Status.ToString(), e.Value.Description))],
            ClusterHealth(services));
        return TypedResults.Json(dto, PresenceJsonContext.Default.HealthDto, statusCode: code);
    }

    private static ClusterHealthDto? ClusterHealth(IServiceProvider services)
    {
        var cluster = services.GetRequiredService<Cluster.ClusterMode>();
        if (!cluster.Enabled) return null;
        var follower = services.GetRequiredService<Cluster.ChangeLogFollower>();
        var positions = services.GetRequiredService<Cluster.ChangeLogPositions>();
        var heartbeat = services.GetRequiredService<Cluster.ClusterHeartbeat>();
        return new ClusterHealthDto(cluster.NodeName, heartbeat.Role, positions.Applied, follower.Lag, follower.CaughtUp, [.. heartbeat.Nodes]);
    }
}
