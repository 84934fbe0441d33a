using System.Text.Json;
using Presence.Domain.Model;
using Presence.Domain.Tracking;
using Presence.Web.Data.Entities;

namespace Presence.Web.Cluster;

/// <summary>
/// Applies change log entries written by other nodes to this node's tracker, by the rule "per user and protocol the
/// later commit wins" (docs/ARCHITECTURE.md, "Several nodes"): an entry is applied only when it is newer than the entry
/// the node holds for that user and protocol, and no change made on this node to it is still uncommitted (that one
/// commits later, so it wins). Thread-safe.
/// </summary>
internal sealed class ChangeLogApplier(PresenceTracker tracker, ChangeLogPositions positions, ClusterMode cluster, ILogger<ChangeLogApplier> logger)
{
    /// <summary>Entries applied (that changed or refreshed a status here).</summary>
    public long Applied => Interlocked.Read(ref _applied);

    private long _applied;

    /// <summary>Applies <paramref name="row"/> when it wins; this node's own entries are skipped unless <paramref name="own"/>.</summary>
    /// <param name="row">The entry.</param>
    /// <param name="committedLocal">The tracker sequence up to which this node's own changes are committed.</param>
    /// <param name="own">Apply it even when this node wrote it (an entry read back to replace a superseded change).</param>
    /// <returns>Whether it was taken.</returns>
    public bool Apply(PresenceLogRow row, Func<long> committedLocal, bool own = false)
    {
        if (!own && row.Node == cluster.NodeName) return false;
        if (!UserId.TryParse(row.UserId, out var user, out _) || Protocols.ValidateStored(row.Protocol) is not null) return Skip(row, "user or protocol not valid here");
        ProtocolStatus? status;
        try
        {
            status = LoggedStatus.Read(row.Protocol, row.Status);
        }
        catch (JsonException)
        {
            return Skip(row, "status not readable");
        }
        ChangeCauses.TryParse(row.Cause, out var cause);
        var taken = false;
        tracker.ApplyIf(new ReplicatedStatusUpdate(user, row.Protocol, status, cause, row.At), () =>
        {
            if (row.Sequence <= positions.Known(user, row.Protocol)) return false;
            if (tracker.LastLocalSequence(user, row.Protocol) > committedLocal()) return false;
            positions.Hold(user, row.Protocol, row.Sequence);
            return taken = true;
        });
        if (taken) Interlocked.Increment(ref _applied);
        return taken;
    }

    private bool Skip(PresenceLogRow row, string why)
    {
        logger.LogWarning("Change log entry {Sequence} from node {Node} skipped: {Reason}", row.Sequence, row.Node, why);
        return false;
    }
}
