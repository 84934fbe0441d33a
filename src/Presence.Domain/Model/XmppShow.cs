namespace Presence.Domain.Model;

/// <summary>
/// The XMPP availability of an available resource (RFC 6121 §4.7.2.1 <c>&lt;show/&gt;</c>), with
/// <see cref="Online"/> for presence without <c>&lt;show/&gt;</c>. Values are ordered by availability,
/// used to break priority ties (chat, online, dnd, away, xa — docs/ARCHITECTURE.md §3).
/// </summary>
public enum XmppShow
{
    /// <summary>Extended away (<c>xa</c>).</summary>
    Xa = 0,
    /// <summary>Away (<c>away</c>).</summary>
    Away = 1,
    /// <summary>Do not disturb (<c>dnd</c>).</summary>
    Dnd = 2,
    /// <summary>No show element: plain available (pubpresence status <c>online</c>).</summary>
    Online = 3,
    /// <summary>Free for chat (<c>chat</c>).</summary>
    Chat = 4,
}
