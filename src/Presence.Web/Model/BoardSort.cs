namespace Presence.Web.Model;

/// <summary>Sort column of the board.</summary>
public enum BoardSort
{
    /// <summary>By bare JID.</summary>
    User,
    /// <summary>By overall state (available, busy, away, unavailable).</summary>
    State,
    /// <summary>By time of the last change.</summary>
    LastChange,
    /// <summary>By number of XMPP resources.</summary>
    Resources,
}
