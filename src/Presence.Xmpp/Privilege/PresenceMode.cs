namespace Presence.Xmpp.Privilege;

/// <summary>How the component learns users' presence (docs/ARCHITECTURE.md §7).</summary>
public enum PresenceMode
{
    /// <summary>Not decided yet (no link, or waiting for the server's permission advertisement).</summary>
    Unknown,

    /// <summary>Users add the component to their roster; it probes its subscribers on every (re)connect (RFC 6121 §3, §4.3).</summary>
    Subscription,

    /// <summary>
    /// The server granted presence permission <c>managed_entity</c> or <c>roster</c> (XEP-0356 §7): it forwards every
    /// user's presence without a subscription; the component sends no subscription request and no probe.
    /// </summary>
    Privileged,
}
