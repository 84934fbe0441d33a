using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Presence.Domain.Tracking;
using Presence.Web.Data;
using Presence.Web.History;
using Presence.Xmpp.Component;

namespace Presence.Web.Api;

/// <summary>
/// The service's health checks (ASP.NET Core health checks): <c>database</c> (EF Core <c>AddDbContextCheck</c>: a
/// query on the <c>Users</c> table; unhealthy when it fails), <c>history</c> (unhealthy while the history writer's
/// commits fail — a database that answers queries but refuses writes, e.g. read-only or full), <c>xmpp</c> (the component's link; degraded while not
/// online, healthy when the component is disabled) and <c>feeds</c> (change-feed consumers' lag; degraded when a
/// consumer's queue is at least <see cref="FeedLagHealthCheck.DegradedFill"/> full or it must resync). All four are
/// tagged <see cref="ReadyTag"/>; only an unhealthy check fails readiness.
/// </summary>
public static class PresenceHealthChecks
{
    /// <summary>Tag of the checks that <c>/healthz/ready</c> runs.</summary>
    public const string ReadyTag = "ready";

    /// <summary>Registers the checks.</summary>
    public static IServiceCollection AddPresenceHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddDbContextCheck<PresenceDbContext>("database", HealthStatus.Unhealthy, [ReadyTag],
                customTestQuery: static async (db, ct) => { await db.PresenceUsers.AnyAsync(ct); return true; })
            .AddCheck<HistoryCommitHealthCheck>("history", HealthStatus.Unhealthy, [ReadyTag])
            .AddCheck<XmppLinkHealthCheck>("xmpp", HealthStatus.Degraded, [ReadyTag])
            .AddCheck<FeedLagHealthCheck>("feeds", HealthStatus.Degraded, [ReadyTag])
            .AddCheck<Cluster.ChangeLogHealthCheck>("changeLog", HealthStatus.Unhealthy, [ReadyTag]);
        return services;
    }
}

/// <summary>History commits: unhealthy while the writer's last commit failed (it retries until the database takes it).</summary>
public sealed class HistoryCommitHealthCheck(HistoryWriter writer) : IHealthCheck
{
    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = writer.Status;
        return Task.FromResult(status.LastError is { } error
            ? HealthCheckResult.Unhealthy($"history commits fail: {error}")
            : HealthCheckResult.Healthy($"committed up to change {status.CommittedSequence}"));
    }
}

/// <summary>
/// The XMPP component's link (XEP-0114): healthy when online, when the component is disabled, or on standby (another
/// node of the cluster holds the component, as it should); degraded otherwise.
/// </summary>
public sealed class XmppLinkHealthCheck(IServiceProvider services, IOptions<XmppOptions> options) : IHealthCheck
{
    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var link = services.GetService<IXmppLinkStatus>()?.Current;
        if (link is null || (!options.Value.Enabled && link.State == XmppLinkState.Disconnected))
        {
            return Task.FromResult(HealthCheckResult.Healthy("component not enabled"));
        }
        var data = new Dictionary<string, object> { ["state"] = link.State.ToString(), ["since"] = link.Since, ["reconnects"] = link.Reconnects };
        if (link.State == XmppLinkState.Standby) return Task.FromResult(HealthCheckResult.Healthy("standby: another node holds the XMPP component", data));
        return Task.FromResult(link.State == XmppLinkState.Online
            ? HealthCheckResult.Healthy("online", data)
            : HealthCheckResult.Degraded($"link {link.State} since {link.Since:O}", data: data));
    }
}

/// <summary>Change-feed consumers' lag: degraded while a consumer's queue is nearly full or it has dropped changes and must resync.</summary>
public sealed class FeedLagHealthCheck(PresenceTracker tracker) : IHealthCheck
{
    /// <summary>Queue fill (pending ÷ capacity) from which a consumer counts as lagging: 0.9.</summary>
    public const double DegradedFill = 0.9;

    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var lagging = tracker.FeedStatistics().Where(f => f.Pending >= f.Capacity * DegradedFill).Select(f => $"{f.Name} ({f.Pending}/{f.Capacity})").ToList();
        return Task.FromResult(lagging.Count == 0
            ? HealthCheckResult.Healthy("every consumer keeps up")
            : HealthCheckResult.Degraded($"lagging: {string.Join(", ", lagging)}"));
    }
}
