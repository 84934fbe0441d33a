namespace Presence.Web.Model;

/// <summary>State filter of the board.</summary>
public enum BoardFilter
{
    /// <summary>Every user.</summary>
    All,
    /// <summary>Overall available.</summary>
    Available,
    /// <summary>Overall busy.</summary>
    Busy,
    /// <summary>Overall away.</summary>
    Away,
    /// <summary>Overall unavailable.</summary>
    Unavailable,
    /// <summary>Any protocol status annotated (XEP-0310), i.e. possibly stale.</summary>
    Stale,
}
