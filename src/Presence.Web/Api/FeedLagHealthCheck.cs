using Microsoft.Extensions.Diagnostics.HealthChecks;
using Presence.Domain.Tracking;

namespace Presence.Web.Api;

/// <summary>Change-feed consumers' lag: degraded while a consumer's queue is nearly full or it has dropped changes and must resync.</summary>
internal sealed class FeedLagHealthCheck(PresenceTracker tracker) : IHealthCheck
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
