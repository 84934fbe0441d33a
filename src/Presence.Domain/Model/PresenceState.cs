namespace Presence.Domain.Model;

/// <summary>
/// The four unified states of the zarafa-presence format. Numeric values order the overall
/// precedence: busy &gt; available &gt; away &gt; unavailable (docs/ARCHITECTURE.md §3).
/// </summary>
public enum PresenceState
{
    /// <summary>Not reachable (<c>"unavailable"</c>).</summary>
    Unavailable = 0,
    /// <summary>Away or extended away (<c>"away"</c>).</summary>
    Away = 1,
    /// <summary>Online (<c>"available"</c>).</summary>
    Available = 2,
    /// <summary>Do not disturb, in a meeting (<c>"busy"</c>).</summary>
    Busy = 3,
}
