namespace Presence.Domain.Model;

/// <summary>Wire names of <see cref="PresenceState"/> (zarafa-presence JSON: lower-case).</summary>
public static class PresenceStates
{
    /// <summary>The accepted wire names, for error messages.</summary>
    public const string Names = "available, busy, away, unavailable";

    /// <summary>The wire name (<c>available</c>, <c>busy</c>, <c>away</c>, <c>unavailable</c>).</summary>
    public static string ToWire(this PresenceState state) => state switch
    {
        PresenceState.Available => "available",
        PresenceState.Busy => "busy",
        PresenceState.Away => "away",
        _ => "unavailable",
    };

    /// <summary>Parses a wire name; exact lower-case match only.</summary>
    /// <returns><c>false</c> for anything but the four names.</returns>
    public static bool TryParse(string? text, out PresenceState state)
    {
        switch (text)
        {
            case "available": state = PresenceState.Available; return true;
            case "busy": state = PresenceState.Busy; return true;
            case "away": state = PresenceState.Away; return true;
            case "unavailable": state = PresenceState.Unavailable; return true;
            default: state = PresenceState.Unavailable; return false;
        }
    }
}
