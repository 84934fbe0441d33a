namespace Presence.Xmpp.AdHoc;

/// <summary>One client session as listed by the server's admin command.</summary>
/// <param name="BareJid">The user's bare JID as the server wrote it.</param>
/// <param name="Resource">The session's resource.</param>
/// <param name="Ip">The session's IP address, or <c>null</c> when the server did not know it.</param>
public sealed record OnlineSession(string BareJid, string Resource, string? Ip);
