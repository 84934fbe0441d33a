using Microsoft.Extensions.Diagnostics.HealthChecks;
using Presence.Web.History;

namespace Presence.Web.Api;

/// <summary>History commits: unhealthy while the writer's last commit failed (it retries until the database takes it).</summary>
internal sealed class HistoryCommitHealthCheck(HistoryWriter writer) : IHealthCheck
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
