namespace Presence.Web.Authentication;

/// <summary>What an API token may do (docs/ARCHITECTURE.md §8). Any valid token may read.</summary>
[Flags]
public enum ApiScopes
{
    /// <summary>Nothing.</summary>
    None = 0,
    /// <summary><c>read</c>: read any user's presence and history.</summary>
    Read = 1,
    /// <summary><c>write-own</c>: set the token user's own status.</summary>
    WriteOwn = 2,
    /// <summary><c>write-any</c>: set any user's status (e.g. a meeting server publishing for everyone).</summary>
    WriteAny = 4,
}
