using Presence.Web.Api;

namespace Presence.Web.Hubs;

/// <summary>
/// Methods the server calls on a client of <see cref="PresenceHub"/> (docs/ARCHITECTURE.md §9). Event-named; each returns when the
/// message is written to the connection, not when the client has handled it.
/// </summary>
public interface IPresenceClient
{
    /// <summary>
    /// A subscribed user's presence changed; <paramref name="presence"/> is the user's whole current presence in the
    /// REST shape of docs/ARCHITECTURE.md §8. Under bursts changes are coalesced per user: only the latest state is sent, so a
    /// client may not see every intermediate state, but always sees the last one.
    /// </summary>
    /// <param name="presence">The user's presence after the change(s).</param>
    Task PresenceChanged(UserPresenceDto presence);

    /// <summary>
    /// For <see cref="PresenceHub.SubscribeAllBatched"/>: every user that changed since the previous batch, each once with
    /// its latest state (at most <see cref="PresenceBroadcaster.MaxBatch"/> users per message; more are split).
    /// </summary>
    /// <param name="presences">The users' presence after the change(s), REST shape of docs/ARCHITECTURE.md §8.</param>
    Task PresenceChangedBatch(List<UserPresenceDto> presences);
}
