using Presence.Domain.Model;

namespace Presence.Domain.Tracking;

/// <summary>A consistent view of all users.</summary>
/// <param name="Users">Every known user, ordered by user id.</param>
/// <param name="Sequence">Sequence number of the last change reflected (0 when none).</param>
public sealed record PresenceSnapshot(IReadOnlyList<UserPresence> Users, long Sequence);
