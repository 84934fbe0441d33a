namespace Presence.Domain.Model;

/// <summary>Protocol names (zarafa-presence plugins) and their validation.</summary>
/// <remarks>
/// The statuses a person sets themselves — the preferred presence (Microsoft Graph setUserPreferredPresence) and the
/// status message (Graph presence statusMessage) — are two reserved pseudo protocols, <see cref="Preferred"/> and
/// <see cref="StatusMessage"/>, held by the tracker like any protocol status but never accepted as configured protocol
/// names nor listed among a user's protocols. Chosen over separate fields of <see cref="UserPresence"/> because every
/// path a protocol status takes then carries them unchanged: the tracker's single lock and change feed, the current-state
/// rows (restored after a restart), history rows (which say which source set each state), the cluster change log
/// (docs/ARCHITECTURE.md, "Several nodes") and its conditional expiry. Their end is <see cref="ProtocolStatus.Until"/>.
/// Clearing one removes the status rather than setting a "cleared" state, so the overall state is computed from the
/// protocols again exactly as if it had never been set; the removal is a change like any other (history state
/// <c>cleared</c>; JSON <c>null</c> in the change log).
/// </remarks>
public static class Protocols
{
    /// <summary>XMPP presence collected by the component.</summary>
    public const string Xmpp = "xmpp";

    /// <summary>Meeting software status published through the API; expires when not refreshed.</summary>
    public const string Spreed = "spreed";

    /// <summary>Pseudo protocol used in history rows for the derived overall state.</summary>
    public const string Overall = "overall";

    /// <summary>
    /// Reserved pseudo protocol holding the presence a user set themselves (Microsoft Graph setUserPreferredPresence):
    /// while it lasts it is the overall state; it ends at its <see cref="ProtocolStatus.Until"/> or when cleared.
    /// Written only by <c>PersonalStatusUpdate</c>, never listed among a user's protocols.
    /// </summary>
    public const string Preferred = "preferred";

    /// <summary>
    /// Reserved pseudo protocol holding the user's status message (Microsoft Graph presence statusMessage): its
    /// <see cref="ProtocolStatus.Message"/>, optionally until <see cref="ProtocolStatus.Until"/>; its state is meaningless
    /// (always unavailable) and never counts towards the overall state.
    /// </summary>
    public const string StatusMessage = "status-message";

    /// <summary>True for the reserved pseudo protocols <see cref="Preferred"/> and <see cref="StatusMessage"/>.</summary>
    public static bool IsReserved(string? name) => name is Preferred or StatusMessage;

    /// <summary>Maximum length of a protocol name.</summary>
    public const int MaxLength = 32;

    /// <summary>
    /// A protocol name is 1–32 characters of <c>a-z</c>, <c>0-9</c> and <c>-</c>, starting with a letter;
    /// <see cref="Overall"/>, <see cref="Preferred"/> and <see cref="StatusMessage"/> are reserved (see <see cref="ValidateStored"/>).
    /// </summary>
    /// <returns><c>null</c> when valid, else why not.</returns>
    public static string? Validate(string? name)
    {
        if (string.IsNullOrEmpty(name)) return "the protocol name is empty";
        if (name.Length > MaxLength) return $"the protocol name is longer than {MaxLength} characters";
        if (name[0] is < 'a' or > 'z') return $"the protocol name '{name}' must start with a lower-case letter";
        foreach (var c in name)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '-'))
                return $"the protocol name '{name}' may contain only a-z, 0-9 and '-'";
        }
        if (name == Overall) return "'overall' is derived and cannot be set";
        if (IsReserved(name)) return $"'{name}' is reserved (set it through /api/v1/presence/{{user}}/{name})";
        return null;
    }

    /// <summary>
    /// Like <see cref="Validate"/> but accepting the reserved pseudo protocols: the names a stored or replicated status
    /// may carry.
    /// </summary>
    /// <returns><c>null</c> when valid, else why not.</returns>
    public static string? ValidateStored(string? name) => IsReserved(name) ? null : Validate(name);
}
