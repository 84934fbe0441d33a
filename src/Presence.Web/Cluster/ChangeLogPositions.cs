using System.Collections.Concurrent;
using Presence.Domain.Model;

namespace Presence.Web.Cluster;

/// <summary>
/// Per user and protocol, the sequence of the newest change log entry this node holds in its tracker — its own
/// committed entries and those it applied from other nodes. "The later commit wins": an entry read from the log is
/// applied only when it is newer than this (docs/ARCHITECTURE.md, "Several nodes"). Thread-safe. Empty on SQLite.
/// </summary>
public sealed class ChangeLogPositions
{
    private readonly ConcurrentDictionary<(UserId, string), long> _known = new();
    private long _applied;

    /// <summary>The newest entry held for <paramref name="user"/>'s <paramref name="protocol"/>: at least <see cref="Baseline"/>.</summary>
    public long Known(UserId user, string protocol) => Math.Max(_known.GetValueOrDefault((user, protocol)), Baseline);

    /// <summary>The log position the state restored at start reflects: every entry up to it is in the tracker.</summary>
    public long Baseline { get; private set; }

    /// <summary>Sets <see cref="Baseline"/> and <see cref="Applied"/> after the state was restored at start.</summary>
    public void Restored(long sequence)
    {
        Baseline = sequence;
        Advance(sequence);
    }

    /// <summary>Records that the entry <paramref name="sequence"/> is held (keeps the larger of the two).</summary>
    public void Hold(UserId user, string protocol, long sequence) =>
        _known.AddOrUpdate((user, protocol), sequence, (_, old) => Math.Max(old, sequence));

    /// <summary>The last log sequence this node has read and applied (its position in the log).</summary>
    public long Applied => Interlocked.Read(ref _applied);

    /// <summary>Moves <see cref="Applied"/> forward (never back).</summary>
    public void Advance(long sequence)
    {
        long current;
        while ((current = Interlocked.Read(ref _applied)) < sequence && Interlocked.CompareExchange(ref _applied, sequence, current) != current) { }
    }

    /// <summary>Forgets everything (a fresh snapshot replaces the tracker's state).</summary>
    public void Clear() => _known.Clear();
}
