using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Presence.Web.Cluster;

/// <summary>
/// The node's place in the change log (docs/ARCHITECTURE.md, "Several nodes"): unhealthy — not ready — until the
/// follower has read up to the end of the log once after start, so a load balancer sends no traffic to a node that
/// is still catching up; then healthy with the node name, the applied sequence and the lag. Healthy on SQLite.
/// </summary>
internal sealed class ChangeLogHealthCheck(ClusterMode cluster, ChangeLogFollower follower, ChangeLogPositions positions) : IHealthCheck
{
    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!cluster.Enabled) return Task.FromResult(HealthCheckResult.Healthy("single node (SQLite): no change log"));
        var data = new Dictionary<string, object> { ["node"] = cluster.NodeName, ["applied"] = positions.Applied, ["head"] = follower.Head, ["lag"] = follower.Lag };
        return Task.FromResult(follower.CaughtUp
            ? HealthCheckResult.Healthy($"node {cluster.NodeName} follows the change log at {positions.Applied} (lag {follower.Lag})", data)
            : HealthCheckResult.Unhealthy($"node {cluster.NodeName} is catching up with the change log ({positions.Applied} of {follower.Head})", data: data));
    }
}
