using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Presence.Web.Data;

namespace Presence.Web.Api;

/// <summary>
/// The service's health checks (ASP.NET Core health checks): <c>database</c> (EF Core <c>AddDbContextCheck</c>: a
/// query on the <c>Users</c> table; unhealthy when it fails), <c>history</c> (unhealthy while the history writer's
/// commits fail — a database that answers queries but refuses writes, e.g. read-only or full), <c>xmpp</c> (the component's link; degraded while not
/// online, healthy when the component is disabled) and <c>feeds</c> (change-feed consumers' lag; degraded when a
/// consumer's queue is at least <see cref="FeedLagHealthCheck.DegradedFill"/> full or it must resync). All four are
/// tagged <see cref="ReadyTag"/>; only an unhealthy check fails readiness.
/// </summary>
internal static class PresenceHealthChecks
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
