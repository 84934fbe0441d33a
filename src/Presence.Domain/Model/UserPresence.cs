using System.Collections.Immutable;

namespace Presence.Domain.Model;

/// <summary>
/// Everything known about one user at one moment, immutable (a snapshot is safe to share across threads).
/// </summary>
/// <param name="User">The user.</param>
/// <param name="Protocols">Per-protocol statuses ordered by protocol name, the reserved pseudo protocols
/// (<see cref="Model.Protocols.Preferred"/>, <see cref="Model.Protocols.StatusMessage"/>) included while set.</param>
/// <param name="LastChange">Time of the last change of any field (UTC).</param>
public sealed record UserPresence(UserId User, ImmutableArray<ProtocolStatus> Protocols, DateTimeOffset LastChange)
{
    /// <summary>
    /// When the current <see cref="Overall"/> state began (UTC): the time of the last change that changed it, or when the
    /// user became known. Derived by <see cref="With"/> and <see cref="Without"/>; persisted with the user.
    /// </summary>
    public DateTimeOffset OverallSince { get; init; } = LastChange;

    /// <summary>
    /// The last moment the overall state was known not to be unavailable (UTC): the time of the latest change made while,
    /// or that ended, a state other than unavailable; <c>null</c> when the user was never seen. While the user is not
    /// unavailable it is the time of the latest change (the user is seen now). Persisted with the user.
    /// </summary>
    public DateTimeOffset? LastSeen { get; init; }

    /// <summary>
    /// The derived overall state: the preferred presence (<see cref="Model.Protocols.Preferred"/>) while one is set,
    /// otherwise the highest of the protocol states by precedence busy &gt; available &gt; away &gt; unavailable
    /// (docs/ARCHITECTURE.md §3); the status message never counts.
    /// </summary>
    public PresenceState Overall
    {
        get
        {
            var best = PresenceState.Unavailable;
            foreach (var p in Protocols)
            {
                if (p.Protocol == Model.Protocols.Preferred) return p.State;
                if (p.Protocol == Model.Protocols.StatusMessage) continue;
                if (p.State > best) best = p.State;
            }
            return best;
        }
    }

    /// <summary>The statuses of the user's real protocols (<c>xmpp</c>, <c>spreed</c>, …), without the reserved pseudo protocols.</summary>
    public IEnumerable<ProtocolStatus> UserProtocols => Protocols.Where(static p => !Model.Protocols.IsReserved(p.Protocol));

    /// <summary>The preferred presence the user set, or <c>null</c> when none is in effect.</summary>
    public ProtocolStatus? Preferred => Get(Model.Protocols.Preferred);

    /// <summary>The user's status message, or <c>null</c> when none is in effect.</summary>
    public ProtocolStatus? StatusMessage => Get(Model.Protocols.StatusMessage);

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

    /// <summary>A copy with <paramref name="status"/> replacing (or adding) the status of its protocol, changed at <paramref name="at"/> (UTC).</summary>
    public UserPresence With(ProtocolStatus status, DateTimeOffset at)
    {
        var list = Protocols;
        for (var i = 0; i < list.Length; i++)
        {
            var cmp = string.CompareOrdinal(list[i].Protocol, status.Protocol);
            if (cmp == 0) return Next(list.SetItem(i, status), at);
            if (cmp > 0) return Next(list.Insert(i, status), at);
        }
        return Next(list.Add(status), at);
    }

    /// <summary>A copy without the status of <paramref name="protocol"/> (the same presence when it has none), changed at <paramref name="at"/> (UTC).</summary>
    public UserPresence Without(string protocol, DateTimeOffset at)
    {
        for (var i = 0; i < Protocols.Length; i++)
        {
            if (string.Equals(Protocols[i].Protocol, protocol, StringComparison.Ordinal)) return Next(Protocols.RemoveAt(i), at);
        }
        return this;
    }

    // The next presence: OverallSince moves when the overall state changes, LastSeen while or when leaving "not unavailable".
    private UserPresence Next(ImmutableArray<ProtocolStatus> protocols, DateTimeOffset at)
    {
        var before = Overall;
        var next = new UserPresence(User, protocols, at) { OverallSince = OverallSince, LastSeen = LastSeen };
        var after = next.Overall;
        return next with
        {
            OverallSince = after != before ? at : OverallSince,
            LastSeen = before != PresenceState.Unavailable || after != PresenceState.Unavailable ? at : LastSeen,
        };
    }

    /// <summary>An empty presence (no protocols, overall unavailable since <paramref name="at"/>, never seen).</summary>
    public static UserPresence Empty(UserId user, DateTimeOffset at) => new(user, [], at);
}
