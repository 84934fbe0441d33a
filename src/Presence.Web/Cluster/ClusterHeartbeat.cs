using Microsoft.EntityFrameworkCore;
using Presence.Web.Data;
using Presence.Web.Data.Entities;
using Presence.Xmpp.Component;

namespace Presence.Web.Cluster;

/// <summary>
/// Each node of a cluster writes its row in <c>ClusterNodes</c> every <see cref="Period"/> (name, start, role — its
/// XMPP link state, <c>Standby</c> on a node that does not hold the component — and its change log position) and reads
/// everyone's, for <c>/healthz</c> and the admin pages (docs/ARCHITECTURE.md, "Several nodes"). A node silent for three
/// periods is shown as gone; a node that stops says so. Idle on SQLite.
/// </summary>
internal sealed class ClusterHeartbeat(
    ClusterMode cluster,
    ChangeLogPositions positions,
    ChangeLogFollower follower,
    IDbContextFactory<PresenceDbContext> contexts,
    IServiceProvider services,
    TimeProvider time,
    ILogger<ClusterHeartbeat> logger) : BackgroundService
{
    /// <summary>How often a node writes its heartbeat: 2 s.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(2);

    private readonly DateTimeOffset _started = time.GetUtcNow();
    private volatile IReadOnlyList<ClusterNodeStatus> _nodes = [];

    /// <summary>Every node seen at the last heartbeat, this one included, by name.</summary>
    public IReadOnlyList<ClusterNodeStatus> Nodes => _nodes;

    /// <summary>This node's role: its XMPP link state (<c>Online</c>, <c>Standby</c>, …) or <c>Disabled</c> without the component.</summary>
    public string Role
    {
        get
        {
            var link = services.GetService<IXmppLinkStatus>()?.Current;
            var enabled = services.GetService<Microsoft.Extensions.Options.IOptions<XmppOptions>>()?.Value.Enabled ?? false;
            return !enabled || link is null ? "Disabled" : link.State.ToString();
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!cluster.Enabled) return;
        using var timer = new PeriodicTimer(Period, time);
        var failing = false;
        do
        {
            try
            {
                await BeatAsync(Role, stoppingToken);
                if (failing) logger.LogInformation("Cluster heartbeat written again");
                failing = false;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                if (!failing) logger.LogWarning("Cluster heartbeat failed: {Error}", ex.Message);
                failing = true;
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (!cluster.Enabled) return;
        try
        {
            await BeatAsync("Stopped", cancellationToken);
        }
        catch (Exception ex)
        {
            logger.LogDebug("Could not record this node as stopped: {Error}", ex.Message);
        }
    }

    private async Task BeatAsync(string role, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow();
        var row = await db.ClusterNodes.FindAsync([cluster.NodeName], cancellationToken);
        if (row is null) db.ClusterNodes.Add(row = new ClusterNodeRow { Name = cluster.NodeName });
        row.StartedAt = _started;
        row.Heartbeat = now;
        row.Role = role;
        row.AppliedSequence = positions.Applied;
        await db.SaveChangesAsync(cancellationToken);
        var head = Math.Max(follower.Head, positions.Applied);
        var rows = await db.ClusterNodes.AsNoTracking().OrderBy(n => n.Name).ToListAsync(cancellationToken);
        _nodes = [.. rows.Select(n => new ClusterNodeStatus(n.Name, n.Name == cluster.NodeName, n.Role, n.StartedAt, n.Heartbeat,
            n.Role != "Stopped" && now - n.Heartbeat < 3 * Period, n.AppliedSequence, Math.Max(0, head - n.AppliedSequence)))];
    }
}

/// <summary>A node of the cluster as seen at the last heartbeat.</summary>
/// <param name="Name">Node name.</param>
/// <param name="Self">True for the node answering.</param>
/// <param name="Role">XMPP link state (<c>Online</c> on the component holder, <c>Standby</c>, …), <c>Disabled</c>, or <c>Stopped</c>.</param>
/// <param name="StartedAt">When it started (UTC).</param>
/// <param name="Heartbeat">Its last heartbeat (UTC).</param>
/// <param name="Alive">Heartbeat within the last three periods (6 s) and not stopped.</param>
/// <param name="AppliedSequence">Its change log position.</param>
/// <param name="Lag">Entries behind the newest one this node has seen.</param>
public sealed record ClusterNodeStatus(string Name, bool Self, string Role, DateTimeOffset StartedAt, DateTimeOffset Heartbeat, bool Alive, long AppliedSequence, long Lag);
