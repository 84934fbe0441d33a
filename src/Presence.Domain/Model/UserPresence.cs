using System.Collections.Immutable;

namespace Presence.Domain.Model;

/// <summary>
/// Everything known about one user at one moment, immutable (a snapshot is safe to share across threads).
/// </summary>
/// <param name="User">The user.</param>
/// <param name="Protocols">Per-protocol statuses ordered by protocol name.</param>
/// <param name="LastChange">Time of the last change of any field (UTC).</param>
public sealed record UserPresence(UserId User, ImmutableArray<ProtocolStatus> Protocols, DateTimeOffset LastChange)
{
    /// <summary>
    /// The derived overall state: the highest of the protocol states by precedence
    /// busy &gt; available &gt; away &gt; unavailable (docs/ARCHITECTURE.md §3).
    /// </summary>
    public PresenceState Overall
    {
        get
        {
            var best = PresenceState.Unavailable;
            foreach (var p in Protocols)
            {
                if (p.State > best) best = p.State;
            }
            return best;
        }
    }

    /// <summary>The status of <paramref name="protocol"/>, or <c>null</c> when the user has none.</summary>
    public ProtocolStatus? Get(string protocol)
    {
        foreach (var p in Protocols)
        {
            if (string.Equals(p.Protocol, protocol, StringComparison.Ordinal)) return p;
        }
        return null;
    }

    /// <summary>True when any protocol status is annotated (XEP-0310), i.e. may be stale.</summary>
    public bool IsAnnotated
    {
        get
        {
            foreach (var p in Protocols)
            {
                if (p.Annotation is not null) return true;
            }
            return false;
        }
    }

    /// <summary>A copy with <paramref name="status"/> replacing (or adding) the status of its protocol.</summary>
    public UserPresence With(ProtocolStatus status, DateTimeOffset at)
    {
        var list = Protocols;
        for (var i = 0; i < list.Length; i++)
        {
            var cmp = string.CompareOrdinal(list[i].Protocol, status.Protocol);
            if (cmp == 0) return new UserPresence(User, list.SetItem(i, status), at);
            if (cmp > 0) return new UserPresence(User, list.Insert(i, status), at);
        }
        return new UserPresence(User, list.Add(status), at);
    }

    /// <summary>An empty presence (no protocols, overall unavailable).</summary>
    public static UserPresence Empty(UserId user, DateTimeOffset at) => new(user, [], at);
}
