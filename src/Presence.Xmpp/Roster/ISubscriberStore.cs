namespace Presence.Xmpp.Roster;

/// <summary>
/// Persistent list of the component's subscribers (bare JIDs that approved our subscription, RFC 6121 §3).
/// A component has no server-side roster, so it keeps its own; all are probed on every (re)connect.
/// Implemented by the host (EF Core table <c>ComponentSubscribers</c>).
/// </summary>
public interface ISubscriberStore
{
    /// <summary>All subscriber bare JIDs (normalised).</summary>
    Task<IReadOnlyList<string>> GetAllAsync(CancellationToken cancellationToken);

    /// <summary>Adds or updates a subscriber; idempotent.</summary>
    /// <param name="bareJid">Normalised bare JID.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    Task AddAsync(string bareJid, CancellationToken cancellationToken);

    /// <summary>Removes a subscriber; idempotent.</summary>
    Task RemoveAsync(string bareJid, CancellationToken cancellationToken);
}
